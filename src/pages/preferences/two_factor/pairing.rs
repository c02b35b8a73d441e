//! Turning two-factor authentication on: the QR code and key, then a code from the app.
use super::Step;
use crate::api::two_factor::{self, group_in_fours};
use crate::api::{ApiError, Client};
use crate::components::code_input::CodeInput;
use crate::components::copy_button::CopyButton;
use crate::components::form::{FormAlert, PendingButton};
use crate::components::qr::QrCodeImage;
use crate::i18n::{
    catalogue::{Account, Auth},
    t, with_args,
};
use crate::state::write::Write;
use crate::state::{fresh_auth::FreshAuth, session::Session, toast::Toasts};
use leptos::{ev::SubmitEvent, prelude::*};

/// The hint saying which code the input wants: the one the app shows for the account just
/// added, not a recovery code.
const PAIRING_HINT_ID: &str = "pairing-code-hint";

/// Step 2: the QR code, the key, and the first code.
#[component]
pub fn Pairing(step: RwSignal<Step>, uri: String, secret: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let fresh = expect_context::<FreshAuth>();
    let toasts = expect_context::<Toasts>();
    let client = StoredValue::new(Client::from_context());
    let code = RwSignal::new(String::new());
    // Looked up now: the request's continuation runs outside the view's owner.
    let codes_not_created = t(Account::CodesNotCreated);
    let enable = Write::new(move |typed: String| async move {
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
                return Err(e);
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
                toasts.push(with_args(codes_not_created, &[("error", &e.to_string())]));
                step.try_set(Step::Overview);
            }
        }
        Ok(())
    });
    let pending = enable.pending();
    let error = Signal::derive(move || match enable.error()? {
        ApiError::Unauthorized => Some(t(Auth::WrongCode).to_string()),
        // Cancelling the password dialog is not an error to show.
        ApiError::FreshAuthRequired => None,
        other => Some(other.to_string()),
    });
    let incomplete = Signal::derive(move || code.with(|c| wire::validate::totp_code(c).is_err()));
    let grouped = group_in_fours(&secret);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !incomplete.get_untracked() {
            enable.run(code.get_untracked());
        }
    };

    view! {
        <h3>{t(Account::ScanQrCode)}</h3>
        <ol class="steps">
            <li>{t(Account::PairingStepOpenApp)}</li>
            <li>{t(Account::PairingStepScan)}</li>
            <li>{t(Account::PairingStepCode)}</li>
        </ol>
        <div class="pairing">
            <QrCodeImage data=uri label=t(Account::QrCodeLabel) />
            <div class="pairing-key">
                <p id="totp-key-label">{t(Account::ManualKey)}</p>
                <p>
                    <code class="totp-key" aria-labelledby="totp-key-label">{grouped}</code>
                </p>
                <CopyButton text=secret label=t(Account::CopyKey) />
            </div>
        </div>
        <form class="pairing-form" on:submit=on_submit novalidate=true>
            <CodeInput
                id="pairing-code"
                label=t(Account::AuthenticationCode)
                value=code
                describedby=Some(PAIRING_HINT_ID.to_string())
                invalid=Signal::derive(move || error.get().is_some())
            />
            <p class="hint" id=PAIRING_HINT_ID>{t(Account::PairingCodeHint)}</p>
            <FormAlert message=error />
            <div class="actions">
                <PendingButton label=t(Account::Verify) pending_label=t(Account::Verifying) pending=pending disabled=incomplete />
                <button type="button" class="button" on:click=move |_| step.set(Step::Overview)>
                    {t(Account::Cancel)}
                </button>
            </div>
        </form>
    }
}
