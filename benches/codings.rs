//! Loading codings: a study with 200,000 codings (200 documents of 1,000 codings each, with
//! quotes of 5 to 30 words and their context), read from disk as `thema` commands do.
//!
//! Run: `cargo bench -p thema-benches --bench codings`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use thema_core::{Coding, Document, DocumentMeta, Span, Study, Turn};

const DOCUMENTS: usize = 200;
const CODINGS_PER_DOCUMENT: usize = 1_000;

/// Deterministic pseudo-random numbers (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

const WORDS: &[&str] = &[
    "the",
    "people",
    "support",
    "release",
    "hope",
    "way",
    "out",
    "friend",
    "honest",
    "court",
    "housing",
    "peer",
    "mentor",
    "experience",
    "shared",
    "trust",
    "services",
    "family",
    "prison",
    "community",
    "time",
    "help",
];

fn build(root: &std::path::Path) -> usize {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut study = Study::init(root, "bench").unwrap();
    let mut codebook = study.load_codebook().unwrap();
    for i in 0..300 {
        let entry = thema_core::CodebookEntry { id: format!("c{i}"), name: format!("code {i}"), ..Default::default() };
        codebook.add(entry).unwrap();
    }
    study.save_codebook(&codebook).unwrap();
    let mut documents = Vec::new();
    let mut codings = Vec::new();
    for d in 0..DOCUMENTS {
        let mut text = String::new();
        let mut turns = Vec::new();
        for t in 0..200 {
            text.push_str(if t % 2 == 0 { "Interviewer: " } else { "Participant: " });
            let start = text.chars().count();
            for _ in 0..60 {
                text.push_str(WORDS[(rng.next() % WORDS.len() as u64) as usize]);
                text.push(' ');
            }
            let end = text.chars().count() - 1;
            text.push_str("\n\n");
            let speaker = if t % 2 == 0 { "Interviewer" } else { "Participant" };
            turns.push(Turn {
                number: t + 1,
                speaker: Some(speaker.into()),
                span: Span { start, end },
                time_start: None,
                time_end: None,
            });
        }
        let meta = DocumentMeta {
            id: format!("d{d:03}"),
            title: format!("Interview {d}"),
            kind: "interview".into(),
            date: None,
            wave: None,
            sequence: d as u32 + 1,
            source: None,
            attributes: Default::default(),
            speakers: vec![
                thema_core::Speaker { label: "Interviewer".into(), participant: None, interviewer: true },
                thema_core::Speaker { label: "Participant".into(), participant: None, interviewer: false },
            ],
        };
        let document = Document { meta, text, turns };
        for _ in 0..CODINGS_PER_DOCUMENT {
            let turn = &document.turns[(rng.next() % 200) as usize];
            let len = 20 + (rng.next() % 150) as usize;
            let start = turn.span.start + (rng.next() as usize % (turn.span.len() - len));
            let code = format!("c{}", rng.next() % 300);
            let coder = if rng.next().is_multiple_of(2) { "hp" } else { "mk" };
            codings.push(
                Coding::new(&document, Span { start, end: start + len }, &code, coder, "2026-11-23T04:00:00Z").unwrap(),
            );
        }
        documents.push(document);
    }
    study.add_documents(&documents).unwrap();
    for coder in ["hp", "mk"] {
        let mine: Vec<Coding> = codings.iter().filter(|c| c.coder == coder).cloned().collect();
        study.save_coder_codings(coder, &mine).unwrap();
    }
    study.load_codings().unwrap().len()
}

fn load(c: &mut Criterion) {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let count = build(dir.path());
    let bytes: u64 = ["hp", "mk"]
        .iter()
        .map(|c| std::fs::metadata(dir.path().join(format!("codings/{c}.jsonl"))).unwrap().len())
        .sum();
    eprintln!("study: {DOCUMENTS} documents, {count} codings, {bytes} bytes of codings");
    let mut group = c.benchmark_group("codings");
    group.sample_size(10);
    group.throughput(Throughput::Elements(count as u64));
    group.bench_function("open+load 200k", |b| {
        b.iter(|| {
            let study = Study::open(dir.path()).unwrap();
            let codebook = study.load_codebook().unwrap();
            (study.load_codings().unwrap().len(), codebook.entries.len())
        })
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
