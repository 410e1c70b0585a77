//! The information pages of the election work: sanitising, the office's editor and the
//! public pages on the municipality's host.

use radhus_elections::pages::{self, sanitise};

#[test]
fn sanitising_keeps_the_allowed_tags_only() {
    let dirty = "<h2 onclick=\"steal()\">Rubrik</h2><script>alert(1)</script><p style=\"color:red\">Text <img src=x onerror=alert(2)>\
                 <a href=\"javascript:alert(3)\">klick</a> <a href=\"https://www.val.se\" target=\"_blank\">val.se</a> \
                 <a href=\"/valarbete/sida/x\">här</a> <a href=\"//evil.example\">ond</a></p><style>p{}</style><iframe src=\"https://x\"></iframe>\
                 <ul><li><strong>fet</strong> <em>kursiv</em></li></ul><blockquote>citat</blockquote><a href=\"mailto:val@kil.se\">e-post</a>";
    let clean = sanitise(dirty);
    assert!(!clean.contains("script") && !clean.contains("alert"), "{clean}");
    assert!(!clean.contains("onclick") && !clean.contains("onerror") && !clean.contains("style") && !clean.contains("<img"), "{clean}");
    assert!(
        !clean.contains("javascript:") && !clean.contains("evil.example") && !clean.contains("iframe") && !clean.contains("target"),
        "{clean}"
    );
    assert!(clean.contains("<h2>Rubrik</h2>"), "{clean}");
    assert!(clean.contains("<a href=\"https://www.val.se\" rel=\"noopener\">val.se</a>"), "{clean}");
    assert!(clean.contains("<a href=\"/valarbete/sida/x\" rel=\"noopener\">här</a>"), "{clean}");
    assert!(clean.contains("<a href=\"mailto:val@kil.se\" rel=\"noopener\">e-post</a>"), "{clean}");
    assert!(clean.contains("<ul><li><strong>fet</strong> <em>kursiv</em></li></ul><blockquote>citat</blockquote>"), "{clean}");
    // The javascript: link keeps its text but loses the address.
    assert!(clean.contains(">klick</a>") && !clean.contains("href=\"javascript"), "{clean}");
}

