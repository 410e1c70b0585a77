//! The pages of material and checklists under `/admin/val/material` and `/admin/val/{id}/material`.

use super::*;
use crate::structure::service::election_in;
use crate::structure::store::{self, ElectionRow, StationRow};
use crate::support::office::Office;
use crate::support::office::require_office;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::{Db, Scope};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::download;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use std::collections::HashMap;
use uuid::Uuid;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/val/material", get_items)
        .post("/admin/val/material", post_item)
        .get("/admin/val/{id}/material", get_overview)
        .post("/admin/val/{id}/material/standard", post_kit)
        .get("/admin/val/{id}/material/{sid}", get_station)
        .post("/admin/val/{id}/material/{sid}", post_quantities)
        .post("/admin/val/{id}/material/{sid}/markera", post_mark)
        .get("/admin/val/{id}/material/{sid}/packlista", get_packing_list)
        .get("/admin/val/{id}/material/{sid}/packlista.pdf", get_packing_pdf)
}

#[derive(Template)]
#[template(path = "elections/material_items.html")]
struct ItemsPage<'a> {
    ctx: &'a Ctx,
    items: Vec<ItemRow>,
    form: ItemInput,
    /// A refused item: the summary linked to the name, the message at it.
    errors: FormErrors,
}

impl ItemsPage<'_> {
    /// The item's name (category and unit are free text that is never refused).
    fn name_field(&self) -> Field {
        Field::new(self.ctx, "name", "field-name")
            .id("i-name")
            .hint(self.ctx.t("el-material-name-hint"))
            .value(self.form.name.clone())
            .errors(&self.errors)
    }
}

async fn items_page(st: &AppState, ctx: &Ctx, s: &StaffUser, form: ItemInput, errors: FormErrors) -> Result<Response> {
    require_office(s)?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let items = items(&mut tx, s.tenant_id).await?;
    tx.commit().await?;
    render(&ItemsPage { ctx, items, form, errors: errors.target("name", "i-name") })
}

async fn get_items(State(st): State<AppState>, ctx: Ctx, o: Require<Office>) -> Result<Response> {
    items_page(&st, &ctx, &o.0, ItemInput::default(), FormErrors::none()).await
}

async fn post_item(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Form(f): Form<ItemInput>) -> Result<Response> {
    let s = o.0;
    let r = add_item(&st.db, &s, &f, st.now()).await.map(|_| "/admin/val/material".to_string());
    form::submit_fields(&ctx, r, |errors| items_page(&st, &ctx, &s, f.clone(), errors)).await
}

/// One station on the overview: how many items, and how many of them are packed, delivered,
/// returned, and returned with another quantity.
pub struct StationSummary {
    pub s: StationRow,
    pub items: usize,
    pub packed: usize,
    pub delivered: usize,
    pub returned: usize,
    pub differing: usize,
}

/// Something still to do or to look at: a station's item not delivered, not returned, or
/// returned with another quantity.
pub struct Outstanding {
    pub station_id: Uuid,
    pub station: String,
    pub item: String,
    pub quantity: i32,
    pub returned: Option<i32>,
}

/// The items of one station still to deliver or to get back.
pub struct Group {
    pub station_id: Uuid,
    pub station: String,
    pub count: usize,
    pub items: String,
}

#[derive(Template)]
#[template(path = "elections/material_overview.html")]
struct OverviewPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    stations: Vec<StationSummary>,
    items: Vec<ItemRow>,
    not_delivered: Vec<Group>,
    not_returned: Vec<Group>,
    differing: Vec<Outstanding>,
    submitted: Submitted,
    /// A refused kit: the summary linked to the kind or the first refused quantity.
    errors: FormErrors,
}

