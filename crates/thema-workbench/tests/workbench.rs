//! The workbench on a small study written here: what it reads for each coder, what its actions
//! write (through the library, undoable), and its screens at three sizes (ratatui's
//! `TestBackend`, insta snapshots).

use std::path::Path;
use std::time::Duration;

use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;
use thema_core::{
    Codebook, CodebookEntry, Coding, Document, DocumentMeta, EntryKind, Participant, Span, Speaker, Study, Turn,
};
use thema_workbench::session::{progress, read, split_filters, Options, Session};
use thema_workbench::state::NewEntry;
use thema_workbench::{render, Action, Workbench};

/// The interviewer (T1 3..18, T4 94..112), Ana (T2 25..60, T5 119..141, linked to a
/// participant) and Bo (T3 66..89, not linked; wide characters and a combining accent).
/// Offsets counted by hand, in code points.
const TEXT: &str = "I: What helps you?\n\nAna: The bus pass helps. Money is tight.\n\nBo: 交通 is hard. Cafe\u{301} time.\n\nI: And after release?\n\nAna: Nobody called me back.\n";

fn turn(number: u32, speaker: &str, start: usize, end: usize) -> Turn {
    Turn { number, speaker: Some(speaker.into()), span: Span { start, end }, time_start: None, time_end: None }
}

fn speaker(label: &str, participant: Option<&str>, interviewer: bool) -> Speaker {
    Speaker { label: label.into(), participant: participant.map(Into::into), interviewer }
}

/// A study with `fg1` (above) and `int1` (two turns), a codebook (the theme Access with the
/// codes Cost and Trust, and the code "bus pass"), and the codings of two coders and their
/// consensus:
/// - hp: Trust over T1 and T2 (3..60: the interviewer inside the coding), Cost over T2;
/// - mk: Cost over "bus pass" (29..37), Trust over T5;
/// - hp-mk (the consensus): Cost over T2.
fn study(root: &Path) -> Study {
    let mut study = Study::init(root, "workbench test").unwrap();
    study
        .participants
        .add(Participant {
            id: "ana".into(),
            pseudonym: "Ana".into(),
            role: "Peer Mentor".into(),
            attributes: Default::default(),
        })
        .unwrap();
    study.save_participants().unwrap();
    let mut meta = DocumentMeta::new("fg1", "focus-group");
    meta.title = "Focus group".into();
    meta.speakers = vec![speaker("I", None, true), speaker("Ana", Some("ana"), false), speaker("Bo", None, false)];
    let fg1 = Document {
        meta,
        text: TEXT.into(),
        turns: vec![
            turn(1, "I", 3, 18),
            turn(2, "Ana", 25, 60),
            turn(3, "Bo", 66, 89),
            turn(4, "I", 94, 112),
            turn(5, "Ana", 119, 141),
        ],
    };
    let mut meta = DocumentMeta::new("int1", "interview");
    meta.sequence = 2;
    meta.speakers = vec![speaker("I", None, true), speaker("Ana", Some("ana"), false)];
    let int1 = Document {
        meta,
        text: "I: Why?\n\nAna: Because.\n".into(),
        turns: vec![turn(1, "I", 3, 7), turn(2, "Ana", 14, 22)],
    };
    study.add_documents(&[fg1.clone(), int1]).unwrap();
    let mut codebook = Codebook::default();
    let entry = |id: &str, name: &str, kind, parent: Option<&str>| CodebookEntry {
        id: id.into(),
        name: name.into(),
        kind,
        parent: parent.map(Into::into),
        ..Default::default()
    };
    codebook.add(entry("access", "Access", EntryKind::Theme, None)).unwrap();
    codebook.add(entry("cost", "Cost", EntryKind::Code, Some("access"))).unwrap();
    codebook.add(entry("trust", "Trust", EntryKind::Code, Some("access"))).unwrap();
    codebook.add(entry("bus-pass", "bus pass", EntryKind::Code, None)).unwrap();
    study.save_codebook(&codebook).unwrap();
    let coding = |start, end, code: &str, coder: &str| {
        Coding::new(&fg1, Span { start, end }, code, coder, "2024-01-01T00:00:00Z").unwrap()
    };
    study.save_coder_codings("hp", &[coding(3, 60, "trust", "hp"), coding(25, 60, "cost", "hp")]).unwrap();
    study.save_coder_codings("mk", &[coding(29, 37, "cost", "mk"), coding(119, 141, "trust", "mk")]).unwrap();
    study.save_coder_codings("hp-mk", &[coding(25, 60, "cost", "hp-mk")]).unwrap();
    study
}

