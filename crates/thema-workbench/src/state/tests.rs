use super::*;
use crate::picker::close_in_order;
use thema_core::{DocumentMeta, EntryKind, Turn};

/// Three turns: the interviewer (3..18), Ana (25..60), Bo (66..89, wide characters and a
/// combining accent). Offsets counted by hand, in code points.
fn workbench() -> Workbench {
    let text =
        "I: What helps you?\n\nAna: The bus pass helps. Money is tight.\n\nBo: 交通 is hard. Cafe\u{301} time.\n";
    let turn = |number, speaker: &str, start, end| Turn {
        number,
        speaker: Some(speaker.to_owned()),
        span: Span { start, end },
        time_start: None,
        time_end: None,
    };
    let document = Document {
        meta: DocumentMeta::new("fg1", "focus-group"),
        text: text.to_owned(),
        turns: vec![turn(1, "I", 3, 18), turn(2, "Ana", 25, 60), turn(3, "Bo", 66, 89)],
    };
    let choice = |id: &str, name: &str, path: &str, kind| Choice {
        id: id.into(),
        name: name.into(),
        path: path.into(),
        depth: path.matches(" / ").count(),
        kind,
        count: 0,
        colour: None,
    };
    let codebook = vec![
        choice("access", "Access", "Access", EntryKind::Theme),
        choice("cost", "Cost", "Access / Cost", EntryKind::Code),
        choice("trust", "Trust", "Access / Trust", EntryKind::Code),
        choice("bus-pass", "bus pass", "bus pass", EntryKind::Code),
    ];
    // hp coded the interviewer's question and Ana's answer with `trust`, and Ana's answer
    // with `cost`.
    let coding = |start, end, code: &str| Coding::new(&document, Span { start, end }, code, "hp", "t").unwrap();
    let codings = vec![coding(3, 60, "trust"), coding(25, 60, "cost")];
    Workbench::new("hp".into(), document.clone(), vec![Voice::default(); 3], codings, codebook, vec![])
}

fn press(w: &mut Workbench, keys: &str) -> Action {
    let mut last = Action::None;
    for c in keys.chars() {
        last = w.key(KeyEvent::from(KeyCode::Char(c)));
    }
    last
}

fn key(w: &mut Workbench, code: KeyCode) -> Action {
    w.key(KeyEvent::from(code))
}

#[test]
fn a_selection_grows_by_whole_words_from_the_word_cursor() {
    let mut w = workbench();
    // T2, second word ("bus", 29..32), select, one more word ("pass" ends at 37).
    press(&mut w, "jwvl");
    assert_eq!(w.selected(), Some(Span { start: 29, end: 37 }));
    // Two more: "helps" (38..43, without the full stop), "Money" (45..50).
    press(&mut w, "ll");
    assert_eq!(w.selected(), Some(Span { start: 29, end: 50 }));
    // Back past the anchor: "The bus" (25..32), and no further than the first word.
    press(&mut w, "hhhhhh");
    assert_eq!(w.selected(), Some(Span { start: 25, end: 32 }));
    // The anchor stays at "bus"; past the last word the head stops at "tight" (54..59).
    press(&mut w, "llllllllll");
    assert_eq!(w.selected(), Some(Span { start: 29, end: 59 }));
    key(&mut w, KeyCode::Esc);
    assert_eq!(w.selected(), None);
}

#[test]
fn words_are_snapped_in_wide_and_combining_text() {
    let mut w = workbench();
    // T3: "交" (66..67) and "通" (67..68), a word each as UAX 29 counts ideographs, "is",
    // "hard", "Café" with its combining accent (78..83), "time" (84..88).
    press(&mut w, "jjv");
    assert_eq!(w.selected(), Some(Span { start: 66, end: 67 }));
    press(&mut w, "llll");
    assert_eq!(w.selected(), Some(Span { start: 66, end: 83 }));
}

#[test]
fn t_selects_the_turn_and_c_then_enter_codes_it_with_the_picked_entry() {
    let mut w = workbench();
    press(&mut w, "jt");
    assert_eq!(w.selected(), Some(Span { start: 25, end: 60 }));
    press(&mut w, "c");
    assert!(matches!(w.mode, Mode::Pick(_)));
    press(&mut w, "bsp");
    assert_eq!(
        key(&mut w, KeyCode::Enter),
        Action::Code { span: Span { start: 25, end: 60 }, code: "bus-pass".into() }
    );
    // Moving to another turn drops the selection; `c` without one codes the cursor's turn.
    press(&mut w, "jc");
    assert_eq!(w.selected(), None);
    assert_eq!(key(&mut w, KeyCode::Enter), Action::Code { span: Span { start: 66, end: 89 }, code: "access".into() });
}

