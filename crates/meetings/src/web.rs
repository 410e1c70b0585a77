//! Staff pages under `/admin/moten`: committees, the secretary's proposals and meetings, the
//! member's own meetings; and the public notice board `/anslagstavla`.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::identity::users::{self, UserSummary};
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::service::{self, Access, MemoRecord, NewCommittee, NewMeeting, NewMember};
use crate::store::{self, AccessRow, Committee, Item, Meeting, Member, Proposal, Signed};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/moten", get_meetings_index)
        .post("/admin/moten", post_committee)
        .get("/admin/moten/organ/{id}", get_committee)
        .post("/admin/moten/organ/{id}/ledamoter", post_member)
        .post("/admin/moten/organ/{id}/behorighet", post_access)
        .post("/admin/moten/organ/{id}/moten", post_meeting)
        .get("/admin/moten/forslag", get_propose)
        .post("/admin/moten/forslag", post_propose)
        .post("/admin/moten/forslag/{id}/godkann", post_accept)
        .post("/admin/moten/forslag/{id}/returnera", post_return)
        .get("/admin/moten/mote/{id}", get_meeting)
        .post("/admin/moten/mote/{id}/punkter", post_item)
        .post("/admin/moten/mote/{id}/installt", post_cancel)
        .post("/admin/moten/mote/{id}/kallelse", post_notice)
        .post("/admin/moten/mote/{id}/komplettering", post_supplement)
        .get("/admin/moten/mote/{id}/kallelse.pdf", get_notice_pdf)
        .get("/admin/moten/mote/{id}/kalender.ics", get_calendar)
        .post("/admin/moten/mote/{id}/genomfort", post_held)
        .post("/admin/moten/mote/{id}/narvaro", post_attendance)
        .post("/admin/moten/mote/{id}/narvaro/tider", post_times)
        .post("/admin/moten/mote/{id}/protokoll", post_minutes)
        .get("/admin/moten/mote/{id}/protokoll.pdf", get_minutes_pdf)
        .post("/admin/moten/mote/{id}/justera", post_adjust)
        .post("/admin/moten/mote/{id}/expediera", post_dispatch)
        .get("/admin/moten/punkt/{id}", get_item)
        .post("/admin/moten/punkt/{id}", post_decision)
        .post("/admin/moten/punkt/{id}/jav", post_conflict)
        .post("/admin/moten/punkt/{id}/ersattare", post_substitute)
        .post("/admin/moten/punkt/{id}/omrostning", post_vote)
        .post("/admin/moten/punkt/{id}/yttrande", post_member_text)
        .post("/admin/moten/punkt/{id}/andra", post_edit_item)
        .post("/admin/moten/punkt/{id}/omedelbar", post_immediate)
        .get("/admin/moten/punkt/{id}/omedelbar.pdf", get_immediate_pdf)
        .post("/admin/moten/punkt/{id}/omedelbar/justera", post_immediate_adjust)
        .post("/admin/moten/punkt/{id}/omedelbar/expediera", post_immediate_dispatch)
        .post("/admin/moten/punkt/{id}/utga", post_withdraw_item)
        .get("/anslagstavla", get_notice_board)
        .get("/anslagstavla/{id}/anslag.pdf", get_board_pdf)
}

pub use crate::core::{day, when};

fn uuid_field(v: &str, field: &str, message: &str) -> Result<Uuid> {
    Uuid::parse_str(v.trim()).map_err(|_| Error::invalid(field, message))
}

/// A page of several forms shown again after one of them was refused (`web::field::Refused`).
pub(crate) use radhus_platform::web::field::Refused;

/// A select's options (value, label, chosen).
fn options<T>(items: &[T], value: impl Fn(&T) -> String, label: impl Fn(&T) -> String, chosen: &str) -> Vec<(String, String, bool)> {
    items
        .iter()
        .map(|i| {
            let v = value(i);
            let on = v == chosen;
            (v, label(i), on)
        })
        .collect()
}

/// The members ticked in a checkbox group posted as `<name>=<id>` (one or several).
fn ticked(f: &std::collections::BTreeMap<String, serde_json::Value>, name: &str) -> Vec<Uuid> {
    match f.get(name) {
        Some(serde_json::Value::String(v)) => Uuid::parse_str(v).ok().into_iter().collect(),
        Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str()).filter_map(|v| Uuid::parse_str(v).ok()).collect(),
        _ => vec![],
    }
}

// ------------------------------------------------------------------ index

#[derive(Template)]
#[template(path = "meetings/index.html")]
struct IndexPage<'a> {
    ctx: &'a Ctx,
    committees: Vec<Committee>,
    /// Meetings of the committees the user sits in, newest first.
    mine: Vec<Meeting>,
    is_admin: bool,
    /// The new committee's fields.
    fields: Vec<Field>,
    errors: FormErrors,
}

impl IndexPage<'_> {
    fn when(&self, at: &OffsetDateTime) -> String {
        when(at)
    }
    fn state(&self, m: &Meeting) -> String {
        self.ctx.t(&format!("mtg-state-{}", m.state))
    }
}

async fn index_page(st: &AppState, ctx: &Ctx, s: &StaffUser, refused: Refused) -> Result<Response> {
    let t = s.tenant_id;
    let now = st.now();
    let is_admin = s.grants.whole_municipality(service::ADMIN);
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let all = store::committees(&mut tx, t).await?;
    let with_access = store::committees_with_access(&mut tx, t, s.user_id.0).await?;
    let seats = store::memberships_of(&mut tx, t, s.user_id.0, radhus_kernel::tz::stockholm(now).date()).await?;
    let mut mine = vec![];
    for m in &seats {
        mine.extend(store::meetings_of(&mut tx, t, m.committee_id).await?.into_iter().filter(|m| m.state != "cancelled"));
    }
    mine.sort_by_key(|m| std::cmp::Reverse(m.starts_at));
    mine.dedup_by_key(|m| m.id);
    let registries = if is_admin { radhus_cases::store::registries(&mut tx, t).await? } else { vec![] };
    tx.commit().await?;
    let committees =
        all.into_iter().filter(|c| is_admin || with_access.contains(&c.id) || seats.iter().any(|m| m.committee_id == c.id)).collect();
    let (e, v) = (refused.errors("committee"), |n: &str| refused.or("committee", n, ""));
    let kinds = options(&service::COMMITTEE_KINDS, |k| k.to_string(), |k| ctx.t(&format!("mtg-kind-{k}")), &v("kind"));
    let regs = options(&registries, |r| r.id.to_string(), |r| format!("{} {}", r.code, r.name), &v("registry_id"));
    let fields = vec![
        Field::new(ctx, "kind", "mtg-field-kind").kind("select").options(kinds, "").errors(&e),
        Field::new(ctx, "name", "mtg-field-name").value(v("name")).errors(&e),
        Field::new(ctx, "code", "mtg-field-code").hint(ctx.t("mtg-code-hint")).value(v("code")).errors(&e),
        Field::new(ctx, "registry_id", "mtg-field-registry").kind("select").options(regs, "").errors(&e),
        Field::new(ctx, "seats", "mtg-field-seats").inputmode("numeric").value(v("seats")).errors(&e),
    ];
    let errors = refused.summary(&fields.iter().collect::<Vec<_>>());
    render(&IndexPage { ctx, committees, mine, is_admin, fields, errors })
}

async fn get_meetings_index(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    index_page(&st, &ctx, &s, Refused::none()).await
}

#[derive(Deserialize)]
struct CommitteeForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    registry_id: String,
    #[serde(default)]
    seats: String,
}

async fn post_committee(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<CommitteeForm>) -> Result<Response> {
    let done = async {
        let n = NewCommittee {
            kind: f.kind.clone(),
            name: f.name.clone(),
            code: f.code.clone(),
            registry_id: Uuid::parse_str(f.registry_id.trim()).ok(),
            seats: f.seats.trim().parse().unwrap_or(0),
        };
        let id = service::create_committee(&st.db, &s, &n, st.now()).await?;
        Ok(format!("/admin/moten/organ/{id}"))
    }
    .await;
    let values = [("kind", &f.kind), ("name", &f.name), ("code", &f.code), ("registry_id", &f.registry_id), ("seats", &f.seats)];
    form::submit_fields(&ctx, done, |errors| index_page(&st, &ctx, &s, Refused::form("committee", errors, values))).await
}

