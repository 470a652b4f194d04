//! criterion benchmarks of thema (see `import.rs`, `codings.rs`, `search.rs` and BENCHMARKS.md).
//! The generator of large synthetic studies lives in `thema-testkit`, shared with the tests; it
//! is re-exported here for the benchmarks and the `generate` binary
//! (`cargo run --release -p thema-benches --bin generate -- DIR --turns N`).

pub use thema_testkit::synth::*;
