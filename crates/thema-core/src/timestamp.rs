//! Times within a recording, as transcripts and subtitle files write them.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A time offset into a recording, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// Parse `h:mm:ss.fff`, `mm:ss`, `h:m:s.f` (unpadded, as Teams writes), with `.` or `,` before
    /// the fraction (SRT uses a comma). Hours may exceed 24.
    pub fn parse(s: &str) -> Option<Timestamp> {
        let s = s.trim();
        let (clock, fraction) = match s.find(['.', ',']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let parts: Vec<&str> = clock.split(':').collect();
        if parts.len() < 2 || parts.len() > 3 {
            return None;
        }
        let mut numbers = [0u64; 3];
        let offset = 3 - parts.len();
        for (i, part) in parts.iter().enumerate() {
            if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            numbers[offset + i] = part.parse().ok()?;
        }
        let [hours, minutes, seconds] = numbers;
        if minutes >= 60 || seconds >= 60 {
            return None;
        }
        let millis = match fraction {
            None => 0,
            Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
                // "7.23" is 7 seconds 230 ms; keep the first three digits.
                let digits: String = f.chars().chain("000".chars()).take(3).collect();
                digits.parse().ok()?
            }
            Some(_) => return None,
        };
        Some(Timestamp(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis))
    }

    /// Milliseconds since the start of the recording.
    pub fn millis(self) -> u64 {
        self.0
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = self.0 % 1000;
        let s = self.0 / 1000;
        write!(f, "{:02}:{:02}:{:02}.{:03}", s / 3600, (s / 60) % 60, s % 60, ms)
    }
}

impl std::str::FromStr for Timestamp {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s).ok_or_else(|| format!("`{s}` is not a time like 00:01:02.500"))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "time into the recording, hh:mm:ss.mmm",
            "pattern": "^[0-9]+:[0-9]{2}:[0-9]{2}\\.[0-9]{3}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_transcripts_use() {
        let cases = [
            ("00:00:00.500", 500),
            ("00:01:02", 62_000),
            ("01:02", 62_000),
            ("0:0:3.540", 3_540),
            ("0:0:7.23", 7_230),
            ("1:2:7.950", 3_727_950),
            ("00:00:11,890", 11_890),
            ("0:00:11.378", 11_378),
            ("100:00:00.000", 360_000_000),
        ];
        for (text, ms) in cases {
            assert_eq!(Timestamp::parse(text), Some(Timestamp(ms)), "{text}");
        }
        for bad in ["", "12", "00:61:00", "aa:bb:cc", "00:00:00.x", "1:2:3:4", "00:00:0O.000"] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn displays_padded() {
        assert_eq!(Timestamp(3_727_950).to_string(), "01:02:07.950");
        assert_eq!(Timestamp::parse(&Timestamp(123_456).to_string()), Some(Timestamp(123_456)));
    }
}
