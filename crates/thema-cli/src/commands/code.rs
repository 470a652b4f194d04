//! `thema code` and `thema invivo`: apply a code to a quote, a turn or a span.

use std::process::ExitCode;

use anyhow::{anyhow, Result};
use thema_core::codebook::{CodebookEntry, EntryKind};
use thema_core::coding::{match_quote, now, place, Placed, QuoteMatches};
use thema_core::{Coding, Document, Span, Study, TurnId};

use crate::cli::{CodeArgs, InvivoArgs, InvivoCommand, Passage};
use crate::output::with_hint;

fn load(study: &Study, id: &str) -> Result<Document> {
    study.load_document(id).map_err(|e| with_hint(e, "`thema ls` lists the documents"))
}

fn parse_turn(text: &str) -> Result<TurnId> {
    text.parse::<TurnId>().map_err(|e| anyhow!(e))
}

/// Find the span a passage names, in its document. With `json`, an ambiguous quote prints
/// every occurrence as JSON on stdout before the error.
pub(crate) fn locate(study: &Study, passage: &Passage, json: bool) -> Result<(Document, Span)> {
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
    let found = quote_spans(&document, quote, turn_span);
    let span = pick(&document, quote.trim(), &found, passage.occurrence, json)?;
    Ok((document, span))
}

/// Occurrences of a quote, inside a turn when one is given.
fn quote_spans(document: &Document, quote: &str, within: Option<Span>) -> QuoteMatches {
    let mut found = match_quote(&document.text, quote);
    let inside = |s: &Span| within.is_none_or(|w| w.encloses(*s));
    found.whole.retain(inside);
    found.inside_word.retain(inside);
    found
}

/// How many occurrences of an ambiguous quote the message lists.
const LISTED: usize = 10;

/// One occurrence of an ambiguous quote, for `--json`.
#[derive(serde::Serialize)]
struct Occurrence {
    occurrence: usize,
    turn: String,
    span: String,
    start: usize,
    end: usize,
    before: String,
    after: String,
}

/// The one occurrence meant, or an error listing them.
fn pick(document: &Document, quote: &str, found: &QuoteMatches, occurrence: Option<usize>, json: bool) -> Result<Span> {
    let id = &document.meta.id;
    let turn_of = |s: &Span| {
        let at = document.turns.partition_point(|t| t.span.end <= s.start);
        document.turns.get(at).map_or("-".to_owned(), |t| document.turn_id(t.number))
    };
    match (found.whole.as_slice(), occurrence) {
        ([], _) => match found.inside_word.first() {
            Some(partial) => Err(inside_word(document, quote, *partial)),
            None => Err(with_hint(
                anyhow!("“{quote}” is not in `{id}`"),
                format!(
                    "thema forgives line breaks, spaces, typographic quotes and dashes, but not other differences; \
                     `thema show {id}` prints the text, `thema show {id} --no-wrap` without line breaks"
                ),
            )),
        },
        ([one], None | Some(1)) => Ok(*one),
        (many, Some(n)) if n >= 1 && n <= many.len() => Ok(many[n - 1]),
        (many, Some(n)) => Err(anyhow!("occurrence {n} asked for, but the quote occurs {} times", many.len())),
        (many, None) => {
            if json {
                let index = thema_core::TextIndex::new(&document.text);
                let context = |a: usize, b: usize| index.slice(Span { start: a, end: b }).unwrap_or("").to_owned();
                let all: Vec<Occurrence> = many
                    .iter()
                    .enumerate()
                    .map(|(i, s)| Occurrence {
                        occurrence: i + 1,
                        turn: turn_of(s),
                        span: format!("{id}:{}..{}", s.start, s.end),
                        start: s.start,
                        end: s.end,
                        before: context(s.start.saturating_sub(40), s.start),
                        after: context(s.end, (s.end + 40).min(index.char_len())),
                    })
                    .collect();
                crate::output::print_json(&all)?;
            }
            let list: Vec<String> = many
                .iter()
                .take(LISTED)
                .enumerate()
                .map(|(i, s)| format!("{} at {} ({})", i + 1, turn_of(s), s))
                .collect();
            let more = match many.len().saturating_sub(LISTED) {
                0 => String::new(),
                n if json => format!(", and {n} more (all printed above)"),
                n => format!(", and {n} more: pass `--json` to list all {}", many.len()),
            };
            Err(with_hint(
                anyhow!("“{quote}” occurs {} times in `{id}`: {}{more}", many.len(), list.join(", ")),
                "pass `--occurrence N`, `--turn` to say which turn, or a longer quote",
            ))
        }
    }
}

