//! The code picker: what the researcher has typed, the entries that match it ranked best first
//! (a name that starts with it, one that holds it, an id or path that holds it, its letters in
//! order close together), and a new entry read from what was typed.

use thema_core::EntryKind;

/// A codebook entry in the picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Entry id.
    pub id: String,
    /// Entry name.
    pub name: String,
    /// Names from the top of the tree down to this entry, joined by ` / `.
    pub path: String,
    /// How deep in the tree (0 at the top).
    pub depth: usize,
    /// Code, category, sub-theme or theme.
    pub kind: EntryKind,
    /// The coder's codings with it, in the whole study.
    pub count: usize,
    /// Its colour, `#rrggbb`, if the codebook gives one.
    pub colour: Option<String>,
}

/// The picker's list, filtered as the researcher types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Picker {
    /// What has been typed.
    pub filter: String,
    /// Index into [`Picker::matches`] of the highlighted entry; one past the last is the new
    /// code named by the filter (see [`Picker::offers_new`]).
    pub chosen: usize,
    /// Indexes into the workbench's codebook (its [`Choice`]s, in tree order) of the entries that
    /// match, best first.
    pub matches: Vec<usize>,
    /// Only these entry ids are offered (uncoding, where the selection holds several codes).
    pub only: Option<Vec<String>>,
}

impl Picker {
    /// Whether the last row makes a new entry of what was typed (when coding, not uncoding).
    pub fn offers_new(&self) -> bool {
        self.only.is_none() && !NewEntry::parse(&self.filter).name.is_empty()
    }

    /// Rows: the matches, and the new code if offered.
    pub fn rows(&self) -> usize {
        self.matches.len() + usize::from(self.offers_new())
    }
}

/// A new codebook entry as typed in the picker: `[KIND:] [PARENT /] NAME`, so `theme: Offering
/// hope` makes a theme and `Offering hope / fresh start` a code under the entry "Offering hope".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry {
    /// Code unless a kind (`theme:`, `sub-theme:`, `category:`, `code:`) leads the text.
    pub kind: EntryKind,
    /// The parent's id or name, as typed.
    pub parent: Option<String>,
    /// The entry's name.
    pub name: String,
}

impl NewEntry {
    /// Read what was typed.
    pub fn parse(typed: &str) -> NewEntry {
        let (kind, rest) = match typed.split_once(':') {
            Some((kind, rest)) => match EntryKind::from_name(kind.trim()) {
                Some(kind) => (kind, rest),
                None => (EntryKind::Code, typed),
            },
            None => (EntryKind::Code, typed),
        };
        let (parent, name) = match rest.rsplit_once('/') {
            Some((parent, name)) if !parent.trim().is_empty() => (Some(parent.trim().to_owned()), name),
            _ => (None, rest),
        };
        NewEntry { kind, parent, name: name.trim().to_owned() }
    }

    /// `new theme “Offering hope”`, `new code “fresh start” under “Offering hope”`.
    pub fn describe(&self) -> String {
        let under = self.parent.as_ref().map_or(String::new(), |p| format!(" under “{p}”"));
        format!("new {} “{}”{under}", self.kind.name(), self.name)
    }
}

/// How well `filter` matches an entry: 0 a name that starts with it, 1 a name that holds it, 2
/// an id or path that holds it, 3 its letters in order and close together in the name or id
/// (fuzzy: `rsexp` finds `relying-on-shared-experience`); `None`, no match. Case is ignored.
fn score(choice: &Choice, filter: &str) -> Option<u8> {
    let filter = filter.to_lowercase();
    let name = choice.name.to_lowercase();
    if name.starts_with(&filter) {
        Some(0)
    } else if name.contains(&filter) {
        Some(1)
    } else if choice.id.to_lowercase().contains(&filter) || choice.path.to_lowercase().contains(&filter) {
        Some(2)
    } else if [&name, &choice.id.to_lowercase()].iter().any(|text| close_in_order(text, &filter)) {
        Some(3)
    } else {
        None
    }
}

/// Whether the characters of `wanted` (spaces aside) appear in `text` in order within a stretch
/// at most twice as long as `wanted`, and one: letters scattered over a long name are no match.
pub(crate) fn close_in_order(text: &str, wanted: &str) -> bool {
    let wanted: Vec<char> = wanted.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(&first) = wanted.first() else { return true };
    let text: Vec<char> = text.chars().collect();
    let most = wanted.len() * 2 + 1;
    (0..text.len()).filter(|&i| text[i] == first).any(|start| {
        let mut at = start;
        for &w in &wanted[1..] {
            match text[at + 1..].iter().position(|&c| c == w) {
                Some(p) => at += 1 + p,
                None => return false,
            }
        }
        at + 1 - start <= most
    })
}

/// The entries `offered` that match `filter`, best match first, ties in codebook (tree) order.
pub fn rank(codebook: &[Choice], filter: &str, offered: impl Fn(&Choice) -> bool) -> Vec<usize> {
    let mut scored: Vec<(u8, usize)> = codebook
        .iter()
        .enumerate()
        .filter(|(_, c)| offered(c))
        .filter_map(|(i, c)| score(c, filter).map(|s| (s, i)))
        .collect();
    scored.sort();
    scored.into_iter().map(|(_, i)| i).collect()
}
