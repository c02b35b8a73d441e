//! A write body with a whitelist: every field must be one the operation accepts (no mass
//! assignment, ASVS 15.3.3), and values are checked by type with readable 400s.
use serde_json::{Map, Value};

use crate::error::{AppError, AppResult};

pub struct Body<'a> {
    res: &'static str,
    map: &'a Map<String, Value>,
}

impl<'a> Body<'a> {
    pub fn new(res: &'static str, map: &'a Map<String, Value>) -> Self {
        Self { res, map }
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every field as sent, for rules that tell `null` from a value (call `only` first).
    pub fn fields(&self) -> impl Iterator<Item = (&'a str, &'a Value)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Refuses any field outside `allowed`.
    pub fn only(&self, allowed: &[&str]) -> AppResult<()> {
        match self.map.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(AppError::bad_request(format!(
                "Field '{k}' of '{}' cannot be set here",
                self.res
            ))),
            None => Ok(()),
        }
    }

    /// An integer or a reference (`7` or `{"__id": 7}`); `None` when absent or null.
    pub fn opt_id(&self, name: &str) -> AppResult<Option<i64>> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .or_else(|| v.get("__id").and_then(Value::as_i64))
                .map(Some)
                .ok_or_else(|| AppError::bad_request(format!("{name} must be an id"))),
        }
    }

    pub fn id(&self, name: &str) -> AppResult<i64> {
        self.opt_id(name)?
            .ok_or_else(|| AppError::bad_request(format!("{name} is required")))
    }

    pub fn opt_text(&self, name: &str) -> AppResult<Option<&'a str>> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(AppError::bad_request(format!("{name} must be a string"))),
        }
    }

    pub fn text(&self, name: &str) -> AppResult<&'a str> {
        self.opt_text(name)?
            .ok_or_else(|| AppError::bad_request(format!("{name} is required")))
    }
}
