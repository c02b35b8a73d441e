//! The console's wording of the field rules it shares with the server (`wire::validate`).
use super::catalogue::{Auth, Tokens};
use super::t;
use wire::validate::Invalid;

/// Why a value breaks a rule, in the visitor's language. The server answers
/// [`Invalid::message`] in English; the console says the same from its catalogue.
pub fn invalid_text(invalid: Invalid) -> &'static str {
    match invalid {
        Invalid::Email => t(Auth::EmailInvalid),
        Invalid::PasswordTooShort => t(Auth::PasswordTooShort),
        Invalid::PasswordTooLong => t(Auth::PasswordTooLong),
        Invalid::Username => t(Auth::UsernameInvalid),
        Invalid::TotpCode => t(Auth::CodeInvalid),
        Invalid::KeyNameRequired => t(Tokens::NameRequired),
        Invalid::KeyNameTooLong => t(Tokens::NameTooLong),
        Invalid::KeyDescriptionTooLong => t(Tokens::DescriptionTooLong),
    }
}
