//! One module per route.
pub mod applications;
pub mod auth_callback;
pub mod forgot_password;
pub mod goodbye;
pub mod login;
pub mod login_challenge;
pub mod not_found;
pub mod organization;
pub mod preferences;
pub mod reset_password;
pub mod signup;
pub mod verify_email;
