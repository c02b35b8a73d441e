//! Applications, members and roles, in headless Chromium: the pure rules (member
//! types, plans, what each type may do, the permissions table, the OData paths, list rows)
//! and the components whose controls depend on the plan and on the viewer's member type.
#![cfg(target_arch = "wasm32")]
use account_console::api::applications::{
    app_members_query, application_query, applications_query, org_admins_query,
    organization_by_handle_query,
};
use account_console::api::odata::string_literal;
use account_console::components::permissions_table::PermissionsTable;
use account_console::i18n::{Language, Locale};
use account_console::pages::applications::actions::ActionsPanel;
use account_console::pages::applications::application::{app_view, AppView};
use account_console::pages::applications::logic::*;
use account_console::pages::applications::members::{AddMemberDialog, MembersData, MembersPanel};
use account_console::pages::applications::{administered_orgs, build_rows};
use account_console::pages::organization::org_role_label;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlOptionElement, HtmlSelectElement,
};
use wire::applications::{
    ApplicationMembershipRow as ApplicationMembership, ApplicationRow as Application,
    OrganizationRow as Organization,
};
use wire::Nav;

mod common;
use common::{accessible_description, all_by_role, by_role, mount, names_by_role};

wasm_bindgen_test_configure!(run_in_browser);

const PERMISSIONS_CAPTION: &str = "What each member type can do";
const JOIN_HINT: &str =
    "They need an account already; they join the organization as a member if they are not in it.";
const INVITEE_REQUIRED: &str = "Enter the username or email of someone with an account.";

fn button(root: &HtmlElement, name: &str) -> HtmlButtonElement {
    by_role(root, "button", name)
}

/// `(value, text, disabled)` of each of the select's options.
fn options(select: &HtmlSelectElement) -> Vec<(String, String, bool)> {
    (0..select.length())
        .filter_map(|i| select.item(i)?.dyn_into::<HtmlOptionElement>().ok())
        .map(|o| (o.value(), o.text(), o.disabled()))
        .collect()
}

/// The text of the control's first `<label>`.
fn label_text(labels: web_sys::NodeList) -> Option<String> {
    labels.item(0)?.text_content()
}

async fn frames(n: usize) {
    for _ in 0..n {
        tick().await;
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
}

// ---- fixtures: rows as server/README.md ("Applications API") shows them ----

fn app_json(
    id: i64,
    name: &str,
    org: &str,
    admin: bool,
    role: Option<&str>,
    plan: &str,
) -> Application {
    let org_membership = if admin {
        r#"[{"id":1,"organization_membership_role":[{"name":"administrator"}]}]"#.to_string()
    } else {
        r#"[{"id":2,"organization_membership_role":[{"name":"member"}]}]"#.to_string()
    };
    let app_membership = match role {
        Some(r) => format!(r#"[{{"id":9,"application_membership_role":[{{"name":"{r}"}}]}}]"#),
        None => "[]".to_string(),
    };
    let json = format!(
        r#"{{"id":{id},"app_name":"{name}","slug":"{org}/{lower}",
            "organization":[{{"id":{oid},"name":"{org}","handle":"{org}","billing_plan":"{plan}",
              "organization_membership":{org_membership}}}],
            "user_application_membership":{app_membership}}}"#,
        lower = name.to_lowercase(),
        oid = org.len() as i64,
    );
    serde_json::from_str(&json).unwrap()
}

fn view_as(member_type: MemberType, plan: &str) -> AppView {
    let app = match member_type {
        MemberType::Administrator => app_json(7, "Fleet1", "alice", true, None, plan),
        t => app_json(7, "Fleet1", "alice", false, t.role_name(), plan),
    };
    app_view(app, 2).expect("a visible application")
}

fn members() -> Vec<ApplicationMembership> {
    serde_json::from_str(
        r#"[{"id":9,"created_at":"2026-01-01T00:00:00.000Z",
             "user":[{"id":2,"username":"bob","email":"bob@example.com"}],
             "is_member_of__application":{"__id":7},
             "application_membership_role":[{"name":"developer"}]}]"#,
    )
    .unwrap()
}

// ---- pure rules ----

