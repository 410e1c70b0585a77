//! The citizen's pages: `/mina-arenden` (on the platform host every municipality's cases, on a
//! municipality's host that municipality's), one case with its history, messages and
//! documents, the answer to a message or completion request, and the notification settings.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use radhus_cases::handling::{self, HandlingTime};
use radhus_cases::messages::{self, Answer, Attachment, Message, SentDocument};
use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::{Assurance, Principal};
use radhus_platform::pii;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes, download};
use serde::Deserialize;
use uuid::Uuid;

use crate::MyCasesError;
use crate::settings::{self, Channel, Settings};
use crate::store::{self, MyCase, Step};
use crate::texts;
use radhus_platform::identity::permissions::Staff;

/// Largest answer: a few attachments of the case module's largest file.
pub const ANSWER_LIMIT: usize = 3 * radhus_cases::service::MAX_FILE + 256 * 1024;

pub fn routes() -> Routes {
    Routes::new()
        .get("/mina-arenden", get_my_cases)
        .get("/mina-arenden/installningar", get_settings)
        .get("/mina-arenden/mina-uppgifter", get_my_data)
        .get("/mina-arenden/mina-uppgifter.json", get_my_data_json)
        .get("/mina-arenden/mina-uppgifter.pdf", get_my_data_pdf)
        .get("/admin/mina-arenden", get_texts)
        .get("/admin/mina-arenden/{typ}", get_type_texts)
        .post("/admin/mina-arenden/{typ}", post_type_texts)
        .post("/mina-arenden/installningar", post_settings)
        .get("/mina-arenden/{kommun}/{arende}", get_my_case)
        .post_upload("/mina-arenden/{kommun}/{arende}/svar", post_answer, ANSWER_LIMIT)
        .get("/mina-arenden/{kommun}/{arende}/dokument/{version}", get_document)
}

/// The citizen of the request, identified by e-ID (an e-mail-link session does not count).
pub(crate) struct Me {
    pub(crate) pnr: Personnummer,
    pub(crate) name: String,
    /// The blind index of the number, which keys the read model.
    pub(crate) index: String,
}

impl Me {
    pub(crate) fn of(ctx: &Ctx) -> Result<Option<Me>> {
        match &ctx.principal {
            Some(Principal::Citizen { pnr, name, assurance: Assurance::Eid, .. }) => {
                let pnr = Personnummer::parse_canonical(pnr).map_err(|_| Error::Internal("a session's number is not canonical".into()))?;
                let index = pii::index(&pnr)?;
                Ok(Some(Me { pnr, name: name.clone(), index }))
            }
            Some(Principal::Citizen { .. }) => Err(MyCasesError::NeedsEid.into()),
            _ => Ok(None),
        }
    }

    fn scope(&self) -> Result<Scope> {
        Scope::citizen_from_hex(&self.index).ok_or_else(|| Error::Internal("blind index".into()))
    }

    pub(crate) fn actor(&self) -> Actor {
        Actor::citizen(&self.pnr.to_string(), &self.name)
    }

    /// Writes `event` to the audit log of the municipality concerned (`None`: the platform's).
    async fn audit(&self, st: &AppState, tenant: Option<TenantId>, event: Event) -> Result<()> {
        let mut tx = st.db.write(tenant.map_or(Scope::Platform, Scope::Tenant)).await?;
        audit::record(&mut tx, tenant, &self.actor(), event, st.now()).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The e-ID login, and back to `back` afterwards.
pub(crate) fn to_login(back: &str) -> Response {
    let next: String = url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
    Redirect::to(&format!("/e-legitimation?next={next}")).into_response()
}

/// The day of a moment in Sweden, in words (`5 december 2026`).
fn swedish_day(at: &time::OffsetDateTime) -> String {
    radhus_kernel::lang::swedish_date(radhus_kernel::tz::stockholm(*at).date())
}

// ------------------------------------------------------------------ the list

#[derive(Template)]
#[template(path = "mycases/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    /// None: not logged in with e-ID; the page offers the login.
    cases: Option<Vec<MyCase>>,
    /// The citizen's unfinished e-service drafts (`radhus_eservices::citizen`).
    drafts: Vec<radhus_eservices::citizen::MyDraft>,
    /// On a municipality's host: the link to every municipality's cases on the platform host.
    platform_url: Option<String>,
}

impl ListPage<'_> {
    fn date(&self, at: &time::OffsetDateTime) -> String {
        swedish_day(at)
    }

