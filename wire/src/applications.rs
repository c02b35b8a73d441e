//! Organizations, applications, members and roles (contract sections 7 and 12).
//! Row types match the expanded reads documented in `server/README.md` ("Applications API"):
//! navigations the console expands are arrays, the others `{"__id": n}` ([`Nav`]).
use serde::{Deserialize, Serialize};

use crate::{ForeignKey, Nav};

/// The member types of an application, most powerful first. `Administrator` is not an
/// application role: it is the organization's `administrator` role (balena's model). Their
/// names and descriptions for people are the console's (its message catalogue), keyed by
/// these values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberType {
    Administrator,
    Developer,
    Operator,
    Observer,
}

impl MemberType {
    pub const ALL: [MemberType; 4] = [
        Self::Administrator,
        Self::Developer,
        Self::Operator,
        Self::Observer,
    ];
    /// The application roles a member can be given (`application_membership_role.name`).
    pub const ASSIGNABLE: [MemberType; 3] = [Self::Developer, Self::Operator, Self::Observer];

    /// The role name on the wire (`administrator` is the organization role's name).
    pub fn name(self) -> &'static str {
        match self {
            Self::Administrator => "administrator",
            Self::Developer => "developer",
            Self::Operator => "operator",
            Self::Observer => "observer",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// From an `application_membership_role.name` (case and surrounding spaces ignored);
    /// `administrator` is not an application role. balena's `safe-developer`/`safe-operator`
    /// are not offered by this product.
    pub fn from_role_name(name: &str) -> Option<Self> {
        let name = name.trim().to_ascii_lowercase();
        Self::ASSIGNABLE.into_iter().find(|t| t.name() == name)
    }

    /// The `application_membership_role.name`; `None` for administrators.
    pub fn role_name(self) -> Option<&'static str> {
        (self != Self::Administrator).then(|| self.name())
    }

    /// On a `free` plan only Developer can be assigned.
    pub fn needs_paid_plan(self) -> bool {
        matches!(self, Self::Operator | Self::Observer)
    }
}

/// The permission table's columns, in the documented order. Their names for people are the
/// console's (its message catalogue), keyed by these values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    AddMembers,
    DeleteApplication,
    AddRemoveDevices,
    DeviceActions,
    Tags,
    DeviceEnvVars,
    Ssh,
    Push,
    FleetEnvVars,
    FleetActions,
}

impl Permission {
    pub const ALL: [Permission; 10] = [
        Self::AddMembers,
        Self::DeleteApplication,
        Self::AddRemoveDevices,
        Self::DeviceActions,
        Self::Tags,
        Self::DeviceEnvVars,
        Self::Ssh,
        Self::Push,
        Self::FleetEnvVars,
        Self::FleetActions,
    ];
}

/// One row of the permission table (same order as [`Permission::ALL`]).
pub fn permissions(t: MemberType) -> [bool; 10] {
    match t {
        MemberType::Administrator => [true; 10],
        MemberType::Developer => [false, false, true, true, true, true, true, true, true, true],
        MemberType::Operator => [
            false, false, true, true, true, true, true, false, false, false,
        ],
        MemberType::Observer => [false; 10],
    }
}

pub const APP_NAME_MIN_CHARS: usize = 4;
pub const APP_NAME_MAX_CHARS: usize = 100;

/// Application names: 4 to 100 of letters, digits, `-`, `_`, `.` (the slug is the lowercased
/// name under the organization's handle).
pub fn check_app_name(name: &str) -> Result<(), &'static str> {
    let n = name.chars().count();
    if !(APP_NAME_MIN_CHARS..=APP_NAME_MAX_CHARS).contains(&n) {
        return Err("Application names have 4 to 100 characters");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err("Application names may contain only letters, digits, '-', '_' and '.'");
    }
    Ok(())
}

/// `{"name": ...}` of an expanded role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleName {
    pub name: String,
}

/// An expanded `user($select=id,username,email)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberUser {
    pub id: i64,
    pub username: String,
    #[serde(default)]
    pub email: Option<String>,
}

