//! Sign-up, sign-in, sessions, identity and passwords.
use serde_json::{json, Map, Value};
use wire::paths;
use wire::validate::{
    EMAIL_MAX_CHARS, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, USERNAME_MAX_CHARS, USERNAME_MIN_CHARS,
};

use super::{add, empty, json_body, message, object, path_param, text, Op};

fn string() -> Value {
    json!({ "type": "string" })
}

fn nullable_string() -> Value {
    json!({ "type": "string", "nullable": true })
}

/// What `wire::validate` accepts (the server also refuses common and guessable passwords).
fn new_password() -> Value {
    json!({ "type": "string", "minLength": PASSWORD_MIN_CHARS, "maxLength": PASSWORD_MAX_CHARS })
}

fn email() -> Value {
    json!({ "type": "string", "format": "email", "maxLength": EMAIL_MAX_CHARS })
}

fn token(description: &str) -> Value {
    text(&format!("{description}: the session JWT"))
}

pub fn add_all(paths: &mut Map<String, Value>) {
    add(
        paths,
        paths::OPENAPI,
        "get",
        Op::new("This document")
            .respond(200, json_body("OpenAPI 3.0", json!({ "type": "object" }))),
    );
    let provider = object(
        json!({ "id": string(), "name": string() }),
        &["id", "name"],
        true,
    );
    let config = object(
        json!({
            "providers": { "type": "array", "items": string() },
            "signInProviders": { "type": "array", "items": provider },
            "passwordMinLength": { "type": "integer", "enum": [PASSWORD_MIN_CHARS] },
            "passwordMaxLength": { "type": "integer", "enum": [PASSWORD_MAX_CHARS] },
        }),
        &[
            "providers",
            "signInProviders",
            "passwordMinLength",
            "passwordMaxLength",
        ],
        true,
    );
    add(
        paths,
        paths::CONFIG,
        "get",
        Op::new("What the console needs before sign-in").respond(200, json_body("Config", config)),
    );
    sign_in(paths);
    sessions(paths);
    identity(paths);
    passwords(paths);
}

fn sign_in(paths: &mut Map<String, Value>) {
    let login = object(
        json!({ "username": { "type": "string", "minLength": 1 }, "password": { "type": "string", "minLength": 1 } }),
        &["username", "password"],
        false,
    );
    add(
        paths,
        paths::LOGIN,
        "post",
        Op::new("Password login (partial token when 2FA is on)")
            .body(login)
            .respond(200, token("Signed in"))
            .respond(401, empty("Unknown user or wrong password"))
            .limited()
            .db(),
    );
    let register = object(
        json!({
            "email": email(),
            "password": new_password(),
            "username": {
                "type": "string",
                "pattern": "^[a-z][a-z0-9_]*$",
                "minLength": USERNAME_MIN_CHARS,
                "maxLength": USERNAME_MAX_CHARS,
            },
        }),
        &["email", "password"],
        false,
    );
    add(
        paths,
        paths::REGISTER,
        "post",
        Op::new("Sign up")
            .body(register)
            .respond(201, token("Signed up"))
            .respond(409, message("Email or username taken"))
            .limited()
            .db(),
    );
    let verify = object(
        json!({ "verificationToken": string(), "email": email() }),
        &["verificationToken", "email"],
        false,
    );
    add(
        paths,
        paths::VERIFY_EMAIL,
        "post",
        Op::new("Verify an email address with the mailed token")
            .body(verify)
            .respond(200, token("Verified"))
            .db(),
    );
}

