//! `thema log` (the decision log) and `thema coders`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;
use thema_core::Study;

use crate::cli::{JsonArgs, MergeCodersArgs};
use crate::output::{count, print_json, shorten, thousands, Table};

pub(crate) fn log(study: &Study, args: JsonArgs) -> Result<ExitCode> {
    let decisions = study.load_decisions()?;
    if args.json {
        print_json(&decisions)?;
        return Ok(ExitCode::SUCCESS);
    }
    if decisions.is_empty() {
        eprintln!("no decisions yet: changes to the codebook are logged here");
    }
    let mut out = std::io::stdout().lock();
    for d in &decisions {
        writeln!(out, "{}  {}  {} {}", d.time, d.who, d.action, d.what)?;
        if !d.why.is_empty() {
            writeln!(out, "    why: {}", d.why)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct CoderRow {
    coder: String,
    /// `primary` (a person) or `derived` (made by `thema merge-coders`).
    kind: &'static str,
    /// The coders a derived set was made from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
    /// In the set analyses use by default.
    analysed: bool,
    codings: usize,
    codes: usize,
    documents: usize,
}

pub(crate) fn coders(study: &Study, named: &[String], args: JsonArgs) -> Result<ExitCode> {
    let set = study.coder_set(named)?;
    let mut rows = Vec::new();
    for coder in study.coders()? {
        let codings = study.load_coder_placements(&coder)?;
        let codes: std::collections::HashSet<&str> = codings.iter().map(|c| c.code.as_str()).collect();
        let documents: std::collections::HashSet<&str> = codings.iter().map(|c| c.document.as_str()).collect();
        let derived = study.settings.coders.get(&coder);
        rows.push(CoderRow {
            kind: if derived.is_some() { "derived" } else { "primary" },
            sources: derived.map(|d| d.sources.clone()).unwrap_or_default(),
            analysed: set.coders.contains(&coder),
            codings: codings.len(),
            codes: codes.len(),
            documents: documents.len(),
            coder,
        });
    }
    if args.json {
        #[derive(Serialize)]
        struct Out {
            analysis: crate::output::Whose,
            coders: Vec<CoderRow>,
        }
        print_json(&Out { analysis: crate::output::Whose::of(&set), coders: rows })?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        eprintln!("no codings yet");
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["coder", "kind", "made from", "codings", "codes", "documents"]);
    for r in &rows {
        table.row(vec![
            format!("{}{}", r.coder, if r.analysed { " *" } else { "" }),
            r.kind.to_owned(),
            r.sources.join(", "),
            thousands(r.codings),
            thousands(r.codes),
            thousands(r.documents),
        ]);
    }
    let mut out = std::io::stdout().lock();
    table.print(&mut out)?;
    writeln!(out, "\n* analysed: the codings of {} ({})", set.describe(), set.reason())?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn merge_coders(study: &Study, args: MergeCodersArgs) -> Result<ExitCode> {
    let done = thema_core::consensus::merge_coders(study, &args.a, &args.b, &args.into, args.agreed_only, args.replace)
        .map_err(crate::output::hinted)?;
    let conflicts = &done.conflicts;
    if args.json {
        print_json(conflicts)?;
    } else {
        let mut out = std::io::stdout().lock();
        for c in conflicts {
            writeln!(out, "{}  {}  {}: {}  {}", c.document, c.code, c.kind, c.resolution, shorten(&c.quote, 60))?;
        }
    }
    eprintln!(
        "merged {} ({}) and {} ({}) into {}: {}, {} resolved",
        args.a,
        count(done.sources.0, "coding", "codings"),
        args.b,
        count(done.sources.1, "coding", "codings"),
        args.into,
        count(done.codings, "coding", "codings"),
        count(conflicts.len(), "conflict", "conflicts")
    );
    Ok(ExitCode::SUCCESS)
}
