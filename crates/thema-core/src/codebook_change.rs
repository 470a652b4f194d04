//! Changes a researcher makes to the codebook (`thema codebook add`, `rename`, `describe`,
//! `move`, `merge`, `delete`, `thema relate`, and the workbench's "new code"): each resolved against the
//! codebook, checked, applied with what it entails for the codings (a merge moves them, a delete
//! drops them, for every coder), saved, and written to the decision log.
//!
//! [`change`] writes through the study, so a caller that begins a transaction first
//! ([`Study::begin`](crate::Study)) makes the change one step that `thema undo` reverts.

use std::collections::BTreeMap;

use crate::codebook::{is_valid_colour, CodebookError, EntryKind};
use crate::study::Decision;
use crate::{Codebook, CodebookEntry, Coding, Study, StudyError};

/// What to say about an entry: each field given replaces the entry's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Description {
    /// What the entry means.
    pub definition: Option<String>,
    /// When to apply it.
    pub when_to_use: Option<String>,
    /// When not to apply it.
    pub when_not_to_use: Option<String>,
    /// An example segment.
    pub example: Option<String>,
    /// Colour, `#rrggbb`.
    pub colour: Option<String>,
    /// Role of a theme (`central`, `foundation`, `outcome` or the team's own word); empty to
    /// clear it.
    pub role: Option<String>,
}

/// A change to the codebook. Entries are named by id or name, as a researcher types them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new entry.
    Add {
        /// Its name.
        name: String,
        /// Code, category, sub-theme or theme.
        kind: EntryKind,
        /// The entry it goes under.
        parent: Option<String>,
        /// Its id (default: made from the name).
        id: Option<String>,
        /// Whether the name is the participant's own words.
        in_vivo: bool,
        /// Definition, rules, example, colour, role.
        description: Description,
    },
    /// A new name; the id stays.
    Rename {
        /// The entry.
        entry: String,
        /// The new name.
        name: String,
    },
    /// New definition, rules, example, colour or role, or another kind (a code that has become
    /// a sub-theme, say).
    Describe {
        /// The entry.
        entry: String,
        /// What changes.
        description: Description,
        /// The new kind, if it changes.
        kind: Option<EntryKind>,
    },
    /// Before or after another entry, under that entry's parent.
    Place {
        /// The entry.
        entry: String,
        /// The entry it goes next to.
        anchor: String,
        /// After the anchor rather than before it.
        after: bool,
    },
    /// Under another entry, or to the top level.
    MoveTo {
        /// The entry.
        entry: String,
        /// The new parent, or `None` for the top level.
        parent: Option<String>,
    },
    /// One entry into another: its codings and children move to the other.
    Merge {
        /// The entry that goes.
        entry: String,
        /// The entry that stays.
        into: String,
    },
    /// A relation from one entry to another (`foundation-of`, `leads-to`, ...), with a note.
    Relate {
        /// Where the relation starts.
        from: String,
        /// Where it ends.
        to: String,
        /// Its label.
        label: String,
        /// A note on it.
        note: String,
    },
    /// An entry removed: its children move up, its codings are deleted. Without `force`, an entry
    /// with children or codings is refused, with what would happen.
    Delete {
        /// The entry.
        entry: String,
        /// Delete even when children would move or codings be lost.
        force: bool,
    },
}

/// A change made: the decision log's action and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    /// `add`, `rename`, `describe`, `move`, `merge`, `relate` or `delete`.
    pub action: &'static str,
    /// The id of the entry changed (the new one, for `add`; the one that stays, for `merge`;
    /// where the relation starts, for `relate`).
    pub entry: String,
    /// What was done, in words (`sub-theme \`being honest\` (being-honest)`).
    pub what: String,
}

/// Why a change was not made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChangeError {
    /// An entry named that is not in the codebook (or a name several entries share).
    #[error(transparent)]
    Unknown(CodebookError),
    /// The codebook refused the change (a taken id, a cycle, ...).
    #[error(transparent)]
    Codebook(CodebookError),
    /// A colour that is not `#rrggbb`.
    #[error("`{0}` is not a colour like #1f77b4")]
    Colour(String),
    /// `describe` with nothing to describe.
    #[error("nothing to change")]
    NothingToDescribe,
    /// A delete that would move children or lose codings, not forced.
    #[error("deleting `{id}` changes more than the entry: {}", consequences.join("; "))]
    DeleteEntails {
        /// The entry.
        id: String,
        /// What would happen, each in words.
        consequences: Vec<String>,
    },
    /// The study could not be read or written.
    #[error(transparent)]
    Study(#[from] StudyError),
}

