//! The workbench's state and what each key does to it: pure, so tests drive it with key events
//! and no terminal. A key that changes the study returns an [`Action`], which
//! [`crate::session`] carries out through the library (as the CLI does) and then reloads.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use thema_core::codebook_change::Change;
use thema_core::{Coding, Document, EntryKind, Span};

use crate::picker::rank;
pub use crate::picker::{Choice, NewEntry, Picker};
use crate::wrap::{sentences, words};

/// Every key, with what it does: the help screen and the README list these.
pub const KEYS: &[(&str, &str)] = &[
    ("j / ↓", "next turn"),
    ("k / ↑", "previous turn"),
    ("w / b", "next / previous word (the word cursor)"),
    (") / (", "next / previous sentence (the word cursor)"),
    ("PgDn PgUp g G", "ten turns down / up, first / last turn"),
    ("n / N", "next / previous turn you have not coded"),
    ("t", "select the turn"),
    ("v", "start a selection at the word cursor"),
    ("s", "select the sentence at the word cursor"),
    ("l / → , h / ←", "extend the selection by a word / take one back"),
    ("L / H", "extend the selection by a sentence / take one back"),
    ("mouse", "click a word to go there, drag to select, wheel moves"),
    ("Esc", "drop the selection, close a pane"),
    ("c / Enter", "code the selection (or the turn): pick or type a code"),
    ("", "  new: `name`, `Parent / name`, `theme: name`"),
    ("i", "code the selection in vivo (its words name the code)"),
    ("x", "uncode the selection (or the turn)"),
    ("u / Ctrl-r", "undo / redo a change (as `thema undo`, `thema redo`)"),
    ("o", "other coders' stripes beside yours (numbered), or not"),
    ("m / M", "a memo on the turn / on the document (Enter saves it)"),
    ("/", "search (as `thema search`); words with = filter:"),
    ("", "  `wave=2` `speaker=P03` `code=hope`; Enter goes to a hit"),
    ("d", "documents, with the turns you and the others have coded"),
    ("C", "the codebook with your counts; Enter lists a code's segments"),
    ("", "  in it: `a` add an entry, `r` rename, `p` put under another"),
    ("", "  entry (empty: the top), `K` another kind, `m` memo on it"),
    ("", "  every list: j k, PgDn PgUp (ten rows), g G (first, last)"),
    ("? / q", "this help / quit"),
];

/// A turn's speaker, as the reader shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Voice {
    /// `Simon (Peer Mentor)`, `Interviewer`, or the transcript's label.
    pub name: String,
    /// The interviewer or moderator.
    pub interviewer: bool,
}

/// A document in the document list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Document id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its turns.
    pub turns: usize,
    /// Turns with at least one of the coder's codings.
    pub coded: usize,
    /// The other coders (derived sets too) who coded in it, each with the turns they coded.
    pub others: Vec<(String, usize)>,
}

/// What is selected: words `anchor` and `head` of a turn (either order), or the whole turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// Index of the turn in the document.
    pub turn: usize,
    /// Where the selection started, as an index into the turn's words; `None` for the whole turn.
    pub anchor: Option<usize>,
    /// The word it extends to.
    pub head: usize,
}

/// What the screen shows over the reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Reading and selecting.
    Read,
    /// Picking a code to apply ([`Picker::only`] `None`) or to remove.
    Pick(Picker),
    /// The key list, scrolled down this many rows (on a short window).
    Help(usize),
    /// The document list, with the highlighted row.
    Documents(usize),
    /// Writing a memo.
    Memo(Draft),
    /// Changing a codebook entry from the codebook pane: what is typed so far.
    Edit {
        /// Index in [`Workbench::codebook`] of the entry (the highlighted row, for [`Edit::Add`]).
        entry: usize,
        /// The change.
        edit: Edit,
        /// What has been typed.
        text: String,
    },
    /// The codebook, with the highlighted entry.
    Codebook(usize),
    /// The coder's segments with an entry: its index in [`Workbench::codebook`], the highlighted row.
    Segments {
        /// Index of the entry in the codebook.
        entry: usize,
        /// The highlighted segment.
        chosen: usize,
    },
    /// Typing a search: the query so far.
    Query(String),
    /// The turns a search found, with the highlighted row.
    Hits {
        /// The query.
        query: String,
        /// What it found, best first.
        hits: Vec<Found>,
        /// The highlighted row.
        chosen: usize,
    },
}

/// A memo being written: where it goes and its text so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    /// Where it is attached, as `thema memo add --on` takes it: `turn:fg1:T2`, `document:fg1`,
    /// `code:hope`.
    pub on: String,
    /// The text so far.
    pub text: String,
}

