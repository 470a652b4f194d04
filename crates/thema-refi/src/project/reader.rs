//! The reader: the project's XML turned into documents, participants, a codebook, codings and memos (`Built`).

use super::*;

pub(super) struct Reader<'a, 'r> {
    pub(super) archive: &'a mut crate::archive::Archive<Cursor<&'r [u8]>>,
    pub(super) file: &'a str,
    pub(super) report: &'a mut ImportReport,
}

impl Reader<'_, '_> {
    pub(super) fn guid(&self, e: &Element, attr: &str) -> Result<String, RefiError> {
        guid_attr(e, attr, self.file)
    }

    pub(super) fn opt_guid(&self, e: &Element, attr: &str) -> Option<String> {
        e.attr(attr).and_then(guid::normalise)
    }

    pub(super) fn at(&self, e: &Element) -> String {
        format!("{}: line {}", self.file, e.line)
    }

    /// The entry an `internal://` path names (looked for in `sources/` and at the top, ignoring
    /// case, also percent-decoded), read; or why there is none.
    pub(super) fn internal_entry(&mut self, path: &str) -> Result<Result<(String, Vec<u8>), String>, RefiError> {
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
    pub(super) fn internal_text(
        &mut self,
        path: &str,
        e: &Element,
    ) -> Result<Result<(String, String), String>, RefiError> {
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
    pub(super) fn source_text(&mut self, s: &Element, name: &str) -> Result<Option<(String, String)>, RefiError> {
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

    pub(super) fn build(&mut self, root: &Element, unit: Unit) -> Result<Built, RefiError> {
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
            let name = thema_core::document::numbered(&base, |n| taken.contains(n));
            taken.insert(name.clone());
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
                .unwrap_or_else(|| thema_core::document::fresh_id(&stem, "document", |id| used_ids.contains(id)));
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

    pub(super) fn report_label(&self) -> &str {
        self.file.rsplit_once('/').map_or(self.file, |(l, _)| l)
    }

    /// Add the coding `c` of `span`; false (with a note) if it cannot be placed.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn coding(
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
