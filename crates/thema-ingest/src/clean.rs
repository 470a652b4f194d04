//! Clean-up of transcripts exported to PDF or text by QDA programs and transcription services:
//! always applied to PDF, and to text and Markdown with `thema import --clean`.
//!
//! What such exports add to the transcript, and what is done about it, in this order:
//! 1. **Page furniture** (PDF pages, separated by form feeds): page numbers ("3", "3/12",
//!    "Page 3 of 12", "- 3 -") among the first or last two lines of a page, and running headers
//!    and footers: a first or last line that recurs, numbers aside, on at least half of the pages
//!    (and at least two). Removed.
//! 2. **Lines repeated across a page break**: the first line of a page equal to the last line of
//!    the page before. The repeat is removed.
//! 3. **Paragraph numbers** (MAXQDA numbers every paragraph): numbers alone on a line, or at the
//!    start of a line before a tab or a space, when they count up 1, 2, 3 through the file (at
//!    least three of them, and four in five of the lines that start with a number). Removed, and
//!    the lines they stood alone on.
//! 4. **Words hyphenated at a line end**: a letter and a hyphen at the end of a line, a lowercase
//!    letter starting the next. Joined without the hyphen.
//! 5. **Hard line wraps inside a paragraph**: a line followed by a non-blank line that does not
//!    start with a speaker label (nor a Markdown heading or list item). Joined with a space.
//!    Where the lines are wrapped to a width (the longest quarter at least 40 characters), a line
//!    that stops well short of it (under four fifths) ends its paragraph instead, as the last
//!    line of a paragraph does; a blank line is put after it, as the paragraph had in the
//!    source.
//!
//! Blank lines stay, so paragraphs stay apart. The [`CleanReport`] counts each kind of change for
//! the import report; the file's hash is of the original bytes, as for every import.

use std::collections::{BTreeMap, BTreeSet};

use crate::text;
pub use crate::transcript::CleanReport;

/// `text` (normalised: LF line ends; pages separated by form feeds where there are pages)
/// cleaned as the module describes; `markdown` tells how to recognise speaker labels.
pub fn clean(text: &str, markdown: bool) -> (String, CleanReport) {
    let mut report = CleanReport::default();
    let pages: Vec<Vec<&str>> =
        text.split('\u{c}').map(|page| page.strip_suffix('\n').unwrap_or(page).split('\n').collect()).collect();
    let paged = text.contains('\u{c}');
    let pages = remove_page_furniture(pages, paged, &mut report);
    let mut lines: Vec<String> = Vec::new();
    for page in pages {
        // Blank lines at a page's edges are layout (before a footer, after a header), not a
        // paragraph break: a sentence may run on over the page break.
        let first = page.iter().position(|l| !l.trim().is_empty()).unwrap_or(page.len());
        let last = page.iter().rposition(|l| !l.trim().is_empty()).map_or(first, |i| i + 1);
        lines.extend(page[first..last].iter().map(|l| (*l).to_owned()));
    }
    remove_paragraph_numbers(&mut lines, &mut report);
    let lines = join_lines(lines, markdown, &mut report);
    let mut out = lines.join("\n");
    // Blank lines the removals left at either end.
    let trimmed_end = out.trim_end_matches(['\n', ' ', '\t']).len();
    out.truncate(trimmed_end);
    let start = out.len() - out.trim_start_matches(['\n', ' ', '\t']).len();
    out.drain(..start);
    if !out.is_empty() {
        out.push('\n');
    }
    (out, report)
}

