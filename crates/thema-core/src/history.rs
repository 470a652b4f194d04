//! The history of write commands, for `thema undo`, `thema redo` and `thema history`.
//!
//! A command that changes the study records, when its transaction commits, what each file and
//! document folder held before and holds after ([`Recording`]). The records live in
//! `.thema/history/` (derived data, git-ignored): one folder a command, numbered, with
//! `entry.json` (command line, time, the changes) and the bytes of each before and after state.
//! Undone commands move to `.thema/history/redo/` until they are redone or a new write clears
//! them. The last [`KEEP`] commands are kept; a command that changed more than [`MAX_BYTES`] is
//! listed but cannot be undone.
//!
//! Undo and redo write their batch like any command ([`crate::fsio::Batch`]: all or nothing) and
//! first compare every file the command changed with what it left (byte for byte, which is
//! stronger than a hash): a file changed since by something else (an editor, a `git checkout`)
//! makes them refuse, naming it, and nothing is written.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::StudyError;
use crate::fsio::{is_temporary_name, write_atomic, Batch, FolderFiles};
use crate::layout::DERIVED;

/// Where the history is kept, relative to the study folder.
pub const HISTORY: &str = ".thema/history";

/// How many commands are kept for undo.
pub const KEEP: usize = 50;

/// A command whose files (before and after) hold more bytes than this is listed but not kept
/// for undo, so the history never holds a second copy of a large import.
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

const ENTRY: &str = "entry.json";
const REDO: &str = "redo";

/// One write command as the history holds it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// Its number, counting from 1 in this study's history.
    pub number: u64,
    /// The command line, as typed.
    pub command: String,
    /// When it was committed (RFC 3339, UTC).
    pub time: String,
    /// What it changed, by path.
    pub changes: Vec<Change>,
    /// Too large to keep for undo (see [`MAX_BYTES`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub too_large: bool,
}

/// A file or a document folder a command changed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Change {
    /// Path relative to the study folder, with `/`.
    pub path: String,
    /// A folder replaced whole (a document), rather than a file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub folder: bool,
    /// What was there before; `None` when it did not exist.
    pub before: Option<Vec<Part>>,
    /// What the command left; `None` when it removed it.
    pub after: Option<Vec<Part>>,
}

/// One file of a state: its name inside the folder (empty for a file), and the name of the
/// copy of its bytes in the entry's folder.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Part {
    /// Name inside the folder; empty for a plain file.
    pub name: String,
    /// The copy's file name in the entry folder.
    pub blob: String,
    /// Its length in bytes.
    pub len: u64,
}

impl Change {
    /// `added`, `removed` or `changed`.
    pub fn verb(&self) -> &'static str {
        match (&self.before, &self.after) {
            (None, Some(_)) => "added",
            (Some(_), None) => "removed",
            _ => "changed",
        }
    }
}

/// Why `undo` or `redo` did nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// No command left to undo.
    #[error("nothing to undo: no write command is recorded in `.thema/history/`")]
    NothingToUndo,
    /// No undone command to redo.
    #[error("nothing to redo")]
    NothingToRedo,
    /// The command's files were changed since by something else.
    #[error("`{command}` cannot be {action}: {} changed since by something other than thema: {}",
        if files.len() == 1 { "this file was" } else { "these files were" },
        files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "))]
    ChangedSince {
        /// `undone` or `redone`.
        action: &'static str,
        /// The command line.
        command: String,
        /// The files, relative to the study folder.
        files: Vec<String>,
    },
    /// The command changed too much to be kept.
    #[error("`{command}` changed more than {} MB, so its files were not kept for undo", MAX_BYTES / 1024 / 1024)]
    TooLarge {
        /// The command line.
        command: String,
    },
    /// Reading or writing the study failed.
    #[error(transparent)]
    Study(#[from] StudyError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StudyError + '_ {
    move |source| StudyError::Io { path: path.to_owned(), source }
}

