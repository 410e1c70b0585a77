//! The official memo (tjänsteskrivelse): generated as PDF/A, stored as versions, from the
//! municipality's own template when it has one.

use radhus_cases::domain::RecordKind;
use radhus_cases::memo::{self, MemoText};
use radhus_cases::service::{self, NewCase, NewRecord};
use radhus_platform::db::Scope;
use radhus_platform::error::Error;
use std::time::{Duration, Instant};

fn record(kind: RecordKind, title: &str) -> NewRecord {
    NewRecord {
        kind,
        title: title.into(),
        correspondent: if kind == RecordKind::Outbound { "Anna Andersson".into() } else { String::new() },
        correspondent_is_person: true,
        document_date: None,
        received_on: None,
        memo_text: if kind == RecordKind::Memo { "Samtal med sökande.".into() } else { String::new() },
        register: false,
    }
}

fn text(proposal: &str) -> MemoText {
    MemoText {
        proposal: proposal.into(),
        summary: "Ansökan gäller ett garage.\n\nDet följer detaljplanen.".into(),
        background: "Ansökan kom in i januari.".into(),
        assessment: String::new(),
    }
}

/// The PDF's XMP metadata packet (stored uncompressed, as PDF/A requires it to be readable).
fn xmp(pdf: &[u8]) -> String {
    let raw = String::from_utf8_lossy(pdf);
    let start = raw.find("<x:xmpmeta").expect("an XMP packet");
    let end = raw[start..].find("</x:xmpmeta>").expect("the XMP packet's end") + start;
    raw[start..end].to_string()
}

/// The document title in the XMP metadata: the text of `dc:title`'s default entry.
fn xmp_title(pdf: &[u8]) -> String {
    let xmp = xmp(pdf);
    let title = &xmp[xmp.find("<dc:title>").expect("dc:title")..];
    let li = &title[title.find("<rdf:li").expect("rdf:li")..];
    let text = &li[li.find('>').expect("rdf:li's end") + 1..];
    text[..text.find("</rdf:li>").expect("</rdf:li>")].to_string()
}

