//! The team report built from a study: the study's codebook and codings are read once here and
//! passed to each part (overview, participants, theme map, theme table, codebook); the analyses
//! (co-occurrence, saturation, agreement) come from `thema-analysis`, their charts from
//! `thema-render`. A part that cannot be made says why in its place.

use std::collections::BTreeMap;

use thema_analysis::coded::UnitKind;
use thema_analysis::saturation::{Parameters, Saturation};
use thema_analysis::study_agreement::{self as agree, AgreeOptions};
use thema_analysis::study_cooccurrence::{self, CooccurOptions, Heatmap};
use thema_analysis::study_saturation;
use thema_core::attribution::Attributor;
use thema_core::codebook::{Codebook, EntryKind};
use thema_core::coders::CoderSet;
use thema_core::segment;
use thema_core::{Study, StudyError};
use thema_render::map::{self, MapEntry, MapKind, MapOptions, MapRelation};
use thema_render::RenderError;

use crate::count;
use crate::report::{figure, paragraphs, Report, Section};
use crate::table::{html_escape, Row, Table};
use crate::tables::{self, Audience};

/// What the report holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// The codes on the theme map, not only themes and sub-themes.
    pub codes: bool,
    /// Exemplar quotes a sub-theme in the theme table.
    pub quotes: usize,
    /// A section of memos.
    pub memos: bool,
}

/// Why the report could not be made (a part that has nothing to show says so in its place).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// Reading the study failed.
    #[error(transparent)]
    Study(#[from] StudyError),
    /// A chart could not be drawn.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The theme map could not be laid out.
    #[error("{0}")]
    Map(String),
    /// The attribution style is not one (checked only where quotes are attributed).
    #[error("{0}")]
    Attribution(String),
}

/// A paragraph saying why a part is missing.
fn missing(why: &str) -> String {
    format!("<p class=\"missing\">{}</p>\n", html_escape(why))
}

/// The first line of an error, as a sentence.
fn reason(e: &dyn std::error::Error) -> String {
    let text = e.to_string();
    let mut first = text.lines().next().unwrap_or_default().to_owned();
    if let Some(c) = first.get(..1) {
        first.replace_range(..1, &c.to_uppercase());
    }
    format!("{first}.")
}

/// The codebook as the map's input, in the codebook's order (cards, and the lines on each card,
/// follow it).
pub fn map_input(codebook: &Codebook) -> (Vec<MapEntry>, Vec<MapRelation>) {
    let entries = codebook
        .tree()
        .into_iter()
        .map(|(_, e)| MapEntry {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: match e.kind {
                EntryKind::Theme => MapKind::Theme,
                EntryKind::SubTheme => MapKind::SubTheme,
                EntryKind::Category => MapKind::Category,
                EntryKind::Code => MapKind::Code,
            },
            parent: e.parent.clone(),
            role: e.role.clone(),
            in_vivo: e.in_vivo,
        })
        .collect();
    let relations = codebook
        .relations
        .iter()
        .map(|r| MapRelation { from: r.from.clone(), to: r.to.clone(), label: r.label.clone() })
        .collect();
    (entries, relations)
}

/// The theme map as SVG.
pub fn map_svg(codebook: &Codebook, codes: bool, title: &str) -> Result<String, ReportError> {
    let (entries, relations) = map_input(codebook);
    let options = MapOptions { codes, title: title.to_owned() };
    let layout = map::layout(&entries, &relations, &options).map_err(|e| ReportError::Map(e.to_string()))?;
    Ok(map::svg(&layout))
}

