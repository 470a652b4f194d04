//! Reading zip archives someone else made (DOCX, ODT, XLSX, `.qdpx`), with the one set of limits
//! every reader in thema applies: how many entries, how large one entry and all of them may
//! inflate, and how much more than its compressed size an entry may inflate past its first
//! megabyte (a zip bomb claims small sizes in its headers and inflates to gigabytes). Entry names
//! that would escape a folder refuse the archive. Nothing is written to disk.
//!
//! Used by the office reader ([`crate::office`]), thema-refi's `.qdpx` reader and `thema audit`
//! ([`entry_texts`]).

use std::collections::BTreeMap;
use std::io::{Read, Seek};

/// Below this many inflated bytes, the compression ratio is not checked: small entries of
/// repetitive XML compress very well and are harmless.
pub const RATIO_GRACE: u64 = 1 << 20;

/// Limits on what an archive may hold and inflate to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// Most entries.
    pub max_entries: usize,
    /// Largest inflated entry, in bytes.
    pub max_entry_bytes: u64,
    /// Largest inflated total, in bytes.
    pub max_total_bytes: u64,
    /// Largest ratio of inflated to compressed size, checked past the first megabyte
    /// ([`RATIO_GRACE`]).
    pub max_ratio: u64,
}

impl ArchiveLimits {
    /// A project exchanged with another program (`.qdpx`): up to 100,000 entries (one a
    /// source), 1 GiB an entry, 4 GiB in all, 500 times the compressed size.
    pub const PROJECT: ArchiveLimits =
        ArchiveLimits { max_entries: 100_000, max_entry_bytes: 1 << 30, max_total_bytes: 4 << 30, max_ratio: 500 };

    /// A transcript as DOCX or ODT, of which one or two entries are read: up to 10,000 entries,
    /// 256 MiB an entry (and so 512 MiB in all), 250 times the compressed size. The entry size
    /// and ratio are the defaults of [`crate::Limits`], which an importer may change.
    pub const OFFICE: ArchiveLimits =
        ArchiveLimits { max_entries: 10_000, max_entry_bytes: 256 << 20, max_total_bytes: 512 << 20, max_ratio: 250 };

    /// Every file `thema audit` reads (exports, office files, projects): the entries and ratio
    /// of a project, 256 MiB an entry, 4 GiB in all.
    pub const AUDIT: ArchiveLimits = ArchiveLimits { max_entry_bytes: 256 << 20, ..ArchiveLimits::PROJECT };
}

impl Default for ArchiveLimits {
    /// [`ArchiveLimits::PROJECT`].
    fn default() -> Self {
        ArchiveLimits::PROJECT
    }
}

/// Why an archive or one of its entries was refused or could not be read; the message names the
/// archive (its label) and the entry.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ArchiveError(pub String);

/// Why [`inflate_bounded`] stopped.
#[derive(Debug)]
pub enum Overflow {
    /// The entry could not be read or inflated.
    Read(std::io::Error),
    /// It inflates to more than the bytes allowed.
    Size,
    /// Past its first megabyte, it inflates more than the ratio allowed.
    Ratio,
}

/// Inflate a zip entry (`compressed` bytes in the archive) into memory, stopping as soon as it
/// passes `max_bytes` or, past its first megabyte, `max_ratio` times its compressed size,
/// whatever its header claims. `capacity` is room to reserve up front. Used by every reader of a
/// zip: DOCX and ODT ([`crate::office`]), `.qdpx` ([`Archive`], thema-refi) and the audit.
pub fn inflate_bounded(
    entry: &mut impl Read,
    compressed: u64,
    max_bytes: u64,
    max_ratio: u64,
    capacity: usize,
) -> Result<Vec<u8>, Overflow> {
    let compressed = compressed.max(1);
    let mut out = Vec::with_capacity(capacity);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = entry.read(&mut chunk).map_err(Overflow::Read)?;
        if n == 0 {
            return Ok(out);
        }
        out.extend_from_slice(&chunk[..n]);
        let total = out.len() as u64;
        if total > max_bytes {
            return Err(Overflow::Size);
        }
        if total > RATIO_GRACE && total / compressed > max_ratio {
            return Err(Overflow::Ratio);
        }
    }
}

/// An opened, checked archive: every entry name checked by [`check_name`], none encrypted, no
/// more entries than the limits allow; entries inflated within them when read.
pub struct Archive<R: Read + Seek> {
    zip: zip::ZipArchive<R>,
    /// Entry names by their lowercase form, for case-insensitive lookup.
    names: BTreeMap<String, String>,
    limits: ArchiveLimits,
    inflated: u64,
    /// Name of the archive, for errors.
    label: String,
}

