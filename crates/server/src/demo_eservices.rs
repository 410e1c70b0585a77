//! Demo e-services: every demo municipality adopts the starter bank of the shared catalogue,
//! each service becoming a case type of its own routed to the municipality's registry office
//! (building permits and food registrations go to the demo's existing case types). A few
//! adapt what they adopt: Karlstad sets its own fee for building permits, Kil hides an option
//! of the parking permit, Arvika adds an FAQ item of its own. Hammarö has an own e-service
//! built with the form builder. Made through the same use cases as the pages.

use radhus_cases::service as cases;
use radhus_eservices::catalogue;
use radhus_eservices::form::{self, Definition, FieldKind, Lock};
use radhus_eservices::service::{self, AdoptInput};
use radhus_kernel::ids::{TenantId, UserId};
use radhus_platform::audit::Actor;
use radhus_platform::db::{Db, Scope};
use radhus_platform::identity::{org, users};
use time::OffsetDateTime;

/// The demo's existing case types that a shared service becomes instead of one of its own.
const EXISTING: &[(&str, &str)] = &[("bygglov", "Bygglov"), ("livsmedelsregistrering", "Registrering av livsmedelsanläggning")];

/// Services whose submissions are secret from the start (socialtjänstsekretess).
const SECRET: &[(&str, &str)] = &[("ekonomiskt-bistand", "OSL 26 kap. 1 §")];

/// The municipality's overrides of a shared service in the demo.
fn overrides(slug: &str, name: &str, def: &Definition) -> form::Overrides {
    let mut o = form::Overrides::default();
    // Parts the shared owner asks every municipality to give its own.
    for (part, lock) in &def.locks {
        if *lock != Lock::MustOverride {
            continue;
        }
        match part.as_str() {
            "contact" => o.contact = Some(form::Text::sv(format!("Kontaktcenter, {name} kommun, kommun@{slug}.se"))),
            "fee" => o.fee = def.fee.clone(),
            "handling_days" => o.handling_days = def.handling_days,
            "handling" => o.handling = def.handling.clone(),
            _ => {}
        }
    }
    match (slug, def.key.as_str()) {
        ("karlstad", "bygglov") => {
            o.fee = Some(form::Fee {
                amount: Some(14_500),
                expr: None,
                note: Some(form::Text::sv("Karlstads kommuns plan- och bygglovstaxa 2026, för ett enbostadshus.")),
            });
        }
        ("kil", key) if key.starts_with("parkering") => {
            // Kil does not offer the last choice of the permit's first choice with several options.
            let choice = def.fields().map(|(_, f)| f).find(|f| f.kind == FieldKind::Choice && f.options.len() >= 3);
            if let Some(f) = choice
                && let Some(last) = f.options.last()
            {
                let fo = form::FieldOverride { hide_options: vec![last.value.clone()], ..Default::default() };
                o.fields.insert(f.id.clone(), fo);
            }
        }
        ("arvika", "bygglov") => o.faq.push(form::Faq {
            id: "arvika_bygglovsdag".into(),
            question: form::Text::sv("Kan jag få hjälp innan jag ansöker?"),
            answer: form::Text::sv("Ja. Arvika kommun har öppen bygglovsrådgivning varje tisdag klockan 13–15 i stadshusets reception."),
        }),
        _ => {}
    }
    o
}

