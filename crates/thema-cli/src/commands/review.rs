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

pub(crate) fn run(study: &Study, coder: Option<String>, coders: &[String], args: ReviewArgs) -> Result<ExitCode> {
    match args.command {
        None => page(study, coders, args),
        Some(ReviewCommand::Import { files, json }) => import(study, &files, json),
        Some(ReviewCommand::List { open, json }) => list(study, open, json),
        Some(ReviewCommand::Resolve { memo, why }) => {
            let who = super::coder(study, coder)?;
            let decision = review::resolve(study, &memo, &who, why.as_deref().unwrap_or("")).map_err(hinted)?;
            eprintln!("resolved {}", decision.what);
            if decision.why.is_empty() {
                eprintln!("hint: `--why \"...\"` records what was done about it");
            }
            Ok(ExitCode::SUCCESS)
        }
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
    eprintln!(
        "hint: send the page to reviewers; bring the comments file they save back with `thema review import FILE`"
    );
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

fn list(study: &Study, open: bool, json: bool) -> Result<ExitCode> {
    let comments: Vec<_> =
        review::comments(study).map_err(hinted)?.into_iter().filter(|c| !open || c.is_open()).collect();
    let codebook = study.load_codebook()?;
    let mut names = review::TargetNames::new(study, &codebook);
    let mut name = |c: &review::ReviewComment| names.describe(&c.memo.header.on);
    if json {
        let rows: Vec<_> = comments
            .iter()
            .map(|c| {
                serde_json::json!({ "memo": c.memo.header, "target_name": name(c), "body": c.memo.body, "resolution": c.resolution })
            })
            .collect();
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if comments.is_empty() {
        if open {
            eprintln!("no open review comments");
        } else {
            eprintln!("no review comments yet: `thema review --out review.html` makes the page reviewers comment on");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["on", "memo", "status", "reviewer", "time", "title", "begins"]);
    for c in &comments {
        let m = &c.memo.header;
        let status = match &c.resolution {
            None => "open".to_owned(),
            Some(d) => format!("resolved by {}", d.who),
        };
        table.row(vec![
            name(c),
            m.id.clone(),
            status,
            m.author.clone(),
            m.time.clone(),
            m.title.clone(),
            shorten(c.memo.body.trim(), 40),
        ]);
    }
    table.print(&mut std::io::stdout().lock())?;
    Ok(ExitCode::SUCCESS)
}
