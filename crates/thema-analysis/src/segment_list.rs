//! The segments coded under an entry, as `thema segments` lists them: which segments, in which
//! order, in which groups, and the counts of its heading line. Only the codings under the entry
//! are read into memory ([`Study::load_set_codings_where`]): a whole theme of a 10,000-document
//! study is a fraction of its million codings.

use std::collections::{BTreeSet, HashMap};

use thema_core::codebook::Codebook;
use thema_core::coders::CoderSet;
use thema_core::filter::Where;
use thema_core::segment::{self, Segment};
use thema_core::{Study, StudyError};

use crate::choice::choices;

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
    let under = codebook.descendants(entry);
    let codings = study.load_set_codings_where(set, &|c| under.contains(&c.code))?;
    let mut segments = segment::attribute(study, codings)?;
    segments.retain(|s| s.meets(study, conditions));
    let order: HashMap<&str, u32> = study.documents().iter().map(|d| (d.id.as_str(), d.sequence)).collect();
    let key = |s: &Segment| {
        let c = &s.coding;
        (order.get(c.document.as_str()).copied().unwrap_or(u32::MAX), c.start, c.end)
    };
    segments.sort_by(|a, b| {
        key(a).cmp(&key(b)).then_with(|| a.coding.code.cmp(&b.coding.code)).then_with(|| a.coding.coder.cmp(&b.coding.coder))
    });
    Ok(segments)
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

/// The counts of `segments`.
pub fn counts(segments: &[Segment]) -> Counts {
    let documents: BTreeSet<&str> = segments.iter().map(|s| s.coding.document.as_str()).collect();
    let participants: BTreeSet<&str> = segments.iter().flat_map(|s| s.participants.iter().map(String::as_str)).collect();
    Counts { segments: segments.len(), documents: documents.len(), participants: participants.len() }
}

/// A participant's group when the segment credits no one.
pub const NO_PARTICIPANT: &str = "(no participant)";

/// `segments` (in listing order) in the groups a listing shows, each group's segments in that
/// order and the groups in the order of their first segment. Without `by`, one group named ""
/// (a group named "" has no heading); by participant, a group a participant's pseudonym (their
/// id when they have no entry in `participants.csv`, [`NO_PARTICIPANT`] for a segment that
/// credits no one), a segment of several participants listed under each; by document, a group
/// a document id.
pub fn groups<'s>(study: &Study, segments: &'s [Segment], by: Option<GroupBy>) -> Vec<(String, Vec<&'s Segment>)> {
    let mut groups: Vec<(String, Vec<&Segment>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for s in segments {
        let keys: Vec<String> = match by {
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
            let g = *index.entry(key).or_insert_with_key(|key| {
                groups.push((key.clone(), Vec::new()));
                groups.len() - 1
            });
            groups[g].1.push(s);
        }
    }
    groups
}
