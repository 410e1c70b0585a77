//! Fictitious applicants for the demo: Swedish names, valid personnummer (ages 18–75 on the
//! election day), homes around the election's stations, wishes, availability, experience
//! and a few candidates, written and screened through the applications' own functions.

use radhus_kernel::Personnummer;
use radhus_kernel::personnummer::NumberKind;
use radhus_platform::db::{Db, Scope};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::applications::{self, ScreenInput, Valid};
use crate::structure::service::election_in;
use crate::structure::store;
use crate::support::audit::audit;
use crate::support::office::require_office;

/// A small deterministic generator (SplitMix64), so a seed gives the same people every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

const WOMEN: &[&str] = &[
    "Anna", "Eva", "Maria", "Karin", "Kristina", "Lena", "Sara", "Emma", "Ingrid", "Malin", "Elin", "Johanna", "Linnéa", "Sofia", "Ida",
    "Hanna", "Birgitta", "Marie", "Annika", "Ulla", "Astrid", "Maja", "Fatima", "Amina", "Leila", "Aino", "Jenny", "Camilla", "Gunilla",
    "Agneta", "Helena", "Frida", "Matilda", "Ebba", "Siv", "Yasmin", "Nadia", "Zeynep", "Hodan", "Ewa",
];
const MEN: &[&str] = &[
    "Lars", "Anders", "Johan", "Per", "Erik", "Karl", "Peter", "Mikael", "Jan", "Hans", "Nils", "Olof", "Gustav", "Oskar", "Axel",
    "Viktor", "Emil", "Magnus", "Stefan", "Mats", "Björn", "Göran", "Bengt", "Kent", "Ali", "Mohammed", "Ahmed", "Omar", "Yusuf", "Matti",
    "Jari", "Daniel", "Fredrik", "Henrik", "Tobias", "Samuel", "Arvid", "Leo", "Reza", "Dawit",
];
const FAMILY: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Lundgren",
    "Axelsson",
    "Sandberg",
    "Forsberg",
    "Sjöberg",
    "Holm",
    "Engström",
    "Ek",
    "Dahl",
    "Wallin",
    "Björk",
    "Nyström",
    "Hassan",
    "Ali",
    "Mohamed",
    "Ahmadi",
    "Korhonen",
    "Virtanen",
    "Nieminen",
    "Yilmaz",
    "Haile",
    "Kovačević",
    "Nowak",
    "Åberg",
    "Öberg",
];
const STREETS: &[&str] = &[
    "Storgatan",
    "Kyrkogatan",
    "Skolgatan",
    "Järnvägsgatan",
    "Ängsvägen",
    "Björkvägen",
    "Tallvägen",
    "Granvägen",
    "Sjövägen",
    "Parkvägen",
    "Östra vägen",
    "Västra gatan",
    "Lärkvägen",
    "Rönnvägen",
    "Industrigatan",
    "Hagalundsvägen",
    "Solvägen",
];
const LANGUAGES: &[&str] =
    &["arabiska", "finska", "somaliska", "engelska", "persiska", "tigrinja", "bosniska", "polska", "kurdiska", "spanska"];

fn ascii(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            'č' | 'ć' => 'c',
            c => c,
        })
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// Distance in km between two points (equirectangular; fine over a few km).
fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let dlat = (a.0 - b.0) * 111.195;
    let dlon = (a.1 - b.1) * 111.195 * a.0.to_radians().cos();
    (dlat * dlat + dlon * dlon).sqrt()
}

