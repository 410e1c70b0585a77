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
use radhus_platform::error::Result;
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::StaffUser;
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
    errors: Vec<String>,
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
}

async fn list_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    form: CampaignInput,
    preview: Option<Preview>,
    errors: Vec<String>,
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
    render(&ListPage { ctx, e, campaigns, constituencies, stations, form, preview, submission: Uuid::now_v7(), errors })
}

async fn get_campaigns(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    list_page(&st, &ctx, &o.0, id, CampaignInput::default(), None, vec![]).await
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
        Ok(p) => list_page(&st, &ctx, &s, id, f.clone(), Some(p), vec![]).await,
        Err(e) => Err(e),
    };
    form::submit(&ctx, r, |errors| list_page(&st, &ctx, &s, id, f.clone(), None, errors)).await
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
    form::submit(&ctx, r, |errors| list_page(&st, &ctx, &s, id, f.clone(), None, errors)).await
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
