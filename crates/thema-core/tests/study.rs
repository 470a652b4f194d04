//! The study on disk: save, load, save again gives the same bytes; errors name file and line.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use thema_core::check::{check_study, Severity};
use thema_core::metacache::META_CACHE;
use thema_core::turncache::{TurnReader, TURNS_CACHE};
use thema_core::{Document, DocumentMeta, Participant, Span, Speaker, Study, StudyError, Timestamp, Turn};

fn document(id: &str, sequence: u32) -> Document {
    let text = "Facilitator: What keeps you going?\n\nZoë: Hope 🌱, and the café.\n".to_owned();
    Document {
        meta: DocumentMeta {
            id: id.into(),
            title: format!("Focus group {id}"),
            kind: "focus-group".into(),
            date: Some("2021-03-04".into()),
            wave: Some(1),
            sequence,
            source: None,
            attributes: BTreeMap::from([("site".into(), "Vancouver".into())]),
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

/// Every file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.strip_prefix(dir).unwrap().display().to_string(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn build(root: &Path) -> Study {
    let mut study = Study::init(root, "Peer work").unwrap();
    study.participants.attribute_columns = vec!["age".into()];
    study
        .participants
        .add(Participant {
            id: "zoe".into(),
            pseudonym: "Zoë".into(),
            role: "Peer Mentor".into(),
            attributes: BTreeMap::from([("age".into(), "48".into())]),
        })
        .unwrap();
    study.save_participants().unwrap();
    study.add_document(&document("fg2", 2)).unwrap();
    study.add_document(&document("fg1", 1)).unwrap();
    study
}

#[test]
fn save_load_save_gives_identical_bytes() {
    let a = tempfile::tempdir().unwrap();
    build(a.path());
    // Load everything and write it all out again elsewhere.
    let loaded = Study::open(a.path()).unwrap();
    let b = tempfile::tempdir().unwrap();
    let mut copy = Study::init(b.path(), &loaded.settings.name).unwrap();
    copy.settings = loaded.settings.clone();
    copy.participants = loaded.participants.clone();
    copy.save_settings().unwrap();
    copy.save_participants().unwrap();
    for meta in loaded.documents() {
        copy.add_document(&loaded.load_document(&meta.id).unwrap()).unwrap();
    }
    assert_eq!(snapshot(a.path()), snapshot(b.path()));
    // Import order is kept, whatever the folder order.
    let ids: Vec<&str> = loaded.documents().iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["fg1", "fg2"]);
    assert_eq!(loaded.load_document("fg1").unwrap(), document("fg1", 1));
    assert!(check_study(a.path()).is_empty(), "{:?}", check_study(a.path()));
}

#[test]
fn duplicate_ids_and_second_init_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut study = build(dir.path());
    assert!(matches!(study.add_document(&document("fg1", 3)), Err(StudyError::DuplicateDocument { .. })));
    assert!(matches!(Study::init(dir.path(), "again"), Err(StudyError::AlreadyExists { .. })));
    let mut bad = document("Bad Id", 4);
    bad.meta.id = "Bad Id".into();
    assert!(matches!(study.add_document(&bad), Err(StudyError::Invalid(_))));
}

#[test]
fn errors_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let meta = dir.path().join("documents/fg1/document.toml");
    let text = fs::read_to_string(&meta).unwrap().replace("kind = \"focus-group\"", "kind = focus-group");
    fs::write(&meta, text).unwrap();
    let error = Study::open(dir.path()).unwrap_err();
    let StudyError::Parse { path, line, .. } = &error else { panic!("{error}") };
    assert!(path.ends_with("documents/fg1/document.toml"));
    assert_eq!(*line, 3);
    let problems = check_study(dir.path());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0].file.as_str(), problems[0].line), ("documents/fg1/document.toml", Some(3)));
}

