//! `thema check`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use thema_core::check::{check_study, Severity};

use crate::cli::CheckArgs;
use crate::output::{count, print_json, EXIT_PROBLEMS};

pub(crate) fn run(root: &Path, args: CheckArgs) -> Result<ExitCode> {
    let problems = check_study(root);
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    let warnings = problems.len() - errors;
    if args.json {
        print_json(&problems)?;
    } else {
        let mut out = std::io::stdout().lock();
        for problem in &problems {
            writeln!(out, "{problem}")?;
        }
        let verdict = if errors == 0 { "the study is consistent" } else { "the study has errors" };
        writeln!(
            std::io::stderr(),
            "{verdict}: {}, {}",
            count(errors, "error", "errors"),
            count(warnings, "warning", "warnings")
        )?;
    }
    Ok(if errors > 0 { ExitCode::from(EXIT_PROBLEMS) } else { ExitCode::SUCCESS })
}
