//! Intercoder agreement on a study: the statistics asked for ([`Metric`]) on reliability data
//! ([`statistics`]), and agreement on the codings of the study itself, by turn, sentence or span
//! ([`agree`]): the units every compared coder coded, per code and pooled, with the
//! disagreements.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;
use thema_core::{Codebook, Coding, Document, Study, StudyError};

use crate::agreement::{self, IccMeasure, IccModel, Level, NamedWeights, Ratings, Weights};
use crate::choice::choices;
use crate::coded::{self, UnitKind};
use crate::error::AnalysisError;
use crate::{unitizing, Undefined};

choices! {
    /// A statistic of agreement, or `All` of them.
    pub enum Metric {
        /// Every statistic that fits the data.
        All = "all",
        /// Krippendorff's alpha at the level of measurement asked.
        Alpha = "alpha",
        /// Pairwise percent agreement.
        Percent = "percent",
        /// Cohen's kappa (two coders).
        CohenKappa = "cohen-kappa",
        /// Fleiss' kappa.
        FleissKappa = "fleiss-kappa",
        /// Conger's kappa.
        CongerKappa = "conger-kappa",
        /// Gwet's AC1.
        GwetAc1 = "gwet-ac1",
        /// Brennan and Prediger's coefficient.
        BrennanPrediger = "brennan-prediger",
        /// Krippendorff's unitized alpha, on units marked on a continuum.
        UnitizedAlpha = "unitized-alpha",
        /// Scott's pi (two coders).
        ScottPi = "scott-pi",
        /// Holsti's coefficient (two coders).
        Holsti = "holsti",
        /// Bennett, Alpert and Goldstein's S (two coders).
        BennettS = "bennett-s",
        /// Randolph's free-marginal multirater kappa.
        RandolphKappa = "randolph-kappa",
        /// Light's kappa: the mean pairwise Cohen's kappa.
        LightKappa = "light-kappa",
        /// Hubert's kappa: the mean pairwise Scott's pi.
        HubertKappa = "hubert-kappa",
        /// Bangdiwala's B (two coders).
        BangdiwalaB = "bangdiwala-b",
        /// Gwet's AC2: AC1 with agreement weights.
        GwetAc2 = "gwet-ac2",
        /// The intraclass correlation of a model and measure.
        Icc = "icc",
        /// Kendall's coefficient of concordance W.
        KendallW = "kendall-w",
    }
}

