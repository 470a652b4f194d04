//! The team report built from a study with two coders and their consensus; the figures are
//! counted by hand from the codings of the shared fixture (see its table).

#[path = "../../thema-analysis/tests/support/mod.rs"]
mod support;

use thema_publish::team_report::{self, ReportError, ReportOptions};

fn section<'r>(report: &'r thema_publish::report::Report, id: &str) -> &'r str {
    &report.sections.iter().find(|s| s.id == id).unwrap().body
}

#[test]
fn every_part_from_one_reading_of_the_study() {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    let set = study.coder_set(&[]).unwrap();
    let report = team_report::build(&study, &set, None, &ReportOptions { memos: true, ..Default::default() }).unwrap();
    let ids: Vec<&str> = report.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["participants", "map", "themes", "codebook", "cooccurrence", "saturation", "agreement", "memos"]);
    // The consensus set is analysed: team's three codings.
    let codings = report.overview.iter().find(|(k, _)| k == "Codings").unwrap();
    assert_eq!(codings.1, "3 by team (consensus of hp and mk)");
    let codebook = report.overview.iter().find(|(k, _)| k == "Codebook").unwrap();
    assert_eq!(codebook.1, "1 theme, 1 sub-theme, 3 codes");
    // No speaker is linked to a participant.
    assert!(section(&report, "participants").contains("No participant speaks in the selected documents."));
    assert!(section(&report, "map").contains("<svg"));
    // team's hope and friends never share a turn: two codes, no pair, an empty heatmap drawn.
    assert!(section(&report, "cooccurrence").contains("<svg"));
    // Two documents are fewer than the base of 4.
    assert!(section(&report, "saturation").contains("class=\"missing\""));
    // Agreement compares the people, hp and mk: 2 documents, 6 turns, 5 disagreements (hope on
    // d1 T1, d1 T3 and d2 T2; stray on d1 T2 and d2 T2).
    let agreement = section(&report, "agreement");
    assert!(agreement.contains("2 documents coded by hp, mk; 6 turns."), "{agreement}");
    assert!(agreement.contains("5 disagreements: `thema agree` lists them."), "{agreement}");
    assert!(section(&report, "memos").contains("No memos."));
}

#[test]
fn a_bad_attribution_style_is_refused_where_quotes_are_attributed() {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    let set = study.coder_set(&[]).unwrap();
    let err = team_report::build(&study, &set, Some("{nosuch}"), &ReportOptions::default()).unwrap_err();
    assert!(matches!(err, ReportError::Attribution(_)), "{err}");
}
