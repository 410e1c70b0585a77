//! Acting on behalf of someone (issue 11 item 5), on SQLite and PostgreSQL: a guardian applies
//! for her child from the population register (parties, mandate, receipt), a number that is
//! not her child's is refused with nothing stored, a company application with a bad
//! organisation number is refused and a good one becomes a case with the organisation as
//! party and the mandate declared, and a service for oneself only never asks.

use radhus_eservices::on_behalf;
use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_testkit::{Client, TestApp};
use uuid::Uuid;

use super::{ASTRID, ERIK, answers_of, app, citizen, count, municipality, publish, sha_of};

/// A service applied for a child: the child's name and number prefilled from the choice.
const FOR_A_CHILD: &str = r#"{
  "key": "barntjanst", "version": 1, "applies_for": ["child"],
  "title": "Ansökan för barn", "summary": "En e-tjänst för tester.",
  "eblomlada": ["EB17-54"], "handling_days": 30,
  "personal_data": "Namn och personnummer.", "legal_basis": "Myndighetsutövning.",
  "retention": "Enligt dokumenthanteringsplanen.",
  "steps": [
    { "id": "barnet", "title": "Barnet", "fields": [
      { "id": "barn_namn", "kind": "text", "label": "Barnets namn", "required": true, "prefill": "subject_name" },
      { "id": "barn_pnr", "kind": "personnummer", "label": "Barnets personnummer", "required": true, "prefill": "subject_number" },
      { "id": "namn", "kind": "text", "label": "Ditt namn", "required": true, "prefill": "name" },
      { "id": "intygar", "kind": "checkbox", "label": "Jag intygar att uppgifterna stämmer", "required": true } ] }
  ]
}"#;

/// A service applied for a company or organisation.
const FOR_A_COMPANY: &str = r#"{
  "key": "foretagstjanst", "version": 1, "applies_for": ["organisation"],
  "title": "Ansökan för företag", "summary": "En e-tjänst för tester.",
  "eblomlada": ["EB17-64"], "handling_days": 30,
  "personal_data": "Namn.", "legal_basis": "Myndighetsutövning.",
  "retention": "Enligt dokumenthanteringsplanen.",
  "steps": [
    { "id": "foretaget", "title": "Företaget", "fields": [
      { "id": "orgnr", "kind": "orgnummer", "label": "Organisationsnummer", "required": true, "prefill": "subject_number" },
      { "id": "foretag", "kind": "text", "label": "Företagets namn", "required": true, "prefill": "subject_name" },
      { "id": "intygar", "kind": "checkbox", "label": "Jag intygar att uppgifterna stämmer", "required": true } ] }
  ]
}"#;

const ELLA: &str = "20200512-2383";
/// Erik Johansson's son: nobody Astrid may apply for.
const OLLE: &str = "20100214-2394";

