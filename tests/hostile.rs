//! Bad and hostile input is refused or handled, never a panic and never a half-written study.

use thema_ingest::{parse, IngestError, Limits, Options};

#[test]
fn fifty_megabyte_single_line() {
    let mut text = String::from("Interviewer: ");
    text.push_str(&"and then we talked ".repeat(50 * 1024 * 1024 / 19));
    let import = parse(text.as_bytes(), "huge.txt", &Options::default()).unwrap();
    let t = import.transcript;
    assert_eq!(t.turns.len(), 1);
    assert_eq!(t.turns[0].speaker.as_deref(), Some("Interviewer"));
    assert_eq!(t.turns[0].span.end, text.trim_end().len());
}

#[test]
fn files_over_the_size_limit_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    std::fs::write(&path, vec![b'a'; 2048]).unwrap();
    let options = Options { limits: Limits { max_file_bytes: 1024, ..Limits::default() }, ..Options::default() };
    let error = thema_ingest::read_file(&path, &options).unwrap_err();
    assert!(matches!(error, IngestError::TooLarge { size: 2048, limit: 1024 }), "{error}");
    assert_eq!(error.to_string(), "the file is 2048 bytes, more than the limit of 1024 bytes");
}

#[test]
fn invalid_utf8_is_refused_with_line_and_guess() {
    let error = parse(b"Interviewer: fine\nParticipant: caf\xe9\n", "a.txt", &Options::default()).unwrap_err();
    assert!(error.to_string().starts_with("line 2: the file is not UTF-8"), "{error}");
}

#[test]
fn binary_junk_is_refused_or_read_into_a_sound_transcript() {
    // A deterministic stream of pseudo-random bytes through every format, raw and mapped onto the
    // characters the readers look for. Each result is either a refusal that says what is wrong or
    // a transcript whose turns could be stored: no panic, and nothing half-made.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut junk = Vec::with_capacity(64 * 1024);
    for _ in 0..64 * 1024 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        junk.push((state >> 24) as u8);
    }
    let ascii: Vec<u8> = junk.iter().map(|b| b"ab: \n\r-->0123456789.,<>[]{}\"WEBVTT"[usize::from(*b) % 34]).collect();
    let mut read = 0;
    for format in thema_ingest::Format::ALL {
        let options = Options { format: Some(format), ..Options::default() };
        for (what, bytes) in [("raw", &junk), ("ascii", &ascii)] {
            match parse(bytes, "junk", &options) {
                Err(error) => {
                    let message = error.to_string();
                    assert!(!message.trim().is_empty(), "{format:?} {what}: an empty refusal");
                }
                Ok(import) => {
                    read += 1;
                    assert_sound(&import.transcript, &format!("{format:?} {what}"));
                }
            }
        }
        // Neither stream is a zip archive, so the zip formats must refuse both.
        if matches!(format, thema_ingest::Format::Docx | thema_ingest::Format::Odt) {
            assert!(parse(&junk, "junk", &options).is_err(), "{format:?} read junk as a document");
            assert!(parse(&ascii, "junk", &options).is_err(), "{format:?} read text as a document");
        }
    }
    // The mapped stream is plain ASCII, which the plain-text reader takes: the checks above ran on
    // transcripts, not only on refusals.
    let text = Options { format: Some(thema_ingest::Format::Text), ..Options::default() };
    assert!(parse(&ascii, "junk", &text).is_ok(), "plain text refused ASCII");
    assert!(read >= 1);
}

/// A transcript that can be stored: normalised text, turns numbered from 1 in text order, each
/// inside the text and none overlapping the next.
fn assert_sound(t: &thema_ingest::Transcript, what: &str) {
    assert!(!t.text.contains('\r'), "{what}: a carriage return survived normalisation");
    assert!(!t.text.starts_with('\u{feff}'), "{what}: a byte order mark survived");
    let chars = t.text.chars().count();
    let mut previous_end = 0;
    for (i, turn) in t.turns.iter().enumerate() {
        assert_eq!(turn.number as usize, i + 1, "{what}: turns are not numbered in order");
        assert!(turn.span.start <= turn.span.end, "{what}: turn {} ends before it starts", turn.number);
        assert!(turn.span.end <= chars, "{what}: turn {} ends past the text ({chars} code points)", turn.number);
        assert!(turn.span.start >= previous_end, "{what}: turn {} overlaps the one before", turn.number);
        previous_end = turn.span.end;
    }
}

#[test]
fn a_failed_import_leaves_the_study_as_it_was() {
    use thema_ingest::into_study::{add_to_study, DocumentOptions};
    let dir = tempfile::tempdir().unwrap();
    let mut study = thema_core::Study::init(dir.path(), "t").unwrap();
    let import = parse(b"Interviewer: hi\n\nP1: hello\n", "int1.txt", &Options::default()).unwrap();
    add_to_study(&mut study, "int1.txt", import.clone(), &DocumentOptions::default()).unwrap();
    let before = std::fs::read_dir(dir.path().join("documents")).unwrap().count();
    // Same id again, and a bad date: both refused, nothing written.
    assert!(add_to_study(&mut study, "int1.txt", import.clone(), &DocumentOptions::default()).is_err());
    let options =
        DocumentOptions { id: Some("int2".into()), date: Some("2021-02-30".into()), ..DocumentOptions::default() };
    assert!(add_to_study(&mut study, "int1.txt", import, &options).is_err());
    assert_eq!(std::fs::read_dir(dir.path().join("documents")).unwrap().count(), before);
    assert!(thema_core::check::check_study(dir.path())
        .iter()
        .all(|p| p.severity == thema_core::check::Severity::Warning));
}
