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

/// Chromium, if installed (`.ci/run` installs Debian's `chromium`).
pub(crate) fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| std::process::Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
}

/// The focus group of the team tests (`coders.rs`, `review.rs`). Turns: T1 interviewer, T2 Ann,
/// T3 Bo, T4 interviewer, T5 Ann.
pub(crate) const FG1: &str = "Interviewer: What helped you?

Ann: Hope helped me. Court was hard.

Bo: Hope and my family.

Interviewer: And the court?

Ann: Court was the worst.
";

/// hp and mk code FG1 (imported as `fg1` into `dir/study`, with the codes hope, court and
/// family):
///
/// | coder | code   | where                           |
/// |-------|--------|---------------------------------|
/// | hp    | hope   | T2 "Hope helped me"             |
/// | hp    | court  | T2 "Court was hard"             |
/// | hp    | hope   | T3, whole turn                  |
/// | hp    | court  | T4 to T5 (the interviewer in it)|
/// | mk    | hope   | T2, whole turn                  |
/// | mk    | family | T3 "my family"                  |
/// | mk    | court  | T5 "Court was the worst"        |
pub(crate) fn code_fg1_as_hp_and_mk(dir: &Path) {
    let start = FG1.find("And the court?").unwrap();
    let end = FG1.find("Court was the worst.").unwrap() + "Court was the worst.".len();
    let t4_to_t5 = format!("fg1:{start}..{end}");
    let hp: [&[&str]; 4] = [
        &["code", "hope", "--doc", "fg1", "--quote", "Hope helped me"],
        &["code", "court", "--doc", "fg1", "--quote", "Court was hard"],
        &["code", "hope", "--turn", "fg1:T3"],
        &["code", "court", "--span", &t4_to_t5],
    ];
    let mk: [&[&str]; 3] = [
        &["code", "hope", "--turn", "fg1:T2"],
        &["code", "family", "--doc", "fg1", "--quote", "my family"],
        &["code", "court", "--doc", "fg1", "--quote", "Court was the worst"],
    ];
    for (coder, args) in hp.iter().map(|a| ("hp", a)).chain(mk.iter().map(|a| ("mk", a))) {
        let out = thema_as(dir, coder).args(["--study", "study"]).args(*args).output().unwrap();
        assert!(out.status.success(), "{args:?}\n{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Whether python's pyarrow (an independent Parquet reader) can be imported, installing it with
/// pip when it is missing; a test that gets `false` calls `thema_testkit::skip`.
#[allow(dead_code, reason = "each test file uses the helpers it needs")]
pub(crate) fn pyarrow() -> bool {
    let have = || {
        std::process::Command::new("python3").args(["-c", "import pyarrow.parquet"]).status().is_ok_and(|s| s.success())
    };
    if !have() {
        let _ = std::process::Command::new("python3").args(["-m", "pip", "install", "--quiet", "pyarrow"]).status();
    }
    have()
}
