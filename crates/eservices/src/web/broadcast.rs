//! The pages of broadcast messages and retention: the municipality's e-service administrator
//! publishes and ends the municipality's broadcasts (`/admin/e-tjanster/driftmeddelanden`) and
//! sets how long drafts live with the deletion log (`/admin/e-tjanster/gallring`); the platform
//! operator publishes to every or chosen municipalities
//! (`/admin/e-tjanster/delade/driftmeddelanden`); citizens read them on the catalogue and
//! service pages, as an Atom feed and as JSON, and ask to be told of them
//! (`/e-tjanster/storningsinformation`).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::Actor;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::{Operator, Require};
use radhus_platform::identity::session::Principal;
use radhus_platform::tenancy;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use time::OffsetDateTime;
use uuid::Uuid;

use super::common::{EsAdmin, TextArea, posted_as};
use crate::broadcast::{self, Broadcast, BroadcastInput, when};
use crate::retention;
use crate::{catalogue, citizen, service};

pub fn routes() -> Routes {
    Routes::new()
        .get("/e-tjanster/driftinformation.atom", get_atom)
        .get("/api/v1/eservices/broadcasts", get_json)
        .post("/e-tjanster/storningsinformation", post_subscribe)
        .get("/admin/e-tjanster/driftmeddelanden", get_local)
        .post("/admin/e-tjanster/driftmeddelanden", post_local)
        .post("/admin/e-tjanster/driftmeddelanden/{id}/avsluta", post_end)
        .get("/admin/e-tjanster/delade/driftmeddelanden", get_platform)
        .post("/admin/e-tjanster/delade/driftmeddelanden", post_platform)
        .post("/admin/e-tjanster/delade/driftmeddelanden/{id}/avsluta", post_end_platform)
        .get("/admin/e-tjanster/gallring", get_retention)
        .post("/admin/e-tjanster/gallring/{tjanst}", post_retention)
}

/// A broadcast as the pages show it.
pub struct Shown {
    pub b: Broadcast,
    pub text: String,
    pub from: String,
    pub until: String,
    /// The titles of the services it pauses.
    pub paused: Vec<String>,
    pub current: bool,
    /// Not over yet (it can be ended now).
    pub open: bool,
}

/// The titles of the municipality's services by key.
async fn titles(tx: &mut radhus_platform::db::Tx, t: TenantId, ctx: &Ctx) -> Result<Vec<(String, String)>> {
    Ok(service::catalogue(tx, t).await?.into_iter().map(|o| (o.key, o.def.title.get(ctx.tr.lang).to_string())).collect())
}

fn shown(ctx: &Ctx, list: Vec<Broadcast>, titles: &[(String, String)], now: OffsetDateTime) -> Vec<Shown> {
    list.into_iter()
        .map(|b| Shown {
            text: b.text(ctx.tr.lang).to_string(),
            from: when(&b.starts_at),
            until: when(&b.ends_at),
            paused: b
                .paused
                .iter()
                .map(|k| titles.iter().find(|(key, _)| key == k).map_or_else(|| k.clone(), |(_, t)| t.clone()))
                .collect(),
            current: b.is_current(now),
            open: b.ends_at > now,
            b,
        })
        .collect()
}

/// The broadcasts in force in the municipality, for the catalogue and a service's page.
pub async fn current_shown(st: &AppState, ctx: &Ctx, t: TenantId) -> Result<Vec<Shown>> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let list = broadcast::current(&mut tx, t, st.now()).await?;
    let titles = if list.iter().any(|b| !b.paused.is_empty()) { titles(&mut tx, t, ctx).await? } else { vec![] };
    tx.commit().await?;
    Ok(shown(ctx, list, &titles, st.now()))
}