// ------------------------------------------------------------------ committee

#[derive(Template)]
#[template(path = "meetings/committee.html")]
struct CommitteePage<'a> {
    ctx: &'a Ctx,
    c: Committee,
    access: Access,
    members: Vec<Member>,
    access_list: Vec<AccessRow>,
    meetings: Vec<Meeting>,
    /// The waiting proposals, each with the field of its accept form (when there is a planned
    /// meeting to accept it onto) and of its return form.
    waiting: Vec<(Proposal, Option<Field>, Field)>,
    /// The new meeting's date, time and place; whether it is public.
    meeting_fields: Vec<Field>,
    public: bool,
    /// The new member's and the access form's fields.
    member_fields: Vec<Field>,
    access_fields: Vec<Field>,
    today: Date,
    errors: FormErrors,
}

impl CommitteePage<'_> {
    fn when(&self, at: &OffsetDateTime) -> String {
        when(at)
    }
    fn day(&self, d: &Date) -> String {
        day(d)
    }
    fn state(&self, m: &Meeting) -> String {
        self.ctx.t(&format!("mtg-state-{}", m.state))
    }
    fn role(&self, r: &str) -> String {
        self.ctx.t(&format!("mtg-role-{r}"))
    }
    fn kind(&self) -> String {
        self.ctx.t(&format!("mtg-kind-{}", self.c.kind))
    }
}

async fn committee_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, refused: Refused) -> Result<Response> {
    let t = s.tenant_id;
    let now = st.now();
    let today = radhus_kernel::tz::stockholm(now).date();
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (c, access) = service::readable_committee(&mut tx, s, id, now).await?;
    let members = store::members(&mut tx, t, id, today).await?;
    let access_list = store::access_list(&mut tx, t, id).await?;
    let meetings = store::meetings_of(&mut tx, t, id).await?;
    let waiting = if access.secretary || access.admin { store::waiting(&mut tx, t, id).await? } else { vec![] };
    let users = if access.admin { users::list(&mut tx, t, None, 1000, 0).await?.0 } else { vec![] };
    tx.commit().await?;
    let planned: Vec<Meeting> = meetings.iter().filter(|m| m.state == "planned").cloned().collect();
    let r = &refused;
    let waiting: Vec<(Proposal, Option<Field>, Field)> = waiting
        .into_iter()
        .map(|p| {
            let (accept, ret) = (format!("accept-{}", p.id), format!("return-{}", p.id));
            let meetings = options(&planned, |m| m.id.to_string(), |m| when(&m.starts_at), &r.or(&accept, "meeting_id", ""));
            let meeting = (!planned.is_empty()).then(|| {
                Field::new(ctx, "meeting_id", "mtg-field-meeting")
                    .id(&format!("meeting-{}", p.id))
                    .kind("select")
                    .options(meetings, "")
                    .errors(&r.errors(&accept))
            });
            let comment = Field::new(ctx, "comment", "mtg-field-comment")
                .id(&format!("comment-{}", p.id))
                .kind("textarea")
                .rows(2)
                .value(r.or(&ret, "comment", ""))
                .errors(&r.errors(&ret));
            (p, meeting, comment)
        })
        .collect();
    let (e, v) = (r.errors("meeting"), |n: &str| r.or("meeting", n, ""));
    let meeting_fields = vec![
        Field::new(ctx, "date", "mtg-field-date").kind("date").value(v("date")).errors(&e),
        Field::new(ctx, "time", "mtg-field-time").kind("time").value(v("time")).errors(&e),
        Field::new(ctx, "place", "mtg-field-place").value(v("place")).errors(&e),
    ];
    let public = r.value("meeting", "public").is_some_and(|p| !p.is_empty());
    let (e, v) = (r.errors("member"), |n: &str| r.or("member", n, ""));
    let user_label = |u: &UserSummary| format!("{} ({})", u.name, u.email);
    let member_fields = vec![
        Field::new(ctx, "user_id", "mtg-field-user")
            .id("m-user")
            .kind("select")
            .options(options(&users, |u| u.id.to_string(), user_label, &v("user_id")), "")
            .errors(&e),
        Field::new(ctx, "role", "mtg-field-role")
            .id("m-role")
            .kind("select")
            .options(options(&service::MEMBER_ROLES, |r| r.to_string(), |r| ctx.t(&format!("mtg-role-{r}")), &v("role")), "")
            .errors(&e),
        Field::new(ctx, "party", "mtg-field-party").id("m-party").value(v("party")).errors(&e),
        Field::new(ctx, "callin_order", "mtg-field-callin")
            .id("m-callin")
            .optional()
            .hint(ctx.t("mtg-callin-hint"))
            .inputmode("numeric")
            .value(v("callin_order"))
            .errors(&e),
        Field::new(ctx, "term_from", "mtg-field-term-from").id("m-from").kind("date").value(v("term_from")).errors(&e),
        Field::new(ctx, "term_to", "mtg-field-term-to").id("m-to").kind("date").value(v("term_to")).errors(&e),
    ];
    let (e, v) = (r.errors("access"), |n: &str| r.or("access", n, ""));
    let roles = ["secretary", "reader", "none"];
    let access_fields = vec![
        Field::new(ctx, "user_id", "mtg-field-user")
            .id("a-user")
            .kind("select")
            .options(options(&users, |u| u.id.to_string(), user_label, &v("user_id")), "")
            .errors(&e),
        Field::new(ctx, "role", "mtg-field-role")
            .id("a-role")
            .kind("select")
            .options(options(&roles, |r| r.to_string(), |r| ctx.t(&format!("mtg-role-{r}")), &v("role")), "")
            .errors(&e),
    ];
    let mut all: Vec<&Field> = meeting_fields.iter().chain(&member_fields).chain(&access_fields).collect();
    for (_, meeting, comment) in &waiting {
        all.extend(meeting.iter().chain([comment]));
    }
    let errors = r.summary(&all);
    let page = CommitteePage {
        ctx,
        c,
        access,
        members,
        access_list,
        meetings,
        waiting,
        meeting_fields,
        public,
        member_fields,
        access_fields,
        today,
        errors,
    };
    render(&page)
}

async fn get_committee(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    committee_page(&st, &ctx, &s, id, Refused::none()).await
}

#[derive(Deserialize)]
struct MemberForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    callin_order: String,
    #[serde(default)]
    term_from: String,
    #[serde(default)]
    term_to: String,
}

fn parse_day(v: &str, field: &str) -> Result<Date> {
    Date::parse(v.trim(), time::macros::format_description!("[year]-[month]-[day]")).map_err(|_| Error::invalid(field, "err-date"))
}

async fn post_member(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<MemberForm>,
) -> Result<Response> {
    let done = async {
        let m = NewMember {
            user_id: uuid_field(&f.user_id, "user_id", "mtg-err-user")?,
            role: f.role.clone(),
            party: f.party.clone(),
            callin_order: f.callin_order.trim().parse().ok(),
            term_from: parse_day(&f.term_from, "term_from")?,
            term_to: parse_day(&f.term_to, "term_to")?,
        };
        service::add_member(&st.db, &s, id, &m, st.now()).await?;
        Ok(format!("/admin/moten/organ/{id}"))
    }
    .await;
    let values = [
        ("user_id", &f.user_id),
        ("role", &f.role),
        ("party", &f.party),
        ("callin_order", &f.callin_order),
        ("term_from", &f.term_from),
        ("term_to", &f.term_to),
    ];
    form::submit_fields(&ctx, done, |errors| committee_page(&st, &ctx, &s, id, Refused::form("member", errors, values))).await
}

#[derive(Deserialize)]
struct AccessForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    role: String,
}

async fn post_access(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<AccessForm>,
) -> Result<Response> {
    let done = async {
        let user = uuid_field(&f.user_id, "user_id", "mtg-err-user")?;
        let role = Some(f.role.as_str()).filter(|r| !r.is_empty() && *r != "none");
        service::set_access(&st.db, &s, id, user, role, st.now()).await?;
        Ok(format!("/admin/moten/organ/{id}"))
    }
    .await;
    let values = [("user_id", &f.user_id), ("role", &f.role)];
    form::submit_fields(&ctx, done, |errors| committee_page(&st, &ctx, &s, id, Refused::form("access", errors, values))).await
}

