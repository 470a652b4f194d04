//! `thema agree`: intercoder agreement on the study's codings, on a ratings file, or on a file
//! of units marked on a continuum.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use serde::Serialize;
use thema_analysis::agreement::{self, Level, Ratings, Weights};
use thema_analysis::coded::{self, UnitKind};
use thema_analysis::unitizing::{self, Unit};
use thema_analysis::Undefined;
use thema_core::{Document, Study, StudyError};

use crate::cli::AgreeArgs;
use crate::output::{count, print_json, with_hint, Notes, Table};

/// One statistic as printed and as JSON: a value, or why there is none.
#[derive(Serialize)]
struct Value {
    metric: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    undefined: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ci95: Option<(f64, f64)>,
}

impl Value {
    fn of(metric: &str, result: Result<f64, Undefined>) -> Value {
        match result {
            Ok(v) => Value { metric: metric.to_owned(), value: Some(v), undefined: None, ci95: None },
            Err(e) => Value { metric: metric.to_owned(), value: None, undefined: Some(e.0), ci95: None },
        }
    }

    fn shown(&self) -> String {
        match (self.value, &self.undefined) {
            (Some(v), _) => format!("{v:.4}"),
            (None, Some(why)) => format!("undefined ({why})"),
            (None, None) => String::new(),
        }
    }
}

const METRICS: &[&str] =
    &["all", "alpha", "percent", "cohen-kappa", "fleiss-kappa", "conger-kappa", "gwet-ac1", "brennan-prediger"];

pub(crate) fn run(study: Option<&Study>, named: &[String], mut args: AgreeArgs) -> Result<ExitCode> {
    // `--coders A,B` names the coders as the positional arguments do.
    args.coders.extend(named.iter().cloned());
    if let Some(path) = &args.units {
        return units_file(path, &args);
    }
    if let Some(path) = &args.data {
        return ratings_file(path, &args);
    }
    let Some(study) = study else { return Err(anyhow!("no study")) };
    study_agreement(study, &args)
}

/// The statistics `metric` asks for on `ratings`.
fn statistics(ratings: &Ratings, metric: &str, level: Level, bootstrap: usize, seed: u64) -> Result<Vec<Value>> {
    if !METRICS.contains(&metric) {
        return Err(with_hint(anyhow!("`{metric}` is not a metric"), format!("use one of {}", METRICS.join(", "))));
    }
    let want = |m: &str| metric == "all" || metric == m;
    let mut out = Vec::new();
    if want("alpha") {
        let mut alpha = Value::of(
            &format!("Krippendorff's alpha ({})", level_name(level)),
            agreement::krippendorff_alpha(ratings, level)?,
        );
        if alpha.value.is_some() && bootstrap > 0 {
            alpha.ci95 = agreement::alpha_bootstrap(ratings, level, bootstrap, seed, 0.95)?.ok();
        }
        out.push(alpha);
    }
    let gwet = agreement::gwet(ratings, Weights::Identity)?;
    let from_gwet = |f: fn(&agreement::Gwet) -> Result<f64, Undefined>| gwet.as_ref().map_err(Clone::clone).and_then(f);
    if want("percent") {
        out.push(Value::of("percent agreement (pairwise)", from_gwet(|g| Ok(g.percent))));
    }
    if want("cohen-kappa") {
        if ratings.coders() == 2 {
            out.push(Value::of("Cohen's kappa", agreement::pair_table(ratings, 0, 1).cohen_kappa()));
        } else if metric == "cohen-kappa" {
            return Err(with_hint(
                anyhow!("Cohen's kappa compares two coders; the data has {}", ratings.coders()),
                "use `--metric fleiss-kappa` or `conger-kappa` for more",
            ));
        }
    }
    if want("fleiss-kappa") {
        out.push(Value::of("Fleiss' kappa", from_gwet(|g| g.fleiss_kappa.clone())));
    }
    if want("conger-kappa") {
        out.push(Value::of("Conger's kappa", from_gwet(|g| g.conger_kappa.clone())));
    }
    if want("gwet-ac1") {
        out.push(Value::of("Gwet's AC1", from_gwet(|g| g.gwet_ac.clone())));
    }
    if want("brennan-prediger") {
        out.push(Value::of("Brennan-Prediger", from_gwet(|g| g.brennan_prediger.clone())));
    }
    Ok(out)
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Nominal => "nominal",
        Level::Ordinal => "ordinal",
        Level::Interval => "interval",
        Level::Ratio => "ratio",
    }
}