fn spans(w: &Workbench) -> Vec<(String, usize, usize)> {
    w.codings.iter().map(|c| (c.code.clone(), c.start, c.end)).collect()
}

#[test]
fn each_coder_sees_their_own_codings_and_progress() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let hp = read(&study, "hp", "fg1").unwrap();
    assert_eq!(spans(&hp), [("trust".into(), 3, 60), ("cost".into(), 25, 60)]);
    // hp coded T1 and T2 of fg1's five turns, nothing in int1.
    let rows = progress(&study, "hp").unwrap();
    let coded: Vec<(&str, usize, usize)> = rows.iter().map(|r| (r.id.as_str(), r.coded, r.turns)).collect();
    assert_eq!(coded, [("fg1", 2, 5), ("int1", 0, 2)]);
    // By whom: in fg1, the consensus hp-mk coded T2 (25..60), mk T2 and T5; nobody coded int1.
    let others: Vec<&[(String, usize)]> = rows.iter().map(|r| r.others.as_slice()).collect();
    assert_eq!(others, [&[("hp-mk".to_owned(), 1), ("mk".to_owned(), 2)][..], &[][..]]);
    // The codebook in tree order, each with hp's count in the study.
    let counts: Vec<(&str, usize, usize)> = hp.codebook.iter().map(|c| (c.id.as_str(), c.depth, c.count)).collect();
    assert_eq!(counts, [("access", 0, 0), ("cost", 1, 1), ("trust", 1, 1), ("bus-pass", 0, 0)]);
    assert_eq!(hp.codebook[2].path, "Access / Trust");
    // Speakers: the interviewer marked, Ana by pseudonym and role, Bo (unlinked) by label.
    let voices: Vec<(&str, bool)> = hp.voices.iter().map(|v| (v.name.as_str(), v.interviewer)).collect();
    assert_eq!(
        voices,
        [
            ("I (interviewer)", true),
            ("Ana (Peer Mentor)", false),
            ("Bo", false),
            ("I (interviewer)", true),
            ("Ana (Peer Mentor)", false)
        ]
    );
    // hp's codings in the whole study, for the segments of a code (all in fg1 here).
    assert_eq!(hp.segments_of("trust").map(|c| (c.document.as_str(), c.start)).collect::<Vec<_>>(), [("fg1", 3)]);
    // The other coders' codings, for their stripes on request: mk's and the consensus's.
    let others: Vec<(&str, &str, usize)> =
        hp.others.iter().map(|c| (c.coder.as_str(), c.code.as_str(), c.start)).collect();
    assert_eq!(others, [("hp-mk", "cost", 25), ("mk", "cost", 29), ("mk", "trust", 119)]);
    let mk = read(&study, "mk", "fg1").unwrap();
    assert_eq!(spans(&mk), [("cost".into(), 29, 37), ("trust".into(), 119, 141)]);
    // mk coded T2 and T5.
    let coded = progress(&study, "mk").unwrap()[0].coded;
    assert_eq!((coded, mk.is_coded(1), mk.is_coded(4), mk.is_coded(0)), (2, true, true, false));
    let consensus = read(&study, "hp-mk", "fg1").unwrap();
    assert_eq!(spans(&consensus), [("cost".into(), 25, 60)]);
    assert_eq!(progress(&study, "hp-mk").unwrap()[0].coded, 1);
}