#[derive(Deserialize)]
struct MeetingForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    public: Option<String>,
}

async fn post_meeting(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<MeetingForm>,
) -> Result<Response> {
    let done = async {
        let n = NewMeeting { date: f.date.clone(), time: f.time.clone(), place: f.place.clone(), public: f.public.is_some() };
        let m = service::create_meeting(&st.db, &s, id, &n, st.now()).await?;
        Ok(format!("/admin/moten/mote/{m}"))
    }
    .await;
    let public = f.public.clone().unwrap_or_default();
    let values = [("date", &f.date), ("time", &f.time), ("place", &f.place), ("public", &public)];
    form::submit_fields(&ctx, done, |errors| committee_page(&st, &ctx, &s, id, Refused::form("meeting", errors, values))).await
}

// ------------------------------------------------------------------ proposals

#[derive(Template)]
#[template(path = "meetings/propose.html")]
struct ProposePage<'a> {
    ctx: &'a Ctx,
    case: radhus_cases::store::CaseRow,
    memos: Vec<MemoRecord>,
    committees: Vec<Committee>,
    earlier: Vec<Proposal>,
    /// The committee and the memo record.
    fields: Vec<Field>,
    errors: FormErrors,
}

impl ProposePage<'_> {
    fn state(&self, p: &Proposal) -> String {
        self.ctx.t(&format!("mtg-proposal-{}", p.state))
    }
}

#[derive(Deserialize)]
struct CaseQuery {
    #[serde(default)]
    arende: String,
}

async fn propose_page(st: &AppState, ctx: &Ctx, s: &StaffUser, case: &str, refused: Refused) -> Result<Response> {
    let t = s.tenant_id;
    let case = Uuid::parse_str(case.trim()).map_err(|_| Error::NotFound)?;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (case, memos) = service::proposable(&mut tx, s, case).await?;
    let committees = store::committees(&mut tx, t).await?;
    let earlier = store::proposals_of_case(&mut tx, t, case.id).await?;
    tx.commit().await?;
    let (e, v) = (refused.errors("propose"), |n: &str| refused.or("propose", n, ""));
    let fields = vec![
        Field::new(ctx, "committee_id", "mtg-field-committee")
            .kind("select")
            .options(options(&committees, |c| c.id.to_string(), |c| c.name.clone(), &v("committee_id")), "")
            .errors(&e),
        Field::new(ctx, "record_id", "mtg-field-memo")
            .kind("select")
            .options(options(&memos, |r| r.id.to_string(), |r| format!("{} {}", r.number, r.title), &v("record_id")), "")
            .errors(&e),
    ];
    let errors = refused.summary(&fields.iter().collect::<Vec<_>>());
    render(&ProposePage { ctx, case, memos, committees, earlier, fields, errors })
}

async fn get_propose(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Query(q): Query<CaseQuery>) -> Result<Response> {
    propose_page(&st, &ctx, &s, &q.arende, Refused::none()).await
}

#[derive(Deserialize)]
struct ProposeForm {
    #[serde(default)]
    case_id: String,
    #[serde(default)]
    committee_id: String,
    #[serde(default)]
    record_id: String,
}

async fn post_propose(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<ProposeForm>) -> Result<Response> {
    let done = async {
        let case = Uuid::parse_str(f.case_id.trim()).map_err(|_| Error::NotFound)?;
        let committee = uuid_field(&f.committee_id, "committee_id", "mtg-err-committee")?;
        let record = uuid_field(&f.record_id, "record_id", "mtg-err-no-memo")?;
        service::propose(&st.db, &s, case, committee, record, st.now()).await?;
        Ok(format!("/admin/moten/forslag?arende={case}"))
    }
    .await;
    let values = [("committee_id", &f.committee_id), ("record_id", &f.record_id)];
    form::submit_fields(&ctx, done, |errors| propose_page(&st, &ctx, &s, &f.case_id, Refused::form("propose", errors, values))).await
}

async fn proposal_committee(st: &AppState, s: &StaffUser, id: Uuid) -> Result<Uuid> {
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let p = store::proposal(&mut tx, s.tenant_id, id).await?.ok_or(Error::NotFound)?;
    service::readable_committee(&mut tx, s, p.committee_id, st.now()).await?;
    tx.commit().await?;
    Ok(p.committee_id)
}

#[derive(Deserialize)]
struct AcceptForm {
    #[serde(default)]
    meeting_id: String,
}

async fn post_accept(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<AcceptForm>,
) -> Result<Response> {
    let committee = proposal_committee(&st, &s, id).await?;
    let done = async {
        let meeting = uuid_field(&f.meeting_id, "meeting_id", "mtg-err-meeting")?;
        service::accept(&st.db, &s, id, meeting, st.now()).await?;
        Ok(format!("/admin/moten/mote/{meeting}"))
    }
    .await;
    let form = format!("accept-{id}");
    form::submit_fields(&ctx, done, |errors| {
        committee_page(&st, &ctx, &s, committee, Refused::form(form, errors, [("meeting_id", &f.meeting_id)]))
    })
    .await
}

#[derive(Deserialize)]
struct ReturnForm {
    #[serde(default)]
    comment: String,
}

async fn post_return(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<ReturnForm>,
) -> Result<Response> {
    let committee = proposal_committee(&st, &s, id).await?;
    let done = async {
        service::return_proposal(&st.db, &s, id, &f.comment, st.now()).await?;
        Ok(format!("/admin/moten/organ/{committee}"))
    }
    .await;
    let form = format!("return-{id}");
    form::submit_fields(&ctx, done, |errors| {
        committee_page(&st, &ctx, &s, committee, Refused::form(form, errors, [("comment", &f.comment)]))
    })
    .await
}

// ------------------------------------------------------------------ meeting

#[derive(Template)]
#[template(path = "meetings/meeting.html")]
struct MeetingPage<'a> {
    ctx: &'a Ctx,
    m: Meeting,
    access: Access,
    items: Vec<Item>,
    /// Per item: how many serve and whether there is a quorum.
    quorum: Vec<(Uuid, usize, bool)>,
    members: Vec<Member>,
    attendance: Vec<store::Attendance>,
    adjusters: Vec<store::Adjuster>,
    /// The user's own place among the adjusters who have not yet adjusted.
    may_adjust: bool,
    /// The extracts registered in the cases and whether they are dispatched to the parties.
    extracts: crate::minutes::ExtractsState,
    /// Kommunfullmäktige: the day the meeting was announced on the notice board and whether
    /// that was less than a week before.
    announced: Option<(Date, bool)>,
    /// The notices as issued: version, when, the changes from the version before.
    notices: Vec<(i32, OffsetDateTime, Vec<crate::documents::AgendaChange>)>,
    /// Changes of the agenda since the latest notice, not yet issued in a supplement.
    pending: Vec<crate::documents::AgendaChange>,
    /// Whole days from today to the meeting day (for the supplement's timing).
    days_left: i64,
    /// Kommunfullmäktige: a supplement issued today is less than a week before the meeting.
    kf_late: bool,
    /// Items whose paragraph is adjusted immediately.
    immediate: Vec<Uuid>,
    /// The members ticked present on the attendance form (as recorded, or as posted).
    ticked: Vec<Uuid>,
    /// Per substitute, whom they serve for (the attendance form).
    serves_for: Vec<Field>,
    /// Per member present: their name and the item before which they arrived and left.
    times: Vec<(String, Field, Field)>,
    /// The adjusters chosen when drawing up the minutes.
    adjuster_field: Field,
    /// The new item's kind and title.
    item_fields: Vec<Field>,
    /// The reason a meeting is cancelled.
    reason: Field,
    errors: FormErrors,
}

