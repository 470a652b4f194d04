//! `thema memo`: memos attached to the study, a document, a turn or a codebook entry.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use serde::Serialize;
use thema_core::memo::{Attachment, Memo, MemoHeader};
use thema_core::{Study, TurnId};

use crate::cli::{MemoCommand, MemoTarget};
use crate::output::{print_json, shorten, with_hint, Table};

/// The attachment a target names, checked against the study.
fn attachment(study: &Study, target: &MemoTarget) -> Result<Option<Attachment>> {
    if let Some(doc) = &target.doc {
        study.known_document(doc).map_err(|e| with_hint(e, "`thema ls` lists the documents"))?;
        return Ok(Some(Attachment::Document(doc.clone())));
    }
    if let Some(turn) = &target.turn {
        let id: TurnId = turn.parse().map_err(|e: String| anyhow!(e))?;
        let document = study.load_document(&id.document).map_err(|e| with_hint(e, "`thema ls` lists the documents"))?;
        document.turn(id.number).ok_or_else(|| anyhow!("`{}` has no turn {}", id.document, id.number))?;
        return Ok(Some(Attachment::Turn(id)));
    }
    if let Some(code) = &target.code {
        let codebook = study.load_codebook()?;
        let entry = codebook.resolve(code).map_err(|e| with_hint(e, "`thema codebook` shows the entries"))?;
        return Ok(Some(Attachment::Entry(entry.id.clone())));
    }
    Ok(None)
}

/// Text written in the user's editor.
fn from_editor(title: &str) -> Result<String> {
    let editor = std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).map_err(|_| {
        with_hint(
            anyhow!("no editor: neither `VISUAL` nor `EDITOR` is set"),
            "set one (`export EDITOR=nano`), or give the text as an argument",
        )
    })?;
    let path = std::env::temp_dir().join(format!("thema-memo-{}.md", std::process::id()));
    std::fs::write(&path, format!("<!-- {title}: write the memo below; save and quit to keep it -->\n"))?;
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(&path)
        .status()
        .with_context(|| format!("cannot start `{editor}`"))?;
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    if !status.success() {
        bail!("`{editor}` exited with {status}; no memo written");
    }
    Ok(text.lines().filter(|l| !l.starts_with("<!-- ")).collect::<Vec<_>>().join("\n"))
}

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    header: &'a MemoHeader,
    body: &'a str,
}

pub(crate) fn run(study: &Study, coder: Option<String>, command: MemoCommand) -> Result<ExitCode> {
    match command {
        MemoCommand::Add { title, text, target, kind, edit } => {
            let author = super::coder(study, coder)?;
            let on = attachment(study, &target)?.unwrap_or(Attachment::Project);
            let body = match text {
                Some(t) => t,
                None if edit => from_editor(&title)?,
                None if !std::io::stdin().is_terminal() => {
                    let mut t = String::new();
                    std::io::stdin().read_to_string(&mut t)?;
                    t
                }
                None => {
                    return Err(with_hint(
                        anyhow!("the memo has no text"),
                        "give it as an argument, pipe it in, or pass `--edit`",
                    ))
                }
            };
            if body.trim().is_empty() {
                bail!("the memo is empty; nothing written");
            }
            let id = study.next_memo_id()?;
            let memo = Memo {
                header: MemoHeader {
                    id: id.clone(),
                    title,
                    on: on.to_string(),
                    author,
                    time: thema_core::coding::now(),
                    kind,
                },
                body,
            };
            study.save_memo(&memo)?;
            eprintln!("wrote memo {id} on {on} (memos/{id}.md)");
        }
        MemoCommand::List { target, grep, json } => {
            let wanted = attachment(study, &target)?;
            let words: Vec<String> = grep.as_deref().unwrap_or("").split_whitespace().map(str::to_lowercase).collect();
            let memos: Vec<Memo> = study
                .load_memos()?
                .into_iter()
                .filter(|m| wanted.as_ref().is_none_or(|w| &m.attachment() == w))
                .filter(|m| {
                    let text = format!("{}\n{}", m.header.title, m.body).to_lowercase();
                    words.iter().all(|w| text.contains(w.as_str()))
                })
                .collect();
            if json {
                let rows: Vec<Row> = memos.iter().map(|m| Row { header: &m.header, body: &m.body }).collect();
                print_json(&rows)?;
                return Ok(ExitCode::SUCCESS);
            }
            if memos.is_empty() && grep.is_some() {
                eprintln!("no memo mentions “{}”", grep.as_deref().unwrap_or_default());
                return Ok(ExitCode::SUCCESS);
            }
            if memos.is_empty() {
                eprintln!("no memos yet: `thema memo add TITLE \"text\" [--doc D | --turn D:T7 | --code C]`");
                return Ok(ExitCode::SUCCESS);
            }
            let mut table = Table::new(&["id", "on", "author", "time", "title", "begins"]);
            for m in &memos {
                table.row(vec![
                    m.header.id.clone(),
                    m.header.on.clone(),
                    m.header.author.clone(),
                    m.header.time.clone(),
                    m.header.title.clone(),
                    shorten(m.body.trim(), 40),
                ]);
            }
            table.print(&mut std::io::stdout().lock())?;
        }
        MemoCommand::Show { id } => {
            let memo = study
                .load_memos()?
                .into_iter()
                .find(|m| m.header.id == id)
                .ok_or_else(|| with_hint(anyhow!("no memo `{id}`"), "`thema memo list` lists them"))?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{} — {}", memo.header.id, memo.header.title)?;
            writeln!(
                out,
                "on {}, by {}, {}{}",
                memo.header.on,
                memo.header.author,
                memo.header.time,
                if memo.header.kind.is_empty() { String::new() } else { format!(", {}", memo.header.kind) }
            )?;
            writeln!(out)?;
            write!(out, "{}", memo.body)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
