//! The office's register pages under `/admin/val/register`: overview, buildings, premises with
//! photos, persons with their history, import with preview, exports and import templates.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::download;
use radhus_platform::web::form::{self, Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use uuid::Uuid;

use super::import::{self, Choice, Kind, Preview};
use super::service::{self, BuildingInput, HistoryInput, PersonInput, PremisesInput};
use super::store::{ApplicationLine, AssignmentLine, BuildingRow, HistoryRow, ImportRow, PersonRow, PhotoRow, PremisesRow};
use crate::support::office::Office;
use crate::support::view;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/val/register", get_overview)
        .get("/admin/val/register/byggnader", get_buildings)
        .post("/admin/val/register/byggnader", post_building)
        .get("/admin/val/register/byggnader/{id}", get_building)
        .post("/admin/val/register/byggnader/{id}", post_building_update)
        .get("/admin/val/register/lokaler", get_premises_list)
        .post("/admin/val/register/lokaler", post_premises)
        .get("/admin/val/register/lokaler.xlsx", get_premises_xlsx)
        .get("/admin/val/register/lokaler/{id}", get_premises)
        .post("/admin/val/register/lokaler/{id}", post_premises_update)
        .post_upload("/admin/val/register/lokaler/{id}/bilder", post_photo, service::PHOTO_UPLOAD_LIMIT)
        .post("/admin/val/register/lokaler/{id}/bilder/ta-bort", post_photo_remove)
        .get("/admin/val/register/bilder/{id}", get_photo)
        .get("/admin/val/register/personer", get_persons)
        .post("/admin/val/register/personer", post_person)
        .get("/admin/val/register/personer.xlsx", get_persons_xlsx)
        .get("/admin/val/register/personer/{id}", get_person)
        .post("/admin/val/register/personer/{id}", post_person_update)
        .post("/admin/val/register/personer/{id}/historik", post_history)
        .post("/admin/val/register/personer/{id}/historik/ta-bort", post_history_remove)
        .get("/admin/val/register/import", get_import)
        .post_upload("/admin/val/register/import", post_import, import::UPLOAD_LIMIT)
        .get("/admin/val/register/import/{iid}", get_import_preview)
        .post("/admin/val/register/import/{iid}", post_import_choice)
        .get("/admin/val/register/mallar/{file}", get_template)
}

pub use crate::support::web::see_other;

/// The text fields and the file (name, bytes) of a multipart form.
pub async fn multipart(mut m: Multipart) -> Result<(HashMap<String, String>, Option<(String, Vec<u8>)>)> {
    let (mut fields, mut file) = (HashMap::new(), None);
    while let Some(f) = m.next_field().await.map_err(|_| Error::TooLarge)? {
        let name = f.name().unwrap_or("").to_string();
        if f.file_name().is_some() {
            let fname = f.file_name().unwrap_or("").to_string();
            let bytes = f.bytes().await.map_err(|_| Error::TooLarge)?;
            if !bytes.is_empty() {
                file = Some((fname, bytes.to_vec()));
            }
        } else {
            fields.insert(name, f.text().await.unwrap_or_default());
        }
    }
    Ok((fields, file))
}

/// A `<select>` option: value, label, selected.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn building_options(buildings: &[BuildingRow], selected: &str) -> Vec<Opt> {
    buildings.iter().map(|b| Opt { value: b.id.to_string(), label: b.name.clone(), selected: b.id.to_string() == selected }).collect()
}

fn coord(v: Option<f64>, w: Option<f64>) -> String {
    match (v, w) {
        (Some(a), Some(b)) => format!("{a}, {b}"),
        _ => "–".into(),
    }
}

// ------------------------------------------------------------------ overview

#[derive(Template)]
#[template(path = "elections/registers_overview.html")]
struct OverviewPage<'a> {
    ctx: &'a Ctx,
    o: service::Overview,
}

async fn get_overview(State(st): State<AppState>, ctx: Ctx, o: Require<Office>) -> Result<Response> {
    let o = service::overview(&st.db, &o.0).await?;
    render(&OverviewPage { ctx: &ctx, o })
}

// ------------------------------------------------------------------ buildings

#[derive(Template)]
#[template(path = "elections/registers_buildings.html")]
struct BuildingsPage<'a> {
    ctx: &'a Ctx,
    buildings: Vec<(BuildingRow, usize)>,
    form: BuildingInput,
    errors: Vec<String>,
}

