//! The citizen's way through a form (`/e-tjanster` on a municipality's host): the catalogue,
//! the steps of a draft, the review, the submission and the receipt.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use radhus_kernel::Lang;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::web::field::FormErrors;
use radhus_platform::web::form::{self, Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use uuid::Uuid;

use super::common::{citizen, citizen_or_login, lang, today};
use crate::citizen::Citizen;
use crate::form::{Answer, Answers, Definition, Field, FieldKind};
use crate::{EsError, catalogue, receipt, service};

pub fn routes() -> Routes {
    Routes::new()
        .get("/e-tjanster", get_catalogue)
        .get("/e-tjanster/{tjanst}", get_start)
        .post("/e-tjanster/{tjanst}/borja", post_start)
        .get("/e-tjanster/{tjanst}/{utkast}/steg/{steg}", get_step)
        .post_upload("/e-tjanster/{tjanst}/{utkast}/steg/{steg}", post_step, radhus_cases::service::UPLOAD_LIMIT)
        .get("/e-tjanster/{tjanst}/{utkast}/granska", get_review)
        .post("/e-tjanster/{tjanst}/{utkast}/skicka", post_submit)
        .get("/e-tjanster/kvitton/{id}", get_receipt)
        .get("/e-tjanster/kvitton/{id}/kvitto.pdf", get_receipt_pdf)
        .get("/api/v1/eservices/schema.json", get_schema)
}

/// One service in the catalogue.
struct Card {
    key: String,
    title: String,
    summary: String,
    category: String,
    published: bool,
}

#[derive(Template)]
#[template(path = "eservices/catalogue.html")]
struct CataloguePage<'a> {
    ctx: &'a Ctx,
    q: String,
    category: String,
    categories: Vec<(&'static str, usize)>,
    /// The most used services of the last 90 days (key, title), most submissions first.
    most_used: Vec<(String, String)>,
    cards: Vec<Card>,
    total: usize,
    /// Broadcasts in force (`web::broadcast`) and, for a logged-in citizen, whether they asked
    /// to be told of them.
    broadcasts: Vec<super::broadcast::Shown>,
    subscribed: Option<bool>,
}

#[derive(serde::Deserialize, Default)]
struct CatalogueQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kategori: String,
}

/// Lower case without diacritics, for the catalogue's search (`bygglov` finds "Bygglov",
/// `parkering` finds "Parkeringstillstånd", `forening` finds "Föreningsbidrag").
fn fold(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            c => c,
        })
        .collect()
}

