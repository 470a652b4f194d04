//! Scale: whole `thema` commands, each a fresh process as a user runs it, on studies of three
//! sizes: the example study (`thema demo`), 2,000 documents and 10,000 documents (2 million
//! turns, 1 million codings). For every command it records the median time (criterion), the
//! peak memory (the child's `ru_maxrss`) and what the study holds, so that throughput can be
//! worked out; `scripts/bench` runs it and turns the results into tables.
//!
//! Run: `cargo build --release -p thema-cli && THEMA_BENCH_SIZES=example,2k,10k cargo bench -p
//! thema-benches --bench scale` (sizes default to `example`).
//!
//! The sizes `paths-s`, `paths-m` and `paths-l` time the paths that were once quadratic (issue
//! 19), each at three sizes so that the growth shows: `import --add-participants` of a transcript
//! with 5,000, 20,000 and 50,000 speakers; a survey CSV with as many respondents; auto-coding every
//! turn of a study of 10,000, 40,000 and 80,000 turns. `THEMA_BENCH_SIZES=paths-s,paths-m,paths-l`. The generated studies are kept in
//! `target/tmp/scale/` between runs and made again only when their plan changes. Commands whose
//! first run takes longer than `THEMA_BENCH_CRITERION_MAX_S` seconds (default 5) are timed by three
//! runs instead of criterion's ten samples and a warm-up, and the results say so.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion};
use thema_benches::{generate, Plan, SEED};
use thema_core::Study;

/// One size of study.
struct Size {
    name: &'static str,
    /// `None` for the example study.
    plan: Option<Plan>,
}

const SIZES: [Size; 3] = [
    Size { name: "example", plan: None },
    Size {
        name: "2k",
        plan: Some(Plan { documents: 2_000, turns_per_document: 200, seed: SEED, codings_per_document: 50, coders: 2 }),
    },
    Size {
        name: "10k",
        plan: Some(Plan {
            documents: 10_000,
            turns_per_document: 200,
            seed: SEED,
            codings_per_document: 50,
            coders: 2,
        }),
    },
];

/// One size of the formerly quadratic paths (see the module's doc).
struct PathSize {
    name: &'static str,
    /// Speakers besides the interviewer in the transcript imported with `--add-participants`.
    speakers: usize,
    /// Respondents of the survey CSV.
    respondents: usize,
    /// Turns of the study auto-coded, in documents of 1,000 turns ([`Plan::turns`]).
    turns: usize,
}

const PATH_SIZES: [PathSize; 3] = [
    PathSize { name: "paths-s", speakers: 5_000, respondents: 5_000, turns: 10_000 },
    PathSize { name: "paths-m", speakers: 20_000, respondents: 20_000, turns: 40_000 },
    PathSize { name: "paths-l", speakers: 50_000, respondents: 50_000, turns: 80_000 },
];

/// The commands of the path sizes, as [`OPS`]; `{speakers}` and `{survey}` are the generated
/// transcript and survey, and the study searched is the generated one of `turns` turns. The
/// query `people OR help OR time` matches about one turn in two, each hit a coding of its own.
const PATH_OPS: &[(&str, Setup, &[&str])] = &[
    ("import speakers", Setup::EmptyStudy, &["import", "--add-participants", "{speakers}"]),
    ("import survey", Setup::EmptyStudy, &["import", "{survey}"]),
    (
        "autocode turns",
        Setup::NoBenchCoder,
        &["--coder", "bench", "search", "people OR help OR time", "--autocode", "{code}", "--unit", "turn"],
    ),
];

/// What a command needs before each run (not timed).
#[derive(Clone, Copy, PartialEq)]
enum Setup {
    /// Nothing.
    None,
    /// A new empty study to import into.
    EmptyStudy,
    /// No search index, so that the command builds it.
    NoIndex,
    /// No codings of the coder `bench`, so that auto-coding codes every hit.
    NoBenchCoder,
}

