//! The disposal page `/admin/gallring`: the closed cases whose retention period has run out,
//! and the disposal decision.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, one_or_many};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use uuid::Uuid;

use crate::retention::{self, Candidate};
use crate::service::ADMIN;

pub(super) fn routes() -> Routes {
    Routes::new().get("/admin/gallring", get_disposal).post("/admin/gallring", post_disposal)
}

#[derive(Template)]
#[template(path = "cases/disposal.html")]
struct DisposalPage<'a> {
    ctx: &'a Ctx,
    errors: FormErrors,
    /// The cases to dispose of (checkboxes).
    cases_field: Field,
    /// The decision they are disposed of under.
    ref_field: Field,
    /// Whether any case is due for disposal (else the page says there is none).
    any: bool,
    done: Option<usize>,
}

/// A case due for disposal as its checkbox says it: number, title, class, closed and period.
fn candidate_label(ctx: &Ctx, c: &Candidate) -> String {
    format!(
        "{} {} ({} {}, {} {}, {})",
        c.number,
        c.title,
        ctx.t("field-class"),
        c.class_code,
        ctx.t("field-closed"),
        c.closed_at.date(),
        ctx.tr.t1("retention-destroy", "years", c.retention_years)
    )
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    errors: FormErrors,
    form: Option<&DisposalForm>,
    done: Option<usize>,
) -> Result<Response> {
    if !s.grants.whole_municipality(ADMIN) {
        return Err(Error::Forbidden);
    }
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let candidates = retention::candidates(&mut tx, s.tenant_id, st.now()).await?;
    tx.commit().await?;
    let chosen = |id: &Uuid| form.is_some_and(|f| f.cases.iter().any(|c| c == &id.to_string()));
    let options = candidates.iter().map(|c| (c.id.to_string(), candidate_label(ctx, c), chosen(&c.id))).collect();
    let cases_field = Field::new(ctx, "cases", "disposal-list").kind("checkboxes").options(options, "").errors(&errors);
    let ref_field = Field::new(ctx, "decision_ref", "field-decision_ref")
        .hint(ctx.t("disposal-ref-hint"))
        .value(form.map(|f| f.decision_ref.clone()).unwrap_or_default())
        .errors(&errors);
    let errors = errors.linked(&[&cases_field, &ref_field]);
    render(&DisposalPage { ctx, errors, cases_field, ref_field, any: !candidates.is_empty(), done })
}

async fn get_disposal(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    page(&st, &ctx, &s, FormErrors::none(), None, None).await
}

#[derive(Deserialize)]
struct DisposalForm {
    #[serde(default, deserialize_with = "one_or_many")]
    cases: Vec<String>,
    #[serde(default)]
    decision_ref: String,
}

async fn post_disposal(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<DisposalForm>) -> Result<Response> {
    let ids: Vec<Uuid> = f.cases.iter().filter_map(|c| Uuid::parse_str(c).ok()).collect();
    let done = async {
        let n = retention::dispose(&st.db, &s, &ids, &f.decision_ref, st.now()).await?;
        page(&st, &ctx, &s, FormErrors::none(), None, Some(n)).await
    }
    .await;
    form::submit_fields(&ctx, done, |errors| page(&st, &ctx, &s, errors, Some(&f), None)).await
}