    fn day(&self, d: &time::Date) -> String {
        radhus_kernel::lang::swedish_date(*d)
    }

    fn show_municipality(&self) -> bool {
        self.ctx.is_platform()
    }

    fn hint(&self, c: &MyCase) -> String {
        phase_hint(self.ctx, c)
    }

    fn action<'c>(&self, c: &'c MyCase) -> Option<&'c str> {
        c.phase_action(self.ctx.tr.lang)
    }
}

/// What the phase means for the citizen: the case type's own words, else the platform's.
fn phase_hint(ctx: &Ctx, c: &MyCase) -> String {
    c.phase_text(ctx.tr.lang).map_or_else(|| ctx.t(c.phase.hint()), str::to_string)
}

async fn get_my_cases(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    let platform_url = ctx.tenant().map(|_| format!("{}/mina-arenden", st.config.public_url.trim_end_matches('/')));
    let Some(me) = Me::of(&ctx)? else {
        return render(&ListPage { ctx: &ctx, cases: None, drafts: vec![], platform_url });
    };
    let mut tx = st.db.read(me.scope()?).await?;
    let cases = store::cases_of(&mut tx, &me.index, ctx.tenant().map(|t| t.id)).await?;
    let drafts =
        radhus_eservices::citizen::drafts_of(&mut tx, &me.index, ctx.tenant().map(|t| t.id), ctx.tr.lang, |h| st.site_url(h)).await?;
    tx.commit().await?;
    // The citizen's reading of their own cases is logged where they read them.
    let event = Event::new("my.cases.read", "citizen", "").with(serde_json::json!({ "cases": cases.len(), "drafts": drafts.len() }));
    me.audit(&st, ctx.tenant().map(|t| t.id), event).await?;
    render(&ListPage { ctx: &ctx, cases: Some(cases), drafts, platform_url })
}

// ------------------------------------------------------------------ one case

#[derive(Template)]
#[template(path = "mycases/case.html")]
struct CasePage<'a> {
    ctx: &'a Ctx,
    case: MyCase,
    steps: Vec<Step>,
    messages: Vec<Message>,
    documents: Vec<SentDocument>,
    errors: FormErrors,
    /// The answer's text (what was typed, shown again with the errors) and its files (the
    /// field's parts: the template adds `multiple`, which the shared field lacks).
    body: Field,
    file: Field,
    /// The citizen's message has just come in.
    sent: bool,
    /// The stated and measured handling time of the case's type.
    handling: Option<HandlingTime>,
    /// The case came from the citizen's e-service submission: its PDF/A receipt is offered.
    receipt: bool,
}

impl CasePage<'_> {
    fn date(&self, at: &time::OffsetDateTime) -> String {
        swedish_day(at)
    }

    fn hint(&self) -> String {
        phase_hint(self.ctx, &self.case)
    }

    fn action(&self) -> Option<&str> {
        self.case.phase_action(self.ctx.tr.lang)
    }

    fn step_label(&self, kind: &str) -> String {
        self.ctx.t(&format!("my-step-{kind}"))
    }

    /// The completion request that waits for the citizen, if any.
    fn open_request(&self) -> Option<&Message> {
        self.messages.iter().rev().find(|m| m.is_open_request())
    }

    fn is_open(&self) -> bool {
        !matches!(self.case.phase, crate::phase::Phase::Closed)
    }

    fn t_at(&self, id: &str, at: &time::OffsetDateTime) -> String {
        self.ctx.tr.t1(id, "at", swedish_day(at))
    }

    /// "Kommunen lovar beslut inom 70 dagar. Brukar få beslut inom 41 dagar. 9 av 10 får beslut
    /// inom 66 dagar." (the measured part once enough cases are decided).
    fn handling_text(&self, h: &HandlingTime) -> String {
        let days = |n: i64| self.ctx.tn("my-days", n);
        let mut text = self.ctx.tr.t1("my-handling-stated", "days", days(i64::from(h.stated_days)));
        if let (Some(m), Some(p)) = (h.median_days, h.p90_days) {
            text.push(' ');
            text.push_str(&self.ctx.tr.t1("my-handling-median", "days", days(m)));
            text.push(' ');
            text.push_str(&self.ctx.tr.t1("my-handling-p90", "days", days(p)));
        }
        text
    }

    fn t_due(&self, d: &time::Date) -> String {
        self.ctx.tr.t1("my-request-due", "due", radhus_kernel::lang::swedish_date(*d))
    }
}

