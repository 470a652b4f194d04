//! Crash safety and concurrency on real meetings (AMI, `../shared/corpora/meetings-ami-icsi`).
//!
//! - thema is killed with SIGKILL at random moments of an import, coding from a search, a
//!   codebook merge, a de-identification, an export and a project import. After each kill every
//!   study file holds its old or its new bytes, never a torn mix; `thema check` passes; and the
//!   study as a whole is either the old one or the new one.
//! - thema is stopped at every step of a commit (`THEMA_CRASH_AFTER_RENAMES`): the next command
//!   finishes the commit from its journal.
//! - Several processes writing one study at once lose nothing; a process that cannot get the
//!   lock in time fails naming the holder and changes nothing.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use thema_core::lock::{Access, StudyLock};

mod support;
use support::copy_dir;

/// A fixed clock, so that a run and its rerun write the same bytes.
const EPOCH: &str = "1767225600";

fn meetings() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/meetings-ami-icsi/Product");
    let Ok(entries) = fs::read_dir(&dir) else {
        thema_testkit::skip(format_args!("{} is missing; this test needs shared/ beside the checkout", dir.display()));
        return None;
    };
    let mut paths: Vec<PathBuf> =
        entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    paths.sort();
    assert!(paths.len() >= 16, "{} meetings", paths.len());
    Some(paths)
}

fn thema(dir: &Path, coder: &str) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("thema"));
    cmd.current_dir(dir)
        .env_remove("THEMA_STUDY")
        .env_remove("THEMA_CRASH_AFTER_RENAMES")
        .env("THEMA_CODER", coder)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn ok(dir: &Path, coder: &str, args: &[&str]) {
    let out = thema(dir, coder).args(args).output().unwrap();
    assert!(out.status.success(), "thema {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Every file under `root` with its bytes, by relative path: derived data (`.thema/`) left out,
/// and temporaries (left by a kill outside a batch) counted apart.
fn snapshot(root: &Path) -> (BTreeMap<String, Vec<u8>>, usize) {
    let mut files = BTreeMap::new();
    let mut temporaries = 0;
    if !root.exists() {
        return (files, 0);
    }
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path == root.join(".thema") {
                continue;
            }
            if thema_core::fsio::is_temporary_name(&name) {
                temporaries += 1;
            } else if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.strip_prefix(root).unwrap().display().to_string(), fs::read(&path).unwrap());
            }
        }
    }
    (files, temporaries)
}

/// The study every operation starts from: 8 meetings, a small codebook, codings by two coders.
fn base(dir: &Path, meetings: &[PathBuf]) -> PathBuf {
    ok(dir, "ann", &["init", "study"]);
    let study = dir.join("study");
    let mut import = vec!["import", "--kind", "meeting"];
    import.extend(meetings[..8].iter().map(|p| p.to_str().unwrap()));
    ok(&study, "ann", &import);
    for code in ["Design", "Remote", "Cost", "Team"] {
        ok(&study, "ann", &["codebook", "add", code]);
    }
    ok(&study, "ann", &["search", "design", "--autocode", "Design", "--unit", "turn"]);
    ok(&study, "ben", &["search", "remote", "--autocode", "Remote", "--unit", "turn"]);
    ok(&study, "ben", &["search", "money OR cost OR price", "--autocode", "Cost"]);
    study
}

/// One way to change the study (or write from it), and where its results land.
struct Operation {
    name: &'static str,
    coder: &'static str,
    args: Vec<String>,
    /// The folder whose files the operation changes (the study, or where it writes).
    target: &'static str,
}

fn operations(meetings: &[PathBuf], key: &Path) -> Vec<Operation> {
    let s = |v: &[&str]| v.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    let mut import = s(&["import", "--kind", "meeting"]);
    import.extend(meetings[8..16].iter().map(|p| p.display().to_string()));
    vec![
        Operation { name: "import", coder: "ann", args: import, target: "study" },
        Operation {
            name: "code from a search",
            coder: "ann",
            args: s(&["search", "team OR meeting OR project", "--autocode", "Team", "--unit", "turn"]),
            target: "study",
        },
        Operation {
            name: "codebook merge",
            coder: "ann",
            args: s(&["codebook", "merge", "Remote", "--into", "Design"]),
            target: "study",
        },
        Operation {
            name: "deidentify",
            coder: "ann",
            args: s(&["deidentify", "--key", key.to_str().unwrap()]),
            target: "study",
        },
        Operation {
            name: "export qdpx",
            coder: "ann",
            args: s(&["export", "qdpx", "--out", "../out/study.qdpx"]),
            target: "out",
        },
        Operation {
            name: "import-project",
            coder: "ann",
            args: s(&["import-project", "../out/study.qdpx", "../copy"]),
            target: "copy",
        },
    ]
}

