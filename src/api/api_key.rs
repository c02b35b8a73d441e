//! API keys (contract §6): create (fresh authentication), list, edit, revoke in bulk.
use super::{ApiError, Auth, Client};
use gloo_net::http::Method;
use serde::Deserialize;
use wire::{ApiKeyPatch, ApiKeyRow, CreateApiKeyRequest};

/// Named keys of the caller, in name order (the console sorts again, case-insensitively).
pub const LIST_PATH: &str = "/v7/api_key?$orderby=name%20asc";

#[derive(Deserialize)]
struct Rows<T> {
    d: Vec<T>,
}

/// The caller's named API keys (unnamed ones are not user API keys).
pub async fn list(client: &Client) -> Result<Vec<ApiKeyRow>, ApiError> {
    let rows: Rows<ApiKeyRow> = client.get(LIST_PATH, Auth::Session).await?.json()?;
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
