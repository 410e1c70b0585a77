//! The whole chain: notice, the meeting's record, minutes, adjustment, the notice board and
//! the extracts back in the cases; and the bad input of the issue.

use radhus_meetings::core::{Choice, Tally};
use radhus_meetings::signing::{self, Signed};
use radhus_meetings::{minutes, record, service, store};
use radhus_platform::db::Scope;
use radhus_platform::error::Error;

use super::{app, case_with_memo, code, meeting, world};

const SITE: &str = "http://kil.localhost:3000";

/// Everything the database holds about a meeting, to show that a refused change changed nothing.
async fn state_of(app: &radhus_testkit::TestApp, t: radhus_kernel::ids::TenantId, m: uuid::Uuid) -> String {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let meeting = store::meeting(&mut tx, t, m).await.expect("m");
    let items = store::items(&mut tx, t, m).await.expect("items");
    let votes = store::votes(&mut tx, t, m).await.expect("votes");
    let conflicts = store::conflicts(&mut tx, t, m).await.expect("conflicts");
    let att = store::attendance(&mut tx, t, m).await.expect("att");
    let adj = store::adjusters(&mut tx, t, store::Signed::Minutes(m)).await.expect("adj");
    tx.commit().await.expect("commit");
    format!("{meeting:?}{items:?}{votes:?}{conflicts:?}{att:?}{adj:?}")
}

