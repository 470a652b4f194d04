//! `thema code` and `thema invivo`: apply a code to a quote, a turn or a span.

use std::process::ExitCode;

use anyhow::{anyhow, Result};
use thema_core::coding::{now, Placed};
use thema_core::passage::{turn_at, PassageError};
use thema_core::{Coding, Document, Span, Study};

use crate::cli::{CodeArgs, InvivoArgs, InvivoCommand, Passage};
use crate::output::{hinted, with_hint};

/// The library's passage, from the command line's.
fn passage(given: &Passage) -> thema_core::passage::Passage {
    thema_core::passage::Passage {
        document: given.doc.clone(),
        quote: given.quote.clone(),
        occurrence: given.occurrence,
        turn: given.turn.clone(),
        span: given.span.clone(),
    }
}

/// Find the span a passage names, in its document. With `json`, an ambiguous quote prints
/// every occurrence as JSON on stdout before the error.
pub(crate) fn locate(study: &Study, given: &Passage, json: bool) -> Result<(Document, Span)> {
    match thema_core::passage::locate(study, &passage(given)) {
        Ok(found) => Ok(found),
        Err(PassageError::Ambiguous { quote, document, occurrences, .. }) if json => {
            crate::output::print_json(&occurrences)?;
            Err(hinted(PassageError::Ambiguous { quote, document, occurrences, all_printed: true }))
        }
        Err(e) => Err(hinted(e)),
    }
}

/// Add a coding for a coder by the rule of one coding per passage per code per coder
/// (`thema_core::coding::place`), saying what happened.
fn add_coding(study: &Study, document: &Document, coding: Coding, name: &str) -> Result<()> {
    let (coder, quote, start) = (coding.coder.clone(), coding.quote.clone(), coding.start);
    let placed = thema_core::passage::add_coding(study, document, coding, name).map_err(hinted)?;
    eprintln!("{}", placed_message(document, placed, start, &quote, name, &coder));
    Ok(())
}

/// What [`place`] did, in words: "coded … in fg1:T2", "extended the coding at fg1:T2 …".
pub(crate) fn placed_message(
    document: &Document,
    placed: Placed,
    start: usize,
    quote: &str,
    name: &str,
    coder: &str,
) -> String {
    let quote = crate::output::shorten(quote, 80);
    match placed {
        Placed::Added => format!("coded “{quote}” in {} with `{name}` (coder {coder})", turn_at(document, start)),
        Placed::Extended(span) => format!(
            "extended the coding at {} with `{name}` to {span} to take in “{quote}” (coder {coder}: one coding a passage)",
            turn_at(document, span.start)
        ),
        Placed::Covered(span) => format!(
            "“{quote}” is inside the coding at {} with `{name}` ({span}); kept as one coding (coder {coder})",
            turn_at(document, span.start)
        ),
    }
}

