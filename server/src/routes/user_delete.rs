//! `DELETE /v7/user(<id>)` (contract §8, OBA's restrict-user-deletion): the caller's own
//! numeric id, a session JWT with fresh authentication; everything the user owns goes in
//! one transaction.
use axum::http::StatusCode;
use wire::ErrorCode;

use crate::account_deletion::{self, PersonalOrg};
use crate::auth::{session, Session};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::ratelimit;
use crate::state::AppState;
use crate::two_factor;

/// Takes a session: API keys cannot delete accounts (they cannot even manage keys).
pub async fn delete(
    state: &AppState,
    session: &Session,
    key: Option<i64>,
) -> AppResult<StatusCode> {
    let Some(user_id) = key else {
        return Err(AppError::bad_request("You must provide user ID"));
    };
    if user_id != session.user_id {
        return Err(AppError::bad_request(
            "You can only delete your own account",
        ));
    }
    session::ensure_fresh(session, state.now_ms())?;

    let mut tx = db::begin_write(&state.db).await?;
    if let Some(name) = account_deletion::stranded_organization(&mut tx, user_id).await? {
        return Err(AppError::conflict(format!(
            "You are the only administrator of {name}, which has other members. \
             Make someone else an administrator first."
        ))
        .with_code(ErrorCode::LastAdministrator));
    }
    let Some((actor_id, username)) = account_deletion::identity(&mut tx, user_id).await? else {
        return Err(AppError::Unauthorized);
    };
    match account_deletion::personal_org(&mut tx, user_id, &username).await? {
        PersonalOrg::Alone(id) => account_deletion::delete_organization(&mut tx, id).await?,
        PersonalOrg::Shared(name) => {
            return Err(AppError::conflict(format!(
                "The organization {name} has other members. Leave it, or remove its other \
                 members, before deleting your account."
            ))
            .with_code(ErrorCode::OrganizationHasMembers));
        }
        PersonalOrg::NotTheirs => {}
    }
    account_deletion::delete_user(&mut tx, user_id, actor_id).await?;
    // SQLite may hand a deleted id to the next account: its counters must not carry over.
    for key in [
        ratelimit::login_user_key(user_id),
        two_factor::rate_limit_key(user_id),
    ] {
        ratelimit::clear(&mut *tx, &key).await?;
    }
    tx.commit().await?;
    tracing::info!(user_id, "account deleted");
    Ok(StatusCode::OK)
}
