//! Writes as Leptos `Action`s, one way for every form and button that changes data: pending
//! while the request runs (buttons disable themselves), one request at a time, the error kept
//! as a value until a view shows it, and what it changed refetched from inside the action.
use super::fresh_auth::FreshAuth;
use crate::api::ApiError;
use leptos::prelude::*;
use std::future::Future;

/// A write taking `I`. `Copy`, so handlers and views share it freely.
pub struct Write<I: 'static, O: 'static = ()> {
    action: Action<I, Result<O, ApiError>>,
}

impl<I: 'static, O: 'static> Clone for Write<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static, O: 'static> Copy for Write<I, O> {}

impl<I, O> Write<I, O>
where
    I: Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    /// `run` is the request and what follows a success (a toast, a refetch); its error is
    /// [`Write::error`].
    pub fn new<F, Fut>(run: F) -> Self
    where
        F: Fn(I) -> Fut + 'static,
        Fut: Future<Output = Result<O, ApiError>> + 'static,
    {
        Write {
            action: Action::new_unsync(move |input: &I| run(input.clone())),
        }
    }

    /// The same for actions that need a recently entered password: when the server asks for
    /// one, the password dialog opens and the request runs once more after it.
    pub fn with_fresh_auth<F, Fut>(run: F) -> Self
    where
        F: Fn(I) -> Fut + Clone + 'static,
        Fut: Future<Output = Result<O, ApiError>> + 'static,
    {
        let fresh = expect_context::<FreshAuth>();
        Write::new(move |input: I| {
            let run = run.clone();
            async move { fresh.run(|| run(input.clone())).await }
        })
    }

    /// Starts the write, unless one is already running (a double click sends one request).
    pub fn run(&self, input: I) {
        if !self.action.pending().get_untracked() {
            self.action.dispatch(input);
        }
    }

    pub fn pending(&self) -> Signal<bool> {
        self.action.pending().into()
    }

    /// The last run's error, if it failed.
    pub fn error(&self) -> Option<ApiError> {
        self.action
            .value()
            .with(|v| v.as_ref()?.as_ref().err().cloned())
    }

    /// The last run's error as text for people (for `FormAlert`).
    pub fn error_text(&self) -> Signal<Option<String>> {
        let this = *self;
        Signal::derive(move || this.error().map(|e| e.to_string()))
    }

    /// The last run's answer, if it succeeded.
    pub fn value(&self) -> Option<O> {
        self.action
            .value()
            .with(|v| v.as_ref()?.as_ref().ok().cloned())
    }

    /// Forgets the last outcome (a dialog opened again starts clean).
    pub fn clear(&self) {
        self.action.clear();
    }
}
