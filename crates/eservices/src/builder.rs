//! The form builder (issue 11 item 2, ADR 0027): a municipality's e-service administrator
//! builds the municipality's own e-service without writing JSON. The builder edits a draft
//! definition kept with the service ([`store::Own::builder_draft`]); publishing lints it and
//! stores it as the next revision, which the citizen's way reads exactly as an adopted
//! service's revision. Drafts and submissions stay pinned to their revision; a citizen's draft
//! of an older one is moved on by [`form::migrate`] when they resume it.
//!
//! Each use case is one transaction with its audit event; every refusal is an
//! [`Error::Invalid`] naming the posted field (`es_<name>`). A linter problem at a field is
//! the message `lint:<the linter's text>` (see [`LINT_PREFIX`]), which the pages show at the
//! field.

use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::Tx;
use radhus_platform::error::{Error, FieldError, Result};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::catalogue::{CATEGORIES, category_of, parse_stored};
use crate::form::{self, ChoiceOption, Definition, Fee, Field, FieldKind, LintProblem, Step, Text};
use crate::store::{self, Own};

/// The field types the builder offers, in the order of its list (groups and computed values
/// are written in JSON and imported).
pub const KINDS: [FieldKind; 16] = [
    FieldKind::Text,
    FieldKind::Textarea,
    FieldKind::Number,
    FieldKind::Amount,
    FieldKind::Date,
    FieldKind::Choice,
    FieldKind::MultiChoice,
    FieldKind::Checkbox,
    FieldKind::File,
    FieldKind::Personnummer,
    FieldKind::Orgnummer,
    FieldKind::Address,
    FieldKind::Email,
    FieldKind::Phone,
    FieldKind::Fastighetsbeteckning,
    FieldKind::Info,
];

/// A field error whose message is the linter's text, not a Fluent id.
pub const LINT_PREFIX: &str = "lint:";

/// The most steps, fields per step and options per choice the builder keeps.
const MAX_STEPS: usize = 30;
const MAX_FIELDS: usize = 60;
const MAX_OPTIONS: usize = 100;

/// The name of a kind as in the JSON (`multi_choice`).
pub fn kind_name(k: FieldKind) -> String {
    serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A kind the builder offers, by its JSON name; anything else (a tampered value) is `None`.
pub fn parse_kind(s: &str) -> Option<FieldKind> {
    KINDS.iter().copied().find(|k| kind_name(*k) == s)
}

/// Which validation settings a kind takes (the inputs the field page shows).
pub struct Settable {
    pub length: bool,
    pub range: bool,
    pub decimals: bool,
    pub pattern: bool,
    pub days: bool,
    pub options: bool,
    pub required: bool,
}

pub fn settable(k: FieldKind) -> Settable {
    Settable {
        length: k.is_free_text(),
        range: matches!(k, FieldKind::Number | FieldKind::Amount | FieldKind::MultiChoice),
        decimals: k == FieldKind::Number,
        pattern: matches!(k, FieldKind::Text | FieldKind::Textarea),
        days: k == FieldKind::Date,
        options: k.has_options(),
        required: k.takes_input(),
    }
}

fn invalid(field: &str, message: &str) -> Error {
    Error::Invalid(vec![FieldError::new(field, message)])
}

fn bad(errs: &mut Vec<FieldError>, field: &str, message: &str) {
    errs.push(FieldError::new(field, message));
}

/// A service key: 2 to 40 characters `a-z`, `0-9` and `-`, starting with a letter.
fn is_key(s: &str) -> bool {
    (2..=40).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A text the citizen will read: trimmed, at most `max` characters, no markup.
fn text(errs: &mut Vec<FieldError>, field: &str, value: &str, max: usize, required: bool) -> String {
    let v = value.trim();
    if required && v.is_empty() {
        bad(errs, field, &format!("es-b-err-{}", field.replace('_', "-")));
    } else if v.chars().count() > max {
        bad(errs, field, "es-b-err-too-long");
    } else if v.contains(['<', '>']) || v.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        bad(errs, field, "es-b-err-markup");
    }
    v.replace("\r\n", "\n")
}

fn opt_text(s: String) -> Option<Text> {
    if s.is_empty() { None } else { Some(Text::sv(s)) }
}

/// A whole number in `range`, or nothing when empty.
fn number<T: std::str::FromStr + PartialOrd + Copy>(
    errs: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    range: std::ops::RangeInclusive<T>,
) -> Option<T> {
    let v = value.trim().replace([' ', '\u{a0}'], "");
    if v.is_empty() {
        return None;
    }
    match v.parse::<T>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            bad(errs, field, "es-b-err-number");
            None
        }
    }
}

