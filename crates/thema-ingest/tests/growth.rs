//! Imports whose work once grew with the square of their size (issue 19): a transcript with
//! thousands of speakers imported with `--add-participants` (1.0 s for 5,000 speakers, 267 s for
//! 50,000), a survey with thousands of respondents, and a second transcript whose speakers are
//! all known participants. Each is read and prepared at two sizes eight times apart; linear work
//! takes about eight times as long, quadratic work sixty-four times. The bound, 24, leaves room
//! for a machine busy with other work (each size is timed three times and the fastest run kept)
//! and still fails a quadratic path at these sizes by a factor of two or more.

use std::time::{Duration, Instant};

use thema_core::Study;
use thema_ingest::into_study::{DocumentOptions, ImportReport, Importer};
use thema_ingest::text::LabelRules;
use thema_ingest::{parse, Options};

const SMALL: usize = 1_500;
const LARGE: usize = 8 * SMALL;
/// Largest ratio of the two sizes' times accepted (linear: 8, quadratic: 64).
const BOUND: f64 = 24.0;

/// An interview with `speakers` people besides the interviewer, each answering twice:
/// `speakers` labels and `4 × speakers` turns.
fn many_speakers(speakers: usize) -> String {
    let mut text = String::new();
    for round in ["What brought you here?", "And now?"] {
        for s in 1..=speakers {
            text.push_str(&format!("Interviewer: {round}\n\nSpeaker {s}: The group, and my sister.\n\n"));
        }
    }
    text
}

/// A survey of `respondents` rows: `id,age,answer`.
fn survey(respondents: usize) -> String {
    let mut csv = String::from("id,age,answer\n");
    for r in 1..=respondents {
        csv.push_str(&format!("r{r},{},\"The course helped, mostly the people.\"\n", 20 + r % 50));
    }
    csv
}

/// A fresh study in a folder of its own.
fn study(name: &str) -> (std::path::PathBuf, Study) {
    let dir = std::env::temp_dir().join(format!("thema-ingest-growth-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let study = Study::init(&dir, "growth").unwrap();
    (dir, study)
}

/// The fastest of three runs of `work`, which is given the run's number.
fn fastest(mut work: impl FnMut(usize)) -> Duration {
    (0..3)
        .map(|run| {
            let started = Instant::now();
            work(run);
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn assert_linear(what: &str, small: Duration, large: Duration) {
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
    eprintln!("{what}: {SMALL} in {small:?}, {LARGE} in {large:?}, ratio {ratio:.1}");
    assert!(
        ratio < BOUND,
        "{what}: {LARGE} took {ratio:.1} times as long as {SMALL} ({small:?} -> {large:?}); linear work takes about 8"
    );
}

/// Read `bytes` as `file` and prepare it in a fresh study; returns the report and how many
/// participants the study then has.
fn import(name: &str, file: &str, bytes: &[u8], options: &DocumentOptions) -> (ImportReport, usize) {
    let (dir, mut study) = study(name);
    let mut importer = Importer::new(&mut study, options.clone());
    let report = importer.add(file, parse(bytes, file, &Options::default()).unwrap()).unwrap();
    let participants = importer.study().participants.rows().len();
    drop(importer);
    std::fs::remove_dir_all(&dir).unwrap();
    (report, participants)
}

#[test]
fn adding_participants_for_many_speakers_grows_linearly() {
    let options = DocumentOptions { add_participants: true, ..DocumentOptions::default() };
    let time = |n: usize| {
        let text = many_speakers(n);
        fastest(|run| {
            let (report, participants) = import(&format!("speakers-{n}-{run}"), "group.txt", text.as_bytes(), &options);
            // Every speaker became a participant and spoke twice; the interviewer spoke 2n times.
            assert_eq!(participants, n);
            assert_eq!(report.participants_added.len(), n);
            assert_eq!(report.turns, 4 * n);
            let interviewer = report.speaker_links.iter().find(|s| s.label == "Interviewer").unwrap();
            assert_eq!((interviewer.turns, interviewer.link.as_str()), (2 * n, "interviewer"));
            let last = report.speaker_links.iter().find(|s| s.label == format!("Speaker {n}")).unwrap();
            assert_eq!((last.turns, last.link.as_str()), (2, format!("speaker-{n}").as_str()));
        })
    };
    assert_linear("--add-participants", time(SMALL), time(LARGE));
}

#[test]
fn survey_respondents_grow_linearly() {
    let time = |n: usize| {
        let csv = survey(n);
        fastest(|run| {
            let (report, participants) =
                import(&format!("survey-{n}-{run}"), "survey.csv", csv.as_bytes(), &DocumentOptions::default());
            assert_eq!(participants, n);
            assert_eq!(report.turns, n);
            assert_eq!(report.speaker_links.iter().filter(|s| s.turns == 1).count(), n);
        })
    };
    assert_linear("survey respondents", time(SMALL), time(LARGE));
}

#[test]
fn linking_speakers_to_many_known_participants_grows_linearly() {
    // The second interview's speakers are the first's participants: each label is matched to
    // one of n participants, and the reader is told the n names, as `thema import` tells it.
    let time = |n: usize| {
        let text = many_speakers(n);
        fastest(|run| {
            let (dir, mut study) = study(&format!("known-{n}-{run}"));
            let adding = DocumentOptions { add_participants: true, ..DocumentOptions::default() };
            let mut importer = Importer::new(&mut study, adding);
            importer.add("first.txt", parse(text.as_bytes(), "first.txt", &Options::default()).unwrap()).unwrap();
            let known: Vec<String> =
                importer.study().participants.rows().iter().flat_map(|p| [p.id.clone(), p.pseudonym.clone()]).collect();
            let options = Options { labels: LabelRules { known, only: None }, ..Options::default() };
            let report = importer.add("second.txt", parse(text.as_bytes(), "second.txt", &options).unwrap()).unwrap();
            assert!(report.participants_added.is_empty());
            let linked = report.speaker_links.iter().filter(|s| s.link.starts_with("speaker-")).count();
            assert_eq!(linked, n);
            drop(importer);
            std::fs::remove_dir_all(&dir).unwrap();
        })
    };
    assert_linear("known speakers", time(SMALL), time(LARGE));
}
