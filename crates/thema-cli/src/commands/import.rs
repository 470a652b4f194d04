//! `thema import`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressStyle};
use thema_core::Study;
use thema_ingest::into_study::{DocumentOptions, ImportReport, Importer};
use thema_ingest::text::LabelRules;
use thema_ingest::{Format, Options};

use crate::cli::ImportArgs;
use crate::output::{count, print_json, with_hint, Notes, EXIT_ERROR};

/// How many speaker labels to show a file before summarising (surveys have thousands).
const SHOW_SPEAKERS: usize = 20;
/// How many unattributed lines to show a file before summarising.
const SHOW_UNATTRIBUTED: usize = 10;
/// Documents written to disk together: one flush to disk for the lot.
const BATCH_DOCUMENTS: usize = 64;
/// Bytes of text after which a batch is written even if it has fewer documents.
const BATCH_BYTES: usize = 64 << 20;

pub(crate) fn run(study: &Study, mut args: ImportArgs) -> Result<ExitCode> {
    // `thema import --replace D corrected.txt`: the document to replace, then its new file.
    if args.replace && args.id.is_none() && args.files.len() == 2 && !args.files[0].exists() {
        let id = args.files[0].to_string_lossy().into_owned();
        if !study.documents().iter().any(|d| d.id == id) {
            bail!(with_hint(
                anyhow::anyhow!("`{id}` is neither a file nor a document of the study"),
                "`thema import --replace DOCUMENT FILE` re-imports FILE over DOCUMENT; see `thema ls`"
            ));
        }
        args.id = Some(id);
        args.files.remove(0);
    }
    if args.files.len() > 1 && (args.id.is_some() || args.title.is_some()) {
        bail!(with_hint(
            anyhow::anyhow!("`--id` and `--title` name one document, but {} files were given", args.files.len()),
            "import the files one at a time to give each its own id and title"
        ));
    }
    let format = match &args.format {
        Some(name) => Some(Format::from_name(name).ok_or_else(|| {
            with_hint(
                anyhow::anyhow!("`{name}` is not a format thema reads"),
                format!("use one of {}", Format::ALL.map(|f| f.name()).join(", ")),
            )
        })?),
        None => None,
    };
    let mut known: Vec<String> =
        study.participants.rows().iter().flat_map(|p| [p.id.clone(), p.pseudonym.clone()]).collect();
    known.sort();
    let options = Options {
        format,
        encoding: args.encoding.clone(),
        text_column: args.text_column.clone(),
        id_column: args.id_column.clone(),
        labels: LabelRules { known, only: args.speakers.clone() },
        clean: args.clean,
        ..Options::default()
    };
    let document_options = DocumentOptions {
        id: args.id.clone(),
        title: args.title.clone(),
        kind: args.kind.clone(),
        date: args.date.clone(),
        wave: args.wave,
        add_participants: args.add_participants,
        role: args.role.clone(),
        replace: args.replace,
        interviewers: args.interviewers.clone(),
    };
    let progress = if args.files.len() > 3 && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(args.files.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut study = study.clone();
    let mut importer = Importer::new(&mut study, document_options);
    let mut reports = Vec::new();
    // Prepared but not yet written: printed once their batch is on disk.
    let mut batch: Vec<(String, ImportReport)> = Vec::new();
    let mut failures = Vec::new();
    let mut flush =
        |importer: &mut Importer<'_>, batch: &mut Vec<(String, ImportReport)>, failures: &mut Vec<String>| -> bool {
            match importer.flush() {
                Ok(_) => {
                    for (shown, report) in batch.drain(..) {
                        if !args.json {
                            progress.suspend(|| print_report(&shown, &report, args.verbose));
                        }
                        reports.push(report);
                    }
                    true
                }
                Err(error) => {
                    progress.suspend(|| eprintln!("error: could not write the study: {error}"));
                    failures.extend(batch.drain(..).map(|(shown, _)| shown));
                    false
                }
            }
        };
    let mut stopped = false;
    let mut skipped = 0;
    let mut interrupted = false;
    let checkpoint = Checkpoint::start(importer.study().root(), args.files.len(), importer.study().documents().len());
    let ctrl_c = ctrl_c();
    for path in &args.files {
        if ctrl_c.load(std::sync::atomic::Ordering::Relaxed) {
            interrupted = true;
            break;
        }
        let shown = super::display(path);
        progress.set_message(shown.clone());
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
        let result = thema_ingest::read_file(path, &options).map_err(anyhow::Error::from).and_then(|import| {
            if let Some(id) = importer.unchanged(&name, &import) {
                return Ok(Added::Unchanged(id));
            }
            match importer.taken(&name) {
                Some(id) if args.skip_existing => Ok(Added::Skipped(id)),
                _ => importer.add(&name, import).map(|r| Added::Imported(Box::new(r))).map_err(anyhow::Error::from),
            }
        });
        progress.inc(1);
        match result {
            Ok(Added::Imported(report)) => batch.push((shown, *report)),
            Ok(Added::Unchanged(id)) => {
                skipped += 1;
                progress
                    .suspend(|| eprintln!("unchanged: `{shown}` is already imported as `{id}`, from the same bytes"));
            }
            Ok(Added::Skipped(id)) => {
                skipped += 1;
                progress.suspend(|| {
                    eprintln!(
                        "skipped: `{shown}`: `{id}` exists (imported from other bytes); `--replace` re-imports it"
                    )
                });
            }
            Err(error) => {
                let hint = hint_for(&error);
                progress.suspend(|| {
                    eprintln!("error: `{shown}`: {error:#}");
                    if let Some(hint) = &hint {
                        eprintln!("hint: {hint}");
                    }
                });
                failures.push(shown);
            }
        }
        if importer.pending() >= BATCH_DOCUMENTS || importer.pending_bytes() >= BATCH_BYTES {
            if !flush(&mut importer, &mut batch, &mut failures) {
                stopped = true;
                break;
            }
            checkpoint.landed(landed(&importer));
        }
    }
    if !stopped {
        flush(&mut importer, &mut batch, &mut failures);
    }
    checkpoint.finish();
    progress.finish_and_clear();
    let imported = reports.len();
    if args.json {
        print_json(&reports)?;
    }
    if imported > 1 || !failures.is_empty() || skipped > 0 || interrupted {
        let words: usize = reports.iter().map(|r| r.words).sum();
        let unchanged = if skipped > 0 { format!(", {skipped} already there") } else { String::new() };
        eprintln!(
            "imported {imported} of {} ({}){unchanged}",
            count(args.files.len(), "file", "files"),
            count(words, "word", "words")
        );
    }
    // An `--interviewer` label that no file has is most likely a typo.
    let labels: std::collections::BTreeSet<&str> =
        reports.iter().flat_map(|r| r.speaker_links.iter().map(|s| s.label.as_str())).collect();
    for wanted in &args.interviewers {
        if !labels.iter().any(|l| l.eq_ignore_ascii_case(wanted)) {
            let suggestion = thema_core::suggest::did_you_mean(wanted, labels.iter().copied());
            eprintln!("warning: `--interviewer {wanted}` names no speaker label of the files imported{suggestion}");
        }
    }
    if interrupted {
        eprintln!(
            "interrupted: the {} imported are in the study; run the same command again to import the rest \
             (files already imported are recognised and skipped)",
            count(imported, "document", "documents")
        );
        return Ok(ExitCode::from(EXIT_INTERRUPTED));
    }
    if failures.is_empty() {
        let unlinked = reports.iter().flat_map(|r| &r.speaker_links).filter(|s| s.link == "unlinked").count();
        if unlinked > 0 {
            let labels = count(unlinked, "speaker label is", "speaker labels are");
            eprintln!("hint: {labels} not linked to participants: see `thema speakers --unlinked`, then `thema link` (or import with `--add-participants`)");
        }
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("failed: {}", failures.join(", "));
        Ok(ExitCode::from(EXIT_ERROR))
    }
}

