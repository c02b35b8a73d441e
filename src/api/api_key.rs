//! API keys (contract §6): create (fresh authentication), list, edit, revoke in bulk.
use super::{ApiError, Auth, Client};
use gloo_net::http::Method;
use serde::Deserialize;
use wire::{ApiKeyPatch, ApiKeyRow, CreateApiKeyRequest};

/// The user's own named keys, in name order (the console sorts again, case-insensitively).
/// The filter matters: administrators and developers can also see their applications' and
/// devices' keys through `/v7/api_key`, and those do not belong on this page.
pub fn list_path(user_id: i64) -> String {
    format!(
        "/v7/api_key?$orderby=name%20asc&$filter=name%20ne%20null%20and%20\
         is_of__actor/any(a:a/is_of__user/any(u:u/id%20eq%20{user_id}))"
    )
}

#[derive(Deserialize)]
struct Rows<T> {
    d: Vec<T>,
}

/// The user's named API keys (unnamed ones are not user API keys).
pub async fn list(client: &Client, user_id: i64) -> Result<Vec<ApiKeyRow>, ApiError> {
    let rows: Rows<ApiKeyRow> = client
        .get(&list_path(user_id), Auth::Session)
        .await?
        .json()?;
    Ok(rows.d.into_iter().filter(|r| r.name.is_some()).collect())
}

/// The new key, as the server answers it (a JSON string): shown once, never again.
/// Needs fresh authentication (`ApiError::FreshAuthRequired` otherwise).
pub async fn create(client: &Client, request: &CreateApiKeyRequest) -> Result<String, ApiError> {
    client
        .post("/api-key/user/full", request, Auth::Session)
        .await?
        .json::<String>()
}

/// Changes the given fields (`expiry_date: Some(None)` clears the expiry).
pub async fn update(client: &Client, id: i64, patch: &ApiKeyPatch) -> Result<(), ApiError> {
    let json = serde_json::to_string(patch).map_err(|e| ApiError::Network(e.to_string()))?;
    client
        .request(
            Method::PATCH,
            &format!("/v7/api_key({id})"),
            Some(json),
            Auth::Session,
        )
        .await
        .map(drop)
}

/// `/v7/api_key?$filter=id%20in%20(1,2,3)`: every listed key in one request.
pub fn bulk_delete_path(ids: &[i64]) -> String {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    format!("/v7/api_key?$filter=id%20in%20({list})")
}

/// Revokes the keys in one request. Refuses an empty list: a filterless DELETE would revoke
/// every key.
pub async fn delete_many(client: &Client, ids: &[i64]) -> Result<(), ApiError> {
    if ids.is_empty() {
        return Ok(());
    }
    client
        .request(Method::DELETE, &bulk_delete_path(ids), None, Auth::Session)
        .await
        .map(drop)
}
