//! REFI-QDA exchange: the example study through a `.qdpx` and back, schema validation with
//! xmllint, an independent reader (pyrefiqda), positions written by NVivo and ATLAS.ti, the
//! samples in `shared/refi-qda`, codebook merges, and hostile files.

use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;

mod support;
use support::thema;

fn run(dir: &Path, args: &[&str]) -> (bool, Vec<u8>, String) {
    let out = thema(dir).args(args).output().unwrap();
    (out.status.success(), out.stdout, String::from_utf8_lossy(&out.stderr).into())
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (ok, stdout, stderr) = run(dir, args);
    assert!(ok, "thema {args:?} failed: {stderr}");
    String::from_utf8(stdout).unwrap() + &stderr
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let (ok, _, stderr) = run(dir, args);
    assert!(!ok, "thema {args:?} should have failed");
    stderr
}

fn shared() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/refi-qda");
    if path.is_dir() {
        Some(path)
    } else {
        thema_testkit::skip(format_args!("{} is missing; this test needs shared/ beside the checkout", path.display()));
        None
    }
}

/// Every file of a study, by path relative to it (the decision log and `.thema/` left out).
fn files(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            if rel.starts_with(".thema") || rel.starts_with("outputs") || rel == "decisions.jsonl" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((rel, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A zip of `entries`.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn entry(qdpx: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(fs::File::open(qdpx).unwrap()).unwrap();
    let mut text = String::new();
    archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// The demo study with what the demo leaves out: memos on the project, a document, a turn and a
/// theme, a relation with a note, a coding memo, and a document with emoji and CR LF endings.
fn rich_demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["demo", "--out", "study"]);
    fn with<'a>(args: &[&'a str]) -> Vec<&'a str> {
        [&["--study", "study"][..], args].concat()
    }
    fs::write(
        d.join("emoji.txt"),
        "Interviewer: How was the first week? 🙂\r\nSimon: Honestly 😅 it was rough, but my peer mentor picked up the phone every time.\r\n",
    )
    .unwrap();
    ok(d, &with(&["import", "emoji.txt", "--kind", "interview"]));
    ok(d, &with(&["link", "emoji", "Simon", "simon"]));
    ok(d, &with(&["link", "emoji", "Interviewer", "--interviewer"]));
    ok(
        d,
        &with(&[
            "code",
            "Providing consistent support",
            "--doc",
            "emoji",
            "--quote",
            "picked up the phone every time",
            "--memo",
            "after 😅",
        ]),
    );
    ok(d, &with(&["memo", "add", "Positionality", "I worked as a peer mentor before.", "--kind", "reflexive"]));
    ok(d, &with(&["memo", "add", "About fg1", "Loud room; two speakers overlap.", "--doc", "fg1"]));
    ok(d, &with(&["memo", "add", "Hope here", "The first mention of hope.", "--turn", "fg1:T3"]));
    ok(d, &with(&["memo", "add", "Hope as a theme", "Hope links the others.", "--code", "Offering hope"]));
    ok(
        d,
        &with(&[
            "relate",
            "Offering hope",
            "Bridging connections to services",
            "--as",
            "motivates",
            "--note",
            "Hope makes the referral land.",
        ]),
    );
    dir
}

