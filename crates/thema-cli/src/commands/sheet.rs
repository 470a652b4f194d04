//! `thema sheet` and `thema apply`: coding in any text editor (the markup is documented in
//! `thema_core::sheet`).

use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use thema_core::coding::{now, place, Placed};
use thema_core::sheet::{header, read_sheet, write_sheet};
use thema_core::{Coding, Study};

use crate::cli::{ApplyArgs, SheetArgs};
use crate::output::{count, shorten, with_hint};

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
    let (doc_id, coder, _) = header(&text).map_err(|e| anyhow!("`{shown}`: {e}"))?;
    let document = study
        .load_document(&doc_id)
        .map_err(|e| with_hint(e, "the sheet names a document this study does not have"))?;
    let codebook = study.load_codebook()?;
    let sheet = read_sheet(&text, &document, Some(&codebook)).map_err(|errors| {
        let problems = errors.0.iter().map(|e| format!("`{shown}`: {e}")).collect::<Vec<_>>().join("\n");
        with_hint(
            anyhow!("{} in the sheet; nothing was applied\n{problems}", count(errors.0.len(), "problem", "problems")),
            "the header's `%% codes:` line lists the code ids; a new code is added with `thema codebook add NAME --id ID`",
        )
    })?;
    let existing = study.load_coder_codings(&coder)?;
    let (mine, others): (Vec<Coding>, Vec<Coding>) =
        existing.into_iter().partition(|c| c.document == doc_id && !c.unplaced);
    let in_sheet = |c: &Coding| sheet.segments.iter().any(|s| s.code == c.code && s.span == c.span());
    let removed: Vec<&Coding> = mine.iter().filter(|c| !in_sheet(c)).collect();
    let time = now();
    let mut added = Vec::new();
    for s in &sheet.segments {
        if !mine.iter().any(|c| c.code == s.code && c.span() == s.span) {
            added.push(Coding::new(&document, s.span, &s.code, &coder, &time)?);
        }
    }
    let name = |id: &str| codebook.get(id).map_or(id.to_owned(), |e| e.name.clone());
    for c in &added {
        println!("+ {}  “{}”", name(&c.code), shorten(&c.quote, 70));
    }
    // One coding a passage a code a coder: an added segment that overlaps or touches another of
    // its code (kept, or added before it) is joined with it.
    let mut placed: Vec<Coding> = mine.iter().filter(|c| in_sheet(c)).cloned().collect();
    for c in added.iter().cloned() {
        let (start, quote, code) = (c.start, c.quote.clone(), c.code.clone());
        let how = place(&mut placed, c, &document)?;
        if how != Placed::Added {
            eprintln!("{}", super::code::placed_message(&document, how, start, &quote, &name(&code), &coder));
        }
    }
    for c in &removed {
        println!("- {}  “{}”", name(&c.code), shorten(&c.quote, 70));
    }
    let summary = format!("{} to add, {} to remove for {coder} in `{doc_id}`", added.len(), removed.len());
    if args.dry_run {
        eprintln!("dry run: {summary}; nothing changed");
        return Ok(ExitCode::SUCCESS);
    }
    if added.is_empty() && removed.is_empty() {
        eprintln!("no changes: the sheet matches the codings of {coder} in `{doc_id}`");
        return Ok(ExitCode::SUCCESS);
    }
    let all: Vec<Coding> = others.into_iter().chain(placed).collect();
    study.save_coder_codings(&coder, &all)?;
    eprintln!("applied: {summary}");
    Ok(ExitCode::SUCCESS)
}
