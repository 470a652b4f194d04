//! What `thema trajectories` and `thema waves` publish: each participant's codes (or themes) by
//! wave, each code's gained, kept and lost counts between waves, who took part in which wave,
//! and the presence grid and the alluvial bands between waves as charts.

use thema_analysis::trajectories::{Trajectories, WaveFramework};
use thema_analysis::waves::WaveTable;

use crate::table::{Row, Table};
use crate::PublishError;

/// What a cell shows for a participant not interviewed in a wave.
pub const NOT_INTERVIEWED: &str = "(not interviewed)";

/// "wave 1".
fn wave_label(w: u32) -> String {
    format!("wave {w}")
}

/// Each participant by wave: the rows they have, by name one a line (`ids`: by id separated by
/// `; `, for programs), [`NOT_INTERVIEWED`] where they took no part.
pub fn participants_table(t: &Trajectories, ids: bool) -> Table {
    let mut columns = vec!["participant".to_owned(), "pseudonym".to_owned()];
    columns.extend(t.waves.iter().map(|w| wave_label(*w)));
    let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut table = Table::new(&format!("{}s of each participant by wave", t.rows_kind), &refs);
    for p in &t.participants {
        let mut cells = vec![p.participant.clone(), p.pseudonym.clone()];
        for (interviewed, entries) in p.interviewed.iter().zip(&p.entries) {
            cells.push(if !interviewed {
                NOT_INTERVIEWED.to_owned()
            } else if ids {
                entries.join("; ")
            } else {
                entries.iter().map(|e| t.name(e)).collect::<Vec<_>>().join("\n")
            });
        }
        table.rows.push(Row::new(cells));
    }
    table.notes.push(format!(
        "A participant has a {} in a wave when a coded passage of that wave's documents credits them (they speak in it).",
        t.rows_kind
    ));
    table
}

/// Each row's participants who gained, kept or lost it between consecutive waves, among those
/// interviewed in both.
pub fn changes_table(t: &Trajectories) -> Table {
    let kind = t.rows_kind.as_str();
    let mut table = Table::new(
        &format!("Change in each {kind} between waves"),
        &[kind, "id", "from wave", "to wave", "interviewed in both", "gained", "kept", "lost"],
    );
    for c in &t.changes {
        table.rows.push(Row::new(vec![
            c.name.clone(),
            c.entry.clone(),
            c.from.to_string(),
            c.to.to_string(),
            c.interviewed_both.to_string(),
            c.gained.to_string(),
            c.kept.to_string(),
            c.lost.to_string(),
        ]));
    }
    table.notes.push("Counted among the participants interviewed in both waves of a pair.".to_owned());
    table
}

/// The columns of [`changes_table`] that hold whole numbers (for Parquet).
pub const CHANGE_INTEGERS: [&str; 6] = ["from wave", "to wave", "interviewed in both", "gained", "kept", "lost"];

/// The presence grid: participants (pseudonyms) by wave, each cell the number of rows they have
/// in that wave, or with `entry` 1 or 0 for that one; grey where they were not interviewed.
pub fn presence_chart(
    t: &Trajectories,
    entry: Option<&str>,
    format: thema_render::Format,
) -> Result<Vec<u8>, PublishError> {
    let rows: Vec<String> = t.participants.iter().map(|p| p.pseudonym.clone()).collect();
    let columns: Vec<String> = t.waves.iter().map(|w| wave_label(*w)).collect();
    let values: Vec<Vec<Option<usize>>> = t
        .participants
        .iter()
        .map(|p| p.rows_by_wave(entry).into_iter().map(|rows| rows.map(|r| r.len())).collect())
        .collect();
    let (title, note) = match entry {
        Some(e) => (format!("{} by participant and wave", t.name(e)), "1: present, 0: absent; grey: not interviewed"),
        None => (format!("{}s present by participant and wave", t.rows_kind), "grey: not interviewed in that wave"),
    };
    let title = first_upper(&title);
    thema_render::presence(format, &rows, &columns, &values, &title, note).map_err(|e| PublishError(e.to_string()))
}

