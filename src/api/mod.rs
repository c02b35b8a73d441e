//! How the console talks to the API: one client ([`Client`]), one error type ([`ApiError`]),
//! one OData request builder ([`odata`]).
//!
//! Endpoint functions live in the modules below, grouped by resource; they only choose
//! method, path, body and credentials. Everything else happens once, in [`client`].
pub mod account;
pub mod api_key;
pub mod applications;
pub mod auth;
pub mod client;
pub mod error;
pub mod error_text;
pub mod odata;
pub mod sessions;
pub mod social;
pub mod two_factor;
pub mod user;

pub use client::{Auth, Client, Reply};
pub use error::{error_from_response, message_from_body, too_many_attempts_text, ApiError};
