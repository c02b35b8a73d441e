//! `/applications/:id`: the application's name, for a shared application who shares it and
//! what the viewer is, and two tabs (Members, Actions) as nested routes.
use super::logic::{shared_line, viewer_type, MemberType, Plan};
use crate::api::applications as api;
use crate::api::{ApiError, Client};
use crate::components::async_view::{never_empty, AsyncView, ReadStatus};
use crate::components::page_title::page_title;
use crate::i18n::{catalogue::Apps, t};
use crate::nav::href;
use crate::routes;
use crate::state::session::Session;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_params_map;
use wire::applications::{ApplicationRow as Application, OrganizationRow as Organization};

/// Everything the tabs need to know about the application and the viewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppView {
    pub app: Application,
    pub organization: Organization,
    pub plan: Plan,
    pub viewer: MemberType,
    pub viewer_id: i64,
    /// The viewer's own membership (leaving deletes it); none for administrators.
    pub my_membership: Option<i64>,
}

impl AppView {
    pub fn owner(&self) -> &str {
        &self.organization.name
    }
}

/// Given to the tabs through context.
#[derive(Clone, Copy)]
pub struct AppPageContext {
    pub view: Signal<Option<AppView>>,
    pub refetch: Callback<()>,
}

fn not_visible() -> ApiError {
    ApiError::Status {
        status: 404,
        code: None,
        message: t(Apps::ApplicationNotVisible).to_string(),
    }
}

/// What the viewer is in `app` (its organization's administrator, else its member type).
pub fn app_view(app: Application, viewer_id: i64) -> Option<AppView> {
    let organization = app.organization()?.clone();
    let admin: Vec<i64> = organization
        .viewer_is_admin()
        .then_some(organization.id)
        .into_iter()
        .collect();
    let mine = app.my_membership().cloned();
    let viewer = viewer_type(
        organization.id,
        &admin,
        mine.as_ref().and_then(|m| m.role_name()),
    )?;
    Some(AppView {
        plan: Plan::from_name(&organization.billing_plan),
        organization,
        viewer,
        viewer_id,
        my_membership: mine.map(|m| m.id),
        app,
    })
}

async fn load(client: &Client, id: i64, me: i64) -> Result<AppView, ApiError> {
    let app = api::application(client, id, me)
        .await?
        .ok_or_else(not_visible)?;
    app_view(app, me).ok_or_else(not_visible)
}

#[component]
pub fn ApplicationPage() -> impl IntoView {
    page_title(t(Apps::Application));
    let session = expect_context::<Session>();
    let client = Client::from_context();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let user_id = Memo::new(move |_| session.claims().map(|c| c.id));
    let data = LocalResource::new(move || {
        let client = client.clone();
        let (id, user) = (id.get(), user_id.get());
        async move {
            match (id, user) {
                (Some(id), Some(user)) => load(&client, id, user).await,
                (None, _) => Err(not_visible()),
                (_, None) => Err(ApiError::Unauthorized),
            }
        }
    });
    let view_signal = Signal::derive(move || data.get().and_then(Result::ok));
    provide_context(AppPageContext {
        view: view_signal,
        refetch: Callback::new(move |_| data.refetch()),
    });

    let status = ReadStatus::track(data, never_empty);
    view! {
        <div class="page application">
            <p class="breadcrumb"><a href=href(&routes::applications())>{t(Apps::Applications)}</a></p>
            <Show when=move || status.get() != ReadStatus::Ready>
                <h1 class:visually-hidden=move || status.get() == ReadStatus::Loading>{t(Apps::Application)}</h1>
            </Show>
            <AsyncView
                status=status
                loading=t(Apps::LoadingApplication)
                failed=t(Apps::ApplicationFailed)
                retry=Callback::new(move |_| data.refetch())
                content=move || view_signal.get().map(|v| view! { <ApplicationHeader v /> <div class="tab-panel"><Outlet /></div> })
            />
        </div>
    }
}

/// The application's name, how the viewer shares it, and its tabs.
#[component]
fn ApplicationHeader(v: AppView) -> impl IntoView {
    let shared = (v.viewer != MemberType::Administrator).then(|| shared_line(v.owner(), v.viewer));
    view! {
        <h1>{v.app.app_name.clone()}</h1>
        {shared.map(|line| view! { <p class="shared-line">{line}</p> })}
        <nav class="tabs" aria-label=t(Apps::ApplicationSections)>
            <A href=href(&routes::application(v.app.id)) exact=true>{t(Apps::Members)}</A>
            <A href=href(&routes::application_actions(v.app.id))>{t(Apps::Actions)}</A>
        </nav>
    }
}
