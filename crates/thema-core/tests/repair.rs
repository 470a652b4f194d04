//! `thema check --fix` as a library call: exact copies removed and overlapping codings of one
//! code joined, for each coder on its own (two coders and their consensus set), and logged.
//!
//! The study is `codebook_change.rs`'s: hp codes `way out` at 3..56 and 29..38 (the second inside
//! the first) and `trust` at 39..56; mk and the consensus set `team` code `way out` at 20..37.
//! Below, mk gets an exact copy of its coding and hp a `trust` coding at 30..45 that overlaps its
//! 39..56 one: counted by hand, the repair removes 1 copy (mk's) and joins 2 codings of hp (the
//! covered `way out` and the overlapping `trust`).

use thema_core::codebook::EntryKind;
use thema_core::coding::Placed;
use thema_core::repair::repair_codings;
use thema_core::{CodebookEntry, Coding, Document, DocumentMeta, Span, Speaker, Study, Turn};

const TEXT: &str = "I: What helped?\nMo: Seeing a way out. Trust came later.\n";

fn entry(id: &str, name: &str, kind: EntryKind, parent: Option<&str>) -> CodebookEntry {
    CodebookEntry {
        id: id.into(),
        name: name.into(),
        kind,
        parent: parent.map(str::to_owned),
        ..CodebookEntry::default()
    }
}

fn coding(coder: &str, code: &str, start: usize, end: usize) -> Coding {
    Coding {
        document: "d".into(),
        start,
        end,
        quote: TEXT.chars().skip(start).take(end - start).collect(),
        code: code.into(),
        coder: coder.into(),
        time: "2026-01-01T00:00:00Z".into(),
        before: String::new(),
        after: String::new(),
        memo: String::new(),
        unplaced: false,
        exemplar: false,
    }
}

fn study(root: &std::path::Path) -> Study {
    let mut study = Study::init(root, "Hope").unwrap();
    let mut meta = DocumentMeta::new("d", "interview");
    meta.speakers = vec![
        Speaker { label: "I".into(), participant: None, interviewer: true },
        Speaker { label: "Mo".into(), participant: None, interviewer: false },
    ];
    let turn = |number, speaker: &str, start, end| Turn {
        number,
        speaker: Some(speaker.into()),
        span: Span { start, end },
        time_start: None,
        time_end: None,
    };
    let document = Document { meta, text: TEXT.into(), turns: vec![turn(1, "I", 3, 15), turn(2, "Mo", 20, 56)] };
    study.add_document(&document).unwrap();
    let mut codebook = study.load_codebook().unwrap();
    for e in [
        entry("hope", "Hope", EntryKind::Theme, None),
        entry("reassurance", "Reassurance", EntryKind::SubTheme, Some("hope")),
        entry("way-out", "way out", EntryKind::Code, Some("reassurance")),
        entry("trust", "trust", EntryKind::Code, None),
    ] {
        codebook.add(e).unwrap();
    }
    study.save_codebook(&codebook).unwrap();
    // "a way out" is 29..38, "Seeing a way out." 20..37, the interviewer's question and the
    // answer together 3..56.
    study
        .save_coder_codings(
            "hp",
            &[coding("hp", "way-out", 3, 56), coding("hp", "way-out", 29, 38), coding("hp", "trust", 39, 56)],
        )
        .unwrap();
    study.save_coder_codings("mk", &[coding("mk", "way-out", 20, 37)]).unwrap();
    study.save_coder_codings("team", &[coding("team", "way-out", 20, 37)]).unwrap();
    study
}

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
