//! The tables a study publishes, built from its codebook, segments and participants: the
//! codebook, the theme table ("Table 2"), the participants table ("Table 1"), and every coded
//! segment or coding as data.

use std::collections::{BTreeMap, BTreeSet};

use thema_analysis::participants::Table1;
use thema_core::codebook::{Codebook, CodebookEntry, EntryKind};
use thema_core::coders::CoderSet;
use thema_core::segment::{EntryCounts, Segment};
use thema_core::{Coding, Study, StudyError};

use crate::table::{Row, Table};

/// Whether a table is for people (a manuscript, a meeting) or for programs (ids, one value a
/// cell, nothing merged).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Printed: hierarchy shown by indentation, counts as numbers, no ids.
    People,
    /// Data: ids and parent ids as columns.
    Programs,
}

/// The codebook in tree order (parents before children, siblings in the codebook's order): name, kind,
/// definition, when to use, when not to use, example, in vivo, role, and segments, documents
/// and participants under each entry (descendants included).
pub fn codebook(codebook: &Codebook, counts: &BTreeMap<String, EntryCounts>, audience: Audience) -> Table {
    let mut columns = vec![
        "Entry",
        "Kind",
        "Definition",
        "When to use",
        "When not to use",
        "Example",
        "In vivo",
        "Role",
        "Segments",
        "Documents",
        "Participants",
    ];
    if audience == Audience::Programs {
        columns.splice(0..0, ["id", "parent"]);
    }
    let mut table = Table::new("Codebook", &columns);
    for (depth, e) in codebook.tree() {
        let n = counts.get(&e.id).cloned().unwrap_or_default();
        let mut cells = vec![
            e.name.clone(),
            e.kind.name().to_owned(),
            e.definition.clone(),
            e.when_to_use.clone(),
            e.when_not_to_use.clone(),
            e.example.clone(),
            if e.in_vivo { "yes".to_owned() } else { String::new() },
            e.role.clone().unwrap_or_default(),
            n.segments.to_string(),
            n.documents.to_string(),
            n.participants.to_string(),
        ];
        match audience {
            Audience::Programs => {
                cells.splice(0..0, [e.id.clone(), e.parent.clone().unwrap_or_default()]);
                table.rows.push(Row { cells, level: 0, emphasis: false });
            }
            Audience::People => {
                if e.in_vivo {
                    cells[0] = format!("“{}”", e.name);
                }
                let emphasis = e.kind == EntryKind::Theme;
                table.rows.push(Row { cells, level: depth, emphasis });
            }
        }
    }
    if audience == Audience::People {
        table.notes.push(
            "Segments, documents and participants count everything coded under an entry, its descendants \
             included. In-vivo codes, named in participants' own words, are in quotation marks."
                .to_owned(),
        );
    }
    table
}

/// Rank of a theme's role in the order papers present themes: the foundation first, the
/// outcome last.
fn role_rank(role: Option<&str>) -> u8 {
    match role.map(str::to_ascii_lowercase).as_deref() {
        Some("foundation") => 0,
        Some("central") => 1,
        Some("outcome") => 3,
        _ => 2,
    }
}

