//! `thema show`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use serde::Serialize;
use thema_core::{Document, Study};

use crate::cli::ShowArgs;
use crate::output::{print_json, width, with_hint};

/// An inclusive range of turn numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TurnRange {
    pub(crate) first: u32,
    pub(crate) last: u32,
}

/// Parse `17`, `10..20`, `10..`, `..5` (inclusive) for a document with `count` turns.
pub(crate) fn parse_range(text: &str, count: u32) -> Result<TurnRange, String> {
    let number = |s: &str, default: u32| -> Result<u32, String> {
        let s = s.trim().trim_start_matches(['T', 't']);
        if s.is_empty() {
            Ok(default)
        } else {
            s.parse().map_err(|_| format!("`{text}` is not a turn range like `10..20`"))
        }
    };
    let (first, last) = match text.split_once("..") {
        Some((a, b)) => (number(a, 1)?, number(b.trim_start_matches('='), count)?),
        None => {
            let n = number(text, 0)?;
            (n, n)
        }
    };
    if first == 0 || first > last {
        return Err(format!("`{text}` is not a turn range like `10..20`"));
    }
    if first > count {
        return Err(format!("the document has {count} turns, so `{text}` selects none"));
    }
    Ok(TurnRange { first, last: last.min(count) })
}

#[derive(Serialize)]
struct TurnOut<'a> {
    id: String,
    speaker: Option<&'a str>,
    participant: Option<&'a str>,
    start: usize,
    end: usize,
    time_start: Option<String>,
    time_end: Option<String>,
    text: &'a str,
}

/// Columns of the codes margin of `--codes`.
const MARGIN: usize = 28;

pub(crate) fn run(study: &Study, coder: Option<String>, args: ShowArgs) -> Result<ExitCode> {
    let document = study.load_document(&args.document).map_err(|e| with_hint(e, "`thema ls` lists the documents"))?;
    let count = document.turns.len() as u32;
    let range = match &args.turns {
        Some(text) => parse_range(text, count).map_err(|e| anyhow!(e))?,
        None => TurnRange { first: 1, last: count },
    };
    let texts = document.turn_texts();
    let selected = texts.iter().filter(|(t, _)| t.number >= range.first && t.number <= range.last);
    if args.json {
        let turns: Vec<TurnOut> = selected
            .map(|(t, text)| TurnOut {
                id: document.turn_id(t.number),
                speaker: t.speaker.as_deref(),
                participant: t
                    .speaker
                    .as_deref()
                    .and_then(|l| document.speaker(l))
                    .and_then(|s| s.participant.as_deref()),
                start: t.span.start,
                end: t.span.end,
                time_start: t.time_start.map(|x| x.to_string()),
                time_end: t.time_end.map(|x| x.to_string()),
                text,
            })
            .collect();
        print_json(&turns)?;
        return Ok(ExitCode::SUCCESS);
    }
    let wrap = !args.no_wrap && args.width != Some(0);
    let codings = if args.codes {
        let coder = super::coder(study, coder)?;
        let mut mine = study.load_coder_codings(&coder)?;
        mine.retain(|c| c.document == document.meta.id);
        mine
    } else {
        Vec::new()
    };
    let margin_width = if args.codes && wrap { MARGIN + 3 } else { 0 };
    let width = width(args.width).saturating_sub(margin_width).max(20);
    let mut out = std::io::stdout().lock();
    let meta = &document.meta;
    let mut facts = vec![meta.kind.clone()];
    facts.extend(meta.date.clone());
    facts.extend(meta.wave.map(|w| format!("wave {w}")));
    writeln!(out, "{} — {} ({})", meta.id, meta.title, facts.join(", "))?;
    // Never break inside a word or at its hyphen, so that text copied from here is found again
    // by `--quote` (which forgives the line breaks and the indent, not a split word).
    let options = textwrap::Options::new(width.saturating_sub(4))
        .initial_indent("    ")
        .subsequent_indent("    ")
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for (turn, text) in selected {
        writeln!(out)?;
        let time = turn.time_start.map(|t| format!("  [{t}]")).unwrap_or_default();
        let span = if args.spans { format!("  {}..{}", turn.span.start, turn.span.end) } else { String::new() };
        let margin = codes_of(&codings, turn.span);
        let listed = if args.codes && !wrap && !margin.is_empty() {
            format!("  [{}]", margin.join(", "))
        } else {
            String::new()
        };
        let heading = format!(
            "{}  {}{time}{span}{listed}",
            document.turn_id(turn.number),
            who(study, &document, turn.speaker.as_deref())
        );
        writeln!(out, "{heading}")?;
        let mut lines: Vec<String> = Vec::new();
        for paragraph in text.split('\n') {
            if paragraph.trim().is_empty() {
                lines.push(String::new());
            } else if wrap {
                lines.extend(textwrap::wrap(paragraph, &options).into_iter().map(|l| l.into_owned()));
            } else {
                lines.push(format!("    {paragraph}"));
            }
        }
        if margin_width == 0 {
            for line in lines {
                writeln!(out, "{line}")?;
            }
            continue;
        }
        let rows = lines.len().max(margin.len());
        for i in 0..rows {
            let line = lines.get(i).map_or("", String::as_str);
            match margin.get(i) {
                Some(code) => {
                    let pad = width.saturating_sub(textwrap::core::display_width(line));
                    writeln!(out, "{line}{:pad$} │ {code}", "")?
                }
                None => writeln!(out, "{line}")?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The codes of the codings that overlap a turn, in the order they start: `way-out` for a
/// coding of the whole turn, `way-out 130..162` for part of it.
fn codes_of(codings: &[thema_core::Coding], turn: thema_core::Span) -> Vec<String> {
    codings
        .iter()
        .filter(|c| c.span().overlaps(turn))
        .map(|c| {
            if c.span().encloses(turn) {
                crate::output::shorten(&c.code, MARGIN)
            } else {
                let at = format!(" {}..{}", c.start, c.end);
                format!("{}{at}", crate::output::shorten(&c.code, MARGIN.saturating_sub(at.chars().count())))
            }
        })
        .collect()
}

/// `Simon (Peer Mentor)`, `Interviewer (interviewer)`, `P3 (unlinked)`, `(unattributed)`.
fn who(study: &Study, document: &Document, label: Option<&str>) -> String {
    let Some(label) = label else { return "(unattributed)".to_owned() };
    match document.speaker(label) {
        Some(s) if s.interviewer => format!("{label} (interviewer)"),
        Some(s) => match s.participant.as_deref().and_then(|id| study.participants.get(id)) {
            Some(p) if p.pseudonym == label => format!("{label} ({})", p.role),
            Some(p) => format!("{label} = {} ({})", p.pseudonym, p.role),
            None => format!("{label} (unlinked)"),
        },
        None => format!("{label} (unlinked)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("10..20", 30), Ok(TurnRange { first: 10, last: 20 }));
        assert_eq!(parse_range("10..", 30), Ok(TurnRange { first: 10, last: 30 }));
        assert_eq!(parse_range("..5", 30), Ok(TurnRange { first: 1, last: 5 }));
        assert_eq!(parse_range("T7", 30), Ok(TurnRange { first: 7, last: 7 }));
        assert_eq!(parse_range("25..40", 30), Ok(TurnRange { first: 25, last: 30 }));
        assert!(parse_range("40..50", 30).unwrap_err().contains("has 30 turns"));
        assert!(parse_range("5..2", 30).is_err());
        assert!(parse_range("x", 30).is_err());
    }
}
