//! A small typed builder for the OData requests the console sends (`/v7/<resource>?$select=…`),
//! so no request is a hand-encoded string: literals are quoted and percent-encoded in one
//! place, options are joined with `&` at the top and `;` inside an `$expand`.
use std::fmt::Write;

/// A `$filter` expression. Literals are encoded when the filter is built; spaces are encoded
/// when the whole request is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter(String);

/// The right-hand side of a comparison.
pub enum Literal<'a> {
    Int(i64),
    Text(&'a str),
    Null,
}

impl From<i64> for Literal<'_> {
    fn from(n: i64) -> Self {
        Literal::Int(n)
    }
}

impl<'a> From<&'a str> for Literal<'a> {
    fn from(s: &'a str) -> Self {
        Literal::Text(s)
    }
}

impl Literal<'_> {
    fn render(&self) -> String {
        match self {
            Literal::Int(n) => n.to_string(),
            Literal::Text(s) => string_literal(s),
            Literal::Null => "null".to_string(),
        }
    }
}

impl Filter {
    /// `path eq value`; `path` may cross navigations (`organization_membership_role/name`).
    pub fn eq<'a>(path: &str, value: impl Into<Literal<'a>>) -> Filter {
        Filter(format!("{path} eq {}", value.into().render()))
    }

    pub fn ne<'a>(path: &str, value: impl Into<Literal<'a>>) -> Filter {
        Filter(format!("{path} ne {}", value.into().render()))
    }

    /// `path in (1,2,3)`.
    pub fn is_in(path: &str, ids: &[i64]) -> Filter {
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        Filter(format!("{path} in ({list})"))
    }

    /// `nav/any(var:<inner>)`, where `inner` names its fields through `var/`.
    pub fn any(nav: &str, var: &str, inner: Filter) -> Filter {
        Filter(format!("{nav}/any({var}:{})", inner.0))
    }

    pub fn and(self, other: Filter) -> Filter {
        Filter(format!("{} and {}", self.0, other.0))
    }
}

/// The options of a request or of one `$expand`ed navigation, in the order they were given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options(Vec<(&'static str, String)>);

impl Options {
    pub fn select(mut self, fields: &[&str]) -> Self {
        self.0.push(("$select", fields.join(",")));
        self
    }

    pub fn filter(mut self, filter: Filter) -> Self {
        self.0.push(("$filter", filter.0));
        self
    }

    /// `$orderby=<field> asc`.
    pub fn order_by(mut self, field: &str) -> Self {
        self.0.push(("$orderby", format!("{field} asc")));
        self
    }

    /// Adds `nav` (with its own options) to this level's `$expand`.
    pub fn expand(mut self, nav: &str, options: Options) -> Self {
        let item = if options.0.is_empty() {
            nav.to_string()
        } else {
            format!("{nav}({})", options.render(";"))
        };
        match self.0.iter_mut().find(|(k, _)| *k == "$expand") {
            Some((_, list)) => {
                list.push(',');
                list.push_str(&item);
            }
            None => self.0.push(("$expand", item)),
        }
        self
    }

    fn render(&self, separator: &str) -> String {
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}={v}")).collect();
        parts.join(separator)
    }
}

/// A request for `/v7/<resource>`, or for one row by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    resource: &'static str,
    key: Option<i64>,
    options: Options,
}

impl Query {
    pub fn new(resource: &'static str) -> Self {
        Query {
            resource,
            key: None,
            options: Options::default(),
        }
    }

    /// `/v7/<resource>(<id>)`: a list of one row, or none when it is missing or not visible.
    pub fn key(mut self, id: i64) -> Self {
        self.key = Some(id);
        self
    }

    pub fn with(mut self, build: impl FnOnce(Options) -> Options) -> Self {
        self.options = build(self.options);
        self
    }

    /// The request path, ready for the client.
    pub fn path(&self) -> String {
        let mut path = format!("/v7/{}", self.resource);
        if let Some(id) = self.key {
            let _ = write!(path, "({id})");
        }
        if !self.options.0.is_empty() {
            path.push('?');
            path.push_str(&self.options.render("&").replace(' ', "%20"));
        }
        path
    }
}

/// An OData string literal: quotes doubled, then percent-encoded (every byte but unreserved
/// characters and the quotes), so `&`, `;`, `#` or spaces in a value cannot end an option.
pub fn string_literal(value: &str) -> String {
    let quoted = value.replace('\'', "''");
    let mut out = String::from("'");
    for b in quoted.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~'".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out.push('\'');
    out
}
