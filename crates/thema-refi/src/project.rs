//! Projects: a whole study as a REFI-QDA project exchange file (`.qdpx`) and back.
//!
//! | thema | REFI-QDA |
//! |---|---|
//! | study name, description, methodology | `Project name`, `Description` (`Methodology:` paragraph) |
//! | coders, memo authors | `Users` |
//! | codebook | `CodeBook` (see [`crate::codebook`]) and `Sets` |
//! | document | `TextSource` with its text in `sources/<guid>.txt`; id, kind, date, wave and attributes as `VariableValue`s |
//! | coding | `PlainTextSelection` with one `Coding` (coder as `creatingUser`, time as `creationDateTime`); its memo as the selection's `Description`; an exemplar mark as a `NoteRef` to the note `Exemplar quote` |
//! | participant | `Case` (pseudonym as name; id, role and attributes as variables) with a `SelectionRef` to each of their turns and a `SourceRef` to each document they speak in |
//! | interviewer labels | a `Case` named `Interviewer` with their turns |
//! | memo | `Note` referred to from where it is attached: the project, a source, a code, or a turn's selection |
//! | relation | `Link` from code to code, named by its label; its note as a `Note` |
//!
//! What REFI-QDA cannot hold is listed by [`Export::losses`] and in `docs/refi-qda.md`.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::{Cursor, Seek, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use thema_core::memo::{Attachment, Memo, MemoHeader};
use thema_core::study::Decision;
use thema_core::{
    AttributeType, Codebook, Coding, Document, DocumentMeta, Participant, Participants, Settings, Source, Span,
    Speaker, Study, TextIndex, TurnId,
};
use zip::write::SimpleFileOptions;

use crate::codebook::{self, guid_attr, MergeReport};
use crate::guid::{self, derive};
use crate::positions::{SourceText, Unit};
use crate::xml::{escape, Element};
use crate::RefiError;

/// Variables thema writes for what a document and a participant carry besides attributes.
const DOCUMENT_ID: &str = "Document ID";
const DOCUMENT_KIND: &str = "Document kind";
const DOCUMENT_DATE: &str = "Document date";
const WAVE: &str = "Wave";
const PARTICIPANT_ID: &str = "Participant ID";
const ROLE: &str = "Role";
/// The document attribute that records which sets of sources a document is in.
const SOURCE_SET: &str = "set";
/// The note exemplar codings refer to.
const EXEMPLAR_NOTE: &str = "Exemplar quote";
/// Description of the case that holds the interviewer's turns.
const INTERVIEWER_CASE: &str = "Interviewer";
const INTERVIEWER_DESCRIPTION: &str = "thema: the interviewer's turns (not a participant)";
/// Prefix of a variable's description that records thema's attribute type.
const TYPE_NOTE: &str = "thema attribute type: ";
/// Longest selection name written (characters); the quote itself is in the text.
const SELECTION_NAME_CHARS: usize = 100;

/// A study written as a `.qdpx` in memory.
#[derive(Clone, Debug)]
pub struct Export {
    /// The zip file's bytes.
    pub bytes: Vec<u8>,
    /// What the file holds.
    pub counts: Counts,
    /// What REFI-QDA could not carry from this study, in words.
    pub losses: Vec<String>,
}

/// What a `.qdpx` written to a file holds, and what it could not carry.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// What the file holds.
    pub counts: Counts,
    /// What REFI-QDA could not carry from this study, in words.
    pub losses: Vec<String>,
}

/// How many of each thing an export holds or an import read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Text sources (documents).
    pub documents: usize,
    /// Codes (codebook entries).
    pub codes: usize,
    /// Codings.
    pub codings: usize,
    /// Cases (participants).
    pub participants: usize,
    /// Notes (memos).
    pub memos: usize,
    /// Links (relations).
    pub relations: usize,
    /// Users (coders).
    pub users: usize,
}

/// One variable: a column of participants or documents.
struct Variable {
    guid: String,
    name: String,
    kind: &'static str,
    description: Option<String>,
}

fn variable(scope: &str, name: &str, attribute: Option<AttributeType>, values: &[&str]) -> Variable {
    let kind = match attribute {
        Some(AttributeType::Number) if values.iter().all(|v| v.trim().parse::<i64>().is_ok()) => "Integer",
        Some(AttributeType::Number) => "Float",
        Some(AttributeType::Boolean) => "Boolean",
        Some(AttributeType::Date) => "Date",
        _ => "Text",
    };
    let description = attribute.map(|a| format!("{TYPE_NOTE}{}", attribute_name(a)));
    Variable { guid: derive(&["variable", scope, name]), name: name.to_owned(), kind, description }
}

fn attribute_name(a: AttributeType) -> &'static str {
    match a {
        AttributeType::Text => "text",
        AttributeType::Category => "category",
        AttributeType::Number => "number",
        AttributeType::Boolean => "boolean",
        AttributeType::Date => "date",
    }
}

/// A `VariableValue` element, or nothing for an empty value.
fn variable_value(out: &mut String, pad: &str, var: &Variable, value: &str) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    let (element, text) = match var.kind {
        "Integer" => ("IntegerValue", value.to_owned()),
        "Float" => ("FloatValue", decimal(value)),
        "Boolean" => ("BooleanValue", matches!(value.to_lowercase().as_str(), "true" | "yes" | "1" | "y").to_string()),
        "Date" => ("DateValue", value.to_owned()),
        _ => ("TextValue", value.to_owned()),
    };
    let _ = writeln!(
        out,
        "{pad}<VariableValue>\n{pad}  <VariableRef targetGUID=\"{}\"/>\n{pad}  <{element}>{}</{element}>\n{pad}</VariableValue>",
        var.guid,
        escape(&text)
    );
}

/// A number as `xsd:decimal` (no exponent).
fn decimal(value: &str) -> String {
    let plain = value.strip_prefix('-').unwrap_or(value);
    if !plain.is_empty() && plain.split('.').count() <= 2 && plain.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return value.to_owned();
    }
    value.parse::<f64>().map(|f| format!("{f}")).unwrap_or_else(|_| value.to_owned())
}

/// True for an `xsd:dateTime` as thema writes times (`2026-11-23T04:00:00Z`, fractions and
/// offsets allowed).
fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 19 {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let head = digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    let zone = rest.is_empty()
        || rest == "Z"
        || (rest.len() == 6
            && matches!(rest.as_bytes()[0], b'+' | b'-')
            && rest.as_bytes()[3] == b':'
            && rest[1..3].bytes().all(|c| c.is_ascii_digit())
            && rest[4..6].bytes().all(|c| c.is_ascii_digit()));
    head && zone
}

fn user_guid(name: &str) -> String {
    derive(&["user", name])
}

fn shorten(text: &str, chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= chars {
        return flat;
    }
    let mut s: String = flat.chars().take(chars - 1).collect();
    s.push('…');
    s
}

/// Write `study` as a `.qdpx` in memory. A large study is better written with [`export_to`].
pub fn export(study: &Study) -> Result<Export, RefiError> {
    let mut bytes = Cursor::new(Vec::new());
    let Summary { counts, losses } = export_to(study, &mut bytes)?;
    Ok(Export { bytes: bytes.into_inner(), counts, losses })
}

/// Write `study` as a `.qdpx` to `out` (a file, best behind a `BufWriter`) as it is made: its
/// documents are read one at a time, once to gather what the project's header needs, once for
/// their selections and once for their texts, so memory holds the codings and one document,
/// never every text nor the whole XML (3.4 GB for 10,000 documents when it did). The bytes are
/// those [`export`] gives.
pub fn export_to<W: Write + Seek>(study: &Study, out: W) -> Result<Summary, RefiError> {
    let codebook = study.load_codebook()?;
    let codings = study.load_codings()?;
    let memos = study.load_memos()?;
    let metas = study.documents();
    let load =
        |i: usize| -> Result<Cow<'_, Document>, RefiError> { Ok(Cow::Owned(study.load_document(&metas[i].id)?)) };
    write_project(&study.settings, &study.participants, (metas.len(), &load), &codebook, &codings, &memos, out)
}

/// Write a study given as its parts (what [`export`] loads).
pub fn export_parts(
    settings: &Settings,
    participants: &Participants,
    documents: &[Document],
    codebook: &Codebook,
    codings: &[Coding],
    memos: &[Memo],
) -> Result<Export, RefiError> {
    let mut bytes = Cursor::new(Vec::new());
    let load = |i: usize| -> Result<Cow<'_, Document>, RefiError> { Ok(Cow::Borrowed(&documents[i])) };
    let Summary { counts, losses } =
        write_project(settings, participants, (documents.len(), &load), codebook, codings, memos, &mut bytes)?;
    Ok(Export { bytes: bytes.into_inner(), counts, losses })
}

/// The documents of an export: how many, and the `i`th of them, read when asked for.
type Documents<'a, 'd> = (usize, &'a dyn Fn(usize) -> Result<Cow<'d, Document>, RefiError>);