/// Creates `count` fictitious applicants for an election whose structure exists and screens
/// them: most accepted, a few reserve and rejected with reasons. Returns the accepted persons.
pub async fn seed_demo(db: &Db, s: &StaffUser, election: Uuid, count: usize, seed: u64, now: OffsetDateTime) -> Result<Vec<Uuid>> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, election).await?;
    let stations = store::stations(&mut tx, t, election).await?;
    let shifts = store::shifts(&mut tx, t, election).await?;
    if stations.is_empty() || shifts.is_empty() {
        return Err(Error::Conflict("el-applications-err-no-structure"));
    }
    let day_shifts: Vec<Uuid> = {
        let v: Vec<Uuid> = shifts.iter().filter(|x| x.day == el.election_day).map(|x| x.id).collect();
        if v.is_empty() { shifts.iter().map(|x| x.id).collect() } else { v }
    };
    let mut rng = Rng(seed ^ 0x005E_ED0F_DA7A);
    let mut used_pnr = std::collections::HashSet::new();
    let mut accepted = vec![];
    for n in 0..count {
        // Age 18–75 on the election day, a birth date that fits it.
        let age = 18 + rng.below(58) as i64;
        let born = el.election_day - Duration::days(age * 365 + age / 4 + 1 + rng.below(360) as i64);
        let female = rng.chance(50);
        let pnr = loop {
            let mut serial = 1 + rng.below(998) as u16;
            if serial.is_multiple_of(2) != female {
                serial = if serial >= 998 { serial - 1 } else { serial + 1 };
            }
            let p = Personnummer::from_parts(born, serial, NumberKind::Personnummer).map_err(|e| Error::Internal(e.to_string()))?;
            if used_pnr.insert(p) {
                break p;
            }
        };
        let given = (*rng.pick(if female { WOMEN } else { MEN })).to_string();
        let family = (*rng.pick(FAMILY)).to_string();
        let home_station = rng.pick(&stations);
        // Within ~5 km of a station.
        let (r, a) = (5.0 * rng.unit().sqrt(), rng.unit() * std::f64::consts::TAU);
        let lat = home_station.lat + r * a.sin() / 111.195;
        let lon = home_station.lon + r * a.cos() / (111.195 * home_station.lat.to_radians().cos());
        let city = home_station.address.rsplit_once(',').map(|(_, c)| c.trim().to_string()).filter(|c| !c.is_empty());
        let city = city.unwrap_or_else(|| home_station.name.split_whitespace().next().unwrap_or("").trim_end_matches('s').to_string());
        let mut near: Vec<(f64, Uuid)> = stations.iter().map(|x| (km((lat, lon), (x.lat, x.lon)), x.id)).collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        let wishes = 1 + rng.below(3);
        let stations_wished: Vec<Uuid> = near.iter().take(wishes).map(|x| x.1).collect();
        let shifts_avail = if day_shifts.len() > 1 && rng.chance(25) { vec![*rng.pick(&day_shifts)] } else { day_shifts.clone() };
        let mut experience = vec![];
        if rng.chance(40) {
            for year in [2018, 2022] {
                if year < el.election_day.year() && (year == 2022 || rng.chance(60)) {
                    let role = match rng.below(10) {
                        0 => "ordforande",
                        1 | 2 => "vice",
                        _ => "rostmottagare",
                    };
                    experience.push((year, role));
                }
            }
        }
        let mut roles = vec!["rostmottagare"];
        if experience.iter().any(|(_, r)| *r != "rostmottagare") || (!experience.is_empty() && rng.chance(30)) {
            roles.push(if rng.chance(50) { "ordforande" } else { "vice" });
        }
        let languages = if rng.chance(15) { (*rng.pick(LANGUAGES)).to_string() } else { String::new() };
        let candidate = rng.chance(3);
        let v = Valid {
            email: format!("{}.{}{}@example.com", ascii(&given), ascii(&family), n + 1),
            phone: format!("07{}-{:03} {:02} {:02}", [0, 2, 3, 6][rng.below(4)], rng.below(1000), rng.below(100), rng.below(100)),
            address: format!("{} {}", rng.pick(STREETS), 1 + rng.below(60)),
            postal_code: format!("6{:02} {:02}", 50 + rng.below(50), rng.below(100)),
            city,
            given_name: given,
            family_name: family,
            pnr,
            languages,
            roles,
            stations: stations_wished,
            shifts: shifts_avail,
            experience,
            candidate,
            message: String::new(),
        };
        let person = applications::store_application(&mut tx, t, election, &v, "form", now).await?;
        set_home(&mut tx, t, person, lat, lon).await?;
        let (decision, reason) = if candidate {
            if el.candidate_policy == "block" {
                ("rejected", "Kandiderar i valet och kan inte vara röstmottagare.")
            } else {
                ("accepted", "")
            }
        } else {
            match rng.below(100) {
                0..=3 => ("reserve", "Reserv: fler sökande än platser i de önskade lokalerna."),
                4..=5 => ("rejected", "Har inte svarat när valkansliet sökt kontakt."),
                6..=7 => ("received", ""),
                _ => ("accepted", ""),
            }
        };
        if decision != "received" {
            let f = ScreenInput { decision: decision.into(), reason: reason.into() };
            applications::screen_in_tx(&mut tx, s, election, person, &f, now).await?;
        }
        if decision == "accepted" {
            accepted.push(person);
        }
    }
    audit(&mut tx, s, "elections.applications.seeded", "el_election", election, serde_json::json!({ "count": count, "seed": seed }), now)
        .await?;
    tx.commit().await?;
    Ok(accepted)
}

async fn set_home(tx: &mut radhus_platform::db::Tx, t: radhus_kernel::ids::TenantId, person: Uuid, lat: f64, lon: f64) -> Result<()> {
    radhus_platform::on_tx!(tx, c => sqlx::query("UPDATE el_person SET lat = $3, lon = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(person).bind(lat).bind(lon).execute(c).await?.rows_affected());
    Ok(())
}
