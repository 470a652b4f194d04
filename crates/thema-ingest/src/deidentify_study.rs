//! De-identifying a whole study: every document's text, title, attributes and speaker labels,
//! the participants, the study's description, the codebook, the decision log, memos and coding
//! memos, with pseudonyms from a key kept outside the study and tags for direct identifiers
//! (see [`crate::deidentify`] for the replacement itself). Turns, speakers and codings are
//! carried over to the new text; codings that come to overlap are joined by the one rule of
//! [`thema_core::coding::place`]. Also: the review of words a person should look at, and the
//! list of words marked as not identifiers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use thema_core::coding::{now, place};
use thema_core::study::Decision;
use thema_core::text::count;
use thema_core::{Coding, Document, Span, SpanError, Study, StudyError, TextIndex};

use crate::deidentify::{
    apply_edits, map_position, merge_speakers, Deidentifier, Edit, Key, SpeakerConflict, SpeakerMerge,
};

/// The log of what was replaced, in the study: document, turn, category, count; never the
/// original text.
pub const LOG: &str = "deidentification.csv";

/// Words the review has been told are not identifiers, one a line, in the study.
pub const KEPT: &str = "deidentification-kept.txt";

/// How to de-identify a study.
#[derive(Clone, Debug, Default)]
pub struct DeidentifyOptions {
    /// Identifiers and their replacements (read with [`read_key`], outside the study).
    pub key: Key,
    /// Find direct identifiers too (e-mail, phone, URL, postal code, address, date of birth).
    pub detect: bool,
    /// Work out what would change, and save nothing.
    pub dry_run: bool,
    /// Who de-identifies, for the decision log.
    pub who: String,
    /// Why, for the decision log.
    pub why: Option<String>,
}

/// Why de-identification failed. [`DeidentifyError::hint`] says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeidentifyError {
    /// The key lies inside the study.
    #[error(
        "the key {} is inside the study, where it would be shared, committed and exported with it",
        .0.display()
    )]
    KeyInStudy(PathBuf),
    /// The key could not be read.
    #[error("cannot read the key {}: {error}", path.display())]
    KeyUnreadable {
        /// The key file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// A line of the key does not parse.
    #[error("{}: line {line}: {message}", path.display())]
    Key {
        /// The key file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Speakers who are different people would get one label; the lines name them.
    #[error("the key would make different people one speaker, so nothing was changed:\n{}", .0.join("\n"))]
    SpeakerConflicts(Vec<String>),
    /// Two codebook entries would get one name; the problems as the codebook words them.
    #[error("the codebook would not be valid after the replacement: {}", .0.join("; "))]
    Codebook(Vec<String>),
    /// A coding does not fit the new text.
    #[error("document `{document}`: a coding of `{code}` cannot be carried over: {error}")]
    CarryCoding {
        /// Document id.
        document: String,
        /// Its code.
        code: String,
        /// Why.
        error: SpanError,
    },
    /// Codings that became one passage could not be joined.
    #[error("document `{document}`: codings of `{coder}` cannot be joined: {error}")]
    JoinCodings {
        /// Document id.
        document: String,
        /// The coder.
        coder: String,
        /// Why.
        error: SpanError,
    },
    /// The old search index could not be removed.
    #[error("cannot remove the old search index {}: {error}", path.display())]
    Index {
        /// Its folder.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// An old cache of the documents' metadata or turns could not be removed.
    #[error("cannot remove the old cache of the documents' speaker labels {}: {error}", path.display())]
    MetaCache {
        /// The cache file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The study could not be read or written.
    #[error(transparent)]
    Study(#[from] StudyError),
    /// A file of the study could not be read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl DeidentifyError {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        Some(
            match self {
                DeidentifyError::KeyInStudy(_) => {
                    "move it outside the study folder (for instance beside it) and pass that path"
                }
                DeidentifyError::SpeakerConflicts(_) => {
                    "give each of them a replacement of their own in the key (`Participant 1`, `Participant 2`), \
                 or correct the speakers' links (`thema link`) if they are one person"
                }
                DeidentifyError::Codebook(_) => "rename the entries the message names first (`thema codebook rename`)",
                _ => return None,
            }
            .to_owned(),
        )
    }
}

/// What [`deidentify_study`] did (or, with `dry_run`, would do).
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Documents rewritten.
    pub documents: usize,
    /// Identifiers replaced, by category.
    pub replaced: BTreeMap<&'static str, usize>,
    /// The codings the rewrite changed, by document and coder.
    pub codings: Vec<CodingChanges>,
    /// Speakers of one document whose labels became one.
    pub speakers_merged: Vec<MergedSpeakers>,
    /// Memos de-identified.
    pub memos_changed: usize,
    /// Nothing was saved.
    pub dry_run: bool,
    /// Participants given a new id (the old one was a key form), old id to new.
    #[serde(skip)]
    pub new_ids: BTreeMap<String, String>,
}

/// How the rewrite changed one coder's codings in one document.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CodingChanges {
    /// Document id.
    pub document: String,
    /// The coder.
    pub coder: String,
    /// The same words, at a new place or with new words around them.
    pub moved: usize,
    /// An identifier inside the coded words was replaced.
    pub rewritten: usize,
    /// It began or ended inside an identifier, and now covers the whole replacement.
    pub widened: usize,
    /// Joined into another coding of the same code by the same coder, because the two came to
    /// overlap or touch (both inside one replaced URL, say): one coding fewer.
    pub merged: usize,
    /// Only the coding's memo was de-identified.
    pub memos: usize,
}

