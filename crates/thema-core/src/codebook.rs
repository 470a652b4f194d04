//! The codebook (`codebook.toml`): codes, categories, sub-themes and themes as a flat list with
//! parent ids, so that diffs stay small and merges rarely conflict, plus typed relations between
//! entries. Operations here keep the codebook valid (unique ids and names, existing parents, no
//! cycles); the caller saves it and records the decision.

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::document::slugify;

/// `codebook.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    /// Entries, sorted by id when saved.
    #[serde(default, rename = "entry", skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<CodebookEntry>,
    /// Typed relations between entries.
    #[serde(default, rename = "relation", skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
}

/// Where an entry stands in the hierarchy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// A code applied to segments.
    #[default]
    Code,
    /// A group of codes.
    Category,
    /// A part of a theme.
    SubTheme,
    /// A theme.
    Theme,
}

impl EntryKind {
    /// The name used on the command line and in files.
    pub fn name(self) -> &'static str {
        match self {
            EntryKind::Code => "code",
            EntryKind::Category => "category",
            EntryKind::SubTheme => "sub-theme",
            EntryKind::Theme => "theme",
        }
    }

    /// Parse `code`, `category`, `sub-theme` (or `subtheme`), `theme`.
    pub fn from_name(name: &str) -> Option<EntryKind> {
        match name.to_ascii_lowercase().as_str() {
            "code" => Some(EntryKind::Code),
            "category" => Some(EntryKind::Category),
            "sub-theme" | "subtheme" | "sub_theme" => Some(EntryKind::SubTheme),
            "theme" => Some(EntryKind::Theme),
            _ => None,
        }
    }
}

/// A code, category, sub-theme or theme, described as published codebooks describe entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodebookEntry {
    /// Stable id; codings refer to it, and it does not change when the entry is renamed.
    pub id: String,
    /// Name shown to people; for an in-vivo code, the participant's words.
    pub name: String,
    /// Code, category, sub-theme or theme.
    pub kind: EntryKind,
    /// Id of the parent entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Position among the entries with the same parent (1, 2, ...), set when the entry is made
    /// (after its siblings: the order of creation) and by `thema codebook move --before/--after`.
    /// Entries without one (codebooks from before the order existed) come first among their
    /// siblings, by name. The file itself stays sorted by id, so diffs and merges stay small.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<u32>,
    /// What the entry means.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub definition: String,
    /// When to apply it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub when_to_use: String,
    /// When not to apply it (and what to use instead).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub when_not_to_use: String,
    /// An example segment.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub example: String,
    /// Colour, `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// Named in the participant's own words.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_vivo: bool,
    /// Role of a theme: `central`, `foundation`, `outcome`, or any word the team uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The REFI-QDA GUID of an entry imported from another program, kept so that a later import
    /// of the same codebook matches it. Entries made in thema have none: their GUID is derived
    /// from their id when exported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
}

/// A typed, directed relation between two entries (`foundation-of`, `leads-to`, `part-of`,
/// `contrasts-with`, or any label the team uses).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// Source entry id.
    pub from: String,
    /// Target entry id.
    pub to: String,
    /// Label of the relation.
    pub label: String,
    /// Optional note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// Why a codebook change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CodebookError(pub String);

fn err<T>(message: impl Into<String>) -> Result<T, CodebookError> {
    Err(CodebookError(message.into()))
}

/// The order of two entries under one parent: entries without a position first (codebooks from
/// before positions existed), by name, then by position; ties (two positions given at once on
/// two branches that were then merged) by name, then id. Names compare in lower case, in
/// [`natural`] order.
pub fn sibling_order(a: &CodebookEntry, b: &CodebookEntry) -> std::cmp::Ordering {
    a.order
        .cmp(&b.order)
        .then_with(|| natural(&a.name.to_lowercase(), &b.name.to_lowercase()))
        .then_with(|| a.id.cmp(&b.id))
}

/// Names in natural order: runs of digits compare as numbers, so "Theme 2" comes before
/// "Theme 10".
pub fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    let chunks = |s: &str| {
        let mut out: Vec<(bool, String)> = Vec::new();
        for ch in s.chars() {
            let digit = ch.is_ascii_digit();
            match out.last_mut() {
                Some((d, run)) if *d == digit => run.push(ch),
                _ => out.push((digit, ch.to_string())),
            }
        }
        out
    };
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(&cb) {
        let order = if x.0 && y.0 {
            let (tx, ty) = (x.1.trim_start_matches('0'), y.1.trim_start_matches('0'));
            tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty))
        } else {
            x.1.cmp(&y.1)
        };
        if order.is_ne() {
            return order;
        }
    }
    ca.len().cmp(&cb.len()).then_with(|| a.cmp(b))
}