/// What became of one file.
enum Added {
    /// Prepared as a new document (or over an old one, with `--replace`).
    Imported(Box<ImportReport>),
    /// Imported before from the same bytes: nothing to do.
    Unchanged(String),
    /// Its id is taken, and `--skip-existing` said to leave it.
    Skipped(String),
}

/// Exit code after Ctrl-C (128 + SIGINT), as shells report it.
const EXIT_INTERRUPTED: u8 = 130;

/// Set when the user presses Ctrl-C: the import stops after the file it is reading, writes what
/// it prepared and says what landed.
fn ctrl_c() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(unix)]
    {
        let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, std::sync::Arc::clone(&flag));
    }
    flag
}

/// The documents written so far by this import.
fn landed(importer: &Importer<'_>) -> usize {
    importer.study().documents().len()
}

/// A note in `.thema/` while a bulk import runs: it writes its documents in batches, so a kill
/// leaves the batches written so far. The note stays behind, and the next command in the study
/// says an import was interrupted and how much landed ([`interrupted_import`]).
struct Checkpoint {
    path: Option<std::path::PathBuf>,
    files: usize,
    before: usize,
}

impl Checkpoint {
    /// Only imports of several files write in batches.
    fn start(root: &std::path::Path, files: usize, before: usize) -> Checkpoint {
        let path = (files > 1).then(|| root.join(IMPORT_NOTE));
        let checkpoint = Checkpoint { path, files, before };
        checkpoint.write(before);
        checkpoint
    }

