//! Integration tests of case management on SQLite, and PostgreSQL when configured.

mod api;
mod cases;
mod diary;
mod events;
mod intake;
mod law;
mod memo;
mod memo_workflow;
mod numbering;
mod projects;
mod retention;
mod usability;
mod watches;

use radhus_kernel::ids::TenantId;
use radhus_platform::identity::session::StaffUser;
use radhus_testkit::TestApp;
use uuid::Uuid;

pub async fn app() -> TestApp {
    TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg), radhus_cases::module()], |_| {}).await
}

/// A municipality with an administrator holding every permission, a registry `KS` and a case type.
pub async fn setup(app: &TestApp, slug: &str) -> (TenantId, StaffUser, Uuid) {
    let (t, email) = app.tenant_with_admin(slug, slug, if slug == "kil" { "1715" } else { "1784" }).await;
    let staff = app.staff(t, &email).await;
    let reg = radhus_cases::service::create_registry(&app.db, &staff, "KS", "Kommunstyrelsen", "", app.now()).await.expect("registry");
    let class = radhus_cases::service::create_class(&app.db, &staff, "2.1", "Bygglov", Some(10), app.now()).await.expect("class");
    let ct = radhus_cases::service::create_case_type(&app.db, &staff, "Bygglov", reg, Some(class), 70, app.now()).await.expect("type");
    (t, staff, ct)
}

/// The tag of the element whose id is `id` (a field's control, or the fieldset of a group).
pub fn control<'a>(body: &'a str, id: &str) -> &'a str {
    let at = body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no element #{id}: {body}"));
    let start = body[..at].rfind('<').expect("tag start");
    let end = at + body[at..].find('>').expect("tag end");
    &body[start..=end]
}

/// A refused form's problem at the field `id`: the summary links to it, the message is at the
/// field, and the control says so (`aria-invalid`, `aria-describedby` naming the message).
pub fn assert_at_field(body: &str, id: &str, message: &str) {
    assert!(body.contains(&format!("<a class=\"ds-link\" href=\"#{id}\">")), "the summary links #{id}: {body}");
    assert!(body.contains(&format!("id=\"{id}-error\">{message}")), "the message at #{id}: {message}: {body}");
    let tag = control(body, id);
    let described =
        tag.contains(&format!("aria-describedby=\"{id}-error\"")) || tag.contains(&format!("aria-describedby=\"{id}-hint {id}-error\""));
    assert!(described, "#{id} is described by its message: {tag}");
    let group = tag.starts_with("<fieldset");
    assert!(group || tag.contains("aria-invalid=\"true\""), "#{id} is marked invalid: {tag}");
}
