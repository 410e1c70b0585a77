//! Notification templates. Each module registers the templates it sends
//! (`Module::notifications`): a key prefixed with the module's name, a label (Fluent id) for
//! the municipality's templates page, the placeholders the module fills, and the default
//! subject and body in Swedish and English. A municipality may override subject and body per
//! language; [`effective`] gives the override or the default. Placeholders are written
//! `{{name}}`.
//!
//! [`Registry::new`] checks every registration when the application is built: a key taken
//! twice, a key without its module's prefix, an empty text in either language or a default
//! that uses a placeholder it does not declare stops the start.

use std::collections::HashSet;

use radhus_kernel::Lang;
use radhus_kernel::ids::TenantId;
use serde::Serialize;
use time::OffsetDateTime;

use crate::db::Tx;
use crate::error::{Error, FieldError, Result};
use crate::on_tx;

/// Subject and body of a template in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub subject: &'static str,
    pub body: &'static str,
}

/// Who sends a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// A municipality: it may override the texts on its templates page.
    Municipality,
    /// The platform host, with no municipality (to operators): always the registered texts.
    Platform,
}

/// A notification a module sends, as it registers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationTemplate {
    /// `<module>.<name>`, e.g. `cases.watch-reminder`; overrides are stored under it.
    pub key: &'static str,
    pub sender: Sender,
    /// Fluent id of the template's name on the templates page (in the module's `.ftl`).
    pub label: &'static str,
    /// The placeholders the module fills; an override may use these and no others.
    pub fields: &'static [&'static str],
    pub sv: Text,
    pub en: Text,
}

impl NotificationTemplate {
    pub fn text(&self, lang: Lang) -> &Text {
        match lang {
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }

    /// What is wrong with the registration, if anything (see [`Registry::new`]).
    pub fn problem(&self, module: &str) -> Option<String> {
        let key = self.key;
        let Some(name) = key.strip_prefix(module).and_then(|rest| rest.strip_prefix('.')) else {
            return Some(format!("notification template {key}: the key must start with \"{module}.\""));
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Some(format!("notification template {key}: the name after \"{module}.\" must be lower-case letters, digits and -"));
        }
        if self.label.is_empty() {
            return Some(format!("notification template {key} has no label"));
        }
        for lang in Lang::ALL {
            let t = self.text(lang);
            if t.subject.trim().is_empty() || t.body.trim().is_empty() {
                return Some(format!("notification template {key} has no {} text", lang.code()));
            }
            if let Some(p) = unknown_placeholder(self, t.subject).or_else(|| unknown_placeholder(self, t.body)) {
                return Some(format!("notification template {key} ({}) uses {{{{{p}}}}}, which it does not declare", lang.code()));
            }
        }
        None
    }
}

/// Every registered template, grouped by the module that registered it.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    groups: Vec<(&'static str, Vec<NotificationTemplate>)>,
}