/// XML gathered before it is written into the zip entry: large enough that the compressor gets
/// big pieces, small enough not to matter.
const XML_CHUNK: usize = 1 << 20;

/// Write the XML gathered in `x` into the zip entry being written, and empty `x`.
fn drain_xml<W: Write + Seek>(zip: &mut zip::ZipWriter<W>, x: &mut String) -> Result<(), RefiError> {
    zip.write_all(x.as_bytes())
        .map_err(|e| RefiError::Archive(format!("cannot write `project.qde` into the .qdpx: {e}")))?;
    x.clear();
    Ok(())
}

/// Write the project: the header's parts (users, codebook, variables, cases) are gathered in a
/// first pass over the documents, then the XML is written into `project.qde` as it is made,
/// then each document's text into its own entry.
fn write_project<W: Write + Seek>(
    settings: &Settings,
    participants: &Participants,
    (document_count, load): Documents<'_, '_>,
    codebook: &Codebook,
    codings: &[Coding],
    memos: &[Memo],
    out: W,
) -> Result<Summary, RefiError> {
    // First pass: what the header needs from the documents, kept small: their metadata, the
    // turns each case and the interviewer refer to (document index and turn number), and which
    // turns memos are attached to exist.
    let memo_turns: BTreeSet<(String, u32)> = memos
        .iter()
        .filter_map(|m| match m.attachment() {
            Attachment::Turn(t) => Some((t.document, t.number)),
            _ => None,
        })
        .collect();
    let mut metas: Vec<DocumentMeta> = Vec::with_capacity(document_count);
    let mut known_turns: BTreeSet<(String, u32)> = BTreeSet::new();
    let mut case_selections: BTreeMap<&str, Vec<(usize, u32)>> = BTreeMap::new();
    let mut case_sources: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut interviewer_selections: Vec<(usize, u32)> = Vec::new();
    let mut any_turn_time = false;
    for i in 0..document_count {
        let doc = load(i)?;
        let source = derive(&["source", &doc.meta.id]);
        for speaker in &doc.meta.speakers {
            let turns = doc.turns.iter().filter(|t| t.speaker.as_deref() == Some(speaker.label.as_str()));
            if let Some(p) = speaker.participant.as_deref().and_then(|p| participants.get(p)) {
                case_selections.entry(p.id.as_str()).or_default().extend(turns.map(|t| (i, t.number)));
                let sources = case_sources.entry(p.id.as_str()).or_default();
                if !sources.contains(&source) {
                    sources.push(source.clone());
                }
            } else if speaker.interviewer {
                interviewer_selections.extend(turns.map(|t| (i, t.number)));
            }
        }
        for &(_, n) in memo_turns.range((doc.meta.id.clone(), 0)..=(doc.meta.id.clone(), u32::MAX)) {
            if doc.turn(n).is_some() {
                known_turns.insert((doc.meta.id.clone(), n));
            }
        }
        any_turn_time |= doc.turns.iter().any(|t| t.time_start.is_some());
        metas.push(match doc {
            Cow::Owned(d) => d.meta,
            Cow::Borrowed(d) => d.meta.clone(),
        });
    }

    let mut losses = Vec::new();
    let mut counts = Counts { codes: codebook.entries.len(), ..Counts::default() };
    let entry_guid: BTreeMap<&str, String> =
        codebook.entries.iter().map(|e| (e.id.as_str(), guid::of_entry(e))).collect();

    // Users: every coder and memo author.
    let users: BTreeSet<&str> = codings
        .iter()
        .map(|c| c.coder.as_str())
        .chain(memos.iter().map(|m| m.header.author.as_str()))
        .filter(|u| !u.trim().is_empty())
        .collect();
    counts.users = users.len();

    // Which memos attach where, in the order of their ids.
    let mut memos: Vec<&Memo> = memos.iter().collect();
    memos.sort_by(|a, b| a.header.id.cmp(&b.header.id));
    let memo_guid = |m: &Memo| derive(&["memo", &m.header.id]);
    let mut project_notes = Vec::new();
    let mut document_notes: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut entry_notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut turn_notes: BTreeMap<(String, u32), Vec<String>> = BTreeMap::new();
    for m in &memos {
        let g = memo_guid(m);
        match m.attachment() {
            Attachment::Project => project_notes.push(g),
            Attachment::Document(d) => match metas.iter().find(|meta| meta.id == d) {
                Some(meta) => document_notes.entry(meta.id.as_str()).or_default().push(g),
                None => project_notes.push(g),
            },
            Attachment::Entry(e) if codebook.get(&e).is_some() => entry_notes.entry(e).or_default().push(g),
            Attachment::Entry(_) => project_notes.push(g),
            Attachment::Turn(t) => {
                if known_turns.contains(&(t.document.clone(), t.number)) {
                    turn_notes.entry((t.document.clone(), t.number)).or_default().push(g);
                } else {
                    project_notes.push(g);
                }
            }
        }
    }

    // Entries with codings of their own are codable whatever their kind.
    let coded: BTreeSet<String> = codings.iter().map(|c| c.code.clone()).collect();
    let mut placed: BTreeMap<&str, Vec<&Coding>> = BTreeMap::new();
    let mut unplaced = 0;
    for c in codings {
        if !c.unplaced && entry_guid.contains_key(c.code.as_str()) {
            placed.entry(c.document.as_str()).or_default().push(c);
        } else {
            unplaced += 1;
        }
    }
    if unplaced > 0 {
        losses.push(format!(
            "{unplaced} coding(s) not placed in their document's text (or naming a code not in the codebook) are left out; `thema check` lists them"
        ));
    }
    let exemplar_guid = derive(&["note", "exemplar"]);
    let any_exemplar = placed.values().flatten().any(|c| c.exemplar);

    // Variables.
    let participant_values = |column: &str| -> Vec<&str> {
        participants.rows().iter().filter_map(|p| p.attributes.get(column).map(String::as_str)).collect()
    };
    let mut participant_vars =
        vec![variable("participant", PARTICIPANT_ID, None, &[]), variable("participant", ROLE, None, &[])];
    for column in &participants.attribute_columns {
        let kind = settings.participant_attributes.get(column).copied();
        participant_vars.push(variable("participant", column, kind, &participant_values(column)));
    }
    let mut document_columns: BTreeSet<&str> =
        metas.iter().flat_map(|m| m.attributes.keys().map(String::as_str)).collect();
    document_columns.extend(settings.document_attributes.keys().map(String::as_str));
    let mut document_vars = vec![
        variable("document", DOCUMENT_ID, None, &[]),
        variable("document", DOCUMENT_KIND, None, &[]),
        variable("document", DOCUMENT_DATE, Some(AttributeType::Date), &[]),
        variable("document", WAVE, Some(AttributeType::Number), &["1"]),
    ];
    for column in &document_columns {
        let values: Vec<&str> = metas.iter().filter_map(|m| m.attributes.get(*column).map(String::as_str)).collect();
        let kind = settings.document_attributes.get(*column).copied();
        document_vars.push(variable("document", column, kind, &values));
    }

    // Turn selections: every turn of a linked speaker (for cases) and every turn with a memo;
    // the cases' were gathered above, each document's own are gathered again when it is written.
    let turn_guid = |doc: &str, n: u32| derive(&["turn", doc, &n.to_string()]);
    if any_turn_time {
        losses.push("turn times (from captions) have no place in a REFI-QDA text source and are left out".into());
    }
    if metas.iter().any(|m| m.source.is_some()) {
        losses.push("where each document was imported from (file name, format, encoding, SHA-256) is left out".into());
    }
    losses.push(
        "turns are not REFI-QDA objects: thema finds them again from the speaker labels when it imports the file"
            .into(),
    );
    let renamed = codebook.entries.iter().filter(|e| e.id != thema_core::document::slugify(&e.name)).count();
    if renamed > 0 {
        losses.push(format!(
            "{renamed} codebook {} not made from {} (renamed since, or given with --id): programs reading the file know entries by name and GUID, and `thema import-project` makes ids from names",
            if renamed == 1 { "entry has an id" } else { "entries have ids" },
            if renamed == 1 { "its name" } else { "their names" }
        ));
    }

    // --- The zip: fixed times and permissions so the same study gives the same bytes.
    // Deflate at level 3: on a 2,000-document study the archive is 5% larger than at the
    // default level 6 (75 MB, not 71 MB) and written in 5.4 s instead of 7.7 s.
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(3))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(out);
    let start = |zip: &mut zip::ZipWriter<W>, name: &str| {
        zip.start_file(name, options)
            .map_err(|e| RefiError::Archive(format!("cannot write `{name}` into the .qdpx: {e}")))
    };
    start(&mut zip, "project.qde")?;

    // --- The XML, written into the zip a piece at a time.
    let mut x = String::with_capacity(XML_CHUNK + (XML_CHUNK >> 2));
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"{}\">",
        escape(&settings.name),
        escape(&crate::origin())
    );
    if !users.is_empty() {
        x.push_str("  <Users>\n");
        for u in &users {
            let _ = writeln!(x, "    <User guid=\"{}\" name=\"{}\"/>", user_guid(u), escape(u));
        }
        x.push_str("  </Users>\n");
    }
    if !codebook.entries.is_empty() {
        x.push_str("  <CodeBook>\n    <Codes>\n");
        codebook::write_codes(&mut x, codebook, 3, &coded, &entry_notes);
        x.push_str("    </Codes>\n  </CodeBook>\n");
    }
    x.push_str("  <Variables>\n");
    for v in participant_vars.iter().chain(&document_vars) {
        let _ =
            write!(x, "    <Variable guid=\"{}\" name=\"{}\" typeOfVariable=\"{}\"", v.guid, escape(&v.name), v.kind);
        match &v.description {
            Some(d) => {
                let _ = writeln!(x, ">\n      <Description>{}</Description>\n    </Variable>", escape(d));
            }
            None => x.push_str("/>\n"),
        }
    }
    x.push_str("  </Variables>\n");
    let interviewer = !interviewer_selections.is_empty();
    if !participants.rows().is_empty() || interviewer {
        x.push_str("  <Cases>\n");
        for p in participants.rows() {
            counts.participants += 1;
            let _ = writeln!(x, "    <Case guid=\"{}\" name=\"{}\">", derive(&["case", &p.id]), escape(&p.pseudonym));
            variable_value(&mut x, "      ", &participant_vars[0], &p.id);
            variable_value(&mut x, "      ", &participant_vars[1], &p.role);
            for v in &participant_vars[2..] {
                variable_value(&mut x, "      ", v, p.attributes.get(&v.name).map_or("", String::as_str));
            }
            for s in case_sources.get(p.id.as_str()).into_iter().flatten() {
                let _ = writeln!(x, "      <SourceRef targetGUID=\"{s}\"/>");
            }
            for &(i, n) in case_selections.get(p.id.as_str()).into_iter().flatten() {
                let _ = writeln!(x, "      <SelectionRef targetGUID=\"{}\"/>", turn_guid(&metas[i].id, n));
            }
            x.push_str("    </Case>\n");
            if x.len() >= XML_CHUNK {
                drain_xml(&mut zip, &mut x)?;
            }
        }
        if interviewer {
            let _ = writeln!(x, "    <Case guid=\"{}\" name=\"{INTERVIEWER_CASE}\">", derive(&["case", "interviewer"]));
            let _ = writeln!(x, "      <Description>{INTERVIEWER_DESCRIPTION}</Description>");
            for &(i, n) in &interviewer_selections {
                let _ = writeln!(x, "      <SelectionRef targetGUID=\"{}\"/>", turn_guid(&metas[i].id, n));
                if x.len() >= XML_CHUNK {
                    drain_xml(&mut zip, &mut x)?;
                }
            }
            x.push_str("    </Case>\n");
        }
        x.push_str("  </Cases>\n");
    }
    if document_count > 0 {
        x.push_str("  <Sources>\n");
        for i in 0..document_count {
            let doc = load(i)?;
            counts.documents += 1;
            let id = doc.meta.id.as_str();
            let source = derive(&["source", id]);
            let file = format!("{source}.txt");
            // This document's turn selections: its linked speakers' turns and turns with memos.
            let mut turn_selections: BTreeSet<u32> = BTreeSet::new();
            for speaker in &doc.meta.speakers {
                let linked = speaker.participant.as_deref().is_some_and(|p| participants.get(p).is_some());
                if linked || speaker.interviewer {
                    turn_selections.extend(
                        doc.turns
                            .iter()
                            .filter(|t| t.speaker.as_deref() == Some(speaker.label.as_str()))
                            .map(|t| t.number),
                    );
                }
            }
            turn_selections.extend(turn_notes.keys().filter(|(d, _)| d == id).map(|&(_, n)| n));
            let _ = writeln!(
                x,
                "    <TextSource guid=\"{source}\" name=\"{}\" plainTextPath=\"internal://{file}\">",
                escape(&doc.meta.title)
            );
            // Selections in text order: codings, and the turns cases and memos refer to.
            let mut selections: Vec<(usize, usize, String, String)> = Vec::new();
            for c in placed.get(id).into_iter().flatten() {
                counts.codings += 1;
                // The code by its GUID, which survives a round trip that makes its id anew.
                let code = &entry_guid[c.code.as_str()];
                let key = [id, &c.start.to_string(), &c.end.to_string(), code, &c.coder];
                let g = derive(&[&["selection"][..], &key].concat());
                let mut s = String::new();
                let _ = write!(
                    s,
                    "      <PlainTextSelection guid=\"{g}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\" creatingUser=\"{}\"",
                    escape(&shorten(&c.quote, SELECTION_NAME_CHARS)),
                    c.start,
                    c.end,
                    user_guid(&c.coder)
                );
                if is_datetime(&c.time) {
                    let _ = write!(s, " creationDateTime=\"{}\"", c.time);
                }
                s.push_str(">\n");
                if !c.memo.trim().is_empty() {
                    let _ = writeln!(s, "        <Description>{}</Description>", escape(c.memo.trim()));
                }
                let _ = write!(
                    s,
                    "        <Coding guid=\"{}\" creatingUser=\"{}\"",
                    derive(&[&["coding"][..], &key].concat()),
                    user_guid(&c.coder)
                );
                if is_datetime(&c.time) {
                    let _ = write!(s, " creationDateTime=\"{}\"", c.time);
                }
                let _ = writeln!(s, ">\n          <CodeRef targetGUID=\"{code}\"/>");
                if c.exemplar {
                    let _ = writeln!(s, "          <NoteRef targetGUID=\"{exemplar_guid}\"/>");
                }
                s.push_str("        </Coding>\n      </PlainTextSelection>\n");
                selections.push((c.start, c.end, g, s));
            }
            for &n in &turn_selections {
                let Some(turn) = doc.turn(n) else { continue };
                let g = turn_guid(id, n);
                let mut s = format!(
                    "      <PlainTextSelection guid=\"{g}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\"",
                    escape(&doc.turn_id(n)),
                    turn.span.start,
                    turn.span.end
                );
                match turn_notes.get(&(id.to_owned(), n)) {
                    Some(notes) => {
                        s.push_str(">\n");
                        for note in notes {
                            let _ = writeln!(s, "        <NoteRef targetGUID=\"{note}\"/>");
                        }
                        s.push_str("      </PlainTextSelection>\n");
                    }
                    None => s.push_str("/>\n"),
                }
                selections.push((turn.span.start, turn.span.end, g, s));
            }
            selections.sort();
            for (_, _, _, s) in &selections {
                x.push_str(s);
            }
            for note in document_notes.get(id).into_iter().flatten() {
                let _ = writeln!(x, "      <NoteRef targetGUID=\"{note}\"/>");
            }
            variable_value(&mut x, "      ", &document_vars[0], id);
            variable_value(&mut x, "      ", &document_vars[1], &doc.meta.kind);
            variable_value(&mut x, "      ", &document_vars[2], doc.meta.date.as_deref().unwrap_or(""));
            variable_value(
                &mut x,
                "      ",
                &document_vars[3],
                &doc.meta.wave.map(|w| w.to_string()).unwrap_or_default(),
            );
            for v in &document_vars[4..] {
                variable_value(&mut x, "      ", v, doc.meta.attributes.get(&v.name).map_or("", String::as_str));
            }
            x.push_str("    </TextSource>\n");
            if x.len() >= XML_CHUNK {
                drain_xml(&mut zip, &mut x)?;
            }
        }
        x.push_str("  </Sources>\n");
    }
    // Notes: memos, the exemplar mark, relation notes.
    // Relations by their ends' GUIDs, so that a study whose ids were made anew on import
    // writes the same links in the same order.
    let relation_note = |r: &thema_core::Relation| {
        derive(&["relation-note", &entry_guid[r.from.as_str()], &entry_guid[r.to.as_str()], &r.label])
    };
    let mut relations: Vec<&thema_core::Relation> = codebook
        .relations
        .iter()
        .filter(|r| entry_guid.contains_key(r.from.as_str()) && entry_guid.contains_key(r.to.as_str()))
        .collect();
    relations.sort_by_key(|r| (&entry_guid[r.from.as_str()], &entry_guid[r.to.as_str()], &r.label));
    let mut notes = String::new();
    for m in &memos {
        counts.memos += 1;
        let h = &m.header;
        let _ = write!(notes, "    <Note guid=\"{}\" name=\"{}\"", memo_guid(m), escape(&h.title));
        if !h.author.trim().is_empty() {
            let _ = write!(notes, " creatingUser=\"{}\"", user_guid(&h.author));
        }
        if is_datetime(&h.time) {
            let _ = write!(notes, " creationDateTime=\"{}\"", h.time);
        }
        notes.push_str(">\n");
        if !h.kind.trim().is_empty() {
            let _ = writeln!(notes, "      <Description>{}</Description>", escape(h.kind.trim()));
        }
        let _ =
            writeln!(notes, "      <PlainTextContent>{}</PlainTextContent>\n    </Note>", escape(m.body.trim_end()));
    }
    if any_exemplar {
        let _ = writeln!(
            notes,
            "    <Note guid=\"{exemplar_guid}\" name=\"{EXEMPLAR_NOTE}\">\n      <PlainTextContent>Codings that refer to this note are exemplar quotes: thema shows them in the theme table.</PlainTextContent>\n    </Note>"
        );
    }
    for r in relations.iter().filter(|r| !r.note.trim().is_empty()) {
        let name = format!("{} {} {}", name_of(codebook, &r.from), r.label, name_of(codebook, &r.to));
        let _ = writeln!(
            notes,
            "    <Note guid=\"{}\" name=\"{}\">\n      <PlainTextContent>{}</PlainTextContent>\n    </Note>",
            relation_note(r),
            escape(&name),
            escape(r.note.trim())
        );
    }
    if !notes.is_empty() {
        x.push_str("  <Notes>\n");
        x.push_str(&notes);
        x.push_str("  </Notes>\n");
    }
    if !relations.is_empty() {
        x.push_str("  <Links>\n");
        for r in &relations {
            counts.relations += 1;
            let _ = write!(
                x,
                "    <Link guid=\"{}\" name=\"{}\" direction=\"OneWay\" originGUID=\"{}\" targetGUID=\"{}\"",
                derive(&["relation", &entry_guid[r.from.as_str()], &entry_guid[r.to.as_str()], &r.label]),
                escape(&r.label),
                entry_guid[r.from.as_str()],
                entry_guid[r.to.as_str()]
            );
            if r.note.trim().is_empty() {
                x.push_str("/>\n");
            } else {
                let _ = writeln!(x, ">\n      <NoteRef targetGUID=\"{}\"/>\n    </Link>", relation_note(r));
            }
        }
        x.push_str("  </Links>\n");
    }
    let sets = codebook::thema_sets(codebook);
    if !sets.is_empty() {
        x.push_str("  <Sets>\n");
        for (g, name, description, members) in sets {
            let _ = writeln!(x, "    <Set guid=\"{g}\" name=\"{}\">", escape(&name));
            let _ = writeln!(x, "      <Description>{}</Description>", escape(&description));
            for m in members {
                let _ = writeln!(x, "      <MemberCode targetGUID=\"{m}\"/>");
            }
            x.push_str("    </Set>\n");
        }
        x.push_str("  </Sets>\n");
    }
    let mut description = settings.description.trim().to_owned();
    if !settings.methodology.trim().is_empty() {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str("Methodology: ");
        description.push_str(settings.methodology.trim());
    }
    if !description.is_empty() {
        let _ = writeln!(x, "  <Description>{}</Description>", escape(&description));
    }
    for note in &project_notes {
        let _ = writeln!(x, "  <NoteRef targetGUID=\"{note}\"/>");
    }
    x.push_str("</Project>\n");

    drain_xml(&mut zip, &mut x)?;
    drop(x);

    // --- The texts, one document at a time.
    for i in 0..document_count {
        let doc = load(i)?;
        let name = format!("sources/{}.txt", derive(&["source", &doc.meta.id]));
        start(&mut zip, &name)?;
        zip.write_all(doc.text.as_bytes())
            .map_err(|e| RefiError::Archive(format!("cannot write `{name}` into the .qdpx: {e}")))?;
    }
    let mut out = zip.finish().map_err(|e| RefiError::Archive(format!("cannot finish the .qdpx: {e}")))?;
    out.flush().map_err(|e| RefiError::Archive(format!("cannot finish the .qdpx: {e}")))?;
    Ok(Summary { counts, losses })
}

