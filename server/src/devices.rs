//! Devices, their tags and variables, and fleet variables in the database.
//!
//! Devices, tags and device variables are written by administrators, developers and
//! operators; fleet variables by administrators and developers.
use sqlx::Row;

use crate::actors::{self, ActorType};
use crate::db::{OnUnique, Tx};
use crate::error::{AppError, AppResult};
use crate::odata::query::statement;
use crate::odata::resource::{Pair, Params, Resource, SqlValue};
use crate::odata::resources::{app_ids, device_ids, Level, DEVICE};
use crate::odata::write::{update_ids, Rule};

/// Who may change or delete devices.
pub const DEVICES: Rule = Rule {
    manage: |me, q| format!("m.application_id IN ({})", app_ids(Level::Devices, me, q)),
};

const DEVICE_PAIRS: Rule = Rule {
    manage: |me, q| format!("m.device_id IN ({})", device_ids(Level::Devices, me, q)),
};

/// One name/value table: its parent reference, its name field and who may write it.
pub struct PairTable {
    /// The parent's field, a reference.
    pub parent: &'static str,
    parent_column: &'static str,
    /// The name field, also its column.
    pub key: &'static str,
    level: Level,
    by_device: bool,
    /// Who may change or delete a row.
    pub manage: Rule,
    /// The unique index on (parent, key), and what its violation answers.
    unique_index: &'static str,
    duplicate: &'static str,
}

pub fn pair_table(pair: Pair) -> PairTable {
    match pair {
        Pair::DeviceTag => PairTable {
            parent: "device",
            parent_column: "device_id",
            key: "tag_key",
            level: Level::Devices,
            by_device: true,
            manage: DEVICE_PAIRS,
            unique_index: "device_tags_device_key_key",
            duplicate: "This device already has a tag with this key",
        },
        Pair::DeviceVariable => PairTable {
            parent: "device",
            parent_column: "device_id",
            key: "name",
            level: Level::Devices,
            by_device: true,
            manage: DEVICE_PAIRS,
            unique_index: "device_environment_variables_device_name_key",
            duplicate: "This device already has a variable with this name",
        },
        Pair::FleetVariable => PairTable {
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

impl PairTable {
    /// `SELECT id` of the parents the caller may add rows to.
    pub fn parents(&self, me: i64, params: &mut Params) -> String {
        if self.by_device {
            device_ids(self.level, me, params)
        } else {
            app_ids(self.level, me, params)
        }
    }
}

/// A new device (and its actor, for the device's API keys) in application `app`.
pub async fn insert(tx: &mut Tx, app: i64, uuid: &str, name: &str, now: i64) -> AppResult<i64> {
    let actor = actors::insert(tx, ActorType::Device, now).await?;
    sqlx::query_scalar(
        "INSERT INTO devices (actor_id, application_id, uuid, device_name, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(actor)
    .bind(app)
    .bind(uuid)
    .bind(name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .on_unique("devices_uuid_key", || {
        AppError::already_exists("A device with this uuid already exists")
    })
}

/// A new row `key = value` of `parent` in `res`, the table `pair` describes.
pub async fn insert_pair(
    tx: &mut Tx,
    res: &'static Resource,
    pair: &PairTable,
    parent: i64,
    key: &str,
    value: &str,
) -> AppResult<i64> {
    // Identifiers from the descriptors only.
    let sql = format!(
        "INSERT INTO {} ({}, {}, value) VALUES ($1, $2, $3) RETURNING id",
        res.table, pair.parent_column, pair.key
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
    .map(|r| r.get::<i64, _>(0))
    .on_unique(pair.unique_index, || {
        AppError::already_exists(pair.duplicate)
    })
}

pub async fn rename(tx: &mut Tx, ids: &[i64], name: &str) -> AppResult<u64> {
    let sets = [("device_name", SqlValue::Text(name.to_owned()))];
    update_ids(tx, &DEVICE, ids, &sets).await
}

/// Sets the value of the name/value rows `ids` of `res`.
pub async fn set_value(
    tx: &mut Tx,
    res: &'static Resource,
    ids: &[i64],
    value: &str,
) -> AppResult<u64> {
    update_ids(tx, res, ids, &[("value", SqlValue::Text(value.to_owned()))]).await
}
