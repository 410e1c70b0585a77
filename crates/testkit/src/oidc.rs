//! A small OpenID Connect provider for tests: discovery, JWKS, an authorization endpoint
//! that logs in a preset person at once, and a token endpoint that checks the client
//! secret and PKCE and signs RS256 ID tokens — or, on request ([`OidcProvider::sign_wrongly`]),
//! an ID token that a client must refuse.
//!
//! The signing key (`oidc-test-key.pem`) is a throwaway key made for these tests only.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::sha2::{Digest, Sha256};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use serde::Deserialize;

const KEY_PEM: &str = include_str!("oidc-test-key.pem");

/// A way the next ID tokens are wrong, each of which the client must refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `aud` names another client.
    WrongAudience,
    /// `iss` names another issuer than the one discovery gave.
    WrongIssuer,
    /// `nonce` is not the one the client sent with the authorization request.
    WrongNonce,
    /// Expired an hour ago (`exp`; `iat` an hour before that).
    Expired,
    /// Signed, then changed: the personal identity number is another person's.
    BadSignature,
    /// Signed with the published key but named by a key id (`kid`) the JWKS does not have.
    UnknownKeyId,
}

impl Fault {
    pub const ALL: [Fault; 6] =
        [Fault::WrongAudience, Fault::WrongIssuer, Fault::WrongNonce, Fault::Expired, Fault::BadSignature, Fault::UnknownKeyId];
}

/// The key id of the provider's one published key.
const KID: &str = "test";

#[derive(Clone)]
pub struct OidcProvider {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    inner: Arc<Inner>,
}

struct Inner {
    key: rsa::RsaPrivateKey,
    /// Claims of the person the next authorization logs in.
    person: Mutex<serde_json::Value>,
    /// How the token endpoint signs wrongly; None: correctly.
    fault: Mutex<Option<Fault>>,
    /// code → (nonce, code_challenge, redirect_uri, claims)
    codes: Mutex<HashMap<String, (String, String, String, serde_json::Value)>>,
}

impl OidcProvider {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind oidc");
        let port = listener.local_addr().expect("addr").port();
        let key = rsa::RsaPrivateKey::from_pkcs8_pem(KEY_PEM).expect("test key");
        let p = OidcProvider {
            issuer: format!("http://127.0.0.1:{port}"),
            client_id: "radhus-test".into(),
            client_secret: "hemlig-klient".into(),
            inner: Arc::new(Inner { key, person: Mutex::new(serde_json::json!({})), fault: Mutex::default(), codes: Mutex::default() }),
        };
        let app = axum::Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(p.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        p
    }

    /// The person (extra ID-token claims) the next login authenticates.
    pub fn set_person(&self, claims: serde_json::Value) {
        if let Ok(mut p) = self.inner.person.lock() {
            *p = claims;
        }
    }

    /// From now on the token endpoint signs wrongly in this way (None: correctly again).
    pub fn sign_wrongly(&self, fault: Option<Fault>) {
        if let Ok(mut f) = self.inner.fault.lock() {
            *f = fault;
        }
    }

    fn sign(&self, claims: &serde_json::Value, kid: &str) -> String {
        let header = B64.encode(serde_json::json!({ "alg": "RS256", "typ": "JWT", "kid": kid }).to_string());
        let payload = B64.encode(claims.to_string());
        let input = format!("{header}.{payload}");
        let sig = SigningKey::<Sha256>::new(self.inner.key.clone()).sign(input.as_bytes());
        format!("{input}.{}", B64.encode(sig.to_bytes()))
    }

    /// The ID token for these claims, wrong in the way asked for.
    fn id_token(&self, mut claims: serde_json::Value, now: i64) -> String {
        let fault = self.inner.fault.lock().ok().and_then(|f| *f);
        let mut set = |k: &str, v: serde_json::Value| {
            if let Some(c) = claims.as_object_mut() {
                c.insert(k.into(), v);
            }
        };
        match fault {
            None => {}
            Some(Fault::WrongAudience) => set("aud", "another-client".into()),
            Some(Fault::WrongIssuer) => set("iss", "https://idp.evil.example".into()),
            Some(Fault::WrongNonce) => set("nonce", format!("not-{}", uuid::Uuid::new_v4().simple()).into()),
            Some(Fault::Expired) => {
                set("iat", (now - 7200).into());
                set("exp", (now - 3600).into());
            }
            Some(Fault::BadSignature) => {
                let signed = self.sign(&claims, KID);
                // Every claim that holds a personal identity number becomes another person's.
                if let Some(c) = claims.as_object_mut() {
                    for v in c.values_mut() {
                        if v.as_str().is_some_and(|s| s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())) {
                            *v = "198503152384".into();
                        }
                    }
                    c.insert("name".into(), "Någon Annan".into());
                }
                let mut parts: Vec<String> = signed.split('.').map(str::to_string).collect();
                parts[1] = B64.encode(claims.to_string());
                return parts.join(".");
            }
            Some(Fault::UnknownKeyId) => return self.sign(&claims, "rotated-away"),
        }
        self.sign(&claims, KID)
    }
}

