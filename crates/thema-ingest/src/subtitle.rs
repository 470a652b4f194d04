//! WebVTT, SRT and SBV captions (Zoom, Teams, Otter and YouTube exports).
//!
//! A caption file is a list of cues: a timing and a few lines of text. thema turns cues into
//! turns: the speaker comes from a WebVTT voice span (`<v Jane Doe>`, closed or not) or from a
//! `Name: text` label at the start of the cue (as Zoom writes it, also `>> Name:`), and
//! consecutive cues of one named speaker merge into one turn that keeps the first cue's start and
//! the last cue's end. Cues without a speaker stay one turn each. Styling tags (`<b>`, `<i>`,
//! `<c.colour>`, `<font>`, karaoke times, `{\an8}`) are removed and character references
//! (`&amp;`, `&#39;`) decoded. WebVTT `NOTE`, `STYLE` and `REGION` blocks and header metadata are
//! skipped.
//!
//! Damaged files lose no text: a cue whose timing cannot be read, or text with no timing line,
//! is kept as a turn without times and reported as a warning naming its line; a second timing
//! line inside a cue is dropped with a warning. A file is refused only when it has no cue with a
//! readable timing (it is probably not a caption file at all) or no text, or, for WebVTT, when
//! the `WEBVTT` header is missing.

use thema_core::Timestamp;

use crate::error::IngestError;
use crate::format::{is_sbv_timing, Format};
use crate::transcript::{Transcript, TranscriptBuilder, Warning};

/// A block of consecutive non-blank lines: (1-based line number, text).
type Block<'a> = Vec<(usize, &'a str)>;

fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push((i + 1, line));
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// A cue as read: where it starts, its times if readable, its text lines.
struct Cue<'a> {
    line: usize,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    text: Vec<&'a str>,
}

/// What reading the cues found, before turning them into turns.
#[derive(Default)]
struct Cues<'a> {
    cues: Vec<Cue<'a>>,
    warnings: Vec<Warning>,
    /// Whether any cue had a readable timing.
    timed: bool,
}

impl<'a> Cues<'a> {
    fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning { line: Some(line), message: message.into() });
    }

    fn untimed(&mut self, block: &[(usize, &'a str)], why: &str) {
        let line = block[0].0;
        self.warn(line, format!("{why}; its text is kept as a turn without times"));
        self.cues.push(Cue { line, start: None, end: None, text: block.iter().map(|(_, l)| *l).collect() });
    }
}

/// `start --> end [settings]` (WebVTT, SRT).
fn arrow_timing(line: &str) -> Option<(Timestamp, Timestamp)> {
    let (start, rest) = line.split_once("-->")?;
    let end = rest.split_whitespace().next()?;
    Some((Timestamp::parse(start.trim())?, Timestamp::parse(end)?))
}

/// Read the cues of blocks whose timing line uses an arrow, after an optional identifier line.
fn arrow_cues<'a>(blocks: &[Block<'a>], cues: &mut Cues<'a>, numbered: bool) {
    for block in blocks {
        let Some(at) = block.iter().take(2).position(|(_, l)| l.contains("-->")) else {
            let is_number = |line: &str| line.trim().bytes().all(|b| b.is_ascii_digit());
            match block.as_slice() {
                // A lone cue number with nothing after it is not text.
                [(_, only)] if is_number(only) => {}
                // An SRT cue number, then text: the number is not speech.
                [(_, first), rest @ ..] if numbered && is_number(first) => {
                    cues.untimed(rest, "text with no timing line")
                }
                _ => cues.untimed(block, "text with no timing line"),
            }
            continue;
        };
        let (line, timing) = block[at];
        if numbered && at == 1 && !block[0].1.trim().bytes().all(|b| b.is_ascii_digit()) {
            cues.warn(block[0].0, format!("expected a cue number, found `{}`", block[0].1.trim()));
        }
        let mut text = Vec::new();
        for (n, l) in &block[at + 1..] {
            if l.contains("-->") && arrow_timing(l).is_some() {
                cues.warn(*n, "a second timing line inside a cue was ignored (is a blank line missing?)");
            } else {
                text.push(*l);
            }
        }
        match arrow_timing(timing) {
            Some((start, end)) => {
                if end < start {
                    cues.warn(line, format!("the cue ends ({end}) before it starts ({start})"));
                }
                cues.timed = true;
                cues.cues.push(Cue { line, start: Some(start), end: Some(end), text });
            }
            None => {
                cues.warn(
                    line,
                    format!("cannot read the cue timing `{}`; its text is kept as a turn without times", timing.trim()),
                );
                cues.cues.push(Cue { line, start: None, end: None, text });
            }
        }
    }
}

