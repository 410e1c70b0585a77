//! Output escaping as a class: every `|safe` in every template is reviewed and listed here, and
//! every page, staff and operator pages included, is requested with markup in every query
//! parameter any template uses. No page may echo the markup unescaped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use radhus_platform::db::Scope;
use radhus_testkit::TestApp;
use radhus_testkit::schema::ids;

/// Every `|safe` filter allowed in a template: (template file, the expression, why it is safe).
/// A new `|safe` fails `every_safe_filter_is_reviewed` until it is added here with its reason.
const SAFE_ALLOW_LIST: &[(&str, &str, &str)] = &[
    (
        "elections/templates/elections/public_page.html",
        "p.body_html",
        "an information page's body, cleaned by elections::pages::sanitise (ammonia, a tag and scheme allow-list) when saved",
    ),
    ("elections/templates/elections/public_start.html", "first.body_html", "the same sanitised page body as public_page.html"),
    (
        "elections/templates/elections/public_page_edit.html",
        "preview",
        "the preview is pages::sanitise of the typed body, or the stored sanitised body",
    ),
    ("elections/templates/elections/public_pages.html", "html", "the sanitised body of the page being previewed in the list"),
    (
        "maturity/templates/maturity/results.html",
        "r.flower_svg",
        "SVG drawn by maturity::flower::svg, which escapes every text it writes (unit test flower::tests)",
    ),
];

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").to_path_buf()
}

fn templates(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "target" || n == "node_modules") {
                continue;
            }
            templates(&p, out);
        } else if p.extension().is_some_and(|e| e == "html") && p.to_string_lossy().contains("/templates/") {
            out.push(p);
        }
    }
}

fn all_templates() -> Vec<(String, String)> {
    let root = crates_dir();
    let mut files = vec![];
    templates(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).expect("under crates").to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(&p).expect("template"))
        })
        .collect()
}

/// The `|safe` uses of one template as (expression, filter chain) pairs.
fn safe_uses(text: &str) -> Vec<String> {
    let mut out = vec![];
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else { break };
        let expr = rest[start + 2..start + len].trim();
        if let Some(i) = expr.find("|safe").or_else(|| expr.find("| safe")) {
            out.push(expr[..i].trim().to_string());
        }
        rest = &rest[start + len + 2..];
    }
    out
}

#[test]
fn every_safe_filter_is_reviewed() {
    let all = all_templates();
    assert!(all.len() > 50, "found only {} templates", all.len());
    let mut found = vec![];
    for (file, text) in &all {
        for expr in safe_uses(text) {
            assert!(
                SAFE_ALLOW_LIST.iter().any(|(f, e, _)| f == file && *e == expr),
                "{file}: `{{{{ {expr}|safe }}}}` is not in the reviewed allow-list (tests/it/hostile.rs). \
                 Escape it instead, or add it with the reason it cannot carry request data as markup."
            );
            found.push((file.clone(), expr));
        }
        assert!(!text.contains("hx-"), "{file} uses htmx attributes; no script is loaded (ADR 0015)");
        assert!(!text.contains("<script"), "{file} has a script element; no script is loaded (ADR 0015)");
    }
    for (f, e, why) in SAFE_ALLOW_LIST {
        assert!(!why.is_empty());
        assert!(found.iter().any(|(ff, ee)| ff == f && ee == e), "allow-list entry {f} `{e}` no longer exists: remove it");
    }
}

#[test]
fn the_safe_scanner_finds_what_it_should() {
    assert_eq!(safe_uses("<a href=\"?{{ query|safe }}\">{{ x }}</a>{{ y | safe }}"), vec!["query", "y"]);
    assert!(safe_uses("{{ a }} {{ b|e }}").is_empty());
}