async fn get_catalogue(State(st): State<AppState>, ctx: Ctx, Query(q): Query<CatalogueQuery>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let all = service::catalogue(&mut tx, t).await?;
    let used = crate::stats::most_used(&mut tx, t, st.now(), crate::stats::MOST_USED_SHOWN).await?;
    tx.commit().await?;
    let broadcasts = super::broadcast::current_shown(&st, &ctx, t).await?;
    let subscribed = super::broadcast::subscription(&st, &ctx, t).await?;
    let l = lang(&ctx);
    let categories: Vec<(&'static str, usize)> =
        catalogue::CATEGORIES.iter().map(|c| (*c, all.iter().filter(|o| o.category == *c).count())).filter(|(_, n)| *n > 0).collect();
    let words: Vec<String> = fold(&q.q).split_whitespace().map(str::to_string).collect();
    let total = all.len();
    // "Mest använda" above the full list, when the citizen has not searched or chosen a category.
    let most_used: Vec<(String, String)> = if q.q.trim().is_empty() && q.kategori.is_empty() {
        used.iter()
            .filter_map(|(key, _)| all.iter().find(|o| o.key == *key).map(|o| (o.key.clone(), o.def.title.get(l).to_string())))
            .collect()
    } else {
        vec![]
    };
    let cards = all
        .into_iter()
        .filter(|o| q.kategori.is_empty() || o.category == q.kategori)
        .filter(|o| {
            let text = fold(&format!("{} {} {}", o.def.title.get(l), o.def.summary.get(l), o.key));
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .map(|o| Card {
            title: o.def.title.get(l).to_string(),
            summary: o.def.summary.get(l).to_string(),
            published: o.published && !broadcasts.iter().any(|b| b.b.paused.contains(&o.key)),
            key: o.key,
            category: o.category,
        })
        .collect();
    render(&CataloguePage { ctx: &ctx, q: q.q, category: q.kategori, categories, most_used, cards, total, broadcasts, subscribed })
}

/// What the start page says about a service.
struct Facts {
    title: String,
    summary: String,
    fee: Option<i64>,
    handling_days: Option<u32>,
    handling: String,
    personal_data: String,
    legal_basis: String,
    retention: String,
    faq: Vec<(String, String)>,
}

fn facts(def: &Definition, l: Lang) -> Facts {
    let opt = |t: &Option<crate::form::Text>| t.as_ref().map(|t| t.get(l).to_string()).unwrap_or_default();
    Facts {
        title: def.title.get(l).to_string(),
        summary: def.summary.get(l).to_string(),
        fee: crate::form::fee(def, &Answers::new()),
        handling_days: def.handling_days,
        handling: opt(&def.handling),
        personal_data: opt(&def.personal_data),
        legal_basis: opt(&def.legal_basis),
        retention: opt(&def.retention),
        faq: def.faq.iter().map(|f| (f.question.get(l).to_string(), f.answer.get(l).to_string())).collect(),
    }
}

#[derive(Template)]
#[template(path = "eservices/start.html")]
struct StartPage<'a> {
    ctx: &'a Ctx,
    key: String,
    f: Facts,
    published: bool,
    logged_in: bool,
    has_draft: bool,
    broadcasts: Vec<super::broadcast::Shown>,
}

async fn get_start(State(st): State<AppState>, ctx: Ctx, PathIds(key): PathIds<String>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let who = citizen(&ctx)?;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (a, def) = service::offered(&mut tx, t, &key).await?;
    let has_draft = match &who {
        Some(c) => crate::store::draft_of(&mut tx, t, &c.index, &key).await?.is_some(),
        None => false,
    };
    tx.commit().await?;
    let f = facts(&def, lang(&ctx));
    // A broadcast that pauses the service says why and until when.
    let broadcasts = super::broadcast::current_shown(&st, &ctx, t).await?;
    let published = a.published() && !broadcasts.iter().any(|b| b.b.paused.contains(&key));
    render(&StartPage { ctx: &ctx, key, f, published, logged_in: who.is_some(), has_draft, broadcasts })
}

fn step_url(key: &str, draft: Uuid, step: usize) -> String {
    format!("/e-tjanster/{key}/{draft}/steg/{step}")
}

fn review_url(key: &str, draft: Uuid) -> String {
    format!("/e-tjanster/{key}/{draft}/granska")
}

async fn post_start(State(st): State<AppState>, ctx: Ctx, PathIds(key): PathIds<String>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut who = match citizen_or_login(&ctx, &format!("/e-tjanster/{key}"))? {
        Ok(c) => c,
        Err(login) => return Ok(login),
    };
    // The registered address from the population register, for fields marked to be prefilled.
    who.address =
        st.register.lookup(&who.pnr).map(|p| crate::form::PostalAddress { street: p.address, postcode: p.postal_code, city: p.city });
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let (draft, check) = service::start(&mut tx, t, &who, &key, st.now()).await?;
    let o = service::open(&mut tx, t, &who, &key, draft).await?;
    let chosen = crate::on_behalf::of_draft(&mut tx, t, draft).await?;
    tx.commit().await?;
    // A service that may be applied for someone else asks first whom it concerns.
    if o.def.asks_subject() && chosen.is_none() {
        return Ok(Redirect::to(&super::on_behalf::choice_url(&key, draft)).into_response());
    }
    let to = match service::first_incomplete(&o.def, &o.answers, today(&st)) {
        Some(s) => step_url(&key, draft, s),
        None => review_url(&key, draft),
    };
    let to = if check.is_empty() { to } else { format!("{to}?kontrollera={}", check.join(",")) };
    Ok(Redirect::to(&to).into_response())
}

/// One field as the step page shows it.
struct FieldView {
    /// The name posted (`id`, or `group[row].id`).
    name: String,
    /// The HTML id (`f-…`).
    html_id: String,
    /// text, email, tel, number, date, textarea, select, radio, checkbox, checkboxes, info.
    control: &'static str,
    label: String,
    help: String,
    required: bool,
    value: String,
    /// (value, label, chosen)
    options: Vec<(String, String, bool)>,
    error: Option<String>,
    autocomplete: &'static str,
    inputmode: &'static str,
}

impl FieldView {
    fn describedby(&self) -> String {
        let mut ids = vec![];
        if !self.help.is_empty() {
            ids.push(format!("{}-hint", self.html_id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.html_id));
        }
        ids.join(" ")
    }
}

/// A repeating group as the step page shows it: a fieldset per row.
struct GroupView {
    id: String,
    can_add: bool,
    can_remove: bool,
    label: String,
    help: String,
    rows: Vec<Vec<FieldView>>,
}

enum Item {
    Field(FieldView),
    Group(GroupView),
}

fn html_id(name: &str) -> String {
    let mut s = String::from("f-");
    for c in name.chars() {
        s.push(if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '-' });
    }
    s
}

fn one(a: Option<&Answer>) -> String {
    match a {
        Some(Answer::One(v)) => v.clone(),
        _ => String::new(),
    }
}

fn many(a: Option<&Answer>) -> Vec<String> {
    match a {
        Some(Answer::Many(v)) => v.clone(),
        Some(Answer::One(v)) => vec![v.clone()],
        _ => vec![],
    }
}

fn field_view(ctx: &Ctx, f: &Field, name: String, answers: &Answers, errors: &[FieldError]) -> FieldView {
    let l = lang(ctx);
    let a = answers.get(&f.id);
    let (control, autocomplete, inputmode) = match f.kind {
        FieldKind::Textarea | FieldKind::Address => ("textarea", "", ""),
        FieldKind::Number => ("text", "off", "numeric"),
        FieldKind::Amount => ("text", "off", "decimal"),
        FieldKind::Date => ("date", "", ""),
        FieldKind::Choice => (if f.offered().count() > 6 { "select" } else { "radio" }, "", ""),
        FieldKind::MultiChoice => ("checkboxes", "", ""),
        FieldKind::Checkbox => ("checkbox", "", ""),
        FieldKind::Email => ("email", "email", ""),
        FieldKind::Phone => ("tel", "tel", "tel"),
        FieldKind::Personnummer | FieldKind::Orgnummer => ("text", "off", "numeric"),
        FieldKind::Info | FieldKind::Computed => ("info", "", ""),
        FieldKind::File => ("file", "", ""),
        _ => ("text", "", ""),
    };
    let chosen = many(a);
    let options = f.offered().map(|o| (o.value.clone(), o.label.get(l).to_string(), chosen.contains(&o.value))).collect();
    let value = match a {
        Some(Answer::File(f)) => f.name.clone(),
        _ => one(a),
    };
    let error = errors.iter().find(|e| e.field == name).map(|e| ctx.t(&e.message));
    FieldView {
        html_id: html_id(&name),
        name,
        control,
        label: f.label.get(l).to_string(),
        help: f.help.as_ref().map(|h| h.get(l).to_string()).unwrap_or_default(),
        required: f.required,
        value,
        options,
        error,
        autocomplete,
        inputmode,
    }
}

/// The items of a step: its visible fields, a group's rows (at least its minimum, at least one).
fn items(ctx: &Ctx, def: &Definition, step: usize, answers: &Answers, errors: &[FieldError]) -> Vec<Item> {
    let visible = crate::form::visible_fields(def, step, answers);
    def.steps[step]
        .fields
        .iter()
        .filter(|f| visible.contains(&f.id))
        .map(|f| {
            if f.kind != FieldKind::Group {
                return Item::Field(field_view(ctx, f, f.id.clone(), answers, errors));
            }
            let rows: Vec<Answers> = match answers.get(&f.id) {
                Some(Answer::Group(rows)) => rows.clone(),
                _ => vec![],
            };
            let n = rows.len().max(f.min_rows().max(1));
            let empty = Answers::new();
            let rows = (0..n)
                .map(|i| {
                    let row = rows.get(i).unwrap_or(&empty);
                    let shown = crate::form::visible_row_fields(def, f, row, answers);
                    f.fields
                        .iter()
                        .filter(|sub| shown.contains(&sub.id))
                        .map(|sub| field_view(ctx, sub, format!("{}[{i}].{}", f.id, sub.id), row, errors))
                        .collect()
                })
                .collect();
            Item::Group(GroupView {
                id: f.id.clone(),
                label: f.label.get(lang(ctx)).to_string(),
                help: f.help.as_ref().map(|h| h.get(lang(ctx)).to_string()).unwrap_or_default(),
                can_add: n < f.max_rows(),
                can_remove: n > f.min_rows().max(1),
                rows,
            })
        })
        .collect()
}

/// A problem in the error summary: the field's HTML id and the line.
struct Problem {
    href: String,
    text: String,
}

#[derive(Template)]
#[template(path = "eservices/step.html")]
struct StepPage<'a> {
    ctx: &'a Ctx,
    key: String,
    title: String,
    step_title: String,
    intro: String,
    /// 1-based position among the visible steps, and how many there are.
    position: usize,
    count: usize,
    back: Option<String>,
    items: Vec<Item>,
    problems: Vec<Problem>,
    /// The step takes files: the form is sent as multipart, the CSRF token in its address.
    multipart: bool,
    /// Fields a changed form asks the citizen to check again.
    check: Vec<String>,
    /// Where the step is posted.
    action: String,
    /// The builder's preview (`Some(the builder's address)`): a banner says nothing is saved.
    preview: Option<String>,
}

