//! `--where key=value` conditions, one parser and one set of keys for every command that
//! filters: the speaker's participant (`participant`, `pseudonym`, `role`, the columns of
//! `participants.csv`) and the document (`document`, `kind`, `wave`, `date`, `title`, its
//! attributes, such as variables imported from REFI-QDA or a survey). A key the study does not
//! know is refused with the keys it knows, so a misspelt filter never silently matches nothing.

use std::collections::BTreeSet;
use std::str::FromStr;

use crate::document::DocumentMeta;
use crate::participant::Participant;
use crate::study::Study;

/// Keys every study knows: the speaker's participant.
pub const PARTICIPANT_KEYS: [&str; 3] = ["participant", "pseudonym", "role"];
/// Keys every study knows: the document.
pub const DOCUMENT_KEYS: [&str; 5] = ["document", "kind", "wave", "date", "title"];

/// `key=value` or `key!=value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Where {
    /// Attribute name, in lower case.
    pub key: String,
    /// Value, compared without regard to case.
    pub value: String,
    /// `!=`.
    pub negated: bool,
    /// Further values, any of which meets the condition as `value` does (`--wave 1 --wave 2`
    /// is one condition, wave 1 or 2).
    pub also: Vec<String>,
}

impl FromStr for Where {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (key, value, negated) = match s.split_once("!=") {
            Some((k, v)) => (k, v, true),
            None => match s.split_once('=') {
                Some((k, v)) => (k, v, false),
                None => return Err(format!("`{s}` is not a condition like role=\"Peer Mentor\" or wave!=2")),
            },
        };
        let value = value.trim();
        let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        if key.trim().is_empty() {
            return Err(format!("`{s}` names no attribute before `=`"));
        }
        Ok(Where { key: key.trim().to_lowercase(), value: value.to_owned(), negated, also: Vec::new() })
    }
}

/// Whether a key is about the speaker or the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOf {
    /// The speaker's participant (`role`, `gender`...).
    Participant,
    /// The document (`wave`, `kind`, a document attribute...).
    Document,
}

/// The keys a study knows, each with what it describes. A name that is both a participant
/// column and a document attribute is a participant key.
pub fn known_keys(study: &Study) -> Vec<(String, KeyOf)> {
    let mut participant: BTreeSet<String> = PARTICIPANT_KEYS.iter().map(|k| (*k).to_owned()).collect();
    participant.extend(study.settings.participant_attributes.keys().map(|k| k.to_lowercase()));
    for p in study.participants.rows() {
        participant.extend(p.attributes.keys().map(|k| k.to_lowercase()));
    }
    let mut document: BTreeSet<String> = DOCUMENT_KEYS.iter().map(|k| (*k).to_owned()).collect();
    document.extend(study.settings.document_attributes.keys().map(|k| k.to_lowercase()));
    for m in study.documents() {
        document.extend(m.attributes.keys().map(|k| k.to_lowercase()));
    }
    let mut keys: Vec<(String, KeyOf)> = participant.iter().map(|k| (k.clone(), KeyOf::Participant)).collect();
    keys.extend(document.into_iter().filter(|k| !participant.contains(k)).map(|k| (k, KeyOf::Document)));
    keys
}

/// What a key is about, or an error naming the known keys with the nearest one.
pub fn key_of(study: &Study, key: &str) -> Result<KeyOf, String> {
    let key = key.trim().to_lowercase();
    let known = known_keys(study);
    if let Some((_, of)) = known.iter().find(|(k, _)| *k == key) {
        return Ok(*of);
    }
    let names: Vec<&str> = known.iter().map(|(k, _)| k.as_str()).collect();
    let guess = did_you_mean(&key, &names).map(|g| format!("; did you mean `{g}`?")).unwrap_or_default();
    Err(format!(
        "this study has no participant column or document field `{key}`{guess} (known: {})",
        names.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
    ))
}

/// Parse `--where` conditions and check every key against the study.
pub fn parse_all(study: &Study, conditions: &[String]) -> Result<Vec<Where>, String> {
    conditions
        .iter()
        .map(|c| {
            let w: Where = c.parse()?;
            key_of(study, &w.key)?;
            Ok(w)
        })
        .collect()
}

