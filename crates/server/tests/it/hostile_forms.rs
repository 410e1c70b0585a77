//! The hostile-input sweep (issue 14 item 6): every form the application shows is found by
//! walking every registered page (as a municipality's administrator, the platform operator and a
//! citizen) and reading the page's own `<form method="post">` fields, so a new module's forms are
//! covered without being listed here. The fields of each form are then posted with hostile
//! values — markup, quotes and SQL, 100,000 characters, NUL and control characters, invalid
//! UTF-8, huge and negative numbers, the dates 0000-01-01 and 9999-12-31, the field missing, the
//! field repeated — while the other fields keep the page's own values. For each request: no 5xx,
//! the markup never echoed unescaped, and a refused request (4xx) writes nothing.
//!
//! Which field gets which value ([`values_for`]): every field of every form gets the values in
//! [`EVERY_FIELD`] (the control characters and the 100,000 characters, the two that found real
//! bugs); the other values of [`VALUES`] rotate over a form's fields — value `r` of them goes to
//! field `r mod n` of a form with `n` fields (`n` at most the number of rotating values; a form
//! with more fields gives field `i` the rotating value `i mod` their number). So every form
//! still gets every hostile value, every field gets at least one rotating value besides the two,
//! and a form with few fields gets them all on each field as before. Each field with every value
//! was 2,871 requests (77 forms); this is 1,240.
//!
//! "Writes nothing" is watched by triggers the sweep puts on every table (but those in
//! [`WRITTEN_WHEN_REFUSED`]): each row inserted, updated or deleted leaves the table's name in
//! `hostile_write`, which is emptied before each request and read after a refused one. Reading
//! every table's contents around each request instead took ten minutes.

use std::collections::{BTreeMap, BTreeSet};

use radhus_platform::db::{Db, DbKind, Scope};
use radhus_platform::on_tx;
use radhus_testkit::schema::ids;
use radhus_testkit::{Client, TestApp};

/// The markup a page must never echo unescaped.
const PROBE: &str = "radhus-hostile";

