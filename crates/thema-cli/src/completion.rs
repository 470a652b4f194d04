//! Tab completion that knows the study: code ids, document ids, turn ids, coders, participants,
//! `--where` keys and values, memo ids, besides the subcommands and flags.
//!
//! Built on clap_complete's dynamic completion: the script a shell sources (`thema completions
//! SHELL`) calls `thema` back at each Tab with the words typed so far (`COMPLETE=SHELL thema --
//! WORDS`), and [`complete_if_asked`] answers before anything else runs. The candidates come from
//! the few small files a study keeps them in (`codebook.toml`, the names of `documents/`, one
//! `turns.csv`, the names of `codings/` and `memos/`, `participants.csv`; for `--where kind=`,
//! `wave=` and `date=` values, each document's small `document.toml`): no index is built and no
//! codings are parsed. Outside a study only subcommands and flags complete.
//!
//! Candidates are ids, never names: ids hold no spaces or quotes, so they need no quoting in any
//! shell, and every command takes an id wherever it takes a name. zsh and fish show the name
//! beside each id.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use clap::builder::StyledStr;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use clap_complete::env::Shells;

/// The environment variable the shell scripts set when they ask for candidates.
const VAR: &str = "COMPLETE";

/// When a shell asks for candidates (`COMPLETE` is set), print them and exit; otherwise return
/// at once.
pub(crate) fn complete_if_asked() {
    // Only a shell's name starts completion: a `COMPLETE` set for something else leaves thema be.
    let asked = std::env::var(VAR).ok().filter(|shell| Shells::builtins().completer(shell).is_some());
    if asked.is_none() {
        return;
    }
    let _ = SHELL.set(std::env::var(VAR).unwrap_or_default());
    clap_complete::CompleteEnv::with_factory(command).var(VAR).bin("thema").complete();
}

/// The shell asking, as `COMPLETE` names it (clap clears the variable before candidates are
/// asked for).
static SHELL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Bash inserts a candidate as it is, so one with a space or a quote (`role=Peer Mentor`) must
/// come quoted (`role='Peer Mentor'`); zsh and fish quote candidates themselves.
fn quoted_for_shell(value: String) -> String {
    let plain = crate::shell::shell_plain;
    if SHELL.get().is_none_or(|s| s != "bash") || value.chars().all(plain) {
        return value;
    }
    // Quote after `KEY=` so the key stays as typed.
    let (head, tail) = match value.find('=') {
        Some(i) if value[..i].chars().all(|c| plain(c) || c == '!') => value.split_at(i + 1),
        _ => ("", value.as_str()),
    };
    format!("{head}'{}'", tail.replace('\'', "'\\''"))
}

/// What was typed, with the quotes bash keeps in the word being completed taken out.
fn unquoted(typed: &str) -> String {
    typed.chars().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect()
}

/// `thema completions SHELL`: the script that registers completion with the shell.
pub(crate) fn write_script(shell: &str, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let shells = Shells::builtins();
    let Some(completer) = shells.completer(shell) else {
        let known: Vec<&str> = shells.names().collect();
        anyhow::bail!("thema cannot complete for `{shell}`; it knows {}", known.join(", "));
    };
    completer.write_registration(VAR, "thema", "thema", "thema", out)?;
    if completer.name() == "bash" {
        // Bash splits the word being completed at `:` and `=` (`COMP_WORDBREAKS`), which would
        // cut `--turn fg1:T` and `--where role=` in two; npm's completion does the same.
        writeln!(out, "COMP_WORDBREAKS=${{COMP_WORDBREAKS//:/}}")?;
        writeln!(out, "COMP_WORDBREAKS=${{COMP_WORDBREAKS//=/}}")?;
    }
    Ok(())
}

/// The command line interface with a completer on every argument that names something of the
/// study.
fn command() -> clap::Command {
    annotate(crate::help::command(), &[])
}

