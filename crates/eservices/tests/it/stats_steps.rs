//! The statistics that issue 11 item 9 still lacked, on SQLite and PostgreSQL: drop-off per
//! step (the furthest step each draft came to, abandoned by the 30-day or the shorter retention
//! rule), the satisfaction question on the receipt (only the submitter, once, the average from
//! five answers), submissions per Swedish week across a year boundary, the e-ID share only where
//! it can differ, and the comparison with every adopting municipality from five municipalities.

use std::collections::BTreeMap;

use radhus_eservices::stats::{self, Period};
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::on_tx;
use radhus_testkit::{Client, TestApp};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::stats::{csv_line, seed, seed_abandoned};
use super::{ASTRID, ERIK, app, citizen, count, municipality, publish, sha_of, start, step};

const THIRD: &str = "19791122-1237";
const FOURTH: &str = "19640823-3234";
const FIFTH: &str = "19900606-0025";

/// The municipality's figures of the test service over the default period.
async fn figures_of(app: &TestApp, t: TenantId) -> stats::Figures {
    let p = Period::default_for(radhus_kernel::tz::stockholm(app.now()).date());
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let f = stats::for_municipality(&mut tx, t, &p, app.now()).await.expect("figures");
    tx.commit().await.expect("commit");
    f.into_iter().find(|f| f.key == "provtjanst").expect("provtjanst")
}

/// Every open draft of the municipality was last saved `days` ago.
async fn age_drafts(app: &TestApp, t: TenantId, days: i64) {
    let mut tx = app.db.write(Scope::System).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query("UPDATE es_draft SET updated_at = $1 WHERE tenant_id = $2")
        .bind(app.now() - Duration::days(days)).bind(t.0).execute(c).await.expect("age").rows_affected());
    tx.commit().await.expect("commit");
}

