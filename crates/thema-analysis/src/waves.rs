//! Waves of a longitudinal study: the same participants interviewed again (a baseline and a
//! follow-up). Who took part in which wave, how many were kept from one wave to the next, and
//! why the others left, as recorded in their participant attributes `left-after` (the last wave
//! they took part in) and `reason`.
//!
//! A participant takes part in a wave when they speak (as a participant, not the interviewer) in
//! a document of that wave (`document.toml`'s `wave`, set by `thema import --wave N`). Each
//! person counts once per wave however many documents of the wave they speak in.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use thema_core::{DocumentMeta, Participant, Study};

use crate::error::AnalysisError;

/// The participant attribute that records the last wave someone took part in before leaving.
pub const LEFT_AFTER: &str = "left-after";
/// The participant attribute that records why someone left.
pub const REASON: &str = "reason";

/// The waves of the study's documents, ascending, each once; an error when no document has one.
pub fn waves_of(study: &Study) -> Result<Vec<u32>, AnalysisError> {
    let waves: BTreeSet<u32> = study.documents().iter().filter_map(|m| m.wave).collect();
    if waves.is_empty() {
        return Err(AnalysisError::NoWaves);
    }
    Ok(waves.into_iter().collect())
}

/// Check that every wave named is a wave of the study; the waves to use (all when none named),
/// ascending.
pub fn chosen_waves(study: &Study, named: &[u32]) -> Result<Vec<u32>, AnalysisError> {
    let known = waves_of(study)?;
    if let Some(w) = named.iter().find(|w| !known.contains(w)) {
        return Err(AnalysisError::UnknownWave { wave: *w, known });
    }
    if named.is_empty() {
        return Ok(known);
    }
    Ok(known.into_iter().filter(|w| named.contains(w)).collect())
}

/// The documents of a wave, in import order.
pub fn documents_of_wave(study: &Study, wave: u32) -> Vec<&DocumentMeta> {
    let mut metas: Vec<&DocumentMeta> = study.documents().iter().filter(|m| m.wave == Some(wave)).collect();
    metas.sort_by_key(|m| m.sequence);
    metas
}

/// The participants (ids) who speak in a document, never the interviewer.
pub fn speakers_of(meta: &DocumentMeta) -> impl Iterator<Item = &str> {
    meta.speakers.iter().filter(|s| !s.interviewer).filter_map(|s| s.participant.as_deref())
}

/// One participant across the waves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Participation {
    /// Participant id.
    pub participant: String,
    /// Pseudonym.
    pub pseudonym: String,
    /// For each wave of [`WaveTable::waves`], the documents of that wave they speak in (empty:
    /// they did not take part).
    pub documents: Vec<Vec<String>>,
    /// `left-after`, as recorded.
    pub left_after: Option<String>,
    /// `reason`, as recorded.
    pub reason: Option<String>,
}

impl Participation {
    /// Whether they took part in the `i`th wave.
    pub fn took_part(&self, i: usize) -> bool {
        self.documents.get(i).is_some_and(|d| !d.is_empty())
    }
}

/// Who was kept from one wave to the next.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Retention {
    /// The earlier wave.
    pub from: u32,
    /// The next wave.
    pub to: u32,
    /// Participants in the earlier wave.
    pub in_from: usize,
    /// Participants in the next wave.
    pub in_to: usize,
    /// Participants in both.
    pub kept: usize,
    /// `kept / in_from` (none when the earlier wave has nobody).
    pub share: Option<f64>,
    /// Participants in the earlier wave and not the next, with the reason recorded (if any).
    pub left: Vec<(String, Option<String>)>,
    /// Participants in the next wave and not the earlier one.
    pub joined: Vec<String>,
}

/// Who took part in which wave.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WaveTable {
    /// The waves, ascending.
    pub waves: Vec<u32>,
    /// Participants in each wave (each counted once per wave).
    pub counts: Vec<usize>,
    /// Every participant who took part in some wave, in the order of the participants table.
    pub participants: Vec<Participation>,
    /// Between each wave and the next.
    pub retention: Vec<Retention>,
    /// Documents without a wave (left out).
    pub without_wave: Vec<String>,
    /// Where the recorded `left-after` disagrees with the documents ("`P07` has
    /// left-after=1 but speaks in wave 2").
    pub notes: Vec<String>,
}

