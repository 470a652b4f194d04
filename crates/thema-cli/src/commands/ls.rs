//! `thema ls`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;
use thema_core::Study;

use crate::cli::LsArgs;
use crate::output::{print_json, thousands, Table};

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    date: Option<&'a str>,
    wave: Option<u32>,
    turns: usize,
    speakers: usize,
    participants: usize,
    words: usize,
}

pub(crate) fn run(study: &Study, args: LsArgs) -> Result<ExitCode> {
    let mut rows = Vec::new();
    // The figures come from a cache that is checked against the files (see
    // `thema_core::docstats`): reading every transcript would take seconds on a large study.
    for (meta, stats) in study.documents().iter().zip(study.document_stats()?) {
        rows.push(Row {
            id: &meta.id,
            title: &meta.title,
            kind: &meta.kind,
            date: meta.date.as_deref(),
            wave: meta.wave,
            turns: stats.turns,
            speakers: stats.speakers,
            participants: meta.speakers.iter().filter(|s| s.participant.is_some()).count(),
            words: stats.words,
        });
    }
    if args.json {
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        eprintln!("no documents yet: add some with `thema import FILE...`");
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["id", "kind", "wave", "date", "turns", "speakers", "words", "title"]);
    for r in &rows {
        table.row(vec![
            r.id.to_owned(),
            r.kind.to_owned(),
            r.wave.map(|w| w.to_string()).unwrap_or_default(),
            r.date.unwrap_or("").to_owned(),
            thousands(r.turns),
            r.speakers.to_string(),
            thousands(r.words),
            r.title.to_owned(),
        ]);
    }
    let mut out = std::io::stdout().lock();
    table.print(&mut out)?;
    let words: usize = rows.iter().map(|r| r.words).sum();
    let turns: usize = rows.iter().map(|r| r.turns).sum();
    writeln!(out, "{} documents, {} turns, {} words", rows.len(), thousands(turns), thousands(words))?;
    Ok(ExitCode::SUCCESS)
}
