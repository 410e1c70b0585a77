//! The election office's settings of the municipality (*inställningar för valadministrationen*,
//! issue 20 items 7 and 8), one row of `el_settings` per municipality; without a row the
//! defaults hold, which are the rules as they were before they became settings.
//!
//! - **Minimum age** (`min_age`, 16–99, default 18): the age a poll worker must have reached on
//!   the election day. The application form refuses anyone younger (VAL-142), the rule check
//!   flags them (VAL-R06), placement and appointment refuse them (VAL-008). No statute sets a
//!   minimum age: it is the municipality's policy.
//! - **Train after placement** (`train_after_placement`, *utbildning efter placering*, default
//!   off): the optimiser may place someone who has not yet completed the course for the role
//!   (preferring the trained), and the rule check shows the missing course as a warning rather
//!   than an error. Appointment still refuses them (VAL-012) until the course is recorded: the
//!   Elections Act allows appointing only those who have had the training.
//! - **How to reach the election office** (`office_phone`, `office_email`, issue 18 item 18):
//!   printed in the appointment letter so that a worker who cannot serve knows whom to tell.
//!   Empty: the letter gives the municipality's contact address instead.

pub mod web;

use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::core::rules::RuleSet;
use crate::support::audit::audit;
use crate::support::office::require_office;

/// The minimum age when the municipality has not set one.
pub const DEFAULT_MIN_AGE: i32 = 18;
/// The minimum ages the office can choose.
pub const MIN_AGE_RANGE: std::ops::RangeInclusive<i32> = 16..=99;

/// The municipality's settings for the election administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub min_age: i32,
    pub train_after_placement: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { min_age: DEFAULT_MIN_AGE, train_after_placement: false }
    }
}

impl Settings {
    /// The rule set with the municipality's settings in it.
    pub fn apply(self, rules: RuleSet) -> RuleSet {
        RuleSet { min_age: Some(self.min_age), train_after_placement: self.train_after_placement, ..rules }
    }
}

/// How the election office is reached (empty strings when not given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub phone: String,
    pub email: String,
}

/// The election office's phone and e-mail (empty when the municipality has saved none).
pub async fn contact(tx: &mut Tx, t: TenantId) -> Result<Contact> {
    let row: Option<(String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT office_phone, office_email FROM el_settings WHERE tenant_id = $1")
        .bind(t.0).fetch_optional(c).await?);
    Ok(row.map_or_else(Contact::default, |(phone, email)| Contact { phone, email }))
}

/// The municipality's settings (the defaults when it has saved none).
pub async fn get(tx: &mut Tx, t: TenantId) -> Result<Settings> {
    let row: Option<(i32, bool)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT min_age, train_after_placement FROM el_settings WHERE tenant_id = $1")
        .bind(t.0).fetch_optional(c).await?);
    Ok(row.map_or_else(Settings::default, |(min_age, train_after_placement)| Settings { min_age, train_after_placement }))
}

/// The settings form as posted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SettingsInput {
    #[serde(default)]
    pub min_age: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub train_after_placement: Option<String>,
    #[serde(default)]
    pub office_phone: String,
    #[serde(default)]
    pub office_email: String,
}

impl SettingsInput {
    pub fn of(s: Settings, c: Contact) -> Self {
        Self {
            min_age: s.min_age.to_string(),
            train_after_placement: s.train_after_placement.then(|| "on".to_string()),
            office_phone: c.phone,
            office_email: c.email,
        }
    }

    fn validate(&self) -> Result<(Settings, Contact)> {
        let mut errors = vec![];
        let min_age = match self.min_age.trim().parse::<i32>() {
            Ok(n) if MIN_AGE_RANGE.contains(&n) => n,
            _ => {
                errors.push(FieldError::new("min_age", "el-settings-bad-min-age"));
                0
            }
        };
        let phone = self.office_phone.trim().to_string();
        if !phone.is_empty() && !crate::support::parse::valid_phone(&phone) {
            errors.push(FieldError::new("office_phone", "el-settings-bad-phone"));
        }
        let email = self.office_email.trim().to_lowercase();
        if !email.is_empty() && !crate::support::parse::valid_email(&email) {
            errors.push(FieldError::new("office_email", "el-settings-bad-email"));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok((Settings { min_age, train_after_placement: self.train_after_placement.is_some() }, Contact { phone, email }))
    }
}

/// Saves the municipality's settings: one transaction, the change audit-logged with the values
/// before and after.
pub async fn save(db: &Db, s: &StaffUser, f: &SettingsInput, now: OffsetDateTime) -> Result<Settings> {
    require_office(s)?;
    let (new, contact_new) = f.validate()?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let old = get(&mut tx, t).await?;
    let contact_old = contact(&mut tx, t).await?;
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO el_settings (tenant_id, min_age, train_after_placement, updated_by, updated_at, office_phone, office_email) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (tenant_id) DO UPDATE SET min_age = excluded.min_age, train_after_placement = excluded.train_after_placement, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at, office_phone = excluded.office_phone, \
         office_email = excluded.office_email")
        .bind(t.0).bind(new.min_age).bind(new.train_after_placement).bind(s.user_id.0).bind(now)
        .bind(&contact_new.phone).bind(&contact_new.email)
        .execute(c).await?.rows_affected());
    audit(
        &mut tx,
        s,
        "elections.settings.changed",
        "el_settings",
        t.0,
        serde_json::json!({
            "before": { "min_age": old.min_age, "train_after_placement": old.train_after_placement,
                        "office_phone": contact_old.phone, "office_email": contact_old.email },
            "after": { "min_age": new.min_age, "train_after_placement": new.train_after_placement,
                       "office_phone": contact_new.phone, "office_email": contact_new.email },
        }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimum_age_is_a_whole_number_in_range() {
        let input = |a: &str| SettingsInput { min_age: a.into(), ..Default::default() };
        assert_eq!(input(" 17 ").validate().expect("17").0.min_age, 17);
        for bad in ["", "15", "100", "18.5", "arton"] {
            assert!(input(bad).validate().is_err(), "{bad}");
        }
        let on = SettingsInput { min_age: "18".into(), train_after_placement: Some("on".into()), ..Default::default() };
        assert!(on.validate().expect("valid").0.train_after_placement);
        assert_eq!(SettingsInput::of(Settings::default(), Contact::default()).validate().expect("defaults").0, Settings::default());
        let contact =
            |p: &str, e: &str| SettingsInput { min_age: "18".into(), office_phone: p.into(), office_email: e.into(), ..Default::default() };
        let c = contact(" 0554-191 00 ", "Val@Kil.se").validate().expect("contact").1;
        assert_eq!(c, Contact { phone: "0554-191 00".into(), email: "val@kil.se".into() });
        assert!(contact("ring oss", "").validate().is_err());
        assert!(contact("", "valkansliet").validate().is_err());
    }
}
