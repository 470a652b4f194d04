//! Printing: tables, JSON, wrapped text, errors with hints.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;

/// Exit code for "ran, and found problems" (`thema check`).
pub(crate) const EXIT_PROBLEMS: u8 = 1;
/// Exit code for errors.
pub(crate) const EXIT_ERROR: u8 = 2;

/// An error with a hint for the user, shown after the error and its causes.
#[derive(Debug)]
pub(crate) struct Hinted {
    error: anyhow::Error,
    hint: String,
}

impl std::fmt::Display for Hinted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)
    }
}

impl std::error::Error for Hinted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.chain().nth(1)
    }
}

/// Attach a hint to an error.
pub(crate) fn with_hint(error: impl Into<anyhow::Error>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Hinted { error: error.into(), hint: hint.into() })
}

/// A library error as printed: its message and causes, then its hint ([`thema_core::error::Hint`]).
pub(crate) fn hinted<E>(error: E) -> anyhow::Error
where
    E: thema_core::error::Hint + std::error::Error + Send + Sync + 'static,
{
    match error.hint() {
        Some(hint) => with_hint(error, hint),
        None => error.into(),
    }
}

/// Notes that may repeat (the same remark about many lines of a file), printed on stderr
/// summarised: a remark made more than [`Notes::SHOWN`] times is printed once with its count
/// and its first places, unless every one is asked for (`--verbose`).
#[derive(Debug, Default)]
pub(crate) struct Notes {
    /// Each remark, in the order first made, with the places it was made at.
    remarks: Vec<(String, Vec<String>)>,
}

impl Notes {
    /// How many places of one remark are printed before it is summarised.
    pub(crate) const SHOWN: usize = 3;

    /// Note `remark` about `place` (a file and line, a document, a turn).
    pub(crate) fn add(&mut self, place: impl Into<String>, remark: impl Into<String>) {
        let remark = remark.into();
        match self.remarks.iter_mut().find(|(r, _)| *r == remark) {
            Some((_, places)) => places.push(place.into()),
            None => self.remarks.push((remark, vec![place.into()])),
        }
    }

    /// The lines to print: `PLACE: REMARK` each (`REMARK` for an empty place), or for a
    /// remark made more than [`Notes::SHOWN`] times and not `verbose`,
    /// `REMARK: N times, at A, B, C and N-3 more (`--verbose` lists all)`.
    pub(crate) fn lines(&self, verbose: bool) -> Vec<String> {
        let mut lines = Vec::new();
        for (remark, places) in &self.remarks {
            if verbose || places.len() <= Self::SHOWN {
                lines.extend(
                    places.iter().map(|p| if p.is_empty() { remark.clone() } else { format!("{p}: {remark}") }),
                );
            } else {
                lines.push(format!(
                    "{remark}: {} times, at {} and {} more (`--verbose` lists all)",
                    thousands(places.len()),
                    places[..Self::SHOWN].join(", "),
                    thousands(places.len() - Self::SHOWN)
                ));
            }
        }
        lines
    }

    /// Print [`Notes::lines`] on stderr, each after `prefix` (`note: `, `  warning: `).
    pub(crate) fn print(&self, prefix: &str, verbose: bool) {
        for line in self.lines(verbose) {
            eprintln!("{prefix}{line}");
        }
    }
}

/// `1 turn`, `2 turns`.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    thema_core::text::count(n, one, many)
}

/// Print `error: ...`, its causes, and `hint: ...`; a closed pipe ends quietly.
pub(crate) fn report_error(error: &anyhow::Error) -> ExitCode {
    if error.chain().any(|e| e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)) {
        return ExitCode::SUCCESS;
    }
    let mut hints = Vec::new();
    let mut messages = Vec::new();
    for cause in error.chain() {
        if let Some(hinted) = cause.downcast_ref::<Hinted>() {
            hints.push(hinted.hint.clone());
        }
        messages.push(cause.to_string());
    }
    let mut stderr = io::stderr().lock();
    let mut first = true;
    for message in messages {
        if first {
            let _ = writeln!(stderr, "error: {message}");
            first = false;
        } else {
            let _ = writeln!(stderr, "  caused by: {message}");
        }
    }
    for hint in hints {
        let _ = writeln!(stderr, "hint: {hint}");
    }
    ExitCode::from(EXIT_ERROR)
}

/// Print a value as pretty JSON on stdout.
pub(crate) fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Width for wrapping: the terminal's, else 100 columns.
pub(crate) fn width(requested: Option<usize>) -> usize {
    requested
        .unwrap_or_else(|| {
            if io::stdout().is_terminal() {
                terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0))
            } else {
                100
            }
        })
        .max(40)
}

/// A plain table: left-aligned columns, numbers right-aligned, two spaces apart.
pub(crate) struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(header: &[&str]) -> Table {
        Table { header: header.iter().map(|h| h.to_string()).collect(), rows: Vec::new() }
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub(crate) fn print(&self, out: &mut impl Write) -> io::Result<()> {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| textwrap::core::display_width(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(textwrap::core::display_width(cell));
            }
        }
        let numeric: Vec<bool> = (0..columns)
            .map(|i| {
                !self.rows.is_empty()
                    && self
                        .rows
                        .iter()
                        .all(|r| r.get(i).is_some_and(|c| c.is_empty() || c.replace(',', "").parse::<f64>().is_ok()))
            })
            .collect();
        let line = |cells: &[String]| {
            let mut s = String::new();
            for (i, cell) in cells.iter().enumerate().take(columns) {
                let pad = widths[i].saturating_sub(textwrap::core::display_width(cell));
                if i > 0 {
                    s.push_str("  ");
                }
                if numeric[i] {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                } else {
                    s.push_str(cell);
                    if i + 1 < columns {
                        s.push_str(&" ".repeat(pad));
                    }
                }
            }
            s.trim_end().to_owned()
        };
        writeln!(out, "{}", line(&self.header))?;
        for row in &self.rows {
            writeln!(out, "{}", line(row))?;
        }
        Ok(())
    }
}

