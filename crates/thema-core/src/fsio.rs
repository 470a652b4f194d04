//! Atomic writes: a file is either its old bytes or its new bytes, never half of each.

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

/// Write `bytes` to `path` atomically: write a temporary file beside it, flush it to disk, then
/// rename it over `path` and flush the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StudyError> {
    let temp = temp_sibling(path, "tmp");
    let result = (|| {
        let mut file = File::create(&temp).map_err(io_err(&temp))?;
        file.write_all(bytes).map_err(io_err(&temp))?;
        file.sync_all().map_err(io_err(&temp))?;
        drop(file);
        fs::rename(&temp, path).map_err(io_err(path))?;
        sync_dir(path.parent().unwrap_or(Path::new(".")));
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
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
                let path = temp.join(name);
                let mut file = File::create(&path).map_err(io_err(&path))?;
                file.write_all(bytes).map_err(io_err(&path))?;
                written.push((path, file));
            }
        }
        flush_files(written)?;
        let mut parents: Vec<&Path> = Vec::new();
        while let Some((temp, dir)) = staged.first().cloned() {
            if dir.exists() {
                let trash = temp_sibling(dir, "old");
                fs::rename(dir, &trash).map_err(io_err(dir))?;
                fs::rename(&temp, dir).map_err(io_err(dir))?;
                let _ = fs::remove_dir_all(&trash);
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

/// True for names thema uses for temporary files and folders, which loaders skip and `check`
/// reports as leftovers of an interrupted write.
pub fn is_temporary_name(name: &str) -> bool {
    name.starts_with('.') && (name.contains(".tmp-") || name.contains(".old-"))
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
