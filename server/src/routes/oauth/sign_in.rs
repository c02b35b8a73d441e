//! Which account a social identity signs in as, and that account's session token.
//!
//! The linked account; else an account with the same verified email, linked now; else a new
//! account.
use wire::{ErrorCode, SignInErrorCode};

use crate::auth::origin::SessionOrigin;
use crate::auth::session;
use crate::db;
use crate::error::AppError;
use crate::oauth::{identities, Identity, Provider};
use crate::state::AppState;
use crate::two_factor;
use crate::users::{self, NewAccount};
use crate::verification;

pub(super) enum SignInError {
    /// A reason the visitor is told (as a code).
    Refused(SignInErrorCode),
    Internal(AppError),
}

impl From<AppError> for SignInError {
    fn from(e: AppError) -> Self {
        Self::Internal(e)
    }
}

impl From<sqlx::Error> for SignInError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(e.into())
    }
}

/// Known identity → its user; else a verified email that matches an account → link it; else
/// a new account without a password (and without an email unless a verified one came).
pub(super) async fn sign_in(
    state: &AppState,
    p: &Provider,
    id: &Identity,
    origin: &SessionOrigin,
) -> Result<String, SignInError> {
    let now = state.now_ms();
    let user_id = match identities::user_of(&state.db, p.id, &id.subject).await? {
        Some(user_id) => user_id,
        None => match link_by_email(state, p, id, now).await? {
            Some(user_id) => user_id,
            None => return create(state, p, id, origin, now).await,
        },
    };
    // Like a password login: a 2FA user gets a partial token and passes the challenge.
    let two_factor = two_factor::is_enabled(&state.db, user_id).await?;
    let mut conn = state.db.acquire().await?;
    let token = session::create_with(
        &mut conn,
        &state.jwt,
        user_id,
        now,
        two_factor.then_some(true),
        origin,
        now,
    )
    .await?;
    tracing::info!(user_id, provider = p.id, two_factor, "social sign-in");
    Ok(token)
}

async fn link_by_email(
    state: &AppState,
    p: &Provider,
    id: &Identity,
    now: i64,
) -> Result<Option<i64>, SignInError> {
    let Some(email) = &id.verified_email else {
        return Ok(None);
    };
    let Some((user_id, verified)) = verification::account_by_email(&state.db, email).await? else {
        return Ok(None);
    };
    // Someone may have signed up with this address without owning it (account pre-hijacking):
    // only an account that proved the address gets the identity.
    if !verified {
        tracing::info!(
            user_id,
            provider = p.id,
            "social sign-in: local account not verified, nothing linked"
        );
        return Err(SignInError::Refused(SignInErrorCode::EmailUnverified));
    }
    match identities::link(&state.db, user_id, p.id, &id.subject, now).await {
        Ok(_) => {
            tracing::info!(
                user_id,
                provider = p.id,
                "social identity linked by verified email"
            );
            Ok(Some(user_id))
        }
        Err(e) if db::violated_unique(&e).is_some() => {
            Err(SignInError::Refused(SignInErrorCode::AlreadyLinked))
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    state: &AppState,
    p: &Provider,
    id: &Identity,
    origin: &SessionOrigin,
    now: i64,
) -> Result<String, SignInError> {
    // The username comes from the verified email like at sign-up, else from the provider's
    // login or name (never from an unverified email).
    let seed = match (&id.verified_email, &id.name_hint) {
        (Some(email), _) => email.clone(),
        (None, Some(name)) => format!("{name}@"),
        (None, None) => "user@".to_owned(),
    };
    let username = users::derive_username(&state.db, &seed).await?;
    let account = NewAccount {
        email: id.verified_email.as_deref(),
        username: &username,
        password_hash: None,
        email_verified: id.verified_email.is_some(),
        origin,
    };
    let mut tx = db::begin_write(&state.db).await?;
    let (user_id, token) = match users::create_account_in(&mut tx, &state.jwt, &account, now).await
    {
        Ok(created) => created,
        // A parallel sign-up took the name or the email: the user simply tries again.
        Err(e)
            if matches!(
                e.code(),
                Some(ErrorCode::EmailTaken | ErrorCode::UsernameTaken)
            ) =>
        {
            return Err(SignInError::Refused(SignInErrorCode::StateInvalid))
        }
        Err(e) => return Err(e.into()),
    };
    identities::link(&mut *tx, user_id, p.id, &id.subject, now).await?;
    tx.commit().await?;
    tracing::info!(
        user_id,
        provider = p.id,
        "account created by social sign-in"
    );
    Ok(token)
}
