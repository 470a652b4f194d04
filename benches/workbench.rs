//! The workbench's redraw on a long transcript: a 5,000-turn document (turns of 10 to 120 words,
//! a quarter of them coded, some codings over several turns, a second coder's codings beside),
//! opened, then scrolled from the first turn to the last one key at a time, each frame drawn on
//! ratatui's `TestBackend` at 120 x 40; then jumps to the end and back, and the other coder's
//! stripes shown. Prints the time to open and the median, 99th percentile and slowest frame; the
//! issue's target is every frame under 16 ms.
//!
//! `cargo bench -p thema-benches --bench workbench`

use std::time::{Duration, Instant};

use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::Terminal;
use thema_core::{Coding, Document, DocumentMeta, EntryKind, Span, Turn};
use thema_workbench::render;
use thema_workbench::state::{Choice, Voice, Workbench};

const TURNS: usize = 5_000;

const WORDS: [&str; 16] = [
    "support", "the", "peer", "mentor", "helped", "me", "find", "housing", "after", "release", "and", "I", "trusted",
    "her", "because", "she",
];

/// The document, its codings by `hp` and by `mk`, and a codebook of twelve codes.
fn study() -> (Document, Vec<Coding>, Vec<Coding>, Vec<Choice>) {
    let mut text = String::new();
    let mut turns = Vec::with_capacity(TURNS);
    let mut at = 0;
    for i in 0..TURNS {
        let speaker = if i % 2 == 0 { "I" } else { "P1" };
        let words = 10 + (i * 37) % 111;
        let said: Vec<&str> = (0..words).map(|w| WORDS[(i + w * 7) % WORDS.len()]).collect();
        let line = format!("{speaker}: {}.\n\n", said.join(" "));
        let start = at + speaker.len() + 2;
        let end = start + said.join(" ").chars().count() + 1;
        turns.push(Turn {
            number: i as u32 + 1,
            speaker: Some(speaker.into()),
            span: Span { start, end },
            time_start: None,
            time_end: None,
        });
        at += line.chars().count();
        text.push_str(&line);
    }
    let document = Document { meta: DocumentMeta::new("long", "interview"), text, turns };
    let code = |k: usize| format!("code-{}", k % 12);
    let mut hp = Vec::new();
    let mut mk = Vec::new();
    for i in (0..TURNS).step_by(4) {
        let t = document.turns[i].span;
        // Every eighth coding runs on over the next two turns.
        let end = if i % 32 == 0 { document.turns[(i + 2).min(TURNS - 1)].span.end } else { t.end };
        hp.push(Coding::new(&document, Span { start: t.start, end }, &code(i), "hp", "t").unwrap());
        mk.push(Coding::new(&document, Span { start: t.start, end: t.start + 5 }, &code(i + 1), "mk", "t").unwrap());
    }
    let codebook = (0..12)
        .map(|k| Choice {
            id: code(k),
            name: format!("code {k}"),
            path: format!("code {k}"),
            depth: 0,
            kind: EntryKind::Code,
            count: 0,
            colour: None,
        })
        .collect();
    (document, hp, mk, codebook)
}

fn frames(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let median = times[times.len() / 2];
    let p99 = times[times.len() * 99 / 100];
    let max = *times.last().unwrap();
    println!(
        "{label:<40} {:>6} frames   median {:>6.2} ms   p99 {:>6.2} ms   slowest {:>6.2} ms",
        times.len(),
        ms(median),
        ms(p99),
        ms(max)
    );
}

fn main() {
    let (document, hp, mk, codebook) = study();
    let voices = document
        .turns
        .iter()
        .map(|t| Voice { name: t.speaker.clone().unwrap_or_default(), interviewer: t.speaker.as_deref() == Some("I") })
        .collect();
    let started = Instant::now();
    let mut w = Workbench::new("hp".into(), document, voices, hp, codebook, Vec::new());
    w.others = mk;
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|frame| render::draw(frame, &mut w)).unwrap();
    println!(
        "open a {TURNS}-turn document ({:.1} MB) and draw the first frame: {:.1} ms",
        w.document.text.len() as f64 / 1e6,
        started.elapsed().as_secs_f64() * 1e3
    );

    let mut draw = |w: &mut Workbench, keys: &[KeyCode]| {
        let started = Instant::now();
        for &k in keys {
            w.key(KeyEvent::from(k));
        }
        terminal.draw(|frame| render::draw(frame, w)).unwrap();
        started.elapsed()
    };
    let down: Vec<Duration> = (1..TURNS).map(|_| draw(&mut w, &[KeyCode::Char('j')])).collect();
    assert_eq!(w.cursor, TURNS - 1, "scrolled to the last turn");
    frames("j, top to bottom, one turn a frame", down);
    let jumps: Vec<Duration> =
        (0..50).flat_map(|_| [draw(&mut w, &[KeyCode::Char('g')]), draw(&mut w, &[KeyCode::Char('G')])]).collect();
    frames("g and G, first turn to last and back", jumps);
    draw(&mut w, &[KeyCode::Char('g'), KeyCode::Char('o')]);
    let others: Vec<Duration> = (1..TURNS).map(|_| draw(&mut w, &[KeyCode::Char('j')])).collect();
    frames("j with the other coder's stripes", others);
    let selecting: Vec<Duration> = (0..2_000)
        .map(|i| draw(&mut w, &[if i % 40 == 0 { KeyCode::Char('v') } else { KeyCode::Char('l') }]))
        .collect();
    frames("v and l, a selection growing by words", selecting);
}
