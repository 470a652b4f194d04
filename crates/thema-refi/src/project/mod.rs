//! Projects: a whole study as a REFI-QDA project exchange file (`.qdpx`) and back.
//!
//! | thema | REFI-QDA |
//! |---|---|
//! | study name, description, methodology | `Project name`, `Description` (`Methodology:` paragraph) |
//! | coders, memo authors | `Users` |
//! | codebook | `CodeBook` (see [`crate::codebook`]) and `Sets` |
//! | document | `TextSource` with its text in `sources/<guid>.txt`; id, kind, date, wave and attributes as `VariableValue`s |
//! | coding | `PlainTextSelection` with one `Coding` (coder as `creatingUser`, time as `creationDateTime`); its memo as the selection's `Description`; an exemplar mark as a `NoteRef` to the note `Exemplar quote` |
//! | participant | `Case` (pseudonym as name; id, role and attributes as variables) with a `SelectionRef` to each of their turns and a `SourceRef` to each document they speak in |
//! | interviewer labels | a `Case` named `Interviewer` with their turns |
//! | memo | `Note` referred to from where it is attached: the project, a source, a code, or a turn's selection |
//! | relation | `Link` from code to code, named by its label; its note as a `Note` |
//!
//! What REFI-QDA cannot hold is listed by [`Export::losses`] and in `docs/refi-qda.md`.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::{Cursor, Seek, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use thema_core::memo::{Attachment, Memo, MemoHeader};
use thema_core::study::Decision;
use thema_core::{
    AttributeType, Codebook, Coding, Document, DocumentMeta, Participant, Participants, Settings, Source, Span,
    Speaker, Study, TextIndex, TurnId,
};
use zip::write::SimpleFileOptions;

use crate::codebook::{self, guid_attr, MergeReport};
use crate::guid::{self, derive};
use crate::positions::{SourceText, Unit};
use crate::xml::{escape, Element};
use crate::RefiError;

mod export;
mod import;
mod reader;
#[cfg(test)]
mod tests;
mod write;

use export::*;
use import::*;
use reader::*;
use write::*;

pub use export::{export, export_parts, export_to};
pub use import::{import, ImportOptions, ImportReport};

/// Variables thema writes for what a document and a participant carry besides attributes.
const DOCUMENT_ID: &str = "Document ID";
const DOCUMENT_KIND: &str = "Document kind";
const DOCUMENT_DATE: &str = "Document date";
const WAVE: &str = "Wave";
const PARTICIPANT_ID: &str = "Participant ID";
const ROLE: &str = "Role";
/// The document attribute that records which sets of sources a document is in.
const SOURCE_SET: &str = "set";
/// The note exemplar codings refer to.
const EXEMPLAR_NOTE: &str = "Exemplar quote";
/// Description of the case that holds the interviewer's turns.
const INTERVIEWER_CASE: &str = "Interviewer";
const INTERVIEWER_DESCRIPTION: &str = "thema: the interviewer's turns (not a participant)";
/// Prefix of a variable's description that records thema's attribute type.
const TYPE_NOTE: &str = "thema attribute type: ";
/// Longest selection name written (characters); the quote itself is in the text.
const SELECTION_NAME_CHARS: usize = 100;

/// A study written as a `.qdpx` in memory.
#[derive(Clone, Debug)]
pub struct Export {
    /// The zip file's bytes.
    pub bytes: Vec<u8>,
    /// What the file holds.
    pub counts: Counts,
    /// What REFI-QDA could not carry from this study, in words.
    pub losses: Vec<String>,
}

/// What a `.qdpx` written to a file holds, and what it could not carry.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// What the file holds.
    pub counts: Counts,
    /// What REFI-QDA could not carry from this study, in words.
    pub losses: Vec<String>,
}

/// How many of each thing an export holds or an import read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Text sources (documents).
    pub documents: usize,
    /// Codes (codebook entries).
    pub codes: usize,
    /// Codings.
    pub codings: usize,
    /// Cases (participants).
    pub participants: usize,
    /// Notes (memos).
    pub memos: usize,
    /// Links (relations).
    pub relations: usize,
    /// Users (coders).
    pub users: usize,
}
