//! `thema code` and `thema invivo`: apply a code to a quote, a turn or a span.

use std::process::ExitCode;

use anyhow::{anyhow, Result};
use thema_core::codebook::{CodebookEntry, EntryKind};
use thema_core::coding::{find_quote, now, place, Placed};
use thema_core::{Coding, Document, Span, Study, TurnId};

use crate::cli::{CodeArgs, InvivoArgs, InvivoCommand, Passage};
use crate::output::with_hint;

fn load(study: &Study, id: &str) -> Result<Document> {
    study.load_document(id).map_err(|e| with_hint(e, "`thema ls` lists the documents"))
}

fn parse_turn(text: &str) -> Result<TurnId> {
    text.parse::<TurnId>().map_err(|e| anyhow!(e))
}

/// Find the span a passage names, in its document.
pub(crate) fn locate(study: &Study, passage: &Passage) -> Result<(Document, Span)> {
    if let Some(spec) = &passage.span {
        let (doc, range) =
            spec.rsplit_once(':').ok_or_else(|| anyhow!("`{spec}` is not a span like `fg1:120..180`"))?;
        let (a, b) = range.split_once("..").ok_or_else(|| anyhow!("`{spec}` is not a span like `fg1:120..180`"))?;
        let (start, end) = (a.trim().parse::<usize>(), b.trim().parse::<usize>());
        let (Ok(start), Ok(end)) = (start, end) else {
            return Err(anyhow!("`{spec}` is not a span like `fg1:120..180`"));
        };
        let span =
            Span::new(start, end).filter(|s| !s.is_empty()).ok_or_else(|| anyhow!("`{spec}` is empty or backwards"))?;
        return Ok((load(study, doc)?, span));
    }
    let turn = passage.turn.as_deref().map(parse_turn).transpose()?;
    let doc_id = match (&passage.doc, &turn) {
        (Some(d), Some(t)) if d != &t.document => {
            return Err(anyhow!("`--doc {d}` and `--turn {t}` name different documents"))
        }
        (Some(d), _) => d.clone(),
        (None, Some(t)) => t.document.clone(),
        (None, None) => {
            return Err(with_hint(
                anyhow!("no passage given"),
                "pass `--doc D --quote \"...\"`, `--turn D:T17` or `--span D:120..180`",
            ))
        }
    };
    let document = load(study, &doc_id)?;
    let turn_span = match &turn {
        Some(t) => Some(document.turn(t.number).map(|x| x.span).ok_or_else(|| {
            with_hint(
                anyhow!("`{doc_id}` has no turn {}", t.number),
                format!("it has {} turns; `thema show {doc_id}`", document.turns.len()),
            )
        })?),
        None => None,
    };
    let Some(quote) = &passage.quote else {
        return match turn_span {
            Some(span) => Ok((document, span)),
            None => Err(with_hint(anyhow!("what to code in `{doc_id}`?"), "pass `--quote \"...\"` or `--turn`")),
        };
    };
    let found = quote_spans(&document, quote.trim(), turn_span);
    let span = pick(&document, quote.trim(), &found, passage.occurrence)?;
    Ok((document, span))
}

/// Occurrences of a quote, inside a turn when one is given.
fn quote_spans(document: &Document, quote: &str, within: Option<Span>) -> Vec<Span> {
    find_quote(&document.text, quote).into_iter().filter(|s| within.is_none_or(|w| w.encloses(*s))).collect()
}

/// The one occurrence meant, or an error listing them.
fn pick(document: &Document, quote: &str, found: &[Span], occurrence: Option<usize>) -> Result<Span> {
    let turn_of = |s: &Span| {
        let at = document.turns.partition_point(|t| t.span.end <= s.start);
        document.turns.get(at).map_or("-".to_owned(), |t| document.turn_id(t.number))
    };
    match (found, occurrence) {
        ([], _) => {
            let straight = quote.replace(['’', '‘'], "'").replace(['“', '”'], "\"");
            let curly =
                !find_quote(&document.text.replace(['’', '‘'], "'").replace(['“', '”'], "\""), &straight).is_empty();
            let hint = if curly {
                "the text has it with different quotation marks or apostrophes (’ versus '); copy it from `thema show`"
                    .to_owned()
            } else {
                format!("the quote must match the text exactly; `thema show {}` prints it", document.meta.id)
            };
            Err(with_hint(anyhow!("“{quote}” is not in `{}`", document.meta.id), hint))
        }
        ([one], None | Some(1)) => Ok(*one),
        (many, Some(n)) if n >= 1 && n <= many.len() => Ok(many[n - 1]),
        (many, Some(n)) => Err(anyhow!("occurrence {n} asked for, but the quote occurs {} times", many.len())),
        (many, None) => {
            let mut list: Vec<String> =
                many.iter().take(10).enumerate().map(|(i, s)| format!("{} at {} ({})", i + 1, turn_of(s), s)).collect();
            if many.len() > 10 {
                list.push(format!("and {} more", many.len() - 10));
            }
            Err(with_hint(
                anyhow!("“{quote}” occurs {} times in `{}`: {}", many.len(), document.meta.id, list.join(", ")),
                "pass `--occurrence N`, or `--turn` to say which turn",
            ))
        }
    }
}

