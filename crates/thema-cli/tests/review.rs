//! Team review (`thema review`): the page, comments brought back as memos, and a real browser
//! clicking through the page. The study: a focus group with two participants and the
//! interviewer inside a coding, coded by hp and mk and merged into their consensus (team).
//! Every expected figure is counted by hand from the fixture below.

use std::fs;
use std::path::Path;

use serde_json::{json, Value};

mod support;
use support::{chromium, code_fg1_as_hp_and_mk, files, thema_as as thema, FG1};

fn run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = thema(dir, "hp").args(["--study", "study"]).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn ok(dir: &Path, coder: &str, args: &[&str]) -> String {
    let out = thema(dir, coder).args(["--study", "study"]).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}\n{stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned() + &stderr
}

/// The span of a phrase of FG1 (the text is ASCII: bytes are code points).
fn span(phrase: &str) -> (usize, usize) {
    let start = FG1.find(phrase).unwrap();
    (start, start + phrase.len())
}

/// The study: FG1 (in `support`), theme Support with the codes hope and family under it, the
/// code court outside it, the relation Support eases court; hp and mk code as
/// `support::code_fg1_as_hp_and_mk` says, merged into team:
///
/// | set  | code   | passage                               | participants |
/// |------|--------|---------------------------------------|--------------|
/// | team | hope   | T2, whole turn (hp's quote in mk's)   | Ann          |
/// | team | hope   | T3, whole turn                        | Bo           |
/// | team | family | T3 "my family"                        | Bo           |
/// | team | court  | T2 "Court was hard"                   | Ann          |
/// | team | court  | T4 to T5 (the interviewer in it)      | Ann          |
fn study() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(thema(d, "hp").args(["init", "study"]).output().unwrap().status.success());
    fs::write(d.join("study/participants.csv"), "id,pseudonym,role\nann,Ann,Mentor\nbo,Bo,Mentor\n").unwrap();
    fs::write(d.join("fg1.txt"), FG1).unwrap();
    ok(d, "hp", &["import", "fg1.txt", "--kind", "focus-group"]);
    ok(
        d,
        "hp",
        &["codebook", "add", "Support", "--kind", "theme", "--id", "support", "--definition", "Help that comes"],
    );
    ok(d, "hp", &["codebook", "add", "hope", "--parent", "support"]);
    ok(d, "hp", &["codebook", "add", "family", "--parent", "support"]);
    ok(d, "hp", &["codebook", "add", "court"]);
    ok(d, "hp", &["relate", "support", "court", "--as", "eases"]);
    code_fg1_as_hp_and_mk(d);
    ok(d, "hp", &["merge-coders", "hp", "mk", "--into", "team"]);
    dir
}

/// The data a review page embeds.
fn page_data(page: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"review-data\">";
    let start = page.find(open).unwrap() + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

fn write_page(d: &Path, args: &[&str]) -> String {
    let mut all = vec!["review", "--out", "review.html"];
    all.extend_from_slice(args);
    ok(d, "hp", &all);
    fs::read_to_string(d.join("review.html")).unwrap()
}

fn entry<'a>(data: &'a Value, id: &str) -> &'a Value {
    data["entries"].as_array().unwrap().iter().find(|e| e["id"] == id).unwrap()
}