/// Adopts every service of the shared catalogue in municipality `tenant` (already adopted ones
/// are left alone).
pub async fn seed(db: &Db, tenant: TenantId, admin: UserId, slug: &str, name: &str, now: OffsetDateTime) -> anyhow::Result<()> {
    let e = |e: radhus_platform::error::Error| anyhow::anyhow!("demo e-services: {e} {:?}", e.field_errors());
    let mut tx = db.read(Scope::Tenant(tenant)).await?;
    let staff = users::staff_user(&mut tx, tenant, admin).await.map_err(e)?.ok_or_else(|| anyhow::anyhow!("demo admin missing"))?;
    let units = org::tree(&mut tx, tenant).await.map_err(e)?;
    let registries = radhus_cases::store::registries(&mut tx, tenant).await.map_err(e)?;
    let mut types = radhus_cases::store::case_types(&mut tx, tenant).await.map_err(e)?;
    let shared = radhus_eservices::store::shared_list(&mut tx).await.map_err(e)?;
    let adopted = radhus_eservices::store::adoptions(&mut tx, tenant).await.map_err(e)?;
    tx.commit().await?;
    let unit = units
        .iter()
        .find(|u| u.name == "Registratur")
        .or_else(|| units.iter().find(|u| u.name == "Kansliavdelningen"))
        .ok_or_else(|| anyhow::anyhow!("demo e-services: no registry office in {slug}"))?
        .id;
    let ks = match registries.iter().find(|r| r.code == "KS") {
        Some(r) => r.id,
        None => cases::create_registry(db, &staff, "KS", "Kommunstyrelsen", "", now).await.map_err(e)?,
    };
    let actor = Actor::of(&radhus_platform::identity::session::Principal::Staff(staff.clone()));
    for s in shared {
        if adopted.iter().any(|a| a.service_key == s.key) {
            continue;
        }
        let def = catalogue::parse_stored(&s.definition).map_err(e)?;
        let title = def.title.get(radhus_kernel::Lang::Sv).to_string();
        let wanted = EXISTING.iter().find(|(k, _)| *k == s.key).map_or(title.as_str(), |(_, n)| *n);
        let ct = match types.iter().find(|c| c.name == wanted && c.default_unit_id.is_some()) {
            Some(c) => c.id,
            None => {
                let days = def.handling_days.map_or(30, |d| i32::try_from(d).unwrap_or(30));
                let ct = cases::create_case_type(db, &staff, &title, ks, None, days, now).await.map_err(e)?;
                cases::set_routing(db, &staff, ct, Some(unit.0), None, now).await.map_err(e)?;
                let mut tx = db.read(Scope::Tenant(tenant)).await?;
                types = radhus_cases::store::case_types(&mut tx, tenant).await.map_err(e)?;
                tx.commit().await?;
                ct
            }
        };
        let o = overrides(slug, name, &def);
        if let Err(problems) = form::apply(&def, &o) {
            anyhow::bail!("demo e-services: {slug} cannot adopt {}: {problems:?}", s.key);
        }
        let input = AdoptInput {
            overrides: serde_json::to_string(&o)?,
            case_type: ct.to_string(),
            public_title: title.clone(),
            secrecy_ground: SECRET.iter().find(|(k, _)| *k == s.key).map(|(_, g)| g.to_string()).unwrap_or_default(),
            status: "published".into(),
            // A map order is registered once paid (an order, not an application to decide);
            // every other service registers at once and waits for payment.
            register_on: if s.key == "nybyggnadskarta" { "payment" } else { "submit" }.into(),
        };
        let mut tx = db.write(Scope::Tenant(tenant)).await?;
        service::adopt(&mut tx, tenant, &s.key, &input, &actor, now).await.map_err(e)?;
        tx.commit().await?;
    }
    if slug == "hammaro" {
        own_service(db, tenant, (ks, unit), &staff, now).await?;
    }
    Ok(())
}

