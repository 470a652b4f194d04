//! `thema speakers` and `thema link`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use serde::Serialize;
use thema_core::link::LinkTo;
use thema_core::Study;

use crate::cli::{LinkArgs, SpeakersArgs};
use crate::output::{count, hinted, print_json, thousands, with_hint, Table};

#[derive(Serialize)]
struct Row {
    document: String,
    label: String,
    turns: usize,
    link: String,
    pseudonym: Option<String>,
    role: Option<String>,
    /// The label of the same document this one is probably a typo of.
    #[serde(skip_serializing_if = "Option::is_none")]
    typo_of: Option<String>,
}

pub(crate) fn run(study: &Study, args: SpeakersArgs) -> Result<ExitCode> {
    let metas: Vec<_> = match &args.document {
        Some(id) => vec![study.known_document(id).map_err(|e| with_hint(e, "`thema ls` lists the documents"))?],
        None => study.documents().iter().collect(),
    };
    let mut rows = Vec::new();
    let mut typos = Vec::new();
    for meta in metas {
        let turns = study.load_turns(&meta.id)?;
        let count_of = |label: &str| turns.iter().filter(|t| t.speaker.as_deref() == Some(label)).count();
        let counts: Vec<(&str, usize)> = meta.speakers.iter().map(|s| (s.label.as_str(), count_of(&s.label))).collect();
        let found = thema_core::suggest::label_typos(&counts);
        for typo in &found {
            typos.push(format!(
                "`{}`: speaker label `{}` ({}) is probably a typo of `{}` ({})",
                meta.id,
                typo.label,
                count(typo.turns, "turn", "turns"),
                typo.meant,
                count(typo.meant_turns, "turn", "turns")
            ));
        }
        for (s, &(_, turns)) in meta.speakers.iter().zip(&counts) {
            if args.unlinked && (s.participant.is_some() || s.interviewer) {
                continue;
            }
            let participant = s.participant.as_deref().and_then(|id| study.participants.get(id));
            rows.push(Row {
                document: meta.id.clone(),
                label: s.label.clone(),
                turns,
                link: s.link_label(),
                pseudonym: participant.map(|p| p.pseudonym.clone()),
                role: participant.map(|p| p.role.clone()),
                typo_of: found.iter().find(|t| t.label == s.label).map(|t| t.meant.to_owned()),
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
    for typo in &typos {
        eprintln!("warning: {typo}");
    }
    if !typos.is_empty() {
        eprintln!(
            "hint: correct the transcript and `thema import --replace` it, or link the label with `thema link DOC LABEL PARTICIPANT`"
        );
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
    let with_participant = !args.interviewer && !args.unlink;
    let expected = usize::from(!args.all) + 1 + usize::from(with_participant);
    if args.words.len() != expected {
        let usage = match (args.all, with_participant) {
            (false, true) => "thema link DOC LABEL PARTICIPANT",
            (false, false) => "thema link DOC LABEL --interviewer (or --unlink)",
            (true, true) => "thema link LABEL PARTICIPANT --all",
            (true, false) => "thema link LABEL --all --interviewer (or --unlink)",
        };
        return Err(with_hint(
            anyhow!("`thema link` needs {expected} values here, got {}: {}", args.words.len(), args.words.join(" ")),
            format!("write `{usage}`"),
        ));
    }
    let mut words = args.words.into_iter();
    let mut next = || words.next().unwrap_or_default();
    let document = if args.all { None } else { Some(next()) };
    let label = next();
    let to = if args.interviewer {
        LinkTo::Interviewer
    } else if args.unlink {
        LinkTo::Unlinked
    } else {
        LinkTo::Participant(next())
    };
    let linked = thema_core::link::link(&mut study, document.as_deref(), &label, &to).map_err(hinted)?;
    let what = &linked.what;
    match linked.documents.as_slice() {
        [one] => eprintln!("`{label}` in `{one}` is {what}"),
        many => {
            let documents: Vec<String> = many.iter().map(|m| format!("`{m}`")).collect();
            let unchanged = many.len() - linked.changed.len();
            eprintln!(
                "`{label}` is {what} in {}: {}{}",
                count(many.len(), "document", "documents"),
                documents.join(", "),
                if unchanged == 0 { String::new() } else { format!(" ({unchanged} already so)") }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