/// A deterministic stream of numbers in [0, 1).
struct Random(u64);

impl Random {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Each file of `now` is its `old` or its `new` bytes; files only one state has may be missing.
fn each_file_old_or_new(
    what: &str,
    now: &BTreeMap<String, Vec<u8>>,
    old: &BTreeMap<String, Vec<u8>>,
    new: &BTreeMap<String, Vec<u8>>,
) {
    for (path, bytes) in now {
        assert!(
            old.get(path) == Some(bytes) || new.get(path) == Some(bytes),
            "{what}: `{path}` is neither its old nor its new version ({} bytes)",
            bytes.len()
        );
    }
    for path in old.keys().filter(|p| new.contains_key(*p)) {
        assert!(now.contains_key(path), "{what}: `{path}` is gone, though both states have it");
    }
}

#[test]
fn killed_at_random_moments_the_study_is_old_or_new_never_torn() {
    let Some(meetings) = meetings() else { return };
    let dir = tempfile::tempdir().unwrap();
    let study = base(dir.path(), &meetings);
    let key = dir.path().join("key.csv");
    fs::write(&key, "original,replacement,category\nremote,gadget,other\nbutton,switch,other\nDesign,Shape,other\n")
        .unwrap();
    // Everything the operations start from: the study, and the export the project import reads.
    let start = dir.path().join("start");
    copy_dir(&study, &start.join("study"));
    fs::create_dir_all(start.join("out")).unwrap();
    ok(&start.join("study"), "ann", &["export", "qdpx", "--out", "../out/study.qdpx"]);
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let mut kills = 0;
    for op in operations(&meetings, &key) {
        // The new state, from a run to the end, and how long that takes.
        let done = dir.path().join(format!("done-{}", op.name.replace(' ', "-")));
        copy_dir(&start, &done);
        if op.target == "out" {
            fs::remove_file(done.join("out/study.qdpx")).unwrap();
        }
        let began = Instant::now();
        ok(&done.join("study"), op.coder, &op.args.iter().map(String::as_str).collect::<Vec<_>>());
        let full = began.elapsed();
        let old = snapshot(&start.join(op.target)).0;
        let old = if op.target == "out" { BTreeMap::new() } else { old };
        let new = snapshot(&done.join(op.target)).0;
        assert_ne!(old, new, "{}: the operation changes nothing", op.name);

        let (mut stayed_old, mut became_new, mut finished_by_journal) = (0, 0, 0);
        for round in 0..45 {
            let work = dir.path().join(format!("work-{round}"));
            let _ = fs::remove_dir_all(&work);
            copy_dir(&start, &work);
            if op.target == "out" {
                fs::remove_file(work.join("out/study.qdpx")).unwrap();
            }
            let mut child = thema(&work.join("study"), op.coder).args(&op.args).stderr(Stdio::null()).spawn().unwrap();
            // Mostly within the run; the first round kills at once and the last after the end.
            let at = match round {
                0 => 0.0,
                44 => 3.0,
                _ => random.next() * 1.3,
            };
            std::thread::sleep(full.mul_f64(at));
            let _ = child.kill(); // SIGKILL
            child.wait().unwrap();
            kills += 1;
            let what = format!("{} killed in round {round}", op.name);
            let (now, _) = snapshot(&work.join(op.target));
            each_file_old_or_new(&what, &now, &old, &new);
            if work.join("study").join(thema_core::fsio::JOURNAL).exists() {
                finished_by_journal += 1;
            }
            // The check (which first finishes an interrupted commit) passes, and the whole is
            // one state or the other.
            if op.target == "study" || work.join(op.target).join("thema.toml").exists() {
                let root = work.join(op.target);
                let out = thema(&root, "ann").arg("check").output().unwrap();
                assert!(out.status.success(), "{what}: check fails: {}", String::from_utf8_lossy(&out.stderr));
            }
            let (after, _) = snapshot(&work.join(op.target));
            if after == old {
                stayed_old += 1;
            } else if after == new {
                became_new += 1;
            } else {
                let differ: Vec<_> = new.keys().filter(|p| after.get(*p) != new.get(*p)).take(5).collect();
                panic!("{what}: the study is neither the old nor the new one; differs from the new in {differ:?}");
            }
            fs::remove_dir_all(&work).unwrap();
        }
        eprintln!(
            "{}: {full:.0?} to the end; 45 kills: {stayed_old} left the old state, {became_new} the new, \
             {finished_by_journal} of them by finishing a journal",
            op.name
        );
        assert!(stayed_old > 0 && became_new > 0, "{}: the kills did not land before and after the commit", op.name);
    }
    assert!(kills >= 200, "{kills} kills");
}

#[test]
fn a_commit_stopped_at_any_rename_is_finished_by_the_next_command() {
    let Some(meetings) = meetings() else { return };
    let dir = tempfile::tempdir().unwrap();
    let study = base(dir.path(), &meetings);
    let key = dir.path().join("key.csv");
    fs::write(&key, "original,replacement,category\nremote,gadget,other\n").unwrap();
    for op in
        operations(&meetings, &key).into_iter().filter(|o| ["import", "codebook merge", "deidentify"].contains(&o.name))
    {
        let done = dir.path().join("done");
        let _ = fs::remove_dir_all(&done);
        copy_dir(&study, &done);
        ok(&done, op.coder, &op.args.iter().map(String::as_str).collect::<Vec<_>>());
        let (old, new) = (snapshot(&study).0, snapshot(&done).0);
        let mut stops = 0;
        for renames in 0.. {
            let work = dir.path().join("work");
            let _ = fs::remove_dir_all(&work);
            copy_dir(&study, &work);
            let out = thema(&work, op.coder)
                .args(&op.args)
                .env("THEMA_CRASH_AFTER_RENAMES", renames.to_string())
                .output()
                .unwrap();
            if out.status.success() {
                assert_eq!(snapshot(&work).0, new, "{}: a run past every rename", op.name);
                break;
            }
            assert!(
                out.status.code().is_none(),
                "{}: not stopped by the crash point: {}",
                op.name,
                String::from_utf8_lossy(&out.stderr)
            );
            stops += 1;
            let what = format!("{} stopped after {renames} renames", op.name);
            assert!(work.join(thema_core::fsio::JOURNAL).exists(), "{what}: no journal");
            each_file_old_or_new(&what, &snapshot(&work).0, &old, &new);
            let check = thema(&work, "ann").arg("check").output().unwrap();
            assert!(check.status.success(), "{what}: {}", String::from_utf8_lossy(&check.stderr));
            assert_eq!(snapshot(&work).0, new, "{what}: not finished");
            assert!(!work.join(thema_core::fsio::JOURNAL).exists(), "{what}: journal left");
        }
        eprintln!("{}: stopped at each of {stops} points of its commit, finished every time", op.name);
        assert!(stops >= 3, "{}: {stops} points", op.name);
    }
}

#[test]
fn concurrent_writers_lose_nothing() {
    let Some(meetings) = meetings() else { return };
    let dir = tempfile::tempdir().unwrap();
    let study = base(dir.path(), &meetings);
    let before = snapshot(&study).0["codings/ann.jsonl"].iter().filter(|b| **b == b'\n').count();
    // 8 processes at once, each coding 3 turns, one command a turn, all as the same coder.
    let children: Vec<_> = (0..8)
        .map(|p| {
            let study = study.clone();
            std::thread::spawn(move || {
                for t in 0..3 {
                    let turn = format!("es2002a:T{}", 200 + p * 3 + t);
                    let out = thema(&study, "ann").args(["code", "Team", "--turn", &turn]).output().unwrap();
                    assert!(out.status.success(), "{turn}: {}", String::from_utf8_lossy(&out.stderr));
                }
            })
        })
        .collect();
    for child in children {
        child.join().unwrap();
    }
    let text = String::from_utf8(snapshot(&study).0["codings/ann.jsonl"].clone()).unwrap();
    let team: Vec<&str> = text.lines().filter(|l| l.contains(r#""code":"team""#)).collect();
    assert_eq!(team.len(), 24, "every coding of the 8 processes is kept");
    assert_eq!(text.lines().count(), before + 24);
    ok(&study, "ann", &["check"]);
}

#[test]
fn a_writer_that_cannot_get_the_lock_fails_naming_the_holder_or_waits() {
    let Some(meetings) = meetings() else { return };
    let dir = tempfile::tempdir().unwrap();
    let study = base(dir.path(), &meetings);
    let before = snapshot(&study).0;
    let held = StudyLock::acquire(&study, Access::Exclusive, Duration::ZERO, "`thema import`", |_| {}).unwrap();
    let out = thema(&study, "ann")
        .args(["code", "Team", "--turn", "es2002a:T5"])
        .env("THEMA_LOCK_WAIT", "0.3")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("is in use by thema (pid") && stderr.contains("`thema import`"), "{stderr}");
    assert!(stderr.contains("THEMA_LOCK_WAIT"), "{stderr}");
    // Readers wait for the writer too.
    let out = thema(&study, "ann").args(["ls"]).env("THEMA_LOCK_WAIT", "0.2").output().unwrap();
    assert!(!out.status.success());
    assert_eq!(snapshot(&study).0, before, "a refused writer changes nothing");

    // One that may wait long enough gets the lock when it is released.
    let waiter = thema(&study, "ann")
        .args(["code", "Team", "--turn", "es2002a:T5"])
        .env("THEMA_LOCK_WAIT", "30")
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    drop(held);
    let out = waiter.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("waiting for thema (pid"), "{stderr}");
    assert_ne!(snapshot(&study).0, before);
}

/// `thema codebook merge` stopped right after its commit (journal written, no rename made).
fn interrupted_merge(dir: &Path, meetings: &[PathBuf]) -> PathBuf {
    let study = base(dir, meetings);
    let out = thema(&study, "ann")
        .args(["codebook", "merge", "Remote", "--into", "Design"])
        .env("THEMA_CRASH_AFTER_RENAMES", "0")
        .output()
        .unwrap();
    assert!(out.status.code().is_none(), "not stopped: {}", String::from_utf8_lossy(&out.stderr));
    assert!(study.join(thema_core::fsio::JOURNAL).exists());
    study
}

#[test]
fn a_hand_edit_after_an_interrupted_commit_is_never_overwritten() {
    let Some(meetings) = meetings() else { return };
    let dir = tempfile::tempdir().unwrap();
    let study = interrupted_merge(dir.path(), &meetings);
    // The user edits the codebook (or pulls it from git) before any thema command runs.
    let mut edited = fs::read_to_string(study.join("codebook.toml")).unwrap();
    edited.push_str("# checked with the team on Monday\n");
    fs::write(study.join("codebook.toml"), &edited).unwrap();
    let before = snapshot(&study).0;

    let out = thema(&study, "ann").arg("ls").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("would overwrite `codebook.toml`, changed since; nothing was overwritten"), "{stderr}");
    assert!(stderr.contains("`thema check --discard-interrupted`"), "{stderr}");
    assert_eq!(snapshot(&study).0, before, "a refused recovery changes nothing");

