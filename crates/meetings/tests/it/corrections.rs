//! Corrections of adjusted minutes as versions (issue 13 item 6) and the public version of the
//! minutes without personal data (item 9): editing adjusted minutes is refused; a correction is
//! a new version with who, when, the reason and the SHA-256 of its PDF, the earlier versions
//! kept; the public pages show the current text and say it was corrected; a personal identity
//! number in an item's text never reaches the public page, the OParl JSON or the public PDF's
//! data, while the staff see it.

use radhus_cases::intake::{self, By};
use radhus_cases::parties::NewParty;
use radhus_meetings::corrections::{self, Correction};
use radhus_meetings::signing::{self, Signed};
use radhus_meetings::{minutes, public, record, service, store};
use radhus_platform::db::Scope;
use radhus_platform::error::Error;
use radhus_testkit::TestApp;
use uuid::Uuid;

use super::{World, app, case_with_memo, code, meeting, world};

const SITE: &str = "http://kil.localhost";
const PNR: &str = "19850312-1234";

/// A held meeting with a private person's case (decided, a personnummer in the decision and a
/// motion), a secret item and a plain one, its minutes adjusted by the chair and the member.
/// Returns (meeting, [person item, secret item, plain item]).
async fn adjusted(app: &TestApp, w: &World) -> (Uuid, [Uuid; 3]) {
    let (person_case, person_rec) = case_with_memo(app, w, "Bygglov åt Anna Andersson").await;
    let (secret_case, secret_rec) = case_with_memo(app, w, "Placering av barnet Hemligsson").await;
    let (plain_case, plain_rec) = case_with_memo(app, w, "Budget för cykelbanor").await;
    let party = NewParty::from_form("applicant", "Anna Andersson", "", "", app.now().date()).expect("party");
    let mut tx = app.db.write(Scope::Tenant(w.t)).await.expect("tx");
    intake::add_party_in(&mut tx, w.t, &By::System("test".into()), person_case, &party, app.now()).await.expect("party added");
    tx.commit().await.expect("commit");
    radhus_cases::service::mark_secrecy(&app.db, &w.admin, secret_rec, &["title".into()], "OSL 26 kap. 1 §", app.now())
        .await
        .expect("secret");
    let m = meeting(app, w, "2026-12-15").await;
    for (case, rec) in [(person_case, person_rec), (secret_case, secret_rec), (plain_case, plain_rec)] {
        let p = service::propose(&app.db, &w.admin, case, w.ks, rec, app.now()).await.expect("proposed");
        service::accept(&app.db, &w.admin, p, m, app.now()).await.expect("accepted");
    }
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let items = store::items(&mut tx, w.t, m).await.expect("items");
    tx.commit().await.expect("commit");
    let ids = [items[0].id, items[1].id, items[2].id];
    record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect("notice");
    record::mark_held(&app.db, &w.admin, m, app.now()).await.expect("held");
    let [chair, vice, member] = [w.members[0], w.members[1], w.members[2]];
    record::set_attendance(&app.db, &w.admin, m, &[chair, vice, member], &[], app.now()).await.expect("attendance");
    record::add_member_text(
        &app.db,
        &w.admin,
        ids[0],
        member,
        "motion",
        &format!("Avslag, sökanden {PNR} har inte yttrat sig."),
        app.now(),
    )
    .await
    .expect("motion");
    let decision = format!("Anna Andersson ({PNR}) beviljas bygglov.");
    record::decide(&app.db, &w.admin, ids[0], "decided", &decision, app.now()).await.expect("decided");
    record::decide(&app.db, &w.admin, ids[1], "decided", "Hemligsson placeras.", app.now()).await.expect("decided");
    record::decide(&app.db, &w.admin, ids[2], "decided", "Budgeten antas med 12 miljoner kronor.", app.now()).await.expect("decided");
    // Correcting before the minutes are adjusted is refused: they are still changed directly.
    let c =
        Correction { item: ids[2].to_string(), title: "Budget för cykelbanor".into(), decision: "Ändrat.".into(), reason: "Fel".into() };
    assert_eq!(code(&corrections::correct(&app.db, &w.admin, m, &c, app.now()).await.expect_err("not adjusted")), "MTG-001");
    minutes::draft(&app.db, &w.admin, m, &[member], app.now()).await.expect("minutes");
    let sha = sha_of(app, w, m).await;
    for e in [&w.emails[0], &w.emails[2]] {
        signing::adjust(&app.db, &app.staff(w.t, e).await, Signed::Minutes(m), &sha, app.now()).await.expect("adjusted");
    }
    (m, ids)
}