/// The themes in the order a theme table lists them: by role (foundation, central, others,
/// outcome), then by the relations between them (a theme before the themes it leads to), then
/// in the codebook's order.
pub fn theme_order(codebook: &Codebook) -> Vec<&CodebookEntry> {
    let themes: Vec<&CodebookEntry> = codebook.entries.iter().filter(|e| e.kind == EntryKind::Theme).collect();
    let ids: BTreeSet<&str> = themes.iter().map(|e| e.id.as_str()).collect();
    // Longest path from a theme with no incoming relation, over relations between themes;
    // a cycle is cut by counting at most as many steps as there are themes.
    let edges: Vec<(&str, &str)> = codebook
        .relations
        .iter()
        .filter(|r| ids.contains(r.from.as_str()) && ids.contains(r.to.as_str()) && r.from != r.to)
        .map(|r| (r.from.as_str(), r.to.as_str()))
        .collect();
    let mut depth: BTreeMap<&str, usize> = ids.iter().map(|id| (*id, 0)).collect();
    for _ in 0..themes.len() {
        let mut changed = false;
        for (from, to) in &edges {
            let next = depth[from] + 1;
            if next > depth[to] && next < themes.len() {
                depth.insert(to, next);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // The codebook's own order (set with `thema codebook move --before`) breaks ties.
    let position: BTreeMap<&str, usize> =
        codebook.tree().into_iter().enumerate().map(|(i, (_, e))| (e.id.as_str(), i)).collect();
    let mut themes = themes;
    themes.sort_by(|a, b| {
        (role_rank(a.role.as_deref()), depth[a.id.as_str()], position[a.id.as_str()]).cmp(&(
            role_rank(b.role.as_deref()),
            depth[b.id.as_str()],
            position[b.id.as_str()],
        ))
    });
    themes
}

/// How exemplar quotes were chosen for a theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chosen {
    /// Marked by the researchers (`thema exemplar`).
    Marked,
    /// Picked by the rule of [`exemplars`].
    ByRule,
    /// Nothing is coded under the theme.
    None,
}

/// Quotes of 10 to 80 words read best in a table; shorter and longer ones are picked only when
/// no quote of that length is coded.
const GOOD_QUOTE_WORDS: std::ops::RangeInclusive<usize> = 10..=80;

/// The exemplar segments of an entry: those marked under it, in document order; without marks,
/// up to `n` chosen by rule, the same every time: coded segments under the entry (one per
/// passage), quotes of 10 to 80 words before others, longer before shorter, then document and
/// position; one per participant while other participants are left.
pub fn exemplars<'a>(
    codebook: &Codebook,
    segments: &'a [Segment],
    entry: &str,
    n: usize,
    document_order: &BTreeMap<String, u32>,
) -> (Vec<&'a Segment>, Chosen) {
    let under = codebook.descendants(entry);
    let position = |s: &Segment| (document_order.get(&s.coding.document).copied().unwrap_or(u32::MAX), s.coding.start);
    let mut seen = BTreeSet::new();
    let mut candidates: Vec<&Segment> = segments
        .iter()
        .filter(|s| under.contains(&s.coding.code) && !s.coding.unplaced)
        .filter(|s| seen.insert((s.coding.document.as_str(), s.coding.start, s.coding.end)))
        .collect();
    let mut marked: Vec<&Segment> = candidates.iter().copied().filter(|s| s.coding.exemplar).collect();
    if !marked.is_empty() {
        marked.sort_by_key(|s| position(s));
        return (marked, Chosen::Marked);
    }
    if candidates.is_empty() {
        return (Vec::new(), Chosen::None);
    }
    candidates.sort_by_cached_key(|s| {
        let words = s.coding.quote.split_whitespace().count();
        (!GOOD_QUOTE_WORDS.contains(&words), std::cmp::Reverse(words), position(s), s.coding.code.clone())
    });
    let mut chosen: Vec<&Segment> = Vec::new();
    let mut people: BTreeSet<Option<&str>> = BTreeSet::new();
    // First pass: a new participant each; second pass: fill up from what is left.
    for s in &candidates {
        if chosen.len() < n && people.insert(s.participants.first().map(String::as_str)) {
            chosen.push(s);
        }
    }
    for s in &candidates {
        if chosen.len() < n && !chosen.iter().any(|c| std::ptr::eq(*c, *s)) {
            chosen.push(s);
        }
    }
    chosen.sort_by_key(|s| position(s));
    (chosen, Chosen::ByRule)
}

/// The segments of a coder set with only what [`themes`] and [`thema_core::segment::counts`]
/// read, in the order [`thema_core::segment::attribute`] gives: each coding's document, place,
/// code, flags and quote, its participants, and its voices' speakers and spans. The rest (the
/// coder, the context before and after, the time, the memo, the first turn's speaker and
/// participant, the voices' turn ids) is emptied as each block of documents is attributed, so
/// the segments of a study take less memory than the codings read for them.
pub fn theme_segments(study: &Study, set: &CoderSet) -> Result<Vec<Segment>, StudyError> {
    let codings = study.load_set_codings(set)?;
    let mut segments = Vec::with_capacity(codings.len());
    for block in thema_analysis::document_blocks::in_blocks(study, codings, str::to_owned) {
        segments.extend(block?.into_iter().map(|mut s| {
            let c = &mut s.coding;
            (c.before, c.after, c.coder, c.time, c.memo) = Default::default();
            (s.turn, s.speaker, s.participant, s.pseudonym, s.role) = Default::default();
            for v in &mut s.voices {
                v.turn = String::new();
            }
            s
        }));
    }
    Ok(segments)
}

/// The theme table ("Table 2"): one row a theme in [`theme_order`], with its role, its
/// sub-themes, its definition and exemplar quotes with attribution (see [`exemplars`]; `n` a
/// theme when none are marked), each quote as `quote` prints it
/// (`thema_core::attribution::Attributor::quote`: a passage of several speakers as dialogue).
pub fn themes(
    codebook: &Codebook,
    segments: &[Segment],
    n: usize,
    document_order: &BTreeMap<String, u32>,
    quote: &dyn Fn(&Segment) -> String,
) -> Table {
    let mut table =
        Table::new("Themes and sub-themes", &["Theme", "Role", "Sub-themes", "Description", "Exemplar quotes"]);
    let mut by_rule = Vec::new();
    for theme in theme_order(codebook) {
        let mut subs: Vec<&CodebookEntry> = codebook
            .entries
            .iter()
            .filter(|e| e.parent.as_deref() == Some(theme.id.as_str()) && e.kind == EntryKind::SubTheme)
            .collect();
        subs.sort_by(|a, b| thema_core::codebook::sibling_order(a, b));
        let (quotes, chosen) = exemplars(codebook, segments, &theme.id, n, document_order);
        if chosen == Chosen::ByRule {
            by_rule.push(theme.name.clone());
        }
        table.rows.push(Row::new(vec![
            theme.name.clone(),
            theme.role.clone().unwrap_or_default(),
            subs.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join("\n"),
            theme.definition.clone(),
            quotes.iter().map(|s| quote(s)).collect::<Vec<_>>().join("\n"),
        ]));
    }
    if !by_rule.is_empty() {
        table.notes.push(format!(
            "No exemplar was marked for {}: up to {n} quotes each were chosen by rule (coded segments under \
             the theme, 10 to 80 words first, longer first, a different participant each while possible).",
            by_rule.join("; ")
        ));
    }
    table
}

/// The participants table ("Table 1") as papers print it: characteristic, then n (%) or
/// mean ± SD; median and range when asked.
pub fn participants(t: &Table1, median: bool) -> Table {
    let mut table = Table::new("Participants", &["Characteristic", "n (%) or mean ± SD"]);
    table.rows = t
        .printed(median)
        .into_iter()
        .map(|p| Row { cells: vec![p.label, p.value], level: p.level, emphasis: p.heading })
        .collect();
    table.notes.push(
        "Each participant is counted once, however many sessions they took part in. SD is the sample \
         standard deviation (n − 1)."
            .to_owned(),
    );
    table
}

/// The theme an entry sits under (itself if a theme), by name.
fn theme_of<'a>(codebook: &'a Codebook, id: &str) -> Option<&'a CodebookEntry> {
    codebook.rolled_up(id, EntryKind::Theme)
}

