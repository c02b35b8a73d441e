-- Accounts, personal organizations and sessions (issue 2, the walking skeleton).
--
-- Portability rules, so a PostgreSQL copy of these migrations can follow with the same queries:
--   * timestamps are BIGINT milliseconds since the Unix epoch, set by the server's clock
--     (never CURRENT_TIMESTAMP: tests move an injected clock);
--   * `INTEGER PRIMARY KEY` is SQLite's 64-bit rowid alias (auto-assigned ids); PostgreSQL will
--     use `BIGINT GENERATED ALWAYS AS IDENTITY`;
--   * no table is called `user` (a reserved word in PostgreSQL);
--   * unique indexes carry the name PostgreSQL would report, e.g. `users_email_key`.

-- Every principal that can own things or hold credentials is an actor: users now,
-- applications and devices later (balena's `actor`). API keys will belong to actors.
CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    actor_type TEXT NOT NULL CHECK (actor_type IN ('user', 'application', 'device')),
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    -- Lowercase [a-z][a-z0-9_]{2,31} (wire::validate::username); also the personal org handle.
    username TEXT NOT NULL,
    -- Stored lowercased. Nullable: balena has users without an email (social sign-in later).
    email TEXT,
    -- argon2id PHC string. NULL would mean "no password set" (social-only accounts, later).
    password_hash TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_actor_id_key ON users (actor_id);
CREATE UNIQUE INDEX users_username_key ON users (username);
-- Several NULL emails are allowed (NULLs are distinct in unique indexes in both databases).
CREATE UNIQUE INDEX users_email_key ON users (email);

-- balena's organization roles; application roles (developer/operator/observer) come later.
CREATE TABLE organization_membership_roles (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE UNIQUE INDEX organization_membership_roles_name_key ON organization_membership_roles (name);
INSERT INTO organization_membership_roles (id, name) VALUES (1, 'administrator'), (2, 'member');

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    handle TEXT NOT NULL,
    -- On `free` only the `developer` application role can be assigned (contract section 12).
    billing_plan TEXT NOT NULL DEFAULT 'free' CHECK (billing_plan IN ('free', 'paid')),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX organizations_handle_key ON organizations (handle);

CREATE TABLE organization_memberships (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role_id BIGINT NOT NULL REFERENCES organization_membership_roles (id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX organization_memberships_user_org_key
    ON organization_memberships (user_id, organization_id);
CREATE INDEX organization_memberships_org_idx ON organization_memberships (organization_id);

-- One row per signed-in session. The JWT's `jwt_secret` claim is the session's secret; only its
-- SHA-256 is stored, so a database leak does not yield usable tokens. Deleting the row revokes
-- every token minted for the session (logout).
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- Last password authentication (the token's `authTime`); bounds the absolute lifetime.
    auth_time BIGINT NOT NULL,
    -- The `exp` of the newest token minted for this session (milliseconds).
    expires_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX sessions_secret_hash_key ON sessions (secret_hash);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Failure counters for brute-force protection, kept in the database so they survive restarts
-- and are shared by several server processes. Keys look like `login:user:42`,
-- `login:name:alice`, `login:ip:192.0.2.1`, `signup:ip:192.0.2.1`.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    -- Start of the current counting window (first hit after the previous window ended).
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    -- While in the future every attempt is refused with 429, even with the right password.
    blocked_until BIGINT
);
