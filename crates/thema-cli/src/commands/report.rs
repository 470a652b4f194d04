//! `thema report`: the team report, one self-contained HTML file.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Result;
use thema_core::codebook::EntryKind;
use thema_core::coders::CoderSet;
use thema_core::segment;
use thema_core::Study;
use thema_publish::report::{figure, paragraphs, Report, Section};
use thema_publish::table::html_escape;
use thema_publish::tables::{self, Audience};

use super::analysis::write_output;
use super::publish::{all_segments, document_order};
use thema_analysis::study_cooccurrence::CooccurOptions;

use crate::cli::{ReportArgs, SaturationArgs};
use crate::output::{analysis_error, count};

/// A paragraph saying why a part is missing.
fn missing(why: &str) -> String {
    format!("<p class=\"missing\">{}</p>\n", html_escape(why))
}

/// The first line of an error, for a sentence in the report.
fn reason(e: &anyhow::Error) -> String {
    let text = e.to_string();
    let mut first = text.lines().next().unwrap_or_default().to_owned();
    if let Some(c) = first.get(..1) {
        first.replace_range(..1, &c.to_uppercase());
    }
    format!("{first}.")
}

/// Every part of the report, built from the study.
pub(crate) fn build(study: &Study, set: &CoderSet, args: &ReportArgs) -> Result<Report> {
    let codebook = study.load_codebook()?;
    let segments = all_segments(study, set)?;
    let order = document_order(study);
    let mut report = Report { title: study.settings.name.clone(), ..Report::default() };

    // Overview.
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
    report.overview.push(("Codings".to_owned(), format!("{} by {}", segments.len(), set.describe())));

    // Participants.
    let body = match super::publish::participants_table(study, &[], &[]) {
        Ok(t) => tables::participants(&t, false).html("participants-table"),
        Err(e) => missing(&reason(&e)),
    };
    report.sections.push(Section::new("participants", "Participants", body));

    // Theme map and theme table.
    let themes = tables::theme_order(&codebook);
    if themes.is_empty() {
        let why = missing("The codebook has no themes yet.");
        report.sections.push(Section::new("map", "Theme map", why.clone()));
        report.sections.push(Section::new("themes", "Themes", why));
    } else {
        let svg = super::publish::map_svg(&codebook, args.codes, &study.settings.name)?;
        let caption = "Themes and sub-themes with their roles; arrows are the relations the team recorded.";
        report.sections.push(Section::new("map", "Theme map", figure(&svg, caption)));
        let attributor = super::attributor(study, args.attribution.as_deref())?;
        let table = tables::themes(&codebook, &segments, args.quotes, &order, &|s| attributor.quote(s));
        report.sections.push(Section::new("themes", "Themes", table.html("themes-table")));
    }

    // Codebook.
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

    // Co-occurrence.
    let cooccur = CooccurOptions::default();
    let found = thema_analysis::study_cooccurrence::cooccurrence(study, set, &cooccur).map_err(analysis_error);
    let body = match found {
        Ok(found) => match super::analysis::cooccur_heatmap(&found, &cooccur, true, thema_render::Format::Svg)? {
            Some(svg) => figure(
                &String::from_utf8_lossy(&svg),
                "c-coefficient n12 / (n1 + n2 − n12) of codes applied in the same turn, ordered by average-linkage \
                 clustering. `thema cooccur` gives the counts and the other coefficients.",
            ),
            None => missing("No co-occurrence to show."),
        },
        Err(e) => missing(&reason(&e)),
    };
    report.sections.push(Section::new("cooccurrence", "Co-occurrence", body));

    // Saturation.
    // The team's settings from `thema.toml`, else the defaults.
    let saturation = SaturationArgs {
        order: None,
        base: None,
        run: None,
        threshold: None,
        kinds: Vec::new(),
        by_coder: None,
        chart: None,
        json: false,
    };
    let body = match super::analysis::assess_saturation(study, set, &saturation) {
        Ok((result, parameters)) => {
            let svg = super::analysis::saturation_chart(&result, parameters, thema_render::Format::Svg)?;
            let verdict = thema_analysis::study_saturation::verdict(&result, parameters);
            let caveat = thema_analysis::study_saturation::caveat(&result).map(|c| format!("; {c}")).unwrap_or_default();
            let order = study.settings.saturation.order.as_deref().unwrap_or("import");
            figure(
                &String::from_utf8_lossy(&svg),
                &format!(
                    "Codes first seen in each document, in {} order (Guest, Namey & Chen 2020): {verdict}{caveat}.",
                    if order == "date" {
                        "date"
                    } else if order == "import" {
                        "import"
                    } else {
                        "the given"
                    }
                ),
            )
        }
        Err(e) => missing(&reason(&e)),
    };
    report.sections.push(Section::new("saturation", "Saturation", body));

    // Agreement.
    let body = match super::agree::summary(study)? {
        Ok(table) => table.html("agreement-table"),
        Err(why) => missing(&why),
    };
    report.sections.push(Section::new("agreement", "Intercoder agreement", body));

    // Memos.
    if args.memos {
        let memos = study.load_memos()?;
        let mut body = String::new();
        if memos.is_empty() {
            body.push_str(&missing("No memos."));
        }
        for m in &memos {
            body.push_str(&format!(
                "<article class=\"memo\" id=\"memo-{}\">\n<h3>{}</h3>\n<p class=\"about\">{} · on {} · {} · {}</p>\n{}</article>\n",
                html_escape(&m.header.id),
                html_escape(&m.header.title),
                html_escape(&m.header.id),
                html_escape(&m.header.on),
                html_escape(&m.header.author),
                html_escape(&m.header.time),
                paragraphs(&m.body)
            ));
        }
        report.sections.push(Section::new("memos", &format!("Memos ({})", memos.len()), body));
    }
    Ok(report)
}

pub(crate) fn run(study: &Study, coders: &[String], args: ReportArgs) -> Result<ExitCode> {
    let set = super::coder_set(study, coders)?;
    let report = build(study, &set, &args)?;
    let html = thema_publish::report::html(&report);
    write_output(&args.out, html.as_bytes(), &format!("the report ({} sections)", report.sections.len() + 1))?;
    Ok(ExitCode::SUCCESS)
}
