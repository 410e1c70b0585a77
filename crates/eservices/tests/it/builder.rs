//! The form builder (issue 11 item 2): a municipality's administrator builds its own
//! e-service in the pages, previews and publishes it, and a citizen submits it through the
//! same way as an adopted one; other municipalities never see it; drafts keep their version.

use radhus_cases::service as cases;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::identity::org::UnitKind;
use radhus_platform::on_tx;
use radhus_testkit::{Client, TestApp};
use uuid::Uuid;

use super::{ASTRID, ERIK, app, citizen, count, publish, sha_of};

const B: &str = "/admin/e-tjanster/egna/hyra-lokal";

/// A municipality with a registry and a case type routed to a unit, nothing adopted.
async fn municipality(app: &TestApp, slug: &str, name: &str, code: &str) -> (TenantId, Client, Uuid) {
    let (t, email) = app.tenant_with_admin(slug, name, code).await;
    let staff = app.staff(t, &email).await;
    let reg = cases::create_registry(&app.db, &staff, "KFN", "Kultur- och fritidsnämnden", "", app.now()).await.expect("registry");
    let ct = cases::create_case_type(&app.db, &staff, "Lokalbokning", reg, None, 30, app.now()).await.expect("type");
    let unit = app.unit(t, "Kultur- och fritidsförvaltningen", UnitKind::Forvaltning, None).await;
    cases::set_routing(&app.db, &staff, ct, Some(unit.0), None, app.now()).await.expect("routing");
    (t, app.login(slug, &email).await, ct)
}

async fn create(admin: &mut Client, ct: Uuid) {
    let ct = ct.to_string();
    let r = admin
        .post_form(
            "/admin/e-tjanster/egna",
            &[
                ("key", "hyra-lokal"),
                ("title", "Hyra lokal"),
                ("summary", "Boka kommunens lokaler för föreningar."),
                ("case_type", &ct),
                ("public_title", "Bokning av lokal"),
            ],
        )
        .await;
    assert_eq!((r.status, r.location()), (303, Some(B)), "{}", r.body);
}

/// Posts to the builder and expects to be sent on; returns where.
async fn ok(admin: &mut Client, path: &str, form: &[(&str, &str)]) -> String {
    let r = admin.post_form(&format!("{B}{path}"), form).await;
    assert_eq!(r.status, 303, "{path}: {}", r.body);
    r.location().expect("location").to_string()
}

/// Adds a field to a step and returns its id (from the address of its page).
async fn add_field(admin: &mut Client, step: &str, kind: &str, label: &str) -> String {
    let to = ok(admin, &format!("/steg/{step}/falt"), &[("kind", kind), ("label", label)]).await;
    to.rsplit('/').next().expect("id").to_string()
}

/// The small service of the tests: a required text and a required choice; a step with a
/// required textarea shown only for the large hall; a confirmation step.
async fn build(admin: &mut Client) {
    ok(admin, "/steg/steg_1", &[("title", "Om föreningen"), ("intro", ""), ("visible_if", "")]).await;
    let name = add_field(admin, "steg_1", "text", "Föreningens namn").await;
    assert_eq!(name, "foreningens_namn");
    ok(admin, &format!("/falt/{name}"), &[("label", "Föreningens namn"), ("required", "ja"), ("max_length", "120")]).await;
    let kind = add_field(admin, "steg_1", "choice", "Vilken lokal?").await;
    ok(
        admin,
        &format!("/falt/{kind}"),
        &[("label", "Vilken lokal?"), ("required", "ja"), ("options", "sal | Stora salen\nrum | Ett mötesrum")],
    )
    .await;
    ok(admin, "/steg", &[("title", "Om arrangemanget"), ("intro", "")]).await;
    let what = add_field(admin, "om_arrangemanget", "textarea", "Beskriv arrangemanget").await;
    ok(
        admin,
        &format!("/falt/{what}"),
        &[("label", "Beskriv arrangemanget"), ("visible_if", "vilken_lokal == \"sal\""), ("required", "ja")],
    )
    .await;
    ok(admin, "/steg/om_arrangemanget", &[("title", "Om arrangemanget"), ("visible_if", "vilken_lokal == \"sal\"")]).await;
    ok(admin, "/steg", &[("title", "Intyg"), ("intro", "")]).await;
}

