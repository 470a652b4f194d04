//! The study on disk: the one place that reads and writes study files, atomically and in a
//! canonical form so that the same study always serialises to the same bytes.
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

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::codebook::Codebook;
use crate::coding::Coding;
use crate::document::{is_valid_id, Document, DocumentMeta, Speaker, Turn, TurnRecord};
use crate::error::StudyError;
use crate::fsio::{is_temporary_name, write_atomic, write_dirs_atomic, Batch, FolderFiles};
use crate::participant::Participants;
use crate::settings::{Settings, FORMAT_VERSION};
use crate::timestamp::Timestamp;

/// File names inside a study.
pub mod files {
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
    /// The search index's folder, inside [`DERIVED`].
    pub const SEARCH_INDEX: &str = "index";
    /// A document's metadata.
    pub const DOCUMENT_META: &str = "document.toml";
    /// A document's text.
    pub const DOCUMENT_TEXT: &str = "text.txt";
    /// A document's turns.
    pub const DOCUMENT_TURNS: &str = "turns.csv";
    /// A document's speakers.
    pub const DOCUMENT_SPEAKERS: &str = "speakers.csv";
}

const GITIGNORE: &str = "# derived data: search index and caches, rebuilt by thema at will\n.thema/\n\
# partial copies an interrupted write left behind (they can hold quotes); `thema check --fix` removes them\n\
.*.tmp-*\n.*.old-*\n";

/// Git merges the decision log, one decision a line and only ever appended to, by keeping the
/// lines of both sides, where a line-by-line merge would conflict in every merge.
const GITATTRIBUTES: &str =
    "# the decision log only grows: a merge keeps both sides' decisions\ndecisions.jsonl merge=union\n";

/// An open study: settings, participants and document metadata. Texts, turns, the codebook and
/// codings are read when a command asks for them.
#[derive(Debug, Clone)]
pub struct Study {
    root: PathBuf,
    /// `thema.toml`.
    pub settings: Settings,
    /// `participants.csv`.
    pub participants: Participants,
    /// Document metadata in import order.
    documents: Vec<DocumentMeta>,
    /// Position in `documents` of each document id.
    positions: std::collections::HashMap<String, usize>,
    /// Writes held back by an open [`Transaction`], shared by clones of the study.
    pending: Arc<Mutex<Option<Pending>>>,
}

/// Writes of an open transaction, by path. Reads of the study see them.
#[derive(Default)]
struct Pending {
    files: BTreeMap<PathBuf, Vec<u8>>,
    dirs: BTreeMap<PathBuf, FolderFiles>,
    /// Lines for the decision log.
    decisions: String,
    /// The history entry being made, when the command is recorded for undo.
    recording: Option<crate::history::Recording>,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").field("files", &self.files.len()).field("dirs", &self.dirs.len()).finish()
    }
}

impl Pending {
    fn put_file(&mut self, path: &Path, bytes: Vec<u8>) {
        // A file of a folder being replaced goes into that folder's new contents.
        if let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) {
            if let Some(files) = self.dirs.get_mut(dir) {
                match files.iter_mut().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = bytes,
                    None => files.push((name.to_owned(), bytes)),
                }
                return;
            }
        }
        self.files.insert(path.to_owned(), bytes);
    }

    fn put_dir(&mut self, dir: &Path, files: FolderFiles) {
        self.files.retain(|path, _| path.parent() != Some(dir));
        self.dirs.insert(dir.to_owned(), files);
    }

    fn get(&self, path: &Path) -> Option<&[u8]> {
        if let Some(bytes) = self.files.get(path) {
            return Some(bytes);
        }
        let (dir, name) = (path.parent()?, path.file_name()?.to_str()?);
        self.dirs.get(dir)?.iter().find(|(n, _)| n == name).map(|(_, b)| b.as_slice())
    }
}

/// Changes to a study that land on disk together, or not at all: see [`Study::begin`].
#[derive(Debug)]
#[must_use = "a transaction writes nothing until it is committed"]
pub struct Transaction {
    root: PathBuf,
    pending: Arc<Mutex<Option<Pending>>>,
}

impl Transaction {
    /// Write everything the study was asked to save since [`Study::begin`], as one batch.
    pub fn commit(self) -> Result<(), StudyError> {
        let pending = lock(&self.pending).take();
        if let Some(recording) = pending.map(|p| commit_pending(&self.root, p)).transpose()?.flatten() {
            recording.finish(&self.root);
        }
        Ok(())
    }

    /// Record this transaction's changes in the study's history when it commits, so that
    /// `thema undo` can revert them (see [`crate::history`]). `command` is the command line.
    pub fn record(&self, command: String) {
        if let Some(pending) = lock(&self.pending).as_mut() {
            pending.recording = Some(crate::history::Recording::new(command, crate::coding::now()));
        }
    }
}

impl Drop for Transaction {
    /// Dropped without a commit (a command failed): the held-back writes are discarded.
    fn drop(&mut self) {
        lock(&self.pending).take();
    }
}

fn lock(pending: &Mutex<Option<Pending>>) -> MutexGuard<'_, Option<Pending>> {
    pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Write a transaction's held-back files; returns its history recording, which has noted what
