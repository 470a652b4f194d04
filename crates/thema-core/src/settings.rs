//! Study settings: `thema.toml`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the study format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// `thema.toml`: what the study is and how its attributes are typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Version of the study format.
    pub format: u32,
    /// Name of the study.
    pub name: String,
    /// What the study is about.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Notes on the method (approach, coding procedure), for the report.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub methodology: String,
    /// Coder used when a command is not told one (`--coder` and `THEMA_CODER` come first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_coder: Option<String>,
    /// How published quotes are attributed: a preset (`pseudonym-role`, `id`,
    /// `participant-number`, `role`, `none`) or a template such as `-{pseudonym}, {role}, wave
    /// {wave}` (see `docs/attribution.md`); unset is `pseudonym-role`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// Whose codings analyses count when a command is not given `--coders` (see
    /// [`crate::coders::CoderSet`]); empty: the newest derived set, else every primary coder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub analysis_coders: Vec<String>,
    /// Types of the participant attribute columns of `participants.csv`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub participant_attributes: BTreeMap<String, AttributeType>,
    /// Types of document attributes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub document_attributes: BTreeMap<String, AttributeType>,
    /// Derived coders (`[coders.team]`): sets made from other coders' codings by
    /// `thema merge-coders`. A coder not listed here is primary (a person).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub coders: BTreeMap<String, DerivedCoder>,
    /// The team's saturation settings (`[saturation]`), used by `thema saturation` and
    /// `thema report`; flags given on the command line come first.
    #[serde(default, skip_serializing_if = "SaturationSettings::is_empty")]
    pub saturation: SaturationSettings,
}

/// A derived coder: a set of codings made from other coders' codings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DerivedCoder {
    /// The coders it was made from.
    pub sources: Vec<String>,
    /// How: `consensus` (`thema merge-coders`, every segment kept) or `agreed` (`--agreed-only`).
    #[serde(default)]
    pub method: String,
    /// When it was made, RFC 3339 in UTC; the newest derived set is the default for analyses.
    #[serde(default)]
    pub created: String,
}

/// Saturation settings of `thema.toml`, the knobs of `thema saturation`; unset ones take the
/// command's defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SaturationSettings {
    /// Order of the documents: `import`, `date`, or ids separated by commas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// Documents in the base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<usize>,
    /// Documents in a run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<usize>,
    /// New information at or below which saturation is reached: `"5%"`, `"0.05"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
    /// Only documents of these kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<String>,
}

impl SaturationSettings {
    /// True when nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == SaturationSettings::default()
    }
}

impl Settings {
    /// Settings for a new study.
    pub fn new(name: &str) -> Settings {
        Settings {
            format: FORMAT_VERSION,
            name: name.to_owned(),
            description: String::new(),
            methodology: String::new(),
            default_coder: None,
            attribution: None,
            participant_attributes: BTreeMap::new(),
            document_attributes: BTreeMap::new(),
            analysis_coders: Vec::new(),
            coders: BTreeMap::new(),
            saturation: SaturationSettings::default(),
        }
    }
}

/// The type of an attribute, which decides how tables summarise it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AttributeType {
    /// Free text.
    Text,
    /// One of a few values (gender, region): counted and given as percentages.
    Category,
    /// A number (age, years worked): mean, standard deviation, median, range.
    Number,
    /// `true`/`false` (also `yes`/`no`, `1`/`0`).
    Boolean,
    /// `YYYY-MM-DD`.
    Date,
}

impl AttributeType {
    /// How a value of this type is described in messages.
    pub fn describe(self) -> &'static str {
        match self {
            AttributeType::Text => "text",
            AttributeType::Category => "category",
            AttributeType::Number => "number",
            AttributeType::Boolean => "yes/no value",
            AttributeType::Date => "date like 2024-01-31",
        }
    }

    /// The narrowest type that fits every value: number, boolean, date, else category when few
    /// distinct values repeat, else text.
    pub fn infer<'a>(values: impl IntoIterator<Item = &'a str>) -> AttributeType {
        let values: Vec<&str> = values.into_iter().filter(|v| !v.trim().is_empty()).collect();
        if values.is_empty() {
            return AttributeType::Text;
        }
        for kind in [AttributeType::Number, AttributeType::Date, AttributeType::Boolean] {
            if values.iter().all(|v| check_value(kind, v).is_ok()) {
                return kind;
            }
        }
        let mut distinct = values.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() <= 20 && distinct.len() < values.len() {
            AttributeType::Category
        } else {
            AttributeType::Text
        }
    }
}

/// Check a value against its declared type; the message says what was expected.
pub fn check_value(kind: AttributeType, value: &str) -> Result<(), String> {
    let ok = match kind {
        AttributeType::Text | AttributeType::Category => true,
        AttributeType::Number => value.parse::<f64>().is_ok_and(f64::is_finite),
        AttributeType::Boolean => {
            matches!(value.to_ascii_lowercase().as_str(), "true" | "false" | "yes" | "no" | "1" | "0")
        }
        AttributeType::Date => crate::document::is_valid_date(value),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("`{value}` is not a {}", kind.describe()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_types() {
        assert_eq!(AttributeType::infer(["24", "", "67"]), AttributeType::Number);
        assert_eq!(AttributeType::infer(["f", "m", "m", "f"]), AttributeType::Category);
        assert_eq!(AttributeType::infer(["golf", "gardening", "shopping"]), AttributeType::Text);
        assert_eq!(AttributeType::infer(["2021-01-02"]), AttributeType::Date);
        assert_eq!(AttributeType::infer(["yes", "no", "no"]), AttributeType::Boolean);
    }

    #[test]
    fn round_trips_through_toml() {
        let mut s = Settings::new("Peer work");
        s.participant_attributes.insert("age".into(), AttributeType::Number);
        let text = toml::to_string(&s).unwrap();
        assert!(text.contains("[participant_attributes]\nage = \"number\""), "{text}");
        assert_eq!(toml::from_str::<Settings>(&text).unwrap(), s);
    }
}
