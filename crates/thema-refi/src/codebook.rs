//! Codebooks: thema's entries as REFI-QDA codes and sets, both ways.
//!
//! Writing. Each entry is a `Code` nested under its parent. Codes are codable; categories,
//! sub-themes and themes are not, unless segments are coded with them directly (a project
//! says so with `codable`). Colour goes into `color`. The description fields go into
//! `Description` as labelled paragraphs (`When to use: ...`), which other programs show as the
//! code's description and thema reads back. What REFI-QDA has no field for (the kind of an
//! entry, the role of a theme, the in-vivo mark) goes into sets, which ATLAS.ti shows as code
//! groups and NVivo as sets: `Themes`, `Sub-themes`, `Categories`, `In-vivo codes`,
//! `Role: foundation`.
//!
//! Reading. Nested codes, or hierarchy flattened into names (`Coke::full-fat Coke` in ATLAS.ti,
//! `parent\child` in Taguette), become the same tree. A non-codable code is a category unless a
//! set says otherwise. Importing into a study that has a codebook merges: an entry whose GUID
//! or name matches is kept as it is (its empty fields filled in), the others are added.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use thema_core::{Codebook, CodebookEntry, EntryKind};

use crate::guid;
use crate::xml::{escape, Element};
use crate::RefiError;

/// A code as read from a REFI-QDA file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Code {
    /// GUID, normalised.
    pub guid: String,
    /// Name.
    pub name: String,
    /// `isCodable`.
    pub codable: bool,
    /// `color`, if it is a colour.
    pub colour: Option<String>,
    /// `Description`.
    pub description: String,
    /// GUIDs of notes the code refers to (`NoteRef`, projects only).
    pub notes: Vec<String>,
    /// Child codes.
    pub children: Vec<Code>,
    /// Line of the `Code` element.
    pub line: usize,
}

/// A set: a named group of codes (and, in projects, sources and notes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Set {
    /// GUID, normalised.
    pub guid: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// GUIDs of member codes.
    pub codes: Vec<String>,
    /// GUIDs of member sources.
    pub sources: Vec<String>,
}

/// A codebook read from a `.qdc` (or the `CodeBook` and `Sets` of a project).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefiCodebook {
    /// The program that wrote it.
    pub origin: String,
    /// Top-level codes.
    pub codes: Vec<Code>,
    /// Sets.
    pub sets: Vec<Set>,
    /// What was repaired while reading (bad colours, braced GUIDs are not worth a note).
    pub notes: Vec<String>,
}

/// The sets that carry what REFI-QDA has no attribute for.
const KIND_SETS: [(EntryKind, &str); 3] =
    [(EntryKind::Theme, "Themes"), (EntryKind::SubTheme, "Sub-themes"), (EntryKind::Category, "Categories")];
const IN_VIVO_SET: &str = "In-vivo codes";
const ROLE_SET: &str = "Role: ";

/// Labels of the description paragraphs, in the order they are written.
const LABELS: [&str; 3] = ["When to use:", "When not to use:", "Example:"];

/// A REFI GUID attribute, normalised, or an error naming the line.
pub(crate) fn guid_attr(element: &Element, attr: &str, file: &str) -> Result<String, RefiError> {
    let raw = element.attr(attr).ok_or_else(|| RefiError::Xml {
        file: file.to_owned(),
        line: element.line,
        message: format!("`<{}>` has no `{attr}`", element.name),
    })?;
    guid::normalise(raw).ok_or_else(|| RefiError::Xml {
        file: file.to_owned(),
        line: element.line,
        message: format!("`<{}>` has `{attr}=\"{raw}\"`, which is not a GUID", element.name),
    })
}

