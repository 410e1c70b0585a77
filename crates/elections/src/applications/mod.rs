//! Applications to work in an election (intresseanmälan) and their screening.
//!
//! The public form ([`apply`]) creates or updates the person (matched on personnummer within
//! the municipality) and the application with its wished stations, available shifts and
//! earlier experience, checks the population register and queues a confirmation e-mail, all
//! in one transaction. The office screens ([`screen`]): accepted, reserve or rejected, with a
//! reason, who and when. Every look at an applicant and every register lookup is audit-logged.

pub mod conflicts;
pub mod seed;
pub mod web;

use std::collections::{BTreeSet, HashMap};

use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::citizen::PopulationRegister;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use radhus_platform::outbox::{self, Channel, Message};
use radhus_platform::pii;
use radhus_platform::web::form::one_or_many;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::error::ElectionError;
use crate::structure::service::{self, election_in};
use crate::structure::store::{self, ElectionRow, ShiftRow, StationRow};
use crate::support::audit::audit;
use crate::support::office::require_office;

/// The statuses of an application, in the order the office's list shows them.
pub const STATUSES: [&str; 5] = ["received", "accepted", "reserve", "rejected", "withdrawn"];
/// The roles an applicant can ask for, in the order the form shows them.
pub const ROLES: [&str; 3] = ["rostmottagare", "ordforande", "vice"];
/// Wished stations at most.
pub const MAX_WISHES: usize = 3;

// ------------------------------------------------------------------ store

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PersonRow {
    pub id: Uuid,
    pub pnr: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub birth_date: Option<Date>,
    pub languages: String,
}

impl PersonRow {
    /// The row with its sealed number (selected `pnr_sealed AS pnr`) opened, in memory.
    fn opened(mut self) -> Result<Self> {
        pii::open_in_place(&mut self.pnr)?;
        Ok(self)
    }

    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

macro_rules! person_cols {
    () => {
        "id, pnr_sealed AS pnr, given_name, family_name, email, phone, address, postal_code, city, lat, lon, birth_date, languages"
    };
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApplicationRow {
    pub person_id: Uuid,
    pub status: String,
    pub reason: String,
    pub roles_wanted: String,
    pub message: String,
    pub candidate: bool,
    pub consent_at: Option<OffsetDateTime>,
    pub identified_by: String,
    pub register_status: String,
    pub register_kommun: Option<String>,
    pub register_source: Option<String>,
    pub register_checked_at: Option<OffsetDateTime>,
    pub register_name: Option<String>,
    pub screened_by: Option<Uuid>,
    pub screened_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    /// What a form-only applicant typed ("uppgifter i anmälan", not verified); None with e-ID.
    pub form_given_name: Option<String>,
    pub form_family_name: Option<String>,
    pub form_email: Option<String>,
    pub form_phone: Option<String>,
    pub form_address: Option<String>,
    pub form_postal_code: Option<String>,
    pub form_city: Option<String>,
}

macro_rules! application_cols {
    () => {
        "a.person_id, a.status, a.reason, a.roles_wanted, a.message, a.candidate, a.consent_at, a.identified_by, a.register_status, \
         a.register_kommun, a.register_source, a.register_checked_at, a.register_name, a.screened_by, a.screened_at, a.created_at, \
         a.form_given_name, a.form_family_name, a.form_email, a.form_phone, a.form_address, a.form_postal_code, a.form_city"
    };
}

/// The person with this number, found by its blind index (ADR 0018).
pub async fn person_by_pnr(tx: &mut Tx, t: TenantId, pnr: &str) -> Result<Option<PersonRow>> {
    let index = pii::index_str(pnr)?;
    let sql = concat!("SELECT ", person_cols!(), " FROM el_person WHERE tenant_id = $1 AND pnr_index = $2");
    let row: Option<PersonRow> = on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(index).fetch_optional(c).await?);
    row.map(PersonRow::opened).transpose()
}

pub async fn person(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<PersonRow>> {
    let sql = concat!("SELECT ", person_cols!(), " FROM el_person WHERE tenant_id = $1 AND id = $2");
    let row: Option<PersonRow> = on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(id).fetch_optional(c).await?);
    row.map(PersonRow::opened).transpose()
}

/// Inserts a person; `unverified_email` is the address a form-only application wrote (no
/// e-mail login link goes to it while it is the person's address).
async fn insert_person(tx: &mut Tx, t: TenantId, p: &PersonRow, unverified_email: Option<&str>, now: OffsetDateTime) -> Result<()> {
    let sealed = p.pnr.as_deref().map(pii::seal_str).transpose()?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_person (tenant_id, id, pnr_sealed, pnr_index, given_name, family_name, email, phone, address, postal_code, city, lat, lon, birth_date, languages, created_at, updated_at, unverified_email) \
         VALUES ($1, $2, $3, $17, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16)")
        .bind(t.0).bind(p.id).bind(sealed.as_ref().map(|s| &s.sealed)).bind(&p.given_name).bind(&p.family_name).bind(&p.email).bind(&p.phone)
        .bind(&p.address).bind(&p.postal_code).bind(&p.city).bind(p.lat).bind(p.lon).bind(p.birth_date).bind(&p.languages).bind(now)
        .bind(unverified_email).bind(sealed.as_ref().map(|s| &s.index))
        .execute(c).await?.rows_affected());
    Ok(())
}

