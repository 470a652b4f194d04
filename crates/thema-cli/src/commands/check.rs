//! `thema check`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use thema_core::check::{check_study, Severity};
use thema_core::coding::{joined_pairs, place, Placed};
use thema_core::fsio;
use thema_core::study::Decision;
use thema_core::{Coding, Document, Study};

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

/// `thema check --fix`: join each coder's codings that break the rule of one coding a passage a
/// code a coder, in the command's transaction, with one line in the decision log a coder.
pub(crate) fn fix(study: &Study, coder: Option<String>) -> Result<()> {
    let who = super::coder(study, coder).unwrap_or_else(|_| "thema check --fix".to_owned());
    remove_copies(study, &who)?;
    let mut documents: BTreeMap<String, Document> = BTreeMap::new();
    let mut total = 0;
    for owner in study.coders()? {
        let codings = study.load_coder_codings(&owner)?;
        let pairs = joined_pairs(&codings);
        if pairs.is_empty() {
            continue;
        }
        // Only codings in a pair change; each is placed among the others of its document and
        // code, so neither the work nor the texts read grow with the rest of the file.
        let touched: std::collections::BTreeSet<usize> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
        let (mut rest, mut joined): (Vec<Coding>, Vec<Coding>) = (Vec::new(), Vec::new());
        for (i, c) in codings.into_iter().enumerate() {
            if touched.contains(&i) {
                rest.push(c);
            } else {
                joined.push(c);
            }
        }
        rest.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let before = rest.len();
        let mut groups: BTreeMap<(String, String), Vec<Coding>> = BTreeMap::new();
        for c in rest {
            if !documents.contains_key(&c.document) {
                documents.insert(c.document.clone(), study.load_document(&c.document)?);
            }
            let document = &documents[&c.document];
            let (start, quote, code) = (c.start, c.quote.clone(), c.code.clone());
            let group = groups.entry((c.document.clone(), c.code.clone())).or_default();
            let how = place(group, c, document)?;
            if how != Placed::Added {
                eprintln!("{}", super::code::placed_message(document, how, start, &quote, &code, &owner));
            }
        }
        let merged = before - groups.values().map(Vec::len).sum::<usize>();
        total += merged;
        joined.extend(groups.into_values().flatten());
        study.save_coder_codings(&owner, &joined)?;
        study.log_decision(&Decision {
            time: thema_core::coding::now(),
            who: who.clone(),
            action: "join-codings".to_owned(),
            what: format!(
                "{} of `{owner}` that overlapped or touched another of its code",
                count(merged, "coding", "codings")
            ),
            why: "one coding a passage a code a coder (`thema check --fix`)".to_owned(),
        })?;
    }
    eprintln!("joined {} into the codings they overlapped or touched", count(total, "coding", "codings"));
    Ok(())
}

/// `thema check --fix`: remove codings that are exact copies of another (a git merge can leave
/// them), with one line in the decision log a coder that had any.
fn remove_copies(study: &Study, who: &str) -> Result<()> {
    for owner in study.coders()? {
        let codings = study.load_coder_codings(&owner)?;
        let copies = thema_core::coding::exact_copies(&codings);
        if copies.is_empty() {
            continue;
        }
        let copied: std::collections::BTreeSet<usize> = copies.iter().map(|&(copy, _)| copy).collect();
        // Lines as the file holds them: the n-th coding is on the n-th line that is not blank.
        let text = thema_core::study::read_text(&study.codings_path(&owner))?;
        let numbers: Vec<usize> =
            text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(n, _)| n + 1).collect();
        let lines: Vec<String> = copied.iter().map(|&i| numbers.get(i).copied().unwrap_or(i + 1).to_string()).collect();
        let what = format!(
            "{} of `{owner}` that copied another exactly ({} {} of `codings/{owner}.jsonl`)",
            count(copies.len(), "coding", "codings"),
            if lines.len() == 1 { "line" } else { "lines" },
            lines.join(", ")
        );
        let kept: Vec<Coding> =
            codings.into_iter().enumerate().filter(|(i, _)| !copied.contains(i)).map(|(_, c)| c).collect();
        study.save_coder_codings(&owner, &kept)?;
        study.log_decision(&Decision {
            time: thema_core::coding::now(),
            who: who.to_owned(),
            action: "remove-copied-codings".to_owned(),
            what: what.clone(),
            why: "a coding counted once (`thema check --fix`)".to_owned(),
        })?;
        eprintln!("removed {what}");
    }
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
