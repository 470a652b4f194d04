//! `thema segments`: every segment coded under an entry, attributed as papers print quotes.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use thema_core::segment::{attribute, Segment};
use thema_core::Study;

use crate::cli::SegmentsArgs;
use crate::output::{count, print_json, width, with_hint};

pub(crate) fn run(study: &Study, coders: &[String], args: SegmentsArgs) -> Result<ExitCode> {
    let codebook = study.load_codebook()?;
    let entry = codebook.resolve(&args.entry).map_err(|e| with_hint(e, "`thema codebook` shows the entries"))?;
    let under = codebook.descendants(&entry.id);
    let conditions = super::conditions(study, &args.wheres, &args.waves)?;
    let attributor = super::attributor(study, args.attribution.as_deref())?;
    let set = super::coder_set(study, coders)?;
    let codings = study.load_set_codings(&set)?.into_iter().filter(|c| under.contains(&c.code)).collect();
    let mut segments = attribute(study, codings)?;
    segments.retain(|s| s.meets(study, &conditions));
    let order: BTreeMap<&str, u32> = study.documents().iter().map(|d| (d.id.as_str(), d.sequence)).collect();
    segments.sort_by(|a, b| {
        let key = |s: &Segment| {
            (order.get(s.coding.document.as_str()).copied().unwrap_or(u32::MAX), s.coding.start, s.coding.end)
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.coding.code.cmp(&b.coding.code))
            .then_with(|| a.coding.coder.cmp(&b.coding.coder))
    });
    if args.json {
        print_json(&segments)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    let documents: std::collections::BTreeSet<&str> = segments.iter().map(|s| s.coding.document.as_str()).collect();
    let participants: std::collections::BTreeSet<&str> =
        segments.iter().flat_map(|s| s.participants.iter().map(String::as_str)).collect();
    writeln!(
        out,
        "{} ({}): {}, {}, {}",
        entry.name,
        entry.kind.name(),
        count(segments.len(), "segment", "segments"),
        count(documents.len(), "document", "documents"),
        count(participants.len(), "participant", "participants")
    )?;
    let width = width(args.width);
    let wrap = textwrap::Options::new(width.saturating_sub(4)).initial_indent("    ").subsequent_indent("    ");
    let mut groups: Vec<(String, Vec<&Segment>)> = Vec::new();
    for s in &segments {
        // A segment is listed under every participant credited with it.
        let keys: Vec<String> = match args.by.as_deref() {
            Some("participant") if s.participants.is_empty() => vec!["(no participant)".to_owned()],
            Some("participant") => s
                .participants
                .iter()
                .map(|p| study.participants.get(p).map_or_else(|| p.clone(), |person| person.pseudonym.clone()))
                .collect(),
            Some(_) => vec![s.coding.document.clone()],
            None => vec![String::new()],
        };
        for key in keys {
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, list)) => list.push(s),
                None => groups.push((key, vec![s])),
            }
        }
    }
    for (key, list) in groups {
        if !key.is_empty() {
            writeln!(out, "\n== {key} ({})", count(list.len(), "segment", "segments"))?;
        }
        for s in list {
            let name = codebook.get(&s.coding.code).map_or(s.coding.code.as_str(), |e| e.name.as_str());
            let place = s.turn.clone().unwrap_or_else(|| format!("{}:{}", s.coding.document, s.coding.span()));
            writeln!(out, "\n{place}  [{name}]  coder {}", s.coding.coder)?;
            // Each speaker's words, then their attribution: a passage of several speakers reads
            // as the dialogue it is.
            for (words, who) in attributor.parts(s) {
                for line in textwrap::wrap(&format!("“{words}”"), &wrap) {
                    writeln!(out, "{line}")?;
                }
                if !who.is_empty() {
                    writeln!(out, "    {who}")?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