/// Every part of the report on the codings of `set`, quotes attributed in the style `attribution`
/// (else the study's, else `pseudonym-role`).
pub fn build(
    study: &Study,
    set: &CoderSet,
    attribution: Option<&str>,
    options: &ReportOptions,
) -> Result<Report, ReportError> {
    let codebook = study.load_codebook()?;
    let segments = tables::theme_segments(study, set)?;
    let order: BTreeMap<String, u32> = study.documents().iter().map(|m| (m.id.clone(), m.sequence)).collect();
    let mut report = Report { title: study.settings.name.clone(), ..Report::default() };
    overview(study, &codebook, segments.len(), set, &mut report);

    let body = match thema_analysis::participants::selected(study, &[], &[]) {
        Ok(people) => {
            let t = thema_analysis::participants::table(&people, &study.settings.participant_attributes);
            tables::participants(&t, false).html("participants-table")
        }
        Err(e) => missing(&reason(&e)),
    };
    report.sections.push(Section::new("participants", "Participants", body));

    // Theme map and theme table.
    if tables::theme_order(&codebook).is_empty() {
        let why = missing("The codebook has no themes yet.");
        report.sections.push(Section::new("map", "Theme map", why.clone()));
        report.sections.push(Section::new("themes", "Themes", why));
    } else {
        let svg = map_svg(&codebook, options.codes, &study.settings.name)?;
        let caption = "Themes and sub-themes with their roles; arrows are the relations the team recorded.";
        report.sections.push(Section::new("map", "Theme map", figure(&svg, caption)));
        let attributor = Attributor::of_study(study, attribution).map_err(ReportError::Attribution)?;
        let table = tables::themes(&codebook, &segments, options.quotes, &order, &|s| attributor.quote(s));
        report.sections.push(Section::new("themes", "Themes", table.html("themes-table")));
    }

    let body = if codebook.entries.is_empty() {
        missing("The codebook is empty.")
    } else {
        tables::codebook(&codebook, &segment::counts(&codebook, &segments), Audience::People)
            .without_empty_columns()
            .html("codebook-table")
    };
    report.sections.push(Section::new("codebook", "Codebook", body));
    // The analyses below read the codings again, each as little as it needs: holding every
    // segment with its quote through them doubled the peak memory of a large study's report.
    drop(segments);

    report.sections.push(Section::new("cooccurrence", "Co-occurrence", cooccurrence(study, set, codebook.clone())?));
    report.sections.push(Section::new("saturation", "Saturation", saturation(study, set)?));
    if let Some(section) = waves(study, set, &codebook)? {
        report.sections.push(section);
    }
    let body = match agreement(study, &codebook)? {
        Ok(table) => table.html("agreement-table"),
        Err(why) => missing(&why),
    };
    report.sections.push(Section::new("agreement", "Intercoder agreement", body));

    if let Some(section) = open_review_comments(study, &codebook)? {
        report.sections.push(section);
    }
    if options.memos {
        report.sections.push(memos(study)?);
    }
    Ok(report)
}

/// The review comments no decision has resolved yet (`thema review`), by what they are on; no
/// section when the study has never had any.
fn open_review_comments(study: &Study, codebook: &Codebook) -> Result<Option<Section>, ReportError> {
    let all = thema_core::review::comments(study).map_err(|e| match e {
        thema_core::review::ReviewError::Study(e) => ReportError::Study(e),
        e => ReportError::Study(StudyError::Invalid(e.to_string())),
    })?;
    if all.is_empty() {
        return Ok(None);
    }
    let open: Vec<_> = all.iter().filter(|c| c.is_open()).collect();
    let mut body = String::new();
    if open.is_empty() {
        body.push_str(&missing(&format!(
            "All {} are resolved; the decision log says how.",
            count(all.len(), "review comment", "review comments")
        )));
    } else {
        body.push_str(&paragraphs(&format!(
            "{} of {} open: `thema review resolve MEMO --why ...` closes one and records the decision.",
            open.len(),
            count(all.len(), "review comment", "review comments")
        )));
    }
    for c in &open {
        let h = &c.memo.header;
        // What it is on, in the codebook's words where it names an entry.
        let on = match c.memo.attachment() {
            thema_core::memo::Attachment::Entry(id) => {
                codebook.get(&id).map_or(h.on.clone(), |e| format!("{} “{}”", e.kind.name(), e.name))
            }
            _ => h.on.clone(),
        };
        body.push_str(&memo_article(&c.memo, &on));
    }
    Ok(Some(Section::new("review", &format!("Open review comments ({})", open.len()), body)))
}

