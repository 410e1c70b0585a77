//! Import of valdistrikt and polling places into an election from a file in the shape of
//! Valmyndigheten's open data (`vallokaler.json`, `rostningslokaler.json`, or the same as CSV
//! with `;`). The accepted keys are documented in `docs/valmyndigheten-import.md`. Only rows of
//! the municipality's own kommunkod are imported; the others are counted and skipped. The
//! preview and the choice to import all or the good rows are those of `registers::import`.

use std::collections::{BTreeMap, HashMap, HashSet};

use radhus_kernel::ids::TenantId;
use radhus_platform::db::Tx;
use radhus_platform::error::{Error, FieldError, Result};
use time::{Date, Time};
use uuid::Uuid;

use crate::registers::columns::{Checked, Kind, Staged};
use crate::registers::store as reg_store;
use crate::structure::service::{self, DistrictInput};
use crate::structure::store::{self, DistrictRow, ElectionRow, OpeningRow, StationRow};

pub mod web;

/// The shipped, generated file of all Värmland's municipalities (not Valmyndigheten's data).
pub const DEMO_VALLOKALER: &str = include_str!("../../../../../data/valmyndigheten/vallokaler-varmland-2026.json");
pub const DEMO_ROSTNINGSLOKALER: &str = include_str!("../../../../../data/valmyndigheten/rostningslokaler-varmland-2026.json");

