//! Attendance per item (issue 13 item 5): arrival and departure per item, substitutes proposed
//! in the call-in order and confirmed by the secretary for an absent or jävig member, quorum per
//! item, and the refusals: a vote by an absent or jävig member, more votes than serving, a
//! substitute serving while the member is present — each a clear error with nothing changed.

use radhus_meetings::core::Choice;
use radhus_meetings::service::NewMember;
use radhus_meetings::{minutes, record, service, store};
use radhus_platform::db::Scope;
use radhus_platform::error::Error;
use time::macros::date;
use uuid::Uuid;

use super::{app, code, meeting, world};

const SITE: &str = "http://kil.localhost:3000";

/// Everything recorded about who served and how they voted, to show a refusal changed nothing.
async fn state_of(app: &radhus_testkit::TestApp, t: radhus_kernel::ids::TenantId, m: Uuid) -> String {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let att = store::attendance(&mut tx, t, m).await.expect("att");
    let subs = store::item_subs_of(&mut tx, t, m).await.expect("subs");
    let votes = store::votes(&mut tx, t, m).await.expect("votes");
    let conflicts = store::conflicts(&mut tx, t, m).await.expect("conflicts");
    let motions = store::motions(&mut tx, t, m).await.expect("motions");
    tx.commit().await.expect("commit");
    format!("{att:?}{subs:?}{votes:?}{conflicts:?}{motions:?}")
}

async fn quorum(app: &radhus_testkit::TestApp, t: radhus_kernel::ids::TenantId, m: Uuid) -> Vec<(usize, bool)> {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let mt = store::meeting(&mut tx, t, m).await.expect("m").expect("m");
    let q = record::quorum(&mut tx, t, &mt, 3).await.expect("quorum");
    tx.commit().await.expect("commit");
    q.iter().map(|(_, n, ok)| (*n, *ok)).collect()
}

async fn serving(app: &radhus_testkit::TestApp, t: radhus_kernel::ids::TenantId, m: Uuid) -> record::Serving {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let mt = store::meeting(&mut tx, t, m).await.expect("m").expect("m");
    let sv = record::Serving::load(&mut tx, t, &mt).await.expect("serving");
    tx.commit().await.expect("commit");
    sv
}

