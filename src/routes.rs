//! Every console route, named once: the router matches these segments and every link,
//! redirect and `navigate` is built from them, so a renamed route cannot leave a dead link.
//! The routes the server's links open (reset, verification, sign-in callback) come from
//! `wire`.

/// The path segments the router matches.
pub mod segment {
    pub const LOGIN: &str = wire::account::LOGIN_ROUTE;
    pub const TWO_FACTOR: &str = "two-factor";
    pub const CALLBACK: &str = wire::account::SIGN_IN_CALLBACK_SEGMENT;
    pub const SIGNUP: &str = "signup";
    pub const FORGOT_PASSWORD: &str = "forgot-password";
    pub const RESET_PASSWORD: &str = wire::account::RESET_PASSWORD_ROUTE;
    pub const VERIFY_EMAIL: &str = wire::account::VERIFY_EMAIL_ROUTE;
    pub const GOODBYE: &str = "goodbye";
    pub const APPLICATIONS: &str = "applications";
    pub const ACTIONS: &str = "actions";
    pub const ORGANIZATIONS: &str = "organizations";
    pub const PREFERENCES: &str = "preferences";
    pub const DETAILS: &str = "details";
    pub const TOKENS: &str = "tokens";
    pub const SESSIONS: &str = "sessions";
}

/// A console path from its segments: `["preferences", "tokens"]` → `/preferences/tokens`.
fn join(segments: &[&str]) -> String {
    segments.iter().fold(String::new(), |mut path, s| {
        path.push('/');
        path.push_str(s);
        path
    })
}

pub const START: &str = "/";

pub fn login() -> String {
    join(&[segment::LOGIN])
}

/// The second login step, for accounts with two-factor authentication.
pub fn two_factor_challenge() -> String {
    join(&[segment::LOGIN, segment::TWO_FACTOR])
}

pub fn signup() -> String {
    join(&[segment::SIGNUP])
}

pub fn forgot_password() -> String {
    join(&[segment::FORGOT_PASSWORD])
}

/// Shown once the account has been deleted.
pub fn goodbye() -> String {
    join(&[segment::GOODBYE])
}

pub fn applications() -> String {
    join(&[segment::APPLICATIONS])
}

/// An application's members tab.
pub fn application(id: i64) -> String {
    join(&[segment::APPLICATIONS, &id.to_string()])
}

pub fn application_actions(id: i64) -> String {
    join(&[segment::APPLICATIONS, &id.to_string(), segment::ACTIONS])
}

pub fn organization(handle: &str) -> String {
    join(&[segment::ORGANIZATIONS, handle])
}

pub fn preferences() -> String {
    join(&[segment::PREFERENCES])
}

/// Where a signed-in visitor lands by default.
pub fn home() -> String {
    account_details()
}

pub fn account_details() -> String {
    join(&[segment::PREFERENCES, segment::DETAILS])
}

pub fn access_tokens() -> String {
    join(&[segment::PREFERENCES, segment::TOKENS])
}

/// The access tokens page with one key's edit dialog open.
pub fn edit_access_token(id: i64) -> String {
    format!("{}?edit={id}", access_tokens())
}

pub fn two_factor_settings() -> String {
    join(&[segment::PREFERENCES, segment::TWO_FACTOR])
}

pub fn sessions() -> String {
    join(&[segment::PREFERENCES, segment::SESSIONS])
}