/// An id made from a label: lower case, å/ä → a, ö → o, anything else → `_`; unique among
/// `taken` (a suffix `_2`, `_3` …); never a word of the expression language.
fn make_id(label: &str, fallback: &str, taken: &[String]) -> String {
    let mut base = String::new();
    for c in label.trim().to_lowercase().chars() {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            c if c.is_ascii_lowercase() || c.is_ascii_digit() => c,
            _ => '_',
        };
        if c == '_' && (base.is_empty() || base.ends_with('_')) {
            continue;
        }
        base.push(c);
        if base.len() >= 30 {
            break;
        }
    }
    let base = base.trim_end_matches('_').to_string();
    let base = if form::is_id(&base) { base } else { fallback.to_string() };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) || !form::is_id(&id) {
        id = format!("{base}_{n}");
        n += 1;
    }
    id
}

/// Every id in use: steps, fields and the fields of groups.
fn ids(def: &Definition) -> Vec<String> {
    let mut out: Vec<String> = def.steps.iter().map(|s| s.id.clone()).collect();
    for s in &def.steps {
        for f in &s.fields {
            out.push(f.id.clone());
            out.extend(f.fields.iter().map(|x| x.id.clone()));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Loading and saving the draft

/// The municipality's own e-service and its draft definition; another municipality's, an
/// adopted one or an unknown key is "not found".
pub async fn load(tx: &mut Tx, t: TenantId, key: &str) -> Result<(Own, Definition)> {
    let own = store::own(tx, t, key).await?.ok_or(Error::NotFound)?;
    let def = parse_stored(&own.builder_draft)?;
    Ok((own, def))
}

/// The published definition the citizens fill in now, if any.
pub async fn published(tx: &mut Tx, t: TenantId, own: &Own) -> Result<Option<Definition>> {
    if own.revision == 0 {
        return Ok(None);
    }
    let json = store::revision_definition(tx, t, &own.service_key, own.revision).await?.ok_or(Error::NotFound)?;
    Ok(Some(parse_stored(&json)?))
}

/// Whether the draft differs from what is published (the version number aside).
pub fn unpublished_changes(draft: &Definition, published: Option<&Definition>) -> bool {
    match published {
        None => true,
        Some(p) => {
            let mut d = draft.clone();
            d.version = p.version;
            &d != p
        }
    }
}

async fn save(tx: &mut Tx, t: TenantId, own: &mut Own, def: &Definition, now: OffsetDateTime) -> Result<()> {
    own.builder_draft = serde_json::to_string(def).map_err(|e| Error::Internal(format!("definition: {e}")))?;
    store::update_own(tx, t, own, now).await
}

async fn record(
    tx: &mut Tx,
    t: TenantId,
    actor: &Actor,
    action: &'static str,
    key: &str,
    data: serde_json::Value,
    now: OffsetDateTime,
) -> Result<()> {
    audit::record(tx, Some(t), actor, Event::new(action, "eservice", key).with(data), now).await
}

/// Loads the draft, lets `edit` change it, saves it and records `action` with what `edit`
/// returned.
async fn change<R: serde::Serialize>(
    tx: &mut Tx,
    t: TenantId,
    key: &str,
    (actor, action, now): (&Actor, &'static str, OffsetDateTime),
    edit: impl FnOnce(&mut Definition) -> Result<R>,
) -> Result<R> {
    let (mut own, mut def) = load(tx, t, key).await?;
    let out = edit(&mut def)?;
    save(tx, t, &mut own, &def, now).await?;
    record(tx, t, actor, action, key, serde_json::json!({ "change": &out }), now).await?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Creating a service and its settings

/// What the administrator gives a new own e-service.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewService {
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub case_type: String,
    #[serde(default)]
    pub public_title: String,
}

async fn routed_case_type(tx: &mut Tx, t: TenantId, errs: &mut Vec<FieldError>, value: &str) -> Result<Option<Uuid>> {
    let id = Uuid::parse_str(value.trim()).ok();
    let ok = match id {
        Some(id) => {
            radhus_cases::store::case_types(tx, t).await?.into_iter().any(|c| c.id == id && c.active && c.default_unit_id.is_some())
        }
        None => false,
    };
    if !ok {
        bad(errs, "case_type", "es-err-case-type");
    }
    Ok(id.filter(|_| ok))
}

/// Creates an own e-service: a key no shared or own service of the municipality has, a
/// title, a summary, the case type its submissions become (routed to a unit) and the public
/// title of those cases. Its draft has one empty step; nothing is published yet.
pub async fn create(tx: &mut Tx, t: TenantId, f: &NewService, actor: &Actor, now: OffsetDateTime) -> Result<String> {
    let mut errs = vec![];
    let key = f.key.trim().to_lowercase();
    if !is_key(&key) {
        bad(&mut errs, "key", "es-b-err-key");
    } else if store::key_taken(tx, t, &key).await? {
        bad(&mut errs, "key", "es-b-err-key-taken");
    }
    let title = text(&mut errs, "title", &f.title, 200, true);
    let summary = text(&mut errs, "summary", &f.summary, 1000, true);
    let case_type = routed_case_type(tx, t, &mut errs, &f.case_type).await?;
    let public_title = text(&mut errs, "public_title", &f.public_title, 200, true);
    let Some(case_type) = case_type.filter(|_| errs.is_empty()) else {
        return Err(Error::Invalid(errs));
    };
    // Read from JSON, so every part the definition language leaves out takes its default.
    let def: Definition = serde_json::from_value(serde_json::json!({
        "key": key, "version": 1, "title": title, "summary": summary,
        "steps": [{ "id": "steg_1", "title": "Dina uppgifter", "fields": [] }],
    }))
    .map_err(|e| Error::Internal(format!("definition: {e}")))?;
    let own = Own {
        service_key: key.clone(),
        category: "ovrigt".into(),
        case_type_id: case_type,
        public_title,
        secrecy_ground: String::new(),
        status: "published".into(),
        register_on: "submit".into(),
        revision: 0,
        builder_draft: serde_json::to_string(&def).map_err(|e| Error::Internal(format!("definition: {e}")))?,
        updated_at: now,
    };
    store::insert_own(tx, t, &own, now).await?;
    record(tx, t, actor, "es.own.created", &key, serde_json::json!({ "case_type": case_type }), now).await?;
    Ok(key)
}

/// The service's settings: texts of its start page and how it is handled.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// eBlomlåda indicator codes, separated by commas or spaces.
    #[serde(default)]
    pub eblomlada: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub handling: String,
    #[serde(default)]
    pub handling_days: String,
    #[serde(default)]
    pub fee: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub case_type: String,
    #[serde(default)]
    pub public_title: String,
    #[serde(default)]
    pub secrecy_ground: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub register_on: String,
}

impl Settings {
    pub fn of(own: &Own, def: &Definition) -> Self {
        Settings {
            title: def.title.sv.clone(),
            summary: def.summary.sv.clone(),
            eblomlada: def.eblomlada.join(", "),
            category: own.category.clone(),
            handling: def.handling.as_ref().map(|t| t.sv.clone()).unwrap_or_default(),
            handling_days: def.handling_days.map(|d| d.to_string()).unwrap_or_default(),
            fee: def.fee.as_ref().and_then(|f| f.amount).map(|a| a.to_string()).unwrap_or_default(),
            contact: def.contact.as_ref().map(|t| t.sv.clone()).unwrap_or_default(),
            case_type: own.case_type_id.to_string(),
            public_title: own.public_title.clone(),
            secrecy_ground: own.secrecy_ground.clone(),
            status: own.status.clone(),
            register_on: own.register_on.clone(),
        }
    }
}

/// Saves the settings: the start page's texts, indicator, category, handling time and fee go
/// to the draft (published with it); the case type, public title, secrecy, whether citizens
/// may use it and when a case is made hold at once, as for an adopted service.
pub async fn save_settings(tx: &mut Tx, t: TenantId, key: &str, f: &Settings, actor: &Actor, now: OffsetDateTime) -> Result<()> {
    let (mut own, mut def) = load(tx, t, key).await?;
    let mut errs = vec![];
    let title = text(&mut errs, "title", &f.title, 200, true);
    let summary = text(&mut errs, "summary", &f.summary, 1000, true);
    let eblomlada: Vec<String> = f.eblomlada.split([',', ' ', ';']).map(|c| c.trim().to_uppercase()).filter(|c| !c.is_empty()).collect();
    let code_ok = |c: &String| c.strip_prefix("EB17-").is_some_and(|n| (1..=3).contains(&n.len()) && n.chars().all(|d| d.is_ascii_digit()));
    if eblomlada.len() > 5 || !eblomlada.iter().all(code_ok) {
        bad(&mut errs, "eblomlada", "es-b-err-eblomlada");
    }
    let category = match f.category.as_str() {
        "" => None,
        c if CATEGORIES.contains(&c) => Some(c.to_string()),
        _ => {
            bad(&mut errs, "category", "es-b-err-category");
            None
        }
    };
    let handling = text(&mut errs, "handling", &f.handling, 2000, false);
    let handling_days = number(&mut errs, "handling_days", &f.handling_days, 1u32..=3650);
    let fee = number(&mut errs, "fee", &f.fee, 0i64..=10_000_000);
    let contact = text(&mut errs, "contact", &f.contact, 500, false);
    let case_type = routed_case_type(tx, t, &mut errs, &f.case_type).await?;
    let public_title = text(&mut errs, "public_title", &f.public_title, 200, true);
    let ground = f.secrecy_ground.trim();
    if !ground.is_empty() && (!ground.starts_with("OSL ") || ground.chars().count() > 80 || ground.contains('<')) {
        bad(&mut errs, "secrecy_ground", "es-err-secrecy-ground");
    }
    if !matches!(f.status.as_str(), "published" | "paused") {
        bad(&mut errs, "status", "es-err-status");
    }
    let register_on = match f.register_on.as_str() {
        "" | "submit" => "submit",
        "payment" => "payment",
        _ => {
            bad(&mut errs, "register_on", "es-err-register-on");
            "submit"
        }
    };
    let Some(case_type) = case_type.filter(|_| errs.is_empty()) else {
        return Err(Error::Invalid(errs));
    };
    def.title = keep_en(&def.title, title);
    def.summary = keep_en(&def.summary, summary);
    def.eblomlada = eblomlada;
    def.handling = opt_text(handling);
    def.handling_days = handling_days;
    def.fee = match fee {
        None => None,
        Some(amount) => Some(Fee { amount: Some(amount), expr: None, note: def.fee.as_ref().and_then(|f| f.note.clone()) }),
    };
    def.contact = opt_text(contact);
    own.category = category.unwrap_or_else(|| category_of(&def).to_string());
    own.case_type_id = case_type;
    own.public_title = public_title;
    own.secrecy_ground = ground.to_string();
    own.status = f.status.clone();
    own.register_on = register_on.to_string();
    save(tx, t, &mut own, &def, now).await?;
    let data = serde_json::json!({ "status": own.status, "case_type": case_type, "category": own.category, "register_on": register_on });
    record(tx, t, actor, "es.own.settings", key, data, now).await
}

/// A changed Swedish text drops an English one written for the old text.
fn keep_en(old: &Text, sv: String) -> Text {
    if old.sv == sv { old.clone() } else { Text::sv(sv) }
}

// ---------------------------------------------------------------------------------------
// Steps

/// A step's texts and condition as posted.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct StepInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub intro: String,
    #[serde(default)]
    pub visible_if: String,
}

fn step_index(def: &Definition, id: &str) -> Result<usize> {
    def.steps.iter().position(|s| s.id == id).ok_or(Error::NotFound)
}

/// A condition as typed: trimmed, at most 500 characters; empty is none.
fn condition(errs: &mut Vec<FieldError>, field: &str, value: &str) -> Option<String> {
    let v = value.trim();
    if v.chars().count() > 500 {
        bad(errs, field, "es-b-err-too-long");
        None
    } else if v.is_empty() {
        None
    } else {
        Some(v.to_string())
    }
}

/// The linter's problems about `at` (a field id or `step:<id>`), each put on the posted input
/// it is about.
fn lint_at(def: &Definition, at: &str) -> Vec<FieldError> {
    form::lint(def)
        .into_iter()
        .filter(|p| p.field.as_deref() == Some(at))
        .map(|p| FieldError::new(input_of(&p), format!("{LINT_PREFIX}{}", p.message)))
        .collect()
}

/// The posted input a linter problem is about.
pub fn input_of(p: &LintProblem) -> &'static str {
    let m = p.message.as_str();
    if m.starts_with("visible_if") || m.contains("can never be shown") {
        "visible_if"
    } else if m.starts_with("required_if") || m.contains("cannot be required") {
        "required_if"
    } else if m.contains("option") || m.contains("choice") {
        "options"
    } else if m.contains("min_length") || m.contains("max_length") {
        "max_length"
    } else if m.contains("min_days") || m.contains("max_days") {
        "max_days"
    } else if m.contains("pattern") {
        "pattern"
    } else if m.contains("decimals") {
        "decimals"
    } else if m.contains("min ") || m.contains("max") {
        "max"
    } else if m.contains("step has no fields") {
        "kind"
    } else {
        "title"
    }
}

/// Adds a step at the end; its id is made from its title.
pub async fn add_step(tx: &mut Tx, t: TenantId, key: &str, f: &StepInput, actor: &Actor, now: OffsetDateTime) -> Result<String> {
    let mut errs = vec![];
    let title = text(&mut errs, "title", &f.title, 200, true);
    let intro = text(&mut errs, "intro", &f.intro, 2000, false);
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    change(tx, t, key, (actor, "es.own.step.added", now), |def| {
        if def.steps.len() >= MAX_STEPS {
            return Err(invalid("title", "es-b-err-too-many"));
        }
        let id = make_id(&title, "steg", &ids(def));
        def.steps.push(Step { id: id.clone(), title: Text::sv(title), intro: opt_text(intro), fields: vec![], visible_if: None });
        Ok(id)
    })
    .await
}

/// Changes a step's title, introduction and condition; a condition the linter refuses is
/// refused at its input with the linter's words.
pub async fn edit_step(tx: &mut Tx, t: TenantId, key: &str, id: &str, f: &StepInput, actor: &Actor, now: OffsetDateTime) -> Result<()> {
    let mut errs = vec![];
    let title = text(&mut errs, "title", &f.title, 200, true);
    let intro = text(&mut errs, "intro", &f.intro, 2000, false);
    let visible_if = condition(&mut errs, "visible_if", &f.visible_if);
    change(tx, t, key, (actor, "es.own.step.changed", now), |def| {
        let i = step_index(def, id)?;
        if !errs.is_empty() {
            return Err(Error::Invalid(errs));
        }
        let s = &mut def.steps[i];
        s.title = keep_en(&s.title, title);
        s.intro = opt_text(intro);
        s.visible_if = visible_if;
        let problems: Vec<FieldError> = lint_at(def, &format!("step:{id}")).into_iter().filter(|e| e.field == "visible_if").collect();
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(id.to_string())
    })
    .await
    .map(|_| ())
}

/// `upp` or `ned`; anything else is a tampered form.
fn direction(d: &str) -> Result<bool> {
    match d {
        "upp" => Ok(true),
        "ned" => Ok(false),
        _ => Err(invalid("direction", "es-b-err-direction")),
    }
}

/// Moves a step one place up or down (at the top or bottom nothing changes).
pub async fn move_step(tx: &mut Tx, t: TenantId, key: &str, id: &str, dir: &str, actor: &Actor, now: OffsetDateTime) -> Result<()> {
    let up = direction(dir)?;
    change(tx, t, key, (actor, "es.own.step.moved", now), |def| {
        let i = step_index(def, id)?;
        let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|&j| j < def.steps.len()) };
        if let Some(j) = j {
            def.steps.swap(i, j);
        }
        Ok(serde_json::json!({ "step": id, "direction": dir }))
    })
    .await
    .map(|_| ())
}

