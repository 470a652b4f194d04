//! Errors from reading and writing a study.

use std::path::PathBuf;

/// Something went wrong with the study on disk.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StudyError {
    /// A file could not be read or written.
    #[error("`{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// No `thema.toml` was found.
    #[error("`{}` is not inside a thema study (no `thema.toml` there or in a parent folder)", path.display())]
    NotAStudy {
        /// Where the search started.
        path: PathBuf,
    },
    /// A study already exists where a new one was to be made.
    #[error("a study already exists at `{}`", path.display())]
    AlreadyExists {
        /// Its folder.
        path: PathBuf,
    },
    /// A study file does not parse.
    #[error("`{}`: line {line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line, 0 when unknown.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The study was written by a newer thema.
    #[error("`{}` has study format {found}, but this thema reads format {supported}", path.display())]
    FormatVersion {
        /// `thema.toml`.
        path: PathBuf,
        /// Format in the file.
        found: u32,
        /// Format this build understands.
        supported: u32,
    },
    /// A document id is taken.
    #[error("document `{id}` already exists")]
    DuplicateDocument {
        /// The id.
        id: String,
    },
    /// No document has this id.
    #[error("no document `{id}` in this study{suggestion}")]
    UnknownDocument {
        /// The id.
        id: String,
        /// `; did you mean ...?` with the closest ids, or empty (see [`crate::suggest`]).
        suggestion: String,
    },
    /// Another process holds the study's lock.
    #[error("the study `{}` is in use by {holder} (waited {:.1} s)", path.display(), waited.as_secs_f64())]
    Locked {
        /// The study folder.
        path: PathBuf,
        /// Who holds the lock, as far as known.
        holder: String,
        /// How long this process waited.
        waited: std::time::Duration,
    },
    /// A change interrupted by a crash cannot be finished: files it would replace changed since
    /// it was committed. Nothing was overwritten.
    #[error(
        "a change interrupted before it was finished would overwrite {}, changed since; nothing was overwritten \
         (the change still had to write {})",
        list(changed),
        list(pending)
    )]
    InterruptedChange {
        /// The files that changed, relative to the study folder.
        changed: Vec<String>,
        /// The files the change still had to write, relative to the study folder.
        pending: Vec<String>,
    },
    /// A value does not fit the study (bad id, unknown participant...).
    #[error("{0}")]
    Invalid(String),
}

/// `` `a` ``, `` `a` and `b` ``, `` `a`, `b` and `c` ``: paths for messages.
pub(crate) fn list(paths: &[String]) -> String {
    let quoted: Vec<String> = paths.iter().map(|p| format!("`{p}`")).collect();
    match quoted.split_last() {
        None => "nothing".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// An error that can say what to do about it: the `hint:` line a front end prints under the
/// message. Each library's errors implement it, so the command line (and the workbench) print
/// every error the one way.
pub trait Hint {
    /// What to do about it, when there is something to say.
    fn hint(&self) -> Option<String>;
}