/// The history being made by a transaction: filled at each commit of the transaction's batches
/// (a long import commits several), saved as one entry when the transaction ends.
#[derive(Debug)]
pub struct Recording {
    command: String,
    time: String,
    /// Where the copies are written until the entry is saved.
    folder: Option<PathBuf>,
    changes: Vec<Change>,
    blobs: usize,
    bytes: u64,
    too_large: bool,
    /// A copy could not be written: the entry is dropped (undo then refuses the command before,
    /// whose files this one changed).
    failed: bool,
}

impl Recording {
    /// Start recording a command.
    pub fn new(command: String, time: String) -> Recording {
        Recording {
            command,
            time,
            folder: None,
            changes: Vec::new(),
            blobs: 0,
            bytes: 0,
            too_large: false,
            failed: false,
        }
    }

    /// Note what the files and folders about to be written hold now, and what they will hold.
    /// Derived data (`.thema/`) is not recorded.
    pub(crate) fn capture(&mut self, root: &Path, files: &[(&Path, &[u8])], dirs: &[(&Path, &FolderFiles)]) {
        if self.failed {
            return;
        }
        if self.try_capture(root, files, dirs).is_err() {
            self.failed = true;
        }
    }

    fn try_capture(
        &mut self,
        root: &Path,
        files: &[(&Path, &[u8])],
        dirs: &[(&Path, &FolderFiles)],
    ) -> Result<(), StudyError> {
        let relative = |p: &Path| -> Option<String> {
            let r = p.strip_prefix(root).ok()?;
            let s = r.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            (!s.starts_with(DERIVED)).then_some(s)
        };
        for (path, bytes) in files {
            let Some(rel) = relative(path) else { continue };
            let after = vec![(String::new(), bytes.to_vec())];
            self.note(root, rel, false, Some(after))?;
        }
        for (dir, contents) in dirs {
            let Some(rel) = relative(dir) else { continue };
            let mut after: Vec<(String, Vec<u8>)> = contents.iter().map(|(n, b)| (n.clone(), b.clone())).collect();
            after.sort();
            self.note(root, rel, true, Some(after))?;
        }
        Ok(())
    }

    fn note(
        &mut self,
        root: &Path,
        rel: String,
        folder: bool,
        after: Option<Vec<(String, Vec<u8>)>>,
    ) -> Result<(), StudyError> {
        let position = self.changes.iter().position(|c| c.path == rel);
        let before = match position {
            Some(_) => None,
            None => read_state(&root.join(&rel), folder)?,
        };
        if position.is_none() && before.is_some() && before == after {
            return Ok(()); // written with the bytes it had: not a change
        }
        let before = match before {
            Some(state) => Some(self.keep(root, state)?),
            None => None,
        };
        let after = match after {
            Some(state) => Some(self.keep(root, state)?),
            None => None,
        };
        match position {
            // Written again by a later batch of the same command: the first before stays.
            Some(i) => self.changes[i].after = after,
            None => self.changes.push(Change { path: rel, folder, before, after }),
        }
        Ok(())
    }

    /// Copy a state's bytes into the entry's folder.
    fn keep(&mut self, root: &Path, state: Vec<(String, Vec<u8>)>) -> Result<Vec<Part>, StudyError> {
        let mut parts = Vec::with_capacity(state.len());
        for (name, bytes) in state {
            self.bytes += bytes.len() as u64;
            self.too_large |= self.bytes > MAX_BYTES;
            let blob = format!("{}", self.blobs);
            self.blobs += 1;
            if !self.too_large {
                let folder = match &self.folder {
                    Some(f) => f.clone(),
                    None => {
                        let history = root.join(HISTORY);
                        fs::create_dir_all(&history).map_err(io(&history))?;
                        clean(&history);
                        let f = crate::fsio::temp_sibling(&history.join("entry"), "tmp");
                        fs::create_dir(&f).map_err(io(&f))?;
                        self.folder = Some(f.clone());
                        f
                    }
                };
                let path = folder.join(&blob);
                fs::write(&path, &bytes).map_err(io(&path))?;
            }
            parts.push(Part { name, blob, len: bytes.len() as u64 });
        }
        Ok(parts)
    }