#[test]
fn check_finds_every_kind_of_damage() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let root = dir.path();
    // A text edited by hand so spans no longer fit, CRLF line endings, a speaker linked to
    // nobody, a bad typed value, a leftover temporary folder and a folder without metadata.
    fs::write(root.join("documents/fg1/text.txt"), "Facilitator: short\r\n").unwrap();
    fs::write(
        root.join("documents/fg2/speakers.csv"),
        "label,participant,interviewer\nFacilitator,,true\nZoë,ghost,false\n",
    )
    .unwrap();
    fs::write(root.join("participants.csv"), "id,pseudonym,role,age\nzoe,Zoë,Peer Mentor,forty\n").unwrap();
    fs::write(root.join("thema.toml"), "format = 1\nname = \"x\"\n[participant_attributes]\nage = \"number\"\n")
        .unwrap();
    fs::create_dir_all(root.join("documents/.fg3.tmp-1-0")).unwrap();
    fs::create_dir_all(root.join("documents/orphan")).unwrap();
    let problems = check_study(root);
    let summary: Vec<(Severity, &str, Option<usize>)> =
        problems.iter().map(|p| (p.severity, p.file.as_str(), p.line)).collect();
    assert_eq!(
        summary,
        [
            // Leftovers of interrupted writes come first, with the journal (`check_interrupted`).
            (Severity::Warning, "documents/.fg3.tmp-1-0", None),
            (Severity::Error, "participants.csv", Some(2)),
            (Severity::Error, "documents/fg1/text.txt", None),
            (Severity::Error, "documents/fg1/turns.csv", Some(2)),
            (Severity::Error, "documents/fg2/speakers.csv", Some(3)),
            (Severity::Error, "documents/orphan", None),
        ],
        "{problems:#?}"
    );
    assert!(problems[1].message.contains("`forty` is not a number"));
    assert!(problems[3].message.ends_with("(and 1 more turn)"), "{}", problems[3].message);
    assert!(problems[4].fix.contains("thema link fg2"));
}

#[test]
fn codings_save_canonically_and_check_verifies_them() {
    use thema_core::codebook::{CodebookEntry, EntryKind};
    use thema_core::Coding;
    let dir = tempfile::tempdir().unwrap();
    let study = build(dir.path());
    let mut codebook = study.load_codebook().unwrap();
    codebook
        .add(CodebookEntry { id: "hope".into(), name: "Hope".into(), kind: EntryKind::Code, ..Default::default() })
        .unwrap();
    study.save_codebook(&codebook).unwrap();
    let doc = study.load_document("fg1").unwrap();
    let hope = Coding::new(&doc, Span { start: 41, end: 45 }, "hope", "hp", "2026-11-23T04:00:00Z").unwrap();
    let cafe = Coding::new(&doc, Span { start: 55, end: 60 }, "hope", "hp", "2026-11-23T04:01:00Z").unwrap();
    // Out of order and duplicated on purpose: saved sorted, once.
    study.save_coder_codings("hp", &[cafe.clone(), hope.clone(), hope.clone()]).unwrap();
    let text = fs::read_to_string(dir.path().join("codings/hp.jsonl")).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.starts_with("{\"document\":\"fg1\",\"start\":41,\"end\":45,\"quote\":\"Hope\","), "{text}");
    assert_eq!(study.load_codings().unwrap(), [hope.clone(), cafe.clone()]);
    assert_eq!(study.coders().unwrap(), ["hp"]);
    // The same passage twice with different memos (as a git merge can leave it): kept once,
    // with both memos and the exemplar mark, the earliest's time.
    let (mut first, mut second) = (hope.clone(), hope.clone());
    first.memo = "a memo".into();
    second.memo = "another".into();
    second.time = "2026-11-23T05:00:00Z".into();
    second.exemplar = true;
    study.save_coder_codings("hp", &[second, cafe.clone(), first]).unwrap();
    let kept = study.load_codings().unwrap();
    assert_eq!(
        (kept[0].memo.as_str(), kept[0].exemplar, kept[0].time.as_str()),
        ("a memo\nanother", true, "2026-11-23T04:00:00Z")
    );
    study.save_coder_codings("hp", &[hope.clone(), cafe.clone()]).unwrap();
    assert!(check_study(dir.path()).is_empty(), "{:?}", check_study(dir.path()));
    // A coding whose quote no longer matches, and one with an unknown code.
    let bad = text.replace("\"quote\":\"Hope\"", "\"quote\":\"Nope\"").replace(
        "\"code\":\"hope\",\"coder\":\"hp\",\"time\":\"2026-11-23T04:01:00Z\"",
        "\"code\":\"gone\",\"coder\":\"hp\",\"time\":\"2026-11-23T04:01:00Z\"",
    );
    fs::write(dir.path().join("codings/hp.jsonl"), bad).unwrap();
    let problems: Vec<(Option<usize>, String)> =
        check_study(dir.path()).into_iter().map(|p| (p.line, p.message)).collect();
    assert_eq!(
        problems,
        [
            (Some(1), "the quote no longer matches the text of `fg1` at 41..45".to_owned()),
            (Some(2), "code `gone` is not in the codebook".to_owned()),
        ]
    );
}

