-- PostgreSQL twin of ../sqlite/0008_oauth_nonce.sql: the same schema meaning (its comments explain it).

DELETE FROM oauth_states;
ALTER TABLE oauth_states ADD COLUMN browser_nonce TEXT NOT NULL DEFAULT '';
ALTER TABLE oauth_states ADD COLUMN oidc_nonce TEXT NOT NULL DEFAULT '';
