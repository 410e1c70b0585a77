//! Telling citizens about changes in their cases (issue 12 item 5): the feed queues a notice
//! per citizen and case on each change that informs them (a decision sent, the case closed or
//! reopened, a message, a completion request); changes within a minute fold into one notice
//! (`store::queue_notice`); this job sends each due notice once, by the citizen's own settings
//! ([`crate::settings`]): e-mail, SMS, both or nothing, in their language, through the outbox
//! of the municipality whose case it is. A notice never says what a message or decision says:
//! it names the municipality and the diary number and links to the login.

use radhus_kernel::Lang;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::error::Result;
use radhus_platform::on_tx;
use radhus_platform::outbox::templates::{NotificationTemplate, Sender, Text};
use radhus_platform::outbox::{self, Channel, JobCtx, Message, Notice};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::settings::{self, Settings};

/// The notice of a change in a case, by e-mail (the SMS is its subject and link).
pub const CASE_CHANGED: NotificationTemplate = NotificationTemplate {
    key: "mycases.case-changed",
    sender: Sender::Municipality,
    label: "my-notification-case-changed",
    fields: &["municipality", "case_number", "what", "url"],
    sv: Text {
        subject: "Nytt i ditt ärende {{case_number}} hos {{municipality}}",
        body: "Hej!\n\nDet har hänt något i ditt ärende {{case_number}} hos {{municipality}}: {{what}}.\n\nLogga in med e-legitimation i Mina ärenden för att läsa mer:\n{{url}}\n\nAv säkerhetsskäl står inget om innehållet i det här meddelandet. Du kan ändra hur du får besked under Inställningar i Mina ärenden.\n",
    },
    en: Text {
        subject: "News in your case {{case_number}} with {{municipality}}",
        body: "Hello,\n\nSomething has happened in your case {{case_number}} with {{municipality}}: {{what}}.\n\nLog in with e-ID in My cases to read more:\n{{url}}\n\nFor your security this message says nothing about the content. You can change how you are told under Settings in My cases.\n",
    },
};

/// How many due notices one run sends.
const BATCH: i64 = 200;

#[derive(sqlx::FromRow)]
struct Due {
    citizen_index: String,
    tenant_id: Uuid,
    case_id: Uuid,
    kinds: String,
    case_number: String,
    municipality: String,
}

/// What happened, in the citizen's language, each kind once, in a fixed order.
pub fn what(kinds: &str, lang: Lang) -> String {
    const ORDER: [&str; 5] = ["decided", "completion", "message", "reopened", "closed"];
    let seen: Vec<&str> = kinds.split(',').map(str::trim).collect();
    let parts: Vec<&str> = ORDER
        .iter()
        .filter(|k| seen.contains(k))
        .map(|k| match (lang, *k) {
            (Lang::Sv, "decided") => "ett beslut har skickats till dig",
            (Lang::Sv, "completion") => "du ombeds komplettera ärendet",
            (Lang::Sv, "message") => "du har fått ett meddelande",
            (Lang::Sv, "reopened") => "ärendet har öppnats igen",
            (Lang::Sv, _) => "ärendet är avslutat",
            (Lang::En, "decided") => "a decision has been sent to you",
            (Lang::En, "completion") => "you are asked to complete the case",
            (Lang::En, "message") => "you have received a message",
            (Lang::En, "reopened") => "the case has been reopened",
            (Lang::En, _) => "the case is closed",
        })
        .collect();
    parts.join(", ")
}

/// The job (every outbox tick): sends the notices whose minute is over.
pub fn send_due_job(ctx: JobCtx) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize>> + Send>> {
    Box::pin(send_due(ctx))
}

/// Sends every due notice once: each is removed in the transaction that queues its messages,
/// and only the process whose delete removed it sends it (two servers never both send).
pub async fn send_due(ctx: JobCtx) -> Result<usize> {
    let now: OffsetDateTime = ctx.now;
    let mut tx = ctx.db.write(Scope::System).await?;
    let due: Vec<Due> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT n.citizen_index, n.tenant_id, n.case_id, n.kinds, m.case_number, t.name AS municipality \
         FROM my_notice n JOIN my_case m ON m.citizen_index = n.citizen_index AND m.tenant_id = n.tenant_id AND m.case_id = n.case_id \
         JOIN tenant t ON t.id = n.tenant_id WHERE n.due_at <= $1 ORDER BY n.due_at LIMIT $2")
        .bind(now).bind(BATCH).fetch_all(c).await?);
    let mut sent = 0;
    for d in due {
        let gone = on_tx!(&mut tx, c => sqlx::query("DELETE FROM my_notice WHERE citizen_index = $1 AND tenant_id = $2 AND case_id = $3")
            .bind(&d.citizen_index).bind(d.tenant_id).bind(d.case_id).execute(c).await?.rows_affected());
        if gone != 1 {
            continue;
        }
        let Some(s) = settings::of(&mut tx, &d.citizen_index).await? else { continue };
        // The platform host's Mina ärenden shows the case whichever municipality it is in.
        let url = format!("{}/mina-arenden/{}/{}", ctx.config.public_url.trim_end_matches('/'), d.tenant_id, d.case_id);
        sent += send_one(&mut tx, TenantId(d.tenant_id), &s, &d, &url, now).await?;
    }
    // Notices of citizens whose row went (an obliterated case) are dropped with their case.
    tx.commit().await?;
    Ok(sent)
}

async fn send_one(tx: &mut radhus_platform::db::Tx, t: TenantId, s: &Settings, d: &Due, url: &str, now: OffsetDateTime) -> Result<usize> {
    let what = what(&d.kinds, s.lang);
    let vars = [("municipality", d.municipality.as_str()), ("case_number", d.case_number.as_str()), ("what", what.as_str()), ("url", url)];
    let mut n = 0;
    if s.wants_email() {
        outbox::notify(tx, Some(t), &Notice { template: &CASE_CHANGED, lang: s.lang, to: &s.email, vars: &vars }, now).await?;
        n += 1;
    }
    if s.wants_sms() {
        let (subject, _) =
            outbox::notify::rendered(tx, Some(t), &Notice { template: &CASE_CHANGED, lang: s.lang, to: &s.phone, vars: &vars }).await?;
        let body = format!("{subject}. {url}");
        outbox::enqueue(tx, t, &Message { channel: Channel::Sms, recipient: &s.phone, subject: "", body: &body }, now).await?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_names_each_change_once_in_order() {
        assert_eq!(what("message,decided,message", Lang::Sv), "ett beslut har skickats till dig, du har fått ett meddelande");
        assert_eq!(what("closed", Lang::En), "the case is closed");
        assert_eq!(what("", Lang::Sv), "");
    }
}