#[test]
fn the_picker_ranks_names_then_ids_and_paths_then_letters_in_order() {
    let w = workbench();
    let ids = |filter: &str| -> Vec<&str> {
        rank(&w.codebook, filter, |_| true).into_iter().map(|i| w.codebook[i].id.as_str()).collect()
    };
    // Nothing typed: the whole tree in order.
    assert_eq!(ids(""), ["access", "cost", "trust", "bus-pass"]);
    // "Cost" starts with "co"; no other name, id or path holds it.
    assert_eq!(ids("co"), ["cost"]);
    // "Access" starts with "acc"; Cost and Trust have it in their path.
    assert_eq!(ids("ACC"), ["access", "cost", "trust"]);
    // "s" is in "Access" and "Cost" and "Trust" and "bus pass"; none starts with it.
    assert_eq!(ids("s"), ["access", "cost", "trust", "bus-pass"]);
    // Letters in order close together: "bus p" holds b, s, p within 5 of 7.
    assert_eq!(ids("bsp"), ["bus-pass"]);
    // "a" to "t" in "Access / Trust" is too far apart to count (path is not searched fuzzily),
    // and so are r, e, a, s over "relationships" (13 letters for 5, more than 11).
    assert_eq!(ids("atst"), Vec::<&str>::new());
    assert!(!close_in_order("building respectful relationships", "reass"));
    assert!(close_in_order("providing reassurance", "reass"));
    // Typing and taking back in the picker filters the same way.
    let mut w = workbench();
    press(&mut w, "cco");
    key(&mut w, KeyCode::Backspace);
    let Mode::Pick(picker) = &w.mode else { panic!("the picker is open") };
    assert_eq!((picker.filter.as_str(), picker.matches.len()), ("c", 3));
}

#[test]
fn the_picker_offers_a_new_code_named_as_typed() {
    let mut w = workbench();
    // Nothing matches "transport": the only row is the new code, and Enter makes it.
    press(&mut w, "ctransport");
    let transport = NewEntry { kind: EntryKind::Code, parent: None, name: "transport".into() };
    assert_eq!(key(&mut w, KeyCode::Enter), Action::NewCode { span: Span { start: 3, end: 18 }, entry: transport });
    // "co" matches Cost; the new code "co" is the row after it.
    press(&mut w, "cco");
    let Mode::Pick(picker) = &w.mode else { panic!("the picker is open") };
    assert_eq!((picker.matches.len(), picker.rows()), (1, 2));
    key(&mut w, KeyCode::Down);
    key(&mut w, KeyCode::Down);
    let co = NewEntry { kind: EntryKind::Code, parent: None, name: "co".into() };
    assert_eq!(key(&mut w, KeyCode::Enter), Action::NewCode { span: Span { start: 3, end: 18 }, entry: co });
    // Nothing typed: no new code to offer.
    press(&mut w, "c");
    let Mode::Pick(picker) = &w.mode else { panic!("the picker is open") };
    assert!(!picker.offers_new());
}

#[test]
fn a_new_entry_is_read_as_kind_parent_and_name() {
    let read = |typed: &str| {
        let e = NewEntry::parse(typed);
        (e.kind, e.parent, e.name)
    };
    assert_eq!(read(" transport "), (EntryKind::Code, None, "transport".into()));
    assert_eq!(read("theme: Offering hope"), (EntryKind::Theme, None, "Offering hope".into()));
    assert_eq!(
        read("Sub-theme: Offering hope / fresh start"),
        (EntryKind::SubTheme, Some("Offering hope".into()), "fresh start".into())
    );
    // Only a kind before the colon is one; the rest of the name keeps its colon.
    assert_eq!(read("Q1: housing"), (EntryKind::Code, None, "Q1: housing".into()));
    assert_eq!(read("/ lone"), (EntryKind::Code, None, "/ lone".trim().into()));
    assert_eq!(NewEntry::parse("a / b / c").describe(), "new code “c” under “a / b”");
    assert_eq!(NewEntry::parse("theme:").name, "");
}

