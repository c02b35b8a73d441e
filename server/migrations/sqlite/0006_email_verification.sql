-- Email verification: an account's email counts as the user's only once they opened the link
-- mailed to it (or a social provider asserted it), so a sign-up with someone else's address
-- can never be linked to that person's social identity. Same portability rules as 0001.

-- NULL until verified. Accounts from before this migration start unverified: nothing proved
-- their addresses.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;

-- `user.is_verified` for the OData engine (a plain column, like has_password_set).
-- PostgreSQL: `GENERATED ALWAYS AS (email_verified_at IS NOT NULL) STORED`.
ALTER TABLE users ADD COLUMN is_verified BOOLEAN
    GENERATED ALWAYS AS (email_verified_at IS NOT NULL) VIRTUAL;

-- Verification links. The token (32 random bytes, base64url) is only in the mailed link's
-- fragment; only its SHA-256 is stored. Consumed by one conditional DELETE ... RETURNING, so
-- a link works once; a new mail deletes the user's older tokens. Lives 24 hours.
CREATE TABLE email_verification_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX email_verification_tokens_token_hash_key
    ON email_verification_tokens (token_hash);
CREATE INDEX email_verification_tokens_user_idx ON email_verification_tokens (user_id);
