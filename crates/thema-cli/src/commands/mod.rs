//! One module a subcommand; `dispatch` routes to them.

mod agree;
mod analysis;
mod audit;
mod check;
mod code;
mod codebook;
mod deidentify;
mod demo;
mod history;
mod import;
mod init;
mod log;
mod ls;
mod memo;
mod participants;
mod publish;
mod refi;
mod report;
mod review;
mod search;
mod segments;
mod sheet;
mod show;
mod speakers;
mod waves;
mod workbench;

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use thema_core::lock::{Access, StudyLock};
use thema_core::{Study, StudyError};

use crate::cli::{Cli, Command};
use crate::output::with_hint;

/// `--where` conditions, each key checked against the study's participant columns and document
/// fields.
pub(crate) fn wheres(study: &Study, given: &[String]) -> Result<Vec<thema_core::filter::Where>> {
    thema_core::filter::parse_all(study, given).map_err(|e| {
        with_hint(
            anyhow::anyhow!(e),
            "write `--where role=\"Peer Mentor\"` or `--where wave=2`; `thema participants` and `thema ls` show the values",
        )
    })
}

/// `--where` conditions and `--wave N` (repeated: any of the waves), as one list.
pub(crate) fn conditions(study: &Study, given: &[String], waves: &[u32]) -> Result<Vec<thema_core::filter::Where>> {
    let mut conditions = wheres(study, given)?;
    if !waves.is_empty() {
        thema_analysis::waves::chosen_waves(study, waves).map_err(crate::output::hinted)?;
    }
    conditions.extend(thema_core::filter::Where::waves(waves));
    Ok(conditions)
}

/// The attribution style given, else the study's (`attribution` in `thema.toml`), else
/// `pseudonym-role`.
pub(crate) fn attributor<'a>(study: &'a Study, given: Option<&str>) -> Result<thema_core::attribution::Attributor<'a>> {
    thema_core::attribution::Attributor::of_study(study, given).map_err(|e| {
        with_hint(
            anyhow::anyhow!(e),
            "a preset (`pseudonym-role`, `id`, `participant-number`, `role`, `none`) or a template like \
             `-{pseudonym}, {role}, wave {wave}`; see docs/attribution.md",
        )
    })
}

