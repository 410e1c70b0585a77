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
use radhus_platform::web::field::{Field, FormErrors};
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

/// A multipart form: its text fields and its file (name, bytes).
pub type Parts = (HashMap<String, String>, Option<(String, Vec<u8>)>);

/// The text fields and the file (name, bytes) of a multipart form.
pub async fn multipart(mut m: Multipart) -> Result<Parts> {
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

fn coord(v: Option<f64>, w: Option<f64>) -> String {
    match (v, w) {
        (Some(a), Some(b)) => format!("{a}, {b}"),
        _ => "–".into(),
    }
}

/// The fields of a register form: those before the coordinates, the two coordinates (a
/// fieldset with its hint) and those after.
pub struct FormFields {
    pub main: Vec<Field>,
    pub coords: Vec<Field>,
    pub more: Vec<Field>,
}

/// The building form: (the problem's field, posted name, id).
const BUILDING: &[(&str, &str, &str)] = &[("name", "name", "b-name")];

fn building_fields(ctx: &Ctx, f: &BuildingInput, e: &FormErrors) -> Vec<Field> {
    vec![
        Field::new(ctx, "name", "field-name").id("b-name").errors(e).value(f.name.clone()),
        Field::new(ctx, "address", "field-address").id("b-address").errors(e).optional().autocomplete("off").value(f.address.clone()),
        Field::new(ctx, "notes", "field-reg_notes").id("b-notes").errors(e).kind("textarea").optional().value(f.notes.clone()),
    ]
}

const PREMISES: &[(&str, &str, &str)] = &[
    ("name", "name", "p-name"),
    ("reg_building", "building", "p-building"),
    ("reg_postal_code", "postal_code", "p-postal"),
    ("lat", "lat", "p-lat"),
    ("lon", "lon", "p-lon"),
    ("reg_capacity", "capacity", "p-capacity"),
    ("contact_phone", "contact_phone", "p-phone"),
];

fn premises_fields(ctx: &Ctx, f: &PremisesInput, buildings: &[BuildingRow], e: &FormErrors) -> FormFields {
    let options = buildings.iter().map(|b| (b.id.to_string(), b.name.clone(), b.id.to_string() == f.building)).collect();
    FormFields {
        main: vec![
            Field::new(ctx, "name", "field-name").id("p-name").errors(e).value(f.name.clone()),
            Field::new(ctx, "building", "field-reg_building")
                .id("p-building")
                .errors(e)
                .kind("select")
                .optional()
                .options(options, ctx.t("el-registers-no-building")),
            Field::new(ctx, "address", "field-address").id("p-address").errors(e).optional().autocomplete("off").value(f.address.clone()),
            Field::new(ctx, "postal_code", "field-reg_postal_code")
                .id("p-postal")
                .errors(e)
                .optional()
                .inputmode("numeric")
                .autocomplete("off")
                .value(f.postal_code.clone()),
            Field::new(ctx, "city", "field-reg_city").id("p-city").errors(e).optional().autocomplete("off").value(f.city.clone()),
        ],
        coords: vec![
            Field::new(ctx, "lat", "field-lat").id("p-lat").errors(e).optional().inputmode("decimal").value(f.lat.clone()),
            Field::new(ctx, "lon", "field-lon").id("p-lon").errors(e).optional().inputmode("decimal").value(f.lon.clone()),
        ],
        more: vec![
            Field::new(ctx, "accessibility", "field-reg_accessibility")
                .id("p-access")
                .errors(e)
                .kind("textarea")
                .optional()
                .value(f.accessibility.clone()),
            Field::new(ctx, "capacity", "field-reg_capacity")
                .id("p-capacity")
                .errors(e)
                .optional()
                .inputmode("numeric")
                .value(f.capacity.clone()),
            Field::new(ctx, "keys", "field-reg_keys").id("p-keys").errors(e).kind("textarea").optional().rows(2).value(f.keys.clone()),
            Field::new(ctx, "contact_name", "field-reg_contact_name")
                .id("p-contact")
                .errors(e)
                .optional()
                .autocomplete("off")
                .value(f.contact_name.clone()),
            Field::new(ctx, "contact_phone", "field-contact_phone")
                .id("p-phone")
                .errors(e)
                .kind("tel")
                .optional()
                .autocomplete("off")
                .value(f.contact_phone.clone()),
            Field::new(ctx, "notes", "field-reg_notes").id("p-notes").errors(e).kind("textarea").optional().value(f.notes.clone()),
        ],
    }
}

const PHOTO: &[(&str, &str, &str)] = &[("reg_photo", "photo", "ph-file"), ("reg_caption", "caption", "ph-caption")];

fn photo_fields(ctx: &Ctx, caption: &str, e: &FormErrors) -> Vec<Field> {
    vec![
        Field::new(ctx, "photo", "field-reg_photo")
            .id("ph-file")
            .errors(e)
            .kind("file")
            .accept("image/png,image/jpeg,image/webp")
            .hint(ctx.t("el-registers-photo-hint")),
        Field::new(ctx, "caption", "field-reg_caption").id("ph-caption").errors(e).hint(ctx.t("el-registers-caption-hint")).value(caption),
    ]
}

const PERSON: &[(&str, &str, &str)] = &[
    ("reg_given_name", "given_name", "f-given"),
    ("reg_family_name", "family_name", "f-family"),
    ("reg_pnr", "pnr", "f-pnr"),
    ("reg_birth_date", "birth_date", "f-birth"),
    ("email", "email", "f-email"),
    ("reg_phone", "phone", "f-phone"),
    ("reg_postal_code", "postal_code", "f-postal"),
    ("lat", "lat", "f-lat"),
    ("lon", "lon", "f-lon"),
];

fn person_fields(ctx: &Ctx, f: &PersonInput, e: &FormErrors) -> FormFields {
    FormFields {
        main: vec![
            Field::new(ctx, "given_name", "field-reg_given_name").id("f-given").errors(e).autocomplete("off").value(f.given_name.clone()),
            Field::new(ctx, "family_name", "field-reg_family_name")
                .id("f-family")
                .errors(e)
                .autocomplete("off")
                .value(f.family_name.clone()),
            Field::new(ctx, "pnr", "field-reg_pnr")
                .id("f-pnr")
                .errors(e)
                .optional()
                .inputmode("numeric")
                .autocomplete("off")
                .hint(ctx.t("el-registers-pnr-hint"))
                .value(f.pnr.clone()),
            Field::new(ctx, "birth_date", "field-reg_birth_date")
                .id("f-birth")
                .errors(e)
                .kind("date")
                .optional()
                .hint(ctx.t("el-registers-birth-hint"))
                .value(f.birth_date.clone()),
            Field::new(ctx, "email", "field-email")
                .id("f-email")
                .errors(e)
                .kind("email")
                .optional()
                .autocomplete("off")
                .value(f.email.clone()),
            Field::new(ctx, "phone", "field-reg_phone")
                .id("f-phone")
                .errors(e)
                .kind("tel")
                .optional()
                .autocomplete("off")
                .value(f.phone.clone()),
            Field::new(ctx, "address", "field-address").id("f-address").errors(e).optional().autocomplete("off").value(f.address.clone()),
            Field::new(ctx, "postal_code", "field-reg_postal_code")
                .id("f-postal")
                .errors(e)
                .optional()
                .inputmode("numeric")
                .autocomplete("off")
                .value(f.postal_code.clone()),
            Field::new(ctx, "city", "field-reg_city").id("f-city").errors(e).optional().autocomplete("off").value(f.city.clone()),
        ],
        coords: vec![
            Field::new(ctx, "lat", "field-lat").id("f-lat").errors(e).optional().inputmode("decimal").value(f.lat.clone()),
            Field::new(ctx, "lon", "field-lon").id("f-lon").errors(e).optional().inputmode("decimal").value(f.lon.clone()),
        ],
        more: vec![
            Field::new(ctx, "languages", "field-reg_languages")
                .id("f-lang")
                .errors(e)
                .optional()
                .hint(ctx.t("el-registers-help-languages"))
                .value(f.languages.clone()),
            Field::new(ctx, "preferences", "field-reg_preferences")
                .id("f-pref")
                .errors(e)
                .kind("textarea")
                .optional()
                .rows(2)
                .value(f.preferences.clone()),
            Field::new(ctx, "notes", "field-reg_notes").id("f-notes").errors(e).kind("textarea").optional().value(f.notes.clone()),
        ],
    }
}

const HISTORY: &[(&str, &str, &str)] = &[("reg_year", "year", "h-year"), ("role", "role", "h-role"), ("reg_place", "place", "h-place")];

fn history_fields(ctx: &Ctx, f: &HistoryInput, e: &FormErrors) -> Vec<Field> {
    let role = if f.role.is_empty() { "rostmottagare" } else { f.role.as_str() };
    let roles =
        ["ordforande", "vice", "rostmottagare"].iter().map(|r| (r.to_string(), ctx.t(&format!("el-role-{r}")), *r == role)).collect();
    vec![
        Field::new(ctx, "year", "field-reg_year").id("h-year").errors(e).inputmode("numeric").value(f.year.clone()),
        Field::new(ctx, "role", "field-role").id("h-role").errors(e).kind("select").options(roles, ""),
        Field::new(ctx, "place", "field-reg_place").id("h-place").errors(e).optional().value(f.place.clone()),
    ]
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
    fields: Vec<Field>,
    errors: FormErrors,
}

async fn buildings_page(st: &AppState, ctx: &Ctx, s: &StaffUser, form: BuildingInput, errors: FormErrors) -> Result<Response> {
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
    let errors = errors.place(BUILDING);
    let fields = building_fields(ctx, &form, &errors);
    render(&BuildingsPage { ctx, buildings, fields, errors })
}

async fn get_buildings(State(st): State<AppState>, ctx: Ctx, o: Require<Office>) -> Result<Response> {
    buildings_page(&st, &ctx, &o.0, BuildingInput::default(), FormErrors::none()).await
}

async fn post_building(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Form(f): Form<BuildingInput>) -> Result<Response> {
    let s = o.0;
    let r = service::create_building(&st.db, &s, &f, st.now()).await.map(|id| format!("/admin/val/register/byggnader/{id}"));
    form::submit_fields(&ctx, r, |errors| buildings_page(&st, &ctx, &s, f.clone(), errors)).await
}

#[derive(Template)]
#[template(path = "elections/registers_building.html")]
struct BuildingPage<'a> {
    ctx: &'a Ctx,
    b: BuildingRow,
    premises: Vec<PremisesRow>,
    fields: Vec<Field>,
    errors: FormErrors,
}

