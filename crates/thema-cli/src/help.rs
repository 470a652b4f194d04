//! Help beyond the flags: real examples at the end of each subcommand's `--help` (taken from the
//! README's tour, on the example study `thema demo` builds), short guides for topics that span
//! commands (`thema help quotes`), and man pages (`thema man`).

use std::io::Write as _;
use std::path::Path;

use clap::CommandFactory;

/// The command line interface as `thema` parses it: the clap derive, with the examples.
pub(crate) fn command() -> clap::Command {
    let mut command = crate::cli::Cli::command().after_long_help(topics_footer());
    for (path, examples) in EXAMPLES {
        command = with_examples(command, path, examples);
    }
    command
}

fn with_examples(command: clap::Command, path: &[&str], examples: &[&str]) -> clap::Command {
    match path {
        [] => {
            let mut text = String::from("Examples:\n");
            for example in examples {
                text.push_str("  ");
                text.push_str(example);
                text.push('\n');
            }
            command.after_help(text.trim_end().to_owned())
        }
        [first, rest @ ..] => command.mut_subcommand(*first, |sub| with_examples(sub, rest, examples)),
    }
}

/// Two or three real examples for each subcommand, on the example study (`thema demo`).
const EXAMPLES: &[(&[&str], &[&str])] = &[
    (&["init"], &["thema init my-study", "thema init .   # the current folder, if it holds no study files"]),
    (
        &["import"],
        &[
            "thema import transcripts/*.docx --kind interview",
            "thema import fg1.vtt --kind focus-group --wave 1 --interviewer Facilitator",
            "thema import survey.csv --format survey --text-column answer",
        ],
    ),
    (&["ls"], &["thema ls", "thema ls --json"]),
    (&["show"], &["thema show fg1", "thema show fg1 --no-wrap --spans", "thema show int1 --codes"]),
    (&["speakers"], &["thema speakers --unlinked", "thema speakers fg1"]),
    (&["link"], &["thema link fg1 Simon simon", "thema link Facilitator --interviewer --all"]),
    (
        &["participants"],
        &[
            "thema participants list",
            "thema participants add p09 --pseudonym Dana --role \"Peer Mentor\"",
            "thema participants set p07 left-after=1 reason=\"moved away\"",
        ],
    ),
    (
        &["codebook"],
        &[
            "thema codebook",
            "thema codebook add \"Offering hope\" --kind theme --role central",
            "thema codebook move \"being honest\" --to \"Building respectful relationships\"",
        ],
    ),
    (&["relate"], &["thema relate \"Relying on shared experience\" \"Offering hope\" --as foundation-of"]),
    (
        &["code"],
        &[
            "thema code \"Offering hope\" --turn fg2:T2",
            "thema code being-honest --doc fg1 --quote \"been honest with me\"",
            "thema code \"Offering hope\" --span fg1:122..180",
        ],
    ),
    (
        &["invivo"],
        &[
            "thema invivo int1 --quote \"showing that there is a way out\" --parent \"Offering hope\"",
            "thema invivo suggest",
        ],
    ),
    (
        &["uncode"],
        &["thema uncode \"Offering hope\" --turn fg2:T2", "thema uncode being-honest --doc fg1 --quote \"with me\""],
    ),
    (&["undo"], &["thema undo", "thema history   # what undo would revert"]),
    (&["redo"], &["thema undo && thema redo"]),
    (&["history"], &["thema history", "thema history --limit 3 --json"]),
    (&["workbench"], &["thema workbench fg1", "thema wb --coder mk int2   # as coder mk, at interview 2"]),
    (&["sheet"], &["thema sheet fg1 > fg1.md", "thema sheet fg1 --out fg1.md"]),
    (&["apply"], &["thema apply fg1.md --dry-run", "thema apply fg1.md"]),
    (
        &["segments"],
        &[
            "thema segments \"Offering hope\"",
            "thema segments \"Offering hope\" --where role=\"Peer Mentor\" --attribution id",
        ],
    ),
    (
        &["memo"],
        &[
            "thema memo add Loss \"Clients lose their families.\" --turn int1:T2",
            "thema memo list --code \"Offering hope\"",
        ],
    ),
    (&["coders"], &["thema coders"]),
    (
        &["merge-coders"],
        &["thema merge-coders hp mk --into team", "thema merge-coders hp mk --into team --agreed-only"],
    ),
    (&["log"], &["thema log", "thema log --json"]),
    (
        &["search"],
        &[
            "thema search court",
            "thema search \"way out\" --where role=\"Peer Mentor\" --kind focus-group --uncoded",
            "thema search prison --autocode \"Offering hope\" --unit turn --dry-run",
        ],
    ),
    (&["kwic"], &["thema kwic hope --context 40", "thema kwic \"way out\" --where role=\"Peer Mentor\""]),
    (&["similar"], &["thema similar --code \"Offering hope\""]),
    (&["words"], &["thema words --limit 20", "thema words --by role"]),
    (&["agree"], &["thema agree", "thema agree hp mk --unit turn --json", "thema agree --data ratings.csv"]),
    (&["saturation"], &["thema saturation", "thema saturation --chart saturation.svg", "thema saturation --by wave"]),
    (&["cooccur"], &["thema cooccur", "thema cooccur --heatmap cooccur.svg"]),
    (
        &["matrix"],
        &["thema matrix --by participant", "thema matrix --by wave --out matrix.csv", "thema matrix --wave 2"],
    ),
    (&["waves"], &["thema waves", "thema waves --participants-table --format markdown"]),
    (
        &["trajectories"],
        &[
            "thema trajectories --rows theme",
            "thema trajectories --changes --format csv --out changes.csv",
            "thema trajectories --chart presence.svg --entry hope",
            "thema trajectories --rows theme --chart flows.svg --chart-kind alluvial",
            "thema trajectories --framework --participants simon --format md",
        ],
    ),
    (
        &["exemplar"],
        &[
            "thema exemplar \"Offering hope\" --turn int1:T2",
            "thema exemplar \"Offering hope\" --turn int1:T2 --remove",
        ],
    ),
    (
        &["export"],
        &[
            "thema export themes --out table2.docx",
            "thema export participants --out table1.xlsx",
            "thema export qdpx --out study.qdpx",
        ],
    ),
    (&["deidentify"], &["thema deidentify --key ../key.csv --dry-run", "thema deidentify --key ../key.csv"]),
    (&["audit"], &["thema audit", "thema audit --key ../key.csv --json"]),
    (&["import-codebook"], &["thema import-codebook codebook.qdc"]),
    (&["import-project"], &["thema import-project study.qdpx my-study"]),
    (&["map"], &["thema map --out map.svg", "thema map --format mermaid"]),
    (&["report"], &["thema report", "thema report --out report.html --attribution participant-number"]),
    (
        &["review"],
        &[
            "thema review --out review.html --reviewer \"Ana Silva\"",
            "thema review import review-comments-ana-silva.json",
            "thema review list --open",
            "thema review resolve review-cmx9whlln-frp4rc --why \"kept apart: see memo m-0004\"",
        ],
    ),
    (&["check"], &["thema check", "thema check --fix"]),
    (&["demo"], &["thema demo", "thema demo --out /tmp/demo"]),
    (&["completions"], &["thema completions bash >> ~/.bashrc", "thema completions zsh > ~/.zfunc/_thema"]),
    (&["man"], &["thema man --out ~/.local/share/man/man1"]),
];

