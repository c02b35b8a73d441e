//! Active sessions (ours, under `/user/v1/`): list, revoke one, revoke all others.
use super::{ApiError, Auth, Client};
use wire::{session_path, RevokedSessions, SessionRow, REVOKE_OTHER_SESSIONS_PATH, SESSIONS_PATH};

pub async fn list(client: &Client) -> Result<Vec<SessionRow>, ApiError> {
    client.get(SESSIONS_PATH, Auth::Session).await?.json()
}

/// Ends one of the user's other sessions: its next request is refused.
pub async fn revoke(client: &Client, id: i64) -> Result<(), ApiError> {
    client.delete(&session_path(id)).await
}

/// Ends every session but this one; answers how many ended.
pub async fn revoke_others(client: &Client) -> Result<u64, ApiError> {
    let reply = client
        .post_empty(REVOKE_OTHER_SESSIONS_PATH, Auth::Session)
        .await?;
    Ok(reply.json::<RevokedSessions>()?.revoked)
}
