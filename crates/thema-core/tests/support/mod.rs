//! The study the codebook-change and repair tests share: one document, a theme `Hope` with a
//! sub-theme `Reassurance` and a code `way out` under it, and a top-level code `trust`. Codings,
//! counted by hand: hp has `way out` twice (3..56, and 29..38 inside it) and `trust` once
//! (39..56); mk has `way out` once (20..37); the consensus set `team` has `way out` once (20..37).

// Each test crate uses some of these helpers, not all.
#![allow(dead_code)]

use thema_core::codebook::EntryKind;
use thema_core::{CodebookEntry, Coding, Document, DocumentMeta, Span, Speaker, Study, Turn};

pub(crate) const TEXT: &str = "I: What helped?\nMo: Seeing a way out. Trust came later.\n";

pub(crate) fn entry(id: &str, name: &str, kind: EntryKind, parent: Option<&str>) -> CodebookEntry {
    CodebookEntry {
        id: id.into(),
        name: name.into(),
        kind,
        parent: parent.map(str::to_owned),
        ..CodebookEntry::default()
    }
}

pub(crate) fn coding(coder: &str, code: &str, start: usize, end: usize) -> Coding {
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

pub(crate) fn study(root: &std::path::Path) -> Study {
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