/// The case of the citizen in the municipality of the path, or "not found" (another
/// citizen's case, a malformed id, another municipality's case on a municipality's host):
/// it never tells whether the case exists.
pub(crate) async fn my_case(st: &AppState, ctx: &Ctx, me: &Me, tenant: Uuid, case: Uuid) -> Result<(MyCase, Vec<Step>)> {
    if ctx.tenant().is_some_and(|t| t.id.0 != tenant) {
        return Err(Error::NotFound);
    }
    let mut tx = st.db.read(me.scope()?).await?;
    let found = store::case_of(&mut tx, &me.index, tenant, case).await?;
    tx.commit().await?;
    found.ok_or(Error::NotFound)
}

async fn case_page(
    st: &AppState,
    ctx: &Ctx,
    me: &Me,
    (tenant, case): (Uuid, Uuid),
    errors: FormErrors,
    typed: String,
    sent: bool,
) -> Result<Response> {
    let (mut row, steps) = my_case(st, ctx, me, tenant, case).await?;
    let t = TenantId(tenant);
    // The conversation comes from the case itself (as the party sees it); reading it marks the
    // caseworker's messages read and is logged in the municipality, in one transaction.
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    // The read model has shown the case is the citizen's; should case management no longer
    // count them a party (a party removed since), the page shows no conversation.
    let (messages, documents) = messages::for_citizen(&mut tx, t, case, &me.pnr, st.now()).await?.unwrap_or_default();
    store::mark_read(&mut tx, &me.index, tenant, case).await?;
    let handling = handling::of_case(&mut tx, t, case, st.now()).await?;
    let receipt = radhus_eservices::citizen::submission_of_case(&mut tx, t, case, &me.index).await?.is_some();
    audit::record(&mut tx, Some(t), &me.actor(), Event::new("my.case.read", "case", case), st.now()).await?;
    tx.commit().await?;
    row.unread = false;
    let body =
        Field::new(ctx, "body", "my-answer-body").kind("textarea").rows(6).hint(ctx.t("my-answer-body-hint")).value(typed).errors(&errors);
    let file = Field::new(ctx, "file", "my-answer-files").kind("file").optional().hint(ctx.t("my-answer-files-hint")).errors(&errors);
    let errors = errors.linked_to(&[(&body, body.label.clone()), (&file, file.label.clone())]);
    render(&CasePage { ctx, case: row, steps, messages, documents, errors, body, file, sent, handling, receipt })
}

#[derive(Deserialize, Default)]
struct CaseQuery {
    #[serde(default)]
    skickat: String,
}

async fn get_my_case(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds(ids): PathIds<(Uuid, Uuid)>,
    form::Query(q): form::Query<CaseQuery>,
) -> Result<Response> {
    let Some(me) = Me::of(&ctx)? else { return Ok(to_login(&format!("/mina-arenden/{}/{}", ids.0, ids.1))) };
    case_page(&st, &ctx, &me, ids, FormErrors::none(), String::new(), q.skickat == "1").await
}

