//! Passages: the span syntax (`fg1:120..180`), finding the passage a researcher names (a quote,
//! a turn, a span) and picking the occurrence of a quote they mean, then adding or removing a
//! coder's coding of it by the one rule of [`crate::coding::place`]. `thema code`, `invivo`,
//! `uncode` and `mark` use it; auto-coding (thema-search) places its hits by the same rule.

use serde::Serialize;

use crate::codebook::{CodebookEntry, CodebookError, EntryKind};
use crate::coding::{match_quote, place, Placed, QuoteMatches};
use crate::document::{Document, TurnId};
use crate::span::{Span, SpanError, TextIndex};
use crate::{Coding, Study, StudyError};

/// How many occurrences of an ambiguous quote the message lists.
pub const LISTED: usize = 10;

/// A passage as a researcher names it: a quote (in a document or a turn), a whole turn, or a
/// span `DOC:START..END` of code points.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Passage {
    /// Document id (with `quote`).
    pub document: Option<String>,
    /// The words, as the text has them (what copying changes is forgiven: see
    /// [`crate::coding::match_quote`]).
    pub quote: Option<String>,
    /// Which occurrence of an ambiguous quote, 1 = first.
    pub occurrence: Option<usize>,
    /// A turn id like `fg1:T17`: the whole turn, or where to look for `quote`.
    pub turn: Option<String>,
    /// A span like `fg1:120..180`.
    pub span: Option<String>,
}

/// One occurrence of an ambiguous quote, with its turn and some context.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    /// 1-based, in text order.
    pub occurrence: usize,
    /// Its turn id, `-` outside every turn.
    pub turn: String,
    /// `DOC:START..END`.
    pub span: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Up to 40 code points before it.
    pub before: String,
    /// Up to 40 code points after it.
    pub after: String,
}

