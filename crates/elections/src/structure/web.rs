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
use radhus_platform::web::field::{Field, FormErrors};
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
    /// A refused new election: the summary linked to the fields, the message at each.
    errors: FormErrors,
    form: ElectionInput,
}

/// The new election's form: (the problem's field, posted name, id).
const ELECTION: &[(&str, &str, &str)] = &[("election_kind", "kind", "kind")];

impl ListPage<'_> {
    /// The kind, name and election day.
    fn main_fields(&self) -> Vec<Field> {
        let (ctx, e, f) = (self.ctx, &self.errors, &self.form);
        let kinds = self.kinds.iter().map(|(k, _)| (k.to_string(), ctx.t(&view::kind_id(k)), f.kind == *k)).collect();
        vec![
            Field::new(ctx, "kind", "field-election_kind").errors(e).kind("select").options(kinds, ""),
            Field::new(ctx, "name", "field-name").errors(e).value(f.name.clone()),
            Field::new(ctx, "election_day", "field-election_day").errors(e).kind("date").value(f.election_day.clone()),
        ]
    }
    /// The early voting period (both or neither).
    fn early_fields(&self) -> Vec<Field> {
        let (ctx, e, f) = (self.ctx, &self.errors, &self.form);
        vec![
            Field::new(ctx, "early_from", "field-early_from").errors(e).kind("date").optional().value(f.early_from.clone()),
            Field::new(ctx, "early_to", "field-early_to").errors(e).kind("date").optional().value(f.early_to.clone()),
        ]
    }
    /// An earlier election to copy the structure from.
    fn copy_field(&self) -> Field {
        let options = self.elections.iter().map(|x| (x.id.to_string(), x.name.clone(), self.form.copy_from == x.id.to_string())).collect();
        Field::new(self.ctx, "copy_from", "field-copy_from")
            .errors(&self.errors)
            .kind("select")
            .optional()
            .hint(self.ctx.t("el-copy-hint"))
            .options(options, self.ctx.t("el-copy-none"))
    }
}

async fn list_page(st: &AppState, ctx: &Ctx, s: &StaffUser, form: ElectionInput, errors: FormErrors) -> Result<Response> {
    crate::support::office::require_reader(s)?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let elections = store::elections(&mut tx, s.tenant_id).await?;
    tx.commit().await?;
    let kinds = service::KINDS.iter().map(|k| (service::kind_key(*k), k.label_sv())).collect();
    let errors = errors.place(ELECTION);
    render(&ListPage { ctx, elections, kinds, is_office: crate::support::office::is_office(s), errors, form })
}

async fn get_elections(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    list_page(&st, &ctx, &s, ElectionInput::default(), FormErrors::none()).await
}

async fn post_election(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Form(f): Form<ElectionInput>) -> Result<Response> {
    let s = o.0;
    let r = service::create_election(&st.db, &s, &f, st.now()).await.map(|id| format!("/admin/val/{id}"));
    form::submit_fields(&ctx, r, |errors| list_page(&st, &ctx, &s, f.clone(), errors)).await
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
    /// A refused change of the settings: the summary linked to the fields, the message at each.
    errors: FormErrors,
}

impl ElectionPage<'_> {
    /// How candidates are handled.
    fn policy_field(&self) -> Field {
        let options = ["block", "warn"]
            .iter()
            .map(|p| (p.to_string(), self.ctx.t(&format!("el-policy-{p}")), self.e.candidate_policy == *p))
            .collect();
        Field::new(self.ctx, "candidate_policy", "field-candidate_policy").errors(&self.errors).kind("radios").options(options, "")
    }
    /// The diary number and the reply deadline.
    fn extra_fields(&self) -> Vec<Field> {
        let (ctx, e) = (self.ctx, &self.errors);
        vec![
            Field::new(ctx, "diary_number", "field-diary_number")
                .errors(e)
                .optional()
                .hint(ctx.t("el-diary-number-hint"))
                .value(self.extra.diary_number.clone()),
            Field::new(ctx, "reply_deadline", "field-reply_deadline")
                .errors(e)
                .kind("date")
                .optional()
                .hint(ctx.t("el-reply-deadline-hint"))
                .value(self.deadline_value()),
        ]
    }
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

