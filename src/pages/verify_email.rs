//! `/verify-email#token=…&email=…`: the page the mailed verification link opens. Like the
//! reset link, the token is read once and wiped from the address bar; the page verifies at
//! once and never signs anyone in (whoever opened the link keeps the session they had).
use crate::api::{account, Client};
use crate::components::page_title::page_title;
use crate::i18n::{catalogue::Auth, t};
use crate::nav::href;
use crate::routes;
use crate::state::session::Session;
use leptos::{either::EitherOf4, prelude::*, task::spawn_local};
use leptos_router::components::A;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Verifying,
    Verified,
    InvalidLink,
    Failed(String),
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    page_title(t(Auth::VerifyEmailTitle));
    let client = StoredValue::new(Client::from_context());
    let session = expect_context::<Session>();
    let fragment = account::take_fragment();
    let link = StoredValue::new(
        account::fragment_param(&fragment, wire::account::TOKEN_FRAGMENT_KEY).zip(
            account::fragment_param(&fragment, wire::account::EMAIL_FRAGMENT_KEY),
        ),
    );
    let step = RwSignal::new(Step::Verifying);
    let run = move || {
        let Some((token, email)) = link.try_get_value().flatten() else {
            step.try_set(Step::InvalidLink);
            return;
        };
        step.try_set(Step::Verifying);
        let client = client.get_value();
        spawn_local(async move {
            let next = match account::verify_email(&client, &token, &email).await {
                Ok(()) => Step::Verified,
                Err(e) if account::is_invalid_verification_link(&e) => Step::InvalidLink,
                Err(e) => Step::Failed(e.to_string()),
            };
            if !matches!(next, Step::Failed(_)) {
                // Verified or refused, the token is spent: never send it again.
                link.try_set_value(None);
            }
            step.try_set(next);
        });
    };
    run();
    // Another link opened in this tab (same page, new fragment): verify with that one.
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        // Only a fragment of this page's own address is ours to take.
        let path = window().location().pathname().unwrap_or_default();
        if !path.ends_with(wire::account::VERIFY_EMAIL_ROUTE) {
            return;
        }
        let fragment = account::take_fragment();
        if let Some(fresh) =
            account::fragment_param(&fragment, wire::account::TOKEN_FRAGMENT_KEY).zip(
                account::fragment_param(&fragment, wire::account::EMAIL_FRAGMENT_KEY),
            )
        {
            link.try_set_value(Some(fresh));
            run();
        }
    });
    on_cleanup(move || listener.remove());
    let onward = move || {
        if session.is_signed_in() {
            (href(&routes::account_details()), t(Auth::GoToAccount))
        } else {
            (href(&routes::login()), t(Auth::LogIn))
        }
    };
    view! {
        <div class="auth-page">
            <div class="card auth-card">
                <h1>{t(Auth::VerifyEmailTitle)}</h1>
                {move || match step.get() {
                    Step::Verifying => EitherOf4::A(view! {
                        <p class="loading" aria-busy="true">{t(Auth::VerifyingEmail)}</p>
                    }),
                    Step::Verified => EitherOf4::B(view! {
                        <p class="notice" role="status">{t(Auth::EmailVerified)}</p>
                        <p class="auth-switch"><A href=onward().0>{onward().1}</A></p>
                    }),
                    Step::InvalidLink => EitherOf4::C(view! {
                        <p class="form-alert" role="alert">{t(Auth::VerifyLinkInvalid)}</p>
                        <p class="auth-switch"><A href=onward().0>{onward().1}</A></p>
                    }),
                    Step::Failed(message) => EitherOf4::D(view! {
                        <div class="form-alert" role="alert">
                            <p>{message}</p>
                            <button type="button" class="button" on:click=move |_| run()>{t(Auth::TryAgain)}</button>
                        </div>
                    }),
                }}
            </div>
        </div>
    }
}
