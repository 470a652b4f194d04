//! Support for thema's tests and benchmarks: synthetic studies ([`synth`]) and [`skip`], the one
//! way a test says it could not run.

pub mod synth;

use std::fmt::Display;
use std::io::Write as _;

/// Say, where a person running `cargo test` sees it, that the current test could not do its work
/// (a tool or the shared corpora missing), then return so the test can end.
///
/// `cargo test` captures what a passing test prints with `println!` and `eprintln!`, so a skip
/// reported that way is silent. This writes to the process's standard error directly, which the
/// capture does not intercept, as `SKIP <test>: <reason>`; `.ci/run` counts these lines in its
/// closing line.
pub fn skip(reason: impl Display) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    // On a line of its own even when libtest has begun a `test ... ok` line on standard output.
    let line = format!("\nSKIP {test}: {reason}\n");
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// A document `id` of kind `interview` with `text` and its turns, each `(speaker, start, end)`
/// in code points; the speaker `I` is the interviewer, the others are speakers not linked to a
/// participant. The small fixture many library tests write by hand.
pub fn interview(id: &str, text: &str, turns: &[(&str, usize, usize)]) -> thema_core::Document {
    use thema_core::{Document, DocumentMeta, Span, Speaker, Turn};
    let mut meta = DocumentMeta::new(id, "interview");
    for (label, _, _) in turns {
        if !meta.speakers.iter().any(|s| s.label == *label) {
            meta.speakers.push(Speaker { label: (*label).into(), participant: None, interviewer: *label == "I" });
        }
    }
    let turns = turns
        .iter()
        .zip(1..)
        .map(|(&(speaker, start, end), number)| Turn {
            number,
            speaker: Some(speaker.into()),
            span: Span { start, end },
            time_start: None,
            time_end: None,
        })
        .collect();
    Document { meta, text: text.into(), turns }
}
