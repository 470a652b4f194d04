//! Codings: a code applied by a coder to a span of a document, one line of
//! `codings/<coder>.jsonl`. A coding keeps the exact quoted text and a little context on each
//! side, so that `thema check` can verify it and a corrected transcript can re-anchor it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::span::{Span, SpanError, TextIndex};

/// Code points of context kept on each side of a coded segment.
pub const CONTEXT_CHARS: usize = 40;

/// One coding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coding {
    /// Document id.
    pub document: String,
    /// First code point of the segment.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The coded text, exactly.
    pub quote: String,
    /// Up to 40 code points of text before the segment.
    #[serde(default)]
    pub before: String,
    /// Up to 40 code points of text after the segment.
    #[serde(default)]
    pub after: String,
    /// Codebook entry id.
    pub code: String,
    /// Who applied it.
    pub coder: String,
    /// When, RFC 3339 in UTC.
    pub time: String,
    /// A note on this coding.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub memo: String,
    /// Set when a corrected transcript left the segment without a place; `thema check` lists it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unplaced: bool,
    /// Marked as an exemplar of its code (and of the themes above it) for the theme table.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exemplar: bool,
}

impl Coding {
    /// A coding of `span` in `document`, with its quote and context taken from the text.
    pub fn new(document: &Document, span: Span, code: &str, coder: &str, time: &str) -> Result<Coding, SpanError> {
        Coding::in_text(&document.meta.id, &TextIndex::new(&document.text), span, code, coder, time)
    }

    /// As [`Coding::new`], in the text of `document` indexed once by the caller: indexing is a
    /// pass over the whole text, which for each of thousands of codings in one long document
    /// made auto-coding quadratic in the document's length.
    pub fn in_text(
        document: &str,
        index: &TextIndex<'_>,
        span: Span,
        code: &str,
        coder: &str,
        time: &str,
    ) -> Result<Coding, SpanError> {
        index.check(span)?;
        let quote = index.slice(span)?.to_owned();
        let before_start = span.start.saturating_sub(CONTEXT_CHARS);
        let after_end = (span.end + CONTEXT_CHARS).min(index.char_len());
        Ok(Coding {
            document: document.to_owned(),
            start: span.start,
            end: span.end,
            quote,
            before: index.slice(Span { start: before_start, end: span.start })?.to_owned(),
            after: index.slice(Span { start: span.end, end: after_end })?.to_owned(),
            code: code.to_owned(),
            coder: coder.to_owned(),
            time: time.to_owned(),
            memo: String::new(),
            unplaced: false,
            exemplar: false,
        })
    }

    /// The coded span.
    pub fn span(&self) -> Span {
        Span { start: self.start, end: self.end }
    }

    /// The order codings are saved in: document, span, code.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (&self.document, self.start, self.end, &self.code)
    }

    /// True when both apply the same code to the same span of the same document.
    pub fn same_segment(&self, other: &Coding) -> bool {
        self.document == other.document && self.start == other.start && self.end == other.end && self.code == other.code
    }
}

/// Every place `quote` occurs in `text` as whole words, as code point spans (overlapping
/// occurrences included): a quote that starts or ends with a letter or digit does not match
/// inside a longer word, so "the" is not found in "there". Differences people make when they
/// copy text are forgiven (see [`match_quote`]).
pub fn find_quote(text: &str, quote: &str) -> Vec<Span> {
    match_quote(text, quote).whole
}

/// Where a quote occurs in a text: as whole words, and (when it does not) inside words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuoteMatches {
    /// Occurrences that start and end at word boundaries, in text order.
    pub whole: Vec<Span>,
    /// Occurrences that start or end inside a word ("he" in "there"), in text order.
    pub inside_word: Vec<Span>,
}

/// How a character counts when a quote is looked up: whitespace of any kind and length is one
/// space (line breaks and the indent of `thema show`, non-breaking spaces); typographic quotes,
/// apostrophes and dashes are their typewriter forms; soft hyphens and zero-width characters do
/// not count; an ellipsis is three dots. `None`: the character counts as itself.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => "",
        '‘' | '’' | '‚' | '‛' | 'ʼ' | '′' | '`' => "'",
        '“' | '”' | '„' | '‟' | '″' | '«' | '»' => "\"",
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => "-",
        '…' => "...",
        c if c.is_whitespace() => " ",
        _ => return None,
    })
}

