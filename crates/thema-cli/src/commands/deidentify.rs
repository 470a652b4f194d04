//! `thema deidentify`: replace identifiers in every document with pseudonyms from a key kept
//! outside the study, and direct identifiers (e-mail, phone, URL, postal code, address, date of
//! birth) with tags; turns, speaker labels and codings are carried over to the new text. The
//! rewrite is `thema_ingest::deidentify_study`; this prints what it did.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use thema_core::Study;
use thema_ingest::deidentify::Key;
use thema_ingest::deidentify_study::{self as rewrite, CodingChanges, DeidentifyOptions, KEPT, LOG};

use crate::cli::DeidentifyArgs;
use crate::output::{count, hinted, print_json, with_hint};

/// Read and parse a key file wherever it is (`thema audit`); errors name the file and line.
pub(super) fn parse_key(path: &Path) -> Result<Key> {
    rewrite::parse_key(path).map_err(hinted)
}

/// `--keep`: record words as not identifiers.
fn keep(study: &Study, who: &str, words: &[String], why: Option<String>) -> Result<ExitCode> {
    let added = rewrite::keep(study, who, words, why).map_err(hinted)?;
    println!("{} recorded as not identifiers in {KEPT}", count(added, "word", "words"));
    Ok(ExitCode::SUCCESS)
}

/// `--review`: capitalised words and phrases a person should look at.
fn review(study: &Study, key: &Key, json: bool) -> Result<ExitCode> {
    let candidates = rewrite::review(study, key).map_err(hinted)?;
    if json {
        print_json(&candidates)?;
        return Ok(ExitCode::SUCCESS);
    }
    for c in &candidates {
        let mut turns = c.turns.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
        if c.turns.len() > 8 {
            turns.push_str(&format!(" and {} more", c.turns.len() - 8));
        }
        println!("{:>4}  {}  ({turns})", c.count, c.text);
    }
    eprintln!(
        "{} to decide: add identifiers to the key (outside the study); mark the others with `thema deidentify --keep WORD...`",
        count(candidates.len(), "word or phrase", "words or phrases")
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn run(mut study: Study, coder: Option<String>, args: DeidentifyArgs) -> Result<ExitCode> {
    if !args.keep.is_empty() {
        let who = super::coder(&study, coder)?;
        return keep(&study, &who, &args.keep, args.why);
    }
    let key = match &args.key {
        Some(path) => rewrite::read_key(&study, path).map_err(hinted)?,
        None if args.no_detect && !args.review => {
            return Err(with_hint(
                anyhow!("nothing to do: no key and no detectors"),
                "pass `--key FILE`, or drop `--no-detect`",
            ))
        }
        None => Key::default(),
    };
    if args.review {
        return review(&study, &key, args.json);
    }
    let options = DeidentifyOptions {
        key,
        detect: !args.no_detect,
        dry_run: args.dry_run,
        who: super::coder(&study, coder)?,
        why: args.why.clone(),
    };
    let summary = rewrite::deidentify_study(&mut study, &options).map_err(hinted)?;
    let new_ids = &summary.new_ids;
    if args.json {
        print_json(&summary)?;
        return Ok(ExitCode::SUCCESS);
    }
    let verb = if args.dry_run { "would replace" } else { "replaced" };
    let total: usize = summary.replaced.values().sum();
    println!(
        "{verb} {} in {}",
        count(total, "identifier", "identifiers"),
        count(summary.documents, "document", "documents")
    );
    for (category, n) in &summary.replaced {
        println!("  {category:<14} {n}");
    }
    let verb_merged = if args.dry_run { "would become" } else { "became" };
    for m in &summary.speakers_merged {
        let from: Vec<String> = m.from.iter().map(|l| format!("`{l}`")).collect();
        println!(
            "{}: speakers {} {verb_merged} one speaker `{}` ({}): their labels were the same after the replacement",
            m.document,
            from.join(" and "),
            m.label,
            m.link
        );
    }
    let changed_codings: usize = summary.codings.iter().map(CodingChanges::total).sum();
    if changed_codings > 0 {
        let verb = if args.dry_run { "would change" } else { "changed" };
        println!("the rewrite {verb} {} (document, coder: how):", count(changed_codings, "coding", "codings"));
        for c in &summary.codings {
            println!("  {}  {}: {}", c.document, c.coder, c.describe());
        }
    }
    for (old, new) in new_ids {
        println!("participant `{old}` is now `{new}` (the id was made from a name in the key)");
    }
    if summary.memos_changed > 0 {
        println!("{} de-identified too", count(summary.memos_changed, "memo", "memos"));
    }
    if !args.dry_run && total > 0 {
        println!("logged by document, turn and category (no original text) in {LOG}");
        eprintln!("note: exports made before this still hold the old text: delete them and export again");
        eprintln!(
            "note: `thema undo` can revert this, so `.thema/history/` keeps the old text; once you have \
             checked the result, `thema history --clear` deletes it"
        );
    }
    Ok(ExitCode::SUCCESS)
}
