//! Publication (issue 13 items 9 and 11): the public meeting pages, the feeds and the OParl API
//! show the agenda once the notice is issued and the minutes once adjusted; a closed meeting's
//! secret item never reaches any of them (also when asked for by id); private persons' names
//! and identity numbers are masked; the archival originals stay unchanged.

use radhus_cases::intake::{self, By};
use radhus_cases::parties::NewParty;
use radhus_meetings::core::Choice;
use radhus_meetings::signing::{self, Signed};
use radhus_meetings::{minutes, record, service, store};
use radhus_platform::db::Scope;
use uuid::Uuid;

use super::{app, case_with_memo, meeting, world};

const SITE: &str = "http://kil.localhost";

#[tokio::test]
async fn public_pages_feeds_and_oparl_mask_and_leave_out_secret_items() {
    let app = app().await;
    let w = world(&app, "kil").await;
    // A case of a private person, a case whose memo is secret, and a plain one.
    let (person_case, person_rec) = case_with_memo(&app, &w, "Bygglov åt Anna Andersson 19850312-1234").await;
    let (secret_case, secret_rec) = case_with_memo(&app, &w, "Placering av barnet Hemligsson").await;
    let (plain_case, plain_rec) = case_with_memo(&app, &w, "Budget för cykelbanor").await;
    let party = NewParty::from_form("applicant", "Anna Andersson", "", "", app.now().date()).expect("party");
    let mut tx = app.db.write(Scope::Tenant(w.t)).await.expect("tx");
    intake::add_party_in(&mut tx, w.t, &By::System("test".into()), person_case, &party, app.now()).await.expect("party added");
    tx.commit().await.expect("commit");
    radhus_cases::service::mark_secrecy(&app.db, &w.admin, secret_rec, &["title".into()], "OSL 26 kap. 1 §", app.now())
        .await
        .expect("secret");

    // A closed meeting with the three; nothing is public before the notice.
    let m = meeting(&app, &w, "2026-12-15").await;
    for (case, rec) in [(person_case, person_rec), (secret_case, secret_rec), (plain_case, plain_rec)] {
        let p = service::propose(&app.db, &w.admin, case, w.ks, rec, app.now()).await.expect("proposed");
        service::accept(&app.db, &w.admin, p, m, app.now()).await.expect("accepted");
    }
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let items = store::items(&mut tx, w.t, m).await.expect("items");
    tx.commit().await.expect("commit");
    let (person_item, secret_item, plain_item) = (items[0].id, items[1].id, items[2].id);
    let mut public = app.client("kil.localhost");
    assert_eq!(public.get(&format!("/moten/mote/{m}")).await.status, 404, "not public before the notice");

    record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect("notice");
    let r = public.get("/moten").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&format!("/moten/mote/{m}")) && r.body.contains(&format!("/moten/organ/{}", w.ks)), "{}", r.body);
    let r = public.get(&format!("/moten/mote/{m}")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Budget för cykelbanor"), "{}", r.body);
    assert!(r.body.contains("Bygglov åt [Privatperson] [personnummer]"), "{}", r.body);
    for leak in ["Anna", "Andersson", "19850312", "Hemligsson", &secret_item.to_string()] {
        assert!(!r.body.contains(leak), "{leak} leaked: {}", r.body);
    }

    // Search: the platform's stemming finds the plain item; markup is only text; the secret
    // item is not found by its words.
    let r = public.get("/moten?q=cykelbanorna").await;
    assert!(r.body.contains(&format!("#punkt-{plain_item}")), "{}", r.body);
    let r = public.get("/moten?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("<script>alert(1)") && r.body.contains("&#60;script&#62;"), "{}", r.body);
    let r = public.get("/moten?q=Hemligsson").await;
    assert!(r.body.contains("Inga träffar") && !r.body.contains(&secret_item.to_string()));
    let r = public.get("/moten?q=Andersson").await;
    assert!(!r.body.contains(&format!("#punkt-{person_item}")), "a masked name finds nothing");

    // Feeds of the committee.
    let r = public.get(&format!("/moten/organ/{}/moten.atom", w.ks)).await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("<feed") && r.body.contains("Budget för cykelbanor") && !r.body.contains("Hemligsson") && !r.body.contains("Anna")
    );
    let r = public.get(&format!("/moten/organ/{}/moten.ics", w.ks)).await;
    assert!(r.body.contains("BEGIN:VEVENT") && r.body.contains("Sessionssalen") && !r.body.contains("Hemligsson"), "{}", r.body);
    assert_eq!(public.get(&format!("/moten/organ/{}", Uuid::new_v4())).await.status, 404);

    // OParl: system → body → meetings; the secret item is left out and "not found" by id,
    // exactly as an unknown id.
    let r = public.get("/api/v1/oparl/system").await;
    let system: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(system["type"], "https://schema.oparl.org/1.1/System");
    let bodies: serde_json::Value = serde_json::from_str(&public.get("/api/v1/oparl/body").await.body).expect("json");
    let body_url = bodies["data"][0]["id"].as_str().expect("body id").to_string();
    assert_eq!(body_url, format!("{SITE}/api/v1/oparl/body/{}", w.t.0));
    let path = |url: &str| url.trim_start_matches(SITE).to_string();
    let list: serde_json::Value = serde_json::from_str(&public.get(&format!("{}/meeting", path(&body_url))).await.body).expect("json");
    assert_eq!(list["pagination"]["totalElements"], 1);
    let agenda = list["data"][0]["agendaItem"].as_array().expect("items");
    assert_eq!(agenda.len(), 2, "{agenda:?}");
    assert!(agenda.iter().all(|i| !i.to_string().contains("Hemligsson") && !i.to_string().contains("Anna")));
    let orgs: serde_json::Value = serde_json::from_str(&public.get(&format!("{}/organization", path(&body_url))).await.body).expect("json");
    assert_eq!(orgs["data"][0]["shortName"], "KS");
    let papers: serde_json::Value = serde_json::from_str(&public.get(&format!("{}/paper", path(&body_url))).await.body).expect("json");
    assert_eq!(papers["data"].as_array().expect("papers").len(), 2);
    let ok = public.get(&format!("/api/v1/oparl/agendaItem/{plain_item}")).await;
    assert_eq!(ok.status, 200);
    for url in [
        format!("/api/v1/oparl/agendaItem/{secret_item}"),
        format!("/api/v1/oparl/paper/{secret_item}"),
        format!("/api/v1/oparl/agendaItem/{}", Uuid::new_v4()),
        format!("/api/v1/oparl/meeting/{}", Uuid::new_v4()),
        format!("/api/v1/oparl/body/{}", Uuid::new_v4()),
    ] {
        let r = public.get(&url).await;
        assert_eq!(r.status, 404, "{url}");
        let e: serde_json::Value = serde_json::from_str(&r.body).expect("json error");
        assert_eq!(e["error"]["code"], "PLT-001", "{url}");
        assert!(!r.body.contains("Hemligsson"));
    }
    let r = public.get(&format!("{}/meeting?page=0", path(&body_url))).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("\"code\""));

    // Held, decided, minutes drawn up and adjusted: the public minutes show the public
    // paragraphs with the vote, never the secret one.
    record::mark_held(&app.db, &w.admin, m, app.now()).await.expect("held");
    let [chair, vice, member] = [w.members[0], w.members[1], w.members[2]];
    record::set_attendance(&app.db, &w.admin, m, &[chair, vice, member], &[], app.now()).await.expect("attendance");
    record::decide(&app.db, &w.admin, person_item, "decided", "Anna Andersson beviljas bygglov.", app.now()).await.expect("decided");
    record::decide(&app.db, &w.admin, secret_item, "decided", "Hemligsson placeras.", app.now()).await.expect("decided");
    record::vote(&app.db, &w.admin, plain_item, &[(chair, Choice::Yes), (vice, Choice::Yes), (member, Choice::No)], app.now())
        .await
        .expect("vote");
    record::add_member_text(&app.db, &w.admin, plain_item, member, "reservation", "Till förmån för avslag.", app.now())
        .await
        .expect("reservation");
    record::decide(&app.db, &w.admin, plain_item, "decided", "Budgeten antas.", app.now()).await.expect("decided");
    minutes::draft(&app.db, &w.admin, m, &[member], app.now()).await.expect("minutes");
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let sha = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m").minutes_sha256.expect("sha");
    tx.commit().await.expect("commit");
    for e in [&w.emails[0], &w.emails[2]] {
        signing::adjust(&app.db, &app.staff(w.t, e).await, Signed::Minutes(m), &sha, app.now()).await.expect("adjusted");
    }
    let r = public.get(&format!("/moten/mote/{m}")).await;
    assert!(r.body.contains("KS § 3 Budget för cykelbanor") && r.body.contains("2 ja, 1 nej, 0 avstår"), "{}", r.body);
    assert!(r.body.contains("[Privatperson] beviljas bygglov.") && r.body.contains("Till förmån för avslag."), "{}", r.body);
    for leak in ["Anna", "Andersson", "Hemligsson", "KS § 2 "] {
        assert!(!r.body.contains(leak), "{leak} leaked: {}", r.body);
    }
    let a: serde_json::Value =
        serde_json::from_str(&public.get(&format!("/api/v1/oparl/agendaItem/{plain_item}")).await.body).expect("json");
    assert_eq!((a["number"].as_str(), a["result"].as_str()), (Some("KS § 3"), Some("beslutat")));
    assert_eq!(public.get(&format!("/api/v1/oparl/agendaItem/{secret_item}")).await.status, 404);

    // The archival originals are unchanged: the items and the signed minutes keep every name.
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let items = store::items(&mut tx, w.t, m).await.expect("items");
    let pdf = store::minutes_pdf(&mut tx, w.t, m).await.expect("pdf").expect("minutes");
    tx.commit().await.expect("commit");
    assert_eq!(items[0].decision, "Anna Andersson beviljas bygglov.");
    assert!(items[0].title.contains("Anna Andersson"));
    assert_eq!(items[1].decision, "Hemligsson placeras.");
    use sha2::Digest;
    assert_eq!(hex::encode(sha2::Sha256::digest(&pdf)), sha);
}

