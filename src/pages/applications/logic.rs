//! The applications pages' rules as plain functions: which member types a plan allows, what each type may do and therefore which controls a viewer is offered, and
//! the texts built from them. No DOM here, so every rule is unit-tested.
use crate::i18n::{catalogue::Apps, t, with_args};
use std::cmp::Ordering;

pub use wire::applications::{permissions, MemberType, Permission};

/// A member type's name for people: "Developer".
pub fn member_type_label(member_type: MemberType) -> &'static str {
    t(match member_type {
        MemberType::Administrator => Apps::TypeAdministrator,
        MemberType::Developer => Apps::TypeDeveloper,
        MemberType::Operator => Apps::TypeOperator,
        MemberType::Observer => Apps::TypeObserver,
    })
}

/// What a member type may do, in one line consistent with the permission table.
pub fn member_type_description(member_type: MemberType) -> &'static str {
    t(match member_type {
        MemberType::Administrator => Apps::DescriptionAdministrator,
        MemberType::Developer => Apps::DescriptionDeveloper,
        MemberType::Operator => Apps::DescriptionOperator,
        MemberType::Observer => Apps::DescriptionObserver,
    })
}

/// A column heading of the permission table.
pub fn permission_label(permission: Permission) -> &'static str {
    t(match permission {
        Permission::AddMembers => Apps::PermissionAddMembers,
        Permission::DeleteApplication => Apps::PermissionDeleteApplication,
        Permission::AddRemoveDevices => Apps::PermissionAddRemoveDevices,
        Permission::DeviceActions => Apps::PermissionDeviceActions,
        Permission::Tags => Apps::PermissionTags,
        Permission::DeviceEnvVars => Apps::PermissionDeviceEnvVars,
        Permission::Ssh => Apps::PermissionSsh,
        Permission::Push => Apps::PermissionPush,
        Permission::FleetEnvVars => Apps::PermissionFleetEnvVars,
        Permission::FleetActions => Apps::PermissionFleetActions,
    })
}

/// What the viewer may do in an application with this type.
pub fn abilities(member_type: MemberType) -> Abilities {
    let admin = member_type == MemberType::Administrator;
    Abilities {
        manage_members: admin,
        delete_application: admin,
        // Leaving is removing your own membership; administrators are not members.
        leave: !admin,
    }
}

/// An organization's billing plan (`free` / `paid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Free,
    Paid,
}

impl Plan {
    /// Anything but `paid` is treated as free: the console never offers more than the server
    /// would accept.
    pub fn from_name(name: &str) -> Plan {
        if name.trim().eq_ignore_ascii_case("paid") {
            Plan::Paid
        } else {
            Plan::Free
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Paid => "paid",
        }
    }

    pub fn label(self) -> &'static str {
        t(match self {
            Plan::Free => Apps::PlanFree,
            Plan::Paid => Apps::PlanPaid,
        })
    }

    pub fn other(self) -> Plan {
        match self {
            Plan::Free => Plan::Paid,
            Plan::Paid => Plan::Free,
        }
    }

    /// On `free` only Developer can be assigned; Operator and Observer need `paid`.
    pub fn allows(self, member_type: MemberType) -> bool {
        member_type != MemberType::Administrator
            && (self == Plan::Paid || !member_type.needs_paid_plan())
    }
}

/// The text of a member-type option: label, description and, when the plan does not allow
/// it, "(paid plan)".
pub fn member_type_option_text(member_type: MemberType, plan: Plan) -> String {
    let base = with_args(
        t(Apps::TypeOption),
        &[
            ("type", member_type_label(member_type)),
            ("description", member_type_description(member_type)),
        ],
    );
    if plan.allows(member_type) {
        base
    } else {
        with_args(t(Apps::NeedsPaidPlanMark), &[("text", &base)])
    }
}

/// The short form for table rows: the label, and "(paid plan)" when not allowed.
pub fn member_type_short_text(member_type: MemberType, plan: Plan) -> String {
    let label = member_type_label(member_type);
    if plan.allows(member_type) {
        label.to_string()
    } else {
        with_args(t(Apps::NeedsPaidPlanMark), &[("text", label)])
    }
}

