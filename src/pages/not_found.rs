//! The page for a path no route matches, with a way back to the start.
use crate::components::page_title::page_title;
use crate::i18n::{catalogue::Common, t};
use crate::nav::href;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;

/// Everything no route matches. The link goes to `/`, which picks the right start page.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    page_title(t(Common::PageNotFound));
    view! {
        <div class="page narrow">
            <h1>{t(Common::PageNotFound)}</h1>
            <p>{t(Common::NothingHere)}</p>
            <p>
                <A href=href(routes::START)>{t(Common::GoToStart)}</A>
            </p>
        </div>
    }
}
