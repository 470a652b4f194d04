//! Reading a `.qdpx` zip safely. The archive comes from someone else, so before anything is
//! read every entry is checked: a name that would escape a folder (`../`, an absolute path, a
//! drive letter) refuses the whole file, as do encrypted entries and more than 100,000 entries.
//! While inflating, an entry may grow to at most 1 GiB, all entries together to at most 4 GiB,
//! and, past its first megabyte, to at most 500 times its compressed size, whatever its header
//! claims. Nothing is written to disk: entries are read into memory when asked for.

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use thema_ingest::office::Overflow;

use crate::RefiError;

/// Limits on what an archive may inflate to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most entries.
    pub max_entries: usize,
    /// Largest inflated entry, in bytes.
    pub max_entry_bytes: u64,
    /// Largest inflated total, in bytes.
    pub max_total_bytes: u64,
    /// Largest ratio of inflated to compressed size, checked past the first megabyte.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_entries: 100_000, max_entry_bytes: 1 << 30, max_total_bytes: 4 << 30, max_ratio: 500 }
    }
}

/// An opened, checked archive.
pub struct Archive<R: Read + Seek> {
    zip: zip::ZipArchive<R>,
    /// Entry names by their lowercase form, for case-insensitive lookup.
    names: BTreeMap<String, String>,
    limits: Limits,
    inflated: u64,
    /// Name of the archive, for errors.
    label: String,
}

impl<R: Read + Seek> Archive<R> {
    /// Open `reader` as a zip and check every entry's name and flags.
    pub fn open(reader: R, label: &str, limits: Limits) -> Result<Archive<R>, RefiError> {
        let zip = zip::ZipArchive::new(reader).map_err(|e| {
            RefiError::Archive(format!("{label}: not a readable zip archive ({e}); a .qdpx is a zip file"))
        })?;
        if zip.len() > limits.max_entries {
            return Err(RefiError::Archive(format!(
                "{label}: the archive has {} entries, more than the {} thema accepts",
                zip.len(),
                limits.max_entries
            )));
        }
        let mut zip = zip;
        let mut names = BTreeMap::new();
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| RefiError::Archive(format!("{label}: {e}")))?;
            let name = entry
                .name()
                .map_err(|e| RefiError::Archive(format!("{label}: entry {i} has a name thema cannot read ({e})")))?
                .into_owned();
            check_name(&name)
                .map_err(|why| RefiError::Archive(format!("{label}: refusing the archive: entry `{name}` {why}")))?;
            if entry.encrypted() {
                return Err(RefiError::Archive(format!(
                    "{label}: entry `{name}` is encrypted; export the project again without a password"
                )));
            }
            names.insert(name.to_lowercase(), name);
        }
        let archive = Archive { zip, names, limits, inflated: 0, label: label.to_owned() };
        Ok(archive)
    }

    /// Every entry name, as stored.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.values().map(String::as_str)
    }

    /// The stored name of the entry whose name equals `name` ignoring case.
    pub fn find(&self, name: &str) -> Option<&str> {
        self.names.get(&name.to_lowercase()).map(String::as_str)
    }

    /// Inflate entry `name` (exact stored name) within the limits.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, RefiError> {
        let label = self.label.clone();
        let limits = self.limits;
        let mut entry =
            self.zip.by_name(name).map_err(|e| RefiError::Archive(format!("{label}: cannot read `{name}`: {e}")))?;
        // Room for what the header claims, within the limit: a lying header costs address space,
        // not memory, and an honest one saves copying a large entry as it grows.
        let capacity = entry.size().min(limits.max_entry_bytes) as usize;
        let compressed = entry.compressed_size();
        let remaining = limits.max_total_bytes.saturating_sub(self.inflated);
        let max_bytes = limits.max_entry_bytes.min(remaining);
        let out = thema_ingest::office::inflate_bounded(&mut entry, compressed, max_bytes, limits.max_ratio, capacity)
            .map_err(|e| match e {
                Overflow::Read(e) => RefiError::Archive(format!("{label}: cannot inflate `{name}`: {e}")),
                Overflow::Size if remaining < limits.max_entry_bytes => RefiError::Archive(format!(
                    "{label}: the archive inflates to more than {} MB in all; refusing it (a zip bomb?)",
                    limits.max_total_bytes >> 20
                )),
                Overflow::Size => RefiError::Archive(format!(
                    "{label}: `{name}` inflates to more than {} MB, the limit for one entry; refusing it (a zip bomb?)",
                    limits.max_entry_bytes >> 20
                )),
                Overflow::Ratio => RefiError::Archive(format!(
                    "{label}: `{name}` inflates more than {} times its compressed size; refusing it (a zip bomb?)",
                    limits.max_ratio
                )),
            })?;
        self.inflated += out.len() as u64;
        Ok(out)
    }
}