/// `text` folded for comparison, each folded character with the code point span of the
/// original characters it stands for. Runs of spaces and of dashes become one.
fn folded(text: &str) -> Vec<(char, usize, usize)> {
    let mut out: Vec<(char, usize, usize)> = Vec::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        let mut push = |x: char| match out.last_mut() {
            Some(last) if last.0 == x && (x == ' ' || x == '-') => last.2 = i + 1,
            _ => out.push((x, i, i + 1)),
        };
        match fold(c) {
            Some(folded) => folded.chars().for_each(&mut push),
            None => push(c),
        }
    }
    out
}

/// Every place `quote` occurs in `text`, forgiving what copying changes: whitespace (line
/// breaks, several spaces, an indent), typographic quotes and dashes against typewriter ones,
/// soft hyphens. The spans are of the text as it is, so a coding still holds its exact words.
pub fn match_quote(text: &str, quote: &str) -> QuoteMatches {
    let mut matches = QuoteMatches::default();
    let needle: Vec<char> = {
        let q = folded(quote);
        let (mut a, mut b) = (0, q.len());
        while a < b && q[a].0 == ' ' {
            a += 1;
        }
        while b > a && q[b - 1].0 == ' ' {
            b -= 1;
        }
        q[a..b].iter().map(|x| x.0).collect()
    };
    let Some(&first) = needle.first() else { return matches };
    let hay = folded(text);
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let starts_word = first.is_alphanumeric();
    let ends_word = needle.last().is_some_and(|c| c.is_alphanumeric());
    for at in 0..hay.len().saturating_sub(needle.len() - 1) {
        if hay[at].0 != first || !hay[at..at + needle.len()].iter().map(|x| x.0).eq(needle.iter().copied()) {
            continue;
        }
        let end = at + needle.len();
        let span = Span { start: hay[at].1, end: hay[end - 1].2 };
        let glued_before = starts_word && word(at.checked_sub(1).map(|i| hay[i].0));
        let glued_after = ends_word && word(hay.get(end).map(|x| x.0));
        if glued_before || glued_after {
            matches.inside_word.push(span);
        } else {
            matches.whole.push(span);
        }
    }
    matches
}

/// The current time as RFC 3339 in UTC, to the second; or, when `SOURCE_DATE_EPOCH` is set (the
/// reproducible-builds convention), that time, so that scripted runs give identical files.
pub fn now() -> String {
    let fixed = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<u64>().ok());
    let time = match fixed {
        Some(seconds) => std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds),
        None => std::time::SystemTime::now(),
    };
    humantime::format_rfc3339_seconds(time).to_string()
}

/// True for coder ids: 1 to 64 of `a-z 0-9 - _ .`, starting with a letter or digit (they name
/// files).
pub fn is_valid_coder(coder: &str) -> bool {
    crate::document::is_valid_id(coder)
}

/// True when two codings are one passage to their coder, so that a study holds one coding for
/// it: the same coder, document and code, both placed, and spans that overlap or touch (one
/// ends where the other starts).
pub fn joins(a: &Coding, b: &Coding) -> bool {
    a.coder == b.coder
        && a.document == b.document
        && a.code == b.code
        && !a.unplaced
        && !b.unplaced
        && a.start <= b.end
        && b.start <= a.end
}

/// Where [`place`] put a new coding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placed {
    /// A coding of its own.
    Added,
    /// An existing coding already covers it; its memo and exemplar mark were carried over.
    Covered(Span),
    /// It was joined with the existing codings it overlaps or touches into one coding of this
    /// span.
    Extended(Span),
}

