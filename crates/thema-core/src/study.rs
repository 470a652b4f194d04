//! The study on disk: the handle ([`Study`]) that is the one place that reads and writes study
//! files, atomically and in a canonical form so that the same study always serialises to the
//! same bytes. Where the files are: [`crate::layout`]; how each is parsed and written:
//! [`crate::formats`]; writes held back until a command ends: [`crate::transaction`]; derived
//! caches: [`crate::docstats`], [`crate::metacache`], [`crate::placements`].

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::codebook::Codebook;
use crate::coding::Coding;
use crate::docstats::{parse_cache, FileKey, HEADER, STATS_CACHE};
use crate::document::{is_valid_id, Document, DocumentMeta, DocumentStats, Turn};
use crate::error::StudyError;
use crate::formats::{io, parse_codings_file, parse_codings_with, placement_from_line};
pub(crate) use crate::fsio::sorted_entries;
use crate::fsio::{is_temporary_name, write_atomic, write_dirs_atomic};
use crate::layout::{GITATTRIBUTES, GITIGNORE};
use crate::participant::Participants;
use crate::settings::Settings;
use crate::transaction::{commit_pending, lock, Pending};

pub use crate::formats::{
    codebook_to_toml, codings_to_jsonl, line_of, meta_to_toml, parse_codebook, parse_codings, parse_meta,
    parse_settings, parse_speakers, parse_turns, read_text, settings_to_toml, speakers_to_csv, turns_to_csv, Decision,
};
/// File names inside a study (see [`crate::layout`]).
pub use crate::layout as files;
pub use crate::transaction::Transaction;

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

    /// Open the study at `root`: settings, participants and every document's metadata (from the
    /// checked cache of [`crate::metacache`] for the documents whose files are unchanged).
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
        // From the checked cache of `.thema/document-meta.tsv` where the files are unchanged.
        let mut documents = crate::metacache::read_documents(root)?;
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
        crate::parallel::each_in_parts(ids, 16, |id| self.load_turns(id))
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
        Ok(self.coder_placements(coder)?.into_codings())
    }

    /// [`Study::load_coder_placements`] with each document id, code and coder kept once: what an
    /// analysis of a large study reads when it needs only where codings are and what they apply.
    pub fn coder_placements(&self, coder: &str) -> Result<crate::placements::Placements, StudyError> {
        use crate::placements::{self, Placements};
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
            Some(text) => parse_codings_with(&path, &text, 0, placement_from_line, None)?,
            None => return Ok(Placements::default()),
        };
        let placements = Placements::of(&codings);
        if let Some((key, true)) = key {
            placements::write(&self.root, &cache, key, &placements);
        }
        Ok(placements)
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
        self.read_set_codings(set, None)
    }

    /// The codings of a coder set whose code `keep` accepts, as [`Study::load_set_codings`]
    /// gives them and then filtered: a passage pools codings of one code, so pooling what is
    /// kept is keeping what is pooled. A line of another code is only skimmed for its code
    /// (its other fields are not checked, as [`Study::load_coder_placements`] does not check
    /// the words), so memory and time go to what is kept (`thema segments` of one theme reads a
    /// fraction of a study's codings).
    pub fn load_set_codings_where(
        &self,
        set: &crate::coders::CoderSet,
        keep: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Vec<Coding>, StudyError> {
        self.read_set_codings(set, Some(keep))
    }

    fn read_set_codings(
        &self,
        set: &crate::coders::CoderSet,
        keep: Option<&(dyn Fn(&str) -> bool + Sync)>,
    ) -> Result<Vec<Coding>, StudyError> {
        let mut codings = Vec::new();
        for coder in &set.coders {
            let path = self.codings_path(coder);
            // A file held back in a transaction is in memory already; one on disk is read a
            // piece at a time.
            let held = lock(&self.pending).as_ref().is_some_and(|p| p.get(&path).is_some());
            if held {
                if let Some(text) = self.read(&path)? {
                    codings.extend(parse_codings_with(&path, &text, 0, |line| serde_json::from_str(line), keep)?);
                }
            } else if path.exists() {
                codings.extend(parse_codings_file(&path, keep)?);
            }
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

/// Per-document figures, from the cache of [`crate::docstats`] where it holds them.
impl Study {
    /// Turns, speakers and words of every document, in the order of [`Study::documents`]: the
    /// figures [`crate::Document::stats`] gives, taken from `.thema/document-stats.tsv` for the
    /// documents whose `text.txt` and `turns.csv` are unchanged since they were counted (see
    /// [`crate::docstats`]), and counted (on all cores) for the others. Fails where
    /// [`Study::load_document`] fails for a document that must be counted. Writing the cache is
    /// best effort: a study on a read-only disk is counted every time.
    pub fn document_stats(&self) -> Result<Vec<DocumentStats>, StudyError> {
        if self.has_pending_writes() {
            return self.documents().iter().map(|m| self.load_document(&m.id).map(|d| d.stats())).collect();
        }
        let cache_path = self.root().join(STATS_CACHE);
        let cache_text = fs::read_to_string(&cache_path).unwrap_or_default();
        let cache = parse_cache(&cache_text);
        let mut stats: Vec<Option<DocumentStats>> = Vec::with_capacity(self.documents().len());
        // Per document: its file keys, and whether they have settled long enough to be kept.
        let mut keys: Vec<Option<([FileKey; 2], bool)>> = Vec::with_capacity(self.documents().len());
        let folder = crate::docstats::Folder::open(&self.root().join(files::DOCUMENTS));
        for meta in self.documents() {
            let text = folder.settled_of(&format!("{}/{}", meta.id, files::DOCUMENT_TEXT), false);
            let turns = folder.settled_of(&format!("{}/{}", meta.id, files::DOCUMENT_TURNS), false);
            let found = match (text, turns) {
                (Some((text, s1)), Some((turns, s2))) => Some(([text, turns], s1 && s2)),
                _ => None,
            };
            let cached = found
                .and_then(|(k, _)| cache.get(meta.id.as_str()).filter(|(cached, _)| *cached == k))
                .map(|(_, s)| s.clone());
            stats.push(cached);
            keys.push(found);
        }
        let missing: Vec<usize> = (0..stats.len()).filter(|&i| stats[i].is_none()).collect();
        if missing.is_empty() {
            return Ok(stats.into_iter().flatten().collect());
        }
        let counted = self.count_documents(&missing)?;
        for (i, s) in missing.iter().zip(counted) {
            stats[*i] = Some(s);
        }
        let stats: Vec<DocumentStats> = stats.into_iter().flatten().collect();
        let mut out = String::from(HEADER);
        out.push('\n');
        for ((meta, s), key) in self.documents().iter().zip(&stats).zip(&keys) {
            if let Some(([text, turns], true)) = key {
                out.push_str(&meta.id);
                text.write(&mut out);
                turns.write(&mut out);
                out.push_str(&format!(
                    "\t{} {} {} {} {}\n",
                    s.turns, s.speakers, s.words, s.unattributed_turns, s.chars
                ));
            }
        }
        let kept = out.len() > HEADER.len() + 1;
        if out != cache_text && (kept || !cache_text.is_empty()) {
            let _ = fs::create_dir_all(self.root().join(files::DERIVED));
            let _ = crate::fsio::write_atomic(&cache_path, out.as_bytes());
        }
        Ok(stats)
    }

    /// Length in code points of every document's text, in the order of [`Study::documents`]:
    /// the figures of [`Study::document_stats`], so from `.thema/document-stats.tsv` where it
    /// holds, and counted (and kept) where it does not.
    pub fn document_lengths(&self) -> Result<Vec<usize>, StudyError> {
        Ok(self.document_stats()?.into_iter().map(|s| s.chars).collect())
    }

    /// Count the documents at positions `which`, on all cores; the first error in order wins.
    fn count_documents(&self, which: &[usize]) -> Result<Vec<DocumentStats>, StudyError> {
        crate::parallel::each_in_parts(which, 8, |i| self.load_document(&self.documents()[*i].id).map(|d| d.stats()))
    }
}