/// Deletes a step and its fields; the last step stays (a form has at least one).
pub async fn delete_step(tx: &mut Tx, t: TenantId, key: &str, id: &str, actor: &Actor, now: OffsetDateTime) -> Result<()> {
    change(tx, t, key, (actor, "es.own.step.deleted", now), |def| {
        let i = step_index(def, id)?;
        if def.steps.len() == 1 {
            return Err(invalid("steps", "es-b-err-last-step"));
        }
        def.steps.remove(i);
        Ok(id.to_string())
    })
    .await
    .map(|_| ())
}

// ---------------------------------------------------------------------------------------
// Fields

/// A new field: its type and label.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewField {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub label: String,
}

/// Adds a field at the end of a step; its id is made from its label. Returns the id.
pub async fn add_field(
    tx: &mut Tx,
    t: TenantId,
    key: &str,
    step: &str,
    f: &NewField,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String> {
    let mut errs = vec![];
    let kind = parse_kind(&f.kind);
    if kind.is_none() {
        bad(&mut errs, "kind", "es-b-err-kind");
    }
    let label = text(&mut errs, "label", &f.label, 200, true);
    change(tx, t, key, (actor, "es.own.field.added", now), |def| {
        let i = step_index(def, step)?;
        let (Some(kind), true) = (kind, errs.is_empty()) else {
            return Err(Error::Invalid(errs));
        };
        if def.steps[i].fields.len() >= MAX_FIELDS {
            return Err(invalid("label", "es-b-err-too-many"));
        }
        let id = make_id(&label, "falt", &ids(def));
        let mut field = Field::new(&id, kind, &label);
        if kind.has_options() {
            field.options = vec![ChoiceOption::new("ja", "Ja"), ChoiceOption::new("nej", "Nej")];
        }
        def.steps[i].fields.push(field);
        Ok(id)
    })
    .await
}

/// A field's settings as posted; which apply depends on its type ([`settable`]).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FieldInput {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub help: String,
    /// `ja` when ticked.
    #[serde(default)]
    pub required: String,
    #[serde(default)]
    pub visible_if: String,
    #[serde(default)]
    pub required_if: String,
    /// One option a line: `Etikett` or `värde | Etikett`.
    #[serde(default)]
    pub options: String,
    #[serde(default)]
    pub min_length: String,
    #[serde(default)]
    pub max_length: String,
    #[serde(default)]
    pub min: String,
    #[serde(default)]
    pub max: String,
    #[serde(default)]
    pub decimals: String,
    #[serde(default)]
    pub pattern: String,
    #[serde(default)]
    pub min_days: String,
    #[serde(default)]
    pub max_days: String,
}

