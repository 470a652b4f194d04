//! Atomic writes: a file is either its old bytes or its new bytes, never half of each; and a
//! [`Batch`] of files and folders lands whole, or not at all, even across a crash.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::StudyError;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A name for a temporary sibling of `path`, unique within this process and across processes.
pub(crate) fn temp_sibling(path: &Path, tag: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{tag}-{}-{n}", std::process::id()))
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StudyError + '_ {
    move |source| StudyError::Io { path: path.to_owned(), source }
}

/// Entries of a folder, sorted by name, skipping hidden and temporary ones; empty if absent.
pub(crate) fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, StudyError> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with('.') {
            paths.push(entry.path());
        }
    }
    paths.sort();
    Ok(paths)
}

/// Write `bytes` to `path` atomically: write a temporary file beside it, flush it to disk, then
/// rename it over `path` and flush the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StudyError> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes).map_err(io_err(&file.temp))?;
    file.commit()
}

/// A file written in pieces that replaces `path` atomically, for output too large to build in
/// memory first: the pieces go to a temporary sibling (named as [`write_atomic`] names its
/// temporaries, so [`is_temporary_name`] and [`clean_temporaries`] know it), which
/// [`AtomicFile::commit`] flushes and renames over `path`. Dropped without a commit, or when the
/// commit fails, the temporary is removed and `path` keeps its old bytes, or stays absent.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    file: Option<File>,
}

impl AtomicFile {
    /// Open a temporary file beside `path`.
    pub fn create(path: &Path) -> Result<AtomicFile, StudyError> {
        let temp = temp_sibling(path, "tmp");
        let file = File::create(&temp).map_err(io_err(&temp))?;
        Ok(AtomicFile { target: path.to_owned(), temp, file: Some(file) })
    }

    /// The temporary file's path, for error messages.
    pub fn temporary_path(&self) -> &Path {
        &self.temp
    }

    /// Flush the written bytes to disk, rename the temporary over the target and flush the
    /// directory.
    pub fn commit(mut self) -> Result<(), StudyError> {
        let Some(file) = self.file.take() else { return Ok(()) };
        file.sync_all().map_err(io_err(&self.temp))?;
        drop(file);
        fs::rename(&self.temp, &self.target).map_err(io_err(&self.target))?;
        // Renamed: nothing left for `drop` to remove.
        self.temp = PathBuf::new();
        sync_dir(self.target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")));
        Ok(())
    }

    fn file(&mut self) -> std::io::Result<&mut File> {
        self.file.as_mut().ok_or_else(|| std::io::Error::other("the file is already committed"))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.file()?.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file()?.flush()
    }
}

impl std::io::Seek for AtomicFile {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.file()?.seek(pos)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.temp.as_os_str().is_empty() {
            drop(self.file.take());
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Write a whole folder of files atomically: fill a temporary folder, then rename it into place.
/// Fails if `dir` exists, unless `replace` is set, in which case the old folder is swapped out
/// and removed after the new one is in place.
pub fn write_dir_atomic(dir: &Path, files: &[(&str, &[u8])], replace: bool) -> Result<(), StudyError> {
    write_dirs_atomic(&[(dir.to_owned(), files.to_vec())], replace)
}

/// A folder to write: its path, and the name and bytes of each file in it.
pub type Folder<'a> = (PathBuf, Vec<(&'a str, &'a [u8])>);

/// Write several folders at once, each appearing whole or not at all. All folders are staged
/// first, their data flushed to disk in one go (one `syncfs` on Linux instead of one `fsync` a
/// file, which dominates the cost of importing many small transcripts), then each is renamed
/// into place and the parent folders flushed.
pub fn write_dirs_atomic(dirs: &[Folder<'_>], replace: bool) -> Result<(), StudyError> {
    for (dir, _) in dirs {
        if dir.exists() && !replace {
            return Err(StudyError::Io {
                path: dir.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "already exists"),
            });
        }
    }
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let result = (|| {
        let mut written = Vec::new();
        for (dir, files) in dirs {
            let temp = temp_sibling(dir, "tmp");
            fs::create_dir_all(&temp).map_err(io_err(&temp))?;
            staged.push((temp.clone(), dir.as_path()));
            for (name, bytes) in files {
                written.push(create(temp.join(name), bytes)?);
            }
        }
        flush_files(written)?;
        let mut parents: Vec<&Path> = Vec::new();
        while let Some((temp, dir)) = staged.first().cloned() {
            if dir.exists() {
                replace_dir(&temp, dir, &temp_sibling(dir, "old"))?;
            } else {
                fs::rename(&temp, dir).map_err(io_err(dir))?;
            }
            staged.remove(0);
            let parent = dir.parent().unwrap_or(Path::new("."));
            if !parents.contains(&parent) {
                parents.push(parent);
            }
        }
        for parent in parents {
            sync_dir(parent);
        }
        Ok(())
    })();
    for (temp, _) in staged {
        let _ = fs::remove_dir_all(temp);
    }
    result
}

/// Put the folder `staged` in the place of the folder `target`, which exists. On Linux the two
/// trade places in one step (`renameat2` with `RENAME_EXCHANGE`), so `target` is never absent,
/// not even to a process killed half way; the old folder, now at `staged`, is removed after.
/// Elsewhere, or where the file system cannot exchange, the old folder is first renamed to
/// `trash`, and `target` is absent between the two renames.
fn replace_dir(staged: &Path, target: &Path, trash: &Path) -> Result<(), StudyError> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE).is_ok() {
            let _ = fs::remove_dir_all(staged);
            return Ok(());
        }
    }
    fs::rename(target, trash).map_err(io_err(target))?;
    fs::rename(staged, target).map_err(io_err(target))?;
    let _ = fs::remove_dir_all(trash);
    Ok(())
}