fn print_values(values: &[Value], json: bool, bootstrap: usize, seed: u64) -> Result<()> {
    if json {
        return print_json(values);
    }
    let mut table = Table::new(&["metric", "value", "95% CI"]);
    for v in values {
        let ci = v.ci95.map(|(a, b)| format!("{a:.4} to {b:.4}")).unwrap_or_default();
        table.row(vec![v.metric.clone(), v.shown(), ci]);
    }
    table.print(&mut std::io::stdout().lock())?;
    if values.iter().any(|v| v.ci95.is_some()) {
        eprintln!("alpha's interval: percentile bootstrap over units, {bootstrap} resamples, seed {seed}");
    }
    Ok(())
}

/// `--data ratings.csv`: a header of coder names (and an optional first column `unit`), one
/// row a unit, an empty cell a missing rating.
fn ratings_file(path: &Path, args: &AgreeArgs) -> Result<ExitCode> {
    let file = thema_core::fsio::open_regular(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(file);
    let header: Vec<String> = reader
        .headers()
        .with_context(|| format!("`{}`: cannot read the header", path.display()))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let skip = usize::from(header.first().is_some_and(|h| ["unit", "id", "item"].contains(&h.to_lowercase().as_str())));
    let mut rows = Vec::new();
    let mut notes = Notes::default();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| anyhow!("`{}`: line {}: {e}", path.display(), i + 2))?;
        let row: Vec<Option<String>> = record
            .iter()
            .skip(skip)
            .map(|c| {
                let c = c.trim();
                (!c.is_empty() && !c.eq_ignore_ascii_case("na")).then(|| c.to_owned())
            })
            .collect();
        if row.iter().all(Option::is_none) {
            notes.add(format!("`{}` line {}", path.display(), i + 2), "a unit with no ratings, left out");
            continue;
        }
        rows.push(row);
    }
    notes.print("note: ", args.verbose);
    let ratings = Ratings::new(&rows).map_err(|e| {
        with_hint(
            anyhow!("`{}`: {e}", path.display()),
            "one row a unit, one column a coder, with a header of coder names",
        )
    })?;
    let values = statistics(&ratings, &args.metric, args.level, args.bootstrap, args.seed)
        .map_err(|e| anyhow!("`{}`: {e:#}", path.display()))?;
    print_values(&values, args.json, args.bootstrap, args.seed)?;
    if !args.json {
        eprintln!(
            "{} by {} ({})",
            count(ratings.units(), "unit", "units"),
            count(ratings.coders(), "coder", "coders"),
            count(ratings.categories().len(), "category", "categories")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `--units spans.csv --length N`: columns coder, begin, end, category.
fn units_file(path: &Path, args: &AgreeArgs) -> Result<ExitCode> {
    if args.metric != "all" && args.metric != "unitized-alpha" {
        return Err(anyhow!("`--units` computes `--metric unitized-alpha` only"));
    }
    let Some(length) = args.length else {
        return Err(with_hint(
            anyhow!("how long is the continuum?"),
            "pass `--length N` (and `--begin B` if it does not start at 0)",
        ));
    };
    let file = thema_core::fsio::open_regular(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(file);
    let header: Vec<String> = reader.headers()?.iter().map(|h| h.trim().to_lowercase()).collect();
    let column = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| {
            with_hint(anyhow!("`{}` has no `{name}` column", path.display()), "columns: coder, begin, end, category")
        })
    };
    let (c_coder, c_begin, c_end, c_category) =
        (column("coder")?, column("begin")?, column("end")?, column("category")?);
    let mut coders: Vec<String> = Vec::new();
    let mut units = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| anyhow!("`{}`: line {line}: {e}", path.display()))?;
        let number = |c: usize| -> Result<u64> {
            record[c]
                .trim()
                .parse()
                .map_err(|_| anyhow!("`{}`: line {line}: `{}` is not a position", path.display(), &record[c]))
        };
        let (begin, end) = (number(c_begin)?, number(c_end)?);
        if end <= begin {
            return Err(anyhow!("`{}`: line {line}: the unit ends ({end}) before it begins ({begin})", path.display()));
        }
        let coder = record[c_coder].trim().to_owned();
        let index = coders.iter().position(|c| c == &coder).unwrap_or_else(|| {
            coders.push(coder.clone());
            coders.len() - 1
        });
        units.push(Unit { begin, length: end - begin, coder: index, category: record[c_category].trim().to_owned() });
    }
    let study = unitizing::Study { begin: args.begin, length, coders: coders.len(), units };
    study.validate().map_err(|e| anyhow!("`{}`: {e}", path.display()))?;
    print_unitizing(&study, args.json)
}

#[derive(Serialize)]
struct UnitizingReport {
    alpha: Value,
    categories: Vec<unitizing::CategoryAlpha>,
}

