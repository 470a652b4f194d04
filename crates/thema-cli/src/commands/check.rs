//! `thema check`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use thema_core::check::{check_study, Severity};
use thema_core::fsio;
use thema_core::Study;

use super::Session;
use crate::cli::CheckArgs;
use crate::output::{count, print_json, EXIT_PROBLEMS};

pub(crate) fn run(session: &mut Session, coder: Option<String>, args: CheckArgs) -> Result<ExitCode> {
    let root = if args.discard_interrupted {
        // Taken as is: finishing the change is what the user chose not to do.
        let root = session.lock_with(false)?;
        let dropped = fsio::discard_interrupted(&root)?;
        for file in &dropped {
            eprintln!("dropped the interrupted change's new `{file}`; the study keeps the file as it is now");
        }
        if dropped.is_empty() {
            eprintln!("no interrupted change to drop");
        }
        root
    } else if args.fix {
        let root = super::find(session.study.clone())?;
        let left = fsio::temporaries(&root);
        let staging = std::fs::read_dir(root.join(fsio::STAGING)).is_ok_and(|mut e| e.next().is_some())
            && !root.join(fsio::JOURNAL).exists();
        let finishing = root.join(fsio::JOURNAL).exists();
        // The exclusive lock finishes an interrupted change and removes leftovers.
        session.lock()?;
        if finishing {
            eprintln!("finished an interrupted change");
        }
        for temporary in left.iter().filter(|t| !root.join(t).exists()) {
            eprintln!("removed `{temporary}`, left over from an interrupted write");
        }
        if staging && !root.join(fsio::STAGING).exists() {
            eprintln!("removed `{}`, left over from an interrupted write", fsio::STAGING);
        }

        // Then one coding a passage a code a coder: the joins are committed before the check
        // reads the files.
        let study = session.open()?;
        fix(&study, coder)?;
        if let Some(transaction) = session.transaction.take() {
            transaction.commit().map_err(|e| anyhow::Error::new(e).context("could not write the changes"))?;
        }
        root
    } else {
        let root = super::find(session.study.clone())?;
        match session.lock() {
            Ok(root) => root,
            // An interrupted change that cannot be finished, or a journal that does not parse:
            // check the study as it is, and report it.
            Err(_) if root.join(fsio::JOURNAL).exists() => session.lock_with(false)?,
            Err(error) => return Err(error),
        }
    };
    report(&root, args.json)
}

/// `thema check --fix`: each coder's codings brought back to one coding a passage a code a coder
/// (`thema_core::repair`), in the command's transaction.
pub(crate) fn fix(study: &Study, coder: Option<String>) -> Result<()> {
    let who = super::coder(study, coder).unwrap_or_else(|_| "thema check --fix".to_owned());
    let repair = thema_core::repair::repair_codings(study, &who).map_err(crate::output::hinted)?;
    for what in &repair.copies_removed {
        eprintln!("removed {what}");
    }
    // Each document read once for the turn ids, however many of its codings were joined.
    let mut documents: std::collections::BTreeMap<&str, thema_core::Document> = std::collections::BTreeMap::new();
    for j in &repair.joins {
        if !documents.contains_key(j.document.as_str()) {
            documents.insert(&j.document, study.load_document(&j.document)?);
        }
        let document = &documents[j.document.as_str()];
        eprintln!("{}", super::code::placed_message(document, j.placed, j.start, &j.quote, &j.code, &j.coder));
    }
    eprintln!("joined {} into the codings they overlapped or touched", count(repair.joined, "coding", "codings"));
    Ok(())
}

/// Check the study at `root` and print its problems.
pub(crate) fn report(root: &Path, json: bool) -> Result<ExitCode> {
    let problems = check_study(root);
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    let warnings = problems.len() - errors;
    if json {
        print_json(&problems)?;
    } else {
        let mut out = std::io::stdout().lock();
        for problem in &problems {
            writeln!(out, "{problem}")?;
        }
        let verdict = if errors == 0 { "the study is consistent" } else { "the study has errors" };
        writeln!(
            std::io::stderr(),
            "{verdict}: {}, {}",
            count(errors, "error", "errors"),
            count(warnings, "warning", "warnings")
        )?;
    }
    Ok(if errors > 0 { ExitCode::from(EXIT_PROBLEMS) } else { ExitCode::SUCCESS })
}
