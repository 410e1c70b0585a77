//! The public meeting pages (`/moten` on the municipality's host, issue 13 item 11): the
//! committees, upcoming meetings with their agendas once the notice is issued, held meetings
//! with their adjusted minutes (the public version), a search over what is published, and
//! per committee an Atom feed and an iCalendar subscription.
//!
//! Everything here goes through [`crate::masking`]: secret items never appear, private persons'
//! names and identity numbers are masked. The reading functions are shared with the OParl API
//! (`crate::oparl`).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use radhus_kernel::ical::{CalEvent, When};
use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::search;
use radhus_platform::web::form::{PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes, escape};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::core::{Choice, MeetingState, when};
use crate::masking;
use crate::record::Serving;
use crate::store::{self, Committee, Item, Meeting};

pub fn routes() -> Routes {
    Routes::new()
        .get("/moten", get_index)
        .get("/moten/organ/{id}", get_committee)
        .get("/moten/organ/{id}/moten.atom", get_atom)
        .get("/moten/organ/{id}/moten.ics", get_ics)
        .get("/moten/mote/{id}", get_meeting)
        .get("/moten/mote/{id}/protokoll.pdf", get_minutes_pdf)
        .get("/moten/mote/{id}/kallelse.pdf", get_agenda_pdf)
}

/// At most this many hits of a search are shown.
pub const MAX_HITS: usize = 50;

// ------------------------------------------------------------------ what is published

/// A meeting is public once its notice is issued (a meeting cancelled before stays unknown).
pub fn is_published(m: &Meeting) -> bool {
    m.notice_issued_at.is_some()
}

/// Its minutes are public once adjusted.
pub fn minutes_published(m: &Meeting) -> bool {
    matches!(m.state(), MeetingState::Adjusted | MeetingState::Posted | MeetingState::AppealEnded)
}

/// The municipality's committees.
pub async fn committees(tx: &mut Tx, t: TenantId) -> Result<Vec<Committee>> {
    store::committees(tx, t).await
}

