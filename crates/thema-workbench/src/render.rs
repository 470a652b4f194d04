//! The screen: a header, the reader (turns with ids and speakers, wrapped, the coder's codings as
//! coloured stripes in a margin), a status line, and the pane of the mode over them.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span as Piece};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use thema_core::{Coding, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::state::{Draft, Edit, Mode, NewEntry, Picker, ScreenLine, Workbench, KEYS};
use crate::wrap::wrap;

/// Columns of stripes in the margin (see [`columns`]); a `+` in the last says there are more.
pub const STRIPES: usize = 4;

/// Text starts this many columns after the margin, under the turn's header.
const INDENT: usize = 3;

/// Colours for codes without one in the codebook, by the code's place in the codebook.
const PALETTE: [Color; 12] = [
    Color::Cyan,
    Color::Magenta,
    Color::Yellow,
    Color::Green,
    Color::Blue,
    Color::Red,
    Color::LightCyan,
    Color::LightMagenta,
    Color::LightYellow,
    Color::LightGreen,
    Color::LightBlue,
    Color::LightRed,
];

/// Draw the workbench; moves [`Workbench::top`] so the cursor's turn is in view.
pub fn draw(frame: &mut Frame, workbench: &mut Workbench) {
    // The status line takes up to four lines, so that an error and its hint can be read whole
    // (one more than the message's width needs, for the words carried over at line ends).
    let width = usize::from(frame.area().width).max(1);
    let needs = UnicodeWidthStr::width(workbench.status.as_str());
    let tall = if needs <= width { 1 } else { (needs.div_ceil(width) + 1).min(4) as u16 };
    let [header, body, status] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(tall)]).areas(frame.area());
    frame.render_widget(
        Paragraph::new(header_line(workbench)).style(Style::new().add_modifier(Modifier::REVERSED)),
        header,
    );
    let lines = reader(workbench, body);
    frame.render_widget(Paragraph::new(lines), body);
    let said = Paragraph::new(workbench.status.as_str()).wrap(Wrap { trim: false });
    frame.render_widget(said.style(Style::new().add_modifier(Modifier::DIM)), status);
    match &workbench.mode {
        Mode::Read => {}
        Mode::Help(scrolled) => help(frame, body, *scrolled),
        Mode::Pick(picker) => pick(frame, body, workbench, picker),
        Mode::Documents(row) => documents(frame, body, workbench, *row),
        Mode::Memo(draft) => memo(frame, body, draft),
        Mode::Edit { entry, edit, text } => editing(frame, body, workbench, (*entry, *edit), text),
        Mode::Query(query) => {
            let inner = pane(frame, body, 70, 3, " search the study (Enter searches, Esc closes) ".into());
            frame.render_widget(Paragraph::new(format!("/ {query}▏")), inner);
        }
        Mode::Hits { query, hits, chosen } => found(frame, body, query, hits, *chosen),
        Mode::Codebook(chosen) => codebook(frame, body, workbench, *chosen),
        Mode::Segments { entry, chosen } => segments(frame, body, workbench, *entry, *chosen),
    }
}

fn header_line(w: &Workbench) -> String {
    let turns = w.document.turns.len();
    let coded = w.coded_turns();
    let here = w.document.turns.get(w.cursor).map_or(String::new(), |t| w.document.turn_id(t.number));
    let codes: Vec<&str> = w
        .document
        .turns
        .get(w.cursor)
        .map(|t| w.codes_in(t.span).iter().map(|c| c.name.as_str()).collect())
        .unwrap_or_default();
    let codes = if codes.is_empty() { String::new() } else { format!(" · here: {}", codes.join(", ")) };
    let others = if w.show_others {
        let coders: std::collections::BTreeSet<&str> = w.others.iter().map(|c| c.coder.as_str()).collect();
        format!(" | {}", coders.into_iter().collect::<Vec<_>>().join(", "))
    } else {
        String::new()
    };
    format!(" {here} · {coded}/{turns} turns coded by {}{others}{codes}", w.coder)
}

