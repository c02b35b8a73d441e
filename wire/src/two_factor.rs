//! Two-factor authentication (contract sections 4 and 12). `GET /auth/totp/setup` answers the
//! `otpauth://` URI as text; verify and disable answer a new session JWT as text.

use serde::{Deserialize, Serialize};

/// `POST /auth/totp/verify`: a 6-digit TOTP code, or (at the login challenge) a recovery code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpCodeRequest {
    pub code: String,
}

/// `POST /auth/totp/disable` (and other actions confirmed by password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRequest {
    pub password: String,
}

/// `POST /auth/totp/recovery-codes` (our endpoint): a new set, shown once; the old set is void.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// `GET /auth/totp/recovery-codes` (our endpoint): how many unused codes are left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodesRemaining {
    pub remaining: u32,
}