impl CodingChanges {
    /// The codings changed, each once (a merged coding was also moved, rewritten or widened).
    pub fn total(&self) -> usize {
        self.moved + self.rewritten + self.widened + self.memos
    }

    /// `2 moved, 1 merged into another`.
    pub fn describe(&self) -> String {
        [
            (self.moved, "moved"),
            (self.rewritten, "rewritten"),
            (self.widened, "widened"),
            (self.merged, "merged into another"),
            (self.memos, "with a memo de-identified"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// Speakers of one document whose labels became one.
#[derive(Debug, Serialize)]
pub struct MergedSpeakers {
    /// Document id.
    pub document: String,
    /// Their labels before.
    pub from: Vec<String>,
    /// The one label now.
    pub label: String,
    /// The participant (or interviewer) they stand for.
    pub link: String,
}

/// Carries one document's codings over to its new text.
struct Carry<'a> {
    d: &'a Deidentifier,
    edits: &'a [Edit],
    old: &'a TextIndex<'a>,
    new: &'a TextIndex<'a>,
    document: &'a Document,
}

impl Carry<'_> {
    /// True when code point `position` of the old text is strictly inside a replaced range.
    fn inside(&self, position: usize) -> bool {
        let byte = self.old.byte_of(position).unwrap_or(usize::MAX);
        self.edits.iter().any(|e| e.start < byte && byte < e.end)
    }

    /// The codings of the document on the new text, each change counted in `changes` by coder.
    /// Codings of one code by one coder that now overlap or touch are joined (their memos
    /// kept), as `thema code` would have joined them.
    fn codings(
        &self,
        list: Vec<Coding>,
        changes: &mut BTreeMap<(String, String), CodingChanges>,
    ) -> Result<Vec<Coding>, DeidentifyError> {
        let id = &self.document.meta.id;
        let mut out = Vec::new();
        let mut groups: BTreeMap<(String, String), Vec<Coding>> = BTreeMap::new();
        for c in list {
            let counts = changes.entry((id.clone(), c.coder.clone())).or_default();
            if c.unplaced {
                let mut moved = c.clone();
                moved.quote = self.d.apply(&c.quote).0;
                moved.before = self.d.apply(&c.before).0;
                moved.after = self.d.apply(&c.after).0;
                moved.memo = self.d.apply(&c.memo).0;
                if moved.quote != c.quote {
                    counts.rewritten += 1;
                } else if moved.before != c.before || moved.after != c.after {
                    counts.moved += 1;
                } else if moved.memo != c.memo {
                    counts.memos += 1;
                }
                out.push(moved);
                continue;
            }
            let start = move_position(self.old, self.new, self.edits, c.start, false);
            let end = move_position(self.old, self.new, self.edits, c.end, true);
            let span = self.new.widen_to_graphemes(Span::new(start, end.max(start)).unwrap_or_default());
            let mut moved = Coding::new(self.document, span, &c.code, &c.coder, &c.time)
                .map_err(|error| DeidentifyError::CarryCoding { document: id.clone(), code: c.code.clone(), error })?;
            moved.memo = self.d.apply(&c.memo).0;
            moved.exemplar = c.exemplar;
            if moved.quote != c.quote {
                if self.inside(c.start) || self.inside(c.end) {
                    counts.widened += 1;
                } else {
                    counts.rewritten += 1;
                }
            } else if (moved.start, moved.end) != (c.start, c.end) || moved.before != c.before || moved.after != c.after
            {
                counts.moved += 1;
            } else if moved.memo != c.memo {
                counts.memos += 1;
            }
            groups.entry((moved.coder.clone(), moved.code.clone())).or_default().push(moved);
        }
        for ((coder, _), mut group) in groups {
            group.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()).then_with(|| a.time.cmp(&b.time)));
            let before = group.len();
            let mut joined = Vec::new();
            for c in group {
                place(&mut joined, c, self.document).map_err(|error| DeidentifyError::JoinCodings {
                    document: id.clone(),
                    coder: coder.clone(),
                    error,
                })?;
            }
            if joined.len() < before {
                changes.entry((id.clone(), coder)).or_default().merged += before - joined.len();
            }
            out.extend(joined);
        }
        Ok(out)
    }
}