impl Metric {
    /// The metrics of reliability data (units by coders), in the order they are reported.
    pub const ON_RATINGS: &'static [Metric] = &[
        Metric::All,
        Metric::Alpha,
        Metric::Percent,
        Metric::CohenKappa,
        Metric::FleissKappa,
        Metric::CongerKappa,
        Metric::GwetAc1,
        Metric::BrennanPrediger,
        Metric::ScottPi,
        Metric::Holsti,
        Metric::BennettS,
        Metric::RandolphKappa,
        Metric::LightKappa,
        Metric::HubertKappa,
        Metric::BangdiwalaB,
        Metric::GwetAc2,
        Metric::Icc,
        Metric::KendallW,
    ];

    /// The statistics of two coders only.
    pub const OF_PAIRS: &'static [Metric] = &[Metric::ScottPi, Metric::Holsti, Metric::BennettS, Metric::BangdiwalaB];

    /// The statistics that need each rater's own ratings, not only counts per unit and category.
    pub const OF_RATERS: &'static [Metric] = &[
        Metric::CohenKappa,
        Metric::CongerKappa,
        Metric::ScottPi,
        Metric::Holsti,
        Metric::BennettS,
        Metric::LightKappa,
        Metric::HubertKappa,
        Metric::BangdiwalaB,
        Metric::Icc,
        Metric::KendallW,
    ];

    /// The statistic's full name as reported (alpha's with its level of measurement).
    pub fn label(self, level: Level) -> String {
        match self {
            Metric::All => "all".to_owned(),
            Metric::Alpha => format!("Krippendorff's alpha ({})", level_name(level)),
            Metric::Percent => "percent agreement (pairwise)".to_owned(),
            Metric::CohenKappa => "Cohen's kappa".to_owned(),
            Metric::FleissKappa => "Fleiss' kappa".to_owned(),
            Metric::CongerKappa => "Conger's kappa".to_owned(),
            Metric::GwetAc1 => "Gwet's AC1".to_owned(),
            Metric::BrennanPrediger => "Brennan-Prediger".to_owned(),
            Metric::UnitizedAlpha => "unitized alpha".to_owned(),
            Metric::ScottPi => "Scott's pi".to_owned(),
            Metric::Holsti => "Holsti's coefficient".to_owned(),
            Metric::BennettS => "Bennett's S".to_owned(),
            Metric::RandolphKappa => "Randolph's free-marginal kappa".to_owned(),
            Metric::LightKappa => "Light's kappa".to_owned(),
            Metric::HubertKappa => "Hubert's kappa".to_owned(),
            Metric::BangdiwalaB => "Bangdiwala's B".to_owned(),
            Metric::GwetAc2 => "Gwet's AC2".to_owned(),
            Metric::Icc => "the intraclass correlation".to_owned(),
            Metric::KendallW => "Kendall's W".to_owned(),
        }
    }

    /// The statistic's column heading in a table of codes.
    pub fn short(self) -> &'static str {
        match self {
            Metric::All => "all",
            Metric::Alpha => "alpha",
            Metric::Percent => "percent",
            Metric::CohenKappa => "kappa",
            Metric::FleissKappa => "Fleiss",
            Metric::CongerKappa => "Conger",
            Metric::GwetAc1 => "AC1",
            Metric::BrennanPrediger => "BP",
            Metric::UnitizedAlpha => "unitized alpha",
            Metric::ScottPi => "pi",
            Metric::Holsti => "Holsti",
            Metric::BennettS => "S",
            Metric::RandolphKappa => "Randolph",
            Metric::LightKappa => "Light",
            Metric::HubertKappa => "Hubert",
            Metric::BangdiwalaB => "B",
            Metric::GwetAc2 => "AC2",
            Metric::Icc => "ICC",
            Metric::KendallW => "W",
        }
    }

    /// The metric a user named, or why not ("`kappa` is not a metric", with the list).
    pub fn parse(name: &str) -> Result<Metric, AnalysisError> {
        Metric::from_name(name).ok_or_else(|| unknown_metric(name))
    }
}

/// The name of a level of measurement.
pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Nominal => "nominal",
        Level::Ordinal => "ordinal",
        Level::Interval => "interval",
        Level::Ratio => "ratio",
    }
}

choices! {
    /// The unit of comparison of agreement on a study.
    pub enum Unit {
        /// A turn: each turn and code is 1 (applied) or 0 for each coder.
        Turn = "turn",
        /// A sentence (UAX #29) of a turn.
        Sentence = "sentence",
        /// The code points of the text: Krippendorff's unitized alpha on the codings' spans.
        Span = "span",
    }
}

/// One statistic: a value, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Value {
    /// The statistic's full name ([`Metric::label`]).
    pub metric: String,
    /// Which statistic it is.
    #[serde(skip)]
    pub kind: Metric,
    /// Its value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Why it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
    /// The 95% confidence interval: alpha's percentile bootstrap, weighted Cohen's kappa's
    /// from its asymptotic standard error, Gwet's AC2's from Gwet's variance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci95: Option<(f64, f64)>,
    /// The standard error, where the literature gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub se: Option<f64>,
}

impl Value {
    /// The value of `kind` (named `metric`), or why there is none.
    pub fn of(kind: Metric, metric: String, result: Result<f64, Undefined>) -> Value {
        match result {
            Ok(v) => Value { metric, kind, value: Some(v), undefined: None, ci95: None, se: None },
            Err(e) => Value { metric, kind, value: None, undefined: Some(e.0), ci95: None, se: None },
        }
    }

