//! Real protocol peers for tests: an SMTP server (RFC 5321, no TLS) and an HTTP SMS
//! gateway, both on loopback, recording what they receive.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

/// A minimal SMTP server that accepts every message (or, when `reject` is set, answers
/// 451 to DATA so the client must retry).
#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    pub mails: Arc<Mutex<Vec<Mail>>>,
    pub reject: Arc<Mutex<bool>>,
}

impl SmtpServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let port = listener.local_addr().expect("addr").port();
        let server = SmtpServer { port, mails: Arc::default(), reject: Arc::default() };
        let s = server.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = s.session(sock).await;
                });
            }
        });
        server
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().map(|m| m.clone()).unwrap_or_default()
    }

    pub fn set_reject(&self, reject: bool) {
        if let Ok(mut r) = self.reject.lock() {
            *r = reject;
        }
    }

    async fn session(&self, sock: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = sock.into_split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 localhost ESMTP radhus-test\r\n").await?;
        let (mut from, mut to) = (String::new(), vec![]);
        while let Some(line) = lines.next_line().await? {
            let upper = line.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                write.write_all(b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n").await?;
            } else if upper.starts_with("HELO") {
                write.write_all(b"250 localhost\r\n").await?;
            } else if upper.starts_with("MAIL FROM:") {
                from =
                    line[10..].trim().trim_matches(['<', '>']).split_whitespace().next().unwrap_or("").trim_matches(['<', '>']).to_string();
                write.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("RCPT TO:") {
                to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                write.write_all(b"250 OK\r\n").await?;
            } else if upper == "DATA" {
                if self.reject.lock().map(|r| *r).unwrap_or(false) {
                    write.write_all(b"451 try again later\r\n").await?;
                    continue;
                }
                write.write_all(b"354 end with .\r\n").await?;
                let mut data = String::new();
                while let Some(l) = lines.next_line().await? {
                    if l == "." {
                        break;
                    }
                    data.push_str(l.strip_prefix('.').unwrap_or(&l));
                    data.push('\n');
                }
                if let Ok(mut m) = self.mails.lock() {
                    m.push(Mail { from: from.clone(), to: std::mem::take(&mut to), data });
                }
                write.write_all(b"250 OK queued\r\n").await?;
            } else if upper == "RSET" || upper == "NOOP" {
                write.write_all(b"250 OK\r\n").await?;
            } else if upper == "QUIT" {
                write.write_all(b"221 bye\r\n").await?;
                break;
            } else {
                write.write_all(b"502 not implemented\r\n").await?;
            }
        }
        Ok(())
    }
}

/// One request the gateway received: the Authorization header and the JSON body.
pub type SmsRequest = (Option<String>, serde_json::Value);

/// An HTTP SMS gateway: records JSON posts; answers 500 while `fail` is set.
#[derive(Clone)]
pub struct SmsGatewayServer {
    pub url: String,
    pub received: Arc<Mutex<Vec<SmsRequest>>>,
    pub fail: Arc<Mutex<bool>>,
}

impl SmsGatewayServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind sms");
        let port = listener.local_addr().expect("addr").port();
        let server = SmsGatewayServer { url: format!("http://127.0.0.1:{port}/sms"), received: Arc::default(), fail: Arc::default() };
        let s = server.clone();
        let app = axum::Router::new().route(
            "/sms",
            axum::routing::post(move |headers: axum::http::HeaderMap, axum::Json(body): axum::Json<serde_json::Value>| {
                let s = s.clone();
                async move {
                    if s.fail.lock().map(|f| *f).unwrap_or(false) {
                        return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "gateway down").into_response_parts();
                    }
                    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string);
                    if let Ok(mut r) = s.received.lock() {
                        r.push((auth, body));
                    }
                    (axum::http::StatusCode::OK, "{\"status\":\"queued\"}").into_response_parts()
                }
            }),
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        server
    }

    pub fn received(&self) -> Vec<SmsRequest> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    pub fn set_fail(&self, fail: bool) {
        if let Ok(mut f) = self.fail.lock() {
            *f = fail;
        }
    }
}

trait IntoParts {
    fn into_response_parts(self) -> axum::response::Response;
}

impl<T: axum::response::IntoResponse> IntoParts for T {
    fn into_response_parts(self) -> axum::response::Response {
        self.into_response()
    }
}
