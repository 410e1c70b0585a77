//! The rules of eBlomlåda without IO: catalogues and their CSV form, answer levels, scores,
//! year-over-year change across catalogue versions, and the benchmark across municipalities.

use std::collections::{BTreeMap, HashMap, HashSet};

use radhus_kernel::define_id;
use radhus_kernel::error::ErrorKind;
use radhus_platform::error::Error;
use serde::Serialize;

define_id!(
    /// A municipality's self-assessment of one year.
    AssessmentId
);

/// Where an area sits in the flower box (eBlomlåda's picture, SKL 2016).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    /// A flower per target group: digital welfare services and self-service.
    Flower,
    /// The grass: leadership, ways of working and methods.
    Grass,
    /// The soil: technical prerequisites.
    Soil,
}

impl Place {
    /// The word the catalogue CSV uses (`blomma`, `gräs`, `jord`).
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Flower => "blomma",
            Place::Grass => "gräs",
            Place::Soil => "jord",
        }
    }

    pub fn parse(s: &str) -> Option<Place> {
        match s.trim() {
            "blomma" => Some(Place::Flower),
            "gräs" => Some(Place::Grass),
            "jord" => Some(Place::Soil),
            _ => None,
        }
    }
}

/// The areas the flower box knows: six target-group flowers, the grass and the soil (the
/// 2016 rebuild of eBlomlådan). A catalogue may use any of them, each in its own place.
pub const KNOWN_AREAS: &[(&str, Place)] = &[
    ("aldre", Place::Flower),
    ("barn", Place::Flower),
    ("foretagare", Place::Flower),
    ("boende", Place::Flower),
    ("kultur", Place::Flower),
    ("allmanheten", Place::Flower),
    ("ledning", Place::Grass),
    ("teknik", Place::Soil),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Area {
    pub key: String,
    pub name: String,
    pub place: Place,
    pub position: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Indicator {
    pub id: String,
    pub area_key: String,
    pub text: String,
    pub position: i32,
}

/// One version of the indicator list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Catalogue {
    pub version: String,
    pub name: String,
    pub areas: Vec<Area>,
    pub indicators: Vec<Indicator>,
}

impl Catalogue {
    /// The highest possible total: three points per indicator (264 for 2017's 88).
    pub fn max_points(&self) -> i32 {
        3 * self.indicators.len() as i32
    }

    pub fn area(&self, key: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.key == key)
    }

    pub fn indicators_of<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators.iter().filter(move |i| i.area_key == area)
    }

    pub fn has_indicator(&self, id: &str) -> bool {
        self.indicators.iter().any(|i| i.id == id)
    }
}

/// An answer: uppfyller inte alls / delvis / helt = 1 / 2 / 3 points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    NotMet = 1,
    Partly = 2,
    Met = 3,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::NotMet, Level::Partly, Level::Met];

    pub fn points(self) -> i32 {
        self as i32
    }

    /// Parses the points; anything outside 1–3 is `MAT-001`.
    pub fn from_points(p: i64) -> Result<Level, Error> {
        match p {
            1 => Ok(Level::NotMet),
            2 => Ok(Level::Partly),
            3 => Ok(Level::Met),
            _ => Err(MaturityError::LevelOutOfRange.into()),
        }
    }

    /// The colour word of the flower box: red, yellow, green.
    pub fn colour(self) -> &'static str {
        match self {
            Level::NotMet => "red",
            Level::Partly => "yellow",
            Level::Met => "green",
        }
    }

    /// Fluent id of the answer's wording.
    pub fn label(self) -> &'static str {
        match self {
            Level::NotMet => "mat-level-1",
            Level::Partly => "mat-level-2",
            Level::Met => "mat-level-3",
        }
    }

    fn index(self) -> usize {
        self as usize - 1
    }
}

/// The rules of the module that can be broken, each with its stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaturityError {
    LevelOutOfRange,
    Unanswered,
    Submitted,
    BadCatalogue,
    VersionExists,
    NoMapping,
    YearExists,
    AreaNotYours,
    ReasonMissing,
    NotSubmitted,
    BadMapping,
    BadYear,
    UnknownVersion,
    /// The planned action is a case already.
    ActionHasCase,
    /// A new or changed due date of a planned action lies before today.
    DueDateInPast,
}

