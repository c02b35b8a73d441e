//! The signed-in user's own account.
use super::{ApiError, Auth, Client};
use wire::UserWhoami;

pub async fn whoami(client: &Client) -> Result<UserWhoami, ApiError> {
    client.get("/user/v1/whoami", Auth::Session).await?.json()
}
