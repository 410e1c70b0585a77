//! Broadcast messages that pause e-services, the retention of drafts with its deletion log,
//! and what e-services give the citizen's own pages (drafts across municipalities, the GDPR
//! part).

use radhus_eservices::{broadcast, citizen as mine, retention};
use radhus_kernel::Lang;
use radhus_kernel::Personnummer;

use super::*;

fn at(app: &TestApp, hours: i64) -> String {
    broadcast::local_value(app.now() + time::Duration::hours(hours))
}

#[tokio::test]
async fn the_operator_pauses_a_service_in_chosen_municipalities_with_a_broadcast() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut kil_admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let (arvika, _arvika_admin, _) = municipality(&app, "arvika", "Arvika", "1784").await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let draft = start(&mut c).await;
    let mut op = app.operator("lavin@radhus.se").await;
    assert_eq!(op.get("/admin/e-tjanster/delade/driftmeddelanden").await.status, 200);
    let kil_id = kil.0.to_string();
    let (starts, ends, before) = (at(&app, -1), at(&app, 2), at(&app, -2));

    // Bad input: an end before the start, a text over-long, no municipality, an unknown
    // service: every problem at its field, nothing written.
    let long = "x".repeat(broadcast::MAX_TEXT + 1);
    let r = op
        .post_form(
            "/admin/e-tjanster/delade/driftmeddelanden",
            &[("severity", "critical"), ("starts", &starts), ("ends", &before), ("text_sv", &long), ("services", "finns-inte")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // Each problem in the summary linked to its field, the message at the field.
    for (id, msg) in [
        ("es-bc-ends", "Välj en sluttid som är efter starttiden."),
        ("es-bc-text-sv", "Korta meddelandet. Det får vara högst 1000 tecken."),
        ("es-bc-municipalities", "Välj minst en kommun på plattformen."),
        ("es-bc-services", "Välj bara e-tjänster som kommunen har infört."),
    ] {
        assert!(r.body.contains(&format!("href=\"#{id}\"")), "{id}: {}", r.body);
        assert!(r.body.contains(&format!("id=\"{id}-error\">{msg}</p>")), "{id}: {}", r.body);
    }
    assert!(
        r.body.contains(&format!("id=\"es-bc-ends\" name=\"ends\" type=\"datetime-local\" value=\"{before}\" aria-invalid=\"true\" aria-describedby=\"es-bc-ends-error\"")),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("<fieldset class=\"ds-fieldset\" id=\"es-bc-municipalities\" aria-describedby=\"es-bc-municipalities-error\">"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("href=\"#es-bc-starts\"") && !r.body.contains("id=\"es-bc-text-en-error\""), "only the refused fields");
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_broadcast WHERE tenant_id = $1").await, 0);

    let fields = [
        ("severity", "critical"),
        ("starts", starts.as_str()),
        ("ends", ends.as_str()),
        ("text_sv", "Driftstopp i e-legitimeringen <b>just nu</b>."),
        ("text_en", "The e-ID service is down."),
        ("municipalities", kil_id.as_str()),
        ("services", "provtjanst"),
    ];
    let r = op.post_form("/admin/e-tjanster/delade/driftmeddelanden", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_broadcast_pause WHERE tenant_id = $1").await, 1);
    assert_eq!(count(&app, arvika, "SELECT COUNT(*) FROM es_broadcast WHERE tenant_id = $1").await, 0, "Arvika was not chosen");
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'es.broadcast.published'").await, 1);

    // Kil's catalogue and the service's page say why and until when; the text is escaped.
    let r = c.get("/e-tjanster").await;
    assert!(r.body.contains("Allvarlig störning") && r.body.contains("Driftstopp i e-legitimeringen &#60;b&#62;"), "{}", r.body);
    let r = c.get("/e-tjanster/provtjanst").await;
    assert!(r.body.contains("Gäller till") && r.body.contains("tillfälligt stängd") && !r.body.contains("/borja"), "{}", r.body);
    // Starting, saving and submitting are refused; the draft is kept.
    assert_eq!(c.post_form("/e-tjanster/provtjanst/borja", &[]).await.status, 409);
    let r = c.post_form(&step(draft, 0), &[("namn", "Astrid"), ("epost", "astrid@example.se"), ("typ", "a")]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("tillfälligt stängd"), "{}", r.body);
    let r = c.post_form(&format!("/e-tjanster/provtjanst/{draft}/skicka"), &[("sha256", "x")]).await;
    assert_eq!(r.status, 409);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_draft WHERE tenant_id = $1").await, 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1").await, 0);

    // Arvika's citizens are not disturbed.
    let mut a = citizen(&app, "arvika.localhost", ASTRID).await;
    assert!(!a.get("/e-tjanster").await.body.contains("Driftstopp"));
    assert_eq!(a.post_form("/e-tjanster/provtjanst/borja", &[]).await.status, 303);

    // The feeds: Atom and JSON, each municipality its own.
    let mut anon = app.client("kil.localhost");
    let r = anon.get("/e-tjanster/driftinformation.atom").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">") && r.body.contains("Driftstopp"), "{}", r.body);
    assert!(!r.body.contains("<b>just nu"), "escaped: {}", r.body);
    let r = anon.get("/api/v1/eservices/broadcasts").await;
    let json: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(json["broadcasts"][0]["severity"], "critical", "{json}");
    assert_eq!(json["broadcasts"][0]["current"], true);
    assert_eq!(json["broadcasts"][0]["paused_services"][0], "provtjanst");
    assert_eq!(json["broadcasts"][0]["text"]["en"], "The e-ID service is down.");
    let r = app.client("arvika.localhost").get("/api/v1/eservices/broadcasts").await;
    assert!(r.body.contains("\"broadcasts\":[]"), "{}", r.body);

    // The operator ends it before its window ends: Kil's service opens again at once.
    let id: Uuid = {
        let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
        let id = on_tx!(&mut tx, q => sqlx::query_scalar("SELECT id FROM es_broadcast WHERE tenant_id = $1")
            .bind(kil.0).fetch_one(q).await.expect("id"));
        tx.commit().await.expect("commit");
        id
    };
    let end = format!("/admin/e-tjanster/delade/driftmeddelanden/{id}/avsluta");
    assert!(op.get("/admin/e-tjanster/delade/driftmeddelanden").await.body.contains(&end), "the page offers it");
    // A municipality cannot end the operator's broadcast.
    assert_eq!(kil_admin.post_form(&format!("/admin/e-tjanster/driftmeddelanden/{id}/avsluta"), &[]).await.status, 404);
    let r = op.post_form(&end, &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'es.broadcast.ended'").await, 1);
    assert!(!c.get("/e-tjanster").await.body.contains("Driftstopp"), "no longer shown");
    assert_eq!(c.post_form("/e-tjanster/provtjanst/borja", &[]).await.status, 303, "the service is open again");
    assert!(!op.get("/admin/e-tjanster/delade/driftmeddelanden").await.body.contains(&end), "nothing left to end");
    assert_eq!(op.post_form(&end, &[]).await.status, 404, "ended already");

    // "Alla kommuner" is the first box of the municipalities' group: every municipality.
    let page = op.get("/admin/e-tjanster/delade/driftmeddelanden").await;
    assert!(page.body.contains("id=\"es-bc-municipalities-1\" name=\"municipalities\" value=\"alla\""), "{}", page.body);
    let (starts, ends) = (at(&app, 1), at(&app, 3));
    let fields = [
        ("severity", "info"),
        ("starts", starts.as_str()),
        ("ends", ends.as_str()),
        ("text_sv", "Underhåll i natt."),
        ("municipalities", "alla"),
    ];
    let r = op.post_form("/admin/e-tjanster/delade/driftmeddelanden", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(count(&app, arvika, "SELECT COUNT(*) FROM es_broadcast WHERE tenant_id = $1").await, 1, "Arvika too");
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_broadcast WHERE tenant_id = $1").await, 2);
}

#[tokio::test]
async fn a_municipality_broadcasts_its_own_pauses_only_its_own_services_and_ends_it() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    assert_eq!(admin.get("/admin/e-tjanster/driftmeddelanden").await.status, 200);
    // A municipality that has not adopted the service cannot pause it (Kil's is not its own).
    let (arvika, email) = app.tenant_with_admin("arvika", "Arvika", "1784").await;
    let mut other = app.login("arvika", &email).await;
    let (starts, ends) = (at(&app, -1), at(&app, 5));
    let fields = [
        ("severity", "warning"),
        ("starts", starts.as_str()),
        ("ends", ends.as_str()),
        ("text_sv", "Underhåll."),
        ("services", "provtjanst"),
    ];
    let r = other.post_form("/admin/e-tjanster/driftmeddelanden", &fields).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("kommunen har infört"), "{}", r.body);
    assert_eq!(count(&app, arvika, "SELECT COUNT(*) FROM es_broadcast WHERE tenant_id = $1").await, 0);
    // A citizen may not publish.
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let _ = c.post_form("/admin/e-tjanster/driftmeddelanden", &fields).await;
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_broadcast WHERE tenant_id = $1").await, 0);

    let r = admin.post_form("/admin/e-tjanster/driftmeddelanden", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(c.post_form("/e-tjanster/provtjanst/borja", &[]).await.status, 409);
    let id: Uuid = {
        let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
        let id = on_tx!(&mut tx, q => sqlx::query_scalar("SELECT id FROM es_broadcast WHERE tenant_id = $1").bind(kil.0).fetch_one(q).await.expect("id"));
        tx.commit().await.expect("commit");
        id
    };
    // Another municipality cannot end it.
    assert_eq!(other.post_form(&format!("/admin/e-tjanster/driftmeddelanden/{id}/avsluta"), &[]).await.status, 404);
    assert_eq!(c.post_form("/e-tjanster/provtjanst/borja", &[]).await.status, 409);
    let r = admin.post_form(&format!("/admin/e-tjanster/driftmeddelanden/{id}/avsluta"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(c.post_form("/e-tjanster/provtjanst/borja", &[]).await.status, 303, "open again");
}

#[tokio::test]
async fn a_citizen_subscribes_and_each_broadcast_is_taken_for_notice_once() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    assert!(c.get("/e-tjanster").await.body.contains("Få störningsinformation"));
    let r = c.post_form("/e-tjanster/storningsinformation", &[("on", "1")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(c.get("/e-tjanster").await.body.contains("Sluta få störningsinformation"));
    let (starts, ends) = (at(&app, -1), at(&app, 5));
    let fields = [("severity", "info"), ("starts", starts.as_str()), ("ends", ends.as_str()), ("text_sv", "Planerat underhåll.")];
    assert_eq!(admin.post_form("/admin/e-tjanster/driftmeddelanden", &fields).await.status, 303);
    let mut tx = app.db.write(Scope::System).await.expect("tx");
    let due = broadcast::take_unnotified(&mut tx, app.now()).await.expect("take");
    tx.commit().await.expect("commit");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].tenant_id, kil);
    assert_eq!(due[0].subscribers, vec![radhus_platform::pii::index(&ASTRID.parse::<Personnummer>().expect("pnr")).expect("index")]);
    let mut tx = app.db.write(Scope::System).await.expect("tx");
    assert!(broadcast::take_unnotified(&mut tx, app.now()).await.expect("take").is_empty(), "once");
    tx.commit().await.expect("commit");
    let r = c.post_form("/e-tjanster/storningsinformation", &[("on", "0")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_broadcast_subscription WHERE tenant_id = $1").await, 0);
}

#[tokio::test]
async fn expired_drafts_are_deleted_by_their_rule_and_logged_without_personal_data() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let draft = start(&mut c).await;
    let r = c.post_form(&step(draft, 0), &[("namn", "Astrid Lindqvist"), ("epost", "astrid@example.se"), ("typ", "a")]).await;
    assert_eq!(r.status, 303);

    // Bad input: no whole number of days in range; another municipality's service is not found.
    let r = admin.post_form("/admin/e-tjanster/gallring/provtjanst", &[("draft_days", "0")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    // The summary names the service and links to its field; only that field is marked.
    assert!(
        r.body.contains("href=\"#es-ret-provtjanst\">Ansökan om provtillstånd: Skriv antalet dagar som ett heltal från 1 till 3650.</a>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("id=\"es-ret-provtjanst\" name=\"draft_days\" type=\"text\" value=\"0\" inputmode=\"numeric\" aria-invalid=\"true\" aria-describedby=\"es-ret-provtjanst-hint es-ret-provtjanst-error\""),
        "{}",
        r.body
    );
    assert_eq!(r.body.matches("aria-invalid=\"true\"").count(), 1, "{}", r.body);
    assert_eq!(admin.post_form("/admin/e-tjanster/gallring/finns-inte", &[("draft_days", "5")]).await.status, 404);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_retention WHERE tenant_id = $1").await, 0);
    let r = admin.post_form("/admin/e-tjanster/gallring/provtjanst", &[("draft_days", "30")]).await;
    assert_eq!(r.status, 303, "{}", r.body);

    // Within the rule nothing goes; after it the draft goes with one line in the log.
    assert_eq!(retention::purge(&app.db, app.now() + time::Duration::days(29)).await.expect("purge"), 0);
    assert_eq!(retention::purge(&app.db, app.now() + time::Duration::days(31)).await.expect("purge"), 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_draft WHERE tenant_id = $1").await, 0);
    assert_eq!(retention::purge(&app.db, app.now() + time::Duration::days(32)).await.expect("purge"), 0, "once");
    let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
    let log = retention::log(&mut tx, kil, 10).await.expect("log");
    tx.commit().await.expect("commit");
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].item_id, log[0].service_key.as_str()), (draft, "provtjanst"));
    assert!(log[0].rule.contains("30 days") && log[0].rule.contains("municipality's setting"), "{}", log[0].rule);
    let line = serde_json::to_string(&log[0]).expect("json");
    assert!(!line.contains("Astrid") && !line.contains("19850315") && !line.contains("astrid@"), "{line}");
    let r = admin.get("/admin/e-tjanster/gallring").await;
    assert!(r.body.contains("Gallringslogg") && r.body.contains(&draft.to_string()), "{}", r.body);
    // The citizen starts afresh.
    assert_ne!(start(&mut c).await, draft);
}

#[tokio::test]
async fn the_citizens_drafts_in_every_municipality_and_their_part_of_the_data_download() {
    let app = app().await;
    publish(&app).await;
    let (kil, _, _) = municipality(&app, "kil", "Kil", "1715").await;
    let (arvika, _, _) = municipality(&app, "arvika", "Arvika", "1784").await;
    let mut k = citizen(&app, "kil.localhost", ASTRID).await;
    let d1 = start(&mut k).await;
    let r = k.post_form(&step(d1, 0), &[("namn", "Astrid Lindqvist"), ("epost", "astrid@example.se"), ("typ", "a")]).await;
    assert_eq!(r.status, 303);
    let mut a = citizen(&app, "arvika.localhost", ASTRID).await;
    start(&mut a).await;
    let mut e = citizen(&app, "kil.localhost", ERIK).await;
    start(&mut e).await;

    // One query in the citizen's scope: both of hers (row-level security on PostgreSQL lets it
    // read her drafts and nothing of Erik's), with the way back to each.
    let index = radhus_platform::pii::index(&ASTRID.parse::<Personnummer>().expect("pnr")).expect("index");
    let mut tx = app.db.read(Scope::citizen_from_hex(&index).expect("scope")).await.expect("tx");
    let all = mine::drafts_of(&mut tx, &index, None, Lang::Sv, |h| format!("http://{h}")).await.expect("drafts");
    let only_kil = mine::drafts_of(&mut tx, &index, Some(kil), Lang::Sv, |h| format!("http://{h}")).await.expect("drafts");
    tx.commit().await.expect("commit");
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all.iter().all(|d| d.title == "Ansökan om provtillstånd"));
    let mut ts: Vec<Uuid> = all.iter().map(|d| d.tenant_id).collect();
    ts.sort();
    let mut want = vec![kil.0, arvika.0];
    want.sort();
    assert_eq!(ts, want);
    assert!(all.iter().any(|d| d.resume_url == "http://kil.localhost/e-tjanster/provtjanst"), "{all:?}");
    assert_eq!(only_kil.len(), 1);

    // The GDPR part: her draft with its answers in Kil, nothing of Erik's.
    let pnr: Personnummer = ASTRID.parse().expect("pnr");
    let mut tx = app.db.write(Scope::Tenant(kil)).await.expect("tx");
    let part = (mine::PERSONAL_DATA.collect)(&mut tx, kil, &pnr).await.expect("collect").expect("some");
    tx.commit().await.expect("commit");
    assert_eq!(part["drafts"].as_array().map(Vec::len), Some(1), "{part}");
    assert!(part.to_string().contains("astrid@example.se"), "{part}");
    let nobody: Personnummer = "19900101-0017".parse().expect("pnr");
    let mut tx = app.db.write(Scope::Tenant(kil)).await.expect("tx");
    assert!((mine::PERSONAL_DATA.collect)(&mut tx, kil, &nobody).await.expect("collect").is_none());
    tx.commit().await.expect("commit");
}