#[test]
fn decisions_are_appended() {
    use thema_core::study::Decision;
    let dir = tempfile::tempdir().unwrap();
    let study = build(dir.path());
    for action in ["add", "rename"] {
        let d = Decision {
            time: "2026-11-23T04:00:00Z".into(),
            who: "hp".into(),
            action: action.into(),
            what: "code `Hope`".into(),
            why: String::new(),
        };
        study.log_decision(&d).unwrap();
    }
    let log = study.load_decisions().unwrap();
    assert_eq!(log.iter().map(|d| d.action.as_str()).collect::<Vec<_>>(), ["add", "rename"]);
}

#[test]
fn the_decision_log_rewritten_in_a_transaction_holds_each_decision_once() {
    use thema_core::study::Decision;
    let dir = tempfile::tempdir().unwrap();
    let study = build(dir.path());
    let decision = |action: &str, what: &str| Decision {
        time: "2026-11-23T04:00:00Z".into(),
        who: "hp".into(),
        action: action.into(),
        what: what.into(),
        why: String::new(),
    };
    study.log_decision(&decision("add", "code `Simon`")).unwrap();
    let transaction = study.begin();
    study.log_decision(&decision("rename", "`Simon` to `Hope`")).unwrap();
    // Both decisions, the second still held by the transaction, rewritten; then one more.
    let mut log = study.load_decisions().unwrap();
    for d in &mut log {
        d.what = d.what.replace("Simon", "Sam");
    }
    study.save_decisions(&log).unwrap();
    study.log_decision(&decision("deidentify", "1 identifier")).unwrap();
    transaction.commit().unwrap();
    let text = fs::read_to_string(dir.path().join("decisions.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].contains("code `Sam`") && lines[1].contains("`Sam` to `Hope`") && lines[2].contains("deidentify"));
    assert!(!text.contains("Simon"));
}

#[test]
fn a_transaction_writes_all_at_commit_and_nothing_when_dropped() {
    use thema_core::study::Decision;
    use thema_core::{Codebook, CodebookEntry, Coding, EntryKind};
    let dir = tempfile::tempdir().unwrap();
    let mut study = Study::init(dir.path(), "t").unwrap();
    let before = snapshot(dir.path());
    let document = document("fg1", 1);
    let mut codebook = Codebook::default();
    codebook.entries.push(CodebookEntry {
        id: "hope".into(),
        name: "Hope".into(),
        kind: EntryKind::Code,
        ..CodebookEntry::default()
    });
    let decision =
        Decision { time: "t".into(), who: "ab".into(), action: "add".into(), what: "hope".into(), why: "".into() };
    for commit in [false, true] {
        let transaction = study.begin();
        study.add_document(&document).unwrap();
        study.save_codebook(&codebook).unwrap();
        let coding = Coding::new(&document, Span::new(41, 45).unwrap(), "hope", "ab", "t").unwrap();
        study.save_coder_codings("ab", &[coding]).unwrap();
        study.log_decision(&decision).unwrap();
        // Nothing on disk yet, but the study reads its own writes.
        assert_eq!(snapshot(dir.path()), before);
        assert_eq!(study.load_document("fg1").unwrap().text, document.text);
        assert_eq!(study.load_codebook().unwrap().entries.len(), 1);
        assert_eq!(study.coders().unwrap(), ["ab"]);
        assert_eq!(study.load_codings().unwrap()[0].quote, "Hope");
        assert_eq!(study.load_decisions().unwrap(), std::slice::from_ref(&decision));
        if commit {
            transaction.commit().unwrap();
        } else {
            drop(transaction);
            assert_eq!(snapshot(dir.path()), before);
            assert!(study.load_codebook().unwrap().entries.is_empty());
            study = Study::open(dir.path()).unwrap();
        }
    }
    let reopened = Study::open(dir.path()).unwrap();
    assert_eq!(reopened.load_document("fg1").unwrap().text, document.text);
    assert_eq!(reopened.load_codings().unwrap().len(), 1);
    assert_eq!(reopened.load_decisions().unwrap(), [decision]);
    let left: Vec<_> = snapshot(dir.path()).into_keys().filter(|k| k.starts_with(".thema")).collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_file_saved_into_a_replaced_document_lands_in_its_new_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut study = Study::init(dir.path(), "t").unwrap();
    let mut document = document("fg1", 1);
    study.add_document(&document).unwrap();
    let transaction = study.begin();
    document.text = document.text.replace("café", "cafe");
    study.replace_document(&document).unwrap();
    document.meta.title = "Renamed".into();
    study.save_meta(&document.meta).unwrap();
    transaction.commit().unwrap();
    let reopened = Study::open(dir.path()).unwrap();
    assert_eq!(reopened.load_document("fg1").unwrap().text, document.text);
    assert_eq!(reopened.document_meta("fg1").unwrap().title, "Renamed");
}

/// `document_stats` (what `thema ls` shows) takes settled documents' figures from the cache
/// without reading their texts, and counts again any document whose files changed.
#[test]
fn document_stats_come_from_the_cache_until_a_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut study = Study::init(dir.path(), "stats").unwrap();
    study.add_documents(&[document("fg1", 1), document("fg2", 2)]).unwrap();
    let expected: Vec<_> = ["fg1", "fg2"].iter().map(|id| study.load_document(id).unwrap().stats()).collect();
    // Freshly written files are counted but not kept (two writes within one clock tick).
    assert_eq!(study.document_stats().unwrap(), expected);
    let cache = dir.path().join(thema_core::docstats::STATS_CACHE);
    assert!(!cache.exists());
    std::thread::sleep(thema_core::docstats::SETTLE + std::time::Duration::from_millis(100));
    assert_eq!(study.document_stats().unwrap(), expected);
    let text = fs::read_to_string(&cache).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    // Doctor the cached word count of fg1: it is believed, so the text was not read.
    let (unattributed, chars) = (expected[0].unattributed_turns, expected[0].chars);
    let words = format!(" {} {unattributed} {chars}\n", expected[0].words);
    let doctored = text.replacen(&words, &format!(" 4242 {unattributed} 4343\n"), 1);
    assert_ne!(doctored, text);
    fs::write(&cache, &doctored).unwrap();
    let opened = Study::open(dir.path()).unwrap();
    let stats = opened.document_stats().unwrap();
    assert_eq!((stats[0].words, stats[0].chars), (4242, 4343));
    assert_eq!(stats[1], expected[1]);
    // The lengths come from the cache too (the text's is 63 code points, in 68 bytes).
    assert_eq!(opened.document_lengths().unwrap(), [4343, 63]);
    // A changed text (even of the same size) is counted again.
    let path = dir.path().join("documents/fg1/text.txt");
    let changed = fs::read_to_string(&path).unwrap().replace("Hope 🌱, and", "Hope 🌱; and");
    fs::write(&path, changed).unwrap();
    assert_eq!(opened.document_stats().unwrap(), expected);
    // A damaged cache is ignored.
    fs::write(&cache, format!("{}\ngarbage\n", text.lines().next().unwrap())).unwrap();
    assert_eq!(opened.document_stats().unwrap(), expected);
    // Within a transaction, the held-back files are counted, not the cache.
    fs::write(&cache, &doctored).unwrap();
    let transaction = opened.begin();
    assert_eq!(opened.document_stats().unwrap(), expected);
    drop(transaction);
}

#[test]
fn placements_come_from_the_cache_until_the_codings_change() {
    use thema_core::Coding;
    let dir = tempfile::tempdir().unwrap();
    let mut study = Study::init(dir.path(), "placements").unwrap();
    let doc = document("fg1", 1);
    study.add_document(&doc).unwrap();
    let mut hope = Coding::new(&doc, Span { start: 41, end: 45 }, "hope", "hp", "2026-11-23T04:00:00Z").unwrap();
    hope.memo = "the first".into();
    let cafe = Coding::new(&doc, Span { start: 55, end: 60 }, "cafe", "hp", "2026-11-23T04:01:00Z").unwrap();
    study.save_coder_codings("hp", &[hope.clone(), cafe.clone()]).unwrap();
    // The placements are the codings without their words.
    let bare = |c: &Coding| Coding {
        quote: String::new(),
        before: String::new(),
        after: String::new(),
        time: String::new(),
        memo: String::new(),
        ..c.clone()
    };
    let expected = vec![bare(&hope), bare(&cafe)];
    assert_eq!(study.load_coder_placements("hp").unwrap(), expected);
    // A freshly written codings file is read but not cached (two writes within one clock tick).
    let cache = thema_core::placements::cache_path(dir.path(), "hp");
    assert!(!cache.exists());
    std::thread::sleep(thema_core::docstats::SETTLE + std::time::Duration::from_millis(100));
    assert_eq!(study.load_coder_placements("hp").unwrap(), expected);
    let bytes = fs::read(&cache).unwrap();
    // Doctor the cached code `cafe`: it is believed, so the codings file was not read.
    let at = bytes.windows(4).position(|w| w == b"cafe").unwrap();
    let mut doctored = bytes.clone();
    doctored[at..at + 4].copy_from_slice(b"cafz");
    fs::write(&cache, &doctored).unwrap();
    assert_eq!(study.load_coder_placements("hp").unwrap()[1].code, "cafz");
    // Within a transaction, the codings file is read, not the cache.
    let transaction = study.begin();
    assert_eq!(study.load_coder_placements("hp").unwrap(), expected);
    drop(transaction);
    // A changed codings file (same size: one code for another) is read again.
    let path = study.codings_path("hp");
    let changed = fs::read_to_string(&path).unwrap().replace("\"cafe\"", "\"cake\"");
    fs::write(&path, changed).unwrap();
    assert_eq!(study.load_coder_placements("hp").unwrap()[1].code, "cake");
    // A damaged cache is ignored.
    fs::write(&cache, &bytes[..bytes.len() - 3]).unwrap();
    assert_eq!(study.load_coder_placements("hp").unwrap()[1].code, "cake");
    // A line the full reading refuses is refused here too, naming file and line.
    fs::write(&path, "{\"document\":\"fg1\",\"start\":1,\"end\":2,\"code\":\"x\",\"coder\":\"hp\",\"time\":\"t\"}\n")
        .unwrap();
    let full = study.load_coder_codings("hp").unwrap_err().to_string();
    let lean = study.load_coder_placements("hp").unwrap_err().to_string();
    assert!(lean.contains("hp.jsonl") && lean.contains("line 1") && lean.contains("quote"), "{lean}");
    assert_eq!(lean, full);
}

// Opening a study without parsing every `document.toml` (issue 24): the documents' metadata come
// from `.thema/document-meta.tsv` while their files are unchanged, and a file changed in any way
// (by hand, by `git checkout`, by a command) is read again.

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
    // A tab inside a value: the cache's fields are separated by tabs.
    let mut fg1 = document("fg1", 1);
    fg1.meta.attributes.insert("mode".into(), "online\tvideo".into());
    study.add_documents(&[fg1.clone(), document("fg2", 2)]).unwrap();
    // Freshly written files are read but not kept (two writes within one clock tick).
    let fresh = Study::open(d).unwrap();
    assert_eq!(fresh.documents(), [fg1.meta.clone(), document("fg2", 2).meta]);
    assert!(!d.join(META_CACHE).exists());
    std::thread::sleep(thema_core::docstats::SETTLE + Duration::from_millis(100));
    // Read once more, and now kept: a header and a line a document.
    let parsed = Study::open(d).unwrap();
    let cache = fs::read_to_string(d.join(META_CACHE)).unwrap();
    assert_eq!(cache.lines().count(), 3, "{cache}");
    // From the cache: the same metadata, speakers and the tab in an attribute included.
    let cached = Study::open(d).unwrap();
    assert_eq!(cached.documents(), parsed.documents());
    assert_eq!(cached.documents(), [fg1.meta, document("fg2", 2).meta]);
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
    let git = |args: &[&str]| git(d, args);
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

/// Run git in `dir` with an identity of its own.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output();
    match out {
        Ok(out) => assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => panic!("git is needed for this test (it is in the CI image): {e}"),
    }
}

