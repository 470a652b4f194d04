//! Review comments imported as memos (`thema_core::review`): once only, following merged
//! entries by the decision log, reporting deleted ones, and all or nothing. The study:
//!
//! ```text
//! I: Was it the peer work?\nMo: The peer work, the peer group.\n
//! 0         1         2         3         4         5
//! 0123456789012345678901234 567890123456789012345678901234567890
//! ```
//! Turn 1 (the interviewer) is 3..24, turn 2 (Mo) 29..59. Codebook: theme `support` with the
//! code `peer` under it, the code `group`, the relation support part-of group. hp codes `peer`
//! at 33..37 ("peer" in Mo's turn); mk codes `peer` at 14..37, from the interviewer's question
//! into Mo's answer, and `group` at 52..57.

use std::path::PathBuf;

use thema_core::formats::Decision;
use thema_core::review::{import, Comment, CommentKind, CommentsFile, ReviewError, FORMAT, VERSION};
use thema_core::{Codebook, CodebookEntry, Coding, EntryKind, Relation, Span, Study};

const TEXT: &str = "I: Was it the peer work?\nMo: The peer work, the peer group.\n";

fn study(root: &std::path::Path) -> Study {
    let mut study = Study::init(root, "Peer work").unwrap();
    study.add_document(&thema_testkit::interview("d", TEXT, &[("I", 3, 24), ("Mo", 29, 59)])).unwrap();
    let entry = |id: &str, kind, parent: Option<&str>| CodebookEntry {
        id: id.into(),
        name: id.into(),
        kind,
        parent: parent.map(Into::into),
        ..CodebookEntry::default()
    };
    let codebook = Codebook {
        entries: vec![
            entry("support", EntryKind::Theme, None),
            entry("peer", EntryKind::Code, Some("support")),
            entry("group", EntryKind::Code, None),
        ],
        relations: vec![Relation {
            from: "support".into(),
            to: "group".into(),
            label: "part-of".into(),
            note: String::new(),
        }],
    };
    study.save_codebook(&codebook).unwrap();
    let document = study.load_document("d").unwrap();
    let coding = |start, end, code: &str, coder: &str| {
        Coding::new(&document, Span { start, end }, code, coder, "2026-01-01T00:00:00Z").unwrap()
    };
    study.save_coder_codings("hp", &[coding(33, 37, "peer", "hp")]).unwrap();
    study.save_coder_codings("mk", &[coding(14, 37, "peer", "mk"), coding(52, 57, "group", "mk")]).unwrap();
    study
}

fn comment(id: &str, target: &str, text: &str) -> Comment {
    Comment {
        id: id.into(),
        reviewer: "Ana".into(),
        time: "2026-12-05T04:00:00Z".into(),
        kind: CommentKind::Question,
        target: target.into(),
        target_name: String::new(),
        text: text.into(),
    }
}

fn file(comments: Vec<Comment>) -> Vec<(PathBuf, CommentsFile)> {
    vec![(
        PathBuf::from("ana.json"),
        CommentsFile { format: FORMAT.into(), version: VERSION, study: "Peer work".into(), comments },
    )]
}

fn memo_targets(study: &Study) -> Vec<(String, String)> {
    study.load_memos().unwrap().into_iter().map(|m| (m.header.id, m.header.on)).collect()
}

