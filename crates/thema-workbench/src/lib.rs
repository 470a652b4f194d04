//! The coding workbench: read and code a study's transcripts interactively in the terminal.
//!
//! - [`state`]: what the researcher sees and what each key does, without a terminal (tests drive
//!   it with key events);
//! - [`picker`]: the code picker's ranking and the new entries typed in it;
//! - [`wrap`]: turns cut into lines by grapheme and display width;
//! - [`render`]: the screen, drawn with ratatui (tests draw it on a `TestBackend`);
//! - [`session`]: the study, read per screen and written per action through the same library
//!   calls as the CLI (`thema_core::passage`, `thema_core::history`), one transaction each;
//! - [`run`]: the event loop on a real terminal (crossterm).

pub mod picker;
pub mod render;
pub mod session;
pub mod state;
pub mod wrap;

mod terminal;

pub use session::Options;
pub use state::{Action, Workbench};
pub use terminal::run;

use thema_core::codebook::CodebookError;
use thema_core::history::HistoryError;
use thema_core::passage::PassageError;
use thema_core::StudyError;

/// Why the workbench could not start, or an action did nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkbenchError {
    /// No coder given and none in `thema.toml`.
    #[error("who is coding?")]
    NoCoder,
    /// The coder is not a coder id.
    #[error("`{0}` is not a coder id")]
    BadCoder(String),
    /// The study has no documents.
    #[error("the study has no documents to read")]
    NoDocuments,
    /// The document's text changed on disk since it was shown.
    #[error("the text of `{0}` changed on disk since it was shown; nothing was written")]
    Moved(String),
    /// Reading or writing the study failed.
    #[error(transparent)]
    Study(#[from] StudyError),
    /// Locating, coding or uncoding a passage failed.
    #[error(transparent)]
    Passage(#[from] PassageError),
    /// A new code could not be added (its parent is unknown, say).
    #[error(transparent)]
    Codebook(#[from] CodebookError),
    /// A codebook change was refused.
    #[error(transparent)]
    Change(#[from] thema_core::codebook_change::ChangeError),
    /// A search filter (`wave=2`) names no attribute the study has, or is not `KEY=VALUE`.
    #[error("{0}")]
    Filter(String),
    /// The search could not be made (its query, or the index).
    #[error(transparent)]
    Search(#[from] thema_search::SearchError),
    /// Undo or redo refused.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// The terminal could not be used.
    #[error("the terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

impl WorkbenchError {
    /// What to do about it, where there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            WorkbenchError::NoCoder => Some(
                "pass `--coder INITIALS`, set `THEMA_CODER`, or put `default_coder = \"...\"` in `thema.toml`".into(),
            ),
            WorkbenchError::BadCoder(_) => {
                Some("use lowercase letters, digits, `-`, `_` or `.` (it names a file in `codings/`)".into())
            }
            WorkbenchError::NoDocuments => Some("import transcripts first: `thema import FILE...`".into()),
            WorkbenchError::Moved(_) => Some("the workbench has reloaded it: select the words again".into()),
            WorkbenchError::Passage(e) => e.hint(),
            WorkbenchError::Filter(_) => Some(
                "filter with `KEY=VALUE` words (`wave=2`, `kind=interview`, `role=\"Peer Mentor\"`, `speaker=P03`, `code=hope`); `thema participants` and `thema ls` show the values".into(),
            ),
            WorkbenchError::Search(_) => {
                Some("words, \"a phrase\", AND, OR, -word: the query syntax of `thema search` (README, Search)".into())
            }
            WorkbenchError::Change(thema_core::codebook_change::ChangeError::Unknown(_))
            | WorkbenchError::Codebook(_) => Some(
                "type `Parent / name` with a parent the codebook has (`c` with nothing typed shows the tree)".into(),
            ),
            WorkbenchError::History(HistoryError::NothingToUndo) => {
                Some("`thema history` lists what was recorded".into())
            }
            WorkbenchError::History(HistoryError::ChangedSince { .. }) => {
                Some("undo works on what thema itself wrote; look at the file and change it back by hand".into())
            }
            WorkbenchError::Change(e) => e.hint(),
            WorkbenchError::Study(StudyError::UnknownDocument { .. }) => Some("`thema ls` lists the documents".into()),
            WorkbenchError::Terminal(_) => Some("run `thema workbench` in an interactive terminal".into()),
            _ => None,
        }
    }
}
