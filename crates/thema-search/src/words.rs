//! Word and phrase frequencies, overall or by group, and keyness of each group's words against
//! the rest (log-likelihood G², Rayson & Garside 2000, with Hardie's Log Ratio as effect size).
//!
//! Words are tokenised as the search index tokenises them (runs of letters and digits, lower
//! case), within the clauses of participants' speech with transcribers' notes taken out
//! ([`thema_core::invivo::spoken_pieces`]). Stop words (English) and one-letter words are left
//! out of word counts; a phrase may hold stop words inside but not at either end.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer};
use thema_core::invivo::{log_likelihood, spoken_pieces, unnoted_pieces};
use thema_core::{Document, Participant, Study, StudyError, Turn};

/// How to count.
#[derive(Clone, Copy, Debug)]
pub struct WordOptions {
    /// Count stems ("court", "courts" together), shown by their commonest form.
    pub stem: bool,
    /// Words per item: 1 for words, 2 to 4 for phrases.
    pub ngram: usize,
    /// Count interviewers' speech too.
    pub interviewers: bool,
}

/// Counts of one group.
#[derive(Clone, Debug, Default)]
pub struct GroupCounts {
    /// Items counted (words, or phrases of `ngram` words), stop words excluded.
    pub tokens: usize,
    /// Item -> count.
    pub counts: HashMap<String, usize>,
}

/// A word or phrase with its frequency.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WordRow {
    /// Group (empty when not grouped).
    pub group: String,
    /// Word or phrase (the commonest form of a stem).
    pub word: String,
    /// Occurrences.
    pub count: usize,
    /// Occurrences per 1,000 items of the group.
    pub per_thousand: f64,
}

/// A word that is key for a group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyWord {
    /// The group.
    pub group: String,
    /// Word or phrase.
    pub word: String,
    /// Occurrences in the group.
    pub count: usize,
    /// Items in the group.
    pub group_tokens: usize,
    /// Occurrences in the rest.
    pub rest_count: usize,
    /// Items in the rest.
    pub rest_tokens: usize,
    /// Log-likelihood G² (1 degree of freedom: 3.84 is p < 0.05, 6.63 p < 0.01, 10.83 p < 0.001).
    pub g2: f64,
    /// log₂ of the ratio of relative frequencies (a zero count taken as 0.5).
    pub log_ratio: f64,
}

/// The English stop words of the search index's analyser, and contractions' remains.
pub(crate) fn is_stop(word: &str) -> bool {
    static STOP: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> = std::sync::OnceLock::new();
    let short = match word.len() {
        0 => true,
        1..=4 => word.chars().nth(1).is_none(),
        _ => false,
    };
    short
        || STOP.get_or_init(|| ENGLISH_STOP.iter().copied().collect()).contains(word)
        || matches!(
            word,
            "ll" | "ve" | "re" | "don" | "didn" | "doesn" | "isn" | "wasn" | "won" | "can" | "couldn" | "wouldn"
        )
}

/// The English stop words (Snowball's list, as tantivy's stop word filter has it), then the
/// fillers and commonest verbs of speech.
#[rustfmt::skip]
const ENGLISH_STOP: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "below", "between", "both", "but", "by", "could", "did", "do", "does",
    "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
    "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or",
    "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such",
    "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
    "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves",
    "um", "uh", "yeah", "okay", "ok", "oh", "mm", "mmm", "hmm", "huh", "yes", "yep", "gonna", "wanna", "like", "know",
    "think", "really", "well", "got", "get",
];

/// Count words or phrases in participants' speech in the documents `ids`, grouped by `group` (a
/// turn with no group is left out). The documents are read and counted one at a time, in as many
/// parts as the machine has cores, and the counts added up, so the result does not depend on how
/// they were split. The first document that cannot be read, in order, is the error.
pub fn count<F>(
    study: &Study,
    ids: &[&str],
    options: WordOptions,
    group: F,
) -> Result<BTreeMap<String, GroupCounts>, StudyError>
where
    F: Fn(&Document, &Turn, Option<&Participant>) -> Option<String> + Sync,
{
    let mut total = Tally::default();
    for part in thema_core::parallel::in_parts(ids, 2, |part| tally(study, part, options, &group)) {
        total.add(part?);
    }
    let Tally { groups, forms } = total;
    let mut groups: BTreeMap<String, GroupCounts> = groups
        .into_iter()
        .map(|(key, c)| (key, GroupCounts { tokens: c.tokens, counts: c.counts.into_iter().collect() }))
        .collect();
    if options.stem {
        // Show each stem by its commonest surface form (ties: the first in order).
        let shown: HashMap<&str, &str> = forms
            .iter()
            .map(|(stem, f)| {
                let best = f.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map_or(stem.as_str(), |(w, _)| w);
                (stem.as_str(), best)
            })
            .collect();
        for counts in groups.values_mut() {
            let renamed: HashMap<String, usize> = counts
                .counts
                .drain()
                .map(|(k, v)| (k.split(' ').map(|s| *shown.get(s).unwrap_or(&s)).collect::<Vec<_>>().join(" "), v))
                .fold(HashMap::new(), |mut m, (k, v)| {
                    *m.entry(k).or_default() += v;
                    m
                });
            counts.counts = renamed;
        }
    }
    Ok(groups)
}

