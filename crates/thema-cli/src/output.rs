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

/// `1 turn`, `2 turns`.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
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
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
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