#[tokio::test]
async fn from_notice_to_posted_minutes_and_extracts_in_the_cases() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let (case_a, rec_a) = case_with_memo(&app, &w, "Motion om cykelbanor").await;
    let (case_b, rec_b) = case_with_memo(&app, &w, "Detaljplan för Norra hamnen").await;
    let m = meeting(&app, &w, "2026-12-15").await;
    // A notice without items is refused and changes nothing.
    let before = state_of(&app, w.t, m).await;
    assert_eq!(code(&record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect_err("no items")), "MTG-006");
    assert_eq!(state_of(&app, w.t, m).await, before);
    service::add_item(&app.db, &w.admin, m, "heading", "Beslutsärenden", app.now()).await.expect("heading");
    for (case, rec) in [(case_a, rec_a), (case_b, rec_b)] {
        let p = service::propose(&app.db, &w.admin, case, w.ks, rec, app.now()).await.expect("proposed");
        service::accept(&app.db, &w.admin, p, m, app.now()).await.expect("accepted");
    }
    // Deciding before the meeting is held is refused.
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let items = store::items(&mut tx, w.t, m).await.expect("items");
    tx.commit().await.expect("commit");
    let (a, b) = (items[1].id, items[2].id);
    assert_eq!(code(&record::decide(&app.db, &w.admin, a, "decided", "Bifall.", app.now()).await.expect_err("not held")), "MTG-008");

    record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect("notice");
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let pdf = store::notice_pdf(&mut tx, w.t, m).await.expect("pdf").expect("notice pdf");
    let mails = radhus_platform::outbox::list(&mut tx, w.t, 50, 0).await.expect("outbox");
    tx.commit().await.expect("commit");
    assert!(pdf.starts_with(b"%PDF"));
    // Every member and the substitute get the notice with a link and a calendar invitation.
    let notices: Vec<_> = mails.iter().filter(|o| o.subject.starts_with("Kallelse: Kommunstyrelsen")).collect();
    assert_eq!(notices.len(), 4);
    assert!(notices.iter().all(|o| o.body.contains(&format!("{SITE}/admin/moten/mote/{m}/kalender.ics"))));
    record::mark_held(&app.db, &w.admin, m, app.now()).await.expect("held");
    // Once the meeting is held, its agenda is frozen.
    assert_eq!(
        code(&service::add_item(&app.db, &w.admin, m, "information", "Sent", app.now()).await.expect_err("frozen agenda")),
        "MTG-021"
    );
    let [chair, vice, member, substitute] = [w.members[0], w.members[1], w.members[2], w.members[3]];
    // A substitute serves only for an absent member.
    let e = record::set_attendance(&app.db, &w.admin, m, &[chair, vice, member, substitute], &[(substitute, member)], app.now()).await;
    assert_eq!(code(&e.expect_err("member present")), "MTG-013");
    record::set_attendance(&app.db, &w.admin, m, &[chair, vice, substitute], &[(substitute, member)], app.now()).await.expect("attendance");

    // Item a: jäv for the vice chair, a vote with a reservation.
    record::add_conflict(&app.db, &w.admin, a, vice, "Äger fastighet intill cykelbanan", app.now()).await.expect("jäv");
    let before = state_of(&app, w.t, m).await;
    let e = record::vote(&app.db, &w.admin, a, &[(vice, Choice::Yes)], app.now()).await.expect_err("jävig");
    assert_eq!(code(&e), "MTG-004");
    let e = record::vote(&app.db, &w.admin, a, &[(member, Choice::Yes)], app.now()).await.expect_err("absent");
    assert_eq!(code(&e), "MTG-004");
    let e = record::vote(&app.db, &w.admin, a, &[(chair, Choice::Yes), (substitute, Choice::No), (chair, Choice::No)], app.now()).await;
    assert_eq!(code(&e.expect_err("more votes than serving")), "MTG-005");
    assert_eq!(state_of(&app, w.t, m).await, before);
    record::add_member_text(&app.db, &w.admin, a, chair, "motion", "Bifall till förslaget.", app.now()).await.expect("motion");
    record::add_member_text(&app.db, &w.admin, a, substitute, "motion", "Avslag.", app.now()).await.expect("motion");
    let tally = record::vote(&app.db, &w.admin, a, &[(chair, Choice::Yes), (substitute, Choice::No)], app.now()).await.expect("vote");
    assert_eq!(tally, Tally { yes: 1, no: 1, abstain: 0, absent: 0 });
    record::add_member_text(&app.db, &w.admin, a, substitute, "reservation", "Till förmån för eget yrkande.", app.now())
        .await
        .expect("reservation");
    record::decide(&app.db, &w.admin, a, "decided", "Kommunstyrelsen bifaller motionen.", app.now()).await.expect("decided");
    // A decision without its text is refused at the decision's field.
    let e = record::decide(&app.db, &w.admin, b, "decided", " ", app.now()).await.expect_err("no text");
    assert_eq!(
        e.field_errors().iter().map(|f| (f.field.as_str(), f.message.as_str())).collect::<Vec<_>>(),
        [("decision", "mtg-err-decision")]
    );
    record::decide(&app.db, &w.admin, b, "tabled", "", app.now()).await.expect("tabled");

    // Quorum: 3 seats; 3 serve at the meeting, 2 on item a (jäv).
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let mt = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    let q = record::quorum(&mut tx, w.t, &mt, 3).await.expect("quorum");
    tx.commit().await.expect("commit");
    assert_eq!(q.iter().map(|(_, n, ok)| (*n, *ok)).collect::<Vec<_>>(), [(2, true), (3, true)]);

    // Nothing to dispatch before the minutes are adjusted.
    assert_eq!(code(&signing::dispatch(&app.db, &w.admin, Signed::Minutes(m), app.now()).await.expect_err("not adjusted")), "MTG-001");
    minutes::draft(&app.db, &w.admin, m, &[substitute], app.now()).await.expect("minutes");
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let mt = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    let items = store::items(&mut tx, w.t, m).await.expect("items");
    tx.commit().await.expect("commit");
    assert_eq!(items.iter().map(|i| i.paragraph).collect::<Vec<_>>(), [None, Some(1), Some(2)]);
    let sha = mt.minutes_sha256.clone().expect("sha");
    // Recording after the minutes are drawn up is refused.
    assert_eq!(code(&record::decide(&app.db, &w.admin, a, "noted", "", app.now()).await.expect_err("drawn up")), "MTG-008");

    // Adjustment: someone not chosen may not; the chosen adjust the exact minutes.
    assert_eq!(code(&signing::adjust(&app.db, &w.admin, Signed::Minutes(m), &sha, app.now()).await.expect_err("secretary")), "MTG-012");
    let chair_user = app.staff(w.t, &w.emails[0]).await;
    let sub_user = app.staff(w.t, &w.emails[3]).await;
    assert_eq!(
        code(&signing::adjust(&app.db, &chair_user, Signed::Minutes(m), "abc", app.now()).await.expect_err("other minutes")),
        "MTG-018"
    );
    signing::adjust(&app.db, &chair_user, Signed::Minutes(m), &sha, app.now()).await.expect("chair adjusts");
    assert_eq!(code(&signing::adjust(&app.db, &chair_user, Signed::Minutes(m), &sha, app.now()).await.expect_err("twice")), "MTG-002");
    signing::adjust(&app.db, &sub_user, Signed::Minutes(m), &sha, app.now()).await.expect("adjuster adjusts");
    assert_eq!(code(&signing::adjust(&app.db, &sub_user, Signed::Minutes(m), &sha, app.now()).await.expect_err("after")), "MTG-002");

    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let mt = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    let items = store::items(&mut tx, w.t, m).await.expect("items");
    let records_a = radhus_cases::store::records(&mut tx, w.t, case_a).await.expect("records");
    let records_b = radhus_cases::store::records(&mut tx, w.t, case_b).await.expect("records");
    let adjusters = store::adjusters(&mut tx, w.t, store::Signed::Minutes(m)).await.expect("adjusters");
    tx.commit().await.expect("commit");
    assert_eq!(mt.state, "posted");
    let posted = mt.posted_on.expect("posted");
    assert_eq!(mt.appeal_until, Some(radhus_kernel::holidays::period_end(posted + time::Duration::weeks(3))));
    assert!(adjusters.iter().all(|a| a.sha256.as_deref() == Some(sha.as_str()) && a.identified_by.is_some()));
    // One extract per paragraph with a case, registered as a decision in that case.
    for (records, item) in [(&records_a, &items[1]), (&records_b, &items[2])] {
        let extract = records.iter().find(|r| Some(r.id) == item.extract_record_id).expect("extract record");
        assert_eq!(extract.kind, radhus_cases::domain::RecordKind::Decision);
        assert!(extract.title.starts_with("Protokollsutdrag KS §"));
    }
    // The secretary dispatches the extracts to the parties: each becomes dispatched in its case,
    // once; a second dispatch is refused and changes nothing.
    assert!(matches!(signing::dispatch(&app.db, &chair_user, Signed::Minutes(m), app.now()).await, Err(Error::Forbidden)));
    assert_eq!(signing::dispatch(&app.db, &w.admin, Signed::Minutes(m), app.now()).await.expect("dispatched"), 2);
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    for (case, item) in [(case_a, &items[1]), (case_b, &items[2])] {
        let records = radhus_cases::store::records(&mut tx, w.t, case).await.expect("records");
        let extract = records.iter().find(|r| Some(r.id) == item.extract_record_id).expect("extract");
        assert_eq!(extract.status, radhus_cases::domain::RecordStatus::Dispatched);
        assert!(extract.dispatched_at.is_some());
    }
    let state = minutes::extracts_state(&mut tx, w.t, m).await.expect("state");
    tx.commit().await.expect("commit");
    assert_eq!((state.pending, state.dispatched), (0, 2));
    let before = state_of(&app, w.t, m).await;
    assert_eq!(code(&signing::dispatch(&app.db, &w.admin, Signed::Minutes(m), app.now()).await.expect_err("twice")), "MTG-019");
    assert_eq!(state_of(&app, w.t, m).await, before);

    // Frozen: nothing recorded changes.
    let before = state_of(&app, w.t, m).await;
    assert_eq!(code(&record::decide(&app.db, &w.admin, a, "noted", "", app.now()).await.expect_err("frozen")), "MTG-007");
    assert_eq!(code(&record::add_conflict(&app.db, &w.admin, a, chair, "x", app.now()).await.expect_err("frozen")), "MTG-007");
    assert_eq!(code(&minutes::typeset(&app.db, &w.admin, m, app.now()).await.expect_err("frozen")), "MTG-001");
    assert_eq!(state_of(&app, w.t, m).await, before);
    assert!(matches!(record::vote(&app.db, &chair_user, a, &[], app.now()).await, Err(Error::Forbidden)));
    // The posting is taken down by the job the day after the last day to appeal, not before.
    let job = |days: i64| {
        let now = app.now() + time::Duration::days(days);
        radhus_platform::outbox::JobCtx::new(app.db.clone(), now, std::sync::Arc::new(app.state.config.clone()))
    };
    assert_eq!(minutes::end_appeals(job(0)).await.expect("job"), 0);
    assert_eq!(minutes::end_appeals(job(23)).await.expect("job"), 1);
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    assert_eq!(store::meeting(&mut tx, w.t, m).await.expect("m").expect("m").state, "appeal_ended");
    assert_eq!(store::posted(&mut tx, w.t).await.expect("history").len(), 1, "the history is kept");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn paragraph_numbers_continue_across_meetings_of_the_year() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let mut numbers = vec![];
    for date in ["2026-03-01", "2026-04-01"] {
        let m = meeting(&app, &w, date).await;
        let i1 = service::add_item(&app.db, &w.admin, m, "information", "Information", app.now()).await.expect("item");
        let i2 = service::add_item(&app.db, &w.admin, m, "reported", "Anmälningsärenden", app.now()).await.expect("item");
        record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect("notice");
        record::mark_held(&app.db, &w.admin, m, app.now()).await.expect("held");
        record::set_attendance(&app.db, &w.admin, m, &w.members[..3], &[], app.now()).await.expect("attendance");
        for i in [i1, i2] {
            record::decide(&app.db, &w.admin, i, "noted", "", app.now()).await.expect("noted");
        }
        // Adjusters must serve at the meeting.
        assert!(matches!(minutes::draft(&app.db, &w.admin, m, &[w.members[3]], app.now()).await, Err(Error::Invalid(_))));
        minutes::draft(&app.db, &w.admin, m, &[w.members[2]], app.now()).await.expect("minutes");
        let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
        numbers.extend(store::items(&mut tx, w.t, m).await.expect("items").iter().filter_map(|i| i.paragraph));
        tx.commit().await.expect("commit");
    }
    assert_eq!(numbers, [1, 2, 3, 4]);
}

