//! Candidate in-vivo codes: phrases of 2 to 6 words that participants use, ranked by how many
//! participants use them and by how distinctive they are for one document against the rest of
//! the study (log-likelihood keyness, G²; Rayson & Garside 2000).
//!
//! Only participants' speech counts (interviewers' turns are left out). A phrase stays within
//! one turn; words are Unicode words (UAX #29), compared in lower case, so "they’re" is one
//! word. Phrases made only of function words, or starting or ending with an article,
//! conjunction or preposition that cannot end a phrase ("of the revolving"), are left out; so
//! are phrases made only of function words and the most common verbs and fillers of speech
//! ("i think", "want to go"). Among phrases used by as many speakers, the ones with more content
//! words come first, then the more distinctive (higher G²).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::document::{Document, Speaker};

/// Function words, fillers and the commonest verbs of speech (apostrophes written `'`): a
/// phrase made only of these is never suggested.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "if", "so", "of", "to", "in", "on", "at", "for", "with", "by", "from",
    "as", "into", "about", "is", "are", "was", "were", "be", "been", "being", "am", "it", "it's", "that", "this",
    "these", "those", "there", "i", "i'm", "you", "he", "she", "we", "they", "me", "him", "her", "us", "them", "my",
    "your", "his", "our", "their", "do", "does", "did", "have", "has", "had", "not", "no", "yes", "just", "like",
    "know", "mean", "what", "which", "who", "when", "where", "how", "can", "could", "would", "will", "should",
    "might", "must", "shall", "may", "all", "some", "then", "than", "too", "very", "really", "kind", "sort", "out",
    "up", "down", "off", "over", "here", "now", "because", "any", "more", "most", "much", "many", "other", "one",
    "even", "also", "still", "maybe", "right", "back", "get", "got", "getting", "go", "going", "goes", "went",
    "think", "thought", "want", "wanted", "say", "said", "says", "see", "look", "put", "use", "need", "talk",
    "talking", "let", "let's", "make", "made", "thing", "things", "lot", "lots", "time", "times", "able", "don't",
    "didn't", "doesn't", "isn't", "wasn't", "aren't", "can't", "won't", "that's", "there's", "what's", "you're",
    "we're", "i've", "i'd", "i'll", "you've", "gonna", "wanna", "dunno", "something", "anything", "everything",
    "someone", "somebody", "everybody", "um", "uh", "mm", "hmm", "mhm", "huh", "er", "erm", "ah", "oh", "yeah",
    "yep", "okay", "ok", "well", "hey", "alright", "sure", "guess",
    // Politeness, vague quantities and stock phrases of spoken English ("thank you", "a little
    // bit", "in terms of", "at the moment", "of course", "first of all"): on interviews and
    // hearings these filled the top of the list, used by every speaker and naming nothing.
    "thank", "thanks", "please", "little", "bit", "bits", "terms", "moment", "course", "fact", "sense", "point",
    "example", "instance", "stuff", "whatever", "anyway", "actually", "basically", "probably", "obviously",
    "definitely", "exactly", "certainly", "absolutely", "quite", "pretty", "rather", "whole", "same", "different",
    "else", "own", "each", "every", "both", "such", "only", "again", "already", "yet", "ever", "never", "always",
    "sometimes", "often", "usually", "first", "second", "last", "next", "another", "few", "less", "least",
    "enough", "far", "long", "around", "through", "between", "after", "before", "while", "since", "until",
    "during", "without", "within", "across", "against", "under", "why", "whether", "though", "although", "its",
    "itself", "myself", "yourself", "ourselves", "themselves", "mine", "yours", "come", "coming", "came", "take",
    "taking", "took", "give", "given", "gave", "keep", "tell", "told", "try", "trying", "tried", "doing", "done",
    "having", "seem", "seems", "good", "great", "nice", "fine", "interesting", "question", "questions", "part",
    "year", "years", "day", "days", "today", "week", "weeks", "month", "months", "two", "three", "four", "five",
    "ten", "hundred", "percent", "true", "important", "certain", "whatnot",
    "sir", "mr", "mrs", "ms", "dr", "madam", "chair", "chairman", "chairwoman", "senator", "gentleman",
    "gentlelady", "honourable", "honorable", "colleague", "colleagues", "we've", "they've", "he's",
    "she's", "who's", "where's", "here's", "how's", "couldn't", "wouldn't", "shouldn't", "haven't", "hasn't",
    "weren't", "you'll", "we'll", "they'll", "it'll", "we'd",
    "six", "seven", "eight", "nine", "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety", "thousand", "million", "zero", "sorts", "rid", "makes", "matter", "better", "best", "worse", "used",
    "comes", "takes", "gets", "gives", "turns", "excuse",
    // Verbs of thinking, remembering and agreeing, and words of address: "i was thinking",
    // "figure out", "end up", "i don't remember", "you guys", "it depends".
    "thinking", "working", "figure", "figured", "end", "ended", "looks", "looked", "looking", "remember", "agree", "agreed",
    "depends", "depend", "talked", "find", "found", "saying", "sorry", "guys", "guy", "cuz", "cause", "cos",
    "coz", "once", "wondering", "wonder", "happen", "happens", "happened", "suppose", "supposed", "understand",
    "means", "meant", "start", "started", "ask", "asked", "asking", "call", "called", "knew", "known", "seemed",
    "works", "worked", "sounds", "sound", "sounded", "ahead", "idea", "ideas", "perhaps",
    "either", "neither", "nor", "hi", "hello", "bye", "goodbye", "anybody", "nobody", "nothing", "none",
    "somewhere", "anywhere", "everywhere", "somehow", "whoever", "whichever", "telling", "ones",
    "they'd", "you'd",
    // What is left of a contraction transcribed with a space ("it 's", "don 't").
    "s", "m", "re", "ve", "ll", "d", "t", "n't",
];

