//! Search over a thema study: a tantivy index of its turns with their speakers, participants'
//! attributes and codes ([`index`]), queries with filters and located matches ([`search`]),
//! keyword in context ([`kwic`]), coding every hit of a search ([`autocode`]).
//!
//! The index is derived data under `.thema/index/`: built on demand, refreshed from content
//! hashes, rebuilt when missing, damaged or of another format.

use std::path::Path;

pub mod autocode;
pub mod index;
pub mod kwic;
pub mod search;
pub mod words;

pub use autocode::{autocode, AutocodeError, AutocodeOptions, Autocoded, Unit};
pub use index::{Freshness, SearchIndex};
pub use search::{Filters, Hit, HitOrder, Request, Results, Where};

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The study could not be read.
    #[error(transparent)]
    Study(#[from] thema_core::StudyError),
    /// The query does not parse.
    #[error("the query does not parse: {message}{}", position.map(|p| format!(" (at character {})", p + 1)).unwrap_or_default())]
    Query {
        /// The parser's message.
        message: String,
        /// Byte offset in the query, when the parser gives one.
        position: Option<usize>,
    },
    /// tantivy failed.
    #[error("search index: {0}")]
    Index(String),
    /// The index could not be written in its folder: the disk is full, the folder read-only...
    #[error("cannot write the search index in `{dir}`: {cause}")]
    Write {
        /// The index folder.
        dir: String,
        /// What the operating system (or tantivy, when it kept no OS error) said.
        cause: String,
        /// The kind of the OS error, when there was one.
        kind: Option<std::io::ErrorKind>,
    },
    /// A file could not be read or written.
    #[error("`{path}`: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

impl SearchError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        SearchError::Io { path: path.display().to_string(), source }
    }

    /// True when the disk (or the user's quota) is full.
    pub fn is_disk_full(&self) -> bool {
        match self {
            SearchError::Write { kind, .. } => {
                matches!(kind, Some(std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded))
            }
            SearchError::Io { source, .. } => {
                matches!(source.kind(), std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded)
            }
            _ => false,
        }
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e.to_string())
    }
}
