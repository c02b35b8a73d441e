//! The API, one module per endpoint group, merged here.
mod api_key;
mod app_keys;
mod config;
mod email_verification;
mod login;
mod oauth;
mod odata;
mod openapi;
mod password;
mod password_notice;
mod password_reset;
mod register;
mod session;
mod sessions;
mod two_factor;
mod user_delete;
mod whoami;
mod writes;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(register::router())
        .merge(login::router())
        .merge(session::router())
        .merge(sessions::router())
        .merge(whoami::router())
        .merge(config::router())
        .merge(odata::router())
        .merge(api_key::router())
        .merge(app_keys::router())
        .merge(two_factor::router())
        .merge(password_reset::router())
        .merge(password::router())
        .merge(email_verification::router())
        .merge(oauth::router())
        .merge(openapi::router())
}
