//! Exports: the action plan as an Excel workbook (rust_xlsxwriter) and results as CSV.

use radhus_kernel::csv_cell::safe_cell;
use radhus_platform::error::{Error, Result};
use radhus_platform::web::Ctx;
use rust_xlsxwriter::{Format, Workbook};

use crate::service::Results;
use crate::view;

/// The action plan: one row per planned action with its indicator, answer, owner, unit and date.
pub fn action_plan_xlsx(ctx: &Ctx, municipality: &str, r: &Results) -> Result<Vec<u8>> {
    let actions = view::actions(ctx, r);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(ctx.t("mat-actions-sheet")).map_err(Error::internal("xlsx"))?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    ws.write_string_with_format(0, 0, ctx.tr.t1("mat-actions-heading", "what", format!("{municipality} {}", r.assessment.year)), &bold)
        .map_err(Error::internal("xlsx"))?;
    let headers = [
        "mat-col-indicator",
        "mat-col-text",
        "mat-col-area",
        "mat-col-answer",
        "mat-col-action",
        "mat-col-owner",
        "mat-col-unit",
        "mat-col-due",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, ctx.t(h), &bold).map_err(Error::internal("xlsx"))?;
    }
    for (n, a) in actions.iter().enumerate() {
        let row = 3 + n as u32;
        let cells = [&a.indicator, &a.text, &a.area, &a.answer, &a.action, &a.owner, &a.unit, &a.due];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, v.as_str(), &wrap).map_err(Error::internal("xlsx"))?;
        }
    }
    for (c, w) in [10.0, 60.0, 28.0, 18.0, 50.0, 22.0, 24.0, 12.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(Error::internal("xlsx"))?;
    }
    if !actions.is_empty() {
        ws.autofilter(2, 0, 2 + actions.len() as u32, headers.len() as u16 - 1).map_err(Error::internal("xlsx"))?;
    }
    ws.set_freeze_panes(3, 0).map_err(Error::internal("xlsx"))?;
    wb.save_to_buffer().map_err(Error::internal("xlsx"))
}

/// One CSV line, RFC 4180 quoting; every cell passes through [`safe_cell`], so text a
/// municipality typed (a comment starting with `=`) cannot become a formula in a spreadsheet.
fn line(cells: &[String]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(vec![]);
    let _ = w.write_record(cells.iter().map(|c| safe_cell(c).into_owned()));
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A municipality's published answers as open data.
pub fn results_csv(municipality: &str, kommunkod: &str, r: &Results) -> String {
    let mut out = line(&["kommunkod", "kommun", "ar", "version", "indikator", "omrade", "poang", "kommentar"].map(String::from));
    for i in &r.catalogue.indicators {
        let level = r.answers.get(&i.id).map(|l| l.points().to_string()).unwrap_or_default();
        let comment = r.rows.iter().find(|x| x.indicator_id == i.id).map(|x| x.comment.clone()).unwrap_or_default();
        out.push_str(&line(&[
            kommunkod.to_string(),
            municipality.to_string(),
            r.assessment.year.to_string(),
            r.catalogue.version.clone(),
            i.id.clone(),
            i.area_key.clone(),
            level,
            comment,
        ]));
    }
    out
}

/// The benchmark as open data: per indicator how many answered each level.
pub fn benchmark_csv(cat: &crate::domain::Catalogue, year: i32, b: &crate::domain::Benchmark) -> String {
    let mut out = line(&["ar", "version", "indikator", "omrade", "deltagare", "uppfyller_inte", "delvis", "helt"].map(String::from));
    if !b.published {
        return out;
    }
    for i in &cat.indicators {
        let c = b.indicators.get(&i.id).copied().unwrap_or_default();
        out.push_str(&line(&[
            year.to_string(),
            cat.version.clone(),
            i.id.clone(),
            i.area_key.clone(),
            b.participants.to_string(),
            c[0].to_string(),
            c[1].to_string(),
            c[2].to_string(),
        ]));
    }
    out
}
