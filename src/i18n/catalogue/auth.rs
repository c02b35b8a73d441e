//! Texts for signing up and in, the two-factor challenge, password reset, email verification.
crate::catalogue! {
    pub enum Auth;
    en {
    }
    de {
    }
}
