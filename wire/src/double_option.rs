//! `Option<Option<T>>` for fields where "absent" and `null` mean different things: in a PATCH,
//! absent leaves a field alone while `null` clears it (e.g. an API key's `expiry_date`).
//! Use with `#[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]`.
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub fn serialize<T: Serialize, S: Serializer>(
    v: &Option<Option<T>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(inner) => inner.serialize(s),
        None => s.serialize_none(),
    }
}

pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
