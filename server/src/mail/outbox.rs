//! The outbox: one `.eml` file per message, readable only by the server's user (it may hold
//! a reset link).
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context};

pub fn write(dir: &Path, message: &[u8]) -> anyhow::Result<PathBuf> {
    let mut rand = [0u8; 8];
    getrandom::fill(&mut rand).map_err(|e| anyhow!("CSPRNG unavailable: {e}"))?;
    // Wall-clock milliseconds first, so a directory listing sorts oldest first.
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let name = format!("{ms}-{}", data_encoding::HEXLOWER.encode(&rand));
    let path = dir.join(format!("{name}.eml"));
    // Written under another name and renamed: a reader of `*.eml` never sees half a message.
    let partial = dir.join(format!("{name}.partial"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&partial)
        .with_context(|| format!("creating {}", partial.display()))?;
    file.write_all(message)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&partial, &path))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}
