//! Publishing on the example study: the theme table against the structure Palis et al. (2024)
//! publish, every export and the report byte-identical on a second run, exemplars, the map, and
//! the report rendered by a real browser (Debian's chromium, headless) when it is installed.

use std::fs;
use std::path::Path;

mod support;
use support::{chromium, thema};

fn run(dir: &Path, args: &[&str]) -> (bool, Vec<u8>, String) {
    let out = thema(dir).args(args).output().unwrap();
    (out.status.success(), out.stdout, String::from_utf8_lossy(&out.stderr).into())
}

fn ok(dir: &Path, args: &[&str]) -> Vec<u8> {
    let (ok, stdout, stderr) = run(dir, args);
    assert!(ok, "thema {args:?} failed: {stderr}");
    stdout
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let (ok, _, stderr) = run(dir, args);
    assert!(!ok, "thema {args:?} should have failed");
    stderr
}

/// The example study, built by the demo.
fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["demo", "--out", "study"]);
    dir
}

/// Table 2 of Palis et al. (2024) and its Findings: each theme, its role, its sub-themes in the
/// paper's order (`examples/palis-2024/coding.toml`, which the demo builds its codebook from).
const PALIS: [(&str, &str, &[&str]); 6] = [
    ("Relying on shared experience", "foundation", &[]),
    (
        "Offering hope",
        "central",
        &["showing clients a way out of the revolving door of prison", "providing reassurance"],
    ),
    (
        "Building respectful relationships",
        "central",
        &["treating clients how you want to be treated", "being honest", "being a friend"],
    ),
    (
        "Providing consistent support",
        "central",
        &[
            "building connections from inside prison through to long-term community reintegration",
            "being available when needed",
            "practicing non-judgement",
        ],
    ),
    (
        "Meeting people where they are at",
        "central",
        &["being flexible", "having patience", "responding to their choices and goals"],
    ),
    ("Bridging connections to services", "outcome", &["offering an extra push", "giving credibility to services"]),
];