/// The colour of the code at `index` in the codebook.
fn colour(w: &Workbench, index: usize) -> Color {
    let given = w.codebook.get(index).and_then(|c| c.colour.as_deref()).and_then(|hex| {
        let hex = hex.strip_prefix('#')?;
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        Some(Color::Rgb(byte(0)?, byte(2)?, byte(4)?))
    });
    given.unwrap_or(PALETTE[index % PALETTE.len()])
}

/// The margin column of each coding, as MAXQDA lays out its coding stripes: in order of start,
/// each coding takes the leftmost column free at its start, so codings that overlap stand side
/// by side and a coding keeps its column from its first line to its last, across turns.
pub fn columns(codings: &[Coding]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..codings.len()).collect();
    order.sort_by_key(|&i| (codings[i].start, std::cmp::Reverse(codings[i].end)));
    // The end of the last coding in each column so far.
    let mut ends: Vec<usize> = Vec::new();
    let mut out = vec![0; codings.len()];
    for i in order {
        let c = &codings[i];
        let column = ends.iter().position(|&end| end <= c.start).unwrap_or(ends.len());
        if column == ends.len() {
            ends.push(c.end);
        } else {
            ends[column] = c.end;
        }
        out[i] = column;
    }
    out
}

/// The lines of the turns from [`Workbench::top`] that fill `area`.
fn reader(w: &mut Workbench, area: Rect) -> Vec<Line<'static>> {
    let height = usize::from(area.height);
    let width = usize::from(area.width).saturating_sub(margin_width(w) + INDENT).max(1);
    let turns = w.document.turns.len();
    if turns == 0 {
        return vec![Line::from("this document has no turns")];
    }
    // With other coders' stripes shown, the first line says whose each column is.
    let legend = w.show_others.then(|| legend(w));
    let height = height.saturating_sub(usize::from(legend.is_some()));
    // Keep the cursor's turn in view: scroll up to it, or down just far enough that it ends on
    // screen, counting back from the cursor so a jump to the end of a long document costs no
    // more than the turns on screen.
    w.top = w.top.min(w.cursor);
    let tall = |w: &Workbench, i: usize| 1 + wrap(w.turn_text(i).1, width).len();
    if w.top < w.cursor {
        let (mut first, mut used) = (w.cursor, tall(w, w.cursor));
        while first > w.top && used + tall(w, first - 1) <= height {
            first -= 1;
            used += tall(w, first);
        }
        w.top = first;
    }
    let columns = columns(&w.codings);
    let coders = other_coders(w);
    let mut out = Vec::new();
    let mut screen = Vec::new();
    let x = area.x + (margin_width(w) + INDENT) as u16;
    let y = area.y + u16::from(legend.is_some());
    for i in w.top..turns {
        if out.len() >= height {
            break;
        }
        for (line, cells) in turn_lines(w, (&columns, &coders), i, width) {
            if out.len() < height {
                screen.push(ScreenLine { y: y + out.len() as u16, turn: i, x, cells });
                out.push(line);
            }
        }
    }
    w.screen = screen;
    out.splice(0..0, legend);
    out
}

/// The line over the reader when other coders' stripes are shown: the coder's columns, then
/// each other coder's column numbered, and the numbers with their coders.
fn legend(w: &Workbench) -> Line<'static> {
    let others = other_coders(w);
    let mut margin = format!("{:<STRIPES$}", "you");
    margin.push('│');
    let names: Vec<String> = others.iter().enumerate().map(|(i, c)| format!("{} {c}", i + 1)).collect();
    for i in 0..STRIPES {
        margin.push(if i < others.len() { char::from_digit((i + 1) as u32, 10).unwrap_or('+') } else { ' ' });
    }
    let more = if others.len() > STRIPES { " (+ more than fit)" } else { "" };
    let text = if others.is_empty() {
        "no other coder has coded this document".to_owned()
    } else {
        format!("{}{more}", names.join(" · "))
    };
    Line::styled(format!("{margin}  {}", text), Style::new().add_modifier(Modifier::DIM))
}