/// they replaced.
fn commit_pending(root: &Path, mut pending: Pending) -> Result<Option<crate::history::Recording>, StudyError> {
    let mut batch = Batch::new();
    let mut files = pending.files;
    if !pending.decisions.is_empty() {
        let path = root.join(files::DECISIONS);
        let mut log = match files.remove(&path) {
            Some(bytes) => bytes,
            None if path.exists() => fs::read(&path).map_err(io(&path))?,
            None => Vec::new(),
        };
        if !log.is_empty() && !log.ends_with(b"\n") {
            log.push(b'\n');
        }
        log.extend_from_slice(pending.decisions.as_bytes());
        files.insert(path, log);
    }
    let mut recording = pending.recording.take();
    if let Some(recording) = recording.as_mut() {
        let changed: Vec<(&Path, &[u8])> = files.iter().map(|(p, b)| (p.as_path(), b.as_slice())).collect();
        let folders: Vec<(&Path, &FolderFiles)> = pending.dirs.iter().map(|(d, f)| (d.as_path(), f)).collect();
        recording.capture(root, &changed, &folders);
    }
    for (path, bytes) in files {
        batch.file(path, bytes);
    }
    for (dir, contents) in pending.dirs {
        batch.dir(dir, contents);
    }
    batch.commit(root)?;
    Ok(recording)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StudyError + '_ {
    move |source| StudyError::Io { path: path.to_owned(), source }
}

/// Read a file as UTF-8, naming it in the error.
pub fn read_text(path: &Path) -> Result<String, StudyError> {
    let bytes = crate::fsio::read_regular(path).map_err(io(path))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        StudyError::Parse { path: path.to_owned(), line, message: "not valid UTF-8".into() }
    })
}

/// 1-based line of byte offset `at` in `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

fn toml_error(path: &Path, text: &str, e: toml::de::Error) -> StudyError {
    let line = e.span().map_or(0, |s| line_of(text, s.start));
    StudyError::Parse { path: path.to_owned(), line, message: e.message().trim().to_owned() }
}

fn csv_line(e: &csv::Error) -> usize {
    e.position().map_or(0, |p| p.line() as usize)
}

/// Parse `document.toml`.
pub fn parse_meta(path: &Path, text: &str) -> Result<DocumentMeta, StudyError> {
    toml::from_str(text).map_err(|e| toml_error(path, text, e))
}

/// Parse `codebook.toml` (at `path`, for errors): the one codebook parser, for the study's
/// codebook and its earlier versions ([`crate::revision`]).
pub fn parse_codebook(path: &Path, text: &str) -> Result<Codebook, StudyError> {
    toml::from_str(text).map_err(|e| toml_error(path, text, e))
}

/// Canonical `document.toml`.
pub fn meta_to_toml(meta: &DocumentMeta) -> String {
    toml::to_string(meta).unwrap_or_default()
}

/// The records of a CSV text in the simple form thema writes: exactly the header `header`, `N`
/// fields a record, one record a line, no quotes, no CR, no blank line. `None` for anything else,
/// or when `row` refuses a record, and the caller then parses with the `csv` crate, which gives
/// the same records for simple text and the error messages for the rest. (Building a `csv`
/// reader costs more than parsing a small file, and a study has thousands of them.)
fn simple_csv<T, const N: usize>(
    text: &str,
    header: &str,
    mut row: impl FnMut([&str; N]) -> Option<T>,
) -> Option<Vec<T>> {
    if text.bytes().any(|b| b == b'"' || b == b'\r') {
        return None;
    }
    let body = text.strip_prefix(header)?;
    let body = match body.strip_prefix('\n') {
        Some(body) => body,
        None if body.is_empty() => body,
        None => return None,
    };
    let mut out = Vec::with_capacity(body.bytes().filter(|&b| b == b'\n').count());
    if body.is_empty() {
        return Some(out);
    }
    for line in body.strip_suffix('\n').unwrap_or(body).split('\n') {
        let mut parts = line.split(',');
        let mut fields = [""; N];
        for field in &mut fields {
            *field = parts.next()?;
        }
        if parts.next().is_some() {
            return None;
        }
        out.push(row(fields)?);
    }
    Some(out)
}

/// A non-negative integer written in decimal digits only (anything else goes to the `csv` crate).
fn simple_number<T: std::str::FromStr>(field: &str) -> Option<T> {
    if field.is_empty() || !field.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    field.parse().ok()
}

fn simple_time(field: &str) -> Option<Option<Timestamp>> {
    if field.is_empty() {
        return Some(None);
    }
    Timestamp::parse(field).map(Some)
}

fn simple_turns(text: &str) -> Option<Vec<Turn>> {
    simple_csv(text, "turn,speaker,start,end,time_start,time_end", |[turn, speaker, start, end, t0, t1]| {
        Turn::try_from(TurnRecord {
            turn: simple_number(turn)?,
            speaker: speaker.to_owned(),
            start: simple_number(start)?,
            end: simple_number(end)?,
            time_start: simple_time(t0)?,
            time_end: simple_time(t1)?,
        })
        .ok()
    })
}

fn simple_speakers(text: &str) -> Option<Vec<Speaker>> {
    simple_csv(text, "label,participant,interviewer", |[label, participant, interviewer]| {
        Some(Speaker {
            label: label.to_owned(),
            participant: (!participant.is_empty()).then(|| participant.to_owned()),
            interviewer: match interviewer {
                "true" => true,
                "false" => false,
                _ => return None,
            },
        })
    })
}