/// Why a passage could not be found, coded or uncoded. [`PassageError::hint`] says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PassageError {
    /// Not a span like `fg1:120..180`.
    #[error("`{0}` is not a span like `fg1:120..180`")]
    SpanSyntax(String),
    /// A span that is empty or ends before it starts.
    #[error("`{0}` is empty or backwards")]
    EmptySpan(String),
    /// Not a turn id like `fg1:T17`.
    #[error("{0}")]
    TurnSyntax(String),
    /// The document named could not be loaded.
    #[error(transparent)]
    Document(StudyError),
    /// A document and a turn of another document.
    #[error("`--doc {document}` and `--turn {turn}` name different documents")]
    DocumentAndTurn {
        /// The document given.
        document: String,
        /// The turn given.
        turn: TurnId,
    },
    /// Neither a document, a turn nor a span.
    #[error("no passage given")]
    NoPassage,
    /// A document without a quote or a turn.
    #[error("what to code in `{0}`?")]
    NoQuote(String),
    /// The document has fewer turns.
    #[error("`{document}` has no turn {number}")]
    NoTurn {
        /// Document id.
        document: String,
        /// The turn asked for.
        number: u32,
        /// How many turns it has.
        turns: usize,
    },
    /// The quote is not in the document (or the turn).
    #[error("“{quote}” is not in `{document}`")]
    NotFound {
        /// The quote, trimmed.
        quote: String,
        /// Document id.
        document: String,
    },
    /// The quote occurs only inside longer words.
    #[error("“{quote}” {which} inside a word in `{document}`: the text has “{whole}”")]
    InsideWord {
        /// The quote, trimmed.
        quote: String,
        /// `starts`, `ends`, or `starts and ends`.
        which: &'static str,
        /// The whole words the text has there.
        whole: String,
        /// Document id.
        document: String,
        /// The exact characters of the first occurrence.
        span: Span,
    },
    /// An occurrence past the last.
    #[error("occurrence {asked} asked for, but the quote occurs {count} times")]
    NoSuchOccurrence {
        /// The occurrence asked for.
        asked: usize,
        /// How many there are.
        count: usize,
    },
    /// The quote occurs more than once and no occurrence was chosen.
    #[error("“{quote}” occurs {} times in `{document}`: {}", occurrences.len(), ambiguous_list(occurrences, *all_printed))]
    Ambiguous {
        /// The quote, trimmed.
        quote: String,
        /// Document id.
        document: String,
        /// Every occurrence.
        occurrences: Vec<Occurrence>,
        /// Set by a caller that showed every occurrence (as `--json` does): the message then says
        /// so instead of offering `--json`.
        all_printed: bool,
    },
    /// The coder already has a coding with the code that covers the passage, and the new coding
    /// adds nothing to it (no memo, no exemplar mark).
    #[error("{coder} already coded this passage with `{name}`: the coding at {turn} ({span}) covers it")]
    AlreadyCoded {
        /// The coder.
        coder: String,
        /// The code's name.
        name: String,
        /// The turn of the covering coding.
        turn: String,
        /// The covering coding's span.
        span: Span,
    },
    /// Nothing of the coder's with the code at the passage.
    #[error("nothing to uncode: {coder} has not coded `{code}` at {document}:{}..{}", span.start, span.end)]
    NothingToUncode {
        /// The coder.
        coder: String,
        /// The code's id.
        code: String,
        /// Document id.
        document: String,
        /// The passage.
        span: Span,
        /// Up to five of the coder's codings with the code in the document, `DOC:START..END`.
        others: Vec<String>,
    },
    /// The codebook refused a change (an in-vivo code's parent, say).
    #[error(transparent)]
    Codebook(#[from] CodebookError),
    /// A span does not fit the text.
    #[error(transparent)]
    Span(#[from] SpanError),
    /// The study could not be read or written.
    #[error(transparent)]
    Study(#[from] StudyError),
}

/// `1 at fg1:T2 (10..15), 2 at ...` and what follows the first [`LISTED`].
fn ambiguous_list(occurrences: &[Occurrence], all_printed: bool) -> String {
    let list: Vec<String> = occurrences
        .iter()
        .take(LISTED)
        .map(|o| format!("{} at {} ({})", o.occurrence, o.turn, Span { start: o.start, end: o.end }))
        .collect();
    let more = match occurrences.len().saturating_sub(LISTED) {
        0 => String::new(),
        n if all_printed => format!(", and {n} more (all printed above)"),
        n => format!(", and {n} more: pass `--json` to list all {}", occurrences.len()),
    };
    format!("{}{more}", list.join(", "))
}

impl PassageError {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            PassageError::Document(_) => "`thema ls` lists the documents".to_owned(),
            PassageError::NoPassage => {
                "pass `--doc D --quote \"...\"`, `--turn D:T17` or `--span D:120..180`".to_owned()
            }
            PassageError::NoQuote(_) => "pass `--quote \"...\"` or `--turn`".to_owned(),
            PassageError::NoTurn { document, turns, .. } => format!("it has {turns} turns; `thema show {document}`"),
            PassageError::NotFound { document, .. } => format!(
                "thema forgives line breaks, spaces, typographic quotes and dashes, but not other differences; \
                 `thema show {document}` prints the text, `thema show {document} --no-wrap` without line breaks"
            ),
            PassageError::InsideWord { whole, document, span, .. } => format!(
                "quote whole words (`--quote \"{whole}\"`), or give the exact characters as a span: \
                 `--span {document}:{}..{}`",
                span.start, span.end
            ),
            PassageError::Ambiguous { .. } => {
                "pass `--occurrence N`, `--turn` to say which turn, or a longer quote".to_owned()
            }
            PassageError::AlreadyCoded { .. } => {
                "one coding a passage a code a coder; `thema segments CODE` lists them".to_owned()
            }
            PassageError::NothingToUncode { coder, code, document, others, .. } => {
                if others.is_empty() {
                    format!(
                        "{coder} has no coding with `{code}` in `{document}`; `thema segments {code}` lists them all"
                    )
                } else {
                    format!("{coder}'s codings with `{code}` in `{document}` are at {}", others.join(", "))
                }
            }
            _ => return None,
        })
    }
}

