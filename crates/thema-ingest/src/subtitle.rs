//! WebVTT, SRT and SBV captions. (Being written; see the module docs once done.)

use crate::error::IngestError;
use crate::format::Format;
use crate::transcript::Transcript;

/// Read WebVTT.
pub fn parse_vtt(_text: &str) -> Result<Transcript, IngestError> {
    Err(IngestError::format(Format::Vtt, "not implemented yet"))
}

/// Read SRT.
pub fn parse_srt(_text: &str) -> Result<Transcript, IngestError> {
    Err(IngestError::format(Format::Srt, "not implemented yet"))
}

/// Read SBV.
pub fn parse_sbv(_text: &str) -> Result<Transcript, IngestError> {
    Err(IngestError::format(Format::Sbv, "not implemented yet"))
}
