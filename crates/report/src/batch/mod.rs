//! Many jurisdictions in one file (`safetygap batch`): computing every
//! plan in parallel chunks and writing them as CSV, JSON Lines, GeoJSON,
//! Parquet or a workbook with one row per jurisdiction and one per program
//! line, and the map of one figure per state or county. The command line
//! only parses arguments, makes the file ([`safetygap_data::atomic`]) and
//! shows progress ([`Progress`]).
//!
//! The workbook streams. Its two big sheets are rust_xlsxwriter "low
//! memory" worksheets (the constant-memory mode with a shared string
//! table): each row goes to a temporary file as soon as the next one is
//! started, and only the distinct strings (names, program titles) stay in
//! memory. Feed plans one at a time with [`BatchWorkbook::add`] — every
//! place's 25 program lines, about 430,000 rows, never sit in memory at
//! once — then write the file with [`BatchWorkbook::save`].
//!
//! ```
//! use safetygap_report::batch::{BatchInfo, BatchWorkbook};
//! let catalog = safetygap_core::shipped::catalog().unwrap();
//! let plan = safetygap_core::compute(&catalog, &safetygap_core::PlanInput::custom("Example", 250_000.0, "example")).unwrap();
//! let mut book = BatchWorkbook::new(&catalog, BatchInfo { title: "One example".into(), ..Default::default() }, None).unwrap();
//! book.add(&plan, None).unwrap();
//! assert_eq!(book.jurisdictions(), 1);
//! let bytes = book.save_to_buffer().unwrap();
//! assert!(bytes.starts_with(b"PK"));
//! ```

mod about;
mod error;
mod figures;
mod run;
mod write;

pub use about::{coverage_title, data_sources, draw_map, workbook, BOUNDARIES};
pub use error::BatchError;
pub use figures::{Figures, MapValue};
pub use run::{compute, workbook_and_map, Job, MapValues, Progress, Quiet};
#[cfg(feature = "parquet")]
pub use write::write_parquet;
pub use write::{write_geojson, write_lines, TextFormat};

use crate::map::ValueFormat;
use crate::xlsx::{
    driver_source_rows, frozen_headers, headers, program_source_rows, sources_table, title, write_number, write_text, Formats, Widths,
    XlsxError, MAX_CELL_CHARS,
};
use rust_xlsxwriter::{DocProperties, Format, Workbook, Worksheet};
use safetygap_core::catalog::Catalog;
use safetygap_core::plan::Plan;
use safetygap_core::GapArea;
use std::path::Path;

/// The sheet names, in order.
pub const SHEETS: [&str; 4] = ["Jurisdictions", "Programs", "Sources", "About"];

// Jurisdictions sheet columns.
const J_GEOID: u16 = 0;
const J_NAME: u16 = 1;
const J_KIND: u16 = 2;
const J_STATE: u16 = 3;
const J_POP: u16 = 4;
const J_COST: u16 = 5; // low, mid, high
const J_PER_RESIDENT: u16 = 8;
const J_COVER: u16 = 9;
const J_START: u16 = 10;
const J_AREA: u16 = 11; // one per gap area, in GapArea::ALL order
const J_GRADE: u16 = J_AREA + GapArea::ALL.len() as u16;
const J_GRADE_LABEL: u16 = J_GRADE + 1;
const J_FLAGGED: u16 = J_GRADE + 2;

/// Headers of the Jurisdictions sheet.
pub fn jurisdiction_headers() -> Vec<String> {
    let mut h: Vec<String> = [
        "GEOID",
        "Jurisdiction",
        "Kind",
        "State",
        "Population",
        "Annual gap cost low",
        "Annual gap cost mid",
        "Annual gap cost high",
        "Gap cost per resident (mid)",
        "Need met today",
        "Start-up cost (mid)",
    ]
    .map(String::from)
    .into();
    h.extend(GapArea::ALL.iter().map(|a| format!("{}: annual gap cost (mid)", a.title())));
    h.extend(["Data-quality grade (1–3)", "Data quality", "Program lines with ⚠ assumptions"].map(String::from));
    h
}

// Programs sheet columns.
const P_GEOID: u16 = 0;
const P_JUR: u16 = 1;
const P_AREA: u16 = 2;
const P_ID: u16 = 3;
const P_NAME: u16 = 4;
const P_UNIT: u16 = 5;
const P_NEED: u16 = 6;
const P_EXIST: u16 = 7;
const P_GAP: u16 = 8;
const P_COST: u16 = 9;
const P_ASSUME: u16 = 10;

