//! The signed-in user's API keys, fetched once per sign-in and shared by the Access tokens
//! tab and the "keys expiring soon" banner; `refetch` after every change.
use crate::api::{api_key, ApiError, Client};
use crate::state::session::Session;
use leptos::prelude::*;
use wire::ApiKeyRow;

#[derive(Clone, Copy)]
pub struct ApiKeys {
    list: LocalResource<Option<Result<Vec<ApiKeyRow>, ApiError>>>,
    /// The expiring-keys banner was closed by the user (until the next page load).
    pub banner_dismissed: RwSignal<bool>,
}

impl ApiKeys {
    /// Needs the `Config` and `Session` contexts.
    pub fn new() -> Self {
        let session = expect_context::<Session>();
        let client = Client::from_context();
        // Keyed on the user, not the token: a refresh or password confirmation must not refetch.
        let user_id = Memo::new(move |_| session.claims().map(|c| c.id));
        let list = LocalResource::new(move || {
            let user_id = user_id.get();
            let client = client.clone();
            async move {
                match user_id {
                    Some(id) => Some(api_key::list(&client, id).await),
                    None => None,
                }
            }
        });
        ApiKeys {
            list,
            banner_dismissed: RwSignal::new(false),
        }
    }

    /// A fixed list, without the API (component tests, previews). `refetch` re-reads it.
    pub fn from_rows(rows: Vec<ApiKeyRow>) -> Self {
        let list = LocalResource::new(move || {
            let rows = rows.clone();
            async move { Some(Ok(rows)) }
        });
        ApiKeys {
            list,
            banner_dismissed: RwSignal::new(false),
        }
    }

    /// `None` while the first load runs (a refetch keeps showing the previous list) or when
    /// signed out.
    pub fn get(&self) -> Option<Result<Vec<ApiKeyRow>, ApiError>> {
        self.list.get().flatten()
    }

    pub fn refetch(&self) {
        self.list.refetch();
    }
}

impl Default for ApiKeys {
    fn default() -> Self {
        Self::new()
    }
}
