//! Every caption fixture of `../shared/corpora/subtitle-fixtures` (webvtt-py's test samples),
//! with what importing it must give. Turn counts were read off the files: one turn per cue with
//! text (cues are unattributed, so they do not merge), counted from the `-->` lines; damaged cues
//! keep their text, so they count too.

use std::path::Path;

use thema_core::Timestamp;
use thema_ingest::{parse, Options};

enum Expect {
    /// Number of turns, and the line of each warning.
    Turns(usize, &'static [usize]),
    /// Refused; the message contains this.
    Refused(&'static str),
}

use Expect::{Refused, Turns};

const FIXTURES: &[(&str, Expect)] = &[
    ("captions_with_bom.vtt", Turns(4, &[])),
    ("comments.vtt", Turns(3, &[])),
    ("empty.vtt", Refused("the file is empty")),
    ("invalid.vtt", Refused("line 1: missing the `WEBVTT` header")),
    ("invalid_timeframe.vtt", Turns(7, &[6])),
    ("invalid_timeframe_in_cue_text.vtt", Turns(3, &[7])),
    ("metadata_headers.vtt", Turns(2, &[])),
    ("metadata_headers_multiline.vtt", Turns(2, &[])),
    ("missing_caption_text.vtt", Turns(4, &[])),
    ("missing_timeframe.vtt", Turns(7, &[6])),
    ("no_captions.vtt", Refused("the file has no captions")),
    ("non_padded_timestamps.vtt", Turns(3, &[])),
    ("one_caption.vtt", Turns(1, &[])),
    ("regions.vtt", Turns(2, &[])),
    ("sample.vtt", Turns(16, &[])),
    ("styles.vtt", Turns(1, &[])),
    ("styles_colours.vtt", Turns(6, &[])),
    ("styles_with_comments.vtt", Turns(1, &[])),
    ("using_identifiers.vtt", Turns(6, &[])),
    ("invalid_format1.srt", Refused("the file has no captions")),
    ("invalid_format2.srt", Refused("does not look like a SRT file")),
    ("invalid_format3.srt", Refused("does not look like a SRT file")),
    ("invalid_format4.srt", Refused("the captions have no text")),
    ("invalid_timeframe.srt", Turns(5, &[6])),
    ("missing_caption_text.srt", Turns(4, &[])),
    ("missing_timeframe.srt", Turns(5, &[6])),
    ("one_caption.srt", Turns(1, &[])),
    ("sample.srt", Turns(5, &[])),
    ("styles_colours.srt", Turns(6, &[])),
    ("invalid_format.sbv", Refused("does not look like a SBV file")),
    // 0:00:13.f89 is unreadable; the last cue of the SBV samples ends before it starts.
    ("invalid_timeframe.sbv", Turns(5, &[7, 13])),
    ("missing_caption_text.sbv", Turns(4, &[12])),
    ("missing_timeframe.sbv", Turns(5, &[4, 12])),
    ("sample.sbv", Turns(5, &[14])),
    ("two_captions.sbv", Turns(2, &[])),
];

fn fixtures() -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/subtitle-fixtures");
    if dir.is_dir() {
        Some(dir)
    } else {
        thema_testkit::skip(format_args!("{} is missing", dir.display()));
        None
    }
}

#[test]
fn every_fixture_imports_or_is_refused_as_expected() {
    let Some(dir) = fixtures() else { return };
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".vtt") || n.ends_with(".srt") || n.ends_with(".sbv"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every fixture has an expectation");
    for (name, expect) in FIXTURES {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let result = parse(&bytes, name, &Options::default());
        match (expect, result) {
            (Turns(n, warning_lines), Ok(import)) => {
                let t = import.transcript;
                assert_eq!(t.turns.len(), *n, "{name}");
                let lines: Vec<usize> = t.warnings.iter().filter_map(|w| w.line).collect();
                assert_eq!(lines, *warning_lines, "{name}: {:?}", t.warnings);
                for (_, speech) in t.turn_texts() {
                    let tag = ["</", "<v", "<c", "<i", "<b", "<font", "{\\"].iter().any(|t| speech.contains(t));
                    assert!(!speech.is_empty() && !tag && !speech.contains("-->"), "{name}: {speech:?}");
                }
            }
            (Refused(fragment), Err(e)) => assert!(e.to_string().contains(fragment), "{name}: {e}"),
            (Turns(..), Err(e)) => panic!("{name}: refused: {e}"),
            (Refused(_), Ok(import)) => panic!("{name}: imported {} turns", import.transcript.turns.len()),
        }
    }
}

fn read(dir: &Path, name: &str) -> thema_ingest::Transcript {
    parse(&std::fs::read(dir.join(name)).unwrap(), name, &Options::default()).unwrap().transcript
}

fn texts(t: &thema_ingest::Transcript) -> Vec<(Option<String>, String)> {
    t.turn_texts().into_iter().map(|(speaker, speech)| (speaker.map(str::to_owned), speech.to_owned())).collect()
}

#[test]
fn teams_voices_and_unpadded_times() {
    let Some(dir) = fixtures() else { return };
    let t = read(&dir, "non_padded_timestamps.vtt");
    assert_eq!(
        texts(&t),
        [
            (Some("Jane Doe".into()), "Good morning everyone.".into()),
            (Some("John Smith".into()), "Morning, let's get started.".into()),
            (Some("Jane Doe".into()), "Thanks for joining.".into()),
        ]
    );
    let times: Vec<_> = t.turns.iter().map(|x| (x.time_start, x.time_end)).collect();
    assert_eq!(
        times,
        [
            (Some(Timestamp(0)), Some(Timestamp(3_540))),
            (Some(Timestamp(3_540)), Some(Timestamp(7_230))),
            (Some(Timestamp(65_200)), Some(Timestamp(3_727_950))),
        ]
    );
}

#[test]
fn regions_styles_and_entities() {
    let Some(dir) = fixtures() else { return };
    let t = read(&dir, "regions.vtt");
    assert_eq!(
        texts(&t),
        [(Some("Fred".into()), "Hi, my name is Fred".into()), (Some("Bill".into()), "Hi, I’m Bill".into())]
    );
    let t = read(&dir, "styles_colours.srt");
    assert_eq!(texts(&t)[2].1, "Some italic and normal coloured text. By the way, 2 < 3 !");
    let t = read(&dir, "styles_colours.vtt");
    assert_eq!(texts(&t)[2].1, "Some italic and normal coloured text. By the way, 2 < 3 !");
    let t = read(&dir, "captions_with_bom.vtt");
    assert_eq!(texts(&t)[0].1, "Caption text #1");
    let t = read(&dir, "missing_timeframe.srt");
    // The cue with no timing keeps its text, without its cue number.
    assert_eq!(texts(&t)[1], (None, "Caption text #2".into()));
    assert_eq!(t.turns[1].time_start, None);
}
