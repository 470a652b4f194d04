//! Bodies of the fuzz targets: one function a reader of outside input, each feeding the bytes to
//! the real reader and checking what it promises on success (spans inside the text and on
//! grapheme boundaries, turns numbered and in order, a project imported as a study `thema check`
//! finds sound, search hits inside their turn's text) and that a refusal says something.
//!
//! The targets in `fuzz_targets/` call these under libFuzzer (`scripts/fuzz`); the stable test
//! `tests/fuzz_regressions.rs` includes this file and replays every input kept in
//! `tests/fuzz-regressions/<target>/`, so a crash once found stays fixed without nightly.

use std::cell::RefCell;
use std::path::Path;

use thema_core::{Codebook, Coding, Document, DocumentMeta, Span, Study, TextIndex, Turn};
use thema_ingest::{Format, Options, Transcript};

/// The body of a fuzz target.
pub type Target = fn(&[u8]);

/// Every target by name, as `scripts/fuzz` and the regression test know them.
pub const TARGETS: [(&str, Target); 12] = [
    ("txt", txt),
    ("vtt", vtt),
    ("srt", srt),
    ("sbv", sbv),
    ("docx", docx),
    ("odt", odt),
    ("csv", csv),
    ("json", json),
    ("qdc", qdc),
    ("qdpx", qdpx),
    ("sheet", sheet),
    ("query", query),
];

/// Plain text and Markdown with speaker labels.
pub fn txt(data: &[u8]) {
    ingest(data, "fuzz.txt", Format::Text);
    ingest(data, "fuzz.md", Format::Markdown);
}

/// WebVTT captions.
pub fn vtt(data: &[u8]) {
    ingest(data, "fuzz.vtt", Format::Vtt);
}

/// SubRip captions.
pub fn srt(data: &[u8]) {
    ingest(data, "fuzz.srt", Format::Srt);
}

/// YouTube SBV captions.
pub fn sbv(data: &[u8]) {
    ingest(data, "fuzz.sbv", Format::Sbv);
}

/// Word documents (a zip holding `word/document.xml`). Input that is not a zip is taken as
/// `word/document.xml` and zipped, so that the fuzzer reaches the XML reader as often as the zip
/// reader.
pub fn docx(data: &[u8]) {
    let zipped = (!data.starts_with(b"PK")).then(|| zip_of(&[("word/document.xml", data)]));
    ingest(zipped.as_deref().unwrap_or(data), "fuzz.docx", Format::Docx);
}

/// OpenDocument text (a zip holding `content.xml`); input that is not a zip is taken as
/// `content.xml`, as for [`docx`].
pub fn odt(data: &[u8]) {
    let zipped = (!data.starts_with(b"PK")).then(|| zip_of(&[("content.xml", data)]));
    ingest(zipped.as_deref().unwrap_or(data), "fuzz.odt", Format::Odt);
}

/// A zip of `entries`, stored (not deflated: the fuzzer's bytes are the point, and storing is quick).
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        w.start_file(*name, options).expect("a zip entry");
        w.write_all(bytes).expect("written to memory");
    }
    w.finish().expect("a zip").into_inner()
}

/// Survey answers as CSV.
pub fn csv(data: &[u8]) {
    ingest(data, "fuzz.csv", Format::Csv);
}

/// JSON lists of `{speaker, content}` turns.
pub fn json(data: &[u8]) {
    ingest(data, "fuzz.json", Format::Json);
}

/// Read `data` as `format` and check the transcript, or that the refusal says something.
fn ingest(data: &[u8], name: &str, format: Format) {
    let options = Options { format: Some(format), ..Options::default() };
    match thema_ingest::parse(data, name, &options) {
        Ok(import) => {
            assert_eq!(import.format, format);
            check_transcript(&import.transcript, format);
        }
        Err(e) => assert!(!e.to_string().trim().is_empty(), "{format}: an error without a message"),
    }
}

