//! Charts of a study as SVG or PNG, drawn with plotters: the saturation curve, a co-occurrence
//! heatmap on a colour-blind-safe scale (viridis), code frequency bars, and the presence grid of
//! participants by wave with the alluvial bands between waves. Text is set in DejaVu Sans, bundled (`fonts/`, under its own licence),
//! so a chart looks the same on every machine. The same data gives the same bytes: no timestamps, no random ids.

mod alluvial;
pub mod map;
mod presence;

pub use alluvial::{alluvial, AlluvialBand, AlluvialGroup};
pub use presence::presence;

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

static FONT: Once = Once::new();

/// Register the bundled font for `sans-serif` (once).
fn font() {
    FONT.call_once(|| {
        let bytes: &'static [u8] = include_bytes!("../fonts/DejaVuSans.ttf");
        // The font is bundled and known to load; a failure would only lose the text.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, bytes);
    });
}

/// Chart formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Scalable vector graphics.
    Svg,
    /// PNG at 1× (one chart pixel a pixel).
    Png,
}

impl Format {
    /// The format of a file name: `.png` for PNG, anything else SVG.
    pub fn of(path: &std::path::Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("png") => Format::Png,
            _ => Format::Svg,
        }
    }
}

/// Draws a chart on an SVG canvas.
type DrawSvg<'a> = &'a dyn Fn(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), RenderError>;
/// Draws a chart on a bitmap canvas.
type DrawPng<'a> = &'a dyn Fn(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), RenderError>;

/// Draw with `draw` on a canvas of `size` in `format`; the file's bytes.
fn render(format: Format, size: (u32, u32), draw: DrawSvg<'_>, draw_png: DrawPng<'_>) -> Result<Vec<u8>, RenderError> {
    font();
    match format {
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                draw(&root)?;
                root.present().map_err(err)?;
            }
            Ok(svg.into_bytes())
        }
        Format::Png => {
            let mut rgb = vec![0u8; (size.0 * size.1 * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
                draw_png(&root)?;
                root.present().map_err(err)?;
            }
            let mut out = Vec::new();
            let mut encoder = png::Encoder::new(&mut out, size.0, size.1);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().map_err(err)?;
            writer.write_image_data(&rgb).map_err(err)?;
            writer.finish().map_err(err)?;
            Ok(out)
        }
    }
}

/// What went wrong drawing.
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "drawing the chart failed: {}", self.0)
    }
}

impl std::error::Error for RenderError {}

fn err<E: std::fmt::Debug>(e: E) -> RenderError {
    RenderError(format!("{e:?}"))
}

/// Viridis (van der Walt & Smith), sampled at nine stops, interpolated linearly: perceptually
/// uniform and readable with the common colour-vision deficiencies.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

/// The viridis colour of `t` in `[0, 1]`.
pub fn viridis(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let i = (t.floor() as usize).min(VIRIDIS.len() - 2);
    let f = t - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        label.chars().take(max - 1).collect::<String>() + "…"
    }
}

/// The saturation curve: distinct codes seen after each document (a line), codes new in each
/// document (bars), the end of the base and, if reached, the saturation point.
pub fn saturation(
    format: Format,
    documents: &[String],
    cumulative: &[usize],
    new: &[usize],
    base: usize,
    reached: Option<usize>,
    title: &str,
) -> Result<Vec<u8>, RenderError> {
    let size = (800, 480);
    render(format, size, &|root| draw_saturation(root, documents, cumulative, new, base, reached, title), &|root| {
        draw_saturation(root, documents, cumulative, new, base, reached, title)
    })
}

/// [`saturation`] as an SVG string.
pub fn saturation_svg(
    documents: &[String],
    cumulative: &[usize],
    new: &[usize],
    base: usize,
    reached: Option<usize>,
    title: &str,
) -> Result<String, RenderError> {
    String::from_utf8(saturation(Format::Svg, documents, cumulative, new, base, reached, title)?).map_err(err)
}

