//! The member-type matrix (security bar check 12): every member type × every
//! operation × own/foreign application, with the expected status, and for every refused
//! operation a check that the database is exactly as before. Each case gets a fresh
//! application (so deletions cannot leak into the next case).
use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::api_keys::{delete, patch};
use crate::applications::*;
use crate::common::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Administrator,
    Developer,
    Operator,
    Observer,
    NonMember,
}

#[derive(Debug, Clone, Copy)]
enum Op {
    ReadApp,
    AddMember,
    ChangeRole,
    RemoveMember,
    DeleteApp,
    ChangePlan,
    CreateDevice,
    DeleteDevice,
    RenameDevice,
    CreateTag,
    DeleteTag,
    CreateDeviceVar,
    CreateFleetVar,
    DeleteFleetVar,
    ProvisioningKey,
    DeviceKey,
}

/// What should happen: `Done` changes the database, `Refused` must leave it untouched.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Done(StatusCode),
    Refused(StatusCode),
    /// Reads: how many rows come back.
    Rows(usize),
}

use Expect::*;
use Who::*;

const OK: StatusCode = StatusCode::OK;
const CREATED: StatusCode = StatusCode::CREATED;
const DENIED: StatusCode = StatusCode::UNAUTHORIZED;

/// The table, for an application of the caller's organization. `Y` = allowed,
/// `V` = visible but not allowed (401), `_` = invisible (POST 401, PATCH/DELETE a silent 200).
fn expected(who: Who, op: Op, own: bool) -> Expect {
    use Op::*;
    let member = own && who != NonMember;
    let allowed = own
        && match op {
            ReadApp => who != NonMember,
            AddMember | ChangeRole | RemoveMember | DeleteApp | ChangePlan => who == Administrator,
            CreateDevice | DeleteDevice | RenameDevice | CreateTag | DeleteTag
            | CreateDeviceVar => {
                matches!(who, Administrator | Developer | Operator)
            }
            CreateFleetVar | DeleteFleetVar | ProvisioningKey | DeviceKey => {
                matches!(who, Administrator | Developer)
            }
        };
    match op {
        ReadApp => Rows(usize::from(allowed)),
        AddMember | CreateDevice | CreateTag | CreateDeviceVar | CreateFleetVar => {
            if allowed {
                Done(CREATED)
            } else {
                Refused(DENIED)
            }
        }
        ProvisioningKey | DeviceKey => {
            if allowed {
                Done(OK)
            } else {
                Refused(DENIED)
            }
        }
        // PATCH/DELETE: rows the caller can see but not change → 401; rows they cannot
        // see → balena's silent 200.
        ChangeRole | RemoveMember | DeleteApp | ChangePlan | DeleteDevice | RenameDevice
        | DeleteTag | DeleteFleetVar => {
            if allowed {
                Done(OK)
            } else if member {
                Refused(DENIED)
            } else {
                Refused(OK)
            }
        }
    }
}

/// One application with a member "tim" (the target of member operations), a device with a
/// tag, and a fleet variable.
struct Fixture {
    app: i64,
    org: i64,
    tim_membership: i64,
    device: i64,
    tag: i64,
    fleet_var: i64,
}

struct World {
    app: TestApp,
    tokens: Vec<(Who, String)>,
    alice: String,
    zed: String,
    alice_org: i64,
    zed_org: i64,
    n: std::cell::Cell<usize>,
}

impl World {
    async fn new() -> Self {
        let app = TestApp::new().await;
        let alice = app.register("alice@example.com").await;
        let mut tokens = vec![(Administrator, alice.clone())];
        for (who, email) in [
            (Developer, "dave@example.com"),
            (Operator, "olga@example.com"),
            (Observer, "oscar@example.com"),
            (NonMember, "nora@example.com"),
        ] {
            tokens.push((who, app.register(email).await));
        }
        app.register("tim@example.com").await;
        app.register("newbie@example.com").await;
        let zed = app.register("zed@example.com").await;
        let alice_org = org_of(&app, &alice).await;
        let zed_org = org_of(&app, &zed).await;
        // Operators and observers need a paid plan.
        set_plan(&app, &alice, alice_org, "paid").await;
        set_plan(&app, &zed, zed_org, "paid").await;
        Self {
            app,
            tokens,
            alice,
            zed,
            alice_org,
            zed_org,
            n: std::cell::Cell::new(0),
        }
    }