impl MeetingPage<'_> {
    fn when(&self, at: &OffsetDateTime) -> String {
        when(at)
    }
    fn state(&self) -> String {
        self.ctx.t(&format!("mtg-state-{}", self.m.state))
    }
    fn kind(&self, i: &Item) -> String {
        self.ctx.t(&format!("mtg-item-{}", i.kind))
    }
    fn agenda_open(&self) -> bool {
        self.access.secretary && self.m.state().agenda_open()
    }
    fn is(&self, state: &str) -> bool {
        self.m.state == state
    }
    fn secretary_in(&self, state: &str) -> bool {
        self.access.secretary && self.m.state == state
    }
    fn present(&self, member: &Uuid) -> bool {
        self.attendance.iter().any(|a| a.member_id == *member)
    }
    fn present_members(&self) -> Vec<&Member> {
        self.members.iter().filter(|m| self.present(&m.id)).collect()
    }
    fn agenda_items(&self) -> Vec<&Item> {
        self.items.iter().filter(|i| !i.is_heading()).collect()
    }
    fn quorum_of(&self, item: &Uuid) -> Option<(usize, bool)> {
        self.quorum.iter().find(|(i, ..)| i == item).map(|(_, n, ok)| (*n, *ok))
    }
    fn outcome(&self, i: &Item) -> String {
        i.outcome.as_ref().map(|o| self.ctx.t(&format!("mtg-outcome-{o}"))).unwrap_or_default()
    }
    fn adjusted_at(&self, a: &store::Adjuster) -> String {
        a.adjusted_at.as_ref().map(when).unwrap_or_default()
    }
    fn change_label(&self, c: &crate::documents::AgendaChange) -> String {
        self.ctx.t(&format!("mtg-change-{}", c.change))
    }
    fn cancellable(&self) -> bool {
        self.access.secretary && matches!(self.m.state, ref s if s == "planned" || s == "notice_issued")
    }
}

async fn meeting_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, refused: Refused) -> Result<Response> {
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (m, access) = service::readable_meeting(&mut tx, s, id, st.now()).await?;
    let items = store::items(&mut tx, t, id).await?;
    let c = store::committee(&mut tx, t, m.committee_id).await?.ok_or(Error::NotFound)?;
    let quorum = crate::record::quorum(&mut tx, t, &m, c.seats).await?;
    let members = store::members(&mut tx, t, m.committee_id, radhus_kernel::tz::stockholm(m.starts_at).date()).await?;
    let attendance = store::attendance(&mut tx, t, id).await?;
    let adjusters = store::adjusters(&mut tx, t, store::Signed::Minutes(id)).await?;
    let extracts = crate::minutes::extracts_state(&mut tx, t, id).await?;
    let mut notices = vec![];
    for n in store::notices(&mut tx, t, id).await? {
        let changes = serde_json::from_str(&n.changes).map_err(|e| Error::Internal(format!("notice changes: {e}")))?;
        notices.push((n.version, n.issued_at, changes));
    }
    let pending = if access.secretary { crate::record::pending_changes(&mut tx, t, &m).await? } else { vec![] };
    let immediate = store::immediates(&mut tx, t, id).await?.into_iter().filter(|x| x.adjusted_at.is_some()).map(|x| x.item_id).collect();
    tx.commit().await?;
    let (today, meeting_day) = (radhus_kernel::tz::stockholm(st.now()).date(), radhus_kernel::tz::stockholm(m.starts_at).date());
    let days_left = (meeting_day - today).whole_days();
    let kf_late = c.kind == "kf" && crate::core::announcement_late(today, meeting_day);
    let may_adjust = m.state == "minutes_drafted" && adjusters.iter().any(|a| a.user_id == s.user_id.0 && a.adjusted_at.is_none());
    let announced = m.notice_issued_at.filter(|_| c.kind == "kf").map(|at| {
        let on = radhus_kernel::tz::stockholm(at).date();
        (on, crate::core::announcement_late(on, radhus_kernel::tz::stockholm(m.starts_at).date()))
    });
    let r = &refused;
    let ticked = if r.is("attendance") {
        members.iter().filter(|p| r.value("attendance", &format!("present_{}", p.id)).is_some()).map(|p| p.id).collect()
    } else {
        attendance.iter().map(|a| a.member_id).collect()
    };
    let recorded = |p: &Uuid| attendance.iter().find(|a| a.member_id == *p);
    let id_of = |i: Option<Uuid>| i.map(|i| i.to_string()).unwrap_or_default();
    let seats: Vec<&Member> = members.iter().filter(|p| p.holds_seat()).collect();
    let e = r.errors("attendance");
    let serves_for: Vec<Field> = members
        .iter()
        .filter(|p| !p.holds_seat())
        .map(|p| {
            let name = format!("for_{}", p.id);
            let chosen = r.or("attendance", &name, id_of(recorded(&p.id).and_then(|a| a.serving_for)));
            Field::labelled(ctx, &name, format!("{}: {}", p.name, ctx.t("mtg-serves-for")))
                .id(&format!("for-{}", p.id))
                .kind("select")
                .options(options(&seats, |s| s.id.to_string(), |s| s.name.clone(), &chosen), ctx.t("mtg-serves-for-none"))
                .errors(&e)
        })
        .collect();
    let agenda: Vec<&Item> = items.iter().filter(|i| !i.is_heading()).collect();
    let e = r.errors("times");
    let times = members
        .iter()
        .filter_map(|p| recorded(&p.id).map(|a| (p, a)))
        .map(|(p, a)| {
            let field = |what: &str, label: &str, none: &str, recorded: Option<Uuid>| {
                let name = format!("{what}_{}", p.id);
                let chosen = r.or("times", &name, id_of(recorded));
                Field::new(ctx, &name, label)
                    .id(&format!("{what}-{}", p.id))
                    .kind("select")
                    .options(options(&agenda, |i| i.id.to_string(), |i| i.title.clone(), &chosen), ctx.t(none))
                    .errors(&e)
            };
            let arrived = field("arrived", "mtg-arrived-before", "mtg-from-start", a.arrived_before);
            let left = field("left", "mtg-left-before", "mtg-to-end", a.left_before);
            (p.name.clone(), arrived, left)
        })
        .collect::<Vec<_>>();
    let chosen = r.all("minutes", "adjusters").unwrap_or_default();
    let adjuster_options = members
        .iter()
        .filter(|p| recorded(&p.id).is_some() && p.role != "chair")
        .map(|p| (p.id.to_string(), p.name.clone(), chosen.contains(&p.id.to_string())))
        .collect();
    let adjuster_field =
        Field::new(ctx, "adjusters", "mtg-adjusters").kind("checkboxes").options(adjuster_options, "").errors(&r.errors("minutes"));
    let (e, v) = (r.errors("item"), |n: &str| r.or("item", n, ""));
    let kinds = options(&service::ITEM_KINDS, |k| k.to_string(), |k| ctx.t(&format!("mtg-item-{k}")), &v("kind"));
    let item_fields = vec![
        Field::new(ctx, "kind", "mtg-field-item-kind").id("item-kind").kind("select").options(kinds, "").errors(&e),
        Field::new(ctx, "title", "mtg-field-title").id("item-title").value(v("title")).errors(&e),
    ];
    let reason = Field::new(ctx, "reason", "mtg-field-reason")
        .kind("textarea")
        .rows(2)
        .value(r.or("cancel", "reason", ""))
        .errors(&r.errors("cancel"));
    let mut labelled: Vec<(&Field, String)> = vec![];
    labelled.extend(serves_for.iter().map(|f| (f, f.label.clone())));
    for (name, arrived, left) in &times {
        labelled.extend([arrived, left].map(|f| (f, format!("{name}, {}", f.label.to_lowercase()))));
    }
    labelled.extend([&adjuster_field, &reason].into_iter().chain(&item_fields).map(|f| (f, f.label.clone())));
    let errors = r.summary_labelled(&labelled);
    render(&MeetingPage {
        ctx,
        m,
        access,
        items,
        quorum,
        members,
        attendance,
        adjusters,
        may_adjust,
        extracts,
        announced,
        notices,
        pending,
        days_left,
        kf_late,
        immediate,
        ticked,
        serves_for,
        times,
        adjuster_field,
        item_fields,
        reason,
        errors,
    })
}

async fn get_meeting(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    meeting_page(&st, &ctx, &s, id, Refused::none()).await
}