/// A span `DOC:START..END` (code points): the document id and the span, which is not empty.
pub fn parse_span(spec: &str) -> Result<(&str, Span), PassageError> {
    let bad = || PassageError::SpanSyntax(spec.to_owned());
    let (document, range) = spec.rsplit_once(':').ok_or_else(bad)?;
    let (a, b) = range.split_once("..").ok_or_else(bad)?;
    let (Ok(start), Ok(end)) = (a.trim().parse::<usize>(), b.trim().parse::<usize>()) else {
        return Err(bad());
    };
    let span =
        Span::new(start, end).filter(|s| !s.is_empty()).ok_or_else(|| PassageError::EmptySpan(spec.to_owned()))?;
    Ok((document, span))
}

fn load(study: &Study, id: &str) -> Result<Document, PassageError> {
    study.load_document(id).map_err(PassageError::Document)
}

/// The document and span a passage names. A quote is looked up as whole words, in its turn when
/// one is given; when it occurs more than once, `occurrence` says which.
pub fn locate(study: &Study, passage: &Passage) -> Result<(Document, Span), PassageError> {
    if let Some(spec) = &passage.span {
        let (document, span) = parse_span(spec)?;
        return Ok((load(study, document)?, span));
    }
    let turn = passage.turn.as_deref().map(str::parse::<TurnId>).transpose().map_err(PassageError::TurnSyntax)?;
    let id = match (&passage.document, &turn) {
        (Some(d), Some(t)) if d != &t.document => {
            return Err(PassageError::DocumentAndTurn { document: d.clone(), turn: t.clone() })
        }
        (Some(d), _) => d.clone(),
        (None, Some(t)) => t.document.clone(),
        (None, None) => return Err(PassageError::NoPassage),
    };
    let document = load(study, &id)?;
    let turn_span = match &turn {
        Some(t) => Some(document.turn(t.number).map(|x| x.span).ok_or_else(|| PassageError::NoTurn {
            document: id.clone(),
            number: t.number,
            turns: document.turns.len(),
        })?),
        None => None,
    };
    let Some(quote) = &passage.quote else {
        return match turn_span {
            Some(span) => Ok((document, span)),
            None => Err(PassageError::NoQuote(id)),
        };
    };
    let found = quote_spans(&document, quote, turn_span);
    let span = pick(&document, quote.trim(), &found, passage.occurrence)?;
    Ok((document, span))
}

/// Occurrences of a quote, inside a turn when one is given.
fn quote_spans(document: &Document, quote: &str, within: Option<Span>) -> QuoteMatches {
    let mut found = match_quote(&document.text, quote);
    let inside = |s: &Span| within.is_none_or(|w| w.encloses(*s));
    found.whole.retain(inside);
    found.inside_word.retain(inside);
    found
}

/// The one occurrence meant, or an error listing them.
fn pick(
    document: &Document,
    quote: &str,
    found: &QuoteMatches,
    occurrence: Option<usize>,
) -> Result<Span, PassageError> {
    let id = &document.meta.id;
    match (found.whole.as_slice(), occurrence) {
        ([], _) => match found.inside_word.first() {
            Some(partial) => Err(inside_word(document, quote, *partial)),
            None => Err(PassageError::NotFound { quote: quote.to_owned(), document: id.clone() }),
        },
        ([one], None | Some(1)) => Ok(*one),
        (many, Some(n)) if n >= 1 && n <= many.len() => Ok(many[n - 1]),
        (many, Some(n)) => Err(PassageError::NoSuchOccurrence { asked: n, count: many.len() }),
        (many, None) => {
            let index = TextIndex::new(&document.text);
            let context = |a: usize, b: usize| index.slice(Span { start: a, end: b }).unwrap_or("").to_owned();
            let turn_of = |s: &Span| {
                let at = document.turns.partition_point(|t| t.span.end <= s.start);
                document.turns.get(at).map_or("-".to_owned(), |t| document.turn_id(t.number))
            };
            let occurrences = many
                .iter()
                .enumerate()
                .map(|(i, s)| Occurrence {
                    occurrence: i + 1,
                    turn: turn_of(s),
                    span: format!("{id}:{}..{}", s.start, s.end),
                    start: s.start,
                    end: s.end,
                    before: context(s.start.saturating_sub(40), s.start),
                    after: context(s.end, (s.end + 40).min(index.char_len())),
                })
                .collect();
            Err(PassageError::Ambiguous {
                quote: quote.to_owned(),
                document: id.clone(),
                occurrences,
                all_printed: false,
            })
        }
    }
}

