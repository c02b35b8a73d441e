//! What the console says for each machine-readable error code: the one place that words them.
use wire::ErrorCode;

/// How an error with a code is worded for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    /// Always this text.
    Fixed(&'static str),
    /// The server's text, which names what is in the way (an organization, a rule, a
    /// duplicate); this text when the server sent none.
    Detailed(&'static str),
}

impl Wording {
    /// The text to show, given the server's text (if any) for the same answer.
    pub fn text(self, server_text: Option<&str>) -> String {
        match (self, server_text) {
            (Wording::Detailed(_), Some(server)) if !server.trim().is_empty() => server.to_string(),
            (Wording::Fixed(text) | Wording::Detailed(text), _) => text.to_string(),
        }
    }
}

/// The wording for `code`.
pub fn wording(code: ErrorCode) -> Wording {
    use Wording::{Detailed, Fixed};
    match code {
        ErrorCode::FreshAuthRequired => Fixed("Please confirm your password to continue."),
        ErrorCode::InvalidResetLink => {
            Fixed("This password reset link is invalid, has expired or was already used")
        }
        ErrorCode::InvalidVerificationLink => {
            Fixed("This verification link is invalid, has expired or was already used")
        }
        ErrorCode::AlreadyVerified => Fixed("Your email address is already verified"),
        ErrorCode::EmailTaken => Fixed("This email is already taken"),
        ErrorCode::UsernameTaken => Fixed("This username is already taken"),
        ErrorCode::CurrentPasswordIncorrect => Fixed("Current password is incorrect"),
        ErrorCode::CurrentPasswordRequired => Fixed("Current password is required"),
        ErrorCode::WeakPassword => Detailed("Choose a stronger password."),
        ErrorCode::TwoFactorNotSetUp => Fixed("Start two-factor authentication setup first"),
        ErrorCode::TwoFactorAlreadyEnabled => Fixed("Two-factor authentication is already enabled"),
        ErrorCode::TwoFactorNotEnabled => Fixed("Two-factor authentication is not enabled"),
        ErrorCode::LastAdministrator => {
            Fixed("An organization must keep at least one administrator")
        }
        ErrorCode::PaidPlanRequired => {
            Fixed("Operator and Observer need a paid plan: this organization is on the free plan")
        }
        ErrorCode::NoSuchUser => Fixed("No user with that username or email"),
        ErrorCode::AlreadyExists => Detailed("That exists already."),
        ErrorCode::OrganizationHasMembers => Detailed(
            "Your organization has other members. Make someone else an administrator first.",
        ),
        ErrorCode::TooManyRequests => Fixed("Too many attempts. Try again later."),
    }
}
