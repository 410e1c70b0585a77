//! Material and equipment: the municipality's item types (ballot papers per party and
//! election, envelopes, urns, screens, seals …), the quantities each polling station of an
//! election gets, its packing list (HTML and PDF/A) and the checklist of what has been packed,
//! delivered and returned, each with who and when.

pub mod web;

use std::collections::HashMap;

use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::ElectionError;
use crate::structure::service::election_in;
use crate::structure::store::{self, StationRow};
use crate::support::audit::audit;
use crate::support::office::require_office;

// ------------------------------------------------------------------ store

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ItemRow {
    pub id: Uuid,
    pub name: String,
    pub category: String,
    pub unit: String,
}

pub async fn items(tx: &mut Tx, t: TenantId) -> Result<Vec<ItemRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as("SELECT id, name, category, unit FROM el_item WHERE tenant_id = $1 ORDER BY category, name")
        .bind(t.0).fetch_all(c).await?))
}

async fn insert_item(tx: &mut Tx, t: TenantId, i: &ItemRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO el_item (tenant_id, id, name, category, unit) VALUES ($1, $2, $3, $4, $5)")
        .bind(t.0).bind(i.id).bind(&i.name).bind(&i.category).bind(&i.unit).execute(c).await?.rows_affected());
    Ok(())
}

/// One station's quantity of one item and where it is on the checklist; the names are those
/// of the staff users who marked each step.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MaterialRow {
    pub station_id: Uuid,
    pub item_id: Uuid,
    pub quantity: i32,
    pub packed_by: Option<String>,
    pub packed_at: Option<OffsetDateTime>,
    pub delivered_by: Option<String>,
    pub delivered_at: Option<OffsetDateTime>,
    pub returned_quantity: Option<i32>,
    pub returned_by: Option<String>,
    pub returned_at: Option<OffsetDateTime>,
}

impl MaterialRow {
    /// Returned, but not as many as were delivered (or more).
    pub fn differs(&self) -> bool {
        self.returned_quantity.is_some_and(|r| r != self.quantity)
    }
}

pub async fn materials(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<MaterialRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT m.station_id, m.item_id, m.quantity, pu.name AS packed_by, m.packed_at, du.name AS delivered_by, m.delivered_at, \
         m.returned_quantity, ru.name AS returned_by, m.returned_at FROM el_material m \
         LEFT JOIN app_user pu ON pu.tenant_id = m.tenant_id AND pu.id = m.packed_by \
         LEFT JOIN app_user du ON du.tenant_id = m.tenant_id AND du.id = m.delivered_by \
         LEFT JOIN app_user ru ON ru.tenant_id = m.tenant_id AND ru.id = m.returned_by \
         WHERE m.tenant_id = $1 AND m.election_id = $2")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

/// Sets a quantity; 0 removes an item nothing has happened to yet (and keeps one that has been
/// packed, delivered or returned, with quantity 0).
async fn set_quantity(tx: &mut Tx, t: TenantId, e: Uuid, station: Uuid, item: Uuid, q: i32) -> Result<()> {
    if q == 0 {
        on_tx!(tx, c => sqlx::query(
            "DELETE FROM el_material WHERE tenant_id = $1 AND election_id = $2 AND station_id = $3 AND item_id = $4 \
             AND packed_at IS NULL AND delivered_at IS NULL AND returned_at IS NULL")
            .bind(t.0).bind(e).bind(station).bind(item).execute(c).await?.rows_affected());
        on_tx!(tx, c => sqlx::query(
            "UPDATE el_material SET quantity = 0 WHERE tenant_id = $1 AND election_id = $2 AND station_id = $3 AND item_id = $4")
            .bind(t.0).bind(e).bind(station).bind(item).execute(c).await?.rows_affected());
    } else {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO el_material (tenant_id, election_id, station_id, item_id, quantity) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (tenant_id, election_id, station_id, item_id) DO UPDATE SET quantity = excluded.quantity")
            .bind(t.0).bind(e).bind(station).bind(item).bind(q).execute(c).await?.rows_affected());
    }
    Ok(())
}

// ------------------------------------------------------------------ service

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ItemInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub unit: String,
}

