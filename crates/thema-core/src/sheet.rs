//! Coding sheets: a transcript with its codings as inline markup, to code in any text editor
//! (`thema sheet` writes one, `thema apply` reads it back).
//!
//! ```text
//! %% thema sheet: document fg1, coder hp
//! %% text 126-4f1d7c0a9b2e3d15; change only the [[...]] markup, not the transcript
//! %% codes: hope = Offering hope; way-out = showing that there is a way out; grief = Grief
//! Facilitator: [[@fg1:T1]]What brought you here?
//!
//! Mo: [[@fg1:T2]]It is a matter of [[hope]][[way-out]]showing that there is a way out[[/way-out]].
//! Just by seeing somebody[[/hope]] who has found a way out.
//! ```
//!
//! - `[[CODE]]` opens a coded segment and `[[/CODE]]` closes it; CODE is a codebook id. Segments
//!   nest and overlap freely because every close names its code. The same code overlapping
//!   itself is told apart with a number: `[[hope#2]]` ... `[[/hope#2]]`.
//! - `[[@fg1:T17]]` marks where a turn's speech starts; it is for reading and is ignored.
//! - Lines starting with `%%` before the text are the sheet's header; `%% codes:` lists every
//!   id of the codebook, so the markup can use any of them.
//! - A literal `[[` in the transcript is written `\[[`; backslashes right before a `[[` are
//!   doubled (`\\[[` is a backslash, then markup). Nothing else is escaped.
//!
//! Reading a sheet strips the markup and compares what is left with the document's text; any
//! difference is refused with its line and the words that differ, so a sheet can change codings
//! but never the transcript. Every problem is reported in one pass.

use std::collections::BTreeMap;

use crate::codebook::Codebook;
use crate::coding::Coding;
use crate::document::Document;
use crate::span::{Span, TextIndex};

/// A coded segment read from a sheet.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SheetSegment {
    /// Code id.
    pub code: String,
    /// Code point span in the document's text.
    pub span: Span,
    /// Line of the sheet where the segment opens.
    pub line: usize,
}

/// What a sheet holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// Document id from the header.
    pub document: String,
    /// Coder from the header.
    pub coder: String,
    /// The coded segments, in text order.
    pub segments: Vec<SheetSegment>,
}

/// A sheet that cannot be read, with the line (1-based) of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SheetError {
    /// Line of the sheet.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A fingerprint of a text for the header: its length in code points and an FNV-1a hash. The text
/// is compared in full on apply; this only helps a person see which version a sheet came from.
fn fingerprint(text: &str) -> String {
    let hash = crate::fsio::fnv1a(crate::fsio::FNV_START, text.as_bytes());
    format!("{}-{hash:016x}", text.chars().count())
}

/// Escape transcript text for a sheet: `[[` becomes `\[[`, and backslashes right before a `[[`
/// are doubled.
fn escape(text: &str, out: &mut String) {
    let mut pending_backslashes = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => pending_backslashes += 1,
            '[' if chars.peek() == Some(&'[') => {
                out.push_str(&"\\".repeat(pending_backslashes * 2));
                pending_backslashes = 0;
                out.push_str("\\[[");
                chars.next();
            }
            _ => {
                out.push_str(&"\\".repeat(pending_backslashes));
                pending_backslashes = 0;
                out.push(c);
            }
        }
    }
    out.push_str(&"\\".repeat(pending_backslashes));
}

