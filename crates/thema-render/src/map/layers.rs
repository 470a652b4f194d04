//! Layers and rows: the cards ranked by the longest path of the relations and ordered by barycentre sweeps; the text inside a card.

use super::*;

/// Layers of the cards, from 0 at the top: the longest path from a card without predecessors,
/// after dropping the links that point backwards in a greedy order of the cards that makes them
/// few. Cards without relations go by role: foundation at the top, outcome at the bottom, the
/// rest in the middle; an outcome with no successors goes to the bottom too.
pub(super) fn layer_cards(infos: &[CardInfo], links: &[Link]) -> Vec<usize> {
    let n = infos.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| infos[a].sort_key().cmp(&infos[b].sort_key()));
    let mut rank = vec![0; n];
    for (i, &c) in order.iter().enumerate() {
        rank[c] = i;
    }
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut connected = vec![false; n];
    for link in links.iter().filter(|l| l.from != l.to) {
        if !successors[link.from].contains(&link.to) {
            successors[link.from].push(link.to);
        }
        connected[link.from] = true;
        connected[link.to] = true;
    }
    for s in &mut successors {
        s.sort_by_key(|&c| rank[c]);
    }
    // Break cycles: order the cards so that few links point backwards, and leave those out of
    // the layering. Greedy, after Eades, Lin & Smyth (1993): take sinks to the end and sources
    // to the front while there are any, else the card with the most more links out than in.
    let mut alive = vec![true; n];
    let mut outs: Vec<usize> = successors.iter().map(Vec::len).collect();
    let mut ins = vec![0usize; n];
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, targets) in successors.iter().enumerate() {
        for &w in targets {
            ins[w] += 1;
            predecessors[w].push(v);
        }
    }
    let (mut front, mut back) = (Vec::new(), Vec::new());
    let take = |c: usize, alive: &mut Vec<bool>, outs: &mut Vec<usize>, ins: &mut Vec<usize>| {
        alive[c] = false;
        for &w in &successors[c] {
            ins[w] = ins[w].saturating_sub(1);
        }
        for &v in &predecessors[c] {
            outs[v] = outs[v].saturating_sub(1);
        }
    };
    while alive.iter().any(|&a| a) {
        if let Some(&c) = order.iter().rev().find(|&&c| alive[c] && outs[c] == 0) {
            take(c, &mut alive, &mut outs, &mut ins);
            back.push(c);
        } else if let Some(&c) = order.iter().find(|&&c| alive[c] && ins[c] == 0) {
            take(c, &mut alive, &mut outs, &mut ins);
            front.push(c);
        } else if let Some(&c) =
            order.iter().filter(|&&c| alive[c]).max_by_key(|&&c| (outs[c] as isize - ins[c] as isize, n - rank[c]))
        {
            take(c, &mut alive, &mut outs, &mut ins);
            front.push(c);
        }
    }
    front.extend(back.into_iter().rev());
    let mut place = vec![0; n];
    for (i, &c) in front.iter().enumerate() {
        place[c] = i;
    }
    let forward: Vec<Vec<usize>> = successors
        .iter()
        .enumerate()
        .map(|(v, targets)| targets.iter().copied().filter(|&w| place[v] < place[w]).collect())
        .collect();
    let mut indegree = vec![0usize; n];
    for targets in &forward {
        for &w in targets {
            indegree[w] += 1;
        }
    }
    let mut ready: BTreeSet<(usize, usize)> = (0..n).filter(|&c| indegree[c] == 0).map(|c| (rank[c], c)).collect();
    let mut layer = vec![0usize; n];
    while let Some((_, v)) = ready.pop_first() {
        for &w in &forward[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.insert((rank[w], w));
            }
        }
    }
    let deepest = (0..n).filter(|&c| connected[c]).map(|c| layer[c]).max().unwrap_or(0);
    let isolated_below_top = (0..n).any(|c| !connected[c] && infos[c].role.as_deref() != Some("foundation"));
    let bottom = if isolated_below_top { deepest.max(2) } else { deepest };
    for c in 0..n {
        let role = infos[c].role.as_deref();
        if !connected[c] {
            layer[c] = match role {
                Some("foundation") => 0,
                Some("outcome") => bottom,
                _ => bottom / 2,
            };
        } else if role == Some("outcome") && forward[c].is_empty() && deepest > 0 {
            layer[c] = bottom;
        }
    }
    let used: BTreeSet<usize> = layer.iter().copied().collect();
    let compact: BTreeMap<usize, usize> = used.into_iter().enumerate().map(|(i, l)| (l, i)).collect();
    layer.iter().map(|l| compact[l]).collect()
}

