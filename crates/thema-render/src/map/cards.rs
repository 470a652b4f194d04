//! The codebook as a tree (`Model`), its cards and the links between them.

use super::*;

/// The entries (the first of each id), their parents and children, and the relations.
pub(super) struct Model<'a> {
    pub(super) entries: Vec<&'a MapEntry>,
    /// The parent of each entry: none for a theme, an unknown id or the entry with the smallest
    /// id of a cycle.
    pub(super) parent: Vec<Option<usize>>,
    /// The children of each entry, in the order given.
    pub(super) children: Vec<Vec<usize>>,
    /// The relations whose ends are both known: from, to, and the index in the input.
    pub(super) relations: Vec<(usize, usize, usize)>,
    pub(super) labels: Vec<&'a str>,
}

impl<'a> Model<'a> {
    /// The model of a codebook, and the problems found (the entries and relations with a problem
    /// are left out of the model).
    pub(super) fn new(entries: &'a [MapEntry], relations: &'a [MapRelation]) -> (Model<'a>, Vec<MapProblem>) {
        let mut problems = Vec::new();
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        let mut kept = Vec::new();
        for entry in entries {
            if index.contains_key(entry.id.as_str()) {
                let problem = MapProblem::DuplicateId { id: entry.id.clone() };
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            } else {
                index.insert(entry.id.as_str(), kept.len());
                kept.push(entry);
            }
        }
        let mut parent: Vec<Option<usize>> = kept
            .iter()
            .enumerate()
            .map(|(i, e)| match e.kind {
                MapKind::Theme => None,
                _ => e.parent.as_deref().and_then(|p| index.get(p).copied()).filter(|&p| p != i),
            })
            .collect();
        // Break cycles of parents at the entry with the smallest id. Each entry has one parent,
        // so a walk up from any entry ends at the top, at an entry already walked, or in a cycle
        // on the walk itself; one walk from each entry finds every cycle once.
        let mut state = vec![0u8; kept.len()]; // 0 unseen, 1 on this walk, 2 done
        for start in 0..kept.len() {
            let mut path = Vec::new();
            let mut at = Some(start);
            while let Some(a) = at {
                match state[a] {
                    0 => {
                        state[a] = 1;
                        path.push(a);
                        at = parent[a];
                    }
                    1 => {
                        let from = path.iter().position(|&q| q == a).unwrap_or(0);
                        if let Some(cut) = path[from..].iter().copied().min_by(|&x, &y| kept[x].id.cmp(&kept[y].id)) {
                            parent[cut] = None;
                        }
                        at = None;
                    }
                    _ => at = None,
                }
            }
            for a in path {
                state[a] = 2;
            }
        }
        let mut children = vec![Vec::new(); kept.len()];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let mut known = Vec::new();
        let mut labels = Vec::new();
        for (k, relation) in relations.iter().enumerate() {
            let from = index.get(relation.from.as_str()).copied();
            let to = index.get(relation.to.as_str()).copied();
            for (end, id) in [(from, &relation.from), (to, &relation.to)] {
                if end.is_none() {
                    let problem = MapProblem::UnknownEntry {
                        relation: k + 1,
                        from: relation.from.clone(),
                        to: relation.to.clone(),
                        id: id.clone(),
                    };
                    if !problems.contains(&problem) {
                        problems.push(problem);
                    }
                }
            }
            if let (Some(from), Some(to)) = (from, to) {
                known.push((from, to, k));
            }
            labels.push(relation.label.trim());
        }
        (Model { entries: kept, parent, children, relations: known, labels }, problems)
    }

    pub(super) fn is_visible(&self, e: usize, codes: bool) -> bool {
        codes || matches!(self.entries[e].kind, MapKind::Theme | MapKind::SubTheme)
    }
}

