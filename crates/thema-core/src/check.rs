//! `thema check`: validate a whole study and say, for every problem, the file, the line and
//! what to do. Unlike [`Study::open`](crate::Study::open), which stops at the first broken file,
//! this reads everything it can and reports all it finds.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde::Serialize;

use crate::document::{is_valid_date, is_valid_id, Turn};
use crate::error::list;
use crate::error::StudyError;
use crate::fsio;
use crate::participant::{check_value, Participants};
use crate::span::TextIndex;
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
    let (documents, unlinked) = check_documents(&mut c, participants.as_ref());
    check_codebook_and_codings(&mut c, &documents, &unlinked);
    check_memos(&mut c, &documents);
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

fn check_memos(c: &mut Checker<'_>, texts: &Texts) {
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
            Attachment::Document(d) => (!texts.contains_key(&d)).then(|| format!("document `{d}`")),
            Attachment::Turn(t) => (!texts.contains_key(&t.document)).then(|| format!("turn `{t}`")),
            Attachment::Entry(e) => codebook.as_ref().filter(|cb| cb.get(&e).is_none()).map(|_| format!("code `{e}`")),
            Attachment::Relation { from, to, label } => codebook
                .as_ref()
                .filter(|cb| !cb.relations.iter().any(|r| r.from == from && r.to == to && r.label == label))
                .map(|_| format!("the relation `{from}` {label} `{to}`")),
            Attachment::Coding { document, code, .. } => {
                (!texts.contains_key(&document)).then(|| format!("a coding of `{code}` in document `{document}`"))
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

/// Document id -> (text length in code points, text) for the documents that loaded.
type Texts = BTreeMap<String, String>;

/// Document id -> the turns spoken by a label linked to no participant and not marked as the
/// interviewer: (start, end, label).
type Unlinked = BTreeMap<String, Vec<(usize, usize, String)>>;

fn check_documents(c: &mut Checker<'_>, participants: Option<&Participants>) -> (Texts, Unlinked) {
    let mut texts = Texts::new();
    let mut unlinked = Unlinked::new();
    let docs_dir = c.root.join(files::DOCUMENTS);
    let Ok(entries) = fs::read_dir(&docs_dir) else {
        c.error(
            files::DOCUMENTS,
            None,
            "the documents folder is missing".into(),
            "create an empty `documents/` folder",
        );
        return (texts, unlinked);
    };
    let mut names: Vec<String> =
        entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let mut sequences: BTreeMap<u32, String> = BTreeMap::new();
    for name in names {
        let rel = format!("{}/{name}", files::DOCUMENTS);
        if name.starts_with('.') || !docs_dir.join(&name).is_dir() {
            continue;
        }
        if !docs_dir.join(&name).join(files::DOCUMENT_META).exists() {
            c.error(
                &rel,
                None,
                format!("folder without `{}`", files::DOCUMENT_META),
                "delete the folder or import the document again",
            );
            continue;
        }
        if let Some(text) = check_document(c, &name, participants, &mut sequences, &mut unlinked) {
            texts.insert(name, text);
        }
    }
    (texts, unlinked)
}

fn check_document(
    c: &mut Checker<'_>,
    id: &str,
    participants: Option<&Participants>,
    sequences: &mut BTreeMap<u32, String>,
    unlinked: &mut Unlinked,
) -> Option<String> {
    let dir = format!("{}/{id}", files::DOCUMENTS);
    let meta_file = format!("{dir}/{}", files::DOCUMENT_META);
    let meta_text = c.read(&meta_file, "save the file as UTF-8")?;
    let meta = match study::parse_meta(&c.root.join(&meta_file), &meta_text) {
        Ok(m) => m,
        Err(e) => {
            c.failed(&meta_file, e, "correct the line named; `corpus-schema/document.schema.json` lists the fields");
            return None;
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
    if let Some(other) = sequences.insert(meta.sequence, id.to_owned()) {
        c.warning(
            &meta_file,
            None,
            format!("sequence {} is also used by `{other}`", meta.sequence),
            "give each document its own import sequence number",
        );
    }
    if let Some(source) = &meta.source {
        if source.sha256.len() != 64 || !source.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            c.error(&meta_file, None, "source sha256 is not 64 hex digits".into(), fix_meta);
        }
    }
    let speakers_file = format!("{dir}/{}", files::DOCUMENT_SPEAKERS);
    let speakers = match c.read(&speakers_file, "restore the file from git") {
        Some(text) => match study::parse_speakers(&c.root.join(&speakers_file), &text) {
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
    let text = c.read(&text_file, "restore the file from git, or import the document again")?;
    if !is_normalised(&text) {
        c.error(
            &text_file,
            None,
            "text has a byte order mark or CR line endings, so spans no longer match".into(),
            "restore the file from git; thema normalises text at import only",
        );
    }
    let turns_file = format!("{dir}/{}", files::DOCUMENT_TURNS);
    if let Some(turns_text) = c.read(&turns_file, "restore the file from git") {
        match study::parse_turns(&c.root.join(&turns_file), &turns_text) {
            Ok(turns) => {
                check_turns(c, &turns_file, &turns, &text, &labels);
                let nobody: BTreeSet<&str> = speakers
                    .iter()
                    .filter(|s| s.participant.is_none() && !s.interviewer)
                    .map(|s| s.label.as_str())
                    .collect();
                let spoken: Vec<(usize, usize, String)> = turns
                    .iter()
                    .filter_map(|t| t.speaker.as_deref().filter(|l| nobody.contains(l)).map(|l| (t, l)))
                    .map(|(t, l)| (t.span.start, t.span.end, l.to_owned()))
                    .collect();
                if !spoken.is_empty() {
                    unlinked.insert(id.to_owned(), spoken);
                }
            }
            Err(e) => c.failed(&turns_file, e, "columns are `turn,speaker,start,end,time_start,time_end`"),
        }
    }
    Some(text)
}

fn check_turns(c: &mut Checker<'_>, file: &str, turns: &[Turn], text: &str, labels: &BTreeSet<&str>) {
    let index = TextIndex::new(text);
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

fn check_codebook_and_codings(c: &mut Checker<'_>, texts: &Texts, unlinked: &Unlinked) {
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
    let ids: BTreeSet<&str> = codebook.iter().flat_map(|cb| cb.entries.iter().map(|e| e.id.as_str())).collect();
    if let Some(cb) = &codebook {
        for problem in cb.problems() {
            c.error(file, None, problem, "edit `codebook.toml`, or use `thema codebook move` / `rename`");
        }
    }
    let Ok(entries) = fs::read_dir(c.root.join(files::CODINGS)) else { return };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    paths.sort();
    // The index of the last document a coding pointed into: codings come sorted by document.
    let mut last_index: Option<(&str, TextIndex<'_>)> = None;
    for path in paths {
        let rel = format!("{}/{}", files::CODINGS, path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
        let Some(text) = c.read(&rel, "save the file as UTF-8") else { continue };
        // (document, label) -> (codings, first line) of codings spoken in part by that label.
        let mut credited: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
        // The placed codings of the file with their lines, for the overlap rule below.
        let mut placed: Vec<(usize, crate::Coding)> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let coding: crate::Coding = match serde_json::from_str::<crate::Coding>(line) {
                Ok(x) if x.unplaced => {
                    c.warning(
                        &rel,
                        Some(i + 1),
                        format!(
                            "`{}` on “{}” in `{}` lost its place when the transcript was corrected",
                            x.code, x.quote, x.document
                        ),
                        "code the passage again with `thema code`, then delete this line",
                    );
                    continue;
                }
                Ok(x) => x,
                Err(e) => {
                    c.error(
                        &rel,
                        Some(i + 1),
                        e.to_string(),
                        "one JSON object a line; see `corpus-schema/coding.schema.json`",
                    );
                    continue;
                }
            };
            for (_, _, label) in unlinked
                .get(&coding.document)
                .into_iter()
                .flatten()
                .filter(|(start, end, _)| *start < coding.end.max(coding.start + 1) && coding.start < *end)
            {
                let seen = credited.entry((coding.document.clone(), label.clone())).or_insert((0, i + 1));
                seen.0 += 1;
            }
            placed.push((i + 1, coding.clone()));
            if codebook.is_some() && !ids.contains(coding.code.as_str()) {
                c.error(
                    &rel,
                    Some(i + 1),
                    format!("code `{}` is not in the codebook", coding.code),
                    "add the code or remove the coding",
                );
            }
            match texts.get_key_value(&coding.document) {
                None => c.error(
                    &rel,
                    Some(i + 1),
                    format!("document `{}` does not exist", coding.document),
                    "remove the coding or import the document",
                ),
                Some((id, text)) => {
                    let index = match last_index.take() {
                        Some((last, index)) if last == id.as_str() => index,
                        _ => TextIndex::new(text),
                    };
                    match index.slice(coding.span()) {
                        Ok(quote) if quote == coding.quote => {}
                        Ok(_) => c.error(
                            &rel,
                            Some(i + 1),
                            format!(
                                "the quote no longer matches the text of `{}` at {}",
                                coding.document,
                                coding.span()
                            ),
                            "re-anchor the coding or restore the document",
                        ),
                        Err(e) => {
                            c.error(&rel, Some(i + 1), e.to_string(), "re-anchor the coding or restore the document")
                        }
                    }
                    last_index = Some((id.as_str(), index));
                }
            }
        }
        for ((document, label), (n, line)) in credited {
            c.warning(
                &rel,
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
        let copies = crate::coding::exact_copies(&placed.iter().map(|(_, x)| x.clone()).collect::<Vec<_>>());
        for &(copy, original) in &copies {
            let ((line, x), (first, _)) = (&placed[copy], &placed[original]);
            c.error(
                &rel,
                Some(*line),
                format!(
                    "`{}` in `{}` at {} is an exact copy of the coding of line {first} (a git merge can leave one \
                     coding on two lines): analyses would count it twice",
                    x.code,
                    x.document,
                    x.span()
                ),
                "run `thema check --fix` to remove the copy",
            );
        }
        // A copy is reported once, as a copy, not again as a coding that overlaps its original.
        let copied: BTreeSet<usize> = copies.iter().map(|&(copy, _)| copy).collect();
        let placed: Vec<(usize, crate::Coding)> =
            placed.into_iter().enumerate().filter(|(i, _)| !copied.contains(i)).map(|(_, x)| x).collect();
        check_joined(c, &rel, &placed);
    }
}

/// Codings of one coder that break the rule of one coding a passage a code a coder
/// ([`crate::coding::joins`]): the same passage would be counted twice.
fn check_joined(c: &mut Checker<'_>, rel: &str, placed: &[(usize, crate::Coding)]) {
    let codings: Vec<crate::Coding> = placed.iter().map(|(_, x)| x.clone()).collect();
    for (a, b) in crate::coding::joined_pairs(&codings) {
        let ((line_a, x), (line_b, y)) = (&placed[a], &placed[b]);
        c.warning(
            rel,
            Some(*line_b),
            format!(
                "`{}` in `{}` at {} {} the coding of line {line_a} ({}) by the same coder: one passage counted twice",
                y.code,
                y.document,
                y.span(),
                if x.span().overlaps(y.span()) { "overlaps" } else { "touches" },
                x.span()
            ),
            "run `thema check --fix` to join them into one coding",
        );
    }
}
