//! `/goodbye`: shown once the account has been deleted (the session is gone by then).
use crate::components::page_title::page_title;
use crate::i18n::{catalogue::Auth, t};
use crate::nav::href;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn GoodbyePage() -> impl IntoView {
    page_title(t(Auth::GoodbyeTitle));
    view! {
        <div class="auth-page">
            <div class="card auth-card">
                <h1>{t(Auth::GoodbyeTitle)}</h1>
                <p>{t(Auth::GoodbyeText)}</p>
                <p class="auth-switch"><A href=href(&routes::signup())>{t(Auth::CreateNewAccount)}</A></p>
            </div>
        </div>
    }
}
