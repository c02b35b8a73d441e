//! Writes, one way for every form and button that changes data: pending while the request
//! runs (buttons disable themselves), one request at a time, the error kept as a value until
//! a view shows it, and what the write changed refetched from inside it.
//!
//! Only the input type is generic; running, pending and errors are one non-generic path, so
//! each new write adds little to the bundle.
use super::fresh_auth::FreshAuth;
use crate::api::ApiError;
use leptos::{prelude::*, task::spawn_local_scoped};
use std::future::Future;
use std::pin::Pin;

type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

type Job<I> = Box<dyn Fn(I) -> LocalBoxFuture<Result<(), ApiError>>>;

/// A write taking `I`. `Copy`, so handlers and views share it freely.
pub struct Write<I: 'static> {
    state: WriteState,
    job: StoredValue<Job<I>, LocalStorage>,
}

impl<I: 'static> Clone for Write<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static> Copy for Write<I> {}

#[derive(Clone, Copy)]
struct WriteState {
    pending: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
}

impl WriteState {
    fn start(self, job: LocalBoxFuture<Result<(), ApiError>>) {
        self.pending.set(true);
        self.error.set(None);
        // Under the caller's owner, so what follows the request (a toast, an error's wording)
        // still finds the contexts, the language among them.
        spawn_local_scoped(async move {
            let result = job.await;
            // The view may be gone (a dialog closed, a page left): then nothing is set.
            self.error.try_set(result.err());
            self.pending.try_set(false);
        });
    }
}

impl<I: 'static> Write<I> {
    /// `run` is the request and what follows a success (a toast, a refetch); its error is
    /// [`Write::error`].
    pub fn new<F, Fut>(run: F) -> Self
    where
        F: Fn(I) -> Fut + 'static,
        Fut: Future<Output = Result<(), ApiError>> + 'static,
    {
        let job: Job<I> = Box::new(move |input| Box::pin(run(input)));
        Write {
            state: WriteState {
                pending: RwSignal::new(false),
                error: RwSignal::new(None),
            },
            job: StoredValue::new_local(job),
        }
    }

    /// The same for actions that need a recently entered password: when the server asks for
    /// one, the password dialog opens and the request runs once more after it.
    pub fn with_fresh_auth<F, Fut>(run: F) -> Self
    where
        I: Clone,
        F: Fn(I) -> Fut + Clone + 'static,
        Fut: Future<Output = Result<(), ApiError>> + 'static,
    {
        let fresh = expect_context::<FreshAuth>();
        Write::new(move |input: I| {
            let run = run.clone();
            async move { fresh.run(|| run(input.clone())).await }
        })
    }

    /// Starts the write, unless one is already running (a double click sends one request).
    pub fn run(&self, input: I) {
        if self.state.pending.get_untracked() {
            return;
        }
        if let Some(job) = self.job.try_with_value(|job| job(input)) {
            self.state.start(job);
        }
    }

    pub fn pending(&self) -> Signal<bool> {
        self.state.pending.into()
    }

    /// The last run's error, if it failed.
    pub fn error(&self) -> Option<ApiError> {
        self.state.error.get()
    }

    /// The last run's error as text for people (for `FormAlert`).
    pub fn error_text(&self) -> Signal<Option<String>> {
        let error = self.state.error;
        Signal::derive(move || error.with(|e| e.as_ref().map(ToString::to_string)))
    }

    /// Forgets the last error (a dialog opened again starts clean).
    pub fn clear(&self) {
        self.state.error.set(None);
    }
}
