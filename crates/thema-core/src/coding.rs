//! Codings: a code applied by a coder to a span of a document (`codings/<coder>.jsonl`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One coding, one line of `codings/<coder>.jsonl`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coding {
    /// Document id.
    pub document: String,
    /// First code point of the segment.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Codebook entry id.
    pub code: String,
    /// Who applied it.
    pub coder: String,
    /// The coded text, for verification and re-anchoring.
    pub quote: String,
}

impl Coding {
    /// The coded span.
    pub fn span(&self) -> crate::span::Span {
        crate::span::Span { start: self.start, end: self.end }
    }
}