    /// The value to four places, or `undefined (why)`.
    pub fn shown(&self) -> String {
        match (self.value, &self.undefined) {
            (Some(v), _) => format!("{v:.4}"),
            (None, Some(why)) => format!("undefined ({why})"),
            (None, None) => String::new(),
        }
    }
}

/// The statistics `metric` asks for on `ratings`; alpha at `level`, with a percentile bootstrap
/// interval from `bootstrap` resamples (none for 0) drawn with `seed`.
pub fn statistics(
    ratings: &Ratings,
    metric: Metric,
    level: Level,
    bootstrap: usize,
    seed: u64,
) -> Result<Vec<Value>, AnalysisError> {
    statistics_with(ratings, &StatisticsOptions { metric, level, bootstrap, seed, ..StatisticsOptions::default() })
}

/// What [`statistics_with`] computes.
#[derive(Clone, Debug, PartialEq)]
pub struct StatisticsOptions {
    /// The statistic, or all.
    pub metric: Metric,
    /// Alpha's level of measurement.
    pub level: Level,
    /// Bootstrap resamples for alpha's interval (0: none).
    pub bootstrap: usize,
    /// The bootstrap's seed.
    pub seed: u64,
    /// Whether each column is one rater's ratings; false for a table of counts
    /// ([`Ratings::from_counts`]), where the statistics of each rater are refused (and left out
    /// of `all`).
    pub raters: bool,
    /// Agreement weights for Cohen's kappa and Gwet's AC2 (`None`: unweighted).
    pub weights: Option<NamedWeights>,
    /// The intraclass correlation's model.
    pub icc_model: IccModel,
    /// The intraclass correlation's measure.
    pub icc_measure: IccMeasure,
    /// Whether Kendall's W is corrected for ties.
    pub tie_correction: bool,
    /// Alpha of this category against all others (nominal), instead of alpha over all.
    pub category: Option<String>,
}

impl Default for StatisticsOptions {
    fn default() -> Self {
        StatisticsOptions {
            metric: Metric::All,
            level: Level::Nominal,
            bootstrap: 0,
            seed: 1,
            raters: true,
            weights: None,
            icc_model: IccModel::TwoWayAgreement,
            icc_measure: IccMeasure::Single,
            tie_correction: true,
            category: None,
        }
    }
}

