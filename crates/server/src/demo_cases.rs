//! Demo cases: registries, classification, case types and a year of realistic cases with
//! records, documents, secrecy markings and status changes, made through the same use
//! cases the pages call (so numbering, timeline and audit log are real).

use radhus_cases::domain::{CaseStatus, RecordKind, RecordStatus};
use radhus_cases::memo::{self, MemoText};
use radhus_cases::parties::{Identity, NewParty, PartyRole};
use radhus_cases::projects;
use radhus_cases::service::{self, NewCase, NewRecord};
use radhus_kernel::ids::{TenantId, UserId};
use radhus_platform::db::{Db, Scope};
use radhus_platform::identity::{org, users};
use time::{Duration, OffsetDateTime};

/// A small deterministic generator: the demo looks the same every time.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next()).unwrap_or(0) % n.max(1)
    }
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const PROPERTIES: &[&str] =
    &["Tuppen", "Älgen", "Sländan", "Lärkan", "Granen", "Kvarnen", "Hagen", "Nyckelpigan", "Bergsgatan", "Sjöudden", "Ekebacken", "Lövnäs"];
const LAKES: &[&str] = &["Vänern", "Klarälven", "Norsälven", "Glafsfjorden", "Fryken", "Mangen", "Borgviksälven"];
const NAMES: &[&str] = &[
    "Anna Lindberg",
    "Per Olsson",
    "Sara Nilsson",
    "Mohammed Ali",
    "Karin Björk",
    "Jonas Eriksson",
    "Elin Persson",
    "Ahmed Hassan",
    "Maria Svensson",
    "Björn Karlsson",
];
const COMPANIES: &[&str] = &[
    "Värmlandsbygg AB",
    "Klarälvens Fastigheter AB",
    "Byggfirman Norr AB",
    "Restaurang Solsidan AB",
    "Karlstads Energi AB",
    "Länsstyrelsen Värmland",
    "Trafikverket",
    "Region Värmland",
];

struct Kind {
    name: &'static str,
    registry: &'static str,
    class: &'static str,
    days: i32,
    unit: &'static str,
}

const KINDS: &[Kind] = &[
    Kind { name: "Bygglov", registry: "BN", class: "2.3", days: 70, unit: "Bygglovsenheten" },
    Kind { name: "Strandskyddsdispens", registry: "BN", class: "2.4", days: 120, unit: "Bygglovsenheten" },
    Kind { name: "Tillsyn enligt plan- och bygglagen", registry: "BN", class: "2.4", days: 90, unit: "Tillsynsenheten" },
    Kind { name: "Registrering av livsmedelsanläggning", registry: "BN", class: "4.2", days: 14, unit: "Livsmedelsavdelningen" },
    Kind { name: "Medborgarförslag", registry: "KS", class: "1.1", days: 180, unit: "Nämndadministration" },
    Kind { name: "Remiss", registry: "KS", class: "1.1", days: 30, unit: "Kansliavdelningen" },
    Kind { name: "Avtal", registry: "KS", class: "3.1", days: 30, unit: "Digitaliseringsenheten" },
];

