//! A tmux server of its own, for tests in a real terminal (completion in shells, the
//! workbench): one window running a command, keys sent, the screen read back.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Whether `program` runs (`-V` or `--version`).
pub(crate) fn have(program: &str) -> bool {
    Command::new(program).arg("-V").output().is_ok_and(|o| o.status.success())
        || Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// A tmux server with one window; killed when dropped.
pub(crate) struct Tmux {
    socket: String,
}

impl Tmux {
    /// Start `command` in a window of `width` x `height`, in `dir`; `name` keeps the server's
    /// socket apart from other tests'.
    pub(crate) fn start(name: &str, dir: &Path, width: u16, height: u16, command: &str) -> Tmux {
        let socket = format!("thema-test-{}-{name}", std::process::id());
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d", "-x", &width.to_string(), "-y"])
            .arg(height.to_string())
            .arg("-c")
            .arg(dir)
            .arg(command)
            .status()
            .unwrap();
        assert!(status.success());
        Tmux { socket }
    }

    /// `tmux send-keys` with these arguments (key names, or `-l` and literal text).
    pub(crate) fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux").args(["-L", &self.socket, "send-keys"]).args(keys).status().unwrap();
        assert!(status.success());
    }

    /// The screen as text; with `escapes`, with the escape sequences of colours and attributes.
    pub(crate) fn capture(&self, escapes: bool) -> String {
        let mut command = Command::new("tmux");
        command.args(["-L", &self.socket, "capture-pane", "-p"]);
        if escapes {
            command.arg("-e");
        }
        String::from_utf8_lossy(&command.output().unwrap().stdout).into_owned()
    }

    /// A tmux format of the window's pane (`#{mouse_sgr_flag}`: whether the program asked for
    /// mouse reports), as `display-message -p` prints it.
    pub(crate) fn format(&self, format: &str) -> String {
        let output = Command::new("tmux").args(["-L", &self.socket, "display-message", "-p", format]).output().unwrap();
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// The screen as text.
    pub(crate) fn screen(&self) -> String {
        self.capture(false)
    }

    /// Wait until the screen shows `text` (10 seconds at most); the screen either way.
    pub(crate) fn wait_for(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) || started.elapsed() > Duration::from_secs(10) {
                return screen;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}
