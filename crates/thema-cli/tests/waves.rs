//! Longitudinal studies (`docs/waves.md`): `thema waves`, `thema trajectories`, and `--wave`
//! where documents are filtered.
//!
//! The study built here, with every figure below counted by hand from it. Participants Ann
//! (`ann`), Bo (`bo`) and Cy (`cy`); the interviewer's label is `Jane` in every document.
//!
//! Wave 1: `fg1`, a focus group: Jane asks (T1), Ann answers (T2), Jane asks Bo (T3), Bo answers
//! (T4), Ann speaks again (T5). `cy1`, an interview: Jane (T1), Cy (T2).
//! Wave 2: `ann2`: Jane (T1), Ann (T2), Jane (T3), Ann (T4). `bo2`: Jane (T1), Bo (T2).
//! Cy did not take part in wave 2 (recorded: `left-after=1`, `reason=moved away`).
//!
//! Codebook: theme "Finding hope" with codes `hope` and `faith`; theme "Daily work" with code
//! `kitchen`. Codings made by hp and mk alike:
//! - `hope` on the passage of fg1 from Jane's first question to the end of Bo's answer
//!   (T1..T4: Jane, Ann, Jane, Bo): the interviewer is inside it, two participants speak in it,
//!   so it credits Ann and Bo, never Jane;
//! - `kitchen` on fg1:T5 (Ann); `hope` and `kitchen` on cy1:T2 (Cy);
//! - `faith` on ann2:T2 (Ann); `kitchen` on ann2 from Jane's "And work?" (T3) through Ann's T4;
//! - `hope` and `faith` on bo2:T2 (Bo).
//!
//! Then hp alone codes `kitchen` on fg1:T4 (Bo) and mk alone codes `kitchen` on bo2:T2 (Bo), and
//! `merge-coders hp mk --into team --agreed-only` leaves both out of the consensus `team`, which
//! analyses use by default (the newest consensus set).
//!
//! By hand, with `team`: wave 1: Ann {hope, kitchen}, Bo {hope}, Cy {hope, kitchen}; wave 2: Ann
//! {faith, kitchen}, Bo {hope, faith}, Cy not interviewed. Interviewed in both: Ann and Bo (2).
//! hope: Ann had it and lost it, Bo kept it: gained 0, kept 1, lost 1. faith: both gained it:
//! 2, 0, 0. kitchen: Ann kept it, Bo never had it: 0, 1, 0.
//! Themes: "Finding hope": Ann (hope, then faith) and Bo keep it: 0, 2, 0. "Daily work": Ann
//! keeps it: 0, 1, 0.
//! Pooling hp and mk instead (`--coders hp,mk`) gives Bo `kitchen` in both waves (hp's fg1:T4,
//! mk's bo2:T2): kitchen 0, 2, 0. Had the consensus counted as a third coder alongside hp and
//! mk, the pooled passages would still count once: the figures would be the pooled ones, not
//! the consensus's, which is how the test tells the two apart.

use std::fs;
use std::path::Path;

mod support;

use support::{fails, new_study, ok};

const FG1: &str = "Jane: What keeps you going?\n\nAnn: Hope keeps me going.\n\nJane: And you, Bo?\n\n\
                   Bo: Hope too, and the kitchen.\n\nAnn: The kitchen is hard work.\n";
const CY1: &str = "Jane: Tell me about your week.\n\nCy: I cooked in the kitchen and felt hope.\n";
const ANN2: &str = "Jane: How are things now?\n\nAnn: I pray a lot; faith helps me.\n\nJane: And work?\n\n\
                    Ann: Still the kitchen, every morning.\n";
const BO2: &str = "Jane: How are things now?\n\nBo: I have hope again, and faith.\n";

/// The code-point span of `from` up to the end of `to` in `text` (ASCII, so bytes are code points).
fn span(doc: &str, text: &str, from: &str, to: &str) -> String {
    let start = text.find(from).unwrap();
    let end = text.find(to).unwrap() + to.len();
    format!("{doc}:{start}..{end}")
}