fn title(rng: &mut Rng, kind: &str) -> String {
    let prop = format!("{} {}", rng.pick(PROPERTIES), 1 + rng.below(30));
    match kind {
        "Bygglov" => format!(
            "Bygglov för {} på fastigheten {prop}",
            rng.pick(&[
                "nybyggnad av enbostadshus",
                "tillbyggnad av bostadshus",
                "garage",
                "carport",
                "fasadändring",
                "skylt",
                "inglasat uterum"
            ])
        ),
        "Strandskyddsdispens" => {
            format!("Strandskyddsdispens för {} vid {}", rng.pick(&["brygga", "bastu", "friggebod", "båthus"]), rng.pick(LAKES))
        }
        "Tillsyn enligt plan- och bygglagen" => format!(
            "Tillsyn av {} på fastigheten {prop}",
            rng.pick(&["ovårdad tomt", "olovligt byggande", "bristande underhåll", "olovlig användning"])
        ),
        "Registrering av livsmedelsanläggning" => format!(
            "Registrering av livsmedelsanläggning, {}",
            rng.pick(&["Café Kvarnen", "Pizzeria Roma", "Restaurang Solsidan", "Skolköket Hagaskolan", "Food truck Smak"])
        ),
        "Medborgarförslag" => format!(
            "Medborgarförslag om {}",
            rng.pick(&[
                "fler papperskorgar vid Mariebergsskogen",
                "belysning på gång- och cykelvägen",
                "hundrastgård i Kronoparken",
                "utegym vid Sundstatorget",
                "längre öppettider på biblioteket"
            ])
        ),
        "Remiss" => format!(
            "Remiss: {}",
            rng.pick(&[
                "Regional transportplan 2026–2037",
                "Vattenförvaltningsplan för Västerhavet",
                "Länsstyrelsens klimatstrategi",
                "Förslag till ny avfallsplan"
            ])
        ),
        _ => format!(
            "Avtal om {}",
            rng.pick(&["e-tjänsteplattform", "drift av växel", "skolskjuts", "städtjänster", "licenser för kontorsprogram"])
        ),
    }
}

/// Decisions per municipality that get a generated official memo.
const MEMOS: usize = 8;

