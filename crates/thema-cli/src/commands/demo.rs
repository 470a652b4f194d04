//! `thema demo`: placeholder until the example study lands.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::DemoArgs;

pub(crate) fn run(_args: DemoArgs) -> Result<ExitCode> {
    Ok(ExitCode::SUCCESS)
}
