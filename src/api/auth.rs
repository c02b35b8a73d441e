//! Session endpoints: login, sign-up, refresh, logout (contract §2–3). The token endpoints
//! answer `text/plain` with the bare JWT.
use super::{ApiError, Auth, Client};
use crate::state::session::{Notice, Session};
use leptos::task::spawn_local;
use wire::{paths, LoginRequest, RefreshRequest, RegisterRequest};

pub async fn login(client: &Client, request: &LoginRequest) -> Result<String, ApiError> {
    client
        .post(paths::LOGIN, request, Auth::Anonymous)
        .await?
        .token()
}

/// `201` with the new account's first session token.
pub async fn register(client: &Client, request: &RegisterRequest) -> Result<String, ApiError> {
    client
        .post(paths::REGISTER, request, Auth::Anonymous)
        .await?
        .token()
}

/// A new token for the same session (keeps `authTime`). Takes the token explicitly: it is
/// called from inside the helper's own refresh check, which must not recurse.
pub async fn refresh(client: &Client, token: &str) -> Result<String, ApiError> {
    client
        .get(paths::REFRESH_TOKEN, Auth::Token(token.to_string()))
        .await?
        .token()
}

/// Revokes the session server-side. Takes the token because the caller clears the local
/// session at once, without waiting for this request.
pub async fn logout(client: &Client, token: String) -> Result<(), ApiError> {
    client
        .post_empty(paths::LOGOUT, Auth::Token(token))
        .await
        .map(drop)
}

/// Logs out at once: the local session ends now, and the server revokes the token in the
/// background. A failed revocation must not keep anyone signed in here, so it is ignored.
pub fn log_out(client: &Client, session: Session) {
    // The token is taken first: the local session is cleared before the request runs.
    if let Some(token) = session.token_untracked() {
        let client = client.clone();
        spawn_local(async move {
            let _ = logout(&client, token).await;
        });
    }
    session.end(Notice::LoggedOut);
}

/// Renews the session with the password (`POST /user/v1/refresh-token {"password"}`): the new
/// token has `authTime = now`, which fresh-authentication actions need (contract §2.2). Takes
/// the token explicitly, so a wrong password (401) does not end the session.
pub async fn confirm_password(
    client: &Client,
    token: &str,
    password: &str,
) -> Result<String, ApiError> {
    let body = RefreshRequest {
        password: Some(password.to_string()),
    };
    client
        .post(paths::REFRESH_TOKEN, &body, Auth::Token(token.to_string()))
        .await?
        .token()
}
