//! The election office's pages under `/admin/val`: the elections, one election's overview and
//! settings, its structure (valkretsar, valdistrikt, polling stations, shifts) and a station
//! with its opening hours and positions. The other areas add their pages in their own files.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::{Require, Staff};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::form::{self, Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use uuid::Uuid;

use crate::structure::service::{
    self, DistrictInput, ElectionInput, OpeningInput, PositionsInput, SettingsInput, ShiftInput, StationInput,
};
use crate::structure::store::{self, ConstituencyRow, DistrictRow, ElectionRow, OpeningRow, PositionRow, ShiftRow, StationRow};
use crate::support::office::Office;
use crate::support::view;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/val", get_elections)
        .post("/admin/val", post_election)
        .get("/admin/val/{id}", get_election)
        .post("/admin/val/{id}/installningar", post_settings)
        .get("/admin/val/{id}/struktur", get_structure)
        .post("/admin/val/{id}/valkretsar", post_constituency)
        .post("/admin/val/{id}/distrikt", post_district)
        .post("/admin/val/{id}/lokaler", post_station)
        .post("/admin/val/{id}/pass", post_shift)
        .get("/admin/val/{id}/valkretsar/{cid}", get_constituency)
        .post("/admin/val/{id}/valkretsar/{cid}", post_constituency_rename)
        .get("/admin/val/{id}/distrikt/{code}", get_district)
        .post("/admin/val/{id}/distrikt/{code}", post_district_update)
        .get("/admin/val/{id}/pass/{shift}", get_shift)
        .post("/admin/val/{id}/pass/{shift}", post_shift_update)
        .post("/admin/val/{id}/pass/{shift}/ta-bort", post_shift_remove)
        .get("/admin/val/{id}/lokaler/{sid}", get_station)
        .post("/admin/val/{id}/lokaler/{sid}/andra", post_station_update)
        .post("/admin/val/{id}/lokaler/{sid}/oppettider", post_opening)
        .post("/admin/val/{id}/lokaler/{sid}/oppettider/ta-bort", post_opening_remove)
        .post("/admin/val/{id}/lokaler/{sid}/platser", post_positions)
        .post("/admin/val/{id}/lokaler/{sid}/platser/ta-bort", post_position_remove)
}

// ------------------------------------------------------------------ elections

#[derive(Template)]
#[template(path = "elections/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    elections: Vec<ElectionRow>,
    kinds: Vec<(&'static str, &'static str)>,
    is_office: bool,
    errors: Vec<String>,
    form: ElectionInput,
}

async fn list_page(st: &AppState, ctx: &Ctx, s: &StaffUser, form: ElectionInput, errors: Vec<String>) -> Result<Response> {
    crate::support::office::require_reader(s)?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let elections = store::elections(&mut tx, s.tenant_id).await?;
    tx.commit().await?;
    let kinds = service::KINDS.iter().map(|k| (service::kind_key(*k), k.label_sv())).collect();
    render(&ListPage { ctx, elections, kinds, is_office: crate::support::office::is_office(s), errors, form })
}

async fn get_elections(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    list_page(&st, &ctx, &s, ElectionInput::default(), vec![]).await
}

async fn post_election(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Form(f): Form<ElectionInput>) -> Result<Response> {
    let s = o.0;
    let r = service::create_election(&st.db, &s, &f, st.now()).await.map(|id| format!("/admin/val/{id}"));
    form::submit(&ctx, r, |errors| list_page(&st, &ctx, &s, f.clone(), errors)).await
}

// ------------------------------------------------------------------ one election

/// A link on an election's overview to one of its areas, with a count.
pub struct AreaLink {
    pub href: String,
    pub label: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "elections/election.html")]
struct ElectionPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    districts: usize,
    vallokaler: usize,
    rostningslokaler: usize,
    positions: usize,
    links: Vec<AreaLink>,
    is_office: bool,
    extra: store::ElectionExtra,
    /// The election day has passed: the public form is closed whatever the setting.
    over: bool,
    errors: Vec<String>,
}