/// The statistics `options` asks for on `ratings`.
pub fn statistics_with(ratings: &Ratings, options: &StatisticsOptions) -> Result<Vec<Value>, AnalysisError> {
    let StatisticsOptions {
        metric,
        level,
        bootstrap,
        seed,
        raters,
        ref weights,
        icc_model,
        icc_measure,
        tie_correction,
        ref category,
    } = *options;
    if !Metric::ON_RATINGS.contains(&metric) {
        return Err(unknown_metric(metric.name()));
    }
    if !raters && Metric::OF_RATERS.contains(&metric) {
        return Err(AnalysisError::NeedsRaters(metric.label(level)));
    }
    if Metric::OF_PAIRS.contains(&metric) && ratings.coders() != 2 {
        return Err(AnalysisError::PairOnly { statistic: metric.label(level), coders: ratings.coders() });
    }
    if let Some(category) = category {
        if metric != Metric::Alpha {
            return Err(AnalysisError::CategoryFor(metric.name().to_owned()));
        }
        let binary = ratings.binarized(category)?;
        let label = format!("Krippendorff's alpha (`{category}` against the others)");
        let mut alpha = Value::of(metric, label, agreement::krippendorff_alpha(&binary, Level::Nominal)?);
        if alpha.value.is_some() && bootstrap > 0 {
            alpha.ci95 = agreement::alpha_bootstrap(&binary, Level::Nominal, bootstrap, seed, 0.95)?.ok();
        }
        return Ok(vec![alpha]);
    }
    if let Some(weights) = weights {
        return weighted_statistic(ratings, metric, weights);
    }
    let want = |m: Metric| metric == Metric::All || metric == m;
    let value = |m: Metric, result| Value::of(m, m.label(level), result);
    let mut out = Vec::new();
    if want(Metric::Alpha) {
        let mut alpha = value(Metric::Alpha, agreement::krippendorff_alpha(ratings, level)?);
        if alpha.value.is_some() && bootstrap > 0 {
            alpha.ci95 = agreement::alpha_bootstrap(ratings, level, bootstrap, seed, 0.95)?.ok();
        }
        out.push(alpha);
        if metric == Metric::Alpha {
            return Ok(out);
        }
    }
    let gwet = agreement::gwet(ratings, Weights::Identity)?;
    let from_gwet = |f: fn(&agreement::Gwet) -> Result<f64, Undefined>| gwet.as_ref().map_err(Clone::clone).and_then(f);
    if want(Metric::Percent) {
        out.push(value(Metric::Percent, from_gwet(|g| Ok(g.percent))));
    }
    if want(Metric::CohenKappa) && raters {
        if ratings.coders() == 2 {
            out.push(value(Metric::CohenKappa, agreement::pair_table(ratings, 0, 1).cohen_kappa()));
        } else if metric == Metric::CohenKappa {
            return Err(AnalysisError::CohenNeedsTwo(ratings.coders()));
        }
    }
    if want(Metric::FleissKappa) {
        out.push(value(Metric::FleissKappa, from_gwet(|g| g.fleiss_kappa.clone())));
    }
    if want(Metric::CongerKappa) && raters {
        out.push(value(Metric::CongerKappa, from_gwet(|g| g.conger_kappa.clone())));
    }
    if want(Metric::GwetAc1) {
        out.push(value(Metric::GwetAc1, from_gwet(|g| g.gwet_ac.clone())));
    }
    if want(Metric::BrennanPrediger) {
        out.push(value(Metric::BrennanPrediger, from_gwet(|g| g.brennan_prediger.clone())));
    }
    // Asked by name only, so that `all` stays the set it was.
    let result = match metric {
        Metric::ScottPi => agreement::scott_pi(ratings),
        Metric::Holsti => agreement::holsti(ratings, 0, 1),
        Metric::BennettS => agreement::pair_table(ratings, 0, 1).bennett_s(),
        // Randolph's P_o is Fleiss' (Gwet's with missing ratings) and his chance agreement 1/q
        // is Brennan and Prediger's: the same coefficient.
        Metric::RandolphKappa => from_gwet(|g| g.brennan_prediger.clone()),
        Metric::LightKappa => agreement::light_kappa(ratings),
        Metric::HubertKappa => agreement::hubert_kappa(ratings),
        Metric::BangdiwalaB => agreement::pair_table(ratings, 0, 1).bangdiwala_b(),
        Metric::GwetAc2 => return Err(AnalysisError::NeedsWeights),
        Metric::Icc => {
            let label = format!("intraclass correlation ({icc_model}, {icc_measure})");
            let icc = agreement::icc(ratings, icc_model, icc_measure)?;
            let mut value = Value::of(metric, label, icc.as_ref().map(|i| i.value).map_err(Clone::clone));
            value.ci95 = icc.ok().and_then(|i| i.ci95);
            out.push(value);
            return Ok(out);
        }
        Metric::KendallW if !tie_correction => {
            out.push(Value::of(
                metric,
                "Kendall's W (no tie correction)".to_owned(),
                agreement::kendall_w(ratings, false),
            ));
            return Ok(out);
        }
        Metric::KendallW => agreement::kendall_w(ratings, true),
        _ => return Ok(out),
    };
    let mut v = value(metric, result);
    if metric == Metric::ScottPi && v.value.is_some() {
        if let Some(interval) = agreement::scott_pi_interval(ratings) {
            (v.se, v.ci95) = (Some(interval.se), Some(interval.ci95));
        }
    }
    // Bennett's S and Randolph's kappa are Brennan-Prediger's: its interval as Gwet gives it.
    if matches!(metric, Metric::BennettS | Metric::RandolphKappa) && v.value.is_some() {
        if let Some(interval) = gwet.as_ref().ok().and_then(|g| g.brennan_prediger_interval) {
            (v.se, v.ci95) = (Some(interval.se), Some(interval.ci95));
        }
    }
    out.push(v);
    Ok(out)
}