/// Fills in the test service of type A and submits it; returns the submission's id.
async fn submit(c: &mut Client) -> Uuid {
    let draft = start(c).await;
    let r = c.post_form(&step(draft, 0), &[("namn", "Prov Person"), ("epost", "prov@example.se"), ("typ", "a")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(c.post_form(&step(draft, 2), &[("intygar", "true")]).await.status, 303);
    let r = c.get(&format!("/e-tjanster/provtjanst/{draft}/granska")).await;
    let r = c.post_form(&format!("/e-tjanster/provtjanst/{draft}/skicka"), &[("sha256", &sha_of(&r.body))]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.location().expect("receipt").to_string();
    to.trim_start_matches("/e-tjanster/kvitton/").parse().expect("submission id")
}

#[tokio::test]
async fn drop_off_is_counted_at_the_furthest_step_each_abandoned_draft_came_to() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, _) = municipality(&app, "kil", "Kil", "1715").await;

    // Astrid chooses type B and comes to "Mer om typ B"; Erik leaves the first step with a
    // problem; the third comes to the review page and then posts the first step again with a
    // problem (the furthest step does not move back); the fourth submits; the fifth only begins.
    let mut astrid = citizen(&app, "kil.localhost", ASTRID).await;
    let d = start(&mut astrid).await;
    let r = astrid.post_form(&step(d, 0), &[("namn", "Astrid"), ("epost", "astrid@example.se"), ("typ", "b")]).await;
    assert_eq!(r.location(), Some(step(d, 1).as_str()));
    let mut erik = citizen(&app, "kil.localhost", ERIK).await;
    let d = start(&mut erik).await;
    assert_eq!(erik.post_form(&step(d, 0), &[("namn", "Erik"), ("typ", "a")]).await.status, 422);
    let mut third = citizen(&app, "kil.localhost", THIRD).await;
    let d = start(&mut third).await;
    assert_eq!(third.post_form(&step(d, 0), &[("namn", "Tredje"), ("epost", "t@example.se"), ("typ", "a")]).await.status, 303);
    let r = third.post_form(&step(d, 2), &[("intygar", "true")]).await;
    assert_eq!(r.location(), Some(format!("/e-tjanster/provtjanst/{d}/granska").as_str()));
    assert_eq!(third.post_form(&step(d, 0), &[("namn", ""), ("epost", "t@example.se"), ("typ", "a")]).await.status, 422);
    let mut fourth = citizen(&app, "kil.localhost", FOURTH).await;
    submit(&mut fourth).await;
    let mut fifth = citizen(&app, "kil.localhost", FIFTH).await;
    start(&mut fifth).await;
    let furthest: Vec<(String,)> = {
        let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
        let rows = on_tx!(&mut tx, c => sqlx::query_as("SELECT furthest_step FROM es_draft_start WHERE tenant_id = $1")
            .bind(kil.0).fetch_all(c).await.expect("rows"));
        tx.commit().await.expect("commit");
        rows
    };
    let mut furthest: Vec<&str> = furthest.iter().map(|(s,)| s.as_str()).collect();
    furthest.sort_unstable();
    assert_eq!(furthest, ["", "_granska", "_granska", "mer", "om"], "the fifth at none, the third and fourth at review, Astrid, Erik");

    // Saved today: in progress, nothing abandoned.
    let f = figures_of(&app, kil).await;
    assert_eq!((f.started, f.started_submitted, f.abandoned, f.in_progress()), (5, 1, 0, 4));
    assert!(f.stopped.is_empty(), "{:?}", f.stopped);

    // Eleven days without a save: still in progress under the 30-day rule…
    age_drafts(&app, kil, 11).await;
    assert_eq!(figures_of(&app, kil).await.abandoned, 0);
    // …abandoned when the service's draft retention is ten days (shorter than 30).
    set_draft_days(&app, kil, 10).await;
    let f = figures_of(&app, kil).await;
    let expected: BTreeMap<String, i64> =
        [("".to_string(), 1), ("_granska".to_string(), 1), ("mer".to_string(), 1), ("om".to_string(), 1)].into_iter().collect();
    assert_eq!((f.abandoned, f.in_progress(), &f.stopped), (4, 0, &expected));
    // With the retention back at 90 days, 31 days without a save abandon them too.
    set_draft_days(&app, kil, 90).await;
    assert_eq!(figures_of(&app, kil).await.abandoned, 0);
    age_drafts(&app, kil, 31).await;
    assert_eq!(figures_of(&app, kil).await.stopped, expected);

    // The page: the steps named from the definition, a draft that saved no step at the first.
    let r = admin.get("/admin/e-tjanster/statistik").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Avbrutna utkast per steg: Ansökan om provtillstånd"), "{}", r.body);
    for row in [
        "<tr><th scope=\"row\">Om dig</th><td>2</td><td>40 %</td></tr>",
        "<tr><th scope=\"row\">Mer om typ B</th><td>1</td><td>20 %</td></tr>",
        "<tr><th scope=\"row\">Intyg</th><td>0</td><td>0 %</td></tr>",
        "<tr><th scope=\"row\">Granska och skicka</th><td>1</td><td>20 %</td></tr>",
    ] {
        assert!(r.body.contains(row), "{row}: {}", r.body);
    }
    assert!(r.body.contains("Påbörjade utkast 5, varav inskickade 1, avbrutna 4, pågående 0."), "{}", r.body);
    assert!(
        r.body.contains("inte har sparats på 30 dagar, eller tidigare om e-tjänstens gallringstid för utkast är kortare"),
        "the rule is said"
    );
    let csv = admin.get("/admin/e-tjanster/statistik.csv").await;
    assert!(csv_line(&csv.body, "provtjanst").starts_with("provtjanst;Ansökan om provtillstånd;5;1;20;1;"), "{}", csv.body);
    assert!(csv.body.lines().next().is_some_and(|h| h.contains(";Avbrutna utkast;")), "{}", csv.body);
    assert!(csv_line(&csv.body, "provtjanst").contains(";4;0;;"), "four abandoned, no answers: {}", csv.body);
}

/// Sets the draft retention of the test service (as `/admin/e-tjanster/gallring` does).
async fn set_draft_days(app: &TestApp, t: TenantId, days: i32) {
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let actor = radhus_platform::audit::Actor::system();
    radhus_eservices::retention::set_draft_days(&mut tx, t, "provtjanst", &days.to_string(), &actor, app.now()).await.expect("days");
    tx.commit().await.expect("commit");
}

/// A satisfaction answer written directly (for a seeded submission).
async fn seed_rating(app: &TestApp, t: TenantId, submission: Uuid, rating: i32) {
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO es_satisfaction (tenant_id, submission_id, service_key, rating, answered_at) VALUES ($1, $2, 'provtjanst', $3, $4)")
        .bind(t.0).bind(submission).bind(rating).bind(app.now()).execute(c).await.expect("rating").rows_affected());
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn only_the_submitter_rates_once_and_the_average_shows_from_five_answers() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut astrid = citizen(&app, "kil.localhost", ASTRID).await;
    let id = submit(&mut astrid).await;
    let receipt = format!("/e-tjanster/kvitton/{id}");
    let rate = format!("{receipt}/betyg");

    // The question on the receipt: a fieldset with its legend, five radios, a form of its own.
    let r = astrid.get(&receipt).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(&format!("action=\"{rate}\"")), "{}", r.body);
    assert!(r.body.contains("<legend class=\"ds-label\">Hur nöjd är du med e-tjänsten?</legend>"), "{}", r.body);
    for n in 1..=5 {
        assert!(r.body.contains(&format!("type=\"radio\" id=\"es-rate-betyg-{n}\" name=\"betyg\" value=\"{n}\"")), "{n}: {}", r.body);
    }
    assert!(r.body.contains("<label class=\"ds-label\" for=\"es-rate-betyg-5\">5 – Mycket nöjd</label>"), "{}", r.body);

    // Another citizen cannot answer for Astrid's submission.
    let mut erik = citizen(&app, "kil.localhost", ERIK).await;
    assert_eq!(erik.post_form(&rate, &[("betyg", "1")]).await.status, 404);
    // No choice, a value out of range, markup: the receipt again with the problem at the question.
    for bad in ["", "6", "0", "<script>alert(1)</script>", "4.5"] {
        let r = astrid.post_form(&rate, &[("betyg", bad)]).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert!(!r.body.contains("<script>alert"), "{bad}");
        assert!(
            r.body.contains("href=\"#es-rate-betyg-1\">Hur nöjd är du med e-tjänsten?: Välj hur nöjd du är, från 1 till 5.</a>"),
            "{}",
            r.body
        );
        assert!(r.body.contains("id=\"es-rate-betyg-error\">Välj hur nöjd du är, från 1 till 5.</p>"), "{}", r.body);
        assert!(r.body.contains("id=\"es-rate-betyg-1\" name=\"betyg\" value=\"1\" aria-invalid=\"true\""), "{}", r.body);
    }
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_satisfaction WHERE tenant_id = $1").await, 0);

    // Astrid answers 4: thanked, the form gone.
    let r = astrid.post_form(&rate, &[("betyg", "4")]).await;
    assert_eq!((r.status, r.location()), (303, Some(format!("{receipt}?betyg=tack#es-rate-title").as_str())));
    let r = astrid.get(&format!("{receipt}?betyg=tack")).await;
    assert!(r.body.contains("Tack för ditt svar!") && r.body.contains("Du svarade 4 av 5."), "{}", r.body);
    assert!(!r.body.contains(&format!("action=\"{rate}\"")), "answered: no form: {}", r.body);
    // A second answer is refused and said so; the first stands.
    let r = astrid.post_form(&rate, &[("betyg", "1")]).await;
    assert_eq!(r.location(), Some(format!("{receipt}?betyg=redan#es-rate-title").as_str()));
    let r = astrid.get(&format!("{receipt}?betyg=redan")).await;
    assert!(r.body.contains("Du har redan svarat på frågan för den här ansökan. Ditt första svar gäller"), "{}", r.body);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_satisfaction WHERE tenant_id = $1 AND rating = 4").await, 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_satisfaction WHERE tenant_id = $1").await, 1);

    // Four answers: the count, no average. The fifth: the average (4 + 5 + 4 + 3 + 5 = 21 / 5).
    let t0 = app.now();
    let mut seeded = vec![];
    for _ in 0..4 {
        seeded.push(seed(&app, kil, "provtjanst", Some(t0 - Duration::hours(2)), t0 - Duration::hours(1)).await);
    }
    for (s, n) in seeded.iter().zip([5, 4, 3]) {
        seed_rating(&app, kil, *s, n).await;
    }
    let r = admin.get("/admin/e-tjanster/statistik").await;
    assert!(r.body.contains("<td>4 svar (medelbetyget visas från 5 svar)</td>"), "{}", r.body);
    assert!(!r.body.contains("3,8") && !r.body.contains("4,0"), "no average under five answers");
    seed_rating(&app, kil, seeded[3], 5).await;
    let r = admin.get("/admin/e-tjanster/statistik").await;
    assert!(r.body.contains("<td>4,2 (5 svar)</td>"), "{}", r.body);
    let csv = admin.get("/admin/e-tjanster/statistik.csv").await;
    assert!(csv_line(&csv.body, "provtjanst").contains(";5;4,2;"), "{}", csv.body);
}

