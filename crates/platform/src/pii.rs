//! Protected personal identity numbers (issue 10 item 5, ADR 0018).
//!
//! A personal identity number (or any other short personal secret a module chooses) is never
//! written to the database in plain text. It is stored twice:
//!
//! * **sealed**: `v1:<key id>:<base64 of nonce ‖ ciphertext ‖ tag>`, XChaCha20-Poly1305 with a
//!   random 24-byte nonce under the key named by the key id, the key id bound as associated data;
//! * **blind index**: hex HMAC-SHA-256 of the canonical number under a separate *index key*, so
//!   that rows are found by number (`WHERE pnr_index = $1`) without decrypting.
//!
//! The keys come from a key file named by the configuration (`pii_keys_file`), never from the
//! database: a copy of the database alone reveals no number, and since numbers have little
//! entropy the index key is as secret as the encryption keys. The file holds
//!
//! ```text
//! # comment
//! index=<base64, 32 bytes>      the blind-index key (rotation does not change it)
//! active=<key id>               the key new values are sealed with (default: the first key)
//! <key id>=<base64, 32 bytes>   one line per encryption key, old ones kept until rotated away
//! ```
//!
//! The process installs one [`Keyring`] at start ([`install`]); [`seal`], [`open`] and
//! [`index`] use it. `radhus keys rotate` ([`rotate`]) re-seals every sealed column under the
//! active key; [`migrate_plaintext`] seals numbers a migration moved aside.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use radhus_kernel::Personnummer;
use radhus_kernel::error::ErrorKind;
use sha2::Sha256;

use crate::db::{Db, Scope};
use crate::error::{Error, Result};
use crate::on_tx;

/// The version prefix of every sealed value.
const VERSION: &str = "v1";
const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
/// Prefix of a citizen's identity in the audit log: the blind index, never the number.
pub const AUDIT_PREFIX: &str = "pnr:";

/// No keyring is installed or configured (`serve` refuses to start; a write is refused).
pub fn err_no_key() -> Error {
    Error::rule("PLT-010", ErrorKind::Internal, "err-PLT-010")
}

/// A sealed value names a key id the keyring does not hold.
pub fn err_unknown_key() -> Error {
    Error::rule("PLT-011", ErrorKind::Internal, "err-PLT-011")
}

/// The key file is malformed, or a sealed value is damaged (fails to decrypt).
pub fn err_bad_key() -> Error {
    Error::rule("PLT-012", ErrorKind::Internal, "err-PLT-012")
}

/// A sealed value and its blind index, for the two columns `<x>_sealed` and `<x>_index`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub sealed: String,
    pub index: String,
}

/// The keys: encryption keys by id, the active id, and the blind-index key.
#[derive(Clone, PartialEq, Eq)]
pub struct Keyring {
    active: String,
    keys: BTreeMap<String, [u8; KEY_LEN]>,
    index_key: [u8; KEY_LEN],
}

impl fmt::Debug for Keyring {
    /// Never prints key material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring").field("active", &self.active).field("ids", &self.keys.keys().collect::<Vec<_>>()).finish()
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id != "index"
        && id != "active"
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn decode_key(b64: &str) -> Option<[u8; KEY_LEN]> {
    B64.decode(b64.trim()).ok()?.try_into().ok()
}

fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    Ok(b)
}

impl Keyring {
    /// Builds a keyring from parts; `active` must be one of `keys`.
    pub fn new(active: &str, keys: Vec<(String, [u8; KEY_LEN])>, index_key: [u8; KEY_LEN]) -> Result<Keyring> {
        let keys: BTreeMap<_, _> = keys.into_iter().collect();
        if !keys.keys().all(|k| valid_id(k)) {
            return Err(err_bad_key());
        }
        if !keys.contains_key(active) {
            return Err(err_unknown_key());
        }
        Ok(Keyring { active: active.to_string(), keys, index_key })
    }

