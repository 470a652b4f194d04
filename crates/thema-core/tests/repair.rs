//! `thema check --fix` as a library call: exact copies removed and overlapping codings of one
//! code joined, for each coder on its own (two coders and their consensus set), and logged.
//!
//! The study is `tests/support`'s: hp codes `way out` at 3..56 and 29..38 (the second inside
//! the first) and `trust` at 39..56; mk and the consensus set `team` code `way out` at 20..37.
//! Below, mk gets an exact copy of its coding and hp a `trust` coding at 30..45 that overlaps its
//! 39..56 one: counted by hand, the repair removes 1 copy (mk's) and joins 2 codings of hp (the
//! covered `way out` and the overlapping `trust`).

use thema_core::coding::Placed;
use thema_core::repair::repair_codings;
use thema_core::Span;

mod support;
use support::{coding, study};

#[test]
fn copies_go_and_overlaps_join_coder_by_coder() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    // A git merge leaves a line twice (saving through the study would not write a copy).
    let path = dir.path().join("codings/mk.jsonl");
    let line = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{line}{line}")).unwrap();
    let mut hp = study.load_coder_codings("hp").unwrap();
    hp.push(coding("hp", "trust", 30, 45));
    study.save_coder_codings("hp", &hp).unwrap();

    let repair = repair_codings(&study, "lead").unwrap();
    assert_eq!(repair.copies_removed, ["1 coding of `mk` that copied another exactly (line 2 of `codings/mk.jsonl`)"]);
    assert_eq!(repair.joined, 2);
    let how: Vec<(&str, &str, Placed)> =
        repair.joins.iter().map(|j| (j.coder.as_str(), j.code.as_str(), j.placed)).collect();
    // In text order: the `way out` at 29 first (inside 3..56), then the `trust` at 39 (joined to
    // 30..45 into 30..56).
    assert_eq!(
        how,
        [
            ("hp", "way-out", Placed::Covered(Span { start: 3, end: 56 })),
            ("hp", "trust", Placed::Extended(Span { start: 30, end: 56 }))
        ]
    );
    let spans = |coder: &str| -> Vec<(String, usize, usize)> {
        let mut s: Vec<_> =
            study.load_coder_codings(coder).unwrap().into_iter().map(|c| (c.code, c.start, c.end)).collect();
        s.sort();
        s
    };
    assert_eq!(spans("hp"), [("trust".to_owned(), 30, 56), ("way-out".to_owned(), 3, 56)]);
    assert_eq!(spans("mk"), [("way-out".to_owned(), 20, 37)]);
    assert_eq!(spans("team"), [("way-out".to_owned(), 20, 37)], "the consensus set had nothing to repair");
    let log: Vec<(String, String)> = study.load_decisions().unwrap().into_iter().map(|d| (d.who, d.action)).collect();
    assert_eq!(
        log,
        [("lead".to_owned(), "remove-copied-codings".to_owned()), ("lead".to_owned(), "join-codings".to_owned())]
    );
    // A second repair finds nothing.
    let again = repair_codings(&study, "lead").unwrap();
    assert_eq!((again.copies_removed.len(), again.joined), (0, 0));
}
