//! The cache of every document's turns, `.thema/turns.bin` (issue 24): the counting commands
//! take the turns from it while `turns.csv` is unchanged, and read again a `turns.csv` changed in
//! any way (by hand, by `git checkout`, by a command).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use thema_core::docstats::SETTLE;
use thema_core::turncache::{TurnReader, TURNS_CACHE};
use thema_core::{Document, DocumentMeta, Span, Speaker, Study, Timestamp, Turn};

/// A focus group: the facilitator asks (with a start time), Zoë answers (with an end time).
fn document(id: &str, sequence: u32) -> Document {
    let text = "Facilitator: What keeps you going?\n\nZoë: Hope 🌱, and the café.\n".to_owned();
    Document {
        meta: DocumentMeta {
            id: id.into(),
            title: format!("Focus group {id}"),
            kind: "focus-group".into(),
            date: None,
            wave: None,
            sequence,
            source: None,
            attributes: BTreeMap::new(),
            speakers: vec![
                Speaker { label: "Facilitator".into(), participant: None, interviewer: true },
                Speaker { label: "Zoë".into(), participant: Some("zoe".into()), interviewer: false },
            ],
        },
        turns: vec![
            Turn {
                number: 1,
                speaker: Some("Facilitator".into()),
                span: Span { start: 13, end: 34 },
                time_start: Some(Timestamp(1_500)),
                time_end: None,
            },
            Turn {
                number: 2,
                speaker: Some("Zoë".into()),
                span: Span { start: 41, end: 62 },
                time_start: None,
                time_end: Some(Timestamp(9_000)),
            },
        ],
        text,
    }
}

/// A study of two documents, left to settle so that their turns can be kept.
fn settled_study(dir: &Path) -> Study {
    let mut study = Study::init(dir, "turns").unwrap();
    study.add_documents(&[document("fg1", 1), document("fg2", 2)]).unwrap();
    std::thread::sleep(SETTLE + Duration::from_millis(100));
    Study::open(dir).unwrap()
}

/// The turns of both documents through a reader (which keeps them when dropped).
fn read(study: &Study) -> Vec<Vec<Turn>> {
    TurnReader::new(study).turns_of(&["fg1", "fg2"]).unwrap()
}

fn labels(turns: &[Vec<Turn>]) -> Vec<Vec<&str>> {
    turns.iter().map(|t| t.iter().map(|t| t.speaker.as_deref().unwrap_or("-")).collect()).collect()
}

/// Replace `from` by `to` (the same length) in the cache, so that what the cache says is told
/// apart from what the files say.
fn doctor_cache(dir: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let cache = dir.join(TURNS_CACHE);
    let mut bytes = fs::read(&cache).unwrap();
    let at = bytes.windows(from.len()).position(|w| w == from.as_bytes()).expect("in the cache");
    bytes[at..at + to.len()].copy_from_slice(to.as_bytes());
    fs::write(&cache, bytes).unwrap();
}

/// Write `path` anew with `from` replaced by `to` (the same length), then set its modification
/// time back to what it was: an edit that keeps size and mtime is still seen.
fn edit_keeping_size_and_mtime(path: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let before = fs::metadata(path).unwrap().modified().unwrap();
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{text}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
    fs::File::options().write(true).open(path).unwrap().set_modified(before).unwrap();
    assert_eq!(fs::metadata(path).unwrap().modified().unwrap(), before);
}

#[test]
fn turns_come_from_the_cache_and_equal_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut study = Study::init(d, "turns").unwrap();
    study.add_documents(&[document("fg1", 1), document("fg2", 2)]).unwrap();
    let expected = vec![document("fg1", 1).turns, document("fg2", 2).turns];
    // Freshly written files are read but not kept (two writes within one clock tick).
    assert_eq!(read(&study), expected);
    assert!(!d.join(TURNS_CACHE).exists());
    std::thread::sleep(SETTLE + Duration::from_millis(100));
    // Read once more, and now kept; from the cache, the same turns, times and all.
    assert_eq!(read(&study), expected);
    let bytes = fs::read(d.join(TURNS_CACHE)).unwrap();
    assert!(bytes.starts_with(b"thema turns 1\n"));
    assert_eq!(read(&study), expected);
    assert_eq!(fs::read(d.join(TURNS_CACHE)).unwrap(), bytes, "nothing changed, nothing written");
    // A doctored cache is believed while the files are unchanged: `turns.csv` was not read.
    doctor_cache(d, "Facilitator", "Doctoredxyz");
    assert_eq!(labels(&read(&study)), [["Doctoredxyz", "Zoë"], ["Facilitator", "Zoë"]]);
    // A damaged cache is ignored, and written again.
    fs::write(d.join(TURNS_CACHE), &bytes[..bytes.len() - 3]).unwrap();
    assert_eq!(read(&study), expected);
    assert_eq!(fs::read(d.join(TURNS_CACHE)).unwrap(), bytes);
    // A damaged entry (a label that is not UTF-8) is read from `turns.csv`, and written again.
    let mut damaged = bytes.clone();
    let at = damaged.windows(4).position(|w| w == "Zoë".as_bytes()).unwrap();
    damaged[at..at + 4].copy_from_slice(&[0xff; 4]);
    fs::write(d.join(TURNS_CACHE), damaged).unwrap();
    assert_eq!(read(&study), expected);
    assert_eq!(fs::read(d.join(TURNS_CACHE)).unwrap(), bytes);
    // The study's own reader agrees, one document at a time.
    assert_eq!(study.load_turns("fg2").unwrap(), expected[1]);
}