#[derive(serde::Deserialize, Default)]
struct StepQuery {
    #[serde(default)]
    kontrollera: String,
}

fn step_page(ctx: &Ctx, key: &str, o: &service::Open, step: usize, errors: &[FieldError], check: Vec<String>) -> Result<Response> {
    let shown = Shown { def: &o.def, answers: &o.answers, draft: o.draft.id, preview: None };
    shown_step(ctx, key, &shown, step, errors, check)
}

/// A step of a definition with answers: the citizen's draft, or the builder's preview.
pub(super) struct Shown<'a> {
    pub def: &'a Definition,
    pub answers: &'a Answers,
    pub draft: Uuid,
    /// The builder's address when this is its preview (nothing is saved; the form posts to
    /// the preview).
    pub preview: Option<String>,
}

/// The step page exactly as the citizen sees it (the builder's preview uses it too).
pub(super) fn shown_step(ctx: &Ctx, key: &str, o: &Shown<'_>, step: usize, errors: &[FieldError], check: Vec<String>) -> Result<Response> {
    let l = lang(ctx);
    let url = |s: usize| match &o.preview {
        Some(builder) => format!("{builder}/forhandsgranska/{s}"),
        None => step_url(key, o.draft, s),
    };
    let visible = crate::form::visible_steps(o.def, o.answers);
    let position = visible.iter().position(|&s| s == step).map_or(1, |p| p + 1);
    let back = visible.iter().take_while(|&&s| s < step).last().map(|&s| url(s));
    let items = items(ctx, o.def, step, o.answers, errors);
    let label_of = |field: &str| -> String {
        let (top, sub) = match field.split_once('.') {
            Some((g, sub)) => (g.split('[').next().unwrap_or(g), Some(sub)),
            None => (field, None),
        };
        let f = o.def.steps.iter().flat_map(|s| s.fields.iter()).find(|f| f.id == top);
        let f = match (f, sub) {
            (Some(g), Some(sub)) => g.fields.iter().find(|x| x.id == sub),
            (f, _) => f,
        };
        f.map(|f| f.label.get(l).to_string()).unwrap_or_default()
    };
    let problems = errors
        .iter()
        .map(|e| {
            let label = label_of(&e.field);
            let text = if label.is_empty() { ctx.t(&e.message) } else { format!("{label}: {}", ctx.t(&e.message)) };
            Problem { href: format!("#{}", html_id(&e.field)), text }
        })
        .collect();
    let s = &o.def.steps[step];
    let check = check.iter().map(|c| label_of(c)).filter(|c| !c.is_empty()).collect();
    let multipart =
        o.preview.is_none() && s.fields.iter().any(|f| f.kind == FieldKind::File || f.fields.iter().any(|x| x.kind == FieldKind::File));
    render(&StepPage {
        ctx,
        key: key.to_string(),
        action: url(step),
        preview: o.preview.clone(),
        title: o.def.title.get(l).to_string(),
        step_title: s.title.get(l).to_string(),
        intro: s.intro.as_ref().map(|i| i.get(l).to_string()).unwrap_or_default(),
        position,
        count: visible.len(),
        back,
        items,
        problems,
        multipart,
        check,
    })
}