    /// Parses the key file's text (format in the module documentation). A missing `index=`
    /// line, a malformed line or key, or no key at all is `PLT-012`; an `active=` that names
    /// no key in the file is `PLT-011`.
    pub fn parse(text: &str) -> Result<Keyring> {
        let mut active = None;
        let mut index_key = None;
        let mut keys = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (name, value) = line.split_once('=').ok_or_else(err_bad_key)?;
            let (name, value) = (name.trim(), value.trim());
            match name {
                "active" => active = Some(value.to_string()),
                "index" => index_key = Some(decode_key(value).ok_or_else(err_bad_key)?),
                id if valid_id(id) => keys.push((id.to_string(), decode_key(value).ok_or_else(err_bad_key)?)),
                _ => return Err(err_bad_key()),
            }
        }
        let index_key = index_key.ok_or_else(err_bad_key)?;
        let first = keys.first().map(|(id, _)| id.clone()).ok_or_else(err_bad_key)?;
        let active = active.unwrap_or(first);
        Keyring::new(&active, keys, index_key)
    }

    /// Reads and parses a key file. A file that does not exist is `PLT-010`.
    pub fn load(path: &Path) -> Result<Keyring> {
        match std::fs::read_to_string(path) {
            Ok(text) => Keyring::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(err_no_key()),
            Err(e) => Err(Error::Internal(format!("cannot read the key file {}: {e}", path.display()))),
        }
    }

    /// The text of a new key file: a fresh index key and one fresh encryption key `id`.
    pub fn generate_file(id: &str) -> Result<String> {
        if !valid_id(id) {
            return Err(err_bad_key());
        }
        let index: [u8; KEY_LEN] = random_bytes()?;
        Ok(format!(
            "# Rådhus: keys for personal identity numbers (ADR 0018). Keep secret, back up apart from the database.\n\
             # index= is the blind-index key: never change it. active= names the key new values are sealed with.\n\
             index={}\nactive={id}\n{}\n",
            B64.encode(index),
            Keyring::generate_key_line(id)?
        ))
    }

    /// One new key line `id=<base64>` to add to a key file (then set `active=` and rotate).
    pub fn generate_key_line(id: &str) -> Result<String> {
        if !valid_id(id) {
            return Err(err_bad_key());
        }
        let key: [u8; KEY_LEN] = random_bytes()?;
        Ok(format!("{id}={}", B64.encode(key)))
    }

    /// The same keys with another active key (tests, and checking a file before rotation).
    pub fn with_active(mut self, id: &str) -> Result<Keyring> {
        if !self.keys.contains_key(id) {
            return Err(err_unknown_key());
        }
        self.active = id.to_string();
        Ok(self)
    }

    pub fn active_id(&self) -> &str {
        &self.active
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    /// Seals any text under the active key.
    pub fn seal_text(&self, plain: &str) -> Result<String> {
        let key = self.keys.get(&self.active).ok_or_else(err_unknown_key)?;
        let cipher = XChaCha20Poly1305::new(key.into());
        let nonce: [u8; NONCE_LEN] = random_bytes()?;
        let aad = self.active.as_bytes();
        let ct = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain.as_bytes(), aad })
            .map_err(|_| Error::Internal("encryption failed".into()))?;
        let mut blob = Vec::with_capacity(NONCE_LEN + ct.len());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&ct);
        Ok(format!("{VERSION}:{}:{}", self.active, B64.encode(blob)))
    }

    /// Opens a value sealed by [`Keyring::seal_text`] under any key the keyring holds.
    pub fn open_text(&self, sealed: &str) -> Result<String> {
        let (id, blob) = split(sealed)?;
        let key = self.keys.get(id).ok_or_else(err_unknown_key)?;
        let blob = B64.decode(blob).map_err(|_| err_bad_key())?;
        if blob.len() < NONCE_LEN {
            return Err(err_bad_key());
        }
        let (nonce, ct) = blob.split_at(NONCE_LEN);
        let plain = XChaCha20Poly1305::new(key.into())
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: id.as_bytes() })
            .map_err(|_| err_bad_key())?;
        String::from_utf8(plain).map_err(|_| err_bad_key())
    }

    /// The blind index of a text (for a number: its canonical form, see [`Keyring::index`]).
    pub fn index_text(&self, text: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key).expect("HMAC takes any key length");
        mac.update(b"radhus-pii-index-v1\0");
        mac.update(text.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn seal(&self, pnr: &Personnummer) -> Result<Sealed> {
        let canonical = pnr.to_string();
        Ok(Sealed { sealed: self.seal_text(&canonical)?, index: self.index_text(&canonical) })
    }

    pub fn open(&self, sealed: &str) -> Result<Personnummer> {
        Personnummer::parse_canonical(&self.open_text(sealed)?).map_err(|_| err_bad_key())
    }

    /// The blind index of a number: HMAC-SHA-256 of its canonical 12-digit form, so every
    /// written form of one number has one index.
    pub fn index(&self, pnr: &Personnummer) -> String {
        self.index_text(&pnr.to_string())
    }
}