/// Column names of [`segments`], shared with the Parquet writer.
pub const SEGMENT_COLUMNS: [&str; 18] = [
    "document",
    "turn",
    "start",
    "end",
    "code_id",
    "code",
    "kind",
    "theme",
    "coder",
    "participant",
    "pseudonym",
    "role",
    "speaker",
    "participants",
    "attribution",
    "quote",
    "memo",
    "exemplar",
];

/// Every coded segment with its attribution, one row each, for R and Python: positions are code
/// points, half-open. `participant`, `pseudonym`, `role` and `speaker` are of the turn the
/// segment starts in (`speaker`: the pseudonym, `Interviewer` or `Unidentified speaker`, never
/// the transcript's label); `participants` every participant credited (ids, `; `);
/// `attribution` as `attribution` writes it; `quote` the words spoken
/// ([`Segment::spoken_words`]: a passage of several turns without the labels between them).
pub fn segments(codebook: &Codebook, segments: &[Segment], attribution: &dyn Fn(&Segment) -> String) -> Table {
    let mut table = Table::new("Coded segments", &SEGMENT_COLUMNS);
    for s in segments {
        let entry = codebook.get(&s.coding.code);
        table.rows.push(Row::new(vec![
            s.coding.document.clone(),
            s.turn.clone().unwrap_or_default(),
            s.coding.start.to_string(),
            s.coding.end.to_string(),
            s.coding.code.clone(),
            entry.map(|e| e.name.clone()).unwrap_or_default(),
            entry.map(|e| e.kind.name().to_owned()).unwrap_or_default(),
            theme_of(codebook, &s.coding.code).map(|t| t.name.clone()).unwrap_or_default(),
            s.coding.coder.clone(),
            s.participant.clone().unwrap_or_default(),
            s.pseudonym.clone().unwrap_or_default(),
            s.role.clone().unwrap_or_default(),
            speaker_name(s),
            s.participants.join("; "),
            attribution(s),
            s.spoken_words(),
            s.coding.memo.clone(),
            s.coding.exemplar.to_string(),
        ]));
    }
    table
}

