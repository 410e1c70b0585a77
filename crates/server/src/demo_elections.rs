//! Demo election: the 2026 general elections (riksdag, region and kommun on 13 September) for
//! Kil, Arvika and Karlstad, made through the module's use cases: the structure (districts,
//! vallokaler, röstningslokaler with opening hours), shifts and positions, and then the areas'
//! own demo seeds (applicants, courses, material). Kil and Arvika are staffed by the optimiser
//! and most of their staff appointed; Karlstad's applicants wait for the office to press
//! "Bemanna automatiskt".

use radhus_elections::service::{self, DistrictInput, ElectionInput, OpeningInput, PositionsInput, ShiftInput, StationInput};
use radhus_platform::db::Db;
use radhus_platform::identity::session::StaffUser;
use time::OffsetDateTime;
use uuid::Uuid;

fn e(err: radhus_platform::error::Error) -> anyhow::Error {
    anyhow::anyhow!("{err}")
}

/// Districts and the town centre of the demo municipalities.
fn layout(slug: &str) -> Option<(usize, usize, f64, f64, &'static [&'static str])> {
    match slug {
        "kil" => Some((6, 1, 59.5035, 13.3190, &["Centrum", "Tingvalla", "Högsäter", "Fagerås", "Runnevål", "Stora Kil"])),
        "arvika" => Some((8, 2, 59.6553, 12.5852, &["Centrum", "Sulvik", "Haga", "Dottevik", "Ingestrand", "Jössefors", "Glava", "Edane"])),
        "karlstad" => Some((
            30,
            4,
            59.3793,
            13.5036,
            &[
                "Centrum",
                "Herrhagen",
                "Klara",
                "Haga",
                "Sundsta",
                "Gruvlyckan",
                "Kronoparken",
                "Rud",
                "Sandbäcken",
                "Kvarnberget",
                "Råtorp",
                "Orrholmen",
                "Kroppkärr",
                "Våxnäs",
                "Norrstrand",
                "Tingvalla",
                "Hagaborg",
                "Sommarro",
                "Gräsdalen",
                "Skåre",
                "Vålberg",
                "Väse",
                "Molkom",
                "Edsvalla",
                "Alster",
                "Ulvsby",
                "Vallargärdet",
                "Lamberget",
                "Bergvik",
                "Hammarö-väg",
            ],
        )),
        _ => None,
    }
}

const PLACES: &[&str] = &["skola", "församlingshem", "bibliotek", "medborgarhus", "idrottshall", "folkets hus"];

/// Creates the demo election with its structure; returns its id, or `None` for municipalities
/// without an election in the demo.
pub async fn seed(db: &Db, s: &StaffUser, slug: &str, kommunkod: &str, now: OffsetDateTime) -> anyhow::Result<Option<Uuid>> {
    let Some((districts, early, lat0, lon0, names)) = layout(slug) else { return Ok(None) };
    let id = service::create_election(
        db,
        s,
        &ElectionInput {
            kind: "riksdag".into(),
            name: "Valen 2026 (riksdag, region och kommun)".into(),
            election_day: "2026-09-13".into(),
            early_from: "2026-08-26".into(),
            early_to: "2026-09-13".into(),
            copy_from: String::new(),
        },
        now,
    )
    .await
    .map_err(e)?;
    let shifts = [("Förmiddag", "2026-09-13", "07:30", "14:00"), ("Eftermiddag och rösträkning", "2026-09-13", "13:30", "22:00")];
    let mut day_shifts = vec![];
    for (name, day, a, b) in shifts {
        day_shifts.push(
            service::add_shift(db, s, id, &ShiftInput { name: name.into(), day: day.into(), starts: a.into(), ends: b.into() }, now)
                .await
                .map_err(e)?,
        );
    }
    let early_days = ["2026-09-10", "2026-09-11", "2026-09-12"];
    let mut early_shifts = vec![];
    for d in early_days {
        early_shifts.push(
            service::add_shift(
                db,
                s,
                id,
                &ShiftInput { name: "Förtidsröstning".into(), day: d.into(), starts: "09:30".into(), ends: "18:30".into() },
                now,
            )
            .await
            .map_err(e)?,
        );
    }
    for n in 0..districts {
        let code = format!("{kommunkod}{:04}", n + 1);
        let name = names.get(n).copied().unwrap_or("Distrikt");
        service::add_district(
            db,
            s,
            kommunkod,
            id,
            &DistrictInput { code: code.clone(), name: name.into(), voters: format!("{}", 1200 + (n * 137) % 800), ..Default::default() },
            now,
        )
        .await
        .map_err(e)?;
        // Districts on a spiral around the centre, 0.8–6 km out.
        let angle = n as f64 * 2.39996;
        let r = 0.8 + 0.18 * n as f64;
        let (lat, lon) = (lat0 + r * angle.sin() / 111.2, lon0 + r * angle.cos() / (111.2 * lat0.to_radians().cos()));
        let st = service::add_station(
            db,
            s,
            id,
            &StationInput {
                kind: "vallokal".into(),
                name: format!("{} {}", name, PLACES[n % PLACES.len()]),
                address: format!("{}vägen {}", name, 2 + n % 17),
                lat: format!("{lat:.5}"),
                lon: format!("{lon:.5}"),
                district: code,
                premises: String::new(),
            },
            now,
        )
        .await
        .map_err(e)?;
        for (shift, roles) in day_shifts.iter().zip([[("ordforande", 1), ("rostmottagare", 2)], [("vice", 1), ("rostmottagare", 2)]]) {
            for (role, count) in roles {
                service::add_positions(
                    db,
                    s,
                    id,
                    st,
                    &PositionsInput { shift: shift.to_string(), role: role.into(), count: count.to_string(), language: String::new() },
                    now,
                )
                .await
                .map_err(e)?;
            }
        }
    }
    for n in 0..early {
        let (lat, lon) = (lat0 + 0.002 * n as f64, lon0 - 0.003 * n as f64);
        let st = service::add_station(
            db,
            s,
            id,
            &StationInput {
                kind: "rostningslokal".into(),
                name: if n == 0 { "Stadsbiblioteket".into() } else { format!("Medborgarkontoret {}", n) },
                address: format!("Storgatan {}", 10 + n),
                lat: format!("{lat:.5}"),
                lon: format!("{lon:.5}"),
                district: String::new(),
                premises: String::new(),
            },
            now,
        )
        .await
        .map_err(e)?;
        for (d, shift) in early_days.iter().zip(&early_shifts) {
            service::set_opening(db, s, id, st, &OpeningInput { day: (*d).into(), opens: "10:00".into(), closes: "18:00".into() }, now)
                .await
                .map_err(e)?;
            service::add_positions(
                db,
                s,
                id,
                st,
                &PositionsInput { shift: shift.to_string(), role: "rostmottagare".into(), count: "2".into(), language: String::new() },
                now,
            )
            .await
            .map_err(e)?;
        }
    }
    Ok(Some(id))
}
