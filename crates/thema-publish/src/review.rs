//! The team review page: one self-contained HTML file (no network, no other files) on which
//! reviewers click through the theme map and the codebook, read each entry's definition, counts
//! and quotes, and leave comments that they save as a small JSON file
//! ([`thema_core::review::CommentsFile`]) for `thema review import`.
//!
//! The study's data is read once here and embedded as JSON in a
//! `<script type="application/json">` (with every `<` escaped, so no text of the study can
//! end the script); the page's script shows it with `textContent` only, never as markup.

use std::collections::BTreeMap;

use serde::Serialize;
use thema_analysis::cooccur;
use thema_analysis::study_cooccurrence::{self, CooccurOptions};
use thema_core::attribution::Attributor;
use thema_core::codebook::Codebook;
use thema_core::coders::CoderSet;
use thema_core::memo::Attachment;
use thema_core::review::{CommentKind, FORMAT, VERSION};
use thema_core::segment::{self, Segment};
use thema_core::Study;
use thema_render::map::{self, MapOptions};

use crate::table::html_escape;
use crate::team_report::{map_input, ReportError};

/// What the page holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewOptions {
    /// The reviewer's name, filled in on the page (they can change it there).
    pub reviewer: Option<String>,
    /// How quotes are attributed (else the study's style, else `pseudonym-role`).
    pub attribution: Option<String>,
}

/// The page's data, as the script reads it.
#[derive(Serialize)]
struct Data<'a> {
    format: &'static str,
    version: u32,
    study: &'a str,
    coders: String,
    reviewer: &'a str,
    kinds: Vec<(&'static str, &'static str)>,
    entries: Vec<EntryData<'a>>,
    relations: Vec<RelationData<'a>>,
    quotes: Vec<QuoteData>,
    /// Each coder's counts (derived sets too), side by side with the page's set, when the study
    /// has more than one coder.
    sets: Vec<SetData>,
    /// Co-occurrence within a turn of the page's set, as `thema cooccur` counts it.
    cooccurrence: Option<CooccurData>,
}

/// One coder's counts: entry id to segments, documents and participants (entries with none
/// left out).
#[derive(Serialize)]
struct SetData {
    name: String,
    counts: BTreeMap<String, [usize; 3]>,
}

/// The heatmap's codes, in clustered order, and the pairs that co-occur.
#[derive(Serialize)]
struct CooccurData {
    title: String,
    /// Units (turns) counted.
    units: usize,
    /// The codes shown, in order: the most frequent [`HEATMAP_CODES`] at most.
    ids: Vec<String>,
    /// Codes with codings left off the heatmap for room.
    left_out: usize,
    /// Code ids to the turns they are in.
    counts: BTreeMap<String, usize>,
    /// `[a, b, n12, c]` for each pair of shown codes that co-occurs.
    pairs: Vec<(String, String, usize, f64)>,
}

/// At most this many codes on the page's heatmap (the most frequent): a table of 60 x 60 cells
/// can be read; the full matrix is `thema cooccur`'s.
const HEATMAP_CODES: usize = 60;

#[derive(Serialize)]
struct EntryData<'a> {
    target: String,
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    depth: usize,
    parent: Option<&'a str>,
    role: Option<&'a str>,
    definition: &'a str,
    when_to_use: &'a str,
    when_not_to_use: &'a str,
    in_vivo: bool,
    segments: usize,
    documents: usize,
    participants: usize,
}

#[derive(Serialize)]
struct RelationData<'a> {
    target: String,
    from: &'a str,
    to: &'a str,
    label: &'a str,
    note: &'a str,
}

#[derive(Serialize)]
struct QuoteData {
    target: String,
    code: String,
    document: String,
    turn: Option<String>,
    /// The words by speaker, each with its attribution.
    parts: Vec<(String, String)>,
}

/// JSON that can sit inside a `<script>` element: every `<` (which in JSON is only ever inside
/// a string) is written `\u003c`, so no `</script`, `<!--` or `<script` in the study's text can
/// end the element or change how the browser reads it.
pub fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned()).replace('<', "\\u003c")
}

