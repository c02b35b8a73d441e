//! `/applications`: the viewer's applications and those shared with them, and creating one
//! (organization administrators only). `/applications/:id` lives in [`application`].
pub mod actions;
pub mod application;
pub mod create;
pub mod logic;
pub mod members;

use crate::api::applications as api;
use crate::api::{ApiError, Client};
use crate::components::async_view::{AsyncView, ReadStatus};
use crate::components::page_title::page_title;
use crate::i18n::{catalogue::Apps, t};
use crate::nav::href;
use crate::routes;
use crate::state::session::Session;
use create::CreateApplicationDialog;
use leptos::prelude::*;
use logic::{member_type_label, owned_by, sort_rows, viewer_type, AppListRow};
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
    page_title(t(Apps::Applications));
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
                <h1>{t(Apps::Applications)}</h1>
                <Show when=move || !administered.with(Vec::is_empty)>
                    <button
                        type="button"
                        id="create-application"
                        class="button primary"
                        on:click=move |_| create_open.set(true)
                    >
                        {t(Apps::CreateApplication)}
                    </button>
                </Show>
            </div>
            <p>{t(Apps::ApplicationsIntro)}</p>
            <AsyncView
                status=ReadStatus::track(overview, |o: &Overview| o.rows.is_empty())
                loading=t(Apps::LoadingApplications)
                failed=t(Apps::ApplicationsFailed)
                retry=Callback::new(move |_| overview.refetch())
                empty=move || view! {
                    <div class="empty-state">
                        <p>
                            {if administered.with(Vec::is_empty) {
                                t(Apps::NoApplicationsMember)
                            } else {
                                t(Apps::NoApplicationsAdmin)
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
                <caption class="visually-hidden">{t(Apps::ApplicationsCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(Apps::ColumnName)}</th>
                        <th scope="col">{t(Apps::Organization)}</th>
                        <th scope="col">{t(Apps::ColumnAccess)}</th>
                        <th scope="col">{t(Apps::MemberType)}</th>
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
                                                <span class="badge badge-shared">{t(Apps::Shared)}</span>
                                                " "
                                                <span class="owner">{owned_by(&row.organization_name)}</span>
                                            }
                                            .into_any()
                                        } else {
                                            view! { <span class="owner">{t(Apps::YourOrganization)}</span> }.into_any()
                                        }}
                                    </td>
                                    <td>{member_type_label(row.member_type)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