/// Who speaks where a segment starts, as exports may name them.
fn speaker_name(s: &Segment) -> String {
    use thema_core::attribution::{INTERVIEWER, UNIDENTIFIED};
    use thema_core::segment::Voicing;
    match s.voices.first().map(|v| &v.who) {
        Some(Voicing::Participant(_)) => s.pseudonym.clone().unwrap_or_else(|| UNIDENTIFIED.to_owned()),
        Some(Voicing::Interviewer) => INTERVIEWER.to_owned(),
        Some(Voicing::Unidentified) | None => UNIDENTIFIED.to_owned(),
    }
}

/// Column names of [`codings`].
pub const CODING_COLUMNS: [&str; 9] =
    ["document", "start", "end", "code", "coder", "time", "quote", "memo", "exemplar"];

/// Every coding of every coder as stored, one row each.
pub fn codings(codings: &[Coding]) -> Table {
    let mut table = Table::new("Codings", &CODING_COLUMNS);
    for c in codings {
        table.rows.push(Row::new(vec![
            c.document.clone(),
            c.start.to_string(),
            c.end.to_string(),
            c.code.clone(),
            c.coder.clone(),
            c.time.clone(),
            c.quote.clone(),
            c.memo.clone(),
            c.exemplar.to_string(),
        ]));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use thema_core::Relation;

    fn entry(id: &str, kind: EntryKind, parent: Option<&str>, role: Option<&str>) -> CodebookEntry {
        CodebookEntry {
            id: id.into(),
            name: id.replace('-', " "),
            kind,
            parent: parent.map(str::to_owned),
            role: role.map(str::to_owned),
            ..CodebookEntry::default()
        }
    }

    fn relation(from: &str, to: &str, label: &str) -> Relation {
        Relation { from: from.into(), to: to.into(), label: label.into(), note: String::new() }
    }

    /// The six themes of Palis et al. (2024) with two of their sub-themes, and the relations.
    fn palis() -> Codebook {
        let mut cb = Codebook::default();
        cb.entries.push(entry("shared-experience", EntryKind::Theme, None, Some("foundation")));
        for t in
            ["offering-hope", "building-respectful-relationships", "providing-consistent-support", "meeting-people"]
        {
            cb.entries.push(entry(t, EntryKind::Theme, None, Some("central")));
            cb.relations.push(relation("shared-experience", t, "foundation-of"));
            cb.relations.push(relation(t, "bridging-connections", "leads-to"));
        }
        cb.entries.push(entry("bridging-connections", EntryKind::Theme, None, Some("outcome")));
        cb.entries.push(entry("providing-reassurance", EntryKind::SubTheme, Some("offering-hope"), None));
        cb.entries.push(entry("a-way-out", EntryKind::SubTheme, Some("offering-hope"), None));
        cb.entries.push(entry("its-not-so-bad", EntryKind::Code, Some("providing-reassurance"), None));
        cb
    }

    fn segment(document: &str, start: usize, quote: &str, code: &str, who: &str, exemplar: bool) -> Segment {
        Segment {
            coding: Coding {
                document: document.into(),
                start,
                end: start + quote.chars().count(),
                quote: quote.into(),
                before: String::new(),
                after: String::new(),
                code: code.into(),
                coder: "hp".into(),
                time: String::new(),
                memo: String::new(),
                unplaced: false,
                exemplar,
            },
            turn: Some(format!("{document}:T1")),
            speaker: Some(who.into()),
            participant: Some(who.to_lowercase()),
            pseudonym: Some(who.into()),
            role: Some("Peer Mentor".into()),
            participants: vec![who.to_lowercase()],
            voices: vec![thema_core::segment::Voice {
                turn: format!("{document}:T1"),
                who: thema_core::segment::Voicing::Participant(who.to_lowercase()),
                start,
                end: start + quote.chars().count(),
            }],
        }
    }

    /// Quotes as the default style prints them, from the segment's own fields.
    fn quote(s: &Segment) -> String {
        format!("“{}” -{}, {}", s.coding.quote, s.pseudonym.as_deref().unwrap_or(""), s.role.as_deref().unwrap_or(""))
    }

    #[test]
    fn themes_in_the_order_a_paper_presents_them() {
        let cb = palis();
        let order: Vec<&str> = theme_order(&cb).iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            order,
            [
                "shared-experience",
                "building-respectful-relationships",
                "meeting-people",
                "offering-hope",
                "providing-consistent-support",
                "bridging-connections"
            ]
        );
        // Without roles, the relations alone put the foundation first and the outcome last.
        let mut bare = cb.clone();
        for e in &mut bare.entries {
            e.role = None;
        }
        let order: Vec<&str> = theme_order(&bare).iter().map(|e| e.id.as_str()).collect();
        assert_eq!(order.first(), Some(&"shared-experience"));
        assert_eq!(order.last(), Some(&"bridging-connections"));
    }

    #[test]
    fn theme_table_rows_and_marked_exemplars() {
        let cb = palis();
        let order: BTreeMap<String, u32> = [("fg1".to_owned(), 1), ("fg2".to_owned(), 2)].into_iter().collect();
        let long = "A lot of times these guys are scared and I tell them it's not so bad out here with us";
        let segments = vec![
            segment("fg2", 10, long, "its-not-so-bad", "Neil", false),
            segment("fg1", 50, "there is a way out", "a-way-out", "Mo", true),
        ];
        let table = themes(&cb, &segments, 2, &order, &quote);
        assert_eq!(table.rows.len(), 6);
        let hope = table.rows.iter().find(|r| r.cells[0] == "offering hope").unwrap();
        assert_eq!(hope.cells[1], "central");
        assert_eq!(hope.cells[2], "a way out\nproviding reassurance");
        // One segment is marked: only it is shown, and no note says quotes were picked by rule.
        assert_eq!(hope.cells[4], "“there is a way out” -Mo, Peer Mentor");
        assert!(table.notes.is_empty(), "{:?}", table.notes);
        // Unmarked: both are candidates, the 10-to-80-word quote first in rank, shown in document order.
        let unmarked: Vec<Segment> = segments
            .iter()
            .cloned()
            .map(|mut s| {
                s.coding.exemplar = false;
                s
            })
            .collect();
        let (chosen, how) = exemplars(&cb, &unmarked, "offering-hope", 1, &order);
        assert_eq!(how, Chosen::ByRule);
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].coding.quote, long);
        let table = themes(&cb, &unmarked, 2, &order, &quote);
        let hope = table.rows.iter().find(|r| r.cells[0] == "offering hope").unwrap();
        assert!(hope.cells[4].starts_with("“there is a way out” -Mo"), "{}", hope.cells[4]);
        assert!(table.notes[0].contains("offering hope"), "{:?}", table.notes);
    }

    #[test]
    fn codebook_rows_for_people_and_programs() {
        let mut cb = palis();
        cb.entries.iter_mut().find(|e| e.id == "its-not-so-bad").unwrap().in_vivo = true;
        let segments = vec![segment("fg2", 10, "it's not so bad", "its-not-so-bad", "Neil", false)];
        let counts = thema_core::segment::counts(&cb, &segments);
        let people = codebook(&cb, &counts, Audience::People);
        let code = people.rows.iter().find(|r| r.cells[0] == "“its not so bad”").unwrap();
        assert_eq!(code.level, 2);
        assert_eq!(code.cells[8..], ["1".to_owned(), "1".to_owned(), "1".to_owned()]);
        let hope = people.rows.iter().find(|r| r.cells[0] == "offering hope").unwrap();
        assert!(hope.emphasis);
        assert_eq!(hope.cells[8], "1", "descendants count for the theme");
        let programs = codebook(&cb, &counts, Audience::Programs);
        assert_eq!(programs.columns[..2], ["id".to_owned(), "parent".to_owned()]);
        assert!(programs.rows.iter().all(|r| r.level == 0));
    }
}
