//! One module per route.
pub mod applications;
pub mod login;
pub mod login_challenge;
pub mod not_found;
pub mod organization;
pub mod preferences;
pub mod signup;