#[tokio::test]
async fn an_administrator_builds_publishes_and_a_citizen_submits_it_into_the_registry() {
    let app = app().await;
    publish(&app).await;
    let (t, mut admin, ct) = municipality(&app, "hammaro", "Hammarö", "1761").await;
    let r = admin.get("/admin/e-tjanster/egna").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Kommunen har inga egna e-tjänster ännu."), "{}", r.body);

    // Bad input when creating: a malformed key, nothing else, and a key the shared catalogue uses.
    let r = admin.post_form("/admin/e-tjanster/egna", &[("key", "Hyra Lokal!"), ("title", ""), ("summary", "<b>x</b>")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#key\"") && r.body.contains("href=\"#title\"") && r.body.contains("href=\"#case_type\""), "{}", r.body);
    assert!(r.body.contains("aria-describedby=\"key-hint key-error\"") && r.body.contains("id=\"key-error\""), "{}", r.body);
    assert!(
        r.body.contains("Skriv ett kortnamn med 2–40 tecken") && r.body.contains("Skriv texten utan tecknen &#60; och &#62;."),
        "{}",
        r.body
    );
    assert!(!r.body.contains("<b>x</b>"), "escaped");
    let ct_s = ct.to_string();
    let taken = [("key", "provtjanst"), ("title", "T"), ("summary", "S"), ("case_type", ct_s.as_str()), ("public_title", "P")];
    let r = admin.post_form("/admin/e-tjanster/egna", &taken).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Kortnamnet används redan av en annan e-tjänst."), "{}", r.body);
    assert_eq!(count(&app, t, "SELECT COUNT(*) FROM es_adoption WHERE tenant_id = $1").await, 0);

    create(&mut admin, ct).await;
    build(&mut admin).await;

    // A condition naming an option the choice does not have: refused at its field with the
    // linter's words, nothing saved.
    let r = admin
        .post_form(
            &format!("{B}/falt/beskriv_arrangemanget"),
            &[("label", "Beskriv arrangemanget"), ("visible_if", "vilken_lokal == \"salen\"")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("href=\"#visible_if\"") && r.body.contains("aria-describedby=\"visible_if-hint visible_if-error\""),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("Rätta det här: visible_if: compares `vilken_lokal` with &#34;salen&#34;, which is not one of its options"),
        "{}",
        r.body
    );
    let r = admin.post_form(&format!("{B}/falt/beskriv_arrangemanget"), &[("label", "Beskriv"), ("required_if", "okand_fraga > 2")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#required_if\"") && r.body.contains("aria-invalid=\"true\""), "{}", r.body);
    let export = admin.get(&format!("{B}/export.json")).await;
    assert!(export.body.contains("vilken_lokal == \\\"sal\\\"") && !export.body.contains("== \\\"salen"), "{}", export.body);

    // Tampered and unknown: a type that does not exist, a direction, ids of nothing.
    let r = admin.post_form(&format!("{B}/steg/steg_1/falt"), &[("kind", "script"), ("label", "X")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#new-field-kind\"") && r.body.contains("Välj vilken typ av fråga det är."), "{}", r.body);
    let r = admin.post_form(&format!("{B}/falt/foreningens_namn/flytta"), &[("direction", "snett")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Formuläret skickades med ett värde som inte finns."), "{}", r.body);
    assert_eq!(admin.get(&format!("{B}/falt/finns_inte")).await.status, 404);
    assert_eq!(admin.post_form(&format!("{B}/steg/finns_inte/falt"), &[("kind", "text"), ("label", "X")]).await.status, 404);
    assert_eq!(admin.post_form(&format!("{B}/steg/finns_inte/ta-bort"), &[]).await.status, 404);
    let long = "a".repeat(201);
    let r = admin.post_form(&format!("{B}/falt/foreningens_namn"), &[("label", &long)]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Texten är för lång. Korta den."), "{}", r.body);

    // Publishing with a step without questions: refused, the problem named and linked.
    let r = admin.get(&format!("{B}/publicera")).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains(&format!("href=\"{B}/steg/intyg\"")) && r.body.contains("Intyg: Rätta det här: the step has no fields"),
        "{}",
        r.body
    );
    assert_eq!(admin.post_form(&format!("{B}/publicera"), &[]).await.status, 422);
    assert_eq!(count(&app, t, "SELECT COUNT(*) FROM es_revision WHERE tenant_id = $1").await, 0);
    add_field(&mut admin, "intyg", "checkbox", "Jag har läst villkoren").await;
    ok(&mut admin, "/falt/jag_har_last_villkoren", &[("label", "Jag har läst villkoren"), ("required", "ja")]).await;

    // Reordering: the choice above the name, then back; the last step up and down again.
    ok(&mut admin, "/falt/vilken_lokal/flytta", &[("direction", "upp")]).await;
    let page = admin.get(B).await.body;
    assert!(page.find("id=\"falt-vilken_lokal\"") < page.find("id=\"falt-foreningens_namn\""), "moved up");
    ok(&mut admin, "/falt/vilken_lokal/flytta", &[("direction", "ned")]).await;
    ok(&mut admin, "/steg/intyg/flytta", &[("direction", "upp")]).await;
    let page = admin.get(B).await.body;
    assert!(page.find("id=\"steg-intyg\"") < page.find("id=\"steg-om_arrangemanget\""), "moved up");
    ok(&mut admin, "/steg/intyg/flytta", &[("direction", "ned")]).await;
    // A field added and deleted again.
    let extra = add_field(&mut admin, "steg_1", "phone", "Telefon").await;
    ok(&mut admin, &format!("/falt/{extra}/ta-bort"), &[]).await;
    assert!(!admin.get(B).await.body.contains("falt-telefon"));

    // Preview: the citizen's step page, posted to the preview; nothing stored.
    let r = admin.get(&format!("{B}/forhandsgranska/0")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("Förhandsgranskning") && r.body.contains("id=\"f-foreningens_namn\"") && r.body.contains("Stora salen"),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("action=\"{B}/forhandsgranska/0\"")), "{}", r.body);
    let r = admin.post_form(&format!("{B}/forhandsgranska/0"), &[("foreningens_namn", "")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#f-foreningens_namn\"") && r.body.contains("aria-invalid=\"true\""), "{}", r.body);
    let r = admin.post_form(&format!("{B}/forhandsgranska/0"), &[("foreningens_namn", "IK Vikingen"), ("vilken_lokal", "rum")]).await;
    assert_eq!(r.location(), Some(format!("{B}/forhandsgranska/2").as_str()), "the small room skips the step about the event");
    assert_eq!(count(&app, t, "SELECT COUNT(*) FROM es_draft WHERE tenant_id = $1").await, 0);
    assert_eq!(admin.get(&format!("{B}/forhandsgranska/9")).await.status, 404);

    // Published after the confirmation page.
    let r = admin.get(&format!("{B}/publicera")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Publicera version 1"), "{}", r.body);
    let r = admin.post_form(&format!("{B}/publicera"), &[]).await;
    assert_eq!(r.location(), Some(format!("{B}?publicerad=1").as_str()), "{}", r.body);
    let r = admin.get(&format!("{B}?publicerad=1")).await;
    assert!(r.body.contains("Version 1 är publicerad."), "{}", r.body);
    assert!(count(&app, t, "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action LIKE 'es.own.%'").await >= 15);

    // The citizen: in the catalogue, filled in, signed and submitted; one case of the type.
    let mut c = citizen(&app, "hammaro.localhost", ASTRID).await;
    let r = c.get("/e-tjanster").await;
    assert!(r.body.contains("/e-tjanster/hyra-lokal") && r.body.contains("Hyra lokal"), "{}", r.body);
    let r = c.post_form("/e-tjanster/hyra-lokal/borja", &[]).await;
    let to = r.location().expect("step").to_string();
    let draft: Uuid = to.split('/').nth(3).and_then(|s| s.parse().ok()).expect("draft");
    let step = |n: usize| format!("/e-tjanster/hyra-lokal/{draft}/steg/{n}");
    let r = c.post_form(&step(0), &[("foreningens_namn", "IK Vikingen"), ("vilken_lokal", "kallaren")]).await;
    assert_eq!(r.status, 422, "an option not offered: {}", r.body);
    let r = c.post_form(&step(0), &[("foreningens_namn", "IK Vikingen"), ("vilken_lokal", "sal")]).await;
    assert_eq!(r.location(), Some(step(1).as_str()), "{}", r.body);
    let r = c.post_form(&step(1), &[("beskriv_arrangemanget", "Årsmöte med 80 deltagare.")]).await;
    assert_eq!(r.location(), Some(step(2).as_str()), "{}", r.body);
    let r = c.post_form(&step(2), &[("jag_har_last_villkoren", "true")]).await;
    let review = r.location().expect("review").to_string();
    let sha = sha_of(&c.get(&review).await.body);
    let r = c.post_form(&format!("/e-tjanster/hyra-lokal/{draft}/skicka"), &[("sha256", &sha)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.location().is_some_and(|l| l.starts_with("/e-tjanster/kvitton/")));
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (case_type, public_title): (Uuid, String) = on_tx!(&mut tx, cx => sqlx::query_as(
        "SELECT case_type_id, public_title FROM case_file WHERE tenant_id = $1").bind(t.0).fetch_one(cx).await.expect("one case"));
    tx.commit().await.expect("commit");
    assert_eq!((case_type, public_title.as_str()), (ct, "Bokning av lokal"));

    // Another municipality: not in its catalogue, its builder and start page not found.
    let (_, mut kil_admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut erik = citizen(&app, "kil.localhost", ERIK).await;
    assert!(!erik.get("/e-tjanster").await.body.contains("hyra-lokal"));
    assert_eq!(erik.get("/e-tjanster/hyra-lokal").await.status, 404);
    assert_eq!(erik.post_form("/e-tjanster/hyra-lokal/borja", &[]).await.status, 404);
    for path in
        ["", "/installningar", "/steg/steg_1", "/falt/foreningens_namn", "/forhandsgranska/0", "/publicera", "/export.json", "/importera"]
    {
        assert_eq!(kil_admin.get(&format!("{B}{path}")).await.status, 404, "{path}");
    }
    assert_eq!(kil_admin.post_form(&format!("{B}/steg"), &[("title", "Intrång")]).await.status, 404);
    assert_eq!(kil_admin.post_form(&format!("{B}/publicera"), &[]).await.status, 404);
    assert!(!kil_admin.get("/admin/e-tjanster/egna").await.body.contains("Hyra lokal"));
    // Nor is it an adopted service's page in its own municipality.
    assert_eq!(admin.get("/admin/e-tjanster/tjanst/hyra-lokal").await.status, 404);
}

#[tokio::test]
async fn a_draft_stays_on_its_version_when_a_second_is_published_and_import_is_linted() {
    let app = app().await;
    let (t, mut admin, ct) = municipality(&app, "hammaro", "Hammarö", "1761").await;
    create(&mut admin, ct).await;

    // Import: JSON that is none, another key, a condition on nothing; then a good one.
    let r = admin.post_form(&format!("{B}/importera"), &[("definition", "{ inte json")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Definitionen gick inte att läsa in.") && r.body.contains("href=\"#definition\""), "{}", r.body);
    let def = |key: &str, cond: &str| {
        serde_json::json!({
            "key": key, "version": 1, "title": "Hyra lokal", "summary": "Boka kommunens lokaler.",
            "steps": [
                { "id": "om", "title": "Om föreningen", "fields": [
                    { "id": "namn", "kind": "text", "label": "Föreningens namn", "required": true },
                    { "id": "typ", "kind": "choice", "label": "Lokal", "required": true, "visible_if": cond,
                      "options": [ { "value": "sal", "label": "Stora salen" }, { "value": "rum", "label": "Mötesrum" } ] } ] }
            ]
        })
        .to_string()
    };
    let r = admin.post_form(&format!("{B}/importera"), &[("definition", &def("annan", "true"))]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("the key must stay `hyra-lokal`"), "{}", r.body);
    let r = admin.post_form(&format!("{B}/importera"), &[("definition", &def("hyra-lokal", "okand == 1"))]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("typ: visible_if"), "{}", r.body);
    assert_eq!(ok(&mut admin, "/importera", &[("definition", &def("hyra-lokal", "namn != \"\""))]).await, B);
    ok(&mut admin, "/publicera", &[]).await;

    // A citizen begins on version 1.
    let mut c = citizen(&app, "hammaro.localhost", ASTRID).await;
    let to = c.post_form("/e-tjanster/hyra-lokal/borja", &[]).await.location().expect("step").to_string();
    let draft: Uuid = to.split('/').nth(3).and_then(|s| s.parse().ok()).expect("draft");
    assert_eq!(c.post_form(&to, &[("namn", "IK Vikingen")]).await.status, 422, "the choice is required");

    // Version 2 renames the question.
    ok(&mut admin, "/falt/namn", &[("label", "Namn på föreningen"), ("required", "ja")]).await;
    let r = admin.get(B).await;
    assert!(r.body.contains("ändringar som inte är publicerade"), "{}", r.body);
    ok(&mut admin, "/publicera", &[]).await;
    assert_eq!(count(&app, t, "SELECT COUNT(*) FROM es_revision WHERE tenant_id = $1").await, 2);

    // The draft keeps version 1; a new citizen gets version 2.
    let r = c.get(&to).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Föreningens namn") && !r.body.contains("Namn på föreningen"), "{}", r.body);
    assert_eq!(count(&app, t, "SELECT COUNT(*) FROM es_draft WHERE tenant_id = $1 AND revision = 1").await, 1);
    let mut erik = citizen(&app, "hammaro.localhost", ERIK).await;
    let to2 = erik.post_form("/e-tjanster/hyra-lokal/borja", &[]).await.location().expect("step").to_string();
    assert!(erik.get(&to2).await.body.contains("Namn på föreningen"));
    // Resuming moves the first citizen's draft on, by the fields' ids (form::migrate).
    let r = c.post_form("/e-tjanster/hyra-lokal/borja", &[]).await;
    let moved = r.location().expect("moved").to_string();
    assert!(!moved.contains(&draft.to_string()), "a new draft on version 2: {moved}");
    assert_eq!(count(&app, t, "SELECT COUNT(*) FROM es_draft WHERE tenant_id = $1 AND revision = 1").await, 0);
    assert!(c.get(&moved).await.body.contains("value=\"IK Vikingen\""), "the answer kept");
}
