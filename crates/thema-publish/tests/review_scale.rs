//! The review page of a large study stays small enough to mail and to open: the synthetic
//! study's 366-entry codebook and 20,000 codings by each of two coders.

use thema_publish::review::{self, ReviewOptions};
use thema_testkit::synth::{self, Plan};

#[test]
#[ignore = "large (30 s unoptimised): cargo test --release -p thema-publish --test review_scale -- --ignored"]
fn a_page_of_300_entries_and_20000_codings_stays_under_10_mb() {
    let dir = tempfile::tempdir().unwrap();
    // 20 documents of 1,000 turns; each coder codes 1,000 turns of each.
    let plan =
        Plan { documents: 20, turns_per_document: 1_000, codings_per_document: 1_000, coders: 2, ..Plan::turns(0) };
    synth::generate(dir.path(), plan).unwrap();
    let study = thema_core::Study::open(dir.path()).unwrap();
    let set = study.coder_set(&["coder1".to_owned()]).unwrap();
    let started = std::time::Instant::now();
    let page = review::build(&study, &set, &ReviewOptions::default()).unwrap();
    let took = started.elapsed();
    // Every coding of coder1 is on the page, once: the generator places 19,174 of the 20,000 it
    // draws (two draws of one turn and code are one coding).
    let quotes = page.matches("\"target\":\"coding:").count();
    assert_eq!(quotes, study.load_set_codings(&set).unwrap().len());
    assert!(quotes > 19_000, "{quotes}");
    assert!(page.len() < 10_000_000, "{} bytes", page.len());
    eprintln!("review page: {} bytes, {quotes} quotes, built in {took:.1?}", page.len());

    // Opened in headless Chromium, the page is ready (its data read, the codebook listed) in
    // under 2 s from the start of navigation.
    let Some(bin) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| std::process::Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
    else {
        thema_testkit::skip("chromium is not installed (`.ci/run` installs it)");
        return;
    };
    let file = dir.path().join("review.html");
    std::fs::write(&file, &page).unwrap();
    let out = std::process::Command::new(bin)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let ms: u64 = dom
        .split("data-ready-ms=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|ms| ms.parse().ok())
        .unwrap_or_else(|| panic!("the page's script did not finish: {}", &dom[..dom.len().min(500)]));
    eprintln!("review page ready in Chromium after {ms} ms");
    assert!(ms < 2_000, "{ms} ms");
}
