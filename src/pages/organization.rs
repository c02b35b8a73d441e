//! `/organizations/:handle`: an organization's members and roles and its plan; its
//! administrators can switch the plan between free and paid (this product's stand-in for
//! billing).
use crate::api::applications as api;
use crate::api::{ApiError, Client};
use crate::components::async_view::{never_empty, AsyncView, ReadStatus};
use crate::components::form::FormAlert;
use crate::components::page_title::page_title;
use crate::i18n::{catalogue::Apps, t, with_args};
use crate::nav::href;
use crate::pages::applications::logic::Plan;
use crate::routes;
use crate::state::{session::Session, toast::Toasts, write::Write};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use wire::applications::{
    OrganizationMembershipRow as OrganizationMembership, OrganizationRow as Organization,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgView {
    pub organization: Organization,
    pub members: Vec<OrganizationMembership>,
    pub viewer_is_admin: bool,
}

/// "Administrator" / "Member".
pub fn org_role_label(name: Option<&str>) -> &'static str {
    t(match name {
        Some("administrator") => Apps::RoleAdministrator,
        _ => Apps::RoleMember,
    })
}

async fn load(client: &Client, handle: &str, me: i64) -> Result<OrgView, ApiError> {
    let mut organization = api::organization_by_handle(client, handle)
        .await?
        .ok_or_else(|| ApiError::Status {
            status: 404,
            code: None,
            message: t(Apps::OrganizationNotVisible).to_string(),
        })?;
    let mut members = std::mem::take(&mut organization.organization_membership);
    members.sort_by_key(|m| (!m.is_administrator(), m.username().to_lowercase()));
    let viewer_is_admin = members
        .iter()
        .any(|m| m.user_id() == Some(me) && m.is_administrator());
    Ok(OrgView {
        organization,
        members,
        viewer_is_admin,
    })
}

#[component]
pub fn OrganizationPage() -> impl IntoView {
    page_title(t(Apps::Organization));
    let session = expect_context::<Session>();
    let client = Client::from_context();
    let params = use_params_map();
    let handle = Memo::new(move |_| params.with(|p| p.get("handle").unwrap_or_default()));
    let user_id = Memo::new(move |_| session.claims().map(|c| c.id));
    let data = LocalResource::new(move || {
        let client = client.clone();
        let (handle, user) = (handle.get(), user_id.get());
        async move {
            match user {
                Some(user) => load(&client, &handle, user).await,
                None => Err(ApiError::Unauthorized),
            }
        }
    });
    let status = ReadStatus::track(data, never_empty);
    view! {
        <div class="page organization">
            <Show when=move || status.get() != ReadStatus::Ready>
                <p class="breadcrumb"><a href=href(&routes::applications())>{t(Apps::Applications)}</a></p>
                <h1 class:visually-hidden=move || status.get() == ReadStatus::Loading>{t(Apps::Organization)}</h1>
            </Show>
            <AsyncView
                status=status
                loading=t(Apps::LoadingOrganization)
                failed=t(Apps::OrganizationFailed)
                retry=Callback::new(move |_| data.refetch())
                content=move || data.get().and_then(Result::ok).map(|v| view! {
                    <OrganizationPanel view=v on_changed=Callback::new(move |_| data.refetch()) />
                })
            />
        </div>
    }
}

#[component]
pub fn OrganizationPanel(view: OrgView, on_changed: Callback<()>) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    let plan = Plan::from_name(&view.organization.billing_plan);
    let org_id = view.organization.id;
    let org_name = view.organization.name.clone();
    let switch = Write::new(move |target: Plan| {
        let (client, name) = (client.clone(), org_name.clone());
        async move {
            api::set_plan(&client, org_id, target.name()).await?;
            let now_on = match target {
                Plan::Free => Apps::NowOnFreePlan,
                Plan::Paid => Apps::NowOnPaidPlan,
            };
            toasts.push(with_args(t(now_on), &[("organization", &name)]));
            on_changed.run(());
            Ok(())
        }
    });
    let pending = switch.pending();
    let plan_text = t(match plan {
        Plan::Free => Apps::FreePlanText,
        Plan::Paid => Apps::PaidPlanText,
    });
    let switch_label = t(match plan.other() {
        Plan::Free => Apps::SwitchToFree,
        Plan::Paid => Apps::SwitchToPaid,
    });
    view! {
        <p class="breadcrumb"><a href=href(&routes::applications())>{t(Apps::Applications)}</a></p>
        <h1>{view.organization.name.clone()}</h1>
        <p class="hint">{t(Apps::Handle)} " " <code>{view.organization.handle.clone()}</code></p>
        <section class="card" aria-labelledby="plan-title">
            <h2 id="plan-title">{t(Apps::Plan)}</h2>
            <p class="plan-current">
                <span class="badge">{plan.label()}</span> " " {plan_text}
            </p>
            {view.viewer_is_admin.then(|| view! {
                <p class="hint">{t(Apps::BillingNote)}</p>
                <button
                    type="button"
                    class="button"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                    on:click=move |_| switch.run(plan.other())
                >
                    {move || if pending.get() { t(Apps::Switching) } else { switch_label }}
                </button>
                <FormAlert message=switch.error_text() />
            })}
        </section>
        <section class="card" aria-labelledby="org-members-title">
            <h2 id="org-members-title">{t(Apps::Members)}</h2>
            <p>{t(Apps::OrganizationMembersIntro)}</p>
            <div class="table-scroll">
                <table class="data-table">
                    <caption class="visually-hidden">{with_args(t(Apps::OrganizationMembersCaption), &[("organization", &view.organization.name)])}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Apps::Username)}</th>
                            <th scope="col">{t(Apps::Role)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {view.members.iter().map(|m| view! {
                            <tr>
                                <th scope="row">{m.username()}</th>
                                <td>{org_role_label(m.role_name())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
