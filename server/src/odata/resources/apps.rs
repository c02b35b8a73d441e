//! Organizations, applications, members, devices, tags and variables, and the role
//! SQL every permission predicate and write check is built from. Roles are looked up in the
//! database inside each statement, never taken from the token, so a change applies to the
//! very next request.
use crate::odata::resource::{
    Create, Delete, Field, FieldType, Pair, Params, Patch, Principal, Resource, SqlValue, ToMany,
    Writes,
};

/// What a member type may do with an application's rows (the documented table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Any member type (observers included): read.
    Read,
    /// Administrators, developers and operators: devices, device actions, tags, device env vars.
    Devices,
    /// Administrators and developers: fleet env vars, application and device API keys.
    Fleet,
    /// Organization administrators: members, deleting the application, the plan.
    Admin,
}

impl Level {
    /// The application roles that reach this level (administrators always do).
    fn roles(self) -> &'static [&'static str] {
        match self {
            Self::Read => &["developer", "operator", "observer"],
            Self::Devices => &["developer", "operator"],
            Self::Fleet => &["developer"],
            Self::Admin => &[],
        }
    }
}

/// `SELECT organization_id` of the organizations where the user is an administrator. Role
/// names are bound like any value, so the SQL text never holds a quoted literal.
pub fn admin_orgs(user_id: i64, params: &mut Params) -> String {
    let u = params.push(SqlValue::Int(user_id));
    let admin = params.push(SqlValue::Text("administrator".to_owned()));
    format!(
        "SELECT om.organization_id FROM organization_memberships om \
         JOIN organization_membership_roles omr ON omr.id = om.role_id \
         WHERE om.user_id = {u} AND omr.name = {admin}"
    )
}

/// `SELECT organization_id` of every organization the user belongs to.
pub fn member_orgs(user_id: i64, params: &mut Params) -> String {
    let u = params.push(SqlValue::Int(user_id));
    format!("SELECT organization_id FROM organization_memberships WHERE user_id = {u}")
}

/// `SELECT id` of the applications where the user has at least `level`.
pub fn app_ids(level: Level, user_id: i64, params: &mut Params) -> String {
    let admin = admin_orgs(user_id, params);
    let mut sql =
        format!("SELECT ap.id FROM applications ap WHERE ap.organization_id IN ({admin})");
    if level != Level::Admin {
        let u = params.push(SqlValue::Int(user_id));
        let roles: Vec<String> = level
            .roles()
            .iter()
            .map(|r| params.push(SqlValue::Text((*r).to_owned())))
            .collect();
        sql.push_str(&format!(
            " UNION SELECT uam.application_id FROM user_application_memberships uam \
             JOIN application_membership_roles amr ON amr.id = uam.role_id \
             WHERE uam.user_id = {u} AND amr.name IN ({})",
            roles.join(", ")
        ));
    }
    sql
}

/// `SELECT id` of the devices of those applications.
pub fn device_ids(level: Level, user_id: i64, params: &mut Params) -> String {
    let apps = app_ids(level, user_id, params);
    format!("SELECT dv.id FROM devices dv WHERE dv.application_id IN ({apps})")
}

/// Tags and variables: created, changed and deleted by the name/value rules of `pair`.
const fn pair_writes(pair: Pair) -> Writes {
    Writes {
        create: Some(Create::Pair(pair)),
        patch: Some(Patch::Pair(pair)),
        delete: Some(Delete::Pair(pair)),
    }
}

const fn field(name: &'static str, column: &'static str, ty: FieldType) -> Field {
    Field { name, column, ty }
}

const ID: Field = field("id", "id", FieldType::Int);
const CREATED_AT: Field = field("created_at", "created_at", FieldType::Date);

pub static ORGANIZATION: Resource = Resource {
    name: "organization",
    table: "organizations",
    key: "id",
    fields: &[
        ID,
        field("name", "name", FieldType::Text),
        field("handle", "handle", FieldType::Text),
        field("billing_plan", "billing_plan", FieldType::Text),
        CREATED_AT,
    ],
    to_many: &[
        ToMany {
            name: "organization_membership",
            target: "organization_membership",
            remote_column: "organization_id",
        },
        ToMany {
            name: "application",
            target: "application",
            remote_column: "organization_id",
        },
    ],
    private: None,
    permission: |p, alias, params| format!("{alias}.id IN ({})", member_orgs(p.user_id, params)),
    writes: Writes {
        create: None,
        patch: Some(Patch::Organization),
        delete: None,
    },
};

/// Members of an organization see all of its memberships.
pub static ORGANIZATION_MEMBERSHIP: Resource = Resource {
    name: "organization_membership",
    table: "organization_memberships",
    key: "id",
    fields: &[
        ID,
        CREATED_AT,
        field("user", "user_id", FieldType::Ref("user")),
        field(
            "is_member_of__organization",
            "organization_id",
            FieldType::Ref("organization"),
        ),
        field(
            "organization_membership_role",
            "role_id",
            FieldType::Ref("organization_membership_role"),
        ),
    ],
    to_many: &[],
    private: None,
    permission: |p, alias, params| {
        format!(
            "{alias}.organization_id IN ({})",
            member_orgs(p.user_id, params)
        )
    },
    writes: Writes {
        create: Some(Create::OrganizationMember),
        patch: Some(Patch::OrganizationMember),
        delete: Some(Delete::OrganizationMember),
    },
};

