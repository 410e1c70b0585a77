//! Notification templates: defaults ship with the platform in Swedish and English, and
//! each municipality may override subject and body per language. Placeholders are
//! written `{{name}}`.

use radhus_kernel::Lang;
use radhus_kernel::ids::TenantId;
use serde::Serialize;
use time::OffsetDateTime;

use crate::db::Tx;
use crate::error::{Error, FieldError, Result};
use crate::on_tx;

#[derive(Debug, Clone, Copy)]
pub struct DefaultTemplate {
    pub key: &'static str,
    pub lang: Lang,
    pub subject: &'static str,
    pub body: &'static str,
    /// The placeholders this template may use.
    pub fields: &'static [&'static str],
}

pub const DEFAULTS: &[DefaultTemplate] = &[
    DefaultTemplate {
        key: "account-created",
        lang: Lang::Sv,
        subject: "Ditt konto i {{municipality}}s Rådhus",
        body: "Hej {{name}}!\n\nDu har fått ett konto i {{municipality}}s Rådhus. Logga in på {{url}} med din e-postadress och det lösenord du fått av din administratör. Byt lösenordet när du loggat in.\n\nVänliga hälsningar\n{{municipality}}",
        fields: &["name", "municipality", "url"],
    },
    DefaultTemplate {
        key: "account-created",
        lang: Lang::En,
        subject: "Your account in Rådhus, {{municipality}}",
        body: "Hello {{name}},\n\nAn account has been created for you in Rådhus, {{municipality}}. Log in at {{url}} with your e-mail address and the password your administrator gave you, then change the password.\n\nKind regards\n{{municipality}}",
        fields: &["name", "municipality", "url"],
    },
    DefaultTemplate {
        key: "account-locked",
        lang: Lang::Sv,
        subject: "Ditt konto har spärrats tillfälligt",
        body: "Hej {{name}}!\n\nEfter flera misslyckade inloggningsförsök har ditt konto i {{municipality}}s Rådhus spärrats till {{until}}. Var det inte du som försökte logga in? Kontakta din administratör.",
        fields: &["name", "municipality", "until"],
    },
    DefaultTemplate {
        key: "account-locked",
        lang: Lang::En,
        subject: "Your account has been locked for a while",
        body: "Hello {{name}},\n\nAfter several failed login attempts your account in Rådhus, {{municipality}}, is locked until {{until}}. If this was not you, contact your administrator.",
        fields: &["name", "municipality", "until"],
    },
    DefaultTemplate {
        key: "password-changed",
        lang: Lang::Sv,
        subject: "Ditt lösenord har ändrats",
        body: "Hej {{name}}!\n\nLösenordet till ditt konto i {{municipality}}s Rådhus ändrades {{when}}. Var det inte du? Kontakta din administratör direkt.",
        fields: &["name", "municipality", "when"],
    },
    DefaultTemplate {
        key: "password-changed",
        lang: Lang::En,
        subject: "Your password has been changed",
        body: "Hello {{name}},\n\nThe password of your account in Rådhus, {{municipality}}, was changed {{when}}. If this was not you, contact your administrator at once.",
        fields: &["name", "municipality", "when"],
    },
];

pub fn default_for(key: &str, lang: Lang) -> Option<&'static DefaultTemplate> {
    DEFAULTS.iter().find(|d| d.key == key && d.lang == lang)
}

/// Replaces `{{name}}` placeholders; unknown placeholders are left as they are.
pub fn render(text: &str, vars: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{{{k}}}}}"), v);
    }
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct Template {
    pub key: String,
    pub lang: Lang,
    pub subject: String,
    pub body: String,
    pub overridden: bool,
    pub fields: Vec<&'static str>,
}

/// The template a municipality uses: its override or the default.
pub async fn effective(tx: &mut Tx, tenant: TenantId, key: &str, lang: Lang) -> Result<Template> {
    let d = default_for(key, lang).ok_or(Error::NotFound)?;
    let row: Option<(String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT subject, body FROM notification_template WHERE tenant_id = $1 AND template_key = $2 AND lang = $3")
        .bind(tenant.0).bind(key).bind(lang.code()).fetch_optional(c).await?);
    Ok(match row {
        Some((subject, body)) => Template { key: key.into(), lang, subject, body, overridden: true, fields: d.fields.to_vec() },
        None => {
            Template { key: key.into(), lang, subject: d.subject.into(), body: d.body.into(), overridden: false, fields: d.fields.to_vec() }
        }
    })
}

pub async fn all(tx: &mut Tx, tenant: TenantId) -> Result<Vec<Template>> {
    let mut out = vec![];
    for d in DEFAULTS {
        out.push(effective(tx, tenant, d.key, d.lang).await?);
    }
    Ok(out)
}

/// Saves an override; placeholders must be ones the template offers.
pub async fn save(tx: &mut Tx, tenant: TenantId, key: &str, lang: Lang, subject: &str, body: &str, now: OffsetDateTime) -> Result<()> {
    let d = default_for(key, lang).ok_or(Error::NotFound)?;
    let mut errs = vec![];
    if subject.trim().is_empty() || subject.len() > 200 {
        errs.push(FieldError::new("subject", "err-required"));
    }
    if body.trim().is_empty() || body.len() > 10_000 {
        errs.push(FieldError::new("body", "err-required"));
    }
    let unknown = placeholders(subject).into_iter().chain(placeholders(body)).any(|p| !d.fields.contains(&p.as_str()));
    if unknown {
        errs.push(FieldError::new("body", "err-template-field"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO notification_template (tenant_id, template_key, lang, subject, body, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (tenant_id, template_key, lang) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at")
        .bind(tenant.0).bind(key).bind(lang.code()).bind(subject.trim()).bind(body.trim()).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn reset(tx: &mut Tx, tenant: TenantId, key: &str, lang: Lang) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM notification_template WHERE tenant_id = $1 AND template_key = $2 AND lang = $3")
        .bind(tenant.0).bind(key).bind(lang.code()).execute(c).await?.rows_affected());
    Ok(())
}

fn placeholders(text: &str) -> Vec<String> {
    text.split("{{").skip(1).filter_map(|s| s.split_once("}}").map(|(k, _)| k.trim().to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_placeholders_and_every_default_has_both_languages() {
        assert_eq!(render("Hej {{name}} i {{x}}", &[("name", "Anna")]), "Hej Anna i {{x}}");
        for d in DEFAULTS {
            assert!(default_for(d.key, Lang::Sv).is_some() && default_for(d.key, Lang::En).is_some(), "{}", d.key);
            for p in placeholders(d.body).into_iter().chain(placeholders(d.subject)) {
                assert!(d.fields.contains(&p.as_str()), "{} uses {p}", d.key);
            }
        }
    }
}