/// Check an archive's entries before anything is inflated: how many there are, their names
/// ([`check_name`]) and, when `refuse_encrypted`, that none is encrypted. Messages start with
/// `prefix` (the archive's label and a colon, or nothing). Returns the names by their lowercase
/// form.
fn check_entries<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    limits: &ArchiveLimits,
    prefix: &str,
    refuse_encrypted: bool,
) -> Result<BTreeMap<String, String>, ArchiveError> {
    if zip.len() > limits.max_entries {
        return Err(ArchiveError(format!(
            "{prefix}the archive has {} entries, more than the {} thema accepts",
            zip.len(),
            limits.max_entries
        )));
    }
    let mut names = BTreeMap::new();
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| ArchiveError(format!("{prefix}{e}")))?;
        let name = entry
            .name()
            .map_err(|e| ArchiveError(format!("{prefix}entry {i} has a name thema cannot read ({e})")))?
            .into_owned();
        check_name(&name).map_err(|why| ArchiveError(format!("{prefix}refusing the archive: entry `{name}` {why}")))?;
        if refuse_encrypted && entry.encrypted() {
            return Err(ArchiveError(format!(
                "{prefix}entry `{name}` is encrypted; export the project again without a password"
            )));
        }
        names.insert(name.to_lowercase(), name);
    }
    Ok(names)
}

/// Inflate one entry within `limits`, of which `inflated` bytes were used by entries read
/// before; messages start with `prefix`.
fn inflate_entry(
    entry: &mut zip::read::ZipFile<'_, impl Read>,
    name: &str,
    limits: &ArchiveLimits,
    inflated: u64,
    prefix: &str,
) -> Result<Vec<u8>, ArchiveError> {
    // Room for what the header claims, within the limit: a lying header costs address space,
    // not memory, and an honest one saves copying a large entry as it grows.
    let capacity = usize::try_from(entry.size().min(limits.max_entry_bytes)).unwrap_or(0);
    let compressed = entry.compressed_size();
    let remaining = limits.max_total_bytes.saturating_sub(inflated);
    let max_bytes = limits.max_entry_bytes.min(remaining);
    inflate_bounded(entry, compressed, max_bytes, limits.max_ratio, capacity).map_err(|e| match e {
        Overflow::Read(e) => ArchiveError(format!("{prefix}cannot inflate `{name}`: {e}")),
        Overflow::Size if remaining < limits.max_entry_bytes => ArchiveError(format!(
            "{prefix}the archive inflates to more than {} MB in all; refusing it (a zip bomb?)",
            limits.max_total_bytes >> 20
        )),
        Overflow::Size => ArchiveError(format!(
            "{prefix}`{name}` inflates to more than {} MB, the limit for one entry; refusing it (a zip bomb?)",
            limits.max_entry_bytes >> 20
        )),
        Overflow::Ratio => ArchiveError(format!(
            "{prefix}`{name}` inflates more than {} times its compressed size; refusing it (a zip bomb?)",
            limits.max_ratio
        )),
    })
}

impl<R: Read + Seek> Archive<R> {
    /// Open `reader` as a zip and check every entry's name and flags.
    pub fn open(reader: R, label: &str, limits: ArchiveLimits) -> Result<Archive<R>, ArchiveError> {
        let mut zip = zip::ZipArchive::new(reader)
            .map_err(|e| ArchiveError(format!("{label}: not a readable zip archive ({e}); a .qdpx is a zip file")))?;
        let names = check_entries(&mut zip, &limits, &format!("{label}: "), true)?;
        Ok(Archive { zip, names, limits, inflated: 0, label: label.to_owned() })
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
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, ArchiveError> {
        let label = &self.label;
        let mut entry =
            self.zip.by_name(name).map_err(|e| ArchiveError(format!("{label}: cannot read `{name}`: {e}")))?;
        let out = inflate_entry(&mut entry, name, &self.limits, self.inflated, &format!("{label}: "))?;
        self.inflated += out.len() as u64;
        Ok(out)
    }
}

/// The text of every entry of a zip archive (`bytes` start with `PK\x03\x04`), for `thema
/// audit`, in the archive's order: each entry as text (invalid UTF-8 replaced), XML with its
/// tags dropped ([`xml_text`]; a `.qde` project keeps its attribute values, which hold names).
/// Read within [`ArchiveLimits::AUDIT`]: an archive with an entry that would escape its folder,
/// too many entries or a zip bomb is refused.
pub fn entry_texts(bytes: Vec<u8>) -> Result<Vec<(String, String)>, ArchiveError> {
    let limits = ArchiveLimits::AUDIT;
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| ArchiveError(format!("a damaged zip: {e}")))?;
    check_entries(&mut zip, &limits, "", false)?;
    let mut out = Vec::new();
    let mut inflated = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| ArchiveError(e.to_string()))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(|e| ArchiveError(e.to_string()))?.into_owned();
        let data = inflate_entry(&mut entry, &name, &limits, inflated, "")?;
        inflated += data.len() as u64;
        let text = String::from_utf8_lossy(&data);
        let lower = name.to_lowercase();
        // A project file keeps names in attributes; office XML keeps text in elements and
        // formatting (colours like `E7E6E6`) in attributes.
        let text = if lower.ends_with(".qde") {
            xml_text(&text, true)
        } else if [".xml", ".rels", ".vml"].iter().any(|x| lower.ends_with(x)) {
            xml_text(&text, false)
        } else {
            text.into_owned()
        };
        out.push((name, text));
    }
    Ok(out)
}

