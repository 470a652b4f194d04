//! Codebook changes as a library call: what each does to the codebook, to every coder's codings
//! (two coders and their consensus set) and to the decision log, and what it refuses.
//!
//! The study: one document, a theme `Hope` with a sub-theme `Reassurance` and a code `way out`
//! under it, and a top-level code `trust`. Codings, counted by hand: hp has `way out` twice and
//! `trust` once, mk has `way out` once, the consensus set `team` has `way out` once.

use thema_core::codebook::EntryKind;
use thema_core::codebook_change::{change, Change, ChangeError, Description};
use thema_core::Study;

mod support;
use support::study;

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
        kind: None,
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
    let nothing = Change::Describe { entry: "hope".into(), description: Description::default(), kind: None };
    assert!(matches!(change(&study, "hp", nothing, None).unwrap_err(), ChangeError::NothingToDescribe));
    let colour = Change::Describe {
        entry: "hope".into(),
        description: Description { colour: Some("blue".into()), ..Description::default() },
        kind: None,
    };
    assert_eq!(change(&study, "hp", colour, None).unwrap_err().to_string(), "`blue` is not a colour like #1f77b4");
    // A cycle: the theme under its own code.
    let cycle = Change::MoveTo { entry: "hope".into(), parent: Some("way-out".into()) };
    assert!(matches!(change(&study, "hp", cycle, None).unwrap_err(), ChangeError::Codebook(_)));
    assert_eq!(std::fs::read(dir.path().join("codebook.toml")).unwrap(), before);
    assert!(study.load_decisions().unwrap().is_empty());
}

#[test]
fn a_code_that_grows_into_a_sub_theme_keeps_its_codings_children_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let order = |study: &Study| -> Vec<(String, EntryKind, Option<String>)> {
        study.load_codebook().unwrap().entries.into_iter().map(|e| (e.id, e.kind, e.parent)).collect()
    };
    let before = order(&study);
    let grow = Change::Describe {
        entry: "trust".into(),
        description: Description { definition: Some("Trust in the peer worker".into()), ..Description::default() },
        kind: Some(EntryKind::SubTheme),
    };
    let done = change(&study, "hp", grow, Some("it gathers codes now".into())).unwrap();
    assert_eq!((done.action, done.what.as_str()), ("describe", "kind, definition of `trust` (trust)"));
    let after = order(&study);
    assert_eq!(after.len(), before.len());
    for (b, a) in before.iter().zip(&after) {
        let kind = if a.0 == "trust" { EntryKind::SubTheme } else { b.1 };
        assert_eq!((&a.0, a.1, &a.2), (&b.0, kind, &b.2), "only trust's kind changed, nothing moved");
    }
    // Every coder's codings still name it.
    assert_eq!(codes_of(&study, "hp"), ["way-out", "way-out", "trust"]);
    let last = study.load_decisions().unwrap().pop().unwrap();
    assert_eq!((last.action.as_str(), last.why.as_str()), ("describe", "it gathers codes now"));
    // The same kind again is nothing to change.
    let same = Change::Describe {
        entry: "trust".into(),
        description: Description::default(),
        kind: Some(EntryKind::SubTheme),
    };
    assert!(matches!(change(&study, "hp", same, None).unwrap_err(), ChangeError::NothingToDescribe));
}
