//! `thema apply`: an edited coding sheet read back into the codings of the coder it names. The
//! plan ([`plan`]) says what the sheet adds and removes; [`SheetPlan::apply`] writes it through
//! the study (one step inside a transaction). Added segments are placed by
//! [`coding::place`](crate::coding::place), the one rule of one coding a passage a code a coder.

use crate::coding::{now, place, Placed};
use crate::sheet::{header, read_sheet, SheetError, SheetErrors};
use crate::span::SpanError;
use crate::{Coding, Study, StudyError};

/// A segment of the sheet joined with a coding of its code (overlapping or touching), not simply
/// added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetJoin {
    /// How it was placed.
    pub placed: Placed,
    /// Where the segment started.
    pub start: usize,
    /// Its quote.
    pub quote: String,
    /// Its code's id.
    pub code: String,
}

/// What a sheet changes.
#[derive(Clone, Debug)]
pub struct SheetPlan {
    /// The document the sheet is of.
    pub document: String,
    /// The coder whose codings it holds.
    pub coder: String,
    /// Codings the sheet has and the coder does not, in sheet order.
    pub added: Vec<Coding>,
    /// Codings the coder has in the document and the sheet does not.
    pub removed: Vec<Coding>,
    /// Added segments joined with another coding of their code.
    pub joins: Vec<SheetJoin>,
    /// The coder's codings once applied.
    codings: Vec<Coding>,
}

impl SheetPlan {
    /// Whether the sheet matches the codings already.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }

    /// Write the coder's codings as the sheet has them.
    pub fn apply(self, study: &Study) -> Result<(), StudyError> {
        study.save_coder_codings(&self.coder, &self.codings)
    }
}

/// Why a sheet could not be read back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SheetApplyError {
    /// The first line is not a sheet's header.
    #[error("{0}")]
    Header(SheetError),
    /// The header names a document the study does not have.
    #[error(transparent)]
    Document(StudyError),
    /// The markup has problems; nothing is applied.
    #[error("{} in the sheet; nothing was applied", crate::text::count(.0.0.len(), "problem", "problems"))]
    Sheet(SheetErrors),
    /// A segment's span does not fit the text.
    #[error(transparent)]
    Span(#[from] SpanError),
    /// The study could not be read.
    #[error(transparent)]
    Study(#[from] StudyError),
}

impl SheetApplyError {
    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            SheetApplyError::Document(_) => Some("the sheet names a document this study does not have".to_owned()),
            SheetApplyError::Sheet(_) => Some(
                "the header's `%% codes:` line lists the code ids; a new code is added with `thema codebook add NAME --id ID`"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

impl crate::error::Hint for SheetApplyError {
    fn hint(&self) -> Option<String> {
        SheetApplyError::hint(self)
    }
}

/// What the sheet `text` changes in the codings of the coder it names.
pub fn plan(study: &Study, text: &str) -> Result<SheetPlan, SheetApplyError> {
    let (doc_id, coder, _) = header(text).map_err(SheetApplyError::Header)?;
    let document = study.load_document(&doc_id).map_err(SheetApplyError::Document)?;
    let codebook = study.load_codebook()?;
    let sheet = read_sheet(text, &document, Some(&codebook)).map_err(SheetApplyError::Sheet)?;
    let existing = study.load_coder_codings(&coder)?;
    let (mine, others): (Vec<Coding>, Vec<Coding>) =
        existing.into_iter().partition(|c| c.document == doc_id && !c.unplaced);
    let in_sheet = |c: &Coding| sheet.segments.iter().any(|s| s.code == c.code && s.span == c.span());
    let removed: Vec<Coding> = mine.iter().filter(|c| !in_sheet(c)).cloned().collect();
    let time = now();
    let mut added = Vec::new();
    for s in &sheet.segments {
        if !mine.iter().any(|c| c.code == s.code && c.span() == s.span) {
            added.push(Coding::new(&document, s.span, &s.code, &coder, &time)?);
        }
    }
    // One coding a passage a code a coder: an added segment that overlaps or touches another of
    // its code (kept, or added before it) is joined with it.
    let mut placed: Vec<Coding> = mine.iter().filter(|c| in_sheet(c)).cloned().collect();
    let mut joins = Vec::new();
    for c in added.iter().cloned() {
        let (start, quote, code) = (c.start, c.quote.clone(), c.code.clone());
        let how = place(&mut placed, c, &document)?;
        if how != Placed::Added {
            joins.push(SheetJoin { placed: how, start, quote, code });
        }
    }
    let codings = others.into_iter().chain(placed).collect();
    Ok(SheetPlan { document: doc_id, coder, added, removed, joins, codings })
}
