//! Saturation on a study: the documents in the order asked, the codes each holds in a coder
//! set's codings, assessed by [`crate::saturation::assess`] (Guest, Namey & Chen 2020), and the
//! verdict in words.

use std::collections::{BTreeMap, BTreeSet};

use thema_core::coders::CoderSet;
use thema_core::settings::SaturationSettings;
use thema_core::{DocumentMeta, Study};

use crate::error::AnalysisError;
use crate::saturation::{self, Parameters, Saturation};

/// The order documents are read in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentOrder {
    /// The order of import.
    Import,
    /// By date, then import order.
    Date,
    /// These documents, in this order.
    Ids(Vec<String>),
}

impl DocumentOrder {
    /// `import`, `date`, or ids separated by commas.
    pub fn parse(text: &str) -> DocumentOrder {
        match text {
            "import" => DocumentOrder::Import,
            "date" => DocumentOrder::Date,
            list => DocumentOrder::Ids(
                list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            ),
        }
    }
}

/// How saturation is assessed.
#[derive(Clone, Debug, PartialEq)]
pub struct SaturationOptions {
    /// The order of the documents.
    pub order: DocumentOrder,
    /// Only documents of these kinds (none: every document).
    pub kinds: Vec<String>,
    /// Only documents of these waves (none: every document, with a wave or not).
    pub waves: Vec<u32>,
    /// Base, run and threshold.
    pub parameters: Parameters,
}

/// The given share `5%`, `0.05` or `0`, between 0 and 1.
pub fn parse_threshold(text: &str) -> Result<f64, AnalysisError> {
    let t = text.trim();
    let value = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|x| x / 100.0),
        None => t.parse::<f64>(),
    };
    value.ok().filter(|x| (0.0..=1.0).contains(x)).ok_or_else(|| AnalysisError::BadThreshold(text.to_owned()))
}

/// What to assess, each setting as given, else from the team's `[saturation]` settings, else
/// Guest et al.'s defaults (base 4, run 2, 5%), in import order.
pub fn options(
    team: &SaturationSettings,
    order: Option<&str>,
    base: Option<usize>,
    run: Option<usize>,
    threshold: Option<&str>,
    kinds: &[String],
) -> Result<SaturationOptions, AnalysisError> {
    let defaults = Parameters::default();
    let threshold = match threshold.or(team.threshold.as_deref()) {
        Some(t) => parse_threshold(t)?,
        None => defaults.threshold,
    };
    Ok(SaturationOptions {
        order: DocumentOrder::parse(order.or(team.order.as_deref()).unwrap_or("import")),
        kinds: if kinds.is_empty() { team.kinds.clone() } else { kinds.to_vec() },
        waves: Vec::new(),
        parameters: Parameters {
            base: base.or(team.base).unwrap_or(defaults.base),
            run: run.or(team.run).unwrap_or(defaults.run),
            threshold,
        },
    })
}

/// Saturation of the codings of `set` as `options` ask.
pub fn assess(study: &Study, set: &CoderSet, options: &SaturationOptions) -> Result<Saturation, AnalysisError> {
    let (kinds, waves) = (&options.kinds, &options.waves);
    if !waves.is_empty() {
        crate::waves::chosen_waves(study, waves)?;
    }
    let mut metas: Vec<&DocumentMeta> = study
        .documents()
        .iter()
        .filter(|m| kinds.is_empty() || kinds.contains(&m.kind))
        .filter(|m| waves.is_empty() || m.wave.is_some_and(|w| waves.contains(&w)))
        .collect();
    match &options.order {
        DocumentOrder::Import => metas.sort_by_key(|m| m.sequence),
        DocumentOrder::Date => {
            if let Some(m) = metas.iter().find(|m| m.date.is_none()) {
                return Err(AnalysisError::NoDate(m.id.clone()));
            }
            metas.sort_by(|a, b| a.date.cmp(&b.date).then(a.sequence.cmp(&b.sequence)));
        }
        DocumentOrder::Ids(ids) => {
            let mut ordered = Vec::new();
            for id in ids {
                ordered.push(study.known_document(id).map_err(AnalysisError::UnknownDocument)?);
            }
            // An order given by ids keeps to the wave asked for (`--by wave`).
            metas = ordered
                .into_iter()
                .filter(|m| waves.is_empty() || m.wave.is_some_and(|w| waves.contains(&w)))
                .collect();
        }
    }
    // One codings file in memory at a time; which codes a document holds needs no pooling.
    let mut codes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for coder in &set.coders {
        for c in study.load_coder_placements(coder)? {
            if !c.unplaced {
                codes.entry(c.document).or_default().insert(c.code);
            }
        }
    }
    let documents: Vec<(String, BTreeSet<String>)> =
        metas.iter().map(|m| (m.id.clone(), codes.get(m.id.as_str()).cloned().unwrap_or_default())).collect();
    saturation::assess(&documents, options.parameters).map_err(AnalysisError::Saturation)
}

/// One wave's saturation, or why it has none.
pub type WaveSaturation = (u32, Result<Saturation, AnalysisError>);

/// Saturation assessed within each wave on its own (`saturation --by wave`): a follow-up
/// wave asks whether the second interviews still bring new codes, which pooling the waves
/// hides. Each wave's result, or why it has none (too few documents for the base and a run).
pub fn assess_by_wave(
    study: &Study,
    set: &CoderSet,
    options: &SaturationOptions,
) -> Result<Vec<WaveSaturation>, AnalysisError> {
    let waves = crate::waves::chosen_waves(study, &options.waves)?;
    Ok(waves
        .into_iter()
        .map(|w| {
            let one = SaturationOptions { waves: vec![w], ..options.clone() };
            (w, assess(study, set, &one))
        })
        .collect())
}

/// What an assessment found, in one sentence.
pub fn verdict(result: &Saturation, parameters: Parameters) -> String {
    match &result.reached {
        Some((at, run)) => format!(
            "saturation was reached at {at} documents (base {}, run {}, new information ≤ {:.0}%): documents {}-{} added {:.1}%",
            parameters.base,
            parameters.run,
            parameters.threshold * 100.0,
            run.from,
            run.to,
            run.new_information * 100.0
        ),
        None => format!(
            "saturation was not reached: no run of {} documents after the base added {:.0}% or less new information",
            parameters.run,
            parameters.threshold * 100.0
        ),
    }
}

/// The caveat to a saturation point: later documents that still brought new codes ("but
/// documents 4 and 5 still add 33% and 17% new codes"); `None` when none did.
pub fn caveat(result: &Saturation) -> Option<String> {
    if result.later.is_empty() {
        return None;
    }
    let list = |items: Vec<String>| thema_core::coders::and_list(&items);
    let positions = list(result.later.iter().map(|l| l.position.to_string()).collect());
    let shares = list(result.later.iter().map(|l| format!("{:.0}%", l.new_information * 100.0)).collect());
    let (noun, verb) = if result.later.len() == 1 { ("document", "adds") } else { ("documents", "add") };
    Some(format!(
        "but {noun} {positions} still {verb} {shares} new codes (of the {} codes in the base)",
        result.base_codes
    ))
}