/// Parse `turns.csv`.
pub fn parse_turns(path: &Path, text: &str) -> Result<Vec<Turn>, StudyError> {
    if let Some(turns) = simple_turns(text) {
        return Ok(turns);
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut turns = Vec::new();
    for record in reader.deserialize::<TurnRecord>() {
        let record = record.map_err(|e| StudyError::Parse {
            path: path.to_owned(),
            line: csv_line(&e),
            message: e.to_string(),
        })?;
        let line = turns.len() + 2;
        let turn =
            Turn::try_from(record).map_err(|message| StudyError::Parse { path: path.to_owned(), line, message })?;
        turns.push(turn);
    }
    Ok(turns)
}

fn csv_string<T: serde::Serialize>(header: &[&str], rows: impl IntoIterator<Item = T>) -> String {
    let mut writer =
        csv::WriterBuilder::new().has_headers(false).terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.serialize(row);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Canonical `turns.csv`.
pub fn turns_to_csv(turns: &[Turn]) -> String {
    csv_string(&["turn", "speaker", "start", "end", "time_start", "time_end"], turns.iter().map(TurnRecord::from))
}

/// Parse `speakers.csv`.
pub fn parse_speakers(path: &Path, text: &str) -> Result<Vec<Speaker>, StudyError> {
    if let Some(speakers) = simple_speakers(text) {
        return Ok(speakers);
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    reader
        .deserialize::<Speaker>()
        .map(|r| r.map_err(|e| StudyError::Parse { path: path.to_owned(), line: csv_line(&e), message: e.to_string() }))
        .collect()
}

/// Canonical `speakers.csv`.
pub fn speakers_to_csv(speakers: &[Speaker]) -> String {
    #[derive(serde::Serialize)]
    struct Row<'a> {
        label: &'a str,
        participant: &'a str,
        interviewer: bool,
    }
    csv_string(
        &["label", "participant", "interviewer"],
        speakers.iter().map(|s| Row {
            label: &s.label,
            participant: s.participant.as_deref().unwrap_or(""),
            interviewer: s.interviewer,
        }),
    )
}

/// Parse `thema.toml`, refusing a newer format.
pub fn parse_settings(path: &Path, text: &str) -> Result<Settings, StudyError> {
    let settings: Settings = toml::from_str(text).map_err(|e| toml_error(path, text, e))?;
    if settings.format > FORMAT_VERSION {
        return Err(StudyError::FormatVersion {
            path: path.to_owned(),
            found: settings.format,
            supported: FORMAT_VERSION,
        });
    }
    Ok(settings)
}

/// Canonical `thema.toml`.
pub fn settings_to_toml(settings: &Settings) -> String {
    toml::to_string(settings).unwrap_or_default()
}

/// Canonical `codebook.toml`: entries sorted by id, relations by (from, to, label).
pub fn codebook_to_toml(codebook: &Codebook) -> String {
    let mut sorted = codebook.clone();
    sorted.entries.sort_by(|a, b| a.id.cmp(&b.id));
    sorted.relations.sort_by(|a, b| (&a.from, &a.to, &a.label).cmp(&(&b.from, &b.to, &b.label)));
    let body = toml::to_string(&sorted).unwrap_or_default();
    format!("# thema codebook: one [[entry]] per code, category, sub-theme or theme\n{body}")
}

/// `path` with `.` dropped and each `..` taking away the component before it, without asking
/// the file system (the folder may not exist yet).
fn lexically_normal(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            other => out.push(other),
        }
    }
    out
}

impl Study {
    /// Make a new, empty study in `root` (created if missing). Refuses if a study is there.
    pub fn init(root: &Path, name: &str) -> Result<Study, StudyError> {
        if root.join(files::SETTINGS).exists() {
            return Err(StudyError::AlreadyExists { path: root.to_owned() });
        }
        // Refused before anything is written: files of the user's are never replaced by templates,
        // and a study inside another would be read as part of it.
        let taken: Vec<String> =
            [".gitignore", ".gitattributes", files::CODEBOOK, files::PARTICIPANTS, files::DECISIONS]
                .into_iter()
                .filter(|f| fs::symlink_metadata(root.join(f)).is_ok())
                .map(str::to_owned)
                .collect();
        if !taken.is_empty() {
            return Err(StudyError::Invalid(format!(
                "`{}` already holds {}, which `thema init` would replace",
                root.display(),
                crate::error::list(&taken)
            )));
        }
        // `..` resolved first: the ancestors of `study/../copy` are not inside `study`.
        if let Ok(Some(outer)) = std::path::absolute(root).map(|r| {
            let r = lexically_normal(&r);
            r.ancestors().skip(1).find(|dir| dir.join(files::SETTINGS).is_file()).map(Path::to_owned)
        }) {
            return Err(StudyError::Invalid(format!(
                "`{}` is inside the study at `{}`: a study cannot hold another",
                root.display(),
                outer.display()
            )));
        }
        for dir in [files::DOCUMENTS, files::CODINGS, files::MEMOS] {
            let path = root.join(dir);
            fs::create_dir_all(&path).map_err(io(&path))?;
            // Keep empty folders in git.
            let keep = path.join(".gitkeep");
            if !keep.exists() {
                write_atomic(&keep, b"")?;
            }
        }
        let study = Study {
            root: root.to_owned(),
            settings: Settings::new(name),
            participants: Participants::default(),
            documents: Vec::new(),
            positions: Default::default(),
            pending: Arc::default(),
        };
        write_atomic(&root.join(".gitignore"), GITIGNORE.as_bytes())?;
        write_atomic(&root.join(".gitattributes"), GITATTRIBUTES.as_bytes())?;
        write_atomic(&root.join(files::CODEBOOK), codebook_to_toml(&Codebook::default()).as_bytes())?;
        study.save_participants()?;
        // Settings last: a folder with `thema.toml` is a study, so it is written when all else is.
        study.save_settings()?;
        Ok(study)
    }

    /// Find the study containing `start`: the nearest folder at or above it with `thema.toml`.
    pub fn discover(start: &Path) -> Result<PathBuf, StudyError> {
        let start = fs::canonicalize(start).map_err(io(start))?;
        start
            .ancestors()
            .find(|dir| dir.join(files::SETTINGS).is_file())
            .map(Path::to_owned)
            .ok_or(StudyError::NotAStudy { path: start })
    }

