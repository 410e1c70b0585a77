//! The registers through the office's pages and services: buildings, premises with photos,
//! persons with history and their work in elections, imports with preview and per-row
//! problems, exports, the demo seeding, audit events and isolation between municipalities.

use calamine::{Data, Reader, Xlsx};
use radhus_elections::registers::import::{self, Choice, Kind};
use radhus_elections::registers::service::{self as reg, PersonInput};
use radhus_elections::registers::store;
use radhus_elections::testing::Applicant;
use radhus_platform::db::Scope;

/// A multipart POST with text fields and one file.
pub async fn upload(
    c: &mut radhus_testkit::Client,
    path: &str,
    fields: &[(&str, &str)],
    file_field: &str,
    filename: &str,
    content: &[u8],
) -> radhus_testkit::client::Response {
    let boundary = "XBOUNDARYX";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let token = c.csrf().unwrap_or_default();
    let req = axum::http::Request::post(format!("{path}?_csrf={token}"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(axum::body::Body::from(body))
        .expect("request");
    c.send(req).await
}

pub fn location(r: &radhus_testkit::client::Response) -> String {
    r.headers["location"].to_str().expect("location").to_string()
}

pub async fn actions(app: &radhus_testkit::TestApp, t: radhus_kernel::ids::TenantId) -> Vec<String> {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let rows = radhus_platform::audit::recent(&mut tx, Some(t), None, 500).await.expect("audit");
    tx.commit().await.expect("commit");
    rows.into_iter().map(|r| r.action).collect()
}

fn sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let range = wb.worksheet_range_at(0).expect("sheet").expect("range");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// A minimal Excel file built by hand: the parts calamine reads, the first sheet's XML and,
/// when given, a shared-strings part.
pub fn xlsx(sheet: &str, shared_strings: Option<&str>) -> Vec<u8> {
    xlsx_parts(&[("xl/worksheets/sheet1.xml", sheet.as_bytes())], shared_strings)
}

fn xlsx_parts(sheets: &[(&str, &[u8])], shared_strings: Option<&str>) -> Vec<u8> {
    use std::io::Write;
    use xlsx_zip::write::SimpleFileOptions;
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let mut parts: Vec<(&str, String)> = vec![
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
             </Types>"
                .into(),
        ),
        (
            "_rels/.rels",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{PKG}\"><Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
        ),
        (
            "xl/workbook.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><sheets><sheet name=\"Blad1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{PKG}\"><Relationship Id=\"rId1\" Type=\"{REL}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
        ),
    ];
    if let Some(x) = shared_strings {
        parts.push(("xl/sharedStrings.xml", x.to_string()));
    }
    let opts = SimpleFileOptions::default().compression_method(xlsx_zip::CompressionMethod::Deflated);
    let mut w = xlsx_zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in parts.iter().map(|(n, b)| (*n, b.as_bytes())).chain(sheets.iter().copied()) {
        w.start_file(name, opts).expect("part");
        w.write_all(body).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

/// A sheet's XML with text cells, given by reference ("A1") in order, and the extent its
/// `dimension` declares.
pub fn sheet_xml(cells: &[(&str, &str)]) -> String {
    let row_of = |r: &str| r.trim_start_matches(|c: char| c.is_ascii_alphabetic()).to_string();
    let mut rows = String::new();
    let mut open: Option<String> = None;
    for (r, v) in cells {
        if open.as_deref() != Some(row_of(r).as_str()) {
            if open.is_some() {
                rows.push_str("</row>");
            }
            rows.push_str(&format!("<row r=\"{}\">", row_of(r)));
            open = Some(row_of(r));
        }
        rows.push_str(&format!("<c r=\"{r}\" t=\"inlineStr\"><is><t>{v}</t></is></c>"));
    }
    if open.is_some() {
        rows.push_str("</row>");
    }
    let last = cells.last().map(|(r, _)| *r).unwrap_or("A1");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
         <dimension ref=\"A1:{last}\"/><sheetData>{rows}</sheetData></worksheet>"
    )
}

/// A zip bomb: the sheet's XML with 60 MB of spaces inside, a few hundred kB packed.
pub fn xlsx_bomb(xml: &str) -> Vec<u8> {
    let (head, tail) = xml.split_at(xml.find("<sheetData>").expect("sheetData") + "<sheetData>".len());
    let mut body = Vec::with_capacity(61 << 20);
    body.extend_from_slice(head.as_bytes());
    body.resize(body.len() + (60 << 20), b' ');
    body.extend_from_slice(tail.as_bytes());
    let bytes = xlsx_parts(&[("xl/worksheets/sheet1.xml", &body)], None);
    assert!(bytes.len() < import::MAX_FILE, "packed below the upload limit: {}", bytes.len());
    bytes
}

/// The hostile spreadsheets every spreadsheet import refuses, with `header` and `row` (the
/// cells of rows 1 and 2 from column A) as the table: (what it is, the file, the status, a
/// part of the message). Each would be imported (or abort the process) without the checks.
pub fn hostile_sheets(header: &[&str], row: &[&str]) -> Vec<(&'static str, Vec<u8>, u16, &'static str)> {
    let col = |i: usize| ((b'A' + i as u8) as char).to_string();
    let mut table: Vec<(String, String)> = header.iter().enumerate().map(|(i, v)| (format!("{}1", col(i)), v.to_string())).collect();
    table.extend(row.iter().enumerate().map(|(i, v)| (format!("{}2", col(i)), v.to_string())));
    let with = |far: &[(&str, &str)]| {
        let mut cells: Vec<(&str, &str)> = table.iter().map(|(r, v)| (r.as_str(), v.as_str())).collect();
        cells.extend_from_slice(far);
        sheet_xml(&cells)
    };
    vec![
        // The last cell Excel has: a dense range would be 1.7·10¹⁰ cells.
        ("a cell at XFD1048576", xlsx(&with(&[("XFD1048576", "x")]), None), 422, "fler än 20 000 rader"),
        // Column 300 on row 20 000: a dense range took the server from 244 to 558 MB.
        ("a cell at KN20000", xlsx(&with(&[("KN20000", "x")]), None), 413, "fler än 200 kolumner"),
        // A cell in column 200 on 5,001 rows: 5,001 cells, but a million dense.
        (
            "a cell in the first and the 200th column of 5 001 rows",
            {
                let far: Vec<(String, String)> =
                    (3..5004).flat_map(|r| [(format!("A{r}"), "x".to_string()), (format!("GR{r}"), "y".to_string())]).collect();
                let far: Vec<(&str, &str)> = far.iter().map(|(r, v)| (r.as_str(), v.as_str())).collect();
                xlsx(&with(&far), None)
            },
            413,
            "fler än 200 kolumner",
        ),
        ("60 MB of sheet packed to a few hundred kB", xlsx_bomb(&with(&[])), 413, "större än 50 MB uppackad"),
        // calamine reserves room for as many strings as the part declares before reading them.
        (
            "a shared-strings part declaring 10¹¹ strings",
            xlsx(
                &with(&[]),
                Some(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
                     count=\"1\" uniqueCount=\"100000000000\"><si><t>x</t></si></sst>",
                ),
            ),
            413,
            "större än 50 MB uppackad",
        ),
    ]
}

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];

#[tokio::test]
async fn buildings_and_premises_with_photos() {
    let app = super::app().await;
    let (t, _s, email) = super::setup(&app, "kil", "1715").await;
    let (_, _, other_email) = super::setup(&app, "arvika", "1784").await;
    let mut c = app.login("kil", &email).await;

    assert_eq!(c.get("/admin/val/register").await.status, 200);
    let r = c.post_form("/admin/val/register/byggnader", &[("name", " "), ("address", "Kyrkogatan 2")]).await;
    assert_eq!(r.status, 422, "a building needs a name");
    assert!(r.body.contains("Namn: Skriv byggnadens namn."), "{}", r.body);
    let r = c.post_form("/admin/val/register/byggnader", &[("name", "Kils församlingshem"), ("address", "Kyrkogatan 2")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let building = location(&r);
    let bid = building.rsplit('/').next().expect("id").to_string();
    assert!(c.get("/admin/val/register/byggnader").await.body.contains("Kils församlingshem"));
    let r = c.post_form(&building, &[("name", "Kils församlingshem och kyrka"), ("address", "Kyrkogatan 2")]).await;
    assert_eq!(r.status, 303);

    // Bad input: every problem at once, nothing stored.
    let r = c
        .post_form(
            "/admin/val/register/lokaler",
            &[("name", "Stora salen"), ("lat", "59,5"), ("lon", ""), ("postal_code", "6653"), ("capacity", "-3"), ("building", "nope")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Fyll i både latitud och longitud"), "{}", r.body);
    assert!(r.body.contains("Postnummer: Skriv postnumret med fem siffror"), "{}", r.body);
    assert!(r.body.contains("Kapacitet (personer)"), "{}", r.body);
    let r = c.post_form("/admin/val/register/lokaler", &[("name", "Stora salen"), ("building", &uuid::Uuid::now_v7().to_string())]).await;
    assert_eq!(r.status, 422, "a building of nobody");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert!(store::premises_list(&mut tx, t).await.expect("list").is_empty(), "nothing half-written");
    tx.commit().await.expect("commit");

    let r = c
        .post_form(
            "/admin/val/register/lokaler",
            &[
                ("name", "Stora salen"),
                ("building", &bid),
                ("address", "Kyrkogatan 2"),
                ("postal_code", "66530"),
                ("city", "Kil"),
                ("lat", "59,5035"),
                ("lon", "13,3190"),
                ("accessibility", "Ramp vid entrén"),
                ("capacity", "80"),
                ("keys", "Hos vaktmästaren"),
                ("contact_name", "Eva Ek"),
                ("contact_phone", "0554-123 45"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let premises = location(&r);
    let pid = premises.rsplit('/').next().expect("id").to_string();
    let page = c.get(&premises).await;
    assert_eq!(page.status, 200);
    for s in ["Stora salen", "665 30", "Ramp vid entrén", "Hos vaktmästaren", "Eva Ek", "59.5035", "Kils församlingshem och kyrka"] {
        assert!(page.body.contains(s), "{s}: {}", page.body);
    }
    let r = c
        .post_form(&premises, &[("name", "Stora salen"), ("building", &bid), ("capacity", "90"), ("lat", "59.50"), ("lon", "13.31")])
        .await;
    assert_eq!(r.status, 303);
    assert!(c.get("/admin/val/register/lokaler").await.body.contains(">90<"));

    // Photos: an image with its caption as alt text; other files and a missing caption refused.
    let r = upload(&mut c, &format!("{premises}/bilder"), &[("caption", "Entrén från parkeringen")], "photo", "entre.png", PNG).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = upload(&mut c, &format!("{premises}/bilder"), &[("caption", "Ett program")], "photo", "x.png", b"MZ\x90\x00").await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("PNG, JPEG eller WebP"));
    let r = upload(&mut c, &format!("{premises}/bilder"), &[("caption", "")], "photo", "entre.png", PNG).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Bildtext: Skriv vad bilden visar."), "{}", r.body);
    let page = c.get(&premises).await;
    assert!(page.body.contains("alt=\"Entrén från parkeringen\""), "{}", page.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let photos = store::photos(&mut tx, t, uuid::Uuid::parse_str(&pid).expect("uuid")).await.expect("photos");
    tx.commit().await.expect("commit");
    assert_eq!(photos.len(), 1);
    let img = c.get(&format!("/admin/val/register/bilder/{}", photos[0].id)).await;
    assert_eq!(img.status, 200);
    assert_eq!(img.headers["content-type"], "image/png");

    // Another municipality sees none of it.
    let mut o = app.login("arvika", &other_email).await;
    assert_eq!(o.get(&building).await.status, 404);
    assert_eq!(o.get(&premises).await.status, 404);
    assert_eq!(o.get(&format!("/admin/val/register/bilder/{}", photos[0].id)).await.status, 404);
    assert_eq!(o.post_form(&premises, &[("name", "Kapad")]).await.status, 404);
    assert!(!o.get("/admin/val/register/lokaler").await.body.contains("Stora salen"));
    assert_eq!(upload(&mut o, &format!("{premises}/bilder"), &[("caption", "x")], "photo", "a.png", PNG).await.status, 404);

    let r = c.post_form(&format!("{premises}/bilder/ta-bort"), &[("photo", &photos[0].id.to_string())]).await;
    assert_eq!(r.status, 303);
    assert!(c.get(&premises).await.body.contains("Lokalen har inga bilder ännu."));
    let a = actions(&app, t).await;
    for x in
        ["elections.building.created", "elections.premises.created", "elections.premises.photo_added", "elections.premises.photo_removed"]
    {
        assert!(a.iter().any(|y| y == x), "{x}");
    }
}

#[tokio::test]
async fn persons_with_history_work_and_applications() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (_, _, other_email) = super::setup(&app, "arvika", "1784").await;
    let mut c = app.login("kil", &email).await;

    let r = c.post_form("/admin/val/register/personer", &[("given_name", "Anna"), ("family_name", "Ek"), ("pnr", "800101-0018")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Personnummer: Kontrollera personnumret: kontrollsiffran stämmer inte."), "{}", r.body);
    let r = c
        .post_form(
            "/admin/val/register/personer",
            &[("given_name", ""), ("family_name", "Ek"), ("pnr", "19801301-0010"), ("email", "anna@"), ("lat", "59,5")],
        )
        .await;
    assert_eq!(r.status, 422);
    for m in
        ["Förnamn: Skriv förnamnet.", "Personnummer: Skriv personnumret som ÅÅÅÅMMDD-NNNN", "E-post", "Fyll i både latitud och longitud"]
    {
        assert!(r.body.contains(m), "{m}: {}", r.body);
    }
    let r = c
        .post_form(
            "/admin/val/register/personer",
            &[
                ("given_name", "Anna"),
                ("family_name", "Ek"),
                ("pnr", "800101-0019"),
                ("email", "anna.ek@example.se"),
                ("phone", "070-123 45 67"),
                ("postal_code", "665 30"),
                ("city", "Kil"),
                ("languages", "Finska; ARABISKA"),
                ("lat", "59,50"),
                ("lon", "13,32"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let person = location(&r);
    let id = uuid::Uuid::parse_str(person.rsplit('/').next().expect("id")).expect("uuid");
    let page = c.get(&person).await;
    assert_eq!(page.status, 200);
    for x in ["19800101-0019", "1 januari 1980", "finska, arabiska", "anna.ek@example.se"] {
        assert!(page.body.contains(x), "{x}: {}", page.body);
    }
    let r = c.post_form("/admin/val/register/personer", &[("given_name", "Annika"), ("family_name", "Ek"), ("pnr", "198001010019")]).await;
    assert_eq!(r.status, 409, "the same personnummer twice: {}", r.body);
    let r = c
        .post_form(&person, &[("given_name", "Anna"), ("family_name", "Ek-Berg"), ("pnr", "19800101-0019"), ("birth_date", "2001-01-01")])
        .await;
    assert_eq!(r.status, 303);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let p = store::person(&mut tx, t, id).await.expect("p").expect("person");
    tx.commit().await.expect("commit");
    assert_eq!(p.family_name, "Ek-Berg");
    assert_eq!(p.birth_date.map(|d| d.to_string()).as_deref(), Some("1980-01-01"), "the birth date follows the personnummer");

    // Experience typed in: one line per year.
    let r = c.post_form(&format!("{person}/historik"), &[("year", "2022"), ("role", "vice"), ("place", "Kil centrum")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(c.post_form(&format!("{person}/historik"), &[("year", "2022"), ("role", "ordforande")]).await.status, 409);
    assert_eq!(c.post_form(&format!("{person}/historik"), &[("year", "1850"), ("role", "ordforande")]).await.status, 422);
    assert_eq!(c.post_form(&format!("{person}/historik"), &[("year", "2018"), ("role", "kung")]).await.status, 422);
    c.post_form(&format!("{person}/historik"), &[("year", "2018"), ("role", "rostmottagare")]).await;
    assert_eq!(c.post_form(&format!("{person}/historik/ta-bort"), &[("year", "2018")]).await.status, 303);
    assert_eq!(c.post_form(&format!("{person}/historik/ta-bort"), &[("year", "2018")]).await.status, 404);

    // Work and applications in an election of the platform.
    let (e, st, sh) = super::small_election(&app, &s).await;
    // Anna applies with e-ID, is accepted, placed as ordförande and accepts.
    let f = super::fixtures(&app, &s);
    let a = Applicant::new("19800101-0019", "Anna", "Ek-Berg", sh).contact("070-123 45 67", "anna.ek@example.se");
    assert_eq!(f.apply(e, &a).await, id, "the application finds the person by personnummer");
    f.place_new(e, (st, sh), "ordforande", id).await;
    f.answer(e, id, "accepted").await;
    let page = c.get(&person).await;
    for x in ["Valen 2030", "Kils församlingshem", "Ordförande", "Tackat ja", "Antagen", "Vice ordförande", "Kil centrum"] {
        assert!(page.body.contains(x), "{x}: {}", page.body);
    }

    // Search and paging.
    for n in 0..52 {
        reg::create_person(
            &app.db,
            &s,
            &PersonInput { given_name: format!("Person{n:02}"), family_name: "Testsson".into(), ..Default::default() },
            app.now(),
        )
        .await
        .expect("person");
    }
    let l = c.get("/admin/val/register/personer?q=ek-berg").await;
    assert!(l.body.contains("1 personer") && l.body.contains("Ek-Berg, Anna"), "{}", l.body);
    let l = c.get("/admin/val/register/personer?q=testsson").await;
    assert!(l.body.contains("52 personer") && l.body.contains("sida=2"), "{}", l.body);
    let l2 = c.get("/admin/val/register/personer?q=testsson&sida=2").await;
    assert!(l2.body.contains("Testsson, Person51") && !l2.body.contains("Testsson, Person00"), "{}", l2.body);
    assert_eq!(c.get("/admin/val/register/personer?sida=x").await.status, 200);

    // Another municipality: 404 and nothing listed.
    let mut o = app.login("arvika", &other_email).await;
    assert_eq!(o.get(&person).await.status, 404);
    assert_eq!(o.post_form(&person, &[("given_name", "X"), ("family_name", "Y")]).await.status, 404);
    assert_eq!(o.post_form(&format!("{person}/historik"), &[("year", "2014"), ("role", "vice")]).await.status, 404);
    let ol = o.get("/admin/val/register/personer").await;
    assert!(ol.body.contains("0 personer") && !ol.body.contains("Ek-Berg"));

    let a = actions(&app, t).await;
    for x in [
        "elections.person.created",
        "elections.person.updated",
        "elections.person.viewed",
        "elections.persons.listed",
        "elections.person.history_added",
        "elections.person.history_removed",
    ] {
        assert!(a.iter().any(|y| y == x), "{x}");
    }
}

fn bom_csv(s: &str) -> Vec<u8> {
    let mut v = vec![0xef, 0xbb, 0xbf];
    v.extend_from_slice(s.as_bytes());
    v
}

#[tokio::test]
async fn person_import_with_preview_and_choices() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (_, _, other_email) = super::setup(&app, "arvika", "1784").await;
    let existing = reg::create_person(
        &app.db,
        &s,
        &PersonInput {
            given_name: "Bo".into(),
            family_name: "Berg".into(),
            pnr: "19750505-1230".into(),
            phone: "0701234567".into(),
            ..Default::default()
        },
        app.now(),
    )
    .await
    .expect("person");
    let mut c = app.login("kil", &email).await;
    assert_eq!(c.get("/admin/val/register/import").await.status, 200);

    let file = "Förnamn;EFTERNAMN;personnummer;e-post;telefon;adress;postnummer;ort;språk;Latitud;Longitud\n\
                Anna;Ek;19800101-0019;anna@example.se;070-123 45 67;Storgatan 1;66530;Kil;finska;59,50;13,32\n\
                Bo;Berg;750505-1230;bo@example.se;;;;;;;\n\
                ;Utan förnamn;;;;;;;;;\n\
                Cecilia;Fel;19900315-2345;;;;;;;;\n\
                Dan;Dubbel;19851212-3459;;;;;;;;\n\
                Dana;Dubbel;198512123459;;;;;;;;\n\
                Erik;Havet;;;;;;;;40,0;13,0\n\
                Frida;Fin;19620704-1119;;;;;;;;\n";
    let r = upload(&mut c, "/admin/val/register/import", &[("kind", "persons")], "file", "personer.csv", &bom_csv(file)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let preview = location(&r);
    let page = c.get(&preview).await;
    assert_eq!(page.status, 200);
    for x in [
        "Uppdateras",
        "Förnamn: Skriv förnamnet.",
        "Personnummer: Kontrollera personnumret: kontrollsiffran stämmer inte.",
        "Personnummer: samma personnummer finns på flera rader i filen",
        "Latitud: skriv en koordinat i Sverige",
        "Importera bara de 3 raderna utan fel",
    ] {
        assert!(page.body.contains(x), "{x}: {}", page.body);
    }
    assert!(page.body.contains("<th scope=\"row\">5</th>"), "row numbers of the file");
    // Importing everything is refused while rows have problems; nothing is written.
    let r = c.post_form(&preview, &[("choice", "all")]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(c.post_form(&preview, &[("choice", "maybe")]).await.status, 422);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert_eq!(store::persons(&mut tx, t).await.expect("persons").len(), 1);
    tx.commit().await.expect("commit");
    // Another municipality can neither see nor run it.
    let mut o = app.login("arvika", &other_email).await;
    assert_eq!(o.get(&preview).await.status, 404);
    assert_eq!(o.post_form(&preview, &[("choice", "good")]).await.status, 404);

    let r = c.post_form(&preview, &[("choice", "good")]).await;
    assert_eq!(r.status, 303);
    let done = c.get(&preview).await;
    assert!(done.body.contains("2 skapades. 1 uppdaterades. 5 rader med fel hoppades över."), "{}", done.body);
    assert_eq!(c.post_form(&preview, &[("choice", "good")]).await.status, 409, "imported once");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let persons = store::persons(&mut tx, t).await.expect("persons");
    let bo = store::person(&mut tx, t, existing).await.expect("bo").expect("bo");
    tx.commit().await.expect("commit");
    let names: Vec<String> = persons.iter().map(|p| p.given_name.clone()).collect();
    assert_eq!(persons.len(), 3, "{names:?}");
    assert!(names.contains(&"Anna".to_string()) && names.contains(&"Frida".to_string()));
    assert_eq!(bo.email, "bo@example.se", "updated from the file");
    assert_eq!(bo.phone, "0701234567", "an empty column keeps the register's value");

    // Import nothing: the register is untouched.
    let csv = "förnamn,efternamn,personnummer\nGustav,Gran,19900315-2346\n";
    let r = upload(&mut c, "/admin/val/register/import", &[("kind", "persons")], "file", "komma.csv", csv.as_bytes()).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p2 = location(&r);
    assert!(c.get(&p2).await.body.contains("Importera alla 1 rader"));
    assert_eq!(c.post_form(&p2, &[("choice", "nothing")]).await.status, 303);
    assert!(c.get(&p2).await.body.contains("Ingenting importerades."));
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert_eq!(store::persons(&mut tx, t).await.expect("persons").len(), 3);
    tx.commit().await.expect("commit");

    // Files that cannot be imported at all.
    let r = upload(&mut c, "/admin/val/register/import", &[("kind", "persons")], "file", "a.csv", b"namn;ort\nAnna;Kil\n").await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Filen saknar en kolumn"), "{}", r.body);
    let r = upload(&mut c, "/admin/val/register/import", &[("kind", "persons")], "file", "a.csv", b"f\xf6rnamn;efternamn\n").await;
    assert_eq!(r.status, 422, "no rows: {}", r.body);
    let r = upload(&mut c, "/admin/val/register/import", &[("kind", "persons")], "file", "a.xlsx", b"PK\x03\x04garbage").await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Filen kunde inte läsas"));
    let r = upload(&mut c, "/admin/val/register/import", &[("kind", "vallokaler")], "file", "a.csv", b"x").await;
    assert_eq!(r.status, 422);

    // Latin-1 (older Excel) is read too; the export re-imports as updates of the same persons.
    let latin1: Vec<u8> = "förnamn;efternamn\nÅsa;Öberg\n".chars().map(|c| c as u8).collect();
    let id = import::stage(&app.db, &s, Kind::Persons, None, "1715", "latin1.csv", &latin1, app.now()).await.expect("stage");
    let p = import::preview(&app.db, &s, id, None, app.now()).await.expect("preview");
    assert_eq!(p.rows[0].get("reg_given_name"), "Åsa");
    import::apply(&app.db, &s, id, None, Choice::Nothing, app.now()).await.expect("nothing");

    let xlsx = reg::export_persons(&app.db, &s, app.now()).await.expect("export");
    let rows = sheet(&xlsx);
    assert_eq!(rows[0][..3], ["förnamn".to_string(), "efternamn".into(), "personnummer".into()]);
    assert!(rows.iter().any(|r| r[0] == "Anna" && r[2] == "19800101-0019" && r[7] == "Kil" && r[8] == "finska"), "{rows:?}");
    let id = import::stage(&app.db, &s, Kind::Persons, None, "1715", "personer.xlsx", &xlsx, app.now()).await.expect("stage xlsx");
    let p = import::preview(&app.db, &s, id, None, app.now()).await.expect("preview");
    assert_eq!(p.with_problems, 0, "{:?}", p.rows.iter().map(|r| &r.problems).collect::<Vec<_>>());
    let out = import::apply(&app.db, &s, id, None, Choice::All, app.now()).await.expect("all");
    assert_eq!((out.created, out.updated), (0, 3), "persons with a personnummer are found again; Erik had none and was not imported");

    let a = actions(&app, t).await;
    for x in [
        "elections.import.uploaded",
        "elections.import.previewed",
        "elections.import.applied",
        "elections.import.discarded",
        "elections.persons.exported",
    ] {
        assert!(a.iter().any(|y| y == x), "{x}");
    }

    // A file left in preview keeps its rows for a week; the next upload after that discards it.
    let csv = b"f\xc3\xb6rnamn;efternamn\nLisa;Lund\n";
    let left = import::stage(&app.db, &s, Kind::Persons, None, "1715", "kvar.csv", csv, app.now()).await.expect("stage");
    app.clock.advance(time::Duration::days(6));
    let fresh = import::stage(&app.db, &s, Kind::Persons, None, "1715", "ny.csv", csv, app.now()).await.expect("stage");
    let status = |id| {
        let db = app.db.clone();
        async move {
            let mut tx = db.read(Scope::Tenant(t)).await.expect("tx");
            let i = store::import(&mut tx, t, id).await.expect("import").expect("exists");
            let rows = store::staged(&mut tx, t, id).await.expect("rows").len();
            tx.commit().await.expect("commit");
            (i.status, rows)
        }
    };
    assert_eq!(status(left).await, ("preview".to_string(), 1), "six days: still there");
    app.clock.advance(time::Duration::days(2));
    let s = app.staff(t, &email).await;
    import::stage(&app.db, &s, Kind::Persons, None, "1715", "tredje.csv", csv, app.now()).await.expect("stage");
    assert_eq!(status(left).await, ("discarded".to_string(), 0), "eight days: discarded with its rows");
    assert_eq!(status(fresh).await, ("preview".to_string(), 1), "two days: kept");
    assert!(actions(&app, t).await.iter().any(|y| y == "elections.import.expired"));
}

#[tokio::test]
async fn premises_import_exports_and_templates() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let mut c = app.login("kil", &email).await;

    let file = "namn;byggnad;adress;postnummer;ort;latitud;longitud;tillgänglighet;kapacitet;nycklar;kontaktperson;telefon\n\
                Matsalen;Kilskolan;Skolvägen 1;665 31;Kil;59,501;13,31;Ramp;120;Vaktmästaren;Lars;0554-10000\n\
                Gymnastiksalen;Kilskolan;Skolvägen 1;665 31;Kil;;;;;;;\n\
                Dubbel;;;;;;;;;;;\n\
                dubbel;;;;;;;;;;;\n\
                Ballonghallen;;;;;59,5;13,3;;många;;;\n";
    let r = upload(&mut c, "/admin/val/register/import", &[("kind", "premises")], "file", "lokaler.csv", file.as_bytes()).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let preview = location(&r);
    let page = c.get(&preview).await;
    assert!(
        page.body.contains("Lokal: samma namn finns på flera rader i filen")
            || page.body.contains("Namn: samma namn finns på flera rader i filen"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Kapacitet (personer): Skriv hur många personer lokalen rymmer"), "{}", page.body);
    assert_eq!(c.post_form(&preview, &[("choice", "good")]).await.status, 303);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let premises = store::premises_list(&mut tx, t).await.expect("premises");
    let buildings = store::buildings(&mut tx, t).await.expect("buildings");
    tx.commit().await.expect("commit");
    assert_eq!(premises.len(), 2);
    assert_eq!(buildings.len(), 1, "Kilskolan once");
    assert!(premises.iter().all(|p| p.building_id == Some(buildings[0].id)));
    let matsalen = premises.iter().find(|p| p.name == "Matsalen").expect("matsalen");
    assert_eq!((matsalen.capacity, matsalen.lat, matsalen.postal_code.as_str()), (Some(120), Some(59.501), "665 31"));

    let xlsx = reg::export_premises(&app.db, &s, app.now()).await.expect("export");
    let rows = sheet(&xlsx);
    assert_eq!(rows[0][0], "namn");
    assert!(rows.iter().any(|r| r[0] == "Matsalen" && r[1] == "Kilskolan" && r[8] == "120"), "{rows:?}");
    let r = c.get("/admin/val/register/lokaler.xlsx").await;
    assert_eq!(r.status, 200);
    assert!(r.headers["content-disposition"].to_str().expect("cd").contains("lokaler.xlsx"));
    let r = c.get("/admin/val/register/personer.xlsx").await;
    assert_eq!(r.status, 200);
    let tpl = c.get("/admin/val/register/mallar/personer.csv").await;
    assert_eq!(tpl.status, 200);
    assert!(tpl.body.contains("förnamn;efternamn;personnummer;e-post;telefon;adress;postnummer;ort;språk"), "{}", tpl.body);
    assert_eq!(c.get("/admin/val/register/mallar/lokaler.xlsx").await.status, 200);
    assert_eq!(c.get("/admin/val/register/mallar/hemligt.txt").await.status, 404);
    // The templates import cleanly.
    for kind in [Kind::Persons, Kind::Premises] {
        let id = import::stage(&app.db, &s, kind, None, "1715", "mall.csv", import::template_csv(kind).as_bytes(), app.now())
            .await
            .expect("stage");
        assert_eq!(import::preview(&app.db, &s, id, None, app.now()).await.expect("preview").with_problems, 0, "{kind:?}");
    }
    let a = actions(&app, t).await;
    assert!(a.iter().any(|y| y == "elections.premises.exported"));
}

/// Finding 3 of issue 19: a tiny spreadsheet could take gigabytes (a dense range over a
/// sparse sheet, a zip bomb, a declared string count) and abort the process. Each is refused
/// with its code and nothing staged, by the persons and the premises import; the same small
/// table without the far cell is imported.
#[tokio::test]
async fn hostile_spreadsheets_are_refused_before_they_are_read() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    for (kind, header, row) in [("persons", ["förnamn", "efternamn"], ["Anna", "Ek"]), ("premises", ["namn", "ort"], ["Matsalen", "Kil"])]
    {
        for (what, file, status, message) in hostile_sheets(&header, &row) {
            let started = std::time::Instant::now();
            let r = upload(&mut c, "/admin/val/register/import", &[("kind", kind)], "file", "fientlig.xlsx", &file).await;
            assert_eq!(r.status, status, "{kind}, {what}: {}", r.body);
            assert!(r.body.contains(message), "{kind}, {what}: {}", r.body);
            assert!(started.elapsed() < std::time::Duration::from_secs(30), "{kind}, {what}: {:?}", started.elapsed());
        }
        assert!(import::recent(&app.db, &s, None).await.expect("recent").is_empty(), "{kind}: nothing staged");
    }
    assert!(!actions(&app, t).await.iter().any(|a| a == "elections.import.uploaded"));
    // The same table without the far cells is an ordinary file.
    let cells = [("A1", "förnamn"), ("B1", "efternamn"), ("A2", "Anna"), ("B2", "Ek"), ("C5", ""), ("B7", "Berg"), ("A7", "Bo")];
    let r = upload(&mut c, "/admin/val/register/import", &[("kind", "persons")], "file", "personer.xlsx", &xlsx(&sheet_xml(&cells), None))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = import::preview(&app.db, &s, location(&r).rsplit('/').next().expect("id").parse().expect("uuid"), None, app.now())
        .await
        .expect("preview");
    let rows: Vec<(u32, &str, &str)> = p.rows.iter().map(|r| (r.row_no, r.get("reg_given_name"), r.get("reg_family_name"))).collect();
    assert_eq!(rows, [(2, "Anna", "Ek"), (7, "Bo", "Berg")], "rows by their number in the sheet, cells by column");
}
