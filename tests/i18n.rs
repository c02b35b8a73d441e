//! The catalogue: German is complete, a missing key falls back to English, and the
//! formatting helpers follow the language's rules.
use account_console::i18n::{
    catalogue::{Account, Apps, Auth, Common, Errors, Tokens},
    text, Locale, Message,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Keys the English catalogue has and the German one lacks, as `Area::Key`.
fn untranslated<M: Message>() -> Vec<String> {
    M::ALL
        .iter()
        .filter(|m| m.de().is_none())
        .map(|m| {
            format!(
                "{}::{m:?}",
                std::any::type_name::<M>().rsplit("::").next().unwrap()
            )
        })
        .collect()
}

#[wasm_bindgen_test]
fn every_english_text_has_a_german_one() {
    let mut missing = untranslated::<Account>();
    missing.extend(untranslated::<Apps>());
    missing.extend(untranslated::<Auth>());
    missing.extend(untranslated::<Common>());
    missing.extend(untranslated::<Errors>());
    missing.extend(untranslated::<Tokens>());
    assert!(missing.is_empty(), "not translated to German: {missing:?}");
}

account_console::catalogue! {
    /// A catalogue with one gap, to show what the console does with it.
    pub enum Sample;
    en {
        Both = "Both",
        EnglishOnly = "English only",
    }
    de {
        Both = "Beide",
    }
}

#[wasm_bindgen_test]
fn a_missing_translation_falls_back_to_english() {
    assert_eq!(text(Locale::De, Sample::Both), "Beide");
    assert_eq!(text(Locale::De, Sample::EnglishOnly), "English only");
    assert_eq!(text(Locale::En, Sample::Both), "Both");
    assert_eq!(
        untranslated::<Sample>(),
        vec!["Sample::EnglishOnly".to_string()]
    );
}

#[wasm_bindgen_test]
fn the_browser_languages_choose_the_locale() {
    assert_eq!(Locale::negotiate(&["de-AT", "en"]), Locale::De);
    assert_eq!(Locale::negotiate(&["fr-FR", "DE"]), Locale::De);
    assert_eq!(Locale::negotiate(&["fr", "en-GB", "de"]), Locale::En);
    assert_eq!(Locale::negotiate(&["fr"]), Locale::En);
    assert_eq!(Locale::negotiate::<&str>(&[]), Locale::En);
}

#[wasm_bindgen_test]
fn placeholders_are_filled_once_and_values_stay_as_typed() {
    use account_console::i18n::with_args;
    assert_eq!(
        with_args(
            "Key {name} created in {app}",
            &[("name", "{app}"), ("app", "fleet")]
        ),
        "Key {app} created in fleet"
    );
    assert_eq!(
        with_args("{unknown} and {", &[("name", "x")]),
        "{unknown} and {"
    );
    assert_eq!(with_args("{n} keys", &[("n", "3")]), "3 keys");
}