/// Adds an item type of the municipality (kept between elections).
pub async fn add_item(db: &Db, s: &StaffUser, f: &ItemInput, now: OffsetDateTime) -> Result<Uuid> {
    require_office(s)?;
    let name = f.name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "el-material-name-missing"));
    }
    let unit = if f.unit.trim().is_empty() { "st" } else { f.unit.trim() };
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    if items(&mut tx, t).await?.iter().any(|i| i.name.to_lowercase() == name.to_lowercase()) {
        return Err(ElectionError::DuplicateItem.into());
    }
    let row = ItemRow { id: Uuid::now_v7(), name: name.into(), category: f.category.trim().into(), unit: unit.into() };
    insert_item(&mut tx, t, &row).await?;
    audit(&mut tx, s, "elections.material.item_created", "el_item", row.id, serde_json::json!({ "name": row.name }), now).await?;
    tx.commit().await?;
    Ok(row.id)
}

/// A quantity of a form: a whole number ≥ 0; empty is `None`.
pub fn parse_quantity(field: &str, s: &str) -> Result<Option<i32>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i32>().ok().filter(|q| (0..=1_000_000).contains(q)).map(Some).ok_or_else(|| Error::invalid(field, "el-material-bad-quantity"))
}

/// Checks every `q-<item>` field of a form against the municipality's items: (item, quantity)
/// for the filled-in ones. A bad number is a field error on that item's field.
fn quantities(form: &HashMap<String, serde_json::Value>, items: &[ItemRow]) -> Result<Vec<(Uuid, i32)>> {
    let mut out = vec![];
    if !bad_quantities(form, items).is_empty() {
        return Err(Error::invalid("material_quantity", "el-material-bad-quantity"));
    }
    for i in items {
        let key = format!("q-{}", i.id);
        if let Some(Ok(Some(q))) = form.get(&key).map(|v| parse_quantity(&key, v.as_str().unwrap_or("x"))) {
            out.push((i.id, q));
        }
    }
    Ok(out)
}

/// The `q-<item>` fields of a form that are not a quantity (negative, not a number).
pub fn bad_quantities(form: &HashMap<String, serde_json::Value>, items: &[ItemRow]) -> Vec<String> {
    items
        .iter()
        .map(|i| format!("q-{}", i.id))
        .filter(|k| form.get(k).is_some_and(|v| parse_quantity(k, v.as_str().unwrap_or("x")).is_err()))
        .collect()
}

/// Sets one station's quantities from its form (`q-<item id>` = quantity; empty leaves the
/// item as it is, 0 removes it).
pub async fn set_station_quantities(
    db: &Db,
    s: &StaffUser,
    e: Uuid,
    station: Uuid,
    form: &HashMap<String, serde_json::Value>,
    now: OffsetDateTime,
) -> Result<usize> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    store::station(&mut tx, t, e, station).await?.ok_or(Error::NotFound)?;
    let all = items(&mut tx, t).await?;
    let qs = quantities(form, &all)?;
    for (item, q) in &qs {
        set_quantity(&mut tx, t, e, station, *item, *q).await?;
    }
    audit(&mut tx, s, "elections.material.quantities", "el_station", station, serde_json::json!({ "election": e, "items": qs.len() }), now)
        .await?;
    tx.commit().await?;
    Ok(qs.len())
}

