//! `thema codebook` (the tree with counts, and changes to it) and `thema relate`. Every change
//! is recorded in the decision log.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use serde::Serialize;
use thema_core::codebook::{is_valid_colour, CodebookEntry, EntryKind};
use thema_core::segment::{attribute, counts, EntryCounts};
use thema_core::study::Decision;
use thema_core::{Codebook, Study};

use crate::cli::{CodebookArgs, CodebookCommand, Description, RelateArgs};
use crate::output::{print_json, thousands, with_hint, Table, Whose};

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

fn resolve<'a>(codebook: &'a Codebook, name: &str) -> Result<&'a CodebookEntry> {
    codebook.resolve(name).map_err(|e| with_hint(e, "`thema codebook` shows the entries"))
}

fn apply(entry: &mut CodebookEntry, d: Description) -> Result<Vec<&'static str>> {
    let mut changed = Vec::new();
    let mut set = |field: &mut String, value: Option<String>, name: &'static str| {
        if let Some(v) = value {
            *field = v;
            changed.push(name);
        }
    };
    set(&mut entry.definition, d.definition, "definition");
    set(&mut entry.when_to_use, d.when_to_use, "when to use");
    set(&mut entry.when_not_to_use, d.when_not_to_use, "when not to use");
    set(&mut entry.example, d.example, "example");
    if let Some(colour) = d.colour {
        if !is_valid_colour(&colour) {
            return Err(anyhow!("`{colour}` is not a colour like #1f77b4"));
        }
        entry.colour = Some(colour);
        changed.push("colour");
    }
    if let Some(role) = d.role {
        entry.role = (!role.is_empty()).then_some(role);
        changed.push("role");
    }
    Ok(changed)
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
    let mut codebook = study.load_codebook()?;
    let (action, what, why) = match command {
        CodebookCommand::Add { name, kind, parent, id, in_vivo, description, why } => {
            let kind = EntryKind::from_name(&kind).ok_or_else(|| {
                with_hint(anyhow!("`{kind}` is not a kind of entry"), "use code, category, sub-theme or theme")
            })?;
            let parent = match parent {
                Some(p) => Some(resolve(&codebook, &p)?.id.clone()),
                None => None,
            };
            let id = id.unwrap_or_else(|| codebook.fresh_id(&name));
            let mut entry = CodebookEntry {
                id: id.clone(),
                name: name.trim().to_owned(),
                kind,
                parent,
                in_vivo,
                ..CodebookEntry::default()
            };
            apply(&mut entry, description)?;
            codebook.add(entry)?;
            ("add", format!("{} `{}` ({id})", kind.name(), name.trim()), why)
        }
        CodebookCommand::Rename { entry, name, why } => {
            let id = resolve(&codebook, &entry)?.id.clone();
            let old = codebook.rename(&id, &name)?;
            ("rename", format!("`{old}` to `{}` ({id})", name.trim()), why)
        }
        CodebookCommand::Describe { entry, description, why } => {
            let id = resolve(&codebook, &entry)?.id.clone();
            let mut updated = codebook.get(&id).cloned().unwrap_or_default();
            let changed = apply(&mut updated, description)?;
            if changed.is_empty() {
                return Err(with_hint(
                    anyhow!("nothing to change"),
                    "pass `--definition`, `--when-to-use`, `--when-not-to-use`, `--example`, `--colour` or `--role`",
                ));
            }
            let name = updated.name.clone();
            codebook.entries.retain(|e| e.id != id);
            codebook.entries.push(updated);
            ("describe", format!("{} of `{name}` ({id})", changed.join(", ")), why)
        }
        CodebookCommand::Move { entry, before, after, why, .. } if before.is_some() || after.is_some() => {
            let id = resolve(&codebook, &entry)?.id.clone();
            let (anchor, word) = match (before, after) {
                (Some(b), _) => (b, "before"),
                (None, a) => (a.unwrap_or_default(), "after"),
            };
            let anchor = resolve(&codebook, &anchor)?.id.clone();
            let old = codebook.place(&id, &anchor, word == "after")?;
            let parent = codebook.get(&id).and_then(|e| e.parent.clone());
            let place = if old == parent {
                String::new()
            } else {
                format!(", now under {}", parent.map_or("the top level".to_owned(), |p| format!("`{p}`")))
            };
            ("move", format!("`{id}` {word} `{anchor}`{place}"), why)
        }
        CodebookCommand::Move { entry, to, why, .. } => {
            let id = resolve(&codebook, &entry)?.id.clone();
            let parent = match to {
                Some(p) => Some(resolve(&codebook, &p)?.id.clone()),
                None => None,
            };
            codebook.move_to(&id, parent.as_deref())?;
            let place = parent.map_or("the top level".to_owned(), |p| format!("`{p}`"));
            ("move", format!("`{id}` under {place}"), why)
        }
        CodebookCommand::Merge { entry, into, why } => {
            let from = resolve(&codebook, &entry)?.id.clone();
            let into = resolve(&codebook, &into)?.id.clone();
            codebook.merge(&from, &into)?;
            let moved = rewrite_codings(study, |c| {
                if c.code == from {
                    c.code = into.clone();
                    Some(true)
                } else {
                    Some(false)
                }
            })?;
            ("merge", format!("`{from}` into `{into}` ({} moved)", count_codings(moved)), why)
        }
        CodebookCommand::Diff { .. } | CodebookCommand::Import { .. } => unreachable!("handled above"),
        CodebookCommand::Delete { entry, force, why } => {
            let id = resolve(&codebook, &entry)?.id.clone();
            let mut used: std::collections::BTreeMap<String, usize> = Default::default();
            for c in study.load_codings()?.iter().filter(|c| c.code == id) {
                *used.entry(c.coder.clone()).or_default() += 1;
            }
            let children: Vec<String> = codebook
                .entries
                .iter()
                .filter(|e| e.parent.as_deref() == Some(id.as_str()))
                .map(|e| format!("`{}`", e.id))
                .collect();
            if !force && (!used.is_empty() || !children.is_empty()) {
                let mut consequences = Vec::new();
                if !children.is_empty() {
                    let to = match codebook.get(&id).and_then(|e| e.parent.clone()) {
                        Some(parent) => format!("`{parent}`"),
                        None => "the top level".to_owned(),
                    };
                    consequences.push(format!(
                        "its {} would move up to {to}: {}",
                        crate::output::count(children.len(), "child", "children"),
                        children.join(", ")
                    ));
                }
                if !used.is_empty() {
                    let by: Vec<String> = used.iter().map(|(coder, n)| format!("{coder} {n}")).collect();
                    consequences.push(format!(
                        "{} would be deleted ({})",
                        count_codings(used.values().sum()),
                        by.join(", ")
                    ));
                }
                return Err(with_hint(
                    anyhow!("deleting `{id}` changes more than the entry: {}", consequences.join("; ")),
                    format!("pass `--force` to delete it anyway (`thema undo` reverts it), or merge it into another entry with `thema codebook merge {id} --into OTHER`"),
                ));
            }
            let removed = codebook.delete(&id)?;
            let dropped = rewrite_codings(study, |c| if c.code == id { None } else { Some(false) })?;
            (
                "delete",
                format!("{} `{}` ({id}; {} deleted)", removed.kind.name(), removed.name, count_codings(dropped)),
                why,
            )
        }
    };
    study.save_codebook(&codebook)?;
    log(study, &coder, action, what.clone(), why)?;
    eprintln!("{action}: {what}");
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

