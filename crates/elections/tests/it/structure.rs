//! Elections and their structure through the office's pages and services: creating, districts
//! with codes of the municipality, stations with opening hours, positions, copying to a new
//! election, and isolation between municipalities.

use radhus_elections::structure::service::{self, ElectionInput, OpeningInput, PositionsInput};
use radhus_elections::structure::store;
use radhus_platform::db::Scope;

#[tokio::test]
async fn structure_is_built_checked_and_copied() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(&app, &s).await;
    let mut c = app.login("kil", &email).await;

    // A district code of another municipality is refused with its code, nothing is stored.
    let r = c.post_form(&format!("/admin/val/{e}/distrikt"), &[("code", "17800101"), ("name", "Karlstad")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("hör till en annan kommun"), "{}", r.body);
    let r = c.post_form(&format!("/admin/val/{e}/distrikt"), &[("code", "1715001"), ("name", "Sju siffror")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("åtta siffror"));
    // The same code twice is a conflict.
    let r = c.post_form(&format!("/admin/val/{e}/distrikt"), &[("code", "17150001"), ("name", "Igen")]).await;
    assert_eq!(r.status, 409, "{}", r.body);

    // The vallokal opens on the election day 08:00–20:00 by default; a day outside the
    // election is refused; a röstningslokal opens on early-voting days.
    let page = c.get(&format!("/admin/val/{e}/lokaler/{st}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("8 september 2030") && page.body.contains("08:00") && page.body.contains("20:00"));
    let r = c
        .post_form(&format!("/admin/val/{e}/lokaler/{st}/oppettider"), &[("day", "2030-09-01"), ("opens", "08:00"), ("closes", "20:00")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("utanför valdagen"));
    let r = c
        .post_form(&format!("/admin/val/{e}/lokaler/{st}/oppettider"), &[("day", "2030-09-08"), ("opens", "20:00"), ("closes", "08:00")])
        .await;
    assert_eq!(r.status, 422);
    let r = c
        .post_form(&format!("/admin/val/{e}/lokaler"), &[("kind", "vallokal"), ("name", "Utan distrikt"), ("lat", "59.5"), ("lon", "13.3")])
        .await;
    assert_eq!(r.status, 422, "a vallokal needs a district");
    let r = c
        .post_form(
            &format!("/admin/val/{e}/lokaler"),
            &[("kind", "rostningslokal"), ("name", "Kils bibliotek"), ("lat", "59,50"), ("lon", "13,32")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let rl = r.headers["location"].to_str().expect("loc").rsplit('/').next().expect("id").to_string();
    let r = c
        .post_form(&format!("/admin/val/{e}/lokaler/{rl}/oppettider"), &[("day", "2030-09-01"), ("opens", "10:00"), ("closes", "18:00")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c
        .post_form(&format!("/admin/val/{e}/lokaler"), &[("kind", "rostningslokal"), ("name", "I havet"), ("lat", "40"), ("lon", "13")])
        .await;
    assert_eq!(r.status, 422, "coordinates outside Sweden");

    // A station's name, address and coordinates are changed; a vallokal keeps a district of
    // the election; bad input changes nothing.
    let change = format!("/admin/val/{e}/lokaler/{st}/andra");
    let page = c.get(&format!("/admin/val/{e}/lokaler/{st}")).await;
    assert!(page.body.contains(&format!("action=\"{change}\"")), "{}", page.body);
    let form = |name: &'static str, district: &'static str| {
        vec![("name", name), ("address", "Kyrkogatan 1, Kil"), ("lat", "59,505"), ("lon", "13.315"), ("district", district)]
    };
    assert_eq!(c.post_form(&change, &form(" ", "17150001")).await.status, 422);
    assert_eq!(c.post_form(&change, &form("Kils kyrka", "17159999")).await.status, 422);
    let r = c.post_form(&change, &form("Kils kyrka", "")).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Kils kyrka"), "the form keeps what was typed: {}", r.body);
    let r = c.post_form(&change, &form("Kils församlingshem, stora salen", "17150001")).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let changed = store::station(&mut app.db.read(Scope::Tenant(t)).await.expect("tx"), t, e, st).await.expect("station").expect("there");
    assert_eq!(
        (changed.name.as_str(), changed.address.as_str(), changed.lat, changed.lon),
        ("Kils församlingshem, stora salen", "Kyrkogatan 1, Kil", 59.505, 13.315)
    );
    assert_eq!(changed.district_code.as_deref(), Some("17150001"));

    // A district's name, valkrets and voters change on its page; its code does not.
    let page = c.get(&format!("/admin/val/{e}/distrikt/17150001")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(c.get(&format!("/admin/val/{e}/distrikt/17159999")).await.status, 404);
    let r = c.post_form(&format!("/admin/val/{e}/distrikt/17150001"), &[("name", ""), ("voters", "1200")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = c.post_form(&format!("/admin/val/{e}/distrikt/17150001"), &[("name", "Kil centrum"), ("voters", "-3")]).await;
    assert_eq!(r.status, 422);
    let r = c.post_form(&format!("/admin/val/{e}/distrikt/17150001"), &[("name", "Kil centrum"), ("constituency", "x")]).await;
    assert_eq!(r.status, 422);
    let r = c
        .post_form(&format!("/admin/val/{e}/distrikt/17150001"), &[("code", "17159999"), ("name", "Kil centrum"), ("voters", "1234")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let d =
        store::district(&mut app.db.read(Scope::Tenant(t)).await.expect("tx"), t, e, "17150001").await.expect("d").expect("kept its code");
    assert_eq!((d.name.as_str(), d.voters), ("Kil centrum", Some(1234)));

    // A valkrets is renamed on its page; a name the election already has is a conflict.
    for name in ["Kil 1", "Kil 2"] {
        assert_eq!(c.post_form(&format!("/admin/val/{e}/valkretsar"), &[("name", name)]).await.status, 303);
    }
    let ks = store::constituencies(&mut app.db.read(Scope::Tenant(t)).await.expect("tx"), t, e).await.expect("valkretsar");
    let k1 = ks.iter().find(|k| k.name == "Kil 1").expect("Kil 1").id;
    let rename = format!("/admin/val/{e}/valkretsar/{k1}");
    assert_eq!(c.get(&rename).await.status, 200);
    assert_eq!(c.post_form(&rename, &[("name", " ")]).await.status, 422);
    let r = c.post_form(&rename, &[("name", "Kil 2")]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(c.post_form(&rename, &[("name", "Kil norra")]).await.status, 303);
    let ks = store::constituencies(&mut app.db.read(Scope::Tenant(t)).await.expect("tx"), t, e).await.expect("valkretsar");
    assert!(ks.iter().any(|k| k.id == k1 && k.name == "Kil norra"), "{ks:?}");
    assert_eq!(c.get(&format!("/admin/val/{e}/valkretsar/{}", uuid::Uuid::now_v7())).await.status, 404);
    // An id that is not one is not found, like one that does not exist (also before a form).
    assert_eq!(c.get("/admin/val/inte-ett-id").await.status, 404);
    assert_eq!(c.get(&format!("/admin/val/{e}/valkretsar/{k1}x")).await.status, 404);
    assert_eq!(c.post_form(&format!("/admin/val/{e}/valkretsar/x{k1}"), &[("name", "Kil")]).await.status, 404);
    assert_eq!(c.get(&format!("/admin/val/{e}/kurser/{k1}.pdf")).await.status, 404);
    assert_eq!(c.get(&format!("/admin/val/{e}/bemanning/brev/inte-ett-id.pdf")).await.status, 404);

    // A shift's name, day and hours change on its page; hours that end first are refused.
    let shift = format!("/admin/val/{e}/pass/{sh}");
    assert_eq!(c.get(&shift).await.status, 200);
    let r = c.post_form(&shift, &[("name", "Hela dagen"), ("day", "2030-09-08"), ("starts", "21:00"), ("ends", "07:30")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    // An empty name on the shift's page: the summary links to the field, which carries the message.
    let r = c.post_form(&shift, &[("name", " "), ("day", "2030-09-08"), ("starts", "07:00"), ("ends", "21:00")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r##"<a class="ds-link" href="#sh-name">"##), "{}", r.body);
    assert!(
        r.body.contains(r#"id="sh-name" name="name" type="text" value=" " aria-invalid="true" aria-describedby="sh-name-error">"#),
        "{}",
        r.body
    );
    // A new election without a name, and an election's settings with a too long diary number.
    let r = c.post_form("/admin/val", &[("kind", "extraval"), ("name", ""), ("election_day", "2031-03-02")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r##"<a class="ds-link" href="#name">Namn: Skriv valets namn.</a>"##), "{}", r.body);
    assert!(r.body.contains(r#"id="name-error">Skriv valets namn.</p>"#), "{}", r.body);
    assert!(
        r.body.contains(r#"id="name" name="name" type="text" value="" aria-invalid="true" aria-describedby="name-error">"#),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"<option value="extraval" selected>"#), "the kind is kept: {}", r.body);
    let long = "D".repeat(41);
    let r = c.post_form(&format!("/admin/val/{e}/installningar"), &[("candidate_policy", "block"), ("diary_number", &long)]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r##"<a class="ds-link" href="#diary_number">"##), "{}", r.body);
    assert!(r.body.contains(r#"id="diary_number-error">Korta diarienumret till högst 40 tecken.</p>"#), "{}", r.body);
    assert!(r.body.contains(r#"aria-invalid="true" aria-describedby="diary_number-hint diary_number-error">"#), "{}", r.body);
    let r = c.post_form(&shift, &[("name", "Hela valdagen"), ("day", "2030-09-08"), ("starts", "07:00"), ("ends", "21:00")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let shifts = store::shifts(&mut app.db.read(Scope::Tenant(t)).await.expect("tx"), t, e).await.expect("shifts");
    let x = shifts.iter().find(|x| x.id == sh).expect("shift");
    assert_eq!(
        (x.name.as_str(), radhus_elections::support::view::hm(x.starts), radhus_elections::support::view::hm(x.ends)),
        ("Hela valdagen", "07:00".into(), "21:00".into())
    );
    assert_eq!(c.get(&format!("/admin/val/{e}/pass/{}", uuid::Uuid::now_v7())).await.status, 404);

    // Positions: 1 ordförande, 1 vice, 3 röstmottagare.
    for (role, n) in [("ordforande", "1"), ("vice", "1"), ("rostmottagare", "3")] {
        service::add_positions(
            &app.db,
            &s,
            e,
            st,
            &PositionsInput { shift: sh.to_string(), role: role.into(), count: n.into(), language: String::new() },
            app.now(),
        )
        .await
        .expect("positions");
    }
    let r = c
        .post_form(
            &format!("/admin/val/{e}/lokaler/{st}/platser"),
            &[("shift", &sh.to_string()), ("role", "rostmottagare"), ("count", "0")],
        )
        .await;
    assert_eq!(r.status, 422);
    let page = c.get(&format!("/admin/val/{e}/struktur")).await;
    assert!(
        page.body.contains("Kils församlingshem") && page.body.contains("Kils bibliotek") && page.body.contains("17150001 Kil centrum")
    );

    // A new election copies the structure with dates moved by the distance of the election days.
    let e2 = service::create_election(
        &app.db,
        &s,
        &ElectionInput {
            kind: "riksdag".into(),
            name: "Valen 2030".into(),
            election_day: "2030-09-08".into(),
            early_from: "2030-08-21".into(),
            early_to: "2030-09-08".into(),
            copy_from: e.to_string(),
        },
        app.now(),
    )
    .await
    .expect("copy");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert_eq!(store::districts(&mut tx, t, e2).await.expect("d").len(), 1);
    assert_eq!(store::stations(&mut tx, t, e2).await.expect("s").len(), 2);
    assert_eq!(store::positions(&mut tx, t, e2).await.expect("p").len(), 5);
    let days: Vec<_> = store::openings(&mut tx, t, e2).await.expect("o").iter().map(|o| o.day.to_string()).collect();
    assert_eq!(days, vec!["2030-09-01", "2030-09-08"], "the same election day: the days stay");
    assert_eq!(store::shifts(&mut tx, t, e2).await.expect("sh")[0].day.to_string(), "2030-09-08");
    tx.commit().await.expect("commit");

    // A shift with positions stays; one without is removed.
    let r = c.post_form(&format!("{shift}/ta-bort"), &[]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Passet har platser"), "{}", r.body);
    let r = c
        .post_form(&format!("/admin/val/{e}/pass"), &[("name", "Extra"), ("day", "2030-09-08"), ("starts", "20:00"), ("ends", "22:00")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let extra = store::shifts(&mut app.db.read(Scope::Tenant(t)).await.expect("tx"), t, e)
        .await
        .expect("shifts")
        .into_iter()
        .find(|x| x.name == "Extra")
        .expect("extra")
        .id;
    assert_eq!(c.post_form(&format!("/admin/val/{e}/pass/{extra}/ta-bort"), &[]).await.status, 303);
    assert!(
        !store::shifts(&mut app.db.read(Scope::Tenant(t)).await.expect("tx"), t, e).await.expect("shifts").iter().any(|x| x.id == extra)
    );

    // Another municipality sees none of it.
    let (_, _, other) = super::setup(&app, "arvika", "1784").await;
    let mut o = app.login("arvika", &other).await;
    assert_eq!(o.get(&format!("/admin/val/{e}")).await.status, 404);
    assert_eq!(o.get(&format!("/admin/val/{e}/lokaler/{st}")).await.status, 404);
    assert_eq!(
        o.post_form(&format!("/admin/val/{e}/lokaler/{st}/andra"), &[("name", "X"), ("lat", "59.5"), ("lon", "13.3")]).await.status,
        404
    );
    assert_eq!(o.get(&format!("/admin/val/{e}/distrikt/17150001")).await.status, 404);
    assert_eq!(o.post_form(&format!("/admin/val/{e}/valkretsar/{k1}"), &[("name", "X")]).await.status, 404);
    assert_eq!(o.post_form(&format!("/admin/val/{e}/distrikt/17150001"), &[("name", "X")]).await.status, 404);
    let r = o
        .post_form(&format!("/admin/val/{e}/pass/{sh}"), &[("name", "X"), ("day", "2030-09-08"), ("starts", "07:00"), ("ends", "08:00")])
        .await;
    assert_eq!(r.status, 404);
    assert!(!o.get("/admin/val").await.body.contains("Valen 2030"));
    let r = o
        .post_form(&format!("/admin/val/{e}/lokaler/{st}/oppettider"), &[("day", "2030-09-08"), ("opens", "07:00"), ("closes", "21:00")])
        .await;
    assert_eq!(r.status, 404);
    service::set_opening(
        &app.db,
        &s,
        e,
        st,
        &OpeningInput { day: "2030-09-08".into(), opens: "08:00".into(), closes: "21:00".into() },
        app.now(),
    )
    .await
    .expect("own election");
}