/// Add `new` to one coder's `codings` by the rule of one coding per passage per code per coder
/// ([`joins`]): a coding it joins with is extended to cover both (their memos kept, exemplar if
/// either was), one that encloses it is left as it is. Used by every command that adds codings
/// (`code`, `invivo`, autocode, `apply`) and by `thema check --fix`.
pub fn place(codings: &mut Vec<Coding>, new: Coding, document: &Document) -> Result<Placed, SpanError> {
    let mut joined: Vec<usize> = (0..codings.len()).filter(|&i| joins(&codings[i], &new)).collect();
    if let Some(&i) = joined.iter().find(|&&i| codings[i].span().encloses(new.span())) {
        let old = &mut codings[i];
        old.exemplar |= new.exemplar;
        if !new.memo.is_empty() && !old.memo.contains(&new.memo) {
            old.memo = if old.memo.is_empty() { new.memo } else { format!("{}\n{}", old.memo, new.memo) };
        }
        return Ok(Placed::Covered(old.span()));
    }
    if joined.is_empty() {
        codings.push(new);
        return Ok(Placed::Added);
    }
    // The cover can reach codings the new one did not touch: widen until nothing more joins.
    let mut span = new.span();
    loop {
        for &i in &joined {
            span = span.cover(codings[i].span());
        }
        let probe = Coding { start: span.start, end: span.end, ..new.clone() };
        let more: Vec<usize> = (0..codings.len()).filter(|&i| joins(&codings[i], &probe)).collect();
        if more.len() == joined.len() {
            break;
        }
        joined = more;
    }
    let mut merged = Coding::new(document, span, &new.code, &new.coder, &new.time)?;
    let mut memos: Vec<String> = Vec::new();
    for c in joined.iter().map(|&i| &codings[i]).chain([&new]) {
        merged.exemplar |= c.exemplar;
        if !c.memo.is_empty() && !memos.contains(&c.memo) {
            memos.push(c.memo.clone());
        }
    }
    merged.memo = memos.join("\n");
    for i in joined.into_iter().rev() {
        codings.remove(i);
    }
    codings.push(merged);
    Ok(Placed::Extended(span))
}

/// [`place`] for many new codings of one code by one coder in one document, given in text order
/// (auto-coding's hits): the same result for each as [`place`] among all the codings, in time
/// that grows with the codings of the document, not with their square. [`place`] looks at every
/// coding each time, so a survey of 50,000 answers (one document) auto-coded answer by answer
/// took minutes. A sweep: the codings given are held back (`ahead`, by start) until a new
/// coding could reach them, and set aside (`behind`) once none can.
#[derive(Debug, Default)]
pub struct Sweep {
    /// Codings no later new coding can join: they end before the threshold of
    /// [`Sweep::settle`], or are unplaced (which never join).
    behind: Vec<Coding>,
    /// Codings a new coding may join; what [`place`] is given.
    live: Vec<Coding>,
    /// Codings given, not yet reached, by start (the last is the first to reach).
    ahead: Vec<Coding>,
    /// Start of the last new coding: a new coding before it puts everything back in play.
    last_start: usize,
}

impl Sweep {
    /// A sweep over `codings`: one coder's codings of one code in one document.
    pub fn new(codings: Vec<Coding>) -> Sweep {
        let (unplaced, mut ahead): (Vec<Coding>, Vec<Coding>) = codings.into_iter().partition(|c| c.unplaced);
        ahead.sort_by_key(|c| std::cmp::Reverse((c.start, c.end)));
        Sweep { behind: unplaced, live: Vec::new(), ahead, last_start: 0 }
    }

    /// Place `new` as [`place`] does among all the codings.
    pub fn place(&mut self, new: Coding, document: &Document) -> Result<Placed, SpanError> {
        if new.start < self.last_start {
            // Out of text order: every coding is in play again (correct, and slower).
            self.live.append(&mut self.behind);
        }
        self.last_start = new.start;
        self.settle(new.start);
        // Codings that start within reach of anything the new coding can be widened over: the
        // new coding's end, or the end of a live coding (each coding fed can reach further).
        let mut reach = self.live.iter().map(|c| c.end).fold(new.end, usize::max);
        while self.ahead.last().is_some_and(|c| c.start <= reach) {
            if let Some(c) = self.ahead.pop() {
                reach = reach.max(c.end);
                self.live.push(c);
            }
        }
        place(&mut self.live, new, document)
    }

