//! `/preferences/two-factor`: turn two-factor authentication (TOTP) on and off, and manage the
//! recovery codes.
//!
//! Whether 2FA is on is read from the session token's `twoFactorRequired` claim, as balena's
//! SDK does (`false`: the factor was passed, so it is on); every change replaces the token.
//! Enabling: setup (fresh authentication) → QR code and key → a valid code → the new token →
//! the first recovery codes (`POST /auth/totp/recovery-codes`, still fresh) → "Done" once the
//! user confirms they saved them.
mod codes;
mod disable;
mod overview;
mod pairing;

use crate::components::page_title::page_title;
use crate::i18n::{
    catalogue::{Account, Common},
    plural, t, with_args,
};
use codes::ShowCodes;
use leptos::{either::EitherOf3, prelude::*};
use overview::Overview;
use pairing::Pairing;

/// At or below this many unused recovery codes the tab warns.
pub const LOW_RECOVERY_CODES: u32 = 3;
pub const RECOVERY_CODES_FILE: &str = "account-console-recovery-codes.txt";

/// "7 recovery codes left", or the warning when few are left.
pub fn remaining_text(n: u32) -> String {
    match n {
        0 => t(Account::NoCodesLeft).into(),
        n if n <= LOW_RECOVERY_CODES => plural(
            n.into(),
            Account::FewCodesLeftOne,
            Account::FewCodesLeftOther,
        ),
        n => plural(n.into(), Account::CodesLeftOne, Account::CodesLeftOther),
    }
}

/// The text file (and clipboard text) of a set of recovery codes.
pub fn recovery_codes_text(codes: &[String]) -> String {
    let title = with_args(t(Account::CodesFileTitle), &[("app", t(Common::AppName))]);
    let mut text = format!("{title}\n{}\n\n", t(Account::CodesFileHelp));
    for code in codes {
        text.push_str(code);
        text.push('\n');
    }
    text
}

#[derive(Clone, PartialEq)]
pub enum Step {
    Overview,
    Pairing { uri: String, secret: String },
    Codes(Vec<String>),
}

#[component]
pub fn TwoFactorSettings() -> impl IntoView {
    page_title(t(Account::TwoFactor));
    let step = RwSignal::new(Step::Overview);
    view! {
        <section class="card two-factor" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">{t(Account::TwoFactor)}</h2>
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
