//! Email verification tokens and the mail that carries them: a sign-up's address is the
//! user's only after they open the link (ASVS 6.4.x), which is what lets social sign-in link
//! an identity to an existing account by email.
use crate::db::{self, Db};
use crate::error::AppError;
use crate::mail::Mail;
use crate::oauth::{random_token, sha256_hex};

/// A day: long enough to find the mail, short enough that an old inbox leak is useless.
pub const TOKEN_TTL_MS: i64 = 24 * 60 * 60 * 1000;

/// A new link token for the user, replacing any older one; `None` once verified.
pub async fn issue(db: &Db, user_id: i64, now_ms: i64) -> Result<Option<String>, AppError> {
    let token = random_token()?;
    let mut tx = db::begin_write(db).await?;
    let verified: Option<Option<i64>> =
        sqlx::query_scalar("SELECT email_verified_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    if !matches!(verified, Some(None)) {
        return Ok(None);
    }
    sqlx::query("DELETE FROM email_verification_tokens WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO email_verification_tokens (user_id, token_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(sha256_hex(&token))
    .bind(now_ms)
    .bind(now_ms + TOKEN_TTL_MS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(token))
}

/// Consumes a token sent to `email` and marks its user's email verified: the user's id, or
/// `None` for an unknown, expired or used token (or another address). One conditional DELETE
/// decides, also under races.
pub async fn consume(
    db: &Db,
    token: &str,
    email: &str,
    now_ms: i64,
) -> Result<Option<i64>, AppError> {
    let mut tx = db::begin_write(db).await?;
    let user: Option<i64> = sqlx::query_scalar(
        "DELETE FROM email_verification_tokens WHERE token_hash = $1 AND expires_at > $2
           AND user_id = (SELECT id FROM users WHERE email = $3)
         RETURNING user_id",
    )
    .bind(sha256_hex(token.trim()))
    .bind(now_ms)
    .bind(email)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(user_id) = user {
        sqlx::query(
            "UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL",
        )
        .bind(now_ms)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(user)
}

/// Whether the account with `email` exists and has verified it: `None` when there is none.
pub async fn account_by_email(db: &Db, email: &str) -> Result<Option<(i64, bool)>, AppError> {
    let row: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, email_verified_at FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(id, verified_at)| (id, verified_at.is_some())))
}

/// The mail with the link (in the fragment: never sent to a server, so never in a log).
pub fn mail(public_url: &str, to: &str, username: &str, token: &str) -> Mail {
    // The address rides along (balena's verify call takes it); both stay in the fragment.
    let mut fragment = form_urlencoded::Serializer::new(String::new());
    fragment
        .append_pair(wire::account::TOKEN_FRAGMENT_KEY, token)
        .append_pair(wire::account::EMAIL_FRAGMENT_KEY, to);
    let link = format!(
        "{public_url}{}#{}",
        wire::account::VERIFY_EMAIL_ROUTE,
        fragment.finish()
    );
    Mail {
        to: to.to_owned(),
        subject: "Verify your Account Console email address".into(),
        text: format!(
            "Welcome to Account Console, {username}.\r\n\r\n\
             To confirm that this address is yours, open this link within 24 hours:\r\n\r\n\
             {link}\r\n\r\n\
             The link works once. If you did not sign up, ignore this message.\r\n"
        ),
    }
}

/// Issues a token and mails it, in the background (sign-up and Resend answer at once).
pub fn send(state: &crate::state::AppState, user_id: i64, email: String, username: String) {
    let state = state.clone();
    tokio::spawn(async move {
        match issue(&state.db, user_id, state.now_ms()).await {
            Ok(Some(token)) => {
                let mail = mail(&state.public_url, &email, &username, &token);
                match state.mailer.send(&mail).await {
                    Ok(()) => tracing::info!(user_id, "verification mail sent"),
                    Err(e) => tracing::error!(error = %format!("{e:#}"), "sending mail failed"),
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "issuing a verification link failed"),
        }
    });
}