fn options(root: &Path, coder: &str) -> Options {
    Options {
        root: root.to_owned(),
        coder: Some(coder.into()),
        document: Some("fg1".into()),
        lock_wait: Duration::from_secs(5),
        mouse: false,
    }
}

fn codings(root: &Path, coder: &str) -> Vec<(String, usize, usize)> {
    let study = Study::open(root).unwrap();
    study.load_coder_codings(coder).unwrap().into_iter().map(|c| (c.code, c.start, c.end)).collect()
}

#[test]
fn actions_write_through_the_library_and_undo_reverts_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    study(root);
    let (mut session, mut w) = Session::new(options(root, "mk")).unwrap();
    // Code T1 (the interviewer's question) with Trust, by keys: `t`, `c`, "tru", Enter.
    for c in "tctru".chars() {
        w.key(KeyEvent::from(KeyCode::Char(c)));
    }
    let action = w.key(KeyEvent::from(KeyCode::Enter));
    assert_eq!(action, Action::Code { span: Span { start: 3, end: 18 }, code: "trust".into() });
    assert_eq!(session.apply(&w, &action).unwrap(), "coded fg1:T1 with `Trust`");
    assert_eq!(codings(root, "mk"), [("trust".into(), 3, 18), ("cost".into(), 29, 37), ("trust".into(), 119, 141)]);
    assert_eq!(codings(root, "hp").len(), 2, "another coder's codings are untouched");
    // In vivo: "Nobody called" (119..132) in T5 names a new code.
    let said = session.apply(&w, &Action::InVivo { span: Span { start: 119, end: 132 } }).unwrap();
    assert_eq!(said, "new in-vivo code: coded fg1:T5 with `Nobody called`");
    let study = Study::open(root).unwrap();
    let entry = study.load_codebook().unwrap().get("nobody-called").cloned().unwrap();
    assert!(entry.in_vivo);
    // Uncode mk's Cost from "bus pass".
    let said = session.apply(&w, &Action::Uncode { span: Span { start: 29, end: 37 }, code: "cost".into() }).unwrap();
    assert_eq!(said, "uncoded `cost` at fg1:T2: fg1:29..37 removed");
    assert_eq!(
        codings(root, "mk"),
        [("trust".into(), 3, 18), ("nobody-called".into(), 119, 132), ("trust".into(), 119, 141)]
    );
    // Each action is one entry of the history, named as the command that would do the same.
    let (done, _) = thema_core::history::list(root).unwrap();
    let commands: Vec<&str> = done.iter().map(|e| e.command.as_str()).collect();
    assert_eq!(
        commands,
        [
            "thema workbench (mk): uncode cost --span fg1:29..37",
            "thema workbench (mk): invivo --span fg1:119..132",
            "thema workbench (mk): code trust --span fg1:3..18",
        ]
    );
    // Undo twice: the uncoding, then the in-vivo code (codebook and coding); redo once.
    assert_eq!(
        session.apply(&w, &Action::Undo).unwrap(),
        "undid #3 `thema workbench (mk): uncode cost --span fg1:29..37`"
    );
    session.apply(&w, &Action::Undo).unwrap();
    assert_eq!(codings(root, "mk"), [("trust".into(), 3, 18), ("cost".into(), 29, 37), ("trust".into(), 119, 141)]);
    assert!(Study::open(root).unwrap().load_codebook().unwrap().get("nobody-called").is_none());
    session.apply(&w, &Action::Redo).unwrap();
    assert!(Study::open(root).unwrap().load_codebook().unwrap().get("nobody-called").is_some());
    // A reload shows what is on disk.
    w.refresh(session.load("fg1").unwrap());
    assert_eq!(spans(&w).len(), 4);
    // A refused action says why, with a hint, and writes nothing.
    let error =
        session.apply(&w, &Action::Uncode { span: Span { start: 66, end: 89 }, code: "cost".into() }).unwrap_err();
    assert!(error.to_string().contains("fg1"), "{error}");
    assert_eq!(codings(root, "mk").len(), 4);
}

