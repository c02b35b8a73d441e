//! Unique-index violations, recognised by index name and mapped to client answers.
//!
//! PostgreSQL reports the violated constraint's name (`DatabaseError::constraint()`); SQLite
//! reports only its columns (`UNIQUE constraint failed: users.email`). [`SQLITE_UNIQUE_INDEXES`]
//! turns those columns into the name PostgreSQL would report, so callers match names only and
//! one rule serves both databases.
use std::borrow::Cow;

use sqlx::error::ErrorKind;

use crate::error::AppError;

/// SQLite's column list of each unique index callers answer for, as the migrations declare
/// it (same names as PostgreSQL's): `(table.column[, table.column], index name)`.
const SQLITE_UNIQUE_INDEXES: &[(&str, &str)] = &[
    ("users.email", "users_email_key"),
    ("users.username", "users_username_key"),
    ("organizations.handle", "organizations_handle_key"),
    (
        "organization_memberships.user_id, organization_memberships.organization_id",
        "organization_memberships_user_org_key",
    ),
    ("applications.slug", "applications_slug_key"),
    (
        "user_application_memberships.user_id, user_application_memberships.application_id",
        "user_application_memberships_user_app_key",
    ),
    ("devices.uuid", "devices_uuid_key"),
    (
        "device_tags.device_id, device_tags.tag_key",
        "device_tags_device_key_key",
    ),
    (
        "device_environment_variables.device_id, device_environment_variables.name",
        "device_environment_variables_device_name_key",
    ),
    (
        "application_environment_variables.application_id, application_environment_variables.name",
        "application_environment_variables_app_name_key",
    ),
    (
        "user_identities.provider, user_identities.subject",
        "user_identities_provider_subject_key",
    ),
    (
        "user_identities.user_id, user_identities.provider",
        "user_identities_user_provider_key",
    ),
];

/// The name of the unique index `err` violated; `None` for every other error. A violation
/// SQLite reports for columns missing from [`SQLITE_UNIQUE_INDEXES`] is named by its columns,
/// so it still counts as a violation but matches no rule.
pub fn violated_unique(err: &sqlx::Error) -> Option<Cow<'_, str>> {
    let db_err = err.as_database_error()?;
    if db_err.kind() != ErrorKind::UniqueViolation {
        return None;
    }
    if let Some(name) = db_err.constraint() {
        return Some(Cow::Borrowed(name));
    }
    let columns = db_err
        .message()
        .strip_prefix("UNIQUE constraint failed: ")
        .unwrap_or(db_err.message());
    Some(
        SQLITE_UNIQUE_INDEXES
            .iter()
            .find(|(cols, _)| *cols == columns)
            .map_or(Cow::Borrowed(columns), |(_, name)| Cow::Borrowed(*name)),
    )
}

/// Maps a violation of one unique index to the answer it means (realworld-axum-sqlx's
/// `on_constraint`). Chains: each call looks at what the previous ones let through.
pub trait OnUnique<T> {
    fn on_unique(self, index: &str, answer: impl FnOnce() -> AppError) -> Result<T, AppError>;
}

impl<T, E: Into<AppError>> OnUnique<T> for Result<T, E> {
    fn on_unique(self, index: &str, answer: impl FnOnce() -> AppError) -> Result<T, AppError> {
        self.map_err(|e| {
            let e = e.into();
            if e.violated_unique().as_deref() == Some(index) {
                answer()
            } else {
                e
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn migrated() -> (tempfile::TempDir, crate::db::Db) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = crate::db::connect(&url).await.unwrap();
        (dir, db)
    }

    /// The declared column lists are the migrations' own, in their order.
    #[tokio::test]
    async fn every_declared_index_exists_with_these_columns() {
        let (_dir, db) = migrated().await;
        for (columns, name) in SQLITE_UNIQUE_INDEXES {
            let table = columns.split('.').next().unwrap();
            let found: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(name)
                    .fetch_all(&db)
                    .await
                    .unwrap();
            let found: Vec<String> = found.iter().map(|c| format!("{table}.{c}")).collect();
            assert_eq!(found.join(", "), *columns, "{name}");
        }
    }

    #[tokio::test]
    async fn sqlite_columns_become_the_index_name() {
        let (_dir, db) = migrated().await;
        let insert = "INSERT INTO organizations (name, handle, billing_plan, created_at)
                      VALUES ('a', 'acme', 'free', 0)";
        sqlx::query(insert).execute(&db).await.unwrap();
        let err = sqlx::query(insert).execute(&db).await.unwrap_err();
        assert_eq!(
            violated_unique(&err).as_deref(),
            Some("organizations_handle_key")
        );
        let answer = Err::<(), _>(err)
            .on_unique("users_email_key", || AppError::conflict("email"))
            .on_unique("organizations_handle_key", || AppError::conflict("handle"));
        assert!(matches!(answer, Err(AppError::Conflict { message, .. }) if message == "handle"));
    }

    #[test]
    fn other_errors_are_no_violation() {
        assert!(violated_unique(&sqlx::Error::RowNotFound).is_none());
    }
}
