//! In-vivo suggestions on real spoken English: the top of the list names what people talk
//! about, not the stock phrases of speech ("thank you", "a little bit", "in terms of", "at the
//! moment") that every speaker uses.
//!
//! The corpora in `../shared/corpora/` are meetings: ICSI research-group meetings (academics
//! discussing their work, the nearest to research interviews there) and AMI design meetings.

use std::path::PathBuf;

use thema_core::Study;
use thema_ingest::into_study::{DocumentOptions, Importer};
use thema_ingest::Options;

/// Phrases that name nothing a researcher would code: none may be among the top 20.
const FUNCTION_PHRASES: &[&str] = &[
    "thank you",
    "little bit",
    "a bit",
    "in terms",
    "in terms of",
    "at the moment",
    "working on",
    "you know",
    "i mean",
    "i think",
    "sort of",
    "kind of",
    "a lot",
    "as well",
    "at least",
    "of course",
    "first of all",
    "for example",
    "so far",
    "right now",
    "each other",
    "the same",
    "at all",
    "in fact",
    "make sure",
    "mm hmm",
    "go ahead",
    "good idea",
    "that's right",
    "the way",
    "the thing",
    "a little",
    "last time",
    "next time",
    "this one",
    "that one",
];

/// Of those, the ones that may not be inside a phrase of the top 20 either ("thank you very
/// much", "you know the"): they pad whatever they are in.
const NEVER_INSIDE: &[&str] =
    &["thank you", "little bit", "in terms of", "at the moment", "you know", "i mean", "mm hmm"];

/// Every `step`th meeting of one corpus, imported into a new study.
fn meetings(corpus: &str, step: usize) -> Option<(tempfile::TempDir, Study)> {
    let files: Vec<PathBuf> = thema_testkit::synth::meeting_files()?
        .into_iter()
        .filter(|f| f.parent().is_some_and(|p| p.ends_with(corpus)))
        .step_by(step)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut study = Study::init(&dir.path().join("study"), corpus).unwrap();
    let mut importer = Importer::new(&mut study, DocumentOptions::default());
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        importer.add(&name, thema_ingest::read_file(path, &Options::default()).unwrap()).unwrap();
    }
    importer.flush().unwrap();
    drop(importer);
    Some((dir, study))
}

fn top_20(study: &Study) -> Vec<String> {
    let documents: Vec<_> = study.documents().iter().map(|m| study.load_document(&m.id).unwrap()).collect();
    thema_core::invivo::suggest(&documents, 2, 20, &|_, _| true).into_iter().map(|s| s.phrase).collect()
}

fn assert_no_function_phrase(corpus: &str, top: &[String]) {
    assert_eq!(top.len(), 20, "{corpus}: {top:?}");
    for phrase in top {
        assert!(!FUNCTION_PHRASES.contains(&phrase.as_str()), "{corpus}: `{phrase}` in the top 20: {top:?}");
        let padded = format!(" {phrase} ");
        let inside: Vec<&&str> = NEVER_INSIDE.iter().filter(|f| padded.contains(&format!(" {f} "))).collect();
        assert!(inside.is_empty(), "{corpus}: `{phrase}` holds {inside:?}; the top 20: {top:?}");
    }
}

#[test]
fn research_meetings_top_20_has_no_function_phrase() {
    let Some((_dir, study)) = meetings("Academic", 3) else { return };
    assert_no_function_phrase("ICSI", &top_20(&study));
}

#[test]
fn design_meetings_top_20_has_no_function_phrase() {
    let Some((_dir, study)) = meetings("Product", 7) else { return };
    let top = top_20(&study);
    assert_no_function_phrase("AMI", &top);
    // What the design teams talk about is there.
    assert!(top.iter().any(|p| p == "remote control"), "{top:?}");
}