/// Read and parse a key file wherever it is; errors name the file and line. (`thema audit` reads
/// keys wherever they are; de-identification goes through [`read_key`].)
pub fn parse_key(path: &Path) -> Result<Key, DeidentifyError> {
    let text = thema_core::fsio::read_regular(path)
        .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
        .map_err(|error| DeidentifyError::KeyUnreadable { path: path.to_owned(), error })?;
    Key::parse(&text).map_err(|(line, message)| DeidentifyError::Key { path: path.to_owned(), line, message })
}

/// Read the key, refusing one inside the study: it must never travel with the study.
pub fn read_key(study: &Study, path: &Path) -> Result<Key, DeidentifyError> {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let root = std::fs::canonicalize(study.root()).unwrap_or_else(|_| study.root().to_owned());
    if absolute.starts_with(&root) {
        return Err(DeidentifyError::KeyInStudy(path.to_owned()));
    }
    parse_key(path)
}

/// A code-point position of the old text moved through `edits` (byte offsets) to the new text.
fn move_position(old: &TextIndex, new: &TextIndex, edits: &[Edit], position: usize, is_end: bool) -> usize {
    let byte = old.byte_of(position).unwrap_or(old.text().len());
    new.char_of(map_position(edits, byte, is_end)).unwrap_or(new.char_len())
}

/// Capitalised words that are never identifiers, whatever the corpus says.
const COMMON: &[&str] = &[
    "i",
    "i'm",
    "i’m",
    "i've",
    "i’ve",
    "i'll",
    "i’ll",
    "i'd",
    "i’d",
    "ok",
    "okay",
    "yeah",
    "yes",
    "no",
    "mr",
    "mrs",
    "ms",
    "dr",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "christmas",
    "english",
    "french",
];

/// The words marked as not identifiers (lower case).
pub fn kept(study: &Study) -> Result<Vec<String>, DeidentifyError> {
    let path = study.root().join(KEPT);
    if !path.exists() {
        return Ok(Vec::new());
    }
    Ok(std::fs::read_to_string(&path)?.lines().map(|l| l.trim().to_lowercase()).filter(|l| !l.is_empty()).collect())
}

/// Record `words` as not identifiers (in [`KEPT`]) and log the decision; returns how many were
/// new.
pub fn keep(study: &Study, who: &str, words: &[String], why: Option<String>) -> Result<usize, DeidentifyError> {
    let mut all = kept(study)?;
    let before = all.len();
    for w in words {
        let w = w.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        if !w.is_empty() && !all.contains(&w) {
            all.push(w);
        }
    }
    all.sort();
    let text: String = all.iter().map(|w| format!("{w}\n")).collect();
    study.write_file(KEPT, text.as_bytes())?;
    let added = all.len() - before;
    study.log_decision(&Decision {
        time: now(),
        who: who.to_owned(),
        action: "deidentify-keep".to_owned(),
        what: format!("{} marked as not identifiers", count(added, "word", "words")),
        why: why.unwrap_or_default(),
    })?;
    Ok(added)
}

