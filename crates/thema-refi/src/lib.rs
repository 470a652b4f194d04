//! REFI-QDA exchange: the codebook exchange file (`.qdc`) and the project exchange file
//! (`.qdpx`) of the REFI-QDA standard 1.5, the formats NVivo, ATLAS.ti, MAXQDA, QualCoder,
//! Taguette and others read and write.
//!
//! - [`codebook`]: a thema codebook to and from REFI-QDA codes and sets, and the merge of an
//!   imported codebook into an existing one (by GUID, then by name).
//! - [`project`]: a whole study to a `.qdpx` and back: documents as text sources, codings as
//!   selections, participants as cases with variables, memos as notes, relations as links.
//! - [`positions`]: selection offsets converted at the border. thema counts Unicode code points
//!   in LF text; NVivo counts UTF-16 units, ATLAS.ti counts CRLF as one character.
//! - [`xml`] and [`archive`]: reading other people's files safely (no document types or
//!   entities, bounded depth; zip entries checked for paths, sizes and compression ratio).
//!
//! What thema writes is strict: it validates against the standard's schemas, GUIDs are derived
//! from thema's ids ([`guid`]) so the same study always gives the same bytes. What it reads is
//! lenient where real exporters are sloppy: see `docs/refi-qda.md`.

pub mod archive;
pub mod codebook;
pub mod guid;
pub mod positions;
pub mod project;
pub mod xml;

use thema_core::StudyError;

/// What can go wrong reading or writing REFI-QDA.
#[derive(Debug, thiserror::Error)]
pub enum RefiError {
    /// The XML is not well formed or not REFI-QDA; names the entry and line.
    #[error("{file}: line {line}: {message}")]
    Xml {
        /// File or zip entry.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The zip archive is damaged or hostile.
    #[error("{0}")]
    Archive(String),
    /// The content cannot be brought into thema (or out of it).
    #[error("{0}")]
    Invalid(String),
    /// Reading or writing the study failed.
    #[error(transparent)]
    Study(#[from] StudyError),
}

/// The `origin` attribute thema writes.
pub fn origin() -> String {
    format!("thema {}", env!("CARGO_PKG_VERSION"))
}
