//! What the console says for each machine-readable error code: the one place that words them.
use crate::i18n::{catalogue::Errors, locale, t, Locale};
use wire::ErrorCode;

/// How an error with a code is worded for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    /// Always this text.
    Fixed(Errors),
    /// The server's text, which names what is in the way (an organization, a rule, a
    /// duplicate); this text when the server sent none.
    Detailed(Errors),
}

impl Wording {
    /// The text to show, given the server's text (if any) for the same answer. The server
    /// speaks English, so in another language its details give way to the catalogue's text.
    pub fn text(self, server_text: Option<&str>) -> String {
        match (self, server_text) {
            (Wording::Detailed(_), Some(server))
                if !server.trim().is_empty() && locale() == Locale::En =>
            {
                server.to_string()
            }
            (Wording::Fixed(text) | Wording::Detailed(text), _) => t(text).to_string(),
        }
    }
}

/// The wording for `code`.
pub fn wording(code: ErrorCode) -> Wording {
    use Wording::{Detailed, Fixed};
    match code {
        ErrorCode::FreshAuthRequired => Fixed(Errors::FreshAuthRequired),
        ErrorCode::InvalidResetLink => Fixed(Errors::InvalidResetLink),
        ErrorCode::InvalidVerificationLink => Fixed(Errors::InvalidVerificationLink),
        ErrorCode::AlreadyVerified => Fixed(Errors::AlreadyVerified),
        ErrorCode::EmailTaken => Fixed(Errors::EmailTaken),
        ErrorCode::UsernameTaken => Fixed(Errors::UsernameTaken),
        ErrorCode::CurrentPasswordIncorrect => Fixed(Errors::CurrentPasswordIncorrect),
        ErrorCode::CurrentPasswordRequired => Fixed(Errors::CurrentPasswordRequired),
        ErrorCode::WeakPassword => Detailed(Errors::WeakPassword),
        ErrorCode::TwoFactorNotSetUp => Fixed(Errors::TwoFactorNotSetUp),
        ErrorCode::TwoFactorAlreadyEnabled => Fixed(Errors::TwoFactorAlreadyEnabled),
        ErrorCode::TwoFactorNotEnabled => Fixed(Errors::TwoFactorNotEnabled),
        ErrorCode::LastAdministrator => Fixed(Errors::LastAdministrator),
        ErrorCode::PaidPlanRequired => Fixed(Errors::PaidPlanRequired),
        ErrorCode::NoSuchUser => Fixed(Errors::NoSuchUser),
        ErrorCode::AlreadyExists => Detailed(Errors::AlreadyExists),
        ErrorCode::OrganizationHasMembers => Detailed(Errors::OrganizationHasMembers),
        ErrorCode::TooManyRequests => Fixed(Errors::TooManyLater),
    }
}
