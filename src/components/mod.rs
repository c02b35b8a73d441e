//! Reusable UI pieces (pages live in `pages/`).
pub mod async_view;
pub mod code_input;
pub mod copy_button;
pub mod dialog;
pub mod field;
pub mod focus;
pub mod form;
pub mod fresh_auth;
pub mod header;
pub mod member_type_select;
pub mod password_dialog;
pub mod permissions_table;
pub mod qr;
pub mod social_buttons;
pub mod theme_toggle;
pub mod toasts;
pub mod user_menu;
