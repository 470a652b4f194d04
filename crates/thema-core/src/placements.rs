//! Codings without their words, kept in binary beside the study so that analyses do not parse
//! every codings file again.
//!
//! Counting, co-occurrence, agreement and saturation need where each coding is and what code it
//! applies, not its quote and context ([`crate::Study::load_coder_placements`]). On a large study
//! the JSON of `codings/<coder>.jsonl` is most of the time those commands take: 2,000 documents
//! with 200,000 codings are 90 MB of JSON to read and parse for 6 MB of placements. So each
//! coder's placements are kept in `.thema/placements/<coder>.bin`, derived data like the search
//! index and `.thema/document-stats.tsv` (git-ignored, never part of the study's format, deleted
//! at will).
//!
//! The cache file names the codings file's size, modification time, change time and inode as
//! they were when it was read (see [`crate::docstats`]); it is used only while the codings file
//! still has exactly those, and only written for a codings file left unchanged for
//! [`crate::docstats::SETTLE`]. A cache file that is damaged in any way is ignored.
//!
//! Layout: the first line is `thema placements 1` followed by the key, tab-separated; then, all
//! integers little-endian, the string table (a `u32` count, each string a `u32` length and its
//! UTF-8 bytes) and the records (a `u32` count, each the document's string `u32`, start and end
//! `u64`, code and coder strings `u32`, and a flags byte: 1 unplaced, 2 exemplar).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::coding::Coding;
use crate::docstats::FileKey;
use crate::layout as files;

/// Where a coding is and what it applies, its strings numbers into [`Placements::strings`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    /// The document id's number.
    pub document: u32,
    /// First code point of the segment.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The code id's number.
    pub code: u32,
    /// The coder's number.
    pub coder: u32,
    /// The segment lost its place (see [`Coding::unplaced`]).
    pub unplaced: bool,
    /// Marked as an exemplar.
    pub exemplar: bool,
}

/// The codings of a codings file without their words, each string kept once: what
/// [`crate::Study::coder_placements`] reads, in the file's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placements {
    /// Document ids, codes and coders, each once.
    pub strings: Vec<String>,
    /// The codings, in the order of the file.
    pub records: Vec<Placement>,
}

impl Placements {
    /// The string numbered `i`.
    pub fn str(&self, i: u32) -> &str {
        &self.strings[i as usize]
    }

    /// The placements of `codings`, their words left out.
    pub fn of(codings: &[Coding]) -> Placements {
        fn number<'a>(strings: &mut Vec<String>, numbers: &mut HashMap<&'a str, u32>, s: &'a str) -> u32 {
            *numbers.entry(s).or_insert_with(|| {
                strings.push(s.to_owned());
                (strings.len() - 1) as u32
            })
        }
        let mut strings: Vec<String> = Vec::new();
        let mut numbers: HashMap<&str, u32> = HashMap::new();
        let mut records = Vec::with_capacity(codings.len());
        for c in codings {
            let document = number(&mut strings, &mut numbers, &c.document);
            let code = number(&mut strings, &mut numbers, &c.code);
            let coder = number(&mut strings, &mut numbers, &c.coder);
            records.push(Placement {
                document,
                start: c.start,
                end: c.end,
                code,
                coder,
                unplaced: c.unplaced,
                exemplar: c.exemplar,
            });
        }
        Placements { strings, records }
    }

    /// The codings, without their words (quote, context, time and memo empty).
    pub fn into_codings(self) -> Vec<Coding> {
        let string = |i: u32| self.strings[i as usize].clone();
        self.records
            .iter()
            .map(|p| Coding {
                document: string(p.document),
                start: p.start,
                end: p.end,
                quote: String::new(),
                before: String::new(),
                after: String::new(),
                code: string(p.code),
                coder: string(p.coder),
                time: String::new(),
                memo: String::new(),
                unplaced: p.unplaced,
                exemplar: p.exemplar,
            })
            .collect()
    }
}

/// The cache folder, relative to the study folder.
pub const PLACEMENTS_DIR: &str = ".thema/placements";

const MAGIC: &str = "thema placements 1";
const UNPLACED: u8 = 1;
const EXEMPLAR: u8 = 2;

/// Where the placements of the codings file `coder` are kept, in study `root`.
pub fn cache_path(root: &Path, coder: &str) -> PathBuf {
    root.join(PLACEMENTS_DIR).join(format!("{coder}.bin"))
}

/// The cached placements of a codings file whose key is `key`, if the cache holds them.
pub(crate) fn read(cache: &Path, key: FileKey) -> Option<Placements> {
    let bytes = fs::read(cache).ok()?;
    decode(&bytes, key)
}

/// Keep `codings` (the placements of a codings file with key `key`) in `cache`. Best effort: a
/// study on a read-only disk is simply parsed every time.
pub(crate) fn write(root: &Path, cache: &Path, key: FileKey, placements: &Placements) {
    let _ = fs::create_dir_all(root.join(files::DERIVED)).and_then(|()| fs::create_dir_all(root.join(PLACEMENTS_DIR)));
    let _ = crate::fsio::write_atomic(cache, &encode(key, placements));
}