fn study() -> tempfile::TempDir {
    let dir = new_study("id,pseudonym,role\nann,Ann,Participant\nbo,Bo,Participant\ncy,Cy,Participant\n");
    let d = dir.path();
    for (name, text, kind, wave) in [
        ("fg1", FG1, "focus-group", "1"),
        ("cy1", CY1, "interview", "1"),
        ("ann2", ANN2, "interview", "2"),
        ("bo2", BO2, "interview", "2"),
    ] {
        fs::write(d.join(format!("{name}.txt")), text).unwrap();
        ok(d, &["import", &format!("{name}.txt"), "--kind", kind, "--wave", wave]);
        ok(d, &["link", name, "Jane", "--interviewer"]);
    }
    for (doc, label, id) in [("fg1", "Ann", "ann"), ("fg1", "Bo", "bo"), ("cy1", "Cy", "cy"), ("ann2", "Ann", "ann")] {
        ok(d, &["link", doc, label, id]);
    }
    ok(d, &["link", "bo2", "Bo", "bo"]);
    ok(d, &["codebook", "add", "Finding hope", "--kind", "theme"]);
    ok(d, &["codebook", "add", "hope", "--parent", "Finding hope"]);
    ok(d, &["codebook", "add", "faith", "--parent", "Finding hope"]);
    ok(d, &["codebook", "add", "Daily work", "--kind", "theme"]);
    ok(d, &["codebook", "add", "kitchen", "--parent", "Daily work"]);
    let fg1_passage = span("fg1", FG1, "What keeps", "the kitchen.");
    assert_eq!(fg1_passage, "fg1:6..106");
    let ann2_work = span("ann2", ANN2, "And work?", "every morning.");
    for coder in ["hp", "mk"] {
        for (code, place, at) in [
            ("hope", "--span", fg1_passage.as_str()),
            ("kitchen", "--turn", "fg1:T5"),
            ("hope", "--turn", "cy1:T2"),
            ("kitchen", "--turn", "cy1:T2"),
            ("faith", "--turn", "ann2:T2"),
            ("kitchen", "--span", ann2_work.as_str()),
            ("hope", "--turn", "bo2:T2"),
            ("faith", "--turn", "bo2:T2"),
        ] {
            ok(d, &["--coder", coder, "code", code, place, at]);
        }
    }
    ok(d, &["--coder", "hp", "code", "kitchen", "--turn", "fg1:T4"]);
    ok(d, &["--coder", "mk", "code", "kitchen", "--turn", "bo2:T2"]);
    ok(d, &["merge-coders", "hp", "mk", "--into", "team", "--agreed-only"]);
    ok(d, &["participants", "set", "cy", "left-after=1", "reason=moved away"]);
    dir
}

fn json(d: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(d, args)).unwrap()
}

/// (gained, kept, lost) of each row, in order, with the number interviewed in both waves.
fn changes(found: &serde_json::Value) -> Vec<(String, u64, u64, u64, u64)> {
    found["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let n = |k: &str| c[k].as_u64().unwrap();
            (c["entry"].as_str().unwrap().to_owned(), n("interviewed_both"), n("gained"), n("kept"), n("lost"))
        })
        .collect()
}

/// Each participant's rows in each wave (`None`: not interviewed).
fn by_wave(found: &serde_json::Value) -> Vec<(String, Vec<Option<Vec<String>>>)> {
    found["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let waves = p["interviewed"]
                .as_array()
                .unwrap()
                .iter()
                .zip(p["entries"].as_array().unwrap())
                .map(|(i, e)| {
                    i.as_bool()
                        .unwrap()
                        .then(|| e.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_owned()).collect())
                })
                .collect();
            (p["participant"].as_str().unwrap().to_owned(), waves)
        })
        .collect()
}

fn strings(items: &[&str]) -> Option<Vec<String>> {
    Some(items.iter().map(|s| (*s).to_owned()).collect())
}

