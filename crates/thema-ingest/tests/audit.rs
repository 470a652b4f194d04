//! The leak audit over a folder: what it finds where, what it leaves out, what it cannot read.

use std::fs;

use thema_ingest::audit::scan;
use thema_ingest::deidentify::{Deidentifier, Key};

#[test]
fn names_and_direct_identifiers_are_found_with_their_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("memos")).unwrap();
    fs::create_dir_all(root.join(".thema")).unwrap();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::write(root.join("memos/m-0001.md"), "# Contact\n\nReach Simon at simon@example.org\n").unwrap();
    fs::write(root.join("names.csv"), "original,replacement\nSimon,Sam\n").unwrap();
    // Derived data and git's own files are not the study's.
    fs::write(root.join(".thema/cache"), "Simon").unwrap();
    fs::write(root.join(".git/COMMIT_EDITMSG"), "Simon").unwrap();
    fs::write(root.join("broken.xlsx"), b"PK\x03\x04 cut short").unwrap();
    let key = Key::parse("original,replacement,category\nSimon,Sam,person\n").unwrap();
    let found = scan(root, &[], &Deidentifier::new(&key, true), None);
    let rows: Vec<(&str, usize, &str, &str)> =
        found.findings.iter().map(|f| (f.file.as_str(), f.line, f.category, f.text.as_str())).collect();
    assert_eq!(
        rows,
        [
            ("memos/m-0001.md", 3, "person", "Simon"),
            ("memos/m-0001.md", 3, "email", "simon@example.org"),
            ("names.csv", 1, "key", "a de-identification key (columns original and replacement)"),
            ("names.csv", 2, "person", "Simon"),
        ]
    );
    assert_eq!(found.files_read, 2);
    assert_eq!(found.unread.len(), 1);
    assert!(found.unread[0].starts_with("broken.xlsx: a damaged zip: "), "{:?}", found.unread);
}
