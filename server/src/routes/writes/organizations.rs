//! Applications (create, delete) and the organization's plan. Only organization
//! administrators do any of this.
use wire::applications::check_app_name;

use super::{delete_ids, targets, update_ids, Body, Rule};
use crate::db::{OnUnique, Tx};
use crate::error::{AppError, AppResult};
use crate::odata::ast::Expr;
use crate::odata::query::statement;
use crate::odata::resource::{Params, SqlValue};
use crate::odata::resources::{admin_orgs, app_ids, Level, APPLICATION, ORGANIZATION};

/// `POST /v7/application {app_name, organization}`: slug `<handle>/<app_name lowercased>`, a
/// new actor for the application's API keys.
pub async fn create_application(tx: &mut Tx, me: i64, body: &Body<'_>, now: i64) -> AppResult<i64> {
    body.only(&["app_name", "organization"])?;
    let name = body.text("app_name")?;
    let org = body.id("organization")?;
    check_app_name(name).map_err(AppError::bad_request)?;
    let mut params = Params::default();
    let admin = admin_orgs(me, &mut params);
    let o = params.push(SqlValue::Int(org));
    let sql = format!("SELECT handle FROM organizations WHERE id = {o} AND id IN ({admin})");
    let handle: String = statement(sql, params.0)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| sqlx::Row::try_get(&r, 0))
        .transpose()?
        .ok_or(AppError::Unauthorized)?;
    let actor: i64 = sqlx::query_scalar(
        "INSERT INTO actors (actor_type, created_at) VALUES ('application', $1) RETURNING id",
    )
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
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

const ADMIN_APPS: Rule = Rule {
    manage: |me, p| format!("m.id IN ({})", app_ids(Level::Admin, me, p)),
};

/// Everything under the application goes with it (cascades; its and its devices' actors and
/// API keys by trigger, see migration 0004).
pub async fn delete_application(
    tx: &mut Tx,
    me: i64,
    key: Option<i64>,
    filter: Option<&Expr>,
) -> AppResult<u64> {
    let ids = targets(tx, me, &APPLICATION, key, filter, &ADMIN_APPS).await?;
    delete_ids(tx, &APPLICATION, &ids).await
}

const ADMIN_ORGS: Rule = Rule {
    manage: |me, p| format!("m.id IN ({})", admin_orgs(me, p)),
};

/// `PATCH /v7/organization(<id>) {"billing_plan": "free"|"paid"}`: our stand-in for billing.
pub async fn patch_organization(
    tx: &mut Tx,
    me: i64,
    key: Option<i64>,
    filter: Option<&Expr>,
    body: &Body<'_>,
) -> AppResult<u64> {
    body.only(&["billing_plan"])?;
    let plan = body.text("billing_plan")?;
    if plan != "free" && plan != "paid" {
        return Err(AppError::bad_request(
            "billing_plan must be 'free' or 'paid'",
        ));
    }
    let ids = targets(tx, me, &ORGANIZATION, key, filter, &ADMIN_ORGS).await?;
    let sets = [("billing_plan", SqlValue::Text(plan.to_owned()))];
    update_ids(tx, &ORGANIZATION, &ids, &sets).await
}