/// Why an entry name is unsafe, if it is.
fn check_name(name: &str) -> Result<(), &'static str> {
    if name.starts_with('/') || name.starts_with('\\') {
        return Err("is an absolute path");
    }
    if name.len() >= 2 && name.as_bytes()[1] == b':' {
        return Err("names a drive");
    }
    if name.contains('\0') {
        return Err("contains a NUL byte");
    }
    if name.split(['/', '\\']).any(|part| part == "..") {
        return Err("climbs out of its folder with `..`");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use zip::write::SimpleFileOptions;

    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            w.start_file(*name, options).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn finds_entries_ignoring_case_and_reads_them() {
        let bytes = zip_of(&[("Trial.qde", b"<Project/>"), ("Sources/A.txt", b"text")]);
        let mut a = Archive::open(Cursor::new(bytes), "t.qdpx", Limits::default()).unwrap();
        let name = a.find("sources/a.txt").unwrap().to_owned();
        assert_eq!(name, "Sources/A.txt");
        assert_eq!(a.read(&name).unwrap(), b"text");
    }

    #[test]
    fn refuses_paths_that_escape() {
        for bad in ["../evil.txt", "sources/../../evil.txt", "/etc/passwd", "C:/x.txt", "sources\\..\\x"] {
            let bytes = zip_of(&[("project.qde", b"<Project/>"), (bad, b"x")]);
            let e = Archive::open(Cursor::new(bytes), "h.qdpx", Limits::default()).err().unwrap().to_string();
            assert!(e.contains("refusing") && e.contains(bad), "{bad}: {e}");
        }
    }

    #[test]
    fn refuses_bombs_by_size_ratio_and_total() {
        let big = vec![0u8; 8 << 20];
        let bytes = zip_of(&[("project.qde", &big)]);
        let mut a = Archive::open(Cursor::new(bytes.clone()), "b.qdpx", Limits::default()).unwrap();
        let e = a.read("project.qde").unwrap_err().to_string();
        assert!(e.contains("times its compressed size"), "{e}");
        let limits = Limits { max_entry_bytes: 1 << 20, max_ratio: u64::MAX, ..Limits::default() };
        let mut a = Archive::open(Cursor::new(bytes), "b.qdpx", limits).unwrap();
        assert!(a.read("project.qde").unwrap_err().to_string().contains("limit for one entry"));
        let two = zip_of(&[("a", &[1u8; 600 << 10]), ("b", &[2u8; 600 << 10])]);
        let limits = Limits { max_total_bytes: 1 << 20, ..Limits::default() };
        let mut a = Archive::open(Cursor::new(two), "t.qdpx", limits).unwrap();
        a.read("a").unwrap();
        assert!(a.read("b").unwrap_err().to_string().contains("in all"));
        let many: Vec<(String, Vec<u8>)> = (0..20).map(|i| (format!("f{i}"), vec![])).collect();
        let refs: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        let limits = Limits { max_entries: 10, ..Limits::default() };
        assert!(Archive::open(Cursor::new(zip_of(&refs)), "m", limits).err().unwrap().to_string().contains("entries"));
    }
}
