//! Administration: organisation tree, users, roles scoped to subtrees, operators' municipalities.

use radhus_platform::db::Scope;
use radhus_platform::identity::org::{self, UnitKind};
use radhus_platform::identity::permissions::{ADMIN_ORGANISATION, ADMIN_USERS};
use radhus_platform::tenancy;
use radhus_testkit::TestApp;

#[tokio::test]
async fn the_organisation_tree_follows_its_levels() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    let r = c.post_form("/admin/organisation", &[("name", "Enheten utan förvaltning"), ("kind", "enhet")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("bara förvaltningar ligger överst"), "{}", r.body);
    let r = c.post_form("/admin/organisation", &[("name", "Socialförvaltningen"), ("kind", "forvaltning")]).await;
    assert_eq!(r.status, 303);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let f = org::tree(&mut tx, t).await.expect("tree")[0].id;
    tx.commit().await.expect("commit");
    let fs = f.to_string();
    let r = c.post_form("/admin/organisation", &[("name", "Individ- och familjeomsorg"), ("kind", "avdelning"), ("parent_id", &fs)]).await;
    assert_eq!(r.status, 303);
    let page = c.get("/admin/organisation").await;
    assert!(page.body.contains("Socialförvaltningen") && page.body.contains("Individ- och familjeomsorg"));
    // A unit with children cannot be deleted.
    let r = c.post_form(&format!("/admin/organisation/{f}/ta-bort"), &[]).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("underenheter"));
    let r = c.post_form(&format!("/admin/organisation/{f}"), &[("name", "Socialtjänsten"), ("code", "SOC")]).await;
    assert_eq!(r.status, 303);
    assert!(c.get("/admin/organisation").await.body.contains("Socialtjänsten"));
}