#[test]
fn m_writes_a_memo_on_the_turn() {
    let mut w = workbench();
    press(&mut w, "jm");
    // Typed keys are the memo's text, not commands (`j`, `q`).
    press(&mut w, "just quiet");
    key(&mut w, KeyCode::Backspace);
    let draft = |on: &str, text: &str| Mode::Memo(Draft { on: on.into(), text: text.into() });
    assert_eq!(w.mode, draft("turn:fg1:T2", "just quie"));
    assert_eq!(key(&mut w, KeyCode::Enter), Action::Memo { on: "turn:fg1:T2".into(), text: "just quie".into() });
    // An empty memo is refused; Esc drops one.
    press(&mut w, "m  ");
    assert_eq!(key(&mut w, KeyCode::Enter), Action::None);
    assert_eq!(w.status, "the memo is empty; nothing written");
    press(&mut w, "mx");
    key(&mut w, KeyCode::Esc);
    assert_eq!((&w.mode, w.cursor), (&Mode::Read, 1));
    // `M` writes on the document; `m` in the codebook pane on the highlighted entry (Cost).
    press(&mut w, "Mon fg1");
    assert_eq!(key(&mut w, KeyCode::Enter), Action::Memo { on: "document:fg1".into(), text: "on fg1".into() });
    press(&mut w, "Cjmwhy");
    assert_eq!(w.mode, draft("code:cost", "why"));
    // A reload (another process changed the study) keeps a memo being written.
    let fresh = workbench();
    w.refresh(fresh);
    assert_eq!(w.mode, draft("code:cost", "why"));
}

#[test]
fn the_codebook_pane_adds_renames_and_moves_entries() {
    let mut w = workbench();
    // Cost is the second entry: `r` starts from its name.
    press(&mut w, "Cjr");
    assert_eq!(w.mode, Mode::Edit { entry: 1, edit: Edit::Rename, text: "Cost".into() });
    press(&mut w, "s of travel");
    let rename = Change::Rename { entry: "cost".into(), name: "Costs of travel".into() };
    assert_eq!(key(&mut w, KeyCode::Enter), Action::Change(rename));
    assert_eq!(w.mode, Mode::Codebook(1), "back in the codebook after the change");
    // `p` puts it under another entry by name; nothing typed, to the top level.
    press(&mut w, "pbus pass");
    let under = Change::MoveTo { entry: "cost".into(), parent: Some("bus pass".into()) };
    assert_eq!(key(&mut w, KeyCode::Enter), Action::Change(under));
    press(&mut w, "p");
    assert_eq!(key(&mut w, KeyCode::Enter), Action::Change(Change::MoveTo { entry: "cost".into(), parent: None }));
    // `a` adds as the picker does, kind and parent included; an empty name is refused.
    press(&mut w, "atheme: Getting there");
    let Action::Change(Change::Add { name, kind, parent, .. }) = key(&mut w, KeyCode::Enter) else {
        panic!("an entry is added")
    };
    assert_eq!((name.as_str(), kind, parent), ("Getting there", EntryKind::Theme, None));
    press(&mut w, "a");
    assert_eq!(key(&mut w, KeyCode::Enter), Action::None);
    assert!(matches!(w.mode, Mode::Edit { edit: Edit::Add, .. }));
    // Esc goes back to the codebook, at the same row.
    key(&mut w, KeyCode::Esc);
    assert_eq!(w.mode, Mode::Codebook(1));
    // `K` starts from the entry's kind; a word that is no kind is refused and kept.
    press(&mut w, "K");
    assert_eq!(w.mode, Mode::Edit { entry: 1, edit: Edit::Kind, text: "code".into() });
    key(&mut w, KeyCode::Backspace);
    key(&mut w, KeyCode::Backspace);
    key(&mut w, KeyCode::Backspace);
    key(&mut w, KeyCode::Backspace);
    press(&mut w, "topic");
    assert_eq!(key(&mut w, KeyCode::Enter), Action::None);
    assert_eq!(w.status, "type code, category, sub-theme or theme");
    assert_eq!(w.mode, Mode::Edit { entry: 1, edit: Edit::Kind, text: "topic".into() });
    for _ in 0.."topic".len() {
        key(&mut w, KeyCode::Backspace);
    }
    press(&mut w, "sub-theme");
    let grown =
        Change::Describe { entry: "cost".into(), description: Default::default(), kind: Some(EntryKind::SubTheme) };
    assert_eq!(key(&mut w, KeyCode::Enter), Action::Change(grown));
    assert_eq!(w.mode, Mode::Codebook(1));
}

