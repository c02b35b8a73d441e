//! Account endpoints (contract section 12): password reset, setting or changing the password,
//! email verification, the social sign-in providers, and deleting the account. Also the
//! helpers for the URL fragments those flows carry (`#token=`, `#error=`).
use super::odata::Query;
use super::{ApiError, Auth, Client};
use serde::Deserialize;
use wire::account::{RequestVerificationEmail, VerifyEmailRequest};
use wire::{paths, ErrorCode, PublicConfig};
use wire::{PasswordResetConfirm, PasswordResetRequest, SetPasswordRequest, SignInProvider};

/// Asks for a reset link. Always 200, whether or not the address has an account.
pub async fn request_password_reset(client: &Client, email: &str) -> Result<(), ApiError> {
    let body = PasswordResetRequest {
        email: email.to_string(),
    };
    client
        .post(paths::PASSWORD_RESET, &body, Auth::Anonymous)
        .await
        .map(drop)
}

/// Sets a new password with the token of an emailed link, revoking every API key of the
/// account when `revoke_api_keys`. Does not sign in.
pub async fn confirm_password_reset(
    client: &Client,
    token: &str,
    password: &str,
    revoke_api_keys: bool,
) -> Result<(), ApiError> {
    let body = PasswordResetConfirm {
        token: token.to_string(),
        password: password.to_string(),
        revoke_api_keys,
    };
    client
        .post(paths::PASSWORD_RESET_CONFIRM, &body, Auth::Anonymous)
        .await
        .map(drop)
}

/// Whether the server refused a reset because of the link (not the password).
pub fn is_invalid_reset_link(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Status {
            code: Some(ErrorCode::InvalidResetLink),
            ..
        }
    )
}

/// Whether the server refused a verification because of the link: our code, or balena's
/// plain 400 (balenaCloud sends no code).
pub fn is_invalid_verification_link(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Status {
            code: Some(ErrorCode::InvalidVerificationLink),
            ..
        } | ApiError::Status {
            status: 400,
            code: None,
            ..
        }
    )
}

/// Sets a first password (`current` = `None`) or changes it. Answers the new session token,
/// which replaces the current one (the server ends every other session).
pub async fn set_password(
    client: &Client,
    password: &str,
    current: Option<&str>,
) -> Result<String, ApiError> {
    let body = SetPasswordRequest {
        password: password.to_string(),
        current_password: current.map(str::to_string),
    };
    client
        .post(paths::PASSWORD, &body, Auth::Session)
        .await?
        .token()
}

#[derive(Deserialize)]
struct HasPasswordRow {
    has_password_set: bool,
}

#[derive(Deserialize)]
struct VerifiedRow {
    is_verified: bool,
}

/// One field of the user's own row; an answer without the row is invalid.
async fn own_row<T: serde::de::DeserializeOwned>(
    client: &Client,
    user_id: i64,
    field: &str,
) -> Result<T, ApiError> {
    let query = Query::new("user").key(user_id).with(|o| o.select(&[field]));
    client
        .one(&query)
        .await?
        .ok_or_else(|| ApiError::InvalidResponse("no user in the answer".into()))
}

/// `has_password_set` of the user's own profile (false after a social sign-in).
pub async fn has_password_set(client: &Client, user_id: i64) -> Result<bool, ApiError> {
    let row: HasPasswordRow = own_row(client, user_id, "has_password_set").await?;
    Ok(row.has_password_set)
}

/// `is_verified` of the user's own row (`user_profile.is_verified` on balenaCloud, which has
/// no such field on `user`: the caller treats an error as "unknown" and shows nothing).
pub async fn is_verified(client: &Client, user_id: i64) -> Result<bool, ApiError> {
    let row: VerifiedRow = own_row(client, user_id, "is_verified").await?;
    Ok(row.is_verified)
}

/// balena's `auth.requestVerificationEmail()`: a new verification mail.
pub async fn request_verification_email(client: &Client, user_id: i64) -> Result<(), ApiError> {
    let body = RequestVerificationEmail {
        has_been_sent_verification_email: true,
    };
    client
        .patch(&Query::new("user").key(user_id).path(), &body)
        .await
}

/// balena's `auth.verifyEmail`: verifies the address with the mailed token. The session token
/// the contract answers is ended at once: the console never signs in from a link, which
/// would let anyone's link sign a visitor into someone else's account.
pub async fn verify_email(client: &Client, token: &str, email: &str) -> Result<(), ApiError> {
    let body = VerifyEmailRequest {
        verification_token: token.to_string(),
        email: email.to_string(),
    };
    let session_token = client
        .post(paths::VERIFY_EMAIL, &body, Auth::Anonymous)
        .await?
        .token()?;
    // Best effort: balenaCloud has no logout endpoint, and an unused token expires anyway.
    let _ = super::auth::logout(client, session_token).await;
    Ok(())
}

/// Deletes the signed-in user's account (needs fresh authentication).
pub async fn delete_user(client: &Client, user_id: i64) -> Result<(), ApiError> {
    client.delete(&Query::new("user").key(user_id).path()).await
}

/// The configured social sign-in providers (`GET /config`); empty when none.
pub async fn sign_in_providers(client: &Client) -> Result<Vec<SignInProvider>, ApiError> {
    let reply = client.get(paths::CONFIG, Auth::Anonymous).await?;
    Ok(reply.json::<PublicConfig>()?.sign_in_providers)
}

/// The value of `key` in a URL fragment such as `#token=abc&x=1` (percent-decoded, `+` as a
/// space). `None` when absent or empty.
pub fn fragment_param(hash: &str, key: &str) -> Option<String> {
    hash.trim_start_matches('#')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| percent_decode(v))
        .filter(|v| !v.is_empty())
}

/// `%XX` decoding (invalid sequences kept as they are) with `+` read as a space.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads the current URL fragment and removes it from the address bar (and the history
/// entry), so a token never lingers where it can be copied, bookmarked or leaked. Returns
/// the fragment as it was (`""` when there was none).
pub fn take_fragment() -> String {
    let window = leptos::prelude::window();
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    if !hash.is_empty() {
        let path = location.pathname().unwrap_or_default();
        let search = location.search().unwrap_or_default();
        if let Ok(history) = window.history() {
            let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
            let _ = history.replace_state_with_url(&state, "", Some(&format!("{path}{search}")));
        }
    }
    hash
}