/// The review page of the codings of `set`.
pub fn build(study: &Study, set: &CoderSet, options: &ReviewOptions) -> Result<String, ReportError> {
    let codebook = study.load_codebook()?;
    let segments = segment::attribute(study, study.load_set_codings(set)?)?;
    let attributor = Attributor::of_study(study, options.attribution.as_deref()).map_err(ReportError::Attribution)?;
    let map = if codebook.entries.is_empty() {
        "<p class=\"missing\">The codebook is empty: there is no map yet.</p>".to_owned()
    } else {
        let (entries, relations) = map_input(&codebook);
        let options = MapOptions { codes: true, title: study.settings.name.clone() };
        let layout = map::layout(&entries, &relations, &options).map_err(|e| ReportError::Map(e.to_string()))?;
        map::svg_linked(&layout)
    };
    let order: BTreeMap<&str, u32> = study.documents().iter().map(|m| (m.id.as_str(), m.sequence)).collect();
    let data = Data {
        format: FORMAT,
        version: VERSION,
        study: &study.settings.name,
        coders: set.describe(),
        reviewer: options.reviewer.as_deref().unwrap_or(""),
        kinds: CommentKind::ALL.iter().map(|k| (k.name(), k.describe())).collect(),
        entries: entries(&codebook, &segments),
        relations: codebook
            .relations
            .iter()
            .map(|r| RelationData {
                target: Attachment::Relation { from: r.from.clone(), to: r.to.clone(), label: r.label.clone() }
                    .to_string(),
                from: &r.from,
                to: &r.to,
                label: &r.label,
                note: &r.note,
            })
            .collect(),
        quotes: quotes(&segments, &order, &attributor),
        sets: sets(study, &codebook)?,
        cooccurrence: cooccurrence(study, &codebook, set),
    };
    Ok(page(&study.settings.name, &map, &script_json(&data)))
}

fn entries<'a>(codebook: &'a Codebook, segments: &[Segment]) -> Vec<EntryData<'a>> {
    let counts = segment::counts(codebook, segments);
    codebook
        .tree()
        .into_iter()
        .map(|(depth, e)| {
            let c = counts.get(&e.id).cloned().unwrap_or_default();
            EntryData {
                target: Attachment::Entry(e.id.clone()).to_string(),
                id: &e.id,
                name: &e.name,
                kind: e.kind.name(),
                depth,
                parent: e.parent.as_deref(),
                role: e.role.as_deref(),
                definition: &e.definition,
                when_to_use: &e.when_to_use,
                when_not_to_use: &e.when_not_to_use,
                in_vivo: e.in_vivo,
                segments: c.segments,
                documents: c.documents,
                participants: c.participants,
            }
        })
        .collect()
}

