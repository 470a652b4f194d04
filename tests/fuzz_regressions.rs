//! Every input the fuzz targets found failing (kept in `tests/fuzz-regressions/<target>/` by
//! `scripts/fuzz`, and since fixed) and every fuzz seed (`fuzz/seeds/<target>/`), replayed on
//! stable through the very bodies the fuzz targets run (`fuzz/src/lib.rs`, included here), so a
//! crash once found stays fixed without nightly or cargo-fuzz.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[allow(unreachable_pub, dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod targets;

/// Longest one input may take in a debug build; the fuzz runs allow 10 s in a release build.
const SLOW: Duration = Duration::from_secs(20);

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

#[test]
fn kept_fuzz_inputs_and_seeds_pass_their_targets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (target, body) in targets::TARGETS {
        let seeds = inputs(&root.join("fuzz/seeds").join(target));
        assert!(!seeds.is_empty(), "fuzz target `{target}` has no seeds in fuzz/seeds/{target}/");
        for path in seeds.iter().chain(&inputs(&root.join("tests/fuzz-regressions").join(target))) {
            let data = std::fs::read(path).unwrap();
            let start = Instant::now();
            if let Err(panic) = std::panic::catch_unwind(|| body(&data)) {
                let why = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                failures.push(format!("{target}: {}: {why}", path.display()));
            }
            if start.elapsed() > SLOW {
                failures.push(format!("{target}: {}: took {:?}", path.display(), start.elapsed()));
            }
            replayed += 1;
        }
    }
    assert!(failures.is_empty(), "{} of {replayed} inputs failed:\n{}", failures.len(), failures.join("\n"));
}
