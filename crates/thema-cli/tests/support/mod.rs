//! Helpers shared by the CLI tests.

// Each test crate uses some of these helpers, not all.
#![allow(dead_code)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;

pub(crate) mod tmux;

/// The `thema` binary run in `dir`, as coder `hp`, without colour or an inherited study.
pub(crate) fn thema(dir: &Path) -> Command {
    thema_as(dir, "hp")
}

/// The `thema` binary run in `dir` as `coder`, without colour or an inherited study.
pub(crate) fn thema_as(dir: &Path, coder: &str) -> Command {
    let mut cmd = Command::cargo_bin("thema").unwrap();
    cmd.current_dir(dir).env_remove("THEMA_STUDY").env("THEMA_CODER", coder).env("NO_COLOR", "1");
    cmd
}

/// A new study at `DIR/study` in a temporary folder, with this `participants.csv`.
pub(crate) fn new_study(participants: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert!(thema(dir.path()).args(["init", "study"]).output().unwrap().status.success());
    fs::write(dir.path().join("study/participants.csv"), participants).unwrap();
    dir
}

/// Run `thema --study study ARGS` in `dir`, which must succeed; its standard output.
pub(crate) fn ok(dir: &Path, args: &[&str]) -> String {
    let out = thema(dir).args(["--study", "study"]).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Run `thema --study study ARGS` in `dir`, which must fail; its standard error.
pub(crate) fn fails(dir: &Path, args: &[&str]) -> String {
    let out = thema(dir).args(["--study", "study"]).args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file of the study in `dir/study` but derived data (`.thema/`), sorted, for "nothing
/// changed" checks.
#[allow(dead_code, reason = "each test file uses the helpers it needs")]
pub(crate) fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    study_files(&dir.join("study"))
}

/// Every file of the study at `study` but derived data (`.thema/`), by path relative to the
/// study, sorted: two studies with the same files compare equal wherever they are.
#[allow(dead_code, reason = "each test file uses the helpers it needs")]
pub(crate) fn study_files(study: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![study.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.ends_with(".thema") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.strip_prefix(study).unwrap().display().to_string(), fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Copy a folder and everything in it.
#[allow(dead_code, reason = "each test file uses the helpers it needs")]
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}
