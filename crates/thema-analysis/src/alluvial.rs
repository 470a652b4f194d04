//! The flows of participants between waves, for an alluvial chart of `thema trajectories`.
//!
//! In each wave the participants fall into groups: those with the same set of rows (codes or
//! themes) in that wave, or, for one entry, those who have it and those who do not; the people
//! not interviewed in a wave form a group of their own. A band between two consecutive waves
//! carries the participants who were in one group in the earlier wave and in another (or the
//! same) in the next. Every participant of the trajectories is in exactly one group of each
//! wave, so each wave's groups add up to the same number of people, and so do the bands between
//! two waves.
//!
//! Groups are ordered in each wave by size (largest first), then by their rows in codebook
//! order; for one entry, those who have it come first, then those who do not. The group of
//! those not interviewed is last. That order is the chart's, from top to bottom.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::choice::choices;
use crate::trajectories::Trajectories;

choices! {
    /// The chart `thema trajectories --chart` draws.
    pub enum TrajectoryChart {
        /// Participants by wave, each cell the number of rows they have (or, for one entry,
        /// whether they have it).
        Presence = "presence",
        /// Bands of participants flowing between each wave's sets of rows.
        Alluvial = "alluvial",
    }
}

/// One group of participants in one wave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The rows the group's participants have in that wave (ids, codebook order; empty: none),
    /// or `None` for those not interviewed in that wave.
    pub rows: Option<Vec<String>>,
    /// The participants in it (ids).
    pub participants: Vec<String>,
}

/// Participants flowing from a group of one wave to a group of the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Band {
    /// The group in the earlier wave (index into its wave's groups).
    pub from: usize,
    /// The group in the next wave.
    pub to: usize,
    /// How many participants.
    pub participants: usize,
}

/// The groups of each wave and the bands between consecutive waves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flows {
    /// The waves, ascending (those of the trajectories).
    pub waves: Vec<u32>,
    /// Each wave's groups, in chart order.
    pub groups: Vec<Vec<Group>>,
    /// Between wave `i` and `i + 1`: the bands, by earlier group, then next group.
    pub bands: Vec<Vec<Band>>,
}