/// The citizen's message or answer to a completion request, with files: registered in the case
/// as an inbound record, in the municipality's transaction.
async fn post_answer(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds(ids): PathIds<(Uuid, Uuid)>,
    mut multipart: Multipart,
) -> Result<Response> {
    let Some(me) = Me::of(&ctx)? else { return Ok(to_login(&format!("/mina-arenden/{}/{}", ids.0, ids.1))) };
    let (tenant, case) = ids;
    let (mut body, mut reply_to, mut files) = (String::new(), String::new(), Vec::<Attachment>::new());
    while let Some(field) = multipart.next_field().await.map_err(|_| Error::TooLarge)? {
        match field.name().unwrap_or("") {
            "body" => body = field.text().await.map_err(|_| Error::TooLarge)?,
            "reply_to" => reply_to = field.text().await.map_err(|_| Error::TooLarge)?,
            "file" => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(|_| Error::TooLarge)?;
                // A file input left empty still sends a part without a name.
                if !name.is_empty() || !bytes.is_empty() {
                    files.push(Attachment { main: false, title: name.clone(), filename: name, bytes: bytes.to_vec() });
                }
            }
            _ => {}
        }
    }
    // The case must be the citizen's (read model), in the municipality of the host.
    my_case(&st, &ctx, &me, tenant, case).await?;
    let result = async {
        let reply_to = match reply_to.trim() {
            "" => None,
            r => Some(Uuid::parse_str(r).map_err(|_| Error::NotFound)?),
        };
        let t = TenantId(tenant);
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        messages::answer_in(&mut tx, t, (&me.pnr, &me.name), case, Answer { reply_to, body: body.clone(), files }, st.now()).await?;
        tx.commit().await?;
        Ok(format!("/mina-arenden/{tenant}/{case}?skickat=1#meddelanden"))
    }
    .await;
    form::submit_fields(&ctx, result, |errors| case_page(&st, &ctx, &me, ids, errors, body.clone(), false)).await
}

/// A document dispatched to the citizen in their case (the decision, a message's text).
async fn get_document(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds((tenant, case, version)): PathIds<(Uuid, Uuid, Uuid)>,
) -> Result<Response> {
    let Some(me) = Me::of(&ctx)? else { return Ok(to_login(&format!("/mina-arenden/{tenant}/{case}"))) };
    my_case(&st, &ctx, &me, tenant, case).await?;
    let t = TenantId(tenant);
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let (filename, mime, bytes) = messages::citizen_document(&mut tx, t, case, &me.pnr, version).await?.ok_or(Error::NotFound)?;
    let event = Event::new("my.document.read", "case", case).with(serde_json::json!({ "version": version }));
    audit::record(&mut tx, Some(t), &me.actor(), event, st.now()).await?;
    tx.commit().await?;
    Ok(download::attachment(bytes, &mime, &filename))
}

// ------------------------------------------------------------------ settings

#[derive(Template)]
#[template(path = "mycases/settings.html")]
struct SettingsPage<'a> {
    ctx: &'a Ctx,
    /// The channel (radios), the e-mail address and the mobile number.
    fields: Vec<Field>,
    lang: &'static str,
    errors: FormErrors,
    saved: bool,
}

/// The settings page with the values shown and the problems of a refused form.
fn settings_page(
    ctx: &Ctx,
    channel: &str,
    email: String,
    phone: String,
    lang: &'static str,
    errors: FormErrors,
    saved: bool,
) -> Result<Response> {
    let e = &errors;
    let channels =
        Channel::ALL.map(Channel::as_str).into_iter().map(|c| (c.to_string(), ctx.t(&format!("my-channel-{c}")), c == channel)).collect();
    let fields = vec![
        Field::new(ctx, "channel", "my-settings-channel").kind("radios").options(channels, "").errors(e),
        Field::new(ctx, "email", "my-settings-email")
            .kind("email")
            .optional()
            .hint(ctx.t("my-settings-email-hint"))
            .autocomplete("email")
            .value(email)
            .errors(e),
        Field::new(ctx, "phone", "my-settings-phone")
            .kind("tel")
            .optional()
            .hint(ctx.t("my-settings-phone-hint"))
            .autocomplete("tel")
            .value(phone)
            .errors(e),
    ];
    let errors = e.linked_to(&fields.iter().map(|f| (f, f.label.clone())).collect::<Vec<_>>());
    render(&SettingsPage { ctx, fields, lang, errors, saved })
}

#[derive(Deserialize, Default)]
struct SettingsForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    sparat: String,
}

