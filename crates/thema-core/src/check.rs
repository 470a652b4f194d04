//! `thema check`: validate a whole study and say, for every problem, the file, the line and
//! what to do. Unlike [`Study::open`](crate::Study::open), which stops at the first broken file,
//! this reads everything it can and reports all it finds.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::Path;

use serde::Serialize;

use crate::document::{is_valid_date, is_valid_id, Turn};
use crate::error::list;
use crate::error::StudyError;
use crate::fsio;
use crate::parallel;
use crate::participant::{check_value, Participants};
use crate::span::{Span, SpanError, TextIndex};
use crate::study::{self, files, read_text};
use crate::text::is_normalised;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The study is inconsistent; commands may fail or give wrong results.
    Error,
    /// Worth fixing, but nothing is wrong with the data (an unlinked speaker, say).
    Warning,
}

/// One problem found in the study.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// File, relative to the study folder.
    pub file: String,
    /// 1-based line, when the problem is on one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.line {
            Some(line) => write!(f, "{level}: {}:{line}: {}", self.file, self.message)?,
            None => write!(f, "{level}: {}: {}", self.file, self.message)?,
        }
        if !self.fix.is_empty() {
            write!(f, "\n  hint: {}", self.fix)?;
        }
        Ok(())
    }
}

struct Checker<'a> {
    root: &'a Path,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn push(&mut self, severity: Severity, file: &str, line: Option<usize>, message: String, fix: &str) {
        self.problems.push(Problem { severity, file: file.to_owned(), line, message, fix: fix.to_owned() });
    }
    fn error(&mut self, file: &str, line: Option<usize>, message: String, fix: &str) {
        self.push(Severity::Error, file, line, message, fix);
    }
    fn warning(&mut self, file: &str, line: Option<usize>, message: String, fix: &str) {
        self.push(Severity::Warning, file, line, message, fix);
    }
    /// Record a load error against `file`; returns `None` so callers can `?` on it.
    fn failed(&mut self, file: &str, error: StudyError, fix: &str) {
        let (line, message) = match error {
            StudyError::Parse { line, message, .. } => ((line > 0).then_some(line), message),
            other => (None, other.to_string()),
        };
        self.error(file, line, message, fix);
    }
    /// [`Checker::read`] into `buffer`, which the caller keeps for the next file.
    fn read_into<'b>(&mut self, relative: &str, fix: &str, buffer: &'b mut Vec<u8>) -> Option<&'b str> {
        match crate::formats::read_text_into(&self.root.join(relative), buffer) {
            Ok(text) => Some(text),
            Err(e) => {
                self.failed(relative, e, fix);
                None
            }
        }
    }
    fn read(&mut self, relative: &str, fix: &str) -> Option<String> {
        match read_text(&self.root.join(relative)) {
            Ok(text) => Some(text),
            Err(e) => {
                self.failed(relative, e, fix);
                None
            }
        }
    }
}

/// Check the study at `root`; problems come in file order, errors and warnings mixed.
pub fn check_study(root: &Path) -> Vec<Problem> {
    let mut c = Checker { root, problems: Vec::new() };
    check_interrupted(&mut c);
    let settings = c
        .read(files::SETTINGS, "restore `thema.toml` from git, or run `thema init` in a new folder")
        .and_then(|text| match study::parse_settings(&root.join(files::SETTINGS), &text) {
            Ok(s) => Some(s),
            Err(e) => {
                c.failed(
                    files::SETTINGS,
                    e,
                    "correct the line named; `corpus-schema/settings.schema.json` lists the fields",
                );
                None
            }
        });
    let participants = check_participants(&mut c, settings.as_ref());
    // The codebook and the codings are read before the documents, so that each coding's quote is
    // compared with its document's text while the documents are read (each text once, a few at a
    // time); their problems still come after the documents'.
    let mut codebook_problems = Checker { root, problems: Vec::new() };
    let codebook = check_codebook(&mut codebook_problems);
    let codings = read_codings(root, codebook.as_ref());
    let documents = check_documents(&mut c, participants.as_ref(), &codings);
    c.problems.append(&mut codebook_problems.problems);
    check_codings(&mut c, &codings, &documents);
    check_memos(&mut c, &documents.loaded);
    c.problems
}

/// An interrupted change still in the journal (found when the study cannot be written, or when
/// finishing it would overwrite newer work), and what interrupted writes left behind.
fn check_interrupted(c: &mut Checker<'_>) {
    match fsio::interrupted(c.root) {
        Ok(None) => {}
        Ok(Some(change)) if change.pending.is_empty() => {
            c.warning(fsio::JOURNAL, None, "an interrupted change was finished but its journal remains".into(), FINISH)
        }
        Ok(Some(change)) if change.changed.is_empty() => c.error(
            fsio::JOURNAL,
            None,
            format!(
                "an interrupted change is pending: it still has to write {}; until then the study is half old, half new",
                list(&change.pending)
            ),
            FINISH,
        ),
        Ok(Some(change)) => c.error(
            fsio::JOURNAL,
            None,
            format!(
                "an interrupted change is pending, but {} changed since it began; finishing it would overwrite that work, \
                 so thema will not (it still has to write {})",
                list(&change.changed),
                list(&change.pending)
            ),
            DISCARD,
        ),
        Err(error) => c.failed(fsio::JOURNAL, error, DISCARD),
    }
    // An empty staging folder is what every batch leaves; one with files is a crash's.
    let staged = fs::read_dir(c.root.join(fsio::STAGING)).is_ok_and(|mut entries| entries.next().is_some());
    if staged && !c.root.join(fsio::JOURNAL).exists() {
        c.warning(fsio::STAGING, None, "left over from an interrupted write".into(), CLEAN);
    }
    for temporary in fsio::temporaries(c.root) {
        c.warning(
            &temporary,
            None,
            "left over from an interrupted write (a partial copy of a study file)".into(),
            CLEAN,
        );
    }
}

