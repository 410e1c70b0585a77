//! Immediate adjustment (omedelbar justering) of one paragraph: its own signed minutes, posted
//! on the notice board and its extract registered and dispatched before the whole minutes are
//! adjusted; the paragraph then does not change and the whole minutes keep it. And the bad
//! input: a paragraph without decision, twice, by someone not an adjuster.

use radhus_meetings::signing::{self, Signed};
use radhus_meetings::{immediate, minutes, record, service, store};
use radhus_platform::db::Scope;

use super::{app, case_with_memo, code, meeting, world};

const SITE: &str = "http://kil.localhost:3000";

/// Everything recorded about a meeting and its immediate adjustments.
async fn state_of(app: &radhus_testkit::TestApp, t: radhus_kernel::ids::TenantId, m: uuid::Uuid) -> String {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let meeting = store::meeting(&mut tx, t, m).await.expect("m");
    let items = store::items(&mut tx, t, m).await.expect("items");
    let imm = store::immediates(&mut tx, t, m).await.expect("immediates");
    let mut adj = vec![];
    for i in &items {
        adj.push(store::adjusters(&mut tx, t, store::Signed::Paragraph(i.id)).await.expect("adjusters"));
    }
    let votes = store::votes(&mut tx, t, m).await.expect("votes");
    let att = store::attendance(&mut tx, t, m).await.expect("attendance");
    tx.commit().await.expect("commit");
    format!("{meeting:?}{items:?}{imm:?}{adj:?}{votes:?}{att:?}")
}

