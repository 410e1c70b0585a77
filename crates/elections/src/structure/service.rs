//! Use cases of elections and their structure. Each opens one transaction, checks the
//! caller's permission and writes an audit event. The other areas have their own services
//! (`registers`, `applications`, `courses`, `staffing` …) built on the same helpers here.

use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::StaffUser;
use time::{Duration, OffsetDateTime, Time};
use uuid::Uuid;

use crate::core::model::{DistrictCode, ElectionKind, Role};
use crate::core::rules::RuleSet;
use crate::error::ElectionError;
use crate::structure::store::{self, DistrictRow, ElectionRow, NewElection, OpeningRow, PositionRow, ShiftRow, StationRow};
use crate::support::audit::audit;
use crate::support::office::require_office;

// ------------------------------------------------------------------ errors

pub fn err_not_found() -> Error {
    Error::NotFound
}

fn duplicate() -> Error {
    Error::from(ElectionError::Duplicate)
}

fn map_unique(e: Error) -> Error {
    match e {
        Error::Db(ref d) if radhus_platform::db::is_unique_violation(d) => duplicate(),
        e => e,
    }
}

// ------------------------------------------------------------------ parsing

pub fn kind_key(k: ElectionKind) -> &'static str {
    match k {
        ElectionKind::Riksdag => "riksdag",
        ElectionKind::Region => "region",
        ElectionKind::Kommun => "kommun",
        ElectionKind::Eu => "eu",
        ElectionKind::Kyrkoval => "kyrkoval",
        ElectionKind::ExtraVal => "extraval",
        ElectionKind::Folkomrostning => "folkomrostning",
    }
}

pub const KINDS: [ElectionKind; 7] = [
    ElectionKind::Riksdag,
    ElectionKind::Region,
    ElectionKind::Kommun,
    ElectionKind::Eu,
    ElectionKind::Kyrkoval,
    ElectionKind::ExtraVal,
    ElectionKind::Folkomrostning,
];

pub fn parse_kind(s: &str) -> Option<ElectionKind> {
    KINDS.into_iter().find(|k| kind_key(*k) == s)
}

pub fn role_key(r: Role) -> &'static str {
    match r {
        Role::Ordforande => "ordforande",
        Role::ViceOrdforande => "vice",
        Role::Rostmottagare => "rostmottagare",
    }
}

pub fn parse_role(s: &str) -> Option<Role> {
    [Role::Ordforande, Role::ViceOrdforande, Role::Rostmottagare].into_iter().find(|r| role_key(*r) == s)
}

/// A field that must be filled in, refused with `message` (what to do: "Skriv valkretsens namn").
fn required_as(field: &str, s: &str, message: &str) -> Result<String> {
    let s = s.trim();
    if s.is_empty() { Err(Error::invalid(field, message)) } else { Ok(s.to_string()) }
}

// ------------------------------------------------------------------ elections