fn header(key: FileKey) -> String {
    let mut line = MAGIC.to_owned();
    key.write(&mut line);
    line.push('\n');
    line
}

fn encode(key: FileKey, placements: &Placements) -> Vec<u8> {
    let Placements { strings, records } = placements;
    let mut out = header(key).into_bytes();
    out.extend((strings.len() as u32).to_le_bytes());
    for s in strings {
        out.extend((s.len() as u32).to_le_bytes());
        out.extend(s.as_bytes());
    }
    out.extend((records.len() as u32).to_le_bytes());
    for p in records {
        out.extend(p.document.to_le_bytes());
        out.extend((p.start as u64).to_le_bytes());
        out.extend((p.end as u64).to_le_bytes());
        out.extend(p.code.to_le_bytes());
        out.extend(p.coder.to_le_bytes());
        out.push(if p.unplaced { UNPLACED } else { 0 } | if p.exemplar { EXEMPLAR } else { 0 });
    }
    out
}

/// Reads the parts of a binary cache file in turn (this one and [`crate::turncache`]'s); every
/// read is checked against the end.
pub(crate) struct Reader<'a> {
    /// What is left to read.
    pub(crate) bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// A string: a `u32` length and that many bytes of UTF-8.
    pub(crate) fn str(&mut self) -> Option<&'a str> {
        let len = self.u32()? as usize;
        std::str::from_utf8(self.take(len)?).ok()
    }
}

fn decode(bytes: &[u8], key: FileKey) -> Option<Placements> {
    let expected = header(key);
    let mut r = Reader { bytes: bytes.strip_prefix(expected.as_bytes())? };
    let count = r.u32()? as usize;
    // Each string takes at least its length's four bytes: a count beyond that is damage, and is
    // refused before anything is allocated for it.
    if count > r.bytes.len() / 4 {
        return None;
    }
    let mut strings = Vec::with_capacity(count);
    for _ in 0..count {
        strings.push(r.str()?.to_owned());
    }
    const RECORD: usize = 4 + 8 + 8 + 4 + 4 + 1;
    let records = r.u32()? as usize;
    if r.bytes.len() != records.checked_mul(RECORD)? {
        return None;
    }
    let mut placements = Vec::with_capacity(records);
    let string = |i: u32| (i < count as u32).then_some(i);
    for _ in 0..records {
        let document = string(r.u32()?)?;
        let start = usize::try_from(r.u64()?).ok()?;
        let end = usize::try_from(r.u64()?).ok()?;
        let code = string(r.u32()?)?;
        let coder = string(r.u32()?)?;
        let flags = r.take(1)?[0];
        if flags & !(UNPLACED | EXEMPLAR) != 0 {
            return None;
        }
        placements.push(Placement {
            document,
            start,
            end,
            code,
            coder,
            unplaced: flags & UNPLACED != 0,
            exemplar: flags & EXEMPLAR != 0,
        });
    }
    Some(Placements { strings, records: placements })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(document: &str, start: usize, code: &str, unplaced: bool, exemplar: bool) -> Coding {
        Coding {
            document: document.into(),
            start,
            end: start + 5,
            quote: String::new(),
            before: String::new(),
            after: String::new(),
            code: code.into(),
            coder: "ana".into(),
            time: String::new(),
            memo: String::new(),
            unplaced,
            exemplar,
        }
    }

    #[test]
    fn round_trip_and_damage() {
        let key = FileKey::parse("120 5 6 7").unwrap();
        let codings = vec![
            coding("fg1", 0, "hope", false, false),
            coding("fg1", 10, "ça-va", true, false),
            coding("int-2", 3, "hope", false, true),
        ];
        let bytes = encode(key, &Placements::of(&codings));
        assert_eq!(decode(&bytes, key).map(Placements::into_codings), Some(codings.clone()));
        // Each string once: two documents, two codes, one coder.
        assert_eq!(decode(&bytes, key).unwrap().strings, ["fg1", "hope", "ana", "ça-va", "int-2"]);
        // Another key (the codings file changed) is no match.
        assert_eq!(decode(&bytes, FileKey::parse("120 5 6 8").unwrap()), None);
        // Every truncation, and a byte too many, is refused.
        for n in 0..bytes.len() {
            assert_eq!(decode(&bytes[..n], key), None, "cut at {n}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer, key), None);
        // A string number out of the table, unknown flags and a huge count are refused.
        let last = bytes.len() - 1;
        let mut bad = bytes.clone();
        bad[last - 4..last].copy_from_slice(&99u32.to_le_bytes());
        assert_eq!(decode(&bad, key), None);
        let mut bad = bytes.clone();
        bad[last] = 4;
        assert_eq!(decode(&bad, key), None);
        let mut bad = bytes;
        let at = header(key).len();
        bad[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&bad, key), None);
    }
}