/// A quote found only as part of longer words: say which end is inside a word, and offer the
/// whole words and the span.
fn inside_word(document: &Document, quote: &str, partial: Span) -> anyhow::Error {
    let chars: Vec<char> = document.text.chars().collect();
    let is_word = |i: usize| chars.get(i).is_some_and(|c| c.is_alphanumeric());
    let (mut start, mut end) = (partial.start, partial.end);
    let starts_inside = start > 0 && is_word(start - 1) && is_word(start);
    let ends_inside = is_word(end) && end > 0 && is_word(end - 1);
    while start > 0 && is_word(start - 1) && is_word(start) {
        start -= 1;
    }
    while is_word(end) && end > 0 && is_word(end - 1) {
        end += 1;
    }
    let which = match (starts_inside, ends_inside) {
        (true, true) => "starts and ends",
        (true, false) => "starts",
        _ => "ends",
    };
    let whole: String = chars[start..end].iter().collect();
    let id = &document.meta.id;
    with_hint(
        anyhow!("“{quote}” {which} inside a word in `{id}`: the text has “{whole}”"),
        format!(
            "quote whole words (`--quote \"{whole}\"`), or give the exact characters as a span: \
             `--span {id}:{}..{}`",
            partial.start, partial.end
        ),
    )
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
    if let Some(InvivoCommand::Suggest { min_count, limit, documents, wheres, json }) = args.command {
        return suggest(study, min_count, limit, &documents, &wheres, json);
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
    let mut codebook = study.load_codebook()?;
    // Named by the words as the transcript has them, whatever quotes and spaces were typed.
    let name = thema_core::TextIndex::new(&document.text).slice(span)?.split_whitespace().collect::<Vec<_>>().join(" ");
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

fn suggest(
    study: &Study,
    min_count: usize,
    limit: usize,
    only: &[String],
    wheres: &[String],
    json: bool,
) -> Result<ExitCode> {
    let conditions = super::wheres(study, wheres)?;
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
        let within = if only.is_empty() && wheres.is_empty() { "" } else { " of the documents and speakers chosen" };
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

/// A span whose ends fall between turns (on a speaker label) drawn in to the turns it covers.
fn within_turns(document: &Document, span: Span) -> Span {
    let inside = |at: usize| document.turns.iter().any(|t| t.span.contains(at));
    let mut out = span;
    if !inside(span.start) {
        if let Some(next) = document.turns.iter().find(|t| t.span.start >= span.start && t.span.start < span.end) {
            out.start = next.span.start;
        }
    }
    if span.end > 0 && !inside(span.end - 1) {
        if let Some(last) = document.turns.iter().rev().find(|t| t.span.end <= span.end && t.span.end > out.start) {
            out.end = last.span.end;
        }
    }
    out
}

/// `thema uncode`: remove the coder's coding with a code from a passage. A coding inside the
/// passage goes; one that reaches beyond it keeps what lies outside (shortened, or split in two
/// when the passage is in its middle), each part with its whitespace trimmed.
pub(crate) fn uncode(study: &Study, coder: Option<String>, args: CodeArgs) -> Result<ExitCode> {
    let coder = super::coder(study, coder)?;
    let codebook = study.load_codebook()?;
    let entry = codebook.resolve(&args.code).map_err(|e| with_hint(e, "`thema codebook` shows the entries"))?;
    let (document, span) = locate(study, &args.passage, args.json)?;
    let codings = study.load_coder_codings(&coder)?;
    let hits = |c: &Coding| c.document == document.meta.id && c.code == entry.id && c.span().overlaps(span);
    if !codings.iter().any(hits) {
        let mut others: Vec<String> = codings
            .iter()
            .filter(|c| c.document == document.meta.id && c.code == entry.id)
            .map(|c| format!("{}:{}..{}", c.document, c.start, c.end))
            .collect();
        let hint = if others.is_empty() {
            format!(
                "{coder} has no coding with `{}` in `{}`; `thema segments {}` lists them all",
                entry.id, document.meta.id, entry.id
            )
        } else {
            others.truncate(5);
            format!("{coder}'s codings with `{}` in `{}` are at {}", entry.id, document.meta.id, others.join(", "))
        };
        return Err(with_hint(
            anyhow!(
                "nothing to uncode: {coder} has not coded `{}` at {}:{}..{}",
                entry.id,
                document.meta.id,
                span.start,
                span.end
            ),
            hint,
        ));
    }
    let index = thema_core::TextIndex::new(&document.text);
    // The part of a coding from `a` to `b`, without the whitespace at its ends; `None` if empty.
    let part = |c: &Coding, a: usize, b: usize| -> Result<Option<Coding>> {
        let (Some(start), Some(end)) = (index.byte_of(a), index.byte_of(b)) else { return Ok(None) };
        let words = &document.text[start..end];
        let lead = words.len() - words.trim_start().len();
        let trail = words.len() - words.trim_end().len();
        if lead == words.len() {
            return Ok(None);
        }
        let Some(kept) = index.span_of_bytes(start + lead..end - trail).map(|s| within_turns(&document, s)) else {
            return Ok(None);
        };
        let mut piece = Coding::new(&document, kept, &c.code, &c.coder, &c.time)?;
        piece.memo = c.memo.clone();
        piece.exemplar = c.exemplar;
        Ok(Some(piece))
    };
    let mut kept = Vec::with_capacity(codings.len() + 1);
    let mut what = Vec::new();
    for c in &codings {
        if !hits(c) {
            kept.push(c.clone());
            continue;
        }
        let left = if c.start < span.start { part(c, c.start, span.start)? } else { None };
        let right = if c.end > span.end { part(c, span.end, c.end)? } else { None };
        let outcome = match (&left, &right) {
            (None, None) => "removed".to_owned(),
            (Some(l), Some(r)) => format!("split into {}..{} and {}..{}", l.start, l.end, r.start, r.end),
            (Some(p), None) | (None, Some(p)) => format!("shortened to {}..{}", p.start, p.end),
        };
        what.push(format!("{}:{}..{} {outcome}", c.document, c.start, c.end));
        eprintln!(
            "uncoded `{}` from “{}” ({}:{}..{}): {outcome}",
            entry.name,
            crate::output::shorten(&c.quote, 60),
            c.document,
            c.start,
            c.end
        );
        kept.extend(left);
        kept.extend(right);
    }
    study.save_coder_codings(&coder, &kept)?;
    super::codebook::log(study, &coder, "uncode", format!("`{}` at {}", entry.id, what.join("; ")), None)?;
    Ok(ExitCode::SUCCESS)
}
