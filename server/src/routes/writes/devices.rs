//! Devices, device tags, device variables and fleet (application) variables, per the member
//! type table: devices, tags and device variables for administrators, developers and
//! operators; fleet variables for administrators and developers; observers read only.
use data_encoding::HEXLOWER;

use super::{delete_ids, targets, update_ids, Body, Rule};
use crate::db::{OnUnique, Tx};
use crate::error::{AppError, AppResult};
use crate::odata::ast::Expr;
use crate::odata::query::statement;
use crate::odata::resource::{Pair, Params, Resource, SqlValue};
use crate::odata::resources::{app_ids, device_ids, Level};

const NAME_MAX_CHARS: usize = 100;
const VALUE_MAX_CHARS: usize = 10_000;

/// Whether `id` is one of the rows `ids_sql` selects (with its parameters).
async fn allowed(
    tx: &mut Tx,
    id: i64,
    ids_sql: impl FnOnce(&mut Params) -> String,
) -> AppResult<()> {
    let mut params = Params::default();
    let set = ids_sql(&mut params);
    let i = params.push(SqlValue::Int(id));
    let sql = format!("SELECT 1 WHERE {i} IN ({set})");
    match statement(sql, params.0).fetch_optional(&mut **tx).await? {
        Some(_) => Ok(()),
        // Same answer for a foreign application and a too-weak role: nothing is revealed.
        None => Err(AppError::Unauthorized),
    }
}

fn check_len(name: &str, value: &str, max: usize) -> AppResult<()> {
    if value.chars().count() > max {
        return Err(AppError::bad_request(format!(
            "{name} must be at most {max} characters"
        )));
    }
    Ok(())
}

