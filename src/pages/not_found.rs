//! The page for a path no route matches, with a way back to the start.
use crate::nav::href;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;

/// Everything no route matches. The link goes to `/`, which picks the right start page.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <div class="page narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <p>
                <A href=href(routes::START)>"Go to the start page"</A>
            </p>
        </div>
    }
}