fn name_of(codebook: &Codebook, id: &str) -> String {
    codebook.get(id).map_or_else(|| id.to_owned(), |e| e.name.clone())
}

// =============================================================================================
// Import

/// How to read a project.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Count positions this way instead of by the file's origin.
    pub unit: Option<Unit>,
    /// Replace a study already at the target.
    pub overwrite: bool,
}

/// What an import did.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    /// The program that wrote the file.
    pub origin: String,
    /// How its positions were counted.
    pub unit: Option<Unit>,
    /// What was read.
    pub counts: Counts,
    /// How the codebook was read.
    pub codebook: MergeReport,
    /// Things left out, with the reason.
    pub skipped: Vec<String>,
    /// Things repaired or worth knowing.
    pub notes: Vec<String>,
    /// Where the study was written.
    pub study: PathBuf,
}

/// A note as read.
struct Note {
    name: String,
    text: String,
    author: String,
    time: String,
    kind: String,
}

/// A selection as placed: its document (index) and span.
#[derive(Clone, Copy)]
struct Placed {
    doc: usize,
    span: Span,
}

/// Read a `.qdpx` (its bytes; `label` names it in messages) into a new study at `target`.
pub fn import(bytes: &[u8], label: &str, target: &Path, options: &ImportOptions) -> Result<ImportReport, RefiError> {
    if target.join("thema.toml").exists() && !options.overwrite {
        return Err(RefiError::Invalid(format!(
            "{} already holds a thema study; import into a new folder, or pass --overwrite to replace it",
            target.display()
        )));
    }
    if target.exists() && !target.join("thema.toml").exists() && dir_has_files(target) {
        return Err(RefiError::Invalid(format!(
            "{} exists and is not empty; import into a new or empty folder",
            target.display()
        )));
    }
    let mut archive = crate::archive::Archive::open(Cursor::new(bytes), label, crate::archive::Limits::default())?;
    let qdes: Vec<String> = archive.names().filter(|n| n.to_lowercase().ends_with(".qde")).map(str::to_owned).collect();
    let qde = match qdes.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err(RefiError::Archive(format!(
            "{label}: the archive holds no .qde file, so it is not a REFI-QDA project (a .qdpx holds one project.qde)"
        )))
        }
        many => {
            let top: Vec<&String> = many.iter().filter(|n| !n.contains('/')).collect();
            match top.as_slice() {
                [one] => (*one).clone(),
                _ => {
                    return Err(RefiError::Archive(format!(
                        "{label}: the archive holds {} .qde files ({}); a REFI-QDA project holds one",
                        many.len(),
                        many.join(", ")
                    )))
                }
            }
        }
    };
    // UTF-8 as it comes (no copy), else whatever encoding its byte order mark names.
    let xml = match String::from_utf8(archive.read(&qde)?) {
        Ok(xml) => xml,
        Err(e) => {
            thema_ingest::decode::decode(e.as_bytes(), None)
                .map_err(|e| RefiError::Archive(format!("{label}: `{qde}` is not text: {e}")))?
                .text
        }
    };
    let file = format!("{label}/{qde}");
    let root = crate::xml::parse(&xml, &file)?;
    let ns = root.namespace.as_deref().unwrap_or("");
    if root.name != "Project" || !(ns.is_empty() || ns.starts_with("urn:QDA-XML:project:")) {
        return Err(RefiError::Xml {
            file,
            line: root.line,
            message: format!(
                "this is not a REFI-QDA project: its root is `<{}>` in namespace `{ns}`, not `<Project>` in `urn:QDA-XML:project:1.0`",
                root.name
            ),
        });
    }
    let origin = root.attr("origin").unwrap_or("").to_owned();
    let unit = options.unit.unwrap_or_else(|| Unit::for_origin(&origin));
    let mut report = ImportReport { origin: origin.clone(), unit: Some(unit), ..ImportReport::default() };
    let mut reader = Reader { archive: &mut archive, file: &file, report: &mut report };
    let built = reader.build(&root, unit)?;
    drop(root);
    write_study(target, built, options.overwrite, &mut report)?;
    report.study = target.to_owned();
    Ok(report)
}

