//! The router, the routes and the gates that keep signed-out visitors out of the account
//! pages (and signed-in ones away from login/sign-up).
use crate::components::{fresh_auth::FreshAuthDialog, header::Header, toasts::ToastRegion};
use crate::i18n::{catalogue::Common, t, Language};
use crate::nav;
use crate::pages::{
    applications::{
        actions::ActionsTab, application::ApplicationPage, members::MembersTab, ApplicationsPage,
    },
    auth_callback::AuthCallbackPage,
    forgot_password::ForgotPasswordPage,
    goodbye::GoodbyePage,
    login::LoginPage,
    login_challenge::{challenge_with_next, TwoFactorChallengePage},
    not_found::NotFoundPage,
    organization::OrganizationPage,
    preferences::{
        access_tokens::AccessTokens, account_details::AccountDetails, sessions::ActiveSessions,
        two_factor::TwoFactorSettings, PreferencesPage,
    },
    reset_password::ResetPasswordPage,
    signup::SignupPage,
    verify_email::VerifyEmailPage,
};
use crate::routes::{self, segment as seg};
use crate::state::{
    api_keys::ApiKeys,
    config::Config,
    fresh_auth::FreshAuth,
    session::{Notice, Session},
    theme::Theme,
    toast::Toasts,
    user::CurrentUser,
};
use leptos::{either::Either, prelude::*};
use leptos_router::{
    components::{Outlet, ParentRoute, Redirect, Route, Router, Routes},
    hooks::{use_location, use_query_map},
    path, NavigateOptions, ParamSegment, StaticSegment,
};

/// Every context the pages expect. Tests call this too, to mount a single component.
pub fn provide_app_contexts(config: Config) {
    let session = Session::load();
    provide_context(config.clone());
    provide_context(session);
    provide_context(crate::api::Client::new(config, session));
    provide_context(Theme::new());
    provide_context(Toasts::new());
    provide_context(CurrentUser::new());
    provide_context(ApiKeys::new());
    provide_context(FreshAuth::new());
    provide_context(Language::new());
}

#[component]
pub fn App(config: Config) -> impl IntoView {
    provide_app_contexts(config);
    let language = expect_context::<Language>();
    Effect::new(move |_| {
        let locale = language.track();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", locale.tag());
        }
    });
    // Texts are looked up when views are built: a new language renders the app anew (the
    // session and the other state live above, in the contexts, and are kept).
    move || {
        language.track();
        // Each routed page then puts its own name first.
        document().set_title(t(Common::AppName));
        view! {
        // Derived from document.baseURI, so one build works at `/` and under a sub-path.
        <Router base=nav::base_path()>
            <Header />
            <main class="app-main">
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=StartRedirect />
                    <Route path=StaticSegment(seg::LOGIN) view=|| view! { <SignedOutOnly><LoginPage /></SignedOutOnly> } />
                    <Route path=(StaticSegment(seg::LOGIN), StaticSegment(seg::TWO_FACTOR)) view=TwoFactorChallengePage />
                    <Route path=StaticSegment(seg::SIGNUP) view=|| view! { <SignedOutOnly><SignupPage /></SignedOutOnly> } />
                    // Reachable signed in or out: an emailed link may be opened anywhere.
                    <Route path=StaticSegment(seg::FORGOT_PASSWORD) view=ForgotPasswordPage />
                    <Route path=StaticSegment(seg::RESET_PASSWORD) view=ResetPasswordPage />
                    <Route path=StaticSegment(seg::VERIFY_EMAIL) view=VerifyEmailPage />
                    <Route path=(StaticSegment(seg::LOGIN), StaticSegment(seg::CALLBACK)) view=AuthCallbackPage />
                    <Route path=StaticSegment(seg::GOODBYE) view=GoodbyePage />
                    // Everything below needs a signed-in visitor: one gate for the group.
                    <ParentRoute path=path!("") view=|| view! { <SignedInOnly><Outlet /></SignedInOnly> }>
                        <Route path=StaticSegment(seg::APPLICATIONS) view=ApplicationsPage />
                        <ParentRoute path=(StaticSegment(seg::APPLICATIONS), ParamSegment("id")) view=ApplicationPage>
                            <Route path=path!("") view=MembersTab />
                            <Route path=StaticSegment(seg::ACTIONS) view=ActionsTab />
                        </ParentRoute>
                        <Route path=(StaticSegment(seg::ORGANIZATIONS), ParamSegment("handle")) view=OrganizationPage />
                        <ParentRoute path=StaticSegment(seg::PREFERENCES) view=PreferencesPage>
                            <Route path=path!("") view=|| view! { <Redirect path=routes::home() options=replace() /> } />
                            <Route path=StaticSegment(seg::DETAILS) view=AccountDetails />
                            <Route path=StaticSegment(seg::TOKENS) view=AccessTokens />
                            <Route path=StaticSegment(seg::TWO_FACTOR) view=TwoFactorSettings />
                            <Route path=StaticSegment(seg::SESSIONS) view=ActiveSessions />
                        </ParentRoute>
                    </ParentRoute>
                </Routes>
            </main>
            <ToastRegion />
            <FreshAuthDialog />
        </Router>
        }
    }
}

/// Gate redirects replace the history entry, so Back doesn't bounce off them again.
fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

#[component]
fn StartRedirect() -> impl IntoView {
    let session = expect_context::<Session>();
    let to = if session.is_signed_in() {
        routes::home()
    } else {
        routes::login()
    };
    view! { <Redirect path=to options=replace() /> }
}

/// Shows its children only to a signed-in visitor; anyone else goes to the login page and
/// comes back afterwards (`?next=`), unless they just logged out on purpose.
#[component]
fn SignedInOnly(children: ChildrenFn) -> impl IntoView {
    let session = expect_context::<Session>();
    let location = use_location();
    let signed_in = Memo::new(move |_| session.is_signed_in());
    move || {
        if signed_in.get() {
            return Either::Left(children());
        }
        let to = if untrack(|| session.two_factor_pending()) {
            // Password given, code still due: the challenge, then back here.
            let full = location.pathname.get_untracked();
            challenge_with_next(Some(nav::strip_base(nav::base_path(), &full)))
        } else if session.notice_untracked() == Some(Notice::LoggedOut) {
            routes::login()
        } else if session.notice_untracked() == Some(Notice::AccountDeleted) {
            // The account is gone: say goodbye instead of asking to log in.
            routes::goodbye()
        } else {
            let full = location.pathname.get_untracked();
            nav::login_with_next(nav::strip_base(nav::base_path(), &full))
        };
        Either::Right(view! { <Redirect path=to options=replace() /> })
    }
}

/// Login and sign-up make no sense when signed in: go to `?next=` (if it is a local path) or
/// to the preferences.
#[component]
fn SignedOutOnly(children: ChildrenFn) -> impl IntoView {
    let session = expect_context::<Session>();
    let query = use_query_map();
    let signed_in = Memo::new(move |_| session.is_signed_in());
    move || {
        let next = query.with_untracked(|q| q.get("next"));
        if session.two_factor_pending() {
            // The password step is done (a partial token): the challenge comes next.
            let to = challenge_with_next(nav::safe_next(next.as_deref()));
            return Either::Right(view! { <Redirect path=to options=replace() /> });
        }
        if !signed_in.get() {
            return Either::Left(children());
        }
        let to = nav::safe_next(next.as_deref()).map_or_else(routes::home, str::to_string);
        Either::Right(view! { <Redirect path=to options=replace() /> })
    }
}
