//! `thema segments`: every segment coded under an entry, attributed as papers print quotes.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use thema_analysis::segment_list::{self, GroupBy};
use thema_core::Study;

use crate::cli::SegmentsArgs;
use crate::output::{count, print_json, width, with_hint};

pub(crate) fn run(study: &Study, coders: &[String], args: SegmentsArgs) -> Result<ExitCode> {
    let codebook = study.load_codebook()?;
    let entry = codebook.resolve(&args.entry).map_err(|e| with_hint(e, "`thema codebook` shows the entries"))?;
    let conditions = super::conditions(study, &args.wheres, &args.waves)?;
    let attributor = super::attributor(study, args.attribution.as_deref())?;
    let set = super::coder_set(study, coders)?;
    let segments = segment_list::under(study, &set, &codebook, &entry.id, &conditions)?;
    if args.json {
        print_json(&segments)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    let counts = segment_list::counts(&segments);
    writeln!(
        out,
        "{} ({}): {}, {}, {}",
        entry.name,
        entry.kind.name(),
        count(counts.segments, "segment", "segments"),
        count(counts.documents, "document", "documents"),
        count(counts.participants, "participant", "participants")
    )?;
    let width = width(args.width);
    let wrap = textwrap::Options::new(width.saturating_sub(4)).initial_indent("    ").subsequent_indent("    ");
    // `--by` takes only the names of a `GroupBy` (clap checks them).
    let by = args.by.as_deref().and_then(GroupBy::from_name);
    for (key, list) in segment_list::groups(study, &segments, by) {
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