pub async fn seed(db: &Db, tenant: TenantId, admin: UserId, count: usize, now: OffsetDateTime) -> anyhow::Result<()> {
    let e = |e: radhus_platform::error::Error| anyhow::anyhow!("demo cases: {e} {:?}", e.field_errors());
    let mut tx = db.read(Scope::Tenant(tenant)).await?;
    let staff = users::staff_user(&mut tx, tenant, admin).await.map_err(e)?.ok_or_else(|| anyhow::anyhow!("demo admin missing"))?;
    let units = org::tree(&mut tx, tenant).await.map_err(e)?;
    let (people, _) = users::list(&mut tx, tenant, None, 200, 0).await.map_err(e)?;
    // Decisions are approved by the manager where the municipality has one in the demo.
    let approver = match people.iter().find(|p| p.email.starts_with("eva.lind")) {
        Some(p) => users::staff_user(&mut tx, tenant, UserId(p.id)).await.map_err(e)?,
        None => None,
    };
    tx.commit().await?;

    let ks = service::create_registry(db, &staff, "KS", "Kommunstyrelsen", "", now).await.map_err(e)?;
    let bn = service::create_registry(db, &staff, "BN", "Bygg- och miljönämnden", "", now).await.map_err(e)?;
    let mut classes = vec![];
    for (code, title, years) in [
        ("1.1", "Styrning och ledning", None),
        ("2.3", "Bygglov och förhandsbesked", None),
        ("2.4", "Tillsyn och dispenser", Some(10)),
        ("3.1", "Avtal och upphandling", Some(10)),
        ("4.2", "Livsmedelskontroll", Some(5)),
    ] {
        classes.push((code, service::create_class(db, &staff, code, title, years, now).await.map_err(e)?));
    }
    let mut types = vec![];
    for k in KINDS {
        let registry = if k.registry == "KS" { ks } else { bn };
        let class = classes.iter().find(|(c, _)| *c == k.class).map(|(_, id)| *id);
        let ct = service::create_case_type(db, &staff, k.name, registry, class, k.days, now).await.map_err(e)?;
        // Cases that come in without staff (e-services) go to the unit that handles the kind.
        if let Some(u) = units.iter().find(|u| u.name == k.unit) {
            service::set_routing(db, &staff, ct, Some(u.id.0), None, now).await.map_err(e)?;
        }
        types.push(ct);
    }
    // Some applicants are the test e-ID's persons, so their cases are theirs when they log in.
    let persons =
        radhus_platform::identity::citizen::PopulationRegister::test_persons(&radhus_platform::identity::citizen::FixtureRegister::new());
    let mut private_cases = 0;

    let mut rng = Rng(u64::from(tenant.0.as_u128() as u32) | 1);
    // Spread over the last year, oldest first, so numbers grow with time.
    let mut offsets: Vec<i64> = (0..count).map(|_| i64::try_from(rng.below(365)).unwrap_or(0)).collect();
    offsets.sort_by(|a, b| b.cmp(a));
    let mut memos = 0;
    let mut planned = vec![];
    let mut permits = 0;
    for days_ago in offsets {
        let at = now - Duration::days(days_ago) - Duration::minutes(i64::try_from(rng.below(600)).unwrap_or(0));
        let k = rng.below(KINDS.len());
        let kind = &KINDS[k];
        let mut unit = units.iter().find(|u| u.name == kind.unit).map(|u| u.id.0);
        // Every third building permit goes to the work group Bygglov centrum, where there is one.
        if kind.unit == "Bygglovsenheten" {
            permits += 1;
            if permits % 3 == 0
                && let Some(g) = units.iter().find(|u| u.name == "Bygglov centrum")
            {
                unit = Some(g.id.0);
            }
        }
        let worker = unit.and_then(|u| people.iter().find(|p| p.org_unit_id == Some(u)).map(|p| p.id));
        let applicant = rng.pick(NAMES).to_string();
        let company = *rng.pick(COMPANIES);
        let case_title = title(&mut rng, kind.name);
        let private = matches!(kind.name, "Bygglov" | "Strandskyddsdispens" | "Tillsyn enligt plan- och bygglagen");
        let parties = if private {
            private_cases += 1;
            // Every fourth, in turn; the first of each municipality is Astrid Lindqvist's.
            let person = persons.get((private_cases / 4) % persons.len().max(1)).filter(|_| private_cases % 4 == 1);
            let party = match person.and_then(|p| Some((p, p.pnr.parse().ok()?))) {
                Some((p, pnr)) => {
                    NewParty { role: PartyRole::Applicant, name: p.full_name(), identity: Identity::Person(pnr), contact: String::new() }
                }
                None => NewParty {
                    role: PartyRole::Applicant,
                    name: applicant.clone(),
                    identity: Identity::Unidentified,
                    contact: String::new(),
                },
            };
            vec![party]
        } else {
            vec![]
        };
        let n = NewCase {
            case_type: types[k],
            title: case_title.clone(),
            public_title: String::new(),
            unit,
            caseworker: worker.filter(|_| rng.below(5) > 0),
            parties,
        };
        let (case, _) = service::create_case(db, &staff, &n, at).await.map_err(e)?;
        if kind.name == "Bygglov" && planned.len() < 6 {
            planned.push(case);
        }
        let applicant = n.parties.first().map(|p| p.name.clone()).unwrap_or(applicant);
        let (corr, person) = if private { (applicant.clone(), true) } else { (company.to_string(), false) };
        let first = NewRecord {
            kind: RecordKind::Inbound,
            title: if private { format!("Ansökan: {}", case_title.to_lowercase()) } else { case_title.clone() },
            correspondent: corr.clone(),
            correspondent_is_person: person,
            document_date: Some((at - Duration::days(2)).date()),
            received_on: None,
            memo_text: String::new(),
            register: true,
        };
        let r1 = service::add_record(db, &staff, case, &first, at).await.map_err(e)?;
        let pdf = format!("%PDF-1.7\n% Rådhus demo\n{case_title}\n");
        service::upload(db, &staff, r1, None, "main", "Ansökan", "ansokan.pdf", "application/pdf", pdf.as_bytes(), at).await.map_err(e)?;
        if kind.name.starts_with("Tillsyn") && rng.below(3) == 0 {
            let secret = NewRecord {
                kind: RecordKind::Inbound,
                title: "Läkarintyg om fastighetsägarens hälsa".into(),
                correspondent: "Vårdcentralen".into(),
                correspondent_is_person: false,
                document_date: None,
                received_on: None,
                memo_text: String::new(),
                register: true,
            };
            let r = service::add_record(db, &staff, case, &secret, at + Duration::days(3)).await.map_err(e)?;
            service::mark_secrecy(db, &staff, r, &["title".into(), "correspondent".into()], "OSL 25 kap. 1 §", at + Duration::days(3))
                .await
                .map_err(e)?;
        }
        let age = (now - at).whole_days();
        if age > 5 && rng.below(2) == 0 {
            let memo = NewRecord {
                kind: RecordKind::Memo,
                title: "Telefonsamtal med sökande".into(),
                correspondent: String::new(),
                correspondent_is_person: false,
                document_date: None,
                received_on: None,
                memo_text: "Sökande meddelade att kompletterande ritningar skickas inom två veckor.".into(),
                register: true,
            };
            service::add_record(db, &staff, case, &memo, at + Duration::days(5)).await.map_err(e)?;
        }
        let roll = rng.below(10);
        if age > 20 && roll < 6 {
            let when = at + Duration::days(i64::from(kind.days.min(i32::try_from(age).unwrap_or(20) - 1).max(1)));
            let corr_name = if person { "Sökanden".to_string() } else { corr.clone() };
            let decision = NewRecord {
                kind: RecordKind::Decision,
                title: format!("Beslut: {}", case_title.to_lowercase()),
                correspondent: corr,
                correspondent_is_person: person,
                document_date: Some(when.date()),
                received_on: None,
                memo_text: String::new(),
                register: true,
            };
            let d = service::add_record(db, &staff, case, &decision, when).await.map_err(e)?;
            // A few decisions carry a generated official memo (each costs a Typst run).
            if memos < MEMOS {
                memos += 1;
                let text = MemoText {
                    proposal: format!("Nämnden beslutar att bifalla ansökan om {}.", case_title.to_lowercase()),
                    summary: format!("{corr_name} har ansökt om {}. Ansökan är komplett och följer gällande regler.", case_title.to_lowercase()),
                    background: "Ansökan kom in och registrerades samma dag. Berörda har getts tillfälle att yttra sig.\n\nInga erinringar har kommit in.".into(),
                    assessment: "Förvaltningen bedömer att förutsättningarna för bifall är uppfyllda.".into(),
                };
                memo::generate(db, &staff, d, &text, when).await.map_err(e)?;
            }
            service::advance_record(db, &staff, d, RecordStatus::Established, when).await.map_err(e)?;
            if let Some(a) = &approver {
                service::send_for_approval(db, &staff, d, &[a.user_id.0], when).await.map_err(e)?;
                service::decide_approval(db, a, d, true, "", when).await.map_err(e)?;
                service::advance_record(db, &staff, d, RecordStatus::Dispatched, when).await.map_err(e)?;
            }
            service::change_status(db, &staff, case, CaseStatus::Closed, "Beslut expedierat", when).await.map_err(e)?;
        } else if roll == 6 {
            service::change_status(db, &staff, case, CaseStatus::Suspended, "Inväntar komplettering", at + Duration::days(1))
                .await
                .map_err(e)?;
        } else if roll == 7 && age > 2 {
            let draft = NewRecord {
                kind: RecordKind::Outbound,
                title: "Begäran om komplettering".into(),
                correspondent: "Sökande".into(),
                correspondent_is_person: true,
                document_date: None,
                received_on: None,
                memo_text: String::new(),
                register: false,
            };
            service::add_record(db, &staff, case, &draft, at + Duration::days(2)).await.map_err(e)?;
        }
    }
    // A project grouping the building permits within one new detailed plan.
    if count >= 100 {
        let p = projects::create(
            db,
            &staff,
            "Detaljplan Norra Våxnäs",
            "Bygglov och dispenser inom den nya detaljplanen för Norra Våxnäs.",
            now,
        )
        .await
        .map_err(e)?;
        for case in planned {
            projects::set_case_project(db, &staff, case, Some(p), now).await.map_err(e)?;
        }
    }
    Ok(())
}

