//! A small study on disk for the analysis tests: two documents with an interviewer and two
//! participants, a codebook with a theme, a sub-theme, two codes under it and a code outside
//! every theme, the codings of two coders (hp, mk) and their consensus set (team).
//!
//! Document `d1` (turns T1 to T4) and `d2` (T1, T2); the figures the tests expect are counted
//! by hand from the codings listed in [`study`].

use std::collections::BTreeMap;

use thema_core::codebook::{Codebook, CodebookEntry, EntryKind};
use thema_core::settings::DerivedCoder;
use thema_core::{Coding, Document, DocumentMeta, Span, Speaker, Study, Turn};

/// The turns of a document: (speaker, words), joined by `Speaker: words` paragraphs.
pub(crate) fn document(id: &str, sequence: u32, turns: &[(&str, &str)]) -> Document {
    let mut text = String::new();
    let mut out = Vec::new();
    for (i, (speaker, words)) in turns.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        text.push_str(speaker);
        text.push_str(": ");
        let start = text.chars().count();
        text.push_str(words);
        out.push(Turn {
            number: u32::try_from(i + 1).unwrap(),
            speaker: Some((*speaker).to_owned()),
            span: Span { start, end: text.chars().count() },
            time_start: None,
            time_end: None,
        });
    }
    text.push('\n');
    let mut meta = DocumentMeta::new(id, "interview");
    meta.title = id.to_owned();
    meta.sequence = sequence;
    meta.speakers = vec![
        Speaker { label: "Facilitator".into(), participant: None, interviewer: true },
        Speaker { label: "Ann".into(), participant: None, interviewer: false },
        Speaker { label: "Ben".into(), participant: None, interviewer: false },
    ];
    Document { meta, text, turns: out }
}

pub(crate) fn entry(id: &str, name: &str, kind: EntryKind, parent: Option<&str>) -> CodebookEntry {
    CodebookEntry { id: id.into(), name: name.into(), kind, parent: parent.map(str::to_owned), ..Default::default() }
}

/// A coding of `code` by `coder` on turns `from..=to` of `document` (the interviewer's turn
/// inside it when `from` is the interviewer's).
pub(crate) fn coding(document: &Document, from: usize, to: usize, code: &str, coder: &str) -> Coding {
    let span = Span { start: document.turns[from - 1].span.start, end: document.turns[to - 1].span.end };
    Coding::new(document, span, code, coder, "2026-01-01T00:00:00Z").unwrap()
}

/// The study, in `dir`:
///
/// | coder | d1 | d2 |
/// |---|---|---|
/// | hp | hope T1-T2 (the interviewer's question and Ann's answer), friends T3, stray T2 | hope T2 |
/// | mk | hope T2, hope T3, friends T3 | stray T2 |
/// | team | hope T2, friends T3 | hope T2 |
///
/// Codebook: theme `keeping-on`, its sub-theme `sources`, codes `hope` and `friends` under the
/// sub-theme, and `stray` at the top (under no theme).
pub(crate) fn study(dir: &std::path::Path) -> Study {
    let mut study = Study::init(dir, "agreement").unwrap();
    let d1 = document(
        "d1",
        1,
        &[
            ("Facilitator", "What keeps you going?"),
            ("Ann", "Hope, and the cafe."),
            ("Ben", "My friends. And hope."),
            ("Facilitator", "Anything else?"),
        ],
    );
    let d2 = document("d2", 2, &[("Facilitator", "Tell me more."), ("Ann", "Work. Family.")]);
    study.add_documents(&[d1.clone(), d2.clone()]).unwrap();
    let mut codebook = Codebook::default();
    for e in [
        entry("keeping-on", "Keeping on", EntryKind::Theme, None),
        entry("sources", "Sources", EntryKind::SubTheme, Some("keeping-on")),
        entry("hope", "Hope", EntryKind::Code, Some("sources")),
        entry("friends", "Friends", EntryKind::Code, Some("sources")),
        entry("stray", "Stray", EntryKind::Code, None),
    ] {
        codebook.add(e).unwrap();
    }
    study.save_codebook(&codebook).unwrap();
    let hp = vec![
        coding(&d1, 1, 2, "hope", "hp"),
        coding(&d1, 3, 3, "friends", "hp"),
        coding(&d1, 2, 2, "stray", "hp"),
        coding(&d2, 2, 2, "hope", "hp"),
    ];
    let mk = vec![
        coding(&d1, 2, 2, "hope", "mk"),
        coding(&d1, 3, 3, "hope", "mk"),
        coding(&d1, 3, 3, "friends", "mk"),
        coding(&d2, 2, 2, "stray", "mk"),
    ];
    let team = vec![
        coding(&d1, 2, 2, "hope", "team"),
        coding(&d1, 3, 3, "friends", "team"),
        coding(&d2, 2, 2, "hope", "team"),
    ];
    study.save_coder_codings("hp", &hp).unwrap();
    study.save_coder_codings("mk", &mk).unwrap();
    study.save_coder_codings("team", &team).unwrap();
    study.settings.coders = BTreeMap::from([(
        "team".to_owned(),
        DerivedCoder {
            sources: vec!["hp".into(), "mk".into()],
            method: "consensus".into(),
            created: "2026-01-02T00:00:00Z".into(),
        },
    )]);
    study.save_settings().unwrap();
    Study::open(dir).unwrap()
}
