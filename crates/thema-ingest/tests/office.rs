//! DOCX and ODT through the public API: real files from QualCoder's examples, generated files
//! with speaker labels and tables, and archives built to attack the reader.

use std::io::{Cursor, Write};
use std::path::Path;

use thema_ingest::{parse, IngestError, Limits, Options};
use zip::write::SimpleFileOptions;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn docx(body: &str) -> Vec<u8> {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", xml.as_bytes())])
}

fn paragraph(runs: &[(&str, bool)]) -> String {
    let runs: String = runs
        .iter()
        .map(|(text, bold)| {
            let props = if *bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
            format!(r#"<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>"#)
        })
        .collect();
    format!("<w:p>{runs}</w:p>")
}

fn turns(t: &thema_ingest::Transcript) -> Vec<(Option<String>, String)> {
    t.turn_texts().into_iter().map(|(speaker, speech)| (speaker.map(str::to_owned), speech.to_owned())).collect()
}

#[test]
fn bold_speaker_runs_make_turns() {
    let body = [
        paragraph(&[("Interviewer:", true), (" What keeps you going?", false)]),
        paragraph(&[("Yelena:", true), (" I know what it’s like.", false)]),
        paragraph(&[("I dug myself up from the street.", false)]),
        paragraph(&[("Interviewer:", true), (" Thank you &amp; goodbye.", false)]),
    ]
    .concat();
    let import = parse(&docx(&body), "int5.docx", &Options::default()).unwrap();
    assert_eq!(import.encoding, "utf-8");
    assert_eq!(
        turns(&import.transcript),
        [
            (Some("Interviewer".into()), "What keeps you going?".into()),
            (Some("Yelena".into()), "I know what it’s like.\n\nI dug myself up from the street.".into()),
            (Some("Interviewer".into()), "Thank you & goodbye.".into()),
        ]
    );
}

#[test]
fn qualcoder_docx_and_odt_match_an_independent_extraction() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/qualcoder-examples");
    if !dir.is_dir() {
        thema_testkit::skip(format_args!("{} is missing", dir.display()));
        return;
    }
    // Paragraphs as Python's zipfile + ElementTree read them (text of w:t per w:p; text:p with
    // white space folded), blank paragraphs left out.
    let expected_docx = [
        "I really like learning new things. I think this course is good for me as I have wanted to learn about world history for a while. The structured content, lecture slides and web links have been really good.",
        "I guess some less computer-savvy people would have some trouble accessing the internet-based material, but its like a duck to water for me - no problem at all.",
        "I also like the other students in the course. I get the feeling most are doing well but also one or two are having some problems with the lectures. I guess there's so much to learn and remember and there is a lot of self-directed learning. I'm happy to pay €200.",
    ];
    let expected_odt = [
        "I have not studied much before, but my father Joe Bloggs really encouraged me to study again. I know that I must get help as I have struggled understanding the lecture slides so far and searching the web did not help.",
        "I really want someone to sit down with me and explain the course material.",
        "The course cost €200.00 and I do not want to waste my money.",
    ];
    for (file, expected) in [("ID1.docx", &expected_docx), ("ID2.odt", &expected_odt)] {
        let import = thema_ingest::read_file(&dir.join(file), &Options::default()).unwrap();
        let got: Vec<String> = turns(&import.transcript).into_iter().map(|(_, s)| s).collect();
        assert_eq!(got, *expected, "{file}");
        assert!(import.transcript.turns.iter().all(|t| t.speaker.is_none()));
    }
}

#[test]
fn not_a_zip_is_named() {
    let cases: [(&[u8], &str); 4] = [
        (b"Interviewer: plain text", "the file is not a DOCX: it is not a zip archive"),
        (b"{\\rtf1\\ansi hello}", "it is an RTF file"),
        (&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "old binary Word .doc file"),
        (b"PK\x03\x04garbage", "damaged zip archive"),
    ];
    for (bytes, fragment) in cases {
        let e = parse(bytes, "x.docx", &Options::default()).unwrap_err();
        assert!(matches!(e, IngestError::Archive(_)), "{e}");
        assert!(e.to_string().contains(fragment), "{e}");
    }
    let e = parse(&zip_of(&[("hello.txt", b"hi")]), "x.docx", &Options::default()).unwrap_err();
    assert_eq!(e.to_string(), "the file is not a DOCX: it has no `word/document.xml`");
    let e = parse(
        &zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")]),
        "x.odt",
        &Options::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("its mimetype is `application/vnd.oasis.opendocument.spreadsheet`"), "{e}");
}

/// The error message of a refused file (without printing a huge transcript on failure).
fn refusal(bytes: &[u8], name: &str, options: &Options) -> String {
    match parse(bytes, name, options) {
        Ok(import) => panic!("{name}: imported {} turns", import.transcript.turns.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn zip_bombs_are_refused() {
    // One paragraph of 16 MB of the same letter inflates from about 16 KB (ratio ~1000:1).
    let bomb = docx(&paragraph(&[(&"a".repeat(16 << 20), false)]));
    assert!(bomb.len() < 100_000, "{}", bomb.len());
    let tight = Options {
        limits: Limits { max_entry_bytes: 4 << 20, max_ratio: 1_000_000, ..Limits::default() },
        ..Options::default()
    };
    let e = refusal(&bomb, "bomb.docx", &tight);
    assert!(e.contains("inflates to more than 4 MB"), "{e}");
    // With the default limits the size is fine but the ratio is not.
    let e = refusal(&bomb, "bomb.docx", &Options::default());
    assert!(e.contains("inflates more than 250 times its compressed size"), "{e}");
    // A real transcript compresses far less and imports.
    let para =
        paragraph(&[("Interviewer: ", true), ("how was your week, and what did you do after the release?", false)]);
    let normal = docx(&para.repeat(20_000));
    assert_eq!(parse(&normal, "ok.docx", &Options::default()).unwrap().transcript.turns.len(), 20_000);
}

#[test]
fn hostile_entry_names_and_counts() {
    let xml = br#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>R: fine</w:t></w:r></w:p></w:body></w:document>"#;
    let archive = zip_of(&[("../../evil.sh", b"rm -rf /"), ("/etc/passwd", b"x"), ("word/document.xml", xml)]);
    let import = parse(&archive, "x.docx", &Options::default()).unwrap();
    assert_eq!(turns(&import.transcript), [(Some("R".into()), "fine".into())]);
    let names: Vec<String> = (0..10_001).map(|i| format!("f{i}")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let e = refusal(&zip_of(&entries), "x.docx", &Options::default());
    assert!(e.contains("more than the 10000 thema accepts"), "{e}");
}

#[test]
fn billion_laughs_is_refused() {
    let xml = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"#;
    let e = refusal(&zip_of(&[("word/document.xml", xml.as_bytes())]), "x.docx", &Options::default());
    assert!(e.contains("declares a document type"), "{e}");
}
