//! PDF import and the clean-up of exports, on PDFs made with LibreOffice from the example
//! study's transcripts (`tests/fixtures/pdf/make.py` makes them; README.md there says how).

use std::path::{Path, PathBuf};

use thema_ingest::{parse, read_file, Format, IngestError, Options};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf").join(name)
}

fn transcript(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/palis-2024/transcripts").join(name)
}

fn have_pdftotext() -> bool {
    let found = std::process::Command::new("pdftotext").arg("-v").output().is_ok();
    if !found {
        thema_testkit::skip("pdftotext is not installed (apt-get install poppler-utils; .ci/run installs it)");
    }
    found
}

/// Each turn's speaker and speech with white space made single: what a reader of the transcript
/// sees, whatever the line breaks.
fn turns(import: &thema_ingest::Import) -> Vec<(Option<String>, String)> {
    let t = &import.transcript;
    let chars: Vec<char> = t.text.chars().collect();
    t.turns
        .iter()
        .map(|turn| {
            let speech: String = chars[turn.span.start..turn.span.end].iter().collect();
            (turn.speaker.clone(), speech.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .collect()
}

#[test]
fn a_pdf_reads_back_as_the_turns_of_its_transcript() {
    if !have_pdftotext() {
        return;
    }
    let pdf = read_file(&fixture("fg1.pdf"), &Options::default()).unwrap();
    let text = read_file(&transcript("fg1.txt"), &Options::default()).unwrap();
    assert_eq!(pdf.format, Format::Pdf);
    assert_eq!(turns(&pdf), turns(&text));
    assert_eq!(turns(&pdf).len(), 9);
    // The hash is of the PDF's bytes, as for every import.
    assert_eq!(pdf.sha256.len(), 64);
    assert_ne!(pdf.sha256, text.sha256);
    // The text was wrapped to the page: the lines were joined, nothing removed.
    let cleaned = pdf.transcript.cleaned.clone().unwrap();
    assert!(cleaned.joined_lines > 20, "{cleaned:?}");
    assert_eq!((cleaned.page_lines, cleaned.paragraph_numbers, cleaned.repeated_lines), (0, 0, 0));
}

#[test]
fn headers_footers_and_page_breaks_leave_the_turns_whole() {
    if !have_pdftotext() {
        return;
    }
    // Seven transcripts on four pages, each with a running header and "Page N of 4"; turns run
    // over three of the page breaks.
    let pdf = read_file(&fixture("palis-all.pdf"), &Options::default()).unwrap();
    let text = read_file(&fixture("palis-all.txt"), &Options::default()).unwrap();
    assert_eq!(turns(&pdf), turns(&text));
    assert_eq!(turns(&pdf).len(), 37);
    let cleaned = pdf.transcript.cleaned.clone().unwrap();
    assert_eq!(cleaned.page_lines, 8, "four headers and four footers: {cleaned:?}");
    assert!(!pdf.transcript.text.contains("Page "), "a footer survived");
    assert!(!pdf.transcript.text.contains("prison release: transcripts"), "a header survived");
}

#[test]
fn maxqda_paragraph_numbers_are_removed() {
    if !have_pdftotext() {
        return;
    }
    let pdf = read_file(&fixture("maxqda.pdf"), &Options::default()).unwrap();
    let text = read_file(&transcript("fg2.txt"), &Options::default()).unwrap();
    assert_eq!(turns(&pdf), turns(&text));
    let paragraphs =
        std::fs::read_to_string(transcript("fg2.txt")).unwrap().lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(pdf.transcript.cleaned.clone().unwrap().paragraph_numbers, paragraphs);
}

#[test]
fn the_same_export_as_text_is_cleaned_with_clean() {
    // MAXQDA's text export of fg2: every paragraph numbered, a tab after the number, lines wrapped.
    let source = std::fs::read_to_string(transcript("fg2.txt")).unwrap();
    let mut export = String::new();
    for (i, paragraph) in source.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        export.push_str(&format!("{}\t", i + 1));
        let mut width = 0;
        for word in paragraph.split(' ') {
            if width > 60 {
                export.push('\n');
                width = 0;
            } else if width > 0 {
                export.push(' ');
            }
            export.push_str(word);
            width += word.len() + 1;
        }
        export.push_str("\n\n");
    }
    let reference = read_file(&transcript("fg2.txt"), &Options::default()).unwrap();
    let raw = parse(export.as_bytes(), "fg2-maxqda.txt", &Options::default()).unwrap();
    assert_ne!(turns(&raw), turns(&reference), "without --clean the numbers stay");
    assert!(raw.transcript.cleaned.is_none());
    let cleaned = parse(export.as_bytes(), "fg2-maxqda.txt", &Options { clean: true, ..Options::default() }).unwrap();
    assert_eq!(turns(&cleaned), turns(&reference));
    let report = cleaned.transcript.cleaned.unwrap();
    assert_eq!(report.paragraph_numbers, 7);
    assert!(report.joined_lines > 0);
}

#[test]
fn a_scanned_pdf_asks_for_ocr() {
    if !have_pdftotext() {
        return;
    }
    let error = read_file(&fixture("scan.pdf"), &Options::default()).unwrap_err();
    assert!(matches!(error, IngestError::Tool(_)), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("no text to read on its 1 page"), "{message}");
    assert!(message.contains("OCR") && message.contains("ocrmypdf"), "{message}");
}

#[test]
fn a_file_named_pdf_that_is_not_one_is_refused() {
    let error = parse(b"Interviewer: hello\n", "notes.pdf", &Options::default()).unwrap_err();
    assert_eq!(error.to_string(), "the file is not a PDF (no `%PDF-` header in its first kilobyte)");
}

#[test]
fn a_damaged_pdf_is_refused_with_pdftotexts_reason() {
    if !have_pdftotext() {
        return;
    }
    let mut bytes = std::fs::read(fixture("fg1.pdf")).unwrap();
    bytes.truncate(400);
    let error = parse(&bytes, "cut.pdf", &Options::default()).unwrap_err();
    // poppler 22.12 says "Syntax Error: Couldn't read xref table"; the wording is poppler's.
    let message = error.to_string();
    assert!(message.starts_with("pdftotext could not read the PDF (Syntax Error"), "{message}");
    assert!(message.ends_with("); is it damaged or encrypted?"), "{message}");
}
