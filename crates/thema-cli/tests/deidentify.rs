//! `thema deidentify` on the example study and on an imported transcript: names from a key kept
//! outside the study, direct identifiers by the detectors, codings carried over, a log without
//! the original text, and refusals that change nothing.

use std::fs;
use std::path::Path;

mod support;
use support::thema;

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = thema(dir).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "thema {args:?} failed: {stderr}");
    String::from_utf8(out.stdout).unwrap() + &stderr
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let out = thema(dir).args(args).output().unwrap();
    assert!(!out.status.success(), "thema {args:?} should have failed");
    String::from_utf8_lossy(&out.stderr).into()
}

/// Every file of a study with its text, `.thema/` left out.
fn files(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if rel.starts_with(".thema") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((rel, String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned()));
            }
        }
    }
    out.sort();
    out
}

/// Every coding's quote is the text its span covers.
fn codings_fit(study: &Path) {
    for entry in fs::read_dir(study.join("codings")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "jsonl") {
            continue;
        }
        for line in fs::read_to_string(&path).unwrap().lines() {
            let c: serde_json::Value = serde_json::from_str(line).unwrap();
            let text =
                fs::read_to_string(study.join("documents").join(c["document"].as_str().unwrap()).join("text.txt"))
                    .unwrap();
            let (start, end) = (c["start"].as_u64().unwrap() as usize, c["end"].as_u64().unwrap() as usize);
            let covered: String = text.chars().skip(start).take(end - start).collect();
            assert_eq!(covered, c["quote"].as_str().unwrap(), "{line}");
        }
    }
}

#[test]
fn names_from_a_key_are_replaced_and_codings_follow() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["demo", "--out", "study"]);
    fs::write(
        d.join("key.csv"),
        "original,replacement,category\nUnlocking the Gates,the peer agency,organisation\nKent Miller,Ken Smith,person\n",
    )
    .unwrap();
    // A coding memo in a document whose text names nobody.
    ok(d, &["--study", "study", "code", "being honest", "--turn", "int2:T2", "--memo", "Kent Miller said the same"]);
    let before = files(&d.join("study"));
    let out = ok(d, &["--study", "study", "deidentify", "--key", "key.csv", "--dry-run"]);
    assert!(out.contains("would replace 3 identifiers in 1 document"), "{out}");
    assert_eq!(files(&d.join("study")), before, "a dry run writes nothing");

    let out = ok(d, &["--study", "study", "deidentify", "--key", "key.csv"]);
    assert!(out.contains("replaced 3 identifiers in 1 document") && out.contains("organisation   2"), "{out}");
    let text = fs::read_to_string(d.join("study/documents/fg1/text.txt")).unwrap();
    assert!(text.contains("peer work with the peer agency?") && text.contains("\n\nKen: "), "{text}");
    let speakers = fs::read_to_string(d.join("study/documents/fg1/speakers.csv")).unwrap();
    assert!(speakers.contains("Ken,ken,false"), "the label and the link follow: {speakers}");
    assert!(out.contains("participant `kent` is now `ken`"), "{out}");
    let participants = fs::read_to_string(d.join("study/participants.csv")).unwrap();
    assert!(participants.contains("\nken,Ken,"), "{participants}");
    codings_fit(&d.join("study"));
    ok(d, &["--study", "study", "check"]);
    assert!(out.contains("exports made before this still hold the old text"), "{out}");
    // Nothing in the study holds the original names (the demo's exports in `outputs/` were made
    // before, as the message says), and the log says where, not what.
    for (name, content) in files(&d.join("study")).into_iter().filter(|(n, _)| !n.starts_with("outputs")) {
        assert!(!content.contains("Unlocking the Gates") && !content.contains("Kent"), "{name} still names them");
    }
    let log = fs::read_to_string(d.join("study/deidentification.csv")).unwrap();
    assert!(log.starts_with("time,document,turn,category,count\n") && log.contains(",fg1,1,organisation,1\n"), "{log}");
    let decisions = fs::read_to_string(d.join("study/decisions.jsonl")).unwrap();
    assert!(decisions.lines().last().unwrap().contains("\"action\":\"deidentify\""));
    // A second run finds nothing more.
    let out = ok(d, &["--study", "study", "deidentify", "--key", "key.csv"]);
    assert!(out.contains("replaced 0 identifiers in 0 documents"), "{out}");
}