impl MaturityError {
    pub const ALL: [MaturityError; 15] = [
        MaturityError::LevelOutOfRange,
        MaturityError::Unanswered,
        MaturityError::Submitted,
        MaturityError::BadCatalogue,
        MaturityError::VersionExists,
        MaturityError::NoMapping,
        MaturityError::YearExists,
        MaturityError::AreaNotYours,
        MaturityError::ReasonMissing,
        MaturityError::NotSubmitted,
        MaturityError::BadMapping,
        MaturityError::BadYear,
        MaturityError::UnknownVersion,
        MaturityError::ActionHasCase,
        MaturityError::DueDateInPast,
    ];

    /// The stable code, its kind and the Fluent id of its message.
    pub fn parts(self) -> (&'static str, ErrorKind, &'static str) {
        use MaturityError::*;
        match self {
            LevelOutOfRange => ("MAT-001", ErrorKind::BadInput, "err-MAT-001"),
            Unanswered => ("MAT-002", ErrorKind::Conflict, "err-MAT-002"),
            Submitted => ("MAT-003", ErrorKind::Conflict, "err-MAT-003"),
            BadCatalogue => ("MAT-004", ErrorKind::BadInput, "err-MAT-004"),
            VersionExists => ("MAT-005", ErrorKind::Conflict, "err-MAT-005"),
            NoMapping => ("MAT-006", ErrorKind::Conflict, "err-MAT-006"),
            YearExists => ("MAT-007", ErrorKind::Conflict, "err-MAT-007"),
            AreaNotYours => ("MAT-008", ErrorKind::Forbidden, "err-MAT-008"),
            ReasonMissing => ("MAT-009", ErrorKind::BadInput, "err-MAT-009"),
            NotSubmitted => ("MAT-010", ErrorKind::Conflict, "err-MAT-010"),
            BadMapping => ("MAT-011", ErrorKind::BadInput, "err-MAT-011"),
            BadYear => ("MAT-012", ErrorKind::BadInput, "err-MAT-012"),
            UnknownVersion => ("MAT-013", ErrorKind::NotFound, "err-MAT-013"),
            ActionHasCase => ("MAT-014", ErrorKind::Conflict, "err-MAT-014"),
            DueDateInPast => ("MAT-015", ErrorKind::BadInput, "err-MAT-015"),
        }
    }

    /// The module's rule a platform error stands for, if it is one of them: lets a handler
    /// tell the rules apart by name, not by their code.
    pub fn of(e: &Error) -> Option<MaturityError> {
        let code = e.code().code;
        Self::ALL.into_iter().find(|m| m.parts().0 == code)
    }
}

impl From<MaturityError> for Error {
    fn from(e: MaturityError) -> Self {
        let (code, kind, message) = e.parts();
        Error::rule(code, kind, message)
    }
}

// ------------------------------------------------------------------ catalogue CSV

/// What is wrong with one line of a catalogue or mapping CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Problem {
    /// The header is not `id,area_key,area,level,indicator`.
    Header,
    /// A line without the five columns (or not CSV at all).
    Malformed,
    /// The same indicator id twice.
    DuplicateId(String),
    /// An area key the flower box does not know, or in the wrong place.
    UnknownArea(String),
    /// The level column is not blomma / gräs / jord.
    UnknownPlace(String),
    /// An empty id or indicator text.
    Empty,
    /// One area key with two different names.
    AreaNameConflict(String),
    /// No indicators at all.
    NoIndicators,
    /// A mapping line naming an indicator that is not in its catalogue.
    UnknownIndicator(String),
}

/// A problem and the line it is on (1 = the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineProblem {
    pub line: usize,
    pub problem: Problem,
}

