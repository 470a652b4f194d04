//! `thema check` on a study broken in the ways its order of problems could hide: codings files
//! out of document order, two coders and a consensus set, a text edited so its turns no longer
//! fit, codings pointing into a document that failed to load. Every expected problem is written
//! out by hand from the fixture below (positions counted in the texts' comments).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use thema_core::check::{check_study, Problem, Severity};
use thema_core::codebook::EntryKind;
use thema_core::{CodebookEntry, Document, DocumentMeta, Participant, Span, Speaker, Study, Turn};

// 0         1         2         3         4
// 01234567890123456789012345678901234567890
// I: Why here?⏎Mo: For hope.⏎Jo: For work.⏎
const A: &str = "I: Why here?\nMo: For hope.\nJo: For work.\n";
// 0         1
// 0123456789012345678
// I: Ready?⏎Mo: Yes.⏎
const B: &str = "I: Ready?\nMo: Yes.\n";
// I: Go on.⏎Mo: Fine.⏎ (20 code points), later edited by hand to "I: Hm.⏎" (7).
const D: &str = "I: Go on.\nMo: Fine.\n";

fn turn(number: u32, speaker: &str, start: usize, end: usize) -> Turn {
    Turn { number, speaker: Some(speaker.into()), span: Span { start, end }, time_start: None, time_end: None }
}

fn speaker(label: &str, participant: Option<&str>) -> Speaker {
    Speaker {
        label: label.into(),
        participant: participant.map(str::to_owned),
        interviewer: participant.is_none() && label == "I",
    }
}

fn document(id: &str, sequence: u32, text: &str, turns: Vec<Turn>, jo: bool) -> Document {
    let mut meta = DocumentMeta::new(id, "interview");
    meta.sequence = sequence;
    meta.speakers = vec![speaker("I", None), speaker("Mo", Some("mo"))];
    if jo {
        meta.speakers.push(speaker("Jo", None));
    }
    Document { meta, text: text.into(), turns }
}

/// A codings line, as a coder's file holds it.
fn line(document: &str, start: usize, end: usize, quote: &str, code: &str, coder: &str) -> String {
    format!(
        "{{\"document\":\"{document}\",\"start\":{start},\"end\":{end},\"quote\":{},\"code\":\"{code}\",\"coder\":\"{coder}\",\"time\":\"2026-01-01T00:00:00Z\"}}",
        serde_json::to_string(quote).unwrap()
    )
}

/// Documents `a` (Jo's turn spoken by nobody linked), `b`, `c` (its text not UTF-8, so it does
/// not load) and `d` (its text edited after import; it shares `b`'s sequence number), a codebook
/// of `hope` and `work`.
fn study(root: &Path) {
    let mut study = Study::init(root, "Check").unwrap();
    study
        .participants
        .add(Participant { id: "mo".into(), pseudonym: "Mo".into(), role: "peer".into(), attributes: BTreeMap::new() })
        .unwrap();
    study.save_participants().unwrap();
    study
        .add_document(&document(
            "a",
            1,
            A,
            vec![turn(1, "I", 3, 12), turn(2, "Mo", 17, 26), turn(3, "Jo", 31, 40)],
            true,
        ))
        .unwrap();
    study.add_document(&document("b", 2, B, vec![turn(1, "I", 3, 9), turn(2, "Mo", 14, 18)], false)).unwrap();
    study.add_document(&document("c", 3, B, vec![turn(1, "I", 3, 9), turn(2, "Mo", 14, 18)], false)).unwrap();
    study.add_document(&document("d", 4, D, vec![turn(1, "I", 3, 9), turn(2, "Mo", 14, 19)], false)).unwrap();
    let mut codebook = study.load_codebook().unwrap();
    for id in ["hope", "work"] {
        codebook
            .add(CodebookEntry { id: id.into(), name: id.into(), kind: EntryKind::Code, ..Default::default() })
            .unwrap();
    }
    study.save_codebook(&codebook).unwrap();
    fs::write(root.join("documents/c/text.txt"), b"I: caf\xe9?\n").unwrap();
    fs::write(root.join("documents/d/text.txt"), "I: Hm.\n").unwrap();
    let meta = root.join("documents/d/document.toml");
    fs::write(&meta, fs::read_to_string(&meta).unwrap().replace("sequence = 4", "sequence = 2")).unwrap();
}

fn problem(
    severity: Severity,
    file: &str,
    line: Option<usize>,
    message: &str,
) -> (Severity, String, Option<usize>, String) {
    (severity, file.to_owned(), line, message.to_owned())
}

fn summary(problems: &[Problem]) -> Vec<(Severity, String, Option<usize>, String)> {
    problems.iter().map(|p| (p.severity, p.file.clone(), p.line, p.message.clone())).collect()
}

const UNLINKED_JO: &str = "words of speaker `Jo`, who is linked to no participant: no participant is credited with \
                           those words, and quotes name them “Unidentified speaker”";

