//! Linking a document's speaker label to a participant, or marking it as the interviewer, or
//! taking the link away (`thema link`): in one document, or in every document that has the
//! label. Writes each `speakers.csv` that changes, through the study (one step inside a
//! transaction).

use crate::suggest::did_you_mean;
use crate::{DocumentMeta, Participant, Study, StudyError};

/// What a label stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTo {
    /// A participant, by id or pseudonym.
    Participant(String),
    /// The interviewer (not a participant).
    Interviewer,
    /// Nobody yet.
    Unlinked,
}

/// What [`link`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linked {
    /// The documents that have the label, in the study's order.
    pub documents: Vec<String>,
    /// Those whose `speakers.csv` changed (the others were already so).
    pub changed: Vec<String>,
    /// What the label now is, in words: `simon (Simon, Peer Mentor)`, `the interviewer`, `now
    /// unlinked`.
    pub what: String,
}

/// Why a link was not made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// No participant by that id or pseudonym.
    #[error("{message}")]
    UnknownParticipant {
        /// The id given.
        id: String,
        /// What the participants table said.
        message: String,
    },
    /// No document by that id.
    #[error(transparent)]
    UnknownDocument(StudyError),
    /// The document has no such label.
    #[error("document `{document}` has no speaker label `{label}`{suggestion}")]
    NoLabel {
        /// The document.
        document: String,
        /// The label given.
        label: String,
        /// "; did you mean ..." or nothing.
        suggestion: String,
        /// The document's labels.
        labels: Vec<String>,
    },
    /// No document has the label.
    #[error("no document has the speaker label `{label}`{suggestion}")]
    NoDocumentHasLabel {
        /// The label given.
        label: String,
        /// "; did you mean ..." or nothing.
        suggestion: String,
    },
    /// The study could not be written.
    #[error(transparent)]
    Study(#[from] StudyError),
}

impl LinkError {
    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            LinkError::UnknownParticipant { id, .. } => format!(
                "`thema participants` lists them; add one with `thema participants add {id} --pseudonym NAME --role ROLE`"
            ),
            LinkError::UnknownDocument(_) => "`thema ls` lists the documents".to_owned(),
            LinkError::NoLabel { labels, .. } => {
                let labels: Vec<String> = labels.iter().map(|l| format!("`{l}`")).collect();
                format!("its labels are {}", labels.join(", "))
            }
            LinkError::NoDocumentHasLabel { .. } => "`thema speakers` lists every document's labels".to_owned(),
            LinkError::Study(_) => return None,
        })
    }
}

impl crate::error::Hint for LinkError {
    fn hint(&self) -> Option<String> {
        LinkError::hint(self)
    }
}

/// Link `label` to `to` in `document`, or in every document that has the label when `document`
/// is `None`.
pub fn link(study: &mut Study, document: Option<&str>, label: &str, to: &LinkTo) -> Result<Linked, LinkError> {
    let participant: Option<Participant> = match to {
        LinkTo::Participant(id) => Some(
            study
                .participants
                .known(id)
                .map_err(|message| LinkError::UnknownParticipant { id: id.clone(), message })?
                .clone(),
        ),
        _ => None,
    };
    let mut metas: Vec<DocumentMeta> = match document {
        Some(id) => {
            let meta = study.known_document(id).map_err(LinkError::UnknownDocument)?;
            if !meta.speakers.iter().any(|s| s.label == label) {
                return Err(LinkError::NoLabel {
                    document: id.to_owned(),
                    label: label.to_owned(),
                    suggestion: did_you_mean(label, meta.speakers.iter().map(|s| s.label.as_str())),
                    labels: meta.speakers.iter().map(|s| s.label.clone()).collect(),
                });
            }
            vec![meta.clone()]
        }
        None => {
            let metas: Vec<DocumentMeta> =
                study.documents().iter().filter(|m| m.speakers.iter().any(|s| s.label == label)).cloned().collect();
            if metas.is_empty() {
                let labels: std::collections::BTreeSet<&str> =
                    study.documents().iter().flat_map(|m| m.speakers.iter().map(|s| s.label.as_str())).collect();
                return Err(LinkError::NoDocumentHasLabel {
                    label: label.to_owned(),
                    suggestion: did_you_mean(label, labels),
                });
            }
            metas
        }
    };
    let (participant_id, interviewer) = match to {
        LinkTo::Participant(_) => (participant.as_ref().map(|p| p.id.clone()), false),
        LinkTo::Interviewer => (None, true),
        LinkTo::Unlinked => (None, false),
    };
    let mut changed = Vec::new();
    for meta in &mut metas {
        for speaker in meta.speakers.iter_mut().filter(|s| s.label == label) {
            if speaker.participant != participant_id || speaker.interviewer != interviewer {
                speaker.participant = participant_id.clone();
                speaker.interviewer = interviewer;
                changed.push(meta.id.clone());
            }
        }
    }
    for meta in metas.iter().filter(|m| changed.contains(&m.id)) {
        study.save_meta(meta)?;
    }
    let what = match (to, &participant) {
        (LinkTo::Participant(_), Some(p)) => format!("{} ({}, {})", p.id, p.pseudonym, p.role),
        (LinkTo::Interviewer, _) => "the interviewer".to_owned(),
        _ => "now unlinked".to_owned(),
    };
    Ok(Linked { documents: metas.into_iter().map(|m| m.id).collect(), changed, what })
}