#[test]
fn a_new_code_from_the_picker_goes_into_the_codebook_under_its_parent() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    study(root);
    let (mut session, w) = Session::new(options(root, "hp")).unwrap();
    let action =
        Action::NewCode { span: Span { start: 94, end: 112 }, entry: NewEntry::parse("Access / after release") };
    assert_eq!(session.apply(&w, &action).unwrap(), "new code: coded fg1:T4 with `after release`");
    let study = Study::open(root).unwrap();
    let codebook = study.load_codebook().unwrap();
    let entry = codebook.get("after-release").unwrap();
    assert_eq!((entry.kind, entry.parent.as_deref(), entry.in_vivo), (EntryKind::Code, Some("access"), false));
    assert!(codings(root, "hp").contains(&("after-release".into(), 94, 112)));
    let log = std::fs::read_to_string(root.join("decisions.jsonl")).unwrap();
    assert!(log.contains("code `after release` (after-release)"), "{log}");
    // An unknown parent: refused with a hint, and nothing written.
    let action = Action::NewCode { span: Span { start: 94, end: 112 }, entry: NewEntry::parse("Nowhere / x") };
    let error = session.apply(&w, &action).unwrap_err();
    assert!(error.to_string().contains("Nowhere"), "{error}");
    assert!(error.hint().unwrap().contains("Parent / name"));
    assert_eq!(Study::open(root).unwrap().load_codebook().unwrap().entries.len(), 5);
    // A theme, at the top of the tree, coding the interviewer's turn 1.
    let action = Action::NewCode { span: Span { start: 3, end: 18 }, entry: NewEntry::parse("theme: Asking") };
    assert_eq!(session.apply(&w, &action).unwrap(), "new theme: coded fg1:T1 with `Asking`");
    let codebook = Study::open(root).unwrap().load_codebook().unwrap();
    let theme = codebook.get("asking").unwrap();
    assert_eq!((theme.kind, theme.parent.as_deref()), (EntryKind::Theme, None));
    let (done, _) = thema_core::history::list(root).unwrap();
    assert_eq!(
        done[0].command,
        "thema workbench (hp): code --new (codebook add \"Asking\" --kind theme) --span fg1:3..18"
    );
}

#[test]
fn the_codebook_pane_renames_and_moves_entries_through_the_library_and_undo_reverts() {
    use thema_core::codebook_change::Change;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    study(root);
    let (mut session, w) = Session::new(options(root, "hp")).unwrap();
    let rename = Action::Change(Change::Rename { entry: "cost".into(), name: "Costs of travel".into() });
    assert_eq!(session.apply(&w, &rename).unwrap(), "codebook rename: `Cost` to `Costs of travel` (cost)");
    // Cost goes to the top level, out from under Access; by name, then back under it.
    let top = Action::Change(Change::MoveTo { entry: "Costs of travel".into(), parent: None });
    session.apply(&w, &top).unwrap();
    let codebook = Study::open(root).unwrap().load_codebook().unwrap();
    let cost = codebook.get("cost").unwrap();
    assert_eq!((cost.name.as_str(), cost.parent.as_deref()), ("Costs of travel", None));
    let (done, _) = thema_core::history::list(root).unwrap();
    assert_eq!(done[0].command, "thema workbench (hp): codebook move Costs of travel --top");
    assert_eq!(done[1].command, "thema workbench (hp): codebook rename cost \"Costs of travel\"");
    // The decision log has both, as `thema codebook` writes them.
    let log = std::fs::read_to_string(root.join("decisions.jsonl")).unwrap();
    assert_eq!(
        log.lines().filter(|l| l.contains("\"action\":\"rename\"") || l.contains("\"action\":\"move\"")).count(),
        2,
        "{log}"
    );
    // An unknown parent is refused with a hint; nothing changes.
    let nowhere = Action::Change(Change::MoveTo { entry: "cost".into(), parent: Some("Nowhere".into()) });
    let error = session.apply(&w, &nowhere).unwrap_err();
    assert!(error.to_string().contains("Nowhere") && error.hint().is_some(), "{error}");
    // Two undos: the name and the place are as they were.
    session.apply(&w, &Action::Undo).unwrap();
    session.apply(&w, &Action::Undo).unwrap();
    let codebook = Study::open(root).unwrap().load_codebook().unwrap();
    let cost = codebook.get("cost").unwrap();
    assert_eq!((cost.name.as_str(), cost.parent.as_deref()), ("Cost", Some("access")));
    // `K`: Cost grows into a sub-theme, recorded as the command that does it, and undone.
    let grow = Action::Change(Change::Describe {
        entry: "cost".into(),
        description: Default::default(),
        kind: Some(thema_core::EntryKind::SubTheme),
    });
    assert_eq!(session.apply(&w, &grow).unwrap(), "codebook describe: kind of `Cost` (cost)");
    let kind = |root: &std::path::Path| Study::open(root).unwrap().load_codebook().unwrap().get("cost").unwrap().kind;
    assert_eq!(kind(root), thema_core::EntryKind::SubTheme);
    let (done, _) = thema_core::history::list(root).unwrap();
    assert_eq!(done[0].command, "thema workbench (hp): codebook describe cost --kind sub-theme");
    session.apply(&w, &Action::Undo).unwrap();
    assert_eq!(kind(root), thema_core::EntryKind::Code);
}