/// Updates what an applicant identified with e-ID wrote (the person's own data; the e-mail
/// address is then theirs, so the mark of an unverified address goes); coordinates stay (the
/// form does not ask for them). Never used for a form-only application.
async fn update_person(tx: &mut Tx, t: TenantId, p: &PersonRow, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE el_person SET given_name = $3, family_name = $4, email = $5, phone = $6, address = $7, postal_code = $8, city = $9, \
         birth_date = $10, languages = $11, updated_at = $12, unverified_email = NULL WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(p.id).bind(&p.given_name).bind(&p.family_name).bind(&p.email).bind(&p.phone).bind(&p.address)
        .bind(&p.postal_code).bind(&p.city).bind(p.birth_date).bind(&p.languages).bind(now)
        .execute(c).await?.rows_affected());
    Ok(())
}

async fn upsert_history(tx: &mut Tx, t: TenantId, person: Uuid, year: i32, role: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_person_history (tenant_id, person_id, year, role, place) VALUES ($1, $2, $3, $4, '') \
         ON CONFLICT (tenant_id, person_id, year) DO UPDATE SET role = excluded.role")
        .bind(t.0).bind(person).bind(year).bind(role).execute(c).await?.rows_affected());
    Ok(())
}

/// Earlier elections of a person: (year, role, place), newest first.
pub async fn history(tx: &mut Tx, t: TenantId, person: Uuid) -> Result<Vec<(i32, String, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT year, role, place FROM el_person_history WHERE tenant_id = $1 AND person_id = $2 ORDER BY year DESC")
        .bind(t.0).bind(person).fetch_all(c).await?))
}

pub async fn application(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid) -> Result<Option<ApplicationRow>> {
    let sql = concat!(
        "SELECT ",
        application_cols!(),
        " FROM el_application a WHERE a.tenant_id = $1 AND a.election_id = $2 AND a.person_id = $3"
    );
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(e).bind(person).fetch_optional(c).await?))
}

pub struct NewApplication<'a> {
    pub person: Uuid,
    pub roles_wanted: &'a str,
    pub message: &'a str,
    pub candidate: bool,
    pub identified_by: &'a str,
    /// What a form-only applicant typed, kept on the application ("uppgifter i anmälan").
    pub form: Option<&'a Valid>,
}

async fn insert_application(tx: &mut Tx, t: TenantId, e: Uuid, a: &NewApplication<'_>, now: OffsetDateTime) -> Result<()> {
    let f = |g: fn(&Valid) -> &str| a.form.map(|v| g(v).to_string());
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_application (tenant_id, election_id, person_id, status, roles_wanted, message, candidate, consent_at, identified_by, created_at, \
         form_given_name, form_family_name, form_email, form_phone, form_address, form_postal_code, form_city, number) \
         VALUES ($1, $2, $3, 'received', $4, $5, $6, $7, $8, $7, $9, $10, $11, $12, $13, $14, $15, \
         (SELECT COALESCE(MAX(number), 0) + 1 FROM el_application WHERE tenant_id = $1 AND election_id = $2))")
        .bind(t.0).bind(e).bind(a.person).bind(a.roles_wanted).bind(a.message).bind(a.candidate).bind(now).bind(a.identified_by)
        .bind(f(|v| &v.given_name)).bind(f(|v| &v.family_name)).bind(f(|v| &v.email)).bind(f(|v| &v.phone))
        .bind(f(|v| &v.address)).bind(f(|v| &v.postal_code)).bind(f(|v| &v.city))
        .execute(c).await?.rows_affected());
    Ok(())
}

async fn insert_wish(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid, station: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO el_wish (tenant_id, election_id, person_id, station_id) VALUES ($1, $2, $3, $4)")
        .bind(t.0).bind(e).bind(person).bind(station).execute(c).await?.rows_affected());
    Ok(())
}

async fn insert_availability(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid, shift: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO el_availability (tenant_id, election_id, person_id, shift_id) VALUES ($1, $2, $3, $4)")
        .bind(t.0).bind(e).bind(person).bind(shift).execute(c).await?.rows_affected());
    Ok(())
}