/// The commands timed: name, setup, arguments after `thema -C STUDY` (`{out}` is a scratch folder,
/// `{texts}` expands to the study's transcripts as `.txt` files, `{theme}` and `{code}` are the
/// first theme and code of the codebook, `{code-start}` the first three characters of that code).
/// Arguments that start with `--` alone are a completion request: the words after it are the
/// command line being completed, the last one the word under the cursor.
const OPS: &[(&str, Setup, &[&str])] = &[
    ("import", Setup::EmptyStudy, &["import", "{texts}"]),
    ("index", Setup::NoIndex, &["search", "\"revolving door\"", "--count", "document"]),
    ("search phrase", Setup::None, &["search", "\"revolving door\"", "--exact", "--count", "document"]),
    ("ls", Setup::None, &["ls"]),
    ("check", Setup::None, &["check"]),
    ("codebook", Setup::None, &["codebook"]),
    ("segments", Setup::None, &["segments", "{theme}"]),
    (
        "autocode",
        Setup::NoBenchCoder,
        &["--coder", "bench", "search", "\"shared experience\"", "--autocode", "{code}", "--unit", "turn"],
    ),
    ("cooccur", Setup::None, &["cooccur"]),
    ("agree", Setup::None, &["agree"]),
    ("saturation", Setup::None, &["saturation"]),
    ("matrix by role", Setup::None, &["matrix", "--by", "role"]),
    ("matrix framework", Setup::None, &["matrix", "--framework"]),
    ("words", Setup::None, &["words"]),
    ("export segments parquet", Setup::None, &["export", "segments", "--out", "{out}/segments.parquet"]),
    ("export themes docx", Setup::None, &["export", "themes", "--out", "{out}/themes.docx"]),
    ("export qdpx", Setup::None, &["export", "qdpx", "--out", "{out}/study.qdpx"]),
    ("report", Setup::None, &["report", "--out", "{out}/report.html"]),
    // Tab completion as the shell asks for it (`COMPLETE=bash thema -- WORDS`, see `run`): the
    // code ids that start as the first code does.
    ("complete a code", Setup::None, &["--", "thema", "code", "{code-start}"]),
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn thema_bin() -> PathBuf {
    let bin = std::env::var_os("THEMA_BIN").map_or_else(|| workspace().join("target/release/thema"), PathBuf::from);
    assert!(
        bin.is_file(),
        "{} is missing: run `cargo build --release -p thema-cli` first (or set THEMA_BIN)",
        bin.display()
    );
    bin
}

fn scratch() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("scale")
}

/// The study of `size`, made if missing or made from another plan, with its transcripts as
/// `.txt` files beside it; returns the study and the transcripts' folder.
fn prepare(size: &Size, thema: &Path) -> (PathBuf, PathBuf) {
    let root = scratch().join(size.name);
    let texts = scratch().join(format!("{}-texts", size.name));
    let stamp = format!("{:?} generator {}\n", size.plan, env!("CARGO_PKG_VERSION"));
    let stamp_path = scratch().join(format!("{}.plan", size.name));
    if std::fs::read_to_string(&stamp_path).ok().as_deref() == Some(stamp.as_str()) && root.is_dir() {
        return (root, texts);
    }
    let _ = std::fs::remove_dir_all(&root);
    let _ = std::fs::remove_dir_all(&texts);
    std::fs::create_dir_all(&texts).unwrap();
    let started = Instant::now();
    match size.plan {
        Some(plan) => {
            generate(&root, plan).unwrap();
        }
        None => {
            let status = Command::new(thema)
                .args(["demo", "--out"])
                .arg(&root)
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success(), "thema demo failed");
        }
    }
    let study = Study::open(&root).unwrap();
    for meta in study.documents() {
        std::fs::copy(study.document_dir(&meta.id).join("text.txt"), texts.join(format!("{}.txt", meta.id))).unwrap();
    }
    eprintln!("made the {} study in {:.1} s", size.name, started.elapsed().as_secs_f64());
    std::fs::write(&stamp_path, stamp).unwrap();
    (root, texts)
}

/// What the study holds, for throughput: documents, turns, bytes of text, codings.
fn facts(root: &Path) -> [u64; 4] {
    let study = Study::open(root).unwrap();
    let mut turns = 0;
    let mut bytes = 0;
    for meta in study.documents() {
        let document = study.load_document(&meta.id).unwrap();
        turns += document.turns.len() as u64;
        bytes += document.text.len() as u64;
    }
    let codings = study.load_codings().unwrap().len() as u64;
    [study.documents().len() as u64, turns, bytes, codings]
}

