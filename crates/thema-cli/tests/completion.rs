//! Tab completion in real shells: tmux runs bash, zsh and fish with the script of `thema
//! completions SHELL` loaded, in the example study, types the start of a command and Tab, and
//! reads the screen. Skipped, visibly, where tmux or a shell is missing (`.ci/run` installs them).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

mod support;
use support::tmux::have;

/// The shells tested: each loads the script of `thema completions SHELL` its own way, and each
/// shows candidates on its own keys.
#[derive(Clone, Copy, PartialEq)]
enum Shell {
    Bash,
    Zsh,
    Fish,
}

impl Shell {
    fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
        }
    }

    /// The start-up file and the command that runs the shell with it, interactive.
    fn setup(self, dir: &Path, bin_dir: &Path) -> String {
        let study = dir.join("study");
        let (bin, study) = (bin_dir.display(), study.display());
        match self {
            Shell::Bash => {
                let rc = dir.join("rc.bash");
                std::fs::write(
                    &rc,
                    format!(
                        "PS1='$ '\nexport PATH={bin}:$PATH\nexport THEMA_CODER=hp\nsource <(thema completions bash)\n\
                         cd {study}\n"
                    ),
                )
                .unwrap();
                format!("bash --noprofile --rcfile {} -i", rc.display())
            }
            Shell::Zsh => {
                std::fs::write(
                    dir.join(".zshrc"),
                    format!(
                        "PS1='$ '\nexport PATH={bin}:$PATH\nexport THEMA_CODER=hp\n\
                         autoload -Uz compinit && compinit -u -d {}/.zcompdump\n\
                         source <(thema completions zsh)\ncd {study}\n",
                        dir.display()
                    ),
                )
                .unwrap();
                format!("env ZDOTDIR={} zsh -i", dir.display())
            }
            Shell::Fish => {
                let rc = dir.join("config.fish");
                std::fs::write(
                    &rc,
                    format!(
                        "function fish_prompt; echo -n '$ '; end\nset -gx PATH {bin} $PATH\nset -gx THEMA_CODER hp\n\
                         thema completions fish | source\ncd {study}\n"
                    ),
                )
                .unwrap();
                format!(
                    "env XDG_CONFIG_HOME={0} XDG_DATA_HOME={0} fish --no-config -i -C 'source {1}'",
                    dir.display(),
                    rc.display()
                )
            }
        }
    }
}

/// A tmux window running an interactive shell.
struct Tmux {
    tmux: support::tmux::Tmux,
    shell: Shell,
}

impl Tmux {
    fn start(dir: &Path, bin_dir: &Path, shell: Shell) -> Tmux {
        let command = shell.setup(dir, bin_dir);
        Tmux { tmux: support::tmux::Tmux::start(shell.name(), dir, 200, 50, &command), shell }
    }

    fn keys(&self, keys: &[&str]) {
        self.tmux.keys(keys);
    }

    fn wait_for(&self, text: &str) -> String {
        self.tmux.wait_for(text)
    }

    /// Type `line`, press Tab (complete as far as the candidates agree), then whatever lists what
    /// is left (bash: Alt-=, readline's `possible-completions`; zsh: Tab again; fish lists on the
    /// first Tab), and return the screen once it shows `expected`; then clear the line.
    fn complete(&self, line: &str, expected: &str) -> String {
        self.keys(&["-l", line]);
        self.keys(&["Tab"]);
        std::thread::sleep(Duration::from_millis(300));
        match self.shell {
            Shell::Bash => self.keys(&["M-="]),
            Shell::Zsh => self.keys(&["Tab"]),
            Shell::Fish => {}
        }
        let screen = self.wait_for(expected);
        if self.shell == Shell::Fish {
            self.keys(&["Escape"]);
        }
        self.keys(&["C-u", "clear", "Enter"]);
        std::thread::sleep(Duration::from_millis(300));
        screen
    }
}

