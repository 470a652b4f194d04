use super::*;

fn entry(id: &str, name: &str, kind: MapKind, parent: Option<&str>, role: Option<&str>) -> MapEntry {
    MapEntry {
        id: id.to_owned(),
        name: name.to_owned(),
        kind,
        parent: parent.map(str::to_owned),
        role: role.map(str::to_owned),
        in_vivo: false,
    }
}

fn code(id: &str, name: &str, parent: &str, in_vivo: bool) -> MapEntry {
    MapEntry { in_vivo, ..entry(id, name, MapKind::Code, Some(parent), None) }
}

fn relation(from: &str, to: &str, label: &str) -> MapRelation {
    MapRelation { from: from.to_owned(), to: to.to_owned(), label: label.to_owned() }
}

const CENTRAL_THEMES: [&str; 4] = ["hope", "respect", "support", "where"];

/// Fig. 1 of Palis et al. (2024): a foundation theme, four guiding principles and an outcome,
/// with 13 sub-themes and a few codes.
fn palis() -> (Vec<MapEntry>, Vec<MapRelation>) {
    use MapKind::{SubTheme, Theme};
    let mut entries = vec![
        entry("shared", "Relying on shared experience", Theme, None, Some("foundation")),
        entry("hope", "Offering hope", Theme, None, Some("central")),
        entry("respect", "Building respectful relationships", Theme, None, Some("central")),
        entry("support", "Providing consistent support", Theme, None, Some("central")),
        entry("where", "Meeting people where they are at", Theme, None, Some("central")),
        entry("bridge", "Bridging connections to services", Theme, None, Some("outcome")),
    ];
    let sub_themes = [
        ("been-there", "having been there themselves", "shared"),
        ("language", "speaking the same language", "shared"),
        ("credible", "credibility with clients", "shared"),
        ("way-out", "showing clients a way out of the revolving door of prison", "hope"),
        ("proof", "being living proof that change is possible", "hope"),
        ("equals", "treating clients as equals", "respect"),
        ("trust", "building trust over time", "respect"),
        ("listening", "listening without judgement", "respect"),
        ("reassurance", "providing reassurance", "support"),
        ("after-hours", "being there after hours", "support"),
        ("flexible", "flexibility in when and where to meet", "where"),
        ("goals", "following clients' own goals", "where"),
        ("accompany", "accompanying clients to appointments", "bridge"),
    ];
    for (id, name, parent) in sub_themes {
        entries.push(entry(id, name, SubTheme, Some(parent), None));
    }
    entries.push(code("c-understanding", "shared understanding of the experience", "been-there", true));
    entries.push(code("c-lived", "lived experience of incarceration", "been-there", false));
    entries.push(code("c-door", "they know the way out", "way-out", true));
    entries.push(code("c-calls", "answering calls at night", "after-hours", false));
    entries.push(code("c-clinic", "walking in to the clinic together", "accompany", false));
    let mut relations: Vec<MapRelation> =
        CENTRAL_THEMES.iter().map(|to| relation("shared", to, "foundation of")).collect();
    relations.extend(CENTRAL_THEMES.iter().map(|from| relation(from, "bridge", "leads to")));
    (entries, relations)
}

fn options(codes: bool) -> MapOptions {
    MapOptions { codes, title: "Peer health mentors: how the themes relate".to_owned() }
}

/// Every two things on the map that overlap: cards, texts and edge labels pairwise, except a
/// card's own texts, which must lie inside it.
fn overlaps(layout: &Layout) -> Vec<String> {
    let mut boxes: Vec<(String, Rect, Option<usize>, bool)> = Vec::new();
    for (c, card) in layout.cards.iter().enumerate() {
        boxes.push((format!("card {c} {:?}", card.theme), card.rect, Some(c), true));
        for t in &card.texts {
            boxes.push((format!("text {:?} on card {c}", t.text), t.rect, Some(c), false));
        }
    }
    let free = layout.title.iter().chain(layout.legend.iter().map(|i| &i.text));
    for t in free.chain(layout.labels.iter().map(|l| &l.text)) {
        boxes.push((format!("text {:?}", t.text), t.rect, None, false));
    }
    for item in &layout.legend {
        if let Some(s) = item.swatch {
            boxes.push(("legend swatch".to_owned(), s, None, false));
        }
    }
    let mut found = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        if a.1.x < 0.0 || a.1.y < 0.0 || a.1.right() > layout.width || a.1.bottom() > layout.height {
            found.push(format!("{} is off the canvas", a.0));
        }
        for b in &boxes[i + 1..] {
            let own = a.3 && a.2 == b.2;
            if own {
                if !a.1.contains(&b.1) {
                    found.push(format!("{} sticks out of its card", b.0));
                }
            } else if a.1.overlaps(&b.1) {
                found.push(format!("{} overlaps {}", a.0, b.0));
            }
        }
    }
    found
}

