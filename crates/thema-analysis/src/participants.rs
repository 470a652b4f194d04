//! The participants table ("Table 1" of a paper): for the people in the selected documents,
//! each counted once however many sessions they attended, counts and percentages for categorical
//! attributes and mean ± SD (sample SD, n − 1) for numeric ones, with median and range on
//! request, as Palis et al. (2024) print "Average age: 48.77 ± 8.27".

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use thema_core::{AttributeType, Participant, Study};

use crate::error::AnalysisError;

/// The participants who speak in the selected documents (all documents when none are named),
/// each once, in the order of the participants table; never the interviewer.
pub fn selected<'a>(
    study: &'a Study,
    documents: &[String],
    kinds: &[String],
) -> Result<Vec<&'a Participant>, AnalysisError> {
    for d in documents {
        study.known_document(d).map_err(AnalysisError::UnknownDocument)?;
    }
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for meta in study.documents() {
        if (!documents.is_empty() && !documents.contains(&meta.id))
            || (!kinds.is_empty() && !kinds.contains(&meta.kind))
        {
            continue;
        }
        ids.extend(meta.speakers.iter().filter(|s| !s.interviewer).filter_map(|s| s.participant.as_deref()));
    }
    let people: Vec<&Participant> = study.participants.rows().iter().filter(|p| ids.contains(p.id.as_str())).collect();
    if people.is_empty() {
        return Err(AnalysisError::NoParticipants);
    }
    Ok(people)
}

/// One line of the table.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Line {
    /// A heading: the attribute of the lines below it.
    Heading {
        /// Attribute name.
        attribute: String,
    },
    /// A category of a categorical attribute.
    Category {
        /// Attribute name.
        attribute: String,
        /// The value.
        value: String,
        /// Participants with it.
        count: usize,
        /// Of the participants counted.
        percent: f64,
    },
    /// A numeric attribute.
    Number {
        /// Attribute name.
        attribute: String,
        /// Participants with a value.
        n: usize,
        /// Mean.
        mean: f64,
        /// Sample standard deviation (n − 1); `None` with one value.
        sd: Option<f64>,
        /// Median.
        median: f64,
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
        /// Participants without a value.
        missing: usize,
    },
}

/// The table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table1 {
    /// Participants counted.
    pub participants: usize,
    /// Lines, attribute by attribute (role first).
    pub lines: Vec<Line>,
    /// Attributes left out (free text, dates) and why.
    pub left_out: Vec<String>,
}

/// Build the table for `people`, reading each attribute by `types` (inferred where absent:
/// numbers if every value is one, else categories). Values missing for someone are counted as
/// "(not recorded)" for categories and reported as missing for numbers.
pub fn table(people: &[&Participant], types: &BTreeMap<String, AttributeType>) -> Table1 {
    let total = people.len();
    let mut lines = Vec::new();
    let mut left_out = Vec::new();
    let mut names: Vec<String> = vec!["role".to_owned()];
    let mut attributes: Vec<String> = people.iter().flat_map(|p| p.attributes.keys().cloned()).collect();
    attributes.sort();
    attributes.dedup();
    names.extend(attributes);
    for name in names {
        let values: Vec<Option<&str>> = people
            .iter()
            .map(|p| if name == "role" { Some(p.role.as_str()) } else { p.attributes.get(&name).map(String::as_str) })
            .map(|v| v.map(str::trim).filter(|v| !v.is_empty()))
            .collect();
        let kind = types.get(&name).copied().unwrap_or_else(|| {
            let present: Vec<&str> = values.iter().flatten().copied().collect();
            if !present.is_empty() && present.iter().all(|v| v.parse::<f64>().is_ok()) {
                AttributeType::Number
            } else {
                AttributeType::Category
            }
        });
        match kind {
            AttributeType::Category | AttributeType::Boolean => {
                let mut counts: BTreeMap<String, usize> = BTreeMap::new();
                for v in &values {
                    *counts.entry(v.map_or_else(|| "(not recorded)".to_owned(), str::to_owned)).or_default() += 1;
                }
                lines.push(Line::Heading { attribute: name.clone() });
                let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
                // Most frequent first, "(not recorded)" last.
                counts.sort_by(|a, b| {
                    (a.0 == "(not recorded)").cmp(&(b.0 == "(not recorded)")).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0))
                });
                for (value, count) in counts {
                    let percent = 100.0 * count as f64 / total.max(1) as f64;
                    lines.push(Line::Category { attribute: name.clone(), value, count, percent });
                }
            }
            AttributeType::Number => {
                let mut xs: Vec<f64> = values.iter().flatten().filter_map(|v| v.parse().ok()).collect();
                let missing = total - xs.len();
                if xs.is_empty() {
                    left_out.push(format!("{name}: no values"));
                    continue;
                }
                xs.sort_by(f64::total_cmp);
                let n = xs.len() as f64;
                let mean = xs.iter().sum::<f64>() / n;
                let sd =
                    (xs.len() > 1).then(|| (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt());
                let median =
                    if xs.len() % 2 == 1 { xs[xs.len() / 2] } else { (xs[xs.len() / 2 - 1] + xs[xs.len() / 2]) / 2.0 };
                lines.push(Line::Number {
                    attribute: name.clone(),
                    n: xs.len(),
                    mean,
                    sd,
                    median,
                    min: xs[0],
                    max: xs[xs.len() - 1],
                    missing,
                });
            }
            AttributeType::Text | AttributeType::Date => {
                left_out.push(format!("{name}: {} values are not summarised", kind.describe()));
            }
        }
    }
    Table1 { participants: total, lines, left_out }
}

