//! Trajectories: for each participant of a longitudinal study, which codes (or the themes,
//! sub-themes or categories they roll up to) appear in their words in each wave, and for each
//! code how many participants gained, kept or lost it from one wave to the next.
//!
//! Rules, in words:
//! - A participant *has* an entry in a wave when a coded segment in a document of that wave,
//!   with a code that is the entry or rolls up to it, credits them: they speak inside the coded
//!   passage ([`thema_core::segment`]). The interviewer is never credited, so a question inside a
//!   coding gives nobody the code; a passage where two participants speak credits both.
//! - Whose codings count is the coder set the caller resolved (`--coders`, else
//!   `analysis_coders`, else the newest consensus set, else every primary coder): a consensus
//!   set is one set of codings, not a third coder, and pooled coders count a code once.
//! - Gained, kept and lost are counted among the participants interviewed in *both* waves of a
//!   pair: someone who left after wave 1 did not lose a code, they were not asked again. Those
//!   participants are counted under `interviewed_both`; the rest are neither.
//! - Documents without a wave are left out and listed.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use thema_core::coders::CoderSet;
use thema_core::segment::Segment;
use thema_core::{Codebook, EntryKind, Study};

use crate::error::AnalysisError;
use crate::matrix::rolled;
use crate::waves::{chosen_waves, speakers_of};

/// What a trajectory analysis looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrajectoryOptions {
    /// Rows: codes as they are, or rolled up to their theme, sub-theme or category (a code
    /// under none of that kind is left out, as in `matrix --rows`).
    pub rows: EntryKind,
    /// Only these participants (ids or pseudonyms, any case); none: everyone.
    pub participants: Vec<String>,
    /// Only these waves; none: every wave of the study.
    pub waves: Vec<u32>,
}

impl Default for TrajectoryOptions {
    /// Codes, everyone, every wave.
    fn default() -> Self {
        TrajectoryOptions { rows: EntryKind::Code, participants: Vec::new(), waves: Vec::new() }
    }
}

/// A codebook entry that is a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// One participant's trajectory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trajectory {
    /// Participant id.
    pub participant: String,
    /// Pseudonym.
    pub pseudonym: String,
    /// For each wave, whether they were interviewed (speak in a document of the wave).
    pub interviewed: Vec<bool>,
    /// For each wave, the rows they have (ids, in codebook order).
    pub entries: Vec<Vec<String>>,
}

impl Trajectory {
    /// Their rows in each wave (`None` where they were not interviewed); with `entry`, only that
    /// one row, where they have it.
    pub fn rows_by_wave(&self, entry: Option<&str>) -> Vec<Option<Vec<String>>> {
        self.interviewed
            .iter()
            .zip(&self.entries)
            .map(|(interviewed, entries)| {
                interviewed.then(|| entries.iter().filter(|x| entry.is_none_or(|e| *x == e)).cloned().collect())
            })
            .collect()
    }
}

/// How one row changed between two consecutive waves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The row's id.
    pub entry: String,
    /// The row's name.
    pub name: String,
    /// The earlier wave.
    pub from: u32,
    /// The next wave.
    pub to: u32,
    /// Participants interviewed in both waves.
    pub interviewed_both: usize,
    /// Of those, without it in `from` and with it in `to`.
    pub gained: usize,
    /// With it in both.
    pub kept: usize,
    /// With it in `from` and without it in `to`.
    pub lost: usize,
}

/// The trajectories of a study.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trajectories {
    /// The kind of the rows (`code`, `theme`...).
    pub rows_kind: String,
    /// The waves, ascending.
    pub waves: Vec<u32>,
    /// The rows any participant has in any wave, in codebook order.
    pub rows: Vec<Row>,
    /// Each participant who took part in a wave chosen, in the order of the participants table.
    pub participants: Vec<Trajectory>,
    /// Each row, for each pair of consecutive waves.
    pub changes: Vec<Change>,
    /// Documents without a wave (left out).
    pub without_wave: Vec<String>,
}