#[test]
fn a_turns_csv_edited_by_hand_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let study = settled_study(d);
    read(&study);
    doctor_cache(d, "Facilitator", "Doctoredxyz");
    assert_eq!(labels(&read(&study))[0], ["Doctoredxyz", "Zoë"]);
    // The same size, the modification time set back: the change time still tells.
    edit_keeping_size_and_mtime(&d.join("documents/fg1/turns.csv"), "2,Zoë,41,62", "2,Zoë,40,62");
    let turns = read(&study);
    assert_eq!(labels(&turns)[0], ["Facilitator", "Zoë"]);
    assert_eq!(turns[0][1].span, Span { start: 40, end: 62 });
    // A `turns.csv` broken by hand is refused as before, naming the file and line.
    fs::write(d.join("documents/fg2/turns.csv"), "turn,speaker,start,end,time_start,time_end\n1,Zoë,9,x,,\n").unwrap();
    let error = TurnReader::new(&study).turns_of(&["fg1", "fg2"]).unwrap_err().to_string();
    assert_eq!(error, study.load_turns("fg2").unwrap_err().to_string());
    assert!(error.contains("documents/fg2/turns.csv") && error.contains("line 2"), "{error}");
}

#[test]
fn a_turns_csv_put_back_by_git_checkout_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let study = settled_study(d);
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(d)
            .output();
        match out {
            Ok(out) => assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr)),
            Err(e) => panic!("git is needed for this test (it is in the CI image): {e}"),
        }
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "first"]);
    // The second version: Zoë's turn starts one later, committed.
    let turns = d.join("documents/fg1/turns.csv");
    fs::write(&turns, fs::read_to_string(&turns).unwrap().replace("2,Zoë,41,62", "2,Zoë,42,62")).unwrap();
    git(&["commit", "-q", "-am", "second"]);
    std::thread::sleep(SETTLE + Duration::from_millis(100));
    let start = |study: &Study| read(study)[0][1].span.start;
    assert_eq!(start(&study), 42);
    assert_eq!(start(&study), 42, "from the cache");
    // Back to the first version, then forward again.
    git(&["checkout", "-q", "HEAD~1", "--", "documents/fg1/turns.csv"]);
    assert_eq!(start(&study), 41);
    git(&["checkout", "-q", "HEAD", "--", "documents/fg1/turns.csv"]);
    assert_eq!(start(&study), 42);
}

#[test]
fn turns_saved_by_a_command_are_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let study = settled_study(d);
    read(&study);
    assert!(d.join(TURNS_CACHE).exists());
    // Zoë's turn split in two, in a transaction as commands do: within it, the held-back
    // files are read, not the cache.
    let mut replaced = document("fg2", 2);
    replaced.turns[1].span.end = 50;
    replaced.turns.push(Turn {
        number: 3,
        speaker: Some("Zoë".into()),
        span: Span { start: 51, end: 62 },
        time_start: None,
        time_end: None,
    });
    let mut study = study;
    let transaction = study.begin();
    study.replace_document(&replaced).unwrap();
    assert_eq!(read(&study)[1], replaced.turns);
    transaction.commit().unwrap();
    assert_eq!(read(&study)[1], replaced.turns);
    // And what is kept once it settles says the same.
    std::thread::sleep(SETTLE + Duration::from_millis(100));
    read(&study);
    doctor_cache(d, "Facilitator", "Doctoredxyz");
    let turns = read(&study);
    assert_eq!(turns[1], replaced.turns);
    assert_eq!(labels(&turns)[0], ["Doctoredxyz", "Zoë"], "the unchanged document still from the cache");
}

#[test]
fn a_turns_csv_changed_while_settling_is_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let study = settled_study(d);
    read(&study);
    let path = d.join("documents/fg1/turns.csv");
    fs::write(&path, fs::read_to_string(&path).unwrap().replace("2,Zoë,41,62", "2,Zoë,43,62")).unwrap();
    assert_eq!(read(&study)[0][1].span.start, 43);
    // fg1 is left out of the cache until it settles; fg2 is still there.
    doctor_cache(d, "Facilitator", "Doctoredxyz");
    assert_eq!(labels(&read(&study)), [["Facilitator", "Zoë"], ["Doctoredxyz", "Zoë"]]);
}

#[test]
fn a_study_where_the_cache_cannot_be_written_reads_all_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let study = settled_study(d);
    // `.thema` a file, not a folder: no cache can be written there (as on a read-only disk; the
    // tests may run as root, whom permissions do not stop).
    fs::remove_dir_all(d.join(".thema")).unwrap();
    fs::write(d.join(".thema"), "not a folder").unwrap();
    let expected = vec![document("fg1", 1).turns, document("fg2", 2).turns];
    for _ in 0..2 {
        assert_eq!(read(&study), expected);
    }
    assert_eq!(fs::read_to_string(d.join(".thema")).unwrap(), "not a folder");
}