/// Run a parsed command line.
pub(crate) fn dispatch(cli: Cli) -> Result<ExitCode> {
    let mut session = Session { study: cli.study.clone(), access: access(&cli.command), lock: None, transaction: None };
    let s = &mut session;
    let study = cli.study;
    let coder = cli.coder;
    let coders = cli.coders;
    if !coders.is_empty() && !counts_codings(&cli.command) {
        return Err(with_hint(
            anyhow::anyhow!("`--coders` chooses whose codings a command counts, and this command counts none"),
            "use it with codebook, segments, cooccur, matrix, trajectories, saturation, agree, exemplar, export, report, review or coders; \
             `--coder` says who is coding",
        ));
    }
    let coders = &coders[..];
    let result = match cli.command {
        Command::Init(args) => init::run(args),
        Command::Import(args) => import::run(&s.open()?, args),
        Command::Ls(args) => ls::run(&s.open()?, args),
        Command::Show(args) => show::run(&s.open()?, coder, args),
        Command::Speakers(args) => speakers::run(&s.open()?, args),
        Command::Link(args) => speakers::link(s.open()?, args),
        Command::Participants(command) => participants::run(s.open()?, command),
        Command::Codebook(args) => codebook::run(&s.open()?, coder, coders, args),
        Command::Relate(args) => codebook::relate(&s.open()?, coder, args),
        Command::Code(args) => code::code(&s.open()?, coder, args),
        Command::Invivo(args) => code::invivo(&s.open()?, coder, args),
        Command::Uncode(args) => code::uncode(&s.open()?, coder, args),
        Command::Undo => history::undo(&s.lock()?),
        Command::Redo => history::redo(&s.lock()?),
        Command::Workbench(args) => workbench::run(&s.lock()?, coder, args),
        Command::History(args) => history::list(&s.lock()?, args),
        Command::Sheet(args) => sheet::sheet(&s.open()?, coder, args),
        Command::Apply(args) => sheet::apply(&s.open()?, args),
        Command::Segments(args) => segments::run(&s.open()?, coders, args),
        Command::Memo(command) => memo::run(&s.open()?, coder, command),
        Command::Coders(args) => log::coders(&s.open()?, coders, args),
        Command::MergeCoders(args) => log::merge_coders(&s.open()?, args),
        Command::Log(args) => log::log(&s.open()?, args),
        Command::Search(args) => search::search(&s.open()?, coder, args),
        Command::Kwic(args) => search::kwic(&s.open()?, args),
        Command::Similar(args) => search::similar(&s.open()?, args),
        Command::Words(args) => search::words(&s.open()?, args),
        Command::Agree(args) => {
            if uses_no_study(&args) {
                agree::run(None, coders, args)
            } else {
                agree::run(Some(&s.open()?), coders, args)
            }
        }
        Command::Saturation(args) => analysis::saturation(&s.open()?, coders, args),
        Command::Cooccur(args) => analysis::cooccur(&s.open()?, coders, args),
        Command::Matrix(args) => analysis::matrix(&s.open()?, coders, args),
        Command::Waves(args) => waves::waves(&s.open()?, args),
        Command::Trajectories(args) => waves::trajectories(&s.open()?, coders, args),
        Command::Exemplar(args) => publish::exemplar(&s.open()?, coder, coders, args),
        Command::Export(args) => publish::export(&s.open()?, coders, args),
        Command::Audit(args) => audit::run(study, args),
        Command::Deidentify(args) => deidentify::run(s.open()?, coder, args),
        Command::ImportCodebook(args) => refi::import_codebook(&s.open()?, coder, args),
        Command::ImportProject(args) => refi::import_project(args),
        Command::Map(args) => publish::map(&s.open()?, args),
        Command::Report(args) => report::run(&s.open()?, coders, args),
        Command::Review(args) => review::run(&s.open()?, coder, coders, args),
        Command::Check(args) => check::run(s, coder, args),
        Command::Demo(args) => demo::run(args),
        Command::Completions(args) => completions(&args.shell),
        Command::Man(args) => {
            let written = crate::help::write_man_pages(&args.out)?;
            eprintln!("wrote {written} man pages to {}", args.out.display());
            eprintln!("hint: put the folder's parent on MANPATH, then `man thema-code`");
            Ok(ExitCode::SUCCESS)
        }
    };
    session.finish(result)
}

/// `thema completions SHELL`: the registration script, on stdout.
fn completions(shell: &str) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    crate::completion::write_script(shell, &mut out)
        .map_err(|e| with_hint(e, "the README says how to install the script for each shell"))?;
    Ok(ExitCode::SUCCESS)
}

/// Commands that count, list, export or report codings, and so take `--coders`.
fn counts_codings(command: &Command) -> bool {
    matches!(
        command,
        Command::Codebook(_)
            | Command::Segments(_)
            | Command::Coders(_)
            | Command::Agree(_)
            | Command::Saturation(_)
            | Command::Cooccur(_)
            | Command::Matrix(_)
            | Command::Trajectories(_)
            | Command::Exemplar(_)
            | Command::Export(_)
            | Command::Report(_)
            | Command::Review(crate::cli::ReviewArgs { command: None, .. })
    )
}

/// `thema agree --data FILE` or `--units FILE` works on a file, not on a study.
fn uses_no_study(args: &crate::cli::AgreeArgs) -> bool {
    args.data.is_some() || args.units.is_some()
}

/// What a closed standard output does to this command: one that only reads and prints stops,
/// as `head` expects; one that may change the study (or make one), or writes a file, finishes
/// its work. A closed standard error stops no command (see [`crate::output::Relay`]).
pub(crate) fn when_closed(command: &Command) -> crate::output::WhenClosed {
    match access(command) {
        Use::Read if !writes_a_file(command) => crate::output::WhenClosed::Stop,
        _ => crate::output::WhenClosed::Finish,
    }
}

