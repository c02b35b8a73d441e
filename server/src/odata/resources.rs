//! The `/v7` resources. Organizations, applications, members and devices live in
//! `resources/apps.rs`, with the role SQL their permissions are built from.
mod apps;

pub use apps::*;

use super::resource::{
    Catalog, Delete, Field, FieldType, Params, Patch, Principal, Private, Resource, SqlValue,
    ToMany, Writes,
};

pub const V7: Catalog = Catalog(&[
    &USER,
    &ACTOR,
    &API_KEY,
    &ORGANIZATION,
    &ORGANIZATION_MEMBERSHIP,
    &ORGANIZATION_MEMBERSHIP_ROLE,
    &APPLICATION,
    &USER_APPLICATION_MEMBERSHIP,
    &APPLICATION_MEMBERSHIP_ROLE,
    &DEVICE,
    &DEVICE_TAG,
    &DEVICE_ENVIRONMENT_VARIABLE,
    &APPLICATION_ENVIRONMENT_VARIABLE,
]);

/// Users see their own row and the members of the organizations they belong to (so member
/// lists can show usernames). A user's email is theirs alone: co-members see null.
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
        // A generated column (`password_hash IS NOT NULL`, migration 0005): false for
        // accounts made by social sign-in until they set a password.
        Field {
            name: "has_password_set",
            column: "has_password_set",
            ty: FieldType::Bool,
        },
        // Readable on one's own row only, like the email it is about.
        Field {
            name: "is_verified",
            column: "is_verified",
            ty: FieldType::Bool,
        },
        Field {
            name: "created_at",
            column: "created_at",
            ty: FieldType::Date,
        },
    ],
    to_many: &[],
    private: Some(Private {
        owner_column: "id",
        fields: &["email", "is_verified"],
    }),
    permission: |p, alias, params| {
        let own = params.push(SqlValue::Int(p.user_id));
        let orgs = member_orgs(p.user_id, params);
        format!(
            "({alias}.id = {own} OR {alias}.id IN \
             (SELECT user_id FROM organization_memberships WHERE organization_id IN ({orgs})))"
        )
    },
    writes: Writes {
        create: None,
        patch: Some(Patch::UserVerification),
        delete: Some(Delete::Account),
    },
};

/// Actors the caller may see: their own, and those of the applications and devices they can
/// read (the targets of `user/actor`, `application/actor` and `api_key/is_of__actor`).
pub static ACTOR: Resource = Resource {
    name: "actor",
    table: "actors",
    key: "id",
    fields: &[Field {
        name: "id",
        column: "id",
        ty: FieldType::Int,
    }],
    to_many: &[
        ToMany {
            name: "is_of__user",
            target: "user",
            remote_column: "actor_id",
        },
        ToMany {
            name: "is_of__application",
            target: "application",
            remote_column: "actor_id",
        },
        ToMany {
            name: "is_of__device",
            target: "device",
            remote_column: "actor_id",
        },
    ],
    private: None,
    permission: |p, alias, params| managed_actors(p, &format!("{alias}.id"), Level::Read, params),
    writes: Writes::READ_ONLY,
};

/// balena's default user role: `resin.api_key.read?is_of__actor eq @__ACTOR_ID` (same for
/// update and delete), plus the keys of applications and devices the caller may manage
/// (administrators and developers). The secret's hash is deliberately not a field.
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
    private: None,
    permission: |p, alias, params| {
        let column = format!("{alias}.actor_id");
        managed_actors(p, &column, Level::Fleet, params)
    },
    writes: Writes {
        create: None,
        patch: Some(Patch::ApiKey),
        delete: Some(Delete::ApiKey),
    },
};

/// `<column> IN` the caller's own actor, or those of applications and devices where the
/// caller has at least `level`. `column` is an actor id column (e.g. `t0.id`).
fn managed_actors(p: &Principal, column: &str, level: Level, params: &mut Params) -> String {
    let own = own_actor(p, params);
    let apps = app_ids(level, p.user_id, params);
    let devices = device_ids(level, p.user_id, params);
    format!(
        "({column} IN {own} \
         OR {column} IN (SELECT actor_id FROM applications WHERE id IN ({apps})) \
         OR {column} IN (SELECT actor_id FROM devices WHERE id IN ({devices})))"
    )
}

fn own_actor(p: &Principal, params: &mut Params) -> String {
    format!(
        "(SELECT actor_id FROM users WHERE id = {})",
        params.push(SqlValue::Int(p.user_id))
    )
}