/// Weighted Cohen's kappa (with its asymptotic standard error and interval, Fleiss, Cohen &
/// Everitt 1969) or Gwet's AC2 (with Gwet's variance).
fn weighted_statistic(ratings: &Ratings, metric: Metric, weights: &NamedWeights) -> Result<Vec<Value>, AnalysisError> {
    let label = |m: Metric| format!("{} ({} weights)", m.label(Level::Nominal), weights.name);
    match metric {
        Metric::CohenKappa => {
            if ratings.coders() != 2 {
                return Err(AnalysisError::CohenNeedsTwo(ratings.coders()));
            }
            let table = agreement::pair_table(ratings, 0, 1);
            if table.cells.iter().flatten().sum::<f64>() == 0.0 {
                return Ok(vec![Value::of(metric, label(metric), table.cohen_kappa())]);
            }
            let inference = table.kappa_inference(&weights.matrix);
            let mut value = Value::of(metric, label(metric), inference.as_ref().map(|i| i.kappa).map_err(Clone::clone));
            if let Ok(i) = inference {
                (value.se, value.ci95) = (Some(i.ase), Some(i.ci95));
            }
            Ok(vec![value])
        }
        Metric::GwetAc2 => {
            let gwet = agreement::gwet_weighted(ratings, &weights.matrix);
            let mut value =
                Value::of(metric, label(metric), gwet.as_ref().map_err(Clone::clone).and_then(|g| g.gwet_ac.clone()));
            if let Some(interval) = gwet.ok().and_then(|g| g.gwet_ac_interval) {
                (value.se, value.ci95) = (Some(interval.se), Some(interval.ci95));
            }
            Ok(vec![value])
        }
        other => Err(AnalysisError::WeightsFor(other.name().to_owned())),
    }
}

/// Unitized alpha on a unitizing study, overall and by category.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitizedAgreement {
    /// α_U over all categories.
    pub alpha: Value,
    /// α_U of each category.
    pub categories: Vec<unitizing::CategoryAlpha>,
}

/// Unitized alpha of one category, with its observed and expected disagreement.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CategoryValue {
    /// The statistic's name.
    pub metric: String,
    /// The category.
    pub category: String,
    /// α_U of the category, if defined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Why it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
    /// Observed disagreement `D_o`.
    pub observed: f64,
    /// Expected disagreement `D_e`.
    pub expected: f64,
}

impl UnitizedAgreement {
    /// The unitized alpha of `category` alone (undefined where its expected disagreement is 0),
    /// or the error naming the categories there are.
    pub fn category(&self, category: &str) -> Result<CategoryValue, AnalysisError> {
        let Some(c) = self.categories.iter().find(|c| c.category == category) else {
            return Err(AnalysisError::Ratings(agreement::RatingsError::UnknownCategory {
                given: category.to_owned(),
                known: self.categories.iter().map(|c| c.category.clone()).collect(),
            }));
        };
        let defined = c.expected > 0.0;
        Ok(CategoryValue {
            metric: format!("unitized alpha of `{category}`"),
            category: category.to_owned(),
            value: defined.then_some(c.alpha),
            undefined: (!defined).then(|| "no disagreement is expected: the category has no variation".to_owned()),
            observed: c.observed,
            expected: c.expected,
        })
    }

