//! Appointment (förordnande): the valnämnd's delegate appoints a placed worker who meets the
//! rules — course completed for the role, age, not a blocked candidate, the offer not declined
//! — which writes the appointment letter (PDF/A, `typst/forordnande.typ`) into the assignment
//! and records who appointed whom when. The letters of an election can be printed in bulk.

use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::core::model::Role;
use crate::core::rules::{CandidatePolicy, has_experience_for};
use crate::error::ElectionError;
use crate::staffing::{self, Loaded};
use crate::structure::service::parse_role;
use crate::support::view;

pub const TEMPLATE: &str = include_str!("../../typst/forordnande.typ");

#[derive(Serialize)]
struct Letter {
    name: String,
    pnr: String,
    /// The home address for a window envelope: street, then postal code and city.
    address: Vec<String>,
    election: String,
    election_day: String,
    station: String,
    station_address: String,
    district: String,
    role: String,
    shifts: Vec<String>,
    appointed_by: String,
    appointed_on: String,
    /// The election's diary number with the appointment's number ("VN 2026/12, nr 14"), or
    /// the election's year with it ("Val 2026, nr 14") when the election has none.
    reference: String,
    /// How to reach the election office: "Telefon …", "E-post …" (the lines that are set).
    contact: Vec<String>,
}

/// What every letter of an election carries besides the person: the diary number and the
/// election office's contact (the municipality's settings).
#[derive(Debug, Clone, Default)]
pub struct LetterHead {
    pub diary_number: String,
    pub contact: crate::settings::Contact,
}

impl LetterHead {
    pub async fn load(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Self> {
        let diary_number = crate::structure::store::election_extra(tx, t, e).await?.diary_number;
        let contact = crate::settings::contact(tx, t).await?;
        Ok(Self { diary_number, contact })
    }

    fn contact_lines(&self) -> Vec<String> {
        let mut v = vec![];
        if !self.contact.phone.is_empty() {
            v.push(format!("Telefon {}", self.contact.phone));
        }
        if !self.contact.email.is_empty() {
            v.push(format!("E-post {}", self.contact.email));
        }
        v
    }
}

/// The reference of an appointment: never a fragment of an internal id.
pub fn reference(diary_number: &str, year: i32, number: Option<i64>) -> String {
    let base = if diary_number.trim().is_empty() { format!("Val {year}") } else { diary_number.trim().to_string() };
    match number {
        Some(n) => format!("{base}, nr {n}"),
        None => base,
    }
}

/// The highest appointment number given in the election (0 before the first).
async fn last_number(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT CAST(COALESCE(MAX(letter_no), 0) AS BIGINT) FROM el_assignment WHERE tenant_id = $1 AND election_id = $2")
        .bind(t.0).bind(e).fetch_one(c).await?))
}

#[derive(Serialize)]
struct Letters<'a> {
    org_title: &'a str,
    committee: &'a str,
    letters: Vec<Letter>,
}

/// "Kils kommun" from the municipality's name.
pub fn org_title(municipality: &str) -> String {
    format!("{} kommun", radhus_platform::tenancy::genitive_sv(municipality))
}

fn letter(l: &Loaded, head: &LetterHead, person: Uuid, number: Option<i64>, appointed_by: &str, on: OffsetDateTime) -> Option<Letter> {
    let a = l.assignment_of(person)?;
    let p = l.person(person)?;
    let pos = l.position(a.position_id)?;
    let st = l.station(pos.station_id)?;
    let role = parse_role(&pos.role)?;
    let district = st.district_code.clone().map(|c| {
        let name = l.instance.stations.iter().find(|x| x.id.0 == st.id).map(|x| x.label()).unwrap_or_default();
        if name.is_empty() { c } else { name.replace("Valdistrikt ", "") }
    });
    Some(Letter {
        name: p.name(),
        pnr: p.pnr.clone().unwrap_or_else(|| "–".into()),
        address: home_address(p),
        election: l.election.name.clone(),
        election_day: view::date(l.election.election_day),
        station: st.name.clone(),
        station_address: st.address.clone(),
        district: district.unwrap_or_else(|| "– (röstningslokal)".into()),
        role: role_title(role).into(),
        shifts: l.shift(pos.shift_id).map(crate::structure::labels::shift).into_iter().collect(),
        appointed_by: appointed_by.to_string(),
        appointed_on: on.date().to_string(),
        reference: reference(&head.diary_number, l.election.election_day.year(), number),
        contact: head.contact_lines(),
    })
}

