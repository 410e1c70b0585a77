//! Cross-tenant isolation: an administrator of municipality B walks every registered route
//! (of every module, found through the route registry) with the ids of municipality A's
//! objects. Nothing of A may show, and nothing of A may change.

use radhus_platform::db::Scope;
use radhus_platform::identity::org::UnitKind;
use radhus_platform::on_tx;
use radhus_platform::outbox::{self, Channel, Message};
use radhus_testkit::schema::{ids, snapshot};
use radhus_testkit::{Client, TestApp};

/// Text that only A's private data contains.
const MARKER: &str = "HEMLIGT-ALFA";

/// The one table anybody's request may write for a municipality: posting its public forms (the
/// election application, the poll workers' e-mail login) counts attempts per client address
/// against the municipality's rate limit (`web::rate`, shared by every node). It holds a hash of
/// the address and a count, nothing of the municipality's data, and is never shown.
const RATE_WINDOW: &str = "rate_window";

pub(crate) async fn seed_alfa(app: &TestApp) -> (radhus_kernel::ids::TenantId, Client) {
    let (a, email) = app.tenant_with_admin("alfa", "Alfa", "9901").await;
    let email = email.as_str();
    let unit = app.unit(a, &format!("{MARKER} förvaltning"), UnitKind::Forvaltning, None).await;
    let sub = app.unit(a, &format!("{MARKER} avdelning"), UnitKind::Avdelning, Some(unit)).await;
    let role = app.role(a, &format!("{MARKER} roll"), &["admin.users"]).await;
    app.user(a, "anna@alfa.se", &format!("Anna {MARKER}"), Some(sub), Some((role, Some(unit)))).await;
    let mut c = app.login("alfa", email).await;
    let r =
        c.post_form("/admin/mallar/platform.account-created/sv", &[("subject", &format!("{MARKER} ämne")), ("body", "Hej {{name}}")]).await;
    assert_eq!(r.status, 303);
    // The municipality's own privacy notice (site_statement).
    let r = c.post_form("/admin/redogorelser/personuppgifter", &[("body", &format!("{MARKER} personuppgifter"))]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    // An integration token holding the role (its secret is shown once: a 200 page, no redirect).
    let role_id = role.to_string();
    let token_name = format!("{MARKER} integration");
    let r = c
        .post_form(
            "/admin/integrationer",
            &[("name", &token_name), ("roles", &role_id), ("org_unit_id", ""), ("expires_on", "2027-01-31"), ("rate_per_minute", "60")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Case management: a registry, a case with a party, a registered record with a document.
    let staff = {
        let mut tx = app.db.read(Scope::Tenant(a)).await.expect("tx");
        let (list, _) = radhus_platform::identity::users::list(&mut tx, a, None, 10, 0).await.expect("users");
        let id = list.into_iter().find(|u| u.email == email).expect("admin").id;
        radhus_platform::identity::users::staff_user(&mut tx, a, radhus_kernel::ids::UserId(id)).await.expect("staff").expect("active")
    };
    let reg =
        radhus_cases::service::create_registry(&app.db, &staff, "KS", &format!("{MARKER} diarium"), "", app.now()).await.expect("registry");
    // What the public diary shows by design carries a different word than the private data.
    let ct = radhus_cases::service::create_case_type(&app.db, &staff, "PUBLIKT-ALFA typ", reg, None, 30, app.now()).await.expect("type");
    let new_case = radhus_cases::service::NewCase {
        case_type: ct,
        title: format!("{MARKER} ärende"),
        public_title: "PUBLIKT-ALFA offentlig".into(),
        parties: vec![radhus_cases::parties::NewParty {
            role: radhus_cases::parties::PartyRole::Applicant,
            name: format!("{MARKER} sökande"),
            identity: radhus_cases::parties::Identity::Person("19811218-9876".parse().expect("pnr")),
            contact: String::new(),
        }],
        ..Default::default()
    };
    let (case, _) = radhus_cases::service::create_case(&app.db, &staff, &new_case, app.now()).await.expect("case");
    let rec = radhus_cases::service::NewRecord {
        kind: radhus_cases::domain::RecordKind::Inbound,
        title: "PUBLIKT-ALFA handling".into(),
        correspondent: format!("{MARKER} avsändare"),
        // A private person: the public diary does not publish the name.
        correspondent_is_person: true,
        document_date: None,
        received_on: None,
        memo_text: String::new(),
        register: true,
    };
    let record = radhus_cases::service::add_record(&app.db, &staff, case, &rec, app.now()).await.expect("record");
    radhus_cases::service::upload(
        &app.db,
        &staff,
        record,
        None,
        "main",
        "Bilaga",
        "a.pdf",
        "application/pdf",
        format!("%PDF {MARKER}").as_bytes(),
        app.now(),
    )
    .await
    .expect("upload");
    // Messages with the party (a message and an open completion request, each a record, read in
    // Mina ärenden) and the case type's own words for the citizen's phases.
    let today = radhus_kernel::tz::stockholm(app.now()).date();
    for (kind, due_on) in [
        (radhus_cases::messages::MessageKind::Message, None),
        (radhus_cases::messages::MessageKind::CompletionRequest, Some(today + time::Duration::days(14))),
    ] {
        let m = radhus_cases::messages::NewMessage { kind, body: format!("{MARKER} meddelande"), due_on };
        radhus_cases::messages::send(&app.db, &staff, case, &m, app.now()).await.expect("message");
    }
    let texts: Vec<_> = radhus_mycases::phase::Phase::ALL
        .into_iter()
        .map(|p| radhus_mycases::texts::PhaseText { text_sv: format!("{MARKER} fas"), ..radhus_mycases::texts::PhaseText::default_for(p) })
        .collect();
    radhus_mycases::texts::save(&app.db, &staff, ct, &texts, app.now()).await.expect("phase texts");
    // Committee administration: a committee with the admin as member and secretary, a meeting
    // with an agenda item; the marker in the names, the place and the item.
    {
        use radhus_meetings::service as mtg;
        let nc = mtg::NewCommittee {
            kind: "ks".into(),
            name: format!("{MARKER} styrelse"),
            code: "KS".into(),
            registry_id: Some(reg),
            seats: 3,
        };
        let ks = mtg::create_committee(&app.db, &staff, &nc, app.now()).await.expect("committee");
        mtg::set_access(&app.db, &staff, ks, staff.user_id.0, Some("secretary"), app.now()).await.expect("secretary");
        let member = mtg::NewMember {
            user_id: staff.user_id.0,
            role: "chair".into(),
            party: format!("{MARKER} parti"),
            callin_order: None,
            term_from: today,
            term_to: today + time::Duration::days(365),
        };
        let chair = mtg::add_member(&app.db, &staff, ks, &member, app.now()).await.expect("member");
        let member =
            mtg::add_member(&app.db, &staff, ks, &mtg::NewMember { role: "member".into(), ..member }, app.now()).await.expect("member");
        let nm = mtg::NewMeeting {
            date: (today + time::Duration::days(30)).to_string(),
            time: "13:00".into(),
            place: format!("{MARKER} sal"),
            public: false,
        };
        let meeting = mtg::create_meeting(&app.db, &staff, ks, &nm, app.now()).await.expect("meeting");
        let item = mtg::add_item(&app.db, &staff, meeting, "information", &format!("{MARKER} punkt"), app.now()).await.expect("item");
        let other = mtg::add_item(&app.db, &staff, meeting, "reported", &format!("{MARKER} anmälan"), app.now()).await.expect("item");
        // A proposal waiting on another meeting's committee: a decision record with a memo.
        let dec = radhus_cases::service::NewRecord {
            kind: radhus_cases::domain::RecordKind::Decision,
            title: format!("{MARKER} beslut"),
            correspondent: String::new(),
            correspondent_is_person: false,
            register: false,
            ..rec.clone()
        };
        let dec = radhus_cases::service::add_record(&app.db, &staff, case, &dec, app.now()).await.expect("decision");
        let text = radhus_cases::memo::MemoText { proposal: format!("{MARKER} förslag"), ..Default::default() };
        radhus_cases::memo::generate(&app.db, &staff, dec, &text, app.now()).await.expect("memo");
        mtg::propose(&app.db, &staff, case, ks, dec, app.now()).await.expect("proposal");
        // The meeting held and recorded, its minutes drawn up (paragraph numbers, adjusters).
        radhus_meetings::record::issue_notice(&app.db, &staff, meeting, "http://alfa.localhost", app.now()).await.expect("notice");
        radhus_meetings::record::mark_held(&app.db, &staff, meeting, app.now()).await.expect("held");
        radhus_meetings::record::set_attendance(&app.db, &staff, meeting, &[chair, member], &[], app.now()).await.expect("attendance");
        radhus_meetings::record::add_conflict(&app.db, &staff, other, member, &format!("{MARKER} jäv"), app.now()).await.expect("jäv");
        radhus_meetings::record::add_member_text(&app.db, &staff, item, chair, "motion", &format!("{MARKER} yrkande"), app.now())
            .await
            .expect("motion");
        radhus_meetings::record::vote(
            &app.db,
            &staff,
            item,
            &[(chair, radhus_meetings::core::Choice::Yes), (member, radhus_meetings::core::Choice::No)],
            app.now(),
        )
        .await
        .expect("vote");
        radhus_meetings::record::add_member_text(&app.db, &staff, item, member, "reservation", &format!("{MARKER} reservation"), app.now())
            .await
            .expect("reservation");
        for i in [item, other] {
            radhus_meetings::record::decide(&app.db, &staff, i, "decided", &format!("{MARKER} beslut"), app.now()).await.expect("decided");
        }
        // One paragraph adjusted immediately by the chair (its own minutes and adjusters).
        radhus_meetings::immediate::prepare(&app.db, &staff, item, &[member], app.now()).await.expect("immediate");
        let mut tx = app.db.read(Scope::Tenant(a)).await.expect("tx");
        let sha = radhus_meetings::store::immediate(&mut tx, a, item).await.expect("read").and_then(|x| x.sha256).expect("sha");
        tx.commit().await.expect("commit");
        radhus_meetings::immediate::adjust(&app.db, &staff, item, &sha, app.now()).await.expect("adjusted immediately");
        radhus_meetings::minutes::draft(&app.db, &staff, meeting, &[member], app.now()).await.expect("minutes");
    }
    // E-services: a service adopted with A's own FAQ item, a citizen's draft and a submission.
    seed_eservices(app, a, &staff, ct).await;
    // Election administration: A's own settings (B's requests must not change them).
    let el_settings =
        radhus_elections::settings::SettingsInput { min_age: "17".into(), train_after_placement: Some("on".into()), ..Default::default() };
    radhus_elections::settings::save(&app.db, &staff, &el_settings, app.now()).await.expect("election settings");
    // eBlomlåda: a submitted assessment that is not public, the marker in its comments and actions.
    let m = radhus_maturity::service::start(&app.db, &staff, 2025, Some("2017"), app.now()).await.expect("assessment");
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    let cat = radhus_maturity::store::catalogue(&mut tx, "2017").await.expect("q").expect("catalogue");
    tx.commit().await.expect("commit");
    for area in &cat.areas {
        let inputs: Vec<_> = cat
            .indicators_of(&area.key)
            .map(|i| radhus_maturity::service::AnswerInput {
                indicator_id: i.id.clone(),
                level: "2".into(),
                comment: format!("{MARKER} kommentar"),
                planned_action: format!("{MARKER} åtgärd"),
                ..Default::default()
            })
            .collect();
        radhus_maturity::service::save_area(&app.db, &staff, m, &area.key, &inputs, app.now()).await.expect("answers");
    }
    radhus_maturity::service::submit(&app.db, &staff, m, app.now()).await.expect("submit");
    let mut tx = app.db.write(Scope::Tenant(a)).await.expect("tx");
    outbox::enqueue(&mut tx, a, &Message { channel: Channel::Sms, recipient: "0701234567", subject: "", body: MARKER }, app.now())
        .await
        .expect("outbox");
    tx.commit().await.expect("commit");
    (a, c)
}

/// E-services of A: the adoption's FAQ item, the draft and the submission carry the marker.
async fn seed_eservices(
    app: &TestApp,
    a: radhus_kernel::ids::TenantId,
    staff: &radhus_platform::identity::session::StaffUser,
    ct: uuid::Uuid,
) {
    use radhus_eservices::catalogue;
    use radhus_eservices::citizen::Citizen;
    use radhus_eservices::service::{self, AdoptInput};
    let def = radhus_eservices::form::parse(
        r#"{"key": "isolering", "version": 1, "title": "Provtjänst", "summary": "Prov.", "fee": {"amount": 500},
            "steps": [{"id": "a", "title": "Steg", "fields": [{"id": "text", "kind": "text", "label": "Text", "required": true}]}]}"#,
    )
    .expect("definition");
    let mut tx = app.db.write(Scope::Platform).await.expect("tx");
    catalogue::publish(&mut tx, &def, "Operatör", app.now()).await.expect("publish");
    tx.commit().await.expect("commit");
    // The public diary names a case's unit by design: the receiving unit carries the public word.
    let unit = app.unit(a, "PUBLIKT-ALFA mottagning", UnitKind::Forvaltning, None).await;
    radhus_cases::service::set_routing(&app.db, staff, ct, Some(unit.0), None, app.now()).await.expect("routing");
    let faq = serde_json::json!({ "faq": [{ "id": "alfa", "question": format!("{MARKER} fråga"), "answer": format!("{MARKER} svar") }] });
    let input = AdoptInput {
        overrides: faq.to_string(),
        case_type: ct.to_string(),
        public_title: "PUBLIKT-ALFA e-tjänst".into(),
        secrecy_ground: String::new(),
        status: "published".into(),
        register_on: String::new(),
    };
    let who = |n: &str, name: &str| Citizen::new(n.parse().expect("pnr"), name.into(), "test-eid".into()).expect("citizen");
    let mut tx = app.db.write(Scope::Tenant(a)).await.expect("tx");
    service::adopt(&mut tx, a, "isolering", &input, &radhus_platform::audit::Actor::staff(staff), app.now()).await.expect("adopt");
    // A's webhook (es_webhook; its URL carries the marker) gets the submission below
    // (es_webhook_delivery) and is tried once at the end (es_webhook_attempt: port 9 on this
    // machine refuses the connection at once).
    let hook = radhus_eservices::webhook::WebhookInput {
        url: format!("http://127.0.0.1:9/{MARKER}"),
        events: vec!["submission.received".into()],
        status: "active".into(),
    };
    radhus_eservices::webhook::create(&mut tx, a, &hook, &radhus_platform::audit::Actor::staff(staff), app.now()).await.expect("webhook");
    // One citizen's draft stays a draft; another's is submitted.
    let today = app.now().date();
    for (pnr, submit) in [("19811218-9876", false), ("19850315-2384", true)] {
        let c = who(pnr, &format!("{MARKER} medborgare"));
        let (draft, _) = service::start(&mut tx, a, &c, "isolering", app.now()).await.expect("draft");
        let mut o = service::open(&mut tx, a, &c, "isolering", draft).await.expect("open");
        // Whom it concerns, stored with the draft and then the submission (es_on_behalf).
        let me = radhus_eservices::on_behalf::Choice { vem: "self".into(), ..Default::default() };
        radhus_eservices::on_behalf::choose(&mut tx, a, &c, &mut o, &me, app.now()).await.expect("subject");
        let pairs = [("text".to_string(), format!("{MARKER} svar"))];
        service::save_step(&mut tx, a, &mut o, 0, (&pairs, &[]), today, app.now()).await.expect("step");
        if submit {
            let o = service::open(&mut tx, a, &c, "isolering", draft).await.expect("open");
            let sha = service::content_hash("isolering", o.draft.revision, &o.answers).expect("sha");
            let s = service::submit(&mut tx, a, &c, ("isolering", draft), &sha, |id| id.to_string(), app.now()).await.expect("submit");
            // The fee waits for payment; an attempt begun with the test provider (es_payment).
            use radhus_eservices::payment::{self, PaymentProvider, PaymentRequest, TestProvider};
            let id = uuid::Uuid::now_v7();
            let req = PaymentRequest { payment: id, amount: 500, description: "Prov".into(), return_url: "/".into() };
            let started = TestProvider.start(&req).await.expect("start");
            payment::record_start(&mut tx, a, &c, (s.submission, id, 500), &TestProvider, &started, app.now()).await.expect("payment");
            // The citizen's answer to the satisfaction question (es_satisfaction).
            radhus_eservices::stats::rate(&mut tx, a, &c, s.submission, "4", app.now()).await.expect("rating");
        }
    }
    // A broadcast of A's own that will pause the service tomorrow (its text is public, shown on
    // A's catalogue: no marker), a citizen who asked for A's broadcasts (es_broadcast_pause,
    // es_broadcast_subscription).
    use radhus_eservices::{broadcast, retention};
    let local = |h: i64| broadcast::local_value(app.now() + time::Duration::hours(h));
    let f = broadcast::BroadcastInput {
        severity: "warning".into(),
        starts: local(24),
        ends: local(30),
        text_sv: "PUBLIKT-ALFA underhåll".into(),
        services: vec!["isolering".into()],
        ..Default::default()
    };
    let actor = radhus_platform::audit::Actor::staff(staff);
    broadcast::publish_local(&mut tx, a, &f, &actor, app.now()).await.expect("broadcast");
    broadcast::subscribe(&mut tx, a, &who("19811218-9876", &format!("{MARKER} medborgare")), true, app.now()).await.expect("subscribe");
    // A's own retention of drafts (es_retention), and a third citizen's draft left long ago.
    retention::set_draft_days(&mut tx, a, "isolering", "30", &actor, app.now()).await.expect("retention");
    // A's own e-service, built in the form builder (es_adoption with origin 'own'); its draft
    // definition carries the marker.
    let own = radhus_eservices::builder::NewService {
        key: "alfa-egen".into(),
        title: format!("{MARKER} egen e-tjänst"),
        summary: "Prov.".into(),
        case_type: ct.to_string(),
        public_title: "PUBLIKT-ALFA egen".into(),
    };
    radhus_eservices::builder::create(&mut tx, a, &own, &actor, app.now()).await.expect("own e-service");
    let old = who("19900101-0017", &format!("{MARKER} glömsk"));
    let (forgotten, _) = service::start(&mut tx, a, &old, "isolering", app.now()).await.expect("draft");
    tx.commit().await.expect("commit");
    let mut tx = app.db.write(Scope::System).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query("UPDATE es_draft SET updated_at = $1 WHERE id = $2")
        .bind(app.now() - time::Duration::days(40)).bind(forgotten).execute(c).await.expect("age").rows_affected());
    tx.commit().await.expect("commit");
    // The daily job deletes it with a line in the deletion log (es_deletion_log).
    assert_eq!(retention::purge(&app.db, app.now()).await.expect("purge"), 1);
    assert_eq!(radhus_eservices::webhook::deliver_due(&app.db, app.now(), 8).await.expect("webhook delivery"), 1);
}

pub(crate) fn fill(path: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map(|e| start + e).unwrap_or(rest.len() - 1);
        let name = &rest[start + 1..end];
        out.push_str(match name {
            "key" => "platform.account-created",
            "lang" => "sv",
            _ => value,
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Routes whose purpose is to end or replace the caller's own session.
const SESSION_ROUTES: &[&str] = &["/logga-ut", "/logga-in", "/logga-in/totp", "/e-legitimation/test"];

#[tokio::test]
async fn a_user_of_one_municipality_never_sees_or_changes_another_municipalitys_data() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (a, _alfa_admin) = seed_alfa(&app).await;
    let (b, beta_email) = app.tenant_with_admin("beta", "Beta", "9902").await;
    let beta = app.login("beta", &beta_email).await;

    let mut tx = app.db.read(Scope::System).await.expect("tx");
    let a_ids = ids(&mut tx, a, 2).await;
    let before = snapshot(&mut tx, a).await;
    tx.commit().await.expect("commit");
    assert!(a_ids.len() >= 8, "too few of A's objects to probe with: {a_ids:?}");
    let id_strings: Vec<String> = a_ids.iter().map(|(_, id)| id.to_string()).collect();

    let routes = app.state.routes.clone();
    assert!(routes.len() >= 30, "the route registry lists only {} routes", routes.len());
    let mut requests = 0;
    let mut requested: Vec<String> = vec![];
    for route in &routes {
        if SESSION_ROUTES.contains(&route.path) {
            continue;
        }
        let candidates: Vec<String> = if route.path.contains('{') { id_strings.clone() } else { vec![String::new()] };
        for id in &candidates {
            let path = fill(route.path, id);
            for host in ["beta.localhost", "alfa.localhost"] {
                // A fresh client with B's cookies each time, so no request changes the next.
                let mut c = app.client(host);
                c.cookies = beta.cookies.clone();
                let r = if route.method == axum::http::Method::GET {
                    c.get(&path).await
                } else {
                    let fields: Vec<(&str, &str)> = vec![
                        ("name", "Inbrott"),
                        ("email", "inbrott@beta.se"),
                        ("kind", "forvaltning"),
                        ("parent_id", id),
                        ("org_unit_id", id),
                        ("role_id", id),
                        ("subject", "Inbrott"),
                        ("body", "Inbrott"),
                        ("active", "on"),
                        ("permissions", "admin.users"),
                        ("password", "ett långt lösenord"),
                        ("password_repeat", "ett långt lösenord"),
                        ("current", radhus_testkit::PASSWORD),
                        ("kommunkod", "9901"),
                        ("slug", "alfa"),
                        ("primary_color", "#005a9c"),
                        ("hosts", "alfa.localhost"),
                        ("issuer_url", "https://idp.example"),
                        ("client_id", "x"),
                        ("client_secret", "y"),
                    ];
                    c.post_form(&path, &fields).await
                };
                requests += 1;
                assert!(r.status < 500, "{} {path} on {host}: {} {}", route.method, r.status, r.body);
                // On A's host, what A publishes (its meetings' agendas on /moten) is shown to
                // anyone: B's session may see there exactly what an anonymous visitor sees.
                let public = host == "alfa.localhost"
                    && route.method == axum::http::Method::GET
                    && r.body.contains(MARKER)
                    && app.client(host).get(&path).await.body.contains(MARKER);
                assert!(public || !r.body.contains(MARKER), "{} {path} on {host} shows A's private data:\n{}", route.method, r.body);
                // On A's host B is a visitor: A's public diary rightly shows A's public ids there.
                if host == "alfa.localhost" {
                    continue;
                }
                // Pages may repeat addresses B itself asked for (the language link, B's own
                // audit log of its denied attempts); that is not a leak.
                if !id.is_empty() {
                    requested.push(path.clone());
                }
                let body = r.body.replace(&path, "");
                // Taking every address asked for out of every page made this test quadratic (15
                // minutes): only a page that still shows one of A's ids needs it.
                if !id_strings.iter().any(|s| body.contains(s.as_str())) {
                    continue;
                }
                requested.sort_by_key(|p| std::cmp::Reverse(p.len()));
                let body = requested.iter().fold(body, |b, p| b.replace(p.as_str(), ""));
                for s in &id_strings {
                    assert!(
                        !body.contains(s.as_str()),
                        "{} {path} on {host} shows A's id {s}: {}",
                        route.method,
                        body.find(s.as_str()).map(|i| &body[i.saturating_sub(300)..(i + 100).min(body.len())]).unwrap_or("")
                    );
                }
            }
        }
    }
    assert!(requests > 200, "only {requests} requests made");

    let mut tx = app.db.read(Scope::System).await.expect("tx");
    let after = snapshot(&mut tx, a).await;
    tx.commit().await.expect("commit");
    for ((table, x), (_, y)) in before.iter().zip(after.iter()) {
        if table != RATE_WINDOW {
            assert_eq!(x, y, "A's table {table} changed during B's requests");
        }
    }
    // B's attempts at A's objects are in B's audit log.
    let mut tx = app.db.read(Scope::Tenant(b)).await.expect("tx");
    let (denied,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'access.not_found'").bind(b.0).fetch_one(c).await.expect("count"));
    assert!(denied > 10, "only {denied} denied accesses logged");
}

#[tokio::test]
async fn a_session_is_only_valid_on_its_own_municipalitys_host() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    app.tenant_with_admin("alfa", "Alfa", "9901").await;
    let (_, beta_email) = app.tenant_with_admin("beta", "Beta", "9902").await;
    let beta = app.login("beta", &beta_email).await;
    let mut on_alfa = app.client("alfa.localhost");
    on_alfa.cookies = beta.cookies.clone();
    assert_eq!(on_alfa.get("/admin/anvandare").await.status, 303, "sent to log in: the session is not Alfa's");
    assert_eq!(on_alfa.get("/api/v1/me").await.json()["kind"], "anonymous");
    let mut on_platform = app.client("localhost");
    on_platform.cookies = beta.cookies.clone();
    assert_eq!(on_platform.get("/admin").await.status, 303);
}

const ASTRID: &str = "19850315-2384";
const ERIK: &str = "19720901-4419";

/// A case of `pnr`'s, registered through intake (as an e-service does) in municipality `t`,
/// with a title only its owner and the municipality's staff may see. Returns the ids of the
/// case, its record and the record's document version.
async fn citizens_case(app: &TestApp, t: radhus_kernel::ids::TenantId, ct: uuid::Uuid, pnr: &str, title: &str) -> Vec<String> {
    use radhus_cases::intake::{self, By, Document, Inbound, Submission};
    use radhus_cases::parties::{Identity, NewParty, PartyRole};
    let person: radhus_kernel::Personnummer = pnr.parse().expect("pnr");
    let s = Submission {
        case_type: ct,
        title: title.into(),
        public_title: "Ansökan via e-tjänst".into(),
        parties: vec![NewParty {
            role: PartyRole::Applicant,
            name: title.into(),
            identity: Identity::Person(person),
            contact: String::new(),
        }],
        record: Inbound {
            // The record's title is public (the diary shows it); the sender, a person, is not.
            title: "Ansökan".into(),
            correspondent: title.into(),
            correspondent_is_person: true,
            received_on: None,
            secrecy: None,
            documents: vec![Document {
                main: true,
                title: title.into(),
                filename: "a.pdf".into(),
                bytes: format!("%PDF {title}").into_bytes(),
            }],
        },
    };
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let r = intake::open_case_in(&mut tx, t, &By::Citizen { pnr: person, name: title.into() }, &s, app.now()).await.expect("intake");
    let (version,): (uuid::Uuid,) = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT v.id FROM document_version v JOIN document d ON d.tenant_id = v.tenant_id AND d.id = v.document_id WHERE v.tenant_id = $1 AND d.record_id = $2")
        .bind(t.0).bind(r.record_id).fetch_one(c).await.expect("version"));
    tx.commit().await.expect("commit");
    vec![r.case_id.to_string(), r.record_id.to_string(), version.to_string()]
}

/// A municipality's case type routed to a unit, for intake.
async fn routed_type(app: &TestApp, t: radhus_kernel::ids::TenantId, email: &str) -> uuid::Uuid {
    let staff = app.staff(t, email).await;
    let reg = radhus_cases::service::create_registry(&app.db, &staff, "EX", "E-tjänster", "", app.now()).await.expect("registry");
    let ct = radhus_cases::service::create_case_type(&app.db, &staff, "Ansökan", reg, None, 30, app.now()).await.expect("type");
    let unit = app.unit(t, "Mottagningen", UnitKind::Forvaltning, None).await;
    radhus_cases::service::set_routing(&app.db, &staff, ct, Some(unit.0), None, app.now()).await.expect("routing");
    ct
}

#[tokio::test]
async fn a_citizen_never_sees_another_citizens_cases_on_any_host() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (a, alfa_email) = app.tenant_with_admin("alfa", "Alfa", "9901").await;
    let (b, beta_email) = app.tenant_with_admin("beta", "Beta", "9902").await;
    // Two citizens with a case in each of two municipalities.
    let mut eriks = vec![];
    for (t, email, slug) in [(a, &alfa_email, "ALFA"), (b, &beta_email, "BETA")] {
        let ct = routed_type(&app, t, email).await;
        citizens_case(&app, t, ct, ASTRID, &format!("ASTRIDS-{slug}")).await;
        eriks.extend(citizens_case(&app, t, ct, ERIK, &format!("ERIKS-{slug}")).await);
    }
    let mut tx = app.db.read(Scope::System).await.expect("tx");
    let before = (snapshot(&mut tx, a).await, snapshot(&mut tx, b).await);
    tx.commit().await.expect("commit");

    let routes = app.state.routes.clone();
    let mut requests = 0;
    for host in ["alfa.localhost", "beta.localhost", "localhost"] {
        // Astrid logs in with the test e-ID on this host.
        let mut astrid = app.client(host);
        let r = astrid.post_form("/e-legitimation/test", &[("person", ASTRID)]).await;
        assert_eq!(r.status, 303, "test e-ID on {host}: {}", r.body);
        for route in &routes {
            if SESSION_ROUTES.contains(&route.path) {
                continue;
            }
            let candidates: Vec<String> = if route.path.contains('{') { eriks.clone() } else { vec![String::new()] };
            for id in &candidates {
                // A municipality in the path is the one of Erik's first case (Alfa).
                let path = fill(&route.path.replace("{kommun}", &a.0.to_string()), id);
                let mut c = app.client(host);
                c.cookies = astrid.cookies.clone();
                let r = if route.method == axum::http::Method::GET {
                    c.get(&path).await
                } else {
                    c.post_form(&path, &[("text", "Inbrott"), ("name", "Inbrott"), ("email", "astrid@example.se"), ("phone", "0701234567")])
                        .await
                };
                requests += 1;
                assert!(r.status < 500, "{} {path} on {host}: {} {}", route.method, r.status, r.body);
                assert!(!r.body.contains("ERIKS-"), "{} {path} on {host} shows Erik's case to Astrid:\n{}", route.method, r.body);
                // The public diary shows every municipality's public case and record ids by law.
                let body = if path.starts_with("/diarium") || path.starts_with("/api/v1/diarium") {
                    String::new()
                } else {
                    r.body.replace(&path, "")
                };
                for s in &eriks {
                    assert!(!body.contains(s.as_str()), "{} {path} on {host} shows Astrid the id {s} of Erik's", route.method);
                }
            }
        }
    }
    assert!(requests > 300, "only {requests} requests made");
    let mut tx = app.db.read(Scope::System).await.expect("tx");
    let after = (snapshot(&mut tx, a).await, snapshot(&mut tx, b).await);
    tx.commit().await.expect("commit");
    for ((table, x), (_, y)) in before.0.iter().zip(after.0.iter()).chain(before.1.iter().zip(after.1.iter())) {
        // Astrid's own requests are in the audit log; nothing else of the municipalities changes.
        if table != "audit_event" && table != "audit_head" && table != RATE_WINDOW {
            assert_eq!(x, y, "table {table} changed during a citizen's requests");
        }
    }
    // And staff of one municipality find nothing of the other's citizens.
    let mut beta = app.login("beta", &beta_email).await;
    for path in ["/admin/arenden?vy=alla", "/admin/sok?q=ASTRIDS", "/diarium?q=ASTRIDS"] {
        let r = beta.get(path).await;
        assert!(r.status < 500, "{path}: {}", r.status);
        assert!(!r.body.contains("ASTRIDS-ALFA") && !r.body.contains("ERIKS-ALFA"), "{path} shows Alfa's citizens to Beta's staff");
    }
}
