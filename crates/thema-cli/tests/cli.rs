//! End-to-end tests of the `thema` binary on temporary studies. Each test reads as: set up
//! files, run commands, compare exit code, stdout and stderr with a snapshot a person can check.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A temporary folder to run `thema` in.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().unwrap() }
    }

    /// A sandbox with an initialised study in `study/`.
    fn with_study() -> Sandbox {
        let sandbox = Sandbox::new();
        sandbox.run(&["init", "study", "--name", "Test study"]);
        sandbox
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
        path
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("thema").unwrap();
        cmd.current_dir(self.dir.path()).env_remove("THEMA_STUDY").env("NO_COLOR", "1").env("COLUMNS", "80").args(args);
        cmd
    }

    /// Run and render exit code, stdout and stderr, with the temporary path replaced by `[TMP]`.
    fn run(&self, args: &[&str]) -> String {
        let output = self.command(args).output().unwrap();
        let tmp = self.dir.path().to_string_lossy().into_owned();
        let canonical = fs::canonicalize(self.dir.path()).unwrap().to_string_lossy().into_owned();
        let clean = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&canonical, "[TMP]").replace(&tmp, "[TMP]");
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            output.status.code().unwrap_or(-1),
            clean(&output.stdout),
            clean(&output.stderr)
        )
    }

    /// Run in the study and return stdout, asserting success.
    fn stdout(&self, args: &[&str]) -> String {
        let output = self.command(&[&["--study", "study"], args].concat()).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    fn in_study(&self, args: &[&str]) -> String {
        self.run(&[&["--study", "study"], args].concat())
    }
}

const FOCUS_GROUP: &str = "Focus group 1 (transcribed 2021-03-04)\n\nFacilitator: What keeps you coming back to this work?\n\nSimon: Seeing people get out of the revolving door.\nIt gives me hope.\n\nKent: Same for me.\n\nYelena: Shared experience makes this all possible.\n\nFacilitator: Thank you.\n";

const PARTICIPANTS: &str =
    "id,pseudonym,role\nsimon,Simon,Peer Mentor\nkent,Kent,Peer Mentor\nyelena,Yelena,Peer Mentor\n";

#[test]
fn init_creates_a_readable_study() {
    let s = Sandbox::new();
    insta::assert_snapshot!(s.run(&["init", "my-study"]));
    let mut names: Vec<String> = walk(&s.path("my-study"));
    names.sort();
    assert_eq!(
        names,
        [
            ".gitattributes",
            ".gitignore",
            "codebook.toml",
            "codings/.gitkeep",
            "documents/.gitkeep",
            "memos/.gitkeep",
            "participants.csv",
            "thema.toml"
        ]
    );
    assert_eq!(fs::read_to_string(s.path("my-study/thema.toml")).unwrap(), "format = 1\nname = \"my-study\"\n");
    assert_eq!(fs::read_to_string(s.path("my-study/participants.csv")).unwrap(), "id,pseudonym,role\n");
    assert!(fs::read_to_string(s.path("my-study/.gitignore")).unwrap().contains(".thema/"));
    insta::assert_snapshot!("init_twice", s.run(&["init", "my-study"]));
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.strip_prefix(dir).unwrap().display().to_string();
        if path.is_dir() {
            out.extend(walk(&path).into_iter().map(|n| format!("{name}/{n}")));
        } else {
            out.push(name);
        }
    }
    out
}

