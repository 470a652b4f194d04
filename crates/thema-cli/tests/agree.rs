//! `thema agree` on a ratings file, a unitizing file and the example study's codings, with the
//! expected values from publications or worked out by hand below.

use std::fs;
use std::path::Path;

mod support;
use support::thema_as as thema;

fn run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = thema(dir, "hp").args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn value(json: &str, metric_starts: &str) -> f64 {
    let values: serde_json::Value = serde_json::from_str(json).unwrap();
    let v = values.as_array().unwrap().iter().find(|v| v["metric"].as_str().unwrap().starts_with(metric_starts));
    v.unwrap_or_else(|| panic!("{metric_starts} in {json}"))["value"].as_f64().unwrap()
}

/// Krippendorff (2011), reliability data C: 4 observers, 12 units, values 1-5, missing cells.
const K2011: &str = "unit,A,B,C,D
1,1,1,,1
2,2,2,3,2
3,3,3,3,3
4,3,3,3,3
5,2,2,2,2
6,1,2,3,4
7,4,4,4,4
8,1,1,2,1
9,2,2,2,2
10,,5,5,5
11,,,1,1
12,,,3,
";

#[test]
fn ratings_files_reproduce_published_values() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("k2011.csv"), K2011).unwrap();
    // Krippendorff (2011) prints 0.743 (nominal), 0.815 (ordinal), 0.849 (interval), 0.797 (ratio).
    for (level, published) in [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)] {
        let (ok, stdout, stderr) =
            run(d, &["agree", "--data", "k2011.csv", "--metric", "alpha", "--level", level, "--json"]);
        assert!(ok, "{stderr}");
        let alpha = value(&stdout, "Krippendorff");
        assert!((alpha - published).abs() < 0.0005, "{level}: {alpha}");
    }
    // Gwet (2014) / irrCAC on the same data: AC1 0.77544, Fleiss 0.76117, Conger 0.76282, BP 0.77273.
    let (ok, stdout, _) = run(d, &["agree", "--data", "k2011.csv", "--json", "--bootstrap", "200"]);
    assert!(ok);
    for (metric, published) in
        [("Gwet", 0.77544), ("Fleiss", 0.76117), ("Conger", 0.76282), ("Brennan", 0.77273), ("percent", 0.8181818)]
    {
        assert!((value(&stdout, metric) - published).abs() < 5e-6, "{metric}");
    }
    // The bootstrap interval is reproducible with its seed and brackets alpha.
    let (_, again, _) = run(d, &["agree", "--data", "k2011.csv", "--json", "--bootstrap", "200"]);
    assert_eq!(stdout, again);
    let values: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let ci = &values[0]["ci95"];
    assert!(ci[0].as_f64().unwrap() <= 0.7434 && 0.7434 <= ci[1].as_f64().unwrap(), "{ci}");
}

#[test]
fn bad_ratings_get_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("one.csv"), "A\n1\n2\n").unwrap();
    let (ok, _, stderr) = run(d, &["agree", "--data", "one.csv"]);
    assert!(!ok && stderr.contains("at least two coders; the data has 1"), "{stderr}");
    fs::write(d.join("words.csv"), "A,B\n1,2\nlow,high\n").unwrap();
    let (ok, _, stderr) = run(d, &["agree", "--data", "words.csv", "--level", "interval"]);
    assert!(!ok && stderr.contains("the interval metric needs numbers, and `high` is not one"), "{stderr}");
    fs::write(d.join("ragged.csv"), "A,B\n1,2\n1,2,3\n").unwrap();
    let (ok, _, stderr) = run(d, &["agree", "--data", "ragged.csv"]);
    assert!(!ok && stderr.contains("line 3"), "{stderr}");
    // A unit nobody rated is left out with a note; no variation is "undefined", never NaN.
    fs::write(d.join("same.csv"), "A,B\n1,1\n,\n1,1\n").unwrap();
    let (ok, stdout, stderr) = run(d, &["agree", "--data", "same.csv"]);
    assert!(ok && stderr.contains("line 3: a unit with no ratings, left out"), "{stderr}");
    assert!(stdout.contains("undefined (alpha is undefined: there is no variation in the values)"), "{stdout}");
    assert!(!stdout.split_whitespace().any(|w| w.eq_ignore_ascii_case("nan")), "{stdout}");
    let (ok, _, stderr) = run(d, &["agree", "--data", "same.csv", "--metric", "kappa"]);
    assert!(!ok && stderr.contains("`kappa` is not a metric"), "{stderr}");
}

