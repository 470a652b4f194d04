//! `thema waves` and `thema trajectories`: longitudinal studies, the same people across waves.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use serde::Serialize;
use thema_analysis::alluvial::TrajectoryChart;
use thema_analysis::trajectories::{self, TrajectoryOptions};
use thema_analysis::waves;
use thema_core::{EntryKind, Study};
use thema_publish::trajectories as publish;
use thema_publish::ExportFormat;

use super::analysis::write_output;
use crate::cli::{TrajectoriesArgs, WavesArgs};
use crate::output::{hinted, print_json, with_hint, Table};

/// A published table on the terminal: the cells' lines joined by commas, the notes on stderr.
fn print_table(out: &mut impl Write, table: &thema_publish::table::Table) -> Result<()> {
    let header: Vec<&str> = table.columns.iter().map(String::as_str).collect();
    let mut shown = Table::new(&header);
    for row in &table.rows {
        shown.row(row.cells.iter().map(|c| c.replace('\n', ", ")).collect());
    }
    shown.print(out)?;
    Ok(())
}

pub(crate) fn waves(study: &Study, args: WavesArgs) -> Result<ExitCode> {
    let found = waves::participation(study).map_err(hinted)?;
    for note in &found.notes {
        eprintln!("note: {note}");
    }
    if !found.without_wave.is_empty() {
        eprintln!("left out (no wave): {}", found.without_wave.join(", "));
    }
    let by_wave = waves::people_by_wave(study).map_err(hinted)?;
    let types = &study.settings.participant_attributes;
    if args.format == "json" {
        #[derive(Serialize)]
        struct Out<'a> {
            #[serde(flatten)]
            waves: &'a waves::WaveTable,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            participants_tables: Vec<(u32, thema_analysis::participants::Table1)>,
        }
        let participants_tables = if args.participants_table {
            by_wave
                .iter()
                .map(|(w, people)| (*w, thema_analysis::participants::table(&people.iter().collect::<Vec<_>>(), types)))
                .collect()
        } else {
            Vec::new()
        };
        print_json(&Out { waves: &found, participants_tables })?;
        return Ok(ExitCode::SUCCESS);
    }
    let participation = publish::participation_table(&found);
    let retention = publish::retention_table(&found);
    let mut out = std::io::stdout().lock();
    match args.format.as_str() {
        "csv" => out.write_all(ExportFormat::Csv.table(&participation)?.as_slice())?,
        "markdown" => {
            for table in [&participation, &retention] {
                let text = String::from_utf8(ExportFormat::Markdown.table(table)?)?;
                writeln!(out, "{}\n", text.trim_end())?;
            }
        }
        _ => {
            print_table(&mut out, &participation)?;
            writeln!(out)?;
            print_table(&mut out, &retention)?;
        }
    }
    if args.participants_table {
        for (w, people) in &by_wave {
            let table = thema_analysis::participants::table(&people.iter().collect::<Vec<_>>(), types);
            writeln!(out, "\nwave {w}: {} participants", people.len())?;
            write!(out, "{}", table.render(args.format == "markdown", false))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What `args` ask of the trajectories, converted.
fn options(args: &TrajectoriesArgs) -> Result<TrajectoryOptions> {
    let rows = EntryKind::from_name(&args.rows).ok_or_else(|| {
        with_hint(anyhow!("`{}` is not a kind of codebook entry", args.rows), "code, category, sub-theme or theme")
    })?;
    Ok(TrajectoryOptions { rows, participants: args.participants.clone(), waves: args.waves.clone() })
}

pub(crate) fn trajectories(study: &Study, coders: &[String], args: TrajectoriesArgs) -> Result<ExitCode> {
    let options = options(&args)?;
    // `--by-coder X` is `--coders X`, as in `matrix`.
    let named: Vec<String> = args.by_coder.iter().cloned().chain(coders.iter().cloned()).collect();
    let set = super::coder_set(study, &named)?;
    let format = match args.format.as_str() {
        "table" | "json" => None,
        name => Some(ExportFormat::from_name(name).filter(|f| f.writes_tables()).ok_or_else(|| {
            with_hint(
                anyhow!("`{name}` is not an output of trajectories"),
                "table, json, md, csv, xlsx, latex, docx, html or parquet",
            )
        })?),
    };
    if args.framework {
        return framework(study, &set, &options, &args, format);
    }
    let found = trajectories::trajectories(study, &set, &options).map_err(hinted)?;
    if !found.without_wave.is_empty() {
        eprintln!("left out (no wave): {}", found.without_wave.join(", "));
    }
    if let Some(path) = &args.chart {
        let entry = match &args.entry {
            Some(name) => {
                let codebook = study.load_codebook()?;
                let entry = codebook.resolve(name).map_err(|e| with_hint(e, "`thema codebook` shows the entries"))?;
                Some(entry.id.clone())
            }
            None => None,
        };
        let format = thema_render::Format::of(path);
        let (chart, what) = match args.chart_kind {
            TrajectoryChart::Presence => {
                (publish::presence_chart(&found, entry.as_deref(), format)?, "the presence chart")
            }
            TrajectoryChart::Alluvial => {
                (publish::alluvial_chart(&found, entry.as_deref(), format)?, "the alluvial chart")
            }
        };
        write_output(path, &chart, what)?;
    }
    let Some(format) = format else {
        if args.format == "json" {
            #[derive(Serialize)]
            struct Out<'a> {
                coders: crate::output::Whose,
                #[serde(flatten)]
                trajectories: &'a trajectories::Trajectories,
            }
            print_json(&Out { coders: crate::output::Whose::of(&set), trajectories: &found })?;
        } else {
            let mut out = std::io::stdout().lock();
            if !args.changes {
                print_table(&mut out, &publish::participants_table(&found, false))?;
                writeln!(out)?;
            }
            if found.waves.len() < 2 {
                eprintln!("one wave: no change between waves to count (`thema ls` shows each document's wave)");
                return Ok(ExitCode::SUCCESS);
            }
            print_table(&mut out, &publish::changes_table(&found))?;
            eprintln!(
                "{} of {}; gained, kept and lost among the participants interviewed in both waves",
                crate::output::count(found.rows.len(), &found.rows_kind, &format!("{}s", found.rows_kind)),
                set.describe()
            );
        }
        return Ok(ExitCode::SUCCESS);
    };
    let table = if args.changes {
        publish::changes_table(&found)
    } else {
        publish::participants_table(&found, format.is_data())
    };
    let bytes = if format == ExportFormat::Parquet {
        let columns: Vec<&str> = table.columns.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = table.rows.iter().map(|r| r.cells.clone()).collect();
        let integers: &[&str] = if args.changes { &publish::CHANGE_INTEGERS } else { &[] };
        let mut frame =
            thema_parquet::text_frame(&columns, &rows, integers, &[]).map_err(|e| anyhow!("writing Parquet: {e}"))?;
        thema_parquet::frame_parquet(&mut frame).map_err(|e| anyhow!("writing Parquet: {e}"))?
    } else {
        format.table(&table)?
    };
    emit(&args, format, &bytes, "the trajectories")
}

/// Write `bytes` to `--out`, or print them when the format is text.
fn emit(args: &TrajectoriesArgs, format: ExportFormat, bytes: &[u8], what: &str) -> Result<ExitCode> {
    match &args.out {
        Some(path) => write_output(path, bytes, what)?,
        None if format.is_binary() => {
            return Err(with_hint(
                anyhow!("{} is binary: where should it go?", format.name()),
                format!("pass `--out FILE.{}`", format.name()),
            ))
        }
        None => std::io::stdout().lock().write_all(bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `--framework`: the framework matrix of each wave.
fn framework(
    study: &Study,
    set: &thema_core::coders::CoderSet,
    options: &TrajectoryOptions,
    args: &TrajectoriesArgs,
    format: Option<ExportFormat>,
) -> Result<ExitCode> {
    let frameworks = trajectories::frameworks(study, set, options).map_err(hinted)?;
    let text = match format {
        None if args.format == "json" => serde_json::to_string_pretty(&frameworks)? + "\n",
        Some(ExportFormat::Csv) => String::from_utf8(ExportFormat::Csv.table(&publish::framework_table(&frameworks))?)?,
        None | Some(ExportFormat::Markdown) => frameworks
            .iter()
            .map(|f| {
                format!(
                    "# Wave {}\n\n{}",
                    f.wave,
                    thema_publish::matrix::framework_markdown(&f.participants, &f.entries, &f.cells)
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Some(other) => {
            return Err(with_hint(
                anyhow!("the framework matrix holds quotes; it is not written as {}", other.name()),
                "`--format md`, `csv` or `json`",
            ))
        }
    };
    emit(args, ExportFormat::Markdown, text.as_bytes(), "the framework matrices")
}