async fn get_step(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds((key, draft, step)): PathIds<(String, Uuid, usize)>,
    Query(q): Query<StepQuery>,
) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let who = match citizen_or_login(&ctx, &step_url(&key, draft, step))? {
        Ok(c) => c,
        Err(login) => return Ok(login),
    };
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let o = service::open(&mut tx, t, &who, &key, draft).await?;
    let chosen = crate::on_behalf::of_draft(&mut tx, t, draft).await?;
    tx.commit().await?;
    if !o.adoption.published() {
        return Err(EsError::Paused.into());
    }
    if o.def.asks_subject() && chosen.is_none() {
        return Ok(Redirect::to(&super::on_behalf::choice_url(&key, draft)).into_response());
    }
    if step >= o.def.steps.len() {
        return Err(Error::NotFound);
    }
    // A step further on than the citizen has come (or hidden by the answers): the first step
    // that still needs answers.
    if !service::reachable(&o.def, &o.answers, step, today(&st)) {
        let to = match service::first_incomplete(&o.def, &o.answers, today(&st)) {
            Some(s) => step_url(&key, draft, s),
            None => review_url(&key, draft),
        };
        return Ok(Redirect::to(&to).into_response());
    }
    let check = q.kontrollera.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect();
    step_page(&ctx, &key, &o, step, &[], check)
}