/// One hostile value for a field.
#[derive(Clone, Copy, Debug)]
enum Value {
    Text(&'static str),
    Long,
    /// Bytes that are no UTF-8 (sent percent-encoded, as a browser would).
    InvalidUtf8,
    Missing,
    Repeated,
}

const VALUES: &[Value] = &[
    Value::Text("\"'><radhus-hostile hx-post=/x>&lt;"),
    Value::Text("' OR '1'='1' --; DROP TABLE tenant; --"),
    Value::Long,
    Value::Text("a\u{0}b\u{1}\u{7}\u{1b}[31m\r\n"),
    Value::InvalidUtf8,
    Value::Text("99999999999999999999999999"),
    Value::Text("-9223372036854775809"),
    Value::Text("0000-01-01"),
    Value::Text("9999-12-31"),
    Value::Missing,
    Value::Repeated,
];

/// The indexes in [`VALUES`] every field of every form gets: the control characters (a NUL was a
/// 500 on PostgreSQL) and the 100,000 characters. The others rotate over a form's fields.
const EVERY_FIELD: &[usize] = &[3, 2];

/// The values field `field` (counted from 0) of a form with `fields` fields is posted with: those
/// in [`EVERY_FIELD`], and rotating value `r` (the `r`-th of the others) when
/// `r mod min(fields, rotating) == field mod rotating`. Over a form's fields each rotating value
/// comes exactly once.
fn values_for(field: usize, fields: usize) -> Vec<Value> {
    let rotating: Vec<usize> = (0..VALUES.len()).filter(|i| !EVERY_FIELD.contains(i)).collect();
    let width = fields.clamp(1, rotating.len());
    let mut out: Vec<Value> = EVERY_FIELD.iter().map(|&i| VALUES[i]).collect();
    out.extend(rotating.iter().enumerate().filter(|(r, _)| r % width == field % rotating.len()).map(|(_, &i)| VALUES[i]));
    out
}

/// Tables a refused request may still write, and why.
const WRITTEN_WHEN_REFUSED: &[(&str, &str)] = &[
    ("audit_event", "a page shown again with its errors is a read of personal data, which is audit-logged"),
    ("audit_head", "the head of the audit chain moves with each audit event"),
    ("session", "every request touches the session's last-seen time"),
    ("rate_window", "a refused login or public form counts towards the client's limit (web::rate), by design"),
];

/// Puts a trigger on every table but [`WRITTEN_WHEN_REFUSED`] that leaves the table's name in
/// `hostile_write` for each row written.
async fn watch_writes(db: &Db) {
    let mut tx = db.write(Scope::System).await.expect("tx");
    let kind = tx.kind();
    on_tx!(&mut tx, c => {
        let list = match kind {
            // Full-text indexes (virtual tables and their shadow tables) take no triggers; they
            // follow their base tables, which are watched.
            DbKind::Sqlite => {
                "SELECT name FROM sqlite_master t WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                 AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND NOT EXISTS (SELECT 1 FROM sqlite_master v \
                 WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND t.name LIKE v.name || '\\_%' ESCAPE '\\')"
            }
            DbKind::Postgres => "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
        };
        let tables: Vec<String> = sqlx::query_scalar(list).fetch_all(&mut *c).await.expect("tables");
        sqlx::query("CREATE TABLE hostile_write (tbl TEXT NOT NULL)").execute(&mut *c).await.expect("table");
        if kind == DbKind::Postgres {
            sqlx::query(
                "CREATE FUNCTION hostile_write_seen() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN INSERT INTO hostile_write (tbl) VALUES (TG_TABLE_NAME); RETURN NULL; END $$",
            )
            .execute(&mut *c)
            .await
            .expect("function");
        }
        let watched = tables.iter().filter(|t| !t.starts_with("_sqlx") && !WRITTEN_WHEN_REFUSED.iter().any(|(n, _)| n == t));
        for (i, table) in watched.enumerate() {
            let quoted = format!("\"{}\"", table.replace('"', "\"\""));
            let name = table.replace('\'', "''");
            let ddl: Vec<String> = match kind {
                DbKind::Sqlite => ["INSERT", "UPDATE", "DELETE"]
                    .iter()
                    .map(|op| {
                        format!(
                            "CREATE TRIGGER hostile_w{i}_{op} AFTER {op} ON {quoted} \
                             BEGIN INSERT INTO hostile_write (tbl) VALUES ('{name}'); END"
                        )
                    })
                    .collect(),
                DbKind::Postgres => vec![format!(
                    "CREATE TRIGGER hostile_w AFTER INSERT OR UPDATE OR DELETE ON {quoted} \
                     FOR EACH ROW EXECUTE FUNCTION hostile_write_seen()"
                )],
            };
            for sql in ddl {
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *c).await.expect("trigger");
            }
        }
    });
    tx.commit().await.expect("commit");
}

/// Empties `hostile_write` (when `clear`) or reads the tables written since it was emptied.
async fn writes(db: &Db, clear: bool) -> BTreeSet<String> {
    let mut tx = db.write(Scope::System).await.expect("tx");
    let seen: Vec<String> = on_tx!(&mut tx, c => {
        if clear {
            sqlx::query("DELETE FROM hostile_write").execute(&mut *c).await.expect("clear");
            vec![]
        } else {
            sqlx::query_scalar("SELECT DISTINCT tbl FROM hostile_write").fetch_all(&mut *c).await.expect("read")
        }
    });
    tx.commit().await.expect("commit");
    seen.into_iter().collect()
}

/// A form as its page shows it.
#[derive(Debug, Clone)]
struct FormSeen {
    action: String,
    multipart: bool,
    /// Each field's name and the value the page gives it (the first one for radios, buttons and
    /// repeated names; checked checkboxes only).
    fields: Vec<(String, String)>,
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in a tag's text (`<input … name="x" …`).
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    loop {
        let i = rest.find(&format!("{name}=\""))?;
        // A whole attribute name: preceded by whitespace.
        let before = rest[..i].chars().last();
        let value_start = i + name.len() + 2;
        if before.is_some_and(char::is_whitespace) {
            let end = rest[value_start..].find('"')?;
            return Some(unescape(&rest[value_start..value_start + end]));
        }
        rest = &rest[value_start..];
    }
}

fn has_attr(tag: &str, name: &str) -> bool {
    tag.split(|c: char| c.is_whitespace() || c == '>' || c == '/').any(|w| w == name || w.starts_with(&format!("{name}=")))
}

