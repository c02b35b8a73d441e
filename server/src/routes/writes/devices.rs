//! Writes of devices, tags and variables: bodies checked, then written by `crate::devices`.
use data_encoding::HEXLOWER;

use super::Body;
use crate::db::Tx;
use crate::devices::{self, pair_table, DEVICES};
use crate::error::{AppError, AppResult};
use crate::odata::resource::{Pair, Resource};
use crate::odata::resources::{app_ids, Level};
use crate::odata::write::{allowed, targets, Addressed};

const NAME_MAX_CHARS: usize = 100;
const VALUE_MAX_CHARS: usize = 10_000;

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
    devices::insert(tx, app, &uuid, &name, now).await
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

/// `POST` of a tag `{device, tag_key, value}` or a variable `{device|application, name, value}`.
pub async fn create_pair(
    tx: &mut Tx,
    me: i64,
    res: &'static Resource,
    pair: Pair,
    body: &Body<'_>,
) -> AppResult<i64> {
    let p = pair_table(pair);
    body.only(&[p.parent, p.key, "value"])?;
    let parent = body.id(p.parent)?;
    let key = body.text(p.key)?;
    let value = body.opt_text("value")?.unwrap_or_default();
    match pair {
        Pair::DeviceTag if key.is_empty() => {
            return Err(AppError::bad_request("tag_key must not be empty"))
        }
        Pair::DeviceTag => {}
        Pair::DeviceVariable | Pair::FleetVariable => check_var_name(key)?,
    }
    check_len(p.key, key, NAME_MAX_CHARS)?;
    check_len("value", value, VALUE_MAX_CHARS)?;
    allowed(tx, parent, |q| p.parents(me, q)).await?;
    devices::insert_pair(tx, res, &p, parent, key, value).await
}

/// Devices: `device_name` only (a "device action").
pub async fn patch_device(tx: &mut Tx, rows: Addressed<'_>, body: &Body<'_>) -> AppResult<u64> {
    body.only(&["device_name"])?;
    let name = body.text("device_name")?;
    check_device_name(name)?;
    let ids = targets(tx, rows, &DEVICES).await?;
    devices::rename(tx, &ids, name).await
}

/// Tags and variables: `value` only.
pub async fn patch_pair(
    tx: &mut Tx,
    rows: Addressed<'_>,
    pair: Pair,
    body: &Body<'_>,
) -> AppResult<u64> {
    body.only(&["value"])?;
    let value = body.text("value")?;
    check_len("value", value, VALUE_MAX_CHARS)?;
    let ids = targets(tx, rows, &pair_table(pair).manage).await?;
    devices::set_value(tx, rows.res, &ids, value).await
}
