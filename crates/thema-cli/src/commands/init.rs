//! `thema init`.

use std::process::ExitCode;

use anyhow::Result;
use thema_core::Study;

use crate::cli::InitArgs;
use crate::output::with_hint;

pub(crate) fn run(args: InitArgs) -> Result<ExitCode> {
    let dir = args.dir.unwrap_or_else(|| ".".into());
    let name = match args.name {
        Some(name) => name,
        None => std::path::absolute(&dir)?
            .file_name()
            .map_or_else(|| "Untitled study".to_owned(), |n| n.to_string_lossy().into_owned()),
    };
    Study::init(&dir, &name).map_err(|e| with_hint(e, "choose another folder, or work in the existing study"))?;
    let shown = super::display(&dir);
    eprintln!("created study `{name}` in {shown}");
    eprintln!("next: `thema --study {shown} import TRANSCRIPTS...`, then `thema --study {shown} speakers`");
    Ok(ExitCode::SUCCESS)
}