/// Documents, participants, codebook, relations and codings, counted.
fn overview(study: &Study, codebook: &Codebook, codings: usize, set: &CoderSet, report: &mut Report) {
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for m in study.documents() {
        *kinds.entry(m.kind.as_str()).or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    report.overview.push((
        "Documents".to_owned(),
        format!(
            "{}{}",
            study.documents().len(),
            if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) }
        ),
    ));
    report.overview.push(("Participants".to_owned(), study.participants.rows().len().to_string()));
    let mut entries: BTreeMap<EntryKind, usize> = BTreeMap::new();
    for e in &codebook.entries {
        *entries.entry(e.kind).or_default() += 1;
    }
    let entries: Vec<String> = [EntryKind::Theme, EntryKind::SubTheme, EntryKind::Category, EntryKind::Code]
        .iter()
        .filter_map(|k| {
            let plural = if *k == EntryKind::Category { "categories".to_owned() } else { format!("{}s", k.name()) };
            entries.get(k).map(|n| count(*n, k.name(), &plural))
        })
        .collect();
    report
        .overview
        .push(("Codebook".to_owned(), if entries.is_empty() { "empty".to_owned() } else { entries.join(", ") }));
    report.overview.push(("Relations".to_owned(), codebook.relations.len().to_string()));
    report.overview.push(("Codings".to_owned(), format!("{codings} by {}", set.describe())));
}

/// The heatmap of c within a turn, clustered.
fn cooccurrence(study: &Study, set: &CoderSet, codebook: Codebook) -> Result<String, ReportError> {
    let options = CooccurOptions::default();
    Ok(match study_cooccurrence::cooccurrence_with(study, codebook, set, &options) {
        Ok(found) => match found.heatmap(options.coefficient, options.within, true) {
            Some(h) => {
                let svg = heatmap_chart(&h, thema_render::Format::Svg)?;
                figure(
                    &String::from_utf8_lossy(&svg),
                    "c-coefficient n12 / (n1 + n2 − n12) of codes applied in the same turn, ordered by average-linkage \
                     clustering. `thema cooccur` gives the counts and the other coefficients.",
                )
            }
            None => missing("No co-occurrence to show."),
        },
        Err(e) => missing(&reason(&e)),
    })
}

/// The saturation curve of an assessment, drawn.
pub fn saturation_chart(
    result: &Saturation,
    parameters: Parameters,
    format: thema_render::Format,
) -> Result<Vec<u8>, RenderError> {
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
    thema_render::saturation(format, &ids, &cumulative, &new, parameters.base, reached, &title)
}

/// A co-occurrence heatmap, drawn.
pub fn heatmap_chart(heatmap: &Heatmap, format: thema_render::Format) -> Result<Vec<u8>, RenderError> {
    thema_render::heatmap(format, &heatmap.labels, &heatmap.values, &heatmap.title, heatmap.min, heatmap.max)
}

/// The saturation curve with the team's settings from `thema.toml`, else the defaults.
fn saturation(study: &Study, set: &CoderSet) -> Result<String, ReportError> {
    let assessed = study_saturation::options(&study.settings.saturation, None, None, None, None, &[])
        .and_then(|options| Ok((study_saturation::assess(study, set, &options)?, options.parameters)));
    let (result, parameters) = match assessed {
        Ok(found) => found,
        Err(e) => return Ok(missing(&reason(&e))),
    };
    let svg = saturation_chart(&result, parameters, thema_render::Format::Svg)?;
    let verdict = study_saturation::verdict(&result, parameters);
    let caveat = study_saturation::caveat(&result).map(|c| format!("; {c}")).unwrap_or_default();
    let order = match study.settings.saturation.order.as_deref().unwrap_or("import") {
        "date" => "date",
        "import" => "import",
        _ => "the given",
    };
    Ok(figure(
        &String::from_utf8_lossy(&svg),
        &format!("Codes first seen in each document, in {order} order (Guest, Namey & Chen 2020): {verdict}{caveat}."),
    ))
}

