//! The one way a page shows a read: a status line while it loads, the error with Retry when
//! it fails, an empty state when there is nothing, else the content.
//!
//! Not generic over the data: the page says which state its read is in ([`ReadStatus::of`])
//! and its content reads the data itself, so one copy of this component serves every page.
use crate::api::ApiError;
use crate::i18n::{catalogue::Common, t};
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadStatus {
    Loading,
    Failed(ApiError),
    Empty,
    Ready,
}

impl ReadStatus {
    /// The state of a read as a `LocalResource` holds it (`None` while loading).
    pub fn of<T>(read: Option<&Result<T, ApiError>>, is_empty: fn(&T) -> bool) -> Self {
        match read {
            None => ReadStatus::Loading,
            Some(Err(e)) => ReadStatus::Failed(e.clone()),
            Some(Ok(v)) if is_empty(v) => ReadStatus::Empty,
            Some(Ok(_)) => ReadStatus::Ready,
        }
    }
}

impl ReadStatus {
    /// The status of `read` (a `LocalResource`, memo or signal of an optional result), as a
    /// memo: it notifies only when the status changes.
    pub fn track<T, R>(read: R, is_empty: fn(&T) -> bool) -> Memo<ReadStatus>
    where
        T: 'static,
        R: With<Value = Option<Result<T, ApiError>>> + Send + Sync + 'static,
    {
        Memo::new(move |_| read.with(|r| ReadStatus::of(r.as_ref(), is_empty)))
    }
}

/// For reads that are never "empty".
pub fn never_empty<T>(_: &T) -> bool {
    false
}

/// * `loading`: the status line while loading ("Loading your sessions…").
/// * `failed`: the sentence before the error's text ("Your sessions could not be loaded.").
/// * `retry`: runs the read again (usually `resource.refetch()`).
/// * `empty`: shown instead of `content` when the status is `Empty`.
#[component]
pub fn AsyncView(
    #[prop(into)] status: Signal<ReadStatus>,
    loading: &'static str,
    failed: &'static str,
    retry: Callback<()>,
    #[prop(optional, into)] empty: ViewFn,
    #[prop(into)] content: ViewFn,
) -> impl IntoView {
    move || {
        match status.get() {
        ReadStatus::Loading => {
            view! { <p class="loading" aria-busy="true">{loading}</p> }.into_any()
        }
        ReadStatus::Failed(e) => view! {
            <div class="form-alert" role="alert">
                <p>{failed} " " {e.to_string()}</p>
                <button type="button" class="button" on:click=move |_| retry.run(())>{t(Common::Retry)}</button>
            </div>
        }
        .into_any(),
        ReadStatus::Empty => empty.run(),
        ReadStatus::Ready => content.run(),
    }
    }
}
