//! The API's paths, in axum's and OpenAPI's shared template syntax (`{name}` for a segment),
//! named once for the server's routes and its OpenAPI document. The sessions paths live in
//! [`crate::sessions`].

/// Our OpenAPI document of everything below.
pub const OPENAPI: &str = "/openapi.json";
pub const CONFIG: &str = "/config";
pub const LOGIN: &str = "/login_";
pub const REGISTER: &str = "/user/register";
pub const REFRESH_TOKEN: &str = "/user/v1/refresh-token";
pub const LOGOUT: &str = "/user/v1/logout";
pub const USER_WHOAMI: &str = "/user/v1/whoami";
pub const ACTOR_WHOAMI: &str = "/actor/v1/whoami";
pub const PASSWORD: &str = "/user/v1/password";
pub const PASSWORD_RESET: &str = "/user/v1/password-reset";
pub const PASSWORD_RESET_CONFIRM: &str = "/user/v1/password-reset/confirm";
pub const VERIFY_EMAIL: &str = "/user/v1/verify-email";
pub const USER_API_KEY: &str = "/api-key/user/full";
pub const PROVISIONING_KEY: &str = "/api-key/application/{id}/provisioning";
pub const DEVICE_KEY: &str = "/api-key/device/{id}/device-key";
pub const TOTP_SETUP: &str = "/auth/totp/setup";
pub const TOTP_VERIFY: &str = "/auth/totp/verify";
pub const TOTP_DISABLE: &str = "/auth/totp/disable";
pub const TOTP_RECOVERY_CODES: &str = "/auth/totp/recovery-codes";
pub const OAUTH_AUTHORIZE: &str = "/auth/oauth/{provider}/authorize";
pub const OAUTH_CALLBACK: &str = "/auth/oauth/{provider}/callback";
/// `<resource>` or `<resource>(<key>)`.
pub const ODATA_RESOURCE: &str = "/v7/{resource}";
/// `<resource>/$count`; any other `sub` is 404.
pub const ODATA_SUB: &str = "/v7/{resource}/{sub}";

#[cfg(test)]
mod tests {
    /// Every API path, as a request would start (templates cut at their first `{`).
    const ALL: [&str; 26] = [
        super::OPENAPI,
        super::CONFIG,
        super::LOGIN,
        super::REGISTER,
        super::REFRESH_TOKEN,
        super::LOGOUT,
        super::USER_WHOAMI,
        super::ACTOR_WHOAMI,
        super::PASSWORD,
        super::PASSWORD_RESET,
        super::PASSWORD_RESET_CONFIRM,
        super::VERIFY_EMAIL,
        super::USER_API_KEY,
        super::PROVISIONING_KEY,
        super::DEVICE_KEY,
        super::TOTP_SETUP,
        super::TOTP_VERIFY,
        super::TOTP_DISABLE,
        super::TOTP_RECOVERY_CODES,
        super::OAUTH_AUTHORIZE,
        super::OAUTH_CALLBACK,
        super::ODATA_RESOURCE,
        super::ODATA_SUB,
        crate::sessions::SESSIONS_PATH,
        crate::sessions::REVOKE_OTHER_SESSIONS_PATH,
        crate::sessions::SESSION_PATH,
    ];

    /// `trunk serve` proxies the API to the server by path prefix: a path no proxy entry
    /// covers would be answered by trunk's own index.html during development.
    #[test]
    fn trunk_proxies_every_api_path_the_console_calls() {
        let trunk = include_str!("../../Trunk.toml");
        let prefixes: Vec<&str> = trunk
            .lines()
            .filter_map(|l| l.trim().strip_prefix("backend = \""))
            .filter_map(|l| l.strip_suffix('"'))
            .filter_map(|url| url.split_once("://").map(|(_, rest)| rest))
            .filter_map(|rest| rest.find('/').map(|i| &rest[i..]))
            .collect();
        assert!(!prefixes.is_empty(), "no [[proxy]] backends in Trunk.toml");
        // Only the OpenAPI document is not the console's to call.
        for path in ALL.iter().filter(|p| **p != super::OPENAPI) {
            let path = path.split('{').next().unwrap();
            assert!(
                prefixes.iter().any(|p| path.starts_with(p)),
                "{path} is not proxied by Trunk.toml ({prefixes:?})"
            );
        }
    }
}
