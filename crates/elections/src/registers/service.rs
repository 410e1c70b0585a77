//! Use cases of the registers: buildings, premises with photos, persons with their history.
//! Each opens one transaction, checks that the caller is the election office and writes an
//! audit event; reading a person or exporting a list of persons is logged as well.

use radhus_kernel::Personnummer;
use radhus_kernel::personnummer::PersonnummerError;
use radhus_platform::db::{Db, Scope};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::StaffUser;
use serde::Deserialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::store::{self, ApplicationLine, AssignmentLine, BuildingRow, HistoryRow, PersonRow, PhotoRow, PremisesRow};
use crate::error::ElectionError;
use crate::structure::service as el;
use crate::support::audit::audit;
use crate::support::office::require_office;

/// The largest photo of a premises, in bytes.
pub const MAX_PHOTO: usize = 5 * 1024 * 1024;
/// The request limit of the photo upload (the photo and the form around it).
pub const PHOTO_UPLOAD_LIMIT: usize = MAX_PHOTO + 64 * 1024;
/// Persons per page of the list.
pub const PAGE_SIZE: usize = 50;

/// Field errors collected over a whole form (or an import row), so all are shown at once.
#[derive(Default)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: &str, message: &str) {
        self.0.push(FieldError::new(field, message));
    }
    /// Keeps the value of `r`, or records its field errors.
    pub fn take<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(Error::Invalid(v)) => {
                self.0.extend(v);
                None
            }
            Err(Error::Rule { message, .. }) => {
                self.add("file", message);
                None
            }
            Err(_) => {
                self.add("file", "el-registers-bad-value");
                None
            }
        }
    }
    pub fn into_result(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(Error::Invalid(self.0)) }
    }
}

fn clean(s: &str) -> String {
    s.trim().to_string()
}

/// A field that must be filled in; left empty it is refused with `message`, which says what to
/// do ("Skriv förnamnet").
fn required(p: &mut Problems, field: &str, s: &str, message: &str) -> String {
    let v = clean(s);
    if v.is_empty() {
        p.add(field, message);
    }
    v
}

/// A text longer than `max` characters is refused with `message` ("Skriv ett kortare namn …").
fn too_long(p: &mut Problems, field: &str, s: &str, max: usize, message: &str) {
    if s.chars().count() > max {
        p.add(field, message);
    }
}

/// Both coordinates or none, in Sweden.
pub fn coords(p: &mut Problems, lat: &str, lon: &str) -> (Option<f64>, Option<f64>) {
    match (lat.trim().is_empty(), lon.trim().is_empty()) {
        (true, true) => (None, None),
        (false, true) => {
            p.add("lon", "el-registers-coord-pair");
            (None, None)
        }
        (true, false) => {
            p.add("lat", "el-registers-coord-pair");
            (None, None)
        }
        (false, false) => {
            let a = p.take(crate::support::parse::parse_coord("lat", lat, 55.0, 69.1));
            let b = p.take(crate::support::parse::parse_coord("lon", lon, 10.9, 24.2));
            match (a, b) {
                (Some(a), Some(b)) => (Some(a), Some(b)),
                _ => (None, None),
            }
        }
    }
}

/// A Swedish postal code as "NNN NN", or empty.
pub fn postal_code(p: &mut Problems, s: &str) -> String {
    let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return String::new();
    }
    if digits.len() != 5 || !digits.chars().all(|c| c.is_ascii_digit()) {
        p.add("reg_postal_code", "el-registers-bad-postal-code");
        return clean(s);
    }
    format!("{} {}", &digits[..3], &digits[3..])
}

fn phone(p: &mut Problems, field: &str, s: &str) -> String {
    let v = clean(s);
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if !v.is_empty() && (digits < 6 || !v.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))) {
        p.add(field, "el-registers-bad-phone");
    }
    v
}

fn email(p: &mut Problems, s: &str) -> String {
    let v = clean(s);
    if !v.is_empty() {
        let ok = match v.split_once('@') {
            Some((a, b)) => !a.is_empty() && b.contains('.') && !b.starts_with('.') && !b.ends_with('.') && !b.contains('@'),
            None => false,
        };
        if !ok || v.contains(char::is_whitespace) {
            p.add("email", "el-registers-bad-email");
        }
    }
    v
}

