//! "Your password was changed" (ASVS v4 2.5.5) after a change, a reset or a first password,
//! with the number of API keys that still work: keys outlive passwords, so someone who took
//! the account over may have left one behind.
use crate::auth::api_key;
use crate::error::AppError;
use crate::mail::Mail;
use crate::state::AppState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordEvent {
    Changed,
    Reset,
    /// A first password on an account made by social sign-in.
    Set,
}

pub async fn notice(
    state: &AppState,
    user_id: i64,
    email: String,
    username: &str,
    event: PasswordEvent,
) -> Result<Mail, AppError> {
    let keys = api_key::count_active(&state.db, user_id, state.now_ms()).await?;
    let (subject, what) = match event {
        PasswordEvent::Changed => (
            "Your Account Console password was changed",
            "was just changed",
        ),
        PasswordEvent::Reset => ("Your Account Console password was reset", "was just reset"),
        PasswordEvent::Set => (
            "A password was set on your Account Console account",
            "was just set (the account had none before)",
        ),
    };
    let keys_line = match keys {
        0 => "Your account has no active API keys.".to_owned(),
        1 => "Your account has 1 active API key: revoke it if you do not know it.".to_owned(),
        n => format!("Your account has {n} active API keys: revoke any you do not know."),
    };
    let text = format!(
        "The password of your Account Console account \"{username}\" {what},\r\n\
         and every other signed-in session was ended.\r\n\r\n\
         {keys_line}\r\n\r\n\
         If this was not you, reset your password now at\r\n{}login\r\n\
         and check your account's access tokens.\r\n",
        state.public_url
    );
    Ok(Mail {
        to: email,
        subject: subject.into(),
        text,
    })
}

/// Sends [`notice`] in the background (a notice must never fail the change it reports).
pub fn send(state: &AppState, user_id: i64, email: String, username: String, event: PasswordEvent) {
    let state = state.clone();
    tokio::spawn(async move {
        let sent = match notice(&state, user_id, email, &username, event).await {
            Ok(mail) => state.mailer.send(&mail).await.map_err(|e| format!("{e:#}")),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = sent {
            tracing::error!(error = %e, "sending the password notice failed");
        }
    });
}
