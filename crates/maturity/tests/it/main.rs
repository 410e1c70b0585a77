//! Integration tests of the eBlomlåda module on SQLite, and PostgreSQL when configured.

mod actions;
mod assessment;
mod benchmark;
mod catalogue;
mod codes;
mod journey;
mod open_data;

use radhus_kernel::ids::TenantId;
use radhus_maturity::domain::{AssessmentId, Level};
use radhus_maturity::service::{self, AnswerInput};
use radhus_platform::identity::session::StaffUser;
use radhus_testkit::TestApp;

pub async fn app() -> TestApp {
    TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg), radhus_cases::module(), radhus_maturity::module()], |_| {})
        .await
}

/// A municipality with an administrator holding every permission (lead and admin included).
pub async fn setup(app: &TestApp, slug: &str, kommunkod: &str) -> (TenantId, StaffUser, String) {
    let (t, email) = app.tenant_with_admin(slug, slug, kommunkod).await;
    (t, app.staff(t, &email).await, email)
}

pub const AREAS: [&str; 8] = ["aldre", "barn", "foretagare", "boende", "kultur", "allmanheten", "ledning", "teknik"];

/// Answers every indicator of the 2017 catalogue: `f(position from 0)` gives the level.
pub async fn answer_all(app: &TestApp, s: &StaffUser, id: AssessmentId, f: impl Fn(usize) -> Level) {
    let cat = radhus_maturity::domain::parse_catalogue("2017", "x", include_str!("../../../../data/eblomlada-2017.csv")).expect("cat");
    for area in AREAS {
        let inputs: Vec<AnswerInput> = cat
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.area_key == area)
            .map(|(n, i)| AnswerInput { indicator_id: i.id.clone(), level: f(n).points().to_string(), ..Default::default() })
            .collect();
        service::save_area(&app.db, s, id, area, &inputs, app.now()).await.expect("save area");
    }
}

/// A submitted assessment of `year` answered by `f`.
pub async fn submitted(app: &TestApp, s: &StaffUser, year: i32, f: impl Fn(usize) -> Level) -> AssessmentId {
    let id = service::start(&app.db, s, year, Some("2017"), app.now()).await.expect("start");
    answer_all(app, s, id, f).await;
    service::submit(&app.db, s, id, app.now()).await.expect("submit");
    id
}
