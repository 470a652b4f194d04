//! Coder sets: whose codings an analysis counts.
//!
//! A coder is **primary** (a person, whose codings are their own judgement) or **derived** (a
//! set made from other coders' codings by `thema merge-coders`, recorded in `thema.toml` as
//! `[coders.NAME]` with its `sources`). Counting a consensus set beside the coders it was made
//! from would count each agreed passage three times, so every command that counts, lists,
//! exports or reports codings works on one [`CoderSet`]:
//!
//! 1. the coders named with `--coders A,B`; else
//! 2. `analysis_coders` in `thema.toml`; else
//! 3. the newest derived set (by `created`, then name), if there is one; else
//! 4. every primary coder, pooled.
//!
//! **Pooling.** When a set holds several coders, codings of the same code in the same document
//! whose spans overlap (share at least one code point) are one passage, counted once, however
//! many coders (or how many codings of one coder) it holds; overlap is transitive, so a chain
//! of overlapping codings is one passage. The passage is represented by its longest coding
//! (the first by coder name on a tie), credited to every coder in it (`coder` reads `hp+mk`),
//! and is an exemplar if any of its codings is.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use crate::coding::Coding;
use crate::error::StudyError;
use crate::settings::Settings;

/// How a [`CoderSet`] was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chosen {
    /// Named on the command line (`--coders`).
    Named,
    /// `analysis_coders` in `thema.toml`.
    Settings,
    /// The newest derived set of the study.
    NewestDerived,
    /// Every primary coder, pooled.
    AllPrimary,
}

/// The coders whose codings an analysis counts, and why those.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoderSet {
    /// Coder ids, sorted.
    pub coders: Vec<String>,
    /// How they were chosen.
    pub chosen: Chosen,
    /// The sources of each derived coder in the set.
    pub sources: BTreeMap<String, Vec<String>>,
}

/// The primary coders among `existing` (coders with a codings file): those not recorded as
/// derived.
pub fn primary(settings: &Settings, existing: &[String]) -> Vec<String> {
    existing.iter().filter(|c| !settings.coders.contains_key(*c)).cloned().collect()
}

impl CoderSet {
    /// The set for an analysis: `named` if given, else as the module documentation says.
    /// A named coder without codings is an error naming the coders there are.
    pub fn resolve(settings: &Settings, existing: &[String], named: &[String]) -> Result<CoderSet, StudyError> {
        let check = |list: &[String], place: &str| -> Result<Vec<String>, StudyError> {
            let mut out = Vec::new();
            for c in list.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
                if !existing.iter().any(|e| e == c) {
                    return Err(StudyError::Invalid(format!(
                        "{place}: coder `{c}` has no codings; the coders are {}",
                        if existing.is_empty() { "none yet".to_owned() } else { existing.join(", ") }
                    )));
                }
                out.push(c.to_owned());
            }
            out.sort();
            out.dedup();
            Ok(out)
        };
        let (coders, chosen) = if !named.is_empty() {
            (check(named, "`--coders`")?, Chosen::Named)
        } else if !settings.analysis_coders.is_empty() {
            (check(&settings.analysis_coders, "`analysis_coders` in `thema.toml`")?, Chosen::Settings)
        } else if let Some(newest) = settings
            .coders
            .iter()
            .filter(|(name, _)| existing.contains(name))
            .max_by(|a, b| a.1.created.cmp(&b.1.created).then(a.0.cmp(b.0)))
        {
            (vec![newest.0.clone()], Chosen::NewestDerived)
        } else {
            (primary(settings, existing), Chosen::AllPrimary)
        };
        let sources =
            coders.iter().filter_map(|c| settings.coders.get(c).map(|d| (c.clone(), d.sources.clone()))).collect();
        Ok(CoderSet { coders, chosen, sources })
    }

    /// True when the set holds several coders, whose codings are pooled.
    pub fn is_pooled(&self) -> bool {
        self.coders.len() > 1
    }

    /// Whose codings, in words: "team (consensus of hp and mk)", "hp and mk, pooled".
    pub fn describe(&self) -> String {
        if self.coders.is_empty() {
            return "no coder yet".to_owned();
        }
        let names: Vec<String> = self
            .coders
            .iter()
            .map(|c| match self.sources.get(c) {
                Some(sources) => format!("{c} (consensus of {})", and_list(sources)),
                None => c.clone(),
            })
            .collect();
        let mut text = and_list(&names);
        if self.is_pooled() {
            text.push_str(", pooled");
        }
        text
    }

    /// Why this set, in words, for a note under a table.
    pub fn reason(&self) -> &'static str {
        match self.chosen {
            Chosen::Named => "named with `--coders`",
            Chosen::Settings => "`analysis_coders` in `thema.toml`",
            Chosen::NewestDerived => "the newest consensus set",
            Chosen::AllPrimary => "every primary coder",
        }
    }
}

