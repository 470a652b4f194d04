//! `thema saturation`, `thema cooccur` and `thema participants table`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use serde::Serialize;
use thema_analysis::cooccur::{self, Layout, Segment};
use thema_analysis::saturation::{self, Parameters};
use thema_core::{Codebook, EntryKind, Study};

use crate::cli::{CooccurArgs, MatrixArgs, SaturationArgs};
use crate::output::{count, print_json, with_hint, Table};

/// Write a derived file atomically and say where it went.
pub(crate) fn write_output(path: &std::path::Path, bytes: &[u8], what: &str) -> Result<()> {
    let mut file = create_output(path)?;
    std::io::Write::write_all(&mut file, bytes)
        .with_context(|| format!("cannot write {}", file.temporary_path().display()))?;
    file.commit()?;
    eprintln!("wrote {what} to {}", path.display());
    Ok(())
}

/// An output file to write in pieces (an export too large to build in memory), in its folder,
/// created if need be; it replaces `path` when committed, and vanishes if dropped before.
pub(crate) fn create_output(path: &std::path::Path) -> Result<thema_core::fsio::AtomicFile> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    Ok(thema_core::fsio::AtomicFile::create(path)?)
}

fn parse_threshold(text: &str) -> Result<f64> {
    let t = text.trim();
    let value = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|x| x / 100.0),
        None => t.parse::<f64>(),
    };
    value
        .ok()
        .filter(|x| (0.0..=1.0).contains(x))
        .ok_or_else(|| with_hint(anyhow!("`{text}` is not a threshold"), "write a share such as `5%`, `0.05` or `0`"))
}

/// The saturation assessment `args` ask for, on the codings of `set`: each setting from the
/// command line, else from `[saturation]` in `thema.toml`, else Guest et al.'s defaults.
pub(crate) fn assess_saturation(
    study: &Study,
    set: &thema_core::coders::CoderSet,
    args: &SaturationArgs,
) -> Result<(saturation::Saturation, Parameters)> {
    let team = &study.settings.saturation;
    let defaults = Parameters::default();
    let threshold = match args.threshold.as_ref().or(team.threshold.as_ref()) {
        Some(t) => parse_threshold(t)?,
        None => defaults.threshold,
    };
    let kinds = if args.kinds.is_empty() { &team.kinds } else { &args.kinds };
    let order = args.order.as_deref().or(team.order.as_deref()).unwrap_or("import");
    let mut metas: Vec<&thema_core::DocumentMeta> =
        study.documents().iter().filter(|m| kinds.is_empty() || kinds.contains(&m.kind)).collect();
    match order {
        "import" => metas.sort_by_key(|m| m.sequence),
        "date" => {
            if let Some(m) = metas.iter().find(|m| m.date.is_none()) {
                return Err(with_hint(
                    anyhow!("`{}` has no date, so documents cannot be ordered by date", m.id),
                    "give dates at import (`--date`), or order by `import` or by a list of ids",
                ));
            }
            metas.sort_by(|a, b| a.date.cmp(&b.date).then(a.sequence.cmp(&b.sequence)));
        }
        list => {
            let mut ordered = Vec::new();
            for id in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let meta = study.known_document(id).map_err(|e| with_hint(e, "see `thema ls`"))?;
                ordered.push(meta);
            }
            metas = ordered;
        }
    }
    // One codings file in memory at a time; which codes a document holds needs no pooling.
    let mut codes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for coder in &set.coders {
        for c in study.load_coder_placements(coder)? {
            if !c.unplaced {
                codes.entry(c.document).or_default().insert(c.code);
            }
        }
    }
    let documents: Vec<(String, BTreeSet<String>)> =
        metas.iter().map(|m| (m.id.clone(), codes.get(m.id.as_str()).cloned().unwrap_or_default())).collect();
    let parameters = Parameters {
        base: args.base.or(team.base).unwrap_or(defaults.base),
        run: args.run.or(team.run).unwrap_or(defaults.run),
        threshold,
    };
    let result = saturation::assess(&documents, parameters).map_err(|e| anyhow!("{e}"))?;
    Ok((result, parameters))
}

