//! What can go wrong in an analysis of a study, each error with the hint a front end shows
//! after it (`hint: ...`).

use thema_core::codebook::CodebookError;
use thema_core::StudyError;

use crate::agreement::RatingsError;

/// An analysis that cannot be made, and why.
#[derive(Debug)]
#[non_exhaustive]
pub enum AnalysisError {
    /// Reading the study failed.
    Study(StudyError),
    /// A codebook entry named is not in the codebook (without a hint of its own).
    Codebook(CodebookError),
    /// The ratings cannot be compared.
    Ratings(RatingsError),
    /// A coder named has no codings; `known` are the coders who have.
    UnknownCoder {
        /// What the study said.
        error: StudyError,
        /// The study's coders.
        known: Vec<String>,
    },
    /// A code, category, sub-theme or theme named is not in the codebook.
    UnknownCode(CodebookError),
    /// `--metric` names no statistic.
    UnknownMetric {
        /// The name given.
        given: String,
        /// The names a user can give.
        known: Vec<String>,
    },
    /// Cohen's kappa asked of data with another number of coders than two.
    CohenNeedsTwo(usize),
    /// A statistic of two coders (Scott's pi, Holsti, Bennett's S, Bangdiwala's B) asked of
    /// data with another number.
    PairOnly {
        /// The statistic.
        statistic: String,
        /// The coders of the data.
        coders: usize,
    },
    /// A statistic of each rater's ratings asked of a table of counts, which has no raters.
    NeedsRaters(String),
    /// Gwet's AC2 asked without weights.
    NeedsWeights,
    /// Weights given for a statistic that takes none.
    WeightsFor(String),
    /// A category given for a statistic other than alpha.
    CategoryFor(String),
    /// A statistic of numbers, ranks or weights asked of a study's codings (1 or 0).
    NotOnStudy(String),
    /// More than 64 coders to compare at once.
    TooManyCoders,
    /// Fewer than two coders to compare.
    TooFewCoders(usize),
    /// No document was coded by every coder compared.
    NoSharedDocument {
        /// The coders compared.
        coders: Vec<String>,
        /// Whether to point to `thema coders` (agreement by turn or sentence does).
        hinted: bool,
    },
    /// A name that is not a kind of codebook entry.
    UnknownKind(String),
    /// Co-occurrence found fewer than two codes in use.
    TooFewCodes {
        /// How many.
        found: usize,
        /// The kind codes were rolled up to (codes under none of it are left out).
        rolled_up: Option<thema_core::EntryKind>,
    },
    /// A saturation threshold that is not a share.
    BadThreshold(String),
    /// Documents ordered by date, and this one has none.
    NoDate(String),
    /// A document named is not in the study.
    UnknownDocument(StudyError),
    /// Saturation has no value for these documents.
    Saturation(crate::Undefined),
    /// No participant speaks in the documents selected.
    NoParticipants,
    /// No document of the study has a wave.
    NoWaves,
    /// A wave named that no document has.
    UnknownWave {
        /// The wave named.
        wave: u32,
        /// The study's waves.
        known: Vec<u32>,
    },
    /// A participant named (id or pseudonym) who is not in `participants.csv`.
    UnknownParticipant(String),
    /// A CSV file's header cannot be read.
    Csv(csv::Error),
    /// A file of reliability data that cannot be read.
    DataFile {
        /// What is wrong, naming the file (and line).
        message: String,
        /// What to do about it.
        hint: Option<String>,
        /// The cause (the operating system's or the CSV reader's error).
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl AnalysisError {
    /// What to do about it, shown after the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            AnalysisError::UnknownCoder { known, .. } => Some(format!("coders: {}", known.join(", "))),
            AnalysisError::UnknownCode(_) => Some("see `thema codebook`".to_owned()),
            AnalysisError::UnknownMetric { known, .. } => Some(format!("use one of {}", known.join(", "))),
            AnalysisError::CohenNeedsTwo(_) => {
                Some("use `--metric fleiss-kappa` or `conger-kappa` for more".to_owned())
            }
            AnalysisError::PairOnly { .. } => Some(
                "name two coders (`thema agree --data FILE A B`), or use `hubert-kappa`, `light-kappa`, \
                 `fleiss-kappa` or `randolph-kappa` for more"
                    .to_owned(),
            ),
            AnalysisError::NeedsRaters(_) => Some(
                "on counts use `fleiss-kappa`, `randolph-kappa`, `gwet-ac1`, `brennan-prediger`, `percent` or `alpha`"
                    .to_owned(),
            ),
            AnalysisError::NeedsWeights => {
                Some("add `--weights linear`, `quadratic`, `ordinal` or a CSV file of weights".to_owned())
            }
            AnalysisError::NotOnStudy(_) => {
                Some("rate the units on a scale in a ratings file and use `thema agree --data FILE`".to_owned())
            }
            AnalysisError::CategoryFor(_) => Some(
                "`--category` asks for `--metric alpha` (or `unitized-alpha` with `--units`) of one category"
                    .to_owned(),
            ),
            AnalysisError::WeightsFor(_) => {
                Some("weights apply to `--metric cohen-kappa` and `--metric gwet-ac2`".to_owned())
            }
            AnalysisError::TooFewCoders(_) => {
                Some("a second coder codes the same documents with `--coder`, then `thema agree`".to_owned())
            }
            AnalysisError::NoSharedDocument { hinted: true, .. } => {
                Some("agreement is measured on documents every coder has coded; see `thema coders`".to_owned())
            }
            AnalysisError::UnknownKind(_) => Some("theme, sub-theme, category or code".to_owned()),
            AnalysisError::TooFewCodes { rolled_up: None, .. } => {
                Some("code more, or widen `--code`/`--where`".to_owned())
            }
            AnalysisError::TooFewCodes { rolled_up: Some(kind), .. } => Some(format!(
                "a code under no {} is left out: roll up to another kind, or leave out `--roll-up`",
                kind.name()
            )),
            AnalysisError::BadThreshold(_) => Some("write a share such as `5%`, `0.05` or `0`".to_owned()),
            AnalysisError::NoDate(_) => {
                Some("give dates at import (`--date`), or order by `import` or by a list of ids".to_owned())
            }
            AnalysisError::UnknownDocument(_) => Some("see `thema ls`".to_owned()),
            AnalysisError::DataFile { hint, .. } => hint.clone(),
            AnalysisError::Ratings(RatingsError::NotNumeric { level, .. }) if level == "weighted" => Some(
                "for labels in an order, use `--weights ordinal` and give the scale in order, as `--categories low,mid,high`"
                    .to_owned(),
            ),
            AnalysisError::NoParticipants => {
                Some("link speakers to participants with `thema link`, or widen `--doc`/`--kind`".to_owned())
            }
            AnalysisError::NoWaves => Some(
                "give each document its wave when importing it: `thema import FILE --wave 1` (`thema ls` shows them)"
                    .to_owned(),
            ),
            AnalysisError::UnknownWave { known, .. } => Some(format!(
                "the study's waves: {}",
                known.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            )),
            AnalysisError::UnknownParticipant(_) => Some("`thema participants` lists them".to_owned()),
            _ => None,
        }
    }
}

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnalysisError::Study(e)
            | AnalysisError::UnknownCoder { error: e, .. }
            | AnalysisError::UnknownDocument(e) => e.fmt(f),
            AnalysisError::Codebook(e) | AnalysisError::UnknownCode(e) => e.fmt(f),
            AnalysisError::Ratings(e) => e.fmt(f),
            AnalysisError::UnknownMetric { given, .. } => write!(f, "`{given}` is not a metric"),
            AnalysisError::CohenNeedsTwo(n) => write!(f, "Cohen's kappa compares two coders; the data has {n}"),
            AnalysisError::PairOnly { statistic, coders } => {
                write!(f, "{statistic} compares two coders; the data has {coders}")
            }
            AnalysisError::NeedsRaters(statistic) => write!(
                f,
                "{statistic} needs each rater's own ratings, and a table of counts (`--counts`) has no raters"
            ),
            AnalysisError::NeedsWeights => f.write_str("Gwet's AC2 is AC1 with agreement weights, and none were given"),
            AnalysisError::WeightsFor(metric) => write!(f, "`{metric}` takes no weights"),
            AnalysisError::CategoryFor(metric) => write!(f, "`{metric}` is not computed per category"),
            AnalysisError::NotOnStudy(metric) => write!(
                f,
                "{metric} compares numbers or ranks (or weighs categories), and a code on the study is applied (1) or not (0)"
            ),
            AnalysisError::TooManyCoders => {
                f.write_str("at most 64 coders can be compared at once; name them: `thema agree A B C`")
            }
            AnalysisError::TooFewCoders(n) => {
                write!(f, "agreement needs two coders; the study has {n} {}", if *n == 1 { "coder" } else { "coders" })
            }
            AnalysisError::NoSharedDocument { coders, .. } => {
                write!(f, "no document was coded by all of {}", coders.join(", "))
            }
            AnalysisError::UnknownKind(k) => write!(f, "`{k}` is not a kind of codebook entry"),
            AnalysisError::TooFewCodes { found, .. } => {
                write!(f, "co-occurrence needs two or more codes in use; found {found}")
            }
            AnalysisError::BadThreshold(t) => write!(f, "`{t}` is not a threshold"),
            AnalysisError::NoDate(id) => write!(f, "`{id}` has no date, so documents cannot be ordered by date"),
            AnalysisError::Saturation(e) => e.fmt(f),
            AnalysisError::NoParticipants => f.write_str("no participant speaks in the selected documents"),
            AnalysisError::NoWaves => f.write_str("no document of this study has a wave"),
            AnalysisError::UnknownWave { wave, .. } => write!(f, "no document is in wave {wave}"),
            AnalysisError::UnknownParticipant(p) => write!(f, "`{p}` is neither a participant id nor a pseudonym"),
            AnalysisError::DataFile { message, .. } => f.write_str(message),
            AnalysisError::Csv(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for AnalysisError {
    // The wrapped errors are shown in this error's place, so their causes are this error's.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AnalysisError::Study(e)
            | AnalysisError::UnknownCoder { error: e, .. }
            | AnalysisError::UnknownDocument(e) => e.source(),
            AnalysisError::Codebook(e) | AnalysisError::UnknownCode(e) => e.source(),
            AnalysisError::Ratings(e) => e.source(),
            AnalysisError::Csv(e) => e.source(),
            AnalysisError::DataFile { source, .. } => {
                source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
            }
            _ => None,
        }
    }
}

impl From<StudyError> for AnalysisError {
    fn from(e: StudyError) -> Self {
        AnalysisError::Study(e)
    }
}

impl From<CodebookError> for AnalysisError {
    fn from(e: CodebookError) -> Self {
        AnalysisError::Codebook(e)
    }
}

impl From<RatingsError> for AnalysisError {
    fn from(e: RatingsError) -> Self {
        AnalysisError::Ratings(e)
    }
}

impl thema_core::error::Hint for AnalysisError {
    fn hint(&self) -> Option<String> {
        AnalysisError::hint(self)
    }
}
