//! Excel exports of the registers (rust_xlsxwriter). The columns have the headers of the
//! import, so an exported file can be edited and imported again.

use radhus_platform::error::{Error, Result};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::columns::{Kind, PERSON_COLS, PREMISES_COLS};
use super::store::{BuildingRow, PersonRow, PremisesRow};

/// A value of a cell: text, or a number (coordinates, capacity).
enum Cell {
    Text(String),
    Number(Option<f64>),
}

fn sheet(ws: &mut Worksheet, name: &str, headers: &[&str], rows: &[Vec<Cell>]) -> Result<()> {
    ws.set_name(name).map_err(Error::internal("xlsx"))?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold).map_err(Error::internal("xlsx"))?;
        ws.set_column_width(c as u16, 18.0).map_err(Error::internal("xlsx"))?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match v {
                Cell::Text(s) if !s.is_empty() => {
                    ws.write_string(r, c, s).map_err(Error::internal("xlsx"))?;
                }
                Cell::Number(Some(n)) => {
                    ws.write_number(r, c, *n).map_err(Error::internal("xlsx"))?;
                }
                _ => {}
            }
        }
    }
    if !rows.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, headers.len() as u16 - 1).map_err(Error::internal("xlsx"))?;
    }
    ws.set_freeze_panes(1, 0).map_err(Error::internal("xlsx"))?;
    Ok(())
}

fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

pub fn persons_xlsx(persons: &[PersonRow]) -> Result<Vec<u8>> {
    let mut headers: Vec<&str> = PERSON_COLS.iter().map(|c| c.header()).collect();
    headers.push("födelsedatum");
    let rows: Vec<Vec<Cell>> = persons
        .iter()
        .map(|p| {
            vec![
                t(&p.given_name),
                t(&p.family_name),
                t(p.pnr.as_deref().unwrap_or("")),
                t(&p.email),
                t(&p.phone),
                t(&p.address),
                t(&p.postal_code),
                t(&p.city),
                t(&p.languages),
                Cell::Number(p.lat),
                Cell::Number(p.lon),
                t(&p.preferences),
                t(&p.notes),
                t(&p.birth_date.map(|d| d.to_string()).unwrap_or_default()),
            ]
        })
        .collect();
    let mut wb = Workbook::new();
    sheet(wb.add_worksheet(), "Personer", &headers, &rows)?;
    wb.save_to_buffer().map_err(Error::internal("xlsx"))
}

pub fn premises_xlsx(premises: &[PremisesRow], buildings: &[BuildingRow]) -> Result<Vec<u8>> {
    let headers: Vec<&str> = PREMISES_COLS.iter().map(|c| c.header()).collect();
    let rows: Vec<Vec<Cell>> = premises
        .iter()
        .map(|p| {
            let b = p.building_id.and_then(|b| buildings.iter().find(|x| x.id == b)).map(|b| b.name.as_str()).unwrap_or("");
            vec![
                t(&p.name),
                t(b),
                t(&p.address),
                t(&p.postal_code),
                t(&p.city),
                Cell::Number(p.lat),
                Cell::Number(p.lon),
                t(&p.accessibility),
                Cell::Number(p.capacity.map(f64::from)),
                t(&p.keys),
                t(&p.contact_name),
                t(&p.contact_phone),
                t(&p.notes),
            ]
        })
        .collect();
    let mut wb = Workbook::new();
    sheet(wb.add_worksheet(), "Lokaler", &headers, &rows)?;
    wb.save_to_buffer().map_err(Error::internal("xlsx"))
}

/// An empty import file with the headers and an example row, as Excel.
pub fn template_xlsx(kind: Kind) -> Result<Vec<u8>> {
    let csv = super::columns::template_csv(kind);
    let mut lines = csv.lines();
    let headers: Vec<&str> = lines.next().unwrap_or("").split(';').collect();
    let rows: Vec<Vec<Cell>> = lines.map(|l| l.split(';').map(t).collect()).collect();
    let mut wb = Workbook::new();
    sheet(wb.add_worksheet(), if kind == Kind::Persons { "Personer" } else { "Lokaler" }, &headers, &rows)?;
    wb.save_to_buffer().map_err(Error::internal("xlsx"))
}