/// The example study in a shell with thema's completion loaded, or `None` (said where a person
/// sees it) when tmux or the shell is missing.
fn shell_in_demo(shell: Shell) -> Option<(tempfile::TempDir, Tmux)> {
    if !have("tmux") || !have(shell.name()) {
        thema_testkit::skip(format_args!("tmux and {} are needed to test completion in that shell", shell.name()));
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let thema = assert_cmd::cargo::cargo_bin("thema");
    let demo = Command::new(&thema).args(["demo", "--out"]).arg(d.join("study")).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    // A role with a quote and a space, to see it quoted.
    let add = Command::new(&thema)
        .args(["--study"])
        .arg(d.join("study"))
        .args(["participants", "add", "ruth", "--pseudonym", "Ruth", "--role", "Director's aide"])
        .env("THEMA_CODER", "hp")
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let tmux = Tmux::start(d, thema.parent().unwrap(), shell);
    tmux.wait_for("$ ");
    Some((dir, tmux))
}

/// What every shell must do: complete code ids, documents, turn ids and `--where` values from
/// the study, and subcommands; `quoted` is how the shell writes `role=Peer Mentor` and
/// `role=Director's aide` on the command line.
fn completes_the_study_s_own_names(shell: Shell, quoted: [&str; 2]) {
    let Some((_dir, tmux)) = shell_in_demo(shell) else {
        return;
    };
    // One candidate: completed in place.
    let screen = tmux.complete("thema code being-hon", "being-honest");
    assert!(screen.contains("$ thema code being-honest"), "{screen}");
    // Several: listed.
    let screen = tmux.complete("thema code bei", "being-flexible");
    assert!(screen.contains("being-a-friend") && screen.contains("being-honest"), "{screen}");
    // Documents, then a document's turns, the colon kept in the word.
    let screen = tmux.complete("thema show f", "fg2");
    assert!(screen.contains("fg1") && screen.contains("fg2") && !screen.contains("int1"), "{screen}");
    let screen = tmux.complete("thema code being-honest --turn fg1:T", "fg1:T9");
    assert!(screen.contains("fg1:T1") && screen.contains("fg1:T2"), "{screen}");
    // `--where` values with a space or a quote come quoted, ready to run.
    let screen = tmux.complete("thema segments being-honest --where role=P", quoted[0]);
    assert!(screen.contains(&format!("--where {}", quoted[0])), "{screen}");
    let screen = tmux.complete("thema segments being-honest --where role=D", quoted[1]);
    assert!(screen.contains(&format!("--where {}", quoted[1])), "{screen}");
    // Subcommands, as for any program.
    let screen = tmux.complete("thema unc", "$ thema uncode");
    assert!(screen.contains("$ thema uncode"), "{screen}");
}

#[test]
fn bash_completes_the_study_s_own_names() {
    completes_the_study_s_own_names(Shell::Bash, ["role='Peer Mentor'", "role='Director'\\''s aide'"]);
}

#[test]
fn zsh_completes_the_study_s_own_names() {
    completes_the_study_s_own_names(Shell::Zsh, ["role=Peer\\ Mentor", "role=Director\\'s\\ aide"]);
}

#[test]
fn fish_completes_the_study_s_own_names() {
    completes_the_study_s_own_names(Shell::Fish, ["role=Peer\\ Mentor", "role=Director\\'s\\ aide"]);
}

#[test]
fn a_complete_variable_that_names_no_shell_changes_nothing() {
    let thema = assert_cmd::cargo::cargo_bin("thema");
    for value in ["1", "yes", ""] {
        let out = Command::new(&thema).arg("--version").env("COMPLETE", value).output().unwrap();
        assert!(out.status.success(), "COMPLETE={value}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("thema "), "COMPLETE={value}");
    }
    // A shell's name answers with candidates instead.
    let out = Command::new(&thema)
        .args(["--", "thema", "unc"])
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "1")
        .env("_CLAP_IFS", "\n")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "uncode");
}
