//! Issue 18 item 1 on the platform's own pages: a refused form shows the error summary linked
//! to each field, and the message, `aria-invalid` and `aria-describedby` at the field itself.

use radhus_platform::identity::org::UnitKind;
use radhus_platform::identity::totp;
use radhus_testkit::{PASSWORD, TestApp};
use time::Duration;

/// The input with id `id` is marked invalid and described by its message (and hint).
fn invalid_at(body: &str, id: &str, describedby: &str) -> bool {
    body.split(&format!(r#"id="{id}""#)).nth(1).is_some_and(|rest| {
        let tag = rest.split('>').next().unwrap_or_default();
        tag.contains(r#"aria-invalid="true""#) && tag.contains(&format!(r#"aria-describedby="{describedby}""#))
    })
}

#[tokio::test]
async fn admin_pages_show_problems_at_the_fields() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let unit = app.unit(t, "Socialförvaltningen", UnitKind::Forvaltning, None).await;
    let mut c = app.login("kil", &email).await;

    // Organisation: the new unit's form, then one unit's own form.
    let r = c.post_form("/admin/organisation", &[("name", " "), ("kind", "forvaltning"), ("code", "KS")]).await;
    assert_eq!(r.status, 422);
    let b = &r.body;
    assert!(b.contains(r##"<a class="ds-link" href="#new-name">Namn: Skriv enhetens namn. Det får vara högst 120 tecken.</a>"##), "{b}");
    assert!(b.contains(r#"id="new-name-error">Skriv enhetens namn."#), "{b}");
    assert!(invalid_at(b, "new-name", "new-name-error"), "{b}");
    assert!(b.contains(r#"id="new-code" name="code" type="text" value="KS""#), "what was typed is kept: {b}");
    assert!(!invalid_at(b, &format!("name-{unit}"), &format!("name-{unit}-error")), "the unit's own form is untouched");
    assert!(b.contains("Kod (frivilligt)"), "{b}");
    let r = c.post_form(&format!("/admin/organisation/{unit}"), &[("name", ""), ("code", "SOC2")]).await;
    assert_eq!(r.status, 422);
    let b = &r.body;
    assert!(b.contains(&format!(r##"href="#name-{unit}">Namn: Skriv enhetens namn."##)), "{b}");
    assert!(invalid_at(b, &format!("name-{unit}"), &format!("name-{unit}-error")), "{b}");
    assert!(b.contains(r#"value="SOC2""#) && b.contains(r#"<details class="ds-details" open>"#), "{b}");
    assert!(!b.contains(r#"id="new-name-error""#), "the new unit's form is untouched");

    // A new user: every problem at its field.
    let r =
        c.post_form("/admin/anvandare", &[("name", ""), ("email", "nils@kil.se"), ("password", "kort"), ("password_repeat", "kort")]).await;
    assert_eq!(r.status, 422);
    let b = &r.body;
    assert!(b.contains(r##"href="#name">Namn: Skriv personens namn."##), "{b}");
    assert!(invalid_at(b, "name", "name-error"), "{b}");
    assert!(b.contains(r#"value="nils@kil.se""#), "{b}");
    let r = c
        .post_form("/admin/anvandare", &[("name", "Nils"), ("email", "nils@kil.se"), ("password", "kort"), ("password_repeat", "kort")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r##"href="#password">"##) && r.body.contains("Välj ett lösenord med minst 12 tecken."), "{}", r.body);
    assert!(invalid_at(&r.body, "password", "password-hint password-error"), "{}", r.body);

    // A user's page: the role form posts org_unit_id too; only its own field takes the problem.
    let admin = app.staff(t, &email).await;
    let u = admin.user_id;
    let r = c.post_form(&format!("/admin/anvandare/{u}/roller"), &[("role_id", "inte-ett-id"), ("org_unit_id", "")]).await;
    assert_eq!(r.status, 422);
    let b = &r.body;
    assert!(b.contains(r##"href="#role_id">Roll: Välj en roll som finns.</a>"##), "{b}");
    assert!(invalid_at(b, "role_id", "role_id-error"), "{b}");
    assert!(!b.contains(r#"id="org_unit_id" name="org_unit_id" aria-invalid"#), "{b}");
    let r = c.post_form(&format!("/admin/anvandare/{u}"), &[("name", "Admin Kil"), ("email", &email), ("org_unit_id", "")]).await;
    assert_eq!(r.status, 422, "one's own account cannot be turned off");
    assert!(
        r.body.contains(r##"href="#active""##) && r.body.contains(r#"id="active-error">Du kan inte inaktivera ditt eget konto."#),
        "{}",
        r.body
    );
    assert!(invalid_at(&r.body, "active", "active-error"), "{}", r.body);

    // Integrations: a new token's form.
    let r = c.post_form("/admin/integrationer", &[("name", ""), ("expires_on", "2000-01-01"), ("rate_per_minute", "60")]).await;
    assert_eq!(r.status, 422);
    let b = &r.body;
    assert!(b.contains(r##"href="#name">Namn: Skriv vad nyckeln ska användas till."##), "{b}");
    assert!(invalid_at(b, "name", "name-hint name-error"), "{b}");
    assert!(b.contains(r##"href="#roles">"##) && b.contains(r#"id="roles-error">Välj minst en roll."#), "{b}");
    assert!(invalid_at(b, "expires_on", "expires_on-hint expires_on-error"), "{b}");
    assert!(!invalid_at(b, "rate_per_minute", "rate_per_minute-error"), "a right field is not marked");

    // A notification template.
    let r = c.post_form("/admin/mallar/platform.account-created/sv", &[("subject", ""), ("body", "Mitt utkast")]).await;
    assert_eq!(r.status, 422);
    let b = &r.body;
    assert!(b.contains(r##"href="#subject">Ämne: Skriv ämnesraden."##), "{b}");
    assert!(invalid_at(b, "subject", "subject-error") && b.contains(">Mitt utkast</textarea>"), "{b}");
}

#[tokio::test]
async fn login_and_e_id_pages_show_problems_at_the_fields() {
    let app = TestApp::new().await;
    let (_, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    let page = c.get("/konto/tvastegsverifiering").await;
    let secret = page.body.split("name=\"secret\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("secret").to_string();
    let r = c.post_form("/konto/tvastegsverifiering", &[("secret", &secret), ("code", "000000")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r##"href="#code">Kod: Koden stämmer inte."##), "{}", r.body);
    assert!(invalid_at(&r.body, "code", "code-hint code-error"), "{}", r.body);
    let code = totp::current_code(&secret, app.now()).expect("code");
    assert_eq!(c.post_form("/konto/tvastegsverifiering", &[("secret", &secret), ("code", &code)]).await.status, 303);

    // The second step of a login: a wrong code is the code field's problem.
    app.clock.advance(Duration::seconds(30));
    let mut c = app.client("kil.localhost");
    c.post_form("/logga-in", &[("email", &email), ("password", PASSWORD), ("next", "/admin")]).await;
    let r = c.post_form("/logga-in/totp", &[("code", "000000"), ("next", "/admin")]).await;
    assert_eq!(r.status, 401);
    assert!(r.body.contains(r##"<a class="ds-link" href="#code">"##) && r.body.contains(r#"id="code-error">"#), "{}", r.body);
    assert!(invalid_at(&r.body, "code", "code-hint code-error"), "{}", r.body);

    // The test e-ID: a bad number is the number field's problem.
    let mut c = app.client("kil.localhost");
    let r = c.post_form("/e-legitimation/test", &[("pnr", "19811218-9877")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r##"href="#pnr">Personnumret är inte giltigt."##), "{}", r.body);
    assert!(r.body.contains(r#"id="pnr-error">Personnumret är inte giltigt."#), "{}", r.body);
    assert!(invalid_at(&r.body, "pnr", "pnr-hint pnr-error") && r.body.contains(r#"value="19811218-9877""#), "{}", r.body);
    assert!(r.body.contains("Eller skriv ett personnummer (frivilligt)"), "{}", r.body);

    // The platform's e-ID provider: an issuer without its client.
    let mut op = app.operator("drift@radhus.test").await;
    let r = op.post_form("/admin/e-legitimation", &[("issuer_url", "https://idp.example"), ("client_id", ""), ("client_secret", "")]).await;
    assert_eq!(r.status, 422);
    let b = &r.body;
    assert!(b.contains(r##"href="#client_id">Klient-id: Skriv klient-id:t som e-legitimationstjänsten har gett er."##), "{b}");
    assert!(invalid_at(b, "client_id", "client_id-error") && invalid_at(b, "client_secret", "client_secret-error"), "{b}");
    assert!(!invalid_at(b, "issuer_url", "issuer_url-error") && b.contains(r#"value="https://idp.example""#), "{b}");
}
