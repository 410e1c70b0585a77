//! Material and equipment: item types, quantities per station and the standard kit, the
//! checklist with who and when, returned before delivered refused, the packing list as HTML
//! and PDF/A, the follow-up overview, the demo seeding and isolation between municipalities.

use std::collections::HashMap;

use radhus_elections::error::ElectionError;
use radhus_elections::material::{self, ItemInput, MarkInput};
use radhus_elections::structure::service::{self, StationInput};
use radhus_platform::db::Scope;

#[tokio::test]
async fn quantities_checklist_and_packing_list() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, st, _) = super::small_election(&app, &s).await;
    let rl = service::add_station(
        &app.db,
        &s,
        e,
        &StationInput {
            kind: "rostningslokal".into(),
            name: "Kils bibliotek".into(),
            lat: "59.50".into(),
            lon: "13.32".into(),
            ..Default::default()
        },
        app.now(),
    )
    .await
    .expect("röstningslokal");
    let mut c = app.login("kil", &email).await;

    // Item types of the municipality; the same name twice is refused.
    let r = c.post_form("/admin/val/material", &[("name", "Valsedlar riksdag – Centerpartiet"), ("category", "Valsedlar")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.post_form("/admin/val/material", &[("name", "valsedlar riksdag – centerpartiet")]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = c.post_form("/admin/val/material", &[("name", "  "), ("category", "Kuvert")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r##"<a class="ds-link" href="#i-name">"##) && r.body.contains("Skriv materialets namn."), "{}", r.body);
    assert!(
        r.body.contains(r#"<p class="ds-validation-message" data-field="validation" id="i-name-error">Skriv materialets namn.</p>"#),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains(r#"id="i-name" name="name" type="text" value="  " aria-invalid="true" aria-describedby="i-name-hint i-name-error">"#),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"value="Kuvert""#) && r.body.contains("Kategori (frivilligt)"), "{}", r.body);
    let urna = material::add_item(
        &app.db,
        &s,
        &ItemInput { name: "Valurna".into(), category: "Utrustning".into(), unit: String::new() },
        app.now(),
    )
    .await
    .expect("item");
    let page = c.get("/admin/val/material").await;
    assert!(page.body.contains("Valsedlar riksdag – Centerpartiet") && page.body.contains("Valurna"));
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let items = material::items(&mut tx, t).await.expect("items");
    tx.commit().await.expect("commit");
    let sedlar = items.iter().find(|i| i.category == "Valsedlar").expect("sedlar").id;
    assert_eq!(items.iter().find(|i| i.id == urna).expect("urna").unit, "st");

    // Bad quantities are field errors; nothing is stored and the form keeps what was typed.
    let qs = format!("q-{sedlar}");
    let qu = format!("q-{urna}");
    let r = c.post_form(&format!("/admin/val/{e}/material/{st}"), &[(&qs, "-3"), (&qu, "2")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains(&format!(r##"<a class="ds-link" href="#q-{sedlar}">Antal: Skriv ett heltal, 0 eller mer.</a>"##)),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!(r#"value="-3" aria-invalid="true" aria-describedby="q-{sedlar}-error">"#)), "{}", r.body);
    assert!(r.body.contains(&format!(r#"id="q-{sedlar}-error">Skriv ett heltal, 0 eller mer.</span>"#)), "{}", r.body);
    assert!(!r.body.contains(&format!(r#"id="q-{urna}-error""#)), "the good quantity has no message");
    let r = c.post_form(&format!("/admin/val/{e}/material/{st}"), &[(&qs, "tio")]).await;
    assert_eq!(r.status, 422);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert!(material::materials(&mut tx, t, e).await.expect("m").is_empty(), "nothing half-written");
    tx.commit().await.expect("commit");
    let r = c.post_form(&format!("/admin/val/{e}/material/{st}"), &[(&qs, "400"), (&qu, "3")]).await;
    assert_eq!(r.status, 303, "{}", r.body);

    // The standard kit fills every röstningslokal; the vallokal is left alone.
    let r = c.post_form(&format!("/admin/val/{e}/material/standard"), &[("station_kind", "rostningslokal"), (&qs, "x")]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(&format!(r##"href="#k-{sedlar}""##)) && r.body.contains(&format!(r#"aria-describedby="k-{sedlar}-error""#)),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"<option value="rostningslokal" selected>"#), "the kind is kept: {}", r.body);
    let r = c.post_form(&format!("/admin/val/{e}/material/standard"), &[("station_kind", "rostningslokal"), (&qs, "")]).await;
    assert_eq!(r.status, 422, "an empty kit");
    assert!(r.body.contains("Fyll i antal för minst ett material."), "{}", r.body);
    let r = c.post_form(&format!("/admin/val/{e}/material/standard"), &[("station_kind", "skola"), (&qs, "1")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains(r##"href="#k-kind""##)
            && r.body.contains(r#"id="k-kind" name="station_kind" aria-invalid="true" aria-describedby="k-kind-error">"#),
        "{}",
        r.body
    );
    let r = c.post_form(&format!("/admin/val/{e}/material/standard"), &[("station_kind", "rostningslokal"), (&qs, "900"), (&qu, "")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let m = material::materials(&mut tx, t, e).await.expect("m");
    tx.commit().await.expect("commit");
    let q = |station, item| m.iter().find(|x| x.station_id == station && x.item_id == item).map(|x| x.quantity);
    assert_eq!((q(st, sedlar), q(st, urna), q(rl, sedlar), q(rl, urna)), (Some(400), Some(3), Some(900), None));

    // Returned before delivered is a rule error, nothing changes.
    let r = c
        .post_form(
            &format!("/admin/val/{e}/material/{st}/markera"),
            &[("step", "returned"), ("item", &urna.to_string()), ("returned", "3")],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("innan det har levererats"), "{}", r.body);
    let err = material::mark(&app.db, &s, e, st, &MarkInput { step: "returned".into(), ..Default::default() }, app.now())
        .await
        .expect_err("refused");
    assert_eq!(err.code().code, ElectionError::ReturnBeforeDelivery.code());
    let r = c.post_form(&format!("/admin/val/{e}/material/{st}/markera"), &[("step", "shipped")]).await;
    assert_eq!(r.status, 422);

    // Packed for one item, delivered for the whole station, returned with another quantity.
    let r = c.post_form(&format!("/admin/val/{e}/material/{st}/markera"), &[("step", "packed"), ("item", &sedlar.to_string())]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        material::mark(&app.db, &s, e, st, &MarkInput { step: "packed".into(), ..Default::default() }, app.now()).await.expect("packed"),
        1,
        "only the one not yet packed"
    );
    let r = c.post_form(&format!("/admin/val/{e}/material/{st}/markera"), &[("step", "delivered")]).await;
    assert_eq!(r.status, 303);
    let r = c
        .post_form(
            &format!("/admin/val/{e}/material/{st}/markera"),
            &[("step", "returned"), ("item", &urna.to_string()), ("returned", "-1")],
        )
        .await;
    assert_eq!(r.status, 422, "a negative returned quantity");
    assert!(r.body.contains(&format!(r##"href="#r-{urna}""##)), "{}", r.body);
    assert!(r.body.contains(&format!(r#"aria-invalid="true" aria-describedby="r-{urna}-error">"#)), "{}", r.body);
    let r = c
        .post_form(
            &format!("/admin/val/{e}/material/{st}/markera"),
            &[("step", "returned"), ("item", &urna.to_string()), ("returned", "2")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let m = material::materials(&mut tx, t, e).await.expect("m");
    tx.commit().await.expect("commit");
    let u = m.iter().find(|x| x.station_id == st && x.item_id == urna).expect("urna");
    assert_eq!(u.packed_by.as_deref(), Some("Admin kil"));
    assert_eq!((u.packed_at, u.delivered_at, u.returned_at), (Some(app.now()), Some(app.now()), Some(app.now())));
    assert_eq!((u.delivered_by.as_deref(), u.returned_by.as_deref(), u.returned_quantity), (Some("Admin kil"), Some("Admin kil"), Some(2)));
    assert!(u.differs());

    // The station page shows who and when; the overview lists what is outstanding.
    let page = c.get(&format!("/admin/val/{e}/material/{st}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("(Admin kil)") && page.body.contains("avviker"), "{}", page.body);
    let page = c.get(&format!("/admin/val/{e}/material")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let follow = &page.body[page.body.find("id=\"uppfoljning\"").expect("follow-up")..];
    assert!(follow.contains("Kils bibliotek") && follow.contains("1 st"), "the röstningslokal is not delivered: {follow}");
    assert!(follow.contains("Valsedlar riksdag – Centerpartiet"), "the vallokal's ballot papers are not returned");
    assert!(follow.contains("<td>3</td><td>2</td>"), "the urn came back as 2 of 3");

    // Undo a step clears it and the later ones.
    material::mark(
        &app.db,
        &s,
        e,
        st,
        &MarkInput { step: "undo-delivered".into(), item: urna.to_string(), ..Default::default() },
        app.now(),
    )
    .await
    .expect("undo");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let m = material::materials(&mut tx, t, e).await.expect("m");
    tx.commit().await.expect("commit");
    let u = m.iter().find(|x| x.station_id == st && x.item_id == urna).expect("urna");
    assert!(u.packed_at.is_some() && u.delivered_at.is_none() && u.returned_at.is_none() && u.returned_quantity.is_none());

    // The packing list as a page and as PDF/A.
    let page = c.get(&format!("/admin/val/{e}/material/{st}/packlista")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("400 st") && page.body.contains("Valurna"));
    let pdf = c.get(&format!("/admin/val/{e}/material/{st}/packlista.pdf")).await;
    assert_eq!(pdf.status, 200, "{}", pdf.body);
    assert!(pdf.body.starts_with("%PDF-") && pdf.body.contains("pdfaid:part"));

    // Another municipality sees nothing and changes nothing.
    let (_, _, other) = super::setup(&app, "arvika", "1784").await;
    let mut o = app.login("arvika", &other).await;
    assert!(!o.get("/admin/val/material").await.body.contains("Valurna"));
    for path in ["material", &format!("material/{st}"), &format!("material/{st}/packlista"), &format!("material/{st}/packlista.pdf")] {
        assert_eq!(o.get(&format!("/admin/val/{e}/{path}")).await.status, 404, "{path}");
    }
    assert_eq!(o.post_form(&format!("/admin/val/{e}/material/{st}/markera"), &[("step", "delivered")]).await.status, 404);
    assert_eq!(o.post_form(&format!("/admin/val/{e}/material/{st}"), &[(&qs, "1")]).await.status, 404);
}

#[tokio::test]
async fn demo_seeding() {
    let app = super::app().await;
    let (t, s, _) = super::setup(&app, "kil", "1715").await;
    let (e, st, _) = super::small_election(&app, &s).await;
    service::add_station(
        &app.db,
        &s,
        e,
        &StationInput {
            kind: "rostningslokal".into(),
            name: "Kils bibliotek".into(),
            lat: "59.50".into(),
            lon: "13.32".into(),
            ..Default::default()
        },
        app.now(),
    )
    .await
    .expect("röstningslokal");
    material::seed_demo(&app.db, &s, e, app.now()).await.expect("seed");
    // Twice is fine: the item types are not duplicated.
    material::seed_demo(&app.db, &s, e, app.now()).await.expect("seed again");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let items = material::items(&mut tx, t).await.expect("items");
    let m = material::materials(&mut tx, t, e).await.expect("m");
    let rates = radhus_elections::reports::rates(&mut tx, t, e).await.expect("rates");
    tx.commit().await.expect("commit");
    assert!(items.iter().any(|i| i.name == "Valsedlar kommun – Centerpartiet"));
    assert!(
        ["Valkuvert", "Ytterkuvert", "Fönsterkuvert", "Valurna", "Röstskärm", "Sigill", "Uppsamlingslåda"]
            .iter()
            .all(|n| items.iter().any(|i| i.name == *n))
    );
    let names: HashMap<_, _> = items.iter().map(|i| (i.id, i.name.as_str())).collect();
    assert!(m.iter().any(|x| x.station_id == st && names[&x.item_id] == "Valurna" && x.quantity == 3));
    assert!(
        m.iter().filter(|x| x.station_id == st).all(|x| x.packed_at.is_some() && x.delivered_at.is_some()),
        "the first station is delivered"
    );
    assert!(m.iter().filter(|x| x.station_id != st).all(|x| x.delivered_at.is_none()));
    assert_eq!((rates.ordforande, rates.vice, rates.rostmottagare, rates.course), (2200, 1900, 1600, 300));
}
