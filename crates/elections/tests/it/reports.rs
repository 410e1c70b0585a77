//! Reports: staffing list, contact list, course attendance and the arvode export as PDF/A
//! and Excel, the rates, audit of personal-data exports, isolation. Also the helpers the
//! campaign tests use to put people into an election directly (the staffing area that writes
//! placements is built elsewhere).

use std::io::Read;

use radhus_elections::reports::{self, RatesInput};
use radhus_elections::testing::Applicant;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use radhus_testkit::TestApp;
use uuid::Uuid;

/// The personnummer of applicant number `n` of [`applicant`].
pub fn pnr_of(n: u32) -> String {
    radhus_elections::testing::pnr_with("1980-01-01", n)
}

/// A person who applied to the election with e-ID for its first shift and was screened to
/// `status`, through the use cases (`radhus_elections::testing`).
/// `who` is (number, given name, family name), `contact` (phone, e-mail).
pub async fn applicant(app: &TestApp, s: &StaffUser, e: Uuid, who: (u32, &str, &str), contact: (&str, &str), status: &str) -> Uuid {
    let ((n, given, family), (phone, email)) = (who, contact);
    let mut tx = app.db.read(Scope::Tenant(s.tenant_id)).await.expect("tx");
    let shift = radhus_elections::store::shifts(&mut tx, s.tenant_id, e).await.expect("shifts")[0].id;
    tx.commit().await.expect("commit");
    let a = Applicant::new(&pnr_of(n), given, family, shift).contact(phone, email).status(status);
    super::fixtures(app, s).apply(e, &a).await
}

/// Places a person in a new position of the role at the (station, shift), and appoints them
/// when `appointed` (the person must meet the rules: course and experience).
pub async fn place(app: &TestApp, s: &StaffUser, e: Uuid, at: (Uuid, Uuid), person: Uuid, role: &str, appointed: bool) {
    let f = super::fixtures(app, s);
    f.place_new(e, at, role, person).await;
    if appointed {
        f.appoint(e, person).await;
    }
}

/// The session of the course of the key (made with one session on 20 August 2026 the first
/// time).
pub async fn session(app: &TestApp, s: &StaffUser, e: Uuid, key: &str) -> Uuid {
    let t = s.tenant_id;
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let existing: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT s.id FROM el_session s JOIN el_course k ON k.tenant_id = s.tenant_id AND k.election_id = s.election_id AND k.id = s.course_id \
         WHERE s.tenant_id = $1 AND s.election_id = $2 AND k.course_key = $3")
        .bind(t.0).bind(e).bind(key).fetch_optional(c).await.expect("session"));
    tx.commit().await.expect("commit");
    match existing {
        Some((id,)) => id,
        None => super::fixtures(app, s).course(e, key, "2026-08-20", "19:00").await.1,
    }
}

/// Enrols a person in the course's session; `completed` also records them as attended.
pub async fn enrol(app: &TestApp, s: &StaffUser, e: Uuid, person: Uuid, key: &str, completed: bool) {
    let session = session(app, s, e, key).await;
    let f = super::fixtures(app, s);
    f.enrol(e, session, person).await;
    if completed {
        f.attended(e, session, person).await;
    }
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
    let anna = applicant(&app, &s, e, (1, "Anna", "Andersson"), ("070-111 11 11", "anna@example.se"), "accepted").await;
    let bo = applicant(&app, &s, e, (2, "Bo", "Berg"), ("070-222 22 22", "bo@example.se"), "accepted").await;
    let cilla = applicant(&app, &s, e, (3, "Cilla", "Ceder"), ("", "cilla@example.se"), "accepted").await;
    applicant(&app, &s, e, (4, "Dan", "Dahl"), ("070-444 44 44", ""), "received").await;
    // Anna led a station in 2022 and has the ordförande course: she may be appointed.
    super::fixtures(&app, &s).history(anna, 2022, "ordforande", "Kil").await;
    enrol(&app, &s, e, anna, "ordforande", true).await;
    enrol(&app, &s, e, bo, "grund", false).await;
    place(&app, &s, e, (st, sh), anna, "ordforande", true).await;
    place(&app, &s, e, (st, sh), bo, "vice", false).await;
    place(&app, &s, e, (st, sh), cilla, "rostmottagare", false).await;
    let mut c = app.login("kil", &email).await;

    // Rates: bad amounts are field errors and nothing is saved; whole kronor are.
    let r = c
        .post_form(&format!("/admin/val/{e}/rapporter/arvoden"), &[("ordforande", "-5"), ("vice", "abc"), ("rostmottagare", "1600")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    for (id, label) in [("rate_ordforande", "Ordförande (kr)"), ("rate_vice", "Vice ordförande (kr)")] {
        assert!(
            r.body.contains(&format!(r##"<a class="ds-link" href="#{id}">{label}: Skriv ett belopp i hela kronor, 0 eller mer.</a>"##)),
            "{}",
            r.body
        );
        assert!(r.body.contains(&format!(r#"id="{id}-error">Skriv ett belopp i hela kronor, 0 eller mer.</p>"#)), "{}", r.body);
        assert!(r.body.contains(&format!(r#"id="{id}" name="{}" type="text""#, &id[5..])), "{}", r.body);
        assert!(r.body.contains(&format!(r#"aria-invalid="true" aria-describedby="{id}-error">"#)), "{}", r.body);
    }
    assert!(r.body.contains(r#"value="abc""#) && !r.body.contains(r#"id="rate_rostmottagare-error""#), "{}", r.body);
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
    for want in ["Anna Andersson", &pnr_of(1), "Bo Berg", "Cilla Ceder", "Ordförande", "Vice ordförande", "Personnummer", "Summa"] {
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
