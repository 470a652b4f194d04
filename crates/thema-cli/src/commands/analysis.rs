//! `thema saturation`, `thema cooccur` and `thema participants table`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use serde::Serialize;
use thema_analysis::saturation::{self, Parameters};
use thema_analysis::study_cooccurrence::{self, CooccurOptions, CooccurReport, Cooccurrence};
use thema_analysis::study_saturation;
use thema_core::{EntryKind, Study};
use thema_publish::network::Network;
use thema_publish::team_report;
use thema_publish::ExportFormat;

use crate::cli::{CooccurArgs, MatrixArgs, SaturationArgs};
use crate::output::{count, hinted, print_json, with_hint, Table};

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

/// The saturation settings `args` ask for: each from the command line, else from
/// `[saturation]` in `thema.toml`, else Guest et al.'s defaults.
fn saturation_options(study: &Study, args: &SaturationArgs) -> Result<study_saturation::SaturationOptions> {
    let mut options = study_saturation::options(
        &study.settings.saturation,
        args.order.as_deref(),
        args.base,
        args.run,
        args.threshold.as_deref(),
        &args.kinds,
    )
    .map_err(hinted)?;
    options.waves.clone_from(&args.waves);
    Ok(options)
}

/// The saturation assessment `args` ask for, on the codings of `set`: each setting from the
/// command line, else from `[saturation]` in `thema.toml`, else Guest et al.'s defaults.
pub(crate) fn assess_saturation(
    study: &Study,
    set: &thema_core::coders::CoderSet,
    args: &SaturationArgs,
) -> Result<(saturation::Saturation, Parameters)> {
    let options = saturation_options(study, args)?;
    let result = study_saturation::assess(study, set, &options).map_err(hinted)?;
    Ok((result, options.parameters))
}