#[test]
fn sentences_move_the_word_cursor_and_select() {
    let mut w = workbench();
    // T2: "The bus pass helps." (words 0-3) "Money is tight." (words 4-6).
    press(&mut w, "j");
    assert_eq!(w.turn_sentences(1), [(0, 3), (4, 6)]);
    press(&mut w, ")");
    assert_eq!((w.cursor, w.word), (1, 4));
    // `s` selects the sentence at the word cursor, without the full stop's space after it.
    press(&mut w, "s");
    assert_eq!(w.selected(), Some(Span { start: 45, end: 59 }));
    // `(` from inside a sentence goes to its start, from its start to the one before.
    press(&mut w, "w(");
    assert_eq!(w.word, 4);
    press(&mut w, "(");
    assert_eq!(w.word, 0);
    // From the first sentence, `(` goes to the last sentence of the turn before (T1 has one).
    press(&mut w, "(");
    assert_eq!((w.cursor, w.word), (0, 0));
    // From the last sentence, `)` goes to the next turn.
    press(&mut w, "j))");
    assert_eq!((w.cursor, w.word), (2, 0));
    // `L` and `H` grow and shrink a selection by sentences: "The bus" + to the end of
    // "helps", then of "tight", and back.
    press(&mut w, "kvl");
    assert_eq!(w.selected(), Some(Span { start: 25, end: 32 }));
    press(&mut w, "L");
    assert_eq!(w.selected(), Some(Span { start: 25, end: 43 }));
    press(&mut w, "L");
    assert_eq!(w.selected(), Some(Span { start: 25, end: 59 }));
    press(&mut w, "H");
    assert_eq!(w.selected(), Some(Span { start: 25, end: 43 }));
}

#[test]
fn the_mouse_puts_the_cursor_on_a_word_and_drags_a_selection() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut w = workbench();
    // T2's text as drawn on row 5 from column 8: "The bus pass helps. Money is tight."
    let cells = w.turn_text(1).1.chars().enumerate().map(|(i, _)| (i as u16, 25 + i)).collect();
    w.screen = vec![ScreenLine { y: 4, turn: 1, x: 8, cells: vec![] }, ScreenLine { y: 5, turn: 1, x: 8, cells }];
    let at = |kind, column, row| MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE };
    // A click on "pass" (columns 16..20) puts the cursor there; nothing is selected.
    w.mouse(at(MouseEventKind::Down(MouseButton::Left), 17, 5));
    w.mouse(at(MouseEventKind::Up(MouseButton::Left), 17, 5));
    assert_eq!((w.cursor, w.word, w.selected()), (1, 2, None));
    // A drag from "bus" (12) to the space after "helps." (27): "bus pass helps".
    w.mouse(at(MouseEventKind::Down(MouseButton::Left), 12, 5));
    w.mouse(at(MouseEventKind::Drag(MouseButton::Left), 27, 5));
    assert_eq!(w.selected(), Some(Span { start: 29, end: 43 }));
    // Dragged back before the start, the selection runs from "bus" back to "The".
    w.mouse(at(MouseEventKind::Drag(MouseButton::Left), 0, 5));
    assert_eq!(w.selected(), Some(Span { start: 25, end: 32 }));
    // A click on the header line, or off the text, goes to the turn's first word.
    assert_eq!(w.word_at(30, 4), Some((1, 0)));
    assert_eq!(w.word_at(30, 9), None);
    // The wheel moves by turns; in a pane the mouse does nothing.
    w.mouse(at(MouseEventKind::ScrollDown, 0, 0));
    assert_eq!(w.cursor, 2);
    press(&mut w, "?");
    w.mouse(at(MouseEventKind::ScrollUp, 0, 0));
    assert_eq!(w.cursor, 2);
}

