//! `thema segments`: every segment coded under an entry, attributed as papers print quotes.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::ser::{SerializeSeq, Serializer};
use thema_analysis::document_blocks::BLOCK;
use thema_analysis::segment_list::{self, GroupBy, Listing};
use thema_core::Study;

use crate::cli::SegmentsArgs;
use crate::output::{count, width, with_hint};

/// The segments are attributed a block of documents at a time and printed as they come: the
/// JSON array an element at a time, the text into each group's text, since the heading line
/// counts what follows it (the text of a whole theme of 10,000 documents, 240 MB, is a third
/// of its segments).
pub(crate) fn run(study: &Study, coders: &[String], args: SegmentsArgs) -> Result<ExitCode> {
    let codebook = study.load_codebook()?;
    let entry = codebook.resolve(&args.entry).map_err(|e| with_hint(e, "`thema codebook` shows the entries"))?;
    let conditions = super::conditions(study, &args.wheres, &args.waves)?;
    let attributor = super::attributor(study, args.attribution.as_deref())?;
    let set = super::coder_set(study, coders)?;
    let blocks = segment_list::in_blocks(study, &set, &codebook, &entry.id, &conditions, BLOCK)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        // As `serde_json::to_writer_pretty` writes the whole list.
        let mut json = serde_json::Serializer::pretty(&mut out);
        let mut list = json.serialize_seq(None)?;
        for block in blocks {
            for s in &block? {
                list.serialize_element(s)?;
            }
        }
        list.end()?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let width = width(args.width);
    let wrap = textwrap::Options::new(width.saturating_sub(4)).initial_indent("    ").subsequent_indent("    ");
    // `--by` takes only the names of a `GroupBy` (clap checks them).
    let mut listing: Listing<String> = Listing::new(args.by.as_deref().and_then(GroupBy::from_name));
    let mut text = String::new();
    for block in blocks {
        for s in &block? {
            text.clear();
            let name = codebook.get(&s.coding.code).map_or(s.coding.code.as_str(), |e| e.name.as_str());
            let place = s.turn.clone().unwrap_or_else(|| format!("{}:{}", s.coding.document, s.coding.span()));
            writeln!(text, "\n{place}  [{name}]  coder {}", s.coding.coder)?;
            // Each speaker's words, then their attribution: a passage of several speakers reads
            // as the dialogue it is.
            for (words, who) in attributor.parts(s) {
                for line in textwrap::wrap(&format!("“{words}”"), &wrap) {
                    writeln!(text, "{line}")?;
                }
                if !who.is_empty() {
                    writeln!(text, "    {who}")?;
                }
            }
            listing.add(study, s, |group: &mut String| group.push_str(&text));
        }
    }
    let counts = listing.counts();
    writeln!(
        out,
        "{} ({}): {}, {}, {}",
        entry.name,
        entry.kind.name(),
        count(counts.segments, "segment", "segments"),
        count(counts.documents, "document", "documents"),
        count(counts.participants, "participant", "participants")
    )?;
    for (key, n, text) in listing.into_groups() {
        if !key.is_empty() {
            writeln!(out, "\n== {key} ({})", count(n, "segment", "segments"))?;
        }
        out.write_all(text.as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