impl LineProblem {
    /// Fluent id and the value it names, for the pages.
    pub fn message(&self) -> (&'static str, String) {
        match &self.problem {
            Problem::Header => ("mat-csv-header", String::new()),
            Problem::Malformed => ("mat-csv-malformed", String::new()),
            Problem::DuplicateId(v) => ("mat-csv-duplicate", v.clone()),
            Problem::UnknownArea(v) => ("mat-csv-unknown-area", v.clone()),
            Problem::UnknownPlace(v) => ("mat-csv-unknown-place", v.clone()),
            Problem::Empty => ("mat-csv-empty", String::new()),
            Problem::AreaNameConflict(v) => ("mat-csv-area-conflict", v.clone()),
            Problem::NoIndicators => ("mat-csv-no-indicators", String::new()),
            Problem::UnknownIndicator(v) => ("mat-csv-unknown-indicator", v.clone()),
        }
    }
}

pub const CATALOGUE_HEADER: [&str; 5] = ["id", "area_key", "area", "level", "indicator"];

/// The data lines of a CSV text (line number, trimmed cells) after its header, which must be
/// `header`; blank lines are skipped, unreadable lines and a wrong header are problems.
fn data_lines(text: &str, header: &[&str]) -> (Vec<(usize, Vec<String>)>, Vec<LineProblem>) {
    let mut rows = vec![];
    let mut problems = vec![];
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 1;
        let Ok(rec) = rec else {
            problems.push(LineProblem { line, problem: Problem::Malformed });
            continue;
        };
        let cols: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if line == 1 {
            if cols != header {
                problems.push(LineProblem { line, problem: Problem::Header });
            }
        } else if cols.iter().any(|c| !c.is_empty()) {
            rows.push((line, cols));
        }
    }
    (rows, problems)
}

/// Parses a catalogue CSV (`id,area_key,area,level,indicator`, the shipped 2017 format) and
/// reports every problem at once; a catalogue with any problem is not imported.
pub fn parse_catalogue(version: &str, name: &str, text: &str) -> Result<Catalogue, Vec<LineProblem>> {
    let (rows, mut problems) = data_lines(text, &CATALOGUE_HEADER);
    let mut areas: Vec<Area> = vec![];
    let mut indicators: Vec<Indicator> = vec![];
    let mut seen: HashSet<String> = HashSet::new();
    for (line, cols) in &rows {
        let line = *line;
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        let [id, area_key, area_name, place, text] = cols.as_slice() else {
            problems.push(LineProblem { line, problem: Problem::Malformed });
            continue;
        };
        if id.is_empty() || text.is_empty() || area_name.is_empty() {
            problems.push(LineProblem { line, problem: Problem::Empty });
            continue;
        }
        if !seen.insert(id.to_string()) {
            problems.push(LineProblem { line, problem: Problem::DuplicateId(id.to_string()) });
            continue;
        }
        let Some(place) = Place::parse(place) else {
            problems.push(LineProblem { line, problem: Problem::UnknownPlace(place.to_string()) });
            continue;
        };
        if !KNOWN_AREAS.contains(&(*area_key, place)) {
            problems.push(LineProblem { line, problem: Problem::UnknownArea(area_key.to_string()) });
            continue;
        }
        match areas.iter().find(|a| a.key == *area_key) {
            Some(a) if a.name != *area_name => {
                problems.push(LineProblem { line, problem: Problem::AreaNameConflict(area_key.to_string()) });
                continue;
            }
            Some(_) => {}
            None => {
                let position = KNOWN_AREAS.iter().position(|(k, _)| k == area_key).unwrap_or(0) as i32;
                areas.push(Area { key: area_key.to_string(), name: area_name.to_string(), place, position });
            }
        }
        indicators.push(Indicator {
            id: id.to_string(),
            area_key: area_key.to_string(),
            text: text.to_string(),
            position: indicators.len() as i32 + 1,
        });
    }
    if problems.is_empty() && indicators.is_empty() {
        problems.push(LineProblem { line: 1, problem: Problem::NoIndicators });
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(problems);
    }
    areas.sort_by_key(|a| a.position);
    Ok(Catalogue { version: version.to_string(), name: name.to_string(), areas, indicators })
}

/// A crosswalk from an older catalogue's indicators to a newer one's: `old id → new id`.
/// Indicators without a line have no counterpart and are left out of comparisons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping(pub BTreeMap<String, String>);

