//! The administrator's structured editing of an adopted shared e-service
//! (`/admin/e-tjanster/tjanst/{tjanst}/anpassa`) and the side-by-side decision on a new shared
//! version that touches what the municipality overrides (`…/ny-version`). See [`crate::adapt`].

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::Actor;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::Principal;
use radhus_platform::web::errors::with_error_status;
use radhus_platform::web::form::{PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};

use super::common::EsAdmin;
use crate::adapt::{self, Problem, anchor, en, sv};
use crate::form::{self, Definition, Lock, Overrides};
use crate::{EsError, catalogue, store};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/e-tjanster/tjanst/{tjanst}/anpassa", get_adapt)
        .post("/admin/e-tjanster/tjanst/{tjanst}/anpassa", post_adapt)
        .get("/admin/e-tjanster/tjanst/{tjanst}/ny-version", get_version)
        .post("/admin/e-tjanster/tjanst/{tjanst}/ny-version", post_version)
}

/// The posted pairs of a form, without the CSRF token.
fn pairs(body: &Bytes) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).filter(|(k, _)| k != "_csrf").map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// One input: its name, HTML id, value and the problem at it.
struct Input {
    name: String,
    id: String,
    value: String,
    error: Option<String>,
}

impl Input {
    fn checked(&self) -> bool {
        !self.value.is_empty()
    }
}

impl TextView {
    /// The Swedish and English inputs with their labels' Fluent ids.
    fn inputs(&self) -> [(&Input, &'static str); 2] {
        [(&self.sv, "es-adapt-sv"), (&self.en, "es-adapt-en")]
    }
}

impl OptionRow {
    fn renames(&self) -> [(&Input, &'static str); 2] {
        [(&self.rename_sv, "es-adapt-rename-sv"), (&self.rename_en, "es-adapt-rename-en")]
    }
}

impl AddRow {
    fn inputs(&self) -> [(&Input, &'static str); 3] {
        [(&self.value, "es-adapt-value"), (&self.sv, "es-adapt-sv"), (&self.en, "es-adapt-en")]
    }
}

/// A text in Swedish and English, with what the shared service says.
struct TextView {
    legend: String,
    shared: String,
    multiline: bool,
    locked: bool,
    must: bool,
    sv: Input,
    en: Input,
}

struct OptionRow {
    label: String,
    value: String,
    hide: Input,
    rename_sv: Input,
    rename_en: Input,
}

struct AddRow {
    value: Input,
    sv: Input,
    en: Input,
}

struct OptionsView {
    id: String,
    error: Option<String>,
    locked: bool,
    must: bool,
    rows: Vec<OptionRow>,
    added: Vec<AddRow>,
}

struct FieldView {
    heading_id: String,
    label: String,
    path: String,
    kind: String,
    texts: Vec<TextView>,
    options: Option<OptionsView>,
}

struct StepView {
    title: String,
    fields: Vec<FieldView>,
}

struct FaqRow {
    id: Input,
    texts: Vec<TextView>,
}

/// Builds the page's inputs from values and problems.
struct Inputs<'a> {
    ctx: &'a Ctx,
    def: &'a Definition,
    values: &'a BTreeMap<String, String>,
    problems: &'a [Problem],
}

impl Inputs<'_> {
    fn input(&self, name: &str) -> Input {
        Input {
            name: name.to_string(),
            id: anchor(name),
            value: self.values.get(name).cloned().unwrap_or_default(),
            error: self.error(name),
        }
    }

    fn error(&self, name: &str) -> Option<String> {
        let msgs: Vec<String> = self.problems.iter().filter(|p| p.name == name).map(|p| message(self.ctx, p)).collect();
        (!msgs.is_empty()).then(|| msgs.join(" "))
    }

    fn text(&self, base: &str, part: &str, legend: String, shared: Option<&form::Text>, multiline: bool) -> TextView {
        let lock = adapt::lock_of(self.def, part);
        TextView {
            legend,
            shared: shared.map(|t| t.sv.clone()).unwrap_or_default(),
            multiline,
            locked: lock == Lock::Locked,
            must: lock == Lock::MustOverride,
            sv: self.input(&sv(base)),
            en: self.input(&en(base)),
        }
    }
}

fn message(ctx: &Ctx, p: &Problem) -> String {
    if p.detail.is_empty() { ctx.t(p.message) } else { format!("{}: {}", ctx.t(p.message), p.detail) }
}

/// The error summary: each problem linked to its input.
fn summary(ctx: &Ctx, problems: &[Problem]) -> Vec<(String, String)> {
    problems.iter().map(|p| (format!("#{}", anchor(&p.name)), message(ctx, p))).collect()
}

#[derive(Template)]
#[template(path = "eservices/adapt.html")]
struct AdaptPage<'a> {
    ctx: &'a Ctx,
    key: String,
    title: String,
    version: i32,
    current: i32,
    saved: bool,
    form_id: String,
    form_error: Option<String>,
    faq_id: String,
    faq_error: Option<String>,
    problems: Vec<(String, String)>,
    texts: Vec<TextView>,
    days: Input,
    shared_days: String,
    fee_amount: Input,
    fee_expr: Input,
    fee_note: Vec<TextView>,
    shared_fee: String,
    fee_locked: bool,
    faq_locked: bool,
    shared_faq: Vec<(String, Input)>,
    own_faq: Vec<FaqRow>,
    steps: Vec<StepView>,
}

