//! The hostile and broken files of `tests/hostile/` through the real `thema` binary, each as
//! `tests/hostile/cases.toml` says: refused with exit 2, a message naming the file, and nothing
//! changed; or imported into a study that `thema check` finds sound. Every case runs in a fresh
//! folder, within a time limit and a peak-memory limit (the child's high-water mark, read from
//! `/proc`), under `prlimit --as` where util-linux has it so that a runaway child stops instead
//! of taking the machine.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use zip::write::SimpleFileOptions;

#[derive(Debug, Deserialize)]
struct Manifest {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    file: String,
    generate: Option<String>,
    command: String,
    expect: String,
    #[serde(default)]
    message: Vec<String>,
    turns: Option<usize>,
    #[serde(default)]
    speakers: Vec<String>,
    #[serde(default)]
    text: Vec<String>,
    encoding: Option<String>,
    documents: Option<usize>,
    codes: Option<usize>,
    seconds: Option<u64>,
    memory_mb: Option<u64>,
}

/// Default limits of a case, in a debug build.
const SECONDS: u64 = 20;
const MEMORY_MB: u64 = 512;
/// Address space a child may reserve (`prlimit --as`): well above the peak RSS limits, since
/// threads and allocators reserve more than they touch.
const ADDRESS_SPACE: u64 = 8 << 30;
/// The name the path-traversal files try to write.
const EVIL: &str = "thema-hostile-evil.txt";

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/hostile")
}

/// What one run of the binary gave.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    peak_kb: u64,
}