/// For a citizen logged in with e-ID: whether they asked to be told of the municipality's
/// broadcasts (`None` for anyone else).
pub async fn subscription(st: &AppState, ctx: &Ctx, t: TenantId) -> Result<Option<bool>> {
    let index = match &ctx.principal {
        Some(Principal::Citizen { pnr, assurance: radhus_platform::identity::session::Assurance::Eid, .. }) => {
            let pnr = radhus_kernel::Personnummer::parse_canonical(pnr).map_err(|_| Error::Internal("a session's number".into()))?;
            radhus_platform::pii::index(&pnr)?
        }
        _ => return Ok(None),
    };
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let on = broadcast::subscribed(&mut tx, t, &index).await?;
    tx.commit().await?;
    Ok(Some(on))
}

// ------------------------------------------------------------------ feeds

async fn get_atom(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let list = broadcast::recent(&mut tx, t, st.now()).await?;
    tx.commit().await?;
    let base = st.site_url(&ctx.host);
    let xml = radhus_platform::web::escape;
    let rfc = |t: &OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let updated = list.iter().map(|b| b.published_at).max().unwrap_or(st.now());
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>urn:uuid:{}</id>\n<updated>{}</updated>\n<link rel=\"alternate\" href=\"{}/e-tjanster\"/>\n",
        xml(&format!("{} – {}", ctx.t("es-bc-feed-title"), ctx.org_title())),
        t.0,
        rfc(&updated),
        xml(&base)
    );
    for b in &list {
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>urn:uuid:{}</id>\n<updated>{}</updated>\n<link href=\"{}/e-tjanster\"/>\n<summary>{}</summary>\n</entry>\n",
            xml(&format!("{}: {} – {}", ctx.t(&format!("es-bc-severity-{}", b.severity)), when(&b.starts_at), when(&b.ends_at))),
            b.id,
            rfc(&b.published_at),
            xml(&base),
            xml(b.text(ctx.tr.lang))
        ));
    }
    out.push_str("</feed>\n");
    let mut r = out.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"));
    Ok(r)
}

async fn get_json(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let now = st.now();
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let list = broadcast::recent(&mut tx, t, now).await?;
    tx.commit().await?;
    let items: Vec<serde_json::Value> = list
        .iter()
        .map(|b| {
            serde_json::json!({
                "id": b.id, "origin": b.origin, "severity": b.severity, "starts_at": b.starts_at, "ends_at": b.ends_at,
                "current": b.is_current(now), "text": { "sv": b.text_sv, "en": b.text_en }, "paused_services": b.paused,
                "published_at": b.published_at,
            })
        })
        .collect();
    Ok(axum::Json(serde_json::json!({ "broadcasts": items })).into_response())
}

// ------------------------------------------------------------------ the citizen's subscription

#[derive(serde::Deserialize, Default)]
struct SubscribeForm {
    #[serde(default)]
    on: String,
}

async fn post_subscribe(State(st): State<AppState>, ctx: Ctx, Form(f): Form<SubscribeForm>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let who = match &ctx.principal {
        Some(Principal::Citizen { pnr, name, assurance: radhus_platform::identity::session::Assurance::Eid, identified_by, .. }) => {
            let pnr = radhus_kernel::Personnummer::parse_canonical(pnr).map_err(|_| Error::Internal("a session's number".into()))?;
            citizen::Citizen::new(pnr, name.clone(), identified_by.clone())?
        }
        Some(Principal::Citizen { .. }) => return Err(crate::EsError::NeedsEid.into()),
        _ => return Ok(axum::response::Redirect::to("/e-legitimation?next=%2Fe-tjanster").into_response()),
    };
    let on = f.on == "1";
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    broadcast::subscribe(&mut tx, t, &who, on, st.now()).await?;
    tx.commit().await?;
    Ok(axum::response::Redirect::to(if on {
        "/e-tjanster?storningsinformation=pa#storningsinformation"
    } else {
        "/e-tjanster?storningsinformation=av#storningsinformation"
    })
    .into_response())
}

// ------------------------------------------------------------------ the administrators' pages