/// The saturation curve of an assessment.
pub(crate) fn saturation_chart(
    result: &saturation::Saturation,
    parameters: Parameters,
    format: thema_render::Format,
) -> Result<Vec<u8>> {
    let ids: Vec<String> = result.steps.iter().map(|s| s.document.clone()).collect();
    let cumulative: Vec<usize> = result.steps.iter().map(|s| s.cumulative).collect();
    let new: Vec<usize> = result.steps.iter().map(|s| s.new_codes.len()).collect();
    let title = format!(
        "Saturation: base {}, run {}, threshold {:.0}%",
        parameters.base,
        parameters.run,
        parameters.threshold * 100.0
    );
    let reached = result.reached.as_ref().map(|r| r.0);
    Ok(thema_render::saturation(format, &ids, &cumulative, &new, parameters.base, reached, &title)?)
}

/// What an assessment found, in one sentence.
pub(crate) fn saturation_verdict(result: &saturation::Saturation, parameters: Parameters) -> String {
    match &result.reached {
        Some((at, run)) => format!(
            "saturation was reached at {at} documents (base {}, run {}, new information ≤ {:.0}%): documents {}-{} added {:.1}%",
            parameters.base,
            parameters.run,
            parameters.threshold * 100.0,
            run.from,
            run.to,
            run.new_information * 100.0
        ),
        None => format!(
            "saturation was not reached: no run of {} documents after the base added {:.0}% or less new information",
            parameters.run,
            parameters.threshold * 100.0
        ),
    }
}

/// The caveat to a saturation point: later documents that still brought new codes ("but
/// documents 4 and 5 still add 33% and 17% new codes"); `None` when none did.
pub(crate) fn saturation_caveat(result: &saturation::Saturation) -> Option<String> {
    if result.later.is_empty() {
        return None;
    }
    let list = |items: Vec<String>| thema_core::coders::and_list(&items);
    let positions = list(result.later.iter().map(|l| l.position.to_string()).collect());
    let shares = list(result.later.iter().map(|l| format!("{:.0}%", l.new_information * 100.0)).collect());
    let (noun, verb) = if result.later.len() == 1 { ("document", "adds") } else { ("documents", "add") };
    Some(format!(
        "but {noun} {positions} still {verb} {shares} new codes (of the {} codes in the base)",
        result.base_codes
    ))
}

