//! Opening a study without parsing every `document.toml` (issue 24): the documents' metadata
//! come from `.thema/document-meta.tsv` while their files are unchanged, and a file changed in
//! any way (by hand, by `git checkout`, by a command) is read again.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use thema_core::metacache::META_CACHE;
use thema_core::{Document, DocumentMeta, Span, Speaker, Study, Turn};

fn document(id: &str, sequence: u32) -> Document {
    let text = "Facilitator: What keeps you going?\n\nZoë: Hope, and the café.\n".to_owned();
    Document {
        meta: DocumentMeta {
            id: id.into(),
            title: format!("Focus group {id}"),
            kind: "focus-group".into(),
            date: Some("2021-03-04".into()),
            wave: Some(2),
            sequence,
            source: None,
            attributes: BTreeMap::from([("site".into(), "Vancouver\tEast".into()), ("mode".into(), "online".into())]),
            speakers: vec![
                Speaker { label: "Facilitator".into(), participant: None, interviewer: true },
                Speaker { label: "Zoë".into(), participant: Some("zoe".into()), interviewer: false },
            ],
        },
        text,
        turns: vec![
            Turn {
                number: 1,
                speaker: Some("Facilitator".into()),
                span: Span { start: 13, end: 34 },
                time_start: None,
                time_end: None,
            },
            Turn {
                number: 2,
                speaker: Some("Zoë".into()),
                span: Span { start: 41, end: 59 },
                time_start: None,
                time_end: None,
            },
        ],
    }
}

/// A study of two documents, left to settle so that their metadata can be kept.
fn settled_study(dir: &Path) -> Vec<DocumentMeta> {
    let mut study = Study::init(dir, "meta").unwrap();
    study.add_documents(&[document("fg1", 1), document("fg2", 2)]).unwrap();
    std::thread::sleep(thema_core::docstats::SETTLE + Duration::from_millis(100));
    study.documents().to_vec()
}

fn titles(study: &Study) -> Vec<&str> {
    study.documents().iter().map(|d| d.title.as_str()).collect()
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

/// Replace `from` by `to` in the cache file (so that what the cache says is told apart from
/// what the files say).
fn doctor_cache(dir: &Path, from: &str, to: &str) {
    let cache = dir.join(META_CACHE);
    let text = fs::read_to_string(&cache).unwrap();
    assert!(text.contains(from), "{text}");
    fs::write(&cache, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn metadata_come_from_the_cache_and_equal_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut study = Study::init(d, "meta").unwrap();
    study.add_documents(&[document("fg1", 1), document("fg2", 2)]).unwrap();
    // Freshly written files are read but not kept (two writes within one clock tick).
    let fresh = Study::open(d).unwrap();
    assert_eq!(fresh.documents(), [document("fg1", 1).meta, document("fg2", 2).meta]);
    assert!(!d.join(META_CACHE).exists());
    std::thread::sleep(thema_core::docstats::SETTLE + Duration::from_millis(100));
    // Read once more, and now kept: a header and a line a document.
    let parsed = Study::open(d).unwrap();
    let cache = fs::read_to_string(d.join(META_CACHE)).unwrap();
    assert_eq!(cache.lines().count(), 3, "{cache}");
    // From the cache: the same metadata, speakers and the tab in an attribute included.
    let cached = Study::open(d).unwrap();
    assert_eq!(cached.documents(), parsed.documents());
    assert_eq!(cached.documents(), [document("fg1", 1).meta, document("fg2", 2).meta]);
    // A doctored cache is believed while the files are unchanged: the TOML was not parsed.
    doctor_cache(d, "Focus group fg2", "Doctored fg2");
    assert_eq!(titles(&Study::open(d).unwrap()), ["Focus group fg1", "Doctored fg2"]);
    // A damaged cache is ignored (and written again).
    fs::write(d.join(META_CACHE), format!("{}\ngarbage\n", cache.lines().next().unwrap())).unwrap();
    assert_eq!(titles(&Study::open(d).unwrap()), ["Focus group fg1", "Focus group fg2"]);
    assert_eq!(fs::read_to_string(d.join(META_CACHE)).unwrap(), cache);
}

#[test]
fn a_document_toml_edited_by_hand_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    settled_study(d);
    Study::open(d).unwrap();
    doctor_cache(d, "\"kind\":\"focus-group\"", "\"kind\":\"doctored-kd\"");
    assert_eq!(Study::open(d).unwrap().documents()[0].kind, "doctored-kd");
    // The same size, the modification time set back: the change time still tells.
    edit_keeping_size_and_mtime(&d.join("documents/fg1/document.toml"), "Focus group fg1", "Focus group FG1");
    let study = Study::open(d).unwrap();
    assert_eq!(titles(&study), ["Focus group FG1", "Focus group fg2"]);
    assert_eq!(study.documents()[0].kind, "focus-group");
    // The same for `speakers.csv`: Zoë linked to another participant by hand.
    edit_keeping_size_and_mtime(&d.join("documents/fg2/speakers.csv"), "Zoë,zoe,", "Zoë,zed,");
    let speakers = Study::open(d).unwrap().documents()[1].speakers.clone();
    assert_eq!(speakers[1], Speaker { label: "Zoë".into(), participant: Some("zed".into()), interviewer: false });
    // A `speakers.csv` deleted by hand: no speakers.
    fs::remove_file(d.join("documents/fg1/speakers.csv")).unwrap();
    assert!(Study::open(d).unwrap().documents()[0].speakers.is_empty());
    // A document.toml broken by hand is refused as before, naming the file.
    fs::write(d.join("documents/fg2/document.toml"), "id = \"fg2\"\ntitle = \n").unwrap();
    let error = Study::open(d).unwrap_err().to_string();
    assert!(error.contains("documents/fg2/document.toml"), "{error}");
    // A folder deleted by hand is gone; one added by hand (a copy under another id) is refused
    // for its id until its document.toml says it.
    fs::remove_dir_all(d.join("documents/fg2")).unwrap();
    assert_eq!(titles(&Study::open(d).unwrap()), ["Focus group FG1"]);
    fs::create_dir(d.join("documents/fg3")).unwrap();
    fs::copy(d.join("documents/fg1/document.toml"), d.join("documents/fg3/document.toml")).unwrap();
    let error = Study::open(d).unwrap_err().to_string();
    assert!(error.contains("id `fg1` does not match the folder name `fg3`"), "{error}");
}

#[test]
fn a_document_toml_put_back_by_git_checkout_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    settled_study(d);
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
    // The second version: another title of the same length, committed.
    let meta = d.join("documents/fg1/document.toml");
    fs::write(&meta, fs::read_to_string(&meta).unwrap().replace("Focus group fg1", "Second title 22")).unwrap();
    git(&["commit", "-q", "-am", "second"]);
    std::thread::sleep(thema_core::docstats::SETTLE + Duration::from_millis(100));
    Study::open(d).unwrap();
    assert!(fs::read_to_string(d.join(META_CACHE)).unwrap().contains("Second title 22"));
    assert_eq!(titles(&Study::open(d).unwrap()), ["Second title 22", "Focus group fg2"]);
    // Back to the first version, then forward again.
    git(&["checkout", "-q", "HEAD~1", "--", "documents/fg1/document.toml"]);
    assert_eq!(titles(&Study::open(d).unwrap()), ["Focus group fg1", "Focus group fg2"]);
    git(&["checkout", "-q", "HEAD", "--", "documents/fg1/document.toml"]);
    assert_eq!(titles(&Study::open(d).unwrap()), ["Second title 22", "Focus group fg2"]);
}