/// Panic with thema's error output unless it succeeded.
fn succeeded(output: &std::process::Output, study: &Path, args: &[String]) {
    assert!(
        output.status.success(),
        "`thema {}` failed on {}:\n{}",
        args.join(" "),
        study.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The variables bash's completion script sets when it calls `thema -- WORDS` at a Tab, for
/// arguments that are such a call (see [`OPS`]); none otherwise. The study is found from the
/// `-C STUDY` before the `--`, as completion looks for it on the whole command line.
fn completion_env(args: &[String]) -> Vec<(&'static str, String)> {
    if args.first().map(String::as_str) != Some("--") {
        return Vec::new();
    }
    vec![
        ("COMPLETE", "bash".to_owned()),
        ("_CLAP_COMPLETE_INDEX", (args.len() - 2).to_string()),
        ("_CLAP_COMPLETE_COMP_TYPE", "9".to_owned()),
        ("_CLAP_COMPLETE_SPACE", "true".to_owned()),
        ("_CLAP_IFS", "\n".to_owned()),
    ]
}

/// Run `thema` with `args` to the end; returns its wall time.
fn run(thema: &Path, study: &Path, args: &[String]) -> Duration {
    let started = Instant::now();
    let output = Command::new(thema)
        .arg("-C")
        .arg(study)
        .args(args)
        .envs(completion_env(args))
        .env("THEMA_LOCK_WAIT", "600")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    succeeded(&output, study, args);
    elapsed
}

/// Run `thema` with `args` through this program started again with `--peak-of` (see [`peak_of`]):
/// returns the wall time and the peak resident memory of `thema`, in KiB.
fn run_measured(thema: &Path, study: &Path, args: &[String]) -> (Duration, u64) {
    let started = Instant::now();
    let output = Command::new(std::env::current_exe().unwrap())
        .arg("--peak-of")
        .arg(thema)
        .arg("-C")
        .arg(study)
        .args(args)
        .envs(completion_env(args))
        .env("THEMA_LOCK_WAIT", "600")
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    succeeded(&output, study, args);
    let peak = String::from_utf8_lossy(&output.stdout).trim().parse().unwrap();
    (elapsed, peak)
}

/// `scale --peak-of PROGRAM ARGS...`: run the program, discard its output, and print its peak
/// resident memory in KiB (`RUSAGE_CHILDREN`, which is the program's alone because it is this
/// process's only child); exit 1 with its error output if it fails.
fn peak_of(program: &str, args: &[String]) -> ! {
    let output = Command::new(program).args(args).stdout(std::process::Stdio::null()).output().unwrap();
    if !output.status.success() {
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        std::process::exit(1);
    }
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).unwrap();
    println!("{}", usage.max_rss());
    std::process::exit(0);
}

/// Make the command's setup true (not timed).
fn set_up(setup: Setup, thema: &Path, study: &Path, empty: &mut u32) -> PathBuf {
    match setup {
        Setup::None => study.to_owned(),
        Setup::EmptyStudy => {
            // Kept until the operation is timed: deleting a study just before the next import
            // slows that import down.
            *empty += 1;
            let fresh = scratch().join("imports").join(format!("{}-{empty}", std::process::id()));
            let status = Command::new(thema)
                .arg("init")
                .arg(&fresh)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            fresh
        }
        Setup::NoIndex => {
            let _ = std::fs::remove_dir_all(study.join(".thema/index"));
            study.to_owned()
        }
        Setup::NoBenchCoder => {
            let _ = std::fs::remove_file(study.join("codings/bench.jsonl"));
            study.to_owned()
        }
    }
}

/// What [`time_ops`] needs besides the commands.
struct Timing<'a> {
    thema: &'a Path,
    /// The study the commands run in (or whose empty copies they import into).
    study: &'a Path,
    /// Commands whose first run takes longer are timed by three runs.
    max_criterion: f64,
    /// `THEMA_BENCH_OPS`: only these commands.
    only: &'a Option<Vec<String>>,
}