/// `v1:<id>:<blob>` → (id, blob).
fn split(sealed: &str) -> Result<(&str, &str)> {
    let rest = sealed.strip_prefix(VERSION).and_then(|r| r.strip_prefix(':')).ok_or_else(err_bad_key)?;
    rest.split_once(':').ok_or_else(err_bad_key)
}

/// The key id a sealed value was sealed with.
pub fn key_id_of(sealed: &str) -> Result<&str> {
    Ok(split(sealed)?.0)
}

static KEYRING: OnceLock<Keyring> = OnceLock::new();

/// Installs the process's keyring. Installing the same keyring again is fine (tests);
/// installing a different one once one is installed is an error.
pub fn install(k: Keyring) -> Result<&'static Keyring> {
    let installed = KEYRING.get_or_init(|| k.clone());
    if *installed == k { Ok(installed) } else { Err(Error::Internal("a different keyring is already installed".into())) }
}

/// The installed keyring, or `PLT-010`.
pub fn keyring() -> Result<&'static Keyring> {
    KEYRING.get().ok_or_else(err_no_key)
}

/// Seals a number under the installed keyring's active key, with its blind index.
pub fn seal(pnr: &Personnummer) -> Result<Sealed> {
    keyring()?.seal(pnr)
}

/// Opens a sealed number with the installed keyring (unknown key id: `PLT-011`).
pub fn open(sealed: &str) -> Result<Personnummer> {
    keyring()?.open(sealed)
}

/// The blind index of a number under the installed keyring.
pub fn index(pnr: &Personnummer) -> Result<String> {
    Ok(keyring()?.index(pnr))
}

pub fn seal_text(plain: &str) -> Result<String> {
    keyring()?.seal_text(plain)
}

pub fn open_text(sealed: &str) -> Result<String> {
    keyring()?.open_text(sealed)
}

/// Seals a number given as text: a valid number by its canonical form (so it has the same
/// index as [`seal`] gives it), any other text as it is.
pub fn seal_str(pnr: &str) -> Result<Sealed> {
    let k = keyring()?;
    match Personnummer::parse_canonical(pnr) {
        Ok(p) => k.seal(&p),
        Err(_) => Ok(Sealed { sealed: k.seal_text(pnr.trim())?, index: k.index_text(pnr.trim()) }),
    }
}

/// The blind index of a number given as text (canonical form if valid, else the text).
pub fn index_str(pnr: &str) -> Result<String> {
    let k = keyring()?;
    Ok(match Personnummer::parse_canonical(pnr) {
        Ok(p) => k.index(&p),
        Err(_) => k.index_text(pnr.trim()),
    })
}

/// Replaces a sealed value read from the database (`SELECT x_sealed AS x`) by its plain text,
/// in memory.
pub fn open_in_place(value: &mut Option<String>) -> Result<()> {
    if let Some(sealed) = value.take() {
        *value = Some(open_text(&sealed)?);
    }
    Ok(())
}

/// Opens an optional sealed column.
pub fn open_opt(sealed: Option<&str>) -> Result<Option<Personnummer>> {
    sealed.map(open).transpose()
}

/// How a citizen appears in the audit log: `pnr:<blind index>`. Takes the canonical number
/// (as a [`crate::identity::session::Principal::Citizen`] holds it); text that is not a number
/// is indexed as it is. Without a keyring (impossible once `serve` runs) the number is still
/// never written: the identity becomes `pnr:unavailable`.
pub fn audit_id(pnr: &str) -> String {
    let Ok(k) = keyring() else {
        tracing::error!("no keyring installed: a citizen is logged without identity");
        return format!("{AUDIT_PREFIX}unavailable");
    };
    let index = match Personnummer::parse_canonical(pnr) {
        Ok(p) => k.index(&p),
        Err(_) => k.index_text(pnr.trim()),
    };
    format!("{AUDIT_PREFIX}{index}")
}