impl ElectionPage<'_> {
    fn deadline_value(&self) -> String {
        self.extra.reply_deadline.map(|d| d.to_string()).unwrap_or_default()
    }
    fn day(&self) -> String {
        view::date(self.e.election_day)
    }
    fn early(&self) -> String {
        match (self.e.early_from, self.e.early_to) {
            (Some(a), Some(b)) => format!("{} – {}", view::date(a), view::date(b)),
            _ => "–".into(),
        }
    }
}

/// The links an election's overview shows to its areas (structure, applications, staffing …).
fn area_links(ctx: &Ctx, id: Uuid, counts: &[(&str, &str, String)]) -> Vec<AreaLink> {
    counts
        .iter()
        .map(|(path, label, detail)| AreaLink { href: format!("/admin/val/{id}/{path}"), label: ctx.t(label), detail: detail.clone() })
        .collect()
}

async fn election_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, errors: Vec<String>) -> Result<Response> {
    crate::support::office::require_reader(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let e = service::election_in(&mut tx, t, id).await?;
    let districts = store::districts(&mut tx, t, id).await?.len();
    let stations = store::stations(&mut tx, t, id).await?;
    let positions = store::positions(&mut tx, t, id).await?.len();
    let extra = store::election_extra(&mut tx, t, id).await?;
    tx.commit().await?;
    let over = e.is_over(radhus_kernel::tz::stockholm(st.now()).date());
    let vallokaler = stations.iter().filter(|x| x.is_vallokal()).count();
    let links = area_links(
        ctx,
        id,
        &[
            ("struktur", "el-structure", format!("{districts} {}", ctx.t("el-districts-lc"))),
            ("import", "el-import-structure", String::new()),
            ("ansokningar", "el-applications", String::new()),
            ("kurser", "el-courses", String::new()),
            ("bemanning", "el-staffing", format!("{positions} {}", ctx.t("el-positions-lc"))),
            ("material", "el-material", String::new()),
            ("utskick", "el-campaigns", String::new()),
            ("rapporter", "el-reports", String::new()),
        ],
    );
    let links =
        if crate::support::office::is_office(s) { links } else { links.into_iter().filter(|l| l.href.ends_with("/bemanning")).collect() };
    render(&ElectionPage {
        ctx,
        e,
        districts,
        vallokaler,
        rostningslokaler: stations.len() - vallokaler,
        positions,
        links,
        is_office: crate::support::office::is_office(s),
        extra,
        over,
        errors,
    })
}

async fn get_election(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    election_page(&st, &ctx, &s, id, vec![]).await
}

async fn post_settings(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<SettingsInput>,
) -> Result<Response> {
    let s = o.0;
    let r = service::save_settings(&st.db, &s, id, &f, st.now()).await.map(|()| format!("/admin/val/{id}"));
    form::submit(&ctx, r, |errors| election_page(&st, &ctx, &s, id, errors)).await
}

// ------------------------------------------------------------------ structure

pub struct StationLine {
    pub s: StationRow,
    pub district_name: String,
    pub positions: usize,
    pub hours: String,
}

#[derive(Template)]
#[template(path = "elections/structure.html")]
struct StructurePage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    constituencies: Vec<ConstituencyRow>,
    districts: Vec<(DistrictRow, String)>,
    stations: Vec<StationLine>,
    shifts: Vec<ShiftRow>,
    errors: Vec<String>,
}

impl StructurePage<'_> {
    fn shift_label(&self, s: &ShiftRow) -> String {
        crate::structure::labels::shift_in(&self.ctx.tr, s)
    }
}