/// Write a sheet of `document` with `codings` (one coder's), naming codes from `codebook`.
pub fn write_sheet(document: &Document, codings: &[Coding], codebook: &Codebook, coder: &str) -> String {
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Event {
        // Order at one position: closes (inner first), turn marks, opens (outer first).
        Close { start: std::cmp::Reverse<usize>, tag: String },
        Turn(String),
        Open { end: std::cmp::Reverse<usize>, tag: String },
    }
    let mut events: Vec<(usize, Event)> = Vec::new();
    for turn in &document.turns {
        events.push((turn.span.start, Event::Turn(document.turn_id(turn.number))));
    }
    let mut sorted: Vec<&Coding> = codings.iter().filter(|c| c.document == document.meta.id && !c.unplaced).collect();
    sorted.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end), c.code.clone()));
    // Number instances of a code that overlap an earlier one of the same code.
    let mut open_ends: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for c in sorted {
        let ends = open_ends.entry(c.code.as_str()).or_default();
        ends.retain(|&end| end > c.start);
        let tag = if ends.is_empty() { c.code.clone() } else { format!("{}#{}", c.code, ends.len() + 1) };
        ends.push(c.end);
        events.push((c.start, Event::Open { end: std::cmp::Reverse(c.end), tag: tag.clone() }));
        events.push((c.end, Event::Close { start: std::cmp::Reverse(c.start), tag }));
    }
    events.sort();
    let mut out = String::new();
    out.push_str(&format!("%% thema sheet: document {}, coder {coder}\n", document.meta.id));
    out.push_str(&format!(
        "%% text {}; change only the [[...]] markup, not the transcript\n",
        fingerprint(&document.text)
    ));
    // Every id the markup can use, in the codebook's tree order, then codes of this document's
    // codings that are not in the codebook.
    let mut legend: Vec<String> = codebook.tree().into_iter().map(|(_, e)| format!("{} = {}", e.id, e.name)).collect();
    let mut missing: Vec<&str> = codings
        .iter()
        .filter(|c| c.document == document.meta.id && codebook.get(&c.code).is_none())
        .map(|c| c.code.as_str())
        .collect();
    missing.sort_unstable();
    missing.dedup();
    legend.extend(missing.iter().map(|id| format!("{id} = (not in the codebook)")));
    out.push_str(&format!("%% codes: {}\n", if legend.is_empty() { "none yet".to_owned() } else { legend.join("; ") }));
    let index = TextIndex::new(&document.text);
    let mut position = 0;
    for (at, event) in events {
        if at > position {
            escape(index.slice(Span { start: position, end: at }).unwrap_or(""), &mut out);
            position = at;
        }
        match event {
            Event::Close { tag, .. } => out.push_str(&format!("[[/{tag}]]")),
            Event::Turn(id) => out.push_str(&format!("[[@{id}]]")),
            Event::Open { tag, .. } => out.push_str(&format!("[[{tag}]]")),
        }
    }
    escape(index.slice(Span { start: position, end: index.char_len() }).unwrap_or(""), &mut out);
    out
}

/// Every problem of a sheet that cannot be applied, in the order of their lines.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct SheetErrors(pub Vec<SheetError>);

