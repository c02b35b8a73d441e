//! A small OData engine for balena's `/v7` resources (contract §1.3): a parser for the query
//! options pine's clients send, and a translator to SQL with bound parameters, per-resource
//! field whitelists and the caller's permission predicate in every statement.
//!
//! Layout: `ast` (the parsed form), `filter`, `options` and `key` (parsing), `resource` and
//! `resources` (declarative descriptors), `sql` (`$filter` translation), `query` (running
//! reads, counts and the key subqueries that writes use), `write` (the rows a write may
//! change, and changing them by id).
pub mod ast;
pub mod filter;
pub mod key;
pub mod options;
pub mod query;
pub mod resource;
pub mod resources;
pub mod sql;
pub mod write;

#[cfg(test)]
mod tests;

use crate::error::AppError;

/// Larger query strings are refused before parsing. The largest real one is the console's
/// bulk revoke, `$filter=id in (...)` with up to 1,000 ids: about 7 KiB.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;
/// Parentheses, `not` and lambdas nested deeper than this are refused.
pub const MAX_FILTER_DEPTH: usize = 32;
/// `$expand` levels.
pub const MAX_EXPAND_DEPTH: usize = 4;

/// A query the engine cannot serve; answered 400 with this readable message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ODataError(pub String);

impl From<ODataError> for AppError {
    fn from(e: ODataError) -> Self {
        AppError::bad_request(e.0)
    }
}
