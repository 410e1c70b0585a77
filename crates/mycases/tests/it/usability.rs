//! Issue 18: the citizen's and the administrator's forms show a refusal at the field — the
//! error summary linked to it, the message, `aria-invalid` and `aria-describedby`.

use radhus_cases::parties::NewParty;
use radhus_cases::service::NewCase;
use radhus_mycases::feed::SUBSCRIBER;
use radhus_platform::changes;
use radhus_testkit::TestApp;

use super::ASTRID;

#[track_caller]
fn refused_at(body: &str, id: &str, describedby: &str, message: &str) {
    assert!(body.contains("ds-error-summary"), "the summary: {body}");
    assert!(body.contains(&format!("href=\"#{id}\"")), "the summary links to #{id}: {body}");
    assert!(body.contains(&format!("id=\"{id}-error\">{message}</p>")), "the message at #{id}: {body}");
    assert!(body.contains(&format!("id=\"{id}\"")), "the field #{id}: {body}");
    assert!(body.contains(&format!("aria-invalid=\"true\" aria-describedby=\"{describedby}\"")), "#{id} invalid: {body}");
}

#[tokio::test]
async fn the_settings_the_answer_and_the_texts_are_refused_at_their_fields() {
    let app =
        TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg), radhus_cases::module(), radhus_mycases::module()], |_| {})
            .await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let admin = app.staff(t, &email).await;
    let reg = radhus_cases::service::create_registry(&app.db, &admin, "KS", "Kommunstyrelsen", "", app.now()).await.expect("registry");
    let ct = radhus_cases::service::create_case_type(&app.db, &admin, "Bygglov", reg, None, 70, app.now()).await.expect("type");
    let party = NewParty::from_form("applicant", "Astrid Lindqvist", ASTRID, "", app.now().date()).expect("party");
    let nc = NewCase { case_type: ct, title: "Bygglov, Tuppen 4".into(), parties: vec![party], ..Default::default() };
    let (case, _) = radhus_cases::service::create_case(&app.db, &admin, &nc, app.now()).await.expect("case");
    changes::deliver(&app.db, &SUBSCRIBER, 100, app.now()).await.expect("deliver");

    // The settings: SMS chosen with a number that is none.
    let mut c = app.client("kil.localhost");
    assert_eq!(c.post_form("/e-legitimation/test", &[("person", ASTRID)]).await.status, 303);
    let r = c.post_form("/mina-arenden/installningar", &[("channel", "sms"), ("phone", "12"), ("lang", "sv")]).await;
    assert_eq!(r.status, 422);
    refused_at(&r.body, "phone", "phone-hint phone-error", "Skriv ett mobilnummer, till exempel 070-123 45 67.");
    assert!(r.body.contains("Mobilnummer: Skriv ett mobilnummer"), "the summary names the field: {}", r.body);
    assert!(r.body.contains("value=\"sms\" checked") && r.body.contains("value=\"12\""), "the choices kept: {}", r.body);
    assert!(r.body.contains("E-postadress (frivilligt)"), "{}", r.body);
    assert_eq!(r.body.matches("aria-invalid=\"true\"").count(), 1);
    // No channel chosen: the message at the group of radios.
    let r = c.post_form("/mina-arenden/installningar", &[("lang", "sv")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#channel\"") && r.body.contains("id=\"channel-error\">Välj hur du vill få besked.</p>"), "{}", r.body);

    // The answer in the case: an empty message.
    let page = format!("/mina-arenden/{}/{case}", t.0);
    assert_eq!(c.get(&page).await.status, 200);
    let r = c.post_multipart(&format!("{page}/svar"), &[("body", " ")], &[]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    refused_at(&r.body, "body", "body-hint body-error", "Skriv ett meddelande.");
    assert!(r.body.contains("Bifoga filer (frivilligt)") && r.body.contains("multiple"), "{}", r.body);
    assert_eq!(r.body.matches("aria-invalid=\"true\"").count(), 1, "the files are not marked");

    // The case type's words: a text too long, at that phase's field.
    let mut a = app.login("kil", &email).await;
    let long = "x".repeat(501);
    let r = a.post_form(&format!("/admin/mina-arenden/{ct}"), &[("registered_inform", "on"), ("registered_text_sv", &long)]).await;
    assert_eq!(r.status, 422);
    refused_at(&r.body, "registered_text_sv", "registered_text_sv-error", "Texten är för lång. Korta den till högst 500 tecken.");
    assert!(r.body.contains("Registrerat, förklaring på svenska: Texten är för lång."), "the summary names the phase: {}", r.body);
    assert!(r.body.contains(&long), "the text kept");
    assert_eq!(r.body.matches("aria-invalid=\"true\"").count(), 1);
}
