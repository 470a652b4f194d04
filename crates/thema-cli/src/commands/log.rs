//! `thema log` (the decision log) and `thema coders`.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;
use thema_core::Study;

use crate::cli::JsonArgs;
use crate::output::{print_json, thousands, Table};

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
    codings: usize,
    codes: usize,
    documents: usize,
}

pub(crate) fn coders(study: &Study, args: JsonArgs) -> Result<ExitCode> {
    let mut rows = Vec::new();
    for coder in study.coders()? {
        let codings = study.load_coder_codings(&coder)?;
        let codes: BTreeMap<&str, ()> = codings.iter().map(|c| (c.code.as_str(), ())).collect();
        let documents: BTreeMap<&str, ()> = codings.iter().map(|c| (c.document.as_str(), ())).collect();
        rows.push(CoderRow { codings: codings.len(), codes: codes.len(), documents: documents.len(), coder });
    }
    if args.json {
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        eprintln!("no codings yet");
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["coder", "codings", "codes", "documents"]);
    for r in &rows {
        table.row(vec![r.coder.clone(), thousands(r.codings), thousands(r.codes), thousands(r.documents)]);
    }
    table.print(&mut std::io::stdout().lock())?;
    Ok(ExitCode::SUCCESS)
}