impl AdaptPage<'_> {
    fn fee_inputs(&self) -> [(&Input, &'static str); 2] {
        [(&self.fee_amount, "es-adapt-fee-amount"), (&self.fee_expr, "es-adapt-fee-expr")]
    }
}

/// The adoption and the shared definition it follows (not found when not adopted).
async fn followed(st: &AppState, t: TenantId, key: &str) -> Result<(store::Adoption, Definition, i32)> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let a = store::adoption(&mut tx, t, key).await?.ok_or(Error::NotFound)?;
    let def = store::shared_version(&mut tx, key, a.shared_version).await?.ok_or(Error::NotFound)?;
    let current = store::shared(&mut tx, key).await?.ok_or(Error::NotFound)?.current_version;
    tx.commit().await?;
    Ok((a, catalogue::parse_stored(&def)?, current))
}

fn stored_overrides(a: &store::Adoption) -> Result<Overrides> {
    serde_json::from_str(&a.overrides).map_err(|e| Error::Internal(format!("stored overrides: {e}")))
}

fn fee_text(ctx: &Ctx, def: &Definition) -> String {
    adapt::describe(def, "fee").into_iter().map(|(k, v)| format!("{} {v}", ctx.t(k)).trim().to_string()).collect::<Vec<_>>().join(" · ")
}