/// Create a file with these bytes, not yet flushed to disk.
fn create(path: PathBuf, bytes: &[u8]) -> Result<(PathBuf, File), StudyError> {
    let mut file = File::create(&path).map_err(io_err(&path))?;
    file.write_all(bytes).map_err(io_err(&path))?;
    Ok((path, file))
}

/// Make the data of freshly written files durable before they are renamed into place.
#[cfg(target_os = "linux")]
fn flush_files(files: Vec<(PathBuf, File)>) -> Result<(), StudyError> {
    match files.first() {
        // One syncfs flushes every file of the file system; cheaper than one fsync each.
        Some((path, file)) if files.len() > 1 => {
            rustix::fs::syncfs(file).map_err(|e| StudyError::Io { path: path.clone(), source: e.into() })
        }
        Some((path, file)) => file.sync_all().map_err(io_err(path)),
        None => Ok(()),
    }
}

/// Make the data of freshly written files durable before they are renamed into place.
#[cfg(not(target_os = "linux"))]
fn flush_files(files: Vec<(PathBuf, File)>) -> Result<(), StudyError> {
    for (path, file) in &files {
        file.sync_all().map_err(io_err(path))?;
    }
    Ok(())
}

/// Flush a directory's entries to disk, so a rename survives a power cut (best effort: not every
/// platform can open a directory).
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Open a file for reading, refusing anything but a regular file before reading it: a FIFO
/// would block the reader forever (holding the study's lock), and a device such as `/dev/zero`
/// never ends. Symbolic links are followed. The refusal is an error of kind `InvalidInput`
/// saying what the path is.
pub fn open_regular(path: &Path) -> std::io::Result<File> {
    open_regular_sized(path).map(|(file, _)| file)
}

/// [`open_regular`], with the file's length as the open file's metadata gave it.
fn open_regular_sized(path: &Path) -> std::io::Result<(File, u64)> {
    let refuse = |what: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{what}, not a regular file; thema reads only files"),
        )
    };
    let kind = fs::metadata(path)?.file_type();
    if !kind.is_file() {
        return Err(refuse(describe(kind)));
    }
    let file = File::open(path)?;
    // Checked again on the open file, in case the path was swapped in between.
    let metadata = file.metadata()?;
    let kind = metadata.file_type();
    if !kind.is_file() {
        return Err(refuse(describe(kind)));
    }
    Ok((file, metadata.len()))
}

