//! Thematic saturation by the method of Guest, Namey & Chen (2020), "A simple method to assess
//! and report thematic saturation in qualitative research", *PLoS ONE* 15(5): e0232076.
//!
//! Documents are taken in order (of date, of import, or as given). The **base** is the set of
//! codes found in the first `base` documents. After it, each **run** of `run` consecutive
//! documents (runs overlap: documents base+1…base+run, then base+2…base+run+1, …) brings some
//! codes not seen in any earlier document; its **new information** is their number divided by
//! the number of codes in the base. Saturation is reached when a run's new information is at or
//! below the **threshold** (the authors use ≤ 5% and, more strictly, 0%); it is reported at the
//! last document *before* that run, the run being the evidence that little or nothing new came
//! after — "saturation was reached at 8 documents (base 4, run 2, ≤ 5% new information)".

use std::collections::BTreeSet;

use serde::Serialize;

use crate::Undefined;

/// The method's three parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Parameters {
    /// Documents in the base.
    pub base: usize,
    /// Documents in a run.
    pub run: usize,
    /// New information at or below which a run shows saturation (0.05 for ≤ 5%).
    pub threshold: f64,
}

impl Default for Parameters {
    /// Guest et al.'s most used setting: base 4, run 2, ≤ 5%.
    fn default() -> Self {
        Parameters { base: 4, run: 2, threshold: 0.05 }
    }
}

/// One document in order, with what it brought.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// Document id.
    pub document: String,
    /// Codes first seen in it.
    pub new_codes: Vec<String>,
    /// Distinct codes seen so far, this document included.
    pub cumulative: usize,
}

/// A run after the base.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Run {
    /// 1-based position of its first document.
    pub from: usize,
    /// 1-based position of its last document.
    pub to: usize,
    /// Codes first seen in the run.
    pub new: usize,
    /// `new / base codes`.
    pub new_information: f64,
}

/// The assessment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Saturation {
    /// The parameters used.
    pub parameters: Parameters,
    /// Documents in order.
    pub steps: Vec<Step>,
    /// Codes in the base.
    pub base_codes: usize,
    /// Every run that fits in the documents.
    pub runs: Vec<Run>,
    /// Where saturation was reached: the number of documents before the first run at or below
    /// the threshold, and that run; `None` if no run is.
    pub reached: Option<(usize, Run)>,
    /// Documents after the point where saturation was reached that still brought new codes:
    /// the caveat a reader needs beside "reached at N documents". Empty when not reached.
    pub later: Vec<Later>,
}

/// A document after the saturation point that still brought new codes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Later {
    /// 1-based position in the order.
    pub position: usize,
    /// Document id.
    pub document: String,
    /// Codes first seen in it.
    pub new: usize,
    /// `new / base codes`, as a run's new information is.
    pub new_information: f64,
}

/// Assess saturation over `documents` (id and codes applied in it), in the order given.
pub fn assess(documents: &[(String, BTreeSet<String>)], parameters: Parameters) -> Result<Saturation, Undefined> {
    if parameters.base == 0 || parameters.run == 0 {
        return Err(Undefined::new("the base and the run need at least one document each"));
    }
    if !(0.0..=1.0).contains(&parameters.threshold) {
        return Err(Undefined::new("the threshold is a share between 0 and 1 (0.05 for 5%)"));
    }
    let need = parameters.base + parameters.run;
    if documents.len() < need {
        return Err(Undefined::new(format!(
            "saturation needs at least base + run = {need} coded documents; there are {}",
            documents.len()
        )));
    }
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut steps = Vec::with_capacity(documents.len());
    // For each document, the codes it was first to bring.
    for (id, codes) in documents {
        let new: Vec<String> = codes.iter().filter(|c| !seen.contains(c.as_str())).cloned().collect();
        seen.extend(codes.iter().map(String::as_str));
        steps.push(Step { document: id.clone(), new_codes: new, cumulative: seen.len() });
    }
    let base_codes = steps[parameters.base - 1].cumulative;
    if base_codes == 0 {
        return Err(Undefined::new(format!(
            "no code was applied in the first {} documents (the base)",
            parameters.base
        )));
    }
    let mut runs = Vec::new();
    let mut start = parameters.base; // 0-based first document of the run
    while start + parameters.run <= steps.len() {
        let new: usize = steps[start..start + parameters.run].iter().map(|s| s.new_codes.len()).sum();
        runs.push(Run {
            from: start + 1,
            to: start + parameters.run,
            new,
            new_information: new as f64 / base_codes as f64,
        });
        start += 1;
    }
    let reached =
        runs.iter().find(|r| r.new_information <= parameters.threshold + 1e-12).map(|r| (r.from - 1, r.clone()));
    let later = match &reached {
        Some((at, _)) => steps
            .iter()
            .enumerate()
            .skip(*at)
            .filter(|(_, s)| !s.new_codes.is_empty())
            .map(|(i, s)| Later {
                position: i + 1,
                document: s.document.clone(),
                new: s.new_codes.len(),
                new_information: s.new_codes.len() as f64 / base_codes as f64,
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(Saturation { parameters, steps, base_codes, runs, reached, later })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(codes: &[&[&str]]) -> Vec<(String, BTreeSet<String>)> {
        codes
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("d{}", i + 1), c.iter().map(|s| (*s).to_owned()).collect()))
            .collect()
    }

    #[test]
    fn worked_example() {
        // Base of 4 documents brings a..t: 20 codes. Documents 5 and 6 bring 2 new codes (10%),
        // 6 and 7 one (5%): saturation at 5 documents, shown by the run 6-7.
        let base: Vec<String> = (b'a'..=b't').map(|c| (c as char).to_string()).collect();
        let b: Vec<&str> = base.iter().map(String::as_str).collect();
        let d = docs(&[&b[..8], &b[5..12], &b[10..16], &b[14..20], &["a", "u"], &["b", "v"], &["c"], &["d"]]);
        let s = assess(&d, Parameters::default()).unwrap();
        assert_eq!(s.base_codes, 20);
        assert_eq!(s.runs[0], Run { from: 5, to: 6, new: 2, new_information: 0.1 });
        assert_eq!(s.runs[1].new, 1);
        let (at, run) = s.reached.clone().unwrap();
        assert_eq!((at, run.from, run.to), (5, 6, 7));
        // After the 5th document, the 6th still brings `v`: 1 of 20 base codes.
        assert_eq!(s.later, [Later { position: 6, document: "d6".into(), new: 1, new_information: 0.05 }]);
        assert_eq!(s.steps.iter().map(|x| x.cumulative).collect::<Vec<_>>(), [8, 12, 16, 20, 21, 22, 22, 22]);
        // At 0%: the run 7-8 brings nothing.
        let strict = assess(&d, Parameters { threshold: 0.0, ..Parameters::default() }).unwrap();
        assert_eq!(strict.reached.unwrap().0, 6);
        assert!(strict.later.is_empty());
    }

    #[test]
    fn not_reached_and_too_few() {
        let d = docs(&[&["a"], &["b"], &["c"], &["d"], &["e"], &["f"]]);
        let s = assess(&d, Parameters::default()).unwrap();
        assert!(s.reached.is_none());
        assert!(assess(&d[..5], Parameters::default()).unwrap_err().0.contains("at least base + run = 6"));
        let empty = docs(&[&[], &[], &[], &[], &["a"], &["b"]]);
        assert!(assess(&empty, Parameters::default()).unwrap_err().0.contains("no code was applied"));
    }
}
