//! The pages: the secretary's forms answer bad input with the error summary, the member sees
//! their meetings, anyone reads the notice board; the case page offers the proposal.

use radhus_meetings::signing::{self, Signed};
use radhus_meetings::{record, service, store};
use radhus_platform::db::Scope;

use super::{app, case_with_memo, world};

#[tokio::test]
async fn the_secretarys_member_and_public_pages() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let (case, record_id) = case_with_memo(&app, &w, "Motion om cykelbanor").await;
    let mut admin = app.login("kil", &w.admin.email).await;
    // The case page offers the proposal to a committee; the proposal page lists the memo record.
    let r = admin.get(&format!("/admin/arenden/{case}")).await;
    assert!(r.body.contains(&format!("/admin/moten/forslag?arende={case}")), "{}", r.body);
    let r = admin.get(&format!("/admin/moten/forslag?arende={case}")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&record_id.to_string()));
    assert_eq!(admin.get("/admin/moten/forslag?arende=inte-ett-id").await.status, 404);
    let r = admin
        .post_form(
            "/admin/moten/forslag",
            &[("case_id", &case.to_string()), ("committee_id", &w.ks.to_string()), ("record_id", &record_id.to_string())],
        )
        .await;
    assert_eq!(r.status, 303);
    // A meeting with a bad date and no place: the form again with the errors, nothing created.
    let r = admin.post_form(&format!("/admin/moten/organ/{}/moten", w.ks), &[("date", "15/12"), ("time", "13"), ("place", "")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("ds-error-summary") && r.body.contains("href=\"#date\"") && r.body.contains("href=\"#place\""), "{}", r.body);
    assert!(r.body.contains("Skriv datumet som ÅÅÅÅ-MM-DD.") && r.body.contains("Skriv var sammanträdet hålls."), "{}", r.body);
    assert!(r.body.contains("aria-describedby=\"date-error\"") && r.body.contains("value=\"15/12\""), "the date kept: {}", r.body);
    let r = admin
        .post_form(&format!("/admin/moten/organ/{}/moten", w.ks), &[("date", "2026-12-15"), ("time", "13:00"), ("place", "Sessionssalen")])
        .await;
    assert_eq!(r.status, 303);
    let page = r.location().expect("location").to_string();
    let m: uuid::Uuid = page.rsplit('/').next().expect("id").parse().expect("uuid");
    let r = admin.get(&format!("/admin/moten/organ/{}", w.ks)).await;
    assert!(r.body.contains("Motion om cykelbanor") && r.body.contains("/godkann"), "waiting proposal shown");
    // A notice without items: the meeting page again with the message.
    let r = admin.post_form(&format!("/admin/moten/mote/{m}/kallelse"), &[]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("minst en punkt"), "{}", r.body);
    // The member sees the meeting among theirs, and its papers once the notice is issued.
    service::add_item(&app.db, &w.admin, m, "information", "Information om budgeten", app.now()).await.expect("item");
    record::issue_notice(&app.db, &w.admin, m, "http://kil.localhost", app.now()).await.expect("notice");
    let mut member = app.login("kil", &w.emails[2]).await;
    let r = member.get("/admin/moten").await;
    assert!(r.body.contains(&format!("/admin/moten/mote/{m}")), "{}", r.body);
    let r = member.get(&format!("/admin/moten/mote/{m}")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("kallelse.pdf") && !r.body.contains("/genomfort"));
    let r = member.get(&format!("/admin/moten/mote/{m}/kallelse.pdf")).await;
    assert_eq!(r.status, 200);
    let r = member.get(&format!("/admin/moten/mote/{m}/kalender.ics")).await;
    assert!(r.body.contains("BEGIN:VEVENT") && r.body.contains("Sessionssalen"));
    // The member cannot act as secretary.
    assert_eq!(member.post_form(&format!("/admin/moten/mote/{m}/genomfort"), &[]).await.status, 403);
    // Held, recorded, drawn up, adjusted by the chair and an adjuster through the pages.
    assert_eq!(admin.post_form(&format!("/admin/moten/mote/{m}/genomfort"), &[]).await.status, 303);
    let present: Vec<String> = w.members[..3].iter().map(|id| format!("present_{id}")).collect();
    let fields: Vec<(&str, &str)> = present.iter().map(|p| (p.as_str(), "1")).collect();
    assert_eq!(admin.post_form(&format!("/admin/moten/mote/{m}/narvaro"), &fields).await.status, 303);
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let item = store::items(&mut tx, w.t, m).await.expect("items")[0].id;
    tx.commit().await.expect("commit");
    let r = admin.post_form(&format!("/admin/moten/punkt/{item}"), &[("outcome", "decided"), ("decision", "")]).await;
    assert_eq!(r.status, 422);
    assert_eq!(admin.post_form(&format!("/admin/moten/punkt/{item}"), &[("outcome", "noted"), ("decision", "")]).await.status, 303);
    let vote = format!("vote_{}", w.members[3]);
    let r = admin.post_form(&format!("/admin/moten/punkt/{item}/omrostning"), &[(vote.as_str(), "yes")]).await;
    assert_eq!(r.status, 422, "an absent substitute cannot vote");
    let adj = w.members[2].to_string();
    assert_eq!(admin.post_form(&format!("/admin/moten/mote/{m}/protokoll"), &[("adjusters", adj.as_str())]).await.status, 303);
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let sha = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m").minutes_sha256.expect("sha");
    tx.commit().await.expect("commit");
    let mut chair = app.login("kil", &w.emails[0]).await;
    let page = chair.get(&format!("/admin/moten/mote/{m}")).await.body;
    assert!(page.contains("/justera"));
    // Plain language (issue 18 item 5): the checksum the adjusters sign sits behind a summary.
    let details = page.find("<summary>Kontrollsumma för granskning</summary>").expect("the checksum's summary");
    assert!(page.rfind(&format!("<code class=\"secret\">{sha}</code>")).expect("the checksum") > details, "{page}");
    assert!(!page.contains("Protokollets SHA-256"), "{page}");
    assert_eq!(chair.post_form(&format!("/admin/moten/mote/{m}/justera"), &[("sha256", &sha)]).await.status, 303);
    let adjuster = app.staff(w.t, &w.emails[2]).await;
    signing::adjust(&app.db, &adjuster, Signed::Minutes(m), &sha, app.now()).await.expect("adjusted");
    let r = member.post_form(&format!("/admin/moten/mote/{m}/justera"), &[("sha256", &sha)]).await;
    assert_eq!(r.status, 409, "adjusting twice");
    // The notice board on the municipality's host, for anyone.
    let r = app.client("kil.localhost").get("/anslagstavla").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Kommunstyrelsen") && r.body.contains("KS § 1"), "{}", r.body);
}