fn print_unitizing(study: &unitizing::Study, json: bool) -> Result<ExitCode> {
    let report =
        UnitizingReport { alpha: Value::of("unitized alpha", study.alpha()), categories: study.category_alphas() };
    if json {
        print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["category", "observed", "expected", "alpha"]);
    for c in &report.categories {
        table.row(vec![
            c.category.clone(),
            format!("{:.4}", c.observed),
            format!("{:.4}", c.expected),
            format!("{:.4}", c.alpha),
        ]);
    }
    table.row(vec!["(all)".into(), String::new(), String::new(), report.alpha.shown()]);
    table.print(&mut std::io::stdout().lock())?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct CodeAgreement {
    code: String,
    name: String,
    units: usize,
    coded_by: Vec<(String, usize)>,
    statistics: Vec<Value>,
}

#[derive(Serialize)]
struct StudyReport {
    coders: Vec<String>,
    /// Units each coder coded with any of the codes compared.
    #[serde(skip)]
    totals: Vec<usize>,
    unit: UnitKind,
    documents: Vec<String>,
    units: usize,
    codes: Vec<CodeAgreement>,
    overall: Vec<Value>,
    /// How many units and codes the coders differ on.
    #[serde(skip)]
    disagreement_count: usize,
    disagreements: Vec<coded::Disagreement>,
}

/// The placed codings of `coders`, without their quotes, context, times and memos (agreement
/// needs where and what, not the words): one codings file in memory at a time.
fn placed_codings(study: &Study, coders: &[String]) -> Result<Vec<thema_core::Coding>> {
    let mut out = Vec::new();
    for file in study.coders()? {
        out.extend(
            study.load_coder_placements(&file)?.into_iter().filter(|c| !c.unplaced && coders.contains(&c.coder)),
        );
    }
    Ok(out)
}

/// The units of the documents every one of `coders` coded, loading those documents one at a
/// time (their texts are not kept).
fn shared_units(
    study: &Study,
    codings: &[thema_core::Coding],
    coders: &[String],
    kind: UnitKind,
) -> Result<coded::CodedUnits> {
    let ids: Vec<&str> = study.documents().iter().map(|m| m.id.as_str()).collect();
    if kind == UnitKind::Sentence {
        return Ok(coded::coded_units_loading(&ids, codings, coders, kind, |id| {
            study.load_document(id).map(|d| {
                let length = d.text.chars().count();
                (Cow::Owned(d), length)
            })
        })?);
    }
    // Turns need the turns and the length, not the text. The documents come in `ids` order, so
    // the turns of the next block of them are read together, on all cores.
    let lengths: HashMap<&str, usize> = ids.iter().copied().zip(study.document_lengths()?).collect();
    let position: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut read: HashMap<&str, Vec<thema_core::Turn>> = HashMap::new();
    Ok(coded::coded_units_loading(&ids, codings, coders, kind, |id| {
        let meta = study.known_document(id)?;
        if !read.contains_key(id) {
            let at = position[id];
            let block = &ids[at..(at + Study::TURNS_BLOCK).min(ids.len())];
            read = block.iter().copied().zip(study.load_turns_of(block)?).collect();
        }
        let turns = read.remove(id).unwrap_or_default();
        Ok::<_, StudyError>((Cow::Owned(Document { meta: meta.clone(), text: String::new(), turns }), lengths[id]))
    })?)
}

fn study_agreement(study: &Study, args: &AgreeArgs) -> Result<ExitCode> {
    let mut coders = args.coders.clone();
    coders.sort();
    coders.dedup();
    let known = study.coders()?;
    if coders.is_empty() {
        // People, not the consensus sets made from them: a set compared with its own sources
        // agrees with them by construction.
        coders = thema_core::coders::primary(&study.settings, &known);
    }
    for c in &coders {
        study.known_coder(c).map_err(|e| with_hint(e, format!("coders: {}", known.join(", "))))?;
    }
    if coders.len() > 64 {
        return Err(anyhow!("at most 64 coders can be compared at once; name them: `thema agree A B C`"));
    }
    if coders.len() < 2 {
        return Err(with_hint(
            anyhow!("agreement needs two coders; the study has {}", count(coders.len(), "coder", "coders")),
            "a second coder codes the same documents with `--coder`, then `thema agree`",
        ));
    }
    let codebook = study.load_codebook()?;
    let codings = placed_codings(study, &coders)?;
    if args.unit == "span" {
        let shared = shared_units(study, &codings, &coders, UnitKind::Turn)?;
        if shared.documents.is_empty() {
            return Err(anyhow!("no document was coded by all of {}", coders.join(", ")));
        }
        let mut unitized = coded::unitizing_study(&codings, &shared);
        if !args.codes.is_empty() {
            let wanted: Vec<String> =
                args.codes.iter().map(|c| codebook.resolve(c).map(|e| e.id.clone())).collect::<Result<_, _>>()?;
            unitized.units.retain(|u| wanted.contains(&u.category));
        }
        eprintln!(
            "unitized alpha over {} coded by {}",
            count(shared.documents.len(), "document", "documents"),
            coders.join(", ")
        );
        return print_unitizing(&unitized, args.json);
    }
    let kind = if args.unit == "sentence" { UnitKind::Sentence } else { UnitKind::Turn };
    let report = compute(study, &codebook, &codings, &coders, kind, args)?;
    if args.json {
        print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    let (header, rows) = report.rows();
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = Table::new(&header_refs);
    for row in rows {
        table.row(row);
    }
    table.print(&mut out)?;
    for v in report.overall.iter().filter(|v| v.ci95.is_some()) {
        let (a, b) = v.ci95.unwrap_or_default();
        writeln!(
            out,
            "\n{} over all codes: {:.3}, 95% CI {a:.3} to {b:.3} ({} resamples of units, seed {})",
            v.metric,
            v.value.unwrap_or_default(),
            args.bootstrap,
            args.seed
        )?;
    }
    let undefined: Vec<String> = report
        .codes
        .iter()
        .flat_map(|c| {
            c.statistics
                .iter()
                .filter_map(move |s| s.undefined.as_ref().map(|u| format!("{}: {}: {u}", c.name, s.metric)))
        })
        .collect();
    for u in undefined.iter().take(5) {
        writeln!(out, "— {u}")?;
    }
    if report.disagreement_count > 0 {
        writeln!(out, "\ndisagreements ({}):", report.disagreement_count)?;
        for d in report.disagreements.iter().take(args.show) {
            let name = codebook.get(&d.code).map_or(d.code.as_str(), |e| e.name.as_str());
            let at =
                if kind == UnitKind::Sentence { format!(" [{}..{}]", d.span.start, d.span.end) } else { String::new() };
            writeln!(
                out,
                "  {}{at}  {name}: {} applied it, {} did not",
                d.turn,
                d.applied_by.join(", "),
                d.not_by.join(", ")
            )?;
        }
        if report.disagreement_count > args.show {
            writeln!(out, "  ... and {} more (`--show N`, or `--json`)", report.disagreement_count - args.show)?;
        }
    }
    eprintln!(
        "{} coded by {}, {} {}s; each unit and code is 1 (applied) or 0 for each coder",
        count(report.documents.len(), "document", "documents"),
        coders.join(", "),
        report.units,
        args.unit
    );
    Ok(ExitCode::SUCCESS)
}

/// Agreement of `coders` on the documents all of them coded, by turn or sentence, per code and
/// pooled.
fn compute(
    study: &Study,
    codebook: &thema_core::Codebook,
    codings: &[thema_core::Coding],
    coders: &[String],
    kind: UnitKind,
    args: &AgreeArgs,
) -> Result<StudyReport> {
    let shared = shared_units(study, codings, coders, kind)?;
    if shared.documents.is_empty() {
        return Err(with_hint(
            anyhow!("no document was coded by all of {}", coders.join(", ")),
            "agreement is measured on documents every coder has coded; see `thema coders`",
        ));
    }
    // With `--code`, each entry named counts where a coder applied it or anything under it.
    let shared = if args.codes.is_empty() {
        shared
    } else {
        let mut groups = Vec::new();
        for c in &args.codes {
            let entry = codebook.resolve(c).map_err(|e| with_hint(e, "see `thema codebook`"))?;
            let mut ids = codebook.descendants(&entry.id);
            ids.insert(entry.id.clone());
            let members = shared.codes.iter().enumerate().filter(|(_, k)| ids.contains(*k)).map(|(i, _)| i).collect();
            groups.push((entry.id.clone(), members));
        }
        shared.rolled_up(&groups)
    };
    let tallies = shared.tallies();
    let mut report = StudyReport {
        coders: coders.to_vec(),
        totals: (0..coders.len()).map(|c| (0..shared.codes.len()).map(|k| tallies.applied(k, c)).sum()).collect(),
        unit: kind,
        documents: shared.documents.clone(),
        units: shared.unit_count(),
        codes: Vec::new(),
        overall: Vec::new(),
        disagreement_count: shared.disagreement_count(),
        // Printed, the first `--show`; as JSON, all.
        disagreements: shared.disagreements_up_to(if args.json { usize::MAX } else { args.show }),
    };
    for k in 0..shared.codes.len() {
        let ratings = tallies.ratings(Some(k))?;
        let coded_by = coders.iter().enumerate().map(|(c, name)| (name.clone(), tallies.applied(k, c))).collect();
        let name = codebook.get(&shared.codes[k]).map_or_else(|| shared.codes[k].clone(), |e| e.name.clone());
        report.codes.push(CodeAgreement {
            code: shared.codes[k].clone(),
            name,
            units: shared.unit_count(),
            coded_by,
            statistics: statistics(&ratings, &args.metric, Level::Nominal, 0, args.seed)?,
        });
    }
    let pooled = tallies.ratings(None)?;
    report.overall = statistics(&pooled, &args.metric, Level::Nominal, args.bootstrap, args.seed)?;
    Ok(report)
}

impl StudyReport {
    /// The per-code table as printed: code, units each coder applied it to, the statistics; a
    /// last row for all codes pooled.
    fn rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["code".to_owned()];
        header.extend(self.coders.iter().cloned());
        let names: Vec<String> =
            self.codes.first().map(|c| c.statistics.iter().map(|s| short(&s.metric)).collect()).unwrap_or_default();
        header.extend(names);
        let shown = |s: &Value| s.value.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"));
        let mut rows = Vec::new();
        for c in &self.codes {
            let mut row = vec![c.name.clone()];
            row.extend(c.coded_by.iter().map(|(_, n)| n.to_string()));
            row.extend(c.statistics.iter().map(shown));
            rows.push(row);
        }
        let mut row = vec!["(all codes)".to_owned()];
        row.extend(self.totals.iter().map(usize::to_string));
        row.extend(self.overall.iter().map(shown));
        rows.push(row);
        (header, rows)
    }
}

/// Agreement on the study for the report: every coder, by turn, all statistics, alpha's
/// bootstrap interval from 1,000 resamples (seed 1); or why there is none.
pub(crate) fn summary(study: &Study) -> Result<std::result::Result<thema_publish::table::Table, String>> {
    let coders = thema_core::coders::primary(&study.settings, &study.coders()?);
    if coders.len() < 2 {
        return Ok(Err(format!(
            "Agreement needs two primary coders; the study has {}.",
            count(coders.len(), "primary coder", "primary coders")
        )));
    }
    if coders.len() > 64 {
        return Ok(Err("More than 64 coders: run `thema agree` on the ones to compare.".to_owned()));
    }
    let codebook = study.load_codebook()?;
    let codings = placed_codings(study, &coders)?;
    let args = AgreeArgs {
        coders: Vec::new(),
        verbose: false,
        unit: "turn".to_owned(),
        codes: Vec::new(),
        data: None,
        units: None,
        length: None,
        begin: 0,
        metric: "all".to_owned(),
        level: Level::Nominal,
        bootstrap: 1000,
        seed: 1,
        show: 0,
        json: false,
    };
    let report = match compute(study, &codebook, &codings, &coders, UnitKind::Turn, &args) {
        Ok(r) => r,
        Err(e) => return Ok(Err(format!("No agreement: {e}."))),
    };
    let (header, rows) = report.rows();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = thema_publish::table::Table::new("Intercoder agreement by turn", &header);
    table.rows = rows.into_iter().map(thema_publish::table::Row::new).collect();
    table.notes.push(format!(
        "{} coded by {}; {} turns. Each turn and code is 1 (applied) or 0 for each coder.",
        count(report.documents.len(), "document", "documents"),
        report.coders.join(", "),
        report.units
    ));
    for v in report.overall.iter().filter(|v| v.ci95.is_some()) {
        let (a, b) = v.ci95.unwrap_or_default();
        table.notes.push(format!(
            "{} over all codes: {:.3}, 95% CI {a:.3} to {b:.3} (1,000 bootstrap resamples of turns, seed 1).",
            v.metric,
            v.value.unwrap_or_default()
        ));
    }
    table.notes.push(format!("{} disagreements: `thema agree` lists them.", report.disagreement_count));
    Ok(Ok(table))
}

/// Column headings for the per-code table.
fn short(metric: &str) -> String {
    match metric {
        m if m.starts_with("Krippendorff") => "alpha".into(),
        "percent agreement (pairwise)" => "percent".into(),
        "Cohen's kappa" => "kappa".into(),
        "Fleiss' kappa" => "Fleiss".into(),
        "Conger's kappa" => "Conger".into(),
        "Gwet's AC1" => "AC1".into(),
        "Brennan-Prediger" => "BP".into(),
        other => other.to_owned(),
    }
}
