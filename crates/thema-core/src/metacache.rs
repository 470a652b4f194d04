//! Every document's metadata without parsing every `document.toml`: opening a study of 2,000
//! documents would otherwise parse 2,000 TOML files (and read 2,000 `speakers.csv`), even for a
//! command that needs ten documents.
//!
//! The metadata are kept in `.thema/document-meta.tsv`, derived data like the search index and
//! `.thema/document-stats.tsv` (git-ignored, never part of the study's format, deleted at will).
//! Each line holds, for one document, the size, modification time, change time and inode of its
//! `document.toml` and `speakers.csv` (`-` when it has none) as they were when they were read,
//! then the metadata and the speakers as JSON. An entry is used only while both files still have
//! exactly those (see [`crate::docstats`]: any write changes a file's change time, which no
//! program can set back), so a `document.toml` edited by hand, by `git checkout` or by another
//! command is always read again; an entry is kept only for files left unchanged for
//! [`crate::docstats::SETTLE`]. Checking costs a `stat` of each file (a few milliseconds for
//! 2,000 documents); parsing them was the cost. A damaged cache is ignored, and on a read-only
//! study it is simply not written.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::docstats::FileKey;
use crate::document::{DocumentMeta, Speaker};
use crate::error::StudyError;
use crate::formats::{parse_meta, parse_speakers, read_text};
use crate::fsio::is_temporary_name;
use crate::layout as files;

/// The cache file, relative to the study folder.
pub const META_CACHE: &str = ".thema/document-meta.tsv";

/// First line of the cache file; a file with another first line is ignored (and rewritten).
const HEADER: &str =
    "# thema document meta 1: id, document.toml and speakers.csv (size mtime ctime inode, or -), metadata and speakers as JSON";

/// One cache line, its JSON not yet parsed.
struct Entry<'a> {
    /// The whole line, kept as it is while the entry holds.
    line: &'a str,
    meta_key: FileKey,
    speakers_key: Option<FileKey>,
    meta: &'a str,
    speakers: &'a str,
}

impl Entry<'_> {
    fn decode(&self) -> Option<DocumentMeta> {
        let mut meta: DocumentMeta = serde_json::from_str(self.meta).ok()?;
        meta.speakers = serde_json::from_str::<Vec<Speaker>>(self.speakers).ok()?;
        Some(meta)
    }
}

fn parse_cache(text: &str) -> HashMap<&str, Entry<'_>> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return HashMap::new();
    }
    let mut entries = HashMap::new();
    for line in lines {
        let parse = || -> Option<(&str, Entry<'_>)> {
            // JSON strings hold no raw tab: the last two fields split cleanly.
            let mut fields = line.split('\t');
            let id = fields.next()?;
            let meta_key = FileKey::parse(fields.next()?)?;
            let speakers_key = match fields.next()? {
                "-" => None,
                key => Some(FileKey::parse(key)?),
            };
            let entry = Entry { line, meta_key, speakers_key, meta: fields.next()?, speakers: fields.next()? };
            fields.next().is_none().then_some((id, entry))
        };
        match parse() {
            Some((id, entry)) => {
                entries.insert(id, entry);
            }
            // A damaged cache is no cache.
            None => return HashMap::new(),
        }
    }
    entries
}

/// The metadata (with speakers) of every document folder of the study at `root` (those holding a
/// `document.toml`, temporary folders aside), in the order of the folders' names: from the cache
/// where both files are unchanged, parsed (and kept) where not. Fails as parsing fails, naming
/// the first document folder in order whose files do not parse or whose id does not match.
pub(crate) fn read_documents(root: &Path) -> Result<Vec<DocumentMeta>, StudyError> {
    let cache_path = root.join(META_CACHE);
    let cache_text = fs::read_to_string(&cache_path).unwrap_or_default();
    let cache = parse_cache(&cache_text);
    let mut documents = Vec::new();
    let mut out = String::from(HEADER);
    out.push('\n');
    let folder = crate::docstats::Folder::open(&root.join(files::DOCUMENTS));
    let entries = crate::fsio::sorted_entries(&root.join(files::DOCUMENTS))?;
    let dirs: Vec<(&std::path::PathBuf, &str)> = entries
        .iter()
        .filter_map(|dir| Some((dir, dir.file_name()?.to_str().filter(|n| !is_temporary_name(n))?)))
        .collect();
    // The keys are taken before the files are read: a change in between leaves an entry that no
    // longer matches, never a stale one that does.
    let wanted: Vec<(String, bool)> = dirs
        .iter()
        .flat_map(|(_, id)| {
            [(format!("{id}/{}", files::DOCUMENT_META), true), (format!("{id}/{}", files::DOCUMENT_SPEAKERS), false)]
        })
        .collect();
    let keys = folder.settled_of_all(&wanted);
    for ((dir, id), keys) in dirs.into_iter().zip(keys.chunks(2)) {
        let meta_path = dir.join(files::DOCUMENT_META);
        let Some((meta_key, meta_settled)) = keys[0] else {
            continue;
        };
        let speakers_path = dir.join(files::DOCUMENT_SPEAKERS);
        let speakers = keys[1];
        let speakers_key = speakers.map(|(key, _)| key);
        let entry = cache.get(id).filter(|e| e.meta_key == meta_key && e.speakers_key == speakers_key);
        let cached = entry.and_then(|e| e.decode().filter(|m| m.id == id).map(|m| (m, e.line)));
        let meta = match cached {
            Some((meta, line)) => {
                // Its files unchanged: the line is kept as it is, not made again.
                out.push_str(line);
                out.push('\n');
                documents.push(meta);
                continue;
            }
            None => {
                let mut meta = parse_meta(&meta_path, &read_text(&meta_path)?)?;
                if meta.id != id {
                    return Err(StudyError::Parse {
                        path: meta_path,
                        line: 0,
                        message: format!("id `{}` does not match the folder name `{id}`", meta.id),
                    });
                }
                if speakers.is_some() {
                    meta.speakers = parse_speakers(&speakers_path, &read_text(&speakers_path)?)?;
                }
                meta
            }
        };
        if meta_settled && speakers.is_none_or(|(_, settled)| settled) {
            write_entry(&mut out, &meta, meta_key, speakers_key);
        }
        documents.push(meta);
    }
    let kept = out.len() > HEADER.len() + 1;
    if out != cache_text && (kept || !cache_text.is_empty()) {
        // Best effort: a study on a read-only disk is parsed every time.
        let _ = fs::create_dir_all(root.join(files::DERIVED));
        let _ = crate::fsio::write_atomic(&cache_path, out.as_bytes());
    }
    Ok(documents)
}

fn write_entry(out: &mut String, meta: &DocumentMeta, meta_key: FileKey, speakers_key: Option<FileKey>) {
    let (Ok(json), Ok(speakers)) = (serde_json::to_string(meta), serde_json::to_string(&meta.speakers)) else {
        return;
    };
    // A folder name that would break the line is read every time.
    if meta.id.contains(['\t', '\n', '\r']) {
        return;
    }
    out.push_str(&meta.id);
    meta_key.write(out);
    match speakers_key {
        Some(key) => key.write(out),
        None => out.push_str("\t-"),
    }
    out.push('\t');
    out.push_str(&json);
    out.push('\t');
    out.push_str(&speakers);
    out.push('\n');
}
