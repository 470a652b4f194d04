//! The workbench in a real terminal: tmux runs `thema workbench fg1` on the example study, keys
//! code turn 2 and a selected phrase of the interviewer's, make an in-vivo code and undo it, and
//! quit; the codings file, the codebook and `thema check` are then read. Skipped, visibly, where
//! tmux is missing (`.ci/run` installs it).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

mod support;
use support::tmux::{have, Tmux};

/// The coder's codings as (code, start, end).
fn codings(study: &Path) -> BTreeSet<(String, u64, u64)> {
    let text = std::fs::read_to_string(study.join("codings/hp.jsonl")).unwrap();
    text.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            (v["code"].as_str().unwrap().to_owned(), v["start"].as_u64().unwrap(), v["end"].as_u64().unwrap())
        })
        .collect()
}

/// The stripes in the margin of the line of the screen that holds `text`.
fn stripes(screen: &str, text: &str) -> usize {
    let line = screen.lines().find(|l| l.contains(text)).unwrap_or_else(|| panic!("no line with {text:?}:\n{screen}"));
    line.chars().take(4).filter(|&c| c == '┃').count()
}

fn send(tmux: &Tmux, keys: &[&str]) {
    for key in keys {
        tmux.keys(&[key]);
        // One key at a time: an Escape followed at once by a key reads as Alt and that key.
        std::thread::sleep(Duration::from_millis(60));
    }
}

/// The example study in a temporary folder, and `thema workbench OPTIONS fg1` run in tmux as hp
/// on it (named `name`), its first screen drawn; `None` (and a SKIP) without tmux.
fn demo_workbench(name: &str, options: &str) -> Option<(tempfile::TempDir, std::path::PathBuf, Tmux, String)> {
    if !have("tmux") {
        thema_testkit::skip("tmux is needed to run the workbench in a terminal");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study");
    let thema = assert_cmd::cargo::cargo_bin("thema");
    let demo = Command::new(&thema).args(["demo", "--out"]).arg(&study).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let command = format!(
        "env THEMA_CODER=hp TERM=xterm-256color {} --study {} workbench {options} fg1; echo workbench exited $?; sleep 60",
        thema.display(),
        study.display()
    );
    let tmux = Tmux::start(name, dir.path(), 100, 30, &command);
    let screen = tmux.wait_for("? shows the keys");
    assert!(screen.contains("▶fg1:T1 Facilitator (interviewer)"), "{screen}");
    Some((dir, study, tmux, screen))
}

#[test]
fn code_a_turn_and_a_phrase_make_an_in_vivo_code_undo_it_and_quit() {
    let Some((_dir, study, tmux, screen)) = demo_workbench("workbench", "") else { return };
    let thema = assert_cmd::cargo::cargo_bin("thema");
    // The codings before: the demo's, unchanged while the workbench drew its first screen.
    let before = codings(&study);
    assert_eq!(tmux.format("#{mouse_sgr_flag} #{mouse_any_flag}"), "1 1", "the workbench takes the mouse");
    let mechanic = "It’s like if you’re a mechanic";
    let stripes_before = stripes(&screen, mechanic);

    // Turn 2, whole, with `being-honest` (picked by typing part of its name).
    send(&tmux, &["j", "t", "c"]);
    tmux.keys(&["-l", "honest"]);
    tmux.wait_for("being honest");
    send(&tmux, &["Enter"]);
    let screen = tmux.wait_for("coded fg1:T2 with `being honest`");
    assert!(screen.contains("coded fg1:T2 with `being honest`"), "{screen}");
    assert_eq!(stripes(&screen, mechanic), stripes_before + 1, "{screen}");
    // The stripes are drawn in colour.
    let coloured = tmux.capture(true);
    assert!(
        coloured
            .lines()
            .any(|l| l.contains("like if you’re a mechanic") && l.starts_with("\u{1b}[") && l.contains('┃')),
        "{coloured}"
    );

    // "having been" in the interviewer's turn 3: third word, one more, code with `being-flexible`.
    send(&tmux, &["j", "w", "w", "v", "l", "c"]);
    tmux.keys(&["-l", "flexible"]);
    tmux.wait_for("being flexible");
    send(&tmux, &["Enter"]);
    let screen = tmux.wait_for("coded fg1:T3 with `being flexible`");
    assert!(screen.contains("coded fg1:T3"), "{screen}");

    // In vivo from "extra hand" in Yelena's turn 5 (its seventh and eighth words), then undo it.
    send(&tmux, &["j", "j", "w", "w", "w", "w", "w", "w", "v", "l", "i"]);
    let screen = tmux.wait_for("new in-vivo code: coded fg1:T5 with `extra hand`");
    assert!(screen.contains("`extra hand`"), "{screen}");
    assert!(std::fs::read_to_string(study.join("codebook.toml")).unwrap().contains("extra hand"));
    send(&tmux, &["u"]);
    let screen = tmux.wait_for("undid #3");
    assert!(screen.contains("undid #3 `thema workbench (hp): invivo --span fg1:"), "{screen}");

    send(&tmux, &["q"]);
    let screen = tmux.wait_for("workbench exited");
    assert!(screen.contains("workbench exited 0"), "{screen}");
    assert_eq!(tmux.format("#{mouse_sgr_flag} #{mouse_any_flag}"), "0 0", "and gives it back when it quits");

    // hp's codings: those of the example, T2 (122..647) with being-honest and "having been"
    // (672..683, counted in `documents/fg1/text.txt`) with being-flexible; no in-vivo code.
    let after = codings(&study);
    let added: Vec<_> = after.difference(&before).cloned().collect();
    assert_eq!(added, [("being-flexible".to_owned(), 672, 683), ("being-honest".to_owned(), 122, 647)]);
    assert!(before.is_subset(&after));
    assert!(!std::fs::read_to_string(study.join("codebook.toml")).unwrap().contains("extra hand"));
    let check = Command::new(&thema).arg("--study").arg(&study).arg("check").output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    // The two codings are the history's, undoable from the command line.
    let history = Command::new(&thema).arg("--study").arg(&study).arg("history").output().unwrap();
    let history = String::from_utf8_lossy(&history.stdout);
    assert!(history.contains("thema workbench (hp): code being-flexible --span fg1:672..683"), "{history}");
}

/// Where the shared corpora are (beside the repository), if they are.
fn shared(path: &str) -> Option<std::path::PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora").join(path);
    path.exists().then_some(path)
}