/// Words a suggested phrase may not start or end with.
#[rustfmt::skip]
const NO_EDGE: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "so", "with", "for", "by", "from", "as", "is", "are", "was",
    "were", "than", "that", "if", "because", "like", "just", "very", "really", "um", "uh", "mm", "hmm", "mhm", "huh", "er", "erm", "ah", "oh", "yeah", "okay", "ok", "s", "m", "re",
    "ve", "ll", "d", "t", "n't",
];

/// Words a suggested phrase may not start with besides [`NO_EDGE`]: prepositions ("in terms",
/// "at the moment"; they may end a phrase of three words or more, "where they're at", but not
/// one of two, "working on", "based on"), demonstratives and quantifiers ("this meeting", "all
/// sorts").
#[rustfmt::skip]
const NO_START: &[&str] = &[
    "in", "on", "at", "into", "about", "this", "these", "those", "all", "some", "any", "other", "another", "each",
    "every",
];

/// Prepositions and particles that may end a phrase only when it has three words or more ("where
/// they're at", not "based on" or "set up"; "out" is not one of them: "a way out").
#[rustfmt::skip]
const PREPOSITIONS: &[&str] = &["in", "on", "at", "into", "about", "up", "off", "over", "through"];

/// Words a suggested phrase may not end with besides [`NO_EDGE`]: the subject of the next clause
/// ("the way we", "people who").
#[rustfmt::skip]
const NO_END: &[&str] = &["i", "we", "you", "they", "he", "she", "it", "who", "which", "whose", "there", "have", "be", "do"];

/// A false start, as transcribed without a hyphen: a lone letter other than "i" and "a" ("w we"),
/// or a non-word of up to three letters that begins one of the next two words ("th there",
/// "i th i think").
fn false_start(word: &str, next: &[String]) -> bool {
    let letters = word.chars().count();
    if !word.chars().all(char::is_alphabetic) || letters > 3 || listed(FUNCTION_WORDS, word) {
        return false;
    }
    // Two letters without a vowel ("th", "wh") begin a word that was not finished.
    let unfinished = letters == 2 && !word.chars().any(|c| "aeiouy".contains(c));
    letters == 1 && word != "a"
        || unfinished
        || next.iter().take(2).any(|w| w.len() > word.len() && w.starts_with(word))
}

/// Whether `word` (lower case) is in `list`, reading a typographic apostrophe as `'`.
fn listed(list: &[&str], word: &str) -> bool {
    if word.contains('’') {
        list.contains(&word.replace('’', "'").as_str())
    } else {
        list.contains(&word)
    }
}

/// One suggested phrase.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestion {
    /// The phrase, in lower case.
    pub phrase: String,
    /// Occurrences in participants' speech.
    pub count: usize,
    /// Distinct speakers who use it (participants, or labels where not linked).
    pub speakers: usize,
    /// Distinct documents it occurs in.
    pub documents: usize,
    /// G² of the phrase in the document where it is most frequent against the rest.
    pub keyness: f64,
    /// That document.
    pub key_document: String,
    /// Up to three turn ids where it occurs.
    pub examples: Vec<String>,
}

