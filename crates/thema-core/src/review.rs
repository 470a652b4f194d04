//! Team review: the comments reviewers make on the review page (`thema review`) and send back
//! as a small JSON file, and their import as memos of kind `review` attached where they were
//! made: a codebook entry, a relation or a coded passage.
//!
//! A comments file is outside input: it is read with a size limit, checked whole (format,
//! every comment's id, kind, target, reviewer, time and text) and imported all or nothing.
//! Each comment becomes the memo `review-<comment id>`, so importing the same file twice adds
//! nothing. A target's entry is followed by id: a renamed entry keeps its id; a merged one is
//! followed to the entry it was merged into (the decision log says which); a deleted one is
//! reported and its comment not imported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::codebook::Codebook;
use crate::formats::Decision;
use crate::memo::{Attachment, Memo, MemoHeader};
use crate::study::Study;
use crate::StudyError;

/// The `format` of a comments file.
pub const FORMAT: &str = "thema-review-comments";
/// The version of the comments format this thema writes and reads.
pub const VERSION: u32 = 1;
/// The largest comments file read: a review of a large codebook is far smaller.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// The most comments one file may hold.
pub const MAX_COMMENTS: usize = 10_000;
/// The longest comment text, in characters.
pub const MAX_TEXT: usize = 20_000;
/// The memo kind of an imported comment.
pub const MEMO_KIND: &str = "review";

/// A comments file as the review page saves it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentsFile {
    /// Always `thema-review-comments`.
    pub format: String,
    /// Version of the format, 1.
    pub version: u32,
    /// The name of the study the page was made from.
    #[serde(default)]
    pub study: String,
    /// The comments, in the order they were made.
    pub comments: Vec<Comment>,
}

/// One reviewer's comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    /// Made by the page, unique: 1 to 48 of `a-z 0-9 - _ .`, starting with a letter or digit.
    pub id: String,
    /// Who made it.
    pub reviewer: String,
    /// When, RFC 3339 in UTC (`2026-12-05T04:00:00Z`).
    pub time: String,
    /// What kind of comment it is.
    pub kind: CommentKind,
    /// What it is on, as a memo's `on` names it: `code:C` (any codebook entry),
    /// `relation:FROM>TO:LABEL` or `coding:D:START-END:C`.
    pub target: String,
    /// The target's name as the reviewer saw it (for the record; the target is followed by id).
    #[serde(default)]
    pub target_name: String,
    /// The comment.
    pub text: String,
}

/// The kinds of comment a reviewer can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CommentKind {
    /// A question.
    Question,
    /// A suggestion to merge the entry with another.
    Merge,
    /// A suggestion to split the entry.
    Split,
    /// A suggestion to rename the entry.
    Rename,
    /// A suggestion to move the entry under another.
    Move,
    /// A suggestion to drop the quote from the entry.
    DropQuote,
    /// A suggestion to drop the entry or the relation.
    Drop,
    /// Agreement.
    Agreement,
}

impl CommentKind {
    /// Every kind, in the order the page offers them.
    pub const ALL: [CommentKind; 8] = [
        CommentKind::Question,
        CommentKind::Merge,
        CommentKind::Split,
        CommentKind::Rename,
        CommentKind::Move,
        CommentKind::DropQuote,
        CommentKind::Drop,
        CommentKind::Agreement,
    ];

    /// The name in files and on the page.
    pub fn name(self) -> &'static str {
        match self {
            CommentKind::Question => "question",
            CommentKind::Merge => "merge",
            CommentKind::Split => "split",
            CommentKind::Rename => "rename",
            CommentKind::Move => "move",
            CommentKind::DropQuote => "drop-quote",
            CommentKind::Drop => "drop",
            CommentKind::Agreement => "agreement",
        }
    }

    /// How a person reads it (`suggestion: merge`).
    pub fn describe(self) -> &'static str {
        match self {
            CommentKind::Question => "question",
            CommentKind::Merge => "suggestion: merge",
            CommentKind::Split => "suggestion: split",
            CommentKind::Rename => "suggestion: rename",
            CommentKind::Move => "suggestion: move",
            CommentKind::DropQuote => "suggestion: drop quote",
            CommentKind::Drop => "suggestion: drop",
            CommentKind::Agreement => "agreement",
        }
    }
}

