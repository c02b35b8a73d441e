-- API keys (issue 3). Same portability rules as 0001: BIGINT millisecond timestamps set by the
-- server's clock, `$n` placeholders in queries, PostgreSQL-style index names.
--
-- Only SHA-256(key) is stored: a key has ~190 bits of entropy, so a fast hash is a sufficient
-- storage form (ASVS 6.5.2 by analogy) and the lookup by hash needs no constant-time compare.
-- Keys belong to actors (balena's `is_of__actor`); revocation deletes the row, so the very next
-- request with the key finds nothing.
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    key_hash TEXT NOT NULL,
    -- Nullable as in balena's model; keys created by this server always have a name.
    name TEXT,
    description TEXT,
    -- NULL: never expires. Checked on every request (`expiry_date > now`).
    expiry_date BIGINT,
    created_at BIGINT NOT NULL,
    -- Our addition: written at most once a minute per key (one conditional UPDATE).
    last_used_at BIGINT
);
CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys (key_hash);
CREATE INDEX api_keys_actor_idx ON api_keys (actor_id);
