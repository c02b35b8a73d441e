//! Account deletion in the database: the checks that keep other people's organizations
//! running, and the deletes whose cascades take everything the user owns.
use crate::db::Tx;
use crate::error::AppResult;

/// An organization the user alone administers while others are in it: deleting the account
/// would strand them.
pub async fn stranded_organization(tx: &mut Tx, user_id: i64) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar(
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
    .fetch_optional(&mut **tx)
    .await?)
}

/// The user's actor id and username.
pub async fn identity(tx: &mut Tx, user_id: i64) -> AppResult<Option<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT actor_id, username FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// What becomes of the organization whose handle is the user's name.
pub enum PersonalOrg {
    /// Only the user is in it (as its administrator): it goes with the account.
    Alone(i64),
    /// The user is still in it, with others: refused, naming it.
    Shared(String),
    /// Gone, or the user was removed from it: someone else's now, left alone.
    NotTheirs,
}

pub async fn personal_org(tx: &mut Tx, user_id: i64, username: &str) -> AppResult<PersonalOrg> {
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

/// The personal organization (handle = username) goes with the account only while it is
/// still the user's alone: its applications cascade from it, their devices, memberships,
/// tags and variables from them, and migration 0004's triggers delete the applications'
/// and devices' actors, whose API keys cascade in turn.
pub async fn delete_organization(tx: &mut Tx, organization_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM organizations WHERE id = $1")
        .bind(organization_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The user row cascades to sessions, organization and application memberships, the TOTP
/// credential, recovery codes, social identities and reset tokens; the actor row to the
/// user's API keys.
pub async fn delete_user(tx: &mut Tx, user_id: i64, actor_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM actors WHERE id = $1")
        .bind(actor_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
