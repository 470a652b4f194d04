//! The workbench's hold on its study: reading it into a [`Workbench`] and carrying out each
//! [`Action`] through the same library calls as the CLI (`thema_core::passage`,
//! `thema_core::history`), each in a transaction of its own under the study's exclusive lock, taken
//! for that action alone so that `thema` commands in another terminal keep working. A coding
//! action is recorded in the history as `thema workbench: ...`, so `thema undo` reverts it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use thema_core::codebook_change::{self, Change, Description};
use thema_core::coding::{is_valid_coder, now, Placed};
use thema_core::formats::Decision;
use thema_core::history;
use thema_core::layout as files;
use thema_core::lock::{Access, StudyLock};
use thema_core::memo::{Memo, MemoHeader};
use thema_core::passage::{self, PassageError};
use thema_core::{Coding, Document, Span, Study, StudyError};

use thema_search::{HitOrder, Request, SearchIndex};

use crate::state::{coded_turns, Action, Choice, Found, Row, Voice, Workbench};
use crate::WorkbenchError;

/// What the workbench is started on.
#[derive(Clone, Debug)]
pub struct Options {
    /// The study folder.
    pub root: PathBuf,
    /// Who is coding; `None` takes the study's `default_coder`.
    pub coder: Option<String>,
    /// The document to open; `None` opens the first.
    pub document: Option<String>,
    /// How long to wait for another process to finish with the study.
    pub lock_wait: Duration,
    /// Take the mouse (click, drag, wheel); without it the terminal keeps its own selection.
    pub mouse: bool,
}

/// The study, opened per action.
#[derive(Debug)]
pub struct Session {
    options: Options,
    coder: String,
    /// When the files the workbench shows were last changed, to see changes by others.
    seen: Vec<Option<SystemTime>>,
}

impl Session {
    /// Check the study, the coder and the document; read nothing else yet.
    pub fn new(options: Options) -> Result<(Session, Workbench), WorkbenchError> {
        let study = {
            let _lock = lock(&options, Access::Shared)?;
            Study::open(&options.root)?
        };
        let coder =
            options.coder.clone().or_else(|| study.settings.default_coder.clone()).ok_or(WorkbenchError::NoCoder)?;
        if !is_valid_coder(&coder) {
            return Err(WorkbenchError::BadCoder(coder));
        }
        let document = match &options.document {
            Some(id) => study.known_document(id)?.id.clone(),
            None => study.documents().first().ok_or(WorkbenchError::NoDocuments)?.id.clone(),
        };
        let mut session = Session { options, coder, seen: Vec::new() };
        let workbench = session.load(&document)?;
        Ok((session, workbench))
    }

    /// Read the study into a workbench showing `document`.
    pub fn load(&mut self, document: &str) -> Result<Workbench, WorkbenchError> {
        let _lock = lock(&self.options, Access::Shared)?;
        let study = Study::open(&self.options.root)?;
        let workbench = read(&study, &self.coder, document)?;
        self.seen = self.stamps(document);
        Ok(workbench)
    }

    /// The study's documents with the coder's progress in each, for the document list.
    pub fn documents(&self) -> Result<Vec<Row>, WorkbenchError> {
        let _lock = lock(&self.options, Access::Shared)?;
        progress(&Study::open(&self.options.root)?, &self.coder)
    }

    /// Whether the files shown changed on disk since they were read (another `thema` command,
    /// an editor, `git`).
    pub fn changed(&self, document: &str) -> bool {
        self.stamps(document) != self.seen
    }

    fn stamps(&self, document: &str) -> Vec<Option<SystemTime>> {
        let root = &self.options.root;
        let doc = root.join(files::DOCUMENTS).join(document);
        [
            root.join(files::CODEBOOK),
            root.join(files::CODINGS).join(format!("{}.jsonl", self.coder)),
            root.join(files::DOCUMENTS),
            doc.join(files::DOCUMENT_TEXT),
            doc.join(files::DOCUMENT_SPEAKERS),
            root.join(files::PARTICIPANTS),
        ]
        .iter()
        .map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .collect()
    }

