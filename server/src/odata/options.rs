//! The query string: `$select`, `$filter`, `$orderby`, `$top`, `$skip`, `$expand` (with nested
//! options separated by `;`). Non-`$` parameters are ignored, as pine does; unknown `$`
//! options are refused rather than silently ignored.
use super::ast::{Expand, Options, OrderBy};
use super::filter::{self, is_keyword};
use super::{ODataError, MAX_EXPAND_DEPTH, MAX_QUERY_BYTES};

/// Parses a raw (still percent-encoded) query string.
pub fn parse_query(raw: &str) -> Result<Options, ODataError> {
    if raw.len() > MAX_QUERY_BYTES {
        return Err(ODataError(format!(
            "query string longer than {MAX_QUERY_BYTES} bytes"
        )));
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
        .filter(|(k, _)| k.starts_with('$'))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    parse_options(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), 0)
}

fn parse_options<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
    depth: usize,
) -> Result<Options, ODataError> {
    let mut o = Options::default();
    let mut seen: Vec<&str> = Vec::new();
    for (name, value) in pairs {
        if seen.contains(&name) {
            return Err(ODataError(format!("{name} given twice")));
        }
        seen.push(name);
        let ctx = |e: ODataError| ODataError(format!("{name}: {}", e.0));
        match name {
            "$select" if value.trim() == "*" => o.select = None,
            "$select" => o.select = Some(select(value).map_err(ctx)?),
            "$filter" => o.filter = Some(filter::parse(value).map_err(ctx)?),
            "$orderby" => o.orderby = orderby(value).map_err(ctx)?,
            "$top" => o.top = Some(count(value).map_err(ctx)?),
            "$skip" => o.skip = Some(count(value).map_err(ctx)?),
            "$expand" => o.expand = expand(value, depth).map_err(ctx)?,
            // pine's clients add `$format=json` at times; JSON is all we speak.
            "$format" if value.trim() == "json" || value.starts_with("json;") => {}
            _ => return Err(ODataError(format!("Unsupported query option: {name}"))),
        }
    }
    Ok(o)
}

fn name(s: &str, offset: usize) -> Result<String, ODataError> {
    let s_trim = s.trim();
    let valid = s_trim
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && s_trim
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if valid && !is_keyword(s_trim) {
        Ok(s_trim.to_owned())
    } else {
        Err(ODataError(format!(
            "invalid name {s_trim:?} at position {}",
            offset + 1
        )))
    }
}

fn select(value: &str) -> Result<Vec<String>, ODataError> {
    split_top_level(value, b',')?
        .into_iter()
        .map(|(part, at)| name(part, at))
        .collect()
}

fn orderby(value: &str) -> Result<Vec<OrderBy>, ODataError> {
    split_top_level(value, b',')?
        .into_iter()
        .map(|(part, at)| {
            let mut words = part.split_whitespace();
            let field = words.next().unwrap_or_default();
            let descending = match words.next() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(w) => {
                    return Err(ODataError(format!(
                        "expected asc or desc, found {w:?} at position {}",
                        at + 1
                    )))
                }
            };
            if words.next().is_some() {
                return Err(ODataError(format!(
                    "unexpected input at position {}",
                    at + 1
                )));
            }
            Ok(OrderBy {
                field: name(field, at)?,
                descending,
            })
        })
        .collect()
}

fn count(value: &str) -> Result<i64, ODataError> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| i64::try_from(n).ok())
        .ok_or_else(|| ODataError("must be a non-negative integer".to_owned()))
}

/// `a,b($select=x;$filter=y eq 1;$expand=c($top=1))`.
fn expand(value: &str, depth: usize) -> Result<Vec<Expand>, ODataError> {
    if depth >= MAX_EXPAND_DEPTH {
        return Err(ODataError("expansions nested too deeply".to_owned()));
    }
    split_top_level(value, b',')?
        .into_iter()
        .map(|(item, at)| {
            let item = item.trim();
            let (nav, inner) = match item.find('(') {
                Some(open) if item.ends_with(')') => {
                    (&item[..open], Some(&item[open + 1..item.len() - 1]))
                }
                Some(_) => return Err(ODataError(format!("expected ')' at the end of {item:?}"))),
                None => (item, None),
            };
            let nav = name(nav, at)?;
            let options = match inner {
                None => Options::default(),
                Some(inner) => {
                    let parts = split_top_level(inner, b';')?;
                    let mut pairs = Vec::new();
                    for (part, at) in parts {
                        let (k, v) = part.split_once('=').ok_or_else(|| {
                            ODataError(format!("expected $option=value at position {}", at + 1))
                        })?;
                        pairs.push((k.trim(), v));
                    }
                    parse_options(pairs.into_iter(), depth + 1)
                        .map_err(|e| ODataError(format!("{nav}: {}", e.0)))?
                }
            };
            Ok(Expand { nav, options })
        })
        .collect()
}

