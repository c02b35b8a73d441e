//! `$filter` to SQL. Values only ever become bound parameters; identifiers only ever come from
//! the resource descriptors. Every hop to another resource (navigation paths, lambdas) is an
//! `EXISTS` subquery that carries the target's permission predicate, so a filter can never
//! observe rows the caller could not read directly.
//!
//! NULL: `not` and `all` treat an unknown comparison as false (`COALESCE(.., FALSE)`), so
//! `not (name eq 'x')` includes rows whose name is null, as OData's two-valued logic says.
use super::ast::{CmpOp, Expr, LambdaKind, Literal, Operand, Path};
use super::resource::{Catalog, Field, FieldType, Params, Principal, Resource, SqlValue};
use super::ODataError;
use crate::clock::parse_iso_ms;

pub struct Translator<'c> {
    catalog: Catalog,
    principal: &'c Principal,
    pub params: Params,
    aliases: usize,
}

/// A table alias and the resource behind it.
#[derive(Clone)]
pub struct Binding {
    pub alias: String,
    pub res: &'static Resource,
}

#[derive(Clone)]
struct Scope {
    root: Binding,
    vars: Vec<(String, Binding)>,
}

/// One to-one hop of a path: joined by an `EXISTS` around the condition.
struct Hop {
    to: Binding,
    join: String,
}

struct Column {
    hops: Vec<Hop>,
    sql: String,
    ty: FieldType,
    name: String,
}

fn fail<T>(msg: impl Into<String>) -> Result<T, ODataError> {
    Err(ODataError(msg.into()))
}

impl<'c> Translator<'c> {
    pub fn new(catalog: Catalog, principal: &'c Principal) -> Self {
        Self {
            catalog,
            principal,
            params: Params::default(),
            aliases: 0,
        }
    }

    pub fn bind(&mut self, res: &'static Resource) -> Binding {
        let alias = format!("t{}", self.aliases);
        self.aliases += 1;
        Binding { alias, res }
    }

    pub fn permission(&mut self, b: &Binding) -> String {
        (b.res.permission)(self.principal, &b.alias, &mut self.params)
    }

    pub fn push(&mut self, v: SqlValue) -> String {
        self.params.push(v)
    }

    /// The SQL of `field` on the rows aliased `alias`: the column, or for a private field the
    /// column only on the caller's own rows and NULL elsewhere.
    pub fn field_sql(&mut self, res: &Resource, alias: &str, field: &Field) -> String {
        match &res.private {
            Some(p) if p.fields.contains(&field.name) => {
                let me = self.params.push(SqlValue::Int(self.principal.user_id));
                format!(
                    "(CASE WHEN {alias}.{} = {me} THEN {alias}.{} END)",
                    p.owner_column, field.column
                )
            }
            _ => format!("{alias}.{}", field.column),
        }
    }

    /// The caller's permission AND the filter, for the rows of `b`.
    pub fn condition(&mut self, b: &Binding, filter: Option<&Expr>) -> Result<String, ODataError> {
        let perm = self.permission(b);
        match filter {
            None => Ok(format!("({perm})")),
            Some(e) => {
                let scope = Scope {
                    root: b.clone(),
                    vars: Vec::new(),
                };
                let f = self
                    .expr(e, &scope)
                    .map_err(|e| ODataError(format!("$filter: {}", e.0)))?;
                Ok(format!("({perm}) AND ({f})"))
            }
        }
    }

    fn expr(&mut self, e: &Expr, scope: &Scope) -> Result<String, ODataError> {
        Ok(match e {
            Expr::And(l, r) => format!("({}) AND ({})", self.expr(l, scope)?, self.expr(r, scope)?),
            Expr::Or(l, r) => format!("({}) OR ({})", self.expr(l, scope)?, self.expr(r, scope)?),
            Expr::Not(e) => format!("NOT COALESCE(({}), FALSE)", self.expr(e, scope)?),
            Expr::Compare(l, op, r) => self.compare(l, *op, r, scope)?,
            Expr::In(path, list) => {
                let col = self.column(path, scope)?;
                let mut placeholders = Vec::new();
                let mut null = false;
                for lit in list {
                    match self.typed(lit, &col)? {
                        Some(v) => placeholders.push(self.push(v)),
                        None => null = true,
                    }
                }
                let mut cond = if placeholders.is_empty() {
                    "FALSE".to_owned()
                } else {
                    format!("{} IN ({})", col.sql, placeholders.join(", "))
                };
                if null {
                    cond = format!("{cond} OR {} IS NULL", col.sql);
                }
                wrap(col.hops, cond, self)?
            }
            Expr::Lambda { path, kind, body } => self.lambda(path, *kind, body.as_ref(), scope)?,
        })
    }