/// The grid rows, top to bottom, each left to right: the layers ordered by barycentre sweeps
/// (ties in the order the entries are given), a layer wider than [`MAX_COLUMNS`] split into balanced rows.
pub(super) fn order_rows(infos: &[CardInfo], links: &[Link], layer: &[usize]) -> Vec<Vec<usize>> {
    let n = infos.len();
    let depth = layer.iter().max().map_or(0, |m| m + 1);
    let in_order = |a: usize, b: usize| infos[a].sort_key().cmp(&infos[b].sort_key());
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for c in 0..n {
        layers[layer[c]].push(c);
    }
    for l in &mut layers {
        l.sort_by(|&a, &b| in_order(a, b));
    }
    let mut neighbours: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for link in links.iter().filter(|l| l.from != l.to) {
        neighbours[link.from].insert(link.to);
        neighbours[link.to].insert(link.from);
    }
    let mut pos = vec![0.0; n];
    let place = |l: &[usize], pos: &mut Vec<f64>| {
        for (i, &c) in l.iter().enumerate() {
            pos[c] = (i as f64 + 0.5) / l.len() as f64;
        }
    };
    for l in &layers {
        place(l, &mut pos);
    }
    for sweep in 0..6 {
        let down = sweep % 2 == 0;
        let indices: Vec<usize> =
            if down { (1..depth).collect() } else { (0..depth.saturating_sub(1)).rev().collect() };
        for i in indices {
            let mut keyed: Vec<(f64, usize)> = layers[i]
                .iter()
                .map(|&c| {
                    let near: Vec<f64> = neighbours[c]
                        .iter()
                        .filter(|&&d| if down { layer[d] < i } else { layer[d] > i })
                        .map(|&d| pos[d])
                        .collect();
                    let bary = if near.is_empty() { pos[c] } else { near.iter().sum::<f64>() / near.len() as f64 };
                    (bary, c)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| in_order(a.1, b.1)));
            layers[i] = keyed.into_iter().map(|(_, c)| c).collect();
            place(&layers[i], &mut pos);
        }
    }
    let mut rows = Vec::new();
    for l in layers.into_iter().filter(|l| !l.is_empty()) {
        let count = l.len().div_ceil(MAX_COLUMNS);
        let (base, extra) = (l.len() / count, l.len() % count);
        let mut rest = l.as_slice();
        for r in 0..count {
            let (row, tail) = rest.split_at(base + usize::from(r < extra));
            rows.push(row.to_vec());
            rest = tail;
        }
    }
    rows
}

/// The texts of a card relative to its top left corner, the height of its header and of the card.
pub(super) fn card_content(info: &CardInfo, model: &Model<'_>) -> (Vec<MapText>, f64, f64) {
    let inner = CARD_WIDTH - 2.0 * CARD_PAD;
    let mut texts = Vec::new();
    let mut y = STRIPE + 9.0;
    let own_sub_theme = info.root.is_some_and(|r| model.entries[r].kind == MapKind::SubTheme);
    let role_line = match (&info.role, own_sub_theme) {
        (Some(role), true) => Some(format!("{role} · sub-theme")),
        (Some(role), false) => Some(role.clone()),
        (None, true) => Some("sub-theme".to_owned()),
        (None, false) => None,
    };
    if let Some(line) = role_line {
        let t = text_block(line.to_uppercase(), TextKind::Role, (CARD_PAD, y), inner, None);
        y = t.rect.bottom() + 3.0;
        texts.push(t);
    }
    let root_id = info.root.map(|r| model.entries[r].id.as_str());
    let name = text_block(info.name.clone(), TextKind::CardName, (CARD_PAD, y), inner, root_id);
    let header = name.rect.bottom() + 10.0;
    texts.push(name);
    if info.lines.is_empty() {
        return (texts, header, header);
    }
    y = header + 10.0;
    for (i, &(e, depth)) in info.lines.iter().enumerate() {
        let entry = model.entries[e];
        let (kind, text) = match entry.kind {
            MapKind::Theme | MapKind::SubTheme => (TextKind::SubTheme, entry.name.clone()),
            MapKind::Category => (TextKind::Category, entry.name.clone()),
            MapKind::Code if entry.in_vivo => (TextKind::InVivoCode, format!("\u{201c}{}\u{201d}", entry.name)),
            MapKind::Code => (TextKind::Code, entry.name.clone()),
        };
        if i > 0 {
            y += if kind == TextKind::SubTheme && depth == 1 { 8.0 } else { 3.0 };
        }
        let x = CARD_PAD + 12.0 + (depth - 1).min(3) as f64 * 14.0;
        let t = text_block(text, kind, (x, y), CARD_WIDTH - CARD_PAD - x, Some(&entry.id));
        y = t.rect.bottom();
        texts.push(t);
    }
    (texts, header, y + 12.0)
}