fn digits(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The row's kommunkod: a four-digit KOMMUNKOD, or LÄNSKOD and a two-digit KOMMUNKOD, or the
/// first four digits of the district code.
pub fn row_kommunkod(d: &BTreeMap<String, String>) -> Option<String> {
    let g = |k: &str| digits(d.get(k).map(String::as_str).unwrap_or(""));
    let (lan, kom, dist) = (g("valimport_lankod"), g("valimport_kommunkod"), g("valimport_district_code"));
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if kom.len() == 4 && all_digits(&kom) {
        Some(kom)
    } else if all_digits(&kom) && kom.len() <= 2 && all_digits(&lan) && lan.len() <= 2 {
        Some(format!("{lan:0>2}{kom:0>2}"))
    } else if dist.len() == 8 && all_digits(&dist) {
        Some(dist[..4].to_string())
    } else {
        None
    }
}

/// A polling place of a row, checked.
pub struct Place {
    pub name: String,
    pub district: Option<(String, String)>,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub openings: Vec<(Date, Time, Time)>,
}

fn time_of(s: &str) -> Option<Time> {
    crate::support::parse::parse_time("x", &s.trim().replace('.', ":")).ok()
}

/// "2026-08-26 10:00-18:00, 2026-08-27 10:00–18:00" (also `;`, `|` or new lines between days).
fn openings(p: &mut Vec<FieldError>, s: &str) -> Vec<(Date, Time, Time)> {
    let mut out = Vec::new();
    for part in s.split([',', ';', '|', '\n']).map(str::trim).filter(|x| !x.is_empty()) {
        let bad = |p: &mut Vec<FieldError>| p.push(FieldError::new("valimport_openings", "el-valimport-bad-opening"));
        let Some((day, hours)) = part.split_once(char::is_whitespace) else {
            bad(p);
            continue;
        };
        let hours = hours.replace(['–', '—'], "-").replace(' ', "");
        let (Ok(day), Some((a, b))) = (crate::support::parse::parse_date("x", day), hours.split_once('-')) else {
            bad(p);
            continue;
        };
        match (time_of(a), time_of(b)) {
            (Some(a), Some(b)) if a < b => out.push((day, a, b)),
            (Some(_), Some(_)) => p.push(FieldError::new("valimport_openings", "el-bad-hours")),
            _ => bad(p),
        }
    }
    out
}

/// Checks one row of the municipality against the election.
pub fn parse_place(
    kind: Kind,
    kommunkod: &str,
    el: &ElectionRow,
    d: &BTreeMap<String, String>,
) -> std::result::Result<Place, Vec<FieldError>> {
    let mut p: Vec<FieldError> = Vec::new();
    let g = |k: &str| d.get(k).map(|x| x.trim().to_string()).unwrap_or_default();
    let name = g("valimport_name");
    if name.is_empty() {
        p.push(FieldError::new("valimport_name", "el-required"));
    }
    let mut coord = |field: &str, v: &str, min: f64, max: f64| {
        if v.is_empty() {
            p.push(FieldError::new(field, "el-required"));
            return 0.0;
        }
        match crate::support::parse::parse_coord(field, v, min, max) {
            Ok(x) => x,
            Err(_) => {
                p.push(FieldError::new(field, "el-bad-coord"));
                0.0
            }
        }
    };
    let lat = coord("lat", &g("lat"), 55.0, 69.1);
    let lon = coord("lon", &g("lon"), 10.9, 24.2);
    let district = if kind == Kind::Vallokaler {
        let f = DistrictInput { code: g("valimport_district_code"), name: g("valimport_district_name"), ..Default::default() };
        if f.name.is_empty() {
            p.push(FieldError::new("valimport_district_name", "el-required"));
        }
        match service::valid_district(kommunkod, &f) {
            Ok((code, name, _)) => Some((code.to_string(), name)),
            Err(Error::Invalid(v)) => {
                p.extend(v.into_iter().filter(|e| e.field == "code").map(|e| FieldError::new("valimport_district_code", e.message)));
                None
            }
            Err(Error::Rule { message, .. }) => {
                p.push(FieldError::new("valimport_district_code", message));
                None
            }
            Err(_) => {
                p.push(FieldError::new("valimport_district_code", "el-bad-district-code"));
                None
            }
        }
    } else {
        None
    };
    let days = openings(&mut p, &g("valimport_openings"));
    for (day, _, _) in &days {
        let ok = if kind == Kind::Vallokaler {
            *day == el.election_day
        } else {
            *day == el.election_day || matches!((el.early_from, el.early_to), (Some(a), Some(b)) if a <= *day && *day <= b)
        };
        if !ok {
            p.push(FieldError::new("valimport_openings", "el-valimport-day-outside"));
            break;
        }
    }
    let mut seen = HashSet::new();
    if days.iter().any(|(d, _, _)| !seen.insert(*d)) {
        p.push(FieldError::new("valimport_openings", "el-valimport-day-twice"));
    }
    if kind == Kind::Rostningslokaler && days.is_empty() && !p.iter().any(|e| e.field == "valimport_openings") {
        p.push(FieldError::new("valimport_openings", "el-valimport-no-openings"));
    }
    let street = g("address");
    let town = [g("reg_postal_code"), g("reg_city")].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" ");
    let address = [street, town].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(", ");
    if p.is_empty() { Ok(Place { name, district, address, lat, lon, openings: days }) } else { Err(p) }
}

fn station_key(kind: Kind, name: &str) -> (String, String) {
    (kind_key(kind).to_string(), name.trim().to_lowercase())
}

fn kind_key(kind: Kind) -> &'static str {
    if kind == Kind::Vallokaler { "vallokal" } else { "rostningslokal" }
}