    /// Open the study at `root`: settings, participants and every document's metadata.
    pub fn open(root: &Path) -> Result<Study, StudyError> {
        let settings_path = root.join(files::SETTINGS);
        if !settings_path.is_file() {
            return Err(StudyError::NotAStudy { path: root.to_owned() });
        }
        let settings = parse_settings(&settings_path, &read_text(&settings_path)?)?;
        let participants_path = root.join(files::PARTICIPANTS);
        let participants = if participants_path.exists() {
            Participants::parse(&read_text(&participants_path)?).map_err(|e| StudyError::Parse {
                path: participants_path.clone(),
                line: e.line as usize,
                message: e.message,
            })?
        } else {
            Participants::default()
        };
        let mut documents = Vec::new();
        for id in document_folders(root)? {
            let dir = root.join(files::DOCUMENTS).join(&id);
            let meta_path = dir.join(files::DOCUMENT_META);
            let mut meta = parse_meta(&meta_path, &read_text(&meta_path)?)?;
            if meta.id != id {
                return Err(StudyError::Parse {
                    path: meta_path,
                    line: 0,
                    message: format!("id `{}` does not match the folder name `{id}`", meta.id),
                });
            }
            let speakers_path = dir.join(files::DOCUMENT_SPEAKERS);
            if speakers_path.exists() {
                meta.speakers = parse_speakers(&speakers_path, &read_text(&speakers_path)?)?;
            }
            documents.push(meta);
        }
        documents.sort_by(|a, b| (a.sequence, &a.id).cmp(&(b.sequence, &b.id)));
        let mut study = Study {
            root: root.to_owned(),
            settings,
            participants,
            documents,
            positions: Default::default(),
            pending: Arc::default(),
        };
        study.index_documents();
        Ok(study)
    }

    /// Hold back every write of this study (and its clones) until the returned transaction is
    /// committed, then write them as one batch: after a crash the study has all of them or none
    /// (see [`crate::fsio::Batch`]). Reads of the study see the held-back writes. Dropping the
    /// transaction without committing discards them. Hold the study's exclusive lock
    /// ([`crate::lock`]) from before reading until the commit, so no other process writes between.
    pub fn begin(&self) -> Transaction {
        lock(&self.pending).get_or_insert_with(Pending::default);
        Transaction { root: self.root.clone(), pending: Arc::clone(&self.pending) }
    }

    /// Within a transaction, write what is held back so far as one batch and go on holding back
    /// later writes (a long import writes in batches, so memory stays bounded). Without one,
    /// nothing to do.
    pub fn checkpoint(&self) -> Result<(), StudyError> {
        let pending = lock(&self.pending).as_mut().map(std::mem::take);
        let recording = pending.map(|p| commit_pending(&self.root, p)).transpose()?.flatten();
        // The command goes on: its later batches belong to the same history entry.
        if let Some(pending) = lock(&self.pending).as_mut() {
            pending.recording = recording;
        }
        Ok(())
    }

    /// Write a file of the study (`relative` to its folder), atomically, or hold it back in a
    /// transaction.
    pub fn write_file(&self, relative: &str, bytes: &[u8]) -> Result<(), StudyError> {
        self.put(&self.root.join(relative), bytes)
    }

    fn put(&self, path: &Path, bytes: &[u8]) -> Result<(), StudyError> {
        match lock(&self.pending).as_mut() {
            Some(pending) => {
                pending.put_file(path, bytes.to_vec());
                Ok(())
            }
            None => write_atomic(path, bytes),
        }
    }

    /// Read a study file as UTF-8, as held back in a transaction or else from disk; `None` when
    /// it is in neither.
    fn read(&self, path: &Path) -> Result<Option<String>, StudyError> {
        if let Some(bytes) = lock(&self.pending).as_ref().and_then(|p| p.get(path)) {
            return String::from_utf8(bytes.to_vec()).map(Some).map_err(|_| StudyError::Parse {
                path: path.to_owned(),
                line: 0,
                message: "not UTF-8".into(),
            });
        }
        if !path.exists() {
            return Ok(None);
        }
        read_text(path).map(Some)
    }

    /// Files held back in a transaction in the folder `dir`.
    fn pending_in(&self, dir: &Path) -> Vec<PathBuf> {
        lock(&self.pending)
            .as_ref()
            .map(|p| p.files.keys().filter(|f| f.parent() == Some(dir)).cloned().collect())
            .unwrap_or_default()
    }

    /// True while a transaction holds back writes (see [`Study::begin`]).
    pub(crate) fn has_pending_writes(&self) -> bool {
        lock(&self.pending).is_some()
    }

    /// The study folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Path of a file or folder inside the study.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Folder of the search index (derived data: built by thema-search, removed when the texts
    /// it holds must go).
    pub fn search_index_dir(&self) -> PathBuf {
        self.root.join(files::DERIVED).join(files::SEARCH_INDEX)
    }

    /// Folder of document `id`.
    pub fn document_dir(&self, id: &str) -> PathBuf {
        self.root.join(files::DOCUMENTS).join(id)
    }

    /// Metadata of every document, in import order.
    pub fn documents(&self) -> &[DocumentMeta] {
        &self.documents
    }

    /// Metadata of document `id`.
    pub fn document_meta(&self, id: &str) -> Option<&DocumentMeta> {
        self.positions.get(id).map(|&i| &self.documents[i])
    }

    /// Metadata of document `id`, or an error that offers the closest ids.
    pub fn known_document(&self, id: &str) -> Result<&DocumentMeta, StudyError> {
        self.document_meta(id).ok_or_else(|| self.unknown_document(id))
    }

    /// The error for a document id this study does not have, with the closest ids.
    pub fn unknown_document(&self, id: &str) -> StudyError {
        let suggestion = crate::suggest::did_you_mean(id, self.documents.iter().map(|d| d.id.as_str()));
        StudyError::UnknownDocument { id: id.to_owned(), suggestion }
    }