/// Why comments could not be read or imported. Nothing is imported when any comment fails.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReviewError {
    /// The file could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("{} is {size} bytes; a comments file is at most {MAX_FILE_BYTES} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
    },
    /// The file is not a comments file.
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The line (1 when the whole file is meant).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Comments name targets the study does not have (and never had under that id).
    #[error("{} of {} name{} nothing in the study: {}", count(problems.len()), path.display(), if problems.len() == 1 { "s" } else { "" }, problems.join("; "))]
    UnknownTargets {
        /// The file.
        path: PathBuf,
        /// One line a comment: its id and target.
        problems: Vec<String>,
    },
    /// No review memo has this id.
    #[error("no review comment `{id}`{did_you_mean}")]
    UnknownComment {
        /// The id given.
        id: String,
        /// `; did you mean ...?` with the nearest ids of review memos, or nothing.
        did_you_mean: String,
    },
    /// The comment was resolved before.
    #[error("review comment `{id}` was resolved on {time} by {who}")]
    AlreadyResolved {
        /// The memo id.
        id: String,
        /// When.
        time: String,
        /// By whom.
        who: String,
    },
    /// Reading or writing the study failed.
    #[error(transparent)]
    Study(#[from] StudyError),
}

fn count(n: usize) -> String {
    crate::text::count(n, "comment", "comments")
}

impl ReviewError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            ReviewError::Read { .. } => "give the file the review page saved (`Save comments`)",
            ReviewError::TooLarge { .. } => "a review page saves a few kilobytes: is this the right file?",
            ReviewError::Invalid { .. } => {
                "the file must be as the review page saves it; `corpus-schema/review-comments.schema.json` describes it"
            }
            ReviewError::UnknownTargets { .. } => {
                "was the page made from another study? `thema codebook` lists the entries; nothing was imported"
            }
            ReviewError::UnknownComment { .. } => "`thema review list` lists the review comments with their memo ids",
            ReviewError::AlreadyResolved { .. } => {
                "`thema log` shows the decision; `thema review list --open` lists the open ones"
            }
            ReviewError::Study(_) => "",
        }
    }
}

/// Read and check a comments file: its size before its bytes, then JSON, format, version and
/// each comment (see [`check_comment`]).
pub fn read_comments(path: &Path) -> Result<CommentsFile, ReviewError> {
    let read = |source| ReviewError::Read { path: path.to_owned(), source };
    let size = std::fs::metadata(path).map_err(read)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ReviewError::TooLarge { path: path.to_owned(), size });
    }
    let bytes = std::fs::read(path).map_err(read)?;
    parse_comments(path, &bytes)
}

/// [`read_comments`] on bytes already read; `path` names them in errors.
pub fn parse_comments(path: &Path, bytes: &[u8]) -> Result<CommentsFile, ReviewError> {
    let invalid = |line: usize, message: String| ReviewError::Invalid { path: path.to_owned(), line, message };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReviewError::TooLarge { path: path.to_owned(), size: bytes.len() as u64 });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| invalid(1, format!("not UTF-8 ({e})")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file: CommentsFile =
        serde_json::from_str(text).map_err(|e| invalid(e.line().max(1), format!("not a comments file: {e}")))?;
    if file.format != FORMAT {
        return Err(invalid(1, format!("`format` is `{}`, not `{FORMAT}`", file.format)));
    }
    if file.version != VERSION {
        return Err(invalid(1, format!("version {} is not known; this thema reads version {VERSION}", file.version)));
    }
    if file.comments.len() > MAX_COMMENTS {
        return Err(invalid(1, format!("{} comments; a file holds at most {MAX_COMMENTS}", file.comments.len())));
    }
    let mut seen = BTreeSet::new();
    for (i, c) in file.comments.iter().enumerate() {
        let line = line_of_comment(text, &c.id);
        check_comment(c).map_err(|m| invalid(line, format!("comment {} (`{}`): {m}", i + 1, c.id)))?;
        if !seen.insert(c.id.as_str()) {
            return Err(invalid(line, format!("comment {} repeats the id `{}`", i + 1, c.id)));
        }
    }
    Ok(file)
}

