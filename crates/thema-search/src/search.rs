//! Queries: tantivy's query syntax over the turn text, readable filters, hits with the matching
//! words located in the text.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use serde::Serialize;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, Order, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument, Term};

use crate::index::{attribute_term, SearchIndex};
use crate::SearchError;

pub use thema_core::filter::{edit_distance, Where};

/// Filters; every one given must hold.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// Any of these documents.
    pub documents: Vec<String>,
    /// Any of these kinds.
    pub kinds: Vec<String>,
    /// Any of these waves.
    pub waves: Vec<u32>,
    /// Any of these speaker labels (any case).
    pub speakers: Vec<String>,
    /// Each condition.
    pub wheres: Vec<Where>,
    /// Each set: coded with one of its codes (a code and the entries under it).
    pub codes: Vec<BTreeSet<String>>,
    /// Each set: coded with none of its codes.
    pub not_codes: Vec<BTreeSet<String>>,
    /// Coded by nobody (or, with `coder`, not by that coder).
    pub uncoded: bool,
    /// Read the code filters for this coder's codings only.
    pub coder: Option<String>,
}

/// In which order hits come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HitOrder {
    /// Best match first (BM25).
    #[default]
    Rank,
    /// As the documents were imported, turn by turn.
    Document,
}

/// A search.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// tantivy query syntax; empty or `*` for every turn.
    pub query: String,
    /// Look words up unstemmed (default: English-stemmed, so "court" finds "courts").
    pub exact: bool,
    /// Let each word be this many edits away (1 or 2).
    pub fuzzy: Option<u8>,
    /// Filters.
    pub filters: Filters,
    /// Order of hits.
    pub order: HitOrder,
    /// At most this many hits (the total is counted regardless).
    pub limit: usize,
}

/// A turn that matched.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// Turn id, `fg1:T17`.
    pub turn: String,
    /// Document id.
    pub document: String,
    /// Turn number.
    pub number: u32,
    /// Speaker label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Participant id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participant: Option<String>,
    /// The turn's text.
    pub text: String,
    /// Code-point offset of the text in the document.
    pub start: usize,
    /// BM25 score (0 in document order).
    pub score: f32,
    /// Byte ranges of the matching words in `text`, in order, not overlapping.
    pub matches: Vec<Range<usize>>,
}

/// The hits of a search.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Results {
    /// Turns that match, in all.
    pub total: usize,
    /// The first `limit` of them.
    pub hits: Vec<Hit>,
}

/// What to look for in a turn's words to show or code a match.
#[derive(Clone, Debug)]
struct Pattern {
    field: Field,
    /// Consecutive tokens; the last may be a prefix.
    tokens: Vec<String>,
    prefix: bool,
    /// Words may be this many edits away.
    fuzzy: Option<u8>,
}

