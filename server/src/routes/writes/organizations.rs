//! Creating applications and changing the organization's plan (deleting an application is
//! `odata::write::delete_targets`). Only organization administrators do any of this.
use wire::applications::check_app_name;

use super::Body;
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::odata::write::{targets, Addressed};
use crate::organizations::{self, ADMINISTERED_ORGS};

/// `POST /v7/application {app_name, organization}`.
pub async fn create_application(tx: &mut Tx, me: i64, body: &Body<'_>, now: i64) -> AppResult<i64> {
    body.only(&["app_name", "organization"])?;
    let name = body.text("app_name")?;
    let org = body.id("organization")?;
    check_app_name(name).map_err(AppError::bad_request)?;
    let handle = organizations::administered_handle(tx, me, org)
        .await?
        .ok_or(AppError::Unauthorized)?;
    organizations::create_application(tx, org, &handle, name, now).await
}

/// `PATCH /v7/organization(<id>) {"billing_plan": "free"|"paid"}`: our stand-in for billing.
pub async fn patch_organization(
    tx: &mut Tx,
    rows: Addressed<'_>,
    body: &Body<'_>,
) -> AppResult<u64> {
    body.only(&["billing_plan"])?;
    let plan = body.text("billing_plan")?;
    if plan != "free" && plan != "paid" {
        return Err(AppError::bad_request(
            "billing_plan must be 'free' or 'paid'",
        ));
    }
    let ids = targets(tx, rows, &ADMINISTERED_ORGS).await?;
    organizations::set_plan(tx, &ids, plan).await
}
