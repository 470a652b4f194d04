//! Every document's turns without reading 2,000 `turns.csv` files: the commands that attribute
//! codings to speakers or count by turn (`codebook`, `segments`, `matrix`, `cooccur`, `agree`)
//! need each document's turns, not its text, and opening and parsing one small file a document
//! was a fifth of their time on a study of 2,000 documents.
//!
//! The turns are kept in `.thema/turns.bin`, derived data like the search index and
//! `.thema/document-stats.tsv` (git-ignored, never part of the study's format, deleted at will,
//! and deleted by `thema deidentify`: it holds the speaker labels, which may be real names). Each
//! entry holds, for one document, the size, modification time, change time and inode of its
//! `turns.csv` as they were when it was read (see [`crate::docstats`]); it is used only while the
//! file still has exactly those (any write changes a file's change time, which no program can
//! set back), so a `turns.csv` edited by hand, by `git checkout` or by another command is always
//! read again. An entry is kept only for a file left unchanged for [`crate::docstats::SETTLE`];
//! a damaged entry is read from `turns.csv`; while a transaction holds back writes the files are
//! read as they are; on a read-only study the cache is simply not written.
//!
//! Layout: the first line is `thema turns 1`; then one entry a document, all integers
//! little-endian: the document id and the key of its `turns.csv` (as `document-stats.tsv`
//! writes it), each a `u32` length and UTF-8 bytes, then the length of the turns part (`u32`)
//! and the turns part: the speaker labels (a `u32` count, each a `u32` length and bytes), and the
//! turns (a `u32` count, each the number `u32`, the speaker's label `u32` (`u32::MAX` for
//! none), start and end `u64`, a flags byte (1: a start time, 2: an end time) and each time
//! present as `u64` milliseconds).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;

use crate::docstats::{FileKey, Folder};
use crate::document::Turn;
use crate::error::StudyError;
use crate::layout as files;
use crate::placements::Reader;
use crate::span::Span;
use crate::study::Study;
use crate::timestamp::Timestamp;

/// The cache file, relative to the study folder.
pub const TURNS_CACHE: &str = ".thema/turns.bin";

const MAGIC: &[u8] = b"thema turns 1\n";
const NO_SPEAKER: u32 = u32::MAX;
const TIME_START: u8 = 1;
const TIME_END: u8 = 2;

/// Each document's entry in a cache file: the key of its `turns.csv`, where the whole entry is,
/// where its turns part is.
type Entries = HashMap<String, (FileKey, Range<usize>, Range<usize>)>;

/// Reads documents' turns from `.thema/turns.bin` where it holds them and from `turns.csv`
/// where it does not, and keeps what it had to read when dropped. Make one for all the blocks of
/// documents a command reads ([`TurnReader::turns_of`]), so the cache is read and written once.
pub struct TurnReader<'a> {
    study: &'a Study,
    /// `None` while a transaction holds back writes: then every file is read as it is.
    cache: Option<Cache>,
}

/// The cache as read, and what was read besides it.
struct Cache {
    path: PathBuf,
    folder: Folder,
    /// The cache file's bytes.
    bytes: Vec<u8>,
    /// Each document's entry in `bytes`.
    entries: Entries,
    /// Entries made of files read this time, settled long enough to keep, by document.
    fresh: HashMap<String, Vec<u8>>,
    /// Documents whose entry in `bytes` no longer matches their file.
    stale: HashSet<String>,
}