/// The other coders of the document (derived sets too), by name: each has one column of the
/// margin right of the bar, in this order.
fn other_coders(w: &Workbench) -> Vec<&str> {
    let coders: std::collections::BTreeSet<&str> = w.others.iter().map(|c| c.coder.as_str()).collect();
    coders.into_iter().collect()
}

/// Columns before the text's indent: the coder's stripes and a space, and with other coders'
/// stripes shown, a bar and theirs.
fn margin_width(w: &Workbench) -> usize {
    if w.show_others {
        2 * STRIPES + 2
    } else {
        STRIPES + 1
    }
}

/// The stripes beside `span` of `codings`, laid out in `columns`.
fn stripes(w: &Workbench, codings: &[Coding], columns: &[usize], span: Span) -> Vec<Piece<'static>> {
    let mut pieces = vec![Piece::raw(" "); STRIPES];
    for (c, &column) in codings.iter().zip(columns) {
        if !c.span().overlaps(span) {
            continue;
        }
        if column >= STRIPES {
            pieces[STRIPES - 1] = Piece::raw("+");
        } else if pieces[column].content == " " {
            let k = w.codebook.iter().position(|e| e.id == c.code).unwrap_or(usize::MAX);
            pieces[column] = Piece::styled("┃", Style::new().fg(colour(w, k)));
        }
    }
    pieces
}

/// The other coders' stripes beside `span`: a column each, in the order of [`other_coders`],
/// coloured by the first of their codes there (a `+` in the last column for coders past it).
fn by_coder(w: &Workbench, coders: &[&str], span: Span) -> Vec<Piece<'static>> {
    let mut pieces = vec![Piece::raw(" "); STRIPES];
    for (column, &coder) in coders.iter().enumerate() {
        let Some(c) = w.others.iter().find(|c| c.coder == coder && c.span().overlaps(span)) else { continue };
        if column >= STRIPES {
            pieces[STRIPES - 1] = Piece::raw("+");
            break;
        }
        let k = w.codebook.iter().position(|e| e.id == c.code).unwrap_or(usize::MAX);
        pieces[column] = Piece::styled("┃", Style::new().fg(colour(w, k)));
    }
    pieces
}

