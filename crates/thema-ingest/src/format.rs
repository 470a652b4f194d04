//! The formats thema reads, and how a file's format is recognised.

use serde::Serialize;

/// A transcript format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// Plain text with speaker labels.
    Text,
    /// Markdown with speaker labels (`**Name:** text`); headings stand apart from turns.
    Markdown,
    /// WebVTT captions (Zoom, Teams, Otter).
    Vtt,
    /// SubRip captions.
    Srt,
    /// YouTube SBV captions.
    Sbv,
    /// Word document.
    Docx,
    /// OpenDocument text.
    Odt,
    /// PDF with a text layer (read by poppler's `pdftotext`, then cleaned up).
    Pdf,
    /// Open-ended survey answers, one row a response.
    Csv,
    /// A JSON list of `{speaker, content}` turns.
    Json,
}

impl Format {
    /// Every format, for help texts.
    pub const ALL: [Format; 10] = [
        Format::Text,
        Format::Markdown,
        Format::Vtt,
        Format::Srt,
        Format::Sbv,
        Format::Docx,
        Format::Odt,
        Format::Pdf,
        Format::Csv,
        Format::Json,
    ];

    /// The name used on the command line and in `document.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Vtt => "vtt",
            Format::Srt => "srt",
            Format::Sbv => "sbv",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Pdf => "pdf",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// The format named `name` (also accepts `txt`, `md`, `webvtt`, `tsv`).
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name.to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => Format::Text,
            "markdown" | "md" => Format::Markdown,
            "vtt" | "webvtt" => Format::Vtt,
            "srt" | "subrip" => Format::Srt,
            "sbv" => Format::Sbv,
            "docx" | "word" => Format::Docx,
            "odt" => Format::Odt,
            "pdf" => Format::Pdf,
            "csv" | "tsv" => Format::Csv,
            "json" => Format::Json,
            _ => return None,
        })
    }

    /// The format a file extension stands for.
    pub fn from_extension(extension: &str) -> Option<Format> {
        match extension.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "vtt" | "webvtt" => Some(Format::Vtt),
            "srt" => Some(Format::Srt),
            "sbv" => Some(Format::Sbv),
            "docx" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            "pdf" => Some(Format::Pdf),
            "csv" | "tsv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// Is this a zip container?
    pub fn is_archive(self) -> bool {
        matches!(self, Format::Docx | Format::Odt)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Recognise a format: the extension decides when it is known; otherwise the content does
/// (a zip holding `word/document.xml` or `content.xml`, a `WEBVTT` header, SRT or SBV cue
/// timings, JSON), and plain text is the fallback.
pub fn detect(file_name: &str, bytes: &[u8]) -> Format {
    let extension = std::path::Path::new(file_name).extension().and_then(|e| e.to_str());
    if let Some(format) = extension.and_then(Format::from_extension) {
        return format;
    }
    sniff(bytes).unwrap_or(Format::Text)
}

/// Recognise a format by content alone.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"%PDF-") {
        return Some(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(4096)];
        if contains(head, b"mimetypeapplication/vnd.oasis.opendocument.text") {
            return Some(Format::Odt);
        }
        return Some(Format::Docx);
    }
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("WEBVTT") {
        return Some(Format::Vtt);
    }
    if head.starts_with('[') || head.starts_with('{') {
        return Some(Format::Json);
    }
    let mut lines = head.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    let second = lines.next().unwrap_or("");
    if first.bytes().all(|b| b.is_ascii_digit()) && second.contains("-->") {
        return Some(Format::Srt);
    }
    if is_sbv_timing(first) {
        return Some(Format::Sbv);
    }
    None
}

/// `0:00:00.378,0:00:11.378`
pub(crate) fn is_sbv_timing(line: &str) -> bool {
    match line.split_once(',') {
        Some((a, b)) => thema_core::Timestamp::parse(a).is_some() && thema_core::Timestamp::parse(b).is_some(),
        None => false,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_first_then_content() {
        assert_eq!(detect("a.VTT", b"x"), Format::Vtt);
        assert_eq!(detect("a.docx", b"not a zip"), Format::Docx);
        assert_eq!(detect("captions", b"\xef\xbb\xbfWEBVTT\n\n"), Format::Vtt);
        assert_eq!(detect("captions", b"1\n00:00:01,000 --> 00:00:02,000\nHi\n"), Format::Srt);
        assert_eq!(detect("captions", b"0:00:00.378,0:00:11.378\nHi\n"), Format::Sbv);
        assert_eq!(detect("meeting", b"[{\"speaker\":\"A\"}]"), Format::Json);
        assert_eq!(detect("notes", b"Simon: hello"), Format::Text);
        assert_eq!(Format::from_name("md"), Some(Format::Markdown));
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
    }
}
