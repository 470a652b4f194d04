//! `thema review`: the team review page (built by `thema_publish::review`), and reviewers'
//! comments brought back as memos (`thema_core::review`).

use std::process::ExitCode;

use anyhow::{anyhow, Result};
use thema_core::review::{self, ReviewError};
use thema_core::Study;
use thema_publish::review::ReviewOptions;
use thema_publish::team_report::ReportError;

use super::analysis::write_output;
use crate::cli::{ReviewArgs, ReviewCommand};
use crate::output::{print_json, shorten, with_hint, Table};

pub(crate) fn run(study: &Study, coders: &[String], args: ReviewArgs) -> Result<ExitCode> {
    match args.command {
        None => page(study, coders, args),
        Some(ReviewCommand::Import { files, json }) => import(study, &files, json),
        Some(ReviewCommand::List { json }) => list(study, json),
    }
}

fn page(study: &Study, coders: &[String], args: ReviewArgs) -> Result<ExitCode> {
    let set = super::coder_set(study, coders)?;
    let options = ReviewOptions { reviewer: args.reviewer, attribution: args.attribution };
    let html = thema_publish::review::build(study, &set, &options).map_err(|e| match e {
        // The style is checked where quotes are attributed; said as every command says it.
        ReportError::Attribution(_) => {
            super::attributor(study, options.attribution.as_deref()).err().unwrap_or_else(|| anyhow!(e))
        }
        e => e.into(),
    })?;
    write_output(&args.out, html.as_bytes(), "the review page")?;
    eprintln!("hint: send the page to reviewers; bring the comments file they save back with `thema review import FILE`");
    Ok(ExitCode::SUCCESS)
}

/// A library error with its hint.
fn hinted(e: ReviewError) -> anyhow::Error {
    let hint = e.hint();
    if hint.is_empty() {
        e.into()
    } else {
        with_hint(e, hint)
    }
}

fn import(study: &Study, files: &[std::path::PathBuf], json: bool) -> Result<ExitCode> {
    // Every file is read and checked before anything is imported.
    let mut read = Vec::new();
    for path in files {
        read.push((path.clone(), review::read_comments(path).map_err(hinted)?));
    }
    let summary = review::import(study, &read).map_err(hinted)?;
    if json {
        print_json(&summary)?;
    }
    for (id, on) in &summary.added {
        eprintln!("added memo {id} on {on}");
    }
    for (comment, made, now) in &summary.followed {
        eprintln!("comment {comment} was on {made}, which is now {now}: attached there");
    }
    for (comment, target) in &summary.deleted {
        eprintln!("warning: comment {comment} is on {target}, which was deleted or merged away: not imported");
    }
    eprintln!(
        "{} added, {} already imported",
        thema_core::text::count(summary.added.len(), "review memo", "review memos"),
        summary.already
    );
    if !summary.added.is_empty() {
        eprintln!("hint: `thema review list` shows them by target; `thema undo` takes the import back");
    }
    Ok(ExitCode::SUCCESS)
}

fn list(study: &Study, json: bool) -> Result<ExitCode> {
    let mut memos: Vec<_> =
        study.load_memos()?.into_iter().filter(|m| m.header.kind == review::MEMO_KIND).collect();
    // By target, then in the order they were made.
    memos.sort_by(|a, b| (&a.header.on, &a.header.time, &a.header.id).cmp(&(&b.header.on, &b.header.time, &b.header.id)));
    if json {
        let rows: Vec<_> = memos.iter().map(|m| serde_json::json!({ "memo": m.header, "body": m.body })).collect();
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if memos.is_empty() {
        eprintln!("no review comments yet: `thema review --out review.html` makes the page reviewers comment on");
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["on", "memo", "reviewer", "time", "title", "begins"]);
    for m in &memos {
        table.row(vec![
            m.header.on.clone(),
            m.header.id.clone(),
            m.header.author.clone(),
            m.header.time.clone(),
            m.header.title.clone(),
            shorten(m.body.trim(), 40),
        ]);
    }
    table.print(&mut std::io::stdout().lock())?;
    Ok(ExitCode::SUCCESS)
}