#[test]
fn round_trip_gives_back_the_study_and_the_same_file() {
    let dir = rich_demo();
    let d = dir.path();
    let out = ok(d, &["--study", "study", "export", "qdpx", "--out", "one.qdpx"]);
    assert!(out.contains("8 documents") && out.contains("4 memos (notes)"), "{out}");
    assert!(out.contains("note: turns are not REFI-QDA objects"), "the losses are printed: {out}");
    ok(d, &["--study", "study", "export", "qdpx", "--out", "two.qdpx"]);
    assert_eq!(fs::read(d.join("one.qdpx")).unwrap(), fs::read(d.join("two.qdpx")).unwrap(), "same study, same bytes");

    let out = ok(d, &["import-project", "one.qdpx", "back"]);
    assert!(out.contains("8 documents") && out.contains("33 codings") && out.contains("4 memos"), "{out}");
    let original = files(&d.join("study"));
    let back = files(&d.join("back"));
    let names = |f: &[(String, String)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&original), names(&back));
    for ((name, a), (_, b)) in original.iter().zip(&back) {
        if name.ends_with("document.toml") {
            // Where the document was first imported from is what REFI-QDA cannot carry.
            let strip = |t: &str| {
                t.lines()
                    .filter(|l| !["file = ", "format = ", "sha256 = "].iter().any(|p| l.starts_with(p)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(strip(a), strip(b), "{name}");
        } else {
            assert_eq!(a, b, "{name} differs after the round trip");
        }
    }
    // The emoji document's coding, its memo and the turn memo came back placed.
    let codings = fs::read_to_string(d.join("back/codings/hp.jsonl")).unwrap();
    assert!(codings.contains("\"quote\":\"picked up the phone every time\"") && codings.contains("after 😅"));
    let memos: String =
        (1..=4).map(|i| fs::read_to_string(d.join(format!("back/memos/m-000{i}.md"))).unwrap()).collect();
    for on in ["on = \"project\"", "on = \"document:fg1\"", "on = \"turn:fg1:T3\"", "on = \"code:offering-hope\""] {
        assert!(memos.contains(on), "{on} missing in {memos}");
    }
    // Exported again, the imported study gives the same file.
    ok(d, &["--study", "back", "export", "qdpx", "--out", "three.qdpx"]);
    assert_eq!(fs::read(d.join("one.qdpx")).unwrap(), fs::read(d.join("three.qdpx")).unwrap());
    // And the codebook file is byte-identical run to run.
    ok(d, &["--study", "study", "export", "qdc", "--out", "a.qdc"]);
    ok(d, &["--study", "back", "export", "qdc", "--out", "b.qdc"]);
    assert_eq!(fs::read(d.join("a.qdc")).unwrap(), fs::read(d.join("b.qdc")).unwrap());
}

/// The `.qdpx` and Parquet exports are written as they are made, into a temporary file beside
/// the target: one that cannot be put in place fails, leaving the target as it was and no
/// temporary behind.
#[test]
fn failed_streamed_exports_leave_nothing_behind() {
    let dir = rich_demo();
    let d = dir.path();
    fs::create_dir_all(d.join("out/taken.qdpx/inside")).unwrap();
    fs::create_dir_all(d.join("out/taken.parquet/inside")).unwrap();
    fails(d, &["--study", "study", "export", "qdpx", "--out", "out/taken.qdpx"]);
    fails(d, &["--study", "study", "export", "segments", "--out", "out/taken.parquet"]);
    let mut names: Vec<String> =
        fs::read_dir(d.join("out")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["taken.parquet", "taken.qdpx"], "no temporaries left");
    assert!(d.join("out/taken.qdpx/inside").is_dir() && d.join("out/taken.parquet/inside").is_dir());
    // Written whole, the same study gives the same bytes, and only the file is left.
    ok(d, &["--study", "study", "export", "segments", "--out", "out/a.parquet"]);
    ok(d, &["--study", "study", "export", "segments", "--out", "out/b.parquet"]);
    assert_eq!(fs::read(d.join("out/a.parquet")).unwrap(), fs::read(d.join("out/b.parquet")).unwrap());
    assert_eq!(fs::read_dir(d.join("out")).unwrap().count(), 4);
}

#[test]
fn exports_validate_against_the_standards_schemas() {
    let Some(shared) = shared() else { return };
    if std::process::Command::new("xmllint").arg("--version").output().is_err() {
        thema_testkit::skip(
            "xmllint is not installed (Debian: libxml2-utils; .ci/run installs it): exports not validated",
        );
        return;
    }
    let dir = rich_demo();
    let d = dir.path();
    ok(d, &["--study", "study", "export", "qdpx", "--out", "s.qdpx"]);
    ok(d, &["--study", "study", "export", "qdc", "--out", "s.qdc"]);
    fs::write(d.join("project.qde"), entry(&d.join("s.qdpx"), "project.qde")).unwrap();
    for (file, schema) in [("project.qde", "Project.xsd"), ("s.qdc", "Codebook.xsd")] {
        let out = std::process::Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(shared.join("schemas").join(schema))
            .arg(d.join(file))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && stderr.contains("validates"), "{file} against {schema}: {stderr}");
    }
    // The Taguette codebook with its empty <Sets/> fails the schema: thema reads it but never
    // writes one.
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(shared.join("schemas/Codebook.xsd"))
        .arg(shared.join("samples/codebooks/taguette-tests-expected.qdc"))
        .output()
        .unwrap();
    assert!(!out.status.success(), "the schema check is real: it rejects Taguette's empty <Sets/>");
}

#[test]
fn an_independent_reader_loads_the_export() {
    let python = |args: &[&str]| std::process::Command::new("python3").args(args).output();
    let has = |python: &dyn Fn(&[&str]) -> std::io::Result<std::process::Output>| {
        python(&["-c", "import pyrefiqda"]).is_ok_and(|o| o.status.success())
    };
    if !has(&python) {
        let _ = python(&["-m", "pip", "install", "--quiet", "pyrefiqda"]);
    }
    if !has(&python) {
        thema_testkit::skip(
            "pyrefiqda is not installed and could not be (`pip install pyrefiqda`): no independent reader",
        );
        return;
    }
    let dir = rich_demo();
    let d = dir.path();
    ok(d, &["--study", "study", "export", "qdpx", "--out", "s.qdpx"]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/refi/read_pyrefiqda.py");
    let out =
        python(&[script.to_str().unwrap(), d.join("s.qdpx").to_str().unwrap(), d.join("x").to_str().unwrap()]).unwrap();
    assert!(out.status.success(), "pyrefiqda: {}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["name"], "Peer-led services after prison release (example)");
    assert_eq!(json["codes"], 35);
    assert_eq!(json["links"], 9);
    assert_eq!(json["users"], serde_json::json!(["hp"]));
    let sources = json["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 8);
    // Python slices the text by code points: every coding's text is the quote thema stored.
    let csv = ok(d, &["--study", "study", "export", "codings", "--format", "csv"]);
    let mut stored: Vec<String> = Vec::new();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let quote = reader.headers().unwrap().iter().position(|h| h == "quote").expect("a quote column");
    for r in reader.records() {
        stored.push(r.unwrap()[quote].to_owned());
    }
    let mut read: Vec<String> = sources
        .iter()
        .flat_map(|s| s["codings"].as_array().unwrap().iter().map(|c| c["text"].as_str().unwrap().to_owned()))
        .collect();
    stored.sort();
    read.sort();
    assert_eq!(read, stored);
    assert!(read.iter().any(|q| q == "picked up the phone every time"), "the coding after the emoji");
    let simon = json["cases"].as_array().unwrap().iter().find(|c| c["name"] == "Simon").unwrap();
    assert!(simon["selections"].as_u64().unwrap() >= 3, "Simon's turns are his case's selections: {simon}");
}

/// One text source written by `origin`, with positions of "thanks" counted as that program
/// counts, and lenient spellings real exporters use.
fn vendor_project(origin: &str, start: usize, end: usize) -> Vec<u8> {
    let text = "\u{feff}Ana: Hi 😀 there\r\nBen: Fine 😀😀 thanks\r\n";
    let qde = format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1:0" name="Vendor" origin="{origin}">
  <Users><User guid="{{AAAAAAAA-0000-0000-0000-000000000001}}" name="Rita Q"/></Users>
  <CodeBook><Codes>
    <Code guid="{{BBBBBBBB-0000-0000-0000-000000000001}}" name="Gratitude" isCodable="true" color="#F0A"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="cccccccc-0000-0000-0000-000000000001" name="Interview 1" plainTextPath="internal://cccccccc-0000-0000-0000-000000000001.txt">
      <PlainTextSelection guid="dddddddd-0000-0000-0000-000000000001" name="" startPosition="{start}" endPosition="{end}" creatingUser="{{AAAAAAAA-0000-0000-0000-000000000001}}">
        <Coding guid="eeeeeeee-0000-0000-0000-000000000001" creatingUser="aaaaaaaa-0000-0000-0000-000000000001">
          <CodeRef targetGUID="BBBBBBBB-0000-0000-0000-000000000001"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Sets/>
</Project>"##
    );
    zip_of(&[("Trial.qde", qde.as_bytes()), ("Sources/cccccccc-0000-0000-0000-000000000001.txt", text.as_bytes())])
}

#[test]
fn positions_written_by_nvivo_atlas_and_others_land_on_the_same_words() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // "thanks" in "Ana: Hi 😀 there\r\nBen: Fine 😀😀 thanks": code points 30..36 with CR LF as
    // two; UTF-16 units 33..39 (three emoji, two units each); ATLAS.ti's count 29..35.
    for (origin, start, end) in
        [("QualCoder 3.6", 30, 36), ("NVivo 14 (Windows)", 33, 39), ("ATLAS.ti Windows 24.1", 29, 35)]
    {
        let name = format!("{}.qdpx", origin.split(' ').next().unwrap());
        fs::write(d.join(&name), vendor_project(origin, start, end)).unwrap();
        let target = name.replace(".qdpx", "").to_lowercase();
        ok(d, &["import-project", &name, &target]);
        let codings = fs::read_to_string(d.join(&target).join("codings/rita-q.jsonl")).unwrap();
        assert!(codings.contains("\"quote\":\"thanks\""), "{origin}: {codings}");
        let codebook = fs::read_to_string(d.join(&target).join("codebook.toml")).unwrap();
        assert!(codebook.contains("colour = \"#ff00aa\""), "#RGB widened: {codebook}");
    }
    let (success, json, _) = run(d, &["import-project", "QualCoder.qdpx", "as-json", "--json"]);
    assert!(success);
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(
        (json["positions"].as_str(), json["codings"].as_u64(), json["users"].as_u64()),
        (Some("code-points"), Some(1), Some(1))
    );
    // Counting NVivo's file as code points lands elsewhere: the origin matters.
    // (Here the selection ends past the text and is left out, with a message naming it.)
    let out = ok(d, &["import-project", "NVivo.qdpx", "wrong", "--positions", "code-points"]);
    assert!(out.contains("line 9: selection 33..39 of `Interview 1` ends past its text (38 code-points)"), "{out}");
    assert!(!d.join("wrong/codings/rita-q.jsonl").exists());
    // The text is normalised: no BOM, LF endings, turns found from the labels.
    let text = fs::read_to_string(d.join("nvivo/documents/interview-1/text.txt")).unwrap();
    assert_eq!(text, "Ana: Hi 😀 there\nBen: Fine 😀😀 thanks\n");
    let speakers = fs::read_to_string(d.join("nvivo/documents/interview-1/speakers.csv")).unwrap();
    assert!(speakers.contains("Ana") && speakers.contains("Ben"), "{speakers}");
}

#[test]
fn the_shared_samples_import() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "s"]);
    let samples = shared.join("samples/codebooks");
    let out =
        ok(d, &["--study", "s", "import-codebook", samples.join("requal-atlasti-23.4-literal.qdc").to_str().unwrap()]);
    assert!(out.contains("added 1 entry") && out.contains("code1"), "{out}");
    let out = ok(d, &["--study", "s", "import-codebook", samples.join("spec-annexA1-codebook.qdc").to_str().unwrap()]);
    assert!(out.contains("added 6 entries"), "{out}");
    let out =
        ok(d, &["--study", "s", "import-codebook", samples.join("taguette-tests-expected.qdc").to_str().unwrap()]);
    assert!(out.contains("added 3 entries"), "Taguette's empty <Sets/> is accepted: {out}");
    let codebook = fs::read_to_string(d.join("s/codebook.toml")).unwrap();
    assert!(
        codebook.contains("id = \"places\"\nname = \"places\"\nkind = \"code\"\nparent = \"interesting\""),
        "{codebook}"
    );
    assert!(codebook.contains("definition = \"Democrats, socialists, or progressive independents\""));
    assert!(
        codebook.contains("guid = \"5215cc69-b628-4e02-afb9-9beeaee55808\""),
        "foreign GUIDs are kept for the next merge"
    );
    // The same file again matches every entry by GUID.
    let out = ok(d, &["--study", "s", "import-codebook", samples.join("spec-annexA1-codebook.qdc").to_str().unwrap()]);
    assert!(out.contains("added 0 entries, matched 6 entries") && out.contains("matched by guid"), "{out}");
    let log = fs::read_to_string(d.join("s/decisions.jsonl")).unwrap();
    assert_eq!(log.matches("\"action\":\"import\"").count(), 3, "{log}");

    // The hand-written project, zipped as an exporter would.
    let ornio = shared.join("samples/handauthored-ornio");
    let qde = fs::read(ornio.join("project.qde")).unwrap();
    let text = fs::read(ornio.join("sources/11111111-1111-1111-1111-111111111111.txt")).unwrap();
    fs::write(
        d.join("ornio.qdpx"),
        zip_of(&[("project.qde", &qde), ("sources/11111111-1111-1111-1111-111111111111.txt", &text)]),
    )
    .unwrap();
    let out = ok(d, &["import-project", "ornio.qdpx"]);
    // The text source, the PDF's text representation and the audio's transcript are documents.
    assert!(out.contains("3 documents, 4 codes, 3 codings, 1 participant, 1 memo"), "{out}");
    for skipped in [
        "line 66: PictureSource `photo.jpg`: thema holds text documents only",
        "line 75: PDFSource `doc.pdf`: its text is read, the PDF and the codings of its page areas are not",
        "line 90: AudioSource `interview.m4a`: its transcripts are read, the media and its codings are not",
        "line 110: VideoSource `clip.mp4`: thema holds text, and it has no transcript",
    ] {
        assert!(out.contains(&format!("skipped: ornio.qdpx/project.qde: {skipped}")), "{out}");
    }
    let pdf = fs::read_to_string(d.join("ornio/documents/doc/text.txt")).unwrap();
    assert_eq!(pdf, "Notes about diet and health from the document.");
    // The transcript's selection runs between two sync points (positions 0 and 20).
    let codings = fs::read_to_string(d.join("ornio/codings/imported.jsonl")).unwrap();
    assert!(
        codings.contains("\"document\":\"interview\",\"start\":0,\"end\":20,\"quote\":\"Diet and health are \""),
        "{codings}"
    );
    let participants = fs::read_to_string(d.join("ornio/participants.csv")).unwrap();
    assert_eq!(participants, "id,pseudonym,role,Age,Consented\nparticipant-1,Participant 1,,34,true\n");
    let memo = fs::read_to_string(d.join("ornio/memos/m-0001.md")).unwrap();
    assert!(memo.contains("on = \"turn:interview-1:T1\""), "the note linked to a selection sits on its turn: {memo}");
    let document = fs::read_to_string(d.join("ornio/documents/interview-1/document.toml")).unwrap();
    assert!(document.contains("[attributes]\nset = \"Diet-related\""), "a set of sources is an attribute: {document}");
    let codebook = fs::read_to_string(d.join("ornio/codebook.toml")).unwrap();
    assert!(codebook.contains("id = \"diet\"\nname = \"Diet\"\nkind = \"code\"\nparent = \"health\""), "{codebook}");
    ok(d, &["--study", "ornio", "check"]);
}

