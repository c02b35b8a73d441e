//! Account journeys of the walking skeleton, in headless Chromium against the real server and
//! the release build of the console. Controls are found by role and accessible name; only the
//! values of the Account details list are read by structure (term, then its definition).
use e2e::steps::{account_menu, detail, log_in, log_out, sign_up, PASSWORD};
use e2e::{http, with_browser, Browser, Stack, StackOptions};
use std::net::SocketAddr;

#[tokio::test(flavor = "multi_thread")]
async fn sign_up_log_out_log_in_by_email_and_username_and_reload() {
    let stack = Stack::start(StackOptions::default()).await;
    let base = stack.url("");
    with_browser(move |b| async move {
        sign_up(&b, &base, "alice@example.com", "alice").await;
        b.wait_path("/preferences/details").await;
        assert_eq!(detail(&b, "Username").await, "alice");
        assert_eq!(detail(&b, "Email").await, "alice@example.com");
        let menu = b.role("button", "alice, account menu").await;
        assert_eq!(
            menu.text().await.unwrap(),
            "alice",
            "the header shows who is signed in"
        );
        b.audit("the account details page").await;
        account_menu(&b).await.click().await.unwrap();
        b.role("menuitem", "Log out").await;
        b.audit("the account menu, open").await;
        account_menu(&b).await.click().await.unwrap();

        log_out(&b).await;
        b.wait_path("/login").await;

        log_in(&b, "alice@example.com", false).await;
        let stored = b.stored_tokens().await;
        assert_eq!(stored.len(), 1, "{stored:?}");
        assert_eq!(
            stored[0].0, "session",
            "without Remember me the token lives in sessionStorage"
        );

        b.refresh().await;
        b.role("heading", "Account details").await;
        assert_eq!(
            detail(&b, "Username").await,
            "alice",
            "a reload keeps the session"
        );

        log_out(&b).await;
        // A protected page now sends the visitor to login, and back after it.
        b.goto(&format!("{base}/preferences/details")).await;
        b.wait_path("/login").await;
        log_in(&b, "alice", true).await;
        b.wait_path("/preferences/details").await;
        let stored = b.stored_tokens().await;
        assert_eq!(stored.len(), 1, "{stored:?}");
        assert_eq!(
            stored[0].0, "local",
            "Remember me keeps the token in localStorage"
        );
        b.refresh().await;
        assert_eq!(detail(&b, "Email").await, "alice@example.com");
        log_out(&b).await;

        let csp: Vec<_> = b
            .severe_logs()
            .await
            .into_iter()
            .filter(|m| m.contains("Content Security Policy"))
            .collect();
        assert!(csp.is_empty(), "CSP violations: {csp:?}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_password_and_taken_email_show_readable_errors() {
    let stack = Stack::start(StackOptions::default()).await;
    let base = stack.url("");
    with_browser(move |b| async move {
        sign_up(&b, &base, "bob@example.com", "bob").await;
        log_out(&b).await;

        // Keyboard only: type, then Enter submits the form.
        b.fill("Username or email", "bob").await;
        b.fill("Password", "not-the-password").await;
        b.role("textbox", "Password")
            .await
            .send_keys("\u{E007}")
            .await
            .unwrap();
        b.role_with_text("alert", "Wrong username, email or password.")
            .await;
        b.audit("the login page, wrong password").await;
        b.wait_path("/login").await;
        assert!(b.stored_tokens().await.is_empty());

        // An unknown account reads exactly the same.
        b.fill("Username or email", "nobody@example.com").await;
        b.fill("Password", PASSWORD).await;
        b.press("Log in").await;
        b.role_with_text("alert", "Wrong username, email or password.")
            .await;

        b.click("link", "Create an account").await;
        b.role("heading", "Create your account").await;
        b.fill("Email", "bob@example.com").await;
        b.fill("Username", "bobby").await;
        b.fill("Password", PASSWORD).await;
        b.fill("Confirm password", PASSWORD).await;
        b.press("Create account").await;
        // The server refuses: the form stays, with the reason.
        b.role_with_text("alert", "This email is already taken")
            .await;
        b.audit("the sign-up page, email taken").await;
        b.wait_path("/signup").await;
        let email = b
            .role("textbox", "Email")
            .await
            .prop("value")
            .await
            .unwrap();
        assert_eq!(
            email.as_deref(),
            Some("bob@example.com"),
            "a failed submit loses nothing"
        );
    })
    .await;
}

/// Replaces the stored session token by `token`, where the console keeps it.
async fn replace_stored_token(b: &Browser, token: &str) {
    let stored = b.stored_tokens().await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    let (area, key, _) = &stored[0];
    let storage = if area == "local" {
        "localStorage"
    } else {
        "sessionStorage"
    };
    b.js(&format!(
        "{storage}.setItem({key:?}, {token:?}); return null;"
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn revoked_or_expired_token_returns_to_login() {
    let stack = Stack::start(StackOptions::default()).await;
    let (base, addr, secret) = (stack.url(""), stack.addr, stack.jwt_secret.clone());
    with_browser(move |b| async move {
        sign_up(&b, &base, "carol@example.com", "carol").await;

        // Revoked: the session is ended server-side while the page still holds the token.
        let token = b.stored_tokens().await.remove(0).2;
        assert_eq!(revoke(addr, &token).status, 200);
        assert_eq!(
            http(addr, "GET", "/user/v1/whoami", Some(&token), None).status,
            401
        );
        b.refresh().await;
        b.role_with_text("status", "Your session has ended. Please log in again.")
            .await;
        b.wait_path("/login").await;
        assert!(
            b.stored_tokens().await.is_empty(),
            "a refused token is forgotten"
        );

        // Expired: a correctly signed token whose exp has passed.
        log_in(&b, "carol", false).await;
        let token = b.stored_tokens().await.remove(0).2;
        let expired = expire(&token, &secret);
        assert_eq!(
            http(addr, "GET", "/user/v1/whoami", Some(&expired), None).status,
            401
        );
        replace_stored_token(&b, &expired).await;
        b.refresh().await;
        b.role_with_text("status", "Your session has ended. Please log in again.")
            .await;
        b.wait_path("/login").await;
        assert!(b.stored_tokens().await.is_empty());
    })
    .await;
}

/// balena's clients refresh a session token once it is a day old; so does the console, and
/// the server answers with a token for the same session.
#[tokio::test(flavor = "multi_thread")]
async fn day_old_token_is_refreshed() {
    let stack = Stack::start(StackOptions::default()).await;
    let (base, addr, secret) = (stack.url(""), stack.addr, stack.jwt_secret.clone());
    with_browser(move |b| async move {
        sign_up(&b, &base, "frank@example.com", "frank").await;
        let fresh = b.stored_tokens().await.remove(0).2;
        let old = age(&fresh, &secret, 25 * 3600);
        replace_stored_token(&b, &old).await;
        b.refresh().await;
        assert_eq!(detail(&b, "Username").await, "frank");
        let deadline = std::time::Instant::now() + e2e::WAIT;
        let renewed = loop {
            let now = b.stored_tokens().await.remove(0).2;
            if now != old {
                break now;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the day-old token was not refreshed"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        let (old_claims, new_claims) = (claims(&old, &secret), claims(&renewed, &secret));
        assert!(
            new_claims.iat > old_claims.iat,
            "a newer token: {new_claims:?}"
        );
        assert_eq!(new_claims.jwt_secret, old_claims.jwt_secret, "same session");
        assert_eq!(
            new_claims.auth_time, old_claims.auth_time,
            "refresh keeps authTime"
        );
        assert_eq!(
            http(addr, "GET", "/user/v1/whoami", Some(&renewed), None).status,
            200
        );
    })
    .await;
}

fn revoke(addr: SocketAddr, token: &str) -> e2e::Reply {
    http(addr, "POST", "/user/v1/logout", Some(token), None)
}

/// The claims of a token the server signed (expiry not checked).
fn claims(token: &str, secret: &str) -> wire::SessionClaims {
    use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
    let mut v = Validation::new(Algorithm::HS256);
    v.validate_exp = false;
    decode(token, &DecodingKey::from_secret(secret.as_bytes()), &v)
        .expect("server token")
        .claims
}

fn sign(claims: &wire::SessionClaims, secret: &str) -> String {
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
    let key = EncodingKey::from_secret(secret.as_bytes());
    encode(&Header::new(Algorithm::HS256), claims, &key).unwrap()
}

/// Re-signs `token` with its expiry an hour ago (issued two hours ago, so the console's
/// refresh-after-a-day rule does not kick in first).
fn expire(token: &str, secret: &str) -> String {
    let mut c = claims(token, secret);
    c.iat -= 2 * 3600;
    c.exp = c.iat + 3600;
    sign(&c, secret)
}

/// Re-signs `token` as if issued `secs` ago (still unexpired).
fn age(token: &str, secret: &str, secs: i64) -> String {
    let mut c = claims(token, secret);
    c.iat -= secs;
    sign(&c, secret)
}
