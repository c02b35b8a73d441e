//! The console's API client, created once per mounted app and provided as a context: the one
//! path every request takes (base URL, bearer header, token refresh, error mapping, ending the
//! session on a 401), with thin GET/POST/PATCH/DELETE and OData list helpers on top.
use super::odata::Query;
use super::{auth, error_from_response, ApiError};
use crate::state::config::Config;
use crate::state::session::{self, Notice, Session};
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use wire::{ODataList, ERROR_CODE_HEADER};

/// A successful answer's body, decoded by the endpoint function.
pub struct Reply {
    pub body: String,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_str(&self.body).map_err(|e| ApiError::InvalidResponse(e.to_string()))
    }

    /// Token endpoints answer `text/plain` with the bare JWT.
    pub fn token(self) -> Result<String, ApiError> {
        let token = self.body.trim().to_string();
        match session::decode_claims(&token) {
            Some(_) => Ok(token),
            None => Err(ApiError::InvalidResponse(
                "no session token in the answer".into(),
            )),
        }
    }
}

/// Which credentials a request carries.
pub enum Auth {
    /// None (login, sign-up).
    Anonymous,
    /// The signed-in session's token, refreshed first when it is a day old; a 401 ends the
    /// session.
    Session,
    /// Exactly this token, untouched (refresh and logout use it).
    Token(String),
}

/// Where the API is and whose session to use.
#[derive(Clone)]
pub struct Client {
    config: Config,
    session: Session,
}

impl Client {
    pub fn new(config: Config, session: Session) -> Self {
        Client { config, session }
    }

    /// The client the mounted app provides (see `app::provide_app_contexts`).
    pub fn from_context() -> Self {
        expect_context::<Client>()
    }

    pub async fn get(&self, path: &str, auth: Auth) -> Result<Reply, ApiError> {
        self.request(Method::GET, path, None, auth).await
    }

    /// A POST with a JSON body.
    pub async fn post<B: Serialize>(
        &self,
        path: &str,
        body: &B,
        auth: Auth,
    ) -> Result<Reply, ApiError> {
        self.request(Method::POST, path, Some(to_json(body)?), auth)
            .await
    }

    /// A POST without a body (an action on the path itself).
    pub async fn post_empty(&self, path: &str, auth: Auth) -> Result<Reply, ApiError> {
        self.request(Method::POST, path, None, auth).await
    }

    /// A PATCH of the signed-in user's data.
    pub async fn patch<B: Serialize>(&self, path: &str, body: &B) -> Result<(), ApiError> {
        self.request(Method::PATCH, path, Some(to_json(body)?), Auth::Session)
            .await
            .map(drop)
    }

    /// A DELETE as the signed-in user.
    pub async fn delete(&self, path: &str) -> Result<(), ApiError> {
        self.request(Method::DELETE, path, None, Auth::Session)
            .await
            .map(drop)
    }

    /// The rows of an OData read (`{"d": [...]}`), as the signed-in user.
    pub async fn list<T: DeserializeOwned>(&self, query: &Query) -> Result<Vec<T>, ApiError> {
        let rows: ODataList<T> = self.get(&query.path(), Auth::Session).await?.json()?;
        Ok(rows.d)
    }

    /// The first row of an OData read by id: `None` when missing or not visible.
    pub async fn one<T: DeserializeOwned>(&self, query: &Query) -> Result<Option<T>, ApiError> {
        Ok(self.list(query).await?.into_iter().next())
    }

    /// The one place that talks HTTP.
    async fn request(
        &self,
        method: Method,
        path: &str,
        json_body: Option<String>,
        auth: Auth,
    ) -> Result<Reply, ApiError> {
        let token = match &auth {
            Auth::Anonymous => None,
            Auth::Session => Some(self.session_token().await?),
            Auth::Token(t) => Some(t.clone()),
        };
        let mut builder = RequestBuilder::new(&self.config.url(path)).method(method);
        if let Some(token) = &token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        let request = match json_body {
            Some(json) => builder
                .header("Content-Type", "application/json")
                .body(json),
            None => builder.build(),
        }
        .map_err(|e| ApiError::Network(e.to_string()))?;
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        if (200..300).contains(&status) {
            return Ok(Reply { body });
        }
        let headers = response.headers();
        let error = error_from_response(
            status,
            headers.get(ERROR_CODE_HEADER).as_deref(),
            &body,
            headers.get("retry-after").as_deref(),
        );
        if error == ApiError::Unauthorized && matches!(auth, Auth::Session) {
            // The server no longer accepts this session (expired, revoked, password changed).
            self.session.end(Notice::SessionEnded);
        }
        Err(error)
    }

    /// The session token to send, after balena's client-side rules: an expired token ends the
    /// session without a request; a token a day old or more is swapped for a fresh one first.
    async fn session_token(&self) -> Result<String, ApiError> {
        let token = self
            .session
            .token_untracked()
            .ok_or(ApiError::Unauthorized)?;
        let Some(claims) = session::decode_claims(&token) else {
            return Ok(token);
        };
        let now = session::now_secs();
        if session::is_expired(now, &claims) {
            self.session.end(Notice::SessionEnded);
            return Err(ApiError::Unauthorized);
        }
        if !session::needs_refresh(now, &claims) {
            return Ok(token);
        }
        // Boxed: refresh goes through `request`, which called us (async recursion).
        match Box::pin(auth::refresh(self, &token)).await {
            Ok(fresh) => {
                self.session.replace_token(fresh.clone());
                Ok(fresh)
            }
            Err(ApiError::Unauthorized) => {
                self.session.end(Notice::SessionEnded);
                Err(ApiError::Unauthorized)
            }
            // A failed refresh is not fatal: the current token is still valid, and the next
            // request tries again.
            Err(_) => Ok(token),
        }
    }
}

fn to_json<B: Serialize>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|e| ApiError::InvalidResponse(e.to_string()))
}