/// Time each command of `ops` and add its line to `table`: `expand` turns an argument of the
/// template into the arguments given, `show` into the words shown in the results.
fn time_ops(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    table: &mut String,
    timing: &Timing<'_>,
    ops: &[(&str, Setup, &[&str])],
    expand: &dyn Fn(&str) -> Vec<String>,
    show: &dyn Fn(&str) -> String,
) {
    let Timing { thema, study, max_criterion, only } = *timing;
    let out = scratch().join("out");
    let mut empty = 0;
    for &(op, setup, template) in ops {
        if only.as_ref().is_some_and(|only| !only.iter().any(|o| o == op)) {
            continue;
        }
        let args: Vec<String> = template.iter().flat_map(|arg| expand(arg)).collect();
        if op == "agree" && Study::open(study).unwrap().coders().unwrap().len() < 2 {
            eprintln!("{op}: not timed: the study has one coder");
            continue;
        }
        let shown = template.iter().map(|arg| show(arg)).collect::<Vec<_>>().join(" ");
        // The first run: peak memory, and whether criterion's ten samples fit.
        let target = set_up(setup, thema, study, &mut empty);
        let (first, peak) = run_measured(thema, &target, &args);
        let (timed_by, median) = if first.as_secs_f64() > max_criterion {
            let mut times = vec![first];
            for _ in 0..2 {
                let target = set_up(setup, thema, study, &mut empty);
                times.push(run(thema, &target, &args));
            }
            times.sort();
            eprintln!("{op}: {:.3} s (median of 3 runs; one run exceeds {max_criterion} s)", times[1].as_secs_f64());
            ("3 runs", format!("{:.6}", times[1].as_secs_f64()))
        } else {
            group.bench_function(op, |b| {
                b.iter_batched(
                    || set_up(setup, thema, study, &mut empty),
                    |target| run(thema, &target, &args),
                    BatchSize::PerIteration,
                );
            });
            ("criterion", String::new())
        };
        let _ = writeln!(table, "{op}\tthema {shown}\t{:.6}\t{peak}\t{timed_by}\t{median}", first.as_secs_f64());
        if setup == Setup::NoBenchCoder {
            let _ = std::fs::remove_file(study.join("codings/bench.jsonl"));
        }
        // The imported studies and the exports of a large size take gigabytes: they go once
        // the operation is timed, not when the size is done.
        if setup == Setup::EmptyStudy {
            let _ = std::fs::remove_dir_all(scratch().join("imports"));
        }
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out).unwrap();
    }
}

