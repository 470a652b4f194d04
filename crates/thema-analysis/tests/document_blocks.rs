//! Segments a block of documents at a time, as the framework matrix and the exports read them.
//! The study is `support::study`: hp and mk pooled hold, counted by hand, four passages in d1
//! (hope T1-T2 with mk's hope T2 inside it, mk's hope T3, friends T3 of both, hp's stray T2)
//! and two in d2 (hp's hope T2, mk's stray T2).

mod support;

use std::cmp::Reverse;

use thema_analysis::document_blocks::in_blocks_of;
use thema_core::segment::{attribute, Segment};

fn blocks<K: Ord>(study: &thema_core::Study, key: impl Fn(&str) -> K, documents: usize) -> Vec<Vec<Segment>> {
    let set = study.coder_set(&["hp".into(), "mk".into()]).unwrap();
    let codings = study.load_set_codings(&set).unwrap();
    in_blocks_of(study, codings, key, documents).map(Result::unwrap).collect()
}

fn documents(block: &[Segment]) -> Vec<&str> {
    let mut ids: Vec<&str> = block.iter().map(|s| s.coding.document.as_str()).collect();
    ids.dedup();
    ids
}

#[test]
fn a_block_a_document_in_id_order_is_every_segment_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    let found = blocks(&study, str::to_owned, 1);
    assert_eq!(found.iter().map(Vec::len).collect::<Vec<_>>(), [4, 2]);
    assert_eq!(found.iter().map(|b| documents(b)).collect::<Vec<_>>(), [["d1"], ["d2"]]);
    // The blocks one after another are the whole study's segments, as attributed at once.
    let set = study.coder_set(&["hp".into(), "mk".into()]).unwrap();
    let whole = attribute(&study, study.load_set_codings(&set).unwrap()).unwrap();
    assert_eq!(found.concat(), whole);
}

#[test]
fn blocks_follow_the_key_and_documents_of_one_key_share_a_block() {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    // d2 first when the key says so.
    let reversed = blocks(&study, |id| Reverse(id.to_owned()), 1);
    assert_eq!(reversed.iter().map(|b| documents(b)).collect::<Vec<_>>(), [["d2"], ["d1"]]);
    // One key for both documents: one block, however small blocks are asked to be, in id order.
    let one = blocks(&study, |_| 0, 1);
    assert_eq!(one.len(), 1);
    assert_eq!(documents(&one[0]), ["d1", "d2"]);
    assert_eq!(one[0].len(), 6);
    // Large blocks: every document in one.
    assert_eq!(blocks(&study, str::to_owned, 256).len(), 1);
}

#[test]
fn no_codings_no_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let study = support::study(dir.path());
    assert_eq!(in_blocks_of(&study, Vec::new(), str::to_owned, 1).count(), 0);
}

/// Three documents imported in an order that is not their ids' (`b` first, then `c`, then
/// `a`), coded by hp and mk and pooled; counted by hand:
///
/// | document (sequence) | hp | mk | pooled |
/// |---|---|---|---|
/// | a (3) | hope T1-T2 (the interviewer's question inside) | hope T2 | hope T1-T2, hp+mk |
/// | b (1) | hope T2 | hope T1-T3 (both interviewer turns inside) | hope T1-T3, hp+mk |
/// | c (2) | hope T2, friends T2 | | friends T2, hp; hope T2, hp |
fn shuffled(dir: &std::path::Path) -> thema_core::Study {
    use support::{coding, document, entry};
    use thema_core::codebook::EntryKind;
    let mut study = thema_core::Study::init(dir, "shuffled").unwrap();
    let a = document("a", 3, &[("Facilitator", "Why stay?"), ("Ann", "Hope keeps me here.")]);
    let b = document("b", 1, &[("Facilitator", "And then?"), ("Ben", "Hope again."), ("Facilitator", "Go on.")]);
    let c = document("c", 2, &[("Facilitator", "What else?"), ("Ann", "Friends and hope.")]);
    study.add_documents(&[a.clone(), b.clone(), c.clone()]).unwrap();
    let mut codebook = thema_core::Codebook::default();
    for e in [
        entry("keeping-on", "Keeping on", EntryKind::Theme, None),
        entry("hope", "Hope", EntryKind::Code, Some("keeping-on")),
        entry("friends", "Friends", EntryKind::Code, Some("keeping-on")),
        entry("stray", "Stray", EntryKind::Code, None),
    ] {
        codebook.add(e).unwrap();
    }
    study.save_codebook(&codebook).unwrap();
    let hp = [
        coding(&a, 1, 2, "hope", "hp"),
        coding(&b, 2, 2, "hope", "hp"),
        coding(&c, 2, 2, "hope", "hp"),
        coding(&c, 2, 2, "friends", "hp"),
    ];
    let mk = [coding(&a, 2, 2, "hope", "mk"), coding(&b, 1, 3, "hope", "mk"), coding(&b, 2, 2, "stray", "mk")];
    study.save_coder_codings("hp", &hp).unwrap();
    study.save_coder_codings("mk", &mk).unwrap();
    thema_core::Study::open(dir).unwrap()
}

