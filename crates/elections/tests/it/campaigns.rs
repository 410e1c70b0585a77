//! SMS and e-mail campaigns: the filters, merge fields, the preview with those skipped, an
//! empty group refused with nothing stored, one outbox message per recipient, delivery status
//! from the outbox after the worker has run, and isolation between municipalities.

use radhus_elections::campaigns::{self, CampaignInput};
use radhus_elections::error::ElectionError;
use radhus_elections::structure::service::{self, DistrictInput, StationInput};
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::on_tx;
use radhus_platform::outbox::{self, Transports};
use radhus_testkit::TestApp;
use radhus_testkit::servers::SmsGatewayServer;

use super::reports::{applicant, enrol, place};

async fn count(app: &TestApp, t: TenantId, table: &str) -> i64 {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = $1");
    let (n,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(t.0).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    n
}

fn sms(body: &str) -> CampaignInput {
    CampaignInput { channel: "sms".into(), body: body.into(), ..Default::default() }
}

#[tokio::test]
async fn filters_preview_send_and_delivery() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(&app, &s).await;
    let norra = service::add_constituency(&app.db, &s, e, "Norra", app.now()).await.expect("valkrets");
    service::add_district(
        &app.db,
        &s,
        "1715",
        e,
        &DistrictInput { code: "17150002".into(), name: "Kil norra".into(), constituency: norra.to_string(), ..Default::default() },
        app.now(),
    )
    .await
    .expect("district");
    let st2 = service::add_station(
        &app.db,
        &s,
        e,
        &StationInput {
            kind: "vallokal".into(),
            name: "Norra skolan".into(),
            address: "Skolvägen 2, Kil".into(),
            lat: "59.52".into(),
            lon: "13.31".into(),
            district: "17150002".into(),
            premises: String::new(),
        },
        app.now(),
    )
    .await
    .expect("station");
    let anna = applicant(&app, &s, e, (1, "Anna", "Andersson"), ("070-111 11 11", "anna@example.se"), "accepted").await;
    let bo = applicant(&app, &s, e, (2, "Bo", "Berg"), ("070-222 22 22", ""), "accepted").await;
    let cilla = applicant(&app, &s, e, (3, "Cilla", "Ceder"), ("", "cilla@example.se"), "accepted").await;
    applicant(&app, &s, e, (4, "Dan", "Dahl"), ("070-444 44 44", "dan@example.se"), "received").await;
    let eva = applicant(&app, &s, e, (5, "Eva", "Ek"), ("+46 70 555 55 55", "eva@example.se"), "accepted").await;
    // Anna (ordförande) and Eva (vice) have the experience and the course their roles
    // require, so they can be appointed; Bo has the ordförande course but not the basic one.
    let f = super::fixtures(&app, &s);
    f.history(anna, 2022, "ordforande", "Kil").await;
    f.history(eva, 2022, "rostmottagare", "Kil").await;
    enrol(&app, &s, e, anna, "ordforande", true).await;
    enrol(&app, &s, e, eva, "ordforande", true).await;
    enrol(&app, &s, e, bo, "ordforande", true).await;
    place(&app, &s, e, (st, sh), anna, "ordforande", true).await;
    place(&app, &s, e, (st2, sh), bo, "rostmottagare", false).await;
    place(&app, &s, e, (st2, sh), cilla, "rostmottagare", false).await;
    place(&app, &s, e, (st, sh), eva, "vice", true).await;
    applicant(&app, &s, e, (6, "Fia", "Fors"), ("", "fia@example.se"), "reserve").await;
    // The applications' confirmation e-mails are in the outbox already.
    let confirmations = count(&app, t, "outbox").await;

    // Each filter picks its group (names of the group, recipients and skipped).
    let group = |f: CampaignInput| {
        let (app, s) = (&app, &s);
        async move {
            let p = campaigns::preview(&app.db, s, e, &f, app.now()).await.expect("preview");
            let mut names: Vec<String> =
                p.recipients.iter().map(|(x, _)| x.given_name.clone()).chain(p.skipped.iter().map(|x| x.given_name.clone())).collect();
            names.sort();
            (names, p.recipients.len(), p.skipped.len())
        }
    };
    assert_eq!(group(sms("Hej")).await.0, vec!["Anna", "Bo", "Cilla", "Dan", "Eva", "Fia"]);
    assert_eq!(group(CampaignInput { roles: vec!["rostmottagare".into()], ..sms("Hej") }).await, (vec!["Bo".into(), "Cilla".into()], 1, 1));
    assert_eq!(group(CampaignInput { roles: vec!["ordforande".into(), "vice".into()], ..sms("Hej") }).await.0, vec!["Anna", "Eva"]);
    assert_eq!(group(CampaignInput { constituency: norra.to_string(), ..sms("Hej") }).await.0, vec!["Bo", "Cilla"]);
    assert_eq!(group(CampaignInput { station: st.to_string(), ..sms("Hej") }).await.0, vec!["Anna", "Eva"]);
    assert_eq!(group(CampaignInput { status: "received".into(), ..sms("Hej") }).await.0, vec!["Dan"]);
    // Anna and Eva have the ordförande course their roles require; Bo's role needs the basic one.
    assert_eq!(group(CampaignInput { course: "completed".into(), ..sms("Hej") }).await.0, vec!["Anna", "Eva"]);
    assert_eq!(group(CampaignInput { course: "not_completed".into(), ..sms("Hej") }).await.0, vec!["Bo", "Cilla", "Dan", "Fia"]);
    assert_eq!(group(CampaignInput { placement: "not_placed".into(), ..sms("Hej") }).await.0, vec!["Dan", "Fia"]);
    assert_eq!(group(CampaignInput { appointed: "yes".into(), ..sms("Hej") }).await.0, vec!["Anna", "Eva"]);
    assert_eq!(group(CampaignInput { appointed: "no".into(), ..sms("Hej") }).await.0, vec!["Bo", "Cilla"]);
    assert_eq!(group(CampaignInput { appointed: "yes".into(), roles: vec!["vice".into()], ..sms("Hej") }).await.0, vec!["Eva"], "and");

    // Merge fields are filled in per recipient.
    let body = "Hej {fornamn} {efternamn}! Du är {roll} i {lokal}, {adress} ({distrikt}), pass {pass}, valdagen {valdag}.";
    let p = campaigns::preview(&app.db, &s, e, &CampaignInput { station: st2.to_string(), ..sms(body) }, app.now()).await.expect("preview");
    assert_eq!(
        p.first_body,
        "Hej Bo Berg! Du är röstmottagare i Norra skolan, Skolvägen 2, Kil (17150002 Kil norra), pass Hela dagen, söndag 8 september 07:30–21:00, valdagen 8 september 2030."
    );
    assert_eq!(p.skipped.iter().map(|x| x.given_name.as_str()).collect::<Vec<_>>(), vec!["Cilla"], "no phone number");

    let mut c = app.login("kil", &email).await;
    // The preview page shows the counts, who is skipped and the first message.
    let r = c
        .post_form(&format!("/admin/val/{e}/utskick/forhandsgranska"), &[("channel", "sms"), ("roles", "rostmottagare"), ("body", body)])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Hej Bo Berg!") && r.body.contains("Cilla Ceder") && r.body.contains("saknar ett mobilnummer"), "{}", r.body);
    // Bad input: unknown merge field, no channel, an e-mail without subject.
    let r = c.post_form(&format!("/admin/val/{e}/utskick/forhandsgranska"), &[("channel", "sms"), ("body", "Hej {namn}")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("okänt kopplingsfält"), "{}", r.body);
    assert!(
        r.body.contains(r##"<a class="ds-link" href="#body">Text: Använd bara de kopplingsfält som räknas upp vid fältet"##),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(
            r#"id="body" name="body" rows="6" aria-invalid="true" aria-describedby="body-hint body-error">Hej {namn}</textarea>"#
        ),
        "{}",
        r.body
    );
    let r = c.post_form(&format!("/admin/val/{e}/utskick"), &[("channel", "fax"), ("body", "Hej")]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(r##"href="#campaign_channel""##)
            && r.body.contains(r#"<fieldset class="ds-fieldset" id="campaign_channel" aria-describedby="campaign_channel-error">"#),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"id="campaign_channel-error">Välj om utskicket ska gå som sms eller e-post.</p>"#), "{}", r.body);
    assert!(r.body.contains(r#"name="channel" value="sms" aria-invalid="true">"#), "{}", r.body);
    let r = c.post_form(&format!("/admin/val/{e}/utskick"), &[("channel", "email"), ("body", "")]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(r##"<a class="ds-link" href="#subject">"##) && r.body.contains(r##"<a class="ds-link" href="#body">"##),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"id="subject-error">Skriv en ämnesrad: ett e-postmeddelande behöver ett ämne.</p>"#), "{}", r.body);
    assert!(r.body.contains(r#"id="body-error">Skriv meddelandets text.</p>"#), "{}", r.body);
    assert!(r.body.contains(r#"name="channel" value="email" checked>"#), "the channel is kept: {}", r.body);
    let r = c.post_form(&format!("/admin/val/{e}/utskick"), &[("channel", "sms"), ("station", "not-a-station"), ("body", "Hej")]).await;
    assert_eq!(r.status, 422);

    // An empty group is refused with its code and nothing is stored.
    let r = c.post_form(&format!("/admin/val/{e}/utskick"), &[("channel", "sms"), ("status", "withdrawn"), ("body", "Hej")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Ingen person uppfyller villkoren"), "{}", r.body);
    let err =
        campaigns::send(&app.db, &s, e, &CampaignInput { status: "withdrawn".into(), ..sms("Hej") }, app.now()).await.expect_err("empty");
    assert_eq!(err.code().code, ElectionError::EmptyGroup.code());
    // A group where nobody has an address on the channel is refused too.
    let err = campaigns::send(&app.db, &s, e, &CampaignInput { status: "reserve".into(), ..sms("Hej") }, app.now())
        .await
        .expect_err("unreachable");
    assert_eq!(err.code().code, ElectionError::NobodyReachable.code());
    assert_eq!(
        (count(&app, t, "el_campaign").await, count(&app, t, "el_campaign_message").await, count(&app, t, "outbox").await),
        (0, 0, confirmations)
    );

    // An e-mail campaign to the station of the district in Norra: Cilla (Bo has no e-mail).
    let id = campaigns::send(
        &app.db,
        &s,
        e,
        &CampaignInput {
            channel: "email".into(),
            subject: "Till {lokal}".into(),
            station: st2.to_string(),
            body: "Hej {fornamn}".into(),
            ..Default::default()
        },
        app.now(),
    )
    .await
    .expect("e-mail");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let d = campaigns::deliveries(&mut tx, t, e, id).await.expect("deliveries");
    tx.commit().await.expect("commit");
    assert_eq!(
        d.iter().map(|x| (x.given_name.as_str(), x.recipient.as_str(), x.status.as_str())).collect::<Vec<_>>(),
        vec![("Cilla", "cilla@example.se", "pending")]
    );

    // Sending through the page: one outbox message per recipient with the normalised number.
    let r = c
        .post_form(
            &format!("/admin/val/{e}/utskick"),
            &[("channel", "sms"), ("roles", "ordforande"), ("roles", "vice"), ("body", "Hej {fornamn}, vi ses i {lokal}.")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let loc = r.location().expect("location").to_string();
    let cid = uuid::Uuid::parse_str(loc.rsplit('/').next().expect("id")).expect("uuid");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let row = campaigns::campaign(&mut tx, t, e, cid).await.expect("campaign").expect("exists");
    let list = outbox::list(&mut tx, t, 50, 0).await.expect("outbox");
    tx.commit().await.expect("commit");
    assert_eq!(row.recipients, 2);
    assert_eq!(row.filter(), campaigns::Filter { roles: vec!["ordforande".into(), "vice".into()], ..Default::default() });
    assert!(row.filter.contains("\"roles\":[\"ordforande\",\"vice\"]"), "{}", row.filter);
    let mine: Vec<_> = list.iter().filter(|m| m.channel == "sms").collect();
    assert!(mine.iter().any(|m| m.recipient == "+46701111111" && m.body == "Hej Anna, vi ses i Kils församlingshem."));
    assert!(mine.iter().any(|m| m.recipient == "+46705555555" && m.body == "Hej Eva, vi ses i Kils församlingshem."));
    let page = c.get(&loc).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Roll: Ordförande eller Vice ordförande") && page.body.contains("I kö"), "{}", page.body);

    // The worker delivers: SMS through the gateway are sent; e-mail without a server fails.
    let gw = SmsGatewayServer::start().await;
    let mut cfg = app.state.config.clone();
    cfg.sms = radhus_platform::config::SmsConfig { url: gw.url.clone(), token: "t".into(), sender: "Kil".into() };
    let tr = Transports::from_config(&cfg, app.state.http.clone()).expect("transports");
    outbox::process_due(&app.db, &tr, app.now(), 1, 100).await.expect("deliver");
    assert_eq!(gw.received().len(), 2);
    let page = c.get(&loc).await;
    assert!(page.body.contains("Skickade") && page.body.contains("<td>Skickade</td>"), "{}", page.body);
    let list_page = c.get(&format!("/admin/val/{e}/utskick")).await;
    assert_eq!(list_page.status, 200);
    assert!(list_page.body.contains("Lokal: Norra skolan"), "the filter in words");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let all = campaigns::campaigns(&mut tx, t, e).await.expect("campaigns");
    tx.commit().await.expect("commit");
    let email_campaign = all.iter().find(|x| x.channel == "email" && x.failed > 0).expect("a failed e-mail campaign");
    let page = c.get(&format!("/admin/val/{e}/utskick/{}", email_campaign.id)).await;
    assert!(page.body.contains("Misslyckade") && page.body.contains("no SMTP server configured"), "{}", page.body);

    // The send form under a preview carries a one-time key: posting it twice sends once and
    // answers both times with the same campaign; a damaged key is refused.
    let form = [("channel", "sms"), ("roles", "ordforande"), ("body", "Påminnelse till {fornamn}")];
    let r = c.post_form(&format!("/admin/val/{e}/utskick/forhandsgranska"), &form).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let key = r.body.split(r#"name="submission" value=""#).nth(1).and_then(|x| x.split('"').next()).expect("submission key").to_string();
    let sending: Vec<(&str, &str)> = form.iter().copied().chain([("submission", key.as_str())]).collect();
    let (campaigns_before, outbox_before) = (count(&app, t, "el_campaign").await, count(&app, t, "outbox").await);
    let first = c.post_form(&format!("/admin/val/{e}/utskick"), &sending).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let again = c.post_form(&format!("/admin/val/{e}/utskick"), &sending).await;
    assert_eq!(again.status, 303, "{}", again.body);
    assert_eq!(first.location(), again.location());
    assert_eq!(count(&app, t, "el_campaign").await, campaigns_before + 1);
    assert_eq!(count(&app, t, "outbox").await, outbox_before + 1, "Anna is the one ordförande with a mobile number");
    let r = c.post_form(&format!("/admin/val/{e}/utskick"), &[("channel", "sms"), ("body", "Hej"), ("submission", "x")]).await;
    assert_eq!(r.status, 422, "{}", r.body);

    // Another municipality gets 404 and sends nothing.
    let (t2, _, other) = super::setup(&app, "arvika", "1784").await;
    let mut o = app.login("arvika", &other).await;
    assert_eq!(o.get(&format!("/admin/val/{e}/utskick")).await.status, 404);
    assert_eq!(o.get(&loc).await.status, 404);
    assert_eq!(o.post_form(&format!("/admin/val/{e}/utskick"), &[("channel", "sms"), ("body", "Hej")]).await.status, 404);
    assert_eq!(o.post_form(&format!("/admin/val/{e}/utskick/forhandsgranska"), &[("channel", "sms"), ("body", "Hej")]).await.status, 404);
    assert_eq!(count(&app, t2, "outbox").await, 0);
}