/// Every `<form method="post">` of a page, with its fields.
fn forms(html: &str, page_path: &str) -> Vec<FormSeen> {
    let mut out = vec![];
    let mut rest = html;
    while let Some(start) = rest.find("<form") {
        let Some(end) = rest[start..].find("</form>") else { break };
        let block = &rest[start..start + end];
        rest = &rest[start + end + 7..];
        let open = &block[..block.find('>').unwrap_or(block.len())];
        if !attr(open, "method").is_some_and(|m| m.eq_ignore_ascii_case("post")) {
            continue;
        }
        let action = attr(open, "action").filter(|a| !a.is_empty()).unwrap_or_else(|| page_path.to_string());
        if !action.starts_with('/') {
            continue;
        }
        let multipart = attr(open, "enctype").is_some_and(|e| e.contains("multipart"));
        let mut fields: Vec<(String, String)> = vec![];
        let mut push = |name: String, value: String| {
            if name != "_csrf" && !fields.iter().any(|(n, _)| *n == name) {
                fields.push((name, value));
            }
        };
        let mut tags = block;
        while let Some(i) = tags.find('<') {
            tags = &tags[i + 1..];
            let tag_end = tags.find('>').unwrap_or(tags.len());
            let tag = &tags[..tag_end];
            let kind: String = tag.chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_lowercase();
            let Some(name) = attr(tag, "name") else { continue };
            match kind.as_str() {
                "input" => {
                    let ty = attr(tag, "type").unwrap_or_else(|| "text".into()).to_ascii_lowercase();
                    if ty == "checkbox" && !has_attr(tag, "checked") {
                        continue;
                    }
                    if ty == "file" {
                        continue;
                    }
                    push(name, attr(tag, "value").unwrap_or_default());
                }
                "button" => push(name, attr(tag, "value").unwrap_or_default()),
                "textarea" => {
                    let body = &tags[tag_end + 1..];
                    let text = body.find("</textarea>").map(|e| unescape(&body[..e])).unwrap_or_default();
                    push(name, text);
                }
                "select" => {
                    let body = &tags[tag_end + 1..];
                    let body = &body[..body.find("</select>").unwrap_or(body.len())];
                    let options: Vec<&str> = body.split("<option").skip(1).collect();
                    let chosen = options.iter().find(|o| has_attr(&o[..o.find('>').unwrap_or(o.len())], "selected")).or(options.first());
                    let value = chosen.map(|o| attr(&o[..o.find('>').unwrap_or(o.len())], "value").unwrap_or_default()).unwrap_or_default();
                    push(name, value);
                }
                _ => {}
            }
        }
        out.push(FormSeen { action, multipart, fields });
    }
    out
}

/// The registered route pattern a concrete path belongs to.
fn pattern_of(routes: &[(String, String)], path: &str) -> Option<String> {
    let path = path.split('?').next().unwrap_or(path);
    let segs: Vec<&str> = path.split('/').collect();
    routes
        .iter()
        .filter(|(m, _)| m == "POST")
        .map(|(_, p)| p)
        .find(|p| {
            let ps: Vec<&str> = p.split('/').collect();
            ps.len() == segs.len() && ps.iter().zip(&segs).all(|(a, b)| a == b || (a.starts_with('{') && a.ends_with('}')))
        })
        .cloned()
}