fn draw_saturation<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    documents: &[String],
    cumulative: &[usize],
    new: &[usize],
    base: usize,
    reached: Option<usize>,
    title: &str,
) -> Result<(), RenderError> {
    root.fill(&WHITE).map_err(err)?;
    let n = documents.len().max(1);
    let top = cumulative.iter().copied().max().unwrap_or(1).max(1) + 1;
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(60)
        .y_label_area_size(56)
        .build_cartesian_2d(0.5f64..(n as f64 + 0.5), 0usize..top)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("documents, in order")
        .y_desc("codes")
        .x_labels(n.min(30))
        .x_label_formatter(&|x| {
            let i = x.round() as usize;
            if (x - i as f64).abs() < 1e-6 && i >= 1 && i <= documents.len() {
                short(&documents[i - 1], 10)
            } else {
                String::new()
            }
        })
        .light_line_style(WHITE)
        .draw()
        .map_err(err)?;
    let bar = viridis(0.75).mix(0.8);
    chart
        .draw_series(new.iter().enumerate().map(|(i, &v)| {
            let x = i as f64 + 1.0;
            Rectangle::new([(x - 0.3, 0), (x + 0.3, v)], bar.filled())
        }))
        .map_err(err)?
        .label("new codes in the document")
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], bar.filled()));
    let line = viridis(0.15);
    chart
        .draw_series(LineSeries::new(
            cumulative.iter().enumerate().map(|(i, &v)| (i as f64 + 1.0, v)),
            line.stroke_width(3),
        ))
        .map_err(err)?
        .label("distinct codes so far")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 12, y)], line.stroke_width(3)));
    chart
        .draw_series(cumulative.iter().enumerate().map(|(i, &v)| Circle::new((i as f64 + 1.0, v), 4, line.filled())))
        .map_err(err)?;
    let base_x = base as f64 + 0.5;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(base_x, 0), (base_x, top)],
            BLACK.mix(0.5).stroke_width(1),
        )))
        .map_err(err)?
        .label(format!("end of the base ({base} documents)"))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 12, y)], BLACK.mix(0.5)));
    if let Some(at) = reached {
        let x = at as f64 + 0.5;
        let red = RGBColor(213, 94, 0);
        chart
            .draw_series(std::iter::once(PathElement::new(vec![(x, 0), (x, top)], red.stroke_width(2))))
            .map_err(err)?
            .label(format!("saturation at {at} documents"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 12, y)], red.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(err)?;
    Ok(())
}

/// A heatmap of `values[i][j]` (None for the diagonal or an undefined cell) for `labels`, the
/// scale from `min` to `max`, each cell printed with its value.
pub fn heatmap(
    format: Format,
    labels: &[String],
    values: &[Vec<Option<f64>>],
    title: &str,
    min: f64,
    max: f64,
) -> Result<Vec<u8>, RenderError> {
    font();
    let layout = HeatmapLayout::new(labels);
    render(format, layout.size, &|root| draw_heatmap(root, &layout, values, title, min, max, 1.0), &|root| {
        draw_heatmap(root, &layout, values, title, min, max, EM)
    })
}

/// [`heatmap`] as an SVG string.
pub fn heatmap_svg(
    labels: &[String],
    values: &[Vec<Option<f64>>],
    title: &str,
    min: f64,
    max: f64,
) -> Result<String, RenderError> {
    String::from_utf8(heatmap(Format::Svg, labels, values, title, min, max)?).map_err(err)
}

/// Where the parts of a heatmap go: row labels on the left, the grid, column labels under it
/// (turned to read upwards), the colour scale on the right. Label room is measured from the
/// labels themselves in the bundled font, so no label is cut and none overlaps another.
struct HeatmapLayout {
    labels: Vec<String>,
    cell: i32,
    /// Top left corner of the grid.
    grid: (i32, i32),
    size: (u32, u32),
}

const LABEL_FONT: f64 = 12.0;

/// plotters draws a bitmap font size as the height from descent to ascent, 1.164 em in DejaVu
/// Sans, while SVG's `font-size` is the em. Text on bitmaps is drawn this much larger, and
/// widths are measured at this scale, so that labels are the same size, and fit, in both.
const EM: f64 = 1.164;
const LABEL_MAX_CHARS: usize = 40;

impl HeatmapLayout {
    fn new(labels: &[String]) -> HeatmapLayout {
        let labels: Vec<String> = labels.iter().map(|l| short(l, LABEL_MAX_CHARS)).collect();
        let n = labels.len() as i32;
        // Cells at least as tall as a line of label text, so row labels never touch.
        let cell = if n > 30 { 18 } else { 36 };
        let widest = text_width_max(&labels);
        let (margin, caption, gap) = (12, 34, 6);
        let grid = (margin + widest + gap, margin + caption);
        let legend = 80;
        let width = grid.0 + cell * n + legend + margin;
        let height = grid.1 + cell * n + gap + widest + margin;
        HeatmapLayout { labels, cell, grid, size: (width.max(200) as u32, height.max(120) as u32) }
    }
}

/// Width in pixels of `text` in the bundled font at `size`.
fn text_width(text: &str, size: f64) -> i32 {
    font();
    let style = ("sans-serif", size).into_font();
    match style.box_size(text) {
        Ok((w, _)) => w as i32,
        // The bundled font always lays out; if it did not, allow a generous width a character.
        Err(_) => (text.chars().count() as f64 * size * 0.7) as i32,
    }
}

