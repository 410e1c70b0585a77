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
