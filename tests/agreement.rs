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
