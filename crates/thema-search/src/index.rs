//! The index: one tantivy document a turn, under `.thema/index/`, kept fresh from content hashes.
//!
//! A manifest beside the index (`manifest.json`) records the index format version and, for each
//! study document, a hash of everything its entries are made of: the document's four files, the
//! participants table (speakers' roles and attributes) and the codings that fall in it; and a
//! fingerprint of the study taken without reading a file (`fingerprint`: the documents'
//! metadata as the study holds them, the keys of the other files). Opening the index with the
//! same fingerprint reads nothing more; with another, it compares the hashes with the study's
//! and re-indexes only the documents that differ; a missing, damaged or older index is rebuilt
//! whole.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::indexer::UserOperation;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use thema_core::docstats::{FileKey, Folder};
use thema_core::study::files;
use thema_core::{Coding, Document, Study, TextIndex};

use crate::SearchError;

/// Bumped whenever the schema or what goes into a field changes: an index of another version is
/// rebuilt, never read.
pub const FORMAT_VERSION: u32 = 3;

/// Memory for the index writer.
const WRITER_MEMORY: usize = 100 << 20;

/// Turns a message to tantivy's indexing threads (see [`SearchIndex::open`]).
const BATCH: usize = 4;

/// Send `batch` to the indexing threads. When a thread has stopped (on a full disk, typically)
/// tantivy says only that it was killed; its own error comes back from the commit, which joins it.
fn send(writer: &mut IndexWriter, batch: Vec<UserOperation>, dir: &Path) -> Result<(), SearchError> {
    match writer.run(batch) {
        Ok(_) => Ok(()),
        Err(killed) => {
            let cause = writer.commit().err().unwrap_or(killed);
            Err(write_error(dir, cause))
        }
    }
}

/// The fields of a turn entry.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Turn id, `fg1:T17` (stored).
    pub id: Field,
    /// Document id (stored, fast).
    pub document: Field,
    /// Turn number (stored).
    pub turn: Field,
    /// Document order: import sequence × 2³² + turn number (fast, for document order).
    pub order: Field,
    /// Document kind.
    pub kind: Field,
    /// Wave.
    pub wave: Field,
    /// Date, `YYYY-MM-DD`.
    pub date: Field,
    /// Speaker label, lower case (stored as typed in `speaker_label`).
    pub speaker: Field,
    /// Speaker label as typed (stored).
    pub speaker_label: Field,
    /// Participant id (stored, fast).
    pub participant: Field,
    /// `key=value` in lower case: the participant's id, role, pseudonym and attributes, the
    /// document's id, kind, title, wave, date and attributes.
    pub attribute: Field,
    /// Code ids applied to the turn by any coder.
    pub code: Field,
    /// `coder` and `coder/code` for each coding in the turn.
    pub coded_by: Field,
    /// `coded` or `uncoded`.
    pub status: Field,
    /// The turn's text, English-stemmed (stored).
    pub text: Field,
    /// The turn's text, lower-cased only: exact words and phrases.
    pub exact: Field,
    /// Code-point offset of the turn's text in the document (stored).
    pub start: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text_options = |tokenizer: &str, stored: bool| {
            let options = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            );
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            document: b.add_text_field("doc", STRING | STORED | FAST),
            turn: b.add_u64_field("turn", INDEXED | STORED),
            order: b.add_u64_field("order", FAST),
            kind: b.add_text_field("kind", STRING),
            wave: b.add_u64_field("wave", INDEXED),
            date: b.add_text_field("date", STRING),
            speaker: b.add_text_field("speaker", STRING),
            speaker_label: b.add_text_field("speaker_label", STORED),
            participant: b.add_text_field("participant", STRING | STORED | FAST),
            attribute: b.add_text_field("attr", STRING),
            code: b.add_text_field("code", STRING),
            coded_by: b.add_text_field("coded_by", STRING),
            status: b.add_text_field("status", STRING),
            text: b.add_text_field("text", text_options("en_stem", true)),
            exact: b.add_text_field("exact", text_options("default", false)),
            start: b.add_u64_field("start", STORED),
        };
        (b.build(), fields)
    }
}

