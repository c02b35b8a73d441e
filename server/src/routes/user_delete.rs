//! `DELETE /v7/user(<id>)` (contract §8, OBA's restrict-user-deletion): the caller's own
//! numeric id, a session JWT with fresh authentication; everything the user owns goes in
//! one transaction.
use axum::http::StatusCode;

use wire::ErrorCode;

use crate::auth::{session, Caller};
use crate::db::{self, Tx};
use crate::error::{AppError, AppResult};
use crate::ratelimit;
use crate::state::AppState;
use crate::two_factor;

pub async fn delete(state: &AppState, caller: Caller, key: Option<i64>) -> AppResult<StatusCode> {
    // API keys cannot delete accounts (they cannot even manage keys).
    let session = caller.session()?;
    let Some(user_id) = key else {
        return Err(AppError::bad_request("You must provide user ID"));
    };
    if user_id != session.user_id {
        return Err(AppError::bad_request(
            "You can only delete your own account",
        ));
    }
    session::ensure_fresh(&session, state.now_ms())?;

    let mut tx = db::begin_write(&state.db).await?;
    // Leaving an organization without an administrator would strand its other members.
    let stranded: Option<String> = sqlx::query_scalar(
        "SELECT o.name FROM organizations o
         JOIN organization_memberships m ON m.organization_id = o.id
         JOIN organization_membership_roles r ON r.id = m.role_id
         WHERE m.user_id = $1 AND r.name = 'administrator'
           AND NOT EXISTS (
               SELECT 1 FROM organization_memberships m2
               JOIN organization_membership_roles r2 ON r2.id = m2.role_id
               WHERE m2.organization_id = o.id AND m2.user_id <> $1
                 AND r2.name = 'administrator')
           AND EXISTS (
               SELECT 1 FROM organization_memberships m3
               WHERE m3.organization_id = o.id AND m3.user_id <> $1)
         ORDER BY o.name LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(name) = stranded {
        return Err(AppError::conflict(format!(
            "You are the only administrator of {name}, which has other members. \
             Make someone else an administrator first."
        ))
        .with_code(ErrorCode::LastAdministrator));
    }
    let Some((actor_id, username)): Option<(i64, String)> =
        sqlx::query_as("SELECT actor_id, username FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?
    else {
        return Err(AppError::Unauthorized);
    };
    // The personal organization (handle = username) goes with the account only while it is
    // still the user's alone: its applications cascade from it, their devices, memberships,
    // tags and variables from them, and migration 0004's triggers delete the applications'
    // and devices' actors, whose API keys cascade in turn. Once others run it, it is theirs.
    match personal_org(&mut tx, user_id, &username).await? {
        PersonalOrg::Alone(id) => {
            sqlx::query("DELETE FROM organizations WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        PersonalOrg::Shared(name) => {
            return Err(AppError::conflict(format!(
                "The organization {name} has other members. Leave it, or remove its other \
                 members, before deleting your account."
            ))
            .with_code(ErrorCode::OrganizationHasMembers));
        }
        PersonalOrg::NotTheirs => {}
    }
    // Cascades: sessions, organization and application memberships, TOTP credential,
    // recovery codes, social identities, reset tokens.
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    // The user's API keys cascade from the actor.
    sqlx::query("DELETE FROM actors WHERE id = $1")
        .bind(actor_id)
        .execute(&mut *tx)
        .await?;
    // SQLite may hand a deleted id to the next account: its counters must not carry over.
    for key in [
        ratelimit::login_user_key(user_id),
        two_factor::rate_limit_key(user_id),
    ] {
        sqlx::query("DELETE FROM rate_limits WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    tracing::info!(user_id, "account deleted");
    Ok(StatusCode::OK)
}

/// What becomes of the organization whose handle is the user's name.
enum PersonalOrg {
    /// Only the user is in it (as its administrator): it goes with the account.
    Alone(i64),
    /// The user is still in it, with others: refused, naming it.
    Shared(String),
    /// Gone, or the user was removed from it: someone else's now, left alone.
    NotTheirs,
}

async fn personal_org(tx: &mut Tx, user_id: i64, username: &str) -> AppResult<PersonalOrg> {
    let row: Option<(i64, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT o.id, o.name,
                (SELECT r.name FROM organization_memberships m
                 JOIN organization_membership_roles r ON r.id = m.role_id
                 WHERE m.organization_id = o.id AND m.user_id = $1),
                (SELECT COUNT(*) FROM organization_memberships m
                 WHERE m.organization_id = o.id AND m.user_id <> $1)
         FROM organizations o WHERE o.handle = $2",
    )
    .bind(user_id)
    .bind(username)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        None | Some((_, _, None, _)) => PersonalOrg::NotTheirs,
        Some((id, _, Some(role), 0)) if role == "administrator" => PersonalOrg::Alone(id),
        Some((_, name, Some(_), _)) => PersonalOrg::Shared(name),
    })
}
