//! Words as a shell reads them back: the history's command lines and completion's candidates
//! (used by `commands` and `completion`, which must not use each other both ways).

/// A character a shell word may hold without quotes.
pub(crate) fn shell_plain(c: char) -> bool {
    c.is_alphanumeric() || "-_./:=,@+%".contains(c)
}

/// `thema` and `args` as one line a POSIX shell reads back: plain words as they are, others in
/// single quotes, and those holding a line break or another control character in bash's `$'...'`
/// (a quote copied from `thema show` spans lines; the history prints one line a command).
pub(crate) fn shell_line(args: &[String]) -> String {
    let mut line = String::from("thema");
    for arg in args {
        let plain = !arg.is_empty() && arg.chars().all(shell_plain);
        line.push(' ');
        if plain {
            line.push_str(arg);
        } else if arg.chars().any(char::is_control) {
            line.push_str("$'");
            for c in arg.chars() {
                match c {
                    '\n' => line.push_str("\\n"),
                    '\t' => line.push_str("\\t"),
                    '\r' => line.push_str("\\r"),
                    '\\' => line.push_str("\\\\"),
                    '\'' => line.push_str("\\'"),
                    c if c.is_control() => line.push_str(&format!("\\u{:04x}", u32::from(c))),
                    c => line.push(c),
                }
            }
            line.push('\'');
        } else {
            line.push_str(&format!("'{}'", arg.replace('\'', "'\\''")));
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::shell_line;

    #[test]
    fn a_command_line_is_one_line_a_shell_reads_back() {
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(shell_line(&args(&["code", "Hope", "--turn", "fg:T2"])), "thema code Hope --turn fg:T2");
        assert_eq!(shell_line(&args(&["--quote", "it's fine"])), "thema --quote 'it'\\''s fine'");
        assert_eq!(
            shell_line(&args(&["--quote", "too much\n    needed, it's\tso"])),
            "thema --quote $'too much\\n    needed, it\\'s\\tso'"
        );
    }
}