/// What the manifest records.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    version: u32,
    /// Document id -> hash of what its entries are made of.
    documents: BTreeMap<String, String>,
    /// The study's [`fingerprint`] when the hashes were taken: while it is the same, the index is
    /// fresh without reading any file. `None` when a file had changed too recently to be sure.
    #[serde(default)]
    fingerprint: Option<String>,
}

/// How opening the index went.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Freshness {
    /// Why the whole index was built, if it was.
    pub rebuilt: Option<String>,
    /// Documents (re-)indexed.
    pub indexed: Vec<String>,
    /// Documents taken out.
    pub removed: Vec<String>,
}

/// An open, fresh index of a study.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("fields", &self.fields).finish_non_exhaustive()
    }
}

/// The folder of the index in `study`.
pub fn index_dir(study: &Study) -> PathBuf {
    study.search_index_dir()
}

impl SearchIndex {
    /// Open the index of `study`, building or refreshing it as needed.
    pub fn open(study: &Study) -> Result<(SearchIndex, Freshness), SearchError> {
        let dir = index_dir(study);
        let fingerprint = fingerprint(study)?;
        let existing = open_existing(&dir);
        if let Ok((index, reader, manifest)) = &existing {
            if fingerprint.is_some() && manifest.fingerprint == fingerprint {
                let (_, fields) = Fields::schema();
                return Ok((
                    SearchIndex { index: index.clone(), reader: reader.clone(), fields },
                    Freshness::default(),
                ));
            }
        }
        // Where each coding is and what code it applies is all an entry needs of it.
        let codings = study.load_placements()?;
        let hashes = document_hashes(study, &codings)?;
        let (index, manifest, rebuilt) = match existing {
            Ok((index, _, manifest)) => (index, manifest, None),
            Err(why) => {
                if dir.exists() {
                    std::fs::remove_dir_all(&dir).map_err(|e| SearchError::io(&dir, e))?;
                }
                std::fs::create_dir_all(&dir).map_err(|e| SearchError::io(&dir, e))?;
                let (schema, _) = Fields::schema();
                let index = Index::create_in_dir(&dir, schema)?;
                (index, Manifest { version: FORMAT_VERSION, ..Manifest::default() }, Some(why))
            }
        };
        let (_, fields) = Fields::schema();
        let stale: Vec<&String> =
            hashes.iter().filter(|(id, h)| manifest.documents.get(*id) != Some(*h)).map(|(id, _)| id).collect();
        let gone: Vec<&String> = manifest.documents.keys().filter(|id| !hashes.contains_key(*id)).collect();
        let mut freshness = Freshness { rebuilt: rebuilt.clone(), ..Freshness::default() };
        let changed = !stale.is_empty() || !gone.is_empty() || rebuilt.is_some();
        if changed {
            let mut writer: IndexWriter = index.writer(WRITER_MEMORY).map_err(|e| write_error(&dir, e))?;
            let mut by_document: BTreeMap<&str, Vec<&Coding>> = BTreeMap::new();
            for c in &codings {
                by_document.entry(c.document.as_str()).or_default().push(c);
            }
            for id in stale.iter().chain(gone.iter()) {
                writer.delete_term(Term::from_field_text(fields.document, id));
            }
            for id in &stale {
                let document = study.load_document(id)?;
                let codings = by_document.get(id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
                // A document's turns go to the indexing threads in batches of `BATCH`, not one
                // message a turn. tantivy's queue holds 10,000 messages, whatever their size: a
                // document a message let most of a study's turns wait in it (the index build of
                // 2,000 documents peaked at 580 MB, where one turn a message took 246 MB, and 16
                // turns a message 425 MB); 4 turns a message peak at 270-285 MB, as fast, and
                // bound what waits to 40,000 turns whatever the study's size.
                let mut batch = Vec::with_capacity(BATCH);
                for entry in entries(study, &document, codings, &fields) {
                    batch.push(UserOperation::Add(entry));
                    if batch.len() == BATCH {
                        send(&mut writer, std::mem::replace(&mut batch, Vec::with_capacity(BATCH)), &dir)?;
                    }
                }
                if !batch.is_empty() {
                    send(&mut writer, batch, &dir)?;
                }
            }
            writer.commit().map_err(|e| write_error(&dir, e))?;
            writer.wait_merging_threads().map_err(|e| write_error(&dir, e))?;
            freshness.indexed = stale.iter().map(|s| (*s).clone()).collect();
            freshness.removed = gone.iter().map(|s| (*s).clone()).collect();
        }
        // Written after the index is committed: a crash in between leaves the old manifest,
        // whose hashes make the next run index the same documents again.
        let manifest = Manifest { version: FORMAT_VERSION, documents: hashes, fingerprint };
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| SearchError::Index(e.to_string()))?;
        thema_core::fsio::write_atomic(&dir.join("manifest.json"), &json)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok((SearchIndex { index, reader, fields }, freshness))
    }

