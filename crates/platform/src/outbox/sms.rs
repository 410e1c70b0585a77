//! SMS through an HTTP gateway: `POST {url}` with a JSON body
//! `{"from", "to", "message"}` and a bearer token; any 2xx status is accepted.

use crate::config::SmsConfig;

#[derive(Clone)]
pub struct SmsGateway {
    url: String,
    token: String,
    sender: String,
    http: reqwest::Client,
}

impl SmsGateway {
    pub fn new(cfg: &SmsConfig, http: reqwest::Client) -> Self {
        Self { url: cfg.url.clone(), token: cfg.token.clone(), sender: cfg.sender.clone(), http }
    }

    pub async fn send(&self, to: &str, message: &str) -> Result<(), String> {
        let to = normalise_msisdn(to).ok_or_else(|| format!("bad phone number {to:?}"))?;
        let mut req = self.http.post(&self.url).json(&serde_json::json!({
            "from": self.sender,
            "to": to,
            "message": message,
        }));
        if !self.token.is_empty() {
            req = req.bearer_auth(&self.token);
        }
        let resp = req.send().await.map_err(|e| format!("sms gateway: {e}"))?;
        if resp.status().is_success() {
            Ok(())
        } else {
            let status = resp.status();
            let text = resp.text().await.unwrap_or_default();
            Err(format!("sms gateway answered {status}: {}", text.chars().take(200).collect::<String>()))
        }
    }
}

/// Swedish mobile numbers to E.164: `070-123 45 67` → `+46701234567`.
pub fn normalise_msisdn(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    let e164 = if let Some(rest) = digits.strip_prefix('+') {
        format!("+{rest}")
    } else if let Some(rest) = digits.strip_prefix("00") {
        format!("+{rest}")
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("+46{rest}")
    } else {
        return None;
    };
    let n = e164.len() - 1;
    (e164[1..].chars().all(|c| c.is_ascii_digit()) && (8..=15).contains(&n)).then_some(e164)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_e164() {
        assert_eq!(normalise_msisdn("070-123 45 67").as_deref(), Some("+46701234567"));
        assert_eq!(normalise_msisdn("+46 70 123 45 67").as_deref(), Some("+46701234567"));
        assert_eq!(normalise_msisdn("0046701234567").as_deref(), Some("+46701234567"));
        assert_eq!(normalise_msisdn("12345"), None);
        assert_eq!(normalise_msisdn("abc"), None);
    }
}