/// Read the `Codes` and `Sets` below `parent` (a `CodeBook` of a `.qdc`, or a project whose
/// `CodeBook` holds the codes and whose `Sets` are its own).
pub(crate) fn read(
    codes_parent: Option<&Element>,
    sets_parent: &Element,
    origin: &str,
    file: &str,
) -> Result<RefiCodebook, RefiError> {
    let mut book = RefiCodebook { origin: origin.to_owned(), ..RefiCodebook::default() };
    if let Some(codebook) = codes_parent {
        // Codes in their `Codes` wrapper, or (as some exporters write) right under `CodeBook`.
        for code in codebook.wrapped("Codes", "Code").chain(codebook.children_named("Code")) {
            book.codes.push(read_code(code, file, &mut book.notes)?);
        }
    }
    for set in sets_parent.wrapped("Sets", "Set") {
        let mut s = Set {
            guid: guid_attr(set, "guid", file)?,
            name: set.attr("name").unwrap_or("").trim().to_owned(),
            description: set.child_text("Description"),
            ..Set::default()
        };
        for member in set.children_named("MemberCode") {
            // `guid` in a codebook file, `targetGUID` in a project file.
            let attr = if member.attr("targetGUID").is_some() { "targetGUID" } else { "guid" };
            s.codes.push(guid_attr(member, attr, file)?);
        }
        for member in set.children_named("MemberSource") {
            s.sources.push(guid_attr(member, "targetGUID", file)?);
        }
        book.sets.push(s);
    }
    Ok(book)
}

fn read_code(e: &Element, file: &str, notes: &mut Vec<String>) -> Result<Code, RefiError> {
    let name = e.attr("name").unwrap_or("").trim().to_owned();
    let colour = match e.attr("color").map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => match normalise_colour(c) {
            Some(c) => Some(c),
            None => {
                notes.push(format!(
                    "{file}: line {}: the colour `{c}` of `{name}` is not #RRGGBB or #RGB; left out",
                    e.line
                ));
                None
            }
        },
    };
    let codable = !matches!(e.attr("isCodable").map(str::trim), Some("false" | "0"));
    let mut code = Code {
        guid: guid_attr(e, "guid", file)?,
        name,
        codable,
        colour,
        description: e.child_text("Description"),
        line: e.line,
        ..Code::default()
    };
    for n in e.children_named("NoteRef") {
        code.notes.push(guid_attr(n, "targetGUID", file)?);
    }
    for child in e.children_named("Code") {
        code.children.push(read_code(child, file, notes)?);
    }
    Ok(code)
}

/// `#RRGGBB` or `#RGB` as thema's `#rrggbb`.
fn normalise_colour(c: &str) -> Option<String> {
    let hex = c.strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(format!("#{}", hex.chars().flat_map(|ch| [ch, ch]).collect::<String>().to_ascii_lowercase())),
        _ => None,
    }
}

/// Parse a `.qdc` file.
pub fn parse_qdc(xml: &str, file: &str) -> Result<RefiCodebook, RefiError> {
    let root = crate::xml::parse(xml, file)?;
    let ns = root.namespace.as_deref().unwrap_or("");
    if root.name != "CodeBook" || !(ns.is_empty() || ns.starts_with("urn:QDA-XML:codebook:")) {
        return Err(RefiError::Xml {
            file: file.to_owned(),
            line: root.line,
            message: format!(
                "this is not a REFI-QDA codebook: its root is `<{}>` in namespace `{ns}`, not `<CodeBook>` in `urn:QDA-XML:codebook:1.0`",
                root.name
            ),
        });
    }
    read(Some(&root), &root, root.attr("origin").unwrap_or(""), file)
}

/// The `Description` of an entry: the definition, then labelled paragraphs.
pub fn describe(entry: &CodebookEntry) -> String {
    let mut parts = Vec::new();
    if !entry.definition.trim().is_empty() {
        parts.push(entry.definition.trim().to_owned());
    }
    for (label, value) in LABELS.iter().zip([&entry.when_to_use, &entry.when_not_to_use, &entry.example]) {
        if !value.trim().is_empty() {
            parts.push(format!("{label} {}", value.trim()));
        }
    }
    parts.join("\n\n")
}

