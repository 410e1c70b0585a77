//! Demo data of the registers: the buildings and premises of the municipality's polling places
//! in the shipped (generated) Värmland file, made through the registers' own use cases.

use radhus_platform::db::{Db, Scope};
use radhus_platform::error::Result;
use radhus_platform::identity::session::StaffUser;
use time::OffsetDateTime;

use super::service::{self, BuildingInput, PremisesInput};
use uuid::Uuid;

use crate::registers::import::{self, Choice, Kind};
use crate::registers::valimport;

const ACCESS: [&str; 4] = [
    "Entré i markplan utan trappsteg, handikapptoalett, parkering för rörelsehindrade vid entrén.",
    "Ramp vid huvudentrén, hiss till övre planet, handikapptoalett.",
    "Entré i markplan; dörröppnare; teleslinga i stora salen.",
    "Två trappsteg vid entrén, mobil ramp finns; handikapptoalett i källarplanet med hiss.",
];

/// Fills the registers of the caller's municipality with a building and a premises for every
/// vallokal and röstningslokal of the shipped file; premises already in the register (same
/// name) are left as they are. Linking happens when the structure is imported afterwards.
pub async fn seed_demo_registers(db: &Db, s: &StaffUser, now: OffsetDateTime) -> Result<()> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let kommunkod = radhus_platform::tenancy::get(&mut tx, t).await?.kommunkod;
    let existing: Vec<String> = super::store::premises_list(&mut tx, t).await?.into_iter().map(|p| p.name.to_lowercase()).collect();
    tx.commit().await?;
    let mut n = 0usize;
    for (kind, file) in [(Kind::Vallokaler, valimport::DEMO_VALLOKALER), (Kind::Rostningslokaler, valimport::DEMO_ROSTNINGSLOKALER)] {
        let table = import::read_table("demo.json", file.as_bytes(), true)?;
        for (_, r) in import::records(&table, kind.columns())? {
            if valimport::row_kommunkod(&r).as_deref() != Some(kommunkod.as_str()) {
                continue;
            }
            let g = |k: &str| r.get(k).cloned().unwrap_or_default();
            let name = g("valimport_name");
            if existing.contains(&name.to_lowercase()) {
                continue;
            }
            let building =
                service::create_building(db, s, &BuildingInput { name: name.clone(), address: g("address"), notes: String::new() }, now)
                    .await?;
            let big = kind == Kind::Rostningslokaler || n.is_multiple_of(3);
            service::create_premises(
                db,
                s,
                &PremisesInput {
                    building: building.to_string(),
                    name: name.clone(),
                    address: g("address"),
                    postal_code: g("reg_postal_code"),
                    city: g("reg_city"),
                    lat: g("lat"),
                    lon: g("lon"),
                    accessibility: ACCESS[n % ACCESS.len()].into(),
                    capacity: if big { "120".into() } else { "60".into() },
                    keys: format!(
                        "Nyckel och larmkod hos fastighetsskötaren; hämtas på kommunhuset senast dagen före. Nyckelnummer {}.",
                        100 + n
                    ),
                    contact_name: ["Eva Lindqvist", "Lars Nilsson", "Karin Berg", "Anders Olsson"][n % 4].into(),
                    contact_phone: format!("070-{:03} {:02} {:02}", 200 + n * 7 % 700, n * 13 % 100, n * 31 % 100),
                    notes: if kind == Kind::Rostningslokaler {
                        "Förtidsröstning i entréhallen; skärmar och valsedelsställ förvaras i förrådet.".into()
                    } else {
                        "Stora salen används; borden ställs upp av vaktmästaren dagen före valdagen.".into()
                    },
                },
                now,
            )
            .await?;
            n += 1;
        }
    }
    Ok(())
}

/// Imports the shipped Värmland files (vallokaler and röstningslokaler) for a municipality into
/// an election through the same import as the office's, keeping only rows without problems.
/// Returns how many polling stations were created or updated.
pub async fn import_demo_structure(db: &Db, s: &StaffUser, kommunkod: &str, election: Uuid, now: OffsetDateTime) -> Result<usize> {
    let mut n = 0;
    for (kind, file, name) in [
        (Kind::Vallokaler, valimport::DEMO_VALLOKALER, "vallokaler-varmland-2026.json"),
        (Kind::Rostningslokaler, valimport::DEMO_ROSTNINGSLOKALER, "rostningslokaler-varmland-2026.json"),
    ] {
        let id = import::stage(db, s, kind, Some(election), kommunkod, name, file.as_bytes(), now).await?;
        let out = import::apply(db, s, id, Some(election), Choice::Good, now).await?;
        n += out.created + out.updated;
    }
    Ok(n)
}