impl FieldInput {
    pub fn of(f: &Field) -> Self {
        let n = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        FieldInput {
            label: f.label.sv.clone(),
            help: f.help.as_ref().map(|h| h.sv.clone()).unwrap_or_default(),
            required: if f.required { "ja".into() } else { String::new() },
            visible_if: f.visible_if.clone().unwrap_or_default(),
            required_if: f.required_if.clone().unwrap_or_default(),
            options: f
                .options
                .iter()
                .map(
                    |o| if o.value == make_id(&o.label.sv, "", &[]) { o.label.sv.clone() } else { format!("{} | {}", o.value, o.label.sv) },
                )
                .collect::<Vec<_>>()
                .join("\n"),
            min_length: n(f.min_length.map(i64::from)),
            max_length: n(f.max_length.map(i64::from)),
            min: n(f.min),
            max: n(f.max),
            decimals: n(f.decimals.map(i64::from)),
            pattern: f.pattern.clone().unwrap_or_default(),
            min_days: n(f.min_days.map(i64::from)),
            max_days: n(f.max_days.map(i64::from)),
        }
    }
}

/// The options of a choice, one a line: `värde | Etikett`, or `Etikett` (its value made from
/// it). Values are 1 to 100 characters, unique.
fn options(errs: &mut Vec<FieldError>, value: &str) -> Vec<ChoiceOption> {
    let mut out: Vec<ChoiceOption> = vec![];
    let mut problem = None;
    for line in value.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (value, label) = match line.split_once('|') {
            Some((v, l)) => (v.trim().to_string(), l.trim().to_string()),
            None => (make_id(line, "val", &[]), line.to_string()),
        };
        if value.is_empty() || value.chars().count() > 100 || value.contains('"') || label.is_empty() || label.chars().count() > 200 {
            problem = Some("es-b-err-option");
        } else if label.contains('<') || label.contains('>') || value.contains('<') {
            problem = Some("es-b-err-markup");
        } else if out.iter().any(|o| o.value == value) {
            problem = Some("es-b-err-option-twice");
        }
        out.push(ChoiceOption { value, label: Text::sv(label), hidden: false });
    }
    if out.len() > MAX_OPTIONS {
        problem = Some("es-b-err-too-many");
    }
    if let Some(p) = problem {
        bad(errs, "options", p);
    }
    out
}

