//! The public diary's pages (`/diarium`, `/diarium/arende/{id}`), open to anyone.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::audit::Actor;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::web::form::{Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use uuid::Uuid;

use crate::public::{self, DiaryQuery, PublicCase, PublicRecord};
use crate::request::{self, DocumentRequest};

pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/diarium", get_diary)
        .get("/diarium/arende/{id}", get_public_case)
        .get("/diarium/arende/{id}/begar", get_request)
        .post("/diarium/arende/{id}/begar", post_request)
}

/// How to reach the registry: the municipality's contact details (address, e-mail, phone).
struct Contact {
    address: String,
    email: String,
    phone: String,
}

impl Contact {
    fn of(ctx: &Ctx) -> Contact {
        let t = ctx.tenant();
        Contact {
            address: t.map(|t| t.address.clone()).unwrap_or_default(),
            email: t.map(|t| t.contact_email.clone()).unwrap_or_default(),
            phone: t.map(|t| t.contact_phone.clone()).unwrap_or_default(),
        }
    }
    fn is_empty(&self) -> bool {
        self.address.is_empty() && self.email.is_empty() && self.phone.is_empty()
    }
}

#[derive(Template)]
#[template(path = "cases/public_list.html")]
struct DiaryPage<'a> {
    ctx: &'a Ctx,
    q: String,
    q_param: String,
    cases: Vec<PublicCase>,
    total: i64,
    page: i64,
    pages: i64,
    contact: Contact,
}

impl DiaryPage<'_> {
    /// A diary number in a link's query.
    fn enc(&self, number: &str) -> String {
        radhus_platform::web::url_encode(number)
    }
    fn status_label(&self, s: &str) -> String {
        self.ctx.t(&format!("case-status-{s}"))
    }
}

async fn get_diary(State(st): State<AppState>, ctx: Ctx, Query(q): Query<DiaryQuery>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let text = q.q.unwrap_or_default();
    let page = q.sida.as_deref().and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (cases, total) = public::search_cases(&mut tx, t, &text, page).await?;
    tx.commit().await?;
    let pages = ((total + public::PER_PAGE - 1) / public::PER_PAGE).max(1);
    let q_param: String = radhus_platform::web::url_encode(&text);
    render(&DiaryPage { ctx: &ctx, q: text, q_param, cases, total, page, pages, contact: Contact::of(&ctx) })
}

#[derive(Template)]
#[template(path = "cases/public_case.html")]
struct PublicCasePage<'a> {
    ctx: &'a Ctx,
    case: PublicCase,
    records: Vec<PublicRecord>,
    contact: Contact,
}

impl PublicCasePage<'_> {
    /// A diary number in a link's query.
    fn enc(&self, number: &str) -> String {
        radhus_platform::web::url_encode(number)
    }
    fn kind_label(&self, s: &str) -> String {
        self.ctx.t(&format!("record-kind-{s}"))
    }
    fn status_label(&self, s: &str) -> String {
        self.ctx.t(&format!("case-status-{s}"))
    }
}

async fn get_public_case(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (case, records) = public::case_with_records(&mut tx, t, id).await?;
    tx.commit().await?;
    render(&PublicCasePage { ctx: &ctx, case, records, contact: Contact::of(&ctx) })
}

// ------------------------------------------------------------------ a request for a document

#[derive(Deserialize, Default)]
struct RequestQuery {
    /// The diary number the row's link fills in.
    handling: Option<String>,
}

/// One problem of the request form: the field and the message.
struct Problem {
    field: &'static str,
    summary: String,
    message: String,
}

#[derive(Template)]
#[template(path = "cases/public_request.html")]
struct RequestPage<'a> {
    ctx: &'a Ctx,
    case: PublicCase,
    f: DocumentRequest,
    problems: Vec<Problem>,
    contact: Contact,
}

impl RequestPage<'_> {
    fn case_name(&self) -> String {
        format!("{} {}", self.case.number, self.case.title)
    }
    fn err(&self, field: &str) -> Option<&str> {
        self.problems.iter().find(|p| p.field == field).map(|p| p.message.as_str())
    }
    fn described(&self, field: &str, hint: &str) -> String {
        let mut ids = vec![hint.to_string()];
        if self.err(field).is_some() {
            ids.push(format!("{field}-error"));
        }
        ids.join(" ")
    }
}

#[derive(Template)]
#[template(path = "cases/public_request_done.html")]
struct RequestDonePage<'a> {
    ctx: &'a Ctx,
    case: PublicCase,
    record_number: String,
    contact: Contact,
}

async fn request_page(st: &AppState, ctx: &Ctx, id: Uuid, f: DocumentRequest, problems: Vec<Problem>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (case, _) = public::case_with_records(&mut tx, t, id).await?;
    tx.commit().await?;
    render(&RequestPage { ctx, case, f, problems, contact: Contact::of(ctx) })
}

async fn get_request(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>, Query(q): Query<RequestQuery>) -> Result<Response> {
    let f = DocumentRequest { handling: q.handling.unwrap_or_default().chars().take(60).collect(), ..Default::default() };
    request_page(&st, &ctx, id, f, vec![]).await
}

async fn post_request(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<DocumentRequest>,
) -> Result<Response> {
    let tenant = ctx.require_tenant()?.id;
    // Counted like the other public forms: per client address in this municipality.
    let key = format!("diary-request:{}", ctx.client);
    if !radhus_platform::web::rate::allow(&st.db, Some(tenant), &key, st.config.login_attempts_per_minute, st.now()).await? {
        return Err(Error::RateLimited);
    }
    let actor = Actor::of_opt(ctx.principal.as_ref(), &ctx.client);
    match request::register(&st.db, tenant, actor, id, &f, st.now()).await {
        Ok(done) => {
            let mut tx = st.db.read(Scope::Tenant(tenant)).await?;
            let (case, _) = public::case_with_records(&mut tx, tenant, id).await?;
            tx.commit().await?;
            render(&RequestDonePage { ctx: &ctx, case, record_number: done.record_number, contact: Contact::of(&ctx) })
        }
        Err(Error::Invalid(fields)) => {
            let problems: Vec<Problem> = fields
                .iter()
                .filter_map(|e| {
                    let field = ["handling", "beskrivning", "namn", "kontakt"].into_iter().find(|f| *f == e.field)?;
                    let message = ctx.t(&e.message);
                    Some(Problem { field, summary: format!("{}: {message}", ctx.t(&format!("request-field-{field}"))), message })
                })
                .collect();
            let e = Error::Invalid(fields);
            Ok(radhus_platform::web::errors::with_error_status(&e, request_page(&st, &ctx, id, f, problems).await?))
        }
        Err(e) => Err(e),
    }
}
