//! How fast tantivy itself indexes a study's turns on this machine, field by field: the ceiling
//! for `thema`'s index build, which adds to it the filters (speaker, codes, attributes) and a
//! second text field.
//!
//! `THEMA_BENCH_STUDY=DIR cargo bench -p thema-benches --bench index_floor` indexes the turns of
//! the study in DIR (by default the 2,000-document bench study of `benches/scale.rs`) in several
//! schemas, with the writer memory and threads thema uses, and prints MB/s of turn text for each.
//! The texts are read into memory first: only indexing is timed.

use std::path::PathBuf;
use std::time::Instant;

use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STRING};
use tantivy::{doc, Index, IndexWriter};
use thema_core::Study;

/// What thema's index writer gets (`thema-search`'s `WRITER_MEMORY`).
const WRITER_MEMORY: usize = 100 << 20;

/// A text field: its tokenizer, whether it records positions, whether it is stored.
type TextField = (&'static str, bool, bool);

fn text(tokenizer: &str, positions: bool, stored: bool) -> TextOptions {
    let record = if positions { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
    let options = TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record));
    if stored {
        options.set_stored()
    } else {
        options
    }
}

fn main() {
    let study = std::env::var_os("THEMA_BENCH_STUDY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/tmp/scale/2k"));
    let study = Study::open(&study).unwrap_or_else(|e| {
        panic!("{}: {e} (generate it with the scale bench, or set THEMA_BENCH_STUDY)", study.display())
    });
    let mut turns: Vec<(String, String)> = Vec::new();
    for meta in study.documents() {
        let document = study.load_document(&meta.id).unwrap();
        for (turn, text) in document.turn_texts() {
            turns.push((format!("{}:T{}", meta.id, turn.number), text.to_owned()));
        }
    }
    let bytes: usize = turns.iter().map(|(_, t)| t.len()).sum();
    println!(
        "{} turns, {:.1} MB of turn text, writer memory {} MB",
        turns.len(),
        bytes as f64 / 1e6,
        WRITER_MEMORY >> 20
    );
    println!("schema\tseconds\tMB/s");
    let schemas: [(&str, &[TextField], bool); 5] = [
        ("one field, lower-cased, positions", &[("default", true, false)], false),
        ("one field, lower-cased, no positions", &[("default", false, false)], false),
        ("one field, stemmed, positions, stored", &[("en_stem", true, true)], false),
        ("thema's two text fields", &[("en_stem", true, true), ("default", true, false)], false),
        ("thema's two text fields and the turn id", &[("en_stem", true, true), ("default", true, false)], true),
    ];
    for (name, fields, with_id) in schemas {
        let dir = tempfile::tempdir().unwrap();
        let mut b = Schema::builder();
        let text_fields: Vec<_> = fields
            .iter()
            .enumerate()
            .map(|(i, &(tokenizer, positions, stored))| {
                b.add_text_field(&format!("f{i}"), text(tokenizer, positions, stored))
            })
            .collect();
        let id = b.add_text_field("id", STRING);
        let index = Index::create_in_dir(dir.path(), b.build()).unwrap();
        let started = Instant::now();
        let mut writer: IndexWriter = index.writer(WRITER_MEMORY).unwrap();
        for (turn, content) in &turns {
            let mut entry = doc!();
            for field in &text_fields {
                entry.add_text(*field, content);
            }
            if with_id {
                entry.add_text(id, turn);
            }
            writer.add_document(entry).unwrap();
        }
        writer.commit().unwrap();
        writer.wait_merging_threads().unwrap();
        let seconds = started.elapsed().as_secs_f64();
        println!("{name}\t{seconds:.2}\t{:.1}", bytes as f64 / 1e6 / seconds);
    }
}
