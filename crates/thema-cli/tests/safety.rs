//! Nothing lost, ever: the faults of issue 19 and the closed pipes of issue 18, each on a study
//! with two coders and a consensus set, turns by several speakers and the interviewer inside a
//! coding (the example study, with codings added by a second coder).
//!
//! - a write command commits its change whatever happens to its output;
//! - `thema init` replaces no file and makes no study inside another;
//! - leftovers of interrupted writes are reported and removed, and kept out of git;
//! - a journal that does not parse blocks no `thema check`;
//! - FIFOs and devices are refused before they are read;
//! - a rerun of an import recognises what it imported;
//! - git merges the decision log.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod support;
use support::{copy_dir, study_files};

/// A fixed clock, so that two runs of one command write the same bytes.
const EPOCH: &str = "1767225600";

fn thema(dir: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("thema"));
    cmd.current_dir(dir)
        .env_remove("THEMA_STUDY")
        .env_remove("THEMA_CRASH_AFTER_RENAMES")
        .env("THEMA_CODER", "hp")
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("THEMA_LOCK_WAIT", "5");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    thema(dir).args(args).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> Output {
    let out = run(dir, args);
    assert!(out.status.success(), "thema {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The example study in `dir/study`, with a second coder (mk) who coded some of the same turns
/// as hp, and their consensus set `team`.
fn team_study(dir: &Path) -> PathBuf {
    ok(dir, &["demo", "--out", "study"]);
    let study = dir.join("study");
    // A focus-group passage of several turns: the moderator's question inside the coding.
    ok(&study, &["--coder", "mk", "code", "being a friend", "--span", "fg1:0..700"]);
    ok(&study, &["--coder", "mk", "code", "being honest", "--turn", "int1:T2"]);
    ok(&study, &["merge-coders", "hp", "mk", "--into", "team"]);
    study
}

/// A pipe whose reader is already closed: every write to it fails with `EPIPE`, as when
/// `thema ... | head -1` has read its line.
fn closed_pipe() -> Stdio {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    drop(reader);
    Stdio::from(writer)
}

#[test]
fn every_write_command_commits_with_its_output_closed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let study = team_study(d);
    let key = d.join("key.csv");
    fs::write(&key, "original,replacement,category\nSimon,Peter,person\n").unwrap();
    let transcript = d.join("extra.txt");
    fs::write(&transcript, "Interviewer: How did it start?\nAlex: With a phone call.\nSam: And a letter.\n").unwrap();
    let key = key.to_str().unwrap().to_owned();
    let transcript = transcript.to_str().unwrap().to_owned();
    // Every command that changes the study or writes a file, each from a fresh copy of the team
    // study; a sequence where a command needs the one before it (redo after undo).
    let sheet = d.join("fg1.md");
    let marked = text(&ok(&study, &["sheet", "fg1"]).stdout).replacen(
        "peer mentors",
        "[[being-a-friend]]peer mentors[[/being-a-friend]]",
        1,
    );
    fs::write(&sheet, marked).unwrap();
    // A codebook from elsewhere, with a code this study lacks.
    let qdc = d.join("codebook.qdc");
    let elsewhere = d.join("elsewhere");
    copy_dir(&study, &elsewhere);
    ok(&elsewhere, &["codebook", "add", "Keeping promises", "--kind", "code"]);
    ok(&elsewhere, &["export", "qdc", "--out", qdc.to_str().unwrap()]);
    let (sheet, qdc) = (sheet.to_str().unwrap().to_owned(), qdc.to_str().unwrap().to_owned());
    let runs: Vec<Vec<Vec<&str>>> = vec![
        vec![vec!["merge-coders", "hp", "mk", "--into", "both"]],
        vec![vec!["codebook", "add", "Keeping promises", "--kind", "code"]],
        vec![vec!["codebook", "rename", "being a friend", "being a pal"]],
        vec![vec!["codebook", "describe", "being a friend", "--definition", "Acting as a friend would"]],
        vec![vec!["codebook", "move", "being honest", "--to", "Offering hope"]],
        vec![vec!["codebook", "merge", "being honest", "--into", "being a friend"]],
        vec![vec!["codebook", "delete", "being honest", "--force"]],
        vec![vec!["relate", "Offering hope", "Bridging connections to services", "--as", "leads-to"]],
        vec![vec!["code", "being honest", "--turn", "int2:T2"]],
        vec![vec!["--coder", "mk", "uncode", "being honest", "--turn", "int1:T2"]],
        vec![vec!["--coder", "mk", "invivo", "int1", "--quote", "they don’t feel loved"]],
        vec![vec!["apply", &sheet]],
        vec![vec!["memo", "add", "Honesty", "A note on honesty"]],
        vec![vec!["search", "prison", "--autocode", "being honest", "--unit", "turn"]],
        vec![vec!["import", &transcript]],
        vec![vec!["link", "fg1", "Simon", "--interviewer"]],
        vec![vec!["import-codebook", &qdc]],
        vec![vec!["deidentify", "--key", &key]],
        vec![vec!["participants", "add", "P99", "--pseudonym", "Robin"]],
        vec![vec!["--coder", "mk", "exemplar", "being honest", "--turn", "int1:T2"]],
        vec![vec!["undo"]],
        vec![vec!["undo"], vec!["redo"]],
        vec![vec!["export", "themes", "--out", "themes.md"]],
        vec![vec!["export", "qdpx", "--out", "study.qdpx"]],
        vec![vec!["report", "--out", "report.html"]],
        vec![vec!["map", "--out", "map.svg"]],
    ];
    for run_ in runs {
        let closed = d.join("closed");
        let open = d.join("open");
        let _ = fs::remove_dir_all(&closed);
        let _ = fs::remove_dir_all(&open);
        copy_dir(&study, &closed);
        copy_dir(&study, &open);
        let mut before = study_files(&closed);
        for args in &run_ {
            // What the last command of the run must change.
            before = study_files(&closed);
            let reference = run(&open, args);
            assert!(reference.status.success(), "{args:?}: {}", text(&reference.stderr));
            let status = thema(&closed)
                .args(args)
                .stdin(Stdio::null())
                .stdout(closed_pipe())
                .stderr(closed_pipe())
                .status()
                .unwrap();
            assert!(status.success(), "{args:?} with its output closed: {status}");
        }
        let (with_closed, with_open) = (study_files(&closed), study_files(&open));
        assert_ne!(with_closed, before, "{run_:?}: the last changed nothing with its output closed");
        assert!(with_closed == with_open, "{run_:?} wrote something else with its output closed");
    }
}

#[test]
fn a_read_command_with_its_output_closed_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let study = team_study(dir.path());
    for args in [&["codebook", "--json"][..], &["segments", "being a friend"], &["ls"]] {
        let out = thema(&study).args(args).stdout(closed_pipe()).stderr(Stdio::piped()).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        // Only the note of whose codings were counted: no error about the closed pipe.
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("error") && !stderr.to_lowercase().contains("pipe"), "{args:?}: {stderr}");
    }
}