async fn building_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    form: Option<BuildingInput>,
    errors: FormErrors,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(radhus_platform::db::Scope::Tenant(t)).await?;
    let b = super::store::building(&mut tx, t, id).await?.ok_or(Error::NotFound)?;
    let premises = super::store::premises_list(&mut tx, t).await?.into_iter().filter(|p| p.building_id == Some(id)).collect();
    tx.commit().await?;
    let form = form.unwrap_or_else(|| BuildingInput { name: b.name.clone(), address: b.address.clone(), notes: b.notes.clone() });
    let errors = errors.place(BUILDING);
    let fields = building_fields(ctx, &form, &errors);
    render(&BuildingPage { ctx, b, premises, fields, errors })
}

async fn get_building(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    building_page(&st, &ctx, &o.0, id, None, FormErrors::none()).await
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
    form::submit_fields(&ctx, r, |errors| building_page(&st, &ctx, &s, id, Some(f.clone()), errors)).await
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
    form: FormFields,
    errors: FormErrors,
}

async fn premises_list_page(st: &AppState, ctx: &Ctx, s: &StaffUser, form: PremisesInput, errors: FormErrors) -> Result<Response> {
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
    let errors = errors.place(PREMISES);
    let form = premises_fields(ctx, &form, &buildings, &errors);
    render(&PremisesListPage { ctx, premises, form, errors })
}