/// Every wish of an election: (person, station).
pub async fn wishes(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<(Uuid, Uuid)>> {
    Ok(on_tx!(tx, c => sqlx::query_as("SELECT person_id, station_id FROM el_wish WHERE tenant_id = $1 AND election_id = $2")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

/// Every availability of an election: (person, shift).
pub async fn availability(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<(Uuid, Uuid)>> {
    Ok(on_tx!(tx, c => sqlx::query_as("SELECT person_id, shift_id FROM el_availability WHERE tenant_id = $1 AND election_id = $2")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

pub struct RegisterResult<'a> {
    pub status: &'a str,
    pub kommun: Option<String>,
    pub name: Option<String>,
    pub source: &'a str,
}

async fn set_register(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid, r: &RegisterResult<'_>, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE el_application SET register_status = $4, register_kommun = $5, register_name = $6, register_source = $7, register_checked_at = $8 \
         WHERE tenant_id = $1 AND election_id = $2 AND person_id = $3")
        .bind(t.0).bind(e).bind(person).bind(r.status).bind(&r.kommun).bind(&r.name).bind(r.source).bind(now)
        .execute(c).await?.rows_affected());
    Ok(())
}

/// A screening decision: the status, the reason and who decided.
struct Decision<'a> {
    status: &'a str,
    reason: &'a str,
    by: Uuid,
}

async fn set_status(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid, d: &Decision<'_>, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE el_application SET status = $4, reason = $5, screened_by = $6, screened_at = $7 WHERE tenant_id = $1 AND election_id = $2 AND person_id = $3")
        .bind(t.0).bind(e).bind(person).bind(d.status).bind(d.reason).bind(d.by).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

async fn is_placed(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid) -> Result<bool> {
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM el_assignment WHERE tenant_id = $1 AND election_id = $2 AND person_id = $3")
        .bind(t.0).bind(e).bind(person).fetch_one(c).await?);
    Ok(n > 0)
}

/// One line of the office's list: the application and its person.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApplicationLine {
    #[sqlx(flatten)]
    pub a: ApplicationRow,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<Date>,
}

pub async fn applications(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<ApplicationLine>> {
    let sql = concat!(
        "SELECT ",
        application_cols!(),
        ", p.given_name, p.family_name, p.birth_date FROM el_application a \
         JOIN el_person p ON p.tenant_id = a.tenant_id AND p.id = a.person_id \
         WHERE a.tenant_id = $1 AND a.election_id = $2 ORDER BY p.family_name, p.given_name, a.person_id"
    );
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(e).fetch_all(c).await?))
}

// ------------------------------------------------------------------ the public form

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApplyInput {
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default)]
    pub pnr: String,
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
    pub languages: String,
    #[serde(default, deserialize_with = "one_or_many")]
    pub roles: Vec<String>,
    #[serde(default)]
    pub station1: String,
    #[serde(default)]
    pub station2: String,
    #[serde(default)]
    pub station3: String,
    #[serde(default, deserialize_with = "one_or_many")]
    pub shifts: Vec<String>,
    /// One value per earlier election year: "2022:rostmottagare", or "" for none.
    #[serde(default, deserialize_with = "one_or_many")]
    pub experience: Vec<String>,
    /// "yes" or "no".
    #[serde(default)]
    pub candidate: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub consent: Option<String>,
}

impl ApplyInput {
    pub fn has_role(&self, r: &str) -> bool {
        self.roles.iter().any(|x| x == r)
    }
    pub fn has_shift(&self, id: &Uuid) -> bool {
        let id = id.to_string();
        self.shifts.contains(&id)
    }
    pub fn experience_in(&self, year: i32) -> String {
        let prefix = format!("{year}:");
        self.experience.iter().find_map(|x| x.strip_prefix(&prefix)).unwrap_or_default().to_string()
    }
    pub fn station(&self, n: usize) -> &str {
        match n {
            1 => &self.station1,
            2 => &self.station2,
            _ => &self.station3,
        }
    }
}

/// Who the visitor is when logged in with e-ID: the name and number come from there.
#[derive(Debug, Clone)]
pub struct EidPerson {
    pub pnr: String,
    pub given_name: String,
    pub family_name: String,
}

/// Splits an e-ID display name ("Anna Maria Svensson") into given and family name.
pub fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((g, f)) => (g.trim().to_string(), f.trim().to_string()),
        None => (name.to_string(), String::new()),
    }
}

/// The e-ID person of a citizen login, with the names from the register when it knows them.
pub fn eid_person(register: &dyn PopulationRegister, pnr: &str, name: &str) -> EidPerson {
    let found = Personnummer::parse_canonical(pnr).ok().and_then(|p| register.lookup(&p));
    match found {
        Some(r) => EidPerson { pnr: pnr.to_string(), given_name: r.given_name, family_name: r.family_name },
        None => {
            let (g, f) = split_name(name);
            EidPerson { pnr: pnr.to_string(), given_name: g, family_name: f }
        }
    }
}

/// Earlier Swedish elections before `year` that the form asks about (the latest four).
pub fn experience_years(year: i32) -> Vec<i32> {
    // General elections every four years from 2010 (2026, 2030 …) and the European
    // Parliament every five from 2009.
    let mut v: BTreeSet<i32> = (0..10).map(|n| 2010 + 4 * n).chain((0..10).map(|n| 2009 + 5 * n)).filter(|y| *y < year).collect();
    while v.len() > 4 {
        v.pop_first();
    }
    v.into_iter().rev().collect()
}

/// What the form said, checked.
#[derive(Debug, Clone)]
pub struct Valid {
    pub given_name: String,
    pub family_name: String,
    pub pnr: Personnummer,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub languages: String,
    pub roles: Vec<&'static str>,
    pub stations: Vec<Uuid>,
    pub shifts: Vec<Uuid>,
    pub experience: Vec<(i32, &'static str)>,
    pub candidate: bool,
    pub message: String,
}

pub use crate::support::parse::{valid_email, valid_phone};

/// Normalises "Arabiska, finska ,  arabiska" to "arabiska, finska".
pub fn normalise_languages(s: &str) -> Option<String> {
    let mut seen = vec![];
    for l in s.split([',', ';', '\n']).map(|x| x.trim().to_lowercase()).filter(|x| !x.is_empty()) {
        if l.chars().count() > 40 || !l.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-') {
            return None;
        }
        if !seen.contains(&l) {
            seen.push(l);
        }
    }
    (seen.len() <= 10).then(|| seen.join(", "))
}

