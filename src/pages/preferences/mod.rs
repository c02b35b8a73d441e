//! `/preferences/*`: a section nav and the selected section (the nested route's `<Outlet>`).
//! Each section is one link here and one route in `app.rs`.
pub mod access_tokens;
pub mod account_details;
pub mod sessions;
pub mod two_factor;
pub mod verify_banner;

use crate::i18n::{catalogue::Account, t};
use crate::nav::href;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

#[component]
pub fn PreferencesPage() -> impl IntoView {
    view! {
        <div class="page preferences">
            <h1>{t(Account::Preferences)}</h1>
            <verify_banner::VerifyEmailBanner />
            <access_tokens::banner::ExpiringKeysBanner />
            <div class="preferences-layout">
                <nav class="section-nav" aria-label=t(Account::PreferencesSections)>
                    <A href=href(&routes::account_details())>{t(Account::AccountDetails)}</A>
                    <A href=href(&routes::access_tokens())>{t(Account::AccessTokens)}</A>
                    <A href=href(&routes::two_factor_settings())>{t(Account::TwoFactor)}</A>
                    <A href=href(&routes::sessions())>{t(Account::ActiveSessions)}</A>
                </nav>
                <div class="section-panel">
                    <Outlet />
                </div>
            </div>
        </div>
    }
}
