//! `thema participants`.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use serde::Serialize;
use thema_core::participant::check_value;
use thema_core::{Participant, Study};

use crate::cli::ParticipantsCommand;
use crate::output::{print_json, with_hint, Table};

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    participant: &'a Participant,
    documents: Vec<&'a str>,
}

pub(crate) fn run(mut study: Study, command: ParticipantsCommand) -> Result<ExitCode> {
    match command {
        ParticipantsCommand::List { json } => {
            let mut documents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for meta in study.documents() {
                for s in &meta.speakers {
                    if let Some(p) = &s.participant {
                        let list = documents.entry(p.as_str()).or_default();
                        if !list.contains(&meta.id.as_str()) {
                            list.push(&meta.id);
                        }
                    }
                }
            }
            let mut rows: Vec<Row> = study
                .participants
                .rows()
                .iter()
                .map(|p| Row { participant: p, documents: documents.get(p.id.as_str()).cloned().unwrap_or_default() })
                .collect();
            rows.sort_by(|a, b| a.participant.id.cmp(&b.participant.id));
            if json {
                print_json(&rows)?;
                return Ok(ExitCode::SUCCESS);
            }
            let columns = &study.participants.attribute_columns;
            let mut header = vec!["id", "pseudonym", "role"];
            header.extend(columns.iter().map(String::as_str));
            header.push("documents");
            let mut table = Table::new(&header);
            for r in &rows {
                let mut cells =
                    vec![r.participant.id.clone(), r.participant.pseudonym.clone(), r.participant.role.clone()];
                cells.extend(columns.iter().map(|c| r.participant.attributes.get(c).cloned().unwrap_or_default()));
                cells.push(r.documents.join(" "));
                table.row(cells);
            }
            if table.is_empty() {
                eprintln!("no participants yet: `thema participants add ID --pseudonym NAME --role ROLE`, or import with `--add-participants`");
            } else {
                table.print(&mut std::io::stdout().lock())?;
            }
        }
        ParticipantsCommand::Table { documents, kinds, median, markdown, json } => {
            return super::analysis::participants_table(&study, &documents, &kinds, median, markdown, json);
        }
        ParticipantsCommand::Set { id, values } => {
            let values = attribute_values(
                &study,
                &values,
                "write `thema participants set P07 left-after=1 reason=\"moved away\"`",
            )?;
            study
                .participants
                .set(&id, &values)
                .map_err(|e| with_hint(anyhow!(e), "`thema participants list` shows who is there"))?;
            study.save_participants()?;
            eprintln!(
                "set {} of participant `{id}`",
                values.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            );
        }
        ParticipantsCommand::Add { id, pseudonym, role, attributes } => {
            let values = attribute_values(&study, &attributes, "write attributes as `--set age=48`")?;
            study
                .participants
                .add(Participant { id: id.clone(), pseudonym, role, attributes: values })
                .map_err(|e| with_hint(anyhow!(e), "`thema participants list` shows who is there"))?;
            study.save_participants()?;
            eprintln!("added participant `{id}`");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `name=value` pairs, each value checked against its attribute's type in `thema.toml`.
fn attribute_values(study: &Study, pairs: &[String], hint: &str) -> Result<BTreeMap<String, String>> {
    let mut values = BTreeMap::new();
    for pair in pairs {
        let (name, value) =
            pair.split_once('=').ok_or_else(|| with_hint(anyhow!("`{pair}` is not `name=value`"), hint.to_owned()))?;
        let (name, value) = (name.trim().to_owned(), value.trim().to_owned());
        if name.is_empty() || matches!(name.as_str(), "id") {
            return Err(with_hint(anyhow!("`{pair}` names no attribute that can be set"), hint.to_owned()));
        }
        if let Some(kind) = study.settings.participant_attributes.get(&name).filter(|_| !value.is_empty()) {
            check_value(*kind, &value).map_err(|e| anyhow!("`{name}`: {e}"))?;
        }
        values.insert(name, value);
    }
    Ok(values)
}
