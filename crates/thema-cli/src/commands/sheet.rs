//! `thema sheet` and `thema apply`: coding in any text editor (the markup is documented in
//! `thema_core::sheet`).

use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use thema_core::sheet::write_sheet;
use thema_core::sheet_apply::SheetApplyError;
use thema_core::Study;

use crate::cli::{ApplyArgs, SheetArgs};
use crate::output::{count, hinted, shorten, with_hint};

pub(crate) fn sheet(study: &Study, coder: Option<String>, args: SheetArgs) -> Result<ExitCode> {
    let coder = super::coder(study, coder)?;
    let document = study.load_document(&args.document).map_err(|e| with_hint(e, "`thema ls` lists the documents"))?;
    let codebook = study.load_codebook()?;
    let codings = study.load_coder_codings(&coder)?;
    let text = write_sheet(&document, &codings, &codebook, &coder);
    match args.out {
        Some(path) => {
            thema_core::fsio::write_atomic(&path, text.as_bytes())?;
            eprintln!(
                "wrote {} ({} of {coder}); edit the [[...]] markup, then `thema apply {}`",
                path.display(),
                count(codings.iter().filter(|c| c.document == document.meta.id).count(), "coding", "codings"),
                path.display()
            );
        }
        None => {
            use std::io::Write;
            std::io::stdout().lock().write_all(text.as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn apply(study: &Study, args: ApplyArgs) -> Result<ExitCode> {
    let shown = args.sheet.display().to_string();
    let text = thema_core::fsio::read_regular(&args.sheet)
        .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
        .with_context(|| format!("cannot read `{shown}`"))?;
    let plan = thema_core::sheet_apply::plan(study, &text).map_err(|e| match e {
        SheetApplyError::Header(e) => anyhow!("`{shown}`: {e}"),
        SheetApplyError::Sheet(errors) => {
            let problems = errors.0.iter().map(|e| format!("`{shown}`: {e}")).collect::<Vec<_>>().join("\n");
            let error = SheetApplyError::Sheet(errors);
            let hint = error.hint().unwrap_or_default();
            with_hint(anyhow!("{error}\n{problems}"), hint)
        }
        e => hinted(e),
    })?;
    let codebook = study.load_codebook()?;
    let name = |id: &str| codebook.get(id).map_or(id.to_owned(), |e| e.name.clone());
    for c in &plan.added {
        println!("+ {}  “{}”", name(&c.code), shorten(&c.quote, 70));
    }
    if !plan.joins.is_empty() {
        let document = study.load_document(&plan.document)?;
        for j in &plan.joins {
            eprintln!(
                "{}",
                super::code::placed_message(&document, j.placed, j.start, &j.quote, &name(&j.code), &plan.coder)
            );
        }
    }
    for c in &plan.removed {
        println!("- {}  “{}”", name(&c.code), shorten(&c.quote, 70));
    }
    let (coder, doc_id) = (plan.coder.clone(), plan.document.clone());
    let summary = format!("{} to add, {} to remove for {coder} in `{doc_id}`", plan.added.len(), plan.removed.len());
    if args.dry_run {
        eprintln!("dry run: {summary}; nothing changed");
        return Ok(ExitCode::SUCCESS);
    }
    if plan.is_empty() {
        eprintln!("no changes: the sheet matches the codings of {coder} in `{doc_id}`");
        return Ok(ExitCode::SUCCESS);
    }
    plan.apply(study)?;
    eprintln!("applied: {summary}");
    Ok(ExitCode::SUCCESS)
}