/// Parses a mapping CSV (`from_id,to_id`) against the two catalogues.
pub fn parse_mapping(from: &Catalogue, to: &Catalogue, text: &str) -> Result<Mapping, Vec<LineProblem>> {
    let (rows, mut problems) = data_lines(text, &["from_id", "to_id"]);
    let mut map = BTreeMap::new();
    let mut targets = HashSet::new();
    for (line, cols) in &rows {
        let line = *line;
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        let [old, new] = cols.as_slice() else {
            problems.push(LineProblem { line, problem: Problem::Malformed });
            continue;
        };
        if !from.has_indicator(old) {
            problems.push(LineProblem { line, problem: Problem::UnknownIndicator(old.to_string()) });
        } else if !to.has_indicator(new) {
            problems.push(LineProblem { line, problem: Problem::UnknownIndicator(new.to_string()) });
        } else if map.contains_key(*old) || !targets.insert(new.to_string()) {
            problems.push(LineProblem { line, problem: Problem::DuplicateId(format!("{old} → {new}")) });
        } else {
            map.insert(old.to_string(), new.to_string());
        }
    }
    if problems.is_empty() && map.is_empty() {
        problems.push(LineProblem { line: 1, problem: Problem::NoIndicators });
    }
    problems.sort_by_key(|p| p.line);
    if problems.is_empty() { Ok(Mapping(map)) } else { Err(problems) }
}

// ------------------------------------------------------------------ scores

pub type Answers = HashMap<String, Level>;

/// Points and the spread of answers in one area (or the total).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tally {
    pub points: i32,
    pub max: i32,
    pub indicators: i32,
    pub answered: i32,
    pub not_met: i32,
    pub partly: i32,
    pub met: i32,
}

impl Tally {
    fn add(&mut self, level: Option<Level>) {
        self.max += 3;
        self.indicators += 1;
        if let Some(l) = level {
            self.answered += 1;
            self.points += l.points();
            match l {
                Level::NotMet => self.not_met += 1,
                Level::Partly => self.partly += 1,
                Level::Met => self.met += 1,
            }
        }
    }

    /// Share of the area's *answered* indicators answered at a level, in whole per cent: an
    /// unanswered indicator of a draft is left out, not counted as "not met".
    pub fn share(&self, level: Level) -> i32 {
        let n = match level {
            Level::NotMet => self.not_met,
            Level::Partly => self.partly,
            Level::Met => self.met,
        };
        percent(n as f64, self.answered as f64)
    }

    /// Points as a share of the maximum of the answered indicators, in whole per cent (a
    /// draft's unanswered indicators are not zero points).
    pub fn percent(&self) -> i32 {
        percent(self.points as f64, 3.0 * self.answered as f64)
    }

    /// Indicators not answered yet (none once submitted).
    pub fn unanswered(&self) -> i32 {
        self.indicators - self.answered
    }
}

pub fn percent(part: f64, whole: f64) -> i32 {
    if whole <= 0.0 { 0 } else { (100.0 * part / whole).round() as i32 }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AreaScore {
    pub key: String,
    pub name: String,
    pub place: Place,
    pub tally: Tally,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Scores {
    pub total: Tally,
    pub areas: Vec<AreaScore>,
}

impl Scores {
    pub fn area(&self, key: &str) -> Option<&AreaScore> {
        self.areas.iter().find(|a| a.key == key)
    }
}

/// Points per area and in total; unanswered indicators count towards the maximum only.
pub fn score(cat: &Catalogue, answers: &Answers) -> Scores {
    let mut total = Tally::default();
    let areas = cat
        .areas
        .iter()
        .map(|a| {
            let mut t = Tally::default();
            for i in cat.indicators_of(&a.key) {
                let l = answers.get(&i.id).copied();
                t.add(l);
                total.add(l);
            }
            AreaScore { key: a.key.clone(), name: a.name.clone(), place: a.place, tally: t }
        })
        .collect();
    Scores { total, areas }
}

/// The indicators without an answer, in catalogue order.
pub fn unanswered<'a>(cat: &'a Catalogue, answers: &Answers) -> Vec<&'a Indicator> {
    cat.indicators.iter().filter(|i| !answers.contains_key(&i.id)).collect()
}