    /// Check that `coder` has codings in this study, offering the closest coders when not.
    pub fn known_coder(&self, coder: &str) -> Result<(), StudyError> {
        let coders = self.coders()?;
        if coders.iter().any(|c| c == coder) {
            return Ok(());
        }
        let suggestion = crate::suggest::did_you_mean(coder, coders.iter().map(String::as_str));
        Err(StudyError::Invalid(format!("coder `{coder}` has no codings in this study{suggestion}")))
    }

    /// Check that `name` is an attribute a command can filter or group by: one of `builtins`, a
    /// participant attribute (typed in `thema.toml` or a column of `participants.csv`) or, with
    /// `documents`, a document attribute. Compared without regard to case (an exact match
    /// first); returns the name as the study spells it, and the error offers the closest names.
    pub fn known_attribute(&self, name: &str, builtins: &[&str], documents: bool) -> Result<String, StudyError> {
        let mut known: BTreeSet<&str> = builtins.iter().copied().collect();
        known.extend(self.settings.participant_attributes.keys().map(String::as_str));
        known.extend(self.participants.attribute_columns.iter().map(String::as_str));
        known.extend(self.participants.rows().iter().flat_map(|p| p.attributes.keys().map(String::as_str)));
        if documents {
            known.extend(self.settings.document_attributes.keys().map(String::as_str));
            known.extend(self.documents.iter().flat_map(|d| d.attributes.keys().map(String::as_str)));
        }
        let name = name.trim();
        if let Some(found) = known.get(name).or_else(|| known.iter().find(|k| k.eq_ignore_ascii_case(name))) {
            return Ok((*found).to_owned());
        }
        let of = if documents { "participants or documents" } else { "participants" };
        let suggestion = crate::suggest::did_you_mean(name, known.iter().copied());
        Err(StudyError::Invalid(format!("`{name}` is not an attribute of {of}{suggestion}")))
    }

    fn index_documents(&mut self) {
        self.positions = self.documents.iter().enumerate().map(|(i, d)| (d.id.clone(), i)).collect();
    }

    /// The next import sequence number.
    pub fn next_sequence(&self) -> u32 {
        self.documents.iter().map(|d| d.sequence).max().unwrap_or(0) + 1
    }

    /// Read document `id` with its text and turns.
    pub fn load_document(&self, id: &str) -> Result<Document, StudyError> {
        let meta = self.known_document(id)?.clone();
        let dir = self.document_dir(id);
        let required = |path: PathBuf| -> Result<(String, PathBuf), StudyError> {
            match self.read(&path)? {
                Some(text) => Ok((text, path)),
                None => read_text(&path).map(|text| (text, path)),
            }
        };
        let (text, _) = required(dir.join(files::DOCUMENT_TEXT))?;
        let (turns, turns_path) = required(dir.join(files::DOCUMENT_TURNS))?;
        let turns = parse_turns(&turns_path, &turns)?;
        Ok(Document { meta, text, turns })
    }

    /// Read the turns of document `id`, without its text (for commands that need only who spoke
    /// where, like attributing codings to speakers).
    pub fn load_turns(&self, id: &str) -> Result<Vec<Turn>, StudyError> {
        self.known_document(id)?;
        let path = self.document_dir(id).join(files::DOCUMENT_TURNS);
        let text = match self.read(&path)? {
            Some(text) => text,
            None => read_text(&path)?,
        };
        parse_turns(&path, &text)
    }

    /// How many documents' turns commands that read every document's turns ask
    /// [`Study::load_turns_of`] for at once.
    pub const TURNS_BLOCK: usize = 256;