/// A committee, or "not found".
pub async fn committee(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Committee> {
    store::committee(tx, t, id).await?.ok_or(Error::NotFound)
}

/// The published meetings of a committee, newest first.
pub async fn meetings_of(tx: &mut Tx, t: TenantId, committee: Uuid) -> Result<Vec<Meeting>> {
    Ok(store::meetings_of(tx, t, committee).await?.into_iter().filter(is_published).collect())
}

/// Every published meeting of the municipality, newest first.
pub async fn meetings(tx: &mut Tx, t: TenantId) -> Result<Vec<Meeting>> {
    let mut all = vec![];
    for c in store::committees(tx, t).await? {
        all.extend(meetings_of(tx, t, c.id).await?);
    }
    all.sort_by_key(|m| std::cmp::Reverse(m.starts_at));
    Ok(all)
}

/// A published meeting, or "not found" (also for one whose notice is not issued).
pub async fn meeting(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Meeting> {
    store::meeting(tx, t, id).await?.filter(is_published).ok_or(Error::NotFound)
}

/// The meeting's items as the public may see them: secret items left out, the rest masked.
/// Before the meeting, the agenda is the latest issued notice's (the notice or the last
/// supplementary notice): changes the secretary has made since are not public until a
/// supplementary notice issues them (an item taken off the agenda is gone at once).
pub async fn items(tx: &mut Tx, t: TenantId, m: &Meeting) -> Result<Vec<Item>> {
    let issued = match m.state() {
        MeetingState::NoticeIssued => crate::record::current_notice(tx, t, m.id).await?.map(|(_, d)| d.items),
        _ => None,
    };
    // Snapshots frozen before items carried their ids cannot be matched: the agenda as it is.
    let issued = issued.filter(|items| items.iter().all(|i| i.id.is_some()));
    let mut out = vec![];
    for i in store::items(tx, t, m.id).await? {
        let i = match &issued {
            None => i,
            Some(snapshot) => match snapshot.iter().find(|x| x.id == Some(i.id)) {
                Some(x) => Item { title: x.title.clone(), proposal: x.proposal.clone(), ..i },
                None => continue,
            },
        };
        if let Some(p) = masking::public_item(tx, t, &i).await? {
            out.push(p);
        }
    }
    Ok(out)
}

/// One published item with its meeting, or "not found" (unknown, unpublished or secret).
pub async fn item(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<(Meeting, Item)> {
    let i = store::item(tx, t, id).await?.ok_or(Error::NotFound)?;
    let m = meeting(tx, t, i.meeting_id).await?;
    let p = masking::public_item(tx, t, &i).await?.ok_or(Error::NotFound)?;
    Ok((m, p))
}

/// A paragraph of adjusted minutes as the public sees it.
#[derive(Debug, Clone)]
pub struct PublicParagraph {
    pub item: Item,
    pub motions: Vec<String>,
    pub conflicts: Vec<String>,
    /// (member, choice in Swedish)
    pub votes: Vec<(String, String)>,
    pub tally: String,
    pub reservations: Vec<String>,
    /// The last day to appeal this paragraph: the whole minutes' (three weeks from the posting
    /// of the adjusted minutes), or, for a paragraph adjusted immediately, its own posting's.
    pub appeal_until: Option<time::Date>,
    /// Adjusted immediately (omedelbar justering): posted on this day, before the minutes.
    pub immediate_posted_on: Option<time::Date>,
}

fn choice_sv(c: &str) -> &'static str {
    match Choice::parse(c) {
        Some(Choice::Yes) => "Ja",
        Some(Choice::No) => "Nej",
        Some(Choice::Abstain) => "Avstår",
        None => "",
    }
}

/// The adjusted minutes' paragraphs (empty before adjustment), secret items left out, the
/// members' motions, votes and reservations with their names (elected representatives acting
/// in office) and private persons masked in their texts.
pub async fn paragraphs(tx: &mut Tx, t: TenantId, m: &Meeting) -> Result<Vec<PublicParagraph>> {
    if !minutes_published(m) {
        return Ok(vec![]);
    }
    let sv = Serving::load(tx, t, m).await?;
    let (motions, conflicts, votes, reservations) = (
        store::motions(tx, t, m.id).await?,
        store::conflicts(tx, t, m.id).await?,
        store::votes(tx, t, m.id).await?,
        store::reservations(tx, t, m.id).await?,
    );
    let immediates = store::immediates(tx, t, m.id).await?;
    let mut out = vec![];
    for i in store::items(tx, t, m.id).await? {
        let immediate = immediates.iter().find(|x| x.item_id == i.id && x.adjusted_at.is_some());
        let masking::Publication::Masked { names, public_title } = masking::publication(tx, t, &i).await? else {
            continue;
        };
        let party = |id: Uuid| sv.members.iter().find(|x| x.id == id).map(|x| format!(" ({})", x.party)).unwrap_or_default();
        let texts = |rows: &[store::MemberText]| -> Vec<String> {
            rows.iter()
                .filter(|r| r.item_id == i.id)
                .map(|r| format!("{}{}: {}", sv.name(r.member_id), party(r.member_id), masking::mask(&r.text, &names)))
                .collect()
        };
        let item_votes: Vec<&store::MemberText> = votes.iter().filter(|v| v.item_id == i.id).collect();
        let tally = if item_votes.is_empty() {
            String::new()
        } else {
            let count = |c: Choice| item_votes.iter().filter(|v| Choice::parse(&v.text) == Some(c)).count();
            format!("{} ja, {} nej, {} avstår", count(Choice::Yes), count(Choice::No), count(Choice::Abstain))
        };
        out.push(PublicParagraph {
            item: masking::masked_item(&i, &names, public_title.as_deref()),
            motions: texts(&motions),
            conflicts: conflicts.iter().filter(|r| r.item_id == i.id).map(|r| sv.name(r.member_id)).collect(),
            votes: item_votes
                .iter()
                .map(|v| (format!("{}{}", sv.name(v.member_id), party(v.member_id)), choice_sv(&v.text).to_string()))
                .collect(),
            tally,
            reservations: texts(&reservations),
            appeal_until: immediate.and_then(|x| x.appeal_until).or(m.appeal_until),
            immediate_posted_on: immediate.and_then(|x| x.posted_on),
        });
    }
    Ok(out)
}

/// A search hit: a published item and its meeting.
#[derive(Debug, Clone)]
pub struct Hit {
    pub meeting: Meeting,
    pub item: Item,
}

/// Searches the published items (title, proposal, decision, committee) with the platform's
/// Swedish stemming (`radhus_platform::search`, as the public diary): every word must occur.
/// Markup in the query is only text; an empty query finds nothing.
pub async fn search_items(tx: &mut Tx, t: TenantId, query: &str) -> Result<Vec<Hit>> {
    let terms = search::query_terms(query);
    if terms.is_empty() {
        return Ok(vec![]);
    }
    let mut hits = vec![];
    for m in meetings(tx, t).await? {
        for i in items(tx, t, &m).await? {
            if i.is_heading() {
                continue;
            }
            let text = search::stem_text(&format!("{} {} {} {} {}", i.title, i.proposal, i.decision, i.case_number, m.committee_name));
            let words: Vec<&str> = text.split_whitespace().collect();
            if terms.iter().all(|term| words.iter().any(|w| w.starts_with(term.as_str()))) {
                hits.push(Hit { meeting: m.clone(), item: i });
                if hits.len() >= MAX_HITS {
                    return Ok(hits);
                }
            }
        }
    }
    Ok(hits)
}

// ------------------------------------------------------------------ pages

pub fn outcome_key(o: &Option<String>) -> String {
    format!("mtg-outcome-{}", o.as_deref().unwrap_or("none"))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    pub q: Option<String>,
}

#[derive(Template)]
#[template(path = "meetings/public_index.html")]
struct IndexPage<'a> {
    ctx: &'a Ctx,
    q: String,
    searched: bool,
    hits: Vec<Hit>,
    committees: Vec<Committee>,
    upcoming: Vec<Meeting>,
    held: Vec<Meeting>,
}

impl IndexPage<'_> {
    fn when(&self, at: &OffsetDateTime) -> String {
        when(at)
    }
}

