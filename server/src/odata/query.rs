//! Runs a parsed request: one SELECT for the resource, then one per `$expand` level (batched
//! `IN` lists over the parents' keys), so the number of statements depends on the query's
//! shape, never on the number of rows.
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use serde_json::{json, Map, Value};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::ast::{Expr, Options};
use super::resource::{Catalog, Field, FieldType, Principal, Resource, SqlValue};
use super::sql::{Binding, Translator};
use super::ODataError;
use crate::clock::iso_millis;
use crate::db::Db;
use crate::error::AppError;

/// Parent keys per `IN (...)` list; far below SQLite's and PostgreSQL's parameter limits.
const IN_CHUNK: usize = 500;

pub struct Ctx<'a> {
    pub db: &'a Db,
    pub catalog: Catalog,
    pub principal: Principal,
}

/// Restricts the rows of one SELECT beyond permission and `$filter`.
enum Restrict {
    None,
    Key(i64),
    /// `column IN (values)`: the children of a set of parents.
    In(&'static str, Vec<i64>),
}

struct RawRow {
    key: i64,
    /// One value per field of the resource, in declaration order.
    values: Vec<Value>,
    /// The parent key, for rows fetched as children of a to-many expansion.
    group: Option<i64>,
    expanded: Vec<(String, Value)>,
}

type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// `GET /v7/<resource>[(<key>)]`: the visible rows as JSON objects.
pub async fn read(
    ctx: &Ctx<'_>,
    res: &'static Resource,
    key: Option<i64>,
    options: &Options,
) -> Result<Vec<Value>, AppError> {
    let restrict = key.map_or(Restrict::None, Restrict::Key);
    let rows = fetch(ctx, res, restrict, options, true).await?;
    rows.into_iter().map(|r| project(res, options, r)).collect()
}

/// `GET /v7/<resource>/$count`: how many visible rows match (`$top`/`$skip` do not apply).
pub async fn count(
    ctx: &Ctx<'_>,
    res: &'static Resource,
    key: Option<i64>,
    filter: Option<&Expr>,
) -> Result<i64, AppError> {
    let mut t = Translator::new(ctx.catalog, &ctx.principal);
    let b = t.bind(res);
    let mut cond = t.condition(&b, filter)?;
    if let Some(k) = key {
        cond = format!(
            "{cond} AND {}.{} = {}",
            b.alias,
            res.key,
            t.push(SqlValue::Int(k))
        );
    }
    let sql = format!(
        "SELECT COUNT(*) FROM {} {} WHERE {cond}",
        res.table, b.alias
    );
    let row = statement(sql, t.params.0).fetch_one(ctx.db).await?;
    Ok(row.try_get(0)?)
}

/// `SELECT <key> FROM <table> WHERE permission AND filter [AND key = k]`, for writes:
/// `UPDATE/DELETE ... WHERE id IN (<this>)` touches exactly what the caller could read.
pub fn visible_keys(
    t: &mut Translator<'_>,
    res: &'static Resource,
    key: Option<i64>,
    filter: Option<&Expr>,
) -> Result<String, ODataError> {
    let b = t.bind(res);
    let mut cond = t.condition(&b, filter)?;
    if let Some(k) = key {
        cond = format!(
            "{cond} AND {}.{} = {}",
            b.alias,
            res.key,
            t.push(SqlValue::Int(k))
        );
    }
    Ok(format!(
        "SELECT {a}.{} FROM {} {a} WHERE {cond}",
        res.key,
        res.table,
        a = b.alias
    ))
}

/// A statement built by the translator, with its parameters bound in order.
pub fn statement(
    sql: String,
    params: Vec<SqlValue>,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    // Safe to assert: the text holds only identifiers from the resource descriptors, fixed
    // keywords and `$n` placeholders; every value from the request is in `params`.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for p in params {
        q = match p {
            SqlValue::Int(i) => q.bind(i),
            SqlValue::Text(s) => q.bind(s),
            SqlValue::Bool(b) => q.bind(b),
            SqlValue::Null => q.bind(None::<i64>),
        };
    }
    q
}

