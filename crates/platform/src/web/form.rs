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
        serde_json::from_slice(&bytes).map(Json).map_err(|e| Error::Invalid(vec![FieldError::new(field_of(&e.to_string()), "err-json")]))
    }
}