/// Gives every station of one kind (`vallokal`, `rostningslokal`) the kit's quantities: the
/// items filled in on the form, the others left as they are. Returns the number of stations.
pub async fn fill_standard_kit(
    db: &Db,
    s: &StaffUser,
    e: Uuid,
    kind: &str,
    form: &HashMap<String, serde_json::Value>,
    now: OffsetDateTime,
) -> Result<usize> {
    require_office(s)?;
    if kind != "vallokal" && kind != "rostningslokal" {
        return Err(Error::invalid("station_kind", "el-material-kind-missing"));
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    let all = items(&mut tx, t).await?;
    let qs = quantities(form, &all)?;
    if qs.is_empty() {
        return Err(Error::invalid("material_kit", "el-material-kit-empty"));
    }
    let stations: Vec<StationRow> = store::stations(&mut tx, t, e).await?.into_iter().filter(|x| x.kind == kind).collect();
    if stations.is_empty() {
        return Err(ElectionError::NoStations.into());
    }
    for st in &stations {
        for (item, q) in &qs {
            set_quantity(&mut tx, t, e, st.id, *item, *q).await?;
        }
    }
    audit(
        &mut tx,
        s,
        "elections.material.kit",
        "el_election",
        e,
        serde_json::json!({ "kind": kind, "stations": stations.len(), "items": qs.len() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(stations.len())
}

/// A step of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Packed,
    Delivered,
    Returned,
}

impl Step {
    pub fn parse(s: &str) -> Option<Step> {
        match s {
            "packed" => Some(Step::Packed),
            "delivered" => Some(Step::Delivered),
            "returned" => Some(Step::Returned),
            _ => None,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Step::Packed => "packed",
            Step::Delivered => "delivered",
            Step::Returned => "returned",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MarkInput {
    /// packed, delivered, returned, or `undo-<step>` to clear a step marked by mistake.
    #[serde(default)]
    pub step: String,
    /// One item, or empty for every item of the station.
    #[serde(default)]
    pub item: String,
    /// For `returned` of one item: the quantity that came back (empty: all of it).
    #[serde(default)]
    pub returned: String,
}

/// Marks a step of the checklist for one item of a station or for all of its items, with the
/// caller and the time. Returned needs delivered first (VAL-220); a whole station's return
/// records each item's full quantity. `undo-<step>` clears a step (and the later ones).
pub async fn mark(db: &Db, s: &StaffUser, e: Uuid, station: Uuid, f: &MarkInput, now: OffsetDateTime) -> Result<usize> {
    require_office(s)?;
    let (undo, step) = match f.step.strip_prefix("undo-") {
        Some(x) => (true, Step::parse(x)),
        None => (false, Step::parse(&f.step)),
    };
    let step = step.ok_or_else(|| Error::invalid("material_step", "el-bad-choice"))?;
    let item = if f.item.trim().is_empty() {
        None
    } else {
        Some(Uuid::parse_str(f.item.trim()).map_err(|_| Error::invalid("material_item", "el-bad-choice"))?)
    };
    let returned = parse_quantity("material_returned", &f.returned)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    store::station(&mut tx, t, e, station).await?.ok_or(Error::NotFound)?;
    let rows: Vec<MaterialRow> =
        materials(&mut tx, t, e).await?.into_iter().filter(|m| m.station_id == station && item.is_none_or(|i| i == m.item_id)).collect();
    if rows.is_empty() {
        return Err(match item {
            Some(_) => Error::invalid("material_item", "el-bad-choice"),
            None => Error::from(ElectionError::NothingToMark),
        });
    }
    let who = s.user_id.0;
    let mut n = 0usize;
    let key = "WHERE tenant_id = $1 AND election_id = $2 AND station_id = $3 AND item_id = $4";
    for m in &rows {
        // (the SET clause, whether it binds who and when, the returned quantity to bind)
        let (set, stamped, qty): (&str, bool, Option<i32>) = match (undo, step) {
            (true, Step::Packed) => (
                "packed_by = NULL, packed_at = NULL, delivered_by = NULL, delivered_at = NULL, returned_quantity = NULL, returned_by = NULL, returned_at = NULL",
                false,
                None,
            ),
            (true, Step::Delivered) => {
                ("delivered_by = NULL, delivered_at = NULL, returned_quantity = NULL, returned_by = NULL, returned_at = NULL", false, None)
            }
            (true, Step::Returned) => ("returned_quantity = NULL, returned_by = NULL, returned_at = NULL", false, None),
            (false, Step::Packed) if m.packed_at.is_some() => continue,
            (false, Step::Packed) => ("packed_by = $5, packed_at = $6", true, None),
            (false, Step::Delivered) if m.delivered_at.is_some() => continue,
            (false, Step::Delivered) => ("delivered_by = $5, delivered_at = $6", true, None),
            (false, Step::Returned) => {
                if m.delivered_at.is_none() {
                    return Err(ElectionError::ReturnBeforeDelivery.into());
                }
                if m.returned_at.is_some() && item.is_none() {
                    continue;
                }
                let q = if item.is_some() { returned.unwrap_or(m.quantity) } else { m.quantity };
                ("returned_by = $5, returned_at = $6, returned_quantity = $7", true, Some(q))
            }
        };
        let sql = format!("UPDATE el_material SET {set} {key}");
        n += on_tx!(&mut tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(t.0).bind(e).bind(station).bind(m.item_id);
            if stamped {
                q = q.bind(who).bind(now);
            }
            if let Some(x) = qty {
                q = q.bind(x);
            }
            q.execute(c).await?.rows_affected()
        }) as usize;
    }
    let verb = if undo { format!("undo-{}", step.key()) } else { step.key().to_string() };
    audit(
        &mut tx,
        s,
        "elections.material.marked",
        "el_station",
        station,
        serde_json::json!({ "election": e, "step": verb, "item": item, "rows": n, "returned": returned }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// The demo data of the material area and the reports for one election: the municipality's
/// item types when missing (ballot papers for the parties of the riksdag, region and kommun
/// elections, envelopes, urns, screens, seals, collection boxes), standard quantities at every
/// station, the first half of the stations packed and the first third delivered, and arvode
/// rates (an example: ordförande 2 200 kr, vice 1 900 kr, röstmottagare 1 600 kr, course 300 kr;
/// every valnämnd decides its own).
pub async fn seed_demo(db: &Db, s: &StaffUser, election: Uuid, now: OffsetDateTime) -> Result<()> {
    const PARTIES: [&str; 8] = [
        "Socialdemokraterna",
        "Moderaterna",
        "Sverigedemokraterna",
        "Centerpartiet",
        "Vänsterpartiet",
        "Kristdemokraterna",
        "Liberalerna",
        "Miljöpartiet",
    ];
    // (name, category, unit, per vallokal, per röstningslokal)
    let mut kit: Vec<(String, &str, &str, i32, i32)> = vec![];
    for (election_kind, label) in [("riksdag", "Valsedlar riksdag"), ("region", "Valsedlar region"), ("kommun", "Valsedlar kommun")] {
        let _ = election_kind;
        for p in PARTIES {
            kit.push((format!("{label} – {p}"), "Valsedlar", "st", 300, 600));
        }
        kit.push((format!("{label} – blank (partimarkering)"), "Valsedlar", "st", 100, 200));
    }
    for (n, v, r) in [("Valkuvert", 1500, 3000), ("Ytterkuvert", 0, 1200), ("Fönsterkuvert", 50, 100), ("Omslag för valsedlar", 20, 20)] {
        kit.push((n.into(), "Kuvert", "st", v, r));
    }
    for (n, v, r) in [("Valurna", 3, 0), ("Röstskärm", 4, 6), ("Sigill", 12, 20), ("Uppsamlingslåda", 0, 2), ("Valsedelsställ", 1, 2)] {
        kit.push((n.into(), "Utrustning", "st", v, r));
    }
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, election).await?;
    let existing = items(&mut tx, t).await?;
    tx.commit().await?;
    for (name, category, unit, _, _) in &kit {
        if !existing.iter().any(|i| &i.name == name) {
            add_item(db, s, &ItemInput { name: name.clone(), category: (*category).into(), unit: (*unit).into() }, now).await?;
        }
    }
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let all = items(&mut tx, t).await?;
    let stations = store::stations(&mut tx, t, election).await?;
    tx.commit().await?;
    for kind in ["vallokal", "rostningslokal"] {
        if !stations.iter().any(|x| x.kind == kind) {
            continue;
        }
        let mut form = HashMap::new();
        for (name, _, _, v, r) in &kit {
            let q = if kind == "vallokal" { *v } else { *r };
            if let Some(i) = all.iter().find(|i| &i.name == name) {
                form.insert(format!("q-{}", i.id), serde_json::Value::String(q.to_string()));
            }
        }
        fill_standard_kit(db, s, election, kind, &form, now).await?;
    }
    let half = stations.len().div_ceil(2);
    for (n, st) in stations.iter().enumerate().take(half) {
        mark(db, s, election, st.id, &MarkInput { step: "packed".into(), ..Default::default() }, now).await?;
        if n < stations.len().div_ceil(3) {
            mark(db, s, election, st.id, &MarkInput { step: "delivered".into(), ..Default::default() }, now).await?;
        }
    }
    crate::reports::save_rates(
        db,
        s,
        election,
        &crate::reports::RatesInput { ordforande: "2200".into(), vice: "1900".into(), rostmottagare: "1600".into(), course: "300".into() },
        now,
    )
    .await
}