fn validate(res: &'static Resource, options: &Options) -> Result<(), ODataError> {
    for name in options.select.iter().flatten() {
        if res.field(name).is_none() {
            return Err(ODataError(format!(
                "$select: Unknown field '{name}' of '{}'",
                res.name
            )));
        }
    }
    for o in &options.orderby {
        if res.field(&o.field).is_none() {
            return Err(ODataError(format!(
                "$orderby: Unknown field '{}' of '{}'",
                o.field, res.name
            )));
        }
    }
    Ok(())
}

fn fetch<'a>(
    ctx: &'a Ctx<'a>,
    res: &'static Resource,
    restrict: Restrict,
    options: &'a Options,
    page: bool,
) -> BoxFut<'a, Result<Vec<RawRow>, AppError>> {
    Box::pin(async move {
        validate(res, options)?;
        let mut t = Translator::new(ctx.catalog, &ctx.principal);
        let b = t.bind(res);
        let mut cond = t.condition(&b, options.filter.as_ref())?;
        let mut group_col = None;
        match &restrict {
            Restrict::None => {}
            Restrict::Key(k) => {
                cond = format!(
                    "{cond} AND {}.{} = {}",
                    b.alias,
                    res.key,
                    t.push(SqlValue::Int(*k))
                );
            }
            Restrict::In(col, values) => {
                let list: Vec<String> = values.iter().map(|v| t.push(SqlValue::Int(*v))).collect();
                cond = format!("{cond} AND {}.{col} IN ({})", b.alias, list.join(", "));
                group_col = Some(*col);
            }
        }
        let sql = select_sql(&mut t, &b, &cond, group_col, options, page);
        let rows = statement(sql, t.params.0).fetch_all(ctx.db).await?;
        let mut rows: Vec<RawRow> = rows
            .iter()
            .map(|r| decode(res, r, group_col.is_some()))
            .collect::<Result<_, _>>()?;
        for item in &options.expand {
            expand(ctx, res, &mut rows, &item.nav, &item.options).await?;
        }
        Ok(rows)
    })
}

fn select_sql(
    t: &mut Translator<'_>,
    b: &Binding,
    cond: &str,
    group_col: Option<&str>,
    options: &Options,
    page: bool,
) -> String {
    let a = &b.alias;
    let mut cols = vec![format!("{a}.{}", b.res.key)];
    for f in b.res.fields {
        cols.push(t.field_sql(b.res, a, f));
    }
    if let Some(g) = group_col {
        cols.push(format!("{a}.{g}"));
    }
    // Explicit NULLS placement: PostgreSQL's default, so both databases order alike. The key
    // breaks ties, so paging with $skip is stable.
    let mut order: Vec<String> = Vec::new();
    for o in &options.orderby {
        let Some(f) = b.res.field(&o.field) else {
            continue;
        };
        let dir = if o.descending {
            "DESC NULLS FIRST"
        } else {
            "ASC NULLS LAST"
        };
        order.push(format!("{} {dir}", t.field_sql(b.res, a, f)));
    }
    order.push(format!("{a}.{} ASC", b.res.key));
    let mut sql = format!(
        "SELECT {} FROM {} {a} WHERE {cond} ORDER BY {}",
        cols.join(", "),
        b.res.table,
        order.join(", ")
    );
    if page && (options.top.is_some() || options.skip.is_some()) {
        let limit = t.push(SqlValue::Int(options.top.unwrap_or(i64::MAX)));
        let offset = t.push(SqlValue::Int(options.skip.unwrap_or(0)));
        sql.push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
    }
    sql
}

fn decode(res: &'static Resource, row: &AnyRow, grouped: bool) -> Result<RawRow, AppError> {
    let key: i64 = row.try_get(0)?;
    let mut values = Vec::with_capacity(res.fields.len());
    for (i, f) in res.fields.iter().enumerate() {
        values.push(decode_field(f, row, i + 1)?);
    }
    let group = if grouped {
        row.try_get::<Option<i64>, _>(res.fields.len() + 1)?
    } else {
        None
    };
    Ok(RawRow {
        key,
        values,
        group,
        expanded: Vec::new(),
    })
}

