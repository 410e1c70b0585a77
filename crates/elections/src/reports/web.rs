//! The pages of reports and arvode under `/admin/val/{id}/rapporter`.

use super::*;
use crate::structure::service::election_in;
use crate::structure::store::ElectionRow;
use crate::support::office::Office;
use crate::support::office::require_office;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::download;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use uuid::Uuid;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/val/{id}/rapporter", get_reports)
        .post("/admin/val/{id}/rapporter/arvoden", post_rates)
        .get("/admin/val/{id}/rapporter/{file}", get_file)
}

#[derive(Template)]
#[template(path = "elections/reports_index.html")]
struct ReportsPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    reports: Vec<(&'static str, String)>,
    form: RatesInput,
    placed: usize,
    total: i64,
    /// A refused save of the rates: the summary linked to the fields, the message at each.
    errors: FormErrors,
}

impl ReportsPage<'_> {
    /// The four rates. A rate's problem is reported as `rate_<role>` (the field's label id), so
    /// that is the field's id; the posted name stays the role.
    fn rate_fields(&self) -> Vec<Field> {
        let f = &self.form;
        [("ordforande", &f.ordforande), ("vice", &f.vice), ("rostmottagare", &f.rostmottagare), ("course", &f.course)]
            .into_iter()
            .map(|(k, v)| {
                let id = format!("rate_{k}");
                let mut field =
                    Field::new(self.ctx, &id, &format!("field-{id}")).optional().inputmode("numeric").value(v.clone()).errors(&self.errors);
                field.name = k.to_string();
                field
            })
            .collect()
    }
}

async fn reports_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, form: Option<RatesInput>, errors: FormErrors) -> Result<Response> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let e = election_in(&mut tx, t, id).await?;
    let r = rates(&mut tx, t, id).await?;
    let people = people(&mut tx, t, id).await?;
    tx.commit().await?;
    let rows = arvoden(&people, &r);
    let form = form.unwrap_or_else(|| RatesInput {
        ordforande: r.ordforande.to_string(),
        vice: r.vice.to_string(),
        rostmottagare: r.rostmottagare.to_string(),
        course: r.course.to_string(),
    });
    let reports = REPORTS.iter().map(|(f, l, _)| (*f, ctx.t(l))).collect();
    render(&ReportsPage { ctx, e, reports, form, placed: rows.len(), total: rows.iter().map(|a| i64::from(a.total)).sum(), errors })
}

async fn get_reports(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    reports_page(&st, &ctx, &o.0, id, None, FormErrors::none()).await
}

async fn post_rates(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<RatesInput>,
) -> Result<Response> {
    let s = o.0;
    let r = save_rates(&st.db, &s, id, &f, st.now()).await.map(|()| format!("/admin/val/{id}/rapporter"));
    form::submit_fields(&ctx, r, |errors| reports_page(&st, &ctx, &s, id, Some(f.clone()), errors)).await
}

async fn get_file(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, file)): PathIds<(Uuid, String)>,
) -> Result<Response> {
    let municipality = ctx.require_tenant()?.name.clone();
    let now = st.now();
    let doc = report(&st.db, &ctx, &o.0, &municipality, id, &file, now).await?;
    let (stem, ext) = file.rsplit_once('.').ok_or(Error::NotFound)?;
    let name = format!("{stem}-{}.{ext}", file_slug(&doc.election));
    if ext == "pdf" {
        return Ok(download::attachment(pdf_off_thread(doc, now).await?, download::PDF, &name));
    }
    let sheet: String = ctx.t(REPORTS.iter().find(|r| r.0 == stem).map_or("el-reports", |r| r.1)).chars().take(31).collect();
    let bytes = xlsx(&doc, &sheet)?;
    Ok(download::attachment(bytes, download::XLSX, &name))
}