/// Headers of the Programs sheet (one row per program per jurisdiction).
pub const PROGRAM_HEADERS: [&str; 11] = [
    "GEOID",
    "Jurisdiction",
    "Gap area",
    "Program id",
    "Program",
    "Unit",
    "Need mid",
    "Exists now",
    "Gap mid",
    "Annual gap cost mid",
    "⚠ Assumption",
];

/// One data set the batch's figures come from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataSource {
    /// What it gives ("population of counties").
    pub figures: String,
    /// Where it comes from, with package or file.
    pub source: String,
    /// The year or period it describes.
    pub vintage: String,
    /// Attribution that must be shown with it, if any.
    pub attribution: Option<String>,
}

/// What the workbook says about itself on its About and Sources sheets.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchInfo {
    /// What the batch covers: "Every county", "Places of California".
    pub title: String,
    /// The program and version that wrote it: "safetygap 0.1.0".
    pub generator: String,
    /// The data sets the drivers come from.
    pub data_sources: Vec<DataSource>,
    /// Lines that must be shown with the figures (the us_geo licence
    /// notice when places are included).
    pub attributions: Vec<String>,
}

/// A batch workbook being written: Jurisdictions and Programs grow with
/// each [`add`](Self::add); Sources and About are written by
/// [`save`](Self::save).
pub struct BatchWorkbook {
    wb: Workbook,
    jur: Worksheet,
    prog: Worksheet,
    f: Formats,
    jw: Widths,
    pw: Widths,
    jrow: u32,
    prow: u32,
    info: BatchInfo,
    catalog_version: String,
    catalog_sources: Vec<[String; 8]>,
    cost_years: Option<[u16; 2]>,
    grades: [usize; 4],
    kinds: std::collections::BTreeMap<String, usize>,
}

/// "county" → "counties" when there are several.
fn plural(kind: &str, n: usize) -> String {
    match (n, kind.strip_suffix('y')) {
        (1, _) => kind.to_string(),
        (_, Some(stem)) => format!("{stem}ies"),
        _ => format!("{kind}s"),
    }
}

/// Rough display width of a number shown with separators and two decimals.
fn num_width(v: f64) -> usize {
    let digits = if v.abs() < 1.0 { 1 } else { v.abs().log10().floor() as usize + 1 };
    digits + (digits - 1) / 3 + 4
}

/// Writes a string cut to [`MAX_CELL_CHARS`] bytes (no copy: most of the
/// batch's strings are short).
fn put_str(ws: &mut Worksheet, w: &mut Widths, row: u32, col: u16, s: &str, f: Option<&Format>) -> Result<(), XlsxError> {
    let s = if s.len() > MAX_CELL_CHARS { &s[..s.floor_char_boundary_compat(MAX_CELL_CHARS)] } else { s };
    write_text(ws, w, row, col, s, f)
}

fn put_num(ws: &mut Worksheet, w: &mut Widths, row: u32, col: u16, v: f64, f: &Format) -> Result<(), XlsxError> {
    write_number(ws, w, row, col, v, f, num_width)
}

/// A GEOID column's width from its widest text.
fn geoid_width(x: f64) -> f64 {
    (x * 1.1 + 4.0).clamp(10.0, 16.0)
}

/// `str::floor_char_boundary` is unstable; the same for our one use.
trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

