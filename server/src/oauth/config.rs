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
    /// The provider's issuer URL: its endpoints and signing keys come from
    /// `<issuer>/.well-known/openid-configuration`.
    #[arg(long, env = "OIDC_ISSUER_URL")]
    pub oidc_issuer_url: Option<String>,
}
