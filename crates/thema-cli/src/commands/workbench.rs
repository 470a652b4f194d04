//! `thema workbench`: starts the coding workbench ([`thema_workbench`]) on the study.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, Result};

use crate::cli::WorkbenchArgs;
use crate::output::with_hint;

pub(crate) fn run(root: &Path, coder: Option<String>, args: WorkbenchArgs) -> Result<ExitCode> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(with_hint(
            anyhow!("`thema workbench` needs a terminal: its input or output is a pipe or a file"),
            "run it in a terminal window (or over `ssh -t`); `thema code` and `thema sheet` code from scripts",
        ));
    }
    let options = thema_workbench::Options {
        root: root.to_owned(),
        coder,
        document: args.document,
        lock_wait: super::lock_wait(),
        mouse: !args.no_mouse,
    };
    thema_workbench::run(options).map_err(|e| match e.hint() {
        Some(hint) => with_hint(e, hint),
        None => e.into(),
    })?;
    Ok(ExitCode::SUCCESS)
}
