//! JSON turn lists.
use crate::error::IngestError;
use crate::format::Format;
use crate::transcript::Transcript;

/// Read a JSON list of turns.
pub fn parse_json(_text: &str) -> Result<Transcript, IngestError> {
    Err(IngestError::format(Format::Json, "not implemented yet"))
}
