//! REFI-QDA exchange: a generated study of 200 documents (200 turns each, two coders, about
//! 20,000 codings) written as a `.qdpx` and read back into a new study, as
//! `thema export qdpx` and `thema import-project` do. The 2,000-document figures in
//! BENCHMARKS.md come from the same code through the command line (hyperfine).
//!
//! Run: `cargo bench -p thema-benches --bench refi`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use thema_benches::{generate, Plan, SEED};
use thema_core::Study;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("study");
    generate(&root, Plan { documents: 200, turns_per_document: 200, seed: SEED, codings_per_document: 50, coders: 2 })
        .unwrap();
    let study = Study::open(&root).unwrap();
    let export = thema_refi::project::export(&study).unwrap();
    assert_eq!(export.counts.documents, 200);
    let mut group = c.benchmark_group("refi");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(export.bytes.len() as u64));
    group.bench_function("export 200 documents", |b| {
        b.iter(|| thema_refi::project::export(&study).unwrap().bytes.len())
    });
    let mut n = 0;
    group.bench_function("import 200 documents", |b| {
        b.iter(|| {
            n += 1;
            let target = dir.path().join(format!("back-{n}"));
            let options = thema_refi::project::ImportOptions::default();
            let report = thema_refi::project::import(&export.bytes, "bench.qdpx", &target, &options).unwrap();
            assert_eq!(report.counts.documents, 200);
            std::fs::remove_dir_all(&target).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
