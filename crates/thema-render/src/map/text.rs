//! Graphviz DOT and Mermaid: the same map as text to restyle.

use super::*;

/// The cards of a codebook for the text formats: relations and entries with problems are left
/// out rather than refused.
pub(super) struct TextMap<'a> {
    pub(super) model: Model<'a>,
    pub(super) cards: Cards,
    pub(super) layer: Vec<usize>,
    pub(super) colour: Vec<Rgb>,
}

impl<'a> TextMap<'a> {
    pub(super) fn new(entries: &'a [MapEntry], relations: &'a [MapRelation], options: &MapOptions) -> TextMap<'a> {
        let (model, _) = Model::new(entries, relations);
        let cards = plan_cards(&model, options.codes);
        let links = links(&model, &cards.card_of);
        let layer = layer_cards(&cards.infos, &links);
        let others = other_roles(&cards.infos);
        let colour = cards.infos.iter().map(|c| role_colour(c.role.as_deref(), &others)).collect();
        TextMap { model, cards, layer, colour }
    }

    /// The entry a relation end is drawn at: the entry if it is listed on its card, else its
    /// nearest listed ancestor; none for the card's header.
    pub(super) fn shown(&self, e: usize) -> Option<usize> {
        let card = self.cards.card_of[e]?;
        let listed = &self.cards.infos[card].lines;
        let mut at = Some(e);
        while let Some(a) = at {
            if listed.iter().any(|&(l, _)| l == a) {
                return Some(a);
            }
            at = self.model.parent[a];
        }
        None
    }
}

/// `text` inside a double-quoted DOT string.
pub(super) fn dot_string(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace(['\n', '\r'], " ")
}

/// Writes the theme map as a Graphviz graph: each card an HTML-like table (header coloured by
/// role, the sub-themes and codes as rows, each a port), ranked by the same layers as [`layout`],
/// the relations as labelled edges between the cards, or the rows, they name. Relations naming unknown ids are
/// left out; [`layout`] reports them.
pub fn dot(entries: &[MapEntry], relations: &[MapRelation], options: &MapOptions) -> String {
    let map = TextMap::new(entries, relations, options);
    let mut out = String::from("digraph theme_map {\n");
    let _ = writeln!(
        out,
        "  graph [fontname=\"DejaVu Sans\", fontsize=20, labelloc=\"t\", label=\"{}\", rankdir=TB, nodesep=0.5, ranksep=0.8];",
        dot_string(options.title.trim())
    );
    out.push_str("  node [fontname=\"DejaVu Sans\", fontsize=12, shape=plain];\n");
    out.push_str("  edge [fontname=\"DejaVu Sans\", fontsize=11, color=\"#555555\"];\n");
    let width = CARD_WIDTH - 2.0 * CARD_PAD;
    // Wrapped as on the map, each line indented alike.
    let html_lines = |text: &str, font: &Font, max: f64, indent: &str| {
        wrap(text, font, max)
            .iter()
            .map(|l| format!("{indent}{}", xml(l)))
            .collect::<Vec<_>>()
            .join("<BR ALIGN=\"LEFT\"/>")
    };
    for (c, info) in map.cards.infos.iter().enumerate() {
        let colour = map.colour[c];
        let tint = if info.root.is_none() { Rgb(242, 242, 242) } else { colour.mix(WHITE, 0.82) };
        let _ = write!(
            out,
            "  card{c} [label=<<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"4\" COLOR=\"{}\" BGCOLOR=\"#ffffff\">",
            colour.hex()
        );
        let role = info.role.as_deref().map_or(String::new(), |r| {
            format!(
                "<FONT POINT-SIZE=\"9\" COLOR=\"{}\">{}</FONT><BR ALIGN=\"LEFT\"/>",
                colour.mix(BLACK, 0.3).hex(),
                xml(&r.to_uppercase())
            )
        });
        let _ = write!(
            out,
            "<TR><TD BGCOLOR=\"{}\" ALIGN=\"LEFT\" BALIGN=\"LEFT\">{role}<B>{}</B></TD></TR>",
            tint.hex(),
            html_lines(&info.name, &NAME_FONT, width, "")
        );
        for &(e, depth) in &info.lines {
            let entry = map.model.entries[e];
            let indent = "&#160;".repeat(4 * (depth - 1));
            let (font, text) = match entry.kind {
                MapKind::Theme | MapKind::SubTheme => (&SUB_THEME_FONT, format!("• {}", entry.name)),
                MapKind::Code if entry.in_vivo => (&CODE_FONT, format!("\u{201c}{}\u{201d}", entry.name)),
                _ => (&CODE_FONT, entry.name.clone()),
            };
            let mut body = html_lines(&text, font, width - 14.0 * (depth - 1) as f64, &indent);
            if entry.kind == MapKind::Code && entry.in_vivo {
                body = format!("<I>{body}</I>");
            }
            if font.size < SUB_THEME_FONT.size {
                body = format!("<FONT POINT-SIZE=\"10\">{body}</FONT>");
            }
            let _ = write!(out, "<TR><TD PORT=\"e{e}\" ALIGN=\"LEFT\" BALIGN=\"LEFT\">{body}</TD></TR>");
        }
        out.push_str("</TABLE>>];\n");
    }
    let depth = map.layer.iter().max().map_or(0, |m| m + 1);
    for l in 0..depth {
        let members: Vec<String> =
            (0..map.layer.len()).filter(|&c| map.layer[c] == l).map(|c| format!("card{c}")).collect();
        let _ = writeln!(out, "  {{ rank=same; {}; }}", members.join("; "));
    }
    let mut seen = BTreeSet::new();
    for &(from, to, k) in &map.model.relations {
        let (Some(a), Some(b)) = (map.cards.card_of[from], map.cards.card_of[to]) else { continue };
        // A relation of a listed entry starts or ends at its row; of a theme, at the card.
        let end = |card: usize, e: usize| map.shown(e).map_or(format!("card{card}"), |s| format!("card{card}:e{s}"));
        let (ea, eb) = (end(a, from), end(b, to));
        let label = map.model.labels[k];
        if seen.insert((ea.clone(), eb.clone(), label)) {
            let _ = writeln!(out, "  {ea} -> {eb} [label=\"{}\"];", dot_string(label));
        }
    }
    out.push_str("}\n");
    out
}