/// Every query key a template can send or link with: form field names and `?k=` / `&amp;k=`.
fn query_keys() -> BTreeSet<String> {
    let mut keys: BTreeSet<String> =
        ["next", "lang", "q", "sida", "vy", "typ", "status", "ar", "sok", "year"].into_iter().map(String::from).collect();
    let ident = |s: &str| -> Option<String> {
        let k: String = s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
        (!k.is_empty() && k != "_csrf").then_some(k)
    };
    for (_, text) in all_templates() {
        for part in text.split("name=\"").skip(1) {
            keys.extend(ident(part));
        }
        for sep in ["?", "&amp;"] {
            for part in text.split(sep).skip(1) {
                if let Some(k) = ident(part)
                    && part[k.len()..].starts_with('=')
                {
                    keys.insert(k);
                }
            }
        }
    }
    keys
}

/// Markup that must never come back unescaped.
const PROBE: &str = "radhus-hostile";
const PROBE_ENCODED: &str = "%22%27%3E%3Cradhus-hostile%20hx-post%3D%2Fx%3E";

#[tokio::test]
async fn no_page_echoes_markup_from_its_query_string() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (a, alfa) = crate::isolation::seed_alfa(&app).await;
    let (_, email) = app.tenant_with_admin("beta", "Beta", "9902").await;
    let beta = app.login("beta", &email).await;
    let operator = app.operator("operator@radhus.se").await;
    // More cases than one page holds, so the list's pager (which repeats the filter) shows.
    let mut tx = app.db.read(Scope::Tenant(a)).await.expect("tx");
    let (list, _) = radhus_platform::identity::users::list(&mut tx, a, None, 10, 0).await.expect("users");
    let id = list.into_iter().find(|u| u.email == "admin@alfa.se").expect("admin").id;
    let staff =
        radhus_platform::identity::users::staff_user(&mut tx, a, radhus_kernel::ids::UserId(id)).await.expect("staff").expect("active");
    let case_type = radhus_cases::store::case_types(&mut tx, a).await.expect("types").remove(0).id;
    tx.commit().await.expect("commit");
    for i in 0..26 {
        let n = radhus_cases::service::NewCase { case_type, title: format!("Ärende {i}"), caseworker: Some(id), ..Default::default() };
        radhus_cases::service::create_case(&app.db, &staff, &n, app.now()).await.expect("case");
    }
    let mut tx = app.db.read(Scope::System).await.expect("tx");
    let own: Vec<String> = ids(&mut tx, a, 1).await.into_iter().map(|(_, id)| id.to_string()).collect();
    tx.commit().await.expect("commit");

    let keys = query_keys();
    assert!(keys.len() > 40 && keys.contains("vy") && keys.contains("typ"), "query keys: {keys:?}");
    let query: String = keys.iter().map(|k| format!("{k}={PROBE_ENCODED}")).collect::<Vec<_>>().join("&");
    let mut checked = 0;
    for route in app.state.routes.iter().filter(|r| r.method == axum::http::Method::GET) {
        let paths: Vec<String> = if route.path.contains('{') {
            own.iter().map(|id| crate::isolation::fill(route.path, id)).collect()
        } else {
            vec![route.path.to_string()]
        };
        for path in paths {
            for who in [&alfa, &beta, &operator] {
                let mut c = app.client(&who.host);
                c.cookies = who.cookies.clone();
                // All keys at once, and the page's own filter keys one by one (a refusal of one
                // value must not hide the echo of another).
                let mut urls = vec![format!("{path}?{query}")];
                if !route.path.contains('{') {
                    urls.extend(["vy", "typ", "status", "q", "next", "sida"].iter().map(|k| format!("{path}?{k}={PROBE_ENCODED}")));
                }
                for url in urls {
                    let r = c.get(&url).await;
                    checked += 1;
                    assert!(r.status < 500, "GET {url} on {}: {} {}", who.host, r.status, r.body);
                    let kind = r.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                    if kind.contains("html") || kind.contains("xml") {
                        assert!(
                            !r.body.contains(&format!("<{PROBE}")),
                            "GET {url} on {} echoes markup unescaped:\n{}",
                            who.host,
                            r.body.find(PROBE).map(|i| &r.body[i.saturating_sub(300)..(i + 100).min(r.body.len())]).unwrap_or("")
                        );
                    }
                    if let Some(loc) = r.location() {
                        assert!(!loc.contains('<') && !loc.contains('"'), "GET {url}: redirect to {loc}");
                    }
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} requests");
}