fn adapt_page(
    ctx: &Ctx,
    (a, def, current): &(store::Adoption, Definition, i32),
    values: &BTreeMap<String, String>,
    (problems, saved): (&[Problem], bool),
) -> Result<Response> {
    let i = Inputs { ctx, def, values, problems };
    let texts = adapt::TEXT_PARTS
        .iter()
        .map(|(part, limit)| {
            let shared = match *part {
                "title" => Some(&def.title),
                "summary" => Some(&def.summary),
                "handling" => def.handling.as_ref(),
                _ => def.contact.as_ref(),
            };
            i.text(part, part, ctx.t(&format!("es-part-{part}")), shared, *limit > adapt::SHORT)
        })
        .collect();
    let mut own_faq = vec![];
    let own_rows = (0..adapt::MAX_ROWS).filter(|n| values.contains_key(&sv(&adapt::n_faq(*n, "q")))).max().map_or(0, |n| n + 1);
    for n in 0..=own_rows.min(adapt::MAX_ROWS - 1) {
        own_faq.push(FaqRow {
            id: i.input(&adapt::n_faq(n, "id")),
            texts: vec![
                i.text(&adapt::n_faq(n, "q"), "faq", ctx.t("es-adapt-faq-question"), None, false),
                i.text(&adapt::n_faq(n, "a"), "faq", ctx.t("es-adapt-faq-answer"), None, true),
            ],
        });
    }
    let mut steps: Vec<StepView> = def.steps.iter().map(|s| StepView { title: s.title.sv.clone(), fields: vec![] }).collect();
    for (idx, f) in def.fields() {
        let mut paths = vec![(f.id.clone(), f)];
        paths.extend(f.fields.iter().map(|sub| (format!("{}.{}", f.id, sub.id), sub)));
        for (path, f) in paths {
            let part = format!("field:{path}");
            let texts = vec![
                i.text(&adapt::n_label(&path), &part, ctx.t("es-adapt-label"), Some(&f.label), false),
                i.text(&adapt::n_help(&path), &part, ctx.t("es-adapt-help"), f.help.as_ref(), true),
            ];
            let options = f.kind.has_options().then(|| {
                let part = adapt::n_options(&path);
                let lock = adapt::lock_of(def, &part);
                let rows = f
                    .options
                    .iter()
                    .filter(|o| !o.hidden)
                    .map(|o| OptionRow {
                        label: o.label.sv.clone(),
                        value: o.value.clone(),
                        hide: i.input(&adapt::n_hide(&path, &o.value)),
                        rename_sv: i.input(&sv(&adapt::n_rename(&path, &o.value))),
                        rename_en: i.input(&en(&adapt::n_rename(&path, &o.value))),
                    })
                    .collect();
                let n_added = (0..adapt::MAX_ROWS)
                    .filter(|n| values.contains_key(&adapt::n_add_value(&path, *n)))
                    .max()
                    .map_or(0, |n| n + 1)
                    .min(adapt::MAX_ROWS - 1);
                let added = (0..=n_added)
                    .map(|n| AddRow {
                        value: i.input(&adapt::n_add_value(&path, n)),
                        sv: i.input(&sv(&adapt::n_add_label(&path, n))),
                        en: i.input(&en(&adapt::n_add_label(&path, n))),
                    })
                    .collect();
                OptionsView {
                    id: anchor(&part),
                    error: i.error(&part),
                    locked: lock == Lock::Locked,
                    must: lock == Lock::MustOverride,
                    rows,
                    added,
                }
            });
            let kind = serde_json::to_value(f.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            let heading_id = anchor(&format!("heading:{path}"));
            steps[idx].fields.push(FieldView { heading_id, label: f.label.sv.clone(), path, kind, texts, options });
        }
    }
    let fee_lock = adapt::lock_of(def, "fee");
    render(&AdaptPage {
        ctx,
        key: a.service_key.clone(),
        title: def.title.get(ctx.tr.lang).to_string(),
        version: a.shared_version,
        current: *current,
        saved,
        form_id: anchor(adapt::FORM),
        form_error: i.error(adapt::FORM),
        faq_id: anchor("faq"),
        faq_error: i.error("faq"),
        problems: summary(ctx, problems),
        texts,
        days: i.input("handling_days"),
        shared_days: def.handling_days.map(|d| d.to_string()).unwrap_or_default(),
        fee_amount: i.input("fee_amount"),
        fee_expr: i.input("fee_expr"),
        fee_note: vec![i.text("fee_note", "fee", ctx.t("es-adapt-fee-note"), def.fee.as_ref().and_then(|f| f.note.as_ref()), true)],
        shared_fee: fee_text(ctx, def),
        fee_locked: fee_lock == Lock::Locked,
        faq_locked: adapt::lock_of(def, "faq") == Lock::Locked,
        shared_faq: def.faq.iter().map(|q| (q.question.sv.clone(), i.input(&adapt::n_hide_faq(&q.id)))).collect(),
        own_faq,
        steps,
    })
}

#[derive(serde::Deserialize)]
struct SavedQuery {
    #[serde(default)]
    sparat: Option<String>,
}

async fn get_adapt(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(key): PathIds<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response> {
    let f = followed(&st, staff.tenant_id, &key).await?;
    let values = adapt::values_of(&stored_overrides(&f.0)?);
    adapt_page(&ctx, &f, &values, (&[], q.sparat.is_some()))
}

fn refused(page: Result<Response>) -> Result<Response> {
    Ok(with_error_status(&EsError::Overrides.into(), page?))
}

async fn post_adapt(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(key): PathIds<String>,
    body: Bytes,
) -> Result<Response> {
    let staff = staff.0;
    let t = staff.tenant_id;
    let f = followed(&st, t, &key).await?;
    let posted = pairs(&body);
    let values: BTreeMap<String, String> = posted.iter().cloned().collect();
    let (o, problems) = adapt::read(&f.1, &posted);
    if !problems.is_empty() {
        return refused(adapt_page(&ctx, &f, &values, (&problems, false)));
    }
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    match adapt::save(&mut tx, t, &key, &o, None, &Actor::of(&Principal::Staff(staff.clone())), st.now()).await? {
        Ok(_) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/admin/e-tjanster/tjanst/{key}/anpassa?sparat=1")).into_response())
        }
        Err(p) => {
            drop(tx);
            // The problems are the followed version's (a newer one waits for a decision).
            refused(adapt_page(&ctx, &f, &values, (&adapt::apply_problems(&f.1, &p), false)))
        }
    }
}

// ---------------------------------------------------------------------------------------
// A new shared version, side by side

struct DecideRow {
    name: String,
    old: Vec<(String, String)>,
    new: Vec<(String, String)>,
    mine: Vec<(String, String)>,
    overridden: bool,
    input: Input,
}

impl DecideRow {
    /// The shared version followed, the new one and what citizens see now.
    fn columns(&self) -> [(&'static str, &Vec<(String, String)>); 3] {
        [("es-version-old", &self.old), ("es-version-new", &self.new), ("es-version-mine", &self.mine)]
    }
}

#[derive(Template)]
#[template(path = "eservices/adapt_version.html")]
struct VersionPage<'a> {
    ctx: &'a Ctx,
    key: String,
    title: String,
    from: i32,
    to: i32,
    form_id: String,
    form_error: Option<String>,
    problems: Vec<(String, String)>,
    rows: Vec<DecideRow>,
}

/// Everything the decision needs: the adoption, the shared version it follows and the new
/// one, its overrides, what citizens see now, and the parts to decide on.
struct Decision {
    a: store::Adoption,
    old: Definition,
    new: Definition,
    to: i32,
    overrides: Overrides,
    mine: Definition,
    parts: Vec<String>,
}

async fn decision(st: &AppState, t: TenantId, key: &str) -> Result<Option<Decision>> {
    let (a, old, current) = followed(st, t, key).await?;
    if a.shared_version >= current {
        return Ok(None);
    }
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (_, new) = catalogue::shared_definition(&mut tx, key).await?;
    let mine = store::revision_definition(&mut tx, t, key, a.revision).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    let overrides = stored_overrides(&a)?;
    let parts = form::conflicts(&old, &new, &overrides);
    Ok(Some(Decision { a, old, new, to: current, overrides, mine: catalogue::parse_stored(&mine)?, parts }))
}

fn lines(ctx: &Ctx, def: &Definition, part: &str) -> Vec<(String, String)> {
    adapt::describe(def, part).into_iter().map(|(k, v)| (ctx.t(k), v)).collect()
}

fn version_page(ctx: &Ctx, d: &Decision, values: &BTreeMap<String, String>, problems: &[Problem]) -> Result<Response> {
    let i = Inputs { ctx, def: &d.new, values, problems };
    let touched = d.overrides.touched();
    let rows = d
        .parts
        .iter()
        .map(|part| {
            let (id, label) = adapt::part_name(&d.new, part);
            let name = if label.is_empty() { ctx.t(&id) } else { ctx.tr.t1(&id, "field", &label) };
            DecideRow {
                name,
                old: lines(ctx, &d.old, part),
                new: lines(ctx, &d.new, part),
                mine: lines(ctx, &d.mine, part),
                overridden: touched.contains(part),
                input: i.input(&format!("decide:{part}")),
            }
        })
        .collect();
    render(&VersionPage {
        ctx,
        key: d.a.service_key.clone(),
        title: d.new.title.get(ctx.tr.lang).to_string(),
        from: d.a.shared_version,
        to: d.to,
        form_id: anchor(adapt::FORM),
        form_error: i.error(adapt::FORM),
        problems: summary(ctx, problems),
        rows,
    })
}

async fn get_version(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, PathIds(key): PathIds<String>) -> Result<Response> {
    match decision(&st, staff.tenant_id, &key).await? {
        Some(d) => version_page(&ctx, &d, &BTreeMap::new(), &[]),
        None => Ok(Redirect::to(&format!("/admin/e-tjanster/tjanst/{key}/anpassa")).into_response()),
    }
}

async fn post_version(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(key): PathIds<String>,
    body: Bytes,
) -> Result<Response> {
    let staff = staff.0;
    let t = staff.tenant_id;
    let Some(d) = decision(&st, t, &key).await? else {
        return Ok(Redirect::to(&format!("/admin/e-tjanster/tjanst/{key}/anpassa")).into_response());
    };
    let posted: BTreeMap<String, String> = pairs(&body).into_iter().collect();
    let mut problems = vec![];
    let mut o = d.overrides.clone();
    let mut known = BTreeSet::new();
    let touched = o.touched();
    for part in &d.parts {
        let name = format!("decide:{part}");
        known.insert(name.clone());
        match posted.get(&name).map(String::as_str) {
            Some("take") if touched.contains(part) => adapt::take_theirs(&mut o, part),
            Some("keep") if touched.contains(part) => {}
            // A new must-override part is given on the structured page, not here.
            None if !touched.contains(part) => {}
            _ => problems.push(Problem { name, message: "es-adapt-err-decide", detail: String::new() }),
        }
    }
    if posted.keys().any(|k| !known.contains(k)) {
        problems.push(Problem { name: adapt::FORM.into(), message: "es-adapt-err-unknown", detail: String::new() });
    }
    if !problems.is_empty() {
        return refused(version_page(&ctx, &d, &posted, &problems));
    }
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    match adapt::save(&mut tx, t, &key, &o, Some(d.to), &Actor::of(&Principal::Staff(staff.clone())), st.now()).await? {
        Ok(_) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/admin/e-tjanster/tjanst/{key}/anpassa?sparat=1")).into_response())
        }
        Err(p) => {
            drop(tx);
            let problems = p
                .into_iter()
                .map(|p| {
                    let part = p.field.clone().unwrap_or_default();
                    let name = if d.parts.contains(&part) { format!("decide:{part}") } else { adapt::FORM.to_string() };
                    Problem { name, message: "es-adapt-err-rule", detail: p.message }
                })
                .collect::<Vec<_>>();
            refused(version_page(&ctx, &d, &posted, &problems))
        }
    }
}
