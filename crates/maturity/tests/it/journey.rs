//! What the eBlomlåda lead and residents see (issue 18): a message after saving an area, the
//! note that only saving keeps changes, a draft's unanswered indicators left out of its shares
//! and its report marked UTKAST, due dates in the past refused and overdue actions flagged,
//! and the residents' page without codes up front and with the platform's own comparison words.

use radhus_maturity::domain::{AssessmentId, Level};
use radhus_maturity::service::{self, AnswerInput};
use time::Duration;

#[tokio::test]
async fn saving_an_area_says_so_and_the_form_says_that_only_saving_keeps_changes() {
    let app = super::app().await;
    let (_, s, email) = super::setup(&app, "kil", "1715").await;
    let id = service::start(&app.db, &s, 2026, Some("2017"), app.now()).await.expect("start");
    let mut c = app.login("kil", &email).await;
    let area = c.get(&format!("/admin/eblomlada/{id}/omrade/teknik")).await;
    assert_eq!(area.status, 200);
    assert!(area.body.contains("sparas först när du trycker på Spara området"), "the note at the save button");
    assert!(area.body.contains(r#"aria-describedby="save-note""#), "the button is described by the note");
    assert!(area.body.contains("12 indikatorer i området"), "a long area warns at the top: {}", area.body);
    let r = c.post_form(&format!("/admin/eblomlada/{id}/omrade/teknik"), &[("level_EB17-13", "2")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.location().expect("back to the assessment").to_string();
    assert_eq!(to, format!("/admin/eblomlada/{id}?sparat=teknik"));
    let page = c.get(&to).await;
    assert!(page.body.contains(r#"data-color="success" role="status""#), "a status message: {}", page.body);
    let name = radhus_maturity::domain::parse_catalogue("2017", "x", include_str!("../../../../data/eblomlada-2017.csv"))
        .expect("cat")
        .area("teknik")
        .expect("teknik")
        .name
        .clone();
    assert!(page.body.contains(&format!("Området {name} är sparat.")), "names the area");
    // Without the parameter, or with a key that is no area, nothing is said.
    assert!(!c.get(&format!("/admin/eblomlada/{id}")).await.body.contains("är sparat."));
    let odd = c.get(&format!("/admin/eblomlada/{id}?sparat=%3Cscript%3E")).await;
    assert_eq!(odd.status, 200);
    assert!(!odd.body.contains("är sparat.") && !odd.body.contains("<script>"));
}

#[tokio::test]
async fn a_drafts_unanswered_indicators_are_not_zero_points_and_its_report_is_marked_utkast() {
    let app = super::app().await;
    let (_, s, email) = super::setup(&app, "kil", "1715").await;
    let id = service::start(&app.db, &s, 2026, Some("2017"), app.now()).await.expect("start");
    // Äldre's eight indicators answered "partly", the other 80 not at all.
    let inputs: Vec<AnswerInput> = (1..=8)
        .map(|n| AnswerInput {
            indicator_id: format!("EB17-{n:02}"),
            level: "2".into(),
            comment: format!("Kommentar {n}"),
            ..Default::default()
        })
        .collect();
    service::save_area(&app.db, &s, id, "aldre", &inputs, app.now()).await.expect("save");
    let mut c = app.login("kil", &email).await;
    let page = c.get(&format!("/admin/eblomlada/{id}/resultat")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("16 av 264 (67 %)"), "points as a share of the answered indicators' maximum: {}", page.body);
    assert!(page.body.contains("80 indikatorer är inte besvarade"), "the draft says how many are unanswered");
    assert!(page.body.contains("Ej besvarade"), "a column of unanswered indicators per area");
    // The total row: 100 % partly of the eight answered, not 9 % of 88, and 0 % "not met".
    assert!(page.body.contains("<td>80</td><td>0&nbsp;%</td><td>100&nbsp;%</td><td>0&nbsp;%</td>"), "{}", page.body);
    let pdf = c.get(&format!("/admin/eblomlada/{id}/rapport.pdf")).await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.contains("UTKAST – eBlomlåda 2026"), "the draft's title says UTKAST");
    // Submitted, the report is no draft any more.
    let done = super::submitted(&app, &s, 2025, |_| Level::Met).await;
    let pdf = c.get(&format!("/admin/eblomlada/{done}/rapport.pdf")).await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.contains("eBlomlåda 2025") && !pdf.body.contains("UTKAST"), "a submitted report is not marked");
    let page = c.get(&format!("/admin/eblomlada/{done}/resultat")).await;
    assert!(!page.body.contains("Ej besvarade") && !page.body.contains("är ett utkast"));
}

#[tokio::test]
async fn a_due_date_in_the_past_is_refused_for_a_new_action_and_overdue_actions_are_flagged() {
    let app = super::app().await;
    let (_, s, email) = super::setup(&app, "kil", "1715").await;
    let id = service::start(&app.db, &s, 2026, Some("2017"), app.now()).await.expect("start");
    let mut c = app.login("kil", &email).await;
    let path = format!("/admin/eblomlada/{id}/omrade/aldre");
    // Today (2026-11-23) is fine; yesterday is not, and nothing is written.
    let r = c.post_form(&path, &[("level_EB17-01", "1"), ("action_EB17-01", "Jämförelsetjänst"), ("due_EB17-01", "2026-11-22")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("har redan passerat"), "MAT-015 in words: {}", r.body);
    let message = "Datumet har redan passerat. Välj dagens datum eller ett senare.";
    super::assert_at_field(&r.body, "d-EB17-01", "Indikator EB17-01 Klart senast: ", message);
    assert!(r.body.contains(r#"value="2026-11-22""#), "the typed date comes back");
    assert!(c.get(&format!("/admin/eblomlada/{id}/atgardsplan")).await.body.contains("Inga planerade åtgärder"), "nothing saved");
    let r = c.post_form(&path, &[("level_EB17-01", "1"), ("action_EB17-01", "Jämförelsetjänst"), ("due_EB17-01", "2026-11-23")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let plan = c.get(&format!("/admin/eblomlada/{id}/atgardsplan")).await;
    assert!(plan.body.contains("Jämförelsetjänst") && !plan.body.contains("Försenad"), "due today is not overdue");
    // A week later the action is overdue: flagged, and saving the area again keeps its date.
    app.clock.advance(Duration::days(7));
    let mut c = app.login("kil", &email).await;
    let plan = c.get(&format!("/admin/eblomlada/{id}/atgardsplan")).await;
    assert!(plan.body.contains(r#"<span class="ds-tag" data-color="danger">Försenad</span>"#), "{}", plan.body);
    assert!(plan.body.contains("En åtgärd är försenad"), "counted above the table");
    let r = c.post_form(&path, &[("level_EB17-01", "2"), ("action_EB17-01", "Jämförelsetjänst"), ("due_EB17-01", "2026-11-23")]).await;
    assert_eq!(r.status, 303, "an unchanged past date is kept: {}", r.body);
    // Moving it to another past day is a new date in the past.
    let r = c.post_form(&path, &[("level_EB17-01", "2"), ("due_EB17-01", "2026-11-24")]).await;
    assert_eq!(r.status, 422);
    // The API and the service say the same, by code.
    let e = service::save_area(
        &app.db,
        &s,
        id,
        "aldre",
        &[AnswerInput { indicator_id: "EB17-02".into(), level: "1".into(), due_date: "2020-01-01".into(), ..Default::default() }],
        app.now(),
    )
    .await
    .expect_err("a past date");
    assert_eq!(e.code().code, "MAT-015");
    // An earlier year's assessment entered afterwards keeps the dates it had.
    let old = service::start(&app.db, &s, 2019, Some("2017"), app.now()).await.expect("start 2019");
    let past = AnswerInput {
        indicator_id: "EB17-02".into(),
        level: "1".into(),
        planned_action: "X".into(),
        due_date: "2020-01-01".into(),
        ..Default::default()
    };
    service::save_area(&app.db, &s, old, "aldre", &[past], app.now()).await.expect("history is recorded");
}

#[tokio::test]
async fn the_yearly_report_carries_comments_and_units_in_the_web_pages_words() {
    let t = radhus_maturity::report::TEMPLATE;
    assert!(!t.to_lowercase().contains("riket"), "no comparison with the country: only the platform's municipalities are compared");
    for used in ["lbl.national", "lbl.best", "lbl.worst", "lbl.others", "i.comment", "i.unit", "a.unit", "a.overdue", "UTKAST"] {
        assert!(t.contains(used), "the report uses {used}");
    }
    // The words come from the same messages as the web page's.
    let app = super::app().await;
    let (_, s, email) = super::setup(&app, "kil", "1715").await;
    let id: AssessmentId = super::submitted(&app, &s, 2025, |_| Level::Partly).await;
    let mut c = app.login("kil", &email).await;
    let page = c.get(&format!("/admin/eblomlada/{id}/resultat")).await;
    assert!(page.body.contains("Snitt alla kommuner på plattformen"), "{}", page.body);
    assert!(!page.body.contains("riket"));
}

#[tokio::test]
async fn residents_see_plain_words_codes_behind_a_detail_and_scores_as_label_value_rows() {
    let app = super::app().await;
    let (_, s, _) = super::setup(&app, "kil", "1715").await;
    let id = super::submitted(&app, &s, 2025, |n| if n < 10 { Level::Met } else { Level::Partly }).await;
    service::set_public(&app.db, &s, id, true, app.now()).await.expect("publish");
    let mut public = app.client("kil.localhost");
    let page = public.get("/eblomlada").await;
    assert_eq!(page.status, 200);
    // The flower's petals name their indicator in a tooltip; the text of the page is the rest.
    let svg = page.body.find("<svg").expect("the flower");
    let svg_end = page.body[svg..].find("</svg>").expect("closed") + svg;
    let body = &format!("{}{}", &page.body[..svg], &page.body[svg_end..]);
    assert!(!body.contains("riket") && body.contains("alla kommuner på plattformen"), "{body}");
    let details = body.find(r#"<details class="ds-details">"#).expect("a detail");
    let end = body[details..].find("</details>").expect("closed") + details;
    // Codes and the version only inside the detail.
    assert!(body[details..end].contains("Indikatorernas koder och version") && body[details..end].contains("EB17-01"));
    assert_eq!(body.matches("EB17-01").count(), body[details..end].matches("EB17-01").count(), "no code outside the detail");
    assert!(!body[..details].contains("Indikatorversion"), "the version is not a headline fact");
    // Area scores as label–value rows (they stack on a phone), not an eight-column table.
    assert!(!body.contains(r#"id="area-table-caption""#));
    assert!(body.contains(r#"<div class="area-scores">"#) && body.contains("24 av 24"));
}

/// The events of the assessment page's history, counted by their label.
fn count(body: &str, what: &str) -> usize {
    body.matches(what).count()
}

#[tokio::test]
async fn submitting_and_publishing_ask_first_on_a_page_of_their_own_and_say_when_done() {
    let app = super::app().await;
    let (_, s, email) = super::setup(&app, "kil", "1715").await;
    let id = service::start(&app.db, &s, 2026, Some("2017"), app.now()).await.expect("start");
    let mut c = app.login("kil", &email).await;
    let page = c.get(&format!("/admin/eblomlada/{id}")).await;
    // The buttons are links to the confirmation pages, not forms that act at once.
    assert!(page.body.contains(&format!(r#"href="/admin/eblomlada/{id}/lamna-in">Lämna in självvärderingen</a>"#)), "{}", page.body);
    assert!(page.body.contains(&format!(r#"href="/admin/eblomlada/{id}/publicering">Publicera kommunens svar</a>"#)));
    // A draft with unanswered indicators is not asked about: its list is shown instead.
    let r = c.get(&format!("/admin/eblomlada/{id}/lamna-in")).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("88 indikatorer är inte besvarade") && !r.body.contains(r#"name="confirm""#));

    super::answer_all(&app, &s, id, |_| Level::Partly).await;
    let ask = c.get(&format!("/admin/eblomlada/{id}/lamna-in")).await;
    assert_eq!(ask.status, 200, "{}", ask.body);
    assert!(ask.body.contains("Lämna in självvärderingen 2026?"), "the question");
    assert!(ask.body.contains("176 av 264"), "the total that will be submitted: {}", ask.body);
    assert!(ask.body.contains("Det här kan inte ångras") && ask.body.contains("Bara en administratör kan öppna självvärderingen igen"));
    assert!(ask.body.contains(r#"<input type="hidden" name="_csrf""#), "the confirm form carries the CSRF token");
    assert!(ask.body.contains(r#"<input type="hidden" name="confirm" value="ja">"#));
    assert!(ask.body.contains(&format!(r#"<a href="/admin/eblomlada/{id}">Tillbaka"#)), "a way back");
    // Posting without the confirmation (the old button, a stray request) only asks again.
    let again = c.post_form(&format!("/admin/eblomlada/{id}/lamna-in"), &[]).await;
    assert_eq!(again.status, 200);
    assert!(again.body.contains("Lämna in självvärderingen 2026?"));
    let odd = c.post_form(&format!("/admin/eblomlada/{id}/lamna-in"), &[("confirm", "nej")]).await;
    assert_eq!(odd.status, 200);
    assert!(c.get(&format!("/admin/eblomlada/{id}")).await.body.contains("Utkast"), "still a draft");
    // Confirmed: submitted, and the page says so once.
    let r = c.post_form(&format!("/admin/eblomlada/{id}/lamna-in"), &[("confirm", "ja")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.location().expect("back to the assessment").to_string();
    assert_eq!(to, format!("/admin/eblomlada/{id}?klart=inlamnad"));
    let done = c.get(&to).await;
    assert!(
        done.body.contains(r#"data-color="success" role="status""#) && done.body.contains("Självvärderingen är inlämnad."),
        "{}",
        done.body
    );
    assert_eq!(count(&done.body, "· Inlämnad ·"), 1, "one submission in the history");
    assert!(!c.get(&format!("/admin/eblomlada/{id}")).await.body.contains("Självvärderingen är inlämnad."), "only after the step");
    assert!(!c.get(&format!("/admin/eblomlada/{id}?klart=%3Cb%3E")).await.body.contains("<b>"), "an unknown step says nothing");
    // Asking again about a submitted one is refused with the reason.
    let r = c.get(&format!("/admin/eblomlada/{id}/lamna-in")).await;
    assert_eq!(r.status, 409);
    assert!(!r.body.contains(r#"name="confirm""#));

    // Publishing asks too: what becomes public, and what cannot be taken back.
    let ask = c.get(&format!("/admin/eblomlada/{id}/publicering")).await;
    assert_eq!(ask.status, 200, "{}", ask.body);
    assert!(ask.body.contains("Publicera kommunens svar för 2026?") && ask.body.contains("öppna data"));
    assert!(ask.body.contains("Det här kan inte ångras") && ask.body.contains("kan inte tas tillbaka"));
    assert!(ask.body.contains(r#"<input type="hidden" name="public" value="1">"#) && ask.body.contains(r#"name="confirm" value="ja""#));
    let r = c.post_form(&format!("/admin/eblomlada/{id}/publicering"), &[("public", "1")]).await;
    assert_eq!(r.status, 200, "without the confirmation only the question");
    let r = c.post_form(&format!("/admin/eblomlada/{id}/publicering"), &[("public", "<script>"), ("confirm", "ja")]).await;
    assert_eq!(r.status, 200, "an odd value changes nothing");
    let page = c.get(&format!("/admin/eblomlada/{id}")).await;
    assert!(page.body.contains("Nej, bara jämförelsen"), "not published yet");
    let r = c.post_form(&format!("/admin/eblomlada/{id}/publicering"), &[("public", "1"), ("confirm", "ja")]).await;
    assert_eq!(r.status, 303);
    let to = r.location().expect("back").to_string();
    assert_eq!(to, format!("/admin/eblomlada/{id}?klart=publicerad"));
    let page = c.get(&to).await;
    assert!(page.body.contains("Kommunens svar är publicerade.") && page.body.contains("Ja, kommunens svar visas för alla"));
    // Already public: the confirmation page sends back; ending the publication needs no question.
    let r = c.get(&format!("/admin/eblomlada/{id}/publicering")).await;
    assert_eq!(r.status, 303);
    let r = c.post_form(&format!("/admin/eblomlada/{id}/publicering"), &[("public", "0")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location().expect("back"), format!("/admin/eblomlada/{id}?klart=avpublicerad"));
    assert!(c.get(&format!("/admin/eblomlada/{id}?klart=avpublicerad")).await.body.contains("Kommunens svar publiceras inte längre."));
    // Only the lead is asked: a respondent gets 403 for both pages.
    let t = s.tenant_id;
    let answer = app.role(t, "Respondent", &[service::ANSWER]).await;
    app.user(t, "resp@kil.se", "Rut Respondent", None, Some((answer, None))).await;
    let mut r = app.login("kil", "resp@kil.se").await;
    assert_eq!(r.get(&format!("/admin/eblomlada/{id}/lamna-in")).await.status, 403);
    assert_eq!(r.get(&format!("/admin/eblomlada/{id}/publicering")).await.status, 403);
}
