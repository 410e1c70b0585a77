//! Watches: set on a case, reminded once through the outbox, followed in Atom and iCalendar.

use radhus_cases::service::{self, NewCase};
use radhus_platform::db::Scope;
use radhus_platform::outbox::JobCtx;
use time::{Duration, OffsetDateTime};

/// What the background worker gives a job: the database, the time and the configuration.
fn job(app: &radhus_testkit::TestApp, now: OffsetDateTime) -> JobCtx {
    JobCtx::new(app.db.clone(), now, std::sync::Arc::new(app.state.config.clone()))
}

#[tokio::test]
async fn watches_remind_once_and_show_in_feeds() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let (case, _) = service::create_case(
        &app.db,
        &staff,
        &NewCase { case_type: ct, title: "Bygglov, Tuppen 4".into(), ..Default::default() },
        app.now(),
    )
    .await
    .expect("case");
    let mut c = app.login("kil", &staff.email).await;
    let path = format!("/admin/arenden/{case}/bevakningar");
    let r = c.post_form(&path, &[("due", "2026-01-01"), ("remind_days", "2"), ("note", "Komplettering")]).await;
    assert_eq!(r.status, 422, "a date in the past");
    assert!(r.body.contains("redan passerat"));
    let r = c.post_form(&path, &[("due", "2026-12-01"), ("remind_days", "2"), ("note", "Komplettering ska ha kommit in")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mine = c.get("/admin/bevakningar").await;
    assert!(mine.body.contains("Komplettering ska ha kommit in") && mine.body.contains("2026-12-01"));

    // Nothing due yet; two days before the date the reminder is queued, once.
    assert_eq!(radhus_cases::watches::remind_due(&job(&app, app.now())).await.expect("remind"), 0);
    let later = app.now() + Duration::days(7);
    assert_eq!(radhus_cases::watches::remind_due(&job(&app, later)).await.expect("remind"), 1);
    assert_eq!(radhus_cases::watches::remind_due(&job(&app, later)).await.expect("remind"), 0);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let mails = radhus_platform::outbox::list(&mut tx, t, 10, 0).await.expect("outbox");
    tx.commit().await.expect("commit");
    let reminder = mails.iter().find(|m| m.recipient == staff.email && m.subject.starts_with("Bevakning KS 2026/1")).expect("reminder");
    // The link in the job's mail points at the case on the municipality's own public host.
    let link = format!("{}/admin/arenden/{case}", app.state.site_url("kil.localhost"));
    assert!(link.starts_with("http://kil.localhost"), "{link}");
    assert!(reminder.body.contains(&link), "{}", reminder.body);

    // Feeds behind a secret address.
    let page = c.post_form("/admin/bevakningar/flode", &[]).await;
    assert_eq!(page.status, 200);
    let atom_url = page.body.split("Atom: <code class=\"secret\">").nth(1).and_then(|s| s.split('<').next()).expect("atom url").to_string();
    let atom_path = atom_url.trim_start_matches("http://kil.localhost").to_string();
    let mut anyone = app.client("kil.localhost");
    let atom = anyone.get(&atom_path).await;
    assert_eq!(atom.status, 200);
    assert!(atom.body.starts_with("<?xml") && atom.body.contains("Komplettering ska ha kommit in"));
    let ics = anyone.get(&atom_path.replace(".atom", ".ics")).await;
    assert!(ics.body.starts_with("BEGIN:VCALENDAR\r\n") && ics.body.contains("DTSTART;VALUE=DATE:20261201"));
    assert_eq!(anyone.get("/flode/fel-nyckel/bevakningar.atom").await.status, 404);
    // The token belongs to Kil: on another municipality's host it finds nothing.
    super::setup(&app, "arvika").await;
    assert_eq!(app.client("arvika.localhost").get(&atom_path).await.status, 404);
    // A new address retires the old one.
    c.post_form("/admin/bevakningar/flode", &[]).await;
    assert_eq!(anyone.get(&atom_path).await.status, 404);

    let id = mine.body.split("/admin/bevakningar/").nth(1).and_then(|s| s.split('/').next()).expect("watch id").to_string();
    assert_eq!(c.post_form(&format!("/admin/bevakningar/{id}/klar"), &[]).await.status, 303);
    assert!(!c.get("/admin/bevakningar").await.body.contains("Komplettering ska ha kommit in"));
}

#[tokio::test]
async fn a_watch_on_one_record_names_the_record_everywhere() {
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await;
    let (case, number) =
        service::create_case(&app.db, &staff, &NewCase { case_type: ct, title: "Strandskydd".into(), ..Default::default() }, app.now())
            .await
            .expect("case");
    let letter = service::NewRecord {
        kind: radhus_cases::domain::RecordKind::Outbound,
        title: "Begäran om komplettering".into(),
        correspondent: "Byggare AB".into(),
        correspondent_is_person: false,
        document_date: None,
        received_on: None,
        memo_text: String::new(),
        register: true,
    };
    let record = service::add_record(&app.db, &staff, case, &letter, app.now()).await.expect("record");
    let mut c = app.login("kil", &staff.email).await;
    let path = format!("/admin/handlingar/{record}/bevakningar");
    let r = c.post_form(&path, &[("due", "2026-12-01"), ("remind_days", "x"), ("note", "Svar")]).await;
    assert_eq!(r.status, 422, "a bad reminder count");
    assert!(r.body.contains("Begäran om komplettering"), "back on the record page");
    let r = c.post_form(&path, &[("due", "2026-12-01"), ("remind_days", "3"), ("note", "Svar ska ha kommit")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some(format!("/admin/handlingar/{record}").as_str()));
    let label = format!("{number}-1");
    let page = c.get(&format!("/admin/handlingar/{record}")).await;
    assert!(page.body.contains("Svar ska ha kommit"));
    let case_page = c.get(&format!("/admin/arenden/{case}")).await;
    assert!(case_page.body.contains(&format!("Bevakning av {label} till 2026-12-01")), "timeline");
    assert!(case_page.body.contains(&format!("/admin/handlingar/{record}\">{label}</a> Svar ska ha kommit")), "listed on the case");
    let mine = c.get("/admin/bevakningar").await;
    assert!(mine.body.contains(&format!("<a href=\"/admin/handlingar/{record}\">{label}</a>")), "{}", mine.body);
    assert_eq!(radhus_cases::watches::remind_due(&job(&app, app.now() + Duration::days(30))).await.expect("remind"), 1);

    // Another municipality's record id is not found, and nothing is written.
    let (_, other, _) = super::setup(&app, "arvika").await;
    let mut o = app.login("arvika", &other.email).await;
    assert_eq!(o.post_form(&path, &[("due", "2026-12-01"), ("remind_days", "3"), ("note", "X")]).await.status, 404);
}

#[tokio::test]
async fn a_feed_shows_only_what_its_owner_may_still_read_and_dies_with_the_account() {
    use radhus_platform::identity::org::UnitKind;
    use radhus_platform::on_tx;
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let unit = app.unit(t, "Bygg", UnitKind::Forvaltning, None).await;
    let role = app.role(t, "Handläggare", &[service::READ, service::HANDLE]).await;
    let lisa = app.user(t, "lisa@kil.se", "Lisa", Some(unit), Some((role, Some(unit)))).await;
    let (case, _) = service::create_case(
        &app.db,
        &staff,
        &NewCase { case_type: ct, title: "Strandskydd, Ön 1".into(), unit: Some(unit.0), caseworker: Some(lisa.0), ..Default::default() },
        app.now(),
    )
    .await
    .expect("case");
    let mut c = app.login("kil", "lisa@kil.se").await;
    let r = c
        .post_form(&format!("/admin/arenden/{case}/bevakningar"), &[("due", "2026-12-01"), ("remind_days", "0"), ("note", "Yttrande")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.post_form("/admin/bevakningar/flode", &[]).await;
    let atom_url = page.body.split("Atom: <code class=\"secret\">").nth(1).and_then(|s| s.split('<').next()).expect("atom url").to_string();
    let atom_path = atom_url.trim_start_matches("http://kil.localhost").to_string();
    let mut anyone = app.client("kil.localhost");
    assert!(anyone.get(&atom_path).await.body.contains("Strandskydd"));

    // Lisa loses her rights and the case another caseworker: the feed no longer shows it.
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query("DELETE FROM role_assignment WHERE tenant_id = $1 AND user_id = $2").bind(t.0).bind(lisa.0).execute(c).await.expect("revoke").rows_affected());
    on_tx!(&mut tx, c => sqlx::query("UPDATE case_file SET caseworker_id = $3 WHERE tenant_id = $1 AND id = $2").bind(t.0).bind(case).bind(staff.user_id.0).execute(c).await.expect("reassign").rows_affected());
    tx.commit().await.expect("commit");
    let feed = anyone.get(&atom_path).await;
    assert_eq!(feed.status, 200);
    assert!(!feed.body.contains("Strandskydd") && !feed.body.contains("Yttrande"), "{}", feed.body);
    let ics = anyone.get(&atom_path.replace(".atom", ".ics")).await;
    assert!(!ics.body.contains("Strandskydd"), "{}", ics.body);

    // Deactivated: the address answers 404 and its token is gone.
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query("UPDATE app_user SET active = $3 WHERE tenant_id = $1 AND id = $2").bind(t.0).bind(lisa.0).bind(false).execute(c).await.expect("deactivate").rows_affected());
    tx.commit().await.expect("commit");
    assert_eq!(anyone.get(&atom_path).await.status, 404);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (n,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT COUNT(*) FROM feed_token WHERE tenant_id = $1 AND user_id = $2").bind(t.0).bind(lisa.0).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    assert_eq!(n, 0, "the deactivated user's feed token is deleted");
}
