//! Issue 18: a refused form shows the error summary with each problem linked to its field, and
//! the message, `aria-invalid` and `aria-describedby` at the field. On the pages of several
//! forms (the committee, the meeting, the item) only the refused form's fields show it.

use radhus_meetings::{record, service};

use super::{app, case_with_memo, meeting, world};

/// The page refused the field `id`: the summary links to it, the message is at it and the field
/// is described by it (`describedby`: the field's `aria-describedby`).
#[track_caller]
fn refused_at(body: &str, id: &str, describedby: &str, message: &str) {
    assert!(body.contains("ds-error-summary"), "the summary: {body}");
    assert!(body.contains(&format!("href=\"#{id}\"")), "the summary links to #{id}: {body}");
    assert!(body.contains(&format!("id=\"{id}-error\">{message}</p>")), "the message at #{id}: {body}");
    assert!(body.contains(&format!("id=\"{id}\"")), "the field #{id}: {body}");
    assert!(body.contains(&format!("aria-invalid=\"true\" aria-describedby=\"{describedby}\"")), "#{id} invalid: {body}");
}

/// How many controls are marked invalid.
fn invalid(body: &str) -> usize {
    body.matches("aria-invalid=\"true\"").count()
}

#[tokio::test]
async fn refused_forms_show_their_problems_at_their_fields_only() {
    let app = app().await;
    let w = world(&app, "kil").await;
    let [chair, vice, member, _] = [w.members[0], w.members[1], w.members[2], w.members[3]];
    let mut admin = app.login("kil", &w.admin.email).await;

    // A new committee without a name or registry: two problems, each at its field.
    let r = admin.post_form("/admin/moten", &[("kind", "namnd"), ("name", " "), ("code", "BN"), ("registry_id", ""), ("seats", "5")]).await;
    assert_eq!(r.status, 422);
    refused_at(&r.body, "name", "name-error", "Skriv nämndens namn. Det får vara högst 200 tecken.");
    refused_at(&r.body, "registry_id", "registry_id-error", "Välj diariet där nämndens ärenden registreras.");
    assert!(r.body.contains("Namn: Skriv nämndens namn."), "the summary names the field: {}", r.body);
    assert!(r.body.contains("value=\"BN\"") && r.body.contains("value=\"5\""), "the posted values kept: {}", r.body);
    assert_eq!(invalid(&r.body), 2);

    // The committee page: a member without a party. The access form's user field is not marked.
    let ks = w.ks;
    let user = w.admin.user_id.0.to_string();
    let fields = [("user_id", user.as_str()), ("role", "member"), ("party", ""), ("term_from", "2026-01-01"), ("term_to", "2026-12-31")];
    let r = admin.post_form(&format!("/admin/moten/organ/{ks}/ledamoter"), &fields).await;
    assert_eq!(r.status, 422);
    refused_at(&r.body, "m-party", "m-party-error", "Skriv ledamotens parti. Det får vara högst 100 tecken.");
    assert!(r.body.contains("Parti: Skriv ledamotens parti."), "{}", r.body);
    assert!(r.body.contains("id=\"m-from\" name=\"term_from\" type=\"date\" value=\"2026-01-01\""), "the date kept: {}", r.body);
    assert!(r.body.contains("id=\"a-user\"") && r.body.contains("id=\"m-user\""), "both forms' user fields, distinct ids");
    assert_eq!(invalid(&r.body), 1);
    // A returned proposal without a comment: the message at that proposal's comment.
    let (case, record_id) = case_with_memo(&app, &w, "Motion om cykelbanor").await;
    let p = service::propose(&app.db, &w.admin, case, ks, record_id, app.now()).await.expect("proposed");
    let r = admin.post_form(&format!("/admin/moten/forslag/{p}/returnera"), &[("comment", "")]).await;
    assert_eq!(r.status, 422);
    refused_at(
        &r.body,
        &format!("comment-{p}"),
        &format!("comment-{p}-error"),
        "Skriv en kommentar till handläggaren. Den får vara högst 2 000 tecken.",
    );
    assert_eq!(invalid(&r.body), 1);
    // The proposal page: a committee that does not exist.
    let fields = [("case_id", case.to_string()), ("committee_id", "x".to_string()), ("record_id", record_id.to_string())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = admin.post_form("/admin/moten/forslag", &fields).await;
    assert_eq!(r.status, 422);
    refused_at(&r.body, "committee_id", "committee_id-error", "Välj en nämnd.");

    // The meeting page: an item without a title, a cancellation without a reason.
    let m = meeting(&app, &w, "2026-12-15").await;
    let r = admin.post_form(&format!("/admin/moten/mote/{m}/punkter"), &[("kind", "information"), ("title", "")]).await;
    assert_eq!(r.status, 422);
    refused_at(&r.body, "item-title", "item-title-error", "Skriv punktens rubrik. Den får vara högst 300 tecken.");
    assert_eq!(invalid(&r.body), 1, "the cancellation's reason is not marked");
    let r = admin.post_form(&format!("/admin/moten/mote/{m}/installt"), &[("reason", "  ")]).await;
    assert_eq!(r.status, 422);
    refused_at(&r.body, "reason", "reason-error", "Skriv varför sammanträdet ställs in. Skälet får vara högst 1 000 tecken.");
    assert_eq!(invalid(&r.body), 1);

    // Held: a departure before the arrival is refused at that member's departure.
    let i1 = service::add_item(&app.db, &w.admin, m, "information", "Information om budgeten", app.now()).await.expect("item");
    let i2 = service::add_item(&app.db, &w.admin, m, "information", "Information om skolan", app.now()).await.expect("item");
    record::issue_notice(&app.db, &w.admin, m, "http://kil.localhost", app.now()).await.expect("notice");
    record::mark_held(&app.db, &w.admin, m, app.now()).await.expect("held");
    record::set_attendance(&app.db, &w.admin, m, &[chair, vice, member], &[], app.now()).await.expect("attendance");
    let (arrived, left) = (format!("arrived_{member}"), format!("left_{member}"));
    let (i1s, i2s) = (i1.to_string(), i2.to_string());
    let r = admin.post_form(&format!("/admin/moten/mote/{m}/narvaro/tider"), &[(&arrived, &i2s), (&left, &i1s)]).await;
    assert_eq!(r.status, 422);
    let id = format!("left-{member}");
    refused_at(&r.body, &id, &format!("{id}-error"), "Välj en punkt som kommer efter den ledamoten kom före.");
    assert!(r.body.contains("Cia Ledamot, gick före punkt: Välj en punkt"), "the summary names the member: {}", r.body);
    assert_eq!(invalid(&r.body), 1);

    // The item page: jäv without a reason, a motion without its text, a decision without its text.
    let item = format!("/admin/moten/punkt/{i1}");
    let chair_id = chair.to_string();
    let r = admin.post_form(&format!("{item}/jav"), &[("member_id", &chair_id), ("text", "")]).await;
    assert_eq!(r.status, 422);
    refused_at(&r.body, "jav-text", "jav-text-error", "Skriv skälet till jävet. Det får vara högst 500 tecken.");
    assert_eq!(invalid(&r.body), 1, "the motion's and the reservation's texts are not marked");
    let r = admin.post_form(&format!("{item}/yttrande"), &[("kind", "motion"), ("member_id", &chair_id), ("text", "")]).await;
    assert_eq!(r.status, 422);
    refused_at(&r.body, "motion-text", "motion-text-error", "Skriv yrkandet.");
    assert!(r.body.contains("id=\"res-text\"") && !r.body.contains("res-text-error"), "not at the reservation: {}", r.body);
    assert_eq!(invalid(&r.body), 1);
    let r = admin.post_form(&item, &[("outcome", "decided"), ("decision", "")]).await;
    assert_eq!(r.status, 422);
    refused_at(&r.body, "decision", "decision-hint decision-error", "Skriv beslutet.");
    assert!(r.body.contains("<option value=\"decided\" selected>"), "the outcome kept: {}", r.body);
    assert_eq!(invalid(&r.body), 1);

    // Drawing up the minutes without an adjuster: the message at the group of adjusters.
    for i in [i1, i2] {
        record::decide(&app.db, &w.admin, i, "noted", "", app.now()).await.expect("noted");
    }
    let r = admin.post_form(&format!("/admin/moten/mote/{m}/protokoll"), &[]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#adjusters\"") && r.body.contains("id=\"adjusters-error\">Välj minst en justerare"), "{}", r.body);
    assert!(r.body.contains("<fieldset class=\"ds-fieldset\" id=\"adjusters\" aria-describedby=\"adjusters-error\">"), "{}", r.body);
    assert_eq!(invalid(&r.body), 2, "the vice chair's and the member's boxes");
}
