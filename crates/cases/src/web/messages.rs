//! The page half of [`crate::messages`]: the caseworker writes a message or a completion
//! request to the case's parties and withdraws a request, from the case page.

use axum::extract::State;
use axum::response::Response;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::web::form::{Form, PathIds};
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::cases::on_case;
use crate::messages::{self, MessageKind, NewMessage};
use radhus_platform::web::field::Refused;

pub(super) fn routes() -> Routes {
    Routes::new()
        .post("/admin/arenden/{id}/meddelanden", post_message)
        .post("/admin/arenden/{id}/meddelanden/{message}/aterkalla", post_withdraw)
}

#[derive(Deserialize)]
struct MessageForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    due_on: String,
}

async fn post_message(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<MessageForm>,
) -> Result<Response> {
    let result = async {
        let kind = match MessageKind::parse(&f.kind) {
            Some(k @ (MessageKind::Message | MessageKind::CompletionRequest)) => k,
            _ => return Err(Error::invalid("kind", "err-message-kind")),
        };
        let due_on = match f.due_on.trim() {
            "" => None,
            d => Some(
                Date::parse(d, &time::format_description::well_known::Iso8601::DATE)
                    .map_err(|_| Error::invalid("due_on", "err-message-due"))?,
            ),
        };
        // A plain message has no last day, whatever the form sent.
        let due_on = if kind == MessageKind::CompletionRequest { due_on } else { None };
        messages::send(&st.db, &s, id, &NewMessage { kind, body: f.body.clone(), due_on }, st.now()).await.map(|_| ())
    }
    .await;
    let posted = |e| Refused::form("message", e, [("kind", &f.kind), ("body", &f.body), ("due_on", &f.due_on)]);
    on_case(&st, &ctx, &s, id, result, posted).await
}

async fn post_withdraw(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds((id, message)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    let result =
        messages::withdraw(&st.db, &s, message, st.now()).await.and_then(|case| if case == id { Ok(()) } else { Err(Error::NotFound) });
    on_case(&st, &ctx, &s, id, result, |e| Refused::whole("withdraw", e)).await
}