/// Astrid Lindqvist's case in Karlstad that waits for her (issue 12's demo): a building permit
/// she applied for, with its caseworker's message and an open completion request, so that
/// *Mina ärenden* shows *Komplettering begärd* and she can answer it.
pub async fn seed_citizen_story(db: &Db, tenant: TenantId, admin: UserId, now: OffsetDateTime) -> anyhow::Result<()> {
    let e = |e: radhus_platform::error::Error| anyhow::anyhow!("demo citizen story: {e} {:?}", e.field_errors());
    let mut tx = db.read(Scope::Tenant(tenant)).await?;
    let staff = users::staff_user(&mut tx, tenant, admin).await.map_err(e)?.ok_or_else(|| anyhow::anyhow!("demo admin missing"))?;
    let (people, _) = users::list(&mut tx, tenant, None, 200, 0).await.map_err(e)?;
    let bygglov = radhus_cases::store::case_types(&mut tx, tenant).await.map_err(e)?.into_iter().find(|t| t.name == "Bygglov");
    let omar = people.iter().find(|p| p.email.starts_with("omar.said"));
    let worker = match omar {
        Some(p) => users::staff_user(&mut tx, tenant, UserId(p.id)).await.map_err(e)?,
        None => None,
    };
    tx.commit().await?;
    let (Some(ct), Some(worker)) = (bygglov, worker) else { return Ok(()) };
    let astrid = NewParty {
        role: PartyRole::Applicant,
        name: "Astrid Lindqvist".into(),
        identity: Identity::Person("19850315-2384".parse().map_err(|_| anyhow::anyhow!("pnr"))?),
        contact: String::new(),
    };
    let at = now - Duration::days(9);
    let n = NewCase {
        case_type: ct.id,
        title: "Bygglov för uterum, Rudsvägen 12".into(),
        public_title: String::new(),
        unit: omar.and_then(|p| p.org_unit_id),
        caseworker: Some(worker.user_id.0),
        parties: vec![astrid],
    };
    let (case, _) = service::create_case(db, &staff, &n, at).await.map_err(e)?;
    let application = NewRecord {
        kind: RecordKind::Inbound,
        title: "Ansökan om bygglov för uterum".into(),
        correspondent: "Astrid Lindqvist".into(),
        correspondent_is_person: true,
        document_date: Some(at.date()),
        received_on: None,
        memo_text: String::new(),
        register: true,
    };
    let r = service::add_record(db, &staff, case, &application, at).await.map_err(e)?;
    let pdf = b"%PDF-1.7\n% Radhus demo\nAnsokan om bygglov for uterum\n";
    service::upload(db, &staff, r, None, "main", "Ansökan", "ansokan.pdf", "application/pdf", pdf, at).await.map_err(e)?;
    use radhus_cases::messages::{self, MessageKind, NewMessage};
    let hello = NewMessage {
        kind: MessageKind::Message,
        body: "Hej Astrid! Jag heter Omar och handlägger din ansökan om bygglov för uterummet. Jag hör av mig om något saknas.".into(),
        due_on: None,
    };
    messages::send(db, &worker, case, &hello, at + Duration::days(2)).await.map_err(e)?;
    let ask = NewMessage {
        kind: MessageKind::CompletionRequest,
        body: "För att kunna pröva ansökan behöver vi en situationsplan som visar uterummets placering och avståndet till tomtgränsen, och en fasadritning.".into(),
        due_on: Some((now + Duration::days(14)).date()),
    };
    messages::send(db, &worker, case, &ask, now - Duration::days(1)).await.map_err(e)?;
    Ok(())
}