#[test]
fn memos_on_the_document_and_on_a_code() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    study(root);
    let (mut session, w) = Session::new(options(root, "hp")).unwrap();
    let on_document = Action::Memo { on: "document:fg1".into(), text: "Loud room.".into() };
    assert_eq!(session.apply(&w, &on_document).unwrap(), "wrote memo m-0001 on document fg1 (memos/m-0001.md)");
    let on_code = Action::Memo { on: "code:cost".into(), text: "Only money, not time.".into() };
    session.apply(&w, &on_code).unwrap();
    let memos = Study::open(root).unwrap().load_memos().unwrap();
    let on: Vec<(&str, &str)> = memos.iter().map(|m| (m.header.id.as_str(), m.header.on.as_str())).collect();
    assert_eq!(on, [("m-0001", "document:fg1"), ("m-0002", "code:cost")]);
    let (done, _) = thema_core::history::list(root).unwrap();
    assert_eq!(
        [done[1].command.as_str(), done[0].command.as_str()],
        ["thema workbench (hp): memo add --doc fg1", "thema workbench (hp): memo add --code cost"]
    );
}

#[test]
fn a_memo_on_a_turn_is_a_memo_file_and_marks_the_turn() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    study(root);
    let (mut session, w) = Session::new(options(root, "hp")).unwrap();
    let memo = Action::Memo { on: "turn:fg1:T2".into(), text: "Money first, then trust. ".into() };
    let said = session.apply(&w, &memo).unwrap();
    assert_eq!(said, "wrote memo m-0001 on turn fg1:T2 (memos/m-0001.md)");
    let text = std::fs::read_to_string(root.join("memos/m-0001.md")).unwrap();
    assert!(text.contains("title = \"Money first, then trust.\"\non = \"turn:fg1:T2\"\nauthor = \"hp\""), "{text}");
    assert!(text.ends_with("+++\nMoney first, then trust.\n"), "{text}");
    let w = session.load("fg1").unwrap();
    assert_eq!(w.memos, [false, true, false, false, false]);
    let mut screen = screen(&mut w.clone(), 60, 8);
    screen.truncate(screen.find("T3").unwrap_or(screen.len()));
    assert!(screen.contains("fg1:T2 Ana (Peer Mentor) [memo]"), "{screen}");
    session.apply(&w, &Action::Undo).unwrap();
    assert!(!root.join("memos/m-0001.md").exists());
}

