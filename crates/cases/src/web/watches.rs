//! The pages of watches (`/admin/bevakningar`, setting a watch from a case or a record) and
//! the token-protected Atom and iCalendar feeds.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::form::{Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::cases::on_case;
use super::records::on_record;
use crate::watches::{self, WatchRow, Watched};
use radhus_platform::web::field::{FormErrors, Refused};

pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/admin/bevakningar", get_watches)
        .post("/admin/bevakningar/flode", post_feed_token)
        .post("/admin/arenden/{id}/bevakningar", post_watch)
        .post("/admin/handlingar/{id}/bevakningar", post_record_watch)
        .post("/admin/bevakningar/{id}/klar", post_done)
        .get("/flode/{token}/bevakningar.atom", get_atom)
        .get("/flode/{token}/bevakningar.ics", get_ics)
}

#[derive(Template)]
#[template(path = "cases/watches.html")]
struct WatchesPage<'a> {
    ctx: &'a Ctx,
    watches: Vec<WatchRow>,
    feed: Option<(String, String)>,
    now: OffsetDateTime,
}

impl WatchesPage<'_> {
    fn date(&self, t: &OffsetDateTime) -> String {
        t.date().to_string()
    }
    fn overdue(&self, w: &WatchRow) -> bool {
        w.due_at < self.now
    }
}

async fn watches_page(st: &AppState, ctx: &Ctx, s: &StaffUser, feed: Option<(String, String)>) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let watches = watches::of_owner(&mut tx, s.tenant_id, s.user_id.0).await?;
    tx.commit().await?;
    render(&WatchesPage { ctx, watches, feed, now: st.now() })
}

async fn get_watches(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    watches_page(&st, &ctx, &s, None).await
}

fn base_url(st: &AppState, ctx: &Ctx) -> String {
    st.site_url(&ctx.host)
}

/// Makes a new feed address (the old one stops working) and shows it once.
async fn post_feed_token(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    let token = watches::new_feed_token(&st.db, &s, st.now()).await?;
    let base = base_url(&st, &ctx);
    let feed = (format!("{base}/flode/{token}/bevakningar.atom"), format!("{base}/flode/{token}/bevakningar.ics"));
    watches_page(&st, &ctx, &s, Some(feed)).await
}

#[derive(Deserialize)]
struct WatchForm {
    #[serde(default)]
    due: String,
    #[serde(default)]
    remind_days: String,
    #[serde(default)]
    note: String,
}

async fn post_watch(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(case): PathIds<Uuid>,
    Form(f): Form<WatchForm>,
) -> Result<Response> {
    let result = add_from_form(&st, &s, Watched::Case(case), &f).await.map(|_| ());
    on_case(&st, &ctx, &s, case, result, |e| f.refused(e)).await
}

impl WatchForm {
    /// The watch form refused with `errors`, with what it posted.
    fn refused(&self, errors: FormErrors) -> Refused {
        Refused::form("watch", errors, [("due", &self.due), ("remind_days", &self.remind_days), ("note", &self.note)])
    }
}

/// Every problem of the form at once: the date, the reminder and the note are checked here
/// before [`watches::add`] checks them again with the watched case or record.
async fn add_from_form(st: &AppState, s: &StaffUser, on: Watched, f: &WatchForm) -> Result<Uuid> {
    let mut errs = vec![];
    let due = match f.due.trim() {
        "" => {
            errs.push(FieldError::new("due", "err-watch-due"));
            None
        }
        d => watches::parse_due(d).map_err(|e| errs.extend(e.field_errors().iter().cloned())).ok(),
    };
    let days = match f.remind_days.trim() {
        "" => Some(0),
        d => d.parse::<i64>().map_err(|_| errs.push(FieldError::new("remind_days", "err-watch-remind"))).ok(),
    };
    if f.note.trim().is_empty() {
        errs.push(FieldError::new("note", "err-watch-note"));
    }
    match (due, days) {
        (Some(due), Some(days)) if errs.is_empty() => watches::add(&st.db, s, on, due, days, &f.note, st.now()).await,
        _ => Err(Error::Invalid(errs)),
    }
}

async fn post_record_watch(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(record): PathIds<Uuid>,
    Form(f): Form<WatchForm>,
) -> Result<Response> {
    let result = add_from_form(&st, &s, Watched::Record(record), &f).await.map(|_| ());
    on_record(&st, &ctx, &s, record, result, |e| f.refused(e)).await
}

async fn post_done(State(st): State<AppState>, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    watches::done(&st.db, &s, id, st.now()).await?;
    Ok(Redirect::to("/admin/bevakningar").into_response())
}

// ------------------------------------------------------------------ feeds

/// The feed of a token on this host's municipality; a wrong token is "not found".
async fn feed(st: &AppState, ctx: &Ctx, token: &str) -> Result<(Uuid, Vec<WatchRow>)> {
    let t = ctx.require_tenant()?.id;
    watches::feed(&st.db, t, token, st.now()).await
}

fn xml(s: &str) -> String {
    radhus_platform::web::escape(s)
}

async fn get_atom(State(st): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> Result<Response> {
    let (user, watches) = feed(&st, &ctx, &token).await?;
    let base = base_url(&st, &ctx);
    let rfc = |t: &OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>urn:uuid:{user}</id>\n<updated>{}</updated>\n<link rel=\"alternate\" href=\"{}/admin/bevakningar\"/>\n",
        xml(&format!("Bevakningar – {}", ctx.org_title())),
        rfc(&st.now()),
        xml(&base)
    );
    for w in &watches {
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>urn:uuid:{}</id>\n<updated>{}</updated>\n<link href=\"{}{}\"/>\n<summary>{}</summary>\n</entry>\n",
            xml(&format!("{} {}: {}", w.due_at.date(), w.number, w.note)),
            w.id,
            rfc(&w.created_at),
            xml(&base),
            w.path(),
            xml(&w.case_title)
        ));
    }
    out.push_str("</feed>\n");
    let mut r = out.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"));
    Ok(r)
}

async fn get_ics(State(st): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> Result<Response> {
    let (_, watches) = feed(&st, &ctx, &token).await?;
    let body = watches::calendar(&watches, &base_url(&st, &ctx), st.now());
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    Ok(r)
}
