//! The segments the theme table and the report's counts are made from, built a block of
//! documents at a time with only what those read: the same tables as every segment whole.
//! The study is the shared fixture (two coders, hp and mk, and their consensus, team).

#[path = "../../thema-analysis/tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;

use thema_core::segment::{attribute, counts};
use thema_publish::tables;

#[test]
fn theme_table_and_counts_are_those_of_the_whole_segments() {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    let codebook = study.load_codebook().unwrap();
    let order: BTreeMap<String, u32> = study.documents().iter().map(|m| (m.id.clone(), m.sequence)).collect();
    let attributor = thema_core::attribution::Attributor::of_study(&study, None).unwrap();
    // hp and mk pooled (six passages, counted by hand in the fixture's table), and team alone (three).
    for (coders, passages) in [(vec!["hp".to_owned(), "mk".to_owned()], 6), (vec!["team".to_owned()], 3)] {
        let set = study.coder_set(&coders).unwrap();
        let slim = tables::theme_segments(&study, &set).unwrap();
        let whole = attribute(&study, study.load_set_codings(&set).unwrap()).unwrap();
        assert_eq!((slim.len(), whole.len()), (passages, passages));
        // What is kept is kept as it was, in the same order; what is not read is emptied.
        for (s, w) in slim.iter().zip(&whole) {
            assert_eq!(
                (&s.coding.document, s.coding.start, &s.coding.code),
                (&w.coding.document, w.coding.start, &w.coding.code)
            );
            assert_eq!((&s.coding.quote, &s.participants), (&w.coding.quote, &w.participants));
            assert!(s.coding.before.is_empty() && s.coding.time.is_empty() && s.turn.is_none());
        }
        assert!(whole.iter().all(|w| !w.coding.time.is_empty() && w.turn.is_some()));
        let table = |segments| tables::themes(&codebook, segments, 3, &order, &|s| attributor.quote(s));
        assert_eq!(table(&slim).rows, table(&whole).rows);
        assert_eq!(counts(&codebook, &slim), counts(&codebook, &whole));
    }
}