async fn buildings_page(st: &AppState, ctx: &Ctx, s: &StaffUser, form: BuildingInput, errors: Vec<String>) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(radhus_platform::db::Scope::Tenant(t)).await?;
    let buildings = super::store::buildings(&mut tx, t).await?;
    let premises = super::store::premises_list(&mut tx, t).await?;
    tx.commit().await?;
    let buildings = buildings
        .into_iter()
        .map(|b| {
            let n = premises.iter().filter(|p| p.building_id == Some(b.id)).count();
            (b, n)
        })
        .collect();
    render(&BuildingsPage { ctx, buildings, form, errors })
}

async fn get_buildings(State(st): State<AppState>, ctx: Ctx, o: Require<Office>) -> Result<Response> {
    buildings_page(&st, &ctx, &o.0, BuildingInput::default(), vec![]).await
}

async fn post_building(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Form(f): Form<BuildingInput>) -> Result<Response> {
    let s = o.0;
    let r = service::create_building(&st.db, &s, &f, st.now()).await.map(|id| format!("/admin/val/register/byggnader/{id}"));
    form::submit(&ctx, r, |errors| buildings_page(&st, &ctx, &s, f.clone(), errors)).await
}

#[derive(Template)]
#[template(path = "elections/registers_building.html")]
struct BuildingPage<'a> {
    ctx: &'a Ctx,
    b: BuildingRow,
    premises: Vec<PremisesRow>,
    form: BuildingInput,
    errors: Vec<String>,
}

async fn building_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    form: Option<BuildingInput>,
    errors: Vec<String>,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(radhus_platform::db::Scope::Tenant(t)).await?;
    let b = super::store::building(&mut tx, t, id).await?.ok_or(Error::NotFound)?;
    let premises = super::store::premises_list(&mut tx, t).await?.into_iter().filter(|p| p.building_id == Some(id)).collect();
    tx.commit().await?;
    let form = form.unwrap_or_else(|| BuildingInput { name: b.name.clone(), address: b.address.clone(), notes: b.notes.clone() });
    render(&BuildingPage { ctx, b, premises, form, errors })
}

async fn get_building(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    building_page(&st, &ctx, &o.0, id, None, vec![]).await
}

async fn post_building_update(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<BuildingInput>,
) -> Result<Response> {
    let s = o.0;
    let r = service::update_building(&st.db, &s, id, &f, st.now()).await.map(|()| format!("/admin/val/register/byggnader/{id}"));
    form::submit(&ctx, r, |errors| building_page(&st, &ctx, &s, id, Some(f.clone()), errors)).await
}

// ------------------------------------------------------------------ premises

pub struct PremisesLine {
    pub p: PremisesRow,
    pub building: String,
    pub photos: i64,
}

#[derive(Template)]
#[template(path = "elections/registers_premises_list.html")]
struct PremisesListPage<'a> {
    ctx: &'a Ctx,
    premises: Vec<PremisesLine>,
    buildings: Vec<Opt>,
    form: PremisesInput,
    errors: Vec<String>,
}

async fn premises_list_page(st: &AppState, ctx: &Ctx, s: &StaffUser, form: PremisesInput, errors: Vec<String>) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(radhus_platform::db::Scope::Tenant(t)).await?;
    let buildings = super::store::buildings(&mut tx, t).await?;
    let premises = super::store::premises_list(&mut tx, t).await?;
    let photos = super::store::photo_counts(&mut tx, t).await?;
    tx.commit().await?;
    let premises = premises
        .into_iter()
        .map(|p| PremisesLine {
            building: p.building_id.and_then(|b| buildings.iter().find(|x| x.id == b)).map(|b| b.name.clone()).unwrap_or_default(),
            photos: photos.iter().find(|(id, _)| *id == p.id).map(|(_, n)| *n).unwrap_or(0),
            p,
        })
        .collect();
    let buildings = building_options(&buildings, &form.building);
    render(&PremisesListPage { ctx, premises, buildings, form, errors })
}

async fn get_premises_list(State(st): State<AppState>, ctx: Ctx, o: Require<Office>) -> Result<Response> {
    premises_list_page(&st, &ctx, &o.0, PremisesInput::default(), vec![]).await
}

async fn post_premises(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Form(f): Form<PremisesInput>) -> Result<Response> {
    let s = o.0;
    let r = service::create_premises(&st.db, &s, &f, st.now()).await.map(|id| format!("/admin/val/register/lokaler/{id}"));
    form::submit(&ctx, r, |errors| premises_list_page(&st, &ctx, &s, f.clone(), errors)).await
}

