//! The leak audit: every file of a study (derived data and `.git/` aside) and of the paths
//! given, read as text (zips entry by entry through [`crate::archive::entry_texts`], within the
//! limits of every zip reader), searched for the originals of a de-identification key and what
//! the detectors find (e-mail addresses, phone numbers, URLs, postal codes, addresses, dates of
//! birth), and for files that look like a key. `thema audit` prints what [`scan`] finds.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::deidentify::{Category, Deidentifier};

/// Largest file read (bigger ones are named as not read).
const MAX_FILE: u64 = 1 << 30;

/// Hosts of XML namespaces and schemas, which every office file and SVG names: not identifiers.
const SCHEMA_HOSTS: [&str; 10] = [
    "graphdrawing.org",
    "w3.org",
    "openxmlformats.org",
    "purl.org",
    "qdasoftware.org",
    "openoffice.org",
    "oasis-open.org",
    "xmlsoap.org",
    "schemas.microsoft.com",
    "mermaid",
];

/// One identifier found, where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The file, relative to the study when inside it.
    pub file: String,
    /// Zip entry, for office files and archives.
    pub entry: Option<String>,
    /// 1-based line (of the entry's text).
    pub line: usize,
    /// What it is: a [`Category`] name, or `key`.
    pub category: &'static str,
    /// The words found, whitespace made single spaces.
    pub text: String,
}

/// What an audit found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Files read.
    pub files_read: usize,
    /// What was found where.
    pub findings: Vec<Finding>,
    /// Files that could not be read, with why.
    pub unread: Vec<String>,
}

/// Read every file of the study at `root` and of `extra`, and find what `d` finds.
pub fn scan(root: &Path, extra: &[PathBuf], d: &Deidentifier, key_path: Option<&Path>) -> Scan {
    let mut files = Vec::new();
    collect(root, &mut files);
    for path in extra {
        collect(path, &mut files);
    }
    files.sort();
    files.dedup();
    let mut findings = Vec::new();
    let mut unread = Vec::new();
    for file in &files {
        let shown = file.strip_prefix(root).map_or_else(|_| file.display().to_string(), |p| p.display().to_string());
        if key_path.is_some_and(|k| std::fs::canonicalize(file).ok().as_deref() == Some(k)) {
            continue;
        }
        let texts = match texts_of(file) {
            Ok(texts) => texts,
            Err(why) => {
                unread.push(format!("{shown}: {why}"));
                continue;
            }
        };
        for (entry, text) in texts {
            if looks_like_key(&text) {
                findings.push(Finding {
                    file: shown.clone(),
                    entry: entry.clone(),
                    line: 1,
                    category: "key",
                    text: "a de-identification key (columns original and replacement)".into(),
                });
            }
            for edit in d.edits(&text) {
                let found = &text[edit.start..edit.end];
                if edit.category == Category::Url && SCHEMA_HOSTS.iter().any(|h| found.contains(h)) {
                    continue;
                }
                let line = text[..edit.start].matches('\n').count() + 1;
                findings.push(Finding {
                    file: shown.clone(),
                    entry: entry.clone(),
                    line,
                    category: edit.category.name(),
                    text: found.split_whitespace().collect::<Vec<_>>().join(" "),
                });
            }
        }
    }
    Scan { files_read: files.len() - unread.len(), findings, unread }
}

/// Every file under `path` (or `path` itself), derived data (`.thema/`) and `.git/` left out.
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_owned());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else { return };
    for entry in entries.flatten() {
        let p = entry.path();
        let name = entry.file_name();
        if name == ".thema" || name == ".git" {
            continue;
        }
        if p.is_dir() {
            collect(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

/// The texts of a file: itself, or the entries of a zip (office files, `.qdpx`), read by
/// `thema_ingest::archive::entry_texts` within the limits every zip reader of thema applies.
fn texts_of(path: &Path) -> Result<Vec<(Option<String>, String)>, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_FILE {
        return Err(format!("{} MB, more than the audit reads", size >> 20));
    }
    let bytes = thema_core::fsio::read_regular(path).map_err(|e| e.to_string())?;
    if !bytes.starts_with(b"PK\x03\x04") {
        return Ok(vec![(None, String::from_utf8_lossy(&bytes).into_owned())]);
    }
    let entries = crate::archive::entry_texts(bytes).map_err(|e| e.to_string())?;
    Ok(entries.into_iter().map(|(name, text)| (Some(name), text)).collect())
}

/// A CSV whose header names `original` and `replacement`: a key that should not be here.
fn looks_like_key(text: &str) -> bool {
    let header = text.lines().next().unwrap_or("").to_lowercase();
    let cells: Vec<&str> = header.split(',').map(str::trim).collect();
    cells.contains(&"original") && (cells.contains(&"replacement") || cells.contains(&"pseudonym"))
}
