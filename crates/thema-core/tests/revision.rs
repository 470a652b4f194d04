//! Earlier versions of the codebook: a file, or `codebook.toml` at a git revision, through the
//! one codebook parser.

use std::process::Command;

use thema_core::codebook::{CodebookEntry, EntryKind};
use thema_core::revision::{codebook_at, RevisionError};
use thema_core::Study;

fn code(id: &str, name: &str) -> CodebookEntry {
    CodebookEntry { id: id.into(), name: name.into(), kind: EntryKind::Code, ..CodebookEntry::default() }
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_file_and_a_git_revision_are_read_and_errors_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    // The study in a folder of a repository, so that the revision's path has a prefix.
    let root = dir.path().join("studies/peer");
    let study = Study::init(&root, "Peer work").unwrap();
    let mut codebook = study.load_codebook().unwrap();
    codebook.add(code("hope", "Hope")).unwrap();
    study.save_codebook(&codebook).unwrap();
    // Not in git yet: a revision cannot be read.
    let error = codebook_at(&study, "HEAD").unwrap_err();
    assert_eq!(error.to_string(), "`HEAD` is not a file, and the study is not in a git repository");
    assert_eq!(error.hint().as_deref(), Some("give two codebook files, or keep the study in git"));
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "one code"]);
    codebook.add(code("trust", "Trust")).unwrap();
    study.save_codebook(&codebook).unwrap();
    let then = codebook_at(&study, "HEAD").unwrap();
    assert_eq!(then.entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["Hope"]);
    let error = codebook_at(&study, "HEAD~1").unwrap_err();
    assert!(
        matches!(&error, RevisionError::NoRevision { spec, .. } if spec == "HEAD~1:studies/peer/codebook.toml"),
        "{error}"
    );
    // A file, and a file that does not parse.
    let now = codebook_at(&study, &root.join("codebook.toml").display().to_string()).unwrap();
    assert_eq!(now.entries.len(), 2);
    let bad = dir.path().join("old.toml");
    std::fs::write(&bad, "[[entries]]\nid = \"x\"\n").unwrap();
    let error = codebook_at(&study, &bad.display().to_string()).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "the codebook at `{}` does not parse: unknown field `entries`, expected `entry` or `relation`",
            bad.display()
        )
    );
}