#[test]
fn slash_searches_and_enter_on_a_hit_jumps_to_it() {
    let mut w = workbench();
    press(&mut w, "/bus");
    assert_eq!(w.mode, Mode::Query("bus".into()));
    assert_eq!(key(&mut w, KeyCode::Enter), Action::Search("bus".into()));
    let hit = |document: &str, number, start| Found { document: document.into(), number, start, text: String::new() };
    w.show_hits("bus".into(), vec![hit("int1", 4, 40), hit("fg1", 3, 66)]);
    press(&mut w, "jjj");
    assert_eq!(key(&mut w, KeyCode::Enter), Action::Jump { document: "fg1".into(), at: 66 });
    // T3 starts at 66; 20 is between T1 (3..18) and T2 (25..60): the turn after; past the
    // end, the last turn.
    w.jump_to(66);
    assert_eq!(w.cursor, 2);
    w.jump_to(20);
    assert_eq!(w.cursor, 1);
    w.jump_to(500);
    assert_eq!(w.cursor, 2);
}

#[test]
fn o_shows_other_coders_and_says_whose() {
    let mut w = workbench();
    press(&mut w, "o");
    assert_eq!((w.show_others, w.status.as_str()), (true, "no other coder has coded this document"));
    press(&mut w, "o");
    assert_eq!((w.show_others, w.status.as_str()), (false, "your stripes only"));
    let d = w.document.clone();
    let by = |coder: &str| Coding::new(&d, Span { start: 25, end: 60 }, "cost", coder, "t").unwrap();
    w.others = vec![by("mk"), by("hp-mk"), by("mk")];
    press(&mut w, "o");
    assert_eq!(w.status, "right of the bar, a column each: 1 hp-mk, 2 mk");
    // A reload keeps the choice.
    let fresh = workbench();
    w.refresh(fresh);
    assert!(w.show_others);
}

#[test]
fn the_codebook_pane_lists_a_code_s_segments_and_goes_to_one() {
    let mut w = workbench();
    w.segments = w.codings.clone();
    let d = w.document.clone();
    let mut elsewhere = Coding::new(&d, Span { start: 66, end: 68 }, "trust", "hp", "t").unwrap();
    elsewhere.document = "int1".into();
    w.segments.push(elsewhere);
    // The codebook: Access, Cost, Trust, bus pass; Trust is the third.
    press(&mut w, "Cjj");
    assert_eq!(w.mode, Mode::Codebook(2));
    key(&mut w, KeyCode::Enter);
    assert_eq!(w.mode, Mode::Segments { entry: 2, chosen: 0 });
    assert_eq!(w.segments_of("trust").count(), 2);
    press(&mut w, "jj");
    assert_eq!(key(&mut w, KeyCode::Enter), Action::Jump { document: "int1".into(), at: 66 });
    // Esc goes back to the codebook, then to the reader.
    press(&mut w, "C");
    key(&mut w, KeyCode::Enter);
    key(&mut w, KeyCode::Esc);
    assert_eq!(w.mode, Mode::Codebook(0));
    key(&mut w, KeyCode::Esc);
    assert_eq!(w.mode, Mode::Read);
}

#[test]
fn x_uncodes_the_one_code_or_asks_which_of_several() {
    let mut w = workbench();
    // T1 (the interviewer) holds only `trust`.
    assert_eq!(press(&mut w, "x"), Action::Uncode { span: Span { start: 3, end: 18 }, code: "trust".into() });
    // T2 holds `cost` and `trust`: the picker offers those two, in codebook order.
    assert_eq!(press(&mut w, "jx"), Action::None);
    let Mode::Pick(picker) = &w.mode else { panic!("the picker is open") };
    assert_eq!(picker.matches, [1, 2]);
    key(&mut w, KeyCode::Down);
    assert_eq!(key(&mut w, KeyCode::Enter), Action::Uncode { span: Span { start: 25, end: 60 }, code: "trust".into() });
    // T3 holds none: nothing to do, and the status says so.
    assert_eq!(press(&mut w, "jx"), Action::None);
    assert_eq!(w.status, "nothing of yours to uncode here (fg1:T3)");
}

#[test]
fn n_and_capital_n_go_to_the_next_and_previous_uncoded_turn() {
    let mut w = workbench();
    // T1 and T2 are coded, T3 is not.
    press(&mut w, "n");
    assert_eq!(w.cursor, 2);
    press(&mut w, "N");
    assert_eq!((w.cursor, w.status.as_str()), (2, "no uncoded turn before this one"));
}

