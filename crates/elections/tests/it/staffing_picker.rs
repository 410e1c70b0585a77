//! Placing a person by hand (issue 18 items 5 and 16): the dashboard signposts it, the picker
//! starts empty and groups people by whether they meet the role's requirements, a vacant
//! position nobody can take says why, and the run summary is in plain words.

use radhus_elections::structure::service::{self, PositionsInput};
use uuid::Uuid;

use super::staffing::{applicant, course};

#[tokio::test]
async fn the_picker_starts_empty_groups_by_requirements_and_says_why_nobody_fits() {
    let app = super::app().await;
    let (_t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(&app, &s).await;
    service::add_positions(
        &app.db,
        &s,
        e,
        st,
        &PositionsInput { shift: sh.to_string(), role: "rostmottagare".into(), count: "3".into(), language: String::new() },
        app.now(),
    )
    .await
    .expect("positions");
    let grund = course(&app, &s, e, "grund").await;
    let trained = applicant(&app, &s, e, sh, "Tränad", "1980-01-01", 1.0, None, &[grund], false).await;
    let untrained = applicant(&app, &s, e, sh, "Otränad", "1985-01-01", 0.5, None, &[], false).await;
    let mut c = app.login("kil", &email).await;

    let dash = c.get(&format!("/admin/val/{e}/bemanning")).await;
    assert_eq!(dash.status, 200);
    assert!(dash.body.contains("Placera en person för hand"), "{}", dash.body);

    let page = c.get(&format!("/admin/val/{e}/bemanning/lokal/{st}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let b = &page.body;
    assert!(b.contains(r#"<option value="" selected>Välj person</option>"#), "{b}");
    let fit = b.find(r#"<optgroup label="Uppfyller kraven för rollen">"#).expect("group of those who qualify");
    let lacking = b.find(r#"<optgroup label="Saknar kurs, erfarenhet eller språk">"#).expect("group of those who lack something");
    let at = |id: Uuid| b.find(&format!(r#"<option value="{id}">"#)).expect("offered");
    assert!(fit < at(trained) && at(trained) < lacking, "the trained person is among those who qualify");
    assert!(lacking < at(untrained), "the untrained person is among those who lack the course");

    // Submitting the empty choice places nobody.
    let position = {
        let i = b.find(r#"name="position" value=""#).expect("a position") + r#"name="position" value=""#.len();
        b[i..i + 36].to_string()
    };
    let r = c.post_form(&format!("/admin/val/{e}/bemanning/lokal/{st}/placera"), &[("position", &position), ("person", "")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    // The summary links to that position's select, which carries the message.
    assert!(
        r.body.contains(&format!(r##"<a class="ds-link" href="#person-{position}">Välj vem som ska placeras på platsen.</a>"##)),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!(r#"id="person-{position}-error">Välj vem som ska placeras på platsen.</p>"#)), "{}", r.body);
    assert!(
        r.body.contains(&format!(
            r#"id="person-{position}" name="person" aria-describedby="person-hint-{position} person-{position}-error" aria-invalid="true">"#
        )),
        "{}",
        r.body
    );

    // Both placed by hand: the third position says why nobody can take it.
    for p in [trained, untrained] {
        let page = c.get(&format!("/admin/val/{e}/bemanning/lokal/{st}")).await;
        let form = page.body.find("/placera\"").expect("a vacant position");
        let i = form + page.body[form..].find(r#"name="position" value=""#).expect("its id") + r#"name="position" value=""#.len();
        let pos = page.body[i..i + 36].to_string();
        let r =
            c.post_form(&format!("/admin/val/{e}/bemanning/lokal/{st}/placera"), &[("position", &pos), ("person", &p.to_string())]).await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let page = c.get(&format!("/admin/val/{e}/bemanning/lokal/{st}")).await;
    assert!(!page.body.contains("Välj person"), "no picker without anybody to pick");
    assert!(page.body.contains("Ingen antagen sökande kan ta platsen. Av de 2 antagna 2 har redan en plats."), "{}", page.body);

    // The run summary is in plain words: no running time in milliseconds.
    let r = super::optimise(&mut c, e, true).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let dash = c.get(&format!("/admin/val/{e}/bemanning")).await;
    assert!(dash.body.contains("Senaste körningen") && dash.body.contains("placerade"), "{}", dash.body);
    assert!(!dash.body.contains(" ms.") && !dash.body.contains("optimeraren"), "{}", dash.body);
}
