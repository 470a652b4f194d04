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
}

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
         <h2>Codebook</h2>\n<ul id=\"codebook\"></ul>\n<h2>Relations</h2>\n<ul id=\"relations\"></ul>\n</div>\n\
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
ul#codebook, ul#relations { list-style: none; padding: 0; margin: 0; }
button.link { display: inline; border: 0; background: none; color: var(--accent); padding: 0; text-align: left; }
aside ul { list-style: none; padding-left: 0; } aside li { margin: .2rem 0; }
button.link:hover { text-decoration: underline; background: none; color: var(--accent); }
li .kind, .meta { color: var(--muted); font-size: .85rem; }
li .badge { background: var(--mark); border-radius: 8px; padding: 0 .4rem; font-size: .8rem; margin-left: .3rem; }
li.hidden { display: none; }
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
  var entryKinds = ['question', 'merge', 'split', 'rename', 'move', 'agreement'];
  var quoteKinds = ['question', 'drop-quote', 'move', 'agreement'];

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
    document.querySelectorAll('text.chosen').forEach(function (t) { t.classList.remove('chosen'); });
    if (selector) document.querySelectorAll(selector).forEach(function (t) { t.classList.add('chosen'); });
  }

  function showEntry(id) {
    var e = entries[id];
    if (!e) return;
    choose('[data-entry="' + CSS.escape(id) + '"]');
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
      dl.appendChild(el('dt', c[0])); dl.appendChild(el('dd', c[1]));
    });
    panel.appendChild(dl);
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
    var box = el('div'); box.id = 'quotes';
    qs.forEach(function (q) { box.appendChild(quoteBlock(q)); });
    if (!qs.length) box.appendChild(el('p', 'Nothing is coded here yet.', 'missing'));
    panel.appendChild(box);
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
    panel.appendChild(commentForm(r.target, relationText(r), ['question', 'agreement']));
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

  // The codebook and relations lists.
  var list = document.getElementById('codebook');
  data.entries.forEach(function (e) {
    var li = el('li'); li.style.paddingLeft = (e.depth * 1.25) + 'rem';
    li.setAttribute('data-entry-row', e.id);
    li.appendChild(link(e.name, function () { showEntry(e.id); }));
    li.appendChild(el('span', ' ' + e.kind + ' · ' + e.segments, 'kind'));
    var badge = el('span', '', 'badge'); badge.setAttribute('data-badge', e.target); badge.hidden = true;
    li.appendChild(badge);
    list.appendChild(li);
  });
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