/// The public version of the agenda as PDF/A (issue 13 item 9): typeset from the data the
/// public page shows, without the secret item and with the private person's name and
/// personnummer masked, while the notice's frozen original keeps them; linked from the public
/// meeting page; not found before the notice.
#[tokio::test]
async fn the_public_agenda_pdf_is_typeset_from_the_masked_agenda() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let (person_case, person_rec) = case_with_memo(&app, &w, "Bygglov åt Anna Andersson 19850312-1234").await;
    let (secret_case, secret_rec) = case_with_memo(&app, &w, "Placering av barnet Hemligsson").await;
    let (plain_case, plain_rec) = case_with_memo(&app, &w, "Budget för cykelbanor").await;
    let party = NewParty::from_form("applicant", "Anna Andersson", "", "", app.now().date()).expect("party");
    let mut tx = app.db.write(Scope::Tenant(w.t)).await.expect("tx");
    intake::add_party_in(&mut tx, w.t, &By::System("test".into()), person_case, &party, app.now()).await.expect("party added");
    tx.commit().await.expect("commit");
    radhus_cases::service::mark_secrecy(&app.db, &w.admin, secret_rec, &["title".into()], "OSL 26 kap. 1 §", app.now())
        .await
        .expect("secret");
    let m = meeting(&app, &w, "2026-12-15").await;
    for (case, rec) in [(person_case, person_rec), (secret_case, secret_rec), (plain_case, plain_rec)] {
        let p = service::propose(&app.db, &w.admin, case, w.ks, rec, app.now()).await.expect("proposed");
        service::accept(&app.db, &w.admin, p, m, app.now()).await.expect("accepted");
    }
    let mut public = app.client("kil.localhost");
    assert_eq!(public.get(&format!("/moten/mote/{m}/kallelse.pdf")).await.status, 404, "not public before the notice");
    record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect("notice");

    let page = public.get(&format!("/moten/mote/{m}")).await.body;
    assert!(page.contains(&format!("<a href=\"/moten/mote/{m}/kallelse.pdf\">Föredragningslistan, offentlig version (PDF)</a>")), "{page}");
    let r = public.get(&format!("/moten/mote/{m}/kallelse.pdf")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    assert!(r.body.starts_with("%PDF"));

    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let mt = radhus_meetings::public::meeting(&mut tx, w.t, m).await.expect("published");
    let data = radhus_meetings::public::public_agenda_data(&mut tx, w.t, &mt).await.expect("data");
    let (_, original) = record::current_notice(&mut tx, w.t, m).await.expect("notice").expect("issued");
    tx.commit().await.expect("commit");
    let public_json = serde_json::to_string(&data).expect("json");
    assert_eq!(data.items.len(), 2, "the secret item is left out: {public_json}");
    assert_eq!(data.items[0].title, "Bygglov åt [Privatperson] [personnummer]");
    assert!(data.items[0].proposal.contains("[Privatperson] [personnummer]"), "{public_json}");
    assert_eq!((data.items[1].no, data.items[1].title.as_str()), (2, "Budget för cykelbanor"));
    for leak in ["Anna", "Andersson", "19850312-1234", "Hemligsson"] {
        assert!(!public_json.contains(leak), "{leak} in the public agenda: {public_json}");
    }
    let original_json = serde_json::to_string(&original).expect("json");
    for kept in ["Bygglov åt Anna Andersson 19850312-1234", "Placering av barnet Hemligsson"] {
        assert!(original_json.contains(kept), "{kept} kept in the original: {original_json}");
    }
}