    /// The fields of an entry.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Turns in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when no turn is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A failure to write the index in `dir`, with the operating system's error when tantivy kept
/// one (a full disk says "No space left on device", not "An index writer was killed").
fn write_error(dir: &Path, error: tantivy::TantivyError) -> SearchError {
    use tantivy::directory::error::{OpenDirectoryError, OpenWriteError};
    use tantivy::TantivyError;
    let os = match &error {
        TantivyError::IoError(e) => Some(e.as_ref()),
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => Some(io_error.as_ref()),
        TantivyError::OpenDirectoryError(OpenDirectoryError::IoError { io_error, .. }) => Some(io_error.as_ref()),
        _ => None,
    };
    // tantivy wraps some OS errors in another `io::Error` (kind `Other`): the kind is the
    // innermost one's.
    // Where the wrapped error kept only its text ("No space left on device (os error 28)"),
    // the kind is the one of the OS error it names.
    fn kind(e: &std::io::Error) -> std::io::ErrorKind {
        if let Some(inner) = e.get_ref().and_then(|inner| inner.downcast_ref::<std::io::Error>()) {
            return kind(inner);
        }
        let text = e.to_string();
        let named = text
            .split_once("(os error ")
            .and_then(|(_, rest)| rest.split_once(')'))
            .and_then(|(code, _)| code.parse::<i32>().ok());
        match named {
            Some(code) if e.kind() == std::io::ErrorKind::Other => std::io::Error::from_raw_os_error(code).kind(),
            _ => e.kind(),
        }
    }
    let dir = dir.display().to_string();
    match os {
        Some(e) => SearchError::Write { dir, cause: e.to_string(), kind: Some(kind(e)) },
        None => SearchError::Write { dir, cause: error.to_string(), kind: None },
    }
}

/// Open the index in `dir` if it is there, of this version, and readable; else say why not.
fn open_existing(dir: &Path) -> Result<(Index, IndexReader, Manifest), String> {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read(&manifest_path).map_err(|_| "there was no search index".to_owned())?;
    let manifest: Manifest =
        serde_json::from_slice(&text).map_err(|e| format!("the search index's manifest is damaged ({e})"))?;
    if manifest.version != FORMAT_VERSION {
        return Err(format!(
            "the search index is of format {} and this thema writes format {FORMAT_VERSION}",
            manifest.version
        ));
    }
    let index = Index::open_in_dir(dir).map_err(|e| format!("the search index is damaged ({e})"))?;
    let (schema, _) = Fields::schema();
    if index.schema() != schema {
        return Err("the search index has another schema".to_owned());
    }
    // Reading every segment's metadata catches truncated or missing files.
    index.searchable_segment_metas().map_err(|e| format!("the search index is damaged ({e})"))?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| format!("the search index is damaged ({e})"))?;
    Ok((index, reader, manifest))
}