    /// Save the entry, after the transaction's last batch is written: it becomes the command to
    /// undo, the oldest beyond [`KEEP`] are removed, and nothing is left to redo. Best effort:
    /// the command's changes are already written, so a failure here only loses the entry.
    pub(crate) fn finish(self, root: &Path) {
        let Some(folder) = self.folder.clone() else { return };
        if self.failed || self.changes.is_empty() {
            let _ = fs::remove_dir_all(&folder);
            return;
        }
        let _ = self.save(root, &folder);
        let _ = fs::remove_dir_all(&folder);
    }

    fn save(self, root: &Path, folder: &Path) -> Result<(), StudyError> {
        let history = root.join(HISTORY);
        let number = entries(&history)?
            .last()
            .copied()
            .unwrap_or(0)
            .max(entries(&history.join(REDO))?.last().copied().unwrap_or(0))
            + 1;
        let too_large = self.too_large;
        let entry = Entry { number, command: self.command, time: self.time, changes: self.changes, too_large };
        if too_large {
            for name in fs::read_dir(folder).map_err(io(folder))?.flatten() {
                let _ = fs::remove_file(name.path());
            }
        }
        let json = serde_json::to_vec_pretty(&entry).unwrap_or_default();
        write_atomic(&folder.join(ENTRY), &json)?;
        let target = history.join(number_name(number));
        fs::rename(folder, &target).map_err(io(&target))?;
        let redo = history.join(REDO);
        if redo.exists() {
            fs::remove_dir_all(&redo).map_err(io(&redo))?;
        }
        let kept = entries(&history)?;
        for old in &kept[..kept.len().saturating_sub(KEEP)] {
            let path = history.join(number_name(*old));
            fs::remove_dir_all(&path).map_err(io(&path))?;
        }
        Ok(())
    }
}

fn number_name(number: u64) -> String {
    format!("{number:06}")
}

/// Remove what an interrupted recording left in the history folder (its temporary folder).
fn clean(history: &Path) {
    let Ok(read) = fs::read_dir(history) else { return };
    for item in read.flatten() {
        if is_temporary_name(&item.file_name().to_string_lossy()) {
            let _ = fs::remove_dir_all(item.path());
        }
    }
}

/// The numbers of the entries in a history folder, ascending.
fn entries(dir: &Path) -> Result<Vec<u64>, StudyError> {
    let mut numbers = Vec::new();
    let Ok(read) = fs::read_dir(dir) else { return Ok(numbers) };
    for item in read.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if let Ok(n) = name.parse::<u64>() {
            if item.path().join(ENTRY).is_file() {
                numbers.push(n);
            }
        }
    }
    numbers.sort_unstable();
    Ok(numbers)
}

/// What a file or folder holds now; `None` when it does not exist. A folder's files are sorted
/// by name.
fn read_state(path: &Path, folder: bool) -> Result<Option<crate::fsio::FolderFiles>, StudyError> {
    if !folder {
        return match fs::read(path) {
            Ok(bytes) => Ok(Some(vec![(String::new(), bytes)])),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StudyError::Io { path: path.to_owned(), source: e }),
        };
    }
    let read = match fs::read_dir(path) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StudyError::Io { path: path.to_owned(), source: e }),
    };
    let mut files = Vec::new();
    for item in read {
        let item = item.map_err(io(path))?;
        let file = item.path();
        files.push((item.file_name().to_string_lossy().into_owned(), fs::read(&file).map_err(io(&file))?));
    }
    files.sort();
    Ok(Some(files))
}

