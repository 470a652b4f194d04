//! Generate a large synthetic study: `generate DIR [--turns N]` (default 1,000,000 turns, in
//! documents of 1,000 turns). See `thema_benches::generate`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = None;
    let mut turns = 1_000_000usize;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--turns" => {
                let Some(n) = args.get(i + 1).and_then(|n| n.replace('_', "").parse().ok()) else {
                    eprintln!("error: --turns needs a number");
                    return ExitCode::from(2);
                };
                turns = n;
                i += 1;
            }
            other if dir.is_none() && !other.starts_with('-') => dir = Some(other.to_owned()),
            other => {
                eprintln!("error: unexpected `{other}`\nusage: generate DIR [--turns N]");
                return ExitCode::from(2);
            }
        }
        i += 1;
    }
    let Some(dir) = dir else {
        eprintln!("usage: generate DIR [--turns N]");
        return ExitCode::from(2);
    };
    let started = std::time::Instant::now();
    match thema_benches::generate(std::path::Path::new(&dir), thema_benches::Plan::turns(turns)) {
        Ok(n) => {
            eprintln!("generated {n} turns in {dir} in {:.1} s", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