/// What an argument names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Names {
    /// Codebook entries (codes, categories, sub-themes, themes).
    Entry,
    Document,
    Turn,
    Coder,
    /// Several coders, comma-separated.
    Coders,
    /// `KEY=VALUE` conditions of `--where`.
    Condition,
    /// The keys `--where` knows, for `--by`.
    Key,
    Memo,
}

/// Which arguments name what, by the id clap gives them (the field's name) and the subcommand.
fn names(path: &[String], id: &str) -> Option<Names> {
    let last = path.last().map(String::as_str);
    Some(match id {
        "code" | "codes" | "entry" | "from" | "to" | "into" | "parent" => Names::Entry,
        "document" | "documents" | "doc" => Names::Document,
        "turn" => Names::Turn,
        "coder" | "by_coder" => Names::Coder,
        "coders" => Names::Coders,
        "wheres" => Names::Condition,
        // `saturation --by` takes only `wave`, which clap completes itself.
        "by" if last != Some("saturation") => Names::Key,
        "id" if last == Some("show") && path.iter().any(|p| p == "memo") => Names::Memo,
        _ => return None,
    })
}

fn annotate(mut command: clap::Command, path: &[String]) -> clap::Command {
    let ids: Vec<String> = command.get_arguments().map(|a| a.get_id().to_string()).collect();
    for id in ids {
        if let Some(what) = names(path, &id) {
            command = command
                .mut_arg(id, |arg| arg.add(ArgValueCompleter::new(move |current: &OsStr| candidates(what, current))));
        }
    }
    let subcommands: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for name in subcommands {
        let mut inner = path.to_vec();
        inner.push(name.clone());
        command = command.mut_subcommand(name, |sub| annotate(sub, &inner));
    }
    command
}

/// The candidates for what is typed so far; none outside a study.
fn candidates(what: Names, current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(root) = study_root() else { return Vec::new() };
    let typed = unquoted(&current.to_string_lossy());
    let found = match what {
        Names::Coders => {
            // `hp,m`: complete the last coder, keep the ones before.
            let (head, last) = typed.rsplit_once(',').map_or(("", typed.as_str()), |(h, l)| (h, l));
            let head = if head.is_empty() { String::new() } else { format!("{head},") };
            return coders(&root)
                .into_iter()
                .filter(|(c, _)| c.starts_with(last))
                .map(|(c, help)| candidate(format!("{head}{c}"), help))
                .collect();
        }
        Names::Entry => entries(&root),
        Names::Document => documents(&root),
        Names::Turn => turns(&root, &typed),
        Names::Coder => coders(&root),
        Names::Condition => conditions(&root, &typed),
        Names::Key => keys(&root).into_iter().map(|k| (k, None)).collect(),
        Names::Memo => memos(&root),
    };
    found.into_iter().filter(|(value, _)| value.starts_with(typed.as_str())).map(|(v, h)| candidate(v, h)).collect()
}

fn candidate(value: String, help: Option<String>) -> CompletionCandidate {
    CompletionCandidate::new(OsString::from(quoted_for_shell(value))).help(help.map(StyledStr::from))
}

/// The study the command line being completed would use: `--study DIR` or `-C DIR` among the
/// words typed, else `THEMA_STUDY`, else the folder holding `thema.toml` at or above this one.
fn study_root() -> Option<PathBuf> {
    let words: Vec<OsString> = std::env::args_os().collect();
    let mut given = None;
    for (i, word) in words.iter().enumerate() {
        let word = word.to_string_lossy();
        if word == "--study" || word == "-C" {
            given = words.get(i + 1).map(PathBuf::from);
        } else if let Some(dir) = word.strip_prefix("--study=") {
            given = Some(PathBuf::from(dir));
        } else if let Some(dir) = word.strip_prefix("-C").filter(|d| !d.is_empty() && !word.starts_with("--")) {
            given = Some(PathBuf::from(dir));
        }
    }
    let given = given.or_else(|| std::env::var_os("THEMA_STUDY").filter(|v| !v.is_empty()).map(PathBuf::from));
    match given {
        Some(dir) => dir.join(thema_core::study::files::SETTINGS).is_file().then_some(dir),
        None => thema_core::Study::discover(Path::new(".")).ok(),
    }
}

