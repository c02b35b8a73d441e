//! The Members tab: administrators (of the organization) and members with their types; for
//! administrators, "Add member", a per-row member-type select and "Remove <user>" with a
//! confirmation; the permissions table for reference.
use super::application::{AppPageContext, AppView};
use super::logic::{self, parse_invitee, remove_title, Invitee, MemberType, Plan};
use crate::api::applications as api;
use crate::api::{ApiError, Client};
use crate::components::async_view::AsyncView;
use crate::components::dialog::Dialog;
use crate::components::form::{FormAlert, SubmitButton};
use crate::components::member_type_select::MemberTypeSelect;
use crate::components::permissions_table::PermissionsTable;
use crate::nav::href;
use crate::routes;
use crate::state::toast::Toasts;
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use wire::applications::ApplicationMembershipRow as ApplicationMembership;
use wire::applications::NewApplicationMembership;

/// The tab's data: the members and the organization's administrators (`None` when the
/// viewer may not list the organization).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembersData {
    pub members: Vec<ApplicationMembership>,
    pub administrators: Option<Vec<String>>,
}

async fn load(client: &Client, app_id: i64, org_id: i64) -> Result<MembersData, ApiError> {
    let mut members = api::app_members(client, app_id).await?;
    members.sort_by_key(|m| m.username().to_lowercase());
    // The query filters on the administrator role; members of a shared application may not
    // be allowed to list the organization: then the table shows members only.
    let administrators = api::org_admins(client, org_id).await.ok().map(|list| {
        let mut names: Vec<String> = list
            .iter()
            .map(|m| m.username())
            .filter(|n| !n.is_empty())
            .collect();
        names.sort_by_key(|n| n.to_lowercase());
        names
    });
    Ok(MembersData {
        members,
        administrators,
    })
}

#[component]
pub fn MembersTab() -> impl IntoView {
    let ctx = expect_context::<AppPageContext>();
    let client = Client::from_context();
    let ids = Memo::new(move |_| {
        ctx.view
            .with(|v| v.as_ref().map(|v| (v.app.id, v.organization.id)))
    });
    let data = LocalResource::new(move || {
        let client = client.clone();
        let ids = ids.get();
        async move {
            match ids {
                Some((app, org)) => load(&client, app, org).await,
                None => Err(ApiError::Unauthorized),
            }
        }
    });
    let on_changed = Callback::new(move |_| data.refetch());
    move || {
        let view = ctx.view.get()?;
        Some(view! {
            <AsyncView
                value=Signal::derive(move || data.get())
                loading="Loading members…"
                failed="The members could not be loaded."
                retry=on_changed
                content=move |d| view! { <MembersPanel view=view.clone() data=d on_changed /> }.into_any()
            />
        })
    }
}

/// The tab's content once loaded. Controls the viewer's type may not use are not rendered.
#[component]
pub fn MembersPanel(view: AppView, data: MembersData, on_changed: Callback<()>) -> impl IntoView {
    let abilities = logic::abilities(view.viewer);
    let add_open = RwSignal::new(false);
    let remove_open = RwSignal::new(false);
    let remove_target = RwSignal::new(None::<(i64, String)>);
    let plan = view.plan;
    let app_name = view.app.app_name.clone();
    let me = view.viewer_id;
    let administrators = data.administrators.clone();
    let member_rows = data
        .members
        .iter()
        .cloned()
        .map(|m| {
            view! {
                <MemberRow
                    membership=m
                    plan=plan
                    manage=abilities.manage_members
                    me=me
                    on_changed=on_changed
                    on_remove=Callback::new(move |t| {
                        remove_target.set(Some(t));
                        remove_open.set(true);
                    })
                />
            }
        })
        .collect_view();
    let no_members = data.members.is_empty();

    view! {
        <section class="card members-panel" aria-labelledby="members-title">
            <div class="section-header">
                <h2 id="members-title">"Members"</h2>
                {abilities.manage_members.then(|| view! {
                    <button
                        type="button"
                        id="add-member"
                        class="button primary"
                        on:click=move |_| add_open.set(true)
                    >
                        "Add member"
                    </button>
                })}
            </div>
            <p>
                "Administrators of the organization " {view.organization.name.clone()}
                " manage this application. Members have the type an administrator gave them."
            </p>
            <div class="table-scroll">
                <table class="data-table members-table">
                    <caption class="visually-hidden">{format!("Administrators and members of {app_name}")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Username"</th>
                            <th scope="col">"Member type"</th>
                            {abilities.manage_members.then(|| view! {
                                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            })}
                        </tr>
                    </thead>
                    <tbody>
                        {administrators.clone().unwrap_or_default().into_iter().map(|name| view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td>"Administrator (organization administrator)"</td>
                                {abilities.manage_members.then(|| view! { <td></td> })}
                            </tr>
                        }).collect_view()}
                        {member_rows}
                    </tbody>
                </table>
            </div>
            {administrators.is_none().then(|| view! {
                <p class="hint">"The administrators of " {view.organization.name.clone()} " manage this application."</p>
            })}
            {no_members.then(|| view! {
                <p class="hint">
                    {if abilities.manage_members {
                        "No members yet: add people who already have an account."
                    } else {
                        "No other members."
                    }}
                </p>
            })}
        </section>
        <section class="card" aria-labelledby="permissions-title">
            <h2 id="permissions-title">"Member types"</h2>
            <PermissionsTable />
        </section>
        {abilities.manage_members.then(|| {
            let app_name = app_name.clone();
            view! {
                <AddMemberDialog
                    open=add_open
                    app_id=view.app.id
                    plan=plan
                    organization_handle=view.organization.handle.clone()
                    on_added=on_changed
                />
                <RemoveMemberDialog
                    open=remove_open
                    target=remove_target
                    app_name=app_name
                    on_removed=on_changed
                />
            }
        })}
    }
}