fn sessions(paths: &mut Map<String, Value>) {
    add(
        paths,
        paths::REFRESH_TOKEN,
        "get",
        Op::new("A new token for the caller's session")
            .auth()
            .respond(200, token("Refreshed"))
            .db(),
    );
    add(
        paths,
        paths::REFRESH_TOKEN,
        "post",
        Op::new("A new token; with the password, freshly authenticated")
            .auth()
            .optional_body(object(json!({ "password": string() }), &[], false))
            .respond(200, token("Refreshed"))
            .limited()
            .db(),
    );
    add(
        paths,
        paths::LOGOUT,
        "post",
        Op::new("End the caller's session")
            .auth()
            .respond(200, empty("Logged out"))
            .db(),
    );
    let row = object(
        json!({
            "id": { "type": "integer" },
            "browser": nullable_string(),
            "os": nullable_string(),
            "ip": nullable_string(),
            "created_at": { "type": "string", "format": "date-time" },
            "last_used_at": { "type": "string", "format": "date-time" },
            "current": { "type": "boolean" },
        }),
        &[
            "id",
            "browser",
            "os",
            "ip",
            "created_at",
            "last_used_at",
            "current",
        ],
        true,
    );
    add(
        paths,
        wire::SESSIONS_PATH,
        "get",
        Op::new("The caller's active sessions")
            .auth()
            .respond(
                200,
                json_body("Sessions", json!({ "type": "array", "items": row })),
            )
            .db(),
    );
    add(
        paths,
        wire::SESSION_PATH,
        "delete",
        Op::new("End one of the caller's sessions")
            .auth()
            .params(json!([path_param(
                "id",
                json!({ "type": "integer", "format": "int64" })
            )]))
            .respond(200, empty("Ended"))
            .respond(404, empty("Not one of the caller's sessions"))
            .db(),
    );
    let revoked = object(
        json!({ "revoked": { "type": "integer", "minimum": 0 } }),
        &["revoked"],
        true,
    );
    add(
        paths,
        wire::REVOKE_OTHER_SESSIONS_PATH,
        "post",
        Op::new("End every other session of the caller")
            .auth()
            .respond(200, json_body("How many were ended", revoked))
            .db(),
    );
}

fn identity(paths: &mut Map<String, Value>) {
    let user = object(
        json!({ "id": { "type": "integer" }, "username": string(), "email": nullable_string() }),
        &["id", "username", "email"],
        true,
    );
    add(
        paths,
        paths::USER_WHOAMI,
        "get",
        Op::new("The calling user")
            .auth()
            .respond(200, json_body("User", user))
            .db(),
    );
    let actor = object(
        json!({
            "id": { "type": "integer" },
            "actorType": { "type": "string", "enum": ["user", "application", "device"] },
            "actorTypeId": { "type": "integer" },
            "username": string(),
            "email": nullable_string(),
            "slug": string(),
            "uuid": string(),
        }),
        &["id", "actorType", "actorTypeId"],
        true,
    );
    add(
        paths,
        paths::ACTOR_WHOAMI,
        "get",
        Op::new("The calling actor")
            .auth()
            .respond(200, json_body("Actor", actor))
            .db(),
    );
}

fn passwords(paths: &mut Map<String, Value>) {
    let set = object(
        json!({ "password": new_password(), "currentPassword": string() }),
        &["password"],
        false,
    );
    add(
        paths,
        paths::PASSWORD,
        "post",
        Op::new("Set a first password or change it; ends the other sessions")
            .auth()
            .body(set)
            .respond(200, token("Changed; a new session"))
            .respond(409, message("Changed meanwhile"))
            .limited()
            .db(),
    );
    add(
        paths,
        paths::PASSWORD_RESET,
        "post",
        Op::new("Mail a reset link (the same answer for every address)")
            .body(object(json!({ "email": email() }), &["email"], false))
            .respond(200, empty("Accepted")),
    );
    let confirm = object(
        json!({
            "token": string(),
            "password": new_password(),
            "revokeApiKeys": { "type": "boolean" },
        }),
        &["token", "password"],
        false,
    );
    add(
        paths,
        paths::PASSWORD_RESET_CONFIRM,
        "post",
        Op::new("Set a new password with a reset link; ends every session")
            .body(confirm)
            .respond(200, empty("Password set"))
            .db(),
    );
}
