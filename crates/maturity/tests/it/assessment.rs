//! One municipality's assessment: answering, scores, change, submitting, reopening, respondents,
//! the action plan export and the public page.

use radhus_maturity::domain::{AssessmentId, Level};
use radhus_maturity::service;

#[tokio::test]
async fn scores_and_change_since_last_year_with_known_answers() {
    let app = super::app().await;
    let (_, s, email) = super::setup(&app, "kil", "1715").await;
    // 2017: everything partly met = 176 points; 2018: the first ten fully met = 186.
    super::submitted(&app, &s, 2017, |_| Level::Partly).await;
    let id = super::submitted(&app, &s, 2018, |n| if n < 10 { Level::Met } else { Level::Partly }).await;
    let mut c = app.login("kil", &email).await;
    let page = c.get(&format!("/admin/eblomlada/{id}/resultat")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("186 av 264"), "total");
    assert!(page.body.contains("+10 poäng sedan 2017"), "change since last year");
    // Äldre (8 indicators, all met in 2018) went from 16 to 24 points: +8; Ledning unchanged.
    assert!(page.body.contains("24 av 24"));
    assert!(page.body.contains("+8") && page.body.contains("±0"));
    assert!(
        page.body.contains(r#"role="img""#) && page.body.contains("<desc id=\"flower-desc\">Totalt 186 av 264 poäng."),
        "flower with text alternative"
    );
    assert!(page.body.contains("Ingen kommun har lämnat in och publicerat"), "benchmark needs five published");
    // The yearly report as PDF/A.
    let pdf = c.get(&format!("/admin/eblomlada/{id}/rapport.pdf")).await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.body.starts_with("%PDF-"));
    assert!(pdf.body.contains("pdfaid:part"), "PDF/A metadata");
    // Open data only once published.
    let mut public = app.client("kil.localhost");
    assert_eq!(public.get("/api/v1/maturity/results?year=2018").await.status, 404);
    assert!(public.get("/eblomlada").await.body.contains("har inte publicerat"));
    service::set_public(&app.db, &s, id, true, app.now()).await.expect("publish");
    let json = public.get("/api/v1/maturity/results?year=2018").await.json();
    assert_eq!(json["total"]["points"], 186);
    assert_eq!(json["total"]["max"], 264);
    assert_eq!(json["change_since_previous"], 10);
    assert_eq!(json["answers"].as_array().map(Vec::len), Some(88));
    let csv = public.get("/api/v1/maturity/results.csv?year=2018").await;
    assert!(csv.headers["content-type"].to_str().expect("ct").starts_with("text/csv"));
    assert_eq!(csv.body.lines().count(), 89);
    assert!(csv.body.lines().nth(1).expect("line").starts_with("1715,kil,2018,2017,EB17-01,aldre,3,"));
    let page = public.get("/eblomlada").await;
    assert!(page.body.contains("186 av 264") && page.body.contains("flower-title"));
    assert!(!page.body.contains("atgardsplan"), "no action plan on the public page");
    // 2017 is not public: asking for it is 404.
    assert_eq!(public.get("/eblomlada?ar=2017").await.status, 404);
}

