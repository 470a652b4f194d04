//! Readers that turn transcripts into thema documents: plain text and Markdown with speaker
//! labels, WebVTT, SRT and SBV captions, DOCX and ODT (read with zip and quick-xml, no office
//! suite), CSV of open-ended survey answers, and JSON lists of `{speaker, content}` turns.
//!
//! Every reader produces a [`Transcript`]: normalised text, speaker turns as code point spans,
//! the lines it could not attribute to a speaker, and warnings. Text formats keep their text as
//! written (only the byte order mark and line endings change); formats without a text of their
//! own (captions, JSON, CSV) are rendered as `Speaker: speech` paragraphs.

pub mod archive;
pub mod audit;
pub mod clean;
pub mod decode;
pub mod deidentify;
pub mod deidentify_study;
pub mod error;
pub mod format;
pub mod into_study;
pub mod json;
pub mod office;
pub mod pdf;
pub mod subtitle;
pub mod survey;
pub mod text;
pub mod transcript;

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

pub use error::IngestError;
pub use format::Format;
pub use transcript::{Respondent, SourceLine, Transcript, TranscriptBuilder, Warning};

/// Size limits that keep a hostile or broken file from exhausting memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest uncompressed entry read from a DOCX or ODT, in bytes.
    pub max_entry_bytes: u64,
    /// Largest ratio of uncompressed to compressed size for a zip entry.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        let office = archive::ArchiveLimits::OFFICE;
        Limits { max_file_bytes: 1 << 30, max_entry_bytes: office.max_entry_bytes, max_ratio: office.max_ratio }
    }
}

/// How to read a file.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Read as this format instead of detecting it.
    pub format: Option<Format>,
    /// Decode from this encoding instead of UTF-8.
    pub encoding: Option<String>,
    /// CSV: the column holding the answers (default: the column with the longest texts).
    pub text_column: Option<String>,
    /// CSV: the column identifying respondents (default: the first column if its values are
    /// unique, else the row number).
    pub id_column: Option<String>,
    /// Which speaker labels to accept in text formats.
    pub labels: text::LabelRules,
    /// Size limits.
    pub limits: Limits,
    /// Text and Markdown: remove what exports add (paragraph numbers, page headers and footers,
    /// hyphenation and hard wraps; see [`clean`]). Always done for PDF.
    pub clean: bool,
}

/// A file read as a transcript.
#[derive(Clone, Debug)]
pub struct Import {
    /// The format it was read as.
    pub format: Format,
    /// The encoding it was decoded from (`utf-8` for zip formats).
    pub encoding: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// What was read.
    pub transcript: Transcript,
}

