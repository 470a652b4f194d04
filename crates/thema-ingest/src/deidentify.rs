//! De-identification: identifiers in a transcript replaced by pseudonyms from a key, and direct
//! identifiers (e-mail addresses, phone numbers, URLs, postal codes, street addresses, dates of
//! birth) replaced by tags such as `[EMAIL]`.
//!
//! The key is a CSV file with the columns `original`, `replacement` and `category` (`person`,
//! `place`, `organisation` or `other`), kept outside the study. A key entry matches
//! case-insensitively and as whole words; a name also matches when split across a line break,
//! and followed by a possessive (`Simon's`). For a person of several words, each word alone
//! matches too (first-name-only and surname-only mentions), replaced by the replacement's word
//! in the same place when the replacement has as many words, else by the whole replacement.
//! Longer matches win over shorter ones.
//!
//! [`Deidentifier::apply`] returns the new text and the edits, in text order, so that spans
//! (turns, codings) can be carried over with [`map_position`].

use std::collections::BTreeMap;

use regex::{Regex, RegexBuilder};
use thema_core::document::Speaker;

/// What an identifier is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// A person's name.
    Person,
    /// A place.
    Place,
    /// An organisation or agency.
    Organisation,
    /// Anything else in the key.
    Other,
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
    /// A web address.
    Url,
    /// A postal code.
    PostalCode,
    /// A street address.
    Address,
    /// A date of birth written out.
    DateOfBirth,
}

impl Category {
    /// The name used in keys and logs.
    pub fn name(self) -> &'static str {
        match self {
            Category::Person => "person",
            Category::Place => "place",
            Category::Organisation => "organisation",
            Category::Other => "other",
            Category::Email => "email",
            Category::Phone => "phone",
            Category::Url => "url",
            Category::PostalCode => "postal-code",
            Category::Address => "address",
            Category::DateOfBirth => "date-of-birth",
        }
    }

    fn parse_key(name: &str) -> Option<Category> {
        match name.trim().to_lowercase().as_str() {
            "person" | "name" | "people" => Some(Category::Person),
            "place" | "location" => Some(Category::Place),
            "organisation" | "organization" | "agency" | "org" => Some(Category::Organisation),
            "other" | "" => Some(Category::Other),
            _ => None,
        }
    }
}

/// One row of a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyEntry {
    /// The identifier as it appears.
    pub original: String,
    /// What replaces it.
    pub replacement: String,
    /// What it is.
    pub category: Category,
    /// 1-based line in the key file.
    pub line: usize,
}

/// A key file, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Key {
    /// The rows, in file order.
    pub entries: Vec<KeyEntry>,
}

impl Key {
    /// Read a key (CSV with a header naming `original`, `replacement` and optionally
    /// `category`). Errors name the line.
    pub fn parse(text: &str) -> Result<Key, (usize, String)> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| (1, format!("the header cannot be read: {e}")))?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
        let original = column(&["original", "name", "identifier"])
            .ok_or((1, "the key needs a column `original` (the identifier as written)".to_owned()))?;
        let replacement = column(&["replacement", "pseudonym"])
            .ok_or((1, "the key needs a column `replacement` (what replaces it)".to_owned()))?;
        let category = column(&["category", "type", "kind"]);
        let mut entries: Vec<KeyEntry> = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let line = i + 2;
            let record = record.map_err(|e| (line, format!("the row cannot be read: {e}")))?;
            let get = |c: usize| record.get(c).unwrap_or("").trim().to_owned();
            let (o, r) = (get(original), get(replacement));
            if o.is_empty() && r.is_empty() {
                continue;
            }
            if o.is_empty() {
                return Err((line, format!("`{r}` replaces nothing: the `original` cell is empty")));
            }
            if r.is_empty() {
                return Err((line, format!("`{o}` has no replacement")));
            }
            let c = match category {
                Some(c) => Category::parse_key(&get(c)).ok_or_else(|| {
                    (line, format!("`{}` is not a category: use person, place, organisation or other", get(c)))
                })?,
                None => Category::Other,
            };
            if let Some(other) = entries.iter().find(|e| e.original.to_lowercase() == o.to_lowercase()) {
                if other.replacement != r {
                    return Err((
                        line,
                        format!(
                            "`{o}` is replaced by `{}` on line {} and by `{r}` here; keep one",
                            other.replacement, other.line
                        ),
                    ));
                }
                continue;
            }
            entries.push(KeyEntry { original: o, replacement: r, category: c, line });
        }
        Ok(Key { entries })
    }
}

