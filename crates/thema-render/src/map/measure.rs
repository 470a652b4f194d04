//! Measures: the card and channel sizes, the fonts, text measured in the bundled DejaVu Sans and wrapped.

use super::*;

pub(super) const CARD_WIDTH: f64 = 260.0;
pub(super) const CARD_PAD: f64 = 14.0;
/// The role colour's band at the top of a card.
pub(super) const STRIPE: f64 = 6.0;
pub(super) const CORNER: f64 = 6.0;
pub(super) const MARGIN: f64 = 28.0;
pub(super) const MIN_WIDTH: f64 = 560.0;
pub(super) const MAX_COLUMNS: usize = 5;
/// The least gap between columns, and the room beside the outermost vertical tracks in a gap.
pub(super) const MIN_GAP: f64 = 48.0;
pub(super) const GAP_PAD: f64 = 16.0;
pub(super) const RISER_SPACING: f64 = 12.0;
/// The least channel between two rows, and the spacing of its horizontal tracks.
pub(super) const MIN_CHANNEL: f64 = 44.0;
pub(super) const TRACK_SPACING: f64 = 10.0;
/// Room above a channel's first track, and below its last for the arrowheads.
pub(super) const TRACK_TOP: f64 = 12.0;
pub(super) const TRACK_BOTTOM: f64 = 26.0;
pub(super) const PORT_SPACING: f64 = 26.0;
pub(super) const ARROW: f64 = 9.0;
/// An edge label's box: padding around the text, the gap to its trunk, and the lane pitch.
pub(super) const LABEL_PAD_X: f64 = 4.0;
pub(super) const LABEL_PAD_Y: f64 = 2.0;
pub(super) const LABEL_GAP: f64 = 6.0;
pub(super) const LANE_GAP: f64 = 4.0;
/// DejaVu Sans Bold is about 10-12 % wider than the regular face, the one bundled (checked
/// against librsvg's rendering: "Relying on shared experience" at 15 px bold, 251 px of ink).
pub(super) const BOLD_WIDTH: f64 = 1.13;
/// DejaVu Sans's ascent and descent, in ems: where the baseline goes in a line box.
pub(super) const ASCENT: f64 = 0.928;
pub(super) const DESCENT: f64 = 0.236;

/// A text style: its size, line height, weight and letter spacing, in pixels.
pub(super) struct Font {
    pub(super) size: f64,
    pub(super) line: f64,
    pub(super) bold: bool,
    pub(super) spacing: f64,
}

pub(super) const TITLE_FONT: Font = Font { size: 22.0, line: 28.0, bold: true, spacing: 0.0 };
pub(super) const LEGEND_FONT: Font = Font { size: 13.0, line: 18.0, bold: false, spacing: 0.0 };
pub(super) const ROLE_FONT: Font = Font { size: 11.0, line: 14.0, bold: false, spacing: 1.0 };
pub(super) const NAME_FONT: Font = Font { size: 15.0, line: 20.0, bold: true, spacing: 0.0 };
pub(super) const SUB_THEME_FONT: Font = Font { size: 13.0, line: 17.0, bold: false, spacing: 0.0 };
pub(super) const CODE_FONT: Font = Font { size: 12.0, line: 16.0, bold: false, spacing: 0.0 };
pub(super) const LABEL_FONT: Font = Font { size: 12.0, line: 15.0, bold: false, spacing: 0.0 };

pub(super) fn font_of(kind: TextKind) -> &'static Font {
    match kind {
        TextKind::Title => &TITLE_FONT,
        TextKind::Legend => &LEGEND_FONT,
        TextKind::Role => &ROLE_FONT,
        TextKind::CardName => &NAME_FONT,
        TextKind::SubTheme => &SUB_THEME_FONT,
        TextKind::Category | TextKind::Code | TextKind::InVivoCode => &CODE_FONT,
        TextKind::EdgeLabel => &LABEL_FONT,
    }
}

/// Width of `text` in `font`, measured in the bundled DejaVu Sans, rounded up. plotters (through
/// ab_glyph) takes a size as the height from descent to ascent, 1.164 em in DejaVu Sans, where
/// SVG's `font-size` is the em: scaled back up, the width is the one an SVG renderer draws.
pub(super) fn measure(text: &str, font: &Font) -> f64 {
    let width = f64::from(crate::text_width(text, font.size)) * (ASCENT + DESCENT);
    let width = if font.bold { width * BOLD_WIDTH } else { width };
    (width + font.spacing * text.chars().count() as f64).ceil() + 1.0
}

/// `text` in lines no wider than `max`: split between words, and a word wider than a line
/// between characters. Nothing is dropped.
pub(super) fn wrap(text: &str, font: &Font, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if measure(&candidate, font) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if measure(word, font) <= max {
            line = word.to_owned();
            continue;
        }
        for ch in word.chars() {
            let mut next = line.clone();
            next.push(ch);
            if !line.is_empty() && measure(&next, font) > max {
                lines.push(std::mem::take(&mut line));
                line.push(ch);
            } else {
                line = next;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A block of `text` with its top left corner at (x, y), wrapped to `max`.
pub(super) fn text_block(text: String, kind: TextKind, (x, y): (f64, f64), max: f64, entry: Option<&str>) -> MapText {
    let font = font_of(kind);
    let lines = wrap(&text, font, max);
    let w = lines.iter().map(|line| measure(line, font)).fold(0.0, f64::max);
    let h = font.line * lines.len() as f64;
    MapText { text, lines, kind, size: font.size, rect: Rect { x, y, w, h }, entry: entry.map(str::to_owned) }
}

/// Where the baseline of a text's first line is, below the top of its line box: the glyphs'
/// ascent and descent centred in the line.
pub(super) fn baseline(font: &Font) -> f64 {
    (font.line - (ASCENT + DESCENT) * font.size) / 2.0 + ASCENT * font.size
}
