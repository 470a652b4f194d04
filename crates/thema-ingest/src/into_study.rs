//! Adding what was read to a study: choosing the document id, kind and title, linking speaker
//! labels to participants, and turning survey respondents into participants.

use std::collections::BTreeMap;

use serde::Serialize;
use thema_core::document::{slugify, DocumentMeta, Source};
use thema_core::participant::Participant;
use thema_core::settings::AttributeType;
use thema_core::{Document, Speaker, Study, StudyError};

use crate::text::is_interviewer_label;
use crate::transcript::{SourceLine, Warning};
use crate::{Format, Import};

/// What the researcher said about the document on the command line.
#[derive(Clone, Debug, Default)]
pub struct DocumentOptions {
    /// Document id (default: made from the file name).
    pub id: Option<String>,
    /// Title (default: the file name without extension).
    pub title: Option<String>,
    /// Kind (default: `survey` for CSV, `focus-group` with three or more participants speaking,
    /// else `interview`).
    pub kind: Option<String>,
    /// Session date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Wave of a longitudinal study.
    pub wave: Option<u32>,
    /// Create a participant for every speaker label that matches nobody (not interviewers).
    pub add_participants: bool,
    /// Role given to participants created from speaker labels.
    pub role: Option<String>,
    /// Replace a document with the same id.
    pub replace: bool,
}

/// How one speaker label was linked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpeakerReport {
    /// The label.
    pub label: String,
    /// Turns with this label.
    pub turns: usize,
    /// Participant id, `interviewer` or `unlinked`.
    pub link: String,
}

/// What importing one file did.
#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    /// The new document's id.
    pub document: String,
    /// Format read.
    pub format: Format,
    /// Encoding decoded from.
    pub encoding: String,
    /// Kind given to the document.
    pub kind: String,
    /// Number of turns.
    pub turns: usize,
    /// Number of speaker labels.
    pub speakers: usize,
    /// Words in the turns.
    pub words: usize,
    /// Each label and its link.
    pub speaker_links: Vec<SpeakerReport>,
    /// Lines not attributed to a speaker.
    pub unattributed: Vec<SourceLine>,
    /// What the reader worked around.
    pub warnings: Vec<Warning>,
    /// Participants created by this import.
    pub participants_added: Vec<String>,
}

/// The document id for a file: the given id, or one made from the file name.
pub fn document_id(file_name: &str, options: &DocumentOptions) -> String {
    options.id.clone().unwrap_or_else(|| {
        let stem = std::path::Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or(file_name);
        slugify(stem)
    })
}