/// Who took part in which wave, with retention between consecutive waves.
pub fn participation(study: &Study) -> Result<WaveTable, AnalysisError> {
    let waves = waves_of(study)?;
    let mut in_wave: BTreeMap<&str, Vec<Vec<String>>> = BTreeMap::new();
    let mut without_wave = Vec::new();
    let mut metas: Vec<&DocumentMeta> = study.documents().iter().collect();
    metas.sort_by_key(|m| m.sequence);
    for meta in metas {
        let Some(i) = meta.wave.and_then(|w| waves.iter().position(|x| *x == w)) else {
            without_wave.push(meta.id.clone());
            continue;
        };
        for id in speakers_of(meta) {
            let docs = &mut in_wave.entry(id).or_insert_with(|| vec![Vec::new(); waves.len()])[i];
            if !docs.contains(&meta.id) {
                docs.push(meta.id.clone());
            }
        }
    }
    let attribute = |p: &Participant, key: &str| {
        p.attributes.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.trim().to_owned())
    };
    let mut participants = Vec::new();
    let mut notes = Vec::new();
    for p in study.participants.rows() {
        let Some(documents) = in_wave.remove(p.id.as_str()) else { continue };
        let left_after = attribute(p, LEFT_AFTER).filter(|v| !v.is_empty());
        if let Some(after) = &left_after {
            match after.parse::<u32>() {
                Ok(after) => {
                    if let Some((w, _)) = waves.iter().zip(&documents).find(|(w, d)| **w > after && !d.is_empty()) {
                        notes.push(format!("`{}` has {LEFT_AFTER}={after} but speaks in wave {w}", p.id));
                    }
                }
                Err(_) => notes.push(format!("`{}` has {LEFT_AFTER}=`{after}`, which is not a wave number", p.id)),
            }
        }
        participants.push(Participation {
            participant: p.id.clone(),
            pseudonym: p.pseudonym.clone(),
            documents,
            left_after,
            reason: attribute(p, REASON).filter(|v| !v.is_empty()),
        });
    }
    let counts = (0..waves.len()).map(|i| participants.iter().filter(|p| p.took_part(i)).count()).collect();
    let retention = waves
        .windows(2)
        .enumerate()
        .map(|(i, pair)| {
            let in_from = participants.iter().filter(|p| p.took_part(i)).count();
            let in_to = participants.iter().filter(|p| p.took_part(i + 1)).count();
            let kept = participants.iter().filter(|p| p.took_part(i) && p.took_part(i + 1)).count();
            let left = participants
                .iter()
                .filter(|p| p.took_part(i) && !p.took_part(i + 1))
                .map(|p| (p.participant.clone(), p.reason.clone()))
                .collect();
            let joined = participants
                .iter()
                .filter(|p| !p.took_part(i) && p.took_part(i + 1))
                .map(|p| p.participant.clone())
                .collect();
            Retention {
                from: pair[0],
                to: pair[1],
                in_from,
                in_to,
                kept,
                share: (in_from > 0).then(|| kept as f64 / in_from as f64),
                left,
                joined,
            }
        })
        .collect();
    Ok(WaveTable { waves, counts, participants, retention, without_wave, notes })
}

/// The people of each wave for its participants table ([`crate::participants::table`]): those
/// who speak in the wave's documents, each once, without [`LEFT_AFTER`] and [`REASON`] (which
/// describe the study's course, not the people).
pub fn people_by_wave(study: &Study) -> Result<Vec<(u32, Vec<Participant>)>, AnalysisError> {
    let waves = waves_of(study)?;
    Ok(waves
        .into_iter()
        .map(|w| {
            let ids: BTreeSet<&str> = documents_of_wave(study, w).into_iter().flat_map(speakers_of).collect();
            let people = study
                .participants
                .rows()
                .iter()
                .filter(|p| ids.contains(p.id.as_str()))
                .map(|p| {
                    let mut p = p.clone();
                    p.attributes.retain(|k, _| !k.eq_ignore_ascii_case(LEFT_AFTER) && !k.eq_ignore_ascii_case(REASON));
                    p
                })
                .collect();
            (w, people)
        })
        .collect())
}
