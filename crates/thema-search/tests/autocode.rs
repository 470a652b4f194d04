//! Auto-coding every hit of a search. The figures are counted by hand from the two documents:
//!
//! ```text
//! d: I: Was it the peer work?\nMo: The peer work, the peer group.\n
//!    0         1         2          3         4         5
//!    0123456789012345678901234 567890123456789012345678901234567890
//! e: Ann: peers help.\n
//!    0123456789012345
//! ```
//! In `d`, turn 1 (the interviewer) is 3..24 and turn 2 (Mo) 29..59, "peer" is at 14..18,
//! 33..37 and 48..52; in `e`, turn 1 (Ann) is 5..16 and "peers" 5..10.

use thema_core::codebook::{CodebookEntry, EntryKind};
use thema_core::{Coding, Document, DocumentMeta, Span, Speaker, Study, Turn};
use thema_search::{autocode, AutocodeError, AutocodeOptions, HitOrder, Request, SearchIndex, Unit};

fn turn(number: u32, speaker: &str, start: usize, end: usize) -> Turn {
    Turn { number, speaker: Some(speaker.into()), span: Span { start, end }, time_start: None, time_end: None }
}

fn document(id: &str, text: &str, speakers: &[(&str, bool)], turns: Vec<Turn>) -> Document {
    let mut meta = DocumentMeta::new(id, "interview");
    meta.speakers = speakers
        .iter()
        .map(|(label, interviewer)| Speaker { label: (*label).into(), participant: None, interviewer: *interviewer })
        .collect();
    Document { meta, text: text.into(), turns }
}

/// The study; with `tied`, both documents have import sequence 0, so that their turns come
/// interleaved in document order (d:T1, e:T1, d:T2 or e:T1, d:T1, d:T2).
fn study(root: &std::path::Path, tied: bool) -> Study {
    let mut study = Study::init(root, "Peer work").unwrap();
    let mut d = document(
        "d",
        "I: Was it the peer work?\nMo: The peer work, the peer group.\n",
        &[("I", true), ("Mo", false)],
        vec![turn(1, "I", 3, 24), turn(2, "Mo", 29, 59)],
    );
    let mut e = document("e", "Ann: peers help.\n", &[("Ann", false)], vec![turn(1, "Ann", 5, 16)]);
    if !tied {
        (d.meta.sequence, e.meta.sequence) = (1, 2);
    }
    study.add_documents(&[d, e]).unwrap();
    let mut codebook = study.load_codebook().unwrap();
    codebook
        .add(CodebookEntry {
            id: "peer".into(),
            name: "Peer".into(),
            kind: EntryKind::Code,
            ..CodebookEntry::default()
        })
        .unwrap();
    study.save_codebook(&codebook).unwrap();
    study
}

/// A search for `query` ranked by score with a limit of one hit: auto-coding codes every hit,
/// in document order, whatever the request's order and limit.
fn request(query: &str) -> Request {
    Request { query: query.into(), order: HitOrder::Rank, limit: 1, ..Request::default() }
}

fn options(coder: &str) -> AutocodeOptions {
    AutocodeOptions { code: "Peer".into(), coder: coder.into(), ..AutocodeOptions::default() }
}

fn spans(codings: &[Coding]) -> Vec<(&str, usize, usize)> {
    codings.iter().map(|c| (c.document.as_str(), c.start, c.end)).collect()
}

/// [`spans`] sorted, for documents whose hits come in no set order.
fn sorted(codings: &[Coding]) -> Vec<(&str, usize, usize)> {
    let mut spans = spans(codings);
    spans.sort_unstable();
    spans
}

