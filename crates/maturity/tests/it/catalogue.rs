//! Catalogues: the shipped 2017 list, importing a new version from CSV (with every problem
//! listed and nothing written), mappings between versions and comparing across them.

use radhus_maturity::domain::Level;
use radhus_maturity::service;

#[tokio::test]
async fn the_shipped_catalogue_is_in_the_database() {
    let app = super::app().await;
    let mut tx = app.db.read(radhus_platform::db::Scope::Platform).await.expect("tx");
    let db = radhus_maturity::store::catalogue(&mut tx, "2017").await.expect("q").expect("2017");
    tx.commit().await.expect("commit");
    let shipped = radhus_maturity::domain::parse_catalogue("2017", "eBlomlåda 2017", include_str!("../../../../data/eblomlada-2017.csv"))
        .expect("csv");
    assert_eq!(db, shipped, "migration and data/eblomlada-2017.csv agree");
    assert_eq!(db.max_points(), 264);
    let json = app.client("localhost").get("/api/v1/maturity/catalogues/2017").await.json();
    assert_eq!(json["max_points"], 264);
    assert_eq!(json["indicators"].as_array().map(Vec::len), Some(88));
}

const V2019: &str = "id,area_key,area,level,indicator\n\
    N-01,aldre,Äldre & personer i behov av omsorg,blomma,Kvalitetsjämförelse av särskilda boenden.\n\
    N-02,ledning,\"Ledning, arbetssätt & utveckling\",gräs,Digitalt först.\n\
    N-03,teknik,Tekniska förutsättningar,jord,Bredband.\n";

