//! Form and query extractors whose rejections are our own translated errors.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::{Error, FieldError};

/// `application/x-www-form-urlencoded` body. Repeated keys (checkboxes) become sequences.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|_| Error::TooLarge)?;
        serde_html_form_like(&bytes).map(Form)
    }
}

fn serde_html_form_like<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    // Group repeated keys into arrays so `Vec<String>` fields (checkbox groups) work.
    let mut map = serde_json::Map::new();
    for (k, v) in url::form_urlencoded::parse(bytes) {
        refuse_control_characters(&k, &v)?;
        let v = serde_json::Value::String(v.into_owned());
        match map.get_mut(k.as_ref()) {
            Some(serde_json::Value::Array(a)) => a.push(v),
            Some(existing) => {
                let first = existing.take();
                *existing = serde_json::Value::Array(vec![first, v]);
            }
            None => {
                map.insert(k.into_owned(), v);
            }
        }
    }
    // Fields use `one_or_many` where a checkbox group may send one value or several.
    serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| Error::Invalid(vec![FieldError::new(field_of(&e.to_string()), "err-form")]))
}

/// Control characters (NUL, escape, bell …) cannot come from a keyboard, PostgreSQL cannot
/// store NUL in text, and they would reach PDFs, e-mails and logs: a field holding one is
/// refused (`err-form-control`). Tab, line feed and carriage return are text.
fn refuse_control_characters(field: &str, value: &str) -> Result<(), Error> {
    let control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if field.chars().any(control) || value.chars().any(control) {
        let field = if field.chars().any(control) { "form" } else { field };
        return Err(Error::Invalid(vec![FieldError::new(field, "err-form-control")]));
    }
    Ok(())
}

/// [`refuse_control_characters`] for every key and string of a JSON value.
fn refuse_control_characters_json(field: &str, v: &serde_json::Value) -> Result<(), Error> {
    match v {
        serde_json::Value::String(s) => refuse_control_characters(field, s),
        serde_json::Value::Array(a) => a.iter().try_for_each(|x| refuse_control_characters_json(field, x)),
        serde_json::Value::Object(o) => o.iter().try_for_each(|(k, x)| {
            refuse_control_characters(k, "")?;
            refuse_control_characters_json(k, x)
        }),
        _ => Ok(()),
    }
}

fn field_of(msg: &str) -> String {
    msg.split('`').nth(1).unwrap_or("form").to_string()
}

/// Query string parameters.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        let q = parts.uri.query().unwrap_or("");
        serde_html_form_like(q.as_bytes()).map(Query)
    }
}

/// Deserialises a field that may be one string or several into a list.
pub fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match <Option<OneOrMany> as serde::Deserialize>::deserialize(d)? {
        None => vec![],
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

/// A JSON request body whose rejection is our own translated error (`WEB-004`).
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|_| Error::TooLarge)?;
        let invalid = |e: serde_json::Error| Error::Invalid(vec![FieldError::new(field_of(&e.to_string()), "err-json")]);
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(invalid)?;
        refuse_control_characters_json("body", &value)?;
        serde_json::from_value(value).map(Json).map_err(invalid)
    }
}

/// What a form's use case gives back when it worked: the address of the page that shows the
/// result (answered with a redirect, 303) or a response of its own (a download, a page).
pub trait Submitted {
    fn into_response(self) -> axum::response::Response;
}

impl Submitted for String {
    fn into_response(self) -> axum::response::Response {
        axum::response::IntoResponse::into_response(axum::response::Redirect::to(&self))
    }
}

impl Submitted for axum::response::Response {
    fn into_response(self) -> axum::response::Response {
        self
    }
}

/// The one way a form is answered: success goes on (see [`Submitted`]); an error the person
/// can act on ([`Error::is_form_error`]) shows the page again with its messages and the
/// error's status; any other error goes to the error page.
pub async fn submit<T, F, Fut>(
    ctx: &crate::web::Ctx,
    result: crate::error::Result<T>,
    page: F,
) -> crate::error::Result<axum::response::Response>
where
    T: Submitted,
    F: FnOnce(Vec<String>) -> Fut,
    Fut: std::future::Future<Output = crate::error::Result<axum::response::Response>>,
{
    match result {
        Ok(done) => Ok(done.into_response()),
        Err(e) if e.is_form_error() => {
            let messages = crate::web::errors::form_messages(ctx, &e);
            Ok(crate::web::errors::with_error_status(&e, page(messages).await?))
        }
        Err(e) => Err(e),
    }
}

/// [`submit`] for a page that shows its problems at the fields: the page is given the
/// problems as [`FormErrors`](crate::web::field::FormErrors) (an error summary linked to the
/// fields, and each field's own message) instead of plain lines.
pub async fn submit_fields<T, F, Fut>(
    ctx: &crate::web::Ctx,
    result: crate::error::Result<T>,
    page: F,
) -> crate::error::Result<axum::response::Response>
where
    T: Submitted,
    F: FnOnce(crate::web::field::FormErrors) -> Fut,
    Fut: std::future::Future<Output = crate::error::Result<axum::response::Response>>,
{
    match result {
        Ok(done) => Ok(done.into_response()),
        Err(e) if e.is_form_error() => {
            let errors = crate::web::field::FormErrors::of(ctx, &e);
            Ok(crate::web::errors::with_error_status(&e, page(errors).await?))
        }
        Err(e) => Err(e),
    }
}

/// Path parameters parsed into their types (ids, a tuple of ids); a value that does not parse
/// is the platform's "not found" (`PLT-001`), like an id that does not exist.
pub struct PathIds<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for PathIds<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        axum::extract::Path::<T>::from_request_parts(parts, state).await.map(|p| PathIds(p.0)).map_err(|_| Error::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Note {
        #[allow(dead_code)]
        text: String,
    }

    fn refused_field(e: Error) -> (String, String) {
        match e {
            Error::Invalid(f) => (f[0].field.clone(), f[0].message.clone()),
            other => panic!("not a form error: {other:?}"),
        }
    }

    #[test]
    fn control_characters_are_refused_at_their_field() {
        for body in ["text=a%00b", "text=%1B%5B31m", "text=a%07"] {
            let e = serde_html_form_like::<Note>(body.as_bytes()).expect_err(body);
            assert_eq!(refused_field(e), ("text".into(), "err-form-control".into()), "{body}");
        }
        let e = serde_html_form_like::<Note>(b"te%00xt=a").expect_err("key");
        assert_eq!(refused_field(e), ("form".into(), "err-form-control".into()));
        // Tab, line breaks and ordinary text pass.
        assert!(serde_html_form_like::<Note>(b"text=rad+1%0D%0Arad%092+%C3%A5%C3%A4%C3%B6").is_ok());
    }

    #[test]
    fn control_characters_in_json_are_refused() {
        let v: serde_json::Value = serde_json::from_str(r#"{"a": {"b": ["ok", "x\u0000y"]}}"#).expect("json");
        assert_eq!(refused_field(refuse_control_characters_json("body", &v).expect_err("nul")), ("b".into(), "err-form-control".into()));
        let v: serde_json::Value = serde_json::from_str(r#"{"a": "rad\nrad\tflik"}"#).expect("json");
        assert!(refuse_control_characters_json("body", &v).is_ok());
    }
}