/// Draw the heatmap; `scale` multiplies font sizes (see [`EM`]).
fn draw_heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &HeatmapLayout,
    values: &[Vec<Option<f64>>],
    title: &str,
    min: f64,
    max: f64,
    scale: f64,
) -> Result<(), RenderError> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let n = layout.labels.len() as i32;
    let (cell, (gx, gy)) = (layout.cell, layout.grid);
    root.fill(&WHITE).map_err(err)?;
    let caption = ("sans-serif", 18.0 * scale).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Top));
    root.draw(&Text::new(title.to_owned(), (12, 10), caption)).map_err(err)?;
    let span = if max > min { max - min } else { 1.0 };
    for (i, row) in values.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            let (x, y) = (gx + cell * j as i32, gy + cell * i as i32);
            let colour = match v {
                Some(v) => viridis((v - min) / span),
                None => RGBColor(235, 235, 235),
            };
            root.draw(&Rectangle::new([(x, y), (x + cell, y + cell)], colour.filled())).map_err(err)?;
            if let (Some(v), true) = (v, cell >= 30) {
                let light = (v - min) / span < 0.6;
                let style = ("sans-serif", 10.0 * scale)
                    .into_font()
                    .color(if light { &WHITE } else { &BLACK })
                    .pos(Pos::new(HPos::Center, VPos::Center));
                root.draw(&Text::new(format!("{v:.2}"), (x + cell / 2, y + cell / 2), style)).map_err(err)?;
            }
        }
    }
    let row_style =
        ("sans-serif", LABEL_FONT * scale).into_font().color(&BLACK).pos(Pos::new(HPos::Right, VPos::Center));
    for (i, label) in layout.labels.iter().enumerate() {
        let y = gy + cell * i as i32 + cell / 2;
        root.draw(&Text::new(label.clone(), (gx - 6, y), row_style.clone())).map_err(err)?;
    }
    // Column labels read upwards, ending just under the grid: drawn turned a quarter left,
    // starting at the bottom of the label room.
    let room = text_width_max(&layout.labels);
    let column_style = ("sans-serif", LABEL_FONT * scale).into_font().transform(FontTransform::Rotate270).color(&BLACK);
    for (j, label) in layout.labels.iter().enumerate() {
        let x = gx + cell * j as i32 + cell / 2 - (LABEL_FONT as i32) / 2;
        let bottom = gy + cell * n + 6 + room;
        let start = bottom - (room - text_width(label, LABEL_FONT * EM));
        root.draw(&Text::new(label.clone(), (x, start), column_style.clone())).map_err(err)?;
    }
    // The colour scale: a bar from min (bottom) to max (top) with its two ends labelled.
    let (lx, steps) = (gx + cell * n + 16, 50);
    let height = (cell * n).max(60);
    for k in 0..steps {
        let t = 1.0 - f64::from(k) / f64::from(steps - 1);
        let y0 = gy + height * k / steps;
        let y1 = gy + height * (k + 1) / steps;
        root.draw(&Rectangle::new([(lx, y0), (lx + 14, y1)], viridis(t).filled())).map_err(err)?;
    }
    let end = ("sans-serif", 10.0 * scale).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
    root.draw(&Text::new(format!("{max:.2}"), (lx + 18, gy + 5), end.clone())).map_err(err)?;
    root.draw(&Text::new(format!("{min:.2}"), (lx + 18, gy + height - 5), end)).map_err(err)?;
    Ok(())
}

fn text_width_max(labels: &[String]) -> i32 {
    labels.iter().map(|l| text_width(l, LABEL_FONT * EM)).max().unwrap_or(0)
}

/// Horizontal bars of `counts` for `labels`, largest first as given.
pub fn bars(
    format: Format,
    labels: &[String],
    counts: &[usize],
    title: &str,
    x_desc: &str,
) -> Result<Vec<u8>, RenderError> {
    let n = labels.len().max(1);
    let size = (800, 80 + 22 * n as u32);
    render(format, size, &|root| draw_bars(root, labels, counts, title, x_desc), &|root| {
        draw_bars(root, labels, counts, title, x_desc)
    })
}

/// [`bars`] as an SVG string.
pub fn bars_svg(labels: &[String], counts: &[usize], title: &str, x_desc: &str) -> Result<String, RenderError> {
    String::from_utf8(bars(Format::Svg, labels, counts, title, x_desc)?).map_err(err)
}

fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: &[String],
    counts: &[usize],
    title: &str,
    x_desc: &str,
) -> Result<(), RenderError> {
    let n = labels.len().max(1);
    root.fill(&WHITE).map_err(err)?;
    let top = counts.iter().copied().max().unwrap_or(1).max(1);
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(230)
        .build_cartesian_2d(0..top + top / 10 + 1, 0..n)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&|i| labels.get(n.saturating_sub(1 + *i)).map(|l| short(l, 34)).unwrap_or_default())
        .x_desc(x_desc)
        .draw()
        .map_err(err)?;
    let colour = viridis(0.35);
    chart
        .draw_series(counts.iter().enumerate().map(|(i, &c)| {
            let y = n - 1 - i;
            Rectangle::new([(0, y), (c, y + 1)], colour.filled())
        }))
        .map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_ends_and_middle() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(0.5), RGBColor(33, 144, 141));
    }

    /// Every column label is drawn whole under its column (plotters' own rotated tick labels
    /// were cut short), and nothing touches the edges of the canvas.
    #[test]
    fn heatmap_labels_are_whole() {
        let labels: Vec<String> = ["Offering hope", "Shared experience and understanding", "Trust", "Safety"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let values: Vec<Vec<Option<f64>>> =
            (0..4).map(|i| (0..4).map(|j| Some((i + j) as f64 / 6.0)).collect()).collect();
        let png = heatmap(Format::Png, &labels, &values, "c", 0.0, 1.0).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut rgb = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut rgb).unwrap();
        let (w, h) = (info.width as usize, info.height as usize);
        let ink = |x: usize, y: usize| rgb[(y * w + x) * 3..(y * w + x) * 3 + 3] != [255, 255, 255];
        let layout = HeatmapLayout::new(&labels);
        let (cell, (gx, gy)) = (layout.cell as usize, (layout.grid.0 as usize, layout.grid.1 as usize));
        let grid_bottom = gy + cell * 4;
        // The second column's label: ink in its band from the grid down to the label's length.
        let band = gx + cell..gx + 2 * cell;
        let lowest = (grid_bottom..h).filter(|&y| band.clone().any(|x| ink(x, y))).max().unwrap();
        let length = text_width("Shared experience and understanding", LABEL_FONT * EM) as usize;
        assert!(lowest - grid_bottom >= length * 9 / 10, "label drawn {} of {length} px", lowest - grid_bottom);
        // Row labels: the longest reaches left of the grid by about its length, not beyond the margin.
        let row = gy + cell + cell / 2;
        let leftmost = (0..gx).find(|&x| (row - 6..row + 6).any(|y| ink(x, y))).unwrap();
        assert!(gx - leftmost >= length * 9 / 10 && leftmost >= 6, "row label starts at x = {leftmost}");
        for y in 0..h {
            assert!(!ink(0, y) && !ink(w - 1, y));
        }
        assert!((0..w).all(|x| !ink(x, h - 1)));
    }

    #[test]
    fn charts_are_svg_and_reproducible() {
        let docs: Vec<String> = (1..=6).map(|i| format!("int{i}")).collect();
        let a = saturation_svg(&docs, &[5, 8, 10, 11, 11, 11], &[5, 3, 2, 1, 0, 0], 4, Some(4), "Saturation").unwrap();
        let b = saturation_svg(&docs, &[5, 8, 10, 11, 11, 11], &[5, 3, 2, 1, 0, 0], 4, Some(4), "Saturation").unwrap();
        assert!(a.starts_with("<svg") && a.contains("saturation at 4 documents"));
        assert_eq!(a, b);
        let labels = vec!["hope".to_owned(), "trust".to_owned()];
        let h =
            heatmap_svg(&labels, &[vec![None, Some(0.5)], vec![Some(0.5), None]], "c-coefficient", 0.0, 1.0).unwrap();
        assert!(h.contains("0.50") && h.contains("hope"));
        let bars = bars_svg(&labels, &[3, 1], "Codes", "segments").unwrap();
        assert!(bars.contains("trust"));
        // PNG: a PNG signature, the declared size, and the same bytes each time.
        let png =
            heatmap(Format::Png, &labels, &[vec![None, Some(0.5)], vec![Some(0.5), None]], "c", 0.0, 1.0).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        assert_eq!(width, HeatmapLayout::new(&labels).size.0);
        assert_eq!(
            png,
            heatmap(Format::Png, &labels, &[vec![None, Some(0.5)], vec![Some(0.5), None]], "c", 0.0, 1.0).unwrap()
        );
        assert_eq!(Format::of(std::path::Path::new("x.PNG")), Format::Png);
        assert_eq!(Format::of(std::path::Path::new("x.svg")), Format::Svg);
    }
}
