//! The public application form, e-ID prefill, screening and the population-register check,
//! through the pages and the services, and the demo seed.

use radhus_elections::applications::{self, ApplyInput, ScreenInput, Submission};
use radhus_elections::registers::service::PersonInput;
use radhus_elections::structure::service::{self, SettingsInput};
use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::Actor;
use radhus_platform::db::Scope;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use radhus_testkit::TestApp;
use uuid::Uuid;

/// Erik Johansson of the fixture register, folkbokförd in Kil.
const ERIK: &str = "19720901-4419";
/// Astrid Lindqvist of the fixture register, folkbokförd in Karlstad.
const ASTRID: &str = "19850315-2384";

async fn open(app: &TestApp, s: &radhus_platform::identity::session::StaffUser, e: Uuid, policy: &str) {
    service::save_settings(
        &app.db,
        s,
        e,
        &SettingsInput { candidate_policy: policy.into(), applications_open: Some("1".into()), ..Default::default() },
        app.now(),
    )
    .await
    .expect("settings");
}

pub(super) fn form(pnr: &str, station: Uuid, shift: Uuid) -> Vec<(String, String)> {
    [
        ("given_name", "Erik"),
        ("family_name", "Johansson"),
        ("pnr", pnr),
        ("email", "erik.johansson@example.com"),
        ("phone", "070-123 45 67"),
        ("address", "Storgatan 4"),
        ("postal_code", "66530"),
        ("city", "Kil"),
        ("languages", "Finska, engelska"),
        ("roles", "rostmottagare"),
        ("roles", "vice"),
        ("station1", &station.to_string()),
        ("shifts", &shift.to_string()),
        ("experience", "2022:rostmottagare"),
        ("experience", ""),
        ("candidate", "no"),
        ("message", "Jag kan arbeta hela dagen."),
        ("consent", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The form with one field changed (`Some`) or left out (`None`).
fn with(mut f: Vec<(String, String)>, key: &str, value: Option<&str>) -> Vec<(String, String)> {
    f.retain(|(k, _)| k != key);
    if let Some(v) = value {
        f.push((key.into(), v.into()));
    }
    f
}

pub(super) fn pairs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn count(app: &TestApp, t: TenantId, table: &str) -> i64 {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = $1");
    let n: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(t.0).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    n
}

pub(super) async fn actions(app: &TestApp, t: TenantId) -> Vec<String> {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let rows: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT action FROM audit_event WHERE tenant_id = $1 ORDER BY seq").bind(t.0).fetch_all(c).await.expect("audit"));
    tx.commit().await.expect("commit");
    rows.into_iter().map(|(a,)| a).collect()
}

#[tokio::test]
async fn the_form_refuses_bad_input_stores_once_and_confirms() {
    let app = super::app().await;
    let (t, s, _) = super::setup(&app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(&app, &s).await;
    let mut c = app.client("kil.localhost");

    // Closed: a clear message, and a submission is refused.
    let page = c.get(&format!("/valarbete/ansok/{e}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("är stängd"), "{}", page.body);
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&form(ERIK, st, sh))).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(count(&app, t, "el_person").await, 0);

    open(&app, &s, e, "block").await;
    let page = c.get(&format!("/valarbete/ansok/{e}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Kils församlingshem") && page.body.contains("Hela dagen") && page.body.contains("6.1 e"), "{}", page.body);
    assert!(c.get("/valarbete").await.body.contains(&format!("/valarbete/ansok/{e}")));

    // Bad input, one field at a time: 422 with the Swedish message, nothing stored.
    let young = Personnummer::from_parts(time::macros::date!(2013 - 01 - 15), 123, radhus_kernel::personnummer::NumberKind::Personnummer)
        .expect("pnr")
        .to_string();
    let other_shift = Uuid::now_v7().to_string();
    let cases: Vec<(&str, Option<&str>, &str)> = vec![
        ("pnr", Some("19720901-4418"), "Personnumret är inte giltigt"),
        ("pnr", None, "Skriv ditt personnummer"),
        ("given_name", Some(" "), "Skriv ditt förnamn"),
        ("email", Some("erik@"), "Skriv e-postadressen som namn@exempel.se"),
        ("phone", Some("12"), "7–15 siffror"),
        ("postal_code", Some("123"), "Skriv postnumret med fem siffror"),
        ("address", None, "Skriv din gatuadress"),
        ("roles", None, "Välj minst en roll"),
        ("roles", Some("kung"), "Välj ett av alternativen"),
        ("shifts", None, "Välj minst ett pass"),
        ("shifts", Some(&other_shift), "Välj ett av alternativen"),
        ("station1", Some("inte-en-lokal"), "Välj ett av alternativen"),
        ("experience", Some("1066:ordforande"), "Välj ett av alternativen"),
        ("candidate", None, "Svara på om du kandiderar"),
        ("consent", None, "Bekräfta att du har läst"),
        ("languages", Some("<script>"), "Skriv språken med bokstäver"),
    ];
    for (key, value, msg) in cases {
        let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&with(form(ERIK, st, sh), key, value))).await;
        assert_eq!(r.status, 422, "{key}={value:?}: {}", r.body);
        assert!(r.body.contains(msg), "{key}={value:?} should say {msg}: {}", r.body);
    }
    // The problem is at its field (message, aria-invalid, aria-describedby) and in the summary,
    // linked to the field (issue 18 item 1); optional fields say so, the browser's pop-ups are off.
    // The summary is the platform's (focused, each line headed by the field's label).
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&with(form(ERIK, st, sh), "address", None))).await;
    assert!(r.body.contains(r#"class="ds-error-summary" id="error-summary" tabindex="-1" autofocus"#), "{}", r.body);
    assert!(r.body.contains(r##"<a class="ds-link" href="#a-address">Adress: Skriv din gatuadress</a>"##), "{}", r.body);
    assert!(
        r.body.contains(r#"<p class="ds-validation-message" data-field="validation" id="a-address-error">Skriv din gatuadress</p>"#),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(
            r#"id="a-address" name="address" type="text" value="" autocomplete="street-address" aria-invalid="true" aria-describedby="a-address-error">"#
        ),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(r#"id="a-city" name="city" type="text" value="Kil" autocomplete="address-level2">"#),
        "only the field with the problem: {}",
        r.body
    );
    assert!(r.body.contains("(frivilligt)") && r.body.contains(" novalidate") && !r.body.contains(" required"), "{}", r.body);
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&with(form(ERIK, st, sh), "shifts", None))).await;
    assert!(r.body.contains(r##"<a class="ds-link" href="#a-shift">Vilka pass kan du arbeta?: Välj minst ett pass"##), "{}", r.body);
    assert!(r.body.contains(r#"<fieldset class="ds-fieldset" id="a-shift" aria-describedby="a-shift-hint a-shift-error">"#), "{}", r.body);
    assert!(r.body.contains(r#"id="a-shift-error">Välj minst ett pass"#), "{}", r.body);
    assert!(
        r.body.contains(r#"id="a-shift-1" name="shifts" value=""#)
            && r.body.contains(r#"aria-invalid="true"><label class="ds-label" for="a-shift-1">"#),
        "{}",
        r.body
    );
    // Two problems of one field: one message, the first found (the role that does not exist).
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&with(form(ERIK, st, sh), "roles", Some("kung")))).await;
    assert_eq!(r.body.matches(r##"href="#a-role""##).count(), 1, "{}", r.body);
    assert!(r.body.contains(r#"id="a-role-error">Välj ett av alternativen</p>"#), "{}", r.body);
    assert!(!r.body.contains("Välj minst en roll"), "{}", r.body);
    // The hand-written groups take their problems from the same summary: the wished stations,
    // the consent under the GDPR text.
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&with(form(ERIK, st, sh), "station1", Some("inte-en-lokal")))).await;
    assert!(r.body.contains(r##"<a class="ds-link" href="#a-station1">Önskade lokaler: Välj ett av alternativen</a>"##), "{}", r.body);
    assert!(r.body.contains(r#"id="a-station1-error">Välj ett av alternativen</p>"#), "{}", r.body);
    assert!(r.body.contains(r#"id="a-station1" name="station1" aria-invalid="true">"#), "{}", r.body);
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&with(form(ERIK, st, sh), "consent", None))).await;
    assert!(r.body.contains(r##"<a class="ds-link" href="#a-consent">"##), "{}", r.body);
    assert!(r.body.contains(r#"id="a-consent-error">Bekräfta att du har läst"#), "{}", r.body);
    assert!(r.body.contains(r#"aria-invalid="true" aria-describedby="gdpr-text a-consent-error">"#), "{}", r.body);
    let no_contact = with(with(form(ERIK, st, sh), "email", Some("")), "phone", Some(""));
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&no_contact)).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Fyll i e-post eller telefon"));
    // Under 18 on the election day is refused by policy.
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&with(form(ERIK, st, sh), "pnr", Some(&young)))).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("fyllt 18 år"), "{}", r.body);
    assert_eq!(count(&app, t, "el_person").await, 0);
    assert_eq!(count(&app, t, "el_application").await, 0);
    assert_eq!(count(&app, t, "outbox").await, 0);

    // The happy path: a receipt, the person, the application with wishes, availability,
    // experience and the register check, a confirmation e-mail and the audit events.
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&form(ERIK, st, sh))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Tack för din intresseanmälan") && r.body.contains("erik.johansson@example.com"), "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let p = applications::person_by_pnr(&mut tx, t, ERIK).await.expect("p").expect("person");
    assert_eq!((p.given_name.as_str(), p.postal_code.as_str(), p.languages.as_str()), ("Erik", "665 30", "finska, engelska"));
    assert_eq!(p.birth_date, Some(time::macros::date!(1972 - 09 - 01)));
    let a = applications::application(&mut tx, t, e, p.id).await.expect("a").expect("application");
    assert_eq!((a.status.as_str(), a.identified_by.as_str(), a.roles_wanted.as_str()), ("received", "form", "rostmottagare,vice"));
    assert_eq!(a.register_status, "registered");
    assert_eq!(a.register_source.as_deref(), Some("Testregister (fiktiva personer)"));
    assert!(a.register_checked_at.is_some() && a.consent_at.is_some() && !a.candidate);
    assert_eq!(applications::wishes(&mut tx, t, e).await.expect("w"), vec![(p.id, st)]);
    assert_eq!(applications::availability(&mut tx, t, e).await.expect("av"), vec![(p.id, sh)]);
    assert_eq!(applications::history(&mut tx, t, p.id).await.expect("h"), vec![(2022, "rostmottagare".to_string(), String::new())]);
    let mail: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT recipient, subject FROM outbox WHERE tenant_id = $1").bind(t.0).fetch_all(c).await.expect("outbox"));
    tx.commit().await.expect("commit");
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].0, "erik.johansson@example.com");
    assert!(mail[0].1.contains("Valen 2030"));
    let acts = actions(&app, t).await;
    assert!(acts.contains(&"elections.applications.submitted".to_string()));
    assert!(acts.contains(&"elections.applications.register_checked".to_string()));

    // Twice to the same election without e-ID: the visitor gets the usual receipt (whether a
    // number has applied is not told to anybody who can type it), nothing more is stored, and
    // the person hears of it at the address on file.
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&form(ERIK, st, sh))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Tack för din intresseanmälan") && !r.body.contains("redan anmält intresse"), "{}", r.body);
    assert_eq!(count(&app, t, "el_application").await, 1);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let mail: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT recipient, subject FROM outbox WHERE tenant_id = $1 ORDER BY created_at, id").bind(t.0).fetch_all(c).await.expect("outbox"));
    tx.commit().await.expect("commit");
    assert_eq!(mail.len(), 2, "{mail:?}");
    assert_eq!(mail[1].0, "erik.johansson@example.com");
    assert!(mail[1].1.contains("En andra intresseanmälan"), "{mail:?}");
    assert!(actions(&app, t).await.contains(&"elections.applications.second_ignored".to_string()));

    // Another municipality's host does not know the election.
    super::setup(&app, "arvika", "1784").await;
    let mut o = app.client("arvika.localhost");
    assert_eq!(o.get(&format!("/valarbete/ansok/{e}")).await.status, 404);
    assert_eq!(o.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&form(ASTRID, st, sh))).await.status, 404);
    assert!(!o.get("/valarbete").await.body.contains("Valen 2030"));
    assert_eq!(count(&app, t, "el_application").await, 1);
}

#[tokio::test]
async fn e_id_prefills_and_locks_name_and_number() {
    let app = super::app().await;
    let (t, s, _) = super::setup(&app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(&app, &s).await;
    open(&app, &s, e, "block").await;
    let mut c = app.client("kil.localhost");
    let r = c.post_form("/e-legitimation/test", &[("person", ASTRID)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&format!("/valarbete/ansok/{e}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("value=\"Astrid\" readonly") && page.body.contains("value=\"Lindqvist\" readonly"), "{}", page.body);
    assert!(page.body.contains(&format!("value=\"{ASTRID}\" readonly")));
    // What the form posts as name and number is ignored: the e-ID decides.
    let f = with(with(form(ERIK, st, sh), "given_name", Some("Någon")), "family_name", Some("Annan"));
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&f)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert!(applications::person_by_pnr(&mut tx, t, ERIK).await.expect("p").is_none());
    let p = applications::person_by_pnr(&mut tx, t, ASTRID).await.expect("p").expect("astrid");
    assert_eq!(p.name(), "Astrid Lindqvist");
    let a = applications::application(&mut tx, t, e, p.id).await.expect("a").expect("application");
    tx.commit().await.expect("commit");
    assert_eq!(a.identified_by, "eid");
    assert_eq!(a.register_status, "elsewhere");
    assert_eq!(a.register_kommun.as_deref(), Some("Karlstad (1780)"));
}

/// Applies through the service as an anonymous visitor.
async fn apply(app: &TestApp, t: TenantId, e: Uuid, f: ApplyInput) -> Uuid {
    let sub = Submission {
        tenant: t,
        kommunkod: "1715",
        municipality: "Kils kommun",
        actor: Actor::anonymous("127.0.0.1"),
        eid: None,
        site_url: "http://kil.localhost".into(),
    };
    applications::apply(&app.db, app.state.register.as_ref(), &sub, e, &f, app.now()).await.expect("apply").person
}

fn input(given: &str, family: &str, pnr: &str, shift: Uuid, candidate: bool) -> ApplyInput {
    ApplyInput {
        given_name: given.into(),
        family_name: family.into(),
        pnr: pnr.into(),
        phone: "0701234567".into(),
        address: "Kyrkogatan 2".into(),
        postal_code: "665 31".into(),
        city: "Kil".into(),
        roles: vec!["rostmottagare".into()],
        shifts: vec![shift.to_string()],
        candidate: if candidate { "yes" } else { "no" }.into(),
        consent: Some("1".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn screening_needs_reasons_blocks_candidates_and_checks_the_register() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, _st, sh) = super::small_election(&app, &s).await;
    open(&app, &s, e, "block").await;
    // Erik writes his name differently from the register; Lars is a candidate; the third is
    // not in the register at all.
    let erik = apply(&app, t, e, input("Eric", "Johansson", ERIK, sh, false)).await;
    let lars = apply(&app, t, e, input("Lars", "Nilsson", "19580112-9130", sh, true)).await;
    let nobody = apply(&app, t, e, input("Nils", "Okänd", "19811218-9876", sh, false)).await;
    let mut c = app.login("kil", &email).await;

    let list = c.get(&format!("/admin/val/{e}/ansokningar")).await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("Johansson, Eric") && list.body.contains("Nilsson, Lars") && list.body.contains("Kandiderar"));
    assert!(
        list.body.contains("Folkbokförd i kommunen")
            && list.body.contains("Folkbokförd i annan kommun")
            && list.body.contains("Finns inte i registret")
    );
    assert!(list.body.contains("Inkommen (3)"), "{}", list.body);
    assert!(list.body.contains("<td>58</td>"), "Erik is 58 on the election day: {}", list.body);
    assert_eq!(c.get(&format!("/admin/val/{e}/ansokningar?status=nonsense")).await.status, 422);

    let page = c.get(&format!("/admin/val/{e}/ansokningar/{erik}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains(ERIK) && page.body.contains("Namn i registret: Erik Johansson") && page.body.contains("Testregister"),
        "{}",
        page.body
    );
    assert!(actions(&app, t).await.contains(&"elections.applications.viewed".to_string()));

    // A reason is needed for reserve and rejection.
    let r = c.post_form(&format!("/admin/val/{e}/ansokningar/{erik}/bedomning"), &[("decision", "reserve"), ("reason", " ")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains(r##"<a class="ds-link" href="#reason">"##)
            && r.body.contains("Skriv ett skäl: en anmälan som blir reserv eller avslås behöver ett."),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(r#"id="reason" name="reason" rows="3" aria-invalid="true" aria-describedby="reason-hint reason-error">"#),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"name="decision" value="reserve" checked>"#), "the decision is kept: {}", r.body);
    let r = c.post_form(&format!("/admin/val/{e}/ansokningar/{erik}/bedomning"), &[("decision", "maybe")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r##"<a class="ds-link" href="#decision">Välj ett beslut: antagen, reserv eller avslag.</a>"##), "{}", r.body);
    assert!(r.body.contains(r#"<fieldset class="ds-fieldset" id="decision" aria-describedby="decision-error">"#), "{}", r.body);
    let r =
        c.post_form(&format!("/admin/val/{e}/ansokningar/{erik}/bedomning"), &[("decision", "reserve"), ("reason", "Fullt i Kil")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.post_form(&format!("/admin/val/{e}/ansokningar/{erik}/bedomning"), &[("decision", "accepted")]).await;
    assert_eq!(r.status, 303);

    // A candidate cannot be accepted while the election blocks candidates.
    let r = c.post_form(&format!("/admin/val/{e}/ansokningar/{lars}/bedomning"), &[("decision", "accepted")]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("kandiderar i valet"));
    let r =
        applications::screen(&app.db, &s, e, lars, &ScreenInput { decision: "accepted".into(), reason: String::new() }, app.now()).await;
    assert!(matches!(r, Err(radhus_platform::error::Error::Rule { code, .. }) if code.code == "VAL-143"), "{r:?}");
    applications::screen(&app.db, &s, e, lars, &ScreenInput { decision: "rejected".into(), reason: "Kandidat".into() }, app.now())
        .await
        .expect("reject");
    open(&app, &s, e, "warn").await;
    applications::screen(&app.db, &s, e, lars, &ScreenInput { decision: "accepted".into(), reason: String::new() }, app.now())
        .await
        .expect("accept with warn");

    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let a = applications::application(&mut tx, t, e, erik).await.expect("a").expect("erik");
    tx.commit().await.expect("commit");
    assert_eq!(a.status, "accepted");
    assert_eq!(a.screened_by, Some(s.user_id.0));
    assert!(a.screened_at.is_some());
    let page = c.get(&format!("/admin/val/{e}/ansokningar/{erik}")).await;
    assert!(page.body.contains(&s.name), "who screened is shown");
    let reserve = c.get(&format!("/admin/val/{e}/ansokningar?status=received")).await;
    assert!(reserve.body.contains("Okänd, Nils") && !reserve.body.contains("Johansson, Eric"));

    // The register check again: stored and audit-logged each time.
    let before = actions(&app, t).await.iter().filter(|a| *a == "elections.applications.register_checked").count();
    let r = c.post_form(&format!("/admin/val/{e}/ansokningar/{nobody}/folkbokforing"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let after = actions(&app, t).await.iter().filter(|a| *a == "elections.applications.register_checked").count();
    assert_eq!(after, before + 1);
    assert!(actions(&app, t).await.contains(&"elections.applications.screened".to_string()));

    // Another municipality sees none of it.
    let (_, _, other) = super::setup(&app, "arvika", "1784").await;
    let mut o = app.login("arvika", &other).await;
    assert_eq!(o.get(&format!("/admin/val/{e}/ansokningar")).await.status, 404);
    assert_eq!(o.get(&format!("/admin/val/{e}/ansokningar/{erik}")).await.status, 404);
    assert_eq!(
        o.post_form(&format!("/admin/val/{e}/ansokningar/{erik}/bedomning"), &[("decision", "rejected"), ("reason", "x")]).await.status,
        404
    );
    assert_eq!(o.post_form(&format!("/admin/val/{e}/ansokningar/{erik}/folkbokforing"), &[]).await.status, 404);
    // Someone not logged in is sent to the login, and back to the list after it.
    let anon = app.client("kil.localhost").get(&format!("/admin/val/{e}/ansokningar")).await;
    let back = format!("/logga-in?next=%2Fadmin%2Fval%2F{e}%2Fansokningar");
    assert_eq!((anon.status, anon.location()), (303, Some(back.as_str())), "{}", anon.body);
    // Staff of the municipality without the office permission (the valnämnd's delegate, who
    // appoints) are refused, and screen no one.
    let role = app.role(t, "Valnämndens delegat", &[radhus_elections::support::office::APPOINT]).await;
    app.user(t, "delegat@kil.se", "Dora Delegat", None, Some((role, None))).await;
    let mut d = app.login("kil", "delegat@kil.se").await;
    let list = d.get(&format!("/admin/val/{e}/ansokningar")).await;
    assert_eq!(list.status, 403, "{}", list.body);
    assert!(list.body.contains("<code>AUTH-007</code>"), "{}", list.body);
    let screened = actions(&app, t).await.iter().filter(|a| *a == "elections.applications.screened").count();
    let post = d.post_form(&format!("/admin/val/{e}/ansokningar/{erik}/bedomning"), &[("decision", "rejected"), ("reason", "x")]).await;
    assert_eq!(post.status, 403, "{}", post.body);
    assert!(post.body.contains("<code>AUTH-007</code>"), "{}", post.body);
    assert_eq!(actions(&app, t).await.iter().filter(|a| *a == "elections.applications.screened").count(), screened);
}

#[tokio::test]
async fn seed_demo_makes_realistic_screened_applicants() {
    let app = super::app().await;
    let (t, s, _) = super::setup(&app, "kil", "1715").await;
    let (e, st, _) = super::small_election(&app, &s).await;
    let accepted = applications::seed::seed_demo(&app.db, &s, e, 60, 7, app.now()).await.expect("seed");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let all = applications::applications(&mut tx, t, e).await.expect("list");
    let mut with_history = 0;
    for l in &all {
        let p = applications::person(&mut tx, t, l.a.person_id).await.expect("p").expect("person");
        let pnr = Personnummer::parse_canonical(p.pnr.as_deref().expect("pnr")).expect("valid pnr");
        let age = pnr.age_on(time::macros::date!(2030 - 09 - 08));
        assert!((18..=75).contains(&age), "{age}");
        assert!(p.phone.starts_with("07") && p.email.contains('@'));
        let (lat, lon) = (p.lat.expect("lat"), p.lon.expect("lon"));
        assert!((lat - 59.5035).abs() < 0.06 && (lon - 13.3190).abs() < 0.1, "{lat} {lon}");
        if !applications::history(&mut tx, t, p.id).await.expect("h").is_empty() {
            with_history += 1;
        }
        if l.a.status == "rejected" || l.a.status == "reserve" {
            assert!(!l.a.reason.is_empty());
        }
    }
    let wishes = applications::wishes(&mut tx, t, e).await.expect("w");
    tx.commit().await.expect("commit");
    assert_eq!(all.len(), 60);
    assert!(accepted.len() >= 40 && accepted.len() < 60, "{}", accepted.len());
    assert!(accepted.iter().all(|id| all.iter().any(|l| l.a.person_id == *id && l.a.status == "accepted")));
    assert!((10..=40).contains(&with_history), "{with_history}");
    assert!(wishes.iter().all(|(_, s)| *s == st) && !wishes.is_empty());
    // The same seed gives the same people: a second election matches them on personnummer.
    let (e2, _, _) = super::small_election(&app, &s).await;
    applications::seed::seed_demo(&app.db, &s, e2, 5, 7, app.now()).await.expect("seed again");
    assert_eq!(count(&app, t, "el_person").await, 60);
    assert_eq!(count(&app, t, "el_application").await, 65);
}

/// The office's person: in the register with its own e-mail address, no application yet
/// (entered by the office, `registers::service::create_person`).
async fn office_person(app: &TestApp, s: &StaffUser, pnr: &str, given: &str, family: &str, email: &str) -> Uuid {
    let f = PersonInput {
        pnr: pnr.into(),
        given_name: given.into(),
        family_name: family.into(),
        email: email.into(),
        phone: "054-10 20 30".into(),
        address: "Kyrkvägen 1".into(),
        postal_code: "665 31".into(),
        city: "Kil".into(),
        ..Default::default()
    };
    super::fixtures(app, s).person(&f).await
}

async fn outbox(app: &TestApp, t: TenantId) -> Vec<(String, String)> {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let mail: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT recipient, subject FROM outbox WHERE tenant_id = $1 ORDER BY created_at, id")
        .bind(t.0).fetch_all(c).await.expect("outbox"));
    tx.commit().await.expect("commit");
    mail
}

#[tokio::test]
async fn a_form_without_e_id_never_changes_an_existing_person() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(&app, &s).await;
    open(&app, &s, e, "block").await;
    let astrid = office_person(&app, &s, ASTRID, "Astrid", "Lindqvist", "astrid@kil.se").await;

    // Somebody types Astrid's number with their own name and addresses.
    let mut c = app.client("kil.localhost");
    let f = with(with(form(ASTRID, st, sh), "email", Some("angripare@example.com")), "address", Some("Falskgatan 9"));
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&f)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let p = applications::person(&mut tx, t, astrid).await.expect("p").expect("astrid");
    let a = applications::application(&mut tx, t, e, astrid).await.expect("a").expect("application");
    let h = applications::history(&mut tx, t, astrid).await.expect("h");
    tx.commit().await.expect("commit");
    // The register is untouched: name, e-mail, phone, address, experience.
    assert_eq!((p.name().as_str(), p.email.as_str(), p.phone.as_str()), ("Astrid Lindqvist", "astrid@kil.se", "054-10 20 30"));
    assert_eq!((p.address.as_str(), p.postal_code.as_str()), ("Kyrkvägen 1", "665 31"));
    assert!(h.is_empty(), "{h:?}");
    // What was typed is on the application.
    assert_eq!(a.identified_by, "form");
    assert_eq!(a.form_email.as_deref(), Some("angripare@example.com"));
    assert_eq!(a.form_given_name.as_deref(), Some("Erik"));
    assert_eq!(a.form_address.as_deref(), Some("Falskgatan 9"));

    // The office sees it next to the register's values, marked as not verified.
    let mut o = app.login("kil", &email).await;
    let page = o.get(&format!("/admin/val/{e}/ansokningar/{astrid}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let b = &page.body;
    assert!(b.contains("Uppgifter i anmälan") && b.contains("Lämnade i anmälan, inte verifierade"), "{b}");
    assert!(b.contains("angripare@example.com") && b.contains("astrid@kil.se") && b.contains("Falskgatan 9"), "{b}");

    // A second form for the number: the usual receipt; Astrid hears of it at her own address,
    // the typed address gets the usual confirmation (a day later: one a day to an address
    // from a form without e-ID); nothing changes.
    app.clock.advance(time::Duration::days(1) + time::Duration::minutes(1));
    let before = outbox(&app, t).await.len();
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&f)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains("redan anmält intresse"), "{}", r.body);
    let mail = outbox(&app, t).await;
    assert_eq!(mail.len(), before + 2, "{mail:?}");
    assert!(mail.iter().any(|(to, subj)| to == "astrid@kil.se" && subj.contains("En andra intresseanmälan")), "{mail:?}");
    assert!(mail[before..].iter().any(|(to, subj)| to == "angripare@example.com" && subj.contains("Vi har tagit emot")), "{mail:?}");
    assert_eq!(count(&app, t, "el_application").await, 1);
}

#[tokio::test]
async fn with_e_id_the_person_updates_own_data_and_applying_twice_is_a_conflict() {
    let app = super::app().await;
    let (t, s, _) = super::setup(&app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(&app, &s).await;
    open(&app, &s, e, "block").await;
    let astrid = office_person(&app, &s, ASTRID, "Astrid", "Lindqvist", "astrid@kil.se").await;
    let mut c = app.client("kil.localhost");
    let r = c.post_form("/e-legitimation/test", &[("person", ASTRID)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let f = with(form(ASTRID, st, sh), "email", Some("astrid.ny@example.se"));
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&f)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let p = applications::person(&mut tx, t, astrid).await.expect("p").expect("astrid");
    let a = applications::application(&mut tx, t, e, astrid).await.expect("a").expect("application");
    tx.commit().await.expect("commit");
    assert_eq!(p.email, "astrid.ny@example.se");
    assert_eq!((a.identified_by.as_str(), a.form_email.as_deref()), ("eid", None));
    // The e-ID user is the person: a second application says it was already received, with the
    // reference of the first, and changes nothing (issue 18 item 2).
    let reference = {
        let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
        let r = applications::reference(&mut tx, t, e, astrid, 2030).await.expect("reference");
        tx.commit().await.expect("commit");
        r
    };
    assert!(reference.starts_with("2030-0") && reference.len() == 9, "{reference}");
    let again = with(f.clone(), "message", Some("Andra gången"));
    let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&again)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Din anmälan har redan kommit in") && r.body.contains(&format!("<strong>{reference}</strong>")), "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let a2 = applications::application(&mut tx, t, e, astrid).await.expect("a").expect("application");
    tx.commit().await.expect("commit");
    assert_eq!(a2.message, a.message, "nothing changed");
}

#[tokio::test]
async fn conflict_pairs_are_kept_once_reach_staffing_and_stay_in_the_municipality() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, _st, sh) = super::small_election(&app, &s).await;
    open(&app, &s, e, "warn").await;
    let erik = apply(&app, t, e, input("Erik", "Johansson", ERIK, sh, false)).await;
    let lars = apply(&app, t, e, input("Lars", "Nilsson", "19580112-9130", sh, false)).await;
    let mut c = app.login("kil", &email).await;
    let page = |p: Uuid| format!("/admin/val/{e}/ansokningar/{p}");
    let add = |p: Uuid| format!("/admin/val/{e}/ansokningar/{p}/konflikter");

    // The form offers the other applicant, and nothing is recorded yet.
    let before = c.get(&page(erik)).await;
    assert_eq!(before.status, 200, "{}", before.body);
    assert!(before.body.contains("Inga registrerade.") && before.body.contains(&format!("<option value=\"{lars}\">Nilsson, Lars")));

    // Bad input: nobody chosen, oneself, someone who did not apply, a reason too long.
    let r = c.post_form(&add(erik), &[("other", ""), ("reason", "")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r##"<a class="ds-link" href="#conflict_other">Person: Välj en annan sökande till valet.</a>"##), "{}", r.body);
    assert!(
        r.body.contains(r#"id="conflict_other" name="other" aria-invalid="true" aria-describedby="conflict_other-error">"#),
        "{}",
        r.body
    );
    assert!(!r.body.contains(r#"id="reason-error""#), "the screening form is not marked: {}", r.body);
    let r = c.post_form(&add(erik), &[("other", &erik.to_string())]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("inte stå i konflikt med sig själv"));
    let r = c.post_form(&add(erik), &[("other", &Uuid::now_v7().to_string())]).await;
    assert_eq!(r.status, 422);
    let long = "x".repeat(201);
    let r = c.post_form(&add(erik), &[("other", &lars.to_string()), ("reason", &long)]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r#"id="conflict_reason-error">Korta skälet till högst 200 tecken.</p>"#), "{}", r.body);
    assert!(r.body.contains(r#"id="conflict_reason" name="reason" type="text" value="xxx"#), "{}", r.body);

    // Recorded once, shown on both pages; the same pair the other way round is refused.
    let r = c.post_form(&add(erik), &[("other", &lars.to_string()), ("reason", "Samma hushåll")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = c.get(&page(erik)).await;
    assert!(
        p.body.contains("Lars Nilsson</a> – Samma hushåll") && p.body.contains("Det finns inga andra sökande att välja."),
        "{}",
        p.body
    );
    assert!(c.get(&page(lars)).await.body.contains("Erik Johansson</a> – Samma hushåll"));
    let r = c.post_form(&add(lars), &[("other", &erik.to_string())]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Paret är redan registrerat."));
    let r = radhus_elections::applications::conflicts::add(
        &app.db,
        &s,
        e,
        lars,
        &radhus_elections::applications::conflicts::ConflictInput { other: erik.to_string(), reason: String::new() },
        app.now(),
    )
    .await;
    assert!(matches!(r, Err(radhus_platform::error::Error::Rule { code, .. }) if code.code == "VAL-146"), "{r:?}");
    assert_eq!(count(&app, t, "el_conflict").await, 1);
    assert!(actions(&app, t).await.contains(&"elections.conflict.added".to_string()));

    // Staffing (the rule check and the optimiser) reads the pair.
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let loaded = radhus_elections::staffing::load(&mut tx, t, e).await.expect("load");
    tx.commit().await.expect("commit");
    let pairs: Vec<(Uuid, Uuid)> = loaded.instance.conflicts.iter().map(|k| (k.0.0, k.1.0)).collect();
    assert!(pairs == vec![(erik, lars)] || pairs == vec![(lars, erik)], "{pairs:?}");

    // Another municipality can neither add nor remove it.
    let (_, _, other) = super::setup(&app, "arvika", "1784").await;
    let mut o = app.login("arvika", &other).await;
    assert_eq!(o.post_form(&add(erik), &[("other", &lars.to_string())]).await.status, 404);
    assert_eq!(o.post_form(&format!("{}/{lars}/ta-bort", add(erik)), &[]).await.status, 404);
    assert_eq!(count(&app, t, "el_conflict").await, 1);

    // Removed from either side; removing it again is not found.
    let r = c.post_form(&format!("{}/{erik}/ta-bort", add(lars)), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(count(&app, t, "el_conflict").await, 0);
    assert_eq!(c.post_form(&format!("{}/{erik}/ta-bort", add(lars)), &[]).await.status, 404);
    assert!(actions(&app, t).await.contains(&"elections.conflict.removed".to_string()));
}

#[tokio::test]
async fn the_form_cannot_send_someones_words_to_someone_else() {
    let app = super::app().await;
    let (t, s, _) = super::setup(&app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(&app, &s).await;
    open(&app, &s, e, "block").await;
    let mut c = app.client("kil.localhost");
    let victim = "offer@example.com";
    // Two applications with different numbers, an insulting "name" and the victim's address.
    for pnr in [ERIK, ASTRID] {
        let f = with(with(form(pnr, st, sh), "email", Some(victim)), "given_name", Some("Klicka på http://bedrageri.example"));
        let r = c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&f)).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let mail: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT recipient, body FROM outbox WHERE tenant_id = $1").bind(t.0).fetch_all(c).await.expect("outbox"));
    tx.commit().await.expect("commit");
    assert_eq!(mail.len(), 1, "one confirmation a day to one address: {mail:?}");
    assert_eq!(mail[0].0, victim);
    assert!(!mail[0].1.contains("bedrageri"), "nothing the visitor typed is in the mail: {}", mail[0].1);
    assert!(mail[0].1.starts_with("Hej!") && mail[0].1.contains("bortse från"), "{}", mail[0].1);
    // The next day the address may get one again.
    app.clock.advance(time::Duration::days(1) + time::Duration::minutes(1));
    let f = with(form("19811218-9876", st, sh), "email", Some(victim));
    assert_eq!(c.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&f)).await.status, 200);
    assert_eq!(count(&app, t, "outbox").await, 2);
}
