//! Statistics of a thema study, each documented with its formula and reference and checked
//! against published values: intercoder agreement ([`agreement`], [`unitizing`]).

pub mod agreement;
pub mod alluvial;
mod choice;
pub mod coded;
pub mod cooccur;
pub mod data_files;
pub mod document_blocks;
pub mod matrix;
pub mod participants;
pub mod saturation;
pub mod segment_list;
pub mod study_agreement;
pub mod study_cooccurrence;
pub mod study_saturation;
pub mod trajectories;
pub mod unitizing;
pub mod waves;

mod error;
pub use error::AnalysisError;

/// A statistic that has no value for the data, and why (instead of NaN).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{0}")]
pub struct Undefined(pub String);

impl Undefined {
    pub(crate) fn new(why: impl Into<String>) -> Self {
        Undefined(why.into())
    }
}