/// Commands that hold a whole study's quotes on the way to a large output (the exports, the
/// report and the review page, the framework matrix): they give freed memory back at once, which
/// keeps them under 1 GB on 10,000 documents; the others keep mimalloc's delay, which is faster
/// for short commands (`thema_alloc`, BENCHMARKS.md "Speed round two, all of it").
pub(crate) fn builds_a_large_output(command: &Command) -> bool {
    match command {
        Command::Export(_) | Command::Report(_) => true,
        Command::Review(args) => args.command.is_none(),
        Command::Matrix(args) => args.framework,
        _ => false,
    }
}

/// Commands that write a file besides what they print: a closed pipe must not cost the file.
fn writes_a_file(command: &Command) -> bool {
    match command {
        Command::Export(_) | Command::Report(_) => true,
        Command::Review(args) => args.command.is_none(),
        Command::Sheet(args) => args.out.is_some(),
        Command::Map(args) => args.out.is_some(),
        Command::Saturation(args) => args.chart.is_some(),
        Command::Cooccur(args) => args.heatmap.is_some() || args.graphml.is_some() || args.dot.is_some(),
        Command::Matrix(args) => args.out.is_some() || args.bars.is_some(),
        Command::Trajectories(args) => args.out.is_some() || args.chart.is_some(),
        _ => false,
    }
}

/// How a command uses its study.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Not at all, or it locks for itself (a new study, files outside any study).
    Alone,
    /// Reads it: shares the lock with other readers.
    Read,
    /// Changes it: holds the lock alone, and writes all its changes as one batch at the end.
    Write,
    /// Reads it and writes derived data only (the search index): holds the lock alone, but
    /// reads a study that cannot be written without it, as [`Use::Read`] does.
    Index,
}

/// Whether a command reads or writes the study. Commands that search write the index; listings
/// of commands that can also change things only read.
fn access(command: &Command) -> Use {
    use crate::cli::{MemoCommand, ParticipantsCommand};
    match command {
        Command::Init(_)
        | Command::Demo(_)
        | Command::ImportProject(_)
        | Command::Audit(_)
        | Command::Completions(_)
        | Command::Man(_)
        // It locks the study for each read and each change, so other commands run meanwhile.
        | Command::Workbench(_) => Use::Alone,
        Command::Agree(args) if uses_no_study(args) => Use::Alone,
        Command::Ls(_)
        | Command::Show(_)
        | Command::Speakers(_)
        | Command::Sheet(_)
        | Command::Segments(_)
        | Command::Coders(_)
        | Command::Log(_)
        | Command::Agree(_)
        | Command::Saturation(_)
        | Command::Cooccur(_)
        | Command::Matrix(_)
        | Command::Waves(_)
        | Command::Trajectories(_)
        | Command::Export(_)
        | Command::Map(_)
        | Command::Report(_) => Use::Read,
        Command::Check(args) if !args.fix && !args.discard_interrupted => Use::Read,
        Command::History(args) if !args.clear => Use::Read,
        Command::Codebook(args) if args.command.is_none() => Use::Read,
        Command::Participants(ParticipantsCommand::List { .. }) => Use::Read,
        Command::Memo(command) if !matches!(command, MemoCommand::Add { .. }) => Use::Read,
        Command::Exemplar(args) if args.code.is_none() => Use::Read,
        Command::Review(crate::cli::ReviewArgs {
            command: None | Some(crate::cli::ReviewCommand::List { .. }),
            ..
        }) => Use::Read,
        Command::Deidentify(args) if args.dry_run || args.review => Use::Read,
        Command::Search(args) if args.autocode.is_none() => Use::Index,
        Command::Kwic(_) | Command::Words(_) | Command::Similar(_) => Use::Index,
        _ => Use::Write,
    }
}

/// A command's hold on its study: the lock, taken before the study is read, and for commands
/// that change it, the transaction their writes wait in.
struct Session {
    study: Option<PathBuf>,
    access: Use,
    lock: Option<StudyLock>,
    transaction: Option<thema_core::study::Transaction>,
}

