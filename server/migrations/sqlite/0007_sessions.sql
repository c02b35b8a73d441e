-- The active-sessions list. Same portability rules as 0001.
--
-- `user_agent` (at most 256 characters) and `client_ip` are where the session was started, so
-- people can recognise their devices; both may be NULL (a client that sends no User-Agent).
-- `last_used_at` is bumped at most once a minute by the request that finds the session, so a
-- read costs no write most of the time. Rows from before this migration start at their
-- creation time.
--
-- `partial` marks a session whose only token is a partial one (password given, two-factor code
-- due): it is not shown in the list, and it is replaced by a new session once the code passes.
-- Rows from before this migration are treated as full; partial ones lived 15 minutes anyway.
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN client_ip TEXT;
ALTER TABLE sessions ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN partial BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE sessions SET last_used_at = created_at;