/// "Arabiska; FINSKA" → "arabiska, finska".
pub fn languages(s: &str) -> String {
    s.split([',', ';', '/']).map(|l| l.trim().to_lowercase()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(", ")
}

/// A personnummer or samordningsnummer in its 12-digit form, checked against today.
pub fn pnr(p: &mut Problems, s: &str, today: Date) -> Option<Personnummer> {
    if s.trim().is_empty() {
        return None;
    }
    match Personnummer::parse(s, today) {
        Ok(n) => Some(n),
        Err(PersonnummerError::Checksum) => {
            p.add("reg_pnr", "el-registers-pnr-checksum");
            None
        }
        Err(_) => {
            p.add("reg_pnr", "el-registers-bad-pnr");
            None
        }
    }
}

// ------------------------------------------------------------------ buildings

#[derive(Debug, Clone, Default, Deserialize)]
pub struct BuildingInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub notes: String,
}

fn valid_building(f: &BuildingInput) -> Result<(String, String, String)> {
    let mut p = Problems::default();
    let name = required(&mut p, "name", &f.name, "el-registers-err-building-name");
    too_long(&mut p, "name", &name, 200, "el-registers-err-long-name");
    p.into_result()?;
    Ok((name, clean(&f.address), clean(&f.notes)))
}