/// `POST /v7/device {belongs_to__application, device_name?, uuid?}`.
pub async fn create_device(tx: &mut Tx, me: i64, body: &Body<'_>, now: i64) -> AppResult<i64> {
    body.only(&["belongs_to__application", "device_name", "uuid"])?;
    let app = body.id("belongs_to__application")?;
    let uuid = match body.opt_text("uuid")? {
        Some(u)
            if (u.len() == 32 || u.len() == 62)
                && u.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) =>
        {
            u.to_owned()
        }
        Some(_) => {
            return Err(AppError::bad_request(
                "uuid must be 32 or 62 lowercase hex digits",
            ))
        }
        None => {
            let mut b = [0u8; 16];
            getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("CSPRNG unavailable: {e}"))?;
            HEXLOWER.encode(&b)
        }
    };
    let name = body
        .opt_text("device_name")?
        .unwrap_or(&uuid[..7])
        .to_owned();
    check_device_name(&name)?;
    allowed(tx, app, |p| app_ids(Level::Devices, me, p)).await?;
    let actor: i64 = sqlx::query_scalar(
        "INSERT INTO actors (actor_type, created_at) VALUES ('device', $1) RETURNING id",
    )
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query_scalar(
        "INSERT INTO devices (actor_id, application_id, uuid, device_name, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(actor)
    .bind(app)
    .bind(&uuid)
    .bind(&name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .on_unique("devices_uuid_key", || {
        AppError::already_exists("A device with this uuid already exists")
    })
}

fn check_device_name(name: &str) -> AppResult<()> {
    if name.trim().is_empty() {
        return Err(AppError::bad_request("device_name must not be empty"));
    }
    check_len("device_name", name, NAME_MAX_CHARS)
}

/// Environment variable names as balena accepts them.
fn check_var_name(name: &str) -> AppResult<()> {
    let ok = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !ok {
        return Err(AppError::bad_request(
            "Variable names start with a letter or '_' and contain only letters, digits and '_'",
        ));
    }
    check_len("name", name, NAME_MAX_CHARS)
}

/// The parent reference, the key field and who may write, per name/value table.
struct PairRules {
    parent: &'static str,
    parent_column: &'static str,
    key: &'static str,
    level: Level,
    by_device: bool,
    /// Who may change or delete a row (aliased `m`).
    manage: Rule,
    /// The unique index on (parent, key), and what its violation answers.
    unique_index: &'static str,
    duplicate: &'static str,
}

fn rules(pair: Pair) -> PairRules {
    match pair {
        Pair::DeviceTag => PairRules {
            parent: "device",
            parent_column: "device_id",
            key: "tag_key",
            level: Level::Devices,
            by_device: true,
            manage: DEVICE_PAIRS,
            unique_index: "device_tags_device_key_key",
            duplicate: "This device already has a tag with this key",
        },
        Pair::DeviceVariable => PairRules {
            parent: "device",
            parent_column: "device_id",
            key: "name",
            level: Level::Devices,
            by_device: true,
            manage: DEVICE_PAIRS,
            unique_index: "device_environment_variables_device_name_key",
            duplicate: "This device already has a variable with this name",
        },
        Pair::FleetVariable => PairRules {
            parent: "application",
            parent_column: "application_id",
            key: "name",
            level: Level::Fleet,
            by_device: false,
            manage: Rule {
                manage: |me, q| format!("m.application_id IN ({})", app_ids(Level::Fleet, me, q)),
            },
            unique_index: "application_environment_variables_app_name_key",
            duplicate: "This application already has a variable with this name",
        },
    }
}

const DEVICE_PAIRS: Rule = Rule {
    manage: |me, q| format!("m.device_id IN ({})", device_ids(Level::Devices, me, q)),
};

const DEVICES: Rule = Rule {
    manage: |me, q| format!("m.application_id IN ({})", app_ids(Level::Devices, me, q)),
};

/// `POST` of a tag `{device, tag_key, value}` or a variable `{device|application, name, value}`.
pub async fn create_pair(
    tx: &mut Tx,
    me: i64,
    res: &'static Resource,
    pair: Pair,
    body: &Body<'_>,
) -> AppResult<i64> {
    let p = rules(pair);
    body.only(&[p.parent, p.key, "value"])?;
    let parent = body.id(p.parent)?;
    let key = body.text(p.key)?;
    let value = body.opt_text("value")?.unwrap_or_default();
    if p.key == "name" {
        check_var_name(key)?;
    } else if key.is_empty() {
        return Err(AppError::bad_request("tag_key must not be empty"));
    }
    check_len(p.key, key, NAME_MAX_CHARS)?;
    check_len("value", value, VALUE_MAX_CHARS)?;
    if p.by_device {
        allowed(tx, parent, |q| device_ids(p.level, me, q)).await?;
    } else {
        allowed(tx, parent, |q| app_ids(p.level, me, q)).await?;
    }
    // Identifiers from the fixed table above only.
    let sql = format!(
        "INSERT INTO {} ({}, {}, value) VALUES ($1, $2, $3) RETURNING id",
        res.table, p.parent_column, p.key
    );
    statement(
        sql,
        vec![
            SqlValue::Int(parent),
            SqlValue::Text(key.to_owned()),
            SqlValue::Text(value.to_owned()),
        ],
    )
    .fetch_one(&mut **tx)
    .await
    .map(|r| sqlx::Row::get::<i64, _>(&r, 0))
    .on_unique(p.unique_index, || AppError::already_exists(p.duplicate))
}

/// Devices: `device_name` only (a "device action").
pub async fn patch_device(
    tx: &mut Tx,
    me: i64,
    res: &'static Resource,
    key: Option<i64>,
    filter: Option<&Expr>,
    body: &Body<'_>,
) -> AppResult<u64> {
    body.only(&["device_name"])?;
    let name = body.text("device_name")?;
    check_device_name(name)?;
    let ids = targets(tx, me, res, key, filter, &DEVICES).await?;
    update_ids(
        tx,
        res,
        &ids,
        &[("device_name", SqlValue::Text(name.to_owned()))],
    )
    .await
}

/// Tags and variables: `value` only.
pub async fn patch_pair(
    tx: &mut Tx,
    me: i64,
    res: &'static Resource,
    pair: Pair,
    key: Option<i64>,
    filter: Option<&Expr>,
    body: &Body<'_>,
) -> AppResult<u64> {
    body.only(&["value"])?;
    let value = body.text("value")?;
    check_len("value", value, VALUE_MAX_CHARS)?;
    let ids = targets(tx, me, res, key, filter, &rules(pair).manage).await?;
    update_ids(
        tx,
        res,
        &ids,
        &[("value", SqlValue::Text(value.to_owned()))],
    )
    .await
}

pub async fn delete_device(
    tx: &mut Tx,
    me: i64,
    res: &'static Resource,
    key: Option<i64>,
    filter: Option<&Expr>,
) -> AppResult<u64> {
    let ids = targets(tx, me, res, key, filter, &DEVICES).await?;
    delete_ids(tx, res, &ids).await
}

pub async fn delete_pair(
    tx: &mut Tx,
    me: i64,
    res: &'static Resource,
    pair: Pair,
    key: Option<i64>,
    filter: Option<&Expr>,
) -> AppResult<u64> {
    let ids = targets(tx, me, res, key, filter, &rules(pair).manage).await?;
    delete_ids(tx, res, &ids).await
}
