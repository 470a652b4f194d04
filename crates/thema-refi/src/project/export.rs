//! Writing a study as a `.qdpx`: the variables, the header gathered from the documents, then the XML streamed into the zip.

use super::*;

/// One variable: a column of participants or documents.
pub(super) struct Variable {
    pub(super) guid: String,
    pub(super) name: String,
    pub(super) kind: &'static str,
    pub(super) description: Option<String>,
}

pub(super) fn variable(scope: &str, name: &str, attribute: Option<AttributeType>, values: &[&str]) -> Variable {
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

pub(super) fn attribute_name(a: AttributeType) -> &'static str {
    match a {
        AttributeType::Text => "text",
        AttributeType::Category => "category",
        AttributeType::Number => "number",
        AttributeType::Boolean => "boolean",
        AttributeType::Date => "date",
    }
}

/// A `VariableValue` element, or nothing for an empty value.
pub(super) fn variable_value(out: &mut String, pad: &str, var: &Variable, value: &str) {
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
pub(super) fn decimal(value: &str) -> String {
    let plain = value.strip_prefix('-').unwrap_or(value);
    if !plain.is_empty() && plain.split('.').count() <= 2 && plain.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return value.to_owned();
    }
    value.parse::<f64>().map(|f| format!("{f}")).unwrap_or_else(|_| value.to_owned())
}

/// True for an `xsd:dateTime` as thema writes times (`2026-11-23T04:00:00Z`, fractions and
/// offsets allowed).
pub(super) fn is_datetime(s: &str) -> bool {
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

pub(super) fn user_guid(name: &str) -> String {
    derive(&["user", name])
}

pub(super) fn shorten(text: &str, chars: usize) -> String {
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
pub(super) type Documents<'a, 'd> = (usize, &'a dyn Fn(usize) -> Result<Cow<'d, Document>, RefiError>);

/// XML gathered before it is written into the zip entry: large enough that the compressor gets
/// big pieces, small enough not to matter.
pub(super) const XML_CHUNK: usize = 1 << 20;

/// Write the XML gathered in `x` into the zip entry being written, and empty `x`.
pub(super) fn drain_xml<W: Write + Seek>(zip: &mut zip::ZipWriter<W>, x: &mut String) -> Result<(), RefiError> {
    zip.write_all(x.as_bytes())
        .map_err(|e| RefiError::Archive(format!("cannot write `project.qde` into the .qdpx: {e}")))?;
    x.clear();
    Ok(())
}

/// Write the project: the header's parts (users, codebook, variables, cases) are gathered in a
/// first pass over the documents, then the XML is written into `project.qde` as it is made,
/// then each document's text into its own entry.
pub(super) fn write_project<W: Write + Seek>(
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
            // REFI-QDA has no notes on relations or coded passages: a memo on a coding goes
            // with its document, one on a relation with the project.
            Attachment::Document(d) | Attachment::Coding { document: d, .. } => {
                match metas.iter().find(|meta| meta.id == d) {
                    Some(meta) => document_notes.entry(meta.id.as_str()).or_default().push(g),
                    None => project_notes.push(g),
                }
            }
            Attachment::Relation { .. } => project_notes.push(g),
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

pub(super) fn name_of(codebook: &Codebook, id: &str) -> String {
    codebook.get(id).map_or_else(|| id.to_owned(), |e| e.name.clone())
}
