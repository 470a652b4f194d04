//! Codebooks written as lists of paths (`thema codebook import`): one entry a line,
//! `Theme > Sub-theme > code`, as MAXQDA (`\`), NVivo (`\` or `/`), ATLAS.ti (`::`) and
//! spreadsheets (`>`) write hierarchies of codes.
//!
//! Two forms are read:
//! - a text list: one path a line; blank lines and lines starting with `#` are skipped;
//! - a CSV file with a header: a `path` column (also `code`, `name`), and optionally
//!   `definition` (or `description`), `colour` (or `color`) and `kind` (or `type`), which
//!   describe the last entry of the row's path.
//!
//! The separator is the one of `>`, `::`, `\` and `/` that most paths use (in that order on a
//! tie), so a name may contain the others. Entries get their kind from their place unless the
//! `kind` column says otherwise: an entry with nothing under it is a code, a top-level entry with
//! entries under it a theme, one level down a sub-theme, deeper a category. An entry whose name
//! (any case) is already in the codebook under the same parent is the existing entry, so a list
//! can be imported again after it grows.

use std::collections::BTreeMap;

use crate::codebook::{is_valid_colour, Codebook, CodebookEntry, EntryKind};

/// A problem on one line of the list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct OutlineError {
    /// 1-based line of the file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Every problem of a list, in the order of their lines.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct OutlineErrors(pub Vec<OutlineError>);

/// One line of the list: a path and what it says about its last entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Row {
    line: usize,
    path: Vec<String>,
    definition: String,
    colour: Option<String>,
    kind: Option<EntryKind>,
}

/// What importing a list adds to a codebook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// The new entries, parents before children, in the order of the list.
    pub added: Vec<CodebookEntry>,
    /// Ids of entries already in the codebook that the list names again.
    pub existing: Vec<String>,
    /// The separator read: `>`, `::`, `\` or `/`.
    pub separator: &'static str,
}

const SEPARATORS: [&str; 4] = [">", "::", "\\", "/"];

/// Read a list of paths (`csv`: a CSV file with a header, else a text list) against `codebook`,
/// and say what it adds. Nothing is changed; [`Outline::apply`] adds the entries.
pub fn read(text: &str, csv: bool, codebook: &Codebook) -> Result<Outline, OutlineErrors> {
    let (raw, mut problems) = if csv { csv_rows(text) } else { (text_rows(text), Vec::new()) };
    let separator = SEPARATORS
        .iter()
        .copied()
        .max_by_key(|s| {
            let uses = raw.iter().filter(|(_, p, _)| p.contains(s)).count();
            // More uses win; on a tie the earlier separator (max_by_key keeps the last maximum).
            (uses, std::cmp::Reverse(SEPARATORS.iter().position(|x| x == s)))
        })
        .unwrap_or(">");
    let mut rows = Vec::new();
    for (line, path, mut row) in raw {
        let parts: Vec<String> =
            path.split(separator).map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        if parts.iter().all(String::is_empty) {
            problems.push(OutlineError { line, message: "the path is empty".into() });
            continue;
        }
        if parts.iter().any(String::is_empty) {
            problems
                .push(OutlineError { line, message: format!("`{path}` has an empty name between two `{separator}`") });
            continue;
        }
        row.line = line;
        row.path = parts;
        rows.push(row);
    }

    // Build the tree: a node per distinct path prefix, compared without regard to case.
    #[derive(Default)]
    struct Node {
        name: String,
        parent: Option<usize>,
        line: usize,
        described: Option<Row>,
        children: usize,
    }
    let mut nodes: Vec<Node> = Vec::new();
    let mut at: BTreeMap<(Option<usize>, String), usize> = BTreeMap::new();
    for row in &rows {
        let mut parent = None;
        for name in &row.path {
            let key = (parent, name.to_lowercase());
            let node = match at.get(&key) {
                Some(&n) => n,
                None => {
                    nodes.push(Node { name: name.clone(), parent, line: row.line, ..Node::default() });
                    if let Some(p) = parent {
                        nodes[p].children += 1;
                    }
                    at.insert(key, nodes.len() - 1);
                    nodes.len() - 1
                }
            };
            parent = Some(node);
        }
        if let Some(last) = parent {
            if nodes[last].described.is_some()
                && (!row.definition.is_empty() || row.colour.is_some() || row.kind.is_some())
            {
                problems.push(OutlineError {
                    line: row.line,
                    message: format!(
                        "`{}` is described twice (also on line {})",
                        row.path.join(" > "),
                        nodes[last].line
                    ),
                });
            }
            if !row.definition.is_empty() || row.colour.is_some() || row.kind.is_some() {
                nodes[last].described = Some(row.clone());
            }
        }
    }

    let mut outline = Outline { separator, ..Outline::default() };
    let mut scratch = codebook.clone();
    let mut ids: Vec<String> = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let parent_id = node.parent.map(|p| ids[p].clone());
        let depth = std::iter::successors(node.parent, |&p| nodes[p].parent).count();
        let found = scratch
            .entries
            .iter()
            .find(|e| e.parent == parent_id && e.name.to_lowercase() == node.name.to_lowercase())
            .map(|e| e.id.clone());
        if let Some(id) = found {
            if !outline.existing.contains(&id) && !outline.added.iter().any(|e| e.id == id) {
                outline.existing.push(id.clone());
            }
            ids.push(id);
            continue;
        }
        let described = node.described.clone().unwrap_or_default();
        let kind = described.kind.unwrap_or(match (node.children, depth) {
            (0, _) => EntryKind::Code,
            (_, 0) => EntryKind::Theme,
            (_, 1) => EntryKind::SubTheme,
            _ => EntryKind::Category,
        });
        let id = scratch.fresh_id(&node.name);
        let entry = CodebookEntry {
            id: id.clone(),
            name: node.name.clone(),
            kind,
            parent: parent_id,
            definition: described.definition,
            colour: described.colour,
            ..CodebookEntry::default()
        };
        if let Err(e) = scratch.add(entry.clone()) {
            problems.push(OutlineError { line: node.line, message: format!("`{}`: {e}", node.name) });
        } else {
            outline.added.push(entry);
        }
        ids.push(id);
        debug_assert_eq!(ids.len(), i + 1);
    }
    if problems.is_empty() {
        Ok(outline)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(OutlineErrors(problems))
    }
}