#[wasm_bindgen_test]
fn member_types_have_labels_descriptions_and_role_names() {
    for t in MemberType::ASSIGNABLE {
        assert_eq!(MemberType::from_role_name(t.role_name().unwrap()), Some(t));
        assert!(!member_type_description(t).is_empty());
    }
    assert_eq!(MemberType::Administrator.role_name(), None);
    assert_eq!(MemberType::from_role_name("administrator"), None);
    assert_eq!(
        MemberType::from_role_name(" Operator "),
        Some(MemberType::Operator)
    );
    let labels: Vec<&str> = MemberType::ALL.into_iter().map(member_type_label).collect();
    assert_eq!(
        labels,
        ["Administrator", "Developer", "Operator", "Observer"]
    );
    assert!(member_type_description(MemberType::Observer).starts_with("Read only"));
}

#[wasm_bindgen_test]
fn free_plans_allow_only_developer() {
    assert!(Plan::Free.allows(MemberType::Developer));
    assert!(!Plan::Free.allows(MemberType::Operator));
    assert!(!Plan::Free.allows(MemberType::Observer));
    for t in MemberType::ASSIGNABLE {
        assert!(Plan::Paid.allows(t));
    }
    assert!(!Plan::Paid.allows(MemberType::Administrator));
    assert_eq!(Plan::from_name(" Paid "), Plan::Paid);
    assert_eq!(Plan::from_name("enterprise"), Plan::Free);
    assert_eq!(Plan::from_name(""), Plan::Free);
    assert_eq!(Plan::Free.other(), Plan::Paid);
    assert!(member_type_option_text(MemberType::Operator, Plan::Free).ends_with("(paid plan)"));
    assert!(!member_type_option_text(MemberType::Operator, Plan::Paid).contains("paid plan"));
    assert!(member_type_option_text(MemberType::Developer, Plan::Free).starts_with("Developer — "));
    assert_eq!(
        member_type_short_text(MemberType::Observer, Plan::Free),
        "Observer (paid plan)"
    );
    assert_eq!(
        member_type_short_text(MemberType::Observer, Plan::Paid),
        "Observer"
    );
}

#[wasm_bindgen_test]
fn only_administrators_manage_members_and_delete() {
    let admin = abilities(MemberType::Administrator);
    assert!(admin.manage_members && admin.delete_application && !admin.leave);
    for t in MemberType::ASSIGNABLE {
        let a = abilities(t);
        assert!(
            !a.manage_members && !a.delete_application && a.leave,
            "{t:?}"
        );
    }
}

#[wasm_bindgen_test]
fn permissions_table_rows_are_labelled() {
    assert_eq!(
        permission_row_label(MemberType::Administrator),
        "Administrator (organization administrator)"
    );
    assert_eq!(permission_row_label(MemberType::Developer), "Developer");
    assert_eq!(
        permission_row_label(MemberType::Observer),
        "Observer (read only)"
    );
}

#[wasm_bindgen_test]
fn invitees_and_application_names() {
    assert_eq!(parse_invitee("  "), Err(INVITEE_REQUIRED));
    assert_eq!(
        parse_invitee(" bob@example.com "),
        Ok(Invitee::Email("bob@example.com".into()))
    );
    assert_eq!(parse_invitee("bob"), Ok(Invitee::Username("bob".into())));
    assert_eq!(
        validate_app_name(""),
        Err("Enter a name for the application.")
    );
    assert_eq!(validate_app_name(" Fleet1 "), Ok("Fleet1".to_string()));
    assert_eq!(
        validate_app_name("abc"),
        Err("Application names have 4 to 100 characters")
    );
    assert_eq!(
        validate_app_name("my fleet"),
        Err("Application names may contain only letters, digits, '-', '_' and '.'")
    );
    assert!(typed_name_matches(" Fleet1 ", "Fleet1"));
    assert!(!typed_name_matches("fleet1", "Fleet1"));
}

#[wasm_bindgen_test]
fn texts() {
    assert_eq!(
        shared_line("alice", MemberType::Developer),
        "Shared by alice — you are Developer"
    );
    assert_eq!(owned_by("alice"), "Owned by alice");
    assert_eq!(remove_title("bob", "Fleet1"), "Remove bob from Fleet1?");
    assert_eq!(org_role_label(Some("administrator")), "Administrator");
    assert_eq!(org_role_label(Some("member")), "Member");
}

