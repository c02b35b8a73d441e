//! Application and organization memberships and their roles in the database.
use sqlx::Row;

use crate::db::{OnUnique, Tx};
use crate::error::{AppError, AppResult};
use crate::odata::query::statement;
use crate::odata::resource::{Params, Resource, SqlValue};
use crate::odata::resources::{admin_orgs, app_ids, Level};
use crate::odata::write::{id_list, update_ids, Rule};

/// Application administrators change application memberships.
pub const APP_ADMIN: Rule = Rule {
    manage: |me, p| format!("m.application_id IN ({})", app_ids(Level::Admin, me, p)),
};
/// ... and remove them, as does the member (leaving).
pub const APP_ADMIN_OR_SELF: Rule = Rule {
    manage: |me, p| {
        let apps = app_ids(Level::Admin, me, p);
        let u = p.push(SqlValue::Int(me));
        format!("(m.application_id IN ({apps}) OR m.user_id = {u})")
    },
};
/// Organization administrators change organization memberships.
pub const ORG_ADMIN: Rule = Rule {
    manage: |me, p| format!("m.organization_id IN ({})", admin_orgs(me, p)),
};
/// ... and remove them, as does the member (leaving).
pub const ORG_ADMIN_OR_SELF: Rule = Rule {
    manage: |me, p| {
        let orgs = admin_orgs(me, p);
        let u = p.push(SqlValue::Int(me));
        format!("(m.organization_id IN ({orgs}) OR m.user_id = {u})")
    },
};

/// The two kinds of membership: of an application and of an organization.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Application,
    Organization,
}

impl Kind {
    fn table(self) -> &'static str {
        match self {
            Self::Application => "user_application_memberships",
            Self::Organization => "organization_memberships",
        }
    }

    fn role_table(self) -> &'static str {
        match self {
            Self::Application => "application_membership_roles",
            Self::Organization => "organization_membership_roles",
        }
    }

    /// The column naming what the membership is of.
    fn parent_column(self) -> &'static str {
        match self {
            Self::Application => "application_id",
            Self::Organization => "organization_id",
        }
    }

    /// The unique index on (user, parent), and what its violation answers.
    fn unique(self) -> (&'static str, &'static str) {
        match self {
            Self::Application => (
                "user_application_memberships_user_app_key",
                "This user is already a member of the application",
            ),
            Self::Organization => (
                "organization_memberships_user_org_key",
                "This user is already a member of the organization",
            ),
        }
    }
}

/// The id of the role `name` (one the migrations create).
pub async fn role_id(tx: &mut Tx, kind: Kind, name: &str) -> AppResult<i64> {
    let sql = format!("SELECT id FROM {} WHERE name = $1", kind.role_table());
    let row = statement(sql, vec![SqlValue::Text(name.to_owned())])
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.get::<i64, _>(0))
}

pub async fn role_name(tx: &mut Tx, kind: Kind, id: i64) -> AppResult<Option<String>> {
    let sql = format!("SELECT name FROM {} WHERE id = $1", kind.role_table());
    let row = statement(sql, vec![SqlValue::Int(id)])
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|r| r.get::<String, _>(0)))
}

/// Whether the organization of one of `apps` is on the free plan.
pub async fn any_on_free_plan(tx: &mut Tx, apps: &[i64]) -> AppResult<bool> {
    if apps.is_empty() {
        return Ok(false);
    }
    let mut params = Params::default();
    let list = id_list(apps, &mut params);
    let sql = format!(
        "SELECT 1 FROM applications a JOIN organizations o ON o.id = a.organization_id \
         WHERE a.id IN {list} AND o.billing_plan = 'free'"
    );
    Ok(statement(sql, params.0)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}

/// Adds the user to the application, and to its organization as a `member` unless they
/// belong to it already (balena's rule: an application member is a member of its
/// organization).
pub async fn add_app_member(
    tx: &mut Tx,
    user: i64,
    app: i64,
    role: i64,
    now: i64,
) -> AppResult<i64> {
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
    add(tx, Kind::Application, user, app, role, now).await
}

/// Makes the user a member of `parent` (an application or organization) with `role`.
pub async fn add(
    tx: &mut Tx,
    kind: Kind,
    user: i64,
    parent: i64,
    role: i64,
    now: i64,
) -> AppResult<i64> {
    let (index, duplicate) = kind.unique();
    let sql = format!(
        "INSERT INTO {} (user_id, {}, role_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        kind.table(),
        kind.parent_column()
    );
    let params = [user, parent, role, now].map(SqlValue::Int).to_vec();
    statement(sql, params)
        .fetch_one(&mut **tx)
        .await
        .map(|r| r.get::<i64, _>(0))
        .on_unique(index, || AppError::already_exists(duplicate))
}

/// The distinct applications or organizations of the memberships `ids`.
pub async fn parents_of(tx: &mut Tx, kind: Kind, ids: &[i64]) -> AppResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut params = Params::default();
    let list = id_list(ids, &mut params);
    let sql = format!(
        "SELECT DISTINCT {} FROM {} WHERE id IN {list}",
        kind.parent_column(),
        kind.table()
    );
    let rows = statement(sql, params.0).fetch_all(&mut **tx).await?;
    Ok(rows.iter().map(|r| r.get::<i64, _>(0)).collect())
}

/// Gives the memberships `ids` of `res` (either kind) the role `role`.
pub async fn set_role(
    tx: &mut Tx,
    res: &'static Resource,
    ids: &[i64],
    role: i64,
) -> AppResult<u64> {
    update_ids(tx, res, ids, &[("role_id", SqlValue::Int(role))]).await
}

/// Ends the application memberships that the organization memberships `ids` carry (those
/// of the same user in the organization's applications).
pub async fn end_app_memberships_within(tx: &mut Tx, ids: &[i64]) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut params = Params::default();
    let list = id_list(ids, &mut params);
    let sql = format!(
        "DELETE FROM user_application_memberships WHERE id IN (
            SELECT uam.id FROM user_application_memberships uam
            JOIN applications a ON a.id = uam.application_id
            JOIN organization_memberships om
              ON om.user_id = uam.user_id AND om.organization_id = a.organization_id
            WHERE om.id IN {list})"
    );
    statement(sql, params.0).execute(&mut **tx).await?;
    Ok(())
}

/// Whether one of `orgs` has no administrator.
pub async fn any_without_administrator(tx: &mut Tx, orgs: &[i64]) -> AppResult<bool> {
    if orgs.is_empty() {
        return Ok(false);
    }
    let mut params = Params::default();
    let list = id_list(orgs, &mut params);
    let sql = format!(
        "SELECT 1 FROM organizations o WHERE o.id IN {list} AND NOT EXISTS (
             SELECT 1 FROM organization_memberships om
             JOIN organization_membership_roles r ON r.id = om.role_id
             WHERE om.organization_id = o.id AND r.name = 'administrator')"
    );
    Ok(statement(sql, params.0)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}
