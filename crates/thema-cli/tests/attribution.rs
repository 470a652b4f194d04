//! Attribution (`docs/attribution.md`): a coding spanning several turns is credited to every
//! participant who speaks in it, never to the interviewer; quotes name speakers in the chosen
//! style and never by their transcript label; `--where` and `--by` know the study's keys.
//!
//! The study built here, with every figure below counted by hand from it:
//!
//! `fg1` (focus group, no wave) has five turns: the interviewer (label `Jane`) asks "Do you feel
//! hope?", Ann answers, Jane asks "And you?", Bo answers, and `Mary Smith`, a label linked to no
//! participant, speaks last. `int1` (interview, wave 2): Jane asks, Ann answers.
//! Codings, by hp and by mk alike, then merged into `team`: `hope` on the passage from Jane's
//! question to Bo's answer (four turns: Jane, Ann, Jane, Bo), `hope` on Ann's answer in `int1`,
//! `kitchen` on Mary Smith's turn. Ann is `ann` (Peer Mentor, woman), Bo is `bo` (Program
//! Manager, man).

use std::fs;
use std::io::Read;
use std::path::Path;

mod support;

use support::{fails, new_study, ok, thema};

const FG1: &str = "Jane: Do you feel hope?\n\nAnn: Yes, every day I do.\n\nJane: And you?\n\n\
                   Bo: Mostly on good days.\n\nMary Smith: I run the kitchen here.\n";
const INT1: &str = "Jane: Tell me about the spring.\n\nAnn: Hope came back in the spring.\n";

/// The dialogue of the four-turn passage, as the default style prints it.
const DIALOGUE: &str = "“Do you feel hope?” -Interviewer “Yes, every day I do.” -Ann, Peer Mentor \
                        “And you?” -Interviewer “Mostly on good days.” -Bo, Program Manager";

fn study() -> tempfile::TempDir {
    let dir = new_study("id,pseudonym,role,gender\nann,Ann,Peer Mentor,woman\nbo,Bo,Program Manager,man\n");
    let d = dir.path();
    fs::write(d.join("fg1.txt"), FG1).unwrap();
    fs::write(d.join("int1.txt"), INT1).unwrap();
    ok(d, &["import", "fg1.txt", "--kind", "focus-group"]);
    ok(d, &["import", "int1.txt", "--kind", "interview", "--wave", "2"]);
    for doc in ["fg1", "int1"] {
        ok(d, &["link", doc, "Jane", "--interviewer"]);
        ok(d, &["link", doc, "Ann", "ann"]);
    }
    ok(d, &["link", "fg1", "Bo", "bo"]);
    ok(d, &["codebook", "add", "Finding hope", "--kind", "theme"]);
    ok(d, &["codebook", "add", "hope", "--parent", "Finding hope"]);
    ok(d, &["codebook", "add", "Daily work", "--kind", "theme"]);
    ok(d, &["codebook", "add", "kitchen", "--parent", "Daily work"]);
    // "Do you feel hope?" starts after `Jane: ` (6 code points); "Mostly on good days." ends
    // 6 + 17 + 2 + 5 + 20 + 2 + 6 + 8 + 2 + 4 + 20 = 92.
    assert_eq!(
        &FG1[6..92],
        "Do you feel hope?\n\nAnn: Yes, every day I do.\n\nJane: And you?\n\nBo: Mostly on good days."
    );
    for coder in ["hp", "mk"] {
        ok(d, &["--coder", coder, "code", "hope", "--span", "fg1:6..92"]);
        ok(d, &["--coder", coder, "code", "hope", "--turn", "int1:T2"]);
        ok(d, &["--coder", coder, "code", "kitchen", "--turn", "fg1:T5"]);
    }
    ok(d, &["merge-coders", "hp", "mk", "--into", "team"]);
    dir
}