/// Hammarö's own e-service, built with the form builder's use cases as its administrator
/// would in the pages: *Boka lokal för förening*, two steps, a required text, a choice and a
/// step shown only for the large hall. Left alone when it exists.
async fn own_service(
    db: &Db,
    tenant: TenantId,
    (ks, unit): (uuid::Uuid, radhus_kernel::ids::OrgUnitId),
    staff: &radhus_platform::identity::session::StaffUser,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    use radhus_eservices::builder::{self, FieldInput, NewField, NewService, Settings, StepInput};
    const KEY: &str = "boka-lokal";
    let e = |e: radhus_platform::error::Error| anyhow::anyhow!("demo own e-service: {e} {:?}", e.field_errors());
    let mut tx = db.read(Scope::Tenant(tenant)).await?;
    let exists = radhus_eservices::store::adoption(&mut tx, tenant, KEY).await.map_err(e)?.is_some();
    tx.commit().await?;
    if exists {
        return Ok(());
    }
    let ct = cases::create_case_type(db, staff, "Lokalbokning för förening", ks, None, 14, now).await.map_err(e)?;
    cases::set_routing(db, staff, ct, Some(unit.0), None, now).await.map_err(e)?;
    let actor = Actor::of(&radhus_platform::identity::session::Principal::Staff(staff.clone()));
    let mut tx = db.write(Scope::Tenant(tenant)).await?;
    let new = NewService {
        key: KEY.into(),
        title: "Boka lokal för förening".into(),
        summary: "Föreningar i Hammarö bokar kommunens samlingslokaler för möten och arrangemang.".into(),
        case_type: ct.to_string(),
        public_title: "Bokning av lokal för förening".into(),
    };
    builder::create(&mut tx, tenant, &new, &actor, now).await.map_err(e)?;
    let settings = Settings {
        title: new.title.clone(),
        summary: new.summary.clone(),
        eblomlada: "EB17-78".into(),
        handling: "Fritidsavdelningen bekräftar bokningen eller hör av sig inom två veckor.".into(),
        handling_days: "14".into(),
        contact: "Fritidsavdelningen, 054-51 50 00".into(),
        case_type: ct.to_string(),
        public_title: new.public_title.clone(),
        status: "published".into(),
        register_on: "submit".into(),
        ..Default::default()
    };
    builder::save_settings(&mut tx, tenant, KEY, &settings, &actor, now).await.map_err(e)?;
    let step = |title: &str, visible_if: &str| StepInput { title: title.into(), intro: String::new(), visible_if: visible_if.into() };
    builder::edit_step(&mut tx, tenant, KEY, "steg_1", &step("Om föreningen", ""), &actor, now).await.map_err(e)?;
    let field = |label: &str| FieldInput { label: label.into(), required: "ja".into(), ..Default::default() };
    let add = |kind: &str, label: &str| NewField { kind: kind.into(), label: label.into() };
    let name = builder::add_field(&mut tx, tenant, KEY, "steg_1", &add("text", "Föreningens namn"), &actor, now).await.map_err(e)?;
    builder::edit_field(&mut tx, tenant, KEY, &name, &FieldInput { max_length: "120".into(), ..field("Föreningens namn") }, &actor, now)
        .await
        .map_err(e)?;
    let mail = builder::add_field(&mut tx, tenant, KEY, "steg_1", &add("email", "E-postadress"), &actor, now).await.map_err(e)?;
    builder::edit_field(&mut tx, tenant, KEY, &mail, &field("E-postadress"), &actor, now).await.map_err(e)?;
    let room = builder::add_field(&mut tx, tenant, KEY, "steg_1", &add("choice", "Vilken lokal?"), &actor, now).await.map_err(e)?;
    let rooms = FieldInput { options: "sal | Stora salen, Hammarö kulturhus\nrum | Mötesrum, Skoghall".into(), ..field("Vilken lokal?") };
    builder::edit_field(&mut tx, tenant, KEY, &room, &rooms, &actor, now).await.map_err(e)?;
    let day = builder::add_field(&mut tx, tenant, KEY, "steg_1", &add("date", "Vilken dag?"), &actor, now).await.map_err(e)?;
    builder::edit_field(
        &mut tx,
        tenant,
        KEY,
        &day,
        &FieldInput { min_days: "1".into(), max_days: "365".into(), ..field("Vilken dag?") },
        &actor,
        now,
    )
    .await
    .map_err(e)?;
    let event = builder::add_step(&mut tx, tenant, KEY, &step("Om arrangemanget", ""), &actor, now).await.map_err(e)?;
    builder::edit_step(&mut tx, tenant, KEY, &event, &step("Om arrangemanget", &format!("{room} == \"sal\"")), &actor, now)
        .await
        .map_err(e)?;
    let what = builder::add_field(&mut tx, tenant, KEY, &event, &add("textarea", "Beskriv arrangemanget"), &actor, now).await.map_err(e)?;
    builder::edit_field(&mut tx, tenant, KEY, &what, &field("Beskriv arrangemanget"), &actor, now).await.map_err(e)?;
    let many = builder::add_field(&mut tx, tenant, KEY, &event, &add("number", "Hur många deltagare?"), &actor, now).await.map_err(e)?;
    builder::edit_field(
        &mut tx,
        tenant,
        KEY,
        &many,
        &FieldInput { min: "1".into(), max: "300".into(), ..field("Hur många deltagare?") },
        &actor,
        now,
    )
    .await
    .map_err(e)?;
    builder::publish(&mut tx, tenant, KEY, &actor, now).await.map_err(e)?;
    tx.commit().await?;
    Ok(())
}
