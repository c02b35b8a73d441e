//! Reusable UI pieces (pages live in `pages/`).
pub mod field;
pub mod form;
pub mod header;
pub mod theme_toggle;
pub mod toasts;
pub mod user_menu;