#[test]
fn detectors_tag_direct_identifiers_in_imported_transcripts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "study"]);
    fs::write(
        d.join("Maria Lopez.txt"),
        "Interviewer: How can people reach you?\nP7: Email me at maria.lopez@example.org or call 250-555-0143, I live at 1234 Douglas Street, V8W 2Y2.\nInterviewer: Thanks.\n",
    )
    .unwrap();
    ok(d, &["--study", "study", "import", "Maria Lopez.txt", "--id", "p7"]);
    ok(d, &["--study", "study", "codebook", "add", "contact"]);
    ok(
        d,
        &[
            "--study",
            "study",
            "code",
            "contact",
            "--doc",
            "p7",
            "--quote",
            "Email me at maria.lopez@example.org or call 250-555-0143",
        ],
    );
    fs::write(d.join("key.csv"), "original,replacement,category\nMaria Lopez,P7,person\n").unwrap();
    let out = ok(d, &["--study", "study", "deidentify", "--key", "key.csv"]);
    let meta = fs::read_to_string(d.join("study/documents/p7/document.toml")).unwrap();
    assert!(
        meta.contains("title = \"P7\"") && meta.contains("file = \"P7.txt\""),
        "the title and source file name too: {meta}"
    );
    for line in ["email          1", "phone          1", "address        1", "postal-code    1"] {
        assert!(out.contains(line), "{line} in {out}");
    }
    let text = fs::read_to_string(d.join("study/documents/p7/text.txt")).unwrap();
    assert_eq!(
        text,
        "Interviewer: How can people reach you?\nP7: Email me at [EMAIL] or call [PHONE], I live at [ADDRESS], [POSTAL CODE].\nInterviewer: Thanks.\n"
    );
    let codings = fs::read_to_string(d.join("study/codings/hp.jsonl")).unwrap();
    assert!(codings.contains("\"quote\":\"Email me at [EMAIL] or call [PHONE]\""), "{codings}");
    codings_fit(&d.join("study"));
    ok(d, &["--study", "study", "check"]);
}

#[test]
fn a_key_inside_the_study_or_with_errors_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["demo", "--out", "study"]);
    let before = files(&d.join("study"));
    fs::write(d.join("study/key.csv"), "original,replacement,category\nKent,K,person\n").unwrap();
    let err = fails(d, &["--study", "study", "deidentify", "--key", "study/key.csv"]);
    assert!(err.contains("is inside the study") && err.contains("hint: move it outside"), "{err}");
    fs::remove_file(d.join("study/key.csv")).unwrap();
    fs::write(d.join("bad.csv"), "original,replacement,category\nKent,K,person\nkent,L,person\n").unwrap();
    let err = fails(d, &["--study", "study", "deidentify", "--key", "bad.csv"]);
    assert!(err.contains("bad.csv: line 3: `kent` is replaced by `K` on line 2 and by `L` here"), "{err}");
    fs::write(d.join("planet.csv"), "original,replacement,category\nKent,K,planet\n").unwrap();
    let err = fails(d, &["--study", "study", "deidentify", "--key", "planet.csv"]);
    assert!(err.contains("planet.csv: line 2: `planet` is not a category"), "{err}");
    assert_eq!(files(&d.join("study")), before);
}

