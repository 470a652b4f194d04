//! Passages: finding what a researcher names, and adding and removing codings of it by the one
//! rule of one coding a passage a code a coder. The figures are counted by hand from the text:
//!
//! ```text
//! I: Was it the peer work?\nMo: The peer work, the peer group.\n
//! 0         1         2         3         4         5
//! 0123456789012345678901234 567890123456789012345678901234567890
//! ```
//! Turn 1 (the interviewer) is 3..24, turn 2 (Mo) 29..59; "peer" is at 14..18, 33..37, 48..52.

use thema_core::coding::Placed;
use thema_core::passage::{add_coding, locate, parse_span, remove_coding, Passage, PassageError};
use thema_core::{Coding, Document, DocumentMeta, Span, Speaker, Study, Turn};

const TEXT: &str = "I: Was it the peer work?\nMo: The peer work, the peer group.\n";

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
    let document = Document { meta, text: TEXT.into(), turns: vec![turn(1, "I", 3, 24), turn(2, "Mo", 29, 59)] };
    study.add_document(&document).unwrap();
    study
}

fn quote(text: &str) -> Passage {
    Passage { document: Some("d".into()), quote: Some(text.into()), ..Passage::default() }
}

fn span(start: usize, end: usize) -> Span {
    Span { start, end }
}

#[test]
fn a_quote_a_turn_and_a_span_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    assert_eq!(
        locate(&study, &quote("peer work")).unwrap_err().to_string().split(':').next(),
        Some("“peer work” occurs 2 times in `d`")
    );
    let with = |p: Passage| locate(&study, &p).map(|(_, s)| s);
    // The second occurrence of "peer work", a quote inside a turn, a whole turn, a span.
    assert_eq!(with(Passage { occurrence: Some(2), ..quote("peer work") }).unwrap(), span(33, 42));
    assert_eq!(with(Passage { turn: Some("d:T1".into()), ..quote("peer") }).unwrap(), span(14, 18));
    assert_eq!(
        with(Passage { turn: Some("d:T2".into()), occurrence: Some(2), ..quote("peer") }).unwrap(),
        span(48, 52)
    );
    assert_eq!(with(Passage { turn: Some("d:t2".into()), ..Passage::default() }).unwrap(), span(29, 59));
    assert_eq!(with(Passage { span: Some("d:3..9".into()), ..Passage::default() }).unwrap(), span(3, 9));
}

#[test]
fn an_ambiguous_quote_lists_every_occurrence_with_its_turn() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let error = locate(&study, &quote("peer")).unwrap_err();
    let PassageError::Ambiguous { occurrences, .. } = &error else { panic!("{error:?}") };
    let listed: Vec<(usize, &str, &str)> =
        occurrences.iter().map(|o| (o.occurrence, o.turn.as_str(), o.span.as_str())).collect();
    assert_eq!(listed, [(1, "d:T1", "d:14..18"), (2, "d:T2", "d:33..37"), (3, "d:T2", "d:48..52")]);
    assert_eq!((occurrences[0].before.as_str(), occurrences[2].after.as_str()), ("I: Was it the ", " group.\n"));
    assert_eq!(
        error.to_string(),
        "“peer” occurs 3 times in `d`: 1 at d:T1 (14..18), 2 at d:T2 (33..37), 3 at d:T2 (48..52)"
    );
    assert_eq!(error.hint().as_deref(), Some("pass `--occurrence N`, `--turn` to say which turn, or a longer quote"));
}

#[test]
fn bad_passages_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let refused = |p: Passage| {
        let e = locate(&study, &p).unwrap_err();
        (e.to_string(), e.hint())
    };
    assert_eq!(
        refused(quote("ee")),
        (
            "“ee” starts and ends inside a word in `d`: the text has “peer”".to_owned(),
            Some(
                "quote whole words (`--quote \"peer\"`), or give the exact characters as a span: `--span d:15..17`"
                    .into()
            )
        )
    );
    assert_eq!(refused(quote("cafe")).0, "“cafe” is not in `d`");
    assert_eq!(
        refused(Passage { occurrence: Some(4), ..quote("peer") }).0,
        "occurrence 4 asked for, but the quote occurs 3 times"
    );
    assert_eq!(
        refused(Passage { turn: Some("d:T3".into()), ..Passage::default() }),
        ("`d` has no turn 3".to_owned(), Some("it has 2 turns; `thema show d`".into()))
    );
    assert_eq!(refused(Passage { turn: Some("d:T2".into()), ..quote("Was") }).0, "“Was” is not in `d`");
    assert_eq!(
        refused(Passage { document: Some("e".into()), turn: Some("d:T2".into()), ..Passage::default() }).0,
        "`--doc e` and `--turn d:T2` name different documents"
    );
    assert_eq!(refused(Passage::default()).0, "no passage given");
    assert_eq!(refused(Passage { document: Some("d".into()), ..Passage::default() }).0, "what to code in `d`?");
    let unknown = refused(Passage { span: Some("x:1..2".into()), ..Passage::default() });
    assert_eq!(unknown.1.as_deref(), Some("`thema ls` lists the documents"));
    assert_eq!(parse_span("d:1-2").unwrap_err().to_string(), "`d:1-2` is not a span like `fg1:120..180`");
    assert_eq!(parse_span("d:9..9").unwrap_err().to_string(), "`d:9..9` is empty or backwards");
    assert_eq!(parse_span("a:b:3..5").unwrap(), ("a:b", span(3, 5)));
}

