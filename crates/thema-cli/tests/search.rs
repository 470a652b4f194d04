//! `thema search` and `thema kwic` on the example study: filters combine as intersections,
//! auto-coding is checked against the codings file, bad queries and stale indexes are handled.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use assert_cmd::Command;

mod support;
use support::files;

fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = thema(dir.path()).args(["demo", "--out", "study"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

fn thema(dir: &Path) -> Command {
    support::thema_as(dir, "ann")
}

/// Run in the study: success, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = thema(dir).args(["--study", "study"]).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// The turn ids a search returns.
fn turns(dir: &Path, args: &[&str]) -> BTreeSet<String> {
    let mut all = vec!["search", "--json", "--limit", "1000"];
    all.extend_from_slice(args);
    let (ok, stdout, stderr) = run(dir, &all);
    assert!(ok, "{args:?}: {stderr}");
    let results: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    results["hits"].as_array().unwrap().iter().map(|h| h["turn"].as_str().unwrap().to_owned()).collect()
}

/// Codings of one coder, as JSON values.
fn codings(dir: &Path, coder: &str) -> Vec<serde_json::Value> {
    match fs::read_to_string(dir.join(format!("study/codings/{coder}.jsonl"))) {
        Ok(text) => text.lines().map(|l| serde_json::from_str(l).unwrap()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn filters_combine_as_intersections() {
    let dir = example();
    let d = dir.path();
    let everything = turns(d, &["*"]);
    assert_eq!(everything.len(), 37, "every turn of the example");
    let filters: [&[&str]; 6] = [
        &["--kind", "focus-group"],
        &["--where", "role=Peer Mentor"],
        &["--code", "Offering hope"],
        &["--uncoded"],
        &["--speaker", "Simon"],
        &["--doc", "int2", "--doc", "fg2"],
    ];
    let single: Vec<BTreeSet<String>> = filters.iter().map(|f| turns(d, &[&["*"][..], f].concat())).collect();
    for (f, s) in filters.iter().zip(&single) {
        assert!(!s.is_empty() && s.len() < everything.len(), "{f:?} selects some turns: {s:?}");
    }
    // `--code` and `--uncoded` split the turns; a code's turns are all coded.
    assert!(single[2].is_disjoint(&single[3]));
    for i in 0..filters.len() {
        for j in i + 1..filters.len() {
            let both = turns(d, &[&["*"][..], filters[i], filters[j]].concat());
            let expected: BTreeSet<String> = single[i].intersection(&single[j]).cloned().collect();
            assert_eq!(both, expected, "{:?} with {:?}", filters[i], filters[j]);
        }
    }
    // A word query narrows a filter the same way.
    let court = turns(d, &["court"]);
    let peer_court = turns(d, &["court", "--where", "role=\"Peer Mentor\""]);
    assert_eq!(peer_court, court.intersection(&single[1]).cloned().collect());
    // `!=` is the complement.
    let not_peer = turns(d, &["*", "--where", "role!=Peer Mentor"]);
    assert_eq!(not_peer, everything.difference(&single[1]).cloned().collect());
    // Counting by role adds up to the hits.
    let (ok, stdout, _) = run(d, &["search", "*", "--where", "role=Peer Mentor", "--count", "role", "--json"]);
    assert!(ok);
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rows[0]["key"], "Peer Mentor");
    assert_eq!(rows[0]["turns"].as_u64(), Some(single[1].len() as u64));
}

#[test]
fn autocoding_codes_each_match_once() {
    let dir = example();
    let d = dir.path();
    run(d, &["codebook", "add", "Court", "--kind", "code"]);
    // The words as the index locates them, counted from KWIC lines.
    let (ok, kwic, _) = run(d, &["kwic", "court", "--json"]);
    assert!(ok);
    let lines: Vec<serde_json::Value> = serde_json::from_str(&kwic).unwrap();
    assert!(lines.len() >= 3, "{kwic}");
    let before = files(d);
    let (ok, stdout, stderr) = run(d, &["search", "court", "--autocode", "Court", "--dry-run"]);
    assert!(ok && stderr.contains(&format!("would code {} passages", lines.len())), "{stdout}{stderr}");
    assert_eq!(files(d), before, "a dry run changes nothing");
    let (ok, _, stderr) = run(d, &["search", "court", "--autocode", "Court"]);
    assert!(ok, "{stderr}");
    let added: Vec<serde_json::Value> = codings(d, "ann").into_iter().filter(|c| c["code"] == "court").collect();
    assert_eq!(added.len(), lines.len());
    for (coding, line) in added.iter().zip(&lines) {
        assert_eq!(coding["quote"].as_str().unwrap().to_lowercase(), "court");
        assert_eq!(coding["quote"], line["keyword"]);
    }
    // Again: everything is already coded.
    let (ok, _, stderr) = run(d, &["search", "court", "--autocode", "Court"]);
    assert!(
        ok && stderr.contains(&format!("coded 0 passages with `Court` for ann ({} already coded", lines.len())),
        "{stderr}"
    );
    // Whole turns, and the index knows about the new codings.
    let (ok, _, stderr) = run(d, &["search", "court", "--autocode", "Court", "--unit", "turn"]);
    assert!(ok, "{stderr}");
    let coded = turns(d, &["*", "--code", "Court", "--by-coder", "ann"]);
    assert_eq!(coded, turns(d, &["court"]));
    assert!(run(d, &["check"]).0);
}

#[test]
fn bad_queries_and_stale_indexes() {
    let dir = example();
    let d = dir.path();
    let (ok, _, stderr) = run(d, &["search", "\"revolving door"]);
    assert!(!ok && stderr.contains("the query does not parse") && stderr.contains("at character"), "{stderr}");
    // Nesting the parser could not take is refused before it recurses; what it can take works.
    let deep = format!("{}court{}", "(".repeat(33), ")".repeat(33));
    let (ok, _, stderr) = run(d, &["search", &deep]);
    assert!(!ok && stderr.contains("nested more than 32 deep (at character 33)"), "{stderr}");
    let deep = format!("{}court{}", "(".repeat(32), ")".repeat(32));
    assert_eq!(turns(d, &[&deep]), turns(d, &["court"]));
    let (ok, _, stderr) = run(d, &["search", &"court OR ".repeat(2_000)]);
    assert!(!ok && stderr.contains("at most 10000 are read"), "{stderr}");
    let (ok, _, stderr) = run(d, &["search", "court", "--where", "role"]);
    assert!(!ok && stderr.contains("`role` is not a condition"), "{stderr}");
    let (ok, _, stderr) = run(d, &["search", "court", "--code", "no such code"]);
    assert!(!ok && stderr.contains("no such code"), "{stderr}");
    let (ok, _, stderr) = run(d, &["search", "court", "--count", "shoe-size"]);
    assert!(!ok && stderr.contains("`shoe-size` is not an attribute of participants"), "{stderr}");

    let expected = turns(d, &["court"]);
    let manifest = d.join("study/.thema/index/manifest.json");
    // An index of another format version is rebuilt, not read.
    let mut json: serde_json::Value = serde_json::from_slice(&fs::read(&manifest).unwrap()).unwrap();
    json["version"] = 0.into();
    fs::write(&manifest, serde_json::to_vec(&json).unwrap()).unwrap();
    let (ok, _, stderr) = run(d, &["search", "court"]);
    assert!(ok && stderr.contains("the search index is of format 0"), "{stderr}");
    // A damaged index (its metadata truncated) is rebuilt.
    fs::write(d.join("study/.thema/index/meta.json"), "{").unwrap();
    let (ok, _, stderr) = run(d, &["search", "court"]);
    assert!(ok && stderr.contains("damaged") && stderr.contains("built the search index"), "{stderr}");
    // A missing one too.
    fs::remove_dir_all(d.join("study/.thema")).unwrap();
    assert_eq!(turns(d, &["court"]), expected);
}

/// Whole-word, case-insensitive occurrences of `word` in the example's transcripts (speaker
/// labels hold none of the words counted here).
fn occurrences(word: &str) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/palis-2024/transcripts");
    let mut n = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap().to_lowercase();
        n += text.split(|c: char| !c.is_alphanumeric()).filter(|w| *w == word).count();
    }
    n
}

#[test]
fn word_counts_and_keyness_add_up() {
    let dir = example();
    let d = dir.path();
    let (ok, stdout, stderr) = run(d, &["words", "--interviewers", "--limit", "100000", "--json"]);
    assert!(ok, "{stderr}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    for word in ["people", "hope", "decision", "help"] {
        let row = rows.iter().find(|r| r["word"] == word).unwrap_or_else(|| panic!("{word}"));
        assert_eq!(row["count"].as_u64(), Some(occurrences(word) as u64), "{word}");
    }
    // Words in brackets are editors' or transcribers' notes, not speech: "[going to court]" in
    // fg1 is one of the four "court"s and is not counted.
    let court = rows.iter().find(|r| r["word"] == "court").unwrap();
    assert_eq!(court["count"].as_u64(), Some(occurrences("court") as u64 - 1));
    assert!(!rows.iter().any(|r| ["the", "and", "you", "um"].contains(&r["word"].as_str().unwrap())));
    // Keyness by role: each word's counts in its group and the rest add up to the corpus count.
    let (ok, stdout, _) =
        run(d, &["words", "--compare", "role", "--interviewers", "--min-count", "1", "--limit", "100000", "--json"]);
    assert!(ok);
    let key: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let decision = key.iter().find(|k| k["word"] == "decision").unwrap();
    assert_eq!(decision["group"], "UTGSS Program Manager");
    let total = decision["count"].as_u64().unwrap() + decision["rest_count"].as_u64().unwrap();
    assert_eq!(total, occurrences("decision") as u64);
    assert!(decision["g2"].as_f64().unwrap() > 3.84);
    let (ok, _, stderr) = run(d, &["words", "--compare", "shoe-size"]);
    assert!(!ok && stderr.contains("cannot group by `shoe-size`: this study has no participant column"), "{stderr}");
}

#[test]
fn similar_turns_are_uncoded_and_share_words() {
    let dir = example();
    let d = dir.path();
    let coded = turns(d, &["*", "--code", "Offering hope"]);
    let (ok, stdout, stderr) = run(d, &["similar", "--code", "Offering hope", "--limit", "5", "--json"]);
    assert!(ok, "{stderr}");
    let results: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let hits = results["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        assert!(!coded.contains(hit["turn"].as_str().unwrap()), "{hit}");
        assert!(!hit["matches"].as_array().unwrap().is_empty(), "{hit}");
    }
    // Scores come best first.
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    run(d, &["codebook", "add", "Unused"]);
    let (ok, _, stderr) = run(d, &["similar", "--code", "Unused"]);
    assert!(!ok && stderr.contains("nothing is coded with `Unused` yet"), "{stderr}");
}

/// The set of turn ids given.
fn ids(turns: &[&str]) -> BTreeSet<String> {
    turns.iter().map(|t| (*t).to_owned()).collect()
}

#[test]
fn prefixes_find_the_words_that_begin_with_them() {
    let dir = example();
    let d = dir.path();
    // Counted in the example's texts: "families" once (int1, turn 2), "family" three times
    // (int2, turn 2), no other word beginning with "fam"; "way out" twice, in int1's turn 2.
    let both = ids(&["int1:T2", "int2:T2"]);
    for query in ["fam*", "FAM*", "\"fam\"*", "exact:fam*", "text:fam*", "famil*", "(fam* OR zzz) AND fam*"] {
        assert_eq!(turns(d, &[query]), both, "{query}");
    }
    assert_eq!(turns(d, &["fam*", "--exact"]), both);
    // A prefix of the words as written, not of their stems ("families" is stemmed `famili`).
    assert_eq!(turns(d, &["families*"]), ids(&["int1:T2"]));
    assert_eq!(turns(d, &["fam* -exact:families"]), ids(&["int2:T2"]));
    assert_eq!(turns(d, &["\"way ou\"*"]), ids(&["int1:T2"]));
    assert!(turns(d, &["fum*"]).is_empty());
    // The words located for display are the whole words.
    let (ok, stdout, stderr) = run(d, &["search", "--json", "fam*"]);
    assert!(ok, "{stderr}");
    let results: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let mut words = Vec::new();
    for hit in results["hits"].as_array().unwrap() {
        let text = hit["text"].as_str().unwrap();
        for m in hit["matches"].as_array().unwrap() {
            let (start, end) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
            words.push(text[start..end].to_owned());
        }
    }
    words.sort();
    assert_eq!(words, ["families", "family", "family", "family"]);
    // Auto-coding codes those four words.
    let (ok, _, stderr) = run(d, &["search", "fam*", "--autocode", "answer-the-phone"]);
    assert!(ok && stderr.contains("coded 4 passages"), "{stderr}");
    let mut quotes: Vec<String> = codings(d, "ann")
        .into_iter()
        .filter(|c| c["code"] == "answer-the-phone")
        .map(|c| c["quote"].as_str().unwrap().to_owned())
        .collect();
    quotes.sort();
    assert_eq!(quotes, ["families", "family", "family", "family"]);
    assert!(run(d, &["check"]).0);
}

#[test]
fn an_index_build_on_a_full_disk_names_the_folder_and_the_cause() {
    // The example study on a 3 MB tmpfs whose free space is filled but for 24 KiB, too little
    // for its index. Mounting needs root; without it this test says SKIP, and the error's
    // mapping is tested by itself in thema-search (`index::tests`).
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("small-disk");
    fs::create_dir(&disk).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
        .arg(&disk)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        thema_testkit::skip("cannot mount a tmpfs here (needs root)");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&disk);
    let out = thema(&disk).args(["demo", "--out", "study"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = fs::remove_dir_all(disk.join("study/.thema/index"));
    // Fill the disk, then give back 24 KiB.
    let filler = disk.join("filler");
    {
        use std::io::Write;
        let mut file = fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        while file.write_all(&block).is_ok() {}
        let len = file.metadata().unwrap().len();
        file.set_len(len.saturating_sub(24 << 10)).unwrap();
    }
    let out = thema(&disk).args(["--study", "study", "search", "family"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let (before, after) = stderr.split_once(".thema/index`: ").expect("the index folder is named");
    assert!(before.contains("error: cannot write the search index in `"), "{stderr}");
    assert!(after.starts_with("No space left on device (os error 28)"), "{stderr}");
    assert!(!stderr.contains("killed"), "{stderr}");
    assert!(stderr.contains("hint: free space on the disk that holds the study"), "{stderr}");
    // With the space back, the same search builds the index and finds the two turns.
    fs::remove_file(&filler).unwrap();
    let out = thema(&disk).args(["--study", "study", "search", "family", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let results: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(results["total"], 2);
}

/// Overwrite `path` in place with `from` replaced by `to` (of the same length): the same inode
/// and size, as an editor that saves into the file writes it.
fn edit_in_place(path: &Path, from: &str, to: &str) {
    use std::io::Write;
    assert_eq!(from.len(), to.len());
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}", path.display());
    let mut file = fs::OpenOptions::new().write(true).open(path).unwrap();
    file.write_all(text.replace(from, to).as_bytes()).unwrap();
}

#[test]
fn files_edited_in_place_are_seen_by_the_index_fingerprint() {
    let dir = example();
    let d = dir.path();
    let manifest = || -> serde_json::Value {
        serde_json::from_slice(&fs::read(d.join("study/.thema/index/manifest.json")).unwrap()).unwrap()
    };
    // Files changed less than 2 s before are checked by their contents: no fingerprint is kept.
    let court = turns(d, &["court"]);
    assert!(manifest()["fingerprint"].is_null(), "{}", manifest());
    // Once they have settled, the next search keeps the fingerprint and the one after trusts it.
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    assert_eq!(turns(d, &["court"]), court);
    assert!(manifest()["fingerprint"].is_string(), "{}", manifest());
    assert_eq!(turns(d, &["court"]), court);
    // The metadata: fg1's kind, edited in `document.toml`, is a filter at once.
    edit_in_place(&d.join("study/documents/fg1/document.toml"), "focus-group", "focus-grouq");
    let fg1: BTreeSet<String> = court.iter().filter(|t| t.starts_with("fg1:")).cloned().collect();
    assert!(!fg1.is_empty());
    assert_eq!(turns(d, &["court", "--kind", "focus-grouq"]), fg1);
    // A text, once the fingerprint is trusted again.
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    assert_eq!(turns(d, &["court"]), court);
    assert!(manifest()["fingerprint"].is_string(), "{}", manifest());
    // By hand (grep of the example's texts): int5 says "court" in turn 2 only.
    assert!(court.contains("int5:T2"), "{court:?}");
    edit_in_place(&d.join("study/documents/int5/text.txt"), "court", "xourt");
    let others: BTreeSet<String> = court.iter().filter(|t| !t.starts_with("int5:")).cloned().collect();
    assert_eq!(turns(d, &["court"]), others);
    assert_eq!(turns(d, &["xourt"]), ids(&["int5:T2"]));
}