/// The flows of `t`: participants grouped by their set of rows in each wave, or with `entry`
/// (a row id) by whether they have that one row.
pub fn flows(t: &Trajectories, entry: Option<&str>) -> Flows {
    let position = |id: &str| t.rows.iter().position(|r| r.id == id).unwrap_or(usize::MAX);
    // Each participant's key in each wave: the rows that count, or None (not interviewed).
    let keys: Vec<Vec<Option<Vec<String>>>> = t.participants.iter().map(|p| p.rows_by_wave(entry)).collect();
    let mut groups = Vec::new();
    // For each wave, the group index of each participant.
    let mut placed: Vec<Vec<usize>> = Vec::new();
    for w in 0..t.waves.len() {
        let mut members: BTreeMap<&Option<Vec<String>>, Vec<String>> = BTreeMap::new();
        for (p, key) in t.participants.iter().zip(&keys) {
            members.entry(&key[w]).or_default().push(p.participant.clone());
        }
        let mut wave: Vec<Group> =
            members.into_iter().map(|(rows, participants)| Group { rows: rows.clone(), participants }).collect();
        wave.sort_by_key(|g| {
            let order: Vec<usize> = g.rows.iter().flatten().map(|r| position(r)).collect();
            let present = entry.map(|_| std::cmp::Reverse(order.len()));
            (g.rows.is_none(), present, std::cmp::Reverse(g.participants.len()), std::cmp::Reverse(order.len()), order)
        });
        placed.push(
            keys.iter()
                .map(|key| wave.iter().position(|g| g.rows == key[w]).expect("every participant has a group"))
                .collect(),
        );
        groups.push(wave);
    }
    let bands = (1..t.waves.len())
        .map(|w| {
            let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
            for (&from, &to) in placed[w - 1].iter().zip(&placed[w]) {
                *counts.entry((from, to)).or_default() += 1;
            }
            counts.into_iter().map(|((from, to), participants)| Band { from, to, participants }).collect()
        })
        .collect();
    Flows { waves: t.waves.clone(), groups, bands }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trajectories::{Row, Trajectory};

    fn person(id: &str, interviewed: [bool; 2], entries: [&[&str]; 2]) -> Trajectory {
        Trajectory {
            participant: id.to_owned(),
            pseudonym: id.to_uppercase(),
            interviewed: interviewed.to_vec(),
            entries: entries.iter().map(|e| e.iter().map(|s| (*s).to_owned()).collect()).collect(),
        }
    }

    /// The trajectories of `crates/thema-cli/tests/waves.rs`'s study, counted by hand there:
    /// wave 1 Ann {hope, kitchen}, Bo {hope}, Cy {hope, kitchen}; wave 2 Ann {faith, kitchen},
    /// Bo {hope, faith}, Cy not interviewed.
    fn study() -> Trajectories {
        let row = |id: &str| Row { id: id.to_owned(), name: id.to_owned() };
        Trajectories {
            rows_kind: "code".to_owned(),
            waves: vec![1, 2],
            rows: vec![row("hope"), row("faith"), row("kitchen")],
            participants: vec![
                person("ann", [true, true], [&["hope", "kitchen"], &["faith", "kitchen"]]),
                person("bo", [true, true], [&["hope"], &["hope", "faith"]]),
                person("cy", [true, false], [&["hope", "kitchen"], &[]]),
            ],
            changes: Vec::new(),
            without_wave: Vec::new(),
        }
    }

    fn group(rows: Option<&[&str]>, participants: &[&str]) -> Group {
        Group {
            rows: rows.map(|r| r.iter().map(|s| (*s).to_owned()).collect()),
            participants: participants.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn band(from: usize, to: usize, participants: usize) -> Band {
        Band { from, to, participants }
    }

    #[test]
    fn sets_of_codes_flow_between_waves() {
        let f = flows(&study(), None);
        // Wave 1: {hope, kitchen} Ann and Cy (2), {hope} Bo. Wave 2: {hope, faith} Bo (two
        // rows, faith after hope in the codebook), {faith, kitchen} Ann, then Cy not interviewed.
        assert_eq!(
            f.groups,
            [
                vec![group(Some(&["hope", "kitchen"]), &["ann", "cy"]), group(Some(&["hope"]), &["bo"])],
                vec![
                    group(Some(&["hope", "faith"]), &["bo"]),
                    group(Some(&["faith", "kitchen"]), &["ann"]),
                    group(None, &["cy"]),
                ],
            ]
        );
        // Ann {hope, kitchen} -> {faith, kitchen}; Cy {hope, kitchen} -> not interviewed;
        // Bo {hope} -> {hope, faith}.
        assert_eq!(f.bands, [vec![band(0, 1, 1), band(0, 2, 1), band(1, 0, 1)]]);
    }

    #[test]
    fn one_entry_present_absent_or_not_interviewed() {
        let f = flows(&study(), Some("kitchen"));
        // kitchen: wave 1 Ann and Cy have it, Bo not; wave 2 Ann has it, Bo not, Cy absent.
        assert_eq!(
            f.groups,
            [
                vec![group(Some(&["kitchen"]), &["ann", "cy"]), group(Some(&[]), &["bo"])],
                vec![group(Some(&["kitchen"]), &["ann"]), group(Some(&[]), &["bo"]), group(None, &["cy"])],
            ]
        );
        assert_eq!(f.bands, [vec![band(0, 0, 1), band(0, 2, 1), band(1, 1, 1)]]);
        // Every wave's groups hold everyone once.
        for wave in &f.groups {
            assert_eq!(wave.iter().map(|g| g.participants.len()).sum::<usize>(), 3);
        }
    }
}