#[test]
fn import_codebook_merges_into_a_study_and_dry_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["demo", "--out", "study"]);
    ok(d, &["--study", "study", "export", "qdc", "--out", "mine.qdc"]);
    let before = fs::read(d.join("study/codebook.toml")).unwrap();
    let out = ok(d, &["--study", "study", "import-codebook", "mine.qdc"]);
    assert!(out.contains("added 0 entries, matched 35 entries"), "{out}");
    assert_eq!(fs::read(d.join("study/codebook.toml")).unwrap(), before);
    let nvivo = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo 14">
  <Codes>
    <Code guid="{11111111-2222-3333-4444-555555555555}" name="OFFERING HOPE" isCodable="false">
      <Code guid="11111111-2222-3333-4444-666666666666" name="Stigma" isCodable="true" color="#abc">
        <Description>Being judged for having been in prison.

When to use: The participant names judgement by others.</Description>
      </Code>
    </Code>
  </Codes>
</CodeBook>"##;
    fs::write(d.join("nvivo.qdc"), nvivo).unwrap();
    let (success, json, _) = run(d, &["--study", "study", "import-codebook", "nvivo.qdc", "--dry-run", "--json"]);
    assert!(success);
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["origin"], "NVivo 14");
    assert_eq!(json["added"], serde_json::json!([{"id": "stigma", "name": "Stigma", "kind": "code"}]));
    assert_eq!(json["matched"], serde_json::json!([{"id": "offering-hope", "name": "Offering hope", "by": "name"}]));
    assert_eq!(json["dry_run"], true);
    let out = ok(d, &["--study", "study", "import-codebook", "nvivo.qdc", "--dry-run"]);
    assert!(out.contains("would add 1 entry, matched 1 entry") && out.contains("matched by name"), "{out}");
    assert_eq!(fs::read(d.join("study/codebook.toml")).unwrap(), before, "a dry run writes nothing");
    ok(d, &["--study", "study", "import-codebook", "nvivo.qdc", "--why", "co-author's codes"]);
    // After the two sub-themes of Offering hope: third.
    let codebook = fs::read_to_string(d.join("study/codebook.toml")).unwrap();
    assert!(codebook.contains(
        "id = \"stigma\"\nname = \"Stigma\"\nkind = \"code\"\nparent = \"offering-hope\"\norder = 3\ndefinition = \"Being judged for having been in prison.\"\nwhen_to_use = \"The participant names judgement by others.\"\ncolour = \"#aabbcc\""
    ), "{codebook}");
    let log = fs::read_to_string(d.join("study/decisions.jsonl")).unwrap();
    assert!(log.lines().last().unwrap().contains("co-author's codes"));
}