/// What every reader promises about the transcript it returns.
fn check_transcript(t: &Transcript, format: Format) {
    assert!(thema_core::text::is_normalised(&t.text), "{format}: the text keeps a byte order mark or CR");
    let index = TextIndex::new(&t.text);
    let mut end = 0;
    for (i, turn) in t.turns.iter().enumerate() {
        assert_eq!(turn.number as usize, i + 1, "{format}: turns are not numbered from 1");
        assert!(turn.span.start <= turn.span.end, "{format}: turn {} ends before it starts", turn.number);
        if let Err(e) = index.check(turn.span) {
            panic!("{format}: turn {} has a bad span: {e}", turn.number);
        }
        assert!(turn.span.start >= end, "{format}: turn {} overlaps the turn before or comes before it", turn.number);
        end = turn.span.end;
        if let Some(label) = &turn.speaker {
            assert!(!label.trim().is_empty(), "{format}: turn {} has an empty speaker label", turn.number);
            assert!(!label.contains('\n'), "{format}: turn {}'s speaker label spans lines", turn.number);
        }
    }
    for line in &t.unattributed {
        assert!(line.line >= 1, "{format}: unattributed line numbered 0");
        assert!(line.text.chars().count() <= 121, "{format}: an unattributed line is not shortened");
    }
    for w in &t.warnings {
        assert!(w.line.is_none_or(|l| l >= 1), "{format}: warning on line 0: {w}");
        assert!(!w.message.trim().is_empty(), "{format}: a warning without a message");
    }
    let mut labels = std::collections::BTreeSet::new();
    for r in &t.respondents {
        assert!(labels.insert(r.label.as_str()), "{format}: respondent `{}` twice", r.label);
    }
}

/// A REFI-QDA codebook (`.qdc`), decoded as `thema import-codebook` decodes it. On success its
/// merge into a codebook with entries and into an empty one leaves no problem, and thema's own
/// `.qdc` of the result reads back to as many entries.
pub fn qdc(data: &[u8]) {
    let Ok(decoded) = thema_ingest::decode::decode(data, None) else { return };
    let book = match thema_refi::codebook::parse_qdc(&decoded.text, "fuzz.qdc") {
        Ok(book) => book,
        Err(e) => {
            assert!(e.to_string().starts_with("fuzz.qdc"), "the error does not name the file: {e}");
            return;
        }
    };
    let mut existing = Codebook::default();
    for (id, name) in [("hope", "Offering hope"), ("stigma", "Stigma")] {
        let entry = thema_core::CodebookEntry { id: id.into(), name: name.into(), ..Default::default() };
        existing.add(entry).expect("a valid entry");
    }
    if let Ok(report) = thema_refi::codebook::merge(&mut existing, &book) {
        assert!(existing.problems().is_empty(), "a merge left problems: {:?}", existing.problems());
        for id in report.ids.values() {
            assert!(existing.get(id).is_some(), "the merge maps a GUID to `{id}`, which is not in the codebook");
        }
    }
    let mut fresh = Codebook::default();
    if thema_refi::codebook::merge(&mut fresh, &book).is_err() || fresh.entries.is_empty() {
        return;
    }
    assert!(fresh.problems().is_empty(), "an import left problems: {:?}", fresh.problems());
    let written = thema_refi::codebook::to_qdc(&fresh).expect("thema writes a codebook it imported");
    let again = thema_refi::codebook::parse_qdc(&written, "again.qdc").expect("thema reads its own .qdc");
    let mut round = Codebook::default();
    thema_refi::codebook::merge(&mut round, &again).expect("thema merges its own .qdc");
    assert_eq!(round.entries.len(), fresh.entries.len(), "entries lost in thema's own .qdc");
}

/// A source text for projects given as their `project.qde` alone: CR LF, an emoji and a combining
/// accent, so that positions in UTF-16 units, CR-LF-as-one and code points all differ.
const SOURCE: (&str, &str) = (
    "sources/eeeeeeee-0000-4000-8000-000000000001.txt",
    "Interviewer: What helped?\r\n\r\nSimon: Seeing 👋🏽 somebody who made it, Jose\u{301}.\r\n",
);

/// A REFI-QDA project (`.qdpx`), imported into a new study in a temporary folder (in memory on
/// Linux); input that is not a zip is taken as `project.qde` and zipped with [`SOURCE`]. On
/// success the study opens and `thema check` finds no error in it; on failure nothing is left
/// where the study was to go.
pub fn qdpx(data: &[u8]) {
    let zipped = (!data.starts_with(b"PK")).then(|| zip_of(&[("project.qde", data), (SOURCE.0, SOURCE.1.as_bytes())]));
    let data = zipped.as_deref().unwrap_or(data);
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("a temporary folder");
    let target = dir.path().join("study");
    let options = thema_refi::project::ImportOptions::default();
    match thema_refi::project::import(data, "fuzz.qdpx", &target, &options) {
        Ok(_) => {
            Study::open(&target).expect("the imported study opens");
            let errors: Vec<String> = thema_core::check::check_study(&target)
                .into_iter()
                .filter(|p| p.severity == thema_core::check::Severity::Error)
                .map(|p| format!("{}: {}", p.file, p.message))
                .collect();
            assert!(errors.is_empty(), "`thema check` finds errors in an imported project: {errors:?}");
        }
        Err(e) => {
            assert!(!e.to_string().trim().is_empty(), "an error without a message");
            assert!(!target.exists(), "a refused project left a study behind: {e}");
            let left: Vec<_> = std::fs::read_dir(dir.path()).expect("the folder").collect();
            assert!(left.is_empty(), "a refused project left files behind: {e}");
        }
    }
}