/// Read a whole file, refusing anything but a regular file first (see [`open_regular`]).
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    open_regular(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// [`read_regular`] into `bytes`, emptied first: a caller reading thousands of files keeps one
/// buffer. The length the open file's metadata gave is room enough, so a file is two reads, the
/// second finding its end (`File::read_to_end` asks the file's size and position again first:
/// two more system calls a file, 16,000 in `thema check` of 2,000 documents).
pub fn read_regular_into(path: &Path, bytes: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Read;
    let (mut file, len) = open_regular_sized(path)?;
    bytes.clear();
    // One more byte than the file had, so that the read finding its end has room.
    bytes.resize(usize::try_from(len).unwrap_or(usize::MAX).saturating_add(1), 0);
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            // The file grew since: read on.
            bytes.resize(filled + filled / 2 + 8192, 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(())
}

/// What a path that is not a regular file is, for messages.
fn describe(kind: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// True for names thema uses for temporary files and folders, which loaders skip and `check`
/// reports as leftovers of an interrupted write.
pub fn is_temporary_name(name: &str) -> bool {
    name.starts_with('.') && (name.contains(".tmp-") || name.contains(".old-"))
}

/// Where a batch lists its renames while it makes them, relative to the study folder.
pub const JOURNAL: &str = ".thema/journal.json";

/// Where a batch stages its files and folders, relative to the study folder.
pub const STAGING: &str = ".thema/staging";

/// Files and folders written together: after a crash, a study holds all of them or none.
///
/// Every file and folder is first written into `.thema/staging/` and flushed to disk. Then the
/// journal (`.thema/journal.json`) lists each staged path and its target, and is itself written
/// atomically: that is the moment of commit. The renames follow (a rename within one file system
/// is atomic), and the journal is removed. A crash before the journal leaves only the staging
/// folder, which [`clean_temporaries`] removes; a crash after it is finished by [`recover`],
/// which makes the renames not made yet. Until then every file is either its old or its new
/// bytes, and once recovered, all are new.
#[derive(Default)]
pub struct Batch {
    files: Vec<(PathBuf, Vec<u8>)>,
    dirs: Vec<(PathBuf, FolderFiles)>,
    removals: Vec<PathBuf>,
}

/// The files of a folder: name and bytes of each.
pub type FolderFiles = Vec<(String, Vec<u8>)>;

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch").field("files", &self.files.len()).field("dirs", &self.dirs.len()).finish()
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Journal {
    /// Pairs of (staged, target), relative to the study folder.
    renames: Vec<(String, String)>,
    /// Files and folders to remove after the renames (`thema undo` of an import), relative to
    /// the study folder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    removals: Vec<String>,
    /// What each target holds before and after its rename, in the order of `renames`, so that
    /// recovery never overwrites a file changed since the commit (a hand edit, a `git pull`).
    /// Empty in journals written before thema recorded it: those are finished unchecked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    expect: Vec<Expected>,
}

/// A target's state on either side of its rename.
#[derive(serde::Serialize, serde::Deserialize)]
struct Expected {
    /// Before: `None` when the target did not exist.
    before: Option<Fingerprint>,
    /// After: the staged bytes.
    after: Fingerprint,
}

/// Size and FNV-1a hash of a file, or of a folder's files (names and bytes, in name order).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Fingerprint {
    size: u64,
    hash: String,
}

/// The 64-bit FNV-1a hash (Fowler, Noll and Vo), continued from `hash`: cheap and stable across
/// platforms and versions, enough to tell a changed file from an unchanged one (not a defence
/// against someone forging a file).
pub(crate) fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The FNV-1a offset basis, where every hash starts.
pub(crate) const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

impl Fingerprint {
    fn of_file(bytes: &[u8]) -> Fingerprint {
        Fingerprint { size: bytes.len() as u64, hash: format!("{:016x}", fnv1a(FNV_START, bytes)) }
    }

    fn of_folder<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Fingerprint {
        let mut files: Vec<(&str, &[u8])> = files.into_iter().collect();
        files.sort();
        let (mut size, mut hash) = (0, FNV_START);
        for (name, bytes) in files {
            size += bytes.len() as u64;
            hash = fnv1a(fnv1a(fnv1a(hash, name.as_bytes()), &[0]), bytes);
            hash = fnv1a(hash, &[0]);
        }
        Fingerprint { size, hash: format!("{hash:016x}") }
    }

    /// What is at `path` now: `None` when nothing is there.
    fn on_disk(path: &Path) -> Result<Option<Fingerprint>, StudyError> {
        let meta = match fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StudyError::Io { path: path.to_owned(), source: e }),
        };
        if !meta.is_dir() {
            return Ok(Some(Fingerprint::of_file(&fs::read(path).map_err(io_err(path))?)));
        }
        let mut files = Vec::new();
        for entry in fs::read_dir(path).map_err(io_err(path))? {
            let entry = entry.map_err(io_err(path))?;
            if entry.file_type().is_ok_and(|t| t.is_file()) {
                let bytes = fs::read(entry.path()).map_err(io_err(&entry.path()))?;
                files.push((entry.file_name().to_string_lossy().into_owned(), bytes));
            }
        }
        Ok(Some(Fingerprint::of_folder(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())))))
    }
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Nothing to write.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.dirs.is_empty() && self.removals.is_empty()
    }

    /// Replace the file at `path`, inside the study (its folder must exist when the batch is
    /// committed).
    pub fn file(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.files.push((path, bytes));
    }

    /// Replace the folder `dir`, inside the study, with one holding exactly these files.
    pub fn dir(&mut self, dir: PathBuf, files: FolderFiles) {
        self.dirs.push((dir, files));
    }

    /// Remove the file or folder at `path`, inside the study, with the rest of the batch.
    pub fn remove(&mut self, path: PathBuf) {
        self.removals.push(path);
    }

    /// Write the batch into the study at `root`: all of it, or after a crash (once [`recover`]
    /// has run) all or none of it. Only one process may commit at a time: hold the study's
    /// exclusive lock.
    pub fn commit(self, root: &Path) -> Result<(), StudyError> {
        match (self.files.len(), self.dirs.len(), self.removals.len()) {
            (0, 0, 0) => return Ok(()),
            (1, 0, 0) => return write_atomic(&self.files[0].0, &self.files[0].1),
            _ => {}
        }
        let staging = root.join(STAGING);
        fs::create_dir_all(&staging).map_err(io_err(&staging))?;
        let mut renames: Vec<(PathBuf, PathBuf)> = Vec::new();
        let result = (|| {
            let mut written = Vec::new();
            let mut expect = Vec::new();
            for (path, bytes) in &self.files {
                let temp = staged_name(&staging, path);
                renames.push((temp.clone(), path.clone()));
                expect.push(Expected { before: Fingerprint::on_disk(path)?, after: Fingerprint::of_file(bytes) });
                written.push(create(temp, bytes)?);
            }
            for (dir, files) in &self.dirs {
                let temp = staged_name(&staging, dir);
                fs::create_dir(&temp).map_err(io_err(&temp))?;
                renames.push((temp.clone(), dir.clone()));
                let after = Fingerprint::of_folder(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
                expect.push(Expected { before: Fingerprint::on_disk(dir)?, after });
                for (name, bytes) in files {
                    written.push(create(temp.join(name), bytes)?);
                }
            }
            flush_files(written)?;
            sync_dir(&staging);
            let relative = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_string_lossy().into_owned();
            let journal = Journal {
                renames: renames.iter().map(|(t, p)| (relative(t), relative(p))).collect(),
                removals: self.removals.iter().map(|p| relative(p)).collect(),
                expect,
            };
            let json = serde_json::to_vec(&journal).unwrap_or_default();
            write_atomic(&root.join(JOURNAL), &json)
        })();
        if let Err(error) = result {
            for (temp, _) in &renames {
                let _ = if temp.is_dir() { fs::remove_dir_all(temp) } else { fs::remove_file(temp) };
            }
            return Err(error);
        }
        // Committed: from here on, a crash is finished by `recover`.
        apply_journal(root, crash_point(), false).map(|_| ())
    }
}

