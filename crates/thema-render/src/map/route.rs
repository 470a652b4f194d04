//! Routing: edges grouped into nets, tracks in the channels ordered to cross as little as they can, labels placed without overlap.

use super::*;

/// The edges from one card with one label: one port, one trunk, one label.
pub(super) struct Group {
    pub(super) source: usize,
    pub(super) label: String,
    pub(super) links: Vec<usize>,
    pub(super) port: f64,
}

/// A vertical run of a group's edges through a gap between columns, from one channel to another.
pub(super) struct Riser {
    pub(super) group: usize,
    /// The gap: 0 left of the first column, 2 × columns right of the last (in half columns).
    pub(super) slot: usize,
    /// The channels it joins, top and bottom.
    pub(super) lo: usize,
    pub(super) hi: usize,
    pub(super) track: usize,
    pub(super) x: f64,
}

/// A horizontal run in a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum NetKey {
    /// A group's trunk, in the channel under its source.
    Source(usize),
    /// A group's step from one riser to the next.
    Jog(usize, usize, usize),
    /// A group's last riser to the targets it reaches, in the channel above them.
    Arrival(usize, usize),
}

/// Where a net meets verticals: at `x`, going up out of the channel, down, or both.
#[derive(Clone, Copy)]
pub(super) struct Pin {
    pub(super) x: f64,
    pub(super) up: bool,
    pub(super) down: bool,
}

#[derive(Default)]
pub(super) struct Net {
    pub(super) pins: Vec<Pin>,
    pub(super) track: usize,
}

impl Net {
    pub(super) fn add(&mut self, x: f64, up: bool, down: bool) {
        match self.pins.iter_mut().find(|p| (p.x - x).abs() < 0.01) {
            Some(pin) => {
                pin.up |= up;
                pin.down |= down;
            }
            None => self.pins.push(Pin { x, up, down }),
        }
    }

    pub(super) fn span(&self) -> (f64, f64) {
        let lo = self.pins.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
        let hi = self.pins.iter().map(|p| p.x).fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    }
}

/// The crossings if net `a` runs above net `b` in a channel: `a`'s verticals going down cross
/// `b`'s run, `b`'s verticals going up cross `a`'s; a vertical of each at one x would overlap.
pub(super) fn crossings(a: &Net, b: &Net) -> usize {
    let within = |x: f64, (lo, hi): (f64, f64)| x >= lo - 0.01 && x <= hi + 0.01;
    let (span_a, span_b) = (a.span(), b.span());
    let mut count = 0;
    for p in a.pins.iter().filter(|p| p.down) {
        count += usize::from(within(p.x, span_b));
        if b.pins.iter().any(|q| q.up && (q.x - p.x).abs() < 0.01) {
            count += 100;
        }
    }
    for q in b.pins.iter().filter(|q| q.up) {
        count += usize::from(within(q.x, span_a));
    }
    count
}

