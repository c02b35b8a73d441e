//! Texts for what the server's error codes and failed requests mean for people.
crate::catalogue! {
    pub enum Errors;
    en {
    }
    de {
    }
}
