//! Plain text and Markdown.
use crate::transcript::Transcript;

/// Read plain text or Markdown with speaker labels.
pub fn parse_text(text: &str, _markdown: bool) -> Transcript {
    Transcript { text: text.to_owned(), ..Transcript::default() }
}
