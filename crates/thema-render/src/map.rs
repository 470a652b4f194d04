//! The theme map: a study's themes drawn as cards a research team can review together, like
//! Fig. 1 of Palis et al. (2024, BMC Public Health 24:84), where a foundation theme is the
//! foundation of four guiding principles that lead to an outcome.
//!
//! [`layout`] places one card per theme on a grid and routes the relations between them;
//! [`svg`] draws a [`Layout`] by hand, so the same codebook gives the same bytes; [`dot`] and
//! [`mermaid`] write the same map for Graphviz and Mermaid.
//!
//! How the layout works:
//! - Cards. A theme is a card: a header coloured by the theme's role (Okabe & Ito's colour-blind
//!   safe palette) with the role word in small capitals and the theme's name, then its sub-themes
//!   and, with [`MapOptions::codes`], the categories and codes under them. A sub-theme without a
//!   theme gets a card of its own; codes and categories without a theme share a card "Not in a
//!   theme". Text is measured in the bundled DejaVu Sans and wrapped to the card, never cut.
//! - Rows. A relation between two entries is a relation between the cards that hold them. Cards are
//!   put in layers by the longest path of that graph (Sugiyama et al., 1981), after dropping the
//!   few relations that point backwards in a greedy order of the cards (Eades, Lin & Smyth, 1993;
//!   ties in the order the entries are given), so cycles do not matter; those are still drawn, upwards. Cards without
//!   relations go by role: foundation at the top, outcome at the bottom, the rest in the middle. The
//!   order within a layer comes from a few barycentre sweeps (Sugiyama et al., 1981), ties in the
//!   order the entries are given (the codebook's order);
//!   a layer wider than five cards wraps onto more rows.
//! - Edges. Routed at right angles through the white space only: down from the source card into
//!   the channel below its row, along that channel, up or down through the gaps between columns
//!   (stepping sideways in a channel on the way where a row's cards are offset), along the
//!   channel above the target's row and into the target's top. The edges from one card with one
//!   label share a trunk and a label; every such group has its own track in each channel, and
//!   tracks are ordered to cross as little as they can (the vertical constraints of channel
//!   routing, Hashimoto & Stevens, 1971). Channels and gaps grow with their tracks and labels, so
//!   no edge runs through a card and no label covers a card or another label.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fmt::Write as _;

// ---------------------------------------------------------------------------------------------
// Input

/// What an entry of the codebook is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapKind {
    /// A theme: a card of its own. Its `parent` is ignored: themes are always at the top level.
    Theme,
    /// A sub-theme: a line on its theme's card, or a card of its own when it has no theme.
    SubTheme,
    /// A category of codes: shown, like codes, only with [`MapOptions::codes`].
    Category,
    /// A code: shown only with [`MapOptions::codes`].
    Code,
}

/// One entry of the codebook as the map sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapEntry {
    /// The entry's id, unique in the codebook; relations and parents refer to it.
    pub id: String,
    /// The name shown on the map.
    pub name: String,
    /// Theme, sub-theme, category or code.
    pub kind: MapKind,
    /// The id of the entry this one sits under. An id that names no entry (or the entry itself)
    /// is treated as no parent: the entry is drawn at the top level, not rejected, because a map
    /// of an unfinished codebook is still worth looking at. Of a cycle of parents, the entry with
    /// the smallest id is put at the top level.
    pub parent: Option<String>,
    /// The theme's role in the model: "foundation", "central", "outcome" or any other word. It
    /// colours the card's header; only a theme's or a card's own sub-theme's role is shown.
    pub role: Option<String>,
    /// Whether a code is in vivo, in the participants' own words: drawn in quotes and italics.
    pub in_vivo: bool,
}

/// A relation between two entries, drawn as a labelled arrow between the cards that hold them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapRelation {
    /// The id of the entry the arrow starts at.
    pub from: String,
    /// The id of the entry the arrow points to.
    pub to: String,
    /// The label, such as "leads to"; an empty label draws no label.
    pub label: String,
}

/// What to draw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapOptions {
    /// Show the categories and codes under each sub-theme or theme too, and a card "Not in a
    /// theme" for those without one.
    pub codes: bool,
    /// The title above the map; empty for none.
    pub title: String,
}

/// Why a codebook cannot be drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MapProblem {
    /// Two entries have the same id.
    DuplicateId {
        /// The id.
        id: String,
    },
    /// A relation names an id that no entry has.
    UnknownEntry {
        /// The relation's position in the list, from 1.
        relation: usize,
        /// The relation's `from`.
        from: String,
        /// The relation's `to`.
        to: String,
        /// The id that names no entry (`from`, `to` or both).
        id: String,
    },
}