impl Registry {
    /// Takes each module's registrations (module name, templates) and checks them all.
    pub fn new(modules: impl IntoIterator<Item = (&'static str, Vec<NotificationTemplate>)>) -> anyhow::Result<Self> {
        let mut keys = HashSet::new();
        let mut groups = vec![];
        for (module, list) in modules {
            for t in &list {
                if let Some(p) = t.problem(module) {
                    anyhow::bail!(p);
                }
                anyhow::ensure!(keys.insert(t.key), "two notification templates have the key {}", t.key);
            }
            if !list.is_empty() {
                groups.push((module, list));
            }
        }
        Ok(Self { groups })
    }

    pub fn get(&self, key: &str) -> Option<&NotificationTemplate> {
        self.groups.iter().flat_map(|(_, l)| l).find(|t| t.key == key)
    }

    /// A template a municipality may override (not a platform-level one).
    pub fn municipal(&self, key: &str) -> Option<&NotificationTemplate> {
        self.get(key).filter(|t| t.sender == Sender::Municipality)
    }

    /// `(module, its templates)` in the order the modules were given.
    pub fn groups(&self) -> &[(&'static str, Vec<NotificationTemplate>)] {
        &self.groups
    }
}

// ---------------------------------------------------------------- the platform's own

pub const ACCOUNT_CREATED: NotificationTemplate = NotificationTemplate {
    key: "platform.account-created",
    sender: Sender::Municipality,
    label: "template-account-created",
    fields: &["name", "municipality", "url"],
    sv: Text {
        subject: "Ditt konto i {{municipality}}s Rådhus",
        body: "Hej {{name}}!\n\nDu har fått ett konto i {{municipality}}s Rådhus. Logga in på {{url}} med din e-postadress och det lösenord du fått av din administratör. Byt lösenordet när du loggat in.\n\nVänliga hälsningar\n{{municipality}}",
    },
    en: Text {
        subject: "Your account in Rådhus, {{municipality}}",
        body: "Hello {{name}},\n\nAn account has been created for you in Rådhus, {{municipality}}. Log in at {{url}} with your e-mail address and the password your administrator gave you, then change the password.\n\nKind regards\n{{municipality}}",
    },
};

pub const ACCOUNT_LOCKED: NotificationTemplate = NotificationTemplate {
    key: "platform.account-locked",
    sender: Sender::Municipality,
    label: "template-account-locked",
    fields: &["name", "municipality", "until"],
    sv: Text {
        subject: "Ditt konto har spärrats tillfälligt",
        body: "Hej {{name}}!\n\nEfter flera misslyckade inloggningsförsök har ditt konto i {{municipality}}s Rådhus spärrats till {{until}}. Var det inte du som försökte logga in? Kontakta din administratör.",
    },
    en: Text {
        subject: "Your account has been locked for a while",
        body: "Hello {{name}},\n\nAfter several failed login attempts your account in Rådhus, {{municipality}}, is locked until {{until}}. If this was not you, contact your administrator.",
    },
};

pub const PASSWORD_CHANGED: NotificationTemplate = NotificationTemplate {
    key: "platform.password-changed",
    sender: Sender::Municipality,
    label: "template-password-changed",
    fields: &["name", "municipality", "when"],
    sv: Text {
        subject: "Ditt lösenord har ändrats",
        body: "Hej {{name}}!\n\nLösenordet till ditt konto i {{municipality}}s Rådhus ändrades {{when}}. Var det inte du? Kontakta din administratör direkt.",
    },
    en: Text {
        subject: "Your password has been changed",
        body: "Hello {{name}},\n\nThe password of your account in Rådhus, {{municipality}}, was changed {{when}}. If this was not you, contact your administrator at once.",
    },
};

/// To a platform operator, from the platform host (no municipality).
pub const OPERATOR_PASSWORD_CHANGED: NotificationTemplate = NotificationTemplate {
    key: "platform.operator-password-changed",
    sender: Sender::Platform,
    label: "template-operator-password-changed",
    fields: &["name", "when", "url"],
    sv: Text {
        subject: "Ditt lösenord i Rådhus drift har ändrats",
        body: "Hej {{name}}!\n\nLösenordet till ditt driftkonto i Rådhus ({{url}}) ändrades {{when}}. Var det inte du? Kontakta de andra i driftorganisationen direkt.",
    },
    en: Text {
        subject: "Your Rådhus operator password has been changed",
        body: "Hello {{name}},\n\nThe password of your operator account in Rådhus ({{url}}) was changed {{when}}. If this was not you, tell the rest of the operations team at once.",
    },
};

/// To a platform operator, from the platform host (no municipality).
pub const OPERATOR_ACCOUNT_LOCKED: NotificationTemplate = NotificationTemplate {
    key: "platform.operator-account-locked",
    sender: Sender::Platform,
    label: "template-operator-account-locked",
    fields: &["name", "until", "url"],
    sv: Text {
        subject: "Ditt driftkonto i Rådhus har spärrats tillfälligt",
        body: "Hej {{name}}!\n\nEfter flera misslyckade inloggningsförsök har ditt driftkonto i Rådhus ({{url}}) spärrats till {{until}}. Var det inte du som försökte logga in? Kontakta de andra i driftorganisationen.",
    },
    en: Text {
        subject: "Your Rådhus operator account has been locked for a while",
        body: "Hello {{name}},\n\nAfter several failed login attempts your operator account in Rådhus ({{url}}) is locked until {{until}}. If this was not you, tell the rest of the operations team.",
    },
};

/// The platform's registration (`platform_module`).
pub fn platform() -> Vec<NotificationTemplate> {
    vec![ACCOUNT_CREATED, ACCOUNT_LOCKED, PASSWORD_CHANGED, OPERATOR_PASSWORD_CHANGED, OPERATOR_ACCOUNT_LOCKED]
}

// ---------------------------------------------------------------- rendering and overrides

/// Replaces `{{name}}` placeholders; unknown placeholders are left as they are.
pub fn render(text: &str, vars: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{{{k}}}}}"), v);
    }
    out
}

/// A template as a municipality has it in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Template {
    pub key: String,
    pub label: &'static str,
    pub lang: Lang,
    pub subject: String,
    pub body: String,
    pub overridden: bool,
    pub fields: Vec<&'static str>,
}

