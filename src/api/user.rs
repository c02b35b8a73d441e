//! The signed-in user's own account.
use super::{ApiError, Auth, Client};
use wire::{paths, UserWhoami};

pub async fn whoami(client: &Client) -> Result<UserWhoami, ApiError> {
    client.get(paths::USER_WHOAMI, Auth::Session).await?.json()
}
