//! The daily work of coding (issue 20): a mistyped code, document, coder, participant,
//! attribute or sheet markup gets "did you mean"; one `thema link --all` instead of one a
//! document; interviewers marked at import; repeated notes summarised.
//!
//! The study: two group interviews with an interviewer (Anna) and two participants each, a
//! codebook of a theme and two codes, two coders (`hp`, `jk`) whose codings include the
//! interviewer's question, and their consensus (`cons`).

use std::fs;
use std::path::Path;

mod support;
use support::files;
use support::thema;

const GROUP_A: &str = "\
Anna: Welcome. What helped you most after release?
Maria: Having a peer mentor who had been there. She knew the way out.
Anna: And housing?
Sam: Housing came last. The waiting list was two years.
Maria: Hope came from seeing others make it.
";

const GROUP_B: &str = "\
Anna: Tell me about the first week.
Maria: The first week was the hardest. I had no phone and no bank card.
Anna: Who helped?
Lee: My mentor drove me to the office.
";

/// Run in the study: exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = thema(dir).args(["--study", "study"]).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, _, stderr) = run(dir, args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stderr
}

/// The study before any linking: the two interviews imported, participants with an age.
fn imported() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(thema(d).args(["init", "study"]).output().unwrap().status.success());
    fs::write(d.join("group-a.txt"), GROUP_A).unwrap();
    fs::write(d.join("group-b.txt"), GROUP_B).unwrap();
    // Pseudonyms differ from the labels, so no label links by itself.
    ok(d, &["participants", "add", "p1", "--pseudonym", "Maria R.", "--set", "age=34"]);
    ok(d, &["participants", "add", "p2", "--pseudonym", "Sam T.", "--set", "age=51"]);
    ok(d, &["participants", "add", "p3", "--pseudonym", "Lee K.", "--set", "age=29"]);
    ok(d, &["import", "group-a.txt", "group-b.txt"]);
    dir
}

/// The whole study: linked, a codebook, two coders and their consensus.
fn coded() -> tempfile::TempDir {
    let dir = imported();
    let d = dir.path();
    ok(d, &["link", "Maria", "p1", "--all"]);
    ok(d, &["link", "group-a", "Sam", "p2"]);
    ok(d, &["link", "group-b", "Lee", "p3"]);
    ok(d, &["link", "Anna", "--interviewer", "--all"]);
    ok(d, &["codebook", "add", "Offering hope", "--kind", "theme"]);
    ok(d, &["codebook", "add", "housing", "--parent", "Offering hope"]);
    ok(d, &["codebook", "add", "mentoring", "--parent", "Offering hope"]);
    for coder in ["hp", "jk"] {
        // The interviewer's question and Sam's answer, as one coding.
        ok(
            d,
            &[
                "--coder",
                coder,
                "code",
                "housing",
                "--doc",
                "group-a",
                "--quote",
                "And housing?\nSam: Housing came last.",
            ],
        );
        ok(d, &["--coder", coder, "code", "mentoring", "--turn", "group-b:T4"]);
    }
    ok(d, &["--coder", "hp", "code", "mentoring", "--turn", "group-a:T2"]);
    ok(d, &["merge-coders", "hp", "jk", "--into", "cons"]);
    dir
}

/// A command that must fail, change nothing, and say `expected` as its error line.
fn refused(dir: &Path, args: &[&str], expected: &str) {
    let before = files(dir);
    let (code, stdout, stderr) = run(dir, args);
    assert_eq!(code, 2, "{args:?}: {stderr}");
    assert_eq!(stdout, "", "{args:?}");
    // Search builds its index first and says so.
    assert_eq!(stderr.lines().find(|l| l.starts_with("error:")), Some(expected), "{args:?}: {stderr}");
    assert_eq!(files(dir), before, "{args:?} changed the study");
}

