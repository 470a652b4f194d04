//! Per-document figures (turns, speakers, words) without reading every text: `thema ls` on a
//! large study would otherwise read and segment every transcript into words.
//!
//! The figures are kept in `.thema/document-stats.tsv`, derived data like the search index
//! (git-ignored, never part of the study's format, deleted at will). Each line holds, for one
//! document, the size, modification time, change time and inode of its `text.txt` and
//! `turns.csv` as they were when the figures were computed. A figure is used only when both
//! files still have exactly those: any write to a file (by thema, an editor or git) changes its
//! change time, which no program can set back, so a changed file is always counted again. A file
//! changed less than [`SETTLE`] before it was counted is not kept, so that two writes within one
//! tick of the file system's clock cannot leave a stale figure.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::document::DocumentStats;

/// The cache file, relative to the study folder.
pub const STATS_CACHE: &str = ".thema/document-stats.tsv";

/// First line of the cache file; a file with another first line is ignored (and rewritten).
pub(crate) const HEADER: &str =
    "# thema document stats 2: id, text.txt and turns.csv (size mtime ctime inode), turns speakers words unattributed chars";

/// How long a file must have been left unchanged before its figures are kept.
pub const SETTLE: Duration = Duration::from_secs(2);

/// What identifies the contents of one file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileKey {
    size: u64,
    mtime: u128,
    ctime: u128,
    inode: u64,
}

impl FileKey {
    /// The key of the file at `path`, and when it last changed (content or metadata).
    pub(crate) fn of(path: &Path) -> Option<(FileKey, SystemTime)> {
        FileKey::from_metadata(&fs::metadata(path).ok()?)
    }

    /// The key of a file whose metadata are `meta`, and when it last changed.
    fn from_metadata(meta: &fs::Metadata) -> Option<(FileKey, SystemTime)> {
        let since = |t: SystemTime| t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let modified = meta.modified().ok()?;
        #[cfg(unix)]
        let (ctime, inode, changed) = {
            use std::os::unix::fs::MetadataExt;
            let ctime = u128::try_from(meta.ctime()).ok()? * 1_000_000_000 + u128::try_from(meta.ctime_nsec()).ok()?;
            let changed = SystemTime::UNIX_EPOCH + Duration::from_nanos(u64::try_from(ctime).ok()?);
            (ctime, meta.ino(), changed)
        };
        #[cfg(not(unix))]
        let (ctime, inode, changed) = (0, 0, modified);
        let key = FileKey { size: meta.len(), mtime: since(modified), ctime, inode };
        Some((key, modified.max(changed)))
    }

    /// The key of the file at `path`, and whether it has been left unchanged for [`SETTLE`]
    /// (only then may figures made from it be kept).
    pub(crate) fn settled_of(path: &Path) -> Option<(FileKey, bool)> {
        FileKey::settled(FileKey::of(path)?)
    }

    /// As [`FileKey::settled_of`], for a regular file only (`None` for a folder).
    pub(crate) fn settled_of_file(path: &Path) -> Option<(FileKey, bool)> {
        let meta = fs::metadata(path).ok().filter(fs::Metadata::is_file)?;
        FileKey::settled(FileKey::from_metadata(&meta)?)
    }

    /// The key of a file as `stat` gives it, and when it last changed: the same as
    /// [`FileKey::of`] gives.
    #[cfg(unix)]
    // The fields' types differ between platforms: some conversions are needless on some.
    #[allow(clippy::unnecessary_fallible_conversions, clippy::useless_conversion)]
    fn from_stat(stat: &rustix::fs::Stat) -> Option<(FileKey, SystemTime)> {
        let nanos = |seconds, nanos| Some(u128::try_from(seconds).ok()? * 1_000_000_000 + u128::try_from(nanos).ok()?);
        let mtime = nanos(stat.st_mtime, stat.st_mtime_nsec)?;
        let ctime = nanos(stat.st_ctime, stat.st_ctime_nsec)?;
        let at = |nanos: u128| Some(SystemTime::UNIX_EPOCH + Duration::from_nanos(u64::try_from(nanos).ok()?));
        let key =
            FileKey { size: u64::try_from(stat.st_size).ok()?, mtime, ctime, inode: u64::try_from(stat.st_ino).ok()? };
        Some((key, at(mtime)?.max(at(ctime)?)))
    }

    fn settled((key, changed): (FileKey, SystemTime)) -> Option<(FileKey, bool)> {
        Some((key, SystemTime::now().duration_since(changed).is_ok_and(|age| age >= SETTLE)))
    }

    /// Append the key to `out`: a tab, then size, modification time, change time and inode.
    pub fn write(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "\t{} {} {} {}", self.size, self.mtime, self.ctime, self.inode);
    }

    pub(crate) fn parse(field: &str) -> Option<FileKey> {
        let mut parts = field.split(' ');
        let key = FileKey {
            size: parts.next()?.parse().ok()?,
            mtime: parts.next()?.parse().ok()?,
            ctime: parts.next()?.parse().ok()?,
            inode: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(key)
    }
}

