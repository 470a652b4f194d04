//! An alluvial chart: a column a wave, in each column the groups of participants stacked as
//! bars (height: the number of people, printed beside the group's label), and between two
//! columns bands carrying the participants from a group of one wave to a group of the next,
//! as wide as the number of people they carry (printed on the band when it has room). A group
//! keeps one colour wherever it appears; a group without one (not interviewed) is grey.
//! `thema trajectories --chart FILE --chart-kind alluvial` draws one.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{err, render, short, text_width, Format, RenderError, EM, LABEL_FONT};

/// One group of one column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlluvialGroup {
    /// What the group is (printed beside its bar, with its count).
    pub label: String,
    /// How many it holds.
    pub count: usize,
    /// Its colour, an index into the palette (the same for the same group in every column), or
    /// `None` for grey.
    pub colour: Option<usize>,
}

/// A band from group `from` of one column to group `to` of the next, carrying `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlluvialBand {
    /// The group in the earlier column.
    pub from: usize,
    /// The group in the next column.
    pub to: usize,
    /// How many it carries.
    pub count: usize,
}

const MARGIN: i32 = 12;
const CAPTION: i32 = 34;
const LINE: i32 = 22;
/// Width of a group's bar, space between the groups of a column.
const BAR: i32 = 14;
const GAP: i32 = 12;
/// The longest group label, in characters.
const LABEL_CHARS: usize = 44;
/// Points along each edge of a band.
const STEPS: usize = 24;

/// Okabe and Ito's colours, distinguishable with the common colour-vision deficiencies (black
/// left out: it is the text's).
const PALETTE: [(u8, u8, u8); 7] =
    [(0, 114, 178), (230, 159, 0), (0, 158, 115), (204, 121, 167), (86, 180, 233), (213, 94, 0), (240, 228, 66)];
const GREY: RGBColor = RGBColor(190, 190, 190);

fn colour(index: Option<usize>) -> RGBColor {
    index.map_or(GREY, |i| {
        let (r, g, b) = PALETTE[i % PALETTE.len()];
        RGBColor(r, g, b)
    })
}

struct Layout {
    /// Each column's groups' labels with counts, shortened.
    labels: Vec<Vec<String>>,
    /// Pixels a participant.
    unit: i32,
    /// Left of each column's bars; top of the tallest column.
    xs: Vec<i32>,
    top: i32,
    /// Each column's groups' tops.
    tops: Vec<Vec<i32>>,
    size: (u32, u32),
}

impl Layout {
    fn new(columns: usize, groups: &[Vec<AlluvialGroup>], title: &str, note: &str) -> Layout {
        let labels: Vec<Vec<String>> = groups
            .iter()
            .map(|c| c.iter().map(|g| format!("{} ({})", short(&g.label, LABEL_CHARS), g.count)).collect())
            .collect();
        let widest_of = |c: &[String]| c.iter().map(|l| text_width(l, LABEL_FONT * EM)).max().unwrap_or(0);
        // The first column's labels go left of its bars, the others' right of theirs.
        let first = labels.first().map_or(0, |c| widest_of(c));
        let widest = labels.iter().skip(1).map(|c| widest_of(c)).max().unwrap_or(0);
        let total = groups.first().map_or(0, |c| c.iter().map(|g| g.count).sum::<usize>()).max(1);
        let unit = (360 / total as i32).clamp(4, 24);
        let spacing = (widest + 110).max(200);
        let top = MARGIN + CAPTION + LINE;
        let heights: Vec<i32> = groups
            .iter()
            .map(|c| c.iter().map(|g| g.count as i32 * unit).sum::<i32>() + GAP * (c.len() as i32 - 1).max(0))
            .collect();
        let tallest = heights.iter().copied().max().unwrap_or(0);
        // Each column centred on the tallest.
        let tops = groups
            .iter()
            .zip(&heights)
            .map(|(c, h)| {
                let mut y = top + (tallest - h) / 2;
                c.iter()
                    .map(|g| {
                        let at = y;
                        y += g.count as i32 * unit + GAP;
                        at
                    })
                    .collect()
            })
            .collect();
        let xs: Vec<i32> = (0..columns as i32).map(|i| MARGIN + first + 8 + i * spacing).collect();
        let width = (xs.last().copied().unwrap_or(MARGIN) + BAR + 8 + widest + MARGIN)
            .max(MARGIN * 2 + text_width(title, 18.0 * EM))
            .max(MARGIN * 2 + text_width(note, 11.0 * EM));
        let height = top + tallest + 2 * LINE + MARGIN;
        Layout { labels, unit, xs, top, tops, size: (width.max(200) as u32, height.max(100) as u32) }
    }
}

