//! Supplementary notices (kompletterande kallelse): after the notice and before the meeting the
//! secretary adds, changes and withdraws items and issues a new version that shows what changed,
//! mailed to the members as the notice is; the public agenda is the issued one. And the bad
//! input: a supplement without changes, after the meeting is held, of a cancelled meeting.

use radhus_meetings::documents::AgendaChange;
use radhus_meetings::{public, record, service, store};
use radhus_platform::db::Scope;

use super::{app, case_with_memo, code, meeting, world};

const SITE: &str = "http://kil.localhost:3000";

/// The meeting, its items, its notices and the outbox: to show a refused change changed nothing.
async fn state_of(app: &radhus_testkit::TestApp, t: radhus_kernel::ids::TenantId, m: uuid::Uuid) -> String {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let meeting = store::meeting(&mut tx, t, m).await.expect("m");
    let items = store::items(&mut tx, t, m).await.expect("items");
    let notices = store::notices(&mut tx, t, m).await.expect("notices");
    let mails = radhus_platform::outbox::list(&mut tx, t, 100, 0).await.expect("outbox").len();
    tx.commit().await.expect("commit");
    format!("{meeting:?}{items:?}{notices:?}{mails}")
}

fn summary(changes: &[AgendaChange]) -> Vec<(String, String)> {
    changes.iter().map(|c| (c.change.clone(), c.title.clone())).collect()
}

#[tokio::test]
async fn a_supplementary_notice_shows_what_changed_and_reaches_the_members() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let (case_a, rec_a) = case_with_memo(&app, &w, "Motion om cykelbanor").await;
    let (case_b, rec_b) = case_with_memo(&app, &w, "Detaljplan för Norra hamnen").await;
    let m = meeting(&app, &w, "2026-12-15").await;
    let info = service::add_item(&app.db, &w.admin, m, "information", "Ekonomisk uppföljning", app.now()).await.expect("info");
    let p = service::propose(&app.db, &w.admin, case_a, w.ks, rec_a, app.now()).await.expect("proposed");
    let a = service::accept(&app.db, &w.admin, p, m, app.now()).await.expect("accepted");
    // Before the notice there is nothing to supplement.
    let e = record::issue_supplement(&app.db, &w.admin, m, SITE, app.now()).await.expect_err("no notice");
    assert_eq!(code(&e), "MTG-001");
    record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect("notice");

    // The same agenda again: refused, nothing written, no mail.
    let before = state_of(&app, w.t, m).await;
    let e = record::issue_supplement(&app.db, &w.admin, m, SITE, app.now()).await.expect_err("no changes");
    assert_eq!(code(&e), "MTG-020");
    assert_eq!(state_of(&app, w.t, m).await, before);

    // After the notice: one item added (from a proposal), one changed, one withdrawn.
    let p = service::propose(&app.db, &w.admin, case_b, w.ks, rec_b, app.now()).await.expect("proposed");
    let b = service::accept(&app.db, &w.admin, p, m, app.now()).await.expect("accepted after the notice");
    service::edit_item(&app.db, &w.admin, a, "Motion om cykelbanor längs Storgatan", "Kommunstyrelsen bifaller motionen.", app.now())
        .await
        .expect("changed");
    service::withdraw_item(&app.db, &w.admin, info, app.now()).await.expect("withdrawn");
    // Added and changed items are not public before the supplement is issued: the public
    // agenda is the notice's, less the item taken off (it is gone at once).
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let mt = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    let public_titles: Vec<String> = public::items(&mut tx, w.t, &mt).await.expect("public").into_iter().map(|i| i.title).collect();
    let pending = record::pending_changes(&mut tx, w.t, &mt).await.expect("pending");
    tx.commit().await.expect("commit");
    assert_eq!(public_titles, ["Motion om cykelbanor"]);
    assert_eq!(pending.len(), 3);

    assert_eq!(record::issue_supplement(&app.db, &w.admin, m, SITE, app.now()).await.expect("supplement"), 2);
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let notices = store::notices(&mut tx, w.t, m).await.expect("notices");
    let pdf = store::notice_version_pdf(&mut tx, w.t, m, 2).await.expect("pdf").expect("supplement pdf");
    let first = store::notice_version_pdf(&mut tx, w.t, m, 1).await.expect("pdf").expect("notice pdf");
    let current = store::notice_pdf(&mut tx, w.t, m).await.expect("pdf").expect("current");
    let mails = radhus_platform::outbox::list(&mut tx, w.t, 100, 0).await.expect("outbox");
    let mt = store::meeting(&mut tx, w.t, m).await.expect("m").expect("m");
    let public_items = public::items(&mut tx, w.t, &mt).await.expect("public");
    let supplements = public::supplements(&mut tx, w.t, m).await.expect("supplements");
    let proposals = store::waiting(&mut tx, w.t, w.ks).await.expect("waiting");
    tx.commit().await.expect("commit");
    assert_eq!(notices.iter().map(|n| n.version).collect::<Vec<_>>(), [1, 2]);
    let changes: Vec<AgendaChange> = serde_json::from_str(&notices[1].changes).expect("changes");
    assert_eq!(
        summary(&changes),
        [
            ("changed".to_string(), "Motion om cykelbanor längs Storgatan".to_string()),
            ("added".to_string(), "Detaljplan för Norra hamnen".to_string()),
            ("withdrawn".to_string(), "Ekonomisk uppföljning".to_string()),
        ]
    );
    assert_eq!(changes[0].what, "rubrik, förslag till beslut");
    assert_eq!(changes[1].item, Some(b));
    // The new version is a PDF of its own; the first stays as issued; the meeting's current
    // notice is the supplement.
    assert!(pdf.starts_with(b"%PDF") && pdf != first && current == pdf);
    // Every member and substitute is mailed the changes and the link.
    let sent: Vec<_> = mails.iter().filter(|o| o.subject.starts_with("Kompletterande kallelse: Kommunstyrelsen")).collect();
    assert_eq!(sent.len(), 4);
    assert!(sent.iter().all(|o| o.body.contains("Tillkommer: Detaljplan för Norra hamnen")
        && o.body.contains("Utgår: Ekonomisk uppföljning")
        && o.body.contains(&format!("{SITE}/admin/moten/mote/{m}"))));
    // The public agenda is now the supplement's, with the supplement counted and its items marked.
    assert_eq!(
        public_items.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(),
        ["Motion om cykelbanor längs Storgatan", "Detaljplan för Norra hamnen"]
    );
    assert_eq!((supplements.len(), supplements[0].added, supplements[0].withdrawn, supplements[0].changed), (1, 1, 1, 1));
    assert!(supplements[0].items.contains(&(b, "added".to_string())));
    // The withdrawn item came from no proposal; the accepted ones are not waiting.
    assert!(proposals.is_empty());

    // The public page marks the supplement.
    let page = app.client("kil.localhost").get(&format!("/moten/mote/{m}")).await;
    assert!(page.body.contains("Kompletterande kallelse"), "{}", page.body);
    assert!(page.body.contains("Tillkommit genom kompletterande kallelse"));
    assert!(page.body.contains("id=\"kallelse-2\""), "{}", page.body);

    // The committee's Atom feed has the supplement as an entry of its own, with its counts.
    let feed = app.client("kil.localhost").get(&format!("/moten/organ/{}/moten.atom", w.ks)).await;
    assert!(feed.body.contains("(kompletterande kallelse)</title>"), "{}", feed.body);
    assert!(feed.body.contains(&format!("/moten/mote/{m}#kallelse-2</id>")), "{}", feed.body);
    assert!(feed.body.contains("Tillkommer: 1, utgår: 1, ändras: 1 ärenden."), "{}", feed.body);

    // Once held: neither the agenda nor a supplement changes (nothing written).
    record::mark_held(&app.db, &w.admin, m, app.now()).await.expect("held");
    let before = state_of(&app, w.t, m).await;
    assert_eq!(code(&service::withdraw_item(&app.db, &w.admin, a, app.now()).await.expect_err("held")), "MTG-021");
    assert_eq!(code(&service::edit_item(&app.db, &w.admin, a, "Ny", "", app.now()).await.expect_err("held")), "MTG-021");
    let e = record::issue_supplement(&app.db, &w.admin, m, SITE, app.now()).await.expect_err("held");
    assert_eq!(code(&e), "MTG-021");
    assert_eq!(state_of(&app, w.t, m).await, before);
}