/// What the index is made of, as far as it can be known without reading a file: a hash of each
/// document's metadata and speakers as the study holds them (checked against `document.toml` and
/// `speakers.csv` when the study was opened, see [`thema_core::metacache`]), and the key (size,
/// modification time, change time and inode, see [`thema_core::docstats`]) of each document's
/// `text.txt` and `turns.csv`, of `participants.csv` and of every codings file. Any write to a
/// file changes its change time, which no program can set back, so a file edited by hand, by
/// `git checkout` or by another command changes the fingerprint. The files are looked up
/// relative to their open folder (a `stat` of an absolute path resolves every folder on the
/// way). `None` when a file changed less than [`thema_core::docstats::SETTLE`] ago: two writes
/// within one tick of the file system's clock could leave the same key, so the index is then
/// checked against the files' contents every time until they settle.
fn fingerprint(study: &Study) -> Result<Option<String>, SearchError> {
    let mut hasher = std::hash::DefaultHasher::new();
    FORMAT_VERSION.hash(&mut hasher);
    let root = Folder::open(&study.path(""));
    let mut settled = file_key(&root, files::PARTICIPANTS, &mut hasher);
    let codings = study.path(files::CODINGS);
    let mut names = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&codings) {
        for entry in entries {
            let entry = entry.map_err(|e| SearchError::io(&codings, e))?;
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    let codings = Folder::open(&codings);
    for name in &names {
        settled &= file_key(&codings, name, &mut hasher);
    }
    let documents = Folder::open(&study.path(files::DOCUMENTS));
    let wanted: Vec<(String, bool)> = study
        .documents()
        .iter()
        .flat_map(|meta| {
            [files::DOCUMENT_TEXT, files::DOCUMENT_TURNS].map(|name| (format!("{}/{name}", meta.id), false))
        })
        .collect();
    let keys = documents.settled_of_all(&wanted);
    let mut json = Vec::new();
    for ((meta, named), keys) in study.documents().iter().zip(wanted.chunks(2)).zip(keys.chunks(2)) {
        json.clear();
        serde_json::to_writer(&mut json, meta).map_err(|e| SearchError::Index(e.to_string()))?;
        serde_json::to_writer(&mut json, &meta.speakers).map_err(|e| SearchError::Index(e.to_string()))?;
        json.hash(&mut hasher);
        for ((relative, _), key) in named.iter().zip(keys) {
            settled &= hash_key(relative, *key, &mut hasher);
        }
    }
    Ok(settled.then(|| format!("{:016x}", hasher.finish())))
}

/// Hash the key of the file at `relative` in `folder` (or that it is missing) into `hasher`;
/// false when it changed less than [`thema_core::docstats::SETTLE`] ago.
fn file_key(folder: &Folder, relative: &str, hasher: &mut std::hash::DefaultHasher) -> bool {
    hash_key(relative, folder.settled_of(relative, false), hasher)
}

/// Hash `key`, the key of the file at `relative` (`None`: missing), into `hasher`; false when
/// the file changed less than [`thema_core::docstats::SETTLE`] ago.
fn hash_key(relative: &str, key: Option<(FileKey, bool)>, hasher: &mut std::hash::DefaultHasher) -> bool {
    let mut line = String::new();
    let settled = match key {
        Some((key, settled)) => {
            key.write(&mut line);
            settled
        }
        None => {
            line.push_str("missing");
            true
        }
    };
    (relative, &line).hash(hasher);
    settled
}

/// Hash of each document's files, the participants table and the document's codings.
fn document_hashes(study: &Study, codings: &[Coding]) -> Result<BTreeMap<String, String>, SearchError> {
    let participants = std::fs::read(study.path(files::PARTICIPANTS)).unwrap_or_default();
    let mut by_document: BTreeMap<&str, Vec<&Coding>> = BTreeMap::new();
    for c in codings {
        by_document.entry(c.document.as_str()).or_default().push(c);
    }
    let mut out = BTreeMap::new();
    for meta in study.documents() {
        // SipHash with fixed keys: stable for a build of thema; another build may re-index.
        let mut hasher = std::hash::DefaultHasher::new();
        participants.hash(&mut hasher);
        let dir = study.document_dir(&meta.id);
        for name in [files::DOCUMENT_META, files::DOCUMENT_SPEAKERS, files::DOCUMENT_TEXT, files::DOCUMENT_TURNS] {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(bytes) => bytes.hash(&mut hasher),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0u8.hash(&mut hasher),
                Err(e) => return Err(SearchError::io(&path, e)),
            }
        }
        for c in by_document.get(meta.id.as_str()).into_iter().flatten() {
            (c.start, c.end, &c.code, &c.coder, c.unplaced).hash(&mut hasher);
        }
        out.insert(meta.id.clone(), format!("{:016x}", hasher.finish()));
    }
    Ok(out)
}

