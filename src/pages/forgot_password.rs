//! `/forgot-password`: asks for a reset link. The answer is the same whether or not the
//! address has an account (security bar 1.6), so the confirmation is neutral.
use crate::api::{account, Client};
use crate::components::field::TextInput;
use crate::components::form::{FormAlert, PendingButton};
use crate::components::page_title::page_title;
use crate::i18n::{catalogue::Auth, invalid_text, t};
use crate::nav::href;
use crate::routes;
use crate::state::write::Write;
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::components::A;
use wire::validate;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    page_title(t(Auth::ForgotTitle));
    let client = Client::from_context();
    let email = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    let request = Write::new(move |address: String| {
        let client = client.clone();
        async move {
            account::request_password_reset(&client, &address).await?;
            sent.try_set(true);
            Ok(())
        }
    });
    let pending = request.pending();
    let email_error =
        Signal::derive(move || email.with(|v| validate::email(v.trim()).err().map(invalid_text)));
    let invalid = Signal::derive(move || email_error.get().is_some());

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !invalid.get_untracked() {
            request.run(email.get_untracked().trim().to_string());
        }
    };

    view! {
        <div class="auth-page">
            <form class="card auth-card" on:submit=on_submit novalidate=true>
                <h1>{t(Auth::ForgotTitle)}</h1>
                <p class="notice" role="status">{move || sent.get().then(|| t(Auth::ResetSent))}</p>
                <Show when=move || !sent.get()>
                    <p class="auth-intro">
                        {t(Auth::ForgotIntro)}
                    </p>
                    <TextInput required=true
                        id="forgot-email"
                        label=t(Auth::Email)
                        input_type="email"
                        autocomplete="email"
                        value=email
                        error=email_error
                    />
                    <FormAlert message=request.error_text() />
                    <PendingButton label=t(Auth::SendResetLink) pending_label=t(Auth::Sending) pending=pending disabled=invalid />
                </Show>
                <p class="auth-switch">
                    {t(Auth::RememberedIt)} <A href=href(&routes::login())>{t(Auth::BackToLogIn)}</A>
                </p>
            </form>
        </div>
    }
}
