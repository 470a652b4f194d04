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

#[test]
fn code_a_turn_and_a_phrase_make_an_in_vivo_code_undo_it_and_quit() {
    if !have("tmux") {
        thema_testkit::skip("tmux is needed to run the workbench in a terminal");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study");
    let thema = assert_cmd::cargo::cargo_bin("thema");
    let demo = Command::new(&thema).args(["demo", "--out"]).arg(&study).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let before = codings(&study);
    let command = format!(
        "env THEMA_CODER=hp TERM=xterm-256color {} --study {} workbench fg1; echo workbench exited $?; sleep 60",
        thema.display(),
        study.display()
    );
    let tmux = Tmux::start("workbench", dir.path(), 100, 30, &command);
    let screen = tmux.wait_for("? shows the keys");
    assert!(screen.contains("▶fg1:T1 Facilitator (interviewer)"), "{screen}");
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
