//! "Create application" (organization administrators only).
use crate::api::applications as api;
use crate::api::Client;
use crate::components::dialog::Dialog;
use crate::components::field::TextInput;
use crate::components::form::{CancelButton, FormAlert, PendingButton};
use crate::i18n::{catalogue::Apps, t, with_args};
use crate::pages::applications::logic::validate_app_name;
use crate::routes;
use crate::state::{toast::Toasts, write::Write};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::hooks::use_navigate;
use wire::applications::{NewApplication, OrganizationRow as Organization};

/// "Create application": a name and, when the viewer administers several organizations,
/// which one owns it. Goes to the new application's page.
#[component]
pub fn CreateApplicationDialog(
    open: RwSignal<bool>,
    #[prop(into)] organizations: Signal<Vec<Organization>>,
) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let org = RwSignal::new(None::<i64>);
    let touched = RwSignal::new(false);
    let create = Write::new(move |body: NewApplication| {
        let (client, navigate) = (client.clone(), navigate.clone());
        async move {
            let created = api::create_application(&client, &body).await?;
            toasts.push(with_args(
                t(Apps::CreatedApplication),
                &[("name", &body.app_name)],
            ));
            open.set(false);
            navigate(&routes::application(created.id), Default::default());
            Ok(())
        }
    });
    let pending = create.pending();
    let name_error = Signal::derive(move || name.with(|n| validate_app_name(n).err()));
    Effect::new(move |_| {
        if open.get() {
            name.set(String::new());
            touched.set(false);
            create.clear();
            org.set(organizations.get_untracked().first().map(|o| o.id));
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let Ok(app_name) = validate_app_name(&name.get_untracked()) else {
            return;
        };
        if let Some(organization) = org.get_untracked() {
            create.run(NewApplication {
                app_name,
                organization,
            });
        }
    };

    view! {
        <Dialog open=open title=t(Apps::CreateApplication) dismissable=Signal::derive(move || !pending.get())>
            <form class="dialog-body" on:submit=on_submit novalidate=true>
                <TextInput
                    id="create-app-name"
                    label=t(Apps::ApplicationName)
                    value=name
                    required=true
                    maxlength=100
                    autofocus=true
                    error=name_error
                    force=touched
                    hint=t(Apps::ApplicationNameHint)
                />
                <Show when=move || { organizations.with(Vec::len) > 1 }>
                    <div class="field">
                        <label for="create-app-org">{t(Apps::Organization)}</label>
                        <select
                            id="create-app-org"
                            on:change=move |ev| org.set(event_target_value(&ev).parse().ok())
                        >
                            {move || organizations.get().into_iter().map(|o| {
                                let id = o.id;
                                view! {
                                    <option value=id.to_string() prop:selected=move || org.get() == Some(id)>
                                        {o.name.clone()}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                </Show>
                {move || (organizations.with(Vec::len) == 1).then(|| {
                    let name = organizations.with(|o| o[0].name.clone());
                    view! { <p class="hint">{with_args(t(Apps::OwnedByYourOrganization), &[("name", &name)])}</p> }
                })}
                <FormAlert message=create.error_text() />
                <div class="dialog-actions">
                    <CancelButton on_cancel=Callback::new(move |_| open.set(false)) />
                    <PendingButton
                        label=t(Apps::CreateApplication)
                        pending_label=t(Apps::Creating)
                        pending=pending
                        disabled=Signal::derive(move || touched.get() && name_error.get().is_some())
                    />
                </div>
            </form>
        </Dialog>
    }
}
