//! The municipality's own document templates (issue 13 item 10): the administrator sees the
//! shipped template, previews and saves an own one (checked with sample data first: a broken
//! one is refused at the field with the typesetter's message and not saved), the documents are
//! typeset from it, and it can be reset to the shipped one. Only the meetings administrator.

use radhus_meetings::templates::{self, Doc};
use radhus_meetings::{record, service};
use radhus_platform::db::Scope;
use radhus_platform::identity::permissions::Grants;

use super::{app, case_with_memo, code, meeting, world};

const SITE: &str = "http://kil.localhost";

#[tokio::test]
async fn the_administrator_previews_saves_and_resets_a_template() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let mut admin = app.login("kil", &w.admin.email).await;

    let list = admin.get("/admin/moten/mallar").await;
    assert_eq!(list.status, 200, "{}", list.body);
    for slug in ["kallelse", "foredragningslista", "protokoll", "utdrag", "anslag"] {
        assert!(list.body.contains(&format!("href=\"/admin/moten/mallar/{slug}\"")), "{slug}: {}", list.body);
    }
    assert!(list.body.contains("Tillkännagivande på anslagstavlan</a> (standardmall)"), "{}", list.body);
    assert!(admin.get("/admin/moten").await.body.contains("href=\"/admin/moten/mallar\""));

    let page = admin.get("/admin/moten/mallar/kallelse").await;
    assert!(page.body.contains("Kommunen använder Rådhus standardmall."), "{}", page.body);
    assert!(page.body.contains("kallas till sammanträde."), "the shipped source is in the field: {}", page.body);

    // A broken template: refused at the field with Typst's message, nothing saved.
    let broken = "#import \"common.typ\": data\n#data.committee\n#let x = (\n";
    let r = admin.post_form("/admin/moten/mallar/kallelse", &[("source", broken), ("action", "save")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#source\""), "{}", r.body);
    assert!(r.body.contains("aria-invalid=\"true\""), "{}", r.body);
    assert!(r.body.contains("aria-describedby=\"source-hint source-error\""), "{}", r.body);
    let message = r.body.split("id=\"source-error\">").nth(1).expect("the message at the field");
    assert!(message.starts_with("Mallen kunde inte användas och sparades inte. Rätta felet: rad 3:"), "{message}");
    assert!(r.body.contains("#let x = ("), "the posted source is kept: {}", r.body);
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    assert!(!templates::source(&mut tx, w.t, Doc::Notice).await.expect("source").1, "nothing saved");
    tx.commit().await.expect("commit");
    // The same in a preview.
    let r = admin.post_form("/admin/moten/mallar/kallelse", &[("source", broken), ("action", "preview")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Mallen kunde inte användas. Rätta felet: rad 3:"), "{}", r.body);
    // An empty template.
    let r = admin.post_form("/admin/moten/mallar/kallelse", &[("source", "  "), ("action", "save")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"source-error\">Klistra in mallens källtext."), "{}", r.body);

    // A preview of a working template is its sample PDF/A; nothing is saved.
    let own = Doc::Notice.default_source().replace("kallas till sammanträde.", "kallas härmed till sammanträde i Kil.");
    let r = admin.post_form("/admin/moten/mallar/kallelse", &[("source", own.as_str()), ("action", "preview")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    assert!(r.body.starts_with("%PDF"), "a PDF");
    assert!(admin.get("/admin/moten/mallar/kallelse").await.body.contains("Kommunen använder Rådhus standardmall."));

    // Saved, the page shows the own template and the shipped one beside it.
    let r = admin.post_form("/admin/moten/mallar/kallelse", &[("source", own.as_str()), ("action", "save")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some("/admin/moten/mallar/kallelse?klart=sparad"));
    let page = admin.get("/admin/moten/mallar/kallelse?klart=sparad").await.body;
    assert!(page.contains("Mallen är sparad."), "{page}");
    assert!(page.contains("Kommunen använder en egen mall."), "{page}");
    assert!(page.contains("kallas härmed till sammanträde i Kil."), "{page}");
    assert!(page.contains("<summary>Rådhus standardmall</summary>"), "{page}");
    assert!(admin.get("/admin/moten/mallar").await.body.contains("Kallelse och föredragningslista</a> (egen mall)"));

    // Reset: the shipped template again.
    let r = admin.post_form("/admin/moten/mallar/kallelse", &[("source", ""), ("action", "reset")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = admin.get("/admin/moten/mallar/kallelse?klart=aterstalld").await.body;
    assert!(page.contains("Kommunen använder Rådhus standardmall igen."), "{page}");
    assert!(page.contains("Kommunen använder Rådhus standardmall."), "{page}");

    // Only the meetings administrator; an unknown document is not found.
    let mut member = app.login("kil", &w.emails[2]).await;
    assert_eq!(member.get("/admin/moten/mallar").await.status, 403);
    assert_eq!(member.get("/admin/moten/mallar/kallelse").await.status, 403);
    assert_eq!(member.post_form("/admin/moten/mallar/kallelse", &[("source", own.as_str()), ("action", "save")]).await.status, 403);
    assert_eq!(admin.get("/admin/moten/mallar/okand").await.status, 404);
    let mut secretary_only = w.admin.clone();
    secretary_only.grants = Grants::default();
    let e =
        templates::save(&app.db, &secretary_only, Doc::Minutes, Some(Doc::Minutes.default_source()), app.now()).await.expect_err("refused");
    assert!(matches!(e, radhus_platform::error::Error::Forbidden), "{e:?}");
}

/// The documents are typeset from the municipality's own template: one that works with the
/// sample data but not with a real meeting's is used (the notice is refused with `MTG-024`, a
/// clear message, nothing changed), and after a reset the shipped one typesets the notice.
#[tokio::test]
async fn the_documents_are_typeset_from_the_own_template() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let (case, rec) = case_with_memo(&app, &w, "Budget").await;
    let m = meeting(&app, &w, "2026-12-15").await;
    let p = service::propose(&app.db, &w.admin, case, w.ks, rec, app.now()).await.expect("proposed");
    service::accept(&app.db, &w.admin, p, m, app.now()).await.expect("accepted");
    // Works with the sample data (held in Stadshuset), not in the real meeting's Sessionssalen.
    let own = format!("{}\n#if data.place == \"Sessionssalen\" {{ panic(\"fel plats\") }}\n", Doc::Notice.default_source());
    assert_eq!(templates::save(&app.db, &w.admin, Doc::Notice, Some(&own), app.now()).await.expect("saved"), Ok(()));
    let e = record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect_err("the own template is used");
    assert_eq!(code(&e), "MTG-024");
    let mut admin = app.login("kil", &w.admin.email).await;
    let r = admin.post_form(&format!("/admin/moten/mote/{m}/kallelse"), &[]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Kommunens egen mall för dokumentet kunde inte användas."), "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(w.t)).await.expect("tx");
    assert!(radhus_meetings::store::meeting(&mut tx, w.t, m).await.expect("m").expect("m").notice_issued_at.is_none(), "nothing changed");
    tx.commit().await.expect("commit");
    assert_eq!(templates::save(&app.db, &w.admin, Doc::Notice, None, app.now()).await.expect("reset"), Ok(()));
    record::issue_notice(&app.db, &w.admin, m, SITE, app.now()).await.expect("the shipped template");
}