// ------------------------------------------------------------------ change since last year

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Change {
    /// The earlier measurement's answers carried over to this catalogue's indicator ids.
    #[serde(skip)]
    pub previous: Answers,
    /// Per indicator: this year's points minus last year's (both answered and comparable).
    pub indicators: BTreeMap<String, i32>,
    /// Per area: the sum of the indicator changes.
    pub areas: BTreeMap<String, i32>,
    pub total: i32,
    /// How many indicators could be compared.
    pub compared: i32,
}

/// Compares this year's answers with an earlier measurement. The same catalogue version
/// compares indicator by indicator; another version needs a mapping (`MAT-006` without one),
/// and only mapped indicators are compared (eBlomlådan could not compare across its 2016 break).
pub fn change(
    cur: &Catalogue,
    cur_answers: &Answers,
    prev: &Catalogue,
    prev_answers: &Answers,
    mapping: Option<&Mapping>,
) -> Result<Change, MaturityError> {
    let previous: Answers = if cur.version == prev.version {
        prev_answers.clone()
    } else {
        let m = mapping.ok_or(MaturityError::NoMapping)?;
        m.0.iter().filter_map(|(old, new)| prev_answers.get(old).map(|l| (new.clone(), *l))).collect()
    };
    let mut c = Change::default();
    for i in &cur.indicators {
        if let (Some(now), Some(then)) = (cur_answers.get(&i.id), previous.get(&i.id)) {
            let d = now.points() - then.points();
            c.indicators.insert(i.id.clone(), d);
            *c.areas.entry(i.area_key.clone()).or_default() += d;
            c.total += d;
            c.compared += 1;
        }
    }
    c.previous = previous;
    Ok(c)
}

// ------------------------------------------------------------------ benchmark

/// Results are compared only when at least this many municipalities published for the same
/// year and version (only published answers are counted, ADR 0012).
pub const MIN_PARTICIPANTS: usize = 5;

/// How the municipalities that published answered, per indicator and per area.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Benchmark {
    pub participants: usize,
    /// False below [`MIN_PARTICIPANTS`]; then every figure below is empty.
    pub published: bool,
    /// Per indicator: how many answered not met / partly / fully met.
    pub indicators: BTreeMap<String, [usize; 3]>,
    /// Per area: the average points.
    pub area_average: BTreeMap<String, f64>,
    pub total_average: f64,
    /// The totals, highest first (for the rank).
    pub totals: Vec<i32>,
}

impl Benchmark {
    /// Share (whole per cent) of participants answering an indicator at a level.
    pub fn share(&self, indicator: &str, level: Level) -> Option<i32> {
        let counts = self.indicators.get(indicator)?;
        let n: usize = counts.iter().sum();
        Some(percent(counts[level.index()] as f64, n as f64))
    }

    /// Position of a total among the participants: 1 + how many scored strictly more.
    pub fn rank(&self, total: i32) -> Option<usize> {
        if !self.published {
            return None;
        }
        Some(1 + self.totals.iter().filter(|t| **t > total).count())
    }
}

