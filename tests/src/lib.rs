//! Tests of thema on real transcripts and hostile input; see `corpora.rs` and `hostile.rs`.
