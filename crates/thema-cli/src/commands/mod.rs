//! One module a subcommand; `dispatch` routes to them.

mod agree;
mod analysis;
mod audit;
mod check;
mod code;
mod codebook;
mod deidentify;
mod demo;
mod import;
mod init;
mod log;
mod ls;
mod memo;
mod participants;
mod publish;
mod refi;
mod report;
mod search;
mod segments;
mod sheet;
mod show;
mod speakers;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use thema_core::Study;

use crate::cli::{Cli, Command};
use crate::output::with_hint;

/// Run a parsed command line.
pub(crate) fn dispatch(cli: Cli) -> Result<ExitCode> {
    let study = cli.study;
    let coder = cli.coder;
    match cli.command {
        Command::Init(args) => init::run(args),
        Command::Import(args) => import::run(&open(study)?, args),
        Command::Ls(args) => ls::run(&open(study)?, args),
        Command::Show(args) => show::run(&open(study)?, args),
        Command::Speakers(args) => speakers::run(&open(study)?, args),
        Command::Link(args) => speakers::link(open(study)?, args),
        Command::Participants(command) => participants::run(open(study)?, command),
        Command::Codebook(args) => codebook::run(&open(study)?, coder, args),
        Command::Relate(args) => codebook::relate(&open(study)?, coder, args),
        Command::Code(args) => code::code(&open(study)?, coder, args),
        Command::Invivo(args) => code::invivo(&open(study)?, coder, args),
        Command::Sheet(args) => sheet::sheet(&open(study)?, coder, args),
        Command::Apply(args) => sheet::apply(&open(study)?, args),
        Command::Segments(args) => segments::run(&open(study)?, args),
        Command::Memo(command) => memo::run(&open(study)?, coder, command),
        Command::Coders(args) => log::coders(&open(study)?, args),
        Command::MergeCoders(args) => log::merge_coders(&open(study)?, args),
        Command::Log(args) => log::log(&open(study)?, args),
        Command::Search(args) => search::search(&open(study)?, coder, args),
        Command::Kwic(args) => search::kwic(&open(study)?, args),
        Command::Similar(args) => search::similar(&open(study)?, args),
        Command::Words(args) => search::words(&open(study)?, args),
        Command::Agree(args) => {
            if args.data.is_some() || args.units.is_some() {
                agree::run(None, args)
            } else {
                agree::run(Some(&open(study)?), args)
            }
        }
        Command::Saturation(args) => analysis::saturation(&open(study)?, args),
        Command::Cooccur(args) => analysis::cooccur(&open(study)?, args),
        Command::Matrix(args) => analysis::matrix(&open(study)?, args),
        Command::Exemplar(args) => publish::exemplar(&open(study)?, coder, args),
        Command::Export(args) => publish::export(&open(study)?, args),
        Command::Audit(args) => audit::run(study, args),
        Command::Deidentify(args) => deidentify::run(open(study)?, coder, args),
        Command::ImportCodebook(args) => refi::import_codebook(&open(study)?, coder, args),
        Command::ImportProject(args) => refi::import_project(args),
        Command::Map(args) => publish::map(&open(study)?, args),
        Command::Report(args) => report::run(&open(study)?, args),
        Command::Check(args) => check::run(&find(study)?, args),
        Command::Demo(args) => demo::run(args),
    }
}

/// The study folder: `--study`, or the nearest folder at or above the current one.
fn find(study: Option<PathBuf>) -> Result<PathBuf> {
    let start = study.unwrap_or_else(|| PathBuf::from("."));
    Study::discover(&start).map_err(|e| with_hint(e, "run `thema init` to create a study, or pass `--study DIR`"))
}

/// Open the study for a command.
fn open(study: Option<PathBuf>) -> Result<Study> {
    let root = find(study)?;
    Study::open(&root).map_err(|e| with_hint(e, "run `thema check` to see every problem with the study"))
}

/// The coder for a command: `--coder` / `THEMA_CODER`, else the study's `default_coder`.
fn coder(study: &Study, given: Option<String>) -> Result<String> {
    let coder = given.or_else(|| study.settings.default_coder.clone()).ok_or_else(|| {
        with_hint(
            anyhow::anyhow!("who is coding?"),
            "pass `--coder INITIALS`, set `THEMA_CODER`, or put `default_coder = \"...\"` in `thema.toml`",
        )
    })?;
    if !thema_core::coding::is_valid_coder(&coder) {
        return Err(with_hint(
            anyhow::anyhow!("`{coder}` is not a coder id"),
            "use lowercase letters, digits, `-`, `_` or `.` (it names a file in `codings/`)",
        ));
    }
    Ok(coder)
}

/// A path for messages: relative to the current folder when it is inside it.
fn display(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()).unwrap_or(path);
    let s = shown.display().to_string();
    if s.is_empty() {
        ".".to_owned()
    } else {
        s
    }
}
