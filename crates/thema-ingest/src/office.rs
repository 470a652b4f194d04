//! DOCX and ODT. (Being written.)

use crate::error::IngestError;
use crate::Limits;

/// Paragraphs of a DOCX, one a line.
pub fn docx_text(_bytes: &[u8], _limits: &Limits) -> Result<String, IngestError> {
    Err(IngestError::Archive("not implemented yet".into()))
}

/// Paragraphs of an ODT, one a line.
pub fn odt_text(_bytes: &[u8], _limits: &Limits) -> Result<String, IngestError> {
    Err(IngestError::Archive("not implemented yet".into()))
}
