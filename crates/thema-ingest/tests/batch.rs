//! Documents imported together, in one batch of the [`Importer`], each get their own place in
//! import order, as documents imported one at a time do: the search index's document order and
//! saturation's import order depend on it.

use thema_core::Study;
use thema_ingest::into_study::{DocumentOptions, Importer};
use thema_ingest::{parse, Options};

#[test]
fn documents_of_one_batch_follow_each_other() {
    let dir = std::env::temp_dir().join(format!("thema-ingest-batch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut study = Study::init(&dir, "batch").unwrap();
    let text = b"Interviewer: How did it start?\n\nAda: With a phone call.\n";
    let mut importer = Importer::new(&mut study, DocumentOptions::default());
    for name in ["c.txt", "a.txt", "b.txt"] {
        importer.add(name, parse(text, name, &Options::default()).unwrap()).unwrap();
    }
    importer.flush().unwrap();
    // A second batch follows the first.
    importer.add("d.txt", parse(text, "d.txt", &Options::default()).unwrap()).unwrap();
    importer.flush().unwrap();
    drop(importer);
    let study = Study::open(&dir).unwrap();
    let order: Vec<(&str, u32)> = study.documents().iter().map(|m| (m.id.as_str(), m.sequence)).collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|&(id, _)| id);
    assert_eq!(sorted, [("a", 2), ("b", 3), ("c", 1), ("d", 4)]);
    std::fs::remove_dir_all(&dir).unwrap();
}
