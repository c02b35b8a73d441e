//! Social sign-in's browser round trip (ours, not balena's): the console starts it at
//! `/auth/oauth/<provider>/authorize?nonce=<nonce>` and the server sends the browser back to
//! `login/callback#token=<jwt>&nonce=<nonce>` or `login#error=<code>&nonce=<nonce>`.

/// Query parameter of the authorize request and fragment key of the answer: a random value
/// the console keeps in `sessionStorage`, so only the tab that started a sign-in accepts
/// its result.
pub const NONCE_PARAM: &str = "nonce";

/// The nonce's alphabet and length bounds: base64url, 22 to 128 characters (at least 128
/// bits from the console).
pub fn is_valid_nonce(nonce: &str) -> bool {
    (22..=128).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Why a social sign-in failed: the `#error=` code. Only the code crosses the wire; each
/// client shows its own fixed text for it, so a link can never put words on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInErrorCode {
    /// Too many sign-ins started from this address.
    RateLimited,
    /// The provider refused, or its answers failed a check (code exchange, ID token).
    ProviderError,
    /// The visitor cancelled at the provider (or the provider denied access).
    Cancelled,
    /// The state (or the console's nonce) is unknown, expired or already used.
    StateInvalid,
    /// The provider's email belongs to an account whose email is not verified yet.
    EmailUnverified,
    /// The account is already linked to another identity at this provider.
    AlreadyLinked,
}

impl SignInErrorCode {
    pub const ALL: [SignInErrorCode; 6] = [
        SignInErrorCode::RateLimited,
        SignInErrorCode::ProviderError,
        SignInErrorCode::Cancelled,
        SignInErrorCode::StateInvalid,
        SignInErrorCode::EmailUnverified,
        SignInErrorCode::AlreadyLinked,
    ];

    /// The code on the wire.
    pub fn code(self) -> &'static str {
        match self {
            SignInErrorCode::RateLimited => "rate_limited",
            SignInErrorCode::ProviderError => "provider_error",
            SignInErrorCode::Cancelled => "cancelled",
            SignInErrorCode::StateInvalid => "state_invalid",
            SignInErrorCode::EmailUnverified => "email_unverified",
            SignInErrorCode::AlreadyLinked => "already_linked",
        }
    }

    /// `None` for a code this version does not know.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_none() {
        for e in SignInErrorCode::ALL {
            assert_eq!(SignInErrorCode::from_code(e.code()), Some(e));
        }
        assert_eq!(SignInErrorCode::from_code("Your account is locked"), None);
        assert_eq!(SignInErrorCode::from_code(""), None);
    }

    #[test]
    fn nonces_are_base64url_of_bounded_length() {
        assert!(is_valid_nonce("abcdefghijklmnopqrstuv"));
        assert!(!is_valid_nonce("abcdefghijklmnopqrstu"));
        assert!(!is_valid_nonce(&"a".repeat(129)));
        assert!(!is_valid_nonce("abcdefghijklmnopqrstu&"));
    }
}
