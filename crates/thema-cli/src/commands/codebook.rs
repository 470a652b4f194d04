//! `thema codebook` (the tree with counts, and changes to it) and `thema relate`. Every change
//! is recorded in the decision log.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use serde::Serialize;
use thema_core::codebook::{CodebookEntry, EntryKind};
use thema_core::codebook_change::{self, Change};
use thema_core::segment::{attribute, counts, EntryCounts};
use thema_core::study::Decision;
use thema_core::{Codebook, Study};

use crate::cli::{CodebookArgs, CodebookCommand, Description, RelateArgs};
use crate::output::{hinted, print_json, thousands, with_hint, Table, Whose};

/// Record a codebook decision.
pub(crate) fn log(study: &Study, coder: &str, action: &str, what: String, why: Option<String>) -> Result<()> {
    study.log_decision(&Decision {
        time: thema_core::coding::now(),
        who: coder.to_owned(),
        action: action.to_owned(),
        what,
        why: why.unwrap_or_default(),
    })?;
    Ok(())
}

/// A kind of entry as typed.
fn entry_kind(kind: &str) -> Result<EntryKind> {
    EntryKind::from_name(kind)
        .ok_or_else(|| with_hint(anyhow!("`{kind}` is not a kind of entry"), "use code, category, sub-theme or theme"))
}

/// The command line's description as the library's.
fn description(d: Description) -> codebook_change::Description {
    codebook_change::Description {
        definition: d.definition,
        when_to_use: d.when_to_use,
        when_not_to_use: d.when_not_to_use,
        example: d.example,
        colour: d.colour,
        role: d.role,
    }
}

pub(crate) fn run(study: &Study, coder: Option<String>, coders: &[String], args: CodebookArgs) -> Result<ExitCode> {
    let Some(command) = args.command else { return tree(study, coders, args.json) };
    if let CodebookCommand::Diff { old, new, json } = &command {
        return diff(study, old, new.as_deref(), *json);
    }
    let coder = super::coder(study, coder)?;
    if let CodebookCommand::Import { file, dry_run, why } = command {
        return import(study, &coder, &file, dry_run, why);
    }
    let (change, why) = match command {
        CodebookCommand::Add { name, kind, parent, id, in_vivo, description: d, why } => {
            (Change::Add { name, kind: entry_kind(&kind)?, parent, id, in_vivo, description: description(d) }, why)
        }
        CodebookCommand::Rename { entry, name, why } => (Change::Rename { entry, name }, why),
        CodebookCommand::Describe { entry, description: d, kind, why } => {
            let kind = kind.as_deref().map(entry_kind).transpose()?;
            (Change::Describe { entry, description: description(d), kind }, why)
        }
        CodebookCommand::Move { entry, before, after, why, .. } if before.is_some() || after.is_some() => {
            let (anchor, after) = match (before, after) {
                (Some(b), _) => (b, false),
                (None, a) => (a.unwrap_or_default(), true),
            };
            (Change::Place { entry, anchor, after }, why)
        }
        CodebookCommand::Move { entry, to, why, .. } => (Change::MoveTo { entry, parent: to }, why),
        CodebookCommand::Merge { entry, into, why } => (Change::Merge { entry, into }, why),
        CodebookCommand::Delete { entry, force, why } => (Change::Delete { entry, force }, why),
        CodebookCommand::Diff { .. } | CodebookCommand::Import { .. } => unreachable!("handled above"),
    };
    let changed = codebook_change::change(study, &coder, change, why).map_err(hinted)?;
    eprintln!("{}: {}", changed.action, changed.what);
    Ok(ExitCode::SUCCESS)
}

/// `thema codebook import FILE`: the entries a list of paths adds, each logged as an `add`.
fn import(study: &Study, coder: &str, file: &std::path::Path, dry_run: bool, why: Option<String>) -> Result<ExitCode> {
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| anyhow!("cannot read `{shown}`: {e}"))?;
    let csv = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let mut codebook = study.load_codebook()?;
    let outline = thema_core::outline::read(&text, csv, &codebook).map_err(|errors| {
        let problems = errors.0.iter().map(|e| format!("`{shown}`: {e}")).collect::<Vec<_>>().join("\n");
        with_hint(
            anyhow!(
                "{} in the list; nothing was imported\n{problems}",
                crate::output::count(errors.0.len(), "problem", "problems")
            ),
            "one path a line, like `Theme > Sub-theme > code`; a CSV file needs a `path` column",
        )
    })?;
    let mut preview = codebook.clone();
    outline.apply(&mut preview)?;
    // The tree of what the list names: new entries marked `+`, those already there `=`.
    let named: std::collections::BTreeSet<&str> =
        outline.added.iter().map(|e| e.id.as_str()).chain(outline.existing.iter().map(String::as_str)).collect();
    let mut out = std::io::stdout().lock();
    for (depth, entry) in preview.tree() {
        if named.contains(entry.id.as_str()) {
            let mark = if outline.added.iter().any(|e| e.id == entry.id) { '+' } else { '=' };
            writeln!(out, "{mark} {}{} ({}, {})", "  ".repeat(depth), entry.name, entry.id, entry.kind.name())?;
        }
    }
    drop(out);
    let summary = format!(
        "{} new {}, {} already in the codebook (paths separated by `{}`)",
        thousands(outline.added.len()),
        if outline.added.len() == 1 { "entry" } else { "entries" },
        outline.existing.len(),
        outline.separator
    );
    if dry_run {
        eprintln!("dry run: {summary}; nothing changed");
        return Ok(ExitCode::SUCCESS);
    }
    outline.apply(&mut codebook)?;
    study.save_codebook(&codebook)?;
    let why = why.or_else(|| Some(format!("imported from `{shown}`")));
    for entry in &outline.added {
        log(study, coder, "add", format!("{} `{}` ({})", entry.kind.name(), entry.name, entry.id), why.clone())?;
    }
    eprintln!("imported: {summary}");
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct TreeRow<'a> {
    depth: usize,
    #[serde(flatten)]
    entry: &'a CodebookEntry,
    #[serde(flatten)]
    counts: EntryCounts,
}