#[tokio::test]
async fn submissions_per_swedish_week_across_a_year_boundary_and_the_e_id_share_only_where_it_differs() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    // Thursday 31 December 2020 and Sunday 3 January 2021 are week 53 of 2020; 23:30 UTC on
    // 3 January is 00:30 on Monday 4 January in Sweden: week 1 of 2021.
    let times: [OffsetDateTime; 3] = [datetime!(2020-12-31 12:00 UTC), datetime!(2021-01-03 12:00 UTC), datetime!(2021-01-03 23:30 UTC)];
    let mut ids = vec![];
    for at in times {
        ids.push(seed(&app, kil, "provtjanst", None, at).await);
    }
    let p = Period { from: time::macros::date!(2020 - 12 - 21), to: time::macros::date!(2021 - 01 - 11) };
    let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
    let f = stats::for_municipality(&mut tx, kil, &p, app.now()).await.expect("figures");
    tx.commit().await.expect("commit");
    assert_eq!(p.weeks(), ["2020-v52", "2020-v53", "2021-v01", "2021-v02"]);
    assert_eq!(f[0].per_week, [0, 2, 1, 0]);
    assert_eq!(f[0].per_month, [1, 2]);

    let q = "fran=2020-12-21&till=2021-01-11";
    let r = admin.get(&format!("/admin/e-tjanster/statistik?{q}&per=vecka")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<caption id=\"es-stats-per-caption\">Inskickade per vecka</caption>"), "{}", r.body);
    assert!(r.body.contains("<th scope=\"col\">2020-v53</th><th scope=\"col\">2021-v01</th>"), "{}", r.body);
    assert!(r.body.contains("<td>0</td><td>2</td><td>1</td><td>0</td></tr>"), "{}", r.body);
    assert!(r.body.contains("id=\"es-stats-per-2\" name=\"per\" value=\"vecka\" checked"), "the choice is kept: {}", r.body);
    let r = admin.get(&format!("/admin/e-tjanster/statistik?{q}")).await;
    assert!(r.body.contains("<th scope=\"col\">2020-12</th><th scope=\"col\">2021-01</th>"), "per month by default: {}", r.body);
    let csv = admin.get(&format!("/admin/e-tjanster/statistik.csv?{q}&per=vecka")).await;
    assert!(csv.body.lines().next().is_some_and(|h| h.ends_with(";2020-v52;2020-v53;2021-v01;2021-v02")), "{}", csv.body);
    assert!(csv_line(&csv.body, "provtjanst").ends_with(";0;2;1;0"), "{}", csv.body);
    // A choice that is none, or weeks over more than two years: an error at the field.
    let r = admin.get(&format!("/admin/e-tjanster/statistik?{q}&per=%C3%A5r")).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#es-stats-per-1\">Visa inskickade per: Välj månad eller vecka.</a>"), "{}", r.body);
    let r = admin.get("/admin/e-tjanster/statistik?fran=2020-01-01&till=2023-01-01&per=vecka").await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#es-stats-from\">Från och med: Per vecka kan högst två år visas."), "{}", r.body);
    assert_eq!(admin.get("/admin/e-tjanster/statistik.csv?fran=2020-01-01&till=2023-01-01&per=vecka").await.status, 422);

    // Every submission is signed with e-ID (filling in needs it): no column of 100 %, a note why.
    let r = admin.get(&format!("/admin/e-tjanster/statistik?{q}")).await;
    assert!(!r.body.contains("Signerade med e-legitimation</th>"), "{}", r.body);
    assert!(r.body.contains("Ingen andel signerade med e-legitimation visas"), "{}", r.body);
    // A submission signed otherwise (none can be today): the share says something and is shown.
    let mut tx = app.db.write(Scope::Tenant(kil)).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query("UPDATE es_submission SET assurance = 'low' WHERE tenant_id = $1 AND id = $2")
        .bind(kil.0).bind(ids[0]).execute(c).await.expect("assurance").rows_affected());
    tx.commit().await.expect("commit");
    let r = admin.get(&format!("/admin/e-tjanster/statistik?{q}")).await;
    assert!(r.body.contains("Signerade med e-legitimation</th>") && r.body.contains("<td>2 (67 %)</td>"), "{}", r.body);
    assert!(!r.body.contains("Ingen andel signerade med e-legitimation visas"), "{}", r.body);
}