impl SearchIndex {
    /// Run `request`.
    pub fn search(&self, request: &Request) -> Result<Results, SearchError> {
        let (query, patterns) = self.query(request)?;
        let searcher = self.reader.searcher();
        let limit = request.limit.max(1);
        let (addresses, total): (Vec<(f32, DocAddress)>, usize) = match request.order {
            HitOrder::Rank => searcher.search(&query, &(TopDocs::with_limit(limit).order_by_score(), Count))?,
            HitOrder::Document => {
                let collector = TopDocs::with_limit(limit).order_by_u64_field("order", Order::Asc);
                let (docs, total) = searcher.search(&query, &(collector, Count))?;
                (docs.into_iter().map(|(_, a)| (0.0, a)).collect(), total)
            }
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses.into_iter().take(request.limit) {
            hits.push(self.hit(&searcher, address, score, &patterns)?);
        }
        Ok(Results { total, hits })
    }

    /// Every turn `request` finds, whatever its limit: one search, whose hits are the total (the
    /// index's turns bound them, so no search is needed to learn how many there are).
    pub fn search_all(&self, request: &Request) -> Result<Results, SearchError> {
        let limit = usize::try_from(self.len()).unwrap_or(usize::MAX);
        self.search(&Request { limit, ..request.clone() })
    }

    /// How many turns match, by document and participant (`None`: a turn with no participant),
    /// for counting: read from the fast fields of the matching turns, without loading them.
    pub fn count_matching(&self, request: &Request) -> Result<BTreeMap<(String, Option<String>), usize>, SearchError> {
        let (query, _) = self.query(request)?;
        Ok(self.reader.searcher().search(&query, &PairCounter)?)
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        patterns: &[Pattern],
    ) -> Result<Hit, SearchError> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_owned);
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let body = text(f.text).unwrap_or_default();
        let matches = self.locate(&body, patterns)?;
        Ok(Hit {
            turn: text(f.id).unwrap_or_default(),
            document: text(f.document).unwrap_or_default(),
            number: u32::try_from(number(f.turn)).unwrap_or(u32::MAX),
            speaker: text(f.speaker_label),
            participant: text(f.participant),
            start: usize::try_from(number(f.start)).unwrap_or(usize::MAX),
            text: body,
            score,
            matches,
        })
    }

    /// The query with its filters, and the patterns to locate matches with.
    fn query(&self, request: &Request) -> Result<(Box<dyn Query>, Vec<Pattern>), SearchError> {
        let f = &self.fields;
        let text_field = if request.exact { f.exact } else { f.text };
        let trimmed = request.query.trim();
        let (user, patterns): (Box<dyn Query>, Vec<Pattern>) = if trimmed.is_empty() || trimmed == "*" {
            (Box::new(AllQuery), Vec::new())
        } else {
            check_shape(trimmed)?;
            let (ast, errors) = tantivy::query_grammar::parse_query_lenient(trimmed);
            if let Some(e) = errors.first() {
                return Err(SearchError::Query { message: e.message.clone(), position: Some(e.pos) });
            }
            let mut parser = QueryParser::for_index(&self.index, vec![text_field]);
            if let Some(distance) = request.fuzzy {
                parser.set_field_fuzzy(text_field, false, distance, true);
            }
            let parse_error =
                |e: tantivy::query::QueryParserError| SearchError::Query { message: e.to_string(), position: None };
            let mut patterns = Vec::new();
            self.patterns(&ast, text_field, false, &mut patterns)?;
            let query = if has_leaf(&ast, &|leaf| self.word_prefix(leaf, text_field).is_some()) {
                // Regular expressions are allowed for the prefixes below, not for the user's.
                if has_leaf(&ast, &|leaf| matches!(leaf, UserInputLeaf::Regex { .. })) {
                    return Err(parse_error(tantivy::query::QueryParserError::UnsupportedQuery(
                        "Regex queries are not allowed.".into(),
                    )));
                }
                // A word prefix (`fam*`) is looked up among the words as written, lower-cased
                // (the `exact` field): tantivy's parser takes `fam*` for a phrase prefix, which
                // needs two words, and a stemmed prefix would miss words whose stem is shorter
                // than the prefix typed (`families*` is stemmed to `famili`).
                parser.allow_regexes();
                parser.build_query_from_user_input_ast(self.with_word_prefixes(ast, text_field)).map_err(parse_error)?
            } else {
                parser.parse_query(trimmed).map_err(parse_error)?
            };
            (query, patterns)
        };
        let query = self.filtered(user, &request.filters);
        let patterns = patterns.into_iter().map(|p| Pattern { fuzzy: request.fuzzy, ..p }).collect();
        Ok((query, patterns))
    }

    /// `user` with `filters` applied.
    fn filtered(&self, user: Box<dyn Query>, filters: &Filters) -> Box<dyn Query> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user)];
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
        };
        let any = |queries: Vec<Box<dyn Query>>| -> Box<dyn Query> { Box::new(BooleanQuery::union(queries)) };
        if !filters.documents.is_empty() {
            clauses.push((Occur::Must, any(filters.documents.iter().map(|d| term(f.document, d)).collect())));
        }
        if !filters.kinds.is_empty() {
            clauses.push((Occur::Must, any(filters.kinds.iter().map(|k| term(f.kind, k)).collect())));
        }
        if !filters.waves.is_empty() {
            let waves = filters
                .waves
                .iter()
                .map(|&w| {
                    Box::new(TermQuery::new(Term::from_field_u64(f.wave, u64::from(w)), IndexRecordOption::Basic))
                        as Box<dyn Query>
                })
                .collect();
            clauses.push((Occur::Must, any(waves)));
        }
        if !filters.speakers.is_empty() {
            let speakers = filters.speakers.iter().map(|s| term(f.speaker, &s.to_lowercase())).collect();
            clauses.push((Occur::Must, any(speakers)));
        }
        for w in &filters.wheres {
            let occur = if w.negated { Occur::MustNot } else { Occur::Must };
            let one = |v: &str| term(f.attribute, &attribute_term(&w.key, v));
            let query = if w.also.is_empty() {
                one(&w.value)
            } else {
                any(std::iter::once(&w.value).chain(&w.also).map(|v| one(v)).collect())
            };
            clauses.push((occur, query));
        }
        let code_term = |code: &str| match &filters.coder {
            Some(coder) => term(f.coded_by, &format!("{coder}/{code}")),
            None => term(f.code, code),
        };
        for codes in &filters.codes {
            clauses.push((Occur::Must, any(codes.iter().map(|c| code_term(c)).collect())));
        }
        for codes in &filters.not_codes {
            clauses.push((Occur::MustNot, any(codes.iter().map(|c| code_term(c)).collect())));
        }
        if filters.uncoded {
            match &filters.coder {
                Some(coder) => clauses.push((Occur::MustNot, term(f.coded_by, coder))),
                None => clauses.push((Occur::Must, term(f.status, "uncoded"))),
            }
        }
        if clauses.len() == 1 {
            clauses.pop().map_or_else(|| Box::new(AllQuery) as Box<dyn Query>, |(_, q)| q)
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    }

    /// Turns like `texts` (coded segments) that `filters` let through: the `terms` most
    /// distinctive stemmed words of the texts (by tf × idf over the index) are looked up, each
    /// weighted by its tf × idf, and turns ranked by BM25.
    pub fn similar(
        &self,
        texts: &[String],
        filters: &Filters,
        terms: usize,
        limit: usize,
    ) -> Result<Results, SearchError> {
        let searcher = self.reader.searcher();
        let field = self.fields.text;
        let mut tf: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for text in texts {
            for token in self.tokens(field, text)? {
                if token.text.chars().count() > 2 && !crate::words::is_stop(&token.text) {
                    *tf.entry(token.text).or_default() += 1;
                }
            }
        }
        let n = searcher.num_docs() as f64;
        let mut weighted: Vec<(String, f64)> = Vec::new();
        for (word, count) in tf {
            let df = searcher.doc_freq(&Term::from_field_text(field, &word))? as f64;
            if df > 0.0 {
                weighted.push((word, count as f64 * (1.0 + n / df).ln()));
            }
        }
        weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        weighted.truncate(terms);
        if weighted.is_empty() {
            return Ok(Results { total: 0, hits: Vec::new() });
        }
        let should: Vec<(Occur, Box<dyn Query>)> = weighted
            .iter()
            .map(|(word, weight)| {
                let term = TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs);
                let boosted = tantivy::query::BoostQuery::new(Box::new(term), *weight as f32);
                (Occur::Should, Box::new(boosted) as Box<dyn Query>)
            })
            .collect();
        let query = self.filtered(Box::new(BooleanQuery::new(should)), filters);
        let patterns: Vec<Pattern> = weighted
            .iter()
            .map(|(word, _)| Pattern { field, tokens: vec![word.clone()], prefix: false, fuzzy: None })
            .collect();
        let (top, total) = searcher.search(&query, &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count))?;
        let mut hits = Vec::new();
        for (score, address) in top.into_iter().take(limit) {
            hits.push(self.hit(&searcher, address, score, &patterns)?);
        }
        Ok(Results { total, hits })
    }

    /// The words and phrases of the query's positive leaves, tokenised as their field is.
    fn patterns(
        &self,
        ast: &UserInputAst,
        default: Field,
        negated: bool,
        out: &mut Vec<Pattern>,
    ) -> Result<(), SearchError> {
        match ast {
            UserInputAst::Clause(clauses) => {
                for (occur, clause) in clauses {
                    self.patterns(clause, default, negated ^ (*occur == Some(Occur::MustNot)), out)?;
                }
            }
            UserInputAst::Boost(inner, _) => self.patterns(inner, default, negated, out)?,
            UserInputAst::Leaf(leaf) => {
                let UserInputLeaf::Literal(literal) = leaf.as_ref() else { return Ok(()) };
                if negated {
                    return Ok(());
                }
                let field = match literal.field_name.as_deref() {
                    None => default,
                    Some("text") => self.fields.text,
                    Some("exact") => self.fields.exact,
                    Some(_) => return Ok(()),
                };
                if let Some(word) = self.word_prefix(leaf, default) {
                    out.push(Pattern { field: self.fields.exact, tokens: vec![word], prefix: true, fuzzy: None });
                    return Ok(());
                }
                let tokens = self.tokens(field, &literal.phrase)?.into_iter().map(|t| t.text).collect::<Vec<_>>();
                if !tokens.is_empty() {
                    out.push(Pattern { field, tokens, prefix: literal.prefix, fuzzy: None });
                }
            }
        }
        Ok(())
    }

    /// The word of a prefix query of one word on the turn's text (`fam*`, `"fam"*`,
    /// `text:fam*`, `exact:fam*`), as the `exact` field's analyser gives it (lower case).
    fn word_prefix(&self, leaf: &UserInputLeaf, default: Field) -> Option<String> {
        let UserInputLeaf::Literal(literal) = leaf else { return None };
        let on_text = match literal.field_name.as_deref() {
            None => default == self.fields.text || default == self.fields.exact,
            Some(name) => name == "text" || name == "exact",
        };
        // Quoted, `"fam"*` is a literal with a prefix mark; bare, tantivy's lenient parser keeps
        // the star in the word (`fam*`).
        let phrase = match literal.phrase.strip_suffix('*') {
            Some(word) if literal.delimiter == Delimiter::None && !word.is_empty() => word,
            _ if literal.prefix => literal.phrase.as_str(),
            _ => return None,
        };
        if !on_text {
            return None;
        }
        let mut tokens = self.tokens(self.fields.exact, phrase).ok()?.into_iter();
        match (tokens.next(), tokens.next()) {
            (Some(word), None) => Some(word.text),
            _ => None,
        }
    }

    /// `ast` with each one-word prefix ([`SearchIndex::word_prefix`]) made a regular expression
    /// on the `exact` field: the word's characters (escaped) and anything after them.
    fn with_word_prefixes(&self, ast: UserInputAst, default: Field) -> UserInputAst {
        match ast {
            UserInputAst::Clause(clauses) => UserInputAst::Clause(
                clauses.into_iter().map(|(occur, clause)| (occur, self.with_word_prefixes(clause, default))).collect(),
            ),
            UserInputAst::Boost(inner, boost) => {
                UserInputAst::Boost(Box::new(self.with_word_prefixes(*inner, default)), boost)
            }
            UserInputAst::Leaf(leaf) => match self.word_prefix(&leaf, default) {
                Some(word) => {
                    let mut pattern = String::new();
                    for c in word.chars() {
                        if c.is_ascii_punctuation() {
                            pattern.push('\\');
                        }
                        pattern.push(c);
                    }
                    pattern.push_str(".*");
                    UserInputAst::Leaf(Box::new(UserInputLeaf::Regex { field: Some("exact".into()), pattern }))
                }
                None => UserInputAst::Leaf(leaf),
            },
        }
    }

    /// `text` as `field`'s analyser tokenises it.
    pub(crate) fn tokens(&self, field: Field, text: &str) -> Result<Vec<tantivy::tokenizer::Token>, SearchError> {
        let mut analyzer = self.index.tokenizer_for_field(field)?;
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        Ok(out)
    }

    /// Byte ranges in `text` where a pattern matches, merged where they overlap.
    fn locate(&self, text: &str, patterns: &[Pattern]) -> Result<Vec<Range<usize>>, SearchError> {
        let mut ranges = Vec::new();
        let fields: BTreeSet<u32> = patterns.iter().map(|p| p.field.field_id()).collect();
        for field_id in fields {
            let field = Field::from_field_id(field_id);
            let tokens = self.tokens(field, text)?;
            for pattern in patterns.iter().filter(|p| p.field == field) {
                let n = pattern.tokens.len();
                for start in 0..tokens.len().saturating_sub(n - 1) {
                    let window = &tokens[start..start + n];
                    let consecutive = window.windows(2).all(|w| w[1].position == w[0].position + 1);
                    if consecutive
                        && window
                            .iter()
                            .zip(&pattern.tokens)
                            .enumerate()
                            .all(|(i, (t, p))| pattern.matches(i, &t.text, p))
                    {
                        ranges.push(window[0].offset_from..window[n - 1].offset_to);
                    }
                }
            }
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Ok(merged)
    }
}