/// A word or phrase the review asks a person to decide about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The words.
    pub text: String,
    /// How often they occur.
    pub count: usize,
    /// The turns they occur in, in order.
    pub turns: Vec<String>,
}

/// Capitalised words and phrases a person should look at: not in the key, not marked as kept,
/// not a participant's pseudonym or role or a speaker label, never seen in lower case in the
/// study. Most frequent first.
pub fn review(study: &Study, key: &Key) -> Result<Vec<Candidate>, DeidentifyError> {
    let word = regex::Regex::new(r"[\p{L}][\p{L}'’\-]*").expect("the word pattern compiles");
    // Capitalised words in a row, with the small words names keep inside (`Unlocking the Gates`).
    let phrase = regex::Regex::new(
        r"\b\p{Lu}[\p{L}'’\-]*(?:[ \t]+(?:(?:of|the|and|for|de|del|la|le|van|von|da)[ \t]+)?\p{Lu}[\p{L}'’\-]*)*",
    )
    .expect("the phrase pattern compiles");
    let documents: Vec<thema_core::Document> =
        study.documents().iter().map(|m| study.load_document(&m.id)).collect::<Result<_, _>>()?;
    // A word seen in lower case somewhere in the study is a common word.
    let mut lower = std::collections::BTreeSet::new();
    for d in &documents {
        for m in word.find_iter(&d.text) {
            if m.as_str().chars().next().is_some_and(char::is_lowercase) {
                lower.insert(m.as_str().to_lowercase());
            }
        }
    }
    let mut known: std::collections::BTreeSet<String> = kept(study)?.into_iter().collect();
    for e in &key.entries {
        for w in e.original.split_whitespace().chain(e.replacement.split_whitespace()) {
            known.insert(w.to_lowercase());
        }
    }
    for p in study.participants.rows() {
        known.extend(p.pseudonym.split_whitespace().map(str::to_lowercase));
        known.extend(p.role.split_whitespace().map(str::to_lowercase));
    }
    for d in &documents {
        for s in &d.meta.speakers {
            known.extend(s.label.split_whitespace().map(str::to_lowercase));
        }
    }
    let common = |w: &str| {
        let w = w.to_lowercase();
        let w = w.trim_end_matches("'s").trim_end_matches("’s");
        COMMON.contains(&w) || lower.contains(w) || known.contains(w) || w.chars().count() < 2
    };
    let mut found: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    for d in &documents {
        for (turn, text) in d.turn_texts() {
            for m in phrase.find_iter(text) {
                let words: Vec<&str> = m.as_str().split_whitespace().collect();
                // Drop common words at either end (`So Simon` -> `Simon`).
                let start = words.iter().position(|w| !common(w));
                let end = words.iter().rposition(|w| !common(w));
                let (Some(start), Some(end)) = (start, end) else { continue };
                let candidate = words[start..=end].join(" ");
                if known.contains(&candidate.to_lowercase()) {
                    continue;
                }
                let entry = found.entry(candidate).or_default();
                entry.0 += 1;
                let id = d.turn_id(turn.number);
                if entry.1.last() != Some(&id) {
                    entry.1.push(id);
                }
            }
        }
    }
    let mut candidates: Vec<Candidate> =
        found.into_iter().map(|(text, (count, turns))| Candidate { text, count, turns }).collect();
    candidates.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
    Ok(candidates)
}