async fn get_index(State(st): State<AppState>, ctx: Ctx, Query(q): Query<SearchQuery>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let text = q.q.unwrap_or_default();
    let text = text.trim().chars().take(200).collect::<String>();
    let now = st.now();
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let committees = committees(&mut tx, t).await?;
    let all = meetings(&mut tx, t).await?;
    let hits = if text.is_empty() { vec![] } else { search_items(&mut tx, t, &text).await? };
    tx.commit().await?;
    let mut upcoming: Vec<Meeting> =
        all.iter().filter(|m| m.starts_at >= now - Duration::hours(12) && !minutes_published(m)).cloned().collect();
    upcoming.reverse();
    let held = all.into_iter().filter(minutes_published).collect();
    render(&IndexPage { ctx: &ctx, searched: !text.is_empty(), q: text, hits, committees, upcoming, held })
}

#[derive(Template)]
#[template(path = "meetings/public_committee.html")]
struct CommitteePage<'a> {
    ctx: &'a Ctx,
    c: Committee,
    meetings: Vec<Meeting>,
    atom: String,
    ics: String,
}

impl CommitteePage<'_> {
    fn when(&self, at: &OffsetDateTime) -> String {
        when(at)
    }
    fn published(&self, m: &Meeting) -> bool {
        minutes_published(m)
    }
}

fn site(st: &AppState, ctx: &Ctx) -> Result<String> {
    let t = ctx.require_tenant()?;
    Ok(st.site_url(&t.hosts.first().cloned().unwrap_or_default()))
}

async fn get_committee(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let c = committee(&mut tx, t, id).await?;
    let meetings = meetings_of(&mut tx, t, id).await?;
    tx.commit().await?;
    let base = site(&st, &ctx)?;
    let atom = format!("{base}/moten/organ/{id}/moten.atom");
    let ics = format!("{base}/moten/organ/{id}/moten.ics");
    render(&CommitteePage { ctx: &ctx, c, meetings, atom, ics })
}

#[derive(Template)]
#[template(path = "meetings/public_meeting.html")]
struct MeetingPage<'a> {
    ctx: &'a Ctx,
    m: Meeting,
    items: Vec<Item>,
    paragraphs: Vec<PublicParagraph>,
    minutes: bool,
    /// The supplementary notices (version ≥ 2): when, and how many items were added, withdrawn
    /// and changed (counts only: a withdrawn item's title may not be public).
    supplements: Vec<PublicSupplement>,
    /// Corrections of the adjusted minutes: version, when, the paragraph's item (not the reason,
    /// which is for staff).
    corrections: Vec<(i32, OffsetDateTime, Uuid)>,
}