/// The benchmark over the given assessments of one year and catalogue version (the service
/// passes the published ones only).
pub fn benchmark(cat: &Catalogue, all: &[Answers]) -> Benchmark {
    let participants = all.len();
    if participants < MIN_PARTICIPANTS {
        return Benchmark { participants, ..Default::default() };
    }
    let mut b = Benchmark { participants, published: true, ..Default::default() };
    for i in &cat.indicators {
        let mut counts = [0usize; 3];
        for a in all {
            if let Some(l) = a.get(&i.id) {
                counts[l.index()] += 1;
            }
        }
        b.indicators.insert(i.id.clone(), counts);
    }
    let mut totals = vec![];
    let mut area_sums: BTreeMap<String, f64> = BTreeMap::new();
    for a in all {
        let s = score(cat, a);
        totals.push(s.total.points);
        for ar in &s.areas {
            *area_sums.entry(ar.key.clone()).or_default() += ar.tally.points as f64;
        }
    }
    let n = participants as f64;
    b.area_average = area_sums.into_iter().map(|(k, v)| (k, round1(v / n))).collect();
    b.total_average = round1(totals.iter().map(|t| *t as f64).sum::<f64>() / n);
    totals.sort_by(|a, b| b.cmp(a));
    b.totals = totals;
    b
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// An indicator id and how far a municipality's points are from the average.
pub type Deviation = (String, f64);

/// The indicators where a municipality is furthest above (best) or below (worst) the
/// average of the participants: (indicator id, own points − average points).
pub fn best_and_worst(cat: &Catalogue, answers: &Answers, b: &Benchmark, n: usize) -> (Vec<Deviation>, Vec<Deviation>) {
    if !b.published {
        return (vec![], vec![]);
    }
    let mut diffs: Vec<(String, f64)> = cat
        .indicators
        .iter()
        .filter_map(|i| {
            let own = answers.get(&i.id)?.points() as f64;
            let c = b.indicators.get(&i.id)?;
            let k: usize = c.iter().sum();
            if k == 0 {
                return None;
            }
            let avg = (c[0] + 2 * c[1] + 3 * c[2]) as f64 / k as f64;
            Some((i.id.clone(), round1(own - avg)))
        })
        .collect();
    diffs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let best: Vec<_> = diffs.iter().filter(|d| d.1 > 0.0).take(n).cloned().collect();
    let worst: Vec<_> = diffs.iter().rev().filter(|d| d.1 < 0.0).take(n).cloned().collect();
    (best, worst)
}

/// A year an assessment may be made for.
pub fn valid_year(year: i32) -> Result<i32, MaturityError> {
    if (2010..=2100).contains(&year) { Ok(year) } else { Err(MaturityError::BadYear) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../../data/eblomlada-2017.csv");

    fn shipped() -> Catalogue {
        parse_catalogue("2017", "eBlomlåda 2017", SHIPPED).expect("shipped catalogue parses")
    }

    #[test]
    fn the_shipped_catalogue_has_88_indicators_in_8_areas_and_264_points() {
        let c = shipped();
        assert_eq!(c.indicators.len(), 88);
        assert_eq!(c.areas.len(), 8);
        assert_eq!(c.max_points(), 264);
        assert_eq!(c.areas.iter().filter(|a| a.place == Place::Flower).count(), 6);
        assert_eq!(c.indicators_of("ledning").count(), 32);
        assert_eq!(c.indicators_of("teknik").count(), 12);
    }

    #[test]
    fn bad_csv_lists_every_problem_with_its_line() {
        let csv = "id,area_key,area,level,indicator\n\
                   A1,aldre,Äldre,blomma,Ett\n\
                   A1,aldre,Äldre,blomma,Två\n\
                   A2,rymden,Rymden,blomma,Tre\n\
                   A3,aldre,Äldre,luft,Fyra\n\
                   A4,teknik,Teknik,blomma,Fem\n\
                   A5,aldre,Gamla,blomma,Sex\n\
                   A6,aldre\n";
        let p = parse_catalogue("x", "x", csv).expect_err("bad");
        assert_eq!(
            p,
            vec![
                LineProblem { line: 3, problem: Problem::DuplicateId("A1".into()) },
                LineProblem { line: 4, problem: Problem::UnknownArea("rymden".into()) },
                LineProblem { line: 5, problem: Problem::UnknownPlace("luft".into()) },
                LineProblem { line: 6, problem: Problem::UnknownArea("teknik".into()) },
                LineProblem { line: 7, problem: Problem::AreaNameConflict("aldre".into()) },
                LineProblem { line: 8, problem: Problem::Malformed },
            ]
        );
        assert_eq!(parse_catalogue("x", "x", "id,area\n").expect_err("header")[0].problem, Problem::Header);
        assert_eq!(parse_catalogue("x", "x", "id,area_key,area,level,indicator\n").expect_err("empty")[0].problem, Problem::NoIndicators);
    }

    #[test]
    fn an_error_names_its_rule() {
        for m in MaturityError::ALL {
            assert_eq!(MaturityError::of(&m.into()), Some(m));
        }
        assert_eq!(MaturityError::of(&Error::NotFound), None);
        assert_eq!(MaturityError::of(&Error::rule("CASE-002", ErrorKind::Conflict, "x")), None);
    }

    #[test]
    fn levels_outside_one_to_three_are_refused() {
        assert_eq!(Level::from_points(2).expect("2"), Level::Partly);
        for p in [0, 4, -1, 99] {
            let e = Level::from_points(p).expect_err("out of range");
            assert_eq!(e.code().code, "MAT-001");
        }
    }

    fn answers(c: &Catalogue, f: impl Fn(usize) -> Option<Level>) -> Answers {
        c.indicators.iter().enumerate().filter_map(|(n, i)| f(n).map(|l| (i.id.clone(), l))).collect()
    }

    #[test]
    fn scores_count_points_per_area_and_in_total() {
        let c = shipped();
        let all_met = answers(&c, |_| Some(Level::Met));
        let s = score(&c, &all_met);
        assert_eq!(s.total.points, 264);
        assert_eq!(s.total.share(Level::Met), 100);
        assert_eq!(s.area("ledning").expect("ledning").tally.points, 96);
        // The first eight indicators (äldre) partly, the rest not answered.
        let some = answers(&c, |n| (n < 8).then_some(Level::Partly));
        let s = score(&c, &some);
        assert_eq!(s.total.points, 16);
        assert_eq!(s.total.max, 264);
        assert_eq!(
            s.area("aldre").expect("aldre").tally,
            Tally { points: 16, max: 24, indicators: 8, answered: 8, not_met: 0, partly: 8, met: 0 }
        );
        assert_eq!(unanswered(&c, &some).len(), 80);
        // A draft's percentages count the answered indicators: eight answered "partly" are
        // 100 % partly and 67 % of their points, not 9 % and 6 % of all 88.
        assert_eq!(s.total.share(Level::Partly), 100);
        assert_eq!(s.total.share(Level::NotMet), 0);
        assert_eq!(s.total.percent(), 67);
        assert_eq!(s.total.unanswered(), 80);
        let none = score(&c, &Answers::new());
        assert_eq!((none.total.percent(), none.total.share(Level::NotMet)), (0, 0));
    }

    #[test]
    fn change_within_a_version_and_across_versions_with_a_mapping_only() {
        let c = shipped();
        let before = answers(&c, |_| Some(Level::NotMet));
        let after = answers(&c, |n| Some(if n < 10 { Level::Met } else { Level::NotMet }));
        let ch = change(&c, &after, &c, &before, None).expect("same version");
        assert_eq!(ch.total, 20);
        assert_eq!(ch.areas.get("aldre"), Some(&16));
        assert_eq!(ch.compared, 88);
        let mut newer = c.clone();
        newer.version = "2019".into();
        assert_eq!(change(&newer, &after, &c, &before, None), Err(MaturityError::NoMapping));
        let m = Mapping([("EB17-01".to_string(), "EB17-01".to_string())].into_iter().collect());
        let ch = change(&newer, &after, &c, &before, Some(&m)).expect("mapped");
        assert_eq!((ch.compared, ch.total), (1, 2));
    }

    #[test]
    fn the_benchmark_needs_five_municipalities_and_ranks_by_total() {
        let c = shipped();
        let four: Vec<Answers> = (0..4).map(|_| answers(&c, |_| Some(Level::Met))).collect();
        let b = benchmark(&c, &four);
        assert!(!b.published && b.indicators.is_empty() && b.rank(264).is_none());
        assert_eq!(b.participants, 4);
        let mut five = four.clone();
        five.push(answers(&c, |_| Some(Level::NotMet)));
        let b = benchmark(&c, &five);
        assert!(b.published);
        assert_eq!(b.share("EB17-01", Level::Met), Some(80));
        assert_eq!(b.share("EB17-01", Level::NotMet), Some(20));
        assert_eq!(b.total_average, (4.0 * 264.0 + 88.0) / 5.0);
        assert_eq!(b.rank(264), Some(1));
        assert_eq!(b.rank(88), Some(5));
        let (best, worst) = best_and_worst(&c, &five[4], &b, 3);
        assert!(best.is_empty());
        assert_eq!(worst.len(), 3);
        assert_eq!(worst[0].1, -1.6);
    }
}
