//! Placing: the grid, the channels and gaps, the routed edges and the legend, in SVG pixels.

use super::*;

/// Lays out the theme map of a codebook: cards, their texts, edges and labels, in SVG pixels.
///
/// Fails when an id is used twice or a relation names an id that is not in the codebook, with
/// every such problem listed. An entry whose parent is unknown is drawn at the top level (see
/// [`MapEntry::parent`]). A relation from or to a code that is not in a theme is left out when
/// codes are not shown, as there is no card to draw it at.
pub fn layout(entries: &[MapEntry], relations: &[MapRelation], options: &MapOptions) -> Result<Layout, MapError> {
    let (model, problems) = Model::new(entries, relations);
    if !problems.is_empty() {
        return Err(MapError { problems });
    }
    Ok(place(&model, options))
}

/// The role words outside the model's three, sorted: they take the rest of the palette.
pub(super) fn other_roles(infos: &[CardInfo]) -> Vec<String> {
    let words: BTreeSet<&str> =
        infos.iter().filter_map(|c| c.role.as_deref()).filter(|r| !MODEL_ROLES.contains(r)).collect();
    words.into_iter().map(str::to_owned).collect()
}

pub(super) fn place(model: &Model<'_>, options: &MapOptions) -> Layout {
    let cards = plan_cards(model, options.codes);
    let infos = &cards.infos;
    let links = links(model, &cards.card_of);
    let n = infos.len();
    let others = other_roles(infos);
    let colour: Vec<Rgb> = infos.iter().map(|c| role_colour(c.role.as_deref(), &others)).collect();
    let contents: Vec<(Vec<MapText>, f64, f64)> = infos.iter().map(|c| card_content(c, model)).collect();
    let layer = layer_cards(infos, &links);
    let rows = order_rows(infos, &links, &layer);

    // The grid, in half columns: a row of k cards in a grid of `columns` starts at
    // `columns - k`, so every row is centred; card c spans half columns unit[c] to unit[c] + 2.
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let mut row_of = vec![0; n];
    let mut unit = vec![0; n];
    for (r, row) in rows.iter().enumerate() {
        for (j, &c) in row.iter().enumerate() {
            row_of[c] = r;
            unit[c] = columns - row.len() + 2 * j;
        }
    }
    // Gap k lies left of half column k; a card starting at k - 1 covers it.
    let blocked: Vec<BTreeSet<usize>> = rows.iter().map(|row| row.iter().map(|&c| unit[c] + 1).collect()).collect();

    // Groups: the links from one card with one label share a port, a trunk and a label.
    let (mut groups, group_of) = group_links(&links);

    let (runs, link_runs) = plan_runs(&links, &group_of, &row_of, &unit, &blocked, columns);
    let (mut risers, path) = merge_runs(&runs, &link_runs);
    let tracks_in_slot = assign_tracks(&mut risers);
    let busiest = tracks_in_slot.values().copied().max().unwrap_or(0);
    let gap = MIN_GAP.max(2.0 * GAP_PAD + busiest.saturating_sub(1) as f64 * RISER_SPACING);
    let pitch = CARD_WIDTH + gap;
    let half = pitch / 2.0;

    // Horizontal positions. The outermost gaps take room only when a riser uses them.
    let left_used = tracks_in_slot.contains_key(&0);
    let right_used = tracks_in_slot.contains_key(&(2 * columns));
    let grid = columns as f64 * pitch - gap + if left_used { gap } else { 0.0 } + if right_used { gap } else { 0.0 };
    let content = grid + 2.0 * MARGIN;
    let mut width = content.max(MIN_WIDTH);
    let x0 = MARGIN + (width - content) / 2.0 + if left_used { gap } else { 0.0 };
    let card_x: Vec<f64> = (0..n).map(|c| x0 + unit[c] as f64 * half).collect();
    let centre = |c: usize| card_x[c] + CARD_WIDTH / 2.0;
    for riser in &mut risers {
        let count = tracks_in_slot.get(&riser.slot).copied().unwrap_or(1) as f64;
        let middle = x0 + riser.slot as f64 * half - gap / 2.0;
        riser.x = middle + (riser.track as f64 - (count - 1.0) / 2.0) * RISER_SPACING;
    }
    let ports = |k: usize| {
        let spacing = if k > 1 { PORT_SPACING.min((CARD_WIDTH - 48.0) / (k - 1) as f64) } else { 0.0 };
        move |i: usize| (i as f64 - (k as f64 - 1.0) / 2.0) * spacing
    };
    // Source ports: a card's groups left to right by where their edges head first.
    for c in 0..n {
        let mut mine: Vec<(f64, usize)> = (0..groups.len())
            .filter(|&g| groups[g].source == c)
            .map(|g| {
                let heads: Vec<f64> = groups[g]
                    .links
                    .iter()
                    .map(|&i| path[i].first().map_or_else(|| centre(links[i].to), |&(r, _)| risers[r].x))
                    .collect();
                (heads.iter().sum::<f64>() / heads.len().max(1) as f64, g)
            })
            .collect();
        mine.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| groups[a.1].label.cmp(&groups[b.1].label)));
        let offset = ports(mine.len());
        for (i, &(_, g)) in mine.iter().enumerate() {
            groups[g].port = centre(c) + offset(i);
        }
    }
    // Target ports: a card's incoming links left to right by where they arrive from, spread
    // about the middle; a link that arrives above the card comes straight down instead, where
    // that keeps the order and room between arrows, to save a kink just above the arrowhead.
    let mut target_port = vec![0.0; links.len()];
    for (c, &left) in card_x.iter().enumerate() {
        let mut incoming: Vec<(f64, usize)> = (0..links.len())
            .filter(|&i| links[i].to == c)
            .map(|i| (path[i].last().map_or(groups[group_of[i]].port, |&(r, _)| risers[r].x), i))
            .collect();
        incoming.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let offset = ports(incoming.len());
        let mut spread: Vec<f64> = (0..incoming.len()).map(|j| centre(c) + offset(j)).collect();
        let inside = left + 20.0..=left + CARD_WIDTH - 20.0;
        for (j, &(arrival, _)) in incoming.iter().enumerate() {
            let after_previous = j == 0 || spread[j - 1] + 12.0 <= arrival;
            let before_next = spread.get(j + 1).is_none_or(|&next| arrival + 12.0 <= next);
            if inside.contains(&arrival) && after_previous && before_next {
                spread[j] = arrival;
            }
        }
        for (&(_, i), x) in incoming.iter().zip(spread) {
            target_port[i] = x;
        }
    }

    // Nets in the channels: channel r lies above row r, channel rows.len() below the last.
    let channel_count = rows.len() + 1;
    let mut channels: Vec<BTreeMap<NetKey, Net>> = (0..channel_count).map(|_| BTreeMap::new()).collect();
    for (i, link) in links.iter().enumerate() {
        let g = group_of[i];
        let (cs, ct) = (row_of[link.from] + 1, row_of[link.to]);
        let pin = |r: usize, c: usize| (risers[r].x, risers[r].lo < c, risers[r].hi > c);
        let source = channels[cs].entry(NetKey::Source(g)).or_default();
        source.add(groups[g].port, true, false);
        let Some(&(first, _)) = path[i].first() else {
            source.add(target_port[i], false, true);
            continue;
        };
        let (x, up, down) = pin(first, cs);
        source.add(x, up, down);
        for pair in path[i].windows(2) {
            let ((r1, c), (r2, _)) = (pair[0], pair[1]);
            let jog = channels[c].entry(NetKey::Jog(g, r1, r2)).or_default();
            for r in [r1, r2] {
                let (x, up, down) = pin(r, c);
                jog.add(x, up, down);
            }
        }
        let (last, _) = path[i][path[i].len() - 1];
        let arrival = channels[ct].entry(NetKey::Arrival(g, last)).or_default();
        let (x, up, down) = pin(last, ct);
        arrival.add(x, up, down);
        arrival.add(target_port[i], false, true);
    }
    let mut track_count = vec![0; channel_count];
    for (c, nets) in channels.iter_mut().enumerate() {
        let list: Vec<&Net> = nets.values().collect();
        let order = order_tracks(&list);
        let mut track = vec![0; list.len()];
        for (t, &k) in order.iter().enumerate() {
            track[k] = t;
        }
        for (net, t) in nets.values_mut().zip(track) {
            net.track = t;
        }
        track_count[c] = order.len();
    }

    // Labels, in a band at the top of the source's channel, beside the trunk.
    let mut label_place: BTreeMap<usize, (f64, usize, f64)> = BTreeMap::new();
    let mut lanes = vec![0; channel_count];
    for c in 0..channel_count {
        let mut pending: Vec<PendingLabel> = groups
            .iter()
            .enumerate()
            .filter(|(_, g)| !g.label.is_empty() && row_of[g.source] + 1 == c)
            .map(|(i, g)| PendingLabel {
                group: i,
                port: g.port,
                w: measure(&g.label, &LABEL_FONT) + 2.0 * LABEL_PAD_X,
            })
            .collect();
        if pending.is_empty() {
            continue;
        }
        pending.sort_by(|a, b| a.port.total_cmp(&b.port).then(a.group.cmp(&b.group)));
        let mut lines: Vec<f64> =
            channels[c].values().flat_map(|net| net.pins.iter().filter(|p| p.up).map(|p| p.x)).collect();
        lines.extend(risers.iter().filter(|r| r.lo < c && c < r.hi).map(|r| r.x));
        let (places, count) = place_labels(&pending, &lines, width);
        lanes[c] = count;
        for (label, (x, lane)) in pending.iter().zip(places) {
            label_place.insert(label.group, (x, lane, label.w));
        }
    }

    // Vertical positions: the title, the legend, then channel and row by turns.
    let mut y = MARGIN;
    let title = (!options.title.trim().is_empty()).then(|| {
        let t = text_block(options.title.trim().to_owned(), TextKind::Title, (MARGIN, y), width - 2.0 * MARGIN, None);
        y = t.rect.bottom() + 10.0;
        t
    });
    let (legend, legend_bottom) = legend(infos, model, options.codes, &others, width, y);
    y = legend_bottom + 14.0;
    let band = |c: usize| if lanes[c] > 0 { 6.0 + lanes[c] as f64 * (label_box_height() + LANE_GAP) } else { 0.0 };
    let mut channel_y = vec![0.0; channel_count];
    let mut row_y = vec![0.0; rows.len()];
    for c in 0..channel_count {
        channel_y[c] = y;
        let needed = if track_count[c] > 0 {
            band(c) + TRACK_TOP + (track_count[c] - 1) as f64 * TRACK_SPACING + TRACK_BOTTOM
        } else {
            0.0
        };
        let inner = c > 0 && c < rows.len();
        y += if inner { needed.max(MIN_CHANNEL) } else { needed };
        if let Some(row) = rows.get(c) {
            row_y[c] = y;
            y += row.iter().map(|&card| contents[card].2).fold(0.0, f64::max);
        }
    }
    let height = y + MARGIN;
    let track_y = |c: usize, net: &Net| channel_y[c] + band(c) + TRACK_TOP + net.track as f64 * TRACK_SPACING;

    // Cards, row by row.
    let mut position = vec![0; n];
    let mut placed_cards = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for &c in row {
            position[c] = placed_cards.len();
            let (texts, header, h) = &contents[c];
            let (x, y) = (card_x[c], row_y[r]);
            let texts = texts
                .iter()
                .cloned()
                .map(|mut t| {
                    t.rect.x += x;
                    t.rect.y += y;
                    t
                })
                .collect();
            placed_cards.push(Card {
                theme: infos[c].root.map(|e| model.entries[e].id.clone()),
                role: infos[c].role.clone(),
                colour: colour[c].hex(),
                rect: Rect { x, y, w: CARD_WIDTH, h: *h },
                header: Rect { x, y, w: CARD_WIDTH, h: *header },
                layer: layer[c],
                row: r,
                texts,
            });
        }
    }
    let bottom_of = |c: usize| row_y[row_of[c]] + contents[c].2;

    // Edges.
    let mut edges = Vec::new();
    let mut edges_of_group: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (i, link) in links.iter().enumerate() {
        let g = group_of[i];
        let cs = row_of[link.from] + 1;
        let port = groups[g].port;
        let y1 = track_y(cs, &channels[cs][&NetKey::Source(g)]);
        let mut points = vec![(port, bottom_of(link.from)), (port, y1)];
        let mut y = y1;
        for (j, &(r, end)) in path[i].iter().enumerate() {
            let key = match path[i].get(j + 1) {
                Some(&(next, _)) => NetKey::Jog(g, r, next),
                None => NetKey::Arrival(g, r),
            };
            points.push((risers[r].x, y));
            y = track_y(end, &channels[end][&key]);
            points.push((risers[r].x, y));
        }
        points.push((target_port[i], y));
        points.push((target_port[i], row_y[row_of[link.to]]));
        edges_of_group[g].push(edges.len());
        edges.push(Edge {
            from: position[link.from],
            to: position[link.to],
            label: link.label.clone(),
            relations: link.relations.clone(),
            points: simplify(points),
            colour: colour[link.from].mix(BLACK, 0.2).hex(),
        });
    }
    let mut labels = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let Some(&(x, lane, w)) = label_place.get(&g) else { continue };
        let c = row_of[group.source] + 1;
        let top = channel_y[c] + 6.0 + lane as f64 * (label_box_height() + LANE_GAP);
        let lines = vec![group.label.clone()];
        let rect = Rect { x, y: top, w, h: label_box_height() };
        width = width.max(rect.right() + MARGIN);
        let text = MapText {
            text: group.label.clone(),
            lines,
            kind: TextKind::EdgeLabel,
            size: LABEL_FONT.size,
            rect,
            entry: None,
        };
        labels.push(EdgeLabel { text, edges: edges_of_group[g].clone() });
    }
    Layout { width, height, title, legend, cards: placed_cards, edges, labels }
}