/// The document sheets are read against: non-ASCII letters, a combining accent, an emoji, a
/// literal `[[` and backslashes, as in `thema_core::sheet`'s tests.
fn sheet_document() -> Document {
    let text = "Facilitator: What brought you here?\n\nMo: It is a matter of showing that there is a way out [[sic]] \\[[x. Just by seeing somebody.\n\nJo\u{301}: Se\u{301} 👋🏽 café \\\\ done.\n";
    let index = TextIndex::new(text);
    let turn = |number: u32, speech: &str| {
        let start = text.find(speech).expect("speech in the text");
        let span = index.span_of_bytes(start..start + speech.len()).expect("on boundaries");
        Turn { number, speaker: None, span, time_start: None, time_end: None }
    };
    Document {
        meta: DocumentMeta::new("int1", "interview"),
        text: text.into(),
        turns: vec![
            turn(1, "What brought you here?"),
            turn(2, "It is a matter of showing that there is a way out [[sic]] \\[[x. Just by seeing somebody."),
            turn(3, "Se\u{301} 👋🏽 café \\\\ done."),
        ],
    }
}

/// A coding sheet (`thema apply`), read against a fixed document. On success every segment
/// lies in the text, and the segments that make valid codings survive a write and read back.
pub fn sheet(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let document = sheet_document();
    let _ = thema_core::sheet::header(text);
    let sheet = match thema_core::sheet::read_sheet(text, &document, None) {
        Ok(sheet) => sheet,
        Err(errors) => {
            let lines = text.split('\n').count().max(1);
            assert!(!errors.0.is_empty(), "a refused sheet names a problem");
            for e in &errors.0 {
                assert!(e.line >= 1 && e.line <= lines + 1, "error on line {} of a {lines}-line sheet: {e}", e.line);
            }
            return;
        }
    };
    let index = TextIndex::new(&document.text);
    let mut codings = Vec::new();
    for s in &sheet.segments {
        assert!(s.span.start < s.span.end && s.span.end <= index.char_len(), "segment {:?} outside the text", s.span);
        assert!(thema_core::document::is_valid_id(&s.code), "segment code `{}` is not an id", s.code);
        if let Ok(c) = Coding::new(&document, s.span, &s.code, "hp", "2024-01-01T00:00:00Z") {
            codings.push(c);
        }
    }
    let written = thema_core::sheet::write_sheet(&document, &codings, &Codebook::default(), "hp");
    let again = thema_core::sheet::read_sheet(&written, &document, None).expect("thema reads the sheet it wrote");
    let mut want: Vec<(String, Span)> = codings.iter().map(|c| (c.code.clone(), c.span())).collect();
    let mut got: Vec<(String, Span)> = again.segments.iter().map(|s| (s.code.clone(), s.span)).collect();
    want.sort();
    want.dedup();
    got.sort();
    assert_eq!(got, want, "a written sheet reads back to other segments");
}

/// A small study and its search index, built once a thread.
struct SearchFixture {
    _dir: tempfile::TempDir,
    index: thema_search::SearchIndex,
}

