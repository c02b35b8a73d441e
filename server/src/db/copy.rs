//! `server migrate-data`: copies every row of one database into another, empty one, e.g. an
//! operator's SQLite file into PostgreSQL. Rows keep their ids and stored forms (password and
//! key hashes, encrypted TOTP secrets, session hashes), so with the same `--jwt-secret` and
//! TOTP key every password, TOTP, recovery code, API key and session keeps working.
use anyhow::{bail, Context};
use sqlx::any::AnyRow;
use sqlx::Row as _;

use super::{begin_write, connect, get_bool, Backend, Db};

#[derive(Clone, Copy)]
enum Kind {
    Int,
    Text,
    Blob,
    Bool,
}
use Kind::{Blob, Bool, Int, Text};

/// Every table with data, parents before children, and its stored columns (generated ones
/// are computed by the target). The role tables are left out: migrations seed them, with
/// the same ids, on both databases. A test compares this list with the migrated schema.
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    (
        "actors",
        &[("id", Int), ("actor_type", Text), ("created_at", Int)],
    ),
    (
        "users",
        &[
            ("id", Int),
            ("actor_id", Int),
            ("username", Text),
            ("email", Text),
            ("password_hash", Text),
            ("created_at", Int),
            ("email_verified_at", Int),
        ],
    ),
    (
        "organizations",
        &[
            ("id", Int),
            ("name", Text),
            ("handle", Text),
            ("billing_plan", Text),
            ("created_at", Int),
        ],
    ),
    (
        "organization_memberships",
        &[
            ("id", Int),
            ("user_id", Int),
            ("organization_id", Int),
            ("role_id", Int),
            ("created_at", Int),
        ],
    ),
    (
        "sessions",
        &[
            ("id", Int),
            ("user_id", Int),
            ("secret_hash", Text),
            ("created_at", Int),
            ("auth_time", Int),
            ("expires_at", Int),
            ("totp_failures", Int),
            ("user_agent", Text),
            ("client_ip", Text),
            ("last_used_at", Int),
            ("partial", Bool),
        ],
    ),
    (
        "rate_limits",
        &[
            ("key", Text),
            ("window_start", Int),
            ("hits", Int),
            ("blocked_until", Int),
        ],
    ),
    (
        "api_keys",
        &[
            ("id", Int),
            ("actor_id", Int),
            ("key_hash", Text),
            ("name", Text),
            ("description", Text),
            ("expiry_date", Int),
            ("created_at", Int),
            ("last_used_at", Int),
        ],
    ),
    (
        "totp_credentials",
        &[
            ("user_id", Int),
            ("secret_ciphertext", Blob),
            ("created_at", Int),
            ("enabled_at", Int),
            ("last_used_step", Int),
        ],
    ),
    (
        "recovery_codes",
        &[
            ("id", Int),
            ("user_id", Int),
            ("code_hash", Text),
            ("created_at", Int),
            ("used_at", Int),
        ],
    ),
    (
        "applications",
        &[
            ("id", Int),
            ("actor_id", Int),
            ("organization_id", Int),
            ("app_name", Text),
            ("slug", Text),
            ("created_at", Int),
        ],
    ),
    (
        "user_application_memberships",
        &[
            ("id", Int),
            ("user_id", Int),
            ("application_id", Int),
            ("role_id", Int),
            ("created_at", Int),
        ],
    ),
    (
        "devices",
        &[
            ("id", Int),
            ("actor_id", Int),
            ("application_id", Int),
            ("uuid", Text),
            ("device_name", Text),
            ("created_at", Int),
        ],
    ),
    (
        "device_tags",
        &[
            ("id", Int),
            ("device_id", Int),
            ("tag_key", Text),
            ("value", Text),
        ],
    ),
    (
        "device_environment_variables",
        &[
            ("id", Int),
            ("device_id", Int),
            ("name", Text),
            ("value", Text),
        ],
    ),
    (
        "application_environment_variables",
        &[
            ("id", Int),
            ("application_id", Int),
            ("name", Text),
            ("value", Text),
        ],
    ),
    (
        "password_reset_tokens",
        &[
            ("id", Int),
            ("user_id", Int),
            ("token_hash", Text),
            ("created_at", Int),
            ("expires_at", Int),
        ],
    ),
    (
        "user_identities",
        &[
            ("id", Int),
            ("user_id", Int),
            ("provider", Text),
            ("subject", Text),
            ("created_at", Int),
        ],
    ),
    (
        "oauth_states",
        &[
            ("state_hash", Text),
            ("provider", Text),
            ("pkce_verifier", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("browser_nonce", Text),
            ("oidc_nonce", Text),
        ],
    ),
    (
        "email_verification_tokens",
        &[
            ("id", Int),
            ("user_id", Int),
            ("token_hash", Text),
            ("created_at", Int),
            ("expires_at", Int),
        ],
    ),
];

