//! Text from PDF, by poppler's `pdftotext`.
//!
//! Why a program and not a crate: the pure-Rust PDF readers (`pdf-extract` on `lopdf`) lose word
//! spaces and reading order on the PDFs word processors write, panic on malformed files, and
//! would add a PDF parser to the one crate every import builds. poppler is what most Linux PDF
//! viewers use, is packaged everywhere (`apt-get install poppler-utils`, `brew install poppler`,
//! `choco install poppler`), and runs as its own process, so a hostile PDF can at worst make it
//! fail: thema bounds its time ([`TIMEOUT`]) and its output (the file size limit). When it is not
//! installed, the import says so and what to install; nothing else in thema needs it.
//!
//! The text comes with a form feed after each page, which [`crate::clean`] uses to find page
//! numbers, running headers and footers.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{IngestError, Limits};

/// Longest a PDF may take to read.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// The program, `THEMA_PDFTOTEXT` when set (for a poppler outside `PATH`).
fn program() -> std::ffi::OsString {
    std::env::var_os("THEMA_PDFTOTEXT").unwrap_or_else(|| "pdftotext".into())
}

/// The text of a PDF (UTF-8, LF line ends, a form feed after each page).
pub fn pdf_text(bytes: &[u8], limits: &Limits) -> Result<String, IngestError> {
    if !bytes.starts_with(b"%PDF-") && !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err(IngestError::Tool("the file is not a PDF (no `%PDF-` header in its first kilobyte)".to_owned()));
    }
    // pdftotext reads a file, not standard input.
    let mut input = tempfile::Builder::new().prefix("thema-pdf-").suffix(".pdf").tempfile()?;
    input.write_all(bytes)?;
    input.flush()?;
    let mut child =
        match Command::new(program())
            .args(["-enc", "UTF-8", "-eol", "unix"])
            .arg(input.path())
            .arg("-")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(IngestError::Tool(
                "reading a PDF needs poppler's `pdftotext`, which is not installed: `apt-get install poppler-utils` \
                 (Debian, Ubuntu), `dnf install poppler-utils` (Fedora), `brew install poppler` (macOS); or export the \
                 transcript as DOCX or text"
                    .to_owned(),
            )),
            Err(e) => return Err(IngestError::Io(e)),
        };
    // Read the output on a thread, bounded, while this one watches the clock.
    let limit = limits.max_file_bytes.saturating_mul(4);
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let read = (&mut stdout).take(limit + 1).read_to_end(&mut out);
        read.map(|_| out)
    });
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let errors = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut out);
        out
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(IngestError::Tool(format!(
                "pdftotext took more than {} s and was stopped; the PDF may be damaged or built to exhaust readers",
                TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = reader.join().map_err(|_| IngestError::Tool("reading pdftotext's output failed".to_owned()))??;
    let errors = errors.join().unwrap_or_default();
    if out.len() as u64 > limit {
        let _ = child.kill();
        return Err(IngestError::TooLarge { size: out.len() as u64, limit });
    }
    if !status.success() {
        let why = String::from_utf8_lossy(&errors);
        // Its last message is the one that stopped it ("Couldn't read xref table").
        let why = why.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("no message").trim().to_owned();
        return Err(IngestError::Tool(format!(
            "pdftotext could not read the PDF ({why}); is it damaged or encrypted?"
        )));
    }
    let text =
        String::from_utf8(out).map_err(|_| IngestError::Tool("pdftotext wrote text that is not UTF-8".to_owned()))?;
    let pages = text.matches('\u{c}').count().max(1);
    if text.chars().all(|c| c.is_whitespace()) {
        return Err(IngestError::Tool(format!(
            "the PDF has no text to read on its {pages} page{}: it holds only images (a scan?). Make it searchable \
             with OCR first (`ocrmypdf in.pdf out.pdf`), then import the result",
            if pages == 1 { "" } else { "s" }
        )));
    }
    Ok(text)
}