/// What holds text in a project: a text source, a PDF's text representation, or the transcript
/// of an audio or video source (`carrier`, which holds its variables and notes).
struct TextUnit<'x, 'a> {
    text: &'x Element<'a>,
    carrier: &'x Element<'a>,
    /// Selections with their positions in the writer's units, if they have them.
    selections: Vec<(&'x Element<'a>, Option<(u64, u64)>)>,
    /// Sync points of a transcript: (position, milliseconds), in text order.
    times: Vec<(u64, u64)>,
}

/// The plain-text selections of a text source, with their positions if they are numbers.
fn plain_text_selections<'x, 'a>(source: &'x Element<'a>) -> Vec<(&'x Element<'a>, Option<(u64, u64)>)> {
    let position = |sel: &Element, attr: &str| sel.attr(attr).and_then(|v| v.trim().parse::<u64>().ok());
    source
        .children_named("PlainTextSelection")
        .map(|sel| (sel, position(sel, "startPosition").zip(position(sel, "endPosition"))))
        .collect()
}

/// The turn of `doc` that holds position `at`, if any (turns are in text order).
fn turn_at(doc: &Document, at: usize) -> Option<&thema_core::Turn> {
    let i = doc.turns.partition_point(|t| t.span.start <= at);
    let t = doc.turns.get(i.checked_sub(1)?)?;
    (at < t.span.end.max(t.span.start + 1)).then_some(t)
}

