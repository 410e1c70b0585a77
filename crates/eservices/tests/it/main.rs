//! E-services on SQLite, and PostgreSQL when configured: the operator publishes to the shared
//! catalogue, a municipality adopts, a citizen fills in, signs and submits through the pages,
//! and the submission becomes one case in the municipality's registry.

use radhus_cases::service as cases;
use radhus_eservices::{catalogue, store};
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::identity::org::UnitKind;
use radhus_platform::on_tx;
use radhus_testkit::{Client, TestApp};
use uuid::Uuid;

const ASTRID: &str = "19850315-2384";
const ERIK: &str = "19720901-4419";

/// A small definition of our own, so the tests do not follow the starter bank's texts: a step
/// shown only for type B, a required e-mail address, a choice and a confirmation.
const DEFINITION: &str = r#"{
  "key": "provtjanst", "version": 1,
  "title": "Ansökan om provtillstånd", "summary": "En e-tjänst för tester.",
  "eblomlada": ["EB17-64"], "fee": { "amount": 1000 }, "handling_days": 14,
  "personal_data": "Namn, personnummer och e-postadress.", "legal_basis": "Myndighetsutövning.",
  "retention": "Enligt dokumenthanteringsplanen.",
  "steps": [
    { "id": "om", "title": "Om dig", "fields": [
      { "id": "namn", "kind": "text", "label": "Namn", "required": true, "prefill": "name" },
      { "id": "epost", "kind": "email", "label": "E-postadress", "required": true },
      { "id": "typ", "kind": "choice", "label": "Typ", "required": true,
        "options": [ { "value": "a", "label": "Typ A" }, { "value": "b", "label": "Typ B" } ] } ] },
    { "id": "mer", "title": "Mer om typ B", "visible_if": "typ == \"b\"", "fields": [
      { "id": "motivering", "kind": "textarea", "label": "Motivering", "required": true } ] },
    { "id": "intyg", "title": "Intyg", "fields": [
      { "id": "intygar", "kind": "checkbox", "label": "Jag intygar att uppgifterna stämmer", "required": true } ] }
  ]
}"#;

async fn app() -> TestApp {
    TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg), radhus_cases::module(), radhus_eservices::module()], |_| {})
        .await
}

