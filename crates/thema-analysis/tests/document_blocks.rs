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