    /// Unitized alpha of `study`.
    pub fn of(study: &unitizing::Study) -> UnitizedAgreement {
        UnitizedAgreement {
            alpha: Value::of(Metric::UnitizedAlpha, Metric::UnitizedAlpha.label(Level::Nominal), study.alpha()),
            categories: study.category_alphas(),
        }
    }
}

/// What agreement on a study compares and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreeOptions {
    /// The coders compared; none: every primary coder (people, not consensus sets).
    pub coders: Vec<String>,
    /// The unit of comparison.
    pub unit: Unit,
    /// Only these codes, each with everything under it (ids or names); none: every code.
    pub codes: Vec<String>,
    /// The statistics.
    pub metric: Metric,
    /// Bootstrap resamples for alpha's interval on all codes pooled (0: none).
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// How many disagreements to keep (all are counted).
    pub disagreements: usize,
    /// Only the documents of these waves (none: every document).
    pub waves: Vec<u32>,
}

impl Default for AgreeOptions {
    /// Every primary coder, by turn, every statistic, 1,000 resamples with seed 1, every
    /// disagreement.
    fn default() -> Self {
        AgreeOptions {
            coders: Vec::new(),
            unit: Unit::Turn,
            codes: Vec::new(),
            metric: Metric::All,
            bootstrap: 1000,
            seed: 1,
            disagreements: usize::MAX,
            waves: Vec::new(),
        }
    }
}

/// Agreement of one code (or an entry with everything under it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeAgreement {
    /// Its id.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The units compared.
    pub units: usize,
    /// Each coder and the units they applied it to.
    pub coded_by: Vec<(String, usize)>,
    /// The statistics.
    pub statistics: Vec<Value>,
}

/// Agreement on a study by turn or sentence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodedAgreement {
    /// The coders compared.
    pub coders: Vec<String>,
    /// Units each coder coded with any of the codes compared.
    #[serde(skip)]
    pub totals: Vec<usize>,
    /// The unit of comparison.
    pub unit: UnitKind,
    /// The documents every coder coded.
    pub documents: Vec<String>,
    /// The units of those documents.
    pub units: usize,
    /// Each code.
    pub codes: Vec<CodeAgreement>,
    /// All codes pooled.
    pub overall: Vec<Value>,
    /// How many units and codes the coders differ on.
    #[serde(skip)]
    pub disagreement_count: usize,
    /// The first disagreements ([`AgreeOptions::disagreements`]).
    pub disagreements: Vec<coded::Disagreement>,
}

/// Agreement on a study, as its unit asks.
#[derive(Clone, Debug, PartialEq)]
pub enum StudyAgreement {
    /// By turn or sentence.
    Coded(CodedAgreement),
    /// By span: unitized alpha over the documents every coder coded.
    Unitized {
        /// The statistic.
        agreement: UnitizedAgreement,
        /// How many documents it covers.
        documents: usize,
    },
}

/// The coders `options` compare: those named (sorted, each once) or every primary coder, each
/// known to the study, at least two and at most 64.
pub fn compared_coders(study: &Study, named: &[String]) -> Result<Vec<String>, AnalysisError> {
    let mut coders = named.to_vec();
    coders.sort();
    coders.dedup();
    let known = study.coders()?;
    if coders.is_empty() {
        // People, not the consensus sets made from them: a set compared with its own sources
        // agrees with them by construction.
        coders = thema_core::coders::primary(&study.settings, &known);
    }
    for c in &coders {
        study.known_coder(c).map_err(|error| AnalysisError::UnknownCoder { error, known: known.clone() })?;
    }
    if coders.len() > 64 {
        return Err(AnalysisError::TooManyCoders);
    }
    if coders.len() < 2 {
        return Err(AnalysisError::TooFewCoders(coders.len()));
    }
    Ok(coders)
}