#[derive(Template)]
#[template(path = "eservices/broadcasts.html")]
struct AdminPage<'a> {
    ctx: &'a Ctx,
    /// The operator's page (all municipalities) or a municipality's.
    operator: bool,
    action: &'static str,
    list: Vec<Shown>,
    errors: FormErrors,
    /// Severity and the period.
    fields: Vec<Field>,
    /// The message in Swedish and English.
    texts: Vec<TextArea>,
    /// The operator's municipalities (every one first), then the services to pause.
    choices: Vec<Field>,
    saved: bool,
}

/// The broadcast's fields: (the problem's name, the posted name, the HTML id).
const BROADCAST_FIELDS: [(&str, &str, &str); 7] = [
    ("es_bc_severity", "severity", "es-bc-severity"),
    ("es_bc_starts", "starts", "es-bc-starts"),
    ("es_bc_ends", "ends", "es-bc-ends"),
    ("es_bc_text_sv", "text_sv", "es-bc-text-sv"),
    ("es_bc_text_en", "text_en", "es-bc-text-en"),
    ("es_bc_municipalities", "municipalities", "es-bc-municipalities"),
    ("es_bc_services", "services", "es-bc-services"),
];

/// The value of the municipalities' "every municipality" box (posted as `all=on` too).
const ALL: &str = "alla";

/// The form's fields as posted (or fresh), each with its problem.
fn broadcast_fields(
    ctx: &Ctx,
    f: &BroadcastInput,
    errors: FormErrors,
    services: Vec<(String, String, bool)>,
    municipalities: Option<Vec<(String, String, bool)>>,
) -> (FormErrors, Vec<Field>, Vec<TextArea>, Vec<Field>) {
    let errors = BROADCAST_FIELDS.iter().fold(errors, |e, (problem, _, id)| e.target(problem, id));
    let field = |i: usize| {
        let (problem, _, id) = BROADCAST_FIELDS[i];
        Field::new(ctx, problem, &format!("field-{problem}")).id(id)
    };
    let at = |i: usize, field: Field| posted_as(field, &errors, BROADCAST_FIELDS[i].1);
    let severities =
        broadcast::SEVERITIES.iter().map(|s| (s.to_string(), ctx.t(&format!("es-bc-severity-{s}")), f.severity == *s)).collect();
    let fields = vec![
        at(0, field(0).kind("radios").options(severities, "")),
        at(1, field(1).kind("datetime-local").value(f.starts.clone())),
        at(2, field(2).kind("datetime-local").value(f.ends.clone())),
    ];
    let texts = vec![
        TextArea::new(at(3, field(3).kind("textarea").rows(4).hint(ctx.t("es-bc-text-hint")).value(f.text_sv.clone())), "", ""),
        TextArea::new(at(4, field(4).kind("textarea").rows(4).optional().value(f.text_en.clone())), "", "en"),
    ];
    let mut choices = vec![];
    if let Some(m) = municipalities {
        let every = (ALL.to_string(), ctx.t("es-bc-all"), f.all == "on");
        choices.push(at(5, field(5).kind("checkboxes").options(std::iter::once(every).chain(m).collect(), "")));
    }
    choices.push(at(6, field(6).kind("checkboxes").optional().hint(ctx.t("es-bc-services-hint")).options(services, "")));
    (errors, fields, texts, choices)
}

#[derive(serde::Deserialize, Default)]
struct SavedQuery {
    #[serde(default)]
    sparat: String,
}

fn fresh(now: OffsetDateTime) -> BroadcastInput {
    BroadcastInput {
        severity: "warning".into(),
        starts: broadcast::local_value(now),
        ends: broadcast::local_value(now + time::Duration::hours(2)),
        ..Default::default()
    }
}

async fn local_page(st: &AppState, ctx: &Ctx, t: TenantId, f: BroadcastInput, errors: FormErrors, saved: bool) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let list = broadcast::recent(&mut tx, t, st.now()).await?;
    let titles = titles(&mut tx, t, ctx).await?;
    tx.commit().await?;
    let services = titles.iter().map(|(k, title)| (k.clone(), title.clone(), f.services.contains(k))).collect();
    let (errors, fields, texts, choices) = broadcast_fields(ctx, &f, errors, services, None);
    render(&AdminPage {
        ctx,
        operator: false,
        action: "/admin/e-tjanster/driftmeddelanden",
        list: shown(ctx, list, &titles, st.now()),
        errors,
        fields,
        texts,
        choices,
        saved,
    })
}