/// A line that is only a page number: "3", "3/12", "3 / 12", "Page 3", "Page 3 of 12",
/// "- 3 -", "[3]".
fn is_page_number(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    if l.is_empty() {
        return false;
    }
    let l = l.strip_prefix("page").or_else(|| l.strip_prefix("seite")).map_or(l.as_str(), str::trim_start);
    let l = l.trim_matches(|c: char| matches!(c, '-' | '–' | '—' | '[' | ']' | '(' | ')' | ' '));
    let mut parts = l.splitn(2, '/').map(str::trim).collect::<Vec<_>>();
    if parts.len() == 1 {
        if let Some((a, b)) = l.split_once(" of ") {
            parts = vec![a.trim(), b.trim()];
        }
    }
    !parts.is_empty() && parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A line with its digits masked, so that "Transcript 3 – page 2" and "Transcript 3 – page 3"
/// count as the same running header.
fn shape(line: &str) -> String {
    line.trim().chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect()
}

/// Indices of the first (or last) `n` non-blank lines of a page.
fn edge_lines(page: &[&str], n: usize, from_end: bool) -> Vec<usize> {
    let indices: Box<dyn Iterator<Item = usize>> =
        if from_end { Box::new((0..page.len()).rev()) } else { Box::new(0..page.len()) };
    indices.filter(|&i| !page[i].trim().is_empty()).take(n).collect()
}

/// `paged`: the text came in pages (form feeds, as pdftotext writes them), so even a single page
/// has edges where a page number may stand.
fn remove_page_furniture<'a>(mut pages: Vec<Vec<&'a str>>, paged: bool, report: &mut CleanReport) -> Vec<Vec<&'a str>> {
    // pdftotext ends the last page with a form feed too: an empty last page is no page.
    if pages.len() > 1 && pages.last().is_some_and(|p| p.iter().all(|l| l.trim().is_empty())) {
        pages.pop();
    }
    if pages.len() < 2 {
        if paged {
            for page in &mut pages {
                let numbers: BTreeSet<usize> = [false, true]
                    .into_iter()
                    .flat_map(|from_end| edge_lines(page, 2, from_end))
                    .filter(|&i| is_page_number(page[i]))
                    .collect();
                report.page_lines += numbers.len();
                let mut i = 0;
                page.retain(|_| {
                    i += 1;
                    !numbers.contains(&(i - 1))
                });
            }
        }
        return pages;
    }
    // Running headers and footers: a first or last line that recurs, numbers aside, on at least
    // half of the pages and on two at least.
    let mut counts: BTreeMap<(bool, String), usize> = BTreeMap::new();
    for page in &pages {
        for from_end in [false, true] {
            if let Some(&i) = edge_lines(page, 1, from_end).first() {
                *counts.entry((from_end, shape(page[i]))).or_default() += 1;
            }
        }
    }
    let needed = pages.len().div_ceil(2).max(2);
    let running: BTreeSet<(bool, String)> =
        counts.into_iter().filter(|(_, n)| *n >= needed).map(|(key, _)| key).collect();
    for page in &mut pages {
        let mut drop = BTreeSet::new();
        for from_end in [false, true] {
            for i in edge_lines(page, 2, from_end) {
                if is_page_number(page[i]) || running.contains(&(from_end, shape(page[i]))) {
                    drop.insert(i);
                }
            }
        }
        report.page_lines += drop.len();
        let mut i = 0;
        page.retain(|_| {
            i += 1;
            !drop.contains(&(i - 1))
        });
    }
    // A page that starts with the line the page before ended with.
    for p in 1..pages.len() {
        let last = edge_lines(&pages[p - 1], 1, true).first().map(|&i| pages[p - 1][i].trim().to_owned());
        let first = edge_lines(&pages[p], 1, false).first().copied();
        if let (Some(last), Some(first)) = (last, first) {
            if last.chars().count() >= 8 && pages[p][first].trim() == last {
                pages[p].remove(first);
                report.repeated_lines += 1;
            }
        }
    }
    pages
}

/// The number a line starts with, and the byte length of the number and the white space after
/// it: "12" alone, "12\tInterviewer: ..." (MAXQDA's text export), "12 Interviewer: ..." (its
/// PDF, where the tab becomes a space).
fn leading_number(line: &str) -> Option<(u64, usize)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 5 {
        return None;
    }
    let number: u64 = line[..digits].parse().ok()?;
    let rest = &line[digits..];
    if rest.trim().is_empty() {
        return Some((number, line.len()));
    }
    let space = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    (space > 0).then_some((number, digits + space))
}

/// Paragraph numbers count 1, 2, 3 through a file; numbers in speech ("3 children") do not. The
/// numbers taken are the run that counts up by one from the first two consecutive ones, and only
/// when that run has three numbers at least and four in five of the numbered lines after its
/// start.
fn remove_paragraph_numbers(lines: &mut Vec<String>, report: &mut CleanReport) {
    let numbered: Vec<(usize, u64, usize)> =
        lines.iter().enumerate().filter_map(|(i, l)| leading_number(l).map(|(n, len)| (i, n, len))).collect();
    let Some(start) = numbered.windows(2).position(|w| w[1].1 == w[0].1 + 1) else {
        return;
    };
    let mut expected = numbered[start].1;
    let mut run = Vec::new();
    for &(i, n, len) in &numbered[start..] {
        if n == expected {
            run.push((i, len));
            expected += 1;
        }
    }
    if run.len() < 3 || run.len() * 5 < (numbered.len() - start) * 4 {
        return;
    }
    let mut remove = Vec::new();
    for (i, len) in run {
        let rest = lines[i][len..].to_owned();
        if rest.trim().is_empty() {
            remove.push(i);
        } else {
            lines[i] = rest;
        }
        report.paragraph_numbers += 1;
    }
    for i in remove.into_iter().rev() {
        lines.remove(i);
    }
}

