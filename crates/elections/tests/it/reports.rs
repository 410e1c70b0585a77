//! Reports: staffing list, contact list, course attendance and the arvode export as PDF/A
//! and Excel, the rates, audit of personal-data exports, isolation. Also the helpers the
//! campaign tests use to put people into an election directly (the staffing area that writes
//! placements is built elsewhere).

use std::io::Read;

use radhus_elections::reports::{self, RatesInput};
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::on_tx;
use radhus_testkit::TestApp;
use uuid::Uuid;

/// A person with an application to the election.
/// `who` is (number, given name, family name), `contact` (phone, e-mail).
pub async fn applicant(app: &TestApp, t: TenantId, e: Uuid, who: (u32, &str, &str), contact: (&str, &str), status: &str) -> Uuid {
    let ((n, given, family), (phone, email)) = (who, contact);
    let id = Uuid::now_v7();
    let now = app.now();
    let pnr = format!("19800101-{n:04}");
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let pnr = radhus_platform::pii::seal_str(&pnr).expect("seal");
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO el_person (tenant_id, id, pnr_sealed, pnr_index, given_name, family_name, email, phone, address, postal_code, city, created_at, updated_at) \
         VALUES ($1, $2, $3, $9, $4, $5, $6, $7, 'Gatan 1', '665 30', 'Kil', $8, $8)")
        .bind(t.0).bind(id).bind(&pnr.sealed).bind(given).bind(family).bind(email).bind(phone).bind(now).bind(&pnr.index).execute(c).await.expect("person").rows_affected());
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO el_application (tenant_id, election_id, person_id, status, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(t.0).bind(e).bind(id).bind(status).bind(now).execute(c).await.expect("application").rows_affected());
    tx.commit().await.expect("commit");
    id
}

/// Places a person in a new position of the role at the (station, shift).
pub async fn place(app: &TestApp, t: TenantId, e: Uuid, at: (Uuid, Uuid), person: Uuid, role: &str, appointed: bool) {
    let (station, shift) = at;
    let pos = Uuid::now_v7();
    let now = app.now();
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO el_position (tenant_id, election_id, id, station_id, shift_id, role) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.0).bind(e).bind(pos).bind(station).bind(shift).bind(role).execute(c).await.expect("position").rows_affected());
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO el_assignment (tenant_id, election_id, position_id, person_id, source, placed_at, appointed_at) VALUES ($1, $2, $3, $4, 'manual', $5, $6)")
        .bind(t.0).bind(e).bind(pos).bind(person).bind(now).bind(appointed.then_some(now)).execute(c).await.expect("assignment").rows_affected());
    tx.commit().await.expect("commit");
}

/// A course of the key with one session, or the existing one: the session.
pub async fn session(app: &TestApp, t: TenantId, e: Uuid, key: &str) -> Uuid {
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let existing: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT s.id FROM el_session s JOIN el_course k ON k.tenant_id = s.tenant_id AND k.election_id = s.election_id AND k.id = s.course_id \
         WHERE s.tenant_id = $1 AND s.election_id = $2 AND k.course_key = $3")
        .bind(t.0).bind(e).bind(key).fetch_optional(c).await.expect("session"));
    if let Some((s,)) = existing {
        tx.commit().await.expect("commit");
        return s;
    }
    let (course, s) = (Uuid::now_v7(), Uuid::now_v7());
    let at = time::macros::datetime!(2026-08-20 17:00 UTC);
    on_tx!(&mut tx, c => sqlx::query("INSERT INTO el_course (tenant_id, election_id, id, course_key, name) VALUES ($1, $2, $3, $4, $5)")
        .bind(t.0).bind(e).bind(course).bind(key).bind(if key == "grund" { "Grundutbildning" } else { "Ordförandeutbildning" })
        .execute(c).await.expect("course").rows_affected());
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO el_session (tenant_id, election_id, id, course_id, starts_at, ends_at, place, capacity) VALUES ($1, $2, $3, $4, $5, $6, 'Kommunhuset', 30)")
        .bind(t.0).bind(e).bind(s).bind(course).bind(at).bind(at + time::Duration::hours(3)).execute(c).await.expect("session").rows_affected());
    tx.commit().await.expect("commit");
    s
}