impl BatchWorkbook {
    /// Starts a workbook. `catalog` is the catalog the plans are computed
    /// with (its version and citations go on the Sources and About sheets).
    /// The big sheets' rows are kept in temporary files in `tempdir` (the
    /// system's temporary directory when `None`); they are deleted when the
    /// workbook is saved or dropped.
    pub fn new(catalog: &Catalog, info: BatchInfo, tempdir: Option<&Path>) -> Result<BatchWorkbook, XlsxError> {
        let mut wb = Workbook::new();
        // Deflate is most of the time for big batches: level 3 saves a third
        // of it (every place: 5.6 s → 4.1 s) for a file about 10% larger.
        wb.set_zip_compression_level(3);
        if let Some(dir) = tempdir {
            wb.set_tempdir(dir)?;
        }
        wb.set_properties(
            &DocProperties::new()
                .set_title(format!("Safety gap: {}", info.title))
                .set_comment(format!("safetygap catalog {}", catalog.version)),
        );
        let f = Formats::new();
        let mut jw = Widths::new();
        let mut pw = Widths::new();

        let mut jur = wb.new_worksheet_with_low_memory()?;
        jur.set_name(SHEETS[0])?;
        let jh = jurisdiction_headers();
        frozen_headers(&mut jur, &mut jw, 0, &jh.iter().map(String::as_str).collect::<Vec<_>>(), &f, Some(45), 2)?;

        let mut prog = wb.new_worksheet_with_low_memory()?;
        prog.set_name(SHEETS[1])?;
        frozen_headers(&mut prog, &mut pw, 0, &PROGRAM_HEADERS, &f, Some(30), 2)?;

        let mut catalog_sources = Vec::new();
        for id in catalog.program_ids() {
            catalog_sources.extend(program_source_rows(catalog, id));
        }
        for d in &catalog.drivers {
            catalog_sources.extend(driver_source_rows(d));
        }

        Ok(BatchWorkbook {
            wb,
            jur,
            prog,
            f,
            jw,
            pw,
            jrow: 1,
            prow: 1,
            info,
            catalog_version: catalog.version.clone(),
            catalog_sources,
            cost_years: None,
            grades: [0; 4],
            kinds: Default::default(),
        })
    }

    /// Jurisdictions added so far.
    pub fn jurisdictions(&self) -> usize {
        self.jrow as usize - 1
    }

    /// Adds one jurisdiction's plan: a row on Jurisdictions and one per
    /// program line on Programs. `state` is its state's abbreviation, if any.
    pub fn add(&mut self, plan: &Plan, state: Option<&str>) -> Result<(), XlsxError> {
        let (ws, w, f, r) = (&mut self.jur, &mut self.jw, &self.f, self.jrow);
        let j = &plan.jurisdiction;
        let t = &plan.totals;
        put_str(ws, w, r, J_GEOID, &j.id, None)?;
        put_str(ws, w, r, J_NAME, &j.name, None)?;
        put_str(ws, w, r, J_KIND, &j.kind, None)?;
        if let Some(s) = state {
            put_str(ws, w, r, J_STATE, s, None)?;
        }
        let pop = plan.drivers.iter().find(|d| d.id == "population").map_or(f64::NAN, |d| d.value.mid);
        put_num(ws, w, r, J_POP, pop, &f.whole)?;
        for (k, v) in [t.annual_cost.low, t.annual_cost.mid, t.annual_cost.high].into_iter().enumerate() {
            put_num(ws, w, r, J_COST + k as u16, v, &f.money)?;
        }
        put_num(ws, w, r, J_PER_RESIDENT, t.annual_cost_per_resident.mid, &f.money_cents)?;
        if let Some(c) = t.coverage {
            put_num(ws, w, r, J_COVER, c, &f.percent)?;
        }
        put_num(ws, w, r, J_START, t.startup_cost.mid, &f.money)?;
        for (k, area) in GapArea::ALL.iter().enumerate() {
            if let Some(a) = plan.gap_areas.iter().find(|a| a.gap_area == *area) {
                put_num(ws, w, r, J_AREA + k as u16, a.totals.annual_cost.mid, &f.money)?;
            }
        }
        let grade = plan.quality.grade;
        if grade > 0 {
            put_num(ws, w, r, J_GRADE, f64::from(grade), &f.integer)?;
            put_str(ws, w, r, J_GRADE_LABEL, &plan.quality.label, None)?;
        }
        let flagged = plan.programs.iter().filter(|p| !p.assumptions.is_empty()).count();
        put_num(ws, w, r, J_FLAGGED, flagged as f64, &f.integer)?;
        self.jrow += 1;
        self.grades[usize::from(grade.min(3))] += 1;
        *self.kinds.entry(j.kind.clone()).or_default() += 1;
        self.cost_years = Some(match self.cost_years {
            None => plan.cost_years,
            Some([a, b]) => [a.min(plan.cost_years[0]), b.max(plan.cost_years[1])],
        });

        let (ws, w) = (&mut self.prog, &mut self.pw);
        for p in &plan.programs {
            let r = self.prow;
            put_str(ws, w, r, P_GEOID, &j.id, None)?;
            put_str(ws, w, r, P_JUR, &j.name, None)?;
            put_str(ws, w, r, P_AREA, p.gap_area.title(), None)?;
            put_str(ws, w, r, P_ID, &p.id, None)?;
            put_str(ws, w, r, P_NAME, &p.name, None)?;
            put_str(ws, w, r, P_UNIT, &p.unit, None)?;
            put_num(ws, w, r, P_NEED, p.need.mid, &f.count)?;
            put_num(ws, w, r, P_EXIST, p.existing, &f.count)?;
            put_num(ws, w, r, P_GAP, p.gap.mid, &f.count)?;
            put_num(ws, w, r, P_COST, p.annual_cost.mid, &f.money)?;
            if !p.assumptions.is_empty() {
                put_str(ws, w, r, P_ASSUME, "⚠", None)?;
            }
            self.prow += 1;
        }
        Ok(())
    }