#[tokio::test]
async fn bad_answers_unanswered_indicators_and_editing_a_submitted_assessment_are_refused() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    let r = c.post_form("/admin/eblomlada", &[("year", "1999")]).await;
    assert_eq!(r.status, 422, "year out of range");
    super::assert_at_field(&r.body, "year", "År: ", "Skriv året med fyra siffror, mellan 2010 och 2100.");
    assert!(super::control(&r.body, "year").contains("value=\"1999\""), "the typed year is kept");
    let r = c.post_form("/admin/eblomlada", &[("year", "2026")]).await;
    assert_eq!(r.status, 303);
    let id = r.location().expect("to the assessment").rsplit('/').next().expect("id").to_string();
    let r = c.post_form("/admin/eblomlada", &[("year", "2026")]).await;
    assert_eq!(r.status, 409, "one per year (MAT-007)");
    super::assert_at_field(&r.body, "year", "År: ", "Det finns redan en självvärdering för det året. Skriv ett annat år.");
    // Answers outside 1–3 are refused and nothing is written.
    for bad in ["4", "0", "x"] {
        let r = c
            .post_form(
                &format!("/admin/eblomlada/{id}/omrade/aldre"),
                &[("level_EB17-01", "3"), ("level_EB17-02", bad), ("comment_EB17-02", "hej")],
            )
            .await;
        assert_eq!(r.status, 422, "{bad}");
        let message = "Välj om kommunen uppfyller indikatorn inte alls, delvis eller helt.";
        super::assert_at_field(&r.body, "l-EB17-02", "Indikator EB17-02 Svar: ", message);
        assert!(!super::control(&r.body, "l-EB17-01-1").contains("aria-invalid"), "the other indicator is not marked");
    }
    let r = c.send(api_get(&format!("/admin/eblomlada/{id}"))).await;
    assert!(r.body.contains("0 / 88"), "nothing half-written");
    // A good area.
    let r = c
        .post_form(
            &format!("/admin/eblomlada/{id}/omrade/aldre"),
            &[
                ("level_EB17-01", "1"),
                ("comment_EB17-01", "Saknas"),
                ("action_EB17-01", "Införa jämförelsetjänst"),
                ("owner_EB17-01", "Vård och omsorg"),
                ("due_EB17-01", "2027-06-30"),
                ("level_EB17-02", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.post_form(&format!("/admin/eblomlada/{id}/omrade/aldre"), &[("level_EB17-03", "2"), ("due_EB17-03", "30/6")]).await;
    assert_eq!(r.status, 422, "a bad date");
    assert!(r.body.contains(r#"value="30/6""#) && r.body.contains("ÅÅÅÅ-MM-DD"), "the typed date comes back with the problem");
    let message = "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-31.";
    super::assert_at_field(&r.body, "d-EB17-03", "Indikator EB17-03 Klart senast: ", message);
    // Submitting with unanswered indicators lists them.
    let r = c.post_form(&format!("/admin/eblomlada/{id}/lamna-in"), &[]).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("86 indikatorer är inte besvarade") && r.body.contains("EB17-03") && r.body.contains("EB17-88"), "{}", r.body);
    assert!(!r.body.contains(">EB17-01<"), "answered ones are not listed");
    // Answer the rest and submit.
    let aid = AssessmentId::parse(&id).expect("an assessment id");
    super::answer_all(&app, &s, aid, |n| if n == 0 { Level::NotMet } else { Level::Partly }).await;
    let r = c
        .post_form(
            &format!("/admin/eblomlada/{id}/omrade/aldre"),
            &[
                ("level_EB17-01", "1"),
                ("action_EB17-01", "Införa jämförelsetjänst"),
                ("owner_EB17-01", "Vård och omsorg"),
                ("due_EB17-01", "2027-06-30"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(c.post_form(&format!("/admin/eblomlada/{id}/lamna-in"), &[("confirm", "ja")]).await.status, 303);
    // A submitted assessment cannot be edited.
    let r = c.post_form(&format!("/admin/eblomlada/{id}/omrade/aldre"), &[("level_EB17-01", "3")]).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Självvärderingen är inlämnad") && r.body.contains(" disabled"), "the area form again, read-only");
    let area = c.get(&format!("/admin/eblomlada/{id}/omrade/aldre")).await;
    assert!(area.body.contains("är inlämnad och kan inte ändras") && area.body.contains(" disabled"));
    // The action plan keeps the planned action, also as Excel.
    let plan = c.get(&format!("/admin/eblomlada/{id}/atgardsplan")).await;
    assert!(plan.body.contains("Införa jämförelsetjänst") && plan.body.contains("2027-06-30"));
    let x = c.get(&format!("/admin/eblomlada/{id}/atgardsplan.xlsx")).await;
    assert_eq!(x.status, 200);
    assert!(x.headers["content-type"].to_str().expect("ct").contains("spreadsheetml"));
    assert!(x.body.starts_with("PK"), "an xlsx is a zip");
    // Reopening needs the admin permission and a reason, and is logged.
    let lead_role = app.role(t, "Lead", &[service::LEAD]).await;
    app.user(t, "lead@kil.se", "Lea Lead", None, Some((lead_role, None))).await;
    let mut lead = app.login("kil", "lead@kil.se").await;
    assert_eq!(lead.post_form(&format!("/admin/eblomlada/{id}/ateroppna"), &[("reason", "Fel")]).await.status, 403);
    let r = c.post_form(&format!("/admin/eblomlada/{id}/ateroppna"), &[("reason", "  ")]).await;
    assert_eq!(r.status, 422);
    // The summary links to the reason, which says what to write, marked and described.
    assert!(r.body.contains(r##"<a class="ds-link" href="#reason">Skäl: Skriv varför självvärderingen öppnas igen.</a>"##), "{}", r.body);
    assert!(r.body.contains(r#"id="reason-error">Skriv varför självvärderingen öppnas igen.</p>"#), "{}", r.body);
    assert!(
        r.body.contains(
            r#"<textarea class="ds-input" id="reason" name="reason" rows="2" aria-invalid="true" aria-describedby="reason-error">"#
        ),
        "{}",
        r.body
    );
    assert!(!r.body.contains(" required"), "no browser pop-ups: the server says what is missing");
    let r = c.post_form(&format!("/admin/eblomlada/{id}/ateroppna"), &[("reason", "Fel svar om bredband")]).await;
    assert_eq!(r.status, 303);
    let page = c.get(&format!("/admin/eblomlada/{id}")).await;
    assert!(page.body.contains("Öppnad igen") && page.body.contains("Fel svar om bredband") && page.body.contains("Utkast"));
    let log = c.get("/admin/logg").await;
    assert!(log.body.contains("maturity.assessment.reopened"), "audited");
    assert_eq!(c.post_form(&format!("/admin/eblomlada/{id}/omrade/aldre"), &[("level_EB17-01", "3")]).await.status, 303, "editable again");
    assert_eq!(
        c.post_form(&format!("/admin/eblomlada/{id}/ateroppna"), &[("reason", "igen")]).await.status,
        409,
        "not submitted (MAT-010)"
    );
}

fn api_get(path: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::get(path).body(axum::body::Body::empty()).expect("request")
}

#[tokio::test]
async fn respondents_answer_their_own_areas_and_other_municipalities_see_nothing() {
    let app = super::app().await;
    let (t, s, _) = super::setup(&app, "kil", "1715").await;
    let answer = app.role(t, "Respondent", &[service::ANSWER]).await;
    let r_id = app.user(t, "resp@kil.se", "Rut Respondent", None, Some((answer, None))).await;
    let plain = app.role(t, "Nothing", &["admin.users"]).await;
    app.user(t, "other@kil.se", "Otto", None, Some((plain, None))).await;
    let id = service::start(&app.db, &s, 2026, None, app.now()).await.expect("start");
    service::assign(&app.db, &s, id, "barn", Some(r_id), app.now()).await.expect("assign");
    let mut r = app.login("kil", "resp@kil.se").await;
    assert_eq!(r.post_form(&format!("/admin/eblomlada/{id}/omrade/barn"), &[("level_EB17-53", "2")]).await.status, 303);
    let refused = r.post_form(&format!("/admin/eblomlada/{id}/omrade/aldre"), &[("level_EB17-01", "2")]).await;
    assert_eq!(refused.status, 403, "MAT-008");
    assert_eq!(r.post_form(&format!("/admin/eblomlada/{id}/lamna-in"), &[]).await.status, 403, "only the lead submits");
    let mut o = app.login("kil", "other@kil.se").await;
    assert_eq!(o.get("/admin/eblomlada").await.status, 403);
    // Another municipality's administrator: 404 for every page of this assessment.
    let (_, _, b_email) = super::setup(&app, "arvika", "1784").await;
    let mut b = app.login("arvika", &b_email).await;
    for path in ["", "/resultat", "/atgardsplan", "/atgardsplan.xlsx", "/blomlada.svg", "/omrade/barn"] {
        assert_eq!(b.get(&format!("/admin/eblomlada/{id}{path}")).await.status, 404, "{path}");
    }
    assert_eq!(b.post_form(&format!("/admin/eblomlada/{id}/lamna-in"), &[]).await.status, 404);
    // An id that is not one is "not found" too.
    for path in ["/inte-ett-id", "/inte-ett-id/resultat", "/inte-ett-id/omrade/barn", "/inte-ett-id/rapport.pdf"] {
        assert_eq!(b.get(&format!("/admin/eblomlada{path}")).await.status, 404, "{path}");
    }
    assert_eq!(b.post_form("/admin/eblomlada/inte-ett-id/lamna-in", &[]).await.status, 404);
}
