//! Earlier versions of a study's files: the codebook as a file, or as `codebook.toml` at a git
//! revision (`HEAD~3`, a tag), read with `git show` and parsed by the one codebook parser
//! ([`crate::study::parse_codebook`]). Used to compare two versions of the codebook.

use std::path::Path;

use crate::codebook::Codebook;
use crate::study::{files, parse_codebook};
use crate::{Study, StudyError};

/// Why a version of the codebook could not be read. [`RevisionError::hint`] says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RevisionError {
    /// The file could not be read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// git could not be run.
    #[error("cannot run git: {0}")]
    Git(std::io::Error),
    /// Not a file, and the study is not kept in git.
    #[error("`{0}` is not a file, and the study is not in a git repository")]
    NotInGit(String),
    /// git has no codebook at that revision.
    #[error("git has no `{spec}`: {message}")]
    NoRevision {
        /// `REVISION:path/codebook.toml`.
        spec: String,
        /// What git said.
        message: String,
    },
    /// The codebook git holds is not UTF-8.
    #[error(transparent)]
    NotUtf8(#[from] std::string::FromUtf8Error),
    /// The codebook does not parse.
    #[error("the codebook at `{version}` does not parse: {message}")]
    Parse {
        /// The file or revision.
        version: String,
        /// What is wrong.
        message: String,
    },
}

impl RevisionError {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            RevisionError::NotInGit(_) => Some("give two codebook files, or keep the study in git".to_owned()),
            RevisionError::NoRevision { .. } => {
                Some("give a revision where the codebook exists (`git log -- codebook.toml` lists them)".to_owned())
            }
            _ => None,
        }
    }
}

/// The codebook of `version`: a codebook file, or the study's `codebook.toml` at a git
/// revision.
pub fn codebook_at(study: &Study, version: &str) -> Result<Codebook, RevisionError> {
    let path = Path::new(version);
    let text = if path.is_file() {
        std::fs::read_to_string(path)?
    } else {
        let git = |args: &[&str]| std::process::Command::new("git").arg("-C").arg(study.root()).args(args).output();
        let prefix = git(&["rev-parse", "--show-prefix"]).map_err(RevisionError::Git)?;
        if !prefix.status.success() {
            return Err(RevisionError::NotInGit(version.to_owned()));
        }
        let prefix = String::from_utf8_lossy(&prefix.stdout).trim().to_owned();
        let spec = format!("{version}:{prefix}{}", files::CODEBOOK);
        let shown = git(&["show", &spec]).map_err(RevisionError::Git)?;
        if !shown.status.success() {
            let message = String::from_utf8_lossy(&shown.stderr).trim().to_owned();
            return Err(RevisionError::NoRevision { spec, message });
        }
        String::from_utf8(shown.stdout)?
    };
    parse_codebook(path, &text).map_err(|e| match e {
        StudyError::Parse { message, .. } => RevisionError::Parse { version: version.to_owned(), message },
        other => RevisionError::Parse { version: version.to_owned(), message: other.to_string() },
    })
}

impl crate::error::Hint for RevisionError {
    fn hint(&self) -> Option<String> {
        RevisionError::hint(self)
    }
}