impl fmt::Display for MapProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MapProblem::DuplicateId { id } => write!(f, "the id \"{id}\" is used by more than one entry"),
            MapProblem::UnknownEntry { relation, from, to, id } => {
                write!(f, "relation {relation} (\"{from}\" -> \"{to}\") names \"{id}\", which is not in the codebook")
            }
        }
    }
}

/// Why [`layout`] failed: every problem found, not just the first.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MapError {
    /// The problems, in the order of the entries and relations.
    pub problems: Vec<MapProblem>,
}

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot draw the theme map: ")?;
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for MapError {}

// ---------------------------------------------------------------------------------------------
// Output

/// A rectangle in SVG pixels: the top left corner, the width and the height.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// The right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// The bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the two share some area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }

    /// Whether `other` lies wholly inside this rectangle.
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x && other.y >= self.y && other.right() <= self.right() && other.bottom() <= self.bottom()
    }

    /// Whether the horizontal or vertical segment from `a` to `b` passes through the inside of the
    /// rectangle (running along an edge or ending on it does not count).
    pub fn is_crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        if x0 == x1 {
            x0 > self.x && x0 < self.right() && y0 < self.bottom() && y1 > self.y
        } else if y0 == y1 {
            y0 > self.y && y0 < self.bottom() && x0 < self.right() && x1 > self.x
        } else {
            x0 < self.right() && x1 > self.x && y0 < self.bottom() && y1 > self.y
        }
    }
}

/// What a piece of text on the map is; [`svg`] styles it by this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextKind {
    /// The map's title.
    Title,
    /// The name of a role (or other key) in the legend.
    Legend,
    /// The role word on a card, in small capitals.
    Role,
    /// The name in a card's header: a theme, a sub-theme with a card of its own, or "Not in a
    /// theme".
    CardName,
    /// A sub-theme listed on a card.
    SubTheme,
    /// A category listed on a card.
    Category,
    /// A code listed on a card.
    Code,
    /// An in-vivo code listed on a card, in quotes.
    InVivoCode,
    /// The label of one or more edges.
    EdgeLabel,
}

/// A piece of text, wrapped into lines, and the rectangle it covers.
#[derive(Clone, Debug, PartialEq)]
pub struct MapText {
    /// The text as shown (an in-vivo code with its quotes, a role in capitals).
    pub text: String,
    /// The text wrapped into lines, split between words (or, for a word wider than the line,
    /// between characters); nothing is left out.
    pub lines: Vec<String>,
    /// What the text is.
    pub kind: TextKind,
    /// Font size in pixels.
    pub size: f64,
    /// The area the lines cover; for an edge label, its white backing box around the text.
    pub rect: Rect,
    /// The id of the entry the text names, if it names one.
    pub entry: Option<String>,
}

/// A card: a theme with its sub-themes (and codes), a sub-theme without a theme, or the entries
/// that are not in a theme.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// The id of the theme or sub-theme the card is for; `None` for "Not in a theme".
    pub theme: Option<String>,
    /// The role, lower case, if it has one.
    pub role: Option<String>,
    /// The role's colour, `#rrggbb`.
    pub colour: String,
    /// The whole card.
    pub rect: Rect,
    /// The header, coloured by role, at the top of the card.
    pub header: Rect,
    /// The layer of the card, from 0 at the top.
    pub layer: usize,
    /// The grid row of the card, from 0 at the top; a wide layer takes more than one row.
    pub row: usize,
    /// The role word, the name and the lines listed on the card, top to bottom.
    pub texts: Vec<MapText>,
}

/// An arrow from one card to another: one or more relations with the same label.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// The source card, an index into [`Layout::cards`].
    pub from: usize,
    /// The target card, an index into [`Layout::cards`].
    pub to: usize,
    /// The label of its relations.
    pub label: String,
    /// The relations drawn by the edge, as indices into the relations given to [`layout`].
    pub relations: Vec<usize>,
    /// The path: starts on the source card's bottom edge, ends on the target card's top edge, and
    /// has only horizontal and vertical segments.
    pub points: Vec<(f64, f64)>,
    /// The colour of the line, `#rrggbb`: the source's role colour, darker.
    pub colour: String,
}

/// A label shared by the edges from one card with the same label.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeLabel {
    /// The label, beside the edges' common trunk under the source card.
    pub text: MapText,
    /// The edges it labels, as indices into [`Layout::edges`].
    pub edges: Vec<usize>,
}

/// One item of the legend: a role and its colour, or a sample of a text style.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    /// The colour swatch, if the item has one.
    pub swatch: Option<Rect>,
    /// The swatch's colour, `#rrggbb`.
    pub colour: String,
    /// Whether the swatch is drawn dashed, like the card "Not in a theme".
    pub dashed: bool,
    /// The words.
    pub text: MapText,
}

