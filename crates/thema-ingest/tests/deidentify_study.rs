//! De-identifying a whole study. The figures are counted by hand from the text, before and
//! after `Simon` -> `Sam` and `Kent` -> `Kay`:
//!
//! ```text
//! before: I: Did Simon help?\nMo: Simon and Kent did.\n
//!         0         1          2         3         4
//!         0123456789012345678 90123456789012345678901 2
//! after:  I: Did Sam help?\nMo: Sam and Kay did.\n
//!         0         1         2         3
//!         0123456789012345 678901234567890123456 7
//! ```
//! Turn 1 (the interviewer) is 3..18, then 3..16; turn 2 (Mo) 23..42, then 21..37.

use thema_core::study::Decision;
use thema_core::{Coding, Document, DocumentMeta, Span, Speaker, Study, Turn};
use thema_ingest::deidentify::Key;
use thema_ingest::deidentify_study::{deidentify_study, keep, read_key, DeidentifyError, DeidentifyOptions, LOG};

const KEY: &str = "original,replacement,category\nSimon,Sam,person\nKent,Kay,person\n";

fn study(root: &std::path::Path) -> Study {
    let mut study = Study::init(root, "Peer work").unwrap();
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
    let text = "I: Did Simon help?\nMo: Simon and Kent did.\n";
    let document = Document { meta, text: text.into(), turns: vec![turn(1, "I", 3, 18), turn(2, "Mo", 23, 42)] };
    study.add_document(&document).unwrap();
    let coding = |start, end, coder: &str| Coding::new(&document, Span { start, end }, "help", coder, "t").unwrap();
    // hp: "Simon" in the interviewer's question and "did."; mk: Mo's turn; the consensus set
    // `team`: the interviewer's turn.
    study.save_coder_codings("hp", &[coding(7, 12, "hp"), coding(38, 42, "hp")]).unwrap();
    study.save_coder_codings("mk", &[coding(23, 42, "mk")]).unwrap();
    study.save_coder_codings("team", &[coding(3, 18, "team")]).unwrap();
    let decision = |what: &str| Decision {
        time: "t".into(),
        who: "hp".into(),
        action: "add".into(),
        what: what.into(),
        why: String::new(),
    };
    study.log_decision(&decision("code `help` for what Simon said")).unwrap();
    study
}

fn options(dry_run: bool) -> DeidentifyOptions {
    DeidentifyOptions {
        key: Key::parse(KEY).unwrap(),
        detect: false,
        dry_run,
        who: "hp".into(),
        why: Some("ethics board".into()),
    }
}

fn spans(study: &Study, coder: &str) -> Vec<(usize, usize, String)> {
    study.load_coder_codings(coder).unwrap().into_iter().map(|c| (c.start, c.end, c.quote)).collect()
}