/// Where a memo about position `at` of `doc` belongs: its turn, else the document.
fn attachment_at(doc: &Document, at: usize) -> Attachment {
    match turn_at(doc, at) {
        Some(t) => Attachment::Turn(TurnId { document: doc.meta.id.clone(), number: t.number }),
        None => Attachment::Document(doc.meta.id.clone()),
    }
}

fn dir_has_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(false)
}

/// Everything a new study is made of.
struct Built {
    settings: Settings,
    participants: Participants,
    documents: Vec<Document>,
    codebook: Codebook,
    codings: Vec<Coding>,
    memos: Vec<Memo>,
}

struct Reader<'a, 'r> {
    archive: &'a mut crate::archive::Archive<Cursor<&'r [u8]>>,
    file: &'a str,
    report: &'a mut ImportReport,
}

impl Reader<'_, '_> {
    fn guid(&self, e: &Element, attr: &str) -> Result<String, RefiError> {
        guid_attr(e, attr, self.file)
    }

    fn opt_guid(&self, e: &Element, attr: &str) -> Option<String> {
        e.attr(attr).and_then(guid::normalise)
    }

    fn at(&self, e: &Element) -> String {
        format!("{}: line {}", self.file, e.line)
    }

    /// The entry an `internal://` path names (looked for in `sources/` and at the top, ignoring
    /// case, also percent-decoded), read; or why there is none.
    fn internal_entry(&mut self, path: &str) -> Result<Result<(String, Vec<u8>), String>, RefiError> {
        let Some(rest) = path.strip_prefix("internal://") else {
            return Ok(Err(format!("`{path}` is outside the archive; thema reads only what the .qdpx holds")));
        };
        let rest = rest.trim_start_matches('/');
        let decoded = percent_decode(rest);
        let wanted = [format!("sources/{rest}"), rest.to_owned(), format!("sources/{decoded}"), decoded.clone()];
        let Some(name) = wanted.iter().find_map(|w| self.archive.find(w)).map(str::to_owned) else {
            return Ok(Err(format!("the archive has no `sources/{rest}`")));
        };
        let bytes = self.archive.read(&name)?;
        Ok(Ok((name, bytes)))
    }

    /// The text a `plainTextPath` points at inside the archive, decoded; or why there is none.
    fn internal_text(&mut self, path: &str, e: &Element) -> Result<Result<(String, String), String>, RefiError> {
        let (name, bytes) = match self.internal_entry(path)? {
            Ok(found) => found,
            Err(why) => return Ok(Err(why)),
        };
        let decoded = thema_ingest::decode::decode(&bytes, None)
            .map_err(|err| RefiError::Archive(format!("{}: `{name}`: {err}", self.at(e))))?;
        Ok(Ok((decoded.text, decoded.encoding)))
    }

    /// A source's text: its plain text file, else its `PlainTextContent`, else the paragraphs of
    /// its rich text (`.docx`), which NVivo for Mac exports beside a near-empty plain text.
    fn source_text(&mut self, s: &Element, name: &str) -> Result<Option<(String, String)>, RefiError> {
        let mut why = Vec::new();
        if let Some(path) = s.attr("plainTextPath") {
            match self.internal_text(path, s)? {
                Ok(found) if !found.0.trim().is_empty() => return Ok(Some(found)),
                Ok(_) => why.push(format!("its plain text `{path}` is empty")),
                Err(reason) => why.push(reason),
            }
        }
        if let Some(inline) = s.child("PlainTextContent").filter(|c| !c.text.trim().is_empty()) {
            return Ok(Some((inline.text.to_string(), "utf-8".to_owned())));
        }
        if let Some(path) = s.attr("richTextPath").filter(|p| p.to_lowercase().ends_with(".docx")) {
            match self.internal_entry(path)? {
                Ok((entry, bytes)) => {
                    let limits = thema_ingest::Limits::default();
                    let text = thema_ingest::office::docx_text(&bytes, &limits)
                        .map_err(|e| RefiError::Archive(format!("{}: `{entry}`: {e}", self.at(s))))?;
                    if !text.trim().is_empty() {
                        if s.children_named("PlainTextSelection").next().is_some() {
                            self.report.notes.push(format!(
                                "{}: `{name}` has no plain text, so its text was read from `{entry}`; check that its codings sit on the right words",
                                self.at(s)
                            ));
                        }
                        return Ok(Some((text, "utf-8".to_owned())));
                    }
                    why.push(format!("its rich text `{path}` is empty"));
                }
                Err(reason) => why.push(reason),
            }
        }
        if why.is_empty() {
            why.push("it has no text".to_owned());
        }
        self.report.skipped.push(format!("{}: text source `{name}`: {}", self.at(s), why.join("; ")));
        Ok(None)
    }