/// Copies `from` into `to` (both migrated first) in one transaction on `to`, and returns
/// the rows copied per table. Refuses a target that already holds accounts.
pub async fn copy_database(from: &str, to: &str) -> anyhow::Result<Vec<(&'static str, u64)>> {
    let source = connect(from).await.context("opening --from")?;
    let target = connect(to).await.context("opening --to")?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM actors")
        .fetch_one(&target)
        .await?;
    if existing > 0 {
        bail!("--to already holds {existing} accounts, applications or devices; give an empty database");
    }
    let mut tx = begin_write(&target).await?;
    let mut copied = Vec::with_capacity(TABLES.len());
    for (table, columns) in TABLES {
        let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
        let select = format!("SELECT {} FROM {table}", names.join(", "));
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names.join(", "),
            placeholders.join(", ")
        );
        // Safe: table and column names come from the constant above, values are bound.
        let rows = sqlx::query(sqlx::AssertSqlSafe(select))
            .fetch_all(&source)
            .await
            .with_context(|| format!("reading {table}"))?;
        for row in &rows {
            bind_row(
                sqlx::query(sqlx::AssertSqlSafe(insert.clone())),
                row,
                columns,
            )?
            .execute(&mut *tx)
            .await
            .with_context(|| format!("writing {table}"))?;
        }
        copied.push((*table, rows.len() as u64));
    }
    if Backend::of(&target) == Backend::Postgres {
        // Ids were copied as they were: the identity sequences must continue after them.
        for (table, columns) in TABLES {
            if columns[0].0 == "id" {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    tx.commit().await?;
    close(source, target).await;
    Ok(copied)
}

async fn close(source: Db, target: Db) {
    source.close().await;
    target.close().await;
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

fn bind_row<'q>(
    mut q: Query<'q>,
    row: &AnyRow,
    columns: &[(&str, Kind)],
) -> Result<Query<'q>, sqlx::Error> {
    for (i, (_, kind)) in columns.iter().enumerate() {
        q = match kind {
            Int => q.bind(row.try_get::<Option<i64>, _>(i)?),
            Text => q.bind(row.try_get::<Option<String>, _>(i)?),
            Blob => q.bind(row.try_get::<Option<Vec<u8>>, _>(i)?),
            Bool => q.bind(get_bool(row, i)?),
        };
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::TABLES;

    /// Every stored column of every table the migrations create is copied, so a new
    /// migration cannot be forgotten here.
    #[tokio::test]
    async fn the_copy_list_is_the_whole_schema() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = super::connect(&url).await.unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT IN ('_sqlx_migrations', 'organization_membership_roles',
                              'application_membership_roles') ORDER BY name",
        )
        .fetch_all(&db)
        .await
        .unwrap();
        let mut listed: Vec<&str> = TABLES.iter().map(|(t, _)| *t).collect();
        listed.sort_unstable();
        assert_eq!(tables, listed);
        for (table, columns) in TABLES {
            let stored: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                    .bind(table)
                    .fetch_all(&db)
                    .await
                    .unwrap();
            let listed: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
            assert_eq!(stored, listed, "{table}");
        }
    }
}
