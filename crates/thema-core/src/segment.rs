//! Coded segments with their attribution: which turn, speaker and participant each coding falls
//! in, and counts of segments, documents and participants under each codebook entry.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::codebook::Codebook;
use crate::coding::Coding;
use crate::error::StudyError;
use crate::study::Study;

/// A coding and who said it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// The coding.
    #[serde(flatten)]
    pub coding: Coding,
    /// Turn id (`fg1:T17`) of the turn the segment starts in.
    pub turn: Option<String>,
    /// Speaker label of that turn.
    pub speaker: Option<String>,
    /// Participant id the speaker is linked to.
    pub participant: Option<String>,
    /// The participant's pseudonym.
    pub pseudonym: Option<String>,
    /// The participant's role.
    pub role: Option<String>,
}

impl Segment {
    /// Attribution as papers print it: `-Simon, Peer Mentor`, or the speaker label.
    pub fn attribution(&self) -> String {
        match (&self.pseudonym, &self.role, &self.speaker) {
            (Some(p), Some(r), _) if !r.is_empty() => format!("-{p}, {r}"),
            (Some(p), _, _) => format!("-{p}"),
            (None, _, Some(label)) => format!("-{label}"),
            _ => "-(unattributed)".to_owned(),
        }
    }
}

/// Attribute codings to turns, speakers and participants, reading each document once.
pub fn attribute(study: &Study, codings: Vec<Coding>) -> Result<Vec<Segment>, StudyError> {
    let mut by_document: BTreeMap<String, Vec<Coding>> = BTreeMap::new();
    for c in codings {
        by_document.entry(c.document.clone()).or_default().push(c);
    }
    let mut out = Vec::new();
    for (id, codings) in by_document {
        let document = match study.document_meta(&id) {
            Some(_) => Some(study.load_document(&id)?),
            None => None,
        };
        for coding in codings {
            // An unplaced coding's span points into the old text: attribute it to nobody.
            let turn = document.as_ref().filter(|_| !coding.unplaced).and_then(|d| {
                let at = d.turns.partition_point(|t| t.span.end <= coding.start);
                d.turns.get(at).filter(|t| t.span.start <= coding.start || t.span.start < coding.end)
            });
            let speaker = turn.and_then(|t| t.speaker.clone());
            let participant = speaker
                .as_deref()
                .and_then(|label| document.as_ref().and_then(|d| d.speaker(label)))
                .and_then(|s| s.participant.clone());
            let person = participant.as_deref().and_then(|p| study.participants.get(p));
            out.push(Segment {
                turn: turn.and_then(|t| document.as_ref().map(|d| d.turn_id(t.number))),
                speaker,
                pseudonym: person.map(|p| p.pseudonym.clone()),
                role: person.map(|p| p.role.clone()),
                participant,
                coding,
            });
        }
    }
    Ok(out)
}

/// Segments, documents and participants under a codebook entry, descendants included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EntryCounts {
    /// Coded segments (one coding each).
    pub segments: usize,
    /// Distinct documents.
    pub documents: usize,
    /// Distinct participants.
    pub participants: usize,
}

/// Counts for every entry of the codebook.
pub fn counts(codebook: &Codebook, segments: &[Segment]) -> BTreeMap<String, EntryCounts> {
    let mut by_code: BTreeMap<&str, Vec<&Segment>> = BTreeMap::new();
    for s in segments {
        by_code.entry(s.coding.code.as_str()).or_default().push(s);
    }
    codebook
        .entries
        .iter()
        .map(|e| {
            let under: Vec<&Segment> = codebook
                .descendants(&e.id)
                .iter()
                .flat_map(|id| by_code.get(id.as_str()).into_iter().flatten().copied())
                .collect();
            let documents: BTreeSet<&str> = under.iter().map(|s| s.coding.document.as_str()).collect();
            let participants: BTreeSet<&str> = under.iter().filter_map(|s| s.participant.as_deref()).collect();
            (
                e.id.clone(),
                EntryCounts { segments: under.len(), documents: documents.len(), participants: participants.len() },
            )
        })
        .collect()
}