/// A column pair that holds sealed values: what [`rotate`] re-seals and [`migrate_plaintext`]
/// fills. Every module lists its own (`radhus::sealed_columns()` gathers them).
#[derive(Debug, Clone, Copy)]
pub struct SealedColumn {
    pub table: &'static str,
    /// `<x>_sealed`.
    pub sealed: &'static str,
    /// `<x>_index`, if the column is looked up by number.
    pub index: Option<&'static str>,
    /// A column a migration moved plain numbers into, emptied by [`migrate_plaintext`].
    pub plaintext: Option<&'static str>,
}

/// The platform's own sealed columns.
pub const PLATFORM_COLUMNS: &[SealedColumn] =
    &[SealedColumn { table: "session", sealed: "citizen_pnr_sealed", index: Some("citizen_pnr_index"), plaintext: None }];

/// Rows per transaction in [`rotate`] and [`migrate_plaintext`].
const BATCH: i64 = 500;

/// What [`rotate`] or [`migrate_plaintext`] did to one column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnReport {
    pub table: &'static str,
    pub column: &'static str,
    pub rows: u64,
}

fn sql(s: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(s)
}

/// Re-seals every value of `columns` that is not under `keys`' active key, a batch of rows per
/// transaction. Before writing anything it checks that `keys` can open every value: a value
/// under a key id the keyring lacks is `PLT-011` and nothing is written.
pub async fn rotate(db: &Db, keys: &Keyring, columns: &[SealedColumn]) -> Result<Vec<ColumnReport>> {
    // 1. Every key id in use must be in the keyring.
    for c in columns {
        let mut tx = db.read(Scope::System).await?;
        let q = format!("SELECT DISTINCT {s} FROM {t} WHERE {s} IS NOT NULL", s = c.sealed, t = c.table);
        let values: Vec<(String,)> = on_tx!(&mut tx, cx => sqlx::query_as(sql(q)).fetch_all(cx).await?);
        tx.commit().await?;
        for (v,) in &values {
            if !keys.keys.contains_key(key_id_of(v)?) {
                return Err(err_unknown_key());
            }
        }
    }
    // 2. Re-seal, batch by batch; a value is found by itself (values are unique: random nonces).
    let current = format!("{VERSION}:{}:%", keys.active);
    let mut reports = Vec::new();
    for c in columns {
        let mut rows = 0u64;
        loop {
            let mut tx = db.write(Scope::System).await?;
            let q =
                format!("SELECT DISTINCT {s} FROM {t} WHERE {s} IS NOT NULL AND {s} NOT LIKE $1 LIMIT {BATCH}", s = c.sealed, t = c.table);
            let batch: Vec<(String,)> = on_tx!(&mut tx, cx => sqlx::query_as(sql(q)).bind(&current).fetch_all(cx).await?);
            if batch.is_empty() {
                tx.commit().await?;
                break;
            }
            for (old,) in &batch {
                let new = keys.seal_text(&keys.open_text(old)?)?;
                let q = format!("UPDATE {t} SET {s} = $1 WHERE {s} = $2", s = c.sealed, t = c.table);
                rows += on_tx!(&mut tx, cx => sqlx::query(sql(q)).bind(&new).bind(old).execute(cx).await?.rows_affected());
            }
            tx.commit().await?;
        }
        reports.push(ColumnReport { table: c.table, column: c.sealed, rows });
    }
    Ok(reports)
}