/// A supplementary notice as the public sees it.
pub struct PublicSupplement {
    pub issued_at: OffsetDateTime,
    pub added: usize,
    pub withdrawn: usize,
    pub changed: usize,
    /// The items it added or changed (`added`/`changed`), to mark them on the agenda.
    pub items: Vec<(Uuid, String)>,
}

/// The supplementary notices of a meeting, oldest first.
pub async fn supplements(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Vec<PublicSupplement>> {
    let mut out = vec![];
    for n in store::notices(tx, t, meeting).await?.into_iter().filter(|n| n.version > 1) {
        let changes: Vec<crate::documents::AgendaChange> =
            serde_json::from_str(&n.changes).map_err(|e| Error::Internal(format!("notice changes: {e}")))?;
        let count = |k: &str| changes.iter().filter(|c| c.change == k).count();
        out.push(PublicSupplement {
            issued_at: n.issued_at,
            added: count("added"),
            withdrawn: count("withdrawn"),
            changed: count("changed"),
            items: changes.iter().filter(|c| c.change != "withdrawn").filter_map(|c| c.item.map(|i| (i, c.change.clone()))).collect(),
        });
    }
    Ok(out)
}

impl MeetingPage<'_> {
    /// How the latest supplementary notice that touched the item marks it (`added`, `changed`).
    fn mark(&self, item: &Uuid) -> Option<String> {
        self.supplements.iter().rev().find_map(|s| s.items.iter().find(|(i, _)| i == item).map(|(_, c)| c.clone()))
    }
    fn when(&self, at: &OffsetDateTime) -> String {
        when(at)
    }
    fn day(&self, d: &Option<time::Date>) -> String {
        d.as_ref().map(crate::core::day).unwrap_or_default()
    }
    fn outcome(&self, o: &Option<String>) -> String {
        self.ctx.t(&outcome_key(o))
    }
    fn state_label(&self) -> String {
        self.ctx.t(&format!("mtg-state-{}", self.m.state))
    }
    fn kind(&self, k: &str) -> String {
        self.ctx.t(&format!("mtg-item-{k}"))
    }
    /// When the paragraph was last corrected, if it was.
    fn corrected(&self, item: &Uuid) -> Option<String> {
        self.corrections.iter().rev().find(|(_, _, i)| i == item).map(|(_, at, _)| when(at))
    }
}

async fn get_meeting(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let m = meeting(&mut tx, t, id).await?;
    let items = items(&mut tx, t, &m).await?;
    let paragraphs = paragraphs(&mut tx, t, &m).await?;
    let supplements = supplements(&mut tx, t, m.id).await?;
    let minutes = minutes_published(&m);
    // Only corrections of paragraphs the public sees are mentioned (a secret one's is not).
    let corrections = if minutes {
        crate::corrections::versions(&mut tx, t, m.id)
            .await?
            .into_iter()
            .filter(|v| paragraphs.iter().any(|p| p.item.id == v.item_id))
            .map(|v| (v.version, v.corrected_at, v.item_id))
            .collect()
    } else {
        vec![]
    };
    tx.commit().await?;
    render(&MeetingPage { ctx: &ctx, m, items, paragraphs, minutes, supplements, corrections })
}

/// The minutes as the public may read them, the data of the public PDF/A: secret paragraphs
/// left out, private persons' names and identity numbers masked in every text (titles,
/// decisions, motions, jäv, reservations), the current version's texts, and a line saying
/// when they were last corrected. "Not found" before the minutes are adjusted.
pub async fn public_minutes_data(tx: &mut Tx, t: TenantId, m: &Meeting) -> Result<crate::documents::MinutesData> {
    if !minutes_published(m) {
        return Err(Error::NotFound);
    }
    let mut d = crate::minutes::minutes_data(tx, t, m).await?;
    let items = store::items(tx, t, m.id).await?;
    let (mut out, mut visible) = (vec![], vec![]);
    for (i, p) in items.iter().zip(std::mem::take(&mut d.paragraphs)) {
        let masking::Publication::Masked { names, public_title } = masking::publication(tx, t, i).await? else { continue };
        visible.push(i.id);
        let mask = |s: &str| masking::mask(s, &names);
        let all = |v: &[String]| v.iter().map(|x| mask(x)).collect::<Vec<_>>();
        out.push(crate::documents::Paragraph {
            title: mask(public_title.as_deref().unwrap_or(&p.title)),
            decision: mask(&p.decision),
            motions: all(&p.motions),
            conflicts: all(&p.conflicts),
            reservations: all(&p.reservations),
            case_number: mask(&p.case_number),
            ..p
        });
    }
    d.paragraphs = out;
    d.public_version = true;
    if let Some(v) = crate::corrections::versions(tx, t, m.id).await?.into_iter().rev().find(|v| visible.contains(&v.item_id)) {
        d.correction = format!(
            "Protokollet har rättats; detta är version {}, rättad {}.",
            v.version,
            radhus_kernel::lang::swedish_date(radhus_kernel::tz::stockholm(v.corrected_at).date())
        );
    }
    Ok(d)
}

