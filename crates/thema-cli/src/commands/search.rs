//! `thema search` and `thema kwic`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use serde::Serialize;
use thema_core::filter::KeyOf;
use thema_core::{Document, Study};
use thema_search::{AutocodeOptions, Autocoded, Filters, Hit, HitOrder, Request, SearchIndex, Unit};

use crate::cli::{KwicArgs, SearchArgs, SearchFilters, SimilarArgs, WordsArgs};
use crate::output::{count, print_json, with_hint, Table};

/// Open the study's index, refreshing it, and say so when it had to be built.
pub(crate) fn open_index(study: &Study) -> Result<SearchIndex> {
    let started = std::time::Instant::now();
    let (index, freshness) = SearchIndex::open(study).map_err(|e| {
        let hint = if e.is_disk_full() {
            "free space on the disk that holds the study, then run the command again: the index is built again \
             from the study (`.thema/` holds derived data only)"
        } else {
            "if the study is read-only, its search index is missing or out of date and cannot be written: \
             copy the study to a folder you can write"
        };
        with_hint(e, hint)
    })?;
    if let Some(why) = &freshness.rebuilt {
        eprintln!(
            "{why}: built the search index of {} ({} turns) in {:.1} s",
            count(freshness.indexed.len(), "document", "documents"),
            crate::output::thousands(usize::try_from(index.len()).unwrap_or(usize::MAX)),
            started.elapsed().as_secs_f64()
        );
    } else if !freshness.indexed.is_empty() || !freshness.removed.is_empty() {
        eprintln!(
            "search index: re-indexed {}{}",
            count(freshness.indexed.len(), "changed document", "changed documents"),
            if freshness.removed.is_empty() { String::new() } else { format!(", removed {}", freshness.removed.len()) }
        );
    }
    Ok(index)
}

/// The filters of the command line, with codes resolved to themselves and their descendants.
fn filters(study: &Study, given: &SearchFilters) -> Result<Filters> {
    let codebook = study.load_codebook()?;
    let expand = |names: &[String]| -> Result<Vec<BTreeSet<String>>> {
        names
            .iter()
            .map(|name| {
                let entry = codebook.resolve(name).map_err(|e| with_hint(e, "see `thema codebook`"))?;
                Ok(codebook.descendants(&entry.id))
            })
            .collect()
    };
    let wheres = super::wheres(study, &given.wheres)?;
    if let Some(coder) = &given.by_coder {
        study.known_coder(coder).map_err(|e| with_hint(e, "`thema coders` lists the coders"))?;
    }
    for d in &given.documents {
        study.known_document(d).map_err(|e| with_hint(e, "see `thema ls`"))?;
    }
    if !given.waves.is_empty() {
        thema_analysis::waves::chosen_waves(study, &given.waves).map_err(crate::output::hinted)?;
    }
    Ok(Filters {
        documents: given.documents.clone(),
        kinds: given.kinds.clone(),
        waves: given.waves.clone(),
        speakers: given.speakers.clone(),
        wheres,
        codes: expand(&given.codes)?,
        not_codes: expand(&given.not_codes)?,
        uncoded: given.uncoded,
        coder: given.by_coder.clone(),
    })
}

fn request(study: &Study, query: &str, given: &SearchFilters, order: HitOrder, limit: usize) -> Result<Request> {
    Ok(Request {
        query: query.to_owned(),
        exact: given.exact,
        fuzzy: given.fuzzy,
        filters: filters(study, given)?,
        order,
        limit,
    })
}