#[test]
fn a_passage_of_four_turns_counts_for_both_participants() {
    let dir = study();
    let d = dir.path();
    // Participants under `hope`: Ann (fg1 and int1) and Bo (fg1): 2. The interviewer, who
    // speaks first, is not one; `kitchen` is Mary Smith's, who is linked to nobody: 0.
    let codebook: serde_json::Value = serde_json::from_str(&ok(d, &["codebook", "--json"])).unwrap();
    let text = codebook.to_string();
    let counts = |id: &str| {
        let entry =
            codebook["entries"].as_array().unwrap().iter().find(|e| e["id"] == id).unwrap_or_else(|| panic!("{text}"));
        entry["participants"].as_u64().unwrap()
    };
    assert_eq!(counts("hope"), 2, "{text}");
    assert_eq!(counts("finding-hope"), 2, "{text}");
    assert_eq!(counts("kitchen"), 0, "{text}");

    // By participant, hp's codings: Ann 2 (fg1's passage and int1), Bo 1 (fg1's passage);
    // `kitchen` has no participant, so no row.
    let matrix: serde_json::Value =
        serde_json::from_str(&ok(d, &["matrix", "--by", "participant", "--by-coder", "hp", "--format", "json"]))
            .unwrap();
    assert_eq!(matrix["columns"], serde_json::json!(["Ann", "Bo"]));
    assert_eq!(matrix["rows"], serde_json::json!(["hope"]));
    assert_eq!(matrix["cells"], serde_json::json!([[2, 1]]));
    // By role: one column each; by gender likewise.
    let matrix: serde_json::Value =
        serde_json::from_str(&ok(d, &["matrix", "--by", "gender", "--by-coder", "hp", "--format", "json"])).unwrap();
    assert_eq!(
        (matrix["columns"].clone(), matrix["cells"].clone()),
        (serde_json::json!(["man", "woman"]), serde_json::json!([[1, 2]]))
    );
    // Only women: the passage still counts for Ann, not for Bo.
    let matrix: serde_json::Value = serde_json::from_str(&ok(
        d,
        &["matrix", "--by", "participant", "--by-coder", "hp", "--where", "gender=woman", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(
        (matrix["columns"].clone(), matrix["cells"].clone()),
        (serde_json::json!(["Ann"]), serde_json::json!([[2]]))
    );

    // The framework matrix puts each participant's own words in their row.
    let framework: serde_json::Value = serde_json::from_str(&ok(
        d,
        &["matrix", "--framework", "--rows", "theme", "--by-coder", "hp", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(framework["participants"], serde_json::json!(["Ann", "Bo"]));
    assert_eq!(
        framework["cells"],
        serde_json::json!([[["Yes, every day I do.", "Hope came back in the spring."]], [["Mostly on good days."]]])
    );

    // `segments`: the passage as a dialogue, and in JSON every participant credited.
    let text = ok(d, &["segments", "hope"]);
    assert!(
        text.contains(
            "“Do you feel hope?”\n    -Interviewer\n    “Yes, every day I do.”\n    -Ann, Peer Mentor\n    \
             “And you?”\n    -Interviewer\n    “Mostly on good days.”\n    -Bo, Program Manager\n"
        ),
        "{text}"
    );
    assert!(text.starts_with("hope (code): "), "{text}");
    assert!(text.lines().next().unwrap().ends_with(", 2 documents, 2 participants"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&ok(d, &["segments", "hope", "--json"])).unwrap();
    let passage = json.as_array().unwrap().iter().find(|s| s["document"] == "fg1" && s["coder"] == "team").unwrap();
    assert_eq!(passage["participants"], serde_json::json!(["ann", "bo"]));
    // The first-turn fields stay: the interviewer's turn, no participant.
    assert_eq!((passage["turn"].as_str(), passage["participant"].as_str()), (Some("fg1:T1"), None));
    let voices: Vec<(&str, &str)> = passage["voices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["turn"].as_str().unwrap(), v["as"].as_str().unwrap()))
        .collect();
    assert_eq!(
        voices,
        [("fg1:T1", "interviewer"), ("fg1:T2", "participant"), ("fg1:T3", "interviewer"), ("fg1:T4", "participant")]
    );
    // Grouped by participant, the passage is under each of them.
    // Only Bo's passage is kept by `--where`, and it is listed under Ann and under Bo alike (once
    // for each coder whose codings are read).
    let grouped = ok(d, &["segments", "hope", "--by", "participant", "--where", "participant=bo"]);
    let header = |who: &str| {
        grouped.lines().find(|l| l.starts_with(&format!("== {who} ("))).map(|l| l[who.len() + 3..].to_owned())
    };
    assert!(header("Bo").is_some() && header("Bo") == header("Ann"), "{grouped}");
    assert!(!grouped.contains("int1"), "{grouped}");

    // The theme table prints the marked passage as the dialogue it is.
    ok(d, &["exemplar", "hope", "--span", "fg1:6..92"]);
    let themes = ok(d, &["export", "themes", "--format", "csv"]);
    assert!(themes.contains(DIALOGUE), "{themes}");
}

/// The theme-table cell of `Finding hope` in a style, with int1's answer marked too.
fn hope_quotes(d: &Path, style: &str) -> String {
    let csv = ok(d, &["export", "themes", "--format", "csv", "--attribution", style]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let row = reader.records().map(Result::unwrap).find(|r| &r[0] == "Finding hope").unwrap();
    row[4].to_owned()
}

#[test]
fn the_theme_table_attributes_quotes_in_each_preset() {
    let dir = study();
    let d = dir.path();
    ok(d, &["exemplar", "hope", "--span", "fg1:6..92"]);
    ok(d, &["exemplar", "hope", "--turn", "int1:T2"]);
    let q1 = ["“Do you feel hope?”", "“Yes, every day I do.”", "“And you?”", "“Mostly on good days.”"];
    let q2 = "“Hope came back in the spring.”";
    let expect = |who: [&str; 3]| {
        let [interviewer, ann, bo] = who;
        let say = |q: &str, w: &str| if w.is_empty() { q.to_owned() } else { format!("{q} {w}") };
        format!(
            "{} {} {} {}\n{}",
            say(q1[0], interviewer),
            say(q1[1], ann),
            say(q1[2], interviewer),
            say(q1[3], bo),
            say(q2, ann)
        )
    };
    assert_eq!(hope_quotes(d, "pseudonym-role"), expect(["-Interviewer", "-Ann, Peer Mentor", "-Bo, Program Manager"]));
    assert_eq!(hope_quotes(d, "id"), expect(["Interviewer", "ann", "bo"]));
    // Numbered by id in natural order: ann 1, bo 2.
    assert_eq!(hope_quotes(d, "participant-number"), expect(["Interviewer", "Participant 1", "Participant 2"]));
    assert_eq!(hope_quotes(d, "role"), expect(["Interviewer", "Peer Mentor", "Program Manager"]));
    assert_eq!(hope_quotes(d, "none"), expect(["", "", ""]));
    // A template with the wave: fg1 has none, so `, wave` is left out there.
    assert_eq!(
        hope_quotes(d, "-{pseudonym}, {role}, wave {wave}"),
        format!(
            "{} -Interviewer {} -Ann, Peer Mentor {} -Interviewer {} -Bo, Program Manager\n{q2} -Ann, Peer Mentor, wave 2",
            q1[0], q1[1], q1[2], q1[3]
        )
    );
    // The study's own style, from thema.toml, when no flag is given (put first: top-level keys
    // come before the tables of attribute types).
    let settings = fs::read_to_string(d.join("study/thema.toml")).unwrap();
    fs::write(d.join("study/thema.toml"), format!("attribution = \"{{pseudonym}} ({{document}})\"\n{settings}"))
        .unwrap();
    let csv = ok(d, &["export", "themes", "--format", "csv"]);
    assert!(csv.contains("“Hope came back in the spring.” Ann (int1)"), "{csv}");
    // A misspelt field is refused with the known ones and the nearest.
    let err = fails(d, &["export", "themes", "--attribution", "{pseudonym} ({gendr})"]);
    assert!(err.contains("unknown field `{gendr}`"), "{err}");
    assert!(err.contains("did you mean `{gender}`?"), "{err}");
    assert!(err.contains("`{wave}`") && err.contains("`{number}`"), "{err}");
    assert!(err.contains("hint: "), "{err}");
    // A bad style in thema.toml names the file.
    fs::write(d.join("study/thema.toml"), format!("attribution = \"{{nope}}\"\n{settings}")).unwrap();
    let err = fails(d, &["segments", "hope"]);
    assert!(err.contains("thema.toml: `attribution`: unknown field `{nope}`"), "{err}");
}

/// Every file inside a zip (XLSX, DOCX), inflated, one after another.
fn unzipped(bytes: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..archive.len() {
        archive.by_index(i).unwrap().read_to_end(&mut out).unwrap();
    }
    out
}

#[test]
fn labels_never_appear_in_exports_or_the_report() {
    let dir = study();
    let d = dir.path();
    // Marked on the consensus, the set the study's figures and lists use.
    ok(d, &["--coder", "team", "exemplar", "hope", "--span", "fg1:6..92"]);
    ok(d, &["--coder", "team", "exemplar", "kitchen", "--turn", "fg1:T5"]);
    // `thema check` warns that codings include the words of an unlinked speaker.
    let out = thema(d).args(["--study", "study", "check"]).output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    for coder in ["hp", "mk", "team"] {
        assert!(
            report.contains(&format!(
                "warning: codings/{coder}.jsonl:2: 1 coding in `fg1` includes words of speaker `Mary Smith`, who is linked to no participant"
            )),
            "{report}"
        );
    }
    assert!(report.contains("run `thema link fg1 \"Mary Smith\" PARTICIPANT`"), "{report}");

    let out = d.join("out");
    fs::create_dir_all(&out).unwrap();
    let mut written = Vec::new();
    for what in ["segments", "themes"] {
        for ext in ["md", "csv", "tex", "html", "xlsx", "docx"] {
            let file = out.join(format!("{what}.{ext}"));
            ok(d, &["export", what, "--out", file.to_str().unwrap()]);
            written.push(file);
        }
    }
    let parquet = out.join("segments.parquet");
    ok(d, &["export", "segments", "--out", parquet.to_str().unwrap()]);
    written.push(parquet);
    let report = out.join("report.html");
    ok(d, &["report", "--out", report.to_str().unwrap()]);
    written.push(report);
    for file in &written {
        let bytes = fs::read(file).unwrap();
        let bytes = match file.extension().and_then(|e| e.to_str()) {
            Some("xlsx" | "docx") => unzipped(&bytes),
            _ => bytes,
        };
        let text = String::from_utf8_lossy(&bytes);
        // The parquet file is written uncompressed, so its text is there to read.
        for label in ["Mary", "Smith", "Jane"] {
            assert!(!text.contains(label), "{label} in {}", file.display());
        }
        if !file.ends_with("report.html") && !file.to_string_lossy().contains("themes.") {
            assert!(text.contains("Unidentified speaker"), "{}", file.display());
        }
        assert!(text.contains("Interviewer"), "{}", file.display());
    }
    // The segments CSV: the kitchen turn by an unidentified speaker, the passage's words without
    // the labels between its turns, both participants credited.
    let csv = fs::read_to_string(out.join("segments.csv")).unwrap();
    assert!(csv.contains(",Unidentified speaker,,-Unidentified speaker,I run the kitchen here.,"), "{csv}");
    assert!(
        csv.contains(
            ",Interviewer,ann; bo,\"-Interviewer; -Ann, Peer Mentor; -Bo, Program Manager\",\"Do you feel hope?\n\nYes, every day I do.\n\nAnd you?\n\nMostly on good days.\","
        ),
        "{csv}"
    );
    // `thema segments` and the exemplar list say the same.
    let text = ok(d, &["segments", "kitchen"]);
    assert!(text.contains("“I run the kitchen here.”\n    -Unidentified speaker"), "{text}");
    let list = ok(d, &["exemplar"]);
    assert!(!list.contains("Mary") && !list.contains("Jane"), "{list}");
    assert!(list.contains("-Interviewer; -Ann, Peer Mentor; -Bo, Program Manager"), "{list}");
}

#[test]
fn where_knows_document_fields_and_refuses_unknown_keys() {
    let dir = study();
    let d = dir.path();
    // Document fields and attributes: `wave=2` is int1, `kind=focus-group` is fg1.
    let count_turns = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["search", "*", "--json", "--order", "document"];
        all.extend_from_slice(args);
        let json: serde_json::Value = serde_json::from_str(&ok(d, &all)).unwrap();
        json["hits"].as_array().unwrap().iter().map(|h| h["turn"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(count_turns(&["--where", "wave=2"]), ["int1:T1", "int1:T2"]);
    assert_eq!(count_turns(&["--where", "kind=interview", "--where", "role=Peer Mentor"]), ["int1:T2"]);
    assert_eq!(count_turns(&["--where", "kind!=interview", "--where", "gender=man"]), ["fg1:T4"]);
    // `matrix --by wave` and `--by kind`: fg1 has no wave, so its codings are `(blank)`.
    let matrix: serde_json::Value =
        serde_json::from_str(&ok(d, &["matrix", "--by", "wave", "--by-coder", "hp", "--format", "json"])).unwrap();
    assert_eq!(matrix["columns"], serde_json::json!(["(blank)", "2"]));
    // Rows in codebook order: "Finding hope" (hope) was made before "Daily work" (kitchen).
    assert_eq!(matrix["rows"], serde_json::json!(["hope", "kitchen"]), "{matrix}");
    assert_eq!(matrix["cells"], serde_json::json!([[1, 1], [1, 0]]), "{matrix}");
    let matrix: serde_json::Value =
        serde_json::from_str(&ok(d, &["matrix", "--by", "kind", "--by-coder", "hp", "--format", "json"])).unwrap();
    assert_eq!(matrix["columns"], serde_json::json!(["focus-group", "interview"]));
    assert_eq!(matrix["rows"], serde_json::json!(["hope", "kitchen"]), "{matrix}");
    assert_eq!(matrix["cells"], serde_json::json!([[1, 1], [1, 0]]), "{matrix}");
    // `segments --where wave=2`: int1's coding only, once per coder.
    let json: serde_json::Value =
        serde_json::from_str(&ok(d, &["segments", "hope", "--where", "wave=2", "--json"])).unwrap();
    assert!(json.as_array().unwrap().iter().all(|s| s["document"] == "int1"), "{json}");
    assert!(!json.as_array().unwrap().is_empty());
    // A misspelt key is an error naming the nearest key and the known ones, on every command.
    for args in [
        &["search", "hope", "--where", "gendr=man"][..],
        &["kwic", "hope", "--where", "gendr=man"],
        &["cooccur", "--where", "gendr=man"],
        &["matrix", "--where", "gendr=man"],
        &["segments", "hope", "--where", "gendr=man"],
    ] {
        let err = fails(d, args);
        assert!(
            err.contains("no participant column or document field `gendr`; did you mean `gender`?"),
            "{args:?}: {err}"
        );
        assert!(err.contains("`wave`") && err.contains("`kind`") && err.contains("`role`"), "{err}");
        assert!(err.contains("hint: "), "{err}");
    }
    let err = fails(d, &["matrix", "--by", "wav"]);
    assert!(err.contains("did you mean `wave`?"), "{err}");
}
