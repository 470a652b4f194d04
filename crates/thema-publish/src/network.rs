//! The co-occurrence network as a file other programs draw: GraphML (Gephi, yEd, Cytoscape)
//! and Graphviz DOT. A node is a code with the units it is in; an edge a pair of codes with
//! n12 and its c-coefficient as the weight.

use std::collections::BTreeMap;

use thema_analysis::cooccur::Pair;

/// A network of codes.
pub struct Network<'a> {
    /// The codes (node ids), in order.
    pub codes: &'a [String],
    /// Units each code is in.
    pub counts: &'a BTreeMap<String, usize>,
    /// The pairs (edges), in order.
    pub pairs: &'a [Pair],
    /// A code's name (the node's label).
    pub name: &'a dyn Fn(&str) -> String,
}

/// Text for an XML 1.0 attribute or element: [`thema_core::markup`]'s one rule (markup escaped,
/// the characters XML 1.0 cannot hold dropped, since no escape can write them and a file holding
/// one does not open).
fn xml_text(s: &str) -> String {
    thema_core::markup::escape(s, thema_core::markup::Markup::Xml)
}

/// The network as GraphML.
pub fn graphml(network: &Network<'_>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n\
         <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n\
         <key id=\"units\" for=\"node\" attr.name=\"units\" attr.type=\"int\"/>\n\
         <key id=\"n12\" for=\"edge\" attr.name=\"n12\" attr.type=\"int\"/>\n\
         <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n\
         <graph id=\"cooccurrence\" edgedefault=\"undirected\">\n",
    );
    for c in network.codes {
        out.push_str(&format!(
            "<node id=\"{}\"><data key=\"label\">{}</data><data key=\"units\">{}</data></node>\n",
            xml_text(c),
            xml_text(&(network.name)(c)),
            network.counts.get(c).copied().unwrap_or(0)
        ));
    }
    for (i, p) in network.pairs.iter().enumerate() {
        out.push_str(&format!(
            "<edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"n12\">{}</data><data key=\"weight\">{:.6}</data></edge>\n",
            xml_text(&p.a),
            xml_text(&p.b),
            p.n12,
            p.c
        ));
    }
    out.push_str("</graph>\n</graphml>\n");
    out
}

/// The network as Graphviz DOT.
pub fn dot(network: &Network<'_>) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out = String::from("graph cooccurrence {\n");
    for c in network.codes {
        out.push_str(&format!(
            "  {} [label={}, units={}];\n",
            quote(c),
            quote(&(network.name)(c)),
            network.counts.get(c).copied().unwrap_or(0)
        ));
    }
    for p in network.pairs {
        out.push_str(&format!("  {} -- {} [n12={}, weight={:.6}];\n", quote(&p.a), quote(&p.b), p.n12, p.c));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: &str, b: &str, n12: usize, c: f64) -> Pair {
        Pair {
            a: a.into(),
            b: b.into(),
            n1: 2,
            n2: 2,
            n12,
            n: 4,
            c,
            dice: 0.0,
            ochiai: 0.0,
            phi: None,
            lift: 0.0,
            pmi: 0.0,
            unbalanced: false,
        }
    }

    #[test]
    fn graphml_escapes_markup_and_drops_what_xml_cannot_hold() {
        let codes = vec!["a&b".to_owned(), "c".to_owned()];
        let counts = BTreeMap::from([("a&b".to_owned(), 3), ("c".to_owned(), 1)]);
        let pairs = vec![pair("a&b", "c", 1, 0.25)];
        // A name pasted with a form feed and a bell in it, and a quote in angle brackets.
        let name = |id: &str| if id == "c" { "Hope\u{c}\u{7} <\"here\">\tnow".to_owned() } else { id.to_owned() };
        let text = graphml(&Network { codes: &codes, counts: &counts, pairs: &pairs, name: &name });
        assert!(
            text.contains("<node id=\"a&amp;b\"><data key=\"label\">a&amp;b</data><data key=\"units\">3</data></node>")
        );
        assert!(
            text.contains("<data key=\"label\">Hope &lt;&quot;here&quot;&gt;\tnow</data><data key=\"units\">1</data>")
        );
        assert!(text.contains(
            "<edge id=\"e0\" source=\"a&amp;b\" target=\"c\"><data key=\"n12\">1</data><data key=\"weight\">0.250000</data></edge>"
        ));
        assert!(!text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n')), "{text:?}");
        let dot =
            dot(&Network { codes: &codes, counts: &counts, pairs: &pairs, name: &|id: &str| format!("{id} \"x\"") });
        assert_eq!(
            dot,
            "graph cooccurrence {\n  \"a&b\" [label=\"a&b \\\"x\\\"\", units=3];\n  \"c\" [label=\"c \\\"x\\\"\", units=1];\n  \"a&b\" -- \"c\" [n12=1, weight=0.250000];\n}\n"
        );
    }
}
