//! The Actions tab: "Remove member access" for members of a shared application (leaving is
//! deleting your own membership) and "Delete application" for administrators, each after a
//! confirmation.
use super::application::{AppPageContext, AppView};
use super::logic::{self, typed_name_matches};
use crate::api::{applications as api, Client};
use crate::components::dialog::Dialog;
use crate::components::field::TextInput;
use crate::components::form::{CancelButton, FormAlert, PendingButton};
use crate::i18n::{catalogue::Apps, t, with_args};
use crate::routes;
use crate::state::{toast::Toasts, write::Write};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn ActionsTab() -> impl IntoView {
    let ctx = expect_context::<AppPageContext>();
    move || {
        ctx.view
            .get()
            .map(|view| view! { <ActionsPanel view=view /> })
    }
}

/// Only the actions the viewer's type allows are rendered.
#[component]
pub fn ActionsPanel(view: AppView) -> impl IntoView {
    let abilities = logic::abilities(view.viewer);
    let leave = (abilities.leave && view.my_membership.is_some()).then(|| {
        view! { <LeaveSection view=view.clone() /> }
    });
    let delete = abilities
        .delete_application
        .then(|| view! { <DeleteSection view=view.clone() /> });
    let nothing = leave.is_none() && delete.is_none();
    view! {
        {leave}
        {delete}
        {nothing.then(|| view! { <p class="hint">{t(Apps::NoActions)}</p> })}
    }
}

#[component]
fn LeaveSection(view: AppView) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let app_name = view.app.app_name.clone();
    let owner = view.owner().to_string();
    let name = app_name.clone();
    let leave = Write::new(move |membership: i64| {
        let (client, navigate, name) = (client.clone(), navigate.clone(), name.clone());
        async move {
            api::remove_member(&client, membership).await?;
            toasts.push(with_args(t(Apps::AccessRemoved), &[("app", &name)]));
            open.set(false);
            navigate(&routes::applications(), Default::default());
            Ok(())
        }
    });
    let pending = leave.pending();
    let membership = view.my_membership;
    let confirm = move |_| {
        if let Some(id) = membership {
            leave.run(id);
        }
    };
    let args = [("app", app_name.as_str()), ("owner", owner.as_str())];
    let warning = with_args(t(Apps::LeaveWarning), &args);
    view! {
        <section class="card danger-zone" aria-labelledby="leave-title">
            <h2 id="leave-title">{t(Apps::LeaveTitle)}</h2>
            <p>{with_args(t(Apps::LeaveIntro), &args)}</p>
            <button type="button" class="button danger" on:click=move |_| open.set(true)>
                {t(Apps::RemoveMemberAccess)}
            </button>
            <Dialog
                open=open
                title=with_args(t(Apps::LeaveDialogTitle), &args)
                describedby="leave-warning"
                dismissable=Signal::derive(move || !pending.get())
            >
                <div class="dialog-body">
                    <p id="leave-warning" class="warning">
                        {warning.clone()}
                    </p>
                    <FormAlert message=leave.error_text() />
                    <div class="dialog-actions">
                        <CancelButton on_cancel=Callback::new(move |_| open.set(false)) autofocus=true />
                        <PendingButton danger=true label=t(Apps::RemoveMyAccess) pending_label=t(Apps::Removing) pending=pending on_click=Callback::new(confirm) />
                    </div>
                </div>
            </Dialog>
        </section>
    }
}

#[component]
fn DeleteSection(view: AppView) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let id = view.app.id;
    let app_name = StoredValue::new(view.app.app_name.clone());
    let matches =
        Signal::derive(move || typed.with(|t| typed_name_matches(t, &app_name.get_value())));
    let delete = Write::new(move |()| {
        let (client, navigate) = (client.clone(), navigate.clone());
        async move {
            api::delete_application(&client, id).await?;
            toasts.push(with_args(
                t(Apps::ApplicationDeleted),
                &[("app", &app_name.get_value())],
            ));
            open.set(false);
            navigate(&routes::applications(), Default::default());
            Ok(())
        }
    });
    let pending = delete.pending();
    Effect::new(move |_| {
        if open.get() {
            typed.set(String::new());
            delete.clear();
        }
    });
    let name = app_name.get_value();
    let label = with_args(t(Apps::TypeToConfirm), &[("app", &name)]);
    view! {
        <section class="card danger-zone" aria-labelledby="delete-app-title">
            <h2 id="delete-app-title">{t(Apps::DeleteApplication)}</h2>
            <p>{t(Apps::DeleteIntro)}</p>
            <button type="button" class="button danger" on:click=move |_| open.set(true)>
                {t(Apps::DeleteApplication)}
            </button>
            <Dialog
                open=open
                title=with_args(t(Apps::DeleteDialogTitle), &[("app", &name)])
                describedby="delete-app-warning"
                dismissable=Signal::derive(move || !pending.get())
            >
                <form
                    class="dialog-body"
                    on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if matches.get_untracked() {
                            delete.run(());
                        }
                    }
                    novalidate=true
                >
                    <p id="delete-app-warning" class="warning">
                        {t(Apps::DeleteWarning)}
                    </p>
                    <TextInput id="delete-app-confirm" label=label.clone() value=typed verbatim=true />
                    <FormAlert message=delete.error_text() />
                    <div class="dialog-actions">
                        <CancelButton on_cancel=Callback::new(move |_| open.set(false)) />
                        <PendingButton danger=true label=t(Apps::DeleteThisApplication) pending_label=t(Apps::Deleting) pending=pending disabled=Signal::derive(move || !matches.get()) />
                    </div>
                </form>
            </Dialog>
        </section>
    }
}
