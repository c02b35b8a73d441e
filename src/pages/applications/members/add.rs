//! "Add member": the username or email of an existing account, and a member type among
//! those the organization's plan allows.
use crate::api::applications as api;
use crate::api::Client;
use crate::components::dialog::Dialog;
use crate::components::field::TextInput;
use crate::components::form::{CancelButton, FormAlert, PendingButton};
use crate::components::member_type_select::MemberTypeSelect;
use crate::i18n::{catalogue::Apps, t, with_args};
use crate::nav::href;
use crate::pages::applications::logic::{
    member_type_label, parse_invitee, Invitee, MemberType, Plan,
};
use crate::routes;
use crate::state::{toast::Toasts, write::Write};
use leptos::{ev::SubmitEvent, prelude::*};
use wire::applications::NewApplicationMembership;

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
    let client = Client::from_context();
    let who = RwSignal::new(String::new());
    let member_type = RwSignal::new(MemberType::Developer);
    let touched = RwSignal::new(false);
    // Refused before sending: a type the plan does not allow.
    let refused = RwSignal::new(None::<String>);
    let add = Write::new(move |(invitee, chosen): (Invitee, MemberType)| {
        let client = client.clone();
        async move {
            let (username, email, shown) = match invitee {
                Invitee::Username(u) => (Some(u.clone()), None, u),
                Invitee::Email(e) => (None, Some(e.clone()), e),
            };
            let role = api::role_id(&client, chosen.role_name().unwrap_or("developer")).await?;
            let body = NewApplicationMembership {
                username,
                email,
                is_member_of_application: app_id,
                application_membership_role: Some(role),
            };
            api::add_member(&client, &body).await?;
            toasts.push(with_args(
                t(Apps::MemberAdded),
                &[("name", &shown), ("type", member_type_label(chosen))],
            ));
            open.set(false);
            on_added.run(());
            Ok(())
        }
    });
    let pending = add.pending();
    let error = Signal::derive(move || refused.get().or_else(|| add.error_text().get()));
    let who_error = Signal::derive(move || who.with(|w| parse_invitee(w).err()));
    Effect::new(move |_| {
        if open.get() {
            who.set(String::new());
            member_type.set(MemberType::Developer);
            touched.set(false);
            refused.set(None);
            add.clear();
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let Ok(invitee) = parse_invitee(&who.get_untracked()) else {
            return;
        };
        let chosen = member_type.get_untracked();
        if !plan.allows(chosen) {
            refused.set(Some(with_args(
                t(Apps::TypeNeedsPaidPlan),
                &[("type", member_type_label(chosen))],
            )));
            return;
        }
        refused.set(None);
        add.run((invitee, chosen));
    };
    let org_link = href(&routes::organization(&organization_handle));
    view! {
        <Dialog open=open title=t(Apps::AddMember) class="dialog-add-member" dismissable=Signal::derive(move || !pending.get())>
            <form class="dialog-body" on:submit=on_submit novalidate=true>
                <TextInput
                    id="add-member-who"
                    label=t(Apps::UsernameOrEmail)
                    value=who
                    required=true
                    autofocus=true
                    verbatim=true
                    error=who_error
                    force=touched
                    hint=t(Apps::JoinHint)
                />
                <div class="field">
                    <MemberTypeSelect
                        id="add-member-type".to_string()
                        label=t(Apps::MemberType)
                        visible_label=true
                        plan=plan
                        value=member_type
                        on_change=Callback::new(move |chosen| member_type.set(chosen))
                        describedby="add-member-plan".to_string()
                    />
                    <p class="hint" id="add-member-plan">
                        {match plan {
                            Plan::Free => t(Apps::FreePlanHint),
                            Plan::Paid => t(Apps::PaidPlanHint),
                        }}
                        " "
                        <a href=org_link.clone()>{t(Apps::OrganizationAndPlan)}</a>
                    </p>
                </div>
                <FormAlert message=error />
                <div class="dialog-actions">
                    <CancelButton on_cancel=Callback::new(move |_| open.set(false)) />
                    <PendingButton
                        label=t(Apps::AddMember)
                        pending_label=t(Apps::Adding)
                        pending=pending
                        disabled=Signal::derive(move || touched.get() && who_error.get().is_some())
                    />
                </div>
            </form>
        </Dialog>
    }
}
