//! The `/v7` resources served so far. Organizations, applications and devices arrive later as
//! more descriptors; nothing else in the engine changes.
use super::resource::{Catalog, Field, FieldType, Params, Principal, Resource, SqlValue};

pub const V7: Catalog = Catalog(&[&USER, &ACTOR, &API_KEY]);

/// Users see their own row only.
pub static USER: Resource = Resource {
    name: "user",
    table: "users",
    key: "id",
    fields: &[
        Field {
            name: "id",
            column: "id",
            ty: FieldType::Int,
        },
        Field {
            name: "actor",
            column: "actor_id",
            ty: FieldType::Ref("actor"),
        },
        Field {
            name: "username",
            column: "username",
            ty: FieldType::Text,
        },
        Field {
            name: "email",
            column: "email",
            ty: FieldType::Text,
        },
        Field {
            name: "created_at",
            column: "created_at",
            ty: FieldType::Date,
        },
    ],
    to_many: &[],
    permission: |p, alias, params| {
        format!("{alias}.id = {}", params.push(SqlValue::Int(p.user_id)))
    },
};

/// The caller's own actor (the target of `user/actor` and `api_key/is_of__actor`).
pub static ACTOR: Resource = Resource {
    name: "actor",
    table: "actors",
    key: "id",
    fields: &[Field {
        name: "id",
        column: "id",
        ty: FieldType::Int,
    }],
    to_many: &[],
    permission: |p, alias, params| format!("{alias}.id IN {}", own_actor(p, params)),
};

/// balena's default user role: `resin.api_key.read?is_of__actor eq @__ACTOR_ID` (same for
/// update and delete). The secret's hash is deliberately not a field.
pub static API_KEY: Resource = Resource {
    name: "api_key",
    table: "api_keys",
    key: "id",
    fields: &[
        Field {
            name: "id",
            column: "id",
            ty: FieldType::Int,
        },
        Field {
            name: "created_at",
            column: "created_at",
            ty: FieldType::Date,
        },
        Field {
            name: "name",
            column: "name",
            ty: FieldType::Text,
        },
        Field {
            name: "description",
            column: "description",
            ty: FieldType::Text,
        },
        Field {
            name: "expiry_date",
            column: "expiry_date",
            ty: FieldType::Date,
        },
        Field {
            name: "is_of__actor",
            column: "actor_id",
            ty: FieldType::Ref("actor"),
        },
        Field {
            name: "last_used_at",
            column: "last_used_at",
            ty: FieldType::Date,
        },
    ],
    to_many: &[],
    permission: |p, alias, params| format!("{alias}.actor_id IN {}", own_actor(p, params)),
};

fn own_actor(p: &Principal, params: &mut Params) -> String {
    format!(
        "(SELECT actor_id FROM users WHERE id = {})",
        params.push(SqlValue::Int(p.user_id))
    )
}