/// The test definition in the shared catalogue, published by an operator through the page.
async fn publish(app: &TestApp) {
    let mut op = app.operator("drift@radhus.se").await;
    let r = op.post_form("/admin/e-tjanster/delade", &[("definition", DEFINITION)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

/// A municipality with a registry, a case type routed to a unit, and the test service adopted
/// by its administrator on the adoption page. Returns the municipality, the admin client and
/// the case type.
async fn municipality(app: &TestApp, slug: &str, name: &str, code: &str) -> (TenantId, Client, Uuid) {
    let (t, email) = app.tenant_with_admin(slug, name, code).await;
    let staff = app.staff(t, &email).await;
    let reg = cases::create_registry(&app.db, &staff, "BN", "Byggnadsnämnden", "", app.now()).await.expect("registry");
    let ct = cases::create_case_type(&app.db, &staff, "Provtillstånd", reg, None, 30, app.now()).await.expect("type");
    let unit = app.unit(t, "Samhällsbyggnadsförvaltningen", UnitKind::Forvaltning, None).await;
    cases::set_routing(&app.db, &staff, ct, Some(unit.0), None, app.now()).await.expect("routing");
    let mut admin = app.login(slug, &email).await;
    let r = admin.get("/admin/e-tjanster").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Ansökan om provtillstånd") && r.body.contains("Inte ansluten"), "{}", r.body);
    adopt(&mut admin, ct, "published").await;
    (t, admin, ct)
}

async fn adopt(admin: &mut Client, ct: Uuid, status: &str) {
    let ct = ct.to_string();
    let fields = [
        ("case_type", ct.as_str()),
        ("public_title", "Ansökan om provtillstånd"),
        ("secrecy_ground", ""),
        ("status", status),
        ("overrides", ""),
    ];
    let r = admin.post_form("/admin/e-tjanster/tjanst/provtjanst", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

async fn citizen(app: &TestApp, host: &str, pnr: &str) -> Client {
    let mut c = app.client(host);
    assert_eq!(c.post_form("/e-legitimation/test", &[("person", pnr)]).await.status, 303);
    c
}

/// Starts (or resumes) the citizen's draft and returns its id.
async fn start(c: &mut Client) -> Uuid {
    let r = c.post_form("/e-tjanster/provtjanst/borja", &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.location().expect("location").to_string();
    to.split('/').nth(3).and_then(|s| s.parse().ok()).expect("draft id")
}

fn step(draft: Uuid, n: usize) -> String {
    format!("/e-tjanster/provtjanst/{draft}/steg/{n}")
}

/// The content hash the review page carries.
fn sha_of(body: &str) -> String {
    let at = body.find("name=\"sha256\" value=\"").expect("sha field") + "name=\"sha256\" value=\"".len();
    body[at..at + 64].to_string()
}

async fn count(app: &TestApp, t: TenantId, sql: &str) -> i64 {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (n,): (i64,) =
        on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string())).bind(t.0).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    n
}

/// The draft's stored answers, opened.
async fn answers_of(app: &TestApp, t: TenantId, draft: Uuid) -> serde_json::Value {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let d = store::draft(&mut tx, t, draft).await.expect("draft").expect("exists");
    tx.commit().await.expect("commit");
    serde_json::from_str(&radhus_platform::pii::open_text(&d.answers).expect("open")).expect("json")
}

#[tokio::test]
async fn a_citizen_fills_in_signs_and_submits_and_gets_one_case_and_a_receipt() {
    let app = app().await;
    publish(&app).await;
    let (kil, _admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;

    // The catalogue, its search and the start page.
    let r = c.get("/e-tjanster").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Ansökan om provtillstånd") && r.body.contains("Bygga, bo och trafik"), "{}", r.body);
    assert!(c.get("/e-tjanster?q=provtillstand").await.body.contains("/e-tjanster/provtjanst"), "search without diacritics");
    assert!(!c.get("/e-tjanster?q=serveringstillstand").await.body.contains("/e-tjanster/provtjanst"));
    let r = c.get("/e-tjanster/provtjanst").await;
    assert!(r.body.contains("1000 kr") && r.body.contains("ungefär 14 dagar") && r.body.contains("Myndighetsutövning."), "{}", r.body);

    let draft = start(&mut c).await;
    let r = c.post_form("/e-tjanster/provtjanst/borja", &[]).await;
    assert_eq!(r.location(), Some(step(draft, 0).as_str()), "a new draft begins at the first step");
    let r = c.get(&step(draft, 0)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("value=\"Astrid Lindqvist\""), "the name comes from the e-ID: {}", r.body);

    // Bad input: an e-mail address that is none, markup, and an option that is not offered.
    let r = c.post_form(&step(draft, 0), &[("namn", "<script>alert(1)</script>"), ("epost", "inte-en-adress"), ("typ", "c")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#f-epost\"") && r.body.contains("href=\"#f-typ\""), "the summary links each field: {}", r.body);
    assert!(r.body.contains("aria-invalid=\"true\"") && r.body.contains("aria-describedby=\"f-epost-error\""), "{}", r.body);
    assert!(!r.body.contains("<script>alert"), "escaped");
    let stored = answers_of(&app, kil, draft).await;
    assert!(stored.get("typ").is_none(), "the tampered option is not stored: {stored}");

    // A step further on, asked for by URL: back to the first step that needs answers.
    let r = c.get(&step(draft, 2)).await;
    assert_eq!((r.status, r.location()), (303, Some(step(draft, 0).as_str())));
    assert_eq!(c.post_form(&step(draft, 2), &[("intygar", "true")]).await.status, 404);

    // Type A skips the step for type B.
    let r = c.post_form(&step(draft, 0), &[("namn", "Astrid Lindqvist"), ("epost", "astrid@example.se"), ("typ", "a")]).await;
    assert_eq!((r.status, r.location()), (303, Some(step(draft, 2).as_str())), "{}", r.body);
    let review = format!("/e-tjanster/provtjanst/{draft}/granska");
    assert_eq!(c.get(&review).await.location(), Some(step(draft, 2).as_str()), "the review waits for every step");
    let r = c.post_form(&step(draft, 2), &[("intygar", "true")]).await;
    assert_eq!(r.location(), Some(review.as_str()), "{}", r.body);

    // Resumed on another device: the same draft, where it was left (complete: the review).
    let mut phone = citizen(&app, "kil.localhost", ASTRID).await;
    let r = phone.post_form("/e-tjanster/provtjanst/borja", &[]).await;
    assert_eq!(r.location(), Some(review.as_str()));

    let r = c.get(&review).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("astrid@example.se") && r.body.contains("Typ A") && r.body.contains("1000 kr"), "{}", r.body);
    let sha = sha_of(&r.body);

    // An old review page after a change: refused, nothing submitted.
    let submit = format!("/e-tjanster/provtjanst/{draft}/skicka");
    let r = c.post_form(&submit, &[("sha256", &"0".repeat(64))]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    // A problem of the whole submission: in the error summary, linked to no field.
    assert!(r.body.contains("class=\"ds-error-summary\"") && r.body.contains("<li>Svaren har ändrats sedan sidan visades."), "{}", r.body);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1").await, 0);

    let r = c.post_form(&submit, &[("sha256", &sha)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let receipt = r.location().expect("receipt").to_string();
    assert!(receipt.starts_with("/e-tjanster/kvitton/"), "{receipt}");

    // One case in the registry, the citizen its applicant, the submission its inbound record.
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1").await, 1);
    assert_eq!(
        count(&app, kil, "SELECT COUNT(*) FROM case_party WHERE tenant_id = $1 AND role = 'applicant' AND pnr_sealed IS NOT NULL").await,
        1
    );
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM record WHERE tenant_id = $1 AND kind = 'inbound'").await, 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM document_version WHERE tenant_id = $1").await, 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'es.submission.signed'").await, 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND recipient = 'astrid@example.se'").await, 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_draft WHERE tenant_id = $1").await, 0);
    let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
    let (title, public_title): (String, String) = on_tx!(&mut tx, cx => sqlx::query_as("SELECT title, public_title FROM case_file WHERE tenant_id = $1")
        .bind(kil.0).fetch_one(cx).await.expect("case"));
    let (sha_stored, how): (String, String) = on_tx!(&mut tx, cx => sqlx::query_as("SELECT content_sha256, identified_by FROM es_submission WHERE tenant_id = $1")
        .bind(kil.0).fetch_one(cx).await.expect("submission"));
    tx.commit().await.expect("commit");
    assert_eq!((title.as_str(), public_title.as_str()), ("Ansökan om provtillstånd", "Ansökan om provtillstånd"));
    assert_eq!((sha_stored.as_str(), how.as_str()), (sha.as_str(), "test-eid"));

    let r = c.get(&receipt).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Diarienummer") && r.body.contains(&sha) && r.body.contains("astrid@example.se"), "{}", r.body);
    // The checksum is kept for whoever checks the archive, not shown among the receipt's facts.
    let details = r.body.find("<summary>Kontrollsumma för arkivet</summary>").expect("checksum behind a summary");
    assert!(r.body.find(&sha).expect("sha") > details && !r.body.contains("SHA-256"), "{}", r.body);
    let pdf = c.get(&format!("{receipt}/kvitto.pdf")).await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with("%PDF"), "a PDF");

    // A double click, a retry, the old page again: the same submission, no second case.
    let r = c.post_form(&submit, &[("sha256", &sha)]).await;
    assert_eq!(r.location(), Some(format!("{receipt}?igen=1").as_str()));
    assert!(c.get(&format!("{receipt}?igen=1")).await.body.contains("redan tagits emot"));
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1").await, 1);

    // Another citizen: the receipt and the draft's pages are not found.
    let mut erik = citizen(&app, "kil.localhost", ERIK).await;
    assert_eq!(erik.get(&receipt).await.status, 404);
    assert_eq!(erik.get(&format!("{receipt}/kvitto.pdf")).await.status, 404);
    assert_eq!(erik.post_form(&submit, &[("sha256", &sha)]).await.status, 404);
}

#[tokio::test]
async fn another_citizens_draft_is_not_found_and_nothing_is_written() {
    let app = app().await;
    publish(&app).await;
    let (kil, _admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut astrid = citizen(&app, "kil.localhost", ASTRID).await;
    let draft = start(&mut astrid).await;
    let mut erik = citizen(&app, "kil.localhost", ERIK).await;
    assert_eq!(erik.get(&step(draft, 0)).await.status, 404);
    let r = erik.post_form(&step(draft, 0), &[("namn", "Erik"), ("epost", "erik@example.se"), ("typ", "b")]).await;
    assert_eq!(r.status, 404);
    assert_eq!(erik.get(&format!("/e-tjanster/provtjanst/{draft}/granska")).await.status, 404);
    assert_eq!(erik.post_form(&format!("/e-tjanster/provtjanst/{draft}/skicka"), &[("sha256", "x")]).await.status, 404);
    assert_eq!(erik.get("/e-tjanster/provtjanst/inte-ett-id/steg/0").await.status, 404);
    let stored = answers_of(&app, kil, draft).await;
    assert!(stored.get("epost").is_none(), "{stored}");
    // Not logged in: to the e-ID login and back.
    let mut anon = app.client("kil.localhost");
    let r = anon.get(&step(draft, 0)).await;
    assert_eq!(r.status, 303);
    assert!(r.location().is_some_and(|l| l.starts_with("/e-legitimation?next=")));
    // Another municipality's host does not know the draft.
    let _ = municipality(&app, "arvika", "Arvika", "1784").await;
    let mut other = citizen(&app, "arvika.localhost", ASTRID).await;
    assert_eq!(other.get(&step(draft, 0)).await.status, 404);
}

#[tokio::test]
async fn a_paused_service_keeps_the_draft_and_an_unadopted_one_is_not_found() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, ct) = municipality(&app, "kil", "Kil", "1715").await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let draft = start(&mut c).await;
    adopt(&mut admin, ct, "paused").await;
    let r = c.get("/e-tjanster/provtjanst").await;
    assert!(r.body.contains("tillfälligt stängd") && !r.body.contains("/borja"), "{}", r.body);
    let r = c.post_form("/e-tjanster/provtjanst/borja", &[]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(c.get(&step(draft, 0)).await.status, 409);
    let r = c.post_form(&step(draft, 0), &[("namn", "Astrid"), ("epost", "astrid@example.se"), ("typ", "a")]).await;
    assert_eq!(r.status, 409);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_draft WHERE tenant_id = $1").await, 1, "the draft is kept");
    adopt(&mut admin, ct, "published").await;
    assert_eq!(start(&mut c).await, draft);

    // A municipality that has not adopted the service does not offer it.
    let (t, email) = app.tenant_with_admin("arvika", "Arvika", "1784").await;
    let _ = (t, email);
    let mut a = citizen(&app, "arvika.localhost", ASTRID).await;
    assert_eq!(a.get("/e-tjanster/provtjanst").await.status, 404);
    assert_eq!(a.post_form("/e-tjanster/provtjanst/borja", &[]).await.status, 404);
    assert!(!a.get("/e-tjanster").await.body.contains("provtjanst"));
}

#[tokio::test]
async fn the_operator_publishes_only_what_the_linter_accepts_and_adoption_checks_its_settings() {
    let app = app().await;
    let mut op = app.operator("drift@radhus.se").await;
    let r = op.post_form("/admin/e-tjanster/delade", &[("definition", "{ inte json")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    // The summary links to the definition, which keeps what was posted and its code font.
    assert!(r.body.contains("<a class=\"ds-link\" href=\"#es-definition\">Definition: Definitionen kunde inte läsas"), "{}", r.body);
    assert!(
        r.body.contains("<textarea class=\"ds-input code\" id=\"es-definition\" name=\"definition\" rows=\"16\" aria-invalid=\"true\" aria-describedby=\"es-definition-hint es-definition-error\">{ inte json</textarea>"),
        "{}",
        r.body
    );
    // An unknown reference in a condition: named by the linter, not published.
    let bad = DEFINITION.replace("typ == \\\"b\\\"", "okand == \\\"b\\\"");
    assert_ne!(bad, DEFINITION);
    let r = op.post_form("/admin/e-tjanster/delade", &[("definition", &bad)]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("okand"), "the problem names the reference: {}", r.body);
    assert!(!op.get("/admin/e-tjanster/delade").await.body.contains("<code>provtjanst</code>"));
    assert_eq!(op.post_form("/admin/e-tjanster/delade", &[("definition", DEFINITION)]).await.status, 303);
    // The same version again: refused.
    let r = op.post_form("/admin/e-tjanster/delade", &[("definition", DEFINITION)]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("högre versionsnummer"), "{}", r.body);

    // A municipality's adoption: a case type that is not routed and no public title are refused.
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let staff = app.staff(t, &email).await;
    let reg = cases::create_registry(&app.db, &staff, "BN", "Byggnadsnämnden", "", app.now()).await.expect("registry");
    let ct = cases::create_case_type(&app.db, &staff, "Provtillstånd", reg, None, 30, app.now()).await.expect("type").to_string();
    let mut admin = app.login("kil", &email).await;
    let fields =
        [("case_type", ct.as_str()), ("public_title", ""), ("secrecy_ground", "hemligt"), ("status", "published"), ("overrides", "")];
    let r = admin.post_form("/admin/e-tjanster/tjanst/provtjanst", &fields).await;
    assert_eq!(r.status, 422, "{}", r.body);
    // Each problem in the summary linked to its field, and at the field itself.
    for (id, message) in [
        ("es-case-type", "Välj en aktiv ärendetyp som har en enhet i sin styrning."),
        ("es-public-title", "Skriv en offentlig rubrik."),
        ("es-secrecy", "Skriv sekretessgrunden som börjar med OSL, eller lämna fältet tomt."),
    ] {
        assert!(r.body.contains(&format!("href=\"#{id}\"")), "{id}: {}", r.body);
        assert!(
            r.body.contains(&format!("<p class=\"ds-validation-message\" data-field=\"validation\" id=\"{id}-error\">{message}</p>")),
            "{id}"
        );
        assert!(r.body.contains(&format!("aria-describedby=\"{id}-hint {id}-error\"")), "{id}");
    }
    assert!(r.body.contains("name=\"public_title\" type=\"text\" value=\"\" aria-invalid=\"true\""), "{}", r.body);
    assert!(r.body.contains("value=\"hemligt\"") && r.body.contains("Sekretess (frivilligt)"), "the posted value is kept: {}", r.body);
    // A public title over 200 characters is told to be shortened.
    let long = "x".repeat(201);
    let fields = [("case_type", ct.as_str()), ("public_title", long.as_str()), ("status", "published")];
    let r = admin.post_form("/admin/e-tjanster/tjanst/provtjanst", &fields).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Korta den offentliga rubriken. Den får vara högst 200 tecken."), "{}", r.body);
    // Overrides of a field that does not exist: the part is named.
    let fields = [
        ("case_type", ct.as_str()),
        ("public_title", "Provtillstånd"),
        ("secrecy_ground", ""),
        ("status", "published"),
        ("overrides", r#"{"fields": {"finns_inte": {"label": "X"}}}"#),
    ];
    let r = admin.post_form("/admin/e-tjanster/tjanst/provtjanst", &fields).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("finns_inte"), "{}", r.body);
    assert_eq!(count(&app, t, "SELECT COUNT(*) FROM es_adoption WHERE tenant_id = $1").await, 0);
}

#[tokio::test]
async fn the_starter_bank_loads_once_and_a_municipality_overrides_a_fee() {
    let app = app().await;
    let first = catalogue::load_starter_bank(&app.db, app.now()).await.expect("bank");
    assert_eq!(first, radhus_eservices::form::starter_bank().len());
    assert_eq!(catalogue::load_starter_bank(&app.db, app.now()).await.expect("again"), 0, "idempotent");
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    let shared = store::shared_list(&mut tx).await.expect("list");
    tx.commit().await.expect("commit");
    assert!(shared.iter().any(|s| s.key == "bygglov"));
}

#[tokio::test]
async fn an_attachment_is_checked_kept_with_the_draft_and_filed_with_the_case() {
    let app = app().await;
    let def = DEFINITION.replace(
        r#"{ "id": "intygar", "kind": "checkbox", "label": "Jag intygar att uppgifterna stämmer", "required": true }"#,
        r#"{ "id": "ritning", "kind": "file", "label": "Ritning", "required": true },
      { "id": "intygar", "kind": "checkbox", "label": "Jag intygar att uppgifterna stämmer", "required": true }"#,
    );
    assert_ne!(def, DEFINITION);
    let mut op = app.operator("drift@radhus.se").await;
    assert_eq!(op.post_form("/admin/e-tjanster/delade", &[("definition", &def)]).await.status, 303);
    let (kil, _admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let draft = start(&mut c).await;
    let r = c.post_form(&step(draft, 0), &[("namn", "Astrid Lindqvist"), ("epost", "astrid@example.se"), ("typ", "a")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&step(draft, 2)).await;
    assert!(page.body.contains("enctype=\"multipart/form-data\"") && page.body.contains("type=\"file\""), "{}", page.body);

    // A file that lies about its type: an error at the field, nothing kept.
    let r = c.post_multipart(&step(draft, 2), &[("intygar", "true")], &[("ritning", "ritning.png", b"MZ not a png")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#f-ritning\""), "{}", r.body);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_attachment WHERE tenant_id = $1").await, 0);
    // A PDF: kept with the draft; a second one replaces it.
    let r = c.post_multipart(&step(draft, 2), &[("intygar", "true")], &[("ritning", "ritning.pdf", b"%PDF-1.4 forsta")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.post_multipart(&step(draft, 2), &[("intygar", "true")], &[("ritning", "ritning2.pdf", b"%PDF-1.4 andra")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_attachment WHERE tenant_id = $1").await, 1);
    // Posting the step again without a file keeps the one attached.
    let r = c.post_multipart(&step(draft, 2), &[("intygar", "true")], &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let review = c.get(&format!("/e-tjanster/provtjanst/{draft}/granska")).await;
    assert!(review.body.contains("ritning2.pdf"), "{}", review.body);
    let r = c.post_form(&format!("/e-tjanster/provtjanst/{draft}/skicka"), &[("sha256", &sha_of(&review.body))]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    // The submission and the attachment are the inbound record's documents; the draft's copy is gone.
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM document_version WHERE tenant_id = $1").await, 2);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_attachment WHERE tenant_id = $1").await, 0);
}

mod adapt;
mod broadcasts;
mod builder;
mod on_behalf;
mod payment;
mod stats;
mod stats_steps;
mod webhook;
