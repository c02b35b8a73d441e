//! The message catalogue: one file per area of the console, each holding its English and its
//! German texts. Keys are enum variants, so a typo is a compile error and an unused key is
//! easy to find.
pub mod account;
pub mod apps;
pub mod auth;
pub mod common;
pub mod errors;
pub mod tokens;

pub use account::Account;
pub use apps::Apps;
pub use auth::Auth;
pub use common::Common;
pub use errors::Errors;
pub use tokens::Tokens;
