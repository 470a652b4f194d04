//! `thema undo`, `thema redo` and `thema history`: the study's history of write commands
//! ([`thema_core::history`]).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use thema_core::history::{self, Entry, HistoryError};

use crate::cli::HistoryArgs;
use crate::output::{count, shorten, with_hint};

/// `codings/hp.jsonl (changed), documents/p1 (added)`, at most `max` paths and a count of the rest.
fn changes(entry: &Entry, max: usize) -> String {
    let mut list: Vec<String> = entry.changes.iter().take(max).map(|c| format!("{} ({})", c.path, c.verb())).collect();
    if entry.changes.len() > max {
        list.push(format!("and {} more", entry.changes.len() - max));
    }
    list.join(", ")
}

fn refusal(error: HistoryError) -> anyhow::Error {
    let hint = match &error {
        HistoryError::NothingToUndo => "`thema history` lists what was recorded",
        HistoryError::NothingToRedo => {
            "redo applies a command undone by `thema undo`, until a new command changes the study"
        }
        HistoryError::ChangedSince { .. } => {
            "undo works on what thema itself wrote; look at the file (`git diff` in a study kept in git) and \
             change it back by hand, or leave the command as it is"
        }
        HistoryError::TooLarge { .. } => "a large import is undone with `git` in a study kept in git, or by hand",
        _ => "thema keeps its history in `.thema/history/` inside the study",
    };
    with_hint(error, hint)
}

pub(crate) fn undo(root: &Path) -> Result<ExitCode> {
    let entry = history::undo(root).map_err(refusal)?;
    eprintln!("undid #{} `{}`: {}", entry.number, shorten(&entry.command, 100), changes(&entry, 6));
    eprintln!("`thema redo` applies it again");
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn redo(root: &Path) -> Result<ExitCode> {
    let entry = history::redo(root).map_err(refusal)?;
    eprintln!("redid #{} `{}`: {}", entry.number, shorten(&entry.command, 100), changes(&entry, 6));
    Ok(ExitCode::SUCCESS)
}

#[derive(serde::Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    /// `done` (undo reverts it) or `undone` (redo applies it again).
    state: &'static str,
}

pub(crate) fn list(root: &Path, args: HistoryArgs) -> Result<ExitCode> {
    if args.clear {
        let n = history::clear(root)?;
        eprintln!("forgot {} of history", count(n, "command", "commands"));
        return Ok(ExitCode::SUCCESS);
    }
    let (done, undone) = history::list(root)?;
    if args.json {
        let listed: Vec<Listed> = undone
            .iter()
            .rev()
            .map(|entry| Listed { entry, state: "undone" })
            .chain(done.iter().map(|entry| Listed { entry, state: "done" }))
            .take(args.limit)
            .collect();
        crate::output::print_json(&listed)?;
        return Ok(ExitCode::SUCCESS);
    }
    if done.is_empty() && undone.is_empty() {
        eprintln!("no write command recorded yet");
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    // Undone commands first (they are "in front of" the study's state), newest first.
    let rows = undone.iter().rev().map(|e| (e, "undone")).chain(done.iter().map(|e| (e, "")));
    for (entry, state) in rows.take(args.limit) {
        let mark = if state.is_empty() { String::new() } else { format!(" [{state}]") };
        writeln!(out, "#{} {}{mark}  {}", entry.number, entry.time, entry.command)?;
        let what = if entry.too_large { " (too large to undo)" } else { "" };
        writeln!(out, "    {}{what}", changes(entry, 8))?;
    }
    if let Some(next) = done.first() {
        eprintln!("`thema undo` reverts #{}", next.number);
    }
    if let Some(next) = undone.first() {
        eprintln!("`thema redo` applies #{} again", next.number);
    }
    Ok(ExitCode::SUCCESS)
}
