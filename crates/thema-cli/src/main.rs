//! `thema`: qualitative thematic analysis of interview and focus-group transcripts from the
//! command line, on a plain-text study that lives in git.
//!
//! # Pipeline
//!
//! - **Ingest** ([`thema_ingest`]): transcripts in text, Markdown, WebVTT, SRT, SBV, DOCX, ODT,
//!   CSV or JSON become documents of speaker turns.
//! - **Study** ([`thema_core`]): documents, participants, codebook and codings on disk, written
//!   atomically and canonically; `thema check` validates it all.
//!
//! This crate only parses arguments, calls the libraries and prints; it decides nothing a
//! library could decide.

mod cli;
mod commands;
mod completion;
mod help;
mod output;
mod shell;

use std::process::ExitCode;

use clap::FromArgMatches;

/// mimalloc instead of the system's allocator (`thema_alloc`): the counting commands make and free
/// millions of small strings, and glibc's `malloc` and `free` were about a third of their time on
/// a study of 2,000 documents (BENCHMARKS.md). Commands that build a large output have it return
/// freed memory at once ([`commands::builds_a_large_output`]).
#[global_allocator]
static ALLOCATOR: thema_alloc::MiMalloc = thema_alloc::MiMalloc;

fn main() -> ExitCode {
    // A shell asking for Tab candidates gets them, and nothing else runs.
    completion::complete_if_asked();
    if help::print_topic_if_asked() {
        return ExitCode::SUCCESS;
    }
    let args = cli::Cli::from_arg_matches(&help::command().get_matches()).unwrap_or_else(|e| e.exit());
    if commands::builds_a_large_output(&args.command) {
        thema_alloc::purge_at_once();
    }
    let relay = output::Relay::start(commands::when_closed(&args.command));
    // A panic is a bug; its message (printed by the hook) still reaches stderr through the relay.
    let code = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| commands::dispatch(args))) {
        Ok(Ok(code)) => code,
        Ok(Err(error)) => output::report_error(&error),
        Err(_) => ExitCode::from(101),
    };
    relay.finish();
    code
}
