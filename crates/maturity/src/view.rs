//! The results of an assessment as the pages, the report and the exports show them: every
//! figure computed once here, in the request's language.

use radhus_platform::web::Ctx;
use serde::Serialize;
use time::OffsetDateTime;

use crate::domain::{Level, Place, Tally};
use crate::flower::{self, Labels};
use crate::service::Results;

pub fn datetime(t: &OffsetDateTime) -> String {
    format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute())
}

/// `+3`, `−2` or `±0` (a real minus sign, read correctly by screen readers).
pub fn signed(d: i32) -> String {
    match d {
        0 => "±0".into(),
        d if d > 0 => format!("+{d}"),
        d => format!("−{}", -d),
    }
}

pub fn signed_f(d: f64) -> String {
    let s = format!("{:.1}", d.abs()).replace('.', ",");
    if d > 0.0 {
        format!("+{s}")
    } else if d < 0.0 {
        format!("−{s}")
    } else {
        "±0".into()
    }
}

pub fn decimal(x: f64) -> String {
    format!("{x:.1}").replace('.', ",")
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaView {
    pub key: String,
    pub name: String,
    pub place: String,
    pub tally: Tally,
    pub percent: i32,
    pub change: Option<String>,
    pub national: Option<String>,
    /// Shares of the answered indicators (a draft's unanswered ones are left out).
    pub met: i32,
    pub partly: i32,
    pub not_met: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub id: String,
    pub area: String,
    pub text: String,
    pub level: i32,
    pub answer: String,
    pub colour: &'static str,
    pub change: Option<String>,
    /// Share of participating municipalities answering fully / partly / not met.
    pub others: Option<[i32; 3]>,
    pub comment: String,
    /// The unit the answer names as responsible (the form asks for it; the report shows it).
    pub unit: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Extreme {
    pub id: String,
    pub text: String,
    pub answer: String,
    pub diff: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultsView {
    pub id: String,
    pub municipality: String,
    pub year: i32,
    pub status: String,
    pub submitted: bool,
    pub public: bool,
    pub catalogue: String,
    pub title: String,
    #[serde(skip)]
    pub flower_svg: String,
    pub flower_desc: String,
    pub total: Tally,
    pub total_percent: i32,
    pub total_met: i32,
    pub total_partly: i32,
    pub total_not_met: i32,
    pub total_change: Option<String>,
    pub previous_year: Option<i32>,
    pub compare_note: Option<String>,
    pub benchmark_published: bool,
    pub benchmark_note: String,
    pub participants: usize,
    pub national_total: Option<String>,
    pub rank: Option<String>,
    pub areas: Vec<AreaView>,
    pub indicators: Vec<IndicatorView>,
    pub best: Vec<Extreme>,
    pub worst: Vec<Extreme>,
    pub actions: Vec<Action>,
    /// For a draft: that it is one and how many indicators are still unanswered.
    pub draft_note: Option<String>,
    /// The words the web page uses, so the report compares in the same words.
    pub labels: ReportLabels,
}

/// Headings and column names shared by the results page and the yearly report.
#[derive(Debug, Clone, Serialize)]
pub struct ReportLabels {
    pub national: String,
    pub best: String,
    pub worst: String,
    pub others: String,
    pub fully: String,
    pub unit: String,
    pub comment: String,
    pub overdue: String,
}

impl ReportLabels {
    pub fn new(ctx: &Ctx) -> ReportLabels {
        ReportLabels {
            national: ctx.t("mat-national"),
            best: ctx.t("mat-best"),
            worst: ctx.t("mat-worst"),
            others: ctx.t("mat-others"),
            fully: ctx.t("mat-level-3-short"),
            unit: ctx.t("mat-col-unit"),
            comment: ctx.t("field-answer_comment"),
            overdue: ctx.t("mat-overdue"),
        }
    }
}

/// The Fluent id of the place word for an area.
pub fn place_label(p: Place) -> &'static str {
    match p {
        Place::Flower => "mat-place-flower",
        Place::Grass => "mat-place-grass",
        Place::Soil => "mat-place-soil",
    }
}

fn place_word(ctx: &Ctx, p: Place) -> String {
    ctx.t(place_label(p))
}

pub fn flower_labels(ctx: &Ctx, municipality: &str, r: &Results) -> Labels {
    let mut desc =
        ctx.tr.t1("mat-flower-desc-total", "points", format!("{} {} {}", r.scores.total.points, ctx.t("mat-of"), r.scores.total.max));
    for a in &r.scores.areas {
        desc.push_str(&format!(
            " {} ({}): {} {} {}, {} {}, {} {}, {} {}.",
            a.name,
            place_word(ctx, a.place),
            a.tally.points,
            ctx.t("mat-of"),
            a.tally.max,
            a.tally.met,
            ctx.t("mat-level-3-short"),
            a.tally.partly,
            ctx.t("mat-level-2-short"),
            a.tally.not_met,
            ctx.t("mat-level-1-short"),
        ));
    }
    Labels {
        title: ctx.tr.t1("mat-flower-title", "what", format!("{municipality} {}", r.assessment.year)),
        desc,
        of: ctx.t("mat-of"),
        legend: [ctx.t("mat-level-3"), ctx.t("mat-level-2"), ctx.t("mat-level-1"), ctx.t("mat-unanswered")],
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Action {
    pub indicator: String,
    pub text: String,
    pub area: String,
    pub answer: String,
    pub action: String,
    pub owner: String,
    pub unit: String,
    pub due: String,
    #[serde(skip)]
    pub due_date: Option<time::Date>,
    /// The due date has passed (set by [`mark_overdue`] with the day it is shown).
    pub overdue: bool,
    /// The case the action became, if it did: (case id, diary number).
    pub case: Option<(uuid::Uuid, String)>,
}

/// The action plan: every planned action, in catalogue order.
pub fn actions(ctx: &Ctx, r: &Results) -> Vec<Action> {
    r.catalogue
        .indicators
        .iter()
        .filter_map(|i| {
            let a = r.rows.iter().find(|x| x.indicator_id == i.id)?;
            if a.planned_action.is_empty() {
                return None;
            }
            Some(Action {
                indicator: i.id.clone(),
                text: i.text.clone(),
                area: r.catalogue.area(&i.area_key).map(|a| a.name.clone()).unwrap_or_default(),
                answer: Level::from_points(a.level as i64).map(|l| ctx.t(l.label())).unwrap_or_default(),
                action: a.planned_action.clone(),
                owner: a.action_owner.clone(),
                unit: a.responsible_unit.clone(),
                due: a.due_date.map(|d| d.to_string()).unwrap_or_default(),
                due_date: a.due_date,
                overdue: false,
                case: None,
            })
        })
        .collect()
}

/// Flags the actions whose due date lies before `today`; returns how many.
pub fn mark_overdue(actions: &mut [Action], today: time::Date) -> usize {
    for a in actions.iter_mut() {
        a.overdue = a.due_date.is_some_and(|d| d < today);
    }
    actions.iter().filter(|a| a.overdue).count()
}

impl ResultsView {
    pub fn new(ctx: &Ctx, municipality: &str, r: Results) -> ResultsView {
        let labels = flower_labels(ctx, municipality, &r);
        let flower_svg = flower::svg(&r.catalogue, &r.answers, &labels);
        let change = r.change();
        let b = &r.benchmark;
        let areas = r
            .scores
            .areas
            .iter()
            .map(|a| AreaView {
                key: a.key.clone(),
                name: a.name.clone(),
                place: place_word(ctx, a.place),
                percent: a.tally.percent(),
                change: change.map(|c| signed(c.areas.get(&a.key).copied().unwrap_or(0))),
                national: b.area_average.get(&a.key).map(|x| decimal(*x)),
                met: a.tally.share(Level::Met),
                partly: a.tally.share(Level::Partly),
                not_met: a.tally.share(Level::NotMet),
                tally: a.tally.clone(),
            })
            .collect();
        let indicators = r
            .catalogue
            .indicators
            .iter()
            .map(|i| {
                let level = r.answers.get(&i.id).copied();
                IndicatorView {
                    id: i.id.clone(),
                    area: r.catalogue.area(&i.area_key).map(|a| a.name.clone()).unwrap_or_default(),
                    text: i.text.clone(),
                    level: level.map(Level::points).unwrap_or(0),
                    answer: level.map(|l| ctx.t(l.label())).unwrap_or_else(|| ctx.t("mat-unanswered")),
                    colour: level.map(Level::colour).unwrap_or("grey"),
                    change: change.and_then(|c| c.indicators.get(&i.id)).map(|d| signed(*d)),
                    others: b.published.then(|| [Level::Met, Level::Partly, Level::NotMet].map(|l| b.share(&i.id, l).unwrap_or(0))),
                    comment: r.rows.iter().find(|x| x.indicator_id == i.id).map(|x| x.comment.clone()).unwrap_or_default(),
                    unit: r.rows.iter().find(|x| x.indicator_id == i.id).map(|x| x.responsible_unit.clone()).unwrap_or_default(),
                }
            })
            .collect();
        let extreme = |list: &[crate::domain::Deviation]| -> Vec<Extreme> {
            list.iter()
                .filter_map(|(id, d)| {
                    let i = r.catalogue.indicators.iter().find(|i| &i.id == id)?;
                    Some(Extreme {
                        id: id.clone(),
                        text: i.text.clone(),
                        answer: r.answers.get(id).map(|l| ctx.t(l.label())).unwrap_or_default(),
                        diff: signed_f(*d),
                    })
                })
                .collect()
        };
        let compare_note = match &r.previous {
            None => Some(ctx.t("mat-no-previous")),
            Some((_, Err(e))) => Some(ctx.t(e.parts().2)),
            Some((_, Ok(_))) => None,
        };
        let benchmark_note = if b.published {
            ctx.tn("mat-benchmark-published", b.participants as i64)
        } else {
            ctx.tn("mat-benchmark-too-few", b.participants as i64)
        };
        ResultsView {
            id: r.assessment.id.to_string(),
            municipality: municipality.to_string(),
            year: r.assessment.year,
            status: ctx.t(&format!("mat-status-{}", r.assessment.status)),
            submitted: r.assessment.is_submitted(),
            public: r.assessment.public,
            catalogue: r.catalogue.name.clone(),
            title: format!("{municipality} {}", r.assessment.year),
            flower_desc: labels.desc.clone(),
            flower_svg,
            total_percent: r.scores.total.percent(),
            total_met: r.scores.total.share(Level::Met),
            total_partly: r.scores.total.share(Level::Partly),
            total_not_met: r.scores.total.share(Level::NotMet),
            total: r.scores.total.clone(),
            total_change: change.map(|c| signed(c.total)),
            previous_year: r.previous.as_ref().map(|(y, _)| *y),
            compare_note,
            benchmark_published: b.published,
            benchmark_note,
            participants: b.participants,
            national_total: b.published.then(|| decimal(b.total_average)),
            // The benchmark holds the published assessments; a submitted one that is not
            // published is placed among them as one more.
            rank: r.rank.map(|p| {
                let of = b.participants + usize::from(r.assessment.is_submitted() && !r.assessment.public);
                ctx.tr.t1("mat-rank", "rank", format!("{p} / {of}"))
            }),
            areas,
            indicators,
            best: extreme(&r.best),
            worst: extreme(&r.worst),
            actions: actions(ctx, &r),
            draft_note: (!r.assessment.is_submitted()).then(|| ctx.tn("mat-draft-note", r.scores.total.unanswered() as i64)),
            labels: ReportLabels::new(ctx),
        }
    }
}