#[test]
fn text_turns_and_every_coders_codings_are_carried_over() {
    let dir = tempfile::tempdir().unwrap();
    let mut study = study(dir.path());
    // A search index holds the old text: it goes.
    let index = study.search_index_dir();
    std::fs::create_dir_all(&index).unwrap();
    std::fs::write(index.join("segment"), "Simon").unwrap();
    // So does the cache of the documents' metadata, which holds the old speaker labels.
    let meta_cache = study.path(thema_core::metacache::META_CACHE);
    std::fs::write(&meta_cache, "Simon").unwrap();
    // And the cache of the documents' turns, which holds them too.
    let turns_cache = study.path(thema_core::turncache::TURNS_CACHE);
    std::fs::write(&turns_cache, "Simon").unwrap();
    let summary = deidentify_study(&mut study, &options(false)).unwrap();
    assert!(!index.exists());
    assert!(!meta_cache.exists());
    assert!(!turns_cache.exists());
    assert_eq!(summary.documents, 1);
    assert_eq!(summary.replaced.into_iter().collect::<Vec<_>>(), [("person", 3)]);
    let changes: Vec<(&str, usize, usize)> =
        summary.codings.iter().map(|c| (c.coder.as_str(), c.moved, c.rewritten)).collect();
    assert_eq!(changes, [("hp", 1, 1), ("mk", 0, 1), ("team", 0, 1)]);
    let document = study.load_document("d").unwrap();
    assert_eq!(document.text, "I: Did Sam help?\nMo: Sam and Kay did.\n");
    let turns: Vec<Span> = document.turns.iter().map(|t| t.span).collect();
    assert_eq!(turns, [Span { start: 3, end: 16 }, Span { start: 21, end: 37 }]);
    assert_eq!(spans(&study, "hp"), [(7, 10, "Sam".into()), (33, 37, "did.".into())]);
    assert_eq!(spans(&study, "mk"), [(21, 37, "Sam and Kay did.".into())]);
    assert_eq!(spans(&study, "team"), [(3, 16, "Did Sam help?".into())]);
    // The decision log is rewritten through the study (the old decision's words replaced) and
    // the de-identification logged after it.
    let decisions = study.load_decisions().unwrap();
    let logged: Vec<(&str, &str, &str)> =
        decisions.iter().map(|d| (d.action.as_str(), d.what.as_str(), d.why.as_str())).collect();
    assert_eq!(
        logged,
        [
            ("add", "code `help` for what Sam said", ""),
            ("deidentify", "3 identifiers in 1 document: person 3", "ethics board")
        ]
    );
    // The log of what was replaced: by document, turn and category, never the words.
    let log = std::fs::read_to_string(dir.path().join(LOG)).unwrap();
    let rows: Vec<&str> = log.lines().map(|l| l.split_once(',').map_or(l, |(_, rest)| rest)).collect();
    assert_eq!(rows, ["document,turn,category,count", "d,1,person,1", "d,2,person,2"]);
    assert!(!log.contains("Simon") && !log.contains("Kent"));
}

#[test]
fn a_dry_run_counts_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut study = study(dir.path());
    let before = std::fs::read(dir.path().join("codings/mk.jsonl")).unwrap();
    let summary = deidentify_study(&mut study, &options(true)).unwrap();
    assert_eq!((summary.documents, summary.dry_run, summary.codings.len()), (1, true, 3));
    assert_eq!(study.load_document("d").unwrap().text, "I: Did Simon help?\nMo: Simon and Kent did.\n");
    assert_eq!(std::fs::read(dir.path().join("codings/mk.jsonl")).unwrap(), before);
    assert_eq!(study.load_decisions().unwrap().len(), 1);
    assert!(!dir.path().join(LOG).exists());
}

#[test]
fn a_key_inside_the_study_is_refused_and_kept_words_are_logged() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let inside = dir.path().join("key.csv");
    std::fs::write(&inside, KEY).unwrap();
    let error = read_key(&study, &inside).unwrap_err();
    assert!(matches!(error, DeidentifyError::KeyInStudy(_)));
    assert_eq!(
        error.hint().as_deref(),
        Some("move it outside the study folder (for instance beside it) and pass that path")
    );
    let outside = tempfile::tempdir().unwrap();
    let path = outside.path().join("key.csv");
    std::fs::write(&path, "original,replacement\nSimon,\n").unwrap();
    assert_eq!(
        read_key(&study, &path).unwrap_err().to_string(),
        format!("{}: line 2: `Simon` has no replacement", path.display())
    );
    assert_eq!(
        keep(&study, "mk", &["Vancouver".into(), "Fraser  Valley".into(), "vancouver".into()], None).unwrap(),
        2
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("deidentification-kept.txt")).unwrap(),
        "fraser valley\nvancouver\n"
    );
    let last = study.load_decisions().unwrap().pop().unwrap();
    assert_eq!((last.who.as_str(), last.what.as_str()), ("mk", "2 words marked as not identifiers"));
}