/// Split a `Description` back into definition, when to use, when not to use and example.
pub fn undescribe(description: &str) -> [String; 4] {
    let mut fields: [Vec<String>; 4] = Default::default();
    let mut current = 0;
    let text = description.replace("\r\n", "\n");
    for paragraph in text.split("\n\n") {
        let p = paragraph.trim();
        if p.is_empty() {
            continue;
        }
        let mut rest = p;
        if let Some(i) = LABELS.iter().position(|l| p.starts_with(l)) {
            current = i + 1;
            rest = p[LABELS[i].len()..].trim_start();
        }
        fields[current].push(rest.to_owned());
    }
    fields.map(|f| f.join("\n\n"))
}

/// Entries in tree order with their depth, every entry once.
fn tree(codebook: &Codebook) -> Vec<(usize, &CodebookEntry)> {
    codebook.tree()
}

/// Write the codes of `codebook` as nested `Code` elements at `indent`. `codable` says which
/// non-code entries have codings of their own; `notes` gives the note GUIDs to refer to from an
/// entry (memos on codes, in projects).
pub fn write_codes(
    out: &mut String,
    codebook: &Codebook,
    indent: usize,
    codable: &BTreeSet<String>,
    notes: &BTreeMap<String, Vec<String>>,
) {
    let entries = tree(codebook);
    let mut open: Vec<usize> = Vec::new();
    let pad = |depth: usize| "  ".repeat(indent + depth);
    for (i, (depth, entry)) in entries.iter().enumerate() {
        while open.last().is_some_and(|&d| d >= *depth) {
            let d = open.pop().unwrap_or(0);
            let _ = writeln!(out, "{}</Code>", pad(d));
        }
        let is_codable = entry.kind == EntryKind::Code || codable.contains(&entry.id);
        let _ = write!(
            out,
            "{}<Code guid=\"{}\" name=\"{}\" isCodable=\"{is_codable}\"",
            pad(*depth),
            guid::of_entry(entry),
            escape(&entry.name)
        );
        if let Some(colour) = &entry.colour {
            let _ = write!(out, " color=\"{}\"", escape(colour));
        }
        let description = describe(entry);
        let refs = notes.get(&entry.id).map(Vec::as_slice).unwrap_or(&[]);
        let has_children = entries.get(i + 1).is_some_and(|(d, _)| *d > *depth);
        if description.is_empty() && refs.is_empty() && !has_children {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        if !description.is_empty() {
            let _ = writeln!(out, "{}<Description>{}</Description>", pad(depth + 1), escape(&description));
        }
        for note in refs {
            let _ = writeln!(out, "{}<NoteRef targetGUID=\"{note}\"/>", pad(depth + 1));
        }
        if has_children {
            open.push(*depth);
        } else {
            let _ = writeln!(out, "{}</Code>", pad(*depth));
        }
    }
    while let Some(d) = open.pop() {
        let _ = writeln!(out, "{}</Code>", pad(d));
    }
}

/// The sets that carry kinds, roles and the in-vivo mark: (GUID, name, description, member
/// GUIDs), only those with members.
pub fn thema_sets(codebook: &Codebook) -> Vec<(String, String, String, Vec<String>)> {
    let mut sets = Vec::new();
    let entries = tree(codebook);
    for (kind, name) in KIND_SETS {
        let members: Vec<String> =
            entries.iter().filter(|(_, e)| e.kind == kind).map(|(_, e)| guid::of_entry(e)).collect();
        sets.push((name.to_owned(), format!("thema: the entries that are {}", kind.name()), members));
    }
    let members = entries.iter().filter(|(_, e)| e.in_vivo).map(|(_, e)| guid::of_entry(e)).collect();
    sets.push((IN_VIVO_SET.to_owned(), "thema: codes named in the participants' own words".to_owned(), members));
    let roles: BTreeSet<&str> = entries.iter().filter_map(|(_, e)| e.role.as_deref()).collect();
    for role in roles {
        let members =
            entries.iter().filter(|(_, e)| e.role.as_deref() == Some(role)).map(|(_, e)| guid::of_entry(e)).collect();
        sets.push((format!("{ROLE_SET}{role}"), format!("thema: themes whose role is {role}"), members));
    }
    sets.into_iter()
        .filter(|(_, _, m)| !m.is_empty())
        .map(|(name, description, members)| (guid::derive(&["set", &name]), name, description, members))
        .collect()
}

/// The codebook as a `.qdc` file.
pub fn to_qdc(codebook: &Codebook) -> Result<String, RefiError> {
    if codebook.entries.is_empty() {
        return Err(RefiError::Invalid(
            "the codebook is empty, and a REFI-QDA codebook needs at least one code; add codes with `thema codebook add`".into(),
        ));
    }
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(out, "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"{}\">", escape(&crate::origin()));
    out.push_str("  <Codes>\n");
    write_codes(&mut out, codebook, 2, &BTreeSet::new(), &BTreeMap::new());
    out.push_str("  </Codes>\n");
    let sets = thema_sets(codebook);
    if !sets.is_empty() {
        out.push_str("  <Sets>\n");
        for (guid, name, description, members) in sets {
            let _ = writeln!(out, "    <Set guid=\"{guid}\" name=\"{}\">", escape(&name));
            let _ = writeln!(out, "      <Description>{}</Description>", escape(&description));
            for m in members {
                let _ = writeln!(out, "      <MemberCode guid=\"{m}\"/>");
            }
            out.push_str("    </Set>\n");
        }
        out.push_str("  </Sets>\n");
    }
    out.push_str("</CodeBook>\n");
    Ok(out)
}

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Entries added: (id, name, kind).
    pub added: Vec<(String, String, EntryKind)>,
    /// Entries matched to existing ones: (id, name, `guid` or `name`).
    pub matched: Vec<(String, String, &'static str)>,
    /// Names changed because another entry had them: (imported name, name given).
    pub renamed: Vec<(String, String)>,
    /// Other things worth saying (colours left out, flattened names split).
    pub notes: Vec<String>,
    /// Imported GUID to thema id, for codings and notes that refer to codes.
    pub ids: BTreeMap<String, String>,
}

/// Merge `book` into `codebook`: match by GUID, then by name (ignoring case) among the entries
/// that were there before; add the rest under their parents.
pub fn merge(codebook: &mut Codebook, book: &RefiCodebook) -> Result<MergeReport, RefiError> {
    let mut report = MergeReport { notes: book.notes.clone(), ..MergeReport::default() };
    let before: BTreeSet<String> = codebook.entries.iter().map(|e| e.id.clone()).collect();
    // What the sets say about each code.
    let mut kind_of: BTreeMap<&str, EntryKind> = BTreeMap::new();
    let mut in_vivo: BTreeSet<&str> = BTreeSet::new();
    let mut role_of: BTreeMap<&str, String> = BTreeMap::new();
    for set in &book.sets {
        let name = set.name.trim();
        let lower = name.to_lowercase();
        if let Some((kind, _)) = KIND_SETS.iter().find(|(_, n)| n.to_lowercase() == lower) {
            for m in &set.codes {
                kind_of.insert(m, *kind);
            }
        } else if lower == IN_VIVO_SET.to_lowercase() {
            in_vivo.extend(set.codes.iter().map(String::as_str));
        } else if let Some(role) = name.strip_prefix(ROLE_SET).or_else(|| name.strip_prefix("Role:")) {
            for m in &set.codes {
                role_of.insert(m, role.trim().to_owned());
            }
        }
    }
    // thema nests its entries, so a `::` or `\` in a name it wrote is part of the name: splitting
    // it would change the codebook on a round trip (found by fuzzing).
    let split_names = !book.origin.starts_with("thema ");
    let ctx = Context { kind_of, in_vivo, role_of, before, split_names };
    for code in &book.codes {
        merge_code(codebook, code, None, &ctx, &mut report)?;
    }
    Ok(report)
}

struct Context<'a> {
    kind_of: BTreeMap<&'a str, EntryKind>,
    in_vivo: BTreeSet<&'a str>,
    role_of: BTreeMap<&'a str, String>,
    before: BTreeSet<String>,
    /// Read `Group::Code` and `Group\Code` names as a hierarchy flattened into the name.
    split_names: bool,
}