fn search_fixture() -> SearchFixture {
    use thema_ingest::into_study::{DocumentOptions, Importer};
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut study = Study::init(&dir.path().join("study"), "fuzz").expect("a study");
    let files: [(&str, &str); 3] = [
        (
            "int1.txt",
            "Interviewer: What brought you to the peer mentoring programme?\n\nMo: It is a matter of hope, \
             of showing that there is a way out. Courts, judges and the probation officers.\n\n\
             Interviewer: And then?\n\nMo: Just by seeing somebody who has found a way out.\n",
        ),
        (
            "fg1.txt",
            "Facilitator: Tell me about the café.\n\nJosé: On était là, café au lait, naïve façade — 👋🏽 \
             résumé.\n\nAmira: مرحبا \u{200f}بكم\u{200f} في البرنامج\n\nNoa: שלום, court hearing מחר.\n",
        ),
        (
            "call.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Kim>The court date moved twice.\n\n\
             00:00:04.000 --> 00:00:06.500\n<v Lee>That hurts hope, doesn't it?\n",
        ),
    ];
    let mut importer = Importer::new(&mut study, DocumentOptions { add_participants: true, ..Default::default() });
    for (name, text) in files {
        let import = thema_ingest::parse(text.as_bytes(), name, &Options::default()).expect("a fixture file");
        importer.add(name, import).expect("a fixture document");
    }
    importer.flush().expect("the fixture written");
    drop(importer);
    let mut codebook = Codebook::default();
    for (id, name) in [("hope", "Offering hope"), ("courts", "Courts")] {
        let entry = thema_core::CodebookEntry { id: id.into(), name: name.into(), ..Default::default() };
        codebook.add(entry).expect("a valid entry");
    }
    study.save_codebook(&codebook).expect("the codebook written");
    let document = study.load_document("int1").expect("int1");
    let span = |quote: &str| thema_core::coding::find_quote(&document.text, quote)[0];
    let codings = vec![
        Coding::new(&document, span("a matter of hope"), "hope", "hp", "2024-01-01T00:00:00Z").expect("coding"),
        Coding::new(&document, span("Courts, judges"), "courts", "hp", "2024-01-01T00:00:00Z").expect("coding"),
    ];
    study.save_coder_codings("hp", &codings).expect("codings written");
    let (index, _) = thema_search::SearchIndex::open(&study).expect("the index");
    SearchFixture { _dir: dir, index }
}

thread_local! {
    static SEARCH: RefCell<Option<SearchFixture>> = const { RefCell::new(None) };
}

/// A search (`thema search`) on a small study. The first byte, if below 8, sets flags (exact,
/// fuzzy, document order); then the first line is the query and each further line a filter
/// (`where KEY=VALUE`, `speaker LABEL`, `code ID`, `not ID`, `doc ID`, `kind KIND`, `uncoded`,
/// `coder NAME`). On success the total agrees with the matching turns counted on their own, and
/// every located match lies inside its turn's text on character boundaries, in order.
pub fn query(data: &[u8]) {
    use thema_search::{Filters, HitOrder, Request, Where};
    let (flags, rest) = match data.first() {
        Some(&b) if b < 8 => (b, &data[1..]),
        _ => (0, data),
    };
    let text = String::from_utf8_lossy(rest);
    let mut lines = text.split('\n');
    let query = lines.next().unwrap_or("").to_owned();
    let mut filters = Filters::default();
    for line in lines {
        let (word, value) = line.split_once(' ').unwrap_or((line, ""));
        match word {
            "where" => {
                if let Ok(w) = value.parse::<Where>() {
                    filters.wheres.push(w);
                }
            }
            "speaker" => filters.speakers.push(value.to_owned()),
            "code" => filters.codes.push([value.to_owned()].into()),
            "not" => filters.not_codes.push([value.to_owned()].into()),
            "doc" => filters.documents.push(value.to_owned()),
            "kind" => filters.kinds.push(value.to_owned()),
            "uncoded" => filters.uncoded = true,
            "coder" => filters.coder = Some(value.to_owned()),
            _ => {}
        }
    }
    let request = Request {
        query,
        exact: flags & 1 != 0,
        fuzzy: (flags & 2 != 0).then_some(1),
        filters,
        order: if flags & 4 != 0 { HitOrder::Document } else { HitOrder::Rank },
        limit: 5,
    };
    SEARCH.with(|cell| {
        let mut slot = cell.borrow_mut();
        let fixture = slot.get_or_insert_with(search_fixture);
        match fixture.index.search(&request) {
            Ok(results) => {
                assert!(results.hits.len() <= request.limit && results.hits.len() <= results.total);
                let counts = fixture.index.count_matching(&request).expect("a query that searched also counts");
                let counted: usize = counts.values().sum();
                assert_eq!(counted, results.total, "search and count disagree on {:?}", request.query);
                for hit in &results.hits {
                    assert!(!hit.turn.is_empty() && !hit.document.is_empty());
                    let mut end = 0;
                    for m in &hit.matches {
                        assert!(m.start >= end && m.start < m.end && m.end <= hit.text.len(), "match {m:?} in {hit:?}");
                        assert!(hit.text.is_char_boundary(m.start) && hit.text.is_char_boundary(m.end));
                        end = m.end;
                    }
                }
            }
            Err(e) => assert!(!e.to_string().trim().is_empty(), "an error without a message"),
        }
    });
}
