//! `thema participants table`, `thema cooccur` and `thema saturation` on a small study built
//! here, whose expected figures follow from how it was built.

use std::fs;

mod support;

use support::{fails, new_study, ok};

/// A study of six interviews with Ann (40, female), Bo (50, male) and Cy (60, no gender), four
/// turns each, and codes A and B applied turn by turn.
fn study() -> tempfile::TempDir {
    let dir =
        new_study("id,pseudonym,role,age,gender\nann,Ann,Mentor,40,female\nbo,Bo,Mentor,50,male\ncy,Cy,Staff,60,\n");
    let d = dir.path();
    for (i, who) in ["Ann", "Bo", "Cy", "Ann", "Bo", "Cy"].iter().enumerate() {
        let text = format!(
            "Interviewer: How was it?\n\n{who}: Hope came first.\n\nInterviewer: And then?\n\n{who}: Trust came later.\n"
        );
        fs::write(d.join(format!("int{}.txt", i + 1)), text).unwrap();
    }
    let files: Vec<String> = (1..=6).map(|i| format!("int{i}.txt")).collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--kind", "interview"]);
    ok(d, &args);
    for code in ["A", "B", "C"] {
        ok(d, &["codebook", "add", code]);
    }
    dir
}

#[test]
fn participants_table_counts_each_person_once() {
    let dir = study();
    let d = dir.path();
    let json: serde_json::Value = serde_json::from_str(&ok(d, &["participants", "table", "--json"])).unwrap();
    // Three people in six interviews: each counted once.
    assert_eq!(json["participants"], 3);
    let lines = json["lines"].as_array().unwrap();
    let age = lines.iter().find(|l| l["attribute"] == "age").unwrap();
    // Mean of 40, 50, 60 is 50; sample SD √((100 + 0 + 100) / 2) = 10.
    assert_eq!((age["mean"].as_f64(), age["sd"].as_f64(), age["n"].as_u64()), (Some(50.0), Some(10.0), Some(3)));
    let mentor = lines.iter().find(|l| l["value"] == "Mentor").unwrap();
    assert_eq!(mentor["count"], 2);
    assert!((mentor["percent"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
    let text = ok(d, &["participants", "table", "--median"]);
    assert!(text.contains("50.00 ± 10.00; median 50, range 40–60"), "{text}");
    // Only the people of the chosen documents.
    let one: serde_json::Value =
        serde_json::from_str(&ok(d, &["participants", "table", "--doc", "int2", "--json"])).unwrap();
    assert_eq!(one["participants"], 1);
    assert!(fails(d, &["participants", "table", "--doc", "nope"]).contains("no document `nope`"));
}

#[test]
fn cooccurrence_counts_by_rule() {
    let dir = study();
    let d = dir.path();
    // int1: A and B in T2, A in T4; int2: B in T4. Every other turn has no code.
    ok(d, &["code", "A", "--turn", "int1:T2"]);
    ok(d, &["code", "B", "--turn", "int1:T2"]);
    ok(d, &["code", "A", "--turn", "int1:T4"]);
    ok(d, &["code", "B", "--turn", "int2:T4"]);
    let pair = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["cooccur", "--json"];
        all.extend_from_slice(args);
        let reports: serde_json::Value = serde_json::from_str(&ok(d, &all)).unwrap();
        reports["reports"][0]["pairs"][0].clone()
    };
    // Same turn: 24 turns; A in 2, B in 2, both in 1.
    let p = pair(&[]);
    assert_eq!(
        (p["n1"].as_u64(), p["n2"].as_u64(), p["n12"].as_u64(), p["n"].as_u64()),
        (Some(2), Some(2), Some(1), Some(24))
    );
    assert!((p["c"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-12);
    // phi = (24·1 − 2·2) / √(2·2·22·22) = 20/44; lift = 24·1/(2·2) = 6.
    assert!((p["phi"].as_f64().unwrap() - 20.0 / 44.0).abs() < 1e-12, "{p}");
    assert!((p["lift"].as_f64().unwrap() - 6.0).abs() < 1e-12);
    // Within 2 turns: windows of 3 turns, 2 per interview, 12 in all. In int1, T1-T3 holds A and
    // B, T2-T4 holds A and B; in int2, T2-T4 holds B.
    let p = pair(&["--within", "turns:2"]);
    assert_eq!(
        (p["n1"].as_u64(), p["n2"].as_u64(), p["n12"].as_u64(), p["n"].as_u64()),
        (Some(2), Some(3), Some(2), Some(12))
    );
    // Overlapping segments: 4 segments; A's first and B's first overlap each other.
    let p = pair(&["--within", "overlap"]);
    assert_eq!(
        (p["n1"].as_u64(), p["n2"].as_u64(), p["n12"].as_u64(), p["n"].as_u64()),
        (Some(3), Some(3), Some(2), Some(4))
    );
    // Only Ann's turns (int1, int4): A in 2, B in 1, both in 1, of 4 turns.
    let p = pair(&["--where", "pseudonym=Ann"]);
    assert_eq!(
        (p["n1"].as_u64(), p["n2"].as_u64(), p["n12"].as_u64(), p["n"].as_u64()),
        (Some(2), Some(1), Some(1), Some(4))
    );
    // Charts and networks are written, and are the same bytes each time.
    ok(d, &["cooccur", "--heatmap", "out/h.svg", "--graphml", "out/g.graphml", "--dot", "out/g.dot", "--cluster"]);
    let first = fs::read(d.join("out/h.svg")).unwrap();
    ok(d, &["cooccur", "--heatmap", "out/h.svg", "--cluster"]);
    assert_eq!(fs::read(d.join("out/h.svg")).unwrap(), first);
    let graphml = fs::read_to_string(d.join("out/g.graphml")).unwrap();
    assert!(graphml.contains("<edge id=\"e0\" source=\"a\" target=\"b\"><data key=\"n12\">1</data>"), "{graphml}");
    assert!(fs::read_to_string(d.join("out/g.dot")).unwrap().contains("\"a\" -- \"b\" [n12=1"));
    assert!(fails(d, &["cooccur", "--within", "near"]).contains("not a rule"));
    assert!(fails(d, &["cooccur", "--code", "C"]).contains("needs two or more codes"));
    // A code and the sub-theme above it, applied to the same turn, are not a pair; B and the
    // sub-theme are.
    ok(d, &["codebook", "add", "Sub", "--kind", "sub-theme"]);
    ok(d, &["codebook", "move", "A", "--parent", "Sub"]);
    ok(d, &["code", "Sub", "--turn", "int1:T2"]);
    let reports: serde_json::Value = serde_json::from_str(&ok(d, &["cooccur", "--json"])).unwrap();
    let pairs: Vec<(String, String)> = reports["reports"][0]["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["a"].as_str().unwrap().to_owned(), p["b"].as_str().unwrap().to_owned()))
        .collect();
    assert!(pairs.contains(&("b".to_owned(), "sub".to_owned())), "{pairs:?}");
    assert!(!pairs.iter().any(|(a, b)| (a, b) == (&"a".to_owned(), &"sub".to_owned())), "{pairs:?}");
}

#[test]
fn saturation_by_the_guest_namey_chen_method() {
    let dir = study();
    let d = dir.path();
    // New codes: int1 A, int2 B, int3 C, int4-int6 none. Base 2 (A, B): run 3-4 brings C
    // (50%), run 4-5 nothing: saturation at 3 documents.
    ok(d, &["code", "A", "--turn", "int1:T2"]);
    ok(d, &["code", "B", "--turn", "int2:T2"]);
    ok(d, &["code", "C", "--turn", "int3:T2"]);
    for doc in ["int4", "int5", "int6"] {
        ok(d, &["code", "A", "--turn", &format!("{doc}:T2")]);
    }
    let json: serde_json::Value =
        serde_json::from_str(&ok(d, &["saturation", "--base", "2", "--run", "2", "--threshold", "0", "--json"]))
            .unwrap();
    assert_eq!(json["base_codes"], 2);
    let runs: Vec<(u64, u64, u64)> = json["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["from"].as_u64().unwrap(), r["to"].as_u64().unwrap(), r["new"].as_u64().unwrap()))
        .collect();
    assert_eq!(runs, [(3, 4, 1), (4, 5, 0), (5, 6, 0)]);
    assert_eq!(json["reached"][0], 3);
    let text = ok(d, &["saturation", "--base", "2", "--run", "2", "--threshold", "0%", "--chart", "sat.svg"]);
    assert!(text.contains("saturation was reached at 3 documents (base 2, run 2, new information ≤ 0%)"), "{text}");
    assert!(fs::read_to_string(d.join("sat.svg")).unwrap().contains("saturation at 3 documents"));
    ok(d, &["saturation", "--base", "2", "--run", "2", "--threshold", "0", "--chart", "sat.png"]);
    assert_eq!(&fs::read(d.join("sat.png")).unwrap()[..4], b"\x89PNG");
    // In the reverse order, int3's C comes second and nothing is new after the base.
    let text = ok(d, &["saturation", "--order", "int6,int3,int5,int4,int2,int1", "--base", "2", "--run", "2"]);
    assert!(text.contains("saturation was reached at 2 documents"), "{text}");
    assert!(fails(d, &["saturation", "--base", "5", "--run", "2"])
        .contains("at least base + run = 7 coded documents; there are 6"));
    assert!(fails(d, &["saturation", "--threshold", "lots"]).contains("`lots` is not a threshold"));
    assert!(fails(d, &["saturation", "--order", "date"]).contains("has no date"));
}

#[test]
fn matrices_by_document_and_attribute() {
    let dir = study();
    let d = dir.path();
    ok(d, &["codebook", "add", "Theme", "--kind", "theme"]);
    ok(d, &["codebook", "move", "A", "--parent", "Theme"]);
    ok(d, &["codebook", "move", "B", "--parent", "Theme"]);
    // A twice in int1 (Ann), B once in int2 (Bo), C once in int3 (Cy).
    ok(d, &["code", "A", "--turn", "int1:T2"]);
    ok(d, &["code", "A", "--turn", "int1:T4"]);
    ok(d, &["code", "B", "--turn", "int2:T4"]);
    ok(d, &["code", "C", "--turn", "int3:T2"]);
    let csv = ok(d, &["matrix", "--format", "csv"]);
    assert_eq!(csv.lines().next(), Some("entry,int1,int2,int3,int4,int5,int6"));
    assert_eq!(csv.lines().nth(1), Some("C,0,0,1,0,0,0"), "codebook order: C, then the theme's A and B");
    assert!(csv.contains("\nA,2,0,0,0,0,0\n") && csv.contains("\nB,0,1,0,0,0,0\n"), "{csv}");
    // Rolled up to the theme: A and B count for it, C (under no theme) is left out.
    let themes = ok(d, &["matrix", "--rows", "theme", "--by", "gender", "--format", "csv"]);
    assert_eq!(themes, "entry,female,male\nTheme,2,1\n");
    // Words: "Hope came first." and "Trust came later." have three words each.
    let words = ok(d, &["matrix", "--by", "participant", "--value", "words", "--format", "csv"]);
    assert!(words.contains("\nA,6,0,0\n") && words.contains("\nC,0,0,3\n"), "{words}");
    let framework: serde_json::Value =
        serde_json::from_str(&ok(d, &["matrix", "--framework", "--rows", "theme", "--format", "json"])).unwrap();
    assert_eq!(framework["participants"], serde_json::json!(["Ann", "Bo"]));
    assert_eq!(framework["cells"][0][0], serde_json::json!(["Hope came first.", "Trust came later."]));
    assert!(fails(d, &["matrix", "--by", "shoe-size"]).contains("cannot make columns of `shoe-size`"));
    // Parquet, read back by an independent reader (python's pyarrow), same cells as the CSV.
    assert!(fails(d, &["matrix", "--format", "parquet"]).contains("--out FILE.parquet"));
    ok(d, &["matrix", "--format", "parquet", "--out", "m.parquet"]);
    let have = |m: &str| {
        std::process::Command::new("python3").args(["-c", &format!("import {m}")]).status().is_ok_and(|s| s.success())
    };
    if !have("pyarrow") {
        let _ = std::process::Command::new("python3").args(["-m", "pip", "install", "--quiet", "pyarrow"]).status();
    }
    if have("pyarrow") {
        let script = "import sys, pyarrow.parquet as pq\nt = pq.read_table(sys.argv[1])\nprint(t.column_names)\nprint(t.to_pydict())";
        let out = std::process::Command::new("python3").args(["-c", script]).arg(d.join("m.parquet")).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(text.contains("['entry', 'id', 'int1', 'int2', 'int3', 'int4', 'int5', 'int6']"), "{text}");
        assert!(text.contains("'entry': ['C', 'A', 'B']") && text.contains("'int1': [0, 2, 0]"), "{text}");
    } else {
        thema_testkit::skip("pyarrow is not installed and could not be (`pip install pyarrow`): Parquet not read back");
    }
}