/// Codebook entries: id, with the name and kind as help.
fn entries(root: &Path) -> Vec<(String, Option<String>)> {
    #[derive(serde::Deserialize)]
    struct Codebook {
        #[serde(default)]
        entry: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        id: String,
        #[serde(default)]
        name: String,
        #[serde(default)]
        kind: String,
    }
    let Ok(text) = std::fs::read_to_string(root.join(thema_core::study::files::CODEBOOK)) else { return Vec::new() };
    let Ok(codebook) = toml::from_str::<Codebook>(&text) else { return Vec::new() };
    codebook.entry.into_iter().map(|e| (e.id, Some(format!("{} ({})", e.name, e.kind)))).collect()
}

/// The names of the files or folders in `dir` (temporaries and hidden names left out), sorted.
fn names_in(dir: &Path, folders: bool, extension: Option<&str>) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir() == folders))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                return None;
            }
            match extension {
                Some(ext) => name.strip_suffix(ext).map(str::to_owned),
                None => Some(name),
            }
        })
        .collect();
    names.sort();
    names
}

fn documents(root: &Path) -> Vec<(String, Option<String>)> {
    names_in(&root.join(thema_core::study::files::DOCUMENTS), true, None).into_iter().map(|d| (d, None)).collect()
}

/// Turn ids: `fg1:T1`... once a document is typed (up to its colon), with each turn's speaker
/// label as help; before that, the document ids followed by a colon.
fn turns(root: &Path, typed: &str) -> Vec<(String, Option<String>)> {
    let documents = root.join(thema_core::study::files::DOCUMENTS);
    let Some((document, _)) = typed.split_once(':') else {
        return names_in(&documents, true, None).into_iter().map(|d| (format!("{d}:T"), None)).collect();
    };
    let Ok(mut reader) = csv::Reader::from_path(documents.join(document).join("turns.csv")) else {
        return Vec::new();
    };
    reader
        .records()
        .flatten()
        .filter_map(|r| Some((format!("{document}:T{}", r.get(0)?), r.get(1).map(str::to_owned))))
        .collect()
}

/// Coders: the stems of `codings/*.jsonl`.
fn coders(root: &Path) -> Vec<(String, Option<String>)> {
    names_in(&root.join(thema_core::study::files::CODINGS), false, Some(".jsonl"))
        .into_iter()
        .map(|c| (c, None))
        .collect()
}

fn memos(root: &Path) -> Vec<(String, Option<String>)> {
    names_in(&root.join(thema_core::study::files::MEMOS), false, Some(".md")).into_iter().map(|m| (m, None)).collect()
}

/// A row of `participants.csv`, as completion needs it.
struct Participant {
    id: String,
    /// Column name and value, the id's column left out.
    values: Vec<(String, String)>,
}

fn participants(root: &Path) -> Vec<Participant> {
    let Ok(mut reader) = csv::Reader::from_path(root.join(thema_core::study::files::PARTICIPANTS)) else {
        return Vec::new();
    };
    let Ok(header) = reader.headers().cloned() else { return Vec::new() };
    reader
        .records()
        .flatten()
        .filter_map(|row| {
            let id = row.get(0)?.to_owned();
            let values: Vec<(String, String)> =
                header.iter().zip(row.iter()).skip(1).map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
            Some(Participant { id, values })
        })
        .collect()
}

/// Document fields every study has, which `--where` and `--by` know besides participant columns.
const DOCUMENT_FIELDS: [&str; 5] = ["date", "document", "kind", "title", "wave"];