// The cache of every document's turns, `.thema/turns.bin` (issue 24): the counting commands take
// the turns from it while `turns.csv` is unchanged, and read again a `turns.csv` changed in any
// way (by hand, by `git checkout`, by a command).

/// The turns of both documents through a reader (which keeps them when dropped).
fn read_turns(study: &Study) -> Vec<Vec<Turn>> {
    TurnReader::new(study).turns_of(&["fg1", "fg2"]).unwrap()
}

fn labels(turns: &[Vec<Turn>]) -> Vec<Vec<&str>> {
    turns.iter().map(|t| t.iter().map(|t| t.speaker.as_deref().unwrap_or("-")).collect()).collect()
}

/// Replace `from` by `to` (the same length) in the cache, so that what the cache says is told
/// apart from what the files say.
fn doctor_turns_cache(dir: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let cache = dir.join(TURNS_CACHE);
    let mut bytes = fs::read(&cache).unwrap();
    let at = bytes.windows(from.len()).position(|w| w == from.as_bytes()).expect("in the cache");
    bytes[at..at + to.len()].copy_from_slice(to.as_bytes());
    fs::write(&cache, bytes).unwrap();
}

#[test]
fn turns_come_from_the_cache_and_equal_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut study = Study::init(d, "turns").unwrap();
    study.add_documents(&[document("fg1", 1), document("fg2", 2)]).unwrap();
    let expected = vec![document("fg1", 1).turns, document("fg2", 2).turns];
    // Freshly written files are read but not kept (two writes within one clock tick).
    assert_eq!(read_turns(&study), expected);
    assert!(!d.join(TURNS_CACHE).exists());
    std::thread::sleep(thema_core::docstats::SETTLE + Duration::from_millis(100));
    // Read once more, and now kept; from the cache, the same turns, times and all.
    assert_eq!(read_turns(&study), expected);
    let bytes = fs::read(d.join(TURNS_CACHE)).unwrap();
    assert!(bytes.starts_with(b"thema turns 1\n"));
    assert_eq!(read_turns(&study), expected);
    assert_eq!(fs::read(d.join(TURNS_CACHE)).unwrap(), bytes, "nothing changed, nothing written");
    // A doctored cache is believed while the files are unchanged: `turns.csv` was not read.
    doctor_turns_cache(d, "Facilitator", "Doctoredxyz");
    assert_eq!(labels(&read_turns(&study)), [["Doctoredxyz", "Zoë"], ["Facilitator", "Zoë"]]);
    // A damaged cache is ignored, and written again.
    fs::write(d.join(TURNS_CACHE), &bytes[..bytes.len() - 3]).unwrap();
    assert_eq!(read_turns(&study), expected);
    assert_eq!(fs::read(d.join(TURNS_CACHE)).unwrap(), bytes);
    // A damaged entry (a label that is not UTF-8) is read from `turns.csv`, and written again.
    let mut damaged = bytes.clone();
    let at = damaged.windows(4).position(|w| w == "Zoë".as_bytes()).unwrap();
    damaged[at..at + 4].copy_from_slice(&[0xff; 4]);
    fs::write(d.join(TURNS_CACHE), damaged).unwrap();
    assert_eq!(read_turns(&study), expected);
    assert_eq!(fs::read(d.join(TURNS_CACHE)).unwrap(), bytes);
    // The study's own reader agrees, one document at a time.
    assert_eq!(study.load_turns("fg2").unwrap(), expected[1]);
}

