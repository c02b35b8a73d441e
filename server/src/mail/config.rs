//! Outgoing-mail flags. Without `--smtp-host` messages go to the outbox directory.
use crate::config::Secret;

#[derive(clap::Args, Clone, Debug)]
pub struct MailConfig {
    /// SMTP server for outgoing mail. Without it each message is written as an .eml file into
    /// the outbox directory.
    #[arg(long, env = "SMTP_HOST")]
    pub smtp_host: Option<String>,

    /// SMTP port.
    #[arg(long, env = "SMTP_PORT", default_value_t = 587)]
    pub smtp_port: u16,

    /// `starttls` (required, not opportunistic), `tls` (implicit TLS, usually port 465) or
    /// `none` (plain text: only for a relay on the same host).
    #[arg(long, env = "SMTP_TLS", default_value = "starttls", value_parser = ["starttls", "tls", "none"])]
    pub smtp_tls: String,

    /// SMTP user name (with `--smtp-password`).
    #[arg(long, env = "SMTP_USERNAME")]
    pub smtp_username: Option<String>,

    /// SMTP password.
    #[arg(long, env = "SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<Secret>,

    /// Sender of every message.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Account Console <no-reply@localhost>"
    )]
    pub mail_from: String,
}
