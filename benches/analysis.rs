//! Co-occurrence and intercoder agreement over 1,000,000 codings: 200 documents of 1,000 turns,
//! 50 codes, two coders coding 500,000 passages each (a second coder agreeing on most of them),
//! built in memory; timed from the codings to the statistics.
//!
//! Run: `cargo bench -p thema-benches --bench analysis`.

use criterion::{criterion_group, criterion_main, Criterion};
use thema_analysis::agreement::{self, Level};
use thema_analysis::coded::{self, UnitKind};
use thema_analysis::cooccur::{self, Layout, Segment, Within};
use thema_benches::Rng;
use thema_core::{Coding, Document, DocumentMeta, Span, Turn};

const DOCUMENTS: usize = 200;
const TURNS: usize = 1_000;
const TURN_CHARS: usize = 100;
const CODES: usize = 50;
const PER_CODER: usize = 500_000;

fn study() -> (Vec<Document>, Vec<Coding>) {
    let mut rng = Rng(0xa11c_e5ee_d000_0001);
    let turn_text = "x".repeat(TURN_CHARS - 2) + "\n\n";
    let documents: Vec<Document> = (0..DOCUMENTS)
        .map(|d| Document {
            meta: DocumentMeta::new(&format!("d{d:03}"), "interview"),
            text: turn_text.repeat(TURNS),
            turns: (0..TURNS)
                .map(|t| Turn {
                    number: t as u32 + 1,
                    speaker: Some("P".into()),
                    span: Span { start: t * TURN_CHARS, end: t * TURN_CHARS + TURN_CHARS - 2 },
                    time_start: None,
                    time_end: None,
                })
                .collect(),
        })
        .collect();
    let mut codings = Vec::with_capacity(2 * PER_CODER);
    for _ in 0..PER_CODER {
        let d = rng.below(DOCUMENTS);
        let start = rng.below(TURNS * TURN_CHARS - 300);
        let end = start + 20 + rng.below(200);
        let code = format!("c{:02}", rng.below(CODES));
        let mk = |coder: &str, code: &str, start: usize, end: usize| Coding {
            document: documents[d].meta.id.clone(),
            start,
            end,
            quote: String::new(),
            before: String::new(),
            after: String::new(),
            code: code.to_owned(),
            coder: coder.to_owned(),
            time: String::new(),
            memo: String::new(),
            unplaced: false,
            exemplar: false,
        };
        codings.push(mk("a", &code, start, end));
        // The second coder: the same passage and code 80% of the time, another code otherwise.
        let other = if rng.below(10) < 8 { code.clone() } else { format!("c{:02}", rng.below(CODES)) };
        codings.push(mk("b", &other, start + rng.below(10), end));
    }
    (documents, codings)
}

fn bench(c: &mut Criterion) {
    let (documents, codings) = study();
    let coders = vec!["a".to_owned(), "b".to_owned()];
    let mut group = c.benchmark_group("analysis/1m-codings");
    group.sample_size(10);
    group.bench_function("agreement (turn units, pooled alpha)", |b| {
        b.iter(|| {
            let units = coded::coded_units(&documents, &codings, &coders, UnitKind::Turn);
            agreement::krippendorff_alpha(&units.ratings(None).unwrap(), Level::Nominal).unwrap().unwrap()
        })
    });
    let layouts: Vec<Layout> = documents
        .iter()
        .map(|d| Layout {
            document: d.meta.id.clone(),
            length: d.text.chars().count(),
            turns: d.turns.iter().map(|t| (t.span.start, t.span.end)).collect(),
        })
        .collect();
    let codes: Vec<String> = (0..CODES).map(|k| format!("c{k:02}")).collect();
    group.bench_function("co-occurrence (same turn)", |b| {
        b.iter(|| {
            let segments: Vec<Segment> = codings
                .iter()
                .map(|c| Segment { document: &c.document, start: c.start, end: c.end, code: &c.code, coder: &c.coder })
                .collect();
            let units = cooccur::units(&layouts, &segments, Within::Turn);
            cooccur::pairs(&units, &codes).1.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
