//! Demo eBlomlåda answers: three measurements (2016, 2017, 2018) for every municipality and
//! this year's assessment in draft for Karlstad, made through the same use cases the pages
//! call. Answers are generated, not real: each municipality has a deterministic "maturity"
//! from its kommunkod, each indicator a difficulty from its id, the years add progress and a
//! little noise, so the municipalities differ, mostly improve, and the benchmark is real.

use radhus_kernel::ids::UserId;
use radhus_maturity::domain::{Catalogue, Level};
use radhus_maturity::service::{self, AnswerInput};
use radhus_platform::db::{Db, Scope};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::identity::users;
use time::OffsetDateTime;

use crate::demo_cases::Rng;

/// The measurements the demo has for every municipality.
pub const YEARS: [i32; 3] = [2016, 2017, 2018];

fn hash(s: &str) -> u64 {
    // FNV-1a: stable across runs and platforms.
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A value in [-1, 1] from a seed.
fn unit(seed: u64) -> f64 {
    let mut r = Rng(seed);
    r.next();
    (r.below(2001) as f64 - 1000.0) / 1000.0
}

/// The generated answer of a municipality to an indicator in a year.
pub fn level(kommunkod: &str, indicator: &str, year: i32) -> Level {
    let capability = 0.4 * unit(hash(kommunkod)) + if kommunkod == "1780" { 0.2 } else { 0.0 };
    let difficulty = unit(hash(indicator));
    let progress = 0.15 * f64::from(year - 2016);
    let noise = 0.3 * unit(hash(&format!("{kommunkod}/{indicator}/{year}")));
    let x = capability + progress - difficulty + noise;
    if x < -0.3 {
        Level::NotMet
    } else if x < 0.4 {
        Level::Partly
    } else {
        Level::Met
    }
}

const ACTIONS: &[&str] = &[
    "Ta fram en e-tjänst tillsammans med de andra Värmlandskommunerna",
    "Utreda behovet och föreslå en lösning till kommunstyrelsen",
    "Upphandla gemensamt via Region Värmland",
    "Ta fram en handlingsplan med verksamheten",
    "Pilot i en förvaltning, sedan breddinförande",
];
const OWNERS: &[&str] = &["Digitaliseringschefen", "IT-chefen", "Förvaltningschefen", "Verksamhetens chef"];
/// Units of the demo organisation, so an action that becomes a case gets its unit.
const UNITS: &[&str] = &["Digitaliseringsenheten", "Kommunledningsförvaltningen", "IT-avdelningen", "Kansliavdelningen"];

/// The answers of `year`; planned actions are due in `due_year` (the year after, for this year's
/// draft one after today: a new action may not be due in the past, MAT-015).
fn answers_for(cat: &Catalogue, area: &str, kommunkod: &str, year: i32, due_year: i32) -> Vec<AnswerInput> {
    let mut rng = Rng(hash(&format!("{kommunkod}/{area}/{year}/text")));
    cat.indicators_of(area)
        .map(|i| {
            let l = level(kommunkod, &i.id, year);
            let mut a = AnswerInput { indicator_id: i.id.clone(), level: l.points().to_string(), ..Default::default() };
            if l != Level::Met {
                a.planned_action = rng.pick(ACTIONS).to_string();
                a.action_owner = rng.pick(OWNERS).to_string();
                a.responsible_unit = rng.pick(UNITS).to_string();
                a.due_date = format!("{due_year}-{:02}-{:02}", 3 + rng.below(9), 1 + rng.below(28));
                if l == Level::Partly {
                    a.comment = "Finns delvis; gäller inte alla verksamheter ännu.".into();
                }
            }
            a
        })
        .collect()
}

/// Seeds the three measurements for one municipality (submitted; most of them public).
/// `lead` holds the lead permission; `current` also starts this year's draft (Karlstad).
pub async fn seed(db: &Db, lead: &StaffUser, kommunkod: &str, current: Option<i32>, now: OffsetDateTime) -> anyhow::Result<()> {
    let e = |e: radhus_platform::error::Error| anyhow::anyhow!("maturity demo {kommunkod}: {e} {:?}", e.field_errors());
    // Two in three municipalities publish their own answers.
    let public = !hash(kommunkod).is_multiple_of(3) || kommunkod == "1780";
    for year in YEARS {
        let id = service::start(db, lead, year, Some("2017"), now).await.map_err(e)?;
        let cat = load(db, lead, id).await?;
        for area in &cat.areas {
            service::save_area(db, lead, id, &area.key, &answers_for(&cat, &area.key, kommunkod, year, year + 1), now).await.map_err(e)?;
        }
        service::submit(db, lead, id, now).await.map_err(e)?;
        if public {
            service::set_public(db, lead, id, true, now).await.map_err(e)?;
        }
    }
    if let Some(year) = current {
        let id = service::start(db, lead, year, None, now).await.map_err(e)?;
        let cat = load(db, lead, id).await?;
        // Two areas are left for the lead and a respondent to fill in.
        for area in cat.areas.iter().filter(|a| a.key != "barn" && a.key != "allmanheten") {
            service::save_area(db, lead, id, &area.key, &answers_for(&cat, &area.key, kommunkod, 2019, year + 1), now).await.map_err(e)?;
        }
    }
    Ok(())
}

/// Hands an area of the municipality's current draft to a respondent.
pub async fn assign_current(
    db: &Db,
    lead: &StaffUser,
    year: i32,
    area: &str,
    respondent: UserId,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let mut tx = db.read(Scope::Tenant(lead.tenant_id)).await?;
    let a = radhus_maturity::store::assessment_of_year(&mut tx, lead.tenant_id, year).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    let a = a.ok_or_else(|| anyhow::anyhow!("no {year} assessment"))?;
    service::assign(db, lead, a.id, area, Some(respondent), now).await.map_err(|e| anyhow::anyhow!("{e}"))
}

async fn load(db: &Db, s: &StaffUser, id: radhus_maturity::domain::AssessmentId) -> anyhow::Result<Catalogue> {
    let mut tx = db.read(Scope::Tenant(s.tenant_id)).await?;
    let a = service::readable(&mut tx, s, id).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let c = service::catalogue_of(&mut tx, &a).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    Ok(c)
}

/// The staff user (with grants) behind a demo account.
pub async fn staff(db: &Db, tenant: radhus_kernel::ids::TenantId, user: UserId) -> anyhow::Result<StaffUser> {
    let mut tx = db.read(Scope::Tenant(tenant)).await?;
    let s = users::staff_user(&mut tx, tenant, user).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    s.ok_or_else(|| anyhow::anyhow!("demo user inactive"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_answers_differ_between_municipalities_and_mostly_improve() {
        let cat = radhus_maturity::domain::parse_catalogue("2017", "x", include_str!("../../../data/eblomlada-2017.csv")).expect("cat");
        let total = |k: &str, y: i32| cat.indicators.iter().map(|i| level(k, &i.id, y).points()).sum::<i32>();
        let karlstad: Vec<i32> = YEARS.iter().map(|y| total("1780", *y)).collect();
        assert!(karlstad[0] < karlstad[2], "{karlstad:?}");
        let all_2018: Vec<i32> = crate::demo::municipalities().expect("csv").iter().map(|m| total(&m.kommunkod, 2018)).collect();
        let distinct: std::collections::HashSet<_> = all_2018.iter().collect();
        assert!(distinct.len() >= 10, "{all_2018:?}");
        // Plausible: most municipalities between half and nine tenths of the maximum.
        assert!(all_2018.iter().all(|t| (132..=238).contains(t)), "{all_2018:?}");
        // Every level occurs.
        let levels: std::collections::HashSet<_> = cat.indicators.iter().map(|i| level("1715", &i.id, 2017)).collect();
        assert_eq!(levels.len(), 3);
    }
}
