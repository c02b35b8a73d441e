//! Sign-up, login, session tokens and identity (contract sections 2, 3 and 5).
use serde::{Deserialize, Serialize};

/// `POST /user/register`. balena sends `{email, password}`; `username` is our optional
/// addition (when absent the server derives one from the email).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// `POST /login_`. `username` may also be an email address (looked up as email when it
/// contains `@`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// `POST /user/v1/refresh-token`. A correct `password` renews `authTime` (fresh
/// authentication); without it the new token keeps the old `authTime`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// Claims of a session JWT: exactly balena's set (`id, jwt_secret, authTime, iat, exp`, plus
/// `twoFactorRequired` for 2FA users). Clients decode them only for UI hints (expiry, 2FA
/// state); the server is the only judge of validity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// The user's id (not the actor id).
    pub id: i64,
    /// Identifies the server-side session; revoking the session makes the token useless.
    pub jwt_secret: String,
    /// Milliseconds since the epoch of the last password authentication.
    #[serde(rename = "authTime")]
    pub auth_time: i64,
    /// Absent: no 2FA. `true`: the TOTP challenge is pending (partial token). `false`: passed.
    #[serde(
        rename = "twoFactorRequired",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub two_factor_required: Option<bool>,
    /// Seconds since the epoch.
    pub iat: i64,
    /// Seconds since the epoch.
    pub exp: i64,
}

/// `GET /user/v1/whoami`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserWhoami {
    pub id: i64,
    pub username: String,
    pub email: Option<String>,
}

/// `actorType` of `GET /actor/v1/whoami`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorType {
    User,
    Application,
    Device,
}

/// `GET /actor/v1/whoami`: `id` is the actor id, `actorTypeId` the user/application/device id.
/// Only the fields of the actor's kind are present (username+email, slug, or uuid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorWhoami {
    pub id: i64,
    #[serde(rename = "actorType")]
    pub actor_type: ActorType,
    #[serde(rename = "actorTypeId")]
    pub actor_type_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Serialized for users even when null (balena sends `"email": null`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::double_option"
    )]
    pub email: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
}

/// `GET /config`: public facts the console needs before anyone signs in (our endpoint).
/// Absent fields read as their defaults, so the console also reads another server's `/config`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PublicConfig {
    /// Configured social sign-in providers, e.g. `["github", "google"]`.
    pub providers: Vec<String>,
    /// The same providers with the names their buttons show (our addition).
    #[serde(rename = "signInProviders")]
    pub sign_in_providers: Vec<crate::SignInProvider>,
    #[serde(rename = "passwordMinLength")]
    pub password_min_length: usize,
    #[serde(rename = "passwordMaxLength")]
    pub password_max_length: usize,
}

impl Default for PublicConfig {
    fn default() -> Self {
        PublicConfig {
            providers: Vec::new(),
            sign_in_providers: Vec::new(),
            password_min_length: crate::validate::PASSWORD_MIN_CHARS,
            password_max_length: crate::validate::PASSWORD_MAX_CHARS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_use_balena_names_and_omit_absent_2fa() {
        let c = SessionClaims {
            id: 2,
            jwt_secret: "S".into(),
            auth_time: 1_700_000_000_000,
            two_factor_required: None,
            iat: 1_700_000_000,
            exp: 1_700_604_800,
        };
        let v = serde_json::to_value(&c).unwrap();
        let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["authTime", "exp", "iat", "id", "jwt_secret"]);
    }

    #[test]
    fn user_actor_whoami_keeps_null_email() {
        let w = ActorWhoami {
            id: 10,
            actor_type: ActorType::User,
            actor_type_id: 2,
            username: Some("bob".into()),
            email: Some(None),
            slug: None,
            uuid: None,
        };
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            r#"{"id":10,"actorType":"user","actorTypeId":2,"username":"bob","email":null}"#
        );
        let back: ActorWhoami = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
        assert_eq!(back, w);
    }
}