#[test]
fn unitized_alpha_from_a_file_of_spans() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Krippendorff (2004) p. 254: continuum 150..450, two coders, categories c and k; α_U 0.8591.
    let spans = "coder,begin,end,category
i,225,295,c
i,370,400,c
j,220,300,c
j,355,375,c
j,400,420,c
i,180,240,k
i,300,350,k
j,180,240,k
j,300,350,k
";
    fs::write(d.join("spans.csv"), spans).unwrap();
    let (ok, stdout, stderr) =
        run(d, &["agree", "--units", "spans.csv", "--begin", "150", "--length", "300", "--json"]);
    assert!(ok, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!((report["alpha"]["value"].as_f64().unwrap() - 0.8591).abs() < 0.0005);
    assert!((report["categories"][0]["alpha"].as_f64().unwrap() - 0.7286).abs() < 0.0001);
    // One category with its disagreements: Krippendorff prints D_o 0.0144, D_e 0.0532, α 0.7286 for c.
    let (ok, stdout, stderr) =
        run(d, &["agree", "--units", "spans.csv", "--begin", "150", "--length", "300", "--category", "c", "--json"]);
    assert!(ok, "{stderr}");
    let c: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!((c["value"].as_f64().unwrap() - 0.7286).abs() < 0.0001, "{c}");
    assert!((c["observed"].as_f64().unwrap() - 0.0144).abs() < 0.0001, "{c}");
    assert!((c["expected"].as_f64().unwrap() - 0.0532).abs() < 0.0001, "{c}");
    let (ok, _, stderr) =
        run(d, &["agree", "--units", "spans.csv", "--begin", "150", "--length", "300", "--category", "x"]);
    assert!(!ok && stderr.contains("no coder used the category `x`; the categories are c, k"), "{stderr}");
    let (ok, _, stderr) = run(d, &["agree", "--units", "spans.csv"]);
    assert!(!ok && stderr.contains("--length"), "{stderr}");
    fs::write(d.join("bad.csv"), "coder,begin,end,category\ni,20,10,c\n").unwrap();
    let (ok, _, stderr) = run(d, &["agree", "--units", "bad.csv", "--length", "100"]);
    assert!(!ok && stderr.contains("line 2: the unit ends (10) before it begins (20)"), "{stderr}");
}

