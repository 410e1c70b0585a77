//! A browser-like client for the in-process router: keeps cookies, sends the CSRF token
//! with forms, and sets the Host header.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use tower::ServiceExt;

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Response {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub struct Client {
    router: Router,
    pub host: String,
    pub cookies: Vec<(String, String)>,
    pub accept_language: Option<String>,
}

impl Client {
    pub fn new(router: Router, host: &str) -> Self {
        Client { router, host: host.to_string(), cookies: vec![], accept_language: None }
    }

    pub fn cookie(&self, name_suffix: &str) -> Option<&str> {
        self.cookies.iter().find(|(k, _)| k.ends_with(name_suffix)).map(|(_, v)| v.as_str())
    }

    /// The CSRF token this client's forms carry.
    pub fn csrf(&self) -> Option<String> {
        self.cookie("radhus-csrf").map(str::to_string)
    }

    fn store_cookies(&mut self, headers: &axum::http::HeaderMap) {
        for v in headers.get_all(header::SET_COOKIE) {
            let Ok(s) = v.to_str() else { continue };
            let Some((pair, attrs)) = s.split_once(';').or(Some((s, ""))) else { continue };
            let Some((k, val)) = pair.split_once('=') else { continue };
            self.cookies.retain(|(n, _)| n != k);
            if !attrs.contains("Max-Age=0") && !val.is_empty() {
                self.cookies.push((k.to_string(), val.to_string()));
            }
        }
    }

    pub async fn send(&mut self, req: Request<Body>) -> Response {
        let mut req = req;
        let h = req.headers_mut();
        h.insert(header::HOST, self.host.parse().expect("host"));
        if !self.cookies.is_empty() {
            let c = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            h.insert(header::COOKIE, c.parse().expect("cookie"));
        }
        if let Some(l) = &self.accept_language {
            h.insert(header::ACCEPT_LANGUAGE, l.parse().expect("lang"));
        }
        let resp = self.router.clone().oneshot(req).await.expect("router");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        self.store_cookies(&headers);
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.expect("body");
        Response { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.send(Request::get(path).body(Body::empty()).expect("request")).await
    }

    /// Posts a form with this client's CSRF token (fetching a page first if it has none).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        if self.csrf().is_none() {
            self.get("/logga-in").await;
        }
        let token = self.csrf().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts a multipart form (text fields and files: field name, file name, content) with this
    /// client's CSRF token in the address, as the upload forms carry it.
    pub async fn post_multipart(&mut self, path: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Response {
        if self.csrf().is_none() {
            self.get("/logga-in").await;
        }
        let boundary = "radhus-test-boundary-7d1f";
        let mut body: Vec<u8> = vec![];
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
            );
        }
        for (name, filename, bytes) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let sep = if path.contains('?') { '&' } else { '?' };
        let token = self.csrf().unwrap_or_default();
        let req = Request::post(format!("{path}{sep}_csrf={token}"))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(body)).expect("request");
        self.send(req).await
    }
}
