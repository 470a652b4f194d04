//! Per-document figures (turns, speakers, words) without reading every text: `thema ls` on a
//! large study would otherwise read and segment every transcript into words.
//!
//! The figures are kept in `.thema/document-stats.tsv`, derived data like the search index
//! (git-ignored, never part of the study's format, deleted at will). Each line holds, for one
//! document, the size, modification time, change time and inode of its `text.txt` and
//! `turns.csv` as they were when the figures were computed. A figure is used only when both
//! files still have exactly those: any write to a file (by thema, an editor or git) changes its
//! change time, which no program can set back, so a changed file is always counted again. A file
//! changed less than [`SETTLE`] before it was counted is not kept, so that two writes within one
//! tick of the file system's clock cannot leave a stale figure.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::document::DocumentStats;
use crate::error::StudyError;
use crate::study::{files, Study};

/// The cache file, relative to the study folder.
pub const STATS_CACHE: &str = ".thema/document-stats.tsv";

/// First line of the cache file; a file with another first line is ignored (and rewritten).
const HEADER: &str =
    "# thema document stats 2: id, text.txt and turns.csv (size mtime ctime inode), turns speakers words unattributed chars";

/// How long a file must have been left unchanged before its figures are kept.
pub const SETTLE: Duration = Duration::from_secs(2);

/// What identifies the contents of one file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileKey {
    size: u64,
    mtime: u128,
    ctime: u128,
    inode: u64,
}

impl FileKey {
    /// The key of the file at `path`, and when it last changed (content or metadata).
    pub(crate) fn of(path: &Path) -> Option<(FileKey, SystemTime)> {
        let meta = fs::metadata(path).ok()?;
        let since = |t: SystemTime| t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let modified = meta.modified().ok()?;
        #[cfg(unix)]
        let (ctime, inode, changed) = {
            use std::os::unix::fs::MetadataExt;
            let ctime = u128::try_from(meta.ctime()).ok()? * 1_000_000_000 + u128::try_from(meta.ctime_nsec()).ok()?;
            let changed = SystemTime::UNIX_EPOCH + Duration::from_nanos(u64::try_from(ctime).ok()?);
            (ctime, meta.ino(), changed)
        };
        #[cfg(not(unix))]
        let (ctime, inode, changed) = (0, 0, modified);
        let key = FileKey { size: meta.len(), mtime: since(modified), ctime, inode };
        Some((key, modified.max(changed)))
    }

    /// The key of the file at `path`, and whether it has been left unchanged for [`SETTLE`]
    /// (only then may figures made from it be kept).
    pub(crate) fn settled_of(path: &Path) -> Option<(FileKey, bool)> {
        let (key, changed) = FileKey::of(path)?;
        Some((key, SystemTime::now().duration_since(changed).is_ok_and(|age| age >= SETTLE)))
    }

    pub(crate) fn write(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "\t{} {} {} {}", self.size, self.mtime, self.ctime, self.inode);
    }

    pub(crate) fn parse(field: &str) -> Option<FileKey> {
        let mut parts = field.split(' ');
        let key = FileKey {
            size: parts.next()?.parse().ok()?,
            mtime: parts.next()?.parse().ok()?,
            ctime: parts.next()?.parse().ok()?,
            inode: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(key)
    }
}

type Entry = ([FileKey; 2], DocumentStats);

fn parse_cache(text: &str) -> HashMap<&str, Entry> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return HashMap::new();
    }
    let mut entries = HashMap::new();
    for line in lines {
        let parse = || -> Option<(&str, Entry)> {
            let mut fields = line.split('\t');
            let id = fields.next()?;
            let keys = [FileKey::parse(fields.next()?)?, FileKey::parse(fields.next()?)?];
            let mut numbers = fields.next()?.split(' ').map(|n| n.parse::<usize>().ok());
            let mut next = || numbers.next().flatten();
            let stats = DocumentStats {
                turns: next()?,
                speakers: next()?,
                words: next()?,
                unattributed_turns: next()?,
                chars: next()?,
            };
            (fields.next().is_none() && numbers.next().is_none()).then_some((id, (keys, stats)))
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
        for meta in self.documents() {
            let dir = self.document_dir(&meta.id);
            let text = FileKey::settled_of(&dir.join(files::DOCUMENT_TEXT));
            let turns = FileKey::settled_of(&dir.join(files::DOCUMENT_TURNS));
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
        let count = |i: &usize| self.load_document(&self.documents()[*i].id).map(|d| d.stats());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        if threads < 2 || which.len() < 8 {
            return which.iter().map(count).collect();
        }
        let share = which.len().div_ceil(threads);
        let parts: Vec<Result<Vec<DocumentStats>, StudyError>> = std::thread::scope(|scope| {
            let handles: Vec<_> =
                which.chunks(share).map(|part| scope.spawn(move || part.iter().map(count).collect())).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        let mut out = Vec::with_capacity(which.len());
        for part in parts {
            out.extend(part?);
        }
        Ok(out)
    }
}