#[test]
fn keys_for_in_vivo_undo_redo_documents_help_and_quit() {
    let mut w = workbench();
    assert_eq!(press(&mut w, "i"), Action::None, "in vivo needs a selection");
    assert_eq!(press(&mut w, "jwvli"), Action::InVivo { span: Span { start: 29, end: 37 } });
    assert_eq!(press(&mut w, "u"), Action::Undo);
    assert_eq!(w.key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)), Action::Redo);
    press(&mut w, "?");
    assert_eq!(w.mode, Mode::Help(0));
    // j and k scroll the help (on a short window); any other key closes it and does nothing else.
    press(&mut w, "jjk");
    assert_eq!(w.mode, Mode::Help(1));
    press(&mut w, "x");
    assert_eq!((&w.mode, w.cursor), (&Mode::Read, 1));
    assert_eq!(press(&mut w, "d"), Action::Documents);
    w.show_documents(vec![
        Row { id: "fg1".into(), title: String::new(), turns: 3, coded: 2, others: vec![] },
        Row { id: "int1".into(), title: String::new(), turns: 2, coded: 0, others: vec![] },
    ]);
    assert_eq!(w.mode, Mode::Documents(0), "the list opens at the open document");
    press(&mut w, "j");
    assert_eq!(key(&mut w, KeyCode::Enter), Action::Open("int1".into()));
    assert_eq!(press(&mut w, "q"), Action::Quit);
}

#[test]
fn the_cursor_stays_inside_the_document() {
    let mut w = workbench();
    press(&mut w, "kkk");
    assert_eq!(w.cursor, 0);
    key(&mut w, KeyCode::PageDown);
    assert_eq!(w.cursor, 2);
    press(&mut w, "wwwwwwwwww");
    assert_eq!(w.word, 5, "T3 has six words");
    let mut empty = workbench();
    empty.document.turns.clear();
    for c in "jktvlhxcnNG".chars() {
        empty.key(KeyEvent::from(KeyCode::Char(c)));
    }
    assert_eq!((empty.cursor, empty.selected()), (0, None));
}

#[test]
fn right_to_left_words_snap_as_stored() {
    // Hebrew "שלום עולם, יפה." stored in logical order (as typed and as the file holds it):
    // "שלום" 0..4, "עולם" 5..9, "יפה" 11..14. The terminal draws it right to left; selection
    // and snapping work on the stored order, so the spans are the words.
    let text = "שלום עולם, יפה.";
    let document = Document {
        meta: DocumentMeta::new("he", "interview"),
        text: text.to_owned(),
        turns: vec![Turn {
            number: 1,
            speaker: None,
            span: Span { start: 0, end: 15 },
            time_start: None,
            time_end: None,
        }],
    };
    let mut w = Workbench::new("hp".into(), document, vec![Voice::default()], vec![], vec![], vec![]);
    assert_eq!(w.turn_words(0), [Span { start: 0, end: 4 }, Span { start: 5, end: 9 }, Span { start: 11, end: 14 }]);
    press(&mut w, "wvl");
    assert_eq!(w.selected(), Some(Span { start: 5, end: 14 }));
    press(&mut w, "s");
    assert_eq!(w.selected(), Some(Span { start: 0, end: 14 }));
}

#[test]
fn every_list_pane_goes_to_its_first_and_last_row_with_g_and_capital_g() {
    let mut w = workbench();
    // The codebook: Access, Cost, Trust, bus pass.
    press(&mut w, "CG");
    assert_eq!(w.mode, Mode::Codebook(3));
    press(&mut w, "kg");
    assert_eq!(w.mode, Mode::Codebook(0));
    key(&mut w, KeyCode::End);
    assert_eq!(w.mode, Mode::Codebook(3));
    key(&mut w, KeyCode::PageUp);
    assert_eq!(w.mode, Mode::Codebook(0));
    key(&mut w, KeyCode::PageDown);
    assert_eq!(w.mode, Mode::Codebook(3), "ten rows down stops at the last");
    key(&mut w, KeyCode::Esc);
    // The document list of three documents.
    let row = |id: &str| Row { id: id.into(), title: String::new(), turns: 1, coded: 0, others: vec![] };
    w.show_documents(vec![row("fg1"), row("int1"), row("int2")]);
    assert_eq!(w.mode, Mode::Documents(0));
    press(&mut w, "G");
    assert_eq!(w.mode, Mode::Documents(2));
    press(&mut w, "g");
    assert_eq!(w.mode, Mode::Documents(0));
}