/// Log-likelihood G² for `a` occurrences in a target of `c` tokens against `b` in a reference of
/// `d` tokens (Rayson & Garside 2000): 2 Σ O ln(O / E), with E the count expected from the pooled
/// rate. Zero counts contribute nothing.
pub fn log_likelihood(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let total = c + d;
    if total == 0.0 || a + b == 0.0 {
        return 0.0;
    }
    let e1 = c * (a + b) / total;
    let e2 = d * (a + b) / total;
    let term = |o: f64, e: f64| if o > 0.0 && e > 0.0 { o * (o / e).ln() } else { 0.0 };
    2.0 * (term(a, e1) + term(b, e2))
}

/// Word ids are packed 21 bits each into one `u128` key, six words at most.
const ID_BITS: u32 = 21;
const MAX_ID: u32 = (1 << ID_BITS) - 1;
/// Ends a sentence or stands for a transcriber's note: no phrase spans it.
const BREAK: u32 = u32::MAX;

/// Longest bracketed stretch taken for a transcriber's note (`{vocalsound}`, `[laughs]`,
/// `(inaudible)`); a longer one is read as speech.
const MAX_NOTE: usize = 40;

/// The clauses of `text` (sentences cut at commas, semicolons, colons and dashes), with
/// transcribers' notes in brackets taken out: phrases are looked for within each piece.
pub fn spoken_pieces(text: &str) -> impl Iterator<Item = &str> {
    unnoted_pieces(text).into_iter().flat_map(|p| p.split_sentence_bounds()).flat_map(clauses)
}

/// `text` with transcribers' notes in brackets taken out, in the pieces between them. Sentence
/// and clause bounds fall after a character that is neither a letter nor a digit, so the words
/// of these pieces are the words of [`spoken_pieces`]; counting single words needs no more.
pub fn unnoted_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '[', '(', '<']) {
        let close = match rest.as_bytes()[open] {
            b'{' => '}',
            b'[' => ']',
            b'(' => ')',
            _ => '>',
        };
        match rest[open..].find(close).filter(|&n| n <= MAX_NOTE) {
            Some(n) => {
                pieces.push(&rest[..open]);
                rest = &rest[open + n + 1..];
            }
            None => {
                pieces.push(&rest[..open]);
                rest = &rest[open + 1..];
            }
        }
    }
    pieces.push(rest);
    pieces
}

/// `sentence` split after commas, semicolons, colons and dashes that are followed by a space (so
/// "1,000" stays whole).
fn clauses(sentence: &str) -> impl Iterator<Item = &str> {
    let mut cuts = vec![0];
    let mut chars = sentence.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let spaced = chars.peek().is_none_or(|(_, next)| next.is_whitespace());
        if matches!(c, ',' | ';' | ':' | '—' | '–' | '…') && spaced {
            cuts.push(i + c.len_utf8());
        }
    }
    cuts.push(sentence.len());
    cuts.windows(2).map(|w| &sentence[w[0]..w[1]]).collect::<Vec<_>>().into_iter()
}

/// A participant's turn, tokenised.
struct SpokenTurn {
    document: u32,
    speaker: u32,
    turn: u32,
    words: std::ops::Range<usize>,
}

/// Details gathered for a phrase that occurs often enough.
#[derive(Default)]
struct Tally {
    count: usize,
    speakers: Vec<u32>,
    per_document: Vec<(u32, usize)>,
    examples: Vec<(u32, u32)>,
}

/// What ranks a phrase besides its counts.
struct Rank {
    /// Words that are not function words.
    content: usize,
    /// Content words that occur more than once in participants' speech: a phrase said once whose
    /// words recur ("shared experience") ranks above one padded with other words.
    recurring: usize,
    /// How often its least frequent content word occurs in participants' speech.
    recurrence: usize,
    /// Length in words: among phrases said once, the shorter is the better code.
    words: usize,
}

impl Rank {
    fn of(suggestion: &Suggestion, frequency: &HashMap<&str, usize>) -> Self {
        let content: Vec<&str> = suggestion.phrase.split(' ').filter(|w| !listed(FUNCTION_WORDS, w)).collect();
        Rank {
            content: content.len(),
            recurring: content.iter().filter(|w| frequency.get(*w).is_some_and(|&f| f > 1)).count(),
            recurrence: content.iter().map(|w| frequency.get(w).copied().unwrap_or(0)).min().unwrap_or(0),
            words: suggestion.phrase.split(' ').count(),
        }
    }
}

