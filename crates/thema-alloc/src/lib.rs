//! The allocator of the `thema` binary: mimalloc (the counting commands make and free millions
//! of small strings, and glibc's `malloc` and `free` were about a third of their time), and the
//! one setting a command may change. mimalloc 3 waits a second before it gives freed memory back
//! to the system (its `purge_delay`). On a study of 10,000 documents that kept up to 330 MB more
//! resident: the exports and the report peaked at 1.19-1.24 GB, and at 0.91 GB with no delay.
//! No delay slows short commands (`codebook` on 2,000 documents, 137 ms to 206 ms; even 50 ms
//! left the report at 1.11 GB), so only commands that build a large output ask for it
//! (BENCHMARKS.md, "Speed round two, all of it, on a quiet machine").
//!
//! This crate is the only one allowed `unsafe` code, for the one call that sets the option.

pub use mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_e` (`mimalloc.h`), which
/// `libmimalloc-sys` does not name. The test below checks it against the option's default.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Make mimalloc return freed memory to the system at once rather than a second later. Call it
/// before the work starts its threads; later purges follow it.
pub fn purge_at_once() {
    // SAFETY: `mi_option_set` takes any option number below the last and any value, and only
    // stores the value in mimalloc's table of options; `thema` calls it before it starts any
    // thread, and a purge that reads the option meanwhile sees the old value or the new.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
}

/// mimalloc's purge delay in milliseconds, as it stands.
pub fn purge_delay() -> std::ffi::c_long {
    // SAFETY: `mi_option_get` reads the option table; any option number below the last is valid.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_get(PURGE_DELAY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_15_is_the_purge_delay_and_is_set_to_zero() {
        // mimalloc 3's default purge delay is 1,000 ms (`options.c`), unless the environment
        // set it; no other option defaults to 1,000, so this checks the option's number.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(purge_delay(), 1000);
        }
        purge_at_once();
        assert_eq!(purge_delay(), 0);
    }
}
