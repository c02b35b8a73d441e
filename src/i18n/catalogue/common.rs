//! Texts for what every page shares: header, user menu, dialogs, forms, loading and errors, toasts.
crate::catalogue! {
    pub enum Common;
    en {
        AppName = "Account Console",
    }
    de {
        AppName = "Kontokonsole",
    }
}
