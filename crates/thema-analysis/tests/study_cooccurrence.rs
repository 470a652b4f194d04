//! Co-occurrence on a study, called as a front end calls it. Expected figures are counted by
//! hand from the codings in `support::study` (six turns: d1 T1-T4, d2 T1-T2).

mod support;

use thema_analysis::cooccur::Within;
use thema_analysis::study_cooccurrence::{self as co, Coefficient, CooccurOptions};
use thema_analysis::AnalysisError;
use thema_core::EntryKind;

#[test]
fn two_codes_co_occur_where_one_coder_applied_both() {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    let set = study.coder_set(&["hp".into(), "mk".into()]).unwrap();
    let found = co::cooccurrence(&study, &set, &CooccurOptions::default()).unwrap();
    assert_eq!(found.codes, ["friends", "hope", "stray"]);
    let report = &found.reports[0];
    assert_eq!(report.units, 6);
    // hope: d1 T1 (hp's coding holds the interviewer's turn), T2, T3, d2 T2; friends: d1 T3;
    // stray: d1 T2, d2 T2.
    assert_eq!(report.counts["hope"], 4);
    assert_eq!(report.counts["friends"], 1);
    assert_eq!(report.counts["stray"], 2);
    // friends and hope: mk applied both on d1 T3 (hp's friends there is alone); hope and
    // stray: hp applied both on d1 T2, while d2 T2 holds hp's hope and mk's stray, which is
    // not a co-occurrence. c = 1 / (1 + 4 - 1) = 0.25 and 1 / (4 + 2 - 1) = 0.2, highest first.
    let pairs: Vec<(&str, &str, usize, f64)> =
        report.pairs.iter().map(|p| (p.a.as_str(), p.b.as_str(), p.n12, p.c)).collect();
    assert_eq!(pairs, [("friends", "hope", 1, 0.25), ("hope", "stray", 1, 0.2)]);
}

#[test]
fn the_consensus_is_the_default_set() {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    let set = study.coder_set(&[]).unwrap();
    assert_eq!(set.coders, ["team"]);
    // team: hope on d1 T2 and d2 T2, friends on d1 T3: two codes, never in one turn.
    let found = co::cooccurrence(&study, &set, &CooccurOptions::default()).unwrap();
    assert_eq!(found.codes, ["friends", "hope"]);
    assert!(found.reports[0].pairs.is_empty());
    assert_eq!(found.reports[0].counts["hope"], 2);
}

#[test]
fn rolling_up_leaves_out_a_code_with_no_ancestor_of_the_kind() {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    let set = study.coder_set(&["hp".into(), "mk".into()]).unwrap();
    // hope and friends count as their sub-theme `sources`; `stray` is under no sub-theme and is
    // left out (as a matrix with `--rows sub-theme` leaves it out), so one entry remains. Kept
    // under its own id, it would have co-occurred with `sources` on d1 T2.
    let options = CooccurOptions { roll_up: Some(EntryKind::SubTheme), ..CooccurOptions::default() };
    let err = co::cooccurrence(&study, &set, &options).unwrap_err();
    assert!(matches!(err, AnalysisError::TooFewCodes { found: 1, rolled_up: Some(EntryKind::SubTheme) }), "{err}");
    assert_eq!(err.to_string(), "co-occurrence needs two or more codes in use; found 1");
    assert_eq!(
        err.hint().unwrap(),
        "a code under no sub-theme is left out: roll up to another kind, or leave out `--roll-up`"
    );
    let codebook = study.load_codebook().unwrap();
    assert_eq!(thema_analysis::matrix::rolled(&codebook, "stray", EntryKind::Theme), None);
    assert_eq!(thema_analysis::matrix::rolled(&codebook, "hope", EntryKind::Theme).as_deref(), Some("keeping-on"));
}

#[test]
fn the_heatmap_holds_the_coefficient_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    let set = study.coder_set(&["hp".into(), "mk".into()]).unwrap();
    let options = CooccurOptions { coefficient: Coefficient::Dice, ..CooccurOptions::default() };
    let found = co::cooccurrence(&study, &set, &options).unwrap();
    let heatmap = found.heatmap(Coefficient::Dice, Within::Turn, false).unwrap();
    assert_eq!(heatmap.labels, ["Friends", "Hope", "Stray"]);
    // Dice of friends and hope: 2 * 1 / (1 + 4) = 0.4; friends and stray never co-occur.
    assert_eq!(heatmap.values[0], [None, Some(0.4), None]);
    assert_eq!((heatmap.min, heatmap.max), (0.0, 1.0));
    assert_eq!(heatmap.title, "Co-occurrence (dice, within the same turn)");
    assert_eq!(co::entry_kind("theme").unwrap(), EntryKind::Theme);
    let err = co::entry_kind("topic").unwrap_err();
    assert_eq!(err.to_string(), "`topic` is not a kind of codebook entry");
    assert_eq!(err.hint().unwrap(), "theme, sub-theme, category or code");
}

#[test]
fn saturation_reads_the_documents_in_the_order_asked() {
    use thema_analysis::study_saturation::{self as sat, DocumentOrder};
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    let set = study.coder_set(&["hp".into(), "mk".into()]).unwrap();
    let team = thema_core::settings::SaturationSettings { base: Some(1), ..Default::default() };
    // The base from the team's settings, the run and threshold given.
    let options = sat::options(&team, None, None, Some(1), Some("5%"), &[]).unwrap();
    assert_eq!((options.parameters.base, options.parameters.run), (1, 1));
    assert!((options.parameters.threshold - 0.05).abs() < 1e-12);
    assert_eq!(options.order, DocumentOrder::Import);
    // d1 holds hope, friends and stray (hp's and mk's); d2 hope and stray: nothing new.
    let result = sat::assess(&study, &set, &options).unwrap();
    let steps: Vec<(&str, usize, usize)> =
        result.steps.iter().map(|s| (s.document.as_str(), s.new_codes.len(), s.cumulative)).collect();
    assert_eq!(steps, [("d1", 3, 3), ("d2", 0, 3)]);
    assert_eq!(result.reached.as_ref().map(|r| r.0), Some(1));
    // In the other order, d2's two codes are the base and d1 adds friends: 1 of 2, 50%.
    let reversed = sat::SaturationOptions { order: DocumentOrder::parse("d2, d1"), ..options.clone() };
    let result = sat::assess(&study, &set, &reversed).unwrap();
    assert_eq!(result.runs[0].new, 1);
    assert!((result.runs[0].new_information - 0.5).abs() < 1e-12);
    assert_eq!(result.reached, None);
    let by_date = sat::SaturationOptions { order: DocumentOrder::Date, ..options.clone() };
    let err = sat::assess(&study, &set, &by_date).unwrap_err();
    assert_eq!(err.to_string(), "`d1` has no date, so documents cannot be ordered by date");
    assert!(err.hint().unwrap().starts_with("give dates at import"));
    let unknown = sat::SaturationOptions { order: DocumentOrder::parse("d1,d9"), ..options };
    assert_eq!(sat::assess(&study, &set, &unknown).unwrap_err().hint().unwrap(), "see `thema ls`");
    let err = sat::parse_threshold("150%").unwrap_err();
    assert_eq!(err.to_string(), "`150%` is not a threshold");
    assert_eq!(sat::parse_threshold("0").unwrap(), 0.0);
}
