//! Coder sets on a team study: two coders (hp, mk) and their consensus (team), a focus group
//! with two participants and the interviewer inside a coding. Every expected figure is counted
//! by hand from the fixture below; `docs/coders.md` states the rules.

use std::fs;
use std::path::Path;

use serde_json::Value;

mod support;
use support::{code_fg1_as_hp_and_mk, thema_as as thema, FG1};

/// Run as `coder`; (success, stdout, stderr).
fn run(dir: &Path, coder: &str, args: &[&str]) -> (bool, String, String) {
    let out = thema(dir, coder).args(["--study", "study"]).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// Run as `coder`, expecting success; stdout and stderr.
fn ok(dir: &Path, coder: &str, args: &[&str]) -> (String, String) {
    let (success, stdout, stderr) = run(dir, coder, args);
    assert!(success, "{args:?}\n{stderr}");
    (stdout, stderr)
}

fn json(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(dir, "hp", args).0).unwrap()
}

/// A study with FG1 imported and the codes hope, court and family, nothing coded.
fn study() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(thema(d, "hp").args(["init", "study"]).output().unwrap().status.success());
    fs::write(d.join("study/participants.csv"), "id,pseudonym,role\nann,Ann,Mentor\nbo,Bo,Mentor\n").unwrap();
    fs::write(d.join("fg1.txt"), FG1).unwrap();
    ok(d, "hp", &["import", "fg1.txt", "--kind", "focus-group"]);
    for code in ["hope", "court", "family"] {
        ok(d, "hp", &["codebook", "add", code]);
    }
    dir
}

/// hp and mk code the focus group (the table at `support::code_fg1_as_hp_and_mk`).
fn two_coders() -> tempfile::TempDir {
    let dir = study();
    code_fg1_as_hp_and_mk(dir.path());
    dir
}

/// Segments a code has in `codebook --json`.
fn segments(codebook: &Value, code: &str) -> u64 {
    let entries = codebook["entries"].as_array().unwrap();
    entries.iter().find(|e| e["id"] == code).unwrap()["segments"].as_u64().unwrap()
}

fn counts(codebook: &Value) -> [u64; 3] {
    [segments(codebook, "hope"), segments(codebook, "court"), segments(codebook, "family")]
}

#[test]
fn a_consensus_set_is_counted_instead_of_beside_its_sources() {
    let dir = two_coders();
    let d = dir.path();
    // No consensus yet: hp and mk pooled. hope: hp's quote and mk's turn at T2 are one passage,
    // hp's T3 another (2); court: hp's T2 quote, and hp's T4-T5 with mk's T5 inside it (2);
    // family: mk's (1). Added up coder by coder it would be 3, 3, 1.
    let pooled = json(d, &["codebook", "--json"]);
    assert_eq!(counts(&pooled), [2, 2, 1]);
    assert_eq!(pooled["coders"]["coders"], serde_json::json!(["hp", "mk"]));
    assert_eq!(pooled["coders"]["chosen"], "every primary coder");
    assert_eq!(counts(&json(d, &["codebook", "--json", "--coders", "hp"])), [2, 2, 0]);
    assert_eq!(counts(&json(d, &["codebook", "--json", "--coders", "mk"])), [1, 1, 1]);

    let (_, stderr) = ok(d, "hp", &["merge-coders", "hp", "mk", "--into", "team"]);
    assert!(stderr.contains("into team: 5 codings"), "{stderr}");
    let settings = fs::read_to_string(d.join("study/thema.toml")).unwrap();
    assert!(settings.contains("[coders.team]\nsources = [\"hp\", \"mk\"]\nmethod = \"consensus\""), "{settings}");
    // The team's set: hope T2 (the cover of hp's and mk's), hope T3, court T2, court T4-T5,
    // family T3. Not 2 + 1 + 2 = 5 hope segments.
    let (stdout, stderr) = ok(d, "hp", &["codebook"]);
    assert!(stderr.contains("codings of team (consensus of hp and mk) (the newest consensus set)"), "{stderr}");
    assert!(stdout.contains("hope"), "{stdout}");
    let team = json(d, &["codebook", "--json"]);
    assert_eq!(counts(&team), [2, 2, 1]);
    assert_eq!(team["coders"]["coders"], serde_json::json!(["team"]));
    assert_eq!(counts(&json(d, &["codebook", "--json", "--coders", "hp,mk"])), [2, 2, 1]);
    assert_eq!(counts(&json(d, &["codebook", "--json", "--coders", "mk"])), [1, 1, 1]);
    // The team's choice in thema.toml.
    fs::write(d.join("study/thema.toml"), format!("analysis_coders = [\"hp\"]\n{settings}")).unwrap();
    let hp = json(d, &["codebook", "--json"]);
    assert_eq!((counts(&hp), &hp["coders"]["chosen"]), ([2, 2, 0], &Value::from("`analysis_coders` in `thema.toml`")));
    fs::write(d.join("study/thema.toml"), &settings).unwrap();

    // `thema coders` says who is primary and what team was made from.
    let listed = json(d, &["coders", "--json"]);
    let rows = listed["coders"].as_array().unwrap();
    let row = |c: &str| rows.iter().find(|r| r["coder"] == c).unwrap().clone();
    assert_eq!((row("hp")["kind"].clone(), row("hp")["analysed"].clone()), ("primary".into(), false.into()));
    assert_eq!(row("team")["kind"], "derived");
    assert_eq!(row("team")["sources"], serde_json::json!(["hp", "mk"]));
    assert_eq!((row("team")["analysed"].clone(), row("team")["codings"].clone()), (true.into(), 5.into()));

    // Segments and the report say whose codings they are.
    let (stdout, _) = ok(d, "hp", &["segments", "court"]);
    assert!(stdout.starts_with("court (code): 2 segments, 1 document"), "{stdout}");
    ok(d, "hp", &["report", "--out", "report.html"]);
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    assert!(html.contains("5 by team (consensus of hp and mk)"), "the overview names the coder set");

    // A coder with no codings, and `--coders` on a command that counts nothing.
    let (success, _, stderr) = run(d, "hp", &["codebook", "--coders", "hp,xx"]);
    assert!(!success && stderr.contains("coder `xx` has no codings; the coders are hp, mk, team"), "{stderr}");
    let (success, _, stderr) = run(d, "hp", &["ls", "--coders", "hp"]);
    assert!(!success && stderr.contains("`--coders` chooses whose codings a command counts"), "{stderr}");
}