    /// Finishes the sheets and returns the workbook, ready to save.
    fn complete(mut self) -> Result<Workbook, XlsxError> {
        let f = &self.f;
        if self.jrow == 1 {
            // Say so, and keep rust_xlsxwriter from repeating a header-only
            // sheet's last row (a duplicate row Excel would call damaged).
            self.jur.write_string_with_format(1, 0, "No jurisdictions", &f.note)?;
            self.prog.write_string_with_format(1, 0, "No jurisdictions", &f.note)?;
        }
        // Autofilters over the data, and column widths from what was written.
        let jcols = jurisdiction_headers().len() as u16;
        self.jur.autofilter(0, 0, self.jrow.saturating_sub(1), jcols - 1)?;
        self.jw.apply(&mut self.jur, 8.0, 40.0)?;
        self.jw.fit(&mut self.jur, J_GEOID, 10.0, geoid_width)?;
        self.prog.autofilter(0, 0, self.prow.saturating_sub(1), PROGRAM_HEADERS.len() as u16 - 1)?;
        self.pw.apply(&mut self.prog, 8.0, 48.0)?;
        self.pw.fit(&mut self.prog, P_GEOID, 10.0, geoid_width)?;

        // ---- Sources ----
        let mut sources = Worksheet::new();
        sources.set_name(SHEETS[2])?;
        let ws = &mut sources;
        let mut w = Widths::new();
        ws.write_string_with_format(0, 0, "Where the figures come from", &f.title)?;
        ws.write_string_with_format(1, 0, "Data: each jurisdiction's drivers (population, poverty, crime) and their vintages", &f.bold)?;
        let dh = ["Figures", "Source", "Vintage", "Attribution"];
        headers(ws, &mut w, 2, &dh, &f.header)?;
        let mut r = 3u32;
        for d in &self.info.data_sources {
            put_str(ws, &mut w, r, 0, &d.figures, Some(&f.wrap))?;
            put_str(ws, &mut w, r, 1, &d.source, Some(&f.wrap))?;
            put_str(ws, &mut w, r, 2, &d.vintage, None)?;
            if let Some(a) = &d.attribution {
                put_str(ws, &mut w, r, 3, a, Some(&f.wrap))?;
            }
            r += 1;
        }
        r += 1;
        ws.write_string_with_format(r, 0, format!("Benchmarks: catalog {}, one row per citation", self.catalog_version), &f.bold)?;
        r += 1;
        sources_table(ws, &mut w, r, &self.catalog_sources, f, put_str)?;
        ws.set_column_width(0, 30)?;
        ws.set_column_width(1, 45)?;

        // ---- About ----
        let mut about = Worksheet::new();
        about.set_name(SHEETS[3])?;
        let ws = &mut about;
        title(ws, &format!("Safety gap: {}", self.info.title), f)?;
        let n = self.jurisdictions();
        let kinds: Vec<String> =
            self.kinds.iter().map(|(k, c)| format!("{} {}", crate::fmt::thousands(*c as f64), plural(k, *c))).collect();
        let years =
            self.cost_years.map_or(String::new(), |[a, b]| if a == b { format!("{a} dollars") } else { format!("{a}–{b} dollars") });
        let grades = format!(
            "{} fine (1), {} use with care (2), {} do not act on this alone (3)",
            crate::fmt::thousands(self.grades[1] as f64),
            crate::fmt::thousands(self.grades[2] as f64),
            crate::fmt::thousands(self.grades[3] as f64)
        );
        let mut info: Vec<(&str, String)> = vec![
            (
                "Jurisdictions",
                if kinds.is_empty() { "none".into() } else { format!("{} ({})", crate::fmt::thousands(n as f64), kinds.join(", ")) },
            ),
            ("Catalog", self.catalog_version.clone()),
            ("Costs in", years),
            ("Data quality", grades),
        ];
        if !self.info.generator.is_empty() {
            info.push(("Written by", self.info.generator.clone()));
        }
        let mut r = 2u32;
        for (k, v) in &info {
            ws.write_string_with_format(r, 0, *k, &f.bold)?;
            ws.write_string(r, 1, v)?;
            r += 1;
        }
        r += 1;
        let mut notes: Vec<String> = vec![
            "Jurisdictions: one row per jurisdiction. Annual gap cost is what closing the gap costs a year; per resident divides its central estimate by the population; need met today is the share of the need's cost already covered.".into(),
            "Programs: one row per program per jurisdiction (need, what exists, gap and annual gap cost, central estimates). Add-ons (a share of other programs' cost) count their need, existing and gap in dollars a year.".into(),
            "Sources: the data sets and vintages the drivers come from, and every benchmark's citations.".into(),
            "Each plan is computed from the jurisdiction's embedded figures and any data imported with `safetygap data import`, without inventories: nothing is counted as existing, so the gap is the whole need. For one place with what already exists, run `safetygap plan PLACE --inventory FILE`.".into(),
            "Low and high are the ends of each benchmark's ratio and unit-cost ranges, not confidence intervals.".into(),
            "⚠ marks program lines resting on at least one assumption with no published figure: replace them with local figures before budgeting. Data-quality grades: 1 fine, 2 use with care, 3 do not act on this alone.".into(),
            "Places overlap their counties, and counties their states: do not add rows of different kinds.".into(),
        ];
        notes.extend(self.info.attributions.iter().cloned());
        for n in &notes {
            ws.merge_range(r, 0, r, 7, n.as_str(), &f.wrap)?;
            ws.set_row_height(r, if n.chars().count() > 120 { 45 } else { 30 })?;
            r += 1;
        }
        ws.set_column_width(0, 16)?;
        ws.set_column_width(1, 60)?;
        for c in 2..8 {
            ws.set_column_width(c, 12)?;
        }

        let mut wb = self.wb;
        wb.push_worksheet(self.jur);
        wb.push_worksheet(self.prog);
        wb.push_worksheet(sources);
        wb.push_worksheet(about);
        Ok(wb)
    }

