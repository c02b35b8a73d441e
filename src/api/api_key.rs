//! API keys (contract §6): create (fresh authentication), list, edit, revoke in bulk.
use super::odata::{Filter, Literal, Query};
use super::{ApiError, Auth, Client};
use wire::{paths, ApiKeyPatch, ApiKeyRow, CreateApiKeyRequest};

/// The user's own named keys, in name order (the console sorts again, case-insensitively).
/// The filter matters: administrators and developers can also see their applications' and
/// devices' keys through `/v7/api_key`, and those do not belong on this page.
pub fn list_query(user_id: i64) -> Query {
    let own = Filter::any(
        "is_of__actor",
        "a",
        Filter::any("a/is_of__user", "u", Filter::eq("u/id", user_id)),
    );
    Query::new("api_key").with(|o| {
        o.order_by("name")
            .filter(Filter::ne("name", Literal::Null).and(own))
    })
}

/// The user's named API keys (unnamed ones are not user API keys).
pub async fn list(client: &Client, user_id: i64) -> Result<Vec<ApiKeyRow>, ApiError> {
    let rows: Vec<ApiKeyRow> = client.list(&list_query(user_id)).await?;
    Ok(rows.into_iter().filter(|r| r.name.is_some()).collect())
}

/// The new key, as the server answers it (a JSON string): shown once, never again.
/// Needs fresh authentication (`ApiError::FreshAuthRequired` otherwise).
pub async fn create(client: &Client, request: &CreateApiKeyRequest) -> Result<String, ApiError> {
    client
        .post(paths::USER_API_KEY, request, Auth::Session)
        .await?
        .json::<String>()
}

/// Changes the given fields (`expiry_date: Some(None)` clears the expiry).
pub async fn update(client: &Client, id: i64, patch: &ApiKeyPatch) -> Result<(), ApiError> {
    client
        .patch(&Query::new("api_key").key(id).path(), patch)
        .await
}

/// `/v7/api_key?$filter=id%20in%20(1,2,3)`: every listed key in one request.
pub fn bulk_delete_path(ids: &[i64]) -> String {
    Query::new("api_key")
        .with(|o| o.filter(Filter::is_in("id", ids)))
        .path()
}

/// Revokes the keys in one request. Refuses an empty list: a filterless DELETE would revoke
/// every key.
pub async fn delete_many(client: &Client, ids: &[i64]) -> Result<(), ApiError> {
    if ids.is_empty() {
        return Ok(());
    }
    client.delete(&bulk_delete_path(ids)).await
}
