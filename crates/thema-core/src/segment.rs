//! Coded segments with their attribution: which turn, speaker and participant each coding falls
//! in, and counts of segments, documents and participants under each codebook entry.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::codebook::Codebook;
use crate::coding::Coding;
use crate::document::TurnId;
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

/// Attribute codings to turns, speakers and participants, reading each document's turns once.
/// Segments come grouped by document (in id order), each document's in the order given.
pub fn attribute(study: &Study, codings: Vec<Coding>) -> Result<Vec<Segment>, StudyError> {
    // Group by document without a map keyed by owned strings: codings mostly come in runs of
    // one document, so the last group is tried first.
    let mut groups: Vec<Vec<Coding>> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    let mut last: Option<usize> = None;
    for c in codings {
        let group = match last.filter(|&g| groups[g][0].document == c.document) {
            Some(g) => g,
            None => match group_of.get(c.document.as_str()) {
                Some(&g) => g,
                None => {
                    group_of.insert(c.document.clone(), groups.len());
                    groups.push(Vec::new());
                    groups.len() - 1
                }
            },
        };
        groups[group].push(c);
        last = Some(group);
    }
    groups.sort_by(|a, b| a[0].document.cmp(&b[0].document));
    let mut out = Vec::with_capacity(groups.iter().map(Vec::len).sum());
    // Only the turns are needed, not the texts: a block of documents' turns is read at a time,
    // on all cores.
    let mut groups = groups.into_iter();
    loop {
        let block: Vec<Vec<Coding>> = groups.by_ref().take(Study::TURNS_BLOCK).collect();
        if block.is_empty() {
            break;
        }
        let known: Vec<&str> =
            block.iter().map(|g| g[0].document.as_str()).filter(|id| study.document_meta(id).is_some()).collect();
        let mut loaded = study.load_turns_of(&known)?.into_iter();
        for codings in block {
            attribute_document(study, codings, &mut loaded, &mut out);
        }
    }
    Ok(out)
}

/// Attribute the codings of one document, taking its turns from `loaded` if it is known.
fn attribute_document(
    study: &Study,
    codings: Vec<Coding>,
    loaded: &mut impl Iterator<Item = Vec<crate::Turn>>,
    out: &mut Vec<Segment>,
) {
    let id = codings[0].document.clone();
    let document = study.document_meta(&id).map(|meta| (meta, loaded.next().unwrap_or_default()));
    // Each speaker label's participant, looked up once a document.
    let people: Vec<(&str, Option<&str>, Option<&crate::Participant>)> = document
        .iter()
        .flat_map(|(meta, _)| &meta.speakers)
        .map(|s| {
            let participant = s.participant.as_deref();
            (s.label.as_str(), participant, participant.and_then(|p| study.participants.get(p)))
        })
        .collect();
    for coding in codings {
        // An unplaced coding's span points into the old text: attribute it to nobody.
        let turn = document.as_ref().filter(|_| !coding.unplaced).and_then(|(_, turns)| {
            let at = turns.partition_point(|t| t.span.end <= coding.start);
            turns.get(at).filter(|t| t.span.start <= coding.start || t.span.start < coding.end)
        });
        let speaker = turn.and_then(|t| t.speaker.clone());
        let (participant, person) = speaker
            .as_deref()
            .and_then(|label| people.iter().find(|(l, _, _)| *l == label))
            .map_or((None, None), |&(_, participant, person)| (participant, person));
        out.push(Segment {
            turn: turn.map(|t| TurnId { document: id.clone(), number: t.number }.to_string()),
            speaker,
            pseudonym: person.map(|p| p.pseudonym.clone()),
            role: person.map(|p| p.role.clone()),
            participant: participant.map(str::to_owned),
            coding,
        });
    }
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
    // Number documents and participants so that distinct ones are counted with a stamp array
    // rather than a set of strings per entry.
    fn number<'a>(numbers: &mut HashMap<&'a str, usize>, key: &'a str) -> usize {
        let next = numbers.len();
        *numbers.entry(key).or_insert(next)
    }
    let mut documents: HashMap<&str, usize> = HashMap::new();
    let mut participants: HashMap<&str, usize> = HashMap::new();
    let mut by_code: HashMap<&str, Vec<(usize, Option<usize>)>> = HashMap::new();
    for s in segments {
        let document = number(&mut documents, s.coding.document.as_str());
        let participant = s.participant.as_deref().map(|p| number(&mut participants, p));
        by_code.entry(s.coding.code.as_str()).or_default().push((document, participant));
    }
    let mut seen_document = vec![0usize; documents.len()];
    let mut seen_participant = vec![0usize; participants.len()];
    codebook
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let stamp = i + 1;
            let mut counts = EntryCounts::default();
            for id in codebook.descendants(&e.id) {
                for &(document, participant) in by_code.get(id.as_str()).into_iter().flatten() {
                    counts.segments += 1;
                    if seen_document[document] != stamp {
                        seen_document[document] = stamp;
                        counts.documents += 1;
                    }
                    if let Some(p) = participant {
                        if seen_participant[p] != stamp {
                            seen_participant[p] = stamp;
                            counts.participants += 1;
                        }
                    }
                }
            }
            (e.id.clone(), counts)
        })
        .collect()
}