/// The index entries of one document's turns (or of the whole text if it has no turns).
fn entries(study: &Study, document: &Document, codings: &[&Coding], fields: &Fields) -> Vec<TantivyDocument> {
    let meta = &document.meta;
    let index = TextIndex::new(&document.text);
    let whole = [thema_core::Turn {
        number: 1,
        speaker: None,
        span: thema_core::Span { start: 0, end: document.text.chars().count() },
        time_start: None,
        time_end: None,
    }];
    let turns = if document.turns.is_empty() { &whole[..] } else { &document.turns[..] };
    // The document's fields as `--where` terms too (`--where wave=2`), as `thema_core::filter`
    // knows them: the same for every turn, made once.
    let mut document_terms = vec![
        attribute_term("document", &meta.id),
        attribute_term("kind", &meta.kind),
        attribute_term("title", &meta.title),
    ];
    if let Some(wave) = meta.wave {
        document_terms.push(attribute_term("wave", &wave.to_string()));
    }
    if let Some(date) = &meta.date {
        document_terms.push(attribute_term("date", date));
    }
    for (k, v) in &meta.attributes {
        document_terms.push(attribute_term(k, v));
    }
    // Each speaker label's terms, made the first time a turn of theirs comes.
    let mut speakers: HashMap<&str, SpeakerTerms> = HashMap::new();
    let mut out = Vec::with_capacity(turns.len());
    for turn in turns {
        let mut entry = TantivyDocument::default();
        entry.add_text(fields.id, document.turn_id(turn.number));
        entry.add_text(fields.document, &meta.id);
        entry.add_u64(fields.turn, u64::from(turn.number));
        entry.add_u64(fields.order, (u64::from(meta.sequence) << 32) | u64::from(turn.number));
        entry.add_text(fields.kind, &meta.kind);
        if let Some(wave) = meta.wave {
            entry.add_u64(fields.wave, u64::from(wave));
        }
        if let Some(date) = &meta.date {
            entry.add_text(fields.date, date);
        }
        for term in &document_terms {
            entry.add_text(fields.attribute, term);
        }
        if let Some(label) = &turn.speaker {
            let terms = speakers.entry(label).or_insert_with(|| SpeakerTerms::of(study, document, label));
            entry.add_text(fields.speaker, &terms.lower);
            entry.add_text(fields.speaker_label, label);
            if let Some(participant) = &terms.participant {
                entry.add_text(fields.participant, participant);
            }
            for term in &terms.attributes {
                entry.add_text(fields.attribute, term);
            }
        }
        let mut codes = BTreeSet::new();
        let mut coders = BTreeSet::new();
        for c in codings.iter().filter(|c| !c.unplaced && c.start < turn.span.end && turn.span.start < c.end) {
            codes.insert(c.code.as_str());
            coders.insert(c.coder.clone());
            coders.insert(format!("{}/{}", c.coder, c.code));
        }
        for code in &codes {
            entry.add_text(fields.code, code);
        }
        for coder in &coders {
            entry.add_text(fields.coded_by, coder);
        }
        entry.add_text(fields.status, if codes.is_empty() { "uncoded" } else { "coded" });
        let text = index.slice(turn.span).unwrap_or("");
        entry.add_text(fields.text, text);
        entry.add_text(fields.exact, text);
        entry.add_u64(fields.start, turn.span.start as u64);
        out.push(entry);
    }
    out
}

