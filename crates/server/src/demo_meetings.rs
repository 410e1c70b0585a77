//! Demo data of committee administration (Karlstad): the municipal executive board (KS) with
//! its members and substitutes, a held meeting whose minutes are adjusted and posted (one item
//! tabled, one vote with a reservation, one jäv, a substitute serving, a member leaving before
//! the last items; one item from Astrid Lindqvist's e-service submission, so that once the
//! extracts are dispatched her case in Mina ärenden is *Beslutat* with the extract; extracts back
//! in the cases and dispatched to their parties; a paragraph corrected afterwards, its corrected
//! extract registered and dispatched too), a planned meeting
//! with its notice issued, and a proposal waiting for the secretary. Everything goes through the
//! module's use cases; the demo is seeded once (`demo::seed` skips a seeded database).

use radhus_cases::domain::RecordKind;
use radhus_cases::memo::MemoText;
use radhus_cases::service::{NewCase, NewRecord};
use radhus_kernel::ids::{TenantId, UserId};
use radhus_meetings::core::Choice;
use radhus_meetings::service::{self, NewCommittee, NewMeeting, NewMember};
use radhus_meetings::signing::{self, Signed};
use radhus_meetings::{minutes, record};
use radhus_platform::db::{Db, Scope};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::identity::users::{self, ValidUser};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// The elected members of KS: e-mail, name, role, party (the demo password logs them in).
pub const POLITICIANS: [(&str, &str, &str, &str); 7] = [
    ("anna.wik@karlstad.se", "Anna Wik", "chair", "Socialdemokraterna"),
    ("erik.sand@karlstad.se", "Erik Sand", "vice_chair", "Moderaterna"),
    ("maria.berg@karlstad.se", "Maria Berg", "member", "Centerpartiet"),
    ("ola.strand@karlstad.se", "Ola Strand", "member", "Sverigedemokraterna"),
    ("sofia.lund@karlstad.se", "Sofia Lund", "member", "Vänsterpartiet"),
    ("karl.nyberg@karlstad.se", "Karl Nyberg", "substitute", "Socialdemokraterna"),
    ("lisa.ahl@karlstad.se", "Lisa Åhl", "substitute", "Moderaterna"),
];

const SITE: &str = "http://karlstad.localhost";

/// How many cases the meetings demo registers in Karlstad (for the demo test's count): five of
/// its own and the one Astrid Lindqvist's e-service submission opens.
pub const CASES: i64 = 6;

/// Astrid Lindqvist (as in the cases demo): her feedback through the e-service *Felanmälan och
/// synpunkter* goes to KS.
const ASTRID: &str = "19850315-2384";