impl<'a> TurnReader<'a> {
    /// A reader of `study`'s turns.
    pub fn new(study: &'a Study) -> TurnReader<'a> {
        if study.has_pending_writes() {
            return TurnReader { study, cache: None };
        }
        let path = study.root().join(TURNS_CACHE);
        let bytes = std::fs::read(&path).unwrap_or_default();
        let entries = index(&bytes).unwrap_or_default();
        let folder = Folder::open(&study.root().join(files::DOCUMENTS));
        let cache = Cache { path, folder, bytes, entries, fresh: HashMap::new(), stale: HashSet::new() };
        TurnReader { study, cache: Some(cache) }
    }

    /// The turns of each of documents `ids`, in that order, as [`Study::load_turns_of`] gives
    /// them (and with its errors for a document whose `turns.csv` must be read).
    pub fn turns_of(&mut self, ids: &[&str]) -> Result<Vec<Vec<Turn>>, StudyError> {
        let Some(cache) = &mut self.cache else { return self.study.load_turns_of(ids) };
        let mut out: Vec<Option<Vec<Turn>>> = Vec::with_capacity(ids.len());
        // Per document to read: its position, and its file's key if it may be kept.
        let mut missing: Vec<(usize, Option<FileKey>)> = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            // The key is taken before the file is read: a change in between leaves an entry
            // that no longer matches, never a stale one that does.
            let key = cache.folder.settled_of(&format!("{id}/{}", files::DOCUMENT_TURNS), false);
            let cached = match (key, cache.entries.get(*id)) {
                (Some((key, _)), Some((cached, _, turns))) if *cached == key => decode(&cache.bytes[turns.clone()]),
                _ => None,
            };
            if cached.is_none() && cache.entries.contains_key(*id) {
                cache.stale.insert((*id).to_owned());
            }
            if cached.is_none() {
                missing.push((i, key.filter(|(_, settled)| *settled).map(|(key, _)| key)));
            }
            out.push(cached);
        }
        if !missing.is_empty() {
            let read: Vec<&str> = missing.iter().map(|(i, _)| ids[*i]).collect();
            for ((i, key), turns) in missing.into_iter().zip(self.study.load_turns_of(&read)?) {
                if let Some(key) = key {
                    cache.fresh.insert(ids[i].to_owned(), encode_entry(ids[i], key, &turns));
                }
                out[i] = Some(turns);
            }
        }
        Ok(out.into_iter().map(Option::unwrap_or_default).collect())
    }
}

impl Drop for TurnReader<'_> {
    /// Keep what was read: the entries still good, the fresh ones, for the study's documents.
    fn drop(&mut self) {
        let Some(cache) = &mut self.cache else { return };
        if cache.fresh.is_empty() && cache.stale.is_empty() {
            return;
        }
        let mut out = MAGIC.to_vec();
        for meta in self.study.documents() {
            if let Some(entry) = cache.fresh.get(&meta.id) {
                out.extend(entry);
            } else if let Some((_, whole, _)) = cache.entries.get(&meta.id).filter(|_| !cache.stale.contains(&meta.id))
            {
                out.extend(&cache.bytes[whole.clone()]);
            }
        }
        if out != cache.bytes {
            let _ = std::fs::create_dir_all(self.study.root().join(files::DERIVED));
            let _ = crate::fsio::write_atomic(&cache.path, &out);
        }
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend((s.len() as u32).to_le_bytes());
    out.extend(s.as_bytes());
}

