//! The pages of projects under `/admin/projekt`, and putting a case into a project from the
//! case's page.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::field::{Field, FormErrors, Refused};
use radhus_platform::web::form::{self, Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use uuid::Uuid;

use super::cases::on_case;
use crate::domain::{CaseStatus, ProjectStatus};
use crate::projects::{self, Project};
use crate::store::CaseRow;

pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/admin/projekt", get_projects)
        .post("/admin/projekt", post_project)
        .get("/admin/projekt/{id}", get_project)
        .post("/admin/projekt/{id}/status", post_project_status)
        .post("/admin/arenden/{id}/projekt", post_case_project)
}

#[derive(Template)]
#[template(path = "cases/projects.html")]
struct ProjectsPage<'a> {
    ctx: &'a Ctx,
    projects: Vec<Project>,
    can_manage: bool,
    errors: FormErrors,
    /// The new project's name and description.
    fields: Vec<Field>,
}

async fn projects_page(st: &AppState, ctx: &Ctx, s: &StaffUser, errors: FormErrors, form: ProjectForm) -> Result<Response> {
    if !projects::may_view(s) {
        return Err(Error::Forbidden);
    }
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let projects = projects::list(&mut tx, s.tenant_id).await?;
    tx.commit().await?;
    let fields = vec![
        Field::new(ctx, "name", "field-name").id("p-name").value(form.name).errors(&errors),
        Field::new(ctx, "description", "field-description")
            .id("p-description")
            .kind("textarea")
            .optional()
            .value(form.description)
            .errors(&errors),
    ];
    let errors = errors.linked(&fields.iter().collect::<Vec<_>>());
    render(&ProjectsPage { ctx, projects, can_manage: projects::may_manage(s), errors, fields })
}

async fn get_projects(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    projects_page(&st, &ctx, &s, FormErrors::none(), ProjectForm::default()).await
}

#[derive(Deserialize, Default)]
struct ProjectForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

async fn post_project(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<ProjectForm>) -> Result<Response> {
    let done = projects::create(&st.db, &s, &f.name, &f.description, st.now()).await.map(|id| format!("/admin/projekt/{id}"));
    form::submit_fields(&ctx, done, |errors| projects_page(&st, &ctx, &s, errors, f)).await
}

#[derive(Template)]
#[template(path = "cases/project.html")]
struct ProjectPage<'a> {
    ctx: &'a Ctx,
    project: Project,
    cases: Vec<CaseRow>,
    can_manage: bool,
}

impl ProjectPage<'_> {
    fn status_label(&self, s: &CaseStatus) -> String {
        self.ctx.t(&s.label())
    }
    fn project_status(&self) -> String {
        self.ctx.t(&self.project.status.label())
    }
    fn is_open(&self) -> bool {
        self.project.status == ProjectStatus::Open
    }
    /// Cases in the project the viewer may not read: counted, never shown.
    fn hidden(&self) -> i64 {
        self.project.cases - i64::try_from(self.cases.len()).unwrap_or(0)
    }
}

async fn get_project(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    if !projects::may_view(&s) {
        return Err(Error::Forbidden);
    }
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let project = projects::get(&mut tx, s.tenant_id, id).await?.ok_or(Error::NotFound)?;
    let cases = projects::readable_cases(&mut tx, &s, id).await?;
    tx.commit().await?;
    render(&ProjectPage { ctx: &ctx, project, cases, can_manage: projects::may_manage(&s) })
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
}

async fn post_project_status(
    State(st): State<AppState>,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<StatusForm>,
) -> Result<Response> {
    projects::set_status(&st.db, &s, id, ProjectStatus::parse(&f.status) == Some(ProjectStatus::Open), st.now()).await?;
    Ok(Redirect::to(&format!("/admin/projekt/{id}")).into_response())
}

#[derive(Deserialize)]
struct CaseProjectForm {
    #[serde(default)]
    project_id: String,
}

async fn post_case_project(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(case): PathIds<Uuid>,
    Form(f): Form<CaseProjectForm>,
) -> Result<Response> {
    let result = async {
        let project = match f.project_id.trim() {
            "" => None,
            p => Some(Uuid::parse_str(p).map_err(|_| Error::invalid("project_id", "err-project-unknown"))?),
        };
        projects::set_case_project(&st.db, &s, case, project, st.now()).await
    }
    .await;
    on_case(&st, &ctx, &s, case, result, |e| Refused::form("project", e, [("project_id", &f.project_id)])).await
}