fn coding(study: &Study, at: Span, coder: &str) -> (Document, Coding) {
    let document = study.load_document("d").unwrap();
    let coding = Coding::new(&document, at, "peer", coder, "2026-01-01T00:00:00Z").unwrap();
    (document, coding)
}

#[test]
fn one_coding_a_passage_a_code_a_coder_for_two_coders() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let code = |at: Span, coder: &str, memo: &str| {
        let (document, mut c) = coding(&study, at, coder);
        c.memo = memo.into();
        add_coding(&study, &document, c, "Peer")
    };
    // The interviewer's turn coded by hp, then the same passage by mk: a coding each.
    assert_eq!(code(span(3, 24), "hp", "").unwrap(), Placed::Added);
    assert_eq!(code(span(3, 24), "mk", "").unwrap(), Placed::Added);
    // hp again, on words inside it: refused, nothing written.
    let error = code(span(14, 23), "hp", "").unwrap_err();
    assert_eq!(error.to_string(), "hp already coded this passage with `Peer`: the coding at d:T1 (3..24) covers it");
    assert_eq!(error.hint().as_deref(), Some("one coding a passage a code a coder; `thema segments CODE` lists them"));
    // With a memo it brings something: kept as the one coding, the memo carried over.
    assert_eq!(code(span(14, 23), "hp", "why").unwrap(), Placed::Covered(span(3, 24)));
    // Reaching into Mo's turn: one coding over both turns.
    assert_eq!(code(span(20, 37), "hp", "").unwrap(), Placed::Extended(span(3, 37)));
    let hp = study.load_coder_codings("hp").unwrap();
    let hp: Vec<(usize, usize, &str)> = hp.iter().map(|c| (c.start, c.end, c.memo.as_str())).collect();
    assert_eq!(hp, [(3, 37, "why")]);
    let mk = study.load_coder_codings("mk").unwrap();
    assert_eq!(mk.iter().map(|c| (c.start, c.end)).collect::<Vec<_>>(), [(3, 24)]);
}

#[test]
fn uncoding_the_middle_of_a_coding_splits_it_and_leaves_the_other_coder_alone() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    for coder in ["hp", "mk"] {
        let (document, c) = coding(&study, span(3, 59), coder);
        add_coding(&study, &document, c, "Peer").unwrap();
    }
    let document = study.load_document("d").unwrap();
    // "peer" in Mo's turn, 33..37: what is left, without the spaces at its ends, is 3..32
    // ("Was it the peer work?\nMo: The") and 38..59 ("work, the peer group.").
    let done = remove_coding(&study, &document, span(33, 37), "peer", "hp").unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].outcome(), "split into 3..32 and 38..59");
    let hp: Vec<(usize, usize)> = study.load_coder_codings("hp").unwrap().iter().map(|c| (c.start, c.end)).collect();
    assert_eq!(hp, [(3, 32), (38, 59)]);
    assert_eq!(study.load_coder_codings("mk").unwrap().len(), 1);
    // The whole of what is left of the first part goes; nothing there the second time.
    assert_eq!(remove_coding(&study, &document, span(3, 32), "peer", "hp").unwrap()[0].outcome(), "removed");
    let error = remove_coding(&study, &document, span(3, 24), "peer", "hp").unwrap_err();
    assert_eq!(error.to_string(), "nothing to uncode: hp has not coded `peer` at d:3..24");
    assert_eq!(error.hint().as_deref(), Some("hp's codings with `peer` in `d` are at d:38..59"));
}

#[test]
fn an_in_vivo_code_is_named_by_the_words_and_made_once() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let document = study.load_document("d").unwrap();
    let mut codebook = study.load_codebook().unwrap();
    codebook
        .add(thema_core::CodebookEntry {
            id: "groups".into(),
            name: "Groups".into(),
            kind: thema_core::EntryKind::Theme,
            ..thema_core::CodebookEntry::default()
        })
        .unwrap();
    study.save_codebook(&codebook).unwrap();
    // "peer work, the peer group" (33..58) becomes a code under the theme.
    let made = thema_core::passage::in_vivo_code(&study, &document, span(33, 58), Some("groups")).unwrap();
    assert_eq!(made, ("peer-work-the-peer-group".to_owned(), "peer work, the peer group".to_owned(), true));
    let entry = study.load_codebook().unwrap().get("peer-work-the-peer-group").cloned().unwrap();
    assert_eq!((entry.parent.as_deref(), entry.in_vivo), (Some("groups"), true));
    // The same words again (another occurrence, or another coder): the code that exists.
    let again = thema_core::passage::in_vivo_code(&study, &document, span(33, 58), None).unwrap();
    assert!(!again.2);
    assert_eq!(study.load_codebook().unwrap().entries.len(), 2);
    let error = thema_core::passage::in_vivo_code(&study, &document, span(14, 18), Some("nothing")).unwrap_err();
    assert!(error.to_string().starts_with("no code, category or theme `nothing`"), "{error}");
}