const FINISH: &str = "run any thema command that may write the study (`thema check --fix`) to finish it; \
                      if the study is read-only, copy it to a writable folder first";
const DISCARD: &str = "to keep the study files as they are now and drop the rest of the interrupted change, \
                       run `thema check --discard-interrupted`";
const CLEAN: &str = "run `thema check --fix` to remove it; the study does not use it";

fn check_memos(c: &mut Checker<'_>, texts: &BTreeSet<String>) {
    use crate::memo::{Attachment, Memo};
    let Ok(entries) = fs::read_dir(c.root.join(files::MEMOS)) else { return };
    let mut paths: Vec<_> =
        entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "md")).collect();
    paths.sort();
    let codebook = crate::study::read_text(&c.root.join(files::CODEBOOK))
        .ok()
        .and_then(|t| toml::from_str::<crate::Codebook>(&t).ok());
    for path in paths {
        let rel = format!("{}/{}", files::MEMOS, path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
        let Some(text) = c.read(&rel, "save the file as UTF-8") else { continue };
        let memo = match Memo::parse(&text) {
            Ok(m) => m,
            Err((line, message)) => {
                c.error(
                    &rel,
                    Some(line),
                    message,
                    "a memo starts with a `+++` header; see `corpus-schema/memo.schema.json`",
                );
                continue;
            }
        };
        let missing = match memo.attachment() {
            Attachment::Project => None,
            Attachment::Document(d) => (!texts.contains(&d)).then(|| format!("document `{d}`")),
            Attachment::Turn(t) => (!texts.contains(&t.document)).then(|| format!("turn `{t}`")),
            Attachment::Entry(e) => codebook.as_ref().filter(|cb| cb.get(&e).is_none()).map(|_| format!("code `{e}`")),
            Attachment::Relation { from, to, label } => codebook
                .as_ref()
                .filter(|cb| !cb.relations.iter().any(|r| r.from == from && r.to == to && r.label == label))
                .map(|_| format!("the relation `{from}` {label} `{to}`")),
            Attachment::Coding { document, code, .. } => {
                (!texts.contains(&document)).then(|| format!("a coding of `{code}` in document `{document}`"))
            }
        };
        if let Some(what) = missing {
            c.warning(
                &rel,
                Some(4),
                format!("the memo is attached to {what}, which does not exist"),
                "attach it elsewhere by editing `on = ...`",
            );
        }
    }
}

fn check_participants(c: &mut Checker<'_>, settings: Option<&crate::Settings>) -> Option<Participants> {
    let file = files::PARTICIPANTS;
    if !c.root.join(file).exists() {
        c.warning(file, None, "there is no participants table".into(), "create it with the header `id,pseudonym,role`");
        return Some(Participants::default());
    }
    let text = c.read(file, "save the file as UTF-8")?;
    let table = match Participants::parse(&text) {
        Ok(t) => t,
        Err(e) => {
            c.error(file, Some(e.line as usize), e.message, "edit `participants.csv`: one row a participant, under the header `id,pseudonym,role` and any attribute columns");
            return None;
        }
    };
    let mut pseudonyms = BTreeMap::new();
    for (i, p) in table.rows().iter().enumerate() {
        let line = table.source_lines.get(i).map(|&l| l as usize);
        if p.pseudonym.is_empty() {
            c.error(file, line, format!("participant `{}` has no pseudonym", p.id), "fill in the `pseudonym` column");
        } else if let Some(first) = pseudonyms.insert(p.pseudonym.to_lowercase(), p.id.clone()) {
            c.warning(
                file,
                line,
                format!("pseudonym `{}` is used by `{first}` and `{}`", p.pseudonym, p.id),
                "give each participant a distinct pseudonym so quotes are attributed unambiguously",
            );
        }
        if let Some(settings) = settings {
            for (name, kind) in &settings.participant_attributes {
                if let Some(value) = p.attributes.get(name) {
                    if let Err(message) = check_value(*kind, value) {
                        c.error(
                            file,
                            line,
                            format!("`{name}` of `{}`: {message}", p.id),
                            &format!("correct the value, or change the type of `{name}` in `thema.toml`"),
                        );
                    }
                }
            }
        }
    }
    if let Some(settings) = settings {
        for name in settings.participant_attributes.keys() {
            if !table.attribute_columns.contains(name) {
                c.warning(
                    file,
                    Some(1),
                    format!("`thema.toml` types the attribute `{name}`, but there is no such column"),
                    "add the column or remove the type from `[participant_attributes]`",
                );
            }
        }
    }
    Some(table)
}

/// Document id -> the turns spoken by a label linked to no participant and not marked as the
/// interviewer.
type Unlinked = BTreeMap<String, Vec<UnlinkedTurn>>;

/// A turn spoken by a label linked to no participant: (start, end, label).
type UnlinkedTurn = (usize, usize, String);

