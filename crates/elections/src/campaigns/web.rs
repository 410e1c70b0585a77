//! The pages of campaigns (utskick) under `/admin/val/{id}/utskick`.

use super::*;
use crate::structure::service::election_in;
use crate::structure::store::{self, ConstituencyRow, ElectionRow, StationRow};
use crate::support::office::Office;
use crate::support::office::require_office;
use crate::support::view;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{FieldError, Result};
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use time::OffsetDateTime;
use uuid::Uuid;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/val/{id}/utskick", get_campaigns)
        .post("/admin/val/{id}/utskick", post_send)
        .post("/admin/val/{id}/utskick/forhandsgranska", post_preview)
        .get("/admin/val/{id}/utskick/{cid}", get_campaign)
}

pub struct CampaignLine {
    pub c: CampaignRow,
    pub filter: String,
}

#[derive(Template)]
#[template(path = "elections/campaigns_list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    campaigns: Vec<CampaignLine>,
    constituencies: Vec<ConstituencyRow>,
    stations: Vec<StationRow>,
    form: CampaignInput,
    preview: Option<Preview>,
    /// A fresh one-time key for the send form under the preview.
    submission: Uuid,
    /// A refused preview or send: the summary linked to the fields, the message at each.
    errors: FormErrors,
}

/// A field whose problems are reported as `field` (its label's id, and so its HTML id) but
/// which is posted as `name`.
fn posted_as(mut f: Field, name: &str) -> Field {
    f.name = name.to_string();
    f
}

impl ListPage<'_> {
    fn when(&self, t: &OffsetDateTime) -> String {
        view::stamp(&None, &Some(*t))
    }
    fn merge_fields(&self) -> String {
        MERGE_FIELDS.iter().map(|f| format!("{{{f}}}")).collect::<Vec<_>>().join(" ")
    }
    fn status_label(&self, s: &str) -> String {
        self.ctx.t(&format!("el-campaigns-status-{s}"))
    }
    fn channel_label(&self, c: &str) -> String {
        self.ctx.t(&format!("el-campaigns-channel-{c}"))
    }
    fn kind_label(&self, k: &str) -> String {
        self.ctx.t(&view::kind_id(k))
    }
    fn statuses(&self) -> [&'static str; 5] {
        STATUSES
    }

    /// A field whose problems are reported as `field` and that is posted as `name`.
    fn field(&self, field: &str, name: &str) -> Field {
        posted_as(Field::new(self.ctx, field, &format!("field-{field}")).errors(&self.errors), name)
    }

    /// A filter: a select whose first option is "Alla".
    fn filter(&self, field: &str, name: &str, chosen: &str, options: Vec<(String, String)>) -> Field {
        let options = options.into_iter().map(|(v, l)| (v.clone(), l, v == chosen)).collect();
        self.field(field, name).kind("select").options(options, self.ctx.t("el-campaigns-any"))
    }

    /// The channel (sms or e-mail).
    fn channel_field(&self) -> Field {
        let options = ["sms", "email"].iter().map(|c| (c.to_string(), self.channel_label(c), self.form.channel == *c)).collect();
        self.field("campaign_channel", "channel").kind("radios").options(options, "")
    }

    /// The roles; none ticked is everyone.
    fn roles_field(&self) -> Field {
        let options = ROLES.iter().map(|r| (r.to_string(), self.ctx.t(&format!("el-role-{r}")), self.form.has_role(r))).collect();
        self.field("campaign_roles", "roles").kind("checkboxes").optional().options(options, "")
    }

    /// The filters after the roles: constituency, station, status, course, placement, appointed.
    fn filter_fields(&self) -> Vec<Field> {
        let f = &self.form;
        let pairs = |keys: &[&str], prefix: &str| -> Vec<(String, String)> {
            keys.iter().map(|k| (k.to_string(), self.ctx.t(&format!("{prefix}{k}")))).collect()
        };
        vec![
            self.filter(
                "constituency",
                "constituency",
                &f.constituency,
                self.constituencies.iter().map(|c| (c.id.to_string(), c.name.clone())).collect(),
            ),
            self.filter(
                "campaign_station",
                "station",
                &f.station,
                self.stations.iter().map(|x| (x.id.to_string(), format!("{} ({})", x.name, self.kind_label(&x.kind)))).collect(),
            ),
            self.filter(
                "campaign_status",
                "status",
                &f.status,
                self.statuses().iter().map(|x| (x.to_string(), self.status_label(x))).collect(),
            ),
            self.filter("campaign_course", "course", &f.course, pairs(&["completed", "not_completed"], "el-campaigns-course-")),
            self.filter("campaign_placement", "placement", &f.placement, pairs(&["placed", "not_placed"], "el-campaigns-placement-")),
            self.filter("campaign_appointed", "appointed", &f.appointed, pairs(&["yes", "no"], "el-campaigns-appointed-")),
        ]
    }

    /// The subject (e-mail only) and the text with the merge fields in its hint.
    fn message_fields(&self) -> Vec<Field> {
        let merge = format!("{} {}", self.ctx.t("el-campaigns-merge-hint"), self.merge_fields());
        vec![
            Field::new(self.ctx, "subject", "field-subject")
                .hint(self.ctx.t("el-campaigns-subject-hint"))
                .value(self.form.subject.clone())
                .errors(&self.errors),
            Field::new(self.ctx, "body", "field-body")
                .kind("textarea")
                .rows(6)
                .hint(merge)
                .value(self.form.body.clone())
                .errors(&self.errors),
        ]
    }
}

