//! Agreement on a study, called as a front end calls it: two coders and their consensus, turns
//! by several speakers, the interviewer's turn inside a coding. Every expected figure is counted
//! by hand from the codings in `support::study` (six turns: d1 T1-T4, d2 T1-T2).

mod support;

use thema_analysis::agreement::{Level, Ratings};
use thema_analysis::study_agreement::{self as agree, AgreeOptions, Metric, StudyAgreement, Unit};
use thema_analysis::AnalysisError;

fn coded(options: &AgreeOptions) -> (Vec<String>, agree::CodedAgreement) {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    match agree::agree(&study, options).unwrap() {
        (coders, StudyAgreement::Coded(report)) => (coders, report),
        (_, other) => panic!("{other:?}"),
    }
}

fn value(values: &[agree::Value], metric: Metric) -> f64 {
    values.iter().find(|v| v.kind == metric).and_then(|v| v.value).unwrap()
}

#[test]
fn the_primary_coders_are_compared_by_turn_per_code() {
    let (coders, report) = coded(&AgreeOptions { bootstrap: 0, ..AgreeOptions::default() });
    // The consensus set `team` is made from hp and mk: it is not compared by default.
    assert_eq!(coders, ["hp", "mk"]);
    assert_eq!(report.documents, ["d1", "d2"]);
    assert_eq!(report.units, 6);
    let code = |id: &str| report.codes.iter().find(|c| c.code == id).unwrap();
    // hope: hp's coding spans the interviewer's T1 and Ann's T2, so it marks both, and d2 T2;
    // mk marks d1 T2 and T3. Agreement on T2, d1 T4 and d2 T1: 3 of 6. Each coder's share 1/2
    // and 1/3: expected (1/2)(1/3) + (1/2)(2/3) = 1/2, so kappa (1/2 - 1/2) / (1/2) = 0.
    assert_eq!(code("hope").coded_by, [("hp".to_owned(), 3), ("mk".to_owned(), 2)]);
    assert!((value(&code("hope").statistics, Metric::Percent) - 0.5).abs() < 1e-12);
    assert!(value(&code("hope").statistics, Metric::CohenKappa).abs() < 1e-12);
    // friends: both on d1 T3 only: perfect.
    assert!((value(&code("friends").statistics, Metric::CohenKappa) - 1.0).abs() < 1e-12);
    // stray: hp on d1 T2, mk on d2 T2: 4 of 6 agree; expected (1/6)² + (5/6)² = 26/36, kappa
    // (24/36 - 26/36) / (10/36) = -0.2.
    assert!((value(&code("stray").statistics, Metric::Percent) - 4.0 / 6.0).abs() < 1e-12);
    assert!((value(&code("stray").statistics, Metric::CohenKappa) + 0.2).abs() < 1e-12);
    // Units each coder coded with any code: hp 3 + 1 + 1, mk 2 + 1 + 1.
    assert_eq!(report.totals, [5, 4]);
    // Disagreements: hope on d1 T1, d1 T3, d2 T2; stray on d1 T2 and d2 T2.
    assert_eq!(report.disagreement_count, 5);
    let (header, rows) = report.rows();
    assert_eq!(header, ["code", "hp", "mk", "alpha", "percent", "kappa", "Fleiss", "Conger", "AC1", "BP"]);
    assert_eq!(rows.last().unwrap()[..3], ["(all codes)", "5", "4"]);
}

#[test]
fn a_code_named_counts_with_everything_under_it() {
    // `sources` holds hope and friends: hp marks d1 T1, T2, T3 and d2 T2; mk d1 T2 and T3.
    // Agreement on d1 T2, T3, T4 and d2 T1: 4 of 6.
    let options = AgreeOptions { codes: vec!["Sources".into()], metric: Metric::Percent, ..AgreeOptions::default() };
    let (_, report) = coded(&options);
    assert_eq!(report.codes.len(), 1);
    assert_eq!(report.codes[0].coded_by, [("hp".to_owned(), 4), ("mk".to_owned(), 2)]);
    assert!((value(&report.codes[0].statistics, Metric::Percent) - 4.0 / 6.0).abs() < 1e-12);
    assert_eq!(report.codes[0].statistics.len(), 1);
}

#[test]
fn a_person_and_the_consensus_can_be_named() {
    // team: hope on d1 T2 and d2 T2, friends on d1 T3. Against hp's hope (d1 T1, T2, d2 T2):
    // they differ on d1 T1 only.
    let options = AgreeOptions { coders: vec!["team".into(), "hp".into()], bootstrap: 0, ..AgreeOptions::default() };
    let (coders, report) = coded(&options);
    assert_eq!(coders, ["hp", "team"]);
    let hope = report.codes.iter().find(|c| c.code == "hope").unwrap();
    assert!((value(&hope.statistics, Metric::Percent) - 5.0 / 6.0).abs() < 1e-12);
}