fn merge_code(
    codebook: &mut Codebook,
    code: &Code,
    parent: Option<&str>,
    ctx: &Context<'_>,
    report: &mut MergeReport,
) -> Result<(), RefiError> {
    // A hierarchy flattened into the name: every prefix is a category (found or made).
    let separator = if !ctx.split_names {
        None
    } else if code.name.contains("::") {
        Some("::")
    } else if code.name.contains('\\') {
        Some("\\")
    } else {
        None
    };
    let mut parent = parent.map(str::to_owned);
    let mut name = code.name.clone();
    if let Some(sep) = separator {
        let parts: Vec<&str> = code.name.split(sep).map(str::trim).filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 {
            for prefix in &parts[..parts.len() - 1] {
                let found = codebook
                    .entries
                    .iter()
                    .find(|e| e.name.to_lowercase() == prefix.to_lowercase() && e.parent == parent)
                    .map(|e| e.id.clone());
                let id = match found {
                    Some(id) => id,
                    None => {
                        let id = codebook.fresh_id(prefix);
                        let entry = CodebookEntry {
                            id: id.clone(),
                            name: unique_name(codebook, prefix, parent.as_deref(), report),
                            kind: EntryKind::Category,
                            parent: parent.clone(),
                            ..CodebookEntry::default()
                        };
                        report.added.push((id.clone(), entry.name.clone(), entry.kind));
                        codebook.add(entry).map_err(|e| RefiError::Invalid(e.0))?;
                        id
                    }
                };
                parent = Some(id);
            }
            report.notes.push(format!(
                "`{}` is read as `{}` under `{}`",
                code.name,
                parts[parts.len() - 1],
                parts[..parts.len() - 1].join(" > ")
            ));
            name = parts[parts.len() - 1].to_owned();
        }
    }
    if name.is_empty() {
        name = "unnamed code".to_owned();
    }
    // Match by GUID, then by name among the entries that were there before the import.
    let by_guid = codebook.entries.iter().find(|e| guid::of_entry(e) == code.guid).map(|e| e.id.clone());
    let by_name = || {
        codebook
            .entries
            .iter()
            .find(|e| ctx.before.contains(&e.id) && e.name.to_lowercase() == name.to_lowercase())
            .map(|e| e.id.clone())
    };
    let [definition, when_to_use, when_not_to_use, example] = undescribe(&code.description);
    let id = if let Some((id, how)) = by_guid.map(|id| (id, "guid")).or_else(|| by_name().map(|id| (id, "name"))) {
        let entry = codebook.entries.iter_mut().find(|e| e.id == id).expect("matched entry");
        for (field, value) in [
            (&mut entry.definition, definition),
            (&mut entry.when_to_use, when_to_use),
            (&mut entry.when_not_to_use, when_not_to_use),
            (&mut entry.example, example),
        ] {
            if field.is_empty() {
                *field = value;
            }
        }
        if entry.colour.is_none() {
            entry.colour = code.colour.clone();
        }
        report.matched.push((id.clone(), entry.name.clone(), how));
        id
    } else {
        let kind = ctx.kind_of.get(code.guid.as_str()).copied().unwrap_or(if code.codable {
            EntryKind::Code
        } else {
            EntryKind::Category
        });
        let name = unique_name(codebook, &name, parent.as_deref(), report);
        let id = codebook.fresh_id(&name);
        let derived = guid::derive(&["entry", &id]);
        let entry = CodebookEntry {
            id: id.clone(),
            name: name.clone(),
            kind,
            parent: parent.clone(),
            order: None,
            definition,
            when_to_use,
            when_not_to_use,
            example,
            colour: code.colour.clone(),
            in_vivo: ctx.in_vivo.contains(code.guid.as_str()),
            role: ctx.role_of.get(code.guid.as_str()).cloned(),
            guid: (derived != code.guid).then(|| code.guid.clone()),
        };
        codebook.add(entry).map_err(|e| RefiError::Invalid(format!("cannot add `{name}`: {}", e.0)))?;
        report.added.push((id.clone(), name, kind));
        id
    };
    report.ids.insert(code.guid.clone(), id.clone());
    for child in &code.children {
        merge_code(codebook, child, Some(&id), ctx, report)?;
    }
    Ok(())
}

