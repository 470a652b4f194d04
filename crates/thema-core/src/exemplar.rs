//! Exemplar quotes (`thema exemplar CODE --turn ...`): a coder's coding of a passage marked, or
//! unmarked, as the quote the theme table prints for its code. The mark is a flag on the coding,
//! so it moves with the coding when a transcript is corrected. Written through the study (one step
//! inside a transaction) and logged.

use crate::span::Span;
use crate::study::Decision;
use crate::{Document, Study, StudyError};

/// What [`mark`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Marked {
    /// Codings whose mark changed.
    pub changed: usize,
    /// Codings of the passage found (the others already were as asked).
    pub found: usize,
}

/// Why nothing was marked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExemplarError {
    /// The coder has no coding of the entry there.
    #[error("{coder} has no coding of `{name}` (or of anything under it) covering that passage of `{document}`")]
    NoCoding {
        /// The coder.
        coder: String,
        /// The entry's name.
        name: String,
        /// The document.
        document: String,
        /// Other coders who coded it.
        others: Vec<String>,
    },
    /// The study could not be read or written.
    #[error(transparent)]
    Study(#[from] StudyError),
}

impl ExemplarError {
    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            ExemplarError::NoCoding { others, name, .. } => Some(match others.first() {
                Some(first) => {
                    format!("{} coded it: pass `--coder {first}` to mark that coding", crate::coders::and_list(others))
                }
                None => format!("code it first: `thema code \"{name}\" ...` with the same passage"),
            }),
            ExemplarError::Study(_) => None,
        }
    }
}

impl crate::error::Hint for ExemplarError {
    fn hint(&self) -> Option<String> {
        ExemplarError::hint(self)
    }
}

/// Mark (or with `remove`, unmark) `coder`'s codings of `entry` (or of anything under it) at
/// `span` of `document` as exemplars: the codings that cover the span, failing that those that
/// lie in it (a quote coded inside the turn named).
pub fn mark(
    study: &Study,
    document: &Document,
    span: Span,
    entry: &str,
    coder: &str,
    remove: bool,
) -> Result<Marked, ExemplarError> {
    let codebook = study.load_codebook()?;
    let under = codebook.descendants(entry);
    let name = codebook.get(entry).map_or(entry.to_owned(), |e| e.name.clone());
    let of_entry = |c: &crate::Coding| c.document == document.meta.id && under.contains(&c.code) && !c.unplaced;
    let covers = |c: &crate::Coding| of_entry(c) && c.span().encloses(span);
    let inside = |c: &crate::Coding| of_entry(c) && span.encloses(c.span());
    let mut codings = study.load_coder_codings(coder)?;
    let covering = codings.iter().any(covers);
    let mut marked = Marked { changed: 0, found: 0 };
    for c in codings.iter_mut().filter(|c| if covering { covers(c) } else { inside(c) }) {
        marked.found += 1;
        if c.exemplar == remove {
            c.exemplar = !remove;
            marked.changed += 1;
        }
    }
    if marked.found == 0 {
        let mut others = Vec::new();
        for other in study.coders()?.into_iter().filter(|o| o != coder) {
            if study.load_coder_placements(&other)?.iter().any(|c| covers(c) || inside(c)) {
                others.push(other);
            }
        }
        return Err(ExemplarError::NoCoding {
            coder: coder.to_owned(),
            name,
            document: document.meta.id.clone(),
            others,
        });
    }
    if marked.changed > 0 {
        study.save_coder_codings(coder, &codings)?;
        study.log_decision(&Decision {
            time: crate::coding::now(),
            who: coder.to_owned(),
            action: if remove { "unmark-exemplar" } else { "mark-exemplar" }.to_owned(),
            what: format!(
                "{} of `{entry}` in `{}` ({}..{})",
                crate::text::count(marked.changed, "coding", "codings"),
                document.meta.id,
                span.start,
                span.end
            ),
            why: String::new(),
        })?;
    }
    Ok(marked)
}
