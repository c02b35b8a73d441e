//! Texts for the Access tokens page: API keys, their expiry, the session token.
crate::catalogue! {
    pub enum Tokens;
    en {
    }
    de {
    }
}
