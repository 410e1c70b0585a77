//! Projects group cases; a project's page shows only the cases the viewer may read.

use radhus_platform::identity::org::UnitKind;

#[tokio::test]
async fn projects_group_cases_and_hide_what_the_viewer_may_not_read() {
    let app = super::app().await;
    let (t, admin, ct) = super::setup(&app, "kil").await;
    let bygg = app.unit(t, "Bygglovsenheten", UnitKind::Forvaltning, None).await;
    let skola = app.unit(t, "Skolförvaltningen", UnitKind::Forvaltning, None).await;
    let role = app.role(t, "Handläggare", &["cases.handle"]).await;
    app.user(t, "omar@kil.se", "Omar Said", Some(bygg), Some((role, Some(bygg)))).await;
    let mut a = app.login("kil", &admin.email).await;
    let (ct_s, bygg_s, skola_s) = (ct.to_string(), bygg.to_string(), skola.to_string());
    let own = a.post_form("/admin/arenden", &[("case_type_id", &ct_s), ("title", "Detaljplan Norr: bygglov"), ("unit_id", &bygg_s)]).await;
    let own = own.location().expect("case").split('?').next().unwrap_or_default().to_string();
    let other =
        a.post_form("/admin/arenden", &[("case_type_id", &ct_s), ("title", "Detaljplan Norr: skolan"), ("unit_id", &skola_s)]).await;
    let other = other.location().expect("case").split('?').next().unwrap_or_default().to_string();

    // Creating: a name is required and unique.
    let r = a.post_form("/admin/projekt", &[("name", " "), ("description", "Planens ärenden")]).await;
    assert_eq!(r.status, 422);
    super::assert_at_field(&r.body, "p-name", "Skriv projektets namn, högst 200 tecken.");
    assert!(r.body.contains(">Planens ärenden</textarea>"), "the description is kept: {}", r.body);
    let r = a.post_form("/admin/projekt", &[("name", "Detaljplan Norr"), ("description", "Alla ärenden i planen")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let project = r.location().expect("project").to_string();
    let id = project.trim_start_matches("/admin/projekt/").to_string();
    let r = a.post_form("/admin/projekt", &[("name", "Detaljplan Norr"), ("description", "")]).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("finns redan ett projekt"));

    for case in [&own, &other] {
        let r = a.post_form(&format!("{case}/projekt"), &[("project_id", &id)]).await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    assert_eq!(a.post_form(&format!("{own}/projekt"), &[("project_id", "inte-ett-id")]).await.status, 422);
    let case_page = a.get(&own).await;
    assert!(case_page.body.contains("Ingår i projektet Detaljplan Norr") && case_page.body.contains(&project));
    let page = a.get(&project).await;
    assert!(page.body.contains("Detaljplan Norr: bygglov") && page.body.contains("Detaljplan Norr: skolan"));

    // A caseworker of one unit sees that unit's case and only a count of the other.
    let mut o = app.login("kil", "omar@kil.se").await;
    let page = o.get(&project).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Detaljplan Norr: bygglov") && !page.body.contains("Detaljplan Norr: skolan"), "{}", page.body);
    assert!(page.body.contains("Ett ärende i projektet tillhör en enhet"));
    assert_eq!(o.post_form("/admin/projekt", &[("name", "Eget"), ("description", "")]).await.status, 403, "no creating without distribute");
    assert_eq!(o.post_form(&format!("{other}/projekt"), &[("project_id", "")]).await.status, 404, "a case he may not read");

    // A closed project takes no new cases; a case already in it may stay.
    assert_eq!(a.post_form(&format!("{project}/status"), &[("status", "closed")]).await.status, 303);
    let third = a.post_form("/admin/arenden", &[("case_type_id", &ct_s), ("title", "Sent ärende"), ("unit_id", &bygg_s)]).await;
    let third = third.location().expect("case").split('?').next().unwrap_or_default().to_string();
    let r = a.post_form(&format!("{third}/projekt"), &[("project_id", &id)]).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Projektet är avslutat"));
    assert_eq!(a.post_form(&format!("{own}/projekt"), &[("project_id", &id)]).await.status, 303);
    assert_eq!(a.post_form(&format!("{own}/projekt"), &[("project_id", "")]).await.status, 303);
    assert!(a.get(&own).await.body.contains("Borttaget ur projektet Detaljplan Norr"));

    // Another municipality does not see the project.
    let (_, arvika, _) = super::setup(&app, "arvika").await;
    let mut b = app.login("arvika", &arvika.email).await;
    assert_eq!(b.get(&project).await.status, 404);
    assert!(!b.get("/admin/projekt").await.body.contains("Detaljplan Norr"));
}