    /// The turns of each of documents `ids`, in that order, read on all cores (many small files:
    /// most of the time is the system's, opening and reading them). The first error in order wins.
    /// Callers with thousands of documents ask in blocks, to hold one block's turns at a time.
    pub fn load_turns_of(&self, ids: &[&str]) -> Result<Vec<Vec<Turn>>, StudyError> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        if threads < 2 || ids.len() < 16 {
            return ids.iter().map(|id| self.load_turns(id)).collect();
        }
        let share = ids.len().div_ceil(threads);
        let parts: Vec<Result<Vec<Vec<Turn>>, StudyError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = ids
                .chunks(share)
                .map(|part| scope.spawn(move || part.iter().map(|id| self.load_turns(id)).collect()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        let mut out = Vec::with_capacity(ids.len());
        for part in parts {
            out.extend(part?);
        }
        Ok(out)
    }

    /// The files of a document in canonical form.
    pub fn document_files(document: &Document) -> [(&'static str, String); 4] {
        [
            (files::DOCUMENT_META, meta_to_toml(&document.meta)),
            (files::DOCUMENT_SPEAKERS, speakers_to_csv(&document.meta.speakers)),
            (files::DOCUMENT_TEXT, document.text.clone()),
            (files::DOCUMENT_TURNS, turns_to_csv(&document.turns)),
        ]
    }

    /// Add a new document. Its folder appears whole or not at all.
    pub fn add_document(&mut self, document: &Document) -> Result<(), StudyError> {
        self.add_documents(std::slice::from_ref(document))
    }

    /// Add new documents in one batch (each folder appears whole or not at all; the batch is
    /// flushed to disk once). Checks every id before writing any.
    pub fn add_documents(&mut self, documents: &[Document]) -> Result<(), StudyError> {
        let mut batch = std::collections::BTreeSet::new();
        for document in documents {
            let id = &document.meta.id;
            if !is_valid_id(id) {
                return Err(StudyError::Invalid(format!(
                    "`{id}` is not a valid document id (lowercase letters, digits, `-`, `_`, `.`)"
                )));
            }
            if self.document_meta(id).is_some() || self.document_dir(id).exists() || !batch.insert(id) {
                return Err(StudyError::DuplicateDocument { id: id.clone() });
            }
        }
        self.write_documents(documents, false)?;
        self.documents.extend(documents.iter().map(|d| d.meta.clone()));
        self.index_documents();
        Ok(())
    }

    /// Replace an existing document (text, turns and metadata) in one step.
    pub fn replace_document(&mut self, document: &Document) -> Result<(), StudyError> {
        let id = &document.meta.id;
        let slot = self.documents.iter().position(|d| &d.id == id).ok_or_else(|| self.unknown_document(id))?;
        self.write_documents(std::slice::from_ref(document), true)?;
        self.documents[slot] = document.meta.clone();
        Ok(())
    }

    fn write_documents(&self, documents: &[Document], replace: bool) -> Result<(), StudyError> {
        if let Some(pending) = lock(&self.pending).as_mut() {
            for document in documents {
                let files = Self::document_files(document).map(|(n, c)| (n.to_owned(), c.into_bytes()));
                pending.put_dir(&self.document_dir(&document.meta.id), files.into());
            }
            return Ok(());
        }
        let contents: Vec<_> =
            documents.iter().map(|d| (self.document_dir(&d.meta.id), Self::document_files(d))).collect();
        let dirs: Vec<_> = contents
            .iter()
            .map(|(dir, files)| (dir.clone(), files.iter().map(|(n, c)| (*n, c.as_bytes())).collect()))
            .collect();
        write_dirs_atomic(&dirs, replace)
    }

    /// Save a document's metadata and speakers (after linking, renaming...).
    pub fn save_meta(&mut self, meta: &DocumentMeta) -> Result<(), StudyError> {
        let slot =
            self.documents.iter().position(|d| d.id == meta.id).ok_or_else(|| self.unknown_document(&meta.id))?;
        let dir = self.document_dir(&meta.id);
        self.put(&dir.join(files::DOCUMENT_SPEAKERS), speakers_to_csv(&meta.speakers).as_bytes())?;
        self.put(&dir.join(files::DOCUMENT_META), meta_to_toml(meta).as_bytes())?;
        self.documents[slot] = meta.clone();
        Ok(())
    }

    /// Save `participants.csv`.
    pub fn save_participants(&self) -> Result<(), StudyError> {
        self.put(&self.root.join(files::PARTICIPANTS), self.participants.to_csv().as_bytes())
    }

    /// Save `thema.toml`.
    pub fn save_settings(&self) -> Result<(), StudyError> {
        self.put(&self.root.join(files::SETTINGS), settings_to_toml(&self.settings).as_bytes())
    }

    /// Read `codebook.toml` (empty when absent).
    pub fn load_codebook(&self) -> Result<Codebook, StudyError> {
        let path = self.root.join(files::CODEBOOK);
        let Some(text) = self.read(&path)? else {
            return Ok(Codebook::default());
        };
        parse_codebook(&path, &text)
    }

    /// Save `codebook.toml` in canonical form.
    pub fn save_codebook(&self, codebook: &Codebook) -> Result<(), StudyError> {
        self.put(&self.root.join(files::CODEBOOK), codebook_to_toml(codebook).as_bytes())
    }

    /// The coders with a codings file, sorted.
    pub fn coders(&self) -> Result<Vec<String>, StudyError> {
        let dir = self.root.join(files::CODINGS);
        let mut paths = sorted_entries(&dir)?;
        paths.extend(self.pending_in(&dir));
        let mut coders: Vec<String> = paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
            .collect();
        coders.sort();
        coders.dedup();
        Ok(coders)
    }

    /// Path of a coder's codings file.
    pub fn codings_path(&self, coder: &str) -> PathBuf {
        self.root.join(files::CODINGS).join(format!("{coder}.jsonl"))
    }

    /// Read one coder's codings (empty when the coder has none).
    pub fn load_coder_codings(&self, coder: &str) -> Result<Vec<Coding>, StudyError> {
        let path = self.codings_path(coder);
        match self.read(&path)? {
            Some(text) => parse_codings(&path, &text),
            None => Ok(Vec::new()),
        }
    }

    /// Read one coder's codings without their words: the quote, context, time and memo are left
    /// empty, the rest is as [`Study::load_coder_codings`] gives it. For analyses that need where
    /// and what was coded, not the words (counts, co-occurrence, agreement, saturation): the
    /// words are most of a codings file, and skipping them spares their allocation. A line that
    /// is not JSON, or misses a field, or has an unknown one, is refused as the full reading
    /// refuses it, naming file and line; the skipped fields' values are not checked for their
    /// type (`thema check` reads the codings in full).
    ///
    /// The placements are kept in `.thema/placements` (see [`crate::placements`]) and read from
    /// there while the codings file is unchanged.
    pub fn load_coder_placements(&self, coder: &str) -> Result<Vec<Coding>, StudyError> {
        use crate::placements;
        let path = self.codings_path(coder);
        // Held-back writes are read as they are, never from or into the cache.
        let key = if self.has_pending_writes() { None } else { crate::docstats::FileKey::settled_of(&path) };
        let cache = placements::cache_path(&self.root, coder);
        // The key is taken before the file is read: a change in between leaves a cache entry
        // that no longer matches, never a stale one that does.
        if let Some(found) = key.and_then(|(key, _)| placements::read(&cache, key)) {
            return Ok(found);
        }
        let codings = match self.read(&path)? {
            Some(text) => parse_codings_with(&path, &text, placement_from_line)?,
            None => return Ok(Vec::new()),
        };
        if let Some((key, true)) = key {
            placements::write(&self.root, &cache, key, &codings);
        }
        Ok(codings)
    }

    /// Every coder's codings without their words (see [`Study::load_coder_placements`]).
    pub fn load_placements(&self) -> Result<Vec<Coding>, StudyError> {
        let mut codings = Vec::new();
        for coder in self.coders()? {
            codings.extend(self.load_coder_placements(&coder)?);
        }
        Ok(codings)
    }

    /// The coders whose codings an analysis counts: `named` (`--coders`), else the study's
    /// default (see [`crate::coders`]).
    pub fn coder_set(&self, named: &[String]) -> Result<crate::coders::CoderSet, StudyError> {
        crate::coders::CoderSet::resolve(&self.settings, &self.coders()?, named)
    }

    /// The codings of a coder set without their words, pooled when it holds several coders
    /// (see [`crate::coders::pool`]).
    pub fn load_set_placements(&self, set: &crate::coders::CoderSet) -> Result<Vec<Coding>, StudyError> {
        let mut codings = Vec::new();
        for coder in &set.coders {
            codings.extend(self.load_coder_placements(coder)?);
        }
        Ok(if set.is_pooled() { crate::coders::pool(codings) } else { codings })
    }

    /// The codings of a coder set, pooled when it holds several coders.
    pub fn load_set_codings(&self, set: &crate::coders::CoderSet) -> Result<Vec<Coding>, StudyError> {
        let mut codings = Vec::new();
        for coder in &set.coders {
            codings.extend(self.load_coder_codings(coder)?);
        }
        Ok(if set.is_pooled() { crate::coders::pool(codings) } else { codings })
    }

    /// Read every coder's codings, coder by coder.
    pub fn load_codings(&self) -> Result<Vec<Coding>, StudyError> {
        let mut codings = Vec::new();
        for coder in self.coders()? {
            codings.extend(self.load_coder_codings(&coder)?);
        }
        Ok(codings)
    }

    /// Save one coder's codings in canonical order (document, span, code), without duplicates.
    pub fn save_coder_codings(&self, coder: &str, codings: &[Coding]) -> Result<(), StudyError> {
        self.put(&self.codings_path(coder), codings_to_jsonl(codings).as_bytes())
    }

    /// Append a decision to the log (`decisions.jsonl`), flushed to disk before returning.
    pub fn log_decision(&self, decision: &Decision) -> Result<(), StudyError> {
        use std::io::Write;
        let path = self.root.join(files::DECISIONS);
        let mut line = serde_json::to_string(decision).unwrap_or_default();
        line.push('\n');
        if let Some(pending) = lock(&self.pending).as_mut() {
            pending.decisions.push_str(&line);
            return Ok(());
        }
        let mut file = fs::OpenOptions::new().create(true).append(true).open(&path).map_err(io(&path))?;
        // One write of one line: appends of whole lines do not interleave.
        file.write_all(line.as_bytes()).map_err(io(&path))?;
        file.sync_all().map_err(io(&path))
    }

    /// Write the whole decision log anew (de-identification rewrites the words of past
    /// decisions), one JSON object a line as [`Study::log_decision`] writes them. `decisions` is
    /// the log as [`Study::load_decisions`] gives it, with the lines an open transaction holds.
    pub fn save_decisions(&self, decisions: &[Decision]) -> Result<(), StudyError> {
        let text: String = decisions.iter().map(|x| serde_json::to_string(x).unwrap_or_default() + "\n").collect();
        if let Some(pending) = lock(&self.pending).as_mut() {
            pending.decisions.clear();
        }
        self.write_file(files::DECISIONS, text.as_bytes())
    }

    /// The decision log, oldest first.
    pub fn load_decisions(&self) -> Result<Vec<Decision>, StudyError> {
        let path = self.root.join(files::DECISIONS);
        let mut text = self.read(&path)?.unwrap_or_default();
        if let Some(pending) = lock(&self.pending).as_ref() {
            text.push_str(&pending.decisions);
        }
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                serde_json::from_str(l).map_err(|e| StudyError::Parse {
                    path: path.clone(),
                    line: i + 1,
                    message: e.to_string(),
                })
            })
            .collect()
    }
}

