//! Input rules shared by the console (live validation) and the server (enforcement).
//! A refusal is an [`Invalid`] value: the server answers its English [`Invalid::message`], the
//! console words each one from its own catalogue.

/// ASVS 6.2.1: at least 8 characters (balena's documented minimum too).
pub const PASSWORD_MIN_CHARS: usize = 8;
/// ASVS 6.2.9 wants ≥ 64 accepted; the cap keeps argon2 input bounded.
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const USERNAME_MIN_CHARS: usize = 3;
pub const USERNAME_MAX_CHARS: usize = 32;
/// RFC 5321 path limit.
pub const EMAIL_MAX_CHARS: usize = 254;

/// balena's model limits for API keys (the server answers balena's own rule text).
pub const API_KEY_NAME_MAX_CHARS: usize = 50;
pub const API_KEY_DESCRIPTION_MAX_CHARS: usize = 150;

/// Which rule a value breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    Email,
    PasswordTooShort,
    PasswordTooLong,
    Username,
    KeyNameRequired,
    KeyNameTooLong,
    KeyDescriptionTooLong,
    TotpCode,
}

impl Invalid {
    /// Every rule, so the console's tests can check each has a text.
    pub const ALL: [Invalid; 8] = [
        Self::Email,
        Self::PasswordTooShort,
        Self::PasswordTooLong,
        Self::Username,
        Self::KeyNameRequired,
        Self::KeyNameTooLong,
        Self::KeyDescriptionTooLong,
        Self::TotpCode,
    ];

    /// The English text, as the server answers it in a 400 body (clients may show it as is).
    pub fn message(self) -> &'static str {
        match self {
            Self::Email => "Invalid email",
            Self::PasswordTooShort => "Password must be at least 8 characters",
            Self::PasswordTooLong => "Password must be at most 128 characters",
            Self::Username => {
                "Username must be 3 to 32 characters: lowercase letters, digits and underscores, starting with a letter"
            }
            Self::KeyNameRequired => "Name is required",
            Self::KeyNameTooLong => "Name must be at most 50 characters",
            Self::KeyDescriptionTooLong => "Description must be at most 150 characters",
            Self::TotpCode => "Enter the 6-digit code from your authenticator app",
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

/// An API key's name, as the console explains it: required, at most 50 characters.
pub fn api_key_name(s: &str) -> Result<(), Invalid> {
    match s.trim().chars().count() {
        0 => Err(Invalid::KeyNameRequired),
        n if s.chars().count() > API_KEY_NAME_MAX_CHARS || n > API_KEY_NAME_MAX_CHARS => {
            Err(Invalid::KeyNameTooLong)
        }
        _ => Ok(()),
    }
}

/// An API key's optional description: at most 150 characters.
pub fn api_key_description(s: &str) -> Result<(), Invalid> {
    if s.chars().count() > API_KEY_DESCRIPTION_MAX_CHARS {
        Err(Invalid::KeyDescriptionTooLong)
    } else {
        Ok(())
    }
}

/// A TOTP code as typed: exactly 6 digits (spaces allowed between groups are removed first
/// by the caller).
pub fn totp_code(s: &str) -> Result<(), Invalid> {
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Invalid::TotpCode)
    }
}

/// A deliberately loose shape check (something@domain.tld, no spaces): the only real proof of an
/// address is a message reaching it.
pub fn email(s: &str) -> Result<(), Invalid> {
    let ok = s.chars().count() <= EMAIL_MAX_CHARS
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if ok {
        Ok(())
    } else {
        Err(Invalid::Email)
    }
}

/// Length only: no composition rules (ASVS 6.2.5) and no trimming (6.2.8). The server also
/// rejects common passwords, which needs its bundled list.
pub fn password(s: &str) -> Result<(), Invalid> {
    let n = s.chars().count();
    if n < PASSWORD_MIN_CHARS {
        Err(Invalid::PasswordTooShort)
    } else if n > PASSWORD_MAX_CHARS {
        Err(Invalid::PasswordTooLong)
    } else {
        Ok(())
    }
}