/// A change to a codebook entry typed in the codebook pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// A new entry, typed as in the picker: `[KIND:] [PARENT /] NAME`.
    Add,
    /// A new name for the entry.
    Rename,
    /// The entry under another (typed by name or id), or to the top level (nothing typed).
    Move,
    /// Another kind for the entry (`code`, `category`, `sub-theme`, `theme`).
    Kind,
}

/// A text line of the reader as drawn, so a mouse position can be turned into a place in the
/// text: the turn, the screen row and column where its text starts, and the column (from there)
/// and document code point of each grapheme on it. A turn's header line has no graphemes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScreenLine {
    /// Screen row.
    pub y: u16,
    /// Index of the turn.
    pub turn: usize,
    /// Screen column where the text starts.
    pub x: u16,
    /// Each grapheme: its column from `x`, and the code point of the document it starts at.
    pub cells: Vec<(u16, usize)>,
}

/// A turn a search found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Document id.
    pub document: String,
    /// Turn number.
    pub number: u32,
    /// Where the turn starts in the document, in code points.
    pub start: usize,
    /// The turn's text on one line.
    pub text: String,
}

/// A change to the study or the session, asked for by a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Nothing beyond the state.
    None,
    /// Leave the workbench.
    Quit,
    /// Code `span` of the document with the entry `code`.
    Code {
        /// Code points of the document.
        span: Span,
        /// Entry id.
        code: String,
    },
    /// Add an entry to the codebook and code `span` with it.
    NewCode {
        /// Code points of the document.
        span: Span,
        /// The entry, as typed in the picker.
        entry: NewEntry,
    },
    /// Code `span` in vivo.
    InVivo {
        /// Code points of the document.
        span: Span,
    },
    /// Remove the coder's codings with `code` from `span`.
    Uncode {
        /// Code points of the document.
        span: Span,
        /// Entry id.
        code: String,
    },
    /// Write a memo.
    Memo {
        /// Where it is attached (`turn:fg1:T2`, `document:fg1`, `code:hope`).
        on: String,
        /// The memo's text.
        text: String,
    },
    /// Change the codebook (add, rename, move an entry), as `thema codebook` does.
    Change(Change),
    /// Search the study.
    Search(String),
    /// Go to a place in a document.
    Jump {
        /// Document id.
        document: String,
        /// A code point in it: the cursor goes to the turn that holds it.
        at: usize,
    },
    /// `thema undo`.
    Undo,
    /// `thema redo`.
    Redo,
    /// Open another document.
    Open(String),
    /// List the documents (read from the study when asked for).
    Documents,
}

/// The workbench: one document open for one coder, the codebook, and where the researcher is.
#[derive(Clone, Debug)]
pub struct Workbench {
    /// Who is coding.
    pub coder: String,
    /// The open document.
    pub document: Document,
    /// The speaker of each turn, in turn order.
    pub voices: Vec<Voice>,
    /// The coder's codings in this document.
    pub codings: Vec<Coding>,
    /// The codebook, in tree order.
    pub codebook: Vec<Choice>,
    /// Every document of the study, as last listed (read when the list is opened).
    pub documents: Vec<Row>,
    /// Index of the turn at the cursor.
    pub cursor: usize,
    /// Index of the word at the cursor, in the cursor's turn.
    pub word: usize,
    /// The selection, if any.
    pub selection: Option<Selection>,
    /// The pane over the reader.
    pub mode: Mode,
    /// The last message (what an action did, or why it failed).
    pub status: String,
    /// The first turn on screen (the renderer keeps the cursor in view).
    pub top: usize,
    /// Each turn's text, cut from the document once: a frame reads a few turns, and finding a
    /// turn in a long document's text by code points is a pass over the text.
    texts: Vec<String>,
    /// Whether each turn holds one of the coder's codings, worked out once for the frames.
    coded: Vec<bool>,
    /// Whether each turn has a memo (anyone's).
    pub memos: Vec<bool>,
    /// The other coders' codings in this document (derived sets too), shown on request.
    pub others: Vec<Coding>,
    /// Whether the other coders' stripes are shown beside the coder's.
    pub show_others: bool,
    /// The coder's codings in the whole study, for the segments of a code.
    pub segments: Vec<Coding>,
    /// The reader's text lines as last drawn, for the mouse (the renderer fills it).
    pub screen: Vec<ScreenLine>,
    /// Where a mouse drag started: the turn and word, and whether it has moved since.
    drag: Option<(usize, usize, bool)>,
}

