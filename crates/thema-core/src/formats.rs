//! Parse and write each study file, in the canonical form thema writes (so that the same study
//! always serialises to the same bytes); errors name the file and line. Where the files are is
//! [`crate::layout`]; reading and writing them, atomically, is [`crate::Study`].

use std::path::Path;

use crate::codebook::Codebook;
use crate::coding::Coding;
use crate::document::{DocumentMeta, Speaker, Turn, TurnRecord};
use crate::error::StudyError;
use crate::settings::{Settings, FORMAT_VERSION};
use crate::timestamp::Timestamp;

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StudyError + '_ {
    move |source| StudyError::Io { path: path.to_owned(), source }
}

/// Read a file as UTF-8, naming it in the error.
pub fn read_text(path: &Path) -> Result<String, StudyError> {
    let bytes = crate::fsio::read_regular(path).map_err(io(path))?;
    String::from_utf8(bytes).map_err(|e| not_utf8(path, e.as_bytes(), e.utf8_error()))
}

/// [`read_text`] into `buffer` (see [`crate::fsio::read_regular_into`]), for a caller reading
/// thousands of files.
pub fn read_text_into<'a>(path: &Path, buffer: &'a mut Vec<u8>) -> Result<&'a str, StudyError> {
    crate::fsio::read_regular_into(path, buffer).map_err(io(path))?;
    std::str::from_utf8(buffer).map_err(|e| not_utf8(path, buffer, e))
}