#[test]
fn import_links_speakers_and_reports_unattributed_lines() {
    let s = Sandbox::with_study();
    fs::write(s.path("study/participants.csv"), PARTICIPANTS).unwrap();
    let file = s.write("fg1.txt", FOCUS_GROUP);
    insta::assert_snapshot!(s.in_study(&["import", file.to_str().unwrap(), "--date", "2021-03-04", "--wave", "1"]));
    insta::assert_snapshot!("ls_after_import", s.in_study(&["ls"]));
    insta::assert_snapshot!("show_turns_2_to_3", s.in_study(&["show", "fg1", "--turns", "2..3", "--width", "40"]));
    insta::assert_snapshot!("speakers_after_import", s.in_study(&["speakers"]));
    let meta = fs::read_to_string(s.path("study/documents/fg1/document.toml")).unwrap();
    assert!(meta.contains("date = \"2021-03-04\"\nwave = 1\n"), "{meta}");
    let json: serde_json::Value = serde_json::from_str(&s.stdout(&["show", "fg1", "--turns", "3", "--json"])).unwrap();
    assert_eq!(json[0]["id"], "fg1:T3");
    assert_eq!(json[0]["participant"], "simon");
    assert_eq!(json[0]["text"], "Seeing people get out of the revolving door.\nIt gives me hope.");
}

#[test]
fn link_speakers_by_hand() {
    let s = Sandbox::with_study();
    let file = s.write("int1.txt", "I: How did you start?\n\nR: A friend asked me.\n\nI: And then?\n\nR: I stayed.\n");
    s.in_study(&["import", file.to_str().unwrap()]);
    insta::assert_snapshot!("unlinked", s.in_study(&["speakers", "--unlinked"]));
    insta::assert_snapshot!("link_missing_participant", s.in_study(&["link", "int1", "R", "pam"]));
    s.in_study(&["participants", "add", "pam", "--pseudonym", "Pam", "--role", "UTGSS Program Manager"]);
    insta::assert_snapshot!("link_ok", s.in_study(&["link", "int1", "R", "pam"]));
    insta::assert_snapshot!("link_unknown_label", s.in_study(&["link", "int1", "Pam", "pam"]));
    insta::assert_snapshot!("participants_list", s.in_study(&["participants", "list"]));
    assert!(s.in_study(&["check"]).starts_with("exit: 0"));
}

