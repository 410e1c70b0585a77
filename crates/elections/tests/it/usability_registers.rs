//! Issue 18 item 1 on the registers, the imports and an election's structure: a refused form
//! shows an error summary whose entries link to the fields, and each field its own message,
//! `aria-invalid` and `aria-describedby`; only the refused form of a page with several shows
//! the problems, and its values are kept.

use super::registers::{location, upload};

/// The opening tag of the element with the id `id`.
fn tag<'a>(body: &'a str, id: &str) -> &'a str {
    let at = body.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("no element #{id}: {body}"));
    let start = body[..at].rfind('<').expect("tag start");
    let end = at + body[at..].find('>').expect("tag end");
    &body[start..=end]
}

/// The summary links to `#id`, the control is invalid and described by its message (after its
/// hint when `hint`), and the message is shown at the field.
fn at_field(body: &str, id: &str, message: &str, hint: bool) {
    assert!(body.contains(r#"class="ds-error-summary""#), "an error summary: {body}");
    assert!(body.contains(&format!(r##"href="#{id}""##)), "the summary links to #{id}: {body}");
    let control = tag(body, id);
    assert!(control.contains(r#"aria-invalid="true""#), "#{id} is invalid: {control}");
    let described = if hint { format!(r#"aria-describedby="{id}-hint {id}-error""#) } else { format!(r#"aria-describedby="{id}-error""#) };
    assert!(control.contains(&described), "#{id} {described}: {control}");
    assert!(body.contains(&format!(r#"id="{id}-error">{message}</p>"#)), "#{id}: {message}: {body}");
}

/// The field `id` shows no problem (it belongs to another form of the page).
fn calm(body: &str, id: &str) {
    let control = tag(body, id);
    assert!(!control.contains("aria-invalid"), "#{id} has no problem: {control}");
    assert!(!body.contains(&format!(r#"id="{id}-error""#)), "no message at #{id}");
}

#[tokio::test]
async fn register_and_import_forms_show_their_errors_at_the_fields() {
    let app = super::app().await;
    let (_t, _s, email) = super::setup(&app, "kil", "1715").await;
    let mut c = app.login("kil", &email).await;

    // A building without a name; optional fields say so and nothing relies on `required`.
    let page = c.get("/admin/val/register/byggnader").await;
    assert!(page.body.contains("Adress (frivilligt)"), "{}", page.body);
    assert!(!tag(&page.body, "b-name").contains("required"), "the server checks, not the browser");
    let r = c.post_form("/admin/val/register/byggnader", &[("name", " "), ("address", "Skolvägen 1")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    at_field(&r.body, "b-name", "Skriv byggnadens namn.", false);
    assert!(tag(&r.body, "b-address").contains(r#"value="Skolvägen 1""#), "the address is kept");
    let r = c.post_form("/admin/val/register/byggnader", &[("name", "Kilskolan")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let building = location(&r);
    let r = c.post_form(&building, &[("name", &"x".repeat(201))]).await;
    assert_eq!(r.status, 422);
    at_field(&r.body, "b-name", "Skriv ett kortare namn. Namnet får vara högst 200 tecken.", false);

    // New premises: every problem at once, at its field, the values kept.
    let r =
        c.post_form("/admin/val/register/lokaler", &[("name", ""), ("postal_code", "6653"), ("capacity", "många"), ("lat", "59,5")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    at_field(&r.body, "p-name", "Skriv lokalens namn.", false);
    at_field(&r.body, "p-postal", "Skriv postnumret med fem siffror, till exempel 665 30.", false);
    at_field(&r.body, "p-capacity", "Skriv hur många personer lokalen rymmer, som ett heltal.", false);
    at_field(&r.body, "p-lon", "Fyll i både latitud och longitud, eller ingen av dem.", false);
    assert!(r.body.contains("Postnummer: Skriv postnumret"), "the summary names the field: {}", r.body);
    assert!(tag(&r.body, "p-capacity").contains(r#"value="många""#));
    let r = c.post_form("/admin/val/register/lokaler", &[("name", "Matsalen")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let premises = location(&r);

    // The premises page has the photo and the change form: a photo without caption or file is
    // shown at the photo's fields only, with the caption typed kept.
    let r = upload(&mut c, &format!("{premises}/bilder"), &[("caption", "  ")], "photo", "", b"").await;
    assert_eq!(r.status, 422, "{}", r.body);
    at_field(&r.body, "ph-file", "Välj en bild att ladda upp.", true);
    at_field(&r.body, "ph-caption", "Skriv vad bilden visar.", true);
    calm(&r.body, "p-name");
    let r = c.post_form(&premises, &[("name", ""), ("contact_phone", "ring")]).await;
    assert_eq!(r.status, 422);
    at_field(&r.body, "p-name", "Skriv lokalens namn.", false);
    at_field(&r.body, "p-phone", "Skriv telefonnumret med siffror, till exempel 070-123 45 67.", false);
    calm(&r.body, "ph-caption");

    // A new person without names; the personnummer's hint stays in its description.
    let r = c.post_form("/admin/val/register/personer", &[("given_name", ""), ("family_name", ""), ("pnr", "19801301-0010")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    at_field(&r.body, "f-given", "Skriv förnamnet.", false);
    at_field(&r.body, "f-family", "Skriv efternamnet.", false);
    at_field(&r.body, "f-pnr", "Skriv personnumret som ÅÅÅÅMMDD-NNNN, med ett datum som finns.", true);
    assert!(r.body.contains("Förnamn: Skriv förnamnet."), "{}", r.body);
    assert!(r.body.contains("Personnummer (frivilligt)"), "{}", r.body);
    let r = c.post_form("/admin/val/register/personer", &[("given_name", "Signe"), ("family_name", "Lund")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let person = location(&r);

    // The person's page: a year of experience without a year is shown at the year, not at the
    // person's form; the role chosen is kept.
    let r = c.post_form(&format!("{person}/historik"), &[("year", ""), ("role", "vice"), ("place", "Kil centrum")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    at_field(&r.body, "h-year", "Skriv året med fyra siffror, från 1950 till i år.", false);
    assert!(r.body.contains(r#"<option value="vice" selected>"#), "{}", r.body);
    assert!(tag(&r.body, "h-place").contains(r#"value="Kil centrum""#));
    calm(&r.body, "f-given");
    let r = c.post_form(&person, &[("given_name", "Signe"), ("family_name", " ")]).await;
    assert_eq!(r.status, 422);
    at_field(&r.body, "f-family", "Skriv efternamnet.", false);
    calm(&r.body, "h-year");

    // The import: no file chosen, the kind chosen is kept; a wrong kind is shown at the choice.
    let r = upload(&mut c, "/admin/val/register/import", &[("kind", "premises")], "file", "", b"").await;
    assert_eq!(r.status, 422, "{}", r.body);
    at_field(&r.body, "file", "Välj filen som ska läsas in.", true);
    assert!(r.body.contains(r#"name="kind" value="premises" checked"#), "the kind is kept: {}", r.body);
    let r = upload(&mut c, "/admin/val/register/import", &[("kind", "vallokaler")], "file", "a.csv", b"x").await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r##"href="#kind""##), "{}", r.body);
    assert!(r.body.contains(r#"id="kind-error">Välj vad filen innehåller.</p>"#), "{}", r.body);
    assert!(tag(&r.body, "kind").contains(r#"aria-describedby="kind-error""#));
    assert!(tag(&r.body, "kind-1").contains(r#"aria-invalid="true""#));
    // A file that cannot be read is a problem of the whole form: a summary line, no link.
    let r = upload(&mut c, "/admin/val/register/import", &[("kind", "persons")], "file", "a.xlsx", b"PK\x03\x04garbage").await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("<li>Filen kunde inte läsas."), "{}", r.body);

    // The preview: a choice that is none of the offered ones.
    let csv = "förnamn;efternamn\nOlle;Ås\n";
    let r = upload(&mut c, "/admin/val/register/import", &[("kind", "persons")], "file", "p.csv", csv.as_bytes()).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let preview = location(&r);
    let r = c.post_form(&preview, &[("choice", "kanske")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r##"href="#choice""##), "{}", r.body);
    assert!(r.body.contains(r#"id="choice-error">Välj vad som ska importeras.</p>"#), "{}", r.body);
}

#[tokio::test]
async fn structure_forms_show_their_errors_at_the_fields() {
    let app = super::app().await;
    let (_t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(&app, &s).await;
    let mut c = app.login("kil", &email).await;
    let structure = format!("/admin/val/{e}");

    // The structure page has four forms: only the refused one shows problems, opened.
    let r = c.post_form(&format!("{structure}/distrikt"), &[("code", ""), ("name", " "), ("voters", "tusen")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    at_field(&r.body, "d-code", "Skriv distriktets kod med åtta siffror, till exempel 17150101.", true);
    at_field(&r.body, "d-name", "Skriv distriktets namn.", false);
    at_field(&r.body, "d-voters", "Skriv antalet röstberättigade som ett heltal, eller lämna fältet tomt.", false);
    assert!(r.body.contains(r#"<details class="ds-details" open><summary>Lägg till valdistrikt"#), "{}", r.body);
    calm(&r.body, "c-name");
    calm(&r.body, "s-name");
    let r = c.post_form(&format!("{structure}/valkretsar"), &[("name", "")]).await;
    assert_eq!(r.status, 422);
    at_field(&r.body, "c-name", "Skriv valkretsens namn.", false);
    calm(&r.body, "d-name");
    let r = c.post_form(&format!("{structure}/lokaler"), &[("kind", "rostningslokal"), ("name", ""), ("lat", ""), ("lon", "13,3")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    at_field(&r.body, "s-name", "Skriv lokalens namn.", false);
    at_field(&r.body, "s-lat", "Skriv lokalens latitud, till exempel 59,5035.", false);
    calm(&r.body, "s-lon");
    assert!(r.body.contains(r#"<option value="rostningslokal" selected>"#), "the kind is kept: {}", r.body);
    let r = c.post_form(&format!("{structure}/pass"), &[("name", ""), ("day", "2030-09-08"), ("starts", "07:00"), ("ends", "21:00")]).await;
    assert_eq!(r.status, 422);
    at_field(&r.body, "sh-name", "Skriv passets namn.", false);
    assert!(tag(&r.body, "sh-starts").contains(r#"value="07:00""#));

    // A valkrets's and a district's own pages.
    assert_eq!(c.post_form(&format!("{structure}/valkretsar"), &[("name", "Kil 1")]).await.status, 303);
    let page = c.get(&format!("{structure}/struktur")).await;
    let k = page.body.split(&format!("/admin/val/{e}/valkretsar/")).nth(1).and_then(|x| x.split('"').next()).expect("valkrets");
    let r = c.post_form(&format!("{structure}/valkretsar/{k}"), &[("name", " ")]).await;
    assert_eq!(r.status, 422);
    at_field(&r.body, "c-name", "Skriv valkretsens namn.", false);
    let r = c.post_form(&format!("{structure}/distrikt/17150001"), &[("name", ""), ("constituency", "fel")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    at_field(&r.body, "d-name", "Skriv distriktets namn.", false);

    // A station: the change form, the opening hours and the positions, each on its own.
    let station = format!("{structure}/lokaler/{st}");
    let r = c
        .post_form(&format!("{station}/andra"), &[("name", ""), ("lat", "norr om kyrkan"), ("lon", "13,3"), ("district", "17150001")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    at_field(&r.body, "x-name", "Skriv lokalens namn.", false);
    at_field(&r.body, "x-lat", "skriv en koordinat i Sverige med decimaler, till exempel 59,3793", false);
    assert!(r.body.contains(r#"<details class="ds-details" open>"#), "{}", r.body);
    calm(&r.body, "o-day");
    let r = c.post_form(&format!("{station}/oppettider"), &[("day", ""), ("opens", "08:00"), ("closes", "20:00")]).await;
    assert_eq!(r.status, 422);
    at_field(&r.body, "o-day", "skriv datumet som ÅÅÅÅ-MM-DD", false);
    calm(&r.body, "x-name");
    let r = c.post_form(&format!("{station}/platser"), &[("shift", &sh.to_string()), ("role", "vice"), ("count", "40")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r##"href="#p-count""##), "{}", r.body);
    assert!(tag(&r.body, "p-count").contains(r#"aria-invalid="true""#) && tag(&r.body, "p-count").contains(r#"value="40""#));
    calm(&r.body, "o-day");

    // The structure import: no file.
    let r = upload(&mut c, &format!("{structure}/import"), &[("kind", "rostningslokaler")], "file", "", b"").await;
    assert_eq!(r.status, 422, "{}", r.body);
    at_field(&r.body, "file", "Välj filen som ska läsas in.", true);
    assert!(r.body.contains(r#"name="kind" value="rostningslokaler" checked"#), "{}", r.body);
}