/// The posted pairs of a form, without the CSRF token.
fn pairs(body: &Bytes) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).filter(|(k, _)| k != "_csrf").map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// A step as posted: a URL-encoded form, or a multipart one when the step takes files (its
/// text parts become pairs, its file parts uploads; an empty file input sends nothing).
async fn posted_step(req: axum::extract::Request) -> Result<(Vec<(String, String)>, Vec<service::Upload>)> {
    use axum::extract::FromRequest;
    let multipart =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let body = Bytes::from_request(req, &()).await.map_err(|_| Error::TooLarge)?;
        return Ok((pairs(&body), vec![]));
    }
    let mut m = axum::extract::Multipart::from_request(req, &()).await.map_err(|_| Error::TooLarge)?;
    let (mut texts, mut files) = (vec![], vec![]);
    while let Some(field) = m.next_field().await.map_err(|_| Error::TooLarge)? {
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(filename) => {
                let bytes = field.bytes().await.map_err(|_| Error::TooLarge)?;
                if !filename.is_empty() || !bytes.is_empty() {
                    files.push(service::Upload { field: name, filename, bytes: bytes.to_vec() });
                }
            }
            None => {
                let text = field.text().await.map_err(|_| Error::TooLarge)?;
                if name != "_csrf" {
                    texts.push((name, text));
                }
            }
        }
    }
    Ok((texts, files))
}

async fn post_step(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds((key, draft, step)): PathIds<(String, Uuid, usize)>,
    req: axum::extract::Request,
) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let who = match citizen_or_login(&ctx, &step_url(&key, draft, step))? {
        Ok(c) => c,
        Err(login) => return Ok(login),
    };
    let (posted, files) = posted_step(req).await?;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let mut o = service::open(&mut tx, t, &who, &key, draft).await?;
    if step >= o.def.steps.len() {
        return Err(Error::NotFound);
    }
    let res = service::save_step(&mut tx, t, &mut o, step, (&posted, &files), today(&st), st.now()).await;
    // The answers are kept even when the step has problems.
    match &res {
        Ok(_) | Err(Error::Invalid(_)) => tx.commit().await?,
        Err(_) => tx.rollback().await?,
    }
    let done = res.map(|next| match next {
        Some(s) => step_url(&key, draft, s),
        None => review_url(&key, draft),
    });
    let errors = match done {
        Err(Error::Invalid(e)) => e,
        // Anything else (a paused service, ES-002) is the error's own page with its message.
        Err(e) => return Err(e),
        Ok(to) => return Ok(axum::response::Redirect::to(&to).into_response()),
    };
    form::submit(&ctx, Err::<String, _>(Error::Invalid(errors.clone())), |_| {
        std::future::ready(step_page(&ctx, &key, &o, step, &errors, vec![]))
    })
    .await
}

/// One step's answers on the review page.
struct ReviewStep {
    title: String,
    href: String,
    rows: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "eservices/review.html")]
struct ReviewPage<'a> {
    ctx: &'a Ctx,
    key: String,
    draft: Uuid,
    title: String,
    steps: Vec<ReviewStep>,
    fee: Option<i64>,
    sha: String,
    signer: String,
    /// Problems of the whole submission (answers changed, steps incomplete, closed).
    errors: FormErrors,
    /// The service registers the case only once the fee is paid.
    pay_first: bool,
}

