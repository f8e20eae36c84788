//! The one .xlsx reader of the CLI's tests, through the `calamine` crate:
//! every workbook test reads cells back with it, so `cargo test` checks
//! what a spreadsheet program would show without Python. (CI also reads
//! the report workbook with openpyxl, an independent reader, in
//! report.rs.)

use calamine::{open_workbook, Data, Reader, Xlsx};
use std::collections::BTreeMap;
use std::path::Path;

/// A workbook read back: its sheet names, each sheet's cached values and
/// formulas.
pub struct Book {
    pub sheets: Vec<String>,
    values: Vec<calamine::Range<Data>>,
    formulas: Vec<calamine::Range<String>>,
}

/// Column letters of a 0-based column index: 0 → A, 26 → AA. Written apart
/// from the writer's `xlsx::col_name` on purpose: the reader must not share
/// a mistake with the code it checks.
fn letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

/// 0-based (row, column) of a reference like `C14`.
fn position(cell: &str) -> (u32, u32) {
    let split = cell.find(|c: char| c.is_ascii_digit()).unwrap_or_else(|| panic!("{cell} is not a cell reference"));
    let col = cell[..split].bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1)) - 1;
    (cell[split..].parse::<u32>().unwrap() - 1, col)
}

/// A cell's value as text: strings as they are, numbers as Rust prints
/// them (12.5, 3), empty for empty cells.
fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

impl Book {
    pub fn read(path: &Path) -> Book {
        let mut wb: Xlsx<_> = open_workbook(path).unwrap_or_else(|e| panic!("{} does not open as a workbook: {e}", path.display()));
        let sheets = wb.sheet_names().to_vec();
        let values = sheets.iter().map(|s| wb.worksheet_range(s).unwrap()).collect();
        let formulas = sheets.iter().map(|s| wb.worksheet_formula(s).unwrap()).collect();
        Book { sheets, values, formulas }
    }

    fn index(&self, sheet: &str) -> usize {
        self.sheets.iter().position(|s| s == sheet).unwrap_or_else(|| panic!("no sheet {sheet} in {:?}", self.sheets))
    }

    /// The rows of a sheet, from its first used row: column letters → text
    /// (empty cells left out).
    pub fn rows(&self, sheet: &str) -> Vec<BTreeMap<String, String>> {
        let r = &self.values[self.index(sheet)];
        let first_col = r.start().map_or(0, |s| s.1);
        r.rows()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter(|(_, d)| !matches!(d, Data::Empty))
                    .map(|(j, d)| (letters(first_col + j as u32), text(d)))
                    .collect()
            })
            .collect()
    }

    /// A cell's cached value (`Data::Empty` when absent).
    pub fn value(&self, sheet: &str, cell: &str) -> Data {
        self.values[self.index(sheet)].get_value(position(cell)).cloned().unwrap_or(Data::Empty)
    }

    /// A cell's number; fails the test if it holds anything else.
    pub fn number(&self, sheet: &str, cell: &str) -> f64 {
        match self.value(sheet, cell) {
            Data::Float(v) => v,
            Data::Int(v) => v as f64,
            other => panic!("{sheet}!{cell} is {other:?}, not a number"),
        }
    }

    /// A cell's text (numbers printed).
    pub fn text(&self, sheet: &str, cell: &str) -> String {
        text(&self.value(sheet, cell))
    }

    /// A cell's formula with its `=`, or empty when it has none.
    pub fn formula(&self, sheet: &str, cell: &str) -> String {
        match self.formulas[self.index(sheet)].get_value(position(cell)) {
            Some(f) if !f.is_empty() => format!("={f}"),
            _ => String::new(),
        }
    }
}

#[test]
fn cell_references() {
    assert_eq!((letters(0), letters(25), letters(26), letters(27)), ("A".into(), "Z".into(), "AA".into(), "AB".into()));
    assert_eq!(position("C14"), (13, 2));
    assert_eq!(position("AB2"), (1, 27));
}
