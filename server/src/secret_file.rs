//! Server keys generated on first start and kept in the data directory (the JWT signing key,
//! the TOTP encryption key): random bytes, readable by the server's user only.
use std::io::Write;
use std::path::Path;

use anyhow::{anyhow, Context};

/// Creates `path` holding `len` fresh CSPRNG bytes (mode 0600) and returns them. When another
/// process created the file first, its content wins, so every process uses the same key.
/// `what` names the key in the log line; the key itself is never logged.
pub fn create(path: &Path, len: usize, what: &str) -> anyhow::Result<Vec<u8>> {
    let mut secret = vec![0u8; len];
    getrandom::fill(&mut secret).map_err(|e| anyhow!("CSPRNG unavailable: {e}"))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(&secret)
                .and_then(|()| file.sync_all())
                .with_context(|| format!("writing {}", path.display()))?;
            tracing::info!(path = %path.display(), "generated a new {what}");
            Ok(secret)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::read(path).with_context(|| format!("reading {}", path.display()))
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("creating {}", path.display()))),
    }
}
