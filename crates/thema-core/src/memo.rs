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
    /// A relation between two entries, `relation:FROM>TO:LABEL` (entry ids, the label as
    /// written in the codebook).
    Relation {
        /// Source entry id.
        from: String,
        /// Target entry id.
        to: String,
        /// The relation's label.
        label: String,
    },
    /// A coded passage, `coding:DOC:START-END:CODE` (code points into the text, the code's id),
    /// whoever of the coders applied it.
    Coding {
        /// Document id.
        document: String,
        /// Start of the span.
        start: usize,
        /// End of the span (half-open).
        end: usize,
        /// The code's id.
        code: String,
    },
}

/// What a memo's `on` may be, said in every refusal.
const ATTACHMENTS: &str =
    "`project`, `document:D`, `turn:D:T7`, `code:C`, `relation:FROM>TO:LABEL` or `coding:D:START-END:C`";

impl std::fmt::Display for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Attachment::Project => f.write_str("project"),
            Attachment::Document(d) => write!(f, "document:{d}"),
            Attachment::Turn(t) => write!(f, "turn:{t}"),
            Attachment::Entry(e) => write!(f, "code:{e}"),
            Attachment::Relation { from, to, label } => write!(f, "relation:{from}>{to}:{label}"),
            Attachment::Coding { document, start, end, code } => write!(f, "coding:{document}:{start}-{end}:{code}"),
        }
    }
}

impl std::str::FromStr for Attachment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s == "project" {
            return Ok(Attachment::Project);
        }
        let bad = || format!("`{s}` is not {ATTACHMENTS}");
        let (kind, rest) = s.split_once(':').ok_or_else(bad)?;
        match kind {
            "document" => Ok(Attachment::Document(rest.to_owned())),
            "turn" => rest.parse().map(Attachment::Turn),
            "code" => Ok(Attachment::Entry(rest.to_owned())),
            // Ids hold no `>` or `:` (see `document::is_valid_id`), so the first of each ends one.
            "relation" => {
                let (from, rest) = rest.split_once('>').ok_or_else(bad)?;
                let (to, label) = rest.split_once(':').ok_or_else(bad)?;
                if from.is_empty() || to.is_empty() {
                    return Err(bad());
                }
                Ok(Attachment::Relation { from: from.to_owned(), to: to.to_owned(), label: label.to_owned() })
            }
            "coding" => {
                let (document, rest) = rest.split_once(':').ok_or_else(bad)?;
                let (span, code) = rest.split_once(':').ok_or_else(bad)?;
                let (start, end) = span.split_once('-').ok_or_else(bad)?;
                let (start, end) = (start.parse().map_err(|_| bad())?, end.parse().map_err(|_| bad())?);
                if document.is_empty() || code.is_empty() || end <= start {
                    return Err(bad());
                }
                Ok(Attachment::Coding { document: document.to_owned(), start, end, code: code.to_owned() })
            }
            _ => Err(bad()),
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
    /// What it is attached to: `project`, `document:D`, `turn:D:T7`, `code:C`,
    /// `relation:FROM>TO:LABEL` or `coding:D:START-END:C`.
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
        for a in [
            "project",
            "document:fg1",
            "turn:fg1:T3",
            "code:hope",
            "relation:hope>trust:leads to",
            "coding:fg1:12-40:hope",
        ] {
            assert_eq!(a.parse::<Attachment>().unwrap().to_string(), a);
        }
        assert_eq!(
            "relation:a>b:part: of".parse::<Attachment>().unwrap(),
            Attachment::Relation { from: "a".into(), to: "b".into(), label: "part: of".into() }
        );
        for bad in ["relation:a:b", "relation:>b:x", "coding:fg1:40-12:hope", "coding:fg1:x-2:hope", "coding:fg1:1-2"] {
            assert!(bad.parse::<Attachment>().is_err(), "{bad}");
        }
    }
}