    let out = thema(&study, "ann").arg("check").stdout(Stdio::piped()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("error: .thema/journal.json: an interrupted change is pending, but `codebook.toml` changed"),
        "{stdout}"
    );
    assert_eq!(fs::read_to_string(study.join("codebook.toml")).unwrap(), edited);

    let out = thema(&study, "ann").args(["check", "--discard-interrupted"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("dropped the interrupted change's new `codebook.toml`"), "{stderr}");
    assert!(out.status.success(), "{stderr}");
    assert_eq!(fs::read_to_string(study.join("codebook.toml")).unwrap(), edited);
    assert!(!study.join(thema_core::fsio::JOURNAL).exists());
    assert_eq!(snapshot(&study).0, before, "the study as the user left it");
    ok(&study, "ann", &["ls"]);
}

/// Makes the study's lock file unwritable, as on read-only media (`chattr +i`: the tests run as
/// root, whom file modes do not stop); undone when dropped. `None` where that is not possible.
struct ReadOnly(PathBuf);

impl ReadOnly {
    fn make(study: &Path) -> Option<ReadOnly> {
        let lock = study.join(thema_core::lock::LOCK);
        fs::write(&lock, "").unwrap();
        let done = Command::new("chattr").arg("+i").arg(&lock).status().is_ok_and(|s| s.success());
        let denied = fs::OpenOptions::new().write(true).open(&lock).is_err();
        if done && denied {
            return Some(ReadOnly(lock));
        }
        thema_testkit::skip(format_args!("cannot make `{}` unwritable here", lock.display()));
        let _ = Command::new("chattr").arg("-i").arg(&lock).status();
        None
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn a_read_only_study_with_a_pending_journal_says_what_it_touches() {
    let Some(meetings) = meetings() else { return };
    let dir = tempfile::tempdir().unwrap();
    let study = interrupted_merge(dir.path(), &meetings);
    let before = snapshot(&study).0;
    {
        let Some(_read_only) = ReadOnly::make(&study) else { return };
        let out = thema(&study, "ann").args(["segments", "Design"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("is read-only and holds an interrupted change that still has to write"), "{stderr}");
        assert!(stderr.contains("`codebook.toml`") && stderr.contains("`codings/ben.jsonl`"), "{stderr}");

        let out = thema(&study, "ann").arg("check").stdout(Stdio::piped()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("error: .thema/journal.json: an interrupted change is pending: it still has to write"),
            "{stdout}"
        );
        assert!(stdout.contains("`codebook.toml`"), "{stdout}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("the study is consistent"));

        let out = thema(&study, "ann").args(["codebook", "add", "Budget"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("is read-only: `thema codebook` changes it"), "{stderr}");
        assert_eq!(snapshot(&study).0, before, "nothing written to a read-only study");
    }
    // Writable again: the next command finishes the change.
    ok(&study, "ann", &["check"]);
    assert!(!study.join(thema_core::fsio::JOURNAL).exists());
}

#[test]
fn a_read_only_study_can_be_searched() {
    let Some(meetings) = meetings() else { return };
    let dir = tempfile::tempdir().unwrap();
    let study = base(dir.path(), &meetings);
    let searched = thema(&study, "ann").args(["search", "design", "--json"]).stdout(Stdio::piped()).output().unwrap();
    assert!(searched.status.success());
    let Some(_read_only) = ReadOnly::make(&study) else { return };
    for args in [&["search", "design", "--json"][..], &["kwic", "design"], &["words"]] {
        let out = thema(&study, "ann").args(args).stdout(Stdio::piped()).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
    let out = thema(&study, "ann").args(["search", "design", "--json"]).stdout(Stdio::piped()).output().unwrap();
    assert_eq!(out.stdout, searched.stdout, "the same hits as before");
}

/// Small transcripts, enough for several of the import's batches (64 documents each).
fn many_transcripts(dir: &Path, n: usize) -> Vec<String> {
    fs::create_dir_all(dir).unwrap();
    (0..n)
        .map(|i| {
            let path = dir.join(format!("t{i:03}.txt"));
            fs::write(&path, format!("Interviewer: Question {i}?\nAna: Answer number {i}.\nBo: And mine, {i}.\n"))
                .unwrap();
            path.display().to_string()
        })
        .collect()
}

#[test]
fn a_killed_bulk_import_then_the_same_command_ends_as_an_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let files = many_transcripts(&d.join("in"), 400);
    let mut import = vec!["import".to_owned(), "--kind".to_owned(), "interview".to_owned()];
    import.extend(files);
    let import: Vec<&str> = import.iter().map(String::as_str).collect();
    ok(d, "ann", &["init", "whole", "--name", "study"]);
    ok(&d.join("whole"), "ann", &import);
    let whole = snapshot(&d.join("whole")).0;
    assert_eq!(whole.keys().filter(|k| k.ends_with("/text.txt")).count(), 400);

    let mut killed_between = 0;
    for attempt in 0..6 {
        let study = d.join(format!("killed{attempt}"));
        ok(d, "ann", &["init", study.file_name().unwrap().to_str().unwrap(), "--name", "study"]);
        let mut child = thema(&study, "ann").args(&import).stderr(Stdio::null()).spawn().unwrap();
        // Kill once at least one batch has landed.
        let started = Instant::now();
        let landed = |study: &Path| fs::read_dir(study.join("documents")).map(|e| e.count()).unwrap_or(0);
        while landed(&study) < 65 + attempt * 40 && started.elapsed() < Duration::from_secs(60) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let documents = landed(&study) - 1; // `.gitkeep`
        if documents > 0 && documents < 400 {
            killed_between += 1;
        }
        let out = thema(&study, "ann").args(&import).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "the rerun after a kill with {documents} documents: {stderr}");
        if documents > 0 && documents < 400 {
            assert!(stderr.contains("an import of 400 files was stopped before it finished"), "{stderr}");
            assert!(stderr.contains("already there"), "{stderr}");
        }
        assert_eq!(snapshot(&study).0, whole, "after a kill with {documents} documents and a rerun");
        assert!(!study.join(".thema/import-running.json").exists());
    }
    eprintln!("killed between batches {killed_between} times of 6");
    assert!(killed_between >= 3, "only {killed_between} kills landed between batches");
}