/// Checks the rows of a Valmyndigheten file for the election (called by `registers::import::stage`).
pub async fn check(
    tx: &mut Tx,
    t: TenantId,
    kind: Kind,
    e: Uuid,
    kommunkod: &str,
    recs: Vec<(u32, BTreeMap<String, String>)>,
) -> Result<Checked> {
    let el = service::election_in(tx, t, e).await?;
    let existing: HashSet<(String, String)> =
        store::stations(tx, t, e).await?.into_iter().map(|s| (s.kind, s.name.trim().to_lowercase())).collect();
    let mut other = 0;
    let mut rows = Vec::new();
    for (row_no, data) in recs {
        match row_kommunkod(&data) {
            Some(k) if k != kommunkod => {
                other += 1;
                continue;
            }
            _ => {}
        }
        let mut problems = match row_kommunkod(&data) {
            None => vec![FieldError::new("valimport_kommunkod", "el-valimport-bad-kommunkod")],
            Some(_) => vec![],
        };
        if let Err(v) = parse_place(kind, kommunkod, &el, &data) {
            problems.extend(v);
        }
        let name = data.get("valimport_name").map(|x| x.trim().to_lowercase()).unwrap_or_default();
        let action = if existing.contains(&(kind_key(kind).to_string(), name)) { "update" } else { "create" };
        rows.push(Staged { row_no, data, problems, action });
    }
    // The same place twice in the file.
    let mut count: HashMap<(String, String), usize> = HashMap::new();
    for r in &rows {
        *count.entry(station_key(kind, r.get("valimport_name"))).or_default() += 1;
    }
    for r in &mut rows {
        if !r.get("valimport_name").trim().is_empty() && count[&station_key(kind, r.get("valimport_name"))] > 1 {
            r.problems.push(FieldError::new("valimport_name", "el-registers-name-twice"));
        }
    }
    Ok(Checked { rows, other_kommun: other })
}

/// Writes the good rows into the election: missing districts, new stations (linked to the
/// premises of the register with the same name) with their opening days, and updates of the
/// stations already there. Returns (stations created, stations updated).
pub async fn apply(tx: &mut Tx, t: TenantId, e: Uuid, kind: Kind, rows: &[Staged]) -> Result<(usize, usize)> {
    let el = service::election_in(tx, t, e).await?;
    let kommunkod = rows.iter().find_map(|r| row_kommunkod(&r.data)).unwrap_or_default();
    let mut districts: HashSet<String> = store::districts(tx, t, e).await?.into_iter().map(|d| d.code).collect();
    let mut stations: HashMap<String, Uuid> = store::stations(tx, t, e)
        .await?
        .into_iter()
        .filter(|s| s.kind == kind_key(kind))
        .map(|s| (s.name.trim().to_lowercase(), s.id))
        .collect();
    let premises: HashMap<String, Uuid> =
        reg_store::premises_list(tx, t).await?.into_iter().map(|p| (p.name.trim().to_lowercase(), p.id)).collect();
    let (mut created, mut updated) = (0, 0);
    for r in rows {
        let Ok(place) = parse_place(kind, &kommunkod, &el, &r.data) else { continue };
        if let Some((code, name)) = &place.district
            && !districts.contains(code)
        {
            store::insert_district(tx, t, e, &DistrictRow { code: code.clone(), name: name.clone(), constituency_id: None, voters: None })
                .await?;
            districts.insert(code.clone());
        }
        let key = place.name.trim().to_lowercase();
        let premises_id = premises.get(&key).copied();
        let id = match stations.get(&key) {
            Some(id) => {
                let district = place.district.as_ref().map(|(c, _)| c.as_str());
                reg_store::update_station_place(tx, t, e, *id, &place.address, (place.lat, place.lon), premises_id, district).await?;
                updated += 1;
                *id
            }
            None => {
                let id = Uuid::now_v7();
                store::insert_station(
                    tx,
                    t,
                    e,
                    &StationRow {
                        id,
                        kind: kind_key(kind).into(),
                        name: place.name.clone(),
                        premises_id,
                        address: place.address.clone(),
                        lat: place.lat,
                        lon: place.lon,
                        district_code: place.district.as_ref().map(|(c, _)| c.clone()),
                    },
                )
                .await?;
                stations.insert(key, id);
                created += 1;
                id
            }
        };
        let mut days = place.openings.clone();
        if days.is_empty() && kind == Kind::Vallokaler {
            days.push((el.election_day, Time::from_hms(8, 0, 0).expect("time"), Time::from_hms(20, 0, 0).expect("time")));
        }
        for (day, opens, closes) in days {
            store::upsert_opening(tx, t, e, &OpeningRow { station_id: id, day, opens, closes }).await?;
        }
    }
    Ok((created, updated))
}