async fn get_settings(State(st): State<AppState>, ctx: Ctx, form::Query(q): form::Query<SettingsForm>) -> Result<Response> {
    let Some(me) = Me::of(&ctx)? else { return Ok(to_login("/mina-arenden/installningar")) };
    let mut tx = st.db.read(me.scope()?).await?;
    let s = settings::of(&mut tx, &me.index).await?;
    tx.commit().await?;
    let s = s.unwrap_or(Settings { channel: Channel::None, email: String::new(), phone: String::new(), lang: ctx.tr.lang });
    settings_page(&ctx, s.channel.as_str(), s.email, s.phone, s.lang.code(), FormErrors::none(), q.sparat == "1")
}

async fn post_settings(State(st): State<AppState>, ctx: Ctx, Form(f): Form<SettingsForm>) -> Result<Response> {
    let Some(me) = Me::of(&ctx)? else { return Ok(to_login("/mina-arenden/installningar")) };
    let result = async {
        let s = settings::parse(&f.channel, &f.email, &f.phone, &f.lang)?;
        // The settings hold for every municipality, so the change is logged in the platform's
        // chain, in the transaction that saves it (the system scope writes both).
        let mut tx = st.db.write(Scope::System).await?;
        settings::save(&mut tx, &me.index, &s, st.now()).await?;
        let event = Event::new("my.settings.changed", "citizen", "")
            .with(serde_json::json!({ "channel": s.channel.as_str(), "lang": s.lang.code() }));
        audit::record(&mut tx, None, &me.actor(), event, st.now()).await?;
        tx.commit().await?;
        Ok("/mina-arenden/installningar?sparat=1".to_string())
    }
    .await;
    form::submit_fields(&ctx, result, |errors| async {
        let lang = radhus_kernel::Lang::parse(&f.lang).unwrap_or(radhus_kernel::Lang::Sv).code();
        // A channel not chosen (or unknown) shows no radio ticked.
        let channel = Channel::parse(&f.channel).map_or("", Channel::as_str);
        settings_page(&ctx, channel, f.email.clone(), f.phone.clone(), lang, errors, false)
    })
    .await
}

// ------------------------------------------------------------------ the citizen's own data

#[derive(Template)]
#[template(path = "mycases/my_data.html")]
struct MyDataPage<'a> {
    ctx: &'a Ctx,
}

async fn get_my_data(ctx: Ctx) -> Result<Response> {
    if Me::of(&ctx)?.is_none() {
        return Ok(to_login("/mina-arenden/mina-uppgifter"));
    }
    render(&MyDataPage { ctx: &ctx })
}

/// Everything the platform holds about the citizen, as a JSON file to keep.
async fn get_my_data_json(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    let Some(me) = Me::of(&ctx)? else { return Ok(to_login("/mina-arenden/mina-uppgifter")) };
    let data = crate::export::everything(&st.db, &st.personal_data, &me.pnr, &me.name, st.now()).await?;
    let body = serde_json::to_vec_pretty(&data).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(download::attachment(body, download::JSON, "mina-uppgifter.json"))
}

/// The same as a readable PDF/A.
async fn get_my_data_pdf(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    let Some(me) = Me::of(&ctx)? else { return Ok(to_login("/mina-arenden/mina-uppgifter")) };
    let data = crate::export::everything(&st.db, &st.personal_data, &me.pnr, &me.name, st.now()).await?;
    let pdf = crate::export::pdf(&data, st.now()).await?;
    Ok(download::attachment(pdf, download::PDF, "mina-uppgifter.pdf"))
}

// ------------------------------------------------------------------ the case types' words

#[derive(Template)]
#[template(path = "mycases/texts.html")]
struct TextsPage<'a> {
    ctx: &'a Ctx,
    types: Vec<radhus_cases::store::CaseType>,
}

fn require_admin(s: &radhus_platform::identity::session::StaffUser) -> Result<()> {
    if s.grants.whole_municipality(radhus_cases::service::ADMIN) { Ok(()) } else { Err(Error::Forbidden) }
}