fn review_page(ctx: &Ctx, key: &str, o: &service::Open, who: &Citizen, errors: FormErrors) -> Result<Response> {
    let l = lang(ctx);
    let mut steps: Vec<ReviewStep> = vec![];
    for row in crate::form::summary(&o.def, &o.answers, l) {
        if steps.last().is_none_or(|s| s.title != row.step) {
            let index = o.def.steps.iter().position(|s| s.title.get(l) == row.step).unwrap_or(0);
            steps.push(ReviewStep { title: row.step.clone(), href: step_url(key, o.draft.id, index), rows: vec![] });
        }
        if let Some(s) = steps.last_mut() {
            s.rows.push((row.label, row.value));
        }
    }
    render(&ReviewPage {
        ctx,
        key: key.to_string(),
        draft: o.draft.id,
        title: o.def.title.get(l).to_string(),
        steps,
        fee: crate::form::fee(&o.def, &o.answers),
        sha: service::content_hash(key, o.draft.revision, &o.answers)?,
        signer: who.name.clone(),
        errors,
        pay_first: o.adoption.registers_on_payment(),
    })
}

async fn get_review(State(st): State<AppState>, ctx: Ctx, PathIds((key, draft)): PathIds<(String, Uuid)>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let who = match citizen_or_login(&ctx, &review_url(&key, draft))? {
        Ok(c) => c,
        Err(login) => return Ok(login),
    };
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let o = service::open(&mut tx, t, &who, &key, draft).await?;
    let chosen = crate::on_behalf::of_draft(&mut tx, t, draft).await?;
    tx.commit().await?;
    if !o.adoption.published() {
        return Err(EsError::Paused.into());
    }
    if o.def.asks_subject() && chosen.is_none() {
        return Ok(Redirect::to(&super::on_behalf::choice_url(&key, draft)).into_response());
    }
    if let Some(s) = service::first_incomplete(&o.def, &o.answers, today(&st)) {
        return Ok(Redirect::to(&step_url(&key, draft, s)).into_response());
    }
    review_page(&ctx, &key, &o, &who, FormErrors::none())
}

#[derive(serde::Deserialize)]
struct SubmitForm {
    #[serde(default)]
    sha256: String,
}

fn receipt_url(key: &str, id: Uuid) -> String {
    let _ = key;
    format!("/e-tjanster/kvitton/{id}")
}

async fn post_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds((key, draft)): PathIds<(String, Uuid)>,
    Form(f): Form<SubmitForm>,
) -> Result<Response> {
    let tenant = ctx.require_tenant()?;
    let t = tenant.id;
    // The children in custody as the register says now: the mandate at submission.
    let who = match citizen_or_login(&ctx, &review_url(&key, draft))? {
        Ok(c) => super::on_behalf::with_custody(&st, c),
        Err(login) => return Ok(login),
    };
    let base = st.site_url(tenant.hosts.first().map_or(ctx.host.as_str(), String::as_str));
    let now = st.now();
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let res = service::submit(&mut tx, t, &who, (&key, draft), &f.sha256, |id| format!("{base}{}", receipt_url(&key, id)), now).await;
    let done = match res {
        Ok(s) => {
            tx.commit().await?;
            if !s.already {
                // The PDF/A receipt, typeset after the commit (never inside a write transaction).
                if let Err(e) = receipt::make(&st, t, &ctx.org_title(), &who, s.submission).await {
                    tracing::warn!(error = %e, "the receipt PDF is typeset when first downloaded");
                }
            }
            let again = if s.already { "?igen=1" } else { "" };
            Ok(format!("{}{again}", receipt_url(&key, s.submission)))
        }
        Err(e) => {
            tx.rollback().await?;
            Err(e)
        }
    };
    if matches!(&done, Err(e) if e.is_form_error()) {
        // Show the review page again with the problem (answers changed, steps incomplete).
        let mut tx = st.db.read(Scope::Tenant(t)).await?;
        let o = service::open(&mut tx, t, &who, &key, draft).await?;
        tx.commit().await?;
        return form::submit_fields(&ctx, done, |errors| std::future::ready(review_page(&ctx, &key, &o, &who, errors))).await;
    }
    done.map(|to| Redirect::to(&to).into_response())
}

