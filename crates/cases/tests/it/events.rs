//! What case management tells other modules: every change that matters outside cases is an
//! event on the `cases` stream of the change log, recorded in the change's own transaction.

use radhus_cases::domain::{CaseStatus, RecordKind, RecordStatus};
use radhus_cases::service::{self, NewCase, NewRecord};
use radhus_platform::changes;
use radhus_platform::db::Scope;

fn record(kind: RecordKind, title: &str, register: bool) -> NewRecord {
    NewRecord {
        kind,
        title: title.into(),
        correspondent: "Karin Svensson".into(),
        correspondent_is_person: true,
        document_date: None,
        received_on: None,
        memo_text: String::new(),
        register,
    }
}

#[tokio::test]
async fn every_change_that_matters_outside_cases_is_an_event() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let approver = {
        let role = app.role(t, "Beslutsfattare", &[service::READ, service::HANDLE]).await;
        app.user(t, "chef@kil.se", "Chef", None, Some((role, None))).await;
        app.staff(t, "chef@kil.se").await
    };
    let (case, number) = service::create_case(
        &app.db,
        &staff,
        &NewCase { case_type: ct, title: "Bygglov, Tuppen 4".into(), ..Default::default() },
        app.now(),
    )
    .await
    .expect("case");
    service::assign(&app.db, &staff, case, None, Some(staff.user_id.0), app.now()).await.expect("assign");
    let inbound = service::add_record(&app.db, &staff, case, &record(RecordKind::Inbound, "Ansökan", true), app.now()).await.expect("in");
    service::mark_secrecy(&app.db, &staff, inbound, &["correspondent".into()], "OSL 26 kap. 1 §", app.now()).await.expect("secrecy");
    let decision =
        service::add_record(&app.db, &staff, case, &record(RecordKind::Decision, "Beslut", false), app.now()).await.expect("dec");
    for to in [RecordStatus::Registered, RecordStatus::Established] {
        service::advance_record(&app.db, &staff, decision, to, app.now()).await.expect("advance");
    }
    service::send_for_approval(&app.db, &staff, decision, &[approver.user_id.0], app.now()).await.expect("send");
    service::decide_approval(&app.db, &approver, decision, true, "", app.now()).await.expect("approve");
    // A refused change leaves no event: closing with a draft left.
    let draft = service::add_record(&app.db, &staff, case, &record(RecordKind::Outbound, "Utkast till svar", false), app.now())
        .await
        .expect("memo");
    assert!(service::change_status(&app.db, &staff, case, CaseStatus::Closed, "", app.now()).await.is_err());
    service::delete_record(&app.db, &staff, draft, app.now()).await.expect("delete draft");
    service::advance_record(&app.db, &staff, decision, RecordStatus::Dispatched, app.now()).await.expect("dispatch");
    service::change_status(&app.db, &staff, case, CaseStatus::Closed, "", app.now()).await.expect("close");

    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let events = changes::after(&mut tx, t, 0, 100).await.expect("events");
    tx.commit().await.expect("commit");
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "case.opened",
            "case.assigned",
            "record.registered",
            "record.secrecy_set",
            "record.registered",
            "record.dispatched",
            "decision.dispatched",
            "case.status_changed",
            "case.closed",
        ]
    );
    assert!(events.iter().all(|e| e.stream == radhus_cases::events::STREAM && e.data.0["case_id"] == case.to_string()));
    assert!(events.iter().all(|e| e.data.0["case_number"] == number.as_str()));
    let decided = events.iter().find(|e| e.kind == "decision.dispatched").expect("decided");
    assert_eq!(decided.object_id, decision);
    assert_eq!(decided.data.0["kind"], "decision");
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=9).collect::<Vec<i64>>(), "numbered without gaps");
    // Another municipality's log is its own.
    let (arvika, _, _) = super::setup(&app, "arvika").await;
    let mut tx = app.db.read(Scope::Tenant(arvika)).await.expect("tx");
    assert!(changes::after(&mut tx, arvika, 0, 100).await.expect("events").is_empty());
}