    /// The turns of the study that match `query` (tantivy's syntax, as `thema search`), best
    /// first, at most 200; its words with `=` outside quotes are filters: `speaker=P03` and
    /// `code=hope` as `--speaker` and `--code` take them, the rest as `--where` does (`wave=2`,
    /// `kind=interview`, `role="Peer Mentor"`). Takes the lock alone: the search index is brought
    /// up to date first.
    pub fn search(&mut self, query: &str) -> Result<Vec<Found>, WorkbenchError> {
        let _lock = lock(&self.options, Access::Exclusive)?;
        let study = Study::open(&self.options.root)?;
        let (words, conditions) = split_filters(query);
        // `speaker=` and `code=` are `thema search --speaker` and `--code`; the rest `--where`.
        let mut filters = thema_search::Filters::default();
        let mut wheres = Vec::new();
        for condition in conditions {
            match condition.split_once('=') {
                Some(("speaker", label)) => filters.speakers.push(label.to_owned()),
                Some(("code", name)) => {
                    let codebook = study.load_codebook()?;
                    let entry = codebook.resolve(name).map_err(|e| WorkbenchError::Filter(e.to_string()))?;
                    // The entry and everything under it.
                    filters.codes.push(codebook.descendants(&entry.id));
                }
                _ => wheres.push(condition),
            }
        }
        filters.wheres = thema_core::filter::parse_all(&study, &wheres).map_err(WorkbenchError::Filter)?;
        let (index, _) = SearchIndex::open(&study)?;
        let request = Request { query: words, filters, order: HitOrder::Rank, limit: 200, ..Request::default() };
        let results = index.search(&request)?;
        Ok(results
            .hits
            .into_iter()
            .map(|h| Found {
                document: h.document,
                number: h.number,
                start: h.start,
                text: h.text.split_whitespace().collect::<Vec<_>>().join(" "),
            })
            .collect())
    }

    /// Carry out `action` on the study and say what happened, for the status line.
    pub fn apply(&mut self, workbench: &Workbench, action: &Action) -> Result<String, WorkbenchError> {
        let document = &workbench.document;
        match action {
            Action::None | Action::Quit | Action::Search(_) | Action::Jump { .. } | Action::Documents => {
                Ok(String::new())
            }
            Action::Open(id) => Ok(format!("opened {id}")),
            Action::Undo | Action::Redo => {
                let _lock = lock(&self.options, Access::Exclusive)?;
                let root = self.options.root.as_path();
                let (entry, verb) = if *action == Action::Undo {
                    (history::undo(root)?, "undid")
                } else {
                    (history::redo(root)?, "redid")
                };
                Ok(format!("{verb} #{} `{}`", entry.number, entry.command))
            }
            Action::Code { span, code } => {
                self.write(document, format!("code {code} {}", at(document, *span)), |study, coder, document| {
                    let codebook = study.load_codebook()?;
                    let name = codebook.get(code).map_or(code.clone(), |e| e.name.clone());
                    let placed = add(study, document, *span, code, coder, &name)?;
                    Ok(said(placed, &name, document, *span))
                })
            }
            Action::NewCode { span, entry } => {
                let (name, kind) = (entry.name.as_str(), entry.kind);
                let change = Change::Add {
                    name: name.to_owned(),
                    kind,
                    parent: entry.parent.clone(),
                    id: None,
                    in_vivo: false,
                    description: Description::default(),
                };
                self.write(
                    document,
                    format!("code --new ({}) {}", command(&change), at(document, *span)),
                    |study, coder, document| {
                        let id = codebook_change::change(study, coder, change, None)?.entry;
                        let placed = add(study, document, *span, &id, coder, name)?;
                        Ok(format!("new {}: {}", kind.name(), said(placed, name, document, *span)))
                    },
                )
            }
            Action::Change(change) => self.write(document, command(change), |study, coder, _| {
                let changed = codebook_change::change(study, coder, change.clone(), None)?;
                Ok(format!("codebook {}: {}", changed.action, changed.what))
            }),
            Action::Memo { on, text } => {
                let (kind, target) = on.split_once(':').unwrap_or(("", on.as_str()));
                let flag = match kind {
                    "document" => "doc",
                    other => other,
                };
                self.write(document, format!("memo add --{flag} {target}"), |study, coder, _| {
                    let id = study.next_memo_id()?;
                    let memo = Memo {
                        header: MemoHeader {
                            id: id.clone(),
                            title: memo_title(text),
                            on: on.clone(),
                            author: coder.to_owned(),
                            time: now(),
                            kind: String::new(),
                        },
                        body: format!("{}\n", text.trim()),
                    };
                    study.save_memo(&memo)?;
                    Ok(format!("wrote memo {id} on {kind} {target} (memos/{id}.md)"))
                })
            }
            Action::InVivo { span } => {
                self.write(document, format!("invivo {}", at(document, *span)), |study, coder, document| {
                    let (id, name, added) = passage::in_vivo_code(study, document, *span, None)?;
                    if added {
                        log(study, coder, "add", format!("in-vivo code `{name}` ({id})"))?;
                    }
                    let placed = add(study, document, *span, &id, coder, &name)?;
                    let new = if added { "new in-vivo code" } else { "in-vivo code" };
                    Ok(format!("{new}: {}", said(placed, &name, document, *span)))
                })
            }
            Action::Uncode { span, code } => {
                self.write(document, format!("uncode {code} {}", at(document, *span)), |study, coder, document| {
                    let done = passage::remove_coding(study, document, *span, code, coder)?;
                    let what: Vec<String> = done
                        .iter()
                        .map(|u| format!("{}:{}..{} {}", u.coding.document, u.coding.start, u.coding.end, u.outcome()))
                        .collect();
                    log(study, coder, "uncode", format!("`{code}` at {}", what.join("; ")))?;
                    Ok(format!("uncoded `{code}` at {}: {}", passage::turn_at(document, span.start), what.join("; ")))
                })
            }
        }
    }

