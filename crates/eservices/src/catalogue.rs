//! The shared catalogue: the platform operator publishes versioned definitions (linted by
//! [`form::lint`]), the starter bank is loaded at every start, and stored definitions are read
//! back. One transaction per use case; the operator's pages are in [`crate::web::admin`].

use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use time::OffsetDateTime;

use crate::form::{self, Definition};
use crate::{EsError, store};

/// The catalogue's categories, by the eBlomlåda area of the indicator a service fulfils
/// (Fluent ids `es-category-…`).
pub const CATEGORIES: &[&str] = &["omsorg", "skola", "foretag", "bygga", "kultur", "synpunkter", "ovrigt"];

/// The category of a definition: the eBlomlåda area of its first indicator.
pub fn category_of(def: &Definition) -> &'static str {
    let n: u32 = def.eblomlada.first().and_then(|c| c.strip_prefix("EB17-")).and_then(|n| n.parse().ok()).unwrap_or(0);
    match n {
        1..=8 => "omsorg",
        53..=57 => "skola",
        58..=63 => "foretag",
        64..=72 => "bygga",
        73..=82 => "kultur",
        83..=88 => "synpunkter",
        _ => "ovrigt",
    }
}

/// The lint problems as one field error per problem, for the staff pages (English text from
/// the linter, shown as it is: the pages escape it).
fn definition_error(problems: &[form::LintProblem]) -> Error {
    tracing::debug!(?problems, "definition refused");
    Error::Invalid(vec![FieldError::new("es_definition", "es-err-definition")])
}

/// The problems of a definition as lines for the operator's page.
pub fn problem_lines(problems: &[form::LintProblem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| match &p.field {
            Some(f) => format!("{f}: {}", p.message),
            None => p.message.clone(),
        })
        .collect()
}

/// Publishes a definition as the next version of its shared e-service (the first version
/// creates it). The linter must find nothing; the version must be above the current one.
pub async fn publish(tx: &mut Tx, def: &Definition, by: &str, now: OffsetDateTime) -> Result<()> {
    let problems = form::lint(def);
    if !problems.is_empty() {
        return Err(definition_error(&problems));
    }
    let version = i32::try_from(def.version).map_err(|_| EsError::Version)?;
    if let Some(cur) = store::shared(tx, &def.key).await?
        && cur.current_version >= version
    {
        return Err(EsError::Version.into());
    }
    let json = serde_json::to_string(def).map_err(|e| Error::Internal(format!("definition: {e}")))?;
    store::publish_shared(tx, (&def.key, category_of(def), version), &json, by, now).await?;
    audit::record(
        tx,
        None,
        &Actor::system(),
        Event::new("es.shared.published", "eservice", &def.key).with(serde_json::json!({ "version": version, "by": by })),
        now,
    )
    .await
}

/// Loads the starter bank into the shared catalogue: a service that is missing, or whose
/// shipped version is newer, is published; anything else is left as it is (idempotent, at
/// every start and by the demo). Returns how many versions were published.
pub async fn load_starter_bank(db: &Db, now: OffsetDateTime) -> Result<usize> {
    let mut tx = db.write(Scope::Platform).await?;
    let mut n = 0;
    for def in form::starter_bank() {
        let current = store::shared(&mut tx, &def.key).await?.map(|s| s.current_version);
        if current.is_none_or(|v| i64::from(v) < i64::from(def.version)) {
            publish(&mut tx, &def, "Rådhus startbank", now).await?;
            n += 1;
        }
    }
    tx.commit().await?;
    Ok(n)
}

/// The current definition of a shared e-service.
pub async fn shared_definition(tx: &mut Tx, key: &str) -> Result<(store::Shared, Definition)> {
    let s = store::shared(tx, key).await?.ok_or(Error::NotFound)?;
    let def = parse_stored(&s.definition)?;
    Ok((s, def))
}

/// A stored definition (it was linted when stored).
pub fn parse_stored(json: &str) -> Result<Definition> {
    serde_json::from_str(json).map_err(|e| Error::Internal(format!("stored definition: {e}")))
}
