//! "Verify your email address": shown on every Preferences tab until the signed-in user's
//! address is verified, with a button that mails a new link. Until then, social sign-in
//! cannot be connected to the account by email.
use crate::api::{account, Client};
use crate::state::{session::Session, toast::Toasts, user::CurrentUser, write::Write};
use leptos::prelude::*;

pub const RESENT_TOAST: &str = "Verification email sent. Check your inbox.";

#[component]
pub fn VerifyEmailBanner() -> impl IntoView {
    let session = expect_context::<Session>();
    let user = expect_context::<CurrentUser>();
    let toasts = expect_context::<Toasts>();
    let client = StoredValue::new(Client::from_context());
    let user_id = Memo::new(move |_| session.claims().map(|c| c.id));
    let verified = LocalResource::new(move || {
        let id = user_id.get();
        let client = client.get_value();
        async move {
            match id {
                // An error (balenaCloud has no such field on `user`) shows nothing.
                Some(id) => account::is_verified(&client, id).await.ok(),
                None => None,
            }
        }
    });
    // Its outcome is a toast either way: the banner has no room for an inline error.
    let resend = Write::new(move |id: i64| {
        let client = client.get_value();
        async move {
            match account::request_verification_email(&client, id).await {
                Ok(()) => toasts.push(RESENT_TOAST),
                Err(e) => toasts.push(format!("The email could not be sent. {e}")),
            }
            Ok(())
        }
    });
    let pending = resend.pending();
    let email = move || {
        user.get()
            .and_then(Result::ok)
            .and_then(|u| u.email)
            .unwrap_or_default()
    };
    view! {
        <Show when=move || verified.get().flatten() == Some(false)>
            <section class="banner banner-warning" aria-labelledby="verify-email-title">
                <h2 id="verify-email-title">"Verify your email address"</h2>
                <p>
                    "We sent a link to " <strong>{email}</strong>
                    ". Open it to confirm the address is yours; until then it cannot be used to connect a social sign-in."
                </p>
                <button
                    type="button"
                    class="button"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().to_string()
                    on:click=move |_| {
                        if let Some(id) = user_id.get_untracked() {
                            resend.run(id);
                        }
                    }
                >
                    {move || if pending.get() { "Sending…" } else { "Resend email" }}
                </button>
            </section>
        </Show>
    }
}