/// A theme map laid out: where every card, text, edge and label goes, in SVG pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Width of the canvas.
    pub width: f64,
    /// Height of the canvas.
    pub height: f64,
    /// The title, if there is one.
    pub title: Option<MapText>,
    /// The legend under the title.
    pub legend: Vec<LegendItem>,
    /// The cards, row by row, left to right.
    pub cards: Vec<Card>,
    /// The edges.
    pub edges: Vec<Edge>,
    /// The edge labels.
    pub labels: Vec<EdgeLabel>,
}

impl Layout {
    /// Every text on the map: the title, the legend, the cards' texts and the edge labels.
    pub fn texts(&self) -> Vec<&MapText> {
        let mut texts: Vec<&MapText> = self.title.iter().collect();
        texts.extend(self.legend.iter().map(|item| &item.text));
        texts.extend(self.cards.iter().flat_map(|card| card.texts.iter()));
        texts.extend(self.labels.iter().map(|label| &label.text));
        texts
    }
}

// ---------------------------------------------------------------------------------------------
// Measures

const CARD_WIDTH: f64 = 260.0;
const CARD_PAD: f64 = 14.0;
/// The role colour's band at the top of a card.
const STRIPE: f64 = 6.0;
const CORNER: f64 = 6.0;
const MARGIN: f64 = 28.0;
const MIN_WIDTH: f64 = 560.0;
const MAX_COLUMNS: usize = 5;
/// The least gap between columns, and the room beside the outermost vertical tracks in a gap.
const MIN_GAP: f64 = 48.0;
const GAP_PAD: f64 = 16.0;
const RISER_SPACING: f64 = 12.0;
/// The least channel between two rows, and the spacing of its horizontal tracks.
const MIN_CHANNEL: f64 = 44.0;
const TRACK_SPACING: f64 = 10.0;
/// Room above a channel's first track, and below its last for the arrowheads.
const TRACK_TOP: f64 = 12.0;
const TRACK_BOTTOM: f64 = 26.0;
const PORT_SPACING: f64 = 26.0;
const ARROW: f64 = 9.0;
/// An edge label's box: padding around the text, the gap to its trunk, and the lane pitch.
const LABEL_PAD_X: f64 = 4.0;
const LABEL_PAD_Y: f64 = 2.0;
const LABEL_GAP: f64 = 6.0;
const LANE_GAP: f64 = 4.0;
/// DejaVu Sans Bold is about 10-12 % wider than the regular face, the one bundled (checked
/// against librsvg's rendering: "Relying on shared experience" at 15 px bold, 251 px of ink).
const BOLD_WIDTH: f64 = 1.13;
/// DejaVu Sans's ascent and descent, in ems: where the baseline goes in a line box.
const ASCENT: f64 = 0.928;
const DESCENT: f64 = 0.236;

/// A text style: its size, line height, weight and letter spacing, in pixels.
struct Font {
    size: f64,
    line: f64,
    bold: bool,
    spacing: f64,
}

const TITLE_FONT: Font = Font { size: 22.0, line: 28.0, bold: true, spacing: 0.0 };
const LEGEND_FONT: Font = Font { size: 13.0, line: 18.0, bold: false, spacing: 0.0 };
const ROLE_FONT: Font = Font { size: 11.0, line: 14.0, bold: false, spacing: 1.0 };
const NAME_FONT: Font = Font { size: 15.0, line: 20.0, bold: true, spacing: 0.0 };
const SUB_THEME_FONT: Font = Font { size: 13.0, line: 17.0, bold: false, spacing: 0.0 };
const CODE_FONT: Font = Font { size: 12.0, line: 16.0, bold: false, spacing: 0.0 };
const LABEL_FONT: Font = Font { size: 12.0, line: 15.0, bold: false, spacing: 0.0 };

fn font_of(kind: TextKind) -> &'static Font {
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
fn measure(text: &str, font: &Font) -> f64 {
    let width = f64::from(super::text_width(text, font.size)) * (ASCENT + DESCENT);
    let width = if font.bold { width * BOLD_WIDTH } else { width };
    (width + font.spacing * text.chars().count() as f64).ceil() + 1.0
}

