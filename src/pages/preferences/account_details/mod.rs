//! `/preferences/details`: who you are signed in as, the password (set a first one after a
//! social sign-in, or change it), and the danger zone (delete the account).
pub mod danger_zone;
pub mod password;

use crate::api::{account, ApiError, Client};
use crate::components::async_view::{never_empty, AsyncView, ReadStatus};
use crate::components::page_title::page_title;
use crate::i18n::{catalogue::Account, t};
use crate::state::{session::Session, user::CurrentUser};
use danger_zone::DangerZone;
use leptos::prelude::*;
use password::PasswordSection;
use wire::UserWhoami;

#[component]
pub fn AccountDetails() -> impl IntoView {
    page_title(t(Account::AccountDetails));
    let user = expect_context::<CurrentUser>();
    let session = expect_context::<Session>();
    let client = Client::from_context();
    // Keyed on the user id, not the token: the token changes when the password is saved.
    let user_id = Memo::new(move |_| session.claims().map(|c| c.id));
    let fetched = LocalResource::new(move || {
        let id = user_id.get();
        let client = client.clone();
        async move {
            match id {
                Some(id) => Some(account::has_password_set(&client, id).await),
                None => None,
            }
        }
    });
    // Set once a password has been saved here, without waiting for a refetch.
    let saved_here = RwSignal::new(false);
    let has_password = Signal::derive(move || -> Option<Result<bool, ApiError>> {
        if saved_here.get() {
            return Some(Ok(true));
        }
        fetched.get().flatten()
    });
    let username = Signal::derive(move || user.username());

    view! {
        <section class="card" aria-labelledby="account-details-title">
            <h2 id="account-details-title">{t(Account::AccountDetails)}</h2>
            <AsyncView
                status=Memo::new(move |_| user.get().map_or(ReadStatus::Loading, |r| ReadStatus::of(Some(&r), never_empty)))
                loading=t(Account::LoadingAccount)
                failed=t(Account::AccountFailed)
                retry=Callback::new(move |_| user.refetch())
                content=move || user.get().and_then(Result::ok).map(|me: UserWhoami| view! {
                    <dl class="details">
                        <dt>{t(Account::Username)}</dt>
                        <dd>{me.username}</dd>
                        <dt>{t(Account::Email)}</dt>
                        <dd>{me.email.unwrap_or_else(|| t(Account::NoEmail).into())}</dd>
                    </dl>
                })
            />
        </section>
        <PasswordSection
            has_password=has_password
            on_saved=Callback::new(move |_| saved_here.set(true))
            on_retry=Callback::new(move |_| fetched.refetch())
        />
        <DangerZone
            has_password=Signal::derive(move || has_password.get().and_then(Result::ok))
            username=username
        />
    }
}