/// The inputs of a path size, made if missing: the transcript with many speakers, the survey
/// and the study of `turns` turns.
fn prepare_paths(size: &PathSize) -> (PathBuf, PathBuf, PathBuf) {
    let dir = scratch().join(size.name);
    let speakers = dir.join(format!("speakers-{}.txt", size.speakers));
    let survey = dir.join(format!("survey-{}.csv", size.respondents));
    let study = dir.join(format!("turns-{}", size.turns));
    let stamp =
        format!("{} {} {} generator {}\n", size.speakers, size.respondents, size.turns, env!("CARGO_PKG_VERSION"));
    let stamp_path = dir.join("plan");
    if std::fs::read_to_string(&stamp_path).ok().as_deref() != Some(stamp.as_str()) {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&speakers, thema_benches::many_speakers_transcript(size.speakers, SEED)).unwrap();
        std::fs::write(&survey, thema_benches::survey_csv(size.respondents, SEED)).unwrap();
        generate(&study, Plan::turns(size.turns)).unwrap();
        std::fs::write(&stamp_path, stamp).unwrap();
    }
    (speakers, survey, study)
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("--peak-of") && argv.len() > 2 {
        peak_of(&argv[2], &argv[3..]);
    }
    let thema = thema_bin();
    let wanted = std::env::var("THEMA_BENCH_SIZES").unwrap_or_else(|_| "example".into());
    let max_criterion =
        std::env::var("THEMA_BENCH_CRITERION_MAX_S").ok().and_then(|s| s.parse().ok()).unwrap_or(5.0_f64);
    let only: Option<Vec<String>> =
        std::env::var("THEMA_BENCH_OPS").ok().map(|s| s.split(',').map(str::to_owned).collect());
    let results_dir = workspace().join("target/bench-results");
    std::fs::create_dir_all(&results_dir).unwrap();
    let mut criterion = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for name in wanted.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let mut group = criterion.benchmark_group(format!("scale/{name}"));
        std::fs::create_dir_all(scratch().join("out")).unwrap();
        if let Some(size) = PATH_SIZES.iter().find(|s| s.name == name) {
            let (speakers, survey, study) = prepare_paths(size);
            let _ = std::fs::remove_file(study.join("codings/bench.jsonl"));
            let [documents, turns, bytes, codings] = facts(&study);
            let mut table = format!(
                "size\t{name}\ndocuments\t{documents}\nturns\t{turns}\ntext_bytes\t{bytes}\ncodings\t{codings}\n\
                 speakers\t{}\nrespondents\t{}\nop\tcommand\tfirst_run_s\tpeak_kib\ttimed_by\tmedian_s\n",
                size.speakers, size.respondents
            );
            let code = first_code(&study);
            let expand = |arg: &str| {
                vec![match arg {
                    "{speakers}" => speakers.to_string_lossy().into_owned(),
                    "{survey}" => survey.to_string_lossy().into_owned(),
                    other => other.replace("{code}", &code),
                }]
            };
            let show = |arg: &str| match arg {
                "{speakers}" => format!("speakers-{}.txt", size.speakers),
                "{survey}" => format!("survey-{}.csv", size.respondents),
                other => other.replace("{code}", &code),
            };
            let timing = Timing { thema: &thema, study: &study, max_criterion, only: &only };
            time_ops(&mut group, &mut table, &timing, PATH_OPS, &expand, &show);
            group.finish();
            std::fs::write(results_dir.join(format!("scale-{name}.tsv")), table).unwrap();
            let _ = std::fs::remove_dir_all(scratch().join("imports"));
            continue;
        }
        let Some(size) = SIZES.iter().find(|s| s.name == name) else {
            panic!("THEMA_BENCH_SIZES: unknown size `{name}` (example, 2k, 10k, paths-s, paths-m, paths-l)");
        };
        let (study, texts) = prepare(size, &thema);
        let _ = std::fs::remove_file(study.join("codings/bench.jsonl"));
        let [documents, turns, bytes, codings] = facts(&study);
        let codebook = Study::open(&study).unwrap().load_codebook().unwrap();
        let theme = codebook.entries.iter().find(|e| e.kind == thema_core::EntryKind::Theme).unwrap().id.clone();
        let code = first_code(&study);
        let out = scratch().join("out");
        let mut text_files: Vec<String> =
            std::fs::read_dir(&texts).unwrap().map(|e| e.unwrap().path().to_string_lossy().into_owned()).collect();
        text_files.sort();
        let mut table = format!(
            "size\t{name}\ndocuments\t{documents}\nturns\t{turns}\ntext_bytes\t{bytes}\ncodings\t{codings}\n\
             op\tcommand\tfirst_run_s\tpeak_kib\ttimed_by\tmedian_s\n"
        );
        let expand = |arg: &str| {
            if arg == "{texts}" {
                text_files.clone()
            } else {
                let start: String = code.chars().take(3).collect();
                vec![arg
                    .replace("{out}", &out.to_string_lossy())
                    .replace("{theme}", &theme)
                    .replace("{code-start}", &start)
                    .replace("{code}", &code)]
            }
        };
        let show = |arg: &str| {
            arg.replace("{texts}", &format!("{name}-texts/*.txt"))
                .replace("{out}", "OUT")
                .replace("{theme}", &theme)
                .replace("{code-start}", &code.chars().take(3).collect::<String>())
                .replace("{code}", &code)
        };
        let timing = Timing { thema: &thema, study: &study, max_criterion, only: &only };
        time_ops(&mut group, &mut table, &timing, OPS, &expand, &show);
        group.finish();
        std::fs::write(results_dir.join(format!("scale-{name}.tsv")), table).unwrap();
        let _ = std::fs::remove_dir_all(scratch().join("imports"));
    }
    criterion.final_summary();
}

/// The first code of the study's codebook.
fn first_code(study: &Path) -> String {
    let codebook = Study::open(study).unwrap().load_codebook().unwrap();
    codebook.entries.iter().find(|e| e.kind == thema_core::EntryKind::Code).unwrap().id.clone()
}