/// Agreement on `study` as `options` ask.
pub fn agree(study: &Study, options: &AgreeOptions) -> Result<(Vec<String>, StudyAgreement), AnalysisError> {
    // A code applied or not is 1 or 0: no numbers to correlate, ranks to concord or weights.
    if matches!(options.metric, Metric::Icc | Metric::KendallW | Metric::GwetAc2) {
        return Err(AnalysisError::NotOnStudy(options.metric.label(Level::Nominal)));
    }
    let coders = compared_coders(study, &options.coders)?;
    let codebook = study.load_codebook()?;
    let mut codings = placed_codings(study, &coders)?;
    if !options.waves.is_empty() {
        // The documents compared are those every coder coded: keeping the codings of the
        // waves asked for keeps those documents only.
        crate::waves::chosen_waves(study, &options.waves)?;
        codings.retain(|c| {
            study.document_meta(&c.document).and_then(|m| m.wave).is_some_and(|w| options.waves.contains(&w))
        });
    }
    let kind = match options.unit {
        Unit::Span => {
            let shared = shared_units(study, &codings, &coders, UnitKind::Turn)?;
            if shared.documents.is_empty() {
                return Err(AnalysisError::NoSharedDocument { coders, hinted: false });
            }
            let mut unitized = coded::unitizing_study(&codings, &shared);
            if !options.codes.is_empty() {
                let wanted: Vec<String> = options
                    .codes
                    .iter()
                    .map(|c| codebook.resolve(c).map(|e| e.id.clone()))
                    .collect::<Result<_, _>>()?;
                unitized.units.retain(|u| wanted.contains(&u.category));
            }
            let agreement = UnitizedAgreement::of(&unitized);
            return Ok((coders, StudyAgreement::Unitized { agreement, documents: shared.documents.len() }));
        }
        Unit::Sentence => UnitKind::Sentence,
        Unit::Turn => UnitKind::Turn,
    };
    let report = coded_agreement(study, &codebook, &codings, &coders, kind, options)?;
    Ok((coders, StudyAgreement::Coded(report)))
}

/// The placed codings of `coders`, without their quotes, context, times and memos (agreement
/// needs where and what, not the words): one codings file in memory at a time.
pub fn placed_codings(study: &Study, coders: &[String]) -> Result<Vec<Coding>, StudyError> {
    let mut out = Vec::new();
    for file in study.coders()? {
        out.extend(
            study.load_coder_placements(&file)?.into_iter().filter(|c| !c.unplaced && coders.contains(&c.coder)),
        );
    }
    Ok(out)
}

/// The units of the documents every one of `coders` coded, loading those documents one at a
/// time (their texts are not kept).
fn shared_units(
    study: &Study,
    codings: &[Coding],
    coders: &[String],
    kind: UnitKind,
) -> Result<coded::CodedUnits, StudyError> {
    let ids: Vec<&str> = study.documents().iter().map(|m| m.id.as_str()).collect();
    if kind == UnitKind::Sentence {
        return coded::coded_units_loading(&ids, codings, coders, kind, |id| {
            study.load_document(id).map(|d| {
                let length = d.text.chars().count();
                (Cow::Owned(d), length)
            })
        });
    }
    // Turns need the turns and the length, not the text. The documents come in `ids` order, so
    // the turns of the next block of them are read together, on all cores.
    let lengths: HashMap<&str, usize> = ids.iter().copied().zip(study.document_lengths()?).collect();
    let position: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut read: HashMap<&str, Vec<thema_core::Turn>> = HashMap::new();
    let mut reader = thema_core::turncache::TurnReader::new(study);
    coded::coded_units_loading(&ids, codings, coders, kind, |id| {
        let meta = study.known_document(id)?;
        if !read.contains_key(id) {
            let at = position[id];
            let block = &ids[at..(at + Study::TURNS_BLOCK).min(ids.len())];
            read = block.iter().copied().zip(reader.turns_of(block)?).collect();
        }
        let turns = read.remove(id).unwrap_or_default();
        Ok::<_, StudyError>((Cow::Owned(Document { meta: meta.clone(), text: String::new(), turns }), lengths[id]))
    })
}