#[test]
fn trajectories_of_codes_follow_the_consensus_and_credit_speakers_not_the_interviewer() {
    let dir = study();
    let d = dir.path();
    let found = json(d, &["trajectories", "--format", "json"]);
    assert_eq!(found["coders"]["coders"], serde_json::json!(["team"]));
    assert_eq!(found["waves"], serde_json::json!([1, 2]));
    assert_eq!(
        by_wave(&found),
        [
            ("ann".to_owned(), vec![strings(&["hope", "kitchen"]), strings(&["faith", "kitchen"])]),
            ("bo".to_owned(), vec![strings(&["hope"]), strings(&["hope", "faith"])]),
            ("cy".to_owned(), vec![strings(&["hope", "kitchen"]), None]),
        ]
    );
    assert_eq!(
        changes(&found),
        [("hope".to_owned(), 2, 0, 1, 1), ("faith".to_owned(), 2, 2, 0, 0), ("kitchen".to_owned(), 2, 0, 1, 0),]
    );
    // The table a researcher reads.
    let table = ok(d, &["trajectories"]);
    assert_eq!(
        table,
        "participant  pseudonym  wave 1         wave 2\n\
         ann          Ann        hope, kitchen  faith, kitchen\n\
         bo           Bo         hope           hope, faith\n\
         cy           Cy         hope, kitchen  (not interviewed)\n\
         \n\
         code     id       from wave  to wave  interviewed in both  gained  kept  lost\n\
         hope     hope             1        2                    2       0     1     1\n\
         faith    faith            1        2                    2       2     0     0\n\
         kitchen  kitchen          1        2                    2       0     1     0\n"
    );
}

#[test]
fn trajectories_of_themes_pooled_coders_and_one_participant() {
    let dir = study();
    let d = dir.path();
    let themes = json(d, &["trajectories", "--rows", "theme", "--format", "json"]);
    assert_eq!(changes(&themes), [("finding-hope".to_owned(), 2, 0, 2, 0), ("daily-work".to_owned(), 2, 0, 1, 0)]);
    // Two people pooled: Bo's kitchen by hp in wave 1 and by mk in wave 2 now count.
    let pooled = json(d, &["--coders", "hp,mk", "trajectories", "--format", "json"]);
    assert_eq!(
        changes(&pooled),
        [("hope".to_owned(), 2, 0, 1, 1), ("faith".to_owned(), 2, 2, 0, 0), ("kitchen".to_owned(), 2, 0, 2, 0),]
    );
    // One participant, by pseudonym: only Bo is counted.
    let bo = json(d, &["trajectories", "--participants", "Bo", "--format", "json"]);
    assert_eq!(by_wave(&bo), [("bo".to_owned(), vec![strings(&["hope"]), strings(&["hope", "faith"])])]);
    assert_eq!(changes(&bo), [("hope".to_owned(), 1, 0, 1, 0), ("faith".to_owned(), 1, 1, 0, 0)]);
    // CSV for programs: ids; the changes table with whole numbers.
    assert_eq!(
        ok(d, &["trajectories", "--format", "csv"]),
        "participant,pseudonym,wave 1,wave 2\nann,Ann,hope; kitchen,faith; kitchen\nbo,Bo,hope,hope; faith\n\
         cy,Cy,hope; kitchen,(not interviewed)\n"
    );
    assert_eq!(
        ok(d, &["trajectories", "--rows", "theme", "--changes", "--format", "csv"]),
        "theme,id,from wave,to wave,interviewed in both,gained,kept,lost\n\
         Finding hope,finding-hope,1,2,2,0,2,0\nDaily work,daily-work,1,2,2,0,1,0\n"
    );
}

