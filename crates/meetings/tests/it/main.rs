//! Integration tests of committee administration on SQLite, and PostgreSQL when configured.

mod agenda;
mod attendance;
mod chain;
mod corrections;
mod immediate;
mod pages;
mod publication;
mod supplement;
mod templates;
mod usability;

use radhus_cases::domain::RecordKind;
use radhus_cases::memo::MemoText;
use radhus_cases::service::{NewCase, NewRecord};
use radhus_kernel::ids::TenantId;
use radhus_meetings::service::{self, NewCommittee, NewMeeting, NewMember};
use radhus_platform::identity::session::StaffUser;
use radhus_testkit::TestApp;
use time::macros::date;
use uuid::Uuid;

pub async fn app() -> TestApp {
    TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg), radhus_cases::module(), radhus_meetings::module()], |_| {})
        .await
}

/// A municipality with an administrator (every permission, secretary of KS), a registry and
/// case type, the committee KS with three seats and one substitute.
pub struct World {
    pub t: TenantId,
    pub admin: StaffUser,
    pub ks: Uuid,
    pub case_type: Uuid,
    /// Chair, vice chair, member, substitute (member ids).
    pub members: Vec<Uuid>,
    /// Their users' e-mail addresses.
    pub emails: Vec<String>,
}

pub async fn world(app: &TestApp, slug: &str) -> World {
    let (t, email) = app.tenant_with_admin(slug, slug, if slug == "kil" { "1715" } else { "1784" }).await;
    let admin = app.staff(t, &email).await;
    let reg = radhus_cases::service::create_registry(&app.db, &admin, "KS", "Kommunstyrelsen", "", app.now()).await.expect("registry");
    let ct = radhus_cases::service::create_case_type(&app.db, &admin, "Yttrande", reg, None, 70, app.now()).await.expect("type");
    let nc = NewCommittee { kind: "ks".into(), name: "Kommunstyrelsen".into(), code: "ks".into(), registry_id: Some(reg), seats: 3 };
    let ks = service::create_committee(&app.db, &admin, &nc, app.now()).await.expect("committee");
    service::set_access(&app.db, &admin, ks, admin.user_id.0, Some("secretary"), app.now()).await.expect("secretary");
    let mut members = vec![];
    let mut emails = vec![];
    for (i, (name, role)) in
        [("Ada Ordförande", "chair"), ("Bo Vice", "vice_chair"), ("Cia Ledamot", "member"), ("Dan Ersättare", "substitute")]
            .iter()
            .enumerate()
    {
        let email = format!("p{i}@{slug}.se");
        let user = app.user(t, &email, name, None, None).await;
        let m = NewMember {
            user_id: user.0,
            role: (*role).into(),
            party: "Partiet".into(),
            callin_order: (*role == "substitute").then_some(1),
            term_from: date!(2023 - 01 - 01),
            term_to: date!(2026 - 12 - 31),
        };
        members.push(service::add_member(&app.db, &admin, ks, &m, app.now()).await.expect("member"));
        emails.push(email);
    }
    World { t, admin, ks, case_type: ct, members, emails }
}

/// A case with a decision record that has an official memo: (case, record).
pub async fn case_with_memo(app: &TestApp, w: &World, title: &str) -> (Uuid, Uuid) {
    let nc = NewCase { case_type: w.case_type, title: title.into(), ..Default::default() };
    let (case, _) = radhus_cases::service::create_case(&app.db, &w.admin, &nc, app.now()).await.expect("case");
    let r = NewRecord {
        kind: RecordKind::Decision,
        title: format!("Förslag: {title}"),
        correspondent: String::new(),
        correspondent_is_person: false,
        document_date: None,
        received_on: None,
        memo_text: String::new(),
        register: false,
    };
    let record = radhus_cases::service::add_record(&app.db, &w.admin, case, &r, app.now()).await.expect("record");
    let text = MemoText { proposal: format!("Kommunstyrelsen beslutar att bifalla {title}."), ..Default::default() };
    radhus_cases::memo::generate(&app.db, &w.admin, record, &text, app.now()).await.expect("memo");
    (case, record)
}

pub async fn meeting(app: &TestApp, w: &World, date: &str) -> Uuid {
    let n = NewMeeting { date: date.into(), time: "13:00".into(), place: "Sessionssalen".into(), public: false };
    service::create_meeting(&app.db, &w.admin, w.ks, &n, app.now()).await.expect("meeting")
}

/// The code of a rule error, for asserting on it.
pub fn code(e: &radhus_platform::error::Error) -> &str {
    match e {
        radhus_platform::error::Error::Rule { code, .. } => code.code,
        _ => "",
    }
}
