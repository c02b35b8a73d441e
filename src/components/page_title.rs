//! The document's title names the page first ("Access tokens · Account Console"), so tabs,
//! history and screen readers tell pages apart (WCAG 2.4.2).
use crate::i18n::{catalogue::Common, t, with_args};
use leptos::prelude::document;

/// Sets the title for the page being built; called once by each routed page.
pub fn page_title(page: &str) {
    document().set_title(&with_args(t(Common::PageTitle), &[("page", page)]));
}
