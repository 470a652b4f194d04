//! The workbench's state and what each key does to it: pure, so tests drive it with key events
//! and no terminal. A key that changes the study returns an [`Action`], which
//! [`crate::session`] carries out through the library (as the CLI does) and then reloads.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use thema_core::{Coding, Document, EntryKind, Span};

use crate::wrap::words;

/// Every key, with what it does: the help screen and the README list these.
pub const KEYS: &[(&str, &str)] = &[
    ("j / ↓", "next turn"),
    ("k / ↑", "previous turn"),
    ("w / b", "next / previous word (the word cursor)"),
    ("PgDn PgUp g G", "ten turns down / up, first / last turn"),
    ("n / N", "next / previous turn you have not coded"),
    ("t", "select the turn"),
    ("v", "start a selection at the word cursor"),
    ("l / → , h / ←", "extend the selection by a word / take one back"),
    ("Esc", "drop the selection, close a pane"),
    ("c / Enter", "code the selection (or the turn): pick or type a code"),
    ("", "  new: `name`, `Parent / name`, `theme: name`"),
    ("i", "code the selection in vivo (its words name the code)"),
    ("x", "uncode the selection (or the turn)"),
    ("u / Ctrl-r", "undo / redo a change (as `thema undo`, `thema redo`)"),
    ("o", "other coders' stripes beside yours, or not"),
    ("m", "write a memo on the turn (Enter saves it)"),
    ("/", "search (as `thema search`); Enter goes to a hit"),
    ("d", "documents, with the turns you have coded"),
    ("C", "the codebook with your counts; Enter lists a code's segments"),
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

/// A codebook entry in the picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Entry id.
    pub id: String,
    /// Entry name.
    pub name: String,
    /// Names from the top of the tree down to this entry, joined by ` / `.
    pub path: String,
    /// How deep in the tree (0 at the top).
    pub depth: usize,
    /// Code, category, sub-theme or theme.
    pub kind: EntryKind,
    /// The coder's codings with it, in the whole study.
    pub count: usize,
    /// Its colour, `#rrggbb`, if the codebook gives one.
    pub colour: Option<String>,
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

/// The picker's list, filtered as the researcher types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Picker {
    /// What has been typed.
    pub filter: String,
    /// Index into [`Picker::matches`] of the highlighted entry; one past the last is the new
    /// code named by the filter (see [`Picker::offers_new`]).
    pub chosen: usize,
    /// Indexes into [`Workbench::codebook`] of the entries that match, best first.
    pub matches: Vec<usize>,
    /// Only these entry ids are offered (uncoding, where the selection holds several codes).
    pub only: Option<Vec<String>>,
}

impl Picker {
    /// Whether the last row makes a new entry of what was typed (when coding, not uncoding).
    pub fn offers_new(&self) -> bool {
        self.only.is_none() && !NewEntry::parse(&self.filter).name.is_empty()
    }

    /// Rows: the matches, and the new code if offered.
    pub fn rows(&self) -> usize {
        self.matches.len() + usize::from(self.offers_new())
    }
}

/// A new codebook entry as typed in the picker: `[KIND:] [PARENT /] NAME`, so `theme: Offering
/// hope` makes a theme and `Offering hope / fresh start` a code under the entry "Offering hope".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    /// Code unless a kind (`theme:`, `sub-theme:`, `category:`, `code:`) leads the text.
    pub kind: EntryKind,
    /// The parent's id or name, as typed.
    pub parent: Option<String>,
    /// The entry's name.
    pub name: String,
}

impl NewEntry {
    /// Read what was typed.
    pub fn parse(typed: &str) -> NewEntry {
        let (kind, rest) = match typed.split_once(':') {
            Some((kind, rest)) => match EntryKind::from_name(kind.trim()) {
                Some(kind) => (kind, rest),
                None => (EntryKind::Code, typed),
            },
            None => (EntryKind::Code, typed),
        };
        let (parent, name) = match rest.rsplit_once('/') {
            Some((parent, name)) if !parent.trim().is_empty() => (Some(parent.trim().to_owned()), name),
            _ => (None, rest),
        };
        NewEntry { kind, parent, name: name.trim().to_owned() }
    }

