//! A read-only JSON API shaped like OParl 1.1 (<https://oparl.org/spezifikation/>) under
//! `/api/v1/oparl/…`, so council-data tools (OParl clients, scrapers of Ratsinformationssysteme)
//! can read the municipality's committees, meetings, agenda items and papers.
//!
//! One host is one municipality, so the system has one body (its id is the municipality's).
//! Ids are the objects' URLs, lists are paginated (`?page=`, [`PER_PAGE`] per page) with
//! OParl's `pagination` and `links`. Only what the public pages show is served, through the
//! same functions (`crate::public`, `crate::masking`): meetings once their notice is issued,
//! secret items never (asking for one is "not found" like an unknown id, `PLT-001` as JSON),
//! names of private persons and identity numbers masked. Papers are the memos (the
//! tjänsteskrivelse) of the published decision items.

use axum::Json;
use axum::extract::State;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::web::errors::ApiError;
use radhus_platform::web::form::{PathIds, Query};
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::OpenApi;
use uuid::Uuid;

use crate::core::MeetingState;
use crate::public;
use crate::store::{Committee, Item, Meeting};

pub const PREFIX: &str = "/api/v1/oparl";
pub const PER_PAGE: usize = 20;
const SCHEMA: &str = "https://schema.oparl.org/1.1/";

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/oparl/system", get_system)
        .get("/api/v1/oparl/body", get_bodies)
        .get("/api/v1/oparl/body/{id}", get_body)
        .get("/api/v1/oparl/body/{id}/organization", get_organizations)
        .get("/api/v1/oparl/body/{id}/meeting", get_meetings)
        .get("/api/v1/oparl/body/{id}/paper", get_papers)
        .get("/api/v1/oparl/organization/{id}", get_organization)
        .get("/api/v1/oparl/organization/{id}/meeting", get_organization_meetings)
        .get("/api/v1/oparl/meeting/{id}", get_meeting)
        .get("/api/v1/oparl/agendaItem/{id}", get_agenda_item)
        .get("/api/v1/oparl/paper/{id}", get_paper)
}

#[derive(OpenApi)]
#[openapi(
    paths(
        get_system,
        get_bodies,
        get_body,
        get_organizations,
        get_meetings,
        get_papers,
        get_organization,
        get_organization_meetings,
        get_meeting,
        get_agenda_item,
        get_paper
    ),
    components(schemas(
        System,
        Body,
        Organization,
        OparlMeeting,
        AgendaItem,
        Paper,
        Pagination,
        Links,
        OrganizationList,
        MeetingList,
        PaperList,
        BodyList,
        ApiError
    ))
)]
pub struct OparlApi;

pub fn document() -> utoipa::openapi::OpenApi {
    OparlApi::openapi()
}

fn ty(name: &str) -> String {
    format!("{SCHEMA}{name}")
}

fn rfc3339(t: &OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// `oparl:System`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct System {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub oparl_version: String,
    pub body: String,
    pub name: String,
    pub website: String,
    pub vendor: String,
    pub product: String,
}

/// `oparl:Body`: the municipality.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Body {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub system: String,
    pub name: String,
    pub short_name: String,
    pub website: String,
    pub organization: String,
    pub meeting: String,
    pub paper: String,
    /// Not modelled (terms are per member); always empty.
    pub legislative_term: Vec<String>,
    pub web: String,
}

/// `oparl:Organization`: a committee (Gremium).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub body: String,
    pub name: String,
    pub short_name: String,
    pub organization_type: String,
    /// kf, ks, namnd or utskott.
    pub classification: String,
    pub meeting: String,
    pub web: String,
}

/// `oparl:AgendaItem`, also embedded in its meeting.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgendaItem {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub meeting: String,
    /// The paragraph (`KS § 12`) once the minutes are adjusted, else the position.
    pub number: String,
    pub order: i32,
    pub name: String,
    pub public: bool,
    /// The outcome (beslutat, bordlagt, …) once the minutes are adjusted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paper: Option<String>,
    pub web: String,
}