/// Read the file at `path`, refusing files over the size limit before reading them.
pub fn read_file(path: &Path, options: &Options) -> Result<Import, IngestError> {
    let file = thema_core::fsio::open_regular(path)?;
    let size = file.metadata()?.len();
    let limit = options.limits.max_file_bytes;
    if size > limit {
        return Err(IngestError::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // Read at most one byte past the limit, in case the file grew since `metadata`.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(IngestError::TooLarge { size: bytes.len() as u64, limit });
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    parse(&bytes, name, options)
}

/// Read `bytes` as a transcript; `file_name` helps recognise the format.
pub fn parse(bytes: &[u8], file_name: &str, options: &Options) -> Result<Import, IngestError> {
    let sha256 = hex(&Sha256::digest(bytes));
    let format = options.format.unwrap_or_else(|| format::detect(file_name, bytes));
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    let (encoding, mut transcript) = match format {
        Format::Docx | Format::Odt => {
            let text = if format == Format::Docx {
                office::docx_text(bytes, &options.limits)?
            } else {
                office::odt_text(bytes, &options.limits)?
            };
            if text.trim().is_empty() {
                return Err(IngestError::Empty);
            }
            let mut transcript = text::parse_text_with(&thema_core::text::normalise(&text), false, &options.labels);
            // Paragraphs are separated by blank lines: line 2n - 1 is paragraph n.
            for line in &mut transcript.unattributed {
                line.line = line.line.div_ceil(2);
            }
            for warning in &mut transcript.warnings {
                warning.line = warning.line.map(|l| l.div_ceil(2));
            }
            ("utf-8".to_owned(), transcript)
        }
        Format::Pdf => {
            let text = thema_core::text::normalise(&pdf::pdf_text(bytes, &options.limits)?);
            ("utf-8".to_owned(), cleaned_text(&text, false, &options.labels))
        }
        _ => {
            let decoded = decode::decode(bytes, options.encoding.as_deref())?;
            let text = thema_core::text::normalise(&decoded.text);
            if text.trim().is_empty() {
                return Err(IngestError::Empty);
            }
            let transcript = match format {
                Format::Text | Format::Markdown if options.clean => {
                    cleaned_text(&text, format == Format::Markdown, &options.labels)
                }
                Format::Text => text::parse_text_with(&text, false, &options.labels),
                Format::Markdown => text::parse_text_with(&text, true, &options.labels),
                Format::Vtt => subtitle::parse_vtt(&text)?,
                Format::Srt => subtitle::parse_srt(&text)?,
                Format::Sbv => subtitle::parse_sbv(&text)?,
                Format::Csv => survey::parse_csv(&text, file_name, options)?,
                Format::Json => json::parse_json(&text)?,
                Format::Docx | Format::Odt | Format::Pdf => unreachable!("handled above"),
            };
            (decoded.encoding, transcript)
        }
    };
    warn_control_characters(&mut transcript, format);
    Ok(Import { format, encoding, sha256, transcript })
}

/// Text cleaned up ([`clean::clean`]) and read for speaker turns, with what the clean-up did.
fn cleaned_text(text: &str, markdown: bool, labels: &text::LabelRules) -> Transcript {
    let (cleaned, report) = clean::clean(text, markdown);
    let mut transcript = text::parse_text_with(&cleaned, markdown, labels);
    transcript.cleaned = Some(report);
    transcript
}

/// Control characters other than tab and line feed (escape sequences, bells, backspaces) are
/// kept, since the text is kept as written, but a terminal showing the transcript would act on
/// them: say where the first one is. Text formats name its line; formats rendered by thema name
/// its turn.
fn warn_control_characters(transcript: &mut Transcript, format: Format) {
    let is_bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    let Some((at, first)) = transcript.text.char_indices().find(|&(_, c)| is_bad(c)) else { return };
    let count = transcript.text.chars().filter(|&c| is_bad(c)).count();
    let before = &transcript.text[..at];
    let (line, place) = match format {
        Format::Text | Format::Markdown => (Some(before.matches('\n').count() + 1), String::new()),
        _ => {
            let position = before.chars().count();
            let turn = transcript
                .turns
                .iter()
                .find(|t| t.span.start <= position && position < t.span.end.max(t.span.start + 1));
            (None, turn.map(|t| format!(" in turn {}", t.number)).unwrap_or_default())
        }
    };
    let what = if count == 1 { "a control character".to_owned() } else { format!("{count} control characters") };
    transcript.warn(
        line,
        format!(
            "the text holds {what} (the first U+{:04X}{place}), kept as written; a terminal showing it may act on them, so check the file",
            u32::from(first)
        ),
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_the_original_bytes() {
        let import = parse(b"\xef\xbb\xbfSimon: hi\r\n", "a.txt", &Options::default()).unwrap();
        // sha256 of the bytes as given, BOM and CRLF included (checked with `sha256sum`).
        assert_eq!(import.sha256, "732eaa60fdc727954eb9ff192e74b4d0a0071fd0fcbfd6a003c0cd39de8cf09f");
        assert_eq!(import.transcript.text, "Simon: hi\n");
    }

    #[test]
    fn control_characters_are_kept_with_a_warning() {
        let import = parse(b"Interviewer: hi\n\nSimon: \x1b[31mred\x07\n", "a.txt", &Options::default()).unwrap();
        assert!(import.transcript.text.contains("\x1b[31mred\x07"));
        let w: Vec<String> = import.transcript.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(w, ["line 3: the text holds 2 control characters (the first U+001B), kept as written; a terminal showing it may act on them, so check the file"]);
        let json = parse(
            br#"[{"speaker": "A", "content": "ok"}, {"speaker": "B", "content": "bell\u0007"}]"#,
            "a.json",
            &Options::default(),
        )
        .unwrap();
        assert!(json.transcript.warnings[0]
            .to_string()
            .starts_with("the text holds a control character (the first U+0007 in turn 2)"));
        let clean = parse(b"Interviewer:\thi\n", "a.txt", &Options::default()).unwrap();
        assert!(clean.transcript.warnings.is_empty());
    }

    #[test]
    fn empty_files_are_refused() {
        for bytes in [&b""[..], b"  \n\n", b"\xef\xbb\xbf"] {
            assert!(matches!(parse(bytes, "a.txt", &Options::default()), Err(IngestError::Empty)));
        }
    }
}