async fn get_premises_list(State(st): State<AppState>, ctx: Ctx, o: Require<Office>) -> Result<Response> {
    premises_list_page(&st, &ctx, &o.0, PremisesInput::default(), FormErrors::none()).await
}

async fn post_premises(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Form(f): Form<PremisesInput>) -> Result<Response> {
    let s = o.0;
    let r = service::create_premises(&st.db, &s, &f, st.now()).await.map(|id| format!("/admin/val/register/lokaler/{id}"));
    form::submit_fields(&ctx, r, |errors| premises_list_page(&st, &ctx, &s, f.clone(), errors)).await
}

#[derive(Template)]
#[template(path = "elections/registers_premises.html")]
struct PremisesPage<'a> {
    ctx: &'a Ctx,
    p: PremisesRow,
    building: Option<BuildingRow>,
    photos: Vec<PhotoRow>,
    /// The photo upload's file and caption.
    photo: Vec<Field>,
    form: FormFields,
    errors: FormErrors,
}

impl PremisesPage<'_> {
    fn coords(&self) -> String {
        coord(self.p.lat, self.p.lon)
    }
    fn capacity(&self) -> String {
        self.p.capacity.map(|c| c.to_string()).unwrap_or_else(|| "–".into())
    }
}

/// Which form of a page with several was refused, with what was posted.
enum Refused<E, O> {
    /// None (the page as first shown) or a form without fields of its own (a remove button).
    Nothing,
    /// The page's change form.
    Edit(E),
    /// The other form: a photo (its caption), a year of experience.
    Other(O),
}