/// `name`, or `name (parent)`, `name (parent) 2`... when another entry has it: thema names are
/// unique in a codebook, while other programs allow `Other` under several parents.
fn unique_name(codebook: &Codebook, name: &str, parent: Option<&str>, report: &mut MergeReport) -> String {
    let taken = |n: &str| codebook.entries.iter().any(|e| e.name.to_lowercase() == n.to_lowercase());
    if !taken(name) {
        return name.to_owned();
    }
    let parent_name = parent.and_then(|p| codebook.get(p)).map(|p| p.name.clone());
    let base = match parent_name {
        Some(p) => format!("{name} ({p})"),
        None => format!("{name} (imported)"),
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{base} {n}");
        n += 1;
    }
    report.renamed.push((name.to_owned(), candidate.clone()));
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Codebook {
        let mut cb = Codebook::default();
        let mut add = |id: &str, name: &str, kind, parent: Option<&str>| {
            cb.add(CodebookEntry {
                id: id.into(),
                name: name.into(),
                kind,
                parent: parent.map(Into::into),
                ..Default::default()
            })
            .unwrap();
        };
        add("hope", "Offering hope", EntryKind::Theme, None);
        add("way-out", "showing that there is a way out", EntryKind::SubTheme, Some("hope"));
        add("lead", "lead someone to water", EntryKind::Code, Some("way-out"));
        // `::` and `\` in a thema name are not a flattened hierarchy (found by fuzzing).
        add("misc", "Misc & <odd> \"names\" a::b c\\d", EntryKind::Category, None);
        let e = cb.entries.iter_mut().find(|e| e.id == "hope").unwrap();
        e.role = Some("outcome".into());
        e.definition = "Hope of a life outside prison.".into();
        e.when_to_use = "Talk of a future.".into();
        e.example = "“I could see a way out.”".into();
        e.colour = Some("#1f77b4".into());
        cb.entries.iter_mut().find(|e| e.id == "lead").unwrap().in_vivo = true;
        cb
    }

    #[test]
    fn qdc_round_trip_keeps_hierarchy_kinds_roles_and_descriptions() {
        let cb = sample();
        let xml = to_qdc(&cb).unwrap();
        assert_eq!(xml, to_qdc(&cb).unwrap(), "the same codebook gives the same bytes");
        let book = parse_qdc(&xml, "c.qdc").unwrap();
        let mut back = Codebook::default();
        let report = merge(&mut back, &book).unwrap();
        assert_eq!(report.added.len(), 4);
        let mut a = cb.entries.clone();
        let mut b = back.entries.clone();
        a.sort_by(|x, y| x.name.cmp(&y.name));
        b.sort_by(|x, y| x.name.cmp(&y.name));
        // Ids come back from the names; here they were chosen by hand, so compare the rest.
        let strip = |v: &mut Vec<CodebookEntry>, cb: &Codebook| {
            for e in v.iter_mut() {
                e.parent = e.parent.as_deref().map(|p| cb.get(p).unwrap().name.clone());
                e.id.clear();
                e.guid = None;
            }
        };
        strip(&mut a, &cb);
        strip(&mut b, &back);
        assert_eq!(a, b);
        // Merging the same file again matches everything by GUID and adds nothing.
        let report = merge(&mut back, &book).unwrap();
        assert!(report.added.is_empty());
        assert_eq!(report.matched.iter().filter(|m| m.2 == "guid").count(), 4);
    }

    #[test]
    fn description_fields_split_back() {
        let [d, w, n, e] =
            undescribe("Meaning.\n\nMore meaning.\n\nWhen to use: A.\n\nWhen not to use: B.\n\nExample: C.");
        assert_eq!((d.as_str(), w.as_str(), n.as_str(), e.as_str()), ("Meaning.\n\nMore meaning.", "A.", "B.", "C."));
    }

    #[test]
    fn merge_by_name_into_an_existing_codebook_and_rename_clashes() {
        let mut cb = sample();
        let xml = r##"<CodeBook xmlns="urn:QDA-XML:codebook:1:0" origin="NVivo">
          <Codes>
            <Code guid="{AAAAAAAA-0000-0000-0000-000000000001}" name="offering HOPE" isCodable="true" color="#F00"/>
            <Code guid="aaaaaaaa-0000-0000-0000-000000000002" name="Other" isCodable="false">
              <Code guid="aaaaaaaa-0000-0000-0000-000000000003" name="Other" isCodable="true" color="red"/>
            </Code>
            <Code guid="aaaaaaaa-0000-0000-0000-000000000004" name="Topics::Diet" isCodable="true"/>
          </Codes>
          <Sets/>
        </CodeBook>"##;
        let book = parse_qdc(xml, "n.qdc").unwrap();
        let report = merge(&mut cb, &book).unwrap();
        assert_eq!(report.matched, vec![("hope".to_owned(), "Offering hope".to_owned(), "name")]);
        // The existing colour stays; the clash gets its parent's name.
        assert_eq!(cb.get("hope").unwrap().colour.as_deref(), Some("#1f77b4"));
        assert_eq!(report.renamed, vec![("Other".to_owned(), "Other (Other)".to_owned())]);
        assert!(report.notes.iter().any(|n| n.contains("`red`")), "{:?}", report.notes);
        let diet = cb.entries.iter().find(|e| e.name == "Diet").unwrap();
        assert_eq!(cb.get(diet.parent.as_deref().unwrap()).unwrap().name, "Topics");
        assert_eq!(diet.guid.as_deref(), Some("aaaaaaaa-0000-0000-0000-000000000004"));
        assert!(cb.problems().is_empty(), "{:?}", cb.problems());
    }

    #[test]
    fn codes_without_their_wrapper_are_read() {
        let xml = r#"<CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="Atlas.ti">
          <Code guid="00000000-0000-0000-0000-0000000000a1" name="Parent" isCodable="true">
            <Code guid="00000000-0000-0000-0000-0000000000a2" name="Child" isCodable="true"/>
          </Code>
        </CodeBook>"#;
        let book = parse_qdc(xml, "a.qdc").unwrap();
        let mut cb = Codebook::default();
        merge(&mut cb, &book).unwrap();
        assert_eq!(cb.get("child").unwrap().parent.as_deref(), Some("parent"));
    }

    #[test]
    fn refuses_what_is_not_a_codebook_and_empty_codebooks() {
        let e = parse_qdc("<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\"/>", "p.qdc").unwrap_err().to_string();
        assert!(e.contains("not a REFI-QDA codebook"), "{e}");
        let e = parse_qdc("<CodeBook><Codes><Code name=\"x\" isCodable=\"true\"/></Codes></CodeBook>", "p.qdc")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 1") && e.contains("no `guid`"), "{e}");
        assert!(to_qdc(&Codebook::default()).is_err());
    }
}
