//! Import throughput on the AMI and ICSI meeting corpora (196 meetings, 121,587 turns):
//!
//! - `read/json`: parse every meeting's JSON into a transcript (files already in memory);
//! - `read/text`: parse the same meetings rendered as plain text with `Speaker: speech` labels,
//!   which exercises speaker-label recognition;
//! - `import/study`: read the files from disk and add them to a new study on disk, as
//!   `thema import` does (batches of 64 documents, atomic writes, flushed to disk per batch).
//!
//! Run: `cargo bench -p thema-benches --bench import`. Needs `../shared/corpora` beside the
//! checkout; without it the benchmark says so and measures nothing.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use thema_ingest::into_study::{DocumentOptions, Importer};
use thema_ingest::{parse, Format, Options};

fn meeting_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpora/meetings-ami-icsi");
    let mut files = Vec::new();
    for corpus in ["Product", "Academic"] {
        if let Ok(entries) = std::fs::read_dir(dir.join(corpus)) {
            files.extend(
                entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")),
            );
        }
    }
    files.sort();
    files
}

fn import(c: &mut Criterion) {
    let files = meeting_files();
    if files.is_empty() {
        eprintln!("SKIP: ../shared/corpora/meetings-ami-icsi is missing; nothing to measure");
        return;
    }
    let json: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(p).unwrap()))
        .collect();
    let texts: Vec<(String, Vec<u8>)> = json
        .iter()
        .map(|(name, bytes)| {
            (
                name.replace(".json", ".txt"),
                parse(bytes, name, &Options::default()).unwrap().transcript.text.into_bytes(),
            )
        })
        .collect();
    let json_bytes: usize = json.iter().map(|(_, b)| b.len()).sum();
    let text_bytes: usize = texts.iter().map(|(_, b)| b.len()).sum();
    let words: usize = texts.iter().map(|(_, b)| thema_core::text::word_count(std::str::from_utf8(b).unwrap())).sum();
    eprintln!(
        "corpus: {} meetings, {json_bytes} bytes of JSON, {text_bytes} bytes of transcript text, {words} words",
        json.len()
    );

    let mut group = c.benchmark_group("read");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(json_bytes as u64));
    group.bench_function("json", |b| {
        b.iter(|| {
            json.iter()
                .map(|(name, bytes)| parse(bytes, name, &Options::default()).unwrap().transcript.turns.len())
                .sum::<usize>()
        })
    });
    group.throughput(Throughput::Bytes(text_bytes as u64));
    let text_options = Options { format: Some(Format::Text), ..Options::default() };
    group.bench_function("text", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|(name, bytes)| parse(bytes, name, &text_options).unwrap().transcript.turns.len())
                .sum::<usize>()
        })
    });
    group.finish();

    let studies = std::cell::RefCell::new(Vec::new());
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(json_bytes as u64));
    group.bench_function("study", |b| {
        b.iter_batched(
            || {
                // In the target folder, on the same file system as a study would be: /tmp may
                // be a different file system with other costs.
                let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
                let study = thema_core::Study::init(dir.path(), "bench").unwrap();
                (dir, study)
            },
            |(dir, mut study)| {
                // As `thema import` does it: batches of 64 documents, one flush to disk each.
                let mut importer = Importer::new(&mut study, DocumentOptions::default());
                for path in &files {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    let import = thema_ingest::read_file(path, &Options::default()).unwrap();
                    importer.add(&name, import).unwrap();
                    if importer.pending() >= 64 {
                        importer.flush().unwrap();
                    }
                }
                importer.flush().unwrap();
                drop(importer);
                // Kept until the benchmark ends: deleting studies between runs makes the file
                // system busy with discards and slows the next run's file creation.
                studies.borrow_mut().push((dir, study));
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
    drop(studies);
}

criterion_group!(benches, import);
criterion_main!(benches);