/// The alluvial chart of `groups` (a column each, top to bottom) and `bands` (between column
/// `i` and `i + 1`), the columns headed by `columns`, `note` under it.
pub fn alluvial(
    format: Format,
    columns: &[String],
    groups: &[Vec<AlluvialGroup>],
    bands: &[Vec<AlluvialBand>],
    title: &str,
    note: &str,
) -> Result<Vec<u8>, RenderError> {
    let layout = Layout::new(columns.len(), groups, title, note);
    let chart = Chart { layout: &layout, columns, groups, bands, title, note };
    render(format, layout.size, &|root| chart.draw(root, 1.0), &|root| chart.draw(root, EM))
}

struct Chart<'a> {
    layout: &'a Layout,
    columns: &'a [String],
    groups: &'a [Vec<AlluvialGroup>],
    bands: &'a [Vec<AlluvialBand>],
    title: &'a str,
    note: &'a str,
}

impl Chart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: f64) -> Result<(), RenderError> {
        let l = self.layout;
        root.fill(&WHITE).map_err(err)?;
        let left_top = Pos::new(HPos::Left, VPos::Top);
        let caption = ("sans-serif", 18.0 * scale).into_font().color(&BLACK).pos(left_top);
        root.draw(&Text::new(self.title.to_owned(), (MARGIN, 10), caption)).map_err(err)?;
        let heading = ("sans-serif", LABEL_FONT * scale).into_font().color(&BLACK).pos(left_top);
        for (label, x) in self.columns.iter().zip(&l.xs) {
            root.draw(&Text::new(short(label, 20), (*x, l.top - LINE), heading.clone())).map_err(err)?;
        }
        for (c, bands) in self.bands.iter().enumerate() {
            self.draw_bands(root, c, bands, scale)?;
        }
        let font = ("sans-serif", LABEL_FONT * scale).into_font().color(&BLACK);
        let (right, left) = (Pos::new(HPos::Left, VPos::Center), Pos::new(HPos::Right, VPos::Center));
        for (c, column) in self.groups.iter().enumerate() {
            for (g, group) in column.iter().enumerate() {
                let (x, y) = (l.xs[c], l.tops[c][g]);
                let h = group.count as i32 * l.unit;
                root.draw(&Rectangle::new([(x, y), (x + BAR, y + h)], colour(group.colour).filled())).map_err(err)?;
                let label = l.labels[c][g].clone();
                if c == 0 {
                    root.draw(&Text::new(label, (x - 6, y + h / 2), font.clone().pos(left))).map_err(err)?;
                } else {
                    // On a light ground, so that the bands leaving the group do not cross it.
                    let w = text_width(&label, LABEL_FONT * EM);
                    let ground = WHITE.mix(0.8).filled();
                    root.draw(&Rectangle::new(
                        [(x + BAR + 3, y + h / 2 - 9), (x + BAR + 9 + w, y + h / 2 + 9)],
                        ground,
                    ))
                    .map_err(err)?;
                    root.draw(&Text::new(label, (x + BAR + 6, y + h / 2), font.clone().pos(right))).map_err(err)?;
                }
            }
        }
        let bottom = l.size.1 as i32 - MARGIN - 14;
        let small = ("sans-serif", 11.0 * scale).into_font().color(&BLACK).pos(left_top);
        root.draw(&Text::new(self.note.to_owned(), (MARGIN, bottom), small)).map_err(err)?;
        Ok(())
    }

    /// The bands from column `c` to `c + 1`: stacked in each earlier group in the order of the
    /// groups they go to, and in each next group in the order of the groups they come from, so
    /// that bands cross as little as the groups' order allows.
    fn draw_bands<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        c: usize,
        bands: &[AlluvialBand],
        scale: f64,
    ) -> Result<(), RenderError> {
        let l = self.layout;
        let mut out = l.tops[c].clone();
        let mut sources = Vec::new();
        let mut order: Vec<&AlluvialBand> = bands.iter().collect();
        order.sort_by_key(|b| (b.from, b.to));
        for b in &order {
            sources.push(((b.from, b.to), out[b.from]));
            out[b.from] += b.count as i32 * l.unit;
        }
        let mut into = l.tops[c + 1].clone();
        let mut targets = Vec::new();
        order.sort_by_key(|b| (b.to, b.from));
        for b in &order {
            targets.push(((b.from, b.to), into[b.to]));
            into[b.to] += b.count as i32 * l.unit;
        }
        let (x0, x1) = (l.xs[c] + BAR, l.xs[c + 1]);
        let count_style = ("sans-serif", 10.0 * scale)
            .into_font()
            .color(&RGBColor(40, 40, 40))
            .pos(Pos::new(HPos::Center, VPos::Center));
        for b in bands {
            let find =
                |list: &[((usize, usize), i32)]| list.iter().find(|(k, _)| *k == (b.from, b.to)).map(|(_, y)| *y);
            let (Some(s), Some(t)) = (find(&sources), find(&targets)) else { continue };
            let h = b.count as i32 * l.unit;
            let edge = |from: i32, to: i32, k: usize| {
                let f = k as f64 / STEPS as f64;
                let eased = f * f * (3.0 - 2.0 * f);
                let x = x0 + ((x1 - x0) as f64 * f).round() as i32;
                (x, from + ((to - from) as f64 * eased).round() as i32)
            };
            let mut points: Vec<(i32, i32)> = (0..=STEPS).map(|k| edge(s, t, k)).collect();
            points.extend((0..=STEPS).rev().map(|k| edge(s + h, t + h, k)));
            let fill = colour(self.groups[c][b.from].colour).mix(0.45);
            root.draw(&Polygon::new(points, fill.filled())).map_err(err)?;
            if h >= 12 {
                let middle = edge(s + h / 2, t + h / 2, STEPS / 2);
                root.draw(&Text::new(b.count.to_string(), middle, count_style.clone())).map_err(err)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(label: &str, count: usize, colour: Option<usize>) -> AlluvialGroup {
        AlluvialGroup { label: label.to_owned(), count, colour }
    }

    #[test]
    fn groups_and_bands_are_labelled_and_reproducible() {
        let columns = vec!["wave 1".to_owned(), "wave 2".to_owned()];
        let groups = vec![
            vec![group("hope + kitchen", 2, Some(0)), group("hope", 1, Some(1))],
            vec![
                group("hope + faith", 1, Some(2)),
                group("faith + kitchen", 1, Some(3)),
                group("(not interviewed)", 1, None),
            ],
        ];
        let bands = vec![vec![
            AlluvialBand { from: 0, to: 1, count: 1 },
            AlluvialBand { from: 0, to: 2, count: 1 },
            AlluvialBand { from: 1, to: 0, count: 1 },
        ]];
        let svg = alluvial(Format::Svg, &columns, &groups, &bands, "Codes by wave", "grey: not interviewed").unwrap();
        let svg = String::from_utf8(svg).unwrap().replace('\n', "");
        for text in [
            "wave 1",
            "wave 2",
            ">hope + kitchen (2)<",
            ">hope (1)<",
            ">hope + faith (1)<",
            ">faith + kitchen (1)<",
            ">(not interviewed) (1)<",
            "grey: not interviewed",
        ] {
            assert!(svg.contains(text), "{text} missing");
        }
        // Three bands (polygons), each carrying one participant, its count printed on it.
        assert_eq!(svg.matches("<polygon").count(), 3, "{svg}");
        assert_eq!(svg.matches(">1<").count(), 3);
        let again = alluvial(Format::Svg, &columns, &groups, &bands, "Codes by wave", "grey: not interviewed").unwrap();
        assert_eq!(svg, String::from_utf8(again).unwrap().replace('\n', ""));
        let png = alluvial(Format::Png, &columns, &groups, &bands, "t", "n").unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }
}
