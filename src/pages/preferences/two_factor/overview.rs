//! Whether two-factor authentication is on, the recovery codes left, and the actions on them.
use super::disable::DisableDialog;
use super::{remaining_text, Step, LOW_RECOVERY_CODES};
use crate::api::two_factor::{self, secret_of_uri};
use crate::api::{ApiError, Client};
use crate::components::form::FormAlert;
use crate::state::{fresh_auth::FreshAuth, session::Session};
use leptos::{either::Either, prelude::*, task::spawn_local};

/// The current state and the actions on it.
#[component]
pub fn Overview(step: RwSignal<Step>) -> impl IntoView {
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
