//! The yearly eBlomlåda report as PDF/A: summary, the flower box, results per area against
//! last year and the country, the best and weakest indicators and the action plan. Typst
//! through `radhus-pdf`; the template is `typst/rapport.typ`, the data the results page's.

use radhus_kernel::Lang;
use radhus_platform::error::{Error, Result};
use radhus_platform::web::Ctx;
use serde::Serialize;
use time::OffsetDateTime;

use crate::service::Results;
use crate::view::ResultsView;

pub const TEMPLATE: &str = include_str!("../typst/rapport.typ");

#[derive(Serialize)]
struct ReportData<'a> {
    #[serde(flatten)]
    view: &'a ResultsView,
    /// "Karlstads kommun".
    org_title: String,
    /// The day the report was made (ISO 8601, as Swedish authorities write dates in tables).
    date: String,
}

/// The report in Swedish (the language of the municipality's own reports), whatever the
/// language of the page that asked for it.
pub fn pdf(ctx: &Ctx, municipality: &str, r: Results, now: OffsetDateTime) -> Result<Vec<u8>> {
    let mut sv = ctx.clone();
    sv.tr.lang = Lang::Sv;
    let mut view = ResultsView::new(&sv, municipality, r);
    crate::view::mark_overdue(&mut view.actions, now.date());
    let json =
        serde_json::to_string(&ReportData { view: &view, org_title: sv.municipality_title(municipality), date: now.date().to_string() })
            .map_err(|e| Error::Internal(format!("report data: {e}")))?;
    radhus_pdf::render(TEMPLATE, &[("data", &json)], &[("/flower.svg", view.flower_svg.as_bytes())], now)
        .map_err(|e| Error::Internal(format!("report: {e}")))
}
