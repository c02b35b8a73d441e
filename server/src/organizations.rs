//! Organizations and their applications in the database; administrators change them.
use sqlx::Row;

use crate::actors::{self, ActorType};
use crate::db::{OnUnique, Tx};
use crate::error::{AppError, AppResult};
use crate::odata::query::statement;
use crate::odata::resource::{Params, SqlValue};
use crate::odata::resources::{admin_orgs, app_ids, Level, ORGANIZATION};
use crate::odata::write::{update_ids, Rule};

/// Who may delete applications.
pub const ADMINISTERED_APPS: Rule = Rule {
    manage: |me, p| format!("m.id IN ({})", app_ids(Level::Admin, me, p)),
};

/// Who may change organizations.
pub const ADMINISTERED_ORGS: Rule = Rule {
    manage: |me, p| format!("m.id IN ({})", admin_orgs(me, p)),
};

/// The handle of organization `org` if the user administers it.
pub async fn administered_handle(tx: &mut Tx, me: i64, org: i64) -> AppResult<Option<String>> {
    let mut params = Params::default();
    let admin = admin_orgs(me, &mut params);
    let o = params.push(SqlValue::Int(org));
    let sql = format!("SELECT handle FROM organizations WHERE id = {o} AND id IN ({admin})");
    Ok(statement(sql, params.0)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?)
}

/// A new application of the organization with `handle` (slug `<handle>/<name lowercased>`),
/// with a new actor for its API keys.
pub async fn create_application(
    tx: &mut Tx,
    org: i64,
    handle: &str,
    name: &str,
    now: i64,
) -> AppResult<i64> {
    let actor = actors::insert(tx, ActorType::Application, now).await?;
    sqlx::query_scalar(
        "INSERT INTO applications (actor_id, organization_id, app_name, slug, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(actor)
    .bind(org)
    .bind(name)
    .bind(format!("{handle}/{}", name.to_lowercase()))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .on_unique("applications_slug_key", || {
        AppError::already_exists("An application with this name already exists in the organization")
    })
}

pub async fn set_plan(tx: &mut Tx, ids: &[i64], plan: &str) -> AppResult<u64> {
    let sets = [("billing_plan", SqlValue::Text(plan.to_owned()))];
    update_ids(tx, &ORGANIZATION, ids, &sets).await
}