/// The child's peak resident memory so far, in kB (`VmHWM`), if it is still there to ask.
fn high_water_kb(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn thema(dir: &Path, args: &[&str]) -> Run {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_thema"));
    let prlimit = Path::new("/usr/bin/prlimit").exists();
    let mut cmd = if prlimit {
        let mut c = Command::new("/usr/bin/prlimit");
        c.arg(format!("--as={ADDRESS_SPACE}")).arg("--").arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    cmd.args(args)
        .current_dir(dir)
        .env_remove("THEMA_STUDY")
        .env("THEMA_CODER", "hp")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    // Drain the pipes on threads so a chatty child never blocks on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || std::io::read_to_string(&mut out).unwrap_or_default());
    let err = std::thread::spawn(move || std::io::read_to_string(&mut err).unwrap_or_default());
    // prlimit execs the binary, so the pid is thema's; its high-water mark only grows, and the
    // last reading before it exits misses at most the last few milliseconds.
    let mut peak_kb = 0;
    let status = loop {
        if let Some(kb) = high_water_kb(child.id()) {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    Run { code: status.code(), stdout: out.join().unwrap(), stderr: err.join().unwrap(), elapsed, peak_kb }
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            // The study's lock (`.thema/lock`, made by any command) is not a change; anything
            // else under `.thema/`, such as a staging folder left behind, is.
            if path.ends_with(".thema/lock") {
                continue;
            }
            if path.is_dir() && path.ends_with(".thema") {
                stack.push(path);
            } else if path.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                stack.push(path);
            } else {
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Names thema gives temporary files and staging folders.
fn is_leftover(name: &str) -> bool {
    thema_core::fsio::is_temporary_name(name) || name.contains(".importing-") || name.contains(".replaced-")
}

fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(name.as_str(), options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn nested(open: &str, close: &str, depth: usize, inner: &str) -> String {
    let mut s = String::with_capacity(depth * (open.len() + close.len()) + inner.len());
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push_str(inner);
    for _ in 0..depth {
        s.push_str(close);
    }
    s
}

/// The large inputs, made here rather than committed.
fn generate(file: &str) -> Vec<u8> {
    let docx_body = |body: &str| {
        format!(
            "<?xml version=\"1.0\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
        )
    };
    match file {
        "long-line.txt" => {
            let mut text = String::from("Interviewer: ");
            let phrase = "and then we talked about the court date again, ";
            while text.len() < 100 << 20 {
                text.push_str(phrase);
            }
            text.push('\n');
            text.into_bytes()
        }
        "deep-nesting.json" => nested("[", "]", 100_000, "").into_bytes(),
        "bomb-many-entries.docx" => {
            let mut entries: Vec<(String, Vec<u8>)> = (0..10_001).map(|i| (format!("e/{i}"), Vec::new())).collect();
            entries.push(("word/document.xml".into(), docx_body("").into_bytes()));
            zip_of(&entries)
        }
        "deep-nesting.docx" => {
            // 100,000 nested structured-document tags around one paragraph.
            let body =
                nested("<w:sdt>", "</w:sdt>", 100_000, "<w:p><w:r><w:t>Interviewer: Deep down.</w:t></w:r></w:p>");
            zip_of(&[("word/document.xml".into(), docx_body(&body).into_bytes())])
        }
        "deep-nesting.qdc" => {
            let inner =
                nested("<Code guid=\"aaaaaaaa-0000-4000-8000-000000000001\" name=\"x\">", "</Code>", 100_000, "");
            format!("<?xml version=\"1.0\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>{inner}</Codes></CodeBook>\n")
                .into_bytes()
        }
        "deep-nesting.qdpx" => {
            let inner = nested("<Description>", "</Description>", 100_000, "deep");
            let qde = format!(
                "<?xml version=\"1.0\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\">{inner}</Project>\n"
            );
            zip_of(&[("project.qde".into(), qde.into_bytes())])
        }
        "bomb-many-entries.qdpx" => {
            let mut entries: Vec<(String, Vec<u8>)> =
                (0..100_001).map(|i| (format!("sources/{i}.txt"), Vec::new())).collect();
            entries.push(("project.qde".into(), b"<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\"/>".to_vec()));
            zip_of(&entries)
        }
        other => panic!("cases.toml asks for `{other}`, which generate() does not make"),
    }
}

/// Checks of one case; returns what is wrong, if anything.
fn run_case(case: &Case, scratch: &Path) -> Vec<String> {
    let mut wrong = Vec::new();
    let dir = scratch.join(case.file.replace('.', "-"));
    fs::create_dir_all(&dir).unwrap();
    let bytes = match &case.generate {
        Some(_) => generate(&case.file),
        None => fs::read(corpus().join(&case.file)).unwrap(),
    };
    fs::write(dir.join(&case.file), &bytes).unwrap();
    drop(bytes);
    let init = thema(&dir, &["init", "study"]);
    assert_eq!(init.code, Some(0), "thema init: {}", init.stderr);
    let before = tree(&dir);
    let args: Vec<&str> = match case.command.as_str() {
        "import" => vec!["--study", "study", "import", &case.file],
        "import-codebook" => vec!["--study", "study", "import-codebook", &case.file, "--why", "hostile test"],
        "import-project" => vec!["import-project", &case.file, "out"],
        other => panic!("unknown command `{other}`"),
    };
    let run = thema(&dir, &args);
    let seconds = case.seconds.unwrap_or(SECONDS);
    if run.elapsed > Duration::from_secs(seconds) {
        wrong.push(format!("took {:.1?}, more than {seconds} s", run.elapsed));
    }
    let memory_mb = case.memory_mb.unwrap_or(MEMORY_MB);
    if run.peak_kb > memory_mb << 10 {
        wrong.push(format!("peak memory {} MB, more than {memory_mb} MB", run.peak_kb >> 10));
    }
    if run.stderr.contains("panicked") || run.stderr.contains("RUST_BACKTRACE") {
        wrong.push("the binary panicked".into());
    }
    eprintln!(
        "{:<28} {:<16} exit {:?} in {:>6.2?}, peak {:>4} MB: {}",
        case.file,
        case.command,
        run.code,
        run.elapsed,
        run.peak_kb >> 10,
        run.stderr.lines().find(|l| l.starts_with("error:")).unwrap_or("")
    );
    for m in &case.message {
        if !run.stderr.contains(m.as_str()) {
            wrong.push(format!("stderr lacks `{m}`"));
        }
    }
    let after = tree(&dir);
    for name in after.keys() {
        if name.split('/').any(is_leftover) {
            wrong.push(format!("left a temporary file or folder: {name}"));
        }
        if name.contains(EVIL) {
            wrong.push(format!("wrote {name}"));
        }
    }
    for outside in [scratch.to_owned(), std::env::temp_dir(), PathBuf::from("/tmp")] {
        if outside.join(EVIL).exists() {
            wrong.push(format!("wrote {}", outside.join(EVIL).display()));
        }
    }
    match case.expect.as_str() {
        "refused" => {
            if run.code != Some(2) {
                wrong.push(format!("exit {:?}, not 2", run.code));
            }
            if !run.stderr.contains(&case.file) {
                wrong.push("the message does not name the file".into());
            }
            if before != after {
                let changed: Vec<&String> =
                    after.keys().chain(before.keys()).filter(|k| before.get(*k) != after.get(*k)).collect();
                wrong.push(format!("a refused file changed the folder: {changed:?}"));
            }
        }
        "imported" => {
            if run.code != Some(0) {
                wrong.push(format!("exit {:?}, not 0", run.code));
                return wrong;
            }
            let study = if case.command == "import-project" { "out" } else { "study" };
            let check = thema(&dir, &["--study", study, "check"]);
            if check.code != Some(0) {
                wrong.push(format!("`thema check` fails: {}{}", check.stdout, check.stderr));
            }
            wrong.extend(check_imported(case, &dir.join(study)));
        }
        other => panic!("unknown expectation `{other}`"),
    }
    if wrong.is_empty() {
        let _ = fs::remove_dir_all(&dir);
    } else {
        wrong.push(format!("stderr: {}", run.stderr.trim()));
    }
    wrong
}

/// The properties of an imported document, codebook or project.
fn check_imported(case: &Case, root: &Path) -> Vec<String> {
    let mut wrong = Vec::new();
    let study = thema_core::Study::open(root).unwrap();
    let documents: Vec<thema_core::Document> =
        study.documents().iter().map(|m| study.load_document(&m.id).unwrap()).collect();
    if let Some(n) = case.documents {
        if documents.len() != n {
            wrong.push(format!("{} documents, not {n}", documents.len()));
        }
    }
    if let Some(n) = case.codes {
        let got = study.load_codebook().unwrap().entries.len();
        if got != n {
            wrong.push(format!("{got} codebook entries, not {n}"));
        }
    }
    if case.command == "import" {
        let Some(document) = documents.first().filter(|_| documents.len() == 1) else {
            wrong.push(format!("{} documents, not 1", documents.len()));
            return wrong;
        };
        if let Some(n) = case.turns {
            if document.turns.len() != n {
                wrong.push(format!("{} turns, not {n}", document.turns.len()));
            }
        }
        if !case.speakers.is_empty() {
            let labels: Vec<&str> = document.meta.speakers.iter().map(|s| s.label.as_str()).collect();
            let mut in_order: Vec<&str> = Vec::new();
            for t in &document.turns {
                if let Some(s) = t.speaker.as_deref().filter(|s| !in_order.contains(s)) {
                    in_order.push(s);
                }
            }
            if in_order != case.speakers || labels.len() != case.speakers.len() {
                wrong.push(format!("speakers {in_order:?} (speakers.csv {labels:?}), not {:?}", case.speakers));
            }
        }
        if let Some(encoding) = &case.encoding {
            let got = document.meta.source.as_ref().map(|s| s.encoding.as_str()).unwrap_or("");
            if got != encoding {
                wrong.push(format!("encoding `{got}`, not `{encoding}`"));
            }
        }
    }
    for t in &case.text {
        if !documents.iter().any(|d| d.text.contains(t.as_str())) {
            wrong.push(format!("no document text contains {t:?}"));
        }
    }
    wrong
}

#[test]
fn hostile_files_are_refused_or_imported_as_stated() {
    if !cfg!(target_os = "linux") {
        thema_testkit::skip("peak memory is read from /proc, which only Linux has");
        return;
    }
    let manifest: Manifest = toml::from_str(&fs::read_to_string(corpus().join("cases.toml")).unwrap()).unwrap();
    // Every committed file has a case, and every case's file is there or generated.
    let listed: Vec<&str> = manifest.case.iter().map(|c| c.file.as_str()).collect();
    for entry in fs::read_dir(corpus()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !["README.md", "cases.toml", "make.py"].contains(&name.as_str()) {
            assert!(listed.contains(&name.as_str()), "{name} is in tests/hostile/ but not in cases.toml");
        }
    }
    let only = std::env::var("THEMA_HOSTILE_ONLY").ok();
    let scratch = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for case in &manifest.case {
        assert!(case.generate.is_some() || corpus().join(&case.file).is_file(), "{} is missing", case.file);
        if only.as_deref().is_some_and(|o| !case.file.contains(o)) {
            continue;
        }
        let wrong = run_case(case, scratch.path());
        if !wrong.is_empty() {
            failures.push(format!("{} ({}):\n  {}", case.file, case.command, wrong.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{} cases failed:\n{}", failures.len(), failures.join("\n"));
}
