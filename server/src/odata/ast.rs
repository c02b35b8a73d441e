//! The parsed form of an OData request's query options. `Display` prints a `$filter` back in a
//! form the parser reads to the same tree (fully parenthesised), which the round-trip property
//! test relies on.
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Compare(Operand, CmpOp, Operand),
    /// `path in (lit, ...)`, at least one literal.
    In(Path, Vec<Literal>),
    /// `path/any(v: body)` or `path/all(v: body)`; `path/any()` has no variable and body.
    Lambda {
        path: Path,
        kind: LambdaKind,
        body: Option<(String, Box<Expr>)>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LambdaKind {
    Any,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path(Path),
    Literal(Literal),
}

/// `a`, `a/b`, or `v/a` inside a lambda whose variable is `v`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path(pub Vec<String>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    /// `datetime'2024-01-01T00:00:00Z'`; a plain string compared with a date field works too.
    DateTime(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderBy {
    pub field: String,
    pub descending: bool,
}

/// The options of one resource level: the request itself, or one `$expand` item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// `None`: every field.
    pub select: Option<Vec<String>>,
    pub filter: Option<Expr>,
    pub orderby: Vec<OrderBy>,
    pub top: Option<i64>,
    pub skip: Option<i64>,
    pub expand: Vec<Expand>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expand {
    pub nav: String,
    pub options: Options,
}

impl CmpOp {
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("/"))
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Int(i) => write!(f, "{i}"),
            Self::Str(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Self::DateTime(s) => write!(f, "datetime'{}'", s.replace('\'', "''")),
        }
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path(p) => p.fmt(f),
            Self::Literal(l) => l.fmt(f),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::And(l, r) => write!(f, "({l}) and ({r})"),
            Self::Or(l, r) => write!(f, "({l}) or ({r})"),
            Self::Not(e) => write!(f, "not ({e})"),
            Self::Compare(l, op, r) => write!(f, "{l} {} {r}", op.keyword()),
            Self::In(p, list) => {
                let items: Vec<String> = list.iter().map(ToString::to_string).collect();
                write!(f, "{p} in ({})", items.join(", "))
            }
            Self::Lambda { path, kind, body } => {
                let name = match kind {
                    LambdaKind::Any => "any",
                    LambdaKind::All => "all",
                };
                match body {
                    Some((var, e)) => write!(f, "{path}/{name}({var}: {e})"),
                    None => write!(f, "{path}/{name}()"),
                }
            }
        }
    }
}