/// The line of `"id": "<id>"` in the file, else 1.
fn line_of_comment(text: &str, id: &str) -> usize {
    let needle = serde_json::to_string(id).unwrap_or_default();
    text.lines().position(|l| l.contains("\"id\"") && l.contains(&needle)).map_or(1, |i| i + 1)
}

/// A comment as it must be: an id usable in a memo id, a reviewer, an RFC 3339 time in UTC, a
/// target naming an entry, relation or coding, and a text of at most [`MAX_TEXT`] characters.
pub fn check_comment(c: &Comment) -> Result<(), String> {
    if c.id.len() > 48 || !crate::document::is_valid_id(&c.id) {
        return Err("the id must be 1 to 48 of `a-z 0-9 - _ .`".to_owned());
    }
    if c.reviewer.trim().is_empty() || c.reviewer.chars().count() > 100 {
        return Err("the reviewer's name must be 1 to 100 characters".to_owned());
    }
    if !is_utc_time(&c.time) {
        return Err(format!("the time `{}` is not RFC 3339 in UTC (`2026-12-05T04:00:00Z`)", c.time));
    }
    match c.target.parse::<Attachment>()? {
        Attachment::Entry(_) | Attachment::Relation { .. } | Attachment::Coding { .. } => {}
        _ => return Err(format!("`{}` is not a codebook entry, relation or coding", c.target)),
    }
    let length = c.text.chars().count();
    if length > MAX_TEXT {
        return Err(format!("the text has {length} characters; a comment has at most {MAX_TEXT}"));
    }
    if c.text.trim().is_empty() && c.kind != CommentKind::Agreement {
        return Err("the text is empty".to_owned());
    }
    Ok(())
}

/// RFC 3339 in UTC (`2026-12-05T04:00:00Z`, fractions of a second allowed), as
/// `humantime`, which writes thema's times, reads it.
fn is_utc_time(t: &str) -> bool {
    humantime::parse_rfc3339(t).is_ok()
}

/// Merges as the decision log records them (`` `from` into `into` (...) ``): removed id,
/// survivor id, oldest first.
pub fn logged_merges(decisions: &[Decision]) -> Vec<(String, String)> {
    decisions
        .iter()
        .filter(|d| d.action == "merge")
        .filter_map(|d| {
            let mut ids = d.what.split('`').skip(1).step_by(2);
            Some((ids.next()?.to_owned(), ids.next()?.to_owned()))
        })
        .collect()
}

/// Where an entry id lives now: itself while it is in the codebook, else the entry it was
/// merged into (followed through later merges); `None` when it is gone.
fn follow(codebook: &Codebook, merges: &[(String, String)], id: &str) -> Option<String> {
    let mut id = id.to_owned();
    // Each step follows a logged merge; a log with a cycle cannot loop for ever.
    for _ in 0..=merges.len() {
        if codebook.get(&id).is_some() {
            return Some(id);
        }
        id = merges.iter().rev().find(|(from, _)| *from == id)?.1.clone();
    }
    None
}

/// What importing did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Memos added: memo id and what it is on.
    pub added: Vec<(String, String)>,
    /// Comments already imported (their memo exists).
    pub already: usize,
    /// Comments whose target moved: comment id, target as made, target now.
    pub followed: Vec<(String, String, String)>,
    /// Comments on something since deleted, not imported: comment id and target.
    pub deleted: Vec<(String, String)>,
}