/// Whether a line starts something of its own: a speaker label, a Markdown heading or list
/// item, a timestamp in brackets.
fn starts_anew(line: &str, markdown: bool) -> bool {
    let t = line.trim_start();
    text::starts_with_label(line, markdown)
        || (markdown && (t.starts_with('#') || t.starts_with("- ") || t.starts_with("* ")))
        || t.starts_with('[') && t[1..].chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// The width the lines are wrapped to, in characters: the shortest of the longest quarter of the
/// non-blank lines, or `None` when that is under 40 (lines that short are not wrapped prose).
fn wrap_width(lines: &[String]) -> Option<usize> {
    let mut widths: Vec<usize> =
        lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.trim_end().chars().count()).collect();
    if widths.len() < 4 {
        return None;
    }
    widths.sort_unstable();
    let width = widths[widths.len() * 3 / 4];
    (width >= 40).then_some(width)
}

fn join_lines(lines: Vec<String>, markdown: bool, report: &mut CleanReport) -> Vec<String> {
    let width = wrap_width(&lines);
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut open = false; // whether the last line of `out` is a paragraph that may continue
    let mut short = false; // whether the line before stopped well short of the wrap width
    for line in lines {
        if line.trim().is_empty() {
            out.push(String::new());
            open = false;
            continue;
        }
        let starts = starts_anew(&line, markdown);
        if open && short && !starts {
            // The line before ended its paragraph: keep this one apart, as the source did.
            out.push(String::new());
            open = false;
        }
        short = width.is_some_and(|w| line.trim_end().chars().count() * 5 < w * 4);
        if open && !starts {
            let last = out.last_mut().expect("an open paragraph has a line");
            let next = line.trim();
            let hyphenated = last.ends_with('-')
                && last[..last.len() - 1].chars().next_back().is_some_and(char::is_alphabetic)
                && next.chars().next().is_some_and(char::is_lowercase);
            if hyphenated {
                last.pop();
                report.hyphenations += 1;
            } else {
                let kept = last.trim_end().len();
                last.truncate(kept);
                last.push(' ');
                report.joined_lines += 1;
            }
            last.push_str(next);
            continue;
        }
        out.push(line.trim_end().to_owned());
        open = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_headers_and_repeats_go() {
        let text = "Study X – interview 4\nInterviewer: How did it start?\nAnna: It started in the\nspring of that year.\n\n1/3\n\u{c}\
                    Study X – interview 4\nspring of that year.\nAnna: We met weekly.\n2/3\n\u{c}\
                    Study X – interview 4\nInterviewer: Thank you.\nPage 3 of 3\n\u{c}";
        let (out, report) = clean(text, false);
        assert_eq!(
            out,
            "Interviewer: How did it start?\nAnna: It started in the spring of that year.\nAnna: We met weekly.\n\
             Interviewer: Thank you.\n"
        );
        // Three headers and three page numbers; "spring of that year." repeated atop page 2.
        assert_eq!(report.page_lines, 6);
        assert_eq!(report.repeated_lines, 1);
        assert_eq!(report.joined_lines, 1);
    }

    #[test]
    fn a_single_page_loses_its_page_number_but_text_without_pages_keeps_its_numbers() {
        let text = "Interviewer: One?\nAnna: Two.\nPage 1 of 1\n\u{c}";
        let (out, report) = clean(text, false);
        assert_eq!(out, "Interviewer: One?\nAnna: Two.\n");
        assert_eq!(report.page_lines, 1);
        // Without form feeds there are no pages: a last line "12" is not a page number (it is one
        // number, so not paragraph numbering either, and joins its line as a wrap would).
        let (out, report) = clean("Interviewer: One?\nAnna: Two.\n12\n", false);
        assert_eq!((out.as_str(), report.page_lines), ("Interviewer: One?\nAnna: Two. 12\n", 0));
    }

    #[test]
    fn a_line_on_one_page_only_is_not_a_header() {
        let text = "Interviewer: One.\nAnna: Two.\n\u{c}Interviewer: Three.\nAnna: Four.\n";
        let (out, report) = clean(text, false);
        assert_eq!(out, "Interviewer: One.\nAnna: Two.\nInterviewer: Three.\nAnna: Four.\n");
        assert!(report.is_empty(), "{report:?}");
    }

    #[test]
    fn maxqda_paragraph_numbers_go_alone_or_at_line_start() {
        let text = "1\tInterviewer: Where do you live?\n2\tP03: In the north, for\nabout ten years.\n3\n\n4\tInterviewer: Why?\n";
        let (out, report) = clean(text, false);
        assert_eq!(
            out,
            "Interviewer: Where do you live?\nP03: In the north, for about ten years.\n\nInterviewer: Why?\n"
        );
        assert_eq!(report.paragraph_numbers, 4);
        assert_eq!(report.joined_lines, 1);
    }

    #[test]
    fn numbers_in_speech_stay() {
        // Numbers that do not count up through the file are speech.
        let text =
            "Anna: We had\n3 children then.\nBen: 2  or 3?\nAnna: 3  I think, maybe 2.\nBen: 1  more question.\n\
                    4 of them, 5 of us.\n";
        let (out, report) = clean(text, false);
        assert_eq!(report.paragraph_numbers, 0, "{out}");
        assert!(out.starts_with("Anna: We had 3 children then.\n"), "{out}");
    }

    #[test]
    fn paragraph_numbers_before_one_space_go_when_they_count_up() {
        // MAXQDA's PDF: the tab after the number prints as a space; "2 years" is speech.
        let text = "1 Interviewer: How long?\n2 Ben: About\n2 years, I think.\n3 Interviewer: And then?\n4 Ben: Then I left.\n";
        let (out, report) = clean(text, false);
        assert_eq!(
            out,
            "Interviewer: How long?\nBen: About 2 years, I think.\nInterviewer: And then?\nBen: Then I left.\n"
        );
        assert_eq!(report.paragraph_numbers, 4);
    }

    #[test]
    fn hyphenated_words_join_and_compounds_before_capitals_keep_their_hyphen() {
        let text = "Anna: It was a diffi-\ncult time, in the post-\nWar years.\n";
        let (out, report) = clean(text, false);
        assert_eq!(out, "Anna: It was a difficult time, in the post- War years.\n");
        assert_eq!(report.hyphenations, 1);
        assert_eq!(report.joined_lines, 1);
    }

    #[test]
    fn blank_lines_and_labels_keep_turns_apart() {
        let text = "Interviewer: First question\ngoes on here.\n\nI know what it's like.\nBen: Yes.\n";
        let (out, report) = clean(text, false);
        assert_eq!(out, "Interviewer: First question goes on here.\n\nI know what it's like.\nBen: Yes.\n");
        assert_eq!(report.joined_lines, 1);
        assert_eq!(report.to_string(), "joined 1 wrapped line", "the report names what changed");
    }

    #[test]
    fn a_short_line_ends_its_paragraph_where_lines_are_wrapped() {
        // Wrapped at about 60 characters; the second paragraph has no label and no blank line
        // before it, as pdftotext writes paragraphs.
        let text = "Yelena: I want to give people the extra hand because I have\n\
                    been there and I know how the system can be, all of it, and\n\
                    I know because I dug myself up from the street.\n\
                    I know what it is like.\n\
                    Facilitator: How do you build trust with someone who has just\n\
                    been released?\n";
        let (out, report) = clean(text, false);
        assert_eq!(
            out,
            "Yelena: I want to give people the extra hand because I have been there and I know how the \
             system can be, all of it, and I know because I dug myself up from the street.\n\n\
             I know what it is like.\n\
             Facilitator: How do you build trust with someone who has just been released?\n"
        );
        assert_eq!(report.joined_lines, 3);
    }

    #[test]
    fn the_report_reads_as_a_sentence() {
        let report =
            CleanReport { page_lines: 4, repeated_lines: 1, paragraph_numbers: 12, hyphenations: 2, joined_lines: 30 };
        assert_eq!(
            report.to_string(),
            "removed 12 paragraph numbers, 4 page numbers, headers and footers, 1 line repeated across a page break; \
             joined 2 words hyphenated at a line end and 30 wrapped lines"
        );
        assert_eq!(CleanReport::default().to_string(), "nothing to clean");
    }
}