#[component]
fn MemberRow(
    membership: ApplicationMembership,
    plan: Plan,
    manage: bool,
    me: i64,
    on_changed: Callback<()>,
    on_remove: Callback<(i64, String)>,
) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let client = StoredValue::new(Client::from_context());
    let id = membership.id;
    let username = membership.username();
    let is_me = membership.user_id() == Some(me);
    let current = membership
        .role_name()
        .and_then(MemberType::from_role_name)
        .unwrap_or(MemberType::Developer);
    let value = RwSignal::new(current);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let name_for_change = username.clone();
    let change = Callback::new(move |t: MemberType| {
        if pending.get_untracked() || t == value.get_untracked() {
            return;
        }
        let previous = value.get_untracked();
        value.set(t);
        pending.set(true);
        error.set(None);
        let client = client.get_value();
        let name = name_for_change.clone();
        spawn_local(async move {
            let result = async {
                let role = api::role_id(&client, t.role_name().unwrap_or("developer")).await?;
                api::change_member_role(&client, id, role).await
            }
            .await;
            match result {
                Ok(()) => {
                    toasts.push(format!("{name} is now {}.", t.label()));
                    on_changed.run(());
                }
                Err(e) => {
                    value.try_set(previous);
                    error.try_set(Some(format!("Could not change {name}'s type. {e}")));
                }
            }
            pending.try_set(false);
        });
    });
    let label = format!("Member type for {username}");
    let type_cell = if manage {
        view! {
            <MemberTypeSelect
                id=format!("member-type-{id}")
                label=label
                plan=plan
                value=value
                on_change=change
                disabled=pending
                compact=true
            />
            <FormAlert message=error />
        }
        .into_any()
    } else {
        view! { {current.label()} {is_me.then_some(" (you)")} }.into_any()
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
                        aria-label=format!("Remove {remove_name}")
                        on:click=move |_| on_remove.run((id, remove_name.clone()))
                    >
                        "Remove"
                    </button>
                </td>
            })}
        </tr>
    }
}

