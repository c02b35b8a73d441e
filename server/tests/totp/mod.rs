//! The code an authenticator app shows: RFC 6238 with the parameters the server enrolls
//! (SHA-1, 6 digits, 30 s steps), for tests that log in with a second factor.
use data_encoding::BASE32_NOPAD;
use totp_rs::{Algorithm, Builder};

/// The code of base32 `secret` at `unix_s` seconds.
pub fn code_at(secret: &str, unix_s: u64) -> String {
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(BASE32_NOPAD.decode(secret.as_bytes()).unwrap())
        .build()
        .unwrap();
    totp.generate(unix_s).to_string()
}
