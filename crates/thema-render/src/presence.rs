//! A presence grid: rows (participants) by columns (waves), each cell coloured by a count on the
//! viridis scale with the count printed in it, or grey with a dash where there is nothing to
//! count (a participant not interviewed in that wave). `thema trajectories --chart` draws one.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{err, render, short, text_width, viridis, Format, RenderError, EM, LABEL_FONT, LABEL_MAX_CHARS};

/// Cell width and height.
const CELL: (i32, i32) = (96, 28);
const MARGIN: i32 = 12;
/// Room for the title above the column labels.
const CAPTION: i32 = 34;
/// Room for the column labels above the grid, and for the note under it.
const LINE: i32 = 22;

/// Where the parts go: row labels on the left (measured in the bundled font), column labels
/// above the grid, the note under it.
struct Layout {
    rows: Vec<String>,
    grid: (i32, i32),
    size: (u32, u32),
}

impl Layout {
    fn new(rows: &[String], columns: usize, title: &str, note: &str) -> Layout {
        let rows: Vec<String> = rows.iter().map(|l| short(l, LABEL_MAX_CHARS)).collect();
        let widest = rows.iter().map(|l| text_width(l, LABEL_FONT * EM)).max().unwrap_or(0);
        let grid = (MARGIN + widest + 8, MARGIN + CAPTION + LINE);
        let width = (grid.0 + CELL.0 * columns as i32 + MARGIN)
            .max(MARGIN * 2 + text_width(title, 18.0 * EM))
            .max(MARGIN * 2 + text_width(note, 11.0 * EM));
        let height = grid.1 + CELL.1 * rows.len() as i32 + LINE + MARGIN;
        Layout { rows, grid, size: (width.max(200) as u32, height.max(100) as u32) }
    }
}

/// The grid of `values[row][column]` (`None`: nothing to count, drawn grey with a dash), the
/// colour scale from 0 to the largest count, `note` under the grid saying what a cell counts.
pub fn presence(
    format: Format,
    rows: &[String],
    columns: &[String],
    values: &[Vec<Option<usize>>],
    title: &str,
    note: &str,
) -> Result<Vec<u8>, RenderError> {
    let layout = Layout::new(rows, columns.len(), title, note);
    render(format, layout.size, &|root| draw(root, &layout, columns, values, title, note, 1.0), &|root| {
        draw(root, &layout, columns, values, title, note, EM)
    })
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    columns: &[String],
    values: &[Vec<Option<usize>>],
    title: &str,
    note: &str,
    scale: f64,
) -> Result<(), RenderError> {
    let (gx, gy) = layout.grid;
    root.fill(&WHITE).map_err(err)?;
    let left_top = Pos::new(HPos::Left, VPos::Top);
    let caption = ("sans-serif", 18.0 * scale).into_font().color(&BLACK).pos(left_top);
    root.draw(&Text::new(title.to_owned(), (MARGIN, 10), caption)).map_err(err)?;
    let max = values.iter().flatten().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let centre = Pos::new(HPos::Center, VPos::Center);
    let heading = ("sans-serif", LABEL_FONT * scale).into_font().color(&BLACK).pos(centre);
    for (j, label) in columns.iter().enumerate() {
        let x = gx + CELL.0 * j as i32 + CELL.0 / 2;
        root.draw(&Text::new(short(label, 14), (x, gy - LINE / 2), heading.clone())).map_err(err)?;
    }
    let row_style =
        ("sans-serif", LABEL_FONT * scale).into_font().color(&BLACK).pos(Pos::new(HPos::Right, VPos::Center));
    for (i, label) in layout.rows.iter().enumerate() {
        let y = gy + CELL.1 * i as i32;
        root.draw(&Text::new(label.clone(), (gx - 8, y + CELL.1 / 2), row_style.clone())).map_err(err)?;
        for j in 0..columns.len() {
            let x = gx + CELL.0 * j as i32;
            let value = values.get(i).and_then(|r| r.get(j)).copied().flatten();
            let (fill, text, ink) = match value {
                Some(n) => {
                    let t = n as f64 / max;
                    (viridis(t), n.to_string(), if t < 0.6 { WHITE } else { BLACK })
                }
                None => (RGBColor(225, 225, 225), "—".to_owned(), RGBColor(110, 110, 110)),
            };
            // A white line between cells keeps neighbouring cells of one colour apart.
            root.draw(&Rectangle::new([(x + 1, y + 1), (x + CELL.0 - 1, y + CELL.1 - 1)], fill.filled()))
                .map_err(err)?;
            let style = ("sans-serif", 11.0 * scale).into_font().color(&ink).pos(centre);
            root.draw(&Text::new(text, (x + CELL.0 / 2, y + CELL.1 / 2), style)).map_err(err)?;
        }
    }
    let under = gy + CELL.1 * layout.rows.len() as i32 + 6;
    let small = ("sans-serif", 11.0 * scale).into_font().color(&BLACK).pos(left_top);
    root.draw(&Text::new(note.to_owned(), (MARGIN, under), small)).map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_has_every_label_and_count_and_is_reproducible() {
        let rows = vec!["Ann".to_owned(), "Bo".to_owned()];
        let columns = vec!["wave 1".to_owned(), "wave 2".to_owned()];
        let values = vec![vec![Some(2), Some(0)], vec![Some(1), None]];
        let svg = presence(Format::Svg, &rows, &columns, &values, "Codes by wave", "grey: not interviewed").unwrap();
        // plotters writes each text on a line of its own.
        let svg = String::from_utf8(svg).unwrap().replace('\n', "");
        for text in ["Ann", "Bo", "wave 1", "wave 2", ">2<", ">0<", ">1<", ">—<", "grey: not interviewed"] {
            assert!(svg.contains(text), "{text} missing");
        }
        let again = presence(Format::Svg, &rows, &columns, &values, "Codes by wave", "grey: not interviewed").unwrap();
        assert_eq!(svg, String::from_utf8(again).unwrap().replace('\n', ""));
        let png = presence(Format::Png, &rows, &columns, &values, "t", "n").unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }
}