#[test]
fn hostile_and_broken_files_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let project = |body: &str| {
        format!("<?xml version=\"1.0\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\">{body}</Project>")
    };
    let plain = project("");
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>\n<Project name=\"&lol1;\"/>";
    let external = "<?xml version=\"1.0\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\">\n<Description>&xxe;</Description></Project>";
    let bad_guid = project("\n<Users>\n<User guid=\"not-a-guid\" name=\"a\"/></Users>");
    let zeros = vec![b' '; 64 << 20];
    let bomb_qde = format!("{}{}", project(""), String::from_utf8(zeros).unwrap());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "climb.qdpx",
            zip_of(&[("project.qde", plain.as_bytes()), ("../../evil.txt", b"x")]),
            "climbs out of its folder",
        ),
        ("absolute.qdpx", zip_of(&[("project.qde", plain.as_bytes()), ("/etc/cron.d/evil", b"x")]), "absolute path"),
        ("laughs.qdpx", zip_of(&[("project.qde", laughs.as_bytes())]), "document type"),
        ("external.qdpx", zip_of(&[("project.qde", external.as_bytes())]), "&xxe;"),
        (
            "guid.qdpx",
            zip_of(&[("project.qde", bad_guid.as_bytes())]),
            "line 4: `<User>` has `guid=\"not-a-guid\"`, which is not a GUID",
        ),
        ("bomb.qdpx", zip_of(&[("project.qde", bomb_qde.as_bytes())]), "zip bomb"),
        ("none.qdpx", zip_of(&[("readme.txt", b"hello")]), "no .qde file"),
        (
            "codebook.qdpx",
            zip_of(&[("project.qde", b"<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"/>")]),
            "not a REFI-QDA project",
        ),
        ("text.qdpx", b"this is not a zip".to_vec(), "not a readable zip archive"),
    ];
    for (name, bytes, expected) in &cases {
        fs::write(d.join(name), bytes).unwrap();
        let err = fails(d, &["import-project", name, "out"]);
        assert!(err.contains(expected), "{name}: expected `{expected}` in: {err}");
        assert!(!d.join("out").exists(), "{name}: a refused import leaves no study");
        let leftovers: Vec<_> = fs::read_dir(d)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "{name}: staging folders left behind");
    }
    assert!(!d.join("evil.txt").exists() && !d.parent().unwrap().join("evil.txt").exists());

    // An existing study is replaced only when asked.
    ok(d, &["demo", "--out", "study"]);
    ok(d, &["--study", "study", "export", "qdpx", "--out", "s.qdpx"]);
    ok(d, &["import-project", "s.qdpx", "copy"]);
    fs::write(
        d.join("copy/memos/mine.md"),
        "+++\nid = \"mine\"\ntitle = \"t\"\non = \"project\"\nauthor = \"hp\"\ntime = \"\"\n+++\nkeep me\n",
    )
    .unwrap();
    let err = fails(d, &["import-project", "s.qdpx", "copy"]);
    assert!(err.contains("already holds a thema study") && err.contains("--overwrite"), "{err}");
    assert!(d.join("copy/memos/mine.md").exists());
    ok(d, &["import-project", "s.qdpx", "copy", "--overwrite"]);
    assert!(!d.join("copy/memos/mine.md").exists(), "--overwrite replaces the study whole");
    fs::create_dir(d.join("busy")).unwrap();
    fs::write(d.join("busy/notes.txt"), "mine").unwrap();
    let err = fails(d, &["import-project", "s.qdpx", "busy"]);
    assert!(err.contains("busy exists and is not empty") && err.contains("NEW-FOLDER"), "{err}");
    assert_eq!(fs::read_to_string(d.join("busy/notes.txt")).unwrap(), "mine");
    // A codebook that is not one, named with its line.
    fs::write(d.join("bad.qdc"), "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">\n<Codes>\n<Code name=\"x\" isCodable=\"true\"/></Codes></CodeBook>").unwrap();
    let before = fs::read(d.join("study/codebook.toml")).unwrap();
    let err = fails(d, &["--study", "study", "import-codebook", "bad.qdc"]);
    assert!(err.contains("bad.qdc: line 3") && err.contains("no `guid`"), "{err}");
    assert_eq!(fs::read(d.join("study/codebook.toml")).unwrap(), before);
}