/// Splits on `sep` outside parentheses and quoted strings; each part with its byte offset.
fn split_top_level(s: &str, sep: u8) -> Result<Vec<(&str, usize)>, ODataError> {
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0);
    for (i, b) in s.bytes().enumerate() {
        match b {
            // `''` inside a string toggles twice: still inside.
            b'\'' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| ODataError(format!("unbalanced ')' at position {}", i + 1)))?;
            }
            _ if b == sep && !quoted && depth == 0 => {
                parts.push((&s[start..i], start));
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 || quoted {
        return Err(ODataError("unbalanced parentheses or quotes".to_owned()));
    }
    parts.push((&s[start..], start));
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Result<Options, String> {
        parse_query(s).map_err(|e| e.0)
    }

    #[test]
    fn the_sdks_requests() {
        let o = q("$orderby=name%20asc&$filter=is_of__actor%20eq%2010%20and%20name%20ne%20null")
            .unwrap();
        assert_eq!(
            o.orderby,
            vec![OrderBy {
                field: "name".into(),
                descending: false
            }]
        );
        assert_eq!(
            o.filter.unwrap().to_string(),
            "(is_of__actor eq 10) and (name ne null)"
        );
        let o = q("$expand=user($select=id,username),application_membership_role($select=name)")
            .unwrap();
        assert_eq!(o.expand.len(), 2);
        assert_eq!(
            o.expand[0].options.select,
            Some(vec!["id".into(), "username".into()])
        );
        assert_eq!(o.expand[1].nav, "application_membership_role");
    }

    #[test]
    fn nested_expand_options() {
        let o = q("$expand=a($filter=x eq 'p;q,(r)';$orderby=x desc,y;$top=2;$skip=1;$expand=b($select=z))")
            .unwrap();
        let a = &o.expand[0].options;
        assert_eq!(a.filter.as_ref().unwrap().to_string(), "x eq 'p;q,(r)'");
        assert_eq!(
            a.orderby[0],
            OrderBy {
                field: "x".into(),
                descending: true
            }
        );
        assert_eq!((a.top, a.skip), (Some(2), Some(1)));
        assert_eq!(a.expand[0].options.select, Some(vec!["z".into()]));
    }

    #[test]
    fn bad_options() {
        assert_eq!(
            q("$search=x").unwrap_err(),
            "Unsupported query option: $search"
        );
        assert_eq!(
            q("$top=-1").unwrap_err(),
            "$top: must be a non-negative integer"
        );
        assert_eq!(
            q("$top=99999999999999999999").unwrap_err(),
            "$top: must be a non-negative integer"
        );
        assert_eq!(q("$top=1&$top=2").unwrap_err(), "$top given twice");
        assert_eq!(
            q("$select=id,na-me").unwrap_err(),
            "$select: invalid name \"na-me\" at position 4"
        );
        assert_eq!(
            q("$select=id;DROP").unwrap_err(),
            "$select: invalid name \"id;DROP\" at position 1"
        );
        assert_eq!(
            q("$orderby=name sideways").unwrap_err(),
            "$orderby: expected asc or desc, found \"sideways\" at position 1"
        );
        assert!(q("$expand=a(").unwrap_err().contains("unbalanced"));
        assert!(q("$expand=a($top)")
            .unwrap_err()
            .contains("expected $option=value"));
        let deep = format!("$expand={}{}", "a($expand=".repeat(10), ")".repeat(10));
        assert!(q(&deep).unwrap_err().contains("nested too deeply"));
        assert!(q(&"$filter=a eq 1 and ".repeat(2000))
            .unwrap_err()
            .contains("longer than"));
        assert!(q("other=1&$format=json").is_ok());
    }
}