/// `oparl:Meeting`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OparlMeeting {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    /// `eingeladen` (notice issued), `durchgeführt` (held) or the state in Rådhus' words.
    pub meeting_state: String,
    pub cancelled: bool,
    pub start: String,
    pub end: String,
    /// The place, as text (OParl's `location.description`).
    pub location: serde_json::Value,
    pub organization: Vec<String>,
    pub agenda_item: Vec<AgendaItem>,
    pub web: String,
    pub modified: String,
}

/// `oparl:Paper`: the memo of a decision item.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Paper {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub body: String,
    pub name: String,
    /// The case's diary number.
    pub reference: String,
    pub paper_type: String,
    /// The proposed decision (förslag till beslut).
    pub proposal: String,
    pub web: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub total_elements: usize,
    pub elements_per_page: usize,
    pub current_page: usize,
    pub total_pages: usize,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Links {
    pub first: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    pub last: String,
}

/// A page of an OParl list.
#[derive(Debug, Serialize)]
pub struct List<T> {
    pub data: Vec<T>,
    pub pagination: Pagination,
    pub links: Links,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BodyList {
    pub data: Vec<Body>,
    pub pagination: Pagination,
    pub links: Links,
}
#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganizationList {
    pub data: Vec<Organization>,
    pub pagination: Pagination,
    pub links: Links,
}
#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingList {
    pub data: Vec<OparlMeeting>,
    pub pagination: Pagination,
    pub links: Links,
}
#[derive(Serialize, utoipa::ToSchema)]
pub struct PaperList {
    pub data: Vec<Paper>,
    pub pagination: Pagination,
    pub links: Links,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// 1-based page; a page past the last is empty.
    pub page: Option<String>,
}

/// One page of `all` with OParl's pagination; a page that is not a positive number is refused.
pub fn paginate<T>(all: Vec<T>, page: Option<&str>, url: &str) -> Result<List<T>> {
    let page = match page.map(str::trim) {
        None | Some("") => 1,
        Some(p) => match p.parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => return Err(Error::invalid("page", "mtg-err-oparl-page")),
        },
    };
    let total = all.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let data: Vec<T> = all.into_iter().skip((page - 1) * PER_PAGE).take(PER_PAGE).collect();
    let at = |n: usize| format!("{url}?page={n}");
    Ok(List {
        data,
        pagination: Pagination { total_elements: total, elements_per_page: PER_PAGE, current_page: page, total_pages: pages },
        links: Links {
            first: at(1),
            prev: (page > 1).then(|| at((page - 1).min(pages))),
            next: (page < pages).then(|| at(page + 1)),
            last: at(pages),
        },
    })
}

/// The base URL of this host and its municipality.
struct Site {
    base: String,
    t: TenantId,
    name: String,
    website: String,
}

