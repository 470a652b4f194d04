//! Krippendorff's alpha on a generated 1,000,000-unit × 4-coder matrix (values 1 to 5, 10% of
//! cells missing, coders agreeing on about 70% of ratings), against the python `krippendorff`
//! package on the same data in the same run. The python timing covers `krippendorff.alpha`
//! alone (the data is loaded before the clock starts), median of 5 runs.
//!
//! Run: `cargo bench -p thema-benches --bench agreement`. The python peer is installed with
//! `pip install krippendorff` if missing; without python it prints SKIP.

use std::io::Write;
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};
use thema_analysis::agreement::{self, Level, Ratings};
use thema_benches::Rng;

const UNITS: usize = 1_000_000;
const CODERS: usize = 4;

fn data() -> Vec<Vec<Option<f64>>> {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    (0..UNITS)
        .map(|_| {
            let truth = 1 + rng.below(5);
            (0..CODERS)
                .map(|_| {
                    if rng.below(10) == 0 {
                        None
                    } else if rng.below(10) < 7 {
                        Some(truth as f64)
                    } else {
                        Some((1 + rng.below(5)) as f64)
                    }
                })
                .collect()
        })
        .collect()
}

/// The python peer's alpha and median seconds, or why it could not run.
fn python(rows: &[Vec<Option<f64>>], level: &str) -> Result<(f64, f64), String> {
    let have =
        |m: &str| Command::new("python3").args(["-c", &format!("import {m}")]).status().is_ok_and(|s| s.success());
    if !have("numpy") || !have("krippendorff") {
        let installed = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "krippendorff"])
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            return Err("python3 with `pip install krippendorff` is not available".into());
        }
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("data.f64");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).map_err(|e| e.to_string())?);
    // Coders × units, as the package takes it; NaN for a missing value.
    for c in 0..CODERS {
        for row in rows {
            file.write_all(&row[c].unwrap_or(f64::NAN).to_le_bytes()).map_err(|e| e.to_string())?;
        }
    }
    drop(file);
    let script = format!(
        "import sys, time, statistics, numpy, krippendorff\n\
         d = numpy.fromfile(sys.argv[1], dtype='<f8').reshape({CODERS}, {UNITS})\n\
         times = []\n\
         for _ in range(5):\n\
         \x20   t = time.perf_counter(); a = krippendorff.alpha(reliability_data=d, level_of_measurement='{level}'); times.append(time.perf_counter() - t)\n\
         print(float(a), statistics.median(times))\n"
    );
    let out = Command::new("python3").args(["-c", &script]).arg(&path).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    let alpha = parts.next().and_then(|a| a.parse().ok()).ok_or("no alpha")?;
    let seconds = parts.next().and_then(|s| s.parse().ok()).ok_or("no time")?;
    Ok((alpha, seconds))
}

fn bench(c: &mut Criterion) {
    let rows = data();
    let ratings = Ratings::from_numbers(&rows).unwrap();
    let mut group = c.benchmark_group("alpha/1m-units-4-coders");
    group.sample_size(10);
    for (name, level) in [("nominal", Level::Nominal), ("interval", Level::Interval)] {
        let ours = agreement::krippendorff_alpha(&ratings, level).unwrap().unwrap();
        match python(&rows, name) {
            Ok((theirs, seconds)) => eprintln!(
                "{name}: thema alpha {ours:.10}, python krippendorff {theirs:.10} (difference {:.1e}); python median {:.1} ms",
                (ours - theirs).abs(),
                seconds * 1000.0
            ),
            Err(why) => eprintln!("SKIP python krippendorff: {why}"),
        }
        group.bench_function(name, |b| b.iter(|| agreement::krippendorff_alpha(&ratings, level).unwrap().unwrap()));
    }
    group.bench_function("from rows (load)", |b| b.iter(|| Ratings::from_numbers(&rows).unwrap().units()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
