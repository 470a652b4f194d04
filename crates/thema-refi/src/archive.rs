//! Reading a `.qdpx` zip safely: [`thema_ingest::archive`], where the limits every zip reader of
//! thema applies live. The archive comes from someone else, so before anything is read every
//! entry is checked: a name that would escape a folder (`../`, an absolute path, a drive letter)
//! refuses the whole file, as do encrypted entries and more than 100,000 entries. While
//! inflating, an entry may grow to at most 1 GiB, all entries together to at most 4 GiB, and,
//! past its first megabyte, to at most 500 times its compressed size, whatever its header
//! claims ([`Limits::PROJECT`], the default). Nothing is written to disk.

use thema_ingest::archive::ArchiveError;
pub use thema_ingest::archive::{Archive, ArchiveLimits as Limits};

use crate::RefiError;

impl From<ArchiveError> for RefiError {
    fn from(e: ArchiveError) -> Self {
        RefiError::Archive(e.0)
    }
}