#[wasm_bindgen_test]
fn paths_are_the_documented_requests() {
    let decoded = |q: account_console::api::odata::Query| q.path().replace("%20", " ");
    assert_eq!(
        decoded(applications_query(5)),
        "/v7/application?$select=id,app_name,slug&$orderby=app_name asc&$expand=organization($select=id,name,handle,billing_plan;$expand=organization_membership($select=id;$filter=user eq 5;$expand=organization_membership_role($select=name))),user_application_membership($select=id;$filter=user eq 5;$expand=application_membership_role($select=name))"
    );
    assert!(application_query(7, 5)
        .path()
        .starts_with("/v7/application(7)?$select=id,app_name,slug&$expand="));
    assert_eq!(
        decoded(app_members_query(7)),
        "/v7/user_application_membership?$filter=is_member_of__application eq 7&$expand=user($select=id,username,email),application_membership_role($select=name)"
    );
    assert_eq!(
        decoded(org_admins_query(1)),
        "/v7/organization_membership?$filter=is_member_of__organization eq 1 and organization_membership_role/name eq 'administrator'&$expand=user($select=id,username,email)"
    );
    assert_eq!(string_literal("o'brien & co"), "'o''brien%20%26%20co'");
    assert_eq!(
        decoded(organization_by_handle_query("o'brien & co")),
        "/v7/organization?$filter=handle eq 'o''brien %26 co'&$select=id,name,handle,billing_plan&$expand=organization_membership($select=id;$expand=user($select=id,username,email),organization_membership_role($select=name))"
    );
}

#[wasm_bindgen_test]
fn rows_mark_shared_applications_with_owner_and_type() {
    let apps = vec![
        app_json(8, "zeta", "carol", false, Some("operator"), "paid"),
        app_json(7, "Fleet1", "alice", true, None, "free"),
        // Visible but neither administered nor a member of: not listed.
        app_json(9, "other", "dave", false, None, "free"),
    ];
    let rows = build_rows(&apps);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].name, "Fleet1");
    assert!(!rows[0].shared);
    assert_eq!(rows[0].member_type, MemberType::Administrator);
    assert_eq!(rows[1].organization_name, "carol");
    assert!(rows[1].shared);
    assert_eq!(rows[1].member_type, MemberType::Operator);

    let orgs: Vec<Organization> = serde_json::from_str(
        r#"[{"id":1,"name":"alice","handle":"alice","billing_plan":"free","organization_membership":[{"id":1,"organization_membership_role":[{"name":"administrator"}]}]},
            {"id":2,"name":"carol","handle":"carol","billing_plan":"paid","organization_membership":[{"id":3,"organization_membership_role":[{"name":"member"}]}]}]"#,
    )
    .unwrap();
    let admin = administered_orgs(&orgs);
    assert_eq!(admin.len(), 1);
    assert_eq!(admin[0].handle, "alice");
}

#[wasm_bindgen_test]
fn navigations_read_as_ids_or_expanded_arrays() {
    let m: ApplicationMembership = serde_json::from_str(
        r#"{"id":9,"user":{"__id":2},"is_member_of__application":{"__id":7},"application_membership_role":{"__id":1}}"#,
    )
    .unwrap();
    assert_eq!(m.user_id(), Some(2));
    assert_eq!(m.role_name(), None);
    let m = &members()[0];
    assert_eq!(m.username(), "bob");
    assert_eq!(m.role_name(), Some("developer"));
    assert!(matches!(m.user, Some(Nav::Expanded(_))));
    let v = view_as(MemberType::Operator, "paid");
    assert_eq!(v.viewer, MemberType::Operator);
    assert_eq!(v.plan, Plan::Paid);
    assert_eq!(v.my_membership, Some(9));
    assert_eq!(v.owner(), "alice");
}

// ---- components ----