/// Checks the form; every problem is reported at once. Stations and shifts are checked
/// against the election's own, the age on the election day as a rule after the fields.
pub fn validate(
    f: &ApplyInput,
    eid: Option<&EidPerson>,
    stations: &[StationRow],
    shifts: &[ShiftRow],
    years: &[i32],
    today: Date,
) -> Result<Valid> {
    let mut errors: Vec<FieldError> = vec![];
    let mut err = |field: &str, msg: &str| errors.push(FieldError::new(field, msg));
    let (given, family, pnr_text) = match eid {
        Some(p) => (p.given_name.clone(), p.family_name.clone(), p.pnr.clone()),
        None => (f.given_name.trim().to_string(), f.family_name.trim().to_string(), f.pnr.trim().to_string()),
    };
    if given.is_empty() {
        err("applicant_given_name", "el-apply-given-name");
    } else if given.chars().count() > 100 {
        err("applicant_given_name", "el-apply-name-shorter");
    }
    if family.is_empty() {
        err("applicant_family_name", "el-apply-family-name");
    } else if family.chars().count() > 100 {
        err("applicant_family_name", "el-apply-name-shorter");
    }
    let pnr = if pnr_text.is_empty() {
        err("applicant_pnr", "el-apply-pnr-needed");
        None
    } else {
        match Personnummer::parse(&pnr_text, today) {
            Ok(p) => Some(p),
            Err(_) => {
                err("applicant_pnr", "el-applications-bad-pnr");
                None
            }
        }
    };
    let email = f.email.trim().to_lowercase();
    let phone = f.phone.trim().to_string();
    if !email.is_empty() && !valid_email(&email) {
        err("email", "el-apply-bad-email");
    }
    if !phone.is_empty() && !valid_phone(&phone) {
        err("applicant_phone", "el-applications-bad-phone");
    }
    if email.is_empty() && phone.is_empty() {
        err("email", "el-applications-contact-needed");
    }
    let address = f.address.trim().to_string();
    if address.is_empty() || address.chars().count() > 200 {
        err("address", "el-apply-address");
    }
    let postal_code: String = f.postal_code.chars().filter(|c| !c.is_whitespace()).collect();
    let postal_code = if postal_code.len() == 5 && postal_code.chars().all(|c| c.is_ascii_digit()) {
        format!("{} {}", &postal_code[..3], &postal_code[3..])
    } else {
        err("applicant_postal_code", "el-apply-postal-code");
        String::new()
    };
    let city = f.city.trim().to_string();
    if city.is_empty() || city.chars().count() > 100 {
        err("applicant_city", "el-apply-city");
    }
    let languages = normalise_languages(&f.languages).unwrap_or_else(|| {
        err("language", "el-applications-bad-languages");
        String::new()
    });
    let mut roles = vec![];
    for r in &f.roles {
        match ROLES.iter().find(|x| **x == r.as_str()) {
            Some(x) if !roles.contains(x) => roles.push(*x),
            Some(_) => {}
            None => err("role", "el-bad-choice"),
        }
    }
    if roles.is_empty() {
        err("role", "el-applications-role-needed");
    }
    let mut wished = vec![];
    for s in [&f.station1, &f.station2, &f.station3].into_iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match Uuid::parse_str(s).ok().filter(|id| stations.iter().any(|x| x.id == *id)) {
            Some(id) if !wished.contains(&id) => wished.push(id),
            Some(_) => {}
            None => err("applicant_stations", "el-bad-choice"),
        }
    }
    wished.truncate(MAX_WISHES);
    let mut chosen = vec![];
    for s in &f.shifts {
        match Uuid::parse_str(s.trim()).ok().filter(|id| shifts.iter().any(|x| x.id == *id)) {
            Some(id) if !chosen.contains(&id) => chosen.push(id),
            Some(_) => {}
            None => err("shift", "el-bad-choice"),
        }
    }
    if chosen.is_empty() {
        err("shift", "el-applications-shift-needed");
    }
    let mut experience = vec![];
    for x in f.experience.iter().map(|x| x.trim()).filter(|x| !x.is_empty()) {
        let parsed = x.split_once(':').and_then(|(y, r)| {
            let y: i32 = y.parse().ok().filter(|y| years.contains(y))?;
            let r = ROLES.iter().find(|k| **k == r)?;
            Some((y, *r))
        });
        match parsed {
            Some(p) if !experience.iter().any(|(y, _)| *y == p.0) => experience.push(p),
            Some(_) => {}
            None => err("applicant_experience", "el-bad-choice"),
        }
    }
    let candidate = match f.candidate.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            err("applicant_candidate", "el-applications-candidate-needed");
            None
        }
    };
    let message = f.message.trim().to_string();
    if message.chars().count() > 2000 {
        err("applicant_message", "el-apply-message-shorter");
    }
    if f.consent.is_none() {
        err("applicant_consent", "el-applications-consent-needed");
    }
    match (errors.is_empty(), pnr, candidate) {
        (true, Some(pnr), Some(candidate)) => Ok(Valid {
            given_name: given,
            family_name: family,
            pnr,
            email,
            phone,
            address,
            postal_code,
            city,
            languages,
            roles,
            stations: wished,
            shifts: chosen,
            experience,
            candidate,
            message,
        }),
        _ => Err(Error::Invalid(errors)),
    }
}