#[tokio::test]
async fn the_comparison_with_every_municipality_shows_only_from_five_municipalities() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut kil_admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let t0 = app.now();
    // Kil: one draft submitted, one abandoned at the first step (50 %).
    seed(&app, kil, "provtjanst", Some(t0 - Duration::days(3)), t0 - Duration::days(2)).await;
    seed_abandoned(&app, kil, "provtjanst", t0 - Duration::days(3)).await;
    // Three others: two drafts each, both submitted.
    let mut others = vec![];
    for (slug, name, code) in [("arvika", "Arvika", "1784"), ("torsby", "Torsby", "1737"), ("hammaro", "Hammarö", "1761")] {
        let (t, _, _) = municipality(&app, slug, name, code).await;
        for _ in 0..2 {
            seed(&app, t, "provtjanst", Some(t0 - Duration::days(3)), t0 - Duration::days(2)).await;
        }
        others.push(t);
    }
    let r = kil_admin.get("/admin/e-tjanster/statistik").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("data-compare=\"hidden\">Jämförelsen med andra kommuner visas från fem kommuner. Under perioden har 4 kommuner"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Alla kommuner:") && !r.body.contains("alla kommuner</th>"), "{}", r.body);
    assert!(r.body.contains("<tr><th scope=\"row\">Om dig</th><td>1</td><td>50 %</td></tr>"), "{}", r.body);

    // A fifth municipality: Kil's figures beside every municipality's summed (10 drafts, 9
    // submitted, 1 abandoned at the first step), no other municipality named.
    let (t, _, _) = municipality(&app, "eda", "Eda", "1730").await;
    for _ in 0..2 {
        seed(&app, t, "provtjanst", Some(t0 - Duration::days(3)), t0 - Duration::days(2)).await;
    }
    let r = kil_admin.get("/admin/e-tjanster/statistik").await;
    assert!(r.body.contains("data-compare=\"shown\">Slutförandegrad här: 50 %. Alla kommuner: 90 % (5 kommuner).</p>"), "{}", r.body);
    assert!(r.body.contains("<th scope=\"col\">Andel av påbörjade, alla kommuner</th>"), "{}", r.body);
    assert!(r.body.contains("<tr><th scope=\"row\">Om dig</th><td>1</td><td>50 %</td><td>10 %</td></tr>"), "{}", r.body);
    assert!(r.body.contains("<tr><th scope=\"row\">Intyg</th><td>0</td><td>0 %</td><td>0 %</td></tr>"), "{}", r.body);
    for other in ["Arvika", "Torsby", "Hammarö", "Eda"] {
        assert!(!r.body.contains(other), "{other} is not named: {}", r.body);
    }
    // The other municipalities' own pages compare too; the operator's has no comparison.
    let mut op = app.operator("statistik@radhus.se").await;
    let r = op.get("/admin/e-tjanster/delade/statistik").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains("data-compare="), "{}", r.body);
    assert!(r.body.contains("<tr><th scope=\"row\">Om dig</th><td>1</td><td>10 %</td></tr>"), "{}", r.body);
    let _ = others;
}