impl Trajectories {
    /// The name of a row id.
    pub fn name(&self, id: &str) -> String {
        self.rows.iter().find(|r| r.id == id).map_or_else(|| id.to_owned(), |r| r.name.clone())
    }
}

/// The participants `named` (ids or pseudonyms, any case), checked; none named: `None`.
fn chosen_participants(study: &Study, named: &[String]) -> Result<Option<BTreeSet<String>>, AnalysisError> {
    if named.is_empty() {
        return Ok(None);
    }
    let mut ids = BTreeSet::new();
    for name in named {
        let found = study
            .participants
            .rows()
            .iter()
            .find(|p| p.id.eq_ignore_ascii_case(name) || p.pseudonym.eq_ignore_ascii_case(name));
        match found {
            Some(p) => ids.insert(p.id.clone()),
            None => return Err(AnalysisError::UnknownParticipant(name.clone())),
        };
    }
    Ok(Some(ids))
}

/// The coded segments of `set`, attributed to who speaks in them (quotes read when `quotes`).
fn segments(study: &Study, set: &CoderSet, quotes: bool) -> Result<Vec<Segment>, AnalysisError> {
    let codings = if quotes { study.load_set_codings(set)? } else { study.load_set_placements(set)? };
    Ok(thema_core::segment::attribute(study, codings)?)
}

/// The trajectories of the codings of `set` as `options` ask.
pub fn trajectories(study: &Study, set: &CoderSet, options: &TrajectoryOptions) -> Result<Trajectories, AnalysisError> {
    let codebook = study.load_codebook()?;
    let segments = segments(study, set, false)?;
    of_segments(study, &codebook, &segments, options)
}

/// [`trajectories`] of segments already attributed.
pub fn of_segments(
    study: &Study,
    codebook: &Codebook,
    segments: &[Segment],
    options: &TrajectoryOptions,
) -> Result<Trajectories, AnalysisError> {
    let waves = chosen_waves(study, &options.waves)?;
    let only = chosen_participants(study, &options.participants)?;
    let wanted = |id: &str| only.as_ref().is_none_or(|o| o.contains(id));
    let position =
        |id: &str| study.document_meta(id).and_then(|m| m.wave).and_then(|w| waves.iter().position(|x| *x == w));
    // Who was interviewed in each wave.
    let mut interviewed: BTreeMap<&str, Vec<bool>> = BTreeMap::new();
    let mut without_wave = Vec::new();
    for meta in study.documents() {
        let Some(i) = position(&meta.id) else {
            if meta.wave.is_none() {
                without_wave.push(meta.id.clone());
            }
            continue;
        };
        for id in speakers_of(meta).filter(|id| wanted(id)) {
            interviewed.entry(id).or_insert_with(|| vec![false; waves.len()])[i] = true;
        }
    }
    without_wave.sort();
    // Participant, then wave: the rows they have.
    let mut has: BTreeMap<&str, Vec<BTreeSet<String>>> = BTreeMap::new();
    let mut rows_of: BTreeMap<&str, Option<String>> = BTreeMap::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for s in segments.iter().filter(|s| !s.coding.unplaced) {
        let Some(i) = position(&s.coding.document) else { continue };
        let code = s.coding.code.as_str();
        let Some(row) = rows_of.entry(code).or_insert_with(|| rolled(codebook, code, options.rows)).clone() else {
            continue;
        };
        // A participant credited in a document speaks in it, so they were interviewed in its wave.
        for (id, _) in s.participants.iter().filter_map(|id| interviewed.get_key_value(id.as_str())) {
            has.entry(id).or_insert_with(|| vec![BTreeSet::new(); waves.len()])[i].insert(row.clone());
            used.insert(row.clone());
        }
    }
    // Rows in codebook (tree) order, then codes not in the codebook.
    let order: Vec<String> = codebook.tree().into_iter().map(|(_, e)| e.id.clone()).collect();
    let mut rows: Vec<String> = order.iter().filter(|id| used.contains(*id)).cloned().collect();
    rows.extend(used.iter().filter(|r| !order.contains(r)).cloned().collect::<Vec<_>>());
    let rank: BTreeMap<&str, usize> = rows.iter().enumerate().map(|(i, r)| (r.as_str(), i)).collect();
    let participants: Vec<Trajectory> = study
        .participants
        .rows()
        .iter()
        .filter_map(|p| {
            let interviewed = interviewed.get(p.id.as_str())?.clone();
            let entries = has
                .get(p.id.as_str())
                .map(|by_wave| {
                    by_wave
                        .iter()
                        .map(|set| {
                            let mut ids: Vec<String> = set.iter().cloned().collect();
                            ids.sort_by_key(|id| rank.get(id.as_str()).copied().unwrap_or(usize::MAX));
                            ids
                        })
                        .collect()
                })
                .unwrap_or_else(|| vec![Vec::new(); waves.len()]);
            Some(Trajectory { participant: p.id.clone(), pseudonym: p.pseudonym.clone(), interviewed, entries })
        })
        .collect();
    let name = |id: &str| codebook.get(id).map_or_else(|| id.to_owned(), |e| e.name.clone());
    let mut changes = Vec::new();
    for row in &rows {
        for (i, pair) in waves.windows(2).enumerate() {
            let mut change = Change {
                entry: row.clone(),
                name: name(row),
                from: pair[0],
                to: pair[1],
                interviewed_both: 0,
                gained: 0,
                kept: 0,
                lost: 0,
            };
            for t in participants.iter().filter(|t| t.interviewed[i] && t.interviewed[i + 1]) {
                change.interviewed_both += 1;
                match (t.entries[i].contains(row), t.entries[i + 1].contains(row)) {
                    (false, true) => change.gained += 1,
                    (true, true) => change.kept += 1,
                    (true, false) => change.lost += 1,
                    (false, false) => {}
                }
            }
            changes.push(change);
        }
    }
    Ok(Trajectories {
        rows_kind: options.rows.name().to_owned(),
        waves,
        rows: rows.iter().map(|id| Row { id: id.clone(), name: name(id) }).collect(),
        participants,
        changes,
        without_wave,
    })
}

