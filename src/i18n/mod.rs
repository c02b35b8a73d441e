//! Languages: every text people read comes from the message catalogue in [`catalogue`], in
//! English and German. The language is chosen once per render of the app: from the visitor's
//! earlier choice, else the browser's preferences, else English.
//!
//! Texts are looked up when a view is built, not tracked reactively: switching the language
//! re-renders the app (see [`Language::set`]). That keeps each text a plain `&'static str` in
//! the views, which is what keeps the catalogue cheap in the bundle.
pub mod catalogue;
mod format;
mod validation;

pub use format::{date, plural, time_ago, with_args};
use leptos::prelude::*;
pub use validation::invalid_text;

/// Where the visitor's choice is remembered.
pub const LOCALE_KEY: &str = "account-console.locale";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    De,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::De];

    /// The BCP 47 tag, for `lang` attributes and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::De => "de",
        }
    }

    /// The language's own name for itself: the switch shows it the same in every language,
    /// so people who can't read the current one still find theirs.
    pub fn autonym(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::De => "Deutsch",
        }
    }

    /// `de`, `de-AT`, `DE-ch` … are German; anything unknown is `None`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The first of the visitor's preferred languages the console speaks, else English.
    pub fn negotiate<S: AsRef<str>>(preferred: &[S]) -> Locale {
        preferred
            .iter()
            .find_map(|tag| Locale::from_tag(tag.as_ref()))
            .unwrap_or_default()
    }
}

/// The current language, provided as a context. Copy, like the other state handles.
#[derive(Debug, Clone, Copy)]
pub struct Language {
    current: RwSignal<Locale>,
}

impl Language {
    /// The stored choice, else the browser's languages.
    pub fn new() -> Self {
        let locale = stored_choice().unwrap_or_else(|| Locale::negotiate(&browser_languages()));
        Self::with(locale)
    }

    pub fn with(locale: Locale) -> Self {
        Language {
            current: RwSignal::new(locale),
        }
    }

    /// The language now, without subscribing: views read it once when built.
    pub fn get(self) -> Locale {
        self.current.get_untracked()
    }

    /// Subscribes the caller (the app's root) so it re-renders on a switch.
    pub fn track(self) -> Locale {
        self.current.get()
    }

    /// Switches the language and remembers the choice.
    pub fn set(self, locale: Locale) {
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = storage.set_item(LOCALE_KEY, locale.tag());
        }
        self.current.set(locale);
    }
}

impl Default for Language {
    fn default() -> Self {
        Self::new()
    }
}

/// The language the current view is being built in; English where no app is mounted.
pub fn locale() -> Locale {
    use_context::<Language>()
        .map(Language::get)
        .unwrap_or_default()
}

/// One entry point for every text: `t(Auth::LogIn)`.
pub fn t<M: Message>(message: M) -> &'static str {
    text(locale(), message)
}

/// The text in `locale`, falling back to English where a translation is missing.
pub fn text<M: Message>(locale: Locale, message: M) -> &'static str {
    match locale {
        Locale::En => message.en(),
        Locale::De => message.de().unwrap_or_else(|| message.en()),
    }
}

/// A part of the catalogue: one enum per area of the console. Written with [`catalogue!`].
pub trait Message: Copy + std::fmt::Debug + 'static {
    /// Every key, for the test that compares the languages.
    const ALL: &'static [Self];
    fn en(self) -> &'static str;
    /// `None` where the German catalogue lacks the key.
    fn de(self) -> Option<&'static str>;
}

/// Declares one area of the catalogue: an enum with one variant per key, the English texts
/// (complete by construction: they define the keys) and the German ones (a key missing there
/// falls back to English; a test lists any that are missing). Placeholders are written
/// `{name}` and filled by [`with_args`]; plural forms are two keys, `…One` and `…Other`,
/// chosen by [`plural`].
#[macro_export]
macro_rules! catalogue {
    (
        $(#[$meta:meta])*
        pub enum $name:ident;
        en { $($key:ident = $en:literal,)* }
        de { $($de_key:ident = $de:literal,)* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key,)* }

        impl $crate::i18n::Message for $name {
            const ALL: &'static [Self] = &[$(Self::$key,)*];
            fn en(self) -> &'static str {
                match self { $(Self::$key => $en,)* }
            }
            fn de(self) -> Option<&'static str> {
                #[allow(unreachable_patterns)]
                match self {
                    $(Self::$de_key => Some($de),)*
                    _ => None,
                }
            }
        }
    };
}

fn stored_choice() -> Option<Locale> {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(LOCALE_KEY)
        .ok()
        .flatten()?;
    Locale::from_tag(&stored)
}

fn browser_languages() -> Vec<String> {
    let navigator = window().navigator();
    let listed: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if listed.is_empty() {
        navigator.language().into_iter().collect()
    } else {
        listed
    }
}