    fn compare(
        &mut self,
        l: &Operand,
        op: CmpOp,
        r: &Operand,
        scope: &Scope,
    ) -> Result<String, ODataError> {
        let (path, lit, op) = match (l, r) {
            (Operand::Path(a), Operand::Path(b)) => return self.compare_paths(a, op, b, scope),
            (Operand::Path(p), Operand::Literal(v)) => (p, v, op),
            (Operand::Literal(v), Operand::Path(p)) => (p, v, flip(op)),
            (Operand::Literal(_), Operand::Literal(_)) => {
                return fail("a comparison needs a field on one side")
            }
        };
        let col = self.column(path, scope)?;
        let cond = match (self.typed(lit, &col)?, op) {
            (None, CmpOp::Eq) => format!("{} IS NULL", col.sql),
            (None, CmpOp::Ne) => format!("{} IS NOT NULL", col.sql),
            // Ordering against null is never true in OData.
            (None, _) => "FALSE".to_owned(),
            (Some(v), CmpOp::Ne) => {
                let p = self.push(v);
                format!("({c} <> {p} OR {c} IS NULL)", c = col.sql)
            }
            (Some(v), op) => format!("{} {} {}", col.sql, sql_op(op), self.push(v)),
        };
        wrap(col.hops, cond, self)
    }

    fn compare_paths(
        &mut self,
        a: &Path,
        op: CmpOp,
        b: &Path,
        scope: &Scope,
    ) -> Result<String, ODataError> {
        let ca = self.column(a, scope)?;
        let cb = self.column(b, scope)?;
        if !ca.hops.is_empty() && !cb.hops.is_empty() {
            return fail("comparing two navigation paths is not supported");
        }
        if std::mem::discriminant(&ca.ty) != std::mem::discriminant(&cb.ty) {
            return fail(format!(
                "'{}' and '{}' have different types",
                ca.name, cb.name
            ));
        }
        let cond = match op {
            CmpOp::Eq => format!("{} IS NOT DISTINCT FROM {}", ca.sql, cb.sql),
            CmpOp::Ne => format!("{} IS DISTINCT FROM {}", ca.sql, cb.sql),
            op => format!("{} {} {}", ca.sql, sql_op(op), cb.sql),
        };
        let hops = if ca.hops.is_empty() { cb.hops } else { ca.hops };
        wrap(hops, cond, self)
    }

    fn lambda(
        &mut self,
        path: &Path,
        kind: LambdaKind,
        body: Option<&(String, Box<Expr>)>,
        scope: &Scope,
    ) -> Result<String, ODataError> {
        let (from, segments) = start(path, scope)?;
        let (last, via) = segments.split_last().expect("paths are never empty");
        let (hops, from) = self.walk(from, via)?;
        // pine also accepts a lambda over a to-one reference (`user/any(u:u/username eq 'x')`
        // on a membership): the same EXISTS, joined the other way round.
        let (target, join) = match (from.res.to_many(last), from.res.field(last)) {
            (Some(nav), _) => (nav.target, (nav.remote_column, from.res.key)),
            (None, Some(f)) => match f.ty {
                FieldType::Ref(target) => (target, ("", f.column)),
                _ => return fail(format!("'{last}' is not a navigation")),
            },
            (None, None) => {
                return fail(format!(
                    "'{last}' is not a to-many navigation of '{}'",
                    from.res.name
                ))
            }
        };
        let target = self.resolve(target)?;
        let to = self.bind(target);
        let perm = self.permission(&to);
        let remote = if join.0.is_empty() {
            target.key
        } else {
            join.0
        };
        let head = format!(
            "SELECT 1 FROM {} {a} WHERE {a}.{} = {}.{} AND ({perm})",
            target.table,
            remote,
            from.alias,
            join.1,
            a = to.alias,
        );
        let inner = match (kind, body) {
            (LambdaKind::Any, None) => format!("EXISTS ({head})"),
            (LambdaKind::All, None) => return fail("all() needs a condition"),
            (kind, Some((var, e))) => {
                let mut inner_scope = scope.clone();
                inner_scope.vars.push((var.clone(), to.clone()));
                let cond = self.expr(e, &inner_scope)?;
                match kind {
                    LambdaKind::Any => format!("EXISTS ({head} AND ({cond}))"),
                    LambdaKind::All => {
                        format!("NOT EXISTS ({head} AND NOT COALESCE(({cond}), FALSE))")
                    }
                }
            }
        };
        wrap(hops, inner, self)
    }

