//! Input rules shared by the console (live validation) and the server (enforcement).
//! The messages are the ones users read, so they are written for people.

/// ASVS 6.2.1: at least 8 characters (balena's documented minimum too).
pub const PASSWORD_MIN_CHARS: usize = 8;
/// ASVS 6.2.9 wants ≥ 64 accepted; the cap keeps argon2 input bounded.
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const USERNAME_MIN_CHARS: usize = 3;
pub const USERNAME_MAX_CHARS: usize = 32;
/// RFC 5321 path limit.
pub const EMAIL_MAX_CHARS: usize = 254;

pub const MSG_EMAIL_INVALID: &str = "Invalid email";
pub const MSG_PASSWORD_SHORT: &str = "Password must be at least 8 characters";
pub const MSG_PASSWORD_LONG: &str = "Password must be at most 128 characters";
pub const MSG_USERNAME_INVALID: &str =
    "Username must be 3 to 32 characters: lowercase letters, digits and underscores, starting with a letter";

/// A deliberately loose shape check (something@domain.tld, no spaces): the only real proof of an
/// address is a message reaching it.
pub fn email(s: &str) -> Result<(), &'static str> {
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
        Err(MSG_EMAIL_INVALID)
    }
}

/// Length only: no composition rules (ASVS 6.2.5) and no trimming (6.2.8). The server also
/// rejects common passwords, which needs its bundled list.
pub fn password(s: &str) -> Result<(), &'static str> {
    let n = s.chars().count();
    if n < PASSWORD_MIN_CHARS {
        Err(MSG_PASSWORD_SHORT)
    } else if n > PASSWORD_MAX_CHARS {
        Err(MSG_PASSWORD_LONG)
    } else {
        Ok(())
    }
}

/// Usernames are also organization handles, so they stay URL- and handle-safe.
pub fn username(s: &str) -> Result<(), &'static str> {
    let n = s.chars().count();
    let mut chars = s.chars();
    let ok = (USERNAME_MIN_CHARS..=USERNAME_MAX_CHARS).contains(&n)
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(MSG_USERNAME_INVALID)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_shapes() {
        for good in ["a@b.co", "alice.smith+x@mail.example.org"] {
            assert_eq!(email(good), Ok(()), "{good}");
        }
        for bad in [
            "", "a", "a@", "@b.co", "a@b", "a b@c.de", "a@b..c", "a@.b.c", "a@b.c.", "a@b@c.d",
        ] {
            assert_eq!(email(bad), Err(MSG_EMAIL_INVALID), "{bad}");
        }
        assert!(email(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        assert_eq!(password("1234567"), Err(MSG_PASSWORD_SHORT));
        assert_eq!(password("12345678"), Ok(()));
        assert_eq!(password("éééééééé"), Ok(()));
        assert_eq!(password(" padded "), Ok(()), "spaces are kept, not trimmed");
        assert_eq!(password(&"x".repeat(128)), Ok(()));
        assert_eq!(password(&"x".repeat(129)), Err(MSG_PASSWORD_LONG));
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
            assert!(username(bad).is_err(), "{bad}");
        }
    }
}