    /// The coding the last [`Sweep::place`] added or widened (with [`Placed::Covered`], the
    /// coding that covers it is not this one).
    pub fn last(&self) -> Option<&Coding> {
        self.live.last()
    }

    /// Set aside the live codings no new coding starting at `start` or later can join: those
    /// that end before both `start` and the start of every live coding that stays (a widened
    /// coding starts no earlier than the codings it is made of).
    fn settle(&mut self, start: usize) {
        let threshold =
            self.live.iter().filter(|c| c.end >= start && !c.unplaced).map(|c| c.start).fold(start, usize::min);
        let (gone, stay): (Vec<Coding>, Vec<Coding>) =
            std::mem::take(&mut self.live).into_iter().partition(|c| c.end < threshold || c.unplaced);
        self.behind.extend(gone);
        self.live = stay;
    }

    /// Every coding: those given and those placed.
    pub fn into_codings(self) -> Vec<Coding> {
        let mut all = self.behind;
        all.extend(self.live);
        all.extend(self.ahead.into_iter().rev());
        all
    }
}

/// Pairs of codings in `codings` that [`joins`] says are one passage, by index, each pair once,
/// in document, code and span order: what `thema check` reports and `--fix` merges.
pub fn joined_pairs(codings: &[Coding]) -> Vec<(usize, usize)> {
    joined_pairs_by(
        codings
            .iter()
            .map(|c| (!c.unplaced).then(|| ((c.coder.as_str(), c.document.as_str(), c.code.as_str()), c.span()))),
    )
}

/// [`joined_pairs`] of codings given as their (coder, document, code) and span, `None` for an
/// unplaced coding: for a caller that keeps codings in a compact form (`thema check` keeps a
/// million of them). Two codings join when their keys are equal and their spans overlap or touch;
/// the pairs are by index, in key and span order, as [`joined_pairs`] gives them.
pub fn joined_pairs_by<K: Ord>(codings: impl IntoIterator<Item = Option<(K, Span)>>) -> Vec<(usize, usize)> {
    let mut order: Vec<(K, Span, usize)> =
        codings.into_iter().enumerate().filter_map(|(i, c)| c.map(|(key, span)| (key, span, i))).collect();
    // The index last keeps equal codings in the order given.
    order.sort_unstable_by(|a, b| (&a.0, a.1.start, a.1.end, a.2).cmp(&(&b.0, b.1.start, b.1.end, b.2)));
    let mut pairs = Vec::new();
    // The earlier coding of the run that reaches furthest, which a later one can still join.
    let mut reach: Option<usize> = None;
    for k in 0..order.len() {
        if let Some(r) = reach {
            let ((key_r, span_r, r_index), (key, span, index)) = (&order[r], &order[k]);
            if key_r == key && span_r.start <= span.end && span.start <= span_r.end {
                pairs.push((*r_index, *index));
                if span.end > span_r.end {
                    reach = Some(k);
                }
                continue;
            }
        }
        reach = Some(k);
    }
    pairs
}