    fn build(&mut self, root: &Element, unit: Unit) -> Result<Built, RefiError> {
        // Users.
        let mut users: BTreeMap<String, String> = BTreeMap::new();
        let mut taken = BTreeSet::new();
        for u in root.wrapped("Users", "User") {
            let g = self.guid(u, "guid")?;
            let base = thema_core::document::slugify(u.attr("name").or(u.attr("id")).unwrap_or(""));
            // (`slugify` gives `document` for a name with no ASCII letter or digit, such as 田中.)
            let base = if base.is_empty() || base == "document" || !thema_core::coding::is_valid_coder(&base) {
                "imported".to_owned()
            } else {
                base
            };
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            users.insert(g, name);
        }
        self.report.counts.users = users.len();
        let user_of = |e: &Element, fallback: &str| -> String {
            e.attr("creatingUser")
                .and_then(guid::normalise)
                .and_then(|g| users.get(&g).cloned())
                .unwrap_or_else(|| fallback.to_owned())
        };

        // Codebook.
        let refi_codebook = codebook::read(root.child("CodeBook"), root, root.attr("origin").unwrap_or(""), self.file)?;
        let mut book = Codebook::default();
        let merge = codebook::merge(&mut book, &refi_codebook)?;
        self.report.counts.codes = book.entries.len();
        let mut code_notes: BTreeMap<String, String> = BTreeMap::new();
        fn collect_code_notes(
            codes: &[codebook::Code],
            ids: &BTreeMap<String, String>,
            out: &mut BTreeMap<String, String>,
        ) {
            for c in codes {
                if let Some(id) = ids.get(&c.guid) {
                    for n in &c.notes {
                        out.entry(n.clone()).or_insert_with(|| id.clone());
                    }
                }
                collect_code_notes(&c.children, ids, out);
            }
        }
        collect_code_notes(&refi_codebook.codes, &merge.ids, &mut code_notes);

        // Variables.
        let mut variables: BTreeMap<String, (String, String, Option<AttributeType>)> = BTreeMap::new();
        for v in root.wrapped("Variables", "Variable") {
            let description = v.child_text("Description");
            let declared = description.strip_prefix(TYPE_NOTE).and_then(|t| match t.trim() {
                "text" => Some(AttributeType::Text),
                "category" => Some(AttributeType::Category),
                "number" => Some(AttributeType::Number),
                "boolean" => Some(AttributeType::Boolean),
                "date" => Some(AttributeType::Date),
                _ => None,
            });
            variables.insert(
                self.guid(v, "guid")?,
                (
                    v.attr("name").unwrap_or("").trim().to_owned(),
                    v.attr("typeOfVariable").unwrap_or("Text").to_owned(),
                    declared,
                ),
            );
        }
        let values_of = |e: &Element| -> Vec<(String, String, Option<AttributeType>, String)> {
            e.children_named("VariableValue")
                .filter_map(|vv| {
                    let g = vv.child("VariableRef").and_then(|r| r.attr("targetGUID")).and_then(guid::normalise)?;
                    let (name, kind, declared) = variables.get(&g)?.clone();
                    let value =
                        vv.children.iter().find(|c| c.name.ends_with("Value")).map(|c| c.text.trim().to_owned())?;
                    let inferred = declared.or(match kind.as_str() {
                        "Integer" | "Float" => Some(AttributeType::Number),
                        "Boolean" => Some(AttributeType::Boolean),
                        "Date" => Some(AttributeType::Date),
                        _ => None,
                    });
                    (!name.is_empty() && !value.is_empty()).then_some((name, value, inferred, kind))
                })
                .collect()
        };

        // Notes.
        let mut notes: BTreeMap<String, Note> = BTreeMap::new();
        let mut note_order = Vec::new();
        for n in root.wrapped("Notes", "Note") {
            let g = self.guid(n, "guid")?;
            let mut text = n.child_text("PlainTextContent");
            if text.is_empty() {
                if let Some(path) = n.attr("plainTextPath") {
                    match self.internal_text(path, n)? {
                        Ok((t, _)) => text = thema_core::text::normalise(&t),
                        Err(why) => self.report.skipped.push(format!(
                            "{}: the text of note `{}`: {why}",
                            self.at(n),
                            n.attr("name").unwrap_or("")
                        )),
                    }
                }
            }
            notes.insert(
                g.clone(),
                Note {
                    name: n.attr("name").unwrap_or("").trim().to_owned(),
                    text,
                    author: user_of(n, ""),
                    time: n.attr("creationDateTime").unwrap_or("").to_owned(),
                    kind: n.child_text("Description"),
                },
            );
            note_order.push(g);
        }
        let exemplar_notes: BTreeSet<&String> =
            notes.iter().filter(|(_, n)| n.name.eq_ignore_ascii_case(EXEMPLAR_NOTE)).map(|(g, _)| g).collect();
        // Where each note is attached (first reference wins).
        let mut attached: BTreeMap<String, Attachment> = BTreeMap::new();
        let mut relation_notes: BTreeSet<String> = BTreeSet::new();
        for (note, id) in &code_notes {
            attached.entry(note.clone()).or_insert_with(|| Attachment::Entry(id.clone()));
        }

        // Sources.
        let mut documents: Vec<Document> = Vec::new();
        let mut doc_of_source: BTreeMap<String, usize> = BTreeMap::new();
        let selection_count = root
            .child("Sources")
            .map_or(0, |s| s.children.iter().map(|t| t.children_named("PlainTextSelection").count()).sum());
        let mut selections: HashMap<u128, Placed> = HashMap::with_capacity(selection_count);
        let mut codings: Vec<Coding> = Vec::new();
        let mut document_types: BTreeMap<String, Vec<(String, Option<AttributeType>)>> = BTreeMap::new();
        let mut pending_memos: Vec<(String, Attachment)> = Vec::new();
        let mut comment_memos: Vec<(Attachment, String, String, String)> = Vec::new();
        let mut used_ids = BTreeSet::new();
        // What holds text: text sources, and the transcripts of audio and video sources (whose
        // selections run from one sync point's position to another's).
        let mut texts: Vec<TextUnit> = Vec::new();
        let sources = root.child("Sources").map(|s| s.children.as_slice()).unwrap_or(&[]);
        for s in sources {
            let label = s.attr("name").unwrap_or("");
            match s.name {
                "TextSource" => texts.push(TextUnit {
                    text: s,
                    carrier: s,
                    selections: plain_text_selections(s),
                    times: Vec::new(),
                }),
                "PDFSource" => match s.child("Representation") {
                    // The PDF's text as the program extracted it; selections on the page are
                    // rectangles, which no text position matches.
                    Some(r) => {
                        texts.push(TextUnit {
                            text: r,
                            carrier: s,
                            selections: plain_text_selections(r),
                            times: Vec::new(),
                        });
                        self.report.skipped.push(format!(
                            "{}: PDFSource `{label}`: its text is read, the PDF and the codings of its page areas are not",
                            self.at(s)
                        ));
                    }
                    None => self.report.skipped.push(format!(
                        "{}: PDFSource `{label}`: thema holds text, and it has no text representation",
                        self.at(s)
                    )),
                },
                "AudioSource" | "VideoSource" => {
                    let mut transcripts = 0;
                    for t in s.children_named("Transcript") {
                        transcripts += 1;
                        let sync: BTreeMap<String, u64> = t
                            .children_named("SyncPoint")
                            .filter_map(|p| {
                                Some((guid::normalise(p.attr("guid")?)?, p.attr("position")?.trim().parse().ok()?))
                            })
                            .collect();
                        let at = |sel: &Element, attr: &str| {
                            sel.attr(attr).and_then(guid::normalise).and_then(|g| sync.get(&g).copied())
                        };
                        let selections = t
                            .children_named("TranscriptSelection")
                            .map(|sel| (sel, at(sel, "fromSyncPoint").zip(at(sel, "toSyncPoint"))))
                            .collect();
                        let mut times: Vec<(u64, u64)> = t
                            .children_named("SyncPoint")
                            .filter_map(|p| {
                                Some((
                                    p.attr("position")?.trim().parse().ok()?,
                                    p.attr("timeStamp")?.trim().parse().ok()?,
                                ))
                            })
                            .collect();
                        times.sort_unstable();
                        texts.push(TextUnit { text: t, carrier: s, selections, times });
                    }
                    let what = if transcripts > 0 {
                        "its transcripts are read, the media and its codings are not"
                    } else {
                        "thema holds text, and it has no transcript"
                    };
                    self.report.skipped.push(format!("{}: {} `{label}`: {what}", self.at(s), s.name));
                }
                _ => self.report.skipped.push(format!(
                    "{}: {} `{label}`: thema holds text documents only",
                    self.at(s),
                    s.name
                )),
            }
        }
        for TextUnit { text: s, carrier, selections: selection_list, times } in texts {
            let source_guid = self.guid(s, "guid")?;
            let name = s.attr("name").or(carrier.attr("name")).unwrap_or("").trim().to_owned();
            let Some((raw, encoding)) = self.source_text(s, &name)? else { continue };
            let source_text = SourceText::new(&raw, unit);
            if source_text.text.trim().is_empty() {
                self.report.skipped.push(format!("{}: text source `{name}` is empty", self.at(s)));
                continue;
            }
            let values = values_of(carrier);
            let value = |n: &str| values.iter().find(|v| v.0 == n).map(|v| v.1.clone());
            let stem = Path::new(&name).file_stem().and_then(|x| x.to_str()).unwrap_or(&name).to_owned();
            let id = value(DOCUMENT_ID)
                .filter(|i| thema_core::document::is_valid_id(i) && !used_ids.contains(i))
                .unwrap_or_else(|| fresh(&stem, "document", &used_ids));
            used_ids.insert(id.clone());
            let mut transcript = thema_ingest::text::parse_text(&source_text.text, false);
            // A sync point at or before a turn's speech gives the turn its start time: the first
            // sync point from the end of the turn before up to the end of this one.
            for (position, millis) in times {
                let Some(at) = source_text.to_code_point(position, false) else { continue };
                let i = transcript.turns.partition_point(|t| t.span.end <= at);
                if let Some(turn) = transcript.turns.get_mut(i) {
                    turn.time_start.get_or_insert(thema_core::Timestamp(millis));
                }
            }
            let speakers: Vec<Speaker> = transcript
                .speaker_labels()
                .into_iter()
                .map(|l| Speaker { label: l.to_owned(), participant: None, interviewer: false })
                .collect();
            let mut attributes = BTreeMap::new();
            for (n, v, kind, _) in &values {
                if ![DOCUMENT_ID, DOCUMENT_KIND, DOCUMENT_DATE, WAVE].contains(&n.as_str()) {
                    attributes.insert(n.clone(), v.clone());
                    document_types.entry(n.clone()).or_default().push((v.clone(), *kind));
                }
            }
            let labels = speakers.len();
            let meta = DocumentMeta {
                id: id.clone(),
                title: if name.is_empty() { id.clone() } else { name.clone() },
                kind: value(DOCUMENT_KIND)
                    .filter(|k| thema_core::document::is_valid_id(k))
                    .unwrap_or_else(|| if labels >= 4 { "focus-group" } else { "interview" }.to_owned()),
                date: value(DOCUMENT_DATE).filter(|d| thema_core::document::is_valid_date(d)),
                wave: value(WAVE).and_then(|w| w.parse().ok()),
                sequence: documents.len() as u32 + 1,
                source: Some(Source {
                    file: format!(
                        "{}#{}",
                        Path::new(self.report_label()).file_name().and_then(|f| f.to_str()).unwrap_or(""),
                        name
                    ),
                    format: "refi-qda".into(),
                    encoding,
                    sha256: hex(&Sha256::digest(source_text.text.as_bytes())),
                }),
                attributes,
                speakers,
            };
            let document = Document { meta, text: transcript.text, turns: transcript.turns };
            let index = TextIndex::new(&document.text);
            let doc_index = documents.len();
            doc_of_source.insert(source_guid.clone(), doc_index);
            if carrier.name != s.name {
                // Cases and sets name the audio or video source: they mean its (first) transcript.
                if let Some(g) = self.opt_guid(carrier, "guid") {
                    doc_of_source.entry(g).or_insert(doc_index);
                }
            }
            for r in
                s.children_named("NoteRef").chain(carrier.children_named("NoteRef").filter(|_| carrier.name != s.name))
            {
                if let Some(g) = self.opt_guid(r, "targetGUID") {
                    attached.entry(g).or_insert_with(|| Attachment::Document(id.clone()));
                }
            }
            let description = s.child_text("Description");
            if !description.is_empty() {
                comment_memos.push((
                    Attachment::Document(id.clone()),
                    format!("Description of {name}"),
                    description,
                    String::new(),
                ));
            }
            let turn_at = |start: usize| attachment_at(&document, start);
            // Codings of the whole source.
            for c in s.children_named("Coding") {
                let span = Span::new(0, index.char_len()).unwrap_or_default();
                self.coding(c, &document, span, "", &user_of(c, "imported"), &merge.ids, &exemplar_notes, &mut codings);
            }
            for (sel, position) in selection_list {
                let g = guid::key(&self.guid(sel, "guid")?).unwrap_or_default();
                let Some((start, end)) = position else {
                    self.report.skipped.push(format!("{}: a selection without whole-number positions", self.at(sel)));
                    continue;
                };
                let (lo, hi) = (start.min(end), start.max(end));
                let (Some(a), Some(b)) = (source_text.to_code_point(lo, false), source_text.to_code_point(hi, true))
                else {
                    self.report.skipped.push(format!(
                        "{}: selection {start}..{end} of `{name}` ends past its text ({} {})",
                        self.at(sel),
                        source_text.unit_len(),
                        unit.name()
                    ));
                    continue;
                };
                let span = index.widen_to_graphemes(Span::new(a, b).unwrap_or_default());
                selections.insert(g, Placed { doc: doc_index, span });
                let memo = sel.child_text("Description");
                let coder = user_of(sel, "imported");
                let mut coded = false;
                for c in sel.children_named("Coding") {
                    let who = user_of(c, &coder);
                    coded |= self.coding(c, &document, span, &memo, &who, &merge.ids, &exemplar_notes, &mut codings);
                    // Notes on a coding other than the exemplar mark go to the turn.
                    for r in c.children_named("NoteRef") {
                        if let Some(n) = self.opt_guid(r, "targetGUID").filter(|n| !exemplar_notes.contains(n)) {
                            attached.entry(n).or_insert_with(|| turn_at(span.start));
                        }
                    }
                }
                if !coded && !memo.is_empty() {
                    // A comment on a passage (MAXQDA writes them as selections without a coding).
                    let title = shorten(sel.attr("name").unwrap_or("Comment"), 60);
                    let title = if title.is_empty() { "Comment".to_owned() } else { title };
                    comment_memos.push((turn_at(span.start), title, memo, user_of(sel, "")));
                }
                for r in sel.children_named("NoteRef") {
                    if let Some(n) = self.opt_guid(r, "targetGUID") {
                        attached.entry(n).or_insert_with(|| turn_at(span.start));
                    }
                }
            }
            documents.push(document);
        }
        self.report.counts.documents = documents.len();

        // Sets of sources (MAXQDA's document sets, NVivo's sets) become the attribute `set`.
        let mut source_sets: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for set in &refi_codebook.sets {
            for member in &set.sources {
                if let Some(&d) = doc_of_source.get(member) {
                    source_sets.entry(d).or_default().push(&set.name);
                }
            }
        }
        for (d, names) in source_sets {
            let value = names.join("; ");
            document_types.entry(SOURCE_SET.to_owned()).or_default().push((value.clone(), None));
            documents[d].meta.attributes.entry(SOURCE_SET.to_owned()).or_insert(value);
        }

        // Cases: participants, the interviewer, and the unnamed cases that hold a document's variables.
        let mut participants = Participants::default();
        let mut participant_types: BTreeMap<String, Vec<(String, Option<AttributeType>)>> = BTreeMap::new();
        let mut links: Vec<(usize, String, Option<String>)> = Vec::new();
        for case in root.wrapped("Cases", "Case") {
            let name = case.attr("name").unwrap_or("").trim().to_owned();
            let values = values_of(case);
            let source_refs: Vec<String> =
                case.children_named("SourceRef").filter_map(|r| self.opt_guid(r, "targetGUID")).collect();
            let selection_refs: Vec<u128> =
                case.children_named("SelectionRef").filter_map(|r| r.attr("targetGUID").and_then(guid::key)).collect();
            if name.is_empty() && source_refs.len() == 1 && selection_refs.is_empty() {
                if let Some(&d) = doc_of_source.get(&source_refs[0]) {
                    for (n, v, kind, _) in values {
                        document_types.entry(n.clone()).or_default().push((v.clone(), kind));
                        documents[d].meta.attributes.insert(n, v);
                    }
                }
                continue;
            }
            let interviewer = case.child_text("Description") == INTERVIEWER_DESCRIPTION
                || (name.eq_ignore_ascii_case(INTERVIEWER_CASE) && values.is_empty());
            let participant = if interviewer {
                None
            } else {
                let value = |n: &str| values.iter().find(|v| v.0 == n).map(|v| v.1.clone());
                let pseudonym = if name.is_empty() { "Unnamed case".to_owned() } else { name.clone() };
                let id = value(PARTICIPANT_ID)
                    .filter(|i| thema_core::participant::is_valid_participant_id(i) && participants.get(i).is_none())
                    .unwrap_or_else(|| participants.fresh_id(&pseudonym));
                let mut attributes = BTreeMap::new();
                for (n, v, kind, _) in &values {
                    if n != PARTICIPANT_ID && n != ROLE {
                        attributes.insert(n.clone(), v.clone());
                        participant_types.entry(n.clone()).or_default().push((v.clone(), *kind));
                    }
                }
                let p = Participant { id: id.clone(), pseudonym, role: value(ROLE).unwrap_or_default(), attributes };
                participants.add(p).map_err(RefiError::Invalid)?;
                self.report.counts.participants += 1;
                Some(id)
            };
            let mut linked_docs = BTreeSet::new();
            let mut labels: BTreeSet<(usize, &str)> = BTreeSet::new();
            for s in &selection_refs {
                let Some(placed) = selections.get(s) else { continue };
                linked_docs.insert(placed.doc);
                let doc = &documents[placed.doc];
                if let Some(label) = turn_at(doc, placed.span.start).and_then(|t| t.speaker.as_deref()) {
                    labels.insert((placed.doc, label));
                }
            }
            links.extend(labels.into_iter().map(|(d, label)| (d, label.to_owned(), participant.clone())));
            // A case that names a source but no passage: link the label that is its name.
            for s in &source_refs {
                let Some(&d) = doc_of_source.get(s) else { continue };
                if linked_docs.contains(&d) {
                    continue;
                }
                if let Some(sp) = documents[d].meta.speakers.iter().find(|sp| sp.label.eq_ignore_ascii_case(&name)) {
                    links.push((d, sp.label.clone(), participant.clone()));
                }
            }
        }
        for (d, label, participant) in links {
            let doc = &mut documents[d];
            let Some(sp) = doc.meta.speakers.iter_mut().find(|s| s.label == label) else { continue };
            match (&participant, &sp.participant) {
                (Some(p), Some(q)) if p != q => self.report.notes.push(format!(
                    "document `{}`: speaker `{label}` is in the cases of both `{q}` and `{p}`; kept `{q}`",
                    doc.meta.id
                )),
                (Some(p), _) => sp.participant = Some(p.clone()),
                (None, None) => sp.interviewer = true,
                (None, Some(_)) => {}
            }
        }

        // Labels such as `Interviewer` or `I` are the interviewer, as `thema import` assumes,
        // unless the file is thema's own (which says who the interviewer is).
        if !root.attr("origin").unwrap_or("").starts_with("thema ") {
            for doc in &mut documents {
                for sp in doc.meta.speakers.iter_mut().filter(|s| s.participant.is_none()) {
                    sp.interviewer |= thema_ingest::text::is_interviewer_label(&sp.label);
                }
            }
        }

        // Links: relations between codes, and notes linked to what they are about.
        for l in root.wrapped("Links", "Link") {
            let (Some(from), Some(to)) = (self.opt_guid(l, "originGUID"), self.opt_guid(l, "targetGUID")) else {
                self.report.skipped.push(format!("{}: a link without both ends", self.at(l)));
                continue;
            };
            let note_text: Vec<String> = l
                .children_named("NoteRef")
                .filter_map(|r| self.opt_guid(r, "targetGUID"))
                .inspect(|g| {
                    relation_notes.insert(g.clone());
                })
                .filter_map(|g| notes.get(&g).map(|n| n.text.clone()))
                .collect();
            match (merge.ids.get(&from), merge.ids.get(&to)) {
                (Some(a), Some(b)) => {
                    let label =
                        l.attr("name").map(str::trim).filter(|n| !n.is_empty()).unwrap_or("related to").to_owned();
                    if l.attr("direction") == Some("Bidirectional") {
                        self.report.notes.push(format!(
                            "{}: the two-way link `{label}` is read as one way, from its origin",
                            self.at(l)
                        ));
                    }
                    match book.relate(a, b, &label, &note_text.join("\n\n")) {
                        Ok(()) => self.report.counts.relations += 1,
                        Err(e) => self.report.skipped.push(format!("{}: link `{label}`: {}", self.at(l), e.0)),
                    }
                }
                _ if notes.contains_key(&from) => {
                    let target = if let Some(id) = merge.ids.get(&to) {
                        Some(Attachment::Entry(id.clone()))
                    } else if let Some(&d) = doc_of_source.get(&to) {
                        Some(Attachment::Document(documents[d].meta.id.clone()))
                    } else {
                        guid::key(&to)
                            .and_then(|k| selections.get(&k))
                            .map(|p| attachment_at(&documents[p.doc], p.span.start))
                    };
                    if let Some(target) = target {
                        attached.entry(from).or_insert(target);
                    }
                }
                _ => self.report.skipped.push(format!("{}: a link between things thema does not hold", self.at(l))),
            }
        }

        // Notes the project refers to, unless something more specific does.
        for r in root.children_named("NoteRef") {
            if let Some(g) = self.opt_guid(r, "targetGUID") {
                attached.entry(g).or_insert(Attachment::Project);
            }
        }
        // Memos: every note that is not the exemplar mark or a relation's note.
        for g in &note_order {
            if exemplar_notes.contains(g) || (relation_notes.contains(g) && !attached.contains_key(g)) {
                continue;
            }
            pending_memos.push((g.clone(), attached.get(g).cloned().unwrap_or(Attachment::Project)));
        }
        let mut memos = Vec::new();
        for (g, on) in pending_memos {
            let n = &notes[&g];
            let title = if n.name.is_empty() { "Note".to_owned() } else { n.name.clone() };
            memos.push((on, title, n.text.clone(), n.author.clone(), n.time.clone(), n.kind.clone()));
        }
        for (on, title, text, author) in comment_memos {
            memos.push((on, title, text, author, String::new(), "comment".to_owned()));
        }
        let memos: Vec<Memo> = memos
            .into_iter()
            .enumerate()
            .map(|(i, (on, title, body, author, time, kind))| Memo {
                header: MemoHeader { id: format!("m-{:04}", i + 1), title, on: on.to_string(), author, time, kind },
                body,
            })
            .collect();
        self.report.counts.memos = memos.len();
        self.report.counts.codings = codings.len();

        // Settings.
        let mut settings =
            Settings::new(root.attr("name").map(str::trim).filter(|n| !n.is_empty()).unwrap_or("Imported project"));
        let description = root.child_text("Description");
        match description.split_once("Methodology: ") {
            Some((d, m)) => {
                settings.description = d.trim().to_owned();
                settings.methodology = m.trim().to_owned();
            }
            None => settings.description = description,
        }
        // A file thema wrote declares every type the study declared, and only those; a file
        // from another program gets the types thema would infer for a survey's columns.
        let infer = !root.attr("origin").unwrap_or("").starts_with("thema ");
        settings.participant_attributes = attribute_types(participant_types, infer);
        settings.document_attributes = attribute_types(document_types, infer);
        self.report.codebook = merge;
        Ok(Built { settings, participants, documents, codebook: book, codings, memos })
    }

