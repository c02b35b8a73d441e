//! Runtime configuration: `config.json` next to `index.html`, read before mounting, so one
//! static build can be pointed at any API host without rebuilding.
use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Config {
    /// Origin (and optional path) of the API server. Empty: the page's own origin, which is
    /// how the server ships the console.
    #[serde(rename = "apiUrl", default)]
    pub api_url: String,
}

impl Config {
    /// Fetches `config.json` relative to `document.baseURI`, so it is found under a sub-path
    /// too. A missing or broken file falls back to the defaults: the console still works
    /// against its own origin, and the console log says why.
    pub async fn load() -> Config {
        match Self::fetch().await {
            Ok(config) => config,
            Err(e) => {
                leptos::logging::warn!("config.json not used ({e}); using the page's origin");
                Config::default()
            }
        }
    }

    async fn fetch() -> Result<Config, String> {
        let base = leptos::prelude::document()
            .base_uri()
            .map_err(|_| "no base URI".to_string())?
            .unwrap_or_default();
        let url = web_sys::Url::new_with_base("config.json", &base)
            .map_err(|_| "bad base URI".to_string())?
            .href();
        let resp = gloo_net::http::Request::get(&url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !resp.ok() {
            return Err(format!("HTTP {}", resp.status()));
        }
        resp.json::<Config>().await.map_err(|e| e.to_string())
    }

    /// The absolute or origin-relative URL of an API path such as `/login_`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.api_url.trim_end_matches('/'), path)
    }
}