pub async fn create_building(db: &Db, s: &StaffUser, f: &BuildingInput, now: OffsetDateTime) -> Result<Uuid> {
    require_office(s)?;
    let (name, address, notes) = valid_building(f)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let id = Uuid::now_v7();
    store::insert_building(&mut tx, t, &BuildingRow { id, name, address, notes, created_at: now }).await?;
    audit(&mut tx, s, "elections.building.created", "el_building", id, serde_json::json!({}), now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_building(db: &Db, s: &StaffUser, id: Uuid, f: &BuildingInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let (name, address, notes) = valid_building(f)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    if !store::update_building(&mut tx, t, id, &name, &address, &notes).await? {
        return Err(Error::NotFound);
    }
    audit(&mut tx, s, "elections.building.updated", "el_building", id, serde_json::json!({}), now).await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ premises

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PremisesInput {
    #[serde(default)]
    pub building: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lon: String,
    #[serde(default)]
    pub accessibility: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub keys: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub notes: String,
}

impl PremisesInput {
    pub fn of(p: &PremisesRow) -> Self {
        let f = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        PremisesInput {
            building: p.building_id.map(|b| b.to_string()).unwrap_or_default(),
            name: p.name.clone(),
            address: p.address.clone(),
            postal_code: p.postal_code.clone(),
            city: p.city.clone(),
            lat: f(p.lat),
            lon: f(p.lon),
            accessibility: p.accessibility.clone(),
            capacity: p.capacity.map(|c| c.to_string()).unwrap_or_default(),
            keys: p.keys.clone(),
            contact_name: p.contact_name.clone(),
            contact_phone: p.contact_phone.clone(),
            notes: p.notes.clone(),
        }
    }
}

/// Checks a premises of the form or an import row; the building is checked by the caller.
pub fn valid_premises(f: &PremisesInput) -> Result<PremisesRow> {
    let mut p = Problems::default();
    let name = required(&mut p, "name", &f.name, "el-registers-err-premises-name");
    too_long(&mut p, "name", &name, 200, "el-registers-err-long-name");
    let (lat, lon) = coords(&mut p, &f.lat, &f.lon);
    let capacity = match f.capacity.trim() {
        "" => None,
        c => {
            let v = c.parse::<i32>().ok().filter(|v| (0..=100_000).contains(v));
            if v.is_none() {
                p.add("reg_capacity", "el-registers-err-capacity");
            }
            v
        }
    };
    let row = PremisesRow {
        id: Uuid::nil(),
        building_id: None,
        name,
        address: clean(&f.address),
        postal_code: postal_code(&mut p, &f.postal_code),
        city: clean(&f.city),
        lat,
        lon,
        accessibility: clean(&f.accessibility),
        capacity,
        keys: clean(&f.keys),
        contact_name: clean(&f.contact_name),
        contact_phone: phone(&mut p, "contact_phone", &f.contact_phone),
        notes: clean(&f.notes),
    };
    p.into_result()?;
    Ok(row)
}

async fn building_of(tx: &mut radhus_platform::db::Tx, s: &StaffUser, b: &str) -> Result<Option<Uuid>> {
    if b.trim().is_empty() {
        return Ok(None);
    }
    let id = Uuid::parse_str(b.trim()).map_err(|_| Error::invalid("reg_building", "el-registers-err-building"))?;
    store::building(tx, s.tenant_id, id).await?.ok_or_else(|| Error::invalid("reg_building", "el-registers-err-building"))?;
    Ok(Some(id))
}

pub async fn create_premises(db: &Db, s: &StaffUser, f: &PremisesInput, now: OffsetDateTime) -> Result<Uuid> {
    require_office(s)?;
    let mut row = valid_premises(f)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    row.building_id = building_of(&mut tx, s, &f.building).await?;
    row.id = Uuid::now_v7();
    store::insert_premises(&mut tx, t, &row, now).await?;
    audit(&mut tx, s, "elections.premises.created", "el_premises", row.id, serde_json::json!({ "building": row.building_id }), now).await?;
    tx.commit().await?;
    Ok(row.id)
}

pub async fn update_premises(db: &Db, s: &StaffUser, id: Uuid, f: &PremisesInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let mut row = valid_premises(f)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    store::premises(&mut tx, t, id).await?.ok_or(Error::NotFound)?;
    row.building_id = building_of(&mut tx, s, &f.building).await?;
    row.id = id;
    store::update_premises(&mut tx, t, &row).await?;
    audit(&mut tx, s, "elections.premises.updated", "el_premises", id, serde_json::json!({ "building": row.building_id }), now).await?;
    tx.commit().await?;
    Ok(())
}

/// The image type of a photo from its first bytes: PNG, JPEG or WebP.
pub fn photo_mime(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Adds a photo to a premises; its caption is the image's alternative text.
pub async fn add_photo(db: &Db, s: &StaffUser, premises: Uuid, caption: &str, bytes: &[u8], now: OffsetDateTime) -> Result<Uuid> {
    require_office(s)?;
    let mut p = Problems::default();
    let caption = required(&mut p, "reg_caption", caption, "el-registers-err-caption");
    too_long(&mut p, "reg_caption", &caption, 300, "el-registers-err-long-caption");
    if bytes.is_empty() {
        p.add("reg_photo", "el-registers-photo-missing");
    }
    p.into_result()?;
    if bytes.len() > MAX_PHOTO {
        return Err(ElectionError::PhotoTooLarge.into());
    }
    let mime = photo_mime(bytes).ok_or_else(|| Error::from(ElectionError::PhotoType))?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    store::premises(&mut tx, t, premises).await?.ok_or(Error::NotFound)?;
    let id = Uuid::now_v7();
    store::insert_photo(&mut tx, t, id, premises, &caption, mime, bytes, s.user_id.0, now).await?;
    audit(
        &mut tx,
        s,
        "elections.premises.photo_added",
        "el_premises",
        premises,
        serde_json::json!({ "photo": id, "bytes": bytes.len() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn remove_photo(db: &Db, s: &StaffUser, premises: Uuid, photo: Uuid, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    if !store::delete_photo(&mut tx, t, premises, photo).await? {
        return Err(Error::NotFound);
    }
    audit(&mut tx, s, "elections.premises.photo_removed", "el_premises", premises, serde_json::json!({ "photo": photo }), now).await?;
    tx.commit().await?;
    Ok(())
}

/// A photo's type and bytes.
pub async fn photo(db: &Db, s: &StaffUser, id: Uuid) -> Result<(String, Vec<u8>)> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let r = store::photo_content(&mut tx, t, id).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(r)
}

/// A premises with its building and photos.
pub struct PremisesView {
    pub p: PremisesRow,
    pub building: Option<BuildingRow>,
    pub photos: Vec<PhotoRow>,
}

pub async fn premises_view(db: &Db, s: &StaffUser, id: Uuid) -> Result<PremisesView> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let p = store::premises(&mut tx, t, id).await?.ok_or(Error::NotFound)?;
    let building = match p.building_id {
        Some(b) => store::building(&mut tx, t, b).await?,
        None => None,
    };
    let photos = store::photos(&mut tx, t, id).await?;
    tx.commit().await?;
    Ok(PremisesView { p, building, photos })
}

// ------------------------------------------------------------------ persons

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonInput {
    #[serde(default)]
    pub pnr: String,
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lon: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub languages: String,
    #[serde(default)]
    pub preferences: String,
    #[serde(default)]
    pub notes: String,
}

impl PersonInput {
    pub fn of(p: &PersonRow) -> Self {
        let f = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        PersonInput {
            pnr: p.pnr.clone().unwrap_or_default(),
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
            address: p.address.clone(),
            postal_code: p.postal_code.clone(),
            city: p.city.clone(),
            lat: f(p.lat),
            lon: f(p.lon),
            birth_date: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            languages: p.languages.clone(),
            preferences: p.preferences.clone(),
            notes: p.notes.clone(),
        }
    }
}

/// Checks a person of the form or an import row. The birth date comes from the personnummer
/// when there is one, otherwise from the form.
pub fn valid_person(f: &PersonInput, today: Date) -> Result<PersonRow> {
    let mut p = Problems::default();
    let given_name = required(&mut p, "reg_given_name", &f.given_name, "el-registers-err-given-name");
    let family_name = required(&mut p, "reg_family_name", &f.family_name, "el-registers-err-family-name");
    too_long(&mut p, "reg_given_name", &given_name, 100, "el-registers-err-long-person-name");
    too_long(&mut p, "reg_family_name", &family_name, 100, "el-registers-err-long-person-name");
    let number = pnr(&mut p, &f.pnr, today);
    let birth_date = match number {
        Some(n) => Some(n.birth_date()),
        None if f.pnr.trim().is_empty() => {
            let d = p.take(crate::support::parse::parse_opt_date("reg_birth_date", &f.birth_date)).flatten();
            if d.is_some_and(|d| d > today) {
                p.add("reg_birth_date", "el-registers-future-date");
            }
            d
        }
        None => None,
    };
    let (lat, lon) = coords(&mut p, &f.lat, &f.lon);
    let row = PersonRow {
        id: Uuid::nil(),
        pnr: number.map(|n| n.to_string()),
        given_name,
        family_name,
        email: email(&mut p, &f.email),
        phone: phone(&mut p, "reg_phone", &f.phone),
        address: clean(&f.address),
        postal_code: postal_code(&mut p, &f.postal_code),
        city: clean(&f.city),
        lat,
        lon,
        birth_date,
        languages: languages(&f.languages),
        preferences: clean(&f.preferences),
        notes: clean(&f.notes),
    };
    p.into_result()?;
    Ok(row)
}

fn pnr_taken(e: Error) -> Error {
    match e {
        Error::Db(ref d) if radhus_platform::db::is_unique_violation(d) => Error::from(ElectionError::PnrTaken),
        e => e,
    }
}

pub async fn create_person(db: &Db, s: &StaffUser, f: &PersonInput, now: OffsetDateTime) -> Result<Uuid> {
    require_office(s)?;
    let mut row = valid_person(f, now.date())?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    row.id = Uuid::now_v7();
    store::insert_person(&mut tx, t, &row, now).await.map_err(pnr_taken)?;
    audit(&mut tx, s, "elections.person.created", "el_person", row.id, serde_json::json!({}), now).await?;
    tx.commit().await?;
    Ok(row.id)
}

pub async fn update_person(db: &Db, s: &StaffUser, id: Uuid, f: &PersonInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let mut row = valid_person(f, now.date())?;
    row.id = id;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    if !store::update_person(&mut tx, t, &row, now).await.map_err(pnr_taken)? {
        return Err(Error::NotFound);
    }
    audit(&mut tx, s, "elections.person.updated", "el_person", id, serde_json::json!({}), now).await?;
    tx.commit().await?;
    Ok(())
}

/// One page of the persons matching `q` (every word in the name, personnummer or e-mail) and
/// how many match in all. Listing persons is logged.
pub async fn list_persons(db: &Db, s: &StaffUser, q: &str, page: usize, now: OffsetDateTime) -> Result<(Vec<PersonRow>, usize)> {
    require_office(s)?;
    let t = s.tenant_id;
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let all = store::persons(&mut tx, t).await?;
    let hits: Vec<PersonRow> = all
        .into_iter()
        .filter(|p| {
            let hay = format!("{} {} {} {}", p.given_name, p.family_name, p.pnr.as_deref().unwrap_or(""), p.email).to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect();
    let total = hits.len();
    let page_rows: Vec<PersonRow> = hits.into_iter().skip(page.saturating_sub(1) * PAGE_SIZE).take(PAGE_SIZE).collect();
    audit(
        &mut tx,
        s,
        "elections.persons.listed",
        "el_person",
        "list",
        serde_json::json!({ "search": !words.is_empty(), "page": page, "shown": page_rows.len() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((page_rows, total))
}

/// A person's page: the register entry, experience typed in, work and applications in the
/// elections of the platform.
pub struct PersonView {
    pub p: PersonRow,
    pub history: Vec<HistoryRow>,
    pub assignments: Vec<AssignmentLine>,
    pub applications: Vec<ApplicationLine>,
}

/// Reads a person for the office; the reading is logged ("elections.person.viewed").
pub async fn view_person(db: &Db, s: &StaffUser, id: Uuid, now: OffsetDateTime) -> Result<PersonView> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let p = store::person(&mut tx, t, id).await?.ok_or(Error::NotFound)?;
    let history = store::history(&mut tx, t, id).await?;
    let assignments = store::assignments_of(&mut tx, t, id).await?;
    let applications = store::applications_of(&mut tx, t, id).await?;
    audit(&mut tx, s, "elections.person.viewed", "el_person", id, serde_json::json!({}), now).await?;
    tx.commit().await?;
    Ok(PersonView { p, history, assignments, applications })
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct HistoryInput {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub place: String,
}

/// Adds work in an earlier election (one line per year).
pub async fn add_history(db: &Db, s: &StaffUser, person: Uuid, f: &HistoryInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let mut p = Problems::default();
    let year = f.year.trim().parse::<i32>().ok().filter(|y| (1950..=now.year()).contains(y));
    if year.is_none() {
        p.add("reg_year", "el-registers-bad-year");
    }
    let role = el::parse_role(f.role.trim());
    if role.is_none() {
        p.add("role", "el-registers-err-role");
    }
    let place = clean(&f.place);
    too_long(&mut p, "reg_place", &place, 200, "el-registers-err-long-place");
    p.into_result()?;
    let (Some(year), Some(role)) = (year, role) else { return Err(Error::invalid("reg_year", "el-registers-bad-year")) };
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    store::person(&mut tx, t, person).await?.ok_or(Error::NotFound)?;
    store::insert_history(&mut tx, t, person, &HistoryRow { year, role: el::role_key(role).into(), place }).await.map_err(|e| match e {
        Error::Db(ref d) if radhus_platform::db::is_unique_violation(d) => Error::from(ElectionError::HistoryYearTaken),
        e => e,
    })?;
    audit(&mut tx, s, "elections.person.history_added", "el_person", person, serde_json::json!({ "year": year }), now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_history(db: &Db, s: &StaffUser, person: Uuid, year: &str, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let year: i32 = year.trim().parse().map_err(|_| Error::invalid("reg_year", "el-registers-bad-year"))?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    if !store::delete_history(&mut tx, t, person, year).await? {
        return Err(Error::NotFound);
    }
    audit(&mut tx, s, "elections.person.history_removed", "el_person", person, serde_json::json!({ "year": year }), now).await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ overview and exports

pub struct Overview {
    pub buildings: i64,
    pub premises: i64,
    pub persons: i64,
}

pub async fn overview(db: &Db, s: &StaffUser) -> Result<Overview> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let (buildings, premises, persons) = store::counts(&mut tx, t).await?;
    tx.commit().await?;
    Ok(Overview { buildings, premises, persons })
}

/// Every person of the register as an Excel workbook; the export is logged.
pub async fn export_persons(db: &Db, s: &StaffUser, now: OffsetDateTime) -> Result<Vec<u8>> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let persons = store::persons(&mut tx, t).await?;
    let bytes = super::export::persons_xlsx(&persons)?;
    audit(&mut tx, s, "elections.persons.exported", "el_person", "export", serde_json::json!({ "rows": persons.len() }), now).await?;
    tx.commit().await?;
    Ok(bytes)
}

/// Every premises of the register with its building as an Excel workbook; the export is logged.
pub async fn export_premises(db: &Db, s: &StaffUser, now: OffsetDateTime) -> Result<Vec<u8>> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let premises = store::premises_list(&mut tx, t).await?;
    let buildings = store::buildings(&mut tx, t).await?;
    let bytes = super::export::premises_xlsx(&premises, &buildings)?;
    audit(&mut tx, s, "elections.premises.exported", "el_premises", "export", serde_json::json!({ "rows": premises.len() }), now).await?;
    tx.commit().await?;
    Ok(bytes)
}
