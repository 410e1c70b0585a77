//! The poll worker's own pages: e-ID login as a person of the FixtureRegister, the station and
//! colleagues (only of the same station), courses with enrolment and cancellation, the
//! appointment letter only for its owner, accepting and declining, the e-mail link, and
//! isolation between municipalities.

use radhus_elections::structure::service::{self, PositionsInput, StationInput};
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::on_tx;
use uuid::Uuid;

use super::courses::{person, two_courses};

const ERIK: &str = "19720901-4419";
const ASTRID: &str = "19850315-2384";
const FATIMA: &str = "19990624-2384";

async fn positions(app: &radhus_testkit::TestApp, t: TenantId, e: Uuid, station: Uuid) -> Vec<(Uuid, String)> {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let v = radhus_elections::structure::store::positions(&mut tx, t, e).await.expect("positions");
    tx.commit().await.expect("commit");
    v.into_iter().filter(|p| p.station_id == station).map(|p| (p.id, p.role)).collect()
}

/// Appoints a placed worker with the given letter, straight in the table: the appointment use
/// case refuses anyone without the course their role requires, and these tests need Erik
/// appointed while his basic course is still ahead (the worker's page offers it).
async fn appointed_without_course(app: &radhus_testkit::TestApp, t: TenantId, e: Uuid, person: Uuid, letter: &[u8]) {
    let now = app.now();
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query(
        "UPDATE el_assignment SET appointed_at = $4, letter = $5 WHERE tenant_id = $1 AND election_id = $2 AND person_id = $3")
        .bind(t.0).bind(e).bind(person).bind(now).bind(letter).execute(c).await.expect("appointment").rows_affected());
    tx.commit().await.expect("commit");
}