/// Import the comments of `files` as memos, into the study's open transaction: all of them or,
/// when any target is unknown, none. `files` are the comments files with the paths that name
/// them in errors.
pub fn import(study: &Study, files: &[(PathBuf, CommentsFile)]) -> Result<ImportSummary, ReviewError> {
    let codebook = study.load_codebook()?;
    let mut names = TargetNames::new(study, &codebook);
    let decisions = study.load_decisions()?;
    let merges = logged_merges(&decisions);
    // Ids the log says were deleted or merged away: a comment on one is reported, not refused.
    let mut were: BTreeSet<String> = merges.iter().map(|(from, _)| from.clone()).collect();
    // A deletion is logged as "code `Name` (id; 3 codings deleted)".
    for d in decisions.iter().filter(|d| d.action == "delete") {
        let id = d.what.rsplit_once(" (").and_then(|(_, rest)| rest.split([';', ')']).next());
        were.extend(id.map(str::to_owned));
    }
    let existing: BTreeSet<String> = study.load_memos()?.into_iter().map(|m| m.header.id).collect();
    let documents: BTreeSet<&str> = study.documents().iter().map(|m| m.id.as_str()).collect();
    // Coded passages (document, span, code), read only when a comment is on one.
    let passages: Option<BTreeSet<(String, usize, usize, String)>> =
        if files.iter().flat_map(|(_, f)| &f.comments).any(|c| c.target.starts_with("coding:")) {
            Some(study.load_codings()?.into_iter().map(|c| (c.document, c.start, c.end, c.code)).collect())
        } else {
            None
        };

    let mut summary = ImportSummary::default();
    let mut memos: BTreeMap<String, Memo> = BTreeMap::new();
    for (path, file) in files {
        let mut unknown = Vec::new();
        for c in &file.comments {
            let memo_id = format!("review-{}", c.id);
            if existing.contains(&memo_id) || memos.contains_key(&memo_id) {
                summary.already += 1;
                continue;
            }
            let made: Attachment =
                c.target.parse().map_err(|message| ReviewError::Invalid { path: path.clone(), line: 1, message })?;
            let entry = |id: &str| follow(&codebook, &merges, id);
            let now = match &made {
                Attachment::Entry(id) => entry(id).map(Attachment::Entry).ok_or_else(|| id.clone()),
                Attachment::Relation { from, to, label } => match (entry(from), entry(to)) {
                    (Some(from), Some(to))
                        if codebook.relations.iter().any(|r| r.from == from && r.to == to && r.label == *label) =>
                    {
                        Ok(Attachment::Relation { from, to, label: label.clone() })
                    }
                    (Some(_), Some(_)) => Err(format!("{from}>{to}")),
                    (None, _) => Err(from.clone()),
                    (_, None) => Err(to.clone()),
                },
                Attachment::Coding { document, start, end, code } => {
                    let code = entry(code).ok_or_else(|| code.clone());
                    match code {
                        Ok(code)
                            if passages
                                .as_ref()
                                .is_some_and(|p| p.contains(&(document.clone(), *start, *end, code.clone()))) =>
                        {
                            Ok(Attachment::Coding { document: document.clone(), start: *start, end: *end, code })
                        }
                        Ok(_) if documents.contains(document.as_str()) => Err(format!("{document}:{start}-{end}")),
                        Ok(_) => Err(document.clone()),
                        Err(gone) => Err(gone),
                    }
                }
                _ => Err(c.target.clone()),
            };
            let now = match now {
                Ok(now) => now,
                Err(gone) if were.contains(&gone) => {
                    summary.deleted.push((c.id.clone(), c.target.clone()));
                    continue;
                }
                Err(_) => {
                    unknown.push(format!("`{}` on `{}`", c.id, c.target));
                    continue;
                }
            };
            if now != made {
                summary.followed.push((c.id.clone(), made.to_string(), now.to_string()));
            }
            // The name the reviewer saw, else the entry's name now, else the target in words.
            let name = match &now {
                _ if !c.target_name.trim().is_empty() => c.target_name.clone(),
                Attachment::Entry(id) => codebook.get(id).map_or_else(|| now.to_string(), |e| e.name.clone()),
                _ => names.describe(&now.to_string()),
            };
            let mut body = c.text.trim_end().to_owned();
            body.push_str(&format!("\n\n(Review comment `{}` on {}.)\n", c.id, made));
            memos.insert(
                memo_id.clone(),
                Memo {
                    header: MemoHeader {
                        id: memo_id.clone(),
                        title: format!("{} on {}", capitalised(c.kind.describe()), one_line(&name, 80)),
                        on: now.to_string(),
                        author: c.reviewer.trim().to_owned(),
                        time: c.time.clone(),
                        kind: MEMO_KIND.to_owned(),
                    },
                    body,
                },
            );
            summary.added.push((memo_id, now.to_string()));
        }
        if !unknown.is_empty() {
            return Err(ReviewError::UnknownTargets { path: path.clone(), problems: unknown });
        }
    }
    for memo in memos.values() {
        study.save_memo(memo)?;
    }
    Ok(summary)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// `text` on one line, at most `max` characters (an ellipsis when cut).
fn one_line(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let mut cut: String = line.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// How review memos' targets read in a list: `theme “Support”`, `relation “Support” eases
/// “court”`, `“hope” at fg1:T3`; the raw target (`code:gone`) where it names nothing the study
/// has now (`thema check` reports those). A document's turns are read once, however many
/// comments are on its passages.
pub struct TargetNames<'a> {
    study: &'a Study,
    codebook: &'a crate::Codebook,
    turns: std::collections::HashMap<String, Option<Vec<crate::Turn>>>,
}

impl<'a> TargetNames<'a> {
    /// Names from `study`'s documents and `codebook`.
    pub fn new(study: &'a Study, codebook: &'a crate::Codebook) -> TargetNames<'a> {
        TargetNames { study, codebook, turns: Default::default() }
    }

    /// The target `on` in words.
    pub fn describe(&mut self, on: &str) -> String {
        let codebook = self.codebook;
        let entry = |id: &str| codebook.get(id).map(|e| format!("“{}”", e.name));
        match on.parse::<Attachment>() {
            Ok(Attachment::Entry(id)) => {
                codebook.get(&id).map_or_else(|| on.to_owned(), |e| format!("{} “{}”", e.kind.name(), e.name))
            }
            Ok(Attachment::Relation { from, to, label }) => match (entry(&from), entry(&to)) {
                (Some(from), Some(to)) => format!("relation {from} {label} {to}"),
                _ => on.to_owned(),
            },
            Ok(Attachment::Coding { document, start, code, .. }) => {
                let study = self.study;
                let turns = self.turns.entry(document.clone()).or_insert_with(|| study.load_turns(&document).ok());
                let turn = turns.as_deref().and_then(|turns| {
                    turns
                        .iter()
                        .find(|t| t.span.start <= start && start < t.span.end.max(t.span.start + 1))
                        .map(|t| t.number)
                });
                match (entry(&code), turn) {
                    (Some(code), Some(number)) => format!("{code} at {document}:T{number}"),
                    (Some(code), None) => format!("{code} in {document}"),
                    _ => on.to_owned(),
                }
            }
            _ => on.to_owned(),
        }
    }
}

