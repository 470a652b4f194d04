//! `thema audit`: look for identifiers in every file of the study and in exports: the originals
//! of a de-identification key, and what the detectors find (e-mail addresses, phone numbers,
//! URLs, postal codes, addresses, dates of birth). Office files, `.qdpx` and other zips are read
//! entry by entry (the text of their XML), Parquet as the bytes of its uncompressed pages. The
//! scan is `thema_ingest::audit`; this prints what it finds.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use thema_core::Study;
pub(crate) use thema_ingest::audit::scan;
use thema_ingest::audit::Scan;
use thema_ingest::deidentify::{Deidentifier, Key};

use crate::cli::AuditArgs;
use crate::output::{count, print_json};

pub(crate) fn run(study: Option<PathBuf>, args: AuditArgs) -> Result<ExitCode> {
    let root = super::find(study)?;
    let study = Study::open(&root)?;
    let key = match &args.key {
        Some(path) => super::deidentify::parse_key(path)?,
        None => Key::default(),
    };
    let d = Deidentifier::new(&key, !args.no_detect);
    let key_path = args.key.as_ref().and_then(|k| std::fs::canonicalize(k).ok());
    for extra in &args.paths {
        if !extra.exists() {
            return Err(anyhow!("{} does not exist", extra.display()));
        }
    }
    let Scan { files_read, findings, unread } = scan(study.root(), &args.paths, &d, key_path.as_deref());
    if args.json {
        print_json(&findings)?;
    } else {
        for f in &findings {
            let entry = f.entry.as_deref().map(|e| format!(" ({e})")).unwrap_or_default();
            println!("{}{entry}:{}: {} `{}`", f.file, f.line, f.category, f.text);
        }
        for u in &unread {
            eprintln!("not read: {u}");
        }
        eprintln!(
            "audit: {} read, {}",
            count(files_read, "file", "files"),
            count(findings.len(), "finding", "findings")
        );
    }
    Ok(if findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
