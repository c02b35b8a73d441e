//! One module per route.
pub mod login;
pub mod login_challenge;
pub mod not_found;
pub mod preferences;
pub mod signup;