/// Each segment as (document, first turn, code, coder).
fn listed(segments: &[Segment]) -> Vec<(&str, &str, &str, &str)> {
    segments
        .iter()
        .map(|s| {
            (s.coding.document.as_str(), s.turn.as_deref().unwrap(), s.coding.code.as_str(), s.coding.coder.as_str())
        })
        .collect()
}

#[test]
fn document_order_across_blocks_is_the_import_order_not_the_ids() {
    use thema_analysis::document_blocks::in_document_order;
    let dir = tempfile::tempdir().unwrap();
    let study = shuffled(dir.path());
    let set = study.coder_set(&["hp".into(), "mk".into()]).unwrap();
    let blocks: Vec<Vec<Segment>> =
        in_document_order(&study, study.load_set_codings(&set).unwrap(), 1).map(Result::unwrap).collect();
    // A block a document, in import order; within c, the two passages of one span by code.
    let expected = [
        vec![("b", "b:T1", "hope", "hp+mk"), ("b", "b:T2", "stray", "mk")],
        vec![("c", "c:T2", "friends", "hp"), ("c", "c:T2", "hope", "hp")],
        vec![("a", "a:T1", "hope", "hp+mk")],
    ];
    assert_eq!(blocks.iter().map(|b| listed(b)).collect::<Vec<_>>(), expected);
    // One block of every document is the same order.
    let whole: Vec<Segment> =
        in_document_order(&study, study.load_set_codings(&set).unwrap(), 256).flat_map(Result::unwrap).collect();
    assert_eq!(listed(&whole), expected.concat());
}

#[test]
fn segments_of_a_theme_in_import_order_with_their_groups_and_counts() {
    use thema_analysis::segment_list::{in_blocks, under, Counts, GroupBy, Listing};
    let dir = tempfile::tempdir().unwrap();
    let study = shuffled(dir.path());
    let set = study.coder_set(&["hp".into(), "mk".into()]).unwrap();
    let codebook = study.load_codebook().unwrap();
    let theme = under(&study, &set, &codebook, "keeping-on", &[]).unwrap();
    // mk's stray coding is under no theme.
    let expected = [
        ("b", "b:T1", "hope", "hp+mk"),
        ("c", "c:T2", "friends", "hp"),
        ("c", "c:T2", "hope", "hp"),
        ("a", "a:T1", "hope", "hp+mk"),
    ];
    assert_eq!(listed(&theme), expected);
    // A block a document: b, c, a, each whole.
    let blocks: Vec<Vec<Segment>> =
        in_blocks(&study, &set, &codebook, "keeping-on", &[], 1).unwrap().map(Result::unwrap).collect();
    assert_eq!(blocks.iter().map(Vec::len).collect::<Vec<_>>(), [1, 2, 1]);
    assert_eq!(listed(&blocks.concat()), expected);
    // Grouped, each group keeps the turns of its segments.
    let grouped = |by: Option<GroupBy>| {
        let mut listing: Listing<Vec<String>> = Listing::new(by);
        for s in &theme {
            listing.add(&study, s, |turns| turns.push(s.turn.clone().unwrap()));
        }
        let counts = listing.counts();
        (counts, listing.into_groups())
    };
    let (counts, by_document) = grouped(Some(GroupBy::Document));
    // Nobody is a participant here (the speakers are not linked to any).
    assert_eq!(counts, Counts { segments: 4, documents: 3, participants: 0 });
    let turns = |t: &[&str]| t.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        by_document,
        [
            ("b".to_owned(), 1, turns(&["b:T1"])),
            ("c".to_owned(), 2, turns(&["c:T2", "c:T2"])),
            ("a".to_owned(), 1, turns(&["a:T1"]))
        ]
    );
    let (_, by_participant) = grouped(Some(GroupBy::Participant));
    assert_eq!(by_participant, [("(no participant)".to_owned(), 4, turns(&["b:T1", "c:T2", "c:T2", "a:T1"]))]);
    let (_, all) = grouped(None);
    assert_eq!(all, [(String::new(), 4, turns(&["b:T1", "c:T2", "c:T2", "a:T1"]))]);
    // One code: hp's coding alone in c, and the pooled passages, as when every coding is read.
    let hope = under(&study, &set, &codebook, "hope", &[]).unwrap();
    assert_eq!(
        listed(&hope),
        [("b", "b:T1", "hope", "hp+mk"), ("c", "c:T2", "hope", "hp"), ("a", "a:T1", "hope", "hp+mk")]
    );
}
