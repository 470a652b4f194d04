//! `thema report`: the team report, one self-contained HTML file, built by
//! `thema_publish::team_report`.

use std::process::ExitCode;

use anyhow::{anyhow, Result};
use thema_core::Study;
use thema_publish::team_report::{self, ReportError, ReportOptions};

use super::analysis::write_output;
use crate::cli::ReportArgs;

pub(crate) fn run(study: &Study, coders: &[String], args: ReportArgs) -> Result<ExitCode> {
    let set = super::coder_set(study, coders)?;
    let options = ReportOptions { codes: args.codes, quotes: args.quotes, memos: args.memos };
    let attribution = args.attribution.as_deref();
    let report = team_report::build(study, &set, attribution, &options).map_err(|e| match e {
        // The style is checked where quotes are attributed; said as every command says it.
        ReportError::Attribution(_) => super::attributor(study, attribution).err().unwrap_or_else(|| anyhow!(e)),
        e => e.into(),
    })?;
    let html = thema_publish::report::html(&report);
    write_output(&args.out, html.as_bytes(), &format!("the report ({} sections)", report.sections.len() + 1))?;
    Ok(ExitCode::SUCCESS)
}