#[test]
fn one_participant_in_two_documents() {
    let s = Sandbox::with_study();
    fs::write(s.path("study/participants.csv"), PARTICIPANTS).unwrap();
    let fg = s.write("fg1.txt", FOCUS_GROUP);
    let int = s.write("int2.txt", "Interviewer: Tell me more.\n\nSimon: The door keeps revolving.\n");
    s.in_study(&["import", fg.to_str().unwrap(), int.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&s.stdout(&["participants", "list", "--json"])).unwrap();
    let simon = json.as_array().unwrap().iter().find(|p| p["id"] == "simon").unwrap();
    assert_eq!(simon["documents"], serde_json::json!(["fg1", "int2"]));
}

#[test]
fn bad_files_are_reported_and_the_rest_imported() {
    let s = Sandbox::with_study();
    let good = s.write("good.txt", "Interviewer: Hello?\n\nParticipant: Hi.\n");
    let latin1 = s.write("latin1.txt", b"Interviewer: Caf\xe9?\nParticipant: Tr\xe8s bien.\n");
    let empty = s.write("empty.txt", "");
    let fake = s.write("fake.docx", "Interviewer: this is not a Word file\n");
    let missing = s.path("missing.txt");
    insta::assert_snapshot!(s.in_study(&[
        "import",
        good.to_str().unwrap(),
        latin1.to_str().unwrap(),
        empty.to_str().unwrap(),
        fake.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]));
    // The good file is in; nothing of the bad ones is.
    assert_eq!(walk(&s.path("study/documents")).iter().filter(|n| n.ends_with("document.toml")).count(), 1);
    insta::assert_snapshot!(
        "latin1_with_encoding",
        s.in_study(&["import", latin1.to_str().unwrap(), "--encoding", "windows-1252"])
    );
    // The same bytes again: already there, nothing to do.
    insta::assert_snapshot!("same_file_again", s.in_study(&["import", good.to_str().unwrap()]));
    // Other bytes under a taken id: refused.
    fs::create_dir_all(s.path("later")).unwrap();
    let changed = s.write("later/good.txt", "Interviewer: Hello again?\n\nParticipant: Hi.\n");
    insta::assert_snapshot!("duplicate_id", s.in_study(&["import", changed.to_str().unwrap()]));
    assert!(s.in_study(&["import", good.to_str().unwrap(), "--replace"]).starts_with("exit: 0"));
    insta::assert_snapshot!("unknown_format", s.in_study(&["import", good.to_str().unwrap(), "--format", "rtf"]));
}

#[test]
fn no_speaker_labels_is_a_warning() {
    let s = Sandbox::with_study();
    let file = s.write("notes.txt", "We met at the drop-in centre.\nIt was busy.\n\nTwo people came in late.\n");
    insta::assert_snapshot!(s.in_study(&["import", file.to_str().unwrap(), "--kind", "fieldnotes"]));
}

#[test]
fn outside_a_study() {
    let s = Sandbox::new();
    insta::assert_snapshot!(s.run(&["ls"]));
}

#[test]
fn broken_participants_table_names_file_and_line() {
    let s = Sandbox::with_study();
    fs::write(s.path("study/participants.csv"), "id,pseudonym\nsimon,Simon\n").unwrap();
    insta::assert_snapshot!(s.in_study(&["ls"]));
    insta::assert_snapshot!("check_missing_column", s.in_study(&["check"]));
}

#[test]
fn check_reports_damage_with_exit_code_1() {
    let s = Sandbox::with_study();
    fs::write(s.path("study/participants.csv"), PARTICIPANTS).unwrap();
    let file = s.write("fg1.txt", FOCUS_GROUP);
    s.in_study(&["import", file.to_str().unwrap()]);
    assert!(s.in_study(&["check"]).starts_with("exit: 0"));
    fs::write(s.path("study/documents/fg1/text.txt"), "Facilitator: edited by hand\n").unwrap();
    insta::assert_snapshot!(s.in_study(&["check"]));
    let output = s.command(&["--study", "study", "check", "--json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json[0]["file"], "documents/fg1/turns.csv");
    assert_eq!(json[0]["line"], 2);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let s = Sandbox::with_study();
    let long: String =
        (0..5000).map(|i| format!("Interviewer: Question {i}?\n\nParticipant: Answer {i}.\n\n")).collect();
    let file = s.write("long.txt", long);
    s.in_study(&["import", file.to_str().unwrap()]);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("thema"))
        .current_dir(s.path(""))
        .args(["--study", "study", "show", "long"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.starts_with("long — long"), "{first}");
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{:?}", output);
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn survey_answers_make_respondents_with_typed_attributes() {
    let s = Sandbox::with_study();
    let csv = "Case,Age,Gender,Q1,Q2\nR4,24,f,More time to study,Family\nR5,,m,Work got in the way,Money\nR6,67,m,Retired now,\n";
    let file = s.write("survey.csv", csv);
    insta::assert_snapshot!(s.in_study(&["import", file.to_str().unwrap(), "--text-column", "Q1", "--id", "q1"]));
    assert_eq!(
        fs::read_to_string(s.path("study/participants.csv")).unwrap(),
        "id,pseudonym,role,Age,Gender,Q2\nR4,R4,Respondent,24,f,Family\nR5,R5,Respondent,,m,Money\nR6,R6,Respondent,67,m,\n"
    );
    let settings = fs::read_to_string(s.path("study/thema.toml")).unwrap();
    assert!(
        settings.contains("[participant_attributes]\nAge = \"number\"\nGender = \"category\"\nQ2 = \"text\"\n"),
        "{settings}"
    );
    // The second question of the same survey links to the same people.
    let out = s.in_study(&["import", file.to_str().unwrap(), "--text-column", "Q2", "--id", "q2"]);
    assert!(out.contains("2 turns, 2 speakers") && !out.contains("added participants"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&s.stdout(&["participants", "list", "--json"])).unwrap();
    assert_eq!(json[0]["documents"], serde_json::json!(["q1", "q2"]));
    assert!(s.in_study(&["check"]).starts_with("exit: 0"));
}
