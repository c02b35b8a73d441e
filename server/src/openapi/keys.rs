//! API keys, the second factor and social sign-in.
use serde_json::{json, Map, Value};
use wire::paths;
use wire::validate::{API_KEY_DESCRIPTION_MAX_CHARS, API_KEY_NAME_MAX_CHARS};

use super::{add, empty, json_body, message, object, path_param, query_param, text, Op};

fn string() -> Value {
    json!({ "type": "string" })
}

fn key_fields() -> Value {
    json!({
        "name": { "type": "string", "minLength": 1, "maxLength": API_KEY_NAME_MAX_CHARS },
        "description": { "type": "string", "maxLength": API_KEY_DESCRIPTION_MAX_CHARS },
        "expiryDate": { "type": "string", "nullable": true, "description": "ISO 8601" },
    })
}

fn new_key() -> Value {
    json_body(
        "The new key, shown once",
        json!({ "type": "string", "minLength": 1 }),
    )
}

pub fn add_all(paths: &mut Map<String, Value>) {
    api_keys(paths);
    two_factor(paths);
    social(paths);
}

fn api_keys(paths: &mut Map<String, Value>) {
    add(
        paths,
        paths::USER_API_KEY,
        "post",
        Op::new("A named API key for the caller (fresh authentication)")
            .auth()
            .body(object(key_fields(), &["name"], false))
            // balena's schema failures are empty 400s, its rule failures JSON strings.
            .respond(
                400,
                empty("Missing or invalid name, description or expiry date"),
            )
            .respond(200, new_key())
            .db(),
    );
    for (path, summary) in [
        (
            paths::PROVISIONING_KEY,
            "A provisioning key for an application",
        ),
        (paths::DEVICE_KEY, "A key for a device"),
    ] {
        add(
            paths,
            path,
            "post",
            Op::new(summary)
                .auth()
                .params(json!([path_param(
                    "id",
                    json!({ "type": "integer", "format": "int64" })
                )]))
                .optional_body(object(key_fields(), &[], true))
                .respond(200, new_key())
                .respond(
                    401,
                    empty("No valid session, or not an administrator or developer"),
                )
                .respond(404, empty("The id is not a number"))
                .db(),
        );
    }
}

fn two_factor(paths: &mut Map<String, Value>) {
    let conflict = || message("Two-factor authentication is (not) enabled or set up");
    add(
        paths,
        paths::TOTP_SETUP,
        "get",
        Op::new("Start setup: a new secret as an otpauth:// URI (fresh authentication)")
            .auth()
            .respond(200, text("The otpauth:// URI"))
            .respond(409, conflict())
            .db(),
    );
    add(
        paths,
        paths::TOTP_VERIFY,
        "post",
        Op::new("Pass the login challenge, or enable 2FA after setup")
            .auth()
            .body(object(json!({ "code": string() }), &["code"], false))
            .respond(200, text("A new session JWT"))
            .respond(401, empty("No valid token, or a wrong code"))
            .respond(409, conflict())
            .limited()
            .db(),
    );
    add(
        paths,
        paths::TOTP_DISABLE,
        "post",
        Op::new("Turn 2FA off with the password")
            .auth()
            .body(object(
                json!({ "password": string() }),
                &["password"],
                false,
            ))
            .respond(200, text("A new session JWT"))
            .respond(409, conflict())
            .limited()
            .db(),
    );
    let remaining = object(
        json!({ "remaining": { "type": "integer", "minimum": 0 } }),
        &["remaining"],
        true,
    );
    add(
        paths,
        paths::TOTP_RECOVERY_CODES,
        "get",
        Op::new("How many recovery codes are left")
            .auth()
            .respond(200, json_body("Remaining", remaining))
            .respond(409, conflict())
            .db(),
    );
    let codes = object(
        json!({ "codes": { "type": "array", "items": string() } }),
        &["codes"],
        true,
    );
    add(
        paths,
        paths::TOTP_RECOVERY_CODES,
        "post",
        Op::new("New recovery codes (fresh authentication)")
            .auth()
            .respond(200, json_body("The new codes, shown once", codes))
            .respond(409, conflict())
            .db(),
    );
}

fn social(paths: &mut Map<String, Value>) {
    let provider = path_param("provider", string());
    let redirect = || {
        json!({
            "description": "To the provider, or back to the console with a token or an error",
            "headers": { "Location": { "required": true, "schema": { "type": "string" } } },
        })
    };
    add(
        paths,
        paths::OAUTH_AUTHORIZE,
        "get",
        Op::new("Start social sign-in")
            .params(json!([
                provider,
                query_param(wire::social::NONCE_PARAM, "The console's nonce", string()),
            ]))
            .respond(302, redirect())
            .respond(404, empty("No such provider"))
            .db(),
    );
    let callback_params =
        ["code", "state", "error"].map(|name| query_param(name, "From the provider", string()));
    let mut params = vec![provider];
    params.extend(callback_params);
    add(
        paths,
        paths::OAUTH_CALLBACK,
        "get",
        Op::new("Finish social sign-in")
            .params(json!(params))
            .respond(302, redirect())
            .respond(404, empty("No such provider"))
            .db(),
    );
}