/// A review comment as imported, and its resolution if it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewComment {
    /// The memo the comment became.
    pub memo: Memo,
    /// The decision that resolved it, if one did.
    pub resolution: Option<Decision>,
}

impl ReviewComment {
    /// Whether no decision has resolved it yet.
    pub fn is_open(&self) -> bool {
        self.resolution.is_none()
    }
}

/// The decision log's word for resolving a review comment.
pub const RESOLVE: &str = "resolve";

/// The memo id a resolution names: "review comment `review-c1` on code:hope".
fn resolved_memo(decision: &Decision) -> Option<&str> {
    (decision.action == RESOLVE).then(|| decision.what.split('`').nth(1)).flatten()
}

/// Every review comment of the study (memos of kind `review`), by target, then time, with its
/// resolution from the decision log: the log is the one record of what was resolved.
pub fn comments(study: &Study) -> Result<Vec<ReviewComment>, ReviewError> {
    let decisions = study.load_decisions()?;
    let mut found: Vec<ReviewComment> = study
        .load_memos()?
        .into_iter()
        .filter(|m| m.header.kind == MEMO_KIND)
        .map(|memo| {
            let resolution =
                decisions.iter().rev().find(|d| resolved_memo(d) == Some(memo.header.id.as_str())).cloned();
            ReviewComment { memo, resolution }
        })
        .collect();
    found.sort_by(|a, b| {
        let key = |c: &ReviewComment| (c.memo.header.on.clone(), c.memo.header.time.clone(), c.memo.header.id.clone());
        key(a).cmp(&key(b))
    });
    Ok(found)
}

