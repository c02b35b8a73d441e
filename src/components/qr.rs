//! A QR code as inline SVG, drawn from the `qrcode` crate's modules as SVG elements (no HTML
//! string, no `style` attributes: the CSP has `style-src 'self'`). The image has `role="img"`
//! and an `aria-label`; the caller also shows the same data as text (the 2FA key).
use crate::i18n::{catalogue::Account, t};
use leptos::prelude::*;
use qrcode::{Color, QrCode};

/// Modules of light margin around the code (the QR spec's quiet zone).
const QUIET_ZONE: usize = 4;

/// The side length in modules (with the quiet zone) and an SVG path of the dark modules,
/// or `None` when `data` does not fit in a QR code.
pub fn qr_path(data: &str) -> Option<(usize, String)> {
    let code = QrCode::new(data.as_bytes()).ok()?;
    let width = code.width();
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some((width + 2 * QUIET_ZONE, path))
}

/// The QR code of `data`, labelled `label` for assistive technology.
#[component]
pub fn QrCodeImage(#[prop(into)] data: String, label: &'static str) -> impl IntoView {
    match qr_path(&data) {
        Some((size, path)) => view! {
            <svg
                class="qr-code"
                xmlns="http://www.w3.org/2000/svg"
                role="img"
                aria-label=label
                viewBox=format!("0 0 {size} {size}")
                shape-rendering="crispEdges"
            >
                <rect x="0" y="0" width=size height=size fill="#ffffff"></rect>
                <path fill="#000000" d=path></path>
            </svg>
        }
        .into_any(),
        None => view! {
            <p class="form-alert" role="alert">
                {t(Account::QrCodeFailed)}
            </p>
        }
        .into_any(),
    }
}
