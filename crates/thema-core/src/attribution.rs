//! How quotes are attributed when they are published: a small template such as
//! `-{pseudonym}, {role}` (the default, as Palis et al. print quotes: "-Simon, Peer Mentor"),
//! with presets for the styles journals ask for.
//!
//! Whatever the style, a speaker is never named by the transcript's label, which is often a
//! real name: a participant is named by the template's fields, an interviewer as `Interviewer`
//! and a speaker not linked to a participant as `Unidentified speaker`.

use std::collections::HashMap;

use crate::filter;
use crate::segment::{Segment, Voicing};
use crate::study::Study;

/// The presets: name and template.
pub const PRESETS: [(&str, &str); 5] = [
    ("pseudonym-role", "-{pseudonym}, {role}"),
    ("id", "{id}"),
    ("participant-number", "Participant {number}"),
    ("role", "{role}"),
    ("none", ""),
];

/// The preset used when neither `--attribution` nor `thema.toml` chooses one.
pub const DEFAULT: &str = "pseudonym-role";

/// How an interviewer is named.
pub const INTERVIEWER: &str = "Interviewer";
/// How a speaker not linked to a participant (or a passage with no speaker) is named.
pub const UNIDENTIFIED: &str = "Unidentified speaker";

/// Fields of a template besides the `--where` keys (`thema_core::filter`): the participant's
/// id and number.
const OWN_FIELDS: [&str; 2] = ["id", "number"];

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    Field(String),
}

/// A parsed attribution style.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Style {
    pieces: Vec<Piece>,
}

impl Style {
    /// A preset by name, or a template: literal text with fields in braces. The fields are
    /// `id`, `number` (participant number), and every key `--where` knows in `study`
    /// (`pseudonym`, `role`, participant columns, `wave`, `document`, `title`, `kind`, `date`,
    /// document attributes). An unknown field is an error naming the known ones.
    pub fn parse(study: &Study, text: &str) -> Result<Style, String> {
        let template = PRESETS.iter().find(|(name, _)| *name == text.trim()).map_or(text, |(_, t)| t);
        let mut known: Vec<String> = OWN_FIELDS.iter().map(|f| (*f).to_owned()).collect();
        known.extend(filter::known_keys(study).into_iter().map(|(k, _)| k));
        let mut pieces = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find(['{', '}']) {
            if rest[open..].starts_with('}') {
                return Err(format!("`}}` without `{{` in the attribution `{text}`"));
            }
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                return Err(format!("`{{` without `}}` in the attribution `{text}`"));
            };
            let name = rest[open + 1..open + close].trim().to_lowercase();
            if !known.contains(&name) {
                let names: Vec<&str> = known.iter().map(String::as_str).collect();
                let guess = filter::did_you_mean(&name, &names)
                    .map(|g| format!("; did you mean `{{{g}}}`?"))
                    .unwrap_or_default();
                return Err(format!(
                    "unknown field `{{{name}}}` in the attribution `{text}`{guess} (known: {}; presets: {})",
                    names.iter().map(|k| format!("`{{{k}}}`")).collect::<Vec<_>>().join(", "),
                    PRESETS.iter().map(|(p, _)| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                ));
            }
            pieces.push(Piece::Field(name));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_owned()));
        }
        Ok(Style { pieces })
    }

    /// True for a style that prints nothing (`none`).
    pub fn is_silent(&self) -> bool {
        self.pieces.is_empty()
    }

    /// The leading and trailing literal text when it is punctuation only (`-`, `(`...), kept
    /// around `Interviewer` and `Unidentified speaker`.
    fn frame(&self) -> (&str, &str) {
        let punctuation = |t: &str| !t.chars().any(char::is_alphanumeric);
        let lead = match self.pieces.first() {
            Some(Piece::Text(t)) if punctuation(t) => t.as_str(),
            _ => "",
        };
        // A closing mark is kept only with its opening one: `({id})` -> `(Interviewer)`, but
        // `{pseudonym} ({document})` -> `Interviewer`.
        let trail = match self.pieces.last() {
            Some(Piece::Text(t)) if !lead.is_empty() && self.pieces.len() > 1 && punctuation(t) => t.as_str(),
            _ => "",
        };
        (lead, trail)
    }
}

/// Attributes quotes in a style, numbering participants by id in natural order (`P2` before
/// `P10`): participant 1 is the first row of `participants.csv` so ordered, and a number stays
/// the same as long as the participants do.
pub struct Attributor<'a> {
    style: Style,
    study: &'a Study,
    numbers: HashMap<&'a str, usize>,
}