/// `text` inside a double-quoted Mermaid label (Mermaid's entity codes for the quote and angle
/// brackets).
pub(super) fn mermaid_string(text: &str) -> String {
    text.replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;").replace(['\n', '\r'], " ")
}

/// Writes the theme map as a Mermaid `flowchart TB`: each theme a subgraph holding its sub-themes
/// (and codes, a sub-theme with codes a subgraph of its own), coloured by role; the relations as
/// labelled edges between the entries they name. Ids are made of letters, digits and `_` only,
/// with a prefix so no id is a Mermaid keyword; labels are quoted. Relations naming unknown ids are
/// left out; [`layout`] reports them.
pub fn mermaid(entries: &[MapEntry], relations: &[MapRelation], options: &MapOptions) -> String {
    let map = TextMap::new(entries, relations, options);
    let mut taken = BTreeSet::new();
    let mut unique = |prefix: &str, id: &str| {
        let base: String =
            format!("{prefix}_{id}").chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        let mut name = base.clone();
        let mut k = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}_{k}");
            k += 1;
        }
        name
    };
    let card_ids: Vec<String> = map
        .cards
        .infos
        .iter()
        .map(|c| match c.root {
            Some(r) if map.model.entries[r].kind == MapKind::Theme => unique("t", &c.id),
            Some(_) => unique("s", &c.id),
            None => unique("u", "not_in_a_theme"),
        })
        .collect();
    let mut entry_ids: BTreeMap<usize, String> = BTreeMap::new();
    for info in &map.cards.infos {
        for &(e, _) in &info.lines {
            let entry = map.model.entries[e];
            let prefix = match entry.kind {
                MapKind::Theme | MapKind::SubTheme => "s",
                MapKind::Category => "k",
                MapKind::Code => "c",
            };
            entry_ids.insert(e, unique(prefix, &entry.id));
        }
    }
    let mut out = String::new();
    if !options.title.trim().is_empty() {
        let title = options.title.trim().replace('\\', "\\\\").replace('"', "\\\"");
        let _ = writeln!(out, "---\ntitle: \"{title}\"\n---");
    }
    out.push_str("flowchart TB\n");
    for (c, info) in map.cards.infos.iter().enumerate() {
        let name = mermaid_string(&info.name);
        if info.lines.is_empty() {
            let _ = writeln!(out, "  {}[\"{name}\"]", card_ids[c]);
            continue;
        }
        let _ = writeln!(out, "  subgraph {}[\"{name}\"]", card_ids[c]);
        out.push_str("    direction TB\n");
        // The lines are in preorder with their depth: a line followed by a deeper one opens a
        // subgraph, closed when the depth comes back.
        let mut open = 0;
        for (i, &(e, depth)) in info.lines.iter().enumerate() {
            while open >= depth {
                open -= 1;
                let _ = writeln!(out, "{}end", "  ".repeat(open + 2));
            }
            let entry = map.model.entries[e];
            let text = if entry.kind == MapKind::Code && entry.in_vivo {
                format!("\u{201c}{}\u{201d}", entry.name)
            } else {
                entry.name.clone()
            };
            let indent = "  ".repeat(depth + 1);
            let has_children = info.lines.get(i + 1).is_some_and(|&(_, d)| d > depth);
            if has_children {
                let _ = writeln!(out, "{indent}subgraph {}[\"{}\"]", entry_ids[&e], mermaid_string(&text));
                let _ = writeln!(out, "{indent}  direction TB");
                open = depth;
            } else {
                let _ = writeln!(out, "{indent}{}[\"{}\"]", entry_ids[&e], mermaid_string(&text));
            }
        }
        while open > 0 {
            open -= 1;
            let _ = writeln!(out, "{}end", "  ".repeat(open + 2));
        }
        out.push_str("  end\n");
    }
    let mut seen = BTreeSet::new();
    for &(from, to, k) in &map.model.relations {
        let (Some(a), Some(b)) = (map.cards.card_of[from], map.cards.card_of[to]) else { continue };
        let id = |e: usize, card: usize| map.shown(e).map_or(&card_ids[card], |s| &entry_ids[&s]);
        let (ia, ib) = (id(from, a), id(to, b));
        let label = map.model.labels[k];
        if seen.insert((ia.clone(), ib.clone(), label)) {
            if label.is_empty() {
                let _ = writeln!(out, "  {ia} --> {ib}");
            } else {
                let _ = writeln!(out, "  {ia} -->|\"{}\"| {ib}", mermaid_string(label));
            }
        }
    }
    for (c, info) in map.cards.infos.iter().enumerate() {
        let colour = map.colour[c];
        let fill = if info.root.is_none() { Rgb(242, 242, 242) } else { colour.mix(WHITE, 0.82) };
        let _ = writeln!(out, "  style {} fill:{},stroke:{},color:{INK}", card_ids[c], fill.hex(), colour.hex());
    }
    out
}