/// `text` in lines no wider than `max`: split between words, and a word wider than a line
/// between characters. Nothing is dropped.
fn wrap(text: &str, font: &Font, max: f64) -> Vec<String> {
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
fn text_block(text: String, kind: TextKind, (x, y): (f64, f64), max: f64, entry: Option<&str>) -> MapText {
    let font = font_of(kind);
    let lines = wrap(&text, font, max);
    let w = lines.iter().map(|line| measure(line, font)).fold(0.0, f64::max);
    let h = font.line * lines.len() as f64;
    MapText { text, lines, kind, size: font.size, rect: Rect { x, y, w, h }, entry: entry.map(str::to_owned) }
}

/// Where the baseline of a text's first line is, below the top of its line box: the glyphs'
/// ascent and descent centred in the line.
fn baseline(font: &Font) -> f64 {
    (font.line - (ASCENT + DESCENT) * font.size) / 2.0 + ASCENT * font.size
}

// ---------------------------------------------------------------------------------------------
// Colours

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Rgb(u8, u8, u8);

impl Rgb {
    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    fn parse(hex: &str) -> Rgb {
        let part = |i: usize| hex.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok()).unwrap_or(0);
        Rgb(part(1), part(3), part(5))
    }

    /// `self` moved a fraction `t` of the way to `other`.
    fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

const WHITE: Rgb = Rgb(255, 255, 255);
const BLACK: Rgb = Rgb(0, 0, 0);
/// Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision
/// deficiencies. Blue, bluish green and vermillion for the three roles of the model ...
const FOUNDATION: Rgb = Rgb(0, 114, 178);
const CENTRAL: Rgb = Rgb(0, 158, 115);
const OUTCOME: Rgb = Rgb(213, 94, 0);
/// ... and the rest of the palette, in order, for any other role words.
const OTHER_ROLES: [Rgb; 4] = [Rgb(230, 159, 0), Rgb(204, 121, 167), Rgb(86, 180, 233), Rgb(240, 228, 66)];
const NO_ROLE: Rgb = Rgb(128, 128, 128);
const INK: &str = "#1a1a1a";

/// The three roles of the model come first in the legend, in this order.
const MODEL_ROLES: [&str; 3] = ["foundation", "central", "outcome"];

/// The colour of `role`; `others` are the role words outside the model, sorted.
fn role_colour(role: Option<&str>, others: &[String]) -> Rgb {
    match role {
        None => NO_ROLE,
        Some("foundation") => FOUNDATION,
        Some("central") => CENTRAL,
        Some("outcome") => OUTCOME,
        Some(word) => {
            let i = others.iter().position(|o| o == word).unwrap_or(0);
            OTHER_ROLES[i % OTHER_ROLES.len()]
        }
    }
}

/// A role as written, trimmed and lower case; empty is none.
fn normal_role(role: Option<&str>) -> Option<String> {
    role.map(|r| r.trim().to_lowercase()).filter(|r| !r.is_empty())
}

// ---------------------------------------------------------------------------------------------
// The codebook as a tree, and its cards

/// The entries (the first of each id), their parents and children, and the relations.
struct Model<'a> {
    entries: Vec<&'a MapEntry>,
    /// The parent of each entry: none for a theme, an unknown id or the entry with the smallest
    /// id of a cycle.
    parent: Vec<Option<usize>>,
    /// The children of each entry, in the order given.
    children: Vec<Vec<usize>>,
    /// The relations whose ends are both known: from, to, and the index in the input.
    relations: Vec<(usize, usize, usize)>,
    labels: Vec<&'a str>,
}