/// Codings that are exact copies of an earlier one (every field the same), as `(copy,
/// original)` indices, the original being the first of its copies; in index order of the copy.
/// A git merge with the `union` driver, or two branches that made the same coding, can leave
/// one coding on two lines: analyses would count it twice.
pub fn exact_copies(codings: &[Coding]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..codings.len()).collect();
    order.sort_by(|&a, &b| codings[a].sort_key().cmp(&codings[b].sort_key()).then(a.cmp(&b)));
    let mut copies = Vec::new();
    let mut run_start = 0;
    for k in 0..order.len() {
        let i = order[k];
        if codings[order[run_start]].sort_key() != codings[i].sort_key() {
            run_start = k;
        }
        // Earlier members of the run come first in index order: the first equal one is the
        // original.
        if let Some(&original) = order[run_start..k].iter().find(|&&j| codings[j] == codings[i]) {
            copies.push((i, original));
        }
    }
    copies.sort_unstable();
    copies
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{DocumentMeta, Turn};

    fn doc(text: &str) -> Document {
        Document { meta: DocumentMeta::new("fg1", "interview"), text: text.into(), turns: Vec::<Turn>::new() }
    }

    /// A coding of `code` by `hp` over `start..end` of `d`, with a memo.
    fn at(d: &Document, start: usize, end: usize, memo: &str) -> Coding {
        let mut c = Coding::new(d, Span { start, end }, "x", "hp", "t").unwrap();
        c.memo = memo.into();
        c
    }

    #[test]
    fn a_sweep_places_as_place_does_among_all_codings() {
        // 0         1         2         3         4         5
        // 012345678901234567890123456789012345678901234567890123456789
        let d = doc(&"word ".repeat(12));
        // Existing codings, not in order: 20..24 (memo b), 0..4 (a), 10..14 (unplaced: never
        // joined), 35..39 and 45..49 (c).
        let mut unplaced = at(&d, 10, 14, "u");
        unplaced.unplaced = true;
        let existing = vec![at(&d, 20, 24, "b"), at(&d, 0, 4, "a"), unplaced, at(&d, 35, 39, ""), at(&d, 45, 49, "c")];
        // New codings in text order: inside 0..4 (covered), touching 20..24 from before (widened
        // to 15..24), apart (added), bridging 35..39 and 45..49 (one coding 35..49), then one
        // out of order, inside the bridged coding.
        let new = [(1, 3), (15, 20), (25, 29), (38, 46), (50, 54), (40, 41)];
        let mut all = existing.clone();
        let mut sweep = Sweep::new(existing);
        for (start, end) in new {
            let by_place = place(&mut all, at(&d, start, end, ""), &d).unwrap();
            let by_sweep = sweep.place(at(&d, start, end, ""), &d).unwrap();
            assert_eq!(by_sweep, by_place, "{start}..{end}");
            if let Placed::Extended(span) = by_sweep {
                assert_eq!(sweep.last().map(Coding::span), Some(span));
            }
        }
        let spans = |codings: Vec<Coding>| {
            let mut spans: Vec<(usize, usize, bool, String)> =
                codings.into_iter().map(|c| (c.start, c.end, c.unplaced, c.memo)).collect();
            spans.sort();
            spans
        };
        let swept = spans(sweep.into_codings());
        assert_eq!(swept, spans(all));
        // Counted by hand: 0..4 a, 10..14 unplaced, 15..24 b, 25..29, 35..49 c, 50..54.
        let expected: Vec<(usize, usize, bool, String)> = [
            (0, 4, false, "a"),
            (10, 14, true, "u"),
            (15, 24, false, "b"),
            (25, 29, false, ""),
            (35, 49, false, "c"),
            (50, 54, false, ""),
        ]
        .into_iter()
        .map(|(s, e, u, m)| (s, e, u, m.to_owned()))
        .collect();
        assert_eq!(swept, expected);
    }

    #[test]
    fn a_sweep_looks_at_few_codings_whatever_their_number() {
        // 20,000 codings given, 20,000 placed between them: [`place`] is only ever handed the
        // codings near the new one. Were every coding handed to it each time (as before the
        // sweep), auto-coding a long document would again grow with the square of its hits.
        let d = doc(&"word ".repeat(80_000));
        let text = TextIndex::new(&d.text);
        let at = |start: usize| Coding::in_text("fg1", &text, Span { start, end: start + 4 }, "x", "hp", "t").unwrap();
        let existing: Vec<Coding> = (0..20_000).map(|i| at(i * 20)).collect();
        let mut sweep = Sweep::new(existing);
        let mut most = 0;
        for i in 0..20_000 {
            let placed = sweep.place(at(i * 20 + 10), &d).unwrap();
            assert_eq!(placed, Placed::Added);
            most = most.max(sweep.live.len());
        }
        assert!(most <= 3, "place was handed {most} codings at once");
        assert_eq!(sweep.into_codings().len(), 40_000);
    }

    #[test]
    fn exact_copies_are_found_and_near_copies_are_not() {
        let d = doc("one two three four");
        let a = Coding::new(&d, Span::new(0, 3).unwrap(), "x", "hp", "2026-01-01T00:00:00Z").unwrap();
        let mut later = a.clone();
        later.time = "2026-01-02T00:00:00Z".into();
        let b = Coding::new(&d, Span::new(4, 7).unwrap(), "x", "hp", "2026-01-01T00:00:00Z").unwrap();
        // 0 a, 1 b, 2 a again, 3 a made later (not a copy), 4 b again, 5 a a third time.
        let list = [a.clone(), b.clone(), a.clone(), later, b, a];
        assert_eq!(exact_copies(&list), [(2, 0), (4, 1), (5, 0)]);
        assert!(exact_copies(&list[..2]).is_empty());
    }

    #[test]
    fn quotes_and_context() {
        let d = doc("Mo: showing them a way out of the revolving door 🚪 of prison");
        let span = find_quote(&d.text, "revolving door 🚪")[0];
        assert_eq!(span, Span { start: 34, end: 50 });
        let c = Coding::new(&d, span, "way-out", "hp", "2026-11-23T04:00:00Z").unwrap();
        assert_eq!(c.quote, "revolving door 🚪");
        assert_eq!(c.before, "Mo: showing them a way out of the ");
        assert_eq!(c.after, " of prison");
        assert!(Coding::new(&d, Span { start: 0, end: 999 }, "x", "hp", "t").is_err());
    }

    #[test]
    fn finds_every_occurrence() {
        assert_eq!(find_quote("a-a-a", "a-a"), [Span { start: 0, end: 3 }, Span { start: 2, end: 5 }]);
        assert!(find_quote("aaa", "aa").is_empty(), "inside a word");
        assert_eq!(
            find_quote("the theme, there, the end", "the"),
            [Span { start: 0, end: 3 }, Span { start: 18, end: 21 }]
        );
        assert_eq!(find_quote("bathe", "the").len(), 0);
        assert_eq!(find_quote("(the) end", "(the)").len(), 1);
        assert_eq!(find_quote("way out, way out", "way out").len(), 2);
        assert!(find_quote("x", "").is_empty());
    }

    #[test]
    fn forgives_what_copying_changes() {
        let text = "Mo: it’s “the way” out — of prison,\nyou know; self-em\u{ad}ployed";
        // Wrapped and indented as `thema show` prints it, with typewriter quotes and a dash.
        let span = find_quote(text, "it's \"the way\" out - of\n    prison,   you know")[0];
        let chars: Vec<char> = text.chars().collect();
        let exact: String = chars[span.start..span.end].iter().collect();
        assert_eq!(exact, "it’s “the way” out — of prison,\nyou know");
        assert_eq!(find_quote(text, "self-employed").len(), 1, "soft hyphen");
        assert_eq!(find_quote("wait… no", "wait... no"), [Span { start: 0, end: 8 }]);
        let inside = match_quote("there is the theme", "he the");
        assert!(inside.whole.is_empty());
        assert_eq!(inside.inside_word, [Span { start: 10, end: 16 }], "t[he the]me");
        assert_eq!(match_quote("a b", "  ").whole, []);
    }

    #[test]
    fn one_coding_per_passage_per_code_per_coder() {
        let d = doc("Mo: one two three four five six seven");
        let at = |start, end, code: &str, coder: &str| {
            Coding::new(&d, Span { start, end }, code, coder, "2026-01-01T00:00:00Z").unwrap()
        };
        let mut codings = vec![at(4, 13, "a", "hp")]; // "one two t"
                                                      // Inside it: nothing new, the memo carried over.
        let mut inside = at(8, 11, "a", "hp");
        inside.memo = "why".into();
        assert_eq!(place(&mut codings, inside, &d).unwrap(), Placed::Covered(Span { start: 4, end: 13 }));
        assert_eq!((codings.len(), codings[0].memo.as_str()), (1, "why"));
        // Another code, or another coder, in the same place: codings of their own.
        assert_eq!(place(&mut codings, at(8, 11, "b", "hp"), &d).unwrap(), Placed::Added);
        assert_eq!(place(&mut codings, at(8, 11, "a", "mk"), &d).unwrap(), Placed::Added);
        // Overlapping: extended to the cover, with its quote.
        assert_eq!(
            place(&mut codings, at(8, 17, "a", "hp"), &d).unwrap(),
            Placed::Extended(Span { start: 4, end: 17 })
        );
        // Touching (17 is where the last ended) and reaching a third coding: all one.
        codings.push(at(23, 27, "a", "hp"));
        assert_eq!(
            place(&mut codings, at(17, 23, "a", "hp"), &d).unwrap(),
            Placed::Extended(Span { start: 4, end: 27 })
        );
        let hp_a: Vec<&Coding> = codings.iter().filter(|c| c.coder == "hp" && c.code == "a").collect();
        assert_eq!(hp_a.len(), 1);
        assert_eq!((hp_a[0].quote.as_str(), hp_a[0].memo.as_str()), ("one two three four five", "why"));
    }

    #[test]
    fn joined_pairs_are_found_once_each() {
        let d = doc("Mo: one two three four five six seven");
        let at = |start, end, code: &str| Coding::new(&d, Span { start, end }, code, "hp", "t").unwrap();
        // 4..13 and 8..9 overlap, 8..9 lies inside, 13..17 touches 4..13; 30..35 stands alone;
        // 4..13 with code b overlaps nothing of its code.
        let codings = vec![at(13, 17, "a"), at(4, 13, "a"), at(8, 9, "a"), at(30, 35, "a"), at(4, 13, "b")];
        assert_eq!(joined_pairs(&codings), [(1, 2), (1, 0)]);
    }

    #[test]
    fn time_is_rfc3339_utc() {
        let t = now();
        assert_eq!(t.len(), 20);
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
    }
}