/// Resolve the review comment `id` (its memo id, or the comment id the page gave it): the
/// decision log records who resolved it, when and why, so the audit trail shows which comment
/// led to which change. Inside the study's open transaction.
pub fn resolve(study: &Study, id: &str, who: &str, why: &str) -> Result<Decision, ReviewError> {
    let all = comments(study)?;
    let wanted = if id.starts_with("review-") { id.to_owned() } else { format!("review-{id}") };
    let Some(comment) = all.iter().find(|c| c.memo.header.id == wanted) else {
        let did_you_mean = crate::suggest::did_you_mean(&wanted, all.iter().map(|c| c.memo.header.id.as_str()));
        return Err(ReviewError::UnknownComment { id: id.to_owned(), did_you_mean });
    };
    if let Some(d) = &comment.resolution {
        return Err(ReviewError::AlreadyResolved { id: wanted, time: d.time.clone(), who: d.who.clone() });
    }
    let decision = Decision {
        time: crate::coding::now(),
        who: who.to_owned(),
        action: RESOLVE.to_owned(),
        what: format!(
            "review comment `{wanted}` on {} by {}: {}",
            comment.memo.header.on,
            comment.memo.header.author,
            one_line(&comment.memo.header.title, 80)
        ),
        why: why.to_owned(),
    };
    study.log_decision(&decision)?;
    Ok(decision)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(id: &str, target: &str) -> Comment {
        Comment {
            id: id.into(),
            reviewer: "Ana".into(),
            time: "2026-12-05T04:00:00.123Z".into(),
            kind: CommentKind::Question,
            target: target.into(),
            target_name: String::new(),
            text: "Why?".into(),
        }
    }

    #[test]
    fn comments_are_checked_one_by_one() {
        assert_eq!(check_comment(&comment("c1", "code:hope")), Ok(()));
        assert_eq!(check_comment(&comment("c1", "relation:a>b:leads to")), Ok(()));
        assert_eq!(check_comment(&comment("c1", "coding:fg1:3-9:hope")), Ok(()));
        assert!(check_comment(&comment("C 1", "code:hope")).unwrap_err().contains("id"));
        assert!(check_comment(&comment("c1", "project")).unwrap_err().contains("not a codebook entry"));
        assert!(check_comment(&comment("c1", "speaker:Mo")).unwrap_err().contains("is not `project`"));
        let late = Comment { time: "2026-12-05 04:00".into(), ..comment("c1", "code:hope") };
        assert!(check_comment(&late).unwrap_err().contains("RFC 3339"));
        let long = Comment { text: "x".repeat(MAX_TEXT + 1), ..comment("c1", "code:hope") };
        assert!(check_comment(&long).unwrap_err().contains("20001 characters"));
        let nobody = Comment { reviewer: " ".into(), ..comment("c1", "code:hope") };
        assert!(check_comment(&nobody).unwrap_err().contains("reviewer"));
    }

    #[test]
    fn files_are_refused_whole_with_the_line() {
        let path = Path::new("c.json");
        let err = parse_comments(path, b"{\"format\": \"thema-review-comments\",\n\"version\": 1,\n\"comments\": [,]}")
            .unwrap_err();
        assert!(matches!(err, ReviewError::Invalid { line: 3, .. }), "{err}");
        let err = parse_comments(path, br#"{"format": "other", "version": 1, "comments": []}"#).unwrap_err();
        assert!(err.to_string().contains("`format` is `other`"), "{err}");
        let twice = CommentsFile {
            format: FORMAT.into(),
            version: VERSION,
            study: "s".into(),
            comments: vec![comment("c1", "code:a"), comment("c1", "code:b")],
        };
        let text = serde_json::to_string_pretty(&twice).unwrap();
        let err = parse_comments(path, text.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("repeats the id `c1`"), "{err}");
        let huge = vec![b' '; MAX_FILE_BYTES as usize + 1];
        assert!(matches!(parse_comments(path, &huge).unwrap_err(), ReviewError::TooLarge { .. }));
    }

    #[test]
    fn merges_are_followed_through_the_log() {
        let mut codebook = Codebook::default();
        codebook.entries.push(crate::CodebookEntry { id: "c".into(), name: "C".into(), ..Default::default() });
        let merges = vec![("a".to_owned(), "b".to_owned()), ("b".to_owned(), "c".to_owned())];
        assert_eq!(follow(&codebook, &merges, "a").as_deref(), Some("c"));
        assert_eq!(follow(&codebook, &merges, "c").as_deref(), Some("c"));
        assert_eq!(follow(&codebook, &merges, "x"), None);
        let cycle = vec![("a".to_owned(), "b".to_owned()), ("b".to_owned(), "a".to_owned())];
        assert_eq!(follow(&codebook, &cycle, "a"), None);
    }
}