impl Pattern {
    fn matches(&self, i: usize, token: &str, wanted: &str) -> bool {
        if self.prefix && i + 1 == self.tokens.len() {
            return token.starts_with(wanted);
        }
        match self.fuzzy {
            Some(distance) => edit_distance(token, wanted) <= usize::from(distance),
            None => token == wanted,
        }
    }
}

/// True when a leaf of `ast` is one `wanted` says yes to.
fn has_leaf(ast: &UserInputAst, wanted: &dyn Fn(&UserInputLeaf) -> bool) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().any(|(_, clause)| has_leaf(clause, wanted)),
        UserInputAst::Boost(inner, _) => has_leaf(inner, wanted),
        UserInputAst::Leaf(leaf) => wanted(leaf),
    }
}

/// Longest query read, in bytes.
pub const MAX_QUERY: usize = 10_000;
/// Deepest nesting of parentheses read (the parser recurses on each).
pub const MAX_DEPTH: usize = 32;

/// Refuse a query the parser could not take safely: too long, or parentheses nested too deep.
fn check_shape(query: &str) -> Result<(), SearchError> {
    if query.len() > MAX_QUERY {
        return Err(SearchError::Query {
            message: format!("the query is {} bytes long; at most {MAX_QUERY} are read", query.len()),
            position: None,
        });
    }
    let mut depth = 0usize;
    let mut quoted = false;
    for (i, c) in query.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(SearchError::Query {
                        message: format!("parentheses nested more than {MAX_DEPTH} deep"),
                        position: Some(i),
                    });
                }
            }
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Counts matching turns by their (document, participant) pair: each segment counts the pairs of
/// term ordinals of the two fast columns, and names each pair it saw once.
struct PairCounter;

