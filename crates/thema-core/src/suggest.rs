//! "Did you mean": the known names closest to one that is not known.
//!
//! Every message about an unknown code, document, coder, participant, attribute or sheet
//! markup offers the nearest known names through [`did_you_mean`], so that a typo costs one
//! look at the message rather than a search through `thema codebook` or `thema ls`.

/// The edit distance between `a` and `b` counted in characters: insertions, deletions,
/// substitutions and swaps of two neighbours each cost 1 (the "optimal string alignment"
/// variant of Damerau's distance; Damerau 1964 found these four make up most typing errors).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the dynamic programme: two back (for swaps), one back, and this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// How many edits a name of this many characters may be away and still be offered: one for
/// short names, a third of the length for longer ones (`hpoe` -> `hope`, but `age` is not
/// offered for `role`).
fn allowed(chars: usize) -> usize {
    (chars / 3).max(1)
}

/// The known names a researcher probably meant by `wanted`: those fewest edits away (or, when
/// none is close, those containing it, nearest in length first), at most three.
///
/// Compared without regard to case, with `-`, `_` and spaces taken as the same, so
/// `offering hope` finds `offering-hope`. A name within a few edits is offered, and so is a
/// name that contains `wanted` (or is contained in it) when that part is at least three
/// characters and no name is within a few edits: `door` finds `revolving door`.
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let fold = |s: &str| -> String {
        s.trim().chars().map(|c| if c == '_' || c == ' ' { '-' } else { c }).flat_map(char::to_lowercase).collect()
    };
    let wanted = fold(wanted);
    let length = wanted.chars().count();
    if length == 0 {
        return Vec::new();
    }
    let mut scored: Vec<(usize, &'a str)> = Vec::new();
    for name in known {
        let folded = fold(name);
        if folded.is_empty() {
            continue;
        }
        let distance = edit_distance(&wanted, &folded);
        let score = if distance <= allowed(length.max(folded.chars().count())) {
            distance
        } else if length >= 3 && (folded.contains(&wanted) || (folded.chars().count() >= 3 && wanted.contains(&folded)))
        {
            // Containment ranks after every close spelling.
            usize::MAX / 2 + folded.chars().count().abs_diff(length)
        } else {
            continue;
        };
        if !scored.iter().any(|&(_, n)| n == name) {
            scored.push((score, name));
        }
    }
    scored.sort();
    // The closest spellings are what was meant (`gruop-a` is one swap from `group-a`, two edits
    // from `group-b`); names that merely contain the word are offered only when none is close.
    if let Some(&(best, _)) = scored.first().filter(|&&(score, _)| score < usize::MAX / 2) {
        scored.retain(|&(score, _)| score == best);
    }
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

/// `; did you mean `a`?` (or `` `a` or `b` ``, `` `a`, `b` or `c` ``) to append to a message
/// about `wanted`, or an empty string when no known name is close.
pub fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<String> = closest(wanted, known).into_iter().map(|n| format!("`{n}`")).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        [init @ .., last] => format!("; did you mean {} or {last}?", init.join(", ")),
    }
}

/// A speaker label that is probably a typo of another label of the same document: it names few
/// turns, and a label one or two edits away names many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelTypo<'a> {
    /// The rare label (`Particpant`).
    pub label: &'a str,
    /// Its turns.
    pub turns: usize,
    /// The label it is probably a typo of (`Participant`).
    pub meant: &'a str,
    /// That label's turns.
    pub meant_turns: usize,
}

/// Most turns a label may have and still be taken for a slip of the typist.
const RARE_TURNS: usize = 2;
/// How many times more turns the label meant must have than the slip (and at least this many).
const COMMON_FACTOR: usize = 5;