/// A quote found only as part of longer words: which end is inside a word, and the whole words.
fn inside_word(document: &Document, quote: &str, partial: Span) -> PassageError {
    let chars: Vec<char> = document.text.chars().collect();
    let is_word = |i: usize| chars.get(i).is_some_and(|c| c.is_alphanumeric());
    let (mut start, mut end) = (partial.start, partial.end);
    let starts_inside = start > 0 && is_word(start - 1) && is_word(start);
    let ends_inside = is_word(end) && end > 0 && is_word(end - 1);
    while start > 0 && is_word(start - 1) && is_word(start) {
        start -= 1;
    }
    while is_word(end) && end > 0 && is_word(end - 1) {
        end += 1;
    }
    let which = match (starts_inside, ends_inside) {
        (true, true) => "starts and ends",
        (true, false) => "starts",
        _ => "ends",
    };
    PassageError::InsideWord {
        quote: quote.to_owned(),
        which,
        whole: chars[start..end].iter().collect(),
        document: document.meta.id.clone(),
        span: partial,
    }
}

/// The turn id of a position of a document (the document's id when it has no turns).
pub fn turn_at(document: &Document, position: usize) -> String {
    let at = document.turns.partition_point(|t| t.span.end <= position);
    document.turns.get(at).map_or(document.meta.id.clone(), |t| document.turn_id(t.number))
}

/// Add a coding to its coder's codings by the rule of one coding per passage per code per coder
/// ([`place`]) and save them. A coding that an existing one covers and that brings nothing to
/// it (memo, exemplar mark) is refused as [`PassageError::AlreadyCoded`]; `name` is the code's
/// name for that message. Auto-coding, which places many hits at once, counts such a hit as
/// already coded instead.
pub fn add_coding(study: &Study, document: &Document, coding: Coding, name: &str) -> Result<Placed, PassageError> {
    let coder = coding.coder.clone();
    let before = study.load_coder_codings(&coder)?;
    let mut codings = before.clone();
    let placed = place(&mut codings, coding, document)?;
    if let (Placed::Covered(span), true) = (placed, codings == before) {
        return Err(PassageError::AlreadyCoded {
            coder,
            name: name.to_owned(),
            turn: turn_at(document, span.start),
            span,
        });
    }
    study.save_coder_codings(&coder, &codings)?;
    Ok(placed)
}

/// The in-vivo code named by the words of `span` (as the transcript has them, whatever quotes
/// and spaces were typed, runs of whitespace made one space): the entry of that name (any case)
/// when the codebook has one, else a new code of that name under `parent` (an id or name),
/// saved. Returns its id, its name and whether it was added.
pub fn in_vivo_code(
    study: &Study,
    document: &Document,
    span: Span,
    parent: Option<&str>,
) -> Result<(String, String, bool), PassageError> {
    let mut codebook = study.load_codebook()?;
    let name = TextIndex::new(&document.text).slice(span)?.split_whitespace().collect::<Vec<_>>().join(" ");
    let existing = codebook.entries.iter().find(|e| e.name.to_lowercase() == name.to_lowercase());
    if let Some(entry) = existing {
        return Ok((entry.id.clone(), name, false));
    }
    let parent = match parent {
        Some(p) => Some(codebook.resolve(p)?.id.clone()),
        None => None,
    };
    let id = codebook.fresh_id(&name);
    codebook.add(CodebookEntry {
        id: id.clone(),
        name: name.clone(),
        kind: EntryKind::Code,
        parent,
        in_vivo: true,
        ..CodebookEntry::default()
    })?;
    study.save_codebook(&codebook)?;
    Ok((id, name, true))
}