fn pack(window: &[u32]) -> u128 {
    window.iter().fold(0u128, |key, &w| (key << ID_BITS) | u128::from(w))
}

/// Suggest in-vivo phrases from `documents`: at least `min_count` occurrences, ranked by
/// speakers, then content words, then keyness, then count; at most `limit`. Only the
/// participants' turns for which `keep` (given the document and the turn's speaker) holds are
/// read: the documents and speakers a researcher chose (`--doc`, `--where`). Keyness compares
/// each document with the rest of what was read.
///
/// Words are interned and each phrase length is counted in its own pass, so the work is a few
/// hash lookups per word and position, and memory holds one length's phrases at a time.
pub fn suggest(
    documents: &[Document],
    min_count: usize,
    limit: usize,
    keep: &dyn Fn(&Document, &Speaker) -> bool,
) -> Vec<Suggestion> {
    let min_count = min_count.max(1);
    // Interned words; id 0 is never used, so packed keys of one length never collide.
    let mut vocabulary: HashMap<String, u32> = HashMap::new();
    let mut names: Vec<String> = vec![String::new()];
    let mut function = vec![false];
    // Whether a word may not start, or end, a phrase.
    let mut no_start = vec![false];
    let mut no_end = vec![false];
    // Prepositions: they may end a phrase of three words or more only.
    let mut no_short_end = vec![false];
    let mut speakers: HashMap<String, u32> = HashMap::new();
    let mut words: Vec<u32> = Vec::new();
    let mut turns: Vec<SpokenTurn> = Vec::new();
    for (d, document) in documents.iter().enumerate() {
        for (turn, text) in document.turn_texts() {
            let Some(label) = turn.speaker.as_deref() else { continue };
            let unlisted;
            let speaker = match document.speaker(label) {
                Some(s) => s,
                None => {
                    unlisted = Speaker { label: label.to_owned(), participant: None, interviewer: false };
                    &unlisted
                }
            };
            if speaker.interviewer || !keep(document, speaker) {
                continue;
            }
            let speaker = speaker.participant.clone().unwrap_or_else(|| format!("{}/{label}", document.meta.id));
            let next = u32::try_from(speakers.len()).unwrap_or(u32::MAX);
            let speaker = *speakers.entry(speaker).or_insert(next);
            let start = words.len();
            for piece in spoken_pieces(text) {
                let piece: Vec<String> = piece.unicode_words().map(str::to_lowercase).collect();
                for (k, word) in piece.iter().enumerate() {
                    if false_start(word, &piece[k + 1..]) {
                        words.push(BREAK);
                        continue;
                    }
                    let id = match vocabulary.get(word) {
                        Some(&id) => id,
                        None => {
                            let id = u32::try_from(names.len()).unwrap_or(u32::MAX);
                            function.push(listed(FUNCTION_WORDS, word));
                            let edge = listed(NO_EDGE, word);
                            no_start.push(edge || listed(NO_START, word));
                            no_end.push(edge || listed(NO_END, word));
                            no_short_end.push(listed(PREPOSITIONS, word));
                            vocabulary.insert(word.clone(), id);
                            names.push(word.clone());
                            id
                        }
                    };
                    words.push(id);
                }
                words.push(BREAK);
            }
            let document = u32::try_from(d).unwrap_or(u32::MAX);
            turns.push(SpokenTurn { document, speaker, turn: turn.number, words: start..words.len() });
        }
    }
    // A window may be a phrase: its words all have packable ids, its edges are not articles,
    // conjunctions or prepositions, and it is not made of function words alone.
    let candidate = |window: &[u32]| {
        window.iter().all(|&w| w <= MAX_ID)
            && !no_start[window[0] as usize]
            && !no_end[window[window.len() - 1] as usize]
            && (window.len() >= 3 || !no_short_end[window[window.len() - 1] as usize])
            && !window.iter().all(|&w| function[w as usize])
    };
    let mut suggestions = Vec::new();
    for n in 2..=6 {
        // Phrase positions per document, for the keyness denominators.
        let mut positions = vec![0usize; documents.len()];
        let mut counts: HashMap<u128, usize> = HashMap::new();
        for turn in &turns {
            let spoken = &words[turn.words.clone()];
            if spoken.len() < n {
                continue;
            }
            positions[turn.document as usize] += spoken.len() + 1 - n;
            for window in spoken.windows(n).filter(|w| candidate(w)) {
                *counts.entry(pack(window)).or_default() += 1;
            }
        }
        let mut tallies: HashMap<u128, Tally> =
            counts.into_iter().filter(|&(_, c)| c >= min_count).map(|(k, _)| (k, Tally::default())).collect();
        for turn in &turns {
            let spoken = &words[turn.words.clone()];
            if spoken.len() < n {
                continue;
            }
            for window in spoken.windows(n).filter(|w| candidate(w)) {
                let Some(tally) = tallies.get_mut(&pack(window)) else { continue };
                tally.count += 1;
                if !tally.speakers.contains(&turn.speaker) {
                    tally.speakers.push(turn.speaker);
                }
                match tally.per_document.iter_mut().find(|(d, _)| *d == turn.document) {
                    Some((_, c)) => *c += 1,
                    None => tally.per_document.push((turn.document, 1)),
                }
                let example = (turn.document, turn.turn);
                if tally.examples.len() < 3 && !tally.examples.contains(&example) {
                    tally.examples.push(example);
                }
            }
        }
        let total: usize = positions.iter().sum();
        #[expect(clippy::iter_over_hash_type, reason = "the suggestions are sorted on a total order below")]
        for (key, tally) in tallies {
            let phrase = (0..n)
                .rev()
                .map(|i| names[((key >> (ID_BITS * i as u32)) & u128::from(MAX_ID)) as usize].as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let (key_document, keyness) = tally
                .per_document
                .iter()
                .map(|&(d, a)| {
                    let c = positions[d as usize];
                    (d, log_likelihood(a as f64, (tally.count - a) as f64, c as f64, (total - c) as f64))
                })
                .fold((0, f64::MIN), |best, x| if x.1 > best.1 || (x.1 == best.1 && x.0 < best.0) { x } else { best });
            suggestions.push(Suggestion {
                phrase,
                count: tally.count,
                speakers: tally.speakers.len(),
                documents: tally.per_document.len(),
                keyness,
                key_document: documents[key_document as usize].meta.id.clone(),
                examples: tally.examples.iter().map(|&(d, t)| documents[d as usize].turn_id(t)).collect(),
            });
        }
    }
    // A repeated phrase that only ever occurs inside a longer repeated one adds nothing: keep the
    // longer. (Phrases said once are all kept: there, a shorter phrase is often the better code.)
    let mut subsumed: BTreeSet<String> = BTreeSet::new();
    {
        let counts: HashMap<&str, usize> = suggestions.iter().map(|s| (s.phrase.as_str(), s.count)).collect();
        for s in suggestions.iter().filter(|s| s.count >= 2) {
            let parts: Vec<&str> = s.phrase.split(' ').collect();
            for len in 2..parts.len() {
                for start in 0..=parts.len() - len {
                    let inner = parts[start..start + len].join(" ");
                    if counts.get(inner.as_str()) == Some(&s.count) {
                        subsumed.insert(inner);
                    }
                }
            }
        }
    }
    suggestions.retain(|s| !subsumed.contains(&s.phrase));
    // How often each word occurs in participants' speech, for ranking phrases said once.
    let mut frequency = vec![0usize; names.len()];
    for &w in words.iter().filter(|&&w| w != BREAK) {
        frequency[w as usize] += 1;
    }
    let frequency: HashMap<&str, usize> = names.iter().map(String::as_str).zip(frequency).collect();
    let mut ranked: Vec<(Rank, Suggestion)> = suggestions.into_iter().map(|s| (Rank::of(&s, &frequency), s)).collect();
    ranked.sort_by(|(ra, a), (rb, b)| {
        b.speakers
            .cmp(&a.speakers)
            .then((b.count > 1).cmp(&(a.count > 1)))
            .then(if a.count > 1 {
                rb.content.cmp(&ra.content).then(b.keyness.total_cmp(&a.keyness)).then(b.count.cmp(&a.count))
            } else {
                // The share of recurring content words, then their number, then how often they recur.
                (rb.recurring * ra.words)
                    .cmp(&(ra.recurring * rb.words))
                    .then(rb.recurring.cmp(&ra.recurring))
                    .then(rb.recurrence.cmp(&ra.recurrence))
                    .then(ra.words.cmp(&rb.words))
                    .then(b.keyness.total_cmp(&a.keyness))
            })
            .then(a.phrase.cmp(&b.phrase))
    });
    let mut suggestions: Vec<Suggestion> = ranked.into_iter().map(|(_, s)| s).collect();
    suggestions.truncate(limit);
    suggestions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_likelihood_matches_a_hand_computation() {
        // a=10 in 1,000 tokens against b=5 in 9,000: E1 = 1.5, E2 = 13.5;
        // G² = 2 (10 ln(10/1.5) + 5 ln(5/13.5)) = 2 (18.9712 - 4.9663) = 28.0098.
        assert!((log_likelihood(10.0, 5.0, 1000.0, 9000.0) - 28.0098).abs() < 1e-3);
        assert_eq!(log_likelihood(0.0, 0.0, 10.0, 10.0), 0.0);
        // Same rate in both: no keyness.
        assert!(log_likelihood(1.0, 9.0, 100.0, 900.0).abs() < 1e-9);
    }

    #[test]
    fn phrases_stay_within_clauses_and_skip_notes() {
        let text = "Um {vocalsound} the remote [laughs] control, you know. It costs 1,000 euro";
        let words: Vec<Vec<&str>> =
            spoken_pieces(text).map(|p| p.unicode_words().collect::<Vec<_>>()).filter(|w| !w.is_empty()).collect();
        let expected: [&[&str]; 5] =
            [&["Um"], &["the", "remote"], &["control"], &["you", "know"], &["It", "costs", "1,000", "euro"]];
        assert_eq!(words, expected);
        // An unclosed bracket is speech.
        assert_eq!(spoken_pieces("a (b c").collect::<String>(), "a b c");
        assert!(false_start("th", &["there".into()]) && false_start("w", &["we".into()]));
        assert!(false_start("th", &["i".into(), "think".into()]) && !false_start("mm", &[]));
        assert!(!false_start("a", &["about".into()]) && !false_start("door", &["doors".into()]));
    }

    /// A document of `(speaker, words)` turns, one a paragraph.
    fn document(id: &str, turns: &[(&str, &str)], interviewer: Option<&str>) -> Document {
        use crate::document::{DocumentMeta, Speaker, Turn};
        use crate::Span;
        let mut text = String::new();
        let mut spans = Vec::new();
        for (number, (speaker, words)) in turns.iter().enumerate() {
            text.push_str(&format!("{speaker}: "));
            let start = text.chars().count();
            text.push_str(words);
            spans.push(Turn {
                number: number as u32 + 1,
                speaker: Some((*speaker).into()),
                span: Span { start, end: text.chars().count() },
                time_start: None,
                time_end: None,
            });
            text.push_str("\n\n");
        }
        let mut labels: Vec<&str> = turns.iter().map(|(s, _)| *s).collect();
        labels.sort_unstable();
        labels.dedup();
        let speakers = labels
            .iter()
            .map(|l| Speaker { label: (*l).into(), participant: None, interviewer: Some(*l) == interviewer })
            .collect();
        Document { meta: DocumentMeta { speakers, ..DocumentMeta::new(id, "interview") }, text, turns: spans }
    }

    #[test]
    fn phrases_are_counted_per_speaker_and_subsumed_by_longer_ones() {
        let one = document(
            "int1",
            &[
                ("Q", "Is there a way out of the door for them?"),
                ("Ann", "There is a way out of the door, and of the revolving door."),
                ("Ann", "I think a way out of the door matters."),
            ],
            Some("Q"),
        );
        let two = document("int2", &[("Bo", "Peer support is a way out of the door."), ("Bo", "Peer support.")], None);
        let found = suggest(&[one, two], 2, 100, &|_, _| true);
        let get = |p: &str| found.iter().find(|s| s.phrase == p);
        let way = get("way out of the door").expect("the longest repeated phrase");
        // The interviewer's question does not count.
        assert_eq!((way.count, way.speakers, way.documents), (3, 2, 2));
        assert_eq!(way.examples, ["int1:T2", "int1:T3", "int2:T1"]);
        // Only ever inside the longer phrase, with the same count: left out.
        assert!(get("way out").is_none() && get("out of the door").is_none());
        // Phrases that begin with an article or preposition are never listed.
        assert!(found.iter().all(|s| !s.phrase.starts_with("of ") && !s.phrase.starts_with("the ")));
        // Said by one speaker in one document: keyness is highest there.
        let peer = get("peer support").unwrap();
        assert_eq!((peer.count, peer.speakers, peer.key_document.as_str()), (2, 1, "int2"));
        assert!(peer.keyness > 0.0);
        // Two speakers first.
        assert_eq!(found[0].phrase, "way out of the door");
        assert!(get("i think").is_none());
    }
}
