//! What a study publishes. Tables ([`table::Table`]) are built from the study once and written
//! in any format: Markdown, CSV, LaTeX, HTML ([`table`]), XLSX and DOCX ([`office`]). The same
//! study gives the same bytes in every format: no timestamps, no random ids.

pub mod office;
pub mod report;
pub mod table;
pub mod tables;

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PublishError(pub String);
