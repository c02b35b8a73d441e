//! The signed-in user's identity (`GET /user/v1/whoami`), fetched once per sign-in and
//! shared by the header and the account-details panel.
use crate::api::{self, ApiError, Client};
use crate::state::session::Session;
use leptos::prelude::*;
use wire::UserWhoami;

#[derive(Clone, Copy)]
pub struct CurrentUser(LocalResource<Option<Result<UserWhoami, ApiError>>>);

impl CurrentUser {
    /// Needs the `Config` and `Session` contexts.
    pub fn new() -> Self {
        let session = expect_context::<Session>();
        let client = Client::from_context();
        // Keyed on the user id, not the token: a token refresh must not refetch.
        let user_id = Memo::new(move |_| session.claims().map(|c| c.id));
        CurrentUser(LocalResource::new(move || {
            let signed_in = user_id.get().is_some();
            let client = client.clone();
            async move {
                if signed_in {
                    Some(api::user::whoami(&client).await)
                } else {
                    None
                }
            }
        }))
    }

    /// `None` while loading or signed out.
    pub fn get(&self) -> Option<Result<UserWhoami, ApiError>> {
        self.0.get().flatten()
    }

    pub fn username(&self) -> Option<String> {
        self.get().and_then(Result::ok).map(|u| u.username)
    }

    pub fn refetch(&self) {
        self.0.refetch();
    }
}

impl Default for CurrentUser {
    fn default() -> Self {
        Self::new()
    }
}