#[test]
fn every_hit_is_coded_once_the_interviewers_too() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path(), false);
    let (index, _) = SearchIndex::open(&study).unwrap();
    let done = autocode(&study, &index, &request("peer"), &options("hp")).unwrap();
    assert_eq!(spans(&done.added), [("d", 14, 18), ("d", 33, 37), ("d", 48, 52), ("e", 5, 10)]);
    assert_eq!((done.extended.len(), done.already_coded, done.entry.id.as_str()), (0, 0, "peer"));
    assert_eq!(spans(&study.load_coder_codings("hp").unwrap()), spans(&done.added));
    // Again: every hit is inside a coding of hp's now, nothing is added or saved.
    let again = autocode(&study, &index, &request("peer"), &options("hp")).unwrap();
    assert_eq!((again.added.len(), again.extended.len(), again.already_coded), (0, 0, 4));
}

/// With documents of one import sequence (their turns interleaved in document order), as with
/// distinct ones. Before the documents' hits were grouped, `d` was met twice and swept twice,
/// the second time without mk's codings: 33..37 was added inside 29..37 and 48..52 beside 40..50.
#[test]
fn a_second_coders_codings_are_joined_by_the_one_rule() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path(), true);
    // mk has coded 29..37 ("The peer") and 40..50 ("rk, the pe"); hp has coded all of turn 2.
    let d = study.load_document("d").unwrap();
    let coding = |start, end, coder: &str| Coding::new(&d, Span { start, end }, "peer", coder, "t").unwrap();
    study.save_coder_codings("mk", &[coding(29, 37, "mk"), coding(40, 50, "mk")]).unwrap();
    study.save_coder_codings("hp", &[coding(29, 59, "hp")]).unwrap();
    let (index, _) = SearchIndex::open(&study).unwrap();
    let dry = autocode(&study, &index, &request("peer"), &AutocodeOptions { dry_run: true, ..options("mk") }).unwrap();
    // 14..18 is new, 33..37 lies inside 29..37, 48..52 overlaps 40..50 (widened to 40..52).
    assert_eq!(sorted(&dry.added), [("d", 14, 18), ("e", 5, 10)]);
    assert_eq!(spans(&dry.extended), [("d", 40, 52)]);
    assert_eq!(dry.already_coded, 1);
    assert_eq!(
        spans(&study.load_coder_codings("mk").unwrap()),
        [("d", 29, 37), ("d", 40, 50)],
        "a dry run saves nothing"
    );
    let done = autocode(&study, &index, &request("peer"), &options("mk")).unwrap();
    assert_eq!((done.added.len(), done.extended.len(), done.already_coded), (2, 1, 1));
    assert_eq!(
        spans(&study.load_coder_codings("mk").unwrap()),
        [("d", 14, 18), ("d", 29, 37), ("d", 40, 52), ("e", 5, 10)]
    );
    assert_eq!(spans(&study.load_coder_codings("hp").unwrap()), [("d", 29, 59)], "hp's codings are hp's");
}

#[test]
fn whole_turns_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path(), false);
    let (index, _) = SearchIndex::open(&study).unwrap();
    let turns = AutocodeOptions { unit: Unit::Turn, ..options("hp") };
    let done = autocode(&study, &index, &request("peer"), &turns).unwrap();
    assert_eq!(spans(&done.added), [("d", 3, 24), ("d", 29, 59), ("e", 5, 16)]);
    // Every turn matches `*`, without words: only whole turns can be coded.
    let error = autocode(&study, &index, &request("*"), &options("mk")).unwrap_err();
    assert!(matches!(error, AutocodeError::NoWords));
    assert_eq!(error.hint().as_deref(), Some("code whole turns with `--unit turn`, or search for words"));
    let unknown = AutocodeOptions { code: "Pear".into(), ..options("mk") };
    let error = autocode(&study, &index, &request("peer"), &unknown).unwrap_err();
    assert!(error.to_string().starts_with("no code, category or theme `Pear` in the codebook"), "{error}");
    assert_eq!(
        error.hint().as_deref(),
        Some("`thema codebook` lists the entries; a new code is added with `thema codebook add \"Pear\"`")
    );
    assert!(study.load_coder_codings("mk").unwrap().is_empty());
}