/// The files of one folder, looked up relative to it: a `stat` of an absolute path spends most
/// of its time resolving every folder on the way (on a study of 2,000 documents, most of the
/// time of checking its caches), which a lookup relative to the open folder does once.
pub struct Folder {
    path: std::path::PathBuf,
    #[cfg(unix)]
    fd: Option<rustix::fd::OwnedFd>,
}

impl Folder {
    /// The folder at `path` (which may not exist: then nothing is found in it).
    pub fn open(path: &Path) -> Folder {
        #[cfg(unix)]
        let fd = {
            use rustix::fs::{Mode, OFlags};
            rustix::fs::open(path, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty()).ok()
        };
        Folder {
            path: path.to_owned(),
            #[cfg(unix)]
            fd,
        }
    }

    /// [`FileKey::settled_of`] the file at `relative` inside the folder; with `regular`, `None`
    /// for anything but a regular file (symbolic links followed, as [`fs::metadata`] does).
    pub fn settled_of(&self, relative: &str, regular: bool) -> Option<(FileKey, bool)> {
        #[cfg(unix)]
        if let Some(fd) = &self.fd {
            use rustix::fs::{AtFlags, FileType};
            let stat = rustix::fs::statat(fd, relative, AtFlags::empty()).ok()?;
            if regular && FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
                return None;
            }
            return FileKey::settled(FileKey::from_stat(&stat)?);
        }
        let path = self.path.join(relative);
        if regular {
            FileKey::settled_of_file(&path)
        } else {
            FileKey::settled_of(&path)
        }
    }
}

impl Folder {
    /// [`Folder::settled_of`] each `(relative, regular)` in order; a long list on all cores
    /// ([`crate::parallel::in_parts`]): most of the time is the kernel's, looking each file up.
    pub fn settled_of_all(&self, files: &[(String, bool)]) -> Vec<Option<(FileKey, bool)>> {
        let look_up = |part: &[(String, bool)]| -> Vec<Option<(FileKey, bool)>> {
            part.iter().map(|(relative, regular)| self.settled_of(relative, *regular)).collect()
        };
        crate::parallel::in_parts(files, PARALLEL_FROM, look_up).into_iter().flatten().collect()
    }
}

/// From how many files [`Folder::settled_of_all`] looks them up on all cores.
const PARALLEL_FROM: usize = 512;

type Entry = ([FileKey; 2], DocumentStats);

pub(crate) fn parse_cache(text: &str) -> HashMap<&str, Entry> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return HashMap::new();
    }
    let mut entries = HashMap::new();
    for line in lines {
        let parse = || -> Option<(&str, Entry)> {
            let mut fields = line.split('\t');
            let id = fields.next()?;
            let keys = [FileKey::parse(fields.next()?)?, FileKey::parse(fields.next()?)?];
            let mut numbers = fields.next()?.split(' ').map(|n| n.parse::<usize>().ok());
            let mut next = || numbers.next().flatten();
            let stats = DocumentStats {
                turns: next()?,
                speakers: next()?,
                words: next()?,
                unattributed_turns: next()?,
                chars: next()?,
            };
            (fields.next().is_none() && numbers.next().is_none()).then_some((id, (keys, stats)))
        };
        match parse() {
            Some((id, entry)) => {
                entries.insert(id, entry);
            }
            // A damaged cache is no cache.
            None => return HashMap::new(),
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_files_are_looked_up_in_order_in_two_threads() {
        let dir = tempfile::tempdir().unwrap();
        // 700 files of sizes 0..700 (more than PARALLEL_FROM, so in parts on all cores), a folder, and
        // names of files that are not there.
        let mut wanted = Vec::new();
        for i in 0..700 {
            let name = format!("f{i}.txt");
            fs::write(dir.path().join(&name), "x".repeat(i)).unwrap();
            wanted.push((name, true));
            if i % 100 == 0 {
                wanted.push((format!("missing{i}"), false));
            }
        }
        fs::create_dir(dir.path().join("sub")).unwrap();
        wanted.push(("sub".to_owned(), true));
        wanted.push(("sub".to_owned(), false));
        assert!(wanted.len() >= PARALLEL_FROM);
        let folder = Folder::open(dir.path());
        let keys = folder.settled_of_all(&wanted);
        assert_eq!(keys.len(), wanted.len());
        let mut size = 0;
        for ((name, regular), key) in wanted.iter().zip(&keys) {
            if name.starts_with("missing") || (name == "sub" && *regular) {
                assert!(key.is_none(), "{name}");
            } else if name == "sub" {
                assert!(key.is_some());
            } else {
                // The files were written with sizes 0, 1, 2, ... in the order asked for.
                assert_eq!(key.map(|(k, _)| k.size), Some(size), "{name}");
                size += 1;
            }
        }
        assert_eq!(size, 700);
    }
}