/// Astrid Lindqvist's e-service submission, made through e-services' use cases as the citizen
/// pages make it (start, the two steps, submit with the content hash she reviewed): the case it
/// opens (she is its applicant), or `None` where the service is not offered.
async fn citizen_submission(db: &Db, tenant: TenantId, now: OffsetDateTime) -> anyhow::Result<Option<Uuid>> {
    use radhus_eservices::citizen::Citizen;
    use radhus_eservices::service as es;
    const KEY: &str = "felanmalan";
    let pnr = ASTRID.parse().map_err(|_| anyhow::anyhow!("pnr"))?;
    let c = Citizen::new(pnr, "Astrid Lindqvist".into(), "test-eid".into()).map_err(err)?;
    let at = now - Duration::days(40);
    let today = radhus_kernel::tz::stockholm(at).date();
    let mut tx = db.write(Scope::Tenant(tenant)).await?;
    let (draft, _) = match es::start(&mut tx, tenant, &c, KEY, at).await {
        Ok(d) => d,
        Err(radhus_platform::error::Error::NotFound) => return Ok(None),
        Err(e) => return Err(err(e)),
    };
    let steps: [&[(&str, &str)]; 2] = [
        &[
            ("arende", "synpunkt"),
            ("verksamhet", "Lekplatser"),
            (
                "beskrivning",
                "Lekplatsen i Herrhagen är helt mörk på vinterkvällarna. Jag föreslår att kommunen sätter upp belysning där, så att barnen kan leka efter skolan.",
            ),
        ],
        &[("svar", "ja"), ("namn", "Astrid Lindqvist"), ("epost", "astrid.lindqvist@example.se")],
    ];
    for (step, pairs) in steps.iter().enumerate() {
        let mut o = es::open(&mut tx, tenant, &c, KEY, draft).await.map_err(err)?;
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect();
        es::save_step(&mut tx, tenant, &mut o, step, (&pairs, &[]), today, at).await.map_err(err)?;
    }
    let o = es::open(&mut tx, tenant, &c, KEY, draft).await.map_err(err)?;
    let sha = es::content_hash(KEY, o.draft.revision, &o.answers).map_err(err)?;
    let s = es::submit(&mut tx, tenant, &c, (KEY, draft), &sha, |id| format!("{SITE}/e-tjanster/kvitto/{id}"), at).await.map_err(err)?;
    tx.commit().await?;
    let mut tx = db.read(Scope::Tenant(tenant)).await?;
    let case = radhus_eservices::store::submission(&mut tx, tenant, s.submission).await.map_err(err)?.and_then(|s| s.case_id);
    tx.commit().await?;
    Ok(case)
}

/// The caseworker's decision record with its official memo in an existing case (the citizen's).
async fn memo_in(db: &Db, s: &StaffUser, case: Uuid, title: &str, proposal: &str, now: OffsetDateTime) -> anyhow::Result<Uuid> {
    let r = NewRecord {
        kind: RecordKind::Decision,
        title: format!("Tjänsteskrivelse: {title}"),
        correspondent: String::new(),
        correspondent_is_person: false,
        document_date: None,
        received_on: None,
        memo_text: String::new(),
        register: false,
    };
    let record = radhus_cases::service::add_record(db, s, case, &r, now).await.map_err(err)?;
    let text = MemoText {
        proposal: proposal.into(),
        summary: format!("Kommunledningsförvaltningen har berett ärendet {title}."),
        ..Default::default()
    };
    radhus_cases::memo::generate(db, s, record, &text, now).await.map_err(err)?;
    Ok(record)
}

fn err(e: radhus_platform::error::Error) -> anyhow::Error {
    anyhow::anyhow!("demo meetings: {e} {:?}", e.field_errors())
}

async fn staff(db: &Db, t: TenantId, id: Uuid) -> anyhow::Result<StaffUser> {
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let s = users::staff_user(&mut tx, t, UserId(id)).await.map_err(err)?.ok_or_else(|| anyhow::anyhow!("demo user missing"))?;
    tx.commit().await?;
    Ok(s)
}

/// A case of KS's registry with a decision record and its official memo: (case, record).
async fn case(db: &Db, s: &StaffUser, case_type: Uuid, title: &str, proposal: &str, now: OffsetDateTime) -> anyhow::Result<(Uuid, Uuid)> {
    let (case, _) = radhus_cases::service::create_case(db, s, &NewCase { case_type, title: title.into(), ..Default::default() }, now)
        .await
        .map_err(err)?;
    let record = memo_in(db, s, case, title, proposal, now).await?;
    Ok((case, record))
}

