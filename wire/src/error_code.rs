//! Machine-readable reasons for error answers, sent next to balena's human text.
//!
//! balena's SDK and CLI read only the body text, so the code travels in a response header
//! ([`ERROR_CODE_HEADER`]) that they never look at. The console decides by the code and never
//! by the text, and maps each code to its own wording in one place.

/// The response header that carries an [`ErrorCode`] (lower case, as HTTP/2 sends it).
pub const ERROR_CODE_HEADER: &str = "x-error-code";

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)+) => {
        /// Why a request was refused, when the console needs to know more than the status.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)+
        }

        impl ErrorCode {
            /// Every code, for tests that check each one has a message.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The header value: kebab-case, stable across releases.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)+
                }
            }

            /// The code a header value names; `None` for codes this build does not know,
            /// so a newer server never breaks an older console.
            pub fn parse(value: &str) -> Option<Self> {
                match value.trim() {
                    $($text => Some(ErrorCode::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    /// 401: the action needs a password entered within the last few minutes.
    FreshAuthRequired = "fresh-auth-required",
    /// 400: the password-reset link is unknown, used or expired.
    InvalidResetLink = "invalid-reset-link",
    /// 400: the email-verification link is unknown, used or expired.
    InvalidVerificationLink = "invalid-verification-link",
    /// 409: the email address is verified already.
    AlreadyVerified = "already-verified",
    /// 409: another account has this email address.
    EmailTaken = "email-taken",
    /// 409: another account has this username.
    UsernameTaken = "username-taken",
    /// 400: the current password given with a change is wrong.
    CurrentPasswordIncorrect = "current-password-incorrect",
    /// 400: a password change needs the current password.
    CurrentPasswordRequired = "current-password-required",
    /// 400: the new password fails the password rules.
    WeakPassword = "weak-password",
    /// 409: two-factor setup was not started.
    TwoFactorNotSetUp = "two-factor-not-set-up",
    /// 409: two-factor authentication is on already.
    TwoFactorAlreadyEnabled = "two-factor-already-enabled",
    /// 409: two-factor authentication is off.
    TwoFactorNotEnabled = "two-factor-not-enabled",
    /// 400: the change would leave an organization without an administrator.
    LastAdministrator = "last-administrator",
    /// 400: the organization's plan does not allow this.
    PaidPlanRequired = "paid-plan-required",
    /// 400: no account has that username or email.
    NoSuchUser = "no-such-user",
    /// 409: a unique value (a member, a name) exists already.
    AlreadyExists = "already-exists",
    /// 409: the personal organization has other members, so the account cannot go yet.
    OrganizationHasMembers = "organization-has-members",
    /// 429: too many attempts; `Retry-After` says when to try again.
    TooManyRequests = "too-many-requests",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_and_is_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
            assert!(seen.insert(code.as_str()), "{} twice", code.as_str());
            assert!(code
                .as_str()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'));
        }
    }

    #[test]
    fn unknown_codes_are_none() {
        assert_eq!(ErrorCode::parse("from-a-newer-server"), None);
        assert_eq!(ErrorCode::parse(""), None);
    }
}