/// The public version of adjusted minutes as PDF/A, typeset from [`public_minutes_data`] after
/// the reading transaction has ended (nothing is written).
async fn get_minutes_pdf(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let m = meeting(&mut tx, t, id).await?;
    let data = public_minutes_data(&mut tx, t, &m).await?;
    tx.commit().await?;
    let pdf = crate::documents::typeset(&st.db, t, crate::documents::Doc::Minutes, &data, st.now()).await?;
    Ok(crate::corrections::pdf_response(pdf, "protokoll-offentlig-version.pdf"))
}

/// The agenda as the public may read it, the data of its public PDF/A: the same items the
/// public meeting page lists ([`items`]: the latest issued notice's, secret items left out,
/// private persons' names and identity numbers masked), numbered as in the notice. "Not found"
/// before the notice is issued.
pub async fn public_agenda_data(tx: &mut Tx, t: TenantId, m: &Meeting) -> Result<crate::documents::AgendaData> {
    let tenant = radhus_platform::tenancy::get(tx, t).await?;
    let version = crate::record::current_notice(tx, t, m.id).await?.map(|(v, _)| i64::from(v)).unwrap_or(1);
    let mut no = 0;
    let items = items(tx, t, m)
        .await?
        .into_iter()
        .map(|i| {
            if !i.is_heading() {
                no += 1;
            }
            crate::documents::NoticeItem {
                id: Some(i.id),
                no,
                heading: i.is_heading(),
                kind: crate::record::kind_sv(&i.kind).into(),
                title: i.title,
                case_number: i.case_number,
                proposal: i.proposal,
            }
        })
        .collect();
    Ok(crate::documents::AgendaData {
        municipality: tenant.name,
        committee: m.committee_name.clone(),
        when: crate::core::when(&m.starts_at),
        place: m.place.clone(),
        public: m.public,
        version,
        note: if m.state() == MeetingState::Cancelled {
            format!("Sammanträdet är inställt: {}", m.cancel_reason)
        } else {
            String::new()
        },
        items,
        members: vec![],
    })
}

/// The public version of the agenda as PDF/A, typeset from [`public_agenda_data`] after the
/// reading transaction has ended (nothing is written).
async fn get_agenda_pdf(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let m = meeting(&mut tx, t, id).await?;
    let data = public_agenda_data(&mut tx, t, &m).await?;
    tx.commit().await?;
    let pdf = crate::documents::typeset(&st.db, t, crate::documents::Doc::Agenda, &data, st.now()).await?;
    Ok(crate::corrections::pdf_response(pdf, "foredragningslista-offentlig-version.pdf"))
}

// ------------------------------------------------------------------ feeds

fn rfc3339(t: &OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// One published meeting in the committee's feeds: its public items and its supplementary
/// notices.
pub struct FeedMeeting {
    pub m: Meeting,
    pub items: Vec<Item>,
    pub supplements: Vec<PublicSupplement>,
}

/// The committee's published meetings with their public items and supplementary notices.
async fn feed_data(st: &AppState, t: TenantId, id: Uuid) -> Result<(Committee, Vec<FeedMeeting>)> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let c = committee(&mut tx, t, id).await?;
    let mut out = vec![];
    for m in meetings_of(&mut tx, t, id).await? {
        let items = items(&mut tx, t, &m).await?;
        let supplements = supplements(&mut tx, t, m.id).await?;
        out.push(FeedMeeting { m, items, supplements });
    }
    tx.commit().await?;
    Ok((c, out))
}