impl Workbench {
    /// A workbench at the first turn of `document`.
    pub fn new(
        coder: String,
        document: Document,
        voices: Vec<Voice>,
        codings: Vec<Coding>,
        codebook: Vec<Choice>,
        documents: Vec<Row>,
    ) -> Workbench {
        let index = thema_core::TextIndex::new(&document.text);
        let texts = document
            .turns
            .iter()
            .map(|t| index.byte_range(t.span).map_or(String::new(), |r| document.text[r].to_owned()))
            .collect();
        let coded = coded_turns(&document.turns, codings.iter().map(Coding::span));
        Workbench {
            screen: Vec::new(),
            drag: None,
            others: Vec::new(),
            show_others: false,
            segments: Vec::new(),
            memos: Vec::new(),
            texts,
            coded,
            coder,
            document,
            voices,
            codings,
            codebook,
            documents,
            cursor: 0,
            word: 0,
            selection: None,
            mode: Mode::Read,
            status: "? shows the keys".to_owned(),
            top: 0,
        }
    }

    /// Take in what was reloaded from the study (after an action, or a change by another
    /// process), keeping the place: the same document keeps the cursor where it can.
    pub fn refresh(&mut self, fresh: Workbench) {
        let same = fresh.document.meta.id == self.document.meta.id;
        let same_text = same && fresh.document.text == self.document.text;
        let (cursor, word, top, selection, show_others) =
            (self.cursor, self.word, self.top, self.selection, self.show_others);
        let status = std::mem::take(&mut self.status);
        let mode = std::mem::replace(&mut self.mode, Mode::Read);
        *self = fresh;
        self.status = status;
        self.mode = self.kept(mode);
        self.show_others = show_others;
        if same {
            self.cursor = cursor.min(self.document.turns.len().saturating_sub(1));
            self.top = top.min(self.cursor);
            self.word = word;
        }
        if same_text {
            self.selection = selection;
        }
    }

    /// A pane open before a reload, still pointing inside what was reloaded: a memo or a name
    /// being typed is never lost to a change made by another process.
    fn kept(&self, mode: Mode) -> Mode {
        let entries = self.codebook.len().saturating_sub(1);
        match mode {
            Mode::Codebook(i) => Mode::Codebook(i.min(entries)),
            Mode::Segments { entry, .. } if entry > entries => Mode::Codebook(entries),
            Mode::Edit { entry, edit, text } => Mode::Edit { entry: entry.min(entries), edit, text },
            Mode::Documents(row) => Mode::Documents(row.min(self.documents.len().saturating_sub(1))),
            Mode::Pick(p) => Mode::Pick(self.picker(p.filter, p.only)),
            mode => mode,
        }
    }

    /// The text of turn `index`, with the code point where it starts in the document.
    pub fn turn_text(&self, index: usize) -> (usize, &str) {
        match (self.document.turns.get(index), self.texts.get(index)) {
            (Some(turn), Some(text)) => (turn.span.start, text),
            _ => (0, ""),
        }
    }

    /// The words of turn `index`, as code point ranges of the document.
    pub fn turn_words(&self, index: usize) -> Vec<Span> {
        let (offset, text) = self.turn_text(index);
        words(text).into_iter().map(|(a, b)| Span { start: offset + a, end: offset + b }).collect()
    }

    /// The span selected, snapped to whole words; `None` without a selection.
    pub fn selected(&self) -> Option<Span> {
        let s = self.selection?;
        let Some(anchor) = s.anchor else { return self.document.turns.get(s.turn).map(|t| t.span) };
        let words = self.turn_words(s.turn);
        let (a, b) = (anchor.min(s.head), anchor.max(s.head));
        Some(Span { start: words.get(a)?.start, end: words.get(b)?.end })
    }

    /// What an action works on: the selection, else the cursor's turn.
    fn target(&self) -> Option<Span> {
        self.selected().or_else(|| self.document.turns.get(self.cursor).map(|t| t.span))
    }

    /// Whether turn `index` holds one of the coder's codings.
    pub fn is_coded(&self, index: usize) -> bool {
        self.coded.get(index).copied().unwrap_or(false)
    }

    /// How many turns hold one of the coder's codings.
    pub fn coded_turns(&self) -> usize {
        self.coded.iter().filter(|&&c| c).count()
    }

    /// The codebook entries of the coder's codings that overlap `span`, in codebook order.
    pub fn codes_in(&self, span: Span) -> Vec<&Choice> {
        let here: std::collections::BTreeSet<&str> =
            self.codings.iter().filter(|c| c.span().overlaps(span)).map(|c| c.code.as_str()).collect();
        self.codebook.iter().filter(|e| here.contains(e.id.as_str())).collect()
    }