/// Read an entry's folder.
fn read_entry(folder: &Path) -> Result<Entry, StudyError> {
    let path = folder.join(ENTRY);
    let bytes = fs::read(&path).map_err(io(&path))?;
    serde_json::from_slice(&bytes).map_err(|e| StudyError::Parse {
        path: path.clone(),
        line: e.line(),
        message: format!("a history entry does not parse: {e}"),
    })
}

/// The recorded commands, newest first: those that can be undone, then (`undone = true`) those
/// that can be redone, the next to redo first.
pub fn list(root: &Path) -> Result<(Vec<Entry>, Vec<Entry>), StudyError> {
    let history = root.join(HISTORY);
    let read = |dir: &Path, newest_first: bool| -> Result<Vec<Entry>, StudyError> {
        let mut numbers = entries(dir)?;
        if newest_first {
            numbers.reverse();
        }
        numbers.iter().map(|n| read_entry(&dir.join(number_name(*n)))).collect()
    };
    Ok((read(&history, true)?, read(&history.join(REDO), false)?))
}

/// Remove the whole history (nothing left to undo or redo). Returns how many entries it held.
pub fn clear(root: &Path) -> Result<usize, StudyError> {
    let (done, undone) = list(root)?;
    let history = root.join(HISTORY);
    if history.exists() {
        fs::remove_dir_all(&history).map_err(io(&history))?;
    }
    Ok(done.len() + undone.len())
}

/// Revert the last recorded command: every file and folder it changed gets back the bytes it
/// had before, in one batch. Refuses, changing nothing, when any of them was changed since.
/// Hold the study's exclusive lock.
pub fn undo(root: &Path) -> Result<Entry, HistoryError> {
    let history = root.join(HISTORY);
    let number = entries(&history)?.last().copied().ok_or(HistoryError::NothingToUndo)?;
    step(root, &history.join(number_name(number)), &history.join(REDO), Direction::Undo)
}

/// Apply again the command undone last, in one batch. Refuses, changing nothing, when any file
/// it changes was changed since the undo. Hold the study's exclusive lock.
pub fn redo(root: &Path) -> Result<Entry, HistoryError> {
    let history = root.join(HISTORY);
    let redo = history.join(REDO);
    let number = entries(&redo)?.first().copied().ok_or(HistoryError::NothingToRedo)?;
    step(root, &redo.join(number_name(number)), &history, Direction::Redo)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Undo,
    Redo,
}