#[test]
fn search_finds_turns_across_documents_as_thema_search_does() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    study(root);
    let (mut session, _) = Session::new(options(root, "hp")).unwrap();
    // "because" is said once, in int1:T2; "bus" once, in fg1:T2 (stemmed: "bus" finds "bus").
    let found = session.search("because").unwrap();
    let at: Vec<(String, u32, usize, String)> =
        found.into_iter().map(|f| (f.document, f.number, f.start, f.text)).collect();
    assert_eq!(at, [("int1".to_owned(), 2, 14, "Because.".to_owned())]);
    let found = session.search("bus OR release").unwrap();
    let mut at: Vec<(String, u32)> = found.into_iter().map(|f| (f.document, f.number)).collect();
    at.sort();
    assert_eq!(at, [("fg1".to_owned(), 2), ("fg1".to_owned(), 4)]);
    assert!(session.search("nothing-like-it").unwrap().is_empty());
    let error = session.search("\"unclosed").unwrap_err();
    assert!(error.hint().unwrap().contains("query syntax"), "{error}");
    // Words with `=` filter as `--where` does: int1 is the interview, fg1 the focus group; of
    // the two turns with "bus" or "release", Ana (Peer Mentor) says T2, the interviewer T4.
    assert!(session.search("because kind=focus-group").unwrap().is_empty());
    assert_eq!(session.search("because kind=interview").unwrap().len(), 1);
    let found = session.search("bus OR release role=\"Peer Mentor\"").unwrap();
    let at: Vec<(String, u32)> = found.into_iter().map(|f| (f.document, f.number)).collect();
    assert_eq!(at, [("fg1".to_owned(), 2)]);
    // An `=` inside a quoted phrase is searched for, not a filter.
    assert_eq!(split_filters("\"a=b\" wave=2"), ("\"a=b\"".to_owned(), vec!["wave=2".to_owned()]));
    // `speaker=` and `code=` as `--speaker` and `--code`: Ana's label in fg1 is "Ana"; hp coded
    // T2 with Cost (under Access), and `code=Access` takes the entries under it too.
    let found = session.search("bus OR release speaker=Ana").unwrap();
    assert_eq!(found.iter().map(|f| f.number).collect::<Vec<_>>(), [2]);
    assert_eq!(session.search("bus OR release code=Access").unwrap().len(), 1);
    assert!(session.search("bus code=nowhere").unwrap_err().hint().unwrap().contains("code=hope"));
    let error = session.search("bus colour=red").unwrap_err();
    assert!(error.to_string().contains("colour"), "{error}");
    assert!(error.hint().unwrap().contains("KEY=VALUE"), "{error}");
}

#[test]
fn a_study_changed_by_another_command_is_seen() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let study = study(root);
    let (session, _) = Session::new(options(root, "hp")).unwrap();
    assert!(!session.changed("fg1"));
    // Another process codes (as `thema code` would); file times can be coarse, so wait a little.
    std::thread::sleep(Duration::from_millis(20));
    study.save_coder_codings("hp", &[]).unwrap();
    assert!(session.changed("fg1"));
}

#[test]
fn starting_needs_a_coder_and_a_known_document() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    study(root);
    let mut o = options(root, "hp");
    o.coder = None;
    let e = Session::new(o).unwrap_err();
    assert_eq!(e.to_string(), "who is coding?");
    assert!(e.hint().unwrap().contains("THEMA_CODER"));
    let mut o = options(root, "hp");
    o.document = Some("fg9".into());
    let e = Session::new(o).unwrap_err();
    assert!(e.to_string().contains("fg9"), "{e}");
    assert_eq!(e.hint().as_deref(), Some("`thema ls` lists the documents"));
}

/// The screen of `w` on a terminal of `width` x `height`.
fn screen(w: &mut Workbench, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| render::draw(frame, w)).unwrap();
    terminal.backend().to_string()
}

fn keys(w: &mut Workbench, keys: &str) {
    for c in keys.chars() {
        w.key(KeyEvent::from(KeyCode::Char(c)));
    }
}

