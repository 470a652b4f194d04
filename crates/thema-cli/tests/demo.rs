//! `thema demo` builds the example study from a clean folder, passes `thema check`, gives the
//! same bytes every time, and replaces only an earlier demo.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn demo(out: &Path) -> std::process::Output {
    Command::cargo_bin("thema").unwrap().env_remove("THEMA_STUDY").args(["demo", "--out"]).arg(out).output().unwrap()
}

/// Every study file under `dir` except derived data, with its bytes.
fn study_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            if name.starts_with(".thema") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((name, fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn demo_builds_a_consistent_study_reproducibly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let first = demo(&out);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{stderr}");
    assert!(stderr.contains("the study is consistent: 0 errors"), "{stderr}");
    let stdout = String::from_utf8_lossy(&first.stdout);
    // Two focus groups and five interviews, as in Palis et al. 2024.
    for id in ["fg1", "fg2", "int1", "int2", "int3", "int4", "int5"] {
        assert!(stdout.lines().any(|l| l.starts_with(&format!("{id} "))), "{id} missing from `thema ls`:\n{stdout}");
    }
    let study = thema_core::Study::open(&out).unwrap();
    let focus_groups = study.documents().iter().filter(|d| d.kind == "focus-group").count();
    let interviews = study.documents().iter().filter(|d| d.kind == "interview").count();
    assert_eq!((focus_groups, interviews), (2, 5));
    // Every speaker is linked: participants, or the facilitator / interviewer.
    for meta in study.documents() {
        for speaker in &meta.speakers {
            assert!(speaker.participant.is_some() || speaker.interviewer, "{}: `{}` unlinked", meta.id, speaker.label);
        }
        assert!(meta.speakers.iter().any(|s| s.interviewer), "{}: no interviewer", meta.id);
    }
    // At least one person speaks in two documents (in the study, two people took part twice).
    let mut sessions: std::collections::BTreeMap<&str, usize> = Default::default();
    for meta in study.documents() {
        for s in meta.speakers.iter().filter_map(|s| s.participant.as_deref()) {
            *sessions.entry(s).or_default() += 1;
        }
    }
    assert!(sessions.values().any(|&n| n >= 2), "{sessions:?}");
    // The paper's six themes with their roles, the foundation and outcome relations, and an
    // in-vivo code for each of the 16 placed quotes.
    let codebook = study.load_codebook().unwrap();
    let mut themes: Vec<(String, String)> = codebook
        .entries
        .iter()
        .filter(|e| e.kind == thema_core::EntryKind::Theme)
        .map(|e| (e.name.clone(), e.role.clone().unwrap_or_default()))
        .collect();
    themes.sort();
    assert_eq!(
        themes,
        [
            ("Bridging connections to services".into(), "outcome".into()),
            ("Building respectful relationships".into(), "central".into()),
            ("Meeting people where they are at".into(), "central".into()),
            ("Offering hope".into(), "central".into()),
            ("Providing consistent support".into(), "central".into()),
            ("Relying on shared experience".into(), "foundation".into()),
        ]
    );
    assert_eq!(codebook.entries.iter().filter(|e| e.kind == thema_core::EntryKind::SubTheme).count(), 13);
    assert_eq!(codebook.entries.iter().filter(|e| e.in_vivo).count(), 16);
    assert_eq!(codebook.relations.iter().filter(|r| r.label == "foundation-of").count(), 4);
    assert_eq!(codebook.relations.iter().filter(|r| r.label == "leads-to").count(), 4);
    // The 16 in-vivo codings, and the 16 quoted turns coded whole and marked as exemplars.
    let codings = study.load_codings().unwrap();
    assert_eq!(codings.len(), 32);
    assert_eq!(codings.iter().filter(|c| c.exemplar).count(), 16);
    assert!(stdout.contains("-Mo, UTGSS Executive Director"), "segments are attributed as papers print them");
    // The same bytes a second time; the earlier demo is replaced.
    let before = study_files(&out);
    let second = demo(&out);
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    assert_eq!(study_files(&out), before);
}

#[test]
fn demo_refuses_to_overwrite_other_folders() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("thesis.docx"), "precious").unwrap();
    let output = demo(dir.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("exists and was not made by `thema demo`"), "{stderr}");
    assert_eq!(fs::read_to_string(dir.path().join("thesis.docx")).unwrap(), "precious");
}
