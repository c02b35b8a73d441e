-- Two-factor authentication: TOTP credentials and recovery codes (issue 4).

-- One row per user who started or finished TOTP setup. `enabled_at` NULL means the setup is
-- pending (a secret was handed out, no valid code came back yet): such a row never makes login
-- ask for a code. The secret is never stored in clear: `secret_ciphertext` is
-- nonce (24 bytes) || XChaCha20-Poly1305(secret, aad = "totp:<user id>") under the server's
-- TOTP key, which lives outside the database (`--totp-key` or `<data-dir>/totp-key`).
CREATE TABLE totp_credentials (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_ciphertext BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    enabled_at BIGINT,
    -- The RFC 6238 time step (unix seconds / 30) of the last accepted code. A code is accepted
    -- only for a strictly later step, in one conditional UPDATE, so no code (nor any older one)
    -- is accepted twice, even when submitted in parallel. -1: none accepted yet.
    last_used_step BIGINT NOT NULL DEFAULT -1
);

-- Recovery (lookup) codes: 120 random bits each, so per ASVS 6.5.2 a plain SHA-256 is enough;
-- only the hash is stored, looked up by its unique index. `used_at` is set by one conditional
-- UPDATE (... WHERE used_at IS NULL), so a code works once, also under concurrency.
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE UNIQUE INDEX recovery_codes_code_hash_key ON recovery_codes (code_hash);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

-- Wrong codes given with a partial (2FA pending) token: the fifth burns the session.
ALTER TABLE sessions ADD COLUMN totp_failures BIGINT NOT NULL DEFAULT 0;
