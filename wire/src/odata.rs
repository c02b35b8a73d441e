//! Shapes of balena's OData (`/v7/...`) resources (contract section 1.3).
use serde::{Deserialize, Serialize};

/// Every `GET /v7/<resource>` answers `{"d": [...]}`, also for a single id (empty when the id
/// is missing or not visible).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ODataList<T> {
    pub d: Vec<T>,
}

/// A foreign key as pine serializes it: `{"__id": 123}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    #[serde(rename = "__id")]
    pub id: i64,
}

/// A navigation property: `{"__id": N}` when not expanded, an array when `$expand`ed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Nav<T> {
    Expanded(Vec<T>),
    Id(ForeignKey),
}

impl<T> Nav<T> {
    /// The expanded row, if the navigation was expanded and not empty.
    pub fn first(&self) -> Option<&T> {
        match self {
            Nav::Expanded(rows) => rows.first(),
            Nav::Id(_) => None,
        }
    }
}