impl ChangeError {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            ChangeError::Unknown(_) => Some("`thema codebook` shows the entries".to_owned()),
            ChangeError::NothingToDescribe => Some(
                "pass `--definition`, `--when-to-use`, `--when-not-to-use`, `--example`, `--colour` or `--role`"
                    .to_owned(),
            ),
            ChangeError::DeleteEntails { id, .. } => Some(format!(
                "pass `--force` to delete it anyway (`thema undo` reverts it), or merge it into another entry with \
                 `thema codebook merge {id} --into OTHER`"
            )),
            _ => None,
        }
    }
}

impl crate::error::Hint for ChangeError {
    fn hint(&self) -> Option<String> {
        ChangeError::hint(self)
    }
}

fn resolve(codebook: &Codebook, name: &str) -> Result<String, ChangeError> {
    codebook.resolve(name).map(|e| e.id.clone()).map_err(ChangeError::Unknown)
}

/// Apply `description` to `entry`; the names of the fields changed.
fn describe(entry: &mut CodebookEntry, d: Description) -> Result<Vec<&'static str>, ChangeError> {
    let mut changed = Vec::new();
    let mut set = |field: &mut String, value: Option<String>, name: &'static str| {
        if let Some(v) = value {
            *field = v;
            changed.push(name);
        }
    };
    set(&mut entry.definition, d.definition, "definition");
    set(&mut entry.when_to_use, d.when_to_use, "when to use");
    set(&mut entry.when_not_to_use, d.when_not_to_use, "when not to use");
    set(&mut entry.example, d.example, "example");
    if let Some(colour) = d.colour {
        if !is_valid_colour(&colour) {
            return Err(ChangeError::Colour(colour));
        }
        entry.colour = Some(colour);
        changed.push("colour");
    }
    if let Some(role) = d.role {
        entry.role = (!role.is_empty()).then_some(role);
        changed.push("role");
    }
    Ok(changed)
}

fn codings_word(n: usize) -> String {
    crate::text::count(n, "coding", "codings")
}