/// The alluvial chart: a column a wave, the participants grouped by their set of rows in it (or,
/// with `entry`, by whether they have that one), bands between the groups of consecutive waves.
pub fn alluvial_chart(
    t: &Trajectories,
    entry: Option<&str>,
    format: thema_render::Format,
) -> Result<Vec<u8>, PublishError> {
    let flows = thema_analysis::alluvial::flows(t, entry);
    let label = |rows: &Option<Vec<String>>| match (rows, entry) {
        (None, _) => NOT_INTERVIEWED.to_owned(),
        (Some(rows), Some(e)) if rows.is_empty() => format!("without {}", t.name(e)),
        (Some(_), Some(e)) => format!("with {}", t.name(e)),
        (Some(rows), None) if rows.is_empty() => format!("no {}", t.rows_kind),
        (Some(rows), None) => rows.iter().map(|r| t.name(r)).collect::<Vec<_>>().join(" + "),
    };
    // One colour for one group wherever it appears, in the order the groups first appear.
    let mut seen: Vec<&Vec<String>> = Vec::new();
    let groups: Vec<Vec<thema_render::AlluvialGroup>> = flows
        .groups
        .iter()
        .map(|wave| {
            wave.iter()
                .map(|g| {
                    let colour = g.rows.as_ref().map(|rows| {
                        seen.iter().position(|r| *r == rows).unwrap_or_else(|| {
                            seen.push(rows);
                            seen.len() - 1
                        })
                    });
                    thema_render::AlluvialGroup { label: label(&g.rows), count: g.participants.len(), colour }
                })
                .collect()
        })
        .collect();
    let bands: Vec<Vec<thema_render::AlluvialBand>> = flows
        .bands
        .iter()
        .map(|w| {
            w.iter().map(|b| thema_render::AlluvialBand { from: b.from, to: b.to, count: b.participants }).collect()
        })
        .collect();
    let columns: Vec<String> = t.waves.iter().map(|w| wave_label(*w)).collect();
    let title = match entry {
        Some(e) => format!("Participants with and without {} by wave", t.name(e)),
        None => first_upper(&format!("{}s of each participant by wave", t.rows_kind)),
    };
    let note = "Bands: participants moving between groups from one wave to the next; grey: not interviewed";
    thema_render::alluvial(format, &columns, &groups, &bands, &title, note).map_err(|e| PublishError(e.to_string()))
}

fn first_upper(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Who took part in which wave: a row a participant, a column a wave (`x` when they took part,
/// with the number of documents when more than one), their recorded `left-after` and reason.
pub fn participation_table(w: &WaveTable) -> Table {
    let mut columns = vec!["participant".to_owned(), "pseudonym".to_owned()];
    columns.extend(w.waves.iter().map(|v| wave_label(*v)));
    columns.extend(["left after".to_owned(), "reason".to_owned()]);
    let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut table = Table::new("Participation by wave", &refs);
    for p in &w.participants {
        let mut cells = vec![p.participant.clone(), p.pseudonym.clone()];
        cells.extend(p.documents.iter().map(|d| d.join(", ")));
        cells.push(p.left_after.clone().unwrap_or_default());
        cells.push(p.reason.clone().unwrap_or_default());
        table.rows.push(Row::new(cells));
    }
    let mut total = vec!["(participants)".to_owned(), String::new()];
    total.extend(w.counts.iter().map(ToString::to_string));
    total.extend([String::new(), String::new()]);
    table.rows.push(Row { emphasis: true, ..Row::new(total) });
    table
}

/// Retention between consecutive waves: participants in each, kept, the share kept, who left
/// (with their reasons) and who joined.
pub fn retention_table(w: &WaveTable) -> Table {
    let mut table = Table::new(
        "Retention between waves",
        &["from wave", "to wave", "in from", "in to", "kept", "kept %", "left (reason)", "joined"],
    );
    for r in &w.retention {
        let left: Vec<String> = r
            .left
            .iter()
            .map(|(id, reason)| match reason {
                Some(reason) => format!("{id} ({reason})"),
                None => format!("{id} (no reason recorded)"),
            })
            .collect();
        table.rows.push(Row::new(vec![
            r.from.to_string(),
            r.to.to_string(),
            r.in_from.to_string(),
            r.in_to.to_string(),
            r.kept.to_string(),
            r.share.map_or_else(|| "—".to_owned(), |s| format!("{:.1}", s * 100.0)),
            left.join("\n"),
            r.joined.join(", "),
        ]));
    }
    table
}

/// The framework matrices of the waves as one long table: a row a wave, participant and entry
/// with quotes, the quotes in typographic quotation marks, one a line.
pub fn framework_table(frameworks: &[WaveFramework]) -> Table {
    let mut table = Table::new("Framework matrix by wave", &["wave", "participant", "entry", "quotes"]);
    for f in frameworks {
        for (person, row) in f.participants.iter().zip(&f.cells) {
            for (entry, quotes) in f.entries.iter().zip(row).filter(|(_, q)| !q.is_empty()) {
                let quotes = quotes.iter().map(|q| format!("“{q}”")).collect::<Vec<_>>().join("\n");
                table.rows.push(Row::new(vec![f.wave.to_string(), person.clone(), entry.clone(), quotes]));
            }
        }
    }
    table
}