/// Add an imported file to the study as a new document (or a replacement), linking speakers.
///
/// Writes participants and settings first and the document last, so an interruption leaves at
/// worst a participant nobody speaks as, never a document linked to someone missing.
pub fn add_to_study(study: &mut Study, file_name: &str, import: Import, options: &DocumentOptions) -> Result<ImportReport, StudyError> {
    let id = document_id(file_name, options);
    if !thema_core::document::is_valid_id(&id) {
        return Err(StudyError::Invalid(format!("`{id}` is not a valid document id: use lowercase letters, digits, `-`, `_` and `.`")));
    }
    let existing = study.document_meta(&id).cloned();
    if existing.is_some() && !options.replace {
        return Err(StudyError::DuplicateDocument { id });
    }
    if let Some(date) = &options.date {
        if !thema_core::document::is_valid_date(date) {
            return Err(StudyError::Invalid(format!("`{date}` is not a date like 2024-01-31")));
        }
    }
    if let Some(kind) = &options.kind {
        if !thema_core::document::is_valid_id(kind) {
            return Err(StudyError::Invalid(format!("`{kind}` is not a document kind: use a lowercase word like `interview` or `focus-group`")));
        }
    }
    let Import { format, encoding, sha256, transcript } = import;
    let labels: Vec<String> = transcript.speaker_labels().into_iter().map(str::to_owned).collect();

    // Survey respondents become participants with their attributes.
    let mut participants_added = Vec::new();
    let mut respondent_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut participants_changed = false;
    let mut settings_changed = false;
    if !transcript.respondents.is_empty() {
        let mut columns: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for r in &transcript.respondents {
            for (k, v) in &r.attributes {
                columns.entry(k.as_str()).or_default().push(v.as_str());
            }
        }
        for (name, values) in &columns {
            if !study.settings.participant_attributes.contains_key(*name) {
                study.settings.participant_attributes.insert((*name).to_owned(), AttributeType::infer(values.iter().copied()));
                settings_changed = true;
            }
        }
        for r in &transcript.respondents {
            let wanted = if transcript.respondent_labels_generated { format!("{id}-{}", r.label.to_lowercase()) } else { r.label.clone() };
            let participant_id = match study.participants.get(&wanted) {
                Some(p) => p.id.clone(),
                None => {
                    let pid = if thema_core::participant::is_valid_participant_id(&wanted) { wanted } else { study.participants.fresh_id(&r.label) };
                    let participant = Participant {
                        id: pid.clone(),
                        pseudonym: r.label.clone(),
                        role: options.role.clone().unwrap_or_else(|| "Respondent".to_owned()),
                        attributes: r.attributes.clone(),
                    };
                    study.participants.add(participant).map_err(StudyError::Invalid)?;
                    participants_added.push(pid.clone());
                    participants_changed = true;
                    pid
                }
            };
            respondent_ids.insert(r.label.clone(), participant_id);
        }
    }

    let mut speakers = Vec::new();
    for label in &labels {
        let previous = existing.as_ref().and_then(|m| m.speakers.iter().find(|s| &s.label == label));
        let speaker = if let Some(previous) = previous {
            previous.clone()
        } else if let Some(pid) = respondent_ids.get(label) {
            Speaker { label: label.clone(), participant: Some(pid.clone()), interviewer: false }
        } else if is_interviewer_label(label) {
            Speaker { label: label.clone(), participant: None, interviewer: true }
        } else if let Some(p) = study.participants.match_label(label) {
            Speaker { label: label.clone(), participant: Some(p.id.clone()), interviewer: false }
        } else if options.add_participants {
            let pid = study.participants.fresh_id(label);
            let participant = Participant {
                id: pid.clone(),
                pseudonym: label.clone(),
                role: options.role.clone().unwrap_or_else(|| "Participant".to_owned()),
                attributes: BTreeMap::new(),
            };
            study.participants.add(participant).map_err(StudyError::Invalid)?;
            participants_added.push(pid.clone());
            participants_changed = true;
            Speaker { label: label.clone(), participant: Some(pid), interviewer: false }
        } else {
            Speaker { label: label.clone(), participant: None, interviewer: false }
        };
        speakers.push(speaker);
    }

    let participants_speaking = speakers.iter().filter(|s| !s.interviewer).count();
    let kind = options.kind.clone().unwrap_or_else(|| {
        if format == Format::Csv {
            "survey"
        } else if participants_speaking >= 3 {
            "focus-group"
        } else {
            "interview"
        }
        .to_owned()
    });
    let title = options.title.clone().unwrap_or_else(|| {
        std::path::Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or(file_name).to_owned()
    });
    let meta = DocumentMeta {
        id: id.clone(),
        title,
        kind: kind.clone(),
        date: options.date.clone(),
        wave: options.wave,
        sequence: existing.as_ref().map_or_else(|| study.next_sequence(), |m| m.sequence),
        source: Some(Source { file: file_name.to_owned(), format: format.name().to_owned(), encoding: encoding.clone(), sha256 }),
        attributes: existing.as_ref().map(|m| m.attributes.clone()).unwrap_or_default(),
        speakers,
    };
    let document = Document { meta, text: transcript.text, turns: transcript.turns };
    let stats = document.stats();
    let speaker_links = document
        .meta
        .speakers
        .iter()
        .map(|s| SpeakerReport {
            label: s.label.clone(),
            turns: document.turns.iter().filter(|t| t.speaker.as_deref() == Some(s.label.as_str())).count(),
            link: s.link_label(),
        })
        .collect();

    if participants_changed {
        study.save_participants()?;
    }
    if settings_changed {
        study.save_settings()?;
    }
    if existing.is_some() {
        study.replace_document(&document)?;
    } else {
        study.add_document(&document)?;
    }
    Ok(ImportReport {
        document: id,
        format,
        encoding,
        kind,
        turns: stats.turns,
        speakers: stats.speakers,
        words: stats.words,
        speaker_links,
        unattributed: transcript.unattributed,
        warnings: transcript.warnings,
        participants_added,
    })
}