/// Highlighting on a terminal that allows colour.
fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `text` with its matches in bold red when `colour`, else as it is.
fn highlight(text: &str, matches: &[std::ops::Range<usize>], colour: bool) -> String {
    if !colour {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + matches.len() * 12);
    let mut at = 0;
    for m in matches {
        out.push_str(&text[at..m.start]);
        out.push_str("\x1b[1;31m");
        out.push_str(&text[m.clone()]);
        out.push_str("\x1b[0m");
        at = m.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `-Simon, Peer Mentor`, or the speaker label.
fn attribution(study: &Study, hit: &Hit) -> String {
    match hit.participant.as_deref().and_then(|p| study.participants.get(p)) {
        Some(p) if !p.role.is_empty() => format!("-{}, {}", p.pseudonym, p.role),
        Some(p) => format!("-{}", p.pseudonym),
        None => hit.speaker.as_deref().map_or_else(|| "-(no speaker)".to_owned(), |s| format!("-{s}")),
    }
}

/// Hits with attribution, wrapped, the matches highlighted on a terminal.
fn print_hits(study: &Study, hits: &[Hit], width: Option<usize>) -> Result<()> {
    let width = crate::output::width(width);
    let wrap = textwrap::Options::new(width.saturating_sub(4)).initial_indent("    ").subsequent_indent("    ");
    let colour = colour();
    let mut out = std::io::stdout().lock();
    for hit in hits {
        writeln!(out, "{}  {}", hit.turn, attribution(study, hit))?;
        let text = highlight(hit.text.trim_end(), &hit.matches, colour);
        for paragraph in text.split('\n') {
            for line in textwrap::wrap(paragraph, &wrap) {
                writeln!(out, "{line}")?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

pub(crate) fn search(study: &Study, coder: Option<String>, args: SearchArgs) -> Result<ExitCode> {
    let order = if args.order == "document" { HitOrder::Document } else { HitOrder::Rank };
    let index = open_index(study)?;
    let request = request(study, &args.query, &args.filters, order, args.limit)?;
    if let Some(by) = &args.count {
        return counts(study, &index, &request, by, args.json);
    }
    if let Some(code) = &args.autocode {
        let options = AutocodeOptions {
            code: code.clone(),
            coder: super::coder(study, coder)?,
            unit: if args.unit == "turn" { Unit::Turn } else { Unit::Hit },
            dry_run: args.dry_run,
        };
        return autocode(study, &index, &request, &options, args.json);
    }
    let results = index.search(&request)?;
    if args.json {
        print_json(&results)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_hits(study, &results.hits, args.width)?;
    let shown = results.hits.len();
    eprintln!(
        "{} match{}",
        count(results.total, "turn", "turns"),
        if shown < results.total { format!("; showing {shown} (`--limit N` for more)") } else { String::new() }
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct CountRow {
    key: String,
    turns: usize,
}

fn counts(study: &Study, index: &SearchIndex, request: &Request, by: &str, json: bool) -> Result<ExitCode> {
    let matching = index.count_matching(request)?;
    // The attribute as the study spells it, checked before counting.
    let attribute = match by {
        "document" | "doc" | "participant" | "role" => String::new(),
        other => study
            .known_attribute(other, &["document", "participant", "role"], false)
            .map_err(|e| with_hint(e, "count by `document`, `participant`, `role`, or a column of participants.csv"))?,
    };
    let attribute = attribute.as_str();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for ((document, participant), turns) in &matching {
        let p = participant.as_deref().and_then(|p| study.participants.get(p));
        let key = match by {
            "document" | "doc" => document.clone(),
            "participant" => p.map_or_else(|| "(no participant)".to_owned(), |p| p.pseudonym.clone()),
            "role" => p.map_or_else(|| "(no participant)".to_owned(), |p| p.role.clone()),
            _ => match p {
                Some(p) => p.attributes.get(attribute).cloned().unwrap_or_else(|| "(blank)".to_owned()),
                None => "(no participant)".to_owned(),
            },
        };
        *counts.entry(key).or_default() += turns;
    }
    let rows: Vec<CountRow> = counts.into_iter().map(|(key, turns)| CountRow { key, turns }).collect();
    if json {
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&[by, "turns"]);
    for r in &rows {
        table.row(vec![r.key.clone(), r.turns.to_string()]);
    }
    table.print(&mut std::io::stdout().lock())?;
    eprintln!("{} match in all", count(matching.values().sum(), "turn", "turns"));
    Ok(ExitCode::SUCCESS)
}

/// `search --autocode`: code every hit (`thema_search::autocode`), and say what was done.
fn autocode(
    study: &Study,
    index: &SearchIndex,
    request: &Request,
    options: &AutocodeOptions,
    json: bool,
) -> Result<ExitCode> {
    let done = thema_search::autocode(study, index, request, options).map_err(crate::output::hinted)?;
    let Autocoded { entry, added, extended, already_coded: already, dry_run } = &done;
    let coder = &options.coder;
    if json {
        print_json(&done)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    if *dry_run {
        for (mark, c) in added.iter().map(|c| ("+", c)).chain(extended.iter().map(|c| ("~", c))) {
            writeln!(out, "{mark} {}  {}..{}  “{}”", c.document, c.start, c.end, crate::output::shorten(&c.quote, 70))?;
        }
    }
    eprintln!(
        "{}{} with `{}` for {coder} ({}{} already coded, skipped){}",
        if *dry_run { "would code " } else { "coded " },
        count(added.len(), "passage", "passages"),
        entry.name,
        if extended.is_empty() {
            String::new()
        } else {
            format!("{} extended to take in a hit, ", count(extended.len(), "coding", "codings"))
        },
        already,
        if *dry_run { "; nothing changed" } else { "" }
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn kwic(study: &Study, args: KwicArgs) -> Result<ExitCode> {
    let index = open_index(study)?;
    let request = request(study, &args.term, &args.filters, HitOrder::Document, args.limit)?;
    let results = index.search(&request)?;
    let mut lines = thema_search::kwic::lines(&results.hits, args.context);
    lines.truncate(args.limit);
    if args.json {
        print_json(&lines)?;
        return Ok(ExitCode::SUCCESS);
    }
    let colour = colour();
    let turn_width = lines.iter().map(|l| l.turn.len()).max().unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for l in &lines {
        let keyword = if colour { format!("\x1b[1;31m{}\x1b[0m", l.keyword) } else { l.keyword.clone() };
        let pad = args.context.saturating_sub(l.left.chars().count());
        writeln!(out, "{:turn_width$}  {}{}  {keyword}  {}", l.turn, " ".repeat(pad), l.left, l.right)?;
    }
    eprintln!("{} in {}", count(lines.len(), "occurrence", "occurrences"), count(results.total, "turn", "turns"));
    if results.total > results.hits.len() {
        eprintln!("(the first {} turns; `--limit N` for more)", results.hits.len());
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn similar(study: &Study, args: SimilarArgs) -> Result<ExitCode> {
    let index = open_index(study)?;
    let given = SearchFilters {
        documents: args.documents.clone(),
        kinds: args.kinds.clone(),
        speakers: args.speakers.clone(),
        wheres: args.wheres.clone(),
        waves: args.waves.clone(),
        by_coder: args.by_coder.clone(),
        ..SearchFilters::default()
    };
    let mut filters = filters(study, &given)?;
    let codebook = study.load_codebook()?;
    let entry = codebook.resolve(&args.code).map_err(|e| with_hint(e, "see `thema codebook`"))?;
    let ids = codebook.descendants(&entry.id);
    let texts: Vec<String> = study
        .load_codings()?
        .into_iter()
        .filter(|c| ids.contains(&c.code) && !c.unplaced)
        .filter(|c| filters.coder.as_ref().is_none_or(|coder| &c.coder == coder))
        .map(|c| c.quote)
        .collect();
    if texts.is_empty() {
        return Err(with_hint(
            anyhow!("nothing is coded with `{}` yet", entry.name),
            "code a few segments first: similar turns are found from their words",
        ));
    }
    filters.not_codes.push(ids);
    let results = index.similar(&texts, &filters, args.terms, args.limit)?;
    if args.json {
        print_json(&results)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_hits(study, &results.hits, args.width)?;
    eprintln!(
        "{} like the {} coded with `{}`; showing {}",
        count(results.total, "uncoded turn shares words", "uncoded turns share words"),
        count(texts.len(), "segment", "segments"),
        entry.name,
        results.hits.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The group of a turn for `words --by` / `--compare`: the speaker's label, or the value of a
/// key `--where` knows (`of` says whether it is the participant's or the document's).
fn group_of(
    by: &str,
    of: KeyOf,
    document: &Document,
    turn: &thema_core::Turn,
    participant: Option<&thema_core::Participant>,
) -> Option<String> {
    let nobody = || "(no participant)".to_owned();
    let value = |p| thema_core::filter::value_of(by, &document.meta, p, false).filter(|v| !v.is_empty());
    let blank = || "(blank)".to_owned();
    Some(match (by, of) {
        ("speaker", _) => turn.speaker.clone().unwrap_or_else(|| "(no speaker)".to_owned()),
        ("wave", _) => document.meta.wave.map_or_else(|| "(no wave)".to_owned(), |w| w.to_string()),
        ("participant", _) => participant.map_or_else(nobody, |p| p.pseudonym.clone()),
        (_, KeyOf::Participant) => participant.map_or_else(nobody, |p| value(Some(p)).unwrap_or_else(blank)),
        (_, KeyOf::Document) => value(None).unwrap_or_else(blank),
    })
}

pub(crate) fn words(study: &Study, args: WordsArgs) -> Result<ExitCode> {
    let group = args.compare.as_deref().or(args.by.as_deref()).map(|g| match g.to_lowercase().as_str() {
        "doc" => "document".to_owned(),
        other => other.to_owned(),
    });
    // `speaker` (the transcript's label) or a key `--where` knows.
    let of = match group.as_deref() {
        None | Some("speaker") => KeyOf::Participant,
        Some(g) => thema_core::filter::key_of(study, g).map_err(|e| {
            with_hint(anyhow!("cannot group by `{g}`: {e}"), "`--by speaker` groups by the transcript's labels")
        })?,
    };
    let ids: Vec<&str> = study.documents().iter().map(|m| m.id.as_str()).collect();
    let options = thema_search::words::WordOptions {
        stem: args.stem,
        ngram: usize::from(args.ngram),
        interviewers: args.interviewers,
    };
    let groups = thema_search::words::count(study, &ids, options, |d, t, p| match group.as_deref() {
        Some(by) => group_of(by, of, d, t, p),
        None => Some(String::new()),
    })?;
    let mut out = std::io::stdout().lock();
    if let Some(by) = &args.compare {
        if groups.len() < 2 {
            return Err(anyhow!("`--compare {by}` needs at least two groups; the study has {}", groups.len()));
        }
        let key = thema_search::words::keyness(&groups, args.min_count, args.limit);
        if args.json {
            print_json(&key)?;
            return Ok(ExitCode::SUCCESS);
        }
        let mut table = Table::new(&[by.as_str(), "word", "count", "of", "rest", "of", "G²", "log ratio"]);
        for k in &key {
            table.row(vec![
                k.group.clone(),
                k.word.clone(),
                k.count.to_string(),
                k.group_tokens.to_string(),
                k.rest_count.to_string(),
                k.rest_tokens.to_string(),
                format!("{:.2}", k.g2),
                format!("{:.2}", k.log_ratio),
            ]);
        }
        table.print(&mut out)?;
        eprintln!("G² with 1 degree of freedom: 3.84 is p < 0.05, 6.63 p < 0.01, 10.83 p < 0.001");
        return Ok(ExitCode::SUCCESS);
    }
    let rows = thema_search::words::top(&groups, args.limit);
    if rows.is_empty() {
        eprintln!("no words to count: the study has no participants' speech (or only stop words)");
        return Ok(ExitCode::SUCCESS);
    }
    if args.json {
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut header = vec!["word", "count", "per 1,000"];
    if let Some(by) = &args.by {
        header.insert(0, by.as_str());
    }
    let mut table = Table::new(&header);
    for r in &rows {
        let mut cells = vec![r.word.clone(), r.count.to_string(), format!("{:.2}", r.per_thousand)];
        if args.by.is_some() {
            cells.insert(0, r.group.clone());
        }
        table.row(cells);
    }
    table.print(&mut out)?;
    Ok(ExitCode::SUCCESS)
}