/// Waves, for a study with more than one (none otherwise): retention between waves, and the
/// participants who gained, kept or lost each theme (each code when there are no themes), with
/// the presence grid and the alluvial bands of participants between the waves' sets.
fn waves(study: &Study, set: &CoderSet, codebook: &Codebook) -> Result<Option<Section>, ReportError> {
    use thema_analysis::trajectories::{self, TrajectoryOptions};
    let Ok(found) = thema_analysis::waves::participation(study) else { return Ok(None) };
    if found.waves.len() < 2 {
        return Ok(None);
    }
    let mut body = crate::trajectories::retention_table(&found).html("retention-table");
    let rows = if tables::theme_order(codebook).is_empty() { EntryKind::Code } else { EntryKind::Theme };
    let options = TrajectoryOptions { rows, ..TrajectoryOptions::default() };
    match trajectories::trajectories(study, set, &options) {
        Ok(t) if t.rows.is_empty() => body += &missing("No participant has a coded passage in any wave."),
        Ok(t) => {
            body += &crate::trajectories::changes_table(&t).html("changes-table");
            let chart = |svg: Vec<u8>, caption: &str| figure(&String::from_utf8_lossy(&svg), caption);
            let kind = t.rows_kind.as_str();
            body += &chart(
                crate::trajectories::presence_chart(&t, None, thema_render::Format::Svg).map_err(publish)?,
                &format!("The number of {kind}s each participant has in each wave (`thema trajectories --chart`)."),
            );
            body += &chart(
                crate::trajectories::alluvial_chart(&t, None, thema_render::Format::Svg).map_err(publish)?,
                &format!(
                    "Participants grouped by their set of {kind}s in each wave, and how they moved between the groups \
                     (`thema trajectories --chart-kind alluvial`)."
                ),
            );
        }
        Err(e) => body += &missing(&reason(&e)),
    }
    Ok(Some(Section::new("waves", "Waves", body)))
}

/// A chart the publishing layer could not draw.
fn publish(e: crate::PublishError) -> ReportError {
    ReportError::Render(RenderError(e.0))
}

/// Agreement of every primary coder, by turn, all statistics, alpha's bootstrap interval from
/// 1,000 resamples (seed 1); or why there is none.
fn agreement(study: &Study, codebook: &Codebook) -> Result<Result<Table, String>, ReportError> {
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
    let codings = agree::placed_codings(study, &coders)?;
    let options = AgreeOptions { coders: coders.clone(), disagreements: 0, ..AgreeOptions::default() };
    let report = match agree::coded_agreement(study, codebook, &codings, &coders, UnitKind::Turn, &options) {
        Ok(r) => r,
        Err(e) => return Ok(Err(format!("No agreement: {e}."))),
    };
    let (header, rows) = report.rows();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = Table::new("Intercoder agreement by turn", &header);
    table.rows = rows.into_iter().map(Row::new).collect();
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

/// A memo as an article, said to be on `on`.
fn memo_article(m: &thema_core::memo::Memo, on: &str) -> String {
    format!(
        "<article class=\"memo\" id=\"memo-{}\">\n<h3>{}</h3>\n<p class=\"about\">{} · on {} · {} · {}</p>\n{}</article>\n",
        html_escape(&m.header.id),
        html_escape(&m.header.title),
        html_escape(&m.header.id),
        html_escape(on),
        html_escape(&m.header.author),
        html_escape(&m.header.time),
        paragraphs(&m.body)
    )
}

/// Every memo, as an article.
fn memos(study: &Study) -> Result<Section, ReportError> {
    let memos = study.load_memos()?;
    let mut body = String::new();
    if memos.is_empty() {
        body.push_str(&missing("No memos."));
    }
    for m in &memos {
        body.push_str(&memo_article(m, &m.header.on));
    }
    Ok(Section::new("memos", &format!("Memos ({})", memos.len()), body))
}
