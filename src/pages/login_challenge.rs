//! `/login/two-factor`: the second login step for accounts with two-factor authentication.
//!
//! After username and password the server answers a partial token (`twoFactorRequired: true`),
//! which the session store keeps but does not count as signed in. This page sends the
//! authenticator code (or a recovery code) with it; the answer is a full token, and the route
//! gate moves on to `?next=`. A wrong code says so and lets the visitor retry; after the fifth
//! the server has ended the partial session, so the console returns to the login page.
use crate::api::{auth, two_factor, ApiError, Client};
use crate::components::code_input::CodeInput;
use crate::components::field::TextInput;
use crate::components::form::{FormAlert, PendingButton};
use crate::components::page_title::page_title;
use crate::i18n::{catalogue::Auth, t};
use crate::nav;
use crate::routes;
use crate::state::session::{Notice, Session};
use crate::state::write::Write;
use leptos::{
    either::{Either, EitherOf3},
    ev::SubmitEvent,
    prelude::*,
};
use leptos_router::{components::Redirect, hooks::use_query_map, NavigateOptions};

/// The server ends a partial session at its fifth wrong code.
pub const MAX_WRONG_CODES: u32 = 5;

/// `/login/two-factor?next=<path>`.
pub fn challenge_with_next(next: Option<&str>) -> String {
    nav::with_next(routes::two_factor_challenge(), next)
}

/// The challenge's own wording for an error.
pub fn challenge_error_text(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized => t(Auth::WrongCode).to_string(),
        other => other.to_string(),
    }
}

fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

/// The page, behind its own gate: signed in fully → `?next=` (or home); no token → login.
#[component]
pub fn TwoFactorChallengePage() -> impl IntoView {
    page_title(t(Auth::ChallengeTitle));
    let session = expect_context::<Session>();
    let query = use_query_map();
    let state = Memo::new(move |_| (session.is_signed_in(), session.two_factor_pending()));
    move || match state.get() {
        (_, true) => EitherOf3::A(view! { <ChallengeForm /> }),
        (true, false) => {
            let next = query.with_untracked(|q| q.get("next"));
            let to = nav::safe_next(next.as_deref()).map_or_else(routes::home, str::to_string);
            EitherOf3::B(view! { <Redirect path=to options=replace() /> })
        }
        (false, false) => {
            EitherOf3::C(view! { <Redirect path=routes::login() options=replace() /> })
        }
    }
}

#[component]
fn ChallengeForm() -> impl IntoView {
    let session = expect_context::<Session>();
    let client = Client::from_context();
    let use_recovery = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let recovery = RwSignal::new(String::new());
    let failures = StoredValue::new(0u32);
    let verify = Write::new({
        let client = client.clone();
        move |(token, typed): (String, String)| {
            let client = client.clone();
            async move {
                let result = two_factor::verify(&client, token, &typed).await;
                match result {
                    // The gate takes the visitor on once the full token is in place.
                    Ok(full) => session.replace_token(full),
                    Err(ApiError::Unauthorized) if failures.get_value() + 1 >= MAX_WRONG_CODES => {
                        session.end(Notice::TwoFactorFailed);
                    }
                    Err(e) => {
                        if e == ApiError::Unauthorized {
                            failures.update_value(|n| *n += 1);
                        }
                        code.try_set(String::new());
                        recovery.try_set(String::new());
                        return Err(e);
                    }
                }
                Ok(())
            }
        }
    });
    let pending = verify.pending();
    let error = Signal::derive(move || verify.error().map(|e| challenge_error_text(&e)));
    let incomplete = Signal::derive(move || {
        if use_recovery.get() {
            recovery.with(|r| r.trim().is_empty())
        } else {
            code.with(|c| wire::validate::totp_code(c).is_err())
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if incomplete.get_untracked() {
            return;
        }
        let Some(token) = session.token_untracked() else {
            return;
        };
        let typed = if use_recovery.get_untracked() {
            recovery.get_untracked().trim().to_string()
        } else {
            code.get_untracked()
        };
        verify.run((token, typed));
    };

    let cancel = move |_| auth::log_out(&client, session);

    let toggle = move |_| {
        use_recovery.update(|r| *r = !*r);
        verify.clear();
    };

    view! {
        <div class="auth-page">
            <form class="card auth-card" on:submit=on_submit novalidate=true>
                <h1>{t(Auth::ChallengeTitle)}</h1>
                {move || if use_recovery.get() {
                    Either::Left(view! {
                        <p>{t(Auth::ChallengeRecoveryIntro)}</p>
                        <TextInput required=true id="challenge-recovery" label=t(Auth::RecoveryCode) autocomplete="off" value=recovery />
                    })
                } else {
                    Either::Right(view! {
                        <p>{t(Auth::ChallengeCodeIntro)}</p>
                        <CodeInput id="challenge-code" value=code />
                    })
                }}
                <FormAlert message=error />
                <PendingButton label=t(Auth::Verify) pending_label=t(Auth::Verifying) pending=pending disabled=incomplete />
                <p class="auth-switch">
                    <button type="button" class="link-button" on:click=toggle>
                        {move || if use_recovery.get() {
                            t(Auth::UseAuthenticatorApp)
                        } else {
                            t(Auth::UseRecoveryCode)
                        }}
                    </button>
                </p>
                <p class="auth-switch">
                    <button type="button" class="link-button" on:click=cancel>{t(Auth::CancelAndLogOut)}</button>
                </p>
            </form>
        </div>
    }
}
