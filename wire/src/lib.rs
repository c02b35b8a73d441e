//! Everything that crosses the wire between the console and the API server, defined once.
//!
//! Field names follow balena's API contract exactly (camelCase where balena uses it, e.g.
//! `authTime`, `actorType`), so the same types describe balenaCloud's responses too.
//! Input rules live here as well, so the console's live validation and the server's checks
//! can never drift apart.

pub mod account;
pub mod api_key;
pub mod applications;
pub mod auth;
pub mod double_option;
pub mod error_code;
pub mod odata;
pub mod paths;
pub mod sessions;
pub mod social;
pub mod two_factor;
pub mod validate;

pub use account::*;
pub use api_key::*;
pub use applications::*;
pub use auth::*;
pub use error_code::{ErrorCode, ERROR_CODE_HEADER};
pub use odata::*;
pub use sessions::*;
pub use social::SignInErrorCode;
pub use two_factor::*;
