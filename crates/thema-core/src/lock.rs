//! One writer at a time: an advisory lock on `.thema/lock`.
//!
//! A command that changes a study holds the lock exclusively from before it reads the study until
//! its changes are on disk, so two processes cannot both read the old codings and each write back
//! their own, losing the other's. Commands that only read hold it shared: they wait while a
//! writer commits, and never see half of a change. The operating system releases the lock when
//! its process ends, however it ends, so a crash never leaves a study locked.
//!
//! Taking the lock is also when a crash is mended: the first process to hold it exclusively
//! finishes an interrupted batch ([`crate::fsio::recover`]) and removes temporaries.

use std::fs::{self, File};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::StudyError;
use crate::fsio;

/// The lock file, relative to the study folder.
pub const LOCK: &str = ".thema/lock";

/// How a process holds the lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reading: any number of readers, no writer.
    Shared,
    /// Writing: this process alone.
    Exclusive,
}

/// A held lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct StudyLock {
    file: File,
    access: Access,
}

impl StudyLock {
    /// Take the lock on the study at `root`, waiting up to `wait` for other processes.
    /// `waiting` is called once, with a description of the holder, if the lock is taken.
    /// `holder` says who takes it (a command line), for the messages of processes that wait.
    ///
    /// Before returning, an exclusive lock finishes an interrupted batch and removes temporaries;
    /// a shared lock does the same, briefly holding it exclusively, if it finds a journal.
    pub fn acquire(
        root: &Path,
        access: Access,
        wait: Duration,
        holder: &str,
        waiting: impl FnMut(&str),
    ) -> Result<StudyLock, StudyError> {
        StudyLock::take(root, access, wait, holder, waiting, true)
    }

    /// Take the lock as [`StudyLock::acquire`] does, but leave an interrupted change and
    /// temporaries as they are: for `thema check`, which reports them, and for dropping an
    /// interrupted change that cannot be finished ([`fsio::discard_interrupted`]).
    pub fn acquire_as_is(
        root: &Path,
        access: Access,
        wait: Duration,
        holder: &str,
        waiting: impl FnMut(&str),
    ) -> Result<StudyLock, StudyError> {
        StudyLock::take(root, access, wait, holder, waiting, false)
    }

    fn take(
        root: &Path,
        access: Access,
        wait: Duration,
        holder: &str,
        mut waiting: impl FnMut(&str),
        mending: bool,
    ) -> Result<StudyLock, StudyError> {
        let path = root.join(LOCK);
        let dir = path.parent().unwrap_or(root);
        fs::create_dir_all(dir).map_err(|source| StudyError::Io { path: dir.to_owned(), source })?;
        let started = Instant::now();
        let mut told = false;
        let mut wait_for = |mode: sys::Mode| -> Result<File, StudyError> {
            loop {
                let file = fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(&path)
                    .map_err(|source| StudyError::Io { path: path.clone(), source })?;
                if sys::try_lock(&file, mode).map_err(|source| StudyError::Io { path: path.clone(), source })? {
                    // The study may have been replaced whole (import-project --overwrite) while
                    // we waited: then this lock guards a deleted file; take the new one.
                    if sys::same_file(&file, &path) {
                        return Ok(file);
                    }
                    continue;
                }
                let who = describe_holder(&path);
                if started.elapsed() >= wait {
                    return Err(StudyError::Locked { path: root.to_owned(), holder: who, waited: started.elapsed() });
                }
                if !told {
                    waiting(&who);
                    told = true;
                }
                std::thread::sleep(Duration::from_millis(25));
            }
        };
        let file = match access {
            Access::Exclusive => {
                let file = wait_for(sys::Mode::Exclusive)?;
                write_holder(&file, holder);
                if mending {
                    mend(root)?;
                }
                file
            }
            Access::Shared => {
                let file = wait_for(sys::Mode::Shared)?;
                if mending && root.join(fsio::JOURNAL).exists() {
                    drop(file);
                    let file = wait_for(sys::Mode::Exclusive)?;
                    mend(root)?;
                    sys::downgrade(&file).map_err(|source| StudyError::Io { path: path.clone(), source })?;
                    file
                } else {
                    file
                }
            }
        };
        Ok(StudyLock { file, access })
    }