#[test]
fn the_audit_finds_a_planted_name_in_every_export_format() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["demo", "--out", "study"]);
    fs::create_dir(d.join("exports")).unwrap();
    for (what, file) in [("qdpx", "s.qdpx"), ("qdc", "c.qdc"), ("segments", "s.parquet"), ("codebook", "c.xlsx")] {
        ok(d, &["--study", "study", "export", what, "--out", &format!("exports/{file}")]);
    }
    // No direct identifier anywhere in the example study, its outputs and these exports.
    let out = thema(d).args(["--study", "study", "audit", "exports"]).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // A theme's name planted as an identifier is found in every format.
    fs::write(d.join("key.csv"), "original,replacement,category\nOffering hope,Theme B,other\n").unwrap();
    let out = thema(d).args(["--study", "study", "audit", "--key", "key.csv", "exports"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for file in [
        "codebook.toml:",
        "outputs/codebook.md:",
        "outputs/codebook.xlsx (xl/sharedStrings.xml):",
        "outputs/themes.docx (word/document.xml):",
        "outputs/report.html:",
        "outputs/theme-map.svg:",
        "outputs/theme-map.mmd:",
        "outputs/segments.csv:",
        "exports/s.qdpx (project.qde):",
        "exports/c.qdc:",
        "exports/s.parquet:",
        "exports/c.xlsx (xl/sharedStrings.xml):",
    ] {
        assert!(stdout.contains(file), "{file} not in:\n{stdout}");
    }
    assert!(stdout.contains("other `Offering hope`"), "{stdout}");
    // A key left in the study and an e-mail address in a memo are found too.
    fs::copy(d.join("key.csv"), d.join("study/names.csv")).unwrap();
    ok(d, &["--study", "study", "memo", "add", "Contact", "Reach Ellen at ellen.k@example.org"]);
    let out = thema(d).args(["--study", "study", "audit", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file"].as_str().unwrap().to_owned(), f["category"].as_str().unwrap().to_owned()))
        .collect();
    assert!(found.contains(&("names.csv".to_owned(), "key".to_owned())), "{found:?}");
    assert!(found.iter().any(|(file, c)| file.starts_with("memos/") && c == "email"), "{found:?}");
}

#[test]
fn review_lists_capitalised_words_to_decide_and_the_list_shrinks() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "study"]);
    fs::write(
        d.join("p1.txt"),
        "Interviewer: Where do you live, and where do you work?\nP1: In Nanaimo, near the Harbour Front. Maria from Island Health helped me in the spring. So I moved, so to speak. Maria again.\n",
    )
    .unwrap();
    ok(d, &["--study", "study", "import", "p1.txt"]);
    let out = thema(d).args(["--study", "study", "deidentify", "--review", "--json"]).output().unwrap();
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let texts: Vec<&str> = list.as_array().unwrap().iter().map(|c| c["text"].as_str().unwrap()).collect();
    assert_eq!(
        texts,
        ["Maria", "Harbour Front", "Island Health", "Nanaimo"],
        "common words, labels and `I` are not listed"
    );
    assert_eq!(list[0]["count"], 2);
    assert_eq!(list[0]["turns"], serde_json::json!(["p1:T2"]));
    // Decided: one is not an identifier (recorded in the study), one goes into the key.
    ok(d, &["--study", "study", "deidentify", "--keep", "Harbour Front"]);
    fs::write(d.join("key.csv"), "original,replacement,category\nMaria Lopez,Ana Ruiz,person\n").unwrap();
    let out = ok(d, &["--study", "study", "deidentify", "--review", "--key", "key.csv"]);
    assert!(out.contains("Island Health") && out.contains("Nanaimo"), "{out}");
    assert!(!out.contains("Harbour") && !out.contains("Maria"), "{out}");
    assert!(fs::read_to_string(d.join("study/deidentification-kept.txt")).unwrap().contains("harbour front\n"));
}

/// An interview where one person's label is written two ways (`Jane Doe`, `JANE DOE`), with a
/// URL that holds a name, coded by two coders and their consensus, the interviewer inside a
/// coding. Offsets (code points) counted by hand on this text:
/// `Interviewer: ` 0..13, `Jane` 13..17, `Jane Doe: I went to ` from 45, the URL
/// `https://clinic.example.org/jane` 65..96 (`clinic` 73..79, `jane` 92..96), `every week`
/// 97..107, `Jane Doe` of the last turn 150..158, `Bob` 168..171.
const JANE: &str = "Interviewer: Jane, tell me about the clinic.\nJane Doe: I went to https://clinic.example.org/jane every week.\nInterviewer: Every week?\nJANE DOE: Yes, Jane Doe went with Bob.\n";