#[derive(Template)]
#[template(path = "elections/registers_premises.html")]
struct PremisesPage<'a> {
    ctx: &'a Ctx,
    p: PremisesRow,
    building: Option<BuildingRow>,
    photos: Vec<PhotoRow>,
    buildings: Vec<Opt>,
    form: PremisesInput,
    errors: Vec<String>,
}

impl PremisesPage<'_> {
    fn coords(&self) -> String {
        coord(self.p.lat, self.p.lon)
    }
    fn capacity(&self) -> String {
        self.p.capacity.map(|c| c.to_string()).unwrap_or_else(|| "–".into())
    }
}

async fn premises_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    form: Option<PremisesInput>,
    errors: Vec<String>,
) -> Result<Response> {
    let v = service::premises_view(&st.db, s, id).await?;
    let t = s.tenant_id;
    let mut tx = st.db.read(radhus_platform::db::Scope::Tenant(t)).await?;
    let buildings = super::store::buildings(&mut tx, t).await?;
    tx.commit().await?;
    let form = form.unwrap_or_else(|| PremisesInput::of(&v.p));
    let buildings = building_options(&buildings, &form.building);
    render(&PremisesPage { ctx, p: v.p, building: v.building, photos: v.photos, buildings, form, errors })
}

async fn get_premises(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    premises_page(&st, &ctx, &o.0, id, None, vec![]).await
}

async fn post_premises_update(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<PremisesInput>,
) -> Result<Response> {
    let s = o.0;
    let r = service::update_premises(&st.db, &s, id, &f, st.now()).await.map(|()| format!("/admin/val/register/lokaler/{id}"));
    form::submit(&ctx, r, |errors| premises_page(&st, &ctx, &s, id, Some(f.clone()), errors)).await
}

/// Multipart upload: `photo` (the image) and `caption` (its alternative text).
async fn post_photo(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    m: Multipart,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        let (fields, file) = multipart(m).await?;
        let bytes = file.map(|(_, b)| b).unwrap_or_default();
        let caption = fields.get("caption").cloned().unwrap_or_default();
        service::add_photo(&st.db, &s, id, &caption, &bytes, st.now()).await?;
        Ok(format!("/admin/val/register/lokaler/{id}#bilder"))
    }
    .await;
    form::submit(&ctx, r, |errors| premises_page(&st, &ctx, &s, id, None, errors)).await
}

#[derive(Deserialize)]
struct PhotoForm {
    #[serde(default)]
    photo: String,
}

async fn post_photo_remove(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<PhotoForm>,
) -> Result<Response> {
    let s = o.0;
    let photo: Uuid = f.photo.parse().map_err(|_| Error::NotFound)?;
    let r = service::remove_photo(&st.db, &s, id, photo, st.now()).await.map(|()| format!("/admin/val/register/lokaler/{id}#bilder"));
    form::submit(&ctx, r, |errors| premises_page(&st, &ctx, &s, id, None, errors)).await
}

async fn get_photo(State(st): State<AppState>, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let (mime, bytes) = service::photo(&st.db, &o.0, id).await?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&mime).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    h.insert("content-security-policy", HeaderValue::from_static("default-src 'none'; sandbox"));
    Ok(r)
}

async fn get_premises_xlsx(State(st): State<AppState>, o: Require<Office>) -> Result<Response> {
    let bytes = service::export_premises(&st.db, &o.0, st.now()).await?;
    Ok(download::attachment(bytes, download::XLSX, "lokaler.xlsx"))
}

// ------------------------------------------------------------------ persons

#[derive(Deserialize, Default)]
struct PersonsQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sida: String,
}

#[derive(Template)]
#[template(path = "elections/registers_persons.html")]
struct PersonsPage<'a> {
    ctx: &'a Ctx,
    persons: Vec<PersonRow>,
    q: String,
    page: usize,
    pages: usize,
    total: usize,
    form: PersonInput,
    errors: Vec<String>,
}

impl PersonsPage<'_> {
    fn birth(&self, p: &PersonRow) -> String {
        p.birth_date.map(|d| d.to_string()).unwrap_or_default()
    }
    fn page_href(&self, n: usize) -> String {
        let q: String = radhus_platform::web::url_encode(&self.q);
        format!("/admin/val/register/personer?q={q}&sida={n}")
    }
    fn showing(&self) -> String {
        self.ctx.tr.t1("el-registers-persons-total", "n", self.total)
    }
}