    fn report_label(&self) -> &str {
        self.file.rsplit_once('/').map_or(self.file, |(l, _)| l)
    }

    /// Add the coding `c` of `span`; false (with a note) if it cannot be placed.
    #[allow(clippy::too_many_arguments)]
    fn coding(
        &mut self,
        c: &Element,
        document: &Document,
        span: Span,
        memo: &str,
        coder: &str,
        ids: &BTreeMap<String, String>,
        exemplar_notes: &BTreeSet<&String>,
        out: &mut Vec<Coding>,
    ) -> bool {
        let Some(code) = c.child("CodeRef").and_then(|r| r.attr("targetGUID")).and_then(guid::normalise) else {
            self.report.skipped.push(format!("{}: a coding without a code", self.at(c)));
            return false;
        };
        let Some(id) = ids.get(&code) else {
            self.report
                .skipped
                .push(format!("{}: a coding with code {code}, which is not in the codebook", self.at(c)));
            return false;
        };
        if span.is_empty() {
            self.report.skipped.push(format!("{}: an empty selection", self.at(c)));
            return false;
        }
        let time = c.attr("creationDateTime").unwrap_or("");
        match Coding::new(document, span, id, coder, time) {
            Ok(mut coding) => {
                coding.memo = memo.to_owned();
                coding.exemplar = c
                    .children_named("NoteRef")
                    .filter_map(|r| r.attr("targetGUID").and_then(guid::normalise))
                    .any(|g| exemplar_notes.contains(&g));
                out.push(coding);
                true
            }
            Err(e) => {
                self.report.skipped.push(format!("{}: {e}", self.at(c)));
                false
            }
        }
    }
}

