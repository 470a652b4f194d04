//! The study model of thema: documents, turns, participants, codebook, codings and spans, and
//! the one module that reads and writes them ([`study`]).
//!
//! This crate depends on serde and little else, so that everything above it builds fast.

pub mod attribution;
pub mod check;
pub mod codebook;
pub mod codebook_change;
pub mod coders;
pub mod coding;
pub mod consensus;
pub mod docstats;
pub mod document;
pub mod error;
pub mod exemplar;
pub mod filter;
pub mod formats;
pub mod fsio;
pub mod history;
pub mod invivo;
pub mod layout;
pub mod link;
pub mod lock;
pub mod markup;
pub mod memo;
pub mod metacache;
pub mod outline;
pub mod parallel;
pub mod participant;
pub mod passage;
pub mod placements;
pub mod repair;
pub mod review;
pub mod revision;
pub mod schema;
pub mod segment;
pub mod settings;
pub mod sheet;
pub mod sheet_apply;
pub mod span;
pub mod study;
pub mod suggest;
pub mod table;
pub mod text;
pub mod timestamp;
pub mod transaction;
pub mod turncache;

pub use codebook::{Codebook, CodebookEntry, EntryKind, Relation};
pub use coding::Coding;
pub use document::{Document, DocumentMeta, DocumentStats, Source, Speaker, Turn, TurnId};
pub use error::StudyError;
pub use participant::{Participant, Participants};
pub use settings::{AttributeType, Settings};
pub use span::{Span, SpanError, TextIndex};
pub use study::Study;
pub use timestamp::Timestamp;
