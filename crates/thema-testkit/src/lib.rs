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
