//! Every format thema writes a table, a network or a document in: one enum, one writer each.

use crate::network::{self, Network};
use crate::table::Table;
use crate::PublishError;

/// A format of export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExportFormat {
    /// Markdown (`md`).
    Markdown,
    /// CSV, for programs.
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// A LaTeX `tabular`.
    Latex,
    /// A Word document.
    Docx,
    /// A self-contained HTML page.
    Html,
    /// Apache Parquet, for programs (written by `thema-parquet`, a row group at a time).
    Parquet,
    /// GraphML, a network.
    GraphMl,
    /// Graphviz DOT, a network.
    Dot,
}

impl ExportFormat {
    /// The formats a table is exported in, by the names `--format` takes.
    pub const TABLE_NAMES: [&'static str; 9] =
        ["md", "markdown", "csv", "xlsx", "latex", "tex", "docx", "html", "parquet"];

    /// The format of this name (`md` or `markdown`, `latex` or `tex`, ...).
    pub fn from_name(name: &str) -> Option<ExportFormat> {
        Some(match name {
            "md" | "markdown" => ExportFormat::Markdown,
            "csv" => ExportFormat::Csv,
            "xlsx" => ExportFormat::Xlsx,
            "latex" | "tex" => ExportFormat::Latex,
            "docx" => ExportFormat::Docx,
            "html" | "htm" => ExportFormat::Html,
            "parquet" => ExportFormat::Parquet,
            "graphml" => ExportFormat::GraphMl,
            "dot" | "gv" => ExportFormat::Dot,
            _ => return None,
        })
    }

    /// The format of a file by its extension, in any case; `None` for one thema does not write.
    pub fn from_extension(extension: &str) -> Option<ExportFormat> {
        ExportFormat::from_name(&extension.to_ascii_lowercase())
    }

    /// Its short name, as messages give it (`md`, `latex`, `xlsx`).
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "md",
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Latex => "latex",
            ExportFormat::Docx => "docx",
            ExportFormat::Html => "html",
            ExportFormat::Parquet => "parquet",
            ExportFormat::GraphMl => "graphml",
            ExportFormat::Dot => "dot",
        }
    }

    /// True for the formats a table is written in (all but the networks').
    pub fn writes_tables(self) -> bool {
        !matches!(self, ExportFormat::GraphMl | ExportFormat::Dot)
    }

    /// True for the formats that are not text (they are written to a file, not printed).
    pub fn is_binary(self) -> bool {
        matches!(self, ExportFormat::Xlsx | ExportFormat::Docx | ExportFormat::Parquet)
    }

    /// True for the formats programs read (ids and plain values rather than what reads well).
    pub fn is_data(self) -> bool {
        matches!(self, ExportFormat::Csv | ExportFormat::Parquet)
    }

    /// A table in this format.
    pub fn table(self, table: &Table) -> Result<Vec<u8>, PublishError> {
        Ok(match self {
            ExportFormat::Markdown => table.markdown().into_bytes(),
            ExportFormat::Csv => table.csv()?.into_bytes(),
            ExportFormat::Latex => table.latex().into_bytes(),
            ExportFormat::Html => crate::report::page(&table.title, &table.html("table")).into_bytes(),
            ExportFormat::Xlsx => crate::office::xlsx(std::slice::from_ref(table))?,
            ExportFormat::Docx => crate::office::docx(std::slice::from_ref(table))?,
            other => return Err(PublishError(format!("`{}` is not an export format", other.name()))),
        })
    }

    /// A network in this format (GraphML or DOT).
    pub fn network(self, network: &Network<'_>) -> Result<String, PublishError> {
        match self {
            ExportFormat::GraphMl => Ok(network::graphml(network)),
            ExportFormat::Dot => Ok(network::dot(network)),
            other => Err(PublishError(format!("a network is not written as `{}`", other.name()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions() {
        for name in ExportFormat::TABLE_NAMES {
            assert!(ExportFormat::from_name(name).is_some(), "{name}");
        }
        assert_eq!(ExportFormat::from_name("tex"), Some(ExportFormat::Latex));
        assert_eq!(ExportFormat::from_extension("MD"), Some(ExportFormat::Markdown));
        assert_eq!(ExportFormat::from_extension("htm"), Some(ExportFormat::Html));
        assert_eq!(ExportFormat::from_extension("pdf"), None);
        assert!(ExportFormat::Parquet.is_binary() && ExportFormat::Parquet.is_data());
        assert!(!ExportFormat::Csv.is_binary() && ExportFormat::Csv.is_data());
        let mut table = Table::new("T", &["a", "b"]);
        table.rows.push(crate::table::Row::new(vec!["1".into(), "x,y".into()]));
        assert_eq!(String::from_utf8(ExportFormat::Csv.table(&table).unwrap()).unwrap(), table.csv().unwrap());
        assert_eq!(ExportFormat::Dot.table(&table).unwrap_err().to_string(), "`dot` is not an export format");
    }
}