/// What the documents' check leaves for the codings' and the memos'.
struct Documents {
    /// The documents that loaded: a coding or memo that names another names no document.
    loaded: BTreeSet<String>,
    unlinked: Unlinked,
    /// The codings whose quote does not fit their document's text, as (codings file, coding)
    /// in that order.
    quotes: Vec<((usize, usize), QuoteProblem)>,
}

/// Why a coding's quote does not fit the text.
enum QuoteProblem {
    /// The text at the span is not the quote.
    Differs,
    /// The span ends before it starts.
    Reversed,
    /// The span is not in the text.
    Span(SpanError),
}

/// One document's check, made apart from the others' (the documents are checked in parallel).
#[derive(Default)]
struct DocumentCheck {
    problems: Vec<Problem>,
    /// The import sequence number, and where among `problems` its check (which needs every
    /// document before this one) goes.
    sequence: Option<(usize, u32)>,
    loaded: bool,
    unlinked: Vec<UnlinkedTurn>,
    quotes: Vec<((usize, usize), QuoteProblem)>,
}

fn check_documents(c: &mut Checker<'_>, participants: Option<&Participants>, codings: &[CodingsRead]) -> Documents {
    let mut documents = Documents { loaded: BTreeSet::new(), unlinked: Unlinked::new(), quotes: Vec::new() };
    let docs_dir = c.root.join(files::DOCUMENTS);
    let Ok(entries) = fs::read_dir(&docs_dir) else {
        c.error(
            files::DOCUMENTS,
            None,
            "the documents folder is missing".into(),
            "create an empty `documents/` folder",
        );
        return documents;
    };
    // Each name, and whether it is a folder where the listing says so (not for a symbolic link,
    // which `Path::is_dir` follows, nor for a name that is not UTF-8, which names another path
    // once made readable): a `stat` less a document.
    let mut listed: Vec<(String, Option<bool>)> = entries
        .filter_map(|e| e.ok())
        .map(|e| {
            let name = e.file_name();
            let folder = match (name.to_str(), e.file_type()) {
                (Some(_), Ok(kind)) if !kind.is_symlink() => Some(kind.is_dir()),
                _ => None,
            };
            (name.to_string_lossy().into_owned(), folder)
        })
        .collect();
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    let (names, folders): (Vec<String>, Vec<Option<bool>>) = listed.into_iter().unzip();
    // The placed codings of each document, as (codings file, coding).
    let mut pointing: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (f, file) in codings.iter().enumerate() {
        let Ok(file) = file else { continue };
        let mut of_name: Vec<Option<usize>> = vec![None; file.names.len()];
        let mut lists: Vec<Vec<(usize, usize)>> = Vec::new();
        for (r, x) in file.placed.iter().enumerate() {
            let slot = *of_name[x.document as usize].get_or_insert_with(|| {
                lists.push(Vec::new());
                lists.len() - 1
            });
            lists[slot].push((f, r));
        }
        for (number, slot) in of_name.iter().enumerate() {
            if let Some(slot) = slot {
                let list = std::mem::take(&mut lists[*slot]);
                pointing.entry(file.names.name(number as u32)).or_default().extend(list);
            }
        }
    }
    let root = c.root;
    let listed: Vec<(&String, Option<bool>)> = names.iter().zip(folders).collect();
    let checks: Vec<Option<DocumentCheck>> = parallel::in_parts(&listed, 16, |part| {
        let mut buffers = Buffers::default();
        part.iter()
            .map(|&(name, folder)| {
                let folder = folder.unwrap_or_else(|| docs_dir.join(name).is_dir());
                if name.starts_with('.') || !folder {
                    return None;
                }
                let pointing = pointing.get(name.as_str());
                Some(check_folder(root, &docs_dir, name, participants, codings, pointing, &mut buffers))
            })
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    let mut sequences: BTreeMap<u32, &str> = BTreeMap::new();
    for (name, check) in names.iter().zip(checks) {
        let Some(mut check) = check else { continue };
        let mut problems = check.problems.into_iter();
        if let Some((at, sequence)) = check.sequence {
            c.problems.extend(problems.by_ref().take(at));
            if let Some(other) = sequences.insert(sequence, name) {
                c.warning(
                    &format!("{}/{name}/{}", files::DOCUMENTS, files::DOCUMENT_META),
                    None,
                    format!("sequence {sequence} is also used by `{other}`"),
                    "give each document its own import sequence number",
                );
            }
        }
        c.problems.extend(problems);
        if check.loaded {
            documents.loaded.insert(name.clone());
        }
        if !check.unlinked.is_empty() {
            documents.unlinked.insert(name.clone(), check.unlinked);
        }
        documents.quotes.append(&mut check.quotes);
    }
    documents.quotes.sort_unstable_by_key(|(at, _)| *at);
    documents
}

/// The files of one document, read into buffers that a thread keeps from one document to the
/// next.
#[derive(Default)]
struct Buffers {
    small: Vec<u8>,
    text: Vec<u8>,
    turns: Vec<u8>,
}

/// Check the folder `documents/NAME` and the quotes of the codings in `pointing` against its
/// text.
fn check_folder(
    root: &Path,
    docs_dir: &Path,
    name: &str,
    participants: Option<&Participants>,
    codings: &[CodingsRead],
    pointing: Option<&Vec<(usize, usize)>>,
    buffers: &mut Buffers,
) -> DocumentCheck {
    let mut c = Checker { root, problems: Vec::new() };
    let mut check = DocumentCheck::default();
    if !docs_dir.join(name).join(files::DOCUMENT_META).exists() {
        c.error(
            &format!("{}/{name}", files::DOCUMENTS),
            None,
            format!("folder without `{}`", files::DOCUMENT_META),
            "delete the folder or import the document again",
        );
    } else {
        let pointing = pointing.map_or(&[][..], Vec::as_slice);
        check_document(&mut c, name, participants, &mut check, (codings, pointing), buffers);
    }
    check.problems = c.problems;
    check
}

fn check_document(
    c: &mut Checker<'_>,
    id: &str,
    participants: Option<&Participants>,
    check: &mut DocumentCheck,
    (codings, pointing): (&[CodingsRead], &[(usize, usize)]),
    buffers: &mut Buffers,
) {
    let dir = format!("{}/{id}", files::DOCUMENTS);
    let meta_file = format!("{dir}/{}", files::DOCUMENT_META);
    let Some(meta_text) = c.read_into(&meta_file, "save the file as UTF-8", &mut buffers.small) else { return };
    let meta = match study::parse_meta(&c.root.join(&meta_file), meta_text) {
        Ok(m) => m,
        Err(e) => {
            c.failed(&meta_file, e, "correct the line named; `corpus-schema/document.schema.json` lists the fields");
            return;
        }
    };
    let fix_meta = "edit `document.toml`";
    if meta.id != id {
        c.error(
            &meta_file,
            Some(1),
            format!("id `{}` does not match the folder name `{id}`", meta.id),
            "make the two the same",
        );
    }
    if !is_valid_id(id) {
        c.error(
            &dir,
            None,
            format!("`{id}` is not a valid document id"),
            "use lowercase letters, digits, `-`, `_` and `.`",
        );
    }
    if !is_valid_id(&meta.kind) {
        c.error(
            &meta_file,
            None,
            format!("kind `{}` is not a lowercase slug", meta.kind),
            "use `interview`, `focus-group`, `survey`, `fieldnotes` or another slug",
        );
    }
    if let Some(date) = &meta.date {
        if !is_valid_date(date) {
            c.error(&meta_file, None, format!("date `{date}` is not a date like 2024-01-31"), fix_meta);
        }
    }
    check.sequence = Some((c.problems.len(), meta.sequence));
    if let Some(source) = &meta.source {
        if source.sha256.len() != 64 || !source.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            c.error(&meta_file, None, "source sha256 is not 64 hex digits".into(), fix_meta);
        }
    }
    let speakers_file = format!("{dir}/{}", files::DOCUMENT_SPEAKERS);
    let speakers = match c.read_into(&speakers_file, "restore the file from git", &mut buffers.small) {
        Some(text) => match study::parse_speakers(&c.root.join(&speakers_file), text) {
            Ok(s) => s,
            Err(e) => {
                c.failed(&speakers_file, e, "columns are `label,participant,interviewer`");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let mut labels = BTreeSet::new();
    for (i, s) in speakers.iter().enumerate() {
        let line = Some(i + 2);
        if !labels.insert(s.label.as_str()) {
            c.error(&speakers_file, line, format!("speaker `{}` is listed twice", s.label), "keep one row a label");
        }
        match (&s.participant, participants) {
            (Some(p), Some(table)) if table.get(p).is_none() => c.error(
                &speakers_file,
                line,
                format!("speaker `{}` is linked to `{p}`, who is not in `participants.csv`", s.label),
                &format!("add `{p}` to `participants.csv`, or run `thema link {id} \"{}\" PARTICIPANT`", s.label),
            ),
            (Some(_), _) if s.interviewer => c.error(
                &speakers_file,
                line,
                format!("speaker `{}` is marked both as a participant and as interviewer", s.label),
                "keep one of the two",
            ),
            (None, _) if !s.interviewer => c.warning(
                &speakers_file,
                line,
                format!("speaker `{}` is not linked to a participant", s.label),
                &format!("run `thema link {id} \"{}\" PARTICIPANT`, or `--interviewer`", s.label),
            ),
            _ => {}
        }
    }
    let text_file = format!("{dir}/{}", files::DOCUMENT_TEXT);
    let Some(text) =
        c.read_into(&text_file, "restore the file from git, or import the document again", &mut buffers.text)
    else {
        return;
    };
    if !is_normalised(text) {
        c.error(
            &text_file,
            None,
            "text has a byte order mark or CR line endings, so spans no longer match".into(),
            "restore the file from git; thema normalises text at import only",
        );
    }
    let index = TextIndex::new(text);
    let turns_file = format!("{dir}/{}", files::DOCUMENT_TURNS);
    if let Some(turns_text) = c.read_into(&turns_file, "restore the file from git", &mut buffers.turns) {
        match study::parse_turns(&c.root.join(&turns_file), turns_text) {
            Ok(turns) => {
                check_turns(c, &turns_file, &turns, &index, &labels);
                let nobody: BTreeSet<&str> = speakers
                    .iter()
                    .filter(|s| s.participant.is_none() && !s.interviewer)
                    .map(|s| s.label.as_str())
                    .collect();
                check.unlinked = turns
                    .iter()
                    .filter_map(|t| t.speaker.as_deref().filter(|l| nobody.contains(l)).map(|l| (t, l)))
                    .map(|(t, l)| (t.span.start, t.span.end, l.to_owned()))
                    .collect();
            }
            Err(e) => c.failed(&turns_file, e, "columns are `turn,speaker,start,end,time_start,time_end`"),
        }
    }
    check.loaded = true;
    // The quotes of the codings in this document, while its text is at hand.
    for &(f, r) in pointing {
        let Ok(file) = &codings[f] else { continue };
        let x = &file.placed[r];
        let problem = if x.span.start > x.span.end {
            Some(QuoteProblem::Reversed)
        } else {
            match index.slice(x.span) {
                Ok(quote) if quote == &file.quotes[x.quote.clone()] => None,
                Ok(_) => Some(QuoteProblem::Differs),
                Err(e) => Some(QuoteProblem::Span(e)),
            }
        };
        if let Some(problem) = problem {
            check.quotes.push(((f, r), problem));
        }
    }
}

fn check_turns(c: &mut Checker<'_>, file: &str, turns: &[Turn], index: &TextIndex<'_>, labels: &BTreeSet<&str>) {
    let mut previous_end = 0;
    let mut unknown = BTreeSet::new();
    // Spans that do not fit usually all break at once (the text was edited): report the first
    // and count the rest.
    let mut misfits: Vec<(usize, String)> = Vec::new();
    for (i, turn) in turns.iter().enumerate() {
        let line = Some(i + 2);
        if turn.number as usize != i + 1 {
            c.error(
                file,
                line,
                format!("turn {} is numbered {}", i + 1, turn.number),
                "turns are numbered 1, 2, 3... in order; restore the file from git",
            );
        }
        if let Err(e) = index.check(turn.span) {
            misfits.push((i + 2, format!("turn {}: {e}", turn.number)));
        } else if turn.span.start < previous_end {
            c.error(
                file,
                line,
                format!("turn {} overlaps the turn before it", turn.number),
                "restore the file from git",
            );
        }
        previous_end = previous_end.max(turn.span.end);
        if let (Some(start), Some(end)) = (turn.time_start, turn.time_end) {
            if end < start {
                c.warning(
                    file,
                    line,
                    format!("turn {} ends ({end}) before it starts ({start})", turn.number),
                    "correct the times",
                );
            }
        }
        if let Some(label) = &turn.speaker {
            if !labels.contains(label.as_str()) && unknown.insert(label.clone()) {
                c.error(
                    file,
                    line,
                    format!("speaker `{label}` is not in `speakers.csv`"),
                    "add a row for the label to `speakers.csv`",
                );
            }
        }
    }
    if let Some((line, message)) = misfits.first() {
        let more = match misfits.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more turn)".to_owned(),
            n => format!(" (and {n} more turns)"),
        };
        c.error(
            file,
            Some(*line),
            format!("{message}{more}"),
            "the text changed after import; restore `text.txt` from git, or import the document again with `--replace`",
        );
    }
}

/// The codebook, with its problems.
fn check_codebook(c: &mut Checker<'_>) -> Option<crate::Codebook> {
    let file = files::CODEBOOK;
    let codebook = match c.read(file, "save the file as UTF-8") {
        Some(text) => match toml::from_str::<crate::Codebook>(&text) {
            Ok(cb) => Some(cb),
            Err(e) => {
                let line = e.span().map(|s| study::line_of(&text, s.start));
                c.error(file, line, e.message().trim().to_owned(), "correct the line named");
                None
            }
        },
        None => None,
    };
    if let Some(cb) = &codebook {
        for problem in cb.problems() {
            c.error(file, None, problem, "edit `codebook.toml`, or use `thema codebook move` / `rename`");
        }
    }
    codebook
}

/// A codings file as the check reads it, or the problem that kept it from being read.
type CodingsRead = Result<CodingsFile, Problem>;

/// One codings file as `thema check` keeps it: the problems of single lines, and each placed
/// coding in a compact form, its strings numbered and its quote in one buffer with the others'
/// (a study of 10,000 documents has a million codings: owned, they took several hundred MB).
struct CodingsFile {
    rel: String,
    /// Problems found in a line alone, in line order: a coding that lost its place, a line that
    /// is not a coding, a code not in the codebook.
    lines: Vec<(usize, Problem)>,
    placed: Vec<PlacedCoding>,
    /// The quotes of `placed`, end to end.
    quotes: String,
    /// The documents, codes and coders the codings name.
    names: Names,
}

/// A placed coding: its line, its strings by number in [`CodingsFile::names`], its quote in
/// [`CodingsFile::quotes`].
struct PlacedCoding {
    line: usize,
    document: u32,
    code: u32,
    coder: u32,
    span: Span,
    quote: std::ops::Range<usize>,
}

/// Strings by number, each kept once.
#[derive(Default)]
struct Names {
    list: Vec<String>,
    numbers: HashMap<String, u32>,
}

impl Names {
    fn number(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.numbers.get(name) {
            return n;
        }
        let n = self.list.len() as u32;
        self.list.push(name.to_owned());
        self.numbers.insert(name.to_owned(), n);
        n
    }
    fn name(&self, n: u32) -> &str {
        &self.list[n as usize]
    }
    fn len(&self) -> usize {
        self.list.len()
    }
    /// Each name's place in the names sorted: comparing places compares the names.
    fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.list.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.name(a).cmp(self.name(b)));
        let mut ranks = vec![0; order.len()];
        for (rank, &n) in order.iter().enumerate() {
            ranks[n as usize] = rank as u32;
        }
        ranks
    }
}