/// Read WebVTT.
pub fn parse_vtt(text: &str) -> Result<Transcript, IngestError> {
    let first = text.split('\n').next().unwrap_or("");
    let header_ok = first
        .strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t'));
    if !header_ok {
        let hint = if arrow_timing(first).is_some() || first.trim().bytes().all(|b| b.is_ascii_digit()) {
            "; if it is SRT, import it with `--format srt`"
        } else {
            ""
        };
        return Err(IngestError::at(
            Format::Vtt,
            1,
            format!("missing the `WEBVTT` header that starts every WebVTT file{hint}"),
        ));
    }
    let all = blocks(text);
    let body: Vec<Block<'_>> = all
        .into_iter()
        .skip(1) // the header block: `WEBVTT` and its metadata lines
        .filter(|b| {
            let head = b[0].1.trim_end();
            let is = |word: &str| head == word || head.strip_prefix(word).is_some_and(|r| r.starts_with([' ', '\t']));
            !(is("NOTE") || is("STYLE") || is("REGION"))
        })
        .collect();
    let mut cues = Cues::default();
    arrow_cues(&body, &mut cues, false);
    finish(Format::Vtt, cues, true)
}

/// Read SRT.
pub fn parse_srt(text: &str) -> Result<Transcript, IngestError> {
    let mut cues = Cues::default();
    arrow_cues(&blocks(text), &mut cues, true);
    finish(Format::Srt, cues, false)
}

/// Read SBV (YouTube): `0:00:00.378,0:00:11.378` then the text.
pub fn parse_sbv(text: &str) -> Result<Transcript, IngestError> {
    let mut cues = Cues::default();
    for block in blocks(text) {
        let (line, timing) = block[0];
        let times = is_sbv_timing(timing.trim()).then(|| timing.trim().split_once(',')).flatten();
        match times.and_then(|(a, b)| Some((Timestamp::parse(a)?, Timestamp::parse(b)?))) {
            Some((start, end)) => {
                if end < start {
                    cues.warn(line, format!("the cue ends ({end}) before it starts ({start})"));
                }
                cues.timed = true;
                cues.cues.push(Cue {
                    line,
                    start: Some(start),
                    end: Some(end),
                    text: block[1..].iter().map(|(_, l)| *l).collect(),
                });
            }
            None if timing.contains(',') && timing.contains(':') && block.len() > 1 => {
                cues.warn(
                    line,
                    format!("cannot read the cue timing `{}`; its text is kept as a turn without times", timing.trim()),
                );
                cues.cues.push(Cue {
                    line,
                    start: None,
                    end: None,
                    text: block[1..].iter().map(|(_, l)| *l).collect(),
                });
            }
            None => cues.untimed(&block, "text with no timing line"),
        }
    }
    finish(Format::Sbv, cues, false)
}

/// Turn cues into a transcript, or refuse a file that is not captions.
fn finish(format: Format, cues: Cues<'_>, voices: bool) -> Result<Transcript, IngestError> {
    if !cues.timed {
        let line = cues.cues.first().map_or(1, |c| c.line);
        let message = if cues.cues.is_empty() {
            "the file has no captions".to_owned()
        } else {
            format!(
                "no cue has a timing thema can read, so this does not look like a {} file",
                format.name().to_uppercase()
            )
        };
        return Err(IngestError::at(format, line, message));
    }
    let mut builder = TranscriptBuilder::new();
    for cue in &cues.cues {
        for (speaker, speech) in speech_of(&cue.text, voices) {
            builder.push_cue(speaker.as_deref(), &speech, cue.start, cue.end);
        }
    }
    if builder.is_empty() {
        return Err(IngestError::format(format, "the captions have no text"));
    }
    let mut transcript = builder.finish();
    transcript.warnings = cues.warnings;
    Ok(transcript)
}