/// Role tables are public reference data.
pub static ORGANIZATION_MEMBERSHIP_ROLE: Resource = Resource {
    name: "organization_membership_role",
    table: "organization_membership_roles",
    key: "id",
    fields: &[ID, field("name", "name", FieldType::Text)],
    to_many: &[],
    private: None,
    permission: |_, _, _| "TRUE".to_owned(),
    writes: Writes::READ_ONLY,
};

pub static APPLICATION_MEMBERSHIP_ROLE: Resource = Resource {
    name: "application_membership_role",
    table: "application_membership_roles",
    key: "id",
    fields: &[ID, field("name", "name", FieldType::Text)],
    to_many: &[],
    private: None,
    permission: |_, _, _| "TRUE".to_owned(),
    writes: Writes::READ_ONLY,
};

fn visible_app(p: &Principal, alias: &str, column: &str, params: &mut Params) -> String {
    format!(
        "{alias}.{column} IN ({})",
        app_ids(Level::Read, p.user_id, params)
    )
}

fn visible_device(p: &Principal, alias: &str, params: &mut Params) -> String {
    format!(
        "{alias}.device_id IN ({})",
        device_ids(Level::Read, p.user_id, params)
    )
}

pub static APPLICATION: Resource = Resource {
    name: "application",
    table: "applications",
    key: "id",
    fields: &[
        ID,
        field("app_name", "app_name", FieldType::Text),
        field("slug", "slug", FieldType::Text),
        field(
            "organization",
            "organization_id",
            FieldType::Ref("organization"),
        ),
        field("actor", "actor_id", FieldType::Ref("actor")),
        CREATED_AT,
    ],
    to_many: &[
        ToMany {
            name: "user_application_membership",
            target: "user_application_membership",
            remote_column: "application_id",
        },
        ToMany {
            name: "owns__device",
            target: "device",
            remote_column: "application_id",
        },
        ToMany {
            name: "application_environment_variable",
            target: "application_environment_variable",
            remote_column: "application_id",
        },
    ],
    private: None,
    permission: |p, alias, params| visible_app(p, alias, "id", params),
    writes: Writes {
        create: Some(Create::Application),
        patch: None,
        delete: Some(Delete::Application),
    },
};

pub static USER_APPLICATION_MEMBERSHIP: Resource = Resource {
    name: "user_application_membership",
    table: "user_application_memberships",
    key: "id",
    fields: &[
        ID,
        CREATED_AT,
        field("user", "user_id", FieldType::Ref("user")),
        field(
            "is_member_of__application",
            "application_id",
            FieldType::Ref("application"),
        ),
        field(
            "application_membership_role",
            "role_id",
            FieldType::Ref("application_membership_role"),
        ),
    ],
    to_many: &[],
    private: None,
    permission: |p, alias, params| visible_app(p, alias, "application_id", params),
    writes: Writes {
        create: Some(Create::ApplicationMember),
        patch: Some(Patch::ApplicationMember),
        delete: Some(Delete::ApplicationMember),
    },
};

pub static DEVICE: Resource = Resource {
    name: "device",
    table: "devices",
    key: "id",
    fields: &[
        ID,
        field("uuid", "uuid", FieldType::Text),
        field("device_name", "device_name", FieldType::Text),
        field(
            "belongs_to__application",
            "application_id",
            FieldType::Ref("application"),
        ),
        field("actor", "actor_id", FieldType::Ref("actor")),
        CREATED_AT,
    ],
    to_many: &[
        ToMany {
            name: "device_tag",
            target: "device_tag",
            remote_column: "device_id",
        },
        ToMany {
            name: "device_environment_variable",
            target: "device_environment_variable",
            remote_column: "device_id",
        },
    ],
    private: None,
    permission: |p, alias, params| visible_app(p, alias, "application_id", params),
    writes: Writes {
        create: Some(Create::Device),
        patch: Some(Patch::Device),
        delete: Some(Delete::Device),
    },
};

pub static DEVICE_TAG: Resource = Resource {
    name: "device_tag",
    table: "device_tags",
    key: "id",
    fields: &[
        ID,
        field("device", "device_id", FieldType::Ref("device")),
        field("tag_key", "tag_key", FieldType::Text),
        field("value", "value", FieldType::Text),
    ],
    to_many: &[],
    private: None,
    permission: visible_device,
    writes: pair_writes(Pair::DeviceTag),
};

pub static DEVICE_ENVIRONMENT_VARIABLE: Resource = Resource {
    name: "device_environment_variable",
    table: "device_environment_variables",
    key: "id",
    fields: &[
        ID,
        field("device", "device_id", FieldType::Ref("device")),
        field("name", "name", FieldType::Text),
        field("value", "value", FieldType::Text),
    ],
    to_many: &[],
    private: None,
    permission: visible_device,
    writes: pair_writes(Pair::DeviceVariable),
};

pub static APPLICATION_ENVIRONMENT_VARIABLE: Resource = Resource {
    name: "application_environment_variable",
    table: "application_environment_variables",
    key: "id",
    fields: &[
        ID,
        field(
            "application",
            "application_id",
            FieldType::Ref("application"),
        ),
        field("name", "name", FieldType::Text),
        field("value", "value", FieldType::Text),
    ],
    to_many: &[],
    private: None,
    permission: |p, alias, params| visible_app(p, alias, "application_id", params),
    writes: pair_writes(Pair::FleetVariable),
};
