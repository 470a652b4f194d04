//! `thema agree`: intercoder agreement on the study's codings, on a ratings file, or on a file
//! of units marked on a continuum.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use thema_analysis::coded::UnitKind;
use thema_analysis::data_files;
use thema_analysis::study_agreement::{
    self as agree, AgreeOptions, Metric, StatisticsOptions, StudyAgreement, Unit, UnitizedAgreement, Value,
};
use thema_core::Study;

use crate::cli::AgreeArgs;
use crate::output::{count, hinted, print_json, with_hint, Notes, Table};

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
    for v in values.iter().filter(|v| v.ci95.is_some()) {
        match v.kind {
            Metric::Alpha => {
                eprintln!("alpha's interval: percentile bootstrap over units, {bootstrap} resamples, seed {seed}")
            }
            Metric::Icc => {
                eprintln!("the ICC's interval: Shrout & Fleiss (1979), McGraw & Wong (1996), from F quantiles")
            }
            Metric::CohenKappa => eprintln!(
                "kappa's interval: ± 1.96 asymptotic standard errors (Fleiss, Cohen & Everitt 1969); SE {:.4}",
                v.se.unwrap_or_default()
            ),
            _ => eprintln!(
                "interval of {}: Gwet's variance (2014), t with units − 1 degrees of freedom; SE {:.4}",
                v.metric,
                v.se.unwrap_or_default()
            ),
        }
    }
    Ok(())
}

/// `--data ratings.csv`: a header of coder names (and an optional first column `unit`), one
/// row a unit, an empty cell a missing rating; the columns of the coders named, if any. With
/// `--counts`, a subject-by-category table.
fn ratings_file(path: &Path, args: &AgreeArgs) -> Result<ExitCode> {
    let ratings = if args.counts {
        if !args.coders.is_empty() {
            return Err(with_hint(
                anyhow!("a table of counts (`--counts`) has no coders to choose"),
                "leave out the coder names, or give the ratings one column a coder",
            ));
        }
        data_files::read_counts(path).map_err(hinted)?
    } else {
        // clap gives the positional coders under the global `--coders` too: each name once.
        let mut named: Vec<String> = Vec::new();
        for c in &args.coders {
            if !named.contains(c) {
                named.push(c.clone());
            }
        }
        let read = data_files::read_ratings(path).map_err(hinted)?.select(path, &named).map_err(hinted)?;
        let mut notes = Notes::default();
        for line in &read.empty_lines {
            notes.add(format!("`{}` line {line}", path.display()), "a unit with no ratings, left out");
        }
        notes.print("note: ", args.verbose);
        read.ratings(path).map_err(hinted)?
    };
    let ratings = if args.categories.is_empty() {
        ratings
    } else {
        ratings.with_categories(&args.categories).map_err(|e| {
            with_hint(anyhow!("`{}`: {e}", path.display()), "`--categories` lists every category of the scale")
        })?
    };
    let weights = match &args.weights {
        Some(spec) => Some(data_files::weights(spec, &ratings).map_err(hinted)?),
        None => None,
    };
    let values = Metric::parse(&args.metric)
        .and_then(|metric| {
            let options = StatisticsOptions {
                metric,
                level: args.level,
                bootstrap: args.bootstrap,
                seed: args.seed,
                raters: !args.counts,
                weights,
                icc_model: args.model,
                icc_measure: args.measure,
                tie_correction: !args.no_tie_correction,
                category: args.category.clone(),
            };
            agree::statistics_with(&ratings, &options)
        })
        .map_err(|e| {
            let hint = e.hint();
            let error = anyhow!("`{}`: {:#}", path.display(), anyhow::Error::from(e));
            match hint {
                Some(hint) => with_hint(error, hint),
                None => error,
            }
        })?;
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
    if !matches!(Metric::from_name(&args.metric), Some(Metric::All | Metric::UnitizedAlpha)) {
        return Err(anyhow!("`--units` computes `--metric unitized-alpha` only"));
    }
    let Some(length) = args.length else {
        return Err(with_hint(
            anyhow!("how long is the continuum?"),
            "pass `--length N` (and `--begin B` if it does not start at 0)",
        ));
    };
    let study = data_files::read_units(path, args.begin, length).map_err(hinted)?;
    let report = UnitizedAgreement::of(&study);
    let Some(category) = &args.category else { return print_unitizing(&report, args.json) };
    let value = report.category(category).map_err(hinted)?;
    if args.json {
        print_json(&value)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["category", "observed", "expected", "alpha"]);
    let alpha = value
        .value
        .map_or_else(|| format!("undefined ({})", value.undefined.unwrap_or_default()), |a| format!("{a:.4}"));
    table.row(vec![value.category, format!("{:.4}", value.observed), format!("{:.4}", value.expected), alpha]);
    table.print(&mut std::io::stdout().lock())?;
    Ok(ExitCode::SUCCESS)
}

fn print_unitizing(report: &UnitizedAgreement, json: bool) -> Result<ExitCode> {
    if json {
        print_json(report)?;
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

fn study_agreement(study: &Study, args: &AgreeArgs) -> Result<ExitCode> {
    if args.category.is_some() {
        return Err(with_hint(
            anyhow!("`--category` is for a ratings file (`--data`) or a file of units (`--units`)"),
            "on the study, `--code CODE` asks for one code",
        ));
    }
    // The metric is parsed here, not by clap, to keep its message and hint: "`kappa` is not a
    // metric", with the list.
    let metric = match args.unit {
        Unit::Span => Metric::All,
        _ => Metric::parse(&args.metric).map_err(hinted)?,
    };
    let options = AgreeOptions {
        coders: args.coders.clone(),
        unit: args.unit,
        codes: args.codes.clone(),
        metric,
        bootstrap: args.bootstrap,
        seed: args.seed,
        // Printed, the first `--show`; as JSON, all.
        disagreements: if args.json { usize::MAX } else { args.show },
        waves: args.waves.clone(),
    };
    let (coders, found) = agree::agree(study, &options).map_err(hinted)?;
    let report = match found {
        StudyAgreement::Unitized { agreement, documents } => {
            eprintln!(
                "unitized alpha over {} coded by {}",
                count(documents, "document", "documents"),
                coders.join(", ")
            );
            return print_unitizing(&agreement, args.json);
        }
        StudyAgreement::Coded(report) => report,
    };
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
            let name = report.codes.iter().find(|c| c.code == d.code).map_or(d.code.as_str(), |c| c.name.as_str());
            let at = if report.unit == UnitKind::Sentence {
                format!(" [{}..{}]", d.span.start, d.span.end)
            } else {
                String::new()
            };
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
