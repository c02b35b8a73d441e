//! Router tests: every endpoint driven through the real `Router`, one fresh database each.
mod common;
#[path = "../totp/mod.rs"]
mod totp;

mod api_keys;
mod applications;
mod http;
mod identity;

mod limits;
mod login;
mod mail;
mod members;
mod migrate_data;
mod oauth;
mod odata;
mod openapi;
mod password;
mod password_reset;
mod permissions;
mod privacy;
mod read_cache;
mod register;
mod replicas;
mod session;
mod sessions;
mod startup;
mod static_files;
mod two_factor;
mod user_delete;
mod verification;
