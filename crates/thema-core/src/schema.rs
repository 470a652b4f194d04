//! JSON Schemas of the study files, generated from the types that read and write them, so that
//! other tools can read a thema study. The checked-in copies live in `corpus-schema/` at the
//! repository root; a test fails when they drift from the types (run the tests with
//! `THEMA_UPDATE_SCHEMAS=1` to rewrite them).

use schemars::{schema_for, Schema};

use crate::codebook::Codebook;
use crate::coding::Coding;
use crate::document::{DocumentMeta, Speaker, TurnRecord};
use crate::participant::Participant;
use crate::settings::Settings;
use crate::study::Decision;

/// Every schema: file name in `corpus-schema/`, and the schema.
pub fn all() -> Vec<(&'static str, Schema)> {
    let mut schemas = vec![
        ("settings.schema.json", "thema.toml", schema_for!(Settings)),
        ("participant.schema.json", "one row of participants.csv", schema_for!(Participant)),
        ("document.schema.json", "documents/<id>/document.toml", schema_for!(DocumentMeta)),
        ("turn.schema.json", "one row of documents/<id>/turns.csv", schema_for!(TurnRecord)),
        ("speaker.schema.json", "one row of documents/<id>/speakers.csv", schema_for!(Speaker)),
        ("codebook.schema.json", "codebook.toml", schema_for!(Codebook)),
        ("coding.schema.json", "one line of codings/<coder>.jsonl", schema_for!(Coding)),
        ("decision.schema.json", "one line of decisions.jsonl", schema_for!(Decision)),
        ("memo.schema.json", "the +++ header of memos/<id>.md", schema_for!(crate::memo::MemoHeader)),
        (
            "review-comments.schema.json",
            "a comments file saved by the review page",
            schema_for!(crate::review::CommentsFile),
        ),
    ];
    for (name, file, schema) in &mut schemas {
        schema.insert("$id".into(), format!("https://thema.invalid/corpus-schema/{name}").into());
        let title = schema.get("title").and_then(|t| t.as_str()).unwrap_or("").to_owned();
        schema.insert("title".into(), format!("{title} ({file})").into());
    }
    schemas.into_iter().map(|(name, _, schema)| (name, schema)).collect()
}

/// A schema as the bytes written to `corpus-schema/`.
pub fn to_file_text(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn checked_in_schemas_match_the_types() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus-schema");
        let update = std::env::var_os("THEMA_UPDATE_SCHEMAS").is_some();
        let mut stale = Vec::new();
        for (name, schema) in all() {
            let path = dir.join(name);
            let expected = to_file_text(&schema);
            if update {
                std::fs::write(&path, &expected).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(expected.as_str()) {
                stale.push(name);
            }
        }
        assert!(
            stale.is_empty(),
            "corpus-schema is out of date for {stale:?}: run `THEMA_UPDATE_SCHEMAS=1 cargo test -p thema-core schema`"
        );
    }

    #[test]
    fn schemas_describe_real_files() {
        // The schema of `document.toml` requires the fields every document has.
        let schemas = all();
        let document = &schemas.iter().find(|(n, _)| *n == "document.schema.json").unwrap().1;
        let required = document.get("required").unwrap().as_array().unwrap();
        for field in ["id", "title", "kind", "sequence"] {
            assert!(required.iter().any(|r| r == field), "{field}");
        }
        assert!(document.get("properties").unwrap().get("speakers").is_none());
    }
}
