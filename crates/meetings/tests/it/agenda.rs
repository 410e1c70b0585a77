//! Committees, proposals from cases and the agenda.

use radhus_meetings::service::{self, NewCommittee, NewMember};
use radhus_meetings::store;
use radhus_platform::db::Scope;
use radhus_platform::error::Error;
use time::macros::date;

use super::{app, case_with_memo, code, meeting, world};

#[tokio::test]
async fn a_committee_has_members_in_order_and_scoped_access() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let members = store::members(&mut tx, w.t, w.ks, date!(2026 - 06 - 01)).await.expect("members");
    let roles: Vec<&str> = members.iter().map(|m| m.role.as_str()).collect();
    assert_eq!(roles, ["chair", "vice_chair", "member", "substitute"]);
    assert_eq!(members[3].callin_order, Some(1));
    assert!(store::members(&mut tx, w.t, w.ks, date!(2027 - 01 - 01)).await.expect("after the term").is_empty());
    // A member reads the committee; a user with no role in it does not (not found).
    let member = app.staff(w.t, &w.emails[2]).await;
    assert!(service::readable_committee(&mut tx, &member, w.ks, app.now()).await.is_ok());
    let other_user = app.user(w.t, "x@kil.se", "Utan Roll", None, None).await;
    let _ = other_user;
    let stranger = app.staff(w.t, "x@kil.se").await;
    assert!(matches!(service::readable_committee(&mut tx, &stranger, w.ks, app.now()).await, Err(Error::NotFound)));
    tx.commit().await.expect("commit");
    // Only meetings.admin creates committees; codes are unique.
    let nc = NewCommittee { kind: "namnd".into(), name: "Byggnämnden".into(), code: "KS".into(), registry_id: None, seats: 5 };
    assert!(matches!(service::create_committee(&app.db, &member, &nc, app.now()).await, Err(Error::Forbidden)));
    let e = service::create_committee(&app.db, &w.admin, &nc, app.now()).await.expect_err("no registry");
    assert!(matches!(e, Error::Invalid(ref f) if f.iter().any(|f| f.field == "registry_id")));
    let bad = NewMember {
        user_id: w.admin.user_id.0,
        role: "member".into(),
        party: "P".into(),
        callin_order: None,
        term_from: date!(2026 - 01 - 01),
        term_to: date!(2025 - 01 - 01),
    };
    assert_eq!(code(&service::add_member(&app.db, &w.admin, w.ks, &bad, app.now()).await.expect_err("term")), "MTG-014");
}

#[tokio::test]
async fn a_case_goes_from_proposal_to_the_agenda_or_back() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let (case, record) = case_with_memo(&app, &w, "Motion om cykelbanor").await;
    let m = meeting(&app, &w, "2026-12-15").await;
    let p = service::propose(&app.db, &w.admin, case, w.ks, record, app.now()).await.expect("proposed");
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let waiting = store::waiting(&mut tx, w.t, w.ks).await.expect("waiting");
    tx.commit().await.expect("commit");
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].proposal.contains("bifalla Motion om cykelbanor"));
    // A member who is not secretary cannot accept it.
    let member = app.staff(w.t, &w.emails[2]).await;
    assert!(matches!(service::accept(&app.db, &member, p, m, app.now()).await, Err(Error::Forbidden)));
    let item = service::accept(&app.db, &w.admin, p, m, app.now()).await.expect("accepted");
    assert_eq!(code(&service::accept(&app.db, &w.admin, p, m, app.now()).await.expect_err("twice")), "MTG-010");
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let items = store::items(&mut tx, w.t, m).await.expect("items");
    assert!(store::waiting(&mut tx, w.t, w.ks).await.expect("waiting").is_empty());
    tx.commit().await.expect("commit");
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].id, items[0].case_id, items[0].record_id), (item, Some(case), Some(record)));
    // A second proposal is returned with a comment; a record without a memo cannot be proposed.
    let p2 = service::propose(&app.db, &w.admin, case, w.ks, record, app.now()).await.expect("proposed again");
    assert!(matches!(service::return_proposal(&app.db, &w.admin, p2, " ", app.now()).await, Err(Error::Invalid(_))));
    service::return_proposal(&app.db, &w.admin, p2, "Saknar remissvar.", app.now()).await.expect("returned");
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let of_case = store::proposals_of_case(&mut tx, w.t, case).await.expect("proposals");
    tx.commit().await.expect("commit");
    assert!(of_case.iter().any(|p| p.state == "returned" && p.comment == "Saknar remissvar."));
    assert_eq!(
        code(&service::propose(&app.db, &w.admin, case, w.ks, uuid::Uuid::now_v7(), app.now()).await.expect_err("no memo")),
        "MTG-009"
    );
}

#[tokio::test]
async fn the_agenda_changes_only_before_the_meeting_and_a_meeting_is_cancelled_with_a_reason() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let m = meeting(&app, &w, "2026-12-15").await;
    service::add_item(&app.db, &w.admin, m, "heading", "Beslutsärenden", app.now()).await.expect("heading");
    assert!(matches!(service::add_item(&app.db, &w.admin, m, "poem", "", app.now()).await, Err(Error::Invalid(ref f)) if f.len() == 2));
    assert!(matches!(service::cancel(&app.db, &w.admin, m, "", app.now()).await, Err(Error::Invalid(_))));
    service::cancel(&app.db, &w.admin, m, "Inga ärenden", app.now()).await.expect("cancelled");
    assert_eq!(code(&service::add_item(&app.db, &w.admin, m, "information", "Info", app.now()).await.expect_err("cancelled")), "MTG-003");
    assert_eq!(code(&service::cancel(&app.db, &w.admin, m, "igen", app.now()).await.expect_err("again")), "MTG-003");
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let mt = store::meeting(&mut tx, w.t, m).await.expect("read").expect("meeting");
    tx.commit().await.expect("commit");
    assert_eq!((mt.state.as_str(), mt.cancel_reason.as_str()), ("cancelled", "Inga ärenden"));
}