/// The counts of some documents: each group's, and with stems, each stem's surface forms.
#[derive(Default)]
struct Tally {
    groups: BTreeMap<String, Counting>,
    /// Stem -> surface form -> count, to show each stem by its commonest form.
    forms: HashMap<String, HashMap<String, usize>>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        for (key, counts) in other.groups {
            let into = self.groups.entry(key).or_default();
            into.tokens += counts.tokens;
            #[expect(clippy::iter_over_hash_type, reason = "sums do not depend on the order")]
            for (item, n) in counts.counts {
                *into.counts.entry(item).or_default() += n;
            }
        }
        #[expect(clippy::iter_over_hash_type, reason = "sums do not depend on the order")]
        for (stem, forms) in other.forms {
            let into = self.forms.entry(stem).or_default();
            for (form, n) in forms {
                *into.entry(form).or_default() += n;
            }
        }
    }
}

/// A group's counts while counting: a faster hash than the standard one (the words are the
/// study's own, so there is no one to collide them on purpose).
#[derive(Default)]
struct Counting {
    tokens: usize,
    counts: FxHashMap<String, usize>,
}

/// Add one to `item`'s count, copying the item only the first time it is seen.
fn bump(counts: &mut FxHashMap<String, usize>, item: &str) {
    match counts.get_mut(item) {
        Some(n) => *n += 1,
        None => {
            counts.insert(item.to_owned(), 1);
        }
    }
}