#[tokio::test]
async fn kommunfullmaktiges_notice_is_announced_on_the_board_and_warned_about_when_late() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let registry = store::committee(&mut tx, w.t, w.ks).await.expect("ks").expect("ks").registry_id;
    tx.commit().await.expect("commit");
    let nc = service::NewCommittee {
        kind: "kf".into(),
        name: "Kommunfullmäktige".into(),
        code: "KF".into(),
        registry_id: Some(registry),
        seats: 3,
    };
    let kf = service::create_committee(&app.db, &w.admin, &nc, app.now()).await.expect("kf");
    service::set_access(&app.db, &w.admin, kf, w.admin.user_id.0, Some("secretary"), app.now()).await.expect("secretary");
    // Today is 23 November: 27 November is less than a week away, 3 December more.
    let mut ids = vec![];
    for date in ["2026-11-27", "2026-12-03"] {
        let n = service::NewMeeting { date: date.into(), time: "18:00".into(), place: "Fullmäktigesalen".into(), public: true };
        let m = service::create_meeting(&app.db, &w.admin, kf, &n, app.now()).await.expect("meeting");
        service::add_item(&app.db, &w.admin, m, "information", "Allmänhetens frågestund", app.now()).await.expect("item");
        record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect("notice");
        ids.push(m);
    }
    // A KS meeting's notice is no announcement.
    let ks_meeting = meeting(&app, &w, "2026-12-01").await;
    service::add_item(&app.db, &w.admin, ks_meeting, "information", "Information", app.now()).await.expect("item");
    record::issue_notice(&app.db, &w.admin, ks_meeting, SITE, app.now()).await.expect("notice");

    let mut admin = app.login("kil", &w.admin.email).await;
    let late = admin.get(&format!("/admin/moten/mote/{}", ids[0])).await;
    assert!(late.body.contains("Kungjort på anslagstavlan") && late.body.contains("Mindre än en vecka före sammanträdet"), "{}", late.body);
    let on_time = admin.get(&format!("/admin/moten/mote/{}", ids[1])).await;
    assert!(on_time.body.contains("Kungjort på anslagstavlan") && !on_time.body.contains("Mindre än en vecka"), "{}", on_time.body);
    assert!(!admin.get(&format!("/admin/moten/mote/{ks_meeting}")).await.body.contains("Kungjort"));
    let board = app.client("kil.localhost").get("/anslagstavla").await;
    assert_eq!(board.body.matches("Kungörelse: Kommunfullmäktige sammanträder").count(), 2, "{}", board.body);
    assert!(!board.body.contains("Kungörelse: Kommunstyrelsen"));
}
