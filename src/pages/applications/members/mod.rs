//! The Members tab: administrators (of the organization) and members with their types; for
//! administrators, "Add member", a per-row member-type select and "Remove <user>" with a
//! confirmation; the permissions table for reference.
mod add;
mod remove;
mod row;

pub use add::AddMemberDialog;
use remove::RemoveMemberDialog;
use row::MemberRow;

use super::application::{AppPageContext, AppView};
use super::logic;
use crate::api::applications as api;
use crate::api::{ApiError, Client};
use crate::components::async_view::{never_empty, AsyncView, ReadStatus};
use crate::components::permissions_table::PermissionsTable;
use crate::i18n::{catalogue::Apps, t, with_args};
use leptos::prelude::*;
use wire::applications::ApplicationMembershipRow as ApplicationMembership;

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
                status=ReadStatus::track(data, never_empty)
                loading=t(Apps::LoadingMembers)
                failed=t(Apps::MembersFailed)
                retry=on_changed
                content=move || data.get().and_then(Result::ok).map(|d| view! { <MembersPanel view=view.clone() data=d on_changed /> })
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
                <h2 id="members-title">{t(Apps::Members)}</h2>
                {abilities.manage_members.then(|| view! {
                    <button
                        type="button"
                        id="add-member"
                        class="button primary"
                        on:click=move |_| add_open.set(true)
                    >
                        {t(Apps::AddMember)}
                    </button>
                })}
            </div>
            <p>{with_args(t(Apps::MembersIntro), &[("organization", &view.organization.name)])}</p>
            <div class="table-scroll">
                <table class="data-table members-table">
                    <caption class="visually-hidden">{with_args(t(Apps::MembersCaption), &[("app", &app_name)])}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Apps::Username)}</th>
                            <th scope="col">{t(Apps::MemberType)}</th>
                            {abilities.manage_members.then(|| view! {
                                <th scope="col"><span class="visually-hidden">{t(Apps::Actions)}</span></th>
                            })}
                        </tr>
                    </thead>
                    <tbody>
                        {administrators.clone().unwrap_or_default().into_iter().map(|name| view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td>{t(Apps::RowAdministrator)}</td>
                                {abilities.manage_members.then(|| view! { <td></td> })}
                            </tr>
                        }).collect_view()}
                        {member_rows}
                    </tbody>
                </table>
            </div>
            {administrators.is_none().then(|| view! {
                <p class="hint">{with_args(t(Apps::AdministratorsManage), &[("organization", &view.organization.name)])}</p>
            })}
            {no_members.then(|| view! {
                <p class="hint">
                    {if abilities.manage_members {
                        t(Apps::NoMembersYet)
                    } else {
                        t(Apps::NoOtherMembers)
                    }}
                </p>
            })}
        </section>
        <section class="card" aria-labelledby="permissions-title">
            <h2 id="permissions-title">{t(Apps::MemberTypes)}</h2>
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
