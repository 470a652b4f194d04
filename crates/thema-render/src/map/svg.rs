//! SVG written by hand, so the same layout gives the same bytes.

use super::*;

/// A number for SVG: whole numbers without a point, the rest to a tenth.
pub(super) fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// `text` safe in XML character data and attribute values.
pub(super) fn xml(text: &str) -> String {
    thema_core::markup::escape(text, thema_core::markup::Markup::Xml)
}

/// One `<text>` with a `<tspan>` a line.
pub(super) fn svg_text(out: &mut String, text: &MapText, fill: &str) {
    svg_text_linked(out, text, fill, "");
}

/// [`svg_text`] with `link` (attributes, each with a leading space) on the `<text>` element.
pub(super) fn svg_text_linked(out: &mut String, text: &MapText, fill: &str, link: &str) {
    let font = font_of(text.kind);
    let (dx, dy) = if text.kind == TextKind::EdgeLabel { (LABEL_PAD_X, LABEL_PAD_Y) } else { (0.0, 0.0) };
    let mut style = String::new();
    if font.bold {
        style.push_str(r#" font-weight="bold""#);
    }
    if text.kind == TextKind::InVivoCode {
        style.push_str(r#" font-style="italic""#);
    }
    if font.spacing > 0.0 {
        let _ = write!(style, r#" letter-spacing="{}""#, num(font.spacing));
    }
    let _ = write!(out, r#"<text font-size="{}" fill="{fill}"{style}{link}>"#, num(font.size));
    for (i, line) in text.lines.iter().enumerate() {
        let x = text.rect.x + dx;
        let y = text.rect.y + dy + i as f64 * font.line + baseline(font);
        let _ = write!(out, r#"<tspan x="{}" y="{}">{}</tspan>"#, num(x), num(y), xml(line));
    }
    out.push_str("</text>\n");
}

/// A path of a rectangle with its top corners rounded (and its bottom ones too if `all`).
pub(super) fn rounded_top(r: &Rect, all: bool) -> String {
    let (x, y, w, h) = (r.x, r.y, r.w, r.h);
    let c = CORNER.min(h / 2.0);
    let arc = |to_x: f64, to_y: f64| format!("A{} {} 0 0 1 {},{}", num(c), num(c), num(to_x), num(to_y));
    let top = format!("V{} {} H{} {}", num(y + c), arc(x + c, y), num(x + w - c), arc(x + w, y + c));
    if all {
        format!(
            "M{},{} {top} V{} {} H{} {} Z",
            num(x),
            num(y + h - c),
            num(y + h - c),
            arc(x + w - c, y + h),
            num(x + c),
            arc(x, y + h - c)
        )
    } else {
        format!("M{},{} {top} V{} H{} Z", num(x), num(y + h), num(y + h), num(x))
    }
}

/// Draws a laid-out theme map as SVG. Hand-written and deterministic: the same layout gives the
/// same bytes. Text is set in DejaVu Sans, which the layout measured.
pub fn svg(layout: &Layout) -> String {
    write_svg(layout, false)
}

/// [`svg`] for a page that makes the map clickable: each name of an entry carries its id
/// (`data-entry`), and each relation's line and label the indices of the relations it draws in
/// the order given to [`layout`] (`data-relations="0 2"`, several when lines were merged).
pub fn svg_linked(layout: &Layout) -> String {
    write_svg(layout, true)
}

/// ` data-relations="..."` for the relations `edges` draw, or nothing when not `linked`.
fn relation_link(layout: &Layout, edges: &[usize], linked: bool) -> String {
    if !linked {
        return String::new();
    }
    let mut relations: Vec<usize> =
        edges.iter().filter_map(|&e| layout.edges.get(e)).flat_map(|e| e.relations.iter().copied()).collect();
    relations.sort_unstable();
    relations.dedup();
    let list: Vec<String> = relations.iter().map(ToString::to_string).collect();
    format!(r#" data-relations="{}""#, list.join(" "))
}

fn write_svg(layout: &Layout, linked: bool) -> String {
    let mut out = String::new();
    let (w, h) = (num(layout.width), num(layout.height));
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, Verdana, sans-serif">"#
    );
    if let Some(title) = &layout.title {
        let _ = writeln!(out, "<title>{}</title>", xml(&title.text));
    }
    out.push_str("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    if let Some(title) = &layout.title {
        svg_text(&mut out, title, INK);
    }
    for item in &layout.legend {
        if let Some(s) = &item.swatch {
            let colour = Rgb::parse(&item.colour);
            let dash = if item.dashed { r#" stroke-dasharray="3 2""# } else { "" };
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}" stroke="{}" stroke-width="1.5"{dash}/>"#,
                num(s.x),
                num(s.y),
                num(s.w),
                num(s.h),
                if item.dashed { "#ffffff".to_owned() } else { colour.mix(WHITE, 0.55).hex() },
                colour.hex()
            );
        }
        svg_text(&mut out, &item.text, "#333333");
    }
    for card in &layout.cards {
        svg_card(&mut out, card, linked);
    }
    for (i, edge) in layout.edges.iter().enumerate() {
        svg_edge(&mut out, edge, &relation_link(layout, &[i], linked));
    }
    for label in &layout.labels {
        let r = &label.text.rect;
        let colour = label.edges.first().and_then(|&e| layout.edges.get(e)).map_or(NO_ROLE, |e| Rgb::parse(&e.colour));
        let _ = writeln!(
            out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#ffffff" stroke="{}" stroke-width="0.8"/>"##,
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h),
            colour.mix(WHITE, 0.5).hex()
        );
        svg_text_linked(
            &mut out,
            &label.text,
            &colour.mix(BLACK, 0.25).hex(),
            &relation_link(layout, &label.edges, linked),
        );
    }
    out.push_str("</svg>\n");
    out
}

pub(super) fn svg_card(out: &mut String, card: &Card, linked: bool) {
    let colour = Rgb::parse(&card.colour);
    let unthemed = card.theme.is_none();
    let r = &card.rect;
    let (x, y, w, h) = (num(r.x), num(r.y), num(r.w), num(r.h));
    // A linked card is its header's entry wherever it is clicked, but on another entry's name.
    let named = card.texts.iter().find(|t| t.kind == TextKind::CardName).and_then(|t| t.entry.as_deref());
    match named {
        Some(id) if linked => {
            let _ = writeln!(out, r#"<g data-entry="{}">"#, xml(id));
        }
        _ => {
            let _ = writeln!(out, "<g>");
        }
    }
    let _ = writeln!(
        out,
        r##"<rect x="{}" y="{}" width="{w}" height="{h}" rx="{c}" fill="#000000" fill-opacity="0.07"/>"##,
        num(r.x + 2.0),
        num(r.y + 3.0),
        c = num(CORNER)
    );
    let _ =
        writeln!(out, r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{c}" fill="#ffffff"/>"##, c = num(CORNER));
    let only_header = (card.header.h - card.rect.h).abs() < 0.01;
    let tint = if unthemed { Rgb(242, 242, 242) } else { colour.mix(WHITE, 0.82) };
    let _ = writeln!(out, r#"<path d="{}" fill="{}"/>"#, rounded_top(&card.header, only_header), tint.hex());
    if !unthemed {
        let stripe = Rect { h: STRIPE, ..card.header };
        let _ = writeln!(out, r#"<path d="{}" fill="{}"/>"#, rounded_top(&stripe, false), colour.hex());
    }
    if !only_header {
        let _ = writeln!(
            out,
            r##"<line x1="{x}" y1="{b}" x2="{}" y2="{b}" stroke="#d9d9d9"/>"##,
            num(r.right()),
            b = num(card.header.bottom())
        );
    }
    let dash = if unthemed { r#" stroke-dasharray="6 4""# } else { "" };
    let _ = writeln!(
        out,
        r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{c}" fill="none" stroke="#8c8c8c"{dash}/>"##,
        c = num(CORNER)
    );
    let role_ink = colour.mix(BLACK, 0.3).hex();
    for text in &card.texts {
        let line = font_of(text.kind).line;
        let middle = text.rect.y + line / 2.0;
        match text.kind {
            TextKind::SubTheme => {
                let _ = writeln!(
                    out,
                    r#"<rect x="{}" y="{}" width="7" height="7" rx="1.5" fill="{}"/>"#,
                    num(text.rect.x - 12.0),
                    num(middle - 3.5),
                    colour.hex()
                );
            }
            TextKind::Category => {
                let _ = writeln!(
                    out,
                    r##"<rect x="{}" y="{}" width="6" height="6" fill="none" stroke="#666666"/>"##,
                    num(text.rect.x - 11.0),
                    num(middle - 3.0)
                );
            }
            TextKind::Code | TextKind::InVivoCode => {
                let _ = writeln!(
                    out,
                    r##"<circle cx="{}" cy="{}" r="2.2" fill="#8a8a8a"/>"##,
                    num(text.rect.x - 8.0),
                    num(middle)
                );
            }
            _ => {}
        }
        let fill = match text.kind {
            TextKind::Role => role_ink.as_str(),
            TextKind::Category => "#4d4d4d",
            TextKind::Code | TextKind::InVivoCode => "#333333",
            _ => INK,
        };
        let link = match &text.entry {
            Some(id) if linked => format!(r#" data-entry="{}""#, xml(id)),
            _ => String::new(),
        };
        svg_text_linked(out, text, fill, &link);
    }
    out.push_str("</g>\n");
}

pub(super) fn svg_edge(out: &mut String, edge: &Edge, link: &str) {
    let Some((&(tx, ty), rest)) = edge.points.split_last() else { return };
    let mut d = String::new();
    for (i, &(x, y)) in rest.iter().enumerate() {
        let _ = write!(d, "{}{},{} ", if i == 0 { "M" } else { "L" }, num(x), num(y));
    }
    // The line stops under the arrowhead, which ends on the card's top edge.
    let _ = write!(d, "L{},{}", num(tx), num(ty - ARROW + 1.0));
    let _ = writeln!(
        out,
        r#"<path d="{d}" fill="none" stroke="{}" stroke-width="1.6" stroke-linejoin="round"{link}/>"#,
        edge.colour
    );
    if let Some(&(sx, sy)) = edge.points.first() {
        let _ = writeln!(out, r#"<circle cx="{}" cy="{}" r="2.6" fill="{}"/>"#, num(sx), num(sy), edge.colour);
    }
    let _ = writeln!(
        out,
        r#"<path d="M{},{} L{},{} L{},{} Z" fill="{}"/>"#,
        num(tx),
        num(ty),
        num(tx - 4.5),
        num(ty - ARROW),
        num(tx + 4.5),
        num(ty - ARROW),
        edge.colour
    );
}