    /// Finishes the workbook and writes it to `path`.
    pub fn save(self, path: &Path) -> Result<(), XlsxError> {
        self.complete()?.save(path)
    }

    /// Finishes the workbook and returns its `.xlsx` bytes (for small
    /// batches and tests; [`save`](Self::save) streams to disk).
    pub fn save_to_buffer(self) -> Result<Vec<u8>, XlsxError> {
        self.complete()?.save_to_buffer()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_values_parse_and_format() {
        for n in MapValue::NAMES {
            assert!(MapValue::parse(n).is_some(), "{n}");
        }
        assert_eq!(MapValue::parse("per_capita"), None);
        assert_eq!(MapValue::Coverage.format(), ValueFormat::Percent);
        assert_eq!(MapValue::Gap.format(), ValueFormat::Money);
    }

    #[test]
    fn kinds_in_the_plural() {
        assert_eq!(plural("county", 2), "counties");
        assert_eq!(plural("county", 1), "county");
        assert_eq!(plural("place", 3), "places");
        assert_eq!(plural("state", 51), "states");
    }

    #[test]
    fn number_widths_grow_with_digits() {
        assert_eq!(num_width(0.5), 5);
        assert_eq!(num_width(999.0), 7);
        assert_eq!(num_width(1000.0), 9);
        assert_eq!(num_width(-1_234_567.0), 13);
    }

    #[test]
    fn long_strings_cut_on_a_character() {
        let s = "é".repeat(20_000);
        let i = s.floor_char_boundary_compat(MAX_CELL_CHARS);
        assert!(i <= MAX_CELL_CHARS && s.is_char_boundary(i));
    }

    #[test]
    fn headers_match_columns() {
        let h = jurisdiction_headers();
        assert_eq!(h.len(), J_FLAGGED as usize + 1);
        assert_eq!(h[J_AREA as usize], "Victim services: annual gap cost (mid)");
        assert_eq!(PROGRAM_HEADERS[P_ASSUME as usize], "⚠ Assumption");
    }
}