/// Seals the plain numbers a migration moved into a `plaintext` column, writes their blind
/// index, and empties the plain column (run at every start of `serve` and `demo`, and by
/// `radhus keys rotate`; a no-op once done). A value that is not a valid number is sealed and
/// indexed as the text it is.
pub async fn migrate_plaintext(db: &Db, keys: &Keyring, columns: &[SealedColumn]) -> Result<Vec<ColumnReport>> {
    let mut reports = Vec::new();
    for c in columns {
        let Some(plain_col) = c.plaintext else { continue };
        let mut rows = 0u64;
        loop {
            let mut tx = db.write(Scope::System).await?;
            let q = format!("SELECT DISTINCT {p} FROM {t} WHERE {p} IS NOT NULL LIMIT {BATCH}", p = plain_col, t = c.table);
            let batch: Vec<(String,)> = on_tx!(&mut tx, cx => sqlx::query_as(sql(q)).fetch_all(cx).await?);
            if batch.is_empty() {
                tx.commit().await?;
                break;
            }
            for (plain,) in &batch {
                let text = Personnummer::parse_canonical(plain).map(|p| p.to_string()).unwrap_or_else(|_| plain.trim().to_string());
                let sealed = keys.seal_text(&text)?;
                let index = keys.index_text(&text);
                rows += match c.index {
                    Some(i) => {
                        let q = format!(
                            "UPDATE {t} SET {s} = $1, {i} = $2, {p} = NULL WHERE {p} = $3",
                            t = c.table,
                            s = c.sealed,
                            p = plain_col
                        );
                        on_tx!(&mut tx, cx => sqlx::query(sql(q)).bind(&sealed).bind(&index).bind(plain).execute(cx).await?.rows_affected())
                    }
                    None => {
                        let q = format!("UPDATE {t} SET {s} = $1, {p} = NULL WHERE {p} = $2", t = c.table, s = c.sealed, p = plain_col);
                        on_tx!(&mut tx, cx => sqlx::query(sql(q)).bind(&sealed).bind(plain).execute(cx).await?.rows_affected())
                    }
                };
            }
            tx.commit().await?;
        }
        reports.push(ColumnReport { table: c.table, column: c.sealed, rows });
    }
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> Keyring {
        Keyring::new("b", vec![("a".into(), [1; 32]), ("b".into(), [2; 32])], [9; 32]).expect("keyring")
    }

    fn pnr() -> Personnummer {
        Personnummer::parse_canonical("19720901-4419").expect("valid")
    }

    #[test]
    fn seal_open_round_trip_and_index() {
        let k = ring();
        let s = k.seal(&pnr()).expect("seal");
        assert!(s.sealed.starts_with("v1:b:"));
        assert!(!s.sealed.contains("4419") || !s.sealed.contains("720901"));
        assert_eq!(k.open(&s.sealed).expect("open"), pnr());
        assert_ne!(k.seal(&pnr()).expect("seal").sealed, s.sealed, "a fresh nonce every time");
        assert_eq!(s.index, k.index(&pnr()));
        assert_eq!(s.index.len(), 64);
        // The index does not depend on the active key.
        assert_eq!(k.clone().with_active("a").expect("a").index(&pnr()), s.index);
    }

    #[test]
    fn unknown_key_id_and_tampering_are_errors() {
        let k = ring();
        let s = k.seal(&pnr()).expect("seal");
        let only_a = Keyring::new("a", vec![("a".into(), [1; 32])], [9; 32]).expect("keyring");
        assert_eq!(only_a.open(&s.sealed).err().map(|e| e.code().code), Some("PLT-011"));
        let renamed = s.sealed.replacen("v1:b:", "v1:a:", 1);
        assert_eq!(k.open(&renamed).err().map(|e| e.code().code), Some("PLT-012"), "the key id is bound to the value");
        assert_eq!(k.open("19720901-4419").err().map(|e| e.code().code), Some("PLT-012"));
    }

    #[test]
    fn key_files_parse_and_generate() {
        let text = Keyring::generate_file("k1").expect("generate");
        let k = Keyring::parse(&text).expect("parse");
        assert_eq!(k.active_id(), "k1");
        let more = format!("{text}{}\n", Keyring::generate_key_line("k2").expect("line"));
        assert_eq!(Keyring::parse(&more).expect("parse").active_id(), "k1");
        let switched = more.replace("active=k1", "active=k2");
        assert_eq!(Keyring::parse(&switched).expect("parse").active_id(), "k2");
        let wrong = more.replace("active=k1", "active=k9");
        assert_eq!(Keyring::parse(&wrong).err().map(|e| e.code().code), Some("PLT-011"));
        let no_index: String = text.lines().filter(|l| !l.starts_with("index=")).map(|l| format!("{l}\n")).collect();
        assert_eq!(Keyring::parse(&no_index).err().map(|e| e.code().code), Some("PLT-012"));
        assert_eq!(Keyring::parse("index=AAAA\nk1=short\n").err().map(|e| e.code().code), Some("PLT-012"));
        assert!(!format!("{k:?}").contains(text.lines().nth(2).unwrap_or("x").trim_start_matches("index=")));
        assert_eq!(Keyring::load(Path::new("/nonexistent/radhus-keys")).err().map(|e| e.code().code), Some("PLT-010"));
    }
}