    /// `new theme “Offering hope”`, `new code “fresh start” under “Offering hope”`.
    pub fn describe(&self) -> String {
        let under = self.parent.as_ref().map_or(String::new(), |p| format!(" under “{p}”"));
        format!("new {} “{}”{under}", self.kind.name(), self.name)
    }
}

/// What the screen shows over the reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Reading and selecting.
    Read,
    /// Picking a code to apply ([`Picker::only`] `None`) or to remove.
    Pick(Picker),
    /// The key list.
    Help,
    /// The document list, with the highlighted row.
    Documents(usize),
    /// Writing a memo on the cursor's turn: the text so far.
    Memo(String),
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
    /// Write a memo on a turn.
    Memo {
        /// The turn's number.
        turn: u32,
        /// The memo's text.
        text: String,
    },
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
    /// Every document of the study.
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
        let mut coded = vec![false; document.turns.len()];
        for c in &codings {
            // The turns a coding overlaps: from the first that ends after its start.
            let first = document.turns.partition_point(|t| t.span.end <= c.start);
            for (i, t) in document.turns.iter().enumerate().skip(first) {
                if t.span.start >= c.end {
                    break;
                }
                coded[i] |= c.span().overlaps(t.span);
            }
        }
        Workbench {
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
        *self = fresh;
        self.status = status;
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
            Mode::Help => Action::None,
            Mode::Documents(row) => self.documents_key(row, key),
            Mode::Pick(picker) => self.pick_key(picker, key),
            Mode::Memo(text) => self.memo_key(text, key),
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
            KeyCode::Char('d') => {
                let here = self.documents.iter().position(|r| r.id == self.document.meta.id).unwrap_or(0);
                self.mode = Mode::Documents(here);
            }
            KeyCode::Char('?') => self.mode = Mode::Help,
            KeyCode::Char('m') if turns > 0 => self.mode = Mode::Memo(String::new()),
            KeyCode::Char('/') => self.mode = Mode::Query(String::new()),
            KeyCode::Char('C') => self.mode = Mode::Codebook(0),
            KeyCode::Char('o') => {
                self.show_others = !self.show_others;
                let coders: std::collections::BTreeSet<&str> = self.others.iter().map(|c| c.coder.as_str()).collect();
                self.status = match (self.show_others, coders.is_empty()) {
                    (false, _) => "your stripes only".to_owned(),
                    (true, true) => "no other coder has coded this document".to_owned(),
                    (true, false) => {
                        format!("right of the bar: {}", coders.into_iter().collect::<Vec<_>>().join(", "))
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

    fn memo_key(&mut self, mut text: String, key: KeyEvent) -> Action {
        match key.code {
            KeyCode::Esc => return Action::None,
            KeyCode::Enter if text.trim().is_empty() => {
                self.status = "the memo is empty; nothing written".to_owned();
                return Action::None;
            }
            KeyCode::Enter => {
                let Some(turn) = self.document.turns.get(self.cursor) else { return Action::None };
                return Action::Memo { turn: turn.number, text };
            }
            _ => {
                edit(&mut text, key);
            }
        }
        self.mode = Mode::Memo(text);
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
            KeyCode::Char('j') | KeyCode::Down => (chosen + 1).min(hits.len().saturating_sub(1)),
            KeyCode::Char('k') | KeyCode::Up => chosen.saturating_sub(1),
            _ => chosen,
        };
        self.mode = Mode::Hits { query, hits, chosen };
        Action::None
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
            KeyCode::Char('j') | KeyCode::Down => (chosen + 1).min(self.codebook.len().saturating_sub(1)),
            KeyCode::Char('k') | KeyCode::Up => chosen.saturating_sub(1),
            _ => chosen,
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
            KeyCode::Char('j') | KeyCode::Down => (chosen + 1).min(count.saturating_sub(1)),
            KeyCode::Char('k') | KeyCode::Up => chosen.saturating_sub(1),
            _ => chosen,
        };
        self.mode = Mode::Segments { entry, chosen };
        Action::None
    }

    fn documents_key(&mut self, row: usize, key: KeyEvent) -> Action {
        let last = self.documents.len().saturating_sub(1);
        let row = match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('d') => return Action::None,
            KeyCode::Enter => return self.documents.get(row).map_or(Action::None, |r| Action::Open(r.id.clone())),
            KeyCode::Char('j') | KeyCode::Down => (row + 1).min(last),
            KeyCode::Char('k') | KeyCode::Up => row.saturating_sub(1),
            _ => row,
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

/// How well `filter` matches an entry: 0 a name that starts with it, 1 a name that holds it, 2
/// an id or path that holds it, 3 its letters in order and close together in the name or id
/// (fuzzy: `rsexp` finds `relying-on-shared-experience`); `None`, no match. Case is ignored.
fn score(choice: &Choice, filter: &str) -> Option<u8> {
    let filter = filter.to_lowercase();
    let name = choice.name.to_lowercase();
    if name.starts_with(&filter) {
        Some(0)
    } else if name.contains(&filter) {
        Some(1)
    } else if choice.id.to_lowercase().contains(&filter) || choice.path.to_lowercase().contains(&filter) {
        Some(2)
    } else if [&name, &choice.id.to_lowercase()].iter().any(|text| close_in_order(text, &filter)) {
        Some(3)
    } else {
        None
    }
}

/// Whether the characters of `wanted` (spaces aside) appear in `text` in order within a stretch
/// at most twice as long as `wanted`, and one: letters scattered over a long name are no match.
fn close_in_order(text: &str, wanted: &str) -> bool {
    let wanted: Vec<char> = wanted.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(&first) = wanted.first() else { return true };
    let text: Vec<char> = text.chars().collect();
    let most = wanted.len() * 2 + 1;
    (0..text.len()).filter(|&i| text[i] == first).any(|start| {
        let mut at = start;
        for &w in &wanted[1..] {
            match text[at + 1..].iter().position(|&c| c == w) {
                Some(p) => at += 1 + p,
                None => return false,
            }
        }
        at + 1 - start <= most
    })
}

/// The entries `offered` that match `filter`, best match first, ties in codebook (tree) order.
pub fn rank(codebook: &[Choice], filter: &str, offered: impl Fn(&Choice) -> bool) -> Vec<usize> {
    let mut scored: Vec<(u8, usize)> = codebook
        .iter()
        .enumerate()
        .filter(|(_, c)| offered(c))
        .filter_map(|(i, c)| score(c, filter).map(|s| (s, i)))
        .collect();
    scored.sort();
    scored.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use thema_core::{DocumentMeta, Turn};

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
        assert_eq!(
            key(&mut w, KeyCode::Enter),
            Action::Code { span: Span { start: 66, end: 89 }, code: "access".into() }
        );
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
        assert_eq!(w.mode, Mode::Memo("just quie".into()));
        assert_eq!(key(&mut w, KeyCode::Enter), Action::Memo { turn: 2, text: "just quie".into() });
        // An empty memo is refused; Esc drops one.
        press(&mut w, "m  ");
        assert_eq!(key(&mut w, KeyCode::Enter), Action::None);
        assert_eq!(w.status, "the memo is empty; nothing written");
        press(&mut w, "mx");
        key(&mut w, KeyCode::Esc);
        assert_eq!((&w.mode, w.cursor), (&Mode::Read, 1));
    }

    #[test]
    fn slash_searches_and_enter_on_a_hit_jumps_to_it() {
        let mut w = workbench();
        press(&mut w, "/bus");
        assert_eq!(w.mode, Mode::Query("bus".into()));
        assert_eq!(key(&mut w, KeyCode::Enter), Action::Search("bus".into()));
        let hit =
            |document: &str, number, start| Found { document: document.into(), number, start, text: String::new() };
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
        assert_eq!(w.status, "right of the bar: hp-mk, mk");
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
        assert_eq!(
            key(&mut w, KeyCode::Enter),
            Action::Uncode { span: Span { start: 25, end: 60 }, code: "trust".into() }
        );
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
        assert_eq!(w.mode, Mode::Help);
        press(&mut w, "j");
        assert_eq!((&w.mode, w.cursor), (&Mode::Read, 1), "a key closes the help and does nothing else");
        w.documents = vec![
            Row { id: "fg1".into(), title: String::new(), turns: 3, coded: 2 },
            Row { id: "int1".into(), title: String::new(), turns: 2, coded: 0 },
        ];
        press(&mut w, "dj");
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
}