fn count_codings(n: usize) -> String {
    crate::output::count(n, "coding", "codings")
}

/// Rewrite every coder's codings: the closure returns `None` to drop a coding, `Some(true)` when
/// it changed it. Returns how many were changed or dropped.
fn rewrite_codings(study: &Study, mut f: impl FnMut(&mut thema_core::Coding) -> Option<bool>) -> Result<usize> {
    let mut touched = 0;
    for coder in study.coders()? {
        let codings = study.load_coder_codings(&coder)?;
        let before = codings.len();
        let mut kept = Vec::with_capacity(before);
        let mut changed = 0;
        for mut c in codings {
            match f(&mut c) {
                Some(true) => {
                    changed += 1;
                    kept.push(c);
                }
                Some(false) => kept.push(c),
                None => {}
            }
        }
        if changed > 0 || kept.len() != before {
            touched += changed + (before - kept.len());
            study.save_coder_codings(&coder, &kept)?;
        }
    }
    Ok(touched)
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
    let mut codebook = study.load_codebook()?;
    let from = resolve(&codebook, &args.from)?.id.clone();
    let to = resolve(&codebook, &args.to)?.id.clone();
    codebook.relate(&from, &to, &args.label, &args.note)?;
    study.save_codebook(&codebook)?;
    let what = format!("`{from}` {} `{to}`", args.label.trim());
    log(study, &coder, "relate", what.clone(), args.why)?;
    eprintln!("relate: {what}");
    Ok(ExitCode::SUCCESS)
}

/// A version of the codebook: a file, or `codebook.toml` at a git revision.
fn codebook_at(study: &Study, version: &str) -> Result<Codebook> {
    thema_core::revision::codebook_at(study, version).map_err(|e| match e.hint() {
        Some(hint) => with_hint(e, hint),
        None => e.into(),
    })
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
