//! Charts of a study as SVG, drawn with plotters: the saturation curve, a co-occurrence heatmap
//! on a colour-blind-safe scale (viridis), and code frequency bars. The same data gives the same
//! bytes: no timestamps, no random ids.

use plotters::prelude::*;

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
pub fn saturation_svg(
    documents: &[String],
    cumulative: &[usize],
    new: &[usize],
    base: usize,
    reached: Option<usize>,
    title: &str,
) -> Result<String, RenderError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 480)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let n = documents.len().max(1);
        let top = cumulative.iter().copied().max().unwrap_or(1).max(1) + 1;
        let mut chart = ChartBuilder::on(&root)
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
            .draw_series(
                cumulative.iter().enumerate().map(|(i, &v)| Circle::new((i as f64 + 1.0, v), 4, line.filled())),
            )
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
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// A heatmap of `values[i][j]` (None for the diagonal or an undefined cell) for `labels`, the
/// scale from `min` to `max`, each cell printed with its value.
pub fn heatmap_svg(
    labels: &[String],
    values: &[Vec<Option<f64>>],
    title: &str,
    min: f64,
    max: f64,
) -> Result<String, RenderError> {
    let n = labels.len();
    let cell = if n > 30 { 18 } else { 36 };
    let label_area = 190;
    let size = (label_area + cell * n as u32 + 40, label_area + cell * n as u32 + 50);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(label_area)
            .y_label_area_size(label_area)
            .build_cartesian_2d(0..n, 0..n)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(n)
            .y_labels(n)
            .x_label_style(("sans-serif", 12).into_font().transform(FontTransform::Rotate270))
            .y_label_style(("sans-serif", 12))
            .x_label_formatter(&|i| labels.get(*i).map(|l| short(l, 28)).unwrap_or_default())
            .y_label_formatter(&|i| labels.get(n.saturating_sub(1 + *i)).map(|l| short(l, 28)).unwrap_or_default())
            .draw()
            .map_err(err)?;
        let span = if max > min { max - min } else { 1.0 };
        for (i, row) in values.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                let y = n - 1 - i;
                let (colour, text) = match v {
                    Some(v) => (viridis((v - min) / span), format!("{v:.2}")),
                    None => (RGBColor(235, 235, 235), String::new()),
                };
                chart
                    .draw_series(std::iter::once(Rectangle::new([(j, y), (j + 1, y + 1)], colour.filled())))
                    .map_err(err)?;
                if cell >= 30 && !text.is_empty() {
                    let light = v.is_some_and(|v| (v - min) / span < 0.6);
                    let style = ("sans-serif", 10).into_font().color(if light { &WHITE } else { &BLACK });
                    chart.draw_series(std::iter::once(Text::new(text, (j, y + 1), style))).map_err(err)?;
                }
            }
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Horizontal bars of `counts` for `labels`, largest first as given.
pub fn bars_svg(labels: &[String], counts: &[usize], title: &str, x_desc: &str) -> Result<String, RenderError> {
    let n = labels.len().max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 80 + 22 * n as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let top = counts.iter().copied().max().unwrap_or(1).max(1);
        let mut chart = ChartBuilder::on(&root)
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
        root.present().map_err(err)?;
    }
    Ok(svg)
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
    }
}