/// Guides for what spans several commands: `thema help TOPIC`.
const TOPICS: &[(&str, &str, &str)] = &[
    (
        "quotes",
        "quotes, turns and spans: how to say which passage to code",
        "A passage is given one of three ways, to `code`, `uncode`, `invivo`, `exemplar` and `memo`:

  --turn fg1:T7           the whole turn 7 of document fg1
  --doc fg1 --quote TEXT  the words TEXT, found in fg1 (add --turn to look in one turn,
                          --occurrence N when they occur more than once)
  --span fg1:120..180     code points 120 to 180 of fg1's text (`thema show fg1 --spans`)

A quote matches as people copy it: line breaks, several spaces and the indent `thema show`
prints, typographic quotes and dashes against typed ones, and soft hyphens make no difference;
the coding keeps the transcript's exact words. A quote must start and end at word boundaries.
Copy from `thema show fg1`, or `thema show fg1 --no-wrap` for one line a paragraph. An
ambiguous quote lists where it occurs (`--json` for all).",
    ),
    (
        "coders",
        "coder sets: whose codings a command counts",
        "Each coder's codings are a file of their own (`codings/hp.jsonl`). Say who codes with
`--coder hp`, `THEMA_CODER=hp` or `default_coder` in thema.toml.

`thema merge-coders hp mk --into team` makes a derived coder set, recorded in thema.toml. Every
command that counts codings (codebook, segments, cooccur, matrix, saturation, exemplar, export,
report) then counts team's codings, not hp's, mk's and team's added up; `--coders hp,mk` (or
`analysis_coders` in thema.toml) chooses others, pooled so that a passage several coders coded
with one code counts once. `thema agree` compares the primary coders. Two codes co-occur only
where one coder applied both. In full: docs/coders.md.",
    ),
    (
        "attribution",
        "attribution: who is credited with a quote, and how quotes name them",
        "A coding is credited to every participant who speaks inside its span; interviewers never.
Speakers not linked to a participant are \"Unidentified speaker\", interviewers \"Interviewer\":
never the transcript's label, which is often a real name (`thema check` warns about them).

How quotes name speakers: `--attribution` on segments, exemplar, export and report, or
`attribution` in thema.toml. Presets: pseudonym-role (\"-Simon, Peer Mentor\", the default), id
(\"P7\"), participant-number (\"Participant 3\"), role, none; or a template such as
'-{pseudonym}, {role}, wave {wave}'. In full: docs/attribution.md.",
    ),
    (
        "study",
        "the study on disk: which file holds what",
        "A study is a folder of plain-text files, meant to live in git:

  thema.toml          name, settings, coder sets, attribution style
  participants.csv    one row a participant: id, pseudonym, role, your columns
  codebook.toml       codes, categories, sub-themes and themes, with relations
  documents/ID/       text.txt, turns.csv, speakers.csv, document.toml for each transcript
  codings/CODER.jsonl one coding a line, each coder a file
  memos/m-0001.md     memos, a TOML header and Markdown
  decisions.jsonl     the decision log: every codebook change, with who, when and why
  .thema/             derived data (search index, history for undo), ignored by git

Every command writes its changes as one transaction: all or nothing, even across a crash
(docs/data-protection.md). `thema check` validates the whole study.",
    ),
];

fn topics_footer() -> String {
    let mut text = String::from("Guides: `thema help TOPIC`, where TOPIC is one of:\n");
    for (name, summary, _) in TOPICS {
        text.push_str(&format!("  {name:<12} {summary}\n"));
    }
    text.trim_end().to_owned()
}

/// `thema help TOPIC` for a known topic: print the guide and return true. Anything else
/// (`thema help code`, `thema help`) is left to clap.
pub(crate) fn print_topic_if_asked() -> bool {
    let args: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    let [help, topic] = args.as_slice() else { return false };
    if help != "help" {
        return false;
    }
    let Some((_, summary, text)) = TOPICS.iter().find(|(name, _, _)| name == topic) else { return false };
    // A reader that stops early (`thema help quotes | head`) is no error.
    let _ = writeln!(std::io::stdout(), "{summary}\n\n{text}");
    true
}

/// Write a man page for `thema` and one for each subcommand (`thema-code.1`...) into `dir`.
/// Returns how many were written.
pub(crate) fn write_man_pages(dir: &Path) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut command = command();
    command.build();
    let mut written = 0;
    write_page(&command, "thema", dir, &mut written)?;
    Ok(written)
}

fn write_page(command: &clap::Command, name: &str, dir: &Path, written: &mut usize) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    // Built, a subcommand's display name is its page's title (`thema-code`).
    clap_mangen::Man::new(command.clone()).render(&mut bytes)?;
    thema_core::fsio::write_atomic(&dir.join(format!("{name}.1")), &bytes)?;
    *written += 1;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        write_page(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subcommand_has_examples_that_parse() {
        let command = command();
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            let (_, examples) = EXAMPLES
                .iter()
                .find(|(path, _)| path == &[sub.get_name()])
                .unwrap_or_else(|| panic!("`thema {}` has no examples", sub.get_name()));
            for example in *examples {
                let example = example.split("   #").next().unwrap();
                if example.contains(['>', '&', '*']) {
                    continue; // shell syntax around the command
                }
                let words = shell_words(example);
                if let Err(e) = command.clone().try_get_matches_from(&words) {
                    panic!("`{example}` does not parse: {e}");
                }
            }
        }
    }

    /// Split a line as a shell would, for the examples' simple quoting.
    fn shell_words(line: &str) -> Vec<String> {
        let (mut words, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
        for c in line.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    any = true;
                }
                ' ' if !quoted => {
                    if any || !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                    any = false;
                }
                c => word.push(c),
            }
        }
        if any || !word.is_empty() {
            words.push(word);
        }
        words
    }

    #[test]
    fn man_pages_for_thema_and_every_subcommand() {
        let dir = tempfile::tempdir().unwrap();
        let written = write_man_pages(dir.path()).unwrap();
        let subcommands = command().get_subcommands().filter(|s| s.get_name() != "help").count();
        assert!(written > subcommands, "{written} pages for {subcommands} subcommands");
        let page = std::fs::read_to_string(dir.path().join("thema-code.1")).unwrap();
        assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{}", &page[..80]);
        assert!(page.contains("thema\\-code"), "the page names its command");
        assert!(page.contains("\\-\\-turn"), "and documents its flags");
        assert!(dir.path().join("thema-codebook-add.1").exists());
    }
}