/// The counts of each coder of the study on their own (derived sets too), when there are two
/// or more.
fn sets(study: &Study, codebook: &Codebook) -> Result<Vec<SetData>, ReportError> {
    let coders = study.coders()?;
    if coders.len() < 2 {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for coder in coders {
        let segments = segment::attribute(study, study.load_coder_codings(&coder)?)?;
        let counts = segment::counts(codebook, &segments)
            .into_iter()
            .filter(|(_, c)| c.segments > 0)
            .map(|(id, c)| (id, [c.segments, c.documents, c.participants]))
            .collect();
        out.push(SetData { name: coder, counts });
    }
    Ok(out)
}

/// Co-occurrence within a turn (as the report's heatmap and `thema cooccur` by default): the
/// most frequent codes, clustered as the report orders them. `None` when nothing co-occurs or it
/// cannot be counted (the report says why).
fn cooccurrence(study: &Study, codebook: &Codebook, set: &CoderSet) -> Option<CooccurData> {
    let options = CooccurOptions::default();
    let found = study_cooccurrence::cooccurrence_with(study, codebook.clone(), set, &options).ok()?;
    let report = found.reports.first()?;
    let mut present: Vec<(&String, usize)> =
        report.counts.iter().filter(|(_, &n)| n > 0).map(|(id, &n)| (id, n)).collect();
    if report.pairs.is_empty() || present.len() < 2 {
        return None;
    }
    present.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let left_out = present.len().saturating_sub(HEATMAP_CODES);
    present.truncate(HEATMAP_CODES);
    let mut codes: Vec<String> = present.iter().map(|(id, _)| (*id).clone()).collect();
    codes.sort();
    let c: BTreeMap<(&str, &str), f64> = report
        .pairs
        .iter()
        .flat_map(|p| [((p.a.as_str(), p.b.as_str()), p.c), ((p.b.as_str(), p.a.as_str()), p.c)])
        .collect();
    let similarity = |i: usize, j: usize| c.get(&(codes[i].as_str(), codes[j].as_str())).copied().unwrap_or(0.0);
    let ids: Vec<String> = cooccur::cluster_order(&codes, &similarity).into_iter().map(|i| codes[i].clone()).collect();
    let shown: std::collections::BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    let pairs = report
        .pairs
        .iter()
        .filter(|p| shown.contains(p.a.as_str()) && shown.contains(p.b.as_str()))
        .map(|p| (p.a.clone(), p.b.clone(), p.n12, p.c))
        .collect();
    let counts = ids.iter().map(|id| (id.clone(), report.counts.get(id).copied().unwrap_or(0))).collect();
    Some(CooccurData {
        title: format!("Co-occurrence within {}", options.within.description()),
        units: report.units,
        ids,
        left_out,
        counts,
        pairs,
    })
}

/// Every coded passage once, in document order (import order, then place in the text).
fn quotes(segments: &[Segment], order: &BTreeMap<&str, u32>, attributor: &Attributor<'_>) -> Vec<QuoteData> {
    let mut sorted: Vec<&Segment> = segments.iter().collect();
    sorted.sort_by(|a, b| {
        let place = |s: &Segment| (order.get(s.coding.document.as_str()).copied(), s.coding.start, s.coding.end);
        place(a).cmp(&place(b)).then_with(|| a.coding.code.cmp(&b.coding.code))
    });
    sorted
        .into_iter()
        .map(|s| QuoteData {
            target: Attachment::Coding {
                document: s.coding.document.clone(),
                start: s.coding.start,
                end: s.coding.end,
                code: s.coding.code.clone(),
            }
            .to_string(),
            code: s.coding.code.clone(),
            document: s.coding.document.clone(),
            turn: s.turn.clone(),
            parts: attributor.parts(s),
        })
        .collect()
}

/// Nothing may be fetched or sent: styles, scripts and images are inline; the comments leave
/// only as a file the reviewer saves.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

fn page(title: &str, map: &str, data: &str) -> String {
    let title = html_escape(title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"thema\">\n<title>{title}: team review</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header>\n<h1>{title} <span>team review</span></h1>\n\
         <label>Your name <input id=\"reviewer\" autocomplete=\"name\"></label>\n\
         <label>Search <input id=\"search\" type=\"search\" placeholder=\"codes and quotes\"></label>\n\
         <button id=\"save\" type=\"button\">Save comments (<span id=\"count\">0</span>)</button>\n\
         </header>\n<div class=\"columns\">\n<div class=\"browse\">\n\
         <figure id=\"map\">\n<div class=\"drawing\">{map}</div>\n<figcaption>Click a theme, sub-theme, code or relation.</figcaption>\n</figure>\n\
         <h2>Codebook</h2>\n<div class=\"scroll\"><table id=\"codebook\"></table></div>\n<h2>Relations</h2>\n<ul id=\"relations\"></ul>\n\
         <h2>Co-occurrence</h2>\n<div id=\"heatmap\" class=\"scroll\"></div>\n</div>\n\
         <aside id=\"panel\" aria-live=\"polite\"><p class=\"missing\">Click an entry on the map or in the codebook to see \
         its definition, counts and quotes, and to comment on it.</p></aside>\n</div>\n\
         <section id=\"saved\" hidden>\n<h2>Your comments</h2>\n<p>Send the saved file to the person who made this page; \
         they bring it into the study with <code>thema review import</code>. Nothing leaves this computer otherwise. \
         The same text, to copy if saving is not possible:</p>\n<textarea id=\"comments-json\" readonly rows=\"8\"></textarea>\n</section>\n\
         <script type=\"application/json\" id=\"review-data\">{data}</script>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
}

const STYLE: &str = r#"
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d0d4da; --accent: #0072b2; --band: #f5f7fa; --mark: #fff3b0; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); }
header { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; padding: .75rem 1.5rem;
  background: var(--band); border-bottom: 1px solid var(--rule); position: sticky; top: 0; z-index: 2; }
header h1 { font-size: 1.3rem; margin: 0; flex: 1 1 auto; } header h1 span { color: var(--muted); font-weight: normal; }
input, select, textarea, button { font: inherit; }
input, select, textarea { border: 1px solid var(--rule); border-radius: 4px; padding: .2rem .4rem; }
button { border: 1px solid var(--accent); background: #fff; color: var(--accent); border-radius: 4px; padding: .2rem .7rem; cursor: pointer; }
button:hover { background: var(--accent); color: #fff; }
.columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(20rem, 2fr); gap: 1.5rem; padding: 1rem 1.5rem; }
.drawing { overflow: auto; max-height: 70vh; border: 1px solid var(--rule); }
.drawing svg { max-width: 100%; height: auto; }
[data-entry], [data-relations] { cursor: pointer; }
text[data-entry]:hover, text[data-relations]:hover { text-decoration: underline; }
text.chosen { fill: var(--accent); text-decoration: underline; }
figcaption { color: var(--muted); font-size: .85rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; border-bottom: 2px solid var(--rule); }
ul#relations { list-style: none; padding: 0; margin: 0; }
.scroll { overflow: auto; max-height: 70vh; }
table#codebook { border-collapse: collapse; width: 100%; font-size: .9rem; }
table#codebook th, table#codebook td { padding: .15rem .5rem; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
table#codebook th:first-child, table#codebook td:first-child { text-align: left; white-space: normal; }
table#codebook thead th { position: sticky; top: 0; background: #fff; }
table#codebook tr.chosen td { background: var(--mark); }
table#codebook td.set { color: var(--muted); }
table.heatmap { border-collapse: collapse; font-size: .75rem; }
table.heatmap th { font-weight: normal; text-align: right; padding: 0 .3rem; white-space: nowrap; }
table.heatmap thead th { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; padding: .3rem 0; }
table.heatmap td { width: 1.6rem; height: 1.6rem; border: 1px solid #fff; text-align: center; padding: 0; }
table.heatmap td button { width: 100%; height: 100%; border: 0; padding: 0; font-size: .7rem; background: transparent; color: var(--ink); }
table.heatmap td.self { background: var(--band); }
table.sets { border-collapse: collapse; margin: .3rem 0; } table.sets th, table.sets td { padding: .1rem .6rem; text-align: right; }
table.sets th:first-child { text-align: left; color: var(--muted); font-weight: normal; }
button.link { display: inline; border: 0; background: none; color: var(--accent); padding: 0; text-align: left; }
aside ul { list-style: none; padding-left: 0; } aside li { margin: .2rem 0; }
button.link:hover { text-decoration: underline; background: none; color: var(--accent); }
li .kind, .meta { color: var(--muted); font-size: .85rem; }
li .badge { background: var(--mark); border-radius: 8px; padding: 0 .4rem; font-size: .8rem; margin-left: .3rem; }
li.hidden, tr.hidden { display: none; }
aside { border-left: 3px solid var(--rule); padding-left: 1rem; position: sticky; top: 4.5rem; align-self: start;
  max-height: calc(100vh - 5.5rem); overflow-y: auto; }
aside h2 { border: 0; margin-top: 0; font-size: 1.3rem; }
dl.counts { display: grid; grid-template-columns: max-content 1fr; gap: 0 1rem; }
dl.counts dt { color: var(--muted); } dl.counts dd { margin: 0; }
blockquote { margin: .5rem 0; padding: .3rem .75rem; border-left: 3px solid var(--accent); background: var(--band); }
blockquote .who { color: var(--muted); font-size: .85rem; }
.comment { border: 1px solid var(--rule); border-radius: 4px; padding: .3rem .6rem; margin: .4rem 0; background: #fffdf0; }
.comment .meta { display: block; }
form.comment-form { display: grid; gap: .3rem; margin: .5rem 0 1rem; }
.missing { color: var(--muted); font-style: italic; }
mark { background: var(--mark); }
#saved { padding: 0 1.5rem 2rem; } #saved textarea { width: 100%; font: 12px/1.4 monospace; }
@media (max-width: 60rem) { .columns { grid-template-columns: 1fr; } aside { position: static; max-height: none; } }
"#;

/// The page's behaviour. Every text from the study is set with `textContent`, never as markup.
const SCRIPT: &str = r#"
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('review-data').textContent);
  var entries = {}, children = {}, comments = [];
  data.entries.forEach(function (e) { entries[e.id] = e; (children[e.parent || ''] = children[e.parent || ''] || []).push(e.id); });
  var panel = document.getElementById('panel');
  var reviewer = document.getElementById('reviewer');
  reviewer.value = data.reviewer;

  // A count with thousands separated, as the command line prints them (12,000).
  function num(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }

  function el(tag, text, cls) {
    var n = document.createElement(tag);
    if (text !== undefined && text !== null) n.textContent = String(text);
    if (cls) n.className = cls;
    return n;
  }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  function descendants(id) {
    var out = [id], i = 0;
    while (i < out.length) { (children[out[i]] || []).forEach(function (c) { out.push(c); }); i += 1; }
    return out;
  }
  function entryName(id) { return entries[id] ? entries[id].name : id; }
  function link(text, onclick) {
    var b = el('button', text, 'link'); b.type = 'button'; b.addEventListener('click', onclick); return b;
  }

  // Comments: kept in the page, saved as a file.
  function newId() {
    return 'c' + Date.now().toString(36) + '-' + Math.floor(Math.random() * 1e9).toString(36);
  }
  function commentsFile() {
    return JSON.stringify({ format: data.format, version: data.version, study: data.study, comments: comments }, null, 2);
  }
  function commentsChanged() {
    document.getElementById('count').textContent = String(comments.length);
    document.getElementById('comments-json').value = commentsFile();
    document.getElementById('saved').hidden = comments.length === 0;
    document.querySelectorAll('[data-badge]').forEach(function (b) {
      var n = comments.filter(function (c) { return c.target === b.getAttribute('data-badge'); }).length;
      b.textContent = n ? String(n) : ''; b.hidden = !n;
    });
  }
  function commentList(target) {
    var box = el('div');
    comments.filter(function (c) { return c.target === target; }).forEach(function (c) {
      var d = el('div', null, 'comment');
      d.appendChild(el('span', c.reviewer + ' · ' + kindName(c.kind), 'meta'));
      d.appendChild(el('span', c.text));
      d.appendChild(document.createTextNode(' '));
      d.appendChild(link('remove', function () {
        comments = comments.filter(function (x) { return x !== c; }); commentsChanged(); box.replaceWith(commentList(target));
      }));
      box.appendChild(d);
    });
    return box;
  }
  function kindName(kind) {
    var k = data.kinds.filter(function (k) { return k[0] === kind; })[0];
    return k ? k[1] : kind;
  }
  function commentForm(target, targetName, kinds) {
    var wrap = el('div');
    var list = commentList(target);
    var form = el('form', null, 'comment-form');
    var kind = el('select'); kind.name = 'kind';
    data.kinds.filter(function (k) { return kinds.indexOf(k[0]) >= 0; }).forEach(function (k) {
      var o = el('option', k[1]); o.value = k[0]; kind.appendChild(o);
    });
    var text = el('textarea'); text.name = 'text'; text.rows = 3; text.placeholder = 'Your comment';
    var add = el('button', 'Add comment'); add.type = 'submit';
    form.appendChild(kind); form.appendChild(text); form.appendChild(add);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var who = reviewer.value.trim();
      if (!who) { reviewer.focus(); reviewer.setCustomValidity('Say who you are first'); reviewer.reportValidity(); return; }
      reviewer.setCustomValidity('');
      if (!text.value.trim() && kind.value !== 'agreement') { text.focus(); return; }
      comments.push({ id: newId(), reviewer: who, time: new Date().toISOString(), kind: kind.value,
        target: target, target_name: targetName, text: text.value });
      text.value = '';
      var fresh = commentList(target); list.replaceWith(fresh); list = fresh;
      commentsChanged();
    });
    wrap.appendChild(list); wrap.appendChild(form);
    return wrap;
  }
  var entryKinds = ['question', 'merge', 'split', 'rename', 'move', 'drop', 'agreement'];
  var quoteKinds = ['question', 'drop-quote', 'move', 'agreement'];
  // On a relation: relabel it, point it elsewhere, drop it.
  var relationKinds = ['question', 'rename', 'move', 'drop', 'agreement'];

  function quoteBlock(q) {
    var b = el('blockquote');
    b.setAttribute('data-target', q.target);
    q.parts.forEach(function (p) {
      b.appendChild(el('span', '“' + p[0] + '” '));
      b.appendChild(el('span', p[1], 'who'));
      b.appendChild(document.createTextNode(' '));
    });
    var where = el('div', (q.turn || q.document) + ' · ' + entryName(q.code), 'meta');
    b.appendChild(where);
    var open = link('comment on this quote', function () {
      open.remove(); b.appendChild(commentForm(q.target, '“' + q.parts.map(function (p) { return p[0]; }).join(' ').slice(0, 80) + '”', quoteKinds));
    });
    b.appendChild(open);
    b.appendChild(commentList(q.target));
    return b;
  }

  function choose(selector) {
    document.querySelectorAll('.chosen').forEach(function (t) { t.classList.remove('chosen'); });
    if (selector) document.querySelectorAll(selector).forEach(function (t) { t.classList.add('chosen'); });
  }

  // Quotes a page at a time: a theme of a large study has thousands. The size can be set on the
  // root element (`data-quote-page`), as the browser test does.
  function quotePage() { return Number(document.documentElement.getAttribute('data-quote-page')) || 50; }
  function quoteList(qs) {
    var box = el('div'); box.id = 'quotes';
    var shown = 0;
    function more() {
      var next = qs.slice(shown, shown + quotePage());
      next.forEach(function (q) { box.insertBefore(quoteBlock(q), button); });
      shown += next.length;
      var left = qs.length - shown;
      button.hidden = left <= 0;
      button.textContent = 'Show ' + Math.min(left, quotePage()) + ' more (' + left + ' not shown)';
    }
    var button = el('button', '', 'more'); button.type = 'button'; button.id = 'more-quotes';
    button.addEventListener('click', more);
    box.appendChild(button);
    more();
    if (!qs.length) box.appendChild(el('p', 'Nothing is coded here yet.', 'missing'));
    return box;
  }

  // Each coder's counts beside the page's set, where the study has more than one coder.
  function setsTable(id) {
    if (!data.sets.length) return null;
    var t = el('table', null, 'sets');
    var head = el('tr'); head.appendChild(el('th', ''));
    head.appendChild(el('th', data.coders));
    data.sets.forEach(function (s) { head.appendChild(el('th', s.name)); });
    t.appendChild(head);
    var e = entries[id];
    [['Segments', 0, e.segments], ['Documents', 1, e.documents], ['Participants', 2, e.participants]].forEach(function (r) {
      var tr = el('tr'); tr.appendChild(el('th', r[0])); tr.appendChild(el('td', num(r[2])));
      data.sets.forEach(function (s) { tr.appendChild(el('td', num((s.counts[id] || [0, 0, 0])[r[1]]))); });
      t.appendChild(tr);
    });
    return t;
  }

  function showEntry(id) {
    var e = entries[id];
    if (!e) return;
    choose('[data-entry="' + CSS.escape(id) + '"], tr[data-entry-row="' + CSS.escape(id) + '"]');
    panel.replaceChildren();
    panel.setAttribute('data-showing', e.target);
    panel.appendChild(el('h2', e.name));
    panel.appendChild(el('p', e.kind + (e.role ? ' · ' + e.role : '') + (e.parent ? ' · in ' + entryName(e.parent) : ''), 'meta'));
    [['Definition', e.definition], ['When to use', e.when_to_use], ['When not to use', e.when_not_to_use]].forEach(function (d) {
      if (d[1]) { panel.appendChild(el('h3', d[0])); panel.appendChild(el('p', d[1])); }
    });
    if (!e.definition) panel.appendChild(el('p', 'No definition yet.', 'missing'));
    var dl = el('dl', null, 'counts');
    [['Segments', e.segments], ['Documents', e.documents], ['Participants', e.participants]].forEach(function (c) {
      dl.appendChild(el('dt', c[0])); dl.appendChild(el('dd', num(c[1])));
    });
    var sets = setsTable(id);
    if (sets) { panel.appendChild(el('p', 'By coder:', 'meta')); panel.appendChild(sets); } else panel.appendChild(dl);
    panel.appendChild(el('p', 'Codings of ' + data.coders + (children[id] ? ', with the entries under it' : '') + '.', 'meta'));
    var related = data.relations.filter(function (r) { return r.from === id || r.to === id; });
    if (related.length) {
      panel.appendChild(el('h3', 'Relations'));
      var ul = el('ul');
      related.forEach(function (r) { var li = el('li'); li.appendChild(link(relationText(r), function () { showRelation(r); })); ul.appendChild(li); });
      panel.appendChild(ul);
    }
    panel.appendChild(el('h3', 'Comments'));
    panel.appendChild(commentForm(e.target, e.name, entryKinds));
    var ids = descendants(id);
    var qs = data.quotes.filter(function (q) { return ids.indexOf(q.code) >= 0; });
    var h = el('h3', 'Quotes (' + qs.length + ')'); h.id = 'quotes-heading';
    panel.appendChild(h);
    panel.appendChild(quoteList(qs));
  }

  function relationText(r) { return entryName(r.from) + ' — ' + r.label + ' → ' + entryName(r.to); }
  function showRelation(r) {
    var i = data.relations.indexOf(r);
    choose('[data-relations~="' + i + '"]');
    panel.replaceChildren();
    panel.setAttribute('data-showing', r.target);
    panel.appendChild(el('h2', relationText(r)));
    panel.appendChild(el('p', 'relation', 'meta'));
    panel.appendChild(r.note ? el('p', r.note) : el('p', 'No note on this relation.', 'missing'));
    var p = el('p');
    p.appendChild(link(entryName(r.from), function () { showEntry(r.from); }));
    p.appendChild(document.createTextNode(' ' + r.label + ' '));
    p.appendChild(link(entryName(r.to), function () { showEntry(r.to); }));
    panel.appendChild(p);
    panel.appendChild(el('h3', 'Comments'));
    panel.appendChild(commentForm(r.target, relationText(r), relationKinds));
  }

  // A pair of the heatmap: the two codes, how often each and both are in a turn, and links.
  function showPair(a, b, n12, c) {
    choose('td[data-pair="' + CSS.escape(a + ' ' + b) + '"], td[data-pair="' + CSS.escape(b + ' ' + a) + '"]');
    panel.replaceChildren();
    panel.setAttribute('data-showing', 'pair:' + a + ' ' + b);
    panel.appendChild(el('h2', entryName(a) + ' and ' + entryName(b)));
    panel.appendChild(el('p', data.cooccurrence.title + ', in the codings of ' + data.coders, 'meta'));
    var dl = el('dl', null, 'counts');
    [[entryName(a), num(data.cooccurrence.counts[a])], [entryName(b), num(data.cooccurrence.counts[b])],
     ['Both', num(n12)], ['Turns in all', num(data.cooccurrence.units)], ['c', c.toFixed(3)]].forEach(function (d) {
      dl.appendChild(el('dt', d[0])); dl.appendChild(el('dd', d[1]));
    });
    panel.appendChild(dl);
    var p = el('p');
    p.appendChild(link(entryName(a), function () { showEntry(a); }));
    p.appendChild(document.createTextNode(' · '));
    p.appendChild(link(entryName(b), function () { showEntry(b); }));
    panel.appendChild(p);
    panel.appendChild(el('p', 'c = both / (one + other − both). `thema cooccur` lists the turns and the other coefficients.', 'meta'));
  }

  function heatmap() {
    var box = document.getElementById('heatmap');
    var h = data.cooccurrence;
    if (!h) { box.appendChild(el('p', 'No two codes are applied in the same turn.', 'missing')); return; }
    var pairs = {};
    h.pairs.forEach(function (p) { pairs[p[0] + ' ' + p[1]] = p; pairs[p[1] + ' ' + p[0]] = p; });
    var t = el('table', null, 'heatmap');
    var head = el('tr'); head.appendChild(el('th', ''));
    h.ids.forEach(function (id) { var th = el('th'); th.appendChild(link(entryName(id), function () { showEntry(id); })); head.appendChild(th); });
    var thead = el('thead'); thead.appendChild(head); t.appendChild(thead);
    h.ids.forEach(function (row) {
      var tr = el('tr');
      var th = el('th'); th.appendChild(link(entryName(row), function () { showEntry(row); })); tr.appendChild(th);
      h.ids.forEach(function (col) {
        var td = el('td');
        var p = pairs[row + ' ' + col];
        if (row === col) td.className = 'self';
        else if (p) {
          td.setAttribute('data-pair', row + ' ' + col);
          td.style.background = 'rgba(0, 114, 178, ' + (0.12 + 0.88 * p[3]).toFixed(3) + ')';
          var b = el('button', p[2]); b.type = 'button';
          b.title = entryName(row) + ' and ' + entryName(col) + ': ' + plural(p[2], 'turn', 'turns') + ' with both, c = ' + p[3].toFixed(3);
          if (p[3] > 0.5) b.style.color = '#fff';
          b.addEventListener('click', function () { showPair(row, col, p[2], p[3]); });
          td.appendChild(b);
        }
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    box.appendChild(t);
    var note = h.title + ' in the codings of ' + data.coders + '; a cell holds the turns with both, its shade the c-coefficient.';
    if (h.left_out) note += ' The ' + h.ids.length + ' most frequent codes are shown; ' + plural(h.left_out, 'code is', 'codes are') + ' left out (`thema cooccur` has them all).';
    box.appendChild(el('p', note, 'meta'));
  }

  // The map: names of entries and relations are clickable.
  document.querySelectorAll('#map [data-entry]').forEach(function (t) {
    // A name inside a card is its own entry; the rest of the card is the card's.
    t.addEventListener('click', function (ev) { ev.stopPropagation(); showEntry(t.getAttribute('data-entry')); });
  });
  document.querySelectorAll('#map [data-relations]').forEach(function (t) {
    t.addEventListener('click', function () {
      var first = Number(t.getAttribute('data-relations').split(' ')[0]);
      if (data.relations[first]) showRelation(data.relations[first]);
    });
  });

  // The codebook as a table: each entry's kind and counts, each coder's segments beside.
  var table = document.getElementById('codebook');
  var head = el('tr');
  ['Entry', 'Kind', 'Segments', 'Documents', 'Participants'].forEach(function (h) { head.appendChild(el('th', h)); });
  data.sets.forEach(function (s) { var th = el('th', s.name); th.title = 'Segments coded by ' + s.name; head.appendChild(th); });
  var thead = el('thead'); thead.appendChild(head); table.appendChild(thead);
  var body = el('tbody'); table.appendChild(body);
  data.entries.forEach(function (e) {
    var tr = el('tr');
    tr.setAttribute('data-entry-row', e.id);
    var name = el('td'); name.style.paddingLeft = (0.5 + e.depth * 1.25) + 'rem';
    name.appendChild(link(e.name, function () { showEntry(e.id); }));
    var badge = el('span', '', 'badge'); badge.setAttribute('data-badge', e.target); badge.hidden = true;
    name.appendChild(badge);
    tr.appendChild(name);
    tr.appendChild(el('td', e.kind));
    [e.segments, e.documents, e.participants].forEach(function (v) { tr.appendChild(el('td', num(v))); });
    data.sets.forEach(function (s) { tr.appendChild(el('td', num((s.counts[e.id] || [0])[0]), 'set')); });
    body.appendChild(tr);
  });
  heatmap();
  var rel = document.getElementById('relations');
  data.relations.forEach(function (r) {
    var li = el('li'); li.appendChild(link(relationText(r), function () { showRelation(r); }));
    var badge = el('span', '', 'badge'); badge.setAttribute('data-badge', r.target); badge.hidden = true;
    li.appendChild(badge);
    rel.appendChild(li);
  });
  if (!data.relations.length) rel.appendChild(el('li', 'No relations recorded.', 'missing'));

  // Search over codes and quotes.
  document.getElementById('search').addEventListener('input', function (ev) {
    var words = ev.target.value.toLowerCase().trim();
    document.querySelectorAll('[data-entry-row]').forEach(function (li) {
      var e = entries[li.getAttribute('data-entry-row')];
      li.classList.toggle('hidden', !!words && (e.name + ' ' + e.definition).toLowerCase().indexOf(words) < 0);
    });
    if (!words) return;
    var found = data.quotes.filter(function (q) {
      return q.parts.some(function (p) { return p[0].toLowerCase().indexOf(words) >= 0; });
    });
    choose(null);
    panel.replaceChildren();
    panel.setAttribute('data-showing', 'search');
    panel.appendChild(el('h2', 'Quotes with “' + ev.target.value.trim() + '” (' + found.length + ')'));
    found.slice(0, 200).forEach(function (q) { panel.appendChild(quoteBlock(q)); });
    if (found.length > 200) panel.appendChild(el('p', 'The first 200 are shown; say more to narrow it.', 'missing'));
  });

  document.getElementById('save').addEventListener('click', function () {
    if (!comments.length) { panel.prepend(el('p', 'No comments yet: click an entry and add one.', 'missing')); return; }
    var who = (reviewer.value.trim() || 'reviewer').toLowerCase().replace(/[^a-z0-9]+/g, '-');
    var a = el('a'); a.download = 'review-comments-' + who + '.json';
    a.href = URL.createObjectURL(new Blob([commentsFile()], { type: 'application/json' }));
    document.body.appendChild(a); a.click(); a.remove();
  });
  commentsChanged();

  // `review.html#code:hope` opens that entry (links in e-mails, and the browser test).
  var wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted.indexOf('code:') === 0) showEntry(wanted.slice(5));
  document.documentElement.setAttribute('data-ready', 'yes');
  // How long the page took to be usable, from the start of navigation (for the scale test).
  document.documentElement.setAttribute('data-ready-ms', String(Math.round(performance.now())));
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_end_its_script() {
        let json = script_json(&vec!["</script><script>alert(1)</script>", "<!-- x -->"]);
        assert!(!json.contains('<'), "{json}");
        // Still the same JSON to a parser.
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vec!["</script><script>alert(1)</script>", "<!-- x -->"]);
    }

    #[test]
    fn page_fetches_nothing() {
        let page = page("Peer <work>", "<svg></svg>", "{}");
        assert!(page.contains("<title>Peer &lt;work&gt;: team review</title>"));
        assert!(page.contains("Content-Security-Policy"));
        for needle in ["src=", "http://", "https://", "@import", "url(", "fetch(", "XMLHttpRequest"] {
            assert!(!page.contains(needle), "{needle}");
        }
    }
}