/// The application's number within its election as a reference: "2026-0042".
pub async fn reference(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid, year: i32) -> Result<String> {
    let n: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT CAST(number AS BIGINT) FROM el_application WHERE tenant_id = $1 AND election_id = $2 AND person_id = $3")
        .bind(t.0).bind(e).bind(person).fetch_optional(c).await?)
    .flatten();
    Ok(reference_of(year, n))
}

/// "2026-0042"; an application from before the numbers has the election's year alone.
pub fn reference_of(year: i32, number: Option<i64>) -> String {
    match number {
        Some(n) => format!("{year}-{n:04}"),
        None => year.to_string(),
    }
}

/// What the receipt page shows.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub person: Uuid,
    /// The application's reference ("2026-0042").
    pub reference: String,
    /// When an e-ID applicant applies again: the day the first application came (nothing
    /// changed). None for a new application.
    pub already: Option<Date>,
    pub election: String,
    pub name: String,
    pub email: String,
    pub shifts: Vec<String>,
    pub stations: Vec<String>,
}

/// The register's answer for a number: registered here, elsewhere or not found.
pub fn lookup(register: &dyn PopulationRegister, kommunkod: &str, pnr: &Personnummer) -> RegisterResult<'static> {
    match register.lookup(pnr) {
        Some(p) => RegisterResult {
            status: if p.kommunkod == kommunkod { "registered" } else { "elsewhere" },
            kommun: Some(format!("{} ({})", p.city, p.kommunkod)),
            name: Some(p.full_name()),
            source: register.name(),
        },
        None => RegisterResult { status: "not_found", kommun: None, name: None, source: register.name() },
    }
}

/// The context of one submission: the municipality, who submits and where e-mail links go.
pub struct Submission<'a> {
    pub tenant: TenantId,
    pub kommunkod: &'a str,
    pub municipality: &'a str,
    pub actor: Actor,
    pub eid: Option<EidPerson>,
    pub site_url: String,
}

/// Whether an election of the municipality takes applications; 404 for other municipalities.
/// The election with its stations and shifts, and the age an applicant must have reached on
/// the election day (the municipality's setting, `crate::settings`).
pub async fn open_election(db: &Db, t: TenantId, e: Uuid) -> Result<(ElectionRow, Vec<StationRow>, Vec<ShiftRow>, i32)> {
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, e).await?;
    let stations = store::stations(&mut tx, t, e).await?;
    let shifts = store::shifts(&mut tx, t, e).await?;
    let min_age = crate::settings::get(&mut tx, t).await?.min_age;
    tx.commit().await?;
    Ok((el, stations, shifts, min_age))
}

fn closed() -> Error {
    Error::from(ElectionError::ApplicationsClosed)
}

/// The public application: one transaction creates or updates the person, creates the
/// application ('received') with wishes, availability and experience, records the register
/// check, queues the confirmation e-mail and the audit events.
pub async fn apply(
    db: &Db,
    register: &dyn PopulationRegister,
    sub: &Submission<'_>,
    e: Uuid,
    f: &ApplyInput,
    now: OffsetDateTime,
) -> Result<Receipt> {
    let t = sub.tenant;
    let today = radhus_kernel::tz::stockholm(now).date();
    let (el, stations, shifts, min_age) = open_election(db, t, e).await?;
    if !el.takes_applications(today) {
        return Err(closed());
    }
    let v = validate(f, sub.eid.as_ref(), &stations, &shifts, &experience_years(el.election_day.year()), now.date())?;
    if v.pnr.age_on(el.election_day) < min_age {
        return Err(ElectionError::TooYoung.into());
    }
    let checked = lookup(register, sub.kommunkod, &v.pnr);
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, e).await?;
    if !el.takes_applications(today) {
        return Err(closed());
    }
    let shift_labels: Vec<String> = shifts.iter().filter(|s| v.shifts.contains(&s.id)).map(crate::structure::labels::shift).collect();
    let station_labels: Vec<String> =
        v.stations.iter().filter_map(|id| stations.iter().find(|s| s.id == *id)).map(|s| s.name.clone()).collect();
    // Without e-ID anybody can type a personnummer: whether it has applied is not told to the
    // visitor. The person hears of it at the address on file; nothing changes.
    if sub.eid.is_none()
        && let Some(p) = person_by_pnr(&mut tx, t, &v.pnr.to_string()).await?
        && application(&mut tx, t, e, p.id).await?.is_some()
    {
        second_application(&mut tx, sub, &el, &p, &v, &shift_labels, now).await?;
        let reference = reference(&mut tx, t, e, p.id, el.election_day.year()).await?;
        tx.commit().await?;
        return Ok(Receipt {
            person: p.id,
            reference,
            already: None,
            election: el.name,
            name: format!("{} {}", v.given_name, v.family_name),
            email: v.email,
            shifts: shift_labels,
            stations: station_labels,
        });
    }
    // With e-ID the applicant is who they say: a second application of theirs is told it was
    // already received, with its reference, and changes nothing (issue 18 item 2).
    if sub.eid.is_some()
        && let Some(p) = person_by_pnr(&mut tx, t, &v.pnr.to_string()).await?
        && let Some(first) = application(&mut tx, t, e, p.id).await?
    {
        audit::record(
            &mut tx,
            Some(t),
            &sub.actor,
            Event::new("elections.applications.second_ignored", "el_application", p.id)
                .with(serde_json::json!({ "election": e, "identified_by": "eid", "notified": false })),
            now,
        )
        .await?;
        let reference = reference(&mut tx, t, e, p.id, el.election_day.year()).await?;
        tx.commit().await?;
        return Ok(Receipt {
            person: p.id,
            reference,
            already: Some(radhus_kernel::tz::stockholm(first.created_at).date()),
            election: el.name,
            name: p.name(),
            email: p.email,
            shifts: shift_labels,
            stations: station_labels,
        });
    }
    let person = store_application(&mut tx, t, e, &v, if sub.eid.is_some() { "eid" } else { "form" }, now).await?;
    set_register(&mut tx, t, e, person, &checked, now).await?;
    let ev = |action: &'static str, details: serde_json::Value| Event::new(action, "el_application", person).with(details);
    audit::record(
        &mut tx,
        Some(t),
        &sub.actor,
        ev(
            "elections.applications.submitted",
            serde_json::json!({ "election": e, "identified_by": if sub.eid.is_some() { "eid" } else { "form" }, "shifts": v.shifts.len() }),
        ),
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        Some(t),
        &sub.actor,
        ev(
            "elections.applications.register_checked",
            serde_json::json!({ "election": e, "status": checked.status, "source": checked.source }),
        ),
        now,
    )
    .await?;
    let reference = reference(&mut tx, t, e, person, el.election_day.year()).await?;
    if !v.email.is_empty() {
        confirmation(&mut tx, sub, &el, &v, &shift_labels, &reference, now).await?;
    }
    tx.commit().await?;
    Ok(Receipt {
        person,
        reference,
        already: None,
        election: el.name,
        name: format!("{} {}", v.given_name, v.family_name),
        email: v.email,
        shifts: shift_labels,
        stations: station_labels,
    })
}