#[test]
fn framework_by_wave_chart_and_parquet() {
    let dir = study();
    let d = dir.path();
    // Ann's quotes, wave by wave: her own words in the fg1 passage, not Jane's or Bo's.
    let csv = ok(d, &["trajectories", "--framework", "--participants", "ann", "--format", "csv"]);
    assert_eq!(
        csv,
        "wave,participant,entry,quotes\n1,Ann,hope,“Hope keeps me going.”\n1,Ann,kitchen,“The kitchen is hard work.”\n\
         2,Ann,faith,“I pray a lot; faith helps me.”\n2,Ann,kitchen,\"“Still the kitchen, every morning.”\"\n"
    );
    // Bo's wave-2 turn is coded `hope` and `faith`, both under "Finding hope": one quote there.
    let markdown = ok(d, &["trajectories", "--framework", "--rows", "theme", "--wave", "2", "--participants", "bo"]);
    assert_eq!(markdown, "# Wave 2\n\n## Bo\n\n**Finding hope**\n\n> “I have hope again, and faith.”\n\n");
    let chart = d.join("presence.svg");
    ok(d, &["trajectories", "--chart", chart.to_str().unwrap(), "--entry", "kitchen"]);
    let svg = fs::read_to_string(&chart).unwrap().replace('\n', "");
    assert!(svg.starts_with("<svg") && svg.contains("Kitchen by participant and wave"));
    // Cy was not interviewed in wave 2: one grey cell with a dash.
    assert_eq!(svg.matches(">—<").count(), 1, "{svg}");
    // The alluvial bands of themes (counted by hand in the header): wave 1 Ann and Cy have both
    // themes, Bo "Finding hope"; wave 2 Ann both, Bo "Finding hope", Cy not interviewed. Three
    // bands of one person: Ann both -> both, Cy both -> not interviewed, Bo hope -> hope.
    let flows = d.join("flows.svg");
    let out =
        ok(d, &["trajectories", "--rows", "theme", "--chart", flows.to_str().unwrap(), "--chart-kind", "alluvial"]);
    assert!(out.contains("Finding hope"), "{out}");
    let svg = fs::read_to_string(&flows).unwrap().replace('\n', "");
    assert!(svg.contains(">Themes of each participant by wave<"), "{svg}");
    assert_eq!(svg.matches(">Finding hope + Daily work (2)<").count(), 1, "{svg}");
    assert_eq!(svg.matches(">Finding hope + Daily work (1)<").count(), 1);
    assert_eq!(svg.matches(">Finding hope (1)<").count(), 2);
    assert_eq!(svg.matches(">(not interviewed) (1)<").count(), 1);
    assert_eq!(svg.matches("<polygon").count(), 3);
    assert_eq!(svg.matches(">1<").count(), 3);
    // One code: with kitchen Ann and Cy, then Ann; without it Bo in both waves.
    ok(d, &["trajectories", "--chart", flows.to_str().unwrap(), "--chart-kind", "alluvial", "--entry", "kitchen"]);
    let svg = fs::read_to_string(&flows).unwrap().replace('\n', "");
    for (label, times) in [
        (">with kitchen (2)<", 1),
        (">with kitchen (1)<", 1),
        (">without kitchen (1)<", 2),
        (">(not interviewed) (1)<", 1),
    ] {
        assert_eq!(svg.matches(label).count(), times, "{label} in {svg}");
    }
    let err = fails(d, &["trajectories", "--chart", flows.to_str().unwrap(), "--chart-kind", "sankey"]);
    assert!(err.contains("possible values: presence, alluvial"), "{err}");
    let err = fails(d, &["trajectories", "--chart-kind", "alluvial"]);
    assert!(err.contains("--chart <FILE>"), "{err}");
    let parquet = d.join("changes.parquet");
    ok(d, &["trajectories", "--changes", "--format", "parquet", "--out", parquet.to_str().unwrap()]);
    let bytes = fs::read(&parquet).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    // Read back by an independent reader (python's pyarrow): the counts as whole numbers.
    if support::pyarrow() {
        let script = "import sys, pyarrow.parquet as pq\nt = pq.read_table(sys.argv[1])\n\
                      print(t.schema.field('gained').type)\nprint(t.to_pydict())";
        let out = std::process::Command::new("python3").args(["-c", script]).arg(&parquet).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with("uint64\n"), "{text}");
        for part in
            ["'code': ['hope', 'faith', 'kitchen']", "'gained': [0, 2, 0]", "'kept': [1, 0, 1]", "'lost': [1, 0, 0]"]
        {
            assert!(text.contains(part), "{part} in {text}");
        }
    } else {
        thema_testkit::skip("pyarrow is not installed and could not be (`pip install pyarrow`): Parquet not read back");
    }
    let err = fails(d, &["trajectories", "--format", "parquet"]);
    assert!(err.contains("pass `--out FILE.parquet`"), "{err}");
}

