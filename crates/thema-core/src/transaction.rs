//! Transactions: the writes of one command held back and written together at its end, or not
//! at all ([`crate::Study::begin`], [`Transaction::commit`]), through [`crate::fsio::Batch`].

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::StudyError;
use crate::formats::io;
use crate::fsio::{Batch, FolderFiles};
use crate::layout as files;

/// Writes of an open transaction, by path. Reads of the study see them.
#[derive(Default)]
pub(crate) struct Pending {
    pub(crate) files: BTreeMap<PathBuf, Vec<u8>>,
    pub(crate) dirs: BTreeMap<PathBuf, FolderFiles>,
    /// Lines for the decision log.
    pub(crate) decisions: String,
    /// The history entry being made, when the command is recorded for undo.
    pub(crate) recording: Option<crate::history::Recording>,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").field("files", &self.files.len()).field("dirs", &self.dirs.len()).finish()
    }
}

impl Pending {
    pub(crate) fn put_file(&mut self, path: &Path, bytes: Vec<u8>) {
        // A file of a folder being replaced goes into that folder's new contents.
        if let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) {
            if let Some(files) = self.dirs.get_mut(dir) {
                match files.iter_mut().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = bytes,
                    None => files.push((name.to_owned(), bytes)),
                }
                return;
            }
        }
        self.files.insert(path.to_owned(), bytes);
    }

    pub(crate) fn put_dir(&mut self, dir: &Path, files: FolderFiles) {
        self.files.retain(|path, _| path.parent() != Some(dir));
        self.dirs.insert(dir.to_owned(), files);
    }

    pub(crate) fn get(&self, path: &Path) -> Option<&[u8]> {
        if let Some(bytes) = self.files.get(path) {
            return Some(bytes);
        }
        let (dir, name) = (path.parent()?, path.file_name()?.to_str()?);
        self.dirs.get(dir)?.iter().find(|(n, _)| n == name).map(|(_, b)| b.as_slice())
    }
}

/// Changes to a study that land on disk together, or not at all: see [`Study::begin`].
#[derive(Debug)]
#[must_use = "a transaction writes nothing until it is committed"]
pub struct Transaction {
    pub(crate) root: PathBuf,
    pub(crate) pending: Arc<Mutex<Option<Pending>>>,
}

impl Transaction {
    /// Write everything the study was asked to save since [`Study::begin`], as one batch.
    pub fn commit(self) -> Result<(), StudyError> {
        let pending = lock(&self.pending).take();
        if let Some(recording) = pending.map(|p| commit_pending(&self.root, p)).transpose()?.flatten() {
            recording.finish(&self.root);
        }
        Ok(())
    }

    /// Record this transaction's changes in the study's history when it commits, so that
    /// `thema undo` can revert them (see [`crate::history`]). `command` is the command line.
    pub fn record(&self, command: String) {
        if let Some(pending) = lock(&self.pending).as_mut() {
            pending.recording = Some(crate::history::Recording::new(command, crate::coding::now()));
        }
    }
}

impl Drop for Transaction {
    /// Dropped without a commit (a command failed): the held-back writes are discarded.
    fn drop(&mut self) {
        lock(&self.pending).take();
    }
}

pub(crate) fn lock(pending: &Mutex<Option<Pending>>) -> MutexGuard<'_, Option<Pending>> {
    pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Write a transaction's held-back files; returns its history recording, which has noted what
/// they replaced.
pub(crate) fn commit_pending(
    root: &Path,
    mut pending: Pending,
) -> Result<Option<crate::history::Recording>, StudyError> {
    let mut batch = Batch::new();
    let mut files = pending.files;
    if !pending.decisions.is_empty() {
        let path = root.join(files::DECISIONS);
        let mut log = match files.remove(&path) {
            Some(bytes) => bytes,
            None if path.exists() => fs::read(&path).map_err(io(&path))?,
            None => Vec::new(),
        };
        if !log.is_empty() && !log.ends_with(b"\n") {
            log.push(b'\n');
        }
        log.extend_from_slice(pending.decisions.as_bytes());
        files.insert(path, log);
    }
    let mut recording = pending.recording.take();
    if let Some(recording) = recording.as_mut() {
        let changed: Vec<(&Path, &[u8])> = files.iter().map(|(p, b)| (p.as_path(), b.as_slice())).collect();
        let folders: Vec<(&Path, &FolderFiles)> = pending.dirs.iter().map(|(d, f)| (d.as_path(), f)).collect();
        recording.capture(root, &changed, &folders);
    }
    for (path, bytes) in files {
        batch.file(path, bytes);
    }
    for (dir, contents) in pending.dirs {
        batch.dir(dir, contents);
    }
    batch.commit(root)?;
    Ok(recording)
}