#[tokio::test]
async fn the_office_edits_pages_that_the_public_reads() {
    let app = super::app().await;
    let (_t, s, email) = super::setup(&app, "kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    assert_eq!(c.get("/admin/val/webb").await.status, 200);

    // Bad input: nothing stored.
    let r = c
        .post_form(
            "/admin/val/webb",
            &[("slug", "Med Mellanslag"), ("title", "Arbeta i valet"), ("body", "<p>Hej</p>"), ("action", "save")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r##"<a class="ds-link" href="#p-slug">"##) && r.body.contains("små bokstäver"), "{}", r.body);
    assert!(
        r.body.contains(
            r#"id="p-slug" name="slug" type="text" value="Med Mellanslag" aria-invalid="true" aria-describedby="p-slug-hint p-slug-error">"#
        ),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(r#"id="p-slug-error">Skriv kortnamnet med små bokstäver a–z, siffror och bindestreck, högst 60 tecken.</p>"#),
        "{}",
        r.body
    );
    let r =
        c.post_form("/admin/val/webb", &[("slug", "tom"), ("title", "Tom"), ("body", "<script>x()</script>"), ("action", "save")]).await;
    assert_eq!(r.status, 422, "a body that is only a script is empty");
    assert!(
        r.body.contains(r##"<a class="ds-link" href="#p-body">"##) && r.body.contains(r#"id="p-body-error">Skriv sidans text."#),
        "{}",
        r.body
    );
    // The preview shows the sanitised body without saving.
    let body = "<p onclick=\"x()\">Välkommen att <strong>arbeta</strong> i valet.</p><script>alert(1)</script><a href=\"javascript:alert(2)\">farligt</a>";
    let r = c.post_form("/admin/val/webb", &[("slug", "arbeta"), ("title", "Arbeta i valet"), ("body", body), ("action", "preview")]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<p>Välkommen att <strong>arbeta</strong> i valet.</p>") && !r.body.contains("<script>alert"), "{}", r.body);
    assert!(!app.client("kil.localhost").get("/valarbete").await.body.contains("Välkommen att"));

    let r = c.post_form("/admin/val/webb", &[("slug", "arbeta"), ("title", "Arbeta i valet"), ("body", body), ("action", "save")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.post_form("/admin/val/webb", &[("slug", "arbeta"), ("title", "Igen"), ("body", "<p>x</p>"), ("action", "save")]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = c
        .post_form("/admin/val/webb", &[("slug", "ersattning"), ("title", "Ersättning"), ("body", "<p>Arvode</p>"), ("action", "save")])
        .await;
    assert_eq!(r.status, 303);

    let mut public = app.client("kil.localhost");
    let start = public.get("/valarbete").await;
    assert_eq!(start.status, 200);
    assert!(
        start.body.contains("Välkommen att <strong>arbeta</strong>") && start.body.contains("/valarbete/sida/ersattning"),
        "{}",
        start.body
    );
    assert!(start.body.contains("/valarbete/mina-sidor"));
    assert!(!start.body.contains("onclick") && !start.body.contains("alert("), "{}", start.body);
    let page = public.get("/valarbete/sida/arbeta").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1 class=\"ds-heading\" data-size=\"lg\">Arbeta i valet</h1>"));
    assert_eq!(public.get("/valarbete/sida/finns-inte").await.status, 404);

    // Edit, order, delete.
    let r = c
        .post_form(
            "/admin/val/webb/ersattning",
            &[("title", "Ersättning och utbildning"), ("body", "<p>Arvode <em>och</em> kurs</p>"), ("action", "save")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.post_form("/admin/val/webb/ersattning", &[("title", ""), ("body", "<p>x</p>"), ("action", "save")]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(r##"<a class="ds-link" href="#p-title">"##)
            && r.body.contains(r#"id="p-title-error">Skriv sidans rubrik, högst 120 tecken.</p>"#),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(r#"id="p-title" name="title" type="text" value="" aria-invalid="true" aria-describedby="p-title-error">"#),
        "{}",
        r.body
    );
    let r = c.post_form("/admin/val/webb/ersattning/flytta", &[("dir", "up")]).await;
    assert_eq!(r.status, 303);
    let start = public.get("/valarbete").await;
    assert!(start.body.contains("Arvode <em>och</em> kurs"), "the first page's text is on the start page: {}", start.body);
    let mut tx = app.db.read(radhus_platform::db::Scope::Tenant(s.tenant_id)).await.expect("tx");
    let order: Vec<String> = pages::pages(&mut tx, s.tenant_id).await.expect("pages").into_iter().map(|p| p.slug).collect();
    tx.commit().await.expect("commit");
    assert_eq!(order, vec!["ersattning", "arbeta"]);

    // Another municipality neither sees nor edits the pages.
    let (_, _, other) = super::setup(&app, "arvika", "1784").await;
    let mut o = app.login("arvika", &other).await;
    assert_eq!(o.get("/admin/val/webb/arbeta").await.status, 404);
    assert_eq!(o.post_form("/admin/val/webb/arbeta/ta-bort", &[]).await.status, 404);
    assert_eq!(app.client("arvika.localhost").get("/valarbete/sida/arbeta").await.status, 404);
    assert!(!o.get("/admin/val/webb").await.body.contains("/admin/val/webb/arbeta"));

    let r = c.post_form("/admin/val/webb/arbeta/ta-bort", &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(public.get("/valarbete/sida/arbeta").await.status, 404);

    // The demo pages: three, and a second run leaves them as they are.
    let made = pages::seed_demo_pages(&app.db, &s, app.now()).await.expect("seed");
    assert_eq!(made.len(), 3);
    assert!(pages::seed_demo_pages(&app.db, &s, app.now()).await.expect("again").is_empty());
    assert!(public.get("/valarbete/sida/personuppgifter").await.body.contains("6.1 e"));
}