#[wasm_bindgen_test]
async fn add_member_dialog_shows_the_plan_and_requires_someone() {
    let (root, _h) = mount(|| {
        let open = RwSignal::new(true);
        view! {
            <AddMemberDialog
                open=open
                app_id=7
                plan=Plan::Free
                organization_handle="alice".to_string()
                on_added=Callback::new(|_| ())
            />
        }
    });
    frames(2).await;
    let dialog: HtmlElement = by_role(&root, "dialog", "Add member");
    let heading: HtmlElement = by_role(&dialog, "heading", "Add member");
    assert_eq!(heading.tag_name(), "H2");
    assert_eq!(heading.text_content().unwrap(), "Add member");
    let input: HtmlInputElement = by_role(&dialog, "textbox", "Username or email");
    assert_eq!(
        label_text(input.labels().unwrap()).as_deref(),
        Some("Username or email")
    );
    let select: HtmlSelectElement = by_role(&dialog, "combobox", "Member type");
    assert_eq!(label_text(select.labels()).as_deref(), Some("Member type"));
    let opts = options(&select);
    assert_eq!(opts.len(), 3);
    assert_eq!(opts[0].0, "developer");
    assert!(!opts[0].2, "Developer is allowed on free");
    assert!(opts[0].1.starts_with("Developer — "));
    for (value, text, disabled) in &opts[1..] {
        assert!(*disabled, "{value} is disabled on free");
        assert!(text.ends_with("(paid plan)"), "{text}");
    }
    assert!(opts[2].1.starts_with("Observer — Read only"));
    assert_eq!(select.value(), "developer");
    assert!(root
        .text_content()
        .unwrap()
        .contains("only Developer can be assigned"));

    // Submitting with nobody named: a message tied to the field, no request.
    // A form without a name has no role.
    let form: HtmlElement = dialog
        .query_selector("form")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    form.dispatch_event(&web_sys::Event::new_with_event_init_dict("submit", &init).unwrap())
        .unwrap();
    frames(1).await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    // The hint and then the error describe the field.
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("add-member-who-hint add-member-who-error")
    );
    assert_eq!(
        accessible_description(&input),
        Some(format!("{JOIN_HINT} {INVITEE_REQUIRED}"))
    );
    assert!(button(&dialog, "Add member").disabled());
    root.remove();
}

#[wasm_bindgen_test]
async fn add_member_dialog_on_a_paid_plan_offers_every_type() {
    let (root, _h) = mount(|| {
        let open = RwSignal::new(true);
        view! {
            <AddMemberDialog
                open=open
                app_id=7
                plan=Plan::Paid
                organization_handle="alice".to_string()
                on_added=Callback::new(|_| ())
            />
        }
    });
    frames(1).await;
    let select: HtmlSelectElement = by_role(&root, "combobox", "Member type");
    for (value, text, disabled) in options(&select) {
        assert!(!disabled, "{value}");
        assert!(!text.contains("paid plan"), "{text}");
    }
    root.remove();
}

