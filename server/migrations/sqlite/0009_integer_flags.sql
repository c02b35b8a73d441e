-- Flags are declared INTEGER (0 or 1), not BOOLEAN. SQLite stores both the same way, but the
-- server reads SQLite through sqlx's database-neutral `Any` driver, which refuses a column
-- declared BOOLEAN; `db::get_bool` reads 0/1 here and PostgreSQL's BOOLEAN alike. Nothing in
-- an index, view or trigger names these columns, so they can be dropped and added back.
ALTER TABLE users DROP COLUMN has_password_set;
ALTER TABLE users ADD COLUMN has_password_set INTEGER
    GENERATED ALWAYS AS (password_hash IS NOT NULL) VIRTUAL;

ALTER TABLE users DROP COLUMN is_verified;
ALTER TABLE users ADD COLUMN is_verified INTEGER
    GENERATED ALWAYS AS (email_verified_at IS NOT NULL) VIRTUAL;

ALTER TABLE sessions ADD COLUMN partial_flag INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET partial_flag = partial;
ALTER TABLE sessions DROP COLUMN partial;
ALTER TABLE sessions RENAME COLUMN partial_flag TO partial;
