//! `/preferences/details`: who you are signed in as.
use crate::state::user::CurrentUser;
use leptos::{either::EitherOf3, prelude::*};

#[component]
pub fn AccountDetails() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    view! {
        <section class="card" aria-labelledby="account-details-title">
            <h2 id="account-details-title">"Account details"</h2>
            {move || match user.get() {
                None => EitherOf3::A(view! { <p class="loading" aria-busy="true">"Loading your account…"</p> }),
                Some(Ok(me)) => EitherOf3::B(view! {
                    <dl class="details">
                        <dt>"Username"</dt>
                        <dd>{me.username}</dd>
                        <dt>"Email"</dt>
                        <dd>{me.email.unwrap_or_else(|| "No email address".into())}</dd>
                    </dl>
                }),
                Some(Err(e)) => EitherOf3::C(view! {
                    <div class="form-alert" role="alert">
                        <p>"Your account details could not be loaded. " {e.to_string()}</p>
                        <button type="button" class="button" on:click=move |_| user.refetch()>"Try again"</button>
                    </div>
                }),
            }}
        </section>
    }
}