/// The keys of `--where` and `--by`: participant columns, `participant`, the document fields.
fn keys(root: &Path) -> Vec<String> {
    let mut keys = vec!["participant".to_owned()];
    if let Ok(mut reader) = csv::Reader::from_path(root.join(thema_core::study::files::PARTICIPANTS)) {
        if let Ok(header) = reader.headers() {
            keys.extend(header.iter().skip(1).map(str::to_owned));
        }
    }
    keys.extend(DOCUMENT_FIELDS.iter().map(|f| (*f).to_owned()));
    keys.sort();
    keys.dedup();
    keys
}

/// `KEY=` for each key until one is typed with its `=`; then `KEY=VALUE` for each value it has:
/// participants' values of a column, participant ids, or the documents' kinds and waves.
fn conditions(root: &Path, typed: &str) -> Vec<(String, Option<String>)> {
    let Some((key, _)) = typed.split_once('=') else {
        return keys(root).into_iter().map(|k| (format!("{k}="), None)).collect();
    };
    let key = key.trim_end_matches('!');
    let mut values: Vec<String> = match key {
        "participant" => participants(root).into_iter().map(|p| p.id).collect(),
        "document" => documents(root).into_iter().map(|(d, _)| d).collect(),
        "kind" | "wave" | "date" => document_field(root, key),
        _ => participants(root)
            .into_iter()
            .filter_map(|p| p.values.into_iter().find(|(k, _)| k == key).map(|(_, v)| v))
            .filter(|v| !v.is_empty())
            .collect(),
    };
    values.sort();
    values.dedup();
    let prefix = &typed[..=typed.find('=').unwrap_or(0)];
    values.into_iter().map(|v| (format!("{prefix}{v}"), None)).collect()
}

