//! Demo data: the 16 municipalities of Värmland on `<slug>.localhost`, an organisation
//! tree, roles and users for each, and a platform operator. Seeding is idempotent.

use radhus_kernel::ids::{OrgUnitId, RoleId, TenantId};
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::identity::org::{self, UnitKind, ValidUnit};
use radhus_platform::identity::permissions::{self, PLATFORM_PERMISSIONS};
use radhus_platform::identity::users::{self, ValidUser};
use radhus_platform::identity::{operators, password, roles};
use radhus_platform::tenancy::{self, TenantInput};
use time::OffsetDateTime;

/// The password of every demo account (documented in the README; demo only).
pub const DEMO_PASSWORD: &str = "Demo-losenord-2026";

/// The municipalities shipped with the project (`data/varmland-kommuner.csv`).
pub const MUNICIPALITIES_CSV: &str = include_str!("../../../data/varmland-kommuner.csv");

/// Brand colours, all with at least 4.5:1 contrast against white.
const COLORS: [&str; 16] = [
    "#005a9c", "#0b6e4f", "#8a1538", "#3d4f9f", "#7a3b00", "#1f5f7a", "#5b2a86", "#2f6b2f", "#9b2226", "#005f73", "#6a4c93", "#3a5a40",
    "#1d3557", "#7f4f24", "#264653", "#8d0801",
];