/// An `organization_membership` row; `user` and the role expanded where requested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationMembershipRow {
    pub id: i64,
    #[serde(default)]
    pub user: Option<Nav<MemberUser>>,
    #[serde(default)]
    pub organization_membership_role: Option<Nav<RoleName>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationRow {
    pub id: i64,
    pub name: String,
    pub handle: String,
    /// `free` or `paid`.
    pub billing_plan: String,
    #[serde(default)]
    pub organization_membership: Vec<OrganizationMembershipRow>,
}

/// A `user_application_membership` row with `user` and `application_membership_role` expanded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationMembershipRow {
    pub id: i64,
    #[serde(default)]
    pub user: Option<Nav<MemberUser>>,
    #[serde(default)]
    pub application_membership_role: Option<Nav<RoleName>>,
}

/// An application as listed by the console (organization and my memberships expanded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRow {
    pub id: i64,
    pub app_name: String,
    pub slug: String,
    #[serde(default)]
    pub organization: Vec<OrganizationRow>,
    #[serde(default)]
    pub user_application_membership: Vec<ApplicationMembershipRow>,
}

/// A row of `/v7/application_membership_role?$select=id,name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRole {
    pub id: i64,
    pub name: String,
}

/// The accessors both membership rows share: they differ only in their role's field name.
macro_rules! membership_accessors {
    ($row:ty, $role:ident) => {
        impl $row {
            pub fn role_name(&self) -> Option<&str> {
                self.$role.as_ref()?.first().map(|r| r.name.as_str())
            }
            /// The expanded user's name (empty when `user` was not expanded).
            pub fn username(&self) -> String {
                self.user
                    .as_ref()
                    .and_then(Nav::first)
                    .map(|u| u.username.clone())
                    .unwrap_or_default()
            }
            /// The user's id, expanded or not.
            pub fn user_id(&self) -> Option<i64> {
                match self.user.as_ref()? {
                    Nav::Expanded(users) => users.first().map(|u| u.id),
                    Nav::Id(key) => Some(key.id),
                }
            }
        }
    };
}

membership_accessors!(OrganizationMembershipRow, organization_membership_role);
membership_accessors!(ApplicationMembershipRow, application_membership_role);

impl OrganizationMembershipRow {
    pub fn is_administrator(&self) -> bool {
        self.role_name() == Some(MemberType::Administrator.name())
    }
}

impl OrganizationRow {
    /// Whether the memberships (expanded and filtered to the viewer) make the viewer an
    /// administrator.
    pub fn viewer_is_admin(&self) -> bool {
        self.organization_membership
            .iter()
            .any(OrganizationMembershipRow::is_administrator)
    }
}

impl ApplicationRow {
    pub fn organization(&self) -> Option<&OrganizationRow> {
        self.organization.first()
    }
    /// The viewer's own membership (the expansion is filtered to the viewer).
    pub fn my_membership(&self) -> Option<&ApplicationMembershipRow> {
        self.user_application_membership.first()
    }
}

/// `POST /v7/application`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApplication {
    pub app_name: String,
    pub organization: i64,
}

/// The 201 answer of `POST /v7/application`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedApplication {
    pub id: i64,
    pub app_name: String,
    pub slug: String,
    pub organization: ForeignKey,
}

/// `POST /v7/user_application_membership`: give `username` or `email` (write-only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApplicationMembership {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(rename = "is_member_of__application")]
    pub is_member_of_application: i64,
    /// An `application_membership_role` id; absent: developer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_membership_role: Option<i64>,
}

/// `PATCH /v7/user_application_membership(<id>)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipRoleChange {
    pub application_membership_role: i64,
}

/// `PATCH /v7/organization(<id>)`: our stand-in for billing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChange {
    pub billing_plan: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_plan_rule() {
        for t in MemberType::ALL {
            assert_eq!(MemberType::from_name(t.name()), Some(t));
        }
        assert!(!MemberType::Developer.needs_paid_plan());
        assert!(MemberType::Observer.needs_paid_plan());
        assert!(check_app_name("Fleet-1.a_b").is_ok());
        assert!(check_app_name("abc").is_err());
        assert!(check_app_name("a b c d").is_err());
    }
}