    /// How this lock is held.
    pub fn access(&self) -> Access {
        self.access
    }
}

impl Drop for StudyLock {
    fn drop(&mut self) {
        if self.access == Access::Exclusive {
            let _ = self.file.set_len(0);
        }
    }
}

/// Finish an interrupted batch and remove what crashed writers left behind.
fn mend(root: &Path) -> Result<(), StudyError> {
    fsio::recover(root)?;
    fsio::clean_temporaries(root)?;
    Ok(())
}

/// Record who holds the lock, for the messages of those who wait.
fn write_holder(file: &File, holder: &str) {
    use std::io::{Seek, Write};
    let mut file = file;
    let since = humantime::format_rfc3339_seconds(std::time::SystemTime::now());
    let _ = file.set_len(0);
    let _ = file.seek(std::io::SeekFrom::Start(0));
    let _ = writeln!(file, "pid {}, since {since}: {holder}", std::process::id());
}

/// Who holds the lock, as the holder wrote it (empty while only readers hold it).
fn describe_holder(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let text = text.trim();
    if text.is_empty() {
        "another thema process".to_owned()
    } else {
        format!("thema ({text})")
    }
}

#[cfg(unix)]
mod sys {
    use std::fs::File;
    use std::path::Path;

    use rustix::fs::FlockOperation;

    #[derive(Clone, Copy)]
    pub(super) enum Mode {
        Shared,
        Exclusive,
    }