/// For crash tests: `THEMA_CRASH_AFTER_RENAMES=N` aborts the process once a committed batch has
/// made N of its renames (0: right after the journal is written), as a power cut or `kill -9`
/// would stop it there.
fn crash_point() -> Option<usize> {
    std::env::var("THEMA_CRASH_AFTER_RENAMES").ok().and_then(|s| s.trim().parse().ok())
}

/// A unique name in the staging folder for a file or folder bound for `target`.
fn staged_name(staging: &Path, target: &Path) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    staging.join(format!("{}-{n}-{name}", std::process::id()))
}

/// Finish a batch that a crash interrupted after its commit: make the renames its journal lists
/// that are not made yet, then remove the journal. Returns how many renames it made; 0 when
/// there was no journal. Hold the study's exclusive lock.
///
/// Before renaming anything it checks that every target is still what the journal expects: the
/// old bytes where the rename is still to be made, the new bytes where it was made. When a file
/// changed since the commit (edited by hand, replaced by `git pull`), it renames nothing and
/// fails with [`StudyError::InterruptedChange`] naming the files, so no later work is
/// overwritten; [`discard_interrupted`] then drops the rest of the change.
pub fn recover(root: &Path) -> Result<usize, StudyError> {
    apply_journal(root, None, true)
}