/// Read a sheet against the document it was made from. `document` must be the document the
/// header names (the caller loads it with [`sheet_document`]). With a codebook, every code of the
/// markup must be one of its ids.
///
/// Reading goes on after a problem, so that one pass reports them all: broken or unknown markup,
/// and each line whose text differs from the document's, with the words that differ.
pub fn read_sheet(sheet: &str, document: &Document, codebook: Option<&Codebook>) -> Result<Sheet, SheetErrors> {
    let (doc_id, coder, body_line) = header(sheet).map_err(|e| SheetErrors(vec![e]))?;
    if doc_id != document.meta.id {
        return Err(SheetErrors(vec![SheetError {
            line: 1,
            message: format!("the sheet is for `{doc_id}`, not `{}`", document.meta.id),
        }]));
    }
    let mut problems = Vec::new();
    // Lines with markup that could not be read.
    let mut unread = std::collections::BTreeSet::new();
    let body: String = sheet.split_inclusive('\n').skip(body_line - 1).collect();
    let mut text = String::with_capacity(body.len());
    let mut chars_out = 0usize;
    let mut line = body_line;
    let mut open: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut segments = Vec::new();
    let mut iter = body.char_indices().peekable();
    let bytes = body.as_bytes();
    let mut backslashes = 0usize;
    while let Some((i, c)) = iter.next() {
        if c == '\\' {
            backslashes += 1;
            continue;
        }
        let at_markup = c == '[' && bytes.get(i + 1) == Some(&b'[');
        if at_markup {
            text.push_str(&"\\".repeat(backslashes / 2));
            chars_out += backslashes / 2;
            if backslashes % 2 == 1 {
                text.push_str("[[");
                chars_out += 2;
                iter.next();
                backslashes = 0;
                continue;
            }
            backslashes = 0;
            let rest = &body[i + 2..];
            let Some(close) = rest.find("]]").filter(|&e| !rest[..e].contains('\n')) else {
                unread.insert(line);
                problems.push(SheetError {
                    line,
                    message: "`[[` with no `]]` on the same line (write `\\[[` for a literal `[[`)".into(),
                });
                // Read as text, so the rest of the sheet is still read.
                text.push_str("[[");
                chars_out += 2;
                iter.next();
                continue;
            };
            let tag = &rest[..close];
            // Skip the tag's characters.
            for _ in 0..close + 3 {
                iter.next();
            }
            if tag.starts_with('@') {
                // A turn mark: for reading only.
            } else if let Some(name) = tag.strip_prefix('/') {
                let Some((start, opened)) = open.remove(name) else {
                    let suggestion = crate::suggest::did_you_mean(name, open.keys().map(String::as_str));
                    problems.push(SheetError {
                        line,
                        message: format!("`[[/{name}]]` closes a segment that is not open{suggestion}"),
                    });
                    continue;
                };
                if start == chars_out {
                    problems.push(SheetError {
                        line: opened,
                        message: format!("`[[{name}]]` codes nothing (it is closed right away)"),
                    });
                    continue;
                }
                let code = name.split('#').next().unwrap_or(name).to_owned();
                segments.push(SheetSegment { code, span: Span { start, end: chars_out }, line: opened });
            } else {
                let code = tag.split('#').next().unwrap_or(tag);
                if !crate::document::is_valid_id(code) || tag.contains(char::is_whitespace) {
                    // A name written where an id belongs is the likeliest slip.
                    let meant = codebook.and_then(|c| c.resolve(code).ok()).map(|e| e.id.as_str());
                    let suggestion = meant.map(|id| format!("; did you mean `[[{id}]]`?")).unwrap_or_default();
                    unread.insert(line);
                    problems.push(SheetError {
                        line,
                        message: format!(
                            "`[[{tag}]]` is not markup thema knows: use a code id, like `[[hope]]`{suggestion}"
                        ),
                    });
                    continue;
                }
                if open.insert(tag.to_owned(), (chars_out, line)).is_some() {
                    problems.push(SheetError {
                        line,
                        message: format!("`[[{tag}]]` is opened again before it is closed (number overlapping segments: `[[{code}#2]]`)"),
                    });
                }
            }
            continue;
        }
        text.push_str(&"\\".repeat(backslashes));
        chars_out += backslashes;
        backslashes = 0;
        text.push(c);
        chars_out += 1;
        if c == '\n' {
            line += 1;
        }
    }
    text.push_str(&"\\".repeat(backslashes));
    for (tag, (_, opened)) in open {
        problems.push(SheetError { line: opened, message: format!("`[[{tag}]]` is never closed") });
    }
    if let Some(codebook) = codebook {
        for segment in &segments {
            if codebook.get(&segment.code).is_none() {
                let suggestion =
                    crate::suggest::did_you_mean(&segment.code, codebook.entries.iter().map(|e| e.id.as_str()));
                problems.push(SheetError {
                    line: segment.line,
                    message: format!("`{}` is not a code id in the codebook{suggestion}", segment.code),
                });
            }
        }
    }
    // Broken markup is skipped or read as text, so the text of its line may differ too: that
    // line's markup problem is the one to report.
    problems
        .extend(text_differences(&text, &document.text, body_line).into_iter().filter(|p| !unread.contains(&p.line)));
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(SheetErrors(problems));
    }
    segments.sort();
    Ok(Sheet { document: doc_id, coder, segments })
}

/// The lines where a sheet's text (markup removed) differs from the document's, each with the
/// words that differ; `first_line` is the sheet line of the text's first line.
///
/// Lines are compared one to one while both texts have the same number of lines (a word typed
/// over, a letter deleted); when a line was added or removed, the first difference is reported
/// and the count of lines, since everything after it is shifted.
fn text_differences(sheet: &str, document: &str, first_line: usize) -> Vec<SheetError> {
    const KEEP: &str = "a sheet may change codings only (edit the transcript and import it with `--replace`)";
    if sheet == document {
        return Vec::new();
    }
    let ours: Vec<&str> = sheet.split('\n').collect();
    let theirs: Vec<&str> = document.split('\n').collect();
    if ours.len() == theirs.len() {
        return ours
            .iter()
            .zip(&theirs)
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| SheetError {
                line: first_line + i,
                message: format!(
                    "the transcript text differs from the document here: {}; {KEEP}",
                    differing_words(a, b)
                ),
            })
            .collect();
    }
    let at = first_difference(sheet, document);
    let (a, b) = (ours.get(at).copied().unwrap_or(""), theirs.get(at).copied().unwrap_or(""));
    vec![SheetError {
        line: first_line + at,
        message: format!(
            "the transcript text differs from the document here: {}, and the sheet has {} lines where the document has {} (a line was added or removed); {KEEP}",
            differing_words(a, b),
            ours.len(),
            theirs.len()
        ),
    }]
}