impl Study {
    /// Every memo, sorted by id.
    pub fn load_memos(&self) -> Result<Vec<crate::memo::Memo>, StudyError> {
        let mut memos = Vec::new();
        let dir = self.root.join(files::MEMOS);
        let mut paths = sorted_entries(&dir)?;
        paths.extend(self.pending_in(&dir));
        paths.sort();
        paths.dedup();
        for path in paths {
            if path.extension().is_some_and(|e| e == "md") {
                let Some(text) = self.read(&path)? else { continue };
                let memo = crate::memo::Memo::parse(&text).map_err(|(line, message)| StudyError::Parse {
                    path: path.clone(),
                    line,
                    message,
                })?;
                memos.push(memo);
            }
        }
        memos.sort_by(|a, b| a.header.id.cmp(&b.header.id));
        Ok(memos)
    }

    /// Save a memo as `memos/<id>.md`.
    pub fn save_memo(&self, memo: &crate::memo::Memo) -> Result<(), StudyError> {
        if !is_valid_id(&memo.header.id) {
            return Err(StudyError::Invalid(format!("`{}` is not a valid memo id", memo.header.id)));
        }
        let path = self.root.join(files::MEMOS).join(format!("{}.md", memo.header.id));
        self.put(&path, memo.to_text().as_bytes())
    }

    /// An id for a new memo: `m-0001`, `m-0002`, ...
    pub fn next_memo_id(&self) -> Result<String, StudyError> {
        let highest = self
            .load_memos()?
            .iter()
            .filter_map(|m| m.header.id.strip_prefix("m-").and_then(|n| n.parse::<u32>().ok()))
            .max()
            .unwrap_or(0);
        Ok(format!("m-{:04}", highest + 1))
    }
}

/// One analytic decision about the codebook, as the decision log keeps it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// When, RFC 3339 in UTC.
    pub time: String,
    /// Who (the coder).
    pub who: String,
    /// What was done: `add`, `rename`, `describe`, `move`, `merge`, `delete`, `relate`.
    pub action: String,
    /// What it was done to, in words.
    pub what: String,
    /// Why, if the researcher said.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub why: String,
}