async fn sha_of(app: &TestApp, w: &World, m: Uuid) -> String {
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let sha = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m").minutes_sha256.expect("sha");
    tx.commit().await.expect("commit");
    sha
}

/// What the database holds about the minutes: to show a refused change changed nothing.
async fn minutes_state(app: &TestApp, w: &World, m: Uuid) -> String {
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let meeting = store::meeting(&mut tx, w.t, m).await.expect("m");
    let items = store::items(&mut tx, w.t, m).await.expect("items");
    let motions = store::motions(&mut tx, w.t, m).await.expect("motions");
    let versions = corrections::versions(&mut tx, w.t, m).await.expect("versions");
    let adj = store::adjusters(&mut tx, w.t, Signed::Minutes(m)).await.expect("adj");
    tx.commit().await.expect("commit");
    format!("{meeting:?}{items:?}{motions:?}{versions:?}{adj:?}")
}

#[tokio::test]
async fn adjusted_minutes_are_frozen_and_a_correction_is_a_new_version_with_its_reason() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let (m, [_, secret, plain]) = adjusted(&app, &w).await;
    let adjusted_sha = sha_of(&app, &w, m).await;
    let chair = app.staff(w.t, &w.emails[0]).await;

    // Editing the adjusted minutes is refused with MTG-007 and changes nothing.
    let before = minutes_state(&app, &w, m).await;
    assert_eq!(code(&record::decide(&app.db, &w.admin, plain, "decided", "Annat.", app.now()).await.expect_err("frozen")), "MTG-007");
    let e = record::add_member_text(&app.db, &w.admin, plain, w.members[2], "reservation", "Sent.", app.now()).await;
    assert_eq!(code(&e.expect_err("frozen")), "MTG-007");
    // Bad corrections: no reason, no paragraph, no change, not the secretary — nothing changed.
    let fix = |decision: &str, reason: &str| Correction {
        item: plain.to_string(),
        title: "Budget för cykelbanor".into(),
        decision: decision.into(),
        reason: reason.into(),
    };
    let e = corrections::correct(&app.db, &w.admin, m, &fix("Budgeten antas med 12,5 miljoner kronor.", "  "), app.now()).await;
    assert!(matches!(&e, Err(Error::Invalid(f)) if f.iter().any(|f| f.field == "reason")), "{e:?}");
    let bad_item = Correction { item: "inte-ett-id".into(), ..fix("x", "y") };
    let e = corrections::correct(&app.db, &w.admin, m, &bad_item, app.now()).await;
    assert!(matches!(&e, Err(Error::Invalid(f)) if f.iter().any(|f| f.field == "item")), "{e:?}");
    let other_meeting_item = Correction { item: Uuid::new_v4().to_string(), ..fix("x", "y") };
    assert!(matches!(corrections::correct(&app.db, &w.admin, m, &other_meeting_item, app.now()).await, Err(Error::Invalid(_))));
    let same = fix("Budgeten antas med 12 miljoner kronor.", "Skrivfel");
    assert_eq!(code(&corrections::correct(&app.db, &w.admin, m, &same, app.now()).await.expect_err("no change")), "MTG-020");
    let e = corrections::correct(&app.db, &chair, m, &fix("Budgeten antas med 12,5 miljoner kronor.", "Skrivfel"), app.now()).await;
    assert!(matches!(e, Err(Error::Forbidden)), "{e:?}");
    assert_eq!(minutes_state(&app, &w, m).await, before);

    // The correction: version 2 with who, when, the reason and the SHA-256 of its PDF.
    let fixed = fix("Budgeten antas med 12,5 miljoner kronor.", "Skrivfel i beloppet: 12,5 miljoner enligt förslaget.");
    assert_eq!(corrections::correct(&app.db, &w.admin, m, &fixed, app.now()).await.expect("corrected"), 2);
    let retitled = Correction {
        title: "Budget för cykelbanor 2027".into(),
        reason: "Året saknades i rubriken.".into(),
        ..fix("Budgeten antas med 12,5 miljoner kronor.", "")
    };
    assert_eq!(corrections::correct(&app.db, &w.admin, m, &retitled, app.now()).await.expect("corrected again"), 3);
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let versions = corrections::versions(&mut tx, w.t, m).await.expect("versions");
    let v2 = corrections::version_pdf(&mut tx, w.t, m, 2).await.expect("pdf").expect("v2");
    let v3 = corrections::version_pdf(&mut tx, w.t, m, 3).await.expect("pdf").expect("v3");
    let original = store::minutes_pdf(&mut tx, w.t, m).await.expect("pdf").expect("original");
    let items = store::items(&mut tx, w.t, m).await.expect("items");
    let adjusters = store::adjusters(&mut tx, w.t, Signed::Minutes(m)).await.expect("adjusters");
    let mt = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    tx.commit().await.expect("commit");
    assert_eq!(versions.iter().map(|v| (v.version, v.field.as_str())).collect::<Vec<_>>(), [(2, "decision"), (3, "title")]);
    let hex = |b: &[u8]| {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(b))
    };
    assert_eq!(versions[0].sha256, hex(&v2));
    assert_eq!(versions[1].sha256, hex(&v3));
    assert!(v2.starts_with(b"%PDF") && v2 != original && v3 != v2);
    assert_eq!(versions[0].reason, "Skrivfel i beloppet: 12,5 miljoner enligt förslaget.");
    assert_eq!((versions[0].corrected_by, versions[0].corrected_by_name.as_str()), (w.admin.user_id.0, w.admin.name.as_str()));
    assert!(versions[0].before_text.contains("12 miljoner") && versions[0].after_text.contains("12,5 miljoner"));
    // The adjusted original is kept unchanged: its hash is still the one the adjusters signed.
    assert_eq!(hex(&original), adjusted_sha);
    assert_eq!(mt.minutes_sha256.as_deref(), Some(adjusted_sha.as_str()));
    assert!(adjusters.iter().all(|a| a.sha256.as_deref() == Some(adjusted_sha.as_str())));
    assert_eq!(mt.state, "posted");
    // The current version's texts.
    let p = items.iter().find(|i| i.id == plain).expect("plain");
    assert_eq!((p.title.as_str(), p.decision.as_str()), ("Budget för cykelbanor 2027", "Budgeten antas med 12,5 miljoner kronor."));

    // The staff page lists every version with the reason; members read it, without the form.
    let mut admin = app.login("kil", &w.admin.email).await;
    let r = admin.get(&format!("/admin/moten/mote/{m}/rattelser")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Skrivfel i beloppet") && r.body.contains(&adjusted_sha) && r.body.contains(&versions[1].sha256), "{}", r.body);
    // The checksums are behind a summary for whoever reviews, not a column of the versions table.
    let details = r.body.find("<summary>Kontrollsummor för granskning</summary>").expect("checksums behind a summary");
    assert!(r.body.find(&adjusted_sha).expect("sha") > details && !r.body.contains("SHA-256"), "{}", r.body);
    let r = admin.get(&format!("/admin/moten/mote/{m}/rattelser/protokoll.pdf?version=2")).await;
    assert_eq!(r.status, 200);
    assert_eq!(admin.get(&format!("/admin/moten/mote/{m}/rattelser/protokoll.pdf?version=9")).await.status, 404);
    assert_eq!(admin.get(&format!("/admin/moten/mote/{m}/rattelser/protokoll.pdf?version=x")).await.status, 404);
    let r = admin.get(&format!("/admin/moten/mote/{m}/rattelser?punkt={plain}")).await;
    assert!(r.body.contains("name=\"reason\"") && r.body.contains("Budget för cykelbanor 2027"), "{}", r.body);
    // The form: a missing reason answers the page with the message, nothing written.
    let before = minutes_state(&app, &w, m).await;
    let r = admin
        .post_form(
            &format!("/admin/moten/mote/{m}/rattelser"),
            &[("item", &plain.to_string()), ("title", "X"), ("decision", "Y"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#corr-reason\"") && r.body.contains("Skäl för rättelsen: Skriv skälet för rättelsen."), "{}", r.body);
    assert!(
        r.body.contains("id=\"corr-reason-error\"") && r.body.contains("aria-describedby=\"corr-reason-hint corr-reason-error\""),
        "{}",
        r.body
    );
    assert_eq!(r.body.matches("aria-invalid=\"true\"").count(), 1, "only the reason: {}", r.body);
    assert_eq!(minutes_state(&app, &w, m).await, before);
    let mut member = app.login("kil", &w.emails[2]).await;
    let r = member.get(&format!("/admin/moten/mote/{m}/rattelser?punkt={plain}")).await;
    assert!(r.status == 200 && r.body.contains("Skrivfel i beloppet") && !r.body.contains("name=\"reason\""));
    assert_eq!(
        member
            .post_form(&format!("/admin/moten/mote/{m}/rattelser"), &[("item", &plain.to_string()), ("title", "X"), ("reason", "Y")])
            .await
            .status,
        403
    );

    // The public page shows the current text, says the minutes were corrected, not the reason;
    // the secret item's correction would not be mentioned (it is not public).
    let mut public = app.client("kil.localhost");
    let r = public.get(&format!("/moten/mote/{m}")).await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("12,5 miljoner") && r.body.contains("Protokollet har rättats") && r.body.contains("Budget för cykelbanor 2027")
    );
    assert!(!r.body.contains("med 12 miljoner") && !r.body.contains("Skrivfel"), "{}", r.body);
    let c = Correction {
        item: secret.to_string(),
        title: "x".into(),
        decision: "Hemligsson placeras i familjehem.".into(),
        reason: "Förtydligande".into(),
    };
    let c = Correction { title: "Placering av barnet Hemligsson".into(), ..c };
    corrections::correct(&app.db, &w.admin, m, &c, app.now()).await.expect("secret corrected");
    let r = public.get(&format!("/moten/mote/{m}")).await;
    assert!(!r.body.contains("Hemligsson") && r.body.contains("version 3"), "{}", r.body);
}

#[tokio::test]
async fn a_personnummer_in_an_items_text_is_masked_in_every_public_version_but_shown_to_staff() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let (m, [person, _, plain]) = adjusted(&app, &w).await;
    let mut public = app.client("kil.localhost");
    // The public page.
    let r = public.get(&format!("/moten/mote/{m}")).await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("[Privatperson] ([personnummer]) beviljas bygglov.") && r.body.contains("[personnummer] har inte"),
        "{}",
        r.body
    );
    for leak in [PNR, "850312", "Anna", "Andersson", "Hemligsson"] {
        assert!(!r.body.contains(leak), "{leak} leaked: {}", r.body);
    }
    // The OParl JSON: the item and the meeting with its items embedded.
    for url in [format!("/api/v1/oparl/agendaItem/{person}"), format!("/api/v1/oparl/meeting/{m}")] {
        let r = public.get(&url).await;
        assert_eq!(r.status, 200, "{url}");
        assert!(r.body.contains("[personnummer]") || url.contains("meeting"), "{}", r.body);
        for leak in [PNR, "850312", "Andersson", "Hemligsson"] {
            assert!(!r.body.contains(leak), "{leak} leaked in {url}: {}", r.body);
        }
    }
    // The public PDF/A: typeset from the masked data, served without login; the secret
    // paragraph is left out of it.
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let mt = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    let data = public::public_minutes_data(&mut tx, w.t, &mt).await.expect("public data");
    let items = store::items(&mut tx, w.t, m).await.expect("items");
    let staff_pdf = store::minutes_pdf(&mut tx, w.t, m).await.expect("pdf").expect("pdf");
    tx.commit().await.expect("commit");
    let json = serde_json::to_string(&data).expect("json");
    assert!(data.public_version && json.contains("[personnummer]") && json.contains("Budgeten antas"), "{json}");
    for leak in [PNR, "850312", "Andersson", "Hemligsson"] {
        assert!(!json.contains(leak), "{leak} leaked in the public PDF's data: {json}");
    }
    let numbers: Vec<i64> = data.paragraphs.iter().map(|p| p.number).collect();
    let para = |id: Uuid| i64::from(items.iter().find(|i| i.id == id).and_then(|i| i.paragraph).expect("paragraph"));
    assert_eq!(numbers, [para(person), para(plain)]);
    let r = public.get(&format!("/moten/mote/{m}/protokoll.pdf")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    assert!(r.body.starts_with("%PDF"));
    // Not before adjustment, not for an unknown meeting.
    assert_eq!(public.get(&format!("/moten/mote/{}/protokoll.pdf", Uuid::new_v4())).await.status, 404);
    let planned = meeting(&app, &w, "2026-12-20").await;
    assert_eq!(public.get(&format!("/moten/mote/{planned}/protokoll.pdf")).await.status, 404);

    // The staff see the archival original: the item's page and the signed minutes' data.
    let mut admin = app.login("kil", &w.admin.email).await;
    let r = admin.get(&format!("/admin/moten/punkt/{person}")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(PNR) && r.body.contains("Anna Andersson"), "{}", r.body);
    assert!(staff_pdf.starts_with(b"%PDF"));
    assert_eq!(items.iter().find(|i| i.id == person).expect("item").decision, format!("Anna Andersson ({PNR}) beviljas bygglov."));
}

/// A correction goes back to the case (issue 13 item 8): the corrected paragraph's extract is
/// registered in its case as a new decision record in the correction's transaction (the earlier
/// extract's record is kept), saying which version and why; the secretary's next dispatch sends
/// it. The notice board notes on the announcement that the minutes were corrected (its posting
/// day and last day to appeal unchanged); a secret paragraph's correction is not mentioned.
#[tokio::test]
async fn a_correction_registers_the_corrected_extract_in_the_case_and_is_noted_on_the_board() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let (m, [person, secret, _]) = adjusted(&app, &w).await;
    assert_eq!(signing::dispatch(&app.db, &w.admin, Signed::Minutes(m), app.now()).await.expect("dispatched"), 3);
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let item = store::item(&mut tx, w.t, person).await.expect("item").expect("item");
    let case = item.case_id.expect("a case");
    let first = item.extract_record_id.expect("the adjusted minutes' extract");
    let records_before = radhus_cases::store::records(&mut tx, w.t, case).await.expect("records").len();
    let mt = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    tx.commit().await.expect("commit");
    let mut public = app.client("kil.localhost");
    let board = public.get("/anslagstavla").await.body;
    assert!(!board.contains("Protokollet rättades"), "{board}");
    let no = item.paragraph.expect("numbered");

    let fix = Correction {
        item: person.to_string(),
        title: item.title.clone(),
        decision: "Anna Andersson beviljas bygglov med villkor.".into(),
        reason: "Villkoret föll bort vid utskriften.".into(),
    };
    assert_eq!(corrections::correct(&app.db, &w.admin, m, &fix, app.now()).await.expect("corrected"), 2);
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let item = store::item(&mut tx, w.t, person).await.expect("item").expect("item");
    let records = radhus_cases::store::records(&mut tx, w.t, case).await.expect("records");
    let after = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    tx.commit().await.expect("commit");
    let second = item.extract_record_id.expect("the corrected extract");
    assert_ne!(second, first);
    assert_eq!(records.len(), records_before + 1, "one new record, the earlier kept");
    let old = records.iter().find(|r| r.id == first).expect("the first extract is kept");
    assert!(old.dispatched_at.is_some(), "and stays dispatched");
    let new = records.iter().find(|r| r.id == second).expect("the new record");
    assert_eq!(new.kind, radhus_cases::domain::RecordKind::Decision);
    assert_eq!(new.title, format!("Protokollsutdrag KS § {no} {}, rättad version 2", item.title));
    assert!(new.registered_at.is_some() && new.dispatched_at.is_none(), "{new:?}");
    // The extract's data says which version and why (what was typeset into its PDF).
    assert!(
        audit_has(&app, &w, &[&second.to_string(), &first.to_string()]).await,
        "the audit names the new extract and the one it replaces"
    );
    // The secretary's next dispatch sends the corrected extract (only it).
    assert_eq!(signing::dispatch(&app.db, &w.admin, Signed::Minutes(m), app.now()).await.expect("dispatched"), 1);

    // The notice board: a note on the announcement, its days unchanged.
    assert_eq!((after.posted_on, after.appeal_until), (mt.posted_on, mt.appeal_until));
    let board = public.get("/anslagstavla").await.body;
    let today = radhus_kernel::lang::swedish_date(radhus_kernel::tz::stockholm(app.now()).date());
    assert!(board.contains(&format!("<strong>Protokollet rättades {today} (version 2): KS § {no}.</strong>")), "{board}");
    assert!(board.contains(&format!("href=\"/anslagstavla/{m}/anslag.pdf\"")), "{board}");
    let r = public.get(&format!("/anslagstavla/{m}/anslag.pdf")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with("%PDF"));
    assert_eq!(public.get(&format!("/anslagstavla/{}/anslag.pdf", Uuid::new_v4())).await.status, 404);
    // A secret paragraph's correction is not mentioned (the note keeps naming the public one).
    let hidden = Correction {
        item: secret.to_string(),
        title: "Placering av barnet Hemligsson".into(),
        decision: "Ändrat.".into(),
        reason: "Fel".into(),
    };
    assert_eq!(corrections::correct(&app.db, &w.admin, m, &hidden, app.now()).await.expect("corrected"), 3);
    let board = public.get("/anslagstavla").await.body;
    assert!(board.contains(&format!("(version 2): KS § {no}.")), "{board}");
    assert!(!board.contains("version 3") && !board.contains("Hemligsson"), "{board}");
}

/// Whether one of the corrections' audit events names every one of `needles`.
async fn audit_has(app: &TestApp, w: &World, needles: &[&str]) -> bool {
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let rows: Vec<(String,)> = radhus_platform::on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT CAST(details AS TEXT) FROM audit_event WHERE tenant_id = $1 AND action = 'mtg.minutes.corrected'")
        .bind(w.t.0).fetch_all(c).await.expect("audit"));
    tx.commit().await.expect("commit");
    rows.iter().any(|(d,)| needles.iter().all(|n| d.contains(n)))
}