/// Publishes `definition` and adopts it in the municipality with the case type `ct`.
async fn offer(app: &TestApp, admin: &mut Client, ct: Uuid, key: &str, definition: &str) {
    let mut op = app.operator("drift-ombud@radhus.se").await;
    let r = op.post_form("/admin/e-tjanster/delade", &[("definition", definition)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let ct = ct.to_string();
    let fields =
        [("case_type", ct.as_str()), ("public_title", "Ansökan"), ("secrecy_ground", ""), ("status", "published"), ("overrides", "")];
    let r = admin.post_form(&format!("/admin/e-tjanster/tjanst/{key}"), &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

/// Starts the service; returns the draft id and where the start went.
async fn begin(c: &mut Client, key: &str) -> (Uuid, String) {
    let r = c.post_form(&format!("/e-tjanster/{key}/borja"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.location().expect("location").to_string();
    let draft = to.split('/').nth(3).and_then(|s| s.parse().ok()).expect("draft id");
    (draft, to)
}

/// The draft's step 0 answered, the review's hash submitted: the receipt's address.
async fn finish(c: &mut Client, key: &str, draft: Uuid, answers: &[(&str, &str)]) -> String {
    let r = c.post_form(&format!("/e-tjanster/{key}/{draft}/steg/0"), answers).await;
    assert_eq!(r.location(), Some(format!("/e-tjanster/{key}/{draft}/granska").as_str()), "{}", r.body);
    let r = c.get(&format!("/e-tjanster/{key}/{draft}/granska")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c.post_form(&format!("/e-tjanster/{key}/{draft}/skicka"), &[("sha256", &sha_of(&r.body))]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    r.location().expect("receipt").to_string()
}

/// The one case's parties: (role, kind, name, number, contact).
async fn parties(app: &TestApp, t: TenantId) -> (Uuid, Vec<(String, String, String, String, String)>) {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (case,): (Uuid,) = radhus_platform::on_tx!(&mut tx, c => sqlx::query_as("SELECT id FROM case_file WHERE tenant_id = $1")
        .bind(t.0).fetch_one(c).await.expect("one case"));
    let p = radhus_cases::parties::of_case(&mut tx, t, case).await.expect("parties");
    tx.commit().await.expect("commit");
    (case, p.into_iter().map(|p| (p.role, p.kind, p.name, p.identity_number, p.contact)).collect())
}

async fn cases_of(app: &TestApp, t: TenantId, pnr: &str) -> Vec<Uuid> {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let pnr = Personnummer::parse_canonical(pnr).expect("pnr");
    let cases = radhus_cases::parties::cases_of_person(&mut tx, t, &pnr).await.expect("cases");
    tx.commit().await.expect("commit");
    cases
}

#[tokio::test]
async fn a_guardian_applies_for_her_child_and_a_child_not_hers_is_refused() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, ct) = municipality(&app, "kil", "Kil", "1715").await;
    offer(&app, &mut admin, ct, "barntjanst", FOR_A_CHILD).await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;

    // Starting asks first whom it concerns; the steps wait for the answer.
    let (draft, to) = begin(&mut c, "barntjanst").await;
    let vem = format!("/e-tjanster/barntjanst/{draft}/vem");
    assert_eq!(to, vem);
    let step0 = format!("/e-tjanster/barntjanst/{draft}/steg/0");
    assert_eq!(c.get(&step0).await.location(), Some(vem.as_str()));
    assert_eq!(c.get(&format!("/e-tjanster/barntjanst/{draft}/granska")).await.location(), Some(vem.as_str()));
    assert_eq!(c.post_form(&step0, &[("intygar", "true")]).await.status, 422, "a step before the choice is refused");
    let r = c.get(&vem).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<h1 class=\"ds-heading\" data-size=\"lg\">Vem gäller ansökan?</h1>"), "{}", r.body);
    assert!(r.body.contains("Ella Lindqvist, född 12 maj 2020") && r.body.contains("Nils Lindqvist, född 3 september 2022"), "{}", r.body);
    assert!(r.body.contains(&format!("value=\"child:{ELLA}\"")), "{}", r.body);
    assert!(r.body.contains("Testregister (fiktiva personer)"), "the register is named: {}", r.body);
    assert!(!r.body.contains("Mig själv") && !r.body.contains("Organisationsnummer"), "only children are offered: {}", r.body);

    // Bad input: no choice, another guardian's child, her own number as a child's.
    for (posted, what) in [("", "nothing chosen"), (&*format!("child:{OLLE}"), "Erik's son"), (&*format!("child:{ASTRID}"), "herself")] {
        let r = c.post_form(&vem, &[("vem", posted)]).await;
        assert_eq!(r.status, 422, "{what}: {}", r.body);
        assert!(r.body.contains("href=\"#vem\"") && r.body.contains("aria-invalid=\"true\""), "{what}: {}", r.body);
        let message = if posted.is_empty() { "Välj vem ansökan gäller." } else { "Välj ett av barnen i listan." };
        assert!(r.body.contains(message), "{what}: {}", r.body);
        assert!(r.body.contains("id=\"vem-error\""), "{what}: {}", r.body);
    }
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_on_behalf WHERE tenant_id = $1").await, 0, "nothing stored");
    assert!(answers_of(&app, kil, draft).await.get("barn_pnr").is_none());

    // Her daughter: stored with the draft, the child's fields prefilled, on to the first step.
    let r = c.post_form(&vem, &[("vem", &format!("child:{ELLA}"))]).await;
    assert_eq!((r.status, r.location()), (303, Some(step0.as_str())), "{}", r.body);
    let stored = answers_of(&app, kil, draft).await;
    assert_eq!(stored["barn_pnr"]["one"], ELLA);
    assert_eq!(stored["barn_namn"]["one"], "Ella Lindqvist");
    assert_eq!(stored["namn"]["one"], "Astrid Lindqvist", "her own name stays hers");
    assert!(c.get(&vem).await.body.contains(&format!("value=\"child:{ELLA}\" checked")), "the choice is shown chosen again");

    let receipt = finish(
        &mut c,
        "barntjanst",
        draft,
        &[("barn_namn", "Ella Lindqvist"), ("barn_pnr", ELLA), ("namn", "Astrid Lindqvist"), ("intygar", "true")],
    )
    .await;
    let r = c.get(&receipt).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(&format!("<dt>Ansökan gäller</dt><dd>Ella Lindqvist ({ELLA})</dd>")), "{}", r.body);
    assert!(r.body.contains("<dt>Inlämnad av</dt><dd>Astrid Lindqvist, vårdnadshavare enligt folkbokföringen</dd>"), "{}", r.body);

    // The mandate as the register said at submission, and both as parties of the case.
    assert_eq!(
        count(&app, kil, "SELECT COUNT(*) FROM es_on_behalf WHERE tenant_id = $1 AND kind = 'child' AND mandate = 'custody' AND submission_id IS NOT NULL").await,
        1
    );
    let (case, p) = parties(&app, kil).await;
    assert_eq!(
        p,
        [
            ("applicant".into(), "person".into(), "Astrid Lindqvist".into(), ASTRID.into(), "vårdnadshavare enligt folkbokföringen".into()),
            ("other".into(), "person".into(), "Ella Lindqvist".into(), ELLA.into(), "barnet som ansökan gäller".into()),
        ]
    );
    // Mina ärenden finds a citizen's cases by the parties' numbers: hers, not Erik's.
    assert_eq!(cases_of(&app, kil, ASTRID).await, [case]);
    assert!(cases_of(&app, kil, ERIK).await.is_empty());
    let mut erik = citizen(&app, "kil.localhost", ERIK).await;
    assert_eq!(erik.get(&receipt).await.status, 404, "nobody else's receipt");

    // The PDF/A receipt says the same.
    let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
    let id: Uuid = receipt.rsplit('/').next().and_then(|s| s.parse().ok()).expect("id");
    let s = radhus_eservices::store::submission(&mut tx, kil, id).await.expect("submission").expect("exists");
    let b = on_behalf::of_draft(&mut tx, kil, s.draft_id).await.expect("subject");
    tx.commit().await.expect("commit");
    let def = radhus_eservices::form::parse(FOR_A_CHILD).expect("definition");
    let data = radhus_eservices::receipt::data("Kils kommun", &s, &def, &Default::default(), b.as_ref());
    assert_eq!(
        data["on_behalf"],
        serde_json::json!({ "subject": format!("Ella Lindqvist ({ELLA})"), "submitted_by": "Astrid Lindqvist, vårdnadshavare enligt folkbokföringen" })
    );
    let r = c.get(&format!("{receipt}/kvitto.pdf")).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn a_company_application_needs_a_valid_orgnr_and_a_declared_signatory() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, ct) = municipality(&app, "kil", "Kil", "1715").await;
    offer(&app, &mut admin, ct, "foretagstjanst", FOR_A_COMPANY).await;
    let mut c = citizen(&app, "kil.localhost", ERIK).await;
    let (draft, vem) = begin(&mut c, "foretagstjanst").await;
    let r = c.get(&vem).await;
    assert!(r.body.contains("value=\"organisation\"") && !r.body.contains("value=\"self\""), "{}", r.body);

    // A bad number, no name, no confirmation: each at its field, nothing stored.
    let r = c.post_form(&vem, &[("vem", "organisation"), ("orgnr", "556677-8890"), ("org_namn", " ")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    for (field, message) in [
        ("orgnr", "Skriv ett giltigt organisationsnummer med tio siffror"),
        ("org_namn", "Skriv företagets eller organisationens namn"),
        ("firmatecknare", "Kryssa i att du är firmatecknare"),
    ] {
        assert!(r.body.contains(&format!("href=\"#{field}\"")) && r.body.contains(&format!("id=\"{field}-error\"")), "{field}: {}", r.body);
        assert!(r.body.contains(message), "{field}: {}", r.body);
    }
    assert!(r.body.contains("value=\"556677-8890\""), "what was typed is kept: {}", r.body);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_on_behalf WHERE tenant_id = $1").await, 0);

    let r =
        c.post_form(&vem, &[("vem", "organisation"), ("orgnr", "5566778899"), ("org_namn", "Kils Krog AB"), ("firmatecknare", "ja")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let stored = answers_of(&app, kil, draft).await;
    assert_eq!(
        (&stored["orgnr"]["one"], &stored["foretag"]["one"]),
        (&serde_json::json!("556677-8899"), &serde_json::json!("Kils Krog AB"))
    );
    let receipt =
        finish(&mut c, "foretagstjanst", draft, &[("orgnr", "556677-8899"), ("foretag", "Kils Krog AB"), ("intygar", "true")]).await;
    let r = c.get(&receipt).await;
    assert!(r.body.contains("<dd>Kils Krog AB (556677-8899)</dd>"), "{}", r.body);
    assert!(r.body.contains("<dd>Erik Johansson, firmatecknare enligt egen uppgift</dd>"), "{}", r.body);
    let (_, p) = parties(&app, kil).await;
    assert_eq!(
        p,
        [
            ("applicant".into(), "organisation".into(), "Kils Krog AB".into(), "556677-8899".into(), String::new()),
            ("other".into(), "person".into(), "Erik Johansson".into(), ERIK.into(), "firmatecknare enligt egen uppgift".into()),
        ]
    );
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_on_behalf WHERE tenant_id = $1 AND mandate = 'declared signatory'").await, 1);
}

#[tokio::test]
async fn a_service_for_oneself_never_asks() {
    let app = app().await;
    publish(&app).await;
    let (kil, _admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let (draft, to) = begin(&mut c, "provtjanst").await;
    assert_eq!(to, format!("/e-tjanster/provtjanst/{draft}/steg/0"));
    let vem = format!("/e-tjanster/provtjanst/{draft}/vem");
    assert_eq!(c.get(&vem).await.status, 404);
    assert_eq!(c.post_form(&vem, &[("vem", "self")]).await.status, 404);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_on_behalf WHERE tenant_id = $1").await, 0);
}