/// Parse a codings file. A large file is parsed in parts on several threads (the result is the
/// same: the codings in file order, or the error of the first bad line).
pub fn parse_codings(path: &Path, text: &str) -> Result<Vec<Coding>, StudyError> {
    parse_codings_with(path, text, |line| serde_json::from_str(line))
}

/// A coding line read without its words (see [`Study::load_coder_placements`]). The fields and
/// the required ones are those of [`Coding`], so a missing or unknown field is refused as there,
/// but the words are skipped (any JSON value passes), not copied, and the ids are borrowed from
/// the line where they can be.
fn placement_from_line(line: &str) -> Result<Coding, serde_json::Error> {
    use serde::de::IgnoredAny;
    use std::borrow::Cow;
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // the skipped fields are read to be checked, not kept
    struct Placement<'a> {
        #[serde(borrow)]
        document: Cow<'a, str>,
        start: usize,
        end: usize,
        quote: IgnoredAny,
        #[serde(default)]
        before: IgnoredAny,
        #[serde(default)]
        after: IgnoredAny,
        #[serde(borrow)]
        code: Cow<'a, str>,
        #[serde(borrow)]
        coder: Cow<'a, str>,
        time: IgnoredAny,
        #[serde(default)]
        memo: IgnoredAny,
        #[serde(default)]
        unplaced: bool,
        #[serde(default)]
        exemplar: bool,
    }
    let p: Placement = serde_json::from_str(line)?;
    Ok(Coding {
        document: p.document.into_owned(),
        start: p.start,
        end: p.end,
        quote: String::new(),
        before: String::new(),
        after: String::new(),
        code: p.code.into_owned(),
        coder: p.coder.into_owned(),
        time: String::new(),
        memo: String::new(),
        unplaced: p.unplaced,
        exemplar: p.exemplar,
    })
}

/// [`parse_codings`] with `parse` reading each line.
fn parse_codings_with(
    path: &Path,
    text: &str,
    parse: fn(&str) -> Result<Coding, serde_json::Error>,
) -> Result<Vec<Coding>, StudyError> {
    const PART: usize = 1 << 20;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let parts = (text.len() / PART).clamp(1, threads);
    if parts == 1 {
        return parse_codings_part(path, text, 0, parse);
    }
    // Cut at line ends near equal shares of the bytes.
    let mut cuts = vec![0];
    for i in 1..parts {
        let from = (text.len() * i / parts).max(*cuts.last().unwrap_or(&0));
        let cut = text[from..].find('\n').map_or(text.len(), |at| from + at + 1);
        cuts.push(cut);
    }
    cuts.push(text.len());
    let pieces: Vec<&str> = cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect();
    let mut first_line = 0;
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .iter()
            .map(|piece| {
                let skip = first_line;
                first_line += piece.bytes().filter(|&b| b == b'\n').count();
                scope.spawn(move || parse_codings_part(path, piece, skip, parse))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect::<Vec<_>>()
    });
    let mut codings = Vec::new();
    for result in results {
        codings.extend(result?);
    }
    Ok(codings)
}

/// Parse the lines of `text`, the first being line `skip + 1` of the file.
fn parse_codings_part(
    path: &Path,
    text: &str,
    skip: usize,
    parse: fn(&str) -> Result<Coding, serde_json::Error>,
) -> Result<Vec<Coding>, StudyError> {
    let mut codings = Vec::with_capacity(text.len() / 400);
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let coding = parse(line).map_err(|e| StudyError::Parse {
            path: path.to_owned(),
            line: skip + i + 1,
            message: e.to_string(),
        })?;
        codings.push(coding);
    }
    Ok(codings)
}

/// Canonical codings file: one JSON object a line, sorted by document, span and code, with
/// duplicate segments (same document, span and code) kept once. Nothing a duplicate holds is
/// lost: the earliest is kept, with the memos of the others added to its own and the exemplar
/// mark if any had it (an exact copy, as a git merge can leave, adds nothing).
pub fn codings_to_jsonl(codings: &[Coding]) -> String {
    use std::borrow::Cow;
    let mut sorted: Vec<&Coding> = codings.iter().collect();
    sorted.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()).then_with(|| a.time.cmp(&b.time)));
    let mut kept: Vec<Cow<'_, Coding>> = Vec::with_capacity(sorted.len());
    for c in sorted {
        match kept.last_mut() {
            Some(last) if last.same_segment(c) => {
                if c.exemplar && !last.exemplar {
                    last.to_mut().exemplar = true;
                }
                if !c.memo.is_empty() && last.memo != c.memo && !last.memo.split('\n').any(|m| m == c.memo) {
                    let last = last.to_mut();
                    last.memo =
                        if last.memo.is_empty() { c.memo.clone() } else { format!("{}\n{}", last.memo, c.memo) };
                }
            }
            _ => kept.push(Cow::Borrowed(c)),
        }
    }
    let mut out = String::new();
    for c in kept {
        out.push_str(&serde_json::to_string(&*c).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Entries of a folder, sorted by name, skipping hidden and temporary ones; empty if absent.
fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, StudyError> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with('.') {
            paths.push(entry.path());
        }
    }
    paths.sort();
    Ok(paths)
}

/// Ids of the document folders (those holding a `document.toml`), sorted.
pub fn document_folders(root: &Path) -> Result<Vec<String>, StudyError> {
    let mut ids = Vec::new();
    for path in sorted_entries(&root.join(files::DOCUMENTS))? {
        if path.join(files::DOCUMENT_META).is_file() {
            if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                if !is_temporary_name(name) {
                    ids.push(name.to_owned());
                }
            }
        }
    }
    Ok(ids)
}