#[test]
fn every_kind_of_mistyped_name_gets_did_you_mean() {
    let dir = coded();
    let d = dir.path();
    // The analyses work on the names as they are: two coders and the consensus.
    let (code, stdout, _) = run(d, &["coders"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("cons") && stdout.contains("hp") && stdout.contains("jk"), "{stdout}");
    refused(
        d,
        &["code", "housign", "--turn", "group-a:T4"],
        "error: no code, category or theme `housign` in the codebook; did you mean `housing`?",
    );
    refused(
        d,
        &["segments", "ofering hope"],
        "error: no code, category or theme `ofering hope` in the codebook; did you mean `Offering hope`?",
    );
    refused(
        d,
        &["show", "group-c"],
        "error: no document `group-c` in this study; did you mean `group-a` or `group-b`?",
    );
    refused(d, &["speakers", "gruop-a"], "error: no document `gruop-a` in this study; did you mean `group-a`?");
    refused(d, &["agree", "hp", "cosn"], "error: coder `cosn` has no codings in this study; did you mean `cons`?");
    refused(
        d,
        &["merge-coders", "hp", "kj", "--into", "x"],
        "error: coder `kj` has no codings in this study; did you mean `jk`?",
    );
    refused(
        d,
        &["link", "group-a", "Sam", "p22"],
        "error: no participant `p22` in `participants.csv`; did you mean `p2`?",
    );
    refused(
        d,
        &["link", "group-a", "Sma", "p2"],
        "error: document `group-a` has no speaker label `Sma`; did you mean `Sam`?",
    );
    refused(
        d,
        &["matrix", "--by", "aeg"],
        "error: cannot make columns of `aeg`: this study has no participant column or document field `aeg`; did you mean `age`? (known: `age`, `participant`, `pseudonym`, `role`, `date`, `document`, `kind`, `title`, `wave`)",
    );
    refused(
        d,
        &["search", "housing", "--where", "agee=51"],
        "error: this study has no participant column or document field `agee`; did you mean `age`? (known: `age`, `participant`, `pseudonym`, `role`, `date`, `document`, `kind`, `title`, `wave`)",
    );
    // No name close: no guess, the hint says where the names are.
    let (code, _, stderr) = run(d, &["code", "grief", "--turn", "group-a:T4"]);
    assert_eq!(code, 2);
    assert!(!stderr.contains("did you mean"), "{stderr}");
    assert!(stderr.contains("hint: `thema codebook` lists the entries"), "{stderr}");
    // An attribute given in another case is the study's attribute (Maria is 34).
    let (code, stdout, stderr) = run(d, &["matrix", "--by", "AGE"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("34") && !stdout.contains("(blank)"), "{stdout}");

    // Sheet markup naming a code that is not in the codebook.
    let (code, sheet, stderr) = run(d, &["sheet", "group-a"]);
    assert_eq!(code, 0, "{stderr}");
    let edited = sheet.replacen("The waiting list", "[[housign]]The waiting list[[/housign]]", 1);
    assert_ne!(edited, sheet);
    fs::write(d.join("edited.sheet"), edited).unwrap();
    let before = files(d);
    let (code, _, stderr) = run(d, &["apply", "edited.sheet"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`housign` is not a code id in the codebook; did you mean `housing`?"), "{stderr}");
    assert_eq!(files(d), before);
}

#[test]
fn link_a_label_in_every_document_where_it_occurs() {
    let dir = imported();
    let d = dir.path();
    let speakers = |doc: &str| fs::read_to_string(d.join(format!("study/documents/{doc}/speakers.csv"))).unwrap();
    assert_eq!(speakers("group-a"), "label,participant,interviewer\nAnna,,false\nMaria,,false\nSam,,false\n");

    let stderr = ok(d, &["link", "Maria", "p1", "--all"]);
    assert_eq!(stderr, "`Maria` is p1 (Maria R., Participant) in 2 documents: `group-a`, `group-b`\n");
    assert_eq!(speakers("group-a"), "label,participant,interviewer\nAnna,,false\nMaria,p1,false\nSam,,false\n");
    assert_eq!(speakers("group-b"), "label,participant,interviewer\nAnna,,false\nMaria,p1,false\nLee,,false\n");
    // Again: nothing to change, and it says so.
    let stderr = ok(d, &["link", "Maria", "p1", "--all"]);
    assert_eq!(stderr, "`Maria` is p1 (Maria R., Participant) in 2 documents: `group-a`, `group-b` (2 already so)\n");

    let stderr = ok(d, &["link", "Anna", "--interviewer", "--all"]);
    assert_eq!(stderr, "`Anna` is the interviewer in 2 documents: `group-a`, `group-b`\n");
    assert_eq!(speakers("group-b"), "label,participant,interviewer\nAnna,,true\nMaria,p1,false\nLee,,false\n");
    // Only in one document: said as for one.
    let stderr = ok(d, &["link", "Lee", "p3", "--all"]);
    assert_eq!(stderr, "`Lee` in `group-b` is p3 (Lee K., Participant)\n");

    refused(
        d,
        &["link", "Marai", "p1", "--all"],
        "error: no document has the speaker label `Marai`; did you mean `Maria`?",
    );
    refused(
        d,
        &["link", "group-a", "Maria", "p1", "--all"],
        "error: `thema link` needs 2 values here, got 3: group-a Maria p1",
    );
    let (_, _, stderr) = run(d, &["link", "Maria", "--all"]);
    assert!(stderr.contains("hint: write `thema link LABEL PARTICIPANT --all`"), "{stderr}");
}

#[test]
fn import_marks_the_interviewer_labels_given() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(thema(d).args(["init", "study"]).output().unwrap().status.success());
    fs::write(d.join("group-a.txt"), GROUP_A).unwrap();
    fs::write(d.join("group-b.txt"), GROUP_B).unwrap();
    // Any case; the label `Anna` is no interviewer by its name.
    let stderr = ok(d, &["import", "group-a.txt", "group-b.txt", "--interviewer", "anna"]);
    assert!(!stderr.contains("warning"), "{stderr}");
    for doc in ["group-a", "group-b"] {
        let speakers = fs::read_to_string(d.join(format!("study/documents/{doc}/speakers.csv"))).unwrap();
        assert!(speakers.contains("\nAnna,,true\n"), "{doc}: {speakers}");
        assert!(speakers.contains("\nMaria,,false\n"), "{doc}: {speakers}");
    }
    // Three people besides Anna would make a focus group; two make an interview.
    let (_, stdout, _) = run(d, &["ls"]);
    assert_eq!(stdout.matches("interview").count(), 2, "{stdout}");

    // A label no file has: imported all the same, with a warning that offers the label.
    fs::write(d.join("group-c.txt"), GROUP_B).unwrap();
    let stderr = ok(d, &["import", "group-c.txt", "--interviewer", "Ana"]);
    assert!(
        stderr.contains(
            "warning: `--interviewer Ana` names no speaker label of the files imported; did you mean `Anna`?"
        ),
        "{stderr}"
    );
}

#[test]
fn a_note_repeated_on_many_lines_is_summarised() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Seven units; lines 3, 4, 6, 7 and 9 have no ratings.
    fs::write(d.join("ratings.csv"), "unit,hp,jk\nu1,1,1\nu2,,\nu3,,\nu4,0,1\nu5,,\nu6,NA,\nu7,1,1\nu8,,\nu9,0,0\n")
        .unwrap();
    let output = thema(d).args(["agree", "--data", "ratings.csv"]).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let notes: Vec<&str> = stderr.lines().filter(|l| l.starts_with("note:")).collect();
    assert_eq!(
        notes,
        [
            "note: a unit with no ratings, left out: 5 times, at `ratings.csv` line 3, `ratings.csv` line 4, `ratings.csv` line 6 and 2 more (`--verbose` lists all)"
        ]
    );
    let output = thema(d).args(["agree", "--data", "ratings.csv", "--verbose"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let notes: Vec<&str> = stderr.lines().filter(|l| l.starts_with("note:")).collect();
    assert_eq!(
        notes,
        [3, 4, 6, 7, 9].map(|l| format!("note: `ratings.csv` line {l}: a unit with no ratings, left out")).to_vec()
    );
}

#[test]
fn codebook_import_makes_a_hierarchy_from_a_list_of_paths() {
    let dir = imported();
    let d = dir.path();
    // As MAXQDA exports it: backslashes; one name holds a `/`.
    fs::write(
        d.join("codes.txt"),
        "Hope\\Way out\\revolving door\nHope\\Way out\\role models\nHope\\faith/prayer\n\nHousing\n",
    )
    .unwrap();
    let before = files(d);
    let (code, stdout, stderr) = run(d, &["codebook", "import", "codes.txt", "--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    // In the list's order (the order the entries are made in), not the alphabet's.
    let tree = "\
+ Hope (hope, theme)
+   Way out (way-out, sub-theme)
+     revolving door (revolving-door, code)
+     role models (role-models, code)
+   faith/prayer (faith-prayer, code)
+ Housing (housing, code)
";
    assert_eq!(stdout, tree);
    assert_eq!(
        stderr,
        "dry run: 6 new entries, 0 already in the codebook (paths separated by `\\`); nothing changed\n"
    );
    assert_eq!(files(d), before);

    let (code, stdout, _) = run(d, &["codebook", "import", "codes.txt"]);
    assert_eq!((code, stdout.as_str()), (0, tree));
    let log = fs::read_to_string(d.join("study/decisions.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 6, "{log}");
    assert!(log.lines().all(|l| l.contains("\"action\":\"add\"") && l.contains("imported from `codes.txt`")), "{log}");
    assert!(log.contains("sub-theme `Way out` (way-out)"), "{log}");

    // A CSV that adds one code and describes it; the rest is there already.
    fs::write(
        d.join("more.csv"),
        "path,definition,colour,kind\nhope > way out > mentors,A guide who has been there,#1F77B4,\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(d, &["codebook", "import", "more.csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "= Hope (hope, theme)\n=   Way out (way-out, sub-theme)\n+     mentors (mentors, code)\n");
    let codebook = fs::read_to_string(d.join("study/codebook.toml")).unwrap();
    assert!(codebook.contains("definition = \"A guide who has been there\"\ncolour = \"#1f77b4\""), "{codebook}");

    // Every problem at once, nothing changed.
    fs::write(d.join("bad.csv"), "path,kind\nA > > b,\nFear,thme\n").unwrap();
    let before = files(d);
    let (code, _, stderr) = run(d, &["codebook", "import", "bad.csv"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: 2 problems in the list; nothing was imported\n\
         `bad.csv`: line 2: `A > > b` has an empty name between two `>`\n\
         `bad.csv`: line 3: `thme` is not a kind of entry (code, category, sub-theme, theme); did you mean `theme`?\n\
         hint: one path a line, like `Theme > Sub-theme > code`; a CSV file needs a `path` column\n"
    );
    assert_eq!(files(d), before);
}

/// The codebook tree as `(depth, id)`, from `thema codebook --json`.
fn tree(dir: &Path) -> Vec<(u64, String)> {
    let (code, stdout, stderr) = run(dir, &["codebook", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["depth"].as_u64().unwrap(), e["id"].as_str().unwrap().to_owned()))
        .collect()
}

fn shaped(rows: &[(u64, &str)]) -> Vec<(u64, String)> {
    rows.iter().map(|(d, id)| (*d, (*id).to_owned())).collect()
}

#[test]
fn codebook_entries_keep_the_order_the_team_sets() {
    let dir = coded();
    let d = dir.path();
    ok(d, &["codebook", "add", "Being known", "--kind", "theme"]);
    ok(d, &["codebook", "add", "Anxiety", "--parent", "Being known"]);
    // The order of creation, not the alphabet (which would put `Being known` first).
    assert_eq!(
        tree(d),
        shaped(&[(0, "offering-hope"), (1, "housing"), (1, "mentoring"), (0, "being-known"), (1, "anxiety")])
    );

    ok(d, &["codebook", "move", "mentoring", "--before", "housing"]);
    ok(d, &["codebook", "move", "Being known", "--before", "Offering hope"]);
    assert_eq!(
        tree(d),
        shaped(&[(0, "being-known"), (1, "anxiety"), (0, "offering-hope"), (1, "mentoring"), (1, "housing")])
    );
    // The file stays sorted by id; the order is a number beside the parent.
    let toml = fs::read_to_string(d.join("study/codebook.toml")).unwrap();
    let ids: Vec<&str> = toml.lines().filter_map(|l| l.strip_prefix("id = \"")).collect();
    assert_eq!(ids, ["anxiety\"", "being-known\"", "housing\"", "mentoring\"", "offering-hope\""]);
    assert!(
        toml.contains("id = \"housing\"\nname = \"housing\"\nkind = \"code\"\nparent = \"offering-hope\"\norder = 2\n"),
        "{toml}"
    );

    // Across parents: beside an entry under another parent, the entry moves under it.
    let before = files(d);
    let stderr = ok(d, &["codebook", "move", "anxiety", "--after", "mentoring"]);
    assert!(stderr.contains("`anxiety` after `mentoring`, now under `offering-hope`"), "{stderr}");
    assert_eq!(
        tree(d),
        shaped(&[(0, "being-known"), (0, "offering-hope"), (1, "mentoring"), (1, "anxiety"), (1, "housing")])
    );
    let log = fs::read_to_string(d.join("study/decisions.jsonl")).unwrap();
    assert!(log.lines().last().unwrap().contains("\"action\":\"move\""), "{log}");
    // Undo puts the study back byte for byte.
    ok(d, &["undo"]);
    assert_eq!(files(d), before);
    ok(d, &["redo"]);

    // Exports follow the order: the codebook table (CSV) lists entries as the tree does.
    let (code, csv, stderr) = run(d, &["export", "codebook", "--format", "csv"]);
    assert_eq!(code, 0, "{stderr}");
    let ids: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids, ["being-known", "offering-hope", "mentoring", "anxiety", "housing"], "{csv}");

    // A mistyped entry to move beside gets "did you mean"; nothing changes.
    refused(
        d,
        &["codebook", "move", "housing", "--before", "mentorng"],
        "error: no code, category or theme `mentorng` in the codebook; did you mean `mentoring`?",
    );
    // Beside an entry under itself: refused.
    refused(
        d,
        &["codebook", "move", "offering-hope", "--after", "housing"],
        "error: `housing` lies under `offering-hope`, so `offering-hope` cannot move beside it",
    );
}

/// An interview where the typist slipped once: `Particpant` for `Participant` at line 9.
const SLIPPED: &str = "\
Interviewer: How did the first month go?
Participant: Hard. I slept at my sister's.
Interviewer: And work?
Participant: Nothing at first.
Participant: Then the warehouse took me on.
Interviewer: Who helped?
Participant: My mentor, mostly.
Participant: She rang every day.
Particpant: Even on Sundays.
Participant: I owe her a lot.
";

#[test]
fn a_speaker_label_with_a_typo_is_reported_with_the_label_meant() {
    let dir = imported();
    let d = dir.path();
    fs::write(d.join("slipped.txt"), SLIPPED).unwrap();
    let stderr = ok(d, &["import", "slipped.txt"]);
    // Six turns of `Participant` (lines 2, 4, 5, 7, 8, 10), one of `Particpant` (line 9, T9).
    assert!(
        stderr.contains(
            "warning: line 9: speaker label `Particpant` (1 turn, `slipped:T9`) is probably a typo of \
             `Participant` (6 turns)"
        ),
        "{stderr}"
    );
    // The group interviews' labels (Anna 2 turns beside Maria 2, Sam 1, Lee 1) are not typos.
    assert!(!stderr.contains("group-"), "{stderr}");

    let (code, stdout, stderr) = run(d, &["speakers"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Particpant"), "{stdout}");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("warning:")).collect::<Vec<_>>(),
        ["warning: `slipped`: speaker label `Particpant` (1 turn) is probably a typo of `Participant` (6 turns)"]
    );
    let (_, json, _) = run(d, &["speakers", "--json", "slipped"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let typo_of: Vec<Option<&str>> = rows.as_array().unwrap().iter().map(|r| r["typo_of"].as_str()).collect();
    assert_eq!(typo_of, [None, None, Some("Participant")]);
}

#[test]
fn invivo_suggestions_keep_to_the_documents_and_speakers_chosen() {
    let dir = coded();
    let d = dir.path();
    ok(d, &["participants", "add", "p4", "--pseudonym", "Ola B.", "--set", "age=61"]);
    fs::write(
        d.join("group-c.txt"),
        "Anna: No bank card at all?\nOla: I had no bank card either.\nOla: No bank card, no flat.\n",
    )
    .unwrap();
    ok(d, &["import", "group-c.txt"]);
    ok(d, &["link", "group-c", "Ola", "p4"]);
    ok(d, &["link", "group-c", "Anna", "--interviewer"]);
    let phrases = |args: &[&str]| -> Vec<(String, u64, u64)> {
        let mut all = vec!["invivo", "suggest", "--json", "--min-count", "2"];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = run(d, &all);
        assert_eq!(code, 0, "{stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        json.as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["phrase"].as_str().unwrap().to_owned(),
                    s["count"].as_u64().unwrap(),
                    s["speakers"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    // "no bank card": Maria in group-b (T2), Ola twice in group-c (T2, T3); the interviewer's
    // question (group-c T1) does not count. Nothing else is said twice.
    assert_eq!(phrases(&[]), [("no bank card".to_owned(), 3, 2)]);
    // Only group-c: Ola's two.
    assert_eq!(phrases(&["--doc", "group-c"]), [("no bank card".to_owned(), 2, 1)]);
    // Only Ola (age 61), in every document: the same.
    assert_eq!(phrases(&["--where", "age=61"]), [("no bank card".to_owned(), 2, 1)]);
    // Only Maria: she says it once.
    assert_eq!(phrases(&["--where", "participant=p1"]), []);
    let (code, _, stderr) = run(d, &["invivo", "suggest", "--where", "participant=p1"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("in participants' speech of the documents and speakers chosen"), "{stderr}");
    // Mistyped: a key, a document.
    refused(
        d,
        &["invivo", "suggest", "--where", "agee=61"],
        "error: this study has no participant column or document field `agee`; did you mean `age`? (known: `age`, \
         `participant`, `pseudonym`, `role`, `date`, `document`, `kind`, `title`, `wave`)",
    );
    refused(
        d,
        &["invivo", "suggest", "--doc", "group-d"],
        "error: no document `group-d` in this study; did you mean `group-a`, `group-b` or `group-c`?",
    );
}

/// The PDF fixtures of thema-ingest (made with LibreOffice from the example transcripts).
fn pdf_fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../thema-ingest/tests/fixtures/pdf").join(name)
}

#[test]
fn a_pdf_imports_as_its_transcript_and_says_what_was_cleaned() {
    if std::process::Command::new("pdftotext").arg("-v").output().is_err() {
        thema_testkit::skip("pdftotext is not installed (apt-get install poppler-utils; .ci/run installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(thema(d).args(["init", "study"]).output().unwrap().status.success());
    let transcripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/palis-2024/transcripts");
    let pdf = pdf_fixture("palis-all.pdf");
    let stderr = ok(d, &["import", pdf.to_str().unwrap(), "--id", "all"]);
    assert!(stderr.contains("(pdf, focus-group): 37 turns"), "{stderr}");
    assert!(stderr.contains("  clean-up: removed 8 page numbers, headers and footers; joined "), "{stderr}");
    // The same turns, speakers and words as the text the PDF was made from.
    let text = pdf_fixture("palis-all.txt");
    ok(d, &["import", text.to_str().unwrap(), "--id", "reference"]);
    let (_, from_pdf, _) = run(d, &["show", "all", "--no-wrap"]);
    let (_, from_text, _) = run(d, &["show", "reference", "--no-wrap"]);
    // Each turn's heading and its words: a PDF keeps no paragraph breaks inside a turn.
    let turns = |s: &str| {
        let mut turns: Vec<(String, String)> = Vec::new();
        for line in s.lines().skip(1) {
            if let Some(heading) = line.strip_prefix("all:").or_else(|| line.strip_prefix("reference:")) {
                turns.push((heading.to_owned(), String::new()));
            } else if let Some((_, words)) = turns.last_mut() {
                for word in line.split_whitespace() {
                    words.push_str(word);
                    words.push(' ');
                }
            }
        }
        turns
    };
    assert_eq!(turns(&from_pdf).len(), 37);
    assert_eq!(turns(&from_pdf), turns(&from_text));
    // A MAXQDA text export: numbered paragraphs, a tab after each number; `--clean` removes them.
    let numbered: String = fs::read_to_string(transcripts.join("fg2.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| format!("{}\t{l}\n", i + 1))
        .collect();
    fs::write(d.join("fg2-maxqda.txt"), numbered).unwrap();
    let stderr = ok(d, &["import", "fg2-maxqda.txt", "--clean"]);
    assert!(stderr.contains("  clean-up: removed 7 paragraph numbers\n"), "{stderr}");
    assert!(stderr.contains("Facilitator                   4 turns  -> interviewer"), "{stderr}");
}

#[test]
fn a_pdf_without_pdftotext_says_what_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(thema(d).args(["init", "study"]).output().unwrap().status.success());
    let pdf = pdf_fixture("fg1.pdf");
    let before = files(d);
    let output = thema(d)
        .args(["--study", "study", "import", pdf.to_str().unwrap()])
        .env("THEMA_PDFTOTEXT", d.join("no-such-program"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("reading a PDF needs poppler's `pdftotext`, which is not installed"), "{stderr}");
    assert!(stderr.contains("apt-get install poppler-utils"), "{stderr}");
    assert_eq!(files(d), before, "nothing was imported");
}

/// Opening a study takes the documents' metadata from a checked cache (`.thema/document-meta.tsv`,
/// issue 24): a link made by a command and a title edited by hand after the cache was written
/// are seen by the next command.
#[test]
fn metadata_changed_after_they_were_cached_are_seen() {
    let dir = imported();
    let d = dir.path();
    let listed = |d: &Path| -> Vec<(String, u64)> {
        let (code, stdout, stderr) = run(d, &["ls", "--json"]);
        assert_eq!(code, 0, "{stderr}");
        let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let rows = rows.as_array().unwrap().iter();
        rows.map(|r| (r["title"].as_str().unwrap().to_owned(), r["participants"].as_u64().unwrap())).collect()
    };
    // Left to settle, then listed: the cache is written.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(listed(d), [("group-a".to_owned(), 0), ("group-b".to_owned(), 0)]);
    assert!(d.join("study/.thema/document-meta.tsv").is_file());
    // Maria linked in both documents (one participant each), by a command.
    ok(d, &["link", "Maria", "p1", "--all"]);
    assert_eq!(listed(d), [("group-a".to_owned(), 1), ("group-b".to_owned(), 1)]);
    // A title edited by hand, the same length.
    let meta = d.join("study/documents/group-b/document.toml");
    let text = fs::read_to_string(&meta).unwrap();
    assert!(text.contains("title = \"group-b\""), "{text}");
    fs::write(&meta, text.replace("title = \"group-b\"", "title = \"Group B\"")).unwrap();
    assert_eq!(listed(d), [("group-a".to_owned(), 1), ("Group B".to_owned(), 1)]);
}

/// The counting commands take the documents' turns from a checked cache (`.thema/turns.bin`,
/// issue 24): a turn given to another speaker by hand after the cache was written is seen by the
/// next command. Sam's answer, coded by both coders and their consensus together with the
/// interviewer's question, is credited to Sam (p2); relabelled as Maria's, to Maria (p1).
#[test]
fn turns_changed_after_they_were_cached_are_seen() {
    let dir = coded();
    let d = dir.path();
    let credited = |d: &Path| -> Vec<Vec<String>> {
        let (code, stdout, stderr) = run(d, &["segments", "housing", "--json"]);
        assert_eq!(code, 0, "{stderr}");
        let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let rows = rows.as_array().unwrap().iter();
        rows.map(|r| r["participants"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect())
            .collect()
    };
    // Left to settle, then counted: the cache is written, and read by the next command.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(credited(d), [["p2"]]);
    assert!(d.join("study/.thema/turns.bin").is_file());
    assert_eq!(credited(d), [["p2"]]);
    // Sam's turn given to Maria by hand.
    let turns = d.join("study/documents/group-a/turns.csv");
    let text = fs::read_to_string(&turns).unwrap();
    assert_eq!(text.matches(",Sam,").count(), 1, "{text}");
    fs::write(&turns, text.replace(",Sam,", ",Maria,")).unwrap();
    assert_eq!(credited(d), [["p1"]]);
}
