//! `/preferences/sessions`: every browser and client signed in to the account (from the
//! User-Agent and address it signed in with), which one is this, and revoking one or all
//! others. A revoked session is refused on its next request and lands on the login page.
pub mod logic;
pub mod revoke;

use super::access_tokens::logic::{date_part, parse_iso_ms, time_ago_text};
use super::access_tokens::now_signal;
use crate::api::{sessions, Client};
use crate::components::async_view::{never_empty, AsyncView, ReadStatus};
use crate::components::page_title::page_title;
use crate::i18n::{catalogue::Account, t, with_args};
use leptos::prelude::*;
use logic::{current_first, revoke_name, session_label, RevokeTarget};
use revoke::{RevokeDialog, SESSIONS_TITLE_ID};
use wire::SessionRow;

#[component]
pub fn ActiveSessions() -> impl IntoView {
    page_title(t(Account::ActiveSessions));
    let client = Client::from_context();
    let list = LocalResource::new(move || {
        let client = client.clone();
        async move { sessions::list(&client).await.map(current_first) }
    });
    let open = RwSignal::new(false);
    let target = RwSignal::new(None::<RevokeTarget>);
    let ask = Callback::new(move |t: RevokeTarget| {
        target.set(Some(t));
        open.set(true);
    });
    let others = Memo::new(move |_| match list.get() {
        Some(Ok(rows)) => rows.iter().filter(|r| !r.current).count(),
        _ => 0,
    });

    view! {
        <section class="card sessions-panel" aria-labelledby=SESSIONS_TITLE_ID>
            <div class="section-header">
                <h2 id=SESSIONS_TITLE_ID tabindex="-1">{t(Account::ActiveSessions)}</h2>
                <button
                    type="button"
                    class="button danger"
                    disabled=move || others.get() == 0
                    on:click=move |_| ask.run(RevokeTarget::Others { count: others.get_untracked() })
                >
                    {t(Account::RevokeAllOthers)}
                </button>
            </div>
            <p>{t(Account::SessionsIntro)}</p>
            <AsyncView
                status=ReadStatus::track(list, never_empty)
                loading=t(Account::LoadingSessions)
                failed=t(Account::SessionsFailed)
                retry=Callback::new(move |_| list.refetch())
                content=move || list.get().and_then(Result::ok).map(|rows| view! { <SessionList rows ask /> })
            />
            <RevokeDialog open target on_done=Callback::new(move |_| list.refetch()) />
        </section>
    }
}

#[component]
fn SessionList(rows: Vec<SessionRow>, ask: Callback<RevokeTarget>) -> impl IntoView {
    let now = now_signal();
    view! {
        <ul class="sessions-list" aria-label=t(Account::YourSessions)>
            {rows.into_iter().map(|row| view! { <SessionItem row ask now /> }).collect_view()}
        </ul>
    }
}

#[component]
fn SessionItem(row: SessionRow, ask: Callback<RevokeTarget>, now: RwSignal<f64>) -> impl IntoView {
    let label = session_label(&row);
    let last_used = parse_iso_ms(&row.last_used_at);
    let last_active = move || match last_used {
        Some(ms) => with_args(
            t(Account::LastActive),
            &[("when", &time_ago_text(now.get(), ms))],
        ),
        None => String::new(),
    };
    // The date sits where the language puts it, as a `<time>` element.
    let (before_date, after_date) = t(Account::SignedIn)
        .split_once("{date}")
        .unwrap_or((t(Account::SignedIn), ""));
    let target = RevokeTarget::One {
        id: row.id,
        label: label.clone(),
    };
    view! {
        <li class="session-item" class:is-current=row.current>
            <div class="session-info">
                <p class="session-name">
                    <span>{label}</span>
                    {row.current.then(|| view! { <span class="badge badge-current">{t(Account::ThisSession)}</span> })}
                </p>
                <p class="session-meta">
                    {row.ip.clone().map(|ip| view! { <span class="session-ip">{ip}</span> })}
                    <span>
                        {before_date}
                        <time datetime=row.created_at.clone()>{date_part(&row.created_at)}</time>
                        {after_date}
                    </span>
                    <span>{last_active}</span>
                </p>
            </div>
            {(!row.current).then(|| view! {
                <button
                    type="button"
                    class="button"
                    aria-label=revoke_name(&row)
                    on:click=move |_| ask.run(target.clone())
                >
                    {t(Account::Revoke)}
                </button>
            })}
        </li>
    }
}
