//! The main path in German, chosen with the console's own switch: sign up (the username left
//! to the server), create an API key, log out and in again. Controls are found by their
//! German names, and each German screen passes the accessibility audit.
use e2e::steps::{detail, PASSWORD};
use e2e::{with_browser, Stack, StackOptions};

#[tokio::test(flavor = "multi_thread")]
async fn the_main_path_in_german() {
    let stack = Stack::start(StackOptions::default()).await;
    let base = stack.url("");
    with_browser(move |b| async move {
        b.goto(&format!("{base}/login")).await;
        b.role("heading", "Log in").await;
        b.role("combobox", "Language")
            .await
            .select_by_value("de")
            .await
            .unwrap();
        b.role("heading", "Anmelden").await;
        assert_eq!(
            b.js("return document.documentElement.lang").await,
            "de",
            "the page says which language it is in"
        );
        b.audit("Anmelden").await;

        b.click("link", "Konto erstellen").await;
        b.role("heading", "Erstellen Sie Ihr Konto").await;
        b.fill("E-Mail-Adresse", "greta.berg@example.com").await;
        let suggested = b
            .role("textbox", "Benutzername")
            .await
            .prop("value")
            .await
            .unwrap();
        assert_eq!(suggested.as_deref(), Some("greta_berg"));
        b.fill("Passwort", PASSWORD).await;
        b.fill("Passwort bestätigen", PASSWORD).await;
        b.audit("Konto erstellen").await;
        b.press("Konto erstellen").await;
        b.role("heading", "Kontodaten").await;
        assert_eq!(detail(&b, "Benutzername").await, "greta_berg");
        assert_eq!(
            b.js("return document.title").await,
            "Kontodaten · Kontokonsole",
            "the title names the page, in German"
        );
        b.audit("Kontodaten").await;

        b.click("link", "Zugriffstoken").await;
        b.role("heading", "Sitzungstoken").await;
        b.click("button", "API-Schlüssel erstellen").await;
        b.role("dialog", "API-Schlüssel erstellen").await;
        b.fill("Name", "Bereitstellung").await;
        b.fill("Beschreibung (optional)", "aus der CI").await;
        b.press("Schlüssel erstellen").await;
        b.role("dialog", "Ihr neuer API-Schlüssel").await;
        b.audit("Ihr neuer API-Schlüssel").await;
        b.click(
            "checkbox",
            "Ich habe diesen Schlüssel an einem sicheren Ort gespeichert",
        )
        .await;
        b.press("Fertig").await;
        b.role("checkbox", "Bereitstellung auswählen").await;
        b.audit("Zugriffstoken").await;

        // The choice outlives a reload and a new sign-in.
        b.refresh().await;
        b.role("heading", "Sitzungstoken").await;
        b.role("button", "greta_berg, Kontomenü")
            .await
            .click()
            .await
            .unwrap();
        b.click("menuitem", "Abmelden").await;
        b.role_with_text("status", "Sie wurden abgemeldet.").await;
        b.role("heading", "Anmelden").await;
        b.fill("Benutzername oder E-Mail-Adresse", "greta_berg")
            .await;
        b.fill("Passwort", PASSWORD).await;
        b.press("Anmelden").await;
        b.role("heading", "Kontodaten").await;
    })
    .await;
}