    fn write(&self, landed: usize) {
        if let Some(path) = &self.path {
            let note = serde_json::json!({ "files": self.files, "landed": landed.saturating_sub(self.before) });
            let _ = thema_core::fsio::write_atomic(path, note.to_string().as_bytes());
        }
    }

    /// After a batch is on disk: how many documents the study now holds.
    fn landed(&self, documents: usize) {
        self.write(documents);
    }

    fn finish(self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Where a running bulk import keeps its note, relative to the study folder.
const IMPORT_NOTE: &str = ".thema/import-running.json";

/// The message for a bulk import that a kill or a crash interrupted, if the study has one.
pub(crate) fn interrupted_import(root: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join(IMPORT_NOTE)).ok()?;
    let note: serde_json::Value = serde_json::from_str(&text).ok()?;
    let files = note.get("files")?.as_u64()?;
    let landed = note.get("landed")?.as_u64()?;
    Some(format!(
        "warning: an import of {files} files was stopped before it finished (killed, or the machine stopped); \
         {landed} of its documents had landed and are in the study, each whole (`thema ls`)\n\
         hint: run the same `thema import` again: files already imported are recognised and skipped"
    ))
}

fn hint_for(error: &anyhow::Error) -> Option<String> {
    let study_error = error.downcast_ref::<thema_core::StudyError>();
    if let Some(thema_core::StudyError::DuplicateDocument { id }) = study_error {
        return Some(format!(
            "`{id}` is taken: give this file another id with `--id`, or re-import it over the old one with `--replace`"
        ));
    }
    if let Some(thema_ingest::IngestError::Format { format, .. }) = error.downcast_ref::<thema_ingest::IngestError>() {
        return Some(format!("the file was read as {format}; if that is wrong, pass `--format`"));
    }
    None
}

fn print_report(shown: &str, report: &ImportReport, verbose: bool) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "imported {} as `{}` ({}, {}): {}, {}, {}",
        shown,
        report.document,
        report.format,
        report.kind,
        count(report.turns, "turn", "turns"),
        count(report.speakers, "speaker", "speakers"),
        count(report.words, "word", "words")
    );
    for s in report.speaker_links.iter().take(SHOW_SPEAKERS) {
        let _ = writeln!(err, "  {:<24} {:>12}  -> {}", s.label, count(s.turns, "turn", "turns"), s.link);
    }
    if report.speaker_links.len() > SHOW_SPEAKERS {
        let _ = writeln!(
            err,
            "  ... and {} more speakers (`thema speakers {}` lists them)",
            report.speaker_links.len() - SHOW_SPEAKERS,
            report.document
        );
    }
    if !report.participants_added.is_empty() {
        let shown: Vec<&str> = report.participants_added.iter().take(10).map(String::as_str).collect();
        let more = report.participants_added.len().saturating_sub(shown.len());
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        let _ = writeln!(err, "  added participants: {}{more}", shown.join(", "));
    }
    if let Some(cleaned) = &report.cleaned {
        let _ = writeln!(err, "  clean-up: {cleaned}");
    }
    if !report.unattributed.is_empty() {
        let (one, many) = if report.format.is_archive() { ("paragraph", "paragraphs") } else { ("line", "lines") };
        let _ = writeln!(err, "  {} not attributed to a speaker:", count(report.unattributed.len(), one, many));
        let unit = if report.format.is_archive() { "paragraph" } else { "line" };
        let shown = if verbose { usize::MAX } else { SHOW_UNATTRIBUTED };
        for line in report.unattributed.iter().take(shown) {
            let _ = writeln!(err, "    {unit} {}: {}", line.line, line.text);
        }
        if report.unattributed.len() > shown {
            let _ = writeln!(err, "    ... and {} more (`--verbose` lists all)", report.unattributed.len() - shown);
        }
    }
    if let Some(c) = &report.codings {
        let _ = writeln!(
            err,
            "  codings: {} unchanged, {} moved, {} re-anchored to an edited quote, {} not placed",
            c.unchanged,
            c.moved,
            c.changed,
            c.unplaced.len()
        );
        for lost in &c.unplaced {
            let _ = writeln!(err, "    not placed (kept, flagged; see `thema check`): {lost}");
        }
    }
    drop(err);
    let mut warnings = Notes::default();
    for warning in &report.warnings {
        warnings.add(warning.line.map(|l| format!("line {l}")).unwrap_or_default(), warning.message.clone());
    }
    warnings.print("  warning: ", verbose);
}
