//! `/applications`: the viewer's applications and those shared with them, and creating one
//! (organization administrators only). `/applications/:id` lives in [`application`].
pub mod actions;
pub mod application;
pub mod logic;
pub mod members;

use crate::api::applications as api;
use crate::api::{ApiError, Client};
use crate::components::async_view::{AsyncView, ReadStatus};
use crate::components::dialog::Dialog;
use crate::components::form::{FormAlert, SubmitButton};
use crate::nav::href;
use crate::routes;
use crate::state::{session::Session, toast::Toasts};
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;
use logic::{owned_by, sort_rows, validate_app_name, viewer_type, AppListRow};
use wire::applications::NewApplication;
use wire::applications::{ApplicationRow as Application, OrganizationRow as Organization};

/// What the applications page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub rows: Vec<AppListRow>,
    /// Organizations the viewer administers (where they may create applications).
    pub administered: Vec<Organization>,
}

/// The organizations whose administrator the viewer is (the viewer's own memberships are
/// expanded into each organization).
pub fn administered_orgs(organizations: &[Organization]) -> Vec<Organization> {
    let mut orgs: Vec<Organization> = organizations
        .iter()
        .filter(|o| o.viewer_is_admin())
        .cloned()
        .collect();
    orgs.sort_by_key(|o| o.name.to_lowercase());
    orgs
}

/// The list rows: applications of organizations the viewer administers and those the viewer
/// is a member of (anything else the server shows is left out).
pub fn build_rows(apps: &[Application]) -> Vec<AppListRow> {
    let mut rows: Vec<AppListRow> = apps
        .iter()
        .filter_map(|app| {
            let org = app.organization()?;
            let admin: Vec<i64> = org
                .viewer_is_admin()
                .then_some(org.id)
                .into_iter()
                .collect();
            let role = app.my_membership().and_then(|m| m.role_name());
            let member_type = viewer_type(org.id, &admin, role)?;
            Some(AppListRow {
                id: app.id,
                name: app.app_name.clone(),
                organization_name: org.name.clone(),
                organization_handle: org.handle.clone(),
                shared: admin.is_empty(),
                member_type,
            })
        })
        .collect();
    sort_rows(&mut rows);
    rows
}

async fn load_overview(client: &Client, me: i64) -> Result<Overview, ApiError> {
    let orgs = api::my_organizations(client, me).await?;
    let apps = api::applications(client, me).await?;
    Ok(Overview {
        rows: build_rows(&apps),
        administered: administered_orgs(&orgs),
    })
}

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let client = Client::from_context();
    let user_id = Memo::new(move |_| session.claims().map(|c| c.id));
    let overview = LocalResource::new(move || {
        let client = client.clone();
        let user = user_id.get();
        async move {
            match user {
                Some(id) => load_overview(&client, id).await,
                None => Err(ApiError::Unauthorized),
            }
        }
    });
    let create_open = RwSignal::new(false);
    let administered = Signal::derive(move || match overview.get() {
        Some(Ok(o)) => o.administered,
        _ => Vec::new(),
    });

    view! {
        <div class="page applications">
            <div class="section-header">
                <h1>"Applications"</h1>
                <Show when=move || !administered.with(Vec::is_empty)>
                    <button
                        type="button"
                        id="create-application"
                        class="button primary"
                        on:click=move |_| create_open.set(true)
                    >
                        "Create application"
                    </button>
                </Show>
            </div>
            <p>"Applications of your organizations, and those others share with you."</p>
            <AsyncView
                status=Memo::new(move |_| overview.with(|o| ReadStatus::of(o.as_ref(), |o| o.rows.is_empty())))
                loading="Loading your applications…"
                failed="Your applications could not be loaded."
                retry=Callback::new(move |_| overview.refetch())
                empty=move || view! {
                    <div class="empty-state">
                        <p>
                            {if administered.with(Vec::is_empty) {
                                "No applications yet. When an administrator adds you to an application, it appears here."
                            } else {
                                "No applications yet. Create one to start adding devices and members."
                            }}
                        </p>
                    </div>
                }
                content=move || overview.get().and_then(Result::ok).map(|o| view! { <ApplicationsTable rows=o.rows /> })
            />
            <CreateApplicationDialog open=create_open organizations=administered />
        </div>
    }
}

