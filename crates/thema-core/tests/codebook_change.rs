//! Codebook changes as a library call: what each does to the codebook, to every coder's codings
//! (two coders and their consensus set) and to the decision log, and what it refuses.
//!
//! The study: one document, a theme `Hope` with a sub-theme `Reassurance` and a code `way out`
//! under it, and a top-level code `trust`. Codings, counted by hand: hp has `way out` twice and
//! `trust` once, mk has `way out` once, the consensus set `team` has `way out` once.

use thema_core::codebook::EntryKind;
use thema_core::codebook_change::{change, Change, ChangeError, Description};
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

fn codes_of(study: &Study, coder: &str) -> Vec<String> {
    study.load_coder_codings(coder).unwrap().into_iter().map(|c| c.code).collect()
}

#[test]
fn a_merge_moves_every_coders_codings_and_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let done =
        change(&study, "hp", Change::Merge { entry: "way out".into(), into: "Trust".into() }, Some("one idea".into()))
            .unwrap();
    assert_eq!((done.action, done.what.as_str()), ("merge", "`way-out` into `trust` (4 codings moved)"));
    assert_eq!(codes_of(&study, "hp"), ["trust", "trust", "trust"]);
    assert_eq!(codes_of(&study, "mk"), ["trust"]);
    assert_eq!(codes_of(&study, "team"), ["trust"]);
    assert!(study.load_codebook().unwrap().get("way-out").is_none());
    let decisions = study.load_decisions().unwrap();
    let last = decisions.last().unwrap();
    assert_eq!((last.who.as_str(), last.action.as_str(), last.why.as_str()), ("hp", "merge", "one idea"));
}

#[test]
fn a_delete_says_what_it_would_do_and_is_refused_until_forced() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let error = change(&study, "hp", Change::Delete { entry: "reassurance".into(), force: false }, None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "deleting `reassurance` changes more than the entry: its 1 child would move up to `hope`: `way-out`"
    );
    let error = change(&study, "hp", Change::Delete { entry: "way-out".into(), force: false }, None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "deleting `way-out` changes more than the entry: 4 codings would be deleted (hp 2, mk 1, team 1)"
    );
    assert!(error.hint().unwrap().starts_with("pass `--force` to delete it anyway"));
    // Nothing changed by the refusals.
    assert_eq!(codes_of(&study, "hp"), ["way-out", "way-out", "trust"]);
    let done = change(&study, "hp", Change::Delete { entry: "way-out".into(), force: true }, None).unwrap();
    assert_eq!(done.what, "code `way out` (way-out; 4 codings deleted)");
    assert_eq!(codes_of(&study, "hp"), ["trust"]);
    assert!(codes_of(&study, "mk").is_empty() && codes_of(&study, "team").is_empty());
}

#[test]
fn add_rename_describe_move_and_relate() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let add = Change::Add {
        name: " seeing others make it ".into(),
        kind: EntryKind::Code,
        parent: Some("Reassurance".into()),
        id: None,
        in_vivo: true,
        description: Description { definition: Some("Hope from peers".into()), ..Description::default() },
    };
    let done = change(&study, "hp", add, None).unwrap();
    assert_eq!(done.what, "code `seeing others make it` (seeing-others-make-it)");
    let codebook = study.load_codebook().unwrap();
    let added = codebook.get("seeing-others-make-it").unwrap();
    assert_eq!(
        (added.parent.as_deref(), added.in_vivo, added.definition.as_str()),
        (Some("reassurance"), true, "Hope from peers")
    );

    let done = change(&study, "hp", Change::Rename { entry: "trust".into(), name: "Trusting".into() }, None).unwrap();
    assert_eq!(done.what, "`trust` to `Trusting` (trust)");
    let done =
        change(&study, "hp", Change::MoveTo { entry: "trust".into(), parent: Some("hope".into()) }, None).unwrap();
    assert_eq!(done.what, "`trust` under `hope`");
    let done =
        change(&study, "hp", Change::Place { entry: "trust".into(), anchor: "reassurance".into(), after: false }, None)
            .unwrap();
    assert_eq!(done.what, "`trust` before `reassurance`");
    let describe = Change::Describe {
        entry: "hope".into(),
        description: Description {
            role: Some("outcome".into()),
            colour: Some("#1f77b4".into()),
            ..Description::default()
        },
    };
    assert_eq!(change(&study, "hp", describe, None).unwrap().what, "colour, role of `Hope` (hope)");
    let relate =
        Change::Relate { from: "trust".into(), to: "hope".into(), label: "leads-to".into(), note: String::new() };
    assert_eq!(change(&study, "hp", relate, None).unwrap().what, "`trust` leads-to `hope`");
    let actions: Vec<String> = study.load_decisions().unwrap().into_iter().map(|d| d.action).collect();
    assert_eq!(actions, ["add", "rename", "move", "move", "describe", "relate"]);
}

#[test]
fn refusals_name_the_problem_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let before = std::fs::read(dir.path().join("codebook.toml")).unwrap();
    let error = change(&study, "hp", Change::Rename { entry: "hopes".into(), name: "x".into() }, None).unwrap_err();
    assert!(matches!(error, ChangeError::Unknown(_)), "{error:?}");
    assert_eq!(error.hint().as_deref(), Some("`thema codebook` shows the entries"));
    let nothing = Change::Describe { entry: "hope".into(), description: Description::default() };
    assert!(matches!(change(&study, "hp", nothing, None).unwrap_err(), ChangeError::NothingToDescribe));
    let colour = Change::Describe {
        entry: "hope".into(),
        description: Description { colour: Some("blue".into()), ..Description::default() },
    };
    assert_eq!(change(&study, "hp", colour, None).unwrap_err().to_string(), "`blue` is not a colour like #1f77b4");
    // A cycle: the theme under its own code.
    let cycle = Change::MoveTo { entry: "hope".into(), parent: Some("way-out".into()) };
    assert!(matches!(change(&study, "hp", cycle, None).unwrap_err(), ChangeError::Codebook(_)));
    assert_eq!(std::fs::read(dir.path().join("codebook.toml")).unwrap(), before);
    assert!(study.load_decisions().unwrap().is_empty());
}
