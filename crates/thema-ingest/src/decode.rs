//! Bytes to text: UTF-8 (with or without a byte order mark), UTF-16 (with a byte order mark, or
//! recognised by its zero bytes), or an encoding the user names. Anything else is refused with a
//! guess at what it is, never decoded silently into mojibake.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

use crate::error::IngestError;

/// Text decoded from a file, with the name of the encoding it was in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, not yet normalised.
    pub text: String,
    /// `utf-8`, `utf-16le`, `windows-1252`...
    pub encoding: String,
}

/// Decode `bytes`. `encoding` is a label the user gave (`--encoding latin1`), if any.
pub fn decode(bytes: &[u8], encoding: Option<&str>) -> Result<Decoded, IngestError> {
    if let Some(label) = encoding {
        let enc = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| IngestError::Encoding {
            message: format!(
                "`{label}` is not an encoding thema knows; try `utf-8`, `windows-1252`, `latin1` or `utf-16`"
            ),
        })?;
        let (text, used, malformed) = enc.decode(bytes);
        if malformed {
            return Err(IngestError::Encoding { message: format!("the file is not valid {}", used.name()) });
        }
        return Ok(Decoded { text: text.into_owned(), encoding: used.name().to_ascii_lowercase() });
    }
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        let (text, malformed) = enc.decode_with_bom_removal(bytes);
        if malformed {
            return Err(IngestError::Encoding {
                message: format!(
                    "the file starts with a {} byte order mark but is not valid {}",
                    enc.name(),
                    enc.name()
                ),
            });
        }
        return Ok(Decoded { text: text.into_owned(), encoding: enc.name().to_ascii_lowercase() });
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, malformed) = enc.decode_without_bom_handling(bytes);
        if !malformed {
            return Ok(Decoded { text: text.into_owned(), encoding: enc.name().to_ascii_lowercase() });
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            if let Some(line) = nul_line(text) {
                return Err(IngestError::Encoding {
                    message: format!("line {line}: the file contains NUL bytes, so it looks binary, not text; check that it is a transcript"),
                });
            }
            Ok(Decoded { text: text.to_owned(), encoding: "utf-8".into() })
        }
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(&bytes[..bytes.len().min(1 << 20)], bytes.len() <= 1 << 20);
            let guess = detector.guess(None, chardetng::Utf8Detection::Deny).name().to_ascii_lowercase();
            Err(IngestError::Encoding {
                message: format!(
                    "line {line}: the file is not UTF-8 (byte 0x{:02X} at offset {at}); it looks like {guess}: \
                     convert it to UTF-8, or import it with `--encoding {guess}`",
                    bytes[at]
                ),
            })
        }
    }
}

/// UTF-16 without a byte order mark shows as a zero byte in every other position of ASCII text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(512) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let even_zero = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_zero * 10 >= pairs * 9 && even_zero == 0 {
        Some(UTF_16LE)
    } else if even_zero * 10 >= pairs * 9 && odd_zero == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn nul_line(text: &str) -> Option<usize> {
    let at = text.find('\0')?;
    Some(text[..at].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("héllo".as_bytes(), None).unwrap().text, "héllo");
        let d = decode(b"\xef\xbb\xbfhi", None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.as_str()), ("hi", "utf-8"));
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let mut le: Vec<u8> = vec![0xff, 0xfe];
        le.extend("Simon: hope".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let d = decode(&le, None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.as_str()), ("Simon: hope", "utf-16le"));
        let be: Vec<u8> = "Simon: hope".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(&be, None).unwrap().text, "Simon: hope");
    }

    #[test]
    fn refuses_latin1_with_a_guess_and_decodes_it_when_told() {
        let bytes = b"Interviewer: Caf\xe9?\nR: Oui, tr\xe8s bien.\n";
        let message = decode(bytes, None).unwrap_err().to_string();
        assert!(message.starts_with("line 1: the file is not UTF-8 (byte 0xE9"), "{message}");
        assert!(message.contains("--encoding windows-1252"), "{message}");
        assert_eq!(decode(bytes, Some("latin1")).unwrap().text, "Interviewer: Café?\nR: Oui, très bien.\n");
        assert!(decode(bytes, Some("klingon")).is_err());
    }

    #[test]
    fn refuses_binary() {
        let message = decode(b"abc\ndef\0\0\x01", None).unwrap_err().to_string();
        assert!(message.contains("line 2") && message.contains("binary"), "{message}");
    }
}
