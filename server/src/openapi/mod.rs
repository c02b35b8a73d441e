//! The OpenAPI 3.0 document of every route the server answers, served at `GET /openapi.json`
//! and checked against the running server by `scripts/contract-check`. Error answers are
//! balena's: a JSON string for client mistakes, empty bodies for 401, 404 and 503 (a 401 that
//! asks for fresh authentication carries a JSON string too; a 401 is documented without a
//! body, since OpenAPI cannot say "empty or JSON").
mod account;
mod keys;
mod odata;

use serde_json::{json, Map, Value};

pub fn document() -> Value {
    let mut paths = Map::new();
    account::add_all(&mut paths);
    keys::add_all(&mut paths);
    odata::add_all(&mut paths);
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Account Console API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "balena's account, session, API key and /v7 OData endpoints as this \
                server answers them, plus our own (config, sessions, password, 2FA recovery \
                codes, social sign-in).",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A session JWT from /login_, or an API key where accepted.",
                },
            },
            "schemas": odata::resource_schemas(),
        },
    })
}

/// One operation, built up response by response.
pub struct Op(Map<String, Value>);

impl Op {
    pub fn new(summary: &str) -> Self {
        let mut op = Map::new();
        op.insert("summary".into(), summary.into());
        op.insert("security".into(), json!([]));
        op.insert("responses".into(), json!({}));
        Self(op)
    }

    /// Needs a bearer token: 401 (empty) without a valid one.
    pub fn auth(mut self) -> Self {
        self.0.insert("security".into(), json!([{ "bearer": [] }]));
        self.respond(
            401,
            empty("No valid token, or fresh authentication required"),
        )
    }

    /// A JSON object body: 400 for bad JSON or fields, 413 when too large, 415 when not JSON.
    pub fn body(self, schema: Value) -> Self {
        self.request_body(true, schema)
    }

    /// A JSON object body that may also be left out (empty).
    pub fn optional_body(self, schema: Value) -> Self {
        self.request_body(false, schema)
    }

    fn request_body(mut self, required: bool, schema: Value) -> Self {
        self.0.insert(
            "requestBody".into(),
            json!({ "required": required, "content": { "application/json": { "schema": schema } } }),
        );
        self.respond(400, message("Malformed body or invalid field"))
            .respond(413, message("Request body too large"))
            .respond(415, message("Content-Type must be application/json"))
    }

    pub fn params(mut self, params: Value) -> Self {
        self.0.insert("parameters".into(), params);
        self
    }

    /// Reads or writes the database: 503 with `Retry-After` while it is unavailable.
    pub fn db(self) -> Self {
        self.respond(
            503,
            json!({ "description": "Database unavailable; retry later", "headers": retry_after() }),
        )
    }

    /// Rate limited: 429 with `Retry-After`.
    pub fn limited(self) -> Self {
        let mut res = message("Too Many Requests");
        res["headers"] = retry_after();
        self.respond(429, res)
    }

    pub fn respond(mut self, status: u16, response: Value) -> Self {
        self.0["responses"][status.to_string()] = response;
        self
    }

    pub fn build(self) -> Value {
        Value::Object(self.0)
    }
}

/// Adds `op` under `method` of `path`.
pub fn add(paths: &mut Map<String, Value>, path: &str, method: &str, op: Op) {
    let item = paths.entry(path).or_insert_with(|| json!({}));
    item[method] = op.build();
}

pub fn empty(description: &str) -> Value {
    json!({ "description": description })
}

/// A JSON body described by `schema`.
pub fn json_body(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

/// balena's error shape: a JSON string for people to read.
pub fn message(description: &str) -> Value {
    json_body(description, json!({ "type": "string" }))
}

/// A bare `text/plain` body: a session token, or an `otpauth://` URI.
pub fn text(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "text/plain": { "schema": { "type": "string", "minLength": 1 } } },
    })
}

fn retry_after() -> Value {
    json!({
        "Retry-After": {
            "description": "Seconds",
            "required": true,
            "schema": { "type": "integer", "minimum": 1 },
        },
    })
}

/// A path segment parameter.
pub fn path_param(name: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": schema })
}

pub fn query_param(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "description": description, "schema": schema })
}

/// An object with these properties (each a schema) and the `required` ones; no others when
/// `closed` (what the server sends, and request bodies it checks for unknown fields).
pub fn object(properties: Value, required: &[&str], closed: bool) -> Value {
    let mut schema = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    if closed {
        schema["additionalProperties"] = false.into();
    }
    schema
}