#[tokio::test]
async fn a_scoped_user_admin_sees_and_changes_only_their_subtree() {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    let sbf = app.unit(t, "Samhällsbyggnad", UnitKind::Forvaltning, None).await;
    let bygg = app.unit(t, "Bygglov", UnitKind::Avdelning, Some(sbf)).await;
    let skola = app.unit(t, "Skola", UnitKind::Forvaltning, None).await;
    let role = app.role(t, "Användaradministratör", &[ADMIN_USERS]).await;
    app.user(t, "chef@kil.se", "Chef Samhällsbyggnad", Some(sbf), Some((role, Some(sbf)))).await;
    let inside = app.user(t, "bygg@kil.se", "Byggare Inne", Some(bygg), None).await;
    let outside = app.user(t, "larare@kil.se", "Lärare Ute", Some(skola), None).await;
    let mut c = app.login("kil", "chef@kil.se").await;
    let list = c.get("/admin/anvandare").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Byggare Inne"));
    assert!(!list.body.contains("Lärare Ute"), "a user outside the subtree is not listed");
    assert_eq!(c.get(&format!("/admin/anvandare/{inside}")).await.status, 200);
    assert_eq!(c.get(&format!("/admin/anvandare/{outside}")).await.status, 404);
    let skola_s = skola.to_string();
    let r = c
        .post_form(
            "/admin/anvandare",
            &[
                ("name", "Ny Lärare"),
                ("email", "ny@kil.se"),
                ("org_unit_id", &skola_s),
                ("password", "ett långt lösenord"),
                ("password_repeat", "ett långt lösenord"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "cannot create users outside the subtree");
    // No organisation rights: the organisation page is forbidden.
    assert_eq!(c.get("/admin/organisation").await.status, 403);
    // Reading users is audit-logged.
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let rows = radhus_platform::audit::recent(&mut tx, Some(t), None, 50).await.expect("audit");
    assert!(rows.iter().any(|r| r.action == "user.read" && r.object_id == inside.to_string()));
    assert!(rows.iter().any(|r| r.action == "access.not_found"));
}

#[tokio::test]
async fn roles_are_validated_and_assigned() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    let r = c
        .post_form("/admin/roller", &[("name", "Organisatör"), ("permissions", "admin.organisation"), ("permissions", "admin.finnsinte")])
        .await;
    assert_eq!(r.status, 422, "unknown permission refused");
    let r = c.post_form("/admin/roller", &[("name", " "), ("permissions", "admin.organisation")]).await;
    assert_eq!(r.status, 422, "a role needs a name");
    assert!(r.body.contains("Skriv rollens namn, högst 80 tecken."), "the message says what to do: {}", r.body);
    let r = c
        .post_form(
            "/admin/roller",
            &[("name", "Organisatör"), ("description", "Sköter organisationen"), ("permissions", ADMIN_ORGANISATION)],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = c.post_form("/admin/roller", &[("name", "Organisatör")]).await;
    assert_eq!(r.status, 409, "duplicate name");
    let u = app.user(t, "ny@kil.se", "Nils Ny", None, None).await;
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let role = radhus_platform::identity::roles::list(&mut tx, t)
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.name == "Organisatör")
        .expect("role")
        .id
        .to_string();
    tx.commit().await.expect("commit");
    let r = c.post_form(&format!("/admin/anvandare/{u}/roller"), &[("role_id", &role), ("org_unit_id", "")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut nils = app.login("kil", "ny@kil.se").await;
    assert_eq!(nils.get("/admin/organisation").await.status, 200);
    assert_eq!(nils.get("/admin/anvandare").await.status, 403);
}

#[tokio::test]
async fn operators_create_and_brand_municipalities() {
    let app = TestApp::new().await;
    let mut op = app.operator("drift@radhus.test").await;
    let form = [
        ("name", "Sunne"),
        ("kommunkod", "1766"),
        ("slug", "sunne"),
        ("primary_color", "#0b6e4f"),
        ("hosts", "sunne.localhost\nsunne.example"),
        ("contact_email", "kommun@sunne.se"),
    ];
    let r = op.post_form("/admin/kommuner", &form).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = op.post_form("/admin/kommuner", &form).await;
    assert_eq!(r.status, 409, "same kommunkod twice");
    let r = op
        .post_form(
            "/admin/kommuner",
            &[("name", "Ljusa"), ("kommunkod", "9999"), ("slug", "ljusa"), ("primary_color", "#ffff66"), ("hosts", "ljusa.localhost")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("för ljus"), "contrast checked");
    let mut visitor = app.client("sunne.example");
    let start = visitor.get("/").await;
    assert_eq!(start.status, 200);
    assert!(start.body.contains("Sunne kommun"));
    let css = visitor.get("/theme.css").await;
    assert!(css.body.contains("--ds-color-accent-base-default: #0b6e4f"));
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    let t = tenancy::by_slug(&mut tx, "sunne").await.expect("get").expect("sunne");
    tx.commit().await.expect("commit");
    let r = op
        .post_form(
            &format!("/admin/kommuner/{}", t.id),
            &[("name", "Sunne"), ("kommunkod", "1766"), ("slug", "sunne"), ("primary_color", "#1d3557"), ("hosts", "sunne.localhost")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(visitor.get("/").await.status, 404, "host removed");
    // Staff of a municipality cannot reach the operator's pages.
    let (_, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut staff = app.login("kil", &email).await;
    let r = staff.get(&format!("/admin/kommuner/{}", t.id)).await;
    // Not an operator is not logged in for these pages: to the login, and back here after it.
    let back = format!("/logga-in?next=%2Fadmin%2Fkommuner%2F{}", t.id);
    assert_eq!((r.status, r.location()), (303, Some(back.as_str())), "{}", r.body);
    let r = staff
        .post_form(
            &format!("/admin/kommuner/{}", t.id),
            &[("name", "Kapad"), ("kommunkod", "1766"), ("slug", "sunne"), ("primary_color", "#1d3557"), ("hosts", "sunne.localhost")],
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r.body.contains("<code>AUTH-005</code>"), "{}", r.body);
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    assert_eq!(tenancy::get(&mut tx, t.id).await.expect("sunne").name, "Sunne", "nothing changed");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn the_user_list_is_paginated() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    for i in 0..30 {
        app.user(t, &format!("u{i:02}@kil.se"), &format!("Användare {i:02}"), None, None).await;
    }
    let mut c = app.login("kil", &email).await;
    let first = c.get("/admin/anvandare").await;
    assert!(first.body.contains("31 användare") && first.body.contains("Användare 00") && !first.body.contains("Användare 29"));
    assert!(first.body.contains("/admin/anvandare?sida=2"));
    let second = c.get("/admin/anvandare?sida=2").await;
    assert!(second.body.contains("Användare 29") && !second.body.contains("Användare 00"));
    let api = c.get("/api/v1/users?page=1").await.json();
    assert_eq!(api["total"], 31);
    assert_eq!(api["users"].as_array().map(Vec::len), Some(31));
}

/// Every form of the back office answers the one way (issue 16): an id that does not parse is
/// "not found" like one that does not exist, and a refused form comes back with its messages,
/// what was typed and its CSRF field, with the error's status.
#[tokio::test]
async fn admin_forms_answer_one_way() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let unit = app.unit(t, "Socialförvaltningen", UnitKind::Forvaltning, None).await;
    let u = app.user(t, "ny@kil.se", "Nils Ny", None, None).await;
    let mut c = app.login("kil", &email).await;
    for path in ["/admin/anvandare/inte-ett-id", "/admin/roller/inte-ett-id", "/admin/mallar/account-created/xx"] {
        assert_eq!(c.get(path).await.status, 404, "{path}");
    }
    for path in [
        "/admin/organisation/inte-ett-id".to_string(),
        "/admin/organisation/inte-ett-id/ta-bort".to_string(),
        "/admin/anvandare/inte-ett-id/roller".to_string(),
        format!("/admin/anvandare/{u}/roller/inte-ett-id/ta-bort"),
    ] {
        assert_eq!(c.post_form(&path, &[("name", "x"), ("role_id", "x")]).await.status, 404, "{path}");
    }
    let r = c.post_form(&format!("/admin/organisation/{unit}"), &[("name", "  "), ("code", "SOC")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Skriv enhetens namn.") && r.body.contains(r#"name="_csrf""#), "{}", r.body);
    let r = c.post_form(&format!("/admin/anvandare/{u}/roller"), &[("role_id", "inte-ett-id")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Välj en roll som finns.") && r.body.contains("ny@kil.se"), "the user's form again: {}", r.body);
    let r = c.post_form("/admin/mallar/platform.account-created/sv", &[("subject", ""), ("body", "Mitt utkast")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Skriv ämnesraden.") && r.body.contains("Mitt utkast"), "what was typed comes back");

    let mut op = app.operator("drift@radhus.test").await;
    assert_eq!(op.get("/admin/kommuner/inte-ett-id").await.status, 404);
    assert_eq!(op.post_form("/admin/kommuner/inte-ett-id/e-legitimation", &[("issuer_url", "x")]).await.status, 404);
    let r = op.post_form(&format!("/admin/kommuner/{t}/e-legitimation"), &[("issuer_url", "ftp://idp"), ("client_id", "")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("https://") && r.body.contains("Skriv klient-id:t") && r.body.contains(r#"name="_csrf""#), "{}", r.body);
}
