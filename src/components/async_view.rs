//! The one way a page shows a read: a status line while it loads, the error with Retry when
//! it fails, an empty state when there is nothing, else the content.
use crate::api::ApiError;
use leptos::prelude::*;

/// A read's state, as a `LocalResource` gives it: `None` while loading.
pub type ReadState<T> = Option<Result<T, ApiError>>;

/// * `loading`: the status line while loading ("Loading your sessions…").
/// * `failed`: the sentence before the error's text ("Your sessions could not be loaded.").
/// * `retry`: runs the read again (usually `resource.refetch()`).
/// * `is_empty` and `empty`: when the first says so, `empty` is shown instead of `content`.
#[component]
pub fn AsyncView<T, F>(
    #[prop(into)] value: Signal<ReadState<T>>,
    loading: &'static str,
    failed: &'static str,
    retry: Callback<()>,
    #[prop(optional)] is_empty: Option<fn(&T) -> bool>,
    #[prop(optional, into)] empty: ViewFn,
    content: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> AnyView + Send + Sync + 'static,
{
    move || {
        match value.get() {
        None => view! { <p class="loading" aria-busy="true">{loading}</p> }.into_any(),
        Some(Err(e)) => view! {
            <div class="form-alert" role="alert">
                <p>{failed} " " {e.to_string()}</p>
                <button type="button" class="button" on:click=move |_| retry.run(())>"Retry"</button>
            </div>
        }
        .into_any(),
        Some(Ok(v)) if is_empty.is_some_and(|f| f(&v)) => empty.run(),
        Some(Ok(v)) => content(v),
    }
    }
}
