//! Search: building the index of the AMI + ICSI meetings, and the median latency of a phrase
//! query, a boolean query with two filters and keyword in context, over the meetings and over a
//! generated study of 1,000,000 turns; ripgrep finding the same phrase in the same text (the
//! studies' `text.txt` files) and the `thema search` command, both as processes, in the same run.
//!
//! Run: `cargo build --release && cargo bench -p thema-benches --bench search`. The generated
//! study and its index are kept in the target folder between runs (`bench-data/`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use thema_core::Study;
use thema_ingest::into_study::{DocumentOptions, Importer};
use thema_ingest::Options;
use thema_search::{Filters, HitOrder, Request, SearchIndex, Where};

/// The meetings imported into a study in the target folder (made once).
fn meetings_study(files: &[PathBuf]) -> Study {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-data/meetings");
    if let Ok(study) = Study::open(&root) {
        if study.documents().len() == files.len() {
            return study;
        }
    }
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.parent().unwrap()).unwrap();
    let mut study = Study::init(&root, "meetings").unwrap();
    let mut importer =
        Importer::new(&mut study, DocumentOptions { kind: Some("meeting".into()), ..Default::default() });
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        importer.add(&name, thema_ingest::read_file(path, &Options::default()).unwrap()).unwrap();
        if importer.pending() >= 64 {
            importer.flush().unwrap();
        }
    }
    importer.flush().unwrap();
    drop(importer);
    study
}

/// The generated study of 1,000,000 turns (made once), with its index built and timed.
fn synthetic_study() -> Study {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-data/synthetic-1m-v1");
    if let Ok(study) = Study::open(&root) {
        if root.join(".thema/index/manifest.json").is_file() {
            return study;
        }
    }
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.parent().unwrap()).unwrap();
    let started = Instant::now();
    let turns = thema_benches::generate(&root, thema_benches::Plan::turns(1_000_000)).unwrap();
    eprintln!("generated {turns} turns in {:.1} s", started.elapsed().as_secs_f64());
    let study = Study::open(&root).unwrap();
    let started = Instant::now();
    SearchIndex::open(&study).unwrap();
    let bytes = text_bytes(&study);
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "indexed {turns} turns ({:.1} MB of text) in {seconds:.1} s: {:.1} MB/s",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds
    );
    study
}

fn text_bytes(study: &Study) -> u64 {
    study.documents().iter().map(|d| std::fs::metadata(study.document_dir(&d.id).join("text.txt")).unwrap().len()).sum()
}

fn phrase(query: &str) -> Request {
    Request { query: format!("\"{query}\""), exact: true, limit: 20, ..Request::default() }
}

fn queries(c: &mut Criterion, name: &str, index: &SearchIndex, requests: [(&str, Request); 3]) {
    let mut group = c.benchmark_group(format!("query/{name}"));
    for (label, request) in &requests {
        let hits = index.search(request).unwrap().total;
        eprintln!("{name} {label}: {hits} turns match");
        if *label == "kwic" {
            group.bench_function(*label, |b| {
                b.iter(|| thema_search::kwic::lines(&index.search(request).unwrap().hits, 40).len())
            });
        } else {
            group.bench_function(*label, |b| b.iter(|| index.search(request).unwrap().total));
        }
    }
    group.finish();
}

/// ripgrep and `thema search --count document` finding `phrase` in `study`, as processes.
fn peers(c: &mut Criterion, name: &str, study: &Study, phrase: &str) {
    let thema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/thema");
    let rg = Command::new("rg").arg("--version").output().is_ok_and(|o| o.status.success());
    let mut group = c.benchmark_group(format!("peers/{name}"));
    group.sample_size(20);
    let documents = study.root().join("documents");
    if rg {
        group.bench_function("ripgrep", |b| {
            b.iter(|| {
                let out = Command::new("rg")
                    .args(["--count", "--ignore-case", "--fixed-strings", "--glob", "text.txt", phrase])
                    .arg(&documents)
                    .output()
                    .unwrap();
                assert!(out.status.success());
                out.stdout.len()
            })
        });
    } else {
        eprintln!("SKIP: ripgrep (`rg`) is not installed: `apt-get install ripgrep`");
    }
    if thema.is_file() {
        group.bench_function("thema search", |b| {
            b.iter(|| {
                let out = Command::new(&thema)
                    .arg("--study")
                    .arg(study.root())
                    .args(["search", &format!("\"{phrase}\""), "--exact", "--count", "document"])
                    .output()
                    .unwrap();
                assert!(out.status.success());
                out.stdout.len()
            })
        });
    } else {
        eprintln!("SKIP: {} is missing: run `cargo build --release` first", thema.display());
    }
    group.finish();
}

fn bench(c: &mut Criterion) {
    if let Some(files) = thema_benches::meeting_files() {
        let study = meetings_study(&files);
        let bytes = text_bytes(&study);
        let mut group = c.benchmark_group("index");
        group.sample_size(10);
        group.throughput(Throughput::Bytes(bytes));
        group.bench_function("meetings", |b| {
            b.iter_batched(
                || {
                    let _ = std::fs::remove_dir_all(thema_search::index::index_dir(&study));
                },
                |()| SearchIndex::open(&study).unwrap().0.len(),
                BatchSize::PerIteration,
            )
        });
        group.finish();
        let (index, _) = SearchIndex::open(&study).unwrap();
        let two_filters =
            Filters { kinds: vec!["meeting".into()], speakers: vec!["Marketing".into()], ..Filters::default() };
        let boolean = Request {
            query: "remote AND (button OR buttons)".into(),
            filters: two_filters,
            limit: 20,
            ..Request::default()
        };
        let kwic = Request { order: HitOrder::Document, limit: 100, ..phrase("speech recognition") };
        queries(
            c,
            "meetings",
            &index,
            [("phrase", phrase("remote control")), ("boolean+2 filters", boolean), ("kwic", kwic)],
        );
        peers(c, "meetings", &study, "remote control");
    }
    let study = synthetic_study();
    let (index, _) = SearchIndex::open(&study).unwrap();
    let role: Where = "role=Peer Mentor".parse().unwrap();
    let two_filters = Filters { kinds: vec!["interview".into()], wheres: vec![role], ..Filters::default() };
    let boolean =
        Request { query: "hope AND (court OR housing)".into(), filters: two_filters, limit: 20, ..Request::default() };
    let kwic = Request { order: HitOrder::Document, limit: 100, ..phrase("shared experience") };
    queries(
        c,
        "1m-turns",
        &index,
        [("phrase", phrase("revolving door")), ("boolean+2 filters", boolean), ("kwic", kwic)],
    );
    peers(c, "1m-turns", &study, "revolving door");
}

criterion_group!(benches, bench);
criterion_main!(benches);