/// The template a municipality uses in a language: its override or the default. Without a
/// municipality (a platform-level message), or for a [`Sender::Platform`] template, always
/// the default.
pub async fn effective(tx: &mut Tx, tenant: Option<TenantId>, d: &NotificationTemplate, lang: Lang) -> Result<Template> {
    let row: Option<(String, String)> = match tenant.filter(|_| d.sender == Sender::Municipality) {
        Some(t) => on_tx!(tx, c => sqlx::query_as(
            "SELECT subject, body FROM notification_template WHERE tenant_id = $1 AND template_key = $2 AND lang = $3")
            .bind(t.0).bind(d.key).bind(lang.code()).fetch_optional(c).await?),
        None => None,
    };
    let text = d.text(lang);
    let (subject, body, overridden) = match row {
        Some((s, b)) => (s, b, true),
        None => (text.subject.to_string(), text.body.to_string(), false),
    };
    Ok(Template { key: d.key.into(), label: d.label, lang, subject, body, overridden, fields: d.fields.to_vec() })
}

/// Every registered template a municipality sends, in every language as the municipality has
/// it, by module.
pub async fn all(tx: &mut Tx, tenant: TenantId, registry: &Registry) -> Result<Vec<(&'static str, Vec<Template>)>> {
    let mut out = vec![];
    for (module, list) in registry.groups() {
        let mut group = vec![];
        for d in list.iter().filter(|d| d.sender == Sender::Municipality) {
            for lang in Lang::ALL {
                group.push(effective(tx, Some(tenant), d, lang).await?);
            }
        }
        if !group.is_empty() {
            out.push((*module, group));
        }
    }
    Ok(out)
}

/// Saves an override; placeholders must be ones the template offers (else a field error on
/// the field that uses another).
pub async fn save(
    tx: &mut Tx,
    tenant: TenantId,
    d: &NotificationTemplate,
    lang: Lang,
    subject: &str,
    body: &str,
    now: OffsetDateTime,
) -> Result<()> {
    let mut errs = vec![];
    if subject.trim().is_empty() || subject.len() > 200 {
        errs.push(FieldError::new("subject", "err-template-subject"));
    } else if unknown_placeholder(d, subject).is_some() {
        errs.push(FieldError::new("subject", "err-template-field"));
    }
    if body.trim().is_empty() || body.len() > 10_000 {
        errs.push(FieldError::new("body", "err-template-body"));
    } else if unknown_placeholder(d, body).is_some() {
        errs.push(FieldError::new("body", "err-template-field"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO notification_template (tenant_id, template_key, lang, subject, body, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (tenant_id, template_key, lang) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at")
        .bind(tenant.0).bind(d.key).bind(lang.code()).bind(subject.trim()).bind(body.trim()).bind(now).execute(c).await?.rows_affected());
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

fn unknown_placeholder(d: &NotificationTemplate, text: &str) -> Option<String> {
    placeholders(text).into_iter().find(|p| !d.fields.contains(&p.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_placeholders_and_the_platform_registration_is_sound() {
        assert_eq!(render("Hej {{name}} i {{x}}", &[("name", "Anna")]), "Hej Anna i {{x}}");
        let r = Registry::new([("platform", platform())]).expect("the platform's templates");
        assert!(r.get("platform.account-created").is_some());
    }

    const T: NotificationTemplate = NotificationTemplate {
        key: "demo.hello",
        sender: Sender::Municipality,
        label: "demo-hello",
        fields: &["name"],
        sv: Text { subject: "Hej", body: "Hej {{name}}" },
        en: Text { subject: "Hello", body: "Hello {{name}}" },
    };

    #[test]
    fn a_bad_registration_stops_the_start() {
        assert!(Registry::new([("demo", vec![T])]).is_ok());
        let twice = Registry::new([("demo", vec![T]), ("demo", vec![T])]).expect_err("duplicate");
        assert!(twice.to_string().contains("two notification templates have the key demo.hello"), "{twice}");
        let no_en = NotificationTemplate { en: Text { subject: "", body: "" }, ..T };
        assert!(Registry::new([("demo", vec![no_en])]).expect_err("no en").to_string().contains("no en text"));
        let foreign = NotificationTemplate { key: "cases.hello", ..T };
        assert!(Registry::new([("demo", vec![foreign])]).is_err());
        let undeclared = NotificationTemplate { sv: Text { subject: "Hej", body: "Hej {{who}}" }, ..T };
        assert!(Registry::new([("demo", vec![undeclared])]).expect_err("placeholder").to_string().contains("{{who}}"));
    }
}
