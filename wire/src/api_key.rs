//! API keys (contract sections 6 and 12).
use serde::{Deserialize, Serialize};

use crate::ForeignKey;

/// `POST /api-key/user/full`; answered with the new key as a JSON string, shown once.
/// Note balena's camelCase `expiryDate` here, where the resource uses `expiry_date`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateApiKeyRequest {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// ISO 8601; `null` or absent: the key never expires.
    #[serde(rename = "expiryDate", default)]
    pub expiry_date: Option<String>,
}

/// A row of `GET /v7/api_key`. The secret is never part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyRow {
    pub id: i64,
    pub created_at: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub expiry_date: Option<String>,
    /// The owning actor (balena's `is_of__actor`).
    #[serde(rename = "is_of__actor")]
    pub is_of_actor: ForeignKey,
    /// Our addition (balena's clients ignore unknown fields): when the key last authenticated a
    /// request, recorded at most once a minute per key.
    #[serde(default)]
    pub last_used_at: Option<String>,
}

/// `PATCH /v7/api_key(<id>)`: absent fields are left alone; `null` clears `description` or
/// `expiry_date` (a past `expiry_date` expires the key at once).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::double_option"
    )]
    pub description: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::double_option"
    )]
    pub expiry_date: Option<Option<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_tells_absent_from_null() {
        let clear: ApiKeyPatch = serde_json::from_str(r#"{"expiry_date": null}"#).unwrap();
        assert_eq!(clear.expiry_date, Some(None));
        assert_eq!(clear.description, None);
        let rename = ApiKeyPatch {
            name: Some("ci".into()),
            ..Default::default()
        };
        assert_eq!(serde_json::to_string(&rename).unwrap(), r#"{"name":"ci"}"#);
        let cleared = ApiKeyPatch {
            expiry_date: Some(None),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&cleared).unwrap(),
            r#"{"expiry_date":null}"#
        );
    }

    #[test]
    fn create_uses_camel_case_expiry() {
        let r = CreateApiKeyRequest {
            name: "k".into(),
            description: None,
            expiry_date: None,
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"name":"k","expiryDate":null}"#
        );
    }
}
