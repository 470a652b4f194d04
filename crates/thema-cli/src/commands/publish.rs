//! `thema exemplar` and `thema export`: what a study publishes, in the formats papers and
//! programs take.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use serde::Serialize;
use thema_analysis::document_blocks;
use thema_core::codebook::EntryKind;
use thema_core::coders::CoderSet;
use thema_core::segment::{self, Segment};
use thema_core::Study;
use thema_publish::table::Table;
use thema_publish::tables::{self, Audience};
use thema_publish::ExportFormat;
use thema_render::map::{self, MapOptions};

use super::analysis::{create_output, write_output};
use crate::cli::{ExemplarArgs, ExportArgs, ExportWhat, MapArgs};
use crate::output::{count, print_json, shorten, with_hint};

/// Documents in import order, for ordering quotes.
pub(crate) fn document_order(study: &Study) -> BTreeMap<String, u32> {
    study.documents().iter().map(|m| (m.id.clone(), m.sequence)).collect()
}

/// Every coding of a coder set (pooled when it holds several coders) attributed to its turn and
/// participant.
pub(crate) fn all_segments(study: &Study, set: &CoderSet) -> Result<Vec<Segment>> {
    Ok(segment::attribute(study, study.load_set_codings(set)?)?)
}

#[derive(Serialize)]
struct Listed<'a> {
    code: &'a str,
    name: &'a str,
    document: &'a str,
    turn: Option<&'a str>,
    attribution: String,
    /// The words spoken, without the labels between turns.
    quote: String,
    coder: &'a str,
}