#[derive(Deserialize)]
struct ItemForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
}

async fn post_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<ItemForm>,
) -> Result<Response> {
    let done = async {
        service::add_item(&st.db, &s, id, &f.kind, &f.title, st.now()).await?;
        Ok(format!("/admin/moten/mote/{id}"))
    }
    .await;
    let values = [("kind", &f.kind), ("title", &f.title)];
    form::submit_fields(&ctx, done, |errors| meeting_page(&st, &ctx, &s, id, Refused::form("item", errors, values))).await
}

#[derive(Deserialize)]
struct CancelForm {
    #[serde(default)]
    reason: String,
}

async fn post_cancel(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<CancelForm>,
) -> Result<Response> {
    let done = async {
        service::cancel(&st.db, &s, id, &f.reason, st.now()).await?;
        Ok(format!("/admin/moten/mote/{id}"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| meeting_page(&st, &ctx, &s, id, Refused::form("cancel", errors, [("reason", &f.reason)])))
        .await
}

// ------------------------------------------------------------------ notice, record, minutes

fn site(st: &AppState, ctx: &Ctx) -> Result<String> {
    let t = ctx.require_tenant()?;
    let host = t.hosts.first().cloned().unwrap_or_default();
    Ok(st.site_url(&host))
}

async fn post_notice(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let done = async {
        crate::record::issue_notice(&st.db, &s, id, &site(&st, &ctx)?, st.now()).await?;
        Ok(format!("/admin/moten/mote/{id}"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| meeting_page(&st, &ctx, &s, id, Refused::whole("notice", errors))).await
}

async fn post_supplement(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let done = async {
        crate::record::issue_supplement(&st.db, &s, id, &site(&st, &ctx)?, st.now()).await?;
        Ok(format!("/admin/moten/mote/{id}"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| meeting_page(&st, &ctx, &s, id, Refused::whole("supplement", errors))).await
}

fn pdf_response(bytes: Vec<u8>, filename: &str) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\""))],
        bytes,
    )
        .into_response()
}

#[derive(Deserialize)]
struct VersionQuery {
    #[serde(default)]
    version: Option<String>,
}

/// The notice as issued last (`?version=n`: that version, 1 the notice, 2 … the supplements).
async fn get_notice_pdf(
    State(st): State<AppState>,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Query(q): Query<VersionQuery>,
) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    service::readable_meeting(&mut tx, &s, id, st.now()).await?;
    let (pdf, name) = match q.version.as_deref().filter(|v| !v.is_empty()) {
        None => (store::notice_pdf(&mut tx, s.tenant_id, id).await?, "kallelse.pdf".to_string()),
        Some(v) => {
            let v: i32 = v.parse().map_err(|_| Error::NotFound)?;
            let name = if v == 1 { "kallelse.pdf".to_string() } else { format!("kompletterande-kallelse-{v}.pdf") };
            (store::notice_version_pdf(&mut tx, s.tenant_id, id, v).await?, name)
        }
    };
    tx.commit().await?;
    Ok(pdf_response(pdf.ok_or(Error::NotFound)?, &name))
}

async fn get_calendar(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let (m, _) = service::readable_meeting(&mut tx, &s, id, st.now()).await?;
    tx.commit().await?;
    let body = crate::record::calendar(&m, &site(&st, &ctx)?, st.now());
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"sammantrade.ics\"")],
        body,
    )
        .into_response())
}

