//! Coded segments a block of documents at a time, for commands that write what they read (the
//! framework matrix, the Parquet export): each block's codings are attributed when it is asked
//! for and dropped when the caller is done with it, so memory holds the codings still to come
//! and one block of segments, not the segments of the whole study (about 1 GB at 10,000
//! documents and a million codings).

use std::collections::HashMap;

use thema_core::segment::{self, Segment};
use thema_core::{Coding, Study, StudyError};

/// Documents a block holds at least (all of those sharing the last one's key too): the
/// turns of a block are read at once, on all cores.
pub const BLOCK: usize = Study::TURNS_BLOCK;

/// The codings of each document, grouped in the order `key` gives documents (ties by id).
/// Each block's segments come as [`segment::attribute`] makes them: by document id, each
/// document's in the order of `codings`. A block holds whole documents, and all the documents
/// of one key: sorting a block's segments by a key that starts with the document's `key`
/// gives the order that sorting every segment of the study would.
pub fn in_blocks<'a, K: Ord + 'a>(
    study: &'a Study,
    codings: Vec<Coding>,
    key: impl Fn(&str) -> K,
) -> impl Iterator<Item = Result<Vec<Segment>, StudyError>> + 'a {
    in_blocks_of(study, codings, key, BLOCK)
}

/// As [`in_blocks`], with blocks of at least `documents` documents (one at least).
pub fn in_blocks_of<'a, K: Ord + 'a>(
    study: &'a Study,
    codings: Vec<Coding>,
    key: impl Fn(&str) -> K,
    documents: usize,
) -> impl Iterator<Item = Result<Vec<Segment>, StudyError>> + 'a {
    let mut groups: Vec<Vec<Coding>> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    for c in codings {
        // Codings mostly come in runs of one document: the last group is tried first.
        let g = match groups.last().filter(|g| g[0].document == c.document) {
            Some(_) => groups.len() - 1,
            None => *group_of.entry(c.document.clone()).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            }),
        };
        groups[g].push(c);
    }
    let mut keyed: Vec<(K, Vec<Coding>)> = groups.into_iter().map(|g| (key(&g[0].document), g)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1[0].document.cmp(&b.1[0].document)));
    let mut keyed = keyed.into_iter().peekable();
    std::iter::from_fn(move || {
        let mut block: Vec<Coding> = Vec::new();
        let mut taken = 0;
        while let Some((k, codings)) = keyed.next() {
            block.extend(codings);
            taken += 1;
            if taken >= documents && keyed.peek().is_none_or(|(next, _)| *next != k) {
                break;
            }
        }
        (!block.is_empty()).then(|| segment::attribute(study, block))
    })
}

/// The segments of `codings` in the order the segment exports list them (document in import
/// order, `sequence`; then start, end, code and coder), a block of at least `documents` whole
/// documents at a time (see [`in_blocks_of`]; [`BLOCK`] for the exports): the blocks one after
/// another are every segment sorted so.
pub fn in_document_order<'a>(
    study: &'a Study,
    codings: Vec<Coding>,
    documents: usize,
) -> impl Iterator<Item = Result<Vec<Segment>, StudyError>> + 'a {
    let order: HashMap<String, u32> = study.documents().iter().map(|m| (m.id.clone(), m.sequence)).collect();
    in_order_of(study, codings, move |id| order.get(id).copied(), documents)
}

/// The segments of `codings` sorted by their document's `key`, then start, end, code and coder,
/// a block of at least `documents` whole documents at a time (see [`in_blocks_of`]): the blocks
/// one after another are every segment sorted so.
pub fn in_order_of<'a, K: Ord + 'a>(
    study: &'a Study,
    codings: Vec<Coding>,
    key: impl Fn(&str) -> K + Clone + 'a,
    documents: usize,
) -> impl Iterator<Item = Result<Vec<Segment>, StudyError>> + 'a {
    let blocks = in_blocks_of(study, codings, key.clone(), documents);
    blocks.map(move |block| {
        let mut segments = block?;
        let place = |s: &Segment| {
            let c = &s.coding;
            (key(&c.document), c.start, c.end)
        };
        segments.sort_by(|a, b| {
            place(a)
                .cmp(&place(b))
                .then_with(|| a.coding.code.cmp(&b.coding.code))
                .then_with(|| a.coding.coder.cmp(&b.coding.coder))
        });
        Ok(segments)
    })
}