fn step(root: &Path, folder: &Path, to: &Path, direction: Direction) -> Result<Entry, HistoryError> {
    let entry = read_entry(folder)?;
    if entry.too_large {
        return Err(HistoryError::TooLarge { command: entry.command });
    }
    // Undo goes from `after` to `before`; redo the other way.
    let load = |parts: &Option<Vec<Part>>| -> Result<Option<crate::fsio::FolderFiles>, StudyError> {
        let Some(parts) = parts else { return Ok(None) };
        let mut state = Vec::with_capacity(parts.len());
        for part in parts {
            let path = folder.join(&part.blob);
            state.push((part.name.clone(), fs::read(&path).map_err(io(&path))?));
        }
        Ok(Some(state))
    };
    let states = |c: &Change| match direction {
        Direction::Undo => (load(&c.after), load(&c.before)),
        Direction::Redo => (load(&c.before), load(&c.after)),
    };
    let mut changed = Vec::new();
    let mut batch = Batch::new();
    for change in &entry.changes {
        let path = root.join(&change.path);
        let now = read_state(&path, change.folder)?;
        let (expected, wanted) = states(change);
        let (expected, wanted) = (expected?, wanted?);
        if now != expected {
            // Already as wanted: a crash came between the batch and the move of the entry.
            if now != wanted {
                changed.push(change.path.clone());
            }
            continue;
        }
        match (wanted, change.folder) {
            (None, _) => batch.remove(path),
            (Some(mut state), false) => batch.file(path, state.pop().map(|(_, b)| b).unwrap_or_default()),
            (Some(state), true) => batch.dir(path, state),
        }
    }
    if !changed.is_empty() {
        let action = if direction == Direction::Undo { "undone" } else { "redone" };
        return Err(HistoryError::ChangedSince { action, command: entry.command, files: changed });
    }
    if !batch.is_empty() {
        let parents: Vec<PathBuf> =
            entry.changes.iter().filter_map(|c| root.join(&c.path).parent().map(Path::to_owned)).collect();
        for parent in parents {
            fs::create_dir_all(&parent).map_err(io(&parent))?;
        }
        batch.commit(root)?;
    }
    fs::create_dir_all(to).map_err(io(to))?;
    let moved = to.join(number_name(entry.number));
    fs::rename(folder, &moved).map_err(io(&moved))?;
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Study;

    fn write(study: &Study, command: &str, relative: &str, bytes: &str) {
        let transaction = study.begin();
        transaction.record(command.to_owned());
        study.write_file(relative, bytes.as_bytes()).unwrap();
        transaction.commit().unwrap();
    }

    #[test]
    fn keeps_the_last_commands_and_undoes_them_in_turn() {
        let dir = tempfile::tempdir().unwrap();
        let study = Study::init(dir.path(), "t").unwrap();
        let memo = dir.path().join("memos/a.md");
        for i in 1..=KEEP + 2 {
            write(&study, &format!("thema memo {i}"), "memos/a.md", &format!("version {i}"));
        }
        let (done, undone) = list(dir.path()).unwrap();
        assert_eq!(done.len(), KEEP);
        assert!(undone.is_empty());
        assert_eq!(done[0].number, 52);
        assert_eq!(done[KEEP - 1].number, 3, "the two oldest are gone");
        assert_eq!(done[0].changes[0].path, "memos/a.md");
        assert_eq!(done[KEEP - 1].changes[0].verb(), "changed");
        // Undo twice, redo once.
        assert_eq!(undo(dir.path()).unwrap().number, 52);
        assert_eq!(undo(dir.path()).unwrap().number, 51);
        assert_eq!(fs::read_to_string(&memo).unwrap(), "version 50");
        assert_eq!(redo(dir.path()).unwrap().number, 51);
        assert_eq!(fs::read_to_string(&memo).unwrap(), "version 51");
        // Changed by hand: refused, nothing written, the entry stays to undo.
        fs::write(&memo, "edited").unwrap();
        match undo(dir.path()) {
            Err(HistoryError::ChangedSince { files, .. }) => assert_eq!(files, ["memos/a.md"]),
            other => panic!("{other:?}"),
        }
        assert_eq!(fs::read_to_string(&memo).unwrap(), "edited");
        // A new write clears redo.
        write(&study, "thema memo again", "memos/b.md", "b");
        assert!(matches!(redo(dir.path()), Err(HistoryError::NothingToRedo)));
        let (done, _) = list(dir.path()).unwrap();
        assert_eq!(done[0].number, 53);
        assert_eq!(done[0].changes[0].verb(), "added");
        // Undoing the addition removes the file.
        undo(dir.path()).unwrap();
        assert!(!dir.path().join("memos/b.md").exists());
        // Nothing is left behind in the history folder but the entries.
        let names: Vec<String> = fs::read_dir(dir.path().join(HISTORY))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }

    #[test]
    fn derived_data_unchanged_files_and_unrecorded_transactions_make_no_entry() {
        let dir = tempfile::tempdir().unwrap();
        let study = Study::init(dir.path(), "t").unwrap();
        let transaction = study.begin();
        study.write_file("memos/a.md", b"a").unwrap();
        transaction.commit().unwrap();
        fs::create_dir_all(dir.path().join(".thema")).unwrap();
        write(&study, "thema derived", ".thema/cache.bin", "x");
        write(&study, "thema link (no change)", "memos/a.md", "a");
        assert!(list(dir.path()).unwrap().0.is_empty());
        assert!(matches!(undo(dir.path()), Err(HistoryError::NothingToUndo)));
    }
}
