//! The accessibility audit every journey runs on each screen it reaches: axe-core (injected
//! from its npm package, see scripts/bootstrap) in the light and the dark theme, at a desktop
//! width and at a 360 px phone, plus a check that nothing scrolls sideways on the phone.
use crate::Browser;
use std::sync::OnceLock;
use std::time::Duration;

/// The phone first, so the journey goes on at the desktop width it started with.
const WIDTHS: [u32; 2] = [360, 1280];
const HEIGHT: u32 = 900;
const THEMES: [&str; 2] = ["light", "dark"];

fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = std::env::var("AXE_CORE_JS").expect(
            "AXE_CORE_JS names axe.min.js: source scripts/env (scripts/bootstrap installs it)",
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("cannot read axe-core at {path}: {e} (run scripts/bootstrap)")
        })
    })
}

impl Browser {
    /// Audits the screen as it is now, named `screen` in the failure message: 0 axe
    /// violations (WCAG 2.x A and AA, plus best practices) in both themes at both widths, and
    /// no horizontal overflow at 360 px. The theme is put back as it was.
    pub async fn audit(&self, screen: &str) {
        if self.js("return typeof window.axe === 'undefined';").await == true {
            self.js(&format!("{};\nreturn true;", axe_source())).await;
        }
        let original = self
            .js("return document.documentElement.getAttribute('data-theme');")
            .await;
        let mut problems = Vec::new();
        for width in WIDTHS {
            self.resize(width).await;
            if width == 360 {
                let overflow = self
                    .js("const d = document.documentElement; return d.scrollWidth - d.clientWidth;")
                    .await
                    .as_i64()
                    .unwrap_or_default();
                if overflow > 0 {
                    problems.push(format!(
                        "{width} px: the page scrolls sideways by {overflow} px"
                    ));
                }
            }
            for theme in THEMES {
                self.js(&format!(
                    "document.documentElement.setAttribute('data-theme', '{theme}'); return true;"
                ))
                .await;
                // Two frames: the new colours are computed before axe reads them.
                self.js("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))));")
                    .await;
                for v in self.axe_violations().await {
                    problems.push(format!("{width} px, {theme}: {v}"));
                }
            }
        }
        let restore = match original.as_str() {
            Some(theme) => format!(
                "document.documentElement.setAttribute('data-theme', '{theme}'); return true;"
            ),
            None => "document.documentElement.removeAttribute('data-theme'); return true;".into(),
        };
        self.js(&restore).await;
        assert!(
            problems.is_empty(),
            "accessibility audit of {screen} ({}):\n{}",
            self.path().await,
            problems.join("\n")
        );
    }

    async fn resize(&self, width: u32) {
        self.client
            .set_window_size(width, HEIGHT)
            .await
            .unwrap_or_else(|e| panic!("resize to {width} px: {e}"));
        for _ in 0..50 {
            if self.js("return window.innerWidth;").await.as_u64() == Some(u64::from(width)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the window did not become {width} px wide");
    }

    /// "rule-id: help (target, target…)" for each violation.
    async fn axe_violations(&self) -> Vec<String> {
        let found = self
            .js("const r = await axe.run(document, {
                   runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
                   resultTypes: ['violations'],
                 });
                 return r.violations.map(v => v.id + ': ' + v.help + ' (' +
                   v.nodes.map(n => n.target.join(' ')).join(', ') + ')');")
            .await;
        serde_json::from_value(found).expect("axe's violations")
    }
}