/// What [`remove_coding`] did to one coding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uncoded {
    /// The coding as it was.
    pub coding: Coding,
    /// What is left of it: nothing, one shortened part or two.
    pub kept: Vec<Coding>,
}

impl Uncoded {
    /// `removed`, `shortened to 4..9`, `split into 4..9 and 20..30`.
    pub fn outcome(&self) -> String {
        match self.kept.as_slice() {
            [] => "removed".to_owned(),
            [l, r] => format!("split into {}..{} and {}..{}", l.start, l.end, r.start, r.end),
            [p, ..] => format!("shortened to {}..{}", p.start, p.end),
        }
    }
}

/// A span whose ends fall between turns (on a speaker label) drawn in to the turns it covers.
fn within_turns(document: &Document, span: Span) -> Span {
    let inside = |at: usize| document.turns.iter().any(|t| t.span.contains(at));
    let mut out = span;
    if !inside(span.start) {
        if let Some(next) = document.turns.iter().find(|t| t.span.start >= span.start && t.span.start < span.end) {
            out.start = next.span.start;
        }
    }
    if span.end > 0 && !inside(span.end - 1) {
        if let Some(last) = document.turns.iter().rev().find(|t| t.span.end <= span.end && t.span.end > out.start) {
            out.end = last.span.end;
        }
    }
    out
}

/// Remove `coder`'s coding with `code` from a passage and save the codings. A coding inside the
/// passage goes; one that reaches beyond it keeps what lies outside (shortened, or split in two
/// when the passage is in its middle), each part with its whitespace trimmed and drawn in to the
/// turns it covers. Returns what happened to each coding the passage touched, in file order.
pub fn remove_coding(
    study: &Study,
    document: &Document,
    span: Span,
    code: &str,
    coder: &str,
) -> Result<Vec<Uncoded>, PassageError> {
    let codings = study.load_coder_codings(coder)?;
    let hits = |c: &Coding| c.document == document.meta.id && c.code == code && c.span().overlaps(span);
    if !codings.iter().any(hits) {
        let mut others: Vec<String> = codings
            .iter()
            .filter(|c| c.document == document.meta.id && c.code == code)
            .map(|c| format!("{}:{}..{}", c.document, c.start, c.end))
            .collect();
        others.truncate(5);
        return Err(PassageError::NothingToUncode {
            coder: coder.to_owned(),
            code: code.to_owned(),
            document: document.meta.id.clone(),
            span,
            others,
        });
    }
    let index = TextIndex::new(&document.text);
    // The part of a coding from `a` to `b`, without the whitespace at its ends; `None` if empty.
    let part = |c: &Coding, a: usize, b: usize| -> Result<Option<Coding>, SpanError> {
        let (Some(start), Some(end)) = (index.byte_of(a), index.byte_of(b)) else { return Ok(None) };
        let words = &document.text[start..end];
        let lead = words.len() - words.trim_start().len();
        let trail = words.len() - words.trim_end().len();
        if lead == words.len() {
            return Ok(None);
        }
        let Some(kept) = index.span_of_bytes(start + lead..end - trail).map(|s| within_turns(document, s)) else {
            return Ok(None);
        };
        let mut piece = Coding::new(document, kept, &c.code, &c.coder, &c.time)?;
        piece.memo = c.memo.clone();
        piece.exemplar = c.exemplar;
        Ok(Some(piece))
    };
    let mut kept = Vec::with_capacity(codings.len() + 1);
    let mut done = Vec::new();
    for c in &codings {
        if !hits(c) {
            kept.push(c.clone());
            continue;
        }
        let left = if c.start < span.start { part(c, c.start, span.start)? } else { None };
        let right = if c.end > span.end { part(c, span.end, c.end)? } else { None };
        let parts: Vec<Coding> = left.into_iter().chain(right).collect();
        kept.extend(parts.iter().cloned());
        done.push(Uncoded { coding: c.clone(), kept: parts });
    }
    study.save_coder_codings(coder, &kept)?;
    Ok(done)
}

impl crate::error::Hint for PassageError {
    fn hint(&self) -> Option<String> {
        PassageError::hint(self)
    }
}
