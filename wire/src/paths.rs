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