/// The Atom feed of a committee: one entry per published meeting, updated when its notice is
/// issued and when its minutes are adjusted, and one entry per supplementary notice
/// (kompletterande kallelse) with how many items it added, withdrew and changed (counts only: a
/// withdrawn item's title may not be public).
pub fn atom(c: &Committee, meetings: &[FeedMeeting], base: &str, org: &str, now: OffsetDateTime) -> String {
    let updated = meetings
        .iter()
        .flat_map(|f| f.supplements.iter().map(|x| x.issued_at).chain(f.m.adjusted_at.or(f.m.notice_issued_at)))
        .max()
        .unwrap_or(now);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>{}/moten/organ/{}</id>\n<updated>{}</updated>\n<link rel=\"self\" href=\"{}/moten/organ/{}/moten.atom\"/>\n<link rel=\"alternate\" href=\"{}/moten/organ/{}\"/>\n<author><name>{}</name></author>\n",
        escape(&format!("{} – sammanträden", c.name)),
        escape(base),
        c.id,
        rfc3339(&updated),
        escape(base),
        c.id,
        escape(base),
        c.id,
        escape(org),
    );
    let entry = |out: &mut String, title: String, id: String, updated: &OffsetDateTime, link: String, summary: &str| {
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<updated>{}</updated>\n<link href=\"{}\"/>\n<summary>{}</summary>\n</entry>\n",
            escape(&title),
            escape(&id),
            rfc3339(updated),
            escape(&link),
            escape(summary),
        ));
    };
    for FeedMeeting { m, items, supplements } in meetings {
        let state = if minutes_published(m) {
            "protokollet justerat"
        } else if m.state() == MeetingState::Cancelled {
            "inställt"
        } else {
            "kallelse utfärdad"
        };
        let summary = items.iter().filter(|i| !i.is_heading()).map(|i| i.title.as_str()).collect::<Vec<_>>().join("; ");
        let page = format!("{base}/moten/mote/{}", m.id);
        let title = format!("{} {}", c.name, when(&m.starts_at));
        entry(
            &mut out,
            format!("{title} ({state})"),
            page.clone(),
            &m.adjusted_at.or(m.notice_issued_at).unwrap_or(m.starts_at),
            page.clone(),
            &summary,
        );
        for (n, x) in supplements.iter().enumerate() {
            let summary = format!("Tillkommer: {}, utgår: {}, ändras: {} ärenden.", x.added, x.withdrawn, x.changed);
            // Version 1 is the notice; the supplements are versions 2, 3 …
            let version = n + 2;
            entry(
                &mut out,
                format!("{title} (kompletterande kallelse)"),
                format!("{page}#kallelse-{version}"),
                &x.issued_at,
                page.clone(),
                &summary,
            );
        }
    }
    out.push_str("</feed>\n");
    out
}

async fn get_atom(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let (c, meetings) = feed_data(&st, t, id).await?;
    let body = atom(&c, &meetings, &site(&st, &ctx)?, &ctx.org_title(), st.now());
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"));
    Ok(r)
}

/// The committee's meetings as an iCalendar subscription (cancelled meetings left out).
pub fn ics(c: &Committee, meetings: &[FeedMeeting], base: &str, now: OffsetDateTime) -> String {
    let host = base.split("://").nth(1).unwrap_or(base);
    let events: Vec<CalEvent> = meetings
        .iter()
        .filter(|f| f.m.state() != MeetingState::Cancelled)
        .map(|FeedMeeting { m, items, .. }| CalEvent {
            uid: format!("mtg-{}@{host}", m.id),
            when: When::Span { start: m.starts_at, end: m.starts_at + Duration::hours(2) },
            summary: format!("{} sammanträder", c.name),
            description: items.iter().filter(|i| !i.is_heading()).map(|i| i.title.as_str()).collect::<Vec<_>>().join("\n"),
            location: m.place.clone(),
            url: format!("{base}/moten/mote/{}", m.id),
        })
        .collect();
    radhus_kernel::ical::calendar("-//Rådhus//Sammanträden//SV", Some(&c.name), &events, now)
}

async fn get_ics(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let (c, meetings) = feed_data(&st, t, id).await?;
    let body = ics(&c, &meetings, &site(&st, &ctx)?, st.now());
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response())
}