    /// One write: lock, open, begin a recorded transaction, `change`, commit. The history entry
    /// reads as the command that would do the same (`what`): `thema workbench (hp): code trust
    /// --span fg1:10..42`.
    fn write(
        &mut self,
        shown: &Document,
        what: String,
        change: impl FnOnce(&Study, &str, &Document) -> Result<String, WorkbenchError>,
    ) -> Result<String, WorkbenchError> {
        let _lock = lock(&self.options, Access::Exclusive)?;
        let study = Study::open(&self.options.root)?;
        // The document as it is on disk now: if it changed since it was shown, the span may
        // no longer be the words the researcher chose.
        let document = study.load_document(&shown.meta.id)?;
        if document.text != shown.text {
            return Err(WorkbenchError::Moved(shown.meta.id.clone()));
        }
        let transaction = study.begin();
        transaction.record(format!("thema workbench ({}): {what}", self.coder));
        let said = change(&study, &self.coder, &document)?;
        transaction.commit()?;
        Ok(said)
    }
}

/// A typed search cut into its query and its `--where` conditions: the words with `=` outside
/// double quotes (`wave=2`, `role="Peer Mentor"`, its quotes dropped as a shell would).
pub fn split_filters(typed: &str) -> (String, Vec<String>) {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in typed.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                word.push(c);
            }
            c if c.is_whitespace() && !quoted => words.push(std::mem::take(&mut word)),
            c => word.push(c),
        }
    }
    words.push(word);
    let (conditions, query): (Vec<String>, Vec<String>) = words
        .into_iter()
        .filter(|w| !w.is_empty())
        .partition(|w| w.split_once('=').is_some_and(|(key, _)| !key.is_empty() && !key.contains('"')));
    let conditions = conditions.into_iter().map(|c| c.replace('"', "")).collect();
    (query.join(" "), conditions)
}

/// The `thema codebook` command line that makes `change`, for the history.
fn command(change: &Change) -> String {
    match change {
        Change::Add { name, kind, parent, .. } => format!(
            "codebook add {name:?} --kind {}{}",
            kind.name(),
            parent.as_ref().map_or(String::new(), |p| format!(" --parent {p:?}"))
        ),
        Change::Rename { entry, name } => format!("codebook rename {entry} {name:?}"),
        Change::MoveTo { entry, parent: Some(parent) } => format!("codebook move {entry} --to {parent:?}"),
        Change::MoveTo { entry, parent: None } => format!("codebook move {entry} --top"),
        Change::Describe { entry, kind: Some(kind), .. } => format!("codebook describe {entry} --kind {}", kind.name()),
        other => format!("codebook {other:?}"),
    }
}

/// `--span fg1:10..42`.
fn at(document: &Document, span: Span) -> String {
    format!("--span {}:{}..{}", document.meta.id, span.start, span.end)
}

