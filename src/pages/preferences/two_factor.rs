//! `/preferences/two-factor`: turn two-factor authentication (TOTP) on and off, and manage the
//! recovery codes.
//!
//! Whether 2FA is on is read from the session token's `twoFactorRequired` claim, as balena's
//! SDK does (`false`: the factor was passed, so it is on); every change replaces the token.
//! Enabling: setup (fresh authentication) → QR code and key → a valid code → the new token →
//! the first recovery codes (`POST /auth/totp/recovery-codes`, still fresh) → "Done" once the
//! user confirms they saved them.
use crate::api::two_factor::{self, group_in_fours, secret_of_uri};
use crate::api::{ApiError, Client};
use crate::components::code_input::CodeInput;
use crate::components::copy_button::{download_text_file, CopyButton};
use crate::components::dialog::Dialog;
use crate::components::field::TextInput;
use crate::components::form::{FormAlert, SubmitButton};
use crate::components::qr::QrCodeImage;
use crate::pages::login_challenge::WRONG_CODE_TEXT;
use crate::state::{fresh_auth::FreshAuth, session::Session, toast::Toasts};
use leptos::{
    either::{Either, EitherOf3},
    ev::SubmitEvent,
    prelude::*,
    task::spawn_local,
};

/// At or below this many unused recovery codes the tab warns.
pub const LOW_RECOVERY_CODES: u32 = 3;
pub const RECOVERY_CODES_FILE: &str = "account-console-recovery-codes.txt";

/// "7 recovery codes left", or the warning when few are left.
pub fn remaining_text(n: u32) -> String {
    match n {
        0 => "No recovery codes left. Generate new ones so you can still log in if you lose your authenticator.".into(),
        1 => "Only 1 recovery code left. Generate new ones so you can still log in if you lose your authenticator.".into(),
        n if n <= LOW_RECOVERY_CODES => format!("Only {n} recovery codes left. Generate new ones so you can still log in if you lose your authenticator."),
        n => format!("{n} recovery codes left."),
    }
}

/// The text file (and clipboard text) of a set of recovery codes.
pub fn recovery_codes_text(codes: &[String]) -> String {
    let mut text = String::from(
        "Account Console recovery codes\n\
         Each code can be used once to log in instead of an authentication code.\n\n",
    );
    for code in codes {
        text.push_str(code);
        text.push('\n');
    }
    text
}

#[derive(Clone, PartialEq)]
enum Step {
    Overview,
    Pairing { uri: String, secret: String },
    Codes(Vec<String>),
}

#[component]
pub fn TwoFactorSettings() -> impl IntoView {
    let step = RwSignal::new(Step::Overview);
    view! {
        <section class="card two-factor" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">"Two-factor authentication"</h2>
            {move || match step.get() {
                Step::Overview => EitherOf3::A(view! { <Overview step=step /> }),
                Step::Pairing { uri, secret } => {
                    EitherOf3::B(view! { <Pairing step=step uri=uri secret=secret /> })
                }
                Step::Codes(codes) => EitherOf3::C(view! { <ShowCodes step=step codes=codes /> }),
            }}
        </section>
    }
}