/// The order of the nets' tracks in a channel, top first: by span, then each net moved to the
/// place where it crosses least, while a move saves crossings (every move lowers the total).
/// Moving one net at a time escapes where swapping neighbours would be stuck.
pub(super) fn order_tracks(nets: &[&Net]) -> Vec<usize> {
    let n = nets.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (nets[a].span(), nets[b].span());
        sa.0.total_cmp(&sb.0).then(sa.1.total_cmp(&sb.1)).then(a.cmp(&b))
    });
    let cost: Vec<Vec<usize>> = (0..n).map(|a| (0..n).map(|b| crossings(nets[a], nets[b])).collect()).collect();
    // The crossings of `v` at position `p` of the others: those before it run above it.
    let at = |others: &[usize], v: usize, p: usize| -> usize {
        others[..p].iter().map(|&u| cost[u][v]).sum::<usize>() + others[p..].iter().map(|&u| cost[v][u]).sum::<usize>()
    };
    // A few passes settle it; the bound keeps a channel with hundreds of tracks quick.
    for _ in 0..20 {
        let mut moved = false;
        for v in 0..n {
            let Some(now) = order.iter().position(|&u| u == v) else { continue };
            let mut others = order.clone();
            others.remove(now);
            let best = (0..=others.len()).min_by_key(|&p| (at(&others, v, p), p.abs_diff(now))).unwrap_or(now);
            if at(&others, v, best) < at(&others, v, now) {
                others.insert(best, v);
                order = others;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    order
}

/// A label waiting for its place in a channel's band: beside its trunk at `port`.
pub(super) struct PendingLabel {
    pub(super) group: usize,
    pub(super) port: f64,
    pub(super) w: f64,
}

/// Lanes for a channel's labels: each label beside its own trunk, right or left of it, on the
/// first lane where it meets no other label, preferring places no other vertical line runs
/// through. Returns each label's x and lane, and the number of lanes.
pub(super) fn place_labels(labels: &[PendingLabel], lines: &[f64], width: f64) -> (Vec<(f64, usize)>, usize) {
    let mut placed: Vec<(f64, f64, usize)> = Vec::new();
    let mut lanes = 0;
    let mut out = Vec::new();
    for label in labels {
        let mut best: Option<(usize, f64, usize)> = None;
        for lane in 0..=lanes {
            for (side, x) in [(0, label.port + LABEL_GAP), (1, label.port - LABEL_GAP - label.w)] {
                if x < MARGIN {
                    continue;
                }
                let (left, right) = (x, x + label.w);
                if placed.iter().any(|&(l, r, ln)| ln == lane && left < r + 8.0 && l < right + 8.0) {
                    continue;
                }
                let crossed = lines
                    .iter()
                    .filter(|&&line| (line - label.port).abs() > 0.5 && line > left - 3.0 && line < right + 3.0)
                    .count();
                let beyond = usize::from(right > width - MARGIN);
                let cost = crossed * 10 + beyond * 1000 + lane * 3 + side;
                if best.is_none_or(|(c, _, _)| cost < c) {
                    best = Some((cost, x, lane));
                }
            }
        }
        // The lane after the last is always free, so a place was found; the fallback only keeps
        // a label that fits nowhere (narrower than the margin) on the map.
        let (_, x, lane) = best.unwrap_or((0, label.port + LABEL_GAP, lanes));
        lanes = lanes.max(lane + 1);
        placed.push((x, x + label.w, lane));
        out.push((x, lane));
    }
    (out, lanes)
}

pub(super) fn label_box_height() -> f64 {
    LABEL_FONT.line + 2.0 * LABEL_PAD_Y
}

/// Groups: the links from one card with one label share a port, a trunk and a label; each
/// link's group.
pub(super) fn group_links(links: &[Link]) -> (Vec<Group>, Vec<usize>) {
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of = vec![0; links.len()];
    let mut index: BTreeMap<(usize, &str), usize> = BTreeMap::new();
    for (i, link) in links.iter().enumerate() {
        let g = *index.entry((link.from, link.label.as_str())).or_insert_with(|| {
            groups.push(Group { source: link.from, label: link.label.clone(), links: Vec::new(), port: 0.0 });
            groups.len() - 1
        });
        groups[g].links.push(i);
        group_of[i] = g;
    }
    (groups, group_of)
}

/// A straight run of an edge through a gap: (group, slot, top channel, bottom channel).
pub(super) type Run = (usize, usize, usize, usize);

/// Risers: a link between rows that are not neighbours runs up or down through the gaps
/// between columns, each free in the row it passes, and may step sideways to another gap in a
/// channel on the way. The cheapest such path, by dynamic programming over the channels it
/// crosses: distance from both ends, sideways steps and gaps busy with other groups cost.
///
/// Returns the runs, each (group, slot, top channel, bottom channel), and each link's runs in
/// order with the channel each run ends in.
pub(super) fn plan_runs(
    links: &[Link],
    group_of: &[usize],
    row_of: &[usize],
    unit: &[usize],
    blocked: &[BTreeSet<usize>],
    columns: usize,
) -> (Vec<Run>, Vec<Vec<(usize, usize)>>) {
    let mut order: Vec<usize> = (0..links.len()).collect();
    order.sort_by_key(|&i| (row_of[links[i].from], unit[links[i].from], row_of[links[i].to], unit[links[i].to], i));
    let slots = 2 * columns + 1;
    // Runs: (group, slot, top channel, bottom channel); each link's runs in order, with the
    // channel each run ends in.
    let mut runs: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut link_runs: Vec<Vec<(usize, usize)>> = vec![Vec::new(); links.len()];
    for &i in &order {
        let (a, b, g) = (links[i].from, links[i].to, group_of[i]);
        let (cs, ct) = (row_of[a] + 1, row_of[b]);
        if cs == ct {
            continue;
        }
        let down = ct > cs;
        // The channels passed, in order, and the row crossed after each but the last.
        let channels_passed: Vec<usize> = if down { (cs..=ct).collect() } else { (ct..=cs).rev().collect() };
        const FAR: usize = usize::MAX / 4;
        let mut cost: Vec<usize> = (0..slots).map(|k| 4 * k.abs_diff(unit[a] + 1)).collect();
        let mut came_from: Vec<Vec<usize>> = Vec::new();
        let mut arrive = Vec::new();
        for (step, pair) in channels_passed.windows(2).enumerate() {
            let row = pair[0].min(pair[1]);
            arrive = (0..slots)
                .map(|k| {
                    if blocked[row].contains(&k) || cost[k] >= FAR {
                        return FAR;
                    }
                    let covers = |r: &&(usize, usize, usize, usize)| r.1 == k && r.2 <= row && row < r.3;
                    let load = runs.iter().filter(covers).filter(|r| r.0 != g).count();
                    let shared = runs.iter().filter(covers).any(|r| r.0 == g);
                    cost[k] + 1 + 3 * load + usize::from(!shared)
                })
                .collect::<Vec<usize>>();
            if step + 2 < channels_passed.len() {
                let mut next = vec![FAR; slots];
                let mut from = vec![0; slots];
                for (to, best) in next.iter_mut().enumerate() {
                    for (k, &at) in arrive.iter().enumerate() {
                        let total = at.saturating_add(if k == to { 0 } else { 4 * k.abs_diff(to) + 8 });
                        if total < *best {
                            *best = total;
                            from[to] = k;
                        }
                    }
                }
                cost = next;
                came_from.push(from);
            }
        }
        // The outermost gaps are never blocked, so some path always arrives.
        let last = (0..slots).min_by_key(|&k| (arrive[k].saturating_add(4 * k.abs_diff(unit[b] + 1)), k)).unwrap_or(0);
        let mut slot_of_step = vec![last];
        for from in came_from.iter().rev() {
            let previous = from[*slot_of_step.last().unwrap_or(&last)];
            slot_of_step.push(previous);
        }
        slot_of_step.reverse();
        let mut start = 0;
        for step in 0..slot_of_step.len() {
            if step + 1 == slot_of_step.len() || slot_of_step[step + 1] != slot_of_step[step] {
                let (c0, c1) = (channels_passed[start], channels_passed[step + 1]);
                link_runs[i].push((runs.len(), c1));
                runs.push((g, slot_of_step[step], c0.min(c1), c0.max(c1)));
                start = step + 1;
            }
        }
    }
    (runs, link_runs)
}

/// A group's runs in one gap that overlap or meet are one riser; each link's risers in order,
/// with the channel each ends in (a jog, or the target's).
pub(super) fn merge_runs(runs: &[Run], link_runs: &[Vec<(usize, usize)>]) -> (Vec<Riser>, Vec<Vec<(usize, usize)>>) {
    let mut risers: Vec<Riser> = Vec::new();
    let mut riser_of_run = vec![0; runs.len()];
    {
        let mut by_gap: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for (k, run) in runs.iter().enumerate() {
            by_gap.entry((run.0, run.1)).or_default().push(k);
        }
        for ((group, slot), mut list) in by_gap {
            list.sort_by_key(|&k| (runs[k].2, runs[k].3));
            for k in list {
                let (lo, hi) = (runs[k].2, runs[k].3);
                match risers.last_mut() {
                    Some(r) if r.group == group && r.slot == slot && lo <= r.hi => r.hi = r.hi.max(hi),
                    _ => risers.push(Riser { group, slot, lo, hi, track: 0, x: 0.0 }),
                }
                riser_of_run[k] = risers.len() - 1;
            }
        }
    }
    // Each link's risers in order, with the channel each ends in (a jog, or the target's).
    let path: Vec<Vec<(usize, usize)>> =
        link_runs.iter().map(|list| list.iter().map(|&(k, end)| (riser_of_run[k], end)).collect()).collect();
    (risers, path)
}

/// Tracks in each gap: risers whose channels overlap get different tracks. Returns the number
/// of tracks in each gap used.
pub(super) fn assign_tracks(risers: &mut [Riser]) -> BTreeMap<usize, usize> {
    let mut tracks_in_slot: BTreeMap<usize, usize> = BTreeMap::new();
    {
        let mut by_slot: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (r, riser) in risers.iter().enumerate() {
            by_slot.entry(riser.slot).or_default().push(r);
        }
        for (slot, mut list) in by_slot {
            list.sort_by_key(|&r| (risers[r].lo, risers[r].hi, risers[r].group));
            let mut tracks: Vec<Vec<(usize, usize)>> = Vec::new();
            for r in list {
                let (lo, hi) = (risers[r].lo, risers[r].hi);
                let t = tracks.iter().position(|spans| spans.iter().all(|&(l, h)| h < lo || hi < l));
                let t = t.unwrap_or_else(|| {
                    tracks.push(Vec::new());
                    tracks.len() - 1
                });
                tracks[t].push((lo, hi));
                risers[r].track = t;
            }
            tracks_in_slot.insert(slot, tracks.len());
        }
    }
    tracks_in_slot
}