/// Changes a field. Settings that do not apply to its type are ignored; a condition or a
/// setting the linter refuses is refused at its input with the linter's words.
pub async fn edit_field(tx: &mut Tx, t: TenantId, key: &str, id: &str, f: &FieldInput, actor: &Actor, now: OffsetDateTime) -> Result<()> {
    change(tx, t, key, (actor, "es.own.field.changed", now), |def| {
        let (step, _) = def.field(id).ok_or(Error::NotFound)?;
        let pos = def.steps[step].fields.iter().position(|x| x.id == id).ok_or(Error::NotFound)?;
        let field = &mut def.steps[step].fields[pos];
        let can = settable(field.kind);
        let mut errs = vec![];
        let label = text(&mut errs, "label", &f.label, 200, true);
        let help = text(&mut errs, "help", &f.help, if field.kind == FieldKind::Info { 4000 } else { 1000 }, false);
        let visible_if = condition(&mut errs, "visible_if", &f.visible_if);
        let required_if = if can.required { condition(&mut errs, "required_if", &f.required_if) } else { None };
        if !matches!(f.required.as_str(), "" | "ja") {
            bad(&mut errs, "required", "es-b-err-direction");
        }
        let opts = if can.options { options(&mut errs, &f.options) } else { vec![] };
        let min_length = if can.length { number(&mut errs, "min_length", &f.min_length, 0u32..=5000) } else { None };
        let max_length = if can.length { number(&mut errs, "max_length", &f.max_length, 1u32..=5000) } else { None };
        let min = if can.range { number(&mut errs, "min", &f.min, -1_000_000_000i64..=1_000_000_000) } else { None };
        let max = if can.range { number(&mut errs, "max", &f.max, -1_000_000_000i64..=1_000_000_000) } else { None };
        let decimals = if can.decimals { number(&mut errs, "decimals", &f.decimals, 0u8..=4) } else { None };
        let pattern = if can.pattern {
            let p = f.pattern.trim();
            if p.chars().count() > 300 {
                bad(&mut errs, "pattern", "es-b-err-too-long");
            }
            (!p.is_empty()).then(|| p.to_string())
        } else {
            None
        };
        let min_days = if can.days { number(&mut errs, "min_days", &f.min_days, -36_500i32..=36_500) } else { None };
        let max_days = if can.days { number(&mut errs, "max_days", &f.max_days, -36_500i32..=36_500) } else { None };
        if !errs.is_empty() {
            return Err(Error::Invalid(errs));
        }
        field.label = keep_en(&field.label, label);
        field.help = match field.help.as_ref() {
            Some(old) if !help.is_empty() => Some(keep_en(old, help)),
            _ => opt_text(help),
        };
        field.required = can.required && f.required == "ja";
        field.visible_if = visible_if;
        field.required_if = required_if;
        if can.options {
            field.options = opts;
        }
        (field.min_length, field.max_length, field.min, field.max) = (min_length, max_length, min, max);
        (field.decimals, field.pattern, field.min_days, field.max_days) = (decimals, pattern, min_days, max_days);
        let problems = lint_at(def, id);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(id.to_string())
    })
    .await
    .map(|_| ())
}