pub(crate) fn saturation(study: &Study, coders: &[String], args: SaturationArgs) -> Result<ExitCode> {
    // `--by-coder X` is `--coders X`, kept for scripts that use it.
    let named: Vec<String> = args.by_coder.iter().cloned().chain(coders.iter().cloned()).collect();
    let set = super::coder_set(study, &named)?;
    if args.by.is_some() {
        return saturation_by_wave(study, &set, &args);
    }
    let (result, parameters) = assess_saturation(study, &set, &args)?;
    if let Some(path) = &args.chart {
        let chart = team_report::saturation_chart(&result, parameters, thema_render::Format::of(path))?;
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
            caveat: study_saturation::caveat(&result),
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    print_saturation(&result, parameters)
}

/// `saturation --by wave`: each wave assessed on its own, one after the other.
fn saturation_by_wave(study: &Study, set: &thema_core::coders::CoderSet, args: &SaturationArgs) -> Result<ExitCode> {
    if args.chart.is_some() {
        return Err(with_hint(anyhow!("`--chart` draws one curve"), "choose the wave: `--wave N --chart FILE`"));
    }
    let options = saturation_options(study, args)?;
    let found = study_saturation::assess_by_wave(study, set, &options).map_err(hinted)?;
    if args.json {
        #[derive(Serialize)]
        struct Wave<'a> {
            wave: u32,
            #[serde(skip_serializing_if = "Option::is_none")]
            result: Option<&'a saturation::Saturation>,
            #[serde(skip_serializing_if = "Option::is_none")]
            undefined: Option<String>,
        }
        let waves: Vec<Wave> = found
            .iter()
            .map(|(wave, r)| Wave {
                wave: *wave,
                result: r.as_ref().ok(),
                undefined: r.as_ref().err().map(ToString::to_string),
            })
            .collect();
        print_json(&serde_json::json!({ "coders": crate::output::Whose::of(set), "waves": waves }))?;
        return Ok(ExitCode::SUCCESS);
    }
    for (i, (wave, result)) in found.iter().enumerate() {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}wave {wave}", if i == 0 { "" } else { "\n" })?;
        match result {
            Ok(result) => {
                drop(out);
                print_saturation(result, options.parameters)?;
            }
            Err(e) => writeln!(out, "no assessment: {e}")?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The saturation table, runs and verdict on standard output.
fn print_saturation(result: &saturation::Saturation, parameters: Parameters) -> Result<ExitCode> {
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
    writeln!(out, "\n{}", study_saturation::verdict(result, parameters))?;
    if let Some(caveat) = study_saturation::caveat(result) {
        writeln!(out, "{caveat}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The co-occurrence options `args` ask for (`--where` already parsed).
pub(crate) fn cooccur_options(study: &Study, args: &CooccurArgs) -> Result<CooccurOptions> {
    let roll_up = args.roll_up.as_deref().map(study_cooccurrence::entry_kind).transpose().map_err(hinted)?;
    Ok(CooccurOptions {
        within: args.within,
        roll_up,
        codes: args.codes.clone(),
        conditions: super::conditions(study, &args.wheres, &args.waves)?,
        per_document: args.per_document,
        coefficient: args.coefficient,
        min: args.min,
    })
}

/// The heatmap of a co-occurrence, drawn; `None` without a report.
pub(crate) fn cooccur_heatmap(
    found: &Cooccurrence,
    options: &CooccurOptions,
    cluster: bool,
    format: thema_render::Format,
) -> Result<Option<Vec<u8>>> {
    let Some(h) = found.heatmap(options.coefficient, options.within, cluster) else { return Ok(None) };
    Ok(Some(team_report::heatmap_chart(&h, format)?))
}

pub(crate) fn cooccur(study: &Study, coders: &[String], args: CooccurArgs) -> Result<ExitCode> {
    let set = super::coder_set(study, coders)?;
    let options = cooccur_options(study, &args)?;
    let found = study_cooccurrence::cooccurrence(study, &set, &options).map_err(hinted)?;
    let Cooccurrence { codes, reports, .. } = &found;
    let name = |id: &str| found.name(id);
    if let Some(path) = &args.heatmap {
        if let Some(chart) = cooccur_heatmap(&found, &options, args.cluster, thema_render::Format::of(path))? {
            write_output(path, &chart, "the heatmap")?;
        }
    }
    // Networks from the pooled (or first) report.
    if let Some(pooled) = reports.first() {
        let network = Network { codes, counts: &pooled.counts, pairs: &pooled.pairs, name: &name };
        for (path, format, what) in [
            (&args.graphml, ExportFormat::GraphMl, "the network (GraphML)"),
            (&args.dot, ExportFormat::Dot, "the network (DOT)"),
        ] {
            if let Some(path) = path {
                write_output(path, format.network(&network)?.as_bytes(), what)?;
            }
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
            args.within.description(),
            if report.pairs.iter().any(|p| p.unbalanced) {
                "; * one code is used more than five times as often as the other: read its coefficients with care"
            } else {
                ""
            }
        );
    }
    Ok(ExitCode::SUCCESS)
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
    thema_analysis::participants::selected(study, documents, kinds).map_err(hinted)
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
    let conditions = super::conditions(study, &args.wheres, &args.waves)?;
    // `--by-coder X` is `--coders X`, kept for scripts that use it.
    let named: Vec<String> = args.by_coder.iter().cloned().chain(coders.iter().cloned()).collect();
    let set = super::coder_set(study, &named)?;
    // Quotes are needed for the framework's cells and for counting words, not for counts.
    let codings = if args.framework || args.value == "words" {
        study.load_set_codings(&set)?
    } else {
        study.load_set_placements(&set)?
    };
    if args.framework {
        if args.format == "parquet" {
            return Err(anyhow!("the framework matrix holds quotes; write it as csv, json or markdown"));
        }
        return framework_matrix(study, &codebook, kind, &conditions, codings, &args);
    }
    let mut segments = thema_core::segment::attribute(study, codings)?;
    segments.retain(|s| s.meets(study, &conditions));
    let output = {
        let value = match args.value.as_str() {
            "presence" => Value::Presence,
            "words" => Value::Words,
            _ => Value::Segments,
        };
        // Every document is a column, those of the waves asked for with `--wave`.
        let in_waves =
            |d: &&thema_core::DocumentMeta| args.waves.is_empty() || d.wave.is_some_and(|w| args.waves.contains(&w));
        let columns =
            (args.by == "document").then(|| study.documents().iter().filter(in_waves).map(|d| d.id.clone()).collect());
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
            let mut totals = matrix.totals();
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
            let bytes = thema_parquet::matrix_parquet(&matrix).map_err(|e| anyhow!("writing Parquet: {e}"))?;
            write_output(path, &bytes, "the matrix (Parquet)")?;
            return Ok(ExitCode::SUCCESS);
        }
        match args.format.as_str() {
            "csv" => thema_publish::matrix::csv(&matrix)?,
            "markdown" => thema_publish::matrix::markdown(&matrix),
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
        }
    };
    match &args.out {
        Some(path) => write_output(path, output.as_bytes(), "the matrix")?,
        None => print!("{output}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `matrix --framework`: built a block of documents at a time, holding the quotes of its cells
/// and not every segment, and written a participant at a time, dropping what is written.
fn framework_matrix(
    study: &Study,
    codebook: &thema_core::Codebook,
    kind: EntryKind,
    conditions: &[thema_core::filter::Where],
    codings: Vec<thema_core::Coding>,
    args: &MatrixArgs,
) -> Result<ExitCode> {
    use thema_publish::matrix as publish;
    let mut framework = thema_analysis::matrix::Framework::new(study, codebook, kind, conditions);
    // By document id: the order the whole study's segments come in.
    for block in thema_analysis::document_blocks::in_blocks(study, codings, str::to_owned) {
        let mut segments = block?;
        segments.retain(|s| s.meets(study, conditions));
        framework.add(&segments);
    }
    let (people, entries) = (framework.people(), framework.entries());
    let mut rows = framework.into_rows();
    let mut write = |out: &mut dyn std::io::Write| -> Result<()> {
        match args.format.as_str() {
            "json" => publish::write_framework_json(out, &people, &entries, &mut rows)?,
            "csv" => publish::write_framework_csv(out, &entries, &mut rows)?,
            _ => publish::write_framework_markdown(out, &entries, &mut rows)?,
        }
        Ok(out.flush()?)
    };
    match &args.out {
        Some(path) => {
            let mut file = create_output(path)?;
            let temporary = file.temporary_path().to_owned();
            write(&mut std::io::BufWriter::new(&mut file))
                .with_context(|| format!("cannot write {}", temporary.display()))?;
            file.commit()?;
            eprintln!("wrote the matrix to {}", path.display());
        }
        None => write(&mut std::io::BufWriter::new(std::io::stdout().lock()))?,
    }
    Ok(ExitCode::SUCCESS)
}
