//! Tab completion in a real shell: tmux runs bash with the script of `thema completions bash`
//! loaded, in the example study, types the start of a command and Tab, and reads the screen.
//! Skipped, visibly, where tmux or bash is missing.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn have(program: &str) -> bool {
    Command::new(program).arg("-V").output().is_ok_and(|o| o.status.success())
        || Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// A tmux server of its own, with one window running an interactive bash.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(dir: &Path, bin_dir: &Path) -> Tmux {
        let socket = format!("thema-test-{}", std::process::id());
        let rc = dir.join("rc.bash");
        std::fs::write(
            &rc,
            format!(
                "PS1='$ '\nexport PATH={}:$PATH\nexport THEMA_CODER=hp\nsource <(thema completions bash)\ncd {}\n",
                bin_dir.display(),
                dir.join("study").display()
            ),
        )
        .unwrap();
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "50"])
            .arg(format!("bash --noprofile --rcfile {} -i", rc.display()))
            .status()
            .unwrap();
        assert!(status.success());
        Tmux { socket }
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux").args(["-L", &self.socket, "send-keys"]).args(keys).status().unwrap();
        assert!(status.success());
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux").args(["-L", &self.socket, "capture-pane", "-p"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wait until the screen shows `text`; the screen either way.
    fn wait_for(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) || started.elapsed() > Duration::from_secs(10) {
                return screen;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Type `line`, press Tab (complete as far as the candidates agree), then Alt-= (readline's
    /// `possible-completions`: list what is left), and return the screen once it shows
    /// `expected`; then clear the line.
    fn complete(&self, line: &str, expected: &str) -> String {
        self.keys(&["-l", line]);
        self.keys(&["Tab"]);
        std::thread::sleep(Duration::from_millis(300));
        self.keys(&["M-="]);
        let screen = self.wait_for(expected);
        self.keys(&["C-u", "clear", "Enter"]);
        std::thread::sleep(Duration::from_millis(300));
        screen
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

#[test]
fn bash_completes_the_study_s_own_names() {
    if !have("tmux") || !have("bash") {
        thema_testkit::skip("tmux and bash are needed to test completion in a shell");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let thema = assert_cmd::cargo::cargo_bin("thema");
    let demo = Command::new(&thema).args(["demo", "--out"]).arg(d.join("study")).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let tmux = Tmux::start(d, thema.parent().unwrap());
    tmux.wait_for("$ ");

    // One candidate: completed in place, the word ended (the flags of what comes next listed).
    let screen = tmux.complete("thema code being-hon", "--turn");
    assert!(screen.contains("$ thema code being-honest\n"), "{screen}");
    // Several: listed.
    let screen = tmux.complete("thema code bei", "being-flexible");
    assert!(screen.contains("being-a-friend") && screen.contains("being-honest"), "{screen}");
    // Documents, then a document's turns, the colon kept in the word.
    let screen = tmux.complete("thema show f", "fg2");
    assert!(screen.contains("fg1") && screen.contains("fg2") && !screen.contains("int1"), "{screen}");
    let screen = tmux.complete("thema code being-honest --turn fg1:T", "fg1:T9");
    assert!(screen.contains("fg1:T1") && screen.contains("fg1:T2"), "{screen}");
    // `--where` values with a space come quoted, ready to run.
    let screen = tmux.complete("thema segments being-honest --where role=P", "--attribution");
    assert!(screen.contains("--where role='Peer Mentor'\n"), "{screen}");
    // Subcommands and flags, as for any program.
    let screen = tmux.complete("thema unc", "$ thema uncode");
    assert!(screen.contains("$ thema uncode"), "{screen}");
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