fn tally<F>(study: &Study, ids: &[&str], options: WordOptions, group: &F) -> Result<Tally, StudyError>
where
    F: Fn(&Document, &Turn, Option<&Participant>) -> Option<String>,
{
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build();
    let mut stemmer = TextAnalyzer::builder(SimpleTokenizer::default()).filter(Stemmer::new(Language::English)).build();
    let mut stems: HashMap<String, String> = HashMap::new();
    let mut out = Tally::default();
    let n = options.ngram.max(1);
    let mut words: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for id in ids {
        let document = study.load_document(id)?;
        let document = &document;
        for (turn, text) in document.turn_texts() {
            let speaker = turn.speaker.as_deref().and_then(|l| document.speaker(l));
            if !options.interviewers && speaker.is_some_and(|s| s.interviewer) {
                continue;
            }
            let participant = speaker.and_then(|s| s.participant.as_deref()).and_then(|p| study.participants.get(p));
            let Some(key) = group(document, turn, participant) else { continue };
            let counts = out.groups.entry(key).or_default();
            if n == 1 && !options.stem {
                // Single words do not cross pieces, so the sentence and clause bounds are not
                // needed (see `unnoted_pieces`), nor a copy of each word.
                for piece in unnoted_pieces(text) {
                    let mut stream = analyzer.token_stream(piece);
                    while stream.advance() {
                        let word = stream.token().text.as_str();
                        if !is_stop(word) {
                            counts.tokens += 1;
                            bump(&mut counts.counts, word);
                        }
                    }
                }
                continue;
            }
            for piece in spoken_pieces(text) {
                words.clear();
                let mut stream = analyzer.token_stream(piece);
                while stream.advance() {
                    words.push(stream.token().text.clone());
                }
                let keys: &[String] = if options.stem {
                    keys.clear();
                    for w in &words {
                        let stem = stems
                            .entry(w.clone())
                            .or_insert_with(|| {
                                let mut s = stemmer.token_stream(w);
                                if s.advance() {
                                    s.token().text.clone()
                                } else {
                                    w.clone()
                                }
                            })
                            .clone();
                        *out.forms.entry(stem.clone()).or_default().entry(w.clone()).or_default() += 1;
                        keys.push(stem);
                    }
                    &keys
                } else {
                    &words
                };
                if words.len() < n {
                    continue;
                }
                for i in 0..=words.len() - n {
                    let window = &words[i..i + n];
                    let keep =
                        if n == 1 { !is_stop(&window[0]) } else { !is_stop(&window[0]) && !is_stop(&window[n - 1]) };
                    if keep {
                        counts.tokens += 1;
                        bump(&mut counts.counts, &keys[i..i + n].join(" "));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The `limit` commonest items of each group (ties in alphabetical order).
pub fn top(groups: &BTreeMap<String, GroupCounts>, limit: usize) -> Vec<WordRow> {
    let mut out = Vec::new();
    for (group, counts) in groups {
        let mut rows: Vec<(&String, &usize)> = counts.counts.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (word, &count) in rows.into_iter().take(limit) {
            out.push(WordRow {
                group: group.clone(),
                word: word.clone(),
                count,
                per_thousand: 1000.0 * count as f64 / counts.tokens.max(1) as f64,
            });
        }
    }
    out
}

/// The items each group uses more than the rest, by G², at least `min_count` times in the group
/// and at most `limit` a group.
pub fn keyness(groups: &BTreeMap<String, GroupCounts>, min_count: usize, limit: usize) -> Vec<KeyWord> {
    let all_tokens: usize = groups.values().map(|g| g.tokens).sum();
    let mut totals: HashMap<&str, usize> = HashMap::new();
    for g in groups.values() {
        #[expect(clippy::iter_over_hash_type, reason = "sums do not depend on the order")]
        for (w, c) in &g.counts {
            *totals.entry(w.as_str()).or_default() += c;
        }
    }
    let mut out = Vec::new();
    for (group, counts) in groups {
        let c = counts.tokens;
        let d = all_tokens - c;
        let mut rows: Vec<KeyWord> = counts
            .counts
            .iter()
            .filter(|(_, &a)| a >= min_count.max(1))
            .filter_map(|(word, &a)| {
                let b = totals[word.as_str()] - a;
                let (a_rate, b_rate) = (a as f64 / c.max(1) as f64, b as f64 / d.max(1) as f64);
                if d == 0 || a_rate <= b_rate {
                    return None;
                }
                let log_ratio = ((a as f64).max(0.5) / c as f64 / ((b as f64).max(0.5) / d as f64)).log2();
                Some(KeyWord {
                    group: group.clone(),
                    word: word.clone(),
                    count: a,
                    group_tokens: c,
                    rest_count: b,
                    rest_tokens: d,
                    g2: log_likelihood(a as f64, b as f64, c as f64, d as f64),
                    log_ratio,
                })
            })
            .collect();
        rows.sort_by(|x, y| y.g2.total_cmp(&x.g2).then(x.word.cmp(&y.word)));
        rows.truncate(limit);
        out.extend(rows);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(words: &[(&str, usize)], tokens: usize) -> GroupCounts {
        GroupCounts { tokens, counts: words.iter().map(|(w, c)| ((*w).to_owned(), *c)).collect() }
    }

    #[test]
    fn keyness_reports_overused_words_with_g2() {
        let groups = BTreeMap::from([
            ("mentors".to_owned(), group(&[("court", 10), ("hope", 5)], 1000)),
            ("staff".to_owned(), group(&[("court", 5), ("funding", 8)], 9000)),
        ]);
        let key = keyness(&groups, 1, 10);
        let court = key.iter().find(|k| k.group == "mentors" && k.word == "court").unwrap();
        // The hand computation of thema_core::invivo's test: a=10 of 1,000 against b=5 of 9,000.
        assert!((court.g2 - 28.0098).abs() < 1e-3);
        assert_eq!((court.count, court.rest_count, court.group_tokens, court.rest_tokens), (10, 5, 1000, 9000));
        assert!((court.log_ratio - (10.0f64 / 1000.0 / (5.0 / 9000.0)).log2()).abs() < 1e-9);
        // Staff use "court" less than mentors: not key for staff.
        assert!(!key.iter().any(|k| k.group == "staff" && k.word == "court"));
        assert!(key.iter().any(|k| k.group == "staff" && k.word == "funding"));
    }

    #[test]
    fn single_words_are_the_same_with_or_without_sentence_and_clause_bounds() {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build();
        let mut words = |pieces: Vec<&str>| {
            let mut out = Vec::new();
            for piece in pieces {
                let mut stream = analyzer.token_stream(piece);
                while stream.advance() {
                    out.push(stream.token().text.clone());
                }
            }
            out
        };
        for text in [
            "It was 1,000 dollars. Then: court, again; and—well—home… Done!",
            "etc.The U.S.A. is big.Really? Yes!!No (laughs) [inaudible] {vocalsound} <noise> Mr. Smith",
            "Straße café naïve 交通 is hard.Cafe\u{301} time \u{5e9}\u{5dc}\u{5d5}\u{5dd}. (an open bracket",
            "\"Quoted.\" Next 'one'.\n\nNew paragraph\r\nline",
        ] {
            let by_clause = words(spoken_pieces(text).collect());
            let whole = words(unnoted_pieces(text));
            assert_eq!(by_clause, whole, "{text}");
            assert!(!whole.is_empty());
        }
    }

    #[test]
    fn stop_words() {
        assert!(is_stop("the") && is_stop("s") && is_stop("don"));
        assert!(!is_stop("court") && !is_stop("hope"));
        // One character, however many bytes, is a stop word; two are not, unless listed.
        assert!(is_stop("é") && is_stop("交") && is_stop("") && is_stop("yeah") && is_stop("gonna"));
        assert!(!is_stop("交通") && !is_stop("né"));
    }
}