#[test]
fn theme_table_has_the_papers_structure_and_quotes() {
    let dir = demo();
    let d = dir.path();
    let csv = ok(d, &["--study", "study", "export", "themes", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    assert_eq!(reader.headers().unwrap(), vec!["Theme", "Role", "Sub-themes", "Description", "Exemplar quotes"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    for (theme, role, subs) in PALIS {
        let row = rows.iter().find(|r| &r[0] == theme).unwrap_or_else(|| panic!("{theme} missing"));
        assert_eq!(&row[1], role, "{theme}");
        let have: Vec<&str> = if row[2].is_empty() { Vec::new() } else { row[2].split('\n').collect() };
        assert_eq!(have, subs, "{theme}");
    }
    // The foundation first, the outcome last.
    assert_eq!(&rows[0][0], "Relying on shared experience");
    assert_eq!(&rows[5][0], "Bridging connections to services");
    // The paper's quotes, attributed as the paper does.
    let shared = &rows[0][4];
    assert!(shared.contains("“It’s like if you’re a mechanic"), "{shared}");
    assert!(shared.contains("” -Simon, Peer Mentor"), "{shared}");
    assert_eq!(shared.lines().count(), 3, "three marked quotes: {shared}");
    let bridging = &rows[5][4];
    assert!(bridging.contains("-Yelena, Peer Mentor") && bridging.contains("-Simon, Peer Mentor"), "{bridging}");
    // Exemplars are listed, and unmarking one removes it from the table.
    let list = String::from_utf8(ok(d, &["--study", "study", "exemplar"])).unwrap();
    assert_eq!(list.lines().count(), 16, "{list}");
    let turn = list.lines().find(|l| l.contains("mechanic")).unwrap().split_whitespace().next().unwrap().to_owned();
    ok(d, &["--study", "study", "exemplar", "Relying on shared experience", "--turn", &turn, "--remove"]);
    let csv = String::from_utf8(ok(d, &["--study", "study", "export", "themes", "--format", "csv"])).unwrap();
    assert!(!csv.contains("mechanic"), "{csv}");
    // Marking and unmarking are decisions the log keeps.
    let log = String::from_utf8(ok(d, &["--study", "study", "log"])).unwrap();
    assert!(log.contains("mark-exemplar") && log.contains("unmark-exemplar"), "{log}");
    // A passage nobody coded with the code cannot be an exemplar of it.
    let e = fails(d, &["--study", "study", "exemplar", "Offering hope", "--turn", &turn]);
    assert!(e.contains("no coding of `Offering hope`") && e.contains("code it first"), "{e}");
    let e = fails(d, &["--study", "study", "exemplar", "--turn", &turn]);
    assert!(e.contains("which code's coding of that passage"), "{e}");
}

#[test]
fn every_export_is_the_same_twice() {
    let dir = demo();
    let d = dir.path();
    let exports: &[(&str, &str)] = &[
        ("codebook", "md"),
        ("codebook", "csv"),
        ("codebook", "xlsx"),
        ("codebook", "latex"),
        ("codebook", "docx"),
        ("codebook", "html"),
        ("themes", "md"),
        ("themes", "xlsx"),
        ("themes", "docx"),
        ("themes", "latex"),
        ("participants", "md"),
        ("participants", "docx"),
        ("participants", "xlsx"),
        ("segments", "csv"),
        ("segments", "parquet"),
        ("codings", "csv"),
        ("codings", "parquet"),
    ];
    for round in ["a", "b"] {
        fs::create_dir_all(d.join(round)).unwrap();
        for (what, format) in exports {
            let out = format!("{round}/{what}.{format}");
            ok(d, &["--study", "study", "export", what, "--format", format, "--out", &out]);
        }
        ok(d, &["--study", "study", "map", "--out", &format!("{round}/map.svg")]);
        ok(d, &["--study", "study", "map", "--codes", "--out", &format!("{round}/map-codes.svg")]);
        ok(d, &["--study", "study", "map", "--out", &format!("{round}/map.dot")]);
        ok(d, &["--study", "study", "map", "--out", &format!("{round}/map.mmd")]);
        ok(d, &["--study", "study", "report", "--memos", "--out", &format!("{round}/report.html")]);
    }
    let mut compared = 0;
    for entry in fs::read_dir(d.join("a")).unwrap() {
        let name = entry.unwrap().file_name();
        let (a, b) = (fs::read(d.join("a").join(&name)).unwrap(), fs::read(d.join("b").join(&name)).unwrap());
        assert!(!a.is_empty(), "{name:?} is empty");
        assert!(a == b, "{name:?} differs between two runs");
        compared += 1;
    }
    assert_eq!(compared, exports.len() + 5);
    // The segments file carries the attribution, and Parquet refuses tables that are not data.
    let segments = fs::read_to_string(d.join("a/segments.csv")).unwrap();
    assert!(segments.lines().next().unwrap().starts_with("document,turn,start,end,code_id,code,kind,theme,coder"));
    assert!(segments.contains("-Neil, Peer Mentor"));
    // The Parquet of segments, read by an independent reader (python's pyarrow): the same rows
    // and columns as the CSV, positions as integers, the exemplar flag as booleans.
    let have =
        || std::process::Command::new("python3").args(["-c", "import pyarrow"]).status().is_ok_and(|s| s.success());
    if !have() {
        let _ = std::process::Command::new("python3").args(["-m", "pip", "install", "--quiet", "pyarrow"]).status();
    }
    if have() {
        let script = "import sys, pyarrow.parquet as pq\nt = pq.read_table(sys.argv[1])\n\
                      print(t.num_rows, t.schema.field('start').type, t.schema.field('exemplar').type)\n\
                      print(sum(t.column('exemplar').to_pylist()))";
        let out = std::process::Command::new("python3")
            .args(["-c", script])
            .arg(d.join("a/segments.parquet"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        let rows = csv::Reader::from_reader(segments.as_bytes()).records().count();
        assert_eq!(text.lines().next(), Some(format!("{rows} uint64 bool").as_str()), "{text}");
        assert_eq!(text.lines().nth(1), Some("16"), "{text}");
    } else {
        thema_testkit::skip("pyarrow is not installed and could not be (`pip install pyarrow`): Parquet not read back");
    }
    let e = fails(d, &["--study", "study", "export", "themes", "--format", "parquet", "--out", "t.parquet"]);
    assert!(e.contains("Parquet is for data"), "{e}");
    let e = fails(d, &["--study", "study", "export", "codebook", "--format", "docx"]);
    assert!(e.contains("--out FILE.docx"), "{e}");
    let e = fails(d, &["--study", "study", "export", "codebook", "--out", "codebook.pdf"]);
    assert!(e.contains("`.pdf` is not a format"), "{e}");
}

#[test]
fn empty_studies_say_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "s"]);
    assert!(fails(d, &["--study", "s", "export", "themes"]).contains("the codebook has no themes"));
    assert!(fails(d, &["--study", "s", "export", "codebook"]).contains("the codebook is empty"));
    assert!(fails(d, &["--study", "s", "map"]).contains("no themes or sub-themes to draw"));
    // The report still comes out, saying what is missing in each section.
    ok(d, &["--study", "s", "report", "--out", "r.html"]);
    let html = fs::read_to_string(d.join("r.html")).unwrap();
    assert!(html.contains("The codebook has no themes yet."), "{html}");
    assert!(html.contains("Agreement needs two primary coders; the study has 0 primary coders."), "{html}");
}

fn browser(bin: &str, profile: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

#[test]
fn the_report_opens_in_a_browser() {
    let dir = demo();
    let d = dir.path();
    ok(d, &["--study", "study", "report", "--memos", "--out", "report.html"]);
    let html = fs::read_to_string(d.join("report.html")).unwrap();
    for id in
        ["overview", "participants", "map", "themes", "codebook", "cooccurrence", "saturation", "agreement", "memos"]
    {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "section {id}");
    }
    // Quotes are text the browser's find reaches, not pictures.
    assert!(html.contains("It’s like if you’re a mechanic"));
    // Nothing outside it is referred to (the SVG namespace URI is a name, not a reference).
    for needle in ["src=", "href=\"http", "href=\"file", "href=\"/", "url(", "@import"] {
        assert!(!html.contains(needle), "the report refers to something outside it: {needle}");
    }
    let hrefs = html.matches("href=\"").count();
    assert_eq!(hrefs, html.matches("href=\"#").count(), "every link is to a place in the page");
    let Some(bin) = chromium() else {
        thema_testkit::skip("chromium is not installed (apt-get install chromium): the report was not rendered");
        return;
    };
    let report = d.join("report.html");
    let url = format!("file://{}", report.display());
    let dom =
        browser(bin, &d.join("profile-dom")).args(["--virtual-time-budget=5000", "--dump-dom", &url]).output().unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("data-loaded=\"yes\""), "the page did not finish loading: {}", &dom[..dom.len().min(500)]);
    assert!(dom.contains("data-failed=\"0\""), "something failed to load");
    for id in ["participants", "map", "themes", "codebook", "cooccurrence", "saturation", "agreement", "memos"] {
        assert!(dom.contains(&format!("<section id=\"{id}\">")), "section {id} not in the rendered page");
    }
    let shot = d.join("report.png");
    let status = browser(bin, &d.join("profile-shot"))
        .args(["--window-size=1280,2400", &format!("--screenshot={}", shot.display()), &url])
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let png = fs::read(&shot).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(png.len() > 50_000, "the screenshot is nearly empty ({} bytes)", png.len());
}

/// Documents imported in an order their ids do not sort in: `zeta` first, then `alpha`. hp
/// codes `hope` on zeta's first two turns (the interviewer's question inside) and on Bo's
/// answer in alpha; mk on Ann's answer in zeta and on Bo's answer. Pooled, counted by hand:
/// one passage in zeta (13..55, hp+mk, T1) and one in alpha (T2, hp+mk).
fn imported_out_of_id_order() -> tempfile::TempDir {
    let dir = support::new_study("id,pseudonym,role\nann,Ann,Peer Mentor\nbo,Bo,Peer Mentor\n");
    let d = dir.path();
    fs::write(d.join("zeta.txt"), "Interviewer: Why do you stay?\n\nAnn: Hope keeps me here.\n").unwrap();
    fs::write(d.join("alpha.txt"), "Interviewer: What else?\n\nBo: Friends, and hope.\n").unwrap();
    for doc in ["zeta", "alpha"] {
        support::ok(d, &["import", &format!("{doc}.txt"), "--kind", "interview"]);
        support::ok(d, &["link", doc, "Interviewer", "--interviewer"]);
    }
    support::ok(d, &["link", "zeta", "Ann", "ann"]);
    support::ok(d, &["link", "alpha", "Bo", "bo"]);
    support::ok(d, &["codebook", "add", "Keeping on", "--kind", "theme"]);
    support::ok(d, &["codebook", "add", "hope", "--parent", "Keeping on"]);
    // "Why do you stay?" starts after `Interviewer: ` (13); "Hope keeps me here." ends
    // 13 + 16 + 2 + 5 + 19 = 55.
    support::ok(d, &["--coder", "hp", "code", "hope", "--span", "zeta:13..55"]);
    support::ok(d, &["--coder", "mk", "code", "hope", "--turn", "zeta:T2"]);
    for coder in ["hp", "mk"] {
        support::ok(d, &["--coder", coder, "code", "hope", "--turn", "alpha:T2"]);
    }
    dir
}

/// The segment exports and `thema segments` list documents in import order, not by id: the
/// text exports and XLSX are written a block of documents at a time, each block sorted on its
/// own, and a block in id order would put alpha first.
#[test]
fn segments_are_listed_in_import_order_in_every_export() {
    let dir = imported_out_of_id_order();
    let d = dir.path();
    let csv = support::ok(d, &["export", "segments", "--format", "csv"]);
    let rows: Vec<(String, String, String)> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[1].to_owned(), r[8].to_owned())
        })
        .collect();
    let expected = [("zeta", "zeta:T1", "hp+mk"), ("alpha", "alpha:T2", "hp+mk")];
    assert_eq!(rows, expected.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned())));
    assert!(csv.contains("13,55,hope"), "{csv}");
    let md = support::ok(d, &["export", "segments", "--format", "md"]);
    let at = |text: &str, what: &str| text.find(what).unwrap_or_else(|| panic!("{what} in {text}"));
    assert!(at(&md, "| zeta | zeta:T1 |") < at(&md, "| alpha | alpha:T2 |"), "{md}");
    assert!(md.ends_with(" | false |\n\n*Codings of hp and mk, pooled.*\n"), "{md}");
    support::ok(d, &["export", "segments", "--out", "segments.xlsx"]);
    let sheet = {
        use std::io::Read;
        let file = fs::File::open(d.join("segments.xlsx")).unwrap();
        let mut archive = zip::ZipArchive::new(file).unwrap();
        let mut xml = String::new();
        archive.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
        xml
    };
    assert!(at(&sheet, "<t>zeta:T1</t>") < at(&sheet, "<t>alpha:T2</t>"), "{sheet}");
    let listed = support::ok(d, &["segments", "hope"]);
    assert!(listed.starts_with("hope (code): 2 segments, 2 documents, 2 participants\n"), "{listed}");
    assert!(at(&listed, "zeta:T1  [hope]  coder hp+mk") < at(&listed, "alpha:T2  [hope]  coder hp+mk"), "{listed}");
    let grouped = support::ok(d, &["segments", "Keeping on", "--by", "document"]);
    assert!(grouped.starts_with("Keeping on (theme): 2 segments, 2 documents, 2 participants\n"), "{grouped}");
    assert!(at(&grouped, "== zeta (1 segment)") < at(&grouped, "== alpha (1 segment)"), "{grouped}");
}