/// Usernames are also organization handles, so they stay URL- and handle-safe.
pub fn username(s: &str) -> Result<(), Invalid> {
    let n = s.chars().count();
    let mut chars = s.chars();
    let ok = (USERNAME_MIN_CHARS..=USERNAME_MAX_CHARS).contains(&n)
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Invalid::Username)
    }
}

/// The username an email suggests: its local part, lowercase, characters outside `[a-z0-9_]`
/// as `_`, a letter first, 3 to 32 characters. The console offers it on sign-up; the server
/// starts from it when none is given (adding a number if it is taken).
pub fn username_from_email(email: &str) -> String {
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    let mut name: String = local
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name.insert(0, 'u');
    }
    if name.len() < USERNAME_MIN_CHARS {
        name.push_str("_user");
    }
    name.truncate(USERNAME_MAX_CHARS);
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_suggest_valid_usernames() {
        for (email, want) in [
            ("Alice.Smith+tag@example.com", "alice_smith_tag"),
            ("bob@example.com", "bob"),
            ("1st@example.com", "u1st"),
            ("_x@example.com", "u_x"),
            ("a@example.com", "a_user"),
            ("Émile@example.com", "u_mile"),
        ] {
            assert_eq!(username_from_email(email), want);
            assert_eq!(username(want), Ok(()), "{want}");
        }
        let long = username_from_email(&format!("{}@example.com", "x".repeat(60)));
        assert_eq!(long.len(), 32);
    }

    #[test]
    fn email_shapes() {
        for good in ["a@b.co", "alice.smith+x@mail.example.org"] {
            assert_eq!(email(good), Ok(()), "{good}");
        }
        for bad in [
            "", "a", "a@", "@b.co", "a@b", "a b@c.de", "a@b..c", "a@.b.c", "a@b.c.", "a@b@c.d",
        ] {
            assert_eq!(email(bad), Err(Invalid::Email), "{bad}");
        }
        assert!(email(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn refusals_read_as_their_message() {
        assert_eq!(Invalid::Email.to_string(), "Invalid email");
        for invalid in Invalid::ALL {
            assert_eq!(invalid.to_string(), invalid.message());
        }
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        assert_eq!(password("1234567"), Err(Invalid::PasswordTooShort));
        assert_eq!(password("12345678"), Ok(()));
        assert_eq!(password("éééééééé"), Ok(()));
        assert_eq!(password(" padded "), Ok(()), "spaces are kept, not trimmed");
        assert_eq!(password(&"x".repeat(128)), Ok(()));
        assert_eq!(password(&"x".repeat(129)), Err(Invalid::PasswordTooLong));
    }

    #[test]
    fn api_key_fields() {
        assert_eq!(api_key_name(""), Err(Invalid::KeyNameRequired));
        assert_eq!(api_key_name("   "), Err(Invalid::KeyNameRequired));
        assert_eq!(api_key_name("ci"), Ok(()));
        assert_eq!(api_key_name(&"x".repeat(50)), Ok(()));
        assert_eq!(api_key_name(&"x".repeat(51)), Err(Invalid::KeyNameTooLong));
        assert_eq!(api_key_description(&"d".repeat(150)), Ok(()));
        assert_eq!(
            api_key_description(&"d".repeat(151)),
            Err(Invalid::KeyDescriptionTooLong)
        );
    }

    #[test]
    fn totp_codes_are_six_digits() {
        assert_eq!(totp_code("123456"), Ok(()));
        for bad in ["", "12345", "1234567", "12345a", "12 345", "١٢٣٤٥٦"] {
            assert_eq!(totp_code(bad), Err(Invalid::TotpCode), "{bad}");
        }
    }

    #[test]
    fn username_rules() {
        for good in ["bob", "alice_2", "a23"] {
            assert_eq!(username(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "ab",
            "Bob",
            "2bob",
            "_bob",
            "bo b",
            "bob-x",
            &"a".repeat(33),
        ] {
            assert_eq!(username(bad), Err(Invalid::Username), "{bad}");
        }
    }
}