    /// A path that ends at a field, through to-one navigations only.
    fn column(&mut self, path: &Path, scope: &Scope) -> Result<Column, ODataError> {
        let (from, segments) = start(path, scope)?;
        let (last, via) = segments.split_last().expect("paths are never empty");
        let (hops, at) = self.walk(from, via)?;
        let Some(field) = at.res.field(last) else {
            if at.res.to_many(last).is_some() {
                return fail(format!(
                    "'{last}' is a to-many navigation: use {last}/any(...)"
                ));
            }
            return fail(format!("Unknown field '{last}' of '{}'", at.res.name));
        };
        let sql = self.field_sql(at.res, &at.alias, field);
        Ok(Column {
            hops,
            sql,
            ty: field.ty,
            name: last.clone(),
        })
    }

    fn walk(&mut self, mut at: Binding, via: &[String]) -> Result<(Vec<Hop>, Binding), ODataError> {
        let mut hops = Vec::new();
        for seg in via {
            let field = match at.res.field(seg) {
                Some(f) => f,
                None if at.res.to_many(seg).is_some() => {
                    return fail(format!(
                        "'{seg}' is a to-many navigation: use {seg}/any(...)"
                    ))
                }
                None => return fail(format!("Unknown navigation '{seg}' of '{}'", at.res.name)),
            };
            let FieldType::Ref(target) = field.ty else {
                return fail(format!("'{seg}' is not a navigation"));
            };
            let target = self.resolve(target)?;
            let to = self.bind(target);
            let join = format!(
                "{}.{} = {}.{}",
                to.alias, target.key, at.alias, field.column
            );
            hops.push(Hop {
                to: to.clone(),
                join,
            });
            at = to;
        }
        Ok((hops, at))
    }

    fn resolve(&self, name: &str) -> Result<&'static Resource, ODataError> {
        self.catalog
            .get(name)
            .ok_or_else(|| ODataError(format!("'{name}' cannot be navigated")))
    }

    /// The literal as a value of the column's type; `None` for null.
    fn typed(&mut self, lit: &Literal, col: &Column) -> Result<Option<SqlValue>, ODataError> {
        Ok(Some(match (lit, col.ty) {
            (Literal::Null, _) => return Ok(None),
            (Literal::Int(n), FieldType::Int | FieldType::Ref(_)) => SqlValue::Int(*n),
            (Literal::Str(s), FieldType::Text) => SqlValue::Text(s.clone()),
            (Literal::Bool(b), FieldType::Bool) => SqlValue::Bool(*b),
            (Literal::Str(s) | Literal::DateTime(s), FieldType::Date) => match parse_iso_ms(s) {
                Some(ms) => SqlValue::Int(ms),
                None => return fail(format!("Invalid date {s:?} for '{}'", col.name)),
            },
            (lit, _) => {
                return fail(format!(
                    "'{}' cannot be compared with {lit}: wrong type",
                    col.name
                ))
            }
        }))
    }
}

/// Where a path starts: a lambda variable, or the resource being filtered.
fn start<'p>(path: &'p Path, scope: &Scope) -> Result<(Binding, &'p [String]), ODataError> {
    let segments = &path.0;
    if let Some((_, b)) = scope.vars.iter().rev().find(|(v, _)| *v == segments[0]) {
        if segments.len() == 1 {
            return fail(format!("'{}' must be followed by a field", segments[0]));
        }
        return Ok((b.clone(), &segments[1..]));
    }
    Ok((scope.root.clone(), segments))
}

/// Puts `cond` inside one `EXISTS` per hop, innermost last, each with its permission.
fn wrap(hops: Vec<Hop>, cond: String, t: &mut Translator<'_>) -> Result<String, ODataError> {
    let mut out = cond;
    for hop in hops.into_iter().rev() {
        let perm = t.permission(&hop.to);
        out = format!(
            "EXISTS (SELECT 1 FROM {} {} WHERE {} AND ({perm}) AND ({out}))",
            hop.to.res.table, hop.to.alias, hop.join
        );
    }
    Ok(out)
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        op => op,
    }
}

fn sql_op(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
    }
}
