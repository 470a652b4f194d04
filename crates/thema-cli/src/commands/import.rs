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
use crate::output::{count, print_json, with_hint, EXIT_ERROR};

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
        study.participants.rows.iter().flat_map(|p| [p.id.clone(), p.pseudonym.clone()]).collect();
    known.sort();
    let options = Options {
        format,
        encoding: args.encoding.clone(),
        text_column: args.text_column.clone(),
        id_column: args.id_column.clone(),
        labels: LabelRules { known, only: args.speakers.clone() },
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
                            progress.suspend(|| print_report(&shown, &report));
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
    for path in &args.files {
        let shown = super::display(path);
        progress.set_message(shown.clone());
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
        let result = thema_ingest::read_file(path, &options)
            .map_err(anyhow::Error::from)
            .and_then(|import| importer.add(&name, import).map_err(anyhow::Error::from));
        progress.inc(1);
        match result {
            Ok(report) => batch.push((shown, report)),
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
        if (importer.pending() >= BATCH_DOCUMENTS || importer.pending_bytes() >= BATCH_BYTES)
            && !flush(&mut importer, &mut batch, &mut failures)
        {
            stopped = true;
            break;
        }
    }
    if !stopped {
        flush(&mut importer, &mut batch, &mut failures);
    }
    progress.finish_and_clear();
    if args.json {
        print_json(&reports)?;
    }
    if reports.len() > 1 || !failures.is_empty() {
        let words: usize = reports.iter().map(|r| r.words).sum();
        eprintln!(
            "imported {} of {} ({})",
            reports.len(),
            count(args.files.len(), "file", "files"),
            count(words, "word", "words")
        );
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

fn print_report(shown: &str, report: &ImportReport) {
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
    if !report.unattributed.is_empty() {
        let (one, many) = if report.format.is_archive() { ("paragraph", "paragraphs") } else { ("line", "lines") };
        let _ = writeln!(err, "  {} not attributed to a speaker:", count(report.unattributed.len(), one, many));
        let unit = if report.format.is_archive() { "paragraph" } else { "line" };
        for line in report.unattributed.iter().take(SHOW_UNATTRIBUTED) {
            let _ = writeln!(err, "    {unit} {}: {}", line.line, line.text);
        }
        if report.unattributed.len() > SHOW_UNATTRIBUTED {
            let _ = writeln!(err, "    ... and {} more", report.unattributed.len() - SHOW_UNATTRIBUTED);
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
    for warning in &report.warnings {
        let _ = writeln!(err, "  warning: {warning}");
    }
}