/// The text of XML: tags dropped (each leaves a line break, so words in separate cells stay
/// apart), with attribute values kept when `attributes`; the five entities decoded.
pub fn xml_text(xml: &str, attributes: bool) -> String {
    let mut out = String::with_capacity(xml.len() / 2);
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => {
                // Attribute values are text too (`name="..."` in a .qde).
                let tag = &rest[open..open + close];
                for value in tag.split('"').skip(1).step_by(2).filter(|_| attributes) {
                    out.push(' ');
                    out.push_str(value);
                }
                out.push('\n');
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// Why an entry name is unsafe, if it is.
pub fn check_name(name: &str) -> Result<(), &'static str> {
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
        let mut a = Archive::open(Cursor::new(bytes), "t.qdpx", ArchiveLimits::default()).unwrap();
        let name = a.find("sources/a.txt").unwrap().to_owned();
        assert_eq!(name, "Sources/A.txt");
        assert_eq!(a.read(&name).unwrap(), b"text");
    }

    #[test]
    fn refuses_paths_that_escape() {
        for bad in ["../evil.txt", "sources/../../evil.txt", "/etc/passwd", "C:/x.txt", "sources\\..\\x"] {
            let bytes = zip_of(&[("project.qde", b"<Project/>"), (bad, b"x")]);
            let e = Archive::open(Cursor::new(bytes), "h.qdpx", ArchiveLimits::default()).err().unwrap().to_string();
            assert!(e.contains("refusing") && e.contains(bad), "{bad}: {e}");
        }
    }

    #[test]
    fn the_audit_reads_every_entry_as_text_and_refuses_bombs_and_escaping_names() {
        let bytes = zip_of(&[
            ("word/document.xml", b"<w:p><w:t>Simon &amp; Kent</w:t></w:p>"),
            ("project.qde", b"<User name=\"Simon Fraser\"/>"),
            ("notes.txt", b"plain"),
        ]);
        let texts = entry_texts(bytes).unwrap();
        let texts: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        assert_eq!(
            texts,
            [("word/document.xml", "\n\nSimon & Kent\n\n"), ("project.qde", " Simon Fraser\n"), ("notes.txt", "plain")]
        );
        // 8 MiB of zeros inflate about a thousand times their compressed size.
        let bomb = zip_of(&[("notes.txt", b"plain"), ("sheet.xml", &vec![0u8; 8 << 20])]);
        assert_eq!(
            entry_texts(bomb).unwrap_err().to_string(),
            "`sheet.xml` inflates more than 500 times its compressed size; refusing it (a zip bomb?)"
        );
        let escaping = zip_of(&[("notes.txt", b"plain"), ("../../.bashrc", b"x")]);
        assert_eq!(
            entry_texts(escaping).unwrap_err().to_string(),
            "refusing the archive: entry `../../.bashrc` climbs out of its folder with `..`"
        );
        assert!(entry_texts(b"PK\x03\x04 not a zip".to_vec()).unwrap_err().to_string().starts_with("a damaged zip: "));
    }

    #[test]
    fn refuses_bombs_by_size_ratio_and_total() {
        let big = vec![0u8; 8 << 20];
        let bytes = zip_of(&[("project.qde", &big)]);
        let mut a = Archive::open(Cursor::new(bytes.clone()), "b.qdpx", ArchiveLimits::default()).unwrap();
        let e = a.read("project.qde").unwrap_err().to_string();
        assert!(e.contains("times its compressed size"), "{e}");
        let limits = ArchiveLimits { max_entry_bytes: 1 << 20, max_ratio: u64::MAX, ..ArchiveLimits::default() };
        let mut a = Archive::open(Cursor::new(bytes), "b.qdpx", limits).unwrap();
        assert!(a.read("project.qde").unwrap_err().to_string().contains("limit for one entry"));
        let two = zip_of(&[("a", &[1u8; 600 << 10]), ("b", &[2u8; 600 << 10])]);
        let limits = ArchiveLimits { max_total_bytes: 1 << 20, ..ArchiveLimits::default() };
        let mut a = Archive::open(Cursor::new(two), "t.qdpx", limits).unwrap();
        a.read("a").unwrap();
        assert!(a.read("b").unwrap_err().to_string().contains("in all"));
        let many: Vec<(String, Vec<u8>)> = (0..20).map(|i| (format!("f{i}"), vec![])).collect();
        let refs: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        let limits = ArchiveLimits { max_entries: 10, ..ArchiveLimits::default() };
        assert!(Archive::open(Cursor::new(zip_of(&refs)), "m", limits).err().unwrap().to_string().contains("entries"));
    }
}