/// An interrupted change that waits in the journal: what it still has to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interrupted {
    /// Targets whose rename is still to be made, relative to the study folder.
    pub pending: Vec<String>,
    /// Targets that changed since the commit (so recovery would refuse), relative.
    pub changed: Vec<String>,
}

/// The interrupted change waiting in the study's journal, if any, without touching anything
/// (for a study that cannot be written, and for `thema check`). An unreadable journal is an
/// error naming it.
pub fn interrupted(root: &Path) -> Result<Option<Interrupted>, StudyError> {
    let Some(journal) = read_journal(root)? else { return Ok(None) };
    let (pending, changed) = journal_state(root, &journal)?;
    let relative = |i: usize| journal.renames[i].1.clone();
    Ok(Some(Interrupted {
        pending: pending.into_iter().map(relative).collect(),
        changed: changed.into_iter().map(relative).collect(),
    }))
}

/// Drop an interrupted change instead of finishing it: remove the journal and the staged files,
/// leaving every study file as it is now. Returns the targets that were not written. Hold the
/// study's exclusive lock (taken without mending, see [`crate::lock::StudyLock::acquire_as_is`]).
pub fn discard_interrupted(root: &Path) -> Result<Vec<String>, StudyError> {
    let journal_path = root.join(JOURNAL);
    let pending = match interrupted(root) {
        Ok(found) => found.map(|i| i.pending).unwrap_or_default(),
        // A journal that does not parse cannot be finished either: it goes too.
        Err(StudyError::Parse { .. }) => Vec::new(),
        Err(e) => return Err(e),
    };
    if journal_path.exists() {
        fs::remove_file(&journal_path).map_err(io_err(&journal_path))?;
    }
    clean_temporaries(root)?;
    Ok(pending)
}

/// The journal, if there is one.
fn read_journal(root: &Path) -> Result<Option<Journal>, StudyError> {
    let journal_path = root.join(JOURNAL);
    let bytes = match fs::read(&journal_path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StudyError::Io { path: journal_path, source: e }),
    };
    let journal: Journal = serde_json::from_slice(&bytes).map_err(|e| StudyError::Parse {
        path: journal_path.clone(),
        line: e.line(),
        message: format!("the journal of an interrupted change does not parse: {e}"),
    })?;
    let staging = root.join(STAGING);
    let bad = |message: String| StudyError::Parse { path: journal_path.clone(), line: 1, message };
    if !journal.expect.is_empty() && journal.expect.len() != journal.renames.len() {
        return Err(bad("the journal lists more renames than expected states".into()));
    }
    for (temp, target) in &journal.renames {
        let (temp, target) = (root.join(temp), root.join(target));
        let inside = |p: &Path| p.components().all(|c| matches!(c, std::path::Component::Normal(_)));
        let (Ok(t), Ok(p)) = (temp.strip_prefix(&staging), target.strip_prefix(root)) else {
            return Err(bad(format!("`{}` → `{}` is not a rename of thema's", temp.display(), target.display())));
        };
        if !inside(t) || !inside(p) {
            return Err(bad(format!("`{}` → `{}` leaves the study", temp.display(), target.display())));
        }
    }
    for removal in &journal.removals {
        let inside = Path::new(removal).components().all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside || removal.is_empty() {
            return Err(bad(format!("removing `{removal}` leaves the study")));
        }
    }
    Ok(Some(journal))
}

/// Which renames of a journal are still to be made, and which targets are not what the journal
/// expects (by index into `renames`).
fn journal_state(root: &Path, journal: &Journal) -> Result<(Vec<usize>, Vec<usize>), StudyError> {
    let (mut pending, mut changed) = (Vec::new(), Vec::new());
    for (i, (temp, target)) in journal.renames.iter().enumerate() {
        let mut to_make = fs::symlink_metadata(root.join(temp)).is_ok();
        if let Some(expected) = journal.expect.get(i) {
            let now = Fingerprint::on_disk(&root.join(target))?;
            // A folder exchanged with its staged copy (see `replace_dir`) before the old one,
            // now staged, was removed: made.
            if to_make && root.join(temp).is_dir() && now.as_ref() == Some(&expected.after) {
                to_make = false;
            }
            let wanted = if to_make { expected.before.as_ref() } else { Some(&expected.after) };
            // A folder being replaced is absent for a moment between its two renames.
            let between = to_make && now.is_none();
            if now.as_ref() != wanted && !between {
                changed.push(i);
            }
        }
        if to_make {
            pending.push(i);
        }
    }
    Ok((pending, changed))
}