#[test]
fn comments_become_memos_once() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let comments = file(vec![
        comment("c1", "code:support", "Is support the theme?"),
        comment("c2", "relation:support>group:part-of", "Part of, really?"),
        // mk's passage with the interviewer's question in it.
        comment("c3", "coding:d:14-37:peer", "<script>alert(1)</script> not peer work"),
    ]);
    let summary = import(&study, &comments).unwrap();
    assert_eq!(summary.added.len(), 3);
    assert_eq!(
        memo_targets(&study),
        [
            ("review-c1".to_owned(), "code:support".to_owned()),
            ("review-c2".to_owned(), "relation:support>group:part-of".to_owned()),
            ("review-c3".to_owned(), "coding:d:14-37:peer".to_owned()),
        ]
    );
    let memos = study.load_memos().unwrap();
    let c3 = &memos[2];
    assert_eq!((c3.header.kind.as_str(), c3.header.author.as_str()), ("review", "Ana"));
    // Named in words: the passage starts at 14, in turn 1 (3..24).
    assert_eq!(c3.header.title, "Question on “peer” at d:T1");
    // Kept as written: it is escaped where it is shown.
    assert!(c3.body.starts_with("<script>alert(1)</script> not peer work\n"), "{}", c3.body);
    assert_eq!(memos[0].header.title, "Question on support");

    let again = import(&study, &comments).unwrap();
    assert_eq!((again.added.len(), again.already), (0, 3));
    assert_eq!(study.load_memos().unwrap(), memos);
}

fn log(study: &Study, action: &str, what: &str) {
    let decision = Decision {
        time: "2026-12-05T05:00:00Z".into(),
        who: "hp".into(),
        action: action.into(),
        what: what.into(),
        why: String::new(),
    };
    study.log_decision(&decision).unwrap();
}

#[test]
fn merged_targets_are_followed_and_deleted_ones_reported() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    // peer merged into group (its codings moved with it), then support deleted; the log says
    // both as `thema codebook` writes them.
    let mut codebook = study.load_codebook().unwrap();
    codebook.merge("peer", "group").unwrap();
    codebook.delete("support").unwrap();
    study.save_codebook(&codebook).unwrap();
    let document = study.load_document("d").unwrap();
    let moved = Coding::new(&document, Span { start: 14, end: 37 }, "group", "mk", "2026-01-01T00:00:00Z").unwrap();
    let group = Coding::new(&document, Span { start: 52, end: 57 }, "group", "mk", "2026-01-01T00:00:00Z").unwrap();
    study.save_coder_codings("mk", &[moved, group]).unwrap();
    log(&study, "merge", "`peer` into `group` (1 coding moved)");
    log(&study, "delete", "theme `support` (support; 0 codings deleted)");

    let summary = import(
        &study,
        &file(vec![
            comment("c1", "code:peer", "Peer or group?"),
            comment("c2", "coding:d:14-37:peer", "Not peer work"),
            comment("c3", "code:support", "Keep it"),
            comment("c4", "relation:support>group:part-of", "Part of?"),
        ]),
    )
    .unwrap();
    assert_eq!(
        summary.followed,
        [
            ("c1".to_owned(), "code:peer".to_owned(), "code:group".to_owned()),
            ("c2".to_owned(), "coding:d:14-37:peer".to_owned(), "coding:d:14-37:group".to_owned()),
        ]
    );
    assert_eq!(
        summary.deleted,
        [("c3".to_owned(), "code:support".to_owned()), ("c4".to_owned(), "relation:support>group:part-of".to_owned()),]
    );
    assert_eq!(
        memo_targets(&study),
        [
            ("review-c1".to_owned(), "code:group".to_owned()),
            ("review-c2".to_owned(), "coding:d:14-37:group".to_owned()),
        ]
    );
}

#[test]
fn an_unknown_target_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let err = import(
        &study,
        &file(vec![
            comment("c1", "code:peer", "Fine"),
            comment("c2", "code:nobody", "?"),
            // A passage nobody coded, and one in a document the study lacks.
            comment("c3", "coding:d:3-9:peer", "?"),
            comment("c4", "coding:e:3-9:peer", "?"),
        ]),
    )
    .unwrap_err();
    match &err {
        ReviewError::UnknownTargets { problems, .. } => assert_eq!(
            problems,
            &["`c2` on `code:nobody`", "`c3` on `coding:d:3-9:peer`", "`c4` on `coding:e:3-9:peer`"]
        ),
        other => panic!("{other}"),
    }
    assert!(err.to_string().starts_with("3 comments of ana.json name nothing in the study"), "{err}");
    assert!(study.load_memos().unwrap().is_empty());
}
