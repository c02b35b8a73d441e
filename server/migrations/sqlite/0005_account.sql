-- Account details (issue 5): password reset tokens, social sign-in identities and the
-- short-lived OAuth authorization state. Same portability rules as 0001.

-- Password reset links. The token (32 random bytes, base64url) is only ever in the emailed
-- link's fragment; only its SHA-256 is stored, so a database leak yields no usable link.
-- Consumed by one `DELETE ... WHERE token_hash = $1 AND expires_at > $2 RETURNING`, so a
-- link works once, also when confirmed twice in parallel. A new request deletes the user's
-- older tokens.
CREATE TABLE password_reset_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX password_reset_tokens_token_hash_key ON password_reset_tokens (token_hash);
CREATE INDEX password_reset_tokens_user_idx ON password_reset_tokens (user_id);

-- A user's account at a social sign-in provider (`github`, `google`, `oidc`): the provider's
-- stable subject id, never the email (emails change and can be reassigned).
CREATE TABLE user_identities (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX user_identities_provider_subject_key ON user_identities (provider, subject);
-- One identity per provider per user: a second GitHub account cannot be attached silently.
CREATE UNIQUE INDEX user_identities_user_provider_key ON user_identities (user_id, provider);

-- An authorization in progress: the `state` parameter (stored as SHA-256) and the PKCE
-- verifier (needed in clear for the token request). Consumed once by a conditional DELETE;
-- lives 10 minutes; expired rows are swept when new ones are created.
CREATE TABLE oauth_states (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- `user.has_password_set` (balena's user_profile field) for the OData engine, which maps
-- fields to plain columns. VIRTUAL: computed on read, nothing to keep in sync. PostgreSQL:
-- `GENERATED ALWAYS AS (password_hash IS NOT NULL) STORED`.
ALTER TABLE users ADD COLUMN has_password_set BOOLEAN
    GENERATED ALWAYS AS (password_hash IS NOT NULL) VIRTUAL;
