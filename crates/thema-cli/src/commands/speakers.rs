//! `thema speakers` and `thema link`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use serde::Serialize;
use thema_core::Study;

use crate::cli::{LinkArgs, SpeakersArgs};
use crate::output::{count, print_json, thousands, with_hint, Table};

#[derive(Serialize)]
struct Row {
    document: String,
    label: String,
    turns: usize,
    link: String,
    pseudonym: Option<String>,
    role: Option<String>,
}

pub(crate) fn run(study: &Study, args: SpeakersArgs) -> Result<ExitCode> {
    let metas: Vec<_> = match &args.document {
        Some(id) => vec![study
            .document_meta(id)
            .ok_or_else(|| with_hint(anyhow!("no document `{id}` in this study"), "`thema ls` lists the documents"))?],
        None => study.documents().iter().collect(),
    };
    let mut rows = Vec::new();
    for meta in metas {
        let turns = study.load_turns(&meta.id)?;
        for s in &meta.speakers {
            if args.unlinked && (s.participant.is_some() || s.interviewer) {
                continue;
            }
            let participant = s.participant.as_deref().and_then(|id| study.participants.get(id));
            rows.push(Row {
                document: meta.id.clone(),
                label: s.label.clone(),
                turns: turns.iter().filter(|t| t.speaker.as_deref() == Some(s.label.as_str())).count(),
                link: s.link_label(),
                pseudonym: participant.map(|p| p.pseudonym.clone()),
                role: participant.map(|p| p.role.clone()),
            });
        }
    }
    if args.json {
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["document", "label", "turns", "participant", "pseudonym", "role"]);
    for r in &rows {
        table.row(vec![
            r.document.clone(),
            r.label.clone(),
            thousands(r.turns),
            r.link.clone(),
            r.pseudonym.clone().unwrap_or_default(),
            r.role.clone().unwrap_or_default(),
        ]);
    }
    if table.is_empty() {
        eprintln!("{}", if args.unlinked { "every speaker label is linked" } else { "no speaker labels" });
    } else {
        table.print(&mut std::io::stdout().lock())?;
    }
    let unlinked = rows.iter().filter(|r| r.link == "unlinked").count();
    if unlinked > 0 {
        writeln!(
            std::io::stderr(),
            "{} unlinked: `thema link DOCUMENT LABEL PARTICIPANT`, or `--interviewer`",
            count(unlinked, "label", "labels")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn link(mut study: Study, args: LinkArgs) -> Result<ExitCode> {
    let mut meta = study.document_meta(&args.document).cloned().ok_or_else(|| {
        with_hint(anyhow!("no document `{}` in this study", args.document), "`thema ls` lists the documents")
    })?;
    let labels: Vec<String> = meta.speakers.iter().map(|s| format!("`{}`", s.label)).collect();
    let speaker = meta.speakers.iter_mut().find(|s| s.label == args.label).ok_or_else(|| {
        with_hint(
            anyhow!("document `{}` has no speaker label `{}`", args.document, args.label),
            format!("its labels are {}", labels.join(", ")),
        )
    })?;
    let message = if args.interviewer {
        speaker.participant = None;
        speaker.interviewer = true;
        format!("`{}` in `{}` is the interviewer", args.label, args.document)
    } else if args.unlink {
        speaker.participant = None;
        speaker.interviewer = false;
        format!("`{}` in `{}` is now unlinked", args.label, args.document)
    } else {
        let id = args.participant.clone().unwrap_or_default();
        let participant = study.participants.get(&id).ok_or_else(|| {
            with_hint(
                anyhow!("no participant `{id}` in `participants.csv`"),
                format!("add them with `thema participants add {id} --pseudonym NAME --role ROLE`"),
            )
        })?;
        let message = format!(
            "`{}` in `{}` is {} ({}, {})",
            args.label, args.document, participant.id, participant.pseudonym, participant.role
        );
        speaker.participant = Some(id);
        speaker.interviewer = false;
        message
    };
    study.save_meta(&meta)?;
    eprintln!("{message}");
    Ok(ExitCode::SUCCESS)
}