#[test]
fn a_turns_csv_edited_by_hand_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    settled_study(d);
    let study = Study::open(d).unwrap();
    read_turns(&study);
    doctor_turns_cache(d, "Facilitator", "Doctoredxyz");
    assert_eq!(labels(&read_turns(&study))[0], ["Doctoredxyz", "Zoë"]);
    // The same size, the modification time set back: the change time still tells.
    edit_keeping_size_and_mtime(&d.join("documents/fg1/turns.csv"), "2,Zoë,41,62", "2,Zoë,40,62");
    let turns = read_turns(&study);
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
    settled_study(d);
    let study = Study::open(d).unwrap();
    let git = |args: &[&str]| git(d, args);
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "first"]);
    // The second version: Zoë's turn starts one later, committed.
    let turns = d.join("documents/fg1/turns.csv");
    fs::write(&turns, fs::read_to_string(&turns).unwrap().replace("2,Zoë,41,62", "2,Zoë,42,62")).unwrap();
    git(&["commit", "-q", "-am", "second"]);
    std::thread::sleep(thema_core::docstats::SETTLE + Duration::from_millis(100));
    let start = |study: &Study| read_turns(study)[0][1].span.start;
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
    settled_study(d);
    let study = Study::open(d).unwrap();
    read_turns(&study);
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
    assert_eq!(read_turns(&study)[1], replaced.turns);
    transaction.commit().unwrap();
    assert_eq!(read_turns(&study)[1], replaced.turns);
    // And what is kept once it settles says the same.
    std::thread::sleep(thema_core::docstats::SETTLE + Duration::from_millis(100));
    read_turns(&study);
    doctor_turns_cache(d, "Facilitator", "Doctoredxyz");
    let turns = read_turns(&study);
    assert_eq!(turns[1], replaced.turns);
    assert_eq!(labels(&turns)[0], ["Doctoredxyz", "Zoë"], "the unchanged document still from the cache");
}

