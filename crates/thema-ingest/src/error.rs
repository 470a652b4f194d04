//! Why a file could not be imported.

use crate::format::Format;

/// A file could not be read as a transcript. Messages name the line where there is one; the
/// caller adds the file name.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(std::io::Error),
    /// The file is larger than the import limit.
    #[error("the file is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Size of the file.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is empty or holds only white space.
    #[error("the file is empty")]
    Empty,
    /// The bytes are not text in the expected encoding.
    #[error("{message}")]
    Encoding {
        /// What was found and what to do.
        message: String,
    },
    /// The file's content does not follow its format.
    #[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Format {
        /// The format it was read as.
        format: Format,
        /// 1-based line of the problem, when there is one.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// A zip container (DOCX, ODT) is damaged, unsafe or too large.
    #[error("{0}")]
    Archive(String),
    /// The program that reads the format (pdftotext for PDF) is missing or failed, or the file
    /// holds nothing it can read (a PDF of scanned images).
    #[error("{0}")]
    Tool(String),
}

impl From<std::io::Error> for IngestError {
    fn from(error: std::io::Error) -> Self {
        IngestError::Io(error)
    }
}

impl IngestError {
    /// A format error on a line.
    pub fn at(format: Format, line: usize, message: impl Into<String>) -> IngestError {
        IngestError::Format { format, line: Some(line), message: message.into() }
    }

    /// A format error not tied to a line.
    pub fn format(format: Format, message: impl Into<String>) -> IngestError {
        IngestError::Format { format, line: None, message: message.into() }
    }
}
