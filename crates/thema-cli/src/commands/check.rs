//! `thema check`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use thema_core::check::{check_study, Severity};
use thema_core::coding::{joined_pairs, place, Placed};
use thema_core::study::Decision;
use thema_core::{Coding, Document, Study};

use crate::cli::CheckArgs;
use crate::output::{count, print_json, EXIT_PROBLEMS};

/// `thema check --fix`: join each coder's codings that break the rule of one coding a passage a
/// code a coder, in the command's transaction, with one line in the decision log a coder.
pub(crate) fn fix(study: &Study, coder: Option<String>) -> Result<()> {
    let who = super::coder(study, coder).unwrap_or_else(|_| "thema check --fix".to_owned());
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

pub(crate) fn run(root: &Path, args: CheckArgs) -> Result<ExitCode> {
    let problems = check_study(root);
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    let warnings = problems.len() - errors;
    if args.json {
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
