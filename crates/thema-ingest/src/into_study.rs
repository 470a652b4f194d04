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
    /// Speaker labels (any case) that are the interviewer, whatever they were before.
    pub interviewers: Vec<String>,
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
    /// For a replaced document: what happened to its codings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codings: Option<ReanchorReport>,
    /// What the clean-up of an export removed and joined (PDF, or text imported with `--clean`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cleaned: Option<crate::clean::CleanReport>,
}

/// What happened to the codings of a replaced document.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ReanchorReport {
    /// Still at the same place.
    pub unchanged: usize,
    /// Found elsewhere in the corrected text.
    pub moved: usize,
    /// Quote edited in the correction; re-anchored by context.
    pub changed: usize,
    /// Not placed: kept in the codings file, flagged, listed by `thema check`.
    pub unplaced: Vec<String>,
}

/// A file name with its control characters (a terminal escape, a line break) made spaces: a
/// name is not text a title or a listing should carry them from.
fn without_controls(name: &str) -> String {
    name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The document id for a file: the given id, or one made from the file name.
pub fn document_id(file_name: &str, options: &DocumentOptions) -> String {
    options.id.clone().unwrap_or_else(|| {
        let stem = std::path::Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or(file_name);
        slugify(stem)
    })
}

/// Add one imported file to the study and write it at once. For many files, an [`Importer`]
/// writes them in batches, which is much faster.
pub fn add_to_study(
    study: &mut Study,
    file_name: &str,
    import: Import,
    options: &DocumentOptions,
) -> Result<ImportReport, StudyError> {
    let mut importer = Importer::new(study, options.clone());
    let report = importer.add(file_name, import)?;
    importer.flush()?;
    Ok(report)
}

/// Adds imported files to a study: prepares each document (id, kind, speaker links, survey
/// respondents as participants) in memory, and writes them in batches with [`Importer::flush`].
///
/// A flush writes participants and settings first and the documents last, so an interruption
/// leaves at worst a participant nobody speaks as, never a document linked to someone missing.
pub struct Importer<'s> {
    study: &'s mut Study,
    options: DocumentOptions,
    new: Vec<Document>,
    replacing: Vec<Document>,
    pending_bytes: usize,
    participants_changed: bool,
    settings_changed: bool,
    /// Every coder's codings, read when the first document is replaced, written at flush.
    codings: Option<std::collections::BTreeMap<String, Vec<thema_core::Coding>>>,
    codings_changed: bool,
}

