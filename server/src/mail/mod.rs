//! Outgoing mail: SMTP when `--smtp-host` is set, else RFC 5322 `.eml` files in the outbox
//! directory (development, tests, and operators who relay files themselves).
//!
//! Messages carry reset tokens, so their content is never logged: only the recipient's user
//! id (by the caller) and, for the outbox, the file path.
mod config;
mod outbox;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub use self::config::MailConfig;

/// An SMTP conversation that stalls longer than this is given up (the mail is lost and the
/// failure logged; the request that caused it was answered long before).
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// One plain-text message.
#[derive(Clone, Debug)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Outbox {
        dir: PathBuf,
        from: Mailbox,
    },
}

impl Mailer {
    pub fn from_config(config: &MailConfig, outbox: PathBuf) -> anyhow::Result<Self> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .with_context(|| format!("--mail-from {:?} is not a mailbox", config.mail_from))?;
        let Some(host) = &config.smtp_host else {
            return Ok(Self::Outbox { dir: outbox, from });
        };
        let builder = match config.smtp_tls.as_str() {
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
            "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
        };
        let mut builder = builder.port(config.smtp_port).timeout(Some(SMTP_TIMEOUT));
        if let (Some(user), Some(password)) = (&config.smtp_username, &config.smtp_password) {
            builder =
                builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        Ok(Self::Smtp {
            transport: builder.build(),
            from,
        })
    }

    pub async fn send(&self, mail: &Mail) -> anyhow::Result<()> {
        match self {
            Self::Smtp { transport, from } => {
                transport
                    .send(build(from, mail)?)
                    .await
                    .context("SMTP delivery")?;
                Ok(())
            }
            Self::Outbox { dir, from } => {
                let path = outbox::write(dir, &build(from, mail)?.formatted())?;
                // The path, not the content: the message may hold a reset link.
                tracing::info!(path = %path.display(), "mail written to the outbox");
                Ok(())
            }
        }
    }

    /// Sends without making the caller wait (a reset request must answer in the same time
    /// whether or not a mail goes out); failures are logged.
    pub fn send_in_background(self: &Arc<Self>, mail: Mail) {
        let mailer = Arc::clone(self);
        tokio::spawn(async move {
            if let Err(e) = mailer.send(&mail).await {
                tracing::error!(error = %format!("{e:#}"), "sending mail failed");
            }
        });
    }
}

/// Plain text as 7bit, so a link is one line that any reader (a person, a test, the e2e
/// journeys reading the outbox) can copy. lettre picks quoted-printable for lines of 76+
/// characters (RFC 5322's SHOULD of 78), which would split the link and turn its `=` into
/// `=3D`; RFC 5322's hard limit is 998, checked here along with ASCII and CRLF endings.
fn build(from: &Mailbox, mail: &Mail) -> anyhow::Result<Message> {
    let text = mail.text.replace("\r\n", "\n").replace('\n', "\r\n");
    if !text.is_ascii()
        || text
            .split("\r\n")
            .any(|line| line.len() > 998 || line.contains('\r'))
    {
        anyhow::bail!("mail text is not 7bit: ASCII lines of at most 998 characters");
    }
    let body = Body::dangerous_pre_encoded(text.into_bytes(), ContentTransferEncoding::SevenBit);
    Message::builder()
        .from(from.clone())
        .to(mail.to.parse().context("recipient address")?)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .context("building the message")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn outbox_messages_are_written_as_eml_files() {
        let dir = tempfile::tempdir().unwrap();
        let from: Mailbox = "Account Console <no-reply@localhost>".parse().unwrap();
        let mailer = Mailer::Outbox {
            dir: dir.path().to_owned(),
            from,
        };
        let mail = Mail {
            to: "a@example.com".into(),
            subject: "Hi".into(),
            text: "Line one\r\nhttp://x.test/reset-password#token=abc\r\n".into(),
        };
        mailer.send(&mail).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 1);
    }
}