/// What the index holds of a speaker label's turns besides their text.
struct SpeakerTerms {
    /// The label in lower case.
    lower: String,
    /// The participant the label stands for.
    participant: Option<String>,
    /// `--where` terms: the interviewer's role, the participant's id, pseudonym, role and
    /// attributes.
    attributes: Vec<String>,
}

impl SpeakerTerms {
    fn of(study: &Study, document: &Document, label: &str) -> SpeakerTerms {
        let mut terms = SpeakerTerms { lower: label.to_lowercase(), participant: None, attributes: Vec::new() };
        let speaker = document.speaker(label);
        if speaker.is_some_and(|s| s.interviewer) {
            terms.attributes.push(attribute_term("role", "interviewer"));
        }
        if let Some(p) = speaker.and_then(|s| s.participant.as_deref()).and_then(|id| study.participants.get(id)) {
            terms.participant = Some(p.id.clone());
            terms.attributes.push(attribute_term("participant", &p.id));
            terms.attributes.push(attribute_term("pseudonym", &p.pseudonym));
            terms.attributes.push(attribute_term("role", &p.role));
            for (k, v) in &p.attributes {
                terms.attributes.push(attribute_term(k, v));
            }
        }
        terms
    }
}

/// The indexed form of an attribute: `key=value`, trimmed and in lower case.
pub fn attribute_term(key: &str, value: &str) -> String {
    format!("{}={}", key.trim().to_lowercase(), value.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_names_the_folder_and_the_os_error() {
        let dir = Path::new("/study/.thema/index");
        let full = std::io::Error::from_raw_os_error(28);
        let error = write_error(dir, tantivy::TantivyError::IoError(std::sync::Arc::new(full)));
        assert_eq!(
            error.to_string(),
            "cannot write the search index in `/study/.thema/index`: No space left on device (os error 28)"
        );
        assert!(error.is_disk_full());
        // The same error wrapped in another, as tantivy's writers do.
        let wrapped = std::io::Error::other(std::io::Error::from_raw_os_error(28));
        let error = write_error(dir, tantivy::TantivyError::IoError(std::sync::Arc::new(wrapped)));
        assert!(error.is_disk_full(), "{error}");
        assert!(error.to_string().ends_with(": No space left on device (os error 28)"), "{error}");
        // Wrapped with only its text left, as a thread of tantivy's passes it on.
        let text_only = std::io::Error::other(std::io::Error::from_raw_os_error(28).to_string());
        let error = write_error(dir, tantivy::TantivyError::IoError(std::sync::Arc::new(text_only)));
        assert!(error.is_disk_full(), "{error}");
        // A file tantivy could not open for writing.
        let denied = tantivy::directory::error::OpenWriteError::IoError {
            io_error: std::sync::Arc::new(std::io::Error::from_raw_os_error(13)),
            filepath: dir.join("meta.json"),
        };
        let error = write_error(dir, tantivy::TantivyError::OpenWriteError(denied));
        assert_eq!(
            error.to_string(),
            "cannot write the search index in `/study/.thema/index`: Permission denied (os error 13)"
        );
        assert!(!error.is_disk_full());
        // Without an OS error, tantivy's own words, still with the folder.
        let killed = tantivy::TantivyError::ErrorInThread("An index writer was killed".into());
        let error = write_error(dir, killed);
        assert!(error.to_string().starts_with("cannot write the search index in `/study/.thema/index`: "), "{error}");
        assert!(!error.is_disk_full());
    }
}
