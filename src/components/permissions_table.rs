//! The member-type table, for reference on the Members tab: an accessible `<table>` with a
//! caption and scoped headers; its cells are `wire`'s permission table.
use crate::i18n::{catalogue::Apps, t};
use crate::pages::applications::logic::{
    permission_label, permission_row_label, permissions, yes_no, MemberType, Permission,
};
use leptos::prelude::*;

#[component]
pub fn PermissionsTable() -> impl IntoView {
    let caption = t(Apps::PermissionsCaption);
    view! {
        // Wider than a phone: the scrolling region is focusable (keyboard scrolling) and named.
        <div class="table-scroll" tabindex="0" role="region" aria-label=caption>
            <table class="data-table permissions-table">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(Apps::PermissionsTypeColumn)}</th>
                        {Permission::ALL
                            .iter()
                            .map(|&p| view! { <th scope="col">{permission_label(p)}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {MemberType::ALL
                        .iter()
                        .map(|&t| view! {
                            <tr>
                                <th scope="row">{permission_row_label(t)}</th>
                                {permissions(t)
                                    .iter()
                                    .map(|&allowed| view! {
                                        <td class=if allowed { "perm-yes" } else { "perm-no" }>{yes_no(allowed)}</td>
                                    })
                                    .collect_view()}
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="hint">{t(Apps::PermissionsNote)}</p>
    }
}