async fn post_held(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let done = async {
        crate::record::mark_held(&st.db, &s, id, st.now()).await?;
        Ok(format!("/admin/moten/mote/{id}"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| meeting_page(&st, &ctx, &s, id, Refused::whole("held", errors))).await
}

/// Checkbox `present_<member>` for everyone present; select `for_<substitute>` naming the
/// absent seat-holder a substitute serves for.
async fn post_attendance(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<std::collections::HashMap<String, String>>,
) -> Result<Response> {
    let done = async {
        let present: Vec<Uuid> = f.keys().filter_map(|k| k.strip_prefix("present_")).filter_map(|k| Uuid::parse_str(k).ok()).collect();
        let mut subs = vec![];
        for (k, v) in &f {
            if let (Some(sub), false) = (k.strip_prefix("for_"), v.is_empty()) {
                let sub = Uuid::parse_str(sub).map_err(|_| Error::invalid(k, "mtg-err-user"))?;
                subs.push((sub, uuid_field(v, k, "mtg-err-user")?));
            }
        }
        crate::record::set_attendance(&st.db, &s, id, &present, &subs, st.now()).await?;
        Ok(format!("/admin/moten/mote/{id}"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| meeting_page(&st, &ctx, &s, id, Refused::form("attendance", errors, f))).await
}

/// Per member present, selects `arrived_<member>` and `left_<member>`: the item before which
/// they arrived or left, empty for from the start or to the end.
async fn post_times(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<std::collections::HashMap<String, String>>,
) -> Result<Response> {
    let done = async {
        let mut times: std::collections::BTreeMap<Uuid, (Option<Uuid>, Option<Uuid>)> = Default::default();
        for (k, v) in &f {
            let (member, left) = match (k.strip_prefix("arrived_"), k.strip_prefix("left_")) {
                (Some(m), _) => (m, false),
                (_, Some(m)) => (m, true),
                _ => continue,
            };
            let member = Uuid::parse_str(member).map_err(|_| Error::invalid(k, "mtg-err-user"))?;
            let item = if v.trim().is_empty() { None } else { Some(uuid_field(v, k, "mtg-err-item-time")?) };
            let e = times.entry(member).or_default();
            if left {
                e.1 = item;
            } else {
                e.0 = item;
            }
        }
        let times: Vec<(Uuid, Option<Uuid>, Option<Uuid>)> = times.into_iter().map(|(m, (a, l))| (m, a, l)).collect();
        crate::record::set_times(&st.db, &s, id, &times, st.now()).await?;
        Ok(format!("/admin/moten/mote/{id}"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| meeting_page(&st, &ctx, &s, id, Refused::form("times", errors, f))).await
}

/// Checkboxes `adjusters`, one value per chosen adjuster (the members' ids).
async fn post_minutes(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<std::collections::BTreeMap<String, serde_json::Value>>,
) -> Result<Response> {
    let adjusters = ticked(&f, "adjusters");
    let done = async {
        let m = {
            let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
            let (m, _) = service::readable_meeting(&mut tx, &s, id, st.now()).await?;
            tx.commit().await?;
            m
        };
        if m.state == "minutes_drafted" {
            crate::minutes::typeset(&st.db, &s, id, st.now()).await?;
        } else {
            crate::minutes::draft(&st.db, &s, id, &adjusters, st.now()).await?;
        }
        Ok(format!("/admin/moten/mote/{id}"))
    }
    .await;
    let chosen: Vec<(&str, String)> = adjusters.iter().map(|a| ("adjusters", a.to_string())).collect();
    form::submit_fields(&ctx, done, |errors| meeting_page(&st, &ctx, &s, id, Refused::form("minutes", errors, chosen))).await
}

async fn get_minutes_pdf(State(st): State<AppState>, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    service::readable_meeting(&mut tx, &s, id, st.now()).await?;
    let pdf = store::minutes_pdf(&mut tx, s.tenant_id, id).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(pdf_response(pdf, "protokoll.pdf"))
}

#[derive(Deserialize)]
struct AdjustForm {
    #[serde(default)]
    sha256: String,
}

/// The one signing step's two forms — adjust (with the SHA-256 shown) and dispatch the
/// extracts — for the minutes (on the meeting page) and for a paragraph's own minutes (on the
/// item's page): back to that page, or that page again with the errors.
async fn signing_form(st: &AppState, ctx: &Ctx, s: &StaffUser, what: Signed, adjust: Option<&str>) -> Result<Response> {
    let done = async {
        match adjust {
            Some(sha256) => crate::signing::adjust(&st.db, s, what, sha256, st.now()).await?,
            None => _ = crate::signing::dispatch(&st.db, s, what, st.now()).await?,
        }
        Ok(match what {
            Signed::Minutes(id) => format!("/admin/moten/mote/{id}"),
            Signed::Paragraph(id) => format!("/admin/moten/punkt/{id}"),
        })
    }
    .await;
    let form = if adjust.is_some() { "adjust" } else { "dispatch" };
    form::submit_fields(ctx, done, async |errors| {
        let refused = Refused::whole(form, errors);
        match what {
            Signed::Minutes(id) => meeting_page(st, ctx, s, id, refused).await,
            Signed::Paragraph(id) => item_page(st, ctx, s, id, refused).await,
        }
    })
    .await
}

async fn post_adjust(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<AdjustForm>,
) -> Result<Response> {
    signing_form(&st, &ctx, &s, Signed::Minutes(id), Some(&f.sha256)).await
}

async fn post_dispatch(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    signing_form(&st, &ctx, &s, Signed::Minutes(id), None).await
}

// ------------------------------------------------------------------ one item at the meeting

#[derive(Template)]
#[template(path = "meetings/item.html")]
struct ItemPage<'a> {
    ctx: &'a Ctx,
    i: Item,
    m: Meeting,
    access: Access,
    /// Members serving on the item (present, not jävig, substitutes for those who are not).
    serving: Vec<Member>,
    /// Per serving substitute, the seat-holder they serve for on the item.
    serves_for: Vec<(Uuid, Uuid)>,
    /// Seat-holders not serving and not replaced, with the substitute the platform proposes.
    proposals: Vec<(Uuid, Option<Uuid>)>,
    /// Jävig on the item (to say why a seat-holder present does not serve).
    out: std::collections::BTreeSet<Uuid>,
    /// The committee's seats and whether those serving make a quorum.
    seats: i64,
    quorum: bool,
    conflicts: Vec<store::MemberText>,
    motions: Vec<store::MemberText>,
    votes: Vec<store::MemberText>,
    reservations: Vec<store::MemberText>,
    members: Vec<Member>,
    /// Its immediate adjustment (omedelbar justering), once begun, with its adjusters.
    immediate: Option<store::Immediate>,
    immediate_adjusters: Vec<store::Adjuster>,
    /// Someone adjusted it immediately: nothing recorded on it changes.
    locked: bool,
    /// Its extract is dispatched to the parties.
    dispatched: bool,
    /// The signed-in user.
    user: Uuid,
    /// Per seat with a proposed substitute, the field that confirms one.
    substitutes: Vec<(Uuid, Field)>,
    /// The forms' fields: the item's title and proposal, the decision, a motion, the vote, a
    /// reservation, jäv, the immediate adjustment's adjusters.
    edit_fields: Vec<Field>,
    decision_fields: Vec<Field>,
    motion_fields: Vec<Field>,
    vote_fields: Vec<Field>,
    reservation_fields: Vec<Field>,
    conflict_fields: Vec<Field>,
    immediate_field: Field,
    errors: FormErrors,
}

impl ItemPage<'_> {
    /// The secretary may start (or start again) the immediate adjustment.
    fn may_prepare(&self) -> bool {
        self.access.secretary && self.m.state == "held" && !self.i.is_heading() && self.i.outcome.is_some() && !self.locked
    }
    /// The user is among the paragraph's adjusters and has not yet adjusted it.
    fn may_adjust(&self) -> bool {
        self.immediate.as_ref().is_some_and(|x| x.adjusted_at.is_none() && x.sha256.is_some())
            && matches!(self.m.state.as_str(), "held" | "minutes_drafted")
            && self.immediate_adjusters.iter().any(|a| a.user_id == self.user && a.adjusted_at.is_none())
    }
    fn adjusted_at(&self, a: &store::Adjuster) -> String {
        a.adjusted_at.as_ref().map(when).unwrap_or_default()
    }
    fn day(&self, d: &Option<Date>) -> String {
        d.as_ref().map(day).unwrap_or_default()
    }
    fn name(&self, id: &Uuid) -> String {
        self.members.iter().find(|m| m.id == *id).map(|m| m.name.clone()).unwrap_or_default()
    }
    fn substitute_field(&self, seat: &Uuid) -> Option<&Field> {
        self.substitutes.iter().find(|(s, _)| s == seat).map(|(_, f)| f)
    }
    fn serving_for_of(&self, sub: &Uuid) -> Option<String> {
        self.serves_for.iter().find(|(s, _)| s == sub).map(|(_, f)| self.name(f))
    }
    /// Why a seat-holder does not serve: jävig, or not there.
    fn why_out(&self, seat: &Uuid) -> String {
        self.ctx.t(if self.out.contains(seat) { "mtg-out-conflict" } else { "mtg-out-absent" })
    }
    fn role(&self, p: &Member) -> String {
        self.ctx.t(&format!("mtg-role-{}", p.role))
    }
    fn open(&self) -> bool {
        self.access.secretary && self.m.state == "held" && !self.i.is_heading() && !self.locked
    }
    /// The secretary may still change or withdraw the item (before the meeting).
    fn editable(&self) -> bool {
        self.access.secretary && self.m.state().agenda_open()
    }
    fn choice(&self, c: &str) -> String {
        self.ctx.t(&format!("mtg-choice-{c}"))
    }
    fn outcome_label(&self, o: &str) -> String {
        self.ctx.t(&format!("mtg-outcome-{o}"))
    }
}

async fn item_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, refused: Refused) -> Result<Response> {
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let i = store::item(&mut tx, t, id).await?.ok_or(Error::NotFound)?;
    let (m, access) = service::readable_meeting(&mut tx, s, i.meeting_id, st.now()).await?;
    let sv = crate::record::Serving::load(&mut tx, t, &m).await?;
    let seats = store::committee(&mut tx, t, m.committee_id).await?.ok_or(Error::NotFound)?.seats;
    let all_conflicts = store::conflicts(&mut tx, t, m.id).await?;
    let motions = store::motions(&mut tx, t, m.id).await?.into_iter().filter(|x| x.item_id == id).collect();
    let votes: Vec<store::MemberText> = store::votes(&mut tx, t, m.id).await?.into_iter().filter(|x| x.item_id == id).collect();
    let reservations = store::reservations(&mut tx, t, m.id).await?.into_iter().filter(|x| x.item_id == id).collect();
    let immediate = store::immediate(&mut tx, t, id).await?;
    let immediate_adjusters = store::adjusters(&mut tx, t, store::Signed::Paragraph(id)).await?;
    let locked = store::locked_items(&mut tx, t, m.id).await?.contains(&id);
    let dispatched = match i.extract_record_id {
        Some(r) => radhus_cases::store::record(&mut tx, t, r).await?.is_some_and(|r| r.dispatched_at.is_some()),
        None => false,
    };
    tx.commit().await?;
    let conflicts: Vec<store::MemberText> = all_conflicts.into_iter().filter(|x| x.item_id == id).collect();
    let there = sv.there_at(&id);
    let out = sv.conflicts_on(&id);
    let on_item = sv.on_item(&id);
    let serving: Vec<Member> = sv.members.iter().filter(|p| on_item.contains(&p.id)).cloned().collect();
    let at_meeting: Vec<Member> = sv.members.iter().filter(|p| there.contains(&p.id)).cloned().collect();
    let serves_for = serving.iter().filter_map(|p| sv.serves_for(&id, &p.id).map(|f| (p.id, f))).collect();
    let proposals = if i.is_heading() { vec![] } else { sv.proposals(&id) };
    let avail = sv.available_substitutes(&id);
    let available: Vec<Member> = sv.members.iter().filter(|p| avail.contains(&p.id)).cloned().collect();
    let quorum = crate::core::has_quorum(seats, on_item.len());
    let r = &refused;
    let name_of = |id: &Uuid| sv.members.iter().find(|p| p.id == *id).map(|p| p.name.clone()).unwrap_or_default();
    let member_options = |list: &[Member], chosen: &str| options(list, |p| p.id.to_string(), |p| p.name.clone(), chosen);
    let substitutes: Vec<(Uuid, Field)> = proposals
        .iter()
        .filter_map(|(seat, proposed)| proposed.map(|p| (*seat, p)))
        .map(|(seat, proposed)| {
            let form = format!("sub-{seat}");
            let chosen = r.or(&form, "substitute_id", proposed.to_string());
            let f = Field::labelled(ctx, "substitute_id", format!("{} {}", ctx.t("mtg-substitute-for"), name_of(&seat)))
                .id(&format!("sub-{seat}"))
                .kind("select")
                .options(member_options(&available, &chosen), "")
                .errors(&r.errors(&form));
            (seat, f)
        })
        .collect();
    let (e, v) = (r.errors("edit"), |n: &str, shown: &str| r.or("edit", n, shown));
    let edit_fields = vec![
        Field::new(ctx, "title", "mtg-field-title").id("edit-title").value(v("title", &i.title)).errors(&e),
        Field::new(ctx, "proposal", "mtg-field-proposal")
            .id("edit-proposal")
            .kind("textarea")
            .rows(4)
            .optional()
            .value(v("proposal", &i.proposal))
            .errors(&e),
    ];
    let (e, v) = (r.errors("decision"), |n: &str, shown: &str| r.or("decision", n, shown));
    let outcomes = options(
        &service::OUTCOMES,
        |o| o.to_string(),
        |o| ctx.t(&format!("mtg-outcome-{o}")),
        &v("outcome", i.outcome.as_deref().unwrap_or_default()),
    );
    let decision_fields = vec![
        Field::new(ctx, "outcome", "mtg-outcome").kind("select").options(outcomes, "").errors(&e),
        Field::new(ctx, "decision", "mtg-decision")
            .kind("textarea")
            .rows(4)
            .hint(ctx.t("mtg-decision-hint"))
            .value(v("decision", &i.decision))
            .errors(&e),
    ];
    let (e, v) = (r.errors("motion"), |n: &str| r.or("motion", n, ""));
    let motion_fields = vec![
        Field::new(ctx, "member_id", "mtg-member")
            .id("motion-member")
            .kind("select")
            .options(member_options(&serving, &v("member_id")), "")
            .errors(&e),
        Field::new(ctx, "text", "mtg-motion-text").id("motion-text").value(v("text")).errors(&e),
    ];
    let e = r.errors("vote");
    let vote_fields = serving
        .iter()
        .map(|p| {
            let name = format!("vote_{}", p.id);
            let given = votes.iter().find(|x| x.member_id == p.id).map(|x| x.text.clone()).unwrap_or_default();
            let chosen = r.or("vote", &name, given);
            let choices = options(&["yes", "no", "abstain"], |c| c.to_string(), |c| ctx.t(&format!("mtg-choice-{c}")), &chosen);
            Field::labelled(ctx, &name, p.name.clone())
                .id(&format!("vote-{}", p.id))
                .kind("select")
                .options(choices, ctx.t("mtg-choice-none"))
                .errors(&e)
        })
        .collect();
    let (e, v) = (r.errors("reservation"), |n: &str| r.or("reservation", n, ""));
    let reservation_fields = vec![
        Field::new(ctx, "member_id", "mtg-member")
            .id("res-member")
            .kind("select")
            .options(member_options(&serving, &v("member_id")), "")
            .errors(&e),
        Field::new(ctx, "text", "mtg-reservation-text").id("res-text").optional().value(v("text")).errors(&e),
    ];
    let (e, v) = (r.errors("conflict"), |n: &str| r.or("conflict", n, ""));
    let conflict_fields = vec![
        Field::new(ctx, "member_id", "mtg-member")
            .id("jav-member")
            .kind("select")
            .options(member_options(&at_meeting, &v("member_id")), "")
            .errors(&e),
        Field::new(ctx, "text", "mtg-field-reason").id("jav-text").value(v("text")).errors(&e),
    ];
    let chosen = r.all("immediate", "adjusters").unwrap_or_default();
    let adjuster_options = at_meeting
        .iter()
        .filter(|p| p.role != "chair")
        .map(|p| (p.id.to_string(), p.name.clone(), chosen.contains(&p.id.to_string())))
        .collect();
    let immediate_field = Field::new(ctx, "adjusters", "mtg-adjusters")
        .id("imm-adjusters")
        .kind("checkboxes")
        .options(adjuster_options, "")
        .errors(&r.errors("immediate"));
    let mut all: Vec<&Field> = substitutes.iter().map(|(_, f)| f).collect();
    all.extend(edit_fields.iter().chain(&decision_fields).chain(&motion_fields).chain(&vote_fields));
    all.extend(reservation_fields.iter().chain(&conflict_fields).chain([&immediate_field]));
    let errors = r.summary(&all);
    render(&ItemPage {
        ctx,
        i,
        m,
        access,
        serving,
        serves_for,
        proposals,
        out,
        seats,
        quorum,
        conflicts,
        motions,
        votes,
        reservations,
        members: sv.members,
        immediate,
        immediate_adjusters,
        locked,
        dispatched,
        user: s.user_id.0,
        substitutes,
        edit_fields,
        decision_fields,
        motion_fields,
        vote_fields,
        reservation_fields,
        conflict_fields,
        immediate_field,
        errors,
    })
}

async fn get_item(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    item_page(&st, &ctx, &s, id, Refused::none()).await
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    decision: String,
}

async fn post_decision(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<DecisionForm>,
) -> Result<Response> {
    let done = async {
        crate::record::decide(&st.db, &s, id, &f.outcome, &f.decision, st.now()).await?;
        Ok(format!("/admin/moten/punkt/{id}"))
    }
    .await;
    let values = [("outcome", &f.outcome), ("decision", &f.decision)];
    form::submit_fields(&ctx, done, |errors| item_page(&st, &ctx, &s, id, Refused::form("decision", errors, values))).await
}

/// Checkboxes `adjusters`, one value per chosen adjuster of the paragraph (the members' ids).
async fn post_immediate(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<std::collections::BTreeMap<String, serde_json::Value>>,
) -> Result<Response> {
    let adjusters = ticked(&f, "adjusters");
    let done = async {
        crate::immediate::prepare(&st.db, &s, id, &adjusters, st.now()).await?;
        Ok(format!("/admin/moten/punkt/{id}"))
    }
    .await;
    let chosen: Vec<(&str, String)> = adjusters.iter().map(|a| ("adjusters", a.to_string())).collect();
    form::submit_fields(&ctx, done, |errors| item_page(&st, &ctx, &s, id, Refused::form("immediate", errors, chosen))).await
}

async fn get_immediate_pdf(State(st): State<AppState>, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let i = store::item(&mut tx, s.tenant_id, id).await?.ok_or(Error::NotFound)?;
    service::readable_meeting(&mut tx, &s, i.meeting_id, st.now()).await?;
    let pdf = store::immediate_pdf(&mut tx, s.tenant_id, id).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(pdf_response(pdf, "protokoll-omedelbar-justering.pdf"))
}

async fn post_immediate_adjust(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<AdjustForm>,
) -> Result<Response> {
    signing_form(&st, &ctx, &s, Signed::Paragraph(id), Some(&f.sha256)).await
}

async fn post_immediate_dispatch(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    signing_form(&st, &ctx, &s, Signed::Paragraph(id), None).await
}

#[derive(Deserialize)]
struct EditItemForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    proposal: String,
}

async fn post_edit_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<EditItemForm>,
) -> Result<Response> {
    let done = async {
        service::edit_item(&st.db, &s, id, &f.title, &f.proposal, st.now()).await?;
        Ok(format!("/admin/moten/punkt/{id}"))
    }
    .await;
    let values = [("title", &f.title), ("proposal", &f.proposal)];
    form::submit_fields(&ctx, done, |errors| item_page(&st, &ctx, &s, id, Refused::form("edit", errors, values))).await
}

async fn post_withdraw_item(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let done = async {
        let meeting = {
            let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
            let i = store::item(&mut tx, s.tenant_id, id).await?.ok_or(Error::NotFound)?;
            tx.commit().await?;
            i.meeting_id
        };
        service::withdraw_item(&st.db, &s, id, st.now()).await?;
        Ok(format!("/admin/moten/mote/{meeting}"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| item_page(&st, &ctx, &s, id, Refused::whole("withdraw", errors))).await
}

#[derive(Deserialize)]
struct MemberTextForm {
    #[serde(default)]
    member_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
}

async fn post_conflict(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<MemberTextForm>,
) -> Result<Response> {
    let done = async {
        let member = uuid_field(&f.member_id, "member_id", "mtg-err-user")?;
        crate::record::add_conflict(&st.db, &s, id, member, &f.text, st.now()).await?;
        Ok(format!("/admin/moten/punkt/{id}"))
    }
    .await;
    let values = [("member_id", &f.member_id), ("text", &f.text)];
    form::submit_fields(&ctx, done, |errors| item_page(&st, &ctx, &s, id, Refused::form("conflict", errors, values))).await
}

#[derive(Deserialize)]
struct SubstituteForm {
    #[serde(default)]
    serving_for: String,
    #[serde(default)]
    substitute_id: String,
}

/// The secretary confirms a substitute (the one proposed, or another available) for a seat.
async fn post_substitute(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<SubstituteForm>,
) -> Result<Response> {
    let done = async {
        let seat = uuid_field(&f.serving_for, "serving_for", "mtg-err-user")?;
        let sub = uuid_field(&f.substitute_id, "substitute_id", "mtg-err-user")?;
        crate::record::confirm_substitute(&st.db, &s, id, seat, sub, st.now()).await?;
        Ok(format!("/admin/moten/punkt/{id}"))
    }
    .await;
    let form = format!("sub-{}", f.serving_for.trim());
    form::submit_fields(&ctx, done, |errors| {
        item_page(&st, &ctx, &s, id, Refused::form(form, errors, [("substitute_id", &f.substitute_id)]))
    })
    .await
}

async fn post_member_text(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<MemberTextForm>,
) -> Result<Response> {
    let done = async {
        let member = uuid_field(&f.member_id, "member_id", "mtg-err-user")?;
        crate::record::add_member_text(&st.db, &s, id, member, &f.kind, &f.text, st.now()).await?;
        Ok(format!("/admin/moten/punkt/{id}"))
    }
    .await;
    // The motion's and the reservation's forms post the same fields; the kind tells them apart.
    let form = if f.kind == "reservation" { "reservation" } else { "motion" };
    let values = [("member_id", &f.member_id), ("text", &f.text)];
    form::submit_fields(&ctx, done, |errors| item_page(&st, &ctx, &s, id, Refused::form(form, errors, values))).await
}

/// Select `vote_<member>` = yes, no, abstain or empty (did not vote: absent from the vote).
async fn post_vote(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<std::collections::HashMap<String, String>>,
) -> Result<Response> {
    let done = async {
        let mut votes = vec![];
        for (k, v) in &f {
            let Some(member) = k.strip_prefix("vote_") else { continue };
            if v.is_empty() {
                continue;
            }
            let member = Uuid::parse_str(member).map_err(|_| Error::invalid(k, "mtg-err-user"))?;
            let choice = crate::core::Choice::parse(v).ok_or_else(|| Error::invalid(k, "mtg-err-choice"))?;
            votes.push((member, choice));
        }
        crate::record::vote(&st.db, &s, id, &votes, st.now()).await?;
        Ok(format!("/admin/moten/punkt/{id}"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| item_page(&st, &ctx, &s, id, Refused::form("vote", errors, f))).await
}

// ------------------------------------------------------------------ the public notice board

pub struct Posting {
    pub m: Meeting,
    pub range: String,
    pub current: bool,
    pub posted_on: Option<Date>,
    pub appeal_until: Option<Date>,
    /// One paragraph adjusted immediately, posted before the whole minutes.
    pub immediate: bool,
    /// That the minutes were corrected after the posting (`corrections::board_note`), or "".
    pub correction: String,
}

#[derive(Template)]
#[template(path = "meetings/notice_board.html")]
struct NoticeBoardPage<'a> {
    ctx: &'a Ctx,
    /// Kommunfullmäktige's coming meetings, announced (KL 5 kap.).
    announced: Vec<Meeting>,
    current: Vec<Posting>,
    history: Vec<Posting>,
    kept_at: String,
}

impl NoticeBoardPage<'_> {
    fn day(&self, d: &Option<Date>) -> String {
        d.as_ref().map(day).unwrap_or_default()
    }
    fn when(&self, at: &OffsetDateTime) -> String {
        when(at)
    }
}

/// The municipality's official notice board: announcements that minutes are adjusted, with
/// the posting date and the last day to appeal; taken down after the appeal period, kept in
/// the history below. Anyone may read it; it shows no names of private persons nor titles.
async fn get_notice_board(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    let tenant = ctx.require_tenant()?;
    let t = tenant.id;
    let today = radhus_kernel::tz::stockholm(st.now()).date();
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let posted = store::posted(&mut tx, t).await?;
    let announced = store::announced_kf(&mut tx, t, st.now()).await?;
    let mut all = vec![];
    for m in posted {
        let range = posted_range(&mut tx, t, &m).await?;
        let correction = crate::corrections::board_note(&mut tx, t, &m).await?;
        let current = m.posted_on.is_some_and(|p| !crate::core::appeal_ended(p, today));
        all.push(Posting { posted_on: m.posted_on, appeal_until: m.appeal_until, m, range, current, immediate: false, correction });
    }
    for x in store::posted_immediates(&mut tx, t).await? {
        let m = store::meeting(&mut tx, t, x.meeting_id).await?.ok_or(Error::NotFound)?;
        let no = store::item(&mut tx, t, x.item_id).await?.and_then(|i| i.paragraph).unwrap_or_default();
        let current = x.posted_on.is_some_and(|p| !crate::core::appeal_ended(p, today));
        let range = format!("{} § {no}", m.committee_code);
        all.push(Posting {
            posted_on: x.posted_on,
            appeal_until: x.appeal_until,
            m,
            range,
            current,
            immediate: true,
            correction: String::new(),
        });
    }
    tx.commit().await?;
    let (current, history) = all.into_iter().partition(|p| p.current);
    render(&NoticeBoardPage { ctx: &ctx, announced, current, history, kept_at: kept_at(tenant) })
}

/// Where the minutes are kept, as the notice board says it.
fn kept_at(tenant: &radhus_platform::tenancy::Tenant) -> String {
    if tenant.address.is_empty() { tenant.name.clone() } else { format!("{}, {}", tenant.name, tenant.address) }
}

/// The paragraphs of posted minutes: "KS §§ 1–12".
async fn posted_range(tx: &mut radhus_platform::db::Tx, t: radhus_kernel::ids::TenantId, m: &Meeting) -> Result<String> {
    let numbers: Vec<i32> = store::items(tx, t, m.id).await?.iter().filter_map(|i| i.paragraph).collect();
    Ok(match (numbers.iter().min(), numbers.iter().max()) {
        (Some(a), Some(b)) if a != b => format!("{} §§ {a}–{b}", m.committee_code),
        (Some(a), _) => format!("{} § {a}", m.committee_code),
        _ => String::new(),
    })
}

/// The announcement that the minutes are adjusted as PDF/A (the municipality's `anslag`
/// template), for the physical board and the archive: typeset after the reading transaction,
/// nothing stored. "Not found" for minutes not posted.
async fn get_board_pdf(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let tenant = ctx.require_tenant()?;
    let t = tenant.id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let m = store::meeting(&mut tx, t, id).await?.filter(|m| m.posted_on.is_some()).ok_or(Error::NotFound)?;
    let day = |d: Option<Date>| d.map(radhus_kernel::lang::swedish_date).unwrap_or_default();
    let data = crate::documents::BoardData {
        municipality: tenant.name.clone(),
        committee: m.committee_name.clone(),
        code: m.committee_code.clone(),
        when: when(&m.starts_at),
        range: posted_range(&mut tx, t, &m).await?,
        adjusted: day(m.adjusted_at.map(|a| radhus_kernel::tz::stockholm(a).date())),
        posted: day(m.posted_on),
        appeal_until: day(m.appeal_until),
        kept_at: kept_at(tenant),
        correction: crate::corrections::board_note(&mut tx, t, &m).await?,
    };
    tx.commit().await?;
    let pdf = crate::documents::typeset(&st.db, t, crate::documents::Doc::Board, &data, st.now()).await?;
    Ok(crate::corrections::pdf_response(pdf, "tillkannagivande.pdf"))
}