/// The labels of one document (each with its number of turns) that look like typos of another:
/// at most two turns, against a label with at least five times as many (and five or more) that
/// is within the edits [`closest`] allows, ignoring case. Labels with different digits are
/// different speakers (`P1`, `P2`; `Speaker 1`, `Speaker 2`), never typos of each other; so are
/// labels shorter than three letters.
pub fn label_typos<'a>(labels: &[(&'a str, usize)]) -> Vec<LabelTypo<'a>> {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    // Only labels common enough to be meant are compared with the rare ones: a file of thousands
    // of speakers of a turn or two each has few or none, and comparing every pair was quadratic.
    let common: Vec<(&str, usize, String, String)> = labels
        .iter()
        .filter(|(_, many)| *many >= COMMON_FACTOR)
        .map(|&(other, many)| (other, many, other.to_lowercase(), digits(other)))
        .collect();
    let mut out = Vec::new();
    if common.is_empty() {
        return out;
    }
    for &(label, turns) in labels.iter().filter(|(l, t)| *t <= RARE_TURNS && l.chars().count() >= 3) {
        let wanted = label.to_lowercase();
        let label_digits = digits(label);
        let meant = common
            .iter()
            .filter(|(other, many, _, other_digits)| {
                *many >= COMMON_FACTOR.max(turns * COMMON_FACTOR) && *other != label && *other_digits == label_digits
            })
            .map(|(other, many, lower, _)| (edit_distance(&wanted, lower), *other, *many))
            .filter(|(d, other, _)| *d <= allowed(wanted.chars().count().max(other.chars().count())))
            .min_by(|a, b| (a.0, std::cmp::Reverse(a.2), a.1).cmp(&(b.0, std::cmp::Reverse(b.2), b.1)));
        if let Some((_, meant, meant_turns)) = meant {
            out.push(LabelTypo { label, turns, meant, meant_turns });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_each_kind_of_typo_once() {
        assert_eq!(edit_distance("hope", "hope"), 0);
        assert_eq!(edit_distance("hpoe", "hope"), 1, "a swap");
        assert_eq!(edit_distance("hop", "hope"), 1, "a deletion");
        assert_eq!(edit_distance("hoppe", "hope"), 1, "an insertion");
        assert_eq!(edit_distance("hape", "hope"), 1, "a substitution");
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("héllo", "hello"), 1, "characters, not bytes");
    }

    #[test]
    fn offers_close_names_best_first() {
        let known = ["hope", "home", "fear", "offering-hope", "revolving door", "age", "role"];
        assert_eq!(closest("hpoe", known), ["hope"], "`home` is two edits away");
        assert_eq!(closest("Offering Hope", known), ["offering-hope"]);
        assert_eq!(closest("door", known), ["revolving door"]);
        assert_eq!(closest("rol", known), ["role"]);
        assert_eq!(closest("gruop-a", ["group-a", "group-b"]), ["group-a"], "one edit beats two");
        assert_eq!(closest("group-c", ["group-a", "group-b"]), ["group-a", "group-b"]);
        assert!(closest("wave", known).is_empty());
        assert!(closest("", known).is_empty());
    }

    #[test]
    fn message_suffix_lists_the_names() {
        assert_eq!(did_you_mean("fea", ["fear", "feat", "fever"]), "; did you mean `fear` or `feat`?");
        assert_eq!(did_you_mean("fera", ["fear"]), "; did you mean `fear`?");
        assert_eq!(did_you_mean("xyz", ["fear"]), "");
        assert_eq!(did_you_mean("hoe", ["hope", "home", "hole", "hoe-2x"]), "; did you mean `hole`, `home` or `hope`?");
    }

    #[test]
    fn rare_labels_near_common_ones_are_typos() {
        let labels = [
            ("Participant", 60),
            ("Particpant", 1),
            ("Interviewer", 58),
            ("interviewer", 2),
            ("P1", 40),
            ("P2", 1),
            ("Speaker 1", 30),
            ("Speaker 2", 1),
            ("Nurse", 3),
            ("Nures", 1),
            ("Ann", 1),
        ];
        let found: Vec<(&str, &str)> = label_typos(&labels).into_iter().map(|t| (t.label, t.meant)).collect();
        // `P2` and `Speaker 2` differ in a digit; `Nures` is rare beside a rare `Nurse` (3 turns).
        assert_eq!(found, [("Particpant", "Participant"), ("interviewer", "Interviewer")]);
        let t = &label_typos(&labels)[0];
        assert_eq!((t.turns, t.meant_turns), (1, 60));
        // Five times as many turns: 2 beside 9 is not enough, 2 beside 10 is.
        assert!(label_typos(&[("Mother", 9), ("Mohter", 2)]).is_empty());
        assert_eq!(label_typos(&[("Mother", 10), ("Mohter", 2)]).len(), 1);
    }
}
