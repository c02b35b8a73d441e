//! Actors in the database: what API keys belong to (a user, an application or a device).
use crate::db::Tx;
use crate::error::AppError;

#[derive(Debug, Clone, Copy)]
pub enum ActorType {
    User,
    Application,
    Device,
}

/// A new actor of this type; its id.
pub async fn insert(tx: &mut Tx, actor_type: ActorType, now_ms: i64) -> Result<i64, AppError> {
    let name = match actor_type {
        ActorType::User => "user",
        ActorType::Application => "application",
        ActorType::Device => "device",
    };
    Ok(sqlx::query_scalar(
        "INSERT INTO actors (actor_type, created_at) VALUES ($1, $2) RETURNING id",
    )
    .bind(name)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?)
}