/// Enrols a person in the course's session; `completed` also marks them attended and done.
pub async fn enrol(app: &TestApp, t: TenantId, e: Uuid, person: Uuid, key: &str, completed: bool) {
    let s = session(app, t, e, key).await;
    let now = app.now();
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO el_enrolment (tenant_id, election_id, session_id, person_id, status, attended, completed_at, enrolled_at) VALUES ($1, $2, $3, $4, 'enrolled', $5, $6, $7)")
        .bind(t.0).bind(e).bind(s).bind(person).bind(completed.then_some(true)).bind(completed.then_some(now)).bind(now)
        .execute(c).await.expect("enrolment").rows_affected());
    tx.commit().await.expect("commit");
}

/// The texts of an xlsx workbook's cells (shared strings and inline strings) and numbers.
pub fn xlsx_text(bytes: &[u8]) -> String {
    let mut zip = xlsx_zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = String::new();
    for name in ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"] {
        if let Ok(mut f) = zip.by_name(name) {
            f.read_to_string(&mut out).expect("read");
        }
    }
    out
}

async fn audit_count(app: &TestApp, t: TenantId, action: &str) -> i64 {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (n,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = $2")
        .bind(t.0).bind(action).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    n
}

#[tokio::test]
async fn reports_and_arvode_export() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(&app, &s).await;
    let anna = applicant(&app, t, e, (1, "Anna", "Andersson"), ("070-111 11 11", "anna@example.se"), "accepted").await;
    let bo = applicant(&app, t, e, (2, "Bo", "Berg"), ("070-222 22 22", "bo@example.se"), "accepted").await;
    let cilla = applicant(&app, t, e, (3, "Cilla", "Ceder"), ("", ""), "accepted").await;
    applicant(&app, t, e, (4, "Dan", "Dahl"), ("070-444 44 44", ""), "received").await;
    place(&app, t, e, (st, sh), anna, "ordforande", true).await;
    place(&app, t, e, (st, sh), bo, "vice", false).await;
    place(&app, t, e, (st, sh), cilla, "rostmottagare", false).await;
    enrol(&app, t, e, anna, "ordforande", true).await;
    enrol(&app, t, e, bo, "grund", false).await;
    let mut c = app.login("kil", &email).await;

    // Rates: bad amounts are field errors and nothing is saved; whole kronor are.
    let r = c
        .post_form(&format!("/admin/val/{e}/rapporter/arvoden"), &[("ordforande", "-5"), ("vice", "abc"), ("rostmottagare", "1600")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("hela kronor"), "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert_eq!(reports::rates(&mut tx, t, e).await.expect("rates"), reports::Rates::default());
    tx.commit().await.expect("commit");
    reports::save_rates(
        &app.db,
        &s,
        e,
        &RatesInput { ordforande: "2 200".into(), vice: "1900".into(), rostmottagare: "1600 kr".into(), course: "300".into() },
        app.now(),
    )
    .await
    .expect("rates");
    let page = c.get(&format!("/admin/val/{e}/rapporter")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    // 2200 + 300 (course) + 1900 + 1600 = 6000 for three placed workers.
    assert!(page.body.contains("6000 kr") && page.body.contains("value=\"2200\""), "{}", page.body);

    // The arvode rows come from the rates: the course part only for a completed course.
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let people = reports::people(&mut tx, t, e).await.expect("people");
    let rates = reports::rates(&mut tx, t, e).await.expect("rates");
    tx.commit().await.expect("commit");
    let rows = reports::arvoden(&people, &rates);
    assert_eq!(rows.len(), 3, "Dan is not placed");
    let a = rows.iter().find(|a| a.name == "Anna Andersson").expect("anna");
    assert_eq!((a.role_amount, a.course_amount, a.total, a.course_completed), (2200, 300, 2500, true));
    let b = rows.iter().find(|a| a.name == "Bo Berg").expect("bo");
    assert_eq!((b.role_amount, b.course_amount, b.total), (1900, 0, 1900), "enrolled but not completed");
    assert_eq!(rows.iter().map(|a| a.total).sum::<i32>(), 6000);

    // The Excel export has one row per placed worker with personnummer and amounts.
    let before = audit_count(&app, t, "elections.reports.exported").await;
    let x = c.get(&format!("/admin/val/{e}/rapporter/arvoden.xlsx")).await;
    assert_eq!(x.status, 200);
    assert!(x.body.starts_with("PK"));
    let doc = reports::report(&app.db, &ctx_sv(&app).await, &s, "Kil", e, "arvoden.xlsx", app.now()).await.expect("doc");
    let text = xlsx_text(&reports::xlsx(&doc, "Arvoden").expect("xlsx"));
    for want in ["Anna Andersson", "19800101-0001", "Bo Berg", "Cilla Ceder", "Ordförande", "Vice ordförande", "Personnummer", "Summa"] {
        assert!(text.contains(want), "{want} in the workbook");
    }
    assert!(!text.contains("Dan Dahl"));
    assert!(text.contains("<v>2500</v>") && text.contains("<v>6000</v>"), "amounts are numbers");
    assert_eq!(audit_count(&app, t, "elections.reports.exported").await, before + 2, "each export of personal data is logged");

    // Staffing list (vacant positions shown), contacts, attendance.
    let doc = reports::report(&app.db, &ctx_sv(&app).await, &s, "Kil", e, "bemanning.xlsx", app.now()).await.expect("doc");
    assert_eq!(doc.rows.len(), 3);
    assert!(
        doc.rows.iter().any(|r| r[0] == "Kils församlingshem"
            && r[1] == "17150001 Kil centrum"
            && r[4] == "Anna Andersson"
            && r[5] == "070-111 11 11")
    );
    let doc = reports::report(&app.db, &ctx_sv(&app).await, &s, "Kil", e, "kontakter.xlsx", app.now()).await.expect("doc");
    assert_eq!(doc.rows.len(), 3);
    assert!(doc.rows.iter().any(|r| r[0] == "Bo Berg" && r[2] == "bo@example.se"));
    let doc = reports::report(&app.db, &ctx_sv(&app).await, &s, "Kil", e, "utbildning.xlsx", app.now()).await.expect("doc");
    assert_eq!(doc.rows.len(), 2);
    let ord = doc.rows.iter().find(|r| r[0] == "Ordförandeutbildning").expect("ord");
    assert_eq!(&ord[4..], &["1", "0", "1", "1"]);
    let grund = doc.rows.iter().find(|r| r[0] == "Grundutbildning").expect("grund");
    assert_eq!(&grund[4..], &["1", "0", "0", "0"]);

    // Each report as PDF/A.
    for f in ["bemanning", "kontakter", "utbildning", "arvoden"] {
        let pdf = c.get(&format!("/admin/val/{e}/rapporter/{f}.pdf")).await;
        assert_eq!(pdf.status, 200, "{f}: {}", pdf.body);
        assert!(pdf.body.starts_with("%PDF-"), "{f}");
        assert!(pdf.body.contains("pdfaid:part"), "{f}: PDF/A metadata");
        let x = c.get(&format!("/admin/val/{e}/rapporter/{f}.xlsx")).await;
        assert_eq!(x.status, 200, "{f}");
    }
    assert_eq!(c.get(&format!("/admin/val/{e}/rapporter/okand.pdf")).await.status, 404);
    assert_eq!(c.get(&format!("/admin/val/{e}/rapporter/arvoden.csv")).await.status, 404);

    // Another municipality gets 404 and cannot change the rates.
    let (_, _, other) = super::setup(&app, "arvika", "1784").await;
    let mut o = app.login("arvika", &other).await;
    assert_eq!(o.get(&format!("/admin/val/{e}/rapporter")).await.status, 404);
    assert_eq!(o.get(&format!("/admin/val/{e}/rapporter/arvoden.xlsx")).await.status, 404);
    assert_eq!(o.get(&format!("/admin/val/{e}/rapporter/bemanning.pdf")).await.status, 404);
    assert_eq!(o.post_form(&format!("/admin/val/{e}/rapporter/arvoden"), &[("ordforande", "1")]).await.status, 404);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert_eq!(reports::rates(&mut tx, t, e).await.expect("rates").ordforande, 2200);
    tx.commit().await.expect("commit");
}

/// A Swedish request context, as the pages have.
pub async fn ctx_sv(app: &TestApp) -> radhus_platform::web::Ctx {
    radhus_platform::web::Ctx {
        site: radhus_platform::web::Site::Platform,
        tr: radhus_platform::web::Tr { lang: radhus_kernel::Lang::Sv, i18n: app.state.i18n.clone() },
        principal: None,
        session_expired: false,
        session_token_hash: None,
        csrf: String::new(),
        path: "/".into(),
        host: "kil.localhost".into(),
        client: String::new(),
    }
}