/// Agreement of `coders` on the documents all of them coded, by turn or sentence, per code and
/// pooled: each unit and code is 1 (applied) or 0 for each coder.
pub fn coded_agreement(
    study: &Study,
    codebook: &Codebook,
    codings: &[Coding],
    coders: &[String],
    kind: UnitKind,
    options: &AgreeOptions,
) -> Result<CodedAgreement, AnalysisError> {
    let shared = shared_units(study, codings, coders, kind)?;
    if shared.documents.is_empty() {
        return Err(AnalysisError::NoSharedDocument { coders: coders.to_vec(), hinted: true });
    }
    // With `codes`, each entry named counts where a coder applied it or anything under it.
    let shared = if options.codes.is_empty() {
        shared
    } else {
        let mut groups = Vec::new();
        for c in &options.codes {
            let entry = codebook.resolve(c).map_err(AnalysisError::UnknownCode)?;
            let ids = codebook.descendants(&entry.id);
            let members = shared.codes.iter().enumerate().filter(|(_, k)| ids.contains(*k)).map(|(i, _)| i).collect();
            groups.push((entry.id.clone(), members));
        }
        shared.rolled_up(&groups)
    };
    let tallies = shared.tallies();
    let mut report = CodedAgreement {
        coders: coders.to_vec(),
        totals: (0..coders.len()).map(|c| (0..shared.codes.len()).map(|k| tallies.applied(k, c)).sum()).collect(),
        unit: kind,
        documents: shared.documents.clone(),
        units: shared.unit_count(),
        codes: Vec::new(),
        overall: Vec::new(),
        disagreement_count: shared.disagreement_count(),
        disagreements: shared.disagreements_up_to(options.disagreements),
    };
    for k in 0..shared.codes.len() {
        let ratings = tallies.ratings(Some(k))?;
        let coded_by = coders.iter().enumerate().map(|(c, name)| (name.clone(), tallies.applied(k, c))).collect();
        let name = codebook.get(&shared.codes[k]).map_or_else(|| shared.codes[k].clone(), |e| e.name.clone());
        report.codes.push(CodeAgreement {
            code: shared.codes[k].clone(),
            name,
            units: shared.unit_count(),
            coded_by,
            statistics: statistics(&ratings, options.metric, Level::Nominal, 0, options.seed)?,
        });
    }
    let pooled = tallies.ratings(None)?;
    report.overall = statistics(&pooled, options.metric, Level::Nominal, options.bootstrap, options.seed)?;
    Ok(report)
}

impl CodedAgreement {
    /// The per-code table: code, units each coder applied it to, the statistics to three
    /// places (`—` for none); a last row for all codes pooled.
    pub fn rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["code".to_owned()];
        header.extend(self.coders.iter().cloned());
        let names: Vec<String> = self
            .codes
            .first()
            .map(|c| c.statistics.iter().map(|s| s.kind.short().to_owned()).collect())
            .unwrap_or_default();
        header.extend(names);
        let shown = |s: &Value| s.value.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"));
        let mut rows = Vec::new();
        for c in &self.codes {
            let mut row = vec![c.name.clone()];
            row.extend(c.coded_by.iter().map(|(_, n)| n.to_string()));
            row.extend(c.statistics.iter().map(shown));
            rows.push(row);
        }
        let mut row = vec!["(all codes)".to_owned()];
        row.extend(self.totals.iter().map(usize::to_string));
        row.extend(self.overall.iter().map(shown));
        rows.push(row);
        (header, rows)
    }
}

/// A metric that is not one of those on ratings, with the names a user can give.
fn unknown_metric(given: &str) -> AnalysisError {
    AnalysisError::UnknownMetric {
        given: given.to_owned(),
        known: Metric::ON_RATINGS.iter().map(|m| m.name().to_owned()).collect(),
    }
}