#[component]
fn ApplicationsTable(rows: Vec<AppListRow>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="data-table applications-table">
                <caption class="visually-hidden">"Your applications, sorted by name"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Organization"</th>
                        <th scope="col">"Access"</th>
                        <th scope="col">"Member type"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let org_link = href(&routes::organization(&row.organization_handle));
                            view! {
                                <tr>
                                    <th scope="row">
                                        <a href=href(&routes::application(row.id))>{row.name.clone()}</a>
                                    </th>
                                    <td><a href=org_link>{row.organization_name.clone()}</a></td>
                                    <td>
                                        {if row.shared {
                                            view! {
                                                <span class="badge badge-shared">"Shared"</span>
                                                " "
                                                <span class="owner">{owned_by(&row.organization_name)}</span>
                                            }
                                            .into_any()
                                        } else {
                                            view! { <span class="owner">"Your organization"</span> }.into_any()
                                        }}
                                    </td>
                                    <td>{row.member_type.label()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// "Create application": a name and, when the viewer administers several organizations,
/// which one owns it. Goes to the new application's page.
#[component]
pub fn CreateApplicationDialog(
    open: RwSignal<bool>,
    #[prop(into)] organizations: Signal<Vec<Organization>>,
) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let client = StoredValue::new(Client::from_context());
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let org = RwSignal::new(None::<i64>);
    let touched = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let name_error = Signal::derive(move || name.with(|n| validate_app_name(n).err()));
    let shown_error = move || touched.get().then(|| name_error.get()).flatten();
    Effect::new(move |_| {
        if open.get() {
            name.set(String::new());
            touched.set(false);
            error.set(None);
            pending.set(false);
            org.set(organizations.get_untracked().first().map(|o| o.id));
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if pending.get_untracked() {
            return;
        }
        let Ok(app_name) = validate_app_name(&name.get_untracked()) else {
            return;
        };
        let Some(organization) = org.get_untracked() else {
            return;
        };
        let client = client.get_value();
        let navigate = navigate.clone();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let body = NewApplication {
                app_name: app_name.clone(),
                organization,
            };
            match api::create_application(&client, &body).await {
                Ok(created) => {
                    toasts.push(format!("Created {app_name}."));
                    open.set(false);
                    navigate(&routes::application(created.id), Default::default());
                }
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
            pending.try_set(false);
        });
    };

    view! {
        <Dialog open=open title="Create application" dismissable=Signal::derive(move || !pending.get())>
            <form class="dialog-body" on:submit=on_submit.clone() novalidate=true>
                <div class="field">
                    <label for="create-app-name">"Application name"</label>
                    <input
                        id="create-app-name"
                        type="text"
                        required=true
                        maxlength="100"
                        autocomplete="off"
                        data-autofocus=""
                        prop:value=move || name.get()
                        aria-invalid=move || shown_error().map(|_| "true")
                        aria-describedby=move || {
                            if shown_error().is_some() {
                                "create-app-name-hint create-app-name-error"
                            } else {
                                "create-app-name-hint"
                            }
                        }
                        on:input=move |ev| name.set(event_target_value(&ev))
                        on:blur=move |_| touched.set(true)
                    />
                    <p class="hint" id="create-app-name-hint">
                        "4 to 100 letters, digits, “-”, “_” or “.”; no spaces."
                    </p>
                    {move || shown_error().map(|m| view! {
                        <p class="field-error" id="create-app-name-error">{m}</p>
                    })}
                </div>
                <Show when=move || { organizations.with(Vec::len) > 1 }>
                    <div class="field">
                        <label for="create-app-org">"Organization"</label>
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
                    view! { <p class="hint">"Owned by your organization " {name} "."</p> }
                })}
                <FormAlert message=error />
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    <SubmitButton
                        label="Create application"
                        pending_label="Creating…"
                        pending=pending
                        disabled=Signal::derive(move || touched.get() && name_error.get().is_some())
                    />
                </div>
            </form>
        </Dialog>
    }
}