impl<'a> Attributor<'a> {
    /// An attributor for `study` in `style`.
    pub fn new(study: &'a Study, style: Style) -> Attributor<'a> {
        let mut ids: Vec<&str> = study.participants.rows().iter().map(|p| p.id.as_str()).collect();
        ids.sort_by(|a, b| natural_cmp(a, b));
        let numbers = ids.into_iter().enumerate().map(|(i, id)| (id, i + 1)).collect();
        Attributor { style, study, numbers }
    }

    /// The style `given` (a flag), else `thema.toml`'s `attribution`, else the default.
    pub fn of_study(study: &'a Study, given: Option<&str>) -> Result<Attributor<'a>, String> {
        let style = match (given, study.settings.attribution.as_deref()) {
            (Some(g), _) => Style::parse(study, g)?,
            (None, Some(s)) => Style::parse(study, s).map_err(|e| format!("thema.toml: `attribution`: {e}"))?,
            (None, None) => Style::parse(study, DEFAULT)?,
        };
        Ok(Attributor::new(study, style))
    }

    /// The attribution of a speaker in a document.
    pub fn who(&self, who: &Voicing, document: &str) -> String {
        if self.style.is_silent() {
            return String::new();
        }
        let person = match who {
            Voicing::Participant(id) => self.study.participants.get(id),
            Voicing::Interviewer | Voicing::Unidentified => None,
        };
        let Some(person) = person else {
            let (lead, trail) = self.style.frame();
            let name = if *who == Voicing::Interviewer { INTERVIEWER } else { UNIDENTIFIED };
            return format!("{lead}{name}{trail}");
        };
        // A document the study does not know has no fields; the participant's still print.
        let unknown = crate::document::DocumentMeta::new(document, "");
        let meta = self.study.document_meta(document).unwrap_or(&unknown);
        // Each field's value with the literal text before it; an empty field drops its
        // literal, so `-{pseudonym}, {role}` with no role reads `-Simon`.
        let mut lead = String::new();
        let mut out = String::new();
        let mut before = String::new();
        let mut any = false;
        let mut seen_field = false;
        let mut last_printed = false;
        for piece in &self.style.pieces {
            match piece {
                Piece::Text(t) => before.push_str(t),
                Piece::Field(name) => {
                    let value = match name.as_str() {
                        "id" => Some(person.id.clone()),
                        "number" => self.numbers.get(person.id.as_str()).map(ToString::to_string),
                        key => filter::value_of(key, meta, Some(person), false),
                    }
                    .filter(|v| !v.trim().is_empty());
                    if !seen_field {
                        lead = std::mem::take(&mut before);
                        seen_field = true;
                    }
                    last_printed = value.is_some();
                    if let Some(v) = value {
                        if any {
                            out.push_str(&before);
                        }
                        out.push_str(v.trim());
                        any = true;
                    }
                    before.clear();
                }
            }
        }
        if !any {
            // Every field blank (a `role` style for a participant with no role).
            let (lead, trail) = self.style.frame();
            return format!("{lead}Participant{trail}");
        }
        // Text after the last field goes with it: `{pseudonym} ({wave})` without a wave is `Simon`.
        let trail = if last_printed { before.as_str() } else { "" };
        format!("{lead}{out}{trail}")
    }

    /// The attribution of a segment: each speaker in it once, in order, joined by `; `.
    pub fn segment(&self, segment: &Segment) -> String {
        let mut seen: Vec<&Voicing> = Vec::new();
        for v in &segment.voices {
            if !seen.contains(&&v.who) {
                seen.push(&v.who);
            }
        }
        if seen.is_empty() {
            return self.who(&Voicing::Unidentified, &segment.coding.document);
        }
        seen.iter().map(|w| self.who(w, &segment.coding.document)).collect::<Vec<_>>().join("; ")
    }

    /// The words of a segment by speaker, each with its attribution: the turns of one speaker
    /// in a row together, white space collapsed. One part when one speaker talks (or the words
    /// cannot be split by turn: then the whole quote).
    pub fn parts(&self, segment: &Segment) -> Vec<(String, String)> {
        let collapse = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut parts: Vec<(&Voicing, String)> = Vec::new();
        for v in &segment.voices {
            let words = collapse(segment.words_of(v));
            if words.is_empty() {
                continue;
            }
            match parts.last_mut() {
                Some((who, text)) if *who == &v.who => {
                    text.push(' ');
                    text.push_str(&words);
                }
                _ => parts.push((&v.who, words)),
            }
        }
        let document = &segment.coding.document;
        if parts.len() <= 1 {
            let who = parts.first().map_or(&Voicing::Unidentified, |(w, _)| *w);
            let text = parts.pop().map(|(_, t)| t).unwrap_or_else(|| collapse(&segment.coding.quote));
            return vec![(text, self.who(who, document))];
        }
        parts.into_iter().map(|(who, text)| (text, self.who(who, document))).collect()
    }

    /// A quote as a table prints it: in quotation marks, white space collapsed, with its
    /// attribution (`“...” -Simon, Peer Mentor`); a passage where several speakers talk as the
    /// dialogue it is, each speaker's words with their attribution.
    pub fn quote(&self, segment: &Segment) -> String {
        self.parts(segment).iter().map(|(text, who)| quoted(text, who)).collect::<Vec<_>>().join(" ")
    }
}

/// `“text” attribution`, or `“text”` when the attribution is empty (style `none`).
pub fn quoted(text: &str, attribution: &str) -> String {
    let quoted = if text.starts_with(['“', '"', '‘']) { text.to_owned() } else { format!("“{text}”") };
    if attribution.is_empty() {
        quoted
    } else {
        format!("{quoted} {attribution}")
    }
}
/// Order of ids as people sort them: runs of digits by value (`P2` before `P10`).
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut digit = None;
        for (i, c) in s.char_indices() {
            let d = c.is_ascii_digit();
            if digit.is_some_and(|x| x != d) {
                out.push((digit == Some(true), &s[start..i]));
                start = i;
            }
            digit = Some(d);
        }
        if start < s.len() {
            out.push((digit == Some(true), &s[start..]));
        }
        out
    }
    let (x, y) = (chunks(a), chunks(b));
    for ((dx, cx), (dy, cy)) in x.iter().zip(&y) {
        let order = if *dx && *dy {
            let (tx, ty) = (cx.trim_start_matches('0'), cy.trim_start_matches('0'));
            tx.len().cmp(&ty.len()).then(tx.cmp(ty))
        } else {
            cx.cmp(cy)
        };
        if order.is_ne() {
            return order;
        }
    }
    x.len().cmp(&y.len()).then(a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::participant::Participant;

    #[test]
    fn styles_name_participants_interviewers_and_blanks() {
        let dir = tempfile::tempdir().unwrap();
        let mut study = Study::init(dir.path(), "styles").unwrap();
        for (id, pseudonym, role) in [("P10", "Simon", "Peer Mentor"), ("P2", "Mo", "")] {
            let person = Participant {
                id: id.into(),
                pseudonym: pseudonym.into(),
                role: role.into(),
                attributes: Default::default(),
            };
            study.participants.add(person).unwrap();
        }
        let render =
            |style: &str, who: Voicing| Attributor::new(&study, Style::parse(&study, style).unwrap()).who(&who, "fg1");
        let simon = || Voicing::Participant("P10".into());
        let mo = || Voicing::Participant("P2".into());
        assert_eq!(render("pseudonym-role", simon()), "-Simon, Peer Mentor");
        assert_eq!(render("pseudonym-role", mo()), "-Mo", "a blank role drops its comma");
        assert_eq!(render("pseudonym-role", Voicing::Interviewer), "-Interviewer");
        assert_eq!(render("pseudonym-role", Voicing::Unidentified), "-Unidentified speaker");
        assert_eq!(render("id", simon()), "P10");
        // Natural order of ids: P2 is participant 1, P10 participant 2.
        assert_eq!(render("participant-number", simon()), "Participant 2");
        assert_eq!(render("participant-number", mo()), "Participant 1");
        assert_eq!(render("participant-number", Voicing::Interviewer), "Interviewer");
        assert_eq!(render("role", mo()), "Participant", "every field blank");
        assert_eq!(render("none", simon()), "");
        assert_eq!(render("({id})", Voicing::Interviewer), "(Interviewer)");
        assert_eq!(render("{pseudonym} ({wave})", simon()), "Simon", "no wave: its brackets go too");
        assert_eq!(render("{pseudonym} ({document})", simon()), "Simon (fg1)");
        assert_eq!(render("{pseudonym} ({document})", Voicing::Interviewer), "Interviewer");
        let err = Style::parse(&study, "{pseudonym}, {rol}").unwrap_err();
        assert!(err.contains("unknown field `{rol}`") && err.contains("did you mean `{role}`?"), "{err}");
        assert!(Style::parse(&study, "{pseudonym").unwrap_err().contains("`{` without `}`"));
        assert!(Style::parse(&study, "pseudonym}").unwrap_err().contains("`}` without `{`"));
    }

    #[test]
    fn natural_order() {
        let mut ids = vec!["P10", "P2", "P1", "a", "P02b"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, ["P1", "P2", "P02b", "P10", "a"]);
    }
}