#[test]
fn the_page_holds_every_entry_with_its_counts_and_quotes() {
    let dir = study();
    let d = dir.path();
    let page = write_page(d, &["--reviewer", "Ana"]);
    assert!(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"));
    let data = page_data(&page);
    assert_eq!(data["coders"], "team (consensus of hp and mk)");
    assert_eq!(data["reviewer"], "Ana");
    // [segments, documents, participants] from the table above; Support holds hope and family.
    for (id, counts) in [("support", [3, 1, 2]), ("hope", [2, 1, 2]), ("family", [1, 1, 1]), ("court", [2, 1, 1])] {
        let e = entry(&data, id);
        assert_eq!(json!([e["segments"], e["documents"], e["participants"]]), json!(counts), "{id}");
    }
    assert_eq!(entry(&data, "support")["definition"], "Help that comes");
    assert_eq!(data["relations"][0]["target"], "relation:support>court:eases");
    // Five passages; the one from T4 to T5 speaks in two voices, the interviewer's and Ann's.
    let quotes = data["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 5);
    let (start, _) = span("And the court?");
    let (_, end) = span("Court was the worst.");
    let court = quotes.iter().find(|q| q["target"] == format!("coding:fg1:{start}-{end}:court")).unwrap();
    assert_eq!(court["parts"][1], json!(["Court was the worst.", "-Ann, Mentor"]));
    assert_eq!(court["parts"].as_array().unwrap().len(), 2);
    // The map's cards and names are clickable by id, its relation by index.
    assert!(page.contains("<g data-entry=\"support\">"), "{page}");
    assert!(page.contains("data-entry=\"hope\""));
    assert!(page.contains("data-relations=\"0\""));
    // One coder's page counts one coder's codings: mk coded hope once.
    let page = write_page(d, &["--coders", "mk"]);
    assert_eq!(entry(&page_data(&page), "hope")["segments"], 1);
}

#[test]
fn study_text_cannot_become_markup_on_the_page() {
    let dir = study();
    let d = dir.path();
    let name = "</script><script>alert(1)</script>";
    ok(d, "hp", &["codebook", "add", name, "--id", "evil", "--definition", "<!-- open"]);
    let page = write_page(d, &[]);
    // Two scripts only: the data and the page's own; the name is in the data, escaped.
    assert_eq!(page.matches("<script").count(), 2, "{page}");
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("<!-- open"));
    assert_eq!(entry(&page_data(&page), "evil")["name"], name);
    // On the map, as SVG text.
    assert!(page.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
}

/// A comments file as the page saves it.
fn comments(list: &[(&str, &str, &str, &str)]) -> String {
    let comments: Vec<Value> = list
        .iter()
        .map(|(id, kind, target, text)| {
            json!({ "id": id, "reviewer": "Ana", "time": "2026-12-05T04:00:00.000Z", "kind": kind,
                    "target": target, "target_name": "", "text": text })
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "format": "thema-review-comments", "version": 1, "study": "study",
                                          "comments": comments }))
    .unwrap()
}

fn memo(d: &Path, id: &str) -> String {
    fs::read_to_string(d.join(format!("study/memos/review-{id}.md"))).unwrap()
}

#[test]
fn comments_come_back_as_memos_once_and_undo_takes_them_back() {
    let dir = study();
    let d = dir.path();
    let (start, end) = span("Hope and my family.");
    let t3 = format!("coding:fg1:{start}-{end}:hope");
    assert!(page_data(&write_page(d, &[])).to_string().contains(&t3), "the page offers T3's hope as {t3}");
    fs::write(
        d.join("ana.json"),
        comments(&[
            ("c1", "merge", "code:family", "Merge into hope?"),
            ("c2", "question", "relation:support>court:eases", "Eases, or <script>alert(1)</script>?"),
            ("c3", "drop-quote", &t3, "Family, not hope."),
        ]),
    )
    .unwrap();
    let said = ok(d, "hp", &["review", "import", "ana.json"]);
    assert!(said.contains("3 review memos added, 0 already imported"), "{said}");
    let c1 = memo(d, "c1");
    assert!(c1.contains("on = \"code:family\""), "{c1}");
    assert!(c1.contains("author = \"Ana\"\ntime = \"2026-12-05T04:00:00.000Z\"\nkind = \"review\""), "{c1}");
    assert!(c1.contains("title = \"Suggestion: merge on family\""), "{c1}");
    assert!(memo(d, "c2").contains("on = \"relation:support>court:eases\""));
    assert!(memo(d, "c3").contains(&format!("on = \"{t3}\"")));

    // Again: nothing added, nothing changed.
    let before = files(d);
    let said = ok(d, "hp", &["review", "import", "ana.json"]);
    assert!(said.contains("0 review memos added, 3 already imported"), "{said}");
    assert_eq!(files(d), before);

    let list = ok(d, "hp", &["review", "list"]);
    insta::assert_snapshot!(list.lines().map(str::trim_end).collect::<Vec<_>>().join("\n"));

    // The comment's script is text in the report.
    ok(d, "hp", &["report", "--memos", "--out", "report.html"]);
    let report = fs::read_to_string(d.join("report.html")).unwrap();
    assert!(report.contains("Eases, or &lt;script&gt;alert(1)&lt;/script&gt;?"), "{report}");
    assert!(!report.contains("<script>alert"));

    ok(d, "hp", &["undo"]);
    assert!(!d.join("study/memos/review-c1.md").exists());
    assert!(ok(d, "hp", &["review", "list"]).contains("no review comments yet"));
}

#[test]
fn comments_follow_merges_and_report_deletions() {
    let dir = study();
    let d = dir.path();
    fs::write(
        d.join("ana.json"),
        comments(&[
            ("c1", "question", "code:family", "Family or hope?"),
            ("c2", "question", "code:court", "Is court a code?"),
            ("c3", "agreement", "code:support", ""),
        ]),
    )
    .unwrap();
    ok(d, "hp", &["codebook", "rename", "support", "Being supported"]);
    ok(d, "hp", &["codebook", "merge", "family", "--into", "hope"]);
    ok(d, "hp", &["codebook", "delete", "court", "--force"]);
    let said = ok(d, "hp", &["review", "import", "ana.json"]);
    assert!(said.contains("comment c1 was on code:family, which is now code:hope: attached there"), "{said}");
    assert!(said.contains("warning: comment c2 is on code:court, which was deleted or merged away: not imported"));
    assert!(said.contains("2 review memos added"), "{said}");
    assert!(memo(d, "c1").contains("on = \"code:hope\""));
    // Renamed: the same id, so the same entry.
    assert!(memo(d, "c3").contains("on = \"code:support\""));
    assert!(!d.join("study/memos/review-c2.md").exists());
}

#[test]
fn bad_comment_files_import_nothing() {
    let dir = study();
    let d = dir.path();
    let before = files(d);
    let cases: [(&str, String); 5] = [
        (
            "unknown.json",
            comments(&[("c1", "question", "code:hope", "Fine"), ("c2", "question", "code:nothing", "What?")]),
        ),
        ("broken.json", "{\"format\": \"thema-review-comments\",\n\"version\": 1,\n\"comments\": [}".to_owned()),
        ("other.json", r#"{"format": "something-else", "version": 1, "comments": []}"#.to_owned()),
        ("target.json", comments(&[("c1", "question", "speaker:Ann", "Who?")])),
        ("huge.json", " ".repeat(8 * 1024 * 1024 + 1)),
    ];
    let mut said = String::new();
    for (name, text) in &cases {
        fs::write(d.join(name), text).unwrap();
        let (success, _, stderr) = run(d, &["review", "import", name]);
        assert!(!success, "{name}");
        said.push_str(&stderr);
    }
    // Two files at once: the good one is not imported either.
    fs::write(d.join("good.json"), comments(&[("c9", "question", "code:hope", "Fine")])).unwrap();
    let (success, _, stderr) = run(d, &["review", "import", "good.json", "unknown.json"]);
    assert!(!success);
    said.push_str(&stderr);
    for (name, _) in &cases {
        fs::remove_file(d.join(name)).unwrap();
    }
    fs::remove_file(d.join("good.json")).unwrap();
    assert_eq!(files(d), before);
    insta::assert_snapshot!(said);
}

/// A real browser clicks through the page: the theme's card, its quotes, two comments, the
/// saved file; the file is then imported.
#[test]
fn a_reviewer_comments_in_a_browser_and_the_comments_come_back() {
    let Some(bin) = chromium() else {
        thema_testkit::skip("chromium is not installed (`.ci/run` installs it)");
        return;
    };
    if std::process::Command::new("python3").arg("--version").output().is_err() {
        thema_testkit::skip("python3 is not installed: it drives Chromium over the DevTools protocol");
        return;
    }
    let dir = study();
    let d = dir.path();
    write_page(d, &[]);
    let downloads = d.join("downloads");
    fs::create_dir(&downloads).unwrap();
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/review.py");
    let out = std::process::Command::new("python3")
        .arg(&driver)
        .arg(d.join("review.html"))
        .arg(&downloads)
        .args(["support", "Hope and my family"])
        .env("THEMA_CHROMIUM", bin)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen["errors"], json!([]), "{seen}");
    assert_eq!(seen["panel"]["heading"], "Support");
    // Support's counts by coder, beside the page's set (team): hp coded hope twice (T2 "Hope
    // helped me", Ann; T3, Bo), mk hope once (T2, Ann) and family once (T3, Bo).
    assert_eq!(
        seen["panel"]["sets"],
        json!([
            ["", "team (consensus of hp and mk)", "hp", "mk", "team"],
            ["Segments", "3", "2", "2", "3"],
            ["Documents", "1", "1", "1", "1"],
            ["Participants", "2", "2", "2", "2"]
        ])
    );
    // The codebook table: Support, hope, family, court in tree order, each coder's segments
    // after the page's counts (court: hp "Court was hard" and T4-T5, mk "Court was the worst");
    // Support's badge counts the comment made on it ("Support" and "1").
    assert_eq!(
        seen["codebook"],
        json!([
            ["Entry", "Kind", "Segments", "Documents", "Participants", "hp", "mk", "team"],
            ["Support1", "theme", "3", "1", "2", "2", "2", "3"],
            ["hope", "code", "2", "1", "2", "2", "1", "2"],
            ["family", "code", "1", "1", "1", "0", "1", "1"],
            ["court", "code", "2", "1", "1", "2", "1", "2"]
        ])
    );
    // Co-occurrence within a turn in team's codings: hope in T2 and T3, family in T3, court in
    // T2, T4 and T5 (its T4-T5 passage is in both). hope and court share T2: c = 1 / (2 + 3 - 1);
    // hope and family share T3: c = 1 / (2 + 1 - 1). The first cell of the clustered table is one
    // of the two pairs; the panel shows its counts.
    let pair = &seen["pair"];
    let counts: Vec<&str> = pair["counts"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    match pair["heading"].as_str().unwrap() {
        "hope and court" | "court and hope" => assert_eq!(counts[2..], ["1", "5", "0.250"], "{pair}"),
        "hope and family" | "family and hope" => assert_eq!(counts[2..], ["1", "5", "0.500"], "{pair}"),
        other => panic!("{other}: {pair}"),
    }
    // A header row and a row each for hope, family and court.
    assert_eq!(seen["heatmap_rows"], 4);
    // Support's 3 quotes with pages of 2: 2 shown and a button for the third, then all 3.
    assert_eq!(seen["paged"], json!([2, "Show 1 more (1 not shown)", 3, true]));
    assert_eq!(seen["relation_kinds"], json!(["question", "rename", "move", "drop", "agreement"]));
    // Support's passages: hope at T2 and T3, family at T3.
    assert_eq!(seen["panel"]["quotes_heading"], "Quotes (3)");
    let quotes: Vec<&str> = seen["panel"]["quotes"].as_array().unwrap().iter().map(|q| q.as_str().unwrap()).collect();
    assert!(quotes[0].starts_with("“Hope helped me. Court was hard.” -Ann, Mentor"), "{quotes:?}");
    assert!(quotes[1].starts_with("“Hope and my family.” -Bo, Mentor"), "{quotes:?}");
    assert!(quotes[2].starts_with("“my family” -Bo, Mentor"), "{quotes:?}");
    assert_eq!(seen["saved"], "review-comments-ana-reviewer.json");
    assert_eq!(seen["relation"], "relation:support>court:eases");
    // "family" is in T3's hope passage and in mk's "my family".
    assert_eq!(seen["search"], "Quotes with “family” (2)");

    let saved = downloads.join("review-comments-ana-reviewer.json");
    let said = ok(d, "hp", &["review", "import", saved.to_str().unwrap()]);
    assert!(said.contains("2 review memos added"), "{said}");
    let list = ok(d, "hp", &["review", "list", "--json"]);
    let list: Value = serde_json::from_str(&list[..list.rfind(']').unwrap() + 1]).unwrap();
    let (start, end) = span("Hope and my family.");
    let on: Vec<String> =
        list.as_array().unwrap().iter().map(|m| m["memo"]["on"].as_str().unwrap().to_owned()).collect();
    assert_eq!(on, ["code:support".to_owned(), format!("coding:fg1:{start}-{end}:hope")]);
    let texts: Vec<&str> = list.as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect();
    assert!(texts[0].starts_with("Is this hope or relief?") && texts[1].starts_with("Not about hope."), "{texts:?}");
}

#[test]
fn resolving_a_comment_logs_the_decision_and_closes_it_in_the_report() {
    let dir = study();
    let d = dir.path();
    fs::write(
        d.join("ana.json"),
        comments(&[("c1", "merge", "code:family", "Merge into hope?"), ("c2", "question", "code:court", "Why apart?")]),
    )
    .unwrap();
    ok(d, "hp", &["review", "import", "ana.json"]);
    let said = ok(d, "mk", &["review", "resolve", "review-c1", "--why", "kept apart: family is its own support"]);
    assert!(said.contains("resolved review comment `review-c1` on code:family by Ana: Suggestion: merge on"), "{said}");
    let log = fs::read_to_string(d.join("study/decisions.jsonl")).unwrap();
    let last: Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    assert_eq!((&last["who"], &last["action"]), (&json!("mk"), &json!("resolve")));
    assert_eq!(last["why"], "kept apart: family is its own support");
    // Once only; a mistyped id gets the nearest.
    let (success, _, stderr) = run(d, &["review", "resolve", "c1"]);
    assert!(!success && stderr.contains("review comment `review-c1` was resolved on"), "{stderr}");
    let (success, _, stderr) = run(d, &["review", "resolve", "review-c3"]);
    assert!(!success && stderr.contains("did you mean `review-c1` or `review-c2`?"), "{stderr}");

    let open = ok(d, "hp", &["review", "list", "--open"]);
    assert!(open.contains("review-c2") && !open.contains("review-c1"), "{open}");
    assert!(ok(d, "hp", &["review", "list"]).contains("resolved by mk"));
    ok(d, "hp", &["report", "--out", "report.html"]);
    let report = fs::read_to_string(d.join("report.html")).unwrap();
    assert!(report.contains("<h2>Open review comments (1)</h2>"), "{report}");
    assert!(report.contains("1 of 2 review comments open"));
    assert!(report.contains("on code “court”") && !report.contains("id=\"memo-review-c1\""), "{report}");
    // Undone, the comment is open again.
    ok(d, "hp", &["undo"]);
    assert!(ok(d, "hp", &["review", "list", "--open"]).contains("review-c1"));
}
