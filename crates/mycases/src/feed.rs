//! The read model's feed: case management's events (stream `cases`, ADR 0016) turned into
//! the citizen-facing phases of each person party's row. It reads only the events' data,
//! never the case tables, and every step is idempotent (an event may come again after a
//! crash: inserts skip existing rows, phase moves are conditional).

use radhus_platform::changes::{ChangeRow, HandlerFuture, Subscriber};
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::phase::Phase;
use crate::store::{self, Standing};

/// The subscription; its name keys its cursors and must never change.
pub const SUBSCRIBER: Subscriber = Subscriber { name: "mycases.read-model", stream: "cases", handle };

fn handle<'a>(tx: &'a mut Tx, e: &'a ChangeRow, _now: OffsetDateTime) -> HandlerFuture<'a> {
    Box::pin(apply(tx, e))
}

fn text<'a>(e: &'a ChangeRow, key: &str) -> &'a str {
    e.data.0.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

fn uuid_of(e: &ChangeRow, key: &str) -> Option<Uuid> {
    Uuid::parse_str(text(e, key)).ok()
}

/// Applies one event of case management to the read model.
pub async fn apply(tx: &mut Tx, e: &ChangeRow) -> Result<()> {
    let t = e.tenant_id;
    let Some(case) = e.data.0.get("case_id").and_then(|v| v.as_str()).and_then(|s| Uuid::parse_str(s).ok()) else {
        return Ok(());
    };
    match e.kind.as_str() {
        "case.opened" | "case.party_added" => {
            let first = e.kind == "case.opened";
            let persons: Vec<&str> = e
                .data
                .0
                .get("persons")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|p| p.as_str()).collect())
                .unwrap_or_default();
            if persons.is_empty() {
                return Ok(());
            }
            let standing = match store::standing(tx, t, case).await? {
                Some(s) => s,
                None => {
                    let assigned = e.data.0.get("caseworker_id").is_some_and(|v| !v.is_null());
                    let phase = if assigned { Phase::InProgress } else { Phase::Registered };
                    let case_type_id = uuid_of(e, "case_type_id");
                    Standing { phase, case_type_id, received_at: e.at, decided_at: None, closed_at: None }
                }
            };
            let parts = (text(e, "case_number"), text(e, "title"), text(e, "case_type"));
            for p in persons {
                store::insert(tx, p, t, case, parts, &standing, e.at).await?;
            }
            if first {
                store::add_step(tx, t, case, e.seq, "registered", "", e.at).await?;
            }
        }
        "case.assigned" if e.data.0.get("caseworker_id").is_some_and(|v| !v.is_null()) => {
            store::set_phase(tx, t, case, &[Phase::Received, Phase::Registered], Phase::InProgress, e.at).await?;
            store::add_step(tx, t, case, e.seq, "assigned", "", e.at).await?;
        }
        // A document that came in (the citizen's own submission, a completion): its number only.
        "record.registered" if text(e, "kind") == "inbound" => {
            store::add_step(tx, t, case, e.seq, "inbound", text(e, "record_number"), e.at).await?;
        }
        // A closed case opened again is being handled again.
        "case.status_changed" if text(e, "from") == "closed" && text(e, "to") == "open" => {
            store::set_phase(tx, t, case, &[Phase::Closed], Phase::InProgress, e.at).await?;
            store::add_step(tx, t, case, e.seq, "reopened", "", e.at).await?;
            store::queue_notice(tx, t, case, "reopened", Some(Phase::InProgress), e.at).await?;
        }
        // The caseworker wrote to the citizen: a message, or a completion request that waits
        // for them until its last day.
        "message.sent" => {
            let number = text(e, "record_number");
            if text(e, "kind") == "completion_request" {
                let message = uuid_of(e, "message_id");
                let due = time::Date::parse(text(e, "due_on"), &time::format_description::well_known::Iso8601::DATE).ok();
                if let Some(m) = message {
                    store::set_action(tx, t, case, m, due, e.at).await?;
                }
                store::add_step(tx, t, case, e.seq, "completion_requested", number, e.at).await?;
                store::queue_notice(tx, t, case, "completion", None, e.at).await?;
            } else {
                store::set_unread(tx, t, case, e.at).await?;
                store::add_step(tx, t, case, e.seq, "message", number, e.at).await?;
                store::queue_notice(tx, t, case, "message", None, e.at).await?;
            }
        }
        // The citizen answered: the request it answers no longer waits.
        "message.received" => {
            if let Some(request) = uuid_of(e, "reply_to") {
                store::clear_action(tx, t, case, request, e.at).await?;
            }
            store::add_step(tx, t, case, e.seq, "answered", text(e, "record_number"), e.at).await?;
        }
        "completion.withdrawn" => {
            if let Some(request) = uuid_of(e, "message_id") {
                store::clear_action(tx, t, case, request, e.at).await?;
            }
            store::add_step(tx, t, case, e.seq, "completion_withdrawn", "", e.at).await?;
        }
        "decision.dispatched" => {
            let moved =
                store::set_phase(tx, t, case, &[Phase::Received, Phase::Registered, Phase::InProgress], Phase::Decided, e.at).await?;
            if moved == 0 {
                store::note_decision(tx, t, case, e.at).await?;
            }
            store::add_step(tx, t, case, e.seq, "decided", text(e, "record_number"), e.at).await?;
            store::queue_notice(tx, t, case, "decided", Some(Phase::Decided), e.at).await?;
        }
        "case.closed" => {
            store::set_phase(tx, t, case, &[], Phase::Closed, e.at).await?;
            store::add_step(tx, t, case, e.seq, "closed", "", e.at).await?;
            store::queue_notice(tx, t, case, "closed", Some(Phase::Closed), e.at).await?;
        }
        // E-services: a submission's fee waits for payment (*Väntar på betalning*), then is paid.
        "payment.due" if !text(e, "pay_url").is_empty() => {
            store::set_payment_due(tx, t, case, text(e, "pay_url")).await?;
            store::add_step(tx, t, case, e.seq, "payment_due", "", e.at).await?;
        }
        "payment.received" => {
            store::clear_payment(tx, t, case).await?;
            store::add_step(tx, t, case, e.seq, "paid", "", e.at).await?;
        }
        "case.obliterated" => {
            store::clear_payment(tx, t, case).await?;
            store::delete_steps(tx, t, case).await?;
            store::delete_case(tx, t, case).await?;
        }
        _ => {}
    }
    Ok(())
}