/// Add a coding for a coder by the rule of one coding per passage per code per coder
/// (`thema_core::coding::place`), saying what happened.
fn add_coding(study: &Study, document: &Document, coding: Coding, name: &str) -> Result<()> {
    let before = study.load_coder_codings(&coding.coder)?;
    let mut codings = before.clone();
    let (coder, quote, start) = (coding.coder.clone(), coding.quote.clone(), coding.start);
    let placed = place(&mut codings, coding, document)?;
    if let (Placed::Covered(span), true) = (placed, codings == before) {
        return Err(with_hint(
            anyhow!(
                "{coder} already coded this passage with `{name}`: the coding at {} ({span}) covers it",
                turn_at(document, span.start)
            ),
            "one coding a passage a code a coder; `thema segments CODE` lists them",
        ));
    }
    study.save_coder_codings(&coder, &codings)?;
    eprintln!("{}", placed_message(document, placed, start, &quote, name, &coder));
    Ok(())
}

/// The turn id of a position of a document (the document's id when it has no turns).
fn turn_at(document: &Document, position: usize) -> String {
    let at = document.turns.partition_point(|t| t.span.end <= position);
    document.turns.get(at).map_or(document.meta.id.clone(), |t| document.turn_id(t.number))
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
            format!("add it first: `thema codebook add \"{}\"`, or code in vivo with `thema invivo`", args.code),
        )
    })?;
    let (document, span) = locate(study, &args.passage)?;
    let mut coding = Coding::new(&document, span, &entry.id, &coder, &now())?;
    coding.memo = args.passage.memo.clone();
    add_coding(study, &document, coding, &entry.name)?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn invivo(study: &Study, coder: Option<String>, args: InvivoArgs) -> Result<ExitCode> {
    if let Some(InvivoCommand::Suggest { min_count, limit, json }) = args.command {
        return suggest(study, min_count, limit, json);
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
    let (document, span) = locate(study, &passage)?;
    let mut codebook = study.load_codebook()?;
    let name = quote.trim().to_owned();
    let existing = codebook.entries.iter().find(|e| e.name.to_lowercase() == name.to_lowercase()).map(|e| e.id.clone());
    let id = match existing {
        Some(id) => id,
        None => {
            let parent = match &args.parent {
                Some(p) => Some(codebook.resolve(p)?.id.clone()),
                None => None,
            };
            let id = codebook.fresh_id(&name);
            codebook.add(CodebookEntry {
                id: id.clone(),
                name: name.clone(),
                kind: EntryKind::Code,
                parent,
                in_vivo: true,
                ..CodebookEntry::default()
            })?;
            study.save_codebook(&codebook)?;
            super::codebook::log(study, &coder, "add", format!("in-vivo code `{name}` ({id})"), None)?;
            eprintln!("add: in-vivo code “{name}” ({id})");
            id
        }
    };
    let mut coding = Coding::new(&document, span, &id, &coder, &now())?;
    coding.memo = args.memo;
    add_coding(study, &document, coding, &name)?;
    Ok(ExitCode::SUCCESS)
}

fn suggest(study: &Study, min_count: usize, limit: usize, json: bool) -> Result<ExitCode> {
    let mut documents = Vec::new();
    for meta in study.documents() {
        documents.push(study.load_document(&meta.id)?);
    }
    let suggestions = thema_core::invivo::suggest(&documents, min_count, limit);
    if json {
        crate::output::print_json(&suggestions)?;
        return Ok(ExitCode::SUCCESS);
    }
    if suggestions.is_empty() {
        eprintln!("no phrase of 2 to 6 words occurs {min_count} times or more in participants' speech");
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