impl Outline {
    /// Add the new entries to `codebook` (which must be the one the outline was read against).
    pub fn apply(&self, codebook: &mut Codebook) -> Result<(), crate::codebook::CodebookError> {
        for entry in &self.added {
            codebook.add(entry.clone())?;
        }
        Ok(())
    }
}

/// The lines of a text list: (line, path, nothing else).
fn text_rows(text: &str) -> Vec<(usize, String, Row)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim().trim_start_matches('\u{feff}').to_owned()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(line, l)| (line, l, Row::default()))
        .collect()
}

/// The rows of a CSV list, with every problem of its cells.
fn csv_rows(text: &str) -> (Vec<(usize, String, Row)>, Vec<OutlineError>) {
    let mut problems = Vec::new();
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(e) => return (Vec::new(), vec![OutlineError { line: 1, message: e.to_string() }]),
    };
    let column = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let Some(path_at) = column(&["path", "code", "name", "code path", "codes"]) else {
        let suggestion = crate::suggest::did_you_mean(header.first().map_or("", String::as_str), ["path"]);
        return (
            Vec::new(),
            vec![OutlineError {
                line: 1,
                message: format!("the header has no `path` column (its columns: {}){suggestion}", header.join(", ")),
            }],
        );
    };
    let definition_at = column(&["definition", "description", "memo"]);
    let colour_at = column(&["colour", "color"]);
    let kind_at = column(&["kind", "type"]);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(OutlineError { line, message: e.to_string() });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |at: Option<usize>| at.and_then(|i| record.get(i)).map(str::trim).unwrap_or("");
        let path = cell(Some(path_at));
        if path.is_empty() && record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut row = Row { definition: cell(definition_at).to_owned(), ..Row::default() };
        let colour = cell(colour_at);
        if !colour.is_empty() {
            if is_valid_colour(colour) {
                row.colour = Some(colour.to_lowercase());
            } else {
                problems.push(OutlineError { line, message: format!("`{colour}` is not a colour like #1f77b4") });
            }
        }
        let kind = cell(kind_at);
        if !kind.is_empty() {
            match EntryKind::from_name(kind) {
                Some(k) => row.kind = Some(k),
                None => {
                    let suggestion = crate::suggest::did_you_mean(kind, ["code", "category", "sub-theme", "theme"]);
                    problems.push(OutlineError {
                        line,
                        message: format!(
                            "`{kind}` is not a kind of entry (code, category, sub-theme, theme){suggestion}"
                        ),
                    });
                }
            }
        }
        rows.push((line, path.to_owned(), row));
    }
    (rows, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(codebook: &Codebook) -> Vec<String> {
        codebook
            .tree()
            .into_iter()
            .map(|(depth, e)| format!("{}{} ({}, {})", "  ".repeat(depth), e.name, e.id, e.kind.name()))
            .collect()
    }

    #[test]
    fn each_tools_separator_gives_the_same_tree() {
        let lists = [
            "Hope > Way out > revolving door\nHope > Way out > role models\nHope > faith\nHousing\n",
            "Hope::Way out::revolving door\nHope::Way out::role models\nHope::faith\nHousing\n",
            "Hope\\Way out\\revolving door\nHope\\Way out\\role models\nHope\\faith\nHousing\n",
            "# NVivo\nHope/Way out/revolving door\n\nHope/Way out/role models\nHope/faith\nHousing\n",
        ];
        for list in lists {
            let mut codebook = Codebook::default();
            let outline = read(list, false, &codebook).unwrap();
            outline.apply(&mut codebook).unwrap();
            assert_eq!(
                tree(&codebook),
                // In the list's order, which is the order the entries were made in.
                [
                    "Hope (hope, theme)",
                    "  Way out (way-out, sub-theme)",
                    "    revolving door (revolving-door, code)",
                    "    role models (role-models, code)",
                    "  faith (faith, code)",
                    "Housing (housing, code)",
                ],
                "{list}"
            );
        }
    }

    #[test]
    fn csv_columns_describe_the_last_entry_and_names_may_hold_other_separators() {
        let csv = "Code path,Definition,Colour,Kind\n\
                   Barriers > Money/debt,Money owed or lacking,#AA0000,\n\
                   Barriers > Money/debt > fines,,,\n\
                   Barriers,Anything in the way,,category\n";
        let mut codebook = Codebook::default();
        let outline = read(csv, true, &codebook).unwrap();
        assert_eq!(outline.separator, ">");
        outline.apply(&mut codebook).unwrap();
        assert_eq!(
            tree(&codebook),
            ["Barriers (barriers, category)", "  Money/debt (money-debt, sub-theme)", "    fines (fines, code)"]
        );
        let money = codebook.get("money-debt").unwrap();
        assert_eq!((money.definition.as_str(), money.colour.as_deref()), ("Money owed or lacking", Some("#aa0000")));
        assert_eq!(codebook.get("barriers").unwrap().definition, "Anything in the way");
    }

    #[test]
    fn entries_already_there_are_kept_and_problems_are_all_reported() {
        let mut codebook = Codebook::default();
        read("Hope > faith\n", false, &codebook).unwrap().apply(&mut codebook).unwrap();
        let again = read("hope > Faith\nhope > prayer\n", false, &codebook).unwrap();
        assert_eq!(again.existing, ["hope", "faith"]);
        assert_eq!(again.added.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["prayer"]);

        let bad = "path,kind,colour\nA > > b,,\nFear,thme,\nFear2,,red\nOther > faith,,\n";
        let e = read(bad, true, &codebook).unwrap_err();
        let got: Vec<(usize, &str)> = e.0.iter().map(|p| (p.line, p.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (2, "`A > > b` has an empty name between two `>`"),
                (3, "`thme` is not a kind of entry (code, category, sub-theme, theme); did you mean `theme`?"),
                (4, "`red` is not a colour like #1f77b4"),
                (5, "`faith`: `faith` is already the name of `faith`"),
            ]
        );
        let e = read("name;definition\nx;y\n", true, &codebook).unwrap_err();
        assert_eq!(e.0[0].line, 1);
        assert!(e.0[0].message.contains("no `path` column"), "{e}");
    }
}