#[test]
fn init_replaces_no_file_and_makes_no_study_inside_another() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("mine")).unwrap();
    fs::write(d.join("mine/participants.csv"), "id,pseudonym\nP1,Ana\n").unwrap();
    fs::write(d.join("mine/.gitignore"), "secrets/\n").unwrap();
    let out = run(d, &["init", "mine"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("`.gitignore` and `participants.csv`"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
    assert_eq!(fs::read_to_string(d.join("mine/participants.csv")).unwrap(), "id,pseudonym\nP1,Ana\n");
    assert_eq!(fs::read_to_string(d.join("mine/.gitignore")).unwrap(), "secrets/\n");
    assert!(!d.join("mine/thema.toml").exists() && !d.join("mine/documents").exists());

    ok(d, &["init", "outer"]);
    let out = run(d, &["init", "outer/documents/inner"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is inside the study at"), "{}", text(&out.stderr));
    assert!(!d.join("outer/documents/inner").exists());
    // A sibling named from inside a study, through `..`, is not inside it.
    ok(&d.join("outer"), &["init", "../beside"]);
    assert!(d.join("beside/thema.toml").exists());
}

#[test]
fn leftovers_of_interrupted_writes_are_reported_removed_and_kept_out_of_git() {
    let dir = tempfile::tempdir().unwrap();
    let study = team_study(dir.path());
    // What a kill during a codings write leaves: a partial copy holding quotes.
    let partial = study.join("codings/.mk.jsonl.tmp-4242-0");
    fs::write(&partial, "{\"quote\": \"half a quo").unwrap();
    let out = run(&study, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("warning: codings/.mk.jsonl.tmp-4242-0: left over from an interrupted write"), "{stdout}");
    assert!(stdout.contains("`thema check --fix`"), "{stdout}");
    assert!(text(&out.stderr).contains("1 warning"), "{}", text(&out.stderr));
    assert!(partial.exists(), "a plain check changes nothing");

    let out = ok(&study, &["check", "--fix"]);
    assert!(text(&out.stderr).contains("removed `codings/.mk.jsonl.tmp-4242-0`"), "{}", text(&out.stderr));
    assert!(!partial.exists());
    assert!(text(&out.stderr).contains("0 warnings"), "{}", text(&out.stderr));

    // git does not see one.
    fs::write(&partial, "again").unwrap();
    let git = |args: &[&str]| Command::new("git").current_dir(&study).args(args).output().unwrap();
    assert!(git(&["init", "-q"]).status.success());
    let status = text(&git(&["status", "--porcelain", "--untracked-files=all"]).stdout);
    assert!(status.contains("codings/mk.jsonl") && !status.contains(".mk.jsonl.tmp-"), "{status}");
}

#[test]
fn a_journal_that_does_not_parse_blocks_no_check() {
    let dir = tempfile::tempdir().unwrap();
    let study = team_study(dir.path());
    fs::write(study.join(".thema/journal.json"), "{\"renames\": [[\"x\",\n garbage").unwrap();
    let out = run(&study, &["ls"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(".thema/journal.json`: line 2:"), "{stderr}");
    assert!(stderr.contains("thema check --discard-interrupted"), "{stderr}");

    let out = run(&study, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("error: .thema/journal.json:2: the journal of an interrupted change does not parse"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("error:").count(), 1, "the rest of the study is fine: {stdout}");

    let out = ok(&study, &["check", "--discard-interrupted"]);
    assert!(text(&out.stderr).contains("the study is consistent"), "{}", text(&out.stderr));
    assert!(!study.join(".thema/journal.json").exists());
    ok(&study, &["ls"]);
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_before_they_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let study = team_study(dir.path());
    let fifo = dir.path().join("interview.txt");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let before = study_files(&study);
    let started = std::time::Instant::now();
    let out = run(&study, &["import", fifo.to_str().unwrap(), "/dev/zero"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "the import blocked");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("interview.txt`: cannot read the file: a named pipe (FIFO), not a regular file"),
        "{stderr}"
    );
    assert!(stderr.contains("`/dev/zero`: cannot read the file: a device, not a regular file"), "{stderr}");
    assert!(stderr.contains("imported 0 of 2 files"), "{stderr}");
    assert_eq!(study_files(&study), before);
}

#[test]
fn importing_the_same_files_again_finds_them_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "study"]);
    let study = d.join("study");
    for (name, body) in [("a.txt", "Interviewer: Hello?\nAna: Hi.\n"), ("b.txt", "Interviewer: And you?\nBo: Fine.\n")]
    {
        fs::write(d.join(name), body).unwrap();
    }
    ok(&study, &["import", "../a.txt"]);
    let first = study_files(&study);
    // a.txt again, with b.txt: a is unchanged, b is new.
    let out = ok(&study, &["import", "../a.txt", "../b.txt"]);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("unchanged: `../a.txt` is already imported as `a`, from the same bytes"), "{stderr}");
    assert!(stderr.contains("imported 1 of 2 files (3 words), 1 already there"), "{stderr}");
    assert_ne!(study_files(&study), first);
    // A changed a.txt is refused as before, unless skipped on purpose.
    fs::write(d.join("a.txt"), "Interviewer: Hello again?\nAna: Hi.\n").unwrap();
    let out = run(&study, &["import", "../a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("document `a` already exists"), "{}", text(&out.stderr));
    let out = ok(&study, &["import", "--skip-existing", "../a.txt", "../b.txt"]);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("skipped: `../a.txt`: `a` exists (imported from other bytes)"), "{stderr}");
    assert!(stderr.contains("imported 0 of 2 files (0 words), 2 already there"), "{stderr}");
}

/// `git ARGS` in `study` as a fixed user, on a `main` branch: whether it succeeded, and what it
/// said.
fn git_in(study: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new("git")
        .current_dir(study)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "init.defaultBranch=main"])
        .args(args)
        .output()
        .unwrap();
    (out.status.success(), text(&out.stdout) + &text(&out.stderr))
}

#[test]
fn git_merges_the_decision_log_of_two_branches() {
    let dir = tempfile::tempdir().unwrap();
    let study = team_study(dir.path());
    let git = |args: &[&str]| git_in(&study, args);
    // Studies made before `.gitattributes` was shipped get it from a new `init`; the demo has it.
    assert!(study.join(".gitattributes").exists());
    assert!(git(&["init", "-q"]).0);
    assert!(git(&["add", "-A"]).0);
    assert!(git(&["commit", "-qm", "start"]).0);
    let decisions = fs::read_to_string(study.join("decisions.jsonl")).unwrap().lines().count();
    assert!(git(&["checkout", "-qb", "other"]).0);
    ok(&study, &["codebook", "add", "Zeal", "--kind", "code"]);
    assert!(git(&["commit", "-qam", "zeal"]).0);
    assert!(git(&["checkout", "-q", "main"]).0);
    ok(&study, &["--coder", "mk", "memo", "add", "A memo", "Read again after the merge."]);
    ok(&study, &["codebook", "add", "Awe", "--kind", "code"]);
    assert!(git(&["add", "-A"]).0);
    assert!(git(&["commit", "-qm", "awe"]).0);
    let (merged, said) = git(&["merge", "-q", "other", "-m", "merge"]);
    let (_, conflicted) = git(&["diff", "--name-only", "--diff-filter=U"]);
    assert!(!conflicted.contains("decisions.jsonl"), "{said}\n{conflicted}");
    assert!(merged, "{said}");
    let log = fs::read_to_string(study.join("decisions.jsonl")).unwrap();
    assert_eq!(log.lines().count(), decisions + 2, "{log}");
    assert!(log.contains("Zeal") && log.contains("Awe"), "{log}");
    ok(&study, &["check"]);
}

#[test]
fn control_characters_in_a_file_name_reach_neither_the_title_nor_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "study"]);
    let name = "ev\u{1b}[31mil\nname.txt";
    fs::write(d.join(name), "Interviewer: Hello?\nAna: Hi.\n").unwrap();
    let out = ok(&d.join("study"), &["import", &format!("../{name}")]);
    let stderr = text(&out.stderr);
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(stderr.contains("imported ../ev\\u{1b}[31mil\\nname.txt as `ev-31mil-name`"), "{stderr}");
    let meta = fs::read_to_string(d.join("study/documents/ev-31mil-name/document.toml")).unwrap();
    assert!(meta.contains("title = \"ev [31mil name\""), "{meta}");
    assert!(meta.contains("file = \"ev [31mil name.txt\""), "{meta}");
    let listing = text(&ok(&d.join("study"), &["ls"]).stdout);
    assert!(!listing.contains('\u{1b}') && listing.contains("ev [31mil name"), "{listing}");
}