/// The value of `key` for a speaker and document: `None` when the speaker is not a participant
/// (for participant keys; `role` of an interviewer is `interviewer`) or the field is blank.
pub fn value_of(key: &str, meta: &DocumentMeta, person: Option<&Participant>, interviewer: bool) -> Option<String> {
    let attribute = |map: &std::collections::BTreeMap<String, String>| {
        map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.clone())
    };
    match key {
        "document" => Some(meta.id.clone()),
        "kind" => Some(meta.kind.clone()),
        "wave" => meta.wave.map(|w| w.to_string()),
        "date" => meta.date.clone(),
        "title" => Some(meta.title.clone()),
        "role" if interviewer => Some("interviewer".to_owned()),
        "participant" => person.map(|p| p.id.clone()),
        "pseudonym" => person.map(|p| p.pseudonym.clone()),
        "role" => person.map(|p| p.role.clone()),
        _ => person.and_then(|p| attribute(&p.attributes)).or_else(|| attribute(&meta.attributes)),
    }
}

impl Where {
    /// The condition `--wave N` (repeated: any of the waves); `None` for no wave given.
    pub fn waves(waves: &[u32]) -> Option<Where> {
        let (first, rest) = waves.split_first()?;
        Some(Where {
            key: "wave".to_owned(),
            value: first.to_string(),
            negated: false,
            also: rest.iter().map(ToString::to_string).collect(),
        })
    }

    /// Whether a speaker in a document meets the condition (values compared trimmed, in any
    /// case; a missing value meets only a `!=`).
    pub fn holds(&self, meta: &DocumentMeta, person: Option<&Participant>, interviewer: bool) -> bool {
        let have = value_of(&self.key, meta, person, interviewer);
        let same = |h: &str, v: &str| h.trim().to_lowercase() == v.trim().to_lowercase();
        let equal = have.is_some_and(|h| same(&h, &self.value) || self.also.iter().any(|v| same(&h, v)));
        equal != self.negated
    }
}

/// The candidate nearest to `word` by edit distance, if it is close enough to be a slip (at most
/// a third of the word's length, and at least one edit allowed).
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// Levenshtein distance between `a` and `b`, in characters, with transpositions counted as one
/// edit (optimal string alignment), as tantivy's fuzzy terms count them.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_parse() {
        let w: Where = "role=\"Peer Mentor\"".parse().unwrap();
        assert_eq!(w, Where { key: "role".into(), value: "Peer Mentor".into(), negated: false, also: vec![] });
        let w: Where = "Wave != 2".parse().unwrap();
        assert_eq!(w, Where { key: "wave".into(), value: "2".into(), negated: true, also: vec![] });
        assert!("role".parse::<Where>().is_err());
        assert!("=x".parse::<Where>().is_err());
        assert_eq!(Where::waves(&[]), None);
        let w = Where::waves(&[1, 3]).unwrap();
        assert_eq!(w, Where { key: "wave".into(), value: "1".into(), negated: false, also: vec!["3".into()] });
        let mut meta = DocumentMeta::new("d", "interview");
        for (wave, holds) in [(Some(1), true), (Some(2), false), (Some(3), true), (None, false)] {
            meta.wave = wave;
            assert_eq!(w.holds(&meta, None, false), holds, "wave {wave:?}");
        }
    }

    #[test]
    fn guesses_the_nearest_key() {
        let keys = ["gender", "role", "wave", "kind"];
        assert_eq!(did_you_mean("gendr", &keys), Some("gender"));
        assert_eq!(did_you_mean("wav", &keys), Some("wave"));
        assert_eq!(did_you_mean("colour", &keys), None);
    }

    #[test]
    fn values_of_documents_and_speakers() {
        let mut meta = DocumentMeta::new("fg1", "focus-group");
        meta.wave = Some(2);
        meta.attributes.insert("Site".into(), "North".into());
        let mut p = Participant {
            id: "P1".into(),
            pseudonym: "Simon".into(),
            role: "Peer Mentor".into(),
            attributes: Default::default(),
        };
        p.attributes.insert("gender".into(), "man".into());
        let cond = |s: &str| s.parse::<Where>().unwrap();
        assert!(cond("wave=2").holds(&meta, None, false));
        assert!(cond("kind=Focus-Group").holds(&meta, Some(&p), false));
        assert!(cond("site=north").holds(&meta, Some(&p), false));
        assert!(cond("gender=man").holds(&meta, Some(&p), false));
        assert!(!cond("gender=man").holds(&meta, None, false));
        assert!(cond("gender!=man").holds(&meta, None, false));
        assert!(cond("role=interviewer").holds(&meta, None, true));
        assert!(!cond("wave=1").holds(&meta, Some(&p), false));
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("court", "court"), 0);
        assert_eq!(edit_distance("court", "cuort"), 1);
        assert_eq!(edit_distance("court", "courts"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