impl OverviewPage<'_> {
    /// The kind of station the kit is for.
    fn kind_field(&self) -> Field {
        let options = ["vallokal", "rostningslokal"]
            .iter()
            .map(|k| (k.to_string(), self.ctx.t(&format!("el-material-all-{k}")), self.kind_chosen(k)))
            .collect();
        Field::new(self.ctx, "station_kind", "field-station_kind").id("k-kind").kind("select").options(options, "").errors(&self.errors)
    }
    /// The message at a refused quantity of the kit.
    fn quantity_error(&self) -> String {
        self.errors.message("material_quantity").unwrap_or_default().to_string()
    }
    fn kit_value(&self, i: &ItemRow) -> String {
        self.submitted.value(i, String::new())
    }
    fn kind_chosen(&self, k: &str) -> bool {
        self.submitted.values.get("station_kind").map(String::as_str) == Some(k)
    }
}

async fn overview_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    form: Option<&HashMap<String, serde_json::Value>>,
    errors: FormErrors,
) -> Result<Response> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let e = election_in(&mut tx, t, id).await?;
    let stations = store::stations(&mut tx, t, id).await?;
    let items = items(&mut tx, t).await?;
    let mats = materials(&mut tx, t, id).await?;
    tx.commit().await?;
    let name_of = |i: Uuid| items.iter().find(|x| x.id == i).map(|x| x.name.clone()).unwrap_or_default();
    let mut not_delivered = vec![];
    let mut not_returned = vec![];
    let mut differing = vec![];
    let mut summaries = vec![];
    for x in stations {
        let mine: Vec<&MaterialRow> = mats.iter().filter(|m| m.station_id == x.id).collect();
        let mut sorted = mine.clone();
        sorted.sort_by_key(|m| items.iter().position(|i| i.id == m.item_id));
        let mut nd = vec![];
        let mut nr = vec![];
        for m in &sorted {
            if m.delivered_at.is_none() {
                nd.push(name_of(m.item_id));
            } else if m.returned_at.is_none() {
                nr.push(name_of(m.item_id));
            } else if m.differs() {
                differing.push(Outstanding {
                    station_id: x.id,
                    station: x.name.clone(),
                    item: name_of(m.item_id),
                    quantity: m.quantity,
                    returned: m.returned_quantity,
                });
            }
        }
        if !nd.is_empty() {
            not_delivered.push(Group { station_id: x.id, station: x.name.clone(), count: nd.len(), items: nd.join(", ") });
        }
        if !nr.is_empty() {
            not_returned.push(Group { station_id: x.id, station: x.name.clone(), count: nr.len(), items: nr.join(", ") });
        }
        summaries.push(StationSummary {
            items: mine.len(),
            packed: mine.iter().filter(|m| m.packed_at.is_some()).count(),
            delivered: mine.iter().filter(|m| m.delivered_at.is_some()).count(),
            returned: mine.iter().filter(|m| m.returned_at.is_some()).count(),
            differing: mine.iter().filter(|m| m.differs()).count(),
            s: x,
        });
    }
    let submitted = form.map(|f| Submitted::of(f, &items)).unwrap_or_default();
    let errors = submitted.link(errors, &items, "k");
    render(&OverviewPage { ctx, e, stations: summaries, items, not_delivered, not_returned, differing, submitted, errors })
}

async fn get_overview(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    overview_page(&st, &ctx, &o.0, id, None, FormErrors::none()).await
}

async fn post_kit(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<HashMap<String, serde_json::Value>>,
) -> Result<Response> {
    let s = o.0;
    let kind = f.get("station_kind").and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let r = fill_standard_kit(&st.db, &s, id, &kind, &f, st.now()).await.map(|_| format!("/admin/val/{id}/material"));
    form::submit_fields(&ctx, r, |errors| overview_page(&st, &ctx, &s, id, Some(&f), errors)).await
}

/// One line of a station's checklist.
pub struct Line {
    pub item: ItemRow,
    pub m: Option<MaterialRow>,
}

impl Line {
    pub fn quantity(&self) -> String {
        self.m.as_ref().map(|m| m.quantity.to_string()).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "elections/material_station.html")]
