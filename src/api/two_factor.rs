//! Two-factor authentication (contract §4, §12). Setup answers the `otpauth://` URI as text;
//! verify and disable answer a new session JWT as text.
//!
//! Verify and disable send an explicit token (`Auth::Token`): there a 401 means a wrong code or
//! password, which must not end the session the way a 401 elsewhere does.
use super::{ApiError, Auth, Client};
use wire::{paths, PasswordRequest, RecoveryCodes, RecoveryCodesRemaining, TotpCodeRequest};

/// A new pending secret, as an `otpauth://totp/...` URI (needs fresh authentication).
pub async fn setup(client: &Client) -> Result<String, ApiError> {
    let reply = client.get(paths::TOTP_SETUP, Auth::Session).await?;
    let uri = reply.body.trim().to_string();
    if uri.starts_with("otpauth://totp/") {
        Ok(uri)
    } else {
        Err(ApiError::InvalidResponse(
            "no otpauth URI in the answer".into(),
        ))
    }
}

/// Sends a code with `token`: enables 2FA after setup, or passes the login challenge with a
/// partial token (there a recovery code works too). Answers the new session token.
pub async fn verify(client: &Client, token: String, code: &str) -> Result<String, ApiError> {
    client
        .post(
            paths::TOTP_VERIFY,
            &TotpCodeRequest {
                code: code.to_string(),
            },
            Auth::Token(token),
        )
        .await?
        .token()
}

/// Turns 2FA off (the password is checked); answers the new session token.
pub async fn disable(client: &Client, token: String, password: &str) -> Result<String, ApiError> {
    client
        .post(
            paths::TOTP_DISABLE,
            &PasswordRequest {
                password: password.to_string(),
            },
            Auth::Token(token),
        )
        .await?
        .token()
}

/// A new set of recovery codes; the old set stops working (needs fresh authentication).
pub async fn new_recovery_codes(client: &Client) -> Result<Vec<String>, ApiError> {
    let reply = client
        .post_empty(paths::TOTP_RECOVERY_CODES, Auth::Session)
        .await?;
    Ok(reply.json::<RecoveryCodes>()?.codes)
}

pub async fn remaining_recovery_codes(client: &Client) -> Result<u32, ApiError> {
    let reply = client
        .get(paths::TOTP_RECOVERY_CODES, Auth::Session)
        .await?;
    Ok(reply.json::<RecoveryCodesRemaining>()?.remaining)
}

/// The `secret` parameter of an `otpauth://` URI.
pub fn secret_of_uri(uri: &str) -> Option<String> {
    let query = uri.split_once('?')?.1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("secret="))
        .map(str::to_string)
        .filter(|s| !s.is_empty())
}

/// A secret for reading aloud or typing: blocks of four (`ABCD EFGH ...`).
pub fn group_in_fours(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a code input keeps of what was typed or pasted: digits only, at most six.
pub fn sanitize_totp_input(input: &str) -> String {
    input.chars().filter(char::is_ascii_digit).take(6).collect()
}