/// Every edge starts on its source card's bottom edge and ends on its target's top edge, in
/// horizontal and vertical segments that pass through no other card (nor their own).
fn check_edges(layout: &Layout) {
    for edge in &layout.edges {
        let (from, to) = (&layout.cards[edge.from].rect, &layout.cards[edge.to].rect);
        let (&first, &last) = (edge.points.first().unwrap(), edge.points.last().unwrap());
        assert!((first.1 - from.bottom()).abs() < 0.01 && first.0 > from.x && first.0 < from.right(), "{edge:?}");
        assert!((last.1 - to.y).abs() < 0.01 && last.0 > to.x && last.0 < to.right(), "{edge:?}");
        for pair in edge.points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            assert!(a.0 == b.0 || a.1 == b.1, "a slanted segment in {edge:?}");
            for (c, card) in layout.cards.iter().enumerate() {
                assert!(!card.rect.is_crossed_by(a, b), "edge {edge:?} runs through card {c} {:?}", card.theme);
            }
        }
    }
    // Edges run along each other only where they share a source and a label (their trunk).
    let along = |p: &[(f64, f64)], q: &[(f64, f64)]| {
        let overlap =
            |a0: f64, a1: f64, b0: f64, b1: f64| a0.max(a1).min(b0.max(b1)) - a0.min(a1).max(b0.min(b1)) > 0.5;
        (p[0].0 == p[1].0 && q[0].0 == q[1].0 && p[0].0 == q[0].0 && overlap(p[0].1, p[1].1, q[0].1, q[1].1))
            || (p[0].1 == p[1].1 && q[0].1 == q[1].1 && p[0].1 == q[0].1 && overlap(p[0].0, p[1].0, q[0].0, q[1].0))
    };
    for (i, a) in layout.edges.iter().enumerate() {
        for b in layout.edges[i + 1..].iter().filter(|b| b.from != a.from || b.label != a.label) {
            for p in a.points.windows(2) {
                assert!(!b.points.windows(2).any(|q| along(p, q)), "{a:?} runs along {b:?}");
            }
        }
    }
}

/// The text of each `<text>` element of an SVG, its lines joined by spaces, entities undone.
fn svg_texts(svg: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in svg.split("<text ").skip(1) {
        let element = element.split("</text>").next().unwrap();
        let lines: Vec<&str> = element
            .split("<tspan ")
            .skip(1)
            .map(|span| span.split_once('>').unwrap().1.split("</tspan>").next().unwrap())
            .collect();
        let joined = lines.join(" ");
        let joined = joined
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        texts.push(joined);
    }
    texts
}