/// One document's entry.
fn encode_entry(id: &str, key: FileKey, turns: &[Turn]) -> Vec<u8> {
    let mut labels: Vec<&str> = Vec::new();
    let mut body = Vec::new();
    let mut records = Vec::with_capacity(turns.len() * 25);
    records.extend((turns.len() as u32).to_le_bytes());
    for t in turns {
        let speaker = match t.speaker.as_deref() {
            Some(label) => match labels.iter().position(|l| *l == label) {
                Some(n) => n as u32,
                None => {
                    labels.push(label);
                    (labels.len() - 1) as u32
                }
            },
            None => NO_SPEAKER,
        };
        records.extend(t.number.to_le_bytes());
        records.extend(speaker.to_le_bytes());
        records.extend((t.span.start as u64).to_le_bytes());
        records.extend((t.span.end as u64).to_le_bytes());
        let flags =
            if t.time_start.is_some() { TIME_START } else { 0 } | if t.time_end.is_some() { TIME_END } else { 0 };
        records.push(flags);
        for time in [t.time_start, t.time_end].into_iter().flatten() {
            records.extend(time.0.to_le_bytes());
        }
    }
    body.extend((labels.len() as u32).to_le_bytes());
    for label in labels {
        put_str(&mut body, label);
    }
    body.extend(records);
    let mut key_text = String::new();
    key.write(&mut key_text);
    let mut out = Vec::with_capacity(body.len() + id.len() + key_text.len() + 12);
    put_str(&mut out, id);
    put_str(&mut out, key_text.trim_start_matches('\t'));
    out.extend((body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

/// Where each document's entry is in a cache file; `None` for a file that is not a cache or is
/// damaged in its framing (a damaged turns part is found when it is decoded).
fn index(bytes: &[u8]) -> Option<Entries> {
    let mut r = Reader { bytes: bytes.strip_prefix(MAGIC)? };
    let mut entries = HashMap::new();
    while !r.bytes.is_empty() {
        let start = bytes.len() - r.bytes.len();
        let id = r.str()?;
        let key = FileKey::parse(r.str()?)?;
        let len = r.u32()? as usize;
        let turns_start = bytes.len() - r.bytes.len();
        r.take(len)?;
        let end = bytes.len() - r.bytes.len();
        entries.insert(id.to_owned(), (key, start..end, turns_start..end));
    }
    Some(entries)
}

/// The turns of one entry's turns part; `None` if it is damaged in any way.
fn decode(bytes: &[u8]) -> Option<Vec<Turn>> {
    let mut r = Reader { bytes };
    let count = r.u32()? as usize;
    // Each label takes at least its length's four bytes, each turn 25: a count beyond that is
    // damage, refused before anything is allocated for it.
    if count > r.bytes.len() / 4 {
        return None;
    }
    let labels: Vec<&str> = (0..count).map(|_| r.str()).collect::<Option<_>>()?;
    let count = r.u32()? as usize;
    if count > r.bytes.len() / 25 {
        return None;
    }
    let mut turns = Vec::with_capacity(count);
    for _ in 0..count {
        let number = r.u32()?;
        let speaker = match r.u32()? {
            NO_SPEAKER => None,
            n => Some((*labels.get(n as usize)?).to_owned()),
        };
        let start = usize::try_from(r.u64()?).ok()?;
        let end = usize::try_from(r.u64()?).ok()?;
        let flags = r.take(1)?[0];
        if flags & !(TIME_START | TIME_END) != 0 {
            return None;
        }
        let mut time = |flag: u8| -> Option<Option<Timestamp>> {
            Some(if flags & flag != 0 { Some(Timestamp(r.u64()?)) } else { None })
        };
        let time_start = time(TIME_START)?;
        let time_end = time(TIME_END)?;
        turns.push(Turn { number, speaker, span: Span { start, end }, time_start, time_end });
    }
    r.bytes.is_empty().then_some(turns)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(number: u32, speaker: Option<&str>, start: usize, end: usize, times: Option<(u64, u64)>) -> Turn {
        Turn {
            number,
            speaker: speaker.map(str::to_owned),
            span: Span { start, end },
            time_start: times.map(|(s, _)| Timestamp(s)),
            time_end: times.map(|(_, e)| Timestamp(e)),
        }
    }

    #[test]
    fn round_trip_and_damage() {
        let key = FileKey::parse("120 5 6 7").unwrap();
        let turns = vec![
            turn(1, Some("Interviewer"), 13, 40, None),
            turn(2, Some("Mo"), 44, 90, Some((1_500, 9_250))),
            turn(3, None, 91, 100, None),
            turn(4, Some("Interviewer"), 104, 120, None),
        ];
        let mut bytes = MAGIC.to_vec();
        bytes.extend(encode_entry("fg1", key, &turns));
        bytes.extend(encode_entry("ça-va", key, &[]));
        let entries = index(&bytes).unwrap();
        assert_eq!(entries.len(), 2);
        let (found, _, part) = entries["fg1"].clone();
        assert_eq!(found, key);
        assert_eq!(decode(&bytes[part.clone()]), Some(turns));
        assert_eq!(decode(&bytes[entries["ça-va"].2.clone()]), Some(Vec::new()));
        // Every truncation of the turns part is refused, and a byte too many.
        for n in part.start..part.end {
            assert_eq!(decode(&bytes[part.start..n]), None, "cut at {n}");
        }
        let mut longer = bytes[part.clone()].to_vec();
        longer.push(0);
        assert_eq!(decode(&longer), None);
        // Every truncation of the file breaks its framing, but the whole entries before the cut.
        for n in MAGIC.len()..bytes.len() {
            let cut = index(&bytes[..n]);
            assert!(cut.is_none() || n == part.end || n == MAGIC.len(), "cut at {n}: {cut:?}");
        }
        // A label out of the table and unknown flags are refused.
        let mut bad = bytes[part.clone()].to_vec();
        let label_at = 4 + (4 + "Interviewer".len()) + (4 + "Mo".len()) + 4 + 4;
        bad[label_at..label_at + 4].copy_from_slice(&7u32.to_le_bytes());
        assert_eq!(decode(&bad), None);
        let mut bad = bytes[part].to_vec();
        bad[label_at + 4 + 16] = 8;
        assert_eq!(decode(&bad), None);
        // Another first line is no cache.
        assert_eq!(index(b"thema turns 0\n"), None);
    }
}