async fn structure_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, errors: Vec<String>) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let e = service::election_in(&mut tx, t, id).await?;
    let constituencies = store::constituencies(&mut tx, t, id).await?;
    let districts = store::districts(&mut tx, t, id).await?;
    let stations = store::stations(&mut tx, t, id).await?;
    let openings = store::openings(&mut tx, t, id).await?;
    let positions = store::positions(&mut tx, t, id).await?;
    let shifts = store::shifts(&mut tx, t, id).await?;
    tx.commit().await?;
    let cname = |c: Option<Uuid>| c.and_then(|c| constituencies.iter().find(|x| x.id == c)).map(|c| c.name.clone()).unwrap_or_default();
    let stations = stations
        .into_iter()
        .map(|x| StationLine {
            district_name: x
                .district_code
                .as_ref()
                .and_then(|c| districts.iter().find(|d| &d.code == c))
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            positions: positions.iter().filter(|p| p.station_id == x.id).count(),
            hours: crate::structure::labels::hours_summary(openings.iter().filter(|o| o.station_id == x.id)),
            s: x,
        })
        .collect();
    let districts = districts
        .into_iter()
        .map(|d| {
            let n = cname(d.constituency_id);
            (d, n)
        })
        .collect();
    render(&StructurePage { ctx, e, constituencies, districts, stations, shifts, errors })
}

async fn get_structure(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    structure_page(&st, &ctx, &o.0, id, vec![]).await
}

#[derive(Deserialize)]
struct NameForm {
    #[serde(default)]
    name: String,
}

async fn post_constituency(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<NameForm>,
) -> Result<Response> {
    let s = o.0;
    let r = service::add_constituency(&st.db, &s, id, &f.name, st.now()).await.map(|_| format!("/admin/val/{id}/struktur#valkretsar"));
    form::submit(&ctx, r, |errors| structure_page(&st, &ctx, &s, id, errors)).await
}

async fn post_district(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<DistrictInput>,
) -> Result<Response> {
    let s = o.0;
    let kommunkod = ctx.require_tenant()?.kommunkod.clone();
    let r = service::add_district(&st.db, &s, &kommunkod, id, &f, st.now()).await.map(|_| format!("/admin/val/{id}/struktur#distrikt"));
    form::submit(&ctx, r, |errors| structure_page(&st, &ctx, &s, id, errors)).await
}

async fn post_station(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<StationInput>,
) -> Result<Response> {
    let s = o.0;
    let r = service::add_station(&st.db, &s, id, &f, st.now()).await.map(|sid| format!("/admin/val/{id}/lokaler/{sid}"));
    form::submit(&ctx, r, |errors| structure_page(&st, &ctx, &s, id, errors)).await
}

async fn post_shift(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<ShiftInput>,
) -> Result<Response> {
    let s = o.0;
    let r = service::add_shift(&st.db, &s, id, &f, st.now()).await.map(|_| format!("/admin/val/{id}/struktur#pass"));
    form::submit(&ctx, r, |errors| structure_page(&st, &ctx, &s, id, errors)).await
}

// ------------------------------------------------------------------ one valkrets, district, shift

#[derive(Template)]
#[template(path = "elections/constituency_edit.html")]
struct ConstituencyPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    c: ConstituencyRow,
    name: String,
    errors: Vec<String>,
}

async fn constituency_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    cid: Uuid,
    name: Option<String>,
    errors: Vec<String>,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let e = service::election_in(&mut tx, t, id).await?;
    let c = store::constituencies(&mut tx, t, id).await?.into_iter().find(|x| x.id == cid).ok_or(Error::NotFound)?;
    tx.commit().await?;
    let name = name.unwrap_or_else(|| c.name.clone());
    render(&ConstituencyPage { ctx, e, c, name, errors })
}

async fn get_constituency(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, cid)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    constituency_page(&st, &ctx, &o.0, id, cid, None, vec![]).await
}

async fn post_constituency_rename(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, cid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<NameForm>,
) -> Result<Response> {
    let s = o.0;
    let r =
        service::rename_constituency(&st.db, &s, id, cid, &f.name, st.now()).await.map(|()| format!("/admin/val/{id}/struktur#valkretsar"));
    form::submit(&ctx, r, |errors| constituency_page(&st, &ctx, &s, id, cid, Some(f.name.clone()), errors)).await
}

#[derive(Template)]
#[template(path = "elections/district_edit.html")]
struct DistrictPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    code: String,
    f: DistrictInput,
    constituencies: Vec<ConstituencyRow>,
    errors: Vec<String>,
}