pub(crate) fn code(study: &Study, coder: Option<String>, args: CodeArgs) -> Result<ExitCode> {
    let coder = super::coder(study, coder)?;
    let codebook = study.load_codebook()?;
    let entry = codebook.resolve(&args.code).map_err(|e| {
        with_hint(
            e,
            format!(
                "`thema codebook` lists the entries; a new code is added with `thema codebook add \"{}\"`, or coded in vivo with `thema invivo`",
                args.code
            ),
        )
    })?;
    let (document, span) = locate(study, &args.passage, args.json)?;
    let mut coding = Coding::new(&document, span, &entry.id, &coder, &now())?;
    coding.memo = args.passage.memo.clone();
    add_coding(study, &document, coding, &entry.name)?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn invivo(study: &Study, coder: Option<String>, args: InvivoArgs) -> Result<ExitCode> {
    if let Some(InvivoCommand::Suggest { min_count, limit, documents, wheres, waves, json }) = args.command {
        return suggest(study, min_count, limit, &documents, (&wheres, &waves), json);
    }
    let coder = super::coder(study, coder)?;
    let (Some(document_id), Some(quote)) = (args.document.clone(), args.quote.clone()) else {
        return Err(with_hint(anyhow!("which words?"), "`thema invivo DOC --quote \"...\"`"));
    };
    let passage = Passage {
        doc: Some(document_id),
        quote: Some(quote.clone()),
        occurrence: args.occurrence,
        turn: args.turn.clone(),
        span: None,
        memo: args.memo.clone(),
    };
    // Find the words before changing the codebook, so a missing quote changes nothing.
    let (document, span) = locate(study, &passage, args.json)?;
    let (id, name, added) =
        thema_core::passage::in_vivo_code(study, &document, span, args.parent.as_deref()).map_err(hinted)?;
    if added {
        super::codebook::log(study, &coder, "add", format!("in-vivo code `{name}` ({id})"), None)?;
        eprintln!("add: in-vivo code “{name}” ({id})");
    }
    let mut coding = Coding::new(&document, span, &id, &coder, &now())?;
    coding.memo = args.memo;
    add_coding(study, &document, coding, &name)?;
    Ok(ExitCode::SUCCESS)
}

fn suggest(
    study: &Study,
    min_count: usize,
    limit: usize,
    only: &[String],
    (wheres, waves): (&[String], &[u32]),
    json: bool,
) -> Result<ExitCode> {
    let conditions = super::conditions(study, wheres, waves)?;
    let mut chosen = Vec::new();
    for id in only {
        let meta = study.known_document(id).map_err(|e| with_hint(e, "`thema ls` lists the documents"))?;
        if !chosen.contains(&meta.id) {
            chosen.push(meta.id.clone());
        }
    }
    let mut documents = Vec::new();
    for meta in study.documents().iter().filter(|m| chosen.is_empty() || chosen.contains(&m.id)) {
        documents.push(study.load_document(&meta.id)?);
    }
    let keep = |document: &Document, speaker: &thema_core::Speaker| {
        let person = speaker.participant.as_deref().and_then(|p| study.participants.get(p));
        conditions.iter().all(|c| c.holds(&document.meta, person, speaker.interviewer))
    };
    let suggestions = thema_core::invivo::suggest(&documents, min_count, limit, &keep);
    if json {
        crate::output::print_json(&suggestions)?;
        return Ok(ExitCode::SUCCESS);
    }
    if suggestions.is_empty() {
        let within =
            if only.is_empty() && conditions.is_empty() { "" } else { " of the documents and speakers chosen" };
        eprintln!("no phrase of 2 to 6 words occurs {min_count} times or more in participants' speech{within}");
        return Ok(ExitCode::SUCCESS);
    }
    let mut table =
        crate::output::Table::new(&["phrase", "count", "speakers", "documents", "G²", "most in", "examples"]);
    for s in &suggestions {
        table.row(vec![
            s.phrase.clone(),
            s.count.to_string(),
            s.speakers.to_string(),
            s.documents.to_string(),
            format!("{:.2}", s.keyness),
            s.key_document.clone(),
            s.examples.join(" "),
        ]);
    }
    table.print(&mut std::io::stdout().lock())?;
    eprintln!("code one with `thema invivo DOC --quote \"...\"` (as the words appear in the text)");
    Ok(ExitCode::SUCCESS)
}

/// `thema uncode`: remove the coder's coding with a code from a passage. A coding inside the
/// passage goes; one that reaches beyond it keeps what lies outside (shortened, or split in two
/// when the passage is in its middle), each part with its whitespace trimmed.
pub(crate) fn uncode(study: &Study, coder: Option<String>, args: CodeArgs) -> Result<ExitCode> {
    let coder = super::coder(study, coder)?;
    let codebook = study.load_codebook()?;
    let entry = codebook.resolve(&args.code).map_err(|e| with_hint(e, "`thema codebook` shows the entries"))?;
    let (document, span) = locate(study, &args.passage, args.json)?;
    let done = thema_core::passage::remove_coding(study, &document, span, &entry.id, &coder).map_err(hinted)?;
    let mut what = Vec::new();
    for u in &done {
        let (c, outcome) = (&u.coding, u.outcome());
        eprintln!(
            "uncoded `{}` from “{}” ({}:{}..{}): {outcome}",
            entry.name,
            crate::output::shorten(&c.quote, 60),
            c.document,
            c.start,
            c.end
        );
        what.push(format!("{}:{}..{} {outcome}", c.document, c.start, c.end));
    }
    super::codebook::log(study, &coder, "uncode", format!("`{}` at {}", entry.id, what.join("; ")), None)?;
    Ok(ExitCode::SUCCESS)
}
