//! The resource segment of an OData path: `user`, `user(12)`, or an alternate key
//! `res(field=literal,...)` that stands for a filter.
use super::ast::{CmpOp, Expr, Operand};
use super::filter;
use crate::error::{AppError, AppResult};

#[derive(Debug, PartialEq)]
pub enum Key {
    None,
    Id(i64),
    /// `res(name='observer')` or `res(user=2,is_member_of__application=7)`, as a filter.
    Alternate(Expr),
}

/// `user`, `user(12)`, or an alternate key `res(field=literal,...)`.
pub fn parse_resource(segment: &str) -> AppResult<(&str, Key)> {
    let invalid = || AppError::bad_request("Invalid resource key");
    let Some((name, rest)) = segment.split_once('(') else {
        return Ok((segment, Key::None));
    };
    let inner = rest.strip_suffix(')').ok_or_else(invalid)?;
    if let Ok(id) = inner.trim().parse::<i64>() {
        return Ok((name, Key::Id(id)));
    }
    let mut expr: Option<Expr> = None;
    for part in split_key(inner).ok_or_else(invalid)? {
        let (field, value) = part.split_once('=').ok_or_else(invalid)?;
        // Parsed as `field eq value`, and only that shape is accepted.
        let e = filter::parse(&format!("{} eq {}", field.trim(), value.trim()))
            .map_err(|_| invalid())?;
        match &e {
            Expr::Compare(Operand::Path(p), CmpOp::Eq, Operand::Literal(_)) if p.0.len() == 1 => {}
            _ => return Err(invalid()),
        }
        expr = Some(match expr {
            Some(prev) => Expr::And(Box::new(prev), Box::new(e)),
            None => e,
        });
    }
    expr.map(|e| (name, Key::Alternate(e))).ok_or_else(invalid)
}

/// Splits `a=1,b='x,y'` on commas outside quotes; `None` on an unterminated string.
fn split_key(s: &str) -> Option<Vec<&str>> {
    let (mut parts, mut start, mut quoted) = (Vec::new(), 0, false);
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'\'' => quoted = !quoted,
            b',' if !quoted => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    (!quoted).then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_keys() {
        assert_eq!(parse_resource("user").ok(), Some(("user", Key::None)));
        assert_eq!(parse_resource("user(12)").ok(), Some(("user", Key::Id(12))));
        for bad in [
            "user(",
            "user()",
            "user(x)",
            "user(1)x",
            "user(a='x' or 1 eq 1)",
            "user(a/b=1)",
            "user(a='x)",
            "user(a=1,)",
        ] {
            assert!(parse_resource(bad).is_err(), "{bad}");
        }
        let alt = |s| match parse_resource(s) {
            Ok((_, Key::Alternate(e))) => e.to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(alt("r(name='observer')"), "name eq 'observer'");
        assert_eq!(
            alt("r(user=2,is_member_of__application=7)"),
            "(user eq 2) and (is_member_of__application eq 7)"
        );
        assert_eq!(alt("r(name='a,b')"), "name eq 'a,b'");
    }
}
