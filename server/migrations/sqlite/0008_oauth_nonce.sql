-- Social sign-in binds each attempt to the browser tab that started it (the console's nonce,
-- echoed in the redirect back) and, for OpenID Connect, to its ID token (the `nonce` claim).
-- Rows live ten minutes; any left from before carry neither, so they go.
DELETE FROM oauth_states;
ALTER TABLE oauth_states ADD COLUMN browser_nonce TEXT NOT NULL DEFAULT '';
ALTER TABLE oauth_states ADD COLUMN oidc_nonce TEXT NOT NULL DEFAULT '';
