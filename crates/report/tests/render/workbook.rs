//! The one .xlsx reader of the workspace's tests, through the `calamine`
//! crate: the report crate's tests (here) and the CLI's (which include
//! this file with `#[path]`) read every workbook back with it, so
//! `cargo test` checks what a spreadsheet program would show without
//! Python. (CI also reads the report workbook with openpyxl, an
//! independent reader, in crates/cli/tests/integration/report.rs.)
//! Checks a cell reader cannot make (frozen panes, column widths, number
//! formats, escaping) look at the package's raw parts ([`parts`]).

// Each test binary uses a different part of it.
#![allow(dead_code)]

use calamine::{Data, Reader, Xlsx};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
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
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        Book::from_bytes(&bytes)
    }

    /// A workbook held in memory (as the renderers return it).
    pub fn from_bytes(bytes: &[u8]) -> Book {
        let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("not a workbook: {e}"));
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
        self.cells(sheet).into_iter().map(|row| row.into_iter().map(|(col, d)| (col, text(&d))).collect()).collect()
    }

    /// The rows of a sheet, from its first used row, with their types:
    /// column letters → value (empty cells left out).
    pub fn cells(&self, sheet: &str) -> Vec<BTreeMap<String, Data>> {
        let r = &self.values[self.index(sheet)];
        let first_col = r.start().map_or(0, |s| s.1);
        r.rows()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter(|(_, d)| !matches!(d, Data::Empty))
                    .map(|(j, d)| (letters(first_col + j as u32), d.clone()))
                    .collect()
            })
            .collect()
    }

    /// One line per non-empty cell of a sheet, row by row, for snapshots:
    /// `B4 =Drivers!E2 → 250000` (a formula and its cached value),
    /// `A1 'text'` or `C2 12.5`.
    pub fn lines(&self, sheet: &str) -> Vec<String> {
        let i = self.index(sheet);
        let (values, formulas) = (&self.values[i], &self.formulas[i]);
        let corners = [values.start(), values.end(), formulas.start(), formulas.end()];
        let Some(last_row) = corners.iter().flatten().map(|c| c.0).max() else { return Vec::new() };
        let last_col = corners.iter().flatten().map(|c| c.1).max().unwrap_or(0);
        let first_row = corners.iter().flatten().map(|c| c.0).min().unwrap_or(0);
        let mut out = Vec::new();
        for row in first_row..=last_row {
            for col in 0..=last_col {
                let r = format!("{}{}", letters(col), row + 1);
                let v = values.get_value((row, col)).cloned().unwrap_or(Data::Empty);
                match (formulas.get_value((row, col)).filter(|f| !f.is_empty()), &v) {
                    (Some(f), _) => out.push(format!("{r} ={f} → {}", text(&v))),
                    (None, Data::String(t)) => out.push(format!("{r} '{t}'")),
                    (None, Data::Empty) => {}
                    (None, v) => out.push(format!("{r} {}", text(v))),
                }
            }
        }
        out
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

/// The package's parts (xl/workbook.xml, xl/worksheets/sheet1.xml, ...)
/// as text, for checks a cell reader cannot make.
pub fn parts(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("a valid zip");
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        out.insert(name, s);
    }
    out
}

#[test]
fn cell_references() {
    assert_eq!((letters(0), letters(25), letters(26), letters(27)), ("A".into(), "Z".into(), "AA".into(), "AB".into()));
    assert_eq!(position("C14"), (13, 2));
    assert_eq!(position("AB2"), (1, 27));
}
