//! The daily work of coding without fear of a wrong keystroke: `undo`, `redo` and `history`
//! after every kind of write command, `uncode`, quotes copied from `thema show`, and the views
//! of `thema show` that help to copy them.

use std::fs;
use std::path::Path;

mod support;
use support::files;
use support::thema_as as thema;

/// Run in the study as coder `hp`; exit code, stdout and stderr.
fn run(dir: &Path, args: &[&str]) -> String {
    run_as(dir, "hp", args)
}

fn run_as(dir: &Path, coder: &str, args: &[&str]) -> String {
    let output = thema(dir, coder).args(["--study", "study"]).args(args).output().unwrap();
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Run and insist that it worked.
fn ok(dir: &Path, coder: &str, args: &[&str]) -> String {
    let out = run_as(dir, coder, args);
    assert!(out.starts_with("exit: 0"), "{args:?}\n{out}");
    out
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ filters => vec![(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "[TIME]")] }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

/// The example study built by `thema demo`.
fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = thema(dir.path(), "hp").args(["demo", "--out", "study"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

/// A small study whose code points are counted by hand:
///
/// ```text
/// Interviewer: What changed?\n\nMo: We showed them a way out. A way out of the door.\n\n...
/// 0            13           26  28  32             47       56 58       67 70       80
/// ```
///
/// `rep` has "Pam: " and then "way out. " twelve times: occurrence k at 5 + 9 (k - 1).
fn small() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, "hp", &["init", "study"]);
    fs::write(
        d.join("fg.txt"),
        "Interviewer: What changed?\n\nMo: We showed them a way out. A way out of the door.\n\n\
         Interviewer: And then?\n\nMo: They found work.\n",
    )
    .unwrap();
    fs::write(d.join("rep.txt"), format!("Pam: {}\n", "way out. ".repeat(12).trim_end())).unwrap();
    ok(d, "hp", &["import", "fg.txt", "--id", "fg", "--kind", "interview"]);
    ok(d, "hp", &["import", "rep.txt", "--id", "rep", "--kind", "interview"]);
    ok(d, "hp", &["codebook", "add", "Hope", "--kind", "theme"]);
    dir
}

/// Codings of a coder as `start..end quote` lines.
fn codings(dir: &Path, coder: &str) -> Vec<String> {
    let text = fs::read_to_string(dir.join("study/codings").join(format!("{coder}.jsonl"))).unwrap_or_default();
    text.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            format!("{} {}..{} {}", v["document"].as_str().unwrap(), v["start"], v["end"], v["quote"].as_str().unwrap())
        })
        .collect()
}