async fn election_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, errors: FormErrors) -> Result<Response> {
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
    election_page(&st, &ctx, &s, id, FormErrors::none()).await
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
    form::submit_fields(&ctx, r, |errors| election_page(&st, &ctx, &s, id, errors)).await
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
    /// The four forms' fields: a valkrets, a district, a station and a shift.
    constituency: Vec<Field>,
    district: Vec<Field>,
    station: Vec<Field>,
    shift: Vec<Field>,
    /// The form that was refused ("district", "station", "shift"): its details are shown open.
    open: &'static str,
    errors: FormErrors,
}

/// The structure page's forms; the refused one with what was posted.
enum StructureForm {
    /// The page as first shown.
    Nothing,
    Constituency(String),
    District(DistrictInput),
    Station(StationInput),
    Shift(ShiftInput),
}

/// The structure page's forms: (the problem's field, posted name, id).
const CONSTITUENCY: &[(&str, &str, &str)] = &[("constituency", "name", "c-name")];
const DISTRICT: &[(&str, &str, &str)] = &[
    ("code", "code", "d-code"),
    ("district_name", "name", "d-name"),
    ("constituency", "constituency", "d-c"),
    ("voters", "voters", "d-voters"),
];
const STATION: &[(&str, &str, &str)] = &[
    ("station_kind", "kind", "s-kind"),
    ("station_name", "name", "s-name"),
    ("lat", "lat", "s-lat"),
    ("lon", "lon", "s-lon"),
    ("district", "district", "s-district"),
];
const SHIFT: &[(&str, &str, &str)] =
    &[("shift_name", "name", "sh-name"), ("day", "day", "sh-day"), ("starts", "starts", "sh-starts"), ("ends", "ends", "sh-ends")];

/// The valkrets choice of a district form: none or one of the election's.
fn constituency_options(constituencies: &[ConstituencyRow], chosen: &str) -> Vec<(String, String, bool)> {
    constituencies.iter().map(|c| (c.id.to_string(), c.name.clone(), c.id.to_string() == chosen)).collect()
}

/// A district's fields, prefixed `d-` (the new district's code too when `code` is set).
fn district_fields(ctx: &Ctx, f: &DistrictInput, constituencies: &[ConstituencyRow], code: bool, e: &FormErrors) -> Vec<Field> {
    let mut v = vec![];
    if code {
        v.push(
            Field::new(ctx, "code", "field-code")
                .id("d-code")
                .errors(e)
                .inputmode("numeric")
                .hint(ctx.t("el-code-hint"))
                .value(f.code.clone()),
        );
    }
    v.push(Field::new(ctx, "name", "field-district_name").id("d-name").errors(e).value(f.name.clone()));
    v.push(
        Field::new(ctx, "constituency", "field-constituency")
            .id("d-c")
            .errors(e)
            .kind("select")
            .optional()
            .options(constituency_options(constituencies, &f.constituency), "–"),
    );
    v.push(Field::new(ctx, "voters", "field-voters").id("d-voters").errors(e).optional().inputmode("numeric").value(f.voters.clone()));
    v
}

/// The fields of a new station (prefix `s-`) or of a station's change form (prefix `x-`, no
/// kind; the district only for a vallokal, chosen among the election's).
fn station_fields(ctx: &Ctx, prefix: &str, f: &StationInput, districts: &[DistrictRow], new: bool, e: &FormErrors) -> Vec<Field> {
    let id = |name: &str| format!("{prefix}-{name}");
    let mut v = vec![];
    if new {
        let kinds = ["vallokal", "rostningslokal"].iter().map(|k| (k.to_string(), ctx.t(&format!("el-kind-{k}")), f.kind == *k)).collect();
        v.push(Field::new(ctx, "kind", "field-station_kind").id(&id("kind")).errors(e).kind("select").options(kinds, ""));
    }
    v.push(Field::new(ctx, "name", "field-station_name").id(&id("name")).errors(e).value(f.name.clone()));
    v.push(Field::new(ctx, "address", "field-address").id(&id("address")).errors(e).optional().value(f.address.clone()));
    v.push(Field::new(ctx, "lat", "field-lat").id(&id("lat")).errors(e).inputmode("decimal").value(f.lat.clone()));
    v.push(Field::new(ctx, "lon", "field-lon").id(&id("lon")).errors(e).inputmode("decimal").value(f.lon.clone()));
    let options = districts.iter().map(|d| (d.code.clone(), format!("{} {}", d.code, d.name), d.code == f.district)).collect();
    let district = Field::new(ctx, "district", "field-district").id(&id("district")).errors(e).kind("select");
    v.push(if new { district.options(options, "–").hint(ctx.t("el-station-district-hint")) } else { district.options(options, "") });
    v
}

