//! Demo election: the 2030 general elections (riksdag, region and kommun on 8 September) for
//! Kil, Arvika and Karlstad, made through the module's use cases: the structure (districts,
//! vallokaler, röstningslokaler with opening hours), shifts and positions, and then the areas'
//! own demo seeds (applicants, courses, material). Kil and Arvika are staffed by the optimiser
//! and most of their staff appointed; Karlstad's applicants wait for the office to press
//! "Bemanna automatiskt".

use radhus_elections::service::{self, DistrictInput, ElectionInput, OpeningInput, PositionsInput, ShiftInput, StationInput};
use std::collections::HashSet;

use radhus_elections::courses::CompletionInput;
use radhus_platform::db::{Db, Scope};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
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
pub async fn seed(db: &Db, s: &StaffUser, slug: &str, name: &str, kommunkod: &str, now: OffsetDateTime) -> anyhow::Result<Option<Uuid>> {
    let Some((districts, early, lat0, lon0, names)) = layout(slug) else { return Ok(None) };
    let id = service::create_election(
        db,
        s,
        &ElectionInput {
            kind: "riksdag".into(),
            // Named by all its parts, as the ballot papers and Valmyndigheten name it.
            name: format!(
                "{} 2030",
                radhus_elections::ElectionKind::combined_sv(&[
                    radhus_elections::ElectionKind::Riksdag,
                    radhus_elections::ElectionKind::Region,
                    radhus_elections::ElectionKind::Kommun,
                ])
            ),
            election_day: "2030-09-08".into(),
            early_from: "2030-08-21".into(),
            early_to: "2030-09-08".into(),
            copy_from: String::new(),
        },
        now,
    )
    .await
    .map_err(e)?;
    let shifts = [("Förmiddag", "2030-09-08", "07:30", "14:00"), ("Eftermiddag och rösträkning", "2030-09-08", "13:30", "22:00")];
    let mut day_shifts = vec![];
    for (name, day, a, b) in shifts {
        day_shifts.push(
            service::add_shift(db, s, id, &ShiftInput { name: name.into(), day: day.into(), starts: a.into(), ends: b.into() }, now)
                .await
                .map_err(e)?,
        );
    }
    let early_days = ["2030-09-05", "2030-09-06", "2030-09-07"];
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
    // The register of buildings and premises (from the shipped Värmland file).
    radhus_elections::registers::seed_demo_registers(db, s, now).await.map_err(e)?;
    // The public pages, the applicants (about 30 % more than positions), their courses.
    radhus_elections::pages::seed_demo_pages(db, s, now).await.map_err(e)?;
    let positions = districts * 6 + early * 6;
    radhus_elections::applications_seed::seed_demo(db, s, id, positions * 13 / 10, u64::from(kommunkod.parse::<u32>().unwrap_or(1)), now)
        .await
        .map_err(e)?;
    leaders_and_early_voting(db, s, id).await?;
    radhus_elections::courses::seed_demo(db, s, id, now).await.map_err(e)?;
    complete_elsewhere(db, s, id, now).await?;
    radhus_elections::material::seed_demo(db, s, id, now).await.map_err(e)?;
    service::save_settings(
        db,
        s,
        id,
        &service::SettingsInput {
            candidate_policy: "block".into(),
            applications_open: Some("1".into()),
            // The valnämnd's diary number (the letters' reference) and the day to answer by.
            diary_number: "VN 2029/4".into(),
            reply_deadline: "2030-08-16".into(),
        },
        now,
    )
    .await
    .map_err(e)?;
    // How the election office is reached, printed in the appointment letters.
    radhus_elections::settings::save(
        db,
        s,
        &radhus_elections::settings::SettingsInput {
            min_age: radhus_elections::settings::DEFAULT_MIN_AGE.to_string(),
            office_phone: "0554-191 00".into(),
            office_email: format!("valkansliet@{slug}.se"),
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(e)?;
    if slug != "karlstad" {
        radhus_elections::staffing::run_optimiser(db, s, id, false, now).await.map_err(e)?;
        if slug == "kil" {
            fixture_worker(db, s, id).await?;
        }
        radhus_elections::appointment::appoint_all(db, s, name, id, now).await.map_err(e)?;
    }
    Ok(Some(id))
}

/// The generated applicants are mostly new: a real office has a core of experienced leaders,
/// so a sixth of the experienced get an earlier term as vice ordförande in their history (the
/// register's import of earlier elections), and a third of everyone can also work the
/// early-voting days.
async fn leaders_and_early_voting(db: &Db, s: &StaffUser, id: Uuid) -> anyhow::Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let experienced: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT DISTINCT h.person_id FROM el_person_history h JOIN el_application a ON a.tenant_id = h.tenant_id AND a.person_id = h.person_id \
         WHERE h.tenant_id = $1 AND a.election_id = $2 AND h.role = 'rostmottagare' AND a.status = 'accepted' \
         AND NOT EXISTS (SELECT 1 FROM el_person_history x WHERE x.tenant_id = h.tenant_id AND x.person_id = h.person_id AND x.year = 2018) ORDER BY h.person_id")
        .bind(t.0).bind(id).fetch_all(c).await?);
    for (n, (p,)) in experienced.iter().enumerate() {
        if n % 3 == 0 {
            on_tx!(&mut tx, c => sqlx::query("INSERT INTO el_person_history (tenant_id, person_id, year, role, place) VALUES ($1, $2, 2018, 'vice', '')")
                .bind(t.0).bind(*p).execute(c).await?.rows_affected());
        }
    }
    let early: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id FROM el_shift WHERE tenant_id = $1 AND election_id = $2 AND name = 'Förtidsröstning'").bind(t.0).bind(id).fetch_all(c).await?);
    let people: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT person_id FROM el_application WHERE tenant_id = $1 AND election_id = $2 ORDER BY person_id").bind(t.0).bind(id).fetch_all(c).await?);
    for (n, (p,)) in people.iter().enumerate() {
        if n % 3 != 1 {
            continue;
        }
        for (sh,) in &early {
            on_tx!(&mut tx, c => sqlx::query("INSERT INTO el_availability (tenant_id, election_id, person_id, shift_id) VALUES ($1, $2, $3, $4)")
                .bind(t.0).bind(id).bind(*p).bind(*sh).execute(c).await?.rows_affected());
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The course sessions have room for about 140: the other accepted applicants did
/// Valmyndigheten's web course, which the office records with a note — all but every ninth,
/// so the rule "no appointment without the course" has someone to show.
async fn complete_elsewhere(db: &Db, s: &StaffUser, id: Uuid, now: OffsetDateTime) -> anyhow::Result<()> {
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let completed = radhus_elections::courses::completed_courses(&mut tx, t, id).await.map_err(e)?;
    let done: HashSet<Uuid> = completed.iter().map(|(p, _)| *p).collect();
    let leader_done: HashSet<Uuid> = completed.iter().filter(|(_, k)| k == "ordforande").map(|(p, _)| *p).collect();
    let courses: Vec<(Uuid, String)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT id, course_key FROM el_course WHERE tenant_id = $1 AND election_id = $2")
        .bind(t.0).bind(id).fetch_all(c).await?);
    let people: Vec<(Uuid, bool)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT a.person_id, EXISTS (SELECT 1 FROM el_person_history h WHERE h.tenant_id = a.tenant_id AND h.person_id = a.person_id) \
         FROM el_application a WHERE a.tenant_id = $1 AND a.election_id = $2 AND a.status = 'accepted' ORDER BY a.person_id")
        .bind(t.0).bind(id).fetch_all(c).await?);
    tx.commit().await?;
    let course = |key: &str| courses.iter().find(|(_, k)| k == key).map(|(c, _)| c.to_string()).unwrap_or_default();
    for (n, (person, experienced)) in people.into_iter().filter(|(p, x)| !done.contains(p) || (*x && !leader_done.contains(p))).enumerate()
    {
        if n % 9 == 8 {
            continue;
        }
        let f = CompletionInput {
            course: course(if experienced { "ordforande" } else { "grund" }),
            enrol_person: person.to_string(),
            note: "Valmyndighetens webbutbildning, intyg uppvisat".into(),
        };
        radhus_elections::courses::complete_directly(db, s, id, &f, now).await.map_err(e)?;
    }
    Ok(())
}

/// Kil's demo poll worker who can log in with the test e-ID: one placed applicant takes the
/// identity of the fixture register's Erik Johansson (19720901-4419, folkbokförd in Kil), so
/// the worker's pages show a real assignment, colleagues, courses and the letter.
async fn fixture_worker(db: &Db, s: &StaffUser, id: Uuid) -> anyhow::Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let placed: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT a.person_id FROM el_assignment a JOIN el_position p ON p.tenant_id = a.tenant_id AND p.election_id = a.election_id AND p.id = a.position_id \
         WHERE a.tenant_id = $1 AND a.election_id = $2 AND p.role = 'rostmottagare' ORDER BY p.station_id, a.person_id LIMIT 1")
        .bind(t.0).bind(id).fetch_optional(c).await?);
    // The browser tests log in as this worker: a demo without the assignment is an error.
    let Some((person,)) = placed else { anyhow::bail!("the demo's optimiser placed no röstmottagare in Kil for the fixture worker") };
    let born = time::Date::from_calendar_date(1972, time::Month::September, 1)?;
    // Sealed with its blind index like every number in the register (ADR 0018).
    let pnr = radhus_platform::pii::seal_str("19720901-4419")?;
    on_tx!(&mut tx, c => sqlx::query(
        "UPDATE el_person SET pnr_sealed = $4, pnr_index = $5, given_name = 'Erik', family_name = 'Johansson', birth_date = $3, \
         email = 'erik.johansson@example.se', address = 'Storgatan 4', postal_code = '665 30', city = 'Kil' WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(person).bind(born).bind(&pnr.sealed).bind(&pnr.index).execute(c).await?.rows_affected());
    tx.commit().await?;
    Ok(())
}