/// NVivo for Mac writes each source as a `.docx` beside a one-byte `.txt`, in a lower-case
/// `sources/` with an empty `.root`; the text comes from the `.docx`.
#[test]
fn nvivo_for_mac_sources_are_read_from_their_docx() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let document = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>Interviewer: What helped most?</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Yelena: Someone who had been there. </w:t></w:r><w:r><w:t>Café talks.</w:t></w:r></w:p>
</w:body></w:document>"#;
    let docx = zip_of(&[("word/document.xml", document.as_bytes())]);
    let qde = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Mac" origin="NVivo for Mac 15.0.0">
  <CodeBook><Codes>
    <Code guid="A0000000-0000-0000-0000-000000000001" name="Support" isCodable="true">
      <Code guid="A0000000-0000-0000-0000-000000000002" name="Peer" isCodable="true">
        <Code guid="A0000000-0000-0000-0000-000000000003" name="Shared experience" isCodable="true"/>
      </Code>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="B0000000-0000-0000-0000-000000000001" name="Yelena interview" richTextPath="internal://B0000000-0000-0000-0000-000000000001.docx" plainTextPath="internal://B0000000-0000-0000-0000-000000000001.txt"/>
  </Sources>
</Project>"#;
    fs::write(
        d.join("mac.qdpx"),
        zip_of(&[
            ("project.qde", qde.as_bytes()),
            ("sources/.root", b""),
            ("sources/B0000000-0000-0000-0000-000000000001.docx", &docx),
            ("sources/B0000000-0000-0000-0000-000000000001.txt", b"\n"),
        ]),
    )
    .unwrap();
    let out = ok(d, &["import-project", "mac.qdpx"]);
    assert!(out.contains("1 document, 3 codes"), "{out}");
    let text = fs::read_to_string(d.join("mac/documents/yelena-interview/text.txt")).unwrap();
    assert!(text.contains("Yelena: Someone who had been there. Café talks."), "{text}");
    let speakers = fs::read_to_string(d.join("mac/documents/yelena-interview/speakers.csv")).unwrap();
    assert!(speakers.contains("Yelena,,false") && speakers.contains("Interviewer,,true"), "{speakers}");
    let codebook = fs::read_to_string(d.join("mac/codebook.toml")).unwrap();
    assert!(codebook.contains("name = \"Shared experience\"\nkind = \"code\"\nparent = \"peer\""), "{codebook}");
    ok(d, &["--study", "mac", "check"]);
}