fn shift_fields(ctx: &Ctx, f: &ShiftInput, e: &FormErrors) -> Vec<Field> {
    vec![
        Field::new(ctx, "name", "field-shift_name").id("sh-name").errors(e).value(f.name.clone()),
        Field::new(ctx, "day", "field-day").id("sh-day").errors(e).kind("date").value(f.day.clone()),
        Field::new(ctx, "starts", "field-starts").id("sh-starts").errors(e).kind("time").value(f.starts.clone()),
        Field::new(ctx, "ends", "field-ends").id("sh-ends").errors(e).kind("time").value(f.ends.clone()),
    ]
}

impl StructurePage<'_> {
    fn shift_label(&self, s: &ShiftRow) -> String {
        crate::structure::labels::shift_in(&self.ctx.tr, s)
    }
}

async fn structure_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, posted: StructureForm, errors: FormErrors) -> Result<Response> {
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
    let none = FormErrors::none();
    let new_shift = ShiftInput { day: e.election_day.to_string(), ..ShiftInput::default() };
    let new_station = StationInput { kind: "vallokal".into(), ..StationInput::default() };
    let (errors, refused) = match &posted {
        StructureForm::Nothing => (errors, ""),
        StructureForm::Constituency(_) => (errors.place(CONSTITUENCY), "constituency"),
        StructureForm::District(_) => (errors.place(DISTRICT), "district"),
        StructureForm::Station(_) => (errors.place(STATION), "station"),
        StructureForm::Shift(_) => (errors.place(SHIFT), "shift"),
    };
    // Only the refused form's fields show its problems; its details are open.
    let of = |form: &str| if form == refused { &errors } else { &none };
    let open = if refused == "constituency" { "" } else { refused };
    let constituency = vec![
        Field::new(ctx, "name", "field-constituency")
            .id("c-name")
            .errors(of("constituency"))
            .value(if let StructureForm::Constituency(n) = &posted { n.clone() } else { String::new() }),
    ];
    let district = match &posted {
        StructureForm::District(f) => district_fields(ctx, f, &constituencies, true, of("district")),
        _ => district_fields(ctx, &DistrictInput::default(), &constituencies, true, &none),
    };
    let station = match &posted {
        StructureForm::Station(f) => station_fields(ctx, "s", f, &districts, true, of("station")),
        _ => station_fields(ctx, "s", &new_station, &districts, true, &none),
    };
    let shift = match &posted {
        StructureForm::Shift(f) => shift_fields(ctx, f, of("shift")),
        _ => shift_fields(ctx, &new_shift, &none),
    };
    let districts = districts
        .into_iter()
        .map(|d| {
            let n = cname(d.constituency_id);
            (d, n)
        })
        .collect();
    render(&StructurePage { ctx, e, constituencies, districts, stations, shifts, constituency, district, station, shift, open, errors })
}

async fn get_structure(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    structure_page(&st, &ctx, &o.0, id, StructureForm::Nothing, FormErrors::none()).await
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
    form::submit_fields(&ctx, r, |errors| structure_page(&st, &ctx, &s, id, StructureForm::Constituency(f.name.clone()), errors)).await
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
    form::submit_fields(&ctx, r, |errors| structure_page(&st, &ctx, &s, id, StructureForm::District(f.clone()), errors)).await
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
    form::submit_fields(&ctx, r, |errors| structure_page(&st, &ctx, &s, id, StructureForm::Station(f.clone()), errors)).await
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
    form::submit_fields(&ctx, r, |errors| structure_page(&st, &ctx, &s, id, StructureForm::Shift(f.clone()), errors)).await
}

// ------------------------------------------------------------------ one valkrets, district, shift

#[derive(Template)]
#[template(path = "elections/constituency_edit.html")]
struct ConstituencyPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    c: ConstituencyRow,
    name: Field,
    errors: FormErrors,
}

async fn constituency_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    cid: Uuid,
    name: Option<String>,
    errors: FormErrors,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let e = service::election_in(&mut tx, t, id).await?;
    let c = store::constituencies(&mut tx, t, id).await?.into_iter().find(|x| x.id == cid).ok_or(Error::NotFound)?;
    tx.commit().await?;
    let errors = errors.place(CONSTITUENCY);
    let name = Field::new(ctx, "name", "field-constituency").id("c-name").errors(&errors).value(name.unwrap_or_else(|| c.name.clone()));
    render(&ConstituencyPage { ctx, e, c, name, errors })
}