async fn persons_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    q: &PersonsQuery,
    form: PersonInput,
    errors: Vec<String>,
) -> Result<Response> {
    let page = q.sida.trim().parse::<usize>().ok().filter(|n| *n >= 1).unwrap_or(1);
    let (persons, total) = service::list_persons(&st.db, s, &q.q, page, st.now()).await?;
    let pages = total.div_ceil(service::PAGE_SIZE).max(1);
    render(&PersonsPage { ctx, persons, q: q.q.trim().to_string(), page, pages, total, form, errors })
}

async fn get_persons(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Query(q): Query<PersonsQuery>) -> Result<Response> {
    persons_page(&st, &ctx, &o.0, &q, PersonInput::default(), vec![]).await
}

async fn post_person(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Form(f): Form<PersonInput>) -> Result<Response> {
    let s = o.0;
    let r = service::create_person(&st.db, &s, &f, st.now()).await.map(|id| format!("/admin/val/register/personer/{id}"));
    let q = PersonsQuery::default();
    form::submit(&ctx, r, |errors| persons_page(&st, &ctx, &s, &q, f.clone(), errors)).await
}

#[derive(Template)]
#[template(path = "elections/registers_person.html")]
struct PersonPage<'a> {
    ctx: &'a Ctx,
    p: PersonRow,
    history: Vec<HistoryRow>,
    assignments: Vec<AssignmentLine>,
    applications: Vec<ApplicationLine>,
    form: PersonInput,
    this_year: i32,
    errors: Vec<String>,
}

impl PersonPage<'_> {
    fn birth(&self) -> String {
        self.p.birth_date.map(view::date).unwrap_or_else(|| "–".into())
    }
    fn home(&self) -> String {
        coord(self.p.lat, self.p.lon)
    }
    fn role(&self, r: &str) -> String {
        self.ctx.t(&format!("el-role-{r}"))
    }
    fn status(&self, s: &str) -> String {
        self.ctx.t(&format!("el-registers-status-{s}"))
    }
    fn response(&self, a: &AssignmentLine) -> String {
        if a.appointed { self.ctx.t("el-registers-appointed") } else { self.ctx.t(&format!("el-registers-response-{}", a.response)) }
    }
    fn day(&self, d: &time::Date) -> String {
        view::date(*d)
    }
}

async fn person_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    form: Option<PersonInput>,
    errors: Vec<String>,
) -> Result<Response> {
    let v = service::view_person(&st.db, s, id, st.now()).await?;
    let form = form.unwrap_or_else(|| PersonInput::of(&v.p));
    let this_year = st.now().year();
    render(&PersonPage {
        ctx,
        p: v.p,
        history: v.history,
        assignments: v.assignments,
        applications: v.applications,
        form,
        this_year,
        errors,
    })
}

async fn get_person(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    person_page(&st, &ctx, &o.0, id, None, vec![]).await
}

async fn post_person_update(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<PersonInput>,
) -> Result<Response> {
    let s = o.0;
    let r = service::update_person(&st.db, &s, id, &f, st.now()).await.map(|()| format!("/admin/val/register/personer/{id}"));
    form::submit(&ctx, r, |errors| person_page(&st, &ctx, &s, id, Some(f.clone()), errors)).await
}

async fn post_history(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<HistoryInput>,
) -> Result<Response> {
    let s = o.0;
    let r = service::add_history(&st.db, &s, id, &f, st.now()).await.map(|()| format!("/admin/val/register/personer/{id}#erfarenhet"));
    form::submit(&ctx, r, |errors| person_page(&st, &ctx, &s, id, None, errors)).await
}

#[derive(Deserialize)]
struct YearForm {
    #[serde(default)]
    year: String,
}

async fn post_history_remove(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<YearForm>,
) -> Result<Response> {
    let s = o.0;
    let r =
        service::remove_history(&st.db, &s, id, &f.year, st.now()).await.map(|()| format!("/admin/val/register/personer/{id}#erfarenhet"));
    form::submit(&ctx, r, |errors| person_page(&st, &ctx, &s, id, None, errors)).await
}

async fn get_persons_xlsx(State(st): State<AppState>, o: Require<Office>) -> Result<Response> {
    let bytes = service::export_persons(&st.db, &o.0, st.now()).await?;
    Ok(download::attachment(bytes, download::XLSX, "personer.xlsx"))
}

// ------------------------------------------------------------------ import