impl Session {
    /// Find and lock the study, without reading it.
    fn lock(&mut self) -> Result<PathBuf> {
        self.lock_with(true)
    }

    /// Find and lock the study; `mending`: finish an interrupted change first (see
    /// [`StudyLock::acquire_as_is`] for when not).
    fn lock_with(&mut self, mending: bool) -> Result<PathBuf> {
        let root = find(self.study.clone())?;
        if self.lock.is_none() && self.access != Use::Alone {
            let access = if self.access == Use::Read { Access::Shared } else { Access::Exclusive };
            self.lock = match acquire(&root, access, mending) {
                Ok(lock) => Some(lock),
                // A study on read-only media can be read without a lock: nobody can write it.
                Err(StudyError::Io { source, .. }) if is_read_only(&source) && self.access != Use::Write => {
                    if mending {
                        refuse_interrupted(&root)?;
                    }
                    None
                }
                Err(StudyError::Io { source, .. }) if is_read_only(&source) => {
                    return Err(with_hint(
                        anyhow::anyhow!(
                            "the study `{}` is read-only: `thema {}` changes it, so it cannot run here",
                            display(&root),
                            subcommand()
                        ),
                        "copy the study to a folder you can write (`cp -r`), or ask its owner for write access",
                    ))
                }
                Err(e) => return Err(lock_hint(e)),
            };
            if let Some(message) = import::interrupted_import(&root) {
                eprintln!("{message}");
            }
        }
        Ok(root)
    }

    /// Lock and open the study.
    fn open(&mut self) -> Result<Study> {
        let root = self.lock()?;
        let study =
            Study::open(&root).map_err(|e| with_hint(e, "run `thema check` to see every problem with the study"))?;
        if self.access == Use::Write && self.transaction.is_none() {
            let transaction = study.begin();
            transaction.record(command_line());
            self.transaction = Some(transaction);
        }
        Ok(study)
    }

    /// After the command: write its changes if it succeeded, discard them if it failed.
    fn finish(mut self, result: Result<ExitCode>) -> Result<ExitCode> {
        let code = result?;
        if let Some(transaction) = self.transaction.take() {
            transaction.commit().map_err(|e| {
                with_hint(
                    anyhow::Error::new(e).context("could not write the changes"),
                    "nothing reported above was saved: the study is as it was before this command",
                )
            })?;
        }
        Ok(code)
    }
}

/// The command line as typed, for the history: `thema` and the arguments, quoted where a shell
/// would need it, on one line.
fn command_line() -> String {
    let args: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    crate::shell::shell_line(&args)
}

/// How long a command waits for another thema process to finish with the study:
/// `THEMA_LOCK_WAIT` seconds, 60 by default.
pub(crate) fn lock_wait() -> Duration {
    std::env::var("THEMA_LOCK_WAIT")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(Duration::from_secs(60), Duration::from_secs_f64)
}

/// Take the study's lock, saying so if another process holds it.
pub(crate) fn lock_study(root: &Path, access: Access) -> Result<StudyLock> {
    acquire(root, access, true).map_err(lock_hint)
}

fn acquire(root: &Path, access: Access, mending: bool) -> Result<StudyLock, StudyError> {
    let holder = format!("`thema {}`", subcommand());
    let waiting = |who: &str| eprintln!("waiting for {who} to finish with this study...");
    if mending {
        StudyLock::acquire(root, access, lock_wait(), &holder, waiting)
    } else {
        StudyLock::acquire_as_is(root, access, lock_wait(), &holder, waiting)
    }
}

/// The subcommand of this process's command line, without its arguments (they can hold memo
/// text or a key's path).
fn subcommand() -> String {
    // The global options that take a value, whose value is no subcommand.
    let mut args = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--study" | "-C" | "--coder" | "--coders" => {
                args.next();
            }
            a if a.starts_with('-') => {}
            a => return a.chars().map(|c| if c.is_control() { ' ' } else { c }).collect(),
        }
    }
    String::new()
}

