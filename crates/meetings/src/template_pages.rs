//! The meetings administrator's template pages (`/admin/moten/mallar`): each document's
//! template (the municipality's own or the shipped one), a field to paste an own one, a preview
//! typeset with sample data, saving (checked first) and going back to the shipped template.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;

use crate::templates::{self, Doc};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/moten/mallar", get_list)
        .get("/admin/moten/mallar/{doc}", get_template)
        .post("/admin/moten/mallar/{doc}", post_template)
}

fn administrator(s: &StaffUser) -> Result<()> {
    if s.grants.whole_municipality(crate::service::ADMIN) { Ok(()) } else { Err(Error::Forbidden) }
}

/// One document on the list: (slug, Fluent id of its name, the municipality's own template).
type Row = (&'static str, &'static str, bool);

#[derive(Template)]
#[template(path = "meetings/templates.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    docs: Vec<Row>,
}

async fn get_list(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    administrator(&s)?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let mut docs = vec![];
    for d in Doc::ALL {
        let (_, own) = templates::source(&mut tx, s.tenant_id, d).await?;
        docs.push((d.slug(), d.label(), own));
    }
    tx.commit().await?;
    render(&ListPage { ctx: &ctx, docs })
}

#[derive(Template)]
#[template(path = "meetings/template.html")]
struct TemplatePage<'a> {
    ctx: &'a Ctx,
    slug: &'static str,
    label: &'static str,
    own: bool,
    errors: FormErrors,
    source: Field,
    /// The shipped template, shown beside an own one.
    shipped: &'static str,
    /// `sparad` (saved) or `aterstalld` (back to the shipped one).
    done: String,
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    #[serde(default)]
    klart: String,
}

#[derive(Deserialize)]
struct TemplateForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    action: String,
}

fn doc_of(slug: &str) -> Result<Doc> {
    Doc::from_slug(slug).ok_or(Error::NotFound)
}

/// The source field, rendered by the page as a code editor's textarea.
fn source_field(ctx: &Ctx, source: String, errors: &FormErrors) -> Field {
    Field::new(ctx, "source", "mtg-tpl-source").kind("textarea").rows(30).hint(ctx.t("mtg-tpl-source-hint")).value(source).errors(errors)
}

async fn get_template(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(slug): PathIds<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response> {
    administrator(&s)?;
    let doc = doc_of(&slug)?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let (source, own) = templates::source(&mut tx, s.tenant_id, doc).await?;
    tx.commit().await?;
    let done = if matches!(q.klart.as_str(), "sparad" | "aterstalld") { q.klart } else { String::new() };
    render(&TemplatePage {
        ctx: &ctx,
        slug: doc.slug(),
        label: doc.label(),
        own,
        errors: FormErrors::none(),
        source: source_field(&ctx, source, &FormErrors::none()),
        shipped: doc.default_source(),
        done,
    })
}

/// Save (`action=save`, checked with sample data first), preview (`action=preview`: the sample
/// PDF/A, nothing saved) or reset (`action=reset`). A template that does not typeset is shown
/// again with the typesetter's message at the field.
async fn post_template(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(slug): PathIds<String>,
    Form(f): Form<TemplateForm>,
) -> Result<Response> {
    administrator(&s)?;
    let doc = doc_of(&slug)?;
    let now = st.now();
    let mut diagnostic = None;
    let mut refused = |d: String, message: &'static str| {
        diagnostic = Some(d);
        Error::invalid("source", message)
    };
    let done: Result<Response> = match f.action.as_str() {
        "preview" => match templates::sample(&st.db, &s, doc, &f.source, now).await {
            Ok(Ok(pdf)) => Ok(crate::corrections::pdf_response(pdf, &format!("{}-forhandsgranskning.pdf", doc.slug()))),
            Ok(Err(d)) => Err(refused(d, "mtg-tpl-err-preview")),
            Err(e) => Err(e),
        },
        "reset" => templates::save(&st.db, &s, doc, None, now).await.map(|_| redirect(doc, "aterstalld")),
        _ => match templates::save(&st.db, &s, doc, Some(&f.source), now).await {
            Ok(Ok(())) => Ok(redirect(doc, "sparad")),
            Ok(Err(d)) => Err(refused(d, "mtg-tpl-err-save")),
            Err(e) => Err(e),
        },
    };
    let (ctx, st, s) = (&ctx, &st, &s);
    form::submit_fields(ctx, done, |mut errors| async move {
        if let Some(d) = diagnostic {
            for e in errors.entries.iter_mut().filter(|e| e.field == "source") {
                e.message = format!("{} {d}", e.message);
            }
        }
        let source = source_field(ctx, f.source, &errors);
        let errors = errors.linked_to(&[(&source, source.label.clone())]);
        let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
        let (_, own) = templates::source(&mut tx, s.tenant_id, doc).await?;
        tx.commit().await?;
        render(&TemplatePage {
            ctx,
            slug: doc.slug(),
            label: doc.label(),
            own,
            errors,
            source,
            shipped: doc.default_source(),
            done: String::new(),
        })
    })
    .await
}

fn redirect(doc: Doc, done: &str) -> Response {
    axum::response::Redirect::to(&format!("/admin/moten/mallar/{}?klart={done}", doc.slug())).into_response()
}
