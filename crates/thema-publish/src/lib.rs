//! What a study publishes. Tables ([`table::Table`]) are built from the study once and written
//! in any format ([`ExportFormat`]): Markdown, CSV, LaTeX, HTML ([`table`]), XLSX and DOCX
//! ([`office`]); the team review page ([`review`]); the co-occurrence network as GraphML or DOT ([`network`]). The same
//! study gives the same bytes in every format: no timestamps, no random ids.

mod export_format;
pub mod matrix;
pub mod network;
pub mod office;
pub mod report;
pub mod review;
pub mod table;
pub mod tables;
pub mod team_report;
pub mod trajectories;

pub use export_format::ExportFormat;

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PublishError(pub String);

// Counts as the tables and the report print them (`1,234 turns`): one home, in thema-core.
pub use thema_core::text::{count, thousands};