#[tokio::test]
async fn one_paragraph_is_adjusted_posted_and_dispatched_before_the_minutes() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let (case_a, rec_a) = case_with_memo(&app, &w, "Motion om cykelbanor").await;
    let (case_b, rec_b) = case_with_memo(&app, &w, "Detaljplan för Norra hamnen").await;
    let m = meeting(&app, &w, "2026-12-15").await;
    let mut items = vec![];
    for (case, rec) in [(case_a, rec_a), (case_b, rec_b)] {
        let p = service::propose(&app.db, &w.admin, case, w.ks, rec, app.now()).await.expect("proposed");
        items.push(service::accept(&app.db, &w.admin, p, m, app.now()).await.expect("accepted"));
    }
    let (a, b) = (items[0], items[1]);
    let [chair, vice, member, _] = [w.members[0], w.members[1], w.members[2], w.members[3]];
    // Before the meeting is held there is nothing to adjust.
    let e = immediate::prepare(&app.db, &w.admin, a, &[vice], app.now()).await.expect_err("not held");
    assert_eq!(code(&e), "MTG-008");
    record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect("notice");
    record::mark_held(&app.db, &w.admin, m, app.now()).await.expect("held");
    record::set_attendance(&app.db, &w.admin, m, &[chair, vice, member], &[], app.now()).await.expect("attendance");

    // A paragraph without decision: refused, nothing written.
    let before = state_of(&app, w.t, m).await;
    let e = immediate::prepare(&app.db, &w.admin, a, &[vice], app.now()).await.expect_err("no decision");
    assert_eq!(code(&e), "MTG-022");
    assert_eq!(state_of(&app, w.t, m).await, before);

    record::decide(&app.db, &w.admin, a, "decided", "Kommunstyrelsen bifaller motionen.", app.now()).await.expect("decided");
    immediate::prepare(&app.db, &w.admin, a, &[vice], app.now()).await.expect("prepared");
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let x = store::immediate(&mut tx, w.t, a).await.expect("x").expect("immediate");
    let pdf = store::immediate_pdf(&mut tx, w.t, a).await.expect("pdf").expect("pdf");
    let numbered = store::items(&mut tx, w.t, m).await.expect("items");
    tx.commit().await.expect("commit");
    let sha = x.sha256.clone().expect("sha");
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(radhus_platform::identity::sha256_hex(&pdf), sha);
    // The meeting's paragraphs are numbered at once, in agenda order.
    assert_eq!(numbered.iter().map(|i| i.paragraph).collect::<Vec<_>>(), [Some(1), Some(2)]);

    // Someone not an adjuster may not adjust it; nothing written.
    let member_user = app.staff(w.t, &w.emails[2]).await;
    let before = state_of(&app, w.t, m).await;
    let e = signing::adjust(&app.db, &member_user, Signed::Paragraph(a), &sha, app.now()).await.expect_err("not an adjuster");
    assert_eq!(code(&e), "MTG-012");
    assert_eq!(state_of(&app, w.t, m).await, before);
    let chair_user = app.staff(w.t, &w.emails[0]).await;
    let vice_user = app.staff(w.t, &w.emails[1]).await;
    assert_eq!(code(&signing::adjust(&app.db, &chair_user, Signed::Paragraph(a), "abc", app.now()).await.expect_err("other")), "MTG-018");
    signing::adjust(&app.db, &chair_user, Signed::Paragraph(a), &sha, app.now()).await.expect("chair adjusts");
    assert_eq!(code(&signing::adjust(&app.db, &chair_user, Signed::Paragraph(a), &sha, app.now()).await.expect_err("twice")), "MTG-002");
    // From the first adjustment the paragraph and the attendance do not change.
    let before = state_of(&app, w.t, m).await;
    assert_eq!(code(&record::decide(&app.db, &w.admin, a, "tabled", "", app.now()).await.expect_err("locked")), "MTG-023");
    let e = record::add_member_text(&app.db, &w.admin, a, chair, "reservation", "", app.now()).await.expect_err("locked");
    assert_eq!(code(&e), "MTG-023");
    let e = record::set_attendance(&app.db, &w.admin, m, &[chair, vice], &[], app.now()).await.expect_err("locked");
    assert_eq!(code(&e), "MTG-023");
    // Starting it again is refused too.
    assert_eq!(code(&immediate::prepare(&app.db, &w.admin, a, &[member], app.now()).await.expect_err("twice")), "MTG-023");
    assert_eq!(state_of(&app, w.t, m).await, before);
    // Nothing to dispatch before the last adjustment.
    assert_eq!(code(&signing::dispatch(&app.db, &w.admin, Signed::Paragraph(a), app.now()).await.expect_err("not adjusted")), "MTG-001");

    signing::adjust(&app.db, &vice_user, Signed::Paragraph(a), &sha, app.now()).await.expect("adjuster adjusts");
    assert_eq!(code(&signing::adjust(&app.db, &vice_user, Signed::Paragraph(a), &sha, app.now()).await.expect_err("after")), "MTG-023");
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let x = store::immediate(&mut tx, w.t, a).await.expect("x").expect("immediate");
    let item_a = store::item(&mut tx, w.t, a).await.expect("item").expect("item");
    let adjusters = store::adjusters(&mut tx, w.t, store::Signed::Paragraph(a)).await.expect("adjusters");
    let records = radhus_cases::store::records(&mut tx, w.t, case_a).await.expect("records");
    let mt = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    tx.commit().await.expect("commit");
    // Posted today with its own last day to appeal; the meeting itself is still being recorded.
    let posted = x.posted_on.expect("posted");
    assert_eq!(x.appeal_until, Some(radhus_kernel::holidays::period_end(posted + time::Duration::weeks(3))));
    assert_eq!(mt.state, "held");
    assert!(adjusters.iter().all(|a| a.sha256.as_deref() == Some(sha.as_str()) && a.identified_by.is_some()));
    let extract = records.iter().find(|r| Some(r.id) == item_a.extract_record_id).expect("extract in the case");
    assert_eq!(extract.title, "Protokollsutdrag KS § 1 Motion om cykelbanor");
    let board = app.client("kil.localhost").get("/anslagstavla").await;
    assert!(board.body.contains("Omedelbart justerad paragraf") && board.body.contains("KS § 1"), "{}", board.body);

    // The extract is dispatched at once, once.
    signing::dispatch(&app.db, &w.admin, Signed::Paragraph(a), app.now()).await.expect("dispatched");
    assert_eq!(code(&signing::dispatch(&app.db, &w.admin, Signed::Paragraph(a), app.now()).await.expect_err("twice")), "MTG-019");

    // The whole minutes keep the paragraph (its number and text) and do not register its
    // extract again; their own dispatch covers only the rest.
    // The whole minutes are adjusted and posted two days later.
    app.clock.advance(time::Duration::days(2));
    record::decide(&app.db, &w.admin, b, "decided", "Planen antas.", app.now()).await.expect("decided");
    minutes::draft(&app.db, &w.admin, m, &[member], app.now()).await.expect("minutes");
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let mt = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    tx.commit().await.expect("commit");
    let sha = mt.minutes_sha256.expect("sha");
    let member_user = app.staff(w.t, &w.emails[2]).await;
    signing::adjust(&app.db, &chair_user, Signed::Minutes(m), &sha, app.now()).await.expect("chair");
    signing::adjust(&app.db, &member_user, Signed::Minutes(m), &sha, app.now()).await.expect("adjuster");
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let after = store::items(&mut tx, w.t, m).await.expect("items");
    let records_a = radhus_cases::store::records(&mut tx, w.t, case_a).await.expect("records");
    tx.commit().await.expect("commit");
    assert_eq!(after[0], item_a);
    assert_eq!(after.iter().map(|i| i.paragraph).collect::<Vec<_>>(), [Some(1), Some(2)]);
    assert_eq!(records_a.iter().filter(|r| r.title.starts_with("Protokollsutdrag")).count(), 1);
    assert_eq!(signing::dispatch(&app.db, &w.admin, Signed::Minutes(m), app.now()).await.expect("the rest"), 1);

    // In public, each paragraph shows its own last day to appeal: the immediately adjusted one
    // three weeks from its own posting, the rest three weeks from the minutes' posting.
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let mt = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    let paragraphs = radhus_meetings::public::paragraphs(&mut tx, w.t, &mt).await.expect("paragraphs");
    tx.commit().await.expect("commit");
    let full = mt.appeal_until.expect("minutes posted");
    let own = x.appeal_until.expect("paragraph posted");
    assert_ne!(full, own);
    assert_eq!(
        paragraphs.iter().map(|p| (p.appeal_until, p.immediate_posted_on)).collect::<Vec<_>>(),
        [(Some(own), Some(posted)), (Some(full), None)]
    );
    let page = app.client("kil.localhost").get(&format!("/moten/mote/{m}")).await;
    let day = |d: time::Date| radhus_meetings::core::day(&d);
    let own_line = format!("Beslutet kan överklagas till och med {}", day(own));
    let full_line = format!("Beslutet kan överklagas till och med {}", day(full));
    assert!(page.body.contains(&own_line) && page.body.contains(&full_line), "{}", page.body);
    assert!(page.body.contains(&format!("Paragrafen är omedelbart justerad. Anslaget {}.", day(posted))), "{}", page.body);
}