/// The error of a file that is not UTF-8, naming the line of the first bad byte.
pub(crate) fn not_utf8(path: &Path, bytes: &[u8], error: std::str::Utf8Error) -> StudyError {
    let line = bytes[..error.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
    StudyError::Parse { path: path.to_owned(), line, message: "not valid UTF-8".into() }
}

/// 1-based line of byte offset `at` in `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

fn toml_error(path: &Path, text: &str, e: toml::de::Error) -> StudyError {
    let line = e.span().map_or(0, |s| line_of(text, s.start));
    StudyError::Parse { path: path.to_owned(), line, message: e.message().trim().to_owned() }
}

fn csv_line(e: &csv::Error) -> usize {
    e.position().map_or(0, |p| p.line() as usize)
}

/// Parse `document.toml`.
pub fn parse_meta(path: &Path, text: &str) -> Result<DocumentMeta, StudyError> {
    toml::from_str(text).map_err(|e| toml_error(path, text, e))
}

/// Parse `codebook.toml` (at `path`, for errors): the one codebook parser, for the study's
/// codebook and its earlier versions ([`crate::revision`]).
pub fn parse_codebook(path: &Path, text: &str) -> Result<Codebook, StudyError> {
    toml::from_str(text).map_err(|e| toml_error(path, text, e))
}

/// Canonical `document.toml`.
pub fn meta_to_toml(meta: &DocumentMeta) -> String {
    toml::to_string(meta).unwrap_or_default()
}

/// The records of a CSV text in the simple form thema writes: exactly the header `header`, `N`
/// fields a record, one record a line, no quotes, no CR, no blank line. `None` for anything else,
/// or when `row` refuses a record, and the caller then parses with the `csv` crate, which gives
/// the same records for simple text and the error messages for the rest. (Building a `csv`
/// reader costs more than parsing a small file, and a study has thousands of them.)
fn simple_csv<T, const N: usize>(
    text: &str,
    header: &str,
    mut row: impl FnMut([&str; N]) -> Option<T>,
) -> Option<Vec<T>> {
    if text.bytes().any(|b| b == b'"' || b == b'\r') {
        return None;
    }
    let body = text.strip_prefix(header)?;
    let body = match body.strip_prefix('\n') {
        Some(body) => body,
        None if body.is_empty() => body,
        None => return None,
    };
    let mut out = Vec::with_capacity(body.bytes().filter(|&b| b == b'\n').count());
    if body.is_empty() {
        return Some(out);
    }
    for line in body.strip_suffix('\n').unwrap_or(body).split('\n') {
        out.push(row(simple_fields(line)?)?);
    }
    Some(out)
}

/// The `N` comma-separated fields of `line`, `None` for another number: `split(',')` a byte at a
/// time, as a pattern searcher costs more than the few bytes of a field it searches (`thema
/// check` splits the 400,000 turns of a 2,000-document study).
fn simple_fields<const N: usize>(line: &str) -> Option<[&str; N]> {
    let mut fields = [""; N];
    let (mut field, mut start) = (0, 0);
    for (at, &byte) in line.as_bytes().iter().enumerate() {
        if byte == b',' {
            *fields.get_mut(field)? = &line[start..at];
            (field, start) = (field + 1, at + 1);
        }
    }
    *fields.get_mut(field)? = &line[start..];
    (field + 1 == N).then_some(fields)
}

/// A non-negative integer written in decimal digits only (anything else goes to the `csv` crate).
fn simple_number<T: std::str::FromStr>(field: &str) -> Option<T> {
    if field.is_empty() || !field.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    field.parse().ok()
}

fn simple_time(field: &str) -> Option<Option<Timestamp>> {
    if field.is_empty() {
        return Some(None);
    }
    Timestamp::parse(field).map(Some)
}

fn simple_turns(text: &str) -> Option<Vec<Turn>> {
    simple_csv(text, "turn,speaker,start,end,time_start,time_end", |[turn, speaker, start, end, t0, t1]| {
        Turn::try_from(TurnRecord {
            turn: simple_number(turn)?,
            speaker: speaker.to_owned(),
            start: simple_number(start)?,
            end: simple_number(end)?,
            time_start: simple_time(t0)?,
            time_end: simple_time(t1)?,
        })
        .ok()
    })
}

fn simple_speakers(text: &str) -> Option<Vec<Speaker>> {
    simple_csv(text, "label,participant,interviewer", |[label, participant, interviewer]| {
        Some(Speaker {
            label: label.to_owned(),
            participant: (!participant.is_empty()).then(|| participant.to_owned()),
            interviewer: match interviewer {
                "true" => true,
                "false" => false,
                _ => return None,
            },
        })
    })
}

/// Parse `turns.csv`.
pub fn parse_turns(path: &Path, text: &str) -> Result<Vec<Turn>, StudyError> {
    if let Some(turns) = simple_turns(text) {
        return Ok(turns);
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut turns = Vec::new();
    for record in reader.deserialize::<TurnRecord>() {
        let record = record.map_err(|e| StudyError::Parse {
            path: path.to_owned(),
            line: csv_line(&e),
            message: e.to_string(),
        })?;
        let line = turns.len() + 2;
        let turn =
            Turn::try_from(record).map_err(|message| StudyError::Parse { path: path.to_owned(), line, message })?;
        turns.push(turn);
    }
    Ok(turns)
}

fn csv_string<T: serde::Serialize>(header: &[&str], rows: impl IntoIterator<Item = T>) -> String {
    let mut writer =
        csv::WriterBuilder::new().has_headers(false).terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.serialize(row);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Canonical `turns.csv`.
pub fn turns_to_csv(turns: &[Turn]) -> String {
    csv_string(&["turn", "speaker", "start", "end", "time_start", "time_end"], turns.iter().map(TurnRecord::from))
}

/// Parse `speakers.csv`.
pub fn parse_speakers(path: &Path, text: &str) -> Result<Vec<Speaker>, StudyError> {
    if let Some(speakers) = simple_speakers(text) {
        return Ok(speakers);
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    reader
        .deserialize::<Speaker>()
        .map(|r| r.map_err(|e| StudyError::Parse { path: path.to_owned(), line: csv_line(&e), message: e.to_string() }))
        .collect()
}

/// Canonical `speakers.csv`.
pub fn speakers_to_csv(speakers: &[Speaker]) -> String {
    #[derive(serde::Serialize)]
    struct Row<'a> {
        label: &'a str,
        participant: &'a str,
        interviewer: bool,
    }
    csv_string(
        &["label", "participant", "interviewer"],
        speakers.iter().map(|s| Row {
            label: &s.label,
            participant: s.participant.as_deref().unwrap_or(""),
            interviewer: s.interviewer,
        }),
    )
}

/// Parse `thema.toml`, refusing a newer format.
pub fn parse_settings(path: &Path, text: &str) -> Result<Settings, StudyError> {
    let settings: Settings = toml::from_str(text).map_err(|e| toml_error(path, text, e))?;
    if settings.format > FORMAT_VERSION {
        return Err(StudyError::FormatVersion {
            path: path.to_owned(),
            found: settings.format,
            supported: FORMAT_VERSION,
        });
    }
    Ok(settings)
}

/// Canonical `thema.toml`.
pub fn settings_to_toml(settings: &Settings) -> String {
    toml::to_string(settings).unwrap_or_default()
}

/// Canonical `codebook.toml`: entries sorted by id, relations by (from, to, label).
pub fn codebook_to_toml(codebook: &Codebook) -> String {
    let mut sorted = codebook.clone();
    sorted.entries.sort_by(|a, b| a.id.cmp(&b.id));
    sorted.relations.sort_by(|a, b| (&a.from, &a.to, &a.label).cmp(&(&b.from, &b.to, &b.label)));
    let body = toml::to_string(&sorted).unwrap_or_default();
    format!("# thema codebook: one [[entry]] per code, category, sub-theme or theme\n{body}")
}

/// One analytic decision about the codebook, as the decision log keeps it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// When, RFC 3339 in UTC.
    pub time: String,
    /// Who (the coder).
    pub who: String,
    /// What was done: `add`, `rename`, `describe`, `move`, `merge`, `delete`, `relate`.
    pub action: String,
    /// What it was done to, in words.
    pub what: String,
    /// Why, if the researcher said.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub why: String,
}

/// Parse a codings file. A large file is parsed in parts on several threads (the result is the
/// same: the codings in file order, or the error of the first bad line).
pub fn parse_codings(path: &Path, text: &str) -> Result<Vec<Coding>, StudyError> {
    parse_codings_with(path, text, 0, |line| serde_json::from_str(line), None)
}

/// The bytes of a codings file [`parse_codings_file`] reads at a time.
const CODINGS_PIECE: u64 = 32 << 20;

/// Parse the codings file at `path` a piece at a time (about 32 MB, cut at line ends), keeping
/// those whose code `keep` accepts (every one without it): memory holds one piece of the file's text and the codings kept, not
/// the whole text (224 MB a coder at 10,000 documents). The errors are those of [`read_text`]
/// and [`parse_codings`], with the file's own line numbers.
pub(crate) fn parse_codings_file(
    path: &Path,
    keep: Option<&(dyn Fn(&str) -> bool + Sync)>,
) -> Result<Vec<Coding>, StudyError> {
    parse_codings_file_in(path, keep, CODINGS_PIECE)
}

/// [`parse_codings_file`], reading `piece` bytes at a time.
fn parse_codings_file_in(
    path: &Path,
    keep: Option<&(dyn Fn(&str) -> bool + Sync)>,
    piece: u64,
) -> Result<Vec<Coding>, StudyError> {
    use std::io::Read;
    let mut file = crate::fsio::open_regular(path).map_err(io(path))?;
    let mut codings = Vec::new();
    // One buffer for every piece, its unparsed end moved to its start: a new buffer a piece
    // made the allocator hold several freed pieces at once.
    let size = file.metadata().map_err(io(path))?.len();
    let mut buffer: Vec<u8> = Vec::with_capacity(usize::try_from(size.min(piece.saturating_mul(2))).unwrap_or(0));
    // Lines of the file before `buffer`.
    let mut before = 0;
    loop {
        let read = (&mut file).take(piece).read_to_end(&mut buffer).map_err(io(path))?;
        let cut = match buffer.iter().rposition(|&b| b == b'\n') {
            _ if read == 0 => buffer.len(),
            Some(at) => at + 1,
            // A line longer than a piece: read on.
            None => continue,
        };
        let text = std::str::from_utf8(&buffer[..cut]).map_err(|e| {
            let line = before + buffer[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
            StudyError::Parse { path: path.to_owned(), line, message: "not valid UTF-8".into() }
        })?;
        codings.extend(parse_codings_with(path, text, before, |line| serde_json::from_str(line), keep)?);
        if read == 0 {
            return Ok(codings);
        }
        before += text.bytes().filter(|&b| b == b'\n').count();
        buffer.drain(..cut);
    }
}

/// A coding line read without its words (see [`Study::load_coder_placements`]). The fields and
/// the required ones are those of [`Coding`], so a missing or unknown field is refused as there,
/// but the words are skipped (any JSON value passes), not copied, and the ids are borrowed from
/// the line where they can be.
pub(crate) fn placement_from_line(line: &str) -> Result<Coding, serde_json::Error> {
    use serde::de::IgnoredAny;
    use std::borrow::Cow;
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // the skipped fields are read to be checked, not kept
    struct Placement<'a> {
        #[serde(borrow)]
        document: Cow<'a, str>,
        start: usize,
        end: usize,
        quote: IgnoredAny,
        #[serde(default)]
        before: IgnoredAny,
        #[serde(default)]
        after: IgnoredAny,
        #[serde(borrow)]
        code: Cow<'a, str>,
        #[serde(borrow)]
        coder: Cow<'a, str>,
        time: IgnoredAny,
        #[serde(default)]
        memo: IgnoredAny,
        #[serde(default)]
        unplaced: bool,
        #[serde(default)]
        exemplar: bool,
    }
    let p: Placement = serde_json::from_str(line)?;
    Ok(Coding {
        document: p.document.into_owned(),
        start: p.start,
        end: p.end,
        quote: String::new(),
        before: String::new(),
        after: String::new(),
        code: p.code.into_owned(),
        coder: p.coder.into_owned(),
        time: String::new(),
        memo: String::new(),
        unplaced: p.unplaced,
        exemplar: p.exemplar,
    })
}

/// [`parse_codings`] with `parse` reading each line.
pub(crate) fn parse_codings_with(
    path: &Path,
    text: &str,
    before: usize,
    parse: fn(&str) -> Result<Coding, serde_json::Error>,
    keep: Option<&(dyn Fn(&str) -> bool + Sync)>,
) -> Result<Vec<Coding>, StudyError> {
    const PART: usize = 1 << 20;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let parts = (text.len() / PART).clamp(1, threads);
    if parts == 1 {
        return parse_codings_part(path, text, before, parse, keep);
    }
    // Cut at line ends near equal shares of the bytes.
    let mut cuts = vec![0];
    for i in 1..parts {
        let from = (text.len() * i / parts).max(*cuts.last().unwrap_or(&0));
        let cut = text[from..].find('\n').map_or(text.len(), |at| from + at + 1);
        cuts.push(cut);
    }
    cuts.push(text.len());
    let pieces: Vec<&str> = cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect();
    let mut first_line = before;
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .iter()
            .map(|piece| {
                let skip = first_line;
                first_line += piece.bytes().filter(|&b| b == b'\n').count();
                scope.spawn(move || parse_codings_part(path, piece, skip, parse, keep))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect::<Vec<_>>()
    });
    let mut codings = Vec::new();
    for result in results {
        codings.extend(result?);
    }
    Ok(codings)
}

/// Parse the lines of `text`, the first being line `skip + 1` of the file, keeping the codings
/// whose code `keep` accepts (every one without it). A line whose code is not kept is only
/// skimmed for its code, allocating nothing: a line that is not JSON or has no code is refused
/// as the full reading refuses it, but the other fields of a coding not kept are not checked
/// (`thema check` reads the codings in full).
fn parse_codings_part(
    path: &Path,
    text: &str,
    skip: usize,
    parse: fn(&str) -> Result<Coding, serde_json::Error>,
    keep: Option<&(dyn Fn(&str) -> bool + Sync)>,
) -> Result<Vec<Coding>, StudyError> {
    let mut codings = Vec::with_capacity(text.len() / 400);
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if let Some(keep) = keep {
            /// The code of a coding line, borrowed from the line where it can be.
            #[derive(serde::Deserialize)]
            struct Code<'a> {
                #[serde(borrow)]
                code: std::borrow::Cow<'a, str>,
            }
            if serde_json::from_str::<Code>(line).is_ok_and(|c| !keep(&c.code)) {
                continue;
            }
        }
        let coding = parse(line).map_err(|e| StudyError::Parse {
            path: path.to_owned(),
            line: skip + i + 1,
            message: e.to_string(),
        })?;
        codings.push(coding);
    }
    Ok(codings)
}