/// A documented column of an import file.
pub struct ColDoc {
    pub header: &'static str,
    pub label: String,
    pub help: String,
    pub required: bool,
}

pub fn col_docs(ctx: &Ctx, kind: Kind) -> Vec<ColDoc> {
    kind.columns()
        .iter()
        .map(|c| ColDoc { header: c.header(), label: ctx.t(&c.label()), help: ctx.t(c.help), required: c.required })
        .collect()
}

/// A recent import, for the list on the import pages.
pub struct ImportLine {
    pub href: String,
    pub filename: String,
    pub kind: String,
    pub when: String,
    pub status: String,
}

pub fn import_lines(ctx: &Ctx, base: &str, rows: Vec<ImportRow>) -> Vec<ImportLine> {
    rows.into_iter()
        .map(|i| ImportLine {
            href: format!("{base}/{}", i.id),
            kind: Kind::parse(&i.kind).map(|k| ctx.t(k.label())).unwrap_or_default(),
            when: format!("{} {}", i.created_at.date(), view::hm(i.created_at.time())),
            status: match i.status.as_str() {
                "imported" => ctx.tr.t1("el-registers-import-status-imported", "n", i.created + i.updated),
                "discarded" => ctx.t("el-registers-import-status-discarded"),
                _ => ctx.t("el-registers-import-status-preview"),
            },
            filename: i.filename,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "elections/registers_import.html")]
struct ImportPage<'a> {
    ctx: &'a Ctx,
    persons: Vec<ColDoc>,
    premises: Vec<ColDoc>,
    recent: Vec<ImportLine>,
    errors: Vec<String>,
}

async fn import_page(st: &AppState, ctx: &Ctx, s: &StaffUser, errors: Vec<String>) -> Result<Response> {
    let recent = import_lines(ctx, "/admin/val/register/import", import::recent(&st.db, s, None).await?);
    render(&ImportPage { ctx, persons: col_docs(ctx, Kind::Persons), premises: col_docs(ctx, Kind::Premises), recent, errors })
}

async fn get_import(State(st): State<AppState>, ctx: Ctx, o: Require<Office>) -> Result<Response> {
    import_page(&st, &ctx, &o.0, vec![]).await
}

/// Multipart upload: `kind` ("persons" or "premises") and `file`.
async fn post_import(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, m: Multipart) -> Result<Response> {
    let s = o.0;
    let kommunkod = ctx.require_tenant()?.kommunkod.clone();
    let r = async {
        let (fields, file) = multipart(m).await?;
        let kind = fields
            .get("kind")
            .and_then(|k| Kind::parse(k))
            .filter(|k| !k.is_structure())
            .ok_or_else(|| Error::invalid("reg_import_kind", "el-bad-choice"))?;
        let (name, bytes) = file.ok_or_else(|| Error::invalid("reg_file", "el-registers-file-missing"))?;
        let id = import::stage(&st.db, &s, kind, None, &kommunkod, &name, &bytes, st.now()).await?;
        Ok(format!("/admin/val/register/import/{id}"))
    }
    .await;
    form::submit(&ctx, r, |errors| import_page(&st, &ctx, &s, errors)).await
}

/// A row of the preview: its number, what importing does, its values and problems.
pub struct PreviewLine {
    pub row_no: u32,
    pub status: String,
    pub bad: bool,
    pub values: Vec<String>,
    pub problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "elections/registers_import_preview.html")]
pub struct PreviewPage<'a> {
    pub ctx: &'a Ctx,
    /// Breadcrumbs before the page itself: (href, label).
    pub crumbs: Vec<(String, String)>,
    pub back: String,
    pub action: String,
    pub kind: String,
    pub filename: String,
    pub status: String,
    pub headers: Vec<String>,
    pub lines: Vec<PreviewLine>,
    pub total: usize,
    pub with_problems: usize,
    pub good: usize,
    pub other_kommun: i32,
    pub result: String,
    pub errors: Vec<String>,
}