#[test]
fn metadata_saved_by_a_command_are_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let metas = settled_study(d);
    let mut study = Study::open(d).unwrap();
    assert!(d.join(META_CACHE).exists());
    // Renamed and relinked, in a transaction as commands do.
    let transaction = study.begin();
    let mut meta = metas[1].clone();
    meta.title = "Renamed group 2".into(); // the same length as before
    meta.speakers[1].participant = Some("zed".into());
    study.save_meta(&meta).unwrap();
    transaction.commit().unwrap();
    let reopened = Study::open(d).unwrap();
    assert_eq!(reopened.documents()[1], meta);
    // Replaced whole, and a third document added.
    let mut replaced = document("fg1", 1);
    replaced.meta.kind = "interview".into();
    study.replace_document(&replaced).unwrap();
    study.add_document(&document("fg3", 3)).unwrap();
    let reopened = Study::open(d).unwrap();
    assert_eq!(reopened.documents(), [replaced.meta.clone(), meta.clone(), document("fg3", 3).meta]);
    // And the cache kept after they settle says the same.
    std::thread::sleep(thema_core::docstats::SETTLE + Duration::from_millis(100));
    Study::open(d).unwrap();
    assert_eq!(fs::read_to_string(d.join(META_CACHE)).unwrap().lines().count(), 4);
    assert_eq!(Study::open(d).unwrap().documents(), reopened.documents());
}

#[test]
fn a_study_where_the_cache_cannot_be_written_opens_all_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let metas = settled_study(d);
    // `.thema` a file, not a folder: no cache can be written there (as on a read-only disk; the
    // tests may run as root, whom permissions do not stop).
    fs::write(d.join(".thema"), "not a folder").unwrap();
    for _ in 0..2 {
        assert_eq!(Study::open(d).unwrap().documents(), metas);
    }
    assert_eq!(fs::read_to_string(d.join(".thema")).unwrap(), "not a folder");
}

#[test]
fn a_file_changed_while_settling_is_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    settled_study(d);
    Study::open(d).unwrap();
    // fg1 changed just now: read, and left out of the cache until it settles.
    let meta = d.join("documents/fg1/document.toml");
    fs::write(&meta, fs::read_to_string(&meta).unwrap().replace("Focus group fg1", "Just now")).unwrap();
    assert_eq!(titles(&Study::open(d).unwrap()), ["Just now", "Focus group fg2"]);
    let cache = fs::read_to_string(d.join(META_CACHE)).unwrap();
    assert_eq!(cache.lines().count(), 2, "{cache}");
    assert!(!cache.contains("fg1\t"), "{cache}");
    let changed = fs::metadata(&meta).unwrap().modified().unwrap();
    assert!(SystemTime::now().duration_since(changed).unwrap() < thema_core::docstats::SETTLE);
}