#[tokio::test]
async fn importing_catalogues_and_comparing_across_versions() {
    let app = super::app().await;
    let mut op = app.operator("drift@radhus.localhost").await;
    // Staff cannot import; the page is the operators'.
    let (_, s, email) = super::setup(&app, "kil", "1715").await;
    let mut staff = app.login("kil", &email).await;
    let r = staff.post_form("/admin/eblomlada/kataloger", &[("version", "x"), ("name", "x"), ("csv", V2019)]).await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r.body.contains("<code>AUTH-005</code>"), "{}", r.body);
    // Without a version and a name the import is refused at those fields; the CSV is kept.
    let r = op.post_form("/admin/eblomlada/kataloger", &[("version", " "), ("name", ""), ("csv", V2019)]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let msg = "Skriv versionen med bokstäver, siffror, punkt och bindestreck, högst 20 tecken.";
    assert!(r.body.contains(&format!(r##"<a class="ds-link" href="#version">Version: {msg}</a>"##)), "{}", r.body);
    assert!(r.body.contains(&format!(r#"<p class="ds-validation-message" data-field="validation" id="version-error">{msg}</p>"#)));
    assert!(
        r.body.contains(
            r#"id="version" name="version" type="text" value=" " aria-invalid="true" aria-describedby="version-hint version-error">"#
        ),
        "{}",
        r.body
    );
    assert!(r.body.contains(r##"<a class="ds-link" href="#name">Namn: Skriv indikatorversionens namn.</a>"##), "{}", r.body);
    assert!(r.body.contains("N-03,teknik,Tekniska förutsättningar,jord,Bredband."), "the CSV is kept");
    // Only the refused form shows the problems: the mapping's fields are untouched.
    assert!(
        r.body.contains(r#"<textarea class="ds-input" id="map-csv" name="csv" rows="6" aria-describedby="map-csv-hint">"#),
        "{}",
        r.body
    );
    assert!(!r.body.contains(" required"), "no browser pop-ups");
    let bad = "id,area_key,area,level,indicator\nA1,aldre,Äldre,blomma,Ett\nA1,aldre,Äldre,blomma,Två\nA2,rymden,Rymden,blomma,Tre\n";
    let r = op.post_form("/admin/eblomlada/kataloger", &[("version", "2019"), ("name", "eBlomlåda 2019"), ("csv", bad)]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Rad 3: id A1 finns redan") && r.body.contains("Rad 4: okänt område rymden"), "{}", r.body);
    assert!(
        r.body.contains(r##"<a class="ds-link" href="#csv">Indikatorer (CSV): CSV-filen innehåller fel och importerades inte."##),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"id="csv" name="csv" rows="8" aria-invalid="true" aria-describedby="csv-hint csv-error">"#), "{}", r.body);
    let list = op.get("/admin/eblomlada/kataloger").await;
    assert!(!list.body.contains("eBlomlåda 2019"), "nothing imported");
    let r = op.post_form("/admin/eblomlada/kataloger", &[("version", "2019"), ("name", "eBlomlåda 2019"), ("csv", V2019)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("3 indikatorer importerades"));
    assert_eq!(op.post_form("/admin/eblomlada/kataloger", &[("version", "2019"), ("name", "igen"), ("csv", V2019)]).await.status, 409);
    // 2018 on the 2017 list, 2019 on the new one.
    super::submitted(&app, &s, 2018, |_| Level::Partly).await;
    let id = service::start(&app.db, &s, 2019, Some("2019"), app.now()).await.expect("start");
    for (area, ind) in [("aldre", "N-01"), ("ledning", "N-02"), ("teknik", "N-03")] {
        let a = service::AnswerInput { indicator_id: ind.into(), level: "3".into(), ..Default::default() };
        service::save_area(&app.db, &s, id, area, &[a], app.now()).await.expect("save");
    }
    service::submit(&app.db, &s, id, app.now()).await.expect("submit");
    let page = staff.get(&format!("/admin/eblomlada/{id}/resultat")).await;
    assert!(page.body.contains("9 av 9"));
    assert!(page.body.contains("bygger på olika indikatorversioner och det finns ingen mappning"), "MAT-006 shown");
    // A mapping with an unknown indicator is refused; a good one makes the change visible.
    let r = op
        .post_form(
            "/admin/eblomlada/kataloger/mappning",
            &[("from", "2017"), ("to", "2019"), ("csv", "from_id,to_id\nEB17-01,N-01\nEB17-99,N-02\n")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Rad 3: okänd indikator EB17-99"));
    assert!(r.body.contains(r##"<a class="ds-link" href="#map-csv">Mappning (CSV): "##), "{}", r.body);
    assert!(
        r.body.contains(r#"id="map-csv" name="csv" rows="6" aria-invalid="true" aria-describedby="map-csv-hint map-csv-error">"#),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"<option value="2019" selected>2019</option>"#), "the chosen versions are kept");
    let r = op
        .post_form(
            "/admin/eblomlada/kataloger/mappning",
            &[("from", "2017"), ("to", "2019"), ("csv", "from_id,to_id\nEB17-01,N-01\nEB17-09,N-02\n")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page = staff.get(&format!("/admin/eblomlada/{id}/resultat")).await;
    assert!(page.body.contains("+2 poäng sedan 2018"), "two mapped indicators, each partly → fully");
}

/// The module's messages exist in both languages, and every id its templates and code ask for
/// is there with only the platform beside it (no borrowing of another module's messages).
#[test]
fn every_message_the_module_uses_exists_in_swedish_and_english() {
    use radhus_kernel::Lang;
    use radhus_platform::web::I18n;
    let mut ftl = radhus_platform::web::i18n::PLATFORM_FTL.to_vec();
    ftl.extend(radhus_maturity::module().ftl);
    assert_eq!(I18n::missing_ids(&ftl), Vec::<String>::new());
    let i18n = I18n::new(&ftl).expect("ftl");
    let sources = [
        include_str!("../../templates/maturity/list.html"),
        include_str!("../../templates/maturity/assessment.html"),
        include_str!("../../templates/maturity/area.html"),
        include_str!("../../templates/maturity/results.html"),
        include_str!("../../templates/maturity/actions.html"),
        include_str!("../../templates/maturity/catalogues.html"),
        include_str!("../../templates/maturity/public_none.html"),
        include_str!("../../src/web.rs"),
        include_str!("../../src/view.rs"),
        include_str!("../../src/domain.rs"),
        include_str!("../../src/service.rs"),
        include_str!("../../src/export.rs"),
    ];
    let mut checked = 0;
    for src in sources {
        for piece in src.split('"').skip(1).step_by(2) {
            let known_prefix = ["mat-", "err-", "field-", "perm-"].iter().any(|p| piece.starts_with(p));
            if known_prefix && piece.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') && !piece.ends_with('-') {
                checked += 1;
                for lang in [Lang::Sv, Lang::En] {
                    assert!(i18n.has(lang, piece), "{piece} missing in {lang:?}");
                }
            }
        }
    }
    assert!(checked > 100, "{checked} ids checked");
}