/// The lines of the home address that are filled in (none for a person without an address).
fn home_address(p: &staffing::ApplicantRow) -> Vec<String> {
    let town = format!("{} {}", p.postal_code.trim(), p.city.trim()).trim().to_string();
    [p.address.trim().to_string(), town].into_iter().filter(|l| !l.is_empty()).collect()
}

fn role_title(r: Role) -> &'static str {
    match r {
        Role::Ordforande => "ordförande (röstmottagare)",
        Role::ViceOrdforande => "vice ordförande (röstmottagare)",
        Role::Rostmottagare => "röstmottagare",
    }
}

fn render(municipality: &str, letters: Vec<Letter>, now: OffsetDateTime) -> Result<Vec<u8>> {
    let title = org_title(municipality);
    let count = letters.len();
    let json = serde_json::to_string(&Letters { org_title: &title, committee: "Valnämnden", letters })
        .map_err(|e| Error::Internal(e.to_string()))?;
    // A print run of every letter is one document: its deadline grows with the letters.
    let per_letter = std::time::Duration::from_millis(100).saturating_mul(u32::try_from(count).unwrap_or(u32::MAX));
    let deadline = radhus_pdf::DEFAULT_DEADLINE.saturating_add(per_letter);
    radhus_pdf::render_with(TEMPLATE, &[("data", &json)], &[], now, &radhus_pdf::Options { deadline, owner: None })
        .map_err(|e| Error::Internal(format!("appointment letter: {e}")))
}

/// Why a placed person may not be appointed, in Swedish; `None` when they may.
pub fn obstacle(l: &Loaded, person: Uuid) -> Option<(ElectionError, String)> {
    let Some(a) = l.assignment_of(person) else { return Some((ElectionError::NotPlaced, "personen har ingen plats i valet".into())) };
    if a.appointed_at.is_some() {
        return Some((ElectionError::AlreadyAppointed, "personen är redan förordnad".into()));
    }
    if a.response == "declined" {
        return Some((ElectionError::Declined, "personen har tackat nej till uppdraget".into()));
    }
    let Some(app) = l.applicant(person) else { return Some((ElectionError::Blocked, "personens födelsedatum saknas i registret".into())) };
    let role = l.position(a.position_id).and_then(|p| parse_role(&p.role)).unwrap_or(Role::Rostmottagare);
    let course = l.rules.course_for(role);
    if !app.courses.contains(&course) {
        return Some((ElectionError::NoCourse, format!("{} har inte genomfört {} (vallagen, SFS 2014:301)", app.name, course.label_sv())));
    }
    if let Some(min) = l.rules.min_age
        && app.age_on(l.election.election_day) < min
    {
        return Some((ElectionError::Blocked, format!("{} har inte fyllt {min} år på valdagen", app.name)));
    }
    if app.candidate && l.rules.candidate_policy == CandidatePolicy::Block {
        return Some((ElectionError::Blocked, format!("{} kandiderar i valet", app.name)));
    }
    if !has_experience_for(app, role) {
        return Some((
            ElectionError::Blocked,
            format!("{} saknar den erfarenhet kommunen kräver för rollen {}", app.name, role.label_sv()),
        ));
    }
    None
}

/// One appointment to store: the position, who appointed, its number and its letter.
struct Made<'a> {
    position: Uuid,
    by: Uuid,
    number: i64,
    pdf: &'a [u8],
}

async fn store_appointment(tx: &mut Tx, t: TenantId, e: Uuid, m: &Made<'_>, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE el_assignment SET appointed_by = $4, appointed_at = $5, letter = $6, letter_no = $7 \
         WHERE tenant_id = $1 AND election_id = $2 AND position_id = $3")
        .bind(t.0).bind(e).bind(m.position).bind(m.by).bind(now).bind(m.pdf).bind(m.number).execute(c).await?.rows_affected());
    Ok(())
}

fn require_appoint(s: &StaffUser) -> Result<()> {
    if crate::support::office::may_appoint(s) { Ok(()) } else { Err(Error::Forbidden) }
}