fn decode_field(f: &Field, row: &AnyRow, i: usize) -> Result<Value, sqlx::Error> {
    Ok(match f.ty {
        FieldType::Int => json!(row.try_get::<Option<i64>, _>(i)?),
        FieldType::Text => json!(row.try_get::<Option<String>, _>(i)?),
        FieldType::Bool => json!(crate::db::get_bool(row, i)?),
        FieldType::Date => json!(row.try_get::<Option<i64>, _>(i)?.map(iso_millis)),
        FieldType::Ref(_) => json!(row
            .try_get::<Option<i64>, _>(i)?
            .map(|id| json!({"__id": id}))),
    })
}

async fn expand(
    ctx: &Ctx<'_>,
    res: &'static Resource,
    parents: &mut [RawRow],
    nav: &str,
    options: &Options,
) -> Result<(), AppError> {
    let unknown = || {
        ODataError(format!(
            "$expand: Unknown navigation '{nav}' of '{}'",
            res.name
        ))
    };
    if let Some((i, field)) = res.fields.iter().enumerate().find(|(_, f)| f.name == nav) {
        let FieldType::Ref(target) = field.ty else {
            return Err(unknown().into());
        };
        let target = ctx.catalog.get(target).ok_or_else(unknown)?;
        let mut ids: Vec<i64> = parents
            .iter()
            .filter_map(|p| p.values[i]["__id"].as_i64())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut by_key = HashMap::new();
        for chunk in ids.chunks(IN_CHUNK) {
            let rows = fetch(
                ctx,
                target,
                Restrict::In(target.key, chunk.to_vec()),
                options,
                false,
            )
            .await?;
            for r in rows {
                by_key.insert(r.key, project(target, options, r)?);
            }
        }
        for p in parents {
            let child = p.values[i]["__id"].as_i64().and_then(|id| by_key.get(&id));
            p.expanded.push((
                nav.to_owned(),
                Value::Array(child.cloned().into_iter().collect()),
            ));
        }
        return Ok(());
    }
    let many = res.to_many(nav).ok_or_else(unknown)?;
    let target = ctx.catalog.get(many.target).ok_or_else(unknown)?;
    let keys: Vec<i64> = parents.iter().map(|p| p.key).collect();
    let mut groups: HashMap<i64, Vec<Value>> = HashMap::new();
    for chunk in keys.chunks(IN_CHUNK) {
        let rows = fetch(
            ctx,
            target,
            Restrict::In(many.remote_column, chunk.to_vec()),
            options,
            false,
        )
        .await?;
        for r in rows {
            let g = r.group.unwrap_or_default();
            groups
                .entry(g)
                .or_default()
                .push(project(target, options, r)?);
        }
    }
    // $skip/$top apply per parent, after the (database) ordering.
    let skip = usize::try_from(options.skip.unwrap_or(0)).unwrap_or(usize::MAX);
    let top = usize::try_from(options.top.unwrap_or(i64::MAX)).unwrap_or(usize::MAX);
    for p in parents {
        let children = groups.remove(&p.key).unwrap_or_default();
        let page: Vec<Value> = children.into_iter().skip(skip).take(top).collect();
        p.expanded.push((nav.to_owned(), Value::Array(page)));
    }
    Ok(())
}

/// The selected fields (all without `$select`) in declaration order, expansions replacing the
/// foreign key they expand.
fn project(res: &'static Resource, options: &Options, row: RawRow) -> Result<Value, AppError> {
    let mut out = Map::new();
    for (f, v) in res.fields.iter().zip(row.values) {
        let selected = options
            .select
            .as_ref()
            .is_none_or(|s| s.iter().any(|n| n == f.name));
        if selected {
            out.insert(f.name.to_owned(), v);
        }
    }
    for (nav, v) in row.expanded {
        out.insert(nav, v);
    }
    Ok(Value::Object(out))
}
