//! "Verify your email address": shown on every Preferences tab until the signed-in user's
//! address is verified, with a button that mails a new link. Until then, social sign-in
//! cannot be connected to the account by email.
use crate::api::{account, Client};
use crate::i18n::{catalogue::Auth, t, with_args};
use crate::state::{session::Session, toast::Toasts, user::CurrentUser, write::Write};
use leptos::prelude::*;

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
    // Its outcome is a toast either way: the banner has no room for an inline error. The
    // texts are looked up now: the toast is pushed after the request, outside the view.
    let (sent, not_sent) = (t(Auth::VerificationSent), t(Auth::VerificationNotSent));
    let resend = Write::new(move |id: i64| {
        let client = client.get_value();
        async move {
            match account::request_verification_email(&client, id).await {
                Ok(()) => toasts.push(sent),
                Err(e) => toasts.push(with_args(not_sent, &[("error", &e.to_string())])),
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
    // The address is bold inside the sentence, wherever the language puts it.
    let (before, after) = t(Auth::VerifyBannerText)
        .split_once("{email}")
        .unwrap_or((t(Auth::VerifyBannerText), ""));
    view! {
        <Show when=move || verified.get().flatten() == Some(false)>
            <section class="banner banner-warning" aria-labelledby="verify-email-title">
                <h2 id="verify-email-title">{t(Auth::VerifyEmailTitle)}</h2>
                <p>{before}<strong>{email}</strong>{after}</p>
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
                    {move || t(if pending.get() { Auth::Sending } else { Auth::ResendEmail })}
                </button>
            </section>
        </Show>
    }
}