impl Site {
    fn of(st: &AppState, ctx: &Ctx) -> Result<Site> {
        let tenant = ctx.require_tenant()?;
        let base = st.site_url(&tenant.hosts.first().cloned().unwrap_or_default());
        Ok(Site { base, t: tenant.id, name: tenant.name.clone(), website: tenant.website.clone() })
    }
    fn api(&self, path: &str) -> String {
        format!("{}{PREFIX}/{path}", self.base)
    }
    fn body_id(&self) -> String {
        self.api(&format!("body/{}", self.t.0))
    }
    /// A body id in a path must be this host's municipality.
    fn check_body(&self, id: Uuid) -> Result<()> {
        if id == self.t.0 { Ok(()) } else { Err(Error::NotFound) }
    }
    fn body(&self) -> Body {
        let id = self.body_id();
        Body {
            kind: ty("Body"),
            system: self.api("system"),
            name: self.name.clone(),
            short_name: self.name.clone(),
            website: self.website.clone(),
            organization: format!("{id}/organization"),
            meeting: format!("{id}/meeting"),
            paper: format!("{id}/paper"),
            legislative_term: vec![],
            web: format!("{}/moten", self.base),
            id,
        }
    }
    fn organization(&self, c: &Committee) -> Organization {
        let id = self.api(&format!("organization/{}", c.id));
        Organization {
            kind: ty("Organization"),
            body: self.body_id(),
            name: c.name.clone(),
            short_name: c.code.clone(),
            organization_type: "Gremium".into(),
            classification: c.kind.clone(),
            meeting: format!("{id}/meeting"),
            web: format!("{}/moten/organ/{}", self.base, c.id),
            id,
        }
    }
    fn agenda_item(&self, m: &Meeting, i: &Item) -> AgendaItem {
        let minutes = public::minutes_published(m);
        let number = match (minutes, i.paragraph) {
            (true, Some(n)) => format!("{} § {n}", m.committee_code),
            _ => i.position.to_string(),
        };
        AgendaItem {
            id: self.api(&format!("agendaItem/{}", i.id)),
            kind: ty("AgendaItem"),
            meeting: self.api(&format!("meeting/{}", m.id)),
            number,
            order: i.position,
            name: i.title.clone(),
            public: m.public,
            result: minutes.then(|| outcome_sv(i.outcome.as_deref()).to_string()).filter(|s| !s.is_empty()),
            resolution_text: (minutes && !i.decision.is_empty()).then(|| i.decision.clone()),
            paper: is_paper(i).then(|| self.api(&format!("paper/{}", i.id))),
            web: format!("{}/moten/mote/{}#punkt-{}", self.base, m.id, i.id),
        }
    }
    fn meeting(&self, m: &Meeting, items: &[Item]) -> OparlMeeting {
        let state = match m.state() {
            MeetingState::NoticeIssued => "eingeladen".to_string(),
            MeetingState::Held | MeetingState::MinutesDrafted => "durchgeführt".to_string(),
            MeetingState::Adjusted | MeetingState::Posted | MeetingState::AppealEnded => "Protokoll justiert".to_string(),
            s => s.as_str().to_string(),
        };
        OparlMeeting {
            id: self.api(&format!("meeting/{}", m.id)),
            kind: ty("Meeting"),
            name: format!("{} {}", m.committee_name, crate::core::when(&m.starts_at)),
            meeting_state: state,
            cancelled: m.state() == MeetingState::Cancelled,
            start: rfc3339(&m.starts_at),
            end: rfc3339(&(m.starts_at + Duration::hours(2))),
            location: serde_json::json!({ "type": ty("Location"), "description": m.place }),
            organization: vec![self.api(&format!("organization/{}", m.committee_id))],
            agenda_item: items.iter().map(|i| self.agenda_item(m, i)).collect(),
            web: format!("{}/moten/mote/{}", self.base, m.id),
            modified: rfc3339(&m.adjusted_at.or(m.notice_issued_at).unwrap_or(m.starts_at)),
        }
    }
    fn paper(&self, i: &Item) -> Paper {
        Paper {
            id: self.api(&format!("paper/{}", i.id)),
            kind: ty("Paper"),
            body: self.body_id(),
            name: i.title.clone(),
            reference: i.case_number.clone(),
            paper_type: "Tjänsteskrivelse".into(),
            proposal: i.proposal.clone(),
            web: format!("{}/moten/mote/{}#punkt-{}", self.base, i.meeting_id, i.id),
        }
    }
}

fn outcome_sv(o: Option<&str>) -> &'static str {
    match o {
        Some("decided") => "beslutat",
        Some("tabled") => "bordlagt",
        Some("referred_back") => "återremitterat",
        Some("withdrawn") => "utgår",
        Some("noted") => "noterat",
        _ => "",
    }
}

/// An item with a memo record is a paper.
fn is_paper(i: &Item) -> bool {
    i.record_id.is_some() && !i.is_heading()
}

async fn meetings_with_items(tx: &mut Tx, t: TenantId, ms: Vec<Meeting>) -> Result<Vec<(Meeting, Vec<Item>)>> {
    let mut out = vec![];
    for m in ms {
        let items = public::items(tx, t, &m).await?;
        out.push((m, items));
    }
    Ok(out)
}

/// The OParl system: the entry point of a client.
#[utoipa::path(get, path = "/api/v1/oparl/system", tag = "oparl", responses((status = 200, body = System)))]
async fn get_system(State(st): State<AppState>, ctx: Ctx) -> Result<Json<System>> {
    let s = Site::of(&st, &ctx)?;
    Ok(Json(System {
        id: s.api("system"),
        kind: ty("System"),
        oparl_version: SCHEMA.into(),
        body: s.api("body"),
        name: format!("Rådhus – {}", s.name),
        website: s.website.clone(),
        vendor: "https://github.com/radhus".into(),
        product: "Rådhus".into(),
    }))
}