async fn district_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    code: &str,
    f: Option<DistrictInput>,
    errors: Vec<String>,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let e = service::election_in(&mut tx, t, id).await?;
    let d = store::district(&mut tx, t, id, code).await?.ok_or(Error::NotFound)?;
    let constituencies = store::constituencies(&mut tx, t, id).await?;
    tx.commit().await?;
    let f = f.unwrap_or_else(|| DistrictInput::of(&d));
    render(&DistrictPage { ctx, e, code: d.code, f, constituencies, errors })
}

async fn get_district(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, code)): PathIds<(Uuid, String)>,
) -> Result<Response> {
    district_page(&st, &ctx, &o.0, id, &code, None, vec![]).await
}

async fn post_district_update(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, code)): PathIds<(Uuid, String)>,
    Form(f): Form<DistrictInput>,
) -> Result<Response> {
    let s = o.0;
    let kommunkod = ctx.require_tenant()?.kommunkod.clone();
    let r = service::update_district(&st.db, &s, &kommunkod, id, &code, &f, st.now())
        .await
        .map(|()| format!("/admin/val/{id}/struktur#distrikt"));
    form::submit(&ctx, r, |errors| district_page(&st, &ctx, &s, id, &code, Some(f.clone()), errors)).await
}

#[derive(Template)]
#[template(path = "elections/shift_edit.html")]
struct ShiftPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    shift: ShiftRow,
    f: ShiftInput,
    errors: Vec<String>,
}

async fn shift_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    shift: Uuid,
    f: Option<ShiftInput>,
    errors: Vec<String>,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let e = service::election_in(&mut tx, t, id).await?;
    let shift = store::shifts(&mut tx, t, id).await?.into_iter().find(|x| x.id == shift).ok_or(Error::NotFound)?;
    tx.commit().await?;
    let f = f.unwrap_or_else(|| ShiftInput::of(&shift));
    render(&ShiftPage { ctx, e, shift, f, errors })
}

async fn get_shift(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, shift)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    shift_page(&st, &ctx, &o.0, id, shift, None, vec![]).await
}

async fn post_shift_update(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, shift)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<ShiftInput>,
) -> Result<Response> {
    let s = o.0;
    let r = service::update_shift(&st.db, &s, id, shift, &f, st.now()).await.map(|()| format!("/admin/val/{id}/struktur#pass"));
    form::submit(&ctx, r, |errors| shift_page(&st, &ctx, &s, id, shift, Some(f.clone()), errors)).await
}

async fn post_shift_remove(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, shift)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    let s = o.0;
    let r = service::remove_shift(&st.db, &s, id, shift, st.now()).await.map(|()| format!("/admin/val/{id}/struktur#pass"));
    form::submit(&ctx, r, |errors| shift_page(&st, &ctx, &s, id, shift, None, errors)).await
}

// ------------------------------------------------------------------ one station

pub struct PositionLine {
    pub p: PositionRow,
    pub shift: String,
    pub holder: Option<String>,
}

#[derive(Template)]
#[template(path = "elections/station.html")]
struct StationPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    s: StationRow,
    district: String,
    openings: Vec<OpeningRow>,
    positions: Vec<PositionLine>,
    shifts: Vec<ShiftRow>,
    districts: Vec<DistrictRow>,
    /// The change form: the station's values, or what was posted when it was refused.
    edit: StationInput,
    /// The change form was posted and refused: shown open.
    editing: bool,
    errors: Vec<String>,
}

impl StationPage<'_> {
    fn shift_label(&self, s: &ShiftRow) -> String {
        crate::structure::labels::shift_in(&self.ctx.tr, s)
    }
    fn day(&self, o: &OpeningRow) -> String {
        view::date(o.day)
    }
    fn hm(&self, t: &time::Time) -> String {
        view::hm(*t)
    }
    fn role_label(&self, r: &str) -> String {
        self.ctx.t(&format!("el-role-{r}"))
    }
}