/// Moves a field one place up or down within its step.
pub async fn move_field(tx: &mut Tx, t: TenantId, key: &str, id: &str, dir: &str, actor: &Actor, now: OffsetDateTime) -> Result<()> {
    let up = direction(dir)?;
    change(tx, t, key, (actor, "es.own.field.moved", now), |def| {
        let (step, _) = def.field(id).ok_or(Error::NotFound)?;
        let fields = &mut def.steps[step].fields;
        let i = fields.iter().position(|x| x.id == id).ok_or(Error::NotFound)?;
        let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|&j| j < fields.len()) };
        if let Some(j) = j {
            fields.swap(i, j);
        }
        Ok(serde_json::json!({ "field": id, "direction": dir }))
    })
    .await
    .map(|_| ())
}

/// Deletes a field. A condition that names it is then reported by the linter at publishing.
pub async fn delete_field(tx: &mut Tx, t: TenantId, key: &str, id: &str, actor: &Actor, now: OffsetDateTime) -> Result<()> {
    change(tx, t, key, (actor, "es.own.field.deleted", now), |def| {
        let (step, _) = def.field(id).ok_or(Error::NotFound)?;
        def.steps[step].fields.retain(|x| x.id != id);
        Ok(id.to_string())
    })
    .await
    .map(|_| ())
}