/// The current state and the actions on it.
#[component]
fn Overview(step: RwSignal<Step>) -> impl IntoView {
    let session = expect_context::<Session>();
    let fresh = expect_context::<FreshAuth>();
    let client = StoredValue::new(Client::from_context());
    let enabled = Memo::new(move |_| {
        session
            .claims()
            .is_some_and(|c| c.two_factor_required == Some(false))
    });
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let disable_open = RwSignal::new(false);
    let remaining = LocalResource::new(move || {
        let on = enabled.get();
        let client = client.get_value();
        async move {
            if on {
                Some(two_factor::remaining_recovery_codes(&client).await)
            } else {
                None
            }
        }
    });

    let start = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = fresh
                .run(|| {
                    let client = client.get_value();
                    async move { two_factor::setup(&client).await }
                })
                .await;
            match result {
                Ok(uri) => match secret_of_uri(&uri) {
                    Some(secret) => {
                        step.try_set(Step::Pairing { uri, secret });
                    }
                    None => {
                        error.try_set(Some("The server sent an unexpected response.".into()));
                    }
                },
                Err(ApiError::FreshAuthRequired) => {}
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
            pending.try_set(false);
        });
    };

    let regenerate = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = fresh
                .run(|| {
                    let client = client.get_value();
                    async move { two_factor::new_recovery_codes(&client).await }
                })
                .await;
            match result {
                Ok(codes) => {
                    step.try_set(Step::Codes(codes));
                }
                Err(ApiError::FreshAuthRequired) => {}
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
            pending.try_set(false);
        });
    };

    view! {
        {move || if enabled.get() {
            Either::Left(view! {
                <p class="two-factor-state">
                    <strong>"On."</strong>
                    " Logging in needs your password and a code from your authenticator app."
                </p>
                {move || remaining.get().flatten().map(|r| match r {
                    Ok(n) => Either::Left(view! {
                        <p class="recovery-remaining" class:warning=n <= LOW_RECOVERY_CODES role="status">
                            {remaining_text(n)}
                        </p>
                    }),
                    Err(e) => Either::Right(view! {
                        <p class="form-alert" role="alert">
                            "The number of recovery codes left could not be loaded. " {e.to_string()}
                        </p>
                    }),
                })}
                <div class="actions">
                    <button type="button" class="button" disabled=move || pending.get() on:click=regenerate>
                        "Generate new recovery codes"
                    </button>
                    <button type="button" class="button danger" on:click=move |_| disable_open.set(true)>
                        "Disable"
                    </button>
                </div>
            })
        } else {
            Either::Right(view! {
                <p class="two-factor-state">
                    <strong>"Off."</strong>
                    " Turn it on to need a code from an authenticator app, as well as your password, when you log in."
                </p>
                <div class="actions">
                    <button
                        type="button"
                        class="button primary"
                        disabled=move || pending.get()
                        aria-busy=move || pending.get().then_some("true")
                        on:click=start
                    >
                        "Enable"
                    </button>
                </div>
            })
        }}
        <FormAlert message=error />
        <DisableDialog open=disable_open />
    }
}

