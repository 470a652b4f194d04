//! The codebook (`codebook.toml`): codes, categories, sub-themes and themes as a flat list with
//! parent ids, so that diffs stay small and merges rarely conflict.
//!
//! This is the part of the codebook that the study format fixes now; the coding commands build on
//! it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `codebook.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    /// Entries, sorted by id when saved.
    #[serde(default, rename = "entry", skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<CodebookEntry>,
    /// Typed relations between entries.
    #[serde(default, rename = "relation", skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
}

/// Where an entry stands in the hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// A code applied to segments.
    Code,
    /// A group of codes.
    Category,
    /// A part of a theme.
    SubTheme,
    /// A theme.
    Theme,
}

/// A code, category, sub-theme or theme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodebookEntry {
    /// Stable id; codings refer to it.
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// Code, category, sub-theme or theme.
    pub kind: EntryKind,
    /// Id of the parent entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Definition.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Colour, `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// Named in the participant's own words.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_vivo: bool,
    /// Role of a theme (`central`, `foundation`, `outcome`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// A typed, directed relation between two entries (`foundation-of`, `leads-to`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// Source entry id.
    pub from: String,
    /// Target entry id.
    pub to: String,
    /// Label of the relation.
    pub label: String,
    /// Optional note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Codebook {
    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&CodebookEntry> {
        self.entries.iter().find(|e| e.id == id)
    }
}
