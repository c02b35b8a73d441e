//! The member-type table, for reference on the Members tab: an accessible `<table>` with a
//! caption and scoped headers; its cells are `wire`'s permission table.
use crate::pages::applications::logic::{
    permission_row_label, permissions, yes_no, MemberType, PERMISSION_COLUMNS,
};
use leptos::prelude::*;

pub const PERMISSIONS_CAPTION: &str = "What each member type can do";

#[component]
pub fn PermissionsTable() -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="data-table permissions-table">
                <caption>{PERMISSIONS_CAPTION}</caption>
                <thead>
                    <tr>
                        <th scope="col">"member type"</th>
                        {PERMISSION_COLUMNS
                            .iter()
                            .map(|c| view! { <th scope="col">{*c}</th> })
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
        <p class="hint">
            "Only organization administrators create applications. On the free plan only Developer can be "
            "assigned; Operator and Observer need the paid plan. SSH, push and fleet actions are outside "
            "this console: the table says what the API allows."
        </p>
    }
}