struct StationPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    s: StationRow,
    district: String,
    lines: Vec<Line>,
    submitted: Submitted,
    /// A refused form: the summary linked to the first refused quantity or returned quantity.
    errors: FormErrors,
    /// The item whose returned quantity was refused.
    refused_item: String,
}

/// A form as it was sent, to show it again with its problems.
#[derive(Default)]
pub struct Submitted {
    pub values: HashMap<String, String>,
    pub bad: Vec<String>,
}

impl Submitted {
    fn of(form: &HashMap<String, serde_json::Value>, items: &[ItemRow]) -> Self {
        Submitted {
            values: form.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect(),
            bad: bad_quantities(form, items),
        }
    }
    pub fn value(&self, item: &ItemRow, stored: String) -> String {
        self.values.get(&format!("q-{}", item.id)).cloned().unwrap_or(stored)
    }
    pub fn is_bad(&self, item: &ItemRow) -> bool {
        self.bad.contains(&format!("q-{}", item.id))
    }
    /// Links a refused quantity to the first refused input (`<prefix>-<item>`) and an empty
    /// kit to the first item's input; the kind of station to its select.
    fn link(&self, errors: FormErrors, items: &[ItemRow], prefix: &str) -> FormErrors {
        let first_bad = items.iter().find(|i| self.is_bad(i)).or(items.first());
        let first = items.first().map(|i| format!("{prefix}-{}", i.id)).unwrap_or_default();
        errors
            .target("material_quantity", &first_bad.map(|i| format!("{prefix}-{}", i.id)).unwrap_or_default())
            .target("material_kit", &first)
            .target("station_kind", "k-kind")
    }
}

impl StationPage<'_> {
    fn qty(&self, l: &Line) -> String {
        self.submitted.value(&l.item, l.quantity())
    }
    /// The message at a refused quantity.
    fn quantity_error(&self) -> String {
        self.errors.message("material_quantity").unwrap_or_default().to_string()
    }
    /// The message at the refused returned quantity of this line, if it is the one.
    fn returned_error(&self, l: &Line) -> Option<String> {
        (self.refused_item == l.item.id.to_string()).then(|| self.errors.message("material_returned")).flatten().map(str::to_string)
    }
    fn packed(&self, m: &MaterialRow) -> String {
        crate::support::view::stamp(&m.packed_by, &m.packed_at)
    }
    fn delivered(&self, m: &MaterialRow) -> String {
        crate::support::view::stamp(&m.delivered_by, &m.delivered_at)
    }
    fn returned(&self, m: &MaterialRow) -> String {
        crate::support::view::stamp(&m.returned_by, &m.returned_at)
    }
    fn all_steps(&self) -> [(&'static str, &'static str); 3] {
        [("packed", "el-material-all-packed"), ("delivered", "el-material-all-delivered"), ("returned", "el-material-all-returned")]
    }
    fn listed(&self) -> usize {
        self.lines.iter().filter(|l| l.m.is_some()).count()
    }
}

struct StationData {
    e: ElectionRow,
    s: StationRow,
    district: String,
    lines: Vec<Line>,
}

async fn station_data(db: &Db, s: &StaffUser, id: Uuid, sid: Uuid) -> Result<StationData> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let e = election_in(&mut tx, t, id).await?;
    let station = store::station(&mut tx, t, id, sid).await?.ok_or(Error::NotFound)?;
    let district = match &station.district_code {
        Some(c) => store::district(&mut tx, t, id, c).await?.map(|d| format!("{} {}", d.code, d.name)).unwrap_or_default(),
        None => String::new(),
    };
    let items = items(&mut tx, t).await?;
    let mats = materials(&mut tx, t, id).await?;
    tx.commit().await?;
    let lines = items
        .into_iter()
        .map(|i| {
            let m = mats.iter().find(|m| m.station_id == sid && m.item_id == i.id).cloned();
            Line { item: i, m }
        })
        .collect();
    Ok(StationData { e, s: station, district, lines })
}