/// The speaker(s) and words of a cue's text lines. A WebVTT cue with several voice spans gives
/// one piece a voice.
fn speech_of(lines: &[&str], voices: bool) -> Vec<(Option<String>, String)> {
    let joined = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    if voices && joined.contains("<v") {
        let mut pieces = Vec::new();
        let mut rest = joined.as_str();
        // Text before the first voice span has no voice.
        if let Some(at) = find_voice(rest) {
            let before = clean(&rest[..at]);
            if !before.is_empty() {
                pieces.push((None, before));
            }
            rest = &rest[at..];
        }
        while let Some(after_tag) = rest.strip_prefix("<v") {
            let Some(close) = after_tag.find('>') else { break };
            let annotation = &after_tag[..close];
            // `<v Name>` or `<v.class Name>`: the name follows the first white space.
            let name = annotation.split_once(char::is_whitespace).map(|(_, n)| n.trim()).unwrap_or("");
            let body = &after_tag[close + 1..];
            let end = find_voice(body).unwrap_or(body.len());
            let words = clean(&body[..end]);
            let name = clean(name);
            if !words.is_empty() {
                pieces.push(((!name.is_empty()).then_some(name), words));
            }
            rest = &body[end..];
        }
        return pieces;
    }
    let words = clean(&joined);
    match inline_label(&words) {
        Some((label, speech)) => vec![(Some(label.to_owned()), speech.to_owned())],
        None if words.is_empty() => Vec::new(),
        None => vec![(None, words)],
    }
}

/// Position of the next voice span `<v ` or `<v.`.
fn find_voice(text: &str) -> Option<usize> {
    text.match_indices("<v").map(|(i, _)| i).find(|&i| matches!(text.as_bytes().get(i + 2), Some(b' ' | b'\t' | b'.')))
}

/// `Jane Doe: text`, `>> JANE: text`, `- Jane: text` at the start of a cue.
fn inline_label(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix(">>").map(str::trim_start).unwrap_or(text);
    let text = text.strip_prefix("- ").unwrap_or(text);
    let (label, speech) = text.split_once(':')?;
    let speech = speech.strip_prefix(' ')?.trim();
    let label = label.trim();
    let words = label.split_whitespace().count();
    let shaped = (1..=4).contains(&words)
        && label.chars().count() <= 40
        && label.starts_with(|c: char| c.is_alphabetic() && (c.is_uppercase() || !c.is_lowercase()))
        && label.chars().all(|c| c.is_alphanumeric() || " .'’-_".contains(c));
    (shaped && !speech.is_empty()).then_some((label, speech))
}

