//! JSON lists of turns: `[{"speaker": "A", "content": "..."}]`, or an object holding such a
//! list under `meeting_transcripts` (the QMSum packaging of the AMI and ICSI meetings),
//! `transcript`, `turns`, `utterances` or `segments`.
//!
//! A turn's speaker is read from `speaker`, `speaker_name` or `name`; its words from `content`,
//! `text` or `utterance`; times, when present, from `start`/`end` (seconds, or `hh:mm:ss`).
//! Turns are kept as given: two turns of one speaker in a row stay two turns.

use serde_json::Value;
use thema_core::Timestamp;

use crate::error::IngestError;
use crate::format::Format;
use crate::transcript::{Transcript, TranscriptBuilder};

const LIST_KEYS: [&str; 5] = ["meeting_transcripts", "transcript", "turns", "utterances", "segments"];
const SPEAKER_KEYS: [&str; 3] = ["speaker", "speaker_name", "name"];
const TEXT_KEYS: [&str; 3] = ["content", "text", "utterance"];

fn time(value: Option<&Value>) -> Option<Timestamp> {
    match value? {
        Value::Number(n) => {
            n.as_f64().filter(|s| s.is_finite() && *s >= 0.0).map(|s| Timestamp((s * 1000.0).round() as u64))
        }
        Value::String(s) => Timestamp::parse(s),
        _ => None,
    }
}

/// Read a JSON turn list.
pub fn parse_json(text: &str) -> Result<Transcript, IngestError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| IngestError::at(Format::Json, e.line(), format!("not valid JSON: {e}")))?;
    let (list, key) = match &value {
        Value::Array(items) => (items, None),
        Value::Object(map) => {
            match LIST_KEYS.iter().find_map(|k| map.get(*k).and_then(Value::as_array).map(|a| (a, *k))) {
                Some((items, key)) => (items, Some(key)),
                None => {
                    return Err(IngestError::format(
                        Format::Json,
                        format!(
                            "no list of turns: expected a list, or an object with one of {}",
                            LIST_KEYS.map(|k| format!("`{k}`")).join(", ")
                        ),
                    ))
                }
            }
        }
        _ => return Err(IngestError::format(Format::Json, "expected a list of turns")),
    };
    let place = |i: usize| match key {
        Some(k) => format!("turn {} (item {i} of `{k}`)", i + 1),
        None => format!("turn {} (item {i})", i + 1),
    };
    let mut builder = TranscriptBuilder::new();
    let mut empty = 0;
    for (i, item) in list.iter().enumerate() {
        let Value::Object(turn) = item else {
            return Err(IngestError::format(
                Format::Json,
                format!("{} is not an object with a speaker and content", place(i)),
            ));
        };
        let speaker = SPEAKER_KEYS.iter().find_map(|k| turn.get(*k)).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let Some(Value::String(content)) = TEXT_KEYS.iter().find_map(|k| turn.get(*k)) else {
            return Err(IngestError::format(Format::Json, format!("{} has no `content` or `text` string", place(i))));
        };
        let start = time(turn.get("start").or_else(|| turn.get("start_time")));
        let end = time(turn.get("end").or_else(|| turn.get("end_time")));
        if !builder.push_turn(speaker.as_deref(), content, start, end) {
            empty += 1;
        }
    }
    let mut transcript = builder.finish();
    if empty > 0 {
        let what = if empty == 1 { "turn with no words was" } else { "turns with no words were" };
        transcript.warn(None, format!("{empty} {what} left out"));
    }
    if transcript.turns.is_empty() {
        return Err(IngestError::format(Format::Json, "the list has no turns with words"));
    }
    Ok(transcript)
}

#[cfg(test)]
mod tests {
    use super::*;
    use thema_core::TextIndex;

    #[test]
    fn reads_qmsum_layout_and_bare_lists() {
        let t = parse_json(r#"{"topic_list": [], "meeting_transcripts": [{"speaker": "Grad C", "content": "Yeah , we had a long discussion ."}, {"speaker": "PhD D", "content": "It {disfmarker} it doesn't"}, {"speaker": "PhD D", "content": " "}]}"#).unwrap();
        assert_eq!(t.text, "Grad C: Yeah , we had a long discussion .\n\nPhD D: It {disfmarker} it doesn't\n");
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.warnings[0].message, "1 turn with no words was left out");
        let t = parse_json(r#"[{"speaker": "A", "text": "hi", "start": 1.5, "end": "00:00:02.000"}]"#).unwrap();
        assert_eq!(TextIndex::new(&t.text).slice(t.turns[0].span).unwrap(), "hi");
        assert_eq!((t.turns[0].time_start, t.turns[0].time_end), (Some(Timestamp(1500)), Some(Timestamp(2000))));
    }

    #[test]
    fn clear_errors() {
        let e = parse_json("[{\"speaker\": \"A\",\n \"content\": 3}]").unwrap_err().to_string();
        assert_eq!(e, "turn 1 (item 0) has no `content` or `text` string");
        let e = parse_json("[1,\n2,\n").unwrap_err().to_string();
        assert!(e.starts_with("line 3: not valid JSON"), "{e}");
        let e = parse_json("{\"a\": 1}").unwrap_err().to_string();
        assert!(e.contains("`meeting_transcripts`"), "{e}");
    }
}