#[tokio::test]
async fn a_cancelled_meeting_gets_no_supplement_and_a_withdrawn_proposal_waits_again() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let (case, rec) = case_with_memo(&app, &w, "Motion om cykelbanor").await;
    let m = meeting(&app, &w, "2026-12-15").await;
    service::add_item(&app.db, &w.admin, m, "information", "Information", app.now()).await.expect("info");
    let p = service::propose(&app.db, &w.admin, case, w.ks, rec, app.now()).await.expect("proposed");
    let item = service::accept(&app.db, &w.admin, p, m, app.now()).await.expect("accepted");
    record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect("notice");
    // A member (not the secretary) may not change the agenda.
    let member = app.staff(w.t, &w.emails[2]).await;
    assert!(service::withdraw_item(&app.db, &member, item, app.now()).await.is_err());
    service::withdraw_item(&app.db, &w.admin, item, app.now()).await.expect("withdrawn");
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    let waiting = store::waiting(&mut tx, w.t, w.ks).await.expect("waiting");
    tx.commit().await.expect("commit");
    assert_eq!(waiting.iter().map(|p| p.id).collect::<Vec<_>>(), [p]);
    service::cancel(&app.db, &w.admin, m, "Inga beslutsärenden", app.now()).await.expect("cancelled");
    let before = state_of(&app, w.t, m).await;
    let e = record::issue_supplement(&app.db, &w.admin, m, SITE, app.now()).await.expect_err("cancelled");
    assert_eq!(code(&e), "MTG-003");
    let e = service::add_item(&app.db, &w.admin, m, "information", "Sent", app.now()).await.expect_err("cancelled");
    assert_eq!(code(&e), "MTG-003");
    assert_eq!(state_of(&app, w.t, m).await, before);
}