async fn get_constituency(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, cid)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    constituency_page(&st, &ctx, &o.0, id, cid, None, FormErrors::none()).await
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
    form::submit_fields(&ctx, r, |errors| constituency_page(&st, &ctx, &s, id, cid, Some(f.name.clone()), errors)).await
}

#[derive(Template)]
#[template(path = "elections/district_edit.html")]
struct DistrictPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    code: String,
    /// The district's name as saved (the page's title).
    name: String,
    fields: Vec<Field>,
    errors: FormErrors,
}

async fn district_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    code: &str,
    f: Option<DistrictInput>,
    errors: FormErrors,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let e = service::election_in(&mut tx, t, id).await?;
    let d = store::district(&mut tx, t, id, code).await?.ok_or(Error::NotFound)?;
    let constituencies = store::constituencies(&mut tx, t, id).await?;
    tx.commit().await?;
    let f = f.unwrap_or_else(|| DistrictInput::of(&d));
    let errors = errors.place(DISTRICT);
    let fields = district_fields(ctx, &f, &constituencies, false, &errors);
    render(&DistrictPage { ctx, e, code: d.code, name: d.name, fields, errors })
}

async fn get_district(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, code)): PathIds<(Uuid, String)>,
) -> Result<Response> {
    district_page(&st, &ctx, &o.0, id, &code, None, FormErrors::none()).await
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
    form::submit_fields(&ctx, r, |errors| district_page(&st, &ctx, &s, id, &code, Some(f.clone()), errors)).await
}

#[derive(Template)]
#[template(path = "elections/shift_edit.html")]
struct ShiftPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    shift: ShiftRow,
    f: ShiftInput,
    /// A refused change: the summary linked to the fields, the message at each.
    errors: FormErrors,
}

impl ShiftPage<'_> {
    fn fields(&self) -> Vec<Field> {
        shift_fields(self.ctx, &self.f, &self.errors)
    }
}

async fn shift_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    shift: Uuid,
    f: Option<ShiftInput>,
    errors: FormErrors,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let e = service::election_in(&mut tx, t, id).await?;
    let shift = store::shifts(&mut tx, t, id).await?.into_iter().find(|x| x.id == shift).ok_or(Error::NotFound)?;
    tx.commit().await?;
    let f = f.unwrap_or_else(|| ShiftInput::of(&shift));
    render(&ShiftPage { ctx, e, shift, f, errors: errors.place(SHIFT) })
}

async fn get_shift(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, shift)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    shift_page(&st, &ctx, &o.0, id, shift, None, FormErrors::none()).await
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
    form::submit_fields(&ctx, r, |errors| shift_page(&st, &ctx, &s, id, shift, Some(f.clone()), errors)).await
}

async fn post_shift_remove(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, shift)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    let s = o.0;
    let r = service::remove_shift(&st.db, &s, id, shift, st.now()).await.map(|()| format!("/admin/val/{id}/struktur#pass"));
    form::submit_fields(&ctx, r, |errors| shift_page(&st, &ctx, &s, id, shift, None, errors)).await
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
    /// The change form: the station's values, or what was posted when it was refused.
    edit: Vec<Field>,
    /// The change form was posted and refused: shown open.
    editing: bool,
    /// The forms setting a day's opening hours and adding positions.
    opening: Vec<Field>,
    adding: Vec<Field>,
    errors: FormErrors,
}

/// The station page's forms; the refused one with what was posted.
enum StationForm {
    /// The page as first shown, or a remove button's refusal (no fields of its own).
    Nothing,
    Edit(StationInput),
    Opening(OpeningInput),
    Positions(PositionsInput),
}

/// The station page's forms: (the problem's field, posted name, id).
const STATION_EDIT: &[(&str, &str, &str)] =
    &[("station_name", "name", "x-name"), ("lat", "lat", "x-lat"), ("lon", "lon", "x-lon"), ("district", "district", "x-district")];
const OPENING: &[(&str, &str, &str)] = &[("day", "day", "o-day"), ("opens", "opens", "o-opens"), ("closes", "closes", "o-closes")];
const POSITIONS: &[(&str, &str, &str)] =
    &[("shift", "shift", "p-shift"), ("role", "role", "p-role"), ("count", "count", "p-count"), ("language", "language", "p-lang")];