    /// A fresh application: in alice's organization with dave/olga/oscar as members (own), or
    /// in zed's organization where none of them is anything (foreign).
    async fn fixture(&self, own: bool) -> Fixture {
        let app = &self.app;
        self.n.set(self.n.get() + 1);
        let (admin, org) = if own {
            (&self.alice, self.alice_org)
        } else {
            (&self.zed, self.zed_org)
        };
        let id = create_app(app, admin, org, &format!("app{}", self.n.get())).await;
        if own {
            add_member(app, admin, id, "dave", "developer").await;
            add_member(app, admin, id, "olga", "operator").await;
            add_member(app, admin, id, "oscar", "observer").await;
        }
        let tim_membership = add_member(app, admin, id, "tim", "developer").await;
        let device = create_device(app, admin, id).await["id"].as_i64().unwrap();
        let tag = post(
            app,
            "/v7/device_tag",
            &json!({"device": device, "tag_key": "k", "value": "v"}),
            admin,
        )
        .await
        .json()["id"]
            .as_i64()
            .unwrap();
        let fleet_var = post(
            app,
            "/v7/application_environment_variable",
            &json!({"application": id, "name": "V", "value": "1"}),
            admin,
        )
        .await
        .json()["id"]
            .as_i64()
            .unwrap();
        Fixture {
            app: id,
            org,
            tim_membership,
            device,
            tag,
            fleet_var,
        }
    }
}

/// Everything the operations can touch, as text.
async fn snapshot(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT id || ':' || app_name || ':' || slug FROM applications ORDER BY id",
        "SELECT id || ':' || user_id || ':' || application_id || ':' || role_id FROM user_application_memberships ORDER BY id",
        "SELECT id || ':' || user_id || ':' || organization_id || ':' || role_id FROM organization_memberships ORDER BY id",
        "SELECT id || ':' || billing_plan FROM organizations ORDER BY id",
        "SELECT id || ':' || device_name || ':' || application_id FROM devices ORDER BY id",
        "SELECT id || ':' || tag_key || ':' || value FROM device_tags ORDER BY id",
        "SELECT id || ':' || name || ':' || value FROM device_environment_variables ORDER BY id",
        "SELECT id || ':' || name || ':' || value FROM application_environment_variables ORDER BY id",
        "SELECT id || ':' || actor_id FROM api_keys ORDER BY id",
        "SELECT id || ':' || actor_type FROM actors ORDER BY id",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(&app.state.db).await.unwrap();
        out.push(rows.join(","));
    }
    out
}