#[derive(Template)]
#[template(path = "eservices/receipt.html")]
struct ReceiptPage<'a> {
    ctx: &'a Ctx,
    id: Uuid,
    title: String,
    /// `None` while a service that registers on payment waits for the fee.
    case_number: Option<String>,
    signed_at: String,
    signer: String,
    identified_by: String,
    sha: String,
    fee: Option<i64>,
    again: bool,
    rows: Vec<(String, String, String)>,
    /// Paying: the submission's state, the provider's name (none connected: `None`), what the
    /// return from the provider said (`betalning=`).
    payment: crate::payment::PaymentView,
    provider: Option<&'static str>,
    outcome: String,
    paid_at: String,
    /// Paid back: amount and when.
    refunds: Vec<(i64, String)>,
    /// The satisfaction question (`web::stats`): the answer given, what the last answer did
    /// (`tack`, `redan`), the question's radios and a refused answer's problem.
    rating: Option<i32>,
    rated: String,
    rating_field: radhus_platform::web::field::Field,
    errors: FormErrors,
    /// For someone else: "Ansökan gäller" and "Inlämnad av" (`crate::on_behalf`).
    on_behalf: Option<(String, String)>,
}

#[derive(serde::Deserialize, Default)]
pub(super) struct ReceiptQuery {
    #[serde(default)]
    igen: String,
    #[serde(default)]
    betalning: String,
    #[serde(default)]
    betyg: String,
}

async fn get_receipt(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>, Query(q): Query<ReceiptQuery>) -> Result<Response> {
    let who = match citizen_or_login(&ctx, &format!("/e-tjanster/kvitton/{id}"))? {
        Ok(c) => c,
        Err(login) => return Ok(login),
    };
    receipt_page(&st, &ctx, &who, id, &q, FormErrors::none()).await
}

/// The receipt of the citizen's own submission, with `errors` of a refused satisfaction answer.
pub(super) async fn receipt_page(
    st: &AppState,
    ctx: &Ctx,
    who: &Citizen,
    id: Uuid,
    q: &ReceiptQuery,
    errors: FormErrors,
) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let (s, def, answers) = service::submission(&mut tx, t, who, id).await?;
    let payment = crate::payment::view(&mut tx, t, &s).await?;
    let rating = crate::stats::rating_of(&mut tx, t, id).await?;
    let behalf = crate::on_behalf::of_draft(&mut tx, t, s.draft_id).await?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::citizen(&who.pnr.to_string(), &who.name),
        Event::new("es.receipt.read", "submission", id),
        st.now(),
    )
    .await?;
    tx.commit().await?;
    let l = lang(ctx);
    let rows = crate::form::summary(&def, &answers, l).into_iter().map(|r| (r.step, r.label, r.value)).collect();
    let rating_field = radhus_platform::web::field::Field::new(ctx, "betyg", "field-betyg")
        .id("es-rate-betyg")
        .kind("radios")
        .hint(ctx.t("es-rate-hint"))
        .options((1..=5).map(|n| (n.to_string(), ctx.t(&format!("es-rate-{n}")), false)).collect(), "")
        .errors(&errors);
    render(&ReceiptPage {
        ctx,
        id,
        title: def.title.get(l).to_string(),
        case_number: s.case_number,
        signed_at: radhus_kernel::lang::swedish_time(s.signed_at),
        signer: s.signed_name,
        identified_by: s.identified_by,
        sha: s.content_sha256,
        fee: s.fee,
        again: q.igen == "1",
        rows,
        paid_at: payment.paid_at.map(radhus_kernel::lang::swedish_time).unwrap_or_default(),
        refunds: payment.refunds.iter().map(|(a, at)| (*a, radhus_kernel::lang::swedish_time(*at))).collect(),
        payment,
        provider: crate::payment::provider(&st.config).map(|p| p.name()),
        outcome: match q.betalning.as_str() {
            o @ ("betald" | "avbruten" | "pagar" | "dubbel") => o.to_string(),
            _ => String::new(),
        },
        rating,
        rated: match q.betyg.as_str() {
            o @ ("tack" | "redan") => o.to_string(),
            _ => String::new(),
        },
        rating_field,
        errors,
        on_behalf: behalf
            .filter(|b| !b.subject.is_self())
            .map(|b| (crate::on_behalf::subject_line(&b.subject), crate::on_behalf::submitted_by(&who.name, &b))),
    })
}

async fn get_receipt_pdf(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let who = match citizen_or_login(&ctx, &format!("/e-tjanster/kvitton/{id}"))? {
        Ok(c) => c,
        Err(login) => return Ok(login),
    };
    let pdf = receipt::make(&st, t, &ctx.org_title(), &who, id).await?;
    let mut r = pdf.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"kvitto.pdf\""));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

async fn get_schema() -> Response {
    axum::Json(crate::form::json_schema()).into_response()
}