#[allow(clippy::too_many_arguments)]
async fn station_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    sid: Uuid,
    form: Option<&HashMap<String, serde_json::Value>>,
    errors: FormErrors,
    refused_item: String,
) -> Result<Response> {
    let d = station_data(&st.db, s, id, sid).await?;
    let items: Vec<ItemRow> = d.lines.iter().map(|l| l.item.clone()).collect();
    let submitted = form.map(|f| Submitted::of(f, &items)).unwrap_or_default();
    // A step or item that is not one of the buttons' is a problem of the form, not of a field.
    let errors = submitted
        .link(errors, &items, "q")
        .target("material_returned", &format!("r-{refused_item}"))
        .place(&[("material_step", FieldError::FORM, ""), ("material_item", FieldError::FORM, "")]);
    render(&StationPage { ctx, e: d.e, s: d.s, district: d.district, lines: d.lines, submitted, errors, refused_item })
}

async fn get_station(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    station_page(&st, &ctx, &o.0, id, sid, None, FormErrors::none(), String::new()).await
}

async fn post_quantities(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<HashMap<String, serde_json::Value>>,
) -> Result<Response> {
    let s = o.0;
    let r = set_station_quantities(&st.db, &s, id, sid, &f, st.now()).await.map(|_| format!("/admin/val/{id}/material/{sid}"));
    form::submit_fields(&ctx, r, |errors| station_page(&st, &ctx, &s, id, sid, Some(&f), errors, String::new())).await
}

async fn post_mark(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<MarkInput>,
) -> Result<Response> {
    let s = o.0;
    let r = mark(&st.db, &s, id, sid, &f, st.now()).await.map(|_| format!("/admin/val/{id}/material/{sid}#checklista"));
    form::submit_fields(&ctx, r, |errors| station_page(&st, &ctx, &s, id, sid, None, errors, f.item.trim().to_string())).await
}

#[derive(Template)]
#[template(path = "elections/material_packing.html")]
struct PackingPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    s: StationRow,
    district: String,
    lines: Vec<Line>,
}

async fn get_packing_list(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    let mut d = station_data(&st.db, &o.0, id, sid).await?;
    d.lines.retain(|l| l.m.is_some());
    render(&PackingPage { ctx: &ctx, e: d.e, s: d.s, district: d.district, lines: d.lines })
}

async fn get_packing_pdf(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    let d = station_data(&st.db, &o.0, id, sid).await?;
    let municipality = ctx.require_tenant()?.name.clone();
    let mut doc =
        crate::reports::Document::new(&ctx, &municipality, &d.e, format!("{} – {}", ctx.t("el-material-packing-list"), d.s.name), st.now());
    doc.facts = vec![
        (ctx.t("field-station_kind"), ctx.t(&crate::support::view::kind_id(&d.s.kind))),
        (ctx.t("field-address"), d.s.address.clone()),
    ];
    if !d.district.is_empty() {
        doc.facts.push((ctx.t("field-district"), d.district.clone()));
    }
    doc.columns = vec![
        ctx.t("el-material-col-category"),
        ctx.t("el-material-col-item"),
        ctx.t("el-material-col-quantity"),
        ctx.t("el-material-col-unit"),
        ctx.t("el-material-col-packed"),
        ctx.t("el-material-col-delivered"),
    ];
    doc.numeric = vec![2];
    for l in d.lines.iter() {
        if let Some(m) = &l.m {
            doc.rows.push(vec![
                l.item.category.clone(),
                l.item.name.clone(),
                m.quantity.to_string(),
                l.item.unit.clone(),
                if m.packed_at.is_some() { "✓".into() } else { "☐".into() },
                if m.delivered_at.is_some() { "✓".into() } else { "☐".into() },
            ]);
        }
    }
    doc.signature = true;
    let name = format!("packlista-{}.pdf", crate::reports::file_slug(&d.s.name));
    Ok(download::attachment(crate::reports::pdf_off_thread(doc, st.now()).await?, download::PDF, &name))
}