#[test]
fn spans_give_unitized_alpha_over_the_shared_documents() {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    let (_, found) = agree::agree(&study, &AgreeOptions { unit: Unit::Span, ..AgreeOptions::default() }).unwrap();
    let StudyAgreement::Unitized { agreement, documents } = found else { panic!("{found:?}") };
    assert_eq!(documents, 2);
    assert_eq!(agreement.alpha.kind, Metric::UnitizedAlpha);
    assert_eq!(agreement.alpha.metric, "unitized alpha");
    let categories: Vec<&str> = agreement.categories.iter().map(|c| c.category.as_str()).collect();
    assert_eq!(categories, ["friends", "hope", "stray"]);
    // friends: the same span by both coders, so no observed disagreement.
    assert_eq!(agreement.categories[0].observed, 0.0);
}

#[test]
fn wrong_coders_are_refused_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    let one = agree::agree(&study, &AgreeOptions { coders: vec!["hp".into()], ..AgreeOptions::default() }).unwrap_err();
    assert!(matches!(one, AnalysisError::TooFewCoders(1)));
    assert_eq!(one.to_string(), "agreement needs two coders; the study has 1 coder");
    assert_eq!(one.hint().unwrap(), "a second coder codes the same documents with `--coder`, then `thema agree`");
    let unknown =
        agree::agree(&study, &AgreeOptions { coders: vec!["hp".into(), "zz".into()], ..AgreeOptions::default() })
            .unwrap_err();
    assert!(unknown.to_string().starts_with("coder `zz` has no codings in this study"), "{unknown}");
    assert_eq!(unknown.hint().unwrap(), "coders: hp, mk, team");
    let code =
        agree::agree(&study, &AgreeOptions { codes: vec!["nothing".into()], ..AgreeOptions::default() }).unwrap_err();
    assert_eq!(code.hint().unwrap(), "see `thema codebook`");
}

#[test]
fn the_metric_list_knows_names_headings_and_labels() {
    for &m in Metric::ALL {
        assert_eq!(Metric::from_name(m.name()), Some(m));
    }
    assert_eq!(Metric::from_name("kappa"), None);
    let err = Metric::parse("kappa").unwrap_err();
    assert_eq!(err.to_string(), "`kappa` is not a metric");
    assert_eq!(
        err.hint().unwrap(),
        "use one of all, alpha, percent, cohen-kappa, fleiss-kappa, conger-kappa, gwet-ac1, brennan-prediger, \
         scott-pi, holsti, bennett-s, randolph-kappa, light-kappa, hubert-kappa, bangdiwala-b, gwet-ac2, icc, \
         kendall-w"
    );
    assert_eq!(Metric::GwetAc1.short(), "AC1");
    assert_eq!(Metric::Alpha.label(thema_analysis::agreement::Level::Ordinal), "Krippendorff's alpha (ordinal)");
    assert_eq!(Unit::from_name("sentence"), Some(Unit::Sentence));
}

#[test]
fn cohen_kappa_is_refused_for_three_coders_and_unitized_alpha_on_ratings() {
    let x = || Some("x".to_owned());
    let y = || Some("y".to_owned());
    let ratings = Ratings::new(&[vec![x(), x(), y()], vec![y(), y(), y()]]).unwrap();
    let err = agree::statistics(&ratings, Metric::CohenKappa, Level::Nominal, 0, 1).unwrap_err();
    assert_eq!(err.to_string(), "Cohen's kappa compares two coders; the data has 3");
    assert_eq!(err.hint().unwrap(), "use `--metric fleiss-kappa` or `conger-kappa` for more");
    let err = agree::statistics(&ratings, Metric::UnitizedAlpha, Level::Nominal, 0, 1).unwrap_err();
    assert_eq!(err.to_string(), "`unitized-alpha` is not a metric");
    // With every metric but Cohen's, three coders give six statistics in the documented order.
    let all = agree::statistics(&ratings, Metric::All, Level::Nominal, 0, 1).unwrap();
    let kinds: Vec<Metric> = all.iter().map(|v| v.kind).collect();
    assert_eq!(
        kinds,
        [
            Metric::Alpha,
            Metric::Percent,
            Metric::FleissKappa,
            Metric::CongerKappa,
            Metric::GwetAc1,
            Metric::BrennanPrediger
        ]
    );
}