/// Appoints one placed worker and writes the letter. Refused with the rule that is not met.
/// As in [`appoint_all`], the letter is typeset outside any transaction and stored only if
/// the placement is still the same and still meets the rules.
pub async fn appoint(db: &Db, s: &StaffUser, municipality: &str, e: Uuid, person: Uuid, now: OffsetDateTime) -> Result<()> {
    require_appoint(s)?;
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let l = staffing::load(&mut tx, t, e).await?;
    let head = LetterHead::load(&mut tx, t, e).await?;
    let base = last_number(&mut tx, t, e).await?;
    tx.commit().await?;
    if let Some((refused, _)) = obstacle(&l, person) {
        return Err(refused.into());
    }
    let a = l.assignment_of(person).ok_or(Error::NotFound)?.clone();
    let one = letter(&l, &head, person, Some(base + 1), &s.name, now).ok_or(Error::NotFound)?;
    let name = municipality.to_string();
    let pdf =
        tokio::task::spawn_blocking(move || render(&name, vec![one], now)).await.map_err(|x| Error::Internal(format!("letter: {x}")))??;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let l = staffing::load(&mut tx, t, e).await?;
    if let Some((refused, _)) = obstacle(&l, person) {
        return Err(refused.into());
    }
    if l.assignment_of(person).is_none_or(|now_a| now_a.position_id != a.position_id) {
        return Err(ElectionError::NotPlaced.into());
    }
    if last_number(&mut tx, t, e).await? != base {
        return Err(ElectionError::AppointedMeanwhile.into());
    }
    store_appointment(&mut tx, t, e, &Made { position: a.position_id, by: s.user_id.0, number: base + 1, pdf: &pdf }, now).await?;
    crate::support::audit::audit(
        &mut tx,
        s,
        "elections.appointment.made",
        "el_assignment",
        a.position_id,
        serde_json::json!({ "election": e, "person": person, "appointed_by": s.user_id.0, "appointed_by_name": s.name, "number": base + 1 }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Appoints every placed worker who meets the rules; the others are returned with the reason.
///
/// The letters are typeset outside any transaction (a few hundred PDFs take a while and must
/// not hold the database's write lock): a read gives who may be appointed, the letters are
/// rendered on a blocking thread, and one write transaction stores each appointment whose
/// placement is still the same and still meets the rules — someone moved or declined in
/// between is skipped with the reason.
pub async fn appoint_all(db: &Db, s: &StaffUser, municipality: &str, e: Uuid, now: OffsetDateTime) -> Result<(usize, Vec<String>)> {
    require_appoint(s)?;
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let l = staffing::load(&mut tx, t, e).await?;
    let head = LetterHead::load(&mut tx, t, e).await?;
    let base = last_number(&mut tx, t, e).await?;
    tx.commit().await?;
    let mut skipped = vec![];
    let mut planned = vec![];
    for a in appointable(&l) {
        match obstacle(&l, a.person_id) {
            Some((_, why)) => skipped.push(why),
            None => {
                let number = base + 1 + planned.len() as i64;
                if let Some(one) = letter(&l, &head, a.person_id, Some(number), &s.name, now) {
                    planned.push((a.position_id, a.person_id, number, one));
                }
            }
        }
    }
    if planned.is_empty() && skipped.is_empty() {
        return Err(ElectionError::NobodyToAppoint.into());
    }
    let name = municipality.to_string();
    let rendered: Vec<(Uuid, Uuid, i64, Vec<u8>)> = tokio::task::spawn_blocking(move || {
        planned
            .into_iter()
            .map(|(position, person, number, one)| render(&name, vec![one], now).map(|pdf| (position, person, number, pdf)))
            .collect::<Result<_>>()
    })
    .await
    .map_err(|x| Error::Internal(format!("letters: {x}")))??;

    let mut tx = db.write(Scope::Tenant(t)).await?;
    let now_l = staffing::load(&mut tx, t, e).await?;
    if last_number(&mut tx, t, e).await? != base {
        return Err(ElectionError::AppointedMeanwhile.into());
    }
    let mut done = 0;
    for (position, person, number, pdf) in rendered {
        let same = now_l.assignment_of(person).is_some_and(|a| a.position_id == position && a.appointed_at.is_none());
        if !same {
            skipped.push(format!(
                "{}: placeringen ändrades medan breven skrevs; förordna igen",
                now_l.person(person).map(|p| p.name()).unwrap_or_default()
            ));
            continue;
        }
        if let Some((_, why)) = obstacle(&now_l, person) {
            skipped.push(why);
            continue;
        }
        store_appointment(&mut tx, t, e, &Made { position, by: s.user_id.0, number, pdf: &pdf }, now).await?;
        crate::support::audit::audit(
            &mut tx,
            s,
            "elections.appointment.made",
            "el_assignment",
            position,
            serde_json::json!({ "election": e, "person": person, "appointed_by": s.user_id.0, "appointed_by_name": s.name, "bulk": true, "number": number }),
            now,
        )
        .await?;
        done += 1;
    }
    tx.commit().await?;
    Ok((done, skipped))
}

/// The placed workers not yet appointed, in the order the letters are numbered (by station,
/// role and name).
fn appointable(l: &Loaded) -> Vec<&staffing::AssignmentRow> {
    let mut v: Vec<_> = l.assignments.iter().filter(|a| a.appointed_at.is_none()).collect();
    v.sort_by_key(|a| {
        let pos = l.position(a.position_id);
        let station = pos.and_then(|p| l.station(p.station_id)).map(|s| s.name.clone()).unwrap_or_default();
        (station, pos.map(|p| p.role.clone()), l.person(a.person_id).map(|p| p.name()), a.person_id)
    });
    v
}

/// What "Förordna alla" would do, for the page that asks first: who would be appointed and who
/// not, with the reason. Nothing is written; the answer is the same check `appoint_all` makes.
pub async fn appoint_all_preview(db: &Db, s: &StaffUser, e: Uuid) -> Result<(Vec<String>, Vec<String>)> {
    require_appoint(s)?;
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let l = staffing::load(&mut tx, t, e).await?;
    tx.commit().await?;
    let (mut will, mut not) = (vec![], vec![]);
    for a in appointable(&l) {
        match obstacle(&l, a.person_id) {
            Some((_, why)) => not.push(why),
            None => {
                let name = l.person(a.person_id).map(|p| p.name()).unwrap_or_default();
                let pos = l.position(a.position_id);
                let station = pos.and_then(|p| l.station(p.station_id)).map(|s| s.name.clone()).unwrap_or_default();
                let role = pos.and_then(|p| parse_role(&p.role)).map_or("", role_title);
                will.push(format!("{name}, {role}, {station}"));
            }
        }
    }
    Ok((will, not))
}

/// Revokes an appointment (the letter is kept in the audit trail only as the event).
pub async fn revoke(db: &Db, s: &StaffUser, e: Uuid, person: Uuid, now: OffsetDateTime) -> Result<()> {
    require_appoint(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let l = staffing::load(&mut tx, t, e).await?;
    let a = l.assignment_of(person).filter(|a| a.appointed_at.is_some()).ok_or_else(|| Error::from(ElectionError::NotPlaced))?.clone();
    on_tx!(&mut tx, c => sqlx::query(
        "UPDATE el_assignment SET appointed_by = NULL, appointed_at = NULL, letter = NULL, letter_no = NULL WHERE tenant_id = $1 AND election_id = $2 AND position_id = $3")
        .bind(t.0).bind(e).bind(a.position_id).execute(c).await?.rows_affected());
    crate::support::audit::audit(
        &mut tx,
        s,
        "elections.appointment.revoked",
        "el_assignment",
        a.position_id,
        serde_json::json!({ "election": e, "person": person }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The stored letter of one appointed worker.
pub async fn letter_pdf(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid) -> Result<Option<Vec<u8>>> {
    let row: Option<(Option<Vec<u8>>,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT letter FROM el_assignment WHERE tenant_id = $1 AND election_id = $2 AND person_id = $3")
        .bind(t.0).bind(e).bind(person).fetch_optional(c).await?);
    Ok(row.and_then(|(l,)| l))
}

/// Every appointed worker's letter in one PDF, by station and role (for printing and posting).
pub async fn bulk_letters(db: &Db, s: &StaffUser, municipality: &str, e: Uuid, now: OffsetDateTime) -> Result<Vec<u8>> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let l = staffing::load(&mut tx, t, e).await?;
    let head = LetterHead::load(&mut tx, t, e).await?;
    let by_name: std::collections::HashMap<Uuid, String> = appointers(&mut tx, t, e).await?.into_iter().collect();
    let mut list: Vec<_> = l.assignments.iter().filter(|a| a.appointed_at.is_some()).collect();
    list.sort_by_key(|a| (l.position(a.position_id).map(|p| (p.station_id, p.role.clone())), a.person_id));
    let letters: Vec<Letter> = list
        .iter()
        .filter_map(|a| {
            let by = a.appointed_by.and_then(|u| by_name.get(&u).cloned()).unwrap_or_default();
            letter(&l, &head, a.person_id, a.letter_no, &by, a.appointed_at.unwrap_or(now))
        })
        .collect();
    if letters.is_empty() {
        return Err(ElectionError::NoneAppointed.into());
    }
    crate::support::audit::audit(
        &mut tx,
        s,
        "elections.appointment.letters_printed",
        "el_election",
        e,
        serde_json::json!({ "letters": letters.len() }),
        now,
    )
    .await?;
    tx.commit().await?;
    let name = municipality.to_string();
    tokio::task::spawn_blocking(move || render(&name, letters, now)).await.map_err(|x| Error::Internal(format!("letters: {x}")))?
}

/// The appointments made under delegation in an election, oldest first, as a CSV file for
/// valnämnden's next meeting (the report of delegation decisions; vallagen 3 kap. 5 §: valnämnden
/// förordnar, here through its delegate). Columns: the day appointed, the person, the role,
/// the station, the district, and who appointed. The office only; logged (it names people).
pub async fn delegation_report(db: &Db, s: &StaffUser, e: Uuid, now: OffsetDateTime) -> Result<(String, Vec<u8>)> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let l = staffing::load(&mut tx, t, e).await?;
    let by_name: std::collections::HashMap<Uuid, String> = appointers(&mut tx, t, e).await?.into_iter().collect();
    let mut list: Vec<_> = l.assignments.iter().filter_map(|a| a.appointed_at.map(|at| (at, a))).collect();
    list.sort_by_key(|(at, a)| (*at, a.person_id));
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(vec![]);
    let header = ["Förordnad", "Namn", "Roll", "Lokal", "Valdistrikt", "Förordnad av"];
    let csv_err = |x: csv::Error| Error::Internal(format!("delegation report: {x}"));
    w.write_record(header).map_err(csv_err)?;
    for (at, a) in &list {
        let Some(p) = l.person(a.person_id) else { continue };
        let pos = l.position(a.position_id);
        let st = pos.and_then(|p| l.station(p.station_id));
        let role = pos.and_then(|p| parse_role(&p.role)).map_or("", role_title);
        let by = a.appointed_by.and_then(|u| by_name.get(&u).cloned()).unwrap_or_default();
        let row = [
            radhus_kernel::tz::stockholm(*at).date().to_string(),
            p.name(),
            role.to_string(),
            st.map(|x| x.name.clone()).unwrap_or_default(),
            st.and_then(|x| x.district_code.clone()).unwrap_or_default(),
            by,
        ];
        w.write_record(row.iter().map(|c| radhus_kernel::csv_cell::safe_cell(c).into_owned())).map_err(csv_err)?;
    }
    let bytes = w.into_inner().map_err(|x| Error::Internal(format!("delegation report: {x}")))?;
    crate::support::audit::audit(
        &mut tx,
        s,
        "elections.appointment.delegation_reported",
        "el_election",
        e,
        serde_json::json!({ "appointments": list.len() }),
        now,
    )
    .await?;
    tx.commit().await?;
    let name = format!("delegationsbeslut-forordnanden-{}.csv", l.election.election_day);
    Ok((name, bytes))
}

async fn appointers(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<(Uuid, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT DISTINCT u.id, u.name FROM el_assignment a JOIN app_user u ON u.tenant_id = a.tenant_id AND u.id = a.appointed_by \
         WHERE a.tenant_id = $1 AND a.election_id = $2")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(address: &str, postal_code: &str, city: &str) -> staffing::ApplicantRow {
        staffing::ApplicantRow {
            id: Uuid::nil(),
            given_name: "Erik".into(),
            family_name: "Johansson".into(),
            pnr: None,
            birth_date: None,
            lat: None,
            lon: None,
            languages: String::new(),
            email: String::new(),
            phone: String::new(),
            address: address.into(),
            postal_code: postal_code.into(),
            city: city.into(),
            candidate: false,
            roles_wanted: String::new(),
        }
    }

    #[test]
    fn the_reference_is_the_diary_number_or_the_year_with_the_number() {
        assert_eq!(reference("VN 2026/12", 2026, Some(14)), "VN 2026/12, nr 14");
        assert_eq!(reference("", 2026, Some(3)), "Val 2026, nr 3");
        assert_eq!(reference(" ", 2030, None), "Val 2030");
    }

    #[test]
    fn the_letter_carries_the_home_address_lines_that_exist() {
        assert_eq!(home_address(&person(" Storgatan 1 ", "665 30", "Kil")), vec!["Storgatan 1", "665 30 Kil"]);
        assert_eq!(home_address(&person("", "", "Kil")), vec!["Kil"]);
        assert!(home_address(&person(" ", "", "")).is_empty());
    }
}