/// Make the renames of the journal; `recovering` when another process wrote it (a commit that
/// just wrote its journal knows its targets are as expected, under the lock).
fn apply_journal(root: &Path, crash_after: Option<usize>, recovering: bool) -> Result<usize, StudyError> {
    let journal_path = root.join(JOURNAL);
    let Some(journal) = read_journal(root)? else { return Ok(0) };
    if recovering {
        let (pending, changed) = journal_state(root, &journal)?;
        if !pending.is_empty() && !changed.is_empty() {
            return Err(StudyError::InterruptedChange {
                changed: changed.into_iter().map(|i| journal.renames[i].1.clone()).collect(),
                pending: pending.into_iter().map(|i| journal.renames[i].1.clone()).collect(),
            });
        }
    }
    let staging = root.join(STAGING);
    let mut made = 0;
    let mut parents: Vec<PathBuf> = Vec::new();
    for (i, (temp, target)) in journal.renames.iter().enumerate() {
        if crash_after == Some(made) {
            std::process::abort();
        }
        let (temp, target) = (root.join(temp), root.join(target));
        if fs::symlink_metadata(&temp).is_err() {
            continue; // renamed before the crash
        }
        if temp.is_dir() && target.exists() {
            let expected = journal.expect.get(i).map(|e| &e.after);
            if recovering && expected.is_some() && Fingerprint::on_disk(&target)?.as_ref() == expected {
                // Exchanged before the crash: what is staged is the old folder.
                let _ = fs::remove_dir_all(&temp);
                continue;
            }
            replace_dir(&temp, &target, &staged_name(&staging, Path::new("old")))?;
        } else {
            fs::rename(&temp, &target).map_err(io_err(&target))?;
        }
        made += 1;
        let parent = target.parent().unwrap_or(root).to_owned();
        if !parents.contains(&parent) {
            parents.push(parent);
        }
    }
    for removal in &journal.removals {
        let target = root.join(removal);
        // `read_journal` checked that the path stays inside the study.
        let Ok(meta) = fs::symlink_metadata(&target) else { continue }; // removed before the crash
                                                                        // Renamed out of the way first, so the study never holds half a folder.
        let trash = staged_name(&staging, Path::new("old"));
        fs::rename(&target, &trash).map_err(io_err(&target))?;
        let _ = if meta.is_dir() { fs::remove_dir_all(&trash) } else { fs::remove_file(&trash) };
        let parent = target.parent().unwrap_or(root).to_owned();
        if !parents.contains(&parent) {
            parents.push(parent);
        }
    }
    for parent in &parents {
        sync_dir(parent);
    }
    if crash_after == Some(made) {
        std::process::abort();
    }
    // Not flushed: a journal that comes back after a power cut finds every rename made, and is
    // removed by the next lock (a later batch replaces it first anyway).
    fs::remove_file(&journal_path).map_err(io_err(&journal_path))?;
    Ok(made)
}

/// Remove what interrupted writes left behind: the staging folder, and temporary files and
/// folders beside study files. Does nothing while a journal waits for [`recover`]. Only safe
/// while no other process writes the study, that is, under its exclusive lock. Returns how many
/// were removed.
pub fn clean_temporaries(root: &Path) -> Result<usize, StudyError> {
    if root.join(JOURNAL).exists() {
        return Ok(0);
    }
    let mut removed = 0;
    let staging = root.join(STAGING);
    if let Ok(entries) = fs::read_dir(&staging) {
        removed += entries.count();
        fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
    }
    for relative in temporaries(root) {
        let path = root.join(&relative);
        let result = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        result.map_err(io_err(&path))?;
        removed += 1;
    }
    Ok(removed)
}