/// ATLAS.ti and NVivo export an interview's transcript inside its audio source; its selections
/// run between sync points, which also give the turns their times.
#[test]
fn transcripts_of_audio_sources_import_with_turn_times() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = "Ana: Hello there, thanks for coming.\r\nBen: Fine, thanks.\r\n";
    let qde = r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Audio" origin="ATLAS.ti Mac 25.0">
  <Users><User guid="A8000000-0000-0000-0000-000000000001" name="田中"/></Users>
  <CodeBook><Codes><Code guid="A1000000-0000-0000-0000-000000000001" name="Greeting" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <AudioSource guid="A2000000-0000-0000-0000-000000000001" name="interview.m4a" path="relative:///interview.m4a">
      <Transcript guid="A3000000-0000-0000-0000-000000000001" name="Interview 7" plainTextPath="internal://t7.txt">
        <SyncPoint guid="A4000000-0000-0000-0000-000000000001" position="0" timeStamp="1500"/>
        <SyncPoint guid="A4000000-0000-0000-0000-000000000002" position="16" timeStamp="4000"/>
        <SyncPoint guid="A4000000-0000-0000-0000-000000000003" position="37" timeStamp="9250"/>
        <TranscriptSelection guid="A5000000-0000-0000-0000-000000000001" fromSyncPoint="A4000000-0000-0000-0000-000000000001" toSyncPoint="A4000000-0000-0000-0000-000000000002">
          <Coding guid="A6000000-0000-0000-0000-000000000001" creatingUser="A8000000-0000-0000-0000-000000000001"><CodeRef targetGUID="A1000000-0000-0000-0000-000000000001"/></Coding>
        </TranscriptSelection>
      </Transcript>
      <AudioSelection guid="A7000000-0000-0000-0000-000000000001" begin="0" end="1000"/>
    </AudioSource>
  </Sources>
</Project>"##;
    fs::write(d.join("audio.qdpx"), zip_of(&[("project.qde", qde.as_bytes()), ("sources/t7.txt", text.as_bytes())]))
        .unwrap();
    let out = ok(d, &["import-project", "audio.qdpx"]);
    assert!(out.contains("1 document, 1 code, 1 coding"), "{out}");
    assert!(out.contains("AudioSource `interview.m4a`: its transcripts are read"), "{out}");
    // ATLAS.ti counts CR LF as one: position 37 is the start of "Ben:". A coder whose name has
    // no letter a file name can hold is `imported`.
    let codings = fs::read_to_string(d.join("audio/codings/imported.jsonl")).unwrap();
    assert!(codings.contains("\"quote\":\"Ana: Hello there\""), "{codings}");
    let turns = fs::read_to_string(d.join("audio/documents/interview-7/turns.csv")).unwrap();
    let lines: Vec<&str> = turns.lines().collect();
    assert_eq!(lines.len(), 3, "{turns}");
    assert!(lines[1].starts_with("1,Ana,") && lines[1].contains("00:00:01.500"), "{turns}");
    assert!(lines[2].starts_with("2,Ben,") && lines[2].contains("00:00:09.250"), "{turns}");
}
