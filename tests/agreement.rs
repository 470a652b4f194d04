//! Every expected value in `../shared/agreement/vectors.json` (published worked examples, each
//! checked there against independent implementations) reproduced to its printed tolerance.
//! A statistic this test does not know fails it, so no vector is skipped silently.

use std::path::Path;

use serde_json::Value;
use thema_analysis::agreement::{self, Level, Ratings, Table, Weights};
use thema_analysis::unitizing::{self, Unit};

fn vectors() -> Option<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/agreement/vectors.json");
    match std::fs::read(&path) {
        Ok(bytes) => Some(serde_json::from_slice(&bytes).unwrap()),
        Err(_) => {
            thema_testkit::skip(format_args!(
                "{} is missing; this test needs shared/ beside the checkout",
                path.display()
            ));
            None
        }
    }
}

fn ratings(data: &Value) -> Ratings {
    let rows: Vec<Vec<Option<f64>>> = data["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row.as_array().unwrap().iter().map(Value::as_f64).collect())
        .collect();
    Ratings::from_numbers(&rows).unwrap()
}

fn table(data: &Value) -> Table {
    let cells = data["table"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect())
        .collect();
    Table { cells }
}

fn counts(data: &Value) -> Vec<Vec<f64>> {
    data["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect())
        .collect()
}

fn gwet_weights(options: &Value) -> Weights {
    match options["weights"].as_str() {
        None => Weights::Identity,
        Some(w) if w.contains("quadratic") => Weights::Quadratic,
        Some(w) if w.contains("linear") => Weights::Linear,
        Some(w) if w.contains("ordinal") => Weights::Ordinal,
        Some(w) => panic!("unknown weights {w}"),
    }
}

/// What thema computes for one expected entry of a vector.
fn compute(id: &str, data: &Value, expected: &Value) -> f64 {
    let statistic = expected["statistic"].as_str().unwrap();
    let options = &expected["options"];
    let format = data["format"].as_str().unwrap();
    match (format, statistic) {
        ("units_x_coders", "krippendorff_alpha") if options.get("weights").is_some() => {
            agreement::gwet(&ratings(data), gwet_weights(options)).unwrap().unwrap().krippendorff_alpha.unwrap()
        }
        ("units_x_coders", "krippendorff_alpha") => {
            let level: Level = options["level"].as_str().unwrap().parse().unwrap();
            agreement::krippendorff_alpha(&ratings(data), level).unwrap().unwrap()
        }
        ("units_x_coders", "percent_agreement") => {
            agreement::gwet(&ratings(data), Weights::Identity).unwrap().unwrap().percent
        }
        ("units_x_coders", "gwet_ac1" | "gwet_ac2") => {
            agreement::gwet(&ratings(data), gwet_weights(options)).unwrap().unwrap().gwet_ac.unwrap()
        }
        ("units_x_coders", "fleiss_kappa") if id.starts_with("fleiss1971") => {
            let r = ratings(data);
            agreement::fleiss(&agreement::category_counts(&r)).unwrap().kappa.unwrap()
        }
        ("units_x_coders", "fleiss_kappa") => {
            agreement::gwet(&ratings(data), gwet_weights(options)).unwrap().unwrap().fleiss_kappa.unwrap()
        }
        ("units_x_coders", "conger_kappa" | "fleiss_kappa_exact_conger") => {
            agreement::gwet(&ratings(data), gwet_weights(options)).unwrap().unwrap().conger_kappa.unwrap()
        }
        ("units_x_coders", "brennan_prediger") => {
            agreement::gwet(&ratings(data), gwet_weights(options)).unwrap().unwrap().brennan_prediger.unwrap()
        }
        ("units_x_coders", "fleiss_observed_agreement") => {
            agreement::fleiss(&agreement::category_counts(&ratings(data))).unwrap().observed
        }
        ("units_x_coders", "fleiss_expected_agreement") => {
            agreement::fleiss(&agreement::category_counts(&ratings(data))).unwrap().expected
        }
        ("units_x_coders", "fleiss_category_kappa") => {
            let name = options["category"].as_str().unwrap();
            let index = data["categories"].as_array().unwrap().iter().position(|c| c == name).unwrap();
            let r = ratings(data);
            agreement::fleiss(&agreement::category_counts(&r)).unwrap().categories[index].clone().unwrap()
        }
        ("units_x_coders", "light_kappa") => agreement::light_kappa(&ratings(data)).unwrap(),
        ("units_x_coders", "cohen_kappa") => {
            let coders: Vec<&str> = data["coders"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
            let pair: Vec<usize> = options["raters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| coders.iter().position(|c| c == r).unwrap())
                .collect();
            agreement::pair_table(&ratings(data), pair[0], pair[1]).cohen_kappa().unwrap()
        }
        ("units_x_coders", "percent_agreement_all_raters") => 100.0 * agreement::all_agree(&ratings(data)).unwrap(),
        ("subject_category_counts", "fleiss_kappa") => agreement::fleiss(&counts(data)).unwrap().kappa.unwrap(),
        ("subject_category_counts", "fleiss_observed_agreement") => agreement::fleiss(&counts(data)).unwrap().observed,
        ("subject_category_counts", "fleiss_expected_agreement") => agreement::fleiss(&counts(data)).unwrap().expected,
        ("contingency_table", _) => {
            let t = table(data);
            let identity = t.weights(Weights::Identity);
            let linear = t.weights(Weights::Linear);
            let quadratic = t.weights(Weights::Quadratic);
            match statistic {
                "observed_agreement" => t.observed(),
                "cohen_expected_agreement" => t.expected(),
                "cohen_kappa" => t.cohen_kappa().unwrap(),
                "cohen_kappa_max" => t.cohen_kappa_max().unwrap(),
                "cohen_kappa_ase" => t.kappa_inference(&identity).unwrap().ase,
                "cohen_kappa_ase_h0" => t.kappa_inference(&identity).unwrap().ase_h0,
                "cohen_kappa_z" => t.kappa_inference(&identity).unwrap().z,
                "cohen_kappa_ci95_lower" => t.kappa_inference(&identity).unwrap().ci95.0,
                "cohen_kappa_ci95_upper" => t.kappa_inference(&identity).unwrap().ci95.1,
                "cohen_kappa_weighted" => t.kappa_inference(&linear).unwrap().kappa,
                "cohen_kappa_weighted_ase" => t.kappa_inference(&linear).unwrap().ase,
                "cohen_kappa_weighted_z" => t.kappa_inference(&linear).unwrap().z,
                "gwet_ac1" => t.gwet_ac(&identity).unwrap().0,
                "gwet_ac1_expected_agreement" => t.gwet_ac(&identity).unwrap().1,
                "gwet_ac2_quadratic" => t.gwet_ac(&quadratic).unwrap().0,
                other => panic!("{id}: unknown statistic {other}"),
            }
        }
        ("unitizing", _) => {
            let units = data["units"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| Unit {
                    begin: u["begin"].as_u64().unwrap(),
                    length: u["length"].as_u64().unwrap(),
                    coder: u["coder"].as_u64().unwrap() as usize,
                    category: u["category"].as_str().unwrap().to_owned(),
                })
                .collect();
            let study = unitizing::Study {
                begin: data["continuum_begin"].as_u64().unwrap(),
                length: data["continuum_length"].as_u64().unwrap(),
                coders: data["coders"].as_u64().unwrap() as usize,
                units,
            };
            study.validate().unwrap();
            let category = options["category"].as_str();
            match statistic {
                "u_alpha" => study.alpha().unwrap(),
                "u_alpha_category_observed_disagreement" => study.observed(category.unwrap()),
                "u_alpha_category_expected_disagreement" => study.expected(category.unwrap()),
                "u_alpha_category" => {
                    study.category_alphas().into_iter().find(|c| Some(c.category.as_str()) == category).unwrap().alpha
                }
                // The source's check: d(2,3,gap; 2,2,X) + d(5,6,X; 4,7,gap).
                "u_alpha_distance" => {
                    unitizing::distance(2, 3, false, 2, 2, true) + unitizing::distance(5, 6, true, 4, 7, false)
                }
                other => panic!("{id}: unknown statistic {other}"),
            }
        }
        (format, statistic) => panic!("{id}: no computation for {statistic} on {format}"),
    }
}

#[test]
fn every_published_vector_is_reproduced() {
    let Some(vectors) = vectors() else { return };
    let mut checked = 0;
    let mut failures = Vec::new();
    for vector in vectors["vectors"].as_array().unwrap() {
        let id = vector["id"].as_str().unwrap();
        let data = &vector["data"];
        for expected in vector["expected"].as_array().unwrap() {
            let want = expected["value"].as_f64().unwrap();
            let tolerance = expected["tolerance"].as_f64().unwrap();
            let got = compute(id, data, expected);
            checked += 1;
            if (got - want).abs() > tolerance.max(1e-12) {
                failures.push(format!(
                    "{id} {} {}: got {got:.7}, published {want} ± {tolerance}",
                    expected["statistic"],
                    expected.get("options").map(Value::to_string).unwrap_or_default()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} differ:\n{}", failures.len(), failures.join("\n"));
    // 69 values in the file of 2026-11: all of them, so the file was read whole.
    assert!(checked >= 69, "only {checked} values checked");
}

// ---------------------------------------------------------------------------------------------
// The statistics added in issue 25, each against published values and independent
// implementations run here (python statsmodels, scikit-learn, irrCAC), on data the test writes.

/// Coders (a header) and rows of labels, a missing rating `None`.
type Rows = (Vec<String>, Vec<Vec<Option<String>>>);

/// The ratings of a vector of the shared file, as labels, and its coders.
fn vector_rows(id: &str) -> Option<Rows> {
    let vectors = vectors()?;
    let vector = vectors["vectors"].as_array().unwrap().iter().find(|v| v["id"] == id).unwrap().clone();
    let coders = vector["data"]["coders"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    let rows = vector["data"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().map(|x| format!("{x}"))).collect())
        .collect();
    Some((coders, rows))
}

/// Gwet (2014) / irrCAC's `cac.ben.gerry`: 12 units, two raters, categories a-e, one missing.
fn ben_gerry() -> Rows {
    let ben = "aabbdcccedda";
    let gerry = "babbbccce dd";
    let rows = ben
        .chars()
        .zip(gerry.chars())
        .map(|(b, g)| vec![Some(b.to_string()), (g != ' ').then(|| g.to_string())])
        .collect();
    (vec!["Ben".into(), "Gerry".into()], rows)
}

/// Krippendorff (2011) reliability data C, as in `vectors.json`.
fn k2011() -> Option<Rows> {
    vector_rows("krippendorff2011_reliability_data_C")
}

/// The columns `keep` of `rows`.
fn columns(rows: &[Vec<Option<String>>], keep: &[usize]) -> Vec<Vec<Option<String>>> {
    rows.iter().map(|r| keep.iter().map(|&c| r[c].clone()).collect()).collect()
}

/// Write `rows` as CSV (empty cell: missing) into `dir` under `name`.
fn write_csv(dir: &Path, name: &str, coders: &[String], rows: &[Vec<Option<String>>]) -> std::path::PathBuf {
    let mut text = coders.join(",") + "\n";
    for row in rows {
        text += &row.iter().map(|c| c.clone().unwrap_or_default()).collect::<Vec<_>>().join(",");
        text += "\n";
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Run `script` with python3 (the CSV files as `sys.argv[1:]`); it prints one JSON object of
/// numbers. `None`, after a visible SKIP, when python3 or one of `modules` is missing.
fn python(modules: &str, script: &str, files: &[&Path]) -> Option<serde_json::Map<String, Value>> {
    let check = std::process::Command::new("python3").args(["-c", &format!("import {modules}")]).output();
    match check {
        Ok(out) if out.status.success() => {}
        _ => {
            thema_testkit::skip(format_args!(
                "python3 with {modules} is missing (`.ci/run` installs them with pip); the cross-check needs it"
            ));
            return None;
        }
    }
    let out = std::process::Command::new("python3").arg("-c").arg(script).args(files).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    Some(value.as_object().unwrap().clone())
}

fn close(what: &str, got: f64, want: f64, tolerance: f64) {
    assert!((got - want).abs() <= tolerance, "{what}: thema {got}, expected {want} (± {tolerance})");
}

fn labelled(rows: &[Vec<Option<String>>]) -> Ratings {
    Ratings::new(rows).unwrap()
}

fn pairs(coders: usize) -> Vec<(usize, usize)> {
    (0..coders).flat_map(|a| (a + 1..coders).map(move |b| (a, b))).collect()
}

/// statsmodels (`fleiss_kappa`, `cohens_kappa`) and scikit-learn (`cohen_kappa_score`,
/// `accuracy_score`) on the complete Fleiss (1971) diagnoses: Scott's pi is Fleiss' kappa of two
/// raters, Bennett's S and Randolph's kappa are statsmodels' `method="randolph"`, Hubert's and
/// Light's kappa the means over the 15 pairs, Holsti the accuracy of two raters.
#[test]
fn pairwise_statistics_match_statsmodels_and_scikit_learn() {
    let Some((coders, rows)) = vector_rows("fleiss1971_diagnoses") else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), "diagnoses.csv", &coders, &rows);
    let script = r#"
import sys, json, itertools
import numpy as np, pandas as pd
from statsmodels.stats.inter_rater import fleiss_kappa, aggregate_raters, cohens_kappa, to_table
from sklearn.metrics import cohen_kappa_score, accuracy_score
d = pd.read_csv(sys.argv[1]).to_numpy().astype(int)
def fk(x, method="fleiss"):
    return fleiss_kappa(aggregate_raters(x)[0], method=method)
pairs = list(itertools.combinations(range(d.shape[1]), 2))
out = {
    "scott_pi_12": fk(d[:, [0, 1]]),
    "bennett_s_12": fk(d[:, [0, 1]], "randolph"),
    "holsti_12": accuracy_score(d[:, 0], d[:, 1]),
    "randolph": fk(d, "randolph"),
    "hubert": float(np.mean([fk(d[:, list(p)]) for p in pairs])),
    "light_sklearn": float(np.mean([cohen_kappa_score(d[:, a], d[:, b]) for a, b in pairs])),
    "light_statsmodels": float(np.mean([cohens_kappa(to_table(d[:, [a, b]], bins=np.arange(0.5, 6.5))[0]).kappa for a, b in pairs])),
}
print(json.dumps(out))
"#;
    let Some(peer) = python("statsmodels, sklearn, pandas", script, &[&file]) else { return };
    let all = labelled(&rows);
    let first = labelled(&columns(&rows, &[0, 1]));
    // Bennett's S counts the categories both raters used (statsmodels relabels to those present).
    close("Scott's pi", agreement::scott_pi(&first).unwrap(), peer["scott_pi_12"].as_f64().unwrap(), 1e-9);
    close(
        "Bennett's S",
        agreement::pair_table(&first, 0, 1).bennett_s().unwrap(),
        peer["bennett_s_12"].as_f64().unwrap(),
        1e-9,
    );
    close("Holsti", agreement::holsti(&first, 0, 1).unwrap(), peer["holsti_12"].as_f64().unwrap(), 1e-9);
    let randolph = agreement::gwet(&all, Weights::Identity).unwrap().unwrap().brennan_prediger.unwrap();
    close("Randolph", randolph, peer["randolph"].as_f64().unwrap(), 1e-9);
    close("Hubert", agreement::hubert_kappa(&all).unwrap(), peer["hubert"].as_f64().unwrap(), 1e-9);
    let light = agreement::light_kappa(&all).unwrap();
    close("Light (scikit-learn)", light, peer["light_sklearn"].as_f64().unwrap(), 1e-9);
    close("Light (statsmodels)", light, peer["light_statsmodels"].as_f64().unwrap(), 1e-9);
    // The published value: irr's documentation, kappam.light(diagnoses): 0.459.
    close("Light (irr docs)", light, 0.459, 0.0005);
    assert_eq!(pairs(6).len(), 15);
}

/// irrCAC (python) on the Fleiss (1971) diagnoses, Gwet's `cac.ben.gerry` (a missing rating)
/// and Krippendorff (2011) data C (missing ratings, four raters): its `fleiss` on two complete
/// raters is Scott's pi, its `bp` is Bennett's S on two raters and Randolph's kappa on more, also
/// over declared categories.
#[test]
fn pairwise_statistics_match_irrcac() {
    let Some((coders, rows)) = vector_rows("fleiss1971_diagnoses") else { return };
    let Some((k_coders, k_rows)) = k2011() else { return };
    let (bg_coders, bg_rows) = ben_gerry();
    let dir = tempfile::tempdir().unwrap();
    let diagnoses = write_csv(dir.path(), "diagnoses.csv", &coders, &rows);
    let ben_gerry = write_csv(dir.path(), "ben_gerry.csv", &bg_coders, &bg_rows);
    let k2011 = write_csv(dir.path(), "k2011.csv", &k_coders, &k_rows);
    let script = r#"
import sys, json, itertools
import numpy as np, pandas as pd
from irrCAC.raw import CAC
d = pd.read_csv(sys.argv[1])
bg = pd.read_csv(sys.argv[2])
k = pd.read_csv(sys.argv[3])
def coef(frame, method, **kw):
    return getattr(CAC(frame, digits=15, **kw), method)()["est"]["coefficient_value"]
pairs = list(itertools.combinations(d.columns, 2))
out = {
    "scott_pi_12": coef(d.iloc[:, [0, 1]], "fleiss"),
    "bennett_s_12": coef(d.iloc[:, [0, 1]], "bp"),
    "randolph": coef(d, "bp"),
    "hubert": float(np.mean([coef(d[list(p)], "fleiss") for p in pairs])),
    "bg_scott_complete": coef(bg.dropna(), "fleiss"),
    "bg_fleiss_all": coef(bg, "fleiss"),
    "bg_bennett_s": coef(bg, "bp"),
    "bg_bennett_s_declared": coef(bg, "bp", categories=list("abcdef")),
    "k_randolph": coef(k, "bp"),
}
for name, frame in [("d12", d.iloc[:, [0, 1]]), ("bg", bg.dropna())]:
    e = CAC(frame, digits=15).fleiss()["est"]
    out[name + "_scott_se"] = e["se"]
    out[name + "_scott_low"], out[name + "_scott_high"] = e["confidence_interval"]
for name, frame in [("bg", bg), ("k", k)]:
    e = CAC(frame, digits=15).bp()["est"]
    out[name + "_bp_se"] = e["se"]
    out[name + "_bp_low"], out[name + "_bp_high"] = e["confidence_interval"]
print(json.dumps(out))
"#;
    let Some(peer) = python("irrCAC, pandas", script, &[&diagnoses, &ben_gerry, &k2011]) else { return };
    let p = |k: &str| peer[k].as_f64().unwrap();
    let all = labelled(&rows);
    let first = labelled(&columns(&rows, &[0, 1]));
    close("Scott's pi", agreement::scott_pi(&first).unwrap(), p("scott_pi_12"), 1e-9);
    close("Bennett's S", agreement::pair_table(&first, 0, 1).bennett_s().unwrap(), p("bennett_s_12"), 1e-9);
    let randolph = |r: &Ratings| agreement::gwet(r, Weights::Identity).unwrap().unwrap().brennan_prediger.unwrap();
    close("Randolph", randolph(&all), p("randolph"), 1e-9);
    close("Hubert", agreement::hubert_kappa(&all).unwrap(), p("hubert"), 1e-9);

    // With a missing rating: Scott's pi, like Cohen's kappa, is over the units both coded, where
    // irrCAC's Fleiss' kappa of two raters also counts the unit only Ben rated in the chance
    // proportions; the two differ, and thema's is irrCAC's on the complete units.
    let bg = labelled(&bg_rows);
    close("Scott's pi (ben.gerry)", agreement::scott_pi(&bg).unwrap(), p("bg_scott_complete"), 1e-9);
    assert!((agreement::scott_pi(&bg).unwrap() - p("bg_fleiss_all")).abs() > 1e-4);
    close("Bennett's S (ben.gerry)", agreement::pair_table(&bg, 0, 1).bennett_s().unwrap(), p("bg_bennett_s"), 1e-9);
    let declared = bg.with_categories(&["a", "b", "c", "d", "e", "f"].map(String::from)).unwrap();
    close(
        "Bennett's S over a-f",
        agreement::pair_table(&declared, 0, 1).bennett_s().unwrap(),
        p("bg_bennett_s_declared"),
        1e-9,
    );
    // Bennett's S is Brennan-Prediger of two raters (also over declared categories).
    close("S = BP", randolph(&declared), p("bg_bennett_s_declared"), 1e-9);
    close("Randolph (K2011)", randolph(&labelled(&k_rows)), p("k_randolph"), 1e-9);
    // Published: Gwet's irrCAC README, bp.coeff.raw on data C: 0.77273, SE 0.14472, (0.454, 1).
    close("Randolph (K2011, irrCAC README)", randolph(&labelled(&k_rows)), 0.77273, 5e-6);
    // Gwet's variance of Fleiss' kappa of two raters on the units both rated: Scott's pi's.
    for (name, rows) in [("d12", columns(&rows, &[0, 1])), ("bg", bg_rows.clone())] {
        let interval = agreement::scott_pi_interval(&labelled(&rows)).unwrap();
        close(&format!("Scott SE ({name})"), interval.se, p(&format!("{name}_scott_se")), 1e-9);
        close(&format!("Scott low ({name})"), interval.ci95.0, p(&format!("{name}_scott_low")), 1e-9);
        close(&format!("Scott high ({name})"), interval.ci95.1, p(&format!("{name}_scott_high")), 1e-9);
    }
    // Gwet's variance of Brennan-Prediger (Bennett's S, Randolph's kappa).
    for (name, rows) in [("bg", &bg_rows), ("k", &k_rows)] {
        let g = agreement::gwet(&labelled(rows), Weights::Identity).unwrap().unwrap();
        let interval = g.brennan_prediger_interval.unwrap();
        close(&format!("BP SE ({name})"), interval.se, p(&format!("{name}_bp_se")), 1e-9);
        close(&format!("BP low ({name})"), interval.ci95.0, p(&format!("{name}_bp_low")), 1e-9);
        close(&format!("BP high ({name})"), interval.ci95.1, p(&format!("{name}_bp_high")), 1e-9);
        if name == "k" {
            close("BP SE (irrCAC README)", interval.se, 0.14472, 5e-6);
            close("BP low (irrCAC README)", interval.ci95.0, 0.454, 5e-4);
        }
    }
}

/// Holsti's coefficient and Bangdiwala's B on `cac.ben.gerry`: Bangdiwala's B as irrCAC's
/// documentation prints it for `bangdiwala2RR.fn` (B 0.64, from `pa` 0.1322314 = 16/121 and `pe`
/// 0.2066116 = 25/121) and as R's vcd computes it (`agreementplot`); Holsti, which no installed
/// library computes, counted by hand.
#[test]
fn holsti_and_bangdiwala_on_ben_and_gerry() {
    let (_, rows) = ben_gerry();
    let bg = labelled(&rows);
    // Same category on units 2, 3, 4, 6, 7, 8, 9 and 11: M = 8; Ben rated 12, Gerry 11.
    close("Holsti", agreement::holsti(&bg, 0, 1).unwrap(), 16.0 / 23.0, 1e-12);
    // Diagonal a 1, b 2, c 3, d 1, e 1: Σ n_ii² = 16; margins (3,1) (2,4) (3,3) (2,2) (1,1): 25.
    close("Bangdiwala's B", agreement::pair_table(&bg, 0, 1).bangdiwala_b().unwrap(), 0.64, 1e-12);
    // No unit in common, no category in common: undefined, with the reason.
    let apart = labelled(&[vec![Some("a".into()), None], vec![None, Some("b".into())]]);
    assert!(agreement::pair_table(&apart, 0, 1).bangdiwala_b().unwrap_err().0.contains("no unit in common"));
    // R's vcd (agreementplot) on the same table and on irrCAC's cont3x3abstractors.
    let dir = tempfile::tempdir().unwrap();
    let table = agreement::pair_table(&bg, 0, 1);
    let mut text = String::new();
    for row in &table.cells {
        text += &row.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",");
        text += "\n";
    }
    let path = dir.path().join("table.csv");
    std::fs::write(&path, text).unwrap();
    let script = r#"
suppressMessages(library(vcd))
pdf(NULL)
t <- as.matrix(read.csv(commandArgs(TRUE)[1], header = FALSE))
abstractors <- matrix(c(13, 0, 0, 0, 20, 7, 0, 4, 56), 3, byrow = TRUE)
cat("bg", format(agreementplot(t)$Bangdiwala, digits = 17),
    "abstractors", format(agreementplot(abstractors)$Bangdiwala, digits = 17))
"#;
    if let Some(vcd) = r_peer("vcd", script, &[&path]) {
        close("Bangdiwala's B (vcd)", table.bangdiwala_b().unwrap(), vcd["bg"], 1e-9);
        let abstractors = Table { cells: vec![vec![13.0, 0.0, 0.0], vec![0.0, 20.0, 7.0], vec![0.0, 4.0, 56.0]] };
        close("Bangdiwala's B, abstractors (vcd)", abstractors.bangdiwala_b().unwrap(), vcd["abstractors"], 1e-9);
    }
    let crossed = labelled(&[vec![Some("a".into()), Some("b".into())]]);
    assert!(agreement::pair_table(&crossed, 0, 1).bangdiwala_b().unwrap_err().0.contains("no category in common"));
    assert!(agreement::holsti(&apart, 0, 1).unwrap() == 0.0);
}

/// Two raters on a 1-5 scale, 3 never used: where implementations that weight by the values
/// (irrCAC, thema) and those that weight by the rank among observed labels (scikit-learn
/// without `labels`, R irr's `kappa2`) part.
const GAP_A: [u8; 15] = [1, 2, 2, 4, 5, 1, 4, 5, 2, 1, 5, 4, 2, 1, 4];
const GAP_B: [u8; 15] = [1, 2, 4, 4, 5, 2, 5, 4, 2, 1, 4, 4, 1, 1, 5];

fn gap_rows() -> Vec<Vec<Option<String>>> {
    GAP_A.iter().zip(GAP_B).map(|(a, b)| vec![Some(a.to_string()), Some(b.to_string())]).collect()
}

/// Weighted Cohen's kappa and Gwet's AC2 against irrCAC (its Conger's kappa of two raters is
/// Cohen's), scikit-learn and statsmodels, over the observed and the declared categories.
#[test]
fn weighted_kappa_and_ac2_match_irrcac_scikit_learn_and_statsmodels() {
    let rows = gap_rows();
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), "gap.csv", &["A".into(), "B".into()], &rows);
    let script = r#"
import sys, json
import numpy as np, pandas as pd
from irrCAC.raw import CAC
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import cohens_kappa, to_table
d = pd.read_csv(sys.argv[1])
def est(method, **kw):
    return getattr(CAC(d, digits=15, **kw), method)()["est"]
table = to_table(d.to_numpy(), bins=np.arange(0.5, 6.5))[0]
out = {}
for w in ["linear", "quadratic"]:
    out["irrcac_kappa_" + w] = est("conger", weights=w)["coefficient_value"]
    out["sklearn_observed_" + w] = cohen_kappa_score(d.A, d.B, weights=w)
    out["sklearn_declared_" + w] = cohen_kappa_score(d.A, d.B, weights=w, labels=[1, 2, 3, 4, 5])
    sm = cohens_kappa(table, wt=w)
    out["statsmodels_kappa_" + w] = sm.kappa
    out["statsmodels_ase_" + w] = sm.std_kappa
    for name, kw in [("observed", {}), ("declared", {"categories": [1, 2, 3, 4, 5]})]:
        e = est("gwet", weights=w, **kw)
        out[f"ac2_{name}_{w}"] = e["coefficient_value"]
        out[f"ac2_se_{name}_{w}"] = e["se"]
        out[f"ac2_low_{name}_{w}"] = e["confidence_interval"][0]
        out[f"ac2_high_{name}_{w}"] = e["confidence_interval"][1]
print(json.dumps(out))
"#;
    let Some(peer) = python("irrCAC, sklearn, statsmodels, pandas", script, &[&file]) else { return };
    let p = |k: &str| peer[k].as_f64().unwrap();
    let observed = labelled(&rows);
    let declared = observed.with_categories(&(1..=5).map(|k| k.to_string()).collect::<Vec<_>>()).unwrap();
    assert_eq!((observed.categories().len(), declared.categories().len()), (4, 5));
    for (name, weights) in [("linear", Weights::Linear), ("quadratic", Weights::Quadratic)] {
        for (ratings, over) in [(&observed, "observed"), (&declared, "declared")] {
            let w = ratings.weights(weights).unwrap();
            let kappa = agreement::pair_table(ratings, 0, 1).kappa_inference(&w).unwrap();
            // Weights from the values: the same over the observed and the declared categories.
            close(&format!("{name} kappa ({over}), irrCAC"), kappa.kappa, p(&format!("irrcac_kappa_{name}")), 1e-9);
            close(
                &format!("{name} kappa ({over}), scikit-learn"),
                kappa.kappa,
                p(&format!("sklearn_declared_{name}")),
                1e-9,
            );
            close(
                &format!("{name} kappa ({over}), statsmodels"),
                kappa.kappa,
                p(&format!("statsmodels_kappa_{name}")),
                1e-9,
            );
            close(
                &format!("{name} kappa ASE ({over}), statsmodels"),
                kappa.ase,
                p(&format!("statsmodels_ase_{name}")),
                1e-9,
            );
            let g = agreement::gwet_weighted(ratings, &w).unwrap();
            let interval = g.gwet_ac_interval.unwrap();
            close(&format!("AC2 {name} {over}"), g.gwet_ac.unwrap(), p(&format!("ac2_{over}_{name}")), 1e-9);
            close(&format!("AC2 SE {name} {over}"), interval.se, p(&format!("ac2_se_{over}_{name}")), 1e-9);
            close(&format!("AC2 low {name} {over}"), interval.ci95.0, p(&format!("ac2_low_{over}_{name}")), 1e-9);
            close(&format!("AC2 high {name} {over}"), interval.ci95.1, p(&format!("ac2_high_{over}_{name}")), 1e-9);
        }
        // scikit-learn over the observed labels weights by rank (4 is next to 2): another value.
        let w = observed.weights(weights).unwrap();
        let kappa = agreement::pair_table(&observed, 0, 1).kappa_inference(&w).unwrap().kappa;
        assert!((kappa - p(&format!("sklearn_observed_{name}"))).abs() > 1e-3, "{name}");
    }
    // AC2 depends on the number of categories: declaring 3 changes it (0.8688 to 0.8621 with
    // quadratic weights; with linear weights the two happen to coincide on these data).
    assert!((p("ac2_observed_quadratic") - p("ac2_declared_quadratic")).abs() > 1e-3);
}

/// irrCAC's `distrib.6raters` (Fleiss 1971 diagnoses as counts): 15 subjects, six raters,
/// categories Depression, Personality Disorder, Schizophrenia, Neurosis, Other.
const DISTRIB_6RATERS: [[usize; 5]; 15] = [
    [0, 0, 0, 6, 0],
    [0, 3, 0, 0, 3],
    [0, 1, 4, 0, 1],
    [0, 0, 0, 0, 6],
    [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0],
    [0, 0, 4, 0, 2],
    [2, 0, 3, 1, 0],
    [2, 0, 0, 4, 0],
    [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0],
    [1, 1, 0, 4, 0],
    [0, 3, 3, 0, 0],
    [1, 0, 0, 5, 0],
    [0, 2, 0, 3, 1],
];

/// Gwet's variance as irrCAC's README prints it: `gwet.ac1.raw(cac.raw4raters)` (Krippendorff's
/// data C) AC1 0.77544, SE 0.14295, interval (0.461, 1), and Fleiss' kappa's SE (the variance of
/// Scott's pi's interval); `gwet.ac1.dist(distrib.6raters)` AC1
/// 0.4448007, SE 0.08418757, interval (0.264, 0.625), with Brennan-Prediger (Randolph's kappa on
/// these counts) 0.4388889; and `scott2.table` / `bp2.table` on `cont3x3abstractors`: Scott's pi
/// 0.7962397, Brennan-Prediger (Bennett's S of two raters) 0.835.
#[test]
fn gwet_variance_scott_and_bennett_as_irrcac_prints_them() {
    let Some((_, k_rows)) = k2011() else { return };
    let g = agreement::gwet(&labelled(&k_rows), Weights::Identity).unwrap().unwrap();
    let interval = g.gwet_ac_interval.unwrap();
    close("AC1", g.gwet_ac.unwrap(), 0.77544, 5e-6);
    close("AC1 SE", interval.se, 0.14295, 5e-6);
    close("AC1 low", interval.ci95.0, 0.461, 5e-4);
    assert_eq!(interval.ci95.1, 1.0);
    // fleiss.kappa.raw: 0.76117, SE 0.15302, (0.424, 1): the variance Scott's pi's interval uses.
    let fleiss = g.fleiss_interval.unwrap();
    close("Fleiss SE", fleiss.se, 0.15302, 5e-6);
    close("Fleiss low", fleiss.ci95.0, 0.424, 5e-4);
    let distrib = DISTRIB_6RATERS;
    let categories: Vec<String> =
        ["Depression", "Personality Disorder", "Schizophrenia", "Neurosis", "Other"].map(String::from).to_vec();
    let counts = Ratings::from_counts(&categories, &distrib.iter().map(|r| r.to_vec()).collect::<Vec<_>>()).unwrap();
    let g = agreement::gwet(&counts, Weights::Identity).unwrap().unwrap();
    let interval = g.gwet_ac_interval.unwrap();
    close("AC1 (counts)", g.gwet_ac.unwrap(), 0.4448007, 5e-8);
    close("AC1 SE (counts)", interval.se, 0.08418757, 5e-9);
    close("AC1 low (counts)", interval.ci95.0, 0.264, 5e-4);
    close("AC1 high (counts)", interval.ci95.1, 0.625, 5e-4);
    close("Randolph (counts)", g.brennan_prediger.unwrap(), 0.4388889, 5e-8);
    // fleiss.kappa.dist: 0.4139265, SE 0.08119291, (0.24, 0.588); bp.coeff.dist SE 0.08312142.
    close("Fleiss (counts)", g.fleiss_kappa.clone().unwrap(), 0.4139265, 5e-8);
    close("Fleiss SE (counts)", g.fleiss_interval.unwrap().se, 0.08119291, 5e-9);
    close("Fleiss high (counts)", g.fleiss_interval.unwrap().ci95.1, 0.588, 5e-4);
    close("BP SE (counts)", g.brennan_prediger_interval.unwrap().se, 0.08312142, 5e-9);
    close("percent (counts)", g.percent, 0.5511111, 5e-8);
    // cont3x3abstractors as ratings: the table's cells become units.
    let table = [[13, 0, 0], [0, 20, 7], [0, 4, 56]];
    let names = ["Ectopic", "AIU", "NIU"];
    let mut rows = Vec::new();
    for (i, row) in table.iter().enumerate() {
        for (j, &n) in row.iter().enumerate() {
            rows.extend(std::iter::repeat_n(vec![Some(names[i].to_owned()), Some(names[j].to_owned())], n));
        }
    }
    let abstractors = labelled(&rows);
    close("Scott's pi", agreement::scott_pi(&abstractors).unwrap(), 0.7962397, 5e-8);
    close("Bennett's S", agreement::pair_table(&abstractors, 0, 1).bennett_s().unwrap(), 0.835, 5e-12);
}

/// Run `script` with Rscript (the CSV files as `commandArgs(TRUE)`); it prints one line of
/// `name value` pairs. `None`, after a visible SKIP, when Rscript or the R `package` is missing.
fn r_peer(package: &str, script: &str, files: &[&Path]) -> Option<std::collections::HashMap<String, f64>> {
    let check = std::process::Command::new("Rscript").args(["-e", &format!("library({package})")]).output();
    if !matches!(check, Ok(ref out) if out.status.success()) {
        thema_testkit::skip(format_args!(
            "Rscript with {package} is missing (`.ci/run` installs r-cran-{package}); the cross-check needs it"
        ));
        return None;
    }
    let out = std::process::Command::new("Rscript").arg("-e").arg(script).args(files).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let words: Vec<&str> = text.split_whitespace().collect();
    Some(words.chunks(2).map(|p| (p[0].to_owned(), p[1].parse().unwrap())).collect())
}

/// Shrout & Fleiss (1979), Table 2: six targets rated by four judges.
const SHROUT_FLEISS: [[u8; 4]; 6] =
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]];

fn numbers<const K: usize>(rows: &[[u8; K]]) -> Vec<Vec<Option<String>>> {
    rows.iter().map(|r| r.iter().map(|x| Some(x.to_string())).collect()).collect()
}

const ICC_KINDS: [(agreement::IccModel, agreement::IccMeasure, &str); 6] = [
    (agreement::IccModel::OneWay, agreement::IccMeasure::Single, "ICC1"),
    (agreement::IccModel::TwoWayAgreement, agreement::IccMeasure::Single, "ICC2"),
    (agreement::IccModel::TwoWayConsistency, agreement::IccMeasure::Single, "ICC3"),
    (agreement::IccModel::OneWay, agreement::IccMeasure::Average, "ICC1k"),
    (agreement::IccModel::TwoWayAgreement, agreement::IccMeasure::Average, "ICC2k"),
    (agreement::IccModel::TwoWayConsistency, agreement::IccMeasure::Average, "ICC3k"),
];

/// The six intraclass correlations and their intervals: Shrout & Fleiss (1979) Table 4 prints
/// .17, .29, .71, .44, .62, .91 for their Table 2; pingouin and R psych (`ICC(x, lmer = FALSE)`)
/// give every value and bound, here and, for psych (`na.omit`), with a seventh target missing a
/// rating, which thema leaves out too.
#[test]
fn icc_matches_shrout_fleiss_pingouin_and_psych() {
    let mut rows = numbers(&SHROUT_FLEISS);
    let ratings = labelled(&rows);
    for ((model, measure, name), published) in ICC_KINDS.iter().zip([0.17, 0.29, 0.71, 0.44, 0.62, 0.91]) {
        let icc = agreement::icc(&ratings, *model, *measure).unwrap().unwrap();
        close(&format!("{name} (Shrout & Fleiss)"), icc.value, published, 0.005);
    }
    let dir = tempfile::tempdir().unwrap();
    let coders: Vec<String> = ["j1", "j2", "j3", "j4"].map(String::from).to_vec();
    let complete = write_csv(dir.path(), "sf.csv", &coders, &rows);
    // A seventh target with a missing rating: left out.
    rows.push(vec![Some("3".into()), None, Some("4".into()), Some("5".into())]);
    let gappy = write_csv(dir.path(), "sf_gap.csv", &coders, &rows);
    assert_eq!(agreement::icc(&labelled(&rows), ICC_KINDS[0].0, ICC_KINDS[0].1).unwrap().unwrap().units, 6);
    let script = r#"
import sys, json
import pandas as pd, pingouin as pg
pg.options["round"] = None
pg.options["round.column.CI95"] = None
out = {}
d = pd.read_csv(sys.argv[1])
d["target"] = range(len(d))
long = d.melt(id_vars="target", var_name="rater", value_name="score")
t = pg.intraclass_corr(data=long, targets="target", raters="rater", ratings="score")
for name, (_, row) in zip(["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"], t.iterrows()):
    out[name] = row["ICC"]
    out[name + "_low"], out[name + "_high"] = row["CI95"]
print(json.dumps(out))
"#;
    let r_script = r#"
suppressMessages(library(psych))
x <- read.csv(commandArgs(TRUE)[1])
r <- ICC(na.omit(x), lmer = FALSE)$results
for (i in seq_len(nrow(r))) cat(as.character(r$type[i]), format(r$ICC[i], digits = 17),
    paste0(r$type[i], "_low"), format(r[i, "lower bound"], digits = 17),
    paste0(r$type[i], "_high"), format(r[i, "upper bound"], digits = 17), "")
"#;
    let peers: Vec<(&str, std::collections::HashMap<String, f64>)> = [
        python("pingouin, pandas", script, &[&complete])
            .map(|m| ("pingouin", m.into_iter().map(|(k, v)| (k, v.as_f64().unwrap())).collect())),
        r_peer("psych", r_script, &[&gappy]).map(|m| ("psych", m)),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (peer, values) in &peers {
        for (model, measure, name) in ICC_KINDS {
            let icc = agreement::icc(&labelled(&rows), model, measure).unwrap().unwrap();
            let (low, high) = icc.ci95.unwrap();
            close(&format!("{name} ({peer})"), icc.value, values[name], 1e-9);
            close(&format!("{name} low ({peer})"), low, values[&format!("{name}_low")], 1e-9);
            close(&format!("{name} high ({peer})"), high, values[&format!("{name}_high")], 1e-9);
        }
    }
}

/// Kendall's W against pingouin's `friedman` (W corrected for ties) and scipy's
/// `friedmanchisquare` (`W = Q / (m (n − 1))`, also tie-corrected), on Shrout & Fleiss's data
/// (judges rank the targets; ties within judges) and on the same data without ties; the
/// uncorrected W counted by hand.
#[test]
fn kendall_w_matches_pingouin_and_scipy() {
    let tied = numbers(&SHROUT_FLEISS);
    let untied = numbers(&[[1, 2, 3], [2, 3, 1], [3, 1, 2], [4, 4, 5], [5, 6, 4], [6, 5, 6]]);
    let dir = tempfile::tempdir().unwrap();
    let a = write_csv(dir.path(), "tied.csv", &["j1", "j2", "j3", "j4"].map(String::from), &tied);
    let b = write_csv(dir.path(), "untied.csv", &["j1", "j2", "j3"].map(String::from), &untied);
    let script = r#"
import sys, json
import pandas as pd, pingouin as pg
from scipy.stats import friedmanchisquare
pg.options["round"] = None
pg.options["round.column.CI95"] = None
out = {}
for name, path in zip(["tied", "untied"], sys.argv[1:]):
    d = pd.read_csv(path)
    out[name + "_pingouin"] = float(pg.friedman(d.T.reset_index(drop=True))["W"].iloc[0])
    m, n = d.shape[1], d.shape[0]
    out[name + "_scipy"] = friedmanchisquare(*d.to_numpy()).statistic / (m * (n - 1))
print(json.dumps(out))
"#;
    // Untied: rank sums 6, 6, 6, 13, 15, 17; mean 10.5; S = 3 * 20.25 + 6.25 + 20.25 + 42.25
    // = 129.5; W = 12 * 129.5 / (9 * 210) = 1554 / 1890.
    let untied_w = agreement::kendall_w(&labelled(&untied), false).unwrap();
    close("W by hand", untied_w, 1554.0 / 1890.0, 1e-12);
    close("W, no ties to correct", agreement::kendall_w(&labelled(&untied), true).unwrap(), untied_w, 1e-12);
    let Some(peer) = python("pingouin, scipy, pandas", script, &[&a, &b]) else { return };
    let p = |k: &str| peer[k].as_f64().unwrap();
    let w = agreement::kendall_w(&labelled(&tied), true).unwrap();
    close("W tied (pingouin)", w, p("tied_pingouin"), 1e-9);
    close("W tied (scipy)", w, p("tied_scipy"), 1e-9);
    close("W untied (pingouin)", untied_w, p("untied_pingouin"), 1e-9);
    close("W untied (scipy)", untied_w, p("untied_scipy"), 1e-9);
    // Without the correction, ties lower W.
    assert!(agreement::kendall_w(&labelled(&tied), false).unwrap() < w);
}

/// Alpha of each category against all others on Krippendorff's data C and the Fleiss (1971)
/// diagnoses, against python `krippendorff` (nominal alpha of the 0/1 data) and irrCAC's
/// Krippendorff's alpha of the same 0/1 data.
#[test]
fn alpha_per_category_matches_krippendorff_and_irrcac() {
    let Some((k_coders, k_rows)) = k2011() else { return };
    let Some((d_coders, d_rows)) = vector_rows("fleiss1971_diagnoses") else { return };
    let dir = tempfile::tempdir().unwrap();
    let k = write_csv(dir.path(), "k.csv", &k_coders, &k_rows);
    let d = write_csv(dir.path(), "d.csv", &d_coders, &d_rows);
    let script = r#"
import sys, json
import numpy as np, pandas as pd, krippendorff
from irrCAC.raw import CAC
out = {}
for name, path in zip(["k", "d"], sys.argv[1:]):
    data = pd.read_csv(path)
    for c in sorted(pd.unique(data.stack())):
        binary = data.map(lambda x: np.nan if pd.isna(x) else float(x == c))
        key = f"{name}_{c:g}"
        out[key + "_krippendorff"] = krippendorff.alpha(reliability_data=binary.T.to_numpy(), level_of_measurement="nominal")
        out[key + "_irrcac"] = CAC(binary, digits=15).krippendorff()["est"]["coefficient_value"]
print(json.dumps(out))
"#;
    let Some(peer) = python("krippendorff, irrCAC, pandas", script, &[&k, &d]) else { return };
    let mut checked = 0;
    for (name, rows) in [("k", &k_rows), ("d", &d_rows)] {
        let ratings = labelled(rows);
        for c in ratings.categories() {
            let alpha = agreement::krippendorff_alpha(&ratings.binarized(c).unwrap(), Level::Nominal).unwrap().unwrap();
            for implementation in ["krippendorff", "irrcac"] {
                let want = peer[&format!("{name}_{c}_{implementation}")].as_f64().unwrap();
                close(&format!("alpha of {c} in {name} ({implementation})"), alpha, want, 1e-9);
                checked += 1;
            }
        }
    }
    // Five categories in each.
    assert_eq!(checked, 20);
    let err = labelled(&k_rows).binarized("9").unwrap_err();
    assert_eq!(err.to_string(), "no coder used the category `9`; the categories are 1, 2, 3, 4, 5");
}

/// The worked examples of pingouin's documentation: `intraclass_corr` on its wine data (8 wines,
/// 4 judges) prints ICC 0.728, 0.728, 0.729, 0.914, 0.914, 0.915 with intervals [0.43, 0.93]
/// (single) and [0.75, 0.98] (average); `friedman` on 12 tasters ranking three wines prints
/// Kendall's W 0.083333 (corrected for ties).
#[test]
fn icc_and_kendall_w_reproduce_pingouin_documentation() {
    let wine = numbers(&[
        [1, 2, 0, 1],
        [1, 3, 3, 2],
        [3, 8, 1, 4],
        [6, 4, 3, 3],
        [6, 5, 5, 6],
        [7, 5, 6, 2],
        [8, 7, 7, 9],
        [9, 9, 9, 8],
    ]);
    let ratings = labelled(&wine);
    let printed = [0.728, 0.728, 0.729, 0.914, 0.914, 0.915];
    for ((model, measure, name), value) in ICC_KINDS.iter().zip(printed) {
        let icc = agreement::icc(&ratings, *model, *measure).unwrap().unwrap();
        close(name, icc.value, value, 5e-4);
        let (low, high) = icc.ci95.unwrap();
        let (want_low, want_high) = if name.ends_with('k') { (0.75, 0.98) } else { (0.43, 0.93) };
        close(&format!("{name} low"), low, want_low, 5e-3);
        close(&format!("{name} high"), high, want_high, 5e-3);
    }
    // Units: white, red, rose; coders: the 12 tasters.
    let white = [10, 8, 7, 9, 7, 4, 5, 6, 5, 10, 4, 7];
    let red = [7, 5, 8, 6, 5, 7, 9, 6, 4, 6, 7, 3];
    let rose = [8, 5, 6, 4, 7, 5, 3, 7, 6, 4, 4, 3];
    let tasters = labelled(&numbers(&[white, red, rose]));
    close("Kendall's W", agreement::kendall_w(&tasters, true).unwrap(), 0.083333, 5e-7);
}

// ---------------------------------------------------------------------------------------------
// R's irr 0.84.1 and R irrCAC 1.0 (Gwet's own code, independent of python irrCAC), vendored
// unmodified under tests/peers/ (see its PROVENANCE.md) and sourced by tests/peers/agreement.R.

/// Three raters on a 1-5 scale, 15 units, every value used by each of A and B (so irr's
/// `kappa2`, which weights by the rank among the observed levels, weights as thema does).
const ORDINAL: [[u8; 3]; 15] = [
    [1, 1, 2],
    [2, 2, 2],
    [3, 2, 3],
    [4, 4, 4],
    [5, 5, 4],
    [1, 2, 1],
    [4, 5, 5],
    [5, 4, 5],
    [2, 3, 2],
    [3, 3, 3],
    [5, 4, 5],
    [4, 4, 3],
    [2, 1, 2],
    [1, 1, 1],
    [3, 4, 3],
];

/// The values of irr and R irrCAC on the Fleiss (1971) diagnoses, Krippendorff's data C,
/// [`ORDINAL`] and Shrout & Fleiss's Table 2, by name (see tests/peers/agreement.R). Run once
/// for the tests below; `None`, after a visible SKIP, without Rscript or `shared/`.
fn r_peers() -> Option<&'static std::collections::HashMap<String, f64>> {
    static PEERS: std::sync::OnceLock<Option<std::collections::HashMap<String, f64>>> = std::sync::OnceLock::new();
    let peers = PEERS.get_or_init(|| {
        if !matches!(std::process::Command::new("Rscript").arg("--version").output(), Ok(o) if o.status.success()) {
            return None;
        }
        let (d_coders, d_rows) = vector_rows("fleiss1971_diagnoses")?;
        let (k_coders, k_rows) = k2011()?;
        let dir = tempfile::tempdir().unwrap();
        let abc: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
        let judges: Vec<String> = ["j1", "j2", "j3", "j4"].map(String::from).to_vec();
        let files = [
            write_csv(dir.path(), "d.csv", &d_coders, &d_rows),
            write_csv(dir.path(), "k.csv", &k_coders, &k_rows),
            write_csv(dir.path(), "ord.csv", &abc, &numbers(&ORDINAL)),
            write_csv(dir.path(), "sf.csv", &judges, &numbers(&SHROUT_FLEISS)),
        ];
        let peers_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers");
        let out = std::process::Command::new("Rscript")
            .arg(peers_dir.join("agreement.R"))
            .arg(&peers_dir)
            .args(&files)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        Some(
            text.lines()
                .map(|line| {
                    let (name, value) = line.trim().split_once(' ').unwrap();
                    (name.to_owned(), value.parse().unwrap_or(f64::NAN))
                })
                .collect(),
        )
    });
    if peers.is_none() {
        thema_testkit::skip("Rscript (r-base-core) or shared/ is missing; the irr and R irrCAC cross-checks need them");
    }
    peers.as_ref()
}

/// The value `name` of R, which must have printed it.
fn r(peers: &std::collections::HashMap<String, f64>, name: &str) -> f64 {
    *peers.get(name).unwrap_or_else(|| panic!("tests/peers/agreement.R printed no {name}"))
}

/// irr's `kappam.fleiss` (also `exact = TRUE`, Conger's kappa, and `detail = TRUE`, each
/// category's kappa), `kappam.light`, `agree`, `kappa2` (unweighted, "equal", "squared" and a
/// vector of disagreement scores), `icc` (the six), `kendall` (`correct` both ways) and
/// `kripp.alpha` (four levels; each category's 0/1 data).
#[test]
fn statistics_match_r_irr() {
    let Some(peers) = r_peers() else { return };
    let r = |name: &str| r(peers, name);
    let (_, d_rows) = vector_rows("fleiss1971_diagnoses").unwrap();
    let (_, k_rows) = k2011().unwrap();
    let d = labelled(&d_rows);
    let fleiss = agreement::fleiss(&agreement::category_counts(&d)).unwrap();
    close("Fleiss' kappa (irr)", fleiss.kappa.clone().unwrap(), r("irr_fleiss_d"), 1e-9);
    let g = agreement::gwet(&d, Weights::Identity).unwrap().unwrap();
    close("Fleiss' kappa, Gwet's form (irr)", g.fleiss_kappa.unwrap(), r("irr_fleiss_d"), 1e-9);
    close("Conger's kappa (irr exact)", g.conger_kappa.unwrap(), r("irr_conger_d"), 1e-9);
    for (c, kappa) in d.categories().iter().zip(&fleiss.categories) {
        close(
            &format!("Fleiss' kappa of {c} (irr detail)"),
            kappa.clone().unwrap(),
            r(&format!("irr_fleiss_d_cat_{c}")),
            1e-9,
        );
    }
    close("Light's kappa (irr)", agreement::light_kappa(&d).unwrap(), r("irr_light_d"), 1e-9);
    close("all agree (irr agree)", 100.0 * agreement::all_agree(&d).unwrap(), r("irr_agree_d"), 1e-9);
    let ord = labelled(&numbers(&ORDINAL));
    close("all agree, ordinal (irr agree)", 100.0 * agreement::all_agree(&ord).unwrap(), r("irr_agree_ord"), 1e-9);

    // kappa2: "equal" is linear and "squared" quadratic weights, over the rank of the observed
    // levels (here 1-5, all used, so the rank is the value); its standard error is the one under
    // the null hypothesis (the chance cell frequencies in the variance).
    let ab = labelled(&columns(&numbers(&ORDINAL), &[0, 1]));
    let table = agreement::pair_table(&ab, 0, 1);
    for (name, weights) in
        [("unweighted", Weights::Identity), ("equal", Weights::Linear), ("squared", Weights::Quadratic)]
    {
        let k = table.kappa_inference(&ab.weights(weights).unwrap()).unwrap();
        close(&format!("kappa2 {name} (irr)"), k.kappa, r(&format!("irr_kappa2_{name}")), 1e-9);
        close(&format!("kappa2 {name} SE under H0 (irr)"), k.ase_h0, r(&format!("irr_kappa2_se_{name}")), 1e-9);
    }
    // User weights: kappa2(x, c(0, 1, 3, 6, 10)) gives a category pair `1 − s_|k−l| / 10`.
    let scores = [0.0, 1.0, 3.0, 6.0, 10.0];
    let user: Vec<Vec<f64>> =
        (0..5).map(|k: usize| (0..5).map(|l: usize| 1.0 - scores[k.abs_diff(l)] / 10.0).collect()).collect();
    close("kappa2 user weights (irr)", table.kappa_inference(&user).unwrap().kappa, r("irr_kappa2_user"), 1e-9);

    let sf = labelled(&numbers(&SHROUT_FLEISS));
    use agreement::{IccMeasure, IccModel};
    for (model, measure, name) in [
        (IccModel::OneWay, IccMeasure::Single, "oneway_consistency_single"),
        (IccModel::OneWay, IccMeasure::Average, "oneway_consistency_average"),
        (IccModel::TwoWayConsistency, IccMeasure::Single, "twoway_consistency_single"),
        (IccModel::TwoWayConsistency, IccMeasure::Average, "twoway_consistency_average"),
        (IccModel::TwoWayAgreement, IccMeasure::Single, "twoway_agreement_single"),
        (IccModel::TwoWayAgreement, IccMeasure::Average, "twoway_agreement_average"),
    ] {
        let icc = agreement::icc(&sf, model, measure).unwrap().unwrap();
        let (low, high) = icc.ci95.unwrap();
        close(&format!("icc {name} (irr)"), icc.value, r(&format!("irr_icc_{name}")), 1e-9);
        if name == "twoway_agreement_average" {
            // irr puts ICC(A,k) itself into a and b of the Satterthwaite degrees of freedom of
            // its interval (R/icc.R, average, twoway agreement); McGraw & Wong's v uses the
            // single-measure ICC(A,1), as psych and pingouin do (icc_matches_shrout_fleiss_...).
            assert!((low - r(&format!("irr_icc_{name}_low"))).abs() > 1e-2, "irr's ICC(A,k) interval");
            continue;
        }
        close(&format!("icc {name} low (irr)"), low, r(&format!("irr_icc_{name}_low")), 1e-9);
        close(&format!("icc {name} high (irr)"), high, r(&format!("irr_icc_{name}_high")), 1e-9);
    }
    for (name, ratings) in [("sf", &sf), ("ord", &ord)] {
        for correct in [true, false] {
            let w = agreement::kendall_w(ratings, correct).unwrap();
            let key = format!("irr_kendall_{name}_{}", if correct { "TRUE" } else { "FALSE" });
            close(&key, w, r(&key), 1e-9);
        }
    }

    // kripp.alpha on data C (missing ratings): Krippendorff's alpha at every level, and each
    // category's alpha (0/1 data).
    let k = labelled(&k_rows);
    for level in ["nominal", "ordinal", "interval", "ratio"] {
        let alpha = agreement::krippendorff_alpha(&k, level.parse().unwrap()).unwrap().unwrap();
        close(&format!("alpha {level} (irr)"), alpha, r(&format!("irr_alpha_k_{level}")), 1e-9);
    }
    for c in k.categories() {
        let alpha = agreement::krippendorff_alpha(&k.binarized(c).unwrap(), Level::Nominal).unwrap().unwrap();
        close(&format!("alpha of {c} (irr)"), alpha, r(&format!("irr_alpha_k_cat_{c}")), 1e-9);
    }
    // On complete data with m > 2 raters irr counts each unit's pairs with weight 1, not
    // 1 / (m − 1) (R/kripp.alpha.R: `else mc <- rep(1, dimx[2])`), which scales the coincidences
    // by m − 1: its alpha is `1 − (n m (m − 1) − 1) / ((m − 1)(n m − 1)) (1 − α)`, exactly.
    let irr_form =
        |alpha: f64, n: f64, m: f64| 1.0 - (n * m * (m - 1.0) - 1.0) / ((m - 1.0) * (n * m - 1.0)) * (1.0 - alpha);
    for level in ["nominal", "ordinal", "interval", "ratio"] {
        let alpha = agreement::krippendorff_alpha(&ord, level.parse().unwrap()).unwrap().unwrap();
        let irr = r(&format!("irr_alpha_ord_{level}"));
        assert!((alpha - irr).abs() > 1e-3, "{level}: irr's complete-data form should differ");
        close(&format!("alpha {level}, irr's form (irr)"), irr_form(alpha, 15.0, 3.0), irr, 1e-9);
    }
    for c in d.categories() {
        let alpha = agreement::krippendorff_alpha(&d.binarized(c).unwrap(), Level::Nominal).unwrap().unwrap();
        close(
            &format!("alpha of {c}, irr's form (irr)"),
            irr_form(alpha, 30.0, 6.0),
            r(&format!("irr_alpha_d_cat_{c}")),
            1e-9,
        );
    }
}

/// R irrCAC's raw-data functions (`gwet.ac1.raw`, `fleiss.kappa.raw`, `bp.coeff.raw`,
/// `conger.kappa.raw`, `krippen.alpha.raw`, `pa.coeff.raw`: value, standard error and interval)
/// with every weighting and over declared categories, its table functions (`scott2.table`,
/// `kappa2.table`, `bp2.table`, `gwet.ac1.table`, `krippen2.table`, `pa2.table`), Hubert's
/// kappa as the mean of its pairwise `fleiss.kappa.raw` and each category's alpha.
#[test]
fn statistics_match_r_irrcac() {
    let Some(peers) = r_peers() else { return };
    let r = |name: &str| r(peers, name);
    let (_, d_rows) = vector_rows("fleiss1971_diagnoses").unwrap();
    let (_, k_rows) = k2011().unwrap();
    let six: Vec<String> = (1..=6).map(|k| k.to_string()).collect();
    let mut checked = 0;
    for (data, rows) in [("d", d_rows.clone()), ("k", k_rows.clone()), ("ord", numbers(&ORDINAL))] {
        let observed = labelled(&rows);
        let weightings: &[(&str, Weights)] = if data == "d" {
            &[("unweighted", Weights::Identity)]
        } else {
            &[
                ("unweighted", Weights::Identity),
                ("linear", Weights::Linear),
                ("quadratic", Weights::Quadratic),
                ("ordinal", Weights::Ordinal),
            ]
        };
        for &(w, weights) in weightings {
            for declared in [false, true] {
                if declared && data == "d" {
                    continue;
                }
                let ratings = if declared { observed.with_categories(&six).unwrap() } else { observed.clone() };
                let g = agreement::gwet(&ratings, weights).unwrap().unwrap();
                let name = format!("cac_{data}_{w}{}", if declared { "_declared" } else { "" });
                let with_interval = [
                    ("ac", g.gwet_ac.clone(), g.gwet_ac_interval),
                    ("fleiss", g.fleiss_kappa.clone(), g.fleiss_interval),
                    ("bp", g.brennan_prediger.clone(), g.brennan_prediger_interval),
                ];
                for (what, value, interval) in with_interval {
                    let key = format!("{name}_{what}");
                    let interval = interval.unwrap();
                    close(&key, value.unwrap(), r(&key), 1e-9);
                    close(&format!("{key}_se"), interval.se, r(&format!("{key}_se")), 1e-9);
                    close(&format!("{key}_low"), interval.ci95.0, r(&format!("{key}_low")), 1e-9);
                    close(&format!("{key}_high"), interval.ci95.1, r(&format!("{key}_high")), 1e-9);
                    checked += 1;
                }
                close(&format!("{name}_conger"), g.conger_kappa.unwrap(), r(&format!("{name}_conger")), 1e-9);
                close(&format!("{name}_alpha"), g.krippendorff_alpha.unwrap(), r(&format!("{name}_alpha")), 1e-9);
                close(&format!("{name}_pa"), g.percent, r(&format!("{name}_pa")), 1e-9);
            }
        }
    }
    // 1 + 2 × 4 + 2 × 4 data sets and weightings, three coefficients with intervals each.
    assert_eq!(checked, 51);

    // Hubert's kappa: the mean over the 15 pairs of raters of Fleiss' kappa of two raters.
    close("Hubert (R irrCAC)", agreement::hubert_kappa(&labelled(&d_rows)).unwrap(), r("cac_hubert_d"), 1e-9);

    // The table functions, on cont3x3abstractors and on raters A and B of ORDINAL over 1-5.
    let abstractors = Table { cells: vec![vec![13.0, 0.0, 0.0], vec![0.0, 20.0, 7.0], vec![0.0, 4.0, 56.0]] };
    let ab = labelled(&columns(&numbers(&ORDINAL), &[0, 1]));
    let ordtab = agreement::pair_table(&ab, 0, 1);
    assert_eq!(ordtab.cells.len(), 5);
    for (name, t) in [("abstractors", &abstractors), ("ordtab", &ordtab)] {
        let key = |s: &str| format!("cac_{name}_unweighted_{s}");
        close(&key("scott"), t.scott_pi().unwrap(), r(&key("scott")), 1e-9);
        close(&key("cohen"), t.cohen_kappa().unwrap(), r(&key("cohen")), 1e-9);
        close(&key("bp"), t.bennett_s().unwrap(), r(&key("bp")), 1e-9);
        close(&key("pa"), t.observed(), r(&key("pa")), 1e-9);
        // Holsti's coefficient is the percent agreement of two raters who rated every unit.
        let ratings = expand(t);
        close(&format!("Holsti ({name}, pa2.table)"), agreement::holsti(&ratings, 0, 1).unwrap(), r(&key("pa")), 1e-9);
        close(
            &format!("Scott's pi of the units ({name})"),
            agreement::scott_pi(&ratings).unwrap(),
            r(&key("scott")),
            1e-9,
        );
        let alpha = agreement::krippendorff_alpha(&ratings, Level::Nominal).unwrap().unwrap();
        close(&key("alpha"), alpha, r(&key("alpha")), 1e-9);
    }
    for (w, weights) in
        [("unweighted", Weights::Identity), ("linear", Weights::Linear), ("quadratic", Weights::Quadratic)]
    {
        let matrix = ordtab.weights(weights);
        let key = |s: &str| format!("cac_ordtab_{w}_{s}");
        close(&key("cohen"), ordtab.kappa_inference(&matrix).unwrap().kappa, r(&key("cohen")), 1e-9);
        close(&key("ac"), ordtab.gwet_ac(&matrix).unwrap().0, r(&key("ac")), 1e-9);
    }
    close(
        "alpha interval, ordtab (krippen2.table)",
        {
            let ratings = expand(&ordtab).with_categories(&six[..5]).unwrap();
            agreement::gwet(&ratings, Weights::Quadratic).unwrap().unwrap().krippendorff_alpha.unwrap()
        },
        r("cac_ordtab_quadratic_alpha"),
        1e-9,
    );

    // Each category's alpha (0/1 data), also on the complete diagnoses.
    for (name, rows) in [("k", &k_rows), ("d", &d_rows)] {
        let ratings = labelled(rows);
        for c in ratings.categories() {
            let alpha = agreement::krippendorff_alpha(&ratings.binarized(c).unwrap(), Level::Nominal).unwrap().unwrap();
            close(&format!("alpha of {c} in {name} (R irrCAC)"), alpha, r(&format!("cac_alpha_{name}_cat_{c}")), 1e-9);
        }
    }
}

/// The units of a two-rater contingency table, one row a unit (categories named by position).
fn expand(table: &Table) -> Ratings {
    let mut rows = Vec::new();
    for (i, row) in table.cells.iter().enumerate() {
        for (j, &n) in row.iter().enumerate() {
            rows.extend(std::iter::repeat_n(vec![Some((i + 1).to_string()), Some((j + 1).to_string())], n as usize));
        }
    }
    labelled(&rows)
}

/// The values R irrCAC's vignette *Weighted Chance-corrected Agreement Coefficients*
/// (`inst/doc/weighting.html`, irrCAC 1.0, Gwet) prints with quadratic weights, to its printed
/// digits: on `cont3x3abstractors` (two raters, a contingency table) `kappa2.table` 0.8921569,
/// `scott2.table` 0.8921093, `gwet.ac1.table` 0.9402369, `bp2.table` 0.9175, `krippen2.table`
/// 0.8926487, `pa2.table` 0.9725; on `cac.raw4raters` (Krippendorff's data C) AC2 0.914, SE
/// 0.10396, (0.685, 1), Fleiss' kappa 0.86494, SE 0.14603, (0.544, 1), alpha 0.84911, Conger's
/// kappa 0.85771, Brennan-Prediger 0.90152, SE 0.11089, (0.657, 1), percent 0.9753788; on
/// `distrib.6raters` (counts; weights by the position of the five categories) AC2 0.4837438, SE
/// 0.1058227, (0.257, 0.711), Fleiss' kappa 0.2511909, SE 0.1457381, (−0.061, 0.564), alpha
/// 0.259511, Brennan-Prediger 0.4177778, SE 0.1067493, (0.189, 0.647), percent 0.8544444.
#[test]
fn weighted_coefficients_reproduce_irrcac_weighting_vignette() {
    let abstractors = Table { cells: vec![vec![13.0, 0.0, 0.0], vec![0.0, 20.0, 7.0], vec![0.0, 4.0, 56.0]] };
    let w = abstractors.weights(Weights::Quadratic);
    close("weighted kappa (abstractors)", abstractors.kappa_inference(&w).unwrap().kappa, 0.8921569, 5e-8);
    close("AC2 (abstractors)", abstractors.gwet_ac(&w).unwrap().0, 0.9402369, 5e-8);
    // Two raters who rated every unit: Fleiss' kappa is Scott's pi, here weighted.
    let g = agreement::gwet(&expand(&abstractors), Weights::Quadratic).unwrap().unwrap();
    close("weighted Scott's pi (abstractors)", g.fleiss_kappa.unwrap(), 0.8921093, 5e-8);
    close("weighted Brennan-Prediger (abstractors)", g.brennan_prediger.unwrap(), 0.9175, 5e-12);
    close("alpha, quadratic (abstractors)", g.krippendorff_alpha.unwrap(), 0.8926487, 5e-8);
    close("weighted percent (abstractors)", g.percent, 0.9725, 5e-12);

    let Some((_, k_rows)) = k2011() else { return };
    let g = agreement::gwet(&labelled(&k_rows), Weights::Quadratic).unwrap().unwrap();
    let (ac, fleiss, bp) =
        (g.gwet_ac_interval.unwrap(), g.fleiss_interval.unwrap(), g.brennan_prediger_interval.unwrap());
    for (what, got, want, tolerance) in [
        ("AC2", g.gwet_ac.clone().unwrap(), 0.914, 5e-6),
        ("AC2 SE", ac.se, 0.10396, 5e-6),
        ("AC2 low", ac.ci95.0, 0.685, 5e-4),
        ("AC2 high", ac.ci95.1, 1.0, 0.0),
        ("Fleiss", g.fleiss_kappa.clone().unwrap(), 0.86494, 5e-6),
        ("Fleiss SE", fleiss.se, 0.14603, 5e-6),
        ("Fleiss low", fleiss.ci95.0, 0.544, 5e-4),
        ("alpha", g.krippendorff_alpha.clone().unwrap(), 0.84911, 5e-6),
        ("Conger", g.conger_kappa.clone().unwrap(), 0.85771, 5e-6),
        ("BP", g.brennan_prediger.clone().unwrap(), 0.90152, 5e-6),
        ("BP SE", bp.se, 0.11089, 5e-6),
        ("BP low", bp.ci95.0, 0.657, 5e-4),
        ("percent", g.percent, 0.9753788, 5e-8),
    ] {
        close(&format!("{what} (cac.raw4raters, quadratic)"), got, want, tolerance);
    }

    let distrib = DISTRIB_6RATERS;
    // `quadratic.weights(1:q)`: the five diagnoses weighted as the values 1 to 5 (thema weights
    // numbers by value and refuses linear or quadratic weights on text labels).
    let categories: Vec<String> = (1..=5).map(|k| k.to_string()).collect();
    let counts = Ratings::from_counts(&categories, &distrib.iter().map(|r| r.to_vec()).collect::<Vec<_>>()).unwrap();
    let g = agreement::gwet(&counts, Weights::Quadratic).unwrap().unwrap();
    let (ac, fleiss, bp) =
        (g.gwet_ac_interval.unwrap(), g.fleiss_interval.unwrap(), g.brennan_prediger_interval.unwrap());
    for (what, got, want, tolerance) in [
        ("AC2", g.gwet_ac.clone().unwrap(), 0.4837438, 5e-8),
        ("AC2 SE", ac.se, 0.1058227, 5e-8),
        ("AC2 low", ac.ci95.0, 0.257, 5e-4),
        ("AC2 high", ac.ci95.1, 0.711, 5e-4),
        ("Fleiss", g.fleiss_kappa.clone().unwrap(), 0.2511909, 5e-8),
        ("Fleiss SE", fleiss.se, 0.1457381, 5e-8),
        ("Fleiss low", fleiss.ci95.0, -0.061, 5e-4),
        ("Fleiss high", fleiss.ci95.1, 0.564, 5e-4),
        ("alpha", g.krippendorff_alpha.clone().unwrap(), 0.259511, 5e-7),
        ("BP", g.brennan_prediger.clone().unwrap(), 0.4177778, 5e-8),
        ("BP SE", bp.se, 0.1067493, 5e-8),
        ("BP low", bp.ci95.0, 0.189, 5e-4),
        ("BP high", bp.ci95.1, 0.647, 5e-4),
        ("percent", g.percent, 0.8544444, 5e-8),
    ] {
        close(&format!("{what} (distrib.6raters, quadratic)"), got, want, tolerance);
    }
}
