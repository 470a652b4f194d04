//! `thema export qdc|qdpx`, `thema import-codebook`, `thema import-project`: REFI-QDA exchange.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use serde::Serialize;
use thema_core::Study;
use thema_refi::positions::Unit;
use thema_refi::project::ImportOptions;

use super::analysis::{create_output, write_output};
use crate::cli::{ExportWhat, ImportCodebookArgs, ImportProjectArgs};
use crate::output::{count, print_json, with_hint};

/// Largest `.qdc` or `.qdpx` read, in bytes.
const MAX_FILE: u64 = 4 << 30;

fn read_file(path: &Path) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?.len();
    if size > MAX_FILE {
        return Err(anyhow!(
            "{} is {} MB, more than the {} MB thema reads",
            path.display(),
            size >> 20,
            MAX_FILE >> 20
        ));
    }
    thema_core::fsio::read_regular(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))
}

/// `thema export qdc` and `thema export qdpx`.
pub(crate) fn export(study: &Study, what: ExportWhat, out: Option<&Path>) -> Result<ExitCode> {
    match what {
        ExportWhat::Qdc => {
            let xml = thema_refi::codebook::to_qdc(&study.load_codebook()?)
                .map_err(|e| with_hint(anyhow!(e), "add entries with `thema codebook add`"))?;
            match out {
                Some(path) => write_output(path, xml.as_bytes(), "the codebook (REFI-QDA .qdc)")?,
                None => std::io::stdout().lock().write_all(xml.as_bytes())?,
            }
        }
        _ => {
            let Some(path) = out else {
                return Err(with_hint(
                    anyhow!("a .qdpx is a zip file: say where to write it"),
                    "pass `--out STUDY.qdpx`",
                ));
            };
            // Written as it is made, beside the target and renamed over it when whole; a failure
            // drops the temporary and leaves the target as it was.
            let mut file = create_output(path)?;
            let export = thema_refi::project::export_to(study, std::io::BufWriter::with_capacity(1 << 20, &mut file))?;
            file.commit()?;
            eprintln!("wrote the study (REFI-QDA .qdpx) to {}", path.display());
            let c = &export.counts;
            eprintln!(
                "  {}, {}, {}, {}, {}, {}",
                count(c.documents, "document", "documents"),
                count(c.codes, "code", "codes"),
                count(c.codings, "coding", "codings"),
                count(c.participants, "participant (case)", "participants (cases)"),
                count(c.memos, "memo (note)", "memos (notes)"),
                count(c.relations, "relation (link)", "relations (links)"),
            );
            for loss in &export.losses {
                eprintln!("note: {loss}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct CodebookJson<'a> {
    origin: &'a str,
    added: Vec<EntryJson<'a>>,
    matched: Vec<MatchJson<'a>>,
    renamed: &'a [(String, String)],
    notes: &'a [String],
    dry_run: bool,
}

#[derive(Serialize)]
struct EntryJson<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
}

#[derive(Serialize)]
struct MatchJson<'a> {
    id: &'a str,
    name: &'a str,
    by: &'a str,
}

/// `thema import-codebook FILE.qdc`.
pub(crate) fn import_codebook(study: &Study, coder: Option<String>, args: ImportCodebookArgs) -> Result<ExitCode> {
    let bytes = read_file(&args.file)?;
    let label = args.file.display().to_string();
    let xml = thema_ingest::decode::decode(&bytes, None).map_err(|e| anyhow!("{label}: {e}"))?.text;
    let book = thema_refi::codebook::parse_qdc(&xml, &label).map_err(|e| {
        with_hint(anyhow!(e), "a .qdc is the XML codebook NVivo, ATLAS.ti, MAXQDA and QualCoder export")
    })?;
    let mut codebook = study.load_codebook()?;
    let report = thema_refi::codebook::merge(&mut codebook, &book)?;
    if !args.dry_run {
        // Who, before anything is written: the decision log names them.
        let coder = super::coder(study, coder)?;
        study.save_codebook(&codebook)?;
        if !report.added.is_empty() {
            super::codebook::log(
                study,
                &coder,
                "import",
                format!(
                    "{} from {} ({}): {}",
                    count(report.added.len(), "entry", "entries"),
                    args.file.file_name().and_then(|f| f.to_str()).unwrap_or(""),
                    if book.origin.is_empty() { "no origin given" } else { &book.origin },
                    report.added.iter().map(|(id, _, _)| format!("`{id}`")).collect::<Vec<_>>().join(", ")
                ),
                args.why,
            )?;
        }
    }
    if args.json {
        print_json(&CodebookJson {
            origin: &book.origin,
            added: report.added.iter().map(|(id, name, kind)| EntryJson { id, name, kind: kind.name() }).collect(),
            matched: report.matched.iter().map(|(id, name, by)| MatchJson { id, name, by }).collect(),
            renamed: &report.renamed,
            notes: &report.notes,
            dry_run: args.dry_run,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let verb = if args.dry_run { "would add" } else { "added" };
    println!(
        "{verb} {}, matched {} (from {})",
        count(report.added.len(), "entry", "entries"),
        count(report.matched.len(), "entry", "entries"),
        if book.origin.is_empty() { "a file with no origin" } else { &book.origin }
    );
    for (id, name, kind) in &report.added {
        println!("  + {} “{name}” ({id})", kind.name());
    }
    for (id, name, by) in &report.matched {
        println!("  = “{name}” ({id}), matched by {by}");
    }
    for (from, to) in &report.renamed {
        println!("  ~ “{from}” is taken, named “{to}”");
    }
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct ProjectJson<'a> {
    study: String,
    origin: &'a str,
    positions: &'a str,
    documents: usize,
    codes: usize,
    codings: usize,
    participants: usize,
    memos: usize,
    relations: usize,
    users: usize,
    skipped: &'a [String],
    notes: Vec<&'a String>,
}

/// `thema import-project FILE.qdpx [DIR]`.
pub(crate) fn import_project(args: ImportProjectArgs) -> Result<ExitCode> {
    let target = match &args.dir {
        Some(dir) => dir.clone(),
        None => PathBuf::from(args.file.file_stem().and_then(|s| s.to_str()).unwrap_or("imported")),
    };
    let bytes = read_file(&args.file)?;
    let options = ImportOptions { unit: args.positions.as_deref().and_then(Unit::parse), overwrite: args.overwrite };
    let label = args.file.file_name().and_then(|f| f.to_str()).unwrap_or("project.qdpx").to_owned();
    // A study about to be replaced is locked like any other write, so no one writes it meanwhile.
    let _lock = if args.overwrite && target.join(thema_core::study::files::SETTINGS).is_file() {
        Some(super::lock_study(&target, thema_core::lock::Access::Exclusive)?)
    } else {
        None
    };
    let report = thema_refi::project::import(&bytes, &label, &target, &options).map_err(|e| {
        let hint = match &e {
            thema_refi::RefiError::Invalid(m) if m.contains("--overwrite") => {
                "pass --overwrite, or name another folder"
            }
            thema_refi::RefiError::Invalid(m) if m.contains("is not empty") => {
                "name a folder that does not exist yet: `thema import-project FILE.qdpx NEW-FOLDER`"
            }
            _ => "a .qdpx is the project file NVivo, ATLAS.ti, MAXQDA and QualCoder export as REFI-QDA",
        };
        with_hint(anyhow!(e), hint)
    })?;
    let c = &report.counts;
    let notes: Vec<&String> = report.codebook.notes.iter().chain(&report.notes).collect();
    let positions = report.unit.map_or("", Unit::name);
    if args.json {
        print_json(&ProjectJson {
            study: target.display().to_string(),
            origin: &report.origin,
            positions,
            documents: c.documents,
            codes: c.codes,
            codings: c.codings,
            participants: c.participants,
            memos: c.memos,
            relations: c.relations,
            users: c.users,
            skipped: &report.skipped,
            notes,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "imported {} into {}: {}, {}, {}, {}, {}, {}",
        if report.origin.is_empty() { "the project" } else { &report.origin },
        target.display(),
        count(c.documents, "document", "documents"),
        count(c.codes, "code", "codes"),
        count(c.codings, "coding", "codings"),
        count(c.participants, "participant", "participants"),
        count(c.memos, "memo", "memos"),
        count(c.relations, "relation", "relations"),
    );
    println!("positions counted as {positions} (change with --positions)");
    for s in &report.skipped {
        eprintln!("skipped: {s}");
    }
    for n in notes {
        eprintln!("note: {n}");
    }
    println!("next: `thema -C {} ls`, `thema -C {} codebook`", target.display(), target.display());
    Ok(ExitCode::SUCCESS)
}