/// The preview page of an import (shared by the registers and the structure import).
pub fn preview_page(
    ctx: &Ctx,
    p: Preview,
    crumbs: Vec<(String, String)>,
    back: String,
    action: String,
    errors: Vec<String>,
) -> Result<Response> {
    let cols: Vec<&import::Col> = p.kind.columns().iter().filter(|c| p.rows.iter().any(|r| !r.get(c.key).trim().is_empty())).collect();
    let label = |field: &str| {
        let l = ctx.t(&format!("field-{field}"));
        if l.starts_with("field-") { ctx.t("el-registers-the-file") } else { l }
    };
    let lines = p
        .rows
        .iter()
        .map(|r| PreviewLine {
            row_no: r.row_no,
            bad: !r.problems.is_empty(),
            status: if !r.problems.is_empty() {
                ctx.t("el-registers-row-problem")
            } else if r.action == "update" {
                ctx.t("el-registers-row-update")
            } else {
                ctx.t("el-registers-row-create")
            },
            values: cols.iter().map(|c| r.get(c.key).to_string()).collect(),
            problems: r.problems.iter().map(|e| format!("{}: {}", label(&e.field), ctx.t(&e.message))).collect(),
        })
        .collect();
    let i = &p.import;
    let result = match i.status.as_str() {
        "discarded" => ctx.t("el-registers-import-status-discarded"),
        _ => String::new(),
    };
    let result = result_text(ctx, i, result);
    let page = PreviewPage {
        ctx,
        crumbs,
        back,
        action,
        kind: ctx.t(p.kind.label()),
        filename: i.filename.clone(),
        status: i.status.clone(),
        headers: cols.iter().map(|c| ctx.t(&c.label())).collect(),
        lines,
        total: p.rows.len(),
        with_problems: p.with_problems,
        good: p.good(),
        other_kommun: i.other_kommun,
        result,
        errors,
    };
    render(&page)
}

fn result_text(ctx: &Ctx, i: &ImportRow, fallback: String) -> String {
    if i.status != "imported" {
        return fallback;
    }
    [
        ctx.tr.t1("el-registers-result-created", "n", i.created),
        ctx.tr.t1("el-registers-result-updated", "n", i.updated),
        ctx.tr.t1("el-registers-result-skipped", "n", i.skipped),
    ]
    .join(" ")
}

fn register_crumbs(ctx: &Ctx) -> Vec<(String, String)> {
    vec![
        ("/admin".into(), ctx.t("nav-admin")),
        ("/admin/val".into(), ctx.t("el-title")),
        ("/admin/val/register".into(), ctx.t("el-registers-title")),
        ("/admin/val/register/import".into(), ctx.t("el-registers-import-title")),
    ]
}

async fn import_preview_page(st: &AppState, ctx: &Ctx, s: &StaffUser, iid: Uuid, errors: Vec<String>) -> Result<Response> {
    let p = import::preview(&st.db, s, iid, None, st.now()).await?;
    let back = match p.kind {
        Kind::Persons => "/admin/val/register/personer",
        _ => "/admin/val/register/lokaler",
    };
    preview_page(ctx, p, register_crumbs(ctx), back.into(), format!("/admin/val/register/import/{iid}"), errors)
}

async fn get_import_preview(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(iid): PathIds<Uuid>) -> Result<Response> {
    import_preview_page(&st, &ctx, &o.0, iid, vec![]).await
}

#[derive(Deserialize, Clone)]
pub struct ChoiceForm {
    #[serde(default)]
    pub choice: String,
}

pub fn choice_of(f: &ChoiceForm) -> Result<Choice> {
    Choice::parse(f.choice.trim()).ok_or_else(|| Error::invalid("reg_choice", "el-bad-choice"))
}

async fn post_import_choice(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(iid): PathIds<Uuid>,
    Form(f): Form<ChoiceForm>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        let c = choice_of(&f)?;
        import::apply(&st.db, &s, iid, None, c, st.now()).await?;
        Ok(format!("/admin/val/register/import/{iid}"))
    }
    .await;
    form::submit(&ctx, r, |errors| import_preview_page(&st, &ctx, &s, iid, errors)).await
}

async fn get_template(o: Require<Office>, Path(file): Path<String>) -> Result<Response> {
    crate::support::office::require_office(&o.0)?;
    let (kind, xlsx) = match file.as_str() {
        "personer.csv" => (Kind::Persons, false),
        "personer.xlsx" => (Kind::Persons, true),
        "lokaler.csv" => (Kind::Premises, false),
        "lokaler.xlsx" => (Kind::Premises, true),
        _ => return Err(Error::NotFound),
    };
    let name = format!("mall-{file}");
    Ok(if xlsx {
        download::attachment(super::export::template_xlsx(kind)?, download::XLSX, &name)
    } else {
        let mut bytes = vec![0xef, 0xbb, 0xbf];
        bytes.extend_from_slice(import::template_csv(kind).as_bytes());
        download::attachment(bytes, "text/csv; charset=utf-8", &name)
    })
}
