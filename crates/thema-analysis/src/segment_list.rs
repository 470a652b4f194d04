//! The segments coded under an entry, as `thema segments` lists them: which segments, in which
//! order, in which groups, and the counts of its heading line. Only the codings under the entry
//! are read into memory ([`Study::load_set_codings_where`]), and they are attributed a block of
//! documents at a time ([`in_blocks`]) for a listing to print as it goes ([`Listing`]): a whole
//! theme of a 10,000-document study is a fraction of its million codings, and its segments are
//! never all in memory.

use std::collections::{BTreeSet, HashMap};

use thema_core::codebook::Codebook;
use thema_core::coders::CoderSet;
use thema_core::filter::Where;
use thema_core::segment::Segment;
use thema_core::{Study, StudyError};

use crate::choice::choices;
use crate::document_blocks;

choices! {
    /// How `thema segments --by` groups the segments it lists.
    pub enum GroupBy {
        /// A group a participant credited with a segment (by pseudonym).
        Participant = "participant",
        /// A group a document.
        Document = "document",
    }
}

/// Every segment of coder set `set` coded under `entry` or its descendants that meets
/// `conditions`, in the order they are listed: by document (in import order, `sequence`),
/// start, end, code and coder.
pub fn under(
    study: &Study,
    set: &CoderSet,
    codebook: &Codebook,
    entry: &str,
    conditions: &[Where],
) -> Result<Vec<Segment>, StudyError> {
    let mut segments = Vec::new();
    for block in in_blocks(study, set, codebook, entry, conditions, document_blocks::BLOCK)? {
        segments.extend(block?);
    }
    Ok(segments)
}

/// The segments of [`under`], a block of at least `documents` whole documents at a time (see
/// [`document_blocks::in_order_of`]): the blocks one after another are [`under`]'s list, and
/// memory holds the codings still to come and one block of segments.
pub fn in_blocks<'a>(
    study: &'a Study,
    set: &CoderSet,
    codebook: &Codebook,
    entry: &str,
    conditions: &'a [Where],
    documents: usize,
) -> Result<impl Iterator<Item = Result<Vec<Segment>, StudyError>> + 'a, StudyError> {
    let under = codebook.descendants(entry);
    let codings = study.load_set_codings_where(set, &|code| under.contains(code))?;
    // A document the study does not know (a coding left by a deleted one) is listed last.
    let order: HashMap<String, u32> = study.documents().iter().map(|d| (d.id.clone(), d.sequence)).collect();
    let sequence = move |id: &str| order.get(id).copied().unwrap_or(u32::MAX);
    let blocks = document_blocks::in_order_of(study, codings, sequence, documents);
    Ok(blocks.map(move |block| {
        let mut segments = block?;
        segments.retain(|s| s.meets(study, conditions));
        Ok(segments)
    }))
}

/// What the heading line of a listing counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    /// Segments listed.
    pub segments: usize,
    /// Documents they are in.
    pub documents: usize,
    /// Participants credited with them.
    pub participants: usize,
}

/// A participant's group when the segment credits no one.
pub const NO_PARTICIPANT: &str = "(no participant)";

/// A listing gathered a segment at a time (in listing order), with what its heading line
/// counts: its groups, each with its number of segments and what the caller keeps for it (the
/// text it prints, say), in the order of their first segment. Without `by`, one group named ""
/// (a group named "" has no heading); by participant, a group a participant's pseudonym (their
/// id when they have no entry in `participants.csv`, [`NO_PARTICIPANT`] for a segment that
/// credits no one), a segment of several participants listed under each; by document, a group
/// a document id.
pub struct Listing<T> {
    by: Option<GroupBy>,
    groups: Vec<(String, usize, T)>,
    index: HashMap<String, usize>,
    segments: usize,
    documents: BTreeSet<String>,
    participants: BTreeSet<String>,
}

impl<T: Default> Listing<T> {
    /// An empty listing, grouped `by`.
    pub fn new(by: Option<GroupBy>) -> Listing<T> {
        Listing {
            by,
            groups: Vec::new(),
            index: HashMap::new(),
            segments: 0,
            documents: BTreeSet::new(),
            participants: BTreeSet::new(),
        }
    }

    /// Count `s` in, and hand `add` what is kept for each group it is listed under.
    pub fn add(&mut self, study: &Study, s: &Segment, mut add: impl FnMut(&mut T)) {
        self.segments += 1;
        if !self.documents.contains(&s.coding.document) {
            self.documents.insert(s.coding.document.clone());
        }
        for p in &s.participants {
            if !self.participants.contains(p) {
                self.participants.insert(p.clone());
            }
        }
        let keys: Vec<String> = match self.by {
            Some(GroupBy::Participant) if s.participants.is_empty() => vec![NO_PARTICIPANT.to_owned()],
            Some(GroupBy::Participant) => s
                .participants
                .iter()
                .map(|p| study.participants.get(p).map_or_else(|| p.clone(), |person| person.pseudonym.clone()))
                .collect(),
            Some(GroupBy::Document) => vec![s.coding.document.clone()],
            None => vec![String::new()],
        };
        for key in keys {
            let groups = &mut self.groups;
            let g = *self.index.entry(key).or_insert_with_key(|key| {
                groups.push((key.clone(), 0, T::default()));
                groups.len() - 1
            });
            let (_, count, kept) = &mut self.groups[g];
            *count += 1;
            add(kept);
        }
    }

    /// What the heading line counts.
    pub fn counts(&self) -> Counts {
        Counts { segments: self.segments, documents: self.documents.len(), participants: self.participants.len() }
    }

    /// The groups: name, number of segments, what was kept.
    pub fn into_groups(self) -> Vec<(String, usize, T)> {
        self.groups
    }
}
