//! Reading a `.qdpx` into a new study: the options, the report, and the entry point.

use super::*;

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
pub(super) struct Note {
    pub(super) name: String,
    pub(super) text: String,
    pub(super) author: String,
    pub(super) time: String,
    pub(super) kind: String,
}

/// A selection as placed: its document (index) and span.
#[derive(Clone, Copy)]
pub(super) struct Placed {
    pub(super) doc: usize,
    pub(super) span: Span,
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
pub(super) struct TextUnit<'x, 'a> {
    pub(super) text: &'x Element<'a>,
    pub(super) carrier: &'x Element<'a>,
    /// Selections with their positions in the writer's units, if they have them.
    pub(super) selections: Vec<(&'x Element<'a>, Option<(u64, u64)>)>,
    /// Sync points of a transcript: (position, milliseconds), in text order.
    pub(super) times: Vec<(u64, u64)>,
}

/// The plain-text selections of a text source, with their positions if they are numbers.
pub(super) fn plain_text_selections<'x, 'a>(source: &'x Element<'a>) -> Vec<(&'x Element<'a>, Option<(u64, u64)>)> {
    let position = |sel: &Element, attr: &str| sel.attr(attr).and_then(|v| v.trim().parse::<u64>().ok());
    source
        .children_named("PlainTextSelection")
        .map(|sel| (sel, position(sel, "startPosition").zip(position(sel, "endPosition"))))
        .collect()
}

/// The turn of `doc` that holds position `at`, if any (turns are in text order).
pub(super) fn turn_at(doc: &Document, at: usize) -> Option<&thema_core::Turn> {
    let i = doc.turns.partition_point(|t| t.span.start <= at);
    let t = doc.turns.get(i.checked_sub(1)?)?;
    (at < t.span.end.max(t.span.start + 1)).then_some(t)
}

/// Where a memo about position `at` of `doc` belongs: its turn, else the document.
pub(super) fn attachment_at(doc: &Document, at: usize) -> Attachment {
    match turn_at(doc, at) {
        Some(t) => Attachment::Turn(TurnId { document: doc.meta.id.clone(), number: t.number }),
        None => Attachment::Document(doc.meta.id.clone()),
    }
}

pub(super) fn dir_has_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(false)
}

/// Everything a new study is made of.
pub(super) struct Built {
    pub(super) settings: Settings,
    pub(super) participants: Participants,
    pub(super) documents: Vec<Document>,
    pub(super) codebook: Codebook,
    pub(super) codings: Vec<Coding>,
    pub(super) memos: Vec<Memo>,
}
