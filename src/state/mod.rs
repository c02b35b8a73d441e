//! Small shared states, each provided as its own context (not one global store).
pub mod api_keys;
pub mod config;
pub mod fresh_auth;
pub mod session;
pub mod theme;
pub mod toast;
pub mod user;
pub mod write;
