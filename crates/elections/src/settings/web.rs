//! The settings page of the election office: `/admin/val/installningar`.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::Result;
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};

use crate::settings::{self, MIN_AGE_RANGE, SettingsInput};
use crate::support::office::{Office, require_office};

pub const PATH: &str = "/admin/val/installningar";

pub fn routes() -> Routes {
    Routes::new().get(PATH, get_settings).post(PATH, post_settings)
}

#[derive(Template)]
#[template(path = "elections/settings.html")]
struct SettingsPage<'a> {
    ctx: &'a Ctx,
    f: SettingsInput,
    min: i32,
    max: i32,
    saved: bool,
    /// A refused save: the error summary linked to the fields, the message at each field.
    errors: FormErrors,
}

impl SettingsPage<'_> {
    /// The ages the office can choose, "16–99".
    fn range(&self) -> String {
        format!("{}–{}", self.min, self.max)
    }

    /// The minimum age with its hint and problem.
    fn min_age_field(&self) -> Field {
        Field::new(self.ctx, "min_age", "field-min_age")
            .inputmode("numeric")
            .hint(self.ctx.tr.t1("el-settings-min-age-hint", "range", self.range()))
            .value(self.f.min_age.clone())
            .errors(&self.errors)
    }

    /// The office's phone and e-mail address (both optional), each with its problem.
    fn contact_fields(&self) -> Vec<Field> {
        let (ctx, e) = (self.ctx, &self.errors);
        vec![
            Field::new(ctx, "office_phone", "field-office_phone")
                .kind("tel")
                .optional()
                .autocomplete("tel")
                .value(self.f.office_phone.clone())
                .errors(e),
            Field::new(ctx, "office_email", "field-office_email")
                .kind("email")
                .optional()
                .autocomplete("email")
                .value(self.f.office_email.clone())
                .errors(e),
        ]
    }
}

async fn page(st: &AppState, ctx: &Ctx, s: &StaffUser, f: Option<SettingsInput>, saved: bool, errors: FormErrors) -> Result<Response> {
    require_office(s)?;
    let f = match f {
        Some(f) => f,
        None => {
            let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
            let current = settings::get(&mut tx, s.tenant_id).await?;
            let contact = settings::contact(&mut tx, s.tenant_id).await?;
            tx.commit().await?;
            SettingsInput::of(current, contact)
        }
    };
    render(&SettingsPage { ctx, f, min: *MIN_AGE_RANGE.start(), max: *MIN_AGE_RANGE.end(), saved, errors })
}

#[derive(serde::Deserialize)]
struct Query {
    #[serde(default)]
    sparat: Option<String>,
}

async fn get_settings(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    axum::extract::Query(q): axum::extract::Query<Query>,
) -> Result<Response> {
    page(&st, &ctx, &o.0, None, q.sparat.is_some(), FormErrors::none()).await
}

async fn post_settings(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Form(f): Form<SettingsInput>) -> Result<Response> {
    let s = o.0;
    let r = settings::save(&st.db, &s, &f, st.now()).await.map(|_| format!("{PATH}?sparat=1"));
    form::submit_fields(&ctx, r, |errors| page(&st, &ctx, &s, Some(f.clone()), false, errors)).await
}
