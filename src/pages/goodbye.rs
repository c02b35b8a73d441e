//! `/goodbye`: shown once the account has been deleted (the session is gone by then).
use crate::nav::href;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn GoodbyePage() -> impl IntoView {
    view! {
        <div class="auth-page">
            <div class="card auth-card">
                <h1>"Your account has been deleted"</h1>
                <p>
                    "Your account, its personal organization with its applications and devices, your API keys and your sessions are gone. Thank you for using Account Console."
                </p>
                <p class="auth-switch"><A href=href(&routes::signup())>"Create a new account"</A></p>
            </div>
        </div>
    }
}
