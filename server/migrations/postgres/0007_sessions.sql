-- PostgreSQL twin of ../sqlite/0007_sessions.sql: the same schema meaning (its comments explain it).

ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN client_ip TEXT;
ALTER TABLE sessions ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN partial BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE sessions SET last_used_at = created_at;
