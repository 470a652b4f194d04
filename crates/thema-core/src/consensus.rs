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
use crate::Study;

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

/// What [`merge_coders`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// Codings of the first coder and of the second.
    pub sources: (usize, usize),
    /// Codings of the consensus set.
    pub codings: usize,
    /// The disagreements resolved, in order.
    pub conflicts: Vec<Conflict>,
}

/// Why two coders could not be merged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// A source coder the study does not have.
    #[error(transparent)]
    UnknownCoder(StudyError),
    /// The consensus would replace one of its sources.
    #[error("the consensus of {0} and {1} cannot replace one of them")]
    IntoASource(String, String),
    /// Not a coder id.
    #[error("`{0}` is not a coder id")]
    BadId(String),
    /// The consensus coder has codings and `replace` was not asked.
    #[error("coder `{0}` already has codings")]
    Exists(String),
    /// The study could not be read or written.
    #[error(transparent)]
    Study(#[from] StudyError),
}

impl MergeError {
    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            MergeError::UnknownCoder(_) => Some("`thema coders` lists the coders".to_owned()),
            MergeError::IntoASource(..) => {
                Some("name the consensus set with `--into`, such as `--into team`".to_owned())
            }
            MergeError::Exists(_) => Some("choose another name with `--into`, or pass `--replace`".to_owned()),
            _ => None,
        }
    }
}

impl crate::error::Hint for MergeError {
    fn hint(&self) -> Option<String> {
        MergeError::hint(self)
    }
}

/// Merge coders `a` and `b` into the consensus set `into` (`thema merge-coders`): its codings
/// written, and `into` recorded in `thema.toml` as derived from them, so analyses count it
/// instead of beside its sources. With `agreed_only`, only the passages both coded are kept;
/// `replace` lets `into` replace codings it already has.
pub fn merge_coders(
    study: &Study,
    a: &str,
    b: &str,
    into: &str,
    agreed_only: bool,
    replace: bool,
) -> Result<Merged, MergeError> {
    let coders = study.coders()?;
    for coder in [a, b] {
        study.known_coder(coder).map_err(MergeError::UnknownCoder)?;
    }
    if into == a || into == b {
        return Err(MergeError::IntoASource(a.to_owned(), b.to_owned()));
    }
    if !crate::coding::is_valid_coder(into) {
        return Err(MergeError::BadId(into.to_owned()));
    }
    if coders.iter().any(|c| c == into) && !replace {
        return Err(MergeError::Exists(into.to_owned()));
    }
    let codings_a = study.load_coder_codings(a)?;
    let codings_b = study.load_coder_codings(b)?;
    let mut documents = BTreeMap::new();
    for id in codings_a.iter().chain(&codings_b).map(|c| c.document.clone()) {
        if !documents.contains_key(&id) {
            documents.insert(id.clone(), study.load_document(&id)?);
        }
    }
    let time = crate::coding::now();
    let (merged, conflicts) = merge((a, &codings_a), (b, &codings_b), into, !agreed_only, &documents, &time)?;
    study.save_coder_codings(into, &merged)?;
    let mut changed = study.clone();
    changed.settings.coders.insert(
        into.to_owned(),
        crate::settings::DerivedCoder {
            sources: vec![a.to_owned(), b.to_owned()],
            method: if agreed_only { "agreed" } else { "consensus" }.to_owned(),
            created: time,
        },
    );
    changed.save_settings()?;
    Ok(Merged { sources: (codings_a.len(), codings_b.len()), codings: merged.len(), conflicts })
}