/// The points without repeats and without points in the middle of a straight run.
pub(super) fn simplify(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for p in points {
        if out.last().is_some_and(|q| (q.0 - p.0).abs() < 0.01 && (q.1 - p.1).abs() < 0.01) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let straight = ((a.0 - b.0).abs() < 0.01 && (b.0 - p.0).abs() < 0.01)
                || ((a.1 - b.1).abs() < 0.01 && (b.1 - p.1).abs() < 0.01);
            if straight {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// The legend: a swatch for each role on the map (the model's three first), "no role", "not in a
/// theme" and an in-vivo sample when they occur, flowing into lines no wider than the map.
pub(super) fn legend(
    infos: &[CardInfo],
    model: &Model<'_>,
    codes: bool,
    others: &[String],
    width: f64,
    top: f64,
) -> (Vec<LegendItem>, f64) {
    let mut keys: Vec<(Option<String>, String, bool)> = Vec::new();
    let roles: BTreeSet<&str> = infos.iter().filter_map(|c| c.role.as_deref()).collect();
    for role in MODEL_ROLES.iter().copied().chain(others.iter().map(String::as_str)) {
        if roles.contains(role) {
            keys.push((Some(role.to_owned()), role.to_owned(), false));
        }
    }
    if infos.iter().any(|c| c.root.is_some() && c.role.is_none()) {
        keys.push((None, "no role".to_owned(), false));
    }
    if infos.iter().any(|c| c.root.is_none()) {
        keys.push((None, "not in a theme".to_owned(), true));
    }
    let in_vivo = codes
        && infos.iter().flat_map(|c| c.lines.iter()).any(|&(e, _)| {
            let entry = model.entries[e];
            entry.kind == MapKind::Code && entry.in_vivo
        });
    let mut items = Vec::new();
    let (mut x, mut y) = (MARGIN, top);
    let line = LEGEND_FONT.line;
    let mut place = |w: f64| {
        if x > MARGIN && x + w > width - MARGIN {
            x = MARGIN;
            y += line + 6.0;
        }
        let at = (x, y);
        x += w + 24.0;
        at
    };
    for (role, words, dashed) in keys {
        let w = 20.0 + measure(&words, &LEGEND_FONT);
        let (ix, iy) = place(w);
        let colour = if dashed { NO_ROLE } else { role_colour(role.as_deref(), others) };
        let swatch = Rect { x: ix, y: iy + (line - 14.0) / 2.0, w: 14.0, h: 14.0 };
        let text = text_block(words, TextKind::Legend, (ix + 20.0, iy), f64::INFINITY, None);
        items.push(LegendItem { swatch: Some(swatch), colour: colour.hex(), dashed, text });
    }
    if in_vivo {
        let words = "\u{201c}in-vivo code\u{201d}".to_owned();
        let kind = TextKind::InVivoCode;
        let w = measure(&words, font_of(kind));
        let (ix, iy) = place(w);
        let text = text_block(words, kind, (ix, iy + (line - CODE_FONT.line) / 2.0), f64::INFINITY, None);
        items.push(LegendItem { swatch: None, colour: INK.to_owned(), dashed: false, text });
    }
    let bottom = if items.is_empty() { top } else { y + line };
    (items, bottom)
}