#[tokio::test]
async fn departures_substitutes_in_call_in_order_and_quorum_per_item() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let [chair, vice, member, sub1] = [w.members[0], w.members[1], w.members[2], w.members[3]];
    // A second substitute, second in the call-in order.
    let user = app.user(w.t, "p4@kil.se", "Eva Ersättare", None, None).await;
    let nm = NewMember {
        user_id: user.0,
        role: "substitute".into(),
        party: "Partiet".into(),
        callin_order: Some(2),
        term_from: date!(2023 - 01 - 01),
        term_to: date!(2026 - 12 - 31),
    };
    let sub2 = service::add_member(&app.db, &w.admin, w.ks, &nm, app.now()).await.expect("substitute 2");
    let m = meeting(&app, &w, "2026-12-15").await;
    let heading = service::add_item(&app.db, &w.admin, m, "heading", "Informationsärenden", app.now()).await.expect("heading");
    let mut items = vec![];
    for title in ["Budgetuppföljning", "Skolskjuts", "Hamnen"] {
        items.push(service::add_item(&app.db, &w.admin, m, "information", title, app.now()).await.expect("item"));
    }
    let [i1, i2, i3] = [items[0], items[1], items[2]];
    record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect("notice");
    record::mark_held(&app.db, &w.admin, m, app.now()).await.expect("held");
    record::set_attendance(&app.db, &w.admin, m, &[chair, vice, member, sub1, sub2], &[], app.now()).await.expect("attendance");
    // Everyone present: no substitute serves, none is proposed.
    assert_eq!(quorum(&app, w.t, m).await, [(3, true), (3, true), (3, true)]);
    assert!(serving(&app, w.t, m).await.proposals(&i1).is_empty());

    // The member leaves before item 2: serving on item 1, not on 2 and 3.
    record::set_times(&app.db, &w.admin, m, &[(member, None, Some(i2))], app.now()).await.expect("departure");
    assert_eq!(quorum(&app, w.t, m).await, [(3, true), (2, true), (2, true)]);
    record::vote(&app.db, &w.admin, i1, &[(member, Choice::Yes), (chair, Choice::No)], app.now()).await.expect("vote before leaving");
    let before = state_of(&app, w.t, m).await;
    let e = record::vote(&app.db, &w.admin, i2, &[(member, Choice::Yes)], app.now()).await.expect_err("left");
    assert_eq!(code(&e), "MTG-004");
    assert_eq!(state_of(&app, w.t, m).await, before);
    // Setting the departure before item 1 would make the recorded vote one by someone absent.
    let e = record::set_times(&app.db, &w.admin, m, &[(member, None, Some(i1))], app.now()).await.expect_err("voted");
    assert_eq!(code(&e), "MTG-004");
    assert_eq!(state_of(&app, w.t, m).await, before);

    // The platform proposes the first substitute in the call-in order; the secretary confirms.
    let sv = serving(&app, w.t, m).await;
    assert_eq!(sv.proposals(&i2), [(member, Some(sub1))]);
    assert_eq!(sv.available_substitutes(&i2), [sub1, sub2]);
    // A substitute for a member present on the item is refused, and changes nothing.
    let e = record::confirm_substitute(&app.db, &w.admin, i1, member, sub1, app.now()).await.expect_err("member present");
    assert_eq!(code(&e), "MTG-013");
    let e = record::confirm_substitute(&app.db, &w.admin, i2, chair, sub1, app.now()).await.expect_err("chair present");
    assert_eq!(code(&e), "MTG-013");
    assert_eq!(state_of(&app, w.t, m).await, before);
    record::confirm_substitute(&app.db, &w.admin, i2, member, sub1, app.now()).await.expect("confirmed");
    // A second substitute for the same seat on the item is refused.
    let e = record::confirm_substitute(&app.db, &w.admin, i2, member, sub2, app.now()).await.expect_err("already replaced");
    assert_eq!(code(&e), "MTG-013");
    let sv = serving(&app, w.t, m).await;
    assert_eq!(sv.on_item(&i2), [chair, vice, sub1].into_iter().collect());
    assert_eq!(sv.serves_for(&i2, &sub1), Some(member));
    assert!(sv.proposals(&i2).is_empty());
    assert_eq!(quorum(&app, w.t, m).await, [(3, true), (3, true), (2, true)]);
    record::vote(&app.db, &w.admin, i2, &[(sub1, Choice::Yes), (chair, Choice::Yes)], app.now()).await.expect("substitute votes");

    // Jäv on item 3: the chair is out; with the member gone two seats are unserved, and the
    // substitutes are proposed one each in the call-in order.
    record::add_conflict(&app.db, &w.admin, i3, chair, "Jävig som styrelseledamot", app.now()).await.expect("jäv");
    let sv = serving(&app, w.t, m).await;
    assert_eq!(sv.proposals(&i3), [(chair, Some(sub1)), (member, Some(sub2))]);
    assert_eq!(quorum(&app, w.t, m).await, [(3, true), (3, true), (1, false)]);
    record::confirm_substitute(&app.db, &w.admin, i3, chair, sub1, app.now()).await.expect("for the jävig chair");
    // A vote by the jävig chair is refused.
    let before = state_of(&app, w.t, m).await;
    let e = record::vote(&app.db, &w.admin, i3, &[(chair, Choice::Yes)], app.now()).await.expect_err("jävig");
    assert_eq!(code(&e), "MTG-004");
    // More votes than members serving (vice chair and the substitute).
    let e = record::vote(&app.db, &w.admin, i3, &[(vice, Choice::Yes), (sub1, Choice::No), (sub1, Choice::Yes)], app.now()).await;
    assert_eq!(code(&e.expect_err("too many")), "MTG-005");
    assert_eq!(state_of(&app, w.t, m).await, before);
    assert_eq!(quorum(&app, w.t, m).await, [(3, true), (3, true), (2, true)]);

    // The vice chair leaves before item 3: no quorum there until the next substitute serves.
    record::set_times(&app.db, &w.admin, m, &[(vice, None, Some(i3))], app.now()).await.expect("vice leaves");
    assert_eq!(quorum(&app, w.t, m).await, [(3, true), (3, true), (1, false)]);
    let sv = serving(&app, w.t, m).await;
    assert_eq!(sv.proposals(&i3), [(vice, Some(sub2)), (member, None)]);
    let e = record::vote(&app.db, &w.admin, i3, &[(vice, Choice::Yes)], app.now()).await.expect_err("vice left");
    assert_eq!(code(&e), "MTG-004");
    record::confirm_substitute(&app.db, &w.admin, i3, vice, sub2, app.now()).await.expect("for the vice chair");
    assert_eq!(quorum(&app, w.t, m).await, [(3, true), (3, true), (2, true)]);
    // Saving attendance again keeps the departures.
    record::set_attendance(&app.db, &w.admin, m, &[chair, vice, member, sub1, sub2], &[], app.now()).await.expect("attendance again");
    assert_eq!(quorum(&app, w.t, m).await, [(3, true), (3, true), (2, true)]);

    // Bad times: a heading, an item of no meeting, a departure before the arrival, someone not present.
    let before = state_of(&app, w.t, m).await;
    let e = record::set_times(&app.db, &w.admin, m, &[(member, Some(heading), None)], app.now()).await.expect_err("heading");
    assert!(matches!(e, Error::Invalid(_)), "{e:?}");
    let e = record::set_times(&app.db, &w.admin, m, &[(member, Some(Uuid::new_v4()), None)], app.now()).await.expect_err("unknown");
    assert!(matches!(e, Error::Invalid(_)), "{e:?}");
    let e = record::set_times(&app.db, &w.admin, m, &[(member, Some(i3), Some(i2))], app.now()).await.expect_err("order");
    assert!(matches!(e, Error::Invalid(_)), "{e:?}");
    let e = record::set_times(&app.db, &w.admin, m, &[(Uuid::new_v4(), None, Some(i2))], app.now()).await.expect_err("not present");
    assert_eq!(code(&e), "MTG-004");
    assert_eq!(state_of(&app, w.t, m).await, before);

    // The minutes name who served on a paragraph where it differs from the meeting's attendance.
    for i in [i1, i2, i3] {
        record::decide(&app.db, &w.admin, i, "noted", "", app.now()).await.expect("noted");
    }
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let mt = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    let data = minutes::minutes_data(&mut tx, w.t, &mt).await.expect("minutes data");
    tx.commit().await.expect("commit");
    let p = |title: &str| data.paragraphs.iter().find(|p| p.title == title).expect("paragraph").serving.clone();
    assert!(p("Budgetuppföljning").is_empty(), "{:?}", p("Budgetuppföljning"));
    assert_eq!(p("Skolskjuts"), ["Ada Ordförande", "Bo Vice", "Dan Ersättare (tjänstgör för Cia Ledamot)"]);
    assert_eq!(p("Hamnen"), ["Dan Ersättare (tjänstgör för Ada Ordförande)", "Eva Ersättare (tjänstgör för Bo Vice)"]);
    minutes::draft(&app.db, &w.admin, m, &[vice], app.now()).await.expect("minutes typeset with per-paragraph serving");
}