/// One replacement made in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Byte range in the original text.
    pub start: usize,
    /// End of the byte range in the original text.
    pub end: usize,
    /// What replaced it.
    pub replacement: String,
    /// What it was.
    pub category: Category,
}

/// Replaces what a key and the detectors find.
pub struct Deidentifier {
    /// All key forms, longest first, as one alternation.
    key: Option<Regex>,
    /// Lowercased, space-normalised form -> (replacement, category).
    forms: BTreeMap<String, (String, Category)>,
    detectors: Vec<(Category, Regex)>,
}

/// The detectors of direct identifiers, with their tags.
fn detectors() -> Vec<(Category, Regex)> {
    let months = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
    let date = format!(
        r"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{months}\.?,?\s+\d{{4}}|{months}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}})"
    );
    let street = "(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|crescent|cres|terrace|highway|hwy)";
    let specs: Vec<(Category, String)> = vec![
        (Category::Email, r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b".to_owned()),
        (Category::Url, r#"\b(?:https?://|www\.)[^\s<>"]*[^\s<>".,;:!?)\]]"#.to_owned()),
        (Category::DateOfBirth, format!(r"(?i)\b(?:born(?:\s+on)?|date\s+of\s+birth|d\.?o\.?b\.?)\s*[:\-]?\s*{date}")),
        (
            Category::Address,
            format!(r"(?i)\b\d{{1,5}}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){{1,3}}{street}\b\.?(?:\s+(?:apt|unit|suite)\.?\s*\d+[A-Za-z]?)?"),
        ),
        (Category::PostalCode, r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b".to_owned()),
        (Category::PostalCode, r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[ABD-HJLNP-UW-Z]{2}\b".to_owned()),
        (Category::PostalCode, r"\b(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY]),?\s+\d{5}(?:-\d{4})?\b".to_owned()),
        // International (`+44 20 7946 0958`), national with a trunk 0 (`020 7946 0958`), and
        // North American (`(604) 555-0199`, `604.555.0199`, `+1 604 555 0199`).
        (Category::Phone, r"\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,4}){1,4}\b".to_owned()),
        (Category::Phone, r"\b0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}\b".to_owned()),
        (Category::Phone, r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\b\d{3})[\s.-]?\d{3}[\s.-]\d{4}\b".to_owned()),
    ];
    specs.into_iter().map(|(c, pattern)| (c, Regex::new(&pattern).expect("a detector pattern compiles"))).collect()
}

/// True if a phone-like match has enough digits to be a phone number (not a year range or a
/// count): 8 to 15 digits.
fn phone_digits_ok(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (8..=15).contains(&digits)
}

/// The tag that replaces a detected identifier.
pub fn tag(category: Category) -> &'static str {
    match category {
        Category::Email => "[EMAIL]",
        Category::Phone => "[PHONE]",
        Category::Url => "[URL]",
        Category::PostalCode => "[POSTAL CODE]",
        Category::Address => "[ADDRESS]",
        Category::DateOfBirth => "[DATE OF BIRTH]",
        Category::Person => "[PERSON]",
        Category::Place => "[PLACE]",
        Category::Organisation => "[ORGANISATION]",
        Category::Other => "[REDACTED]",
    }
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl Deidentifier {
    /// A de-identifier for `key`, with the detectors when `detect` is true.
    pub fn new(key: &Key, detect: bool) -> Deidentifier {
        let mut forms: BTreeMap<String, (String, Category)> = BTreeMap::new();
        // Full forms first, so that a word of one name never shadows another's full form.
        for e in &key.entries {
            forms.insert(normalise(&e.original), (e.replacement.clone(), e.category));
        }
        for e in key.entries.iter().filter(|e| e.category == Category::Person) {
            let words: Vec<&str> = e.original.split_whitespace().collect();
            let replacement_words: Vec<&str> = e.replacement.split_whitespace().collect();
            if words.len() < 2 {
                continue;
            }
            for (i, w) in words.iter().enumerate() {
                // Initials and particles (`J.`, `de`) alone are not names.
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                if w.chars().count() < 2 || w.chars().next().is_some_and(char::is_lowercase) {
                    continue;
                }
                let r = if replacement_words.len() == words.len() { replacement_words[i] } else { &e.replacement };
                forms.entry(w.to_lowercase()).or_insert_with(|| (r.to_owned(), e.category));
            }
        }
        let mut patterns: Vec<&String> = forms.keys().collect();
        patterns.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
        // Whole words: a word boundary on each side that is a letter or digit; the words of a
        // form may be split by any white space, a line break included.
        let alternation: Vec<String> = patterns
            .iter()
            .map(|p| {
                let body = p.split(' ').map(regex::escape).collect::<Vec<_>>().join(r"\s+");
                let edge = |c: Option<char>| if c.is_some_and(char::is_alphanumeric) { r"\b" } else { "" };
                format!("{}{body}{}", edge(p.chars().next()), edge(p.chars().last()))
            })
            .collect();
        let key = (!alternation.is_empty()).then(|| {
            RegexBuilder::new(&alternation.join("|"))
                .case_insensitive(true)
                .size_limit(256 << 20)
                .build()
                .expect("escaped key forms compile")
        });
        Deidentifier { key, forms, detectors: if detect { detectors() } else { Vec::new() } }
    }

    /// The edits that de-identify `text`, in text order, not overlapping.
    pub fn edits(&self, text: &str) -> Vec<Edit> {
        let mut found: Vec<Edit> = Vec::new();
        if let Some(key) = &self.key {
            for m in key.find_iter(text) {
                if let Some((replacement, category)) = self.forms.get(&normalise(m.as_str())) {
                    found.push(Edit {
                        start: m.start(),
                        end: m.end(),
                        replacement: replacement.clone(),
                        category: *category,
                    });
                }
            }
        }
        for (category, regex) in &self.detectors {
            for m in regex.find_iter(text) {
                if *category == Category::Phone && !phone_digits_ok(m.as_str()) {
                    continue;
                }
                found.push(Edit {
                    start: m.start(),
                    end: m.end(),
                    replacement: tag(*category).to_owned(),
                    category: *category,
                });
            }
        }
        // Earliest first, longer first at the same place; drop what overlaps a kept edit.
        found.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
        let mut kept: Vec<Edit> = Vec::new();
        for e in found {
            if kept.last().is_some_and(|k| e.start < k.end) {
                continue;
            }
            kept.push(e);
        }
        kept
    }

    /// `text` de-identified, with the edits made.
    pub fn apply(&self, text: &str) -> (String, Vec<Edit>) {
        let edits = self.edits(text);
        (apply_edits(text, &edits), edits)
    }
}

/// `text` with `edits` (in order, not overlapping) made.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.start]);
        out.push_str(&e.replacement);
        at = e.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Where byte position `pos` of the original text lands after `edits`. A position inside a
/// replaced range goes to the replacement's start, or with `is_end` to its end, so a span that
/// covered part of a name covers its whole replacement.
pub fn map_position(edits: &[Edit], pos: usize, is_end: bool) -> usize {
    let mut delta: isize = 0;
    for e in edits {
        if pos <= e.start {
            break;
        }
        let new_start = (e.start as isize + delta) as usize;
        if pos < e.end {
            return if is_end { new_start + e.replacement.len() } else { new_start };
        }
        delta += e.replacement.len() as isize - (e.end - e.start) as isize;
    }
    (pos as isize + delta) as usize
}

/// Speakers of one document whose labels the key makes one, merged into one speaker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeakerMerge {
    /// The label they all get.
    pub label: String,
    /// Their labels before, in `speakers.csv` order.
    pub from: Vec<String>,
    /// How the merged speaker is linked: a participant id, `interviewer`, or `unlinked`.
    pub link: String,
}

/// Speakers of one document that the key would make one although they are different people:
/// linked to different participants, or one to a participant and one as the interviewer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeakerConflict {
    /// The label they would all get.
    pub label: String,
    /// Each speaker's label before and its link (a participant id or `interviewer`).
    pub speakers: Vec<(String, String)>,
}

/// The speakers of a document after their labels are replaced by `labels` (one a speaker, in
/// order). Labels that become one label are one speaker in the new document (`speakers.csv`
/// holds a label once): when they are linked to one participant, or to none, they are merged
/// and the merge is returned, so it can be reported; when they stand for different people
/// (two participants, or a participant and the interviewer) nothing is merged and every such
/// group is returned as a conflict, to refuse before anything is written.
pub fn merge_speakers(
    speakers: &[Speaker],
    labels: &[String],
) -> Result<(Vec<Speaker>, Vec<SpeakerMerge>), Vec<SpeakerConflict>> {
    // New label -> the indices of the speakers that get it, in order of first appearance.
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, label) in labels.iter().enumerate().take(speakers.len()) {
        match groups.iter_mut().find(|(l, _)| *l == label.as_str()) {
            Some((_, members)) => members.push(i),
            None => groups.push((label, vec![i])),
        }
    }
    let (mut merged, mut merges, mut conflicts) = (Vec::new(), Vec::new(), Vec::new());
    for (label, members) in groups {
        let mut participants: Vec<&str> = members.iter().filter_map(|&i| speakers[i].participant.as_deref()).collect();
        participants.sort_unstable();
        participants.dedup();
        let interviewer = members.iter().any(|&i| speakers[i].interviewer);
        if participants.len() > 1 || (participants.len() == 1 && interviewer) {
            let linked = members
                .iter()
                .filter(|&&i| speakers[i].participant.is_some() || speakers[i].interviewer)
                .map(|&i| (speakers[i].label.clone(), speakers[i].link_label()))
                .collect();
            conflicts.push(SpeakerConflict { label: label.to_owned(), speakers: linked });
            continue;
        }
        let speaker = Speaker {
            label: label.to_owned(),
            participant: participants.first().map(|p| (*p).to_owned()),
            interviewer,
        };
        if members.len() > 1 {
            merges.push(SpeakerMerge {
                label: label.to_owned(),
                from: members.iter().map(|&i| speakers[i].label.clone()).collect(),
                link: speaker.link_label(),
            });
        }
        merged.push(speaker);
    }
    if conflicts.is_empty() {
        Ok((merged, merges))
    } else {
        Err(conflicts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(csv: &str) -> Key {
        Key::parse(csv).unwrap()
    }

    #[test]
    fn names_are_replaced_whole_word_case_insensitive_with_parts_and_possessives() {
        let k = key("original,replacement,category\nSimon Fraser,Peter Smith,person\nVancouver,the city,place\nUTGSS,the agency,organisation\n");
        let d = Deidentifier::new(&k, false);
        let text = "SIMON FRASER met simon at UTGSS in Vancouver. Simon's mentor called Fraser.\nSimon\nFraser said Simonetta and Frasers are not him.";
        let (out, edits) = d.apply(text);
        assert_eq!(
            out,
            "Peter Smith met Peter at the agency in the city. Peter's mentor called Smith.\nPeter Smith said Simonetta and Frasers are not him."
        );
        assert_eq!(edits.iter().filter(|e| e.category == Category::Person).count(), 5);
        assert_eq!(edits.iter().filter(|e| e.category == Category::Place).count(), 1);
    }

    #[test]
    fn a_single_word_replacement_stands_for_every_part() {
        let k = key("original,replacement,category\nYelena Ivanova,P3,person\n");
        let (out, _) = Deidentifier::new(&k, false).apply("Yelena Ivanova, or Yelena, or Ms Ivanova.");
        assert_eq!(out, "P3, or P3, or Ms P3.");
    }

    #[test]
    fn detectors_tag_direct_identifiers() {
        let d = Deidentifier::new(&Key::default(), true);
        let cases = [
            ("write to jane.doe+study@uvic.ca today", "write to [EMAIL] today"),
            ("call (604) 555-0199 or 604.555.0199", "call [PHONE] or [PHONE]"),
            ("or +44 20 7946 0958 from London", "or [PHONE] from London"),
            ("see https://example.org/a?b=1. Or www.peer.ca", "see [URL]. Or [URL]"),
            ("my code is V8W 2Y2 and SW1A 1AA", "my code is [POSTAL CODE] and [POSTAL CODE]"),
            ("in Portland, OR 97205-1234", "in Portland, [POSTAL CODE]"),
            ("I live at 1234 Douglas Street near", "I live at [ADDRESS] near"),
            ("I was born on 3 March 1985 in", "I was [DATE OF BIRTH] in"),
            ("DOB: 03/04/1985.", "[DATE OF BIRTH]."),
        ];
        for (text, expected) in cases {
            assert_eq!(d.apply(text).0, expected, "{text}");
        }
        assert_eq!(d.apply("ring 020 7946 0958 or 1-800-555-0100").0, "ring [PHONE] or [PHONE]");
        // Not identifiers: years, dates, times, counts, short numbers.
        for text in [
            "from 2019 to 2021",
            "on 2019-05-12 at 10:30",
            "about 12000 people",
            "3 or 4 times",
            "in 1985 I was 20",
            "2019-2021",
            "at 2026-11-23T04:00:00Z",
            "guid 5bd1c2a4-0f3e-5a9e-8c1d-065546894582",
        ] {
            assert_eq!(d.apply(text).0, text, "{text}");
        }
    }

    #[test]
    fn positions_map_through_edits() {
        let text = "Ask Simon about Simon.";
        let k = key("original,replacement\nSimon,Alexander\n");
        let (out, edits) = Deidentifier::new(&k, false).apply(text);
        assert_eq!(out, "Ask Alexander about Alexander.");
        // "about" starts at 10 before and 14 after.
        assert_eq!(map_position(&edits, 10, false), 14);
        assert_eq!(&out[map_position(&edits, 10, false)..map_position(&edits, 15, true)], "about");
        // A span inside the name widens to the whole replacement.
        assert_eq!((map_position(&edits, 5, false), map_position(&edits, 7, true)), (4, 13));
        assert_eq!(map_position(&edits, text.len(), true), out.len());
    }

    #[test]
    fn keys_are_checked_with_their_lines() {
        assert_eq!(Key::parse("name,pseudonym\nA,B\n").unwrap().entries.len(), 1);
        let e = Key::parse("original,replacement,category\nSimon,P1,person\nsimon,P2,person\n").unwrap_err();
        assert_eq!(e.0, 3);
        assert!(e.1.contains("`P1` on line 2"), "{}", e.1);
        assert_eq!(Key::parse("original,replacement,category\nSimon,P1,planet\n").unwrap_err().0, 2);
        assert_eq!(Key::parse("original,replacement\nSimon,\n").unwrap_err().0, 2);
        assert!(Key::parse("who,what\n").unwrap_err().1.contains("original"));
    }

    fn speaker(label: &str, participant: Option<&str>, interviewer: bool) -> Speaker {
        Speaker { label: label.to_owned(), participant: participant.map(str::to_owned), interviewer }
    }

    #[test]
    fn labels_that_become_one_are_merged_when_they_are_one_person_and_refused_when_not() {
        let labels = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        // "Jane Doe" and "JANE DOE" both linked to p1, or one of them unlinked: one speaker.
        let speakers = [
            speaker("Interviewer", None, true),
            speaker("Jane Doe", Some("p1"), false),
            speaker("JANE DOE", None, false),
        ];
        let (merged, merges) = merge_speakers(&speakers, &labels(&["Interviewer", "Person D", "Person D"])).unwrap();
        assert_eq!(merged, [speaker("Interviewer", None, true), speaker("Person D", Some("p1"), false)]);
        assert_eq!(
            merges,
            [SpeakerMerge {
                label: "Person D".into(),
                from: vec!["Jane Doe".into(), "JANE DOE".into()],
                link: "p1".into()
            }]
        );
        // Two people, and a participant with the interviewer: refused, each group named.
        let speakers = [
            speaker("Ann", Some("p1"), false),
            speaker("Bob", Some("p2"), false),
            speaker("Ina", None, true),
            speaker("Cy", Some("p3"), false),
            speaker("Dee", None, false),
        ];
        let conflicts =
            merge_speakers(&speakers, &labels(&["Participant", "Participant", "X", "X", "Dee"])).unwrap_err();
        assert_eq!(conflicts.len(), 2);
        assert_eq!(conflicts[0].speakers, [("Ann".into(), "p1".into()), ("Bob".into(), "p2".into())]);
        assert_eq!(conflicts[1].label, "X");
        assert_eq!(conflicts[1].speakers, [("Ina".into(), "interviewer".into()), ("Cy".into(), "p3".into())]);
    }
}
