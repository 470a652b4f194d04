//! `generate DIR [--turns N | --docs N --turns-per-doc M] [--codings K] [--coders C] [--seed S]`:
//! a synthetic study for benchmarks (see `thema_benches::generate`).
//! `generate FILE --speakers N`: a transcript with N speakers besides the interviewer
//! (`thema_benches::many_speakers_transcript`); `generate FILE --respondents N`: a survey CSV
//! (`thema_benches::survey_csv`).

use std::process::ExitCode;

const USAGE: &str = "usage: generate DIR [--turns N | --docs N --turns-per-doc M] [--codings PER_DOC] [--coders C] \
                     [--seed S]\n       generate FILE (--speakers N | --respondents N) [--seed S]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = None;
    let mut turns = None;
    let mut docs = None;
    let mut per_doc = None;
    let mut codings = 0usize;
    let mut coders = 2usize;
    let mut seed = thema_benches::SEED;
    let mut file: Option<(&str, usize)> = None;
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        if flag.starts_with("--") {
            let Some(n) = args.get(i + 1).and_then(|n| n.replace('_', "").parse::<u64>().ok()) else {
                eprintln!("error: {flag} needs a number\n{USAGE}");
                return ExitCode::from(2);
            };
            let n_usize = usize::try_from(n).unwrap_or(usize::MAX);
            match flag {
                "--turns" => turns = Some(n_usize),
                "--docs" => docs = Some(n_usize),
                "--turns-per-doc" => per_doc = Some(n_usize),
                "--codings" => codings = n_usize,
                "--coders" => coders = n_usize,
                "--seed" => seed = n,
                "--speakers" => file = Some(("speakers", n_usize)),
                "--respondents" => file = Some(("respondents", n_usize)),
                other => {
                    eprintln!("error: unexpected `{other}`\n{USAGE}");
                    return ExitCode::from(2);
                }
            }
            i += 2;
            continue;
        }
        if dir.is_some() {
            eprintln!("error: unexpected `{flag}`\n{USAGE}");
            return ExitCode::from(2);
        }
        dir = Some(flag.to_owned());
        i += 1;
    }
    let Some(dir) = dir else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if let Some((what, n)) = file {
        let text = if what == "speakers" {
            thema_benches::many_speakers_transcript(n, seed)
        } else {
            thema_benches::survey_csv(n, seed)
        };
        if let Err(e) = std::fs::write(&dir, text) {
            eprintln!("error: cannot write {dir}: {e}");
            return ExitCode::from(2);
        }
        eprintln!("wrote {n} {what} to {dir}");
        return ExitCode::SUCCESS;
    }
    let mut plan = match (turns, docs) {
        (Some(_), Some(_)) => {
            eprintln!("error: give --turns or --docs, not both\n{USAGE}");
            return ExitCode::from(2);
        }
        (Some(t), None) => thema_benches::Plan::turns(t),
        (None, Some(d)) => {
            let mut plan = thema_benches::Plan::turns(d);
            plan.documents = d;
            plan.turns_per_document = per_doc.unwrap_or(200);
            plan
        }
        (None, None) => thema_benches::Plan::turns(1_000_000),
    };
    plan.seed = seed;
    plan.codings_per_document = codings;
    plan.coders = if codings > 0 { coders } else { 0 };
    let started = std::time::Instant::now();
    match thema_benches::generate(std::path::Path::new(&dir), plan) {
        Ok(n) => {
            eprintln!(
                "generated {} documents, {n} turns and {} codings in {dir} in {:.1} s",
                plan.documents,
                plan.documents * plan.codings_per_document * plan.coders,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