    /// Carry out a key: change the state, and say what the study or the session should do.
    pub fn key(&mut self, key: KeyEvent) -> Action {
        match std::mem::replace(&mut self.mode, Mode::Read) {
            Mode::Read => self.read_key(key),
            Mode::Help(scrolled) => self.help_key(scrolled, key),
            Mode::Documents(row) => self.documents_key(row, key),
            Mode::Pick(picker) => self.pick_key(picker, key),
            Mode::Memo(draft) => self.memo_key(draft, key),
            Mode::Edit { entry, edit, text } => self.edit_key(entry, edit, text, key),
            Mode::Query(query) => self.query_key(query, key),
            Mode::Hits { query, hits, chosen } => self.hits_key(query, hits, chosen, key),
            Mode::Codebook(chosen) => self.codebook_key(chosen, key),
            Mode::Segments { entry, chosen } => self.segments_key(entry, chosen, key),
        }
    }

    fn read_key(&mut self, key: KeyEvent) -> Action {
        let turns = self.document.turns.len();
        let last = turns.saturating_sub(1);
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return match key.code {
                KeyCode::Char('r') => Action::Redo,
                KeyCode::Char('c') => Action::Quit,
                _ => Action::None,
            };
        }
        match key.code {
            KeyCode::Char('q') => return Action::Quit,
            KeyCode::Char('j') | KeyCode::Down => self.go(self.cursor + 1),
            KeyCode::Char('k') | KeyCode::Up => self.go(self.cursor.saturating_sub(1)),
            KeyCode::PageDown => self.go(self.cursor + 10),
            KeyCode::PageUp => self.go(self.cursor.saturating_sub(10)),
            KeyCode::Char('g') | KeyCode::Home => self.go(0),
            KeyCode::Char('G') | KeyCode::End => self.go(last),
            KeyCode::Char('n') => self.next_uncoded(true),
            KeyCode::Char('N') => self.next_uncoded(false),
            KeyCode::Char('w') => self.word = (self.word + 1).min(self.turn_words(self.cursor).len().saturating_sub(1)),
            KeyCode::Char('b') => self.word = self.word.saturating_sub(1),
            KeyCode::Char('t') if turns > 0 => {
                self.selection = Some(Selection { turn: self.cursor, anchor: None, head: 0 });
            }
            KeyCode::Char('v') if !self.turn_words(self.cursor).is_empty() => {
                self.selection = Some(Selection { turn: self.cursor, anchor: Some(self.word), head: self.word });
            }
            KeyCode::Char('l') | KeyCode::Right => self.extend(1),
            KeyCode::Char('h') | KeyCode::Left => self.extend(-1),
            KeyCode::Esc => self.selection = None,
            KeyCode::Char('c') | KeyCode::Enter if turns > 0 => {
                self.mode = Mode::Pick(self.picker(String::new(), None))
            }
            KeyCode::Char('i') => match self.selected() {
                Some(span) => return Action::InVivo { span },
                None => self.status = "select the words first: `v` and `l`, or `t` for the turn".to_owned(),
            },
            KeyCode::Char('x') => return self.uncode(),
            KeyCode::Char('u') => return Action::Undo,
            KeyCode::Char('d') => return Action::Documents,
            KeyCode::Char('?') => self.mode = Mode::Help(0),
            KeyCode::Char('m') if turns > 0 => {
                let turn = self.document.turns[self.cursor.min(last)].number;
                let on = format!("turn:{}", self.document.turn_id(turn));
                self.mode = Mode::Memo(Draft { on, text: String::new() });
            }
            KeyCode::Char('M') => {
                let on = format!("document:{}", self.document.meta.id);
                self.mode = Mode::Memo(Draft { on, text: String::new() });
            }
            KeyCode::Char(')') => self.next_sentence(),
            KeyCode::Char('(') => self.previous_sentence(),
            KeyCode::Char('s') => self.select_sentence(),
            KeyCode::Char('L') => self.extend_by_sentence(true),
            KeyCode::Char('H') => self.extend_by_sentence(false),
            KeyCode::Char('/') => self.mode = Mode::Query(String::new()),
            KeyCode::Char('C') => self.mode = Mode::Codebook(0),
            KeyCode::Char('o') => {
                self.show_others = !self.show_others;
                let coders: std::collections::BTreeSet<&str> = self.others.iter().map(|c| c.coder.as_str()).collect();
                self.status = match (self.show_others, coders.is_empty()) {
                    (false, _) => "your stripes only".to_owned(),
                    (true, true) => "no other coder has coded this document".to_owned(),
                    (true, false) => {
                        let numbered: Vec<String> =
                            coders.into_iter().enumerate().map(|(i, c)| format!("{} {c}", i + 1)).collect();
                        format!("right of the bar, a column each: {}", numbered.join(", "))
                    }
                };
            }
            _ => {}
        }
        Action::None
    }

    /// Move the cursor to turn `to` (clamped), dropping a selection in another turn.
    fn go(&mut self, to: usize) {
        let to = to.min(self.document.turns.len().saturating_sub(1));
        if to != self.cursor {
            self.word = 0;
            if self.selection.is_some_and(|s| s.turn != to) {
                self.selection = None;
            }
        }
        self.cursor = to;
    }

    /// Extend the selection by `by` words (a whole-turn selection becomes its first word).
    fn extend(&mut self, by: isize) {
        let count = self.turn_words(self.cursor).len();
        let Some(s) = self.selection.as_mut() else {
            self.status = "`v` starts a selection at the word cursor, `t` selects the turn".to_owned();
            return;
        };
        if s.anchor.is_none() {
            (s.anchor, s.head) = (Some(0), 0);
        }
        s.head = s.head.saturating_add_signed(by).min(count.saturating_sub(1));
        self.word = s.head;
    }

    /// The sentences of turn `index`, each as the indexes of its first and last word (sentences
    /// without a word, a lone "…" say, are left out).
    pub fn turn_sentences(&self, index: usize) -> Vec<(usize, usize)> {
        let words = self.turn_words(index);
        let offset = self.turn_text(index).0;
        let mut out = Vec::new();
        let mut first = 0;
        for (_, end) in sentences(self.turn_text(index).1) {
            let last = words[first..].partition_point(|w| w.end <= offset + end) + first;
            if last > first {
                out.push((first, last - 1));
            }
            first = last;
        }
        out
    }

    /// The sentence (first and last word) that holds word `word` of turn `index`.
    fn sentence_of(&self, index: usize, word: usize) -> Option<(usize, usize)> {
        let all = self.turn_sentences(index);
        all.iter().copied().find(|&(_, last)| word <= last).or_else(|| all.last().copied())
    }

    /// `)`: the word cursor to the first word of the next sentence, in the next turn after the last.
    fn next_sentence(&mut self) {
        let all = self.turn_sentences(self.cursor);
        match all.iter().find(|&&(first, _)| first > self.word) {
            Some(&(first, _)) => self.word = first,
            None if self.cursor + 1 < self.document.turns.len() => self.go(self.cursor + 1),
            None => self.status = "the last sentence of the document".to_owned(),
        }
    }

    /// `(`: the word cursor to the start of its sentence, or of the one before when already
    /// there (the last sentence of the turn before, from the first).
    fn previous_sentence(&mut self) {
        let all = self.turn_sentences(self.cursor);
        match all.iter().rev().find(|&&(first, _)| first < self.word) {
            Some(&(first, _)) => self.word = first,
            None if self.cursor > 0 => {
                self.go(self.cursor - 1);
                self.word = self.turn_sentences(self.cursor).last().map_or(0, |&(first, _)| first);
            }
            None => self.status = "the first sentence of the document".to_owned(),
        }
    }

    /// `s`: select the sentence at the word cursor.
    fn select_sentence(&mut self) {
        match self.sentence_of(self.cursor, self.word) {
            Some((first, last)) => {
                self.selection = Some(Selection { turn: self.cursor, anchor: Some(first), head: last });
                self.word = last;
            }
            None => self.status = "this turn has no words to select".to_owned(),
        }
    }

    /// `L` and `H`: move the selection's head to the end of the next sentence, or back to the
    /// end of the sentence before its own (no further back than the first word).
    fn extend_by_sentence(&mut self, forward: bool) {
        let all = self.turn_sentences(self.cursor);
        let Some(s) = self.selection.as_mut() else {
            self.status = "`s` selects a sentence, `v` starts a selection, `t` selects the turn".to_owned();
            return;
        };
        if s.anchor.is_none() {
            (s.anchor, s.head) = (Some(0), 0);
        }
        let head = s.head;
        s.head = if forward {
            // The end of the sentence holding the word after the head.
            all.iter().find(|&&(_, last)| last > head).map_or(head, |&(_, last)| last)
        } else {
            all.iter().rev().find(|&&(_, last)| last < head).map_or(0, |&(_, last)| last)
        };
        self.word = s.head;
    }

    /// A mouse event over the reader: a click puts the cursor on the word under it, a drag
    /// selects the words from where it started (within that turn), the wheel moves by turns.
    /// Panes ignore the mouse.
    pub fn mouse(&mut self, event: MouseEvent) -> Action {
        if self.mode != Mode::Read {
            return Action::None;
        }
        match event.kind {
            MouseEventKind::ScrollDown => self.go(self.cursor + 1),
            MouseEventKind::ScrollUp => self.go(self.cursor.saturating_sub(1)),
            MouseEventKind::Down(MouseButton::Left) => {
                self.drag = None;
                if let Some((turn, word)) = self.word_at(event.column, event.row) {
                    self.go(turn);
                    self.word = word;
                    self.selection = None;
                    self.drag = Some((turn, word, false));
                }
            }
            MouseEventKind::Drag(MouseButton::Left) => {
                let Some((turn, anchor, _)) = self.drag else { return Action::None };
                let head = match self.word_at(event.column, event.row) {
                    Some((t, word)) if t == turn => word,
                    // Past the turn's end or before its start: its last or first word.
                    Some((t, _)) if t > turn => self.turn_words(turn).len().saturating_sub(1),
                    Some(_) => 0,
                    None => return Action::None,
                };
                self.drag = Some((turn, anchor, true));
                self.selection = Some(Selection { turn, anchor: Some(anchor), head });
                self.word = head;
            }
            MouseEventKind::Up(MouseButton::Left) => self.drag = None,
            _ => {}
        }
        Action::None
    }

    /// The turn and word at a screen position, from the lines last drawn: the word under it, or
    /// the nearest before it on the line (the first word of the turn on its header line).
    pub fn word_at(&self, column: u16, row: u16) -> Option<(usize, usize)> {
        let line = self.screen.iter().find(|l| l.y == row)?;
        let words = self.turn_words(line.turn);
        let at = match line.cells.iter().take_while(|&&(x, _)| line.x + x <= column).last() {
            Some(&(_, at)) => at,
            None => return Some((line.turn, 0)),
        };
        // The last word that starts at or before the point (the first word, before any).
        let word = words.partition_point(|w| w.start <= at).saturating_sub(1);
        Some((line.turn, word))
    }

    fn next_uncoded(&mut self, forward: bool) {
        let turns = self.document.turns.len();
        let found = if forward {
            (self.cursor + 1..turns).find(|&i| !self.is_coded(i))
        } else {
            (0..self.cursor).rev().find(|&i| !self.is_coded(i))
        };
        match found {
            Some(i) => self.go(i),
            None => self.status = format!("no uncoded turn {} this one", if forward { "after" } else { "before" }),
        }
    }

    fn uncode(&mut self) -> Action {
        let Some(span) = self.target() else { return Action::None };
        let codes: Vec<String> = self.codes_in(span).iter().map(|c| c.id.clone()).collect();
        match codes.as_slice() {
            [] => {
                self.status = format!("nothing of yours to uncode here ({})", self.place(span));
                Action::None
            }
            [one] => Action::Uncode { span, code: one.clone() },
            _ => {
                self.mode = Mode::Pick(self.picker(String::new(), Some(codes)));
                Action::None
            }
        }
    }

    /// `fg1:T3`, where a span starts.
    pub fn place(&self, span: Span) -> String {
        thema_core::passage::turn_at(&self.document, span.start)
    }

    fn picker(&self, filter: String, only: Option<Vec<String>>) -> Picker {
        let offered = |c: &Choice| only.as_ref().is_none_or(|ids| ids.contains(&c.id));
        let matches = rank(&self.codebook, &filter, offered);
        Picker { filter, chosen: 0, matches, only }
    }

    fn pick_key(&mut self, mut picker: Picker, key: KeyEvent) -> Action {
        match key.code {
            KeyCode::Esc => return Action::None,
            KeyCode::Enter => {
                let Some(span) = self.target() else { return Action::None };
                if picker.offers_new() && picker.chosen == picker.matches.len() {
                    return Action::NewCode { span, entry: NewEntry::parse(&picker.filter) };
                }
                let Some(&at) = picker.matches.get(picker.chosen) else {
                    self.status = format!("no code matches “{}”", picker.filter);
                    self.mode = Mode::Pick(picker);
                    return Action::None;
                };
                let code = self.codebook[at].id.clone();
                return if picker.only.is_some() { Action::Uncode { span, code } } else { Action::Code { span, code } };
            }
            KeyCode::Down | KeyCode::Tab => picker.chosen = (picker.chosen + 1).min(picker.rows().saturating_sub(1)),
            KeyCode::Up | KeyCode::BackTab => picker.chosen = picker.chosen.saturating_sub(1),
            _ => {
                if edit(&mut picker.filter, key) {
                    picker = self.picker(picker.filter, picker.only);
                }
            }
        }
        self.mode = Mode::Pick(picker);
        Action::None
    }

    fn memo_key(&mut self, mut draft: Draft, key: KeyEvent) -> Action {
        match key.code {
            KeyCode::Esc => return Action::None,
            KeyCode::Enter if draft.text.trim().is_empty() => {
                self.status = "the memo is empty; nothing written".to_owned();
                return Action::None;
            }
            KeyCode::Enter => return Action::Memo { on: draft.on, text: draft.text },
            _ => {
                edit(&mut draft.text, key);
            }
        }
        self.mode = Mode::Memo(draft);
        Action::None
    }

    fn help_key(&mut self, scrolled: usize, key: KeyEvent) -> Action {
        // j, k and the arrows scroll a help taller than the window; any other key closes it.
        let scrolled = match key.code {
            KeyCode::Char('j') | KeyCode::Down | KeyCode::PageDown => (scrolled + 1).min(KEYS.len().saturating_sub(1)),
            KeyCode::Char('k') | KeyCode::Up | KeyCode::PageUp => scrolled.saturating_sub(1),
            _ => return Action::None,
        };
        self.mode = Mode::Help(scrolled);
        Action::None
    }

    fn edit_key(&mut self, entry: usize, edit_kind: Edit, mut text: String, key: KeyEvent) -> Action {
        match key.code {
            KeyCode::Esc => {
                self.mode = Mode::Codebook(entry);
                return Action::None;
            }
            KeyCode::Enter => {
                let id = self.codebook.get(entry).map(|c| c.id.clone());
                let typed = text.trim().to_owned();
                let change = match (edit_kind, id) {
                    (Edit::Add, _) => {
                        let new = NewEntry::parse(&typed);
                        if new.name.is_empty() {
                            self.status = "type a name: `name`, `Parent / name` or `theme: name`".to_owned();
                            self.mode = Mode::Edit { entry, edit: edit_kind, text };
                            return Action::None;
                        }
                        Change::Add {
                            name: new.name,
                            kind: new.kind,
                            parent: new.parent,
                            id: None,
                            in_vivo: false,
                            description: Default::default(),
                        }
                    }
                    (Edit::Rename, Some(entry)) if !typed.is_empty() => Change::Rename { entry, name: typed },
                    (Edit::Move, Some(entry)) => {
                        Change::MoveTo { entry, parent: if typed.is_empty() { None } else { Some(typed) } }
                    }
                    (Edit::Kind, Some(id)) => match EntryKind::from_name(&typed) {
                        Some(kind) => Change::Describe { entry: id, description: Default::default(), kind: Some(kind) },
                        None => {
                            self.status = "type code, category, sub-theme or theme".to_owned();
                            self.mode = Mode::Edit { entry, edit: edit_kind, text };
                            return Action::None;
                        }
                    },
                    _ => {
                        self.status = "type the new name".to_owned();
                        self.mode = Mode::Edit { entry, edit: edit_kind, text };
                        return Action::None;
                    }
                };
                self.mode = Mode::Codebook(entry);
                return Action::Change(change);
            }
            _ => {
                edit(&mut text, key);
            }
        }
        self.mode = Mode::Edit { entry, edit: edit_kind, text };
        Action::None
    }

    fn query_key(&mut self, mut query: String, key: KeyEvent) -> Action {
        match key.code {
            KeyCode::Esc => return Action::None,
            KeyCode::Enter if !query.trim().is_empty() => return Action::Search(query),
            _ => {
                edit(&mut query, key);
            }
        }
        self.mode = Mode::Query(query);
        Action::None
    }

    fn hits_key(&mut self, query: String, hits: Vec<Found>, chosen: usize, key: KeyEvent) -> Action {
        let chosen = match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return Action::None,
            KeyCode::Char('/') => {
                self.mode = Mode::Query(query);
                return Action::None;
            }
            KeyCode::Enter => {
                return hits
                    .get(chosen)
                    .map_or(Action::None, |h| Action::Jump { document: h.document.clone(), at: h.start })
            }
            _ => list_move(key.code, chosen, hits.len()),
        };
        self.mode = Mode::Hits { query, hits, chosen };
        Action::None
    }

    /// Open the document list on `rows`, at the open document.
    pub fn show_documents(&mut self, rows: Vec<Row>) {
        let here = rows.iter().position(|r| r.id == self.document.meta.id).unwrap_or(0);
        self.documents = rows;
        self.mode = Mode::Documents(here);
    }

    /// Show what a search found.
    pub fn show_hits(&mut self, query: String, hits: Vec<Found>) {
        self.mode = Mode::Hits { query, hits, chosen: 0 };
    }

    /// Put the cursor on the turn that holds code point `at` (the last turn when past it).
    pub fn jump_to(&mut self, at: usize) {
        self.go(self.document.turns.partition_point(|t| t.span.end <= at));
    }

    /// The coder's codings with entry `id`, in any document, in file order.
    pub fn segments_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Coding> + 'a {
        self.segments.iter().filter(move |c| c.code == id)
    }

    fn codebook_key(&mut self, chosen: usize, key: KeyEvent) -> Action {
        let chosen = match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('C') => return Action::None,
            KeyCode::Enter if chosen < self.codebook.len() => {
                self.mode = Mode::Segments { entry: chosen, chosen: 0 };
                return Action::None;
            }
            KeyCode::Char('a') => {
                self.mode = Mode::Edit { entry: chosen, edit: Edit::Add, text: String::new() };
                return Action::None;
            }
            KeyCode::Char('r') if chosen < self.codebook.len() => {
                let text = self.codebook[chosen].name.clone();
                self.mode = Mode::Edit { entry: chosen, edit: Edit::Rename, text };
                return Action::None;
            }
            KeyCode::Char('p') if chosen < self.codebook.len() => {
                self.mode = Mode::Edit { entry: chosen, edit: Edit::Move, text: String::new() };
                return Action::None;
            }
            KeyCode::Char('K') if chosen < self.codebook.len() => {
                let text = self.codebook[chosen].kind.name().to_owned();
                self.mode = Mode::Edit { entry: chosen, edit: Edit::Kind, text };
                return Action::None;
            }
            KeyCode::Char('m') if chosen < self.codebook.len() => {
                let on = format!("code:{}", self.codebook[chosen].id);
                self.mode = Mode::Memo(Draft { on, text: String::new() });
                return Action::None;
            }
            _ => list_move(key.code, chosen, self.codebook.len()),
        };
        self.mode = Mode::Codebook(chosen);
        Action::None
    }

    fn segments_key(&mut self, entry: usize, chosen: usize, key: KeyEvent) -> Action {
        let id = self.codebook.get(entry).map_or(String::new(), |c| c.id.clone());
        let count = self.segments_of(&id).count();
        let chosen = match key.code {
            KeyCode::Esc => {
                self.mode = Mode::Codebook(entry);
                return Action::None;
            }
            KeyCode::Enter => {
                return self
                    .segments_of(&id)
                    .nth(chosen)
                    .map_or(Action::None, |c| Action::Jump { document: c.document.clone(), at: c.start })
            }
            _ => list_move(key.code, chosen, count),
        };
        self.mode = Mode::Segments { entry, chosen };
        Action::None
    }

    fn documents_key(&mut self, row: usize, key: KeyEvent) -> Action {
        let row = match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('d') => return Action::None,
            KeyCode::Enter => return self.documents.get(row).map_or(Action::None, |r| Action::Open(r.id.clone())),
            _ => list_move(key.code, row, self.documents.len()),
        };
        self.mode = Mode::Documents(row);
        Action::None
    }
}