/// One segment's part of [`PairCounter`].
struct SegmentPairs {
    document: tantivy::columnar::StrColumn,
    participant: Option<tantivy::columnar::StrColumn>,
    /// (document ordinal, participant ordinal + 1 or 0 for none) -> turns.
    counts: BTreeMap<(u64, u64), usize>,
}

type PairCounts = BTreeMap<(String, Option<String>), usize>;

impl Collector for PairCounter {
    type Fruit = PairCounts;
    type Child = SegmentPairs;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentPairs> {
        let fast = segment.fast_fields();
        let document = fast.str("doc")?.ok_or_else(|| tantivy::TantivyError::SchemaError("no `doc` column".into()))?;
        Ok(SegmentPairs { document, participant: fast.str("participant")?, counts: BTreeMap::new() })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<PairCounts>) -> tantivy::Result<PairCounts> {
        let mut out = PairCounts::new();
        for fruit in fruits {
            for (pair, n) in fruit {
                *out.entry(pair).or_default() += n;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentPairs {
    type Fruit = PairCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let document = self.document.term_ords(doc).next().unwrap_or(u64::MAX);
        let participant = self.participant.as_ref().and_then(|c| c.term_ords(doc).next()).map_or(0, |o| o + 1);
        *self.counts.entry((document, participant)).or_default() += 1;
    }

    fn harvest(self) -> PairCounts {
        let documents = names(&self.document, self.counts.keys().map(|(d, _)| *d).filter(|d| *d != u64::MAX));
        let participants = match &self.participant {
            Some(column) => names(column, self.counts.keys().filter(|(_, p)| *p > 0).map(|(_, p)| p - 1)),
            None => HashMap::new(),
        };
        let mut out = PairCounts::new();
        for ((document, participant), n) in self.counts {
            let document = documents.get(&document).cloned().unwrap_or_default();
            let participant = participant.checked_sub(1).and_then(|p| participants.get(&p).cloned());
            *out.entry((document, participant)).or_default() += n;
        }
        out
    }
}

/// The terms of `ords` in `column`'s dictionary, read in one pass over it (a look-up of one
/// ordinal decodes its block from the start every time).
fn names(column: &tantivy::columnar::StrColumn, ords: impl Iterator<Item = u64>) -> HashMap<u64, String> {
    let ords: Vec<u64> = ords.collect::<BTreeSet<u64>>().into_iter().collect();
    let mut terms = Vec::with_capacity(ords.len());
    // A dictionary that cannot be read names nothing: its turns are counted under an empty name.
    let _ = column
        .dictionary()
        .sorted_ords_to_term_cb(&ords, |bytes| terms.push(String::from_utf8_lossy(bytes).into_owned()));
    ords.into_iter().zip(terms).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_or_long_queries_are_refused() {
        let deep = format!("{}court{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        assert!(matches!(check_shape(&deep), Err(SearchError::Query { position: Some(32), .. })));
        let fine = format!("{}court{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(check_shape(&fine).is_ok());
        // Parentheses inside a phrase are words, not nesting.
        assert!(check_shape(&format!("\"{}\"", "(".repeat(100))).is_ok());
        assert!(check_shape(&"court ".repeat(2_000)).is_err());
    }
}
