//! What the e-service pages share: the administrator's permission, the page language and the
//! citizen of the request.

use askama::Template;
use axum::response::{IntoResponse, Redirect, Response};
use radhus_kernel::{Lang, Personnummer};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Permission;
use radhus_platform::identity::session::{Assurance, Principal};
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::{AppState, Ctx};

use crate::EsError;
use crate::citizen::Citizen;

/// Adopts and adapts the municipality's e-services (`eservices.admin`).
pub struct EsAdmin;
impl Permission for EsAdmin {
    const KEY: &'static str = crate::ADMIN;
}

/// The administrators' pages name a field's problem `es_<name>` (its label in the summary is
/// `field-es_<name>`) while the form posts it as `<name>`; the platform's [`Field`] takes its
/// problem by its posted name. So the field is built under the problem's name, given its
/// problem, and then posted as `posted`.
pub(super) fn posted_as(field: Field, errors: &FormErrors, posted: &str) -> Field {
    let mut f = field.errors(errors);
    f.name = posted.to_string();
    f
}

/// A text area shown like the platform's [`Field`] (label, "(frivilligt)", hint, message,
/// `aria-invalid`, `aria-describedby`) with what `_field.html` cannot give it: a class (`code`:
/// JSON in a fixed-width font) and the language of its text.
#[derive(Template)]
#[template(path = "eservices/_textarea.html")]
pub(super) struct TextArea {
    pub f: Field,
    pub class: &'static str,
    pub lang: &'static str,
}

/// Its own template, which escapes everything it prints.
impl askama::filters::HtmlSafe for TextArea {}

impl TextArea {
    pub(super) fn new(f: Field, class: &'static str, lang: &'static str) -> Self {
        Self { f, class, lang }
    }
}

pub(super) fn lang(ctx: &Ctx) -> Lang {
    ctx.tr.lang
}

/// The e-ID-identified citizen of the request; a session from an e-mail link may not fill in
/// or sign (`ES-001`), as *Mina ärenden* refuses it.
pub(super) fn citizen(ctx: &Ctx) -> Result<Option<Citizen>> {
    match &ctx.principal {
        Some(Principal::Citizen { pnr, name, assurance: Assurance::Eid, identified_by, .. }) => {
            let pnr = Personnummer::parse_canonical(pnr).map_err(|_| Error::Internal("a session's number is not canonical".into()))?;
            Ok(Some(Citizen::new(pnr, name.clone(), identified_by.clone())?))
        }
        Some(Principal::Citizen { .. }) => Err(EsError::NeedsEid.into()),
        _ => Ok(None),
    }
}

/// The citizen, or the e-ID login and back to `back`.
pub(super) fn citizen_or_login(ctx: &Ctx, back: &str) -> Result<std::result::Result<Citizen, Response>> {
    match citizen(ctx)? {
        Some(c) => Ok(Ok(c)),
        None => {
            let next: String = url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
            Ok(Err(Redirect::to(&format!("/e-legitimation?next={next}")).into_response()))
        }
    }
}

pub(super) fn today(st: &AppState) -> time::Date {
    radhus_kernel::tz::stockholm(st.now()).date()
}
