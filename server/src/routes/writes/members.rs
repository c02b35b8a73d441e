//! Application members (`user_application_membership`) and organization members
//! (`organization_membership`). Administrators add, change and remove; any member may remove
//! their own membership (leaving). An organization always keeps an administrator: the check
//! runs after the change inside the same `BEGIN IMMEDIATE` transaction, so two racing
//! demotions or removals are serialized and the second one is refused.
use sqlx::Row;
use wire::ErrorCode;

use super::{delete_ids, id_list, targets, update_ids, Body, Rule};
use crate::db::{OnUnique, Tx};
use crate::error::{AppError, AppResult};
use crate::odata::ast::Expr;
use crate::odata::query::statement;
use crate::odata::resource::{Params, Resource, SqlValue};
use crate::odata::resources::{admin_orgs, app_ids, Level};

pub const MSG_NO_USER: &str = "No user with that username or email";
pub const MSG_ONE_OF: &str = "Give exactly one of username or email";
pub const MSG_PAID_PLAN: &str =
    "Operator and Observer need a paid plan: this organization is on the free plan";
pub const MSG_LAST_ADMIN: &str = "An organization must keep at least one administrator";

/// The user named by `username` or `email`: exactly one of them. Never by numeric id: that
/// would let anyone add (and so see) every account by counting up.
async fn resolve_user(tx: &mut Tx, body: &Body<'_>) -> AppResult<i64> {
    let given = (body.opt_text("username")?, body.opt_text("email")?);
    let q = match given {
        (Some(name), None) => sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(name.trim().to_lowercase()),
        (None, Some(email)) => sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email.trim().to_lowercase()),
        _ => return Err(AppError::bad_request(MSG_ONE_OF)),
    };
    q.fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| AppError::bad_request(MSG_NO_USER).with_code(ErrorCode::NoSuchUser))
}

/// 401 unless the caller administers the organization (`sql` selects it by `$n`).
async fn require(tx: &mut Tx, params: Params, sql: String) -> AppResult<()> {
    match statement(sql, params.0).fetch_optional(&mut **tx).await? {
        Some(_) => Ok(()),
        None => Err(AppError::Unauthorized),
    }
}

async fn role_name(tx: &mut Tx, table: &str, id: i64) -> AppResult<String> {
    let sql = format!("SELECT name FROM {table} WHERE id = $1");
    statement(sql, vec![SqlValue::Int(id)])
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.get::<String, _>(0))
        .ok_or_else(|| AppError::bad_request("Unknown role"))
}

/// On `free` only `developer` can be assigned (checked for every application in `apps_sql`).
async fn check_plan(tx: &mut Tx, role: &str, apps: &[i64]) -> AppResult<()> {
    if role == "developer" || apps.is_empty() {
        return Ok(());
    }
    let mut params = Params::default();
    let list = id_list(apps, &mut params);
    let sql = format!(
        "SELECT 1 FROM applications a JOIN organizations o ON o.id = a.organization_id \
         WHERE a.id IN {list} AND o.billing_plan = 'free'"
    );
    match statement(sql, params.0).fetch_optional(&mut **tx).await? {
        Some(_) => Err(AppError::bad_request(MSG_PAID_PLAN).with_code(ErrorCode::PaidPlanRequired)),
        None => Ok(()),
    }
}