/// The subject of the confirmation e-mail, before the election's name.
const CONFIRMATION_SUBJECT: &str = "Vi har tagit emot din intresseanmälan";

/// Queues the confirmation e-mail to the address the applicant wrote.
async fn confirmation(
    tx: &mut Tx,
    sub: &Submission<'_>,
    el: &ElectionRow,
    v: &Valid,
    shifts: &[String],
    reference: &str,
    now: OffsetDateTime,
) -> Result<()> {
    let subject = format!("{CONFIRMATION_SUBJECT} – {}", el.name);
    // Without e-ID the form can name anyone and give anyone's address: such a confirmation
    // carries nothing the visitor typed (no name), says what to do if it was not them, and
    // goes to one address at most once a day, so the form cannot be used to send the
    // municipality's mail with someone's words to someone else.
    let greeting = if sub.eid.is_some() { format!("Hej {}!", v.given_name) } else { "Hej!".to_string() };
    if sub.eid.is_none() {
        let since = now - time::Duration::days(1);
        if outbox::queued_since(tx, sub.tenant, &v.email, CONFIRMATION_SUBJECT, since).await? > 0 {
            return Ok(());
        }
    }
    let not_you = if sub.eid.is_none() { "\n\nHar du inte skickat någon anmälan kan du bortse från det här meddelandet." } else { "" };
    let body = format!(
        "{greeting}\n\nTack för att du vill arbeta i {}. Vi har tagit emot din intresseanmälan (referens {reference}).\n\nPass du kan arbeta:\n{}\n\n\
         Valkansliet går igenom alla anmälningar och hör av sig till dig. Du kan följa din anmälan på {}/valarbete/mina-sidor.{not_you}\n\n\
         Vänliga hälsningar\nValnämnden, {}",
        el.name,
        shifts.iter().map(|s| format!("– {s}")).collect::<Vec<_>>().join("\n"),
        sub.site_url,
        sub.municipality
    );
    outbox::enqueue(tx, sub.tenant, &Message { channel: Channel::Email, recipient: &v.email, subject: &subject, body: &body }, now).await?;
    Ok(())
}

/// A form-only application for a personnummer that has already applied to the election:
/// nothing is stored. The person is told at the e-mail address on file (if any) that a second
/// application came and changed nothing. The address the form gave gets the usual
/// confirmation when it is another one, so that the visitor cannot tell the cases apart.
async fn second_application(
    tx: &mut Tx,
    sub: &Submission<'_>,
    el: &ElectionRow,
    p: &PersonRow,
    v: &Valid,
    shifts: &[String],
    now: OffsetDateTime,
) -> Result<()> {
    let on_file = p.email.trim();
    if !on_file.is_empty() {
        let subject = format!("En andra intresseanmälan har kommit in – {}", el.name);
        let body = format!(
            "Hej {}!\n\nVi har fått ytterligare en intresseanmälan med ditt personnummer till {}. Du har redan en anmälan hos oss, \
             och ingenting har ändrats i den eller i dina uppgifter.\n\nHar du inte skickat den andra anmälan behöver du inte göra \
             något. Vill du ändra något i din anmälan, kontakta valkansliet.\n\nVänliga hälsningar\nValnämnden, {}",
            p.given_name, el.name, sub.municipality
        );
        outbox::enqueue(tx, sub.tenant, &Message { channel: Channel::Email, recipient: on_file, subject: &subject, body: &body }, now)
            .await?;
    }
    if !v.email.is_empty() && !v.email.eq_ignore_ascii_case(on_file) {
        let reference = reference(tx, sub.tenant, el.id, p.id, el.election_day.year()).await?;
        confirmation(tx, sub, el, v, shifts, &reference, now).await?;
    }
    audit::record(
        tx,
        Some(sub.tenant),
        &sub.actor,
        Event::new("elections.applications.second_ignored", "el_application", p.id)
            .with(serde_json::json!({ "election": el.id, "identified_by": "form", "notified": !on_file.is_empty() })),
        now,
    )
    .await
}