    /// Take the lock without waiting; false when another process holds it.
    pub(super) fn try_lock(file: &File, mode: Mode) -> std::io::Result<bool> {
        let operation = match mode {
            Mode::Shared => FlockOperation::NonBlockingLockShared,
            Mode::Exclusive => FlockOperation::NonBlockingLockExclusive,
        };
        match rustix::fs::flock(file, operation) {
            Ok(()) => Ok(true),
            Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Turn an exclusive lock into a shared one.
    pub(super) fn downgrade(file: &File) -> std::io::Result<()> {
        rustix::fs::flock(file, FlockOperation::LockShared).map_err(Into::into)
    }

    /// Whether the open file is still the one at `path`.
    pub(super) fn same_file(file: &File, path: &Path) -> bool {
        match (rustix::fs::fstat(file), rustix::fs::stat(path)) {
            (Ok(a), Ok(b)) => a.st_dev == b.st_dev && a.st_ino == b.st_ino,
            _ => false,
        }
    }
}

#[cfg(not(unix))]
mod sys {
    //! No advisory locks here yet (std's `File::lock` needs Rust 1.89): writes stay atomic, but
    //! two writers at once may lose one's changes.
    use std::fs::File;
    use std::path::Path;

    #[derive(Clone, Copy)]
    pub(super) enum Mode {
        Shared,
        Exclusive,
    }

    pub(super) fn try_lock(_: &File, _: Mode) -> std::io::Result<bool> {
        Ok(true)
    }

    pub(super) fn downgrade(_: &File) -> std::io::Result<()> {
        Ok(())
    }

    pub(super) fn same_file(_: &File, _: &Path) -> bool {
        true
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn exclusive(root: &Path, wait: Duration) -> Result<StudyLock, StudyError> {
        StudyLock::acquire(root, Access::Exclusive, wait, "test", |_| {})
    }

    #[test]
    fn a_second_writer_waits_then_fails_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = StudyLock::acquire(dir.path(), Access::Exclusive, Duration::ZERO, "thema code x", |_| {}).unwrap();
        let mut told = String::new();
        let error = StudyLock::acquire(dir.path(), Access::Exclusive, Duration::from_millis(100), "b", |who| {
            told = who.to_owned()
        })
        .unwrap_err();
        assert!(told.contains("thema code x") && told.contains(&format!("pid {}", std::process::id())), "{told}");
        assert!(matches!(&error, StudyError::Locked { holder, .. } if holder == &told), "{error}");
        assert!(StudyLock::acquire(dir.path(), Access::Shared, Duration::ZERO, "r", |_| {}).is_err());
        drop(first);
        let reader = StudyLock::acquire(dir.path(), Access::Shared, Duration::ZERO, "r", |_| {}).unwrap();
        let _second_reader = StudyLock::acquire(dir.path(), Access::Shared, Duration::ZERO, "r", |_| {}).unwrap();
        assert!(exclusive(dir.path(), Duration::ZERO).is_err());
        drop(reader);
        drop(_second_reader);
        exclusive(dir.path(), Duration::ZERO).unwrap();
    }

    #[test]
    fn a_waiting_writer_gets_the_lock_when_it_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let first = exclusive(dir.path(), Duration::ZERO).unwrap();
        let root = dir.path().to_owned();
        let waiter = std::thread::spawn(move || exclusive(&root, Duration::from_secs(10)).map(|_| ()));
        std::thread::sleep(Duration::from_millis(100));
        drop(first);
        waiter.join().unwrap().unwrap();
    }

    #[test]
    fn a_journal_is_finished_by_the_next_lock() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("codings")).unwrap();
        fs::write(root.join("codings/a.jsonl"), "old a\n").unwrap();
        fs::write(root.join("codebook.toml"), "old\n").unwrap();
        // Stage as a commit would, write the journal, make one of two renames, then "crash".
        let staging = root.join(fsio::STAGING);
        fs::create_dir_all(&staging).unwrap();
        fs::write(staging.join("1-0-a.jsonl"), "new a\n").unwrap();
        fs::write(staging.join("1-1-codebook.toml"), "new\n").unwrap();
        fs::create_dir_all(staging.join("1-2-doc")).unwrap();
        fs::write(staging.join("1-2-doc/text.txt"), "text").unwrap();
        fs::write(
            root.join(fsio::JOURNAL),
            r#"{"renames":[[".thema/staging/1-0-a.jsonl","codings/a.jsonl"],[".thema/staging/1-1-codebook.toml","codebook.toml"],[".thema/staging/1-2-doc","documents/doc"]]}"#,
        )
        .unwrap();
        fs::create_dir_all(root.join("documents")).unwrap();
        fs::rename(staging.join("1-0-a.jsonl"), root.join("codings/a.jsonl")).unwrap();
        fs::write(root.join("codings/.b.jsonl.tmp-99-0"), "torn").unwrap();
        // A reader finishes it too.
        let lock = StudyLock::acquire(root, Access::Shared, Duration::ZERO, "r", |_| {}).unwrap();
        assert_eq!(lock.access(), Access::Shared);
        assert_eq!(fs::read_to_string(root.join("codings/a.jsonl")).unwrap(), "new a\n");
        assert_eq!(fs::read_to_string(root.join("codebook.toml")).unwrap(), "new\n");
        assert_eq!(fs::read_to_string(root.join("documents/doc/text.txt")).unwrap(), "text");
        assert!(!root.join(fsio::JOURNAL).exists());
        assert!(!root.join(fsio::STAGING).exists());
        assert!(!root.join("codings/.b.jsonl.tmp-99-0").exists());
    }

    #[test]
    fn a_journal_that_leaves_the_study_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join(fsio::STAGING)).unwrap();
        fs::write(root.join(fsio::STAGING).join("x"), "evil").unwrap();
        fs::write(root.join(fsio::JOURNAL), r#"{"renames":[[".thema/staging/x","../outside"]]}"#).unwrap();
        let error = exclusive(root, Duration::ZERO).unwrap_err();
        assert!(error.to_string().contains("leaves the study"), "{error}");
        assert!(!dir.path().parent().unwrap().join("outside").exists());
    }
}