/// A text cut to `max` characters with an ellipsis.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let flat = text.replace('\n', " ");
    match flat.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

/// `12345` -> `12,345`.
pub(crate) fn thousands(n: usize) -> String {
    thema_core::text::thousands(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align() {
        let mut t = Table::new(&["id", "turns", "title"]);
        t.row(vec!["fg1".into(), "12".into(), "Focus group".into()]);
        t.row(vec!["int10".into(), "3".into(), "Ünïcode".into()]);
        let mut out = Vec::new();
        t.print(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "id     turns  title\nfg1       12  Focus group\nint10      3  Ünïcode\n"
        );
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}

/// What happens to a command whose reader closes its output (`thema ... | head`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum WhenClosed {
    /// A command that only reads: stop quietly, with exit code 0, as `head` expects.
    Stop,
    /// A command that changes the study: go on to the commit, output going nowhere, so a closed
    /// pipe never loses the change (nor makes it half).
    Finish,
}

/// stdout and stderr, when they are pipes or files, pass through a thread of this process, so
/// that printing never fails: a closed reader makes printing panic in Rust (`println!`), which
/// would drop a command's transaction before its commit. With [`WhenClosed::Finish`] the thread
/// goes on draining what is printed; with [`WhenClosed::Stop`] a closed stdout ends the process
/// (a closed stderr never does: its reader is not the one who asked for the results). Terminals
/// are left as they are (their width and colour are asked of them).
#[cfg(unix)]
pub(crate) struct Relay {
    streams: Vec<(Stream, std::os::fd::OwnedFd, std::thread::JoinHandle<()>)>,
}

#[cfg(unix)]
#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

#[cfg(unix)]
impl Relay {
    /// Start relaying; on any failure, output stays as it is.
    pub(crate) fn start(when_closed: WhenClosed) -> Relay {
        let mut streams = Vec::new();
        for stream in [Stream::Out, Stream::Err] {
            if let Some(relayed) = relay(stream, when_closed) {
                streams.push(relayed);
            }
        }
        Relay { streams }
    }

    /// Print what is still in the pipes, and put stdout and stderr back.
    pub(crate) fn finish(self) {
        let _ = io::stdout().flush();
        for (stream, original, thread) in self.streams {
            // Closes the pipe's last writer: the thread reads to the end and stops.
            let _ = match stream {
                Stream::Out => rustix::stdio::dup2_stdout(&original),
                Stream::Err => rustix::stdio::dup2_stderr(&original),
            };
            let _ = thread.join();
        }
    }
}

#[cfg(unix)]
fn relay(
    stream: Stream,
    when_closed: WhenClosed,
) -> Option<(Stream, std::os::fd::OwnedFd, std::thread::JoinHandle<()>)> {
    use std::io::Read;
    use std::os::fd::AsFd;
    let original = match stream {
        Stream::Out if !io::stdout().is_terminal() => rustix::io::dup(io::stdout().as_fd()).ok()?,
        Stream::Err if !io::stderr().is_terminal() => rustix::io::dup(io::stderr().as_fd()).ok()?,
        _ => return None,
    };
    let target = original.try_clone().ok()?;
    let (reader, writer) = rustix::pipe::pipe().ok()?;
    let thread = std::thread::Builder::new()
        .name("output".into())
        .spawn(move || {
            let mut reader = std::fs::File::from(reader);
            let mut target = std::fs::File::from(target);
            let mut buffer = [0; 16 * 1024];
            let mut open = true;
            loop {
                let n = match reader.read(&mut buffer) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                };
                if open && target.write_all(&buffer[..n]).is_err() {
                    open = false;
                    // Only the reader of the results can end a command: a closed stderr loses
                    // its notes, never the work.
                    if when_closed == WhenClosed::Stop && matches!(stream, Stream::Out) {
                        std::process::exit(0);
                    }
                }
            }
        })
        .ok()?;
    let swapped = match stream {
        Stream::Out => rustix::stdio::dup2_stdout(&writer),
        Stream::Err => rustix::stdio::dup2_stderr(&writer),
    };
    drop(writer);
    if swapped.is_err() {
        // The pipe has no writer left: the thread ends at once.
        let _ = thread.join();
        return None;
    }
    Some((stream, original, thread))
}

/// Elsewhere output is left as it is.
#[cfg(not(unix))]
pub(crate) struct Relay;

#[cfg(not(unix))]
impl Relay {
    pub(crate) fn start(_: WhenClosed) -> Relay {
        Relay
    }

    pub(crate) fn finish(self) {}
}
/// Whose codings a command used, for its JSON.
#[derive(serde::Serialize)]
pub(crate) struct Whose {
    /// The coders.
    pub(crate) coders: Vec<String>,
    /// In words: "team (consensus of hp and mk)".
    pub(crate) description: String,
    /// Why these: named with `--coders`, `analysis_coders`, the newest consensus set, every
    /// primary coder.
    pub(crate) chosen: &'static str,
}

impl Whose {
    pub(crate) fn of(set: &thema_core::coders::CoderSet) -> Whose {
        Whose { coders: set.coders.clone(), description: set.describe(), chosen: set.reason() }
    }
}