#[test]
fn a_coding_copied_by_a_union_merge_of_codings_is_reported_and_removed_and_no_memo_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let study = team_study(dir.path());
    fs::write(dir.path().join("int9.txt"), "Interviewer: One?\nAna: Two.\nInterviewer: Three?\nAna: Four.\n").unwrap();
    ok(&study, &["import", "../int9.txt", "--id", "int9"]);
    // A team that merges codings files with git's `union` driver too, against the advice of
    // docs/data-protection.md.
    let attributes = fs::read_to_string(study.join(".gitattributes")).unwrap();
    fs::write(study.join(".gitattributes"), attributes + "codings/*.jsonl merge=union\n").unwrap();
    let git = |args: &[&str]| {
        let (done, said) = git_in(&study, args);
        assert!(done, "git {args:?}: {said}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "start"]);
    // Both branches code Ana's `Two.` (the same coding, to the byte: the clock is fixed) and
    // `Four.`, each with its own memo; main also codes the first question.
    git(&["checkout", "-qb", "other"]);
    ok(&study, &["code", "being honest", "--turn", "int9:T2"]);
    ok(&study, &["code", "being honest", "--turn", "int9:T4", "--memo", "from other"]);
    git(&["commit", "-qam", "other"]);
    git(&["checkout", "-q", "main"]);
    ok(&study, &["code", "being honest", "--turn", "int9:T1"]);
    ok(&study, &["code", "being honest", "--turn", "int9:T2"]);
    ok(&study, &["code", "being honest", "--turn", "int9:T4", "--memo", "from main"]);
    git(&["commit", "-qam", "main"]);
    git(&["merge", "-q", "other", "-m", "merge"]);
    let codings = fs::read_to_string(study.join("codings/hp.jsonl")).unwrap();
    let lines: Vec<&str> = codings.lines().collect();
    // The union kept main's three lines, then other's two: T1, T2, T4 (main), T2, T4 (other).
    let first = lines.iter().position(|l| l.contains("\"document\":\"int9\"")).unwrap();
    let int9: Vec<&str> = lines[first..].iter().copied().filter(|l| l.contains("\"int9\"")).collect();
    assert_eq!(int9.len(), 5, "{codings}");
    assert_eq!(int9[1], int9[3], "the same coding on two lines: {codings}");
    let (original, copy) = (first + 2, first + 4);

    let out = run(&study, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(
        report.contains(&format!(
            "error: codings/hp.jsonl:{copy}: `being-honest` in `int9` at 23..27 is an exact copy of the coding of line {original}"
        )),
        "{report}"
    );
    // The two memos of `Four.` are one passage counted twice: a warning, as before.
    assert!(
        report.contains(&format!("warning: codings/hp.jsonl:{}: `being-honest` in `int9` at", copy + 1)),
        "{report}"
    );

    let out = ok(&study, &["check", "--fix"]);
    let said = text(&out.stderr);
    assert!(
        said.contains(&format!(
            "removed 1 coding of `hp` that copied another exactly (line {copy} of `codings/hp.jsonl`)"
        )),
        "{said}"
    );
    // Writing the file without the copy kept the passage coded twice (`Four.`) once, with both
    // memos: nothing was left for the join.
    assert!(said.contains("joined 0 codings into the codings they overlapped or touched"), "{said}");
    assert!(said.contains("the study is consistent: 0 errors"), "{said}");
    let log = fs::read_to_string(study.join("decisions.jsonl")).unwrap();
    assert!(log.contains("\"action\":\"remove-copied-codings\""), "{log}");
    let codings = fs::read_to_string(study.join("codings/hp.jsonl")).unwrap();
    let int9: Vec<&str> = codings.lines().filter(|l| l.contains("\"int9\"")).collect();
    assert_eq!(int9.len(), 3, "{codings}");
    assert!(int9[2].contains("\"memo\":\"from main\\nfrom other\""), "both memos kept: {}", int9[2]);
}