async fn get_local(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    form::Query(q): form::Query<SavedQuery>,
) -> Result<Response> {
    local_page(&st, &ctx, staff.tenant_id, fresh(st.now()), FormErrors::none(), q.sparat == "1").await
}

async fn post_local(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, Form(f): Form<BroadcastInput>) -> Result<Response> {
    let t = staff.tenant_id;
    let result = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        broadcast::publish_local(&mut tx, t, &f, &Actor::staff(&staff), st.now()).await?;
        tx.commit().await?;
        Ok("/admin/e-tjanster/driftmeddelanden?sparat=1".to_string())
    }
    .await;
    form::submit_fields(&ctx, result, |errors| local_page(&st, &ctx, t, f.clone(), errors, false)).await
}

async fn post_end(State(st): State<AppState>, staff: Require<EsAdmin>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let t = staff.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    broadcast::end_now(&mut tx, t, id, &Actor::staff(&staff), st.now()).await?;
    tx.commit().await?;
    Ok(axum::response::Redirect::to("/admin/e-tjanster/driftmeddelanden?sparat=1").into_response())
}

async fn platform_page(st: &AppState, ctx: &Ctx, f: BroadcastInput, errors: FormErrors, saved: bool) -> Result<Response> {
    let mut tx = st.db.read(Scope::Platform).await?;
    let tenants = tenancy::list(&mut tx).await?;
    let shared = crate::store::shared_list(&mut tx).await?;
    tx.commit().await?;
    let l = ctx.tr.lang;
    let services = shared
        .iter()
        .map(|s| {
            let title = catalogue::parse_stored(&s.definition).map(|d| d.title.get(l).to_string()).unwrap_or_else(|_| s.key.clone());
            (s.key.clone(), title, f.services.contains(&s.key))
        })
        .collect();
    let municipalities =
        tenants.iter().map(|t| (t.id.0.to_string(), t.name.clone(), f.municipalities.contains(&t.id.0.to_string()))).collect();
    let mut tx = st.db.read(Scope::System).await?;
    let list = broadcast::platform_recent(&mut tx, st.now()).await?;
    tx.commit().await?;
    let titles: Vec<(String, String)> = vec![];
    let (errors, fields, texts, choices) = broadcast_fields(ctx, &f, errors, services, Some(municipalities));
    render(&AdminPage {
        ctx,
        operator: true,
        action: "/admin/e-tjanster/delade/driftmeddelanden",
        list: shown(ctx, list, &titles, st.now()),
        errors,
        fields,
        texts,
        choices,
        saved,
    })
}

async fn get_platform(State(st): State<AppState>, ctx: Ctx, _op: Operator, form::Query(q): form::Query<SavedQuery>) -> Result<Response> {
    platform_page(&st, &ctx, fresh(st.now()), FormErrors::none(), q.sparat == "1").await
}

async fn post_end_platform(State(st): State<AppState>, op: Operator, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let mut tx = st.db.write(Scope::System).await?;
    let actor = Actor::of(&Principal::Operator { id: op.id, name: op.name.clone() });
    broadcast::end_platform(&mut tx, id, &actor, st.now()).await?;
    tx.commit().await?;
    Ok(axum::response::Redirect::to("/admin/e-tjanster/delade/driftmeddelanden?sparat=1").into_response())
}