#[test]
fn every_kind_of_write_is_undone_byte_for_byte_and_redone() {
    let dir = demo();
    let d = dir.path();
    fs::write(d.join("new.txt"), "Interviewer: How did you start?\n\nSpeaker 2: A friend took me to the office.\n")
        .unwrap();
    fs::write(d.join("new2.txt"), "Interviewer: How did you start?\n\nSpeaker 2: A friend took me to their office.\n")
        .unwrap();
    fs::write(d.join("key.csv"), "original,replacement,category\nUnlocking the Gates,the peer agency,organisation\n")
        .unwrap();
    let sheet = thema(d, "hp").args(["--study", "study", "sheet", "fg1"]).output().unwrap().stdout;
    let sheet = String::from_utf8(sheet).unwrap().replace(
        "to be in touch with peer mentors",
        "to be in touch with [[offering-hope]]peer mentors[[/offering-hope]]",
    );
    fs::write(d.join("fg1.md"), sheet).unwrap();
    let steps: &[(&str, &[&str])] = &[
        ("hp", &["code", "offering-hope", "--turn", "int2:T2"]),
        ("mk", &["code", "offering-hope", "--turn", "int1:T2"]),
        ("hp", &["invivo", "int1", "--quote", "they don't feel loved", "--parent", "Offering hope"]),
        ("hp", &["uncode", "offering-hope", "--turn", "int2:T2"]),
        ("hp", &["codebook", "add", "Feeling lost", "--kind", "theme"]),
        ("hp", &["codebook", "rename", "Feeling lost", "Feeling unloved"]),
        ("hp", &["codebook", "describe", "Feeling unloved", "--definition", "Clients who feel nobody cares"]),
        ("hp", &["codebook", "describe", "Feeling unloved", "--kind", "sub-theme"]),
        ("hp", &["codebook", "move", "they don’t feel loved", "--to", "Feeling unloved"]),
        ("hp", &["relate", "Feeling unloved", "Offering hope", "--as", "leads-to"]),
        ("hp", &["codebook", "merge", "it’s not so bad", "--into", "showing that there is a way out"]),
        ("hp", &["codebook", "delete", "Feeling unloved", "--force"]),
        ("hp", &["participants", "add", "ana", "--pseudonym", "Ana", "--role", "Peer Mentor"]),
        ("hp", &["import", "new.txt", "--id", "int6", "--kind", "interview"]),
        ("hp", &["link", "int6", "Speaker 2", "ana"]),
        ("hp", &["import", "new2.txt", "--id", "int6", "--replace"]),
        ("hp", &["memo", "add", "Loss", "Clients lose their families.", "--turn", "int1:T2"]),
        ("mk", &["exemplar", "offering-hope", "--turn", "int1:T2"]),
        ("hp", &["merge-coders", "hp", "mk", "--into", "team"]),
        ("hp", &["apply", "fg1.md"]),
        ("hp", &["search", "court", "--autocode", "offering-hope"]),
        ("hp", &["deidentify", "--key", "key.csv"]),
    ];
    for (coder, args) in steps {
        let before = files(d);
        ok(d, coder, args);
        let after = files(d);
        assert_ne!(before, after, "{args:?} changed nothing");
        let undone = ok(d, coder, &["undo"]);
        assert!(undone.contains("undid #"), "{undone}");
        assert!(files(d) == before, "undo of {args:?} left the study different");
        ok(d, coder, &["redo"]);
        assert!(files(d) == after, "redo of {args:?} left the study different");
    }
    // The history lists them newest first, with the files each changed.
    let history = ok(d, "hp", &["history", "--limit", "3"]);
    assert!(history.contains("thema --study study deidentify --key key.csv\n    "), "{history}");
    assert!(history.contains("thema --study study search court --autocode offering-hope"), "{history}");
    let listed: serde_json::Value = serde_json::from_str(
        ok(d, "hp", &["history", "--json", "--limit", "100"])
            .split("--- stdout\n")
            .nth(1)
            .unwrap()
            .split("--- stderr")
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), steps.len());
    // Undone step by step, all the way back to the demo.
    // The import is the first step with `new.txt`; `listed` is newest first.
    let at = steps.iter().position(|(_, args)| args.contains(&"new.txt")).unwrap();
    let import = &listed.as_array().unwrap()[steps.len() - 1 - at];
    assert_eq!(import["command"], "thema --study study import new.txt --id int6 --kind interview");
    assert!(import["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["path"] == "documents/int6" && c["before"].is_null()));
    assert_eq!(files(d).iter().filter(|(p, _)| p.contains("documents/int6")).count(), 4);
    for _ in 0..steps.len() - at {
        ok(d, "hp", &["undo"]);
    }
    assert_eq!(files(d).iter().filter(|(p, _)| p.contains("documents/int6")).count(), 0, "the import is undone");
    ok(d, "hp", &["redo"]);
    assert_eq!(files(d).iter().filter(|(p, _)| p.contains("documents/int6")).count(), 4);
}

#[test]
fn undo_refuses_after_an_outside_edit_and_a_new_write_clears_redo() {
    let dir = small();
    let d = dir.path();
    let clean = files(d);
    ok(d, "hp", &["code", "Hope", "--turn", "fg:T2"]);
    let coded = files(d);
    // An editor changes the codings file: undo refuses, naming it, and writes nothing.
    let path = d.join("study/codings/hp.jsonl");
    let edited = fs::read_to_string(&path).unwrap().replace("\"hp\"", "\"hp\" ");
    fs::write(&path, &edited).unwrap();
    let changed = files(d);
    snapshot!("undo_after_outside_edit", run(d, &["undo"]));
    assert!(files(d) == changed);
    // Put back as thema left it: undo works.
    fs::write(&path, &coded.iter().find(|(p, _)| p.ends_with("hp.jsonl")).unwrap().1).unwrap();
    ok(d, "hp", &["undo"]);
    assert!(files(d) == clean);
    // A new write: nothing left to redo.
    ok(d, "hp", &["codebook", "add", "Work", "--kind", "theme"]);
    snapshot!("redo_after_a_new_write", run(d, &["redo"]));
    snapshot!("history", run(d, &["history"]));
    // The new theme, the first theme, the two imports.
    for _ in 0..4 {
        ok(d, "hp", &["undo"]);
    }
    // init wrote outside any command's history: nothing more to undo.
    assert!(run(d, &["undo"]).contains("nothing to undo"));
    assert!(!d.join("study/documents/fg").exists());
    ok(d, "hp", &["history", "--clear"]);
    assert!(run(d, &["redo"]).contains("nothing to redo"));
}

#[test]
fn uncode_removes_shortens_and_splits_only_the_coders_coding() {
    let dir = small();
    let d = dir.path();
    ok(d, "hp", &["code", "Hope", "--turn", "fg:T2"]);
    ok(d, "mk", &["code", "Hope", "--turn", "fg:T2"]);
    // In the middle: split in two, whitespace trimmed at the cut.
    let out = ok(d, "hp", &["uncode", "Hope", "--doc", "fg", "--quote", "a way out."]);
    assert!(out.contains("split into 32..46 and 58..80"), "{out}");
    assert_eq!(codings(d, "hp"), ["fg 32..46 We showed them", "fg 58..80 A way out of the door."]);
    // At the end: shortened.
    ok(d, "hp", &["uncode", "Hope", "--span", "fg:68..80"]);
    assert_eq!(codings(d, "hp"), ["fg 32..46 We showed them", "fg 58..67 A way out"]);
    // The whole turn: both pieces go; the other coder's coding stays.
    ok(d, "hp", &["uncode", "Hope", "--turn", "fg:T2"]);
    assert!(codings(d, "hp").is_empty());
    assert_eq!(codings(d, "mk"), ["fg 32..80 We showed them a way out. A way out of the door."]);
    snapshot!("uncode_nothing_there", run(d, &["uncode", "Hope", "--turn", "fg:T2"]));
    // A coding over two speakers' turns, the interviewer's first: uncoding the interviewer's
    // turn leaves Mo's, from the start of his turn (not the label between them).
    ok(d, "hp", &["code", "Hope", "--span", "fg:13..80"]);
    ok(d, "hp", &["uncode", "Hope", "--turn", "fg:T1"]);
    assert_eq!(codings(d, "hp"), ["fg 32..80 We showed them a way out. A way out of the door."]);
    let log = fs::read_to_string(d.join("study/decisions.jsonl")).unwrap();
    assert_eq!(log.lines().filter(|l| l.contains("\"uncode\"")).count(), 4, "{log}");
    assert!(log.contains("`hope` at fg:13..80 shortened to 32..80"), "{log}");
    ok(d, "hp", &["check"]);
}

#[test]
fn quotes_copied_from_show_are_found_and_stored_exactly() {
    let dir = demo();
    let d = dir.path();
    let text = fs::read_to_string(d.join("study/documents/int1/text.txt")).unwrap();
    // Copy three wrapped, indented lines of a real transcript as printed at 50 columns.
    let shown =
        thema(d, "hp").args(["--study", "study", "show", "int1", "--turns", "2", "--width", "50"]).output().unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    let copied: Vec<&str> = shown.lines().skip(3).take(3).collect();
    assert_eq!(copied[0], "    A lot of times people who are going");
    let quote = copied.join("\n").replace('’', "'");
    ok(d, "hp", &["code", "offering-hope", "--doc", "int1", "--quote", &quote]);
    let stored = codings(d, "hp").into_iter().find(|c| c.starts_with("int1 88..")).unwrap();
    let exact =
        "A lot of times people who are going through a lot, they, they don’t feel loved. They’ve lost their families.";
    assert!(text.contains(exact));
    assert_eq!(stored, format!("int1 88..{} {exact}", 88 + exact.chars().count()));
    // An em dash typed as two hyphens, a soft hyphen, several spaces.
    ok(d, "hp", &["code", "offering-hope", "--doc", "int1", "--quote", "lost  their fri\u{ad}ends"]);
    snapshot!(
        "quote_inside_a_word",
        run(d, &["code", "offering-hope", "--doc", "int1", "--quote", "ot of times people"])
    );
    snapshot!(
        "quote_not_in_text",
        run(d, &["code", "offering-hope", "--doc", "int1", "--quote", "a lot of time people"])
    );
}

#[test]
fn an_ambiguous_quote_says_how_many_more_and_lists_all_with_json() {
    let dir = small();
    let d = dir.path();
    snapshot!("ambiguous_twelve", run(d, &["code", "Hope", "--doc", "rep", "--quote", "way out"]));
    let out = thema(d, "hp")
        .args(["--study", "study", "code", "Hope", "--doc", "rep", "--quote", "way out", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 12);
    assert_eq!(all[11]["span"], "rep:104..111");
    assert_eq!(all[11]["occurrence"], 12);
    assert!(String::from_utf8_lossy(&out.stderr).contains("and 2 more (all printed above)"));
    assert!(codings(d, "hp").is_empty());
}

#[test]
fn show_without_wrapping_with_spans_and_codes() {
    let dir = small();
    let d = dir.path();
    ok(d, "hp", &["code", "Hope", "--turn", "fg:T2"]);
    ok(d, "hp", &["code", "Hope", "--span", "fg:13..26"]);
    ok(d, "hp", &["codebook", "add", "Work", "--kind", "theme"]);
    ok(d, "hp", &["code", "Work", "--doc", "fg", "--quote", "found work"]);
    ok(d, "mk", &["code", "Work", "--turn", "fg:T2"]);
    snapshot!("show_no_wrap_spans", run(d, &["show", "fg", "--no-wrap", "--spans"]));
    assert_eq!(run(d, &["show", "fg", "--no-wrap"]), run(d, &["show", "fg", "--width", "0"]));
    snapshot!("show_codes", run(d, &["show", "fg", "--codes", "--width", "60"]));
    snapshot!("show_codes_no_wrap", run_as(d, "mk", &["show", "fg", "--codes", "--no-wrap"]));
}

#[test]
fn deleting_an_entry_with_children_or_codings_asks_for_force() {
    let dir = demo();
    let d = dir.path();
    let before = files(d);
    snapshot!("delete_theme_with_children", run(d, &["codebook", "delete", "Offering hope"]));
    assert!(files(d) == before);
    ok(d, "hp", &["codebook", "delete", "Offering hope", "--force"]);
    let tree = ok(d, "hp", &["codebook"]);
    assert!(!tree.contains("Offering hope"));
    ok(d, "hp", &["undo"]);
    assert!(files(d) == before);
}