#[wasm_bindgen_test]
async fn developers_see_members_but_no_member_controls() {
    let (root, _h) = mount(|| {
        let data = MembersData {
            members: members(),
            administrators: Some(vec!["alice".into()]),
        };
        view! { <MembersPanel view=view_as(MemberType::Developer, "free") data=data on_changed=Callback::new(|_| ()) /> }
    });
    frames(1).await;
    let names = names_by_role(&root, "button");
    assert!(!names.iter().any(|n| n == "Add member"), "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with("Remove")), "{names:?}");
    assert!(names_by_role(&root, "combobox").is_empty());
    let text = root.text_content().unwrap();
    assert!(text.contains("alice"));
    assert!(text.contains("Administrator (organization administrator)"));
    assert!(text.contains("bob"));
    assert!(text.contains("Developer (you)"));
    let _: HtmlElement = by_role(&root, "table", PERMISSIONS_CAPTION);
    root.remove();
}

#[wasm_bindgen_test]
async fn administrators_get_add_change_and_remove_with_a_confirmation() {
    let (root, _h) = mount(|| {
        let data = MembersData {
            members: members(),
            administrators: Some(vec!["alice".into()]),
        };
        view! { <MembersPanel view=view_as(MemberType::Administrator, "free") data=data on_changed=Callback::new(|_| ()) /> }
    });
    frames(1).await;
    button(&root, "Add member");
    assert_eq!(
        names_by_role(&root, "combobox"),
        vec!["Member type for bob".to_string()]
    );
    let select: HtmlSelectElement = by_role(&root, "combobox", "Member type for bob");
    assert_eq!(select.value(), "developer");
    let row_options = options(&select);
    assert!(row_options[1].2, "Operator is disabled on the free plan");
    assert_eq!(row_options[0].1, "Developer");
    assert_eq!(row_options[1].1, "Operator (paid plan)");
    button(&root, "Remove bob").click();
    frames(2).await;
    let dialog: HtmlElement = by_role(&root, "dialog", "Remove bob from Fleet1?");
    button(&dialog, "Remove member");
    root.remove();
}

#[wasm_bindgen_test]
async fn permissions_table_has_scoped_headers() {
    let (root, _h) = mount(|| view! { <PermissionsTable /> });
    let table: HtmlElement = by_role(&root, "table", PERMISSIONS_CAPTION);
    let cols = all_by_role(&table, "columnheader");
    assert_eq!(cols.len(), 11);
    for (name, col) in &cols {
        assert_eq!(col.get_attribute("scope").as_deref(), Some("col"), "{name}");
    }
    let rows = all_by_role(&table, "rowheader");
    assert_eq!(rows.len(), 4);
    for (name, row) in &rows {
        assert_eq!(row.get_attribute("scope").as_deref(), Some("row"), "{name}");
    }
    assert_eq!(rows[1].1.text_content().unwrap(), "Developer");
    // The header row, then one row per member type: Administrator, Developer, Operator, …
    let table_rows = all_by_role(&table, "row");
    assert_eq!(table_rows.len(), 5);
    let operator_cells: Vec<String> = all_by_role(&table_rows[3].1, "cell")
        .into_iter()
        .map(|(_, cell)| cell.text_content().unwrap())
        .collect();
    assert_eq!(
        operator_cells,
        ["no", "no", "yes", "yes", "yes", "yes", "yes", "no", "no", "no"]
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn actions_follow_the_member_type() {
    let (root, _h) =
        mount(|| view! { <ActionsPanel view=view_as(MemberType::Observer, "paid") /> });
    frames(1).await;
    let names = names_by_role(&root, "button");
    assert!(
        names.contains(&"Remove member access".to_string()),
        "{names:?}"
    );
    assert!(!names.contains(&"Delete application".to_string()));
    button(&root, "Remove member access").click();
    frames(2).await;
    let dialog: HtmlElement = by_role(&root, "dialog", "Remove your access to Fleet1?");
    let warning = accessible_description(&dialog).unwrap();
    assert_eq!(
        warning,
        "This cannot be undone: only an administrator of alice can give you access to Fleet1 again."
    );
    root.remove();

    let (root, _h) =
        mount(|| view! { <ActionsPanel view=view_as(MemberType::Administrator, "free") /> });
    frames(1).await;
    let names = names_by_role(&root, "button");
    assert!(
        names.contains(&"Delete application".to_string()),
        "{names:?}"
    );
    assert!(!names.contains(&"Remove member access".to_string()));
    button(&root, "Delete application").click();
    frames(2).await;
    assert!(button(&root, "Delete this application").disabled());
    root.remove();
}

#[wasm_bindgen_test]
async fn the_permissions_table_scrolls_in_a_named_focusable_region() {
    let (root, _h) = mount(|| view! { <PermissionsTable /> });
    let region: HtmlElement = by_role(&root, "region", PERMISSIONS_CAPTION);
    assert_eq!(region.tab_index(), 0);
    let _: HtmlElement = by_role(&region, "table", PERMISSIONS_CAPTION);
    root.remove();
}

// ---- in German ----

#[wasm_bindgen_test]
async fn add_member_dialog_in_german() {
    let (root, _h) = mount(|| {
        provide_context(Language::with(Locale::De));
        let open = RwSignal::new(true);
        view! {
            <AddMemberDialog
                open=open
                app_id=7
                plan=Plan::Free
                organization_handle="alice".to_string()
                on_added=Callback::new(|_| ())
            />
        }
    });
    frames(2).await;
    let dialog: HtmlElement = by_role(&root, "dialog", "Mitglied hinzufügen");
    let _: HtmlInputElement = by_role(&dialog, "textbox", "Benutzername oder E-Mail-Adresse");
    let select: HtmlSelectElement = by_role(&dialog, "combobox", "Mitgliedstyp");
    let texts: Vec<String> = options(&select).into_iter().map(|o| o.1).collect();
    assert_eq!(
        texts,
        [
            "Entwickler — Alles außer Mitglieder hinzufügen und die Anwendung löschen",
            "Operator — Geräte, Tags, Gerätevariablen und SSH; keine Pushes, Flottenvariablen oder Flottenaktionen (kostenpflichtiger Tarif)",
            "Beobachter — Nur Lesezugriff: sieht die Anwendung und ihre Geräte, ändert nichts (kostenpflichtiger Tarif)",
        ]
    );
    let _: HtmlElement = by_role(&dialog, "link", "Organisation und Tarif");
    button(&dialog, "Mitglied hinzufügen");
    root.remove();
}

#[wasm_bindgen_test]
async fn members_panel_in_german() {
    let (root, _h) = mount(|| {
        provide_context(Language::with(Locale::De));
        let data = MembersData {
            members: members(),
            administrators: Some(vec!["alice".into()]),
        };
        view! { <MembersPanel view=view_as(MemberType::Administrator, "free") data=data on_changed=Callback::new(|_| ()) /> }
    });
    frames(1).await;
    let _: HtmlElement = by_role(&root, "heading", "Mitglieder");
    let _: HtmlElement = by_role(&root, "table", "Administratoren und Mitglieder von Fleet1");
    let select: HtmlSelectElement = by_role(&root, "combobox", "Mitgliedstyp für bob");
    let row_options: Vec<String> = options(&select).into_iter().map(|o| o.1).collect();
    assert_eq!(
        row_options,
        [
            "Entwickler",
            "Operator (kostenpflichtiger Tarif)",
            "Beobachter (kostenpflichtiger Tarif)"
        ]
    );
    button(&root, "Mitglied hinzufügen");
    button(&root, "bob entfernen").click();
    frames(2).await;
    let dialog: HtmlElement = by_role(&root, "dialog", "bob aus Fleet1 entfernen?");
    assert_eq!(
        accessible_description(&dialog).as_deref(),
        Some("bob verliert sofort den Zugriff auf Fleet1. Sie können die Person später wieder hinzufügen.")
    );
    button(&dialog, "Mitglied entfernen");

    let region: HtmlElement = by_role(&root, "region", "Was jeder Mitgliedstyp darf");
    let table: HtmlElement = by_role(&region, "table", "Was jeder Mitgliedstyp darf");
    let cols: Vec<String> = all_by_role(&table, "columnheader")
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        cols[..3],
        ["Mitgliedstyp", "Mitglieder hinzufügen", "Anwendung löschen"]
    );
    let rows: Vec<String> = all_by_role(&table, "rowheader")
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        rows,
        [
            "Administrator (Organisationsadministrator)",
            "Entwickler",
            "Operator",
            "Beobachter (nur Lesezugriff)"
        ]
    );
    let table_rows = all_by_role(&table, "row");
    let developer_cells: Vec<String> = all_by_role(&table_rows[2].1, "cell")
        .into_iter()
        .map(|(_, cell)| cell.text_content().unwrap())
        .collect();
    assert_eq!(developer_cells[..3], ["nein", "nein", "ja"]);
    root.remove();
}

#[wasm_bindgen_test]
async fn actions_in_german() {
    let (root, _h) = mount(|| {
        provide_context(Language::with(Locale::De));
        view! { <ActionsPanel view=view_as(MemberType::Observer, "paid") /> }
    });
    frames(1).await;
    let _: HtmlElement = by_role(&root, "heading", "Diese Anwendung verlassen");
    button(&root, "Mitgliedszugriff entfernen").click();
    frames(2).await;
    let dialog: HtmlElement = by_role(&root, "dialog", "Ihren Zugriff auf Fleet1 entfernen?");
    assert_eq!(
        accessible_description(&dialog).as_deref(),
        Some("Dies kann nicht rückgängig gemacht werden: Nur ein Administrator von alice kann Ihnen wieder Zugriff auf Fleet1 geben.")
    );
    button(&dialog, "Meinen Zugriff entfernen");
    root.remove();
}

#[wasm_bindgen_test]
fn texts_in_german() {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(Language::with(Locale::De));
        assert_eq!(
            shared_line("alice", MemberType::Observer),
            "Geteilt von alice — Sie sind Beobachter"
        );
        assert_eq!(
            validate_app_name("abc"),
            Err("Anwendungsnamen haben 4 bis 100 Zeichen")
        );
        assert_eq!(Plan::Paid.label(), "Kostenpflichtig");
        assert_eq!(org_role_label(Some("member")), "Mitglied");
    });
}
