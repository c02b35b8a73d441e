//! Users and their personal organizations in the database.
use sqlx::FromRow;
use wire::ErrorCode;

use crate::actors::{self, ActorType};
use crate::db::{self, Db, OnUnique};
use crate::error::AppError;

#[derive(Clone, Debug, FromRow)]
pub struct User {
    pub id: i64,
    pub actor_id: i64,
    pub username: String,
    pub email: Option<String>,
}

pub async fn find(db: &Db, user_id: i64) -> Result<Option<User>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, actor_id, username, email FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(db)
            .await?,
    )
}

/// Id and password hash for a login identifier, already lowercased: an email when it
/// contains `@`, else a username (both are stored lowercase, so this is case-insensitive).
pub async fn find_credentials(
    db: &Db,
    identifier: &str,
) -> Result<Option<(i64, Option<String>)>, AppError> {
    let sql = if identifier.contains('@') {
        "SELECT id, password_hash FROM users WHERE email = $1"
    } else {
        "SELECT id, password_hash FROM users WHERE username = $1"
    };
    Ok(sqlx::query_as(sql)
        .bind(identifier)
        .fetch_optional(db)
        .await?)
}

pub async fn password_hash(db: &Db, user_id: i64) -> Result<Option<String>, AppError> {
    let hash: Option<Option<String>> =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(db)
            .await?;
    Ok(hash.flatten())
}

/// The user with this email, already lowercased.
pub async fn id_by_email<'e>(
    db: impl db::Executor<'e>,
    email: &str,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(db)
        .await?)
}

/// The user with this username, already lowercased.
pub async fn id_by_username<'e>(
    db: impl db::Executor<'e>,
    username: &str,
) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(db)
            .await?,
    )
}

pub async fn set_password_hash(tx: &mut db::Tx, user_id: i64, hash: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sets the password only if it is still `old` (`None`: none yet), so that of two parallel
/// changes one fails instead of both winning. False when it was changed meanwhile.
pub async fn replace_password_hash(
    tx: &mut db::Tx,
    user_id: i64,
    new: &str,
    old: Option<&str>,
) -> Result<bool, AppError> {
    let updated = sqlx::query(
        "UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash IS NOT DISTINCT FROM $3",
    )
    .bind(new)
    .bind(user_id)
    .bind(old)
    .execute(&mut **tx)
    .await?;
    Ok(updated.rows_affected() == 1)
}

pub async fn email_taken(db: &Db, email: &str) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// A username is also its personal organization's handle, so both namespaces must be free.
pub async fn username_taken(db: &Db, username: &str) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM users WHERE username = $1
         UNION ALL SELECT 1 FROM organizations WHERE handle = $1",
    )
    .bind(username)
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

const MSG_EMAIL_TAKEN: &str = "This email is already taken";
const MSG_USERNAME_TAKEN: &str = "This username is already taken";

pub fn email_conflict() -> AppError {
    AppError::conflict(MSG_EMAIL_TAKEN).with_code(ErrorCode::EmailTaken)
}

/// A username is taken by a user or, as a personal organization's handle, by an organization.
pub fn username_conflict() -> AppError {
    AppError::conflict(MSG_USERNAME_TAKEN).with_code(ErrorCode::UsernameTaken)
}

pub struct NewAccount<'a> {
    /// `None` for a social sign-in whose provider asserted no verified email.
    pub email: Option<&'a str>,
    pub username: &'a str,
    /// `None` for a social sign-in: the account has no password until one is set.
    pub password_hash: Option<&'a str>,
    /// A social provider asserted the email: no link to open.
    pub email_verified: bool,
    /// Where the sign-up came from, for the first session.
    pub origin: &'a crate::auth::origin::SessionOrigin,
}

/// Creates the actor, the user, the personal organization (handle = username, plan `free`)
/// and the administrator membership in one transaction, then the first session. Returns the
/// user id and the session token. A parallel sign-up that wins the race makes this fail with
/// [`email_conflict`] or [`username_conflict`] (unique indexes), never with a half-created account.
pub async fn create_account(
    db_pool: &Db,
    keys: &crate::jwt::JwtKeys,
    account: &NewAccount<'_>,
    now_ms: i64,
) -> Result<(i64, String), AppError> {
    let mut tx = db::begin_write(db_pool).await?;
    let created = create_account_in(&mut tx, keys, account, now_ms).await?;
    tx.commit().await?;
    Ok(created)
}

/// [`create_account`] inside the caller's transaction (social sign-in adds the identity in
/// the same one).
pub async fn create_account_in(
    tx: &mut db::Tx,
    keys: &crate::jwt::JwtKeys,
    account: &NewAccount<'_>,
    now_ms: i64,
) -> Result<(i64, String), AppError> {
    insert_account(tx, keys, account, now_ms)
        .await
        .on_unique("users_email_key", email_conflict)
        .on_unique("users_username_key", username_conflict)
        .on_unique("organizations_handle_key", username_conflict)
}

async fn insert_account(
    tx: &mut db::Tx,
    keys: &crate::jwt::JwtKeys,
    account: &NewAccount<'_>,
    now_ms: i64,
) -> Result<(i64, String), AppError> {
    let actor_id = actors::insert(tx, ActorType::User, now_ms).await?;
    let user_id: i64 = sqlx::query_scalar(
        "INSERT INTO users (actor_id, username, email, password_hash, created_at, email_verified_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(actor_id)
    .bind(account.username)
    .bind(account.email)
    .bind(account.password_hash)
    .bind(now_ms)
    .bind(account.email_verified.then_some(now_ms))
    .fetch_one(&mut **tx)
    .await?;
    let organization_id: i64 = sqlx::query_scalar(
        "INSERT INTO organizations (name, handle, billing_plan, created_at)
         VALUES ($1, $1, 'free', $2) RETURNING id",
    )
    .bind(account.username)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO organization_memberships (user_id, organization_id, role_id, created_at)
         SELECT $1, $2, id, $3 FROM organization_membership_roles WHERE name = 'administrator'",
    )
    .bind(user_id)
    .bind(organization_id)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    let token = crate::auth::session::create(tx, keys, user_id, account.origin, now_ms).await?;
    Ok((user_id, token))
}

/// A free username derived from an email's local part: lowercase, characters outside
/// `[a-z0-9_]` become `_`, a letter first, 3 to 32 characters; taken ones get the smallest
/// free number appended (`alice`, `alice2`, `alice3`…).
pub async fn derive_username(db: &Db, email: &str) -> Result<String, AppError> {
    let base = wire::validate::username_from_email(email);
    // Every candidate starts with these characters (suffixes up to 4 digits fit in 32).
    let prefix: String = base
        .chars()
        .take(wire::validate::USERNAME_MAX_CHARS - 4)
        .collect();
    let used: Vec<String> = sqlx::query_scalar(
        "SELECT username FROM users WHERE substr(username, 1, $2) = $1
         UNION SELECT handle FROM organizations WHERE substr(handle, 1, $2) = $1",
    )
    .bind(&prefix)
    // i32: PostgreSQL's substr takes an `integer` length.
    .bind(i32::try_from(prefix.len()).unwrap_or(i32::MAX))
    .fetch_all(db)
    .await?;
    if !used.contains(&base) {
        return Ok(base);
    }
    (2..100_000u32)
        .map(|n| {
            let suffix = n.to_string();
            let keep = wire::validate::USERNAME_MAX_CHARS - suffix.len();
            format!("{}{suffix}", &base[..base.len().min(keep)])
        })
        .find(|candidate| !used.contains(candidate))
        .ok_or_else(|| anyhow::anyhow!("no free username for this email").into())
}
