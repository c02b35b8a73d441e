//! `GET /user/v1/whoami` and `GET /actor/v1/whoami` (contract §3.3, §3.4).
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use wire::paths;
use wire::{ActorType, ActorWhoami, UserWhoami};

use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::http::json_response;
use crate::state::AppState;
use crate::users::{self, User};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::USER_WHOAMI, get(user_whoami))
        .route(paths::ACTOR_WHOAMI, get(actor_whoami))
}

/// The caller's user row; a session whose user is gone is no session (401).
async fn caller_user(state: &AppState, caller: &Caller) -> AppResult<User> {
    users::find(&state.db, caller.user_id())
        .await?
        .ok_or(AppError::Unauthorized)
}

async fn user_whoami(State(state): State<AppState>, caller: Caller) -> AppResult<Response> {
    let user = caller_user(&state, &caller).await?;
    Ok(json_response(
        StatusCode::OK,
        &UserWhoami {
            id: user.id,
            username: user.username,
            email: user.email,
        },
    ))
}

async fn actor_whoami(State(state): State<AppState>, caller: Caller) -> AppResult<Response> {
    let user = caller_user(&state, &caller).await?;
    Ok(json_response(
        StatusCode::OK,
        &ActorWhoami {
            id: user.actor_id,
            actor_type: ActorType::User,
            actor_type_id: user.id,
            username: Some(user.username),
            email: Some(user.email),
            slug: None,
            uuid: None,
        },
    ))
}
