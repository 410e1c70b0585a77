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
        received_on: None,
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
    let r = c.post_form("/admin/gallring", &[("cases", &id), ("decision_ref", "")]).await;
    assert_eq!(r.status, 422);
    super::assert_at_field(&r.body, "decision_ref", "Skriv gallringsbeslutet som gallringen sker enligt, till exempel KS 2025/45.");
    assert!(r.body.contains(&format!("value=\"{id}\" checked")), "the chosen case stays chosen: {}", r.body);
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

#[tokio::test]
async fn a_closed_case_exports_as_an_archive_package() {
    use std::io::Read;
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await;
    let (case, number) = service::create_case(
        &app.db,
        &staff,
        &NewCase { case_type: ct, title: "Bygglov <garage> & carport".into(), ..Default::default() },
        app.now(),
    )
    .await
    .expect("case");
    let rec = NewRecord {
        kind: RecordKind::Inbound,
        title: "Läkarintyg".into(),
        correspondent: "Vårdcentralen".into(),
        correspondent_is_person: false,
        document_date: None,
        received_on: None,
        memo_text: String::new(),
        register: true,
    };
    let rid = service::add_record(&app.db, &staff, case, &rec, app.now()).await.expect("record");
    service::upload(&app.db, &staff, rid, None, "main", "Intyg", "intyg.pdf", "application/pdf", b"%PDF intyg", app.now())
        .await
        .expect("upload");
    service::mark_secrecy(&app.db, &staff, rid, &["title".into()], "OSL 25 kap. 1 §", app.now()).await.expect("secrecy");
    let mut c = app.login("kil", &staff.email).await;
    let path = format!("/admin/arenden/{case}/arkivpaket");
    assert_eq!(c.get(&path).await.status, 409, "only closed cases");
    service::change_status(&app.db, &staff, case, CaseStatus::Closed, "Klart", app.now()).await.expect("close");
    let req = axum::http::Request::get(&path).body(axum::body::Body::empty()).expect("req");
    let r = c.send(req).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/zip"));
    // The body went through a lossy UTF-8 conversion in the test client; fetch raw bytes instead.
    let bytes = {
        use tower::ServiceExt;
        let mut req = axum::http::Request::get(&path).body(axum::body::Body::empty()).expect("req");
        req.headers_mut().insert("host", "kil.localhost".parse().expect("host"));
        let cookie = c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        req.headers_mut().insert("cookie", cookie.parse().expect("cookie"));
        let resp = app.router.clone().oneshot(req).await.expect("router");
        axum::body::to_bytes(resp.into_body(), usize::MAX).await.expect("body").to_vec()
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let names: Vec<String> = (0..archive.len()).map(|i| archive.by_index(i).expect("entry").name().expect("name").to_string()).collect();
    let package = format!("radhus-{}", number.replace(['/', ' '], "-"));
    assert!(
        names.contains(&format!("{package}/METS.xml")) && names.contains(&format!("{package}/metadata/descriptive/erms.xml")),
        "{names:?}"
    );
    let mut erms = String::new();
    archive.by_name(&format!("{package}/metadata/descriptive/erms.xml")).expect("erms").read_to_string(&mut erms).expect("read");
    assert!(erms.contains("<identification>KS 2026/1</identification>") && erms.contains("Bygglov &lt;garage&gt; &amp; carport"));
    assert!(erms.contains("legalBasis=\"OSL 25 kap. 1 §\""));
    let data = names.iter().find(|n| n.contains("/representations/rep1/data/")).expect("data file").clone();
    let mut content = vec![];
    archive.by_name(&data).expect("file").read_to_end(&mut content).expect("read");
    assert_eq!(content, b"%PDF intyg");
    use sha2::Digest;
    assert!(erms.contains(&hex::encode(sha2::Sha256::digest(&content))), "checksum in the description");
    let mut mets = String::new();
    archive.by_name(&format!("{package}/METS.xml")).expect("mets").read_to_string(&mut mets).expect("read");
    assert!(mets.contains("CHECKSUMTYPE=\"SHA-256\"") && mets.contains("representations/rep1/data/"));
}
