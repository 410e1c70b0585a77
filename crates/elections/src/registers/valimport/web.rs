//! The structure import's pages: `/admin/val/{id}/import` (the file, its documentation and
//! the latest imports) and `/admin/val/{id}/import/{iid}` (the preview and the choice).

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use uuid::Uuid;

use crate::registers::import::{self, Kind};
use crate::registers::web::{
    ChoiceForm, ColDoc, ImportLine, UPLOAD, choice_of, col_docs, import_lines, multipart, posted_kind, preview_page, upload_fields,
};
use crate::structure::store::ElectionRow;
use crate::support::office::Office;
use crate::support::view;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/val/{id}/import", get_import)
        .post_upload("/admin/val/{id}/import", post_import, import::UPLOAD_LIMIT)
        .get("/admin/val/{id}/import/{iid}", get_preview)
        .post("/admin/val/{id}/import/{iid}", post_choice)
}

#[derive(Template)]
#[template(path = "elections/valimport_upload.html")]
struct UploadPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    kommunkod: String,
    cols: Vec<ColDoc>,
    recent: Vec<ImportLine>,
    /// What the file holds and the file.
    fields: Vec<Field>,
    errors: FormErrors,
}

impl UploadPage<'_> {
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

async fn election(st: &AppState, s: &StaffUser, id: Uuid) -> Result<ElectionRow> {
    crate::support::office::require_office(s)?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let e = crate::structure::service::election_in(&mut tx, s.tenant_id, id).await?;
    tx.commit().await?;
    Ok(e)
}

async fn upload_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, kind: &str, errors: FormErrors) -> Result<Response> {
    let e = election(st, s, id).await?;
    let recent = import_lines(ctx, &format!("/admin/val/{id}/import"), import::recent(&st.db, s, Some(id)).await?);
    let kommunkod = ctx.require_tenant()?.kommunkod.clone();
    let errors = errors.place(UPLOAD);
    let fields = upload_fields(
        ctx,
        &[("vallokaler", "el-valimport-kind-vallokaler"), ("rostningslokaler", "el-valimport-kind-rostningslokaler")],
        kind,
        ".json,.csv,.txt,.xlsx,application/json,text/csv",
        "el-valimport-file-hint",
        &errors,
    );
    render(&UploadPage { ctx, e, kommunkod, cols: col_docs(ctx, Kind::Vallokaler), recent, fields, errors })
}

async fn get_import(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    upload_page(&st, &ctx, &o.0, id, "", FormErrors::none()).await
}

/// Multipart upload: `kind` ("vallokaler" or "rostningslokaler") and `file`.
async fn post_import(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    m: Multipart,
) -> Result<Response> {
    let s = o.0;
    let kommunkod = ctx.require_tenant()?.kommunkod.clone();
    let parts = multipart(m).await;
    let chosen = posted_kind(&parts);
    let r = async {
        election(&st, &s, id).await?;
        let (_, file) = parts?;
        let kind = Kind::parse(&chosen)
            .filter(|k| k.is_structure())
            .ok_or_else(|| Error::invalid("valimport_kind", "el-registers-err-import-kind"))?;
        let (name, bytes) = file.ok_or_else(|| Error::invalid("reg_file", "el-registers-file-missing"))?;
        let iid = import::stage(&st.db, &s, kind, Some(id), &kommunkod, &name, &bytes, st.now()).await?;
        Ok(format!("/admin/val/{id}/import/{iid}"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| upload_page(&st, &ctx, &s, id, &chosen, errors)).await
}

async fn preview(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, iid: Uuid, errors: FormErrors) -> Result<Response> {
    let e = election(st, s, id).await?;
    let p = import::preview(&st.db, s, iid, Some(id), st.now()).await?;
    let crumbs = vec![
        ("/admin".into(), ctx.t("nav-admin")),
        ("/admin/val".into(), ctx.t("el-title")),
        (format!("/admin/val/{id}"), e.name.clone()),
        (format!("/admin/val/{id}/import"), ctx.t("el-valimport-title")),
    ];
    preview_page(ctx, p, crumbs, format!("/admin/val/{id}/struktur"), format!("/admin/val/{id}/import/{iid}"), errors)
}

async fn get_preview(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, iid)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    preview(&st, &ctx, &o.0, id, iid, FormErrors::none()).await
}

async fn post_choice(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, iid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<ChoiceForm>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        let c = choice_of(&f)?;
        import::apply(&st.db, &s, iid, Some(id), c, st.now()).await?;
        Ok(format!("/admin/val/{id}/import/{iid}"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| preview(&st, &ctx, &s, id, iid, errors)).await
}