/// A line of a codings file as [`crate::Coding`] reads it, borrowing its strings from the line
/// where it can: the same fields, types and defaults, so the two accept the same lines.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Read to be checked as `Coding` checks them.
struct CodingLine<'a> {
    #[serde(borrow)]
    document: Cow<'a, str>,
    start: usize,
    end: usize,
    #[serde(borrow)]
    quote: Cow<'a, str>,
    #[serde(default, borrow)]
    before: Cow<'a, str>,
    #[serde(default, borrow)]
    after: Cow<'a, str>,
    #[serde(borrow)]
    code: Cow<'a, str>,
    #[serde(borrow)]
    coder: Cow<'a, str>,
    #[serde(borrow)]
    time: Cow<'a, str>,
    #[serde(default, borrow)]
    memo: Cow<'a, str>,
    #[serde(default)]
    unplaced: bool,
    #[serde(default)]
    exemplar: bool,
}

/// Every `codings/*.jsonl` file, in name order, read in parallel.
fn read_codings(root: &Path, codebook: Option<&crate::Codebook>) -> Vec<CodingsRead> {
    let Ok(entries) = fs::read_dir(root.join(files::CODINGS)) else { return Vec::new() };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    paths.sort();
    let ids: Option<BTreeSet<&str>> = codebook.map(|cb| cb.entries.iter().map(|e| e.id.as_str()).collect());
    parallel::in_parts(&paths, 2, |part| {
        part.iter().map(|path| read_codings_file(root, path, ids.as_ref())).collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

fn read_codings_file(root: &Path, path: &Path, ids: Option<&BTreeSet<&str>>) -> CodingsRead {
    let rel = format!("{}/{}", files::CODINGS, path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
    let mut c = Checker { root, problems: Vec::new() };
    // Room for every coding at once: no quote is longer than its line, and no line that reads as
    // a coding is shorter than 75 bytes.
    let len = fs::metadata(path).map_or(0, |m| usize::try_from(m.len()).unwrap_or(0));
    let mut file = CodingsFile {
        rel,
        lines: Vec::new(),
        placed: Vec::with_capacity(len / 75),
        quotes: String::with_capacity(len),
        names: Names::default(),
    };
    // Whether each code (by number) is in the codebook.
    let mut known: Vec<bool> = Vec::new();
    // The numbers of the last line's document and coder: codings come sorted by document.
    let mut last: Option<(u32, u32)> = None;
    let read = each_line(&root.join(&file.rel), |number, line| {
        if line.trim().is_empty() {
            return;
        }
        let owned: crate::Coding;
        let x = match serde_json::from_str::<CodingLine<'_>>(line) {
            Ok(x) => x,
            // The error as `Coding` words it (the two read the same lines).
            Err(_) => match serde_json::from_str::<crate::Coding>(line) {
                Ok(coding) => {
                    owned = coding;
                    CodingLine {
                        document: Cow::Borrowed(&owned.document),
                        start: owned.start,
                        end: owned.end,
                        quote: Cow::Borrowed(&owned.quote),
                        before: Cow::Borrowed(""),
                        after: Cow::Borrowed(""),
                        code: Cow::Borrowed(&owned.code),
                        coder: Cow::Borrowed(&owned.coder),
                        time: Cow::Borrowed(""),
                        memo: Cow::Borrowed(""),
                        unplaced: owned.unplaced,
                        exemplar: owned.exemplar,
                    }
                }
                Err(e) => {
                    c.error(
                        &file.rel,
                        Some(number),
                        e.to_string(),
                        "one JSON object a line; see `corpus-schema/coding.schema.json`",
                    );
                    file.lines.extend(c.problems.drain(..).map(|p| (number, p)));
                    return;
                }
            },
        };
        if x.unplaced {
            c.warning(
                &file.rel,
                Some(number),
                format!(
                    "`{}` on “{}” in `{}` lost its place when the transcript was corrected",
                    x.code, x.quote, x.document
                ),
                "code the passage again with `thema code`, then delete this line",
            );
            file.lines.extend(c.problems.drain(..).map(|p| (number, p)));
            return;
        }
        let (document, coder) = match last {
            Some((d, k)) if file.names.name(d) == x.document && file.names.name(k) == x.coder => (d, k),
            _ => (file.names.number(&x.document), file.names.number(&x.coder)),
        };
        last = Some((document, coder));
        let code = file.names.number(&x.code);
        if known.len() <= code as usize {
            known.resize(code as usize + 1, true);
            known[code as usize] = ids.is_none_or(|ids| ids.contains(x.code.as_ref()));
        }
        if !known[code as usize] {
            c.error(
                &file.rel,
                Some(number),
                format!("code `{}` is not in the codebook", x.code),
                "add the code or remove the coding",
            );
            file.lines.extend(c.problems.drain(..).map(|p| (number, p)));
        }
        let at = file.quotes.len();
        file.quotes.push_str(&x.quote);
        file.placed.push(PlacedCoding {
            line: number,
            document,
            code,
            coder,
            span: Span { start: x.start, end: x.end },
            quote: at..file.quotes.len(),
        });
    });
    match read {
        Ok(()) => Ok(file),
        Err(e) => {
            c.failed(&file.rel, e, "save the file as UTF-8");
            Err(c.problems.remove(0))
        }
    }
}

/// Each line of the UTF-8 file at `path` with its 1-based number, as [`str::lines`] splits the
/// file's text, read a block at a time; the errors of [`study::read_text`], whose whole text a
/// codings file of a large study would hold (hundreds of MB).
fn each_line(path: &Path, mut each: impl FnMut(usize, &str)) -> Result<(), StudyError> {
    use std::io::Read;
    let mut file = fsio::open_regular(path).map_err(crate::formats::io(path))?;
    let mut block = vec![0u8; 1 << 20];
    // `block[start..end]` is read and not yet split: the start of a line.
    let (mut start, mut end, mut number) = (0, 0, 0);
    loop {
        block.copy_within(start..end, 0);
        (start, end) = (0, end - start);
        if end == block.len() {
            block.resize(2 * end, 0);
        }
        let read = match file.read(&mut block[end..]) {
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(crate::formats::io(path)(e)),
        };
        end += read;
        // The whole lines read, or at the end of the file what is left.
        let whole = match read {
            0 => end,
            _ => match block[..end].iter().rposition(|&b| b == b'\n') {
                Some(last) => last + 1,
                None => continue,
            },
        };
        // The lines of a text are the lines of its pieces cut after a `\n`.
        let piece = std::str::from_utf8(&block[start..whole]).map_err(|e| {
            let before = &block[start..start + e.valid_up_to()];
            let line = number + before.iter().filter(|&&b| b == b'\n').count() + 1;
            StudyError::Parse { path: path.to_owned(), line, message: "not valid UTF-8".into() }
        })?;
        for line in piece.lines() {
            number += 1;
            each(number, line);
        }
        start = whole;
        if read == 0 {
            return Ok(());
        }
    }
}

/// The problems of every codings file, in file order (the files checked in parallel).
fn check_codings(c: &mut Checker<'_>, codings: &[CodingsRead], documents: &Documents) {
    let files: Vec<(usize, &CodingsRead)> = codings.iter().enumerate().collect();
    let root = c.root;
    let problems = parallel::in_parts(&files, 2, |part| {
        let mut c = Checker { root, problems: Vec::new() };
        for &(f, file) in part {
            match file {
                Ok(file) => {
                    // The quote problems of this file's codings, in their order.
                    let first = documents.quotes.partition_point(|((at, _), _)| *at < f);
                    let last = documents.quotes.partition_point(|((at, _), _)| *at <= f);
                    check_codings_file(&mut c, file, &documents.quotes[first..last], documents);
                }
                Err(problem) => c.problems.push(problem.clone()),
            }
        }
        c.problems
    });
    c.problems.extend(problems.into_iter().flatten());
}

/// The problems of one codings file; `quotes` are those of its codings.
fn check_codings_file(
    c: &mut Checker<'_>,
    file: &CodingsFile,
    quotes: &[((usize, usize), QuoteProblem)],
    documents: &Documents,
) {
    let mut quotes = quotes.iter().peekable();
    let rel = file.rel.as_str();
    let names = &file.names;
    // By the number of a document's name: whether it loaded, and its unlinked speakers' turns.
    let loaded: Vec<bool> = names.list.iter().map(|n| documents.loaded.contains(n)).collect();
    let unlinked: Vec<Option<&Vec<UnlinkedTurn>>> = names.list.iter().map(|n| documents.unlinked.get(n)).collect();
    // (document, label) -> (codings, first line) of codings spoken in part by that label.
    let mut credited: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    let mut lines = file.lines.iter().peekable();
    for (r, x) in file.placed.iter().enumerate() {
        // The problems of the lines before, and this line's code not in the codebook.
        while let Some((_, problem)) = lines.next_if(|(line, _)| *line <= x.line) {
            c.problems.push(problem.clone());
        }
        let document = names.name(x.document);
        for (_, _, label) in unlinked[x.document as usize]
            .into_iter()
            .flatten()
            .filter(|(start, end, _)| *start < x.span.end.max(x.span.start + 1) && x.span.start < *end)
        {
            let seen = credited.entry((document, label)).or_insert((0, x.line));
            seen.0 += 1;
        }
        let problem = quotes.next_if(|((_, at), _)| *at == r).map(|(_, problem)| problem);
        if !loaded[x.document as usize] {
            c.error(
                rel,
                Some(x.line),
                format!("document `{document}` does not exist"),
                "remove the coding or import the document",
            );
        } else if let Some(problem) = problem {
            let message = match problem {
                QuoteProblem::Differs => {
                    format!("the quote no longer matches the text of `{document}` at {}", x.span)
                }
                QuoteProblem::Reversed => format!("span {} ends before it starts", x.span),
                QuoteProblem::Span(e) => e.to_string(),
            };
            c.error(rel, Some(x.line), message, "re-anchor the coding or restore the document");
        }
    }
    c.problems.extend(lines.map(|(_, problem)| problem.clone()));
    for ((document, label), (n, line)) in credited {
        c.warning(
            rel,
            Some(line),
            format!(
                "{} in `{document}` {} words of speaker `{label}`, who is linked to no participant: \
                 no participant is credited with those words, and quotes name them “{}”",
                if n == 1 { "1 coding".to_owned() } else { format!("{n} codings") },
                if n == 1 { "includes" } else { "include" },
                crate::attribution::UNIDENTIFIED
            ),
            &format!("run `thema link {document} \"{label}\" PARTICIPANT`, or `--interviewer`"),
        );
    }
    let copies = exact_copies(c.root, file);
    for &(copy, original) in &copies {
        let (x, first) = (&file.placed[copy], file.placed[original].line);
        c.error(
            rel,
            Some(x.line),
            format!(
                "`{}` in `{}` at {} is an exact copy of the coding of line {first} (a git merge can leave one \
                 coding on two lines): analyses would count it twice",
                names.name(x.code),
                names.name(x.document),
                x.span
            ),
            "run `thema check --fix` to remove the copy",
        );
    }
    // A copy is reported once, as a copy, not again as a coding that overlaps its original.
    let copied: BTreeSet<usize> = copies.iter().map(|&(copy, _)| copy).collect();
    let kept: Vec<&PlacedCoding> =
        file.placed.iter().enumerate().filter(|(i, _)| !copied.contains(i)).map(|(_, x)| x).collect();
    check_joined(c, rel, names, &kept);
}

/// The placed codings of `file` that are exact copies of an earlier one, as
/// [`crate::coding::exact_copies`] finds them: only codings of the same document, span and code
/// can be, and only those are read again in full.
fn exact_copies(root: &Path, file: &CodingsFile) -> Vec<(usize, usize)> {
    let key = |i: usize| {
        let x = &file.placed[i];
        (x.document, x.span.start, x.span.end, x.code)
    };
    let mut order: Vec<usize> = (0..file.placed.len()).collect();
    order.sort_unstable_by_key(|&i| key(i));
    let mut candidates: Vec<usize> =
        order.chunk_by(|&a, &b| key(a) == key(b)).filter(|run| run.len() > 1).flatten().copied().collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    candidates.sort_unstable();
    let wanted: BTreeMap<usize, usize> =
        candidates.iter().enumerate().map(|(k, &i)| (file.placed[i].line, k)).collect();
    let mut full: Vec<Option<crate::Coding>> = vec![None; candidates.len()];
    // The file was read a moment ago; should it have changed since, the lines that no longer
    // read are left out.
    let _ = each_line(&root.join(&file.rel), |number, line| {
        if let Some(&k) = wanted.get(&number) {
            full[k] = serde_json::from_str(line).ok();
        }
    });
    let (candidates, codings): (Vec<usize>, Vec<crate::Coding>) =
        candidates.into_iter().zip(full).filter_map(|(i, coding)| Some((i, coding?))).unzip();
    crate::coding::exact_copies(&codings)
        .into_iter()
        .map(|(copy, original)| (candidates[copy], candidates[original]))
        .collect()
}

/// Codings of one coder that break the rule of one coding a passage a code a coder
/// ([`crate::coding::joins`]): the same passage would be counted twice.
fn check_joined(c: &mut Checker<'_>, rel: &str, names: &Names, placed: &[&PlacedCoding]) {
    // The names' ranks sort as the names do.
    let ranks = names.ranks();
    let rank = |n: u32| ranks[n as usize];
    let pairs = crate::coding::joined_pairs_by(
        placed.iter().map(|x| Some(((rank(x.coder), rank(x.document), rank(x.code)), x.span))),
    );
    for (a, b) in pairs {
        let (x, y) = (placed[a], placed[b]);
        c.warning(
            rel,
            Some(y.line),
            format!(
                "`{}` in `{}` at {} {} the coding of line {} ({}) by the same coder: one passage counted twice",
                names.name(y.code),
                names.name(y.document),
                y.span,
                if x.span.overlaps(y.span) { "overlaps" } else { "touches" },
                x.line,
                x.span
            ),
            "run `thema check --fix` to join them into one coding",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines `each_line` gives for a file of `bytes`, or its error as (line, message).
    fn lines_of(bytes: &[u8]) -> Result<Vec<(usize, String)>, (usize, String)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        fs::write(&path, bytes).unwrap();
        let mut lines = Vec::new();
        match each_line(&path, |number, line| lines.push((number, line.to_owned()))) {
            Ok(()) => Ok(lines),
            Err(StudyError::Parse { line, message, .. }) => Err((line, message)),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn a_codings_file_read_a_block_at_a_time_has_the_lines_of_its_whole_text() {
        // Lines longer than the first block (1 MiB), CR LF, blank lines, no final line break:
        // `str::lines` over the whole text is the reference.
        let long = "x".repeat(1_500_000);
        let text = format!("a\r\n\n{long}\nb\n{long}{long}\r\nlast");
        let expected: Vec<(usize, String)> = text.lines().enumerate().map(|(i, l)| (i + 1, l.to_owned())).collect();
        assert_eq!(expected.len(), 6);
        assert_eq!(lines_of(text.as_bytes()), Ok(expected));
        assert_eq!(lines_of(b""), Ok(vec![]));
        assert_eq!(lines_of(b"\n"), Ok(vec![(1, String::new())]));
    }

    #[test]
    fn a_codings_file_not_utf8_names_the_line_read_text_names() {
        // The bad byte on line 4, past the first block.
        let mut bytes = format!("a\nb\n{}\n", "y".repeat(1_200_000)).into_bytes();
        bytes.extend_from_slice(b"caf\xe9\nd\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        fs::write(&path, &bytes).unwrap();
        let Err(StudyError::Parse { line, .. }) = study::read_text(&path) else { panic!("read as UTF-8") };
        assert_eq!(line, 4);
        assert_eq!(lines_of(&bytes), Err((4, "not valid UTF-8".to_owned())));
    }
}