/// What happened to a coding when its document's text changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Anchor {
    /// The quote is still at the same place.
    Unchanged,
    /// The same quote was found elsewhere (the text before it changed).
    Moved,
    /// The quote itself was edited; the segment between its old context now holds it.
    Changed,
    /// No place could be found; the coding is kept and flagged.
    Unplaced,
}

/// Length of the longest common suffix of `a` and `b`, in characters.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).count()
}

/// Length of the longest common prefix of `a` and `b`, in characters.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Find a coding's place in a corrected text: where it was if the quote is still there; else the
/// occurrence of the quote whose surroundings best match the stored context (ties: the nearest
/// to the old place); else, when the quote itself was edited, the stretch between the stored
/// context before and after it; else nowhere, and the coding is flagged `unplaced` (never
/// dropped). The returned coding has its span, quote and context updated.
pub fn reanchor(coding: &Coding, text: &str) -> (Coding, Anchor) {
    let index = TextIndex::new(text);
    let mut out = coding.clone();
    let refresh = |out: &mut Coding, span: Span| {
        let span = index.widen_to_graphemes(span);
        out.start = span.start;
        out.end = span.end;
        out.quote = index.slice(span).unwrap_or("").to_owned();
        let before = Span { start: span.start.saturating_sub(CONTEXT_CHARS), end: span.start };
        let after = Span { start: span.end, end: (span.end + CONTEXT_CHARS).min(index.char_len()) };
        out.before = index.slice(before).unwrap_or("").to_owned();
        out.after = index.slice(after).unwrap_or("").to_owned();
        out.unplaced = false;
    };
    if index.slice(coding.span()).is_ok_and(|q| q == coding.quote) {
        out.unplaced = false;
        return (out, Anchor::Unchanged);
    }
    let candidates: Vec<Span> = if coding.quote.is_empty() {
        Vec::new()
    } else {
        text.match_indices(coding.quote.as_str()).filter_map(|(at, q)| index.span_of_bytes(at..at + q.len())).collect()
    };
    let score = |span: &Span| {
        let before =
            index.slice(Span { start: span.start.saturating_sub(CONTEXT_CHARS), end: span.start }).unwrap_or("");
        let after =
            index.slice(Span { start: span.end, end: (span.end + CONTEXT_CHARS).min(index.char_len()) }).unwrap_or("");
        let context = common_suffix(before, &coding.before) + common_prefix(after, &coding.after);
        (std::cmp::Reverse(context), span.start.abs_diff(coding.start))
    };
    if let Some(best) = candidates.iter().min_by_key(|s| score(s)) {
        refresh(&mut out, *best);
        return (out, Anchor::Moved);
    }
    // The quote was edited: look for its old surroundings, in order, close together.
    let tail: String = {
        let chars: Vec<char> = coding.before.chars().collect();
        chars[chars.len().saturating_sub(20)..].iter().collect()
    };
    let head: String = coding.after.chars().take(20).collect();
    if tail.chars().count() >= 8 && head.chars().count() >= 8 {
        let mut best: Option<Span> = None;
        for (at, _) in text.match_indices(tail.as_str()) {
            let from = at + tail.len();
            if let Some(gap) = text[from..].find(head.as_str()) {
                let span = index.span_of_bytes(from..from + gap);
                let old = coding.quote.chars().count().max(1);
                if let Some(span) = span.filter(|s| s.len() * 2 >= old && s.len() <= old * 2 && !s.is_empty()) {
                    if best.is_none_or(|b| span.start.abs_diff(coding.start) < b.start.abs_diff(coding.start)) {
                        best = Some(span);
                    }
                }
            }
        }
        if let Some(span) = best {
            let span = Span { start: span.start, end: span.end };
            let trimmed = index.slice(span).unwrap_or("");
            let lead = trimmed.len() - trimmed.trim_start().len();
            let trail = trimmed.len() - trimmed.trim_end().len();
            let (s, e) = (index.byte_of(span.start).unwrap_or(0) + lead, index.byte_of(span.end).unwrap_or(0) - trail);
            if let Some(inner) = index.span_of_bytes(s..e.max(s)) {
                refresh(&mut out, inner);
                return (out, Anchor::Changed);
            }
        }
    }
    out.unplaced = true;
    (out, Anchor::Unplaced)
}

