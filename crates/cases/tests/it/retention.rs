//! Disposal (gallring): listed only when the class's period has run out; removes documents,
//! keeps the diary entries and a note of the decision.

use radhus_cases::domain::{CaseStatus, RecordKind};
use radhus_cases::service::{self, NewCase, NewRecord};
use time::Duration;

#[tokio::test]
async fn documents_are_disposed_of_when_their_time_has_come() {
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await; // class 2.1: destroy after 10 years
    let (case, _) = service::create_case(
        &app.db,
        &staff,
        &NewCase { case_type: ct, title: "Bygglov för friggebod".into(), ..Default::default() },
        app.now(),
    )
    .await
    .expect("case");
    let rec = NewRecord {
        kind: RecordKind::Inbound,
        title: "Ansökan".into(),
        correspondent: "Byggare AB".into(),
        correspondent_is_person: false,
        document_date: None,
        memo_text: String::new(),
        register: true,
    };
    let rec_id = service::add_record(&app.db, &staff, case, &rec, app.now()).await.expect("record");
    service::upload(&app.db, &staff, rec_id, None, "main", "Ansökan", "a.pdf", "application/pdf", b"%PDF ansokan", app.now())
        .await
        .expect("upload");
    let (open_case, _) =
        service::create_case(&app.db, &staff, &NewCase { case_type: ct, title: "Pågående".into(), ..Default::default() }, app.now())
            .await
            .expect("case");
    service::change_status(&app.db, &staff, case, CaseStatus::Closed, "Klart", app.now()).await.expect("close");
    let mut c = app.login("kil", &staff.email).await;
    let first = c.get("/admin/gallring").await;
    assert!(first.body.contains("Inga ärenden ska gallras nu"), "{} {}", first.status, first.body);
    let id = case.to_string();
    assert_eq!(c.post_form("/admin/gallring", &[("cases", &id), ("decision_ref", "KS 2025/45")]).await.status, 409, "not due yet");

    app.clock.advance(Duration::days(365 * 10 + 5));
    let mut c = app.login("kil", &staff.email).await;
    let page = c.get("/admin/gallring").await;
    assert!(page.body.contains("Bygglov för friggebod") && !page.body.contains("Pågående"), "only closed cases past their period");
    assert_eq!(c.post_form("/admin/gallring", &[("cases", &id), ("decision_ref", "")]).await.status, 422);
    let open_id = open_case.to_string();
    assert_eq!(c.post_form("/admin/gallring", &[("cases", &open_id), ("decision_ref", "KS 2025/45")]).await.status, 409);
    let r = c.post_form("/admin/gallring", &[("cases", &id), ("decision_ref", "KS 2025/45")]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("En dokumentversion gallrades"), "{}", r.body);
    let record_page = c.get(&format!("/admin/handlingar/{rec_id}")).await;
    assert!(record_page.body.contains("Inga dokument ännu"), "documents removed");
    let case_page = c.get(&format!("/admin/arenden/{case}")).await;
    assert!(case_page.body.contains("Gallrat enligt KS 2025/45"));
    // The diary entry stays.
    let public = app.client("kil.localhost").get(&format!("/diarium/arende/{case}")).await;
    assert!(public.body.contains("Ansökan"));
    assert!(c.get("/admin/gallring").await.body.contains("Inga ärenden ska gallras nu"), "not listed twice");
}