fn tree(study: &Study, coders: &[String], json: bool) -> Result<ExitCode> {
    let codebook = study.load_codebook()?;
    let set = super::coder_set(study, coders)?;
    let segments = attribute(study, study.load_set_placements(&set)?)?;
    let counts = counts(&codebook, &segments);
    let rows: Vec<TreeRow> = codebook
        .tree()
        .into_iter()
        .map(|(depth, entry)| TreeRow { depth, entry, counts: counts.get(&entry.id).cloned().unwrap_or_default() })
        .collect();
    if json {
        #[derive(Serialize)]
        struct Out<'a> {
            coders: Whose,
            entries: Vec<TreeRow<'a>>,
            relations: &'a [thema_core::Relation],
        }
        print_json(&Out { coders: Whose::of(&set), entries: rows, relations: &codebook.relations })?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        eprintln!("the codebook is empty: add entries with `thema codebook add NAME --kind theme`, or code in vivo with `thema invivo`");
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["entry", "kind", "role", "segments", "documents", "participants", "id"]);
    for row in &rows {
        let mark = if row.entry.in_vivo { format!("“{}”", row.entry.name) } else { row.entry.name.clone() };
        table.row(vec![
            format!("{}{mark}", "  ".repeat(row.depth)),
            row.entry.kind.name().to_owned(),
            row.entry.role.clone().unwrap_or_default(),
            thousands(row.counts.segments),
            thousands(row.counts.documents),
            thousands(row.counts.participants),
            row.entry.id.clone(),
        ]);
    }
    let mut out = std::io::stdout().lock();
    table.print(&mut out)?;
    if !codebook.relations.is_empty() {
        writeln!(out, "\nrelations:")?;
        let name = |id: &str| codebook.get(id).map_or(id.to_owned(), |e| e.name.clone());
        let mut relations: Vec<_> = codebook.relations.iter().collect();
        relations.sort_by(|a, b| (&a.from, &a.label, &a.to).cmp(&(&b.from, &b.label, &b.to)));
        for r in relations {
            let note = if r.note.is_empty() { String::new() } else { format!("  ({})", r.note) };
            writeln!(out, "  {} --{}--> {}{note}", name(&r.from), r.label, name(&r.to))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn relate(study: &Study, coder: Option<String>, args: RelateArgs) -> Result<ExitCode> {
    let coder = super::coder(study, coder)?;
    let change = Change::Relate { from: args.from, to: args.to, label: args.label, note: args.note };
    let changed = codebook_change::change(study, &coder, change, args.why).map_err(hinted)?;
    eprintln!("{}: {}", changed.action, changed.what);
    Ok(ExitCode::SUCCESS)
}

/// A version of the codebook: a file, or `codebook.toml` at a git revision.
fn codebook_at(study: &Study, version: &str) -> Result<Codebook> {
    thema_core::revision::codebook_at(study, version).map_err(hinted)
}

fn diff(study: &Study, old: &str, new: Option<&str>, json: bool) -> Result<ExitCode> {
    let before = codebook_at(study, old)?;
    let after = match new {
        Some(version) => codebook_at(study, version)?,
        None => study.load_codebook()?,
    };
    // Merges as the decision log records them: "`from` into `into` (...)".
    let merges = thema_core::review::logged_merges(&study.load_decisions()?);
    let changes = thema_core::codebook::diff(&before, &after, &merges);
    if json {
        print_json(&changes)?;
        return Ok(ExitCode::SUCCESS);
    }
    if changes.is_empty() {
        eprintln!("no changes to the codebook");
    }
    let mut out = std::io::stdout().lock();
    for c in &changes {
        writeln!(out, "{} {}", c.action, c.what)?;
    }
    Ok(ExitCode::SUCCESS)
}