/// Replace identifiers in every document (and the rest of the study, see the module's doc) by
/// `options`; with `dry_run`, only count. Nothing is written when two people would become one
/// speaker or two codebook entries one name. The search index, which holds the old text, is
/// removed first; the replacements are logged in [`LOG`] by document, turn and category.
pub fn deidentify_study(study: &mut Study, options: &DeidentifyOptions) -> Result<Summary, DeidentifyError> {
    let d = Deidentifier::new(&options.key, options.detect);
    let mut summary = Summary { dry_run: options.dry_run, ..Summary::default() };
    let mut log_rows: Vec<(String, u32, &'static str, usize)> = Vec::new();
    let mut changed: Vec<Document> = Vec::new();
    // Codings by document: a document's codings are carried over together, so that the ones
    // that become one passage are joined (one coding a passage a code a coder).
    let mut by_document: BTreeMap<String, Vec<Coding>> = BTreeMap::new();
    for c in study.load_codings()? {
        by_document.entry(c.document.clone()).or_default().push(c);
    }
    let mut changes: BTreeMap<(String, String), CodingChanges> = BTreeMap::new();
    let mut merges: Vec<(String, SpeakerMerge)> = Vec::new();
    let mut conflicts: Vec<(String, SpeakerConflict)> = Vec::new();
    let ids: Vec<String> = study.documents().iter().map(|m| m.id.clone()).collect();
    for id in ids {
        let old = study.load_document(&id)?;
        let edits = d.edits(&old.text);
        let title = d.apply(&old.meta.title).0;
        // The name of the file it was imported from (`Interview Simon Fraser.docx`) and the
        // document's attributes can name people too.
        let source_file = old.meta.source.as_ref().map(|s| d.apply(&s.file).0);
        let attributes: BTreeMap<String, String> =
            old.meta.attributes.iter().map(|(k, v)| (k.clone(), d.apply(v).0)).collect();
        let labels: Vec<String> = old.meta.speakers.iter().map(|s| d.apply(&s.label).0).collect();
        let labels_changed = old.meta.speakers.iter().zip(&labels).any(|(s, l)| &s.label != l);
        let meta_changed = title != old.meta.title
            || source_file.as_deref() != old.meta.source.as_ref().map(|s| s.file.as_str())
            || attributes != old.meta.attributes;
        if edits.is_empty() && !meta_changed && !labels_changed {
            continue;
        }
        // Labels that become one are one speaker; refused (after every document is seen, so
        // that all are named) when they are different people.
        let speakers = match merge_speakers(&old.meta.speakers, &labels) {
            Ok((speakers, merged)) => {
                merges.extend(merged.into_iter().map(|m| (id.clone(), m)));
                speakers
            }
            Err(found) => {
                conflicts.extend(found.into_iter().map(|c| (id.clone(), c)));
                continue;
            }
        };
        summary.documents += 1;
        let text = apply_edits(&old.text, &edits);
        let old_index = TextIndex::new(&old.text);
        let new_index = TextIndex::new(&text);
        // What was replaced where, by turn (0 for text outside any turn).
        let mut per_turn: BTreeMap<(u32, &'static str), usize> = BTreeMap::new();
        for e in &edits {
            let at = old_index.char_of(e.start).unwrap_or(0);
            let turn = old.turns.iter().find(|t| t.span.start <= at && at < t.span.end.max(t.span.start + 1));
            *per_turn.entry((turn.map_or(0, |t| t.number), e.category.name())).or_default() += 1;
            *summary.replaced.entry(e.category.name()).or_default() += 1;
        }
        log_rows.extend(per_turn.into_iter().map(|((turn, category), n)| (id.clone(), turn, category, n)));
        let rename: BTreeMap<&str, &str> =
            old.meta.speakers.iter().zip(&labels).map(|(s, l)| (s.label.as_str(), l.as_str())).collect();
        let mut new = old.clone();
        new.text = text.clone();
        new.meta.title = title;
        new.meta.attributes = attributes;
        if let (Some(source), Some(file)) = (new.meta.source.as_mut(), source_file) {
            source.file = file;
        }
        new.meta.speakers = speakers;
        for turn in &mut new.turns {
            let start = move_position(&old_index, &new_index, &edits, turn.span.start, false);
            let end = move_position(&old_index, &new_index, &edits, turn.span.end, true);
            turn.span = Span::new(start, end.max(start)).unwrap_or(turn.span);
            if let Some(s) = &turn.speaker {
                turn.speaker = rename.get(s.as_str()).map(|l| (*l).to_owned()).or(turn.speaker.take());
            }
        }
        if let Some(list) = by_document.get_mut(&id) {
            let carried = Carry { d: &d, edits: &edits, old: &old_index, new: &new_index, document: &new };
            *list = carried.codings(std::mem::take(list), &mut changes)?;
        }
        changed.push(new);
    }
    if !conflicts.is_empty() {
        let lines: Vec<String> = conflicts
            .iter()
            .map(|(document, c)| {
                let who: Vec<String> = c.speakers.iter().map(|(label, link)| format!("`{label}` ({link})")).collect();
                format!("  {document}: {} would all become `{}`", who.join(" and "), c.label)
            })
            .collect();
        return Err(DeidentifyError::SpeakerConflicts(lines));
    }
    // Coding memos of the documents whose text had nothing to replace.
    let rewritten: std::collections::BTreeSet<&str> = changed.iter().map(|d| d.meta.id.as_str()).collect();
    for (document, list) in by_document.iter_mut().filter(|(id, _)| !rewritten.contains(id.as_str())) {
        for c in list {
            let memo = d.apply(&c.memo).0;
            if memo != c.memo {
                c.memo = memo;
                changes.entry((document.clone(), c.coder.clone())).or_default().memos += 1;
            }
        }
    }
    let codings: Vec<Coding> = by_document.into_values().flatten().collect();
    summary.codings = changes
        .into_iter()
        .filter(|(_, counts)| counts.total() + counts.merged > 0)
        .map(|((document, coder), counts)| CodingChanges { document, coder, ..counts })
        .collect();
    summary.speakers_merged = merges
        .iter()
        .map(|(document, m)| MergedSpeakers {
            document: document.clone(),
            from: m.from.clone(),
            label: m.label.clone(),
            link: m.link.clone(),
        })
        .collect();
    // Participants: pseudonyms, roles and attributes; an id that is a key form (made from a
    // real name) gets a new id, and every speaker link follows.
    let mut participants = study.participants.clone();
    let mut new_ids: BTreeMap<String, String> = BTreeMap::new();
    for p in participants.rows_mut() {
        p.pseudonym = d.apply(&p.pseudonym).0;
        p.role = d.apply(&p.role).0;
        for value in p.attributes.values_mut() {
            *value = d.apply(value).0;
        }
        let replaced = d.apply(&p.id).0;
        if replaced != p.id {
            new_ids.insert(p.id.clone(), thema_core::document::slugify(&replaced));
        }
    }
    for (old, new) in new_ids.iter_mut() {
        let taken = |id: &str| id.is_empty() || participants.rows().iter().any(|p| p.id == id && p.id != *old);
        *new = thema_core::document::numbered(new, taken);
    }
    for p in participants.rows_mut() {
        if let Some(new) = new_ids.get(&p.id) {
            p.id = new.clone();
        }
    }
    let participants_changed = participants != study.participants;
    for document in &mut changed {
        for s in &mut document.meta.speakers {
            if let Some(new) = s.participant.as_ref().and_then(|p| new_ids.get(p)) {
                s.participant = Some(new.clone());
            }
        }
    }
    let mut relinked = Vec::new();
    for meta in study.documents() {
        if changed.iter().any(|c| c.meta.id == meta.id) {
            continue;
        }
        if meta.speakers.iter().any(|s| s.participant.as_ref().is_some_and(|p| new_ids.contains_key(p))) {
            let mut meta = meta.clone();
            for s in &mut meta.speakers {
                if let Some(new) = s.participant.as_ref().and_then(|p| new_ids.get(p)) {
                    s.participant = Some(new.clone());
                }
            }
            relinked.push(meta);
        }
    }
    // The study's own words: its description, the codebook (in-vivo names and examples are
    // participants' words) and the decision log.
    let mut settings = study.settings.clone();
    for field in [&mut settings.name, &mut settings.description, &mut settings.methodology] {
        *field = d.apply(field).0;
    }
    let settings_changed = settings != study.settings;
    let mut codebook = study.load_codebook()?;
    let old_codebook = codebook.clone();
    for e in &mut codebook.entries {
        for field in [&mut e.name, &mut e.definition, &mut e.when_to_use, &mut e.when_not_to_use, &mut e.example] {
            *field = d.apply(field).0;
        }
    }
    for r in &mut codebook.relations {
        r.note = d.apply(&r.note).0;
    }
    let codebook_changed = codebook != old_codebook;
    // Checked before anything is written: two names may become one.
    let problems = codebook.problems();
    if codebook_changed && !problems.is_empty() {
        return Err(DeidentifyError::Codebook(problems));
    }
    let mut decisions = study.load_decisions()?;
    let old_decisions = decisions.clone();
    for decision in &mut decisions {
        decision.what = d.apply(&decision.what).0;
        decision.why = d.apply(&decision.why).0;
    }
    let decisions_changed = decisions != old_decisions;
    let mut memos = study.load_memos()?;
    for m in &mut memos {
        let (title, body) = (d.apply(&m.header.title).0, d.apply(&m.body).0);
        if title != m.header.title || body != m.body {
            summary.memos_changed += 1;
            m.header.title = title;
            m.body = body;
        } else {
            m.header.id.clear();
        }
    }
    memos.retain(|m| !m.header.id.is_empty());

    let other_changes = participants_changed || settings_changed || codebook_changed || decisions_changed;
    if !options.dry_run && (summary.documents > 0 || !memos.is_empty() || other_changes) {
        // The search index holds the old text. It is derived, so it goes first (before the new
        // text is written, so no crash can leave it behind) and is built anew when needed.
        let index = study.search_index_dir();
        if index.exists() {
            std::fs::remove_dir_all(&index).map_err(|error| DeidentifyError::Index { path: index.clone(), error })?;
        }
        // So do the caches of the documents' metadata and turns (their speaker labels).
        for cache in [thema_core::metacache::META_CACHE, thema_core::turncache::TURNS_CACHE] {
            let path = study.path(cache);
            match std::fs::remove_file(&path) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                    return Err(DeidentifyError::MetaCache { path, error });
                }
                _ => {}
            }
        }
        if settings_changed {
            study.settings = settings;
            study.save_settings()?;
        }
        if codebook_changed {
            study.save_codebook(&codebook)?;
        }
        if decisions_changed {
            study.save_decisions(&decisions)?;
        }
        if participants_changed {
            study.participants = participants;
            study.save_participants()?;
        }
        for document in &changed {
            study.replace_document(document)?;
        }
        for meta in &relinked {
            study.save_meta(meta)?;
        }
        let mut by_coder: BTreeMap<String, Vec<Coding>> = BTreeMap::new();
        for c in codings {
            by_coder.entry(c.coder.clone()).or_default().push(c);
        }
        for (coder, mut list) in by_coder {
            list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            study.save_coder_codings(&coder, &list)?;
        }
        for m in &memos {
            study.save_memo(m)?;
        }
        write_log(study, &log_rows)?;
        let what = summary.replaced.iter().map(|(c, n)| format!("{c} {n}")).collect::<Vec<_>>().join(", ");
        study.log_decision(&Decision {
            time: now(),
            who: options.who.clone(),
            action: "deidentify".to_owned(),
            what: format!(
                "{} in {}: {what}",
                count(summary.replaced.values().sum(), "identifier", "identifiers"),
                count(summary.documents, "document", "documents")
            ),
            why: options.why.clone().unwrap_or_default(),
        })?;
    }
    summary.new_ids = new_ids;
    Ok(summary)
}

/// Append to the log: time, document, turn, category, count.
fn write_log(study: &Study, rows: &[(String, u32, &'static str, usize)]) -> Result<(), DeidentifyError> {
    if rows.is_empty() {
        return Ok(());
    }
    let path = study.root().join(LOG);
    let mut text =
        if path.exists() { std::fs::read_to_string(&path)? } else { "time,document,turn,category,count\n".to_owned() };
    let time = now();
    for (document, turn, category, n) in rows {
        text.push_str(&format!("{time},{document},{turn},{category},{n}\n"));
    }
    study.write_file(LOG, text.as_bytes())?;
    Ok(())
}

impl thema_core::error::Hint for DeidentifyError {
    fn hint(&self) -> Option<String> {
        DeidentifyError::hint(self)
    }
}