fn opening_fields(ctx: &Ctx, f: &OpeningInput, e: &FormErrors) -> Vec<Field> {
    vec![
        Field::new(ctx, "day", "field-day").id("o-day").errors(e).kind("date").value(f.day.clone()),
        Field::new(ctx, "opens", "field-opens").id("o-opens").errors(e).kind("time").value(f.opens.clone()),
        Field::new(ctx, "closes", "field-closes").id("o-closes").errors(e).kind("time").value(f.closes.clone()),
    ]
}

fn positions_fields(ctx: &Ctx, f: &PositionsInput, shifts: &[ShiftRow], e: &FormErrors) -> Vec<Field> {
    let shift_options = shifts
        .iter()
        .map(|sh| (sh.id.to_string(), crate::structure::labels::shift_in(&ctx.tr, sh), sh.id.to_string() == f.shift))
        .collect();
    let role = if f.role.is_empty() { "rostmottagare" } else { f.role.as_str() };
    let roles =
        ["ordforande", "vice", "rostmottagare"].iter().map(|r| (r.to_string(), ctx.t(&format!("el-role-{r}")), *r == role)).collect();
    let count = if f.count.is_empty() { "1".to_string() } else { f.count.clone() };
    vec![
        Field::new(ctx, "shift", "field-shift").id("p-shift").errors(e).kind("select").options(shift_options, ""),
        Field::new(ctx, "role", "field-role").id("p-role").errors(e).kind("select").options(roles, ""),
        Field::new(ctx, "count", "field-count").id("p-count").errors(e).inputmode("numeric").value(count),
        Field::new(ctx, "language", "field-language").id("p-lang").errors(e).optional().value(f.language.clone()),
    ]
}

impl StationPage<'_> {
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

async fn station_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, sid: Uuid, errors: FormErrors) -> Result<Response> {
    station_page_with(st, ctx, s, id, sid, StationForm::Nothing, errors).await
}

async fn station_page_with(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    sid: Uuid,
    posted: StationForm,
    errors: FormErrors,
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
    let none = FormErrors::none();
    // A vallokal's district is changed among the election's; a röstningslokal has none.
    let districts = if station.is_vallokal() { districts } else { vec![] };
    let edit_fields = |f: &StationInput, e: &FormErrors| {
        let mut v = station_fields(ctx, "x", f, &districts, false, e);
        if !station.is_vallokal() {
            v.retain(|x| x.name != "district");
        }
        v
    };
    let editing = matches!(posted, StationForm::Edit(_));
    let (errors, edit, opening, adding) = match posted {
        StationForm::Nothing => (
            errors.unlinked(),
            edit_fields(&StationInput::of(&station), &none),
            opening_fields(ctx, &OpeningInput::default(), &none),
            positions_fields(ctx, &PositionsInput::default(), &shifts, &none),
        ),
        StationForm::Edit(f) => {
            let errors = errors.place(STATION_EDIT);
            let edit = edit_fields(&f, &errors);
            (
                errors,
                edit,
                opening_fields(ctx, &OpeningInput::default(), &none),
                positions_fields(ctx, &PositionsInput::default(), &shifts, &none),
            )
        }
        StationForm::Opening(f) => {
            let errors = errors.place(OPENING);
            let opening = opening_fields(ctx, &f, &errors);
            (
                errors,
                edit_fields(&StationInput::of(&station), &none),
                opening,
                positions_fields(ctx, &PositionsInput::default(), &shifts, &none),
            )
        }
        StationForm::Positions(f) => {
            let errors = errors.place(POSITIONS);
            let adding = positions_fields(ctx, &f, &shifts, &errors);
            (errors, edit_fields(&StationInput::of(&station), &none), opening_fields(ctx, &OpeningInput::default(), &none), adding)
        }
    };
    render(&StationPage { ctx, e, s: station, district, openings, positions, shifts, edit, editing, opening, adding, errors })
}

async fn get_station(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    station_page(&st, &ctx, &o.0, id, sid, FormErrors::none()).await
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
    form::submit_fields(&ctx, r, |errors| station_page_with(&st, &ctx, &s, id, sid, StationForm::Edit(f.clone()), errors)).await
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
    form::submit_fields(&ctx, r, |errors| station_page_with(&st, &ctx, &s, id, sid, StationForm::Opening(f.clone()), errors)).await
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
    form::submit_fields(&ctx, r, |errors| station_page(&st, &ctx, &s, id, sid, errors)).await
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
    form::submit_fields(&ctx, r, |errors| station_page_with(&st, &ctx, &s, id, sid, StationForm::Positions(f.clone()), errors)).await
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
    form::submit_fields(&ctx, r, |errors| station_page(&st, &ctx, &s, id, sid, errors)).await
}