/// Which controls the viewer's type permits. Controls outside these are not rendered at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abilities {
    /// "Add member", per-row "Change member type" and "Remove <user>".
    pub manage_members: bool,
    /// The "Delete application" danger action.
    pub delete_application: bool,
    /// "Remove member access" (leave the application).
    pub leave: bool,
}

/// The heading of a member type's row in the permission table.
pub fn permission_row_label(member_type: MemberType) -> &'static str {
    match member_type {
        MemberType::Administrator => t(Apps::RowAdministrator),
        MemberType::Observer => t(Apps::RowObserver),
        other => member_type_label(other),
    }
}

/// "yes" / "no", as in the table.
pub fn yes_no(allowed: bool) -> &'static str {
    t(if allowed { Apps::Yes } else { Apps::No })
}

/// How the person to add is named: an email (contains `@`) or a username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invitee {
    Username(String),
    Email(String),
}

/// Reads the "Username or email" field.
pub fn parse_invitee(input: &str) -> Result<Invitee, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Err(t(Apps::InviteeRequired));
    }
    if value.contains('@') {
        Ok(Invitee::Email(value.to_string()))
    } else {
        Ok(Invitee::Username(value.to_string()))
    }
}

/// The name as it will be sent, or why the server would refuse it (4–100 letters, digits,
/// `-`, `_`, `.`). `wire::applications::check_app_name` decides, as on the server; its
/// English reason is the server's, so the console words it from the catalogue.
pub fn validate_app_name(input: &str) -> Result<String, &'static str> {
    use wire::applications::{check_app_name, APP_NAME_MAX_CHARS, APP_NAME_MIN_CHARS};
    let name = input.trim();
    if name.is_empty() {
        return Err(t(Apps::AppNameRequired));
    }
    if check_app_name(name).is_err() {
        let length = name.chars().count();
        return Err(t(
            if (APP_NAME_MIN_CHARS..=APP_NAME_MAX_CHARS).contains(&length) {
                Apps::AppNameCharacters
            } else {
                Apps::AppNameLength
            },
        ));
    }
    Ok(name.to_string())
}

/// The header line of a shared application.
pub fn shared_line(owner: &str, member_type: MemberType) -> String {
    with_args(
        t(Apps::SharedLine),
        &[("owner", owner), ("type", member_type_label(member_type))],
    )
}

/// "Owned by <org>" in the applications list.
pub fn owned_by(owner: &str) -> String {
    with_args(t(Apps::OwnedBy), &[("owner", owner)])
}

/// The remove-member confirmation's title.
pub fn remove_title(username: &str, app_name: &str) -> String {
    with_args(
        t(Apps::RemoveTitle),
        &[("name", username), ("app", app_name)],
    )
}

/// An application as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppListRow {
    pub id: i64,
    pub name: String,
    pub organization_name: String,
    pub organization_handle: String,
    /// Not in an organization the viewer administers.
    pub shared: bool,
    pub member_type: MemberType,
}

/// What the viewer is in one application: an administrator of its organization, else the
/// type of their membership; `None` when neither (not listed).
pub fn viewer_type(
    organization_id: i64,
    administered_org_ids: &[i64],
    membership_role: Option<&str>,
) -> Option<MemberType> {
    if administered_org_ids.contains(&organization_id) {
        return Some(MemberType::Administrator);
    }
    membership_role.and_then(MemberType::from_role_name)
}

/// Case-insensitive by name, then by id (stable for equal names).
pub fn sort_rows(rows: &mut [AppListRow]) {
    rows.sort_by(
        |a, b| match a.name.to_lowercase().cmp(&b.name.to_lowercase()) {
            Ordering::Equal => a.id.cmp(&b.id),
            other => other,
        },
    );
}

/// "Type <name> to confirm" is satisfied only by the exact name (surrounding spaces aside).
pub fn typed_name_matches(typed: &str, name: &str) -> bool {
    typed.trim() == name
}