async fn premises_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    refused: Refused<PremisesInput, String>,
    errors: FormErrors,
) -> Result<Response> {
    let v = service::premises_view(&st.db, s, id).await?;
    let t = s.tenant_id;
    let mut tx = st.db.read(radhus_platform::db::Scope::Tenant(t)).await?;
    let buildings = super::store::buildings(&mut tx, t).await?;
    tx.commit().await?;
    let none = FormErrors::none();
    let (errors, form, photo) = match refused {
        Refused::Edit(f) => {
            let errors = errors.place(PREMISES);
            let form = premises_fields(ctx, &f, &buildings, &errors);
            (errors, form, photo_fields(ctx, "", &none))
        }
        Refused::Other(caption) => {
            let errors = errors.place(PHOTO);
            let photo = photo_fields(ctx, &caption, &errors);
            (errors, premises_fields(ctx, &PremisesInput::of(&v.p), &buildings, &none), photo)
        }
        Refused::Nothing => {
            (errors.unlinked(), premises_fields(ctx, &PremisesInput::of(&v.p), &buildings, &none), photo_fields(ctx, "", &none))
        }
    };
    render(&PremisesPage { ctx, p: v.p, building: v.building, photos: v.photos, photo, form, errors })
}

async fn get_premises(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    premises_page(&st, &ctx, &o.0, id, Refused::Nothing, FormErrors::none()).await
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
    form::submit_fields(&ctx, r, |errors| premises_page(&st, &ctx, &s, id, Refused::Edit(f.clone()), errors)).await
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
    let parts = multipart(m).await;
    let caption = parts.as_ref().ok().and_then(|(fields, _)| fields.get("caption").cloned()).unwrap_or_default();
    let r = async {
        let (_, file) = parts?;
        let bytes = file.map(|(_, b)| b).unwrap_or_default();
        service::add_photo(&st.db, &s, id, &caption, &bytes, st.now()).await?;
        Ok(format!("/admin/val/register/lokaler/{id}#bilder"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| premises_page(&st, &ctx, &s, id, Refused::Other(caption.clone()), errors)).await
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
    form::submit_fields(&ctx, r, |errors| premises_page(&st, &ctx, &s, id, Refused::Nothing, errors)).await
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
    form: FormFields,
    errors: FormErrors,
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
    errors: FormErrors,
) -> Result<Response> {
    let page = q.sida.trim().parse::<usize>().ok().filter(|n| *n >= 1).unwrap_or(1);
    let (persons, total) = service::list_persons(&st.db, s, &q.q, page, st.now()).await?;
    let pages = total.div_ceil(service::PAGE_SIZE).max(1);
    let errors = errors.place(PERSON);
    let form = person_fields(ctx, &form, &errors);
    render(&PersonsPage { ctx, persons, q: q.q.trim().to_string(), page, pages, total, form, errors })
}

async fn get_persons(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Query(q): Query<PersonsQuery>) -> Result<Response> {
    persons_page(&st, &ctx, &o.0, &q, PersonInput::default(), FormErrors::none()).await
}

async fn post_person(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Form(f): Form<PersonInput>) -> Result<Response> {
    let s = o.0;
    let r = service::create_person(&st.db, &s, &f, st.now()).await.map(|id| format!("/admin/val/register/personer/{id}"));
    let q = PersonsQuery::default();
    form::submit_fields(&ctx, r, |errors| persons_page(&st, &ctx, &s, &q, f.clone(), errors)).await
}

#[derive(Template)]
#[template(path = "elections/registers_person.html")]
struct PersonPage<'a> {
    ctx: &'a Ctx,
    p: PersonRow,
    history: Vec<HistoryRow>,
    assignments: Vec<AssignmentLine>,
    applications: Vec<ApplicationLine>,
    /// The form adding a year of experience.
    add: Vec<Field>,
    form: FormFields,
    errors: FormErrors,
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
    refused: Refused<PersonInput, HistoryInput>,
    errors: FormErrors,
) -> Result<Response> {
    let v = service::view_person(&st.db, s, id, st.now()).await?;
    let none = FormErrors::none();
    let (errors, form, add) = match refused {
        Refused::Edit(f) => {
            let errors = errors.place(PERSON);
            let form = person_fields(ctx, &f, &errors);
            (errors, form, history_fields(ctx, &HistoryInput::default(), &none))
        }
        Refused::Other(h) => {
            let errors = errors.place(HISTORY);
            let add = history_fields(ctx, &h, &errors);
            (errors, person_fields(ctx, &PersonInput::of(&v.p), &none), add)
        }
        Refused::Nothing => {
            (errors.unlinked(), person_fields(ctx, &PersonInput::of(&v.p), &none), history_fields(ctx, &HistoryInput::default(), &none))
        }
    };
    render(&PersonPage { ctx, p: v.p, history: v.history, assignments: v.assignments, applications: v.applications, add, form, errors })
}

async fn get_person(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    person_page(&st, &ctx, &o.0, id, Refused::Nothing, FormErrors::none()).await
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
    form::submit_fields(&ctx, r, |errors| person_page(&st, &ctx, &s, id, Refused::Edit(f.clone()), errors)).await
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
    form::submit_fields(&ctx, r, |errors| person_page(&st, &ctx, &s, id, Refused::Other(f.clone()), errors)).await
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
    form::submit_fields(&ctx, r, |errors| person_page(&st, &ctx, &s, id, Refused::Nothing, errors)).await
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
    /// What the file holds and the file.
    fields: Vec<Field>,
    errors: FormErrors,
}

/// The upload form of an import (the registers' and the structure's): (the problem's field,
/// posted name, id).
pub const UPLOAD: &[(&str, &str, &str)] =
    &[("reg_import_kind", "kind", "kind"), ("valimport_kind", "kind", "kind"), ("reg_file", "file", "file")];

/// The upload form's fields: what the file holds (`kinds`: value and label, `chosen` ticked)
/// and the file.
pub fn upload_fields(ctx: &Ctx, kinds: &[(&str, &str)], chosen: &str, accept: &'static str, hint: &str, e: &FormErrors) -> Vec<Field> {
    let chosen = if kinds.iter().any(|(k, _)| *k == chosen) { chosen } else { kinds[0].0 };
    let options = kinds.iter().map(|(k, label)| (k.to_string(), ctx.t(label), *k == chosen)).collect();
    vec![
        Field::new(ctx, "kind", "field-reg_import_kind").errors(e).kind("radios").options(options, ""),
        Field::new(ctx, "file", "field-reg_file").errors(e).kind("file").accept(accept).hint(ctx.t(hint)),
    ]
}

/// The kind a refused upload chose, to show it chosen again.
pub fn posted_kind(parts: &Result<Parts>) -> String {
    parts.as_ref().ok().and_then(|(fields, _)| fields.get("kind").cloned()).unwrap_or_default()
}

async fn import_page(st: &AppState, ctx: &Ctx, s: &StaffUser, kind: &str, errors: FormErrors) -> Result<Response> {
    let recent = import_lines(ctx, "/admin/val/register/import", import::recent(&st.db, s, None).await?);
    let errors = errors.place(UPLOAD);
    let fields = upload_fields(
        ctx,
        &[("persons", "el-registers-import-kind-persons"), ("premises", "el-registers-import-kind-premises")],
        kind,
        ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "el-registers-file-hint",
        &errors,
    );
    render(&ImportPage { ctx, persons: col_docs(ctx, Kind::Persons), premises: col_docs(ctx, Kind::Premises), recent, fields, errors })
}

async fn get_import(State(st): State<AppState>, ctx: Ctx, o: Require<Office>) -> Result<Response> {
    import_page(&st, &ctx, &o.0, "", FormErrors::none()).await
}

/// Multipart upload: `kind` ("persons" or "premises") and `file`.
async fn post_import(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, m: Multipart) -> Result<Response> {
    let s = o.0;
    let kommunkod = ctx.require_tenant()?.kommunkod.clone();
    let parts = multipart(m).await;
    let chosen = posted_kind(&parts);
    let r = async {
        let (_, file) = parts?;
        let kind = Kind::parse(&chosen)
            .filter(|k| !k.is_structure())
            .ok_or_else(|| Error::invalid("reg_import_kind", "el-registers-err-import-kind"))?;
        let (name, bytes) = file.ok_or_else(|| Error::invalid("reg_file", "el-registers-file-missing"))?;
        let id = import::stage(&st.db, &s, kind, None, &kommunkod, &name, &bytes, st.now()).await?;
        Ok(format!("/admin/val/register/import/{id}"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| import_page(&st, &ctx, &s, &chosen, errors)).await
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
    /// What to import: every row, the rows without problems, or nothing.
    pub choice: Field,
    pub errors: FormErrors,
}

/// The preview page of an import (shared by the registers and the structure import).
pub fn preview_page(
    ctx: &Ctx,
    p: Preview,
    crumbs: Vec<(String, String)>,
    back: String,
    action: String,
    errors: FormErrors,
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
    let errors = errors.place(CHOICE);
    let good = p.good();
    let with_problems = p.with_problems;
    let total = p.rows.len();
    let options = if with_problems == 0 {
        vec![("all".to_string(), ctx.tr.t1("el-registers-choice-all", "n", total), true)]
    } else {
        vec![("good".to_string(), ctx.tr.t1("el-registers-choice-good", "n", good), good > 0)]
    };
    let nothing = ("nothing".to_string(), ctx.t("el-registers-choice-nothing"), with_problems > 0 && good == 0);
    let choice = Field::new(ctx, "choice", "el-registers-choose-legend")
        .errors(&errors)
        .kind("radios")
        .options(options.into_iter().chain([nothing]).collect(), "");
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
        total,
        with_problems,
        good,
        other_kommun: i.other_kommun,
        result,
        choice,
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

async fn import_preview_page(st: &AppState, ctx: &Ctx, s: &StaffUser, iid: Uuid, errors: FormErrors) -> Result<Response> {
    let p = import::preview(&st.db, s, iid, None, st.now()).await?;
    let back = match p.kind {
        Kind::Persons => "/admin/val/register/personer",
        _ => "/admin/val/register/lokaler",
    };
    preview_page(ctx, p, register_crumbs(ctx), back.into(), format!("/admin/val/register/import/{iid}"), errors)
}

async fn get_import_preview(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(iid): PathIds<Uuid>) -> Result<Response> {
    import_preview_page(&st, &ctx, &o.0, iid, FormErrors::none()).await
}

#[derive(Deserialize, Clone)]
pub struct ChoiceForm {
    #[serde(default)]
    pub choice: String,
}

/// The preview's choice: (the problem's field, posted name, id).
const CHOICE: &[(&str, &str, &str)] = &[("reg_choice", "choice", "choice")];

pub fn choice_of(f: &ChoiceForm) -> Result<Choice> {
    Choice::parse(f.choice.trim()).ok_or_else(|| Error::invalid("reg_choice", "el-registers-err-choice"))
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
    form::submit_fields(&ctx, r, |errors| import_preview_page(&st, &ctx, &s, iid, errors)).await
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
