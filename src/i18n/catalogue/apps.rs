//! Texts for applications, their members and roles, organizations.
crate::catalogue! {
    pub enum Apps;
    en {
    }
    de {
    }
}
