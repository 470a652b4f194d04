//! A consensus set from two coders' codings (`thema merge-coders`).
//!
//! Segments both coders gave the same code are matched when they overlap. A match with the same
//! span is agreement; a match with different spans is resolved to the smallest span covering
//! both, and listed. A segment only one coder gave is listed too, and kept (`keep_all`) or left
//! out (agreed segments only).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::coding::Coding;
use crate::document::Document;
use crate::error::StudyError;

/// A disagreement the merge had to resolve.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// Document id.
    pub document: String,
    /// Code id.
    pub code: String,
    /// What happened: `spans differ` (resolved to their cover) or `only <coder>` (kept or left
    /// out).
    pub kind: String,
    /// The resolution, in words.
    pub resolution: String,
    /// The quote(s) involved.
    pub quote: String,
}

/// Merge two coders' codings into a consensus set for coder `into`.
pub fn merge(
    a: (&str, &[Coding]),
    b: (&str, &[Coding]),
    into: &str,
    keep_all: bool,
    documents: &BTreeMap<String, Document>,
    time: &str,
) -> Result<(Vec<Coding>, Vec<Conflict>), StudyError> {
    let mut out = Vec::new();
    let mut conflicts = Vec::new();
    let mut used_b = vec![false; b.1.len()];
    let make = |document: &str, span: crate::Span, code: &str| -> Result<Coding, StudyError> {
        let doc = documents.get(document).ok_or_else(|| StudyError::UnknownDocument {
            id: document.to_owned(),
            suggestion: crate::suggest::did_you_mean(document, documents.keys().map(String::as_str)),
        })?;
        Coding::new(doc, span, code, into, time).map_err(|e| StudyError::Invalid(format!("`{document}`: {e}")))
    };
    for ca in a.1.iter().filter(|c| !c.unplaced) {
        let partner = b.1.iter().enumerate().find(|(i, cb)| {
            !used_b[*i]
                && !cb.unplaced
                && cb.document == ca.document
                && cb.code == ca.code
                && cb.span().overlaps(ca.span())
        });
        match partner {
            Some((i, cb)) => {
                used_b[i] = true;
                let span = ca.span().cover(cb.span());
                if ca.span() != cb.span() {
                    conflicts.push(Conflict {
                        document: ca.document.clone(),
                        code: ca.code.clone(),
                        kind: "spans differ".into(),
                        resolution: format!("{} coded {}, {} coded {}; kept {span}", a.0, ca.span(), b.0, cb.span()),
                        quote: format!("“{}” / “{}”", ca.quote, cb.quote),
                    });
                }
                // An exemplar mark of either coder stays with the passage.
                let mut merged = make(&ca.document, span, &ca.code)?;
                merged.exemplar = ca.exemplar || cb.exemplar;
                out.push(merged);
            }
            None => {
                conflicts.push(one_sided(ca, a.0, keep_all));
                if keep_all {
                    out.push(Coding { exemplar: ca.exemplar, ..make(&ca.document, ca.span(), &ca.code)? });
                }
            }
        }
    }
    for (i, cb) in b.1.iter().enumerate() {
        if !used_b[i] && !cb.unplaced {
            conflicts.push(one_sided(cb, b.0, keep_all));
            if keep_all {
                out.push(Coding { exemplar: cb.exemplar, ..make(&cb.document, cb.span(), &cb.code)? });
            }
        }
    }
    conflicts.sort_by(|x, y| (&x.document, &x.code, &x.quote).cmp(&(&y.document, &y.code, &y.quote)));
    Ok((out, conflicts))
}

fn one_sided(c: &Coding, coder: &str, keep_all: bool) -> Conflict {
    Conflict {
        document: c.document.clone(),
        code: c.code.clone(),
        kind: format!("only {coder}"),
        resolution: if keep_all { format!("kept {}", c.span()) } else { format!("left out {}", c.span()) },
        quote: format!("“{}”", c.quote),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::DocumentMeta;
    use crate::Span;

    #[test]
    fn agreement_cover_and_one_sided() {
        let text = "Mo: it is a matter of showing that there is a way out, just by seeing somebody.";
        let doc = Document { meta: DocumentMeta::new("int1", "interview"), text: text.into(), turns: vec![] };
        let c = |coder: &str, s: usize, e: usize, code: &str| {
            Coding::new(&doc, Span { start: s, end: e }, code, coder, "t").unwrap()
        };
        let hp = vec![c("hp", 22, 53, "way-out"), c("hp", 4, 9, "hope"), c("hp", 55, 78, "seeing")];
        let mk = vec![c("mk", 22, 53, "way-out"), c("mk", 0, 9, "hope"), c("mk", 60, 70, "other")];
        let documents = BTreeMap::from([("int1".to_owned(), doc.clone())]);
        let (all, conflicts) = merge(("hp", &hp), ("mk", &mk), "team", true, &documents, "t").unwrap();
        let spans: Vec<(&str, Span)> = all.iter().map(|c| (c.code.as_str(), c.span())).collect();
        assert_eq!(
            spans,
            [
                ("way-out", Span { start: 22, end: 53 }),
                ("hope", Span { start: 0, end: 9 }),
                ("seeing", Span { start: 55, end: 78 }),
                ("other", Span { start: 60, end: 70 })
            ]
        );
        assert!(all.iter().all(|c| c.coder == "team"));
        let kinds: Vec<&str> = conflicts.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["spans differ", "only mk", "only hp"]);
        let (agreed, _) = merge(("hp", &hp), ("mk", &mk), "team", false, &documents, "t").unwrap();
        assert_eq!(agreed.len(), 2);
    }
}
