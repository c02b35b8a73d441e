//! Password reset, setting or changing a password, social sign-in (our endpoints, contract
//! section 12; balena never published these).
use serde::{Deserialize, Serialize};

/// `POST /user/v1/password-reset`: always 200, whether or not the address has an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// `POST /user/v1/password-reset/confirm`: the token from the emailed link's fragment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetConfirm {
    pub token: String,
    pub password: String,
    /// Also revoke every API key of the account: keys outlive passwords, so after a takeover
    /// the console ticks this by default.
    #[serde(rename = "revokeApiKeys", default)]
    pub revoke_api_keys: bool,
}

/// `POST /user/v1/password`: sets a first password (social accounts) or changes it
/// (`currentPassword` required then). Answered with a new session JWT as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetPasswordRequest {
    pub password: String,
    #[serde(
        rename = "currentPassword",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub current_password: Option<String>,
}

/// A configured social sign-in provider, as `GET /config` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInProvider {
    /// Path segment of `/auth/oauth/<id>/authorize`: `github`, `google` or `oidc`.
    pub id: String,
    /// What the button says after "Continue with": "GitHub", "Google", or the configured name.
    pub name: String,
}

/// The console's login route (below the console's public URL): a social sign-in that fails
/// ends there with `#error=<code>`.
pub const LOGIN_ROUTE: &str = "login";

/// The segment below [`LOGIN_ROUTE`] a social sign-in ends on, with
/// `#token=<jwt>&nonce=<nonce>`.
pub const SIGN_IN_CALLBACK_SEGMENT: &str = "callback";

/// The fragment key of the token the server's links and redirects carry.
pub const TOKEN_FRAGMENT_KEY: &str = "token";

/// The fragment key of the address a verification link was sent to.
pub const EMAIL_FRAGMENT_KEY: &str = "email";

/// The fragment key of a failed social sign-in's code ([`crate::SignInErrorCode`]).
pub const ERROR_FRAGMENT_KEY: &str = "error";

/// The console route an emailed password-reset link opens (below the console's public URL),
/// with `#token=<token>`.
pub const RESET_PASSWORD_ROUTE: &str = "reset-password";

/// The console route an emailed verification link opens (below the console's public URL),
/// with `#token=<token>`.
pub const VERIFY_EMAIL_ROUTE: &str = "verify-email";

/// `POST /user/v1/verify-email` (balena's `auth.verifyEmail`): the token from the mailed
/// link's fragment and the address it was sent to. Anonymous, so the link works in any
/// browser; a token is single use. Answered, as balena does, with a session token as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyEmailRequest {
    #[serde(rename = "verificationToken")]
    pub verification_token: String,
    pub email: String,
}

/// `PATCH /v7/user(<own id>)` with this body is balena's `auth.requestVerificationEmail()`:
/// a new verification mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestVerificationEmail {
    pub has_been_sent_verification_email: bool,
}