/// A mouse event as an xterm sends it with SGR reporting: `button;column;row` (from 1), `M` for
/// a press or a drag, `m` for a release.
fn mouse(tmux: &Tmux, button: u8, column: u16, row: u16, release: bool) {
    let end = if release { 'm' } else { 'M' };
    tmux.keys(&["-l", &format!("\u{1b}[<{button};{column};{row}{end}")]);
    std::thread::sleep(Duration::from_millis(100));
}

#[test]
fn a_fresh_study_is_coded_in_the_workbench_alone_with_the_mouse_sentences_and_the_codebook_pane() {
    if !have("tmux") {
        thema_testkit::skip("tmux is needed to run the workbench in a terminal");
        return;
    }
    let Some(transcript) = shared("qualcoder-examples/transcript.txt") else {
        thema_testkit::skip("../shared/corpora/qualcoder-examples/transcript.txt is not beside the repository");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study");
    let thema = assert_cmd::cargo::cargo_bin("thema");
    let run = |args: &[&str]| {
        let out = Command::new(&thema).arg("--study").arg(&study).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let init = Command::new(&thema).arg("init").arg(&study).output().unwrap();
    assert!(init.status.success());
    run(&["import", transcript.to_str().unwrap(), "--kind", "focus-group"]);
    let command = format!(
        "env THEMA_CODER=ab TERM=xterm-256color {} --study {} workbench; echo workbench exited $?; sleep 60",
        thema.display(),
        study.display()
    );
    let tmux = Tmux::start("fresh", dir.path(), 100, 30, &command);
    let screen = tmux.wait_for("? shows the keys");
    // Row 6 (from 1) is T2's text, from column 9: "I am struggling with the lecture slides."
    assert!(screen.lines().nth(5).unwrap().starts_with("        I am struggling with the lecture slides."), "{screen}");

    // A drag from "lecture" (column 34) to inside "slides" (46) selects the two words; a new
    // code from the picker codes them.
    mouse(&tmux, 0, 34, 6, false);
    mouse(&tmux, 32, 40, 6, false);
    mouse(&tmux, 32, 46, 6, false);
    mouse(&tmux, 0, 46, 6, true);
    send(&tmux, &["c"]);
    tmux.keys(&["-l", "lecture slides"]);
    tmux.wait_for("new code “lecture slides”");
    send(&tmux, &["Enter"]);
    let screen = tmux.wait_for("new code: coded transcript:T2 with `lecture slides`");
    assert!(screen.contains("new code: coded transcript:T2 with `lecture slides`"), "{screen}");

    // T3's second sentence ("No." is the first), by `)` and `s`, coded with a new code.
    send(&tmux, &["j", ")", "s", "c"]);
    tmux.keys(&["-l", "assignments"]);
    tmux.wait_for("new code “assignments”");
    send(&tmux, &["Enter"]);
    tmux.wait_for("with `assignments`");

    // The codebook pane: a theme, both codes put under it, one renamed.
    send(&tmux, &["C", "a"]);
    tmux.keys(&["-l", "theme: Course materials"]);
    send(&tmux, &["Enter"]);
    tmux.wait_for("codebook add: theme `Course materials`");
    // Rows: lecture slides, assignments, Course materials; the first goes under the theme.
    send(&tmux, &["p"]);
    tmux.keys(&["-l", "Course materials"]);
    send(&tmux, &["Enter"]);
    tmux.wait_for("codebook move: `lecture-slides` under `course-materials`");
    // Rows: assignments, Course materials, lecture slides.
    send(&tmux, &["p"]);
    tmux.keys(&["-l", "Course materials"]);
    send(&tmux, &["Enter"]);
    tmux.wait_for("codebook move: `assignments` under `course-materials`");
    // Rows: Course materials, lecture slides, assignments: rename the third.
    send(&tmux, &["j", "j", "r"]);
    send(&tmux, &["BSpace"; 11]);
    tmux.keys(&["-l", "Too many assignments"]);
    send(&tmux, &["Enter"]);
    let screen = tmux.wait_for("codebook rename");
    assert!(screen.contains("code         1    Too many assignments"), "{screen}");

    // A memo on the document, then quit.
    send(&tmux, &["Escape", "M"]);
    tmux.keys(&["-l", "Three students; the tutor asked."]);
    send(&tmux, &["Enter"]);
    tmux.wait_for("wrote memo m-0001 on document transcript");
    send(&tmux, &["q"]);
    let screen = tmux.wait_for("workbench exited");
    assert!(screen.contains("workbench exited 0"), "{screen}");

    // The codings, counted in `documents/transcript/text.txt`: "lecture slides" 210..224, and
    // "I think the slides are OK but I don't like all the assignments" 288..350.
    let text = std::fs::read_to_string(study.join("codings/ab.jsonl")).unwrap();
    let got: Vec<(String, u64, u64)> = text
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            (v["code"].as_str().unwrap().to_owned(), v["start"].as_u64().unwrap(), v["end"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(got, [("lecture-slides".to_owned(), 210, 224), ("assignments".to_owned(), 288, 350)]);
    let codebook = run(&["codebook", "--json"]);
    let entries: serde_json::Value = serde_json::from_str(&codebook).unwrap();
    let by_id = |id: &str| entries["entries"].as_array().unwrap().iter().find(|e| e["id"] == id).cloned().unwrap();
    assert_eq!(by_id("assignments")["name"], "Too many assignments");
    assert_eq!(by_id("assignments")["parent"], "course-materials");
    assert_eq!(by_id("lecture-slides")["parent"], "course-materials");
    assert_eq!(by_id("course-materials")["kind"], "theme");
    let memo = std::fs::read_to_string(study.join("memos/m-0001.md")).unwrap();
    assert!(memo.contains("on = \"document:transcript\""), "{memo}");
    run(&["check"]);
    // Every change is in the history, as the commands that would make it.
    let history = run(&["history"]);
    for line in [
        "codebook add \"Course materials\" --kind theme",
        "codebook move lecture-slides --to \"Course materials\"",
        "memo add --doc transcript",
    ] {
        assert!(history.contains(line), "{line}: {history}");
    }
}

#[test]
fn without_a_terminal_it_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study");
    let thema = assert_cmd::cargo::cargo_bin("thema");
    assert!(Command::new(&thema).args(["demo", "--out"]).arg(&study).output().unwrap().status.success());
    let out = Command::new(&thema).arg("--study").arg(&study).args(["wb", "fg1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error: `thema workbench` needs a terminal"), "{stderr}");
    assert!(stderr.contains("hint: run it in a terminal window"), "{stderr}");
}

#[test]
fn no_mouse_leaves_the_mouse_to_the_terminal() {
    let Some((_dir, _study, tmux, _)) = demo_workbench("nomouse", "--no-mouse") else { return };
    // The terminal keeps the mouse (to select and copy text): no mouse mode was asked for.
    assert_eq!(tmux.format("#{mouse_sgr_flag} #{mouse_button_flag} #{mouse_any_flag}"), "0 0 0");
    send(&tmux, &["q"]);
    assert!(tmux.wait_for("workbench exited").contains("workbench exited 0"));
}