async fn run(w: &World, token: &str, op: Op, f: &Fixture) -> (StatusCode, Option<usize>) {
    use Op::*;
    let app = &w.app;
    let res = match op {
        ReadApp => {
            let d = rows(app, &format!("/v7/application({})?$select=id", f.app), token).await;
            return (OK, Some(d.len()));
        }
        AddMember => post(app, "/v7/user_application_membership", &json!({"username": "newbie", "is_member_of__application": f.app, "application_membership_role": 3}), token).await,
        ChangeRole => patch(app, &format!("/v7/user_application_membership({})", f.tim_membership), &json!({"application_membership_role": 2}), token).await,
        RemoveMember => delete(app, &format!("/v7/user_application_membership({})", f.tim_membership), token).await,
        DeleteApp => delete(app, &format!("/v7/application({})", f.app), token).await,
        ChangePlan => patch(app, &format!("/v7/organization({})", f.org), &json!({"billing_plan": "free"}), token).await,
        CreateDevice => post(app, "/v7/device", &json!({"belongs_to__application": f.app}), token).await,
        DeleteDevice => delete(app, &format!("/v7/device({})", f.device), token).await,
        RenameDevice => patch(app, &format!("/v7/device({})", f.device), &json!({"device_name": "renamed"}), token).await,
        CreateTag => post(app, "/v7/device_tag", &json!({"device": f.device, "tag_key": "new", "value": "x"}), token).await,
        DeleteTag => delete(app, &format!("/v7/device_tag({})", f.tag), token).await,
        CreateDeviceVar => post(app, "/v7/device_environment_variable", &json!({"device": f.device, "name": "X", "value": "x"}), token).await,
        CreateFleetVar => post(app, "/v7/application_environment_variable", &json!({"application": f.app, "name": "X", "value": "x"}), token).await,
        DeleteFleetVar => delete(app, &format!("/v7/application_environment_variable({})", f.fleet_var), token).await,
        ProvisioningKey => post(app, &format!("/api-key/application/{}/provisioning", f.app), &json!({}), token).await,
        DeviceKey => post(app, &format!("/api-key/device/{}/device-key", f.device), &json!({}), token).await,
    };
    (res.status, None)
}

#[tokio::test]
async fn member_type_matrix() {
    use Op::*;
    let w = World::new().await;
    let ops = [
        ReadApp,
        AddMember,
        ChangeRole,
        RemoveMember,
        DeleteApp,
        ChangePlan,
        CreateDevice,
        DeleteDevice,
        RenameDevice,
        CreateTag,
        DeleteTag,
        CreateDeviceVar,
        CreateFleetVar,
        DeleteFleetVar,
        ProvisioningKey,
        DeviceKey,
    ];
    let mut failures = Vec::new();
    let mut cases = 0;
    for (who, token) in &w.tokens {
        for own in [true, false] {
            for op in ops {
                cases += 1;
                let f = w.fixture(own).await;
                let before = snapshot(&w.app).await;
                let (status, rows) = run(&w, token, op, &f).await;
                let after = snapshot(&w.app).await;
                let got = match (rows, before == after) {
                    (Some(n), _) => Rows(n),
                    (None, true) => Refused(status),
                    (None, false) => Done(status),
                };
                let want = expected(*who, op, own);
                if got != want {
                    failures.push(format!(
                        "{who:?} {op:?} own={own}: want {want:?}, got {got:?}"
                    ));
                }
                // The plan is part of the world: put it back.
                if matches!(op, ChangePlan) && own && *who == Administrator {
                    set_plan(&w.app, &w.alice, w.alice_org, "paid").await;
                }
            }
        }
    }
    assert_eq!(cases, 5 * 2 * ops.len());
    assert!(
        failures.is_empty(),
        "{} of {cases} cases wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// IDOR: ids of another tenant's rows reveal nothing through reads, filters or expansions.
#[tokio::test]
async fn foreign_rows_are_invisible() {
    let w = World::new().await;
    let f = w.fixture(false).await;
    let (_, nora) = &w.tokens[4];
    let (_, dave) = &w.tokens[1];
    for token in [nora, dave, &w.alice] {
        for path in [
            format!("/v7/application({})", f.app),
            format!("/v7/device({})", f.device),
            format!("/v7/device_tag({})", f.tag),
            format!("/v7/application_environment_variable({})", f.fleet_var),
            format!("/v7/user_application_membership({})", f.tim_membership),
            format!("/v7/organization({})", f.org),
            format!(
                "/v7/organization_membership?$filter=is_member_of__organization%20eq%20{}",
                f.org
            ),
            format!(
                "/v7/application?$filter=owns__device/any(d:d/id%20eq%20{})",
                f.device
            ),
            format!(
                "/v7/actor?$filter=is_of__application/any(a:a/id%20eq%20{})",
                f.app
            ),
        ] {
            let d: Vec<Value> = rows(&w.app, &path, token).await;
            assert!(d.is_empty(), "{path}: {d:?}");
        }
    }
}