#[test]
fn agreement_compares_the_primary_coders_only() {
    let dir = two_coders();
    let d = dir.path();
    ok(d, "hp", &["merge-coders", "hp", "mk", "--into", "team"]);
    let (stdout, stderr) = ok(d, "hp", &["agree", "--json", "--bootstrap", "0"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["coders"], serde_json::json!(["hp", "mk"]), "{stderr}");
    // By turn (5 units), hope: hp T2, T3; mk T2. They agree on T1, T2, T4, T5: 4 of 5.
    let hope = report["codes"].as_array().unwrap().iter().find(|c| c["code"] == "hope").unwrap();
    let percent = hope["statistics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["metric"].as_str().unwrap().starts_with("percent agreement"))
        .unwrap();
    assert!((percent["value"].as_f64().unwrap() - 0.8).abs() < 1e-12, "{hope}");
    // Named, a derived set is compared.
    let named: Value =
        serde_json::from_str(&ok(d, "hp", &["agree", "hp", "team", "--json", "--bootstrap", "0"]).0).unwrap();
    assert_eq!(named["coders"], serde_json::json!(["hp", "team"]));
}

/// Pairs of `cooccur --json` as (a, b, n12).
fn pairs(report: &Value) -> Vec<(String, String, u64)> {
    report["reports"][0]["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["a"].as_str().unwrap().to_owned(), p["b"].as_str().unwrap().to_owned(), p["n12"].as_u64().unwrap()))
        .collect()
}

#[test]
fn co_occurrence_never_pairs_two_coders_codes() {
    let dir = two_coders();
    let d = dir.path();
    // hp and mk, by turn: hp applied hope and court in T2 (a pair); in T3 hp applied hope and
    // mk family: two readings of one turn, not a pair. hope is in T2, T3; court in T2, T4, T5.
    let pooled = json(d, &["cooccur", "--json", "--min", "1"]);
    assert_eq!(pairs(&pooled), [("court".to_owned(), "hope".to_owned(), 1)]);
    let counts = &pooled["reports"][0]["counts"];
    assert_eq!(
        (counts["hope"].as_u64(), counts["court"].as_u64(), counts["family"].as_u64()),
        (Some(2), Some(3), Some(1))
    );
    assert_eq!(pooled["reports"][0]["units"], 5);
    // The team applied hope and family together in T3: one coder, so a pair (first: its
    // c-coefficient is 1 / (1 + 2 - 1) = 0.5, court and hope's 1 / (3 + 2 - 1) = 0.25).
    ok(d, "hp", &["merge-coders", "hp", "mk", "--into", "team"]);
    let team = json(d, &["cooccur", "--json"]);
    assert_eq!(pairs(&team), [("family".to_owned(), "hope".to_owned(), 1), ("court".to_owned(), "hope".to_owned(), 1)]);
    assert_eq!(team["coders"]["coders"], serde_json::json!(["team"]));
}

#[test]
fn exemplars_are_the_coders_own_and_listed_once() {
    let dir = two_coders();
    let d = dir.path();
    // hp marks the turn: hp's quote inside it, not mk's whole-turn coding.
    let (_, stderr) = ok(d, "hp", &["exemplar", "hope", "--turn", "fg1:T2"]);
    assert!(stderr.contains("marked 1 coding of hp"), "{stderr}");
    let marked = |coder: &str| {
        fs::read_to_string(d.join(format!("study/codings/{coder}.jsonl"))).unwrap().matches("\"exemplar\":true").count()
    };
    assert_eq!((marked("hp"), marked("mk")), (1, 0));
    // hp has no coding of family in T3; the hint names the coder who has.
    let (success, _, stderr) = run(d, "hp", &["exemplar", "family", "--turn", "fg1:T3"]);
    assert!(!success && stderr.contains("mk coded it: pass `--coder mk`"), "{stderr}");
    ok(d, "mk", &["exemplar", "hope", "--turn", "fg1:T2"]);
    assert_eq!((marked("hp"), marked("mk")), (1, 1));
    // Both marked the same passage: one row, pooled or not.
    let listed = json(d, &["exemplar", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["coder"], "hp+mk");
    assert_eq!(json(d, &["exemplar", "--json", "--coders", "mk"]).as_array().unwrap().len(), 1);
    // The consensus keeps the mark.
    ok(d, "hp", &["merge-coders", "hp", "mk", "--into", "team"]);
    let listed = json(d, &["exemplar", "--json"]);
    assert_eq!((listed.as_array().unwrap().len(), &listed[0]["coder"]), (1, &Value::from("team")));
}

/// hp's codings of `code`, as (start, end, quote).
fn codings_of(dir: &Path, code: &str) -> Vec<(u64, u64, String)> {
    let text = fs::read_to_string(dir.join("study/codings/hp.jsonl")).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|c| c["code"] == code)
        .map(|c| (c["start"].as_u64().unwrap(), c["end"].as_u64().unwrap(), c["quote"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn one_coding_a_passage_a_code_a_coder() {
    let dir = study();
    let d = dir.path();
    let at = |quote: &str| FG1.find(quote).unwrap() as u64;
    // code: a quote inside an existing coding adds nothing; one that overlaps extends it.
    ok(d, "hp", &["code", "hope", "--doc", "fg1", "--quote", "Hope helped me"]);
    let (success, _, stderr) = run(d, "hp", &["code", "hope", "--doc", "fg1", "--quote", "helped", "--turn", "fg1:T2"]);
    assert!(!success && stderr.contains("hp already coded this passage with `hope`: the coding at fg1:T2"), "{stderr}");
    let (_, stderr) = ok(d, "hp", &["code", "hope", "--doc", "fg1", "--quote", "me. Court"]);
    assert!(stderr.contains("extended the coding at fg1:T2 with `hope`"), "{stderr}");
    let t2 = at("Hope helped me");
    assert_eq!(codings_of(d, "hope"), [(t2, t2 + 21, "Hope helped me. Court".to_owned())]);

    // invivo goes by the same rule: "Hope" in T3 is a coding of `hope`; the whole turn then
    // extends it; the same words again are already coded.
    ok(d, "hp", &["invivo", "fg1", "--quote", "Hope", "--turn", "fg1:T3"]);
    let (_, stderr) = ok(d, "hp", &["code", "hope", "--turn", "fg1:T3"]);
    assert!(stderr.contains("extended the coding at fg1:T3"), "{stderr}");
    let (success, _, stderr) = run(d, "hp", &["invivo", "fg1", "--quote", "Hope", "--turn", "fg1:T3"]);
    assert!(!success && stderr.contains("already coded this passage"), "{stderr}");
    assert_eq!(codings_of(d, "hope").len(), 2);

    // Autocode by turn over the coded quote of T2 extends it to the turn; T3 is already coded.
    let (_, stderr) = ok(d, "hp", &["search", "Hope", "--autocode", "hope", "--unit", "turn"]);
    assert!(
        stderr.contains("coded 0 passages with `hope` for hp (1 coding extended to take in a hit, 1 already coded"),
        "{stderr}"
    );
    let t3 = at("Hope and my family");
    assert_eq!(
        codings_of(d, "hope"),
        [(t2, t2 + 31, "Hope helped me. Court was hard.".to_owned()), (t3, t3 + 19, "Hope and my family.".to_owned())]
    );

    // apply: two overlapping segments of one code on a sheet become one coding.
    ok(d, "hp", &["sheet", "fg1", "--out", "fg1.md"]);
    let sheet = fs::read_to_string(d.join("fg1.md")).unwrap();
    let edited =
        sheet.replace("Court was the worst.", "[[court]]Court was [[court#2]]the worst[[/court]].[[/court#2]]");
    assert_ne!(sheet, edited);
    fs::write(d.join("fg1.md"), edited).unwrap();
    let (_, stderr) = ok(d, "hp", &["apply", "fg1.md"]);
    assert!(stderr.contains("extended the coding at fg1:T5"), "{stderr}");
    let t5 = at("Court was the worst.");
    assert_eq!(codings_of(d, "court"), [(t5, t5 + 20, "Court was the worst.".to_owned())]);
}

#[test]
fn check_lists_old_overlaps_and_fix_joins_them() {
    let dir = study();
    let d = dir.path();
    ok(d, "hp", &["code", "hope", "--turn", "fg1:T3"]);
    // A coding written before the rule: "Hope and" inside hp's T3 coding, on line 2.
    let path = d.join("study/codings/hp.jsonl");
    let line = fs::read_to_string(&path).unwrap();
    let mut old: Value = serde_json::from_str(line.trim()).unwrap();
    old["end"] = (old["start"].as_u64().unwrap() + 8).into();
    old["quote"] = "Hope and".into();
    fs::write(&path, format!("{line}{old}\n")).unwrap();
    assert_eq!(codings_of(d, "hope").len(), 2);
    let (_, stdout, _) = run(d, "hp", &["check"]);
    // Reported at the longer coding, which sorts after the shorter one at the same start.
    assert!(stdout.contains("codings/hp.jsonl:1: `hope` in `fg1`"), "{stdout}");
    assert!(stdout.contains("overlaps the coding of line 2") && stdout.contains("thema check --fix"), "{stdout}");
    let (stdout, stderr) = ok(d, "hp", &["check", "--fix"]);
    assert!(stderr.contains("joined 1 coding"), "{stderr}");
    assert!(!stdout.contains("overlaps"), "{stdout}");
    let t3 = FG1.find("Hope and my family").unwrap() as u64;
    assert_eq!(codings_of(d, "hope"), [(t3, t3 + 19, "Hope and my family.".to_owned())]);
    let log = fs::read_to_string(d.join("study/decisions.jsonl")).unwrap();
    assert!(log.contains("\"action\":\"join-codings\""), "{log}");
}

#[test]
fn saturation_says_when_later_documents_still_add_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(thema(d, "hp").args(["init", "study"]).output().unwrap().status.success());
    let names: Vec<String> = (1..=8).map(|i| format!("int{i}.txt")).collect();
    for name in &names {
        fs::write(
            d.join(name),
            "Interviewer: How was it?\n\nAnn: Hope came first.\n\nInterviewer: Then?\n\nAnn: Trust.\n",
        )
        .unwrap();
    }
    let mut args = vec!["import"];
    args.extend(names.iter().map(String::as_str));
    ok(d, "hp", &args);
    // Codes a document by document: the base (1-4) brings a-f, 6 codes; 5 and 6 bring nothing
    // new (0%: saturation at 4 documents); 7 brings g (1 of 6, 17%), 8 brings h and i (33%).
    let plan: [&[&str]; 8] = [&["a", "b"], &["c"], &["d"], &["e", "f"], &["a"], &["b"], &["g"], &["h", "i"]];
    for code in ["a", "b", "c", "d", "e", "f", "g", "h", "i"] {
        ok(d, "hp", &["codebook", "add", code]);
    }
    for (i, codes) in plan.iter().enumerate() {
        for (j, code) in codes.iter().enumerate() {
            ok(d, "hp", &["code", code, "--turn", &format!("int{}:T{}", i + 1, 2 + 2 * j)]);
        }
    }
    let (stdout, _) = ok(d, "hp", &["saturation"]);
    assert!(stdout.contains("saturation was reached at 4 documents"), "{stdout}");
    assert!(
        stdout.contains("but documents 7 and 8 still add 17% and 33% new codes (of the 6 codes in the base)"),
        "{stdout}"
    );
    let result = json(d, &["saturation", "--json"]);
    let later: Vec<(u64, u64)> = result["later"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["position"].as_u64().unwrap(), l["new"].as_u64().unwrap()))
        .collect();
    assert_eq!(later, [(7, 1), (8, 2)]);
    // The team's settings: runs of 3 (5-7 bring 1 of 6, 6-8 bring 3): not reached; a flag
    // overrides them; the report uses them.
    let settings = fs::read_to_string(d.join("study/thema.toml")).unwrap();
    fs::write(d.join("study/thema.toml"), format!("{settings}\n[saturation]\nrun = 3\n")).unwrap();
    let (stdout, _) = ok(d, "hp", &["saturation"]);
    assert!(stdout.contains("saturation was not reached: no run of 3 documents"), "{stdout}");
    let (stdout, _) = ok(d, "hp", &["saturation", "--run", "2"]);
    assert!(stdout.contains("reached at 4 documents (base 4, run 2"), "{stdout}");
    ok(d, "hp", &["report", "--out", "r.html"]);
    let html = fs::read_to_string(d.join("r.html")).unwrap();
    assert!(html.contains("saturation was not reached: no run of 3 documents"), "the report uses thema.toml");
}