#[test]
fn palis_map_reads_top_to_bottom_without_overlaps() {
    let (entries, relations) = palis();
    for codes in [false, true] {
        let layout = layout(&entries, &relations, &options(codes)).unwrap();
        let card = |id: &str| layout.cards.iter().find(|c| c.theme.as_deref() == Some(id)).unwrap();
        assert_eq!(layout.cards.len(), 6);
        let centrals: Vec<&Card> = CENTRAL_THEMES.iter().map(|id| card(id)).collect();
        let central_top = centrals.iter().map(|c| c.rect.y).fold(f64::INFINITY, f64::min);
        let central_bottom = centrals.iter().map(|c| c.rect.bottom()).fold(0.0, f64::max);
        assert!(centrals.iter().all(|c| c.row == centrals[0].row), "the four principles share a row");
        assert!(card("shared").rect.bottom() < central_top && card("shared").row < centrals[0].row);
        assert!(card("bridge").rect.y > central_bottom && card("bridge").row > centrals[0].row);
        assert_eq!(layout.edges.len(), 8);
        // One label for the four "foundation of" edges, one "leads to" under each principle.
        assert_eq!(layout.labels.len(), 5);
        check_edges(&layout);
        for edge in &layout.edges {
            let from = layout.cards[edge.from].theme.as_deref().unwrap();
            let to = layout.cards[edge.to].theme.as_deref().unwrap();
            assert!(relations.iter().any(|r| r.from == from && r.to == to && r.label == edge.label));
        }
        let problems = overlaps(&layout);
        assert!(problems.is_empty(), "{problems:#?}");
        let svg = svg(&layout);
        let texts = svg_texts(&svg);
        for e in entries.iter().filter(|e| matches!(e.kind, MapKind::Theme | MapKind::SubTheme)) {
            assert!(texts.contains(&e.name), "{:?} is not whole in the SVG", e.name);
        }
        if codes {
            assert!(texts.contains(&"\u{201c}shared understanding of the experience\u{201d}".to_owned()));
            assert!(svg.contains(r#"font-style="italic""#));
        } else {
            assert!(!svg.contains("lived experience"));
        }
        for role in ["FOUNDATION", "CENTRAL", "OUTCOME"] {
            assert!(texts.contains(&role.to_owned()));
        }
        assert!(svg.starts_with("<svg") && svg.contains(r#"font-family="DejaVu Sans, Verdana, sans-serif""#));
        assert_eq!(svg, super::svg(&super::layout(&entries, &relations, &options(codes)).unwrap()));
    }
}

/// A made-up codebook of 200 entries (12 themes, 40 sub-themes, 148 codes and categories),
/// 20 relations with a cycle and a loop, two themes without relations, some roles missing,
/// entries without a theme and a word wider than a card.
fn generated() -> (Vec<MapEntry>, Vec<MapRelation>) {
    let words = [
        "trust",
        "housing",
        "stigma",
        "peer",
        "support",
        "navigating",
        "services",
        "after",
        "release",
        "family",
        "employment",
        "mental",
        "health",
        "recovery",
        "identity",
        "belonging",
        "hope",
        "safety",
        "waiting",
        "lists",
        "paperwork",
        "respect",
        "listening",
        "community",
        "barriers",
        "transport",
        "money",
        "time",
        "relationships",
        "with",
        "staff",
        "and",
        "the",
        "of",
        "a",
        "system",
    ];
    let mut seed: u64 = 2024;
    let mut next = move |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % n
    };
    let mut phrase = |min: usize, max: usize| {
        let count = min + next(max - min + 1);
        let mut out: Vec<&str> = Vec::new();
        for _ in 0..count {
            out.push(words[next(words.len())]);
        }
        let mut s = out.join(" ");
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        s
    };
    let roles = [
        Some("foundation"),
        Some("central"),
        Some("central"),
        Some("outcome"),
        None,
        Some("context"),
        Some("central"),
        None,
        Some("central"),
        Some("outcome"),
        Some("barrier"),
        Some("central"),
    ];
    let mut entries = Vec::new();
    for (t, role) in roles.iter().enumerate() {
        entries.push(entry(&format!("t{t:02}"), &phrase(2, 6), MapKind::Theme, None, *role));
    }
    for s in 0..40 {
        let parent = match s {
            36 => None,
            37 => Some("no-such-theme".to_owned()),
            _ => Some(format!("t{:02}", s % 12)),
        };
        let role = (s == 36).then_some("central");
        entries.push(entry(&format!("s{s:02}"), &phrase(2, 9), MapKind::SubTheme, parent.as_deref(), role));
    }
    for c in 0..148 {
        let parent = match c {
            _ if c % 29 == 3 => None,
            _ if c % 5 == 0 => Some(format!("t{:02}", c % 12)),
            _ if c % 11 == 1 => Some(format!("c{:03}", c - 1)),
            _ => Some(format!("s{:02}", (c * 7) % 40)),
        };
        let kind = if c % 11 == 0 { MapKind::Category } else { MapKind::Code };
        let name = if c == 42 {
            "interprofessionalcollaborationacrossorganisationalboundaries".to_owned()
        } else {
            phrase(1, 8)
        };
        let mut e = entry(&format!("c{c:03}"), &name, kind, parent.as_deref(), None);
        e.in_vivo = kind == MapKind::Code && c % 4 == 1;
        entries.push(e);
    }
    // Foundation to principles to outcomes, with context, a cycle through t01 and t07, back
    // edges, a loop inside t00, relations from a sub-theme, a code and cards of their own; t10
    // and t11 have none.
    let relations = [
        ("t00", "t01", "is a precondition for"),
        ("t00", "t02", "is a precondition for"),
        ("t00", "t06", "is a precondition for"),
        ("t00", "t08", "is a precondition for"),
        ("t01", "t03", "leads to"),
        ("t02", "t03", "leads to"),
        ("t06", "t09", "leads to"),
        ("s06", "t09", "leads to"),
        ("t08", "t09", "leads to"),
        ("t04", "t02", "shapes"),
        ("t05", "t04", "shapes"),
        ("t07", "t00", "shapes"),
        ("s00", "s12", "shapes"),
        ("t03", "t01", "reinforces"),
        ("t09", "t06", "reinforces"),
        ("s36", "t03", "leads to"),
        ("s37", "s12", "undermines"),
        ("c007", "t06", "undermines"),
        ("s01", "t07", "undermines"),
        ("c003", "t05", "illustrates"),
    ];
    let relations = relations.iter().map(|(a, b, label)| relation(a, b, label)).collect();
    (entries, relations)
}

/// 200 entries with their codes: nothing overlaps, no edge crosses a card, every entry is
/// drawn once and whole, and the canvas stays a sane size.
#[test]
fn a_large_codebook_lays_out_cleanly() {
    let (entries, relations) = generated();
    assert_eq!(entries.len(), 200);
    assert_eq!(entries.iter().filter(|e| e.kind == MapKind::Theme).count(), 12);
    assert_eq!(entries.iter().filter(|e| e.kind == MapKind::SubTheme).count(), 40);
    assert_eq!(relations.len(), 20);
    let options = MapOptions { codes: true, title: "A large codebook".to_owned() };
    let layout = layout(&entries, &relations, &options).unwrap();
    let problems = overlaps(&layout);
    assert!(problems.is_empty(), "{problems:#?}");
    check_edges(&layout);
    // Every entry is on the map once, whole: the unknown parent puts s37 on a card of its own.
    let shown: Vec<&MapText> = layout.cards.iter().flat_map(|c| c.texts.iter()).filter(|t| t.entry.is_some()).collect();
    assert_eq!(shown.len(), 200);
    assert!(layout.cards.iter().any(|c| c.theme.as_deref() == Some("s37")));
    assert!(layout.cards.iter().any(|c| c.theme.is_none()));
    let long = shown.iter().find(|t| t.entry.as_deref() == Some("c042")).unwrap();
    assert!(long.lines.len() > 1 && long.lines.concat() == long.text);
    assert!(layout.edges.iter().all(|e| e.relations.iter().all(|&r| r < relations.len())));
    assert!(layout.width < 4000.0 && layout.height < 8000.0, "{} × {}", layout.width, layout.height);
    assert_eq!(svg(&layout), svg(&super::layout(&entries, &relations, &options).unwrap()));
}

/// A foundation under which eleven principles make one wide layer, one feeding back.
fn wide() -> (Vec<MapEntry>, Vec<MapRelation>) {
    let mut entries = vec![entry("root", "Where it all starts", MapKind::Theme, None, Some("foundation"))];
    let mut relations = Vec::new();
    for t in 0..11 {
        let id = format!("t{t:02}");
        entries.push(entry(&id, &format!("Principle number {t}"), MapKind::Theme, None, Some("central")));
        entries.push(entry(&format!("s{t:02}"), "a sub-theme", MapKind::SubTheme, Some(&id), None));
        relations.push(relation("root", &id, ["grounds", "enables", "limits", "is a precondition for"][t % 4]));
    }
    relations.push(relation("t10", "root", "feeds back into"));
    (entries, relations)
}

/// A layer of eleven cards wraps onto three rows of at most five, the edges to the lower rows
/// find their way between the cards of the upper ones, and four labels under one card share
/// the room without overlapping.
#[test]
fn a_wide_layer_wraps() {
    let (entries, relations) = wide();
    let layout = layout(&entries, &relations, &MapOptions::default()).unwrap();
    let rows = layout.cards.iter().map(|c| c.row).max().unwrap() + 1;
    assert_eq!(rows, 4);
    for row in 1..4 {
        let count = layout.cards.iter().filter(|c| c.row == row).count();
        assert!((3..=5).contains(&count), "row {row} has {count} cards");
    }
    assert!(layout.cards.iter().skip(1).all(|c| c.layer == 1));
    // Four labels under one card: they need more than one lane.
    assert_eq!(layout.labels.len(), 5);
    let lanes: BTreeSet<u64> = layout.labels.iter().map(|l| l.text.rect.y.to_bits()).collect();
    assert!(lanes.len() > 2);
    check_edges(&layout);
    let problems = overlaps(&layout);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(layout.width < 2000.0);
}

#[test]
fn dot_and_mermaid_name_every_theme_and_relation() {
    let (entries, relations) = palis();
    let dot = dot(&entries, &relations, &options(true));
    let flat = dot.replace("<BR ALIGN=\"LEFT\"/>", " ");
    assert!(dot.starts_with("digraph theme_map {"));
    for e in entries.iter().filter(|e| e.kind != MapKind::Code) {
        assert!(flat.contains(&xml(&e.name)), "{:?} not in the DOT", e.name);
    }
    assert_eq!(dot.matches("[label=\"foundation of\"]").count(), 4);
    assert_eq!(dot.matches("[label=\"leads to\"]").count(), 4);
    match std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(dot.as_bytes()).unwrap();
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success() && stderr.trim().is_empty(), "dot failed: {stderr}\n{dot}");
            assert!(String::from_utf8_lossy(&output.stdout).contains("<svg"));
        }
        Err(_) => thema_testkit::skip("`dot` (Graphviz) is not on PATH; the DOT output was not run"),
    }

    let mermaid = mermaid(&entries, &relations, &options(true));
    assert!(mermaid.contains("\nflowchart TB\n"));
    let is_id = |id: &str| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let quoted = |label: &str| label.len() >= 2 && label.starts_with('"') && label.ends_with('"');
    let (mut opened, mut closed, mut edges) = (0, 0, 0);
    for line in mermaid.lines().map(str::trim).skip_while(|l| *l != "flowchart TB").skip(1) {
        if line == "end" {
            closed += 1;
        } else if line == "direction TB" {
        } else if let Some(rest) = line.strip_prefix("subgraph ") {
            let (id, label) = rest.split_once('[').unwrap();
            assert!(is_id(id) && quoted(label.strip_suffix(']').unwrap()), "{line}");
            opened += 1;
        } else if let Some((from, rest)) = line.split_once(" -->|") {
            let (label, to) = rest.split_once("| ").unwrap();
            assert!(is_id(from) && is_id(to) && quoted(label), "{line}");
            edges += 1;
        } else if let Some(rest) = line.strip_prefix("style ") {
            assert!(is_id(rest.split_once(' ').unwrap().0), "{line}");
        } else {
            let (id, label) = line.split_once('[').unwrap();
            assert!(is_id(id) && quoted(label.strip_suffix(']').unwrap()), "{line}");
        }
    }
    assert_eq!(opened, closed);
    assert_eq!(edges, 8);
    for e in entries.iter().filter(|e| e.kind == MapKind::Theme) {
        assert!(mermaid.contains(&format!("[\"{}\"]", e.name)), "{:?} not in the Mermaid", e.name);
    }
    assert!(mermaid.contains(r#"-->|"foundation of"|"#) && mermaid.contains(r#"-->|"leads to"|"#));
    // Ids from awkward entry ids: spaces and quotes become `_`, and stay unique.
    let awkward = vec![
        entry("a theme", "A \"quoted\" theme", MapKind::Theme, None, None),
        entry("a\"theme", "Another", MapKind::Theme, None, None),
    ];
    let text = super::mermaid(&awkward, &[relation("a theme", "a\"theme", "says \"no\"")], &MapOptions::default());
    assert!(text.contains("t_a_theme[\"A #quot;quoted#quot; theme\"]") && text.contains("t_a_theme_2[\"Another\"]"));
    assert!(text.contains("t_a_theme -->|\"says #quot;no#quot;\"| t_a_theme_2"), "{text}");
}

#[test]
fn bad_input_is_reported_or_placed() {
    let (mut entries, mut relations) = palis();
    relations.push(relation("hope", "no-such-theme", "leads to"));
    let err = layout(&entries, &relations, &options(false)).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    let message = err.to_string();
    assert!(message.contains("\"no-such-theme\"") && message.contains("relation 9"), "{message}");
    // Every problem is reported, not only the first.
    relations.push(relation("ghost", "bridge", "leads to"));
    entries.push(entry("hope", "Offering hope again", MapKind::Theme, None, None));
    let err = layout(&entries, &relations, &options(false)).unwrap_err();
    assert_eq!(err.problems.len(), 3, "{err}");
    // DOT and Mermaid leave such relations out.
    assert!(!dot(&entries, &relations, &options(false)).contains("ghost"));

    // An unknown parent puts the entry at the top level: a sub-theme on a card of its own, a
    // code on "Not in a theme" (with codes shown); a cycle of parents is broken.
    let (mut entries, relations) = palis();
    entries.push(entry("orphan", "an orphan sub-theme", MapKind::SubTheme, Some("gone"), None));
    entries.push(code("lost", "a lost code", "gone", false));
    entries.push(code("loop-a", "a code in a loop", "loop-b", false));
    entries.push(code("loop-b", "another code in the loop", "loop-a", false));
    let map = layout(&entries, &relations, &options(true)).unwrap();
    let orphan = map.cards.iter().find(|c| c.theme.as_deref() == Some("orphan")).unwrap();
    assert!(orphan.texts.iter().any(|t| t.kind == TextKind::Role && t.text == "SUB-THEME"));
    let unthemed = map.cards.iter().find(|c| c.theme.is_none()).unwrap();
    let listed: Vec<&str> = unthemed.texts.iter().filter_map(|t| t.entry.as_deref()).collect();
    assert_eq!(listed, ["lost", "loop-a", "loop-b"]);
    assert!(overlaps(&map).is_empty());
    let without_codes = layout(&entries, &relations, &options(false)).unwrap();
    assert!(without_codes.cards.iter().all(|c| c.theme.is_some()));
}

/// Small and odd codebooks still give a clean map: none at all, codes only, a theme related to
/// itself, empty names and labels, text the font lacks, markup characters and a long label.
#[test]
fn odd_codebooks_are_drawn() {
    let none = layout(&[], &[], &MapOptions::default()).unwrap();
    assert!(none.cards.is_empty() && svg(&none).ends_with("</svg>\n"));
    let codes_only = [code("a", "a code", "nowhere", false)];
    assert!(layout(&codes_only, &[], &options(false)).unwrap().cards.is_empty());
    assert_eq!(layout(&codes_only, &[], &options(true)).unwrap().cards.len(), 1);
    let entries = vec![
        entry("a", "", MapKind::Theme, None, Some("  Outcome ")),
        entry("b", "<Hope> & \"trust\" 希望 🌱", MapKind::Theme, None, None),
        entry("c", "a sub-theme", MapKind::SubTheme, Some("a"), None),
    ];
    let relations = vec![
        relation("a", "a", "sustains itself"),
        relation("c", "a", ""),
        relation("b", "a", "is, in the words of several participants, the reason they kept going at all"),
    ];
    let map = layout(&entries, &relations, &options(false)).unwrap();
    assert_eq!(map.cards.iter().find(|c| c.theme.as_deref() == Some("a")).unwrap().role.as_deref(), Some("outcome"));
    assert_eq!(map.edges.len(), 3);
    assert_eq!(map.labels.len(), 2);
    check_edges(&map);
    let problems = overlaps(&map);
    assert!(problems.is_empty(), "{problems:#?}");
    let svg = svg(&map);
    assert!(svg.contains("&lt;Hope&gt; &amp; &quot;trust&quot; 希望 🌱"));
    assert!(svg_texts(&svg).contains(&"<Hope> & \"trust\" 希望 🌱".to_owned()));
}

#[test]
fn text_wraps_without_losing_anything() {
    let max = 120.0;
    let lines = wrap("showing clients a way out of the revolving door of prison", &SUB_THEME_FONT, max);
    assert!(lines.len() > 1);
    assert_eq!(lines.join(" "), "showing clients a way out of the revolving door of prison");
    assert!(lines.iter().all(|l| measure(l, &SUB_THEME_FONT) <= max));
    let word = "interprofessionalcollaborationacrossorganisationalboundaries";
    let lines = wrap(word, &CODE_FONT, max);
    assert!(lines.len() > 2 && lines.concat() == word);
    assert!(lines.iter().all(|l| measure(l, &CODE_FONT) <= max));
    assert_eq!(wrap("", &CODE_FONT, max), [""]);
    assert_eq!(xml("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
}
