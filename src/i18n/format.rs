//! Placeholders, plurals, dates and relative times, in the current language. Plural rules,
//! dates and "3 days ago" come from the browser's `Intl`, which knows every language's rules.
use super::{locale, t, Message};
use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

/// Fills `{name}` placeholders: `with_args(t(Tokens::Created), &[("name", &name)])`. One pass
/// over the template, so a value that itself contains `{…}` (a key named `{n}`) stays as typed.
pub fn with_args(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let value = args.iter().find(|(n, _)| *n == name)?.1;
            Some((value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The plural form of a count (`one` or `other`), by the language's own rule, with `{n}`
/// filled in: `plural(3, Tokens::KeysOne, Tokens::KeysOther)`.
pub fn plural<M: Message>(n: u64, one: M, other: M) -> String {
    let rules = Intl::PluralRules::new(&locales(), &Object::new());
    let form = if rules.select(n as f64) == "one" {
        one
    } else {
        other
    };
    with_args(t(form), &[("n", &n.to_string())])
}

/// A calendar date in the language's usual form ("Dec 2, 2026", "02.12.2026"), in UTC so
/// every visitor sees the same day the server recorded.
pub fn date(ms: f64) -> String {
    let options = Object::new();
    set(&options, "dateStyle", "medium");
    set(&options, "timeZone", "UTC");
    String::from(js_sys::Date::new(&ms.into()).to_locale_date_string(locale().tag(), &options))
}

/// "in 3 days" / "vor 5 Minuten": `value` units from now (negative is past), always as a
/// number so "1 day ago" never turns into "yesterday" next to "2 days ago".
pub fn time_ago(value: f64, unit: &str) -> String {
    let options = Object::new();
    set(&options, "numeric", "always");
    String::from(Intl::RelativeTimeFormat::new(&locales(), &options).format(value, unit))
}

fn locales() -> Array {
    Array::of1(&JsValue::from_str(locale().tag()))
}

fn set(object: &Object, key: &str, value: &str) {
    let _ = Reflect::set(object, &key.into(), &value.into());
}