/// Percent-encodes every byte but ASCII letters and digits, as a form body carries it.
fn percent(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// The urlencoded body of `fields` with `field` replaced by the hostile `value`.
fn body(fields: &[(String, String)], csrf: &str, field: &str, value: Value) -> String {
    let mut parts = vec![format!("_csrf={}", percent(csrf))];
    for (name, own) in fields {
        if name != field {
            parts.push(format!("{}={}", percent(name), percent(own)));
            continue;
        }
        match value {
            Value::Text(t) => parts.push(format!("{}={}", percent(name), percent(t))),
            Value::Long => parts.push(format!("{}={}", percent(name), "a".repeat(100_000))),
            Value::InvalidUtf8 => parts.push(format!("{}=%FF%FE%C3%28%80", percent(name))),
            Value::Missing => {}
            Value::Repeated => {
                parts.push(format!("{}={}", percent(name), percent(own)));
                parts.push(format!("{}={}", percent(name), percent("\"><radhus-hostile>")));
            }
        }
    }
    parts.join("&")
}

/// A multipart body of the same (no file part: the upload is missing, which must be refused).
fn multipart(fields: &[(String, String)], field: &str, value: Value) -> Vec<u8> {
    let b = "radhus-hostile-boundary";
    let mut out: Vec<u8> = vec![];
    let mut part = |name: &str, bytes: &[u8]| {
        out.extend_from_slice(format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    };
    for (name, own) in fields {
        if name != field {
            part(name, own.as_bytes());
            continue;
        }
        match value {
            Value::Text(t) => part(name, t.as_bytes()),
            Value::Long => part(name, "a".repeat(100_000).as_bytes()),
            Value::InvalidUtf8 => part(name, &[0xff, 0xfe, 0xc3, 0x28, 0x80]),
            Value::Missing => {}
            Value::Repeated => {
                part(name, own.as_bytes());
                part(name, b"\"><radhus-hostile>");
            }
        }
    }
    out.extend_from_slice(format!("--{b}--\r\n").as_bytes());
    out
}

async fn post(c: &mut Client, action: &str, form: &FormSeen, field: &str, value: Value) -> radhus_testkit::client::Response {
    use axum::http::{Request, header};
    let csrf = c.csrf().unwrap_or_default();
    let req = if form.multipart {
        let sep = if action.contains('?') { '&' } else { '?' };
        Request::post(format!("{action}{sep}_csrf={}", percent(&csrf)))
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=radhus-hostile-boundary")
            .body(axum::body::Body::from(multipart(&form.fields, field, value)))
    } else {
        Request::post(action).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(axum::body::Body::from(body(
            &form.fields,
            &csrf,
            field,
            value,
        )))
    };
    c.send(req.expect("request")).await
}

#[tokio::test]
async fn every_form_field_survives_hostile_values() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (a, alfa) = crate::isolation::seed_alfa(&app).await;
    let operator = app.operator("operator@radhus.se").await;
    let mut citizen = app.client("alfa.localhost");
    assert_eq!(citizen.post_form("/e-legitimation/test", &[("person", "19850315-2384")]).await.status, 303);
    let mut tx = app.db.read(radhus_platform::db::Scope::System).await.expect("tx");
    let own: Vec<String> = ids(&mut tx, a, 1).await.into_iter().map(|(_, id)| id.to_string()).collect();
    tx.commit().await.expect("commit");
    let routes: Vec<(String, String)> = app.state.routes.iter().map(|r| (r.method.to_string(), r.path.to_string())).collect();

    // Find the forms: every GET page, with the seeded ids in its path, as each kind of user.
    let mut found: BTreeMap<(usize, String), (String, FormSeen)> = BTreeMap::new();
    let users = [&alfa, &operator, &citizen];
    for (who, user) in users.iter().enumerate() {
        for (method, path) in routes.iter().filter(|(m, _)| m == "GET") {
            let _ = method;
            let paths: Vec<String> =
                if path.contains('{') { own.iter().map(|id| crate::isolation::fill(path, id)).collect() } else { vec![path.clone()] };
            for p in paths {
                let mut c = app.client(&user.host);
                c.cookies = user.cookies.clone();
                let r = c.get(&p).await;
                if r.status != 200 || !r.headers.get("content-type").is_some_and(|v| v.to_str().unwrap_or("").contains("html")) {
                    continue;
                }
                for f in forms(&r.body, &p) {
                    // Logging out and the language switch end or change the session the sweep uses.
                    if f.action.starts_with("/logga-ut") || f.fields.is_empty() {
                        continue;
                    }
                    if let Some(pattern) = pattern_of(&routes, &f.action) {
                        found.entry((who, pattern)).or_insert((f.action.clone(), f));
                    }
                }
            }
        }
    }
    let forms_found = found.len();
    let distinct: BTreeSet<&String> = found.keys().map(|(_, p)| p).collect();
    assert!(distinct.len() >= 60, "only {} form routes found: {distinct:#?}", distinct.len());

    // The audit's pseudonym key is made at the first login attempt ever, a refused one too: make
    // it before the writes are watched.
    let mut anonymous = app.client("alfa.localhost");
    anonymous.get("/logga-in").await;
    let r = anonymous.post_form("/logga-in", &[("email", "nobody@alfa.se"), ("password", "wrong")]).await;
    assert!((400..500).contains(&r.status) || r.status == 200, "a refused login: {}", r.status);
    watch_writes(&app.db).await;

    let mut tried = 0usize;
    let mut refused = 0usize;
    // `hostile_write` is emptied before the first request and after each accepted one: a refused
    // request that wrote nothing leaves it empty.
    writes(&app.db, true).await;
    for ((who, pattern), (action, form)) in &found {
        for (i, (field, _)) in form.fields.iter().enumerate() {
            for value in values_for(i, form.fields.len()) {
                let user = users[*who];
                let mut c = app.client(&user.host);
                c.cookies = user.cookies.clone();
                let r = post(&mut c, action, form, field, value).await;
                tried += 1;
                let what = format!("POST {action} ({pattern}) field {field} = {value:?} as {}", user.host);
                assert!(r.status < 500, "{what}: {} {}", r.status, &r.body[..r.body.len().min(2000)]);
                let kind = r.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
                if kind.contains("html") || kind.contains("xml") {
                    assert!(!r.body.contains(&format!("<{PROBE}")), "{what} echoes markup unescaped");
                }
                if let Some(loc) = r.location() {
                    assert!(!loc.contains('<') && !loc.contains('"'), "{what}: redirect to {loc}");
                }
                if (400..500).contains(&r.status) {
                    refused += 1;
                    let written = writes(&app.db, false).await;
                    assert!(written.is_empty(), "{what} was refused ({}) but wrote {written:?}", r.status);
                } else {
                    writes(&app.db, true).await;
                }
            }
        }
    }
    println!(
        "hostile sweep: {forms_found} forms on {} routes, their fields × {} values (rotating) = {tried} requests, {refused} refused",
        distinct.len(),
        VALUES.len()
    );
    assert!(tried > 1000, "only {tried} requests");
}

#[test]
fn every_form_gets_every_value_and_every_field_the_two() {
    let every: Vec<String> = EVERY_FIELD.iter().map(|&i| format!("{:?}", VALUES[i])).collect();
    for fields in 1..=25 {
        let mut seen: Vec<String> = vec![];
        for field in 0..fields {
            let got: Vec<String> = values_for(field, fields).iter().map(|v| format!("{v:?}")).collect();
            assert!(every.iter().all(|e| got.contains(e)), "field {field} of {fields}: {got:?}");
            assert!(got.len() > every.len(), "field {field} of {fields} gets no rotating value");
            seen.extend(got.into_iter().filter(|g| !every.contains(g)));
        }
        let mut all: Vec<String> = VALUES.iter().map(|v| format!("{v:?}")).filter(|v| !every.contains(v)).collect();
        all.sort();
        if fields <= all.len() {
            seen.sort();
            assert_eq!(seen, all, "a form of {fields} fields gets each rotating value exactly once");
        } else {
            seen.sort();
            seen.dedup();
            assert_eq!(seen, all, "a form of {fields} fields gets every rotating value");
        }
    }
}

#[test]
fn the_form_reader_finds_fields_and_values() {
    let html = r#"<form method="post" action="/a/1?x=1&amp;y=2"><input type="hidden" name="_csrf" value="t">
        <input name="title" value="A &quot;b&quot;"><input type="checkbox" name="off"><input type="checkbox" name="on" checked>
        <select name="s"><option value="1">1</option><option value="2" selected>2</option></select>
        <textarea name="t">x &lt; y</textarea><button name="go" value="yes">Go</button></form>
        <form method="get" action="/search"><input name="q"></form>"#;
    let f = forms(html, "/page");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].action, "/a/1?x=1&y=2");
    let names: Vec<(&str, &str)> = f[0].fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(names, vec![("title", "A \"b\""), ("on", ""), ("s", "2"), ("t", "x < y"), ("go", "yes")]);
    let routes = vec![("POST".to_string(), "/a/{id}".to_string()), ("GET".to_string(), "/a/{id}".to_string())];
    assert_eq!(pattern_of(&routes, "/a/1?x=1"), Some("/a/{id}".to_string()));
    assert_eq!(pattern_of(&routes, "/b/1"), None);
}
