//! The import of districts and polling places from Valmyndigheten-shaped files into an
//! election: own municipality only, per-row problems, import of the good rows, updates on a
//! second import, isolation, and the shipped Värmland demo files.

use radhus_elections::registers::store as reg_store;
use radhus_elections::structure::store;
use radhus_platform::db::Scope;

use super::registers::{actions, location, upload};

const VALLOKALER: &str = "\u{feff}[
 {\"LÄNSKOD\": \"17\", \"KOMMUNKOD\": \"1715\", \"VALDISTRIKTKOD\": \"17150102\", \"VALDISTRIKTNAMN\": \"Kil norra\",
  \"LOKALNAMN\": \"Norra skolan\", \"ADRESS\": \"Skolvägen 3\", \"POSTNUMMER\": \"665 33\", \"POSTORT\": \"Kil\", \"LATITUD\": \"59,5180\", \"LONGITUD\": \"13,3150\"},
 {\"länskod\": \"17\", \"kommunkod\": \"15\", \"valdistriktkod\": \"17150001\", \"valdistriktnamn\": \"Kil centrum\",
  \"lokalnamn\": \"Kils bibliotek\", \"adress\": \"Torggatan 1\", \"latitud\": \"59,5030\", \"longitud\": \"13,3200\"},
 {\"LÄNSKOD\": \"17\", \"KOMMUNKOD\": \"1780\", \"VALDISTRIKTKOD\": \"17800101\", \"VALDISTRIKTNAMN\": \"Centrum\",
  \"LOKALNAMN\": \"Karlstads församlingshem\", \"LATITUD\": \"59,38\", \"LONGITUD\": \"13,50\"},
 {\"LÄNSKOD\": \"17\", \"KOMMUNKOD\": \"1715\", \"VALDISTRIKTKOD\": \"17150103\", \"VALDISTRIKTNAMN\": \"Kil södra\",
  \"LOKALNAMN\": \"Södra skolan\", \"LATITUD\": \"91,0\", \"LONGITUD\": \"13,3\"},
 {\"LÄNSKOD\": \"17\", \"KOMMUNKOD\": \"1715\", \"VALDISTRIKTKOD\": \"17800104\", \"VALDISTRIKTNAMN\": \"Fel kod\",
  \"LOKALNAMN\": \"Fagerås bygdegård\", \"LATITUD\": \"59,55\", \"LONGITUD\": \"13,25\"},
 {\"KOMMUNKOD\": \"1715\", \"VALDISTRIKTKOD\": \"1715010\", \"VALDISTRIKTNAMN\": \"\",
  \"LOKALNAMN\": \"Högboda skola\", \"LATITUD\": \"59,60\", \"LONGITUD\": \"13,20\"}
]";

#[tokio::test]
async fn valmyndigheten_files_are_previewed_and_imported() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (_, _, other_email) = super::setup(&app, "arvika", "1784").await;
    let (e, _, _) = super::small_election_on(&app, &s, "2026-09-13").await;
    let mut c = app.login("kil", &email).await;
    let base = format!("/admin/val/{e}/import");
    let page = c.get(&base).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("VALDISTRIKTKOD") && page.body.contains("1715"));

    let r = upload(&mut c, &base, &[("kind", "vallokaler")], "file", "vallokaler.json", VALLOKALER.as_bytes()).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let preview = location(&r);
    let p = c.get(&preview).await;
    assert_eq!(p.status, 200);
    for x in [
        "Rader för andra kommuner (hoppas över)",
        "Latitud: skriv en koordinat i Sverige",
        "Distriktskoden hör till en annan kommun",
        "Valdistriktskod: Skriv distriktets kod med åtta siffror, till exempel 17150101. Koden får bara innehålla siffror.",
        "Valdistrikt: måste fyllas i",
        "Importera bara de 2 raderna utan fel",
        "Kils bibliotek",
    ] {
        assert!(p.body.contains(x), "{x}: {}", p.body);
    }
    assert!(p.body.contains("<dd>1</dd>"), "one row of Karlstad");
    assert!(!p.body.contains("Karlstads församlingshem"), "other municipalities' rows are not shown");
    assert_eq!(c.post_form(&preview, &[("choice", "all")]).await.status, 409);

    // Isolation: another municipality gets 404 on the election's import and its preview.
    let mut o = app.login("arvika", &other_email).await;
    assert_eq!(o.get(&base).await.status, 404);
    assert_eq!(o.get(&preview).await.status, 404);
    assert_eq!(o.post_form(&preview, &[("choice", "good")]).await.status, 404);
    assert_eq!(upload(&mut o, &base, &[("kind", "vallokaler")], "file", "v.json", VALLOKALER.as_bytes()).await.status, 404);

    assert_eq!(c.post_form(&preview, &[("choice", "good")]).await.status, 303);
    assert!(c.get(&preview).await.body.contains("2 skapades. 0 uppdaterades. 3 rader med fel hoppades över."));
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let districts = store::districts(&mut tx, t, e).await.expect("districts");
    let stations = store::stations(&mut tx, t, e).await.expect("stations");
    let openings = store::openings(&mut tx, t, e).await.expect("openings");
    tx.commit().await.expect("commit");
    let codes: Vec<&str> = districts.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["17150001", "17150102"], "Kil norra is new, Kil centrum was there");
    let norra = stations.iter().find(|x| x.name == "Norra skolan").expect("norra");
    assert_eq!((norra.kind.as_str(), norra.district_code.as_deref(), norra.lat), ("vallokal", Some("17150102"), 59.518));
    assert_eq!(norra.address, "Skolvägen 3, 665 33 Kil");
    let o8: Vec<_> = openings.iter().filter(|o| o.station_id == norra.id).collect();
    assert_eq!(o8.len(), 1);
    assert_eq!((o8[0].day.to_string(), o8[0].opens.hour(), o8[0].closes.hour()), ("2026-09-13".into(), 8, 20));

    // Röstningslokaler as CSV with `;`: the days must lie in the early-voting period.
    let csv = "LÄNSKOD;KOMMUNKOD;LOKALNAMN;ADRESS;POSTNUMMER;POSTORT;LATITUD;LONGITUD;ÖPPETTIDER\n\
               17;1715;Kils kommunhus;Tingvallagatan 11;665 30;Kil;59,5040;13,3170;2026-09-01 10:00-18:00, 2026-09-02 10.00–16.00\n\
               17;1715;Sommarstugan;;;;59,51;13,32;2026-07-01 10:00-18:00\n\
               17;1715;Utan tider;;;;59,51;13,32;\n\
               17;1715;Trasig tid;;;;59,51;13,32;2026-09-01 18:00-10:00\n";
    let r = upload(&mut c, &base, &[("kind", "rostningslokaler")], "file", "rostningslokaler.csv", csv.as_bytes()).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p2 = location(&r);
    let body = c.get(&p2).await.body;
    for x in ["Öppettider: en dag ligger utanför förtidsröstningen", "minst en dag med öppettider", "sluttiden måste vara efter starttiden"]
    {
        assert!(body.contains(x), "{x}: {body}");
    }
    assert_eq!(c.post_form(&p2, &[("choice", "good")]).await.status, 303);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let stations = store::stations(&mut tx, t, e).await.expect("stations");
    let openings = store::openings(&mut tx, t, e).await.expect("openings");
    tx.commit().await.expect("commit");
    let rl = stations.iter().find(|x| x.name == "Kils kommunhus").expect("kommunhus");
    assert_eq!((rl.kind.as_str(), rl.district_code.as_deref()), ("rostningslokal", None));
    let days: Vec<String> = openings
        .iter()
        .filter(|o| o.station_id == rl.id)
        .map(|o| format!("{} {}", o.day, radhus_elections::support::view::hm(o.closes)))
        .collect();
    assert_eq!(days, ["2026-09-01 18:00", "2026-09-02 16:00"]);

    // The same file again updates the stations instead of doubling them.
    let r = upload(&mut c, &base, &[("kind", "vallokaler")], "file", "vallokaler.json", VALLOKALER.as_bytes()).await;
    let p3 = location(&r);
    assert!(c.get(&p3).await.body.contains("Uppdateras"));
    c.post_form(&p3, &[("choice", "good")]).await;
    assert!(c.get(&p3).await.body.contains("0 skapades. 2 uppdaterades."));
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert_eq!(store::stations(&mut tx, t, e).await.expect("stations").len(), 4, "Kils församlingshem, 2 vallokaler, 1 röstningslokal");
    tx.commit().await.expect("commit");

    // Unreadable files and a wrong kind.
    let r = upload(&mut c, &base, &[("kind", "vallokaler")], "file", "v.json", b"[{\"LOKALNAMN\": ").await;
    assert_eq!(r.status, 422);
    let r = upload(&mut c, &base, &[("kind", "persons")], "file", "v.json", VALLOKALER.as_bytes()).await;
    assert_eq!(r.status, 422);
    let r = upload(&mut c, &base, &[("kind", "vallokaler")], "file", "v.csv", b"NAMN;ORT\nX;Kil\n").await;
    assert_eq!(r.status, 422, "LATITUD and LONGITUD are required columns");
    assert!(actions(&app, t).await.iter().any(|a| a == "elections.import.applied"));
}

#[tokio::test]
async fn demo_structure_for_kil_and_karlstad() {
    let app = super::app().await;
    let (t, s, _) = super::setup(&app, "kil", "1715").await;
    let (e, _, _) = super::small_election_on(&app, &s, "2026-09-13").await;
    radhus_elections::registers::seed_demo_registers(&app.db, &s, app.now()).await.expect("seed");
    radhus_elections::registers::seed_demo_registers(&app.db, &s, app.now()).await.expect("seed twice adds nothing");
    let n = radhus_elections::registers::import_demo_structure(&app.db, &s, "1715", e, app.now()).await.expect("demo");
    assert_eq!(n, 10, "8 vallokaler and 2 röstningslokaler");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let districts = store::districts(&mut tx, t, e).await.expect("districts");
    let stations = store::stations(&mut tx, t, e).await.expect("stations");
    let openings = store::openings(&mut tx, t, e).await.expect("openings");
    let premises = reg_store::premises_list(&mut tx, t).await.expect("premises");
    tx.commit().await.expect("commit");
    assert_eq!(districts.len(), 9, "small_election's district and the file's 8");
    assert_eq!(stations.len(), 10, "the small election's Kils församlingshem is found again and updated");
    let linked = stations.iter().filter(|x| x.premises_id.is_some()).count();
    assert_eq!(linked, 10, "every station found its premises");
    let fh = stations.iter().find(|x| x.name == "Kils församlingshem").expect("församlingshem");
    assert_eq!(fh.district_code.as_deref(), Some("17150101"), "the file's district");
    assert_eq!(premises.len(), 10, "a building and a premises per polling place of Kil, once");
    assert_eq!(reg_store::buildings(&mut app.db.read(Scope::Tenant(t)).await.expect("tx"), t).await.expect("b").len(), 10);
    assert!(premises.iter().any(|p| p.name == "Kils församlingshem" && p.lat.is_some() && p.capacity.is_some() && !p.keys.is_empty()));
    let rl: Vec<_> = stations.iter().filter(|x| x.kind == "rostningslokal").collect();
    assert_eq!(rl.len(), 2);
    assert!(openings.iter().filter(|o| o.station_id == rl[0].id).count() >= 8);

    let (k, ks, _) = super::setup(&app, "karlstad", "1780").await;
    let (ke, _, _) = {
        let id = radhus_elections::structure::service::create_election(
            &app.db,
            &ks,
            &radhus_elections::structure::service::ElectionInput {
                kind: "riksdag".into(),
                name: "Valen 2026".into(),
                election_day: "2026-09-13".into(),
                early_from: "2026-08-26".into(),
                early_to: "2026-09-13".into(),
                copy_from: String::new(),
            },
            app.now(),
        )
        .await
        .expect("election");
        (id, (), ())
    };
    let n = radhus_elections::registers::import_demo_structure(&app.db, &ks, "1780", ke, app.now()).await.expect("karlstad");
    assert_eq!(n, 34, "30 vallokaler and 4 röstningslokaler");
    let mut tx = app.db.read(Scope::Tenant(k)).await.expect("tx");
    assert_eq!(store::districts(&mut tx, k, ke).await.expect("d").len(), 30);
    tx.commit().await.expect("commit");
    // Kil's election is untouched by Karlstad's import.
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert_eq!(store::stations(&mut tx, t, e).await.expect("s").len(), 10);
    tx.commit().await.expect("commit");
}

/// Finding 3 of issue 19 for Valmyndigheten's files: the hostile spreadsheets of the registers'
/// import (a cell at XFD1048576 or KN20000, a zip bomb, a declared string count) and JSON
/// whose keys would make every row hundreds of columns wide are refused for both kinds, with
/// their codes and nothing staged; the same small table is imported.
#[tokio::test]
async fn hostile_files_are_refused_before_they_are_read() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, _, _) = super::small_election_on(&app, &s, "2026-09-13").await;
    let mut c = app.login("kil", &email).await;
    let base = format!("/admin/val/{e}/import");
    let header = ["LOKALNAMN", "KOMMUNKOD", "LATITUD", "LONGITUD"];
    let row = ["Kils bibliotek", "1715", "59,5030", "13,3200"];
    let keys: String = (0..300).map(|i| format!(", \"EXTRA{i}\": \"\"")).collect();
    let wide = format!("[{{\"LOKALNAMN\": \"Kils bibliotek\", \"LATITUD\": \"59,5030\", \"LONGITUD\": \"13,3200\"{keys}}}]");
    let keys: String = (0..150).map(|i| format!(", \"EXTRA{i}\": \"\"")).collect();
    let empties = ", {}".repeat(20_000);
    let long = format!("[{{\"LOKALNAMN\": \"Kils bibliotek\", \"LATITUD\": \"59,5030\", \"LONGITUD\": \"13,3200\"{keys}}}{empties}]");
    for kind in ["vallokaler", "rostningslokaler"] {
        let mut files = super::registers::hostile_sheets(&header, &row);
        files.push(("JSON with 303 keys", wide.clone().into_bytes(), 413, "fler än 200 kolumner"));
        files.push(("JSON with 153 keys and 20 000 empty objects", long.clone().into_bytes(), 413, "fler än 200 kolumner"));
        for (what, file, status, message) in files {
            let name = if what.starts_with("JSON") { "v.json" } else { "v.xlsx" };
            let r = upload(&mut c, &base, &[("kind", kind)], "file", name, &file).await;
            assert_eq!(r.status, status, "{kind}, {what}: {}", r.body);
            assert!(r.body.contains(message), "{kind}, {what}: {}", r.body);
        }
    }
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert!(reg_store::recent_imports(&mut tx, t, Some(e)).await.expect("imports").is_empty(), "nothing staged");
    tx.commit().await.expect("commit");
    let cells = [
        ("A1", header[0]),
        ("B1", header[1]),
        ("C1", header[2]),
        ("D1", header[3]),
        ("A2", row[0]),
        ("B2", row[1]),
        ("C2", row[2]),
        ("D2", row[3]),
    ];
    let file = super::registers::xlsx(&super::registers::sheet_xml(&cells), None);
    let r = upload(&mut c, &base, &[("kind", "vallokaler")], "file", "vallokaler.xlsx", &file).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&location(&r)).await.body;
    assert!(page.contains("<dt>Rader</dt><dd>1</dd>") && page.contains("<td>1715</td><td>Kils bibliotek</td>"), "{page}");
}
