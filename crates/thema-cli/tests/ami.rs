//! The coding commands on a real meeting: AMI ES2002a from `../shared/corpora/meetings-ami-icsi`
//! (four speakers, 287 turns, transcribers' notes such as `{vocalsound}`).
//!
//! Expected figures are counted here from the corpus file itself, not by thema.

use std::fs;
use std::path::{Path, PathBuf};

mod support;
use support::files;
use support::thema_as as thema;

fn meeting() -> Option<PathBuf> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/meetings-ami-icsi/Product/ES2002a.json");
    if path.is_file() {
        Some(path)
    } else {
        thema_testkit::skip(format_args!("{} is missing; this test needs shared/ beside the checkout", path.display()));
        None
    }
}

/// Run in the study as `coder`: success, stdout, stderr.
fn run_as(dir: &Path, coder: &str, args: &[&str]) -> (bool, String, String) {
    let out = thema(dir, coder).args(["--study", "study"]).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (success, stdout, stderr) = run_as(dir, "ann", args);
    assert!(success, "{args:?}\n{stdout}\n{stderr}");
    stdout + &stderr
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let (success, stdout, stderr) = run_as(dir, "ann", args);
    assert!(!success, "{args:?} should fail\n{stdout}\n{stderr}");
    stderr
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let (success, stdout, stderr) = run_as(dir, "ann", args);
    assert!(success, "{args:?}\n{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// The meeting's turns as the corpus gives them: (speaker, content).
fn turns(meeting: &Path) -> Vec<(String, String)> {
    let json: serde_json::Value = serde_json::from_slice(&fs::read(meeting).unwrap()).unwrap();
    json["meeting_transcripts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["speaker"].as_str().unwrap().to_owned(), t["content"].as_str().unwrap().to_owned()))
        .filter(|(_, c)| !c.trim().is_empty())
        .collect()
}

#[test]
fn coding_a_meeting_end_to_end() {
    let Some(meeting) = meeting() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(thema(d, "ann").args(["init", "study"]).output().unwrap().status.success());
    ok(d, &["import", meeting.to_str().unwrap(), "--kind", "meeting"]);
    let turns = turns(&meeting);

    // The codebook, relations and coding by turn, quote, span and in-vivo.
    for args in [
        &["codebook", "add", "Designing the remote", "--kind", "theme", "--role", "central"][..],
        &["codebook", "add", "Team process", "--kind", "theme", "--role", "foundation"],
        &["codebook", "add", "Getting to know each other", "--kind", "category", "--parent", "Team process"],
        &["relate", "Team process", "Designing the remote", "--as", "foundation-of", "--why", "first meeting"],
        &["invivo", "es2002a", "--quote", "kick-off meeting", "--parent", "Team process"],
        &["code", "Getting to know each other", "--turn", "es2002a:T3"],
        &["code", "Designing the remote", "--doc", "es2002a", "--quote", "remote control", "--occurrence", "3"],
        &["code", "Designing the remote", "--span", "es2002a:100..160"],
    ] {
        ok(d, args);
    }
    // T3 is the corpus's third non-blank turn, and the whole of it is coded.
    let segments = json(d, &["segments", "Getting to know each other", "--json"]);
    assert_eq!(segments[0]["quote"].as_str().unwrap(), turns[2].1.trim());
    assert_eq!(segments[0]["turn"].as_str(), Some("es2002a:T3"));

    // An ambiguous quote lists where it occurs and changes nothing.
    let before = files(d);
    // Whole words, as typed: "remote controls" is not an occurrence.
    let occurrences: usize = turns
        .iter()
        .map(|(_, c)| {
            c.split_whitespace().collect::<Vec<_>>().windows(2).filter(|w| w == &["remote", "control"]).count()
        })
        .sum();
    let err = fails(d, &["code", "Designing the remote", "--doc", "es2002a", "--quote", "remote control"]);
    assert!(err.contains(&format!("occurs {occurrences} times")), "{err}");
    assert!(err.contains("es2002a:T10") && err.contains("--occurrence"), "{err}");
    let refusals: [(&[&str], &str); 5] = [
        (&["code", "No such code", "--turn", "es2002a:T3"], "no code, category or theme `No such code`"),
        (&["code", "Team process", "--doc", "es2002a", "--quote", "a sentence nobody said"], "is not in `es2002a`"),
        (&["code", "Team process", "--turn", "es2002a:T9999"], "has no turn 9999"),
        (&["codebook", "move", "Team process", "--to", "Getting to know each other"], "would make a cycle"),
        (&["codebook", "delete", "Designing the remote"], "would be deleted"),
    ];
    for (bad, why) in refusals {
        let err = fails(d, bad);
        assert!(err.contains(why), "{bad:?}: {err}");
    }
    assert_eq!(files(d), before, "refusals change nothing");

    // The tree counts segments under each entry, descendants included.
    let tree = ok(d, &["codebook"]);
    let row = |name: &str| tree.lines().find(|l| l.trim_start().starts_with(name)).unwrap().to_owned();
    assert!(row("Team process").split_whitespace().any(|w| w == "2"), "{tree}");
    assert!(tree.contains("Team process --foundation-of--> Designing the remote"), "{tree}");

    // Suggestions: "remote control" as the words run in the corpus, said by three of the four.
    let suggestions = json(d, &["invivo", "suggest", "--json", "--limit", "1000"]);
    let remote = suggestions.as_array().unwrap().iter().find(|s| s["phrase"] == "remote control").unwrap();
    let mut count = 0;
    let mut speakers = std::collections::BTreeSet::new();
    for (speaker, content) in &turns {
        let words: Vec<String> = content.split_whitespace().map(str::to_lowercase).collect();
        let n = words.windows(2).filter(|w| w[0] == "remote" && w[1] == "control").count();
        count += n;
        if n > 0 {
            speakers.insert(speaker.clone());
        }
    }
    assert_eq!(
        (remote["count"].as_u64(), remote["speakers"].as_u64()),
        (Some(count as u64), Some(speakers.len() as u64))
    );
    assert!(suggestions.as_array().unwrap().iter().all(|s| !s["phrase"].as_str().unwrap().contains("vocalsound")));

    // Sheet -> apply with no edits changes nothing; an added segment is applied.
    let sheet = thema(d, "ann").args(["--study", "study", "sheet", "es2002a"]).output().unwrap();
    assert!(sheet.status.success());
    let sheet = String::from_utf8(sheet.stdout).unwrap();
    fs::write(d.join("es.md"), &sheet).unwrap();
    let before = files(d);
    assert!(ok(d, &["apply", "es.md"]).contains("no changes"));
    assert_eq!(files(d), before);
    let edited = sheet.replacen(
        "Hi , I'm David",
        "[[getting-to-know-each-other]]Hi , I'm David[[/getting-to-know-each-other]]",
        1,
    );
    fs::write(d.join("es.md"), &edited).unwrap();
    assert!(ok(d, &["apply", "es.md"]).contains("1 to add, 0 to remove"));
    let changed = edited.replacen("industrial designer", "mechanical designer", 1);
    let line = changed.lines().position(|l| l.contains("mechanical designer")).unwrap() + 1;
    fs::write(d.join("es.md"), changed).unwrap();
    let before = files(d);
    let err = fails(d, &["apply", "es.md"]);
    assert!(err.contains(&format!("es.md`: line {line}:")) && err.contains("transcript text differs"), "{err}");
    assert_eq!(files(d), before);

    // Memos, a second coder and a consensus set.
    ok(d, &["memo", "add", "Remote talk", "The remote control comes up at T10", "--turn", "es2002a:T10"]);
    assert!(ok(d, &["memo", "list"]).contains("turn:es2002a:T10"));
    let (success, ..) = run_as(d, "bo", &["code", "Team process", "--turn", "es2002a:T5"]);
    assert!(success);
    let (success, ..) = run_as(
        d,
        "bo",
        &["code", "Designing the remote", "--doc", "es2002a", "--quote", "remote control", "--occurrence", "3"],
    );
    assert!(success);
    ok(d, &["merge-coders", "ann", "bo", "--into", "team"]);
    let coders = ok(d, &["coders"]);
    for coder in ["ann ", "bo ", "team "] {
        assert!(coders.lines().any(|l| l.starts_with(coder)), "{coders}");
    }
    let log = ok(d, &["log"]);
    assert!(
        log.contains("relate `team-process` foundation-of `designing-the-remote`")
            && log.contains("why: first meeting")
    );

    // A corrected transcript: codings follow their words.
    let mut corrected: serde_json::Value = serde_json::from_slice(&fs::read(&meeting).unwrap()).unwrap();
    let first = &mut corrected["meeting_transcripts"][0]["content"];
    *first = serde_json::Value::String(first.as_str().unwrap().replacen("Okay Right", "Okay right then", 1));
    fs::write(d.join("ES2002a.json"), serde_json::to_vec(&corrected).unwrap()).unwrap();
    let report = ok(d, &["import", "--replace", "es2002a", "ES2002a.json"]);
    assert!(report.contains("0 not placed"), "{report}");
    assert!(ok(d, &["ls"]).contains("meeting"), "the replaced document keeps its kind");
    let (success, stdout, stderr) = run_as(d, "ann", &["check"]);
    let all = stdout + &stderr;
    assert!(success && all.contains("0 errors"), "{all}");
    let kickoff = json(d, &["segments", "kick-off meeting", "--json"]);
    assert_eq!(kickoff[0]["quote"], "kick-off meeting");
}

/// Whole words (runs of letters and digits, lower case) of a turn, as the exact search index
/// reads them.
fn words(content: &str) -> Vec<String> {
    content.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

#[test]
fn analysis_of_auto_coded_meetings() {
    let Some(first) = meeting() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(thema(d, "ann").args(["init", "study"]).output().unwrap().status.success());
    let product = first.parent().unwrap();
    let names = ["ES2002a", "ES2002b", "ES2002c", "ES2002d", "ES2003a", "ES2003b", "ES2003c", "ES2003d"];
    let files: Vec<std::path::PathBuf> = names.iter().map(|n| product.join(format!("{n}.json"))).collect();
    let mut args = vec!["import".to_owned()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    args.extend(["--kind".into(), "meeting".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(d, &args);
    ok(d, &["codebook", "add", "Remote"]);
    ok(d, &["codebook", "add", "Buttons"]);
    // ann codes every "remote control" and every "button"; bo codes the same turns whole.
    ok(d, &["search", "\"remote control\"", "--exact", "--autocode", "Remote"]);
    ok(d, &["search", "button", "--exact", "--autocode", "Buttons"]);
    let (success, _, stderr) =
        run_as(d, "bo", &["search", "\"remote control\"", "--exact", "--autocode", "Remote", "--unit", "turn"]);
    assert!(success, "{stderr}");
    // Independently, from the corpus files: occurrences per meeting, and turns with both.
    let mut per_meeting = Vec::new();
    let (mut remote_turns, mut both_turns) = (0, 0);
    for f in &files {
        let mut n = 0;
        for (_, content) in turns(f) {
            let w = words(&content);
            let remote = w.windows(2).filter(|p| p[0] == "remote" && p[1] == "control").count();
            n += remote;
            remote_turns += usize::from(remote > 0);
            both_turns += usize::from(remote > 0 && w.iter().any(|x| x == "button"));
        }
        per_meeting.push(n);
    }
    let csv = {
        let (success, stdout, stderr) = run_as(d, "ann", &["matrix", "--by-coder", "ann", "--format", "csv"]);
        assert!(success, "{stderr}");
        stdout
    };
    let remote_row = csv.lines().find(|l| l.starts_with("Remote,")).unwrap();
    let counts: Vec<usize> = remote_row.split(',').skip(1).map(|x| x.parse().unwrap()).collect();
    assert_eq!(counts, per_meeting, "{csv}");
    // Co-occurrence in the same turn, ann's codings.
    let reports = json(d, &["cooccur", "--json"]);
    let pair = reports["reports"][0]["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["a"] == "buttons" && p["b"] == "remote")
        .unwrap()
        .clone();
    assert_eq!(pair["n12"].as_u64(), Some(both_turns as u64));
    // Turn-level agreement on Remote: the same turns, so full agreement.
    let report = json(d, &["agree", "ann", "bo", "--code", "Remote", "--bootstrap", "0", "--json"]);
    let alpha = report["codes"][0]["statistics"][0]["value"].as_f64().unwrap();
    assert_eq!(alpha, 1.0, "{report}");
    assert_eq!(report["codes"][0]["coded_by"][1][1].as_u64(), Some(remote_turns as u64));
    // Saturation over the 8 meetings in import order: the codes each meeting brings first.
    let mut seen = std::collections::BTreeSet::new();
    let mut cumulative = Vec::new();
    for (f, remote) in files.iter().zip(&per_meeting) {
        if *remote > 0 {
            seen.insert("remote");
        }
        if turns(f).iter().any(|(_, c)| words(c).iter().any(|w| w == "button")) {
            seen.insert("buttons");
        }
        cumulative.push(seen.len() as u64);
    }
    let saturation = json(d, &["saturation", "--json"]);
    let steps: Vec<u64> =
        saturation["steps"].as_array().unwrap().iter().map(|s| s["cumulative"].as_u64().unwrap()).collect();
    assert_eq!(steps, cumulative);
    // Publishing: a theme over both codes, its table, the segments file and the report.
    ok(d, &["codebook", "add", "The device", "--kind", "theme", "--role", "central"]);
    ok(d, &["codebook", "move", "Remote", "--parent", "The device"]);
    ok(d, &["codebook", "move", "Buttons", "--parent", "The device"]);
    let stdout = |args: &[&str]| {
        let (success, stdout, stderr) = run_as(d, "ann", args);
        assert!(success, "{args:?}: {stderr}");
        stdout
    };
    let themes = stdout(&["export", "themes", "--format", "csv", "--quotes", "3"]);
    let mut reader = csv::Reader::from_reader(themes.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    // Three quotes chosen by rule, each attributed to a speaker of the meetings.
    let quotes: Vec<&str> = rows[0][4].split('\n').collect();
    assert_eq!(quotes.len(), 3, "{themes}");
    assert!(quotes.iter().all(|q| q.starts_with('“') && q.contains("” -")), "{themes}");
    // Segments pool the two coders: bo's whole turns hold ann's occurrences of "remote control",
    // so each such turn is one Remote passage; only ann coded Buttons.
    let rows = |args: &[&str]| csv::Reader::from_reader(stdout(args).as_bytes()).records().count();
    let lines = |c: &str| fs::read_to_string(d.join(format!("study/codings/{c}.jsonl"))).unwrap();
    let ann_buttons = lines("ann").lines().filter(|l| l.contains("\"code\":\"buttons\"")).count();
    assert_eq!(rows(&["export", "segments", "--format", "csv"]), remote_turns + ann_buttons);
    // One coder's segments are that coder's codings; the codings export is every coding as stored.
    assert_eq!(rows(&["export", "segments", "--format", "csv", "--coders", "ann"]), lines("ann").lines().count());
    let codings = lines("ann").lines().count() + lines("bo").lines().count();
    assert_eq!(rows(&["export", "codings", "--format", "csv"]), codings);
    ok(d, &["report", "--out", "report.html"]);
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    assert!(html.contains("<section id=\"agreement\">") && html.contains("Intercoder agreement by turn"));
    assert!(html.contains("The device"));
}