#[test]
fn check_keeps_the_order_of_problems_with_unsorted_codings_two_coders_and_a_consensus_set() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    study(root);
    let hp = [
        line("b", 14, 18, "Yes.", "hope", "hp"),
        // `a` after `b`: the file is out of document order.
        line("a", 17, 26, "For hope.", "hope", "hp"),
        line("a", 31, 40, "For work.", "work", "hp"),
        line("c", 3, 9, "Ready?", "hope", "hp"),
        // Back to `b`.
        line("b", 3, 9, "Ready?", "hope", "hp"),
        line("d", 3, 9, "Go on.", "hope", "hp"),
        // A copy of line 2.
        line("a", 17, 26, "For hope.", "hope", "hp"),
        line("a", 20, 30, " hope.\nJo:", "hope", "hp"),
        line("b", 9, 14, "\nMo: ", "hope", "hp"),
        String::new(),
        "{\"document\":\"a\"}".to_owned(),
        line("b", 14, 18, "Yes.", "hope", "hp").replace('}', ",\"unplaced\":true}"),
    ];
    let mk = [
        line("a", 17, 26, "For hope.", "hope", "mk"),
        line("a", 27, 40, "Jo: For work.", "work", "mk"),
        line("d", 3, 5, "Go", "gone", "mk"),
    ];
    let team = [
        line("a", 17, 26, "For hope.", "hope", "team"),
        line("a", 31, 40, "For work.", "work", "team"),
        line("a", 35, 40, "work.", "hope", "team"),
        line("e", 0, 2, "I:", "hope", "team"),
    ];
    for (coder, lines) in [("hp", &hp[..]), ("mk", &mk[..]), ("team", &team[..])] {
        fs::write(root.join(format!("codings/{coder}.jsonl")), lines.join("\n") + "\n").unwrap();
    }
    use Severity::{Error, Warning};
    assert_eq!(
        summary(&check_study(root)),
        [
            problem(Warning, "documents/a/speakers.csv", Some(4), "speaker `Jo` is not linked to a participant"),
            problem(Error, "documents/c/text.txt", Some(1), "not valid UTF-8"),
            // The sequence check (which needs the documents before) comes before the turns'.
            problem(Warning, "documents/d/document.toml", None, "sequence 2 is also used by `b`"),
            problem(
                Error,
                "documents/d/turns.csv",
                Some(2),
                "turn 1: span 3..9 ends after the text, which has 7 code points (and 1 more turn)"
            ),
            problem(Error, "codings/hp.jsonl", Some(4), "document `c` does not exist"),
            problem(Error, "codings/hp.jsonl", Some(6), "span 3..9 ends after the text, which has 7 code points"),
            problem(Error, "codings/hp.jsonl", Some(11), "missing field `start` at line 1 column 16"),
            problem(
                Warning,
                "codings/hp.jsonl",
                Some(12),
                "`hope` on “Yes.” in `b` lost its place when the transcript was corrected"
            ),
            problem(Warning, "codings/hp.jsonl", Some(3), &format!("1 coding in `a` includes {UNLINKED_JO}")),
            problem(
                Error,
                "codings/hp.jsonl",
                Some(7),
                "`hope` in `a` at 17..26 is an exact copy of the coding of line 2 (a git merge can leave one coding \
                 on two lines): analyses would count it twice"
            ),
            // Joined codings in document, code and span order, not line order.
            problem(
                Warning,
                "codings/hp.jsonl",
                Some(8),
                "`hope` in `a` at 20..30 overlaps the coding of line 2 (17..26) by the same coder: one passage \
                 counted twice"
            ),
            problem(
                Warning,
                "codings/hp.jsonl",
                Some(9),
                "`hope` in `b` at 9..14 touches the coding of line 5 (3..9) by the same coder: one passage counted \
                 twice"
            ),
            problem(
                Warning,
                "codings/hp.jsonl",
                Some(1),
                "`hope` in `b` at 14..18 touches the coding of line 9 (9..14) by the same coder: one passage counted \
                 twice"
            ),
            // The code first, then the quote, on one line.
            problem(Error, "codings/mk.jsonl", Some(3), "code `gone` is not in the codebook"),
            problem(Error, "codings/mk.jsonl", Some(3), "the quote no longer matches the text of `d` at 3..5"),
            problem(Warning, "codings/mk.jsonl", Some(2), &format!("1 coding in `a` includes {UNLINKED_JO}")),
            problem(Error, "codings/team.jsonl", Some(4), "document `e` does not exist"),
            problem(Warning, "codings/team.jsonl", Some(2), &format!("2 codings in `a` include {UNLINKED_JO}")),
        ]
    );
}

#[test]
fn check_reports_a_coding_that_ends_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    study(root);
    // 26..17 in `a`: slicing the text there used to panic.
    let lines = [line("a", 17, 26, "For hope.", "hope", "hp"), line("a", 26, 17, "For hope.", "hope", "hp")];
    fs::write(root.join("codings/hp.jsonl"), lines.join("\n") + "\n").unwrap();
    let problems = check_study(root);
    assert_eq!(
        summary(&problems[4..]),
        [
            problem(Severity::Error, "codings/hp.jsonl", Some(2), "span 26..17 ends before it starts"),
            // The rule of one coding a passage compares the ends as they are: 17 <= 17 and 26 <= 26.
            problem(
                Severity::Warning,
                "codings/hp.jsonl",
                Some(2),
                "`hope` in `a` at 26..17 touches the coding of line 1 (17..26) by the same coder: one passage \
                 counted twice"
            ),
        ]
    );
    assert_eq!(problems[4].fix, "re-anchor the coding or restore the document");
}

#[cfg(unix)]
#[test]
fn check_follows_a_linked_document_folder_and_passes_over_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    study(root);
    // A file among the document folders is no document; a link to a folder is one (it names the
    // folder's files, whose `document.toml` says `a`).
    fs::write(root.join("documents/notes.txt"), "not a document\n").unwrap();
    std::os::unix::fs::symlink(root.join("documents/a"), root.join("documents/e")).unwrap();
    let problems = summary(&check_study(root));
    assert_eq!(
        problems[4..],
        [
            problem(Severity::Error, "documents/e/document.toml", Some(1), "id `a` does not match the folder name `e`"),
            problem(Severity::Warning, "documents/e/document.toml", None, "sequence 1 is also used by `a`"),
            problem(
                Severity::Warning,
                "documents/e/speakers.csv",
                Some(4),
                "speaker `Jo` is not linked to a participant"
            ),
        ]
    );
}