/// Canonical codings file: one JSON object a line, sorted by document, span and code, with
/// duplicate segments (same document, span and code) kept once. Nothing a duplicate holds is
/// lost: the earliest is kept, with the memos of the others added to its own and the exemplar
/// mark if any had it (an exact copy, as a git merge can leave, adds nothing).
pub fn codings_to_jsonl(codings: &[Coding]) -> String {
    use std::borrow::Cow;
    let mut sorted: Vec<&Coding> = codings.iter().collect();
    sorted.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()).then_with(|| a.time.cmp(&b.time)));
    let mut kept: Vec<Cow<'_, Coding>> = Vec::with_capacity(sorted.len());
    for c in sorted {
        match kept.last_mut() {
            Some(last) if last.same_segment(c) => {
                if c.exemplar && !last.exemplar {
                    last.to_mut().exemplar = true;
                }
                if !c.memo.is_empty() && last.memo != c.memo && !last.memo.split('\n').any(|m| m == c.memo) {
                    let last = last.to_mut();
                    last.memo =
                        if last.memo.is_empty() { c.memo.clone() } else { format!("{}\n{}", last.memo, c.memo) };
                }
            }
            _ => kept.push(Cow::Borrowed(c)),
        }
    }
    let mut out = String::new();
    for c in kept {
        out.push_str(&serde_json::to_string(&*c).unwrap_or_default());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_fields_are_those_of_split() {
        for line in ["", ",", ",,", "a", "a,b", "a,,b,", "1,Zoë,13,34,,", "1,Zoë,13,34,1.5,"] {
            let split: Vec<&str> = line.split(',').collect();
            assert_eq!(simple_fields::<1>(line).map(Vec::from), (split.len() == 1).then(|| split.clone()), "{line}");
            assert_eq!(simple_fields::<2>(line).map(Vec::from), (split.len() == 2).then(|| split.clone()), "{line}");
            assert_eq!(simple_fields::<6>(line).map(Vec::from), (split.len() == 6).then(|| split.clone()), "{line}");
        }
    }

    fn line(start: usize, code: &str) -> String {
        format!(
            r#"{{"document":"d1","start":{start},"end":{},"quote":"Hope","code":"{code}","coder":"hp","time":"2026-01-01T00:00:00Z"}}"#,
            start + 4
        )
    }

    fn parse_in(
        bytes: &[u8],
        piece: u64,
        keep: Option<&(dyn Fn(&str) -> bool + Sync)>,
    ) -> Result<Vec<Coding>, StudyError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hp.jsonl");
        std::fs::write(&path, bytes).unwrap();
        parse_codings_file_in(&path, keep, piece)
    }

    fn line_of_error(result: Result<Vec<Coding>, StudyError>) -> (usize, String) {
        match result {
            Err(StudyError::Parse { line, message, .. }) => (line, message),
            other => panic!("not a parse error: {other:?}"),
        }
    }

    /// A file read a piece at a time gives the codings and the errors (with their lines) of the
    /// file read whole, whether a piece holds part of a line (7 bytes), a line and a half (150)
    /// or everything.
    #[test]
    fn a_codings_file_in_pieces_is_the_file_read_whole() {
        // Four codings, the third of `stray`, a blank line after the second, no newline at the end.
        let text = [line(0, "hope"), line(10, "hope"), String::new(), line(20, "stray"), line(30, "hope")].join("\n");
        let whole = parse_codings(Path::new("hp.jsonl"), &text).unwrap();
        assert_eq!(whole.len(), 4);
        for piece in [7, 150, 1 << 20] {
            assert_eq!(parse_in(text.as_bytes(), piece, None).unwrap(), whole, "{piece}");
            let hope = parse_in(text.as_bytes(), piece, Some(&|code| code == "hope")).unwrap();
            assert_eq!(hope.iter().map(|c| c.start).collect::<Vec<_>>(), [0, 10, 30], "{piece}");
            // Line 4 (after the blank line 3) is not JSON.
            let broken = text.replace(&line(20, "stray"), "{not json");
            let (at, message) = line_of_error(parse_in(broken.as_bytes(), piece, Some(&|code| code == "hope")));
            assert_eq!(at, 4, "{piece}: {message}");
            // A byte that is not UTF-8 on line 2.
            let mut bytes = text.clone().into_bytes();
            let second = text.find("\n").unwrap() + 30;
            bytes[second] = 0xff;
            assert_eq!(line_of_error(parse_in(&bytes, piece, None)), (2, "not valid UTF-8".to_owned()), "{piece}");
        }
        assert_eq!(parse_in(b"", 7, None).unwrap(), Vec::new());
    }
}