#[test]
fn two_coders_on_the_example_study() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(thema(d, "hp").args(["demo", "--out", "study"]).output().unwrap().status.success());
    let (ok, _, stderr) = run(d, &["--study", "study", "agree"]);
    assert!(!ok && stderr.contains("agreement needs two coders"), "{stderr}");
    // A second coder codes three whole turns of three documents.
    for turn in ["fg2:T2", "int1:T2"] {
        assert!(thema(d, "bo")
            .args(["--study", "study", "code", "Offering hope", "--turn", turn])
            .output()
            .unwrap()
            .status
            .success());
    }
    let shared = ["--study", "study", "code", "Relying on shared experience", "--turn", "fg1:T2"];
    assert!(thema(d, "bo").args(shared).output().unwrap().status.success());
    let (ok, stdout, stderr) = run(
        d,
        &["--study", "study", "agree", "--code", "Offering hope", "--code", "Relying on shared experience", "--json"],
    );
    assert!(ok, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // fg1, fg2 and int1 are coded by both: 9 + 7 + 3 turns.
    assert_eq!(report["units"], 19);
    let code = |id: &str| report["codes"].as_array().unwrap().iter().find(|c| c["code"] == id).unwrap().clone();
    let alpha = |c: &serde_json::Value| {
        c["statistics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["metric"].as_str().unwrap().starts_with("Krippendorff"))
            .unwrap()["value"]
            .as_f64()
            .unwrap()
    };
    // hp's in-vivo codes under "Offering hope" sit in the same two turns bo coded: full agreement.
    assert_eq!(alpha(&code("offering-hope")), 1.0);
    // "Relying on shared experience": bo in fg1:T2; hp (in vivo, under it) in fg1:T2, T4, T5.
    // By hand: 16 units 0-0 give o00 = 32, one 1-1 gives o11 = 2, two 0-1 give o01 = o10 = 2;
    // n0 = 34, n1 = 4, n = 38; alpha = 1 - (n - 1) (o01 + o10) / (2 n0 n1) = 1 - 37 * 4 / 272.
    let by_hand = 1.0 - 37.0 * 4.0 / 272.0;
    assert!((alpha(&code("relying-on-shared-experience")) - by_hand).abs() < 1e-12);
    let disagreements: Vec<&str> =
        report["disagreements"].as_array().unwrap().iter().map(|d| d["turn"].as_str().unwrap()).collect();
    assert_eq!(disagreements, ["fg1:T4", "fg1:T5"]);
    // Scott's pi on the same units by name: p_o = 17/19, pooled share of 1s 4/38, so
    // p_e = (16 + 1156) / 1444 and pi = 120 / 272.
    let (ok, stdout, stderr) = run(
        d,
        &["--study", "study", "agree", "--code", "Relying on shared experience", "--metric", "scott-pi", "--json"],
    );
    assert!(ok, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let pi = &report["codes"][0]["statistics"][0];
    assert_eq!(pi["metric"], "Scott's pi");
    assert!((pi["value"].as_f64().unwrap() - 120.0 / 272.0).abs() < 1e-12, "{pi}");
    // Statistics of numbers and ranks do not apply to codes applied or not.
    let (ok, _, stderr) = run(d, &["--study", "study", "agree", "--metric", "icc"]);
    assert!(!ok && stderr.contains("hint: rate the units on a scale in a ratings file"), "{stderr}");
    let (ok, _, stderr) = run(d, &["--study", "study", "agree", "--category", "x"]);
    assert!(!ok && stderr.contains("`--category` is for a ratings file"), "{stderr}");
    let (ok, _, stderr) = run(d, &["--study", "study", "agree", "hp", "zed"]);
    assert!(!ok && stderr.contains("`zed` has no codings"), "{stderr}");
}

/// Wikipedia's Fleiss' kappa example (14 raters, 10 subjects, 5 categories), as counts.
const FLEISS_COUNTS: &str = "subject,1,2,3,4,5
1,0,0,0,0,14
2,0,2,6,4,2
3,0,0,3,5,6
4,0,3,9,2,0
5,2,2,8,1,1
6,7,7,0,0,0
7,3,2,6,3,0
8,2,5,3,2,2
9,6,5,2,1,0
10,0,2,2,3,7
";

#[test]
fn ratings_files_choose_coders_read_counts_and_declare_categories() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Three coders; A and C compared by name. Both rated units 1-4 and 6, agreeing on 2, 3, 4, 6.
    fs::write(d.join("r.csv"), "unit,A,B,C\n1,a,a,b\n2,b,b,b\n3,a,b,a\n4,c,c,c\n5,a,a,\n6,b,,b\n7,,c,\n").unwrap();
    let metric = |args: &[&str], name: &str| -> f64 {
        let mut all = vec!["agree", "--data", "r.csv"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--metric", name, "--json"]);
        let (ok, stdout, stderr) = run(d, &all);
        assert!(ok, "{name}: {stderr}");
        let values: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        values[0]["value"].as_f64().unwrap()
    };
    // p_o = 4/5. Holsti: 2 * 4 / (6 + 5) (unit 7 is left out for A and C, rated by neither).
    assert!((metric(&["A", "C"], "holsti") - 8.0 / 11.0).abs() < 1e-12);
    // Bennett's S with 3 categories: (0.8 - 1/3) / (2/3); declared a-d: (0.8 - 1/4) / (3/4).
    assert!((metric(&["A", "C"], "bennett-s") - 0.7).abs() < 1e-12);
    assert!((metric(&["A", "C", "--categories", "a,b,c,d"], "bennett-s") - 0.55 / 0.75).abs() < 1e-12);
    // Scott's pi: pooled a .3, b .5, c .2, p_e .38: (0.8 - 0.38) / 0.62.
    assert!((metric(&["A", "C"], "scott-pi") - 0.42 / 0.62).abs() < 1e-12);
    // Bangdiwala's B: diagonal 1, 2, 1; margins (2, 1), (2, 3), (1, 1): 6 / 9.
    assert!((metric(&["A", "C"], "bangdiwala-b") - 6.0 / 9.0).abs() < 1e-12);
    // Light's kappa of two coders is their Cohen's kappa: p_e = .4*.2 + .4*.6 + .2*.2 = .36.
    assert!((metric(&["C", "A"], "light-kappa") - 0.44 / 0.64).abs() < 1e-12);

    // Alpha of `a` against b and c: 0/1 data with o11 = 4, o00 = 8, o01 = o10 = 2 (unit 7 has
    // one rating): 1 - 15 * 4 / (2 * 10 * 6).
    assert!((metric(&["--category", "a", "--bootstrap", "0"], "alpha") - 0.5).abs() < 1e-12);
    let (ok, _, stderr) = run(d, &["agree", "--data", "r.csv", "--metric", "percent", "--category", "a"]);
    assert!(!ok && stderr.contains("`percent` is not computed per category"), "{stderr}");

    // The statistics of two coders refuse three, with what to do instead.
    let (ok, _, stderr) = run(d, &["agree", "--data", "r.csv", "--metric", "scott-pi"]);
    assert!(!ok && stderr.contains("Scott's pi compares two coders; the data has 3"), "{stderr}");
    assert!(stderr.contains("hint: name two coders"), "{stderr}");
    let (ok, _, stderr) = run(d, &["agree", "--data", "r.csv", "A", "Z"]);
    assert!(!ok && stderr.contains("`r.csv` has no column `Z`") && stderr.contains("its coders: A, B, C"), "{stderr}");
    let (ok, _, stderr) = run(d, &["agree", "--data", "r.csv", "--categories", "a,b"]);
    assert!(!ok && stderr.contains("`c` is rated but is not one of the declared categories"), "{stderr}");

    // Counts: Fleiss' kappa 0.210, P = 0.378 as published; Randolph's kappa (P - 1/5) / (4/5).
    fs::write(d.join("counts.csv"), FLEISS_COUNTS).unwrap();
    let (ok, stdout, stderr) = run(d, &["agree", "--data", "counts.csv", "--counts", "--json", "--bootstrap", "0"]);
    assert!(ok, "{stderr}");
    assert!((value(&stdout, "Fleiss") - 0.20993).abs() < 5e-6, "{stdout}");
    let observed = value(&stdout, "percent");
    assert!((observed - 0.37802).abs() < 5e-6, "{stdout}");
    // Cohen's and Conger's kappa need each rater: left out of `all`, refused by name.
    assert!(!stdout.contains("Conger") && !stdout.contains("Cohen"), "{stdout}");
    let (ok, stdout, _) =
        run(d, &["agree", "--data", "counts.csv", "--counts", "--metric", "randolph-kappa", "--json"]);
    assert!(ok);
    assert!((value(&stdout, "Randolph") - (observed - 0.2) / 0.8).abs() < 1e-12);
    let (ok, _, stderr) = run(d, &["agree", "--data", "counts.csv", "--counts", "--metric", "light-kappa"]);
    assert!(!ok && stderr.contains("needs each rater's own ratings"), "{stderr}");
    fs::write(d.join("bad.csv"), "a,b\n1,2\n1,x\n").unwrap();
    let (ok, _, stderr) = run(d, &["agree", "--data", "bad.csv", "--counts"]);
    assert!(!ok && stderr.contains("line 3: `x` under `b` is not a count of raters"), "{stderr}");
}

#[test]
fn numeric_ratings_get_weighted_kappa_icc_and_kendall_w() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Shrout & Fleiss (1979) Table 2; their Table 4 prints ICC(2,1) .29, ICC(3,4) .91.
    fs::write(
        d.join("sf.csv"),
        "unit,j1,j2,j3,j4\n1,9,2,5,8\n2,6,1,3,2\n3,8,4,6,8\n4,7,1,2,6\n5,10,5,6,9\n6,6,2,4,7\n",
    )
    .unwrap();
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["agree", "--data"];
        all.extend_from_slice(args);
        all.push("--json");
        let (ok, stdout, stderr) = run(d, &all);
        assert!(ok, "{stderr}");
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap()[0].clone()
    };
    let icc = json(&["sf.csv", "--metric", "icc"]);
    assert_eq!(icc["metric"], "intraclass correlation (twoway-agreement, single)");
    assert!((icc["value"].as_f64().unwrap() - 0.29).abs() < 0.005, "{icc}");
    // psych::ICC gives 0.0188 to 0.7611 for ICC2.
    assert!((icc["ci95"][0].as_f64().unwrap() - 0.0188).abs() < 0.0001, "{icc}");
    let icc = json(&["sf.csv", "--metric", "icc", "--model", "twoway-consistency", "--measure", "average"]);
    assert!((icc["value"].as_f64().unwrap() - 0.91).abs() < 0.005, "{icc}");
    // Kendall's W without ties to correct: rank sums 6, 6, 6, 13, 15, 17: 12 * 129.5 / (9 * 210).
    fs::write(d.join("ranks.csv"), "a,b,c\n1,2,3\n2,3,1\n3,1,2\n4,4,5\n5,6,4\n6,5,6\n").unwrap();
    let w = json(&["ranks.csv", "--metric", "kendall-w", "--no-tie-correction"]);
    assert_eq!(w["metric"], "Kendall's W (no tie correction)");
    assert!((w["value"].as_f64().unwrap() - 1554.0 / 1890.0).abs() < 1e-12);
    // Weighted kappa of two coders: with linear weights on 1-3, the table [[1,1,0],[0,1,0],[0,1,1]]
    // has p_o = (3 + 2 * 0.5) / 5 = 0.8.
    fs::write(d.join("two.csv"), "a,b\n1,1\n1,2\n2,2\n3,2\n3,3\n").unwrap();
    // Rows 0.4 0.2 0.4, columns 0.2 0.6 0.2; Σ w p_i p_j = 0.4 (0.2 + 0.3 + 0) + 0.2 (0.1 + 0.6 + 0.1)
    // + 0.4 (0 + 0.3 + 0.2) = 0.2 + 0.16 + 0.2 = 0.56; kappa = (0.8 - 0.56) / 0.44.
    let k = json(&["two.csv", "--metric", "cohen-kappa", "--weights", "linear"]);
    assert_eq!(k["metric"], "Cohen's kappa (linear weights)");
    assert!((k["value"].as_f64().unwrap() - 0.24 / 0.44).abs() < 1e-12, "{k}");
    assert!(k["se"].as_f64().unwrap() > 0.0 && k["ci95"][0].as_f64().unwrap() < k["value"].as_f64().unwrap());
    // The same weights from a file.
    fs::write(d.join("w.csv"), ",1,2,3\n1,1,0.5,0\n2,0.5,1,0.5\n3,0,0.5,1\n").unwrap();
    let from_file = json(&["two.csv", "--metric", "cohen-kappa", "--weights", "w.csv"]);
    assert_eq!(from_file["value"], k["value"]);
    fs::write(d.join("bad_w.csv"), ",1,2,3\n1,0.9,0.5,0\n2,0.5,1,0.5\n3,0,0.5,1\n").unwrap();
    let (ok, _, stderr) = run(d, &["agree", "--data", "two.csv", "--metric", "cohen-kappa", "--weights", "bad_w.csv"]);
    assert!(!ok && stderr.contains("line 2: the weight of `1` with `1` is 0.9"), "{stderr}");
    let (ok, _, stderr) = run(d, &["agree", "--data", "two.csv", "--metric", "gwet-ac2"]);
    assert!(!ok && stderr.contains("hint: add `--weights linear`"), "{stderr}");
    let (ok, _, stderr) = run(d, &["agree", "--data", "two.csv", "--metric", "cohen-kappa", "--weights", "cubic"]);
    assert!(!ok && stderr.contains("`cubic` is neither a kind of weights nor a file"), "{stderr}");
    // Linear weights on words are refused, declared order or not, with the way to ordinal weights.
    fs::write(d.join("words.csv"), "a,b\nlow,high\nmid,mid\nhigh,high\n").unwrap();
    let linear = ["agree", "--data", "words.csv", "--metric", "cohen-kappa", "--weights", "linear"];
    let (ok, _, stderr) = run(d, &[&linear[..], &["--categories", "low,mid,high"]].concat());
    assert!(!ok && stderr.contains("needs numbers, and `low` is not one"), "{stderr}");
    assert!(stderr.contains("hint: for labels in an order, use `--weights ordinal`"), "{stderr}");
}
