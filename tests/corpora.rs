//! Every file in `../shared/corpora/` imports, or is refused with the right message.
//!
//! Expected turn and speaker counts were counted independently of thema: for the meeting
//! corpora with Python's `json` module (turns whose `content` is not blank, speakers in order of
//! first appearance); for QualCoder's files by reading them (and its PROVENANCE.md).

use std::path::{Path, PathBuf};

use thema_ingest::{parse, Options};

fn corpora() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpora");
    if dir.is_dir() {
        Some(dir)
    } else {
        thema_testkit::skip(format_args!("{} is missing; these tests need shared/ beside the checkout", dir.display()));
        None
    }
}

fn import(path: &Path) -> Result<thema_ingest::Import, String> {
    thema_ingest::read_file(path, &Options::default()).map_err(|e| e.to_string())
}

#[test]
fn meeting_transcripts_sample_counts() {
    let Some(dir) = corpora() else { return };
    let cases: &[(&str, usize, &[&str])] = &[
        (
            "meetings-ami-icsi/Product/ES2002a.json",
            287,
            &["Project Manager", "Marketing", "Industrial Designer", "User Interface"],
        ),
        (
            "meetings-ami-icsi/Product/ES2002b.json",
            621,
            &["Project Manager", "Marketing", "User Interface", "Industrial Designer"],
        ),
        (
            "meetings-ami-icsi/Product/ES2002c.json",
            640,
            &["Industrial Designer", "Marketing", "Project Manager", "User Interface"],
        ),
        ("meetings-ami-icsi/Academic/Bdb001.json", 764, &["Grad C", "PhD D", "Grad B", "PhD F", "PhD A", "Postdoc E"]),
        (
            "meetings-ami-icsi/Academic/Bed002.json",
            530,
            &["Grad E", "Grad A", "Grad B", "Professor C", "Grad F", "Grad D"],
        ),
        ("meetings-ami-icsi/Academic/Bed003.json", 1029, &["Grad C", "Grad D", "Grad A", "Grad B"]),
    ];
    for (file, turns, speakers) in cases {
        let import = import(&dir.join(file)).unwrap();
        assert_eq!(import.transcript.turns.len(), *turns, "{file}");
        assert_eq!(import.transcript.speaker_labels(), *speakers, "{file}");
    }
}

#[test]
fn every_meeting_imports_with_the_independent_turn_total() {
    let Some(dir) = corpora() else { return };
    let mut files = 0;
    let mut turns = 0;
    for corpus in ["Product", "Academic"] {
        let mut paths: Vec<PathBuf> =
            std::fs::read_dir(dir.join("meetings-ami-icsi").join(corpus)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let import = import(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let t = &import.transcript;
            // Every turn's span holds exactly the speech rendered after its label.
            let index = thema_core::TextIndex::new(&t.text);
            for turn in &t.turns {
                let speech = index.slice(turn.span).unwrap();
                assert!(!speech.is_empty() && speech.trim() == speech, "{}: turn {}", path.display(), turn.number);
            }
            files += 1;
            turns += t.turns.len();
        }
    }
    assert_eq!((files, turns), (196, 121_587));
}

#[test]
fn qualcoder_examples() {
    let Some(dir) = corpora() else { return };
    let dir = dir.join("qualcoder-examples");
    // transcript.txt: 7 turns by [id1], [id2], [id3] (PROVENANCE.md: "7 turns, 170 words",
    // counting the 7 bracketed labels as words; thema counts speech only).
    let t = import(&dir.join("transcript.txt")).unwrap().transcript;
    assert_eq!(t.turns.len(), 7);
    assert_eq!(t.speaker_labels(), ["id1", "id2", "id3"]);
    assert_eq!(
        t.turns
            .iter()
            .map(|x| thema_core::text::word_count(thema_core::TextIndex::new(&t.text).slice(x.span).unwrap()))
            .sum::<usize>()
            + 7,
        170
    );
    // survey456.csv: 3 responses, text in `freetext`, ids in `Case`.
    let t = import(&dir.join("survey456.csv")).unwrap().transcript;
    assert_eq!(t.turns.len(), 3);
    assert_eq!(t.speaker_labels(), ["ID4", "ID5", "ID6"]);
    assert_eq!(t.respondents[0].attributes.get("Interest").map(String::as_str), Some("shopping"));
    // The codes list and memo are not transcripts: they import as unattributed text.
    for file in ["plain_codes_categories_for_import.txt", "project_memo.txt"] {
        let t = import(&dir.join(file)).unwrap().transcript;
        assert!(t.turns.iter().all(|turn| turn.speaker.is_none()), "{file}: {:?}", t.speaker_labels());
    }
}

/// Each file of the corpora that is not a meeting: what importing it must give.
#[test]
fn every_other_file_imports_or_is_refused_clearly() {
    let Some(dir) = corpora() else { return };
    let mut seen = 0;
    for folder in ["qualcoder-examples", "subtitle-fixtures"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join(folder)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("LICENSE") || name == "PROVENANCE.md" {
                continue;
            }
            seen += 1;
            let bytes = std::fs::read(&path).unwrap();
            match parse(&bytes, &name, &Options::default()) {
                Ok(import) => {
                    let t = import.transcript;
                    assert!(!t.turns.is_empty(), "{name}: imported with no turns");
                    let index = thema_core::TextIndex::new(&t.text);
                    assert!(t.turns.iter().all(|turn| index.check(turn.span).is_ok()), "{name}");
                }
                Err(e) => {
                    let message = e.to_string();
                    assert!(!message.is_empty() && !message.contains("not implemented"), "{name}: {message}");
                }
            }
        }
    }
    assert_eq!(seen, 6 + 35);
}