/// Whether an error opening the lock means the study cannot be written here.
fn is_read_only(error: &std::io::Error) -> bool {
    matches!(error.kind(), ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem)
}

/// A study that cannot be written and holds an interrupted change would be read half old, half
/// new: say so and what the change touches, rather than read it.
fn refuse_interrupted(root: &Path) -> Result<()> {
    let Some(change) = thema_core::fsio::interrupted(root).map_err(lock_hint)? else { return Ok(()) };
    if change.pending.is_empty() {
        return Ok(());
    }
    let files: Vec<String> = change.pending.iter().map(|p| format!("`{p}`")).collect();
    Err(with_hint(
        anyhow::anyhow!(
            "the study `{}` is read-only and holds an interrupted change that still has to write {}: \
             read now, it would be half old, half new",
            display(root),
            files.join(", ")
        ),
        "copy the study to a folder you can write (or make it writable) and run `thema check --fix` there to \
         finish the change",
    ))
}

fn lock_hint(error: StudyError) -> anyhow::Error {
    let hint = match &error {
        StudyError::Locked { .. } => {
            "another thema process is using the study; run the command again when it is done, \
             or set THEMA_LOCK_WAIT=SECONDS to wait longer"
        }
        StudyError::InterruptedChange { .. } => {
            "to keep the files as they are now and drop the rest of the interrupted change, run \
             `thema check --discard-interrupted`; `thema check` shows the details"
        }
        StudyError::Parse { path, .. } if path.ends_with(thema_core::fsio::JOURNAL) => {
            "`thema check` still runs; `thema check --discard-interrupted` removes the journal (the study files \
             stay as they are now)"
        }
        _ => "thema keeps its lock and derived data in `.thema/` inside the study",
    };
    with_hint(error, hint)
}

/// The study folder: `--study`, or the nearest folder at or above the current one.
fn find(study: Option<PathBuf>) -> Result<PathBuf> {
    let start = study.unwrap_or_else(|| PathBuf::from("."));
    Study::discover(&start).map_err(|e| with_hint(e, "run `thema init` to create a study, or pass `--study DIR`"))
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

/// The coder set `--coders` names (or the study's default), with a line on stderr saying whose
/// codings the command uses.
fn coder_set(study: &Study, named: &[String]) -> Result<thema_core::coders::CoderSet> {
    let set = study.coder_set(named).map_err(|e| {
        with_hint(e, "`thema coders` lists the coders; name them with `--coders hp,mk` or a consensus set")
    })?;
    eprintln!("codings of {} ({})", set.describe(), set.reason());
    Ok(set)
}

/// A path for messages: relative to the current folder when it is inside it.
fn display(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()).unwrap_or(path);
    // Control characters in a file name would reach the terminal: shown escaped (`\u{1b}`).
    let s: String = shown
        .display()
        .to_string()
        .chars()
        .map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() })
        .collect();
    if s.is_empty() {
        ".".to_owned()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use clap::FromArgMatches;

    fn large(words: &[&str]) -> bool {
        let matches = crate::help::command().try_get_matches_from(words).unwrap();
        super::builds_a_large_output(&crate::cli::Cli::from_arg_matches(&matches).unwrap().command)
    }

    #[test]
    fn exports_the_report_the_review_page_and_the_framework_matrix_purge_at_once() {
        assert!(large(&["thema", "export", "qdpx", "--out", "s.qdpx"]));
        assert!(large(&["thema", "report", "--out", "r.html"]));
        assert!(large(&["thema", "review", "--out", "review.html"]));
        assert!(large(&["thema", "matrix", "--framework"]));
        // Short commands keep mimalloc's delay: it is what makes them fast.
        assert!(!large(&["thema", "matrix", "--by", "role"]));
        assert!(!large(&["thema", "codebook"]));
        assert!(!large(&["thema", "review", "list"]));
        assert!(!large(&["thema", "segments", "hope"]));
    }
}