/// The temporary files and folders that interrupted writes left beside study files (the staging
/// folder aside), relative to the study folder, sorted: what [`clean_temporaries`] removes.
pub fn temporaries(root: &Path) -> Vec<String> {
    use crate::layout::{CODINGS, DERIVED, DOCUMENTS, MEMOS};
    let mut found = Vec::new();
    for dir in [".", DOCUMENTS, CODINGS, MEMOS, DERIVED] {
        let Ok(entries) = fs::read_dir(root.join(dir)) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_temporary_name(&name) {
                found.push(if dir == "." { name } else { format!("{dir}/{name}") });
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["a.txt"]);
    }

    #[test]
    fn files_written_in_pieces_appear_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.qdpx");
        let names = || -> Vec<String> {
            let mut names: Vec<String> =
                fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
            names.sort();
            names
        };
        // Abandoned (an export that failed half way): no target, no temporary.
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"half").unwrap();
        let temp = names();
        assert_eq!(temp.len(), 1);
        assert!(is_temporary_name(&temp[0]), "{temp:?}");
        drop(file);
        assert!(names().is_empty());
        // Committed: the whole file replaces the old one.
        write_atomic(&path, b"old").unwrap();
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"new ").unwrap();
        file.write_all(b"bytes").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"old");
        file.commit().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new bytes");
        assert_eq!(names(), ["a.qdpx"]);
    }

    #[test]
    fn folders_are_created_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("doc");
        write_dir_atomic(&target, &[("x", b"1"), ("y", b"2")], false).unwrap();
        assert!(write_dir_atomic(&target, &[("x", b"3")], false).is_err());
        assert_eq!(fs::read(target.join("x")).unwrap(), b"1");
        write_dir_atomic(&target, &[("x", b"3")], true).unwrap();
        assert_eq!(fs::read(target.join("x")).unwrap(), b"3");
        assert!(!target.join("y").exists());
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["doc"]);
        assert!(is_temporary_name(&temp_sibling(&target, "tmp").file_name().unwrap().to_string_lossy()));
    }

    /// A batch committed (journal written) but stopped before its renames, as a crash leaves it.
    fn interrupted_batch(root: &Path) {
        fs::create_dir_all(root.join("codings")).unwrap();
        fs::write(root.join("codebook.toml"), "old codebook\n").unwrap();
        fs::write(root.join("codings/a.jsonl"), "old a\n").unwrap();
        let mut batch = Batch::new();
        batch.file(root.join("codebook.toml"), b"new codebook\n".to_vec());
        batch.file(root.join("codings/a.jsonl"), b"new a\n".to_vec());
        batch.dir(root.join("documents/d"), vec![("text.txt".into(), b"text".to_vec())]);
        fs::create_dir_all(root.join("documents")).unwrap();
        // Commit without renaming: write the journal the way `commit` does, then stop.
        let staging = root.join(STAGING);
        fs::create_dir_all(&staging).unwrap();
        let mut renames = Vec::new();
        let mut expect = Vec::new();
        for (path, bytes) in &batch.files {
            let temp = staged_name(&staging, path);
            fs::write(&temp, bytes).unwrap();
            expect.push(Expected { before: Fingerprint::on_disk(path).unwrap(), after: Fingerprint::of_file(bytes) });
            renames.push((temp, path.clone()));
        }
        for (dir, files) in &batch.dirs {
            let temp = staged_name(&staging, dir);
            fs::create_dir(&temp).unwrap();
            for (name, bytes) in files {
                fs::write(temp.join(name), bytes).unwrap();
            }
            let after = Fingerprint::of_folder(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
            expect.push(Expected { before: Fingerprint::on_disk(dir).unwrap(), after });
            renames.push((temp, dir.clone()));
        }
        let relative = |p: &Path| p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        let journal = Journal {
            renames: renames.iter().map(|(t, p)| (relative(t), relative(p))).collect(),
            removals: Vec::new(),
            expect,
        };
        fs::write(root.join(JOURNAL), serde_json::to_vec(&journal).unwrap()).unwrap();
    }

    #[test]
    fn recovery_finishes_a_batch_whose_targets_are_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        interrupted_batch(root);
        let found = interrupted(root).unwrap().unwrap();
        assert_eq!(found.pending, ["codebook.toml", "codings/a.jsonl", "documents/d"]);
        assert!(found.changed.is_empty());
        assert_eq!(recover(root).unwrap(), 3);
        assert_eq!(fs::read_to_string(root.join("codebook.toml")).unwrap(), "new codebook\n");
        assert_eq!(fs::read_to_string(root.join("documents/d/text.txt")).unwrap(), "text");
        assert!(interrupted(root).unwrap().is_none());
    }

    #[test]
    fn a_folder_exchanged_before_the_crash_is_kept_and_its_old_copy_removed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("documents/d")).unwrap();
        fs::write(root.join("documents/d/text.txt"), "old text").unwrap();
        interrupted_batch(root);
        // Stopped after `documents/d` traded places with its staged copy (`replace_dir`), before
        // the old folder, now staged, was removed.
        let journal = read_journal(root).unwrap().unwrap();
        let (staged, target) = (root.join(&journal.renames[2].0), root.join(&journal.renames[2].1));
        let aside = root.join("aside");
        fs::rename(&target, &aside).unwrap();
        fs::rename(&staged, &target).unwrap();
        fs::rename(&aside, &staged).unwrap();
        let found = interrupted(root).unwrap().unwrap();
        assert_eq!(found.pending, ["codebook.toml", "codings/a.jsonl"]);
        assert!(found.changed.is_empty(), "{:?}", found.changed);
        assert_eq!(recover(root).unwrap(), 2);
        assert_eq!(fs::read_to_string(root.join("documents/d/text.txt")).unwrap(), "text");
        assert!(!staged.exists());
        assert!(interrupted(root).unwrap().is_none());
    }

    #[test]
    fn replacing_a_folder_leaves_the_new_one_and_no_old_copy() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("d");
        write_dir_atomic(&target, &[("a.txt", b"one")], false).unwrap();
        write_dir_atomic(&target, &[("a.txt", b"two")], true).unwrap();
        assert_eq!(fs::read(target.join("a.txt")).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["d"], "no old copy or temporary left");
    }

    #[test]
    fn recovery_never_overwrites_a_target_changed_since_the_commit() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        interrupted_batch(root);
        fs::write(root.join("codebook.toml"), "old codebook\n# a hand edit\n").unwrap();
        let error = recover(root).unwrap_err();
        assert!(
            matches!(&error, StudyError::InterruptedChange { changed, pending }
                if changed == &["codebook.toml"] && pending.len() == 3),
            "{error}"
        );
        // Nothing renamed, the other target included.
        assert_eq!(fs::read_to_string(root.join("codebook.toml")).unwrap(), "old codebook\n# a hand edit\n");
        assert_eq!(fs::read_to_string(root.join("codings/a.jsonl")).unwrap(), "old a\n");
        assert!(!root.join("documents/d").exists());
        // Dropped: the hand edit stays, the journal and staged files go.
        assert_eq!(discard_interrupted(root).unwrap().len(), 3);
        assert_eq!(fs::read_to_string(root.join("codebook.toml")).unwrap(), "old codebook\n# a hand edit\n");
        assert!(!root.join(JOURNAL).exists() && !root.join(STAGING).exists());
    }

    #[test]
    fn a_journal_that_does_not_parse_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join(".thema")).unwrap();
        fs::write(dir.path().join(JOURNAL), "{\"renames\":\n[oops").unwrap();
        let error = recover(dir.path()).unwrap_err();
        assert!(matches!(&error, StudyError::Parse { line: 2, .. }), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_devices_are_refused_before_they_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        // Opening the FIFO would block this test forever.
        let error = read_regular(&fifo).unwrap_err();
        assert_eq!(error.to_string(), "a named pipe (FIFO), not a regular file; thema reads only files");
        let error = read_regular(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(error.to_string(), "a device, not a regular file; thema reads only files");
        assert_eq!(
            read_regular(dir.path()).unwrap_err().to_string(),
            "a folder, not a regular file; thema reads only files"
        );
    }

    #[test]
    fn batches_refuse_existing_folders_before_writing_anything() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        write_dir_atomic(&b, &[("x", b"old")], false).unwrap();
        let batch = vec![(a.clone(), vec![("x", &b"1"[..])]), (b.clone(), vec![("x", &b"2"[..])])];
        assert!(write_dirs_atomic(&batch, false).is_err());
        assert!(!a.exists());
        write_dirs_atomic(&batch, true).unwrap();
        assert_eq!(fs::read(a.join("x")).unwrap(), b"1");
        assert_eq!(fs::read(b.join("x")).unwrap(), b"2");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
