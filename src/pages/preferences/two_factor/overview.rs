//! Whether two-factor authentication is on, the recovery codes left, and the actions on them.
use super::disable::DisableDialog;
use super::{remaining_text, Step, LOW_RECOVERY_CODES};
use crate::api::two_factor::{self, secret_of_uri};
use crate::api::{ApiError, Client};
use crate::components::form::FormAlert;
use crate::i18n::{catalogue::Account, t};
use crate::state::{session::Session, write::Write};
use leptos::{either::Either, prelude::*};

/// The current state and the actions on it.
#[component]
pub fn Overview(step: RwSignal<Step>) -> impl IntoView {
    let session = expect_context::<Session>();
    let client = StoredValue::new(Client::from_context());
    let enabled = Memo::new(move |_| {
        session
            .claims()
            .is_some_and(|c| c.two_factor_required == Some(false))
    });
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

    let start = Write::with_fresh_auth(move |()| async move {
        let uri = two_factor::setup(&client.get_value()).await?;
        let secret = secret_of_uri(&uri)
            .ok_or_else(|| ApiError::InvalidResponse("no secret in the otpauth URI".into()))?;
        step.try_set(Step::Pairing { uri, secret });
        Ok(())
    });
    let regenerate = Write::with_fresh_auth(move |()| async move {
        let codes = two_factor::new_recovery_codes(&client.get_value()).await?;
        step.try_set(Step::Codes(codes));
        Ok(())
    });
    let pending = Signal::derive(move || start.pending().get() || regenerate.pending().get());
    let error = Signal::derive(move || {
        start
            .error()
            .or_else(|| regenerate.error())
            // Cancelling the password dialog is not an error to show.
            .filter(|e| *e != ApiError::FreshAuthRequired)
            .map(|e| e.to_string())
    });

    view! {
        {move || if enabled.get() {
            Either::Left(view! {
                <p class="two-factor-state">
                    <strong>{t(Account::TwoFactorOn)}</strong>
                    " "
                    {t(Account::TwoFactorOnDetail)}
                </p>
                {move || remaining.get().flatten().map(|r| match r {
                    Ok(n) => Either::Left(view! {
                        <p class="recovery-remaining" class:warning=n <= LOW_RECOVERY_CODES role="status">
                            {remaining_text(n)}
                        </p>
                    }),
                    Err(e) => Either::Right(view! {
                        <p class="form-alert" role="alert">
                            {t(Account::RemainingFailed)} " " {e.to_string()}
                        </p>
                    }),
                })}
                <div class="actions">
                    <button type="button" class="button" disabled=move || pending.get() on:click=move |_| regenerate.run(())>
                        {t(Account::GenerateNewCodes)}
                    </button>
                    <button type="button" class="button danger" on:click=move |_| disable_open.set(true)>
                        {t(Account::Disable)}
                    </button>
                </div>
            })
        } else {
            Either::Right(view! {
                <p class="two-factor-state">
                    <strong>{t(Account::TwoFactorOff)}</strong>
                    " "
                    {t(Account::TwoFactorOffDetail)}
                </p>
                <div class="actions">
                    <button
                        type="button"
                        class="button primary"
                        disabled=move || pending.get()
                        aria-busy=move || pending.get().then_some("true")
                        on:click=move |_| start.run(())
                    >
                        {t(Account::Enable)}
                    </button>
                </div>
            })
        }}
        <FormAlert message=error />
        <DisableDialog open=disable_open />
    }
}