pub(crate) fn saturation(study: &Study, coders: &[String], args: SaturationArgs) -> Result<ExitCode> {
    // `--by-coder X` is `--coders X`, kept for scripts that use it.
    let named: Vec<String> = args.by_coder.iter().cloned().chain(coders.iter().cloned()).collect();
    let set = super::coder_set(study, &named)?;
    let (result, parameters) = assess_saturation(study, &set, &args)?;
    if let Some(path) = &args.chart {
        let chart = saturation_chart(&result, parameters, thema_render::Format::of(path))?;
        write_output(path, &chart, "the saturation curve")?;
    }
    if args.json {
        #[derive(Serialize)]
        struct Out<'a> {
            coders: crate::output::Whose,
            #[serde(flatten)]
            result: &'a saturation::Saturation,
            caveat: Option<String>,
        }
        print_json(&Out {
            coders: crate::output::Whose::of(&set),
            result: &result,
            caveat: saturation_caveat(&result),
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    let mut table = Table::new(&["#", "document", "new codes", "codes so far"]);
    for (i, s) in result.steps.iter().enumerate() {
        table.row(vec![
            (i + 1).to_string(),
            s.document.clone(),
            s.new_codes.len().to_string(),
            s.cumulative.to_string(),
        ]);
    }
    table.print(&mut out)?;
    writeln!(out, "\nbase: {} documents, {} codes", parameters.base, result.base_codes)?;
    for r in &result.runs {
        writeln!(out, "run {}-{}: {} new ({:.1}% of the base)", r.from, r.to, r.new, r.new_information * 100.0)?;
    }
    writeln!(out, "\n{}", saturation_verdict(&result, parameters))?;
    if let Some(caveat) = saturation_caveat(&result) {
        writeln!(out, "{caveat}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The ancestor of `id` of `kind` (or `id` itself), else `id`.
fn roll_up(codebook: &Codebook, id: &str, kind: EntryKind) -> String {
    let mut at = codebook.get(id);
    let mut guard = 0;
    while let Some(entry) = at {
        if entry.kind == kind {
            return entry.id.clone();
        }
        at = entry.parent.as_deref().and_then(|p| codebook.get(p));
        guard += 1;
        if guard > 1000 {
            break;
        }
    }
    id.to_owned()
}

#[derive(Serialize)]
struct CooccurReport {
    document: Option<String>,
    units: usize,
    counts: BTreeMap<String, usize>,
    pairs: Vec<cooccur::Pair>,
}

/// Co-occurrence as `args` ask for it: the codes compared and a report per group (one pooled,
/// or one a document).
pub(crate) struct Cooccurrence {
    codebook: Codebook,
    codes: Vec<String>,
    reports: Vec<CooccurReport>,
}

/// Compute co-occurrence on the codings of `set`, each coder's on their own: two codes co-occur
/// in a unit only when one coder applied both there (see `thema_analysis::cooccur`).
pub(crate) fn cooccurrence(
    study: &Study,
    set: &thema_core::coders::CoderSet,
    args: &CooccurArgs,
) -> Result<Cooccurrence> {
    let codebook = study.load_codebook()?;
    let kind = match args.roll_up.as_deref() {
        None => None,
        Some(k) => Some(EntryKind::from_name(k).ok_or_else(|| {
            with_hint(anyhow!("`{k}` is not a kind of codebook entry"), "theme, sub-theme, category or code")
        })?),
    };
    let mut wanted: Option<BTreeSet<String>> = None;
    for c in &args.codes {
        let entry = codebook.resolve(c).map_err(|e| with_hint(e, "see `thema codebook`"))?;
        let set = wanted.get_or_insert_with(BTreeSet::new);
        set.insert(entry.id.clone());
        set.extend(codebook.descendants(&entry.id));
    }
    let conditions = super::wheres(study, &args.wheres)?;
    let speaks = |meta: &thema_core::DocumentMeta, label: Option<&str>| -> bool {
        if conditions.is_empty() {
            return true;
        }
        let speaker = label.and_then(|l| meta.speakers.iter().find(|s| s.label == l));
        let interviewer = speaker.is_some_and(|s| s.interviewer);
        let person = speaker.and_then(|s| s.participant.as_deref()).and_then(|p| study.participants.get(p));
        conditions.iter().all(|c| c.holds(meta, person, interviewer))
    };
    // The documents' turns and lengths, not their texts; a block of documents' turns at a time.
    let mut layouts: Vec<Layout> = Vec::with_capacity(study.documents().len());
    let lengths = study.document_lengths()?;
    for (metas, lengths) in study.documents().chunks(Study::TURNS_BLOCK).zip(lengths.chunks(Study::TURNS_BLOCK)) {
        let ids: Vec<&str> = metas.iter().map(|m| m.id.as_str()).collect();
        for ((meta, &length), turns) in metas.iter().zip(lengths).zip(study.load_turns_of(&ids)?) {
            let turns = if turns.is_empty() {
                vec![(0, length)]
            } else {
                turns
                    .iter()
                    .filter(|t| speaks(meta, t.speaker.as_deref()))
                    .map(|t| (t.span.start, t.span.end))
                    .collect()
            };
            layouts.push(Layout { document: meta.id.clone(), length, turns });
        }
    }
    let by_id: BTreeMap<&str, &Layout> = layouts.iter().map(|l| (l.document.as_str(), l)).collect();
    // One codings file in memory at a time: a segment keeps the coding's place and code only.
    let mut segments: Vec<Segment> = Vec::new();
    for coder in &set.coders {
        segments.extend(coder_segments(study.load_coder_placements(coder)?, &wanted, &conditions, &by_id, &|code| {
            kind.map_or_else(|| code.to_owned(), |k| roll_up(&codebook, code, k))
        }));
    }
    let codes: Vec<String> = segments.iter().map(|s| s.code.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    if codes.len() < 2 {
        return Err(with_hint(
            anyhow!("co-occurrence needs two or more codes in use; found {}", codes.len()),
            "code more, or widen `--code`/`--where`",
        ));
    }
    let groups: Vec<(Option<String>, &[Layout])> = if args.per_document {
        layouts.iter().map(|l| (Some(l.document.clone()), std::slice::from_ref(l))).collect()
    } else {
        vec![(None, &layouts[..])]
    };
    let coefficient = |p: &cooccur::Pair| coefficient(args, p);
    let mut reports = Vec::new();
    for (document, layouts) in groups {
        let units = cooccur::units(layouts, &segments, args.within);
        let (counts, mut pairs) = cooccur::pairs(&units, &codes);
        // A code and an entry above it (an in-vivo code and its sub-theme) co-occur wherever the
        // two are applied together by design: such pairs say nothing and are left out.
        pairs.retain(|p| p.n12 >= args.min && !nested(&codebook, &p.a, &p.b));
        pairs.sort_by(|a, b| {
            coefficient(b)
                .unwrap_or(f64::MIN)
                .total_cmp(&coefficient(a).unwrap_or(f64::MIN))
                .then(a.a.cmp(&b.a))
                .then(a.b.cmp(&b.b))
        });
        reports.push(CooccurReport { document, units: units.len(), counts, pairs });
    }
    Ok(Cooccurrence { codebook, codes, reports })
}

/// The segments of one coder's codings that `cooccurrence` compares: placed, of the wanted
/// codes, in a turn of the wanted speakers; each code rolled up by `code`.
fn coder_segments(
    codings: Vec<thema_core::Coding>,
    wanted: &Option<BTreeSet<String>>,
    conditions: &[thema_core::filter::Where],
    by_id: &BTreeMap<&str, &Layout>,
    code: &dyn Fn(&str) -> String,
) -> Vec<Segment> {
    codings
        .into_iter()
        .filter(|c| !c.unplaced && wanted.as_ref().is_none_or(|w| w.contains(&c.code)))
        .filter(|c| {
            conditions.is_empty()
                || by_id
                    .get(c.document.as_str())
                    .is_some_and(|l| l.turns.iter().any(|&(a, b)| c.start < b && a < c.end))
        })
        .map(|c| Segment { code: code(&c.code), document: c.document, start: c.start, end: c.end, coder: c.coder })
        .collect()
}

/// True when one of two entries is above the other in the codebook.
fn nested(codebook: &Codebook, a: &str, b: &str) -> bool {
    let above = |from: &str, target: &str| {
        let mut current = codebook.get(from).and_then(|e| e.parent.as_deref());
        for _ in 0..codebook.entries.len() {
            match current {
                Some(p) if p == target => return true,
                Some(p) => current = codebook.get(p).and_then(|e| e.parent.as_deref()),
                None => return false,
            }
        }
        false
    };
    above(a, b) || above(b, a)
}

/// The coefficient `args` chose, of a pair.
fn coefficient(args: &CooccurArgs, p: &cooccur::Pair) -> Option<f64> {
    match args.coefficient.as_str() {
        "dice" => Some(p.dice),
        "ochiai" => Some(p.ochiai),
        "phi" => p.phi,
        "lift" => Some(p.lift),
        "pmi" => Some(p.pmi),
        _ => Some(p.c),
    }
}

/// The heatmap of the pooled (or first) report; `None` without a report.
pub(crate) fn cooccur_heatmap(
    found: &Cooccurrence,
    args: &CooccurArgs,
    format: thema_render::Format,
) -> Result<Option<Vec<u8>>> {
    let Some(pooled) = found.reports.first() else { return Ok(None) };
    let codes = &found.codes;
    let name = |id: &str| found.codebook.get(id).map_or_else(|| id.to_owned(), |e| e.name.clone());
    let index: BTreeMap<(&str, &str), &cooccur::Pair> = pooled
        .pairs
        .iter()
        .flat_map(|p| [((p.a.as_str(), p.b.as_str()), p), ((p.b.as_str(), p.a.as_str()), p)])
        .collect();
    let value =
        |i: usize, j: usize| index.get(&(codes[i].as_str(), codes[j].as_str())).and_then(|p| coefficient(args, p));
    let order: Vec<usize> = if args.cluster {
        cooccur::cluster_order(codes, &|i, j| index.get(&(codes[i].as_str(), codes[j].as_str())).map_or(0.0, |p| p.c))
    } else {
        (0..codes.len()).collect()
    };
    let labels: Vec<String> = order.iter().map(|&i| name(&codes[i])).collect();
    let values: Vec<Vec<Option<f64>>> =
        order.iter().map(|&i| order.iter().map(|&j| if i == j { None } else { value(i, j) }).collect()).collect();
    let present: Vec<f64> = values.iter().flatten().flatten().copied().collect();
    let (min, max) = match args.coefficient.as_str() {
        "phi" | "pmi" | "lift" => (
            present.iter().copied().fold(f64::INFINITY, f64::min).min(0.0),
            present.iter().copied().fold(f64::NEG_INFINITY, f64::max).max(1.0),
        ),
        _ => (0.0, 1.0),
    };
    let title = format!("Co-occurrence ({}, within {})", args.coefficient, within_name(args.within));
    Ok(Some(thema_render::heatmap(format, &labels, &values, &title, min, max)?))
}

pub(crate) fn cooccur(study: &Study, coders: &[String], args: CooccurArgs) -> Result<ExitCode> {
    let set = super::coder_set(study, coders)?;
    let found = cooccurrence(study, &set, &args)?;
    let Cooccurrence { codebook, codes, reports } = &found;
    let name = |id: &str| codebook.get(id).map_or_else(|| id.to_owned(), |e| e.name.clone());
    if let Some(path) = &args.heatmap {
        if let Some(chart) = cooccur_heatmap(&found, &args, thema_render::Format::of(path))? {
            write_output(path, &chart, "the heatmap")?;
        }
    }
    // Networks from the pooled (or first) report.
    if let Some(pooled) = reports.first() {
        if let Some(path) = &args.graphml {
            write_output(
                path,
                graphml(codes, &pooled.counts, &pooled.pairs, &name).as_bytes(),
                "the network (GraphML)",
            )?;
        }
        if let Some(path) = &args.dot {
            write_output(path, dot(codes, &pooled.counts, &pooled.pairs, &name).as_bytes(), "the network (DOT)")?;
        }
    }
    if args.json {
        #[derive(Serialize)]
        struct Out<'a> {
            coders: crate::output::Whose,
            reports: &'a [CooccurReport],
        }
        print_json(&Out { coders: crate::output::Whose::of(&set), reports })?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    for report in reports {
        if let Some(d) = &report.document {
            writeln!(out, "\n{d}")?;
        }
        let mut table = Table::new(&["code A", "code B", "n1", "n2", "n12", "c", "dice", "ochiai", "phi", "lift", ""]);
        for p in &report.pairs {
            table.row(vec![
                name(&p.a),
                name(&p.b),
                p.n1.to_string(),
                p.n2.to_string(),
                p.n12.to_string(),
                format!("{:.3}", p.c),
                format!("{:.3}", p.dice),
                format!("{:.3}", p.ochiai),
                p.phi.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}")),
                format!("{:.2}", p.lift),
                if p.unbalanced { "unbalanced*".to_owned() } else { String::new() },
            ]);
        }
        table.print(&mut out)?;
        eprintln!(
            "{} co-occurring of {} units ({}){}",
            count(report.pairs.len(), "pair", "pairs"),
            report.units,
            within_name(args.within),
            if report.pairs.iter().any(|p| p.unbalanced) {
                "; * one code is used more than five times as often as the other: read its coefficients with care"
            } else {
                ""
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn within_name(w: cooccur::Within) -> String {
    match w {
        cooccur::Within::Overlap => "overlapping segments".into(),
        cooccur::Within::Turn => "the same turn".into(),
        cooccur::Within::Turns(n) => format!("{n} turns"),
        cooccur::Within::Chars(n) => format!("blocks of {n} characters"),
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn graphml(
    codes: &[String],
    counts: &BTreeMap<String, usize>,
    pairs: &[cooccur::Pair],
    name: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n\
         <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n\
         <key id=\"units\" for=\"node\" attr.name=\"units\" attr.type=\"int\"/>\n\
         <key id=\"n12\" for=\"edge\" attr.name=\"n12\" attr.type=\"int\"/>\n\
         <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n\
         <graph id=\"cooccurrence\" edgedefault=\"undirected\">\n",
    );
    for c in codes {
        out.push_str(&format!(
            "<node id=\"{}\"><data key=\"label\">{}</data><data key=\"units\">{}</data></node>\n",
            xml_escape(c),
            xml_escape(&name(c)),
            counts.get(c).copied().unwrap_or(0)
        ));
    }
    for (i, p) in pairs.iter().enumerate() {
        out.push_str(&format!(
            "<edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"n12\">{}</data><data key=\"weight\">{:.6}</data></edge>\n",
            xml_escape(&p.a),
            xml_escape(&p.b),
            p.n12,
            p.c
        ));
    }
    out.push_str("</graph>\n</graphml>\n");
    out
}

fn dot(
    codes: &[String],
    counts: &BTreeMap<String, usize>,
    pairs: &[cooccur::Pair],
    name: &dyn Fn(&str) -> String,
) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out = String::from("graph cooccurrence {\n");
    for c in codes {
        out.push_str(&format!(
            "  {} [label={}, units={}];\n",
            quote(c),
            quote(&name(c)),
            counts.get(c).copied().unwrap_or(0)
        ));
    }
    for p in pairs {
        out.push_str(&format!("  {} -- {} [n12={}, weight={:.6}];\n", quote(&p.a), quote(&p.b), p.n12, p.c));
    }
    out.push_str("}\n");
    out
}

pub(crate) fn participants_table(
    study: &Study,
    documents: &[String],
    kinds: &[String],
    median: bool,
    markdown: bool,
    json: bool,
) -> Result<ExitCode> {
    let people = selected_people(study, documents, kinds)?;
    let table = thema_analysis::participants::table(&people, &study.settings.participant_attributes);
    if json {
        print_json(&table)?;
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", table.render(markdown, median));
    for l in &table.left_out {
        eprintln!("not summarised: {l}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The participants who speak in the selected documents (all documents when none are named),
/// each once.
pub(crate) fn selected_people<'a>(
    study: &'a Study,
    documents: &[String],
    kinds: &[String],
) -> Result<Vec<&'a thema_core::Participant>> {
    for d in documents {
        study.known_document(d).map_err(|e| with_hint(e, "see `thema ls`"))?;
    }
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for meta in study.documents() {
        if (!documents.is_empty() && !documents.contains(&meta.id))
            || (!kinds.is_empty() && !kinds.contains(&meta.kind))
        {
            continue;
        }
        ids.extend(meta.speakers.iter().filter(|s| !s.interviewer).filter_map(|s| s.participant.as_deref()));
    }
    let people: Vec<&thema_core::Participant> =
        study.participants.rows().iter().filter(|p| ids.contains(p.id.as_str())).collect();
    if people.is_empty() {
        return Err(with_hint(
            anyhow!("no participant speaks in the selected documents"),
            "link speakers to participants with `thema link`, or widen `--doc`/`--kind`",
        ));
    }
    Ok(people)
}

pub(crate) fn matrix(study: &Study, coders: &[String], args: MatrixArgs) -> Result<ExitCode> {
    use thema_analysis::matrix::{self as m, Value};
    let codebook = study.load_codebook()?;
    let kind = EntryKind::from_name(&args.rows).ok_or_else(|| {
        with_hint(anyhow!("`{}` is not a kind of codebook entry", args.rows), "code, category, sub-theme or theme")
    })?;
    // Columns are of the keys `--where` knows: participant columns, document fields and attributes.
    let of = thema_core::filter::key_of(study, &args.by).map_err(|e| {
        with_hint(
            anyhow!("cannot make columns of `{}`: {e}", args.by),
            "`--by participant`, `--by role`, `--by wave`, or another key listed",
        )
    })?;
    let conditions = super::wheres(study, &args.wheres)?;
    // `--by-coder X` is `--coders X`, kept for scripts that use it.
    let named: Vec<String> = args.by_coder.iter().cloned().chain(coders.iter().cloned()).collect();
    let set = super::coder_set(study, &named)?;
    // Quotes are needed for the framework's cells and for counting words, not for counts.
    let codings = if args.framework || args.value == "words" {
        study.load_set_codings(&set)?
    } else {
        study.load_set_placements(&set)?
    };
    let mut segments = thema_core::segment::attribute(study, codings)?;
    segments.retain(|s| s.meets(study, &conditions));
    let mut output = String::new();
    if args.framework {
        if args.format == "parquet" {
            return Err(anyhow!("the framework matrix holds quotes; write it as csv, json or markdown"));
        }
        let (people, labels, grid) = m::framework(study, &codebook, &segments, kind, &conditions);
        match args.format.as_str() {
            "json" => {
                #[derive(Serialize)]
                struct Framework<'a> {
                    participants: &'a [String],
                    entries: &'a [String],
                    cells: &'a [Vec<Vec<String>>],
                }
                output =
                    serde_json::to_string_pretty(&Framework { participants: &people, entries: &labels, cells: &grid })?
                        + "\n";
            }
            "csv" => {
                let mut w = csv::Writer::from_writer(Vec::new());
                let mut header = vec!["participant".to_owned()];
                header.extend(labels.iter().cloned());
                w.write_record(&header)?;
                for (p, row) in people.iter().zip(&grid) {
                    let mut record = vec![p.clone()];
                    record.extend(
                        row.iter().map(|quotes| quotes.iter().map(|q| format!("“{q}”")).collect::<Vec<_>>().join("\n")),
                    );
                    w.write_record(&record)?;
                }
                output = String::from_utf8(w.into_inner().map_err(|e| anyhow!("{e}"))?)?;
            }
            _ => {
                for (p, row) in people.iter().zip(&grid) {
                    output.push_str(&format!("## {p}\n\n"));
                    for (label, quotes) in labels.iter().zip(row) {
                        if quotes.is_empty() {
                            continue;
                        }
                        output.push_str(&format!("**{label}**\n\n"));
                        for q in quotes {
                            output.push_str(&format!("> “{}”\n\n", q.replace('\n', " ")));
                        }
                    }
                }
            }
        }
    } else {
        let value = match args.value.as_str() {
            "presence" => Value::Presence,
            "words" => Value::Words,
            _ => Value::Segments,
        };
        let columns = (args.by == "document").then(|| study.documents().iter().map(|d| d.id.clone()).collect());
        let by = args.by.to_lowercase();
        let matrix =
            m::matrix(&codebook, &segments, kind, value, &|s| m::columns_of(study, s, &by, of, &conditions), columns);
        if matrix.rows.is_empty() {
            eprintln!(
                "nothing to tabulate: no coded segment{} (see `thema coders`)",
                if kind == EntryKind::Code { String::new() } else { format!(" falls under a {}", args.rows) }
            );
            return Ok(ExitCode::SUCCESS);
        }
        if let Some(path) = &args.bars {
            let mut totals: Vec<(String, usize)> =
                matrix.row_labels.iter().cloned().zip(matrix.cells.iter().map(|r| r.iter().sum())).collect();
            totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let (labels, counts): (Vec<String>, Vec<usize>) = totals.into_iter().unzip();
            let title = format!("{} frequencies", args.rows);
            let chart = thema_render::bars(thema_render::Format::of(path), &labels, &counts, &title, &args.value)?;
            write_output(path, &chart, "the frequency bars")?;
        }
        if args.format == "parquet" {
            let Some(path) = &args.out else {
                return Err(with_hint(anyhow!("Parquet is binary: where should it go?"), "pass `--out FILE.parquet`"));
            };
            let bytes = thema_tables::matrix_parquet(&matrix).map_err(|e| anyhow!("writing Parquet: {e}"))?;
            write_output(path, &bytes, "the matrix (Parquet)")?;
            return Ok(ExitCode::SUCCESS);
        }
        output = match args.format.as_str() {
            "csv" => matrix.to_csv(),
            "markdown" => matrix.to_markdown(),
            "json" => serde_json::to_string_pretty(&matrix)? + "\n",
            _ => {
                let mut header = vec![args.rows.clone()];
                header.extend(matrix.columns.iter().cloned());
                let refs: Vec<&str> = header.iter().map(String::as_str).collect();
                let mut table = Table::new(&refs);
                for (label, row) in matrix.row_labels.iter().zip(&matrix.cells) {
                    let mut cells = vec![crate::output::shorten(label, 40)];
                    cells.extend(row.iter().map(ToString::to_string));
                    table.row(cells);
                }
                let mut bytes = Vec::new();
                table.print(&mut bytes)?;
                String::from_utf8(bytes)?
            }
        };
    }
    match &args.out {
        Some(path) => write_output(path, output.as_bytes(), "the matrix")?,
        None => print!("{output}"),
    }
    Ok(ExitCode::SUCCESS)
}