/// Writes a checked application in the caller's transaction; the person is matched on
/// personnummer. Applying twice to one election is a conflict.
///
/// Only an applicant identified with e-ID ('eid') may change an existing person's register
/// fields (name, e-mail, phone, address, languages, experience): a form-only application
/// ('form') could carry anybody's personnummer. It keeps what was typed on the application
/// instead, and when it creates the person, marks the e-mail address as unverified.
pub async fn store_application(tx: &mut Tx, t: TenantId, e: Uuid, v: &Valid, identified_by: &str, now: OffsetDateTime) -> Result<Uuid> {
    let form_only = identified_by != "eid";
    let pnr = v.pnr.to_string();
    let mut row = PersonRow {
        id: Uuid::now_v7(),
        pnr: Some(pnr.clone()),
        given_name: v.given_name.clone(),
        family_name: v.family_name.clone(),
        email: v.email.clone(),
        phone: v.phone.clone(),
        address: v.address.clone(),
        postal_code: v.postal_code.clone(),
        city: v.city.clone(),
        lat: None,
        lon: None,
        birth_date: Some(v.pnr.birth_date()),
        languages: v.languages.clone(),
    };
    let existed = match person_by_pnr(tx, t, &pnr).await? {
        Some(existing) => {
            if application(tx, t, e, existing.id).await?.is_some() {
                return Err(ElectionError::AppliedTwice.into());
            }
            row.id = existing.id;
            if !form_only {
                update_person(tx, t, &row, now).await?;
            }
            true
        }
        None => {
            let unverified = Some(v.email.as_str()).filter(|m| form_only && !m.is_empty());
            insert_person(tx, t, &row, unverified, now).await?;
            false
        }
    };
    let roles = v.roles.join(",");
    insert_application(
        tx,
        t,
        e,
        &NewApplication {
            person: row.id,
            roles_wanted: &roles,
            message: &v.message,
            candidate: v.candidate,
            identified_by,
            form: form_only.then_some(v),
        },
        now,
    )
    .await
    .map_err(|err| match err {
        Error::Db(ref d) if radhus_platform::db::is_unique_violation(d) => Error::from(ElectionError::AppliedTwice),
        err => err,
    })?;
    for s in &v.stations {
        insert_wish(tx, t, e, row.id, *s).await?;
    }
    for s in &v.shifts {
        insert_availability(tx, t, e, row.id, *s).await?;
    }
    // The experience is part of the person's register too: a form-only application does not
    // write it for a person who was already there.
    if !(form_only && existed) {
        for (year, role) in &v.experience {
            upsert_history(tx, t, row.id, *year, role).await?;
        }
    }
    Ok(row.id)
}

// ------------------------------------------------------------------ screening

/// One application with everything the applicant wrote, for the office.
#[derive(Debug, Clone)]
pub struct Detail {
    pub election: ElectionRow,
    pub person: PersonRow,
    pub application: ApplicationRow,
    pub history: Vec<(i32, String, String)>,
    pub stations: Vec<StationRow>,
    pub shifts: Vec<ShiftRow>,
    pub screened_by: Option<String>,
    pub placed: bool,
    /// Who the person must not work with, and whom the office can add.
    pub conflicts: Vec<crate::applications::conflicts::ConflictLine>,
    pub conflict_choices: Vec<crate::applications::conflicts::Candidate>,
}

async fn user_name(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<String>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar("SELECT name FROM app_user WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).fetch_optional(c).await?))
}

/// The application page's data; the look is audit-logged (personal data).
pub async fn detail(db: &Db, s: &StaffUser, e: Uuid, person_id: Uuid, now: OffsetDateTime) -> Result<Detail> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let election = election_in(&mut tx, t, e).await?;
    let application = application(&mut tx, t, e, person_id).await?.ok_or(Error::NotFound)?;
    let person = person(&mut tx, t, person_id).await?.ok_or(Error::NotFound)?;
    let history = history(&mut tx, t, person_id).await?;
    let wished: Vec<Uuid> = wishes(&mut tx, t, e).await?.into_iter().filter(|(p, _)| *p == person_id).map(|(_, s)| s).collect();
    let avail: Vec<Uuid> = availability(&mut tx, t, e).await?.into_iter().filter(|(p, _)| *p == person_id).map(|(_, s)| s).collect();
    let stations = store::stations(&mut tx, t, e).await?.into_iter().filter(|x| wished.contains(&x.id)).collect();
    let shifts = store::shifts(&mut tx, t, e).await?.into_iter().filter(|x| avail.contains(&x.id)).collect();
    let screened_by = match application.screened_by {
        Some(u) => user_name(&mut tx, t, u).await?,
        None => None,
    };
    let placed = is_placed(&mut tx, t, e, person_id).await?;
    let conflicts = crate::applications::conflicts::of_person(&mut tx, t, e, person_id).await?;
    let conflict_choices = crate::applications::conflicts::candidates(&mut tx, t, e, person_id).await?;
    audit(&mut tx, s, "elections.applications.viewed", "el_person", person_id, serde_json::json!({ "election": e }), now).await?;
    tx.commit().await?;
    Ok(Detail { election, person, application, history, stations, shifts, screened_by, placed, conflicts, conflict_choices })
}