fn jane_study(d: &Path) {
    ok(d, &["init", "study"]);
    fs::write(d.join("study/participants.csv"), "id,pseudonym,role\np1,Dana,participant\np2,Eli,participant\n")
        .unwrap();
    fs::write(d.join("int1.txt"), JANE).unwrap();
    ok(d, &["--study", "study", "import", "int1.txt", "--id", "int1"]);
    ok(d, &["--study", "study", "link", "int1", "Jane Doe", "p1"]);
    ok(d, &["--study", "study", "link", "int1", "Interviewer", "--interviewer"]);
    for code in ["clinic", "support"] {
        ok(d, &["--study", "study", "codebook", "add", code]);
    }
    // hp: `clinic` and `jane` inside the URL (two codings, apart), and `Bob`.
    for (code, span) in [("clinic", "int1:73..79"), ("clinic", "int1:92..96"), ("support", "int1:168..171")] {
        ok(d, &["--study", "study", "--coder", "hp", "code", code, "--span", span]);
    }
    // mk: from the interviewer's `Jane` into Jane's turn, and from inside the URL to `week`.
    for (code, span) in [("support", "int1:13..64"), ("clinic", "int1:80..107")] {
        ok(d, &["--study", "study", "--coder", "mk", "code", code, "--span", span]);
    }
    ok(d, &["--study", "study", "merge-coders", "hp", "mk", "--into", "team"]);
    fs::write(d.join("key.csv"), "original,replacement,category\nJane Doe,Person D,person\n").unwrap();
}

#[test]
fn labels_of_one_person_become_one_speaker_and_every_changed_coding_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    jane_study(d);
    // Counted by hand: hp's two URL codings each began inside the URL (widened to `[URL]`) and
    // are then one passage (1 merged); `Bob` moves. mk's first coding holds `Jane` and
    // `Jane Doe` (rewritten), its second began inside the URL (widened). The consensus (team)
    // has hp's `clinic` 73..79, the cover 80..107 of hp's `jane` and mk's `clinic`, mk's
    // `support` and hp's `Bob`: 1 moved, 1 rewritten, 2 widened, and the two URL codings merge.
    let expected = [
        "  int1  hp: 1 moved, 2 widened, 1 merged into another",
        "  int1  mk: 1 rewritten, 1 widened",
        "  int1  team: 1 moved, 1 rewritten, 2 widened, 1 merged into another",
    ];
    let before = files(&d.join("study"));
    let out = ok(d, &["--study", "study", "deidentify", "--key", "key.csv", "--dry-run"]);
    assert_eq!(files(&d.join("study")), before, "a dry run writes nothing");
    assert!(out.contains("would replace 5 identifiers in 1 document"), "{out}");
    assert!(out.contains("int1: speakers `Jane Doe` and `JANE DOE` would become one speaker `Person D` (p1)"), "{out}");
    assert!(out.contains("the rewrite would change 9 codings (document, coder: how):"), "{out}");
    for line in expected {
        assert!(out.contains(line), "{line} not in:\n{out}");
    }

    let out = ok(d, &["--study", "study", "deidentify", "--key", "key.csv"]);
    assert!(out.contains("replaced 5 identifiers in 1 document"), "{out}");
    assert!(out.contains("int1: speakers `Jane Doe` and `JANE DOE` became one speaker `Person D` (p1)"), "{out}");
    assert!(out.contains("the rewrite changed 9 codings (document, coder: how):"), "{out}");
    for line in expected {
        assert!(out.contains(line), "{line} not in:\n{out}");
    }
    let text = fs::read_to_string(d.join("study/documents/int1/text.txt")).unwrap();
    assert_eq!(
        text,
        "Interviewer: Person, tell me about the clinic.\nPerson D: I went to [URL] every week.\nInterviewer: Every week?\nPerson D: Yes, Person D went with Bob.\n"
    );
    assert_eq!(
        fs::read_to_string(d.join("study/documents/int1/speakers.csv")).unwrap(),
        "label,participant,interviewer\nInterviewer,,true\nPerson D,p1,false\n"
    );
    let quotes = |coder: &str| -> Vec<String> {
        fs::read_to_string(d.join(format!("study/codings/{coder}.jsonl")))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["quote"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(quotes("hp"), ["[URL]", "Bob"]);
    assert_eq!(quotes("mk"), ["Person, tell me about the clinic.\nPerson D: I went to", "[URL] every week"]);
    assert_eq!(quotes("team"), ["Person, tell me about the clinic.\nPerson D: I went to", "[URL] every week", "Bob"]);
    codings_fit(&d.join("study"));
    let check = thema(d).args(["--study", "study", "check"]).output().unwrap();
    let said = String::from_utf8_lossy(&check.stdout).into_owned() + &String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{said}");
    assert!(said.contains("0 errors, 0 warnings"), "{said}");
}

#[test]
fn labels_of_different_people_that_would_become_one_are_refused_naming_them_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "study"]);
    fs::write(
        d.join("study/participants.csv"),
        "id,pseudonym,role\np1,Dana,participant\np2,Eli,participant\np3,Fay,participant\n",
    )
    .unwrap();
    fs::write(d.join("a.txt"), "Interviewer: Hello both.\nAnn Lee: Hi.\nBob Roe: Hello.\n").unwrap();
    fs::write(d.join("b.txt"), "Moderator: Welcome, Cy.\nCy: Thanks.\n").unwrap();
    ok(d, &["--study", "study", "import", "a.txt", "b.txt"]);
    for (doc, label, who) in [("a", "Ann Lee", "p1"), ("a", "Bob Roe", "p2"), ("b", "Cy", "p3")] {
        ok(d, &["--study", "study", "link", doc, label, who]);
    }
    ok(d, &["--study", "study", "link", "a", "Interviewer", "--interviewer"]);
    ok(d, &["--study", "study", "link", "b", "Moderator", "--interviewer"]);
    // Two people to `Participant`, and a participant to the interviewer's label.
    fs::write(
        d.join("key.csv"),
        "original,replacement,category\nAnn Lee,Participant,person\nBob Roe,Participant,person\nCy,Moderator,person\n",
    )
    .unwrap();
    let before = files(&d.join("study"));
    for dry in [true, false] {
        let mut args = vec!["--study", "study", "deidentify", "--key", "key.csv"];
        if dry {
            args.push("--dry-run");
        }
        let err = fails(d, &args);
        assert!(err.contains("the key would make different people one speaker, so nothing was changed"), "{err}");
        assert!(err.contains("  a: `Ann Lee` (p1) and `Bob Roe` (p2) would all become `Participant`"), "{err}");
        assert!(err.contains("  b: `Moderator` (interviewer) and `Cy` (p3) would all become `Moderator`"), "{err}");
        assert!(err.contains("hint: give each of them a replacement of their own"), "{err}");
        assert_eq!(files(&d.join("study")), before);
    }
}