/// Make `change` as `coder`, saying `why` in the decision log.
pub fn change(study: &Study, coder: &str, change: Change, why: Option<String>) -> Result<Changed, ChangeError> {
    let mut codebook = study.load_codebook()?;
    let (action, what, entry_id) = match change {
        Change::Add { name, kind, parent, id, in_vivo, description } => {
            let parent = parent.map(|p| resolve(&codebook, &p)).transpose()?;
            let id = id.unwrap_or_else(|| codebook.fresh_id(&name));
            let mut entry = CodebookEntry {
                id: id.clone(),
                name: name.trim().to_owned(),
                kind,
                parent,
                in_vivo,
                ..CodebookEntry::default()
            };
            describe(&mut entry, description)?;
            codebook.add(entry).map_err(ChangeError::Codebook)?;
            ("add", format!("{} `{}` ({id})", kind.name(), name.trim()), id)
        }
        Change::Rename { entry, name } => {
            let id = resolve(&codebook, &entry)?;
            let old = codebook.rename(&id, &name).map_err(ChangeError::Codebook)?;
            ("rename", format!("`{old}` to `{}` ({id})", name.trim()), id)
        }
        Change::Describe { entry, description, kind } => {
            let id = resolve(&codebook, &entry)?;
            let mut updated = codebook.get(&id).cloned().unwrap_or_default();
            let mut changed = describe(&mut updated, description)?;
            if let Some(kind) = kind.filter(|k| *k != updated.kind) {
                updated.kind = kind;
                changed.insert(0, "kind");
            }
            if changed.is_empty() {
                return Err(ChangeError::NothingToDescribe);
            }
            let name = updated.name.clone();
            codebook.entries.retain(|e| e.id != id);
            codebook.entries.push(updated);
            ("describe", format!("{} of `{name}` ({id})", changed.join(", ")), id)
        }
        Change::Place { entry, anchor, after } => {
            let id = resolve(&codebook, &entry)?;
            let anchor = resolve(&codebook, &anchor)?;
            let old = codebook.place(&id, &anchor, after).map_err(ChangeError::Codebook)?;
            let parent = codebook.get(&id).and_then(|e| e.parent.clone());
            let place = if old == parent {
                String::new()
            } else {
                format!(", now under {}", parent.map_or("the top level".to_owned(), |p| format!("`{p}`")))
            };
            let word = if after { "after" } else { "before" };
            ("move", format!("`{id}` {word} `{anchor}`{place}"), id)
        }
        Change::MoveTo { entry, parent } => {
            let id = resolve(&codebook, &entry)?;
            let parent = parent.map(|p| resolve(&codebook, &p)).transpose()?;
            codebook.move_to(&id, parent.as_deref()).map_err(ChangeError::Codebook)?;
            let place = parent.map_or("the top level".to_owned(), |p| format!("`{p}`"));
            ("move", format!("`{id}` under {place}"), id)
        }
        Change::Merge { entry, into } => {
            let from = resolve(&codebook, &entry)?;
            let into = resolve(&codebook, &into)?;
            codebook.merge(&from, &into).map_err(ChangeError::Codebook)?;
            let moved = rewrite_codings(study, |c| {
                if c.code == from {
                    c.code = into.clone();
                    Some(true)
                } else {
                    Some(false)
                }
            })?;
            ("merge", format!("`{from}` into `{into}` ({} moved)", codings_word(moved)), into)
        }
        Change::Relate { from, to, label, note } => {
            let from = resolve(&codebook, &from)?;
            let to = resolve(&codebook, &to)?;
            codebook.relate(&from, &to, &label, &note).map_err(ChangeError::Codebook)?;
            ("relate", format!("`{from}` {} `{to}`", label.trim()), from)
        }
        Change::Delete { entry, force } => {
            let id = resolve(&codebook, &entry)?;
            if !force {
                let consequences = delete_consequences(study, &codebook, &id)?;
                if !consequences.is_empty() {
                    return Err(ChangeError::DeleteEntails { id, consequences });
                }
            }
            let removed = codebook.delete(&id).map_err(ChangeError::Codebook)?;
            let dropped = rewrite_codings(study, |c| if c.code == id { None } else { Some(false) })?;
            (
                "delete",
                format!("{} `{}` ({id}; {} deleted)", removed.kind.name(), removed.name, codings_word(dropped)),
                id,
            )
        }
    };
    study.save_codebook(&codebook)?;
    study.log_decision(&Decision {
        time: crate::coding::now(),
        who: coder.to_owned(),
        action: action.to_owned(),
        what: what.clone(),
        why: why.unwrap_or_default(),
    })?;
    Ok(Changed { action, what, entry: entry_id })
}

/// What deleting `id` would do beyond removing the entry: children moving up, codings lost
/// (by coder).
fn delete_consequences(study: &Study, codebook: &Codebook, id: &str) -> Result<Vec<String>, ChangeError> {
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for c in study.load_codings()?.iter().filter(|c| c.code == id) {
        *used.entry(c.coder.clone()).or_default() += 1;
    }
    let children: Vec<String> =
        codebook.entries.iter().filter(|e| e.parent.as_deref() == Some(id)).map(|e| format!("`{}`", e.id)).collect();
    let mut consequences = Vec::new();
    if !children.is_empty() {
        let to = match codebook.get(id).and_then(|e| e.parent.clone()) {
            Some(parent) => format!("`{parent}`"),
            None => "the top level".to_owned(),
        };
        consequences.push(format!(
            "its {} would move up to {to}: {}",
            crate::text::count(children.len(), "child", "children"),
            children.join(", ")
        ));
    }
    if !used.is_empty() {
        let by: Vec<String> = used.iter().map(|(coder, n)| format!("{coder} {n}")).collect();
        consequences.push(format!("{} would be deleted ({})", codings_word(used.values().sum()), by.join(", ")));
    }
    Ok(consequences)
}

/// Rewrite every coder's codings: the closure returns `None` to drop a coding, `Some(true)` when
/// it changed it. Returns how many were changed or dropped.
fn rewrite_codings(study: &Study, mut f: impl FnMut(&mut Coding) -> Option<bool>) -> Result<usize, StudyError> {
    let mut touched = 0;
    for coder in study.coders()? {
        let codings = study.load_coder_codings(&coder)?;
        let before = codings.len();
        let mut kept = Vec::with_capacity(before);
        let mut changed = 0;
        for mut c in codings {
            match f(&mut c) {
                Some(true) => {
                    changed += 1;
                    kept.push(c);
                }
                Some(false) => kept.push(c),
                None => {}
            }
        }
        if changed > 0 || kept.len() != before {
            touched += changed + (before - kept.len());
            study.save_coder_codings(&coder, &kept)?;
        }
    }
    Ok(touched)
}