/// A memo's title: its first words, up to 60 characters.
fn memo_title(text: &str) -> String {
    let mut title = String::new();
    for word in text.split_whitespace() {
        if title.chars().count() + word.chars().count() > 60 {
            title.push('…');
            break;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    title
}

/// A line of the decision log, as the CLI writes for the same change.
fn log(study: &Study, coder: &str, action: &str, what: String) -> Result<(), StudyError> {
    study.log_decision(&Decision {
        time: now(),
        who: coder.to_owned(),
        action: action.to_owned(),
        what,
        why: String::new(),
    })
}

fn lock(options: &Options, access: Access) -> Result<StudyLock, WorkbenchError> {
    Ok(StudyLock::acquire(&options.root, access, options.lock_wait, "`thema workbench`", |_| {})?)
}

fn add(
    study: &Study,
    document: &Document,
    span: Span,
    code: &str,
    coder: &str,
    name: &str,
) -> Result<Placed, PassageError> {
    let coding = Coding::new(document, span, code, coder, &now())?;
    passage::add_coding(study, document, coding, name)
}

/// What a coding did, in words for the status line.
fn said(placed: Placed, name: &str, document: &Document, span: Span) -> String {
    let at = passage::turn_at(document, span.start);
    match placed {
        Placed::Added => format!("coded {at} with `{name}`"),
        Placed::Extended(s) => format!("extended the coding with `{name}` at {at} to {s} (one coding a passage)"),
        Placed::Covered(s) => format!("{at}: inside the coding with `{name}` at {s}; kept as one coding"),
    }
}

/// The study as the workbench shows it to `coder`, open at `document`.
pub fn read(study: &Study, coder: &str, document: &str) -> Result<Workbench, WorkbenchError> {
    let doc = study.load_document(document)?;
    let all = study.load_coder_codings(coder)?;
    let codebook = study.load_codebook()?;
    // Counted in one pass over the codings.
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for c in &all {
        *uses.entry(c.code.as_str()).or_default() += 1;
    }
    let mut choices = Vec::new();
    for (depth, entry) in codebook.tree() {
        let mut path: Vec<&str> = codebook.ancestors(&entry.id).map(|e| e.name.as_str()).collect();
        path.reverse();
        path.push(&entry.name);
        choices.push(Choice {
            id: entry.id.clone(),
            name: entry.name.clone(),
            path: path.join(" / "),
            depth,
            kind: entry.kind,
            count: uses.get(entry.id.as_str()).copied().unwrap_or(0),
            colour: entry.colour.clone(),
        });
    }
    let voices = doc.turns.iter().map(|t| voice(study, &doc, t.speaker.as_deref())).collect();
    let memos: Vec<String> = study.load_memos()?.into_iter().map(|m| m.header.on).collect();
    let segments: Vec<Coding> = all.into_iter().filter(|c| !c.unplaced).collect();
    let codings = segments.iter().filter(|c| c.document == doc.meta.id).cloned().collect();
    let mut workbench = Workbench::new(coder.to_owned(), doc, voices, codings, choices, Vec::new());
    let noted: Vec<bool> = workbench
        .document
        .turns
        .iter()
        .map(|t| memos.contains(&format!("turn:{}", workbench.document.turn_id(t.number))))
        .collect();
    workbench.memos = noted;
    workbench.segments = segments;
    // The other coders' stripes need places, not quotes: their placements, cached in `.thema/`
    // while their files are unchanged, rather than every coding of every coder parsed whole.
    let mut others = Vec::new();
    for other in study.coders()?.into_iter().filter(|c| c != coder) {
        let placed = study.load_coder_placements(&other)?;
        others.extend(placed.into_iter().filter(|c| c.document == document && !c.unplaced));
    }
    workbench.others = others;
    Ok(workbench)
}

/// Every document of the study with its turns and how many of them `coder` has coded, for the
/// document list (read when it is opened: on a study of 2,000 documents it reads 2,000 turn
/// files, which every action's reload need not).
pub fn progress(study: &Study, coder: &str) -> Result<Vec<Row>, WorkbenchError> {
    // Each coder's spans by document, in one pass over their codings; the others' from their
    // cached placements. The coder first, then the others in name order.
    let mut coders = vec![coder.to_owned()];
    coders.extend(study.coders()?.into_iter().filter(|c| c != coder));
    let mut spans: Vec<HashMap<String, Vec<Span>>> = Vec::new();
    for (i, who) in coders.iter().enumerate() {
        let codings = if i == 0 { study.load_coder_codings(who)? } else { study.load_coder_placements(who)? };
        let mut by_document: HashMap<String, Vec<Span>> = HashMap::new();
        for c in codings.into_iter().filter(|c| !c.unplaced) {
            let span = c.span();
            by_document.entry(c.document).or_default().push(span);
        }
        spans.push(by_document);
    }
    let mut rows = Vec::new();
    for meta in study.documents() {
        let turns = study.load_turns(&meta.id)?;
        let coded = |by_document: &HashMap<String, Vec<Span>>| {
            by_document
                .get(meta.id.as_str())
                .map(|mine| coded_turns(&turns, mine.iter().copied()).iter().filter(|&&c| c).count())
        };
        let others = coders[1..]
            .iter()
            .zip(&spans[1..])
            .filter_map(|(who, by_document)| coded(by_document).filter(|&n| n > 0).map(|n| (who.clone(), n)))
            .collect();
        rows.push(Row {
            id: meta.id.clone(),
            title: meta.title.clone(),
            turns: turns.len(),
            coded: coded(&spans[0]).unwrap_or(0),
            others,
        });
    }
    Ok(rows)
}

/// `Simon (Peer Mentor)` for a linked participant, `Interviewer (interviewer)` for the
/// interviewer, else the transcript's label.
fn voice(study: &Study, document: &Document, label: Option<&str>) -> Voice {
    let Some(label) = label else { return Voice::default() };
    let speaker = document.speaker(label);
    let interviewer = speaker.is_some_and(|s| s.interviewer);
    let person = speaker.and_then(|s| s.participant.as_deref()).and_then(|p| study.participants.get(p));
    let name = match person {
        Some(p) if p.role.is_empty() => p.pseudonym.clone(),
        Some(p) => format!("{} ({})", p.pseudonym, p.role),
        None if interviewer => format!("{label} (interviewer)"),
        None => label.to_owned(),
    };
    Voice { name, interviewer }
}
