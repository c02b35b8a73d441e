//! Texts for the preferences pages: account details, password, two-factor authentication, sessions, delete account.
crate::catalogue! {
    pub enum Account;
    en {
    }
    de {
    }
}
