//! The team report: one self-contained HTML file (no network, no other files) that any browser
//! opens, prints, and searches with its own find. Its parts are built by the caller (tables with
//! [`Table::html`](crate::table::Table::html), charts as SVG) and laid out here with a table of
//! contents.

use crate::table::html_escape;

/// A report: a title, an overview of facts, and sections in order.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The study's name.
    pub title: String,
    /// Label and value pairs shown first (documents, participants, codes...).
    pub overview: Vec<(String, String)>,
    /// Sections in order.
    pub sections: Vec<Section>,
}

/// One section of the report.
#[derive(Clone, Debug, Default)]
pub struct Section {
    /// Anchor id (`themes`).
    pub id: String,
    /// Heading.
    pub title: String,
    /// HTML of the body: tables, inline SVG, paragraphs.
    pub body: String,
}

impl Section {
    /// A section with a body of HTML.
    pub fn new(id: &str, title: &str, body: String) -> Section {
        Section { id: id.to_owned(), title: title.to_owned(), body }
    }
}

/// Paragraphs of plain text (blank lines separate them), escaped.
pub fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>\n", html_escape(p).replace('\n', "<br>")))
        .collect()
}

/// An SVG drawing made to sit in the page: any XML declaration dropped, scaled to the width
/// of the page.
pub fn figure(svg: &str, caption: &str) -> String {
    let svg = svg.trim_start();
    let svg =
        if svg.starts_with("<?xml") { svg.split_once("?>").map_or(svg, |(_, rest)| rest.trim_start()) } else { svg };
    format!(
        "<figure>\n<div class=\"drawing\">{svg}</div>\n<figcaption>{}</figcaption>\n</figure>\n",
        html_escape(caption)
    )
}

const STYLE: &str = r#"
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d0d4da; --accent: #0072b2; --band: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); }
nav { position: fixed; top: 0; left: 0; bottom: 0; width: 15rem; padding: 1.5rem 1rem; overflow-y: auto;
  background: var(--band); border-right: 1px solid var(--rule); }
nav h2 { font-size: 1rem; margin: 0 0 .75rem; }
nav ol { list-style: none; padding: 0; margin: 0; }
nav li { margin: .3rem 0; }
nav a { color: var(--accent); text-decoration: none; }
nav a:hover { text-decoration: underline; }
main { margin-left: 15rem; padding: 1.5rem 2.5rem 4rem; max-width: min(80rem, calc(100vw - 15rem)); }
h1 { font-size: 1.7rem; margin: 0 0 1rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 .75rem; padding-bottom: .25rem; border-bottom: 2px solid var(--rule); }
dl.overview { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.5rem; }
dl.overview dt { color: var(--muted); }
dl.overview dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .9rem; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border-top: 1px solid var(--rule); padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); background: var(--band); }
tr.heading td { background: var(--band); } tr.heading td:first-child { font-weight: bold; }
div.table { overflow-x: auto; }
tr.level-1 td:first-child { padding-left: 1.5rem; } tr.level-2 td:first-child { padding-left: 2.5rem; }
tr.level-3 td:first-child { padding-left: 3.5rem; } tr.level-4 td:first-child { padding-left: 4.5rem; }
tr.level-5 td:first-child, tr.level-6 td:first-child { padding-left: 5.5rem; }
p.note { color: var(--muted); font-size: .85rem; font-style: italic; margin: .25rem 0 1rem; }
figure { margin: 1rem 0; }
.drawing { overflow-x: auto; }
.drawing svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .85rem; }
.memo { border-left: 3px solid var(--rule); padding: .25rem 1rem; margin: 1rem 0; }
.memo h3 { font-size: 1rem; margin: 0; }
.memo .about { color: var(--muted); font-size: .85rem; }
.missing { color: var(--muted); font-style: italic; }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; }
@media print {
  nav { display: none; }
  main { margin: 0; padding: 0; max-width: none; }
  section { break-before: page; }
  section:first-of-type { break-before: auto; }
  tr, figure { break-inside: avoid; }
  a { color: inherit; }
}
@media (max-width: 60rem) { nav { position: static; width: auto; border-right: 0; } main { margin-left: 0; } }
"#;

/// Counts resources that failed to load (there should be none: everything is inline) and marks
/// the page as loaded, so that a browser test can tell.
const SCRIPT: &str = r#"
(function () {
  var failed = 0;
  window.addEventListener('error', function () { failed += 1; }, true);
  window.addEventListener('load', function () {
    document.documentElement.setAttribute('data-failed', String(failed));
    document.documentElement.setAttribute('data-loaded', 'yes');
  });
})();
"#;

/// Nothing may be fetched: styles, scripts and images are inline or nothing.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/// A standalone page with `body` (for a single exported table).
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}main {{ margin-left: 0; }}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        html_escape(title)
    )
}

/// The report as one HTML document.
pub fn html(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"thema\">\n<title>{}</title>\n<style>{STYLE}</style>\n<script>{SCRIPT}</script>\n</head>\n<body>\n",
        html_escape(&report.title)
    ));
    out.push_str(
        "<nav aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n<li><a href=\"#overview\">Overview</a></li>\n",
    );
    for s in &report.sections {
        out.push_str(&format!("<li><a href=\"#{}\">{}</a></li>\n", html_escape(&s.id), html_escape(&s.title)));
    }
    out.push_str("</ol>\n</nav>\n<main>\n");
    out.push_str(&format!("<h1>{}</h1>\n", html_escape(&report.title)));
    out.push_str("<section id=\"overview\">\n<h2>Overview</h2>\n<dl class=\"overview\">\n");
    for (label, value) in &report.overview {
        out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", html_escape(label), html_escape(value)));
    }
    out.push_str("</dl>\n</section>\n");
    for s in &report.sections {
        out.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n",
            html_escape(&s.id),
            html_escape(&s.title),
            s.body
        ));
    }
    out.push_str("<footer>Written by thema from the study's files; the same study gives the same report.</footer>\n");
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_is_one_self_contained_page() {
        let report = Report {
            title: "Peer <work>".into(),
            overview: vec![("Documents".into(), "7".into())],
            sections: vec![
                Section::new("themes", "Themes", paragraphs("One & two.\n\nThree")),
                Section::new("map", "Theme map", figure("<?xml version=\"1.0\"?>\n<svg></svg>", "The map")),
            ],
        };
        let page = html(&report);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<title>Peer &lt;work&gt;</title>"));
        assert!(page.contains("<a href=\"#themes\">Themes</a>") && page.contains("<section id=\"themes\">"));
        assert!(page.contains("<p>One &amp; two.</p>\n<p>Three</p>"));
        assert!(page.contains("<div class=\"drawing\"><svg></svg></div>") && !page.contains("<?xml"));
        // Nothing to fetch: no external references of any kind.
        for needle in ["src=", "http://", "https://", "@import", "url("] {
            assert!(!page.contains(needle), "{needle}");
        }
        assert_eq!(page, html(&report));
    }
}
