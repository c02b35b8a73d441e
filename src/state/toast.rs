//! Transient messages ("Your account is ready.") shown in a polite live region and dismissed
//! after a few seconds or by hand.
use leptos::prelude::*;
use std::time::Duration;

const TOAST_LIFETIME: Duration = Duration::from_secs(6);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub id: u64,
    pub text: String,
}

#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    pub fn new() -> Self {
        Toasts {
            items: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }

    pub fn push(&self, text: impl Into<String>) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|items| {
            items.push(Toast {
                id,
                text: text.into(),
            })
        });
        let this = *self;
        set_timeout(move || this.dismiss(id), TOAST_LIFETIME);
    }

    pub fn dismiss(&self, id: u64) {
        // try_update: the timer may fire after the app (or a test) has been unmounted.
        self.items.try_update(|items| items.retain(|t| t.id != id));
    }

    pub fn items(&self) -> Vec<Toast> {
        self.items.get()
    }
}

impl Default for Toasts {
    fn default() -> Self {
        Self::new()
    }
}