#[tokio::test]
async fn the_official_memo_is_generated_as_pdf_a_and_versioned() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let (case, number) = service::create_case(
        &app.db,
        &staff,
        &NewCase { case_type: ct, title: "Bygglov för garage".into(), ..Default::default() },
        app.now(),
    )
    .await
    .expect("case");
    let decision =
        service::add_record(&app.db, &staff, case, &record(RecordKind::Decision, "Beslut om bygglov"), app.now()).await.expect("record");
    service::upload(
        &app.db,
        &staff,
        decision,
        None,
        "attachment",
        "Situationsplan",
        "plan.pdf",
        "application/pdf",
        b"%PDF plan",
        app.now(),
    )
    .await
    .expect("attachment");

    // The proposed decision is required; nothing is stored without it.
    let err = memo::generate(&app.db, &staff, decision, &text("  "), app.now()).await.expect_err("no proposal");
    assert!(matches!(err, Error::Invalid(ref f) if f[0].field == "proposal"), "{err:?}");

    let v1 = memo::generate(&app.db, &staff, decision, &text("Nämnden beviljar bygglov."), app.now()).await.expect("memo");
    let (version, pdf) = service::download(&app.db, &staff, v1, app.now()).await.expect("download");
    assert_eq!((version.version_no, version.mime.as_str(), version.document_title.as_str()), (1, "application/pdf", "Tjänsteskrivelse"));
    assert_eq!(version.filename, format!("tjansteskrivelse-{}-1.pdf", number.replace([' ', '/'], "-")));
    let raw = String::from_utf8_lossy(&pdf);
    assert!(pdf.starts_with(b"%PDF-") && raw.contains("pdfaid:part"), "PDF/A identification");
    // The PDF is this memo: its XMP metadata names the record's diary number and the public title.
    assert_eq!(xmp_title(&pdf), format!("Tjänsteskrivelse {number}-1 Bygglov för garage"), "{}", xmp(&pdf));

    // A second version of the same document, from changed texts that are kept for the form.
    let v2 = memo::generate(&app.db, &staff, decision, &text("Nämnden beviljar bygglov med villkor."), app.now()).await.expect("memo v2");
    let (version2, pdf2) = service::download(&app.db, &staff, v2, app.now()).await.expect("download v2");
    assert_eq!((version2.version_no, version2.document_id), (2, version.document_id));
    assert_ne!(version2.sha256, version.sha256);
    assert_eq!(xmp_title(&pdf2), format!("Tjänsteskrivelse {number}-1 Bygglov för garage"), "{}", xmp(&pdf2));
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let stored = memo::texts(&mut tx, t, decision).await.expect("texts").expect("stored");
    let versions = radhus_cases::store::versions(&mut tx, t, decision).await.expect("versions");
    tx.commit().await.expect("commit");
    assert_eq!(stored.proposal, "Nämnden beviljar bygglov med villkor.");
    assert_eq!(versions.len(), 3, "two memo versions and the attachment");

    // The record page offers the form with the stored texts; the timeline names the versions.
    let mut c = app.login("kil", &staff.email).await;
    let page = c.get(&format!("/admin/handlingar/{decision}")).await;
    assert!(page.body.contains("Nämnden beviljar bygglov med villkor.") && page.body.contains("/tjansteskrivelse"), "{}", page.body);
    let bad = c.post_form(&format!("/admin/handlingar/{decision}/tjansteskrivelse"), &[("proposal", ""), ("summary", "Kvar")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Förslag till beslut") && bad.body.contains("Kvar"), "the typed text comes back");
    let case_page = c.get(&format!("/admin/arenden/{case}")).await;
    assert!(case_page.body.contains("-1.pdf v2"), "timeline");

    // Memos (tjänsteanteckningar) and established records get no official memo.
    let note = service::add_record(&app.db, &staff, case, &record(RecordKind::Memo, "Telefonsamtal"), app.now()).await.expect("memo");
    let err = memo::generate(&app.db, &staff, note, &text("X"), app.now()).await.expect_err("wrong kind");
    assert_eq!(err.code().code, "CASE-015");
    service::advance_record(&app.db, &staff, decision, radhus_cases::domain::RecordStatus::Registered, app.now()).await.expect("register");
    service::advance_record(&app.db, &staff, decision, radhus_cases::domain::RecordStatus::Established, app.now())
        .await
        .expect("establish");
    let err = memo::generate(&app.db, &staff, decision, &text("X"), app.now()).await.expect_err("established");
    assert_eq!(err.code().code, "CASE-015");
}

#[tokio::test]
async fn a_municipality_replaces_the_template_and_broken_templates_are_refused() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let own_of = |app: &radhus_testkit::TestApp| {
        let db = app.db.clone();
        async move {
            let mut tx = db.read(Scope::Tenant(t)).await.expect("tx");
            let (source, own) = memo::template(&mut tx, t).await.expect("template");
            tx.commit().await.expect("commit");
            (source, own)
        }
    };
    assert_eq!(own_of(&app).await, (memo::DEFAULT_TEMPLATE.to_string(), false));

    // A syntax error: refused with Typst's diagnostic and its line, nothing saved.
    let diagnostic =
        memo::save_template(&app.db, &staff, Some("= Rubrik\n#let x = \n"), app.now()).await.expect("saved?").expect_err("broken");
    assert!(diagnostic.starts_with("rad 2: "), "{diagnostic}");
    assert!(!own_of(&app).await.1);

    // A template that works with the sample data but not with this case's: caught when used.
    let picky =
        "#let data = json(bytes(sys.inputs.data))\n#if data.case_number != \"BN 2026/123\" { panic(\"bara exemplet\") }\n= #data.title\n";
    memo::save_template(&app.db, &staff, Some(picky), app.now()).await.expect("saved").expect("compiles with sample data");
    assert_eq!(own_of(&app).await, (picky.to_string(), true));
    let (case, _) =
        service::create_case(&app.db, &staff, &NewCase { case_type: ct, title: "Strandskydd".into(), ..Default::default() }, app.now())
            .await
            .expect("case");
    let rec =
        service::add_record(&app.db, &staff, case, &record(RecordKind::Outbound, "Svar till sökande"), app.now()).await.expect("record");
    let err = memo::generate(&app.db, &staff, rec, &text("Avslå."), app.now()).await.expect_err("template fails");
    assert_eq!(err.code().code, "CASE-016");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert!(radhus_cases::store::versions(&mut tx, t, rec).await.expect("versions").is_empty(), "nothing half-written");
    tx.commit().await.expect("commit");

    // The page: save a working template, then go back to the default.
    let mut c = app.login("kil", &staff.email).await;
    let page = c.get("/admin/diarier/mallar").await;
    assert!(page.body.contains("egen mall") && page.body.contains("bara exemplet"), "{}", page.body);
    let r = c.post_form("/admin/diarier/mallar", &[("source", "#set text(lang: \"sv\")\n= Tjänsteskrivelse\n"), ("action", "save")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    memo::generate(&app.db, &staff, rec, &text("Avslå."), app.now()).await.expect("own template works");
    let r = c.post_form("/admin/diarier/mallar", &[("source", "#let = \n"), ("action", "save")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("sparades inte") && r.body.contains("#let = "), "{}", r.body);
    super::assert_at_field(&r.body, "source", "Mallen kunde inte användas och sparades inte: ");
    assert!(super::control(&r.body, "source").contains("class=\"ds-input code\""), "still the code editor");
    let r = c.post_form("/admin/diarier/mallar", &[("source", ""), ("action", "reset")]).await;
    assert_eq!(r.status, 303);
    assert!(!own_of(&app).await.1);
}

/// About three seconds of evaluation in a debug build (the tests' build), then a heading.
const SLOW: &str = "#for i in range(1500) { for j in range(1500) { } }\n= Tjänsteskrivelse\n";

/// Stores a template as it stands, without the check at save time (one saved before there
/// were bounds, say).
async fn store_template(app: &radhus_testkit::TestApp, t: radhus_kernel::ids::TenantId, source: &str) {
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    radhus_platform::on_tx!(&mut tx, c => sqlx::query("INSERT INTO document_template (tenant_id, key, source, updated_by, updated_at) VALUES ($1, $2, $3, 'test', $4)")
        .bind(t.0).bind(memo::TEMPLATE_KEY).bind(source).bind(app.now()).execute(c).await.expect("template").rows_affected());
    tx.commit().await.expect("commit");
}

/// Waits until a compilation for the municipality is running (or panics after a minute).
async fn until_typesetting(t: radhus_kernel::ids::TenantId, running: bool) {
    let until = Instant::now() + Duration::from_secs(60);
    while radhus_pdf::running(&t.0.to_string()) != running {
        assert!(Instant::now() < until, "typesetting for {t:?} never became {running}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_runaway_template_is_stopped_at_its_deadline_at_save_time_and_when_used() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let deadline = Duration::from_millis(300);

    // Refused when saved, within the deadline (not when the loop ends), and nothing saved.
    let started = Instant::now();
    let diagnostic =
        memo::save_template_within(&app.db, &staff, Some(SLOW), app.now(), deadline).await.expect("no error").expect_err("refused");
    assert!(started.elapsed() < Duration::from_secs(2), "stopped at the deadline: {:?}", started.elapsed());
    assert!(diagnostic.contains("stoppades"), "{diagnostic}");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert!(!memo::template(&mut tx, t).await.expect("template").1, "nothing saved");
    tx.commit().await.expect("commit");

    // The abandoned compilation runs on and holds the municipality's one slot: its next
    // document waits for it, and is refused (CASE-018) when the slot does not come free.
    assert!(radhus_pdf::running(&t.0.to_string()));
    let (case, _) =
        service::create_case(&app.db, &staff, &NewCase { case_type: ct, title: "Strandskydd".into(), ..Default::default() }, app.now())
            .await
            .expect("case");
    let rec = service::add_record(&app.db, &staff, case, &record(RecordKind::Decision, "Beslut"), app.now()).await.expect("record");
    let err = memo::generate_within(&app.db, &staff, rec, &text("Avslå."), app.now(), deadline).await.expect_err("busy");
    assert_eq!(err.code().code, "CASE-018");

    // A template that got in without the check: the memo is stopped at the deadline with
    // CASE-022, and nothing is stored.
    until_typesetting(t, false).await;
    store_template(&app, t, SLOW).await;
    let started = Instant::now();
    let err = memo::generate_within(&app.db, &staff, rec, &text("Avslå."), app.now(), deadline).await.expect_err("too slow");
    assert!(started.elapsed() < Duration::from_secs(2), "stopped at the deadline: {:?}", started.elapsed());
    assert_eq!(err.code().code, "CASE-022");
    assert!(matches!(err, Error::Rule { message: "err-memo-template-slow", .. }), "{err:?}");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert!(radhus_cases::store::versions(&mut tx, t, rec).await.expect("versions").is_empty(), "nothing stored");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn a_slow_template_does_not_delay_another_municipalitys_login() {
    let app = super::app().await;
    let (slow, arvika, ct) = super::setup(&app, "arvika").await;
    let (_, kil, _) = super::setup(&app, "kil").await;
    store_template(&app, slow, SLOW).await;
    let (case, _) =
        service::create_case(&app.db, &arvika, &NewCase { case_type: ct, title: "Bygglov".into(), ..Default::default() }, app.now())
            .await
            .expect("case");
    let rec = service::add_record(&app.db, &arvika, case, &record(RecordKind::Decision, "Beslut"), app.now()).await.expect("record");

    // Arvika's memo takes seconds to typeset (within its deadline); meanwhile a login in Kil,
    // which writes (the session, the audit log), goes through at once: no transaction is open
    // while the memo is typeset, so Kil's write does not wait for Arvika's.
    let memo = tokio::spawn({
        let (db, arvika, now) = (app.db.clone(), arvika.clone(), app.now());
        async move { memo::generate_within(&db, &arvika, rec, &text("Bevilja."), now, Duration::from_secs(120)).await }
    });
    until_typesetting(slow, true).await;
    let mut c = app.login("kil", &kil.email).await;
    assert!(!memo.is_finished(), "Kil's login finished while Arvika's memo was still being typeset");
    assert_eq!(c.get("/admin").await.status, 200);

    let version = memo.await.expect("task").expect("Arvika's memo, slow but within its deadline");
    let (v, pdf) = service::download(&app.db, &arvika, version, app.now()).await.expect("download");
    assert_eq!(v.version_no, 1);
    assert!(pdf.starts_with(b"%PDF-"));
}