/// Type into a line of text: a character is added, Backspace takes the last back. Whether the
/// text changed.
fn edit(text: &mut String, key: KeyEvent) -> bool {
    match key.code {
        KeyCode::Backspace => text.pop().is_some(),
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            text.push(c);
            true
        }
        _ => false,
    }
}

/// Whether each of `turns` (in order) overlaps one of `spans`: each span marks the turns it
/// overlaps, from the first that ends after its start (a binary search), so a document's
/// codings cost a search each, not a pass over its turns.
pub fn coded_turns(turns: &[thema_core::Turn], spans: impl IntoIterator<Item = Span>) -> Vec<bool> {
    let mut coded = vec![false; turns.len()];
    for span in spans {
        let first = turns.partition_point(|t| t.span.end <= span.start);
        for (i, t) in turns.iter().enumerate().skip(first) {
            if t.span.start >= span.end {
                break;
            }
            coded[i] |= span.overlaps(t.span);
        }
    }
    coded
}

#[cfg(test)]
mod tests;

/// The row a list pane moves to on `key`, from `row` in a list of `len`: `j`/`k` and the arrows
/// one row, Page Down/Up ten, `g`/Home the first, `G`/End the last.
fn list_move(key: KeyCode, row: usize, len: usize) -> usize {
    let last = len.saturating_sub(1);
    match key {
        KeyCode::Char('j') | KeyCode::Down => (row + 1).min(last),
        KeyCode::Char('k') | KeyCode::Up => row.saturating_sub(1),
        KeyCode::PageDown => (row + 10).min(last),
        KeyCode::PageUp => row.saturating_sub(10),
        KeyCode::Char('g') | KeyCode::Home => 0,
        KeyCode::Char('G') | KeyCode::End => last,
        _ => row,
    }
}