/// The framework matrix of one wave: participants (pseudonyms) by rows, each cell their words
/// in the segments of that wave under the row ([`crate::matrix::framework`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WaveFramework {
    /// The wave.
    pub wave: u32,
    /// Row labels: participants' pseudonyms.
    pub participants: Vec<String>,
    /// Column labels: entry names.
    pub entries: Vec<String>,
    /// `cells[participant][entry]`: the quotes.
    pub cells: Vec<Vec<Vec<String>>>,
}

/// The framework matrix of each wave chosen, for the participants chosen: for writing what
/// changed for each person between waves.
pub fn frameworks(
    study: &Study,
    set: &CoderSet,
    options: &TrajectoryOptions,
) -> Result<Vec<WaveFramework>, AnalysisError> {
    let codebook = study.load_codebook()?;
    let waves = chosen_waves(study, &options.waves)?;
    let only = chosen_participants(study, &options.participants)?;
    let all = segments(study, set, true)?;
    let mut out = Vec::new();
    for wave in waves {
        let in_wave: Vec<Segment> = all
            .iter()
            .filter(|s| study.document_meta(&s.coding.document).is_some_and(|m| m.wave == Some(wave)))
            .cloned()
            .collect();
        let (people, entries, cells) = crate::matrix::framework(study, &codebook, &in_wave, options.rows, &[]);
        let keep: Vec<bool> = people
            .iter()
            .map(|pseudonym| {
                only.as_ref().is_none_or(|o| {
                    study.participants.rows().iter().any(|p| &p.pseudonym == pseudonym && o.contains(&p.id))
                })
            })
            .collect();
        let (people, cells): (Vec<String>, Vec<Vec<Vec<String>>>) =
            people.into_iter().zip(cells).zip(&keep).filter(|(_, k)| **k).map(|(pc, _)| pc).unzip();
        out.push(WaveFramework { wave, participants: people, entries, cells });
    }
    Ok(out)
}
