//! CSV of open-ended survey answers.
use crate::error::IngestError;
use crate::format::Format;
use crate::transcript::Transcript;
use crate::Options;

/// Read a survey CSV.
pub fn parse_csv(_text: &str, _file_name: &str, _options: &Options) -> Result<Transcript, IngestError> {
    Err(IngestError::format(Format::Csv, "not implemented yet"))
}
