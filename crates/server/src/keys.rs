//! The keys for personal identity numbers (ADR 0018): finding and installing the key file,
//! making one for the demo, and `radhus keys rotate` / `radhus keys generate`.

use std::path::{Path, PathBuf};

use radhus_platform::config::Config;
use radhus_platform::db::Db;
use radhus_platform::pii::{self, ColumnReport, Keyring, SealedColumn};

/// The file name of the key file in a data folder (`radhus-data/pii-keys`).
pub const DEMO_FILE: &str = "pii-keys";

/// Every column of every module that holds sealed personal identity numbers. A module that
/// stores numbers adds its list here.
pub fn sealed_columns() -> Vec<SealedColumn> {
    let mut v = pii::PLATFORM_COLUMNS.to_vec();
    v.extend_from_slice(radhus_cases::parties::SEALED_COLUMNS);
    v.extend_from_slice(radhus_elections::registers::store::SEALED_COLUMNS);
    v.extend_from_slice(radhus_eservices::SEALED_COLUMNS);
    v
}

/// Where the key file is: `pii_keys_file` if set, else `<data folder>/pii-keys` when the
/// database is the data folder's.
pub fn key_path(cfg: &Config, data: Option<&Path>) -> Option<PathBuf> {
    if !cfg.pii_keys_file.is_empty() {
        return Some(PathBuf::from(&cfg.pii_keys_file));
    }
    data.map(|d| d.join(DEMO_FILE))
}

/// A platform error as a line for the terminal, in English with its code.
fn explain(e: &radhus_platform::error::Error, path: Option<&Path>) -> anyhow::Error {
    let msg = match radhus_platform::web::I18n::new(&radhus_platform::web::i18n::PLATFORM_FTL) {
        Ok(i18n) => i18n.message(radhus_kernel::Lang::En, &format!("err-{}", e.code().code), None),
        Err(_) => e.to_string(),
    };
    match path {
        Some(p) => anyhow::anyhow!("{msg} [{}] (key file: {})", e.code(), p.display()),
        None => anyhow::anyhow!("{msg} [{}]", e.code()),
    }
}

/// Loads the key file (`PLT-010` without one, translated, with what to do).
pub fn load(cfg: &Config, data: Option<&Path>) -> anyhow::Result<Keyring> {
    let Some(path) = key_path(cfg, data) else {
        return Err(
            explain(&pii::err_no_key(), None).context("set pii_keys_file (RADHUS_PII_KEYS_FILE); `radhus keys generate > FILE` makes one")
        );
    };
    Keyring::load(&path).map_err(|e| explain(&e, Some(&path)))
}

/// Loads the key file and installs it as the process's keyring. Without a key file this is
/// the translated `PLT-010` and the caller stops before anything is written.
pub fn install(cfg: &Config, data: Option<&Path>) -> anyhow::Result<&'static Keyring> {
    let keys = load(cfg, data)?;
    pii::install(keys).map_err(|e| explain(&e, None))
}

/// The demo's key file: made in the data folder on the first run (readable by the owner
/// only), reused afterwards. Returns its path.
pub fn ensure_demo_file(cfg: &Config, data: &Path) -> anyhow::Result<PathBuf> {
    let path = key_path(cfg, Some(data)).unwrap_or_else(|| data.join(DEMO_FILE));
    if !path.exists() {
        let text = Keyring::generate_file(&new_id()).map_err(|e| explain(&e, Some(&path)))?;
        write_private(&path, &text)?;
        tracing::info!(file = %path.display(), "made the demo's key for personal identity numbers");
    }
    Ok(path)
}

/// [`ensure_demo_file`], then [`install`].
pub fn install_demo(cfg: &Config, data: &Path) -> anyhow::Result<&'static Keyring> {
    ensure_demo_file(cfg, data)?;
    install(cfg, Some(data))
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| anyhow::anyhow!("cannot create the key file {}: {e}", path.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

/// A key id from today's date and time, `kYYYYMMDDhhmmss`.
pub fn new_id() -> String {
    let now = radhus_kernel::Clock::now(&radhus_kernel::SystemClock);
    format!("k{:04}{:02}{:02}{:02}{:02}{:02}", now.year(), u8::from(now.month()), now.day(), now.hour(), now.minute(), now.second())
}

/// Seals what a migration left in plain text (a no-op once done), reporting what it did.
pub async fn seal_leftovers(db: &Db, keys: &Keyring) -> anyhow::Result<Vec<ColumnReport>> {
    let done = pii::migrate_plaintext(db, keys, &sealed_columns()).await.map_err(|e| explain(&e, None))?;
    for r in done.iter().filter(|r| r.rows > 0) {
        tracing::info!(table = r.table, column = r.column, rows = r.rows, "sealed personal identity numbers left in plain text");
    }
    // Case parties from before migration 0015 get their kind; numbers that parse are sealed.
    let today = radhus_kernel::Clock::now(&radhus_kernel::SystemClock).date();
    let parties = radhus_cases::parties::upgrade(db, today).await.map_err(|e| explain(&e, None))?;
    if parties != radhus_cases::parties::Upgrade::default() {
        tracing::info!(persons = parties.persons, organisations = parties.organisations, names = parties.names, "case parties classified");
    }
    for (tenant, case, party) in &parties.unparsed {
        tracing::warn!(%tenant, case = %case, %party, "a case party's identity number is no valid number: it stays a name for staff to correct");
    }
    Ok(done)
}

/// `radhus keys rotate`: seals leftovers, then re-seals every value under the active key.
pub async fn rotate(db: &Db, keys: &Keyring) -> anyhow::Result<Vec<ColumnReport>> {
    seal_leftovers(db, keys).await?;
    pii::rotate(db, keys, &sealed_columns()).await.map_err(|e| explain(&e, None))
}
