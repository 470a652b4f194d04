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

mod cards;
mod colour;
mod layers;
mod measure;
mod place;
mod route;
mod svg;
#[cfg(test)]
mod tests;
mod text;

use cards::*;
use colour::*;
use layers::*;
use measure::*;
use place::*;
use route::*;
use svg::*;

pub use place::layout;
pub use svg::{svg, svg_linked};
pub use text::{dot, mermaid};

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