/// A line of the office's list with what the columns show.
#[derive(Debug, Clone)]
pub struct ListLine {
    pub line: ApplicationLine,
    pub wishes: Vec<String>,
    pub age: Option<i32>,
}

pub struct Listing {
    pub election: ElectionRow,
    pub counts: Vec<(&'static str, usize)>,
    pub lines: Vec<ListLine>,
}

/// The applications of an election with counts per status, filtered by one status (or all);
/// the listing of persons is audit-logged.
pub async fn list(db: &Db, s: &StaffUser, e: Uuid, status: Option<&str>, now: OffsetDateTime) -> Result<Listing> {
    require_office(s)?;
    let status = match status.map(str::trim).filter(|x| !x.is_empty()) {
        None => None,
        Some(x) => Some(*STATUSES.iter().find(|k| **k == x).ok_or_else(|| Error::invalid("status", "el-bad-choice"))?),
    };
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let election = election_in(&mut tx, t, e).await?;
    let all = applications(&mut tx, t, e).await?;
    let stations: HashMap<Uuid, String> = store::stations(&mut tx, t, e).await?.into_iter().map(|x| (x.id, x.name)).collect();
    let mut wish_map: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (p, st) in wishes(&mut tx, t, e).await? {
        if let Some(n) = stations.get(&st) {
            wish_map.entry(p).or_default().push(n.clone());
        }
    }
    let counts = STATUSES.iter().map(|k| (*k, all.iter().filter(|l| l.a.status == *k).count())).collect();
    let lines: Vec<ListLine> = all
        .into_iter()
        .filter(|l| status.is_none_or(|s| l.a.status == s))
        .map(|l| ListLine {
            wishes: wish_map.remove(&l.a.person_id).unwrap_or_default(),
            age: l.birth_date.map(|b| radhus_kernel::personnummer::age_on(b, election.election_day)),
            line: l,
        })
        .collect();
    audit(
        &mut tx,
        s,
        "elections.applications.listed",
        "el_election",
        e,
        serde_json::json!({ "status": status, "persons": lines.len() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Listing { election, counts, lines })
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScreenInput {
    /// accepted, reserve or rejected.
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

/// Screens an application: accepted, reserve or rejected. Reserve and rejected need a
/// reason; a candidate in the election cannot be accepted when the election blocks
/// candidates; a placed person cannot be set aside before the placement is removed.
pub async fn screen(db: &Db, s: &StaffUser, e: Uuid, person: Uuid, f: &ScreenInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    screen_in_tx(&mut tx, s, e, person, f, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Screening inside the caller's transaction (the demo seed screens many at once).
pub async fn screen_in_tx(tx: &mut Tx, s: &StaffUser, e: Uuid, person: Uuid, f: &ScreenInput, now: OffsetDateTime) -> Result<()> {
    let decision = match f.decision.as_str() {
        "accepted" | "reserve" | "rejected" => f.decision.as_str(),
        _ => return Err(Error::invalid("decision", "el-applications-decision-missing")),
    };
    let reason = f.reason.trim();
    if decision != "accepted" && reason.is_empty() {
        return Err(Error::invalid("reason", "el-applications-reason-needed"));
    }
    if reason.chars().count() > 1000 {
        return Err(Error::invalid("reason", "el-applications-too-long"));
    }
    let t = s.tenant_id;
    let el = election_in(tx, t, e).await?;
    let a = application(tx, t, e, person).await?.ok_or(Error::NotFound)?;
    if decision == "accepted" && a.candidate && el.candidate_policy == "block" {
        return Err(ElectionError::CandidateBlocked.into());
    }
    if decision != "accepted" && is_placed(tx, t, e, person).await? {
        return Err(ElectionError::ApplicantPlaced.into());
    }
    set_status(tx, t, e, person, &Decision { status: decision, reason, by: s.user_id.0 }, now).await?;
    audit(
        tx,
        s,
        "elections.applications.screened",
        "el_application",
        person,
        serde_json::json!({ "election": e, "status": decision, "from": a.status, "reason": reason }),
        now,
    )
    .await
}

/// Runs the population-register check again for an application (the office's button).
pub async fn check_register(
    db: &Db,
    register: &dyn PopulationRegister,
    s: &StaffUser,
    kommunkod: &str,
    e: Uuid,
    person_id: Uuid,
    now: OffsetDateTime,
) -> Result<&'static str> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    application(&mut tx, t, e, person_id).await?.ok_or(Error::NotFound)?;
    let p = person(&mut tx, t, person_id).await?.ok_or(Error::NotFound)?;
    let pnr = p.pnr.as_deref().and_then(|x| Personnummer::parse_canonical(x).ok());
    let Some(pnr) = pnr else {
        return Err(ElectionError::NoPnr.into());
    };
    let r = lookup(register, kommunkod, &pnr);
    set_register(&mut tx, t, e, person_id, &r, now).await?;
    audit(
        &mut tx,
        s,
        "elections.applications.register_checked",
        "el_application",
        person_id,
        serde_json::json!({ "election": e, "status": r.status, "source": r.source }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(r.status)
}

/// The parsing helpers of the structure's service, re-exported for the pages.
pub use service::role_key;
