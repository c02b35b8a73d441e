//! Steps several journeys share, written as a user would perform them.
use crate::Browser;

/// A password that passes the server's policy (long, not common, no username in it).
pub const PASSWORD: &str = "purple-otter-sings-42";

/// Fills and submits the sign-up form that is on screen; ends on the Account details tab.
pub async fn submit_sign_up(b: &Browser, email: &str, username: &str) {
    b.role("heading", "Create your account").await;
    b.fill("Email", email).await;
    b.fill("Username", username).await;
    b.fill("Password", PASSWORD).await;
    b.fill("Confirm password", PASSWORD).await;
    b.press("Create account").await;
    b.role("heading", "Account details").await;
}

/// Opens the sign-up page of the console at `base` and creates an account.
pub async fn sign_up(b: &Browser, base: &str, email: &str, username: &str) {
    b.goto(&format!("{base}/signup")).await;
    submit_sign_up(b, email, username).await;
}

/// Logs in from the login page on screen; ends on the Account details tab.
pub async fn log_in(b: &Browser, who: &str, remember: bool) {
    b.role("heading", "Log in").await;
    b.fill("Username or email", who).await;
    b.fill("Password", PASSWORD).await;
    if remember {
        b.click("checkbox", "Remember me").await;
    }
    b.press("Log in").await;
    b.role("heading", "Account details").await;
}

/// Logs out through the account menu and checks that no token is left in the browser.
pub async fn log_out(b: &Browser) {
    account_menu(b)
        .await
        .click()
        .await
        .expect("open the account menu");
    b.click("menuitem", "Log out").await;
    b.role_with_text("status", "You have been logged out.")
        .await;
    assert!(
        b.stored_tokens().await.is_empty(),
        "logging out must clear every stored token"
    );
}

/// The value shown for a term of the Account details list.
pub async fn detail(b: &Browser, term: &str) -> String {
    let xpath = format!("//dt[normalize-space()='{term}']/following-sibling::dd[1]");
    let dd = b
        .client
        .wait()
        .for_element(fantoccini::Locator::XPath(&xpath))
        .await
        .unwrap();
    dd.text().await.unwrap()
}

/// The account menu's button, named "<username>, account menu".
pub async fn account_menu(b: &Browser) -> fantoccini::elements::Element {
    b.role_where("button", "…, account menu", |name| {
        name.ends_with(", account menu")
    })
    .await
}