async fn citizen(app: &radhus_testkit::TestApp, slug: &str, pnr: &str) -> radhus_testkit::client::Client {
    let mut c = app.client(&format!("{slug}.localhost"));
    let r = c.post_form("/e-legitimation/test", &[("person", pnr)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    c
}

async fn response_of(app: &radhus_testkit::TestApp, t: TenantId, e: Uuid, person: Uuid) -> String {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (r,): (String,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT response FROM el_assignment WHERE tenant_id = $1 AND election_id = $2 AND person_id = $3")
        .bind(t.0).bind(e).bind(person).fetch_one(c).await.expect("response"));
    tx.commit().await.expect("commit");
    r
}

/// Kil's election with two stations: Erik (röstmottagare) and Astrid (ordförande) at the first,
/// Bo at the second. Returns (tenant, election, erik, astrid, bo, staff).
async fn staffed(app: &radhus_testkit::TestApp) -> (TenantId, Uuid, Uuid, Uuid, Uuid, radhus_platform::identity::session::StaffUser) {
    let (t, s, _) = super::setup(app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(app, &s).await;
    let st2 = service::add_station(
        &app.db,
        &s,
        e,
        &StationInput {
            kind: "rostningslokal".into(),
            name: "Kils bibliotek".into(),
            address: "Biblioteksgatan 2".into(),
            lat: "59.50".into(),
            lon: "13.32".into(),
            ..Default::default()
        },
        app.now(),
    )
    .await
    .expect("station 2");
    for (station, role, n) in [(st, "ordforande", "1"), (st, "rostmottagare", "2"), (st2, "rostmottagare", "1")] {
        service::add_positions(
            &app.db,
            &s,
            e,
            station,
            &PositionsInput { shift: sh.to_string(), role: role.into(), count: n.into(), language: String::new() },
            app.now(),
        )
        .await
        .expect("positions");
    }
    let erik = person(app, &s, e, ("Erik", "Johansson"), Some(ERIK), "accepted", "rostmottagare").await;
    let astrid = person(app, &s, e, ("Astrid", "Lindqvist"), Some(ASTRID), "accepted", "ordforande").await;
    let bo = person(app, &s, e, ("Bo", "Andersson"), None, "accepted", "").await;
    let p1 = positions(app, t, e, st).await;
    let p2 = positions(app, t, e, st2).await;
    let rm = p1.iter().find(|(_, r)| r == "rostmottagare").expect("rm").0;
    let ordf = p1.iter().find(|(_, r)| r == "ordforande").expect("ordf").0;
    let f = super::fixtures(app, &s);
    f.place(e, rm, erik).await;
    f.place(e, ordf, astrid).await;
    f.place(e, p2[0].0, bo).await;
    appointed_without_course(app, t, e, erik, b"%PDF-1.4 Eriks forordnande").await;
    (t, e, erik, astrid, bo, s)
}

#[tokio::test]
async fn worker_sees_station_colleagues_and_own_letter_only() {
    let app = super::app().await;
    let (_t, e, _erik, _astrid, _bo, _s) = staffed(&app).await;

    // Not logged in: the page explains and links to the e-ID login, which comes back here.
    let mut anon = app.client("kil.localhost");
    let page = anon.get("/valarbete/mina-sidor").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("href=\"/e-legitimation?next=%2Fvalarbete%2Fmina-sidor\""), "{}", page.body);
    assert_eq!(anon.get(&format!("/valarbete/mina-sidor/forordnande/{e}.pdf")).await.status, 303);

    let mut c = citizen(&app, "kil", ERIK).await;
    let page = c.get("/valarbete/mina-sidor").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let b = &page.body;
    assert!(b.contains("Erik Johansson") && b.contains("Valen 2030") && b.contains("Antagen"), "{b}");
    assert!(b.contains("Kils församlingshem") && b.contains("Storgatan 1, Kil"), "{b}");
    assert!(b.contains("https://www.openstreetmap.org/?mlat=59.50350&#38;mlon=13.31900"), "{b}");
    assert!(b.contains("17150001 Kil centrum") && b.contains("Hela dagen") && b.contains("07:30–21:00"), "{b}");
    // The colleague at the same station by name and role; nobody of the other station, and
    // nothing else about the colleague.
    assert!(b.contains("Astrid Lindqvist, Ordförande"), "{b}");
    assert!(!b.contains("Bo Andersson"), "{b}");
    assert!(!b.contains("astrid.lindqvist@example.se") && !b.contains(ASTRID));
    // The letter is there for Erik.
    assert!(b.contains(&format!("/valarbete/mina-sidor/forordnande/{e}.pdf")));
    let pdf = c.get(&format!("/valarbete/mina-sidor/forordnande/{e}.pdf")).await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.body.starts_with("%PDF-1.4 Eriks"));
    assert_eq!(c.get("/valarbete/mina-sidor/forordnande/inte-ett-val.pdf").await.status, 404);

    // Astrid has no letter, and cannot reach Erik's: the letter is by the logged-in person.
    let mut a = citizen(&app, "kil", ASTRID).await;
    let page = a.get("/valarbete/mina-sidor").await;
    assert!(page.body.contains("Erik Johansson, Röstmottagare"), "{}", page.body);
    assert!(!page.body.contains("forordnande/"));
    assert_eq!(a.get(&format!("/valarbete/mina-sidor/forordnande/{e}.pdf")).await.status, 404);

    // A citizen without a person record in Kil.
    let mut f = citizen(&app, "kil", FATIMA).await;
    let page = f.get("/valarbete/mina-sidor").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Du är inte registrerad som röstmottagare i den här kommunen"), "{}", page.body);
    assert_eq!(f.get("/valarbete/mina-sidor/kurser.ics").await.status, 404);
}

#[tokio::test]
async fn worker_enrols_cancels_and_answers() {
    let app = super::app().await;
    let (t, e, erik, astrid, bo, s) = staffed(&app).await;
    let (_g, _o, gs, os) = two_courses(&app, &s, e, "2026-12-01", "1").await;
    let mut c = citizen(&app, "kil", ERIK).await;
    let page = c.get("/valarbete/mina-sidor").await;
    assert!(page.body.contains("Grundutbildning: inte genomförd ännu"), "{}", page.body);
    assert!(page.body.contains("Anmäl mig"), "{}", page.body);
    // Erik needs the basic course, not the ordförande course.
    let r = c.post_form("/valarbete/mina-sidor/kurser/anmal", &[("election", &e.to_string()), ("session", &os.to_string())]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = c.post_form("/valarbete/mina-sidor/kurser/anmal", &[("election", &e.to_string()), ("session", &gs.to_string())]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some("/valarbete/mina-sidor?klart=anmald"));
    let r = c.post_form("/valarbete/mina-sidor/kurser/anmal", &[("election", &e.to_string()), ("session", &gs.to_string())]).await;
    assert_eq!(r.status, 409, "twice: {}", r.body);
    let ics = c.get("/valarbete/mina-sidor/kurser.ics").await;
    assert_eq!(ics.status, 200);
    assert!(ics.headers["content-type"].to_str().expect("ct").starts_with("text/calendar"));
    assert_eq!(ics.headers["cache-control"], "private, no-store", "the calendar names the person's sessions");
    assert!(ics.body.contains("BEGIN:VEVENT\r\n") && ics.body.contains("LOCATION:Kommunhuset\\, sal A\r\n"), "{}", ics.body);

    // Bo (not logged in: enrolled by the office) goes on the waitlist; Erik cancels; Bo gets the place.
    let link = "http://kil.localhost/valarbete/mina-sidor";
    let w = radhus_elections::courses::enrol(&app.db, &s, e, gs, bo, link, app.now()).await.expect("bo");
    assert_eq!(w, radhus_elections::courses::Enrolled::Waitlist);
    let r = c.post_form("/valarbete/mina-sidor/kurser/avboka", &[("election", &e.to_string()), ("session", &gs.to_string())]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (status,): (String,) = on_tx!(&mut tx, x => sqlx::query_as("SELECT status FROM el_enrolment WHERE tenant_id = $1 AND session_id = $2 AND person_id = $3")
        .bind(t.0).bind(gs).bind(bo).fetch_one(x).await.expect("bo"));
    let (by,): (String,) = on_tx!(&mut tx, x => sqlx::query_as("SELECT enrolled_by FROM el_enrolment WHERE tenant_id = $1 AND session_id = $2 AND person_id = $3")
        .bind(t.0).bind(gs).bind(erik).fetch_one(x).await.expect("erik"));
    tx.commit().await.expect("commit");
    assert_eq!((status.as_str(), by.as_str()), ("enrolled", "worker"));
    // Now full: Erik may put himself on the waitlist.
    let page = c.get("/valarbete/mina-sidor").await;
    assert!(page.body.contains("Ställ mig på reservlistan"), "{}", page.body);
    let r = c.post_form("/valarbete/mina-sidor/kurser/anmal", &[("election", &e.to_string()), ("session", &gs.to_string())]).await;
    assert_eq!(r.location(), Some("/valarbete/mina-sidor?klart=reserv"));

    // Accept, then decline: the first asks for confirmation, the confirmed one is recorded.
    let r = c.post_form("/valarbete/mina-sidor/svar", &[("election", &e.to_string()), ("response", "accepted")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(response_of(&app, t, e, erik).await, "accepted");
    let r = c.post_form("/valarbete/mina-sidor/svar", &[("election", &e.to_string()), ("response", "declined")]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Du är redan förordnad") && r.body.contains("Ja, tacka nej"), "{}", r.body);
    assert_eq!(response_of(&app, t, e, erik).await, "accepted");
    // The office hears of a decline at the municipality's address.
    let mut tx = app.db.write(Scope::Platform).await.expect("tx");
    on_tx!(&mut tx, x => sqlx::query("UPDATE tenant SET contact_email = 'valkansliet@kil.se' WHERE id = $1")
        .bind(t.0).execute(x).await.expect("contact").rows_affected());
    tx.commit().await.expect("commit");
    let r = c.post_form("/valarbete/mina-sidor/svar", &[("election", &e.to_string()), ("response", "declined"), ("confirm", "ja")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(response_of(&app, t, e, erik).await, "declined");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let notice: Vec<(String, String)> = on_tx!(&mut tx, x => sqlx::query_as("SELECT subject, body FROM outbox WHERE tenant_id = $1 AND recipient = 'valkansliet@kil.se'")
        .bind(t.0).fetch_all(x).await.expect("outbox"));
    tx.commit().await.expect("commit");
    assert_eq!(notice.len(), 1, "{notice:?}");
    assert!(notice[0].0.starts_with("Avböjt uppdrag: Erik Johansson"), "{notice:?}");
    assert!(
        notice[0].1.contains("redan förordnad") && notice[0].1.contains(&format!("http://kil.localhost/admin/val/{e}/bemanning")),
        "{notice:?}"
    );
    let r = c.post_form("/valarbete/mina-sidor/svar", &[("election", &e.to_string()), ("response", "accepted")]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = c.post_form("/valarbete/mina-sidor/svar", &[("election", &e.to_string()), ("response", "kanske")]).await;
    assert_eq!(r.status, 422);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let rows: Vec<(String, String)> = on_tx!(&mut tx, x => sqlx::query_as("SELECT action, CAST(details AS TEXT) FROM audit_event WHERE tenant_id = $1 AND action LIKE 'elections.worker.%'")
        .bind(t.0).fetch_all(x).await.expect("audit"));
    tx.commit().await.expect("commit");
    assert!(
        rows.iter().any(|(a, d)| a == "elections.worker.declined" && d.replace(' ', "").contains("\"after_appointment\":true")),
        "{rows:?}"
    );
    // Astrid's answer is untouched; a person without an assignment has nothing to answer.
    assert_eq!(response_of(&app, t, e, astrid).await, "pending");
    let _nobody = person(&app, &s, e, ("Maja", "Berg"), Some("20010930-6829"), "accepted", "").await;
    let mut m = citizen(&app, "kil", "20010930-6829").await;
    let page = m.get("/valarbete/mina-sidor").await;
    assert!(page.body.contains("inte fått något uppdrag"), "{}", page.body);
    let r = m.post_form("/valarbete/mina-sidor/svar", &[("election", &e.to_string()), ("response", "accepted")]).await;
    assert_eq!(r.status, 404, "{}", r.body);
}

#[tokio::test]
async fn email_link_logs_in_once_and_for_thirty_minutes() {
    let app = super::app().await;
    let (t, _e, _erik, _astrid, _bo, _s) = staffed(&app).await;
    let mut c = app.client("kil.localhost");
    assert_eq!(c.get("/valarbete/mina-sidor/e-post").await.status, 200);
    let r = c.post_form("/valarbete/mina-sidor/e-post", &[("email", "inte en adress")]).await;
    assert_eq!(r.status, 422);
    let r = c.post_form("/valarbete/mina-sidor/e-post", &[("email", "okand@example.se")]).await;
    assert_eq!(r.status, 200);
    let r = c.post_form("/valarbete/mina-sidor/e-post", &[("email", "Erik.Johansson@example.se")]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Om adressen finns hos oss"));
    let mails = mails(&app, t).await;
    assert_eq!(mails.len(), 1, "only the known address gets a mail: {mails:?}");
    let body = &mails[0].1;
    let i = body.find("lank?t=").expect("link") + "lank?t=".len();
    let token: String = body[i..].chars().take_while(|c| !c.is_whitespace()).collect();
    let page = c.get(&format!("/valarbete/mina-sidor/lank?t={token}")).await;
    assert_eq!(page.status, 200);
    assert!(c.get("/valarbete/mina-sidor").await.body.contains("e-legitimation"), "a GET does not log in");
    let r = c.post_form("/valarbete/mina-sidor/lank", &[("token", &token)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get("/valarbete/mina-sidor").await;
    assert!(page.body.contains("Kils församlingshem"), "{}", page.body);
    // Once only.
    let mut other = app.client("kil.localhost");
    let r = other.post_form("/valarbete/mina-sidor/lank", &[("token", &token)]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    // And 30 minutes.
    other.post_form("/valarbete/mina-sidor/e-post", &[("email", "erik.johansson@example.se")]).await;
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (body,): (String,) = on_tx!(&mut tx, x => sqlx::query_as("SELECT body FROM outbox WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1")
        .bind(t.0).fetch_one(x).await.expect("outbox"));
    tx.commit().await.expect("commit");
    let i = body.find("lank?t=").expect("link") + "lank?t=".len();
    let token2: String = body[i..].chars().take_while(|c| !c.is_whitespace()).collect();
    assert_ne!(token, token2);
    app.clock.advance(time::Duration::minutes(31));
    let r = other.post_form("/valarbete/mina-sidor/lank", &[("token", &token2)]).await;
    assert_eq!(r.status, 422);
}

#[tokio::test]
async fn worker_pages_are_per_municipality() {
    let app = super::app().await;
    let (_t, e, _erik, _astrid, _bo, _s) = staffed(&app).await;
    let (t2, _) = app.tenant_with_admin("arvika", "Arvika", "1784").await;
    // Erik logs in on Arvika's site: Arvika has no person with his number.
    let mut c = citizen(&app, "arvika", ERIK).await;
    let page = c.get("/valarbete/mina-sidor").await;
    assert!(page.body.contains("Du är inte registrerad"), "{}", page.body);
    assert_eq!(c.get(&format!("/valarbete/mina-sidor/forordnande/{e}.pdf")).await.status, 404);
    // Arvika's e-mail form does not find Kil's person.
    let r = c.post_form("/valarbete/mina-sidor/e-post", &[("email", "erik.johansson@example.se")]).await;
    assert_eq!(r.status, 200);
    let mut tx = app.db.read(Scope::Tenant(t2)).await.expect("tx");
    let (n,): (i64,) =
        on_tx!(&mut tx, x => sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE tenant_id = $1").bind(t2.0).fetch_one(x).await.expect("n"));
    tx.commit().await.expect("commit");
    assert_eq!(n, 0);
}

/// The login-link e-mails in the outbox (the applications' confirmations are there too).
async fn mails(app: &radhus_testkit::TestApp, t: TenantId) -> Vec<(String, String)> {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let m: Vec<(String, String)> = on_tx!(&mut tx, x => sqlx::query_as(
        "SELECT recipient, body FROM outbox WHERE tenant_id = $1 AND subject IN ('Din inloggningslänk till valarbetet', 'Your login link for election work') \
         ORDER BY created_at, id")
        .bind(t.0).fetch_all(x).await.expect("outbox"));
    tx.commit().await.expect("commit");
    m
}

fn token_in(body: &str) -> String {
    let i = body.find("lank?t=").expect("link") + "lank?t=".len();
    body[i..].chars().take_while(|c| !c.is_whitespace()).collect()
}

#[tokio::test]
async fn a_household_gets_one_link_per_person_and_a_new_link_voids_the_old() {
    let app = super::app().await;
    let (t, _e, erik, astrid, _bo, _s) = staffed(&app).await;
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    on_tx!(&mut tx, x => sqlx::query("UPDATE el_person SET email = 'hemma@example.se' WHERE tenant_id = $1 AND id IN ($2, $3)")
        .bind(t.0).bind(erik).bind(astrid).execute(x).await.expect("email").rows_affected());
    tx.commit().await.expect("commit");
    let mut c = app.client("kil.localhost");
    let r = c.post_form("/valarbete/mina-sidor/e-post", &[("email", "hemma@example.se")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let m = mails(&app, t).await;
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m.iter().any(|(_, b)| b.contains("Erik Johansson")) && m.iter().any(|(_, b)| b.contains("Astrid Lindqvist")), "{m:?}");
    let astrids = m.iter().find(|(_, b)| b.contains("Astrid Lindqvist")).map(|(_, b)| token_in(b)).expect("astrid");
    // A new request voids the unused ones.
    c.post_form("/valarbete/mina-sidor/e-post", &[("email", "hemma@example.se")]).await;
    let r = c.post_form("/valarbete/mina-sidor/lank", &[("token", &astrids)]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let m = mails(&app, t).await;
    let fresh = m[2..].iter().find(|(_, b)| b.contains("Astrid Lindqvist")).map(|(_, b)| token_in(b)).expect("astrid");
    let r = c.post_form("/valarbete/mina-sidor/lank", &[("token", &fresh)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(c.get("/valarbete/mina-sidor").await.body.contains("Astrid Lindqvist"));
}

#[tokio::test]
async fn no_link_to_an_address_only_a_form_gave_and_a_link_session_is_not_e_id() {
    let app = super::app().await;
    let (t, e, _erik, _astrid, _bo, s) = staffed(&app).await;
    // A person created by a form without e-ID: its address is not confirmed.
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    on_tx!(&mut tx, x => sqlx::query("UPDATE el_person SET unverified_email = email WHERE tenant_id = $1 AND pnr_index = $2")
        .bind(t.0).bind(radhus_platform::pii::index_str(ASTRID).expect("index")).execute(x).await.expect("mark").rows_affected());
    tx.commit().await.expect("commit");
    let mut c = app.client("kil.localhost");
    c.post_form("/valarbete/mina-sidor/e-post", &[("email", "astrid.lindqvist@example.se")]).await;
    assert!(mails(&app, t).await.is_empty());

    // Erik logs in with the link: the worker pages accept it, the form does not take it for e-ID.
    c.post_form("/valarbete/mina-sidor/e-post", &[("email", "erik.johansson@example.se")]).await;
    let token = token_in(&mails(&app, t).await[0].1);
    let r = c.post_form("/valarbete/mina-sidor/lank", &[("token", &token)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(c.get("/valarbete/mina-sidor").await.body.contains("Kils församlingshem"));
    service::save_settings(
        &app.db,
        &s,
        e,
        &service::SettingsInput { candidate_policy: "block".into(), applications_open: Some("1".into()), ..Default::default() },
        app.now(),
    )
    .await
    .expect("open");
    let page = c.get(&format!("/valarbete/ansok/{e}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains(&format!("value=\"{ERIK}\" readonly")) && !page.body.contains("readonly"), "{}", page.body);
    // While an e-ID session of Erik does prefill.
    let mut x = citizen(&app, "kil", ERIK).await;
    assert!(x.get(&format!("/valarbete/ansok/{e}")).await.body.contains(&format!("value=\"{ERIK}\" readonly")));
}

#[tokio::test]
async fn the_email_form_is_rate_limited() {
    let app = radhus_testkit::TestApp::with_modules(
        |cfg| vec![radhus_platform::platform_module(cfg), radhus_elections::module()],
        |cfg| cfg.login_attempts_per_minute = 3,
    )
    .await;
    let (t, _s, _) = super::setup(&app, "kil", "1715").await;
    let mut c = app.client("kil.localhost");
    for _ in 0..3 {
        assert_eq!(c.post_form("/valarbete/mina-sidor/e-post", &[("email", "okand@example.se")]).await.status, 200);
    }
    let r = c.post_form("/valarbete/mina-sidor/e-post", &[("email", "okand@example.se")]).await;
    assert_eq!(r.status, 429, "{}", r.body);
    let _ = t;
}

#[tokio::test]
async fn declined_colleagues_are_not_listed_and_a_declined_worker_sees_none() {
    let app = super::app().await;
    let (t, e, erik, astrid, _bo, _s) = staffed(&app).await;
    let mut c = citizen(&app, "kil", ERIK).await;
    let mut a = citizen(&app, "kil", ASTRID).await;
    // Before Astrid declines, each lists the other: the absences below are of a listed name.
    let page = c.get("/valarbete/mina-sidor").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Astrid Lindqvist"), "{}", page.body);
    let page = a.get("/valarbete/mina-sidor").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Erik Johansson"), "{}", page.body);
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    on_tx!(&mut tx, x => sqlx::query("UPDATE el_assignment SET response = 'declined' WHERE tenant_id = $1 AND election_id = $2 AND person_id = $3")
        .bind(t.0).bind(e).bind(astrid).execute(x).await.expect("decline").rows_affected());
    tx.commit().await.expect("commit");
    let page = c.get("/valarbete/mina-sidor").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Astrid Lindqvist"), "{}", page.body);
    let page = a.get("/valarbete/mina-sidor").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Erik Johansson"), "{}", page.body);
    let _ = erik;
}

/// The days from the test clock to the day after `day`: advancing by them puts the clock past
/// an election held on `day`.
fn days_past(app: &radhus_testkit::TestApp, day: time::Date) -> time::Duration {
    let today = radhus_kernel::tz::stockholm(app.now()).date();
    (day - today) + time::Duration::days(1)
}

/// Issue 18 item 17: before the election day the offer asks for an answer by the reply deadline
/// and the public form takes applications; after it the form is closed by itself (although the
/// office left it open), the worker's page no longer asks to accept or decline, and an answer
/// posted anyway is refused without a change.
#[tokio::test]
async fn after_election_day_applications_close_and_the_worker_is_not_asked_to_answer() {
    let app = super::app().await;
    let (t, e, _erik, astrid, _bo, s) = staffed(&app).await;
    let input = service::SettingsInput {
        candidate_policy: "block".into(),
        applications_open: Some("1".into()),
        reply_deadline: "2030-08-31".into(),
        ..Default::default()
    };
    service::save_settings(&app.db, &s, e, &input, app.now()).await.expect("settings");
    let mut anyone = app.client("kil.localhost");
    let form = anyone.get(&format!("/valarbete/ansok/{e}")).await;
    assert_eq!(form.status, 200);
    assert!(!form.body.contains("är stängd"), "open before the day: {}", form.body);
    assert!(anyone.get("/valarbete").await.body.contains(&format!("/valarbete/ansok/{e}")), "listed as open");
    let mut a = citizen(&app, "kil", ASTRID).await;
    let page = a.get("/valarbete/mina-sidor").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Tacka ja") && page.body.contains("Tacka nej"), "asked before the day: {}", page.body);
    assert!(page.body.contains("Svara senast") && page.body.contains("31 augusti 2030"), "the reply deadline in the offer: {}", page.body);

    let day = time::Date::from_calendar_date(2030, time::Month::September, 8).expect("day");
    app.clock.advance(days_past(&app, day));
    // The form closes by itself: the office's setting is still "open".
    let form = anyone.get(&format!("/valarbete/ansok/{e}")).await;
    assert!(form.body.contains("är stängd"), "{}", form.body);
    assert!(!anyone.get("/valarbete").await.body.contains(&format!("/valarbete/ansok/{e}")), "no longer listed");
    let r = anyone.post_form(&format!("/valarbete/ansok/{e}"), &[("pnr", FATIMA)]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Intresseanmälan till Valen 2030 är stängd"), "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (open,): (bool,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT applications_open FROM el_election WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(e).fetch_one(c).await.expect("election"));
    tx.commit().await.expect("commit");
    assert!(open, "closed by the date, not by a change of the setting");
    // The worker is no longer asked: no buttons, no deadline, the thanks instead (logged in
    // anew: the session from before the day has expired).
    let mut a = citizen(&app, "kil", ASTRID).await;
    let page = a.get("/valarbete/mina-sidor").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Tacka ja") && !page.body.contains("Tacka nej") && !page.body.contains("Svara senast"), "{}", page.body);
    assert!(page.body.contains("Valdagen har passerat. Tack för din insats!"), "{}", page.body);
    for response in ["accepted", "declined"] {
        let r = a.post_form("/valarbete/mina-sidor/svar", &[("election", &e.to_string()), ("response", response), ("confirm", "ja")]).await;
        assert_eq!(r.status, 409, "{response}: {}", r.body);
        assert!(r.body.contains("Valdagen har passerat, så uppdraget kan inte längre besvaras"), "{}", r.body);
    }
    assert_eq!(response_of(&app, t, e, astrid).await, "pending", "nothing changed");
}

/// Issue 18 item 18: the appointment letter gives the election office's phone and e-mail and
/// the election's diary number as its reference (the letter's metadata carries both; the
/// typeset text uses the same data). Without a diary number the reference is the election year,
/// never a fragment of an internal id.
#[tokio::test]
async fn the_appointment_letter_gives_the_offices_phone_and_e_mail_and_the_diary_number() {
    let app = super::app().await;
    let (_, e, _erik, _astrid, _bo, s) = staffed(&app).await;
    let mut c = app.login("kil", "admin@kil.se").await;
    // Without a diary number or contact: the year, and no contact line.
    let pdf = radhus_elections::staffing::appointment::bulk_letters(&app.db, &s, "Kil", e, app.now()).await.expect("letters");
    let raw = String::from_utf8_lossy(&pdf).to_string();
    assert!(raw.contains("Val 2030") && !raw.contains("Valkansliet:"), "{}", xmp(&raw));
    // The office saves its phone and e-mail and the election's diary number.
    let r = c
        .post_form(
            "/admin/val/installningar",
            &[("min_age", "18"), ("office_phone", "0554-191 00"), ("office_email", "valkansliet@kil.se")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let input = service::SettingsInput { candidate_policy: "block".into(), diary_number: "VN 2030/17".into(), ..Default::default() };
    service::save_settings(&app.db, &s, e, &input, app.now()).await.expect("settings");
    let letters = c.get(&format!("/admin/val/{e}/bemanning/forordnanden.pdf")).await;
    assert_eq!(letters.status, 200, "{}", letters.body);
    let meta = xmp(&letters.body);
    assert!(meta.contains("VN 2030/17"), "the diary number is the reference: {meta}");
    assert!(!meta.contains("Val 2030"), "{meta}");
    assert!(meta.contains("Telefon 0554-191 00") && meta.contains("E-post valkansliet@kil.se"), "the office's contact: {meta}");
}

/// The PDF's XMP metadata packet (uncompressed: PDF/A requires it to be readable).
fn xmp(raw: &str) -> String {
    let start = raw.find("<x:xmpmeta").unwrap_or(0);
    let end = raw[start..].find("</x:xmpmeta>").map_or(raw.len(), |n| start + n);
    raw[start..end].to_string()
}

/// Issue 18 item 4: the resident's start page card for the poll-worker pages says what they hold.
#[tokio::test]
async fn the_start_page_card_for_the_worker_pages_has_a_description() {
    let app = super::app().await;
    let _ = super::setup(&app, "kil", "1715").await;
    let mut c = citizen(&app, "kil", ERIK).await;
    let start = c.get("/").await.body;
    let yours = start.split("id=\"dina-sidor\"").nth(1).expect("the resident's own pages").split("</ul>").next().expect("list").to_string();
    let card = yours.split("<li>").find(|l| l.contains("href=\"/valarbete/mina-sidor\"")).expect("the card");
    assert!(card.contains("Mina sidor för valarbetet"), "{card}");
    assert!(
        card.contains("<span class=\"tenant-code\">Din intresseanmälan, ditt uppdrag i valet, kurser och förordnande</span>"),
        "{card}"
    );
}

/// Issue 18 item 1 on the worker's own pages: a refused e-mail address is shown at the field
/// (the message, `aria-invalid`, `aria-describedby`) and in the summary with a link to it.
#[tokio::test]
async fn a_refused_e_mail_address_is_shown_at_the_field_and_in_the_summary() {
    let app = super::app().await;
    let _ = super::setup(&app, "kil", "1715").await;
    let mut c = app.client("kil.localhost");
    let r = c.post_form("/valarbete/mina-sidor/e-post", &[("email", "inte-en-adress")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let b = &r.body;
    assert!(
        b.contains(r#"class="ds-error-summary""#) && b.contains(r##"href="#email">E-postadress: Skriv e-postadressen du angav"##),
        "{b}"
    );
    assert!(b.contains(r#"id="email-error">Skriv e-postadressen du angav i din intresseanmälan"#), "{b}");
    assert!(b.contains(r#"aria-invalid="true" aria-describedby="email-error""#), "{b}");
    assert!(b.contains(r#"value="inte-en-adress""#), "what was typed comes back");
    assert!(!b.contains(r#"class="ds-alert" data-color="danger""#), "no old error list");
}