pub async fn seed(db: &Db, tenant: TenantId, admin: UserId, hash: &str, now: OffsetDateTime) -> anyhow::Result<()> {
    let admin = staff(db, tenant, admin.0).await?;
    let mut tx = db.write(Scope::Tenant(tenant)).await?;
    let registries = radhus_cases::store::registries(&mut tx, tenant).await.map_err(err)?;
    let types = radhus_cases::store::case_types(&mut tx, tenant).await.map_err(err)?;
    let (list, _) = users::list(&mut tx, tenant, None, 500, 0).await.map_err(err)?;
    let mut people = vec![];
    for (email, name, _, _) in POLITICIANS {
        let v = ValidUser { email: email.into(), name: name.into(), org_unit: None, active: true };
        people.push(users::create(&mut tx, tenant, &v, hash, now).await.map_err(err)?);
    }
    tx.commit().await?;
    let Some(ks_registry) = registries.iter().find(|r| r.code == "KS").map(|r| r.id) else { return Ok(()) };
    let Some(ct) = types.iter().find(|c| c.name == "Remiss").map(|c| c.id) else { return Ok(()) };
    let secretary = list.iter().find(|u| u.email.starts_with("johan.berg")).map_or(admin.user_id.0, |u| u.id);

    let nc =
        NewCommittee { kind: "ks".into(), name: "Kommunstyrelsen".into(), code: "KS".into(), registry_id: Some(ks_registry), seats: 5 };
    let ks = service::create_committee(db, &admin, &nc, now).await.map_err(err)?;
    service::set_access(db, &admin, ks, secretary, Some("secretary"), now).await.map_err(err)?;
    service::set_access(db, &admin, ks, admin.user_id.0, Some("secretary"), now).await.map_err(err)?;
    let year = radhus_kernel::tz::stockholm(now).year();
    let term_from = time::Date::from_calendar_date(year - 1, time::Month::January, 1)?;
    let term_to = time::Date::from_calendar_date(year + 2, time::Month::December, 31)?;
    let mut members = vec![];
    let mut substitute_order = 0;
    for ((_, _, role, party), user) in POLITICIANS.iter().zip(&people) {
        substitute_order += i32::from(*role == "substitute");
        let m = NewMember {
            user_id: user.0,
            role: (*role).into(),
            party: (*party).into(),
            callin_order: (*role == "substitute").then_some(substitute_order),
            term_from,
            term_to,
        };
        members.push(service::add_member(db, &admin, ks, &m, now).await.map_err(err)?);
    }
    let sec = staff(db, tenant, secretary).await?;
    let day = |d: i64| radhus_kernel::tz::stockholm(now + Duration::days(d)).date().to_string();

    // The held meeting two weeks ago.
    let cycle = case(
        db,
        &admin,
        ct,
        "Motion om fler cykelbanor i centrum",
        "Kommunstyrelsen föreslår kommunfullmäktige att bifalla motionen.",
        now,
    )
    .await?;
    let harbour = case(
        db,
        &admin,
        ct,
        "Markanvisning för kvarteret Norra hamnen",
        "Kommunstyrelsen beslutar att anvisa marken till Hamnbolaget AB.",
        now,
    )
    .await?;
    let library =
        case(db, &admin, ct, "Remissvar om regional biblioteksplan", "Kommunstyrelsen lämnar remissvar enligt bilaga.", now).await?;
    let held = service::create_meeting(
        db,
        &sec,
        ks,
        &NewMeeting { date: day(-14), time: "13:00".into(), place: "Sessionssalen, Stadshuset".into(), public: false },
        now,
    )
    .await
    .map_err(err)?;
    service::add_item(db, &sec, held, "heading", "Informationsärenden", now).await.map_err(err)?;
    let info = service::add_item(db, &sec, held, "information", "Ekonomisk uppföljning per oktober", now).await.map_err(err)?;
    let delegation = service::add_item(db, &sec, held, "delegation", "Anmälan av delegationsbeslut", now).await.map_err(err)?;
    service::add_item(db, &sec, held, "heading", "Beslutsärenden", now).await.map_err(err)?;
    let mut items = vec![];
    for (c, r) in [cycle, harbour, library] {
        let p = service::propose(db, &admin, c, ks, r, now).await.map_err(err)?;
        items.push(service::accept(db, &sec, p, held, now).await.map_err(err)?);
    }
    // Astrid Lindqvist's feedback through the e-service, prepared for KS.
    let lighting = match citizen_submission(db, tenant, now).await? {
        Some(case) => {
            let title = "Belysning vid Herrhagens lekplats";
            let proposal = "Kommunstyrelsen beslutar att belysning sätts upp vid Herrhagens lekplats under 2027.";
            let record = memo_in(db, &admin, case, title, proposal, now).await?;
            let p = service::propose(db, &admin, case, ks, record, now).await.map_err(err)?;
            let item = service::accept(db, &sec, p, held, now).await.map_err(err)?;
            // The case is titled by the e-service; the agenda says what it is about.
            service::edit_item(db, &sec, item, &format!("Synpunkt: {title}"), proposal, now).await.map_err(err)?;
            Some(item)
        }
        None => None,
    };
    record::issue_notice(db, &sec, held, SITE, now).await.map_err(err)?;
    record::mark_held(db, &sec, held, now).await.map_err(err)?;
    let [chair, vice, maria, ola, sofia, karl, _lisa] = members[..] else { return Err(anyhow::anyhow!("members")) };
    // Sofia Lund is absent; Karl Nyberg (first substitute) serves for her.
    record::set_attendance(db, &sec, held, &[chair, vice, maria, ola, karl], &[(karl, sofia)], now).await.map_err(err)?;
    record::decide(db, &sec, info, "noted", "", now).await.map_err(err)?;
    record::decide(db, &sec, delegation, "noted", "", now).await.map_err(err)?;
    // The cycle lanes: two motions, a vote, a reservation.
    record::add_member_text(db, &sec, items[0], chair, "motion", "Bifall till förvaltningens förslag.", now).await.map_err(err)?;
    record::add_member_text(db, &sec, items[0], ola, "motion", "Avslag på motionen.", now).await.map_err(err)?;
    let votes = [(chair, Choice::Yes), (vice, Choice::No), (maria, Choice::Yes), (ola, Choice::No), (karl, Choice::Yes)];
    record::vote(db, &sec, items[0], &votes, now).await.map_err(err)?;
    record::add_member_text(db, &sec, items[0], ola, "reservation", "Till förmån för eget yrkande.", now).await.map_err(err)?;
    record::decide(db, &sec, items[0], "decided", "Kommunstyrelsen föreslår kommunfullmäktige att bifalla motionen.", now)
        .await
        .map_err(err)?;
    // The harbour: Maria Berg sits on Hamnbolaget's board (jäv).
    record::add_conflict(db, &sec, items[1], maria, "Styrelseledamot i Hamnbolaget AB", now).await.map_err(err)?;
    record::decide(db, &sec, items[1], "decided", "Kommunstyrelsen anvisar marken i kvarteret Norra hamnen till Hamnbolaget AB.", now)
        .await
        .map_err(err)?;
    // The library plan is tabled.
    record::decide(db, &sec, items[2], "tabled", "", now).await.map_err(err)?;
    // Erik Sand leaves before the library plan: he takes no part in the last items.
    record::set_times(db, &sec, held, &[(vice, None, Some(items[2]))], now).await.map_err(err)?;
    if let Some(item) = lighting {
        record::decide(
            db,
            &sec,
            item,
            "decided",
            "Kommunstyrelsen beslutar att belysning sätts upp vid Herrhagens lekplats under 2027.",
            now,
        )
        .await
        .map_err(err)?;
    }
    minutes::draft(db, &sec, held, &[maria], now).await.map_err(err)?;
    let mut tx = db.read(Scope::Tenant(tenant)).await?;
    let sha = radhus_meetings::store::meeting(&mut tx, tenant, held).await.map_err(err)?.and_then(|m| m.minutes_sha256).unwrap_or_default();
    tx.commit().await?;
    for user in [people[0], people[2]] {
        let s = staff(db, tenant, user.0).await?;
        signing::adjust(db, &s, Signed::Minutes(held), &sha, now).await.map_err(err)?;
    }
    // The extracts go to the parties of each case (Astrid's case turns *Beslutat*).
    signing::dispatch(db, &sec, Signed::Minutes(held), now).await.map_err(err)?;
    // A writing error in the harbour decision is corrected: version 2 of the minutes, its
    // corrected extract registered in the case and dispatched, a note on the notice board.
    let mut tx = db.read(Scope::Tenant(tenant)).await?;
    let harbour_title = radhus_meetings::store::item(&mut tx, tenant, items[1]).await.map_err(err)?.map(|i| i.title).unwrap_or_default();
    tx.commit().await?;
    let fix = radhus_meetings::corrections::Correction {
        item: items[1].to_string(),
        title: harbour_title,
        decision: "Kommunstyrelsen anvisar marken i kvarteret Norra hamnen till Hamnbolaget i Karlstad AB.".into(),
        reason: "Bolagets namn var felskrivet i beslutet.".into(),
    };
    radhus_meetings::corrections::correct(db, &sec, held, &fix, now).await.map_err(err)?;
    signing::dispatch(db, &sec, Signed::Minutes(held), now).await.map_err(err)?;

    // The next meeting in two weeks: the tabled item again and a new case; its notice issued.
    let next = service::create_meeting(
        db,
        &sec,
        ks,
        &NewMeeting { date: day(14), time: "13:00".into(), place: "Sessionssalen, Stadshuset".into(), public: false },
        now,
    )
    .await
    .map_err(err)?;
    let (lib_case, lib_record) = library;
    let p = service::propose(db, &admin, lib_case, ks, lib_record, now).await.map_err(err)?;
    service::accept(db, &sec, p, next, now).await.map_err(err)?;
    let budget =
        case(db, &admin, ct, "Detaljbudget 2027 för kommunstyrelsen", "Kommunstyrelsen fastställer detaljbudgeten för 2027.", now).await?;
    let p = service::propose(db, &admin, budget.0, ks, budget.1, now).await.map_err(err)?;
    service::accept(db, &sec, p, next, now).await.map_err(err)?;
    record::issue_notice(db, &sec, next, SITE, now).await.map_err(err)?;
    // After the notice an information item is added and goes out as a supplementary notice
    // (kompletterande kallelse), shown on the public agenda, in the feed and on the meeting page.
    service::add_item(db, &sec, next, "information", "Information om vinterväghållningen", now).await.map_err(err)?;
    record::issue_supplement(db, &sec, next, SITE, now).await.map_err(err)?;
    // A proposal waiting for the secretary, and a planned meeting to accept it onto.
    let waiting = case(db, &admin, ct, "Riktlinjer för sociala medier", "Kommunstyrelsen antar riktlinjerna.", now).await?;
    service::propose(db, &admin, waiting.0, ks, waiting.1, now).await.map_err(err)?;
    service::create_meeting(
        db,
        &sec,
        ks,
        &NewMeeting { date: day(42), time: "13:00".into(), place: "Sessionssalen, Stadshuset".into(), public: false },
        now,
    )
    .await
    .map_err(err)?;

    // Kommunfullmäktige meets in ten days; the notice issued now is its announcement on the
    // notice board, more than a week before (KL 5 kap.).
    let nc =
        NewCommittee { kind: "kf".into(), name: "Kommunfullmäktige".into(), code: "KF".into(), registry_id: Some(ks_registry), seats: 61 };
    let kf = service::create_committee(db, &admin, &nc, now).await.map_err(err)?;
    service::set_access(db, &admin, kf, secretary, Some("secretary"), now).await.map_err(err)?;
    let kf_meeting = service::create_meeting(
        db,
        &sec,
        kf,
        &NewMeeting { date: day(10), time: "18:00".into(), place: "Fullmäktigesalen, Stadshuset".into(), public: true },
        now,
    )
    .await
    .map_err(err)?;
    service::add_item(db, &sec, kf_meeting, "information", "Allmänhetens frågestund", now).await.map_err(err)?;
    record::issue_notice(db, &sec, kf_meeting, SITE, now).await.map_err(err)?;
    Ok(())
}