/// The election of the caller's municipality, or not found.
pub async fn election_in(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<ElectionRow> {
    store::election(tx, t, id).await?.ok_or(Error::NotFound)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ElectionInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub election_day: String,
    #[serde(default)]
    pub early_from: String,
    #[serde(default)]
    pub early_to: String,
    #[serde(default)]
    pub copy_from: String,
}

/// Creates an election; with `copy_from`, its structure (valkretsar, districts, stations,
/// opening hours, shifts and positions) is copied from that earlier election and every date
/// moved by the distance between the two election days.
pub async fn create_election(db: &Db, s: &StaffUser, f: &ElectionInput, now: OffsetDateTime) -> Result<Uuid> {
    require_office(s)?;
    let kind = parse_kind(f.kind.trim()).ok_or_else(|| Error::invalid("election_kind", "el-bad-kind"))?;
    let name = required_as("name", &f.name, "el-election-name-missing")?;
    let day = crate::support::parse::parse_date("election_day", &f.election_day)?;
    let early_from = crate::support::parse::parse_opt_date("early_from", &f.early_from)?;
    let early_to = crate::support::parse::parse_opt_date("early_to", &f.early_to)?;
    match (early_from, early_to) {
        (Some(a), Some(b)) if a > b || b > day => return Err(Error::invalid("early_to", "el-bad-early-window")),
        (Some(_), None) | (None, Some(_)) => return Err(Error::invalid("early_to", "el-bad-early-window")),
        _ => {}
    }
    let t = s.tenant_id;
    let copy_from = if f.copy_from.trim().is_empty() {
        None
    } else {
        Some(Uuid::parse_str(f.copy_from.trim()).map_err(|_| Error::invalid("copy_from", "el-bad-copy"))?)
    };
    let rules = RuleSet::default();
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let id = Uuid::now_v7();
    store::insert_election(
        &mut tx,
        t,
        &NewElection {
            id,
            kind: kind_key(kind),
            name: &name,
            day,
            early_from,
            early_to,
            rules_version: rules.version,
            candidate_policy: "block",
            copied_from: copy_from,
        },
        now,
    )
    .await?;
    if let Some(src) = copy_from {
        let old = store::election(&mut tx, t, src).await?.ok_or_else(|| Error::invalid("copy_from", "el-bad-copy"))?;
        copy_structure(&mut tx, t, &old, id, day - old.election_day).await?;
    }
    audit(
        &mut tx,
        s,
        "elections.election.created",
        "el_election",
        id,
        serde_json::json!({ "kind": kind_key(kind), "day": day.to_string(), "copied_from": copy_from }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn copy_structure(tx: &mut Tx, t: TenantId, old: &ElectionRow, new: Uuid, shift_by: Duration) -> Result<()> {
    let mut cmap = std::collections::HashMap::new();
    for c in store::constituencies(tx, t, old.id).await? {
        let nid = Uuid::now_v7();
        store::insert_constituency(tx, t, new, nid, &c.name).await?;
        cmap.insert(c.id, nid);
    }
    for d in store::districts(tx, t, old.id).await? {
        let d = DistrictRow { constituency_id: d.constituency_id.and_then(|c| cmap.get(&c).copied()), ..d };
        store::insert_district(tx, t, new, &d).await?;
    }
    let mut smap = std::collections::HashMap::new();
    for st in store::stations(tx, t, old.id).await? {
        let nid = Uuid::now_v7();
        smap.insert(st.id, nid);
        store::insert_station(tx, t, new, &StationRow { id: nid, ..st }).await?;
    }
    for o in store::openings(tx, t, old.id).await? {
        if let Some(&sid) = smap.get(&o.station_id) {
            store::upsert_opening(tx, t, new, &OpeningRow { station_id: sid, day: o.day + shift_by, ..o }).await?;
        }
    }
    let mut shmap = std::collections::HashMap::new();
    for sh in store::shifts(tx, t, old.id).await? {
        let nid = Uuid::now_v7();
        shmap.insert(sh.id, nid);
        store::insert_shift(tx, t, new, &ShiftRow { id: nid, day: sh.day + shift_by, ..sh }).await?;
    }
    for p in store::positions(tx, t, old.id).await? {
        if let (Some(&st), Some(&sh)) = (smap.get(&p.station_id), shmap.get(&p.shift_id)) {
            store::insert_position(tx, t, new, &PositionRow { id: Uuid::now_v7(), station_id: st, shift_id: sh, ..p }).await?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SettingsInput {
    #[serde(default)]
    pub candidate_policy: String,
    #[serde(default)]
    pub applications_open: Option<String>,
    /// The valnämnd's diary number of the election (optional; the letters' reference).
    #[serde(default)]
    pub diary_number: String,
    /// The last day a worker is asked to answer the offer (optional), YYYY-MM-DD.
    #[serde(default)]
    pub reply_deadline: String,
}

/// Saves the election's settings: candidate policy, the public form open or not, the diary
/// number and the reply deadline (on or before the election day).
pub async fn save_settings(db: &Db, s: &StaffUser, id: Uuid, f: &SettingsInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let policy = match f.candidate_policy.as_str() {
        "block" | "warn" => f.candidate_policy.as_str(),
        _ => return Err(Error::invalid("candidate_policy", "el-bad-policy")),
    };
    let open = f.applications_open.is_some();
    let diary_number = f.diary_number.trim().to_string();
    if diary_number.chars().count() > 40 {
        return Err(Error::invalid("diary_number", "el-err-diary-number"));
    }
    let reply_deadline = match f.reply_deadline.trim() {
        "" => None,
        d => Some(crate::support::parse::parse_date("reply_deadline", d)?),
    };
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let e = election_in(&mut tx, t, id).await?;
    if reply_deadline.is_some_and(|d| d > e.election_day) {
        return Err(Error::invalid("reply_deadline", "el-err-reply-deadline"));
    }
    store::set_election_settings(&mut tx, t, id, policy, open).await?;
    store::set_election_extra(&mut tx, t, id, &store::ElectionExtra { diary_number: diary_number.clone(), reply_deadline }).await?;
    audit(
        &mut tx,
        s,
        "elections.election.settings",
        "el_election",
        id,
        serde_json::json!({ "candidate_policy": policy, "applications_open": open, "diary_number": diary_number, "reply_deadline": reply_deadline.map(|d| d.to_string()) }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ structure

pub async fn add_constituency(db: &Db, s: &StaffUser, e: Uuid, name: &str, now: OffsetDateTime) -> Result<Uuid> {
    require_office(s)?;
    let name = required_as("constituency", name, "el-err-constituency-name")?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    let id = Uuid::now_v7();
    store::insert_constituency(&mut tx, t, e, id, &name).await.map_err(map_unique)?;
    audit(&mut tx, s, "elections.constituency.created", "el_constituency", id, serde_json::json!({ "election": e, "name": name }), now)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Renames a valkrets; a name the election already has is a conflict (`VAL-002`).
pub async fn rename_constituency(db: &Db, s: &StaffUser, e: Uuid, id: Uuid, name: &str, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let name = required_as("constituency", name, "el-err-constituency-name")?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    if !store::rename_constituency(&mut tx, t, e, id, &name).await.map_err(map_unique)? {
        return Err(Error::NotFound);
    }
    audit(&mut tx, s, "elections.constituency.renamed", "el_constituency", id, serde_json::json!({ "election": e, "name": name }), now)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DistrictInput {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub constituency: String,
    #[serde(default)]
    pub voters: String,
}

/// Checks a district of the form or an import row against the municipality: the code has 8
/// digits and its first four are the municipality's kommunkod. Every field's problem at once;
/// a code of another municipality when the fields are right.
pub fn valid_district(kommunkod: &str, f: &DistrictInput) -> Result<(DistrictCode, String, Option<i64>)> {
    let mut problems = vec![];
    let code = DistrictCode::parse(f.code.trim())
        .map_err(|_| {
            let message = if f.code.trim().is_empty() { "el-err-district-code-missing" } else { "el-err-district-code" };
            problems.push(FieldError::new("code", message))
        })
        .ok();
    let name = required_as("district_name", &f.name, "el-err-district-name").map_err(|e| problems.extend(e.field_errors().to_vec())).ok();
    let voters = match f.voters.trim() {
        "" => None,
        v => {
            let n = v.parse::<i64>().ok().filter(|v| *v >= 0);
            if n.is_none() {
                problems.push(FieldError::new("voters", "el-err-voters"));
            }
            n
        }
    };
    let (Some(code), Some(name)) = (code, name) else { return Err(Error::Invalid(problems)) };
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    if !code.to_string().starts_with(kommunkod) {
        return Err(ElectionError::DistrictOtherKommun.into());
    }
    Ok((code, name, voters))
}

impl DistrictInput {
    /// The form filled with a district's values, for editing.
    pub fn of(d: &DistrictRow) -> DistrictInput {
        DistrictInput {
            code: d.code.clone(),
            name: d.name.clone(),
            constituency: d.constituency_id.map(|c| c.to_string()).unwrap_or_default(),
            voters: d.voters.map(|v| v.to_string()).unwrap_or_default(),
        }
    }
}

/// The valkrets a district form chose: none, or one of the election's.
async fn chosen_constituency(tx: &mut Tx, t: TenantId, e: Uuid, f: &DistrictInput) -> Result<Option<Uuid>> {
    if f.constituency.trim().is_empty() {
        return Ok(None);
    }
    let c = Uuid::parse_str(f.constituency.trim()).map_err(|_| Error::invalid("constituency", "el-err-constituency-choice"))?;
    if !store::constituencies(tx, t, e).await?.iter().any(|x| x.id == c) {
        return Err(Error::invalid("constituency", "el-err-constituency-choice"));
    }
    Ok(Some(c))
}

/// Changes a district's name, valkrets and number of voters; its code stays (stations and
/// imports refer to it).
pub async fn update_district(
    db: &Db,
    s: &StaffUser,
    kommunkod: &str,
    e: Uuid,
    code: &str,
    f: &DistrictInput,
    now: OffsetDateTime,
) -> Result<()> {
    require_office(s)?;
    let (_, name, voters) = valid_district(kommunkod, &DistrictInput { code: code.to_string(), ..f.clone() })?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    store::district(&mut tx, t, e, code).await?.ok_or(Error::NotFound)?;
    let constituency = chosen_constituency(&mut tx, t, e, f).await?;
    let row = DistrictRow { code: code.to_string(), name, constituency_id: constituency, voters };
    store::update_district(&mut tx, t, e, &row).await?;
    audit(&mut tx, s, "elections.district.updated", "el_district", code, serde_json::json!({ "election": e, "name": row.name }), now)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_district(db: &Db, s: &StaffUser, kommunkod: &str, e: Uuid, f: &DistrictInput, now: OffsetDateTime) -> Result<String> {
    require_office(s)?;
    let (code, name, voters) = valid_district(kommunkod, f)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    let constituency = chosen_constituency(&mut tx, t, e, f).await?;
    let row = DistrictRow { code: code.to_string(), name, constituency_id: constituency, voters };
    store::insert_district(&mut tx, t, e, &row).await.map_err(map_unique)?;
    audit(&mut tx, s, "elections.district.created", "el_district", &row.code, serde_json::json!({ "election": e }), now).await?;
    tx.commit().await?;
    Ok(row.code)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct StationInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lon: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub premises: String,
}

impl StationInput {
    /// The form filled with a station's values, for editing (the premises stay as they are).
    pub fn of(s: &StationRow) -> StationInput {
        StationInput {
            kind: s.kind.clone(),
            name: s.name.clone(),
            address: s.address.clone(),
            lat: s.lat.to_string(),
            lon: s.lon.to_string(),
            district: s.district_code.clone().unwrap_or_default(),
            premises: String::new(),
        }
    }
}

/// The name and coordinates of a station form, every field's problem at once.
fn station_fields(f: &StationInput) -> Result<(String, f64, f64)> {
    let mut problems = vec![];
    let name = required_as("station_name", &f.name, "el-err-station-name").map_err(|e| problems.extend(e.field_errors().to_vec())).ok();
    let mut coord = |field: &str, v: &str, min: f64, max: f64, missing: &str| {
        if v.trim().is_empty() {
            problems.push(FieldError::new(field, missing));
            return None;
        }
        crate::support::parse::parse_coord(field, v, min, max).map_err(|e| problems.extend(e.field_errors().to_vec())).ok()
    };
    let lat = coord("lat", &f.lat, 55.0, 69.1, "el-err-lat-missing");
    let lon = coord("lon", &f.lon, 10.9, 24.2, "el-err-lon-missing");
    match (name, lat, lon) {
        (Some(name), Some(lat), Some(lon)) => Ok((name, lat, lon)),
        _ => Err(Error::Invalid(problems)),
    }
}

/// The district a station form chose: one of the election's; a vallokal needs one.
async fn station_district(tx: &mut Tx, t: TenantId, e: Uuid, kind: &str, f: &StationInput) -> Result<Option<String>> {
    let code = if f.district.trim().is_empty() {
        None
    } else {
        Some(store::district(tx, t, e, f.district.trim()).await?.ok_or_else(|| Error::invalid("district", "el-bad-choice"))?.code)
    };
    if kind == "vallokal" && code.is_none() {
        return Err(ElectionError::DistrictNeeded.into());
    }
    Ok(code)
}

/// Changes a station's name, address, coordinates and (a vallokal's) district; the kind, the
/// premises, opening hours and positions stay.
pub async fn update_station(db: &Db, s: &StaffUser, e: Uuid, station: Uuid, f: &StationInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let (name, lat, lon) = station_fields(f)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    let old = store::station(&mut tx, t, e, station).await?.ok_or(Error::NotFound)?;
    let district_code = station_district(&mut tx, t, e, &old.kind, f).await?;
    let row = StationRow { name, address: f.address.trim().to_string(), lat, lon, district_code, ..old.clone() };
    store::update_station(&mut tx, t, e, &row).await?;
    audit(
        &mut tx,
        s,
        "elections.station.updated",
        "el_station",
        station,
        serde_json::json!({ "election": e, "name": row.name, "from": old.name, "district": row.district_code }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a polling station. A vallokal belongs to a district of the election and opens on the
/// election day 08:00–20:00 (the hours can be changed afterwards); a röstningslokal gets its
/// days one by one.
pub async fn add_station(db: &Db, s: &StaffUser, e: Uuid, f: &StationInput, now: OffsetDateTime) -> Result<Uuid> {
    require_office(s)?;
    let kind = match f.kind.as_str() {
        "vallokal" | "rostningslokal" => f.kind.clone(),
        _ => return Err(Error::invalid("station_kind", "el-err-station-kind")),
    };
    let (name, lat, lon) = station_fields(f)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, e).await?;
    let district_code = station_district(&mut tx, t, e, &kind, f).await?;
    let premises_id = if f.premises.trim().is_empty() {
        None
    } else {
        Some(Uuid::parse_str(f.premises.trim()).map_err(|_| Error::invalid("premises", "el-bad-choice"))?)
    };
    let id = Uuid::now_v7();
    let row = StationRow { id, kind, name, premises_id, address: f.address.trim().to_string(), lat, lon, district_code };
    store::insert_station(&mut tx, t, e, &row).await.map_err(|e| match e {
        Error::Db(ref d) if d.as_database_error().is_some_and(|x| x.is_foreign_key_violation()) => {
            Error::invalid("premises", "el-bad-choice")
        }
        e => e,
    })?;
    if row.is_vallokal() {
        let eight = Time::from_hms(8, 0, 0).expect("time");
        let twenty = Time::from_hms(20, 0, 0).expect("time");
        store::upsert_opening(&mut tx, t, e, &OpeningRow { station_id: id, day: el.election_day, opens: eight, closes: twenty }).await?;
    }
    audit(&mut tx, s, "elections.station.created", "el_station", id, serde_json::json!({ "election": e, "kind": row.kind }), now).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OpeningInput {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub opens: String,
    #[serde(default)]
    pub closes: String,
}

/// Sets a day's opening hours. A vallokal opens on the election day only; a röstningslokal on
/// days of the early-voting period (and the election day itself).
pub async fn set_opening(db: &Db, s: &StaffUser, e: Uuid, station: Uuid, f: &OpeningInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let day = crate::support::parse::parse_date("day", &f.day)?;
    let opens = crate::support::parse::parse_time("opens", &f.opens)?;
    let closes = crate::support::parse::parse_time("closes", &f.closes)?;
    if closes <= opens {
        return Err(Error::invalid("closes", "el-bad-hours"));
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, e).await?;
    let st = store::station(&mut tx, t, e, station).await?.ok_or(Error::NotFound)?;
    let in_window = if st.is_vallokal() {
        day == el.election_day
    } else {
        day == el.election_day || matches!((el.early_from, el.early_to), (Some(a), Some(b)) if a <= day && day <= b)
    };
    if !in_window {
        return Err(Error::invalid("day", "el-bad-opening-day"));
    }
    store::upsert_opening(&mut tx, t, e, &OpeningRow { station_id: station, day, opens, closes }).await?;
    audit(
        &mut tx,
        s,
        "elections.opening.set",
        "el_station",
        station,
        serde_json::json!({ "day": day.to_string(), "opens": opens.to_string(), "closes": closes.to_string() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_opening(db: &Db, s: &StaffUser, e: Uuid, station: Uuid, day: &str, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let day = crate::support::parse::parse_date("day", day)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    if store::delete_opening(&mut tx, t, e, station, day).await? == 0 {
        return Err(Error::NotFound);
    }
    audit(&mut tx, s, "elections.opening.removed", "el_station", station, serde_json::json!({ "day": day.to_string() }), now).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ShiftInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
}

/// A shift of the form: a name, a day and hours that end after they start.
fn valid_shift(id: Uuid, f: &ShiftInput) -> Result<ShiftRow> {
    let name = required_as("shift_name", &f.name, "el-err-shift-name")?;
    let day = crate::support::parse::parse_date("day", &f.day)?;
    let starts = crate::support::parse::parse_time("starts", &f.starts)?;
    let ends = crate::support::parse::parse_time("ends", &f.ends)?;
    if ends <= starts {
        return Err(Error::invalid("ends", "el-bad-hours"));
    }
    Ok(ShiftRow { id, name, day, starts, ends })
}

impl ShiftInput {
    /// The form filled with a shift's values, for editing.
    pub fn of(s: &ShiftRow) -> ShiftInput {
        ShiftInput {
            name: s.name.clone(),
            day: s.day.to_string(),
            starts: crate::support::view::hm(s.starts),
            ends: crate::support::view::hm(s.ends),
        }
    }
}

/// Changes a shift's name, day and hours. The positions and the applicants' availability stay
/// with the shift; the rule check and the dashboard read the new hours.
pub async fn update_shift(db: &Db, s: &StaffUser, e: Uuid, shift: Uuid, f: &ShiftInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let row = valid_shift(shift, f)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    if !store::update_shift(&mut tx, t, e, &row).await? {
        return Err(Error::NotFound);
    }
    audit(
        &mut tx,
        s,
        "elections.shift.updated",
        "el_shift",
        shift,
        serde_json::json!({ "election": e, "name": row.name, "day": row.day.to_string(), "starts": crate::support::view::hm(row.starts), "ends": crate::support::view::hm(row.ends) }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a shift that has no positions (`VAL-015` otherwise); the applicants' availability
/// for it goes with it.
pub async fn remove_shift(db: &Db, s: &StaffUser, e: Uuid, shift: Uuid, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    if !store::shifts(&mut tx, t, e).await?.iter().any(|x| x.id == shift) {
        return Err(Error::NotFound);
    }
    if store::positions(&mut tx, t, e).await?.iter().any(|p| p.shift_id == shift) {
        return Err(ElectionError::ShiftInUse.into());
    }
    let available = store::delete_shift(&mut tx, t, e, shift).await?;
    audit(
        &mut tx,
        s,
        "elections.shift.removed",
        "el_shift",
        shift,
        serde_json::json!({ "election": e, "availability_removed": available }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_shift(db: &Db, s: &StaffUser, e: Uuid, f: &ShiftInput, now: OffsetDateTime) -> Result<Uuid> {
    require_office(s)?;
    let row = valid_shift(Uuid::now_v7(), f)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    let id = row.id;
    store::insert_shift(&mut tx, t, e, &row).await?;
    audit(&mut tx, s, "elections.shift.created", "el_shift", id, serde_json::json!({ "election": e }), now).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PositionsInput {
    #[serde(default)]
    pub shift: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub count: String,
    #[serde(default)]
    pub language: String,
}

/// Adds `count` positions of one role in one shift at a station.
pub async fn add_positions(db: &Db, s: &StaffUser, e: Uuid, station: Uuid, f: &PositionsInput, now: OffsetDateTime) -> Result<usize> {
    require_office(s)?;
    let role = parse_role(&f.role).ok_or_else(|| Error::invalid("role", "el-bad-choice"))?;
    let count: usize =
        f.count.trim().parse().ok().filter(|n| (1..=20).contains(n)).ok_or_else(|| Error::invalid("count", "el-bad-count"))?;
    let shift = Uuid::parse_str(f.shift.trim()).map_err(|_| Error::invalid("shift", "el-bad-choice"))?;
    let language = Some(f.language.trim().to_lowercase()).filter(|l| !l.is_empty());
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    store::station(&mut tx, t, e, station).await?.ok_or(Error::NotFound)?;
    if !store::shifts(&mut tx, t, e).await?.iter().any(|x| x.id == shift) {
        return Err(Error::invalid("shift", "el-bad-choice"));
    }
    for _ in 0..count {
        let p = PositionRow {
            id: Uuid::now_v7(),
            station_id: station,
            shift_id: shift,
            role: role_key(role).into(),
            language: language.clone(),
        };
        store::insert_position(&mut tx, t, e, &p).await?;
    }
    audit(
        &mut tx,
        s,
        "elections.positions.created",
        "el_station",
        station,
        serde_json::json!({ "shift": shift, "role": role_key(role), "count": count }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(count)
}

pub async fn remove_position(db: &Db, s: &StaffUser, e: Uuid, station: Uuid, position: Uuid, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    if !store::delete_free_position(&mut tx, t, e, station, position).await? {
        return Err(ElectionError::PositionHeld.into());
    }
    audit(&mut tx, s, "elections.position.removed", "el_position", position, serde_json::json!({ "election": e }), now).await?;
    tx.commit().await?;
    Ok(())
}