/// A card before it is placed.
pub(super) struct CardInfo {
    /// The theme or sub-theme; none for "Not in a theme".
    pub(super) root: Option<usize>,
    pub(super) id: String,
    pub(super) name: String,
    pub(super) role: Option<String>,
    /// The entries listed on the card, in order, with their depth (1 under the header).
    pub(super) lines: Vec<(usize, usize)>,
}

impl CardInfo {
    /// Cards sort in the order their entries are given (the codebook's order), "Not in a theme"
    /// last.
    pub(super) fn sort_key(&self) -> (bool, usize) {
        (self.root.is_none(), self.root.unwrap_or(usize::MAX))
    }
}

/// The cards of a codebook, and the card each entry is on (or, hidden, belongs to).
pub(super) struct Cards {
    pub(super) infos: Vec<CardInfo>,
    pub(super) card_of: Vec<Option<usize>>,
}

pub(super) const NOT_IN_A_THEME: &str = "Not in a theme";

pub(super) fn plan_cards(model: &Model<'_>, codes: bool) -> Cards {
    let n = model.entries.len();
    // The card root of each entry: its theme; else the topmost sub-theme above it (or itself);
    // else none, for "Not in a theme".
    let root_of: Vec<Option<usize>> = (0..n)
        .map(|e| {
            let mut at = e;
            let mut sub_theme = None;
            loop {
                match model.entries[at].kind {
                    MapKind::Theme => return Some(at),
                    MapKind::SubTheme => sub_theme = Some(at),
                    _ => {}
                }
                match model.parent[at] {
                    Some(p) => at = p,
                    None => return sub_theme,
                }
            }
        })
        .collect();
    let is_card_root: Vec<bool> = (0..n).map(|e| root_of[e] == Some(e)).collect();
    let collect = |starts: &[usize]| {
        let mut lines = Vec::new();
        let mut stack: Vec<(usize, usize)> = starts.iter().rev().map(|&c| (c, 1)).collect();
        while let Some((e, depth)) = stack.pop() {
            if is_card_root[e] {
                continue;
            }
            let visible = model.is_visible(e, codes);
            if visible {
                lines.push((e, depth));
            }
            let next = if visible { depth + 1 } else { depth };
            stack.extend(model.children[e].iter().rev().map(|&c| (c, next)));
        }
        lines
    };
    let mut infos = Vec::new();
    let mut card_of_root = vec![None; n];
    for e in (0..n).filter(|&e| is_card_root[e]) {
        let entry = model.entries[e];
        card_of_root[e] = Some(infos.len());
        infos.push(CardInfo {
            root: Some(e),
            id: entry.id.clone(),
            name: entry.name.clone(),
            role: normal_role(entry.role.as_deref()),
            lines: collect(&model.children[e]),
        });
    }
    let mut unthemed = None;
    if codes {
        let starts: Vec<usize> = (0..n).filter(|&e| model.parent[e].is_none() && !is_card_root[e]).collect();
        let lines = collect(&starts);
        if !lines.is_empty() {
            unthemed = Some(infos.len());
            infos.push(CardInfo { root: None, id: String::new(), name: NOT_IN_A_THEME.to_owned(), role: None, lines });
        }
    }
    let card_of = (0..n).map(|e| match root_of[e] {
        Some(r) => card_of_root[r],
        None => unthemed,
    });
    Cards { card_of: card_of.collect(), infos }
}

/// The relations between two cards with one label, drawn as one edge.
pub(super) struct Link {
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) label: String,
    pub(super) relations: Vec<usize>,
}

pub(super) fn links(model: &Model<'_>, card_of: &[Option<usize>]) -> Vec<Link> {
    let mut merged: BTreeMap<(usize, usize, &str), Vec<usize>> = BTreeMap::new();
    for &(from, to, k) in &model.relations {
        if let (Some(a), Some(b)) = (card_of[from], card_of[to]) {
            merged.entry((a, b, model.labels[k])).or_default().push(k);
        }
    }
    merged
        .into_iter()
        .map(|((from, to, label), relations)| Link { from, to, label: label.to_owned(), relations })
        .collect()
}