/// A line drawn, with its graphemes' columns and code points (none for a header), for the mouse.
type Drawn = (Line<'static>, Vec<(u16, usize)>);

/// The lines of turn `i`: its header, then its text wrapped to `width`.
fn turn_lines(w: &Workbench, (columns, coders): (&[usize], &[&str]), i: usize, width: usize) -> Vec<Drawn> {
    let turn = &w.document.turns[i];
    let voice = w.voices.get(i).cloned().unwrap_or_default();
    let here = i == w.cursor;
    let margin = |span: Span| -> Vec<Piece<'static>> {
        let mut pieces = stripes(w, &w.codings, columns, span);
        if w.show_others {
            pieces.push(Piece::styled("│", Style::new().add_modifier(Modifier::DIM)));
            pieces.extend(by_coder(w, coders, span));
        }
        pieces.push(Piece::raw(" "));
        pieces
    };
    let mut lines = Vec::new();
    // Beside the header, the stripes of codings that run on from the turn before into this one.
    let before = if i > 0 { w.document.turns[i - 1].span.end } else { turn.span.start };
    let mut head = margin(Span { start: before, end: turn.span.start });
    head.pop();
    head.push(Piece::raw(" "));
    let id_style = if here {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::BOLD)
    };
    head.push(Piece::styled(format!("{}{}", if here { "▶" } else { " " }, w.document.turn_id(turn.number)), id_style));
    let voice_style =
        if voice.interviewer { Style::new().add_modifier(Modifier::ITALIC | Modifier::DIM) } else { Style::new() };
    head.push(Piece::styled(format!(" {}", voice.name), voice_style));
    if w.memos.get(i).copied().unwrap_or(false) {
        head.push(Piece::styled(" [memo]", Style::new().add_modifier(Modifier::DIM)));
    }
    lines.push((Line::from(head), Vec::new()));

    let (offset, text) = w.turn_text(i);
    let selected = w.selection.filter(|s| s.turn == i).and_then(|_| w.selected());
    let cursor_word = if here && selected.is_none() { w.turn_words(i).get(w.word).copied() } else { None };
    let chars: Vec<char> = text.chars().collect();
    for line in wrap(text, width) {
        let span = Span { start: offset + line.start, end: offset + line.end.max(line.start + 1) };
        let mut pieces = margin(span);
        pieces.push(Piece::raw(" ".repeat(INDENT)));
        let mut run = String::new();
        let mut style = Style::new();
        let line_text: String = chars[line.start..line.end].iter().collect();
        let mut at = offset + line.start;
        let mut cells = Vec::new();
        let mut column = 0u16;
        for g in line_text.graphemes(true) {
            cells.push((column, at));
            column = column.saturating_add(UnicodeWidthStr::width(g) as u16);
            let s = if selected.is_some_and(|s| s.contains(at)) {
                Style::new().add_modifier(Modifier::REVERSED)
            } else if cursor_word.is_some_and(|s| s.contains(at)) {
                Style::new().add_modifier(Modifier::UNDERLINED)
            } else {
                Style::new()
            };
            if s != style && !run.is_empty() {
                pieces.push(Piece::styled(std::mem::take(&mut run), style));
            }
            style = s;
            // Control characters (a tab, a stray carriage return) would move the terminal's cursor.
            if g.chars().any(char::is_control) {
                run.push(' ');
            } else {
                run.push_str(g);
            }
            at += g.chars().count();
        }
        if !run.is_empty() {
            pieces.push(Piece::styled(run, style));
        }
        lines.push((Line::from(pieces), cells));
    }
    lines
}

/// A box in the middle of `area`, at most `width` by `height`, cleared.
fn pane(frame: &mut Frame, area: Rect, width: u16, height: u16, title: String) -> Rect {
    let h = height.min(area.height);
    boxed(frame, area, width, (area.y + (area.height - h) / 2, h), title)
}

/// A box as [`pane`] makes, but above or below the cursor's turn, whichever has more room, so
/// the words being coded stay in sight; over the middle when neither side has `least` rows.
fn pane_beside_cursor(
    frame: &mut Frame,
    area: Rect,
    w: &Workbench,
    (width, height, least): (u16, u16, u16),
    title: String,
) -> Rect {
    let rows: Vec<u16> = w.screen.iter().filter(|l| l.turn == w.cursor).map(|l| l.y).collect();
    let (Some(&first), Some(&last)) = (rows.iter().min(), rows.iter().max()) else {
        return pane(frame, area, width, height, title);
    };
    // The turn's header line is the row before its first text line.
    let first = first.saturating_sub(1).max(area.y);
    let above = first - area.y;
    let below = (area.y + area.height).saturating_sub(last + 1);
    let (y, h) = if above >= below { (area.y, height.min(above)) } else { (last + 1, height.min(below)) };
    if h < least {
        return pane(frame, area, width, height, title);
    }
    let y = if above >= below { y + above - h } else { y };
    boxed(frame, area, width, (y, h), title)
}