#[test]
fn waves_lists_participation_retention_and_reasons() {
    let dir = study();
    let d = dir.path();
    let found = json(d, &["waves", "--format", "json"]);
    assert_eq!(found["counts"], serde_json::json!([3, 2]));
    let r = &found["retention"][0];
    assert_eq!((r["in_from"].as_u64(), r["in_to"].as_u64(), r["kept"].as_u64()), (Some(3), Some(2), Some(2)));
    assert_eq!(r["left"], serde_json::json!([["cy", "moved away"]]));
    let table = ok(d, &["waves"]);
    assert!(table.contains("cy              Cy         cy1                      1  moved away"), "{table}");
    assert!(table.contains("        1        2        3      2     2    66.7  cy (moved away)"), "{table}");
    // Each wave's participants table counts each person once, without the bookkeeping columns.
    let tables = ok(d, &["waves", "--participants-table"]);
    assert!(tables.contains("wave 1: 3 participants") && tables.contains("wave 2: 2 participants"), "{tables}");
    assert!(!tables.contains("moved away\n  ") && !tables.contains("Left-after"), "{tables}");
    // Setting attributes: an unknown participant and a pair without `=` are refused with
    // hints; an empty value removes the attribute.
    let err = fails(d, &["participants", "set", "zed", "reason=x"]);
    assert!(err.contains("there is no participant `zed`") && err.contains("thema participants list"), "{err}");
    let err = fails(d, &["participants", "set", "cy", "moved"]);
    assert!(err.contains("`moved` is not `name=value`") && err.contains("left-after=1"), "{err}");
    ok(d, &["participants", "set", "cy", "reason="]);
    let csv = fs::read_to_string(d.join("study/participants.csv")).unwrap();
    assert_eq!(csv.lines().find(|l| l.starts_with("cy,")), Some("cy,Cy,Participant,1,"), "{csv}");
    let found = json(d, &["waves", "--format", "json"]);
    assert_eq!(found["retention"][0]["left"], serde_json::json!([["cy", null]]));
    // Someone new in wave 2 joined: counted in wave 2, not kept.
    fs::write(
        d.join("study/participants.csv"),
        fs::read_to_string(d.join("study/participants.csv")).unwrap() + "dee,Dee,Participant,,\n",
    )
    .unwrap();
    fs::write(d.join("dee2.txt"), "Jane: Hello.\n\nDee: I am new here this time.\n").unwrap();
    ok(d, &["import", "dee2.txt", "--kind", "interview", "--wave", "2"]);
    ok(d, &["link", "dee2", "Jane", "--interviewer"]);
    ok(d, &["link", "dee2", "Dee", "dee"]);
    let found = json(d, &["waves", "--format", "json"]);
    assert_eq!(found["counts"], serde_json::json!([3, 3]));
    let r = &found["retention"][0];
    assert_eq!((r["in_to"].as_u64(), r["kept"].as_u64()), (Some(3), Some(2)));
    assert_eq!(r["joined"], serde_json::json!(["dee"]));
    // A left-after that the documents contradict is pointed out.
    ok(d, &["participants", "set", "bo", "left-after=1"]);
    let out = support::thema(d).args(["--study", "study", "waves"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`bo` has left-after=1 but speaks in wave 2"), "{stderr}");
}

#[test]
fn wave_filters_reach_matrix_segments_saturation_and_agreement() {
    let dir = study();
    let d = dir.path();
    // Wave 2 alone: ann2 has faith and kitchen, bo2 hope and faith (team's codings).
    let matrix = ok(d, &["matrix", "--wave", "2", "--format", "csv"]);
    assert_eq!(matrix, "entry,ann2,bo2\nhope,0,1\nfaith,1,1\nkitchen,1,0\n");
    // By wave: wave 1 has hope twice (fg1 passage, cy1) and kitchen twice (fg1:T5, cy1).
    let by = ok(d, &["matrix", "--by", "wave", "--format", "csv"]);
    assert_eq!(by, "entry,1,2\nhope,2,1\nfaith,0,2\nkitchen,2,1\n");
    // `--wave 1 --wave 2` is either wave: everything.
    assert_eq!(ok(d, &["matrix", "--by", "wave", "--wave", "1", "--wave", "2", "--format", "csv"]), by);
    let segments = ok(d, &["segments", "kitchen", "--wave", "2", "--json"]);
    let segments: serde_json::Value = serde_json::from_str(&segments).unwrap();
    assert_eq!(segments.as_array().unwrap().len(), 1);
    for command in
        [&["search", "hope", "--wave", "3"][..], &["kwic", "hope", "--wave", "3"], &["segments", "hope", "--wave", "3"]]
    {
        let err = fails(d, command);
        assert!(err.contains("no document is in wave 3"), "{command:?}: {err}");
    }
    let hits = ok(d, &["search", "hope", "--wave", "2", "--json"]);
    let hits: serde_json::Value = serde_json::from_str(&hits).unwrap();
    let turns: Vec<&str> = hits["hits"].as_array().unwrap().iter().map(|h| h["turn"].as_str().unwrap()).collect();
    assert_eq!(turns, ["bo2:T2"]);
    let err = fails(d, &["matrix", "--wave", "3"]);
    assert!(err.contains("no document is in wave 3") && err.contains("the study's waves: 1, 2"), "{err}");
    // Saturation wave by wave, a base of 1 document and runs of 1, in import order (team's
    // codings): wave 1: fg1 {hope, kitchen} is the base (2 codes), cy1 adds nothing (0 new);
    // wave 2: ann2 {faith, kitchen} is the base (2), bo2 adds hope (1 new, 50% of the base).
    let saturation = ok(d, &["saturation", "--by", "wave", "--base", "1", "--run", "1"]);
    assert!(saturation.starts_with("wave 1\n") && saturation.contains("\nwave 2\n"), "{saturation}");
    let saturation = json(d, &["saturation", "--by", "wave", "--base", "1", "--run", "1", "--json"]);
    let runs = |i: usize| {
        let wave = &saturation["waves"][i];
        let run = &wave["result"]["runs"][0];
        (
            wave["wave"].as_u64(),
            wave["result"]["base_codes"].as_u64(),
            run["new"].as_u64(),
            run["new_information"].as_f64(),
        )
    };
    assert_eq!(runs(0), (Some(1), Some(2), Some(0), Some(0.0)));
    assert_eq!(runs(1), (Some(2), Some(2), Some(1), Some(0.5)));
    // Agreement of hp and mk in wave 2 only: the two documents of wave 2, and of the 6 turns
    // there (ann2 4, bo2 2) they differ on one turn and code: mk's kitchen on bo2:T2.
    let agree = json(d, &["agree", "hp", "mk", "--wave", "2", "--json", "--bootstrap", "0"]);
    assert_eq!(agree["documents"], serde_json::json!(["ann2", "bo2"]));
    assert_eq!(agree["units"], serde_json::json!(6));
    let disagreements = agree["disagreements"].as_array().unwrap();
    assert_eq!(disagreements.len(), 1, "{disagreements:?}");
    // In wave 1 they differ only on hp's kitchen on fg1:T4.
    let agree = json(d, &["agree", "hp", "mk", "--wave", "1", "--json", "--bootstrap", "0"]);
    assert_eq!(agree["documents"], serde_json::json!(["fg1", "cy1"]));
    assert_eq!(agree["disagreements"].as_array().unwrap().len(), 1);
}

/// `examples/ami-design-waves`, built by its `build.sh`: the codings written there, counted by
/// hand (a participant has a code in a wave when a coding of that wave's meeting credits them;
/// the span coding of es2002-w1 T7..T8 credits Marketing and the project manager).
///
/// Wave 1: ES2002: PM {one-remote (T7..T8), new-functions (T10), finding-the-remote (T14)},
/// ME {one-remote (T7..T8, T11), new-functions (T9)}, UI {one-remote (T6)}, ID
/// {finding-the-remote (T13, T15)}. ES2003: PM {cost (T3), one-remote (T3, T5),
/// process-constraints (T11)}, ME {new-functions (T8, T10)}, UI {cost (T2), one-remote (T4, T6)},
/// ID {new-functions (T14)}.
/// Wave 2: ES2002: PM {creativity (T11)}, ME {creativity, process-constraints (T2)}, UI {cost,
/// creativity (T7)}, ID {process-constraints (T3, T5, T8, T10)}. ES2003: PM {creativity, cost
/// (T10, T19)}, ME {creativity (T9), process-constraints (T17)}, UI {creativity, cost (T6), cost
/// (T11)}, ID {creativity (T8), cost (T13)}.
/// All 8 took part in both waves. one-remote: 5 had it in wave 1 (PM, ME, UI of ES2002; PM, UI
/// of ES2003), none in wave 2: lost 5. new-functions: 4 (ES2002 PM, ME; ES2003 ME, ID): lost 4.
/// finding-the-remote: 2 (ES2002 PM, ID): lost 2. cost: ES2003 PM and UI in both (kept 2), ES2002
/// UI and ES2003 ID only in wave 2 (gained 2). process-constraints: ES2003 PM only in wave 1
/// (lost 1); ES2002 ME, ID and ES2003 ME only in wave 2 (gained 3). creativity: everyone but
/// ES2002's ID in wave 2, nobody in wave 1: gained 7.
/// Themes: "Ideas for the remote": all 8 in wave 1, none in wave 2: lost 8. "Limits on the
/// design": kept by ES2003 PM and UI, gained by ES2002 ME, UI, ID and ES2003 ME, ID (5; ES2002's
/// PM has none in either wave). "Room for creativity": gained 7.
#[test]
fn the_two_wave_example_gives_the_counts_counted_by_hand() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/ami-design-waves");
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("sh")
        .arg(example.join("build.sh"))
        .arg(dir.path().join("study"))
        .env("THEMA", assert_cmd::cargo::cargo_bin("thema"))
        .env_remove("THEMA_STUDY")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let d = dir.path();
    let codes = json(d, &["trajectories", "--format", "json"]);
    assert_eq!(
        changes(&codes),
        [
            ("one-remote".to_owned(), 8, 0, 0, 5),
            ("new-functions".to_owned(), 8, 0, 0, 4),
            ("finding-the-remote".to_owned(), 8, 0, 0, 2),
            ("cost".to_owned(), 8, 2, 2, 0),
            ("process-constraints".to_owned(), 8, 3, 0, 1),
            ("creativity".to_owned(), 8, 7, 0, 0),
        ]
    );
    let pm = by_wave(&codes).into_iter().find(|(p, _)| p == "es2002-pm").unwrap();
    assert_eq!(pm.1, [strings(&["one-remote", "new-functions", "finding-the-remote"]), strings(&["creativity"])]);
    let themes = json(d, &["trajectories", "--rows", "theme", "--format", "json"]);
    assert_eq!(
        changes(&themes),
        [
            ("ideas-for-the-remote".to_owned(), 8, 0, 0, 8),
            ("limits-on-the-design".to_owned(), 8, 5, 2, 0),
            ("room-for-creativity".to_owned(), 8, 7, 0, 0),
        ]
    );
    let waves = json(d, &["waves", "--format", "json"]);
    assert_eq!(waves["counts"], serde_json::json!([8, 8]));
    assert_eq!(waves["retention"][0]["kept"], serde_json::json!(8));
}

/// The team report of a study with two waves has a section on them: retention (3 in wave 1, 2
/// in wave 2, both kept, 66.7%, Cy left: moved away), each theme's gained, kept and lost counts
/// among Ann and Bo ("Finding hope" 0, 2, 0; "Daily work" 0, 1, 0, counted by hand in the
/// header), the presence grid and the alluvial bands. A study of one wave has none.
#[test]
fn report_has_a_waves_section_only_with_two_waves() {
    let dir = study();
    let d = dir.path();
    let report = d.join("report.html");
    ok(d, &["report", "--out", report.to_str().unwrap()]);
    let html = fs::read_to_string(&report).unwrap();
    let start = html.find("<section id=\"waves\"").expect("a waves section");
    // plotters writes each text of a chart on a line of its own.
    let section = html[start..start + html[start..].find("</section>").unwrap()].replace('\n', "");
    let text = |cells: &[&str]| cells.iter().map(|c| format!("<td>{c}</td>")).collect::<String>();
    for row in [
        text(&["1", "2", "3", "2", "2", "66.7", "cy (moved away)", ""]),
        text(&["Finding hope", "finding-hope", "1", "2", "2", "0", "2", "0"]),
        text(&["Daily work", "daily-work", "1", "2", "2", "0", "1", "0"]),
    ] {
        assert!(section.contains(&row), "{row} in {section}");
    }
    assert!(section.contains(">Themes present by participant and wave<"), "{section}");
    assert!(section.contains(">Finding hope + Daily work (2)<"), "{section}");
    // One wave: the same wave-1 documents and codings, no section.
    let one = new_study("id,pseudonym,role\nann,Ann,Participant\nbo,Bo,Participant\n");
    let o = one.path();
    fs::write(o.join("fg1.txt"), FG1).unwrap();
    ok(o, &["import", "fg1.txt", "--kind", "focus-group", "--wave", "1"]);
    ok(o, &["link", "fg1", "Jane", "--interviewer"]);
    ok(o, &["link", "fg1", "Ann", "ann"]);
    ok(o, &["link", "fg1", "Bo", "bo"]);
    ok(o, &["codebook", "add", "Finding hope", "--kind", "theme"]);
    ok(o, &["codebook", "add", "hope", "--parent", "Finding hope"]);
    ok(o, &["code", "hope", "--turn", "fg1:T2"]);
    ok(o, &["report", "--out", "report.html"]);
    let html = fs::read_to_string(o.join("report.html")).unwrap();
    assert!(html.contains("<section id=\"saturation\"") && !html.contains("id=\"waves\""));
}