async fn list_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    form: CampaignInput,
    preview: Option<Preview>,
    errors: FormErrors,
) -> Result<Response> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let e = election_in(&mut tx, t, id).await?;
    let constituencies = store::constituencies(&mut tx, t, id).await?;
    let stations = store::stations(&mut tx, t, id).await?;
    let rows = campaigns(&mut tx, t, id).await?;
    tx.commit().await?;
    let campaigns =
        rows.into_iter().map(|c| CampaignLine { filter: describe(ctx, &c.filter(), &constituencies, &stations).join("; "), c }).collect();
    let form = if form.channel.is_empty() && form.body.is_empty() { CampaignInput { channel: "sms".into(), ..form } } else { form };
    // A damaged one-time key is a problem of the form: the send button is under the preview.
    let errors = errors.place(&[("submission", FieldError::FORM, "")]);
    render(&ListPage { ctx, e, campaigns, constituencies, stations, form, preview, submission: Uuid::now_v7(), errors })
}

async fn get_campaigns(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    list_page(&st, &ctx, &o.0, id, CampaignInput::default(), None, FormErrors::none()).await
}

async fn post_preview(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<CampaignInput>,
) -> Result<Response> {
    let s = o.0;
    let r = match preview(&st.db, &s, id, &f, st.now()).await {
        Ok(p) => list_page(&st, &ctx, &s, id, f.clone(), Some(p), FormErrors::none()).await,
        Err(e) => Err(e),
    };
    form::submit_fields(&ctx, r, |errors| list_page(&st, &ctx, &s, id, f.clone(), None, errors)).await
}

async fn post_send(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<CampaignInput>,
) -> Result<Response> {
    let s = o.0;
    let r = send(&st.db, &s, id, &f, st.now()).await.map(|c| format!("/admin/val/{id}/utskick/{c}"));
    form::submit_fields(&ctx, r, |errors| list_page(&st, &ctx, &s, id, f.clone(), None, errors)).await
}

#[derive(Template)]
#[template(path = "elections/campaigns_campaign.html")]
struct CampaignPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    c: CampaignRow,
    filter: Vec<String>,
    deliveries: Vec<Delivery>,
}

impl CampaignPage<'_> {
    fn when(&self, t: &OffsetDateTime) -> String {
        view::stamp(&None, &Some(*t))
    }
    fn status_label(&self, s: &str) -> String {
        self.ctx.t(&format!("el-campaigns-delivery-{s}"))
    }
    fn channel_label(&self, c: &str) -> String {
        self.ctx.t(&format!("el-campaigns-channel-{c}"))
    }
}

async fn get_campaign(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, cid)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    let s = o.0;
    let (e, c, deliveries) = view_campaign(&st.db, &s, id, cid, st.now()).await?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let constituencies = store::constituencies(&mut tx, s.tenant_id, id).await?;
    let stations = store::stations(&mut tx, s.tenant_id, id).await?;
    tx.commit().await?;
    let filter = describe(&ctx, &c.filter(), &constituencies, &stations);
    render(&CampaignPage { ctx: &ctx, e, c, filter, deliveries })
}