/// A box of `width` centred across `area`, at rows `y..y + height`, cleared, with a border and a
/// title; what is inside the border.
fn boxed(frame: &mut Frame, area: Rect, width: u16, (y, height): (u16, u16), title: String) -> Rect {
    let w = width.min(area.width);
    let rect = Rect { x: area.x + (area.width - w) / 2, y, width: w, height };
    frame.render_widget(Clear, rect);
    let block = Block::new().borders(Borders::ALL).title(title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

fn help(frame: &mut Frame, area: Rect, scrolled: usize) {
    let all = KEYS.len();
    let fits = usize::from(area.height).saturating_sub(2) >= all;
    let title = if fits { " keys (any key closes) " } else { " keys (j/k scroll, any other key closes) " };
    let inner = pane(frame, area, 80, all as u16 + 2, title.into());
    // Scrolled no further than shows the last key at the bottom.
    let first = if fits { 0 } else { scrolled.min(all.saturating_sub(usize::from(inner.height))) };
    let lines: Vec<Line> =
        KEYS.iter().skip(first).map(|(key, what)| Line::from(format!("{key:>15}  {what}"))).collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn pick(frame: &mut Frame, area: Rect, w: &Workbench, picker: &Picker) {
    let what = match (&picker.only, w.selected()) {
        (Some(_), Some(span)) => format!("uncode the selection at {}", w.place(span)),
        (Some(_), None) => {
            format!("uncode {}", w.document.turns.get(w.cursor).map_or(String::new(), |t| w.document.turn_id(t.number)))
        }
        (None, Some(span)) => format!("code the selection at {}", w.place(span)),
        (None, None) => {
            format!("code {}", w.document.turns.get(w.cursor).map_or(String::new(), |t| w.document.turn_id(t.number)))
        }
    };
    let inner = pane_beside_cursor(frame, area, w, (70, 16, 5), format!(" {what} (Enter picks, Esc closes) "));
    let room = usize::from(inner.height).saturating_sub(1);
    let mut lines = vec![Line::from(format!("> {}▏", picker.filter))];
    // Keep the chosen row in view.
    let first = picker.chosen.saturating_sub(room.saturating_sub(1));
    for (row, &at) in picker.matches.iter().enumerate().skip(first).take(room) {
        let c = &w.codebook[at];
        // The tree while nothing is typed; then the matches, each with its place in the tree.
        let (indent, parents) = match c.path.rsplit_once(" / ") {
            _ if picker.filter.is_empty() => ("  ".repeat(c.depth), String::new()),
            Some((parents, _)) => (String::new(), format!("  ({parents})")),
            None => (String::new(), String::new()),
        };
        let text = format!("{:<9} {:>4}  {indent}{}{parents}", c.kind.name(), c.count, c.name);
        let style = if row == picker.chosen { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
        lines.push(Line::styled(text, style));
    }
    if picker.offers_new() && lines.len() <= room {
        let new = format!("+ {}", NewEntry::parse(&picker.filter).describe());
        let style = if picker.chosen == picker.matches.len() {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(new, style));
    } else if picker.matches.is_empty() {
        lines.push(Line::from("no entry matches"));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn memo(frame: &mut Frame, area: Rect, draft: &Draft) {
    let on = draft.on.split_once(':').map_or(draft.on.clone(), |(kind, what)| format!("{kind} {what}"));
    let inner = pane(frame, area, 70, 10, format!(" memo on {on} (Enter saves, Esc drops) "));
    let typed = Paragraph::new(format!("{}▏", draft.text)).wrap(Wrap { trim: false });
    frame.render_widget(typed, inner);
}

fn editing(frame: &mut Frame, area: Rect, w: &Workbench, (entry, edit): (usize, Edit), text: &str) {
    let name = w.codebook.get(entry).map_or("", |c| c.name.as_str());
    let title = match edit {
        Edit::Add => " new entry: `name`, `Parent / name`, `theme: name` (Enter adds, Esc back) ".to_owned(),
        Edit::Rename => format!(" rename “{name}” (Enter renames, Esc back) "),
        Edit::Move => format!(" put “{name}” under (an entry's name or id; nothing: the top level) "),
        Edit::Kind => format!(" kind of “{name}”: code, category, sub-theme or theme (Enter changes, Esc back) "),
    };
    let inner = pane(frame, area, 80, 3, title);
    frame.render_widget(Paragraph::new(format!("> {text}▏")), inner);
}

/// A list in a pane, `chosen` highlighted and kept in view; `empty` when there are no rows.
fn list(frame: &mut Frame, area: Rect, (width, title): (u16, String), rows: Vec<String>, chosen: usize, empty: &str) {
    let inner = pane(frame, area, width, rows.len().max(1) as u16 + 2, title);
    let room = usize::from(inner.height);
    let first = chosen.saturating_sub(room.saturating_sub(1));
    let lines: Vec<Line> = rows
        .into_iter()
        .enumerate()
        .skip(first)
        .take(room)
        .map(|(row, text)| {
            let style = if row == chosen { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
            Line::styled(text, style)
        })
        .collect();
    if lines.is_empty() {
        frame.render_widget(Paragraph::new(empty.to_owned()), inner);
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

fn found(frame: &mut Frame, area: Rect, query: &str, hits: &[crate::state::Found], chosen: usize) {
    let title = format!(" “{query}”: {} (Enter goes there, / searches again) ", hits.len());
    let rows = hits.iter().map(|h| format!("{:<10} {}", format!("{}:T{}", h.document, h.number), h.text)).collect();
    list(frame, area, (90, title), rows, chosen, "no turn matches");
}

fn documents(frame: &mut Frame, area: Rect, w: &Workbench, chosen: usize) {
    let title = " documents (Enter opens, Esc closes) ".to_owned();
    let rows = w
        .documents
        .iter()
        .map(|d| {
            let others: Vec<String> = d.others.iter().map(|(who, n)| format!("{who} {n}")).collect();
            let others = if others.is_empty() { String::new() } else { format!("  ({})", others.join(", ")) };
            format!("{:<12} {:>11}{others}  {}", d.id, format!("{}/{} coded", d.coded, d.turns), d.title)
        })
        .collect();
    list(frame, area, (90, title), rows, chosen, "no documents");
}

fn codebook(frame: &mut Frame, area: Rect, w: &Workbench, chosen: usize) {
    let title = format!(" codebook of {} (Enter: segments, a: add, r: rename, p: move, m: memo) ", w.coder);
    let rows = w
        .codebook
        .iter()
        .map(|c| format!("{:<9} {:>4}  {}{}", c.kind.name(), c.count, "  ".repeat(c.depth), c.name))
        .collect();
    list(frame, area, (90, title), rows, chosen, "the codebook is empty: `c` and a name make a code");
}

fn segments(frame: &mut Frame, area: Rect, w: &Workbench, entry: usize, chosen: usize) {
    let Some(code) = w.codebook.get(entry) else { return };
    let title = format!(" {} (Enter goes there, Esc back to the codebook) ", code.name);
    let rows = w
        .segments_of(&code.id)
        .map(|c| format!("{:<10} “{}”", c.document, c.quote.split_whitespace().collect::<Vec<_>>().join(" ")))
        .collect();
    list(frame, area, (90, title), rows, chosen, "none of your codings has it");
}

#[cfg(test)]
mod tests {
    use super::*;
    use thema_core::{Document, DocumentMeta};

    #[test]
    fn overlapping_codings_stand_side_by_side_and_keep_their_column() {
        let d = Document { meta: DocumentMeta::new("d", "interview"), text: "x".repeat(100), turns: vec![] };
        let at = |start, end| Coding::new(&d, Span { start, end }, "c", "hp", "t").unwrap();
        // 0..50 takes column 0; 10..20 and 30..60 overlap it: column 1 (10..20 ends before
        // 30); 40..45 overlaps both: column 2; 55..70 starts after 0..50 ends: column 0 again.
        let codings = [at(30, 60), at(0, 50), at(10, 20), at(40, 45), at(55, 70)];
        assert_eq!(columns(&codings), [1, 0, 1, 2, 0]);
        assert_eq!(columns(&[]), Vec::<usize>::new());
    }
}