async fn discovery(State(p): State<OidcProvider>) -> Response {
    axum::Json(serde_json::json!({
        "issuer": p.issuer,
        "authorization_endpoint": format!("{}/authorize", p.issuer),
        "token_endpoint": format!("{}/token", p.issuer),
        "jwks_uri": format!("{}/jwks", p.issuer),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
    }))
    .into_response()
}

async fn jwks(State(p): State<OidcProvider>) -> Response {
    let public = p.inner.key.to_public_key();
    axum::Json(serde_json::json!({ "keys": [{
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": KID,
        "n": B64.encode(public.n().to_bytes_be()),
        "e": B64.encode(public.e().to_bytes_be()),
    }]}))
    .into_response()
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    client_id: String,
    redirect_uri: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
}

/// Logs the preset person in at once and sends the browser back with a code.
async fn authorize(State(p): State<OidcProvider>, Query(q): Query<AuthorizeQuery>) -> Response {
    if q.client_id != p.client_id || q.code_challenge_method != "S256" {
        return (StatusCode::BAD_REQUEST, "bad client or PKCE method").into_response();
    }
    let code = format!("code-{}", uuid::Uuid::new_v4().simple());
    let claims = p.inner.person.lock().map(|c| c.clone()).unwrap_or_default();
    if let Ok(mut codes) = p.inner.codes.lock() {
        codes.insert(code.clone(), (q.nonce, q.code_challenge, q.redirect_uri.clone(), claims));
    }
    let sep = if q.redirect_uri.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{}{sep}code={code}&state={}", q.redirect_uri, q.state)).into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: String,
    client_id: Option<String>,
    client_secret: Option<String>,
}

async fn token(State(p): State<OidcProvider>, headers: HeaderMap, Form(f): Form<TokenForm>) -> Response {
    let basic = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    let expected = format!("{}:{}", p.client_id, p.client_secret);
    let authenticated = basic.as_deref() == Some(expected.as_str())
        || (f.client_id.as_deref() == Some(p.client_id.as_str()) && f.client_secret.as_deref() == Some(p.client_secret.as_str()));
    if !authenticated {
        return (StatusCode::UNAUTHORIZED, axum::Json(serde_json::json!({ "error": "invalid_client" }))).into_response();
    }
    let entry = p.inner.codes.lock().ok().and_then(|mut c| c.remove(&f.code));
    let Some((nonce, challenge, redirect_uri, person)) = entry else {
        return (StatusCode::BAD_REQUEST, axum::Json(serde_json::json!({ "error": "invalid_grant" }))).into_response();
    };
    let pkce_ok = B64.encode(Sha256::digest(f.code_verifier.as_bytes())) == challenge;
    if f.grant_type != "authorization_code" || redirect_uri != f.redirect_uri || !pkce_ok {
        return (StatusCode::BAD_REQUEST, axum::Json(serde_json::json!({ "error": "invalid_grant" }))).into_response();
    }
    #[expect(clippy::disallowed_methods, reason = "ID tokens are checked against the real clock by the client library")]
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut claims = serde_json::json!({
        "iss": p.issuer, "sub": format!("sub-{}", uuid::Uuid::new_v4().simple()), "aud": p.client_id,
        "iat": now, "exp": now + 300, "nonce": nonce,
    });
    if let (Some(c), Some(extra)) = (claims.as_object_mut(), person.as_object()) {
        c.extend(extra.clone());
    }
    axum::Json(serde_json::json!({
        "access_token": "at-test", "token_type": "Bearer", "expires_in": 300, "id_token": p.id_token(claims, now),
    }))
    .into_response()
}