/// The values of a top-level field (`kind = "interview"`) in the documents' `document.toml`.
fn document_field(root: &Path, field: &str) -> Vec<String> {
    let documents = root.join(thema_core::study::files::DOCUMENTS);
    names_in(&documents, true, None)
        .into_iter()
        .filter_map(|d| {
            let text = std::fs::read_to_string(documents.join(d).join("document.toml")).ok()?;
            let table: toml::Table = toml::from_str(&text).ok()?;
            match table.get(field)? {
                toml::Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small study on disk, written by hand: two coders and their consensus, a focus group.
    fn study() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in ["documents/fg1", "documents/int2", "codings", "memos"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        std::fs::write(root.join("thema.toml"), "format = 1\nname = \"t\"\n").unwrap();
        std::fs::write(
            root.join("codebook.toml"),
            "[[entry]]\nid = \"being-honest\"\nname = \"being honest\"\nkind = \"code\"\n\n\
             [[entry]]\nid = \"offering-hope\"\nname = \"Offering hope\"\nkind = \"theme\"\n",
        )
        .unwrap();
        std::fs::write(
            root.join("participants.csv"),
            "id,pseudonym,role\nsimon,Simon,Peer Mentor\npam,Pam,Program Manager\n",
        )
        .unwrap();
        std::fs::write(
            root.join("documents/fg1/turns.csv"),
            "turn,speaker,start,end,time_start,time_end\n1,Facilitator,0,10,,\n2,Simon,12,40,,\n",
        )
        .unwrap();
        std::fs::write(root.join("documents/fg1/document.toml"), "id = \"fg1\"\nkind = \"focus-group\"\n").unwrap();
        std::fs::write(root.join("documents/int2/document.toml"), "id = \"int2\"\nkind = \"interview\"\nwave = 2\n")
            .unwrap();
        for coder in ["hp", "mk", "team"] {
            std::fs::write(root.join(format!("codings/{coder}.jsonl")), "").unwrap();
        }
        std::fs::write(root.join("codings/.hp.jsonl.tmp-1-0"), "").unwrap();
        std::fs::write(root.join("memos/m-0001.md"), "").unwrap();
        dir
    }

    fn values(found: Vec<(String, Option<String>)>) -> Vec<String> {
        found.into_iter().map(|(v, _)| v).collect()
    }

    #[test]
    fn codes_documents_coders_and_memos_come_from_the_study() {
        let dir = study();
        let root = dir.path();
        assert_eq!(
            entries(root),
            [
                ("being-honest".to_owned(), Some("being honest (code)".to_owned())),
                ("offering-hope".to_owned(), Some("Offering hope (theme)".to_owned()))
            ]
        );
        assert_eq!(values(documents(root)), ["fg1", "int2"]);
        // A temporary left by an interrupted write is no coder.
        assert_eq!(values(coders(root)), ["hp", "mk", "team"]);
        assert_eq!(values(memos(root)), ["m-0001"]);
    }

    #[test]
    fn turn_ids_follow_the_document_typed() {
        let dir = study();
        let root = dir.path();
        assert_eq!(values(turns(root, "f")), ["fg1:T", "int2:T"]);
        assert_eq!(
            turns(root, "fg1:T"),
            [("fg1:T1".to_owned(), Some("Facilitator".to_owned())), ("fg1:T2".to_owned(), Some("Simon".to_owned()))]
        );
        assert!(turns(root, "nope:T").is_empty());
    }

    #[test]
    fn where_keys_then_their_values() {
        let dir = study();
        let root = dir.path();
        assert_eq!(
            values(conditions(root, "")),
            ["date=", "document=", "kind=", "participant=", "pseudonym=", "role=", "title=", "wave="]
        );
        assert_eq!(values(conditions(root, "role=")), ["role=Peer Mentor", "role=Program Manager"]);
        assert_eq!(values(conditions(root, "role!=P")), ["role!=Peer Mentor", "role!=Program Manager"]);
        assert_eq!(values(conditions(root, "kind=")), ["kind=focus-group", "kind=interview"]);
        assert_eq!(values(conditions(root, "wave=")), ["wave=2"]);
        assert_eq!(values(conditions(root, "participant=")), ["participant=pam", "participant=simon"]);
    }

    #[test]
    fn bash_gets_values_with_spaces_quoted_after_the_key() {
        let _ = SHELL.set("bash".to_owned());
        assert_eq!(quoted_for_shell("role=Peer Mentor".to_owned()), "role='Peer Mentor'");
        assert_eq!(quoted_for_shell("role!=Peer Mentor".to_owned()), "role!='Peer Mentor'");
        assert_eq!(quoted_for_shell("fg1:T2".to_owned()), "fg1:T2");
        assert_eq!(quoted_for_shell("name=Sam's".to_owned()), "name='Sam'\\''s'");
        assert_eq!(unquoted("role='Peer M"), "role=Peer M");
    }

    #[test]
    fn every_argument_that_names_something_has_a_completer() {
        let command = command();
        let find = |path: &[&str], id: &str| {
            let mut c = &command;
            for name in path {
                c = c.find_subcommand(name).unwrap_or_else(|| panic!("no subcommand {name}"));
            }
            let arg = c.get_arguments().find(|a| a.get_id() == id).unwrap_or_else(|| panic!("{path:?} has no {id}"));
            arg.get::<ArgValueCompleter>().is_some()
        };
        assert!(find(&["code"], "code"));
        assert!(find(&["code"], "turn"));
        assert!(find(&["code"], "doc"));
        assert!(find(&["uncode"], "code"));
        assert!(find(&["show"], "document"));
        assert!(find(&["codebook", "rename"], "entry"));
        assert!(find(&["codebook", "move"], "to"));
        assert!(find(&["codebook", "merge"], "into"));
        assert!(find(&["relate"], "from"));
        assert!(find(&["segments"], "wheres"));
        assert!(find(&["matrix"], "by"));
        assert!(find(&["memo", "show"], "id"));
        // A memo's text is not a memo id.
        assert!(!find(&["code"], "memo"));
    }
}
