//! A citizen's own choice of how they are told about changes in their cases (issue 12 item 5):
//! e-mail, SMS, both or nothing, and the language, for every municipality at once. Stored by
//! the blind index of the personal identity number (`my_settings`), read by the citizen's own
//! transaction and by the notice job.

use radhus_kernel::Lang;
use radhus_platform::db::Tx;
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::looks_like_email;
use radhus_platform::on_tx;
use radhus_platform::outbox::sms::normalise_msisdn;
use time::OffsetDateTime;

/// How the citizen wants to be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
    Both,
    None,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Email, Channel::Sms, Channel::Both, Channel::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Both => "both",
            Channel::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A citizen's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub channel: Channel,
    pub email: String,
    /// In international form (`+46701234567`).
    pub phone: String,
    pub lang: Lang,
}

impl Settings {
    pub fn wants_email(&self) -> bool {
        matches!(self.channel, Channel::Email | Channel::Both) && !self.email.is_empty()
    }

    pub fn wants_sms(&self) -> bool {
        matches!(self.channel, Channel::Sms | Channel::Both) && !self.phone.is_empty()
    }
}

/// The settings as typed into the form, checked: an address for e-mail, a Swedish or
/// international mobile number for SMS (each only when chosen, but checked whenever given).
pub fn parse(channel: &str, email: &str, phone: &str, lang: &str) -> Result<Settings> {
    let mut errs = vec![];
    let channel = Channel::parse(channel.trim());
    if channel.is_none() {
        errs.push(FieldError::new("channel", "my-err-channel"));
    }
    let email = email.trim();
    let needs_email = matches!(channel, Some(Channel::Email | Channel::Both));
    if (needs_email && email.is_empty()) || (!email.is_empty() && (!looks_like_email(email) || email.len() > 254)) {
        errs.push(FieldError::new("email", "my-err-email"));
    }
    let needs_phone = matches!(channel, Some(Channel::Sms | Channel::Both));
    let phone = match phone.trim() {
        "" if needs_phone => {
            errs.push(FieldError::new("phone", "my-err-phone"));
            String::new()
        }
        "" => String::new(),
        p => normalise_msisdn(p).unwrap_or_else(|| {
            errs.push(FieldError::new("phone", "my-err-phone"));
            String::new()
        }),
    };
    let lang = Lang::parse(lang.trim()).unwrap_or(Lang::Sv);
    match channel {
        Some(channel) if errs.is_empty() => Ok(Settings { channel, email: email.to_string(), phone, lang }),
        _ => Err(Error::Invalid(errs)),
    }
}

/// The citizen's settings, if they chose any.
pub async fn of(tx: &mut Tx, citizen_index: &str) -> Result<Option<Settings>> {
    let row: Option<(String, String, String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT channel, email, phone, lang FROM my_settings WHERE citizen_index = $1")
        .bind(citizen_index).fetch_optional(c).await?);
    Ok(row.map(|(channel, email, phone, lang)| Settings {
        channel: Channel::parse(&channel).unwrap_or(Channel::None),
        email,
        phone,
        lang: Lang::parse(&lang).unwrap_or(Lang::Sv),
    }))
}

/// Saves the citizen's settings (in the citizen's own transaction).
pub async fn save(tx: &mut Tx, citizen_index: &str, s: &Settings, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO my_settings (citizen_index, channel, email, phone, lang, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (citizen_index) DO UPDATE SET channel = excluded.channel, email = excluded.email, phone = excluded.phone, \
         lang = excluded.lang, updated_at = excluded.updated_at")
        .bind(citizen_index).bind(s.channel.as_str()).bind(&s.email).bind(&s.phone).bind(s.lang.code()).bind(now)
        .execute(c).await?.rows_affected());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_checked_field_by_field() {
        let s = parse("both", " a@example.se ", "070-123 45 67", "en").expect("valid");
        assert_eq!((s.channel, s.email.as_str(), s.phone.as_str(), s.lang), (Channel::Both, "a@example.se", "+46701234567", Lang::En));
        assert!(s.wants_email() && s.wants_sms());
        let Err(Error::Invalid(errs)) = parse("sms", "", "12", "sv") else { panic!("a bad number is refused") };
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["phone"]);
        let Err(Error::Invalid(errs)) = parse("email", "", "", "sv") else { panic!("e-mail without an address") };
        assert_eq!(errs[0].field, "email");
        let Err(Error::Invalid(errs)) = parse("pigeon", "", "", "sv") else { panic!("unknown channel") };
        assert_eq!(errs[0].field, "channel");
        assert_eq!(parse("none", "", "", "sv").expect("none").channel, Channel::None);
    }
}