/// A förvaltning with its avdelningar, each with its enheter.
type Forvaltning = (&'static str, &'static [(&'static str, &'static [&'static str])]);

pub struct Summary {
    /// (who, e-mail, host)
    pub logins: Vec<(String, String, String)>,
}

pub struct CsvMunicipality {
    pub kommunkod: String,
    pub name: String,
    pub slug: String,
}

pub fn municipalities() -> anyhow::Result<Vec<CsvMunicipality>> {
    let mut out = vec![];
    for (i, line) in MUNICIPALITIES_CSV.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split(',').map(str::trim).collect();
        let [kommunkod, name, slug] = cols.as_slice() else {
            anyhow::bail!("varmland-kommuner.csv line {}: expected kommunkod,name,slug", i + 1);
        };
        out.push(CsvMunicipality { kommunkod: kommunkod.to_string(), name: name.to_string(), slug: slug.to_string() });
    }
    Ok(out)
}

fn logins(list: &[CsvMunicipality]) -> Summary {
    let mut logins =
        vec![("Platform operator (driftorganisation)".to_string(), "drift@radhus.localhost".to_string(), "localhost".to_string())];
    logins.push(("Karlstad: administrator".into(), "admin@karlstad.se".into(), "karlstad.localhost".into()));
    logins.push(("Karlstad: user admin of Stadsbyggnad".into(), "sara.ek@karlstad.se".into(), "karlstad.localhost".into()));
    logins.push(("Karlstad: caseworker (no admin rights)".into(), "omar.said@karlstad.se".into(), "karlstad.localhost".into()));
    logins.push(("Karlstad: caseworker in a work group".into(), "nils.ek@karlstad.se".into(), "karlstad.localhost".into()));
    logins.push(("Karlstad: digitalisation lead (eBlomlåda)".into(), "aisha.noor@karlstad.se".into(), "karlstad.localhost".into()));
    logins.push(("Karlstad: eBlomlåda respondent (Barn & elever)".into(), "linnea.dahl@karlstad.se".into(), "karlstad.localhost".into()));
    logins.push(("Karlstad: committee secretary (KS)".into(), "johan.berg@karlstad.se".into(), "karlstad.localhost".into()));
    logins.push(("Karlstad: KS chair (adjusts the minutes)".into(), "anna.wik@karlstad.se".into(), "karlstad.localhost".into()));
    for m in list.iter().filter(|m| m.slug != "karlstad").take(3) {
        logins.push((format!("{}: administrator", m.name), format!("admin@{}.se", m.slug), format!("{}.localhost", m.slug)));
    }
    logins.push(("Every other municipality: administrator".into(), "admin@<slug>.se".into(), "<slug>.localhost".into()));
    Summary { logins }
}

/// Loads the demo data unless municipalities already exist.
pub async fn seed(db: &Db, now: OffsetDateTime) -> anyhow::Result<Summary> {
    let list = municipalities()?;
    let mut tx = db.read(Scope::Platform).await?;
    let existing = tenancy::list(&mut tx).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    if !existing.is_empty() {
        return Ok(logins(&list));
    }
    let hash = password::hash(DEMO_PASSWORD).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    radhus_eservices::catalogue::load_starter_bank(db, now).await.map_err(|e| anyhow::anyhow!("starter bank: {e}"))?;
    let mut tx = db.write(Scope::Platform).await?;
    operators::create(&mut tx, "drift@radhus.localhost", "Driftcentralen", &hash, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    audit::record(&mut tx, None, &Actor::system(), Event::new("demo.seeded", "platform", "-"), now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    for (i, m) in list.iter().enumerate() {
        seed_municipality(db, m, COLORS[i % COLORS.len()], &hash, now).await?;
    }
    // Astrid Lindqvist (the test e-ID's first person) is told about her cases by e-mail.
    let astrid: radhus_kernel::Personnummer = "19850315-2384".parse().map_err(|_| anyhow::anyhow!("pnr"))?;
    let index = radhus_platform::pii::index(&astrid).map_err(|e| anyhow::anyhow!("{e}"))?;
    let settings = radhus_mycases::settings::parse("email", "astrid.lindqvist@example.se", "", "sv").map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut tx = db.write(Scope::System).await?;
    radhus_mycases::settings::save(&mut tx, &index, &settings, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    Ok(logins(&list))
}

async fn seed_municipality(db: &Db, m: &CsvMunicipality, color: &str, hash: &str, now: OffsetDateTime) -> anyhow::Result<TenantId> {
    let e = |e: radhus_platform::error::Error| anyhow::anyhow!("{}: {e} {:?}", m.name, e.field_errors());
    let input = TenantInput {
        kommunkod: m.kommunkod.clone(),
        name: m.name.clone(),
        slug: m.slug.clone(),
        primary_color: color.to_string(),
        contact_email: format!("kommun@{}.se", m.slug),
        contact_phone: format!("{}-{}0 00 00", area_code(&m.slug), m.kommunkod.get(2..).unwrap_or("00")),
        address: format!("Kommunhuset, {}", m.name),
        website: format!("https://www.{}.se", m.slug),
        hosts: format!("{}.localhost", m.slug),
    };
    let v = input.validate().map_err(e)?;
    let mut tx = db.write(Scope::Platform).await?;
    let tenant = tenancy::create(&mut tx, &v, now).await.map_err(e)?;
    tx.commit().await?;

    let mut tx = db.write(Scope::Tenant(tenant)).await?;
    let admin_role = ensure_admin_role(&mut tx, tenant, now).await?;
    let user_admin_role = roles::create(
        &mut tx,
        tenant,
        "Användaradministratör",
        "Administrerar användare inom sin förvaltning",
        &[permissions::ADMIN_USERS.to_string()],
        now,
    )
    .await
    .map_err(e)?;
    let handle = [radhus_cases::service::READ.to_string(), radhus_cases::service::HANDLE.to_string()];
    roles::create(&mut tx, tenant, "Handläggare", "Handlägger ärenden inom sin enhet", &handle, now).await.map_err(e)?;
    let register = [radhus_cases::service::READ.to_string(), radhus_cases::service::REGISTER.to_string()];
    let registrar_role =
        roles::create(&mut tx, tenant, "Registrator", "Registrerar inkommande handlingar och ärenden i hela kommunen", &register, now)
            .await
            .map_err(e)?;
    let manage = [
        radhus_cases::service::READ.to_string(),
        radhus_cases::service::HANDLE.to_string(),
        radhus_cases::service::DISTRIBUTE.to_string(),
        radhus_cases::service::REOPEN.to_string(),
    ];
    let manager_role =
        roles::create(&mut tx, tenant, "Chef", "Leder en förvaltning eller enhet: ser och fördelar dess ärenden", &manage, now)
            .await
            .map_err(e)?;
    let lead = [radhus_maturity::service::LEAD.to_string(), radhus_maturity::service::ANSWER.to_string()];
    let lead_role = roles::create(
        &mut tx,
        tenant,
        "Digitaliseringsansvarig",
        "Ansvarar för kommunens självvärdering i eBlomlådan: startar, fördelar, lämnar in och publicerar",
        &lead,
        now,
    )
    .await
    .map_err(e)?;
    let respondent = [radhus_maturity::service::ANSWER.to_string()];
    let respondent_role = roles::create(
        &mut tx,
        tenant,
        "eBlomlåda-respondent",
        "Besvarar de områden i eBlomlådan som digitaliseringsansvarig fördelat",
        &respondent,
        now,
    )
    .await
    .map_err(e)?;
    let tree: &[Forvaltning] = if m.slug == "karlstad" {
        &[
            (
                "Kommunledningsförvaltningen",
                &[
                    ("Kansliavdelningen", &["Registratur", "Nämndadministration"]),
                    ("Ekonomiavdelningen", &[]),
                    ("HR-avdelningen", &[]),
                    ("IT-avdelningen", &["Digitaliseringsenheten"]),
                ],
            ),
            ("Stadsbyggnadsförvaltningen", &[("Bygglovsavdelningen", &["Bygglovsenheten", "Tillsynsenheten"]), ("Planavdelningen", &[])]),
            ("Barn- och ungdomsförvaltningen", &[("Förskoleavdelningen", &[]), ("Grundskoleavdelningen", &[])]),
            ("Vård- och omsorgsförvaltningen", &[("Hemtjänstavdelningen", &[])]),
            ("Teknik- och fastighetsförvaltningen", &[("Gatuavdelningen", &[])]),
            ("Miljöförvaltningen", &[("Livsmedelsavdelningen", &[])]),
        ]
    } else {
        &[
            ("Kommunledningsförvaltningen", &[("Kansliavdelningen", &["Registratur"])]),
            ("Samhällsbyggnadsförvaltningen", &[("Bygg- och miljöavdelningen", &["Bygglovsenheten"])]),
            ("Barn- och utbildningsförvaltningen", &[]),
            ("Socialförvaltningen", &[]),
        ]
    };
    let mut units: Vec<(String, OrgUnitId)> = vec![];
    for (f, avdelningar) in tree {
        let fid = org::create(
            &mut tx,
            tenant,
            &ValidUnit { name: f.to_string(), kind: UnitKind::Forvaltning, code: String::new(), parent: None },
            now,
        )
        .await
        .map_err(e)?;
        units.push((f.to_string(), fid));
        for (a, enheter) in *avdelningar {
            let aid = org::create(
                &mut tx,
                tenant,
                &ValidUnit { name: a.to_string(), kind: UnitKind::Avdelning, code: String::new(), parent: Some(fid) },
                now,
            )
            .await
            .map_err(e)?;
            units.push((a.to_string(), aid));
            for en in *enheter {
                let eid = org::create(
                    &mut tx,
                    tenant,
                    &ValidUnit { name: en.to_string(), kind: UnitKind::Enhet, code: String::new(), parent: Some(aid) },
                    now,
                )
                .await
                .map_err(e)?;
                units.push((en.to_string(), eid));
            }
        }
    }
    if m.slug == "karlstad"
        && let Some(parent) = units.iter().find(|(n, _)| n == "Bygglovsenheten").map(|(_, id)| *id)
    {
        let name = "Bygglov centrum";
        let gid = org::create(
            &mut tx,
            tenant,
            &ValidUnit { name: name.into(), kind: UnitKind::Arbetsgrupp, code: String::new(), parent: Some(parent) },
            now,
        )
        .await
        .map_err(e)?;
        units.push((name.to_string(), gid));
    }
    let unit = |name: &str| units.iter().find(|(n, _)| n == name).map(|(_, id)| *id);
    let user = |email: String, name: &str, u: Option<OrgUnitId>| ValidUser { email, name: name.to_string(), org_unit: u, active: true };
    let (mut lead_user, mut respondent_user) = (None, None);
    let admin = users::create(&mut tx, tenant, &user(format!("admin@{}.se", m.slug), "Karin Lund", unit("Kansliavdelningen")), hash, now)
        .await
        .map_err(e)?;
    roles::assign(&mut tx, tenant, admin, admin_role, None, now).await.map_err(e)?;
    if m.slug == "karlstad" {
        let sara =
            users::create(&mut tx, tenant, &user("sara.ek@karlstad.se".into(), "Sara Ek", unit("Stadsbyggnadsförvaltningen")), hash, now)
                .await
                .map_err(e)?;
        roles::assign(&mut tx, tenant, sara, user_admin_role, unit("Stadsbyggnadsförvaltningen"), now).await.map_err(e)?;
        let people = [
            ("omar.said@karlstad.se", "Omar Said", "Bygglovsenheten"),
            ("per.andersson@karlstad.se", "Per Andersson", "Registratur"),
            ("lena.holm@karlstad.se", "Lena Holm", "Tillsynsenheten"),
            ("johan.berg@karlstad.se", "Johan Berg", "Nämndadministration"),
            ("aisha.noor@karlstad.se", "Aisha Noor", "Digitaliseringsenheten"),
            ("mats.lindgren@karlstad.se", "Mats Lindgren", "Livsmedelsavdelningen"),
            ("nils.ek@karlstad.se", "Nils Ek", "Bygglov centrum"),
        ];
        let handlaggare = roles::list(&mut tx, tenant).await.map_err(e)?.into_iter().find(|r| r.name == "Handläggare").map(|r| r.id);
        for (email, name, u) in people {
            let id = users::create(&mut tx, tenant, &user(email.into(), name, unit(u)), hash, now).await.map_err(e)?;
            if email.starts_with("per.andersson") {
                roles::assign(&mut tx, tenant, id, registrar_role, None, now).await.map_err(e)?;
            } else if email.starts_with("aisha.noor") {
                roles::assign(&mut tx, tenant, id, lead_role, None, now).await.map_err(e)?;
                lead_user = Some(id);
            } else if let Some(r) = handlaggare {
                // A work group's caseworkers handle the cases of the whole unit above it.
                let scope = if u == "Bygglov centrum" { unit("Bygglovsenheten") } else { unit(u) };
                roles::assign(&mut tx, tenant, id, r, scope, now).await.map_err(e)?;
            }
        }
        let chef = users::create(&mut tx, tenant, &user("eva.lind@karlstad.se".into(), "Eva Lind", unit("Bygglovsavdelningen")), hash, now)
            .await
            .map_err(e)?;
        roles::assign(&mut tx, tenant, chef, manager_role, unit("Stadsbyggnadsförvaltningen"), now).await.map_err(e)?;
        let linnea = users::create(
            &mut tx,
            tenant,
            &user("linnea.dahl@karlstad.se".into(), "Linnea Dahl", unit("Grundskoleavdelningen")),
            hash,
            now,
        )
        .await
        .map_err(e)?;
        roles::assign(&mut tx, tenant, linnea, respondent_role, None, now).await.map_err(e)?;
        respondent_user = Some(linnea);
    }
    audit::record(&mut tx, Some(tenant), &Actor::system(), Event::new("demo.seeded", "tenant", tenant), now).await.map_err(e)?;
    tx.commit().await?;
    let cases = match m.slug.as_str() {
        "karlstad" => 300,
        "arvika" | "kil" => 30,
        _ => 0,
    };
    if cases > 0 {
        crate::demo_cases::seed(db, tenant, admin, cases, now).await?;
    }
    if m.slug == "karlstad" {
        crate::demo_cases::seed_citizen_story(db, tenant, admin, now).await?;
    }
    // E-services: the starter bank adopted, with Karlstad's, Kil's and Arvika's adaptations.
    crate::demo_eservices::seed(db, tenant, admin, &m.slug, &m.name, now).await?;
    // Committee administration: Karlstad's KS with a held, adjusted and posted meeting.
    if m.slug == "karlstad" {
        crate::demo_meetings::seed(db, tenant, admin, hash, now).await?;
    }
    // eBlomlåda: three years for everyone, this year's draft for Karlstad's digitalisation lead.
    let lead = crate::demo_maturity::staff(db, tenant, lead_user.unwrap_or(admin)).await?;
    let current = (m.slug == "karlstad").then(|| now.year());
    crate::demo_maturity::seed(db, &lead, &m.kommunkod, current, now).await?;
    if let (Some(year), Some(r)) = (current, respondent_user) {
        crate::demo_maturity::assign_current(db, &lead, year, "barn", r, now).await?;
    }
    // Elections: the 2026 general elections in Kil, Arvika and Karlstad.
    let office = crate::demo_maturity::staff(db, tenant, admin).await?;
    crate::demo_elections::seed(db, &office, &m.slug, &m.name, &m.kommunkod, now).await?;
    Ok(tenant)
}

/// The telephone area code (riktnummer) of the municipality's main town.
fn area_code(slug: &str) -> &'static str {
    match slug {
        "arvika" | "eda" => "0570",
        "torsby" => "0560",
        "sunne" => "0565",
        "kristinehamn" | "storfors" => "0550",
        "filipstad" => "0590",
        "hagfors" | "munkfors" => "0563",
        "saffle" => "0533",
        "arjang" => "0573",
        _ => "054",
    }
}

/// The municipality's "Administratör" role with every platform permission.
pub async fn ensure_admin_role(tx: &mut Tx, tenant: TenantId, now: OffsetDateTime) -> anyhow::Result<RoleId> {
    let existing = roles::list(tx, tenant).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(r) = existing.into_iter().find(|r| r.name == "Administratör") {
        return Ok(r.id);
    }
    let perms = all_permissions();
    roles::create(tx, tenant, "Administratör", "Administrerar kommunens organisation, användare, roller, mallar och diarier", &perms, now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Every permission a module offers: the demo's and the CLI's administrator role holds all.
pub fn all_permissions() -> Vec<String> {
    PLATFORM_PERMISSIONS
        .iter()
        .chain(radhus_cases::PERMISSIONS.iter())
        .chain(radhus_maturity::PERMISSIONS.iter())
        .chain(radhus_elections::PERMISSIONS.iter())
        .chain(radhus_meetings::PERMISSIONS.iter())
        .map(|p| p.key.to_string())
        .chain([radhus_eservices::ADMIN.to_string()])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_csv_has_all_16_municipalities_and_colours_pass_contrast() {
        let list = municipalities().expect("csv");
        assert_eq!(list.len(), 16);
        assert!(list.iter().any(|m| m.slug == "karlstad" && m.kommunkod == "1780"));
        for c in COLORS {
            let rgb = radhus_platform::tenancy::color::parse_hex(c).expect("hex");
            assert!(radhus_platform::tenancy::color::contrast_ratio(rgb, (255, 255, 255)) >= 4.5, "{c}");
        }
    }
}
