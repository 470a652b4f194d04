//! criterion benchmarks of thema; see `import.rs` and BENCHMARKS.md.