/// Remove markup and decode character references; fold white space.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '<' => match text[i..].find('>') {
                Some(close) => {
                    // Keep the text of ruby annotations and languages; drop the tags.
                    while chars.peek().is_some_and(|(j, _)| *j <= i + close) {
                        chars.next();
                    }
                }
                None => out.push(c),
            },
            '{' if text[i..].starts_with("{\\") => match text[i..].find('}') {
                Some(close) => {
                    while chars.peek().is_some_and(|(j, _)| *j <= i + close) {
                        chars.next();
                    }
                }
                None => out.push(c),
            },
            '&' => match decode_entity(&text[i..]) {
                Some((decoded, len)) => {
                    out.push_str(decoded.as_str());
                    while chars.peek().is_some_and(|(j, _)| *j < i + len) {
                        chars.next();
                    }
                }
                None => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A character reference at the start of `text`: the decoded text and the reference's length.
fn decode_entity(text: &str) -> Option<(String, usize)> {
    // Bytes, not a `str` slice: the twelfth byte may fall inside a character (found by fuzzing).
    let end = text.as_bytes()[..text.len().min(12)].iter().position(|&b| b == b';')?;
    let name = &text[1..end];
    let decoded = match name {
        "amp" => "&".to_owned(),
        "lt" => "<".to_owned(),
        "gt" => ">".to_owned(),
        "quot" => "\"".to_owned(),
        "apos" => "'".to_owned(),
        "nbsp" => " ".to_owned(),
        // Kept: right-to-left captions need them to show punctuation on the right side.
        "lrm" => "\u{200e}".to_owned(),
        "rlm" => "\u{200f}".to_owned(),
        _ => {
            let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => name.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')?.to_string()
        }
    };
    Some((decoded, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use thema_core::TextIndex;

    #[test]
    fn voices_merge_and_keep_times() {
        let t = parse_vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>first</v>\n\n00:00:02.000 --> 00:00:03.500\n<v Ann>second\n\n00:00:04.000 --> 00:00:05.000\n<v.loud Bob>hello &amp; bye\n").unwrap();
        assert_eq!(t.turn_texts(), [(Some("Ann"), "first second"), (Some("Bob"), "hello & bye")]);
        assert_eq!((t.turns[0].time_start, t.turns[0].time_end), (Some(Timestamp(1000)), Some(Timestamp(3500))));
    }

    #[test]
    fn zoom_labels_and_tags() {
        let t = parse_vtt("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nJane Doe: hi <b>there</b>\n\n2\n00:00:02.000 --> 00:00:03.000\nJane Doe: again&#39;s\n\n3\n00:00:03.000 --> 00:00:04.000\n<c.yellow>no speaker</c>\n").unwrap();
        assert_eq!(t.turn_texts(), [(Some("Jane Doe"), "hi there again's"), (None, "no speaker")]);
    }

    #[test]
    fn references_beside_wide_letters_and_bidirectional_marks() {
        // A `&` with accented letters in the next twelve bytes (found by fuzzing: it panicked),
        // and `&rlm;`/`&lrm;`, which right-to-left captions need, kept as the marks they stand for.
        let t = parse_vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v דנה>a &ééééééé; &rlm;שלום&lrm;!\n").unwrap();
        assert_eq!(t.turn_texts(), [(Some("דנה"), "a &ééééééé; \u{200f}שלום\u{200e}!")]);
    }

    #[test]
    fn damaged_cues_keep_their_text_with_a_warning() {
        let t = parse_vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\none\n\n00:00:0x --> 00:00:03.000\ntwo\n\nthree\n")
            .unwrap();
        assert_eq!(t.turn_texts(), [(None, "one"), (None, "two"), (None, "three")]);
        assert_eq!(t.turns[1].time_start, None);
        let lines: Vec<Option<usize>> = t.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(6), Some(9)]);
        assert!(t.warnings[0].message.starts_with("cannot read the cue timing `00:00:0x --> 00:00:03.000`"));
    }

    #[test]
    fn refusals() {
        let e = parse_vtt("00:00:01.000 --> 00:00:02.000\nhi\n").unwrap_err().to_string();
        assert_eq!(e, "line 1: missing the `WEBVTT` header that starts every WebVTT file; if it is SRT, import it with `--format srt`");
        assert_eq!(parse_vtt("WEBVTT\n").unwrap_err().to_string(), "line 1: the file has no captions");
        let e = parse_srt("some text\n").unwrap_err().to_string();
        assert_eq!(e, "line 1: no cue has a timing thema can read, so this does not look like a SRT file");
    }

    #[test]
    fn srt_and_sbv() {
        let t = parse_srt("1\n00:00:01,000 --> 00:00:02,000\n<font color=\"#fff\">{\\an8}>> ANA: Hola</font>\n\n2\n00:00:02,500 --> 00:00:03,000\n[music]\n").unwrap();
        assert_eq!(t.turn_texts(), [(Some("ANA"), "Hola"), (None, "[music]")]);
        let t = parse_sbv("0:00:00.378,0:00:11.378\nline one\nline two\n\n0:00:11.378,0:00:12.305\nnext\n").unwrap();
        assert_eq!(t.turn_texts(), [(None, "line one line two"), (None, "next")]);
        assert_eq!(t.turns[0].time_end, Some(Timestamp(11_378)));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_captions_never_panic_and_spans_fit(body in "[a-zA-Z0-9 :.,>\\-<v/&#;{}\n]{0,300}") {
            let results = [parse_vtt(&format!("WEBVTT\n\n{body}")), parse_srt(&body), parse_sbv(&body)];
            for t in results.iter().flatten() {
                let index = TextIndex::new(&t.text);
                for turn in &t.turns {
                    proptest::prop_assert!(index.check(turn.span).is_ok());
                }
            }
        }
    }

    #[test]
    fn many_cues_are_linear() {
        let mut vtt = String::from("WEBVTT\n\n");
        for i in 0..50_000u64 {
            let (a, b) = (Timestamp(i * 1000), Timestamp(i * 1000 + 900));
            vtt.push_str(&format!("{a} --> {b}\n<v Speaker {}>words {i}\n\n", i % 3));
        }
        let started = std::time::Instant::now();
        let t = parse_vtt(&vtt).unwrap();
        assert_eq!(t.turns.len(), 50_000);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}