// ---------------------------------------------------------------------------------------
// Publishing, import and export

/// What stops the draft from being published (empty: it may be).
pub fn problems(def: &Definition) -> Vec<LintProblem> {
    form::lint(def)
}

/// Publishes the draft as the next version: the linter must find nothing. Returns the new
/// version; citizens who start now get it, drafts and submissions keep theirs.
pub async fn publish(tx: &mut Tx, t: TenantId, key: &str, actor: &Actor, now: OffsetDateTime) -> Result<i32> {
    let (own, mut def) = load(tx, t, key).await?;
    let version = own.revision + 1;
    def.version = u32::try_from(version).map_err(|_| Error::Internal("version".into()))?;
    if !form::lint(&def).is_empty() {
        return Err(invalid("publish", "es-b-err-publish"));
    }
    let json = serde_json::to_string(&def).map_err(|e| Error::Internal(format!("definition: {e}")))?;
    store::publish_own(tx, t, key, version, &json, now).await?;
    record(tx, t, actor, "es.own.published", key, serde_json::json!({ "version": version }), now).await?;
    Ok(version)
}

/// The draft as JSON, for the power user's editor.
pub fn export(def: &Definition) -> String {
    serde_json::to_string_pretty(def).unwrap_or_default()
}

/// Replaces the draft with an imported definition: it must parse, keep the service's key and
/// pass the linter (its version is set at publishing). The problems come back as lines.
pub async fn import(
    tx: &mut Tx,
    t: TenantId,
    key: &str,
    json: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<std::result::Result<(), Vec<LintProblem>>> {
    let (mut own, current) = load(tx, t, key).await?;
    let def = match form::parse(json.trim()) {
        Ok(d) => d,
        Err(p) => return Ok(Err(p)),
    };
    if def.key != key {
        return Ok(Err(vec![LintProblem { field: Some("key".into()), message: format!("the key must stay `{key}`") }]));
    }
    let mut def = def;
    def.version = current.version;
    save(tx, t, &mut own, &def, now).await?;
    record(tx, t, actor, "es.own.imported", key, serde_json::json!({ "steps": def.steps.len() }), now).await?;
    Ok(Ok(()))
}
