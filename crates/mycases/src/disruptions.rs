//! Störningsinformation (issue 11 item 8): a citizen who asked a municipality for its
//! broadcasts (`radhus_eservices::broadcast`, on the e-service catalogue) is told of each one
//! once when it begins, by the channel and in the language of their Mina ärenden settings
//! ([`crate::settings`]), through the outbox of that municipality. A citizen without settings
//! (or with *none*) gets nothing.

use radhus_kernel::Lang;
use radhus_platform::db::Scope;
use radhus_platform::error::Result;
use radhus_platform::outbox::templates::{NotificationTemplate, Sender, Text};
use radhus_platform::outbox::{self, Channel, JobCtx, Message, Notice};

use crate::settings;

/// The notice of a broadcast, by e-mail (the SMS is its subject and the text).
pub const BROADCAST: NotificationTemplate = NotificationTemplate {
    key: "mycases.broadcast",
    sender: Sender::Municipality,
    label: "my-notification-broadcast",
    fields: &["municipality", "severity", "text", "until", "url"],
    sv: Text {
        subject: "{{severity}} i e-tjänsterna hos {{municipality}}",
        body: "Hej!\n\n{{text}}\n\nGäller till {{until}}.\n\nAktuell driftinformation: {{url}}\n\nDu får det här för att du har bett om störningsinformation. Du kan sluta få den i e-tjänstkatalogen.\n",
    },
    en: Text {
        subject: "{{severity}} in the e-services of {{municipality}}",
        body: "Hello,\n\n{{text}}\n\nIn force until {{until}}.\n\nCurrent service status: {{url}}\n\nYou get this because you asked for disruption notices. You can stop them in the e-service catalogue.\n",
    },
};

fn severity(s: &str, lang: Lang) -> &'static str {
    match (lang, s) {
        (Lang::Sv, "critical") => "Allvarlig störning",
        (Lang::Sv, "warning") => "Störning",
        (Lang::Sv, _) => "Information",
        (Lang::En, "critical") => "Serious disruption",
        (Lang::En, "warning") => "Disruption",
        (Lang::En, _) => "Information",
    }
}

/// The job (every outbox tick): tells the subscribers of every broadcast that has begun, once
/// (the broadcast is marked told in the transaction that queues the messages).
pub fn send_job(ctx: JobCtx) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize>> + Send>> {
    Box::pin(send(ctx))
}

pub async fn send(ctx: JobCtx) -> Result<usize> {
    let mut tx = ctx.db.write(Scope::System).await?;
    let due = radhus_eservices::broadcast::take_unnotified(&mut tx, ctx.now).await?;
    let mut n = 0;
    for d in due {
        let url = format!("{}/e-tjanster", ctx.tenant_url(&mut tx, d.tenant_id).await?);
        for index in &d.subscribers {
            let Some(s) = settings::of(&mut tx, index).await? else { continue };
            let until = radhus_eservices::broadcast::when(&d.broadcast.ends_at);
            let sev = severity(&d.broadcast.severity, s.lang);
            let vars = [
                ("municipality", d.municipality.as_str()),
                ("severity", sev),
                ("text", d.broadcast.text(s.lang)),
                ("until", until.as_str()),
                ("url", url.as_str()),
            ];
            if s.wants_email() {
                outbox::notify(
                    &mut tx,
                    Some(d.tenant_id),
                    &Notice { template: &BROADCAST, lang: s.lang, to: &s.email, vars: &vars },
                    ctx.now,
                )
                .await?;
                n += 1;
            }
            if s.wants_sms() {
                let body: String = format!("{sev}, {}: {}", d.municipality, d.broadcast.text(s.lang)).chars().take(300).collect();
                outbox::enqueue(
                    &mut tx,
                    d.tenant_id,
                    &Message { channel: Channel::Sms, recipient: &s.phone, subject: "", body: &body },
                    ctx.now,
                )
                .await?;
                n += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(n)
}
