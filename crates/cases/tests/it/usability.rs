//! Issue 18 for cases: the staff list's search, views and counts, feedback after a change,
//! the safeguards of the status form, the new-case form's checks, and the public diary's help.

use radhus_platform::db::Scope;

async fn register(c: &mut radhus_testkit::Client, fields: &[(&str, &str)]) -> String {
    let r = c.post_form("/admin/arenden", fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    r.location().expect("location").to_string()
}

fn path_of(location: &str) -> String {
    location.split('?').next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_registered_case_and_a_status_change_are_confirmed_and_obliterating_asks_first() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let mut c = app.login("kil", &staff.email).await;
    let ct = ct.to_string();
    let at = register(&mut c, &[("case_type_id", &ct), ("title", "Bygglov för garage")]).await;
    assert!(at.ends_with("?klart=registrerat"), "{at}");
    let page = c.get(&at).await;
    assert!(
        page.body.contains("role=\"status\"") && page.body.contains("Ärendet är registrerat med diarienummer KS 2026/1."),
        "{}",
        page.body
    );
    let case = path_of(&at);
    // Without the query the page shows no message: the address says what the message is.
    let page = c.get(&case).await;
    assert!(!page.body.contains("Ärendet är registrerat med diarienummer"));
    // The status form starts at "Välj status", never at one of the statuses.
    assert!(page.body.contains("<option value=\"\">Välj status</option>"), "{}", page.body);
    assert!(!page.body.contains(" selected>Vilande"));
    let r = c.post_form(&format!("{case}/status"), &[("status", "")]).await;
    assert_eq!(r.status, 422, "no status chosen");
    let r = c.post_form(&format!("{case}/status"), &[("status", "suspended")]).await;
    assert_eq!(r.location(), Some(format!("{case}?klart=status").as_str()));
    assert!(c.get(&format!("{case}?klart=status")).await.body.contains("Statusen är ändrad till Vilande."));
    // Obliterating: a reason first, then a confirmation page; nothing changes until confirmed.
    let r = c.post_form(&format!("{case}/status"), &[("status", "obliterated"), ("note", " ")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Skriv varför ärendet makuleras"), "{}", r.body);
    let r = c.post_form(&format!("{case}/status"), &[("status", "obliterated"), ("note", "Registrerat två gånger")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Makulera ärendet?") && r.body.contains("name=\"bekraftat\" value=\"1\""), "{}", r.body);
    assert!(r.body.contains("Registrerat två gånger") && r.body.contains("name=\"_csrf\""));
    assert!(c.get(&case).await.body.contains("Vilande"), "not yet obliterated");
    let r =
        c.post_form(&format!("{case}/status"), &[("status", "obliterated"), ("note", "Registrerat två gånger"), ("bekraftat", "1")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&case).await;
    assert!(page.body.contains("vilande → makulerat: Registrerat två gånger"), "the reason is on the timeline");
    // And in the audit log, in the same change.
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (details,): (String,) = radhus_platform::on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT CAST(details AS TEXT) FROM audit_event WHERE tenant_id = $1 AND action = 'case.status_changed' ORDER BY seq DESC LIMIT 1")
        .bind(t.0).fetch_one(c).await.expect("audit"));
    tx.commit().await.expect("commit");
    assert!(details.contains("Registrerat två gånger") && details.contains("obliterated"), "{details}");
}

#[tokio::test]
async fn the_new_case_form_checks_a_party_number_and_says_what_to_do() {
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await;
    let mut c = app.login("kil", &staff.email).await;
    let page = c.get("/admin/arenden/ny").await;
    assert!(page.body.contains("<option value=\"\">Välj ärendetyp</option>"), "no case type chosen at first: {}", page.body);
    assert!(page.body.contains("(frivilligt)"));
    let ct = ct.to_string();
    // A number without a name is not dropped silently, and a wrong number is named.
    let r = c.post_form("/admin/arenden", &[("case_type_id", &ct), ("title", "Bygglov"), ("party_identity", "19811218-9877")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("aria-invalid=\"true\""), "{}", r.body);
    assert!(r.body.contains("href=\"#party_identity\"") && r.body.contains("href=\"#party_name\""), "{}", r.body);
    let r = c.post_form("/admin/arenden", &[("case_type_id", ""), ("title", "")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Välj vilken typ av ärende det är.") && r.body.contains("href=\"#case_type_id\""), "{}", r.body);
    // An organisation number is a valid party number.
    let at =
        register(&mut c, &[("case_type_id", &ct), ("title", "Bygglov"), ("party_name", "Kils Bygg AB"), ("party_identity", "556016-0680")])
            .await;
    assert!(c.get(&at).await.body.contains("Kils Bygg AB"));
}

#[tokio::test]
async fn the_case_list_searches_shows_open_cases_of_mine_and_those_waiting_to_be_assigned() {
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await;
    let mut c = app.login("kil", &staff.email).await;
    let me = staff.user_id.0.to_string();
    let ct = ct.to_string();
    let garage = path_of(&register(&mut c, &[("case_type_id", &ct), ("title", "Garage på Tuppen 4"), ("caseworker_id", &me)]).await);
    register(&mut c, &[("case_type_id", &ct), ("title", "Uterum på Höken 2"), ("caseworker_id", &me)]).await;
    register(&mut c, &[("case_type_id", &ct), ("title", "Skolskjuts 100%")]).await;
    assert_eq!(c.post_form(&format!("{garage}/status"), &[("status", "closed")]).await.status, 303);
    // Mine: open and suspended by default; every status on request.
    let page = c.get("/admin/arenden").await;
    assert!(page.body.contains("Uterum på Höken 2") && !page.body.contains("Garage på Tuppen 4"), "{}", page.body);
    assert!(page.body.contains("value=\"aktiva\" selected"));
    assert!(c.get("/admin/arenden?vy=mina&status=alla").await.body.contains("Garage på Tuppen 4"));
    // The search box: the diary number or words of the title, any case.
    let page = c.get("/admin/arenden?vy=alla&q=tuppen").await;
    assert!(page.body.contains("Garage på Tuppen 4") && !page.body.contains("Uterum"), "{}", page.body);
    assert!(page.body.contains("value=\"tuppen\""));
    let page = c.get("/admin/arenden?vy=alla&q=KS+2026/2").await;
    assert!(page.body.contains("Uterum på Höken 2") && !page.body.contains("Garage"), "{}", page.body);
    let page = c.get("/admin/arenden?vy=alla&q=%25").await;
    assert!(page.body.contains("Skolskjuts 100%") && !page.body.contains("Uterum"), "a % is a character, not a wildcard");
    // Waiting to be assigned: the registrar's list and its count.
    let page = c.get("/admin/arenden").await;
    assert!(page.body.contains("Ett ärende väntar på att fördelas"), "{}", page.body);
    let page = c.get("/admin/arenden?vy=att-fordela").await;
    assert!(
        page.body.contains("Skolskjuts 100%") && !page.body.contains("Uterum") && page.body.contains("aria-current=\"page\">Att fördela")
    );
    // A caseworker without registering or distributing has no such view.
    let t = staff.tenant_id;
    let role = app.role(t, "Handläggare", &["cases.handle"]).await;
    app.user(t, "omar@kil.se", "Omar Said", None, Some((role, None))).await;
    let mut o = app.login("kil", "omar@kil.se").await;
    let page = o.get("/admin/arenden?vy=att-fordela").await;
    assert!(!page.body.contains("Att fördela") && !page.body.contains("Skolskjuts"), "{}", page.body);
}

#[tokio::test]
async fn the_public_diary_helps_after_no_hits_and_takes_a_request_for_a_document() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let mut c = app.login("kil", &staff.email).await;
    let ct = ct.to_string();
    let case = path_of(&register(&mut c, &[("case_type_id", &ct), ("title", "Bygglov för garage")]).await);
    let r = c.post_form(&format!("{case}/handlingar"), &[("kind", "inbound"), ("title", "Ansökan"), ("correspondent", "Anna")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(c.post_form(&format!("{case}/status"), &[("status", "closed")]).await.status, 303);
    let id = case.rsplit('/').next().expect("id").to_string();
    let mut visitor = app.client("kil.localhost");
    let none = visitor.get("/diarium?q=zzzz").await;
    assert!(none.body.contains("Inga ärenden hittades för ”zzzz”") && none.body.contains("Prova att"), "{}", none.body);
    assert!(none.body.contains("Kontakta registraturen"));
    let list = visitor.get("/diarium").await;
    assert!(list.body.contains(&format!("/diarium/arende/{id}/begar?handling=KS%202026%2F1")), "{}", list.body);
    let page = visitor.get(&format!("/diarium/arende/{id}")).await;
    assert!(
        page.body.contains(&format!("/diarium/arende/{id}/begar?handling=KS%202026%2F1-1")) && page.body.contains("Kontakta registraturen")
    );
    let form = visitor.get(&format!("/diarium/arende/{id}/begar?handling=KS%202026%2F1-1")).await;
    assert!(form.body.contains("value=\"KS 2026/1-1\"") && form.body.contains("Begär ut handling"), "{}", form.body);
    // A number of another case and no address are named at their fields.
    let r = visitor.post_form(&format!("/diarium/arende/{id}/begar"), &[("handling", "KS 2026/9-1"), ("kontakt", "")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#handling\"") && r.body.contains("href=\"#kontakt\"") && r.body.contains("aria-invalid=\"true\""));
    // An anonymous request for a document of a closed case: registered as an inbound record.
    let r = visitor
        .post_form(
            &format!("/diarium/arende/{id}/begar"),
            &[("handling", "KS 2026/1-1"), ("beskrivning", "Ritningen"), ("kontakt", "a@example.se")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Din begäran är registrerad med diarienummer KS 2026/1-2."), "{}", r.body);
    let view = radhus_cases::service::read_case(&app.db, &staff, id.parse().expect("uuid"), radhus_cases::service::Via::Page, app.now())
        .await
        .expect("case");
    let rec = view.records.iter().find(|r| r.running_no == 2).expect("the request");
    assert_eq!(rec.kind, radhus_cases::domain::RecordKind::Inbound);
    assert!(rec.title.contains("Begäran om att ta del av allmän handling KS 2026/1-1") && rec.correspondent == "Anonym");
    assert!(rec.correspondent_is_person, "the diary shows no requester");
    let public = visitor.get(&format!("/diarium/arende/{id}")).await;
    assert!(public.body.contains("KS 2026/1-2") && !public.body.contains("a@example.se"));
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (n,): (i64,) = radhus_platform::on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'record.created' AND actor_kind = 'anonymous'")
        .bind(t.0).fetch_one(c).await.expect("audit"));
    tx.commit().await.expect("commit");
    assert_eq!(n, 1, "the request is in the audit log");
}

/// Counts of cases, records and document versions of the municipality.
async fn counts(app: &radhus_testkit::TestApp, t: radhus_kernel::ids::TenantId) -> (i64, i64, i64) {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let n: (i64, i64, i64) = radhus_platform::on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM case_file WHERE tenant_id = $1), (SELECT COUNT(*) FROM record WHERE tenant_id = $1), \
         (SELECT COUNT(*) FROM document_version WHERE tenant_id = $1)")
        .bind(t.0).fetch_one(c).await.expect("counts"));
    tx.commit().await.expect("commit");
    n
}

#[tokio::test]
async fn the_new_case_form_takes_the_first_record_and_its_file_in_one_transaction() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let mut c = app.login("kil", &staff.email).await;
    let ct = ct.to_string();
    let page = c.get("/admin/arenden/ny").await;
    assert!(page.body.contains("enctype=\"multipart/form-data\"") && page.body.contains("name=\"record_file\""), "{}", page.body);
    assert!(page.body.contains("<option value=\"\">Ingen handling nu</option>") && page.body.contains("Första handlingen"));

    // Refused: every problem of the case and the record at once, at its field; nothing written.
    let before = counts(&app, t).await;
    let r = c
        .post_multipart(
            "/admin/arenden",
            &[("case_type_id", &ct), ("title", ""), ("record_kind", "outbound"), ("record_title", " ")],
            &[("record_file", "virus.exe", b"MZ\x90\x00")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    for target in ["#title", "#record_title", "#record_correspondent", "#record_file"] {
        assert!(r.body.contains(&format!("href=\"{target}\"")), "{target}: {}", r.body);
    }
    assert!(r.body.contains("id=\"record_file\" name=\"record_file\" type=\"file\"") && r.body.contains("aria-invalid=\"true\""));
    assert!(r.body.contains("Skriv handlingens rubrik.") && r.body.contains("Filtypen är inte tillåten"), "{}", r.body);
    assert!(r.body.contains("<option value=\"outbound\" selected>"), "the direction is kept");
    // Record fields without a direction say what to do.
    let r = c.post_multipart("/admin/arenden", &[("case_type_id", &ct), ("title", "Bygglov"), ("record_title", "Ansökan")], &[]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#record_kind\"") && r.body.contains("Välj om handlingen är inkommande"), "{}", r.body);
    // A good case with a file whose content is not what its name says: no case either.
    let r = c
        .post_multipart(
            "/admin/arenden",
            &[
                ("case_type_id", &ct),
                ("title", "Bygglov"),
                ("record_kind", "inbound"),
                ("record_title", "Ansökan"),
                ("record_correspondent", "Anna"),
            ],
            &[("record_file", "ansokan.pdf", b"not a pdf")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(counts(&app, t).await, before, "a refused form writes nothing");

    // Accepted: the case, its inbound record registered at once (TF 2 kap. 9 §) and the file.
    let r = c
        .post_multipart(
            "/admin/arenden",
            &[
                ("case_type_id", &ct),
                ("title", "Bygglov för garage"),
                ("record_kind", "inbound"),
                ("record_title", "Ansökan om bygglov"),
                ("record_correspondent", "Anna Andersson"),
                ("record_correspondent_is_person", "on"),
                ("record_received_on", "2026-01-02"),
            ],
            &[("record_file", "ansokan.pdf", b"%PDF-1.7\nansokan")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let case = path_of(r.location().expect("location"));
    assert_eq!(counts(&app, t).await, (before.0 + 1, before.1 + 1, before.2 + 1));
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (status, kind, received, filename): (String, String, String, String) = radhus_platform::on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT r.status, r.kind, CAST(r.received_on AS TEXT), v.filename FROM record r JOIN document d ON d.record_id = r.id AND d.tenant_id = r.tenant_id \
         JOIN document_version v ON v.document_id = d.id AND v.tenant_id = d.tenant_id WHERE r.tenant_id = $1 AND d.role = 'main'")
        .bind(t.0).fetch_one(c).await.expect("record"));
    tx.commit().await.expect("commit");
    assert_eq!((status.as_str(), kind.as_str(), filename.as_str()), ("registered", "inbound", "ansokan.pdf"));
    assert!(received.starts_with("2026-01-02"), "{received}");
    let page = c.get(&case).await;
    assert!(page.body.contains("Ansökan om bygglov"), "{}", page.body);
    // The record page lists the file in plain words: no checksum column (issue 18 item 5).
    let at = page.body.find("/admin/handlingar/").expect("a link to the record");
    let record = page.body[at..at + "/admin/handlingar/".len() + 36].to_string();
    let rp = c.get(&record).await;
    assert_eq!(rp.status, 200, "{record}");
    assert!(rp.body.contains("ansokan.pdf") && !rp.body.contains("SHA-256") && !rp.body.contains("Kontrollsumma"), "{}", rp.body);
    // A memo as the first record needs its text.
    let r = c
        .post_multipart(
            "/admin/arenden",
            &[("case_type_id", &ct), ("title", "Samtal"), ("record_kind", "memo"), ("record_title", "Samtal med sökande")],
            &[],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#record_memo_text\""), "{}", r.body);
}

#[tokio::test]
async fn the_approver_sees_the_document_before_the_decision() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let mut c = app.login("kil", &staff.email).await;
    let ct = ct.to_string();
    let r = c
        .post_multipart(
            "/admin/arenden",
            &[
                ("case_type_id", &ct),
                ("title", "Bygglov"),
                ("record_kind", "outbound"),
                ("record_title", "Beslut om bygglov"),
                ("record_correspondent", "Anna Andersson"),
                ("record_register", "on"),
            ],
            &[("record_file", "beslut.pdf", b"%PDF-1.7\nbeslut")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (rec,): (uuid::Uuid,) = radhus_platform::on_tx!(&mut tx, c => sqlx::query_as("SELECT id FROM record WHERE tenant_id = $1")
        .bind(t.0).fetch_one(c).await.expect("record"));
    tx.commit().await.expect("commit");
    assert_eq!(c.post_form(&format!("/admin/handlingar/{rec}/status"), &[("status", "established")]).await.status, 303);
    let role = app.role(t, "Chef", &["cases.read", "cases.handle"]).await;
    let chef = app.user(t, "chef@kil.se", "Chef Kil", None, Some((role, None))).await.to_string();
    assert_eq!(c.post_form(&format!("/admin/handlingar/{rec}/godkannande"), &[("approver_1", &chef)]).await.status, 303);
    let mut boss = app.login("kil", "chef@kil.se").await;
    let page = boss.get(&format!("/admin/handlingar/{rec}")).await;
    assert_eq!(page.status, 200);
    let b = &page.body;
    let doc = b.find("Handlingen du ska ta ställning till").expect("the document section");
    let decision = b.find("/godkannande/beslut").expect("the decision form");
    assert!(doc < decision, "the document comes before the decision");
    let section = &b[doc..decision];
    assert!(section.contains("href=\"/admin/dokument/") && section.contains("beslut.pdf"), "{section}");
    assert!(section.contains("<dd>PDF</dd>") && section.contains("B</dd>"), "{section}");
    // The caseworker, who is not the approver, gets no decision form and no such section.
    let own = c.get(&format!("/admin/handlingar/{rec}")).await;
    assert!(!own.body.contains("Handlingen du ska ta ställning till"));
}

#[tokio::test]
async fn the_case_and_record_pages_show_a_refused_form_at_its_own_fields() {
    use super::{assert_at_field, control};
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await;
    let mut c = app.login("kil", &staff.email).await;
    let ct = ct.to_string();
    let case = path_of(&register(&mut c, &[("case_type_id", &ct), ("title", "Bygglov för garage")]).await);
    // A new record without its title and correspondent: at its fields, the form shown open.
    let r =
        c.post_form(&format!("{case}/handlingar"), &[("kind", "inbound"), ("title", " "), ("correspondent", ""), ("register", "on")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_at_field(&r.body, "r-title", "Skriv handlingens rubrik, högst 300 tecken.");
    assert_at_field(&r.body, "correspondent", "Skriv avsändare eller mottagare.");
    assert!(r.body.contains("<details class=\"ds-details\" open>") && r.body.contains("<option value=\"inbound\" selected>"), "{}", r.body);
    assert_eq!(r.body.matches("aria-invalid=\"true\"").count(), 2, "only the refused form's fields are marked");
    assert!(!r.body.contains(" required"), "no browser pop-ups");
    // The watch form: every problem at once; the status form's note is not marked.
    let r = c.post_form(&format!("{case}/bevakningar"), &[("due", ""), ("remind_days", "två"), ("note", " ")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_at_field(&r.body, "w-due", "Välj datum för bevakningen.");
    assert_at_field(&r.body, "w-remind", "Skriv hur många dagar före som påminnelsen ska komma, från 0 till 60.");
    assert_at_field(&r.body, "w-note", "Skriv vad bevakningen gäller.");
    assert!(!control(&r.body, "note").contains("aria-invalid") && r.body.contains("value=\"två\""), "{}", r.body);
    let r = c.post_form(&format!("{case}/status"), &[("status", ""), ("note", "Väntar")]).await;
    assert_eq!(r.status, 422);
    assert_at_field(&r.body, "new-status", "Välj en status.");
    assert!(control(&r.body, "note").contains("value=\"Väntar\""), "the reason is kept");
    assert!(!control(&r.body, "w-note").contains("aria-invalid"), "the watch's note is not marked");
    let r = c.post_form(&format!("{case}/relaterade"), &[("related_number", "nummer 12")]).await;
    assert_eq!(r.status, 422);
    assert_at_field(&r.body, "related_number", "Skriv diarienumret som KOD ÅÅÅÅ/NUMMER, till exempel KS 2026/12.");
    // The memo's first step.
    let r = c.post_form(&format!("{case}/tjansteskrivelse"), &[("correspondent", ""), ("title", "")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_at_field(&r.body, "correspondent", "Skriv avsändare eller mottagare.");
    assert!(control(&r.body, "title").contains("value=\"\"") && r.body.contains("Rubrik (frivilligt)"), "empty takes the case's title");

    // A record's page.
    let r = c
        .post_form(
            &format!("{case}/handlingar"),
            &[("kind", "inbound"), ("title", "Ansökan"), ("correspondent", "Anna"), ("register", "on")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&case).await;
    let rec = page.body.split("href=\"/admin/handlingar/").nth(1).and_then(|x| x.split('"').next()).expect("the record's link").to_string();
    let record = format!("/admin/handlingar/{rec}");
    let r = c.post_form(&format!("{record}/makulera"), &[("obliteration_reason", " ")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_at_field(&r.body, "obliteration_reason", "Skriv varför handlingen makuleras. Skälet står kvar i diariet.");
    let r = c.post_form(&format!("{record}/sekretess"), &[("fields", "title"), ("secrecy_ground", "")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_at_field(&r.body, "secrecy_ground", "Skriv lagrummet för sekretessen, till exempel OSL 26 kap. 1 §.");
    assert!(r.body.contains("value=\"title\" checked"), "the ticked field stays ticked");
    assert!(!control(&r.body, "obliteration_reason").contains("aria-invalid"), "one form's problem is shown at that form only");
    let r = c.post_form(&format!("{record}/bevakningar"), &[("due", "2026-13-40"), ("remind_days", "2"), ("note", "Svar")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_at_field(&r.body, "w-due", "Skriv datumet som ÅÅÅÅ-MM-DD.");
}

#[tokio::test]
async fn the_registries_page_shows_each_refused_form_at_its_own_fields() {
    use super::{assert_at_field, control};
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await;
    let mut c = app.login("kil", &staff.email).await;
    let r = c.post_form("/admin/diarier", &[("code", "1x"), ("name", " "), ("number_format", "")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_at_field(&r.body, "reg-code", "Skriv diariets kod med 1–10 bokstäver och siffror som börjar med en bokstav, till exempel KS.");
    assert_at_field(&r.body, "reg-name", "Skriv diariets namn.");
    assert!(r.body.contains("href=\"#reg-code\">Kod: Skriv diariets kod"), "the summary names the field: {}", r.body);
    for other in ["cl-code", "ct-name"] {
        assert!(!control(&r.body, other).contains("aria-invalid"), "{other} is another form's");
    }
    let r = c.post_form("/admin/diarier/klasser", &[("code", ""), ("title", "Bygglov"), ("retention_years", "tio")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_at_field(&r.body, "cl-code", "Skriv klassens kod, till exempel 2.1.");
    assert_at_field(
        &r.body,
        "cl-ret",
        "Skriv gallringsfristen som ett antal år mellan 1 och 200, eller lämna fältet tomt om handlingarna ska bevaras.",
    );
    assert!(control(&r.body, "cl-ret").contains("value=\"tio\""));
    let r = c.post_form("/admin/diarier/typer", &[("name", ""), ("registry_id", "x"), ("class_id", ""), ("target_days", "många")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_at_field(&r.body, "ct-name", "Skriv ärendetypens namn.");
    assert_at_field(&r.body, "ct-reg", "Välj ett diarium som finns.");
    assert_at_field(&r.body, "ct-days", "Skriv handläggningstiden som ett antal dagar, mellan 1 och 3650.");
    // The setup's case type is the first: its appeal form's own ids.
    let r = c
        .post_form(
            &format!("/admin/diarier/typer/{ct}/overklagande"),
            &[("appeal_instruction", ""), ("appeal_exempt", "1"), ("appeal_exempt_reason", "")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_at_field(&r.body, "ap-reason-1", "Ange varför beslut av den här ärendetypen inte ska ha någon överklagandehänvisning");
    assert!(r.body.contains("id=\"ap-exempt-1\" name=\"appeal_exempt\" value=\"1\" checked"), "the box stays ticked");
}