#[cfg(test)]
mod reanchor_tests {
    use super::*;

    fn coding(text: &str, quote: &str, code: &str) -> Coding {
        let start = text.find(quote).unwrap();
        let index = TextIndex::new(text);
        let span = index.span_of_bytes(start..start + quote.len()).unwrap();
        let doc =
            crate::Document { meta: crate::DocumentMeta::new("d", "interview"), text: text.into(), turns: vec![] };
        Coding::new(&doc, span, code, "hp", "t").unwrap()
    }

    const OLD: &str =
        "Mo: It is a matter of showing that there is a way out. Just by seeing somebody who found a way out.";

    #[test]
    fn unchanged_moved_changed_unplaced() {
        let first = coding(OLD, "showing that there is a way out", "way-out");
        assert_eq!(reanchor(&first, OLD).1, Anchor::Unchanged);
        // Text inserted before: the quote moves.
        let edited = format!("[inaudible] {OLD}");
        let (moved, anchor) = reanchor(&first, &edited);
        assert_eq!(anchor, Anchor::Moved);
        assert_eq!(&edited[moved.start..moved.end], "showing that there is a way out");
        // Two occurrences of "a way out": the context decides.
        let second = {
            let start = OLD.rfind("a way out").unwrap();
            let index = TextIndex::new(OLD);
            let mut c = first.clone();
            let span = index.span_of_bytes(start..start + 9).unwrap();
            c.start = span.start;
            c.end = span.end;
            c.quote = "a way out".into();
            c.before = OLD[..start].chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
            c.after = OLD[start + 9..].into();
            c
        };
        let (m, anchor) = reanchor(&second, &edited);
        assert_eq!(anchor, Anchor::Moved);
        assert_eq!(m.start, edited.rfind("a way out").unwrap());
        // The quote itself corrected by the transcriber.
        let corrected = OLD.replace("showing that there is a way out", "showing them that there is a way out");
        let (c, anchor) = reanchor(&first, &corrected);
        assert_eq!(anchor, Anchor::Changed);
        assert_eq!(c.quote, "showing them that there is a way out");
        // Gone entirely: kept, flagged.
        let (u, anchor) = reanchor(&first, "Mo: something else entirely was said here, nothing alike.");
        assert_eq!(anchor, Anchor::Unplaced);
        assert!(u.unplaced);
        assert_eq!(u.quote, first.quote);
    }
}
