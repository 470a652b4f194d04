//! What a study publishes. Tables ([`table::Table`]) are built from the study once and written
//! in any format ([`ExportFormat`]): Markdown, CSV, LaTeX, HTML ([`table`]), XLSX and DOCX
//! ([`office`]); the co-occurrence network as GraphML or DOT ([`network`]). The same
//! study gives the same bytes in every format: no timestamps, no random ids.

mod export_format;
pub mod matrix;
pub mod network;
pub mod office;
pub mod report;
pub mod table;
pub mod tables;
pub mod team_report;

pub use export_format::ExportFormat;

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PublishError(pub String);

/// `1,234` for 1234: digits grouped by three, as the tables and the report print counts.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 turn`, `2 turns`, `1,000 turns`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}
