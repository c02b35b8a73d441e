//! One member's row: their type (a select for administrators, which changes it at once) and
//! "Remove <user>".
use crate::api::applications as api;
use crate::api::Client;
use crate::components::form::FormAlert;
use crate::components::member_type_select::MemberTypeSelect;
use crate::i18n::{catalogue::Apps, t, with_args};
use crate::pages::applications::logic::{member_type_label, MemberType, Plan};
use crate::state::{toast::Toasts, write::Write};
use leptos::prelude::*;
use wire::applications::ApplicationMembershipRow as ApplicationMembership;

#[component]
pub fn MemberRow(
    membership: ApplicationMembership,
    plan: Plan,
    manage: bool,
    me: i64,
    on_changed: Callback<()>,
    on_remove: Callback<(i64, String)>,
) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    let id = membership.id;
    let username = membership.username();
    let is_me = membership.user_id() == Some(me);
    let current = membership
        .role_name()
        .and_then(MemberType::from_role_name)
        .unwrap_or(MemberType::Developer);
    // Shows the chosen type at once, and the previous one again if the change fails.
    let value = RwSignal::new(current);
    let name = username.clone();
    let change = Write::new(move |(previous, chosen): (MemberType, MemberType)| {
        let (client, name) = (client.clone(), name.clone());
        async move {
            let result = async {
                let role = api::role_id(&client, chosen.role_name().unwrap_or("developer")).await?;
                api::change_member_role(&client, id, role).await
            }
            .await;
            match &result {
                Ok(()) => {
                    toasts.push(with_args(
                        t(Apps::TypeChanged),
                        &[("name", &name), ("type", member_type_label(chosen))],
                    ));
                    on_changed.run(());
                }
                Err(_) => {
                    value.try_set(previous);
                }
            }
            result
        }
    });
    let on_change = Callback::new(move |chosen: MemberType| {
        let previous = value.get_untracked();
        if chosen != previous && !change.pending().get_untracked() {
            value.set(chosen);
            change.run((previous, chosen));
        }
    });
    let name = username.clone();
    let error = Signal::derive(move || {
        change.error().map(|e| {
            with_args(
                t(Apps::TypeChangeFailed),
                &[("name", &name), ("error", &e.to_string())],
            )
        })
    });
    let type_cell = if manage {
        view! {
            <MemberTypeSelect
                id=format!("member-type-{id}")
                label=with_args(t(Apps::MemberTypeFor), &[("name", &username)])
                plan=plan
                value=value
                on_change=on_change
                disabled=change.pending()
                compact=true
            />
            <FormAlert message=error />
        }
        .into_any()
    } else {
        let label = member_type_label(current);
        if is_me {
            with_args(t(Apps::TypeIsYou), &[("type", label)]).into_any()
        } else {
            label.into_any()
        }
    };
    let remove_name = username.clone();
    view! {
        <tr>
            <th scope="row">{username.clone()}</th>
            <td>{type_cell}</td>
            {manage.then(|| view! {
                <td class="row-actions">
                    <button
                        type="button"
                        class="button ghost danger-text"
                        aria-label=with_args(t(Apps::RemoveUser), &[("name", &remove_name)])
                        on:click=move |_| on_remove.run((id, remove_name.clone()))
                    >
                        {t(Apps::Remove)}
                    </button>
                </td>
            })}
        </tr>
    }
}
