//! Fees and payment (issue 11 item 6), on SQLite and PostgreSQL: a submission with a fee is a
//! case at once that waits for payment; the citizen pays through the test provider from the
//! receipt; tampered return parameters, a tampered amount and paying twice are refused; an
//! attempt that never completes is settled by the reconciliation job, which tells the citizen.
//! A service may instead register the case only once paid; staff pay back a paid or
//! duplicate payment with a reason.

use radhus_eservices::payment::{self, ProviderStatus};
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::Actor;
use radhus_platform::db::Scope;
use radhus_platform::on_tx;
use radhus_testkit::{Client, TestApp};
use uuid::Uuid;

use super::{ASTRID, ERIK, app, citizen, count, municipality, publish, sha_of, start, step};

/// Astrid fills in the test service (fee 1000 kr) and submits; returns the receipt's path.
async fn submitted(c: &mut Client) -> String {
    let draft = start(c).await;
    let r = c.post_form(&step(draft, 0), &[("namn", "Astrid Lindqvist"), ("epost", "astrid@example.se"), ("typ", "a")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(c.post_form(&step(draft, 2), &[("intygar", "true")]).await.status, 303);
    let r = c.get(&format!("/e-tjanster/provtjanst/{draft}/granska")).await;
    assert!(r.body.contains("väntar sedan på betalning"), "the review says when the fee is paid: {}", r.body);
    let r = c.post_form(&format!("/e-tjanster/provtjanst/{draft}/skicka"), &[("sha256", &sha_of(&r.body))]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    r.location().expect("receipt").to_string()
}

async fn state(app: &TestApp, t: TenantId) -> (String, Vec<(i64, String)>) {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let s: String = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT payment FROM es_submission WHERE tenant_id = $1")
        .bind(t.0).fetch_one(c).await.expect("submission"));
    let p: Vec<(i64, String)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT amount, status FROM es_payment WHERE tenant_id = $1 ORDER BY started_at, id")
        .bind(t.0).fetch_all(c).await.expect("payments"));
    tx.commit().await.expect("commit");
    (s, p)
}

fn reference_of(location: &str) -> String {
    location.rsplit('/').next().expect("reference").to_string()
}

#[tokio::test]
async fn a_fee_is_paid_from_the_receipt_once_and_tampering_proves_nothing() {
    let app = app().await;
    publish(&app).await;
    let (kil, _admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let receipt = submitted(&mut c).await;

    // Registered at once, waiting for payment; the case has the event Mina ärenden shows.
    assert_eq!(state(&app, kil).await, ("due".into(), vec![]));
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1").await, 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM change_event WHERE tenant_id = $1 AND kind = 'payment.due'").await, 1);
    let r = c.get(&receipt).await;
    assert!(r.body.contains("Väntar på betalning") && r.body.contains("Betala 1000 kr"), "{}", r.body);
    assert!(r.body.contains("Testbetalning — inga pengar dras"), "the test provider is named: {}", r.body);

    // Start paying; a posted amount is no part of it (the submission's fee is).
    let pay = format!("{receipt}/betala");
    let r = c.post_form(&pay, &[("belopp", "1")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = r.location().expect("provider page").to_string();
    assert!(page.starts_with("/e-tjanster/testbetalning/test-"), "{page}");
    assert_eq!(state(&app, kil).await.1, vec![(1000, "started".into())]);
    // A second click resumes the same attempt.
    assert_eq!(c.post_form(&pay, &[]).await.location(), Some(page.as_str()));
    assert_eq!(state(&app, kil).await.1.len(), 1);
    let r = c.get(&page).await;
    assert!(r.body.contains("Testbetalning") && r.body.contains("inga pengar dras") && r.body.contains("1000 kr"), "{}", r.body);

    // Tampered returns: a reference that is none of ours, or a status in the URL, prove nothing.
    let back = format!("{receipt}/betalning/retur");
    let r = c.get(&format!("{back}?ref=test-0000")).await;
    assert_eq!(r.status, 422, "{}", &r.body[r.body.find("<main").unwrap_or(0)..]);
    assert!(r.body.contains("kunde inte kännas igen"), "{}", r.body);
    assert_eq!(c.get(&format!("{back}?status=paid")).await.status, 422);
    let reference = reference_of(&page);
    let r = c.get(&format!("{back}?ref={reference}&status=paid")).await;
    assert_eq!(r.location(), Some(format!("{receipt}?betalning=pagar").as_str()), "the provider has not been paid");
    assert_eq!(state(&app, kil).await, ("due".into(), vec![(1000, "started".into())]));
    // Another citizen can neither see nor settle it.
    let mut erik = citizen(&app, "kil.localhost", ERIK).await;
    assert_eq!(erik.get(&format!("{back}?ref={reference}")).await.status, 422);
    assert_eq!(erik.post_form(&pay, &[]).await.status, 404);

    // Paid at the provider, back to the receipt.
    let r = c.post_form(&page, &[("atgard", "betala")]).await;
    let to = r.location().expect("return").to_string();
    assert_eq!(to, format!("{back}?ref={reference}"));
    let r = c.get(&to).await;
    assert_eq!(r.location(), Some(format!("{receipt}?betalning=betald").as_str()));
    assert_eq!(state(&app, kil).await, ("paid".into(), vec![(1000, "paid".into())]));
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM change_event WHERE tenant_id = $1 AND kind = 'payment.received'").await, 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'es.payment.paid'").await, 1);
    let r = c.get(&format!("{receipt}?betalning=betald")).await;
    assert!(r.body.contains("Betalningen är klar") && r.body.contains("Betald") && !r.body.contains("Betala 1000 kr"), "{}", r.body);

    // The return again changes nothing; paying twice is refused before it starts.
    assert_eq!(c.get(&to).await.location(), Some(format!("{receipt}?betalning=betald").as_str()));
    let r = c.post_form(&pay, &[]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("redan betalt"), "{}", r.body);
    assert_eq!(state(&app, kil).await.1.len(), 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM change_event WHERE tenant_id = $1 AND kind = 'payment.received'").await, 1);
}

#[tokio::test]
async fn a_cancelled_or_abandoned_payment_is_settled_and_the_citizen_told_and_nothing_is_lost() {
    let app = app().await;
    publish(&app).await;
    let (kil, _admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let receipt = submitted(&mut c).await;
    let pay = format!("{receipt}/betala");

    // Cancelled at the provider: failed, nothing taken, the case still waits.
    let page = c.post_form(&pay, &[]).await.location().expect("page").to_string();
    let to = c.post_form(&page, &[("atgard", "avbryt")]).await.location().expect("return").to_string();
    let r = c.get(&to).await;
    assert_eq!(r.location(), Some(format!("{receipt}?betalning=avbruten").as_str()), "{} {}", r.status, r.body);
    assert_eq!(state(&app, kil).await, ("due".into(), vec![(1000, "failed".into())]));
    assert!(c.get(&format!("{receipt}?betalning=avbruten")).await.body.contains("Betalningen avbröts"));
    // A choice the provider page does not offer is refused.
    assert_eq!(c.post_form(&page, &[("atgard", "gratis")]).await.status, 422);

    // A new attempt the citizen abandons at the provider.
    let page = c.post_form(&pay, &[]).await.location().expect("page").to_string();
    assert_eq!(state(&app, kil).await.1.len(), 2);
    let ctx = |at| radhus_platform::outbox::JobCtx::new(app.db.clone(), at, std::sync::Arc::new(app.state.config.clone()));
    // Within the timeout the job leaves it alone.
    assert_eq!(payment::reconcile(ctx(app.now())).await.expect("job"), 0);
    app.clock.advance(time::Duration::minutes(payment::TIMEOUT_MINUTES + 1));
    assert_eq!(payment::reconcile(ctx(app.now())).await.expect("job"), 1);
    assert_eq!(state(&app, kil).await, ("due".into(), vec![(1000, "failed".into()), (1000, "expired".into())]));
    assert_eq!(
        count(&app, kil, "SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND recipient = 'astrid@example.se' AND subject LIKE 'Betalningen blev inte klar%'")
            .await,
        1,
        "the citizen is told"
    );
    assert_eq!(payment::reconcile(ctx(app.now())).await.expect("job"), 0, "once");
    // Paying at the expired attempt's page afterwards settles nothing.
    let to = c.post_form(&page, &[("atgard", "betala")]).await.location().expect("return").to_string();
    assert_eq!(c.get(&to).await.location(), Some(format!("{receipt}?betalning=avbruten").as_str()));
    assert_eq!(state(&app, kil).await.0, "due");
    let r = c.get(&receipt).await;
    assert!(r.body.contains("blev aldrig klart") && r.body.contains("Betala 1000 kr"), "{}", r.body);

    // And the citizen can pay again.
    let page = c.post_form(&pay, &[]).await.location().expect("page").to_string();
    let to = c.post_form(&page, &[("atgard", "betala")]).await.location().expect("return").to_string();
    assert_eq!(c.get(&to).await.location(), Some(format!("{receipt}?betalning=betald").as_str()));
    assert_eq!(state(&app, kil).await.0, "paid");
}

/// What a provider says is checked: another amount than the fee is refused, and a second
/// completed attempt of a paid submission is kept as a duplicate (for a refund).
#[tokio::test]
async fn a_wrong_amount_and_a_second_completed_payment_are_not_taken_as_paid() {
    let app = app().await;
    publish(&app).await;
    let (kil, _admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let receipt = submitted(&mut c).await;
    let pay = format!("{receipt}/betala");
    c.post_form(&pay, &[]).await;
    let first = ids(&app, kil).await[0];
    assert_eq!(settle(&app, kil, first, ProviderStatus::Paid { amount: 1 }).await, "failed");
    assert_eq!(state(&app, kil).await.0, "due");
    assert_eq!(
        count(&app, kil, "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'es.payment.amount_mismatch'").await,
        1
    );

    // Two attempts open at once (a second tab after the first timed out), both paid.
    app.clock.advance(time::Duration::minutes(payment::TIMEOUT_MINUTES + 1));
    c.post_form(&pay, &[]).await;
    app.clock.advance(time::Duration::minutes(payment::TIMEOUT_MINUTES + 1));
    c.post_form(&pay, &[]).await;
    let v = ids(&app, kil).await;
    assert_eq!(v.len(), 3);
    assert_eq!(settle(&app, kil, v[1], ProviderStatus::Paid { amount: 1000 }).await, "paid");
    assert_eq!(settle(&app, kil, v[2], ProviderStatus::Paid { amount: 1000 }).await, "duplicate");
    assert_eq!(settle(&app, kil, v[1], ProviderStatus::Failed).await, "paid", "settled once");
    assert_eq!(state(&app, kil).await.0, "paid");
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM change_event WHERE tenant_id = $1 AND kind = 'payment.received'").await, 1);
}

async fn ids(app: &TestApp, kil: TenantId) -> Vec<Uuid> {
    let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
    let v: Vec<Uuid> = on_tx!(&mut tx, cx => sqlx::query_scalar("SELECT id FROM es_payment WHERE tenant_id = $1 ORDER BY started_at, id")
        .bind(kil.0).fetch_all(cx).await.expect("ids"));
    tx.commit().await.expect("commit");
    v
}

async fn settle(app: &TestApp, kil: TenantId, id: Uuid, said: ProviderStatus) -> String {
    let mut tx = app.db.write(Scope::Tenant(kil)).await.expect("tx");
    let s = payment::settle(&mut tx, kil, (id, "http://kil.localhost"), said, &Actor::system(), app.now()).await.expect("settle");
    tx.commit().await.expect("commit");
    s
}

#[tokio::test]
async fn a_service_without_a_fee_has_nothing_to_pay() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, ct) = municipality(&app, "kil", "Kil", "1715").await;
    let ct = ct.to_string();
    let fields = [
        ("case_type", ct.as_str()),
        ("public_title", "Ansökan om provtillstånd"),
        ("secrecy_ground", ""),
        ("status", "published"),
        ("overrides", r#"{"fee": {"amount": 0}}"#),
    ];
    let r = admin.post_form("/admin/e-tjanster/tjanst/provtjanst", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let receipt = submitted_free(&mut c).await;
    assert_eq!(state(&app, kil).await, ("none".into(), vec![]));
    assert!(!c.get(&receipt).await.body.contains("Väntar på betalning"));
    let r = c.post_form(&format!("{receipt}/betala"), &[]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM change_event WHERE tenant_id = $1 AND kind = 'payment.due'").await, 0);
}

async fn submitted_free(c: &mut Client) -> String {
    let draft = start(c).await;
    c.post_form(&step(draft, 0), &[("namn", "Astrid Lindqvist"), ("epost", "astrid@example.se"), ("typ", "a")]).await;
    c.post_form(&step(draft, 2), &[("intygar", "true")]).await;
    let r = c.get(&format!("/e-tjanster/provtjanst/{draft}/granska")).await;
    let r = c.post_form(&format!("/e-tjanster/provtjanst/{draft}/skicka"), &[("sha256", &sha_of(&r.body))]).await;
    r.location().expect("receipt").to_string()
}

/// Adopts the test service so that a submission becomes a case only once its fee is paid.
async fn register_on_payment(admin: &mut Client, ct: Uuid) {
    let ct = ct.to_string();
    let mut fields = vec![
        ("case_type", ct.as_str()),
        ("public_title", "Ansökan om provtillstånd"),
        ("secrecy_ground", ""),
        ("status", "published"),
        ("overrides", ""),
        ("register_on", "genast"),
    ];
    let r = admin.post_form("/admin/e-tjanster/tjanst/provtjanst", &fields).await;
    assert_eq!(r.status, 422, "a value the page does not offer: {}", r.body);
    assert!(r.body.contains("Välj när ansökan ska bli ett ärende"), "{}", r.body);
    fields[5] = ("register_on", "payment");
    let r = admin.post_form("/admin/e-tjanster/tjanst/provtjanst", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = admin.get("/admin/e-tjanster/tjanst/provtjanst").await;
    assert!(r.body.contains(r#"value="payment" checked"#), "the choice is shown again: {}", r.body);
}

async fn submission_case(app: &TestApp, t: TenantId) -> (Option<Uuid>, Option<String>, bool) {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let row: (Option<Uuid>, Option<String>, Option<String>) = on_tx!(&mut tx, c => sqlx::query_as("SELECT case_id, case_number, applicant_sealed FROM es_submission WHERE tenant_id = $1")
        .bind(t.0).fetch_one(c).await.expect("submission"));
    tx.commit().await.expect("commit");
    (row.0, row.1, row.2.is_some())
}

#[tokio::test]
async fn a_service_that_registers_on_payment_becomes_a_case_only_once_paid() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, ct) = municipality(&app, "kil", "Kil", "1715").await;
    register_on_payment(&mut admin, ct).await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let draft = start(&mut c).await;
    c.post_form(&step(draft, 0), &[("namn", "Astrid Lindqvist"), ("epost", "astrid@example.se"), ("typ", "a")]).await;
    c.post_form(&step(draft, 2), &[("intygar", "true")]).await;
    let r = c.get(&format!("/e-tjanster/provtjanst/{draft}/granska")).await;
    assert!(r.body.contains("registreras som ett ärende först när avgiften är betald"), "the review says so: {}", r.body);
    let r = c.post_form(&format!("/e-tjanster/provtjanst/{draft}/skicka"), &[("sha256", &sha_of(&r.body))]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let receipt = r.location().expect("receipt").to_string();

    // Received and signed, waiting: no case, no case event, the number kept sealed.
    assert_eq!(state(&app, kil).await, ("due".into(), vec![]));
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1").await, 0);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM change_event WHERE tenant_id = $1 AND kind = 'payment.due'").await, 0);
    assert_eq!(submission_case(&app, kil).await, (None, None, true));
    assert_eq!(
        count(&app, kil, "SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND recipient = 'astrid@example.se' AND body LIKE '%registreras som ett ärende när avgiften på 1000 kronor är betald%'").await,
        1,
        "the receipt e-mail says when it becomes a case"
    );
    let r = c.get(&receipt).await;
    assert!(r.body.contains("Registreras när avgiften är betald") && r.body.contains("Betala 1000 kr"), "{}", r.body);
    assert!(r.body.contains("registreras som ett ärende först när avgiften är betald"), "{}", r.body);
    assert_eq!(c.get(&format!("{receipt}/kvitto.pdf")).await.status, 200, "the receipt PDF without a case number");
    // A second submit of the same draft is the same submission, still without a case.
    let r = c.post_form(&format!("/e-tjanster/provtjanst/{draft}/skicka"), &[("sha256", "0")]).await;
    assert_eq!(r.location(), Some(format!("{receipt}?igen=1").as_str()));
    assert!(c.get(&format!("{receipt}?igen=1")).await.body.contains("Ingen ny ansökan skapades"));

    // An attempt that is abandoned: the job tells the citizen the application is not a case yet.
    let pay = format!("{receipt}/betala");
    c.post_form(&pay, &[]).await;
    let ctx = |at| radhus_platform::outbox::JobCtx::new(app.db.clone(), at, std::sync::Arc::new(app.state.config.clone()));
    app.clock.advance(time::Duration::minutes(payment::TIMEOUT_MINUTES + 1));
    assert_eq!(payment::reconcile(ctx(app.now())).await.expect("job"), 1);
    assert_eq!(
        count(&app, kil, "SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND subject LIKE 'Betalningen blev inte klar%' AND body LIKE '%registreras som ett ärende när avgiften är betald%'").await,
        1
    );
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1").await, 0);

    // Paid: the case is opened now, with the record, the applicant and the receipt e-mail.
    let page = c.post_form(&pay, &[]).await.location().expect("page").to_string();
    let to = c.post_form(&page, &[("atgard", "betala")]).await.location().expect("return").to_string();
    assert_eq!(c.get(&to).await.location(), Some(format!("{receipt}?betalning=betald").as_str()));
    assert_eq!(state(&app, kil).await.0, "paid");
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1").await, 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM record WHERE tenant_id = $1").await, 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'es.submission.registered'").await, 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM change_event WHERE tenant_id = $1 AND kind = 'payment.received'").await, 0);
    let (case, number, sealed) = submission_case(&app, kil).await;
    let number = number.expect("a case number");
    assert!(case.is_some() && !sealed, "the number is no longer kept on the submission");
    assert_eq!(
        count(&app, kil, &format!("SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND body LIKE '%diarienummer {number}%'")).await,
        1,
        "the receipt e-mail with the case number"
    );
    let r = c.get(&format!("{receipt}?betalning=betald")).await;
    assert!(r.body.contains(&format!("registrerad som ärende {number}")) && r.body.contains("Betald"), "{}", r.body);
    // The return again changes nothing: one case.
    c.get(&to).await;
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1").await, 1);
}

#[tokio::test]
async fn staff_pay_back_a_paid_or_duplicate_payment_with_a_reason_once() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let receipt = submitted(&mut c).await;
    let pay = format!("{receipt}/betala");
    // Two attempts open (the first timed out in a tab), both completed at the provider.
    let first = c.post_form(&pay, &[]).await.location().expect("page").to_string();
    app.clock.advance(time::Duration::minutes(payment::TIMEOUT_MINUTES + 1));
    let second = c.post_form(&pay, &[]).await.location().expect("page").to_string();
    for page in [&first, &second] {
        let to = c.post_form(page, &[("atgard", "betala")]).await.location().expect("return").to_string();
        c.get(&to).await;
    }
    assert_eq!(state(&app, kil).await, ("paid".into(), vec![(1000, "paid".into()), (1000, "duplicate".into())]));
    let v = ids(&app, kil).await;

    let r = admin.get("/admin/e-tjanster/betalningar").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Dubbelbetald") && r.body.contains("Ansökan om provtillstånd") && !r.body.contains("Astrid"), "{}", r.body);
    // The duplicate: a reason is required; then it is paid back and the submission stays paid.
    let one = format!("/admin/e-tjanster/betalningar/{}", v[1]);
    let r = admin.post_form(&one, &[("reason", "  ")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#es-refund-reason\">Skäl till återbetalningen: Skriv skälet till återbetalningen.</a>"), "{}", r.body);
    assert!(
        r.body
            .contains("name=\"reason\" rows=\"3\" aria-invalid=\"true\" aria-describedby=\"es-refund-reason-hint es-refund-reason-error\""),
        "{}",
        r.body
    );
    let long = "x".repeat(501);
    let r = admin.post_form(&one, &[("reason", long.as_str())]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"es-refund-reason-error\">Korta skälet. Det får vara högst 500 tecken.</p>"), "{}", r.body);
    assert!(r.body.contains(&format!(">{long}</textarea>")), "what was typed is kept");
    assert_eq!(state(&app, kil).await.1[1].1, "duplicate", "nothing recorded");
    let r = admin.post_form(&one, &[("reason", "Betalades två gånger")]).await;
    assert_eq!(r.location(), Some(format!("{one}?klar=1").as_str()), "{}", r.body);
    assert_eq!(state(&app, kil).await, ("paid".into(), vec![(1000, "paid".into()), (1000, "refunded".into())]));
    let r = admin.get(&format!("{one}?klar=1")).await;
    assert!(r.body.contains("Betalningen är återbetald") && r.body.contains("Betalades två gånger"), "{}", r.body);
    // Twice is refused (the page no longer offers it), and so is a failed or unknown attempt.
    let r = admin.post_form(&one, &[("reason", "Igen")]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(admin.post_form(&format!("/admin/e-tjanster/betalningar/{}", Uuid::now_v7()), &[("reason", "x")]).await.status, 404);

    // The paid one: paid back, the submission is refunded, the case stays; the citizen sees it.
    let r =
        admin.post_form(&format!("/admin/e-tjanster/betalningar/{}", v[0]), &[("reason", "Ansökan återkallad före handläggning")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(state(&app, kil).await, ("refunded".into(), vec![(1000, "refunded".into()), (1000, "refunded".into())]));
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'es.payment.refunded'").await, 2);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1").await, 1);
    let r = c.get(&receipt).await;
    assert!(
        r.body.contains("Återbetald") && r.body.contains("1000 kr har betalats tillbaka") && !r.body.contains("Betala 1000 kr"),
        "{}",
        r.body
    );
    assert_eq!(c.post_form(&pay, &[]).await.status, 409, "nothing to pay after a refund");
    // A citizen cannot reach the staff page.
    assert_ne!(c.get("/admin/e-tjanster/betalningar").await.status, 200);
}

#[tokio::test]
async fn a_refund_the_provider_does_not_know_is_refused_and_nothing_recorded() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    let receipt = submitted(&mut c).await;
    c.post_form(&format!("{receipt}/betala"), &[]).await;
    let id = ids(&app, kil).await[0];
    // Settled as paid without the provider knowing it (as after a restart of the test provider).
    assert_eq!(settle(&app, kil, id, ProviderStatus::Paid { amount: 1000 }).await, "paid");
    let r = admin.post_form(&format!("/admin/e-tjanster/betalningar/{id}"), &[("reason", "Fel avgift")]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("genomförde inte återbetalningen"), "{}", r.body);
    assert_eq!(state(&app, kil).await, ("paid".into(), vec![(1000, "paid".into())]));
}