/// "Add member": username or email of an existing account, and a member type among those
/// the organization's plan allows.
#[component]
pub fn AddMemberDialog(
    open: RwSignal<bool>,
    app_id: i64,
    plan: Plan,
    organization_handle: String,
    on_added: Callback<()>,
) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let client = StoredValue::new(Client::from_context());
    let who = RwSignal::new(String::new());
    let member_type = RwSignal::new(MemberType::Developer);
    let touched = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let who_error = Signal::derive(move || who.with(|w| parse_invitee(w).err()));
    let shown_error = move || touched.get().then(|| who_error.get()).flatten();
    Effect::new(move |_| {
        if open.get() {
            who.set(String::new());
            member_type.set(MemberType::Developer);
            touched.set(false);
            pending.set(false);
            error.set(None);
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if pending.get_untracked() {
            return;
        }
        let Ok(invitee) = parse_invitee(&who.get_untracked()) else {
            return;
        };
        let t = member_type.get_untracked();
        if !plan.allows(t) {
            error.set(Some(format!("{} needs the paid plan.", t.label())));
            return;
        }
        let client = client.get_value();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let (username, email, shown) = match invitee {
                Invitee::Username(u) => (Some(u.clone()), None, u),
                Invitee::Email(e) => (None, Some(e.clone()), e),
            };
            let result = async {
                let role = api::role_id(&client, t.role_name().unwrap_or("developer")).await?;
                api::add_member(
                    &client,
                    &NewApplicationMembership {
                        username,
                        email,
                        is_member_of_application: app_id,
                        application_membership_role: Some(role),
                    },
                )
                .await
            }
            .await;
            match result {
                Ok(()) => {
                    toasts.push(format!("Added {shown} as {}.", t.label()));
                    open.set(false);
                    on_added.run(());
                }
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
            pending.try_set(false);
        });
    };
    let org_link = href(&routes::organization(&organization_handle));
    view! {
        <Dialog open=open title="Add member" class="dialog-add-member" dismissable=Signal::derive(move || !pending.get())>
            <form class="dialog-body" on:submit=on_submit novalidate=true>
                <div class="field">
                    <label for="add-member-who">"Username or email"</label>
                    <input
                        id="add-member-who"
                        type="text"
                        required=true
                        autocomplete="off"
                        autocapitalize="none"
                        spellcheck="false"
                        data-autofocus=""
                        prop:value=move || who.get()
                        aria-invalid=move || shown_error().map(|_| "true")
                        aria-describedby=move || shown_error().map(|_| "add-member-who-error")
                        on:input=move |ev| who.set(event_target_value(&ev))
                        on:blur=move |_| touched.set(true)
                    />
                    {move || shown_error().map(|m| view! {
                        <p class="field-error" id="add-member-who-error">{m}</p>
                    })}
                    <p class="hint">"They need an account already; they join the organization as a member if they are not in it."</p>
                </div>
                <div class="field">
                    <MemberTypeSelect
                        id="add-member-type".to_string()
                        label="Member type"
                        visible_label=true
                        plan=plan
                        value=member_type
                        on_change=Callback::new(move |t| member_type.set(t))
                        describedby="add-member-plan".to_string()
                    />
                    <p class="hint" id="add-member-plan">
                        {match plan {
                            Plan::Free => "This organization is on the free plan: only Developer can be assigned. Operator and Observer need the paid plan.",
                            Plan::Paid => "This organization is on the paid plan: every member type can be assigned.",
                        }}
                        " "
                        <a href=org_link.clone()>"Organization and plan"</a>
                    </p>
                </div>
                <FormAlert message=error />
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    <SubmitButton
                        label="Add member"
                        pending_label="Adding…"
                        pending=pending
                        disabled=Signal::derive(move || touched.get() && who_error.get().is_some())
                    />
                </div>
            </form>
        </Dialog>
    }
}

#[component]
fn RemoveMemberDialog(
    open: RwSignal<bool>,
    target: RwSignal<Option<(i64, String)>>,
    app_name: String,
    on_removed: Callback<()>,
) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let client = StoredValue::new(Client::from_context());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let app = StoredValue::new(app_name);
    Effect::new(move |_| {
        if open.get() {
            pending.set(false);
            error.set(None);
        }
    });
    let username = move || target.get().map(|(_, n)| n).unwrap_or_default();
    let confirm = move |_| {
        let Some((id, name)) = target.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        let client = client.get_value();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match api::remove_member(&client, id).await {
                Ok(()) => {
                    toasts.push(format!("Removed {name} from {}.", app.get_value()));
                    open.set(false);
                    on_removed.run(());
                    // The row (and its Remove button) is gone: continue from "Add member".
                    request_animation_frame(|| {
                        if let Some(el) = document().get_element_by_id("add-member") {
                            use wasm_bindgen::JsCast;
                            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                                let _ = el.focus();
                            }
                        }
                    });
                }
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
            pending.try_set(false);
        });
    };
    view! {
        <Dialog
            open=open
            title=Signal::derive(move || remove_title(&username(), &app.get_value()))
            describedby="remove-member-consequence"
            dismissable=Signal::derive(move || !pending.get())
        >
            <div class="dialog-body">
                <p id="remove-member-consequence">
                    {move || format!(
                        "{} loses access to {} at once. You can add them again later.",
                        username(),
                        app.get_value()
                    )}
                </p>
                <FormAlert message=error />
                <div class="dialog-actions">
                    <button type="button" class="button" data-autofocus="" on:click=move |_| open.set(false)>
                        "Cancel"
                    </button>
                    <button
                        type="button"
                        class="button danger"
                        disabled=move || pending.get()
                        aria-busy=move || pending.get().then_some("true")
                        on:click=confirm
                    >
                        {move || if pending.get() { "Removing…" } else { "Remove member" }}
                    </button>
                </div>
            </div>
        </Dialog>
    }
}
