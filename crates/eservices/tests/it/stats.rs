//! Statistics (issue 11 item 9) on SQLite and PostgreSQL: the figures of a seeded set of
//! drafts, submissions and payments in two municipalities — each municipality's own on its
//! administrator's page and CSV, every municipality's summed for the operator — and the
//! catalogue's "Mest använda"; one municipality never sees another's rows.

use radhus_eservices::stats::{self, Figures, Period};
use radhus_eservices::store;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::on_tx;
use radhus_testkit::{Client, TestApp};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{ASTRID, DEFINITION, ERIK, app, citizen, count, municipality, publish, sha_of, start, step};

/// A second shared service, adopted with the first.
pub(super) async fn publish_second(app: &TestApp) {
    let def = DEFINITION
        .replace("\"key\": \"provtjanst\"", "\"key\": \"andratjanst\"")
        .replace("\"title\": \"Ansökan om provtillstånd\"", "\"title\": \"Anmälan om annat\"");
    assert_ne!(def, DEFINITION);
    let mut op = app.operator("katalog@radhus.se").await;
    let r = op.post_form("/admin/e-tjanster/delade", &[("definition", &def)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

pub(super) async fn adopt_second(admin: &mut Client, ct: Uuid) {
    let ct = ct.to_string();
    let fields = [
        ("case_type", ct.as_str()),
        ("public_title", "Anmälan om annat"),
        ("secrecy_ground", ""),
        ("status", "published"),
        ("overrides", ""),
    ];
    let r = admin.post_form("/admin/e-tjanster/tjanst/andratjanst", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

/// A submission of `key` signed at `signed`, begun at `started` (none: a draft from before
/// starts were kept), written as the submit would; returns its id.
pub(super) async fn seed(app: &TestApp, t: TenantId, key: &str, started: Option<OffsetDateTime>, signed: OffsetDateTime) -> Uuid {
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let draft = Uuid::now_v7();
    if let Some(at) = started {
        store::record_draft_start(&mut tx, t, draft, key, at).await.expect("start");
    }
    let id = Uuid::now_v7();
    let s = store::Submission {
        id,
        draft_id: draft,
        service_key: key.to_string(),
        revision: 1,
        citizen_index: format!("seed-{id}"),
        answers: radhus_platform::pii::seal_text("{}").expect("seal"),
        content_sha256: "0".repeat(64),
        signed_name: "Seedad Person".into(),
        identified_by: "test-eid".into(),
        assurance: "eid".into(),
        signed_at: signed,
        fee: Some(1000),
        case_id: None,
        case_number: None,
        record_number: None,
        applicant_sealed: None,
    };
    store::insert_submission(&mut tx, t, &s).await.expect("submission");
    tx.commit().await.expect("commit");
    id
}

/// A draft begun at `at` and never submitted (the retention job may have deleted it since).
pub(super) async fn seed_abandoned(app: &TestApp, t: TenantId, key: &str, at: OffsetDateTime) {
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    store::record_draft_start(&mut tx, t, Uuid::now_v7(), key, at).await.expect("start");
    tx.commit().await.expect("commit");
}

/// A payment of the submission settled at `at` with `status` (`paid` or `refunded`).
async fn seed_payment(app: &TestApp, t: TenantId, submission: Uuid, amount: i64, status: &str, at: OffsetDateTime) {
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let id = Uuid::now_v7();
    let refunded = (status == "refunded").then_some(at);
    let from = (status == "refunded").then_some("paid");
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO es_payment (tenant_id, id, submission_id, amount, provider, provider_ref, redirect_url, status, started_at, settled_at, refunded_from, refunded_at) \
         VALUES ($1, $2, $3, $4, 'test', $5, '/', $6, $7, $7, $8, $9)")
        .bind(t.0).bind(id).bind(submission).bind(amount).bind(id.to_string()).bind(status).bind(at).bind(from).bind(refunded)
        .execute(c).await.expect("payment").rows_affected());
    tx.commit().await.expect("commit");
}

fn month(at: OffsetDateTime) -> String {
    let d = radhus_kernel::tz::stockholm(at).date();
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

/// The submissions per month of the period for these signing times.
fn per_month(p: &Period, times: &[OffsetDateTime]) -> Vec<i64> {
    p.months().iter().map(|m| times.iter().filter(|t| month(**t) == *m).count() as i64).collect()
}

/// The submissions per Swedish week of the period for these signing times.
fn per_week(p: &Period, times: &[OffsetDateTime]) -> Vec<i64> {
    let week = |t: &OffsetDateTime| stats::week_label(radhus_kernel::tz::stockholm(*t).date());
    p.weeks().iter().map(|w| times.iter().filter(|t| week(t) == *w).count() as i64).collect()
}

/// The CSV line of a service.
pub(super) fn csv_line<'a>(body: &'a str, key: &str) -> &'a str {
    body.lines().find(|l| l.starts_with(&format!("{key};"))).unwrap_or_else(|| panic!("no line for {key}: {body}"))
}

#[tokio::test]
async fn the_figures_count_the_municipalitys_own_rows_and_the_operator_sees_them_summed() {
    let app = app().await;
    publish(&app).await;
    publish_second(&app).await;
    let (kil, mut kil_admin, kil_ct) = municipality(&app, "kil", "Kil", "1715").await;
    adopt_second(&mut kil_admin, kil_ct).await;
    let (arvika, mut arvika_admin, arvika_ct) = municipality(&app, "arvika", "Arvika", "1784").await;
    adopt_second(&mut arvika_admin, arvika_ct).await;
    let t0 = app.now();

    // Kil: three submissions of provtjanst begun and signed at known times, one draft of it
    // abandoned, one old submission of andratjanst; a paid and a refunded payment.
    let s1 = seed(&app, kil, "provtjanst", Some(t0 - Duration::days(40)), t0 - Duration::days(40) + Duration::hours(2)).await;
    let s2 = seed(&app, kil, "provtjanst", Some(t0 - Duration::days(40)), t0 - Duration::days(38)).await;
    let s3 = seed(&app, kil, "provtjanst", Some(t0 - Duration::days(100)), t0 - Duration::days(100) + Duration::minutes(10)).await;
    seed_abandoned(&app, kil, "provtjanst", t0 - Duration::days(10)).await;
    seed(&app, kil, "andratjanst", Some(t0 - Duration::days(96)), t0 - Duration::days(95)).await;
    seed_payment(&app, kil, s1, 1000, "paid", t0 - Duration::days(40)).await;
    seed_payment(&app, kil, s2, 1000, "refunded", t0 - Duration::days(37)).await;
    let _ = s3;

    // And through the pages: Astrid begins, takes half an hour and submits; Erik begins only.
    let mut astrid = citizen(&app, "kil.localhost", ASTRID).await;
    let draft = start(&mut astrid).await;
    app.clock.advance(Duration::minutes(30));
    let r = astrid.post_form(&step(draft, 0), &[("namn", "Astrid Lindqvist"), ("epost", "astrid@example.se"), ("typ", "a")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(astrid.post_form(&step(draft, 2), &[("intygar", "true")]).await.status, 303);
    let r = astrid.get(&format!("/e-tjanster/provtjanst/{draft}/granska")).await;
    let r = astrid.post_form(&format!("/e-tjanster/provtjanst/{draft}/skicka"), &[("sha256", &sha_of(&r.body))]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let t1 = app.now();
    let mut erik = citizen(&app, "kil.localhost", ERIK).await;
    start(&mut erik).await;
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_draft_start WHERE tenant_id = $1").await, 7, "every draft's start is kept");

    // Arvika: provtjanst twice, andratjanst five times from drafts begun before starts were kept.
    for _ in 0..2 {
        seed(&app, arvika, "provtjanst", Some(t0 - Duration::days(3) - Duration::hours(1)), t0 - Duration::days(3)).await;
    }
    for _ in 0..5 {
        seed(&app, arvika, "andratjanst", None, t0 - Duration::days(2)).await;
    }

    let today = radhus_kernel::tz::stockholm(app.now()).date();
    let p = Period::default_for(today);
    let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
    let figures = stats::for_municipality(&mut tx, kil, &p, app.now()).await.expect("figures");
    tx.commit().await.expect("commit");
    let prov_times =
        [t0 - Duration::days(40) + Duration::hours(2), t0 - Duration::days(38), t0 - Duration::days(100) + Duration::minutes(10), t1];
    let expected_prov = Figures {
        key: "provtjanst".into(),
        submissions: 4,
        per_month: per_month(&p, &prov_times),
        per_week: per_week(&p, &prov_times),
        // s1, s2, s3, the abandoned draft, Astrid's and Erik's.
        started: 6,
        started_submitted: 4,
        // The abandoned draft is gone (deleted by the retention job) without a submission; it
        // saved no step, so it stopped at the first one. Erik's was begun just now: in progress.
        abandoned: 1,
        stopped: [(String::new(), 1)].into_iter().collect(),
        // 10 min, 30 min, 2 h, 2 d: the middle two are 30 min and 2 h.
        median_seconds: Some((30 * 60 + 2 * 3600) / 2),
        eid_signed: 4,
        paid: 1,
        paid_amount: 1000,
        refunded: 1,
        refunded_amount: 1000,
        municipalities: 1,
        start_municipalities: 1,
        ..Figures::default()
    };
    let expected_other = Figures {
        key: "andratjanst".into(),
        submissions: 1,
        per_month: per_month(&p, &[t0 - Duration::days(95)]),
        per_week: per_week(&p, &[t0 - Duration::days(95)]),
        started: 1,
        started_submitted: 1,
        median_seconds: Some(86400),
        eid_signed: 1,
        municipalities: 1,
        start_municipalities: 1,
        ..Figures::default()
    };
    assert_eq!(figures, vec![expected_other.clone(), expected_prov.clone()]);
    assert_eq!(expected_prov.per_month.iter().sum::<i64>(), 4, "every submission is in a month of the period");
    assert_eq!(expected_prov.completion_percent(), Some(67));
    assert_eq!(expected_prov.per_week.iter().sum::<i64>(), 4, "every submission is in a week of the period");
    assert_eq!(expected_prov.in_progress(), 1, "Erik's");

    // A shorter period: only what happened in it.
    let last_week = Period { from: today - Duration::days(7), to: today };
    let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
    let recent = stats::for_municipality(&mut tx, kil, &last_week, app.now()).await.expect("figures");
    tx.commit().await.expect("commit");
    assert_eq!(recent.len(), 1, "{recent:?}");
    assert_eq!((recent[0].submissions, recent[0].started, recent[0].started_submitted, recent[0].paid), (1, 2, 1, 0));

    // Kil's administrator: the page and the CSV hold Kil's figures only.
    let r = kil_admin.get("/admin/e-tjanster/statistik").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Ansökan om provtillstånd") && r.body.contains("67 %") && r.body.contains("1 h 15 min"), "{}", r.body);
    let csv = kil_admin.get("/admin/e-tjanster/statistik.csv").await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.body.starts_with("Tjänst;Namn;Påbörjade utkast"), "{}", csv.body);
    assert!(!csv.body.contains("e-legitimation"), "every submission is signed with e-ID: no column of 100 %: {}", csv.body);
    assert!(
        csv_line(&csv.body, "provtjanst").starts_with("provtjanst;Ansökan om provtillstånd;6;4;67;4;75;1;1000;1;1000;1;0;;"),
        "{}",
        csv.body
    );
    assert!(csv_line(&csv.body, "andratjanst").starts_with("andratjanst;Anmälan om annat;1;1;100;1;1440;0;0;0;0;0;0;;"), "{}", csv.body);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'es.stats.exported'").await, 1);
    // Arvika's administrator sees Arvika's, never Kil's.
    let csv = arvika_admin.get("/admin/e-tjanster/statistik.csv").await;
    assert!(
        csv_line(&csv.body, "provtjanst").starts_with("provtjanst;Ansökan om provtillstånd;2;2;100;2;60;0;0;0;0;0;0;;"),
        "{}",
        csv.body
    );
    assert!(csv_line(&csv.body, "andratjanst").starts_with("andratjanst;Anmälan om annat;0;0;;5;;0;0;0;0;0;0;;"), "{}", csv.body);
    // An administrator is no operator.
    assert_ne!(kil_admin.get("/admin/e-tjanster/delade/statistik").await.status, 200);
    assert_ne!(kil_admin.get("/admin/e-tjanster/delade/statistik.csv").await.status, 200);
    // Row-level security: a transaction of Arvika reads none of Kil's rows, whatever it asks.
    let mut tx = app.db.read(Scope::Tenant(arvika)).await.expect("tx");
    let seen = stats::for_municipality(&mut tx, kil, &p, app.now()).await.expect("figures");
    let used = stats::most_used(&mut tx, kil, app.now(), 5).await.expect("most used");
    tx.commit().await.expect("commit");
    if app.db.kind() == radhus_platform::db::DbKind::Postgres {
        assert!(seen.is_empty() && used.is_empty(), "{seen:?} {used:?}");
    }

    // The operator: each shared service summed over both municipalities, no municipality named.
    let mut op = app.operator("statistik@radhus.se").await;
    let r = op.get("/admin/e-tjanster/delade/statistik").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains("Arvika") && !r.body.contains(">Kil<"), "no municipality is named: {}", r.body);
    let csv = op.get("/admin/e-tjanster/delade/statistik.csv").await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.body.starts_with("Tjänst;Namn;Kommuner;Påbörjade utkast"), "{}", csv.body);
    // provtjanst: 6 + 2 started, 4 + 2 submitted (75 %), 6 submissions; times 10 min, 30 min,
    // 1 h, 1 h, 2 h, 2 d: the middle two are 1 h.
    assert!(
        csv_line(&csv.body, "provtjanst").starts_with("provtjanst;Ansökan om provtillstånd;2;8;6;75;6;60;1;1000;1;1000;1;0;;"),
        "{}",
        csv.body
    );
    assert!(csv_line(&csv.body, "andratjanst").starts_with("andratjanst;Anmälan om annat;2;1;1;100;6;1440;0;0;0;0;0;0;;"), "{}", csv.body);

    // A period that is none: an error at the field, no 500.
    for q in ["fran=2026-02-30", "fran=igår", "fran=2026-05-01&till=2026-04-01", "fran=1990-01-01", "till=%3Cscript%3E"] {
        let r = kil_admin.get(&format!("/admin/e-tjanster/statistik?{q}")).await;
        assert_eq!(r.status, 422, "{q}: {}", r.body);
        assert!(!r.body.contains("<script>"), "{q}");
        let r = kil_admin.get(&format!("/admin/e-tjanster/statistik.csv?{q}")).await;
        assert_eq!(r.status, 422, "{q}");
    }
    let r = kil_admin.get("/admin/e-tjanster/statistik?fran=2026-02-30").await;
    assert!(r.body.contains("href=\"#es-stats-from\">Från och med: Skriv ett datum som ÅÅÅÅ-MM-DD.</a>"), "{}", r.body);
    assert!(
        r.body.contains("id=\"es-stats-from\" name=\"fran\" type=\"date\" value=\"2026-02-30\" aria-invalid=\"true\" aria-describedby=\"es-stats-from-hint es-stats-from-error\""),
        "{}",
        r.body
    );
    let r = kil_admin.get("/admin/e-tjanster/statistik?fran=2026-05-01&till=2026-04-01").await;
    assert!(
        r.body.contains("href=\"#es-stats-to\"")
            && r.body.contains("id=\"es-stats-to-error\">Välj ett slutdatum som är samma dag som startdatumet eller senare.</p>"),
        "{}",
        r.body
    );
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'es.stats.exported'").await, 1);
}

#[tokio::test]
async fn the_catalogue_shows_the_most_used_services_of_the_last_ninety_days() {
    let app = app().await;
    publish(&app).await;
    publish_second(&app).await;
    let (kil, mut kil_admin, kil_ct) = municipality(&app, "kil", "Kil", "1715").await;
    adopt_second(&mut kil_admin, kil_ct).await;
    let (arvika, mut arvika_admin, arvika_ct) = municipality(&app, "arvika", "Arvika", "1784").await;
    adopt_second(&mut arvika_admin, arvika_ct).await;
    let t0 = app.now();

    let mut anon = app.client("kil.localhost");
    let r = anon.get("/e-tjanster").await;
    assert!(!r.body.contains("Mest använda"), "nothing used yet: {}", r.body);

    // Kil: provtjanst three times lately, andratjanst only 95 days ago; Arvika: andratjanst
    // five times, provtjanst twice.
    for d in [1, 20, 80] {
        seed(&app, kil, "provtjanst", None, t0 - Duration::days(d)).await;
    }
    seed(&app, kil, "andratjanst", None, t0 - Duration::days(95)).await;
    for _ in 0..5 {
        seed(&app, arvika, "andratjanst", None, t0 - Duration::days(2)).await;
    }
    for _ in 0..2 {
        seed(&app, arvika, "provtjanst", None, t0 - Duration::days(2)).await;
    }

    let r = anon.get("/e-tjanster").await;
    let most = most_used_section(&r.body);
    assert!(most.contains("/e-tjanster/provtjanst") && !most.contains("andratjanst"), "Kil's own, last 90 days: {most}");
    // Searching or choosing a category shows the list without it.
    assert!(!anon.get("/e-tjanster?q=prov").await.body.contains("Mest använda"));
    assert!(!anon.get("/e-tjanster?kategori=bygga").await.body.contains("Mest använda"));

    let mut a = app.client("arvika.localhost");
    let r = a.get("/e-tjanster").await;
    let most = most_used_section(&r.body);
    let (first, second) = (most.find("/e-tjanster/andratjanst").expect("andra"), most.find("/e-tjanster/provtjanst").expect("prov"));
    assert!(first < second, "most submissions first: {most}");
}

/// The "Mest använda" section of the catalogue page.
fn most_used_section(body: &str) -> &str {
    let at = body.find("Mest använda").unwrap_or_else(|| panic!("no Mest använda: {body}"));
    let end = body[at..].find("</section>").map_or(body.len(), |e| at + e);
    &body[at..end]
}