/// Attribute types: declared by thema or by the variable's type when every value fits it, else
/// (with `infer`) inferred from the values.
fn attribute_types(
    values: BTreeMap<String, Vec<(String, Option<AttributeType>)>>,
    infer: bool,
) -> BTreeMap<String, AttributeType> {
    values
        .into_iter()
        .filter_map(|(name, vs)| {
            // A declared type every value fits (NVivo writes `Unassigned` in number columns).
            let fits =
                |kind: AttributeType| vs.iter().all(|(v, _)| thema_core::participant::check_value(kind, v).is_ok());
            let declared = vs.iter().find_map(|(_, k)| *k).filter(|&k| fits(k));
            let kind = declared.or_else(|| infer.then(|| AttributeType::infer(vs.iter().map(|(v, _)| v.as_str()))))?;
            Some((name, kind))
        })
        .collect()
}

fn fresh(stem: &str, fallback: &str, used: &BTreeSet<String>) -> String {
    let base = thema_core::document::slugify(stem);
    let base = if base.is_empty() || base == "document" { fallback.to_owned() } else { base };
    let mut candidate = base.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// `%20` and the like decoded (file names in `internal://` paths are sometimes URL-encoded).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Write the study in a temporary sibling of `target` and rename it into place, so that a
/// failed import leaves nothing behind and an existing study is replaced whole or not at all.
fn write_study(target: &Path, built: Built, overwrite: bool, report: &mut ImportReport) -> Result<(), RefiError> {
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| RefiError::Invalid(format!("cannot create {}: {e}", parent.display())))?;
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("study");
    let staging = parent.join(format!(".{name}.importing-{}", std::process::id()));
    if staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    let result = (|| -> Result<(), RefiError> {
        let mut study = Study::init(&staging, &built.settings.name)?;
        study.settings = built.settings;
        study.save_settings()?;
        study.participants = built.participants;
        study.save_participants()?;
        study.save_codebook(&built.codebook)?;
        study.add_documents(&built.documents)?;
        let mut by_coder: BTreeMap<&str, Vec<Coding>> = BTreeMap::new();
        for c in &built.codings {
            by_coder.entry(c.coder.as_str()).or_default().push(c.clone());
        }
        for (coder, mut codings) in by_coder {
            codings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            codings.dedup_by(|a, b| a.sort_key() == b.sort_key());
            study.save_coder_codings(coder, &codings)?;
        }
        for m in &built.memos {
            study.save_memo(m)?;
        }
        let problems = built.codebook.problems();
        if !problems.is_empty() {
            report.notes.extend(problems);
        }
        study.log_decision(&Decision {
            time: thema_core::coding::now(),
            who: "thema".into(),
            action: "import-project".into(),
            what: format!(
                "REFI-QDA project from {}: {} documents, {} codes, {} codings",
                if report.origin.is_empty() { "an unnamed program" } else { &report.origin },
                report.counts.documents,
                report.counts.codes,
                report.counts.codings
            ),
            why: String::new(),
        })?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let io =
        |e: std::io::Error| RefiError::Invalid(format!("cannot move the imported study to {}: {e}", target.display()));
    if target.exists() {
        if overwrite && target.join("thema.toml").exists() {
            let old = parent.join(format!(".{name}.replaced-{}", std::process::id()));
            std::fs::rename(target, &old).map_err(io)?;
            if let Err(e) = std::fs::rename(&staging, target) {
                let _ = std::fs::rename(&old, target);
                return Err(io(e));
            }
            let _ = std::fs::remove_dir_all(&old);
            return Ok(());
        }
        // An empty folder.
        std::fs::remove_dir(target).map_err(io)?;
    }
    std::fs::rename(&staging, target).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_as_the_schema_wants_them() {
        for ok in ["2026-11-23T04:00:00Z", "2024-01-15T10:00:00", "2024-01-15T10:00:00.123+02:00"] {
            assert!(is_datetime(ok), "{ok}");
        }
        for bad in ["", "2026-11-23", "2026-11-23 04:00:00Z", "2026-11-23T04:00:00.Z", "yesterday"] {
            assert!(!is_datetime(bad), "{bad}");
        }
        assert_eq!(decimal("1e3"), "1000");
        assert_eq!(decimal("-2.50"), "-2.50");
    }

    #[test]
    fn attribute_types_keep_declarations_only_when_every_value_fits() {
        let column = |values: &[(&str, Option<AttributeType>)]| {
            let vs = values.iter().map(|(v, k)| ((*v).to_owned(), *k)).collect();
            BTreeMap::from([("age".to_owned(), vs)])
        };
        let n = Some(AttributeType::Number);
        assert_eq!(attribute_types(column(&[("34", n), ("51", n)]), false)["age"], AttributeType::Number);
        // `Unassigned` among numbers: the declaration is dropped, and the values decide.
        let mixed = column(&[("34", n), ("Unassigned", None), ("34", n)]);
        assert_eq!(attribute_types(mixed.clone(), true)["age"], AttributeType::Category);
        assert!(attribute_types(mixed, false).is_empty());
        assert!(attribute_types(column(&[("x", None)]), false).is_empty(), "thema's own files declare what they mean");
    }
}