pub(crate) fn exemplar(
    study: &Study,
    coder: Option<String>,
    coders: &[String],
    args: ExemplarArgs,
) -> Result<ExitCode> {
    let codebook = study.load_codebook()?;
    let passage = &args.passage;
    if args.code.is_none()
        && (passage.doc.is_some() || passage.quote.is_some() || passage.turn.is_some() || passage.span.is_some())
    {
        return Err(with_hint(
            anyhow!("which code's coding of that passage is the exemplar?"),
            "name it first: `thema exemplar \"being honest\" --turn fg1:T7`",
        ));
    }
    let Some(code) = &args.code else {
        let attributor = super::attributor(study, args.attribution.as_deref())?;
        // One row a passage: a pooled set lists a passage its coders marked once.
        let set = super::coder_set(study, coders)?;
        let mut segments: Vec<Segment> = all_segments(study, &set)?.into_iter().filter(|s| s.coding.exemplar).collect();
        let order = document_order(study);
        segments.sort_by_key(|s| (order.get(&s.coding.document).copied(), s.coding.start, s.coding.code.clone()));
        let name = |id: &str| codebook.get(id).map_or(id.to_owned(), |e| e.name.clone());
        let names: Vec<String> = segments.iter().map(|s| name(&s.coding.code)).collect();
        let listed: Vec<Listed> = segments
            .iter()
            .zip(&names)
            .map(|(s, n)| Listed {
                code: &s.coding.code,
                name: n,
                document: &s.coding.document,
                turn: s.turn.as_deref(),
                attribution: attributor.segment(s),
                quote: s.spoken_words(),
                coder: &s.coding.coder,
            })
            .collect();
        if args.json {
            print_json(&listed)?;
            return Ok(ExitCode::SUCCESS);
        }
        if listed.is_empty() {
            eprintln!("no exemplar is marked: `thema exemplar CODE --turn fg1:T3` marks the coding of that turn");
            return Ok(ExitCode::SUCCESS);
        }
        let mut out = std::io::stdout().lock();
        for l in &listed {
            writeln!(
                out,
                "{}  {}  “{}” {}",
                l.turn.unwrap_or(l.document),
                l.name,
                shorten(&l.quote.split_whitespace().collect::<Vec<_>>().join(" "), 70),
                l.attribution
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    };
    let entry = codebook.resolve(code).map_err(|e| with_hint(e, "see `thema codebook`"))?;
    if !coders.is_empty() {
        return Err(with_hint(
            anyhow!("an exemplar is marked on one coder's coding, not on a set"),
            "pass `--coder CODER` to mark that coder's coding (default: you)",
        ));
    }
    let (document, span) = super::code::locate(study, &args.passage, args.json)?;
    // The current coder's codings only: another coder's coding of the passage is theirs to mark.
    let who = super::coder(study, coder)?;
    let marked = thema_core::exemplar::mark(study, &document, span, &entry.id, &who, args.remove)
        .map_err(crate::output::hinted)?;
    let (changed, found) = (marked.changed, marked.found);
    let verb = if args.remove { "unmarked" } else { "marked" };
    eprintln!(
        "{verb} {} of {who} of `{}` as exemplar{}",
        count(changed, "coding", "codings"),
        entry.name,
        if changed < found { format!(" ({} already were)", found - changed) } else { String::new() }
    );
    Ok(ExitCode::SUCCESS)
}

/// The format of an export: `--format`, else the extension of `--out`, else Markdown.
fn export_format(args: &ExportArgs) -> Result<ExportFormat> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    let Some(ext) = args.out.as_deref().and_then(Path::extension).and_then(|e| e.to_str()) else {
        return Ok(ExportFormat::Markdown);
    };
    ExportFormat::from_extension(ext).filter(|f| f.writes_tables()).ok_or_else(|| {
        with_hint(
            anyhow!("`.{}` is not a format thema writes", ext.to_ascii_lowercase()),
            "pass `--format md|csv|xlsx|latex|docx|html|parquet`",
        )
    })
}

/// The participants table of the documents selected.
pub(crate) fn participants_table(
    study: &Study,
    documents: &[String],
    kinds: &[String],
) -> Result<thema_analysis::participants::Table1> {
    let people = super::analysis::selected_people(study, documents, kinds)?;
    Ok(thema_analysis::participants::table(&people, &study.settings.participant_attributes))
}

pub(crate) fn export(study: &Study, coders: &[String], args: ExportArgs) -> Result<ExitCode> {
    if matches!(args.what, ExportWhat::Qdc | ExportWhat::Qdpx | ExportWhat::Participants) {
        if !coders.is_empty() {
            return Err(with_hint(
                anyhow!("`--coders` chooses codings, and `export {}` holds none of them", what_name(args.what)),
                "use it with `export codebook`, `themes`, `segments` or `codings`",
            ));
        }
        if args.what != ExportWhat::Participants {
            return super::refi::export(study, args.what, args.out.as_deref());
        }
    }
    let set = match args.what {
        ExportWhat::Codings | ExportWhat::Participants => None,
        _ => Some(super::coder_set(study, coders)?),
    };
    let format = export_format(&args)?;
    if format.is_binary() && args.out.is_none() {
        return Err(with_hint(
            anyhow!("{} is a binary format: say where to write it", format.name()),
            format!("pass `--out FILE.{}`", format.name()),
        ));
    }
    let audience = if format.is_data() { Audience::Programs } else { Audience::People };
    let codebook = study.load_codebook()?;
    let attributor = super::attributor(study, args.attribution.as_deref())?;
    if let Some(path) = args.out.as_deref().filter(|_| format == ExportFormat::Parquet) {
        return export_parquet(study, &codebook, set.as_ref(), coders, args.what, path, &attributor);
    }
    let whose = set.as_ref().map(|s| format!("Codings of {}.", s.describe()));
    if args.what == ExportWhat::Segments
        && matches!(format, ExportFormat::Markdown | ExportFormat::Csv | ExportFormat::Xlsx)
    {
        let set = set.as_ref().expect("a coder set");
        return export_segments_in_blocks(study, &codebook, set, format, args.out.as_deref(), whose, &attributor);
    }
    let table: Table = match args.what {
        ExportWhat::Codebook => {
            if codebook.entries.is_empty() {
                return Err(with_hint(anyhow!("the codebook is empty"), "add entries with `thema codebook add`"));
            }
            let segments = tables::theme_segments(study, set.as_ref().expect("a coder set"))?;
            tables::codebook(&codebook, &segment::counts(&codebook, &segments), audience)
        }
        ExportWhat::Themes => {
            if tables::theme_order(&codebook).is_empty() {
                return Err(with_hint(
                    anyhow!("the codebook has no themes"),
                    "add them with `thema codebook add NAME --kind theme`, and move sub-themes and codes under them",
                ));
            }
            let segments = tables::theme_segments(study, set.as_ref().expect("a coder set"))?;
            tables::themes(&codebook, &segments, args.quotes, &document_order(study), &|s| attributor.quote(s))
        }
        ExportWhat::Participants => {
            let t = participants_table(study, &args.documents, &args.kinds)?;
            tables::participants(&t, args.median)
        }
        ExportWhat::Segments => {
            tables::segments(&codebook, &ordered_segments(study, set.as_ref().expect("a coder set"))?, &|s| {
                attributor.segment(s)
            })
        }
        ExportWhat::Codings => tables::codings(&stored_codings(study, coders)?),
        ExportWhat::Qdc | ExportWhat::Qdpx => unreachable!("REFI-QDA exports return above"),
    };
    let mut table = table;
    table.notes.extend(whose);
    if table.rows.is_empty() && matches!(args.what, ExportWhat::Segments | ExportWhat::Codings) {
        eprintln!("note: nothing is coded yet, so the table has no rows");
    }
    let bytes = format.table(&table)?;
    match &args.out {
        Some(path) => write_output(path, &bytes, &format!("the {} ({})", what_name(args.what), format.name()))?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Coded segments or codings as Parquet, a row group at a time: the rows of one batch are made,
/// typed and written before the next is made, so memory holds the segments and one batch, not
/// the segments, every cell as text and a frame of it all (2.2 GB for a million codings). The
/// file is written beside `path` and renamed over it when whole.
/// The segments of a coder set in document order.
fn ordered_segments(study: &Study, set: &CoderSet) -> Result<Vec<Segment>> {
    let mut segments = Vec::new();
    for block in ordered_blocks(study, set)? {
        segments.extend(block?);
    }
    Ok(segments)
}

/// The segments of a coder set in document order, a block of whole documents at a time: the
/// blocks one after the other are [`ordered_segments`].
fn ordered_blocks<'a>(study: &'a Study, set: &CoderSet) -> Result<impl Iterator<Item = Result<Vec<Segment>>> + 'a> {
    let codings = study.load_set_codings(set)?;
    let blocks = document_blocks::in_document_order(study, codings, document_blocks::BLOCK);
    Ok(blocks.map(|block| Ok(block?)))
}

/// The coded segments as Markdown, CSV or XLSX, a block of documents at a time (as
/// [`export_parquet`] writes them): the bytes are those of the whole table's, but memory holds
/// the codings still to come and one block's rows, not every segment and every cell (1.3 GB at
/// 10,000 documents). XLSX takes two passes, since its column widths come before its rows:
/// one for the widths, one for the rows.
fn export_segments_in_blocks(
    study: &Study,
    codebook: &thema_core::Codebook,
    set: &CoderSet,
    format: ExportFormat,
    out: Option<&Path>,
    whose: Option<String>,
    attributor: &thema_core::attribution::Attributor<'_>,
) -> Result<ExitCode> {
    let rows_of = |segments: &[Segment]| tables::segments(codebook, segments, &|s| attributor.segment(s)).rows;
    let mut head = tables::segments(codebook, &[], &|s| attributor.segment(s));
    head.notes.extend(whose);
    let mut file = out.map(create_output).transpose()?;
    let mut rows = 0;
    if format == ExportFormat::Xlsx {
        let mut lengths = thema_publish::office::ColumnLengths::new(&head);
        for block in ordered_blocks(study, set)? {
            lengths.add(&rows_of(&block?));
        }
        let mut xlsx = thema_publish::office::XlsxStream::new(&head, lengths)?;
        for block in ordered_blocks(study, set)? {
            let block = block?;
            rows += block.len();
            xlsx.rows(&rows_of(&block))?;
        }
        xlsx.finish(file.as_mut().expect("an XLSX export has a file"))?;
    } else {
        let stdout = std::io::stdout();
        let sink: Box<dyn Write + '_> = match file.as_mut() {
            Some(file) => Box::new(file),
            None => Box::new(stdout.lock()),
        };
        let mut table = head.stream(format, std::io::BufWriter::new(sink))?;
        for block in ordered_blocks(study, set)? {
            let block = block?;
            rows += block.len();
            table.rows(&rows_of(&block))?;
        }
        table.finish()?.flush()?;
    }
    if rows == 0 {
        eprintln!("note: nothing is coded yet, so the table has no rows");
    }
    if let (Some(file), Some(path)) = (file, out) {
        // A failure above drops `file`, which removes the temporary: no partial file at `path`.
        file.commit()?;
        eprintln!("wrote the {} ({}) to {}", what_name(ExportWhat::Segments), format.name(), path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The codings as stored, coder by coder, not pooled: every coder's, or the named coders'.
fn stored_codings(study: &Study, named: &[String]) -> Result<Vec<thema_core::Coding>> {
    if named.is_empty() {
        return Ok(study.load_codings()?);
    }
    let set = super::coder_set(study, named)?;
    let mut codings = Vec::new();
    for coder in &set.coders {
        codings.extend(study.load_coder_codings(coder)?);
    }
    Ok(codings)
}

fn export_parquet(
    study: &Study,
    codebook: &thema_core::Codebook,
    set: Option<&CoderSet>,
    named: &[String],
    what: ExportWhat,
    path: &Path,
    attributor: &thema_core::attribution::Attributor<'_>,
) -> Result<ExitCode> {
    if !matches!(what, ExportWhat::Segments | ExportWhat::Codings) {
        return Err(with_hint(
            anyhow!("Parquet is for data: `segments` and `codings`"),
            "write this table as CSV, XLSX or Markdown",
        ));
    }
    let batch = thema_parquet::BATCH_ROWS;
    // The table is made a piece at a time, in its order: the segments a block of documents at
    // a time (each dropped once its rows are written), the codings a batch at a time.
    let mut blocks: Box<dyn Iterator<Item = Result<Vec<Segment>>>> = Box::new(std::iter::empty());
    let mut codings = Vec::new();
    let columns: &[&str] = match what {
        ExportWhat::Segments => {
            blocks = Box::new(ordered_blocks(study, set.expect("a coder set"))?);
            &tables::SEGMENT_COLUMNS
        }
        _ => {
            codings = stored_codings(study, named)?;
            &tables::CODING_COLUMNS
        }
    };
    let mut file = create_output(path)?;
    let mut writer = thema_parquet::TextParquetWriter::new(&mut file, columns, &["start", "end"], &["exemplar"])?
        .with_batch_rows(batch);
    let mut rows = 0;
    for block in blocks {
        let segments = block?;
        rows += segments.len();
        for chunk in segments.chunks(batch) {
            for row in tables::segments(codebook, chunk, &|s| attributor.segment(s)).rows {
                writer.push(row.cells)?;
            }
        }
    }
    rows += codings.len();
    for chunk in codings.chunks(batch) {
        for row in tables::codings(chunk).rows {
            writer.push(row.cells)?;
        }
    }
    if rows == 0 {
        eprintln!("note: nothing is coded yet, so the table has no rows");
    }
    writer.finish()?;
    // A failure above drops `file`, which removes the temporary: no partial file at `path`.
    file.commit()?;
    eprintln!("wrote the {} (parquet) to {}", what_name(what), path.display());
    Ok(ExitCode::SUCCESS)
}

fn what_name(what: ExportWhat) -> &'static str {
    match what {
        ExportWhat::Codebook => "codebook",
        ExportWhat::Themes => "theme table",
        ExportWhat::Participants => "participants table",
        ExportWhat::Segments => "coded segments",
        ExportWhat::Codings => "codings",
        ExportWhat::Qdc => "codebook (REFI-QDA)",
        ExportWhat::Qdpx => "project (REFI-QDA)",
    }
}

pub(crate) fn map(study: &Study, args: MapArgs) -> Result<ExitCode> {
    let codebook = study.load_codebook()?;
    if !codebook.entries.iter().any(|e| matches!(e.kind, EntryKind::Theme | EntryKind::SubTheme)) {
        return Err(with_hint(
            anyhow!("the codebook has no themes or sub-themes to draw"),
            "add them with `thema codebook add NAME --kind theme`",
        ));
    }
    let format = match (&args.format, args.out.as_deref().and_then(Path::extension).and_then(|e| e.to_str())) {
        (Some(f), _) => f.clone(),
        (None, Some("dot" | "gv")) => "dot".to_owned(),
        (None, Some("mmd" | "mermaid")) => "mermaid".to_owned(),
        (None, Some("svg") | None) => "svg".to_owned(),
        (None, Some(other)) => {
            return Err(with_hint(
                anyhow!("`.{other}` is not a format of the map"),
                "name the file `.svg`, `.dot` or `.mmd`, or pass `--format`",
            ))
        }
    };
    let title = args.title.clone().unwrap_or_else(|| study.settings.name.clone());
    let (entries, relations) = thema_publish::team_report::map_input(&codebook);
    let options = MapOptions { codes: args.codes, title };
    let text = match format.as_str() {
        "dot" => map::dot(&entries, &relations, &options),
        "mermaid" => map::mermaid(&entries, &relations, &options),
        _ => map::svg(&map::layout(&entries, &relations, &options).map_err(|e| anyhow!("{e}"))?),
    };
    match &args.out {
        Some(path) => write_output(path, text.as_bytes(), &format!("the theme map ({format})"))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