/// `POST /v7/user_application_membership`.
pub async fn create_app_member(tx: &mut Tx, me: i64, body: &Body<'_>, now: i64) -> AppResult<i64> {
    body.only(&[
        "username",
        "email",
        "is_member_of__application",
        "application_membership_role",
    ])?;
    let app = body.id("is_member_of__application")?;
    let mut params = Params::default();
    let admin = app_ids(Level::Admin, me, &mut params);
    let a = params.push(SqlValue::Int(app));
    require(tx, params, format!("SELECT 1 WHERE {a} IN ({admin})")).await?;
    let user = resolve_user(tx, body).await?;
    let role = match body.opt_id("application_membership_role")? {
        Some(id) => id,
        None => {
            sqlx::query_scalar(
                "SELECT id FROM application_membership_roles WHERE name = 'developer'",
            )
            .fetch_one(&mut **tx)
            .await?
        }
    };
    let name = role_name(tx, "application_membership_roles", role).await?;
    check_plan(tx, &name, &[app]).await?;
    // balena's rule: an application member is a member of its organization.
    sqlx::query(
        "INSERT INTO organization_memberships (user_id, organization_id, role_id, created_at)
         SELECT $1, a.organization_id, r.id, $3
         FROM applications a, organization_membership_roles r
         WHERE a.id = $2 AND r.name = 'member' AND NOT EXISTS (
             SELECT 1 FROM organization_memberships om
             WHERE om.user_id = $1 AND om.organization_id = a.organization_id)",
    )
    .bind(user)
    .bind(app)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query_scalar(
        "INSERT INTO user_application_memberships (user_id, application_id, role_id, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user)
    .bind(app)
    .bind(role)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .on_unique("user_application_memberships_user_app_key", || {
        AppError::already_exists("This user is already a member of the application")
    })
}

/// `POST /v7/organization_membership` (administrators; role defaults to `member`).
pub async fn create_org_member(tx: &mut Tx, me: i64, body: &Body<'_>, now: i64) -> AppResult<i64> {
    body.only(&[
        "username",
        "email",
        "is_member_of__organization",
        "organization_membership_role",
    ])?;
    let org = body.id("is_member_of__organization")?;
    let mut params = Params::default();
    let admin = admin_orgs(me, &mut params);
    let o = params.push(SqlValue::Int(org));
    require(tx, params, format!("SELECT 1 WHERE {o} IN ({admin})")).await?;
    let user = resolve_user(tx, body).await?;
    let role = match body.opt_id("organization_membership_role")? {
        Some(id) => id,
        None => {
            sqlx::query_scalar("SELECT id FROM organization_membership_roles WHERE name = 'member'")
                .fetch_one(&mut **tx)
                .await?
        }
    };
    role_name(tx, "organization_membership_roles", role).await?;
    sqlx::query_scalar(
        "INSERT INTO organization_memberships (user_id, organization_id, role_id, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user)
    .bind(org)
    .bind(role)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .on_unique("organization_memberships_user_org_key", || {
        AppError::already_exists("This user is already a member of the organization")
    })
}

const APP_ADMIN: Rule = Rule {
    manage: |me, p| format!("m.application_id IN ({})", app_ids(Level::Admin, me, p)),
};
const APP_ADMIN_OR_SELF: Rule = Rule {
    manage: |me, p| {
        let apps = app_ids(Level::Admin, me, p);
        let u = p.push(SqlValue::Int(me));
        format!("(m.application_id IN ({apps}) OR m.user_id = {u})")
    },
};
const ORG_ADMIN: Rule = Rule {
    manage: |me, p| format!("m.organization_id IN ({})", admin_orgs(me, p)),
};
const ORG_ADMIN_OR_SELF: Rule = Rule {
    manage: |me, p| {
        let orgs = admin_orgs(me, p);
        let u = p.push(SqlValue::Int(me));
        format!("(m.organization_id IN ({orgs}) OR m.user_id = {u})")
    },
};

/// Role changes only: `application_membership_role`.
pub async fn patch_app_member(
    tx: &mut Tx,
    me: i64,
    res: &'static Resource,
    key: Option<i64>,
    filter: Option<&Expr>,
    body: &Body<'_>,
) -> AppResult<u64> {
    body.only(&["application_membership_role"])?;
    let role = body.id("application_membership_role")?;
    let name = role_name(tx, "application_membership_roles", role).await?;
    let ids = targets(tx, me, res, key, filter, &APP_ADMIN).await?;
    let apps = column_of(tx, res, "application_id", &ids).await?;
    check_plan(tx, &name, &apps).await?;
    update_ids(tx, res, &ids, &[("role_id", SqlValue::Int(role))]).await
}

/// Role changes only: `organization_membership_role`.
pub async fn patch_org_member(
    tx: &mut Tx,
    me: i64,
    res: &'static Resource,
    key: Option<i64>,
    filter: Option<&Expr>,
    body: &Body<'_>,
) -> AppResult<u64> {
    body.only(&["organization_membership_role"])?;
    let role = body.id("organization_membership_role")?;
    role_name(tx, "organization_membership_roles", role).await?;
    let ids = targets(tx, me, res, key, filter, &ORG_ADMIN).await?;
    let orgs = column_of(tx, res, "organization_id", &ids).await?;
    let n = update_ids(tx, res, &ids, &[("role_id", SqlValue::Int(role))]).await?;
    keeps_an_administrator(tx, &orgs).await?;
    Ok(n)
}

pub async fn delete_app_member(
    tx: &mut Tx,
    me: i64,
    res: &'static Resource,
    key: Option<i64>,
    filter: Option<&Expr>,
) -> AppResult<u64> {
    let ids = targets(tx, me, res, key, filter, &APP_ADMIN_OR_SELF).await?;
    delete_ids(tx, res, &ids).await
}

pub async fn delete_org_member(
    tx: &mut Tx,
    me: i64,
    res: &'static Resource,
    key: Option<i64>,
    filter: Option<&Expr>,
) -> AppResult<u64> {
    let ids = targets(tx, me, res, key, filter, &ORG_ADMIN_OR_SELF).await?;
    let orgs = column_of(tx, res, "organization_id", &ids).await?;
    if !ids.is_empty() {
        // Leaving an organization ends the memberships of its applications too.
        let mut params = Params::default();
        let list = id_list(&ids, &mut params);
        let sql = format!(
            "DELETE FROM user_application_memberships WHERE id IN (
                SELECT uam.id FROM user_application_memberships uam
                JOIN applications a ON a.id = uam.application_id
                JOIN organization_memberships om
                  ON om.user_id = uam.user_id AND om.organization_id = a.organization_id
                WHERE om.id IN {list})"
        );
        statement(sql, params.0).execute(&mut **tx).await?;
    }
    let n = delete_ids(tx, res, &ids).await?;
    keeps_an_administrator(tx, &orgs).await?;
    Ok(n)
}

/// The distinct values of `column` of the rows `ids`.
async fn column_of(tx: &mut Tx, res: &Resource, column: &str, ids: &[i64]) -> AppResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut params = Params::default();
    let list = id_list(ids, &mut params);
    let sql = format!(
        "SELECT DISTINCT {column} FROM {} WHERE {} IN {list}",
        res.table, res.key
    );
    let rows = statement(sql, params.0).fetch_all(&mut **tx).await?;
    Ok(rows.iter().map(|r| r.get::<i64, _>(0)).collect())
}

/// After a change, inside its transaction: refuse (and so roll back) if one of `orgs` has no
/// administrator left.
async fn keeps_an_administrator(tx: &mut Tx, orgs: &[i64]) -> AppResult<()> {
    if orgs.is_empty() {
        return Ok(());
    }
    let mut params = Params::default();
    let list = id_list(orgs, &mut params);
    let sql = format!(
        "SELECT 1 FROM organizations o WHERE o.id IN {list} AND NOT EXISTS (
             SELECT 1 FROM organization_memberships om
             JOIN organization_membership_roles r ON r.id = om.role_id
             WHERE om.organization_id = o.id AND r.name = 'administrator')"
    );
    match statement(sql, params.0).fetch_optional(&mut **tx).await? {
        Some(_) => {
            Err(AppError::bad_request(MSG_LAST_ADMIN).with_code(ErrorCode::LastAdministrator))
        }
        None => Ok(()),
    }
}