impl<'a> Model<'a> {
    /// The model of a codebook, and the problems found (the entries and relations with a problem
    /// are left out of the model).
    fn new(entries: &'a [MapEntry], relations: &'a [MapRelation]) -> (Model<'a>, Vec<MapProblem>) {
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

    fn is_visible(&self, e: usize, codes: bool) -> bool {
        codes || matches!(self.entries[e].kind, MapKind::Theme | MapKind::SubTheme)
    }
}

/// A card before it is placed.
struct CardInfo {
    /// The theme or sub-theme; none for "Not in a theme".
    root: Option<usize>,
    id: String,
    name: String,
    role: Option<String>,
    /// The entries listed on the card, in order, with their depth (1 under the header).
    lines: Vec<(usize, usize)>,
}

impl CardInfo {
    /// Cards sort in the order their entries are given (the codebook's order), "Not in a theme"
    /// last.
    fn sort_key(&self) -> (bool, usize) {
        (self.root.is_none(), self.root.unwrap_or(usize::MAX))
    }
}

/// The cards of a codebook, and the card each entry is on (or, hidden, belongs to).
struct Cards {
    infos: Vec<CardInfo>,
    card_of: Vec<Option<usize>>,
}

const NOT_IN_A_THEME: &str = "Not in a theme";

fn plan_cards(model: &Model<'_>, codes: bool) -> Cards {
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
struct Link {
    from: usize,
    to: usize,
    label: String,
    relations: Vec<usize>,
}

fn links(model: &Model<'_>, card_of: &[Option<usize>]) -> Vec<Link> {
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

/// Layers of the cards, from 0 at the top: the longest path from a card without predecessors,
/// after dropping the links that point backwards in a greedy order of the cards that makes them
/// few. Cards without relations go by role: foundation at the top, outcome at the bottom, the
/// rest in the middle; an outcome with no successors goes to the bottom too.
fn layer_cards(infos: &[CardInfo], links: &[Link]) -> Vec<usize> {
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
fn order_rows(infos: &[CardInfo], links: &[Link], layer: &[usize]) -> Vec<Vec<usize>> {
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
fn card_content(info: &CardInfo, model: &Model<'_>) -> (Vec<MapText>, f64, f64) {
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

// ---------------------------------------------------------------------------------------------
// Routing

/// The edges from one card with one label: one port, one trunk, one label.
struct Group {
    source: usize,
    label: String,
    links: Vec<usize>,
    port: f64,
}

/// A vertical run of a group's edges through a gap between columns, from one channel to another.
struct Riser {
    group: usize,
    /// The gap: 0 left of the first column, 2 × columns right of the last (in half columns).
    slot: usize,
    /// The channels it joins, top and bottom.
    lo: usize,
    hi: usize,
    track: usize,
    x: f64,
}

/// A horizontal run in a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum NetKey {
    /// A group's trunk, in the channel under its source.
    Source(usize),
    /// A group's step from one riser to the next.
    Jog(usize, usize, usize),
    /// A group's last riser to the targets it reaches, in the channel above them.
    Arrival(usize, usize),
}

/// Where a net meets verticals: at `x`, going up out of the channel, down, or both.
#[derive(Clone, Copy)]
struct Pin {
    x: f64,
    up: bool,
    down: bool,
}

#[derive(Default)]
struct Net {
    pins: Vec<Pin>,
    track: usize,
}

impl Net {
    fn add(&mut self, x: f64, up: bool, down: bool) {
        match self.pins.iter_mut().find(|p| (p.x - x).abs() < 0.01) {
            Some(pin) => {
                pin.up |= up;
                pin.down |= down;
            }
            None => self.pins.push(Pin { x, up, down }),
        }
    }

    fn span(&self) -> (f64, f64) {
        let lo = self.pins.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
        let hi = self.pins.iter().map(|p| p.x).fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    }
}

/// The crossings if net `a` runs above net `b` in a channel: `a`'s verticals going down cross
/// `b`'s run, `b`'s verticals going up cross `a`'s; a vertical of each at one x would overlap.
fn crossings(a: &Net, b: &Net) -> usize {
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
fn order_tracks(nets: &[&Net]) -> Vec<usize> {
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
struct PendingLabel {
    group: usize,
    port: f64,
    w: f64,
}

/// Lanes for a channel's labels: each label beside its own trunk, right or left of it, on the
/// first lane where it meets no other label, preferring places no other vertical line runs
/// through. Returns each label's x and lane, and the number of lanes.
fn place_labels(labels: &[PendingLabel], lines: &[f64], width: f64) -> (Vec<(f64, usize)>, usize) {
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

fn label_box_height() -> f64 {
    LABEL_FONT.line + 2.0 * LABEL_PAD_Y
}

// ---------------------------------------------------------------------------------------------
// Layout

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
fn other_roles(infos: &[CardInfo]) -> Vec<String> {
    let words: BTreeSet<&str> =
        infos.iter().filter_map(|c| c.role.as_deref()).filter(|r| !MODEL_ROLES.contains(r)).collect();
    words.into_iter().map(str::to_owned).collect()
}

fn place(model: &Model<'_>, options: &MapOptions) -> Layout {
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
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of = vec![0; links.len()];
    {
        let mut index: BTreeMap<(usize, &str), usize> = BTreeMap::new();
        for (i, link) in links.iter().enumerate() {
            let g = *index.entry((link.from, link.label.as_str())).or_insert_with(|| {
                groups.push(Group { source: link.from, label: link.label.clone(), links: Vec::new(), port: 0.0 });
                groups.len() - 1
            });
            groups[g].links.push(i);
            group_of[i] = g;
        }
    }

    // Risers: a link between rows that are not neighbours runs up or down through the gaps
    // between columns, each free in the row it passes, and may step sideways to another gap in a
    // channel on the way. The cheapest such path, by dynamic programming over the channels it
    // crosses: distance from both ends, sideways steps and gaps busy with other groups cost.
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
    // A group's runs in one gap that overlap or meet are one riser.
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
    // Tracks in each gap: risers whose channels overlap get different tracks.
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
fn simplify(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
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
fn legend(
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

// ---------------------------------------------------------------------------------------------
// SVG

/// A number for SVG: whole numbers without a point, the rest to a tenth.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// `text` safe in XML character data and attribute values.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One `<text>` with a `<tspan>` a line.
fn svg_text(out: &mut String, text: &MapText, fill: &str) {
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
    let _ = write!(out, r#"<text font-size="{}" fill="{fill}"{style}>"#, num(font.size));
    for (i, line) in text.lines.iter().enumerate() {
        let x = text.rect.x + dx;
        let y = text.rect.y + dy + i as f64 * font.line + baseline(font);
        let _ = write!(out, r#"<tspan x="{}" y="{}">{}</tspan>"#, num(x), num(y), xml(line));
    }
    out.push_str("</text>\n");
}

/// A path of a rectangle with its top corners rounded (and its bottom ones too if `all`).
fn rounded_top(r: &Rect, all: bool) -> String {
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
        svg_card(&mut out, card);
    }
    for edge in &layout.edges {
        svg_edge(&mut out, edge);
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
        svg_text(&mut out, &label.text, &colour.mix(BLACK, 0.25).hex());
    }
    out.push_str("</svg>\n");
    out
}

fn svg_card(out: &mut String, card: &Card) {
    let colour = Rgb::parse(&card.colour);
    let unthemed = card.theme.is_none();
    let r = &card.rect;
    let (x, y, w, h) = (num(r.x), num(r.y), num(r.w), num(r.h));
    let _ = writeln!(out, "<g>");
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
        svg_text(out, text, fill);
    }
    out.push_str("</g>\n");
}

fn svg_edge(out: &mut String, edge: &Edge) {
    let Some((&(tx, ty), rest)) = edge.points.split_last() else { return };
    let mut d = String::new();
    for (i, &(x, y)) in rest.iter().enumerate() {
        let _ = write!(d, "{}{},{} ", if i == 0 { "M" } else { "L" }, num(x), num(y));
    }
    // The line stops under the arrowhead, which ends on the card's top edge.
    let _ = write!(d, "L{},{}", num(tx), num(ty - ARROW + 1.0));
    let _ = writeln!(
        out,
        r#"<path d="{d}" fill="none" stroke="{}" stroke-width="1.6" stroke-linejoin="round"/>"#,
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

// ---------------------------------------------------------------------------------------------
// Graphviz and Mermaid

/// The cards of a codebook for the text formats: relations and entries with problems are left
/// out rather than refused.
struct TextMap<'a> {
    model: Model<'a>,
    cards: Cards,
    layer: Vec<usize>,
    colour: Vec<Rgb>,
}

impl<'a> TextMap<'a> {
    fn new(entries: &'a [MapEntry], relations: &'a [MapRelation], options: &MapOptions) -> TextMap<'a> {
        let (model, _) = Model::new(entries, relations);
        let cards = plan_cards(&model, options.codes);
        let links = links(&model, &cards.card_of);
        let layer = layer_cards(&cards.infos, &links);
        let others = other_roles(&cards.infos);
        let colour = cards.infos.iter().map(|c| role_colour(c.role.as_deref(), &others)).collect();
        TextMap { model, cards, layer, colour }
    }

    /// The entry a relation end is drawn at: the entry if it is listed on its card, else its
    /// nearest listed ancestor; none for the card's header.
    fn shown(&self, e: usize) -> Option<usize> {
        let card = self.cards.card_of[e]?;
        let listed = &self.cards.infos[card].lines;
        let mut at = Some(e);
        while let Some(a) = at {
            if listed.iter().any(|&(l, _)| l == a) {
                return Some(a);
            }
            at = self.model.parent[a];
        }
        None
    }
}

/// `text` inside a double-quoted DOT string.
fn dot_string(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace(['\n', '\r'], " ")
}

/// Writes the theme map as a Graphviz graph: each card an HTML-like table (header coloured by
/// role, the sub-themes and codes as rows, each a port), ranked by the same layers as [`layout`],
/// the relations as labelled edges between the cards, or the rows, they name. Relations naming unknown ids are
/// left out; [`layout`] reports them.
pub fn dot(entries: &[MapEntry], relations: &[MapRelation], options: &MapOptions) -> String {
    let map = TextMap::new(entries, relations, options);
    let mut out = String::from("digraph theme_map {\n");
    let _ = writeln!(
        out,
        "  graph [fontname=\"DejaVu Sans\", fontsize=20, labelloc=\"t\", label=\"{}\", rankdir=TB, nodesep=0.5, ranksep=0.8];",
        dot_string(options.title.trim())
    );
    out.push_str("  node [fontname=\"DejaVu Sans\", fontsize=12, shape=plain];\n");
    out.push_str("  edge [fontname=\"DejaVu Sans\", fontsize=11, color=\"#555555\"];\n");
    let width = CARD_WIDTH - 2.0 * CARD_PAD;
    // Wrapped as on the map, each line indented alike.
    let html_lines = |text: &str, font: &Font, max: f64, indent: &str| {
        wrap(text, font, max)
            .iter()
            .map(|l| format!("{indent}{}", xml(l)))
            .collect::<Vec<_>>()
            .join("<BR ALIGN=\"LEFT\"/>")
    };
    for (c, info) in map.cards.infos.iter().enumerate() {
        let colour = map.colour[c];
        let tint = if info.root.is_none() { Rgb(242, 242, 242) } else { colour.mix(WHITE, 0.82) };
        let _ = write!(
            out,
            "  card{c} [label=<<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"4\" COLOR=\"{}\" BGCOLOR=\"#ffffff\">",
            colour.hex()
        );
        let role = info.role.as_deref().map_or(String::new(), |r| {
            format!(
                "<FONT POINT-SIZE=\"9\" COLOR=\"{}\">{}</FONT><BR ALIGN=\"LEFT\"/>",
                colour.mix(BLACK, 0.3).hex(),
                xml(&r.to_uppercase())
            )
        });
        let _ = write!(
            out,
            "<TR><TD BGCOLOR=\"{}\" ALIGN=\"LEFT\" BALIGN=\"LEFT\">{role}<B>{}</B></TD></TR>",
            tint.hex(),
            html_lines(&info.name, &NAME_FONT, width, "")
        );
        for &(e, depth) in &info.lines {
            let entry = map.model.entries[e];
            let indent = "&#160;".repeat(4 * (depth - 1));
            let (font, text) = match entry.kind {
                MapKind::Theme | MapKind::SubTheme => (&SUB_THEME_FONT, format!("• {}", entry.name)),
                MapKind::Code if entry.in_vivo => (&CODE_FONT, format!("\u{201c}{}\u{201d}", entry.name)),
                _ => (&CODE_FONT, entry.name.clone()),
            };
            let mut body = html_lines(&text, font, width - 14.0 * (depth - 1) as f64, &indent);
            if entry.kind == MapKind::Code && entry.in_vivo {
                body = format!("<I>{body}</I>");
            }
            if font.size < SUB_THEME_FONT.size {
                body = format!("<FONT POINT-SIZE=\"10\">{body}</FONT>");
            }
            let _ = write!(out, "<TR><TD PORT=\"e{e}\" ALIGN=\"LEFT\" BALIGN=\"LEFT\">{body}</TD></TR>");
        }
        out.push_str("</TABLE>>];\n");
    }
    let depth = map.layer.iter().max().map_or(0, |m| m + 1);
    for l in 0..depth {
        let members: Vec<String> =
            (0..map.layer.len()).filter(|&c| map.layer[c] == l).map(|c| format!("card{c}")).collect();
        let _ = writeln!(out, "  {{ rank=same; {}; }}", members.join("; "));
    }
    let mut seen = BTreeSet::new();
    for &(from, to, k) in &map.model.relations {
        let (Some(a), Some(b)) = (map.cards.card_of[from], map.cards.card_of[to]) else { continue };
        // A relation of a listed entry starts or ends at its row; of a theme, at the card.
        let end = |card: usize, e: usize| map.shown(e).map_or(format!("card{card}"), |s| format!("card{card}:e{s}"));
        let (ea, eb) = (end(a, from), end(b, to));
        let label = map.model.labels[k];
        if seen.insert((ea.clone(), eb.clone(), label)) {
            let _ = writeln!(out, "  {ea} -> {eb} [label=\"{}\"];", dot_string(label));
        }
    }
    out.push_str("}\n");
    out
}

/// `text` inside a double-quoted Mermaid label (Mermaid's entity codes for the quote and angle
/// brackets).
fn mermaid_string(text: &str) -> String {
    text.replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;").replace(['\n', '\r'], " ")
}

/// Writes the theme map as a Mermaid `flowchart TB`: each theme a subgraph holding its sub-themes
/// (and codes, a sub-theme with codes a subgraph of its own), coloured by role; the relations as
/// labelled edges between the entries they name. Ids are made of letters, digits and `_` only,
/// with a prefix so no id is a Mermaid keyword; labels are quoted. Relations naming unknown ids are
/// left out; [`layout`] reports them.
pub fn mermaid(entries: &[MapEntry], relations: &[MapRelation], options: &MapOptions) -> String {
    let map = TextMap::new(entries, relations, options);
    let mut taken = BTreeSet::new();
    let mut unique = |prefix: &str, id: &str| {
        let base: String =
            format!("{prefix}_{id}").chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        let mut name = base.clone();
        let mut k = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}_{k}");
            k += 1;
        }
        name
    };
    let card_ids: Vec<String> = map
        .cards
        .infos
        .iter()
        .map(|c| match c.root {
            Some(r) if map.model.entries[r].kind == MapKind::Theme => unique("t", &c.id),
            Some(_) => unique("s", &c.id),
            None => unique("u", "not_in_a_theme"),
        })
        .collect();
    let mut entry_ids: BTreeMap<usize, String> = BTreeMap::new();
    for info in &map.cards.infos {
        for &(e, _) in &info.lines {
            let entry = map.model.entries[e];
            let prefix = match entry.kind {
                MapKind::Theme | MapKind::SubTheme => "s",
                MapKind::Category => "k",
                MapKind::Code => "c",
            };
            entry_ids.insert(e, unique(prefix, &entry.id));
        }
    }
    let mut out = String::new();
    if !options.title.trim().is_empty() {
        let title = options.title.trim().replace('\\', "\\\\").replace('"', "\\\"");
        let _ = writeln!(out, "---\ntitle: \"{title}\"\n---");
    }
    out.push_str("flowchart TB\n");
    for (c, info) in map.cards.infos.iter().enumerate() {
        let name = mermaid_string(&info.name);
        if info.lines.is_empty() {
            let _ = writeln!(out, "  {}[\"{name}\"]", card_ids[c]);
            continue;
        }
        let _ = writeln!(out, "  subgraph {}[\"{name}\"]", card_ids[c]);
        out.push_str("    direction TB\n");
        // The lines are in preorder with their depth: a line followed by a deeper one opens a
        // subgraph, closed when the depth comes back.
        let mut open = 0;
        for (i, &(e, depth)) in info.lines.iter().enumerate() {
            while open >= depth {
                open -= 1;
                let _ = writeln!(out, "{}end", "  ".repeat(open + 2));
            }
            let entry = map.model.entries[e];
            let text = if entry.kind == MapKind::Code && entry.in_vivo {
                format!("\u{201c}{}\u{201d}", entry.name)
            } else {
                entry.name.clone()
            };
            let indent = "  ".repeat(depth + 1);
            let has_children = info.lines.get(i + 1).is_some_and(|&(_, d)| d > depth);
            if has_children {
                let _ = writeln!(out, "{indent}subgraph {}[\"{}\"]", entry_ids[&e], mermaid_string(&text));
                let _ = writeln!(out, "{indent}  direction TB");
                open = depth;
            } else {
                let _ = writeln!(out, "{indent}{}[\"{}\"]", entry_ids[&e], mermaid_string(&text));
            }
        }
        while open > 0 {
            open -= 1;
            let _ = writeln!(out, "{}end", "  ".repeat(open + 2));
        }
        out.push_str("  end\n");
    }
    let mut seen = BTreeSet::new();
    for &(from, to, k) in &map.model.relations {
        let (Some(a), Some(b)) = (map.cards.card_of[from], map.cards.card_of[to]) else { continue };
        let id = |e: usize, card: usize| map.shown(e).map_or(&card_ids[card], |s| &entry_ids[&s]);
        let (ia, ib) = (id(from, a), id(to, b));
        let label = map.model.labels[k];
        if seen.insert((ia.clone(), ib.clone(), label)) {
            if label.is_empty() {
                let _ = writeln!(out, "  {ia} --> {ib}");
            } else {
                let _ = writeln!(out, "  {ia} -->|\"{}\"| {ib}", mermaid_string(label));
            }
        }
    }
    for (c, info) in map.cards.infos.iter().enumerate() {
        let colour = map.colour[c];
        let fill = if info.root.is_none() { Rgb(242, 242, 242) } else { colour.mix(WHITE, 0.82) };
        let _ = writeln!(out, "  style {} fill:{},stroke:{},color:{INK}", card_ids[c], fill.hex(), colour.hex());
    }
    out
}

#[cfg(test)]
mod tests {
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
        let shown: Vec<&MapText> =
            layout.cards.iter().flat_map(|c| c.texts.iter()).filter(|t| t.entry.is_some()).collect();
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
            Err(_) => eprintln!("SKIP: `dot` (Graphviz) is not on PATH; the DOT output was not run"),
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
        assert!(
            text.contains("t_a_theme[\"A #quot;quoted#quot; theme\"]") && text.contains("t_a_theme_2[\"Another\"]")
        );
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
        assert_eq!(
            map.cards.iter().find(|c| c.theme.as_deref() == Some("a")).unwrap().role.as_deref(),
            Some("outcome")
        );
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
}
