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
///
/// A coding can span several turns (a question and its answer, a passage of a focus group): it
/// is credited to every participant who speaks inside its span, never to an interviewer or to a
/// speaker not linked to a participant. `voices` has each turn's part of the coding, in order;
/// `participants` the participants credited. The first-turn fields (`turn`, `speaker`,
/// `participant`, `pseudonym`, `role`) describe the turn the coding starts in, as before.
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
    /// Participants who speak inside the span (interviewers and unlinked speakers never), each
    /// once, in the order they first speak.
    pub participants: Vec<String>,
    /// Each turn the span touches, in order: who speaks and which part of the coding is theirs.
    pub voices: Vec<Voice>,
}

/// Who speaks a turn, as attribution may name them: never by the transcript's label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "as", content = "participant")]
pub enum Voicing {
    /// A participant, by id.
    Participant(String),
    /// An interviewer, moderator or facilitator.
    Interviewer,
    /// A speaker not linked to a participant, or a turn with no speaker.
    Unidentified,
}

/// One turn's part of a coding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Voice {
    /// Turn id, `fg1:T17`.
    pub turn: String,
    /// Who speaks it.
    #[serde(flatten)]
    pub who: Voicing,
    /// Start of the part (code points into the document's text; the coding's start or the
    /// turn's speech, whichever is later).
    pub start: usize,
    /// End of the part (half-open).
    pub end: usize,
}

impl Segment {
    /// Whether some speaker of the segment meets every condition (document fields hold for
    /// all of them; a segment without turns is a speaker who is no participant).
    pub fn meets(&self, study: &Study, conditions: &[crate::filter::Where]) -> bool {
        if conditions.is_empty() {
            return true;
        }
        let Some(meta) = study.document_meta(&self.coding.document) else { return false };
        let holds = |who: &Voicing| {
            let (person, interviewer) = match who {
                Voicing::Participant(id) => (study.participants.get(id), false),
                Voicing::Interviewer => (None, true),
                Voicing::Unidentified => (None, false),
            };
            conditions.iter().all(|c| c.holds(meta, person, interviewer))
        };
        if self.voices.is_empty() {
            return holds(&Voicing::Unidentified);
        }
        self.voices.iter().any(|v| holds(&v.who))
    }

    /// The words spoken in the segment: the quote when it lies in one turn; for a passage of
    /// several turns, each turn's part (trimmed) separated by a blank line, without the speaker
    /// labels that stand between turns in the text (they may be real names).
    pub fn spoken_words(&self) -> String {
        if self.voices.len() <= 1 {
            return self.coding.quote.clone();
        }
        let parts: Vec<&str> = self.voices.iter().map(|v| self.words_of(v).trim()).filter(|w| !w.is_empty()).collect();
        if parts.is_empty() {
            return self.coding.quote.clone();
        }
        parts.join("\n\n")
    }

    /// The words of a voice: its part of the quote (empty when the quote was not read, or no
    /// longer matches the span).
    pub fn words_of(&self, voice: &Voice) -> &str {
        let quote = self.coding.quote.as_str();
        let from = voice.start.saturating_sub(self.coding.start);
        let to = voice.end.saturating_sub(self.coding.start);
        let byte = |n: usize| quote.char_indices().nth(n).map_or(quote.len(), |(b, _)| b);
        if voice.end < voice.start || quote.chars().count() != self.coding.end - self.coding.start {
            return "";
        }
        &quote[byte(from)..byte(to)]
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
    let mut reader = crate::turncache::TurnReader::new(study);
    loop {
        let block: Vec<Vec<Coding>> = groups.by_ref().take(Study::TURNS_BLOCK).collect();
        if block.is_empty() {
            break;
        }
        let known: Vec<&str> =
            block.iter().map(|g| g[0].document.as_str()).filter(|id| study.document_meta(id).is_some()).collect();
        let mut loaded = reader.turns_of(&known)?.into_iter();
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
    let people: Vec<(&str, Option<&str>, Option<&crate::Participant>, bool)> = document
        .iter()
        .flat_map(|(meta, _)| &meta.speakers)
        .map(|s| {
            let participant = s.participant.as_deref().filter(|_| !s.interviewer);
            (s.label.as_str(), participant, participant.and_then(|p| study.participants.get(p)), s.interviewer)
        })
        .collect();
    for coding in codings {
        // An unplaced coding's span points into the old text: attribute it to nobody.
        let turns: &[crate::Turn] = match &document {
            Some((_, turns)) if !coding.unplaced => turns,
            _ => &[],
        };
        let first = turns.partition_point(|t| t.span.end <= coding.start);
        // Every turn the span touches; a span inside the gap before a turn (a speaker label)
        // belongs to that turn.
        let inside = &turns[first..];
        let inside = &inside[..inside.iter().take_while(|t| t.span.start < coding.end.max(coding.start + 1)).count()];
        let person_of =
            |label: Option<&str>| label.and_then(|label| people.iter().find(|(l, _, _, _)| *l == label)).copied();
        let mut voices = Vec::with_capacity(inside.len());
        let mut participants: Vec<String> = Vec::new();
        for t in inside {
            let who = match person_of(t.speaker.as_deref()) {
                Some((_, _, _, true)) => Voicing::Interviewer,
                Some((_, Some(p), _, false)) => {
                    if !participants.iter().any(|q| q == p) {
                        participants.push(p.to_owned());
                    }
                    Voicing::Participant(p.to_owned())
                }
                _ => Voicing::Unidentified,
            };
            let start = coding.start.max(t.span.start).min(coding.end);
            voices.push(Voice { turn: turn_id(&id, t.number), who, start, end: coding.end.min(t.span.end).max(start) });
        }
        let turn = inside.first();
        let speaker = turn.and_then(|t| t.speaker.clone());
        let (participant, person) =
            person_of(speaker.as_deref()).map_or((None, None), |(_, participant, person, _)| (participant, person));
        out.push(Segment {
            // The first voice's turn is the first turn's.
            turn: voices.first().map(|v| v.turn.clone()),
            speaker,
            pseudonym: person.map(|p| p.pseudonym.clone()),
            role: person.map(|p| p.role.clone()),
            participant: participant.map(str::to_owned),
            participants,
            voices,
            coding,
        });
    }
}

/// The id of turn `number` of `document`, as [`TurnId`] prints it, made in one allocation.
fn turn_id(document: &str, number: u32) -> String {
    use std::fmt::Write;
    let mut id = String::with_capacity(document.len() + 12);
    let _ = write!(id, "{document}:T{number}");
    debug_assert_eq!(id, TurnId { document: document.to_owned(), number }.to_string());
    id
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
    let mut by_code: HashMap<&str, Vec<(usize, Vec<usize>)>> = HashMap::new();
    for s in segments {
        let document = number(&mut documents, s.coding.document.as_str());
        // Every participant who speaks inside the span, not only the first speaker.
        let credited = s.participants.iter().map(|p| number(&mut participants, p)).collect();
        by_code.entry(s.coding.code.as_str()).or_default().push((document, credited));
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
                for (document, credited) in by_code.get(id.as_str()).into_iter().flatten() {
                    let document = *document;
                    counts.segments += 1;
                    if seen_document[document] != stamp {
                        seen_document[document] = stamp;
                        counts.documents += 1;
                    }
                    for &p in credited {
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
