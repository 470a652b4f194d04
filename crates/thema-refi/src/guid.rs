//! GUIDs. REFI-QDA names every object by a GUID; thema derives them from what the object is
//! (`entry` + id, `source` + document id, ...) with SHA-256, so exporting the same study twice
//! gives the same file, and a code keeps its GUID from one export to the next.

use sha2::{Digest, Sha256};

/// A GUID derived from `parts`: the first 16 bytes of SHA-256 over the parts (NUL-separated),
/// marked as a name-based UUID (version 5 layout, RFC 9562), lowercase.
pub fn derive(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"thema-refi");
    for part in parts {
        hasher.update([0]);
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// A GUID as written by any program (bare or in braces, either case) in one form: lowercase,
/// without braces. `None` if it is not a GUID.
pub fn normalise(guid: &str) -> Option<String> {
    let g = guid.trim();
    let g = g.strip_prefix('{').and_then(|g| g.strip_suffix('}')).unwrap_or(g);
    let groups: Vec<&str> = g.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    let ok = groups.len() == 5
        && groups.iter().zip(lengths).all(|(p, n)| p.len() == n && p.bytes().all(|c| c.is_ascii_hexdigit()));
    ok.then(|| g.to_ascii_lowercase())
}

/// A GUID as a number, for maps with hundreds of thousands of them. `None` if it is not a GUID.
pub fn key(guid: &str) -> Option<u128> {
    let g = guid.trim();
    let g = g.strip_prefix('{').and_then(|g| g.strip_suffix('}')).unwrap_or(g);
    let b = g.as_bytes();
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
        return None;
    }
    let mut n: u128 = 0;
    for (i, &c) in b.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            continue;
        }
        n = (n << 4) | (c as char).to_digit(16)? as u128;
    }
    Some(n)
}

/// The GUID of a codebook entry: its stored one (from an import), else derived from its id.
pub fn of_entry(entry: &thema_core::CodebookEntry) -> String {
    entry.guid.as_deref().and_then(normalise).unwrap_or_else(|| derive(&["entry", &entry.id]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_guids_are_stable_valid_and_distinct() {
        let a = derive(&["entry", "offering-hope"]);
        assert_eq!(a, derive(&["entry", "offering-hope"]));
        assert_ne!(a, derive(&["entry", "offering-hop"]));
        // The separator keeps ("ab", "c") apart from ("a", "bc").
        assert_ne!(derive(&["ab", "c"]), derive(&["a", "bc"]));
        assert_eq!(normalise(&a).as_deref(), Some(a.as_str()));
        assert_eq!(key(&a), key(&format!("{{{}}}", a.to_uppercase())));
        assert_ne!(key(&a), key(&derive(&["entry", "x"])));
        assert_eq!(key("1ff58b12-6f6f-4b0c-8be5-bbdc91f55294x"), None);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5", "version nibble");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "variant bits: {a}");
    }

    #[test]
    fn normalise_accepts_braces_and_case_and_refuses_other_text() {
        assert_eq!(
            normalise("{1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294}").as_deref(),
            Some("1ff58b12-6f6f-4b0c-8be5-bbdc91f55294")
        );
        assert_eq!(
            normalise(" 1ff58b12-6f6f-4b0c-8be5-bbdc91f55294 ").as_deref(),
            Some("1ff58b12-6f6f-4b0c-8be5-bbdc91f55294")
        );
        for bad in [
            "",
            "{1ff58b12-6f6f-4b0c-8be5-bbdc91f55294",
            "1ff58b126f6f4b0c8be5bbdc91f55294",
            "zff58b12-6f6f-4b0c-8be5-bbdc91f55294",
        ] {
            assert_eq!(normalise(bad), None, "{bad}");
        }
    }
}