#[test]
fn a_turns_csv_changed_while_settling_is_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    settled_study(d);
    let study = Study::open(d).unwrap();
    read_turns(&study);
    let path = d.join("documents/fg1/turns.csv");
    fs::write(&path, fs::read_to_string(&path).unwrap().replace("2,Zoë,41,62", "2,Zoë,43,62")).unwrap();
    assert_eq!(read_turns(&study)[0][1].span.start, 43);
    // fg1 is left out of the cache until it settles; fg2 is still there.
    doctor_turns_cache(d, "Facilitator", "Doctoredxyz");
    assert_eq!(labels(&read_turns(&study)), [["Facilitator", "Zoë"], ["Doctoredxyz", "Zoë"]]);
}

#[test]
fn turns_are_read_where_their_cache_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    settled_study(d);
    let study = Study::open(d).unwrap();
    // `.thema` a file, not a folder: no cache can be written there (as on a read-only disk; the
    // tests may run as root, whom permissions do not stop).
    fs::remove_dir_all(d.join(".thema")).unwrap();
    fs::write(d.join(".thema"), "not a folder").unwrap();
    let expected = vec![document("fg1", 1).turns, document("fg2", 2).turns];
    for _ in 0..2 {
        assert_eq!(read_turns(&study), expected);
    }
    assert_eq!(fs::read_to_string(d.join(".thema")).unwrap(), "not a folder");
}