#[test]
fn screens_at_three_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let study = study(dir.path());
    let mut w = read(&study, "hp", "fg1").unwrap();
    // 60 x 14: all five turns; hp's stripes: Cost (column 1) and Trust (column 2) beside T2,
    // Trust alone beside T1 (the interviewer inside the coding); "bus pass" selected.
    keys(&mut w, "jwvl");
    insta::assert_snapshot!("reader_60x14", screen(&mut w, 60, 14));
    // What the text snapshot cannot show: "bus pass" (columns 12 to 19 of row 4, after the
    // margin of 5 and the indent of 3) in reverse video, the space before it not; Trust's
    // stripe in column 0 and Cost's in column 1, each in its code's colour (the palette by the
    // code's place in the codebook: Cost is second, Trust third).
    let mut terminal = Terminal::new(TestBackend::new(60, 14)).unwrap();
    terminal.draw(|frame| render::draw(frame, &mut w)).unwrap();
    let buffer = terminal.backend().buffer();
    let reversed = |x: u16| buffer[(x, 4)].modifier.contains(Modifier::REVERSED);
    assert_eq!(buffer[(12, 4)].symbol(), "b");
    assert!((12..20).all(reversed) && !reversed(11) && !reversed(20));
    assert_eq!((buffer[(0, 4)].fg, buffer[(1, 4)].fg), (Color::Yellow, Color::Magenta));
    // 40 x 10, the smallest window promised: T2 wraps, the cursor's turn stays in view.
    keys(&mut w, "jj");
    insta::assert_snapshot!("reader_40x10", screen(&mut w, 40, 10));
    // 80 x 16 with the code picker open, filtered by "t".
    keys(&mut w, "kkktct");
    insta::assert_snapshot!("picker_80x16", screen(&mut w, 80, 16));
    w.key(KeyEvent::from(KeyCode::Esc));
    // `d` asks for the list, which the session reads from the study.
    assert_eq!(w.key(KeyEvent::from(KeyCode::Char('d'))), Action::Documents);
    w.show_documents(progress(&study, "hp").unwrap());
    insta::assert_snapshot!("documents_80x16", screen(&mut w, 80, 16));
    w.key(KeyEvent::from(KeyCode::Esc));
    keys(&mut w, "?");
    insta::assert_snapshot!("help_80x24", screen(&mut w, 80, 24));
    // On a window too short for every key, j scrolls the help down to the last.
    keys(&mut w, &"j".repeat(40));
    insta::assert_snapshot!("help_80x12_scrolled", screen(&mut w, 80, 12));
    // Other coders beside hp's, right of the bar, a column each as the legend line numbers
    // them: hp-mk (1) with Cost over T2, mk (2) with Cost over "bus pass" (T2) and Trust over T5.
    w.key(KeyEvent::from(KeyCode::Esc));
    keys(&mut w, "o");
    insta::assert_snapshot!("others_60x14", screen(&mut w, 60, 14));
    keys(&mut w, "o");
    // The codebook pane with hp's counts, then the segments of Cost.
    keys(&mut w, "C");
    insta::assert_snapshot!("codebook_80x16", screen(&mut w, 80, 16));
    keys(&mut w, "j");
    w.key(KeyEvent::from(KeyCode::Enter));
    insta::assert_snapshot!("segments_80x16", screen(&mut w, 80, 16));
    w.key(KeyEvent::from(KeyCode::Esc));
    w.key(KeyEvent::from(KeyCode::Esc));
    // A long message (an error and its hint) takes up to four lines at the bottom.
    w.key(KeyEvent::from(KeyCode::Esc));
    w.status =
        "error: hp already coded this passage with `Cost`: the coding at fg1:T2 (25..60) (hint: pick another code)"
            .into();
    insta::assert_snapshot!("status_40x10", screen(&mut w, 40, 10));
    // Tiny and degenerate windows draw without a panic.
    for (width, height) in [(1, 1), (3, 2), (10, 3), (40, 10), (200, 5)] {
        screen(&mut w, width, height);
        keys(&mut w, "c");
        screen(&mut w, width, height);
        w.key(KeyEvent::from(KeyCode::Esc));
    }
}