/// A line of the table as printed: label, value, depth, and whether it heads an attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printed {
    /// "Age (mean ± SD)", "Peer Mentor", "Role".
    pub label: String,
    /// "48.77 ± 8.27", "6 (75.0%)", or empty for a heading.
    pub value: String,
    /// 1 for a category under its attribute, else 0.
    pub level: usize,
    /// An attribute's heading.
    pub heading: bool,
}

impl Table1 {
    /// The lines as papers print them ("Participants" first), with median and range when asked.
    pub fn printed(&self, median: bool) -> Vec<Printed> {
        let line = |label: String, value: String, level: usize, heading: bool| Printed { label, value, level, heading };
        let mut rows = vec![line("Participants".to_owned(), self.participants.to_string(), 0, false)];
        for l in &self.lines {
            rows.push(match l {
                Line::Heading { attribute } => line(capitalise(attribute), String::new(), 0, true),
                Line::Category { value, count, percent, .. } => {
                    line(value.clone(), format!("{count} ({percent:.1}%)"), 1, false)
                }
                Line::Number { attribute, n, mean, sd, median: m, min, max, missing } => {
                    let mut text = match sd {
                        Some(sd) => format!("{mean:.2} ± {sd:.2}"),
                        None => format!("{mean:.2}"),
                    };
                    if median {
                        text.push_str(&format!("; median {m}, range {min}–{max}"));
                    }
                    if *missing > 0 {
                        text.push_str(&format!(" (n = {n}; {missing} not recorded)"));
                    }
                    line(format!("{} (mean ± SD)", capitalise(attribute)), text, 0, false)
                }
            });
        }
        rows
    }

    /// The table as text lines (`markdown`: a Markdown table), with median and range when asked.
    pub fn render(&self, markdown: bool, median: bool) -> String {
        let indent = if markdown { "&emsp;" } else { "  " };
        let rows: Vec<(String, String)> = self
            .printed(median)
            .into_iter()
            .map(|p| (format!("{}{}", indent.repeat(p.level), p.label), p.value))
            .collect();
        let mut out = String::new();
        if markdown {
            out.push_str("| Characteristic | n (%) or mean ± SD |\n|---|---|\n");
            for (a, b) in rows {
                out.push_str(&format!("| {a} | {b} |\n"));
            }
        } else {
            let width = rows.iter().map(|(a, _)| a.chars().count()).max().unwrap_or(0);
            for (a, b) in rows {
                out.push_str(format!("{a:width$}  {b}").trim_end());
                out.push('\n');
            }
        }
        out
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, role: &str, age: Option<&str>, gender: Option<&str>) -> Participant {
        let mut attributes = BTreeMap::new();
        if let Some(a) = age {
            attributes.insert("age".to_owned(), a.to_owned());
        }
        if let Some(g) = gender {
            attributes.insert("gender".to_owned(), g.to_owned());
        }
        Participant { id: id.into(), pseudonym: id.into(), role: role.into(), attributes }
    }

    #[test]
    fn counts_percentages_and_mean_sd() {
        let people = [
            person("a", "Peer Mentor", Some("40"), Some("female")),
            person("b", "Peer Mentor", Some("50"), Some("male")),
            person("c", "Staff", Some("60"), None),
        ];
        let refs: Vec<&Participant> = people.iter().collect();
        let t = table(&refs, &BTreeMap::new());
        assert_eq!(t.participants, 3);
        let age = t.lines.iter().find(|l| matches!(l, Line::Number { .. })).unwrap();
        // Mean 50, sample SD sqrt(((-10)² + 0 + 10²) / 2) = 10.
        assert_eq!(
            age,
            &Line::Number {
                attribute: "age".into(),
                n: 3,
                mean: 50.0,
                sd: Some(10.0),
                median: 50.0,
                min: 40.0,
                max: 60.0,
                missing: 0
            }
        );
        let text = t.render(false, false);
        let line = |start: &str| text.lines().find(|l| l.starts_with(start)).unwrap().to_owned();
        assert!(line("  Peer Mentor").ends_with(" 2 (66.7%)"), "{text}");
        assert!(text.contains("Age (mean ± SD)") && text.contains("50.00 ± 10.00"), "{text}");
        assert!(line("  (not recorded)").ends_with(" 1 (33.3%)"), "{text}");
    }
}