async fn station_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, sid: Uuid, errors: Vec<String>) -> Result<Response> {
    station_page_with(st, ctx, s, id, sid, None, errors).await
}

async fn station_page_with(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    sid: Uuid,
    edit: Option<StationInput>,
    errors: Vec<String>,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let e = service::election_in(&mut tx, t, id).await?;
    let station = store::station(&mut tx, t, id, sid).await?.ok_or(Error::NotFound)?;
    let districts = store::districts(&mut tx, t, id).await?;
    let district = station
        .district_code
        .as_ref()
        .and_then(|c| districts.iter().find(|d| &d.code == c))
        .map(|d| format!("{} {}", d.code, d.name))
        .unwrap_or_default();
    let openings = store::openings(&mut tx, t, id).await?.into_iter().filter(|o| o.station_id == sid).collect();
    let shifts = store::shifts(&mut tx, t, id).await?;
    let holders = store::holders(&mut tx, t, id, sid).await?;
    let positions = store::positions(&mut tx, t, id)
        .await?
        .into_iter()
        .filter(|p| p.station_id == sid)
        .map(|p| PositionLine {
            shift: shifts.iter().find(|x| x.id == p.shift_id).map(|s| crate::structure::labels::shift_in(&ctx.tr, s)).unwrap_or_default(),
            holder: holders.iter().find(|(pid, _)| *pid == p.id).map(|(_, n)| n.clone()),
            p,
        })
        .collect();
    tx.commit().await?;
    let editing = edit.is_some();
    let edit = edit.unwrap_or_else(|| StationInput::of(&station));
    render(&StationPage { ctx, e, s: station, district, openings, positions, shifts, districts, edit, editing, errors })
}

async fn get_station(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    station_page(&st, &ctx, &o.0, id, sid, vec![]).await
}

async fn post_station_update(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<StationInput>,
) -> Result<Response> {
    let s = o.0;
    let r = service::update_station(&st.db, &s, id, sid, &f, st.now()).await.map(|()| format!("/admin/val/{id}/lokaler/{sid}"));
    form::submit(&ctx, r, |errors| station_page_with(&st, &ctx, &s, id, sid, Some(f.clone()), errors)).await
}

async fn post_opening(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<OpeningInput>,
) -> Result<Response> {
    let s = o.0;
    let r = service::set_opening(&st.db, &s, id, sid, &f, st.now()).await.map(|()| format!("/admin/val/{id}/lokaler/{sid}#oppettider"));
    form::submit(&ctx, r, |errors| station_page(&st, &ctx, &s, id, sid, errors)).await
}

#[derive(Deserialize)]
struct DayForm {
    #[serde(default)]
    day: String,
}

async fn post_opening_remove(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<DayForm>,
) -> Result<Response> {
    let s = o.0;
    let r =
        service::remove_opening(&st.db, &s, id, sid, &f.day, st.now()).await.map(|()| format!("/admin/val/{id}/lokaler/{sid}#oppettider"));
    form::submit(&ctx, r, |errors| station_page(&st, &ctx, &s, id, sid, errors)).await
}

async fn post_positions(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<PositionsInput>,
) -> Result<Response> {
    let s = o.0;
    let r = service::add_positions(&st.db, &s, id, sid, &f, st.now()).await.map(|_| format!("/admin/val/{id}/lokaler/{sid}#platser"));
    form::submit(&ctx, r, |errors| station_page(&st, &ctx, &s, id, sid, errors)).await
}

#[derive(Deserialize)]
struct PositionForm {
    #[serde(default)]
    position: String,
}

async fn post_position_remove(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<PositionForm>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        let p = Uuid::parse_str(f.position.trim()).map_err(|_| Error::invalid("position", "el-bad-choice"))?;
        service::remove_position(&st.db, &s, id, sid, p, st.now()).await.map(|()| format!("/admin/val/{id}/lokaler/{sid}#platser"))
    }
    .await;
    form::submit(&ctx, r, |errors| station_page(&st, &ctx, &s, id, sid, errors)).await
}