async fn post_platform(State(st): State<AppState>, ctx: Ctx, op: Operator, Form(mut f): Form<BroadcastInput>) -> Result<Response> {
    // "Every municipality" is the first box of the municipalities' group.
    if f.municipalities.iter().any(|m| m == ALL) {
        f.municipalities.retain(|m| m != ALL);
        f.all = "on".into();
    }
    let result = async {
        let mut tx = st.db.write(Scope::System).await?;
        let tenants: Vec<TenantId> = tenancy::list(&mut tx).await?.into_iter().map(|t| t.id).collect();
        let actor = Actor::of(&Principal::Operator { id: op.id, name: op.name.clone() });
        broadcast::publish_platform(&mut tx, &f, &tenants, &actor, st.now()).await?;
        tx.commit().await?;
        Ok("/admin/e-tjanster/delade/driftmeddelanden?sparat=1".to_string())
    }
    .await;
    form::submit_fields(&ctx, result, |errors| platform_page(&st, &ctx, f.clone(), errors, false)).await
}

// ------------------------------------------------------------------ retention

#[derive(Template)]
#[template(path = "eservices/retention.html")]
struct RetentionPage<'a> {
    ctx: &'a Ctx,
    /// One form per service: (key, title, its days).
    rows: Vec<(String, String, Field)>,
    /// No service is adopted.
    none: bool,
    log: Vec<retention::Deleted>,
    errors: FormErrors,
    saved: bool,
}

impl RetentionPage<'_> {
    fn date(&self, at: &OffsetDateTime) -> String {
        when(at)
    }

    fn default_days(&self) -> i32 {
        retention::DEFAULT_DRAFT_DAYS
    }
}

/// The page; `typed` is the service whose days were refused, with what was typed (only that
/// service's field takes the problem, and the summary links to it).
async fn retention_page(
    st: &AppState,
    ctx: &Ctx,
    t: TenantId,
    errors: FormErrors,
    typed: Option<(String, String)>,
    saved: bool,
) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let settings = retention::settings(&mut tx, t).await?;
    let titles = titles(&mut tx, t, ctx).await?;
    let log = retention::log(&mut tx, t, 100).await?;
    tx.commit().await?;
    let mut errors = errors;
    let none = FormErrors::none();
    let mut rows = vec![];
    for (k, days, own) in settings {
        let title = titles.iter().find(|(key, _)| *key == k).map_or_else(|| k.clone(), |(_, t)| t.clone());
        let id = format!("es-ret-{k}");
        let refused = typed.as_ref().filter(|(key, _)| *key == k).map(|(_, v)| v.clone());
        if refused.is_some() {
            errors = errors.target("es_draft_days", &id);
            // The summary names the service whose days are wrong.
            for e in errors.entries.iter_mut().filter(|e| e.field == "es_draft_days") {
                e.summary = format!("{title}: {}", e.message);
            }
        }
        let hint = ctx.t(if own { "es-ret-own" } else { "es-ret-default" });
        let field = Field::labelled(ctx, "es_draft_days", title.clone()).id(&id).inputmode("numeric").hint(hint);
        let field = match refused {
            Some(v) => posted_as(field.value(v), &errors, "draft_days"),
            None => posted_as(field.value(days.to_string()), &none, "draft_days"),
        };
        rows.push((k, title, field));
    }
    render(&RetentionPage { ctx, none: rows.is_empty(), rows, log, errors, saved })
}

async fn get_retention(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    form::Query(q): form::Query<SavedQuery>,
) -> Result<Response> {
    retention_page(&st, &ctx, staff.tenant_id, FormErrors::none(), None, q.sparat == "1").await
}

#[derive(serde::Deserialize, Default)]
struct DaysForm {
    #[serde(default)]
    draft_days: String,
}

async fn post_retention(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(key): PathIds<String>,
    Form(f): Form<DaysForm>,
) -> Result<Response> {
    let t = staff.tenant_id;
    let result = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        retention::set_draft_days(&mut tx, t, &key, &f.draft_days, &Actor::staff(&staff), st.now()).await?;
        tx.commit().await?;
        Ok("/admin/e-tjanster/gallring?sparat=1".to_string())
    }
    .await;
    form::submit_fields(&ctx, result, |errors| retention_page(&st, &ctx, t, errors, Some((key.clone(), f.draft_days.clone())), false)).await
}
