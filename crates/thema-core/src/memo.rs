//! Memos: Markdown notes (reflexive, analytic, methodological) attached to the study, a
//! document, a turn or a codebook entry. One file a memo in `memos/`, with a small TOML header
//! between `+++` lines:
//!
//! ```text
//! +++
//! id = "m-0003"
//! title = "Hope as a way out"
//! on = "code:offering-hope"
//! author = "hp"
//! time = "2026-11-23T04:00:00Z"
//! +++
//! The participants link hope to seeing peers who made it out...
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a memo is attached to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Attachment {
    /// The study as a whole.
    Project,
    /// A document.
    Document(String),
    /// A turn, `fg1:T17`.
    Turn(crate::document::TurnId),
    /// A codebook entry (code, category, sub-theme or theme), by id.
    Entry(String),
}

impl std::fmt::Display for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Attachment::Project => f.write_str("project"),
            Attachment::Document(d) => write!(f, "document:{d}"),
            Attachment::Turn(t) => write!(f, "turn:{t}"),
            Attachment::Entry(e) => write!(f, "code:{e}"),
        }
    }
}

impl std::str::FromStr for Attachment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s == "project" {
            return Ok(Attachment::Project);
        }
        let (kind, rest) = s
            .split_once(':')
            .ok_or_else(|| format!("`{s}` is not `project`, `document:D`, `turn:D:T7` or `code:C`"))?;
        match kind {
            "document" => Ok(Attachment::Document(rest.to_owned())),
            "turn" => rest.parse().map(Attachment::Turn),
            "code" => Ok(Attachment::Entry(rest.to_owned())),
            _ => Err(format!("`{s}` is not `project`, `document:D`, `turn:D:T7` or `code:C`")),
        }
    }
}

/// The header of a memo file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemoHeader {
    /// Stable id, also the file name (`memos/<id>.md`).
    pub id: String,
    /// Title.
    pub title: String,
    /// What it is attached to: `project`, `document:D`, `turn:D:T7` or `code:C`.
    pub on: String,
    /// Who wrote it.
    pub author: String,
    /// When, RFC 3339 in UTC.
    pub time: String,
    /// Kind of memo (`reflexive`, `analytic`, `method`, ...), free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
}

/// A memo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Memo {
    /// Header.
    pub header: MemoHeader,
    /// Markdown body.
    pub body: String,
}

impl Memo {
    /// The file's text.
    pub fn to_text(&self) -> String {
        let header = toml::to_string(&self.header).unwrap_or_default();
        let mut body = self.body.trim_end().to_owned();
        body.push('\n');
        format!("+++\n{header}+++\n{body}")
    }

    /// Parse a memo file; the error names the line.
    pub fn parse(text: &str) -> Result<Memo, (usize, String)> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let rest = text.strip_prefix("+++\n").ok_or((1, "a memo starts with a `+++` line".to_owned()))?;
        let end = rest
            .find("\n+++\n")
            .map(|i| i + 1)
            .or_else(|| rest.strip_suffix("\n+++").map(|r| r.len() + 1))
            .ok_or((1, "the header is not closed by a `+++` line".to_owned()))?;
        let header_text = &rest[..end];
        let header: MemoHeader = toml::from_str(header_text).map_err(|e| {
            let line = e.span().map_or(1, |s| crate::formats::line_of(header_text, s.start) + 1);
            (line, e.message().trim().to_owned())
        })?;
        header.on.parse::<Attachment>().map_err(|e| (1, e))?;
        let body = rest.get(end + 4..).unwrap_or("").to_owned();
        Ok(Memo { header, body })
    }

    /// What the memo is attached to.
    pub fn attachment(&self) -> Attachment {
        self.header.on.parse().unwrap_or(Attachment::Project)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        let memo = Memo {
            header: MemoHeader {
                id: "m-0001".into(),
                title: "Hope".into(),
                on: "turn:int1:T2".into(),
                author: "hp".into(),
                time: "2026-11-23T04:00:00Z".into(),
                kind: "analytic".into(),
            },
            body: "Hope comes from *seeing* peers.\n\n+++ not a header\n".into(),
        };
        let text = memo.to_text();
        assert!(text.starts_with("+++\nid = \"m-0001\"\n"), "{text}");
        assert_eq!(
            Memo::parse(&text).unwrap(),
            Memo { body: "Hope comes from *seeing* peers.\n\n+++ not a header\n".into(), ..memo.clone() }
        );
        assert_eq!(memo.attachment(), Attachment::Turn("int1:T2".parse().unwrap()));
        assert_eq!(Memo::parse("hello").unwrap_err().0, 1);
        assert!(Memo::parse("+++\nid = \"x\"\n").unwrap_err().1.contains("not closed"));
        let bad = text.replace("on = \"turn:int1:T2\"", "on = \"speaker:Mo\"");
        assert!(Memo::parse(&bad).unwrap_err().1.contains("not `project`"));
        for a in ["project", "document:fg1", "turn:fg1:T3", "code:hope"] {
            assert_eq!(a.parse::<Attachment>().unwrap().to_string(), a);
        }
    }
}