/// `the sheet has “X” where the document has “Y”`: the words of two lines between what they
/// share at the start and at the end.
fn differing_words(sheet: &str, document: &str) -> String {
    let a: Vec<&str> = sheet.split_inclusive(char::is_whitespace).collect();
    let b: Vec<&str> = document.split_inclusive(char::is_whitespace).collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let words = |w: &[&str]| -> String {
        let joined: String = w.concat();
        let joined = joined.trim();
        if joined.is_empty() {
            "nothing".to_owned()
        } else {
            format!("“{joined}”")
        }
    };
    format!(
        "the sheet has {} where the document has {}",
        words(&a[prefix..a.len() - suffix]),
        words(&b[prefix..b.len() - suffix])
    )
}

/// The document id and coder a sheet's header names, and the line its body starts on.
pub fn header(sheet: &str) -> Result<(String, String, usize), SheetError> {
    let first = sheet.lines().next().unwrap_or("");
    let rest = first.strip_prefix("%% thema sheet: document ").ok_or_else(|| SheetError {
        line: 1,
        message: "this is not a thema sheet (it must start with `%% thema sheet: document ...`)".into(),
    })?;
    let (doc, coder) = rest.split_once(", coder ").ok_or_else(|| SheetError {
        line: 1,
        message: "the header must read `%% thema sheet: document D, coder C`".into(),
    })?;
    let body_line = sheet.lines().take_while(|l| l.starts_with("%%")).count() + 1;
    Ok((doc.trim().to_owned(), coder.trim().to_owned(), body_line))
}