/// True for a colour written `#rrggbb`.
pub fn is_valid_colour(colour: &str) -> bool {
    colour.len() == 7 && colour.starts_with('#') && colour[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

impl Codebook {
    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&CodebookEntry> {
        self.entries.iter().find(|e| e.id == id)
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut CodebookEntry> {
        self.entries.iter_mut().find(|e| e.id == id)
    }

    /// The entry a researcher means: an id, or a name (ignoring case).
    pub fn resolve(&self, id_or_name: &str) -> Result<&CodebookEntry, CodebookError> {
        if let Some(entry) = self.get(id_or_name) {
            return Ok(entry);
        }
        let wanted = id_or_name.trim().to_lowercase();
        let matches: Vec<&CodebookEntry> = self.entries.iter().filter(|e| e.name.to_lowercase() == wanted).collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => {
                // Offer names: a typo in an id is answered with the entry's name, which resolves too.
                let names = self.entries.iter().map(|e| e.name.as_str());
                let ids = self.entries.iter().filter(|e| slugify(&e.name) != e.id).map(|e| e.id.as_str());
                let hint = crate::suggest::did_you_mean(id_or_name, names.chain(ids));
                err(format!("no code, category or theme `{id_or_name}` in the codebook{hint}"))
            }
            many => err(format!(
                "`{id_or_name}` names {} entries ({}); use an id",
                many.len(),
                many.iter().map(|e| format!("`{}`", e.id)).collect::<Vec<_>>().join(", ")
            )),
        }
    }

    /// An id not yet used, made from a name: `Offering hope` -> `offering-hope`.
    pub fn fresh_id(&self, name: &str) -> String {
        crate::document::fresh_id(name, "code", |id| self.get(id).is_some())
    }

    fn check_name(&self, name: &str, except: Option<&str>) -> Result<(), CodebookError> {
        let name = name.trim();
        if name.is_empty() {
            return err("a name cannot be empty");
        }
        if name.contains('\n') {
            return err("a name is one line");
        }
        if let Some(other) =
            self.entries.iter().find(|e| Some(e.id.as_str()) != except && e.name.to_lowercase() == name.to_lowercase())
        {
            return err(format!("`{name}` is already the name of `{}`", other.id));
        }
        Ok(())
    }

    /// Add an entry. Its id must be new, its name unused, its parent present.
    pub fn add(&mut self, entry: CodebookEntry) -> Result<(), CodebookError> {
        if !crate::document::is_valid_id(&entry.id) {
            return err(format!("`{}` is not a valid id (lowercase letters, digits, `-`, `_`, `.`)", entry.id));
        }
        if self.get(&entry.id).is_some() {
            return err(format!("the id `{}` is taken", entry.id));
        }
        self.check_name(&entry.name, None)?;
        if let Some(parent) = &entry.parent {
            if self.get(parent).is_none() {
                return err(format!("the parent `{parent}` is not in the codebook"));
            }
        }
        if let Some(colour) = &entry.colour {
            if !is_valid_colour(colour) {
                return err(format!("`{colour}` is not a colour like #1f77b4"));
            }
        }
        let mut entry = entry;
        if entry.order.is_none() {
            entry.order = Some(self.next_order(entry.parent.as_deref()));
        }
        self.entries.push(entry);
        Ok(())
    }

    /// The position after the last of `parent`'s children that has one.
    fn next_order(&self, parent: Option<&str>) -> u32 {
        let last = self.entries.iter().filter(|e| e.parent.as_deref() == parent).filter_map(|e| e.order).max();
        last.unwrap_or(0) + 1
    }

    /// `ids` put under `parent` after its children, in the order given.
    fn append_under(&mut self, parent: Option<&str>, ids: &[String]) {
        for id in ids {
            let order = self.next_order(parent);
            if let Some(e) = self.get_mut(id) {
                e.parent = parent.map(str::to_owned);
                e.order = Some(order);
            }
        }
    }

    /// The children of `parent` (`None`: the top level) in the codebook's order.
    fn children_in_order(&self, parent: Option<&str>) -> Vec<String> {
        let mut kids: Vec<&CodebookEntry> = self.entries.iter().filter(|e| e.parent.as_deref() == parent).collect();
        kids.sort_by(|a, b| sibling_order(a, b));
        kids.into_iter().map(|e| e.id.clone()).collect()
    }

    /// Put `id` just before (or after) `anchor`, under `anchor`'s parent, and number that
    /// parent's children 1, 2, ... in their new order. Returns the parent it had before.
    pub fn place(&mut self, id: &str, anchor: &str, after: bool) -> Result<Option<String>, CodebookError> {
        if id == anchor {
            return err(format!("`{id}` cannot move before or after itself"));
        }
        let parent = self.get(anchor).ok_or_else(|| CodebookError(format!("no entry `{anchor}`")))?.parent.clone();
        let old = self.get(id).ok_or_else(|| CodebookError(format!("no entry `{id}`")))?.parent.clone();
        if self.descendants(id).contains(anchor) {
            return err(format!("`{anchor}` lies under `{id}`, so `{id}` cannot move beside it"));
        }
        let mut siblings: Vec<String> =
            self.children_in_order(parent.as_deref()).into_iter().filter(|s| s != id).collect();
        let at = siblings.iter().position(|s| s == anchor).unwrap_or(siblings.len()) + usize::from(after);
        siblings.insert(at, id.to_owned());
        for (n, sibling) in siblings.iter().enumerate() {
            if let Some(e) = self.get_mut(sibling) {
                e.parent.clone_from(&parent);
                e.order = Some(u32::try_from(n + 1).unwrap_or(u32::MAX));
            }
        }
        Ok(old)
    }

    /// Rename an entry; its id stays.
    pub fn rename(&mut self, id: &str, name: &str) -> Result<String, CodebookError> {
        self.check_name(name, Some(id))?;
        let entry = self.get_mut(id).ok_or_else(|| CodebookError(format!("no entry `{id}`")))?;
        Ok(std::mem::replace(&mut entry.name, name.trim().to_owned()))
    }

    /// Ids of the entry and everything under it.
    pub fn descendants(&self, id: &str) -> BTreeSet<String> {
        let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for e in &self.entries {
            if let Some(p) = &e.parent {
                children.entry(p.as_str()).or_default().push(&e.id);
            }
        }
        let mut out = BTreeSet::new();
        let mut stack = vec![id];
        while let Some(current) = stack.pop() {
            if out.insert(current.to_owned()) {
                stack.extend(children.get(current).into_iter().flatten());
            }
        }
        out
    }

    /// The entries above `id`, nearest first (its parent, the parent's parent, ...): the one
    /// walk up the hierarchy. It stops at a parent missing from the codebook and after as many
    /// steps as there are entries, so a damaged codebook with a cycle cannot loop.
    pub fn ancestors<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a CodebookEntry> + 'a {
        let first = self.get(id).and_then(|e| e.parent.as_deref()).and_then(|p| self.get(p));
        std::iter::successors(first, move |e| e.parent.as_deref().and_then(|p| self.get(p))).take(self.entries.len())
    }

    /// The entry a code counts as at `kind`: the code itself if it is of that kind, else its
    /// nearest ancestor of that kind; `None` when it has none (a code outside every theme has no
    /// theme). `Code` keeps every entry as it is.
    pub fn rolled_up(&self, id: &str, kind: EntryKind) -> Option<&CodebookEntry> {
        let entry = self.get(id)?;
        if kind == EntryKind::Code || entry.kind == kind {
            return Some(entry);
        }
        self.ancestors(id).find(|e| e.kind == kind)
    }

    /// True when one of two entries is above the other.
    pub fn is_nested(&self, a: &str, b: &str) -> bool {
        self.ancestors(a).any(|e| e.id == b) || self.ancestors(b).any(|e| e.id == a)
    }

    /// Move an entry under another (or to the top with `None`), refusing cycles.
    pub fn move_to(&mut self, id: &str, parent: Option<&str>) -> Result<Option<String>, CodebookError> {
        if let Some(p) = parent {
            if self.get(p).is_none() {
                return err(format!("the parent `{p}` is not in the codebook"));
            }
            if p == id {
                return err(format!("`{id}` cannot move under itself"));
            }
            if self.descendants(id).contains(p) {
                return err(format!(
                    "`{p}` lies under `{id}`, so `{id}` cannot move under it (that would make a cycle)"
                ));
            }
        }
        let old = self.get(id).ok_or_else(|| CodebookError(format!("no entry `{id}`")))?.parent.clone();
        if old.as_deref() != parent {
            self.append_under(parent, &[id.to_owned()]);
        }
        Ok(old)
    }

    /// Merge `from` into `into`: children and relations move to the survivor and `from` is
    /// removed. (Codings are the caller's: they live outside the codebook.)
    pub fn merge(&mut self, from: &str, into: &str) -> Result<(), CodebookError> {
        if from == into {
            return err("an entry cannot be merged into itself");
        }
        if self.get(from).is_none() || self.get(into).is_none() {
            return err(format!("both `{from}` and `{into}` must be in the codebook"));
        }
        if self.descendants(from).contains(into) {
            return err(format!("`{into}` lies under `{from}`; move it out first"));
        }
        let children = self.children_in_order(Some(from));
        self.append_under(Some(into), &children);
        for r in &mut self.relations {
            if r.from == from {
                r.from = into.to_owned();
            }
            if r.to == from {
                r.to = into.to_owned();
            }
        }
        self.relations.retain(|r| r.from != r.to);
        let mut seen = BTreeSet::new();
        self.relations.retain(|r| seen.insert((r.from.clone(), r.to.clone(), r.label.clone())));
        self.entries.retain(|e| e.id != from);
        Ok(())
    }

    /// Delete an entry; its children move up to its parent and its relations go.
    pub fn delete(&mut self, id: &str) -> Result<CodebookEntry, CodebookError> {
        let position =
            self.entries.iter().position(|e| e.id == id).ok_or_else(|| CodebookError(format!("no entry `{id}`")))?;
        let children = self.children_in_order(Some(id));
        let removed = self.entries.remove(position);
        self.append_under(removed.parent.as_deref(), &children);
        self.relations.retain(|r| r.from != id && r.to != id);
        Ok(removed)
    }

    /// Add a relation (or replace the note of an existing one with the same ends and label).
    pub fn relate(&mut self, from: &str, to: &str, label: &str, note: &str) -> Result<(), CodebookError> {
        let label = label.trim();
        if label.is_empty() || label.contains(char::is_whitespace) {
            return err(format!("`{label}` is not a relation label: use one word like `foundation-of` or `leads-to`"));
        }
        if from == to {
            return err("an entry cannot be related to itself");
        }
        for end in [from, to] {
            if self.get(end).is_none() {
                return err(format!("no entry `{end}`"));
            }
        }
        match self.relations.iter_mut().find(|r| r.from == from && r.to == to && r.label == label) {
            Some(r) => r.note = note.to_owned(),
            None => self.relations.push(Relation {
                from: from.into(),
                to: to.into(),
                label: label.into(),
                note: note.into(),
            }),
        }
        Ok(())
    }

    /// Every problem with the codebook: duplicate ids or names, missing parents, cycles,
    /// relations to missing entries, bad colours.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        let mut names = BTreeMap::new();
        for e in &self.entries {
            if !ids.insert(e.id.as_str()) {
                problems.push(format!("entry id `{}` is used twice", e.id));
            }
            if let Some(first) = names.insert(e.name.to_lowercase(), e.id.as_str()) {
                problems.push(format!("entries `{first}` and `{}` have the same name `{}`", e.id, e.name));
            }
            if let Some(colour) = &e.colour {
                if !is_valid_colour(colour) {
                    problems.push(format!("entry `{}` has colour `{colour}`, not like #1f77b4", e.id));
                }
            }
        }
        let parents: BTreeMap<&str, &str> =
            self.entries.iter().filter_map(|e| e.parent.as_deref().map(|p| (e.id.as_str(), p))).collect();
        for (child, parent) in &parents {
            if !ids.contains(parent) {
                problems.push(format!("entry `{child}` has parent `{parent}`, which does not exist"));
            }
        }
        // A cycle: following parents from an entry comes back to it.
        let mut reported = BTreeSet::new();
        for start in parents.keys() {
            let mut path = vec![*start];
            let mut current = *start;
            while let Some(&next) = parents.get(current) {
                if let Some(at) = path.iter().position(|p| *p == next) {
                    let cycle: BTreeSet<&str> = path[at..].iter().copied().collect();
                    if reported.insert(cycle.iter().map(|s| s.to_string()).collect::<Vec<_>>()) {
                        let mut shown: Vec<&str> = path[at..].to_vec();
                        shown.push(next);
                        problems.push(format!("the hierarchy has a cycle: {}", shown.join(" -> ")));
                    }
                    break;
                }
                path.push(next);
                current = next;
            }
        }
        for r in &self.relations {
            for end in [&r.from, &r.to] {
                if !ids.contains(end.as_str()) {
                    problems.push(format!(
                        "relation `{}` from `{}` to `{}` names `{end}`, which does not exist",
                        r.label, r.from, r.to
                    ));
                }
            }
        }
        problems
    }

    /// Entries in tree order (parents before children, siblings in the codebook's order), with
    /// their depth.
    /// Entries caught in a cycle or under a missing parent come last, at depth 0.
    pub fn tree(&self) -> Vec<(usize, &CodebookEntry)> {
        let mut children: BTreeMap<Option<&str>, Vec<&CodebookEntry>> = BTreeMap::new();
        for e in &self.entries {
            let parent = e.parent.as_deref().filter(|p| self.get(p).is_some());
            children.entry(parent).or_default().push(e);
        }
        for list in children.values_mut() {
            list.sort_by(|a, b| sibling_order(a, b));
        }
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(usize, &CodebookEntry)> =
            children.get(&None).into_iter().flatten().rev().map(|e| (0, *e)).collect();
        while let Some((depth, entry)) = stack.pop() {
            if !seen.insert(entry.id.as_str()) {
                continue;
            }
            out.push((depth, entry));
            if let Some(kids) = children.get(&Some(entry.id.as_str())) {
                stack.extend(kids.iter().rev().map(|e| (depth + 1, *e)));
            }
        }
        for e in &self.entries {
            if !seen.contains(e.id.as_str()) {
                out.push((0, e));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, name: &str, kind: EntryKind, parent: Option<&str>) -> CodebookEntry {
        CodebookEntry {
            id: id.into(),
            name: name.into(),
            kind,
            parent: parent.map(Into::into),
            ..CodebookEntry::default()
        }
    }

    fn sample() -> Codebook {
        let mut cb = Codebook::default();
        cb.add(entry("hope", "Offering hope", EntryKind::Theme, None)).unwrap();
        cb.add(entry("way-out", "showing clients a way out", EntryKind::SubTheme, Some("hope"))).unwrap();
        cb.add(entry("revolving-door", "revolving door", EntryKind::Code, Some("way-out"))).unwrap();
        cb.add(entry("shared", "Relying on shared experience", EntryKind::Theme, None)).unwrap();
        cb
    }

    #[test]
    fn ancestors_nearest_first_and_the_rolled_up_entry() {
        let mut cb = sample();
        cb.add(entry("loose", "a loose code", EntryKind::Code, None)).unwrap();
        let up: Vec<&str> = cb.ancestors("revolving-door").map(|e| e.id.as_str()).collect();
        assert_eq!(up, ["way-out", "hope"]);
        assert_eq!(cb.ancestors("hope").count(), 0);
        assert_eq!(cb.rolled_up("revolving-door", EntryKind::Theme).map(|e| e.id.as_str()), Some("hope"));
        assert_eq!(cb.rolled_up("way-out", EntryKind::SubTheme).map(|e| e.id.as_str()), Some("way-out"));
        // A code under no theme has no theme: it is not counted as one.
        assert_eq!(cb.rolled_up("loose", EntryKind::Theme), None);
        assert_eq!(cb.rolled_up("loose", EntryKind::Code).map(|e| e.id.as_str()), Some("loose"));
        assert!(cb.is_nested("revolving-door", "hope") && cb.is_nested("hope", "revolving-door"));
        assert!(!cb.is_nested("revolving-door", "shared"));
        // A damaged codebook with a cycle ends the walk.
        cb.entries.iter_mut().find(|e| e.id == "hope").unwrap().parent = Some("revolving-door".into());
        assert_eq!(cb.ancestors("revolving-door").count(), cb.entries.len());
        assert_eq!(cb.rolled_up("revolving-door", EntryKind::Category), None);
    }

    #[test]
    fn resolve_by_id_or_name() {
        let cb = sample();
        assert_eq!(cb.resolve("hope").unwrap().id, "hope");
        assert_eq!(cb.resolve("offering HOPE").unwrap().id, "hope");
        let e = cb.resolve("door").unwrap_err().to_string();
        assert_eq!(e, "no code, category or theme `door` in the codebook; did you mean `revolving door`?");
        let e = cb.resolve("ofering hope").unwrap_err().to_string();
        assert_eq!(e, "no code, category or theme `ofering hope` in the codebook; did you mean `Offering hope`?");
        let e = cb.resolve("hpoe").unwrap_err().to_string();
        assert_eq!(e, "no code, category or theme `hpoe` in the codebook; did you mean `hope`?");
        let e = cb.resolve("sahred").unwrap_err().to_string();
        assert!(e.ends_with("did you mean `shared`?"), "{e}");
        assert!(!cb.resolve("grief").unwrap_err().to_string().contains("did you mean"));
        assert_eq!(cb.fresh_id("Offering hope"), "offering-hope");
        assert_eq!(cb.fresh_id("hope"), "hope-2");
    }

    #[test]
    fn adds_refuse_duplicates_and_missing_parents() {
        let mut cb = sample();
        assert!(cb
            .add(entry("x", "offering hope", EntryKind::Code, None))
            .unwrap_err()
            .0
            .contains("already the name of `hope`"));
        assert!(cb.add(entry("hope", "Other", EntryKind::Code, None)).unwrap_err().0.contains("taken"));
        assert!(cb.add(entry("y", "Y", EntryKind::Code, Some("nope"))).unwrap_err().0.contains("parent `nope`"));
        let mut bad = entry("z", "Z", EntryKind::Code, None);
        bad.colour = Some("red".into());
        assert!(cb.add(bad).is_err());
    }

    #[test]
    fn moves_refuse_cycles_and_merges_carry_children() {
        let mut cb = sample();
        assert_eq!(
            cb.move_to("hope", Some("revolving-door")).unwrap_err().0,
            "`revolving-door` lies under `hope`, so `hope` cannot move under it (that would make a cycle)"
        );
        assert!(cb.move_to("hope", Some("hope")).is_err());
        assert_eq!(cb.move_to("revolving-door", Some("shared")).unwrap(), Some("way-out".into()));
        cb.relate("shared", "hope", "foundation-of", "").unwrap();
        cb.merge("shared", "hope").unwrap();
        assert_eq!(cb.get("revolving-door").unwrap().parent.as_deref(), Some("hope"));
        assert!(cb.relations.is_empty(), "a relation to itself is dropped");
        assert!(cb.get("shared").is_none());
        let removed = cb.delete("way-out").unwrap();
        assert_eq!(removed.name, "showing clients a way out");
        assert!(cb.problems().is_empty());
    }

    #[test]
    fn problems_name_cycles() {
        let mut cb = sample();
        cb.entries[0].parent = Some("revolving-door".into());
        assert_eq!(cb.problems(), ["the hierarchy has a cycle: hope -> revolving-door -> way-out -> hope"]);
        // The tree still lists every entry once.
        assert_eq!(cb.tree().len(), 4);
    }

    fn ids(cb: &Codebook) -> Vec<(usize, &str)> {
        cb.tree().into_iter().map(|(d, e)| (d, e.id.as_str())).collect()
    }

    #[test]
    fn entries_keep_the_order_of_creation_and_of_moves() {
        // Made in an order that is not the alphabet's: the tree keeps it.
        let mut cb = Codebook::default();
        for (id, parent) in
            [("zeal", None), ("care", None), ("b", Some("zeal")), ("a", Some("zeal")), ("c", Some("zeal"))]
        {
            cb.add(entry(id, &id.to_uppercase(), EntryKind::Code, parent)).unwrap();
        }
        assert_eq!(ids(&cb), [(0, "zeal"), (1, "b"), (1, "a"), (1, "c"), (0, "care")]);
        assert_eq!(cb.get("c").unwrap().order, Some(3));
        // Before and after a sibling: the siblings are numbered 1, 2, 3 again.
        cb.place("c", "b", false).unwrap();
        assert_eq!(ids(&cb), [(0, "zeal"), (1, "c"), (1, "b"), (1, "a"), (0, "care")]);
        let orders: Vec<Option<u32>> = ["c", "b", "a"].iter().map(|id| cb.get(id).unwrap().order).collect();
        assert_eq!(orders, [Some(1), Some(2), Some(3)]);
        cb.place("care", "zeal", false).unwrap();
        cb.place("c", "a", true).unwrap();
        assert_eq!(ids(&cb), [(0, "care"), (0, "zeal"), (1, "b"), (1, "a"), (1, "c")]);
        // Across parents: beside an entry under another parent, the entry moves under it.
        assert_eq!(cb.place("a", "care", true).unwrap(), Some("zeal".into()));
        assert_eq!(ids(&cb), [(0, "care"), (0, "a"), (0, "zeal"), (1, "b"), (1, "c")]);
        // A move under a new parent puts the entry after its new siblings.
        cb.move_to("care", Some("zeal")).unwrap();
        assert_eq!(ids(&cb), [(0, "a"), (0, "zeal"), (1, "b"), (1, "c"), (1, "care")]);
        // Never beside something under itself, nor beside itself.
        assert_eq!(
            cb.place("zeal", "b", false).unwrap_err().0,
            "`b` lies under `zeal`, so `zeal` cannot move beside it"
        );
        assert!(cb.place("b", "b", true).is_err());
        // Deleting a parent puts its children after its siblings, in their order.
        cb.delete("zeal").unwrap();
        assert_eq!(ids(&cb), [(0, "a"), (0, "b"), (0, "c"), (0, "care")]);
        assert!(cb.problems().is_empty());
    }

    #[test]
    fn entries_without_an_order_come_first_by_name() {
        // A codebook from before the order existed: siblings by name, as they always were.
        let mut cb = Codebook::default();
        for (id, name) in [("x2", "Theme 10"), ("x1", "Theme 2"), ("x3", "anger")] {
            cb.entries.push(entry(id, name, EntryKind::Theme, None));
        }
        assert_eq!(ids(&cb), [(0, "x3"), (0, "x1"), (0, "x2")]);
        // A new entry goes after them; moving one numbers them all.
        cb.add(entry("new", "Aaa", EntryKind::Theme, None)).unwrap();
        assert_eq!(cb.get("new").unwrap().order, Some(1));
        assert_eq!(ids(&cb), [(0, "x3"), (0, "x1"), (0, "x2"), (0, "new")]);
        cb.place("x2", "x3", false).unwrap();
        assert_eq!(ids(&cb), [(0, "x2"), (0, "x3"), (0, "x1"), (0, "new")]);
        assert!(cb.entries.iter().all(|e| e.order.is_some()));
    }

    #[test]
    fn names_sort_in_natural_order() {
        let mut names = vec!["Theme 10", "Theme 2", "Theme 1", "Theme", "theme 3"];
        names.sort_by(|a, b| natural(a, b));
        assert_eq!(names, ["Theme", "Theme 1", "Theme 2", "Theme 10", "theme 3"]);
    }

    #[test]
    fn tree_order() {
        let cb = sample();
        let order: Vec<(usize, &str)> = cb.tree().into_iter().map(|(d, e)| (d, e.id.as_str())).collect();
        assert_eq!(order, [(0, "hope"), (1, "way-out"), (2, "revolving-door"), (0, "shared")]);
    }
}

/// One difference between two versions of a codebook, in words.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// `added`, `removed`, `merged`, `renamed`, `moved`, `described`, `related`, `unrelated`.
    pub action: String,
    /// What changed, in words.
    pub what: String,
}

/// What changed from `old` to `new`. Entries are matched by id. A removed entry reads as merged
/// when `merges` (from the decision log: removed id, survivor id) says so and the survivor is in
/// `new`, or when its children all moved under one other entry (not its own parent).
pub fn diff(old: &Codebook, new: &Codebook, merges: &[(String, String)]) -> Vec<Change> {
    let mut changes = Vec::new();
    let name = |cb: &Codebook, id: &str| cb.get(id).map_or(format!("`{id}`"), |e| format!("`{}`", e.name));
    let place =
        |cb: &Codebook, parent: &Option<String>| parent.as_deref().map_or("the top level".to_owned(), |p| name(cb, p));
    // Removed entries, and the ones that read as merged: id -> survivor.
    let mut merged_into: BTreeMap<&str, &str> = BTreeMap::new();
    let mut removed = Vec::new();
    for o in old.entries.iter().filter(|o| new.get(&o.id).is_none()) {
        let children: Vec<&str> =
            old.entries.iter().filter(|c| c.parent.as_deref() == Some(&o.id)).map(|c| c.id.as_str()).collect();
        let new_parents: BTreeSet<Option<&str>> =
            children.iter().filter_map(|c| new.get(c)).map(|c| c.parent.as_deref()).collect();
        let logged = merges.iter().rev().find(|(from, into)| from == &o.id && new.get(into).is_some());
        if let Some((_, into)) = logged {
            merged_into.insert(&o.id, into);
            removed.push(Change { action: "merged".into(), what: format!("`{}` into {}", o.name, name(new, into)) });
            continue;
        }
        match new_parents.iter().next() {
            Some(Some(p)) if new_parents.len() == 1 && Some(*p) != o.parent.as_deref() && !children.is_empty() => {
                merged_into.insert(&o.id, p);
                removed.push(Change { action: "merged".into(), what: format!("`{}` into {}", o.name, name(new, p)) });
            }
            _ => removed.push(Change { action: "removed".into(), what: format!("{} `{}`", o.kind.name(), o.name) }),
        }
    }
    let mut push = |action: &str, what: String| changes.push(Change { action: action.into(), what });
    for e in &new.entries {
        match old.get(&e.id) {
            None => push("added", format!("{} `{}` under {}", e.kind.name(), e.name, place(new, &e.parent))),
            Some(o) => {
                if o.name != e.name {
                    push("renamed", format!("`{}` to `{}`", o.name, e.name));
                }
                let followed_merge =
                    o.parent.as_deref().and_then(|p| merged_into.get(p)).copied() == e.parent.as_deref();
                if o.parent != e.parent && !followed_merge {
                    push("moved", format!("`{}` from {} to {}", e.name, place(old, &o.parent), place(new, &e.parent)));
                }
                let mut fields = Vec::new();
                for (label, a, b) in [
                    ("definition", &o.definition, &e.definition),
                    ("when to use", &o.when_to_use, &e.when_to_use),
                    ("when not to use", &o.when_not_to_use, &e.when_not_to_use),
                    ("example", &o.example, &e.example),
                ] {
                    if a != b {
                        fields.push(label);
                    }
                }
                if o.kind != e.kind {
                    fields.push("kind");
                }
                if o.role != e.role {
                    fields.push("role");
                }
                if o.colour != e.colour {
                    fields.push("colour");
                }
                if !fields.is_empty() {
                    push("described", format!("{} of `{}`", fields.join(", "), e.name));
                }
            }
        }
    }
    changes.extend(removed);
    let key = |r: &Relation| (r.from.clone(), r.to.clone(), r.label.clone());
    let old_relations: BTreeSet<_> = old.relations.iter().map(key).collect();
    let new_relations: BTreeSet<_> = new.relations.iter().map(key).collect();
    for (from, to, label) in new_relations.difference(&old_relations) {
        changes
            .push(Change { action: "related".into(), what: format!("{} {label} {}", name(new, from), name(new, to)) });
    }
    for (from, to, label) in old_relations.difference(&new_relations) {
        changes.push(Change {
            action: "unrelated".into(),
            what: format!("{} {label} {}", name(old, from), name(old, to)),
        });
    }
    changes
}

#[cfg(test)]
mod diff_tests {
    use super::*;

    #[test]
    fn words_for_each_kind_of_change() {
        let e = |id: &str, name: &str, parent: Option<&str>| CodebookEntry {
            id: id.into(),
            name: name.into(),
            parent: parent.map(Into::into),
            ..Default::default()
        };
        let mut old = Codebook::default();
        for entry in [
            e("hope", "Hope", None),
            e("way", "way out", Some("hope")),
            e("door", "door", Some("way")),
            e("x", "X", None),
            e("gone", "Gone", None),
        ] {
            old.add(entry).unwrap();
        }
        let mut new = old.clone();
        new.rename("hope", "Offering hope").unwrap();
        new.merge("way", "x").unwrap();
        new.delete("gone").unwrap();
        new.add(e("new", "Reassurance", Some("hope"))).unwrap();
        new.relate("hope", "x", "leads-to", "").unwrap();
        new.move_to("x", Some("hope")).unwrap();
        new.merge("door", "x").unwrap();
        let logged = [("way".to_owned(), "x".to_owned()), ("door".to_owned(), "x".to_owned())];
        let words: Vec<String> =
            diff(&old, &new, &logged).into_iter().map(|c| format!("{} {}", c.action, c.what)).collect();
        assert_eq!(
            words,
            [
                "renamed `Hope` to `Offering hope`",
                "moved `X` from the top level to `Offering hope`",
                "added code `Reassurance` under `Offering hope`",
                "merged `way out` into `X`",
                "merged `door` into `X`",
                "removed code `Gone`",
                "related `Offering hope` leads-to `X`",
            ]
        );
        // Without the log, a merged code with no children reads as removed.
        assert!(diff(&old, &new, &[]).contains(&Change { action: "removed".into(), what: "code `door`".into() }));
    }
}