async fn get_texts(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    require_admin(&s)?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let types = radhus_cases::store::case_types(&mut tx, s.tenant_id).await?.into_iter().filter(|c| c.active).collect();
    tx.commit().await?;
    render(&TextsPage { ctx: &ctx, types })
}

#[derive(Template)]
#[template(path = "mycases/type_texts.html")]
struct TypeTextsPage<'a> {
    ctx: &'a Ctx,
    case_type: radhus_cases::store::CaseType,
    /// Per phase its texts, with the fields of the four texts.
    texts: Vec<(texts::PhaseText, Vec<Field>)>,
    errors: FormErrors,
    saved: bool,
}

impl TypeTextsPage<'_> {
    fn label(&self, p: &crate::phase::Phase) -> String {
        self.ctx.t(p.label())
    }

    fn default_hint(&self, p: &crate::phase::Phase) -> String {
        self.ctx.t(p.hint())
    }
}

async fn type_page(
    st: &AppState,
    ctx: &Ctx,
    s: &radhus_platform::identity::session::StaffUser,
    ct: Uuid,
    shown: Option<Vec<texts::PhaseText>>,
    errors: FormErrors,
    saved: bool,
) -> Result<Response> {
    require_admin(s)?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let case_type = radhus_cases::store::case_types(&mut tx, s.tenant_id).await?.into_iter().find(|c| c.id == ct).ok_or(Error::NotFound)?;
    let stored = texts::of_type(&mut tx, s.tenant_id, ct).await?;
    tx.commit().await?;
    let e = &errors;
    let texts: Vec<(texts::PhaseText, Vec<Field>)> = shown
        .unwrap_or(stored)
        .into_iter()
        .map(|p| {
            let n = p.phase.as_str();
            let field = |what: &str, label: &str, value: &str| {
                let f = Field::new(ctx, &format!("{n}_{what}"), label).optional().value(value.to_string()).errors(e);
                if what.starts_with("text") { f.kind("textarea").rows(2) } else { f }
            };
            let fields = vec![
                field("text_sv", "my-texts-text-sv", &p.text_sv),
                field("text_en", "my-texts-text-en", &p.text_en),
                field("action_sv", "my-texts-action-sv", &p.action_sv),
                field("action_en", "my-texts-action-en", &p.action_en),
            ];
            (p, fields)
        })
        .collect();
    let labelled: Vec<(&Field, String)> = texts
        .iter()
        .flat_map(|(p, fields)| fields.iter().map(|f| (f, format!("{}, {}", ctx.t(p.phase.label()), f.label.to_lowercase()))))
        .collect();
    let errors = e.linked_to(&labelled);
    render(&TypeTextsPage { ctx, case_type, texts, errors, saved })
}

async fn get_type_texts(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(ct): PathIds<Uuid>,
    form::Query(q): form::Query<SettingsForm>,
) -> Result<Response> {
    type_page(&st, &ctx, &s, ct, None, FormErrors::none(), q.sparat == "1").await
}

/// The form's fields per phase: `<phase>_inform`, `<phase>_text_sv`, … (a checkbox left
/// unticked sends nothing).
async fn post_type_texts(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(ct): PathIds<Uuid>,
    Form(f): Form<std::collections::BTreeMap<String, serde_json::Value>>,
) -> Result<Response> {
    // Every field is one text (a repeated one, which no honest form sends, counts as empty).
    let get = |k: String| f.get(&k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let posted: Vec<texts::PhaseText> = crate::phase::Phase::ALL
        .into_iter()
        .map(|p| {
            let n = p.as_str();
            texts::PhaseText {
                phase: p,
                inform: get(format!("{n}_inform")) == "on",
                text_sv: get(format!("{n}_text_sv")),
                text_en: get(format!("{n}_text_en")),
                action_sv: get(format!("{n}_action_sv")),
                action_en: get(format!("{n}_action_en")),
            }
        })
        .collect();
    let result = texts::save(&st.db, &s, ct, &posted, st.now()).await.map(|()| format!("/admin/mina-arenden/{ct}?sparat=1"));
    form::submit_fields(&ctx, result, |errors| type_page(&st, &ctx, &s, ct, Some(posted.clone()), errors, false)).await
}
