//! `/v7`: balena's OData resources, one row schema per resource built from the catalog the
//! engine serves, so the document cannot drift from the columns.
use serde_json::{json, Map, Value};
use wire::paths;

use super::{add, empty, json_body, message, path_param, query_param, Op};
use crate::odata::resource::{FieldType, Resource};
use crate::odata::resources::V7;

/// Every column is null where the caller may not see it.
fn field_schema(ty: FieldType) -> Value {
    match ty {
        FieldType::Int => json!({ "type": "integer", "nullable": true }),
        FieldType::Text => json!({ "type": "string", "nullable": true }),
        FieldType::Date => json!({ "type": "string", "format": "date-time", "nullable": true }),
        FieldType::Bool => json!({ "type": "boolean", "nullable": true }),
        // `{"__id": n}`, or the referenced rows when expanded.
        FieldType::Ref(_) => json!({ "oneOf": [
            {
                "type": "object",
                "nullable": true,
                "properties": { "__id": { "type": "integer" } },
                "required": ["__id"],
                "additionalProperties": false,
            },
            { "type": "array", "items": { "type": "object" } },
        ] }),
    }
}

/// A row: every column may be left out by `$select`; to-many navigations appear only when
/// expanded.
fn row_schema(res: &Resource) -> Value {
    let mut properties = Map::new();
    for f in res.fields {
        properties.insert(f.name.into(), field_schema(f.ty));
    }
    for nav in res.to_many {
        properties.insert(
            nav.name.into(),
            json!({ "type": "array", "items": { "type": "object" } }),
        );
    }
    json!({ "type": "object", "properties": properties, "additionalProperties": false })
}

pub fn resource_schemas() -> Value {
    let schemas: Map<String, Value> =
        V7.0.iter()
            .map(|res| (res.name.to_owned(), row_schema(res)))
            .collect();
    Value::Object(schemas)
}

fn any_row() -> Value {
    let refs: Vec<Value> =
        V7.0.iter()
            .map(|res| json!({ "$ref": format!("#/components/schemas/{}", res.name) }))
            .collect();
    json!({ "anyOf": refs })
}

fn resource_param() -> Value {
    let names: Vec<&str> = V7.0.iter().map(|res| res.name).collect();
    let mut param = path_param("resource", json!({ "type": "string", "enum": names }));
    param["description"] =
        "A resource name, optionally with a key: `user(5)`, `api_key(name='x')`".into();
    param
}

fn options(names: &[&str]) -> Vec<Value> {
    let text = json!({ "type": "string" });
    let count = json!({ "type": "integer", "minimum": 0 });
    names
        .iter()
        .map(|name| match *name {
            "$top" | "$skip" => query_param(name, "A row count", count.clone()),
            _ => query_param(name, "OData system query option", text.clone()),
        })
        .collect()
}

/// The resource segment, the `extra` path segments, then the query options.
fn params(extra: &[Value], query: &[&str]) -> Value {
    let mut params = vec![resource_param()];
    params.extend_from_slice(extra);
    params.extend(options(query));
    json!(params)
}

const READ_OPTIONS: [&str; 6] = ["$filter", "$select", "$expand", "$orderby", "$top", "$skip"];

fn op(summary: &str, params: Value) -> Op {
    Op::new(summary)
        .auth()
        .params(params)
        .respond(400, message("Malformed key or query option"))
        .respond(401, empty("No valid token, or not allowed to write this"))
        .respond(404, empty("No such resource"))
        .db()
}

pub fn add_all(paths: &mut Map<String, Value>) {
    let list = json!({
        "type": "object",
        "properties": { "d": { "type": "array", "items": any_row() } },
        "required": ["d"],
        "additionalProperties": false,
    });
    add(
        paths,
        paths::ODATA_RESOURCE,
        "get",
        op("Rows the caller may see", params(&[], &READ_OPTIONS))
            .respond(200, json_body("Rows", list)),
    );
    let created = json!({
        "description": "The new row, or `{\"id\": n}` with `?returnResource=false`",
        "headers": { "Location": { "required": true, "schema": { "type": "string" } } },
        "content": { "application/json": { "schema": any_row() } },
    });
    add(
        paths,
        paths::ODATA_RESOURCE,
        "post",
        op("Create a row", params(&[], &[]))
            .body(json!({ "type": "object" }))
            .respond(201, created)
            .respond(409, message("Already exists"))
            .limited(),
    );
    add(
        paths,
        paths::ODATA_RESOURCE,
        "patch",
        op(
            "Change the keyed or filtered rows",
            params(&[], &["$filter"]),
        )
        .body(json!({ "type": "object" }))
        .respond(200, empty("Changed"))
        .respond(409, message("Conflicts with another row"))
        .limited(),
    );
    add(
        paths,
        paths::ODATA_RESOURCE,
        "delete",
        op(
            "Delete the keyed or filtered rows",
            params(&[], &["$filter"]),
        )
        .respond(200, empty("Deleted"))
        .respond(409, message("Cannot be deleted now")),
    );
    let sub = path_param("sub", json!({ "type": "string", "enum": ["$count"] }));
    let count = op("How many rows match", params(&[sub], &["$filter"]));
    add(
        paths,
        paths::ODATA_SUB,
        "get",
        count.respond(
            200,
            json_body(
                "The count",
                json!({
                    "type": "object",
                    "properties": { "d": { "type": "integer", "minimum": 0 } },
                    "required": ["d"],
                    "additionalProperties": false,
                }),
            ),
        ),
    );
}