/// A zip of `entries`, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The audit reads zips within the limits every zip reader of thema applies
/// (`thema_ingest::archive`): a zip bomb and an archive with an entry that would climb out of
/// its folder are named as not read, and the files beside them are still read. (Before, the
/// audit inflated both and read their words.)
#[test]
fn the_audit_refuses_a_zip_bomb_and_an_escaping_entry_and_reads_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "study"]);
    fs::create_dir(d.join("exports")).unwrap();
    let zeros = vec![0u8; 8 << 20];
    fs::write(
        d.join("exports/bomb.docx"),
        zip_of(&[("word/document.xml", b"<w:t>ellen.k@example.org</w:t>"), ("big.xml", &zeros)]),
    )
    .unwrap();
    fs::write(
        d.join("exports/escape.qdpx"),
        zip_of(&[("project.qde", b"<P/>"), ("../../x.txt", b"ellen.k@example.org")]),
    )
    .unwrap();
    fs::write(d.join("exports/fine.xlsx"), zip_of(&[("xl/sharedStrings.xml", b"<t>ellen.k@example.org</t>")])).unwrap();
    let out = thema(d).args(["--study", "study", "audit", "exports"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout, "exports/fine.xlsx (xl/sharedStrings.xml):2: email `ellen.k@example.org`\n");
    assert!(
        stderr.contains(
            "not read: exports/bomb.docx: `big.xml` inflates more than 500 times its compressed size; refusing it (a zip bomb?)\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "not read: exports/escape.qdpx: refusing the archive: entry `../../x.txt` climbs out of its folder with `..`\n"
        ),
        "{stderr}"
    );
}
