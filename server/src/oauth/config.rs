//! Social sign-in flags. A provider is configured when its client id and secret are given.
use crate::config::Secret;

#[derive(clap::Args, Clone, Debug)]
pub struct OAuthConfig {
    /// GitHub OAuth app client id ("Continue with GitHub").
    #[arg(long, env = "GITHUB_CLIENT_ID")]
    pub github_client_id: Option<String>,
    #[arg(long, env = "GITHUB_CLIENT_SECRET", hide_env_values = true)]
    pub github_client_secret: Option<Secret>,

    /// Google OAuth client id ("Continue with Google").
    #[arg(long, env = "GOOGLE_CLIENT_ID")]
    pub google_client_id: Option<String>,
    #[arg(long, env = "GOOGLE_CLIENT_SECRET", hide_env_values = true)]
    pub google_client_secret: Option<Secret>,

    /// Button name of a generic OpenID Connect provider ("Continue with <name>").
    #[arg(long, env = "OIDC_NAME", default_value = "OpenID Connect")]
    pub oidc_name: String,
    #[arg(long, env = "OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    #[arg(long, env = "OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<Secret>,
    /// The provider's authorization endpoint.
    #[arg(long, env = "OIDC_AUTHORIZE_URL")]
    pub oidc_authorize_url: Option<String>,
    /// The provider's token endpoint.
    #[arg(long, env = "OIDC_TOKEN_URL")]
    pub oidc_token_url: Option<String>,
    /// The provider's userinfo endpoint (must return `sub`, `email`, `email_verified`).
    #[arg(long, env = "OIDC_USERINFO_URL")]
    pub oidc_userinfo_url: Option<String>,
}