/// The bodies: the municipality of this host.
#[utoipa::path(get, path = "/api/v1/oparl/body", tag = "oparl", params(PageQuery), responses((status = 200, body = BodyList), (status = 400, body = ApiError)))]
async fn get_bodies(State(st): State<AppState>, ctx: Ctx, Query(q): Query<PageQuery>) -> Result<Json<List<Body>>> {
    let s = Site::of(&st, &ctx)?;
    Ok(Json(paginate(vec![s.body()], q.page.as_deref(), &s.api("body"))?))
}

#[utoipa::path(get, path = "/api/v1/oparl/body/{id}", tag = "oparl", params(("id" = String, Path)), responses((status = 200, body = Body), (status = 404, body = ApiError)))]
async fn get_body(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Json<Body>> {
    let s = Site::of(&st, &ctx)?;
    s.check_body(id)?;
    Ok(Json(s.body()))
}

/// The committees.
#[utoipa::path(get, path = "/api/v1/oparl/body/{id}/organization", tag = "oparl", params(("id" = String, Path), PageQuery), responses((status = 200, body = OrganizationList), (status = 404, body = ApiError)))]
async fn get_organizations(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds(id): PathIds<Uuid>,
    Query(q): Query<PageQuery>,
) -> Result<Json<List<Organization>>> {
    let s = Site::of(&st, &ctx)?;
    s.check_body(id)?;
    let mut tx = st.db.read(Scope::Tenant(s.t)).await?;
    let cs = public::committees(&mut tx, s.t).await?;
    tx.commit().await?;
    let all = cs.iter().map(|c| s.organization(c)).collect();
    Ok(Json(paginate(all, q.page.as_deref(), &format!("{}/organization", s.body_id()))?))
}

/// The published meetings, newest first, each with its public agenda items.
#[utoipa::path(get, path = "/api/v1/oparl/body/{id}/meeting", tag = "oparl", params(("id" = String, Path), PageQuery), responses((status = 200, body = MeetingList), (status = 404, body = ApiError)))]
async fn get_meetings(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds(id): PathIds<Uuid>,
    Query(q): Query<PageQuery>,
) -> Result<Json<List<OparlMeeting>>> {
    let s = Site::of(&st, &ctx)?;
    s.check_body(id)?;
    let mut tx = st.db.read(Scope::Tenant(s.t)).await?;
    let ms = public::meetings(&mut tx, s.t).await?;
    let url = format!("{}/meeting", s.body_id());
    // Only the requested page's items are read.
    let page = paginate(ms, q.page.as_deref(), &url)?;
    let data = meetings_with_items(&mut tx, s.t, page.data).await?;
    tx.commit().await?;
    Ok(Json(List { data: data.iter().map(|(m, i)| s.meeting(m, i)).collect(), pagination: page.pagination, links: page.links }))
}

/// The papers (memos) of published, not secret decision items.
#[utoipa::path(get, path = "/api/v1/oparl/body/{id}/paper", tag = "oparl", params(("id" = String, Path), PageQuery), responses((status = 200, body = PaperList), (status = 404, body = ApiError)))]
async fn get_papers(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds(id): PathIds<Uuid>,
    Query(q): Query<PageQuery>,
) -> Result<Json<List<Paper>>> {
    let s = Site::of(&st, &ctx)?;
    s.check_body(id)?;
    let mut tx = st.db.read(Scope::Tenant(s.t)).await?;
    let ms = public::meetings(&mut tx, s.t).await?;
    let data = meetings_with_items(&mut tx, s.t, ms).await?;
    tx.commit().await?;
    let all = data.iter().flat_map(|(_, items)| items.iter().filter(|i| is_paper(i)).map(|i| s.paper(i))).collect();
    Ok(Json(paginate(all, q.page.as_deref(), &format!("{}/paper", s.body_id()))?))
}

#[utoipa::path(get, path = "/api/v1/oparl/organization/{id}", tag = "oparl", params(("id" = String, Path)), responses((status = 200, body = Organization), (status = 404, body = ApiError)))]
async fn get_organization(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Json<Organization>> {
    let s = Site::of(&st, &ctx)?;
    let mut tx = st.db.read(Scope::Tenant(s.t)).await?;
    let c = public::committee(&mut tx, s.t, id).await?;
    tx.commit().await?;
    Ok(Json(s.organization(&c)))
}

/// A committee's published meetings.
#[utoipa::path(get, path = "/api/v1/oparl/organization/{id}/meeting", tag = "oparl", params(("id" = String, Path), PageQuery), responses((status = 200, body = MeetingList), (status = 404, body = ApiError)))]
async fn get_organization_meetings(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds(id): PathIds<Uuid>,
    Query(q): Query<PageQuery>,
) -> Result<Json<List<OparlMeeting>>> {
    let s = Site::of(&st, &ctx)?;
    let mut tx = st.db.read(Scope::Tenant(s.t)).await?;
    public::committee(&mut tx, s.t, id).await?;
    let ms = public::meetings_of(&mut tx, s.t, id).await?;
    let page = paginate(ms, q.page.as_deref(), &s.api(&format!("organization/{id}/meeting")))?;
    let data = meetings_with_items(&mut tx, s.t, page.data).await?;
    tx.commit().await?;
    Ok(Json(List { data: data.iter().map(|(m, i)| s.meeting(m, i)).collect(), pagination: page.pagination, links: page.links }))
}

#[utoipa::path(get, path = "/api/v1/oparl/meeting/{id}", tag = "oparl", params(("id" = String, Path)), responses((status = 200, body = OparlMeeting), (status = 404, body = ApiError)))]
async fn get_meeting(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Json<OparlMeeting>> {
    let s = Site::of(&st, &ctx)?;
    let mut tx = st.db.read(Scope::Tenant(s.t)).await?;
    let m = public::meeting(&mut tx, s.t, id).await?;
    let items = public::items(&mut tx, s.t, &m).await?;
    tx.commit().await?;
    Ok(Json(s.meeting(&m, &items)))
}

/// An agenda item; a secret one is "not found", as an unknown id.
#[utoipa::path(get, path = "/api/v1/oparl/agendaItem/{id}", tag = "oparl", params(("id" = String, Path)), responses((status = 200, body = AgendaItem), (status = 404, body = ApiError)))]
async fn get_agenda_item(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Json<AgendaItem>> {
    let s = Site::of(&st, &ctx)?;
    let mut tx = st.db.read(Scope::Tenant(s.t)).await?;
    let (m, i) = public::item(&mut tx, s.t, id).await?;
    tx.commit().await?;
    Ok(Json(s.agenda_item(&m, &i)))
}

/// A paper (the memo of a decision item); a secret one is "not found", as an unknown id.
#[utoipa::path(get, path = "/api/v1/oparl/paper/{id}", tag = "oparl", params(("id" = String, Path)), responses((status = 200, body = Paper), (status = 404, body = ApiError)))]
async fn get_paper(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Json<Paper>> {
    let s = Site::of(&st, &ctx)?;
    let mut tx = st.db.read(Scope::Tenant(s.t)).await?;
    let (_, i) = public::item(&mut tx, s.t, id).await?;
    tx.commit().await?;
    if !is_paper(&i) {
        return Err(Error::NotFound);
    }
    Ok(Json(s.paper(&i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_carry_oparl_pagination_and_links() {
        let p = paginate((0..45).collect::<Vec<_>>(), Some("2"), "https://x/l").expect("page 2");
        assert_eq!(p.data, (20..40).collect::<Vec<_>>());
        assert_eq!(p.pagination.total_pages, 3);
        assert_eq!(p.links.prev.as_deref(), Some("https://x/l?page=1"));
        assert_eq!(p.links.next.as_deref(), Some("https://x/l?page=3"));
        assert_eq!(p.links.last, "https://x/l?page=3");
        let empty = paginate(Vec::<i32>::new(), None, "u").expect("first page");
        assert_eq!((empty.pagination.total_pages, empty.links.next), (1, None));
        assert!(paginate(vec![1], Some("0"), "u").is_err());
        assert!(paginate(vec![1], Some("<b>"), "u").is_err());
        assert!(paginate(vec![1], Some("9"), "u").expect("past the end").data.is_empty());
    }
}