/// 0-based line where two texts first differ.
fn first_difference(a: &str, b: &str) -> usize {
    // Counted in bytes, the common prefix can end inside a character that differs in a later
    // byte (found by fuzzing: slicing there panicked); newlines are single bytes, so count them.
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    a.as_bytes()[..common].iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::CodebookEntry;
    use crate::document::{DocumentMeta, Turn};

    fn doc() -> Document {
        let text = "Facilitator: What brought you here?\n\nMo: It is a matter of showing that there is a way out [[sic]] \\[[x. Just by seeing somebody.\n";
        Document {
            meta: DocumentMeta::new("int1", "interview"),
            text: text.into(),
            turns: vec![
                Turn {
                    number: 1,
                    speaker: Some("Facilitator".into()),
                    span: Span { start: 13, end: 35 },
                    time_start: None,
                    time_end: None,
                },
                Turn {
                    number: 2,
                    speaker: Some("Mo".into()),
                    span: Span { start: 41, end: 126 },
                    time_start: None,
                    time_end: None,
                },
            ],
        }
    }

    fn coding(d: &Document, quote: &str, code: &str) -> Coding {
        let span = crate::coding::find_quote(&d.text, quote)[0];
        Coding::new(d, span, code, "hp", "t").unwrap()
    }

    fn codebook() -> Codebook {
        let mut cb = Codebook::default();
        for (id, name) in [("hope", "Offering hope"), ("way-out", "a way out")] {
            cb.add(CodebookEntry { id: id.into(), name: name.into(), ..Default::default() }).unwrap();
        }
        cb
    }

    #[test]
    fn round_trip_with_nesting_overlap_and_escapes() {
        let d = doc();
        let codings = vec![
            coding(&d, "showing that there is a way out", "hope"),
            coding(&d, "a way out [[sic]] \\[[x. Just", "way-out"),
            coding(&d, "there is a way", "hope"),
        ];
        let sheet = write_sheet(&d, &codings, &codebook(), "hp");
        assert_eq!(
            sheet.lines().skip(3).collect::<Vec<_>>().join("\n"),
            "Facilitator: [[@int1:T1]]What brought you here?\n\nMo: [[@int1:T2]]It is a matter of [[hope]]showing that [[hope#2]]there is [[way-out]]a way[[/hope#2]] out[[/hope]] \\[[sic]] \\\\\\[[x. Just[[/way-out]] by seeing somebody."
        );
        let read = read_sheet(&sheet, &d, Some(&codebook())).unwrap();
        let mut expected: Vec<SheetSegment> =
            codings.iter().map(|c| SheetSegment { code: c.code.clone(), span: c.span(), line: 0 }).collect();
        expected.sort();
        let got: Vec<(String, Span)> = read.segments.iter().map(|s| (s.code.clone(), s.span)).collect();
        let mut want: Vec<(String, Span)> = expected.into_iter().map(|s| (s.code, s.span)).collect();
        want.sort();
        let mut got_sorted = got.clone();
        got_sorted.sort();
        assert_eq!(got_sorted, want);
        assert_eq!((read.document.as_str(), read.coder.as_str()), ("int1", "hp"));
    }

    #[test]
    fn a_difference_inside_a_character_is_found() {
        // `é` and `è` share their first byte (found by fuzzing: slicing there panicked).
        assert_eq!(first_difference("a\nbé\n", "a\nbè\n"), 1);
        assert_eq!(first_difference("same", "same"), 0);
    }

    #[test]
    fn broken_markup_and_edited_text_name_the_line() {
        let d = doc();
        let sheet = write_sheet(&d, &[], &codebook(), "hp");
        let cases = [
            (sheet.replace("matter of", "matter [[hope]]of"), 6, "never closed"),
            (sheet.replace("matter of", "matter of[[/hope]]"), 6, "not open"),
            (sheet.replace("matter of", "matter [[hope]][[/hope]]of"), 6, "codes nothing"),
            (sheet.replace("matter of", "matter [[Hope Now]]of"), 6, "not markup thema knows"),
            (sheet.replace("matter of", "matter [[hope of"), 6, "not markup thema knows"),
            (sheet.replace("somebody.", "somebody [[hope"), 6, "no `]]`"),
            (sheet.replace("Just by", "Just then by"), 6, "transcript text differs"),
            (sheet.replace("%% thema sheet: document int1", "%% thema sheet: document int2"), 1, "not `int1`"),
            ("hello".to_owned(), 1, "not a thema sheet"),
        ];
        for (text, line, fragment) in cases {
            let e = read_sheet(&text, &d, Some(&codebook())).unwrap_err();
            assert_eq!(e.0.len(), 1, "{e}");
            assert_eq!(e.0[0].line, line, "{e}");
            assert!(e.0[0].message.contains(fragment), "{e}");
        }
    }

    #[test]
    fn every_problem_is_reported_in_one_pass_with_the_words_that_differ() {
        let d = doc();
        let sheet = write_sheet(&d, &[], &codebook(), "hp");
        // The codebook's order (here, of creation), not the alphabet.
        assert_eq!(sheet.lines().nth(2), Some("%% codes: hope = Offering hope; way-out = a way out"));
        // Line 4: an unknown code and a name for an id; line 6: a word typed over, and a closing
        // mark that matches nothing.
        let edited = sheet
            .replace("What brought", "[[hpoe]]What[[/hpoe]] [[Offering hope]]brought")
            .replace("seeing somebody", "seing somebody[[/way-out]]");
        let e = read_sheet(&edited, &d, Some(&codebook())).unwrap_err();
        let got: Vec<(usize, &str)> = e.0.iter().map(|p| (p.line, p.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (4, "`[[Offering hope]]` is not markup thema knows: use a code id, like `[[hope]]`; did you mean `[[hope]]`?"),
                (4, "`hpoe` is not a code id in the codebook; did you mean `hope`?"),
                (6, "`[[/way-out]]` closes a segment that is not open"),
                (6, "the transcript text differs from the document here: the sheet has “seing” where the document has “seeing”; a sheet may change codings only (edit the transcript and import it with `--replace`)"),
            ]
        );
        // A line added: the first difference and the count of lines.
        let added = sheet.replace("here?\n", "here?\nand more\n");
        let e = read_sheet(&added, &d, None).unwrap_err();
        assert_eq!(e.0.len(), 1, "{e}");
        assert_eq!(e.0[0].line, 5);
        assert!(
            e.0[0].message.contains("the sheet has “and more” where the document has nothing, and the sheet has 5 lines where the document has 4"),
            "{e}"
        );
    }
}
