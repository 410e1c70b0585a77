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

/// The tag of the element whose id is `id` (a field's control, or the fieldset of a group).
pub fn control<'a>(body: &'a str, id: &str) -> &'a str {
    let at = body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no element #{id}: {body}"));
    let start = body[..at].rfind('<').expect("tag start");
    let end = at + body[at..].find('>').expect("tag end");
    &body[start..=end]
}

/// A refused form's problem at the field `id`: the summary links to it with `summary`, the
/// message is at the field, and the control says so (`aria-invalid`, `aria-describedby`).
pub fn assert_at_field(body: &str, id: &str, summary: &str, message: &str) {
    assert!(body.contains(&format!("<a class=\"ds-link\" href=\"#{id}\">{summary}")), "the summary links #{id}: {body}");
    assert!(body.contains(&format!("id=\"{id}-error\">{message}")), "the message at #{id}: {message}: {body}");
    let tag = control(body, id);
    let described =
        tag.contains(&format!("aria-describedby=\"{id}-error\"")) || tag.contains(&format!("aria-describedby=\"{id}-hint {id}-error\""));
    assert!(described, "#{id} is described by its message: {tag}");
    if tag.starts_with("<fieldset") {
        assert!(
            body.contains(&format!("id=\"{id}-1\"")) && control(body, &format!("{id}-1")).contains("aria-invalid=\"true\""),
            "#{id}'s options are marked"
        );
    } else {
        assert!(tag.contains("aria-invalid=\"true\""), "#{id} is marked invalid: {tag}");
    }
}