/// "a", "a and b", "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Pool codings of several coders: each passage (overlapping codings of one code in one
/// document, see the module documentation) becomes one coding. Unplaced codings are kept as they
/// are. The result is in document, span and code order.
pub fn pool(codings: Vec<Coding>) -> Vec<Coding> {
    // Sorted by document, code, start, longest first, coder: the names compared as their ranks.
    let codings =
        sort_ranked(codings, |c, rank| (rank(&c.document), rank(&c.code), c.start, Reverse(c.end), rank(&c.coder)));
    let mut out: Vec<Coding> = Vec::with_capacity(codings.len());
    // The passage being gathered: its representative, its end, its coders.
    let mut current: Option<(Coding, usize, Vec<String>)> = None;
    let finish = |passage: (Coding, usize, Vec<String>), out: &mut Vec<Coding>| {
        let (mut coding, _, mut coders) = passage;
        coders.sort();
        coders.dedup();
        coding.coder = coders.join("+");
        out.push(coding);
    };
    for c in codings {
        if c.unplaced {
            out.push(c);
            continue;
        }
        match current.as_mut() {
            Some((rep, end, coders)) if rep.document == c.document && rep.code == c.code && c.start < *end => {
                *end = (*end).max(c.end);
                if !coders.contains(&c.coder) {
                    coders.push(c.coder.clone());
                }
                let exemplar = rep.exemplar || c.exemplar;
                if c.end - c.start > rep.end - rep.start {
                    *rep = c;
                }
                rep.exemplar = exemplar;
            }
            _ => {
                if let Some(done) = current.take() {
                    finish(done, &mut out);
                }
                let (end, coders) = (c.end, vec![c.coder.clone()]);
                current = Some((c, end, coders));
            }
        }
    }
    if let Some(done) = current.take() {
        finish(done, &mut out);
    }
    // The order codings are saved in ([`Coding::sort_key`]).
    sort_ranked(out, |c, rank| (rank(&c.document), c.start, c.end, rank(&c.code)))
}

/// `codings` sorted stably by `key`, where `key` may compare names by their rank (`rank(name)`:
/// the position of the name among every document, code and coder name of `codings`, in string
/// order, so that ranks compare as the names do). Each key is computed once and each coding
/// moved once: on 200,000 codings, sorting by the names themselves spent most of its time
/// comparing strings and moving the codings (a `Coding` is over 200 bytes).
fn sort_ranked<K: Ord>(codings: Vec<Coding>, key: impl Fn(&Coding, &dyn Fn(&str) -> u32) -> K) -> Vec<Coding> {
    let keys: Vec<K> = {
        let mut ranks: HashMap<&str, u32> = HashMap::new();
        for c in &codings {
            for name in [c.document.as_str(), c.code.as_str(), c.coder.as_str()] {
                ranks.entry(name).or_insert(0);
            }
        }
        // Only the distinct names are sorted (a few thousand for 200,000 codings).
        let mut names: Vec<&str> = ranks.keys().copied().collect();
        names.sort_unstable();
        for (i, name) in names.into_iter().enumerate() {
            ranks.insert(name, i as u32);
        }
        let rank = |name: &str| ranks[name];
        codings.iter().map(|c| key(c, &rank)).collect()
    };
    let mut order: Vec<usize> = (0..codings.len()).collect();
    // Stable: codings with equal keys keep their order.
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let mut slots: Vec<Option<Coding>> = codings.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::DerivedCoder;

    fn coding(coder: &str, code: &str, start: usize, end: usize) -> Coding {
        Coding {
            document: "fg1".into(),
            start,
            end,
            quote: String::new(),
            before: String::new(),
            after: String::new(),
            code: code.into(),
            coder: coder.into(),
            time: String::new(),
            memo: String::new(),
            unplaced: false,
            exemplar: false,
        }
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_default_is_the_newest_derived_set_else_the_primary_coders() {
        let mut settings = Settings::new("s");
        let existing = names(&["hp", "mk", "team", "team2"]);
        // Nothing recorded: all four are people.
        let set = CoderSet::resolve(&settings, &existing, &[]).unwrap();
        assert_eq!((set.coders.len(), set.chosen), (4, Chosen::AllPrimary));
        for (name, created) in [("team", "2024-01-02T00:00:00Z"), ("team2", "2024-01-01T00:00:00Z")] {
            let record =
                DerivedCoder { sources: names(&["hp", "mk"]), method: "consensus".into(), created: created.into() };
            settings.coders.insert(name.into(), record);
        }
        let set = CoderSet::resolve(&settings, &existing, &[]).unwrap();
        assert_eq!((set.coders, set.chosen), (names(&["team"]), Chosen::NewestDerived));
        assert_eq!(primary(&settings, &existing), names(&["hp", "mk"]));
        settings.analysis_coders = names(&["mk", "hp"]);
        let set = CoderSet::resolve(&settings, &existing, &[]).unwrap();
        assert_eq!((set.coders.clone(), set.chosen), (names(&["hp", "mk"]), Chosen::Settings));
        assert_eq!(set.describe(), "hp and mk, pooled");
        let set = CoderSet::resolve(&settings, &existing, &names(&["team2"])).unwrap();
        assert_eq!(set.describe(), "team2 (consensus of hp and mk)");
        let err = CoderSet::resolve(&settings, &existing, &names(&["xx"])).unwrap_err().to_string();
        assert!(err.contains("coder `xx` has no codings; the coders are hp, mk, team, team2"), "{err}");
    }

    #[test]
    fn pooling_counts_a_passage_coded_by_several_coders_once() {
        let pooled = pool(vec![
            // hp and mk code the same passage with a, with different spans: one passage.
            coding("hp", "a", 10, 20),
            coding("mk", "a", 15, 30),
            // mk's b in the same place is another code: its own passage.
            coding("mk", "b", 10, 20),
            // Touching is not overlapping: two passages.
            coding("hp", "a", 30, 40),
            // A chain: 50-60 overlaps 55-70 which overlaps 65-80.
            coding("hp", "a", 50, 60),
            coding("mk", "a", 55, 70),
            coding("hp", "a", 65, 80),
        ]);
        let seen: Vec<(&str, &str, usize, usize)> =
            pooled.iter().map(|c| (c.code.as_str(), c.coder.as_str(), c.start, c.end)).collect();
        assert_eq!(seen, [("b", "mk", 10, 20), ("a", "hp+mk", 15, 30), ("a", "hp", 30, 40), ("a", "hp+mk", 55, 70)]);
    }
}
