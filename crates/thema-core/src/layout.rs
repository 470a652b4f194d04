//! The file and folder names of a study: where each kind of study file lives. Reading and
//! writing them is [`crate::formats`]; the handle that does it, [`crate::Study`].
//!
//! ```text
//! study/
//!   thema.toml               settings
//!   participants.csv         one row a participant
//!   codebook.toml            codes, categories, themes
//!   codings/<coder>.jsonl    one coding a line
//!   memos/                   Markdown memos
//!   documents/<id>/document.toml   metadata
//!   documents/<id>/text.txt        normalised text
//!   documents/<id>/turns.csv       turns: number, speaker, span, times
//!   documents/<id>/speakers.csv    speaker labels and their participants
//!   .thema/                  derived data, git-ignored
//! ```

/// Settings.
pub const SETTINGS: &str = "thema.toml";
/// Participants table.
pub const PARTICIPANTS: &str = "participants.csv";
/// Codebook.
pub const CODEBOOK: &str = "codebook.toml";
/// Folder of codings, one JSON Lines file a coder.
pub const CODINGS: &str = "codings";
/// Folder of memos.
pub const MEMOS: &str = "memos";
/// Folder of documents, one folder a document.
pub const DOCUMENTS: &str = "documents";
/// Derived data.
pub const DERIVED: &str = ".thema";
/// The decision log: one JSON object a line.
pub const DECISIONS: &str = "decisions.jsonl";
/// A document's metadata.
pub const DOCUMENT_META: &str = "document.toml";
/// A document's text.
pub const DOCUMENT_TEXT: &str = "text.txt";
/// A document's turns.
pub const DOCUMENT_TURNS: &str = "turns.csv";
/// A document's speakers.
pub const DOCUMENT_SPEAKERS: &str = "speakers.csv";

/// The search index's folder, inside [`DERIVED`].
pub const SEARCH_INDEX: &str = "index";

pub(crate) const GITIGNORE: &str = "# derived data: search index and caches, rebuilt by thema at will\n.thema/\n\
# partial copies an interrupted write left behind (they can hold quotes); `thema check --fix` removes them\n\
.*.tmp-*\n.*.old-*\n";

/// Git merges the decision log, one decision a line and only ever appended to, by keeping the
/// lines of both sides, where a line-by-line merge would conflict in every merge.
pub(crate) const GITATTRIBUTES: &str =
    "# the decision log only grows: a merge keeps both sides' decisions\ndecisions.jsonl merge=union\n";