/// Step 2: the QR code, the key, and the first code.
#[component]
fn Pairing(step: RwSignal<Step>, uri: String, secret: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let fresh = expect_context::<FreshAuth>();
    let toasts = expect_context::<Toasts>();
    let client = StoredValue::new(Client::from_context());
    let code = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let incomplete = Signal::derive(move || code.with(|c| wire::validate::totp_code(c).is_err()));
    let grouped = group_in_fours(&secret);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if incomplete.get_untracked() || pending.get_untracked() {
            return;
        }
        let typed = code.get_untracked();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let enabled = fresh
                .run(|| {
                    let client = client.get_value();
                    let token = session.token_untracked().unwrap_or_default();
                    let typed = typed.clone();
                    async move { two_factor::verify(&client, token, &typed).await }
                })
                .await;
            match enabled {
                Ok(token) => session.replace_token(token),
                Err(e) => {
                    code.try_set(String::new());
                    error.try_set(match e {
                        ApiError::Unauthorized => Some(WRONG_CODE_TEXT.into()),
                        ApiError::FreshAuthRequired => None,
                        other => Some(other.to_string()),
                    });
                    pending.try_set(false);
                    return;
                }
            }
            // On now; the first recovery codes (the session is still fresh from the setup).
            let codes = fresh
                .run(|| {
                    let client = client.get_value();
                    async move { two_factor::new_recovery_codes(&client).await }
                })
                .await;
            match codes {
                Ok(codes) => {
                    step.try_set(Step::Codes(codes));
                }
                Err(e) => {
                    toasts.push(format!(
                        "Two-factor authentication is on, but the recovery codes could not be created: {e} Use \u{201c}Generate new recovery codes\u{201d}."
                    ));
                    step.try_set(Step::Overview);
                }
            }
        });
    };

    view! {
        <h3>"Scan the QR code"</h3>
        <ol class="steps">
            <li>"Open your authenticator app (for example Google Authenticator, Authy, 1Password or FreeOTP) and add an account."</li>
            <li>"Scan this QR code, or enter the key below by hand."</li>
            <li>"Enter the 6-digit code the app shows."</li>
        </ol>
        <div class="pairing">
            <QrCodeImage data=uri label="QR code for your authenticator app" />
            <div class="pairing-key">
                <p id="totp-key-label">"Key for manual entry:"</p>
                <p>
                    <code class="totp-key" aria-labelledby="totp-key-label">{grouped}</code>
                </p>
                <CopyButton text=secret label="Copy key" />
            </div>
        </div>
        <form class="pairing-form" on:submit=on_submit novalidate=true>
            <CodeInput id="pairing-code" value=code invalid=Signal::derive(move || error.get().is_some()) />
            <FormAlert message=error />
            <div class="actions">
                <SubmitButton label="Verify" pending_label="Verifying…" pending=pending disabled=incomplete />
                <button type="button" class="button" on:click=move |_| step.set(Step::Overview)>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

/// Step 3 (and after regenerating): the codes, shown once.
#[component]
fn ShowCodes(step: RwSignal<Step>, codes: Vec<String>) -> impl IntoView {
    let saved = RwSignal::new(false);
    let download_error = RwSignal::new(None::<String>);
    let text = recovery_codes_text(&codes);
    let download = {
        let text = text.clone();
        move |_| {
            download_error.set(
                download_text_file(RECOVERY_CODES_FILE, &text)
                    .err()
                    .map(|_| "The download did not start. Copy the codes instead.".into()),
            );
        }
    };
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <div class="recovery-codes-panel">
            <h3>"Save your recovery codes"</h3>
            <p id="recovery-codes-help">
                "If you lose your authenticator, each of these codes lets you log in once instead of an authentication code. "
                "They are shown only now: keep them somewhere safe, such as a password manager. Any earlier codes no longer work."
            </p>
            <ul class="recovery-codes" aria-label="Recovery codes" aria-describedby="recovery-codes-help">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <div class="actions no-print">
                <CopyButton text=text label="Copy all" accessible_name="Copy all recovery codes" />
                <button type="button" class="button" on:click=download>"Download"</button>
                <button type="button" class="button" on:click=print>"Print"</button>
            </div>
            <FormAlert message=download_error />
            <label class="checkbox no-print">
                <input
                    type="checkbox"
                    prop:checked=move || saved.get()
                    on:change=move |ev| saved.set(event_target_checked(&ev))
                />
                "I have saved my recovery codes"
            </label>
            <div class="actions no-print">
                <button
                    type="button"
                    class="button primary"
                    disabled=move || !saved.get()
                    on:click=move |_| step.set(Step::Overview)
                >
                    "Done"
                </button>
            </div>
        </div>
    }
}

/// "Disable" asks for the password; the answer is a new token without the 2FA claim.
#[component]
fn DisableDialog(open: RwSignal<bool>) -> impl IntoView {
    let session = expect_context::<Session>();
    let toasts = expect_context::<Toasts>();
    let client = StoredValue::new(Client::from_context());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let empty = Signal::derive(move || password.with(String::is_empty));

    Effect::new(move |_| {
        if !open.get() {
            password.set(String::new());
            error.set(None);
            pending.set(false);
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if empty.get_untracked() || pending.get_untracked() {
            return;
        }
        let Some(token) = session.token_untracked() else {
            return;
        };
        let typed = password.get_untracked();
        let client = client.get_value();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match two_factor::disable(&client, token, &typed).await {
                Ok(token) => {
                    open.try_set(false);
                    session.replace_token(token);
                    toasts.push("Two-factor authentication is off.");
                }
                Err(e) => {
                    error.try_set(Some(match e {
                        ApiError::Unauthorized => "Wrong password.".to_string(),
                        other => other.to_string(),
                    }));
                    pending.try_set(false);
                }
            }
        });
    };

    view! {
        <Dialog open=open title="Disable two-factor authentication" describedby="disable-2fa-why">
            <form class="dialog-body" on:submit=on_submit novalidate=true>
                <p id="disable-2fa-why">
                    "Logging in will need only your password, and your recovery codes will stop working. Enter your password to confirm."
                </p>
                <TextInput required=true
                    id="disable-2fa-password"
                    label="Password"
                    input_type="password"
                    autocomplete="current-password"
                    value=password
                />
                <FormAlert message=error />
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    <SubmitButton
                        label="Disable two-factor authentication"
                        pending_label="Disabling…"
                        pending=pending
                        disabled=empty
                    />
                </div>
            </form>
        </Dialog>
    }
}