impl<'s> Importer<'s> {
    /// An importer into `study`, with the same options for every file.
    pub fn new(study: &'s mut Study, options: DocumentOptions) -> Importer<'s> {
        Importer {
            study,
            options,
            new: Vec::new(),
            replacing: Vec::new(),
            pending_bytes: 0,
            participants_changed: false,
            settings_changed: false,
            codings: None,
            codings_changed: false,
        }
    }

    /// Re-anchor the codings of a document about to be replaced by `document`.
    fn reanchor(&mut self, document: &Document) -> Result<ReanchorReport, StudyError> {
        use thema_core::coding::{reanchor, Anchor};
        if self.codings.is_none() {
            let mut all = std::collections::BTreeMap::new();
            for coder in self.study.coders()? {
                let codings = self.study.load_coder_codings(&coder)?;
                all.insert(coder, codings);
            }
            self.codings = Some(all);
        }
        let mut report = ReanchorReport::default();
        for codings in self.codings.iter_mut().flat_map(|all| all.values_mut()) {
            for coding in codings.iter_mut().filter(|c| c.document == document.meta.id) {
                let (updated, anchor) = reanchor(coding, &document.text);
                match anchor {
                    Anchor::Unchanged => report.unchanged += 1,
                    Anchor::Moved => report.moved += 1,
                    Anchor::Changed => report.changed += 1,
                    Anchor::Unplaced => {
                        report.unplaced.push(format!("`{}` on “{}” ({})", coding.code, coding.quote, coding.coder))
                    }
                }
                if updated != *coding {
                    *coding = updated;
                    self.codings_changed = true;
                }
            }
        }
        Ok(report)
    }

    /// Documents prepared but not yet written.
    pub fn pending(&self) -> usize {
        self.new.len() + self.replacing.len()
    }

    /// Bytes of text prepared but not yet written.
    pub fn pending_bytes(&self) -> usize {
        self.pending_bytes
    }

    /// The study, with what has been prepared so far in its participants and settings.
    pub fn study(&self) -> &Study {
        self.study
    }

    /// Write what has been prepared: participants, settings, then the documents in one batch.
    /// Returns the ids written.
    pub fn flush(&mut self) -> Result<Vec<String>, StudyError> {
        if self.participants_changed {
            self.study.save_participants()?;
            self.participants_changed = false;
        }
        if self.settings_changed {
            self.study.save_settings()?;
            self.settings_changed = false;
        }
        let mut ids: Vec<String> = Vec::new();
        let new = std::mem::take(&mut self.new);
        self.study.add_documents(&new)?;
        ids.extend(new.into_iter().map(|d| d.meta.id));
        for document in std::mem::take(&mut self.replacing) {
            self.study.replace_document(&document)?;
            ids.push(document.meta.id);
        }
        // Codings after the documents they point into.
        if self.codings_changed {
            for (coder, codings) in self.codings.iter().flatten() {
                self.study.save_coder_codings(coder, codings)?;
            }
            self.codings_changed = false;
        }
        // Within a transaction, this batch goes to disk now, so memory stays bounded.
        self.study.checkpoint()?;
        self.pending_bytes = 0;
        Ok(ids)
    }

    /// The id of the document this file would become when the study already holds it, imported
    /// from the same bytes (same SHA-256): importing it again would change nothing, so a rerun
    /// of an interrupted import skips it. `None` with `replace`, which re-imports on purpose.
    pub fn unchanged(&self, file_name: &str, import: &Import) -> Option<String> {
        let id = self.taken(file_name)?;
        let meta = self.study.document_meta(&id)?;
        let same = meta.source.as_ref().is_some_and(|s| s.sha256 == import.sha256);
        (same && !self.options.replace).then_some(id)
    }

    /// The id this file would get, when a document of the study has it already.
    pub fn taken(&self, file_name: &str) -> Option<String> {
        let id = document_id(file_name, &self.options);
        self.study.document_meta(&id).is_some().then_some(id)
    }

    fn is_pending(&self, id: &str) -> bool {
        self.new.iter().chain(&self.replacing).any(|d| d.meta.id == id)
    }

    /// Prepare an imported file as a document. Nothing is written until [`Importer::flush`];
    /// a refused file changes nothing.
    pub fn add(&mut self, file_name: &str, import: Import) -> Result<ImportReport, StudyError> {
        let id = document_id(file_name, &self.options);
        if self.is_pending(&id) {
            return Err(StudyError::DuplicateDocument { id });
        }
        // Documents of this batch are not in the study yet: each new one follows them (their
        // sequence numbers rise, so the last is the highest).
        let after_pending = self.new.last().map_or(0, |d| d.meta.sequence + 1);
        let options = &self.options;
        let study = &mut *self.study;
        if !thema_core::document::is_valid_id(&id) {
            return Err(StudyError::Invalid(format!(
                "`{id}` is not a valid document id: use lowercase letters, digits, `-`, `_` and `.`"
            )));
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
                return Err(StudyError::Invalid(format!(
                    "`{kind}` is not a document kind: use a lowercase word like `interview` or `focus-group`"
                )));
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
                    study
                        .settings
                        .participant_attributes
                        .insert((*name).to_owned(), AttributeType::infer(values.iter().copied()));
                    settings_changed = true;
                }
            }
            for r in &transcript.respondents {
                let wanted = if transcript.respondent_labels_generated {
                    format!("{id}-{}", r.label.to_lowercase())
                } else {
                    r.label.clone()
                };
                let participant_id = match study.participants.get(&wanted) {
                    Some(p) => p.id.clone(),
                    None => {
                        let pid = if thema_core::participant::is_valid_participant_id(&wanted) {
                            wanted
                        } else {
                            study.participants.fresh_id(&r.label)
                        };
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

        // The links a replaced document had, by label: looked up once a label, not scanned.
        let mut previous_links: std::collections::HashMap<&str, &Speaker> = std::collections::HashMap::new();
        for s in existing.iter().flat_map(|m| &m.speakers) {
            previous_links.entry(s.label.as_str()).or_insert(s);
        }
        let mut speakers = Vec::new();
        for label in &labels {
            let previous = previous_links.get(label.as_str()).copied();
            let speaker = if options.interviewers.iter().any(|i| i.trim().eq_ignore_ascii_case(label)) {
                Speaker { label: label.clone(), participant: None, interviewer: true }
            } else if let Some(previous) = previous {
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
        // A replaced document keeps its kind, title, date and wave unless they are given again.
        let kind = options.kind.clone().or_else(|| existing.as_ref().map(|m| m.kind.clone())).unwrap_or_else(|| {
            if format == Format::Csv {
                "survey"
            } else if participants_speaking >= 3 {
                "focus-group"
            } else {
                "interview"
            }
            .to_owned()
        });
        let title = options.title.clone().or_else(|| existing.as_ref().map(|m| m.title.clone())).unwrap_or_else(|| {
            without_controls(std::path::Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or(file_name))
        });
        let meta = DocumentMeta {
            id: id.clone(),
            title,
            kind: kind.clone(),
            date: options.date.clone().or_else(|| existing.as_ref().and_then(|m| m.date.clone())),
            wave: options.wave.or_else(|| existing.as_ref().and_then(|m| m.wave)),
            sequence: existing.as_ref().map_or_else(|| study.next_sequence().max(after_pending), |m| m.sequence),
            source: Some(Source {
                file: without_controls(file_name),
                format: format.name().to_owned(),
                encoding: encoding.clone(),
                sha256,
            }),
            attributes: existing.as_ref().map(|m| m.attributes.clone()).unwrap_or_default(),
            speakers,
        };
        let document = Document { meta, text: transcript.text, turns: transcript.turns };
        let stats = document.stats();
        // Turns of each label counted in one pass: counting them label by label was quadratic
        // in a file with thousands of speakers.
        let mut turns_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for label in document.turns.iter().filter_map(|t| t.speaker.as_deref()) {
            *turns_of.entry(label).or_default() += 1;
        }
        let speaker_links: Vec<SpeakerReport> = document
            .meta
            .speakers
            .iter()
            .map(|s| SpeakerReport {
                label: s.label.clone(),
                turns: turns_of.get(s.label.as_str()).copied().unwrap_or(0),
                link: s.link_label(),
            })
            .collect();
        let mut warnings = transcript.warnings;
        warnings.extend(label_typo_warnings(&document, &speaker_links, format));

        self.participants_changed |= participants_changed;
        self.settings_changed |= settings_changed;
        self.pending_bytes += document.text.len();
        let codings = if existing.is_some() { Some(self.reanchor(&document)?) } else { None };
        if existing.is_some() {
            self.replacing.push(document);
        } else {
            self.new.push(document);
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
            warnings,
            participants_added,
            codings,
            cleaned: transcript.cleaned,
        })
    }
}

/// A warning for each speaker label that looks like a typo of a more frequent one
/// (`thema_core::suggest::label_typos`), at the line of its first turn where the stored text is
/// the file's own (plain text and Markdown), else naming the turn.
fn label_typo_warnings(document: &Document, links: &[SpeakerReport], format: Format) -> Vec<Warning> {
    let counts: Vec<(&str, usize)> = links.iter().map(|s| (s.label.as_str(), s.turns)).collect();
    thema_core::suggest::label_typos(&counts)
        .into_iter()
        .map(|typo| {
            let first = document.turns.iter().find(|t| t.speaker.as_deref() == Some(typo.label));
            let line = first
                .filter(|_| matches!(format, Format::Text | Format::Markdown))
                .map(|t| document.text.chars().take(t.span.start).filter(|&c| c == '\n').count() + 1);
            let turn = first.map(|t| format!(", `{}`", document.turn_id(t.number))).unwrap_or_default();
            let turns = if typo.turns == 1 { "1 turn".to_owned() } else { format!("{} turns", typo.turns) };
            Warning {
                line,
                message: format!(
                    "speaker label `{}` ({turns}{turn}) is probably a typo of `{}` ({} turns): correct the \
                     transcript and `thema import --replace` it, or link the label with `thema link`",
                    typo.label, typo.meant, typo.meant_turns
                ),
            }
        })
        .collect()
}
